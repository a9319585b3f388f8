//! One instruction's text: its mnemonic, then its immediates, printed by the
//! code generated from the instruction table (`generated.rs`) through the
//! per-kind printers here, or a hand-written rule for the rows whose text
//! syntax is more than their kinds (`text=rule` in the table).

use wtool_ast::{BlockType, BrCast, BrTable, Catch, HeapType, Instr, MemArg, OpKind, RefType};

use crate::names::Space;
use crate::num;
use crate::Printer;

impl Printer<'_, '_> {
    /// One instruction: mnemonic and immediates (`label` is the ordinal of a
    /// block instruction, for its label name).
    pub(crate) fn instr(&mut self, ins: &Instr, label: u32) {
        self.out.push_str(ins.mnemonic());
        if ins.opens_block() {
            if let Some(id) = self.labels.get(label) {
                self.out.push(' ');
                self.out.push_str(&id.text);
                if let Some(a) = &id.annot {
                    self.out.push(' ');
                    self.out.push_str(a);
                }
            }
        }
        self.immediates(ins);
        if ins.opens_block()
            && self.opts.label_comments
            && self.line_comments
            && self.labels.get(label).is_none()
        {
            // The depth this block's label has inside it (1 = outermost).
            // wasm2wat puts two spaces before the comment, wasmprinter
            // (whose layout nested modules follow) one.
            self.out.push_str(if self.nested.is_some() {
                " ;; label = @"
            } else {
                "  ;; label = @"
            });
            num::push_u32(&mut self.out, self.label_stack.len() as u32 + 1);
            self.open_line_comment = Some(self.comment_depth);
        }
    }

    /// ` (;$name;)` after a branch depth whose label has a plain identifier
    /// (quoted ones could hold `;)`, so they get no comment).
    fn label_note(&mut self, depth: u32) {
        let len = self.label_stack.len();
        if self.opts.label_comments {
            // `(;@N;)`: the depth of the target label counted from the
            // function's own label (@0), as wasm2wat numbers them.
            let target = len.checked_sub(depth as usize);
            let named = target
                .and_then(|t| t.checked_sub(1))
                .and_then(|at| self.label_stack.get(at))
                .is_some_and(|&ord| self.labels.get(ord).is_some());
            if let (Some(n), false) = (target, named) {
                self.out.push_str(" (;@");
                num::push_u32(&mut self.out, n as u32);
                self.out.push_str(";)");
                return;
            }
        }
        if self.labels.is_empty() {
            return;
        }
        let Some(at) = len
            .checked_sub(1)
            .and_then(|t| t.checked_sub(depth as usize))
        else {
            return;
        };
        let Some(&ord) = self.label_stack.get(at) else {
            return;
        };
        if let Some(id) = self.labels.get(ord) {
            if !id.text.contains('"') {
                self.out.push_str(" (;");
                self.out.push_str(&id.text);
                self.out.push_str(";)");
            }
        }
    }

    /// A branch target as wasmprinter writes it: the label's identifier
    /// when it has one that no label in between repeats, else the depth
    /// with a `(;@N;)` comment (none for the function's own label).
    fn wasmprinter_label(&mut self, depth: u32) {
        self.out.push(' ');
        let Some(i) = self.label_stack.len().checked_sub(depth as usize) else {
            num::push_u32(&mut self.out, depth);
            self.out.push_str(" (; INVALID ;)");
            return;
        };
        let id = i
            .checked_sub(1)
            .and_then(|at| self.label_stack.get(at))
            .and_then(|&ord| self.labels.get(ord));
        let conflict = id.is_some_and(|id| {
            self.label_stack[i..]
                .iter()
                .any(|&o| self.labels.get(o).is_some_and(|x| x.text == id.text))
        });
        match id {
            Some(id) if !conflict => {
                let text = id.text.clone();
                self.out.push_str(&text);
            }
            _ => {
                num::push_u32(&mut self.out, depth);
                if !conflict && i > 0 {
                    self.out.push_str(" (;@");
                    num::push_u32(&mut self.out, i as u32);
                    self.out.push_str(";)");
                }
            }
        }
    }

    #[inline]
    fn space_u32(&mut self, v: u32) {
        self.out.push(' ');
        num::push_u32(&mut self.out, v);
    }

    /// A branch depth, with its label's name as a comment.
    pub(crate) fn imm_label(&mut self, l: &u32) {
        if self.nested.is_some() {
            self.wasmprinter_label(*l);
            return;
        }
        self.space_u32(*l);
        self.label_note(*l);
    }

    /// A function index.
    pub(crate) fn imm_func(&mut self, f: &u32) {
        self.out.push(' ');
        self.push_ref(|ids| &ids.funcs, *f);
    }

    /// A type index.
    pub(crate) fn imm_type_idx(&mut self, t: &u32) {
        self.out.push(' ');
        self.push_ref(|ids| &ids.types, *t);
    }

    /// A table index (always printed).
    pub(crate) fn imm_table_opt(&mut self, t: &u32) {
        self.out.push(' ');
        self.push_ref(|ids| &ids.tables, *t);
    }

    /// A memory index, omitted for memory 0.
    pub(crate) fn imm_mem_idx(&mut self, m: &u32) {
        if *m != 0 {
            self.out.push(' ');
            self.push_ref(|ids| &ids.memories, *m);
        }
    }

    /// A local index, by name where it has one.
    pub(crate) fn imm_local(&mut self, x: &u32) {
        self.out.push(' ');
        match self.locals.get(*x) {
            Some(id) => self.out.push_str(&id.text),
            None => num::push_u32(&mut self.out, *x),
        }
    }

    /// A global index.
    pub(crate) fn imm_global(&mut self, g: &u32) {
        self.out.push(' ');
        self.push_ref(|ids| &ids.globals, *g);
    }

    /// A tag index.
    pub(crate) fn imm_tag(&mut self, t: &u32) {
        self.out.push(' ');
        self.push_ref(|ids| &ids.tags, *t);
    }

    /// A data segment index.
    pub(crate) fn imm_data(&mut self, d: &u32) {
        self.out.push(' ');
        self.push_ref(|ids| &ids.datas, *d);
    }

    /// An element segment index.
    pub(crate) fn imm_elem(&mut self, e: &u32) {
        self.out.push(' ');
        self.push_ref(|ids| &ids.elems, *e);
    }

    /// A field of struct type `ty`, by its name where it has one.
    pub(crate) fn imm_field(&mut self, ty: &u32, f: &u32) {
        self.out.push(' ');
        self.build_fields_of(*ty);
        match self.fields.get(ty).and_then(|s| s.get(*f)) {
            Some(id) => self.out.push_str(&id.text),
            None => num::push_u32(&mut self.out, *f),
        }
    }

    /// Builds the field identifiers of struct type `ty` on first use.
    pub(crate) fn build_fields_of(&mut self, ty: u32) {
        let Some(names) = self.names else { return };
        if self.fields.contains_key(&ty) {
            return;
        }
        let count = self
            .m
            .types
            .get(ty as usize)
            .and_then(|t| t.as_struct())
            .map_or(0, <[_]>::len);
        let space = names
            .fields
            .iter()
            .find(|(t, _)| *t == ty)
            .map(|(_, m)| Space::build_for(m, count as u64, "field", self.nested.is_some()))
            .unwrap_or_default();
        self.fields.insert(ty, space);
    }

    /// A count (`array.new_fixed`).
    pub(crate) fn imm_count(&mut self, n: &u32) {
        self.space_u32(*n);
    }

    /// A block type: ` (result t)` or ` (type x)`.
    pub(crate) fn imm_block_type(&mut self, bt: &BlockType) {
        match *bt {
            BlockType::Empty => {}
            BlockType::Value(t) => {
                self.out.push_str(" (result ");
                self.push_valtype(t);
                self.out.push(')');
            }
            BlockType::Func(t) => {
                self.out.push_str(" (type ");
                self.push_ref(|ids| &ids.types, t);
                self.out.push(')');
                // wasmprinter spells the signature out after the type use.
                if self.nested.is_some() {
                    let ft = self
                        .m
                        .types
                        .get(t as usize)
                        .filter(|d| d.describes.is_none() && d.descriptor.is_none())
                        .and_then(|d| d.as_func());
                    if let Some(ft) = ft {
                        self.push_sig(ft, None);
                    }
                }
            }
        }
    }

    /// `br_table`'s labels.
    pub(crate) fn imm_br_table(&mut self, t: &BrTable) {
        for &l in t.targets.iter() {
            self.imm_label(&l);
        }
        self.imm_label(&t.default);
    }

    /// A heap type.
    pub(crate) fn imm_heap_type(&mut self, h: &HeapType) {
        self.out.push(' ');
        self.push_heaptype(*h);
    }

    /// A reference type (`ref.test`, `ref.cast`).
    pub(crate) fn imm_cast_ref(&mut self, r: &RefType) {
        self.out.push(' ');
        self.push_reftype(*r);
    }

    /// `label from to` of `br_on_cast`.
    pub(crate) fn imm_br_cast(&mut self, c: &BrCast) {
        self.imm_label(&c.label);
        self.imm_cast_ref(&c.from);
        self.imm_cast_ref(&c.to);
    }

    /// `i32.const`'s value.
    pub(crate) fn imm_i32(&mut self, v: &i32) {
        self.out.push(' ');
        num::push_i64(&mut self.out, i64::from(*v));
    }

    /// `i64.const`'s value.
    pub(crate) fn imm_i64(&mut self, v: &i64) {
        self.out.push(' ');
        num::push_i64(&mut self.out, *v);
    }

    /// `f32.const`'s value, exactly.
    pub(crate) fn imm_f32(&mut self, b: &u32) {
        self.out.push(' ');
        if self.nested.is_some() {
            let shown = f32::from_bits(*b).to_string();
            num::push_hex_float(&mut self.out, u64::from(*b), 8, 23, &shown);
        } else {
            num::push_f32(&mut self.out, *b);
        }
    }

    /// `f64.const`'s value, exactly.
    pub(crate) fn imm_f64(&mut self, b: &u64) {
        self.out.push(' ');
        if self.nested.is_some() {
            let shown = f64::from_bits(*b).to_string();
            num::push_hex_float(&mut self.out, *b, 11, 52, &shown);
        } else {
            num::push_f64(&mut self.out, *b);
        }
    }

    /// `v128.const`'s lanes.
    pub(crate) fn imm_v128(&mut self, b: &[u8; 16]) {
        self.out.push(' ');
        num::push_v128(&mut self.out, b);
    }

    /// `i8x16.shuffle`'s lane indices.
    pub(crate) fn imm_shuffle(&mut self, l: &[u8; 16]) {
        for &x in l.iter() {
            self.space_u32(u32::from(x));
        }
    }

    /// A lane index.
    pub(crate) fn imm_lane(&mut self, l: &u8) {
        self.space_u32(u32::from(*l));
    }

    /// `[mem] [offset=N] [align=N]`, each only when not the default.
    pub(crate) fn imm_memarg(&mut self, m: &MemArg, kind: OpKind) {
        let (memory, offset, align) = (m.memory, m.offset, m.align);
        self.imm_mem_idx(&memory);
        if offset != 0 {
            self.out.push_str(" offset=");
            num::push_u64(&mut self.out, offset);
        }
        if Some(align) != kind.natural_align() {
            // An alignment of 2^64 or more has no text spelling; such a
            // module is malformed anyway, so the hint is dropped.
            if let Some(a) = 1u64.checked_shl(u32::from(align)) {
                self.out.push_str(" align=");
                num::push_u64(&mut self.out, a);
            }
        }
    }

    /// `call_indirect`/`return_call_indirect`: the table unless 0, then
    /// ` (type x)`.
    pub(crate) fn rule_call_indirect(&mut self, ins: &Instr) {
        let (Instr::CallIndirect { type_idx, table }
        | Instr::ReturnCallIndirect { type_idx, table }) = ins
        else {
            return;
        };
        if *table != 0 {
            self.out.push(' ');
            self.push_ref(|ids| &ids.tables, *table);
        }
        self.out.push_str(" (type ");
        self.push_ref(|ids| &ids.types, *type_idx);
        self.out.push(')');
    }

    /// `select (result t*)`.
    pub(crate) fn rule_select(&mut self, ins: &Instr) {
        if let Instr::SelectT(ts) = ins {
            self.out.push_str(" (result");
            for t in ts.iter() {
                self.out.push(' ');
                self.push_valtype(*t);
            }
            self.out.push(')');
        }
    }

    /// `table.init table elem`.
    pub(crate) fn rule_table_init(&mut self, ins: &Instr) {
        if let Instr::TableInit { elem, table } = ins {
            self.imm_table_opt(table);
            self.imm_elem(elem);
        }
    }

    /// `memory.init memory? data`.
    pub(crate) fn rule_memory_init(&mut self, ins: &Instr) {
        if let Instr::MemoryInit { data, memory } = ins {
            self.imm_mem_idx(memory);
            self.imm_data(data);
        }
    }

    /// `table.copy dst src` (always), `memory.copy dst src` (unless both 0).
    pub(crate) fn rule_pair(&mut self, ins: &Instr) {
        match *ins {
            Instr::TableCopy {
                dst_table,
                src_table,
            } => {
                self.imm_table_opt(&dst_table);
                self.imm_table_opt(&src_table);
            }
            Instr::MemoryCopy {
                dst_memory,
                src_memory,
            } if dst_memory != 0 || src_memory != 0 => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.memories, dst_memory);
                self.out.push(' ');
                self.push_ref(|ids| &ids.memories, src_memory);
            }
            _ => {}
        }
    }

    /// `try_table`'s block type, then its catch clauses.
    pub(crate) fn rule_try_table(&mut self, ins: &Instr) {
        let Instr::TryTable(t) = ins else { return };
        self.imm_block_type(&t.block_type);
        for c in &t.catches {
            self.out.push_str(" (");
            self.out.push_str(c.code().1);
            if let Catch::Catch { tag, .. } | Catch::CatchRef { tag, .. } = c {
                self.imm_tag(tag);
            }
            self.imm_label(&c.label());
            self.out.push(')');
        }
    }
}

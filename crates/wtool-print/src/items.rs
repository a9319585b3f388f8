//! Module-level items: types, imports, functions, tables, memories, tags,
//! globals, exports, start, element and data segments, custom sections.

use wtool_ast::{
    CompositeType, CustomPlace, CustomSection, DataMode, DataSegment, ElemItems, ElemMode, Export,
    Expr, ExternKind, FieldType, FuncType, GlobalType, HeapType, ImportDesc, IndirectNameMap,
    Limits, MemoryType, Names, RefType, SectionId, StorageType, TableType, TypeDef, ValType,
};

use crate::names::Space;
use crate::num;
use crate::parallel::WINDOW;
use crate::{Ids, Printer};

/// Functions declaring more locals than this get them summarised.
pub(crate) const MAX_LOCALS: u64 = 1 << 20;

/// The text group a section's items are printed in.
fn group_of(s: SectionId) -> SectionId {
    match s {
        SectionId::Function => SectionId::Code,
        SectionId::DataCount => SectionId::Element,
        other => other,
    }
}

/// The order items are printed in (text order; imports must precede definitions).
const GROUPS: [SectionId; 11] = [
    SectionId::Type,
    SectionId::Import,
    SectionId::Code,
    SectionId::Table,
    SectionId::Memory,
    SectionId::Tag,
    SectionId::Global,
    SectionId::Export,
    SectionId::Start,
    SectionId::Element,
    SectionId::Data,
];

/// The order wasmprinter prints a module nested in a component in: the
/// binary's section order (functions where their bodies are).
const BINARY_GROUPS: [SectionId; 11] = [
    SectionId::Type,
    SectionId::Import,
    SectionId::Table,
    SectionId::Memory,
    SectionId::Tag,
    SectionId::Global,
    SectionId::Export,
    SectionId::Start,
    SectionId::Element,
    SectionId::Code,
    SectionId::Data,
];

/// The `(before …)` / `(after …)` clause of a custom section's placement.
pub(crate) fn place_text(place: CustomPlace) -> &'static str {
    use SectionId::*;
    match place {
        CustomPlace::Before(Type) => "(before first)",
        CustomPlace::After(Data) => "(after last)",
        CustomPlace::Before(Import) => "(before import)",
        CustomPlace::Before(Function) => "(before func)",
        CustomPlace::Before(Table) => "(before table)",
        CustomPlace::Before(Memory) => "(before memory)",
        CustomPlace::Before(Tag) => "(before tag)",
        CustomPlace::Before(Global) => "(before global)",
        CustomPlace::Before(Export) => "(before export)",
        CustomPlace::Before(Start) => "(before start)",
        CustomPlace::Before(Element) => "(before elem)",
        // The text format has no data-count anchor; these are the same gaps.
        CustomPlace::Before(DataCount) => "(after elem)",
        CustomPlace::After(DataCount) => "(before code)",
        CustomPlace::Before(Code) => "(before code)",
        CustomPlace::Before(Data) => "(before data)",
        CustomPlace::After(Type) => "(after type)",
        CustomPlace::After(Import) => "(after import)",
        CustomPlace::After(Function) => "(after func)",
        CustomPlace::After(Table) => "(after table)",
        CustomPlace::After(Memory) => "(after memory)",
        CustomPlace::After(Tag) => "(after tag)",
        CustomPlace::After(Global) => "(after global)",
        CustomPlace::After(Export) => "(after export)",
        CustomPlace::After(Start) => "(after start)",
        CustomPlace::After(Element) => "(after elem)",
        CustomPlace::After(Code) => "(after code)",
        CustomPlace::Before(Custom) | CustomPlace::After(Custom) => "(after last)",
    }
}

impl Printer<'_, '_> {
    /// The whole module.
    pub(crate) fn module(&mut self) {
        if let Some((header, _)) = self.nested {
            self.out.push_str(header);
        } else {
            self.out.push_str("(module");
        }
        if let (Some(id), None) = (&self.ids.module, self.nested) {
            for part in [Some(&id.text), id.annot.as_ref()].into_iter().flatten() {
                if !part.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(part);
                }
            }
        }
        // With names on, the name section is normally rebuilt from the
        // identifiers, and text tools put that one after every other custom
        // section; a name section followed by other custom sections stays an
        // annotation in its place instead, so the section order survives.
        let customs: Vec<(usize, &CustomSection)> = if self.opts.skip_custom {
            Vec::new()
        } else {
            let last_name = self.m.customs.iter().rposition(|c| c.name == "name");
            let name_is_last = last_name.is_none_or(|p| p + 1 == self.m.customs.len());
            self.m
                .customs
                .iter()
                .enumerate()
                // wasmprinter never prints a nested module's name section.
                .filter(|(_, c)| {
                    !(c.name == "name"
                        && (self.nested.is_some() || (self.names.is_some() && name_is_last)))
                })
                .collect()
        };
        let groups = if self.nested.is_some() {
            BINARY_GROUPS
        } else {
            GROUPS
        };
        for group in groups {
            for &(i, c) in &customs {
                if let CustomPlace::Before(s) = c.place {
                    if group_of(s) == group {
                        self.custom(i, c);
                    }
                }
            }
            match group {
                SectionId::Type => self.types(),
                SectionId::Import => self.imports(),
                SectionId::Code => self.funcs(),
                SectionId::Table => self.tables(),
                SectionId::Memory => self.memories(),
                SectionId::Tag => self.tags(),
                SectionId::Global => self.globals(),
                SectionId::Export => self.exports(),
                SectionId::Start => self.start(),
                SectionId::Element => self.elems(),
                _ => self.datas(),
            }
            for &(i, c) in &customs {
                if let CustomPlace::After(s) = c.place {
                    if group_of(s) == group || (s == SectionId::Custom && group == SectionId::Data)
                    {
                        self.custom(i, c);
                    }
                }
            }
            self.maybe_flush();
        }
        for &(i, c) in &customs {
            if let CustomPlace::Before(SectionId::Custom) = c.place {
                self.custom(i, c);
            }
        }
        // wasmprinter closes a nested module that spans lines on a line
        // of its own (counted: streaming may have flushed `out` already).
        if self.nested.is_some() && self.newlines > 0 {
            self.newline(0);
        }
        self.out.push_str(")\n");
    }

    /// Custom section `i` of the module.
    fn custom(&mut self, i: usize, c: &CustomSection) {
        self.newline(1);
        if self.nested.is_some() && c.name == "producers" {
            // wasmprinter's own syntax for the producers section (its
            // bytes may have been left in the input by the lazy decoder).
            let left = self.parts.and_then(|l| l.parts.custom(l.bytes, i));
            if let Some(fields) = producers(left.unwrap_or(&c.data)) {
                self.out.push_str("(@producers");
                for (field, values) in &fields {
                    for (name, version) in values {
                        self.newline(2);
                        self.out.push('(');
                        self.out.push_str(field);
                        self.out.push(' ');
                        self.push_name_lit(name);
                        self.out.push(' ');
                        self.push_name_lit(version);
                        self.out.push(')');
                    }
                }
                if fields.iter().any(|f| !f.1.is_empty()) {
                    self.newline(1);
                }
                self.out.push(')');
                return;
            }
        }
        self.out.push_str("(@custom ");
        self.push_name_lit(&c.name);
        self.out.push(' ');
        if self.nested.is_some() {
            let place = self.nested_place(i);
            self.out.push_str(&place);
        } else {
            self.out.push_str(place_text(c.place));
        }
        self.out.push(' ');
        if let Some(bytes) = self.parts.and_then(|l| l.parts.custom(l.bytes, i)) {
            // Left in the input by the lazy decoder: printed straight from it.
            self.push_bytes_streamed(bytes);
        } else if c.name == "name" && c.data.is_empty() {
            // An empty payload means "the decoded names"; with names off they
            // are not printed as identifiers, so keep them as bytes.
            let bytes = self
                .m
                .names
                .as_ref()
                .map(|n| {
                    let mut v = Vec::new();
                    wtool_binary::encode_names(&mut v, n);
                    v
                })
                .unwrap_or_default();
            num::push_bytes_str(&mut self.out, &bytes);
        } else {
            self.push_bytes_streamed(&c.data);
        }
        self.out.push(')');
    }

    /// wasmprinter's placement of custom section `i` in a nested module:
    /// after the last non-custom section before it in the binary (the data
    /// count section does not count), or before the first.
    fn nested_place(&self, i: usize) -> String {
        let mut seen_customs = 0;
        let mut last = None;
        for s in &self.m.sections {
            if s.id == 0 {
                if seen_customs == i {
                    break;
                }
                seen_customs += 1;
            } else if s.id != 12 {
                last = Some(s.id);
            }
        }
        let name = match last {
            None => return "(before first)".to_string(),
            Some(1) => "type",
            Some(2) => "import",
            Some(3) => "func",
            Some(4) => "table",
            Some(5) => "memory",
            Some(13) => "tag",
            Some(6) => "global",
            Some(7) => "export",
            Some(8) => "start",
            Some(9) => "elem",
            Some(10) => "code",
            _ => "data",
        };
        format!("(after {name})")
    }

    /// A name (import, export, custom section) as a string literal, with
    /// wasmprinter's escapes in a module nested in a component.
    pub(crate) fn push_name_lit(&mut self, s: &str) {
        if self.nested.is_some() {
            num::push_str_lit_wasmprinter(&mut self.out, s);
        } else {
            num::push_str_lit(&mut self.out, s);
        }
    }

    /// `bytes` as a string literal, written out in pieces when streaming so
    /// that a large segment or section never sits whole in the buffer.
    fn push_bytes_streamed(&mut self, bytes: &[u8]) {
        const PIECE: usize = 1 << 14;
        self.out.push('"');
        for piece in bytes.chunks(PIECE) {
            if self.nested.is_some() {
                num::push_bytes_body_wasmprinter(&mut self.out, piece);
            } else {
                num::push_bytes_body(&mut self.out, piece);
            }
            self.maybe_flush();
        }
        self.out.push('"');
    }

    fn types(&mut self) {
        for (start, len, explicit) in self.m.type_groups() {
            let depth = if explicit {
                self.newline(1);
                self.out.push_str("(rec");
                2
            } else {
                1
            };
            for i in start..start.saturating_add(len) {
                if let Some(t) = self.m.types.get(i as usize) {
                    self.newline(depth);
                    self.type_def(i, t);
                }
                self.maybe_flush();
            }
            if explicit {
                // wasmprinter closes a non-empty group on a line of its own.
                if self.nested.is_some() && len > 0 {
                    self.newline(1);
                }
                self.out.push(')');
            }
        }
    }

    /// `(type $t (sub final? $super* (describes x)? (descriptor y)? comptype))`.
    fn type_def(&mut self, i: u32, t: &TypeDef) {
        self.out.push_str("(type");
        self.push_def(|ids| &ids.types, i);
        if let Some(sub) = &t.sub {
            self.out.push_str(" (sub");
            if sub.is_final {
                self.out.push_str(" final");
            }
            for &s in &sub.supertypes {
                self.out.push(' ');
                self.push_ref(|ids| &ids.types, s);
            }
        }
        if let Some(d) = t.describes {
            self.out.push_str(" (describes ");
            self.push_ref(|ids| &ids.types, d);
            self.out.push(')');
        }
        if let Some(d) = t.descriptor {
            self.out.push_str(" (descriptor ");
            self.push_ref(|ids| &ids.types, d);
            self.out.push(')');
        }
        match &t.composite {
            CompositeType::Func(ft) => {
                self.out.push_str(" (func");
                let params = self.param_names(|n| &n.type_params, i, ft.params.len());
                self.push_sig(ft, Some(&params));
                self.out.push(')');
            }
            CompositeType::Struct(fields) => {
                self.out.push_str(" (struct");
                self.build_fields_of(i);
                for (k, f) in fields.iter().enumerate() {
                    self.out.push_str(" (field ");
                    let id = self.fields.get(&i).and_then(|s| s.get(k as u32));
                    if let Some(id) = id {
                        self.out.push_str(&id.text);
                        if let Some(a) = &id.annot {
                            self.out.push(' ');
                            self.out.push_str(a);
                        }
                        self.out.push(' ');
                    }
                    self.push_fieldtype(*f);
                    self.out.push(')');
                }
                self.out.push(')');
            }
            CompositeType::Array(f) => {
                self.out.push_str(" (array ");
                self.push_fieldtype(*f);
                self.out.push(')');
            }
        }
        if t.sub.is_some() {
            self.out.push(')');
        }
        self.out.push(')');
    }

    fn push_fieldtype(&mut self, f: FieldType) {
        let storage = |p: &mut Self| match f.storage {
            StorageType::I8 => p.out.push_str("i8"),
            StorageType::I16 => p.out.push_str("i16"),
            StorageType::Val(t) => p.push_valtype(t),
        };
        if f.mutable {
            self.out.push_str("(mut ");
            storage(self);
            self.out.push(')');
        } else {
            storage(self);
        }
    }

    /// ` (param …) (result …)`; with `locals`, named params print one by one.
    pub(crate) fn push_sig(&mut self, ft: &FuncType, locals: Option<&Space>) {
        let named = locals.is_some_and(|l| !l.is_empty());
        if named {
            let mut open = false;
            for (k, t) in ft.params.iter().enumerate() {
                match locals.and_then(|l| l.get(k as u32)) {
                    Some(id) => {
                        if open {
                            self.out.push(')');
                            open = false;
                        }
                        self.out.push_str(" (param ");
                        self.out.push_str(&id.text);
                        if let Some(a) = &id.annot {
                            self.out.push(' ');
                            self.out.push_str(a);
                        }
                        self.out.push(' ');
                        self.push_valtype(*t);
                        self.out.push(')');
                    }
                    None => {
                        if !open {
                            self.out.push_str(" (param");
                            open = true;
                        }
                        self.out.push(' ');
                        self.push_valtype(*t);
                    }
                }
            }
            if open {
                self.out.push(')');
            }
        } else if !ft.params.is_empty() {
            self.out.push_str(" (param");
            for t in ft.params.iter() {
                self.out.push(' ');
                self.push_valtype(*t);
            }
            self.out.push(')');
        }
        if !ft.results.is_empty() {
            self.out.push_str(" (result");
            for t in ft.results.iter() {
                self.out.push(' ');
                self.push_valtype(*t);
            }
            self.out.push(')');
        }
    }

    /// A value type, with type identifiers for concrete references.
    pub(crate) fn push_valtype(&mut self, t: ValType) {
        match t {
            ValType::I32 => self.out.push_str("i32"),
            ValType::I64 => self.out.push_str("i64"),
            ValType::F32 => self.out.push_str("f32"),
            ValType::F64 => self.out.push_str("f64"),
            ValType::V128 => self.out.push_str("v128"),
            ValType::Ref(r) => self.push_reftype(r),
        }
    }

    pub(crate) fn push_reftype(&mut self, r: RefType) {
        match (r.nullable, r.heap) {
            (true, HeapType::Func) => self.out.push_str("funcref"),
            (true, HeapType::Extern) => self.out.push_str("externref"),
            // wasmprinter, whose layout nested modules follow, writes every
            // nullable abstract reference type in its short form.
            (true, heap) if self.nested.is_some() && heap.type_index().is_none() => {
                let kw = match heap {
                    HeapType::None => "null",
                    HeapType::NoExtern => "nullextern",
                    HeapType::NoFunc => "nullfunc",
                    HeapType::NoExn => "nullexn",
                    h => h.keyword().unwrap_or_default(),
                };
                self.out.push_str(kw);
                self.out.push_str("ref");
            }
            (nullable, heap) => {
                self.out
                    .push_str(if nullable { "(ref null " } else { "(ref " });
                self.push_heaptype(heap);
                self.out.push(')');
            }
        }
    }

    pub(crate) fn push_heaptype(&mut self, h: HeapType) {
        match h {
            HeapType::Concrete(i) => self.push_ref(|ids| &ids.types, i),
            HeapType::Exact(i) => {
                self.out.push_str("(exact ");
                self.push_ref(|ids| &ids.types, i);
                self.out.push(')');
            }
            other => self.out.push_str(other.keyword().unwrap_or("func")),
        }
    }

    /// ` (type N) (param …) (result …)` of a function use.
    pub(crate) fn push_typeuse(&mut self, type_idx: u32, locals: Option<&Space>) {
        self.out.push_str(" (type ");
        self.push_ref(|ids| &ids.types, type_idx);
        self.out.push(')');
        if let Some(ft) = self.m.func_type(type_idx) {
            self.push_sig(ft, locals);
        }
    }

    fn imports(&mut self) {
        let (mut nf, mut nt, mut nm, mut ng, mut ntag) = (0u32, 0u32, 0u32, 0u32, 0u32);
        let inline = self.opts.inline_imports;
        for imp in &self.m.imports {
            self.newline(1);
            let kind = imp.desc.kind();
            let index = match kind {
                ExternKind::Func => nf,
                ExternKind::Table => nt,
                ExternKind::Memory => nm,
                ExternKind::Global => ng,
                ExternKind::Tag => ntag,
            };
            // `(import "m" "n" (func $f …))`, or inline: `(func $f (export …)? (import "m" "n") …)`.
            let import_clause = |p: &mut Self| {
                p.out.push_str("(import ");
                p.push_name_lit(&imp.module);
                p.out.push(' ');
                p.push_name_lit(&imp.name);
            };
            if inline {
                self.out.push('(');
                self.out.push_str(kind.keyword());
            } else {
                import_clause(self);
                self.out.push_str(" (");
                self.out.push_str(kind.keyword());
            }
            let space: fn(&Ids) -> &Space = match kind {
                ExternKind::Func => |ids| &ids.funcs,
                ExternKind::Table => |ids| &ids.tables,
                ExternKind::Memory => |ids| &ids.memories,
                ExternKind::Global => |ids| &ids.globals,
                ExternKind::Tag => |ids| &ids.tags,
            };
            self.push_def(space, index);
            if inline {
                self.inline_exports(kind, index);
                self.out.push(' ');
                import_clause(self);
                self.out.push(')');
            }
            match &imp.desc {
                ImportDesc::Func(t) => {
                    let locals = self.func_locals(nf, u64::from(u32::MAX));
                    if imp.exact {
                        self.out.push_str(" (exact");
                        self.push_typeuse(*t, Some(&locals));
                        self.out.push(')');
                    } else {
                        self.push_typeuse(*t, Some(&locals));
                    }
                    nf += 1;
                }
                ImportDesc::Table(t) => {
                    self.push_tabletype(t);
                    nt += 1;
                }
                ImportDesc::Memory(m) => {
                    self.push_memtype(m);
                    nm += 1;
                }
                ImportDesc::Global(g) => {
                    self.out.push(' ');
                    self.push_globaltype(*g);
                    ng += 1;
                }
                ImportDesc::Tag(t) => {
                    let params = self.tag_param_names(ntag, *t);
                    self.push_typeuse(*t, Some(&params));
                    ntag += 1;
                }
            }
            self.out.push_str(if inline { ")" } else { "))" });
            self.maybe_flush();
        }
    }

    /// ` (export "name")` for each export of this definition, when exports
    /// are written inline; those are then left out of the export list.
    pub(crate) fn inline_exports(&mut self, kind: ExternKind, index: u32) {
        let Some(list) = self.exports_of.get(&(kind, index)) else {
            return;
        };
        for &k in list {
            if let Some(e) = self.m.exports.get(k) {
                self.out.push_str(" (export ");
                num::push_str_lit(&mut self.out, &e.name);
                self.out.push(')');
            }
            if let Some(done) = self.inlined.get_mut(k) {
                *done = true;
            }
        }
    }

    /// Identifiers of the parameters named in `map(names)` for item `idx`
    /// (a function type or a tag) with `count` parameters.
    fn param_names(&self, map: fn(&Names) -> &IndirectNameMap, idx: u32, count: usize) -> Space {
        self.names
            .and_then(|n| map(n).iter().find(|(i, _)| *i == idx))
            .map(|(_, m)| Space::build_for(m, count as u64, "param", self.nested.is_some()))
            .unwrap_or_default()
    }

    /// Parameter identifiers of tag `tag` of type `ty`.
    fn tag_param_names(&self, tag: u32, ty: u32) -> Space {
        let count = self.m.func_type(ty).map_or(0, |f| f.params.len());
        self.param_names(|n| &n.tag_params, tag, count)
    }

    /// Identifiers of function `idx`'s params and locals (empty without names).
    pub(crate) fn func_locals(&self, idx: u32, limit: u64) -> Space {
        let given = match (self.names, self.ids.locals_at.get(&idx)) {
            (Some(n), Some(&k)) => n.locals.get(k).map(|(_, map)| map),
            _ => None,
        };
        let made = match (self.names, self.namer) {
            (Some(_), Some(namer)) => namer.locals(idx, given),
            _ => None,
        };
        match made.as_ref().or(given) {
            Some(map) => Space::build_for(map, limit, "local", self.nested.is_some()),
            None => Space::default(),
        }
    }

    /// Identifiers of function `idx`'s labels (empty without names); with
    /// its `body`, the namer may make them.
    pub(crate) fn func_labels(&self, idx: u32, body: Option<&Expr>) -> Space {
        let given = match (self.names, self.ids.labels_at.get(&idx)) {
            (Some(n), Some(&k)) => n.labels.get(k).map(|(_, map)| map),
            _ => None,
        };
        let made = match (self.names, self.namer, body) {
            (Some(_), Some(namer), Some(body)) => namer.labels(idx, body, given),
            _ => None,
        };
        match made.as_ref().or(given) {
            Some(map) if self.nested.is_some() => Space::build_for(map, 0, "label", true),
            Some(map) => Space::labels(map),
            None => Space::default(),
        }
    }

    fn push_limits(&mut self, l: &Limits) {
        self.out.push(' ');
        num::push_u64(&mut self.out, l.min);
        if let Some(max) = l.max {
            self.out.push(' ');
            num::push_u64(&mut self.out, max);
        }
    }

    fn push_tabletype(&mut self, t: &TableType) {
        if t.index64 {
            self.out.push_str(" i64");
        }
        self.push_limits(&t.limits);
        self.out.push(' ');
        self.push_reftype(t.elem);
    }

    fn push_memtype(&mut self, m: &MemoryType) {
        if m.index64 {
            self.out.push_str(" i64");
        }
        self.push_limits(&m.limits);
        if m.shared {
            self.out.push_str(" shared");
        }
        if let Some(p) = m.page_size_log2 {
            self.out.push_str(" (pagesize ");
            num::push_u64(&mut self.out, 1u64.checked_shl(p).unwrap_or(0));
            self.out.push(')');
        }
    }

    fn push_globaltype(&mut self, g: GlobalType) {
        if g.mutable {
            self.out.push_str("(mut ");
            self.push_valtype(g.ty);
            self.out.push(')');
        } else {
            self.push_valtype(g.ty);
        }
    }

    fn funcs(&mut self) {
        if self.threads > 1 && self.sink.is_some() && self.m.funcs.len() >= 4 * WINDOW {
            return self.funcs_parallel();
        }
        for k in 0..self.m.funcs.len() {
            if !self.func(k) {
                return;
            }
            self.maybe_flush();
        }
    }

    fn tables(&mut self) {
        let base = self.imported(ExternKind::Table);
        for (k, t) in self.m.tables.iter().enumerate() {
            self.newline(1);
            self.out.push_str("(table");
            self.push_def(|ids| &ids.tables, base.wrapping_add(k as u32));
            self.inline_exports(ExternKind::Table, base.wrapping_add(k as u32));
            self.push_tabletype(&t.ty);
            if let Some(init) = &t.init {
                self.out.push(' ');
                self.const_expr(init, None);
            }
            self.out.push(')');
        }
    }

    fn memories(&mut self) {
        let base = self.imported(ExternKind::Memory);
        for (k, m) in self.m.memories.iter().enumerate() {
            self.newline(1);
            self.out.push_str("(memory");
            self.push_def(|ids| &ids.memories, base.wrapping_add(k as u32));
            self.inline_exports(ExternKind::Memory, base.wrapping_add(k as u32));
            self.push_memtype(m);
            self.out.push(')');
        }
    }

    fn tags(&mut self) {
        let base = self.imported(ExternKind::Tag);
        for (k, t) in self.m.tags.iter().enumerate() {
            self.newline(1);
            self.out.push_str("(tag");
            let idx = base.wrapping_add(k as u32);
            self.push_def(|ids| &ids.tags, idx);
            self.inline_exports(ExternKind::Tag, idx);
            let params = self.tag_param_names(idx, t.type_idx);
            self.push_typeuse(t.type_idx, Some(&params));
            self.out.push(')');
        }
    }

    fn globals(&mut self) {
        let base = self.imported(ExternKind::Global);
        for (k, g) in self.m.globals.iter().enumerate() {
            self.newline(1);
            self.out.push_str("(global");
            self.push_def(|ids| &ids.globals, base.wrapping_add(k as u32));
            self.inline_exports(ExternKind::Global, base.wrapping_add(k as u32));
            self.out.push(' ');
            self.push_globaltype(g.ty);
            self.out.push(' ');
            self.const_expr(&g.init, None);
            self.out.push(')');
            self.maybe_flush();
        }
    }

    fn exports(&mut self) {
        let left = self
            .parts
            .and_then(|l| l.parts.read_exports(l.bytes, l.features));
        if let Some(exports) = left {
            // The decoder read them once already, so none fails here.
            for e in exports.flatten() {
                self.export(&e);
            }
            return;
        }
        for (k, e) in self.m.exports.iter().enumerate() {
            if self.inlined.get(k) == Some(&true) {
                continue;
            }
            self.export(e);
        }
    }

    /// One export of the export list.
    fn export(&mut self, e: &Export) {
        self.newline(1);
        self.out.push_str("(export ");
        self.push_name_lit(&e.name);
        self.out.push_str(" (");
        self.out.push_str(e.kind.keyword());
        self.out.push(' ');
        let space: fn(&Ids) -> &Space = match e.kind {
            ExternKind::Func => |ids| &ids.funcs,
            ExternKind::Table => |ids| &ids.tables,
            ExternKind::Memory => |ids| &ids.memories,
            ExternKind::Global => |ids| &ids.globals,
            ExternKind::Tag => |ids| &ids.tags,
        };
        self.push_ref(space, e.index);
        self.out.push_str("))");
        self.maybe_flush();
    }

    fn start(&mut self) {
        if let Some(s) = self.m.start {
            self.newline(1);
            self.out.push_str("(start ");
            self.push_ref(|ids| &ids.funcs, s);
            self.out.push(')');
        }
    }

    fn elems(&mut self) {
        for (k, e) in self.m.elems.iter().enumerate() {
            self.newline(1);
            self.out.push_str("(elem");
            self.push_def(|ids| &ids.elems, k as u32);
            let exprs_funcref = matches!(e.items, ElemItems::Exprs(_)) && e.ty == RefType::FUNCREF;
            match &e.mode {
                ElemMode::Passive => {}
                ElemMode::Declarative => self.out.push_str(" declare"),
                ElemMode::Active { table, offset } => {
                    // The short encodings (flags 0 and 4) mean table 0 with
                    // funcref items; anything else needs `(table N)`.
                    let short = !e.explicit_index
                        && *table == 0
                        && (matches!(e.items, ElemItems::Funcs(_)) || exprs_funcref);
                    if !short {
                        self.out.push_str(" (table ");
                        self.push_ref(|ids| &ids.tables, *table);
                        self.out.push(')');
                    }
                    self.out.push(' ');
                    self.const_expr(offset, Some("offset"));
                }
            }
            match &e.items {
                ElemItems::Funcs(fs) => {
                    self.out.push_str(" func");
                    for (n, &f) in fs.iter().enumerate() {
                        self.out.push(' ');
                        self.push_ref(|ids| &ids.funcs, f);
                        if n % 256 == 255 {
                            self.maybe_flush();
                        }
                    }
                }
                ElemItems::Exprs(es) => {
                    self.out.push(' ');
                    self.push_reftype(e.ty);
                    for x in es {
                        self.out.push(' ');
                        self.const_expr(x, Some("item"));
                        self.maybe_flush();
                    }
                }
            }
            self.out.push(')');
            self.maybe_flush();
        }
    }

    fn datas(&mut self) {
        if let Some(l) = self.parts {
            if let Some(left) = &l.parts.data_section {
                // Left in the input: each segment decoded, printed, dropped.
                for (k, seg) in left.read(l.bytes, l.features).enumerate() {
                    match seg {
                        Ok((d, r)) => {
                            let bytes = l.bytes.get(r.start as usize..r.end as usize);
                            self.data(k, &d, bytes.unwrap_or_default());
                        }
                        Err(e) => {
                            // Checked when decoded, so only a wrong input
                            // gets here; nothing after it is written.
                            self.body_error.get_or_insert(e);
                            self.sink_off();
                            return;
                        }
                    }
                }
                return;
            }
        }
        for (k, d) in self.m.datas.iter().enumerate() {
            let bytes = self.parts.and_then(|l| l.parts.data(l.bytes, k));
            self.data(k, d, bytes.unwrap_or(&d.data));
        }
    }

    /// Data segment `k`, its bytes given apart (they may be in the input).
    fn data(&mut self, k: usize, d: &DataSegment, bytes: &[u8]) {
        self.newline(1);
        self.out.push_str("(data");
        self.push_def(|ids| &ids.datas, k as u32);
        if let DataMode::Active { memory, offset } = &d.mode {
            if *memory != 0 || d.explicit_index {
                self.out.push_str(" (memory ");
                self.push_ref(|ids| &ids.memories, *memory);
                self.out.push(')');
            }
            self.out.push(' ');
            self.const_expr(offset, Some("offset"));
        }
        self.out.push(' ');
        self.push_bytes_streamed(bytes);
        self.out.push(')');
        self.maybe_flush();
    }

    /// A constant expression on one line: `(i32.const 0)` for a single
    /// instruction, else `(kw instr*)`; with `kw == None` (globals, table
    /// initialisers) the instructions are written bare.
    fn const_expr(&mut self, e: &Expr, kw: Option<&str>) {
        let body = match e.instrs.split_last() {
            Some((wtool_ast::Instr::End, rest)) => rest,
            _ => &e.instrs[..],
        };
        let single = body.len() == 1 && !body.iter().any(|i| i.opens_block());
        match kw {
            Some(_) if single => {
                self.out.push('(');
                self.instr(&body[0], 0);
                self.out.push(')');
            }
            Some(kw) => {
                self.out.push('(');
                self.out.push_str(kw);
                if !body.is_empty() {
                    self.out.push(' ');
                    self.inline_instrs(body);
                }
                self.out.push(')');
            }
            None => self.inline_instrs(body),
        }
    }
}

/// One field of a `producers` section: its name (`language`,
/// `processed-by`, `sdk`) and (name, version) pairs.
pub type ProducersField = (String, Vec<(String, String)>);

/// The fields of a `producers` custom section, or `None` when it does not
/// parse whole.
pub fn producers(data: &[u8]) -> Option<Vec<ProducersField>> {
    let mut r = wtool_binary::reader::Reader::new(data);
    let (n, _) = r.count().ok()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let field = r.name().ok()?.to_string();
        let (m, _) = r.count().ok()?;
        let mut values = Vec::new();
        for _ in 0..m {
            values.push((r.name().ok()?.to_string(), r.name().ok()?.to_string()));
        }
        out.push((field, values));
    }
    r.at_end().then_some(out)
}

//! Instructions: one instruction's text, flat sequences, and folded trees.
//!
//! Folding is presentation only: a folded tree `(op a b)` prints `a b op`, and
//! every node's children are the entries immediately before it, so the
//! instruction order is exactly the input order whatever arities are used.
//! Arities (from the opcode table, the module's types and the enclosing
//! labels) only decide how much gets nested; where one is unknown
//! (out-of-range index, invalid module) the instruction simply takes no
//! children and yields nothing foldable. Both building and printing use
//! explicit stacks.

use wtool_ast::{BlockType, Instr, MemArg, OpKind};

use crate::num;
use crate::Printer;

const NONE: u32 = u32::MAX;

/// A node of a folded tree.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// Index of the instruction in the sequence.
    instr: u32,
    /// Operand children (for `if`, its condition), a range of `Scratch::kids`.
    kids: (u32, u32),
    /// Block body or `then` branch.
    body: (u32, u32),
    /// `else` branch.
    els: (u32, u32),
    /// Index of the `else` instruction, or `NONE`.
    else_at: u32,
    /// Label ordinal of a block (for label names).
    label: u32,
    /// `block`/`loop`/`if` (printed with a body).
    block: bool,
    /// A stray `else`/`end` that cannot be folded: printed bare.
    raw: bool,
}

impl Node {
    fn new(instr: usize) -> Node {
        Node {
            instr: instr as u32,
            kids: (0, 0),
            body: (0, 0),
            els: (0, 0),
            else_at: NONE,
            label: 0,
            block: false,
            raw: false,
        }
    }
}

/// An open block while building.
#[derive(Clone, Copy, Debug)]
struct Frame {
    node: u32,
    base: usize,
    /// Values a branch to this label carries.
    label_arity: Option<u32>,
    /// Values the block leaves.
    results: Option<u32>,
    is_if: bool,
    in_else: bool,
}

/// Printing work items.
#[derive(Clone, Copy, Debug)]
enum Work {
    Node(u32, u32),
    Then(u32, u32),
    Else(u32, u32),
    Close,
    /// Closes a node that opened a label scope.
    CloseScope,
}

/// Buffers reused across functions.
#[derive(Default)]
pub(crate) struct Scratch {
    nodes: Vec<Node>,
    kids: Vec<u32>,
    stack: Vec<(u32, u32)>,
    frames: Vec<Frame>,
    work: Vec<Work>,
}

impl Printer<'_, '_> {
    /// A function body (without its final `end`), each instruction on its own line.
    pub(crate) fn func_body(&mut self, body: &wtool_ast::Expr, results: Option<u32>) {
        if self.opts.fold {
            self.folded(&body.instrs, results, 2, false);
        } else {
            self.flat(&body.instrs, 2, false);
        }
    }

    /// Instructions of a constant expression on one line.
    pub(crate) fn inline_instrs(&mut self, instrs: &[Instr]) {
        if self.opts.fold {
            self.folded(instrs, None, 0, true);
        } else {
            self.flat(instrs, 0, true);
        }
    }

    #[inline]
    fn brk(&mut self, depth: usize, inline: bool, first: &mut bool) {
        if inline {
            if !*first {
                self.out.push(' ');
            }
        } else {
            self.newline(depth);
        }
        *first = false;
    }

    fn flat(&mut self, instrs: &[Instr], base: usize, inline: bool) {
        self.label_stack.clear();
        self.line_comments = !inline;
        let mut depth = 0usize;
        let mut label = 0u32;
        let mut first = true;
        let last = instrs.len().wrapping_sub(1);
        for (i, ins) in instrs.iter().enumerate() {
            match ins {
                Instr::End => {
                    if depth == 0 && i == last {
                        break;
                    }
                    depth = depth.saturating_sub(1);
                    self.label_stack.pop();
                    self.brk(base + depth, inline, &mut first);
                    self.out.push_str("end");
                }
                Instr::Else => {
                    self.brk(base + depth.saturating_sub(1), inline, &mut first);
                    self.out.push_str("else");
                }
                Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                    self.brk(base + depth, inline, &mut first);
                    self.comment_depth = base + depth;
                    self.instr(ins, label);
                    self.label_stack.push(label);
                    label = label.wrapping_add(1);
                    depth += 1;
                }
                _ => {
                    self.brk(base + depth, inline, &mut first);
                    self.instr(ins, 0);
                }
            }
            if i % 4096 == 4095 {
                self.maybe_flush();
            }
        }
    }

    /// Arity of a block type: (params, results).
    fn block_arity(&self, bt: BlockType) -> Option<(u32, u32)> {
        match bt {
            BlockType::Empty => Some((0, 0)),
            BlockType::Value(_) => Some((0, 1)),
            BlockType::Func(t) => self
                .m
                .func_type(t)
                .map(|f| (f.params.len() as u32, f.results.len() as u32)),
        }
    }

    /// (operands popped, results pushed), if known.
    fn arity(
        &self,
        ins: &Instr,
        frames: &[Frame],
        func_results: Option<u32>,
    ) -> Option<(u32, u32)> {
        let label = |l: u32| -> Option<u32> {
            let l = l as usize;
            if l < frames.len() {
                frames.get(frames.len() - 1 - l).and_then(|f| f.label_arity)
            } else if l == frames.len() {
                func_results
            } else {
                None
            }
        };
        let call = |t: Option<u32>| {
            t.and_then(|t| self.m.func_type(t))
                .map(|f| (f.params.len() as u32, f.results.len() as u32))
        };
        Some(match ins {
            Instr::Unreachable | Instr::Nop => (0, 0),
            Instr::Br(l) => (label(*l)?, 0),
            Instr::BrIf(l) => {
                let a = label(*l)?;
                (a.checked_add(1)?, a)
            }
            Instr::BrTable(t) => (label(t.default)?.checked_add(1)?, 0),
            Instr::Return => (func_results?, 0),
            Instr::Call(f) => call(self.func_type_idx(*f))?,
            Instr::CallIndirect { type_idx, .. } => {
                let (p, r) = call(Some(*type_idx))?;
                (p.checked_add(1)?, r)
            }
            Instr::Drop => (1, 0),
            Instr::Select | Instr::SelectT(_) => (3, 1),
            Instr::LocalGet(_) | Instr::GlobalGet(_) => (0, 1),
            Instr::LocalSet(_) | Instr::GlobalSet(_) => (1, 0),
            Instr::LocalTee(_) => (1, 1),
            Instr::TableGet(_) => (1, 1),
            Instr::TableSet(_) => (2, 0),
            Instr::TableInit { .. } | Instr::TableCopy { .. } | Instr::TableFill(_) => (3, 0),
            Instr::ElemDrop(_) | Instr::DataDrop(_) => (0, 0),
            Instr::TableGrow(_) => (2, 1),
            Instr::TableSize(_) | Instr::MemorySize(_) => (0, 1),
            Instr::MemoryGrow(_) => (1, 1),
            Instr::MemoryInit { .. } | Instr::MemoryCopy { .. } | Instr::MemoryFill(_) => (3, 0),
            Instr::I32Const(_)
            | Instr::I64Const(_)
            | Instr::F32Const(_)
            | Instr::F64Const(_)
            | Instr::V128Const(_)
            | Instr::RefNull(_)
            | Instr::RefFunc(_) => (0, 1),
            Instr::I8x16Shuffle(_) => (2, 1),
            Instr::RefIsNull => (1, 1),
            Instr::Plain(op) | Instr::Mem(op, _) | Instr::Lane(op, _) => {
                let i = op.info();
                (i.params.len() as u32, i.results.len() as u32)
            }
            Instr::MemLane(m) => {
                let i = m.op.info();
                (i.params.len() as u32, i.results.len() as u32)
            }
            Instr::Block(_) | Instr::Loop(_) | Instr::If(_) | Instr::Else | Instr::End => {
                return None
            }
        })
    }

    fn folded(&mut self, instrs: &[Instr], func_results: Option<u32>, base: usize, inline: bool) {
        let mut s = std::mem::take(&mut self.scratch);
        s.nodes.clear();
        s.kids.clear();
        s.stack.clear();
        s.frames.clear();
        s.work.clear();
        let mut label = 0u32;
        let last = instrs.len().wrapping_sub(1);
        // Moves the entries above `from` into the kids arena as one range.
        fn drain(s: &mut Scratch, from: usize) -> (u32, u32) {
            let start = s.kids.len() as u32;
            let from = from.min(s.stack.len());
            s.kids.extend(s.stack.drain(from..).map(|(n, _)| n));
            (start, s.kids.len() as u32)
        }
        for (i, ins) in instrs.iter().enumerate() {
            let base_len = s.frames.last().map_or(0, |f| f.base);
            match ins {
                Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                    let ar = self.block_arity(*bt);
                    let mut node = Node::new(i);
                    node.block = true;
                    node.label = label;
                    label = label.wrapping_add(1);
                    let is_if = matches!(ins, Instr::If(_));
                    if is_if && s.stack.len() > base_len && s.stack.last().is_some_and(|e| e.1 == 1)
                    {
                        let top = s.stack.len() - 1;
                        node.kids = drain(&mut s, top);
                    }
                    let id = s.nodes.len() as u32;
                    s.nodes.push(node);
                    let label_arity = match ins {
                        Instr::Loop(_) => ar.map(|a| a.0),
                        _ => ar.map(|a| a.1),
                    };
                    s.frames.push(Frame {
                        node: id,
                        base: s.stack.len(),
                        label_arity,
                        results: ar.map(|a| a.1),
                        is_if,
                        in_else: false,
                    });
                }
                Instr::Else if s.frames.last().is_some_and(|f| f.is_if && !f.in_else) => {
                    if let Some(f) = s.frames.last().copied() {
                        let r = drain(&mut s, f.base);
                        if let Some(n) = s.nodes.get_mut(f.node as usize) {
                            n.body = r;
                            n.else_at = i as u32;
                        }
                        if let Some(f) = s.frames.last_mut() {
                            f.in_else = true;
                        }
                    }
                }
                Instr::End if !s.frames.is_empty() => {
                    if let Some(f) = s.frames.pop() {
                        let r = drain(&mut s, f.base);
                        if let Some(n) = s.nodes.get_mut(f.node as usize) {
                            if f.in_else {
                                n.els = r;
                            } else {
                                n.body = r;
                            }
                        }
                        s.stack.push((f.node, f.results.unwrap_or(0)));
                    }
                }
                Instr::End if i == last => break,
                Instr::Else | Instr::End => {
                    let mut node = Node::new(i);
                    node.raw = true;
                    s.stack.push((s.nodes.len() as u32, 0));
                    s.nodes.push(node);
                }
                _ => {
                    let (pops, pushes) = self.arity(ins, &s.frames, func_results).unwrap_or((0, 0));
                    let mut need = pops;
                    let mut k = s.stack.len();
                    while need > 0 && k > base_len {
                        let r = s.stack[k - 1].1;
                        if r == 0 || r > need {
                            break;
                        }
                        need -= r;
                        k -= 1;
                    }
                    let mut node = Node::new(i);
                    if need == 0 && k < s.stack.len() {
                        node.kids = drain(&mut s, k);
                    }
                    s.stack.push((s.nodes.len() as u32, pushes));
                    s.nodes.push(node);
                }
            }
        }
        // Blocks left open (only in malformed input) are closed implicitly.
        while let Some(f) = s.frames.pop() {
            let r = drain(&mut s, f.base);
            if let Some(n) = s.nodes.get_mut(f.node as usize) {
                if f.in_else {
                    n.els = r;
                } else {
                    n.body = r;
                }
            }
            s.stack.push((f.node, 0));
        }
        for k in (0..s.stack.len()).rev() {
            let n = s.stack[k].0;
            s.work.push(Work::Node(n, base as u32));
        }
        let mut first = true;
        let mut printed = 0usize;
        self.label_stack.clear();
        self.line_comments = !inline;
        while let Some(w) = s.work.pop() {
            match w {
                Work::Close | Work::CloseScope => {
                    if matches!(w, Work::CloseScope) {
                        self.label_stack.pop();
                    }
                    // `)` after a `;; label` comment would be commented out.
                    if let Some(d) = self.open_line_comment {
                        self.newline(d);
                    }
                    self.out.push(')');
                }
                Work::Then(n, d) | Work::Else(n, d) => {
                    let then = matches!(w, Work::Then(..));
                    self.brk(d as usize, inline, &mut first);
                    self.out.push_str(if then { "(then" } else { "(else" });
                    s.work.push(Work::CloseScope);
                    if let Some(node) = s.nodes.get(n as usize) {
                        // The branches are in the `if`'s label scope; its
                        // condition (printed before them) is not.
                        self.label_stack.push(node.label);
                        let (a, b) = if then { node.body } else { node.els };
                        for k in (a..b).rev() {
                            if let Some(&c) = s.kids.get(k as usize) {
                                s.work.push(Work::Node(c, d + 1));
                            }
                        }
                    }
                }
                Work::Node(n, d) => {
                    let Some(node) = s.nodes.get(n as usize).copied() else {
                        continue;
                    };
                    let Some(ins) = instrs.get(node.instr as usize) else {
                        continue;
                    };
                    self.brk(d as usize, inline, &mut first);
                    self.comment_depth = d as usize;
                    printed += 1;
                    if printed.is_multiple_of(4096) {
                        self.maybe_flush();
                    }
                    if node.raw {
                        self.out.push_str(ins.mnemonic());
                        continue;
                    }
                    self.out.push('(');
                    self.instr(ins, node.label);
                    let has_kids = node.kids.0 < node.kids.1;
                    if !node.block && !has_kids {
                        self.out.push(')');
                        continue;
                    }
                    let is_if = matches!(ins, Instr::If(_));
                    if node.block && !is_if {
                        self.label_stack.push(node.label);
                        s.work.push(Work::CloseScope);
                    } else {
                        s.work.push(Work::Close);
                    }
                    if node.block {
                        if is_if {
                            if node.else_at != NONE {
                                s.work.push(Work::Else(n, d + 1));
                            }
                            s.work.push(Work::Then(n, d + 1));
                        } else {
                            for k in (node.body.0..node.body.1).rev() {
                                if let Some(&c) = s.kids.get(k as usize) {
                                    s.work.push(Work::Node(c, d + 1));
                                }
                            }
                        }
                    }
                    for k in (node.kids.0..node.kids.1).rev() {
                        if let Some(&c) = s.kids.get(k as usize) {
                            s.work.push(Work::Node(c, d + 1));
                        }
                    }
                }
            }
        }
        self.scratch = s;
    }

    /// One instruction: mnemonic and immediates (`label` is the ordinal of a
    /// block instruction, for its label name).
    pub(crate) fn instr(&mut self, ins: &Instr, label: u32) {
        self.out.push_str(ins.mnemonic());
        match ins {
            Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                if let Some(id) = self.labels.get(label) {
                    self.out.push(' ');
                    self.out.push_str(&id.text);
                    if let Some(a) = &id.annot {
                        self.out.push(' ');
                        self.out.push_str(a);
                    }
                }
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
                    }
                }
                if self.opts.label_comments
                    && self.line_comments
                    && self.labels.get(label).is_none()
                {
                    // The depth this block's label has inside it (1 = outermost).
                    self.out.push_str("  ;; label = @");
                    num::push_u32(&mut self.out, self.label_stack.len() as u32 + 1);
                    self.open_line_comment = Some(self.comment_depth);
                }
            }
            Instr::Br(l) | Instr::BrIf(l) => {
                self.space_u32(*l);
                self.label_note(*l);
            }
            Instr::BrTable(t) => {
                for &l in t.targets.iter() {
                    self.space_u32(l);
                    self.label_note(l);
                }
                self.space_u32(t.default);
                self.label_note(t.default);
            }
            Instr::Call(f) | Instr::RefFunc(f) => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.funcs, *f);
            }
            Instr::CallIndirect { type_idx, table } => {
                if *table != 0 {
                    self.out.push(' ');
                    self.push_ref(|ids| &ids.tables, *table);
                }
                self.out.push_str(" (type ");
                self.push_ref(|ids| &ids.types, *type_idx);
                self.out.push(')');
            }
            Instr::SelectT(t) => {
                self.out.push_str(" (result ");
                self.push_valtype(*t);
                self.out.push(')');
            }
            Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) => {
                self.out.push(' ');
                match self.locals.get(*x) {
                    Some(id) => self.out.push_str(&id.text),
                    None => num::push_u32(&mut self.out, *x),
                }
            }
            Instr::GlobalGet(g) | Instr::GlobalSet(g) => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.globals, *g);
            }
            Instr::TableGet(t)
            | Instr::TableSet(t)
            | Instr::TableGrow(t)
            | Instr::TableSize(t)
            | Instr::TableFill(t) => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.tables, *t);
            }
            Instr::TableInit { elem, table } => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.tables, *table);
                self.out.push(' ');
                self.push_ref(|ids| &ids.elems, *elem);
            }
            Instr::ElemDrop(e) => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.elems, *e);
            }
            Instr::TableCopy { dst, src } => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.tables, *dst);
                self.out.push(' ');
                self.push_ref(|ids| &ids.tables, *src);
            }
            Instr::MemorySize(m) | Instr::MemoryGrow(m) | Instr::MemoryFill(m) => self.mem_idx(*m),
            Instr::MemoryInit { data, mem } => {
                self.mem_idx(*mem);
                self.out.push(' ');
                self.push_ref(|ids| &ids.datas, *data);
            }
            Instr::DataDrop(d) => {
                self.out.push(' ');
                self.push_ref(|ids| &ids.datas, *d);
            }
            Instr::MemoryCopy { dst, src } => {
                if *dst != 0 || *src != 0 {
                    self.out.push(' ');
                    self.push_ref(|ids| &ids.memories, *dst);
                    self.out.push(' ');
                    self.push_ref(|ids| &ids.memories, *src);
                }
            }
            Instr::I32Const(v) => {
                self.out.push(' ');
                num::push_i64(&mut self.out, i64::from(*v));
            }
            Instr::I64Const(v) => {
                self.out.push(' ');
                num::push_i64(&mut self.out, *v);
            }
            Instr::F32Const(b) => {
                self.out.push(' ');
                num::push_f32(&mut self.out, *b);
            }
            Instr::F64Const(b) => {
                self.out.push(' ');
                num::push_f64(&mut self.out, *b);
            }
            Instr::V128Const(b) => {
                self.out.push(' ');
                num::push_v128(&mut self.out, b);
            }
            Instr::I8x16Shuffle(l) => {
                for &x in l.iter() {
                    self.space_u32(u32::from(x));
                }
            }
            Instr::RefNull(h) => {
                self.out.push(' ');
                self.push_heaptype(*h);
            }
            Instr::Mem(op, m) => self.memarg(*m, op.kind()),
            Instr::Lane(_, l) => self.space_u32(u32::from(*l)),
            Instr::MemLane(ml) => {
                self.memarg(ml.memarg, ml.op.kind());
                self.space_u32(u32::from(ml.lane));
            }
            Instr::Unreachable
            | Instr::Nop
            | Instr::Else
            | Instr::End
            | Instr::Return
            | Instr::Drop
            | Instr::Select
            | Instr::RefIsNull
            | Instr::Plain(_) => {}
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

    #[inline]
    fn space_u32(&mut self, v: u32) {
        self.out.push(' ');
        num::push_u32(&mut self.out, v);
    }

    /// A memory index immediate, omitted for memory 0.
    fn mem_idx(&mut self, m: u32) {
        if m != 0 {
            self.out.push(' ');
            self.push_ref(|ids| &ids.memories, m);
        }
    }

    /// `[mem] [offset=N] [align=N]`, each only when not the default.
    fn memarg(&mut self, m: MemArg, kind: OpKind) {
        let (memory, offset, align) = (m.memory, m.offset, m.align);
        self.mem_idx(memory);
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
}

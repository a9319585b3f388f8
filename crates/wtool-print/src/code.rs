//! Instructions: flat sequences and folded trees (immediates are printed by
//! the code generated from the instruction table, see `imm.rs`).
//!
//! Folding is presentation only: a folded tree `(op a b)` prints `a b op`, and
//! every node's children are the entries immediately before it, so the
//! instruction order is exactly the input order whatever arities are used.
//! Arities (from the instruction table's stack effects, the module's types
//! and the enclosing labels) only decide how much gets nested; where one is
//! unknown (out-of-range index, invalid module) the instruction simply takes
//! no children and yields nothing foldable. Block structure folds as the
//! text format spells it: `(block …)`, `(if … (then …) (else …))`,
//! `(try_table … )`, and the legacy `(try … (do …) (catch x …)*
//! (catch_all …)?)` or `(try … (do …) (delegate l))`. Both building and
//! printing use explicit stacks.

use wtool_ast::{BlockType, FuncType, Instr, StackEnv};

use crate::Printer;

const NONE: u32 = u32::MAX;

/// A node of a folded tree, as built and read (stored as a [`Slim`] node
/// and, for a block, a [`BlockExt`]).
#[derive(Clone, Copy, Debug)]
struct Node {
    /// Index of the instruction in the sequence.
    instr: u32,
    /// Operand children (for `if`, its condition), a range of `Scratch::kids`.
    kids: (u32, u32),
    /// Block body, `then` branch or `do` body.
    body: (u32, u32),
    /// `else` branch.
    els: (u32, u32),
    /// Handler clauses of a legacy `try`, a range of `Scratch::clauses`.
    clauses: (u32, u32),
    /// Index of the `else` instruction, or `NONE`.
    else_at: u32,
    /// Label ordinal of a block (for label names).
    label: u32,
    /// A block instruction (printed with a body).
    block: bool,
    /// A stray `else`/`end`/handler that cannot be folded: printed bare.
    raw: bool,
}

/// How a node is stored: most nodes are plain instructions, so what only
/// blocks have lives in `Scratch::blocks` (16 bytes a node instead of 48:
/// a function of 400,000 instructions folds in a third of the memory).
#[derive(Clone, Copy, Debug)]
struct Slim {
    instr: u32,
    kids: (u32, u32),
    /// Index in `Scratch::blocks`, or `LEAF` or `RAW`.
    ext: u32,
}

const _: () = assert!(std::mem::size_of::<Slim>() == 16);

const LEAF: u32 = u32::MAX;
const RAW: u32 = u32::MAX - 1;

/// A node id with this bit set is a leaf (an instruction with no children,
/// not a block) stored as nothing but its instruction index: most nodes
/// are leaves, and a huge function's tree is the peak of folded printing.
const LEAF_TAG: u32 = 1 << 31;

/// What a block node has beyond a [`Slim`] one.
#[derive(Clone, Copy, Debug)]
struct BlockExt {
    body: (u32, u32),
    els: (u32, u32),
    clauses: (u32, u32),
    else_at: u32,
    label: u32,
}

impl Node {
    fn new(instr: usize) -> Node {
        Node {
            instr: instr as u32,
            kids: (0, 0),
            body: (0, 0),
            els: (0, 0),
            clauses: (0, 0),
            else_at: NONE,
            label: 0,
            block: false,
            raw: false,
        }
    }
}

/// A handler clause of a legacy `try`: the `catch`/`catch_all`/`delegate`
/// instruction and its body (a range of `Scratch::kids`).
#[derive(Clone, Copy, Debug)]
struct Clause {
    instr: u32,
    body: (u32, u32),
}

/// What kind of block a frame is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FrameKind {
    Block,
    If,
    Try,
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
    kind: FrameKind,
    /// Past `else` (if) or past the first handler (try).
    in_else: bool,
    /// Where this try's clauses start in `Scratch::open_clauses`.
    clause_base: usize,
}

/// Printing work items.
#[derive(Clone, Copy, Debug)]
enum Work {
    Node(u32, u32),
    Then(u32, u32),
    Else(u32, u32),
    /// `(do …)` of a try node.
    Do(u32, u32),
    /// A handler clause (index into `Scratch::clauses`) at a depth.
    Clause(u32, u32),
    Close,
    /// Closes a node that opened a label scope.
    CloseScope,
    /// Enters a label scope without printing (a try's handler clauses).
    PushLabel(u32),
    /// Leaves it.
    PopLabel,
}

/// Buffers reused across functions.
#[derive(Default)]
pub(crate) struct Scratch {
    nodes: Vec<Slim>,
    blocks: Vec<BlockExt>,
    kids: Vec<u32>,
    stack: Vec<(u32, u32)>,
    frames: Vec<Frame>,
    work: Vec<Work>,
    clauses: Vec<Clause>,
    open_clauses: Vec<Clause>,
}

impl Scratch {
    /// Stores a node.
    fn push_node(&mut self, n: Node) {
        let ext = if n.block {
            self.blocks.push(BlockExt {
                body: n.body,
                els: n.els,
                clauses: n.clauses,
                else_at: n.else_at,
                label: n.label,
            });
            self.blocks.len() as u32 - 1
        } else if n.raw {
            RAW
        } else {
            LEAF
        };
        self.nodes.push(Slim {
            instr: n.instr,
            kids: n.kids,
            ext,
        });
    }

    /// The block part of node `id`, if it is a block.
    fn block_mut(&mut self, id: u32) -> Option<&mut BlockExt> {
        if id & LEAF_TAG != 0 {
            return None;
        }
        let ext = self.nodes.get(id as usize)?.ext;
        self.blocks.get_mut(ext as usize)
    }

    /// Node `id` as built.
    fn node(&self, id: u32) -> Option<Node> {
        if id & LEAF_TAG != 0 {
            return Some(Node::new((id & !LEAF_TAG) as usize));
        }
        let slim = self.nodes.get(id as usize)?;
        let mut n = Node::new(slim.instr as usize);
        n.kids = slim.kids;
        n.raw = slim.ext == RAW;
        if let Some(b) = self.blocks.get(slim.ext as usize) {
            n.block = true;
            n.body = b.body;
            n.els = b.els;
            n.clauses = b.clauses;
            n.else_at = b.else_at;
            n.label = b.label;
        }
        Some(n)
    }

    /// Lets go of the buffers when an outlier function (over `keep`
    /// instructions) made them big, so that one huge body does not hold
    /// its folding memory for the rest of the run.
    pub(crate) fn trim(&mut self, keep: usize) {
        if self.nodes.capacity() > keep || self.work.capacity() > keep {
            *self = Scratch::default();
        }
    }
}

/// The context the stack effects of instructions need while folding.
struct Env<'p, 'm, 's> {
    p: &'p Printer<'m, 's>,
    frames: &'p [Frame],
    func_results: Option<u32>,
}

impl StackEnv for Env<'_, '_, '_> {
    fn func_type(&self, type_idx: u32) -> Option<&FuncType> {
        self.p.m.func_type(type_idx)
    }

    fn func_type_of(&self, func: u32) -> Option<&FuncType> {
        self.p.m.func_type(self.p.func_type_idx(func)?)
    }

    fn tag_type(&self, tag: u32) -> Option<&FuncType> {
        self.p.m.func_type(self.p.m.tag_type_idx(tag)?)
    }

    fn struct_fields(&self, type_idx: u32) -> Option<u32> {
        StackEnv::struct_fields(self.p.m, type_idx)
    }

    fn label_arity(&self, depth: u32) -> Option<u32> {
        let l = depth as usize;
        let n = self.frames.len();
        if l < n {
            self.frames.get(n - 1 - l).and_then(|f| f.label_arity)
        } else if l == n {
            self.func_results
        } else {
            None
        }
    }

    fn return_arity(&self) -> Option<u32> {
        self.func_results
    }
}

/// Moves the entries above `from` into the kids arena as one range.
fn drain(s: &mut Scratch, from: usize) -> (u32, u32) {
    let start = s.kids.len() as u32;
    let from = from.min(s.stack.len());
    s.kids.extend(s.stack.drain(from..).map(|(n, _)| n));
    (start, s.kids.len() as u32)
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
            if ins.opens_block() {
                self.brk(base + depth, inline, &mut first);
                self.comment_depth = base + depth;
                self.instr(ins, label);
                self.label_stack.push(label);
                label = label.wrapping_add(1);
                depth += 1;
            } else if ins.closes_block() {
                if depth == 0 && i == last {
                    break;
                }
                // `end` and `delegate` leave the block first: delegate's
                // label counts from outside it.
                depth = depth.saturating_sub(1);
                self.label_stack.pop();
                self.brk(base + depth, inline, &mut first);
                self.instr(ins, 0);
            } else if ins.splits_block() {
                self.brk(base + depth.saturating_sub(1), inline, &mut first);
                self.instr(ins, 0);
            } else {
                self.brk(base + depth, inline, &mut first);
                self.instr(ins, 0);
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

    fn folded(&mut self, instrs: &[Instr], func_results: Option<u32>, base: usize, inline: bool) {
        let mut s = std::mem::take(&mut self.scratch);
        s.nodes.clear();
        s.blocks.clear();
        s.kids.clear();
        s.stack.clear();
        s.frames.clear();
        s.work.clear();
        s.clauses.clear();
        s.open_clauses.clear();
        // At most one kid entry per instruction: sized once, not doubled
        // past the need (a big function's tree is the peak). Leaves take
        // no node, so nodes start at half and grow if they must.
        s.nodes.reserve_exact(instrs.len() / 2);
        s.kids.reserve_exact(instrs.len());
        let mut label = 0u32;
        let last = instrs.len().wrapping_sub(1);
        for (i, ins) in instrs.iter().enumerate() {
            let base_len = s.frames.last().map_or(0, |f| f.base);
            let top = s.frames.last().copied();
            match (ins, top) {
                (ins, _) if ins.opens_block() => {
                    let bt = match ins {
                        Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) | Instr::Try(bt) => *bt,
                        Instr::TryTable(t) => t.block_type,
                        _ => BlockType::Empty,
                    };
                    let ar = self.block_arity(bt);
                    let mut node = Node::new(i);
                    node.block = true;
                    node.label = label;
                    label = label.wrapping_add(1);
                    let kind = match ins {
                        Instr::If(_) => FrameKind::If,
                        Instr::Try(_) => FrameKind::Try,
                        _ => FrameKind::Block,
                    };
                    if kind == FrameKind::If
                        && s.stack.len() > base_len
                        && s.stack.last().is_some_and(|e| e.1 == 1)
                    {
                        let top = s.stack.len() - 1;
                        node.kids = drain(&mut s, top);
                    }
                    let id = s.nodes.len() as u32;
                    s.push_node(node);
                    let label_arity = match ins {
                        Instr::Loop(_) => ar.map(|a| a.0),
                        _ => ar.map(|a| a.1),
                    };
                    s.frames.push(Frame {
                        node: id,
                        base: s.stack.len(),
                        label_arity,
                        results: ar.map(|a| a.1),
                        kind,
                        in_else: false,
                        clause_base: s.open_clauses.len(),
                    });
                }
                (Instr::Else, Some(f)) if f.kind == FrameKind::If && !f.in_else => {
                    let r = drain(&mut s, f.base);
                    if let Some(n) = s.block_mut(f.node) {
                        n.body = r;
                        n.else_at = i as u32;
                    }
                    if let Some(f) = s.frames.last_mut() {
                        f.in_else = true;
                    }
                }
                (Instr::Catch(_) | Instr::CatchAll, Some(f)) if f.kind == FrameKind::Try => {
                    self.close_section(&mut s, f);
                    s.open_clauses.push(Clause {
                        instr: i as u32,
                        body: (0, 0),
                    });
                    if let Some(f) = s.frames.last_mut() {
                        f.in_else = true;
                    }
                }
                (Instr::Delegate(_), Some(f)) if f.kind == FrameKind::Try && !f.in_else => {
                    self.close_section(&mut s, f);
                    s.open_clauses.push(Clause {
                        instr: i as u32,
                        body: (0, 0),
                    });
                    self.close_frame(&mut s);
                }
                (Instr::End, Some(f)) => {
                    if f.kind == FrameKind::Try {
                        self.close_section(&mut s, f);
                        self.close_frame(&mut s);
                    } else if let Some(f) = s.frames.pop() {
                        let r = drain(&mut s, f.base);
                        if let Some(n) = s.block_mut(f.node) {
                            if f.in_else {
                                n.els = r;
                            } else {
                                n.body = r;
                            }
                        }
                        s.stack.push((f.node, f.results.unwrap_or(0)));
                    }
                }
                (Instr::End, None) if i == last => break,
                (ins, _) if ins.closes_block() || ins.splits_block() => {
                    let mut node = Node::new(i);
                    node.raw = true;
                    s.stack.push((s.nodes.len() as u32, 0));
                    s.push_node(node);
                }
                _ => {
                    let env = Env {
                        p: self,
                        frames: &s.frames,
                        func_results,
                    };
                    let (pops, pushes) = ins.stack_effect(&env).unwrap_or((0, 0));
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
                    if (need > 0 || k == s.stack.len()) && (i as u32) < LEAF_TAG {
                        s.stack.push((i as u32 | LEAF_TAG, pushes));
                        continue;
                    }
                    let mut node = Node::new(i);
                    if need == 0 && k < s.stack.len() {
                        node.kids = drain(&mut s, k);
                    }
                    s.stack.push((s.nodes.len() as u32, pushes));
                    s.push_node(node);
                }
            }
        }
        // Blocks left open (only in malformed input) are closed implicitly.
        while let Some(f) = s.frames.last().copied() {
            if f.kind == FrameKind::Try {
                self.close_section(&mut s, f);
                self.close_frame(&mut s);
                continue;
            }
            s.frames.pop();
            let r = drain(&mut s, f.base);
            if let Some(n) = s.block_mut(f.node) {
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
        self.print_tree(instrs, &mut s, inline);
        self.scratch = s;
    }

    /// Ends the current section of try frame `f` (its `do` body or the last
    /// handler's body) at the top of the value stack.
    fn close_section(&self, s: &mut Scratch, f: Frame) {
        let r = drain(s, f.base);
        if f.in_else {
            if let Some(c) = s.open_clauses.last_mut() {
                c.body = r;
            }
        } else if let Some(n) = s.block_mut(f.node) {
            n.body = r;
        }
    }

    /// Pops the innermost try frame, moving its clauses into the arena.
    fn close_frame(&self, s: &mut Scratch) {
        let Some(f) = s.frames.pop() else { return };
        let start = s.clauses.len() as u32;
        let from = f.clause_base.min(s.open_clauses.len());
        let moved: Vec<Clause> = s.open_clauses.drain(from..).collect();
        s.clauses.extend(moved);
        let end = s.clauses.len() as u32;
        if let Some(n) = s.block_mut(f.node) {
            n.clauses = (start, end);
        }
        s.stack.push((f.node, f.results.unwrap_or(0)));
    }

    /// Pushes the children in `range` for printing at depth `d`.
    fn push_range(s: &mut Scratch, range: (u32, u32), d: u32) {
        for k in (range.0..range.1).rev() {
            if let Some(&c) = s.kids.get(k as usize) {
                s.work.push(Work::Node(c, d));
            }
        }
    }

    fn print_tree(&mut self, instrs: &[Instr], s: &mut Scratch, inline: bool) {
        let mut first = true;
        let mut printed = 0usize;
        self.label_stack.clear();
        self.line_comments = !inline;
        while let Some(w) = s.work.pop() {
            match w {
                Work::PushLabel(l) => self.label_stack.push(l),
                Work::PopLabel => {
                    self.label_stack.pop();
                }
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
                Work::Then(n, d) | Work::Else(n, d) | Work::Do(n, d) => {
                    let word = match w {
                        Work::Then(..) => "(then",
                        Work::Else(..) => "(else",
                        _ => "(do",
                    };
                    self.brk(d as usize, inline, &mut first);
                    self.out.push_str(word);
                    s.work.push(Work::CloseScope);
                    if let Some(node) = s.node(n) {
                        // The branches are in the block's label scope; an
                        // `if`'s condition (printed before them) is not.
                        self.label_stack.push(node.label);
                        let range = if matches!(w, Work::Else(..)) {
                            node.els
                        } else {
                            node.body
                        };
                        Self::push_range(s, range, d + 1);
                    }
                }
                Work::Clause(c, d) => {
                    let Some(clause) = s.clauses.get(c as usize).copied() else {
                        continue;
                    };
                    let Some(ins) = instrs.get(clause.instr as usize) else {
                        continue;
                    };
                    self.brk(d as usize, inline, &mut first);
                    self.out.push('(');
                    self.instr(ins, 0);
                    s.work.push(Work::Close);
                    Self::push_range(s, clause.body, d + 1);
                }
                Work::Node(n, d) => {
                    self.print_node(instrs, s, n, d, inline, &mut first, &mut printed)
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn print_node(
        &mut self,
        instrs: &[Instr],
        s: &mut Scratch,
        n: u32,
        d: u32,
        inline: bool,
        first: &mut bool,
        printed: &mut usize,
    ) {
        let Some(node) = s.node(n) else {
            return;
        };
        let Some(ins) = instrs.get(node.instr as usize) else {
            return;
        };
        self.brk(d as usize, inline, first);
        self.comment_depth = d as usize;
        *printed += 1;
        if printed.is_multiple_of(4096) {
            self.maybe_flush();
        }
        if node.raw {
            self.instr(ins, 0);
            return;
        }
        self.out.push('(');
        self.instr(ins, node.label);
        let has_kids = node.kids.0 < node.kids.1;
        if !node.block && !has_kids {
            self.out.push(')');
            return;
        }
        let (is_if, is_try) = (matches!(ins, Instr::If(_)), matches!(ins, Instr::Try(_)));
        if node.block && !is_if {
            // A try's delegate clause is outside the try's label scope.
            if is_try {
                s.work.push(Work::Close);
            } else {
                self.label_stack.push(node.label);
                s.work.push(Work::CloseScope);
            }
        } else {
            s.work.push(Work::Close);
        }
        if node.block {
            if is_if {
                if node.else_at != NONE {
                    s.work.push(Work::Else(n, d + 1));
                }
                s.work.push(Work::Then(n, d + 1));
            } else if is_try {
                for c in (node.clauses.0..node.clauses.1).rev() {
                    let delegate = s
                        .clauses
                        .get(c as usize)
                        .and_then(|c| instrs.get(c.instr as usize))
                        .is_some_and(|i| matches!(i, Instr::Delegate(_)));
                    if delegate {
                        s.work.push(Work::Clause(c, d + 1));
                    } else {
                        // Handlers see the try's label (rethrow targets it).
                        s.work.push(Work::PopLabel);
                        s.work.push(Work::Clause(c, d + 1));
                        s.work.push(Work::PushLabel(node.label));
                    }
                }
                s.work.push(Work::Do(n, d + 1));
            } else {
                Self::push_range(s, node.body, d + 1);
            }
        }
        Self::push_range(s, node.kids, d + 1);
    }
}

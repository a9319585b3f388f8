//! Compiles a validated function body once into register-form internal
//! code (see `ins.rs`).
//!
//! The compiler tracks the operand stack as entries with a fixed slot each
//! (its canonical slot: the stack height below it, counted from the frame
//! base after the locals). An entry's value may still be elsewhere: a
//! `local.get` or a constant is not copied, the entry just names the local
//! or holds the constant until something needs it in its slot. Consumers
//! read locals directly and take constants as immediates; `local.set`
//! redirects the result of the instruction just before into the local.
//!
//! Values must sit in their canonical slots wherever control flow merges,
//! so blocks, branches and calls materialize the entries they pass on. A
//! lazy `local.get` also has to be materialized before its local changes
//! (`local.set`/`local.tee`, or any code inside a nested block, which is
//! why block entry materializes them all).
//!
//! Unreachable code (after `br`, `return`, `unreachable`, ...) is skipped
//! entirely, so the compile-time operand stack never has to be polymorphic.

use std::fmt;

mod calls;
mod control;
mod exceptions;
mod gc;
mod mem64;
mod memory;
mod numeric;
mod table;
mod variable;
mod visit;

use std::sync::Arc;

use wtool_ast::{Expr, Func, Instr, Module, ValType};

use crate::compiled::ModuleInfo;
use crate::ins::{Cmp, Ins, Rhs};
use crate::values::slots;

/// A function the compiler cannot handle (only for invalid input, or an
/// instruction the interpreter does not execute yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Function index within the module.
    pub func: u32,
    /// Offset of the offending instruction, if known.
    pub offset: Option<u32>,
    /// What is wrong.
    pub kind: CompileErrorKind,
}

/// Why a function could not be compiled.
#[derive(Clone, Debug)]
pub enum CompileErrorKind {
    /// The body breaks a validation rule the compiler relies on (the input
    /// skipped validation); the spec's wording.
    Invalid(&'static str),
    /// An instruction the interpreter does not execute yet (its mnemonic).
    Unsupported(&'static str),
    /// The body, decoded lazily on first call, could not be read.
    Body(Arc<dyn std::error::Error + Send + Sync>),
    /// Lowering found its own output inconsistent: a bug in the compiler.
    Internal {
        /// The broken invariant.
        what: &'static str,
        /// Index of the internal instruction.
        at: usize,
    },
}

impl PartialEq for CompileErrorKind {
    fn eq(&self, other: &Self) -> bool {
        use CompileErrorKind::*;
        match (self, other) {
            (Invalid(a), Invalid(b)) | (Unsupported(a), Unsupported(b)) => a == b,
            (Body(a), Body(b)) => Arc::ptr_eq(a, b),
            (Internal { what: a, at: x }, Internal { what: b, at: y }) => a == b && x == y,
            _ => false,
        }
    }
}

impl Eq for CompileErrorKind {}

impl fmt::Display for CompileErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompileErrorKind::Invalid(m) => f.write_str(m),
            CompileErrorKind::Unsupported(m) => write!(f, "not supported yet: {m}"),
            CompileErrorKind::Body(e) => write!(f, "cannot read the body: {e}"),
            CompileErrorKind::Internal { what, at } => {
                write!(f, "internal error: {what} at instruction {at}")
            }
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "func {}: {}", self.func, self.kind)?;
        if let Some(o) = self.offset {
            write!(f, " at 0x{o:x}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            CompileErrorKind::Body(e) => Some(&**e),
            _ => None,
        }
    }
}

/// Layout of a compiled function.
pub(crate) struct Compiled {
    pub param_slots: u32,
    pub local_slots: u32,
    pub max_height: u32,
    pub handlers: Vec<crate::exn::HandlerEntry>,
}

/// Where an operand-stack entry's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Src {
    /// In its canonical slot.
    Stack,
    /// In the local at this slot (a `local.get` not yet copied).
    Local(u32),
    /// A constant (slot bits) not yet written anywhere.
    Const(u64),
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    ty: ValType,
    /// Canonical slot.
    pos: u32,
    src: Src,
}

/// How a conditional branch tests its condition.
#[derive(Clone, Copy, Debug)]
enum Cond {
    /// Slot holding an i32, true when non-zero.
    Slot(u32),
    /// A fused i32 comparison.
    Cmp(Cmp, u32, Rhs),
    /// A fused i64 comparison.
    Cmp64(Cmp, u32, Rhs),
    /// `a & imm` (i32), true when non-zero.
    Test(u32, u32),
    /// A float comparison (`Ins::JumpIfF..` with `to` and `neg` to fill).
    Float(Ins),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Loop,
    If,
    Else,
    Func,
}

struct Frame {
    kind: Kind,
    /// Stack length at block entry, below its parameters.
    base_len: usize,
    /// Slot height at block entry, below its parameters.
    base_height: u32,
    params: Vec<ValType>,
    results: Vec<ValType>,
    /// Loop start.
    start: u32,
    /// Positions of branches to patch with the end position.
    patches: Vec<usize>,
    /// The jump of an `if` taken when its condition is false.
    else_patch: Option<usize>,
}

/// True when two types are interchangeable for the executor: equal, or both references.
fn same_shape(a: ValType, b: ValType) -> bool {
    matches!((a, b), (ValType::Ref(_), ValType::Ref(_))) || a == b
}

/// Upper bound on a function's locals (params included) that we compile.
const MAX_LOCALS: u64 = 1_000_000;

struct Compiler<'a> {
    module: &'a Module,
    info: &'a ModuleInfo,
    func: u32,
    code: Vec<Ins>,
    offsets: Vec<u32>,
    cur_offset: u32,
    stack: Vec<Entry>,
    height: u32,
    max_height: u32,
    frames: Vec<Frame>,
    unreachable: bool,
    skip_depth: u32,
    /// Slot and type of each local.
    locals: Vec<(u32, ValType)>,
    /// Lazy `local.get` entries on the stack, per local slot.
    lazy_refs: Vec<u32>,
    /// No entry below this index is a lazy `local.get`.
    lazy_floor: usize,
    /// The last instruction, when it only wrote the top entry's slot.
    last_def: Option<usize>,
    /// Code position of the last jump target: nothing before it may be
    /// fused with what follows.
    label_pos: usize,
    /// Frame slot the executor's stack-form top is known to be at.
    sp_known: Option<u32>,
    /// Store address of memory 0, which register loads and stores use.
    mem0: Option<u32>,
    fuel: bool,
    /// Exception handling state (`exceptions.rs`).
    exn: exceptions::ExnState,
}

/// A function body to compile: decoded, or read from the binary as it is
/// compiled.
pub(crate) enum Body<'a> {
    /// A decoded body.
    Expr(&'a Expr),
    /// A body read from the binary (no legacy `try`: see [`compile_func`]).
    Binary(wtool_binary::BodyReader<'a>),
}

/// Compiles function `index` (module index space) with body `f`, appending
/// to `code`/`offsets`. `entry` is where its code starts.
#[allow(clippy::too_many_arguments)]
pub(crate) fn compile_func(
    module: &Module,
    info: &ModuleInfo,
    index: u32,
    f: &Func,
    body: Body<'_>,
    fuel: bool,
    code: &mut Vec<Ins>,
    offsets: &mut Vec<u32>,
) -> Result<Compiled, CompileError> {
    let err = |m: &'static str| CompileError {
        func: index,
        offset: Some(f.offset),
        kind: CompileErrorKind::Invalid(m),
    };
    let ty = module
        .func_type(f.type_idx)
        .ok_or_else(|| err("unknown type"))?;
    if (ty.params.len() as u64).saturating_add(f.num_locals()) > MAX_LOCALS {
        return Err(err("too many locals"));
    }
    let mut locals = Vec::new();
    let mut off = 0u32;
    for &p in ty.params.iter() {
        locals.push((off, p));
        off += slots(p);
    }
    let param_slots = off;
    for g in &f.locals {
        for _ in 0..g.count {
            locals.push((off, g.ty));
            off += slots(g.ty);
        }
    }
    // Legacy `try` blocks keep their caught exception (for `rethrow`) in
    // slots after the declared locals, zeroed with them. Not above the
    // operand slots: a callee's frame starts at its arguments and would
    // overwrite them while a `catch` body calls out before rethrowing.
    let exn_base = off;
    // Read straight from the binary, the count is not known before the end:
    // zero, and a body that has a `try` fails the check below (the caller
    // then compiles it from a decoded `Expr`).
    let tries = match &body {
        Body::Expr(e) => e
            .instrs
            .iter()
            .filter(|i| matches!(i, Instr::Try(_)))
            .count() as u32,
        Body::Binary(_) => 0,
    };
    off += tries;
    let local_slots = off - param_slots;
    let mut c = Compiler {
        module,
        info,
        func: index,
        code: std::mem::take(code),
        offsets: std::mem::take(offsets),
        cur_offset: f.offset,
        stack: Vec::new(),
        height: off,
        max_height: off,
        frames: Vec::new(),
        unreachable: false,
        skip_depth: 0,
        locals,
        lazy_refs: vec![0; off as usize],
        lazy_floor: 0,
        last_def: None,
        label_pos: 0,
        sp_known: None,
        // The register loads and stores are 32-bit: a memory64 memory 0
        // runs in stack form (`Ins::Mem` with a 64-bit address).
        mem0: (info.memories > 0 && info.mem64.first() == Some(&false)).then_some(0),
        fuel,
        exn: exceptions::ExnState::default(),
    };
    c.frames.push(Frame {
        kind: Kind::Func,
        base_len: 0,
        base_height: off,
        params: Vec::new(),
        results: ty.results.to_vec(),
        start: 0,
        patches: Vec::new(),
        else_patch: None,
    });
    if fuel {
        c.emit(Ins::Fuel);
    }
    let r = match body {
        Body::Expr(e) => c.body(e),
        Body::Binary(rd) => c.stream(rd),
    };
    let (handlers, used) = c.exn.finish(&mut c.code, exn_base);
    *code = c.code;
    *offsets = c.offsets;
    r?;
    // Fewer when a `try` sits in unreachable code the compiler skipped.
    if used > tries {
        return Err(CompileError {
            func: index,
            offset: Some(f.offset),
            kind: CompileErrorKind::Internal {
                what: "legacy exception slots miscounted",
                at: 0,
            },
        });
    }
    Ok(Compiled {
        param_slots,
        local_slots,
        max_height: c.max_height + 4,
        handlers,
    })
}

impl Compiler<'_> {
    /// A validation rule broken at the current instruction.
    fn err(&self, m: &'static str) -> CompileError {
        self.error(CompileErrorKind::Invalid(m))
    }

    /// An error of any kind at the current instruction.
    fn error(&self, kind: CompileErrorKind) -> CompileError {
        CompileError {
            func: self.func,
            offset: Some(self.cur_offset),
            kind,
        }
    }

    fn emit(&mut self, i: Ins) -> usize {
        self.code.push(i);
        self.offsets.push(self.cur_offset);
        self.last_def = None;
        self.code.len() - 1
    }

    /// Emits an instruction that writes only the slot of the entry pushed next.
    fn emit_def(&mut self, i: Ins) {
        let at = self.emit(i);
        self.last_def = Some(at);
    }

    fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    /// A position that jumps land on: what came before is no longer the
    /// only way here.
    fn label(&mut self) {
        self.last_def = None;
        self.sp_known = None;
        self.label_pos = self.code.len();
    }

    fn push(&mut self, ty: ValType, src: Src) -> u32 {
        let pos = self.height;
        if let Src::Local(x) = src {
            if let Some(n) = self.lazy_refs.get_mut(x as usize) {
                *n += 1;
            }
        }
        self.stack.push(Entry { ty, pos, src });
        self.height += slots(ty);
        self.max_height = self.max_height.max(self.height);
        pos
    }

    fn pop(&mut self) -> Result<Entry, CompileError> {
        let floor = self.frames.last().map_or(0, |f| f.base_len);
        if self.stack.len() <= floor && !self.frames.is_empty() {
            // Block parameters sit above base_len, so popping to the floor is an error.
            return Err(self.err("type mismatch"));
        }
        let e = self.stack.pop().ok_or_else(|| self.err("type mismatch"))?;
        if let Src::Local(x) = e.src {
            if let Some(n) = self.lazy_refs.get_mut(x as usize) {
                *n = n.saturating_sub(1);
            }
        }
        self.height = e.pos;
        self.lazy_floor = self.lazy_floor.min(self.stack.len());
        Ok(e)
    }

    /// Pops a value of type `want` (any reference matches a reference: the
    /// executor only needs slot widths to agree).
    fn pop_expect(&mut self, want: ValType) -> Result<Entry, CompileError> {
        let e = self.pop()?;
        if same_shape(e.ty, want) {
            Ok(e)
        } else {
            Err(self.err("type mismatch"))
        }
    }

    /// Checks that the top `tys.len()` entries have types `tys`.
    fn check_top(&self, tys: &[ValType]) -> Result<(), CompileError> {
        let floor = self.frames.last().map_or(0, |f| f.base_len);
        let n = tys.len();
        let ok = self.stack.len() >= floor + n
            && self.stack[self.stack.len() - n..]
                .iter()
                .zip(tys)
                .all(|(e, &t)| same_shape(e.ty, t));
        if ok {
            Ok(())
        } else {
            Err(self.err("type mismatch"))
        }
    }

    /// Pops values of the given types (last first).
    fn pop_types(&mut self, tys: &[ValType]) -> Result<(), CompileError> {
        for &t in tys.iter().rev() {
            self.pop_expect(t)?;
        }
        Ok(())
    }

    /// Checks that the stack holds exactly `tys` above the frame base, as
    /// at the end of a block.
    fn check_exact(&self, base_len: usize, tys: &[ValType]) -> Result<(), CompileError> {
        let ok = self.stack.len() == base_len + tys.len()
            && self.stack[base_len..]
                .iter()
                .zip(tys)
                .all(|(e, &b)| same_shape(e.ty, b));
        if ok {
            Ok(())
        } else {
            Err(self.err("type mismatch"))
        }
    }

    /// Emits code that writes entry `e`'s value into slot `d`.
    fn write(&mut self, d: u32, e: Entry) {
        let two = slots(e.ty) == 2;
        match e.src {
            Src::Stack | Src::Local(_) => {
                let s = match e.src {
                    Src::Local(x) => x,
                    _ => e.pos,
                };
                if s != d {
                    self.emit(if two {
                        Ins::Copy2 { d, s }
                    } else {
                        Ins::Copy { d, s }
                    });
                }
            }
            Src::Const(v) => {
                self.emit(match u32::try_from(v) {
                    Ok(v) => Ins::Const32 { d, v },
                    Err(_) => Ins::Const64 { d, v },
                });
            }
        }
    }

    /// Puts stack entry `i` into its canonical slot.
    fn materialize(&mut self, i: usize) {
        let Some(&e) = self.stack.get(i) else { return };
        if e.src == Src::Stack {
            return;
        }
        self.write(e.pos, e);
        if let Src::Local(x) = e.src {
            if let Some(n) = self.lazy_refs.get_mut(x as usize) {
                *n = n.saturating_sub(1);
            }
        }
        self.stack[i].src = Src::Stack;
    }

    /// Materializes the top `n` entries.
    fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for i in len.saturating_sub(n)..len {
            self.materialize(i);
        }
    }

    /// Materializes every lazy read of the local at slot `x`, before it changes.
    fn materialize_local(&mut self, x: u32) {
        let mut i = self.stack.len();
        while self.lazy_refs.get(x as usize).is_some_and(|&n| n > 0) && i > self.lazy_floor {
            i -= 1;
            if self.stack[i].src == Src::Local(x) {
                self.materialize(i);
            }
        }
    }

    /// Materializes every lazy local read on the stack (at block entry).
    fn materialize_locals(&mut self) {
        for i in self.lazy_floor..self.stack.len() {
            if matches!(self.stack[i].src, Src::Local(_)) {
                self.materialize(i);
            }
        }
        self.lazy_floor = self.stack.len();
    }

    /// The slot to read a popped entry from (constants are written to their
    /// canonical slot first).
    fn reg(&mut self, e: Entry) -> u32 {
        match e.src {
            Src::Stack => e.pos,
            Src::Local(x) => x,
            Src::Const(_) => {
                self.write(e.pos, e);
                e.pos
            }
        }
    }

    /// The instruction that just wrote popped entry `e`, if it wrote nothing else.
    fn def_of(&mut self, e: &Entry) -> Option<usize> {
        let at = self.last_def?;
        if e.src != Src::Stack || slots(e.ty) != 1 || at + 1 != self.code.len() {
            return None;
        }
        let mut i = self.code[at];
        (i.dst_mut().copied() == Some(e.pos)).then_some(at)
    }

    /// Checks module index `i` against a space of `n` entries.
    fn addr(&self, n: usize, i: u32, what: &'static str) -> Result<u32, CompileError> {
        if (i as usize) < n {
            Ok(i)
        } else {
            Err(self.err(what))
        }
    }

    fn local(&self, i: u32) -> Result<(u32, ValType), CompileError> {
        self.locals
            .get(i as usize)
            .copied()
            .ok_or_else(|| self.err("unknown local"))
    }

    fn top_type(&self) -> Result<ValType, CompileError> {
        self.nth_type(0)
    }

    /// The type of the entry `n` below the top.
    fn nth_type(&self, n: usize) -> Result<ValType, CompileError> {
        self.stack
            .len()
            .checked_sub(n + 1)
            .and_then(|i| self.stack.get(i))
            .map(|e| e.ty)
            .ok_or_else(|| self.err("type mismatch"))
    }

    /// Emits a stack-form instruction sequence: its operands go to their
    /// canonical slots and the executor's top of stack is set above them.
    fn stack_op(
        &mut self,
        params: &[ValType],
        results: &[ValType],
        code: &[Ins],
    ) -> Result<(), CompileError> {
        self.check_top(params)?;
        self.materialize_top(params.len());
        let top = self.height;
        self.pop_types(params)?;
        if self.sp_known != Some(top) {
            self.emit(Ins::SetSp(top));
        }
        for &i in code {
            self.emit(i);
        }
        for &r in results {
            self.push(r, Src::Stack);
        }
        self.sp_known = Some(self.height);
        Ok(())
    }

    /// Removes the last instruction (whose work a fused form takes over).
    fn drop_last(&mut self) {
        self.code.pop();
        self.offsets.pop();
        self.last_def = None;
    }
}

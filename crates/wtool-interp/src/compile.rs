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

use wtool_ast::{BlockType, Expr, Func, Instr, Module, Op, ValType};

use crate::compiled::ModuleInfo;
use crate::forms;
use crate::ins::{Cmp, Ins, Rhs};
use crate::values::{slots, NULL_REF};

/// A function the compiler cannot handle (only for invalid input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Function index within the module.
    pub func: u32,
    /// Offset of the offending instruction, if known.
    pub offset: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "func {}: {}", self.func, self.message)?;
        if let Some(o) = self.offset {
            write!(f, " at 0x{o:x}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {}

/// Layout of a compiled function.
pub(crate) struct Compiled {
    pub param_slots: u32,
    pub local_slots: u32,
    pub max_height: u32,
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
}

/// Compiles function `index` (module index space) with body `f`, appending
/// to `code`/`offsets`. `entry` is where its code starts.
#[allow(clippy::too_many_arguments)]
pub(crate) fn compile_func(
    module: &Module,
    info: &ModuleInfo,
    index: u32,
    f: &Func,
    body: &Expr,
    fuel: bool,
    code: &mut Vec<Ins>,
    offsets: &mut Vec<u32>,
) -> Result<Compiled, CompileError> {
    let err = |m: &str| CompileError {
        func: index,
        offset: Some(f.offset),
        message: m.to_string(),
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
        mem0: (info.memories > 0).then_some(0),
        fuel,
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
    let r = c.body(body);
    *code = c.code;
    *offsets = c.offsets;
    r?;
    Ok(Compiled {
        param_slots,
        local_slots,
        max_height: c.max_height + 4,
    })
}

impl Compiler<'_> {
    fn err(&self, m: &str) -> CompileError {
        CompileError {
            func: self.func,
            offset: Some(self.cur_offset),
            message: m.to_string(),
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

    /// A conditional jump to `to` on `c`, fused with a loop step
    /// (`x += imm` just before, `c` testing the new `x`) when it can be.
    fn step_jump(&mut self, c: Cond, to: u32) -> Ins {
        let n = self.code.len();
        let step = match self.code.last() {
            Some(&Ins::I32AddI { d, a, imm }) if d == a && n > self.label_pos => {
                i16::try_from(imm as i32).ok().map(|i| (d, i as u16))
            }
            _ => None,
        };
        let Some((x, imm)) = step else {
            return Self::cond_jump(c, false, to);
        };
        let fused = match c {
            Cond::Slot(s) | Cond::Cmp(Cmp::Ne, s, Rhs::Imm(0)) if s == x => {
                Some(Ins::IncJumpNez { imm, x, to })
            }
            Cond::Cmp(Cmp::Ne, a, Rhs::Slot(b)) if a == x && b != x => {
                Some(Ins::IncJumpNe { imm, x, n: b, to })
            }
            Cond::Cmp(Cmp::Ne, a, Rhs::Slot(b)) if b == x && a != x => {
                Some(Ins::IncJumpNe { imm, x, n: a, to })
            }
            Cond::Cmp(Cmp::LtS, a, Rhs::Slot(b)) if a == x && b != x => {
                Some(Ins::IncJumpLtS { imm, x, n: b, to })
            }
            Cond::Cmp(Cmp::LtU, a, Rhs::Slot(b)) if a == x && b != x => {
                Some(Ins::IncJumpLtU { imm, x, n: b, to })
            }
            _ => None,
        };
        match fused {
            Some(f) => {
                self.drop_last();
                f
            }
            None => Self::cond_jump(c, false, to),
        }
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

    /// Pops an i32 condition, fusing a comparison just before it.
    fn pop_cond(&mut self) -> Result<Cond, CompileError> {
        let e = self.pop_expect(ValType::I32)?;
        if let Some(at) = self.def_of(&e) {
            if let Some((c, a, rhs)) = Cmp::of(self.code[at]) {
                self.drop_last();
                return Ok(Cond::Cmp(c, a, rhs));
            }
        }
        Ok(Cond::Slot(self.reg(e)))
    }

    /// A jump to `to` taken when `c` holds (or fails, with `negate`).
    fn cond_jump(c: Cond, negate: bool, to: u32) -> Ins {
        match c {
            Cond::Slot(s) if negate => Ins::JumpIfEqz { c: s, to },
            Cond::Slot(s) => Ins::JumpIfNez { c: s, to },
            Cond::Cmp(cmp, a, rhs) => {
                let cmp = if negate { cmp.inverse() } else { cmp };
                match (cmp, rhs) {
                    (Cmp::Eq, Rhs::Imm(0)) => Ins::JumpIfEqz { c: a, to },
                    (Cmp::Ne, Rhs::Imm(0)) => Ins::JumpIfNez { c: a, to },
                    _ => cmp.jump(a, rhs, to),
                }
            }
        }
    }

    fn block_type(&self, bt: BlockType) -> Result<(Vec<ValType>, Vec<ValType>), CompileError> {
        Ok(match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Value(t) => (vec![], vec![t]),
            BlockType::Func(i) => {
                let ft = self
                    .module
                    .func_type(i)
                    .ok_or_else(|| self.err("unknown type"))?;
                (ft.params.to_vec(), ft.results.to_vec())
            }
        })
    }

    /// Checks module index `i` against a space of `n` entries.
    fn addr(&self, n: usize, i: u32, what: &str) -> Result<u32, CompileError> {
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

    /// The return of the top `n` entries as the function's results.
    fn return_ins(&mut self, n: usize) -> Ins {
        let len = self.stack.len();
        match n {
            0 => Ins::Return0,
            1 if slots(self.stack[len - 1].ty) == 1 => {
                let e = self.stack[len - 1];
                let s = match e.src {
                    Src::Stack => e.pos,
                    Src::Local(x) => x,
                    Src::Const(_) => {
                        self.materialize(len - 1);
                        e.pos
                    }
                };
                Ins::Return1 { s }
            }
            _ => {
                self.materialize_top(n);
                let from = self.stack[len - n].pos;
                Ins::ReturnN {
                    from,
                    k: self.height - from,
                }
            }
        }
    }

    /// The frame index, value count and target slot of a branch `depth` out.
    fn target(&self, depth: u32) -> Result<(usize, usize, u32), CompileError> {
        let idx = self
            .frames
            .len()
            .checked_sub(1 + depth as usize)
            .ok_or_else(|| self.err("unknown label"))?;
        let f = &self.frames[idx];
        let tys = if f.kind == Kind::Loop {
            &f.params
        } else {
            &f.results
        };
        self.check_top(tys)?;
        Ok((idx, tys.len(), f.base_height))
    }

    /// Emits the copies that move the top `n` entries to the slots from `dst`.
    fn copy_values(&mut self, n: usize, dst: u32) {
        let len = self.stack.len();
        let Some(first) = self.stack.get(len - n).map(|e| e.pos) else {
            return;
        };
        // Destinations are at or below sources, so ascending order never
        // overwrites a value still to be read.
        for i in len - n..len {
            let e = self.stack[i];
            self.write(dst + (e.pos - first), e);
        }
    }

    /// True when the top `n` entries already sit in the slots from `dst`.
    fn values_in_place(&self, n: usize, dst: u32) -> bool {
        let len = self.stack.len();
        self.stack[len - n..]
            .iter()
            .all(|e| e.src == Src::Stack && e.pos >= dst)
            && self.stack.get(len - n).is_none_or(|e| e.pos == dst)
    }

    /// Emits `br depth` (unconditional, or taken when `cond` holds).
    fn branch(&mut self, depth: u32, cond: Option<Cond>) -> Result<(), CompileError> {
        let (idx, n, dst) = self.target(depth)?;
        let kind = self.frames[idx].kind;
        let loop_start = self.frames[idx].start;
        if kind == Kind::Func {
            match cond {
                None => {
                    let r = self.return_ins(n);
                    self.emit(r);
                }
                Some(c) => {
                    let skip = self.emit(Self::cond_jump(c, true, 0));
                    let r = self.return_ins(n);
                    self.emit(r);
                    self.patch(skip, self.pc());
                    self.label();
                }
            }
            return Ok(());
        }
        let to = if kind == Kind::Loop { loop_start } else { 0 };
        let in_place = self.values_in_place(n, dst);
        let at = match cond {
            None => {
                self.copy_values(n, dst);
                self.emit(Ins::Jump(to))
            }
            Some(c) if in_place => {
                let j = self.step_jump(c, to);
                self.emit(j)
            }
            Some(c) => {
                let skip = self.emit(Self::cond_jump(c, true, 0));
                self.copy_values(n, dst);
                let at = self.emit(Ins::Jump(to));
                self.patch(skip, self.pc());
                self.label();
                at
            }
        };
        if kind != Kind::Loop {
            self.frames[idx].patches.push(at);
        }
        Ok(())
    }

    fn patch(&mut self, at: usize, to: u32) {
        if let Some(t) = self.code.get_mut(at).and_then(Ins::target_mut) {
            *t = to;
        }
    }

    /// Resets the stack to `base_len` entries plus `tys` in their slots.
    fn reset_to(&mut self, base_len: usize, base_height: u32, tys: &[ValType]) {
        while self.stack.len() > base_len {
            if self.pop().is_err() {
                break;
            }
        }
        self.stack.truncate(base_len);
        self.lazy_floor = self.lazy_floor.min(base_len);
        self.height = base_height;
        for &t in tys {
            self.push(t, Src::Stack);
        }
    }

    fn body(&mut self, e: &Expr) -> Result<(), CompileError> {
        for (i, ins) in e.instrs.iter().enumerate() {
            if let Some(o) = e.offset_of(i) {
                self.cur_offset = o;
            }
            if self.frames.is_empty() {
                return Err(self.err("operators remaining after end of function"));
            }
            if self.unreachable {
                match ins {
                    Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                        self.skip_depth += 1;
                        continue;
                    }
                    Instr::End | Instr::Else if self.skip_depth > 0 => {
                        if matches!(ins, Instr::End) {
                            self.skip_depth -= 1;
                        }
                        continue;
                    }
                    Instr::End | Instr::Else => {}
                    _ => continue,
                }
            }
            self.instr(ins)?;
        }
        if !self.frames.is_empty() {
            return Err(self.err("unexpected end"));
        }
        Ok(())
    }

    fn instr(&mut self, ins: &Instr) -> Result<(), CompileError> {
        use ValType::*;
        match ins {
            Instr::Unreachable => {
                self.emit(Ins::Unreachable);
                self.unreachable = true;
            }
            Instr::Nop => {}
            Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                let (params, results) = self.block_type(*bt)?;
                let cond = if matches!(ins, Instr::If(_)) {
                    Some(self.pop_cond()?)
                } else {
                    None
                };
                self.check_top(&params)?;
                let np = params.len();
                // Code inside may change any local, and branches deliver
                // values to fixed slots: settle both before entering.
                self.materialize_locals();
                self.materialize_top(np);
                let base_len = self.stack.len() - np;
                let base_height = self.stack.get(base_len).map_or(self.height, |e| e.pos);
                let else_patch = cond.map(|c| self.emit(Self::cond_jump(c, true, 0)));
                let kind = match ins {
                    Instr::Block(_) => Kind::Block,
                    Instr::Loop(_) => Kind::Loop,
                    _ => Kind::If,
                };
                // Branches back to a metered loop re-enter through its fuel check.
                let start = self.pc();
                if kind == Kind::Loop {
                    self.label();
                    if self.fuel {
                        self.emit(Ins::Fuel);
                    }
                }
                self.frames.push(Frame {
                    kind,
                    base_len,
                    base_height,
                    params,
                    results,
                    start,
                    patches: Vec::new(),
                    else_patch,
                });
            }
            Instr::Else => {
                let f = self
                    .frames
                    .last()
                    .ok_or_else(|| self.err("else without if"))?;
                if f.kind != Kind::If {
                    return Err(self.err("else without if"));
                }
                if !self.unreachable {
                    let (bl, res) = (f.base_len, f.results.clone());
                    self.check_exact(bl, &res)?;
                    self.materialize_top(res.len());
                    let j = self.emit(Ins::Jump(0));
                    if let Some(f) = self.frames.last_mut() {
                        f.patches.push(j);
                    }
                }
                let pc = self.pc();
                let e = self.err("else without if");
                let f = self.frames.last_mut().ok_or(e)?;
                f.kind = Kind::Else;
                let ep = f.else_patch.take();
                let (bl, bh, params) = (f.base_len, f.base_height, f.params.clone());
                if let Some(at) = ep {
                    self.patch(at, pc);
                }
                self.reset_to(bl, bh, &params);
                self.unreachable = false;
                self.label();
            }
            Instr::End => {
                let f = self
                    .frames
                    .last()
                    .ok_or_else(|| self.err("unexpected end"))?;
                let (kind, bl, n) = (f.kind, f.base_len, f.results.len());
                if !self.unreachable {
                    let res = f.results.clone();
                    self.check_exact(bl, &res)?;
                    if kind == Kind::If
                        && (f.params.len() != f.results.len()
                            || !f
                                .params
                                .iter()
                                .zip(f.results.iter())
                                .all(|(&a, &b)| same_shape(a, b)))
                    {
                        // An `if` without `else` passes its parameters through.
                        return Err(self.err("type mismatch"));
                    }
                    if kind == Kind::Func {
                        let r = self.return_ins(n);
                        self.emit(r);
                    } else {
                        self.materialize_top(n);
                    }
                }
                let Some(f) = self.frames.pop() else {
                    return Err(self.err("unexpected end"));
                };
                if kind == Kind::Func {
                    self.unreachable = false;
                    return Ok(());
                }
                let end = self.pc();
                for &at in &f.patches {
                    self.patch(at, end);
                }
                if let Some(at) = f.else_patch {
                    self.patch(at, end);
                }
                self.reset_to(f.base_len, f.base_height, &f.results);
                self.unreachable = false;
                self.label();
            }
            Instr::Br(l) => {
                self.branch(*l, None)?;
                self.unreachable = true;
            }
            Instr::BrIf(l) => {
                let c = self.pop_cond()?;
                self.branch(*l, Some(c))?;
            }
            Instr::BrTable(bt) => self.br_table(&bt.targets, bt.default)?,
            Instr::Return => {
                let n = self.frames[0].results.len();
                let res = self.frames[0].results.clone();
                self.check_top(&res)?;
                let r = self.return_ins(n);
                self.emit(r);
                self.unreachable = true;
            }
            Instr::Call(f) => {
                let addr = self.addr(self.info.func_types.len(), *f, "unknown function")?;
                let ti = self
                    .info
                    .func_types
                    .get(*f as usize)
                    .copied()
                    .ok_or_else(|| self.err("unknown function"))?;
                let ft = self
                    .module
                    .func_type(ti)
                    .ok_or_else(|| self.err("unknown type"))?
                    .clone();
                self.check_top(&ft.params)?;
                self.materialize_top(ft.params.len());
                self.pop_types(&ft.params)?;
                let base = self.height;
                self.emit(Ins::Call { func: addr, base });
                self.label();
                for &r in ft.results.iter() {
                    self.push(r, Src::Stack);
                }
            }
            Instr::CallIndirect { type_idx, table } => {
                let taddr = self.addr(self.info.tables as usize, *table, "unknown table")?;
                let tid = self.addr(self.module.types.len(), *type_idx, "unknown type")?;
                let ft = self
                    .module
                    .func_type(tid)
                    .ok_or_else(|| self.err("unknown type"))?
                    .clone();
                let mut tys = ft.params.to_vec();
                tys.push(I32);
                self.check_top(&tys)?;
                self.materialize_top(tys.len());
                let idx = self.pop_expect(I32)?.pos;
                self.pop_types(&ft.params)?;
                self.emit(Ins::CallIndirect {
                    table: taddr,
                    ty: tid,
                    idx,
                });
                self.label();
                for &r in ft.results.iter() {
                    self.push(r, Src::Stack);
                }
            }
            Instr::Drop => {
                self.pop()?;
            }
            Instr::Select | Instr::SelectT(_) => {
                let c = self.pop_expect(I32)?;
                let b = self.pop()?;
                let a = self.pop()?;
                if !same_shape(a.ty, b.ty) {
                    return Err(self.err("type mismatch"));
                }
                let c = self.reg(c);
                let bs = self.reg(b);
                self.write(a.pos, a);
                self.emit(if slots(a.ty) == 2 {
                    Ins::Select2 { d: a.pos, b: bs, c }
                } else {
                    Ins::Select1 { d: a.pos, b: bs, c }
                });
                self.push(a.ty, Src::Stack);
            }
            Instr::LocalGet(i) => {
                let (x, t) = self.local(*i)?;
                self.push(t, Src::Local(x));
            }
            Instr::LocalSet(i) | Instr::LocalTee(i) => {
                let (x, t) = self.local(*i)?;
                let e = self.pop_expect(t)?;
                if e.src != Src::Local(x) {
                    let def = self.def_of(&e);
                    let pending = self.lazy_refs.get(x as usize).is_some_and(|&n| n > 0);
                    match def {
                        // Nothing else reads the old value: the producer
                        // writes the local directly.
                        Some(at) if !pending => {
                            if let Some(d) = self.code[at].dst_mut() {
                                *d = x;
                            }
                            self.last_def = None;
                        }
                        _ => {
                            self.materialize_local(x);
                            self.write(x, e);
                        }
                    }
                }
                if matches!(ins, Instr::LocalTee(_)) {
                    self.push(t, Src::Local(x));
                }
            }
            Instr::GlobalGet(g) => {
                let a = self.addr(self.info.globals as usize, *g, "unknown global")?;
                let t = self
                    .module
                    .global_type(*g)
                    .ok_or_else(|| self.err("unknown global"))?
                    .ty;
                let d = self.height;
                if slots(t) == 2 {
                    self.emit(Ins::GlobalGet2 { d, g: a });
                } else {
                    self.emit_def(Ins::GlobalGet { d, g: a });
                }
                self.push(t, Src::Stack);
            }
            Instr::GlobalSet(g) => {
                let a = self.addr(self.info.globals as usize, *g, "unknown global")?;
                let t = self
                    .module
                    .global_type(*g)
                    .ok_or_else(|| self.err("unknown global"))?
                    .ty;
                let e = self.pop_expect(t)?;
                let s = self.reg(e);
                self.emit(if slots(t) == 2 {
                    Ins::GlobalSet2 { g: a, s }
                } else {
                    Ins::GlobalSet { g: a, s }
                });
            }
            Instr::TableGet(t) => {
                let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
                let ty = self
                    .module
                    .table_type(*t)
                    .ok_or_else(|| self.err("unknown table"))?;
                self.stack_op(&[I32], &[ValType::Ref(ty.elem)], &[Ins::TableGet(a)])?;
            }
            Instr::TableSet(t) => {
                let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
                let rt = self.top_type()?;
                self.stack_op(&[I32, rt], &[], &[Ins::TableSet(a)])?;
            }
            Instr::TableSize(t) => {
                let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
                self.stack_op(&[], &[I32], &[Ins::TableSize(a)])?;
            }
            Instr::TableGrow(t) => {
                let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
                let rt = self.nth_type(1)?;
                self.stack_op(&[rt, I32], &[I32], &[Ins::TableGrow(a)])?;
            }
            Instr::TableFill(t) => {
                let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
                let rt = self.nth_type(1)?;
                self.stack_op(&[I32, rt, I32], &[], &[Ins::TableFill(a)])?;
            }
            Instr::TableCopy { dst, src } => {
                let d = self.addr(self.info.tables as usize, *dst, "unknown table")?;
                let s = self.addr(self.info.tables as usize, *src, "unknown table")?;
                self.stack_op(&[I32, I32, I32], &[], &[Ins::TableCopy { dst: d, src: s }])?;
            }
            Instr::TableInit { elem, table } => {
                let t = self.addr(self.info.tables as usize, *table, "unknown table")?;
                let e = self.addr(self.module.elems.len(), *elem, "unknown elem segment")?;
                self.stack_op(
                    &[I32, I32, I32],
                    &[],
                    &[Ins::TableInit { table: t, elem: e }],
                )?;
            }
            Instr::ElemDrop(e) => {
                let e = self.addr(self.module.elems.len(), *e, "unknown elem segment")?;
                self.emit(Ins::ElemDrop(e));
            }
            Instr::MemorySize(m) => {
                let a = self.addr(self.info.memories as usize, *m, "unknown memory")?;
                self.stack_op(&[], &[I32], &[Ins::MemorySize(a)])?;
            }
            Instr::MemoryGrow(m) => {
                let a = self.addr(self.info.memories as usize, *m, "unknown memory")?;
                self.stack_op(&[I32], &[I32], &[Ins::MemoryGrow(a)])?;
            }
            Instr::MemoryFill(m) => {
                let a = self.addr(self.info.memories as usize, *m, "unknown memory")?;
                self.stack_op(&[I32, I32, I32], &[], &[Ins::MemoryFill(a)])?;
            }
            Instr::MemoryCopy { dst, src } => {
                let d = self.addr(self.info.memories as usize, *dst, "unknown memory")?;
                let s = self.addr(self.info.memories as usize, *src, "unknown memory")?;
                self.stack_op(&[I32, I32, I32], &[], &[Ins::MemoryCopy { dst: d, src: s }])?;
            }
            Instr::MemoryInit { data, mem } => {
                let m = self.addr(self.info.memories as usize, *mem, "unknown memory")?;
                let d = self.addr(self.module.datas.len(), *data, "unknown data segment")?;
                self.stack_op(
                    &[I32, I32, I32],
                    &[],
                    &[Ins::MemoryInit { mem: m, data: d }],
                )?;
            }
            Instr::DataDrop(d) => {
                let d = self.addr(self.module.datas.len(), *d, "unknown data segment")?;
                self.emit(Ins::DataDrop(d));
            }
            Instr::I32Const(v) => {
                self.push(I32, Src::Const(*v as u32 as u64));
            }
            Instr::I64Const(v) => {
                self.push(I64, Src::Const(*v as u64));
            }
            Instr::F32Const(v) => {
                self.push(F32, Src::Const(*v as u64));
            }
            Instr::F64Const(v) => {
                self.push(F64, Src::Const(*v));
            }
            Instr::V128Const(b) => {
                let v = u128::from_le_bytes(**b);
                let d = self.height;
                self.emit(Ins::Const64 { d, v: v as u64 });
                self.emit(Ins::Const64 {
                    d: d + 1,
                    v: (v >> 64) as u64,
                });
                self.push(V128, Src::Stack);
            }
            Instr::I8x16Shuffle(b) => {
                let v = u128::from_le_bytes(**b);
                self.stack_op(
                    &[V128, V128],
                    &[V128],
                    &[Ins::Shuffle, Ins::Imm(v as u64), Ins::Imm((v >> 64) as u64)],
                )?;
            }
            Instr::RefNull(h) => {
                self.push(
                    ValType::Ref(wtool_ast::RefType {
                        nullable: true,
                        heap: *h,
                    }),
                    Src::Const(NULL_REF),
                );
            }
            Instr::RefIsNull => {
                let e = self.pop()?;
                if !matches!(e.ty, ValType::Ref(_)) {
                    return Err(self.err("type mismatch"));
                }
                let a = self.reg(e);
                self.emit_def(Ins::RefIsNull { d: e.pos, a });
                self.push(I32, Src::Stack);
            }
            Instr::RefFunc(f) => {
                let a = self.addr(self.info.func_types.len(), *f, "unknown function")?;
                // Function references are store addresses: resolved at run time.
                let d = self.height;
                self.emit_def(Ins::RefFunc { d, f: a });
                self.push(ValType::FUNCREF, Src::Stack);
            }
            Instr::Plain(op) => self.plain(*op)?,
            Instr::Mem(op, m) => {
                let info = op.info();
                let Ok(offset) = u32::try_from(m.offset) else {
                    // An offset beyond any 32-bit memory: always out of bounds.
                    self.pop_types(info.params)?;
                    self.emit(Ins::TrapMemOob);
                    for &r in info.results {
                        self.push(r, Src::Stack);
                    }
                    return Ok(());
                };
                let mem = self.addr(self.info.memories as usize, m.memory, "unknown memory")?;
                if Some(mem) == self.mem0 && self.mem_op(*op, offset)? {
                    return Ok(());
                }
                self.stack_op(
                    info.params,
                    info.results,
                    &[Ins::Mem {
                        op: *op,
                        mem,
                        offset,
                    }],
                )?;
            }
            Instr::Lane(op, l) => {
                let info = op.info();
                self.stack_op(info.params, info.results, &[Ins::Lane(*op, *l)])?;
            }
            Instr::MemLane(ml) => {
                let info = ml.op.info();
                let mem = self.addr(
                    self.info.memories as usize,
                    ml.memarg.memory,
                    "unknown memory",
                )?;
                match u32::try_from(ml.memarg.offset) {
                    Ok(offset) => self.stack_op(
                        info.params,
                        info.results,
                        &[
                            Ins::MemLane {
                                op: ml.op,
                                lane: ml.lane,
                                mem,
                            },
                            Ins::Imm(offset as u64),
                        ],
                    )?,
                    Err(_) => {
                        self.pop_types(info.params)?;
                        self.emit(Ins::TrapMemOob);
                        for &r in info.results {
                            self.push(r, Src::Stack);
                        }
                    }
                }
            }
        }
        Ok(())
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

    /// Emits a table-driven op in register form where one exists.
    fn plain(&mut self, op: Op) -> Result<(), CompileError> {
        let info = op.info();
        if forms::is_reinterpret(op) {
            let e = self.pop_expect(info.params[0])?;
            self.push(info.results[0], e.src);
            if let Some(top) = self.stack.last_mut() {
                top.pos = e.pos;
            }
            return Ok(());
        }
        match info.params.len() {
            2 if forms::rr(op, 0, 0, 0).is_some() => {
                let b = self.pop_expect(info.params[1])?;
                let a = self.pop_expect(info.params[0])?;
                let d = a.pos;
                let ins = match (a.src, b.src) {
                    (_, Src::Const(k)) if forms::ri(op, 0, 0, k).is_some() => {
                        let ra = self.reg(a);
                        forms::ri(op, d, ra, k)
                    }
                    (Src::Const(k), _) if forms::ir(op, 0, k, 0).is_some() => {
                        let rb = self.reg(b);
                        forms::ir(op, d, k, rb)
                    }
                    _ => {
                        let ra = self.reg(a);
                        let rb = self.reg(b);
                        forms::rr(op, d, ra, rb)
                    }
                };
                if let Some(i) = ins {
                    self.emit_def(i);
                }
                self.push(info.results[0], Src::Stack);
                Ok(())
            }
            1 if info.results.len() == 1 && forms::un(op, 0, 0).is_some() => {
                let a = self.pop_expect(info.params[0])?;
                let d = a.pos;
                let ra = self.reg(a);
                if let Some(i) = forms::un(op, d, ra) {
                    self.emit_def(i);
                }
                self.push(info.results[0], Src::Stack);
                Ok(())
            }
            _ => self.stack_op(info.params, info.results, &[Ins::Num(op)]),
        }
    }

    /// Emits a scalar load or store on memory 0 in register form; false
    /// when `op` has none (SIMD).
    fn mem_op(&mut self, op: Op, offset: u32) -> Result<bool, CompileError> {
        let info = op.info();
        if forms::load(op, 0, 0, 0).is_some() {
            let a = self.pop_expect(ValType::I32)?;
            let d = a.pos;
            let fused = self
                .addr_of(&a, offset)
                .and_then(|addr| forms::load_at(op, d, addr));
            let ins = match fused {
                Some(i) => {
                    self.drop_last();
                    Some(i)
                }
                None => {
                    let ra = self.reg(a);
                    forms::load(op, d, ra, offset)
                }
            };
            if let Some(i) = ins {
                self.emit_def(i);
            }
            self.push(info.results[0], Src::Stack);
            return Ok(true);
        }
        if forms::store(op, 0, 0, 0).is_none() {
            return Ok(false);
        }
        let v = self.pop_expect(info.params[1])?;
        let a = self.pop_expect(ValType::I32)?;
        // Only values that need no code of their own: writing one to its
        // slot could overwrite an operand of the removed address sum.
        let fused = self
            .addr_of(&a, offset)
            .and_then(|addr| match (v.src, addr) {
                (Src::Local(x), _) => forms::store_at(op, addr, x),
                (Src::Const(k), forms::Addr::Sum(x, y)) if op == Op::I32Store8 => {
                    Some(Ins::I32Store8IAA {
                        x,
                        y,
                        imm: k as u32,
                    })
                }
                _ => None,
            });
        if let Some(i) = fused {
            self.drop_last();
            self.emit(i);
            return Ok(true);
        }
        let ra = self.reg(a);
        let imm = match v.src {
            Src::Const(k) => forms::store_imm(op, ra, k as u32, offset),
            _ => None,
        };
        let ins = match imm {
            Some(i) => Some(i),
            None => {
                let rv = self.reg(v);
                forms::store(op, ra, rv, offset)
            }
        };
        if let Some(i) = ins {
            self.emit(i);
        }
        Ok(true)
    }

    /// The address sum that just computed popped entry `a`, when the access
    /// has no offset of its own and so can take the sum over.
    fn addr_of(&mut self, a: &Entry, offset: u32) -> Option<forms::Addr> {
        if offset != 0 {
            return None;
        }
        let at = self.def_of(a)?;
        forms::Addr::of(self.code[at])
    }

    /// Removes the last instruction (whose work a fused form takes over).
    fn drop_last(&mut self) {
        self.code.pop();
        self.offsets.pop();
        self.last_def = None;
    }

    /// `br_table`: one instruction per target after the dispatch; targets
    /// whose values must move go through a stub after the table.
    fn br_table(&mut self, targets: &[u32], default: u32) -> Result<(), CompileError> {
        let idx = self.pop_expect(ValType::I32)?;
        let idx = self.reg(idx);
        let len = u32::try_from(targets.len()).map_err(|_| self.err("br_table too large"))?;
        let (_, n, _) = self.target(default)?;
        self.materialize_top(n);
        self.emit(Ins::BrTable { idx, len });
        let mut stubs = Vec::new();
        for &t in targets.iter().chain(std::iter::once(&default)) {
            let (fi, tn, dst) = self.target(t)?;
            if tn != n {
                return Err(self.err("type mismatch"));
            }
            let kind = self.frames[fi].kind;
            if kind == Kind::Func {
                let r = self.return_ins(n);
                self.emit(r);
            } else if self.values_in_place(n, dst) {
                let to = if kind == Kind::Loop {
                    self.frames[fi].start
                } else {
                    0
                };
                let at = self.emit(Ins::Jump(to));
                if kind != Kind::Loop {
                    self.frames[fi].patches.push(at);
                }
            } else {
                let at = self.emit(Ins::Jump(0));
                stubs.push((at, t));
            }
        }
        for (at, t) in stubs {
            let here = self.pc();
            self.patch(at, here);
            self.branch(t, None)?;
        }
        self.unreachable = true;
        Ok(())
    }
}

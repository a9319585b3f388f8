//! Compiling control instructions: blocks, branches (fused with compares
//! and loop steps), `br_table`, returns and calls.

use wtool_ast::BlockType;
use wtool_ast::ValType::{self, I32};

use super::{same_shape, CompileError, Compiler, Cond, Frame, Kind, Src};
use crate::ins::{Cmp, Ins, Rhs};
use crate::values::slots;

impl Compiler<'_> {
    /// `unreachable`.
    pub(super) fn unreachable_(&mut self) -> Result<(), CompileError> {
        self.emit(Ins::Unreachable);
        self.unreachable = true;
        Ok(())
    }

    /// `block`, `loop` or `if` (`kind`) with type `bt`.
    pub(super) fn block(&mut self, kind: Kind, bt: &BlockType) -> Result<(), CompileError> {
        let (params, results) = self.block_type(*bt)?;
        let cond = if kind == Kind::If {
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
        Ok(())
    }

    /// `else`: the end of an `if`'s then-branch.
    pub(super) fn else_(&mut self) -> Result<(), CompileError> {
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
        Ok(())
    }

    /// `end` of a block or of the function.
    pub(super) fn end(&mut self) -> Result<(), CompileError> {
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
        Ok(())
    }

    /// `br l`.
    pub(super) fn br(&mut self, l: &u32) -> Result<(), CompileError> {
        self.branch(*l, None)?;
        self.unreachable = true;
        Ok(())
    }

    /// `br_if l`.
    pub(super) fn br_if(&mut self, l: &u32) -> Result<(), CompileError> {
        let c = self.pop_cond()?;
        self.branch(*l, Some(c))?;
        Ok(())
    }

    /// `return`.
    pub(super) fn return_(&mut self) -> Result<(), CompileError> {
        let n = self.frames[0].results.len();
        let res = self.frames[0].results.clone();
        self.check_top(&res)?;
        let r = self.return_ins(n);
        self.emit(r);
        self.unreachable = true;
        Ok(())
    }

    /// `call f`: arguments pass in place, results come back there.
    pub(super) fn call(&mut self, f: &u32) -> Result<(), CompileError> {
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
        Ok(())
    }

    /// `call_indirect`.
    pub(super) fn call_indirect(
        &mut self,
        type_idx: &u32,
        table: &u32,
    ) -> Result<(), CompileError> {
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
        Ok(())
    }

    /// A conditional jump to `to` on `c`, fused with a loop step
    /// (`x += imm` just before, `c` testing the new `x`) when it can be.
    pub(super) fn step_jump(&mut self, c: Cond, to: u32) -> Ins {
        let n = self.code.len();
        let step = match self.code.last() {
            Some(&Ins::I32AddI { d, a, imm }) if d == a && n > self.label_pos => {
                i16::try_from(imm as i32).ok().map(|i| (d, i as u16))
            }
            _ => None,
        };
        // A list walk: load a pointer, loop while it is not null.
        if let (Some(&Ins::I32Load { d, a, offset }), Cond::Slot(s)) = (self.code.last(), c) {
            if s == d && n > self.label_pos {
                self.drop_last();
                return Ins::LoadJumpNez { d, a, offset, to };
            }
        }
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

    /// Pops an i32 condition, fusing a comparison just before it.
    pub(super) fn pop_cond(&mut self) -> Result<Cond, CompileError> {
        let e = self.pop_expect(ValType::I32)?;
        if let Some(at) = self.def_of(&e) {
            if let Some((c, a, rhs)) = Cmp::of(self.code[at]) {
                self.drop_last();
                return Ok(Cond::Cmp(c, a, rhs));
            }
            if let Some((c, a, rhs)) = Cmp::of64(self.code[at]) {
                self.drop_last();
                return Ok(Cond::Cmp64(c, a, rhs));
            }
            if let Some(j) = crate::forms::float_jump(self.code[at]) {
                self.drop_last();
                return Ok(Cond::Float(j));
            }
            if let Ins::I32AndI { a, imm, .. } = self.code[at] {
                self.drop_last();
                return Ok(Cond::Test(a, imm));
            }
        }
        Ok(Cond::Slot(self.reg(e)))
    }

    /// A jump to `to` taken when `c` holds (or fails, with `negate`).
    pub(super) fn cond_jump(c: Cond, negate: bool, to: u32) -> Ins {
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
            Cond::Cmp64(cmp, a, rhs) => {
                let cmp = if negate { cmp.inverse() } else { cmp };
                cmp.jump64(a, rhs, to)
            }
            Cond::Float(mut j) => {
                if let Some(t) = j.target_mut() {
                    *t = to;
                }
                crate::forms::set_neg(&mut j, negate);
                j
            }
            Cond::Test(a, imm) if negate => Ins::JumpIfNoneI { a, imm, to },
            Cond::Test(a, imm) => Ins::JumpIfAnyI { a, imm, to },
        }
    }

    pub(super) fn block_type(
        &self,
        bt: BlockType,
    ) -> Result<(Vec<ValType>, Vec<ValType>), CompileError> {
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

    /// The return of the top `n` entries as the function's results.
    pub(super) fn return_ins(&mut self, n: usize) -> Ins {
        let len = self.stack.len();
        match n {
            0 => Ins::Return0,
            1 if slots(self.stack[len - 1].ty) == 1 => {
                let e = self.stack[len - 1];
                match e.src {
                    Src::Stack => Ins::Return1 { s: e.pos },
                    Src::Local(x) => Ins::Return1 { s: x },
                    Src::Const(v) => Ins::Return1I { v },
                }
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
    pub(super) fn target(&self, depth: u32) -> Result<(usize, usize, u32), CompileError> {
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
    pub(super) fn copy_values(&mut self, n: usize, dst: u32) {
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
    pub(super) fn values_in_place(&self, n: usize, dst: u32) -> bool {
        let len = self.stack.len();
        self.stack[len - n..]
            .iter()
            .all(|e| e.src == Src::Stack && e.pos >= dst)
            && self.stack.get(len - n).is_none_or(|e| e.pos == dst)
    }

    /// Emits `br depth` (unconditional, or taken when `cond` holds).
    pub(super) fn branch(&mut self, depth: u32, cond: Option<Cond>) -> Result<(), CompileError> {
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

    pub(super) fn patch(&mut self, at: usize, to: u32) {
        if let Some(t) = self.code.get_mut(at).and_then(Ins::target_mut) {
            *t = to;
        }
    }

    /// Resets the stack to `base_len` entries plus `tys` in their slots.
    pub(super) fn reset_to(&mut self, base_len: usize, base_height: u32, tys: &[ValType]) {
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

    /// `br_table`: one instruction per target after the dispatch; targets
    /// whose values must move go through a stub after the table.
    pub(super) fn br_table(&mut self, targets: &[u32], default: u32) -> Result<(), CompileError> {
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

//! Tail calls, calls through function references and the other typed
//! reference instructions. A tail call passes its arguments like a call
//! (materialized in their slots); the handler moves them to the frame base
//! and continues in the callee.

use wtool_ast::{FuncType, ValType};

use super::{CompileError, Compiler, Cond, Src};
use crate::ins::{Cmp, Ins, Rhs};
use crate::values::slots;

const I32: ValType = ValType::I32;

impl Compiler<'_> {
    /// The function type at type index `t`.
    fn func_type_at(&self, t: u32) -> Result<FuncType, CompileError> {
        self.module
            .func_type(t)
            .cloned()
            .ok_or_else(|| self.err("unknown type"))
    }

    /// Checks and materializes the arguments of `ft` and `extra` entries
    /// above them.
    fn ready_args(&mut self, ft: &FuncType, extra: &[ValType]) -> Result<(), CompileError> {
        let mut tys = ft.params.to_vec();
        tys.extend_from_slice(extra);
        self.check_top(&tys)?;
        self.materialize_top(tys.len());
        Ok(())
    }

    /// `return_call f`.
    pub(super) fn return_call(&mut self, f: u32) -> Result<(), CompileError> {
        let addr = self.addr(self.info.func_types.len(), f, "unknown function")?;
        let ti = self
            .info
            .func_types
            .get(f as usize)
            .copied()
            .ok_or_else(|| self.err("unknown function"))?;
        let ft = self.func_type_at(ti)?;
        self.ready_args(&ft, &[])?;
        self.pop_types(&ft.params)?;
        let base = self.height;
        let n: u32 = ft.params.iter().map(|&t| slots(t)).sum();
        self.emit(Ins::ReturnCall {
            func: addr,
            base,
            n,
        });
        self.unreachable = true;
        Ok(())
    }

    /// `return_call_indirect`.
    pub(super) fn return_call_indirect(&mut self, ty: u32, table: u32) -> Result<(), CompileError> {
        let taddr = self.addr(self.info.tables as usize, table, "unknown table")?;
        let tid = self.addr(self.module.types.len(), ty, "unknown type")?;
        let ft = self.func_type_at(tid)?;
        self.ready_args(&ft, &[I32])?;
        let idx = self.pop_expect(I32)?.pos;
        self.pop_types(&ft.params)?;
        self.emit(Ins::ReturnCallIndirect {
            table: taddr,
            ty: tid,
            idx,
        });
        self.unreachable = true;
        Ok(())
    }

    /// `call_ref $t` and `return_call_ref $t`.
    pub(super) fn call_ref(&mut self, ty: u32, tail: bool) -> Result<(), CompileError> {
        let tid = self.addr(self.module.types.len(), ty, "unknown type")?;
        let ft = self.func_type_at(tid)?;
        let rt = self.top_type()?;
        if !matches!(rt, ValType::Ref(_)) {
            return Err(self.err("type mismatch"));
        }
        self.ready_args(&ft, &[rt])?;
        let r = self.pop()?.pos;
        self.pop_types(&ft.params)?;
        let base = self.height;
        if tail {
            self.emit(Ins::ReturnCallRef { r, base });
            self.unreachable = true;
        } else {
            self.emit(Ins::CallRef { r, base });
            self.label();
            for &t in ft.results.iter() {
                self.push(t, Src::Stack);
            }
        }
        Ok(())
    }
}

impl Compiler<'_> {
    /// The top entry, which must be a reference; its slot (constants are
    /// written to their canonical slot first) and the entry to put back.
    fn top_ref(&mut self) -> Result<(u32, super::Entry), CompileError> {
        let rt = self.top_type()?;
        if !matches!(rt, ValType::Ref(_)) {
            return Err(self.err("type mismatch"));
        }
        let e = self.pop()?;
        let r = self.reg(e);
        let src = match e.src {
            Src::Const(_) => Src::Stack,
            s => s,
        };
        Ok((r, super::Entry { src, ..e }))
    }

    /// `ref.as_non_null`: a null check; the value stays where it is.
    pub(super) fn ref_as_non_null(&mut self) -> Result<(), CompileError> {
        let (r, e) = self.top_ref()?;
        self.emit(Ins::TrapIfNull { s: r });
        self.push(e.ty, e.src);
        Ok(())
    }

    /// `br_on_null l`: branches (without the reference) when it is null.
    pub(super) fn br_on_null(&mut self, l: u32) -> Result<(), CompileError> {
        let (r, e) = self.top_ref()?;
        self.branch(l, Some(Cond::Cmp64(Cmp::Eq, r, Rhs::Imm(0))))?;
        self.push(e.ty, e.src);
        Ok(())
    }

    /// `br_on_non_null l`: branches with the reference unless it is null.
    pub(super) fn br_on_non_null(&mut self, l: u32) -> Result<(), CompileError> {
        let (r, e) = self.top_ref()?;
        self.push(e.ty, e.src);
        self.branch(l, Some(Cond::Cmp64(Cmp::Ne, r, Rhs::Imm(0))))?;
        self.pop()?;
        Ok(())
    }
}

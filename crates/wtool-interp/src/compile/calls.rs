//! Tail calls and calls through function references. A tail call passes
//! its arguments like a call (materialized in their slots); the handler
//! moves them to the frame base and continues in the callee.

use wtool_ast::{FuncType, ValType};

use super::{CompileError, Compiler, Src};
use crate::ins::Ins;
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

//! Compiling table and reference instructions.

use wtool_ast::ValType::{self, I32};

use super::{CompileError, Compiler, Src};
use crate::ins::Ins;
use crate::values::NULL_REF;

impl Compiler<'_> {
    /// `table.get`.
    pub(super) fn table_get(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let ty = self
            .module
            .table_type(*t)
            .ok_or_else(|| self.err("unknown table"))?;
        self.stack_op(&[I32], &[ValType::Ref(ty.elem)], &[Ins::TableGet(a)])?;
        Ok(())
    }

    /// `table.set`.
    pub(super) fn table_set(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let rt = self.top_type()?;
        self.stack_op(&[I32, rt], &[], &[Ins::TableSet(a)])?;
        Ok(())
    }

    /// `table.size`.
    pub(super) fn table_size(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        self.stack_op(&[], &[I32], &[Ins::TableSize(a)])?;
        Ok(())
    }

    /// `table.grow`.
    pub(super) fn table_grow(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let rt = self.nth_type(1)?;
        self.stack_op(&[rt, I32], &[I32], &[Ins::TableGrow(a)])?;
        Ok(())
    }

    /// `table.fill`.
    pub(super) fn table_fill(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let rt = self.nth_type(1)?;
        self.stack_op(&[I32, rt, I32], &[], &[Ins::TableFill(a)])?;
        Ok(())
    }

    /// `table.copy`.
    pub(super) fn table_copy(&mut self, dst: &u32, src: &u32) -> Result<(), CompileError> {
        let d = self.addr(self.info.tables as usize, *dst, "unknown table")?;
        let s = self.addr(self.info.tables as usize, *src, "unknown table")?;
        self.stack_op(&[I32, I32, I32], &[], &[Ins::TableCopy { dst: d, src: s }])?;
        Ok(())
    }

    /// `table.init`.
    pub(super) fn table_init(&mut self, elem: &u32, table: &u32) -> Result<(), CompileError> {
        let t = self.addr(self.info.tables as usize, *table, "unknown table")?;
        let e = self.addr(self.module.elems.len(), *elem, "unknown elem segment")?;
        self.stack_op(
            &[I32, I32, I32],
            &[],
            &[Ins::TableInit { table: t, elem: e }],
        )?;
        Ok(())
    }

    /// `elem.drop`.
    pub(super) fn elem_drop(&mut self, e: &u32) -> Result<(), CompileError> {
        let e = self.addr(self.module.elems.len(), *e, "unknown elem segment")?;
        self.emit(Ins::ElemDrop(e));
        Ok(())
    }

    /// `ref.null`.
    pub(super) fn ref_null(&mut self, h: &wtool_ast::HeapType) -> Result<(), CompileError> {
        self.push(
            ValType::Ref(wtool_ast::RefType {
                nullable: true,
                heap: *h,
            }),
            Src::Const(NULL_REF),
        );
        Ok(())
    }

    /// `ref.is_null`.
    pub(super) fn ref_is_null(&mut self) -> Result<(), CompileError> {
        let e = self.pop()?;
        if !matches!(e.ty, ValType::Ref(_)) {
            return Err(self.err("type mismatch"));
        }
        let a = self.reg(e);
        self.emit_def(Ins::RefIsNull { d: e.pos, a });
        self.push(I32, Src::Stack);
        Ok(())
    }

    /// `ref.func`: resolved through the instance at run time.
    pub(super) fn ref_func(&mut self, f: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.func_types.len(), *f, "unknown function")?;
        // Function references are store addresses: resolved at run time.
        let d = self.height;
        self.emit_def(Ins::RefFunc { d, f: a });
        self.push(ValType::FUNCREF, Src::Stack);
        Ok(())
    }
}

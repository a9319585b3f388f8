//! Compiling table and reference instructions.

use wtool_ast::ValType::{self, I32, I64};

use super::{CompileError, Compiler, Src};
use crate::ins::Ins;
use crate::values::NULL_REF;

impl Compiler<'_> {
    /// The index type of table `t` (module index): i64 for table64.
    fn table_index_type(&self, t: u32) -> ValType {
        match self.info.table64.get(t as usize) {
            Some(true) => I64,
            _ => I32,
        }
    }

    /// Before `call_indirect` on `table`: a table64 index (i64 on top of
    /// the stack) is checked and becomes the 32-bit index the call reads.
    pub(super) fn table_index32(&mut self, table: u32) -> Result<(), CompileError> {
        if self.unreachable || self.table_index_type(table) == I32 {
            return Ok(());
        }
        self.stack_op(&[I64], &[I32], &[Ins::TableIdx64])
    }

    /// `table.get`.
    pub(super) fn table_get(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let ty = self
            .module
            .table_type(*t)
            .ok_or_else(|| self.err("unknown table"))?;
        let it = self.table_index_type(*t);
        self.stack_op(&[it], &[ValType::Ref(ty.elem)], &[Ins::TableGet(a)])?;
        Ok(())
    }

    /// `table.set`.
    pub(super) fn table_set(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let rt = self.top_type()?;
        let it = self.table_index_type(*t);
        self.stack_op(&[it, rt], &[], &[Ins::TableSet(a)])?;
        Ok(())
    }

    /// `table.size`.
    pub(super) fn table_size(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let it = self.table_index_type(*t);
        self.stack_op(&[], &[it], &[Ins::TableSize(a)])?;
        Ok(())
    }

    /// `table.grow`.
    pub(super) fn table_grow(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let rt = self.nth_type(1)?;
        let it = self.table_index_type(*t);
        self.stack_op(&[rt, it], &[it], &[Ins::TableGrow(a)])?;
        Ok(())
    }

    /// `table.fill`.
    pub(super) fn table_fill(&mut self, t: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.tables as usize, *t, "unknown table")?;
        let rt = self.nth_type(1)?;
        let it = self.table_index_type(*t);
        self.stack_op(&[it, rt, it], &[], &[Ins::TableFill(a)])?;
        Ok(())
    }

    /// `table.copy`: the count is i64 only when both tables are table64.
    pub(super) fn table_copy(&mut self, dst: &u32, src: &u32) -> Result<(), CompileError> {
        let d = self.addr(self.info.tables as usize, *dst, "unknown table")?;
        let s = self.addr(self.info.tables as usize, *src, "unknown table")?;
        let (dt, st) = (self.table_index_type(*dst), self.table_index_type(*src));
        let nt = if dt == I64 && st == I64 { I64 } else { I32 };
        self.stack_op(&[dt, st, nt], &[], &[Ins::TableCopy { dst: d, src: s }])?;
        Ok(())
    }

    /// `table.init`.
    pub(super) fn table_init(&mut self, elem: &u32, table: &u32) -> Result<(), CompileError> {
        let t = self.addr(self.info.tables as usize, *table, "unknown table")?;
        let e = self.addr(self.module.elems.len(), *elem, "unknown elem segment")?;
        let it = self.table_index_type(*table);
        self.stack_op(
            &[it, I32, I32],
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

//! Tail calls (`return_call`, `return_call_indirect`, `return_call_ref`)
//! and `call_ref`: a tail call's callee results must match the caller's.

use wtool_ast::{BlockType, Features, FuncType, HeapType, RefType, ValType};

use super::{bt_results, mismatch, Validator};
use crate::error::{ErrorKind, Expected};
use crate::features::require;
use crate::module::ModuleInfo;

impl Validator {
    /// Checks that a tail call's callee results match the caller's, then
    /// ends the frame's reachable code.
    fn tail_results(&mut self, info: &ModuleInfo<'_>, callee: &FuncType) -> Result<(), ErrorKind> {
        let bt = self.ctrls.first().map(|f| f.bt).unwrap_or(BlockType::Empty);
        let own = bt_results(info, &bt);
        if !info.tcx.all_match(&callee.results, own) {
            let found = callee.results.first().copied();
            let expected = own
                .first()
                .map_or(Expected::Arity(own.len() as u32), |&t| Expected::Val(t));
            return Err(mismatch(expected, found));
        }
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn return_call(&mut self, info: &ModuleInfo<'_>, f: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::TAIL_CALL)?;
        let ty = info.type_of_func(f)?;
        self.pop_vals(&ty.params)?;
        self.tail_results(info, ty)
    }

    pub(super) fn return_call_indirect(
        &mut self,
        info: &ModuleInfo<'_>,
        type_idx: u32,
        table: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::TAIL_CALL)?;
        self.call_indirect(info, type_idx, table)?;
        let ty = info
            .func_type(type_idx)
            .ok_or(ErrorKind::UnknownType(type_idx))?;
        // `call_indirect` pushed the results; a tail call returns them.
        self.pop_vals(&ty.results)?;
        self.tail_results(info, ty)
    }

    /// Pops the `(ref null $t)` operand of `call_ref`; the function type.
    fn pop_func_ref<'m>(
        &mut self,
        info: &ModuleInfo<'m>,
        type_idx: u32,
    ) -> Result<&'m FuncType, ErrorKind> {
        require(info.features, Features::FUNCTION_REFERENCES)?;
        let ty = match info.module.types.get(type_idx as usize) {
            None => return Err(ErrorKind::UnknownType(type_idx)),
            Some(t) => t.as_func().ok_or(mismatch(
                Expected::Val(ValType::FUNCREF),
                Some(ValType::Ref(RefType {
                    nullable: true,
                    heap: HeapType::Concrete(type_idx),
                })),
            ))?,
        };
        self.pop_expect(ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Concrete(type_idx),
        }))?;
        Ok(ty)
    }

    pub(super) fn call_ref(
        &mut self,
        info: &ModuleInfo<'_>,
        type_idx: u32,
    ) -> Result<(), ErrorKind> {
        let ty = self.pop_func_ref(info, type_idx)?;
        self.pop_vals(&ty.params)?;
        self.push_vals(&ty.results);
        Ok(())
    }

    pub(super) fn return_call_ref(
        &mut self,
        info: &ModuleInfo<'_>,
        type_idx: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::TAIL_CALL)?;
        let ty = self.pop_func_ref(info, type_idx)?;
        self.pop_vals(&ty.params)?;
        self.tail_results(info, ty)
    }
}

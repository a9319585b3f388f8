//! Blocks, branches, calls and the other control instructions.

use wtool_ast::{BlockType, BrTable, Features, ValType};

use super::{bt_params, bt_results, label_types, mismatch, FrameKind, Validator};
use crate::error::{ErrorKind, Expected};
use crate::features::{check_val_type, require};
use crate::module::ModuleInfo;
use crate::types::addr_type;

impl Validator {
    /// Checks that a block type refers to something that exists and is enabled.
    fn block_type(&self, info: &ModuleInfo<'_>, bt: BlockType) -> Result<(), ErrorKind> {
        match bt {
            BlockType::Empty => Ok(()),
            BlockType::Value(t) => check_val_type(info.features, t, info.module.types.len() as u32),
            BlockType::Func(i) => {
                // A type-index block type is the multi-value encoding, whatever the type.
                require(info.features, Features::MULTI_VALUE)?;
                info.func_type(i).ok_or(ErrorKind::UnknownType(i))?;
                Ok(())
            }
        }
    }

    pub(super) fn block(
        &mut self,
        info: &ModuleInfo<'_>,
        bt: BlockType,
        kind: FrameKind,
    ) -> Result<(), ErrorKind> {
        self.block_type(info, bt)?;
        let params = bt_params(info, &bt);
        self.pop_vals(params)?;
        self.push_ctrl(kind, bt);
        self.push_vals(params);
        Ok(())
    }

    pub(super) fn if_(&mut self, info: &ModuleInfo<'_>, bt: BlockType) -> Result<(), ErrorKind> {
        self.block_type(info, bt)?;
        self.pop_expect(ValType::I32)?;
        self.block(info, bt, FrameKind::If)
    }

    pub(super) fn else_(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        match self.ctrls.last() {
            Some(f) if f.kind == FrameKind::If => {}
            _ => return Err(ErrorKind::Malformed("else found outside of an if block")),
        }
        let frame = self.pop_ctrl(info)?;
        self.push_ctrl(FrameKind::Else, frame.bt);
        self.push_vals(bt_params(info, &frame.bt));
        Ok(())
    }

    pub(super) fn end(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        let frame = self.pop_ctrl(info)?;
        let results = bt_results(info, &frame.bt);
        if frame.kind == FrameKind::If {
            // An `if` without `else` behaves as if the else branch passed its
            // parameters through unchanged.
            let params = bt_params(info, &frame.bt);
            if params.len() != results.len()
                || !params
                    .iter()
                    .zip(results)
                    .all(|(&p, &r)| info.tcx.matches(p, r))
            {
                return Err(ErrorKind::IfWithoutElse);
            }
        }
        if frame.kind != FrameKind::Func {
            self.push_vals(results);
        }
        Ok(())
    }

    pub(super) fn br(&mut self, info: &ModuleInfo<'_>, l: u32) -> Result<(), ErrorKind> {
        let (kind, bt) = self.label(l)?;
        self.pop_vals(label_types(info, kind, &bt))?;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn br_if(&mut self, info: &ModuleInfo<'_>, l: u32) -> Result<(), ErrorKind> {
        self.pop_expect(ValType::I32)?;
        let (kind, bt) = self.label(l)?;
        let ts = label_types(info, kind, &bt);
        self.pop_vals(ts)?;
        self.push_vals(ts);
        Ok(())
    }

    pub(super) fn br_table(&mut self, info: &ModuleInfo<'_>, t: &BrTable) -> Result<(), ErrorKind> {
        self.pop_expect(ValType::I32)?;
        let (dkind, dbt) = self.label(t.default)?;
        let arity = label_types(info, dkind, &dbt).len();
        for &l in t.targets.iter() {
            let (kind, bt) = self.label(l)?;
            let ts = label_types(info, kind, &bt);
            if ts.len() != arity {
                return Err(mismatch(Expected::Arity(arity as u32), None));
            }
            self.check_top(ts)?;
        }
        self.pop_vals(label_types(info, dkind, &dbt))?;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn return_(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        let bt = self.ctrls.first().map(|f| f.bt).unwrap_or(BlockType::Empty);
        self.pop_vals(bt_results(info, &bt))?;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn call(&mut self, info: &ModuleInfo<'_>, f: u32) -> Result<(), ErrorKind> {
        let ty = info.type_of_func(f)?;
        self.pop_vals(&ty.params)?;
        self.push_vals(&ty.results);
        Ok(())
    }

    pub(super) fn call_indirect(
        &mut self,
        info: &ModuleInfo<'_>,
        type_idx: u32,
        table: u32,
    ) -> Result<(), ErrorKind> {
        let tt = *info
            .tables
            .get(table as usize)
            .ok_or(ErrorKind::UnknownTable(table))?;
        if !info.tcx.matches(ValType::Ref(tt.elem), ValType::FUNCREF) {
            return Err(mismatch(
                Expected::Val(ValType::FUNCREF),
                Some(ValType::Ref(tt.elem)),
            ));
        }
        let ty = info
            .func_type(type_idx)
            .ok_or(ErrorKind::UnknownType(type_idx))?;
        self.pop_expect(addr_type(tt.index64))?;
        self.pop_vals(&ty.params)?;
        self.push_vals(&ty.results);
        Ok(())
    }
}

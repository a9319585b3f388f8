//! Reference instructions and `select` (whose typed form came with
//! reference types).

use wtool_ast::{Features, HeapType, RefType, ValType};

use super::{mismatch, mismatch_ty, Validator};
use crate::error::{ErrorKind, Expected};
use crate::features::{check_val_type, require};
use crate::module::ModuleInfo;
use crate::types::Ty;

impl Validator {
    pub(super) fn ref_null(&mut self, info: &ModuleInfo<'_>, h: HeapType) -> Result<(), ErrorKind> {
        let t = ValType::Ref(RefType {
            nullable: true,
            heap: h,
        });
        check_val_type(info.features, t, info.module.types.len() as u32)?;
        self.push(t);
        Ok(())
    }

    pub(super) fn ref_is_null(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        let t = self.pop_any()?;
        if !t.is_unknown() && !t.is_ref() {
            return Err(mismatch(Expected::AnyRef, t.to_val()));
        }
        self.push(ValType::I32);
        Ok(())
    }

    pub(super) fn ref_func(&mut self, info: &ModuleInfo<'_>, f: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        let t = *info
            .func_types
            .get(f as usize)
            .ok_or(ErrorKind::UnknownFunction(f))?;
        if !info.declared.get(f as usize).copied().unwrap_or(false) {
            return Err(ErrorKind::UndeclaredFunctionReference(f));
        }
        let rt = info.func_ref_type(t);
        self.push(rt);
        Ok(())
    }

    pub(super) fn select(&mut self) -> Result<(), ErrorKind> {
        self.pop_expect(Ty::I32)?;
        let t1 = self.pop_any()?;
        let t2 = self.pop_any()?;
        for t in [t1, t2] {
            if t.is_ref() {
                return Err(mismatch(Expected::NumOrVec, t.to_val()));
            }
        }
        if !t1.is_unknown() && !t2.is_unknown() && t1 != t2 {
            return Err(mismatch_ty(t1, t2));
        }
        self.push(if t1.is_unknown() { t2 } else { t1 });
        Ok(())
    }

    pub(super) fn select_t(&mut self, info: &ModuleInfo<'_>, t: ValType) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        check_val_type(info.features, t, info.module.types.len() as u32)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(t)?;
        self.pop_expect(t)?;
        self.push(t);
        Ok(())
    }
}

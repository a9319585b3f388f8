//! Typed function references: `ref.as_non_null`, `br_on_null` and
//! `br_on_non_null` (`call_ref` lives with the tail calls).

use wtool_ast::{Features, RefType, ValType};

use super::{label_types, mismatch, Validator};
use crate::error::{ErrorKind, Expected};
use crate::features::require;
use crate::module::ModuleInfo;
use crate::types::Ty;

impl Validator {
    /// Pops a reference operand (the unknown type passes as itself).
    fn pop_ref(&mut self) -> Result<Ty, ErrorKind> {
        let t = self.pop_any()?;
        if !t.is_unknown() && !t.is_ref() {
            return Err(mismatch(Expected::AnyRef, t.to_val()));
        }
        Ok(t)
    }

    /// The non-nullable version of a reference type (the unknown type
    /// becomes the bottom reference, as in the spec's algorithm).
    fn non_null(t: Ty) -> Ty {
        match t.to_val() {
            Some(ValType::Ref(r)) => Ty::from_ref(RefType {
                nullable: false,
                heap: r.heap,
            }),
            _ if t.is_unknown() => Ty::BOT_REF,
            _ => t,
        }
    }

    pub(super) fn ref_as_non_null(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::FUNCTION_REFERENCES)?;
        let t = self.pop_ref()?;
        self.push(Self::non_null(t));
        Ok(())
    }

    pub(super) fn br_on_null(&mut self, info: &ModuleInfo<'_>, l: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::FUNCTION_REFERENCES)?;
        let t = self.pop_ref()?;
        let (kind, bt) = self.label(l)?;
        let ts = label_types(info, kind, &bt);
        self.pop_vals(ts)?;
        self.push_vals(ts);
        self.push(Self::non_null(t));
        Ok(())
    }

    pub(super) fn br_on_non_null(
        &mut self,
        info: &ModuleInfo<'_>,
        l: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::FUNCTION_REFERENCES)?;
        let (kind, bt) = self.label(l)?;
        let ts = label_types(info, kind, &bt);
        let Some((&ValType::Ref(_), rest)) = ts.split_last() else {
            return Err(mismatch(Expected::AnyRef, ts.last().copied()));
        };
        let t = self.pop_ref()?;
        self.push(Self::non_null(t));
        self.pop_vals(ts)?;
        self.push_vals(rest);
        Ok(())
    }
}

//! The type section: composite types, recursion groups and declared
//! subtyping (GC). As in the reference interpreter, each recursion group
//! is checked in two passes: every type's references first (they may name
//! any type of the group or an earlier one), then each declared supertype.

use wtool_ast::canon::type_groups;
use wtool_ast::{CompositeType, Features, FieldType, StorageType, TypeDef, ValType};

use crate::error::ErrorKind;
use crate::features::{check_val_type, require};
use crate::module::ModuleInfo;

/// Longest supertype chain engines accept (wasmparser, V8).
pub const MAX_SUBTYPE_DEPTH: u32 = 63;

impl<'m> ModuleInfo<'m> {
    /// The fields of struct type `x`.
    pub(crate) fn struct_fields(&self, x: u32) -> Result<&'m [FieldType], ErrorKind> {
        let ty = self
            .module
            .types
            .get(x as usize)
            .ok_or(ErrorKind::UnknownType(x))?;
        ty.as_struct().ok_or(ErrorKind::NotStructType(x))
    }

    /// The element type of array type `x`.
    pub(crate) fn array_field(&self, x: u32) -> Result<FieldType, ErrorKind> {
        let ty = self
            .module
            .types
            .get(x as usize)
            .ok_or(ErrorKind::UnknownType(x))?;
        ty.as_array().ok_or(ErrorKind::NotArrayType(x))
    }

    /// Validates every type definition, group by group.
    pub(crate) fn type_section(&self) -> Result<(), ErrorKind> {
        let m = self.module;
        if !m.rec_groups.is_empty() {
            require(self.features, Features::GC)?;
        }
        for (start, end) in type_groups(m) {
            for ty in &m.types[start as usize..end as usize] {
                self.type_def(ty, end)?;
            }
            for x in start..end {
                self.declared_supertype(x, end)?;
            }
        }
        Ok(())
    }

    /// A type definition whose references must stay below `end` (the end
    /// of its recursion group).
    fn type_def(&self, ty: &TypeDef, end: u32) -> Result<(), ErrorKind> {
        if ty.describes.is_some() || ty.descriptor.is_some() {
            self.not_yet(Features::CUSTOM_DESCRIPTORS)?;
        }
        if ty.sub.is_some() {
            require(self.features, Features::GC)?;
        }
        let storage = |s: StorageType| match s {
            StorageType::Val(t) => check_val_type(self.features, t, end),
            StorageType::I8 | StorageType::I16 => Ok(()),
        };
        match &ty.composite {
            CompositeType::Func(ft) => {
                for &t in ft.params.iter().chain(ft.results.iter()) {
                    check_val_type(self.features, t, end)?;
                }
                if ft.results.len() > 1 {
                    require(self.features, Features::MULTI_VALUE)?;
                }
            }
            CompositeType::Struct(fields) => {
                require(self.features, Features::GC)?;
                for f in fields {
                    storage(f.storage)?;
                }
            }
            CompositeType::Array(f) => {
                require(self.features, Features::GC)?;
                storage(f.storage)?;
            }
        }
        Ok(())
    }

    /// Type `x`'s declared supertype: an earlier, non-final type whose
    /// composite type `x`'s matches.
    fn declared_supertype(&self, x: u32, end: u32) -> Result<(), ErrorKind> {
        let Some(ty) = self.module.types.get(x as usize) else {
            return Ok(());
        };
        let y = match ty.supertypes() {
            [] => return Ok(()),
            [y] => *y,
            _ => return Err(ErrorKind::MultipleSupertypes(x)),
        };
        if y >= end {
            return Err(ErrorKind::UnknownType(y));
        }
        if y >= x {
            return Err(ErrorKind::ForwardSuperType { sub: x, sup: y });
        }
        let sup = self
            .module
            .types
            .get(y as usize)
            .ok_or(ErrorKind::UnknownType(y))?;
        if sup.is_final() {
            return Err(ErrorKind::FinalSuperType { sub: x, sup: y });
        }
        if !self.tcx.composite_matches(x, y) {
            return Err(ErrorKind::SubTypeMismatch { sub: x, sup: y });
        }
        if self
            .tcx
            .canon_type(x)
            .is_some_and(|c| c.depth > MAX_SUBTYPE_DEPTH)
        {
            return Err(ErrorKind::SubTypeTooDeep(x));
        }
        Ok(())
    }
}

/// True when a value of storage type `s` has a default (zero or null).
pub(crate) fn defaultable(s: StorageType) -> bool {
    match s {
        StorageType::I8 | StorageType::I16 => true,
        StorageType::Val(ValType::Ref(r)) => r.nullable,
        StorageType::Val(_) => true,
    }
}

//! Types in store form: a module's concrete type indices (`(ref $t)`)
//! replaced by store type ids, the canonical ids of the store's
//! [`wtool_ast::canon::TypeRegistry`], so types from different modules
//! compare by id (equivalent types, recursive ones included, are one id) and
//! declared subtyping is the registry's.

use wtool_ast::{HeapType, RefType, ValType};

/// `r` with module type indices mapped through `ids` (the instance's store
/// type ids).
pub(crate) fn store_ref(r: RefType, ids: &[u32]) -> RefType {
    match r.heap {
        HeapType::Concrete(i) => RefType {
            heap: HeapType::Concrete(ids.get(i as usize).copied().unwrap_or(i)),
            ..r
        },
        _ => r,
    }
}

/// A value type in store form (see [`store_ref`]).
pub(crate) fn store_val(v: ValType, ids: &[u32]) -> ValType {
    match v {
        ValType::Ref(r) => ValType::Ref(store_ref(r, ids)),
        _ => v,
    }
}

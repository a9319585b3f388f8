//! Types in store form: a module's concrete type indices (`(ref $t)`)
//! replaced by store type ids, so types from different modules compare by
//! equality (equivalent function types are interned once). A type's
//! reference to itself becomes [`SELF`], which makes isomorphic
//! self-recursive function types equal too.

use wtool_ast::{FuncType, HeapType, RefType, ValType};

/// A function type's reference to itself.
pub(crate) const SELF: u32 = u32::MAX;

/// `r` in the definition of type `own` (`u32::MAX` outside type
/// definitions), with module type indices mapped through `ids`.
pub(crate) fn store_ref(r: RefType, own: u32, ids: &[u32]) -> RefType {
    match r.heap {
        HeapType::Concrete(i) => RefType {
            heap: HeapType::Concrete(if i == own {
                SELF
            } else {
                ids.get(i as usize).copied().unwrap_or(i)
            }),
            ..r
        },
        _ => r,
    }
}

/// A value type in store form (see [`store_ref`]).
pub(crate) fn store_val(v: ValType, own: u32, ids: &[u32]) -> ValType {
    match v {
        ValType::Ref(r) => ValType::Ref(store_ref(r, own, ids)),
        _ => v,
    }
}

/// Function type `own` of a module in store form.
pub(crate) fn store_form(ft: &FuncType, own: u32, ids: &[u32]) -> FuncType {
    let map =
        |ts: &[ValType]| -> Vec<ValType> { ts.iter().map(|&t| store_val(t, own, ids)).collect() };
    FuncType::new(map(&ft.params), map(&ft.results))
}

/// `a <: b` between store-form value types (no declared subtypes: equal
/// concrete types, and the abstract hierarchy of functions, externs and
/// exceptions).
pub(crate) fn val_sub(a: ValType, b: ValType) -> bool {
    use HeapType::*;
    match (a, b) {
        (ValType::Ref(x), ValType::Ref(y)) => {
            x == y
                || ((y.nullable || !x.nullable)
                    && (x.heap == y.heap
                        || matches!(
                            (x.heap, y.heap),
                            (Concrete(_) | NoFunc, Func)
                                | (NoFunc, Concrete(_))
                                | (NoExtern, Extern)
                                | (NoExn, Exn)
                        )))
        }
        _ => a == b,
    }
}

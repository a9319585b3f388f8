//! `ref.test`, `ref.cast` and `br_on_cast`: whether a reference slot is a
//! member of a reference type (in store form: concrete types are canonical
//! ids).

use wtool_ast::{HeapType, RefType, ValType};

use crate::store::Store;
use crate::values::{Value, ARRAY_BIT, I31_TAG, NULL_REF, OBJ_TAG};

/// Whether the reference in slot `v` is a value of type `rt`. Validation
/// guarantees that `v` belongs to `rt`'s hierarchy, so a function
/// reference is only ever tested against function types, and an untagged
/// slot in the `any` hierarchy is a host value.
pub(crate) fn ref_test(store: &Store, v: u64, rt: RefType) -> bool {
    if v == NULL_REF {
        return rt.nullable;
    }
    let i31 = v & I31_TAG != 0;
    let obj = !i31 && v & OBJ_TAG != 0;
    match rt.heap {
        HeapType::Any | HeapType::Func | HeapType::Extern | HeapType::Exn => true,
        HeapType::Eq => i31 || obj,
        HeapType::I31 => i31,
        HeapType::Struct => obj && v & ARRAY_BIT == 0,
        HeapType::Array => obj && v & ARRAY_BIT != 0,
        HeapType::None | HeapType::NoFunc | HeapType::NoExtern | HeapType::NoExn => false,
        HeapType::Concrete(id) | HeapType::Exact(id) => {
            let exact = matches!(rt.heap, HeapType::Exact(_));
            let actual = if i31 {
                None
            } else if obj {
                store.heap.type_of(v)
            } else {
                // A function's address plus one; host values never get
                // here with a function type (validation), and a host
                // value in `any` fails against a struct or array type
                // because no function type is one.
                usize::try_from(v - 1)
                    .ok()
                    .and_then(|a| store.funcs.get(a))
                    .map(|f| f.type_id())
            };
            actual.is_some_and(|t| {
                if exact {
                    t == id
                } else {
                    store.registry.is_subtype(t, id)
                }
            })
        }
    }
}

/// Whether `v` is a value of store-form type `ty`.
pub(crate) fn value_matches(store: &Store, v: &Value, ty: ValType) -> bool {
    if !v.has_type(ty) {
        return false;
    }
    match ty {
        ValType::Ref(rt) if matches!(rt.heap, HeapType::Concrete(_) | HeapType::Exact(_)) => {
            ref_test(store, v.lo_slot(), rt)
        }
        _ => true,
    }
}

//! Dependencies between interfaces, as `use`s create them.

use crate::model::*;

/// The interface that `id` (a `use`) takes its type from, if another one.
pub fn type_interface_dep(resolve: &Resolve, id: TypeId) -> Option<InterfaceId> {
    let ty = resolve.ty(id);
    let TypeDefKind::Type(Type::Id(dep)) = ty.kind else {
        return None;
    };
    let other = resolve.ty(dep);
    if ty.owner == other.owner {
        return None;
    }
    match other.owner {
        TypeOwner::Interface(i) => Some(i),
        _ => None,
    }
}

/// The interfaces `id` uses types from, in order of its types (repeats kept).
pub fn interface_direct_deps(resolve: &Resolve, id: InterfaceId) -> Vec<InterfaceId> {
    resolve
        .interface(id)
        .types
        .values()
        .filter_map(|t| type_interface_dep(resolve, *t))
        .collect()
}

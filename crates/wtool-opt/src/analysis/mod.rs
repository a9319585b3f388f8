//! Analyses shared by passes: instruction effects, stack effects, the call
//! graph, liveness of locals and what locals hold.

pub mod callgraph;
pub mod effects;
pub mod items;
pub mod liveness;
pub mod local_values;
pub mod stack;

use wtool_ast::{Func, Module, ValType};

/// A fixed hasher, so graph construction does not depend on process state
/// (petgraph's graph maps iterate in insertion order either way).
pub type FixedHasher = std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

/// A directed graph keyed by node values.
pub type DiGraph<N> = petgraph::graphmap::DiGraphMap<N, (), FixedHasher>;

/// Most locals a function may have for the passes that build per-local tables
/// (engines reject more than 50,000; this only bounds our own memory).
pub const MAX_LOCALS: u64 = 1 << 20;

/// Types of a function's parameters followed by its declared locals, or
/// `None` when the type is unknown or the count is absurd.
pub fn local_types(module: &Module, func: &Func) -> Option<Vec<ValType>> {
    let ty = module.func_type(func.type_idx)?;
    let total = func.num_locals().checked_add(ty.params.len() as u64)?;
    if total > MAX_LOCALS {
        return None;
    }
    let mut v = Vec::with_capacity(total as usize);
    v.extend_from_slice(&ty.params);
    for g in &func.locals {
        v.extend(std::iter::repeat_n(g.ty, g.count as usize));
    }
    Some(v)
}

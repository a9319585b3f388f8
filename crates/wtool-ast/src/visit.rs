//! Index visitors for the compound immediates (block types, heap and
//! reference types, casts, catch clauses, memargs), which the generated
//! [`crate::Instr::visit_indices`] and `visit_indices_mut` call.

use crate::instr::{BlockType, BrCast, BrTable, Catch, IndexSpace, MemArg};
use crate::types::{HeapType, RefType, ValType};

/// A heap type's type index, if concrete.
pub fn heap_type(h: &HeapType, f: &mut impl FnMut(IndexSpace, u32)) {
    if let Some(i) = h.type_index() {
        f(IndexSpace::Type, i);
    }
}

/// A heap type's type index, if concrete, for renumbering.
pub fn heap_type_mut(h: &mut HeapType, f: &mut impl FnMut(IndexSpace, &mut u32)) {
    if let HeapType::Concrete(i) | HeapType::Exact(i) = h {
        f(IndexSpace::Type, i);
    }
}

/// A reference type's heap type.
pub fn ref_type(r: &RefType, f: &mut impl FnMut(IndexSpace, u32)) {
    heap_type(&r.heap, f);
}

/// A reference type's heap type, for renumbering.
pub fn ref_type_mut(r: &mut RefType, f: &mut impl FnMut(IndexSpace, &mut u32)) {
    heap_type_mut(&mut r.heap, f);
}

/// A value type's heap type, if a reference.
pub fn val_type(t: &ValType, f: &mut impl FnMut(IndexSpace, u32)) {
    if let ValType::Ref(r) = t {
        ref_type(r, f);
    }
}

/// A value type's heap type, if a reference, for renumbering.
pub fn val_type_mut(t: &mut ValType, f: &mut impl FnMut(IndexSpace, &mut u32)) {
    if let ValType::Ref(r) = t {
        ref_type_mut(r, f);
    }
}

/// Value types (of a typed `select`).
pub fn val_types(ts: &[ValType], f: &mut impl FnMut(IndexSpace, u32)) {
    ts.iter().for_each(|t| val_type(t, f));
}

/// Value types, for renumbering.
pub fn val_types_mut(ts: &mut [ValType], f: &mut impl FnMut(IndexSpace, &mut u32)) {
    ts.iter_mut().for_each(|t| val_type_mut(t, f));
}

/// A block type's type index or concrete result type.
pub fn block_type(bt: &BlockType, f: &mut impl FnMut(IndexSpace, u32)) {
    match bt {
        BlockType::Empty => {}
        BlockType::Value(t) => val_type(t, f),
        BlockType::Func(i) => f(IndexSpace::Type, *i),
    }
}

/// A block type, for renumbering.
pub fn block_type_mut(bt: &mut BlockType, f: &mut impl FnMut(IndexSpace, &mut u32)) {
    match bt {
        BlockType::Empty => {}
        BlockType::Value(t) => val_type_mut(t, f),
        BlockType::Func(i) => f(IndexSpace::Type, i),
    }
}

/// `br_table` targets, then the default.
pub fn br_table(t: &BrTable, f: &mut impl FnMut(IndexSpace, u32)) {
    for &l in t.targets.iter() {
        f(IndexSpace::Label, l);
    }
    f(IndexSpace::Label, t.default);
}

/// `br_table` labels, for renumbering.
pub fn br_table_mut(t: &mut BrTable, f: &mut impl FnMut(IndexSpace, &mut u32)) {
    for l in t.targets.iter_mut() {
        f(IndexSpace::Label, l);
    }
    f(IndexSpace::Label, &mut t.default);
}

/// A cast's label, then the two heap types.
pub fn br_cast(c: &BrCast, f: &mut impl FnMut(IndexSpace, u32)) {
    f(IndexSpace::Label, c.label);
    ref_type(&c.from, f);
    ref_type(&c.to, f);
}

/// A cast's indices, for renumbering.
pub fn br_cast_mut(c: &mut BrCast, f: &mut impl FnMut(IndexSpace, &mut u32)) {
    f(IndexSpace::Label, &mut c.label);
    ref_type_mut(&mut c.from, f);
    ref_type_mut(&mut c.to, f);
}

/// Each catch clause's tag (if any), then its label.
pub fn catches(cs: &[Catch], f: &mut impl FnMut(IndexSpace, u32)) {
    for c in cs {
        if let Some(t) = c.tag() {
            f(IndexSpace::Tag, t);
        }
        f(IndexSpace::Label, c.label());
    }
}

/// Catch clauses, for renumbering.
pub fn catches_mut(cs: &mut [Catch], f: &mut impl FnMut(IndexSpace, &mut u32)) {
    for c in cs {
        match c {
            Catch::Catch { tag, label } | Catch::CatchRef { tag, label } => {
                f(IndexSpace::Tag, tag);
                f(IndexSpace::Label, label);
            }
            Catch::CatchAll { label } | Catch::CatchAllRef { label } => f(IndexSpace::Label, label),
        }
    }
}

/// A memarg's memory index.
pub fn memarg(m: &MemArg, f: &mut impl FnMut(IndexSpace, u32)) {
    let mem = m.memory;
    f(IndexSpace::Memory, mem);
}

/// A memarg's memory index, for renumbering (the struct is packed, so the
/// index is copied out and back).
pub fn memarg_mut(m: &mut MemArg, f: &mut impl FnMut(IndexSpace, &mut u32)) {
    let mut mem = m.memory;
    f(IndexSpace::Memory, &mut mem);
    m.memory = mem;
}

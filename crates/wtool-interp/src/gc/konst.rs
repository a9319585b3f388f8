//! GC instructions in constant expressions (global initializers, element
//! expressions, table initializers): allocation without collection, since
//! a half-built instance's values are not yet roots.

use wtool_ast::{CompositeType, Instr, Module};

use super::Elem;
use crate::store::Store;
use crate::values::i31_slot;

/// Evaluates the GC instruction `i` of a constant expression of `module`
/// (types mapped to store ids by `types`) on `st`, values as `(lo, hi)`
/// slot pairs. `None` when `i` is not a GC constant instruction or its
/// operands are missing; `Some(Err)` when it traps (heap limit).
pub(crate) fn eval(
    store: &mut Store,
    module: &Module,
    types: &[u32],
    i: &Instr,
    st: &mut Vec<(u64, u64)>,
) -> Option<Result<(), crate::trap::TrapKind>> {
    let composite = |t: u32| module.types.get(t as usize).map(|d| &d.composite);
    let pop_n = |st: &mut Vec<(u64, u64)>, n: usize| -> Option<Vec<(u64, u64)>> {
        let from = st.len().checked_sub(n)?;
        Some(st.split_off(from))
    };
    // A struct's slots: one per field, two for a `v128`.
    let flatten = |vals: &[(u64, u64)], elems: &mut dyn Iterator<Item = Elem>| -> Vec<u64> {
        let mut out = Vec::with_capacity(vals.len());
        for (&(lo, hi), e) in vals.iter().zip(elems) {
            out.push(lo);
            if e == Elem::V128 {
                out.push(hi);
            }
        }
        out
    };
    let (ty, array, data, len) = match i {
        Instr::RefI31 => {
            let (v, _) = st.pop()?;
            st.push((i31_slot(v as u32), 0));
            return Some(Ok(()));
        }
        // One encoding for every hierarchy: nothing to do.
        Instr::AnyConvertExtern | Instr::ExternConvertAny => {
            return st.last().map(|_| Ok(()));
        }
        Instr::StructNew(t) | Instr::StructNewDefault(t) => {
            let Some(CompositeType::Struct(fields)) = composite(*t) else {
                return None;
            };
            let data = if matches!(i, Instr::StructNewDefault(_)) {
                let n = fields.iter().map(|f| Elem::of(f.storage).slots()).sum();
                vec![0; n]
            } else {
                let vals = pop_n(st, fields.len())?;
                flatten(&vals, &mut fields.iter().map(|f| Elem::of(f.storage)))
            };
            (*t, false, data, 0)
        }
        Instr::ArrayNew(t) | Instr::ArrayNewDefault(t) => {
            let Some(CompositeType::Array(f)) = composite(*t) else {
                return None;
            };
            let elem = Elem::of(f.storage);
            let n = st.pop()?.0 as u32;
            let (lo, hi) = if matches!(i, Instr::ArrayNew(_)) {
                st.pop()?
            } else {
                (0, 0)
            };
            let mut data = match array(store, elem, n, &mut std::iter::empty()) {
                Ok(d) => d,
                Err(k) => return Some(Err(k)),
            };
            if lo != 0 || hi != 0 {
                elem.fill(&mut data, 0, n as usize, lo, hi)?;
            }
            (*t, true, data, n)
        }
        Instr::ArrayNewFixed { type_idx, size } => {
            let Some(CompositeType::Array(f)) = composite(*type_idx) else {
                return None;
            };
            let elem = Elem::of(f.storage);
            let vals = pop_n(st, *size as usize)?;
            let data = match array(store, elem, *size, &mut vals.into_iter()) {
                Ok(d) => d,
                Err(k) => return Some(Err(k)),
            };
            (*type_idx, true, data, *size)
        }
        _ => return None,
    };
    let id = *types.get(ty as usize)?;
    Some(
        store
            .heap
            .alloc(&store.registry, id, array, data.into(), len)
            .map(|r| st.push((r, 0))),
    )
}

/// The slots of an array of `n` elements of kind `elem` taken from `vals`,
/// within the heap's limit.
fn array(
    store: &Store,
    elem: Elem,
    n: u32,
    vals: &mut dyn Iterator<Item = (u64, u64)>,
) -> Result<Vec<u64>, crate::trap::TrapKind> {
    let slots = elem
        .array_slots(n as u64)
        .filter(|s| store.heap.charge(s.saturating_mul(8)).is_ok())
        .ok_or(crate::trap::TrapKind::HeapExhausted)?;
    let mut data = vec![0; slots];
    for (i, (lo, hi)) in (0..n as usize).zip(vals) {
        if lo != 0 || hi != 0 {
            elem.set(&mut data, i, lo, hi)
                .ok_or(crate::trap::TrapKind::HeapExhausted)?;
        }
    }
    Ok(data)
}

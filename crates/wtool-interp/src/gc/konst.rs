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
    // Slots of values stored as elements of kind `elem`.
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
            let slots = (n as usize).saturating_mul(elem.slots());
            if let Err(k) = store.heap.charge(slots.saturating_mul(8)) {
                return Some(Err(k));
            }
            let mut data = Vec::with_capacity(slots);
            for _ in 0..n {
                data.push(lo);
                if elem == Elem::V128 {
                    data.push(hi);
                }
            }
            (*t, true, data, n)
        }
        Instr::ArrayNewFixed { type_idx, size } => {
            let Some(CompositeType::Array(f)) = composite(*type_idx) else {
                return None;
            };
            let elem = Elem::of(f.storage);
            let vals = pop_n(st, *size as usize)?;
            let data = flatten(&vals, &mut std::iter::repeat(elem));
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

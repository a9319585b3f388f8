//! Executing GC instructions in stack form: operands below `sp`, results
//! pushed there (see `exec::stack_op`).

use super::collect::maybe_collect;
use super::{cast::ref_test, Elem, GcOp, Obj};
use crate::exec::M;
use crate::store::Store;
use crate::trap::TrapKind;
use crate::values::{i31_slot, I31_TAG, NULL_REF};

/// The trap of an index or range outside an array (a function, so that
/// the `ok_or_else` calls build it only when they fail).
fn array_oob() -> TrapKind {
    TrapKind::ArrayOutOfBounds
}

/// Reads a field or element at `data[at..]` as the value it yields.
#[inline]
fn read(data: &[u64], at: usize, elem: Elem, signed: bool) -> Option<(u64, u64)> {
    let v = *data.get(at)?;
    Some(match elem {
        Elem::I8 if signed => (v as u8 as i8 as i32 as u32 as u64, 0),
        Elem::I8 => (v as u8 as u64, 0),
        Elem::I16 if signed => (v as u16 as i16 as i32 as u32 as u64, 0),
        Elem::I16 => (v as u16 as u64, 0),
        Elem::V128 => (v, *data.get(at + 1)?),
        _ => (v, 0),
    })
}

/// `start..start + n` as slot indices of an array of `len` elements of
/// `k` slots each, if in bounds.
#[inline]
fn span(start: u64, n: u64, len: usize, k: usize) -> Option<std::ops::Range<usize>> {
    let end = start.checked_add(n)?;
    if end > len as u64 {
        return None;
    }
    Some(start as usize * k..end as usize * k)
}

/// Decodes `n` elements from data segment bytes.
fn decode(bytes: &[u8], elem: Elem, out: &mut [u64]) {
    let w = elem.bytes();
    let k = elem.slots();
    for (i, chunk) in bytes.chunks_exact(w).enumerate() {
        let mut b = [0u8; 16];
        b[..w].copy_from_slice(chunk);
        let v = u128::from_le_bytes(b);
        out[i * k] = v as u64;
        if k == 2 {
            out[i * k + 1] = (v >> 64) as u64;
        }
    }
}

/// The slice of data segment `d` for `n` elements of `elem` from `off`.
fn data_span(store: &Store, d: u32, off: u64, n: u64, elem: Elem) -> Result<&[u8], TrapKind> {
    let bytes = store.datas.get(d as usize).map_or(&[][..], |v| &v[..]);
    n.checked_mul(elem.bytes() as u64)
        .and_then(|len| off.checked_add(len))
        .filter(|&end| end <= bytes.len() as u64)
        .map(|end| &bytes[off as usize..end as usize])
        .ok_or_else(|| TrapKind::MemoryOutOfBounds)
}

/// The slice of element segment `e` from `off` of `n` references.
fn elem_span(store: &Store, e: u32, off: u64, n: u64) -> Result<&[u64], TrapKind> {
    let refs = store.elems.get(e as usize).map_or(&[][..], |v| &v[..]);
    off.checked_add(n)
        .filter(|&end| end <= refs.len() as u64)
        .map(|end| &refs[off as usize..end as usize])
        .ok_or_else(|| TrapKind::TableOutOfBounds)
}

/// A zeroed slot buffer for `n` elements of `k` slots, within the heap's
/// limit (an impossible size traps instead of aborting the process).
fn buffer(store: &Store, n: u64, k: usize) -> Result<Vec<u64>, TrapKind> {
    let slots = usize::try_from(n)
        .ok()
        .and_then(|n| n.checked_mul(k))
        .ok_or_else(|| TrapKind::HeapExhausted)?;
    store
        .heap
        .charge(slots.saturating_mul(8))
        .map_err(|_| TrapKind::HeapExhausted)?;
    let mut v = Vec::new();
    v.try_reserve_exact(slots)
        .map_err(|_| TrapKind::HeapExhausted)?;
    v.resize(slots, 0);
    Ok(v)
}

/// The operands of `array.init_data`/`array.init_elem` below `sp`: the
/// array, the destination offset, the source offset and the count.
fn init_operands(stack: &[u64], sp: usize) -> (u64, u64, u64, u64) {
    let at = |k: usize| sp.wrapping_sub(k) & M;
    let u = |k: usize| stack[at(k)] as u32 as u64;
    (stack[at(4)], u(3), u(2), u(1))
}

/// Runs GC instruction `op` (store ids) on the operand stack whose top is
/// `sp`; returns the new top.
pub(crate) fn run(
    store: &mut Store,
    stack: &mut [u64],
    mut sp: usize,
    op: GcOp,
) -> Result<usize, TrapKind> {
    let at = |sp: usize, k: usize| sp.wrapping_sub(k) & M;
    if op.allocates() {
        maybe_collect(store, &stack[..sp.min(stack.len())]);
    }
    match op {
        GcOp::StructNew { ty, slots, default } => {
            let n = slots as usize;
            let data: Box<[u64]> = if default {
                vec![0; n].into()
            } else {
                let from = sp
                    .checked_sub(n)
                    .ok_or_else(|| TrapKind::Internal("stack underflow"))?;
                let v = stack
                    .get(from..sp)
                    .ok_or_else(|| TrapKind::Internal("stack underflow"))?;
                sp = from;
                v.into()
            };
            let r = store.heap.alloc(&store.registry, ty, false, data, 0)?;
            stack[sp & M] = r;
            sp += 1;
        }
        GcOp::StructGet { off, elem, signed } => {
            let r = stack[at(sp, 1)];
            if r == NULL_REF {
                return Err(TrapKind::NullStructureReference);
            }
            let data = store.heap.data(r)?;
            let (lo, hi) = read(data, off as usize, elem, signed)
                .ok_or_else(|| TrapKind::Internal("field outside its struct"))?;
            stack[at(sp, 1)] = lo;
            if elem == Elem::V128 {
                stack[sp & M] = hi;
                sp += 1;
            }
        }
        GcOp::StructSet { off, elem } => {
            let k = elem.slots();
            let r = stack[at(sp, k + 1)];
            if r == NULL_REF {
                return Err(TrapKind::NullStructureReference);
            }
            let (lo, hi) = (stack[at(sp, k)], stack[at(sp, 1)]);
            let data = store.heap.data_mut(r)?;
            let off = off as usize;
            let dst = data
                .get_mut(off..off + k)
                .ok_or_else(|| TrapKind::Internal("field outside its struct"))?;
            dst[0] = lo;
            if k == 2 {
                dst[1] = hi;
            }
            sp -= k + 1;
        }
        GcOp::ArrayNew { ty, elem, default } => {
            let k = elem.slots();
            let n = stack[at(sp, 1)] as u32 as u64;
            sp -= 1;
            let mut data = buffer(store, n, k)?;
            if !default {
                let (lo, hi) = (stack[at(sp, k)], stack[at(sp, 1)]);
                sp -= k;
                for e in data.chunks_exact_mut(k) {
                    e[0] = lo;
                    if k == 2 {
                        e[1] = hi;
                    }
                }
            }
            let r = store
                .heap
                .alloc(&store.registry, ty, true, data.into(), n as u32)?;
            stack[sp & M] = r;
            sp += 1;
        }
        GcOp::ArrayNewFixed { ty, elem, n } => {
            let slots = n as usize * elem.slots();
            let from = sp
                .checked_sub(slots)
                .ok_or_else(|| TrapKind::Internal("stack underflow"))?;
            let data: Box<[u64]> = stack
                .get(from..sp)
                .ok_or_else(|| TrapKind::Internal("stack underflow"))?
                .into();
            sp = from;
            let r = store.heap.alloc(&store.registry, ty, true, data, n)?;
            stack[sp & M] = r;
            sp += 1;
        }
        GcOp::ArrayNewData { ty, elem, data: d } => {
            let (off, n) = (
                stack[at(sp, 2)] as u32 as u64,
                stack[at(sp, 1)] as u32 as u64,
            );
            sp -= 2;
            let bytes = data_span(store, d, off, n, elem)?;
            let mut data = buffer(store, n, elem.slots())?;
            decode(bytes, elem, &mut data);
            let r = store
                .heap
                .alloc(&store.registry, ty, true, data.into(), n as u32)?;
            stack[sp & M] = r;
            sp += 1;
        }
        GcOp::ArrayNewElem { ty, elem: e } => {
            let (off, n) = (
                stack[at(sp, 2)] as u32 as u64,
                stack[at(sp, 1)] as u32 as u64,
            );
            sp -= 2;
            let data: Box<[u64]> = elem_span(store, e, off, n)?.into();
            let r = store
                .heap
                .alloc(&store.registry, ty, true, data, n as u32)?;
            stack[sp & M] = r;
            sp += 1;
        }
        GcOp::ArrayGet { elem, signed } => {
            let (r, i) = (stack[at(sp, 2)], stack[at(sp, 1)] as u32 as u64);
            let o = store.heap.array(r)?;
            let k = elem.slots();
            let s = span(i, 1, o.len as usize, k).ok_or_else(array_oob)?;
            let (lo, hi) = read(&o.data, s.start, elem, signed).ok_or_else(array_oob)?;
            sp -= 1;
            stack[at(sp, 1)] = lo;
            if k == 2 {
                stack[sp & M] = hi;
                sp += 1;
            }
        }
        GcOp::ArraySet { elem } => {
            let k = elem.slots();
            let (r, i) = (stack[at(sp, k + 2)], stack[at(sp, k + 1)] as u32 as u64);
            let (lo, hi) = (stack[at(sp, k)], stack[at(sp, 1)]);
            let o = store.heap.array_mut(r)?;
            let s = span(i, 1, o.len as usize, k).ok_or_else(array_oob)?;
            o.data[s.start] = lo;
            if k == 2 {
                o.data[s.start + 1] = hi;
            }
            sp -= k + 2;
        }
        GcOp::ArrayLen => {
            let r = stack[at(sp, 1)];
            stack[at(sp, 1)] = store.heap.array(r)?.len as u64;
        }
        GcOp::ArrayFill { elem } => {
            let k = elem.slots();
            let r = stack[at(sp, k + 3)];
            let off = stack[at(sp, k + 2)] as u32 as u64;
            let (lo, hi) = (stack[at(sp, k + 1)], stack[at(sp, 2)]);
            let n = stack[at(sp, 1)] as u32 as u64;
            let o = store.heap.array_mut(r)?;
            let s = span(off, n, o.len as usize, k).ok_or_else(array_oob)?;
            for e in o.data[s].chunks_exact_mut(k) {
                e[0] = lo;
                if k == 2 {
                    e[1] = hi;
                }
            }
            sp -= k + 3;
        }
        GcOp::ArrayCopy { elem } => {
            let k = elem.slots();
            let (d, doff) = (stack[at(sp, 5)], stack[at(sp, 4)] as u32 as u64);
            let (s, soff) = (stack[at(sp, 3)], stack[at(sp, 2)] as u32 as u64);
            let n = stack[at(sp, 1)] as u32 as u64;
            sp -= 5;
            let dlen = store.heap.array(d)?.len as usize;
            let src = store.heap.array(s)?;
            let sr = span(soff, n, src.len as usize, k).ok_or_else(array_oob)?;
            let dr = span(doff, n, dlen, k).ok_or_else(array_oob)?;
            if store.heap.index(d) == store.heap.index(s) {
                store.heap.array_mut(d)?.data.copy_within(sr, dr.start);
            } else {
                let tmp: Vec<u64> = src.data[sr].to_vec();
                store.heap.array_mut(d)?.data[dr].copy_from_slice(&tmp);
            }
        }
        GcOp::ArrayInitData { elem, data: dseg } => {
            let k = elem.slots();
            let (r, doff, soff, n) = init_operands(stack, sp);
            sp -= 4;
            let len = store.heap.array(r)?.len as usize;
            let dr = span(doff, n, len, k).ok_or_else(array_oob)?;
            let mut tmp = vec![0u64; dr.len()];
            decode(data_span(store, dseg, soff, n, elem)?, elem, &mut tmp);
            store.heap.array_mut(r)?.data[dr].copy_from_slice(&tmp);
        }
        GcOp::ArrayInitElem { elem: e } => {
            let (r, doff, soff, n) = init_operands(stack, sp);
            sp -= 4;
            let len = store.heap.array(r)?.len as usize;
            let dr = span(doff, n, len, 1).ok_or_else(array_oob)?;
            let tmp: Vec<u64> = elem_span(store, e, soff, n)?.to_vec();
            store.heap.array_mut(r)?.data[dr].copy_from_slice(&tmp);
        }
        GcOp::RefI31 => {
            let v = stack[at(sp, 1)];
            stack[at(sp, 1)] = i31_slot(v as u32);
        }
        GcOp::I31Get { signed } => {
            let v = stack[at(sp, 1)];
            if v & I31_TAG == 0 {
                return Err(TrapKind::NullI31Reference);
            }
            let x = v as u32 & 0x7fff_ffff;
            stack[at(sp, 1)] = if signed {
                ((x << 1) as i32 >> 1) as u32 as u64
            } else {
                x as u64
            };
        }
        GcOp::Test { rt } => {
            let v = stack[at(sp, 1)];
            stack[at(sp, 1)] = ref_test(store, v, rt) as u64;
        }
        GcOp::Cast { rt } => {
            if !ref_test(store, stack[at(sp, 1)], rt) {
                return Err(TrapKind::CastFailure);
            }
        }
        GcOp::TestKeep { rt, neg } => {
            let v = stack[at(sp, 1)];
            stack[sp & M] = (ref_test(store, v, rt) != neg) as u64;
            sp += 1;
        }
    }
    Ok(sp)
}

impl super::Heap {
    /// The array `r` references; null traps "null array reference".
    #[inline]
    fn array(&self, r: u64) -> Result<&Obj, TrapKind> {
        if r == NULL_REF {
            return Err(TrapKind::NullArrayReference);
        }
        let i = self.index(r).ok_or_else(|| TrapKind::StaleReference)?;
        Ok(&self.objs[i])
    }

    /// The array `r` references, writable.
    #[inline]
    fn array_mut(&mut self, r: u64) -> Result<&mut Obj, TrapKind> {
        if r == NULL_REF {
            return Err(TrapKind::NullArrayReference);
        }
        let i = self.index(r).ok_or_else(|| TrapKind::StaleReference)?;
        Ok(&mut self.objs[i])
    }
}

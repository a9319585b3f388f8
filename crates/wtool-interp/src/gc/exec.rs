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

/// `start` and `n` as a checked element range of an array of `len`.
#[inline]
fn span(start: u64, n: u64, len: u32) -> Result<(usize, usize), TrapKind> {
    match start.checked_add(n) {
        Some(end) if end <= len as u64 => Ok((start as usize, n as usize)),
        _ => Err(array_oob()),
    }
}

/// Writes the elements of data segment bytes into an array from element
/// `at` (the caller checked both ranges).
fn decode(bytes: &[u8], elem: Elem, out: &mut [u64], at: usize) -> Result<(), TrapKind> {
    let w = elem.bytes();
    for (i, chunk) in bytes.chunks_exact(w).enumerate() {
        let mut b = [0u8; 16];
        b[..w].copy_from_slice(chunk);
        let v = u128::from_le_bytes(b);
        elem.set(out, at + i, v as u64, (v >> 64) as u64)
            .ok_or_else(array_oob)?;
    }
    Ok(())
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

/// Zeroed slots for an array of `n` elements, within the heap's limit (an
/// impossible size traps instead of aborting the process). Zeroed by the
/// allocator, so a large array's pages are mapped only when touched.
fn buffer(store: &Store, n: u64, elem: Elem) -> Result<Vec<u64>, TrapKind> {
    let slots = elem
        .array_slots(n)
        .filter(|s| u32::try_from(n).is_ok() && store.heap.charge(s.saturating_mul(8)).is_ok())
        .ok_or_else(|| TrapKind::HeapExhausted)?;
    Ok(vec![0; slots])
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
            let mut data = buffer(store, n, elem)?;
            if !default {
                let (lo, hi) = (stack[at(sp, k)], stack[at(sp, 1)]);
                sp -= k;
                if lo != 0 || hi != 0 {
                    elem.fill(&mut data, 0, n as usize, lo, hi)
                        .ok_or_else(array_oob)?;
                }
            }
            let r = store
                .heap
                .alloc(&store.registry, ty, true, data.into(), n as u32)?;
            stack[sp & M] = r;
            sp += 1;
        }
        GcOp::ArrayNewFixed { ty, elem, n } => {
            let k = elem.slots();
            let from = sp
                .checked_sub(n as usize * k)
                .ok_or_else(|| TrapKind::Internal("stack underflow"))?;
            let vals = stack
                .get(from..sp)
                .ok_or_else(|| TrapKind::Internal("stack underflow"))?;
            let mut data = buffer(store, n as u64, elem)?;
            for (i, v) in vals.chunks_exact(k).enumerate() {
                elem.set(&mut data, i, v[0], v[k - 1])
                    .ok_or_else(array_oob)?;
            }
            sp = from;
            let r = store
                .heap
                .alloc(&store.registry, ty, true, data.into(), n)?;
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
            let mut data = buffer(store, n, elem)?;
            decode(bytes, elem, &mut data, 0)?;
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
            let (i, _) = span(i, 1, o.len)?;
            let (lo, hi) = elem.get(&o.data, i).ok_or_else(array_oob)?;
            let (lo, hi) = read(&[lo, hi], 0, elem, signed).ok_or_else(array_oob)?;
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
            let (i, _) = span(i, 1, o.len)?;
            elem.set(&mut o.data, i, lo, hi).ok_or_else(array_oob)?;
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
            let (start, n) = span(off, n, o.len)?;
            elem.fill(&mut o.data, start, n, lo, hi)
                .ok_or_else(array_oob)?;
            sp -= k + 3;
        }
        GcOp::ArrayCopy { elem } => {
            let (d, doff) = (stack[at(sp, 5)], stack[at(sp, 4)] as u32 as u64);
            let (s, soff) = (stack[at(sp, 3)], stack[at(sp, 2)] as u32 as u64);
            let n = stack[at(sp, 1)] as u32 as u64;
            sp -= 5;
            let dlen = store.heap.array(d)?.len;
            let src = store.heap.array(s)?;
            let (so, n) = span(soff, n, src.len)?;
            let (dof, _) = span(doff, n as u64, dlen)?;
            let copied = if store.heap.index(d) == store.heap.index(s) {
                elem.copy_within(&mut store.heap.array_mut(d)?.data, dof, so, n)
            } else {
                let (di, si) = (store.heap.index(d), store.heap.index(s));
                let (di, si) = di.zip(si).ok_or_else(|| TrapKind::StaleReference)?;
                let (dst, src) = store.heap.pair_mut(di, si);
                elem.copy(&mut dst.data, dof, &src.data, so, n)
            };
            copied.ok_or_else(array_oob)?;
        }
        GcOp::ArrayInitData { elem, data: dseg } => {
            let (r, doff, soff, n) = init_operands(stack, sp);
            sp -= 4;
            let len = store.heap.array(r)?.len;
            let (start, _) = span(doff, n, len)?;
            let bytes = data_span(store, dseg, soff, n, elem)?.to_vec();
            decode(&bytes, elem, &mut store.heap.array_mut(r)?.data, start)?;
        }
        GcOp::ArrayInitElem { elem: e } => {
            let (r, doff, soff, n) = init_operands(stack, sp);
            sp -= 4;
            let len = store.heap.array(r)?.len;
            let (start, n) = span(doff, n, len)?;
            let tmp: Vec<u64> = elem_span(store, e, soff, n as u64)?.to_vec();
            store.heap.array_mut(r)?.data[start..start + n].copy_from_slice(&tmp);
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
    /// Two distinct entries, writable and readable.
    fn pair_mut(&mut self, a: usize, b: usize) -> (&mut Obj, &Obj) {
        if a < b {
            let (lo, hi) = self.objs.split_at_mut(b);
            (&mut lo[a], &hi[0])
        } else {
            let (lo, hi) = self.objs.split_at_mut(a);
            (&mut hi[0], &lo[b])
        }
    }

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

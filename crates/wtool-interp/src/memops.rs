//! The stack-form memory and table instructions (loads and stores on any
//! memory, lane loads and stores, bulk memory and table operations).
//!
//! Addresses and table indices are read at the width of the memory's or
//! table's type (memory64, table64): a 32-bit operand is the slot's low
//! half, a 64-bit one the whole slot. Effective addresses and ranges use
//! checked 64-bit arithmetic, so an access that would wrap traps.

use std::ops::Range;

use wtool_ast::{Op, OpKind};

use crate::exec::M;
use crate::numeric;
use crate::store::Store;
use crate::trap::TrapKind;

/// An address or index operand of a memory or table with the given
/// address width.
#[inline]
pub(crate) fn addr(slot: u64, is64: bool) -> u64 {
    if is64 {
        slot
    } else {
        slot as u32 as u64
    }
}

/// The bytes `[a + off, a + off + n)` when they lie inside `len` bytes.
#[inline]
pub(crate) fn range(len: usize, a: u64, off: u64, n: u64) -> Option<Range<usize>> {
    let ea = a.checked_add(off)?;
    let end = ea.checked_add(n)?;
    if end > len as u64 {
        return None;
    }
    Some(ea as usize..end as usize)
}

/// The `-1` that `memory.grow` and `table.grow` return on failure.
#[inline]
fn minus_one(is64: bool) -> u64 {
    if is64 {
        u64::MAX
    } else {
        u32::MAX as u64
    }
}

/// A load or store `op` with `offset` on memory `mem` (store address);
/// the top of the operand stack is at `sp`. Returns the new top.
pub(crate) fn access(
    store: &mut Store,
    stack: &mut [u64],
    sp: usize,
    op: Op,
    mem: u32,
    offset: u64,
) -> Result<usize, TrapKind> {
    let m = store
        .mems
        .get_mut(mem as usize)
        .ok_or(TrapKind::MemoryOutOfBounds)?;
    if let OpKind::Atomic(_) = op.kind() {
        return crate::atomic::access(m, stack, sp, op, offset);
    }
    let is64 = m.is64();
    let data = m.bytes_mut();
    const OOB: TrapKind = TrapKind::MemoryOutOfBounds;
    macro_rules! ld {
        ($n:literal) => {{
            let a = addr(stack[(sp - 1) & M], is64);
            let r = range(data.len(), a, offset, $n).ok_or(OOB)?;
            let mut b = [0u8; $n];
            b.copy_from_slice(&data[r]);
            b
        }};
    }
    // A store of `bytes`; the value takes `vs` slots above the address.
    macro_rules! st {
        ($vs:literal, $bytes:expr) => {{
            let b = $bytes;
            let a = addr(stack[(sp - 1 - $vs) & M], is64);
            let r = range(data.len(), a, offset, b.len() as u64).ok_or(OOB)?;
            data[r].copy_from_slice(&b);
            return Ok(sp - 1 - $vs);
        }};
    }
    let top = (sp - 1) & M;
    let v = stack[top];
    stack[top] = match op {
        Op::I32Load | Op::F32Load | Op::I64Load32U => u32::from_le_bytes(ld!(4)) as u64,
        Op::I64Load | Op::F64Load => u64::from_le_bytes(ld!(8)),
        Op::I32Load8S => ld!(1)[0] as i8 as i32 as u32 as u64,
        Op::I32Load8U | Op::I64Load8U => ld!(1)[0] as u64,
        Op::I32Load16S => i16::from_le_bytes(ld!(2)) as i32 as u32 as u64,
        Op::I32Load16U | Op::I64Load16U => u16::from_le_bytes(ld!(2)) as u64,
        Op::I64Load8S => ld!(1)[0] as i8 as i64 as u64,
        Op::I64Load16S => i16::from_le_bytes(ld!(2)) as i64 as u64,
        Op::I64Load32S => i32::from_le_bytes(ld!(4)) as i64 as u64,
        Op::I32Store | Op::F32Store | Op::I64Store32 => st!(1, (v as u32).to_le_bytes()),
        Op::I64Store | Op::F64Store => st!(1, v.to_le_bytes()),
        Op::I32Store8 | Op::I64Store8 => st!(1, [v as u8]),
        Op::I32Store16 | Op::I64Store16 => st!(1, (v as u16).to_le_bytes()),
        Op::V128Store => {
            let lo = stack[(sp - 2) & M];
            st!(2, ((v as u128) << 64 | lo as u128).to_le_bytes())
        }
        _ => {
            let r: u128 = match op {
                Op::V128Load => u128::from_le_bytes(ld!(16)),
                Op::V128Load8Splat => u128::from_le_bytes([ld!(1)[0]; 16]),
                Op::V128Load16Splat => {
                    (u16::from_le_bytes(ld!(2)) as u128) * 0x0001_0001_0001_0001_0001_0001_0001_0001
                }
                Op::V128Load32Splat => {
                    (u32::from_le_bytes(ld!(4)) as u128) * 0x0000_0001_0000_0001_0000_0001_0000_0001
                }
                Op::V128Load64Splat => {
                    let x = u64::from_le_bytes(ld!(8)) as u128;
                    x | (x << 64)
                }
                Op::V128Load32Zero => u32::from_le_bytes(ld!(4)) as u128,
                Op::V128Load64Zero => u64::from_le_bytes(ld!(8)) as u128,
                _ => numeric::load_extend(op, ld!(8)),
            };
            stack[top] = r as u64;
            stack[sp & M] = (r >> 64) as u64;
            return Ok(sp + 1);
        }
    };
    Ok(sp)
}

/// `v128.{load,store}N_lane` on memory `mem`: `[addr, v128]` on the stack.
pub(crate) fn lane(
    store: &mut Store,
    stack: &mut [u64],
    sp: usize,
    op: Op,
    lane: u8,
    mem: u32,
    offset: u64,
) -> Result<usize, TrapKind> {
    let m = store
        .mems
        .get_mut(mem as usize)
        .ok_or(TrapKind::MemoryOutOfBounds)?;
    let is64 = m.is64();
    let data = m.bytes_mut();
    let v = (stack[(sp - 1) & M] as u128) << 64 | stack[(sp - 2) & M] as u128;
    let a = addr(stack[(sp - 3) & M], is64);
    let (is_load, size_log2) = match op.kind() {
        OpKind::LoadLane(s) => (true, s),
        OpKind::StoreLane(s) => (false, s),
        _ => return Err(TrapKind::UnsupportedOperator),
    };
    let n = 1u64 << size_log2;
    let bits = 8 * n as u32;
    let shift = bits * lane as u32;
    let mask: u128 = (1u128 << bits) - 1;
    let r = range(data.len(), a, offset, n).ok_or(TrapKind::MemoryOutOfBounds)?;
    if is_load {
        let mut b = [0u8; 8];
        b[..n as usize].copy_from_slice(&data[r]);
        let x = u64::from_le_bytes(b) as u128;
        let out = (v & !(mask << shift)) | (x << shift);
        stack[(sp - 3) & M] = out as u64;
        stack[(sp - 2) & M] = (out >> 64) as u64;
        Ok(sp - 1)
    } else {
        let x = (((v >> shift) & mask) as u64).to_le_bytes();
        data[r].copy_from_slice(&x[..n as usize]);
        Ok(sp - 3)
    }
}

/// Whether memory `m` (store address) is 64-bit.
fn mem64(store: &Store, m: u32) -> bool {
    store.mems.get(m as usize).is_some_and(|m| m.is64())
}

/// Whether table `t` (store address) is 64-bit.
fn table64(store: &Store, t: u32) -> bool {
    store.tables.get(t as usize).is_some_and(|t| t.ty.index64)
}

/// `[start, start + n)` inside `len` elements.
#[inline]
fn span(start: u64, n: u64, len: usize) -> Option<Range<usize>> {
    range(len, start, 0, n)
}

/// The three operands of a bulk operation (destination, source or value,
/// count), each read at its width; pops them.
#[inline]
fn pop3(stack: &[u64], sp: &mut usize, w: [bool; 3]) -> (u64, u64, u64) {
    let n = addr(stack[(*sp - 1) & M], w[2]);
    let x = addr(stack[(*sp - 2) & M], w[1]);
    let d = addr(stack[(*sp - 3) & M], w[0]);
    *sp -= 3;
    (d, x, n)
}

/// `memory.size/grow/fill/copy/init` on store memories.
pub(crate) fn memory_op(
    store: &mut Store,
    stack: &mut [u64],
    mut sp: usize,
    ins: crate::ins::Ins,
) -> Result<usize, TrapKind> {
    use crate::ins::Ins;
    const OOB: TrapKind = TrapKind::MemoryOutOfBounds;
    match ins {
        Ins::MemorySize(m) => {
            stack[sp & M] = store.mems.get(m as usize).map_or(0, |m| m.pages());
            sp += 1;
        }
        Ins::MemoryGrow(m) => {
            let is64 = mem64(store, m);
            let n = addr(stack[(sp - 1) & M], is64);
            stack[(sp - 1) & M] = store
                .mems
                .get_mut(m as usize)
                .and_then(|m| m.grow(n))
                .unwrap_or(minus_one(is64));
        }
        Ins::MemoryFill(m) => {
            let is64 = mem64(store, m);
            let (d, v, n) = pop3(stack, &mut sp, [is64, false, is64]);
            let data = store.mems.get_mut(m as usize).ok_or(OOB)?.bytes_mut();
            let r = span(d, n, data.len()).ok_or(OOB)?;
            data[r].fill(v as u8);
        }
        Ins::MemoryCopy { dst, src } => {
            let (d64, s64) = (mem64(store, dst), mem64(store, src));
            let (d, s, n) = pop3(stack, &mut sp, [d64, s64, d64 && s64]);
            let sl = store.mems.get(src as usize).ok_or(OOB)?.len();
            let dl = store.mems.get(dst as usize).ok_or(OOB)?.len();
            let (sr, dr) = (span(s, n, sl).ok_or(OOB)?, span(d, n, dl).ok_or(OOB)?);
            if dst == src {
                store.mems[dst as usize]
                    .bytes_mut()
                    .copy_within(sr, dr.start);
            } else {
                let tmp = store.mems[src as usize].bytes()[sr].to_vec();
                store.mems[dst as usize].bytes_mut()[dr].copy_from_slice(&tmp);
            }
        }
        Ins::MemoryInit { mem, data } => {
            let is64 = mem64(store, mem);
            let (d, s, n) = pop3(stack, &mut sp, [is64, false, false]);
            let seg = store.datas.get(data as usize).ok_or(OOB)?;
            let sr = span(s, n, seg.len()).ok_or(OOB)?;
            let m = store.mems.get_mut(mem as usize).ok_or(OOB)?;
            let dr = span(d, n, m.len()).ok_or(OOB)?;
            m.bytes_mut()[dr].copy_from_slice(&seg[sr]);
        }
        _ => return Err(TrapKind::UnsupportedOperator),
    }
    Ok(sp)
}

/// `table.get/set/size/grow/fill/copy/init` on store tables.
pub(crate) fn table_op(
    store: &mut Store,
    stack: &mut [u64],
    mut sp: usize,
    ins: crate::ins::Ins,
) -> Result<usize, TrapKind> {
    use crate::ins::Ins;
    const OOB: TrapKind = TrapKind::TableOutOfBounds;
    match ins {
        Ins::TableGet(t) => {
            let i = addr(stack[(sp - 1) & M], table64(store, t));
            let elems = &store.tables.get(t as usize).ok_or(OOB)?.elems;
            let r = span(i, 1, elems.len()).ok_or(OOB)?;
            stack[(sp - 1) & M] = elems[r.start];
        }
        Ins::TableSet(t) => {
            let v = stack[(sp - 1) & M];
            let i = addr(stack[(sp - 2) & M], table64(store, t));
            sp -= 2;
            let elems = &mut store.tables.get_mut(t as usize).ok_or(OOB)?.elems;
            let r = span(i, 1, elems.len()).ok_or(OOB)?;
            elems[r.start] = v;
        }
        Ins::TableSize(t) => {
            stack[sp & M] = store.tables.get(t as usize).map_or(0, |t| t.elems.len()) as u64;
            sp += 1;
        }
        Ins::TableGrow(t) => {
            let is64 = table64(store, t);
            let n = addr(stack[(sp - 1) & M], is64);
            let init = stack[(sp - 2) & M];
            sp -= 1;
            stack[(sp - 1) & M] = store
                .tables
                .get_mut(t as usize)
                .and_then(|t| t.grow(n, init))
                .unwrap_or(minus_one(is64));
        }
        Ins::TableFill(t) => {
            let is64 = table64(store, t);
            let (d, v, n) = pop3(stack, &mut sp, [is64, true, is64]);
            let elems = &mut store.tables.get_mut(t as usize).ok_or(OOB)?.elems;
            let r = span(d, n, elems.len()).ok_or(OOB)?;
            elems[r].fill(v);
        }
        Ins::TableCopy { dst, src } => {
            let (d64, s64) = (table64(store, dst), table64(store, src));
            let (d, s, n) = pop3(stack, &mut sp, [d64, s64, d64 && s64]);
            let sl = store.tables.get(src as usize).ok_or(OOB)?.elems.len();
            let dl = store.tables.get(dst as usize).ok_or(OOB)?.elems.len();
            let (sr, dr) = (span(s, n, sl).ok_or(OOB)?, span(d, n, dl).ok_or(OOB)?);
            if dst == src {
                store.tables[dst as usize].elems.copy_within(sr, dr.start);
            } else {
                let tmp = store.tables[src as usize].elems[sr].to_vec();
                store.tables[dst as usize].elems[dr].copy_from_slice(&tmp);
            }
        }
        Ins::TableInit { table, elem } => {
            let is64 = table64(store, table);
            let (d, s, n) = pop3(stack, &mut sp, [is64, false, false]);
            let seg = store.elems.get(elem as usize).ok_or(OOB)?;
            let sr = span(s, n, seg.len()).ok_or(OOB)?;
            let t = store.tables.get_mut(table as usize).ok_or(OOB)?;
            let dr = span(d, n, t.elems.len()).ok_or(OOB)?;
            t.elems[dr].copy_from_slice(&seg[sr]);
        }
        Ins::TableIdx64 => {
            // `call_indirect` on a table64 reads a 32-bit index: tables
            // never reach 2^32 elements (`TableInst::new`), so a larger
            // index is out of bounds.
            if stack[(sp - 1) & M] > u32::MAX as u64 {
                return Err(TrapKind::UndefinedElement);
            }
        }
        _ => return Err(TrapKind::UnsupportedOperator),
    }
    Ok(sp)
}

//! Register handlers of the scalar loads and stores on a 64-bit memory 0
//! (memory64): the address is a whole slot and the offset 64 bits, so the
//! effective address is a checked sum, then one bounds check against the
//! length carried in `len`, as for the 32-bit forms in `memory.rs`.

use super::{dispatch, handlers, Cx, Exit, Handler, TrapCode};
use crate::code::{Field, Inst};
use crate::ins::Ins;

/// The start of the `n` bytes at `a + offset` when they lie inside `len`.
#[inline(always)]
fn at(a: u64, offset: u64, n: u64, len: usize) -> Option<usize> {
    let ea = a.checked_add(offset)?;
    (ea.checked_add(n)? <= len as u64).then_some(ea as usize)
}

macro_rules! ld64 {
    ($d:expr, $a:tt, $off:expr, $n:literal, $op:expr) => {{
        let op: fn([u8; $n]) -> u64 = $op;
        let (mem, len) = m!();
        let Some(ea) = at(r!($a), $off, $n, len) else {
            trap!(MemoryOutOfBounds);
        };
        // SAFETY: `mem` points to `len` bytes of memory 0, current since
        // the last `Cx::mem_view` (nothing a register handler does can
        // move them), and `ea + N <= len` was just checked.
        #[allow(unsafe_code)]
        let b: [u8; $n] = unsafe { std::ptr::read_unaligned(mem.add(ea) as *const [u8; $n]) };
        w!($d, op(b))
    }};
}

macro_rules! st64 {
    ($a:tt, $off:expr, $bytes:expr) => {{
        let bytes = $bytes;
        let (mem, len) = m!();
        let Some(ea) = at(r!($a), $off, bytes.len() as u64, len) else {
            trap!(MemoryOutOfBounds);
        };
        // SAFETY: as for `ld64!`: in bounds of the current buffer of
        // memory 0, which nothing else borrows while handlers run.
        #[allow(unsafe_code)]
        unsafe {
            std::ptr::write_unaligned(mem.add(ea).cast(), bytes)
        };
    }};
}

handlers! {
    lower, lower_acc;
    (ip, sp, mem, len, cx, acc, facc);
    Mem64Load4U { d, a, offset } [a] => { ld64!(d, a, offset, 4, |b| u32::from_le_bytes(b) as u64); }
    Mem64Load8 { d, a, offset } [a] => { ld64!(d, a, offset, 8, u64::from_le_bytes); }
    Mem64Load1U { d, a, offset } [a] => { ld64!(d, a, offset, 1, |b| b[0] as u64); }
    Mem64Load2U { d, a, offset } [a] => { ld64!(d, a, offset, 2, |b| u16::from_le_bytes(b) as u64); }
    Mem64Load1S32 { d, a, offset } [a] => {
        ld64!(d, a, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
    }
    Mem64Load2S32 { d, a, offset } [a] => {
        ld64!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64)
    }
    Mem64Load1S64 { d, a, offset } [a] => { ld64!(d, a, offset, 1, |b| b[0] as i8 as i64 as u64); }
    Mem64Load2S64 { d, a, offset } [a] => {
        ld64!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
    }
    Mem64Load4S64 { d, a, offset } [a] => {
        ld64!(d, a, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
    }
    Mem64Store1 { a, v, offset } [a, v] => { st64!(a, offset, [r!(v) as u8]); }
    Mem64Store2 { a, v, offset } [a, v] => { st64!(a, offset, (r!(v) as u16).to_le_bytes()); }
    Mem64Store4 { a, v, offset } [a, v] => { st64!(a, offset, (r!(v) as u32).to_le_bytes()); }
    Mem64Store8 { a, v, offset } [a, v] => { st64!(a, offset, r!(v).to_le_bytes()); }
}

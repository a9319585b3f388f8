//! Register handlers of the scalar loads and stores on memory 0: one
//! bounds check per access against the length carried in `len`.

use super::{dispatch, handlers, Cx, Exit, Handler, TrapCode};
use crate::code::{Field, Inst};
use crate::ins::Ins;

/// `N` bytes at `base + ea`.
///
/// # Safety
/// `base + ea .. base + ea + N` must lie in one live allocation.
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn read_at<const N: usize>(base: *mut u8, ea: usize) -> [u8; N] {
    // SAFETY: the caller's contract; unaligned reads are allowed.
    unsafe { std::ptr::read_unaligned(base.add(ea) as *const [u8; N]) }
}

/// Writes `b` at `base + ea`.
///
/// # Safety
/// `base + ea .. base + ea + N` must lie in one live allocation that
/// nothing else borrows.
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn write_at<const N: usize>(base: *mut u8, ea: usize, b: [u8; N]) {
    // SAFETY: the caller's contract; unaligned writes are allowed.
    unsafe { std::ptr::write_unaligned(base.add(ea) as *mut [u8; N], b) }
}

// Loads and stores at `x + y` (32-bit wrapping) plus an offset.
macro_rules! ld {
    ($d:expr, $x:expr, $y:expr, $off:expr, $n:literal, $op:expr) => {{
        let ea = ($x as u32).wrapping_add($y) as u64 + $off as u64;
        let op: fn([u8; $n]) -> u64 = $op;
        let (mem, len) = m!();
        if ea + $n > len as u64 {
            trap!(MemoryOutOfBounds);
        }
        // SAFETY: `mem` points to `len` bytes of memory 0, current since
        // the last `Cx::mem_view` (nothing a register handler does can
        // move them), and `ea + N <= len` was just checked.
        #[allow(unsafe_code)]
        let b: [u8; $n] = unsafe { read_at(mem, ea as usize) };
        w!($d, op(b))
    }};
}
macro_rules! st {
    ($x:expr, $y:expr, $off:expr, $bytes:expr) => {{
        let ea = ($x as u32).wrapping_add($y) as u64 + $off as u64;
        let bytes = $bytes;
        let (mem, len) = m!();
        if ea + bytes.len() as u64 > len as u64 {
            trap!(MemoryOutOfBounds);
        }
        // SAFETY: as for `ld!`: in bounds of the current buffer of
        // memory 0, which nothing else borrows while handlers run.
        #[allow(unsafe_code)]
        unsafe {
            write_at(mem, ea as usize, bytes)
        };
    }};
}
macro_rules! ldr {
    ($d:expr, $a:tt, $off:expr, $n:literal, $op:expr) => {
        ld!($d, r!($a), 0, $off, $n, $op)
    };
}
macro_rules! str {
    ($a:tt, $off:expr, $bytes:expr) => {
        st!(r!($a), 0, $off, $bytes)
    };
}
macro_rules! ldw {
    ($d:expr, $x:expr, $y:expr, $n:literal, $op:expr) => {
        ld!($d, $x, $y, 0, $n, $op)
    };
}
macro_rules! strw {
    ($x:expr, $y:expr, $bytes:expr) => {
        st!($x, $y, 0, $bytes)
    };
}

handlers! {
    lower, lower_acc;
    (ip, sp, mem, len, cx, acc, facc);
    I32Load { d, a, offset } [a] => {
                    ldr!(d, a, offset, 4, |b| u32::from_le_bytes(b) as u64)
                }
    I64Load { d, a, offset } [a] => { ldr!(d, a, offset, 8, u64::from_le_bytes); }
    I32Load8S { d, a, offset } [a] => {
                    ldr!(d, a, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
                }
    I32Load8U { d, a, offset } [a] => { ldr!(d, a, offset, 1, |b| b[0] as u64); }
    I32Load16S { d, a, offset } [a] => {
                    ldr!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32
                        as u64)
                }
    I32Load16U { d, a, offset } [a] => {
                    ldr!(d, a, offset, 2, |b| u16::from_le_bytes(b) as u64)
                }
    I64Load8S { d, a, offset } [a] => {
                    ldr!(d, a, offset, 1, |b| b[0] as i8 as i64 as u64)
                }
    I64Load8U { d, a, offset } [a] => { ldr!(d, a, offset, 1, |b| b[0] as u64); }
    I64Load16S { d, a, offset } [a] => {
                    ldr!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
                }
    I64Load16U { d, a, offset } [a] => {
                    ldr!(d, a, offset, 2, |b| u16::from_le_bytes(b) as u64)
                }
    I64Load32S { d, a, offset } [a] => {
                    ldr!(d, a, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
                }
    I64Load32U { d, a, offset } [a] => {
                    ldr!(d, a, offset, 4, |b| u32::from_le_bytes(b) as u64)
                }
    I32Store { a, v, offset } [a, v] => { str!(a, offset, (r!(v) as u32).to_le_bytes()); }
    I64Store { a, v, offset } [a, v] f[v] => { str!(a, offset, r!(v).to_le_bytes()); }
    I32Store8 { a, v, offset } [a, v] => { str!(a, offset, [r!(v) as u8]); }
    I32Store16 { a, v, offset } [a, v] => { str!(a, offset, (r!(v) as u16).to_le_bytes()); }
    I64Store32 { a, v, offset } [a, v] => { str!(a, offset, (r!(v) as u32).to_le_bytes()); }
    I32StoreI { a, imm, offset } [a] => { str!(a, offset, imm.to_le_bytes()); }
    I32Store8I { a, imm, offset } [a] => { str!(a, offset, [imm as u8]); }
    I32StoreAI { x, imm, v } [x, v] => {
                    strw!(r!(x) as u32, imm, (r!(v) as u32).to_le_bytes())
                }
    I64StoreAI { x, imm, v } [x, v] f[v] => { strw!(r!(x) as u32, imm, r!(v).to_le_bytes()); }
    I32Store8AI { x, imm, v } [x, v] => { strw!(r!(x) as u32, imm, [r!(v) as u8]); }
    I32StoreAA { x, y, v } [x, y, v] => {
                    strw!(r!(x) as u32, r!(y) as u32, (r!(v) as u32).to_le_bytes())
                }
    I64StoreAA { x, y, v } [x, y, v] f[v] => {
                    strw!(r!(x) as u32, r!(y) as u32, r!(v).to_le_bytes())
                }
    I32Store8AA { x, y, v } [x, y, v] => { strw!(r!(x) as u32, r!(y) as u32, [r!(v) as u8]); }
    I32Store8IAA { x, y, imm } [x, y] => { strw!(r!(x) as u32, r!(y) as u32, [imm as u8]); }
    I32LoadAI { d, x, imm } [x] => {
                    ldw!(d, r!(x) as u32, imm, 4, |b| u32::from_le_bytes(b) as u64)
                }
    I64LoadAI { d, x, imm } [x] => { ldw!(d, r!(x) as u32, imm, 8, u64::from_le_bytes); }
    I32Load8UAI { d, x, imm } [x] => { ldw!(d, r!(x) as u32, imm, 1, |b| b[0] as u64); }
    I32LoadAA { d, x, y } [x, y] => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 4, |b| u32::from_le_bytes(b)
                        as u64)
                }
    I64LoadAA { d, x, y } [x, y] => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 8, u64::from_le_bytes)
                }
    I32Load8UAA { d, x, y } [x, y] => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 1, |b| b[0] as u64)
                }
        I32LoadAbs { d, addr } => { ld!(d, 0u32, 0u32, addr, 4, |b| u32::from_le_bytes(b) as u64); }
        I64LoadAbs { d, addr } => { ld!(d, 0u32, 0u32, addr, 8, u64::from_le_bytes); }
        I32Load8UAbs { d, addr } => { ld!(d, 0u32, 0u32, addr, 1, |b| b[0] as u64); }
    I32StoreAbs { v, addr } [v] => { st!(0u32, 0u32, addr, (r!(v) as u32).to_le_bytes()); }
    I64StoreAbs { v, addr } [v] f[v] => { st!(0u32, 0u32, addr, r!(v).to_le_bytes()); }
    I32Store8Abs { v, addr } [v] => { st!(0u32, 0u32, addr, [r!(v) as u8]); }
    I32LoadSc { d, x, sh, imm } [x] => {
        let a = (r!(x) as u32).wrapping_shl(sh);
        ldw!(d, a, imm, 4, |b| u32::from_le_bytes(b) as u64)
    }
    I64LoadSc { d, x, sh, imm } [x] => {
        let a = (r!(x) as u32).wrapping_shl(sh);
        ldw!(d, a, imm, 8, u64::from_le_bytes)
    }
    I32StoreSc { x, sh, imm, v } [x, v] => {
        let a = (r!(x) as u32).wrapping_shl(sh);
        strw!(a, imm, (r!(v) as u32).to_le_bytes())
    }
    I64StoreSc { x, sh, imm, v } [x, v] f[v] => {
        let a = (r!(x) as u32).wrapping_shl(sh);
        strw!(a, imm, r!(v).to_le_bytes())
    }
}

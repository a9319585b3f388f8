//! Register handlers of the numeric instructions: integer and float
//! arithmetic, comparisons and conversions, on frame slots and immediates.

use super::{dispatch, handlers, Cx, Exit, Handler, TrapCode};
use crate::code::{Field, Inst};
use crate::ins::Ins;
use crate::numeric;
use crate::values::NULL_REF;

/// A unary f32 op on slot bits.
#[inline(always)]
fn f32u(x: u64, f: fn(f32) -> f32) -> u64 {
    f(f32::from_bits(x as u32)).to_bits() as u64
}

macro_rules! rr32 {
    ($d:expr, $a:tt, $b:tt, $op:expr) => {{
        let op: fn(u32, u32) -> u64 = $op;
        w!($d, op(r!($a) as u32, r!($b) as u32))
    }};
}
macro_rules! ri32 {
    ($d:expr, $a:tt, $imm:expr, $op:expr) => {{
        let op: fn(u32, u32) -> u64 = $op;
        w!($d, op(r!($a) as u32, $imm))
    }};
}
macro_rules! rr64 {
    ($d:expr, $a:tt, $b:tt, $op:expr) => {{
        let op: fn(u64, u64) -> u64 = $op;
        w!($d, op(r!($a), r!($b)))
    }};
}
// 64-bit immediates are sign-extended from 32 bits.
macro_rules! ri64 {
    ($d:expr, $a:tt, $imm:expr, $op:expr) => {{
        let op: fn(u64, u64) -> u64 = $op;
        w!($d, op(r!($a), $imm as i32 as i64 as u64))
    }};
}
macro_rules! rrf32 {
    ($d:expr, $a:tt, $b:tt, $op:expr) => {{
        let op: fn(f32, f32) -> f32 = $op;
        let (x, y) = (f32::from_bits(r!($a) as u32), f32::from_bits(r!($b) as u32));
        w!($d, op(x, y).to_bits() as u64)
    }};
}
macro_rules! rrf64 {
    ($d:expr, $a:tt, $b:tt, $op:expr) => {{
        let op: fn(f64, f64) -> f64 = $op;
        wf!($d, op(f64::from_bits(r!($a)), f64::from_bits(r!($b))))
    }};
}
macro_rules! cmpf32 {
    ($d:expr, $a:tt, $b:tt, $op:expr) => {{
        let op: fn(f32, f32) -> bool = $op;
        let (x, y) = (f32::from_bits(r!($a) as u32), f32::from_bits(r!($b) as u32));
        w!($d, op(x, y) as u64)
    }};
}
macro_rules! cmpf64 {
    ($d:expr, $a:tt, $b:tt, $op:expr) => {{
        let op: fn(f64, f64) -> bool = $op;
        w!(
            $d,
            op(f64::from_bits(r!($a)), f64::from_bits(r!($b))) as u64
        )
    }};
}
/// `d = a <op> b` on `f64` with the hardware's operation; a NaN result
/// goes to `f64_nan`, which applies the exact NaN rules. (Keeping the NaN
/// path out of line lets the result stay in its float register.)
macro_rules! rrf64hw {
    ($d:expr, $a:tt, $b:tt, $op:expr) => {{
        let op: fn(f64, f64) -> f64 = $op;
        let v = op(f64::from_bits(r!($a)), f64::from_bits(r!($b)));
        if v.is_nan() {
            tail!(f64_nan);
        }
        wf!($d, v)
    }};
}

/// `d = a <op> imm` on `f64`, as `rrf64hw!`.
macro_rules! rif64hw {
    ($d:expr, $a:tt, $imm:expr, $op:expr) => {{
        let op: fn(f64, f64) -> f64 = $op;
        let v = op(f64::from_bits(r!($a)), f64::from_bits($imm));
        if v.is_nan() {
            tail!(f64_nan);
        }
        wf!($d, v)
    }};
}

/// The `f64` instruction at `ip`, whose hardware result was a NaN, with
/// the exact NaN rules of `numeric` (operands re-read from their slots,
/// which the accumulators only mirror).
#[cold]
#[inline(never)]
fn f64_nan(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let f = |s: u32| f64::from_bits(super::rd(sp, s));
    let i = |imm: u64| f64::from_bits(imm);
    let (d, v) = match super::control::current_ins(ip, cx) {
        Some(Ins::F64Add { d, a, b }) => (d, numeric::f64_add(f(a), f(b))),
        Some(Ins::F64Sub { d, a, b }) => (d, numeric::f64_sub(f(a), f(b))),
        Some(Ins::F64Mul { d, a, b }) => (d, numeric::f64_mul(f(a), f(b))),
        Some(Ins::F64Div { d, a, b }) => (d, numeric::f64_div(f(a), f(b))),
        Some(Ins::F64AddI { d, a, imm }) => (d, numeric::f64_add(f(a), i(imm))),
        Some(Ins::F64SubI { d, a, imm }) => (d, numeric::f64_sub(f(a), i(imm))),
        Some(Ins::F64MulI { d, a, imm }) => (d, numeric::f64_mul(f(a), i(imm))),
        Some(Ins::F64DivI { d, a, imm }) => (d, numeric::f64_div(f(a), i(imm))),
        Some(Ins::F64RSubI { d, a, imm }) => (d, numeric::f64_sub(i(imm), f(a))),
        Some(Ins::F64RDivI { d, a, imm }) => (d, numeric::f64_div(i(imm), f(a))),
        _ => {
            return cx.trap_at(
                ip,
                crate::trap::TrapKind::Internal("f64 fix-up of another instruction"),
            )
        }
    };
    super::wr(sp, d, v.to_bits());
    dispatch(ip.wrapping_add(1), sp, mem, len, cx, v.to_bits(), v)
}

/// `d = op(a)` for an `f64` result (sets the `f64` accumulator).
macro_rules! unf64 {
    ($d:expr, $a:tt, $op:expr) => {{
        let op: fn(u64) -> f64 = $op;
        wf!($d, op(r!($a)))
    }};
}
macro_rules! un {
    ($d:expr, $a:tt, $op:expr) => {{
        let op: fn(u64) -> u64 = $op;
        w!($d, op(r!($a)))
    }};
}
macro_rules! divide {
    ($d:expr, $x:expr, $y:expr, $t:ty, $s:ty, $op:ident) => {{
        let (x, y): ($t, $t) = ($x, $y);
        if y == 0 {
            trap!(IntegerDivideByZero);
        }
        let v: $t = divide!(@ $op, x, y, $t, $s);
        w!($d, v as u64)
    }};
    (@ div_s, $x:expr, $y:expr, $t:ty, $s:ty) => {{
        if $x as $s == <$s>::MIN && $y as $s == -1 {
            trap!(IntegerOverflow);
        }
        ($x as $s).wrapping_div($y as $s) as $t
    }};
    (@ div_u, $x:expr, $y:expr, $t:ty, $s:ty) => {
        $x / $y
    };
    (@ rem_s, $x:expr, $y:expr, $t:ty, $s:ty) => {
        ($x as $s).wrapping_rem($y as $s) as $t
    };
    (@ rem_u, $x:expr, $y:expr, $t:ty, $s:ty) => {
        $x % $y
    };
}

/// `d = a <op> imm` on f32 bits.
macro_rules! rif32 {
    ($d:expr, $a:tt, $imm:expr, $op:expr) => {{
        let op: fn(f32, f32) -> f32 = $op;
        let (x, y) = (f32::from_bits(r!($a) as u32), f32::from_bits($imm));
        w!($d, op(x, y).to_bits() as u64)
    }};
}

/// A trapping float-to-int conversion (NaN or out of range traps).
macro_rules! trunc {
    ($d:expr, $a:tt, $f:ident) => {{
        match numeric::$f(r!($a)) {
            Ok(v) => w!($d, v),
            Err(k) => trap_with!(k),
        }
    }};
}

/// Whether `i`'s handler sets the `f64` accumulator (writes with `wf!`).
pub(super) fn sets_facc(i: &Ins) -> bool {
    matches!(
        i,
        Ins::F64Add { .. }
            | Ins::F64Sub { .. }
            | Ins::F64Mul { .. }
            | Ins::F64Div { .. }
            | Ins::F64Min { .. }
            | Ins::F64Max { .. }
            | Ins::F64AddI { .. }
            | Ins::F64SubI { .. }
            | Ins::F64MulI { .. }
            | Ins::F64DivI { .. }
            | Ins::F64RSubI { .. }
            | Ins::F64RDivI { .. }
            | Ins::F64Sqrt { .. }
            | Ins::F64Ceil { .. }
            | Ins::F64Floor { .. }
            | Ins::F64Trunc { .. }
            | Ins::F64Nearest { .. }
            | Ins::F64ConvertI32S { .. }
            | Ins::F64ConvertI32U { .. }
            | Ins::F64ConvertI64S { .. }
            | Ins::F64ConvertI64U { .. }
    )
}

handlers! {
    lower, lower_acc;
    (ip, sp, mem, len, cx, acc, facc);
    I32Add { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| x.wrapping_add(y) as u64); }
    I32Sub { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| x.wrapping_sub(y) as u64); }
    I32Mul { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| x.wrapping_mul(y) as u64); }
    I32DivS { d, a, b } [a, b] => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, div_s); }
    I32DivU { d, a, b } [a, b] => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, div_u); }
    I32RemS { d, a, b } [a, b] => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, rem_s); }
    I32RemU { d, a, b } [a, b] => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, rem_u); }
    I32And { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x & y) as u64); }
    I32Or { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x | y) as u64); }
    I32Xor { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x ^ y) as u64); }
    I32Shl { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| x.wrapping_shl(y) as u64); }
    I32ShrS { d, a, b } [a, b] => {
                    rr32!(d, a, b, |x, y| (x as i32).wrapping_shr(y) as u32 as u64)
                }
    I32ShrU { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| x.wrapping_shr(y) as u64); }
    I32Rotl { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| x.rotate_left(y & 31) as u64); }
    I32Rotr { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| x.rotate_right(y & 31) as u64); }
    I32Eq { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x == y) as u64); }
    I32Ne { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x != y) as u64); }
    I32LtS { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| ((x as i32) < (y as i32)) as u64); }
    I32LtU { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x < y) as u64); }
    I32GtS { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| ((x as i32) > (y as i32)) as u64); }
    I32GtU { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x > y) as u64); }
    I32LeS { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| ((x as i32) <= (y as i32)) as u64); }
    I32LeU { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x <= y) as u64); }
    I32GeS { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| ((x as i32) >= (y as i32)) as u64); }
    I32GeU { d, a, b } [a, b] => { rr32!(d, a, b, |x, y| (x >= y) as u64); }
    I64Add { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x.wrapping_add(y)); }
    I64Sub { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x.wrapping_sub(y)); }
    I64Mul { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x.wrapping_mul(y)); }
    I64DivS { d, a, b } [a, b] => { divide!(d, r!(a), r!(b), u64, i64, div_s); }
    I64DivU { d, a, b } [a, b] => { divide!(d, r!(a), r!(b), u64, i64, div_u); }
    I64RemS { d, a, b } [a, b] => { divide!(d, r!(a), r!(b), u64, i64, rem_s); }
    I64RemU { d, a, b } [a, b] => { divide!(d, r!(a), r!(b), u64, i64, rem_u); }
    I64And { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x & y); }
    I64Or { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x | y); }
    I64Xor { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x ^ y); }
    I64Shl { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x.wrapping_shl(y as u32)); }
    I64ShrS { d, a, b } [a, b] => {
                    rr64!(d, a, b, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
                }
    I64ShrU { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x.wrapping_shr(y as u32)); }
    I64Rotl { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x.rotate_left((y & 63) as u32)); }
    I64Rotr { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| x.rotate_right((y & 63) as u32)); }
    I64Eq { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| (x == y) as u64); }
    I64Ne { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| (x != y) as u64); }
    I64LtS { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| ((x as i64) < (y as i64)) as u64); }
    I64LtU { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| (x < y) as u64); }
    I64GtS { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| ((x as i64) > (y as i64)) as u64); }
    I64GtU { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| (x > y) as u64); }
    I64LeS { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| ((x as i64) <= (y as i64)) as u64); }
    I64LeU { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| (x <= y) as u64); }
    I64GeS { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| ((x as i64) >= (y as i64)) as u64); }
    I64GeU { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| (x >= y) as u64); }
    F32Add { d, a, b } [a, b] => { rrf32!(d, a, b, numeric::f32_add); }
    F32Sub { d, a, b } [a, b] => { rrf32!(d, a, b, numeric::f32_sub); }
    F32Mul { d, a, b } [a, b] => { rrf32!(d, a, b, numeric::f32_mul); }
    F32Div { d, a, b } [a, b] => { rrf32!(d, a, b, numeric::f32_div); }
    F32Min { d, a, b } [a, b] => { rrf32!(d, a, b, numeric::f32_min); }
    F32Max { d, a, b } [a, b] => { rrf32!(d, a, b, numeric::f32_max); }
    F32Copysign { d, a, b } [a, b] => {
                    rr32!(d, a, b, |x, y| ((x & 0x7fff_ffff) | (y & 0x8000_0000))
                        as u64)
                }
    F32Eq { d, a, b } [a, b] => { cmpf32!(d, a, b, |x, y| x == y); }
    F32Ne { d, a, b } [a, b] => { cmpf32!(d, a, b, |x, y| x != y); }
    F32Lt { d, a, b } [a, b] => { cmpf32!(d, a, b, |x, y| x < y); }
    F32Gt { d, a, b } [a, b] => { cmpf32!(d, a, b, |x, y| x > y); }
    F32Le { d, a, b } [a, b] => { cmpf32!(d, a, b, |x, y| x <= y); }
    F32Ge { d, a, b } [a, b] => { cmpf32!(d, a, b, |x, y| x >= y); }
    F64Add { d, a, b } [a, b] f[a, b] => { rrf64hw!(d, a, b, |x, y| x + y); }
    F64Sub { d, a, b } [a, b] f[a, b] => { rrf64hw!(d, a, b, |x, y| x - y); }
    F64Mul { d, a, b } [a, b] f[a, b] => { rrf64hw!(d, a, b, |x, y| x * y); }
    F64Div { d, a, b } [a, b] f[a, b] => { rrf64hw!(d, a, b, |x, y| x / y); }
    F64Min { d, a, b } [a, b] f[a, b] => { rrf64!(d, a, b, numeric::f64_min); }
    F64Max { d, a, b } [a, b] f[a, b] => { rrf64!(d, a, b, numeric::f64_max); }
    F64Copysign { d, a, b } [a, b] => { rr64!(d, a, b, |x, y| {
                    (x & 0x7fff_ffff_ffff_ffff) | (y & 0x8000_0000_0000_0000)
                }); }
    F64Eq { d, a, b } [a, b] f[a, b] => { cmpf64!(d, a, b, |x, y| x == y); }
    F64Ne { d, a, b } [a, b] f[a, b] => { cmpf64!(d, a, b, |x, y| x != y); }
    F64Lt { d, a, b } [a, b] f[a, b] => { cmpf64!(d, a, b, |x, y| x < y); }
    F64Gt { d, a, b } [a, b] f[a, b] => { cmpf64!(d, a, b, |x, y| x > y); }
    F64Le { d, a, b } [a, b] f[a, b] => { cmpf64!(d, a, b, |x, y| x <= y); }
    F64Ge { d, a, b } [a, b] f[a, b] => { cmpf64!(d, a, b, |x, y| x >= y); }
    I32AddI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| x.wrapping_add(y) as u64); }
    I32RSubI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| y.wrapping_sub(x) as u64); }
    I32MulI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| x.wrapping_mul(y) as u64); }
    I32DivSI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_div(y as i32) as u32
                        as u64)
                }
    I32DivUI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x / y) as u64); }
    I32RemSI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_rem(y as i32) as u32
                        as u64)
                }
    I32RemUI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x % y) as u64); }
    I32AndI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x & y) as u64); }
    I32OrI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x | y) as u64); }
    I32XorI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x ^ y) as u64); }
    I32ShlI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| x.wrapping_shl(y) as u64); }
    I32ShrSI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_shr(y) as u32 as u64)
                }
    I32ShrUI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| x.wrapping_shr(y) as u64); }
    I32RotlI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| x.rotate_left(y & 31) as u64)
                }
    I32RotrI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| x.rotate_right(y & 31) as u64)
                }
    I32EqI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x == y) as u64); }
    I32NeI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x != y) as u64); }
    I32LtSI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| ((x as i32) < (y as i32)) as u64)
                }
    I32LtUI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x < y) as u64); }
    I32GtSI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| ((x as i32) > (y as i32)) as u64)
                }
    I32GtUI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x > y) as u64); }
    I32LeSI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| ((x as i32) <= (y as i32)) as u64)
                }
    I32LeUI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x <= y) as u64); }
    I32GeSI { d, a, imm } [a] => {
                    ri32!(d, a, imm, |x, y| ((x as i32) >= (y as i32)) as u64)
                }
    I32GeUI { d, a, imm } [a] => { ri32!(d, a, imm, |x, y| (x >= y) as u64); }
    I64AddI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x.wrapping_add(y)); }
    I64RSubI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| y.wrapping_sub(x)); }
    I64MulI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x.wrapping_mul(y)); }
    I64DivSI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_div(y as i64) as u64)
                }
    I64DivUI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x / y); }
    I64RemSI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_rem(y as i64) as u64)
                }
    I64RemUI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x % y); }
    I64AndI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x & y); }
    I64OrI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x | y); }
    I64XorI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x ^ y); }
    I64ShlI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x.wrapping_shl(y as u32)); }
    I64ShrSI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
                }
    I64ShrUI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| x.wrapping_shr(y as u32)); }
    I64RotlI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| x.rotate_left((y & 63) as u32))
                }
    I64RotrI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| x.rotate_right((y & 63) as u32))
                }
    I64EqI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| (x == y) as u64); }
    I64NeI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| (x != y) as u64); }
    I64LtSI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| ((x as i64) < (y as i64)) as u64)
                }
    I64LtUI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| (x < y) as u64); }
    I64GtSI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| ((x as i64) > (y as i64)) as u64)
                }
    I64GtUI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| (x > y) as u64); }
    I64LeSI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| ((x as i64) <= (y as i64)) as u64)
                }
    I64LeUI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| (x <= y) as u64); }
    I64GeSI { d, a, imm } [a] => {
                    ri64!(d, a, imm, |x, y| ((x as i64) >= (y as i64)) as u64)
                }
    I64GeUI { d, a, imm } [a] => { ri64!(d, a, imm, |x, y| (x >= y) as u64); }
    I32Eqz { d, a } [a] => { un!(d, a, |x| (x as u32 == 0) as u64); }
    I32Clz { d, a } [a] => { un!(d, a, |x| (x as u32).leading_zeros() as u64); }
    I32Ctz { d, a } [a] => { un!(d, a, |x| (x as u32).trailing_zeros() as u64); }
    I32Popcnt { d, a } [a] => { un!(d, a, |x| (x as u32).count_ones() as u64); }
    I64Eqz { d, a } [a] => { un!(d, a, |x| (x == 0) as u64); }
    I64Clz { d, a } [a] => { un!(d, a, |x| x.leading_zeros() as u64); }
    I64Ctz { d, a } [a] => { un!(d, a, |x| x.trailing_zeros() as u64); }
    I64Popcnt { d, a } [a] => { un!(d, a, |x| x.count_ones() as u64); }
    I32WrapI64 { d, a } [a] => { un!(d, a, |x| x as u32 as u64); }
    I64ExtendI32S { d, a } [a] => { un!(d, a, |x| x as u32 as i32 as i64 as u64); }
    I64ExtendI32U { d, a } [a] => { un!(d, a, |x| x as u32 as u64); }
    I32Extend8S { d, a } [a] => { un!(d, a, |x| x as i8 as i32 as u32 as u64); }
    I32Extend16S { d, a } [a] => { un!(d, a, |x| x as i16 as i32 as u32 as u64); }
    I64Extend8S { d, a } [a] => { un!(d, a, |x| x as i8 as i64 as u64); }
    I64Extend16S { d, a } [a] => { un!(d, a, |x| x as i16 as i64 as u64); }
    I64Extend32S { d, a } [a] => { un!(d, a, |x| x as i32 as i64 as u64); }
    F32Abs { d, a } [a] => { un!(d, a, |x| (x as u32 & 0x7fff_ffff) as u64); }
    F32Neg { d, a } [a] => { un!(d, a, |x| (x as u32 ^ 0x8000_0000) as u64); }
    F32Sqrt { d, a } [a] => { un!(d, a, |x| f32u(x, numeric::f32_sqrt)); }
    F32Ceil { d, a } [a] => { un!(d, a, |x| f32u(x, numeric::f32_ceil)); }
    F32Floor { d, a } [a] => { un!(d, a, |x| f32u(x, numeric::f32_floor)); }
    F32Trunc { d, a } [a] => { un!(d, a, |x| f32u(x, numeric::f32_trunc)); }
    F32Nearest { d, a } [a] => { un!(d, a, |x| f32u(x, numeric::f32_nearest)); }
    F64Abs { d, a } [a] f[a] => { un!(d, a, |x| x & 0x7fff_ffff_ffff_ffff); }
    F64Neg { d, a } [a] f[a] => { un!(d, a, |x| x ^ 0x8000_0000_0000_0000); }
    F64Sqrt { d, a } [a] f[a] => { unf64!(d, a, |x| numeric::f64_sqrt(f64::from_bits(x))); }
    F64Ceil { d, a } [a] f[a] => { unf64!(d, a, |x| numeric::f64_ceil(f64::from_bits(x))); }
    F64Floor { d, a } [a] f[a] => { unf64!(d, a, |x| numeric::f64_floor(f64::from_bits(x))); }
    F64Trunc { d, a } [a] f[a] => { unf64!(d, a, |x| numeric::f64_trunc(f64::from_bits(x))); }
    F64Nearest { d, a } [a] f[a] => { unf64!(d, a, |x| numeric::f64_nearest(f64::from_bits(x))); }
    F32ConvertI32S { d, a } [a] => {
                    un!(d, a, |x| (x as u32 as i32 as f32).to_bits() as u64)
                }
    F32ConvertI32U { d, a } [a] => { un!(d, a, |x| (x as u32 as f32).to_bits() as u64); }
    F32ConvertI64S { d, a } [a] => { un!(d, a, |x| (x as i64 as f32).to_bits() as u64); }
    F32ConvertI64U { d, a } [a] => { un!(d, a, |x| (x as f32).to_bits() as u64); }
    F64ConvertI32S { d, a } [a] => { unf64!(d, a, |x| x as u32 as i32 as f64); }
    F64ConvertI32U { d, a } [a] => { unf64!(d, a, |x| x as u32 as f64); }
    F64ConvertI64S { d, a } [a] => { unf64!(d, a, |x| x as i64 as f64); }
    F64ConvertI64U { d, a } [a] => { unf64!(d, a, |x| x as f64); }
    F32DemoteF64 { d, a } [a] f[a] => { un!(d, a, |x| numeric::f32_demote(x) as u64); }
    F64PromoteF32 { d, a } [a] => { un!(d, a, |x| numeric::f64_promote(x as u32)); }
    RefIsNull { d, a } [a] => { un!(d, a, |x| (x == NULL_REF) as u64); }
    I32TruncF32S { d, a } [a] => { trunc!(d, a, i32_trunc_f32_s); }
    I32TruncF32U { d, a } [a] => { trunc!(d, a, i32_trunc_f32_u); }
    I32TruncF64S { d, a } [a] f[a] => { trunc!(d, a, i32_trunc_f64_s); }
    I32TruncF64U { d, a } [a] f[a] => { trunc!(d, a, i32_trunc_f64_u); }
    I64TruncF32S { d, a } [a] => { trunc!(d, a, i64_trunc_f32_s); }
    I64TruncF32U { d, a } [a] => { trunc!(d, a, i64_trunc_f32_u); }
    I64TruncF64S { d, a } [a] f[a] => { trunc!(d, a, i64_trunc_f64_s); }
    I64TruncF64U { d, a } [a] f[a] => { trunc!(d, a, i64_trunc_f64_u); }
    I32TruncSatF32S { d, a } [a] => { un!(d, a, |x| f32::from_bits(x as u32) as i32 as u32 as u64); }
    I32TruncSatF32U { d, a } [a] => { un!(d, a, |x| f32::from_bits(x as u32) as u32 as u64); }
    I32TruncSatF64S { d, a } [a] f[a] => { un!(d, a, |x| f64::from_bits(x) as i32 as u32 as u64); }
    I32TruncSatF64U { d, a } [a] f[a] => { un!(d, a, |x| f64::from_bits(x) as u32 as u64); }
    I64TruncSatF32S { d, a } [a] => { un!(d, a, |x| f32::from_bits(x as u32) as i64 as u64); }
    I64TruncSatF32U { d, a } [a] => { un!(d, a, |x| f32::from_bits(x as u32) as u64); }
    I64TruncSatF64S { d, a } [a] f[a] => { un!(d, a, |x| f64::from_bits(x) as i64 as u64); }
    I64TruncSatF64U { d, a } [a] f[a] => { un!(d, a, |x| f64::from_bits(x) as u64); }
    F32AddI { d, a, imm } [a] => { rif32!(d, a, imm, numeric::f32_add); }
    F32SubI { d, a, imm } [a] => { rif32!(d, a, imm, numeric::f32_sub); }
    F32MulI { d, a, imm } [a] => { rif32!(d, a, imm, numeric::f32_mul); }
    F32DivI { d, a, imm } [a] => { rif32!(d, a, imm, numeric::f32_div); }
    F32RSubI { d, a, imm } [a] => { rif32!(d, a, imm, |x, y| numeric::f32_sub(y, x)); }
    F32RDivI { d, a, imm } [a] => { rif32!(d, a, imm, |x, y| numeric::f32_div(y, x)); }
    F64AddI { d, a, imm } [a] f[a] => { rif64hw!(d, a, imm, |x, y| x + y); }
    F64SubI { d, a, imm } [a] f[a] => { rif64hw!(d, a, imm, |x, y| x - y); }
    F64MulI { d, a, imm } [a] f[a] => { rif64hw!(d, a, imm, |x, y| x * y); }
    F64DivI { d, a, imm } [a] f[a] => { rif64hw!(d, a, imm, |x, y| x / y); }
    F64RSubI { d, a, imm } [a] f[a] => { rif64hw!(d, a, imm, |x, y| y - x); }
    F64RDivI { d, a, imm } [a] f[a] => { rif64hw!(d, a, imm, |x, y| y / x); }
    I64AddW { d, a, imm } [a] => { w!(d, r!(a).wrapping_add(imm)); }
    I64MulW { d, a, imm } [a] => { w!(d, r!(a).wrapping_mul(imm)); }
    I64AndW { d, a, imm } [a] => { w!(d, r!(a) & imm); }
    I64OrW { d, a, imm } [a] => { w!(d, r!(a) | imm); }
    I64XorW { d, a, imm } [a] => { w!(d, r!(a) ^ imm); }
}

//! Scalar operators: `i32`, `i64`, `f32`, `f64` and the conversions between them.
//!
//! Integers are passed as signed Rust integers (the interpreter stores raw
//! bits; the signedness of an operator is in its name). Floats are passed as
//! native `f32`/`f64`: Rust preserves their bits through moves, `from_bits`
//! and `to_bits`. Arithmetic never lets the hardware decide NaN bits: every
//! NaN result is rebuilt by the rules in the crate docs.

use crate::NumTrap;

macro_rules! int_ops {
    (
        $t:ty, $u:ty, $bits:literal;
        $eqz:ident $eq:ident $ne:ident $lt_s:ident $lt_u:ident $gt_s:ident $gt_u:ident
        $le_s:ident $le_u:ident $ge_s:ident $ge_u:ident
        $clz:ident $ctz:ident $popcnt:ident $add:ident $sub:ident $mul:ident
        $div_s:ident $div_u:ident $rem_s:ident $rem_u:ident $and:ident $or:ident $xor:ident
        $shl:ident $shr_s:ident $shr_u:ident $rotl:ident $rotr:ident
        $ext8:ident $ext16:ident
    ) => {
        #[doc = concat!("`", stringify!($eqz), "`: 1 if zero.")]
        #[inline]
        pub fn $eqz(a: $t) -> bool {
            a == 0
        }
        #[doc = concat!("`", stringify!($eq), "`.")]
        #[inline]
        pub fn $eq(a: $t, b: $t) -> bool {
            a == b
        }
        #[doc = concat!("`", stringify!($ne), "`.")]
        #[inline]
        pub fn $ne(a: $t, b: $t) -> bool {
            a != b
        }
        #[doc = concat!("`", stringify!($lt_s), "`.")]
        #[inline]
        pub fn $lt_s(a: $t, b: $t) -> bool {
            a < b
        }
        #[doc = concat!("`", stringify!($lt_u), "`.")]
        #[inline]
        pub fn $lt_u(a: $t, b: $t) -> bool {
            (a as $u) < (b as $u)
        }
        #[doc = concat!("`", stringify!($gt_s), "`.")]
        #[inline]
        pub fn $gt_s(a: $t, b: $t) -> bool {
            a > b
        }
        #[doc = concat!("`", stringify!($gt_u), "`.")]
        #[inline]
        pub fn $gt_u(a: $t, b: $t) -> bool {
            (a as $u) > (b as $u)
        }
        #[doc = concat!("`", stringify!($le_s), "`.")]
        #[inline]
        pub fn $le_s(a: $t, b: $t) -> bool {
            a <= b
        }
        #[doc = concat!("`", stringify!($le_u), "`.")]
        #[inline]
        pub fn $le_u(a: $t, b: $t) -> bool {
            (a as $u) <= (b as $u)
        }
        #[doc = concat!("`", stringify!($ge_s), "`.")]
        #[inline]
        pub fn $ge_s(a: $t, b: $t) -> bool {
            a >= b
        }
        #[doc = concat!("`", stringify!($ge_u), "`.")]
        #[inline]
        pub fn $ge_u(a: $t, b: $t) -> bool {
            (a as $u) >= (b as $u)
        }
        #[doc = concat!("`", stringify!($clz), "`: leading zero bits.")]
        #[inline]
        pub fn $clz(a: $t) -> $t {
            a.leading_zeros() as $t
        }
        #[doc = concat!("`", stringify!($ctz), "`: trailing zero bits.")]
        #[inline]
        pub fn $ctz(a: $t) -> $t {
            a.trailing_zeros() as $t
        }
        #[doc = concat!("`", stringify!($popcnt), "`: set bits.")]
        #[inline]
        pub fn $popcnt(a: $t) -> $t {
            a.count_ones() as $t
        }
        #[doc = concat!("`", stringify!($add), "`: wrapping.")]
        #[inline]
        pub fn $add(a: $t, b: $t) -> $t {
            a.wrapping_add(b)
        }
        #[doc = concat!("`", stringify!($sub), "`: wrapping.")]
        #[inline]
        pub fn $sub(a: $t, b: $t) -> $t {
            a.wrapping_sub(b)
        }
        #[doc = concat!("`", stringify!($mul), "`: wrapping.")]
        #[inline]
        pub fn $mul(a: $t, b: $t) -> $t {
            a.wrapping_mul(b)
        }
        #[doc = concat!("`", stringify!($div_s), "`: traps on zero and on `MIN / -1`.")]
        #[inline]
        pub fn $div_s(a: $t, b: $t) -> Result<$t, NumTrap> {
            if b == 0 {
                return Err(NumTrap::IntegerDivideByZero);
            }
            a.checked_div(b).ok_or(NumTrap::IntegerOverflow)
        }
        #[doc = concat!("`", stringify!($div_u), "`: traps on zero.")]
        #[inline]
        pub fn $div_u(a: $t, b: $t) -> Result<$t, NumTrap> {
            match (a as $u).checked_div(b as $u) {
                Some(q) => Ok(q as $t),
                None => Err(NumTrap::IntegerDivideByZero),
            }
        }
        #[doc = concat!("`", stringify!($rem_s), "`: traps on zero; `MIN % -1` is 0.")]
        #[inline]
        pub fn $rem_s(a: $t, b: $t) -> Result<$t, NumTrap> {
            if b == 0 {
                return Err(NumTrap::IntegerDivideByZero);
            }
            Ok(a.wrapping_rem(b))
        }
        #[doc = concat!("`", stringify!($rem_u), "`: traps on zero.")]
        #[inline]
        pub fn $rem_u(a: $t, b: $t) -> Result<$t, NumTrap> {
            match (a as $u).checked_rem(b as $u) {
                Some(r) => Ok(r as $t),
                None => Err(NumTrap::IntegerDivideByZero),
            }
        }
        #[doc = concat!("`", stringify!($and), "`.")]
        #[inline]
        pub fn $and(a: $t, b: $t) -> $t {
            a & b
        }
        #[doc = concat!("`", stringify!($or), "`.")]
        #[inline]
        pub fn $or(a: $t, b: $t) -> $t {
            a | b
        }
        #[doc = concat!("`", stringify!($xor), "`.")]
        #[inline]
        pub fn $xor(a: $t, b: $t) -> $t {
            a ^ b
        }
        #[doc = concat!("`", stringify!($shl), "`: count taken modulo the width.")]
        #[inline]
        pub fn $shl(a: $t, b: $t) -> $t {
            a.wrapping_shl(b as u32)
        }
        #[doc = concat!("`", stringify!($shr_s), "`: arithmetic, count modulo the width.")]
        #[inline]
        pub fn $shr_s(a: $t, b: $t) -> $t {
            a.wrapping_shr(b as u32)
        }
        #[doc = concat!("`", stringify!($shr_u), "`: logical, count modulo the width.")]
        #[inline]
        pub fn $shr_u(a: $t, b: $t) -> $t {
            (a as $u).wrapping_shr(b as u32) as $t
        }
        #[doc = concat!("`", stringify!($rotl), "`.")]
        #[inline]
        pub fn $rotl(a: $t, b: $t) -> $t {
            a.rotate_left((b as u32) % $bits)
        }
        #[doc = concat!("`", stringify!($rotr), "`.")]
        #[inline]
        pub fn $rotr(a: $t, b: $t) -> $t {
            a.rotate_right((b as u32) % $bits)
        }
        #[doc = concat!("`", stringify!($ext8), "`: sign-extends the low 8 bits.")]
        #[inline]
        pub fn $ext8(a: $t) -> $t {
            a as i8 as $t
        }
        #[doc = concat!("`", stringify!($ext16), "`: sign-extends the low 16 bits.")]
        #[inline]
        pub fn $ext16(a: $t) -> $t {
            a as i16 as $t
        }
    };
}

int_ops!(i32, u32, 32;
    i32_eqz i32_eq i32_ne i32_lt_s i32_lt_u i32_gt_s i32_gt_u i32_le_s i32_le_u i32_ge_s i32_ge_u
    i32_clz i32_ctz i32_popcnt i32_add i32_sub i32_mul i32_div_s i32_div_u i32_rem_s i32_rem_u
    i32_and i32_or i32_xor i32_shl i32_shr_s i32_shr_u i32_rotl i32_rotr
    i32_extend8_s i32_extend16_s
);

int_ops!(i64, u64, 64;
    i64_eqz i64_eq i64_ne i64_lt_s i64_lt_u i64_gt_s i64_gt_u i64_le_s i64_le_u i64_ge_s i64_ge_u
    i64_clz i64_ctz i64_popcnt i64_add i64_sub i64_mul i64_div_s i64_div_u i64_rem_s i64_rem_u
    i64_and i64_or i64_xor i64_shl i64_shr_s i64_shr_u i64_rotl i64_rotr
    i64_extend8_s i64_extend16_s
);

/// `i64.extend32_s`: sign-extends the low 32 bits.
#[inline]
pub fn i64_extend32_s(a: i64) -> i64 {
    a as i32 as i64
}

/// `i32.wrap_i64`.
#[inline]
pub fn i32_wrap_i64(a: i64) -> i32 {
    a as i32
}

/// `i64.extend_i32_s`.
#[inline]
pub fn i64_extend_i32_s(a: i32) -> i64 {
    a as i64
}

/// `i64.extend_i32_u`.
#[inline]
pub fn i64_extend_i32_u(a: i32) -> i64 {
    a as u32 as i64
}

/// The quiet bit of an `f32` NaN.
pub const F32_QUIET: u32 = 0x0040_0000;
/// The positive canonical `f32` NaN.
pub const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// The quiet bit of an `f64` NaN.
pub const F64_QUIET: u64 = 0x0008_0000_0000_0000;
/// The positive canonical `f64` NaN.
pub const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

macro_rules! float_ops {
    (
        $t:ident, $bits:ty, $quiet:expr, $canon:expr;
        $nan1:ident $nan2:ident
        $eq:ident $ne:ident $lt:ident $gt:ident $le:ident $ge:ident
        $abs:ident $neg:ident $copysign:ident $ceil:ident $floor:ident $trunc:ident
        $nearest:ident $sqrt:ident $add:ident $sub:ident $mul:ident $div:ident
        $min:ident $max:ident $pmin:ident $pmax:ident $madd:ident $fma:ident
    ) => {
        #[doc = concat!("The NaN result of a unary `", stringify!($t), "` op on `a`: `a` quieted if it is a NaN, else the positive canonical NaN.")]
        #[inline]
        pub fn $nan1(a: $t) -> $t {
            if a.is_nan() {
                $t::from_bits(a.to_bits() | $quiet)
            } else {
                $t::from_bits($canon)
            }
        }
        #[doc = concat!("The NaN result of a binary `", stringify!($t), "` op: the first NaN operand quieted, else the positive canonical NaN.")]
        #[inline]
        pub fn $nan2(a: $t, b: $t) -> $t {
            if a.is_nan() {
                $t::from_bits(a.to_bits() | $quiet)
            } else {
                $nan1(b)
            }
        }
        #[doc = concat!("`", stringify!($t), ".eq`.")]
        #[inline]
        pub fn $eq(a: $t, b: $t) -> bool {
            a == b
        }
        #[doc = concat!("`", stringify!($t), ".ne`: true if either is NaN.")]
        #[inline]
        pub fn $ne(a: $t, b: $t) -> bool {
            a != b
        }
        #[doc = concat!("`", stringify!($t), ".lt`.")]
        #[inline]
        pub fn $lt(a: $t, b: $t) -> bool {
            a < b
        }
        #[doc = concat!("`", stringify!($t), ".gt`.")]
        #[inline]
        pub fn $gt(a: $t, b: $t) -> bool {
            a > b
        }
        #[doc = concat!("`", stringify!($t), ".le`.")]
        #[inline]
        pub fn $le(a: $t, b: $t) -> bool {
            a <= b
        }
        #[doc = concat!("`", stringify!($t), ".ge`.")]
        #[inline]
        pub fn $ge(a: $t, b: $t) -> bool {
            a >= b
        }
        #[doc = concat!("`", stringify!($t), ".abs`: clears the sign bit, NaNs included.")]
        #[inline]
        pub fn $abs(a: $t) -> $t {
            $t::from_bits(a.to_bits() & !(1 << (<$bits>::BITS - 1)))
        }
        #[doc = concat!("`", stringify!($t), ".neg`: flips the sign bit, NaNs included.")]
        #[inline]
        pub fn $neg(a: $t) -> $t {
            $t::from_bits(a.to_bits() ^ (1 << (<$bits>::BITS - 1)))
        }
        #[doc = concat!("`", stringify!($t), ".copysign`: `a`'s magnitude bits with `b`'s sign bit.")]
        #[inline]
        pub fn $copysign(a: $t, b: $t) -> $t {
            let sign: $bits = 1 << (<$bits>::BITS - 1);
            $t::from_bits((a.to_bits() & !sign) | (b.to_bits() & sign))
        }
        #[doc = concat!("`", stringify!($t), ".ceil`.")]
        #[inline]
        pub fn $ceil(a: $t) -> $t {
            let r = a.ceil();
            if r.is_nan() {
                $nan1(a)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".floor`.")]
        #[inline]
        pub fn $floor(a: $t) -> $t {
            let r = a.floor();
            if r.is_nan() {
                $nan1(a)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".trunc`.")]
        #[inline]
        pub fn $trunc(a: $t) -> $t {
            let r = a.trunc();
            if r.is_nan() {
                $nan1(a)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".nearest`: round half to even.")]
        #[inline]
        pub fn $nearest(a: $t) -> $t {
            let r = a.round_ties_even();
            if r.is_nan() {
                $nan1(a)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".sqrt`.")]
        #[inline]
        pub fn $sqrt(a: $t) -> $t {
            let r = a.sqrt();
            if r.is_nan() {
                $nan1(a)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".add`.")]
        #[inline]
        pub fn $add(a: $t, b: $t) -> $t {
            let r = a + b;
            if r.is_nan() {
                $nan2(a, b)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".sub`.")]
        #[inline]
        pub fn $sub(a: $t, b: $t) -> $t {
            let r = a - b;
            if r.is_nan() {
                $nan2(a, b)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".mul`.")]
        #[inline]
        pub fn $mul(a: $t, b: $t) -> $t {
            let r = a * b;
            if r.is_nan() {
                $nan2(a, b)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".div`.")]
        #[inline]
        pub fn $div(a: $t, b: $t) -> $t {
            let r = a / b;
            if r.is_nan() {
                $nan2(a, b)
            } else {
                r
            }
        }
        #[doc = concat!("`", stringify!($t), ".min`: NaN if either is NaN; `min(-0, +0)` is -0.")]
        #[inline]
        pub fn $min(a: $t, b: $t) -> $t {
            if a < b {
                a
            } else if b < a {
                b
            } else if a == b {
                // Equal values differ at most in the sign of zero: OR picks -0.
                $t::from_bits(a.to_bits() | b.to_bits())
            } else {
                $nan2(a, b)
            }
        }
        #[doc = concat!("`", stringify!($t), ".max`: NaN if either is NaN; `max(-0, +0)` is +0.")]
        #[inline]
        pub fn $max(a: $t, b: $t) -> $t {
            if a > b {
                a
            } else if b > a {
                b
            } else if a == b {
                // Equal values differ at most in the sign of zero: AND picks +0.
                $t::from_bits(a.to_bits() & b.to_bits())
            } else {
                $nan2(a, b)
            }
        }
        #[doc = concat!("Pseudo-minimum of the SIMD `pmin`: `b < a ? b : a`, bits untouched.")]
        #[inline]
        pub fn $pmin(a: $t, b: $t) -> $t {
            if b < a {
                b
            } else {
                a
            }
        }
        #[doc = concat!("Pseudo-maximum of the SIMD `pmax`: `a < b ? b : a`, bits untouched.")]
        #[inline]
        pub fn $pmax(a: $t, b: $t) -> $t {
            if a < b {
                b
            } else {
                a
            }
        }
        #[doc = concat!("Unfused `a * b + c` (the deterministic `relaxed_madd`), two roundings.")]
        #[inline]
        pub fn $madd(a: $t, b: $t, c: $t) -> $t {
            $add($mul(a, b), c)
        }
        #[doc = concat!("Fused `a * b + c`, one rounding (an allowed `relaxed_madd` result).")]
        #[inline]
        pub fn $fma(a: $t, b: $t, c: $t) -> $t {
            let r = a.mul_add(b, c);
            if r.is_nan() {
                if a.is_nan() || b.is_nan() {
                    $nan2(a, b)
                } else {
                    $nan1(c)
                }
            } else {
                r
            }
        }
    };
}

float_ops!(f32, u32, F32_QUIET, F32_CANONICAL_NAN;
    f32_nan1 f32_nan2 f32_eq f32_ne f32_lt f32_gt f32_le f32_ge
    f32_abs f32_neg f32_copysign f32_ceil f32_floor f32_trunc f32_nearest f32_sqrt
    f32_add f32_sub f32_mul f32_div f32_min f32_max f32_pmin f32_pmax f32_madd f32_fma
);

float_ops!(f64, u64, F64_QUIET, F64_CANONICAL_NAN;
    f64_nan1 f64_nan2 f64_eq f64_ne f64_lt f64_gt f64_le f64_ge
    f64_abs f64_neg f64_copysign f64_ceil f64_floor f64_trunc f64_nearest f64_sqrt
    f64_add f64_sub f64_mul f64_div f64_min f64_max f64_pmin f64_pmax f64_madd f64_fma
);

/// True if `bits` is an `f32` NaN whose payload is exactly the quiet bit.
#[inline]
pub fn f32_is_canonical_nan(bits: u32) -> bool {
    bits & 0x7fff_ffff == F32_CANONICAL_NAN
}

/// True if `bits` is an `f32` NaN with the quiet bit set.
#[inline]
pub fn f32_is_arithmetic_nan(bits: u32) -> bool {
    bits & F32_CANONICAL_NAN == F32_CANONICAL_NAN
}

/// True if `bits` is an `f64` NaN whose payload is exactly the quiet bit.
#[inline]
pub fn f64_is_canonical_nan(bits: u64) -> bool {
    bits & 0x7fff_ffff_ffff_ffff == F64_CANONICAL_NAN
}

/// True if `bits` is an `f64` NaN with the quiet bit set.
#[inline]
pub fn f64_is_arithmetic_nan(bits: u64) -> bool {
    bits & F64_CANONICAL_NAN == F64_CANONICAL_NAN
}

// Trapping truncation: `lo` and `hi` are the exclusive bounds of the values
// whose truncation fits, both exactly representable (powers of two, or -1 for
// unsigned). Comparing the truncated value against them is exact.
macro_rules! trunc_op {
    ($name:ident, $f:ty, $via:ty, $i:ty, $lo:expr, $hi:expr, $doc:literal) => {
        #[doc = $doc]
        #[inline]
        pub fn $name(a: $f) -> Result<$i, NumTrap> {
            if a.is_nan() {
                return Err(NumTrap::InvalidConversionToInteger);
            }
            let t = a.trunc();
            if t > $lo && t < $hi {
                Ok(t as $via as $i)
            } else {
                Err(NumTrap::IntegerOverflow)
            }
        }
    };
}

// The unsigned ops convert through the unsigned type, as `t` may exceed the
// signed maximum. Bounds below: for signed ops `lo` is the largest integer-valued float below
// -2^(N-1); for unsigned ops it is -1 (so -0.9 truncates to -0 and gives 0).
trunc_op!(
    i32_trunc_f32_s,
    f32,
    i32,
    i32,
    -2147483904.0f32,
    2147483648.0f32,
    "`i32.trunc_f32_s`: traps on NaN and out of range."
);
trunc_op!(
    i32_trunc_f32_u,
    f32,
    u32,
    i32,
    -1.0f32,
    4294967296.0f32,
    "`i32.trunc_f32_u`: traps on NaN and out of range."
);
trunc_op!(
    i32_trunc_f64_s,
    f64,
    i32,
    i32,
    -2147483649.0f64,
    2147483648.0f64,
    "`i32.trunc_f64_s`: traps on NaN and out of range."
);
trunc_op!(
    i32_trunc_f64_u,
    f64,
    u32,
    i32,
    -1.0f64,
    4294967296.0f64,
    "`i32.trunc_f64_u`: traps on NaN and out of range."
);
trunc_op!(
    i64_trunc_f32_s,
    f32,
    i64,
    i64,
    -9223373136366403584.0f32,
    9223372036854775808.0f32,
    "`i64.trunc_f32_s`: traps on NaN and out of range."
);
trunc_op!(
    i64_trunc_f32_u,
    f32,
    u64,
    i64,
    -1.0f32,
    18446744073709551616.0f32,
    "`i64.trunc_f32_u`: traps on NaN and out of range."
);
trunc_op!(
    i64_trunc_f64_s,
    f64,
    i64,
    i64,
    -9223372036854777856.0f64,
    9223372036854775808.0f64,
    "`i64.trunc_f64_s`: traps on NaN and out of range."
);
trunc_op!(
    i64_trunc_f64_u,
    f64,
    u64,
    i64,
    -1.0f64,
    18446744073709551616.0f64,
    "`i64.trunc_f64_u`: traps on NaN and out of range."
);

// Rust's float-to-int `as` is exactly the saturating truncation: NaN gives 0,
// out-of-range values clamp.

/// `i32.trunc_sat_f32_s`.
#[inline]
pub fn i32_trunc_sat_f32_s(a: f32) -> i32 {
    a as i32
}
/// `i32.trunc_sat_f32_u`.
#[inline]
pub fn i32_trunc_sat_f32_u(a: f32) -> i32 {
    a as u32 as i32
}
/// `i32.trunc_sat_f64_s`.
#[inline]
pub fn i32_trunc_sat_f64_s(a: f64) -> i32 {
    a as i32
}
/// `i32.trunc_sat_f64_u`.
#[inline]
pub fn i32_trunc_sat_f64_u(a: f64) -> i32 {
    a as u32 as i32
}
/// `i64.trunc_sat_f32_s`.
#[inline]
pub fn i64_trunc_sat_f32_s(a: f32) -> i64 {
    a as i64
}
/// `i64.trunc_sat_f32_u`.
#[inline]
pub fn i64_trunc_sat_f32_u(a: f32) -> i64 {
    a as u64 as i64
}
/// `i64.trunc_sat_f64_s`.
#[inline]
pub fn i64_trunc_sat_f64_s(a: f64) -> i64 {
    a as i64
}
/// `i64.trunc_sat_f64_u`.
#[inline]
pub fn i64_trunc_sat_f64_u(a: f64) -> i64 {
    a as u64 as i64
}

// Rust's int-to-float `as` rounds to nearest, ties to even, in one step (no
// double rounding through f64 for i64 -> f32), as the spec requires.

/// `f32.convert_i32_s`.
#[inline]
pub fn f32_convert_i32_s(a: i32) -> f32 {
    a as f32
}
/// `f32.convert_i32_u`.
#[inline]
pub fn f32_convert_i32_u(a: i32) -> f32 {
    a as u32 as f32
}
/// `f32.convert_i64_s`.
#[inline]
pub fn f32_convert_i64_s(a: i64) -> f32 {
    a as f32
}
/// `f32.convert_i64_u`.
#[inline]
pub fn f32_convert_i64_u(a: i64) -> f32 {
    a as u64 as f32
}
/// `f64.convert_i32_s`.
#[inline]
pub fn f64_convert_i32_s(a: i32) -> f64 {
    a as f64
}
/// `f64.convert_i32_u`.
#[inline]
pub fn f64_convert_i32_u(a: i32) -> f64 {
    a as u32 as f64
}
/// `f64.convert_i64_s`.
#[inline]
pub fn f64_convert_i64_s(a: i64) -> f64 {
    a as f64
}
/// `f64.convert_i64_u`.
#[inline]
pub fn f64_convert_i64_u(a: i64) -> f64 {
    a as u64 as f64
}

/// `f32.demote_f64`: rounds to nearest; a NaN keeps its sign and the top 23
/// payload bits, with the quiet bit set.
#[inline]
pub fn f32_demote_f64(a: f64) -> f32 {
    if a.is_nan() {
        let bits = a.to_bits();
        let sign = ((bits >> 63) as u32) << 31;
        let payload = ((bits >> 29) as u32) & 0x007f_ffff;
        f32::from_bits(sign | F32_CANONICAL_NAN | payload)
    } else {
        a as f32
    }
}

/// `f64.promote_f32`: exact; a NaN keeps its sign and payload (shifted to the
/// top), with the quiet bit set.
#[inline]
pub fn f64_promote_f32(a: f32) -> f64 {
    if a.is_nan() {
        let bits = a.to_bits();
        let sign = ((bits >> 31) as u64) << 63;
        let payload = ((bits & 0x007f_ffff) as u64) << 29;
        f64::from_bits(sign | F64_CANONICAL_NAN | payload)
    } else {
        a as f64
    }
}

/// `i32.reinterpret_f32`.
#[inline]
pub fn i32_reinterpret_f32(a: f32) -> i32 {
    a.to_bits() as i32
}
/// `i64.reinterpret_f64`.
#[inline]
pub fn i64_reinterpret_f64(a: f64) -> i64 {
    a.to_bits() as i64
}
/// `f32.reinterpret_i32`.
#[inline]
pub fn f32_reinterpret_i32(a: i32) -> f32 {
    f32::from_bits(a as u32)
}
/// `f64.reinterpret_i64`.
#[inline]
pub fn f64_reinterpret_i64(a: i64) -> f64 {
    f64::from_bits(a as u64)
}

/// `i64.add128`: `(a_lo, a_hi) + (b_lo, b_hi)` as 128-bit integers, wrapping.
pub fn i64_add128(a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) -> (u64, u64) {
    let a = u128::from(a_lo) | (u128::from(a_hi) << 64);
    let b = u128::from(b_lo) | (u128::from(b_hi) << 64);
    let r = a.wrapping_add(b);
    (r as u64, (r >> 64) as u64)
}

/// `i64.sub128`: 128-bit subtraction, wrapping.
pub fn i64_sub128(a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) -> (u64, u64) {
    let a = u128::from(a_lo) | (u128::from(a_hi) << 64);
    let b = u128::from(b_lo) | (u128::from(b_hi) << 64);
    let r = a.wrapping_sub(b);
    (r as u64, (r >> 64) as u64)
}

/// `i64.mul_wide_s`: the full signed 128-bit product.
pub fn i64_mul_wide_s(a: u64, b: u64) -> (u64, u64) {
    let r = i128::from(a as i64) * i128::from(b as i64);
    (r as u64, ((r as u128) >> 64) as u64)
}

/// `i64.mul_wide_u`: the full unsigned 128-bit product.
pub fn i64_mul_wide_u(a: u64, b: u64) -> (u64, u64) {
    let r = u128::from(a) * u128::from(b);
    (r as u64, (r >> 64) as u64)
}

//! SIMD operators on `v128`, represented as a `u128` whose least significant
//! byte is byte 0 in memory (lane 0 of every shape sits in the low bits).
//!
//! Lane indices are immediates checked by validation; the functions here take
//! them modulo the lane count so that no input can make them panic.

use crate::scalar::*;

/// The 16 bytes of `v`, lane 0 first.
#[inline]
pub fn to_u8x16(v: u128) -> [u8; 16] {
    v.to_le_bytes()
}
/// A `v128` from 16 byte lanes.
#[inline]
pub fn from_u8x16(l: [u8; 16]) -> u128 {
    u128::from_le_bytes(l)
}
// The lane conversions work on the two 64-bit halves, which live in
// general-purpose registers; the compiler keeps them there.

/// The eight 16-bit lanes of `v`.
#[inline]
pub fn to_u16x8(v: u128) -> [u16; 8] {
    let (lo, hi) = (v as u64, (v >> 64) as u64);
    std::array::from_fn(|i| if i < 4 { lo >> (16 * i) } else { hi >> (16 * (i - 4)) } as u16)
}
/// A `v128` from eight 16-bit lanes.
#[inline]
pub fn from_u16x8(l: [u16; 8]) -> u128 {
    let half = |k: usize| (0..4).fold(0u64, |acc, i| acc | (l[k + i] as u64) << (16 * i));
    from_u64x2([half(0), half(4)])
}
/// The four 32-bit lanes of `v`.
#[inline]
pub fn to_u32x4(v: u128) -> [u32; 4] {
    let (lo, hi) = (v as u64, (v >> 64) as u64);
    [lo as u32, (lo >> 32) as u32, hi as u32, (hi >> 32) as u32]
}
/// A `v128` from four 32-bit lanes.
#[inline]
pub fn from_u32x4(l: [u32; 4]) -> u128 {
    from_u64x2([
        l[0] as u64 | (l[1] as u64) << 32,
        l[2] as u64 | (l[3] as u64) << 32,
    ])
}
/// The two 64-bit lanes of `v`.
#[inline]
pub fn to_u64x2(v: u128) -> [u64; 2] {
    [v as u64, (v >> 64) as u64]
}
/// A `v128` from two 64-bit lanes.
#[inline]
pub fn from_u64x2(l: [u64; 2]) -> u128 {
    (l[1] as u128) << 64 | l[0] as u128
}

#[inline]
fn map8(a: u128, f: impl Fn(u8) -> u8) -> u128 {
    from_u8x16(to_u8x16(a).map(f))
}
#[inline]
fn zip8(a: u128, b: u128, f: impl Fn(u8, u8) -> u8) -> u128 {
    let (a, b) = (to_u8x16(a), to_u8x16(b));
    from_u8x16(std::array::from_fn(|i| f(a[i], b[i])))
}
#[inline]
fn map16(a: u128, f: impl Fn(u16) -> u16) -> u128 {
    from_u16x8(to_u16x8(a).map(f))
}
#[inline]
fn zip16(a: u128, b: u128, f: impl Fn(u16, u16) -> u16) -> u128 {
    let (a, b) = (to_u16x8(a), to_u16x8(b));
    from_u16x8(std::array::from_fn(|i| f(a[i], b[i])))
}
#[inline]
fn map32(a: u128, f: impl Fn(u32) -> u32) -> u128 {
    from_u32x4(to_u32x4(a).map(f))
}
#[inline]
fn zip32(a: u128, b: u128, f: impl Fn(u32, u32) -> u32) -> u128 {
    let (a, b) = (to_u32x4(a), to_u32x4(b));
    from_u32x4(std::array::from_fn(|i| f(a[i], b[i])))
}
#[inline]
fn map64(a: u128, f: impl Fn(u64) -> u64) -> u128 {
    from_u64x2(to_u64x2(a).map(f))
}
#[inline]
fn zip64(a: u128, b: u128, f: impl Fn(u64, u64) -> u64) -> u128 {
    let (a, b) = (to_u64x2(a), to_u64x2(b));
    from_u64x2(std::array::from_fn(|i| f(a[i], b[i])))
}

#[inline]
fn mask<T: From<u8> + std::ops::Not<Output = T>>(c: bool) -> T {
    if c {
        !T::from(0)
    } else {
        T::from(0)
    }
}

// One pub fn per op over a lane mapper; `$f` sees unsigned lanes and casts as
// the op needs.
macro_rules! lanewise {
    (un $name:ident, $map:ident, |$a:ident| $body:expr) => {
        #[doc = concat!("SIMD `", stringify!($name), "` (lane-wise).")]
        #[inline]
        pub fn $name(v: u128) -> u128 {
            $map(v, |$a| $body)
        }
    };
    (bin $name:ident, $zip:ident, |$a:ident, $b:ident| $body:expr) => {
        #[doc = concat!("SIMD `", stringify!($name), "` (lane-wise).")]
        #[inline]
        pub fn $name(a: u128, b: u128) -> u128 {
            $zip(a, b, |$a, $b| $body)
        }
    };
    (shift $name:ident, $map:ident, $bits:literal, |$a:ident, $s:ident| $body:expr) => {
        #[doc = concat!("SIMD `", stringify!($name), "`: shift count modulo the lane width.")]
        #[inline]
        pub fn $name(v: u128, count: i32) -> u128 {
            let $s = (count as u32) % $bits;
            $map(v, |$a| $body)
        }
    };
}

// ---- Lanes, splats, memory helpers -------------------------------------

/// Byte lane `lane` (mod 16) of `v`.
#[inline]
pub fn lane8(v: u128, lane: u8) -> u8 {
    (v >> (8 * (lane as u32 % 16))) as u8
}
/// 16-bit lane `lane` (mod 8) of `v`.
#[inline]
pub fn lane16(v: u128, lane: u8) -> u16 {
    (v >> (16 * (lane as u32 % 8))) as u16
}
/// 32-bit lane `lane` (mod 4) of `v`.
#[inline]
pub fn lane32(v: u128, lane: u8) -> u32 {
    (v >> (32 * (lane as u32 % 4))) as u32
}
/// 64-bit lane `lane` (mod 2) of `v`.
#[inline]
pub fn lane64(v: u128, lane: u8) -> u64 {
    (v >> (64 * (lane as u32 % 2))) as u64
}
/// `v` with byte lane `lane` (mod 16) replaced by `x`.
#[inline]
pub fn with_lane8(v: u128, lane: u8, x: u8) -> u128 {
    let sh = 8 * (lane as u32 % 16);
    (v & !(0xffu128 << sh)) | (x as u128) << sh
}
/// `v` with 16-bit lane `lane` (mod 8) replaced by `x`.
#[inline]
pub fn with_lane16(v: u128, lane: u8, x: u16) -> u128 {
    let sh = 16 * (lane as u32 % 8);
    (v & !(0xffffu128 << sh)) | (x as u128) << sh
}
/// `v` with 32-bit lane `lane` (mod 4) replaced by `x`.
#[inline]
pub fn with_lane32(v: u128, lane: u8, x: u32) -> u128 {
    let sh = 32 * (lane as u32 % 4);
    (v & !(0xffff_ffffu128 << sh)) | (x as u128) << sh
}
/// `v` with 64-bit lane `lane` (mod 2) replaced by `x`.
#[inline]
pub fn with_lane64(v: u128, lane: u8, x: u64) -> u128 {
    let sh = 64 * (lane as u32 % 2);
    (v & !(0xffff_ffff_ffff_ffffu128 << sh)) | (x as u128) << sh
}

/// `i8x16.splat`: the low 8 bits in every lane.
#[inline]
pub fn i8x16_splat(x: i32) -> u128 {
    u128::from_ne_bytes([x as u8; 16])
}
/// `i16x8.splat`: the low 16 bits in every lane.
#[inline]
pub fn i16x8_splat(x: i32) -> u128 {
    from_u16x8([x as u16; 8])
}
/// `i32x4.splat`.
#[inline]
pub fn i32x4_splat(x: i32) -> u128 {
    from_u32x4([x as u32; 4])
}
/// `i64x2.splat`.
#[inline]
pub fn i64x2_splat(x: i64) -> u128 {
    from_u64x2([x as u64; 2])
}
/// `f32x4.splat`: bits copied unchanged.
#[inline]
pub fn f32x4_splat(x: f32) -> u128 {
    i32x4_splat(x.to_bits() as i32)
}
/// `f64x2.splat`: bits copied unchanged.
#[inline]
pub fn f64x2_splat(x: f64) -> u128 {
    i64x2_splat(x.to_bits() as i64)
}

/// `i8x16.extract_lane_s`.
#[inline]
pub fn i8x16_extract_lane_s(v: u128, lane: u8) -> i32 {
    lane8(v, lane) as i8 as i32
}
/// `i8x16.extract_lane_u`.
#[inline]
pub fn i8x16_extract_lane_u(v: u128, lane: u8) -> i32 {
    lane8(v, lane) as i32
}
/// `i16x8.extract_lane_s`.
#[inline]
pub fn i16x8_extract_lane_s(v: u128, lane: u8) -> i32 {
    lane16(v, lane) as i16 as i32
}
/// `i16x8.extract_lane_u`.
#[inline]
pub fn i16x8_extract_lane_u(v: u128, lane: u8) -> i32 {
    lane16(v, lane) as i32
}
/// `i32x4.extract_lane`.
#[inline]
pub fn i32x4_extract_lane(v: u128, lane: u8) -> i32 {
    lane32(v, lane) as i32
}
/// `i64x2.extract_lane`.
#[inline]
pub fn i64x2_extract_lane(v: u128, lane: u8) -> i64 {
    lane64(v, lane) as i64
}
/// `f32x4.extract_lane`: bits unchanged.
#[inline]
pub fn f32x4_extract_lane(v: u128, lane: u8) -> f32 {
    f32::from_bits(lane32(v, lane))
}
/// `f64x2.extract_lane`: bits unchanged.
#[inline]
pub fn f64x2_extract_lane(v: u128, lane: u8) -> f64 {
    f64::from_bits(lane64(v, lane))
}
/// `i8x16.replace_lane`: the low 8 bits of `x`.
#[inline]
pub fn i8x16_replace_lane(v: u128, lane: u8, x: i32) -> u128 {
    with_lane8(v, lane, x as u8)
}
/// `i16x8.replace_lane`: the low 16 bits of `x`.
#[inline]
pub fn i16x8_replace_lane(v: u128, lane: u8, x: i32) -> u128 {
    with_lane16(v, lane, x as u16)
}
/// `i32x4.replace_lane`.
#[inline]
pub fn i32x4_replace_lane(v: u128, lane: u8, x: i32) -> u128 {
    with_lane32(v, lane, x as u32)
}
/// `i64x2.replace_lane`.
#[inline]
pub fn i64x2_replace_lane(v: u128, lane: u8, x: i64) -> u128 {
    with_lane64(v, lane, x as u64)
}
/// `f32x4.replace_lane`: bits unchanged.
#[inline]
pub fn f32x4_replace_lane(v: u128, lane: u8, x: f32) -> u128 {
    with_lane32(v, lane, x.to_bits())
}
/// `f64x2.replace_lane`: bits unchanged.
#[inline]
pub fn f64x2_replace_lane(v: u128, lane: u8, x: f64) -> u128 {
    with_lane64(v, lane, x.to_bits())
}

/// The value part of `v128.load8x8_s`: eight bytes sign-extended to 16 bits.
#[inline]
pub fn v128_load8x8_s(bytes: [u8; 8]) -> u128 {
    from_u16x8(bytes.map(|b| b as i8 as i16 as u16))
}
/// The value part of `v128.load8x8_u`: eight bytes zero-extended to 16 bits.
#[inline]
pub fn v128_load8x8_u(bytes: [u8; 8]) -> u128 {
    from_u16x8(bytes.map(|b| b as u16))
}
/// The value part of `v128.load16x4_s` (little-endian input).
#[inline]
pub fn v128_load16x4_s(bytes: [u8; 8]) -> u128 {
    from_u32x4(std::array::from_fn(|i| {
        i16::from_le_bytes([bytes[2 * i], bytes[2 * i + 1]]) as i32 as u32
    }))
}
/// The value part of `v128.load16x4_u` (little-endian input).
#[inline]
pub fn v128_load16x4_u(bytes: [u8; 8]) -> u128 {
    from_u32x4(std::array::from_fn(|i| {
        u16::from_le_bytes([bytes[2 * i], bytes[2 * i + 1]]) as u32
    }))
}
/// The value part of `v128.load32x2_s` (little-endian input).
#[inline]
pub fn v128_load32x2_s(bytes: [u8; 8]) -> u128 {
    let x = u64::from_le_bytes(bytes);
    from_u64x2([x as i32 as i64 as u64, (x >> 32) as i32 as i64 as u64])
}
/// The value part of `v128.load32x2_u` (little-endian input).
#[inline]
pub fn v128_load32x2_u(bytes: [u8; 8]) -> u128 {
    let x = u64::from_le_bytes(bytes);
    from_u64x2([x & 0xffff_ffff, x >> 32])
}
/// The value part of `v128.load8_splat`.
#[inline]
pub fn v128_load8_splat(x: u8) -> u128 {
    i8x16_splat(x as i32)
}
/// The value part of `v128.load16_splat`.
#[inline]
pub fn v128_load16_splat(x: u16) -> u128 {
    i16x8_splat(x as i32)
}
/// The value part of `v128.load32_splat`.
#[inline]
pub fn v128_load32_splat(x: u32) -> u128 {
    i32x4_splat(x as i32)
}
/// The value part of `v128.load64_splat`.
#[inline]
pub fn v128_load64_splat(x: u64) -> u128 {
    i64x2_splat(x as i64)
}
/// The value part of `v128.load32_zero`.
#[inline]
pub fn v128_load32_zero(x: u32) -> u128 {
    x as u128
}
/// The value part of `v128.load64_zero`.
#[inline]
pub fn v128_load64_zero(x: u64) -> u128 {
    x as u128
}

// ---- Bitwise ------------------------------------------------------------

/// `v128.not`.
#[inline]
pub fn v128_not(a: u128) -> u128 {
    !a
}
/// `v128.and`.
#[inline]
pub fn v128_and(a: u128, b: u128) -> u128 {
    a & b
}
/// `v128.andnot`: `a & !b`.
#[inline]
pub fn v128_andnot(a: u128, b: u128) -> u128 {
    a & !b
}
/// `v128.or`.
#[inline]
pub fn v128_or(a: u128, b: u128) -> u128 {
    a | b
}
/// `v128.xor`.
#[inline]
pub fn v128_xor(a: u128, b: u128) -> u128 {
    a ^ b
}
/// `v128.bitselect`: bits of `a` where `c` is 1, of `b` where it is 0.
#[inline]
pub fn v128_bitselect(a: u128, b: u128, c: u128) -> u128 {
    (a & c) | (b & !c)
}
/// `v128.any_true`.
#[inline]
pub fn v128_any_true(a: u128) -> bool {
    a != 0
}

// ---- Shuffles -----------------------------------------------------------

/// `i8x16.swizzle`: `a[s[i]]`, or 0 for indices of 16 and above.
#[inline]
pub fn i8x16_swizzle(a: u128, s: u128) -> u128 {
    let (a, s) = (to_u8x16(a), to_u8x16(s));
    from_u8x16(s.map(|j| a.get(j as usize).copied().unwrap_or(0)))
}
/// `i8x16.shuffle` with its 16 lane immediates (each taken modulo 32):
/// indices 0..16 select from `a`, 16..32 from `b`.
#[inline]
pub fn i8x16_shuffle(a: u128, b: u128, lanes: &[u8; 16]) -> u128 {
    let (a, b) = (to_u8x16(a), to_u8x16(b));
    from_u8x16(lanes.map(|j| {
        let j = (j % 32) as usize;
        if j < 16 {
            a[j]
        } else {
            b[j - 16]
        }
    }))
}

// ---- Integer lane arithmetic ------------------------------------------

lanewise!(un i8x16_abs, map8, |a| (a as i8).wrapping_abs() as u8);
lanewise!(un i8x16_neg, map8, |a| (a as i8).wrapping_neg() as u8);
lanewise!(un i8x16_popcnt, map8, |a| a.count_ones() as u8);
lanewise!(bin i8x16_add, zip8, |a, b| a.wrapping_add(b));
lanewise!(bin i8x16_add_sat_s, zip8, |a, b| (a as i8).saturating_add(b as i8) as u8);
lanewise!(bin i8x16_add_sat_u, zip8, |a, b| a.saturating_add(b));
lanewise!(bin i8x16_sub, zip8, |a, b| a.wrapping_sub(b));
lanewise!(bin i8x16_sub_sat_s, zip8, |a, b| (a as i8).saturating_sub(b as i8) as u8);
lanewise!(bin i8x16_sub_sat_u, zip8, |a, b| a.saturating_sub(b));
lanewise!(bin i8x16_min_s, zip8, |a, b| (a as i8).min(b as i8) as u8);
lanewise!(bin i8x16_min_u, zip8, |a, b| a.min(b));
lanewise!(bin i8x16_max_s, zip8, |a, b| (a as i8).max(b as i8) as u8);
lanewise!(bin i8x16_max_u, zip8, |a, b| a.max(b));
lanewise!(bin i8x16_avgr_u, zip8, |a, b| ((a as u16 + b as u16 + 1) >> 1) as u8);
lanewise!(shift i8x16_shl, map8, 8, |a, s| a << s);
lanewise!(shift i8x16_shr_s, map8, 8, |a, s| ((a as i8) >> s) as u8);
lanewise!(shift i8x16_shr_u, map8, 8, |a, s| a >> s);

lanewise!(un i16x8_abs, map16, |a| (a as i16).wrapping_abs() as u16);
lanewise!(un i16x8_neg, map16, |a| (a as i16).wrapping_neg() as u16);
lanewise!(bin i16x8_add, zip16, |a, b| a.wrapping_add(b));
lanewise!(bin i16x8_add_sat_s, zip16, |a, b| (a as i16).saturating_add(b as i16) as u16);
lanewise!(bin i16x8_add_sat_u, zip16, |a, b| a.saturating_add(b));
lanewise!(bin i16x8_sub, zip16, |a, b| a.wrapping_sub(b));
lanewise!(bin i16x8_sub_sat_s, zip16, |a, b| (a as i16).saturating_sub(b as i16) as u16);
lanewise!(bin i16x8_sub_sat_u, zip16, |a, b| a.saturating_sub(b));
lanewise!(bin i16x8_mul, zip16, |a, b| a.wrapping_mul(b));
lanewise!(bin i16x8_min_s, zip16, |a, b| (a as i16).min(b as i16) as u16);
lanewise!(bin i16x8_min_u, zip16, |a, b| a.min(b));
lanewise!(bin i16x8_max_s, zip16, |a, b| (a as i16).max(b as i16) as u16);
lanewise!(bin i16x8_max_u, zip16, |a, b| a.max(b));
lanewise!(bin i16x8_avgr_u, zip16, |a, b| ((a as u32 + b as u32 + 1) >> 1) as u16);
lanewise!(bin i16x8_q15mulr_sat_s, zip16, |a, b| q15mulr(a, b));
lanewise!(shift i16x8_shl, map16, 16, |a, s| a << s);
lanewise!(shift i16x8_shr_s, map16, 16, |a, s| ((a as i16) >> s) as u16);
lanewise!(shift i16x8_shr_u, map16, 16, |a, s| a >> s);

lanewise!(un i32x4_abs, map32, |a| (a as i32).wrapping_abs() as u32);
lanewise!(un i32x4_neg, map32, |a| (a as i32).wrapping_neg() as u32);
lanewise!(bin i32x4_add, zip32, |a, b| a.wrapping_add(b));
lanewise!(bin i32x4_sub, zip32, |a, b| a.wrapping_sub(b));
lanewise!(bin i32x4_mul, zip32, |a, b| a.wrapping_mul(b));
lanewise!(bin i32x4_min_s, zip32, |a, b| (a as i32).min(b as i32) as u32);
lanewise!(bin i32x4_min_u, zip32, |a, b| a.min(b));
lanewise!(bin i32x4_max_s, zip32, |a, b| (a as i32).max(b as i32) as u32);
lanewise!(bin i32x4_max_u, zip32, |a, b| a.max(b));
lanewise!(shift i32x4_shl, map32, 32, |a, s| a << s);
lanewise!(shift i32x4_shr_s, map32, 32, |a, s| ((a as i32) >> s) as u32);
lanewise!(shift i32x4_shr_u, map32, 32, |a, s| a >> s);

lanewise!(un i64x2_abs, map64, |a| (a as i64).wrapping_abs() as u64);
lanewise!(un i64x2_neg, map64, |a| (a as i64).wrapping_neg() as u64);
lanewise!(bin i64x2_add, zip64, |a, b| a.wrapping_add(b));
lanewise!(bin i64x2_sub, zip64, |a, b| a.wrapping_sub(b));
lanewise!(bin i64x2_mul, zip64, |a, b| a.wrapping_mul(b));
lanewise!(shift i64x2_shl, map64, 64, |a, s| a << s);
lanewise!(shift i64x2_shr_s, map64, 64, |a, s| ((a as i64) >> s) as u64);
lanewise!(shift i64x2_shr_u, map64, 64, |a, s| a >> s);

#[inline]
fn q15mulr(a: u16, b: u16) -> u16 {
    let p = (a as i16 as i32 * b as i16 as i32 + 0x4000) >> 15;
    p.clamp(i16::MIN as i32, i16::MAX as i32) as u16
}

// ---- Integer comparisons -----------------------------------------------

lanewise!(bin i8x16_eq, zip8, |a, b| mask(a == b));
lanewise!(bin i8x16_ne, zip8, |a, b| mask(a != b));
lanewise!(bin i8x16_lt_s, zip8, |a, b| mask((a as i8) < (b as i8)));
lanewise!(bin i8x16_lt_u, zip8, |a, b| mask(a < b));
lanewise!(bin i8x16_gt_s, zip8, |a, b| mask((a as i8) > (b as i8)));
lanewise!(bin i8x16_gt_u, zip8, |a, b| mask(a > b));
lanewise!(bin i8x16_le_s, zip8, |a, b| mask((a as i8) <= (b as i8)));
lanewise!(bin i8x16_le_u, zip8, |a, b| mask(a <= b));
lanewise!(bin i8x16_ge_s, zip8, |a, b| mask((a as i8) >= (b as i8)));
lanewise!(bin i8x16_ge_u, zip8, |a, b| mask(a >= b));
lanewise!(bin i16x8_eq, zip16, |a, b| mask(a == b));
lanewise!(bin i16x8_ne, zip16, |a, b| mask(a != b));
lanewise!(bin i16x8_lt_s, zip16, |a, b| mask((a as i16) < (b as i16)));
lanewise!(bin i16x8_lt_u, zip16, |a, b| mask(a < b));
lanewise!(bin i16x8_gt_s, zip16, |a, b| mask((a as i16) > (b as i16)));
lanewise!(bin i16x8_gt_u, zip16, |a, b| mask(a > b));
lanewise!(bin i16x8_le_s, zip16, |a, b| mask((a as i16) <= (b as i16)));
lanewise!(bin i16x8_le_u, zip16, |a, b| mask(a <= b));
lanewise!(bin i16x8_ge_s, zip16, |a, b| mask((a as i16) >= (b as i16)));
lanewise!(bin i16x8_ge_u, zip16, |a, b| mask(a >= b));
lanewise!(bin i32x4_eq, zip32, |a, b| mask(a == b));
lanewise!(bin i32x4_ne, zip32, |a, b| mask(a != b));
lanewise!(bin i32x4_lt_s, zip32, |a, b| mask((a as i32) < (b as i32)));
lanewise!(bin i32x4_lt_u, zip32, |a, b| mask(a < b));
lanewise!(bin i32x4_gt_s, zip32, |a, b| mask((a as i32) > (b as i32)));
lanewise!(bin i32x4_gt_u, zip32, |a, b| mask(a > b));
lanewise!(bin i32x4_le_s, zip32, |a, b| mask((a as i32) <= (b as i32)));
lanewise!(bin i32x4_le_u, zip32, |a, b| mask(a <= b));
lanewise!(bin i32x4_ge_s, zip32, |a, b| mask((a as i32) >= (b as i32)));
lanewise!(bin i32x4_ge_u, zip32, |a, b| mask(a >= b));
lanewise!(bin i64x2_eq, zip64, |a, b| mask(a == b));
lanewise!(bin i64x2_ne, zip64, |a, b| mask(a != b));
lanewise!(bin i64x2_lt_s, zip64, |a, b| mask((a as i64) < (b as i64)));
lanewise!(bin i64x2_gt_s, zip64, |a, b| mask((a as i64) > (b as i64)));
lanewise!(bin i64x2_le_s, zip64, |a, b| mask((a as i64) <= (b as i64)));
lanewise!(bin i64x2_ge_s, zip64, |a, b| mask((a as i64) >= (b as i64)));

// ---- Reductions ---------------------------------------------------------

/// `i8x16.all_true`.
#[inline]
pub fn i8x16_all_true(v: u128) -> bool {
    to_u8x16(v).iter().all(|&x| x != 0)
}
/// `i16x8.all_true`.
#[inline]
pub fn i16x8_all_true(v: u128) -> bool {
    to_u16x8(v).iter().all(|&x| x != 0)
}
/// `i32x4.all_true`.
#[inline]
pub fn i32x4_all_true(v: u128) -> bool {
    to_u32x4(v).iter().all(|&x| x != 0)
}
/// `i64x2.all_true`.
#[inline]
pub fn i64x2_all_true(v: u128) -> bool {
    to_u64x2(v).iter().all(|&x| x != 0)
}
/// `i8x16.bitmask`: the top bit of lane i in bit i.
#[inline]
pub fn i8x16_bitmask(v: u128) -> i32 {
    // Moves each byte's top bit to bit 0 of the byte, then one multiply
    // gathers byte i's bit into bit 56 + i (the partial products never
    // overlap, so there are no carries).
    let gather = |x: u64| {
        (((x >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080) >> 56) as i32
    };
    gather(v as u64) | gather((v >> 64) as u64) << 8
}
/// `i16x8.bitmask`.
#[inline]
pub fn i16x8_bitmask(v: u128) -> i32 {
    to_u16x8(v)
        .iter()
        .enumerate()
        .fold(0, |m, (i, &x)| m | ((x >> 15) as i32) << i)
}
/// `i32x4.bitmask`.
#[inline]
pub fn i32x4_bitmask(v: u128) -> i32 {
    (0..4).fold(0, |m, i| m | (((v >> (32 * i + 31)) & 1) as i32) << i)
}
/// `i64x2.bitmask`.
#[inline]
pub fn i64x2_bitmask(v: u128) -> i32 {
    (((v >> 63) & 1) | ((v >> 126) & 2)) as i32
}

// ---- Narrowing, widening ------------------------------------------------

/// `i8x16.narrow_i16x8_s`: `a`'s lanes then `b`'s, saturated to i8.
#[inline]
pub fn i8x16_narrow_i16x8_s(a: u128, b: u128) -> u128 {
    let (a, b) = (to_u16x8(a), to_u16x8(b));
    from_u8x16(std::array::from_fn(|i| {
        let x = if i < 8 { a[i] } else { b[i - 8] } as i16;
        x.clamp(i8::MIN as i16, i8::MAX as i16) as u8
    }))
}
/// `i8x16.narrow_i16x8_u`: signed i16 lanes saturated to u8.
#[inline]
pub fn i8x16_narrow_i16x8_u(a: u128, b: u128) -> u128 {
    let (a, b) = (to_u16x8(a), to_u16x8(b));
    from_u8x16(std::array::from_fn(|i| {
        let x = if i < 8 { a[i] } else { b[i - 8] } as i16;
        x.clamp(0, u8::MAX as i16) as u8
    }))
}
/// `i16x8.narrow_i32x4_s`.
#[inline]
pub fn i16x8_narrow_i32x4_s(a: u128, b: u128) -> u128 {
    let (a, b) = (to_u32x4(a), to_u32x4(b));
    from_u16x8(std::array::from_fn(|i| {
        let x = if i < 4 { a[i] } else { b[i - 4] } as i32;
        x.clamp(i16::MIN as i32, i16::MAX as i32) as u16
    }))
}
/// `i16x8.narrow_i32x4_u`.
#[inline]
pub fn i16x8_narrow_i32x4_u(a: u128, b: u128) -> u128 {
    let (a, b) = (to_u32x4(a), to_u32x4(b));
    from_u16x8(std::array::from_fn(|i| {
        let x = if i < 4 { a[i] } else { b[i - 4] } as i32;
        x.clamp(0, u16::MAX as i32) as u16
    }))
}

// Widening ops read half the input lanes: `$hi` selects the upper half.
macro_rules! widen {
    ($name:ident, $to:ident, $from:ident, $out:ident, $n:literal, $hi:literal, |$x:ident| $body:expr) => {
        #[doc = concat!("SIMD `", stringify!($name), "`.")]
        #[inline]
        pub fn $name(v: u128) -> u128 {
            let l = $to(v);
            $from(std::array::from_fn(|i| {
                let $x = l[i + if $hi { $n } else { 0 }];
                $body
            }))
        }
    };
}

widen!(
    i16x8_extend_low_i8x16_s,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    false,
    |x| x as i8 as u16
);
widen!(
    i16x8_extend_high_i8x16_s,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    true,
    |x| x as i8 as u16
);
widen!(
    i16x8_extend_low_i8x16_u,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    false,
    |x| x as u16
);
widen!(
    i16x8_extend_high_i8x16_u,
    to_u8x16,
    from_u16x8,
    u16,
    8,
    true,
    |x| x as u16
);
widen!(
    i32x4_extend_low_i16x8_s,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    false,
    |x| x as i16 as u32
);
widen!(
    i32x4_extend_high_i16x8_s,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    true,
    |x| x as i16 as u32
);
widen!(
    i32x4_extend_low_i16x8_u,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    false,
    |x| x as u32
);
widen!(
    i32x4_extend_high_i16x8_u,
    to_u16x8,
    from_u32x4,
    u32,
    4,
    true,
    |x| x as u32
);
widen!(
    i64x2_extend_low_i32x4_s,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    false,
    |x| x as i32 as u64
);
widen!(
    i64x2_extend_high_i32x4_s,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    true,
    |x| x as i32 as u64
);
widen!(
    i64x2_extend_low_i32x4_u,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    false,
    |x| x as u64
);
widen!(
    i64x2_extend_high_i32x4_u,
    to_u32x4,
    from_u64x2,
    u64,
    2,
    true,
    |x| x as u64
);

// Products of extended halves: `$ext` widens one input lane to the output width.
macro_rules! extmul {
    ($name:ident, $to:ident, $from:ident, $n:literal, $hi:literal, |$x:ident| $ext:expr) => {
        #[doc = concat!("SIMD `", stringify!($name), "`.")]
        #[inline]
        pub fn $name(a: u128, b: u128) -> u128 {
            let (a, b) = ($to(a), $to(b));
            $from(std::array::from_fn(|i| {
                let k = i + if $hi { $n } else { 0 };
                let ea = {
                    let $x = a[k];
                    $ext
                };
                let eb = {
                    let $x = b[k];
                    $ext
                };
                ea.wrapping_mul(eb)
            }))
        }
    };
}

extmul!(
    i16x8_extmul_low_i8x16_s,
    to_u8x16,
    from_u16x8,
    8,
    false,
    |x| x as i8 as u16
);
extmul!(
    i16x8_extmul_high_i8x16_s,
    to_u8x16,
    from_u16x8,
    8,
    true,
    |x| x as i8 as u16
);
extmul!(
    i16x8_extmul_low_i8x16_u,
    to_u8x16,
    from_u16x8,
    8,
    false,
    |x| x as u16
);
extmul!(
    i16x8_extmul_high_i8x16_u,
    to_u8x16,
    from_u16x8,
    8,
    true,
    |x| x as u16
);
extmul!(
    i32x4_extmul_low_i16x8_s,
    to_u16x8,
    from_u32x4,
    4,
    false,
    |x| x as i16 as u32
);
extmul!(
    i32x4_extmul_high_i16x8_s,
    to_u16x8,
    from_u32x4,
    4,
    true,
    |x| x as i16 as u32
);
extmul!(
    i32x4_extmul_low_i16x8_u,
    to_u16x8,
    from_u32x4,
    4,
    false,
    |x| x as u32
);
extmul!(
    i32x4_extmul_high_i16x8_u,
    to_u16x8,
    from_u32x4,
    4,
    true,
    |x| x as u32
);
extmul!(
    i64x2_extmul_low_i32x4_s,
    to_u32x4,
    from_u64x2,
    2,
    false,
    |x| x as i32 as u64
);
extmul!(
    i64x2_extmul_high_i32x4_s,
    to_u32x4,
    from_u64x2,
    2,
    true,
    |x| x as i32 as u64
);
extmul!(
    i64x2_extmul_low_i32x4_u,
    to_u32x4,
    from_u64x2,
    2,
    false,
    |x| x as u64
);
extmul!(
    i64x2_extmul_high_i32x4_u,
    to_u32x4,
    from_u64x2,
    2,
    true,
    |x| x as u64
);

/// `i16x8.extadd_pairwise_i8x16_s`.
#[inline]
pub fn i16x8_extadd_pairwise_i8x16_s(v: u128) -> u128 {
    let l = to_u8x16(v);
    from_u16x8(std::array::from_fn(|i| {
        (l[2 * i] as i8 as i16 + l[2 * i + 1] as i8 as i16) as u16
    }))
}
/// `i16x8.extadd_pairwise_i8x16_u`.
#[inline]
pub fn i16x8_extadd_pairwise_i8x16_u(v: u128) -> u128 {
    let l = to_u8x16(v);
    from_u16x8(std::array::from_fn(|i| {
        l[2 * i] as u16 + l[2 * i + 1] as u16
    }))
}
/// `i32x4.extadd_pairwise_i16x8_s`.
#[inline]
pub fn i32x4_extadd_pairwise_i16x8_s(v: u128) -> u128 {
    let l = to_u16x8(v);
    from_u32x4(std::array::from_fn(|i| {
        (l[2 * i] as i16 as i32 + l[2 * i + 1] as i16 as i32) as u32
    }))
}
/// `i32x4.extadd_pairwise_i16x8_u`.
#[inline]
pub fn i32x4_extadd_pairwise_i16x8_u(v: u128) -> u128 {
    let l = to_u16x8(v);
    from_u32x4(std::array::from_fn(|i| {
        l[2 * i] as u32 + l[2 * i + 1] as u32
    }))
}
/// `i32x4.dot_i16x8_s`: sums of adjacent signed products, wrapping.
#[inline]
pub fn i32x4_dot_i16x8_s(a: u128, b: u128) -> u128 {
    let (a, b) = (to_u16x8(a), to_u16x8(b));
    from_u32x4(std::array::from_fn(|i| {
        let p0 = a[2 * i] as i16 as i32 * b[2 * i] as i16 as i32;
        let p1 = a[2 * i + 1] as i16 as i32 * b[2 * i + 1] as i16 as i32;
        p0.wrapping_add(p1) as u32
    }))
}

// ---- Float lanes --------------------------------------------------------

macro_rules! f32_lanes {
    (un $name:ident, $f:ident) => {
        lanewise!(un $name, map32, |a| $f(f32::from_bits(a)).to_bits());
    };
    (bin $name:ident, $f:ident) => {
        lanewise!(bin $name, zip32, |a, b| $f(f32::from_bits(a), f32::from_bits(b)).to_bits());
    };
    (cmp $name:ident, $f:ident) => {
        lanewise!(bin $name, zip32, |a, b| mask($f(f32::from_bits(a), f32::from_bits(b))));
    };
}
macro_rules! f64_lanes {
    (un $name:ident, $f:ident) => {
        lanewise!(un $name, map64, |a| $f(f64::from_bits(a)).to_bits());
    };
    (bin $name:ident, $f:ident) => {
        lanewise!(bin $name, zip64, |a, b| $f(f64::from_bits(a), f64::from_bits(b)).to_bits());
    };
    (cmp $name:ident, $f:ident) => {
        lanewise!(bin $name, zip64, |a, b| mask($f(f64::from_bits(a), f64::from_bits(b))));
    };
}

f32_lanes!(un f32x4_abs, f32_abs);
f32_lanes!(un f32x4_neg, f32_neg);
f32_lanes!(un f32x4_sqrt, f32_sqrt);
f32_lanes!(un f32x4_ceil, f32_ceil);
f32_lanes!(un f32x4_floor, f32_floor);
f32_lanes!(un f32x4_trunc, f32_trunc);
f32_lanes!(un f32x4_nearest, f32_nearest);
f32_lanes!(bin f32x4_add, f32_add);
f32_lanes!(bin f32x4_sub, f32_sub);
f32_lanes!(bin f32x4_mul, f32_mul);
f32_lanes!(bin f32x4_div, f32_div);
f32_lanes!(bin f32x4_min, f32_min);
f32_lanes!(bin f32x4_max, f32_max);
f32_lanes!(bin f32x4_pmin, f32_pmin);
f32_lanes!(bin f32x4_pmax, f32_pmax);
f32_lanes!(cmp f32x4_eq, f32_eq);
f32_lanes!(cmp f32x4_ne, f32_ne);
f32_lanes!(cmp f32x4_lt, f32_lt);
f32_lanes!(cmp f32x4_gt, f32_gt);
f32_lanes!(cmp f32x4_le, f32_le);
f32_lanes!(cmp f32x4_ge, f32_ge);

f64_lanes!(un f64x2_abs, f64_abs);
f64_lanes!(un f64x2_neg, f64_neg);
f64_lanes!(un f64x2_sqrt, f64_sqrt);
f64_lanes!(un f64x2_ceil, f64_ceil);
f64_lanes!(un f64x2_floor, f64_floor);
f64_lanes!(un f64x2_trunc, f64_trunc);
f64_lanes!(un f64x2_nearest, f64_nearest);
f64_lanes!(bin f64x2_add, f64_add);
f64_lanes!(bin f64x2_sub, f64_sub);
f64_lanes!(bin f64x2_mul, f64_mul);
f64_lanes!(bin f64x2_div, f64_div);
f64_lanes!(bin f64x2_min, f64_min);
f64_lanes!(bin f64x2_max, f64_max);
f64_lanes!(bin f64x2_pmin, f64_pmin);
f64_lanes!(bin f64x2_pmax, f64_pmax);
f64_lanes!(cmp f64x2_eq, f64_eq);
f64_lanes!(cmp f64x2_ne, f64_ne);
f64_lanes!(cmp f64x2_lt, f64_lt);
f64_lanes!(cmp f64x2_gt, f64_gt);
f64_lanes!(cmp f64x2_le, f64_le);
f64_lanes!(cmp f64x2_ge, f64_ge);

// ---- Conversions --------------------------------------------------------

lanewise!(un i32x4_trunc_sat_f32x4_s, map32, |a| i32_trunc_sat_f32_s(f32::from_bits(a)) as u32);
lanewise!(un i32x4_trunc_sat_f32x4_u, map32, |a| i32_trunc_sat_f32_u(f32::from_bits(a)) as u32);
lanewise!(un f32x4_convert_i32x4_s, map32, |a| f32_convert_i32_s(a as i32).to_bits());
lanewise!(un f32x4_convert_i32x4_u, map32, |a| f32_convert_i32_u(a as i32).to_bits());

/// `i32x4.trunc_sat_f64x2_s_zero`: two lanes converted, two zero lanes.
#[inline]
pub fn i32x4_trunc_sat_f64x2_s_zero(v: u128) -> u128 {
    let l = to_u64x2(v).map(|x| i32_trunc_sat_f64_s(f64::from_bits(x)) as u32);
    from_u32x4([l[0], l[1], 0, 0])
}
/// `i32x4.trunc_sat_f64x2_u_zero`: two lanes converted, two zero lanes.
#[inline]
pub fn i32x4_trunc_sat_f64x2_u_zero(v: u128) -> u128 {
    let l = to_u64x2(v).map(|x| i32_trunc_sat_f64_u(f64::from_bits(x)) as u32);
    from_u32x4([l[0], l[1], 0, 0])
}
/// `f64x2.convert_low_i32x4_s`.
#[inline]
pub fn f64x2_convert_low_i32x4_s(v: u128) -> u128 {
    let l = to_u32x4(v);
    from_u64x2([0, 1].map(|i| f64_convert_i32_s(l[i] as i32).to_bits()))
}
/// `f64x2.convert_low_i32x4_u`.
#[inline]
pub fn f64x2_convert_low_i32x4_u(v: u128) -> u128 {
    let l = to_u32x4(v);
    from_u64x2([0, 1].map(|i| f64_convert_i32_u(l[i] as i32).to_bits()))
}
/// `f32x4.demote_f64x2_zero`: two lanes demoted, two zero lanes.
#[inline]
pub fn f32x4_demote_f64x2_zero(v: u128) -> u128 {
    let l = to_u64x2(v).map(|x| f32_demote_f64(f64::from_bits(x)).to_bits());
    from_u32x4([l[0], l[1], 0, 0])
}
/// `f64x2.promote_low_f32x4`.
#[inline]
pub fn f64x2_promote_low_f32x4(v: u128) -> u128 {
    let l = to_u32x4(v);
    from_u64x2([0, 1].map(|i| f64_promote_f32(f32::from_bits(l[i])).to_bits()))
}

// ---- Relaxed SIMD (deterministic profile) ------------------------------

/// `i8x16.relaxed_swizzle`: as `i8x16.swizzle`.
#[inline]
pub fn i8x16_relaxed_swizzle(a: u128, s: u128) -> u128 {
    i8x16_swizzle(a, s)
}
/// `i32x4.relaxed_trunc_f32x4_s`: as `i32x4.trunc_sat_f32x4_s`.
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_s(v: u128) -> u128 {
    i32x4_trunc_sat_f32x4_s(v)
}
/// `i32x4.relaxed_trunc_f32x4_u`: as `i32x4.trunc_sat_f32x4_u`.
#[inline]
pub fn i32x4_relaxed_trunc_f32x4_u(v: u128) -> u128 {
    i32x4_trunc_sat_f32x4_u(v)
}
/// `i32x4.relaxed_trunc_f64x2_s_zero`: as `i32x4.trunc_sat_f64x2_s_zero`.
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_s_zero(v: u128) -> u128 {
    i32x4_trunc_sat_f64x2_s_zero(v)
}
/// `i32x4.relaxed_trunc_f64x2_u_zero`: as `i32x4.trunc_sat_f64x2_u_zero`.
#[inline]
pub fn i32x4_relaxed_trunc_f64x2_u_zero(v: u128) -> u128 {
    i32x4_trunc_sat_f64x2_u_zero(v)
}
/// `f32x4.relaxed_madd`: unfused `a * b + c` per lane.
#[inline]
pub fn f32x4_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    let (a, b, c) = (to_u32x4(a), to_u32x4(b), to_u32x4(c));
    from_u32x4(std::array::from_fn(|i| {
        f32_madd(
            f32::from_bits(a[i]),
            f32::from_bits(b[i]),
            f32::from_bits(c[i]),
        )
        .to_bits()
    }))
}
/// `f32x4.relaxed_nmadd`: unfused `-a * b + c` per lane.
#[inline]
pub fn f32x4_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    f32x4_relaxed_madd(f32x4_neg(a), b, c)
}
/// `f64x2.relaxed_madd`: unfused `a * b + c` per lane.
#[inline]
pub fn f64x2_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    let (a, b, c) = (to_u64x2(a), to_u64x2(b), to_u64x2(c));
    from_u64x2(std::array::from_fn(|i| {
        f64_madd(
            f64::from_bits(a[i]),
            f64::from_bits(b[i]),
            f64::from_bits(c[i]),
        )
        .to_bits()
    }))
}
/// `f64x2.relaxed_nmadd`: unfused `-a * b + c` per lane.
#[inline]
pub fn f64x2_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    f64x2_relaxed_madd(f64x2_neg(a), b, c)
}
/// `i*x*.relaxed_laneselect` (all shapes): as `v128.bitselect`.
#[inline]
pub fn relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 {
    v128_bitselect(a, b, c)
}
/// `f32x4.relaxed_min`: as `f32x4.min`.
#[inline]
pub fn f32x4_relaxed_min(a: u128, b: u128) -> u128 {
    f32x4_min(a, b)
}
/// `f32x4.relaxed_max`: as `f32x4.max`.
#[inline]
pub fn f32x4_relaxed_max(a: u128, b: u128) -> u128 {
    f32x4_max(a, b)
}
/// `f64x2.relaxed_min`: as `f64x2.min`.
#[inline]
pub fn f64x2_relaxed_min(a: u128, b: u128) -> u128 {
    f64x2_min(a, b)
}
/// `f64x2.relaxed_max`: as `f64x2.max`.
#[inline]
pub fn f64x2_relaxed_max(a: u128, b: u128) -> u128 {
    f64x2_max(a, b)
}
/// `i16x8.relaxed_q15mulr_s`: as `i16x8.q15mulr_sat_s`.
#[inline]
pub fn i16x8_relaxed_q15mulr_s(a: u128, b: u128) -> u128 {
    i16x8_q15mulr_sat_s(a, b)
}
/// `i16x8.relaxed_dot_i8x16_i7x16_s`: signed products of adjacent byte
/// pairs, summed with signed saturation (the spec's `ivdotsat`).
#[inline]
pub fn i16x8_relaxed_dot_i8x16_i7x16_s(a: u128, b: u128) -> u128 {
    let (a, b) = (to_u8x16(a), to_u8x16(b));
    from_u16x8(std::array::from_fn(|i| {
        let p0 = a[2 * i] as i8 as i32 * b[2 * i] as i8 as i32;
        let p1 = a[2 * i + 1] as i8 as i32 * b[2 * i + 1] as i8 as i32;
        (p0 + p1).clamp(i16::MIN as i32, i16::MAX as i32) as u16
    }))
}
/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the i16 dot product above, its
/// adjacent pairs added into i32 lanes, plus `c` (wrapping).
#[inline]
pub fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: u128, b: u128, c: u128) -> u128 {
    let d = i32x4_extadd_pairwise_i16x8_s(i16x8_relaxed_dot_i8x16_i7x16_s(a, b));
    i32x4_add(d, c)
}

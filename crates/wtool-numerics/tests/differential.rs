//! Differential test: every `Plain` and `Lane` op of the opcode table, applied
//! to many operands (special values and pseudo-random bits) in `wasmi` and in
//! `wtool_numerics::eval`, must give the same result or the same trap.
//!
//! Where the spec allows several results, the comparison follows the spec
//! testsuite: a NaN produced by float arithmetic is compared by class
//! (ours must be canonical when every NaN operand is canonical, arithmetic
//! otherwise; wasmi must also return a NaN). Relaxed-SIMD ops must either match
//! exactly or, where wasmi differs, wasmi's result must lie in the set the
//! spec allows (ours is the deterministic-profile choice).

use std::collections::BTreeMap;
use wasmi::{Config, Engine, Linker, Module, Store, Val};
use wtool_ast::{Op, OpKind, ValType};
use wtool_numerics::scalar::*;
use wtool_numerics::simd::*;
use wtool_numerics::{eval, NumTrap, Value};
use wtool_testsupport::Rng;

const F32_SPECIAL: &[u32] = &[
    0x0000_0000,
    0x8000_0000,
    0x3f80_0000,
    0xbf80_0000,
    0x3f00_0000,
    0xbf00_0000, // 0, 1, 0.5
    0x3fc0_0000,
    0xbfc0_0000,
    0x4020_0000,
    0xc020_0000,
    0x4060_0000,
    0xc060_0000, // 1.5 2.5 3.5
    0x3eff_ffff,
    0xbf7f_ffff,
    0x3f7f_ffff,
    0x3f80_0001, // just below 0.5 / 1, just above 1
    0x7f80_0000,
    0xff80_0000, // inf
    0x7fc0_0000,
    0xffc0_0000,
    0x7fa0_0000,
    0xffa0_0001,
    0x7fc1_2345,
    0xff81_0000,
    0x7f80_0001,
    0x0000_0001,
    0x8000_0001,
    0x007f_ffff,
    0x0080_0000,
    0x8080_0000,
    0x7f7f_ffff,
    0xff7f_ffff,
    0x4f00_0000,
    0xcf00_0000,
    0x4eff_ffff,
    0xceff_ffff,
    0xcf00_0001, // ±2^31 and neighbours
    0x4f80_0000,
    0x4f7f_ffff, // 2^32
    0x5f00_0000,
    0xdf00_0000,
    0x5eff_ffff,
    0xdf00_0001,
    0x5f80_0000,
    0x5f7f_ffff, // 2^63, 2^64
    0x4b00_0001,
    0x4b7f_ffff,
    0x4a80_0001, // around 2^23, 2^24
    0x4700_0000,
    0xc700_0100,
    0x4380_0000,
    0xc300_0000, // 32768, -32769, 256, -128
    0x7149_f2ca,
    0x0d80_0000, // 1e30, tiny normal
];

const F64_SPECIAL: &[u64] = &[
    0x0000_0000_0000_0000,
    0x8000_0000_0000_0000,
    0x3ff0_0000_0000_0000,
    0xbff0_0000_0000_0000,
    0x3fe0_0000_0000_0000,
    0xbfe0_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    0xc004_0000_0000_0000, // -2.5
    0x400c_0000_0000_0000, // 3.5
    0x3fdf_ffff_ffff_ffff, // just below 0.5
    0xbfef_ffff_ffff_ffff, // just above -1
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0xfff8_0000_0000_0000,
    0x7ff4_0000_0000_0000,
    0xfff0_0000_0000_0001,
    0x7ff8_0000_0000_dead,
    0x7ff0_0000_2000_0000, // signalling, payload only below f32's reach
    0x0000_0000_0000_0001,
    0x800f_ffff_ffff_ffff,
    0x0010_0000_0000_0000,
    0x7fef_ffff_ffff_ffff,
    0xffef_ffff_ffff_ffff,
    0x41e0_0000_0000_0000, // 2^31
    0xc1e0_0000_0000_0000, // -2^31
    0x41df_ffff_ffc0_0000, // 2^31 - 1
    0x41df_ffff_ffe0_0000, // 2^31 - 0.5
    0xc1e0_0000_0010_0000, // -2^31 - 0.5
    0xc1e0_0000_0020_0000, // -2^31 - 1
    0x41f0_0000_0000_0000, // 2^32
    0x41ef_ffff_ffe0_0000, // 2^32 - 1
    0x41ef_ffff_fff0_0000, // 2^32 - 0.5
    0x43e0_0000_0000_0000, // 2^63
    0xc3e0_0000_0000_0000, // -2^63
    0x43df_ffff_ffff_ffff, // below 2^63
    0xc3e0_0000_0000_0001, // below -2^63
    0x43f0_0000_0000_0000, // 2^64
    0x43ef_ffff_ffff_ffff, // below 2^64
    0x3ff0_0000_1000_0000, // 1 + 2^-24: f32 tie, rounds to even (down)
    0x3ff0_0000_3000_0000, // 1 + 3*2^-24: tie, rounds up
    0x3ff0_0000_1000_0001, // just above the tie
    0x47ef_ffff_efff_ffff, // below the f32 overflow threshold
    0x47ef_ffff_f000_0000, // the f32 overflow threshold (rounds to inf)
    0x3690_0000_0000_0000, // f32 min subnormal / 2: tie to 0
    0x36a8_0000_0000_0000, // 1.5 * f32 min subnormal: tie to even
    0x4330_0000_0000_0001, // 2^52 + 1
    0x4338_0000_0000_0001,
    0x4340_0000_0000_0000, // 2^53
    0x40df_ffc0_0000_0000, // 32767
    0xc0e0_0020_0000_0000, // -32769
    0x4415_af1d_78b5_8c40, // 1e20
];

const I32_SPECIAL: &[i32] = &[
    0,
    1,
    -1,
    2,
    -2,
    3,
    7,
    8,
    15,
    16,
    31,
    32,
    33,
    63,
    64,
    65,
    127,
    128,
    255,
    256,
    0x7fff,
    0x8000,
    0xffff,
    0x1_0000,
    -128,
    -129,
    -32768,
    -32769,
    i32::MIN,
    i32::MAX,
    i32::MIN + 1,
    i32::MAX - 1,
    0x0100_0001, // 2^24 + 1: not exact in f32
    0x7fff_ff40, // rounds to 2^31 in f32? exercises rounding near the top
    0x7fff_ffbf,
    -0x7fff_ffc0,
    0x5555_5555,
    0x1234_5678,
    -0x1234_5678,
];

const I64_SPECIAL: &[i64] = &[
    0,
    1,
    -1,
    2,
    -2,
    31,
    32,
    63,
    64,
    65,
    127,
    -128,
    0xffff_ffff,
    0x1_0000_0000,
    -0x8000_0000,
    0x7fff_ffff,
    i64::MIN,
    i64::MAX,
    i64::MIN + 1,
    i64::MAX - 1,
    0x0100_0001,
    0x0020_0000_0000_0001, // 2^53 + 1: not exact in f64
    0x0020_0000_0000_0003,
    0x0000_0100_0000_8000, // 2^40 + 2^15: an exact f32 tie (2^40 + 2^16 ulp = 2^17...)
    0x0000_0100_0001_0000,
    0x0000_0100_0001_8000,
    0x7fff_ff80_0000_0000,
    0x7fff_ffc0_0000_0000, // tie at the top of the f32 range
    0x7fff_fe80_0000_0001, // non-tie, would differ under double rounding via f64
    -0x7fff_ffc0_0000_0000,
    0x4000_0040_0000_0001,
    0x0020_0000_2000_0001, // i64 -> f32: double rounding trap via f64
    0x5555_5555_5555_5555,
    0x1234_5678_9abc_def0,
];

/// Operand pool for one value type: specials first, then random bits.
fn pool(ty: ValType, rng: &mut Rng) -> Vec<Value> {
    let mut v: Vec<Value> = match ty {
        ValType::I32 => I32_SPECIAL.iter().map(|&x| Value::I32(x)).collect(),
        ValType::I64 => I64_SPECIAL.iter().map(|&x| Value::I64(x)).collect(),
        ValType::F32 => F32_SPECIAL.iter().map(|&x| Value::F32(x)).collect(),
        ValType::F64 => F64_SPECIAL.iter().map(|&x| Value::F64(x)).collect(),
        ValType::V128 => v128_specials(rng),
        _ => Vec::new(),
    };
    for _ in 0..24 {
        let r = rng.next_u64();
        v.push(match ty {
            ValType::I32 => Value::I32(r as i32),
            ValType::I64 => Value::I64(r as i64),
            ValType::F32 => Value::F32(r as u32),
            ValType::F64 => Value::F64(r),
            _ => Value::V128((r as u128) << 64 | rng.next_u64() as u128),
        });
    }
    v
}

fn v128_specials(rng: &mut Rng) -> Vec<Value> {
    let mut v = vec![0u128, u128::MAX, 1, 1 << 127];
    for &b in &[0x01u8, 0x7f, 0x80, 0xff, 0x0f, 0x10, 0x40] {
        v.push(v128_load8_splat(b));
    }
    for &h in &[
        0x7fffu16, 0x8000, 0xffff, 0x0080, 0xff7f, 0x4000, 0x00ff, 0xff80, 0x0100,
    ] {
        v.push(v128_load16_splat(h));
    }
    for &w in &[
        0x7fff_ffffu32,
        0x8000_0000,
        0xffff_0000,
        0x0000_8000,
        0x0001_0000,
        0xffff_7fff,
    ] {
        v.push(v128_load32_splat(w));
    }
    for &d in &[
        0x7fff_ffff_ffff_ffffu64,
        0x8000_0000_0000_0000,
        0xffff_ffff_0000_0000,
    ] {
        v.push(v128_load64_splat(d));
    }
    // Mixed-sign byte and halfword patterns for narrowing, dots and averages.
    v.push(from_u8x16([
        0x80, 0x80, 0x7f, 0x7f, 0x80, 0x7f, 0xff, 0x01, 0x00, 0xfe, 0x81, 0x80, 0x40, 0xc0, 0x3f,
        0x80,
    ]));
    v.push(from_u16x8([
        0x8000, 0x8000, 0x7fff, 0x7fff, 0x8000, 0x0080, 0xff80, 0x0100,
    ]));
    v.push(from_u32x4([
        0x8000_0000,
        0x7fff_ffff,
        0xffff_8000,
        0x0000_7fff,
    ]));
    // Float lanes drawn from the scalar specials: every special appears in
    // some lane, together with varied neighbours.
    for chunk in F32_SPECIAL.chunks(4) {
        let mut l = [0u32; 4];
        for (i, x) in l.iter_mut().enumerate() {
            *x = chunk
                .get(i)
                .copied()
                .unwrap_or(F32_SPECIAL[rng.below(F32_SPECIAL.len())]);
        }
        v.push(from_u32x4(l));
    }
    for _ in 0..12 {
        v.push(from_u32x4(std::array::from_fn(|_| {
            F32_SPECIAL[rng.below(F32_SPECIAL.len())]
        })));
    }
    for chunk in F64_SPECIAL.chunks(2) {
        let hi = chunk
            .get(1)
            .copied()
            .unwrap_or(F64_SPECIAL[rng.below(F64_SPECIAL.len())]);
        v.push(from_u64x2([chunk[0], hi]));
    }
    for _ in 0..8 {
        v.push(from_u64x2(std::array::from_fn(|_| {
            F64_SPECIAL[rng.below(F64_SPECIAL.len())]
        })));
    }
    v.into_iter().map(Value::V128).collect()
}

/// Operand tuples for a signature: exhaustive products while small, then
/// specials crossed with samples, capped so the whole run stays quick.
fn operand_sets(params: &[ValType], rng: &mut Rng) -> Vec<Vec<Value>> {
    let pools: Vec<Vec<Value>> = params.iter().map(|&t| pool(t, rng)).collect();
    match pools.len() {
        1 => pools[0].iter().map(|&x| vec![x]).collect(),
        2 => {
            let mut out = Vec::new();
            for &x in &pools[0] {
                for &y in &pools[1] {
                    out.push(vec![x, y]);
                }
            }
            out
        }
        3 => {
            let mut out = Vec::new();
            // Diagonal-ish combinations plus random triples.
            for (i, &x) in pools[0].iter().enumerate() {
                for k in 0..6 {
                    let y = pools[1][(i * 7 + k * 13) % pools[1].len()];
                    let z = pools[2][(i * 11 + k * 5) % pools[2].len()];
                    out.push(vec![x, y, z]);
                }
            }
            for _ in 0..600 {
                out.push(pools.iter().map(|p| p[rng.below(p.len())]).collect());
            }
            out
        }
        _ => vec![Vec::new()],
    }
}

fn wat_type(t: ValType) -> &'static str {
    match t {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        _ => "v128",
    }
}

fn to_wasmi(v: Value) -> Val {
    match v {
        Value::I32(x) => Val::I32(x),
        Value::I64(x) => Val::I64(x),
        Value::F32(x) => Val::F32(wasmi::F32::from_bits(x)),
        Value::F64(x) => Val::F64(wasmi::F64::from_bits(x)),
        Value::V128(x) => Val::V128(wasmi::V128::from(x)),
    }
}

fn from_wasmi(v: &Val) -> Option<Value> {
    Some(match v {
        Val::I32(x) => Value::I32(*x),
        Val::I64(x) => Value::I64(*x),
        Val::F32(x) => Value::F32(x.to_bits()),
        Val::F64(x) => Value::F64(x.to_bits()),
        Val::V128(x) => Value::V128(x.as_u128()),
        _ => return None,
    })
}

/// Float lane width (32 or 64) of an op's result when its NaN results are
/// left open by the spec, with the lane width its float operands are read at.
fn nan_lanes(op: Op) -> Option<(u32, u32)> {
    let name = op.name();
    let (shape, base) = name.split_once('.')?;
    let width = match shape {
        "f32" | "f32x4" => 32,
        "f64" | "f64x2" => 64,
        _ => return None,
    };
    let arith = [
        "add",
        "sub",
        "mul",
        "div",
        "sqrt",
        "min",
        "max",
        "ceil",
        "floor",
        "trunc",
        "nearest",
        "relaxed_madd",
        "relaxed_nmadd",
        "relaxed_min",
        "relaxed_max",
    ];
    if arith.contains(&base) {
        Some((width, width))
    } else if base.starts_with("demote") {
        Some((width, 64))
    } else if base.starts_with("promote") {
        Some((width, 32))
    } else {
        None
    }
}

fn lanes_of(v: Value, width: u32) -> Vec<u64> {
    let bits = v.bits();
    let n = match v {
        Value::V128(_) => 128 / width,
        _ => 1,
    };
    (0..n)
        .map(|i| (bits >> (i * width)) as u64 & (u64::MAX >> (64 - width)))
        .collect()
}

fn is_nan(x: u64, width: u32) -> bool {
    if width == 32 {
        f32::from_bits(x as u32).is_nan()
    } else {
        f64::from_bits(x).is_nan()
    }
}

fn is_canonical(x: u64, width: u32) -> bool {
    if width == 32 {
        f32_is_canonical_nan(x as u32)
    } else {
        f64_is_canonical_nan(x)
    }
}

fn is_arithmetic(x: u64, width: u32) -> bool {
    if width == 32 {
        f32_is_arithmetic_nan(x as u32)
    } else {
        f64_is_arithmetic_nan(x)
    }
}

/// Spec comparison of a float-arithmetic result: bits equal, or both NaN with
/// ours in the class the operands demand.
fn nan_aware_eq(ours: Value, theirs: Value, args: &[Value], out_w: u32, in_w: u32) -> bool {
    if ours.ty() != theirs.ty() {
        return false;
    }
    let all_canonical = args
        .iter()
        .filter(|a| matches!(a.ty(), ValType::F32 | ValType::F64 | ValType::V128))
        .flat_map(|&a| lanes_of(a, in_w))
        .filter(|&x| is_nan(x, in_w))
        .all(|x| is_canonical(x, in_w));
    lanes_of(ours, out_w)
        .into_iter()
        .zip(lanes_of(theirs, out_w))
        .all(|(o, t)| {
            if is_nan(o, out_w) || is_nan(t, out_w) {
                is_nan(o, out_w)
                    && is_nan(t, out_w)
                    && is_arithmetic(o, out_w)
                    && (!all_canonical || is_canonical(o, out_w))
            } else {
                o == t
            }
        })
}

fn v(x: Value) -> u128 {
    x.bits()
}

/// For relaxed-SIMD ops: is wasmi's result one the spec allows?
fn relaxed_allowed(op: Op, args: &[Value], theirs: Value) -> bool {
    let t = v(theirs);
    let a = args.first().map_or(0, |&x| v(x));
    let b = args.get(1).map_or(0, |&x| v(x));
    let c = args.get(2).map_or(0, |&x| v(x));
    let lanewise32 =
        |ok: &dyn Fn(usize, u32) -> bool| to_u32x4(t).iter().enumerate().all(|(i, &x)| ok(i, x));
    match op {
        Op::I8x16RelaxedSwizzle => {
            let (la, ls, lt) = (to_u8x16(a), to_u8x16(b), to_u8x16(t));
            (0..16).all(|i| {
                let j = ls[i];
                if j < 16 {
                    lt[i] == la[j as usize]
                } else if (j as i8) < 0 {
                    lt[i] == 0
                } else {
                    lt[i] == 0 || lt[i] == la[(j % 16) as usize]
                }
            })
        }
        Op::I32x4RelaxedTruncF32x4S | Op::I32x4RelaxedTruncF32x4U => {
            let signed = op == Op::I32x4RelaxedTruncF32x4S;
            let la = to_u32x4(a);
            lanewise32(&|i, x| trunc_allowed(f32::from_bits(la[i]) as f64, signed, x))
        }
        Op::I32x4RelaxedTruncF64x2SZero | Op::I32x4RelaxedTruncF64x2UZero => {
            let signed = op == Op::I32x4RelaxedTruncF64x2SZero;
            let la = to_u64x2(a);
            lanewise32(&|i, x| {
                if i >= 2 {
                    x == 0
                } else {
                    trunc_allowed(f64::from_bits(la[i]), signed, x)
                }
            })
        }
        Op::F32x4RelaxedMadd | Op::F32x4RelaxedNmadd => {
            let a = if op == Op::F32x4RelaxedNmadd {
                f32x4_neg(a)
            } else {
                a
            };
            let fused = Value::V128(from_u32x4(std::array::from_fn(|i| {
                let (x, y, z) = (lane32(a, i as u8), lane32(b, i as u8), lane32(c, i as u8));
                f32_fma(f32::from_bits(x), f32::from_bits(y), f32::from_bits(z)).to_bits()
            })));
            let unfused = Value::V128(f32x4_relaxed_madd(a, b, c));
            // Lanes independently: either rounding is allowed per lane.
            (0..4u8).all(|i| {
                let pick = |w: Value| Value::F32(lane32(v(w), i));
                let ours_args = [
                    Value::F32(lane32(a, i)),
                    Value::F32(lane32(b, i)),
                    Value::F32(lane32(c, i)),
                ];
                nan_aware_eq(pick(fused), pick(theirs), &ours_args, 32, 32)
                    || nan_aware_eq(pick(unfused), pick(theirs), &ours_args, 32, 32)
            })
        }
        Op::F64x2RelaxedMadd | Op::F64x2RelaxedNmadd => {
            let a = if op == Op::F64x2RelaxedNmadd {
                f64x2_neg(a)
            } else {
                a
            };
            let fused = Value::V128(from_u64x2(std::array::from_fn(|i| {
                let (x, y, z) = (lane64(a, i as u8), lane64(b, i as u8), lane64(c, i as u8));
                f64_fma(f64::from_bits(x), f64::from_bits(y), f64::from_bits(z)).to_bits()
            })));
            let unfused = Value::V128(f64x2_relaxed_madd(a, b, c));
            (0..2u8).all(|i| {
                let pick = |w: Value| Value::F64(lane64(v(w), i));
                let ours_args = [
                    Value::F64(lane64(a, i)),
                    Value::F64(lane64(b, i)),
                    Value::F64(lane64(c, i)),
                ];
                nan_aware_eq(pick(fused), pick(theirs), &ours_args, 64, 64)
                    || nan_aware_eq(pick(unfused), pick(theirs), &ours_args, 64, 64)
            })
        }
        Op::I8x16RelaxedLaneselect
        | Op::I16x8RelaxedLaneselect
        | Op::I32x4RelaxedLaneselect
        | Op::I64x2RelaxedLaneselect => {
            let w = match op {
                Op::I8x16RelaxedLaneselect => 8,
                Op::I16x8RelaxedLaneselect => 16,
                Op::I32x4RelaxedLaneselect => 32,
                _ => 64,
            };
            let lane_mask = u128::MAX >> (128 - w);
            (0..128 / w).all(|i| {
                let sh = i * w;
                let m = (c >> sh) & lane_mask;
                let top = if (m >> (w - 1)) & 1 == 1 {
                    lane_mask
                } else {
                    0
                };
                let got = (t >> sh) & lane_mask;
                let sel = |m: u128| (((a >> sh) & m) | ((b >> sh) & !m)) & lane_mask;
                got == sel(m) || got == sel(top)
            })
        }
        Op::F32x4RelaxedMin | Op::F32x4RelaxedMax => {
            let is_min = op == Op::F32x4RelaxedMin;
            (0..4u8).all(|i| {
                let (x, y, g) = (lane32(a, i), lane32(b, i), lane32(t, i));
                let f = |z: u32| f32::from_bits(z);
                let exact = if is_min {
                    f32_min(f(x), f(y))
                } else {
                    f32_max(f(x), f(y))
                }
                .to_bits();
                let nan_ok = f(g).is_nan();
                if f(x).is_nan() {
                    nan_ok || g == y
                } else if f(y).is_nan() {
                    nan_ok || g == x
                } else if f(x) == 0.0 && f(y) == 0.0 && x != y {
                    g == x || g == y
                } else {
                    g == exact
                }
            })
        }
        Op::F64x2RelaxedMin | Op::F64x2RelaxedMax => {
            let is_min = op == Op::F64x2RelaxedMin;
            (0..2u8).all(|i| {
                let (x, y, g) = (lane64(a, i), lane64(b, i), lane64(t, i));
                let f = |z: u64| f64::from_bits(z);
                let exact = if is_min {
                    f64_min(f(x), f(y))
                } else {
                    f64_max(f(x), f(y))
                }
                .to_bits();
                let nan_ok = f(g).is_nan();
                if f(x).is_nan() {
                    nan_ok || g == y
                } else if f(y).is_nan() {
                    nan_ok || g == x
                } else if f(x) == 0.0 && f(y) == 0.0 && x != y {
                    g == x || g == y
                } else {
                    g == exact
                }
            })
        }
        Op::I16x8RelaxedQ15mulrS => (0..8u8).all(|i| {
            let (x, y, g) = (lane16(a, i), lane16(b, i), lane16(t, i));
            if x == 0x8000 && y == 0x8000 {
                g == 0x7fff || g == 0x8000
            } else {
                g == lane16(i16x8_q15mulr_sat_s(a, b), i)
            }
        }),
        Op::I16x8RelaxedDotI8x16I7x16S => {
            let (s, u) = (dot16(a, b, false), dot16(a, b, true));
            (0..8u8).all(|i| lane16(t, i) == lane16(s, i) || lane16(t, i) == lane16(u, i))
        }
        Op::I32x4RelaxedDotI8x16I7x16AddS => {
            let s = i32x4_add(i32x4_extadd_pairwise_i16x8_s(dot16(a, b, false)), c);
            let u = i32x4_add(i32x4_extadd_pairwise_i16x8_s(dot16(a, b, true)), c);
            (0..4u8).all(|i| {
                let g = lane32(t, i);
                g == lane32(s, i) || g == lane32(u, i)
            })
        }
        _ => false,
    }
}

/// The i16 relaxed dot product with the second operand read signed or unsigned.
fn dot16(a: u128, b: u128, unsigned_b: bool) -> u128 {
    let (la, lb) = (to_u8x16(a), to_u8x16(b));
    from_u16x8(std::array::from_fn(|i| {
        let y = |k: usize| {
            if unsigned_b {
                lb[k] as i32
            } else {
                lb[k] as i8 as i32
            }
        };
        let p = la[2 * i] as i8 as i32 * y(2 * i) + la[2 * i + 1] as i8 as i32 * y(2 * i + 1);
        p.clamp(i16::MIN as i32, i16::MAX as i32) as u16
    }))
}

fn trunc_allowed(x: f64, signed: bool, got: u32) -> bool {
    let t = x.trunc();
    let in_range = if signed {
        (-2147483648.0..2147483648.0).contains(&t)
    } else {
        t > -1.0 && t < 4294967296.0
    };
    if !x.is_nan() && in_range {
        return got == if signed { t as i32 as u32 } else { t as u32 };
    }
    let sat = if signed { x as i32 as u32 } else { x as u32 };
    if signed {
        got == sat || got == 0x8000_0000
    } else {
        [sat, u32::MAX, u32::MAX - 1, 0x8000_0000].contains(&got)
    }
}

fn trap_of(err: &wasmi::Error) -> Option<NumTrap> {
    match err.as_trap_code()? {
        wasmi::TrapCode::IntegerDivisionByZero => Some(NumTrap::IntegerDivideByZero),
        wasmi::TrapCode::IntegerOverflow => Some(NumTrap::IntegerOverflow),
        wasmi::TrapCode::BadConversionToInteger => Some(NumTrap::InvalidConversionToInteger),
        _ => None,
    }
}

#[test]
fn every_op_matches_wasmi() {
    // One function per (op, lane immediate); every lane of Lane ops is covered.
    let mut cases: Vec<(Op, Option<u8>)> = Vec::new();
    for &op in Op::ALL {
        if op.info().results.len() != 1 {
            // Two results (wide arithmetic): `wide_arithmetic_matches_wasmi`.
            continue;
        }
        match op.kind() {
            OpKind::Plain => cases.push((op, None)),
            OpKind::Lane(n) => cases.extend((0..n).map(|l| (op, Some(l)))),
            _ => {}
        }
    }
    let mut wat = String::from("(module\n");
    for (i, &(op, lane)) in cases.iter().enumerate() {
        let info = op.info();
        wat.push_str(&format!("  (func (export \"f{i}\")"));
        for &p in info.params {
            wat.push_str(&format!(" (param {})", wat_type(p)));
        }
        for &r in info.results {
            wat.push_str(&format!(" (result {})", wat_type(r)));
        }
        for k in 0..info.params.len() {
            wat.push_str(&format!(" local.get {k}"));
        }
        wat.push_str(&format!(" {}", op.name()));
        if let Some(l) = lane {
            wat.push_str(&format!(" {l}"));
        }
        wat.push_str(")\n");
    }
    wat.push(')');
    let bytes = wat::parse_str(&wat).expect("generated module parses");

    let mut config = Config::default();
    config.wasm_simd(true).wasm_relaxed_simd(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, &bytes[..]).expect("wasmi accepts the module");
    let mut store = Store::new(&engine, ());
    let instance = Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .expect("instantiates");

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0usize;
    let mut relaxed_other: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut traps = 0usize;
    let mut nan_class = 0usize;
    let mut ops_seen = std::collections::BTreeSet::new();
    let mut failures: BTreeMap<&'static str, (usize, String)> = BTreeMap::new();
    for (i, &(op, lane)) in cases.iter().enumerate() {
        let info = op.info();
        let func = instance
            .get_func(&store, &format!("f{i}"))
            .expect("exported");
        let relaxed = op.name().contains("relaxed");
        let nan = nan_lanes(op);
        ops_seen.insert(op);
        let sets = operand_sets(info.params, &mut rng);
        for args in &sets {
            let params: Vec<Val> = args.iter().map(|&a| to_wasmi(a)).collect();
            let mut results = [Val::I32(0)];
            let theirs = func
                .call(&mut store, &params, &mut results)
                .map(|()| from_wasmi(&results[0]));
            let ours = eval(op, args, lane);
            compared += 1;
            let ok = match (&ours, &theirs) {
                (Ok(o), Ok(Some(t))) => {
                    let same = match nan {
                        Some((ow, iw)) => nan_aware_eq(*o, *t, args, ow, iw),
                        None => o == t,
                    };
                    if nan.is_some() && o != t {
                        nan_class += 1;
                    }
                    if !same && relaxed && relaxed_allowed(op, args, *t) {
                        *relaxed_other.entry(op.name()).or_default() += 1;
                        true
                    } else {
                        same
                    }
                }
                (Err(e), Err(te)) => {
                    traps += 1;
                    Some(*e) == trap_of(te)
                }
                _ => false,
            };
            if !ok {
                let entry = failures.entry(op.name()).or_insert((0, String::new()));
                if entry.0 == 0 {
                    entry.1 = format!(
                        "{} lane {lane:?} args {args:x?}: ours {ours:x?}, wasmi {:x?}",
                        op.name(),
                        theirs.as_ref().map_err(|e| e.to_string())
                    );
                }
                entry.0 += 1;
            }
        }
    }
    println!(
        "differential: {} ops ({} functions counting lane immediates), {compared} comparisons \
         ({traps} traps, {nan_class} NaN results equal only by class)",
        ops_seen.len(),
        cases.len()
    );
    println!("relaxed results where wasmi chose another allowed outcome: {relaxed_other:?}");
    for (name, (n, first)) in &failures {
        println!("MISMATCH {name}: {n} cases; first: {first}");
    }
    assert!(
        failures.is_empty(),
        "{} ops disagree with wasmi",
        failures.len()
    );
}

/// `i64.add128`, `i64.sub128` and `i64.mul_wide_{s,u}` (two results each)
/// against wasmi on edge and random operands.
#[test]
fn wide_arithmetic_matches_wasmi() {
    let ops = [
        Op::I64Add128,
        Op::I64Sub128,
        Op::I64MulWideS,
        Op::I64MulWideU,
    ];
    let mut wat = String::from("(module\n");
    for (i, op) in ops.iter().enumerate() {
        let n = op.info().params.len();
        wat.push_str(&format!("  (func (export \"f{i}\")"));
        for _ in 0..n {
            wat.push_str(" (param i64)");
        }
        wat.push_str(" (result i64 i64)");
        for k in 0..n {
            wat.push_str(&format!(" local.get {k}"));
        }
        wat.push_str(&format!(" {})\n", op.name()));
    }
    wat.push(')');
    let bytes = wat::parse_str(&wat).expect("generated module parses");
    let mut config = Config::default();
    config.wasm_wide_arithmetic(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, &bytes[..]).expect("wasmi accepts the module");
    let mut store = Store::new(&engine, ());
    let instance = Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .expect("instantiates");
    let edges = [
        0u64,
        1,
        u64::MAX,
        1 << 63,
        (1 << 63) - 1,
        0xdead_beef_0123_4567,
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut compared = 0;
    for (i, &op) in ops.iter().enumerate() {
        let func = instance
            .get_func(&store, &format!("f{i}"))
            .expect("exported");
        let n = op.info().params.len();
        for round in 0..400 {
            let args: Vec<Value> = (0..n)
                .map(|k| {
                    let v = if round < 36 {
                        edges[(round / 6 + k * 5 + round) % edges.len()]
                    } else {
                        rng.next_u64()
                    };
                    Value::I64(v as i64)
                })
                .collect();
            let params: Vec<Val> = args.iter().map(|&a| to_wasmi(a)).collect();
            let mut results = [Val::I64(0), Val::I64(0)];
            func.call(&mut store, &params, &mut results)
                .expect("no trap");
            let theirs = [from_wasmi(&results[0]), from_wasmi(&results[1])];
            let ours = wtool_numerics::eval_pair(op, &args).map(|[a, b]| [Some(a), Some(b)]);
            assert_eq!(ours, Some(theirs), "{} {args:x?}", op.name());
            compared += 1;
        }
    }
    println!("wide arithmetic: {compared} comparisons");
}

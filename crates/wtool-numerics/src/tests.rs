//! Edge cases with exact expected bits, including the deterministic NaN
//! choices (which the differential test can only check by class).

use crate::scalar::*;
use crate::simd::*;
use crate::{eval, NumTrap, Value};
use wtool_ast::{Op, OpKind};

fn f32b(x: u32) -> f32 {
    f32::from_bits(x)
}
fn f64b(x: u64) -> f64 {
    f64::from_bits(x)
}

#[test]
fn integer_division_traps() {
    assert_eq!(i32_div_s(i32::MIN, -1), Err(NumTrap::IntegerOverflow));
    assert_eq!(i32_div_s(1, 0), Err(NumTrap::IntegerDivideByZero));
    assert_eq!(i32_div_u(1, 0), Err(NumTrap::IntegerDivideByZero));
    assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
    assert_eq!(i32_rem_s(i32::MIN, 0), Err(NumTrap::IntegerDivideByZero));
    assert_eq!(i32_rem_u(5, 0), Err(NumTrap::IntegerDivideByZero));
    assert_eq!(i32_div_s(-7, 2), Ok(-3));
    assert_eq!(i32_rem_s(-7, 2), Ok(-1));
    assert_eq!(i32_div_u(-1, 2), Ok(0x7fff_ffff));
    assert_eq!(i32_rem_u(-1, 3), Ok((u32::MAX % 3) as i32));
    assert_eq!(i64_div_s(i64::MIN, -1), Err(NumTrap::IntegerOverflow));
    assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
    assert_eq!(i64_div_u(i64::MIN, 2), Ok(1 << 62));
    assert_eq!(NumTrap::IntegerOverflow.to_string(), "integer overflow");
    assert_eq!(
        NumTrap::IntegerDivideByZero.to_string(),
        "integer divide by zero"
    );
    assert_eq!(
        NumTrap::InvalidConversionToInteger.to_string(),
        "invalid conversion to integer"
    );
}

#[test]
fn shifts_rotates_bit_counts() {
    assert_eq!(i32_shl(1, 33), 2);
    assert_eq!(i32_shr_s(i32::MIN, 31), -1);
    assert_eq!(i32_shr_u(i32::MIN, 63), 1);
    assert_eq!(i32_shr_s(-8, -1), -1);
    assert_eq!(i64_shl(1, 65), 2);
    assert_eq!(i64_shr_u(-1, 64), -1);
    assert_eq!(i32_rotl(0x8000_0001u32 as i32, 1), 3);
    assert_eq!(i32_rotr(3, 33), 0x8000_0001u32 as i32);
    assert_eq!(i64_rotl(1, -1), i64::MIN);
    assert_eq!(i32_clz(0), 32);
    assert_eq!(i32_ctz(0), 32);
    assert_eq!(i64_clz(1), 63);
    assert_eq!(i64_ctz(0), 64);
    assert_eq!(i64_popcnt(-1), 64);
    assert_eq!(i32_extend8_s(0x80), -128);
    assert_eq!(i32_extend16_s(0x1_7fff), 0x7fff);
    assert_eq!(i64_extend32_s(0x8000_0000), -0x8000_0000);
    assert_eq!(i64_extend_i32_u(-1), 0xffff_ffff);
}

#[test]
fn nan_propagation_is_the_reference_interpreters() {
    // First NaN operand wins, quieted, payload and sign kept.
    let snan = f32b(0x7fa0_0001);
    let qneg = f32b(0xffc0_1234);
    assert_eq!(f32_add(snan, qneg).to_bits(), 0x7fe0_0001);
    assert_eq!(f32_add(1.0, qneg).to_bits(), 0xffc0_1234);
    assert_eq!(f32_mul(qneg, snan).to_bits(), 0xffc0_1234);
    // Invalid operations on non-NaNs give the positive canonical NaN.
    assert_eq!(
        f32_sub(f32::INFINITY, f32::INFINITY).to_bits(),
        F32_CANONICAL_NAN
    );
    assert_eq!(f64_div(0.0, 0.0).to_bits(), F64_CANONICAL_NAN);
    assert_eq!(f64_sqrt(-1.0).to_bits(), F64_CANONICAL_NAN);
    assert_eq!(f64_mul(f64::INFINITY, -0.0).to_bits(), F64_CANONICAL_NAN);
    // Unary rounding ops quiet their NaN operand.
    assert_eq!(
        f64_ceil(f64b(0xfff0_0000_0000_0001)).to_bits(),
        0xfff8_0000_0000_0001
    );
    assert_eq!(f32_nearest(snan).to_bits(), 0x7fe0_0001);
    // Bit ops never canonicalize.
    assert_eq!(f32_neg(snan).to_bits(), 0xffa0_0001);
    assert_eq!(f32_abs(qneg).to_bits(), 0x7fc0_1234);
    assert_eq!(
        f64_copysign(f64b(0x7ff0_0000_0000_0001), -1.0).to_bits(),
        0xfff0_0000_0000_0001
    );
    assert_eq!(f32_copysign(1.0, f32b(0xffc0_0000)), -1.0);
}

#[test]
fn min_max_zeros_and_nans() {
    assert_eq!(f32_min(0.0, -0.0).to_bits(), 0x8000_0000);
    assert_eq!(f32_min(-0.0, 0.0).to_bits(), 0x8000_0000);
    assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0);
    assert_eq!(f64_max(0.0, -0.0).to_bits(), 0);
    assert_eq!(f64_min(f64::NEG_INFINITY, 1.0), f64::NEG_INFINITY);
    assert_eq!(f32_min(1.0, f32b(0x7f80_0001)).to_bits(), 0x7fc0_0001);
    assert_eq!(
        f32_max(f32b(0xff80_0002), f32b(0x7f80_0001)).to_bits(),
        0xffc0_0002
    );
    // pmin/pmax are selections: NaN operand handling follows `<` only.
    assert_eq!(f32_pmin(f32b(0x7fa0_0000), 1.0).to_bits(), 0x7fa0_0000);
    assert_eq!(f32_pmin(1.0, f32b(0x7fa0_0000)), 1.0);
    assert_eq!(f64_pmax(-0.0, 0.0).to_bits(), 0x8000_0000_0000_0000);
    assert_eq!(f64_pmin(0.0, -0.0).to_bits(), 0);
}

#[test]
fn rounding() {
    assert_eq!(f32_nearest(0.5).to_bits(), 0);
    assert_eq!(f32_nearest(-0.5).to_bits(), 0x8000_0000);
    assert_eq!(f32_nearest(1.5), 2.0);
    assert_eq!(f32_nearest(2.5), 2.0);
    assert_eq!(f64_nearest(-3.5), -4.0);
    assert_eq!(f64_nearest(4503599627370497.0), 4503599627370497.0);
    assert_eq!(f32_nearest(8388609.0), 8388609.0);
    assert_eq!(f64_ceil(-0.5).to_bits(), 0x8000_0000_0000_0000);
    assert_eq!(f64_floor(-0.5), -1.0);
    assert_eq!(f32_trunc(-0.9).to_bits(), 0x8000_0000);
}

#[test]
fn trapping_truncation_bounds() {
    use NumTrap::*;
    assert_eq!(i32_trunc_f32_s(f32::NAN), Err(InvalidConversionToInteger));
    assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
    assert_eq!(i32_trunc_f32_s(2147483648.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f32_s(2147483520.0), Ok(2147483520));
    assert_eq!(i32_trunc_f32_s(f32b(0xcf00_0001)), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
    assert_eq!(i32_trunc_f64_s(-2147483649.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f64_s(2147483647.9), Ok(i32::MAX));
    assert_eq!(i32_trunc_f64_u(4294967295.9), Ok(-1));
    assert_eq!(i32_trunc_f64_u(4294967296.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
    assert_eq!(i32_trunc_f64_u(-1.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f32_u(2147483648.0), Ok(i32::MIN));
    assert_eq!(i64_trunc_f64_s(-9223372036854775808.0), Ok(i64::MIN));
    assert_eq!(i64_trunc_f64_s(9223372036854775808.0), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f32_u(18446742974197923840.0), Ok(-1099511627776));
    assert_eq!(
        i64_trunc_f32_u(18446744073709551616.0),
        Err(IntegerOverflow)
    );
    assert_eq!(i64_trunc_f64_u(f64::NEG_INFINITY), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f64_u(-f64::NAN), Err(InvalidConversionToInteger));
    // Saturating forms.
    assert_eq!(i32_trunc_sat_f32_s(f32::NAN), 0);
    assert_eq!(i32_trunc_sat_f32_u(-1.0), 0);
    assert_eq!(i32_trunc_sat_f64_u(1e10), -1);
    assert_eq!(i64_trunc_sat_f64_s(f64::NEG_INFINITY), i64::MIN);
    assert_eq!(i64_trunc_sat_f32_u(f32::INFINITY), -1);
}

#[test]
fn conversions_round_once() {
    // 2^53 + 1 rounds to even in f64; i64 -> f32 must not double-round via f64.
    assert_eq!(f64_convert_i64_s(9007199254740993), 9007199254740992.0);
    assert_eq!(f32_convert_i64_s(0x0020_0000_2000_0001), 9007200328482816.0);
    assert_eq!(f32_convert_i64_u(-1), 18446744073709551616.0);
    assert_eq!(f32_convert_i32_u(-1), 4294967296.0);
    assert_eq!(f32_convert_i32_s(16777217), 16777216.0);
    assert_eq!(f64_convert_i32_u(-1), 4294967295.0);
}

#[test]
fn demote_promote_nans() {
    assert_eq!(
        f32_demote_f64(f64b(0x7ff4_0000_0000_0000)).to_bits(),
        0x7fe0_0000
    );
    assert_eq!(
        f32_demote_f64(f64b(0xfff0_0000_2000_0000)).to_bits(),
        0xffc0_0001
    );
    assert_eq!(
        f32_demote_f64(f64b(0x7ff0_0000_0000_0001)).to_bits(),
        F32_CANONICAL_NAN
    );
    assert_eq!(
        f64_promote_f32(f32b(0xff80_0001)).to_bits(),
        0xfff8_0000_2000_0000
    );
    assert_eq!(
        f64_promote_f32(f32b(0x7fc0_0000)).to_bits(),
        F64_CANONICAL_NAN
    );
    // Rounding at the edges of f32.
    assert_eq!(f32_demote_f64(f64b(0x47ef_ffff_f000_0000)), f32::INFINITY);
    assert_eq!(f32_demote_f64(f64b(0x47ef_ffff_efff_ffff)), f32::MAX);
    assert_eq!(f32_demote_f64(f64b(0x3690_0000_0000_0000)).to_bits(), 0);
    assert_eq!(f32_demote_f64(-1e-300).to_bits(), 0x8000_0000);
    assert_eq!(f64_promote_f32(f32b(1)), 1.401298464324817e-45);
}

#[test]
fn simd_integer_edges() {
    assert_eq!(i8x16_abs(v128_load8_splat(0x80)), v128_load8_splat(0x80));
    assert_eq!(
        i8x16_add_sat_s(v128_load8_splat(0x7f), v128_load8_splat(1)),
        v128_load8_splat(0x7f)
    );
    assert_eq!(i8x16_sub_sat_u(0, v128_load8_splat(1)), 0);
    assert_eq!(
        i8x16_avgr_u(v128_load8_splat(0xff), v128_load8_splat(0)),
        v128_load8_splat(0x80)
    );
    assert_eq!(i8x16_shl(v128_load8_splat(1), 9), v128_load8_splat(2));
    assert_eq!(i16x8_shr_s(v128_load16_splat(0x8000), 15), u128::MAX);
    assert_eq!(i64x2_shr_u(u128::MAX, 65), i64x2_splat(i64::MAX));
    let q = i16x8_q15mulr_sat_s(v128_load16_splat(0x8000), v128_load16_splat(0x8000));
    assert_eq!(q, v128_load16_splat(0x7fff));
    assert_eq!(
        i32x4_dot_i16x8_s(v128_load16_splat(0x8000), v128_load16_splat(0x8000)),
        i32x4_splat(i32::MIN)
    );
    assert_eq!(
        i8x16_narrow_i16x8_u(v128_load16_splat(0xff80), v128_load16_splat(0x0100)),
        0xffff_ffff_ffff_ffff << 64
    );
    assert_eq!(i8x16_bitmask(1 << 127 | 1 << 7), 0x8001);
    assert_eq!(i64x2_bitmask(1 << 127), 2);
    assert!(!i16x8_all_true(u128::MAX >> 16));
    let a = from_u8x16(std::array::from_fn(|i| i as u8 + 100));
    let s = from_u8x16([0, 15, 16, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x80]);
    assert_eq!(to_u8x16(i8x16_swizzle(a, s))[..4], [100, 115, 0, 0]);
    let b = from_u8x16(std::array::from_fn(|i| i as u8 + 200));
    let lanes: [u8; 16] = std::array::from_fn(|i| (31 - i) as u8);
    assert_eq!(to_u8x16(i8x16_shuffle(a, b, &lanes))[0], 215);
    assert_eq!(to_u8x16(i8x16_shuffle(a, b, &lanes))[15], 200);
    // Relaxed dot: signed products, saturating pair sums.
    let d = i16x8_relaxed_dot_i8x16_i7x16_s(v128_load8_splat(0x80), v128_load8_splat(0x80));
    assert_eq!(d, v128_load16_splat(0x7fff));
}

#[test]
fn simd_lanes_and_loads() {
    let v = from_u32x4([1, 2, 3, 4]);
    assert_eq!(i32x4_extract_lane(v, 3), 4);
    assert_eq!(i32x4_replace_lane(v, 0, 9), from_u32x4([9, 2, 3, 4]));
    assert_eq!(i8x16_extract_lane_s(v128_load8_splat(0xff), 15), -1);
    assert_eq!(i16x8_extract_lane_u(v128_load16_splat(0xffff), 7), 0xffff);
    assert_eq!(
        f32x4_extract_lane(f32x4_splat(f32b(0x7fa0_0000)), 2).to_bits(),
        0x7fa0_0000
    );
    assert_eq!(
        v128_load8x8_s([0x80, 1, 0, 0, 0, 0, 0, 0xff]),
        from_u16x8([0xff80, 1, 0, 0, 0, 0, 0, 0xffff])
    );
    assert_eq!(
        v128_load16x4_u([0, 0x80, 1, 0, 0, 0, 0xff, 0xff]),
        from_u32x4([0x8000, 1, 0, 0xffff])
    );
    assert_eq!(
        v128_load32x2_s([0, 0, 0, 0x80, 1, 0, 0, 0]),
        from_u64x2([0xffff_ffff_8000_0000, 1])
    );
    assert_eq!(v128_load32_zero(7), 7);
    assert_eq!(
        from_u16x8(to_u16x8(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210)),
        0x0123_4567_89ab_cdef_fedc_ba98_7654_3210
    );
}

#[test]
fn simd_float_lanes() {
    let v = f32x4_demote_f64x2_zero(from_u64x2([0x7ff4_0000_0000_0000, 1.5f64.to_bits()]));
    assert_eq!(to_u32x4(v), [0x7fe0_0000, 1.5f32.to_bits(), 0, 0]);
    let p = f64x2_promote_low_f32x4(from_u32x4([0xff80_0001, 0x3f80_0000, 5, 6]));
    assert_eq!(to_u64x2(p), [0xfff8_0000_2000_0000, 1.0f64.to_bits()]);
    let t = i32x4_trunc_sat_f64x2_u_zero(from_u64x2([(-1.0f64).to_bits(), 5e9f64.to_bits()]));
    assert_eq!(to_u32x4(t), [0, u32::MAX, 0, 0]);
    let m = f32x4_min(f32x4_splat(0.0), f32x4_splat(-0.0));
    assert_eq!(m, f32x4_splat(-0.0));
    let n = f64x2_nearest(f64x2_splat(2.5));
    assert_eq!(n, f64x2_splat(2.0));
    // relaxed_madd is the unfused form: (1 + 2^-12)^2 - 1 loses the 2^-24 term.
    let x = f32x4_splat(f32b(0x3f80_0800));
    let r = f32x4_relaxed_madd(x, x, f32x4_splat(-1.0));
    assert_eq!(f32x4_extract_lane(r, 0), 2f32.powi(-11));
    assert_eq!(
        f32_fma(f32b(0x3f80_0800), f32b(0x3f80_0800), -1.0),
        2f32.powi(-11) + 2f32.powi(-24)
    );
}

#[test]
fn eval_checks_its_inputs() {
    use Value::*;
    assert_eq!(eval(Op::I32Add, &[I32(1), I32(2)], None), Ok(I32(3)));
    assert_eq!(eval(Op::I32Add, &[I32(1)], None), Err(NumTrap::Unsupported));
    assert_eq!(
        eval(Op::I32Add, &[I32(1), I64(2)], None),
        Err(NumTrap::Unsupported)
    );
    assert_eq!(
        eval(Op::I32Add, &[I32(1), I32(2)], Some(0)),
        Err(NumTrap::Unsupported)
    );
    assert_eq!(
        eval(Op::I32Load, &[I32(0)], None),
        Err(NumTrap::Unsupported)
    );
    assert_eq!(
        eval(Op::I32x4ExtractLane, &[V128(0)], None),
        Err(NumTrap::Unsupported)
    );
    assert_eq!(
        eval(Op::I32x4ExtractLane, &[V128(0)], Some(4)),
        Err(NumTrap::Unsupported)
    );
    assert_eq!(
        eval(Op::I32x4ExtractLane, &[V128(5 << 96)], Some(3)),
        Ok(I32(5))
    );
    assert_eq!(
        eval(Op::I32DivS, &[I32(i32::MIN), I32(-1)], None),
        Err(NumTrap::IntegerOverflow)
    );
    assert_eq!(
        eval(Op::F32Eq, &[F32(0), F32(0x8000_0000)], None),
        Ok(I32(1))
    );
    assert_eq!(
        eval(Op::F64PromoteF32, &[F32(0x7fa0_0000)], None),
        Ok(F64(0x7ffc_0000_0000_0000))
    );
    assert!(!NumTrap::Unsupported.is_trap());
    assert_eq!(
        Value::from_bits(wtool_ast::ValType::I32, 0x1_ffff_ffff),
        Some(I32(-1))
    );
    assert_eq!(
        Value::from_bits(wtool_ast::ValType::F64, 5).map(Value::bits),
        Some(5)
    );
    // Every Plain/Lane op evaluates on zero operands of its signature without
    // reporting Unsupported (division by zero aside).
    for &op in Op::ALL {
        let lane = match op.kind() {
            OpKind::Plain => None,
            OpKind::Lane(n) => Some(n - 1),
            _ => continue,
        };
        if op.info().results.len() == 2 {
            // Wide arithmetic: `eval_pair`.
            let args = vec![I64(0); op.info().params.len()];
            assert_eq!(
                crate::eval_pair(op, &args),
                Some([I64(0), I64(0)]),
                "{}",
                op.name()
            );
            assert_eq!(eval(op, &args, None), Err(NumTrap::Unsupported));
            continue;
        }
        let args: Vec<Value> = op
            .info()
            .params
            .iter()
            .map(|&t| Value::zero(t).unwrap_or(I32(0)))
            .collect();
        let r = eval(op, &args, lane);
        assert_ne!(r, Err(NumTrap::Unsupported), "{}", op.name());
        if let Ok(v) = r {
            assert_eq!(
                Some(v.ty()),
                op.info().results.first().copied(),
                "{}",
                op.name()
            );
        }
    }
}

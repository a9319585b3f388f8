//! Glue to `wtool-numerics`: float ops and conversions whose exact results
//! (NaN payloads, trapping ranges) must agree with the optimizer's constant
//! folder, and the generic slow path for SIMD ops.

use wtool_ast::{Op, ValType};
use wtool_numerics::{scalar, simd, NumTrap};

use crate::trap::TrapKind;

pub(crate) use scalar::{
    f32_add, f32_ceil, f32_div, f32_floor, f32_max, f32_min, f32_mul, f32_nearest, f32_sqrt,
    f32_sub, f32_trunc, f64_add, f64_ceil, f64_div, f64_floor, f64_max, f64_min, f64_mul,
    f64_nearest, f64_sqrt, f64_sub, f64_trunc,
};

fn trap_of(t: NumTrap) -> TrapKind {
    match t {
        NumTrap::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
        NumTrap::IntegerOverflow => TrapKind::IntegerOverflow,
        NumTrap::InvalidConversionToInteger => TrapKind::InvalidConversionToInteger,
        NumTrap::Unsupported => TrapKind::UnsupportedOperator,
    }
}

macro_rules! trunc {
    ($name:ident, $from:ident, $f:ty, $i:ty, $u:ty) => {
        #[inline]
        pub(crate) fn $name(slot: u64) -> Result<u64, TrapKind> {
            scalar::$name(<$f>::from_bits(slot as _))
                .map(|v| v as $u as u64)
                .map_err(trap_of)
        }
    };
}

trunc!(i32_trunc_f32_s, f32, f32, i32, u32);
trunc!(i32_trunc_f32_u, f32, f32, i32, u32);
trunc!(i32_trunc_f64_s, f64, f64, i32, u32);
trunc!(i32_trunc_f64_u, f64, f64, i32, u32);
trunc!(i64_trunc_f32_s, f32, f32, i64, u64);
trunc!(i64_trunc_f32_u, f32, f32, i64, u64);
trunc!(i64_trunc_f64_s, f64, f64, i64, u64);
trunc!(i64_trunc_f64_u, f64, f64, i64, u64);

/// `f32.demote_f64` on slot bits.
#[inline]
pub(crate) fn f32_demote(a: u64) -> u32 {
    scalar::f32_demote_f64(f64::from_bits(a)).to_bits()
}

/// `f64.promote_f32` on slot bits.
#[inline]
pub(crate) fn f64_promote(a: u32) -> u64 {
    scalar::f64_promote_f32(f32::from_bits(a)).to_bits()
}

/// The value part of the extending `v128.loadNxM_{s,u}` loads.
pub(crate) fn load_extend(op: Op, b: [u8; 8]) -> u128 {
    match op {
        Op::V128Load8x8S => simd::v128_load8x8_s(b),
        Op::V128Load8x8U => simd::v128_load8x8_u(b),
        Op::V128Load16x4S => simd::v128_load16x4_s(b),
        Op::V128Load16x4U => simd::v128_load16x4_u(b),
        Op::V128Load32x2S => simd::v128_load32x2_s(b),
        _ => simd::v128_load32x2_u(b),
    }
}

/// Executes a table-driven op generically: pops its operands (typed by the
/// opcode table) from `stack[..sp]`, evaluates it with `wtool_numerics::eval`
/// and pushes the result. Returns the new stack pointer.
pub(crate) fn slow(
    op: Op,
    stack: &mut [u64],
    sp: usize,
    lane: Option<u8>,
) -> Result<usize, TrapKind> {
    use wtool_numerics::Value as N;
    let info = op.info();
    let mut args = [N::I32(0); 3];
    let n = info.params.len();
    let need: usize = info
        .params
        .iter()
        .map(|&t| crate::values::slots(t) as usize)
        .sum();
    if n > 3 || sp < need {
        return Err(TrapKind::UnsupportedOperator);
    }
    let mut i = sp - need;
    for (k, &t) in info.params.iter().enumerate() {
        let lo = stack[i];
        args[k] = match t {
            ValType::I32 => N::I32(lo as u32 as i32),
            ValType::I64 => N::I64(lo as i64),
            ValType::F32 => N::F32(lo as u32),
            ValType::F64 => N::F64(lo),
            ValType::V128 => {
                i += 1;
                N::V128((stack[i] as u128) << 64 | lo as u128)
            }
            ValType::Ref(_) => return Err(TrapKind::UnsupportedOperator),
        };
        i += 1;
    }
    let r = wtool_numerics::eval(op, &args[..n], lane).map_err(trap_of)?;
    let mut sp = sp - need;
    match r {
        N::I32(v) => {
            stack[sp] = v as u32 as u64;
            sp += 1;
        }
        N::I64(v) => {
            stack[sp] = v as u64;
            sp += 1;
        }
        N::F32(v) => {
            stack[sp] = v as u64;
            sp += 1;
        }
        N::F64(v) => {
            stack[sp] = v;
            sp += 1;
        }
        N::V128(v) => {
            stack[sp] = v as u64;
            stack[sp + 1] = (v >> 64) as u64;
            sp += 2;
        }
    }
    Ok(sp)
}

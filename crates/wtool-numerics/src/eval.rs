//! Dynamically typed evaluation of one op over constant operands: the entry
//! point for constant folding and for differential tests.

use crate::{scalar, simd, NumTrap};
use wtool_ast::{Instr, Op, OpKind, ValType};

/// A numeric value; floats are kept as bits so NaN payloads survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bit pattern.
    F32(u32),
    /// An `f64`, as its bit pattern.
    F64(u64),
    /// A `v128`, byte 0 in the least significant bits.
    V128(u128),
}

impl Value {
    /// The value's type.
    pub fn ty(self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::F32(_) => ValType::F32,
            Value::F64(_) => ValType::F64,
            Value::V128(_) => ValType::V128,
        }
    }

    /// The zero of a numeric type; `None` for reference types.
    pub fn zero(ty: ValType) -> Option<Value> {
        Some(match ty {
            ValType::I32 => Value::I32(0),
            ValType::I64 => Value::I64(0),
            ValType::F32 => Value::F32(0),
            ValType::F64 => Value::F64(0),
            ValType::V128 => Value::V128(0),
            _ => return None,
        })
    }

    /// An `f32` value from a native float (bits preserved).
    pub fn from_f32(x: f32) -> Value {
        Value::F32(x.to_bits())
    }

    /// An `f64` value from a native float (bits preserved).
    pub fn from_f64(x: f64) -> Value {
        Value::F64(x.to_bits())
    }

    /// A value of numeric type `ty` from raw bits (high bits beyond the
    /// type's width ignored); `None` for reference types.
    pub fn from_bits(ty: ValType, bits: u128) -> Option<Value> {
        Some(match ty {
            ValType::I32 => Value::I32(bits as i32),
            ValType::I64 => Value::I64(bits as i64),
            ValType::F32 => Value::F32(bits as u32),
            ValType::F64 => Value::F64(bits as u64),
            ValType::V128 => Value::V128(bits),
            _ => return None,
        })
    }

    /// True for a float NaN.
    pub fn is_nan(self) -> bool {
        match self {
            Value::F32(x) => f32::from_bits(x).is_nan(),
            Value::F64(x) => f64::from_bits(x).is_nan(),
            _ => false,
        }
    }

    /// The constant an instruction pushes, if it is a numeric constant.
    pub fn of_const(ins: &Instr) -> Option<Value> {
        Some(match ins {
            Instr::I32Const(x) => Value::I32(*x),
            Instr::I64Const(x) => Value::I64(*x),
            Instr::F32Const(x) => Value::F32(*x),
            Instr::F64Const(x) => Value::F64(*x),
            Instr::V128Const(b) => Value::V128(u128::from_le_bytes(**b)),
            _ => return None,
        })
    }

    /// The instruction that pushes this constant.
    pub fn const_instr(self) -> Instr {
        match self {
            Value::I32(x) => Instr::I32Const(x),
            Value::I64(x) => Instr::I64Const(x),
            Value::F32(x) => Instr::F32Const(x),
            Value::F64(x) => Instr::F64Const(x),
            Value::V128(x) => Instr::V128Const(Box::new(x.to_le_bytes())),
        }
    }

    /// The raw bits, zero-extended to 128 (integers as two's complement).
    pub fn bits(self) -> u128 {
        match self {
            Value::I32(x) => x as u32 as u128,
            Value::I64(x) => x as u64 as u128,
            Value::F32(x) => x as u128,
            Value::F64(x) => x as u128,
            Value::V128(x) => x,
        }
    }
}

/// Evaluates a `Plain` or `Lane` op (see [`wtool_ast::OpKind`]) on `args`,
/// given bottom of the stack first. `lane` is the lane immediate of `Lane`
/// ops and must be `None` otherwise.
///
/// Returns the op's trap, or [`NumTrap::Unsupported`] for memory ops (use
/// the helpers in [`crate::simd`] for their value parts), wrong operand
/// count or types, or a missing or out-of-range lane.
pub fn eval(op: Op, args: &[Value], lane: Option<u8>) -> Result<Value, NumTrap> {
    let info = op.info();
    let l = match (info.kind, lane) {
        (OpKind::Plain, None) => 0,
        (OpKind::Lane(n), Some(l)) if l < n => l,
        _ => return Err(NumTrap::Unsupported),
    };
    if args.len() != info.params.len() || args.iter().zip(info.params).any(|(v, &t)| v.ty() != t) {
        return Err(NumTrap::Unsupported);
    }
    let arg = |i: usize| args.get(i).map_or(0, |v| v.bits());
    let (a, b, c) = (arg(0), arg(1), arg(2));
    // Operands were checked against the op's signature above, so each
    // narrowing cast below only drops the zero-extension added by `bits`.
    Ok(match op {
        Op::I32Eqz => Value::I32(scalar::i32_eqz(a as i32) as i32),
        Op::I32Eq => Value::I32(scalar::i32_eq(a as i32, b as i32) as i32),
        Op::I32Ne => Value::I32(scalar::i32_ne(a as i32, b as i32) as i32),
        Op::I32LtS => Value::I32(scalar::i32_lt_s(a as i32, b as i32) as i32),
        Op::I32LtU => Value::I32(scalar::i32_lt_u(a as i32, b as i32) as i32),
        Op::I32GtS => Value::I32(scalar::i32_gt_s(a as i32, b as i32) as i32),
        Op::I32GtU => Value::I32(scalar::i32_gt_u(a as i32, b as i32) as i32),
        Op::I32LeS => Value::I32(scalar::i32_le_s(a as i32, b as i32) as i32),
        Op::I32LeU => Value::I32(scalar::i32_le_u(a as i32, b as i32) as i32),
        Op::I32GeS => Value::I32(scalar::i32_ge_s(a as i32, b as i32) as i32),
        Op::I32GeU => Value::I32(scalar::i32_ge_u(a as i32, b as i32) as i32),
        Op::I64Eqz => Value::I32(scalar::i64_eqz(a as i64) as i32),
        Op::I64Eq => Value::I32(scalar::i64_eq(a as i64, b as i64) as i32),
        Op::I64Ne => Value::I32(scalar::i64_ne(a as i64, b as i64) as i32),
        Op::I64LtS => Value::I32(scalar::i64_lt_s(a as i64, b as i64) as i32),
        Op::I64LtU => Value::I32(scalar::i64_lt_u(a as i64, b as i64) as i32),
        Op::I64GtS => Value::I32(scalar::i64_gt_s(a as i64, b as i64) as i32),
        Op::I64GtU => Value::I32(scalar::i64_gt_u(a as i64, b as i64) as i32),
        Op::I64LeS => Value::I32(scalar::i64_le_s(a as i64, b as i64) as i32),
        Op::I64LeU => Value::I32(scalar::i64_le_u(a as i64, b as i64) as i32),
        Op::I64GeS => Value::I32(scalar::i64_ge_s(a as i64, b as i64) as i32),
        Op::I64GeU => Value::I32(scalar::i64_ge_u(a as i64, b as i64) as i32),
        Op::F32Eq => {
            Value::I32(scalar::f32_eq(f32::from_bits(a as u32), f32::from_bits(b as u32)) as i32)
        }
        Op::F32Ne => {
            Value::I32(scalar::f32_ne(f32::from_bits(a as u32), f32::from_bits(b as u32)) as i32)
        }
        Op::F32Lt => {
            Value::I32(scalar::f32_lt(f32::from_bits(a as u32), f32::from_bits(b as u32)) as i32)
        }
        Op::F32Gt => {
            Value::I32(scalar::f32_gt(f32::from_bits(a as u32), f32::from_bits(b as u32)) as i32)
        }
        Op::F32Le => {
            Value::I32(scalar::f32_le(f32::from_bits(a as u32), f32::from_bits(b as u32)) as i32)
        }
        Op::F32Ge => {
            Value::I32(scalar::f32_ge(f32::from_bits(a as u32), f32::from_bits(b as u32)) as i32)
        }
        Op::F64Eq => {
            Value::I32(scalar::f64_eq(f64::from_bits(a as u64), f64::from_bits(b as u64)) as i32)
        }
        Op::F64Ne => {
            Value::I32(scalar::f64_ne(f64::from_bits(a as u64), f64::from_bits(b as u64)) as i32)
        }
        Op::F64Lt => {
            Value::I32(scalar::f64_lt(f64::from_bits(a as u64), f64::from_bits(b as u64)) as i32)
        }
        Op::F64Gt => {
            Value::I32(scalar::f64_gt(f64::from_bits(a as u64), f64::from_bits(b as u64)) as i32)
        }
        Op::F64Le => {
            Value::I32(scalar::f64_le(f64::from_bits(a as u64), f64::from_bits(b as u64)) as i32)
        }
        Op::F64Ge => {
            Value::I32(scalar::f64_ge(f64::from_bits(a as u64), f64::from_bits(b as u64)) as i32)
        }
        Op::I32Clz => Value::I32(scalar::i32_clz(a as i32)),
        Op::I32Ctz => Value::I32(scalar::i32_ctz(a as i32)),
        Op::I32Popcnt => Value::I32(scalar::i32_popcnt(a as i32)),
        Op::I32Add => Value::I32(scalar::i32_add(a as i32, b as i32)),
        Op::I32Sub => Value::I32(scalar::i32_sub(a as i32, b as i32)),
        Op::I32Mul => Value::I32(scalar::i32_mul(a as i32, b as i32)),
        Op::I32DivS => Value::I32(scalar::i32_div_s(a as i32, b as i32)?),
        Op::I32DivU => Value::I32(scalar::i32_div_u(a as i32, b as i32)?),
        Op::I32RemS => Value::I32(scalar::i32_rem_s(a as i32, b as i32)?),
        Op::I32RemU => Value::I32(scalar::i32_rem_u(a as i32, b as i32)?),
        Op::I32And => Value::I32(scalar::i32_and(a as i32, b as i32)),
        Op::I32Or => Value::I32(scalar::i32_or(a as i32, b as i32)),
        Op::I32Xor => Value::I32(scalar::i32_xor(a as i32, b as i32)),
        Op::I32Shl => Value::I32(scalar::i32_shl(a as i32, b as i32)),
        Op::I32ShrS => Value::I32(scalar::i32_shr_s(a as i32, b as i32)),
        Op::I32ShrU => Value::I32(scalar::i32_shr_u(a as i32, b as i32)),
        Op::I32Rotl => Value::I32(scalar::i32_rotl(a as i32, b as i32)),
        Op::I32Rotr => Value::I32(scalar::i32_rotr(a as i32, b as i32)),
        Op::I64Clz => Value::I64(scalar::i64_clz(a as i64)),
        Op::I64Ctz => Value::I64(scalar::i64_ctz(a as i64)),
        Op::I64Popcnt => Value::I64(scalar::i64_popcnt(a as i64)),
        Op::I64Add => Value::I64(scalar::i64_add(a as i64, b as i64)),
        Op::I64Sub => Value::I64(scalar::i64_sub(a as i64, b as i64)),
        Op::I64Mul => Value::I64(scalar::i64_mul(a as i64, b as i64)),
        Op::I64DivS => Value::I64(scalar::i64_div_s(a as i64, b as i64)?),
        Op::I64DivU => Value::I64(scalar::i64_div_u(a as i64, b as i64)?),
        Op::I64RemS => Value::I64(scalar::i64_rem_s(a as i64, b as i64)?),
        Op::I64RemU => Value::I64(scalar::i64_rem_u(a as i64, b as i64)?),
        Op::I64And => Value::I64(scalar::i64_and(a as i64, b as i64)),
        Op::I64Or => Value::I64(scalar::i64_or(a as i64, b as i64)),
        Op::I64Xor => Value::I64(scalar::i64_xor(a as i64, b as i64)),
        Op::I64Shl => Value::I64(scalar::i64_shl(a as i64, b as i64)),
        Op::I64ShrS => Value::I64(scalar::i64_shr_s(a as i64, b as i64)),
        Op::I64ShrU => Value::I64(scalar::i64_shr_u(a as i64, b as i64)),
        Op::I64Rotl => Value::I64(scalar::i64_rotl(a as i64, b as i64)),
        Op::I64Rotr => Value::I64(scalar::i64_rotr(a as i64, b as i64)),
        Op::F32Abs => Value::F32(scalar::f32_abs(f32::from_bits(a as u32)).to_bits()),
        Op::F32Neg => Value::F32(scalar::f32_neg(f32::from_bits(a as u32)).to_bits()),
        Op::F32Ceil => Value::F32(scalar::f32_ceil(f32::from_bits(a as u32)).to_bits()),
        Op::F32Floor => Value::F32(scalar::f32_floor(f32::from_bits(a as u32)).to_bits()),
        Op::F32Trunc => Value::F32(scalar::f32_trunc(f32::from_bits(a as u32)).to_bits()),
        Op::F32Nearest => Value::F32(scalar::f32_nearest(f32::from_bits(a as u32)).to_bits()),
        Op::F32Sqrt => Value::F32(scalar::f32_sqrt(f32::from_bits(a as u32)).to_bits()),
        Op::F32Add => Value::F32(
            scalar::f32_add(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits(),
        ),
        Op::F32Sub => Value::F32(
            scalar::f32_sub(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits(),
        ),
        Op::F32Mul => Value::F32(
            scalar::f32_mul(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits(),
        ),
        Op::F32Div => Value::F32(
            scalar::f32_div(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits(),
        ),
        Op::F32Min => Value::F32(
            scalar::f32_min(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits(),
        ),
        Op::F32Max => Value::F32(
            scalar::f32_max(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits(),
        ),
        Op::F32Copysign => Value::F32(
            scalar::f32_copysign(f32::from_bits(a as u32), f32::from_bits(b as u32)).to_bits(),
        ),
        Op::F64Abs => Value::F64(scalar::f64_abs(f64::from_bits(a as u64)).to_bits()),
        Op::F64Neg => Value::F64(scalar::f64_neg(f64::from_bits(a as u64)).to_bits()),
        Op::F64Ceil => Value::F64(scalar::f64_ceil(f64::from_bits(a as u64)).to_bits()),
        Op::F64Floor => Value::F64(scalar::f64_floor(f64::from_bits(a as u64)).to_bits()),
        Op::F64Trunc => Value::F64(scalar::f64_trunc(f64::from_bits(a as u64)).to_bits()),
        Op::F64Nearest => Value::F64(scalar::f64_nearest(f64::from_bits(a as u64)).to_bits()),
        Op::F64Sqrt => Value::F64(scalar::f64_sqrt(f64::from_bits(a as u64)).to_bits()),
        Op::F64Add => Value::F64(
            scalar::f64_add(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits(),
        ),
        Op::F64Sub => Value::F64(
            scalar::f64_sub(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits(),
        ),
        Op::F64Mul => Value::F64(
            scalar::f64_mul(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits(),
        ),
        Op::F64Div => Value::F64(
            scalar::f64_div(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits(),
        ),
        Op::F64Min => Value::F64(
            scalar::f64_min(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits(),
        ),
        Op::F64Max => Value::F64(
            scalar::f64_max(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits(),
        ),
        Op::F64Copysign => Value::F64(
            scalar::f64_copysign(f64::from_bits(a as u64), f64::from_bits(b as u64)).to_bits(),
        ),
        Op::I32WrapI64 => Value::I32(scalar::i32_wrap_i64(a as i64)),
        Op::I32TruncF32S => Value::I32(scalar::i32_trunc_f32_s(f32::from_bits(a as u32))?),
        Op::I32TruncF32U => Value::I32(scalar::i32_trunc_f32_u(f32::from_bits(a as u32))?),
        Op::I32TruncF64S => Value::I32(scalar::i32_trunc_f64_s(f64::from_bits(a as u64))?),
        Op::I32TruncF64U => Value::I32(scalar::i32_trunc_f64_u(f64::from_bits(a as u64))?),
        Op::I64ExtendI32S => Value::I64(scalar::i64_extend_i32_s(a as i32)),
        Op::I64ExtendI32U => Value::I64(scalar::i64_extend_i32_u(a as i32)),
        Op::I64TruncF32S => Value::I64(scalar::i64_trunc_f32_s(f32::from_bits(a as u32))?),
        Op::I64TruncF32U => Value::I64(scalar::i64_trunc_f32_u(f32::from_bits(a as u32))?),
        Op::I64TruncF64S => Value::I64(scalar::i64_trunc_f64_s(f64::from_bits(a as u64))?),
        Op::I64TruncF64U => Value::I64(scalar::i64_trunc_f64_u(f64::from_bits(a as u64))?),
        Op::F32ConvertI32S => Value::F32(scalar::f32_convert_i32_s(a as i32).to_bits()),
        Op::F32ConvertI32U => Value::F32(scalar::f32_convert_i32_u(a as i32).to_bits()),
        Op::F32ConvertI64S => Value::F32(scalar::f32_convert_i64_s(a as i64).to_bits()),
        Op::F32ConvertI64U => Value::F32(scalar::f32_convert_i64_u(a as i64).to_bits()),
        Op::F32DemoteF64 => Value::F32(scalar::f32_demote_f64(f64::from_bits(a as u64)).to_bits()),
        Op::F64ConvertI32S => Value::F64(scalar::f64_convert_i32_s(a as i32).to_bits()),
        Op::F64ConvertI32U => Value::F64(scalar::f64_convert_i32_u(a as i32).to_bits()),
        Op::F64ConvertI64S => Value::F64(scalar::f64_convert_i64_s(a as i64).to_bits()),
        Op::F64ConvertI64U => Value::F64(scalar::f64_convert_i64_u(a as i64).to_bits()),
        Op::F64PromoteF32 => {
            Value::F64(scalar::f64_promote_f32(f32::from_bits(a as u32)).to_bits())
        }
        Op::I32ReinterpretF32 => Value::I32(scalar::i32_reinterpret_f32(f32::from_bits(a as u32))),
        Op::I64ReinterpretF64 => Value::I64(scalar::i64_reinterpret_f64(f64::from_bits(a as u64))),
        Op::F32ReinterpretI32 => Value::F32(scalar::f32_reinterpret_i32(a as i32).to_bits()),
        Op::F64ReinterpretI64 => Value::F64(scalar::f64_reinterpret_i64(a as i64).to_bits()),
        Op::I32Extend8S => Value::I32(scalar::i32_extend8_s(a as i32)),
        Op::I32Extend16S => Value::I32(scalar::i32_extend16_s(a as i32)),
        Op::I64Extend8S => Value::I64(scalar::i64_extend8_s(a as i64)),
        Op::I64Extend16S => Value::I64(scalar::i64_extend16_s(a as i64)),
        Op::I64Extend32S => Value::I64(scalar::i64_extend32_s(a as i64)),
        Op::I32TruncSatF32S => Value::I32(scalar::i32_trunc_sat_f32_s(f32::from_bits(a as u32))),
        Op::I32TruncSatF32U => Value::I32(scalar::i32_trunc_sat_f32_u(f32::from_bits(a as u32))),
        Op::I32TruncSatF64S => Value::I32(scalar::i32_trunc_sat_f64_s(f64::from_bits(a as u64))),
        Op::I32TruncSatF64U => Value::I32(scalar::i32_trunc_sat_f64_u(f64::from_bits(a as u64))),
        Op::I64TruncSatF32S => Value::I64(scalar::i64_trunc_sat_f32_s(f32::from_bits(a as u32))),
        Op::I64TruncSatF32U => Value::I64(scalar::i64_trunc_sat_f32_u(f32::from_bits(a as u32))),
        Op::I64TruncSatF64S => Value::I64(scalar::i64_trunc_sat_f64_s(f64::from_bits(a as u64))),
        Op::I64TruncSatF64U => Value::I64(scalar::i64_trunc_sat_f64_u(f64::from_bits(a as u64))),
        Op::I8x16Swizzle => Value::V128(simd::i8x16_swizzle(a, b)),
        Op::I8x16Splat => Value::V128(simd::i8x16_splat(a as i32)),
        Op::I16x8Splat => Value::V128(simd::i16x8_splat(a as i32)),
        Op::I32x4Splat => Value::V128(simd::i32x4_splat(a as i32)),
        Op::I64x2Splat => Value::V128(simd::i64x2_splat(a as i64)),
        Op::F32x4Splat => Value::V128(simd::f32x4_splat(f32::from_bits(a as u32))),
        Op::F64x2Splat => Value::V128(simd::f64x2_splat(f64::from_bits(a as u64))),
        Op::I8x16ExtractLaneS => Value::I32(simd::i8x16_extract_lane_s(a, l)),
        Op::I8x16ExtractLaneU => Value::I32(simd::i8x16_extract_lane_u(a, l)),
        Op::I8x16ReplaceLane => Value::V128(simd::i8x16_replace_lane(a, l, b as i32)),
        Op::I16x8ExtractLaneS => Value::I32(simd::i16x8_extract_lane_s(a, l)),
        Op::I16x8ExtractLaneU => Value::I32(simd::i16x8_extract_lane_u(a, l)),
        Op::I16x8ReplaceLane => Value::V128(simd::i16x8_replace_lane(a, l, b as i32)),
        Op::I32x4ExtractLane => Value::I32(simd::i32x4_extract_lane(a, l)),
        Op::I32x4ReplaceLane => Value::V128(simd::i32x4_replace_lane(a, l, b as i32)),
        Op::I64x2ExtractLane => Value::I64(simd::i64x2_extract_lane(a, l)),
        Op::I64x2ReplaceLane => Value::V128(simd::i64x2_replace_lane(a, l, b as i64)),
        Op::F32x4ExtractLane => Value::F32(simd::f32x4_extract_lane(a, l).to_bits()),
        Op::F32x4ReplaceLane => {
            Value::V128(simd::f32x4_replace_lane(a, l, f32::from_bits(b as u32)))
        }
        Op::F64x2ExtractLane => Value::F64(simd::f64x2_extract_lane(a, l).to_bits()),
        Op::F64x2ReplaceLane => {
            Value::V128(simd::f64x2_replace_lane(a, l, f64::from_bits(b as u64)))
        }
        Op::I8x16Eq => Value::V128(simd::i8x16_eq(a, b)),
        Op::I8x16Ne => Value::V128(simd::i8x16_ne(a, b)),
        Op::I8x16LtS => Value::V128(simd::i8x16_lt_s(a, b)),
        Op::I8x16LtU => Value::V128(simd::i8x16_lt_u(a, b)),
        Op::I8x16GtS => Value::V128(simd::i8x16_gt_s(a, b)),
        Op::I8x16GtU => Value::V128(simd::i8x16_gt_u(a, b)),
        Op::I8x16LeS => Value::V128(simd::i8x16_le_s(a, b)),
        Op::I8x16LeU => Value::V128(simd::i8x16_le_u(a, b)),
        Op::I8x16GeS => Value::V128(simd::i8x16_ge_s(a, b)),
        Op::I8x16GeU => Value::V128(simd::i8x16_ge_u(a, b)),
        Op::I16x8Eq => Value::V128(simd::i16x8_eq(a, b)),
        Op::I16x8Ne => Value::V128(simd::i16x8_ne(a, b)),
        Op::I16x8LtS => Value::V128(simd::i16x8_lt_s(a, b)),
        Op::I16x8LtU => Value::V128(simd::i16x8_lt_u(a, b)),
        Op::I16x8GtS => Value::V128(simd::i16x8_gt_s(a, b)),
        Op::I16x8GtU => Value::V128(simd::i16x8_gt_u(a, b)),
        Op::I16x8LeS => Value::V128(simd::i16x8_le_s(a, b)),
        Op::I16x8LeU => Value::V128(simd::i16x8_le_u(a, b)),
        Op::I16x8GeS => Value::V128(simd::i16x8_ge_s(a, b)),
        Op::I16x8GeU => Value::V128(simd::i16x8_ge_u(a, b)),
        Op::I32x4Eq => Value::V128(simd::i32x4_eq(a, b)),
        Op::I32x4Ne => Value::V128(simd::i32x4_ne(a, b)),
        Op::I32x4LtS => Value::V128(simd::i32x4_lt_s(a, b)),
        Op::I32x4LtU => Value::V128(simd::i32x4_lt_u(a, b)),
        Op::I32x4GtS => Value::V128(simd::i32x4_gt_s(a, b)),
        Op::I32x4GtU => Value::V128(simd::i32x4_gt_u(a, b)),
        Op::I32x4LeS => Value::V128(simd::i32x4_le_s(a, b)),
        Op::I32x4LeU => Value::V128(simd::i32x4_le_u(a, b)),
        Op::I32x4GeS => Value::V128(simd::i32x4_ge_s(a, b)),
        Op::I32x4GeU => Value::V128(simd::i32x4_ge_u(a, b)),
        Op::F32x4Eq => Value::V128(simd::f32x4_eq(a, b)),
        Op::F32x4Ne => Value::V128(simd::f32x4_ne(a, b)),
        Op::F32x4Lt => Value::V128(simd::f32x4_lt(a, b)),
        Op::F32x4Gt => Value::V128(simd::f32x4_gt(a, b)),
        Op::F32x4Le => Value::V128(simd::f32x4_le(a, b)),
        Op::F32x4Ge => Value::V128(simd::f32x4_ge(a, b)),
        Op::F64x2Eq => Value::V128(simd::f64x2_eq(a, b)),
        Op::F64x2Ne => Value::V128(simd::f64x2_ne(a, b)),
        Op::F64x2Lt => Value::V128(simd::f64x2_lt(a, b)),
        Op::F64x2Gt => Value::V128(simd::f64x2_gt(a, b)),
        Op::F64x2Le => Value::V128(simd::f64x2_le(a, b)),
        Op::F64x2Ge => Value::V128(simd::f64x2_ge(a, b)),
        Op::V128Not => Value::V128(simd::v128_not(a)),
        Op::V128And => Value::V128(simd::v128_and(a, b)),
        Op::V128Andnot => Value::V128(simd::v128_andnot(a, b)),
        Op::V128Or => Value::V128(simd::v128_or(a, b)),
        Op::V128Xor => Value::V128(simd::v128_xor(a, b)),
        Op::V128Bitselect => Value::V128(simd::v128_bitselect(a, b, c)),
        Op::V128AnyTrue => Value::I32(simd::v128_any_true(a) as i32),
        Op::F32x4DemoteF64x2Zero => Value::V128(simd::f32x4_demote_f64x2_zero(a)),
        Op::F64x2PromoteLowF32x4 => Value::V128(simd::f64x2_promote_low_f32x4(a)),
        Op::I8x16Abs => Value::V128(simd::i8x16_abs(a)),
        Op::I8x16Neg => Value::V128(simd::i8x16_neg(a)),
        Op::I8x16Popcnt => Value::V128(simd::i8x16_popcnt(a)),
        Op::I8x16AllTrue => Value::I32(simd::i8x16_all_true(a) as i32),
        Op::I8x16Bitmask => Value::I32(simd::i8x16_bitmask(a)),
        Op::I8x16NarrowI16x8S => Value::V128(simd::i8x16_narrow_i16x8_s(a, b)),
        Op::I8x16NarrowI16x8U => Value::V128(simd::i8x16_narrow_i16x8_u(a, b)),
        Op::F32x4Ceil => Value::V128(simd::f32x4_ceil(a)),
        Op::F32x4Floor => Value::V128(simd::f32x4_floor(a)),
        Op::F32x4Trunc => Value::V128(simd::f32x4_trunc(a)),
        Op::F32x4Nearest => Value::V128(simd::f32x4_nearest(a)),
        Op::I8x16Shl => Value::V128(simd::i8x16_shl(a, b as i32)),
        Op::I8x16ShrS => Value::V128(simd::i8x16_shr_s(a, b as i32)),
        Op::I8x16ShrU => Value::V128(simd::i8x16_shr_u(a, b as i32)),
        Op::I8x16Add => Value::V128(simd::i8x16_add(a, b)),
        Op::I8x16AddSatS => Value::V128(simd::i8x16_add_sat_s(a, b)),
        Op::I8x16AddSatU => Value::V128(simd::i8x16_add_sat_u(a, b)),
        Op::I8x16Sub => Value::V128(simd::i8x16_sub(a, b)),
        Op::I8x16SubSatS => Value::V128(simd::i8x16_sub_sat_s(a, b)),
        Op::I8x16SubSatU => Value::V128(simd::i8x16_sub_sat_u(a, b)),
        Op::F64x2Ceil => Value::V128(simd::f64x2_ceil(a)),
        Op::F64x2Floor => Value::V128(simd::f64x2_floor(a)),
        Op::I8x16MinS => Value::V128(simd::i8x16_min_s(a, b)),
        Op::I8x16MinU => Value::V128(simd::i8x16_min_u(a, b)),
        Op::I8x16MaxS => Value::V128(simd::i8x16_max_s(a, b)),
        Op::I8x16MaxU => Value::V128(simd::i8x16_max_u(a, b)),
        Op::F64x2Trunc => Value::V128(simd::f64x2_trunc(a)),
        Op::I8x16AvgrU => Value::V128(simd::i8x16_avgr_u(a, b)),
        Op::I16x8ExtaddPairwiseI8x16S => Value::V128(simd::i16x8_extadd_pairwise_i8x16_s(a)),
        Op::I16x8ExtaddPairwiseI8x16U => Value::V128(simd::i16x8_extadd_pairwise_i8x16_u(a)),
        Op::I32x4ExtaddPairwiseI16x8S => Value::V128(simd::i32x4_extadd_pairwise_i16x8_s(a)),
        Op::I32x4ExtaddPairwiseI16x8U => Value::V128(simd::i32x4_extadd_pairwise_i16x8_u(a)),
        Op::I16x8Abs => Value::V128(simd::i16x8_abs(a)),
        Op::I16x8Neg => Value::V128(simd::i16x8_neg(a)),
        Op::I16x8Q15mulrSatS => Value::V128(simd::i16x8_q15mulr_sat_s(a, b)),
        Op::I16x8AllTrue => Value::I32(simd::i16x8_all_true(a) as i32),
        Op::I16x8Bitmask => Value::I32(simd::i16x8_bitmask(a)),
        Op::I16x8NarrowI32x4S => Value::V128(simd::i16x8_narrow_i32x4_s(a, b)),
        Op::I16x8NarrowI32x4U => Value::V128(simd::i16x8_narrow_i32x4_u(a, b)),
        Op::I16x8ExtendLowI8x16S => Value::V128(simd::i16x8_extend_low_i8x16_s(a)),
        Op::I16x8ExtendHighI8x16S => Value::V128(simd::i16x8_extend_high_i8x16_s(a)),
        Op::I16x8ExtendLowI8x16U => Value::V128(simd::i16x8_extend_low_i8x16_u(a)),
        Op::I16x8ExtendHighI8x16U => Value::V128(simd::i16x8_extend_high_i8x16_u(a)),
        Op::I16x8Shl => Value::V128(simd::i16x8_shl(a, b as i32)),
        Op::I16x8ShrS => Value::V128(simd::i16x8_shr_s(a, b as i32)),
        Op::I16x8ShrU => Value::V128(simd::i16x8_shr_u(a, b as i32)),
        Op::I16x8Add => Value::V128(simd::i16x8_add(a, b)),
        Op::I16x8AddSatS => Value::V128(simd::i16x8_add_sat_s(a, b)),
        Op::I16x8AddSatU => Value::V128(simd::i16x8_add_sat_u(a, b)),
        Op::I16x8Sub => Value::V128(simd::i16x8_sub(a, b)),
        Op::I16x8SubSatS => Value::V128(simd::i16x8_sub_sat_s(a, b)),
        Op::I16x8SubSatU => Value::V128(simd::i16x8_sub_sat_u(a, b)),
        Op::F64x2Nearest => Value::V128(simd::f64x2_nearest(a)),
        Op::I16x8Mul => Value::V128(simd::i16x8_mul(a, b)),
        Op::I16x8MinS => Value::V128(simd::i16x8_min_s(a, b)),
        Op::I16x8MinU => Value::V128(simd::i16x8_min_u(a, b)),
        Op::I16x8MaxS => Value::V128(simd::i16x8_max_s(a, b)),
        Op::I16x8MaxU => Value::V128(simd::i16x8_max_u(a, b)),
        Op::I16x8AvgrU => Value::V128(simd::i16x8_avgr_u(a, b)),
        Op::I16x8ExtmulLowI8x16S => Value::V128(simd::i16x8_extmul_low_i8x16_s(a, b)),
        Op::I16x8ExtmulHighI8x16S => Value::V128(simd::i16x8_extmul_high_i8x16_s(a, b)),
        Op::I16x8ExtmulLowI8x16U => Value::V128(simd::i16x8_extmul_low_i8x16_u(a, b)),
        Op::I16x8ExtmulHighI8x16U => Value::V128(simd::i16x8_extmul_high_i8x16_u(a, b)),
        Op::I32x4Abs => Value::V128(simd::i32x4_abs(a)),
        Op::I32x4Neg => Value::V128(simd::i32x4_neg(a)),
        Op::I32x4AllTrue => Value::I32(simd::i32x4_all_true(a) as i32),
        Op::I32x4Bitmask => Value::I32(simd::i32x4_bitmask(a)),
        Op::I32x4ExtendLowI16x8S => Value::V128(simd::i32x4_extend_low_i16x8_s(a)),
        Op::I32x4ExtendHighI16x8S => Value::V128(simd::i32x4_extend_high_i16x8_s(a)),
        Op::I32x4ExtendLowI16x8U => Value::V128(simd::i32x4_extend_low_i16x8_u(a)),
        Op::I32x4ExtendHighI16x8U => Value::V128(simd::i32x4_extend_high_i16x8_u(a)),
        Op::I32x4Shl => Value::V128(simd::i32x4_shl(a, b as i32)),
        Op::I32x4ShrS => Value::V128(simd::i32x4_shr_s(a, b as i32)),
        Op::I32x4ShrU => Value::V128(simd::i32x4_shr_u(a, b as i32)),
        Op::I32x4Add => Value::V128(simd::i32x4_add(a, b)),
        Op::I32x4Sub => Value::V128(simd::i32x4_sub(a, b)),
        Op::I32x4Mul => Value::V128(simd::i32x4_mul(a, b)),
        Op::I32x4MinS => Value::V128(simd::i32x4_min_s(a, b)),
        Op::I32x4MinU => Value::V128(simd::i32x4_min_u(a, b)),
        Op::I32x4MaxS => Value::V128(simd::i32x4_max_s(a, b)),
        Op::I32x4MaxU => Value::V128(simd::i32x4_max_u(a, b)),
        Op::I32x4DotI16x8S => Value::V128(simd::i32x4_dot_i16x8_s(a, b)),
        Op::I32x4ExtmulLowI16x8S => Value::V128(simd::i32x4_extmul_low_i16x8_s(a, b)),
        Op::I32x4ExtmulHighI16x8S => Value::V128(simd::i32x4_extmul_high_i16x8_s(a, b)),
        Op::I32x4ExtmulLowI16x8U => Value::V128(simd::i32x4_extmul_low_i16x8_u(a, b)),
        Op::I32x4ExtmulHighI16x8U => Value::V128(simd::i32x4_extmul_high_i16x8_u(a, b)),
        Op::I64x2Abs => Value::V128(simd::i64x2_abs(a)),
        Op::I64x2Neg => Value::V128(simd::i64x2_neg(a)),
        Op::I64x2AllTrue => Value::I32(simd::i64x2_all_true(a) as i32),
        Op::I64x2Bitmask => Value::I32(simd::i64x2_bitmask(a)),
        Op::I64x2ExtendLowI32x4S => Value::V128(simd::i64x2_extend_low_i32x4_s(a)),
        Op::I64x2ExtendHighI32x4S => Value::V128(simd::i64x2_extend_high_i32x4_s(a)),
        Op::I64x2ExtendLowI32x4U => Value::V128(simd::i64x2_extend_low_i32x4_u(a)),
        Op::I64x2ExtendHighI32x4U => Value::V128(simd::i64x2_extend_high_i32x4_u(a)),
        Op::I64x2Shl => Value::V128(simd::i64x2_shl(a, b as i32)),
        Op::I64x2ShrS => Value::V128(simd::i64x2_shr_s(a, b as i32)),
        Op::I64x2ShrU => Value::V128(simd::i64x2_shr_u(a, b as i32)),
        Op::I64x2Add => Value::V128(simd::i64x2_add(a, b)),
        Op::I64x2Sub => Value::V128(simd::i64x2_sub(a, b)),
        Op::I64x2Mul => Value::V128(simd::i64x2_mul(a, b)),
        Op::I64x2Eq => Value::V128(simd::i64x2_eq(a, b)),
        Op::I64x2Ne => Value::V128(simd::i64x2_ne(a, b)),
        Op::I64x2LtS => Value::V128(simd::i64x2_lt_s(a, b)),
        Op::I64x2GtS => Value::V128(simd::i64x2_gt_s(a, b)),
        Op::I64x2LeS => Value::V128(simd::i64x2_le_s(a, b)),
        Op::I64x2GeS => Value::V128(simd::i64x2_ge_s(a, b)),
        Op::I64x2ExtmulLowI32x4S => Value::V128(simd::i64x2_extmul_low_i32x4_s(a, b)),
        Op::I64x2ExtmulHighI32x4S => Value::V128(simd::i64x2_extmul_high_i32x4_s(a, b)),
        Op::I64x2ExtmulLowI32x4U => Value::V128(simd::i64x2_extmul_low_i32x4_u(a, b)),
        Op::I64x2ExtmulHighI32x4U => Value::V128(simd::i64x2_extmul_high_i32x4_u(a, b)),
        Op::F32x4Abs => Value::V128(simd::f32x4_abs(a)),
        Op::F32x4Neg => Value::V128(simd::f32x4_neg(a)),
        Op::F32x4Sqrt => Value::V128(simd::f32x4_sqrt(a)),
        Op::F32x4Add => Value::V128(simd::f32x4_add(a, b)),
        Op::F32x4Sub => Value::V128(simd::f32x4_sub(a, b)),
        Op::F32x4Mul => Value::V128(simd::f32x4_mul(a, b)),
        Op::F32x4Div => Value::V128(simd::f32x4_div(a, b)),
        Op::F32x4Min => Value::V128(simd::f32x4_min(a, b)),
        Op::F32x4Max => Value::V128(simd::f32x4_max(a, b)),
        Op::F32x4Pmin => Value::V128(simd::f32x4_pmin(a, b)),
        Op::F32x4Pmax => Value::V128(simd::f32x4_pmax(a, b)),
        Op::F64x2Abs => Value::V128(simd::f64x2_abs(a)),
        Op::F64x2Neg => Value::V128(simd::f64x2_neg(a)),
        Op::F64x2Sqrt => Value::V128(simd::f64x2_sqrt(a)),
        Op::F64x2Add => Value::V128(simd::f64x2_add(a, b)),
        Op::F64x2Sub => Value::V128(simd::f64x2_sub(a, b)),
        Op::F64x2Mul => Value::V128(simd::f64x2_mul(a, b)),
        Op::F64x2Div => Value::V128(simd::f64x2_div(a, b)),
        Op::F64x2Min => Value::V128(simd::f64x2_min(a, b)),
        Op::F64x2Max => Value::V128(simd::f64x2_max(a, b)),
        Op::F64x2Pmin => Value::V128(simd::f64x2_pmin(a, b)),
        Op::F64x2Pmax => Value::V128(simd::f64x2_pmax(a, b)),
        Op::I32x4TruncSatF32x4S => Value::V128(simd::i32x4_trunc_sat_f32x4_s(a)),
        Op::I32x4TruncSatF32x4U => Value::V128(simd::i32x4_trunc_sat_f32x4_u(a)),
        Op::F32x4ConvertI32x4S => Value::V128(simd::f32x4_convert_i32x4_s(a)),
        Op::F32x4ConvertI32x4U => Value::V128(simd::f32x4_convert_i32x4_u(a)),
        Op::I32x4TruncSatF64x2SZero => Value::V128(simd::i32x4_trunc_sat_f64x2_s_zero(a)),
        Op::I32x4TruncSatF64x2UZero => Value::V128(simd::i32x4_trunc_sat_f64x2_u_zero(a)),
        Op::F64x2ConvertLowI32x4S => Value::V128(simd::f64x2_convert_low_i32x4_s(a)),
        Op::F64x2ConvertLowI32x4U => Value::V128(simd::f64x2_convert_low_i32x4_u(a)),
        Op::I8x16RelaxedSwizzle => Value::V128(simd::i8x16_relaxed_swizzle(a, b)),
        Op::I32x4RelaxedTruncF32x4S => Value::V128(simd::i32x4_relaxed_trunc_f32x4_s(a)),
        Op::I32x4RelaxedTruncF32x4U => Value::V128(simd::i32x4_relaxed_trunc_f32x4_u(a)),
        Op::I32x4RelaxedTruncF64x2SZero => Value::V128(simd::i32x4_relaxed_trunc_f64x2_s_zero(a)),
        Op::I32x4RelaxedTruncF64x2UZero => Value::V128(simd::i32x4_relaxed_trunc_f64x2_u_zero(a)),
        Op::F32x4RelaxedMadd => Value::V128(simd::f32x4_relaxed_madd(a, b, c)),
        Op::F32x4RelaxedNmadd => Value::V128(simd::f32x4_relaxed_nmadd(a, b, c)),
        Op::F64x2RelaxedMadd => Value::V128(simd::f64x2_relaxed_madd(a, b, c)),
        Op::F64x2RelaxedNmadd => Value::V128(simd::f64x2_relaxed_nmadd(a, b, c)),
        Op::I8x16RelaxedLaneselect => Value::V128(simd::relaxed_laneselect(a, b, c)),
        Op::I16x8RelaxedLaneselect => Value::V128(simd::relaxed_laneselect(a, b, c)),
        Op::I32x4RelaxedLaneselect => Value::V128(simd::relaxed_laneselect(a, b, c)),
        Op::I64x2RelaxedLaneselect => Value::V128(simd::relaxed_laneselect(a, b, c)),
        Op::F32x4RelaxedMin => Value::V128(simd::f32x4_relaxed_min(a, b)),
        Op::F32x4RelaxedMax => Value::V128(simd::f32x4_relaxed_max(a, b)),
        Op::F64x2RelaxedMin => Value::V128(simd::f64x2_relaxed_min(a, b)),
        Op::F64x2RelaxedMax => Value::V128(simd::f64x2_relaxed_max(a, b)),
        Op::I16x8RelaxedQ15mulrS => Value::V128(simd::i16x8_relaxed_q15mulr_s(a, b)),
        Op::I16x8RelaxedDotI8x16I7x16S => Value::V128(simd::i16x8_relaxed_dot_i8x16_i7x16_s(a, b)),
        Op::I32x4RelaxedDotI8x16I7x16AddS => {
            Value::V128(simd::i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c))
        }
        Op::I32Load
        | Op::I64Load
        | Op::F32Load
        | Op::F64Load
        | Op::I32Load8S
        | Op::I32Load8U
        | Op::I32Load16S
        | Op::I32Load16U
        | Op::I64Load8S
        | Op::I64Load8U
        | Op::I64Load16S
        | Op::I64Load16U
        | Op::I64Load32S
        | Op::I64Load32U
        | Op::I32Store
        | Op::I64Store
        | Op::F32Store
        | Op::F64Store
        | Op::I32Store8
        | Op::I32Store16
        | Op::I64Store8
        | Op::I64Store16
        | Op::I64Store32
        | Op::V128Load
        | Op::V128Load8x8S
        | Op::V128Load8x8U
        | Op::V128Load16x4S
        | Op::V128Load16x4U
        | Op::V128Load32x2S
        | Op::V128Load32x2U
        | Op::V128Load8Splat
        | Op::V128Load16Splat
        | Op::V128Load32Splat
        | Op::V128Load64Splat
        | Op::V128Store
        | Op::V128Load8Lane
        | Op::V128Load16Lane
        | Op::V128Load32Lane
        | Op::V128Load64Lane
        | Op::V128Store8Lane
        | Op::V128Store16Lane
        | Op::V128Store32Lane
        | Op::V128Store64Lane
        | Op::V128Load32Zero
        | Op::V128Load64Zero => return Err(NumTrap::Unsupported),
        // Two results: see `eval_pair`.
        Op::I64Add128 | Op::I64Sub128 | Op::I64MulWideS | Op::I64MulWideU => {
            return Err(NumTrap::Unsupported)
        }
        // Atomic memory accesses: the interpreter's.
        Op::MemoryAtomicNotify
        | Op::MemoryAtomicWait32
        | Op::MemoryAtomicWait64
        | Op::I32AtomicLoad
        | Op::I64AtomicLoad
        | Op::I32AtomicLoad8U
        | Op::I32AtomicLoad16U
        | Op::I64AtomicLoad8U
        | Op::I64AtomicLoad16U
        | Op::I64AtomicLoad32U
        | Op::I32AtomicStore
        | Op::I64AtomicStore
        | Op::I32AtomicStore8
        | Op::I32AtomicStore16
        | Op::I64AtomicStore8
        | Op::I64AtomicStore16
        | Op::I64AtomicStore32
        | Op::I32AtomicRmwAdd
        | Op::I64AtomicRmwAdd
        | Op::I32AtomicRmw8AddU
        | Op::I32AtomicRmw16AddU
        | Op::I64AtomicRmw8AddU
        | Op::I64AtomicRmw16AddU
        | Op::I64AtomicRmw32AddU
        | Op::I32AtomicRmwSub
        | Op::I64AtomicRmwSub
        | Op::I32AtomicRmw8SubU
        | Op::I32AtomicRmw16SubU
        | Op::I64AtomicRmw8SubU
        | Op::I64AtomicRmw16SubU
        | Op::I64AtomicRmw32SubU
        | Op::I32AtomicRmwAnd
        | Op::I64AtomicRmwAnd
        | Op::I32AtomicRmw8AndU
        | Op::I32AtomicRmw16AndU
        | Op::I64AtomicRmw8AndU
        | Op::I64AtomicRmw16AndU
        | Op::I64AtomicRmw32AndU
        | Op::I32AtomicRmwOr
        | Op::I64AtomicRmwOr
        | Op::I32AtomicRmw8OrU
        | Op::I32AtomicRmw16OrU
        | Op::I64AtomicRmw8OrU
        | Op::I64AtomicRmw16OrU
        | Op::I64AtomicRmw32OrU
        | Op::I32AtomicRmwXor
        | Op::I64AtomicRmwXor
        | Op::I32AtomicRmw8XorU
        | Op::I32AtomicRmw16XorU
        | Op::I64AtomicRmw8XorU
        | Op::I64AtomicRmw16XorU
        | Op::I64AtomicRmw32XorU
        | Op::I32AtomicRmwXchg
        | Op::I64AtomicRmwXchg
        | Op::I32AtomicRmw8XchgU
        | Op::I32AtomicRmw16XchgU
        | Op::I64AtomicRmw8XchgU
        | Op::I64AtomicRmw16XchgU
        | Op::I64AtomicRmw32XchgU
        | Op::I32AtomicRmwCmpxchg
        | Op::I64AtomicRmwCmpxchg
        | Op::I32AtomicRmw8CmpxchgU
        | Op::I32AtomicRmw16CmpxchgU
        | Op::I64AtomicRmw8CmpxchgU
        | Op::I64AtomicRmw16CmpxchgU
        | Op::I64AtomicRmw32CmpxchgU => return Err(NumTrap::Unsupported),
    })
}

/// Evaluates a wide-arithmetic op (two `i64` results, low half first);
/// `None` for any other op or operands of the wrong type.
pub fn eval_pair(op: Op, args: &[Value]) -> Option<[Value; 2]> {
    let i = |k: usize| match args.get(k) {
        Some(Value::I64(v)) => Some(*v as u64),
        _ => None,
    };
    let (lo, hi) = match (op, args.len()) {
        (Op::I64Add128, 4) => scalar::i64_add128(i(0)?, i(1)?, i(2)?, i(3)?),
        (Op::I64Sub128, 4) => scalar::i64_sub128(i(0)?, i(1)?, i(2)?, i(3)?),
        (Op::I64MulWideS, 2) => scalar::i64_mul_wide_s(i(0)?, i(1)?),
        (Op::I64MulWideU, 2) => scalar::i64_mul_wide_u(i(0)?, i(1)?),
        _ => return None,
    };
    Some([Value::I64(lo as i64), Value::I64(hi as i64)])
}

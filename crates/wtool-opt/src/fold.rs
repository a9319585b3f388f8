//! Exact evaluation of table-driven ops on constant operands, for constant
//! folding.
//!
//! The arithmetic is `wtool_numerics::eval` (the interpreter's own
//! semantics). On top of it, a policy keeps folding exact for every engine:
//! never fold an op that traps (the trap stays in the code); never produce a
//! float result from a NaN operand or a NaN result (engines may pick
//! different NaN payloads there), except the sign-only ops and
//! reinterpretations, which are bit operations; fold SIMD only for integer
//! and bitwise lane ops (no float lanes, nothing relaxed).

use wtool_ast::{Op, OpKind};

/// A numeric constant: the numerics crate's value (the interpreter's).
pub use wtool_numerics::Value as Val;

/// Ops on floats that only move or flip bits: exact on every input.
fn bitwise_float(op: Op) -> bool {
    use Op::*;
    matches!(
        op,
        F32Abs
            | F32Neg
            | F32Copysign
            | F64Abs
            | F64Neg
            | F64Copysign
            | F32ReinterpretI32
            | F64ReinterpretI64
    )
}

/// SIMD ops whose lanes are integers or plain bits.
fn exact_simd(op: Op) -> bool {
    let name = op.name();
    !name.contains("relaxed")
        && ["i8x16.", "i16x8.", "i32x4.", "i64x2.", "v128."]
            .iter()
            .any(|p| name.starts_with(p))
        && !name.contains("convert")
        && !name.contains("demote")
        && !name.contains("promote")
}

/// Evaluates `op` (with its lane immediate, for lane ops) on constant
/// operands, bottom of stack first; `None` when folding would not be exact.
pub fn eval(op: Op, args: &[Val], lane: Option<u8>) -> Option<Val> {
    let has_v128 = args.iter().any(|a| matches!(a, Val::V128(_)))
        || op.info().results.contains(&wtool_ast::ValType::V128);
    if has_v128 && !exact_simd(op) {
        // Lane moves of float vectors are bit moves too.
        let lane_move = matches!(op.kind(), OpKind::Lane(_));
        if !lane_move {
            return None;
        }
    }
    let r = wtool_numerics::eval(op, args, lane).ok()?;
    let float_result = matches!(r, Val::F32(_) | Val::F64(_));
    if float_result
        && !bitwise_float(op)
        && !matches!(op.kind(), OpKind::Lane(_))
        && (r.is_nan() || args.iter().any(|a| a.is_nan()))
    {
        return None;
    }
    Some(r)
}

/// An independent implementation of the scalar ops, used to check the
/// policy and the numerics crate against each other.
#[cfg(test)]
mod reference {
    use super::Val;
    use wtool_ast::Op;

    fn b(x: bool) -> Option<Val> {
        Some(Val::I32(x as i32))
    }

    fn f32v(x: f32) -> Option<Val> {
        (!x.is_nan()).then_some(Val::F32(x.to_bits()))
    }

    fn f64v(x: f64) -> Option<Val> {
        (!x.is_nan()).then_some(Val::F64(x.to_bits()))
    }

    /// `min`/`max` as WebAssembly defines them (−0 < +0), for non-NaN inputs.
    fn fmin(a: f64, c: f64) -> f64 {
        if a == c {
            if a.is_sign_negative() {
                a
            } else {
                c
            }
        } else if a < c {
            a
        } else {
            c
        }
    }

    fn fmax(a: f64, c: f64) -> f64 {
        if a == c {
            if a.is_sign_positive() {
                a
            } else {
                c
            }
        } else if a > c {
            a
        } else {
            c
        }
    }

    /// Truncation toward zero if the result fits in `[lo, hi]` (exclusive bounds
    /// given as the first values outside), else `None` (the op would trap).
    fn trunc_in(x: f64, lo_excl: f64, hi_excl: f64) -> Option<f64> {
        if x.is_nan() {
            return None;
        }
        let t = x.trunc();
        (t > lo_excl && t < hi_excl).then_some(t)
    }

    pub fn eval(op: Op, args: &[Val]) -> Option<Val> {
        use Op::*;
        use Val::*;
        match (op, args) {
            // i32 unary
            (I32Eqz, [I32(a)]) => b(*a == 0),
            (I32Clz, [I32(a)]) => Some(I32(a.leading_zeros() as i32)),
            (I32Ctz, [I32(a)]) => Some(I32(a.trailing_zeros() as i32)),
            (I32Popcnt, [I32(a)]) => Some(I32(a.count_ones() as i32)),
            (I32Extend8S, [I32(a)]) => Some(I32(*a as i8 as i32)),
            (I32Extend16S, [I32(a)]) => Some(I32(*a as i16 as i32)),
            (I32WrapI64, [I64(a)]) => Some(I32(*a as i32)),
            // i32 binary
            (I32Add, [I32(a), I32(c)]) => Some(I32(a.wrapping_add(*c))),
            (I32Sub, [I32(a), I32(c)]) => Some(I32(a.wrapping_sub(*c))),
            (I32Mul, [I32(a), I32(c)]) => Some(I32(a.wrapping_mul(*c))),
            (I32DivS, [I32(a), I32(c)]) => a.checked_div(*c).map(I32),
            (I32DivU, [I32(a), I32(c)]) => {
                (*a as u32).checked_div(*c as u32).map(|x| I32(x as i32))
            }
            (I32RemS, [I32(a), I32(c)]) => (*c != 0).then(|| I32(a.wrapping_rem(*c))),
            (I32RemU, [I32(a), I32(c)]) => {
                (*a as u32).checked_rem(*c as u32).map(|x| I32(x as i32))
            }
            (I32And, [I32(a), I32(c)]) => Some(I32(a & c)),
            (I32Or, [I32(a), I32(c)]) => Some(I32(a | c)),
            (I32Xor, [I32(a), I32(c)]) => Some(I32(a ^ c)),
            (I32Shl, [I32(a), I32(c)]) => Some(I32(a.wrapping_shl(*c as u32))),
            (I32ShrS, [I32(a), I32(c)]) => Some(I32(a.wrapping_shr(*c as u32))),
            (I32ShrU, [I32(a), I32(c)]) => Some(I32((*a as u32).wrapping_shr(*c as u32) as i32)),
            (I32Rotl, [I32(a), I32(c)]) => Some(I32(a.rotate_left(*c as u32 & 31))),
            (I32Rotr, [I32(a), I32(c)]) => Some(I32(a.rotate_right(*c as u32 & 31))),
            (I32Eq, [I32(a), I32(c)]) => b(a == c),
            (I32Ne, [I32(a), I32(c)]) => b(a != c),
            (I32LtS, [I32(a), I32(c)]) => b(a < c),
            (I32LtU, [I32(a), I32(c)]) => b((*a as u32) < *c as u32),
            (I32GtS, [I32(a), I32(c)]) => b(a > c),
            (I32GtU, [I32(a), I32(c)]) => b(*a as u32 > *c as u32),
            (I32LeS, [I32(a), I32(c)]) => b(a <= c),
            (I32LeU, [I32(a), I32(c)]) => b(*a as u32 <= *c as u32),
            (I32GeS, [I32(a), I32(c)]) => b(a >= c),
            (I32GeU, [I32(a), I32(c)]) => b(*a as u32 >= *c as u32),
            // i64 unary
            (I64Eqz, [I64(a)]) => b(*a == 0),
            (I64Clz, [I64(a)]) => Some(I64(a.leading_zeros() as i64)),
            (I64Ctz, [I64(a)]) => Some(I64(a.trailing_zeros() as i64)),
            (I64Popcnt, [I64(a)]) => Some(I64(a.count_ones() as i64)),
            (I64Extend8S, [I64(a)]) => Some(I64(*a as i8 as i64)),
            (I64Extend16S, [I64(a)]) => Some(I64(*a as i16 as i64)),
            (I64Extend32S, [I64(a)]) => Some(I64(*a as i32 as i64)),
            (I64ExtendI32S, [I32(a)]) => Some(I64(*a as i64)),
            (I64ExtendI32U, [I32(a)]) => Some(I64(*a as u32 as i64)),
            // i64 binary
            (I64Add, [I64(a), I64(c)]) => Some(I64(a.wrapping_add(*c))),
            (I64Sub, [I64(a), I64(c)]) => Some(I64(a.wrapping_sub(*c))),
            (I64Mul, [I64(a), I64(c)]) => Some(I64(a.wrapping_mul(*c))),
            (I64DivS, [I64(a), I64(c)]) => a.checked_div(*c).map(I64),
            (I64DivU, [I64(a), I64(c)]) => {
                (*a as u64).checked_div(*c as u64).map(|x| I64(x as i64))
            }
            (I64RemS, [I64(a), I64(c)]) => (*c != 0).then(|| I64(a.wrapping_rem(*c))),
            (I64RemU, [I64(a), I64(c)]) => {
                (*a as u64).checked_rem(*c as u64).map(|x| I64(x as i64))
            }
            (I64And, [I64(a), I64(c)]) => Some(I64(a & c)),
            (I64Or, [I64(a), I64(c)]) => Some(I64(a | c)),
            (I64Xor, [I64(a), I64(c)]) => Some(I64(a ^ c)),
            (I64Shl, [I64(a), I64(c)]) => Some(I64(a.wrapping_shl(*c as u32))),
            (I64ShrS, [I64(a), I64(c)]) => Some(I64(a.wrapping_shr(*c as u32))),
            (I64ShrU, [I64(a), I64(c)]) => Some(I64((*a as u64).wrapping_shr(*c as u32) as i64)),
            (I64Rotl, [I64(a), I64(c)]) => Some(I64(a.rotate_left((*c as u64 & 63) as u32))),
            (I64Rotr, [I64(a), I64(c)]) => Some(I64(a.rotate_right((*c as u64 & 63) as u32))),
            (I64Eq, [I64(a), I64(c)]) => b(a == c),
            (I64Ne, [I64(a), I64(c)]) => b(a != c),
            (I64LtS, [I64(a), I64(c)]) => b(a < c),
            (I64LtU, [I64(a), I64(c)]) => b((*a as u64) < *c as u64),
            (I64GtS, [I64(a), I64(c)]) => b(a > c),
            (I64GtU, [I64(a), I64(c)]) => b(*a as u64 > *c as u64),
            (I64LeS, [I64(a), I64(c)]) => b(a <= c),
            (I64LeU, [I64(a), I64(c)]) => b(*a as u64 <= *c as u64),
            (I64GeS, [I64(a), I64(c)]) => b(a >= c),
            (I64GeU, [I64(a), I64(c)]) => b(*a as u64 >= *c as u64),
            // Sign-only float ops and reinterpretations are bit operations: exact even on NaN.
            (F32Abs, [F32(a)]) => Some(F32(a & 0x7fff_ffff)),
            (F32Neg, [F32(a)]) => Some(F32(a ^ 0x8000_0000)),
            (F32Copysign, [F32(a), F32(c)]) => Some(F32(a & 0x7fff_ffff | c & 0x8000_0000)),
            (F64Abs, [F64(a)]) => Some(F64(a & !(1 << 63))),
            (F64Neg, [F64(a)]) => Some(F64(a ^ (1 << 63))),
            (F64Copysign, [F64(a), F64(c)]) => Some(F64(a & !(1 << 63) | c & (1 << 63))),
            (I32ReinterpretF32, [F32(a)]) => Some(I32(*a as i32)),
            (I64ReinterpretF64, [F64(a)]) => Some(I64(*a as i64)),
            (F32ReinterpretI32, [I32(a)]) => Some(F32(*a as u32)),
            (F64ReinterpretI64, [I64(a)]) => Some(F64(*a as u64)),
            // Comparisons: IEEE answers are exact, NaN included.
            (F32Eq | F32Ne | F32Lt | F32Gt | F32Le | F32Ge, [F32(a), F32(c)]) => {
                cmp(op, f32::from_bits(*a) as f64, f32::from_bits(*c) as f64)
            }
            (F64Eq | F64Ne | F64Lt | F64Gt | F64Le | F64Ge, [F64(a), F64(c)]) => {
                cmp(op, f64::from_bits(*a), f64::from_bits(*c))
            }
            // Saturating conversions are defined on every input (NaN gives 0), as Rust's `as`.
            (I32TruncSatF32S, [F32(a)]) => Some(I32(f32::from_bits(*a) as i32)),
            (I32TruncSatF32U, [F32(a)]) => Some(I32(f32::from_bits(*a) as u32 as i32)),
            (I64TruncSatF32S, [F32(a)]) => Some(I64(f32::from_bits(*a) as i64)),
            (I64TruncSatF32U, [F32(a)]) => Some(I64(f32::from_bits(*a) as u64 as i64)),
            (I32TruncSatF64S, [F64(a)]) => Some(I32(f64::from_bits(*a) as i32)),
            (I32TruncSatF64U, [F64(a)]) => Some(I32(f64::from_bits(*a) as u32 as i32)),
            (I64TruncSatF64S, [F64(a)]) => Some(I64(f64::from_bits(*a) as i64)),
            (I64TruncSatF64U, [F64(a)]) => Some(I64(f64::from_bits(*a) as u64 as i64)),
            // Arithmetic: only on non-NaN inputs with a non-NaN result.
            (_, [F32(a)]) if !f32::from_bits(*a).is_nan() => f32_unary(op, f32::from_bits(*a)),
            (_, [F64(a)]) if !f64::from_bits(*a).is_nan() => f64_unary(op, f64::from_bits(*a)),
            (_, [F32(a), F32(c)])
                if !f32::from_bits(*a).is_nan() && !f32::from_bits(*c).is_nan() =>
            {
                let (x, y) = (f32::from_bits(*a), f32::from_bits(*c));
                match op {
                    F32Add => f32v(x + y),
                    F32Sub => f32v(x - y),
                    F32Mul => f32v(x * y),
                    F32Div => f32v(x / y),
                    F32Min => f32v(fmin(x as f64, y as f64) as f32),
                    F32Max => f32v(fmax(x as f64, y as f64) as f32),
                    _ => None,
                }
            }
            (_, [F64(a), F64(c)])
                if !f64::from_bits(*a).is_nan() && !f64::from_bits(*c).is_nan() =>
            {
                let (x, y) = (f64::from_bits(*a), f64::from_bits(*c));
                match op {
                    F64Add => f64v(x + y),
                    F64Sub => f64v(x - y),
                    F64Mul => f64v(x * y),
                    F64Div => f64v(x / y),
                    F64Min => f64v(fmin(x, y)),
                    F64Max => f64v(fmax(x, y)),
                    _ => None,
                }
            }
            // Integer to float conversions round to nearest, ties to even (as Rust's `as`).
            (F32ConvertI32S, [I32(a)]) => f32v(*a as f32),
            (F32ConvertI32U, [I32(a)]) => f32v(*a as u32 as f32),
            (F32ConvertI64S, [I64(a)]) => f32v(*a as f32),
            (F32ConvertI64U, [I64(a)]) => f32v(*a as u64 as f32),
            (F64ConvertI32S, [I32(a)]) => f64v(*a as f64),
            (F64ConvertI32U, [I32(a)]) => f64v(*a as u32 as f64),
            (F64ConvertI64S, [I64(a)]) => f64v(*a as f64),
            (F64ConvertI64U, [I64(a)]) => f64v(*a as u64 as f64),
            _ => None,
        }
    }

    fn cmp(op: Op, x: f64, y: f64) -> Option<Val> {
        use Op::*;
        b(match op {
            F32Eq | F64Eq => x == y,
            F32Ne | F64Ne => x != y,
            F32Lt | F64Lt => x < y,
            F32Gt | F64Gt => x > y,
            F32Le | F64Le => x <= y,
            F32Ge | F64Ge => x >= y,
            _ => return None,
        })
    }

    fn f32_unary(op: Op, x: f32) -> Option<Val> {
        use Op::*;
        use Val::*;
        let xd = x as f64;
        match op {
            F32Ceil => f32v(x.ceil()),
            F32Floor => f32v(x.floor()),
            F32Trunc => f32v(x.trunc()),
            F32Nearest => f32v(x.round_ties_even()),
            F32Sqrt => f32v(x.sqrt()),
            F64PromoteF32 => f64v(xd),
            I32TruncF32S => trunc_in(xd, -2147483649.0, 2147483648.0).map(|t| I32(t as i32)),
            I32TruncF32U => trunc_in(xd, -1.0, 4294967296.0).map(|t| I32(t as u32 as i32)),
            I64TruncF32S => {
                trunc_in(xd, -9223372036854777856.0, 9223372036854775808.0).map(|t| I64(t as i64))
            }
            I64TruncF32U => {
                trunc_in(xd, -1.0, 18446744073709551616.0).map(|t| I64(t as u64 as i64))
            }
            _ => None,
        }
    }

    fn f64_unary(op: Op, x: f64) -> Option<Val> {
        use Op::*;
        use Val::*;
        match op {
            F64Ceil => f64v(x.ceil()),
            F64Floor => f64v(x.floor()),
            F64Trunc => f64v(x.trunc()),
            F64Nearest => f64v(x.round_ties_even()),
            F64Sqrt => f64v(x.sqrt()),
            F32DemoteF64 => f32v(x as f32),
            I32TruncF64S => trunc_in(x, -2147483649.0, 2147483648.0).map(|t| I32(t as i32)),
            I32TruncF64U => trunc_in(x, -1.0, 4294967296.0).map(|t| I32(t as u32 as i32)),
            I64TruncF64S => {
                trunc_in(x, -9223372036854777856.0, 9223372036854775808.0).map(|t| I64(t as i64))
            }
            I64TruncF64U => trunc_in(x, -1.0, 18446744073709551616.0).map(|t| I64(t as u64 as i64)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reference::eval as reference;
    use super::*;
    use Op::*;
    use Val::*;

    fn eval(op: Op, args: &[Val]) -> Option<Val> {
        let r = reference(op, args);
        assert_eq!(r, super::eval(op, args, None), "{op:?} {args:?}");
        r
    }

    #[test]
    fn integer_ops_and_traps() {
        assert_eq!(eval(I32Add, &[I32(i32::MAX), I32(1)]), Some(I32(i32::MIN)));
        assert_eq!(eval(I32DivS, &[I32(i32::MIN), I32(-1)]), None);
        assert_eq!(eval(I32DivS, &[I32(7), I32(0)]), None);
        assert_eq!(eval(I32RemS, &[I32(i32::MIN), I32(-1)]), Some(I32(0)));
        assert_eq!(eval(I32RemU, &[I32(7), I32(0)]), None);
        assert_eq!(eval(I32Shl, &[I32(1), I32(33)]), Some(I32(2)));
        assert_eq!(eval(I64ShrU, &[I64(-1), I64(63)]), Some(I64(1)));
        assert_eq!(eval(I64Rotl, &[I64(1), I64(65)]), Some(I64(2)));
        assert_eq!(eval(I32Clz, &[I32(0)]), Some(I32(32)));
        assert_eq!(eval(I64ExtendI32U, &[I32(-1)]), Some(I64(0xffff_ffff)));
        assert_eq!(eval(I32Extend8S, &[I32(0x80)]), Some(I32(-128)));
    }

    #[test]
    fn floats_exact_or_not_at_all() {
        let nan = 0x7fc0_0001u32;
        assert_eq!(
            eval(F32Add, &[F32(1.5f32.to_bits()), F32(2.0f32.to_bits())]),
            Some(F32(3.5f32.to_bits()))
        );
        assert_eq!(eval(F32Add, &[F32(nan), F32(0)]), None);
        assert_eq!(eval(F32Neg, &[F32(nan)]), Some(F32(nan | 0x8000_0000)));
        // inf - inf is NaN: left alone.
        let inf = f64::INFINITY.to_bits();
        assert_eq!(eval(F64Sub, &[F64(inf), F64(inf)]), None);
        assert_eq!(
            eval(F64Min, &[F64(0), F64((-0.0f64).to_bits())]),
            Some(F64((-0.0f64).to_bits()))
        );
        assert_eq!(
            eval(F32Max, &[F32((-0.0f32).to_bits()), F32(0)]),
            Some(F32(0))
        );
        assert_eq!(eval(F32Eq, &[F32(nan), F32(nan)]), Some(I32(0)));
        assert_eq!(
            eval(F32Nearest, &[F32(2.5f32.to_bits())]),
            Some(F32(2.0f32.to_bits()))
        );
        assert_eq!(eval(I32TruncF32S, &[F32(2147483648.0f32.to_bits())]), None);
        assert_eq!(
            eval(I32TruncF32S, &[F32((-2147483648.0f32).to_bits())]),
            Some(I32(i32::MIN))
        );
        assert_eq!(
            eval(I32TruncF64U, &[F64((-0.9f64).to_bits())]),
            Some(I32(0))
        );
        assert_eq!(eval(I32TruncF64U, &[F64((-1.0f64).to_bits())]), None);
        assert_eq!(eval(I32TruncSatF32S, &[F32(nan)]), Some(I32(0)));
        assert_eq!(eval(I64TruncSatF64U, &[F64(inf)]), Some(I64(-1)));
        assert_eq!(
            eval(F32DemoteF64, &[F64(1e300f64.to_bits())]),
            Some(F32(f32::INFINITY.to_bits()))
        );
        assert_eq!(
            eval(F32ConvertI64U, &[I64(-1)]),
            Some(F32(18446744073709551616.0f32.to_bits()))
        );
    }

    #[test]
    fn reference_and_numerics_agree_on_scalar_ops() {
        let i32s = [
            0,
            1,
            -1,
            2,
            31,
            32,
            33,
            i32::MIN,
            i32::MAX,
            0x1234_5678,
            -0x80,
        ];
        let i64s = [
            0,
            1,
            -1,
            63,
            64,
            i64::MIN,
            i64::MAX,
            0x1234_5678_9abc_def0,
            -(1 << 40),
        ];
        let f32s: Vec<u32> = [
            0.0f32,
            -0.0,
            1.0,
            -1.5,
            2.5,
            3.5,
            0.49999997,
            1e10,
            -3e9,
            4294967296.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE,
            2147483520.0,
        ]
        .iter()
        .map(|x| x.to_bits())
        .chain([0x7fc0_0000, 0xffc0_0001, 0x7f80_0001, 1])
        .collect();
        let f64s: Vec<u64> = [
            0.0f64,
            -0.0,
            1.0,
            -1.5,
            2.5,
            0.49999999999999994,
            1e300,
            -3e9,
            4294967295.9,
            9.3e18,
            -9.3e18,
            f64::INFINITY,
            f64::NEG_INFINITY,
            2147483647.5,
            -2147483648.9,
        ]
        .iter()
        .map(|x| x.to_bits())
        .chain([0x7ff8_0000_0000_0000, 0xfff0_0000_0000_0001, 1])
        .collect();
        let pool = |t: wtool_ast::ValType| -> Vec<Val> {
            match t {
                wtool_ast::ValType::I32 => i32s.iter().map(|x| I32(*x)).collect(),
                wtool_ast::ValType::I64 => i64s.iter().map(|x| I64(*x)).collect(),
                wtool_ast::ValType::F32 => f32s.iter().map(|x| F32(*x)).collect(),
                wtool_ast::ValType::F64 => f64s.iter().map(|x| F64(*x)).collect(),
                _ => Vec::new(),
            }
        };
        let mut checked = 0;
        for &op in Op::ALL {
            let info = op.info();
            if info.kind != wtool_ast::OpKind::Plain
                || info.results.len() != 1
                || info.results[0] == wtool_ast::ValType::V128
            {
                continue;
            }
            match info.params {
                [a] => {
                    for x in pool(*a) {
                        eval(op, &[x]);
                        checked += 1;
                    }
                }
                [a, b] => {
                    for x in pool(*a) {
                        for y in pool(*b) {
                            eval(op, &[x, y]);
                            checked += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn simd_policy() {
        let a = V128(u128::from_le_bytes([1; 16]));
        let b = V128(u128::from_le_bytes([2; 16]));
        assert_eq!(
            super::eval(I8x16Add, &[a, b], None),
            Some(V128(u128::from_le_bytes([3; 16])))
        );
        // Float lanes are not folded; extracting a lane is a bit move.
        assert_eq!(super::eval(F32x4Add, &[a, b], None), None);
        let nan = V128(0x7fc0_0001);
        assert_eq!(
            super::eval(F32x4ExtractLane, &[nan], Some(0)),
            Some(F32(0x7fc0_0001))
        );
    }
}

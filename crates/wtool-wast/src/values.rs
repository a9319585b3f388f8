//! Script constants to interpreter values, results against expected
//! patterns, and both as text for the report.

use wtool_ast::HeapType;
use wtool_interp::{AnyRef, Value};
use wtool_text::script::{Expected, FloatPattern, V128Pattern, Value as SValue};

/// A script argument as an interpreter value; a Component Model value
/// has none (a core function cannot take it).
pub(crate) fn arg_value(v: &SValue) -> Result<Value, String> {
    Ok(match v {
        SValue::I32(x) => Value::I32(*x),
        SValue::I64(x) => Value::I64(*x),
        SValue::F32(x) => Value::F32(*x),
        SValue::F64(x) => Value::F64(*x),
        SValue::V128(b) => Value::V128(u128::from_le_bytes(*b)),
        SValue::RefNull(h) => match h {
            HeapType::Extern | HeapType::NoExtern => Value::ExternRef(None),
            HeapType::Any
            | HeapType::Eq
            | HeapType::I31
            | HeapType::Struct
            | HeapType::Array
            | HeapType::None => Value::AnyRef(None),
            HeapType::Exn | HeapType::NoExn => Value::ExnRef(None),
            _ => Value::FuncRef(None),
        },
        SValue::RefExtern(n) => Value::ExternRef(Some(*n)),
        SValue::RefHost(n) => Value::AnyRef(Some(AnyRef::Host(*n))),
        SValue::RefFunc(f) => Value::FuncRef(Some(wtool_interp::FuncAddr(*f))),
        SValue::Component(c) => {
            return Err(format!("a component value ({c}) for a core function"));
        }
    })
}

fn f32_matches(bits: u32, p: &FloatPattern<u32>) -> bool {
    match p {
        FloatPattern::Bits(b) => bits == *b,
        FloatPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        FloatPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
    }
}

fn f64_matches(bits: u64, p: &FloatPattern<u64>) -> bool {
    match p {
        FloatPattern::Bits(b) => bits == *b,
        FloatPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        FloatPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
    }
}

/// Whether a result matches its pattern.
pub(crate) fn matches(v: &Value, e: &Expected) -> bool {
    match (e, v) {
        (Expected::I32(x), Value::I32(y)) => x == y,
        (Expected::I64(x), Value::I64(y)) => x == y,
        (Expected::F32(p), Value::F32(b)) => f32_matches(*b, p),
        (Expected::F64(p), Value::F64(b)) => f64_matches(*b, p),
        (Expected::V128(p), Value::V128(v)) => match p {
            V128Pattern::Bytes(b) => u128::from_le_bytes(*b) == *v,
            V128Pattern::F32x4(l) => l
                .iter()
                .enumerate()
                .all(|(i, p)| f32_matches((v >> (32 * i)) as u32, p)),
            V128Pattern::F64x2(l) => l
                .iter()
                .enumerate()
                .all(|(i, p)| f64_matches((v >> (64 * i)) as u64, p)),
        },
        // The interpreter hands out nulls of the func and exn hierarchies,
        // and of concrete types, as a null funcref: a null has no type of
        // its own to check beyond its hierarchy.
        (Expected::RefNull(h), Value::FuncRef(None)) => {
            h.is_none_or(|h| !matches!(h, HeapType::Extern | HeapType::NoExtern))
        }
        (Expected::RefNull(h), Value::ExternRef(None)) => {
            h.is_none_or(|h| matches!(h, HeapType::Extern | HeapType::NoExtern))
        }
        (Expected::RefNull(h), Value::AnyRef(None)) => h.is_none_or(|h| {
            !matches!(
                h,
                HeapType::Extern
                    | HeapType::NoExtern
                    | HeapType::Func
                    | HeapType::NoFunc
                    | HeapType::Exn
                    | HeapType::NoExn
            )
        }),
        (Expected::RefExtern(n), Value::ExternRef(Some(x))) => n.is_none_or(|n| n == *x),
        (Expected::RefExtern(None), Value::ExternAny(_)) => true,
        (Expected::RefHost(n), Value::AnyRef(Some(AnyRef::Host(x)))) => n == x,
        (Expected::RefFunc(_), Value::FuncRef(Some(_))) => true,
        (Expected::RefAny, Value::AnyRef(Some(_))) => true,
        (Expected::RefExn, Value::ExnRef(Some(_))) => true,
        (Expected::RefNull(h), Value::ExnRef(None)) => {
            h.is_none_or(|h| matches!(h, HeapType::Exn | HeapType::NoExn))
        }
        (Expected::RefEq, Value::AnyRef(Some(a))) => !matches!(a, AnyRef::Host(_)),
        (Expected::RefI31, Value::AnyRef(Some(AnyRef::I31(_)))) => true,
        (Expected::RefStruct, Value::AnyRef(Some(AnyRef::Struct(_)))) => true,
        (Expected::RefArray, Value::AnyRef(Some(AnyRef::Array(_)))) => true,
        (Expected::Either(alts), v) => alts.iter().any(|a| matches(v, a)),
        _ => false,
    }
}

fn fp_text<T: std::fmt::LowerHex>(p: &FloatPattern<T>) -> String {
    match p {
        FloatPattern::Bits(b) => format!("0x{b:x}"),
        FloatPattern::CanonicalNan => "nan:canonical".into(),
        FloatPattern::ArithmeticNan => "nan:arithmetic".into(),
    }
}

/// A pattern for the report.
pub(crate) fn expected_text(e: &Expected) -> String {
    match e {
        Expected::I32(x) => format!("{x}:i32"),
        Expected::I64(x) => format!("{x}:i64"),
        Expected::F32(p) => format!("{}:f32", fp_text(p)),
        Expected::F64(p) => format!("{}:f64", fp_text(p)),
        Expected::V128(V128Pattern::Bytes(b)) => format!("0x{:032x}:v128", u128::from_le_bytes(*b)),
        Expected::V128(V128Pattern::F32x4(l)) => {
            format!(
                "f32x4 {}",
                l.iter().map(fp_text).collect::<Vec<_>>().join(" ")
            )
        }
        Expected::V128(V128Pattern::F64x2(l)) => {
            format!(
                "f64x2 {}",
                l.iter().map(fp_text).collect::<Vec<_>>().join(" ")
            )
        }
        Expected::RefNull(_) => "ref.null".into(),
        Expected::RefExtern(n) => format!("ref.extern {}", n.map_or("_".into(), |n| n.to_string())),
        Expected::RefHost(n) => format!("ref.host {n}"),
        Expected::RefFunc(_) => "ref.func".into(),
        Expected::RefStruct => "ref.struct".into(),
        Expected::RefArray => "ref.array".into(),
        Expected::RefEq => "ref.eq".into(),
        Expected::RefI31 => "ref.i31".into(),
        Expected::RefAny => "ref.any".into(),
        Expected::RefExn => "ref.exn".into(),
        Expected::Component(v) => v.to_string(),
        Expected::Either(a) => format!(
            "either({})",
            a.iter().map(expected_text).collect::<Vec<_>>().join(" | ")
        ),
    }
}

/// Results for the report.
pub(crate) fn values_text(v: &[Value]) -> String {
    v.iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

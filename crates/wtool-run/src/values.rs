//! `wtool run --invoke` arguments and results as text.
//!
//! Input, by the parameter's type:
//! - `i32`/`i64`: decimal or `0x` hex, optionally negative, `_` separators
//!   allowed; anything from the signed minimum to the unsigned maximum.
//! - `f32`/`f64`: decimal (`1.5`, `-2e10`), hex floats (`0x1.8p3`), `inf`,
//!   `-inf`, `nan`, `-nan`, `nan:0x200000` (a payload).
//! - `v128`: `i8x16:…`, `i16x8:…`, `i32x4:…`, `i64x2:…`, `f32x4:…`, `f64x2:…`
//!   with comma-separated lanes in the lane type's syntax, or one `0x` hex
//!   128-bit integer.
//! - references (`funcref`, `externref`, `anyref`, ...): `null`, when nullable.
//!
//! Output ([`format_value`]): integers as signed decimal; floats as the
//! shortest decimal that reads back to the same bits (`inf`, `-0`, `nan`
//! for the canonical NaN, `nan:0x…` with the payload otherwise); `v128` as
//! `i32x4:a,b,c,d` with signed decimal lanes (valid input again);
//! references as `null`, `funcref:N`, `externref:N`, `i31:N`, `structref`, `arrayref`,
//! `hostref:N`, `exnref`.

use std::fmt;
use wtool_ast::ValType;
use wtool_interp::{AnyRef, Value};

/// Why an argument does not read as a value of its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    /// The argument as given.
    pub text: String,
    /// The expected type, as written in the text format.
    pub ty: String,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} argument `{}`", self.ty, self.text)
    }
}

impl std::error::Error for ValueError {}

/// The text-format name of a value type.
pub fn type_name(ty: ValType) -> &'static str {
    match ty {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        ValType::V128 => "v128",
        t if t == ValType::FUNCREF => "funcref",
        t if t == ValType::EXTERNREF => "externref",
        ValType::Ref(_) => "ref",
    }
}

/// Parses `text` as a value of type `ty` (see the module docs for the syntax).
pub fn parse_value(ty: ValType, text: &str) -> Result<Value, ValueError> {
    let err = || ValueError {
        text: text.to_string(),
        ty: type_name(ty).to_string(),
    };
    let t = text.trim();
    match ty {
        ValType::I32 => parse_int(t, 32).map(|v| Value::I32(v as u32 as i32)),
        ValType::I64 => parse_int(t, 64).map(|v| Value::I64(v as i64)),
        ValType::F32 => parse_float(t, FloatFormat::F32).map(|b| Value::F32(b as u32)),
        ValType::F64 => parse_float(t, FloatFormat::F64).map(Value::F64),
        ValType::V128 => parse_v128(t).map(Value::V128),
        ValType::Ref(r) if t == "null" && r.nullable => Some(Value::default_for(ty)),
        ValType::Ref(_) => None,
    }
    .ok_or_else(err)
}

/// Formats a value in `wtool run`'s output syntax (see the module docs).
pub fn format_value(v: &Value) -> String {
    match *v {
        Value::I32(x) => x.to_string(),
        Value::I64(x) => x.to_string(),
        Value::F32(b) => format_float(u64::from(b), FloatFormat::F32),
        Value::F64(b) => format_float(b, FloatFormat::F64),
        Value::V128(b) => {
            let lanes: Vec<String> = (0..4)
                .map(|i| ((b >> (32 * i)) as u32 as i32).to_string())
                .collect();
            format!("i32x4:{}", lanes.join(","))
        }
        Value::FuncRef(None) | Value::ExternRef(None) => "null".to_string(),
        Value::FuncRef(Some(f)) => format!("funcref:{}", f.0),
        Value::ExternRef(Some(e)) => format!("externref:{e}"),
        Value::AnyRef(None) => "null".to_string(),
        Value::AnyRef(Some(a)) => format_any(a),
        Value::ExternAny(a) => format!("externref({})", format_any(a)),
        Value::ExnRef(None) => "null".to_string(),
        Value::ExnRef(Some(_)) => "exnref".to_string(),
    }
}

/// A non-null `any` reference: an `i31` shows its value; objects only
/// their kind (their identity is not stable across runs).
fn format_any(a: AnyRef) -> String {
    match a {
        AnyRef::Host(n) => format!("hostref:{n}"),
        AnyRef::I31(v) => format!("i31:{v}"),
        AnyRef::Struct(_) => "structref".to_string(),
        AnyRef::Array(_) => "arrayref".to_string(),
    }
}

#[derive(Clone, Copy)]
struct FloatFormat {
    mbits: u32,
    ebits: u32,
}

impl FloatFormat {
    const F32: FloatFormat = FloatFormat {
        mbits: 23,
        ebits: 8,
    };
    const F64: FloatFormat = FloatFormat {
        mbits: 52,
        ebits: 11,
    };
    fn exp_mask(self) -> u64 {
        ((1u64 << self.ebits) - 1) << self.mbits
    }
    fn sign(self) -> u64 {
        1u64 << (self.mbits + self.ebits)
    }
    fn mant_mask(self) -> u64 {
        (1u64 << self.mbits) - 1
    }
}

fn format_float(bits: u64, f: FloatFormat) -> String {
    let neg = bits & f.sign() != 0;
    let sign = if neg { "-" } else { "" };
    let payload = bits & f.mant_mask();
    if bits & f.exp_mask() == f.exp_mask() && payload != 0 {
        return if payload == 1 << (f.mbits - 1) {
            format!("{sign}nan")
        } else {
            format!("{sign}nan:0x{payload:x}")
        };
    }
    // Rust prints the shortest decimal that parses back to the same value.
    if f.mbits == 23 {
        format!("{}", f32::from_bits(bits as u32))
    } else {
        format!("{}", f64::from_bits(bits))
    }
}

/// An integer of `bits` bits, as its two's complement bit pattern.
fn parse_int(t: &str, bits: u32) -> Option<u64> {
    let (neg, rest) = split_sign(t);
    let digits: String = rest.chars().filter(|&c| c != '_').collect();
    let mag = if let Some(h) = digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
        u128::from_str_radix(h, 16).ok()?
    } else {
        if digits.starts_with('+') || digits.starts_with('-') {
            return None;
        }
        digits.parse::<u128>().ok()?
    };
    if digits.is_empty() || rest.starts_with('_') {
        return None;
    }
    let limit = if neg {
        1u128 << (bits - 1)
    } else {
        (1u128 << bits) - 1
    };
    if mag > limit {
        return None;
    }
    let v = if neg { mag.wrapping_neg() } else { mag };
    let mask = (1u128 << bits) - 1;
    Some((v & mask) as u64)
}

fn split_sign(t: &str) -> (bool, &str) {
    if let Some(r) = t.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = t.strip_prefix('+') {
        (false, r)
    } else {
        (false, t)
    }
}

fn parse_float(t: &str, f: FloatFormat) -> Option<u64> {
    let (neg, rest) = split_sign(t);
    let sign = if neg { f.sign() } else { 0 };
    let body: String = rest.chars().filter(|&c| c != '_').collect();
    let lower = body.to_ascii_lowercase();
    let magnitude = if lower == "inf" || lower == "infinity" {
        f.exp_mask()
    } else if lower == "nan" {
        f.exp_mask() | 1 << (f.mbits - 1)
    } else if let Some(p) = lower.strip_prefix("nan:0x") {
        let payload = u64::from_str_radix(p, 16).ok()?;
        if payload == 0 || payload > f.mant_mask() {
            return None;
        }
        f.exp_mask() | payload
    } else if let Some(h) = lower.strip_prefix("0x") {
        parse_hex_float(h, f)?
    } else {
        // Only plain decimal syntax; Rust's parser rounds correctly.
        if !lower
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
            || !lower.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        {
            return None;
        }
        if f.mbits == 23 {
            u64::from(lower.parse::<f32>().ok()?.to_bits())
        } else {
            lower.parse::<f64>().ok()?.to_bits()
        }
    };
    Some(sign | magnitude)
}

/// The bits of a positive hex float (`1.8p3` after the `0x`), rounded to
/// nearest-even like the text format requires.
fn parse_hex_float(h: &str, f: FloatFormat) -> Option<u64> {
    let (mant, exp) = match h.split_once('p') {
        Some((m, e)) => (m, Some(e)),
        None => (h, None),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut m: u128 = 0;
    let mut exp2: i64 = 0;
    let mut sticky = false;
    for (c, is_frac) in int
        .chars()
        .map(|c| (c, false))
        .chain(frac.chars().map(|c| (c, true)))
    {
        let d = c.to_digit(16)?;
        if m < 1 << 120 {
            m = m * 16 + u128::from(d);
            if is_frac {
                exp2 -= 4;
            }
        } else {
            sticky |= d != 0;
            if !is_frac {
                exp2 += 4;
            }
        }
    }
    if let Some(e) = exp {
        let (eneg, edigits) = split_sign(e);
        if edigits.is_empty() || !edigits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        // Past this, the value is 0 or infinity anyway.
        let v: i64 = edigits.parse::<i64>().unwrap_or(100_000).min(100_000);
        exp2 += if eneg { -v } else { v };
    }
    if m == 0 {
        return Some(0);
    }
    let mbits = i64::from(f.mbits);
    let bias = (1i64 << (f.ebits - 1)) - 1;
    let top = 127 - i64::from(m.leading_zeros());
    let e = top + exp2;
    if e > bias {
        return Some(f.exp_mask());
    }
    let mut lsb_exp = (e - mbits).max(1 - bias - mbits);
    let shift = lsb_exp - exp2;
    let mut q: u128 = if shift <= 0 {
        m << (-shift)
    } else if shift >= 128 {
        0
    } else {
        let q = m >> shift;
        let rem = m & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = rem > half || (rem == half && (sticky || q & 1 == 1));
        q + u128::from(up)
    };
    if q >> (mbits + 1) != 0 {
        q >>= 1;
        lsb_exp += 1;
    }
    let q = q as u64;
    if q >> mbits != 0 {
        let biased = lsb_exp + mbits + bias;
        if biased >= (1 << f.ebits) - 1 {
            return Some(f.exp_mask());
        }
        Some(((biased as u64) << f.mbits) | (q & f.mant_mask()))
    } else {
        Some(q)
    }
}

fn parse_v128(t: &str) -> Option<u128> {
    let Some((shape, lanes)) = t.split_once(':') else {
        let (neg, rest) = split_sign(t);
        let h: String = rest
            .strip_prefix("0x")?
            .chars()
            .filter(|&c| c != '_')
            .collect();
        let v = u128::from_str_radix(&h, 16).ok()?;
        return Some(if neg { v.wrapping_neg() } else { v });
    };
    let (count, width): (usize, u32) = match shape {
        "i8x16" => (16, 8),
        "i16x8" => (8, 16),
        "i32x4" | "f32x4" => (4, 32),
        "i64x2" | "f64x2" => (2, 64),
        _ => return None,
    };
    let parts: Vec<&str> = lanes.split(',').map(str::trim).collect();
    if parts.len() != count {
        return None;
    }
    let mut v: u128 = 0;
    for (i, p) in parts.iter().enumerate() {
        let lane = match shape {
            "f32x4" => parse_float(p, FloatFormat::F32)?,
            "f64x2" => parse_float(p, FloatFormat::F64)?,
            _ => parse_int(p, width)?,
        };
        v |= u128::from(lane) << (width as usize * i);
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(parse_value(ValType::I32, "-1"), Ok(Value::I32(-1)));
        assert_eq!(parse_value(ValType::I32, "0xffffffff"), Ok(Value::I32(-1)));
        assert_eq!(
            parse_value(ValType::I32, "-0x80000000"),
            Ok(Value::I32(i32::MIN))
        );
        assert!(parse_value(ValType::I32, "0x100000000").is_err());
        assert!(parse_value(ValType::I32, "-2147483649").is_err());
        assert!(parse_value(ValType::I32, "").is_err());
        assert!(parse_value(ValType::I32, "--1").is_err());
        assert_eq!(
            parse_value(ValType::I64, "18446744073709551615"),
            Ok(Value::I64(-1))
        );
        assert_eq!(parse_value(ValType::I64, "1_000"), Ok(Value::I64(1000)));
    }

    fn f32b(s: &str) -> u32 {
        match parse_value(ValType::F32, s) {
            Ok(Value::F32(b)) => b,
            other => panic!("{s}: {other:?}"),
        }
    }

    fn f64b(s: &str) -> u64 {
        match parse_value(ValType::F64, s) {
            Ok(Value::F64(b)) => b,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn floats() {
        assert_eq!(f32b("1.5"), 1.5f32.to_bits());
        assert_eq!(f32b("-0"), (-0.0f32).to_bits());
        assert_eq!(f32b("inf"), f32::INFINITY.to_bits());
        assert_eq!(f32b("nan"), 0x7fc0_0000);
        assert_eq!(f32b("-nan"), 0xffc0_0000);
        assert_eq!(f32b("nan:0x1"), 0x7f80_0001);
        assert_eq!(f32b("0x1.8p3"), 12.0f32.to_bits());
        assert_eq!(f32b("0x1p-149"), 1);
        assert_eq!(f32b("0x1p-150"), 0); // tie to even
        assert_eq!(f32b("0x1.8p-149"), 2); // tie to even, up
        assert_eq!(f32b("0x1.fffffffp127"), f32::INFINITY.to_bits());
        assert_eq!(f32b("0x1.fffffep127"), f32::MAX.to_bits());
        assert_eq!(f64b("0x1p-1074"), 1);
        assert_eq!(
            f64b("0x1.0000000000000800000000001p0"),
            0x3ff0_0000_0000_0001
        );
        assert_eq!(f64b("0x1.00000000000008p0"), 0x3ff0_0000_0000_0000);
        assert_eq!(f64b("0x.8"), 0.5f64.to_bits());
        assert_eq!(f64b("1e308"), 1e308f64.to_bits());
        assert!(parse_value(ValType::F32, "nan:0x800000").is_err());
        assert!(parse_value(ValType::F32, "abc").is_err());
        assert!(parse_value(ValType::F32, "0x").is_err());
    }

    #[test]
    fn round_trip_format() {
        for s in [
            "0", "-0", "1.5", "0.1", "inf", "-inf", "nan", "-nan", "nan:0x1",
        ] {
            let v = parse_value(ValType::F32, s).unwrap();
            assert_eq!(format_value(&v), s);
            let v = parse_value(ValType::F64, s).unwrap();
            assert_eq!(format_value(&v), s);
        }
        let v = parse_value(ValType::V128, "i32x4:1,-2,3,0x7fffffff").unwrap();
        assert_eq!(format_value(&v), "i32x4:1,-2,3,2147483647");
        let v = parse_value(
            ValType::V128,
            "i8x16:1,0,0,0,255,255,255,255,0,0,0,0,0,0,0,0",
        );
        assert_eq!(format_value(&v.unwrap()), "i32x4:1,-1,0,0");
        let v = parse_value(ValType::V128, "f32x4:1,0,0,0").unwrap();
        assert_eq!(format_value(&v), "i32x4:1065353216,0,0,0");
        assert_eq!(
            parse_value(ValType::FUNCREF, "null"),
            Ok(Value::FuncRef(None))
        );
        assert!(parse_value(ValType::EXTERNREF, "1").is_err());
    }
}

//! Arguments and result patterns of script actions: core constants
//! (`i32.const 1`, `nan:canonical`) and Component Model values
//! (`u32.const 1`, `str.const "a"`, `list.const …`).

use std::fmt;

use super::{ComponentValue, Expected, FloatPattern, V128Pattern, Value};
use crate::component::nested;
use crate::error::{Result, TextErrorKind};
use crate::parser::{imm::v128_const, Parser};

pub(super) fn value(p: &mut Parser<'_>) -> Result<Value> {
    p.expect_lparen()?;
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("a constant"));
    };
    p.pos += 1;
    let v = match kw {
        "i32.const" => Value::I32(p.int(32)? as u32 as i32),
        "i64.const" => Value::I64(p.int(64)? as i64),
        "f32.const" => Value::F32(p.f32()?),
        "f64.const" => Value::F64(p.f64()?),
        "v128.const" => Value::V128(v128_const(p)?),
        "ref.null" => Value::RefNull(p.heap_type()?),
        "ref.extern" => Value::RefExtern(p.u32()?),
        "ref.host" => Value::RefHost(p.u32()?),
        "ref.func" => Value::RefFunc(p.u32()?),
        _ => match component_value(p, kw)? {
            Some(v) => Value::Component(v),
            None => {
                p.pos -= 1;
                return Err(p.unexpected("a constant"));
            }
        },
    };
    p.expect_rparen()?;
    Ok(v)
}

fn nan_pattern(p: &Parser<'_>) -> Option<bool> {
    match p.peek_kw() {
        Some("nan:canonical") => Some(true),
        Some("nan:arithmetic") => Some(false),
        _ => None,
    }
}

fn f32_pattern(p: &mut Parser<'_>) -> Result<FloatPattern<u32>> {
    Ok(match nan_pattern(p) {
        Some(c) => {
            p.pos += 1;
            if c {
                FloatPattern::CanonicalNan
            } else {
                FloatPattern::ArithmeticNan
            }
        }
        None => FloatPattern::Bits(p.f32()?),
    })
}

fn f64_pattern(p: &mut Parser<'_>) -> Result<FloatPattern<u64>> {
    Ok(match nan_pattern(p) {
        Some(c) => {
            p.pos += 1;
            if c {
                FloatPattern::CanonicalNan
            } else {
                FloatPattern::ArithmeticNan
            }
        }
        None => FloatPattern::Bits(p.f64()?),
    })
}

/// One result pattern; `either` does not nest (so no recursion on input depth).
pub(super) fn result(p: &mut Parser<'_>, allow_either: bool) -> Result<Expected> {
    p.expect_lparen()?;
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("a result"));
    };
    p.pos += 1;
    let r = match kw {
        "i32.const" => Expected::I32(p.int(32)? as u32 as i32),
        "i64.const" => Expected::I64(p.int(64)? as i64),
        "f32.const" => Expected::F32(f32_pattern(p)?),
        "f64.const" => Expected::F64(f64_pattern(p)?),
        "v128.const" => match p.peek_kw() {
            Some("f32x4") => {
                p.pos += 1;
                let mut l = [FloatPattern::Bits(0); 4];
                for x in l.iter_mut() {
                    *x = f32_pattern(p)?;
                }
                Expected::V128(V128Pattern::F32x4(l))
            }
            Some("f64x2") => {
                p.pos += 1;
                let mut l = [FloatPattern::Bits(0); 2];
                for x in l.iter_mut() {
                    *x = f64_pattern(p)?;
                }
                Expected::V128(V128Pattern::F64x2(l))
            }
            _ => Expected::V128(V128Pattern::Bytes(v128_const(p)?)),
        },
        "ref.null" => Expected::RefNull(if p.at_rparen() {
            None
        } else {
            Some(p.heap_type()?)
        }),
        "ref.extern" => Expected::RefExtern(if p.at_num() { Some(p.u32()?) } else { None }),
        "ref.host" => Expected::RefHost(p.u32()?),
        "ref.func" => Expected::RefFunc(if p.at_num() { Some(p.u32()?) } else { None }),
        "ref.struct" => Expected::RefStruct,
        "ref.array" => Expected::RefArray,
        "ref.eq" => Expected::RefEq,
        "ref.i31" => Expected::RefI31,
        "ref.any" => Expected::RefAny,
        "ref.exn" => Expected::RefExn,
        "either" if allow_either => {
            let mut v = Vec::new();
            while !p.at_rparen() {
                v.push(result(p, false)?);
            }
            Expected::Either(v)
        }
        _ => match component_value(p, kw)? {
            Some(v) => Expected::Component(v),
            None => {
                p.pos -= 1;
                return Err(p.unexpected("a result"));
            }
        },
    };
    p.expect_rparen()?;
    Ok(r)
}

/// A Component Model value after its keyword `kw`, up to its `)` (not
/// taken); `None` when `kw` names no value. Nesting is bounded, so deep
/// input is an error rather than a stack overflow.
fn component_value(p: &mut Parser<'_>, kw: &str) -> Result<Option<ComponentValue>> {
    use ComponentValue as C;
    Ok(Some(match kw {
        "bool.const" => match p.peek_kw() {
            Some(b @ ("true" | "false")) => {
                p.pos += 1;
                C::Bool(b == "true")
            }
            _ => return Err(p.unexpected("`true` or `false`")),
        },
        "u8.const" => C::U8(uint(p, 8)? as u8),
        "s8.const" => C::S8(p.int(8)? as u8 as i8),
        "u16.const" => C::U16(uint(p, 16)? as u16),
        "s16.const" => C::S16(p.int(16)? as u16 as i16),
        "u32.const" => C::U32(uint(p, 32)? as u32),
        "s32.const" => C::S32(p.int(32)? as u32 as i32),
        "u64.const" => C::U64(uint(p, 64)?),
        "s64.const" => C::S64(p.int(64)? as i64),
        "f32.const" => C::F32(p.f32()?),
        "f64.const" => C::F64(p.f64()?),
        "char.const" => {
            let t = p.peek();
            let s = p.name()?;
            let mut chars = s.chars();
            match (chars.next(), chars.next(), t) {
                (Some(c), None, _) => C::Char(c),
                (_, _, Some(t)) => {
                    let e = TextErrorKind::Other("expected exactly one character".into());
                    return Err(p.error_at(e, t));
                }
                _ => return Err(p.unexpected("a character")),
            }
        }
        "str.const" => C::String(p.name()?),
        "list.const" => C::List(paren_values(p)?),
        "tuple.const" => C::Tuple(paren_values(p)?),
        "map.const" => {
            let mut entries = Vec::new();
            while !p.at_rparen() {
                if !p.eat_lparen_kw("entry") {
                    return Err(p.unexpected("`(entry`"));
                }
                let k = paren_value(p)?;
                let v = paren_value(p)?;
                p.expect_rparen()?;
                entries.push((k, v));
            }
            C::Map(entries)
        }
        "record.const" => {
            let mut fields = Vec::new();
            while !p.at_rparen() {
                if !p.eat_lparen_kw("field") {
                    return Err(p.unexpected("`(field`"));
                }
                let name = p.name()?;
                // A field's value is written without parentheses of its own.
                let v = nested(p, bare_value)?;
                p.expect_rparen()?;
                fields.push((name, v));
            }
            C::Record(fields)
        }
        "variant.const" => {
            let case = p.name()?;
            C::Variant(case, opt_paren_value(p)?)
        }
        "enum.const" => C::Enum(p.name()?),
        "option.none" => C::Option(None),
        "option.some" => C::Option(Some(Box::new(paren_value(p)?))),
        "result.ok" => C::Result(Ok(opt_paren_value(p)?)),
        "result.err" => C::Result(Err(opt_paren_value(p)?)),
        "flags.const" => {
            let mut names = Vec::new();
            while !p.at_rparen() {
                names.push(p.name()?);
            }
            C::Flags(names)
        }
        _ => return Ok(None),
    }))
}

/// An unsigned integer of `bits` width: `int` also takes a negative
/// spelling (as two's complement), which no unsigned value has.
fn uint(p: &mut Parser<'_>, bits: u32) -> Result<u64> {
    if p.peek().is_some_and(|t| p.text(t).starts_with('-')) {
        return Err(p.unexpected("an unsigned integer"));
    }
    p.int(bits)
}

/// `kw args…`, the form inside a value's parentheses.
fn bare_value(p: &mut Parser<'_>) -> Result<ComponentValue> {
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("a component value"));
    };
    p.pos += 1;
    match component_value(p, kw)? {
        Some(v) => Ok(v),
        None => {
            p.pos -= 1;
            Err(p.unexpected("a component value"))
        }
    }
}

/// `(kw args…)`.
fn paren_value(p: &mut Parser<'_>) -> Result<ComponentValue> {
    p.expect_lparen()?;
    let v = nested(p, bare_value)?;
    p.expect_rparen()?;
    Ok(v)
}

fn opt_paren_value(p: &mut Parser<'_>) -> Result<Option<Box<ComponentValue>>> {
    if p.at_rparen() {
        Ok(None)
    } else {
        Ok(Some(Box::new(paren_value(p)?)))
    }
}

fn paren_values(p: &mut Parser<'_>) -> Result<Vec<ComponentValue>> {
    let mut v = Vec::new();
    while !p.at_rparen() {
        v.push(paren_value(p)?);
    }
    Ok(v)
}

/// A float for messages: its value, or its NaN payload (which `{}` drops).
fn float_text(
    f: &mut fmt::Formatter<'_>,
    is_nan: bool,
    neg: bool,
    payload: u64,
    v: f64,
) -> fmt::Result {
    if is_nan {
        write!(f, "{}nan:0x{payload:x}", if neg { "-" } else { "" })
    } else {
        write!(f, "{v}")
    }
}

fn paren_list(f: &mut fmt::Formatter<'_>, head: &str, vs: &[ComponentValue]) -> fmt::Result {
    f.write_str(head)?;
    for v in vs {
        write!(f, " ({v})")?;
    }
    Ok(())
}

fn opt_paren(
    f: &mut fmt::Formatter<'_>,
    head: &str,
    v: &Option<Box<ComponentValue>>,
) -> fmt::Result {
    f.write_str(head)?;
    match v {
        Some(v) => write!(f, " ({v})"),
        None => Ok(()),
    }
}

/// The value as the script writes it, without the outer parentheses
/// (`u32.const 7`, `list.const (str.const "a")`).
impl fmt::Display for ComponentValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ComponentValue as C;
        match self {
            C::Bool(b) => write!(f, "bool.const {b}"),
            C::U8(x) => write!(f, "u8.const {x}"),
            C::S8(x) => write!(f, "s8.const {x}"),
            C::U16(x) => write!(f, "u16.const {x}"),
            C::S16(x) => write!(f, "s16.const {x}"),
            C::U32(x) => write!(f, "u32.const {x}"),
            C::S32(x) => write!(f, "s32.const {x}"),
            C::U64(x) => write!(f, "u64.const {x}"),
            C::S64(x) => write!(f, "s64.const {x}"),
            C::F32(b) => {
                let v = f32::from_bits(*b);
                f.write_str("f32.const ")?;
                float_text(
                    f,
                    v.is_nan(),
                    b >> 31 != 0,
                    u64::from(b & 0x7f_ffff),
                    v.into(),
                )
            }
            C::F64(b) => {
                let v = f64::from_bits(*b);
                f.write_str("f64.const ")?;
                float_text(f, v.is_nan(), b >> 63 != 0, b & 0xf_ffff_ffff_ffff, v)
            }
            C::Char(c) => write!(f, "char.const \"{}\"", c.escape_debug()),
            C::String(s) => write!(f, "str.const \"{}\"", s.escape_debug()),
            C::List(vs) => paren_list(f, "list.const", vs),
            C::Tuple(vs) => paren_list(f, "tuple.const", vs),
            C::Map(es) => {
                f.write_str("map.const")?;
                for (k, v) in es {
                    write!(f, " (entry ({k}) ({v}))")?;
                }
                Ok(())
            }
            C::Record(fs) => {
                f.write_str("record.const")?;
                for (n, v) in fs {
                    write!(f, " (field \"{}\" {v})", n.escape_debug())?;
                }
                Ok(())
            }
            C::Variant(case, v) => {
                opt_paren(f, &format!("variant.const \"{}\"", case.escape_debug()), v)
            }
            C::Enum(case) => write!(f, "enum.const \"{}\"", case.escape_debug()),
            C::Option(None) => f.write_str("option.none"),
            C::Option(Some(v)) => write!(f, "option.some ({v})"),
            C::Result(Ok(v)) => opt_paren(f, "result.ok", v),
            C::Result(Err(v)) => opt_paren(f, "result.err", v),
            C::Flags(names) => {
                f.write_str("flags.const")?;
                for n in names {
                    write!(f, " \"{}\"", n.escape_debug())?;
                }
                Ok(())
            }
        }
    }
}

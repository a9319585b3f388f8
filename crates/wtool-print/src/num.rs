//! Numbers and strings in their text-format spelling.
//!
//! Floats print as the shortest decimal that parses back to the same bits
//! (Rust's float formatting guarantees that round trip), so every finite
//! value, signed zero and subnormal is exact; infinities and NaNs use the
//! `inf` / `nan` / `nan:0x…` keywords, keeping every payload bit.

use std::fmt::Write;

/// Appends an unsigned integer in decimal.
#[inline]
pub(crate) fn push_u64(out: &mut String, mut v: u64) {
    // Hand-rolled because this is the hottest path of the printer (indices
    // and constants on every line) and `write!` goes through `fmt` machinery.
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// Appends an unsigned 32-bit integer in decimal.
#[inline]
pub(crate) fn push_u32(out: &mut String, v: u32) {
    push_u64(out, u64::from(v));
}

/// Appends a signed integer in decimal.
#[inline]
pub(crate) fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

/// Appends an `f32` given by its bits.
pub(crate) fn push_f32(out: &mut String, bits: u32) {
    const MANT: u32 = (1 << 23) - 1;
    const EXP: u32 = 0xff << 23;
    let neg = bits >> 31 != 0;
    if bits & EXP == EXP {
        special(out, neg, u64::from(bits & MANT), 1 << 22);
        return;
    }
    let v = f32::from_bits(bits);
    // `{:?}` is the shortest round-tripping form and switches to an exponent
    // for very large or small magnitudes, keeping subnormals short.
    let _ = write!(out, "{v:?}");
}

/// Appends an `f64` given by its bits.
pub(crate) fn push_f64(out: &mut String, bits: u64) {
    const MANT: u64 = (1 << 52) - 1;
    const EXP: u64 = 0x7ff << 52;
    let neg = bits >> 63 != 0;
    if bits & EXP == EXP {
        special(out, neg, bits & MANT, 1 << 51);
        return;
    }
    let v = f64::from_bits(bits);
    let _ = write!(out, "{v:?}");
}

/// Infinity (`mant == 0`) or a NaN with its payload.
fn special(out: &mut String, neg: bool, mant: u64, canonical: u64) {
    if neg {
        out.push('-');
    }
    if mant == 0 {
        out.push_str("inf");
    } else if mant == canonical {
        out.push_str("nan");
    } else {
        let _ = write!(out, "nan:0x{mant:x}");
    }
}

/// Appends `bytes` as a quoted string literal: printable ASCII stays
/// readable, everything else becomes `\hh`.
pub(crate) fn push_bytes_str(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push('"');
    push_bytes_body(out, bytes);
    out.push('"');
}

/// The inside of [`push_bytes_str`]'s literal: each byte escaped on its
/// own, so a long run can be written in pieces.
pub(crate) fn push_bytes_body(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                out.push('\\');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// A float as wasmprinter writes it: exact hexadecimal (`0x1.8p+1`,
/// `inf`, `nan`, `nan:0x…`) followed by `(;=shown;)`, `shown` being Rust's
/// decimal form of the value. `exp_bits`/`man_bits` give the format.
pub(crate) fn push_hex_float(
    out: &mut String,
    bits: u64,
    exp_bits: u32,
    man_bits: u32,
    shown: &str,
) {
    let frac = bits & ((1 << man_bits) - 1);
    let exp_field = (bits >> man_bits) & ((1 << exp_bits) - 1);
    if (bits >> (exp_bits + man_bits)) & 1 == 1 {
        out.push('-');
    }
    if exp_field == (1 << exp_bits) - 1 {
        if frac == 0 {
            out.push_str("inf");
        } else if frac == 1 << (man_bits - 1) {
            out.push_str("nan");
        } else {
            let _ = write!(out, "nan:{frac:#x}");
        }
        let _ = write!(out, " (;={shown};)");
        return;
    }
    if exp_field == 0 && frac == 0 {
        let _ = write!(out, "0x0p+0 (;={shown};)");
        return;
    }
    let bias = (1i64 << (exp_bits - 1)) - 1;
    let has_fraction = frac != 0;
    let (frac, exp) = if exp_field == 0 {
        // Subnormal: normalised so its highest set bit is the implicit one.
        let top = 63 - frac.leading_zeros();
        let shift = man_bits - top;
        (
            (frac << shift) & ((1 << man_bits) - 1),
            1 - bias - i64::from(shift),
        )
    } else {
        (frac, exp_field as i64 - bias)
    };
    out.push_str("0x1");
    // A subnormal shows its point even when nothing follows it.
    if has_fraction {
        out.push('.');
        // Hex digits of the fraction from its top, without trailing zeros.
        let mut rest = frac << (64 - man_bits);
        while rest != 0 {
            let _ = write!(out, "{:x}", rest >> 60);
            rest <<= 4;
        }
    }
    let _ = write!(out, "p{exp:+} (;={shown};)");
}

/// A string literal as wasmprinter writes names: printable ASCII other
/// than the quote and the backslash as is, every other character `\\u{hex}`.
pub(crate) fn push_str_lit_wasmprinter(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        if (' '..'\x7f').contains(&c) && c != '"' && c != '\\' {
            out.push(c);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    out.push('"');
}

/// The inside of a byte string as wasmprinter writes it: printable ASCII
/// other than the quote and the backslash as is, every other byte `\\hh`.
pub(crate) fn push_bytes_body_wasmprinter(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            out.push(b as char);
        } else {
            let _ = write!(out, "\\{b:02x}");
        }
    }
}

/// Appends a UTF-8 string as a quoted literal. Non-ASCII characters stay as
/// they are (the text format is UTF-8); controls and quotes are escaped.
pub(crate) fn push_str_lit(out: &mut String, s: &str) {
    out.push('"');
    push_str_body(out, s);
    out.push('"');
}

/// The inside of a string literal (no quotes).
pub(crate) fn push_str_body(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{20}'..='\u{7e}' => out.push(c),
            c if (c as u32) < 0x80 || c == '\u{7f}' => {
                let _ = write!(out, "\\{:02x}", c as u32);
            }
            // Controls, bidi overrides and invisible formatting characters
            // are legal in strings but make text misleading (parsers such as
            // `wat` reject the bidi ones), so they are escaped.
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}') =>
            {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Appends a v128 constant as `i32x4 0x… 0x… 0x… 0x…` (little-endian lanes).
pub(crate) fn push_v128(out: &mut String, b: &[u8; 16]) {
    out.push_str("i32x4");
    for lane in b.chunks_exact(4) {
        let v = u32::from_le_bytes([lane[0], lane[1], lane[2], lane[3]]);
        let _ = write!(out, " 0x{v:08x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(bits: u32) -> String {
        let mut s = String::new();
        push_f32(&mut s, bits);
        s
    }

    fn f64s(bits: u64) -> String {
        let mut s = String::new();
        push_f64(&mut s, bits);
        s
    }

    #[test]
    fn floats() {
        assert_eq!(f32s(0), "0.0");
        assert_eq!(f32s(0x8000_0000), "-0.0");
        assert_eq!(f32s(0x7f80_0000), "inf");
        assert_eq!(f32s(0xff80_0000), "-inf");
        assert_eq!(f32s(0x7fc0_0000), "nan");
        assert_eq!(f32s(0xffc0_0000), "-nan");
        assert_eq!(f32s(0x7f80_0001), "nan:0x1");
        assert_eq!(f32s(0x7fff_ffff), "nan:0x7fffff");
        assert_eq!(f32s(1), "1e-45");
        assert_eq!(f64s(0x7ff8_0000_0000_0001), "nan:0x8000000000001");
        assert_eq!(f64s(1), "5e-324");
        assert_eq!(f64s(1.5f64.to_bits()), "1.5");
        assert_eq!(f64s(1e300f64.to_bits()), "1e300");
    }

    #[test]
    fn ints_and_strings() {
        let mut s = String::new();
        push_i64(&mut s, i64::MIN);
        s.push(' ');
        push_u32(&mut s, 0);
        s.push(' ');
        push_bytes_str(&mut s, b"a\"\\\x00\xff");
        s.push(' ');
        push_str_lit(&mut s, "h\u{e9}\n");
        assert_eq!(
            s,
            "-9223372036854775808 0 \"a\\\"\\\\\\00\\ff\" \"h\u{e9}\\0a\""
        );
    }
}

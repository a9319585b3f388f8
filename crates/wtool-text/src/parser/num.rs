//! Number literals: integers with per-width range checks, and floats
//! (decimal, hexadecimal, `inf`, `nan`, `nan:0x…`) converted with correct
//! rounding to raw IEEE bits so every NaN payload survives.

/// Why a literal was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumError {
    /// Not a number of the required shape.
    Malformed,
    /// A number that does not fit.
    OutOfRange,
}

type R<T> = Result<T, NumError>;

/// Digits of a `num`/`hexnum` (`_` only between digits), accumulated in u128
/// with saturation (callers range-check).
fn digits(s: &[u8], hex: bool) -> R<u128> {
    if s.is_empty() || s[0] == b'_' || s[s.len() - 1] == b'_' {
        return Err(NumError::Malformed);
    }
    let base: u128 = if hex { 16 } else { 10 };
    let mut v: u128 = 0;
    let mut prev_us = false;
    for &c in s {
        if c == b'_' {
            if prev_us {
                return Err(NumError::Malformed);
            }
            prev_us = true;
            continue;
        }
        prev_us = false;
        let d = digit(c, hex).ok_or(NumError::Malformed)?;
        v = v.saturating_mul(base).saturating_add(d as u128);
    }
    Ok(v)
}

#[inline]
fn digit(c: u8, hex: bool) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' if hex => Some(c - b'a' + 10),
        b'A'..=b'F' if hex => Some(c - b'A' + 10),
        _ => None,
    }
}

fn split_sign(s: &[u8]) -> (bool, bool, &[u8]) {
    match s.first() {
        Some(b'-') => (true, true, &s[1..]),
        Some(b'+') => (false, true, &s[1..]),
        _ => (false, false, s),
    }
}

fn magnitude(s: &[u8]) -> R<u128> {
    if let Some(h) = s.strip_prefix(b"0x") {
        digits(h, true)
    } else {
        digits(s, false)
    }
}

/// An unsigned index or count (`u32`): no sign.
pub fn parse_u32(s: &[u8]) -> R<u32> {
    let (_, signed, _) = split_sign(s);
    if signed {
        return Err(NumError::Malformed);
    }
    let v = magnitude(s)?;
    u32::try_from(v).map_err(|_| NumError::OutOfRange)
}

/// An unsigned `u64` (memarg offsets, 64-bit limits).
pub fn parse_u64(s: &[u8]) -> R<u64> {
    let (_, signed, _) = split_sign(s);
    if signed {
        return Err(NumError::Malformed);
    }
    let v = magnitude(s)?;
    u64::try_from(v).map_err(|_| NumError::OutOfRange)
}

/// An integer of `bits` width, signed or unsigned spelling; returns the two's
/// complement bits.
pub fn parse_int(s: &[u8], bits: u32) -> R<u64> {
    let (neg, _, rest) = split_sign(s);
    let m = magnitude(rest)?;
    let limit_pos: u128 = (1u128 << bits) - 1;
    let limit_neg: u128 = 1u128 << (bits - 1);
    if neg {
        if m > limit_neg {
            return Err(NumError::OutOfRange);
        }
        Ok((m as u64).wrapping_neg() & mask(bits))
    } else {
        if m > limit_pos {
            return Err(NumError::OutOfRange);
        }
        Ok(m as u64)
    }
}

#[inline]
fn mask(bits: u32) -> u64 {
    if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// An `f32` literal as bits.
pub fn parse_f32(s: &[u8]) -> R<u32> {
    parse_float(s, 23, 8).map(|b| b as u32)
}

/// An `f64` literal as bits.
pub fn parse_f64(s: &[u8]) -> R<u64> {
    parse_float(s, 52, 11)
}

fn parse_float(s: &[u8], mbits: u32, ebits: u32) -> R<u64> {
    let (neg, _, rest) = split_sign(s);
    let sign = if neg { 1u64 << (mbits + ebits) } else { 0 };
    let exp_ones = ((1u64 << ebits) - 1) << mbits;
    if rest == b"inf" {
        return Ok(sign | exp_ones);
    }
    if rest == b"nan" {
        return Ok(sign | exp_ones | (1u64 << (mbits - 1)));
    }
    if let Some(p) = rest.strip_prefix(b"nan:0x") {
        let payload = digits(p, true)?;
        if payload == 0 || payload >= (1u128 << mbits) {
            return Err(NumError::OutOfRange);
        }
        return Ok(sign | exp_ones | payload as u64);
    }
    let bits = if let Some(h) = rest.strip_prefix(b"0x") {
        hex_float(h, mbits, ebits)?
    } else {
        dec_float(rest, mbits)?
    };
    Ok(sign | bits)
}

/// Splits `int[.frac][e|p exp]` into its parts, checking each digit group.
fn parts(s: &[u8], hex: bool) -> R<(&[u8], &[u8], i64)> {
    let exp_chars: &[u8] = if hex { b"pP" } else { b"eE" };
    let (mant, exp) = match s.iter().position(|c| exp_chars.contains(c)) {
        Some(p) => (&s[..p], Some(&s[p + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mant.iter().position(|&c| c == b'.') {
        Some(p) => (&mant[..p], &mant[p + 1..]),
        None => (mant, &[][..]),
    };
    digits(int, hex)?;
    if !frac.is_empty() {
        digits(frac, hex)?;
    }
    let e = match exp {
        None => 0,
        Some(e) => {
            let (eneg, _, ed) = split_sign(e);
            let v = digits(ed, false)?;
            let v = v.min(1 << 40) as i64;
            if eneg {
                -v
            } else {
                v
            }
        }
    };
    Ok((int, frac, e))
}

fn dec_float(s: &[u8], mbits: u32) -> R<u64> {
    let (int, frac, e) = parts(s, false)?;
    let mut text = String::with_capacity(s.len() + 8);
    text.extend(int.iter().filter(|&&c| c != b'_').map(|&c| c as char));
    text.push('.');
    if frac.is_empty() {
        text.push('0');
    }
    text.extend(frac.iter().filter(|&&c| c != b'_').map(|&c| c as char));
    text.push('e');
    text.push_str(&e.to_string());
    if mbits == 23 {
        let v: f32 = text.parse().map_err(|_| NumError::Malformed)?;
        if v.is_infinite() {
            return Err(NumError::OutOfRange);
        }
        Ok(v.to_bits() as u64)
    } else {
        let v: f64 = text.parse().map_err(|_| NumError::Malformed)?;
        if v.is_infinite() {
            return Err(NumError::OutOfRange);
        }
        Ok(v.to_bits())
    }
}

fn hex_float(s: &[u8], mbits: u32, ebits: u32) -> R<u64> {
    let (int, frac, e) = parts(s, true)?;
    // Keep up to 60 significant bits exactly; the rest only matters as a sticky bit.
    let mut m: u64 = 0;
    let mut exp: i64 = e;
    let mut sticky = false;
    for (is_frac, group) in [(false, int), (true, frac)] {
        for &c in group {
            let Some(d) = digit(c, true) else { continue };
            if m < (1u64 << 60) {
                m = m * 16 + d as u64;
                if is_frac {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !is_frac {
                    exp += 4;
                }
            }
        }
    }
    if m == 0 {
        return Ok(0);
    }
    let lz = m.leading_zeros();
    m <<= lz;
    exp -= lz as i64;
    // Value = m * 2^exp with m in [2^63, 2^64): unbiased exponent of the leading bit.
    let e_lead = exp + 63;
    let bias = (1i64 << (ebits - 1)) - 1;
    if e_lead > bias + 1 {
        return Err(NumError::OutOfRange);
    }
    let min_normal = 1 - bias;
    let m128 = (m as u128) << 64 | sticky as u128;
    // Number of low bits of m128 to drop so the result has `mbits` fraction bits.
    let shift: i64 = if e_lead >= min_normal {
        64 + 63 - mbits as i64
    } else {
        64 + 63 - mbits as i64 + (min_normal - e_lead)
    };
    if shift > 128 {
        // Below half the smallest subnormal: rounds to zero.
        return Ok(0);
    }
    let mut mant: u128 = if shift == 128 { 0 } else { m128 >> shift };
    let rem: u128 = if shift == 128 {
        m128
    } else {
        m128 & ((1u128 << shift) - 1)
    };
    let half: u128 = 1u128 << (shift - 1);
    if rem > half || (rem == half && mant & 1 == 1) {
        mant += 1;
    }
    let bits = if e_lead >= min_normal {
        let mut biased = (e_lead + bias) as u64;
        if mant >> (mbits + 1) != 0 {
            mant >>= 1;
            biased += 1;
        }
        if biased >= (1u64 << ebits) - 1 {
            return Err(NumError::OutOfRange);
        }
        (biased << mbits) | (mant as u64 & ((1u64 << mbits) - 1))
    } else {
        // Subnormal; a carry into bit `mbits` correctly yields the smallest normal.
        mant as u64
    };
    Ok(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(parse_int(b"-1", 32), Ok(0xffff_ffff));
        assert_eq!(parse_int(b"0xffff_ffff", 32), Ok(0xffff_ffff));
        assert_eq!(parse_int(b"-0x8000_0000", 32), Ok(0x8000_0000));
        assert_eq!(parse_int(b"0x1_0000_0000", 32), Err(NumError::OutOfRange));
        assert_eq!(parse_int(b"-0x8000_0001", 32), Err(NumError::OutOfRange));
        assert_eq!(parse_int(b"18446744073709551615", 64), Ok(u64::MAX));
        assert_eq!(parse_int(b"1__0", 32), Err(NumError::Malformed));
        assert_eq!(parse_int(b"_1", 32), Err(NumError::Malformed));
        assert_eq!(parse_u32(b"+1"), Err(NumError::Malformed));
    }

    #[test]
    fn floats() {
        let f = |s: &str| parse_f32(s.as_bytes()).map(f32::from_bits);
        let d = |s: &str| parse_f64(s.as_bytes()).map(f64::from_bits);
        assert_eq!(f("1.5"), Ok(1.5));
        assert_eq!(f("0x1p-1"), Ok(0.5));
        assert_eq!(f("-0x1.8p1"), Ok(-3.0));
        assert_eq!(d("0x1.fffffffffffffp1023"), Ok(f64::MAX));
        assert_eq!(d("0x1p-1074"), Ok(f64::from_bits(1)));
        assert_eq!(d("0x1p-1075"), Ok(0.0));
        assert_eq!(d("0x1.8p-1075"), Ok(f64::from_bits(1)));
        assert_eq!(f("0x1p128"), Err(NumError::OutOfRange));
        assert_eq!(f("0x1.ffffffp127"), Err(NumError::OutOfRange));
        assert_eq!(f("1e39"), Err(NumError::OutOfRange));
        assert_eq!(parse_f32(b"nan:0x200000"), Ok(0x7fa0_0000));
        assert_eq!(parse_f32(b"-nan"), Ok(0xffc0_0000));
        assert_eq!(parse_f32(b"nan:0x0"), Err(NumError::OutOfRange));
        assert_eq!(parse_f32(b"inf"), Ok(0x7f80_0000));
        assert_eq!(f("1_000.000_1"), Ok(1000.0001));
        assert_eq!(f("1."), Ok(1.0));
        assert!(f("1.e").is_err());
        assert!(f(".5").is_err());
        assert_eq!(
            f("0x1.00000100000000000p-50"),
            Ok(f32::from_bits(0x26800000))
        );
        assert_eq!(
            f("0x1.000001000000000001p-50"),
            Ok(f32::from_bits(0x26800001))
        );
        assert_eq!(f("0x0.00000100000000000p-126"), Ok(0.0));
    }
}

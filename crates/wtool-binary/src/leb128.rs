//! LEB128 integers as the binary format defines them.
//!
//! Readers follow the spec's rules exactly: an N-bit integer takes at most
//! ceil(N/7) bytes ("integer representation too long" otherwise), and the
//! unused high bits of the last byte must be zero for unsigned values or a
//! sign extension for signed ones ("integer too large" otherwise). Readers
//! take the whole input and an absolute position so errors carry file offsets.

/// Why an LEB128 read failed, and at which absolute offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LebError {
    /// The input ended inside the number.
    Eof(usize),
    /// Bits beyond the type's width were set.
    TooLarge(usize),
    /// More bytes than the type allows.
    TooLong(usize),
}

/// Reads an unsigned integer of `bits` bits (at most 64) at `*pos` in `buf`.
#[inline]
fn read_unsigned(buf: &[u8], pos: &mut usize, bits: u32) -> Result<u64, LebError> {
    let mut result = 0u64;
    let mut shift = 0u32;
    // Bits of the value still allowed, as in the spec's `vuN n`.
    let mut left = bits as i32;
    loop {
        if left <= 0 {
            return Err(LebError::TooLong(*pos));
        }
        let Some(&b) = buf.get(*pos) else {
            return Err(LebError::Eof(*pos));
        };
        if left < 7 && u32::from(b & 0x7f) >= (1u32 << left) {
            return Err(LebError::TooLarge(*pos));
        }
        *pos += 1;
        result |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(result);
        }
        shift += 7;
        left -= 7;
    }
}

/// Reads a signed integer of `bits` bits (at most 64) at `*pos` in `buf`.
#[inline]
fn read_signed(buf: &[u8], pos: &mut usize, bits: u32) -> Result<i64, LebError> {
    let mut result = 0i64;
    let mut shift = 0u32;
    let mut left = bits as i32;
    loop {
        if left <= 0 {
            return Err(LebError::TooLong(*pos));
        }
        let Some(&b) = buf.get(*pos) else {
            return Err(LebError::Eof(*pos));
        };
        if left < 7 {
            // The unused bits of the last byte, sign bit included, must all equal the sign.
            let mask = ((-1i32 << (left - 1)) & 0x7f) as u8;
            let high = b & mask;
            if high != 0 && high != mask {
                return Err(LebError::TooLarge(*pos));
            }
        }
        *pos += 1;
        result |= i64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            if shift < 64 && b & 0x40 != 0 {
                result |= -1i64 << shift;
            }
            return Ok(result);
        }
        left -= 7;
    }
}

/// Reads a `u32`.
#[inline]
pub fn read_u32(buf: &[u8], pos: &mut usize) -> Result<u32, LebError> {
    if let Some(&b) = buf.get(*pos) {
        if b < 0x80 {
            *pos += 1;
            return Ok(u32::from(b));
        }
    }
    read_unsigned(buf, pos, 32).map(|v| v as u32)
}

/// Reads a `u64`.
#[inline]
pub fn read_u64(buf: &[u8], pos: &mut usize) -> Result<u64, LebError> {
    read_unsigned(buf, pos, 64)
}

/// Reads an `s32`.
#[inline]
pub fn read_s32(buf: &[u8], pos: &mut usize) -> Result<i32, LebError> {
    if let Some(&b) = buf.get(*pos) {
        if b < 0x80 {
            *pos += 1;
            return Ok(((b << 1) as i8 >> 1) as i32);
        }
    }
    read_signed(buf, pos, 32).map(|v| v as i32)
}

/// Reads an `s33` (block types, heap types).
#[inline]
pub fn read_s33(buf: &[u8], pos: &mut usize) -> Result<i64, LebError> {
    read_signed(buf, pos, 33)
}

/// Reads an `s64`.
#[inline]
pub fn read_s64(buf: &[u8], pos: &mut usize) -> Result<i64, LebError> {
    if let Some(&b) = buf.get(*pos) {
        if b < 0x80 {
            *pos += 1;
            return Ok(((b << 1) as i8 >> 1) as i64);
        }
    }
    read_signed(buf, pos, 64)
}

/// Appends `v` as an unsigned LEB128 in the fewest bytes.
#[inline]
pub fn write_u64(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Appends `v` as an unsigned LEB128 in the fewest bytes.
#[inline]
pub fn write_u32(out: &mut Vec<u8>, v: u32) {
    if v < 0x80 {
        out.push(v as u8);
    } else {
        write_u64(out, u64::from(v));
    }
}

/// Appends `v` as a signed LEB128 in the fewest bytes (any of s32, s33, s64).
#[inline]
pub fn write_s64(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0);
        if done {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Appends `v` as a signed LEB128 in the fewest bytes.
#[inline]
pub fn write_s32(out: &mut Vec<u8>, v: i32) {
    write_s64(out, i64::from(v));
}

/// Number of bytes `write_u32(v)` produces.
pub fn u32_len(v: u32) -> usize {
    match v {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        0x4000..=0x1f_ffff => 3,
        0x20_0000..=0x0fff_ffff => 4,
        _ => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32s(b: &[u8]) -> Result<u32, LebError> {
        let mut p = 0;
        let v = read_u32(b, &mut p)?;
        assert_eq!(p, b.len(), "consumed all of {b:02x?}");
        Ok(v)
    }
    fn s32s(b: &[u8]) -> Result<i32, LebError> {
        let mut p = 0;
        let v = read_s32(b, &mut p)?;
        assert_eq!(p, b.len());
        Ok(v)
    }
    fn s33s(b: &[u8]) -> Result<i64, LebError> {
        let mut p = 0;
        read_s33(b, &mut p)
    }
    fn s64s(b: &[u8]) -> Result<i64, LebError> {
        let mut p = 0;
        let v = read_s64(b, &mut p)?;
        assert_eq!(p, b.len());
        Ok(v)
    }
    fn u64s(b: &[u8]) -> Result<u64, LebError> {
        let mut p = 0;
        read_u64(b, &mut p)
    }

    #[test]
    fn unsigned_32() {
        assert_eq!(u32s(&[0]), Ok(0));
        assert_eq!(u32s(&[0x7f]), Ok(127));
        assert_eq!(u32s(&[0x80, 0x01]), Ok(128));
        assert_eq!(
            u32s(&[0x80, 0x00]),
            Ok(0),
            "padding is allowed within the limit"
        );
        assert_eq!(u32s(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Ok(u32::MAX));
        assert_eq!(u32s(&[0x80, 0x80, 0x80, 0x80, 0x00]), Ok(0));
        // Fifth byte may only carry 4 value bits.
        assert_eq!(
            u32s(&[0xff, 0xff, 0xff, 0xff, 0x1f]),
            Err(LebError::TooLarge(4))
        );
        assert_eq!(
            u32s(&[0x80, 0x80, 0x80, 0x80, 0x70]),
            Err(LebError::TooLarge(4))
        );
        // A continuation bit on the fifth byte means a sixth byte: too long.
        assert_eq!(
            u32s(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
            Err(LebError::TooLong(5))
        );
        assert_eq!(u32s(&[0x80]), Err(LebError::Eof(1)));
        assert_eq!(u32s(&[]), Err(LebError::Eof(0)));
    }

    #[test]
    fn unsigned_64() {
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(u64s(&max), Ok(u64::MAX));
        let mut big = max;
        big[9] = 0x02;
        assert_eq!(u64s(&big), Err(LebError::TooLarge(9)));
        let mut long = max;
        long[9] = 0x81;
        assert_eq!(
            u64s(&[long.as_slice(), &[0]].concat()),
            Err(LebError::TooLong(10))
        );
    }

    #[test]
    fn signed_32() {
        assert_eq!(s32s(&[0x7f]), Ok(-1));
        assert_eq!(s32s(&[0x3f]), Ok(63));
        assert_eq!(s32s(&[0x40]), Ok(-64));
        assert_eq!(s32s(&[0xc0, 0xbb, 0x78]), Ok(-123456));
        assert_eq!(s32s(&[0xff, 0xff, 0xff, 0xff, 0x07]), Ok(i32::MAX));
        assert_eq!(s32s(&[0x80, 0x80, 0x80, 0x80, 0x78]), Ok(i32::MIN));
        assert_eq!(
            s32s(&[0xff, 0xff, 0xff, 0xff, 0x7f]),
            Ok(-1),
            "sign-extended padding"
        );
        // Unused bits must match the sign.
        assert_eq!(
            s32s(&[0xff, 0xff, 0xff, 0xff, 0x0f]),
            Err(LebError::TooLarge(4))
        );
        assert_eq!(
            s32s(&[0x80, 0x80, 0x80, 0x80, 0x70]),
            Err(LebError::TooLarge(4))
        );
        assert_eq!(
            s32s(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
            Err(LebError::TooLong(5))
        );
    }

    #[test]
    fn signed_33_and_64() {
        assert_eq!(s33s(&[0x80, 0x80, 0x80, 0x80, 0x0f]), Ok(0xf000_0000));
        assert_eq!(s33s(&[0x80, 0x80, 0x80, 0x80, 0x70]), Ok(-(1 << 32)));
        assert_eq!(
            s33s(&[0x80, 0x80, 0x80, 0x80, 0x10]),
            Err(LebError::TooLarge(4))
        );
        assert_eq!(s33s(&[0x40]), Ok(-64));
        let min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
        assert_eq!(s64s(&min), Ok(i64::MIN));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
        assert_eq!(s64s(&max), Ok(i64::MAX));
        let mut bad = max;
        bad[9] = 0x01;
        assert_eq!(s64s(&bad), Err(LebError::TooLarge(9)));
        let mut bad = min;
        bad[9] = 0x7e;
        assert_eq!(s64s(&bad), Err(LebError::TooLarge(9)));
    }

    #[test]
    fn writers_are_minimal_and_round_trip() {
        let u = [
            0u64,
            1,
            63,
            64,
            127,
            128,
            16383,
            16384,
            u32::MAX as u64,
            u64::MAX,
        ];
        for &v in &u {
            let mut out = Vec::new();
            write_u64(&mut out, v);
            assert_eq!(u64s(&out), Ok(v));
            if v <= u32::MAX as u64 {
                let mut o2 = Vec::new();
                write_u32(&mut o2, v as u32);
                assert_eq!(o2, out);
                assert_eq!(u32_len(v as u32), out.len());
            }
        }
        let s = [
            0i64,
            1,
            -1,
            63,
            64,
            -64,
            -65,
            i32::MAX as i64,
            i32::MIN as i64,
            i64::MAX,
            i64::MIN,
        ];
        for &v in &s {
            let mut out = Vec::new();
            write_s64(&mut out, v);
            assert_eq!(s64s(&out), Ok(v));
            // Minimal: dropping the last byte's role would change the value.
            if out.len() > 1 {
                let last = out[out.len() - 1];
                assert!(last != 0 && last != 0x7f || out[out.len() - 2] & 0x40 != last & 0x40);
            }
        }
        let mut out = Vec::new();
        write_s64(&mut out, -64);
        assert_eq!(out, [0x40]);
        out.clear();
        write_s64(&mut out, 64);
        assert_eq!(out, [0xc0, 0x00]);
    }
}

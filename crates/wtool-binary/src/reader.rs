//! A bounds-checked, zero-copy cursor over the input.
//!
//! Positions are absolute offsets into the whole input, so every error and
//! every recorded instruction offset is a file offset. A reader for a section
//! or function body shares the input and only has a smaller end.

use crate::error::{DecodeError, ErrorKind, Result, Truncation};
use crate::leb128::{self, LebError};

/// A cursor over `input[pos..end]`.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    /// The input up to this reader's end; indexing with absolute positions.
    data: &'a [u8],
    /// The whole input. Integers that run past a section's end are read on
    /// into it, so that "too long"/"too large" win over "unexpected end" as
    /// in the reference interpreter, which does not bound reads by sections.
    full: &'a [u8],
    pos: usize,
    /// Inside a section or body: running out is "unexpected end of section or function".
    bounded: bool,
}

impl<'a> Reader<'a> {
    /// A reader over the whole input.
    pub fn new(input: &'a [u8]) -> Self {
        Reader {
            data: input,
            full: input,
            pos: 0,
            bounded: false,
        }
    }

    /// A bounded reader over `input[start..end]` (a function body), with
    /// `input` as the whole input. Out-of-range bounds give an empty reader.
    pub(crate) fn bounded(input: &'a [u8], start: usize, end: usize) -> Self {
        let end = end.min(input.len());
        Reader {
            data: input.get(..end).unwrap_or(&[]),
            full: input,
            pos: start.min(end),
            bounded: true,
        }
    }

    /// Current absolute offset.
    #[inline]
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Absolute offset where this reader ends.
    #[inline]
    pub fn end(&self) -> usize {
        self.data.len()
    }

    /// Bytes left before the end.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// True when nothing is left.
    #[inline]
    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The error for running out of bytes at `offset`.
    #[cold]
    pub fn eof(&self, offset: usize) -> DecodeError {
        let kind = if self.bounded {
            ErrorKind::UnexpectedEndOfSection
        } else {
            ErrorKind::UnexpectedEnd
        };
        DecodeError::new(offset.min(self.data.len()), kind)
    }

    /// An error of `kind` at `offset`.
    #[cold]
    pub fn err(&self, offset: usize, kind: ErrorKind) -> DecodeError {
        DecodeError::new(offset, kind)
    }

    #[cold]
    fn leb_err(&self, e: LebError) -> DecodeError {
        match e {
            LebError::Eof(o) => self.eof(o),
            LebError::TooLarge(o) => DecodeError::new(o, ErrorKind::IntegerTooLarge),
            LebError::TooLong(o) => DecodeError::new(o, ErrorKind::IntegerTooLong),
        }
    }

    /// The next byte, without consuming it.
    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Reads one byte, or `None` at the end (for callers with their own end error).
    #[inline]
    pub fn next_byte(&mut self) -> Option<u8> {
        let b = self.data.get(self.pos).copied();
        self.pos += usize::from(b.is_some());
        b
    }

    /// Reads one byte.
    #[inline]
    pub fn u8(&mut self) -> Result<u8> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof(self.pos)),
        }
    }

    /// Reads `n` raw bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let start = self.pos;
        match start.checked_add(n).and_then(|e| self.data.get(start..e)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(self.short(n)),
        }
    }

    /// The error for `n` bytes wanted where fewer remain: running out, with
    /// how many there were.
    #[cold]
    fn short(&self, n: usize) -> DecodeError {
        self.eof(self.data.len()).with_truncation(Truncation {
            declared: n as u64,
            available: self.remaining() as u64,
        })
    }

    /// Reads a fixed-size array (float constants, v128 immediates).
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let s = self.bytes(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    /// Reads an LEB128 with `f`, letting a malformed integer that crosses
    /// this reader's end be reported as malformed rather than truncated.
    #[inline(never)]
    fn leb<T>(&mut self, f: fn(&[u8], &mut usize) -> Result<T, LebError>) -> Result<T> {
        let mut p = self.pos;
        match f(self.full, &mut p) {
            Ok(v) if p <= self.data.len() => {
                self.pos = p;
                Ok(v)
            }
            Ok(_) => Err(self.eof(self.data.len())),
            Err(LebError::Eof(o)) => Err(self.eof(o)),
            Err(e) => Err(self.leb_err(e)),
        }
    }

    /// Reads an LEB128 `u32`.
    #[inline(always)]
    pub fn u32(&mut self) -> Result<u32> {
        if let Some(&b) = self.data.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(u32::from(b));
            }
        }
        self.u32_multi()
    }

    /// A `u32` of more than one byte (or none).
    #[inline(never)]
    fn u32_multi(&mut self) -> Result<u32> {
        // Two bytes (indices and offsets up to 16383) cannot be malformed,
        // so they skip the general reader.
        if let (Some(&b), Some(&c)) = (self.data.get(self.pos), self.data.get(self.pos + 1)) {
            if b >= 0x80 && c < 0x80 {
                self.pos += 2;
                return Ok(u32::from(b & 0x7f) | u32::from(c) << 7);
            }
        }
        self.leb(leb128::read_u32)
    }

    /// Reads an LEB128 `u64`.
    #[inline]
    pub fn u64(&mut self) -> Result<u64> {
        self.leb(leb128::read_u64)
    }

    /// Reads an LEB128 `s32`.
    #[inline(always)]
    pub fn s32(&mut self) -> Result<i32> {
        if let Some(&b) = self.data.get(self.pos) {
            if b < 0x40 {
                self.pos += 1;
                return Ok(i32::from(b));
            }
        }
        self.s32_multi()
    }

    /// An `s32` other than a small non-negative one.
    #[inline(never)]
    fn s32_multi(&mut self) -> Result<i32> {
        if let (Some(&b), Some(&c)) = (self.data.get(self.pos), self.data.get(self.pos + 1)) {
            if b >= 0x80 && c < 0x80 {
                self.pos += 2;
                // 14 bits, sign-extended from bit 13.
                let v = i32::from(b & 0x7f) | i32::from(c) << 7;
                return Ok(v << 18 >> 18);
            }
        }
        self.leb(leb128::read_s32)
    }

    /// Reads an LEB128 `s33`.
    #[inline]
    pub fn s33(&mut self) -> Result<i64> {
        self.leb(leb128::read_s33)
    }

    /// Reads an LEB128 `s64`.
    #[inline]
    pub fn s64(&mut self) -> Result<i64> {
        if let Some(&b) = self.data.get(self.pos) {
            if b < 0x40 {
                self.pos += 1;
                return Ok(i64::from(b));
            }
        }
        self.leb(leb128::read_s64)
    }

    /// Reads an unsigned integer of `bits` < 7 bits (2.0 limits flags): a
    /// single byte whose high bits and continuation bit must be clear.
    pub fn small_uint(&mut self, bits: u32) -> Result<u8> {
        let at = self.pos;
        let b = self.u8()?;
        if u32::from(b & 0x7f) >= 1 << bits {
            return Err(DecodeError::new(at, ErrorKind::IntegerTooLarge));
        }
        if b & 0x80 != 0 {
            return Err(DecodeError::new(at + 1, ErrorKind::IntegerTooLong));
        }
        Ok(b)
    }

    /// Reads a byte length and checks it against the rest of the input
    /// ("length out of bounds"); running past this reader's end is "unexpected end".
    pub fn len32(&mut self) -> Result<usize> {
        let at = self.pos;
        let n = self.u32()? as usize;
        if n > self.full.len() - self.pos {
            return Err(
                DecodeError::new(at, ErrorKind::LengthOutOfBounds).with_truncation(Truncation {
                    declared: n as u64,
                    available: (self.full.len() - self.pos) as u64,
                }),
            );
        }
        if n > self.remaining() {
            return Err(self.short(n));
        }
        Ok(n)
    }

    /// Reads a vector count. Elements take at least one byte each, so the
    /// returned capacity hint never exceeds what the remaining bytes can back.
    #[inline]
    pub fn count(&mut self) -> Result<(u32, usize)> {
        let n = self.u32()?;
        Ok((n, (n as usize).min(self.remaining())))
    }

    /// Reads a length-prefixed UTF-8 name.
    pub fn name(&mut self) -> Result<&'a str> {
        if self.at_end() {
            return Err(self.name_past_end());
        }
        let n = self.len32()?;
        let at = self.pos;
        let b = self.bytes(n)?;
        std::str::from_utf8(b)
            .map_err(|e| DecodeError::new(at + e.valid_up_to(), ErrorKind::MalformedUtf8))
    }

    /// The error for a name whose length field lies past this reader's end.
    /// The reference interpreter reads the length from whatever follows, so a
    /// length the rest of the input cannot hold is "length out of bounds".
    #[cold]
    fn name_past_end(&self) -> DecodeError {
        let mut p = self.pos;
        match leb128::read_u32(self.full, &mut p) {
            Ok(n) if n as usize > self.full.len() - p => {
                DecodeError::new(self.pos, ErrorKind::LengthOutOfBounds)
            }
            _ => self.eof(self.pos),
        }
    }

    /// Splits off the next `len` bytes as a bounded reader and skips them here.
    pub fn sub(&mut self, len: usize) -> Result<Reader<'a>> {
        let start = self.pos;
        let end = start.checked_add(len).filter(|&e| e <= self.data.len());
        let Some(end) = end else {
            return Err(DecodeError::new(start, ErrorKind::LengthOutOfBounds));
        };
        self.pos = end;
        Ok(Reader {
            data: &self.data[..end],
            full: self.full,
            pos: start,
            bounded: true,
        })
    }

    /// The bytes from `start` to the current position.
    pub fn since(&self, start: usize) -> &'a [u8] {
        self.data.get(start..self.pos).unwrap_or(&[])
    }

    /// The byte just after this reader's end in the whole input, if any.
    pub fn byte_after_end(&self) -> Option<u8> {
        self.full.get(self.data.len()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one- and two-byte fast paths agree with the general LEB128
    /// readers on every two-byte input (value, length and error).
    #[test]
    fn fast_paths_match_general_readers() {
        for b in 0..=255u8 {
            for c in 0..=255u8 {
                let input = [b, c];
                let mut r = Reader::new(&input);
                let mut p = 0;
                let want = leb128::read_u32(&input, &mut p).ok().map(|v| (v, p));
                assert_eq!(r.u32().ok().map(|v| (v, r.pos())), want, "{input:02x?}");
                let mut r = Reader::new(&input);
                let mut p = 0;
                let want = leb128::read_s32(&input, &mut p).ok().map(|v| (v, p));
                assert_eq!(r.s32().ok().map(|v| (v, r.pos())), want, "{input:02x?}");
            }
        }
    }
}

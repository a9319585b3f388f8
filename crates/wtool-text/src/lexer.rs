//! The lexer: source bytes to a flat vector of classified byte ranges.
//!
//! Comments and annotations other than `(@custom …)` and `(@producers …)` are
//! dropped here, so the parser only sees tokens it may have to interpret;
//! `(@name "…")` is kept aside, keyed by the position of the next token. Every string literal is
//! checked (escapes, control characters) once; the parser decodes it on demand.

use crate::error::{Result, TextError, TextErrorKind};

/// The class of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// Starts with a lower-case letter: `module`, `i32.add`, `offset=4`, `inf`, `nan:0x1`.
    Keyword,
    /// `$name`
    Id,
    /// `$"name"`: an identifier spelled as a string.
    QuotedId,
    /// Starts with a digit or a sign: integers and floats, checked when interpreted.
    Num,
    /// `"…"`
    Str,
    /// `(@custom` or `(@producers`: a custom-section annotation (the `(` included).
    Annot,
    /// Any other run of characters.
    Reserved,
}

/// One token: its class and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// The class.
    pub kind: Kind,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// The lexer's output.
#[derive(Debug, Default)]
pub struct Lexed {
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// Offset of the innermost `(` still open at the end of input, if any.
    pub unclosed: Option<u32>,
    /// `(@name "…")` annotations: (index of the token that follows, the string token).
    pub names: Vec<(u32, Token)>,
    /// `(@metadata.code.branch_hint …)` annotations: (index of the token
    /// that follows, offset of the annotation).
    pub hints: Vec<(u32, u32)>,
}

/// True for the characters the text format allows in keywords, ids and numbers.
#[inline]
pub fn is_idchar(b: u8) -> bool {
    matches!(b,
        b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z'
        | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'/'
        | b':' | b'<' | b'=' | b'>' | b'?' | b'@' | b'\\' | b'^' | b'_' | b'`' | b'|' | b'~')
}

/// Splits `src` into tokens. The source must be valid UTF-8 (callers check).
pub fn lex(src: &[u8]) -> Result<Lexed> {
    if src.len() >= u32::MAX as usize {
        return Err(TextError::new(
            TextErrorKind::Other("input larger than 4 GiB".into()),
            0,
            0,
        ));
    }
    let mut tokens = Vec::with_capacity(src.len() / 5);
    let mut names = Vec::new();
    let mut hints = Vec::new();
    // Offsets of the open parens, so the end-of-input error can point at one.
    let mut open: Vec<u32> = Vec::new();
    // Depth inside an ignored annotation: tokens there are lexed (so strings
    // and comments are honoured) but dropped.
    let mut skip = 0usize;
    let mut i = 0usize;
    let n = src.len();
    while i < n {
        let b = src[i];
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b';' if src.get(i + 1) == Some(&b';') => {
                while i < n && src[i] != b'\n' && src[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'(' if src.get(i + 1) == Some(&b';') => {
                i = block_comment(src, i)?;
                continue;
            }
            b'(' if src.get(i + 1) == Some(&b'@') => {
                let mut j = i + 2;
                let name_start = j;
                if src.get(j) == Some(&b'"') {
                    j = string_end(src, j)?;
                    // A string id must be non-empty UTF-8 once unescaped.
                    let id = unescape(&src[name_start..j]);
                    if id.is_empty() {
                        return Err(TextError::new(
                            TextErrorKind::Other("empty annotation id".into()),
                            i,
                            2,
                        ));
                    }
                    if std::str::from_utf8(&id).is_err() {
                        return Err(TextError::new(TextErrorKind::MalformedUtf8, name_start, 1));
                    }
                } else {
                    while j < n && is_idchar(src[j]) {
                        j += 1;
                    }
                }
                // Inside an annotation's contents anything balanced goes,
                // `(@)` included.
                if j == name_start && skip == 0 {
                    return Err(TextError::new(
                        TextErrorKind::Other("empty annotation id".into()),
                        i,
                        2,
                    ));
                }
                let id = &src[name_start..j];
                if skip == 0 && id == b"name" {
                    if let Some((tok, end)) = name_annotation(src, j)? {
                        names.push((tokens.len() as u32, tok));
                        i = end;
                        continue;
                    }
                }
                if skip == 0 && id == b"metadata.code.branch_hint" {
                    hints.push((tokens.len() as u32, i as u32));
                }
                open.push(i as u32);
                i = j;
                if skip > 0 || (id != b"custom" && id != b"producers") {
                    skip += 1;
                    continue;
                }
                Kind::Annot
            }
            b'(' => {
                open.push(i as u32);
                i += 1;
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                Kind::LParen
            }
            b')' => {
                open.pop();
                i += 1;
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                Kind::RParen
            }
            b'"' => {
                i = string_end(src, i)?;
                if i < n && (is_idchar(src[i]) || src[i] == b'"') {
                    i = reserved_end(src, i)?;
                    Kind::Reserved
                } else {
                    Kind::Str
                }
            }
            b'$' if src.get(i + 1) == Some(&b'"') => {
                i = string_end(src, i + 1)?;
                if i < n && (is_idchar(src[i]) || src[i] == b'"') {
                    i = reserved_end(src, i)?;
                    Kind::Reserved
                } else {
                    Kind::QuotedId
                }
            }
            _ if is_idchar(b) => {
                while i < n && is_idchar(src[i]) {
                    i += 1;
                }
                if i < n && src[i] == b'"' {
                    i = reserved_end(src, i)?;
                    Kind::Reserved
                } else {
                    classify(&src[start..i])
                }
            }
            // Outside strings and comments only printable ASCII and
            // whitespace may appear, inside annotations too.
            _ if !(0x20..0x7f).contains(&b) => {
                return Err(TextError::new(TextErrorKind::IllegalCharacter, i, 1));
            }
            _ => {
                i = reserved_end(src, i + 1)?;
                Kind::Reserved
            }
        };
        if skip == 0 {
            tokens.push(Token {
                kind,
                start: start as u32,
                end: i as u32,
            });
        }
    }
    if skip > 0 {
        let at = open.last().copied().unwrap_or(0) as usize;
        return Err(TextError::new(TextErrorKind::UnclosedAnnotation, at, 2));
    }
    Ok(Lexed {
        tokens,
        unclosed: open.last().copied(),
        names,
        hints,
    })
}

/// `"…")` after `(@name`: the string token and the offset after the `)`.
fn name_annotation(src: &[u8], j: usize) -> Result<Option<(Token, usize)>> {
    let ws = |mut j: usize| {
        while j < src.len() && matches!(src[j], b' ' | b'\t' | b'\n' | b'\r') {
            j += 1;
        }
        j
    };
    let j = ws(j);
    if src.get(j) != Some(&b'"') {
        return Ok(None);
    }
    let end = string_end(src, j)?;
    let tok = Token {
        kind: Kind::Str,
        start: j as u32,
        end: end as u32,
    };
    let k = ws(end);
    if src.get(k) != Some(&b')') {
        return Ok(None);
    }
    Ok(Some((tok, k + 1)))
}

fn classify(t: &[u8]) -> Kind {
    match t[0] {
        b'$' if t.len() > 1 => Kind::Id,
        b'a'..=b'z' => Kind::Keyword,
        b'0'..=b'9' => Kind::Num,
        b'+' | b'-' if t.len() > 1 => Kind::Num,
        _ => Kind::Reserved,
    }
}

/// End of a run of characters that form no valid token (idchars, strings and stray symbols).
fn reserved_end(src: &[u8], mut i: usize) -> Result<usize> {
    while i < src.len() {
        match src[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b'(' | b')' => break,
            b';' if src.get(i + 1) == Some(&b';') => break,
            b'"' => i = string_end(src, i)?,
            _ => i += 1,
        }
    }
    Ok(i)
}

/// Skips a (nested) block comment starting at `(;`; returns the offset after it.
fn block_comment(src: &[u8], start: usize) -> Result<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < src.len() {
        if src[i] == b'(' && src[i + 1] == b';' {
            depth += 1;
            i += 2;
        } else if src[i] == b';' && src[i + 1] == b')' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Ok(i);
            }
        } else {
            i += 1;
        }
    }
    Err(TextError::new(TextErrorKind::UnclosedComment, start, 2))
}

/// Checks a string literal starting at the `"` at `start`; returns the offset after its closing quote.
fn string_end(src: &[u8], start: usize) -> Result<usize> {
    let mut i = start + 1;
    let bad = |why: &str, at: usize| {
        Err(TextError::new(
            TextErrorKind::MalformedString(why.into()),
            at,
            1,
        ))
    };
    loop {
        let Some(&b) = src.get(i) else {
            return Err(TextError::new(TextErrorKind::UnclosedString, start, 1));
        };
        match b {
            b'"' => return Ok(i + 1),
            b'\\' => {
                let Some(&e) = src.get(i + 1) else {
                    return Err(TextError::new(TextErrorKind::UnclosedString, start, 1));
                };
                match e {
                    b't' | b'n' | b'r' | b'"' | b'\'' | b'\\' => i += 2,
                    b'u' => {
                        if src.get(i + 2) != Some(&b'{') {
                            return bad("expected `{` after `\\u`", i);
                        }
                        let mut j = i + 3;
                        let mut v: u32 = 0;
                        let mut digits = 0;
                        while let Some(&c) = src.get(j) {
                            if c == b'}' {
                                break;
                            }
                            if c == b'_' && digits > 0 {
                                j += 1;
                                continue;
                            }
                            let Some(d) = hex_val(c) else {
                                return bad("bad hex digit in `\\u{…}`", j);
                            };
                            v = v.saturating_mul(16).saturating_add(d as u32);
                            digits += 1;
                            j += 1;
                        }
                        if src.get(j) != Some(&b'}') || digits == 0 {
                            return bad("malformed `\\u{…}` escape", i);
                        }
                        if char::from_u32(v).is_none() {
                            return bad("`\\u{…}` is not a Unicode scalar value", i);
                        }
                        i = j + 1;
                    }
                    _ => {
                        let h = src.get(i + 2).copied().and_then(hex_val);
                        if hex_val(e).is_none() || h.is_none() {
                            return bad("invalid string escape", i);
                        }
                        i += 3;
                    }
                }
            }
            // A raw newline cannot be inside a string: the string was never closed.
            b'\n' => return Err(TextError::new(TextErrorKind::UnclosedString, start, 1)),
            0..=0x1f | 0x7f => return bad("control character in string", i),
            _ => i += 1,
        }
    }
}

#[inline]
fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes the contents of a string token (quotes included in `raw`) into bytes.
/// The lexer has already checked the escapes.
pub fn unescape(raw: &[u8]) -> Vec<u8> {
    let body = raw.get(1..raw.len().saturating_sub(1)).unwrap_or(&[]);
    if !body.contains(&b'\\') {
        return body.to_vec();
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let e = body.get(i + 1).copied().unwrap_or(b'\\');
        match e {
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'"' | b'\'' | b'\\' => out.push(e),
            b'u' => {
                let mut j = i + 3;
                let mut v: u32 = 0;
                while j < body.len() && body[j] != b'}' {
                    if let Some(d) = hex_val(body[j]) {
                        v = v.saturating_mul(16).saturating_add(d as u32);
                    }
                    j += 1;
                }
                let c = char::from_u32(v).unwrap_or('\u{fffd}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i = j + 1;
                continue;
            }
            _ => {
                let hi = hex_val(e).unwrap_or(0);
                let lo = body.get(i + 2).copied().and_then(hex_val).unwrap_or(0);
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        i += 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind> {
        lex(s.as_bytes())
            .unwrap()
            .tokens
            .iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn classifies() {
        use Kind::*;
        assert_eq!(
            kinds("(module $m (; a (; nested ;) ;) ;; line\n i32.add 1 -0x1p3 \"a\\n\" $\"q\" (@x y (z)) (@custom \"c\") {)"),
            vec![LParen, Keyword, Id, Keyword, Num, Num, Str, QuotedId, Annot, Str, RParen, Reserved, RParen]
        );
    }

    #[test]
    fn strings() {
        assert_eq!(
            unescape(br#""a\t\41\u{263a}\\""#),
            "a\tA\u{263a}\\".as_bytes()
        );
        assert!(lex(b"\"\\q\"").is_err());
        assert!(lex(b"\"abc").is_err());
        assert!(lex(b"(; abc").is_err());
        assert!(lex(b"\"\\u{d800}\"").is_err());
        assert_eq!(lex(b"(a (b").unwrap().unclosed, Some(3));
    }
}

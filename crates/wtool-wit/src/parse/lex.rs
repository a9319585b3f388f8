//! The WIT lexer: source text to tokens with byte spans. Comments are kept
//! as tokens because every comment before an item becomes part of its docs
//! (wit-parser keeps `//` and `/* */` comments as docs, not only `///`).

use super::error::{err, Spanned};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A word: an identifier or a keyword (the parser tells them apart).
    Word,
    /// `%name`: an identifier even when it spells a keyword.
    ExplicitId,
    /// A run of decimal digits.
    Integer,
    /// `"…"`.
    Str,
    /// `//…` or `/* … */`.
    Comment,
    /// Spaces, tabs and newlines.
    Whitespace,
    Equals,
    Comma,
    Colon,
    Period,
    Semicolon,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Lt,
    Gt,
    Star,
    At,
    Slash,
    Plus,
    Minus,
    Arrow,
}

/// A token and its byte range in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// Words that are keywords: a plain identifier may not spell one.
pub(crate) const KEYWORDS: &[&str] = &[
    "use",
    "type",
    "func",
    "u8",
    "u16",
    "u32",
    "u64",
    "s8",
    "s16",
    "s32",
    "s64",
    "f32",
    "f64",
    "char",
    "resource",
    "own",
    "borrow",
    "record",
    "flags",
    "variant",
    "enum",
    "bool",
    "string",
    "option",
    "result",
    "future",
    "stream",
    "error-context",
    "list",
    "map",
    "_",
    "as",
    "from",
    "static",
    "interface",
    "tuple",
    "world",
    "import",
    "export",
    "package",
    "constructor",
    "include",
    "with",
    "async",
];

/// Lexes `src` completely, comments and whitespace included.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, Spanned> {
    check_codepoints(src)?;
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = src[i..].chars().next().unwrap();
        let tok = match c {
            ' ' | '\t' | '\n' | '\r' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                Tok::Whitespace
            }
            '/' if bytes.get(i + 1) == Some(&b'/') => {
                i = src[i..].find('\n').map_or(bytes.len(), |p| i + p + 1);
                Tok::Comment
            }
            '/' if bytes.get(i + 1) == Some(&b'*') => {
                // Block comments nest, as in Rust.
                i += 2;
                let mut depth = 1;
                while depth > 0 {
                    if i >= bytes.len() {
                        return err(start, "unterminated block comment");
                    }
                    if bytes[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if bytes[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                Tok::Comment
            }
            '"' => {
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return err(i, "unexpected end of input in string literal"),
                        Some(b'"') => break,
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
                Tok::Str
            }
            '-' if bytes.get(i + 1) == Some(&b'>') => {
                i += 2;
                Tok::Arrow
            }
            '%' => {
                i += 1;
                if src[i..].chars().next().is_some_and(is_word_start) {
                    i = word_end(src, i);
                }
                Tok::ExplicitId
            }
            c if c.is_ascii_digit() => {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                Tok::Integer
            }
            // A `-` outside a word is punctuation (versions: `1.0.0-rc-1`).
            c if is_word_start(c) && c != '-' => {
                i = word_end(src, i);
                Tok::Word
            }
            _ => {
                let t = match c {
                    '=' => Tok::Equals,
                    ',' => Tok::Comma,
                    ':' => Tok::Colon,
                    '.' => Tok::Period,
                    ';' => Tok::Semicolon,
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    '{' => Tok::LBrace,
                    '}' => Tok::RBrace,
                    '<' => Tok::Lt,
                    '>' => Tok::Gt,
                    '*' => Tok::Star,
                    '@' => Tok::At,
                    '/' => Tok::Slash,
                    '+' => Tok::Plus,
                    '-' => Tok::Minus,
                    _ => return err(i, format!("unexpected character {c:?}")),
                };
                i += 1;
                t
            }
        };
        out.push(Token { tok, start, end: i });
    }
    Ok(out)
}

/// Characters that may start a word: letters and `_`/`-`, so that bad
/// identifiers lex as one word and get a precise message from [`validate_id`].
fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '-'
}

fn word_end(src: &str, mut i: usize) -> usize {
    for c in src[i..].chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Rejects control characters and bidirectional overrides anywhere in the
/// file, as wit-parser does (they can hide what the text really says).
fn check_codepoints(src: &str) -> Result<(), Spanned> {
    for (i, c) in src.char_indices() {
        if matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            return err(
                i,
                format!(
                    "Input contains bidirectional override codepoint {:?}",
                    c.escape_unicode().to_string()
                ),
            );
        }
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{7f}' {
            return err(i, format!("Control code '{}'", c.escape_unicode()));
        }
    }
    Ok(())
}

/// Checks the kebab-case rules: `-`-separated parts, each all lowercase or
/// all uppercase letters and digits, the first part starting with a letter.
pub(crate) fn validate_id(start: usize, id: &str) -> Result<(), Spanned> {
    if id.is_empty() {
        return err(start, "identifiers must have characters between '-'s");
    }
    for (idx, part) in id.split('-').enumerate() {
        let Some(first) = part.chars().next() else {
            return err(start, "identifiers must have characters between '-'s");
        };
        if idx == 0 && !first.is_ascii_alphabetic() {
            return err(start, format!("invalid character in identifier {first:?}"));
        }
        let mut upper = None;
        for ch in part.chars() {
            let is_upper = if ch.is_ascii_digit() {
                continue;
            } else if ch.is_ascii_uppercase() {
                true
            } else if ch.is_ascii_lowercase() {
                false
            } else {
                return err(start, format!("invalid character in identifier {ch:?}"));
            };
            if *upper.get_or_insert(is_upper) != is_upper {
                return err(start, format!("invalid character in identifier {ch:?}"));
            }
        }
    }
    Ok(())
}

/// Decodes a string literal's escapes (`\n`, `\u{…}`, …); `text` includes the quotes.
pub(crate) fn string_value(start: usize, text: &str) -> Result<String, Spanned> {
    let body = &text[1..text.len() - 1];
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        let at = start + 1 + i;
        match c {
            '\\' => match chars.next().map(|p| p.1) {
                Some('"') => out.push('"'),
                Some('\'') => out.push('\''),
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('\\') => out.push('\\'),
                Some('u') => {
                    let rest = chars.as_str();
                    let close = rest.find('}');
                    let n = close
                        .filter(|_| rest.starts_with('{'))
                        .and_then(|p| u32::from_str_radix(&rest[1..p], 16).ok())
                        .and_then(char::from_u32);
                    let Some(ch) = n else {
                        return err(at, "invalid unicode escape");
                    };
                    out.push(ch);
                    for _ in 0..=close.unwrap() {
                        chars.next();
                    }
                }
                Some(e) => return err(at, format!("invalid string escape {e:?}")),
                None => return err(at, "invalid string escape"),
            },
            c if (c as u32) < 0x20 => {
                return err(at, format!("invalid string character {c:?}"));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

//! The parser: tokens to a [`wtool_ast::Module`] plus the symbolic references
//! that [`crate::resolve`] turns into indices afterwards.

mod defs;
mod generated;
pub(crate) mod imm;
pub(crate) mod instr;
pub(crate) mod module;
pub(crate) mod num;
mod rules;
mod types;

use std::borrow::Cow;
use std::collections::HashMap;

use wtool_ast::{Features, FuncType};

use crate::error::{line_col, Result, TextError, TextErrorKind};
use crate::lexer::{self, Kind, Token};
use num::NumError;

/// An index as written: a number or a name (without its `$`).
#[derive(Clone, Debug)]
pub(crate) enum Idx<'a> {
    /// A literal index.
    Num(u32),
    /// A symbolic one, with the offset of its token.
    Name(Cow<'a, str>, u32),
}

/// An optional `$id` (without `$`) with its offset, e.g. of a parameter.
pub(crate) type OptId<'a> = Option<(Cow<'a, str>, u32)>;

/// An item's `$id` and the name it gets in the name section (`(@name …)` or the id).
pub(crate) type Named<'a> = (OptId<'a>, Option<String>);

/// The index spaces that names live in at module level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Space {
    Func = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
    Elem = 4,
    Data = 5,
    Type = 6,
    Tag = 7,
}

impl Space {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Space::Func => "func",
            Space::Table => "table",
            Space::Memory => "memory",
            Space::Global => "global",
            Space::Elem => "elem",
            Space::Data => "data",
            Space::Type => "type",
            Space::Tag => "tag",
        }
    }
}

/// A type use as written: `(type x)?` and inline `(param …)* (result …)*`.
#[derive(Clone, Debug)]
pub(crate) struct TypeUse<'a> {
    pub idx: Option<Idx<'a>>,
    /// `None` when no `param`/`result` clause was written.
    pub inline: Option<FuncType>,
    pub offset: u32,
}

/// The token cursor shared by the module, instruction and script parsers.
pub(crate) struct Parser<'a> {
    pub src: &'a str,
    pub toks: Vec<Token>,
    pub pos: usize,
    unclosed: Option<u32>,
    /// The module's type names, collected before its fields are parsed
    /// (see [`Parser::collect_type_names`]): type references may point
    /// forwards, and instructions resolve them as they are parsed.
    pub type_names: HashMap<Cow<'a, str>, u32>,
    /// Memarg offsets may exceed `u32`: memory64 is on, or a 64-bit memory
    /// was declared.
    pub mem64: bool,
    /// The feature set: how `(module binary …)` is decoded and whether
    /// memory64's wider offsets are accepted.
    pub features: Features,
    /// `(@name "…")` annotations by the index of the token after them.
    names: Vec<(u32, Token)>,
    /// Which `names` an item took (the rest are misplaced).
    names_used: Vec<std::cell::Cell<bool>>,
    /// Branch hint annotations: (index of the token after, offset).
    hints: Vec<(u32, u32)>,
    /// Which `hints` an instruction took.
    hints_used: Vec<bool>,
    /// The last generated name of the component parser.
    pub gensym: u32,
    /// How deep the component parser's recursion is (bounded, so that
    /// deeply nested input is an error rather than a stack overflow).
    pub depth: u32,
}

impl<'a> Parser<'a> {
    /// Checks UTF-8 and lexes, for WebAssembly with `features`.
    pub fn new(src: &'a [u8], features: Features) -> Result<Self> {
        let src = match std::str::from_utf8(src) {
            Ok(s) => s,
            Err(e) => {
                return Err(TextError::new(
                    TextErrorKind::MalformedUtf8,
                    e.valid_up_to(),
                    1,
                ));
            }
        };
        let lexed = lexer::lex(src.as_bytes())?;
        Ok(Parser {
            src,
            toks: lexed.tokens,
            pos: 0,
            unclosed: lexed.unclosed,
            type_names: HashMap::new(),
            mem64: features.contains(Features::MEMORY64),
            features,
            names_used: vec![std::cell::Cell::new(false); lexed.names.len()],
            names: lexed.names,
            hints_used: vec![false; lexed.hints.len()],
            hints: lexed.hints,
            gensym: 0,
            depth: 0,
        })
    }

    #[inline]
    pub fn peek(&self) -> Option<Token> {
        self.toks.get(self.pos).copied()
    }

    #[inline]
    pub fn peek_at(&self, n: usize) -> Option<Token> {
        self.toks.get(self.pos + n).copied()
    }

    #[inline]
    pub fn kind(&self) -> Option<Kind> {
        self.peek().map(|t| t.kind)
    }

    #[inline]
    pub fn text(&self, t: Token) -> &'a str {
        self.src.get(t.start as usize..t.end as usize).unwrap_or("")
    }

    /// The current token's text if it is a keyword.
    #[inline]
    pub fn peek_kw(&self) -> Option<&'a str> {
        match self.peek() {
            Some(t) if t.kind == Kind::Keyword => Some(self.text(t)),
            _ => None,
        }
    }

    /// The keyword after the current `(`, if the current token is `(`.
    #[inline]
    pub fn peek_lparen_kw(&self) -> Option<&'a str> {
        match (self.peek(), self.peek_at(1)) {
            (Some(l), Some(k)) if l.kind == Kind::LParen && k.kind == Kind::Keyword => {
                Some(self.text(k))
            }
            _ => None,
        }
    }

    #[inline]
    pub fn at_lparen_kw(&self, kw: &str) -> bool {
        self.peek_lparen_kw() == Some(kw)
    }

    #[inline]
    pub fn at_rparen(&self) -> bool {
        self.kind() == Some(Kind::RParen)
    }

    #[inline]
    pub fn bump(&mut self) -> Token {
        let t = self.peek().unwrap_or(Token {
            kind: Kind::RParen,
            start: 0,
            end: 0,
        });
        self.pos += 1;
        t
    }

    /// Offset of the current token, or the end of input.
    pub fn offset(&self) -> u32 {
        self.peek().map_or(self.src.len() as u32, |t| t.start)
    }

    pub fn eof_error(&self) -> TextError {
        let unclosed = self
            .unclosed
            .map(|o| line_col(self.src.as_bytes(), o as usize));
        TextError::new(TextErrorKind::UnexpectedEof { unclosed }, self.src.len(), 0)
    }

    pub fn describe(&self, t: Token) -> String {
        let s = self.text(t);
        if s.chars().count() > 40 {
            let cut: String = s.chars().take(40).collect();
            format!("`{cut}…`")
        } else {
            format!("`{s}`")
        }
    }

    /// "expected X, found Y" at the current token (or the end-of-input error).
    pub fn unexpected(&self, expected: &str) -> TextError {
        match self.peek() {
            None => self.eof_error(),
            Some(t) if t.kind == Kind::Reserved => {
                self.error_at(TextErrorKind::UnknownToken(self.describe(t)), t)
            }
            Some(t) => TextError::new(
                TextErrorKind::Expected {
                    expected: expected.to_string(),
                    found: self.describe(t),
                },
                t.start as usize,
                (t.end - t.start) as usize,
            ),
        }
    }

    pub fn error_at(&self, kind: TextErrorKind, t: Token) -> TextError {
        TextError::new(kind, t.start as usize, (t.end - t.start) as usize)
    }

    pub fn expect_lparen(&mut self) -> Result<Token> {
        if self.kind() == Some(Kind::LParen) {
            Ok(self.bump())
        } else {
            Err(self.unexpected("`(`"))
        }
    }

    pub fn expect_rparen(&mut self) -> Result<()> {
        if self.at_rparen() {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected("`)`"))
        }
    }

    /// Consumes `( kw` if present.
    pub fn eat_lparen_kw(&mut self, kw: &str) -> bool {
        if self.at_lparen_kw(kw) {
            self.pos += 2;
            true
        } else {
            false
        }
    }

    pub fn at_string(&self) -> bool {
        self.kind() == Some(Kind::Str)
    }

    /// A string literal's bytes.
    pub fn string(&mut self) -> Result<Vec<u8>> {
        match self.peek() {
            Some(t) if t.kind == Kind::Str => {
                self.pos += 1;
                Ok(lexer::unescape(self.text(t).as_bytes()))
            }
            _ => Err(self.unexpected("a string")),
        }
    }

    /// A string literal that must be valid UTF-8 (import, export and custom names).
    pub fn name(&mut self) -> Result<String> {
        let t = self.peek();
        let bytes = self.string()?;
        String::from_utf8(bytes).map_err(|_| {
            let t = t.unwrap_or(Token {
                kind: Kind::Str,
                start: 0,
                end: 0,
            });
            self.error_at(TextErrorKind::MalformedUtf8, t)
        })
    }

    /// An optional `$id` (plain or quoted), without its `$`.
    pub fn opt_id(&mut self) -> Result<Option<(Cow<'a, str>, u32)>> {
        match self.peek() {
            Some(t) if t.kind == Kind::Id => {
                self.pos += 1;
                Ok(Some((Cow::Borrowed(&self.text(t)[1..]), t.start)))
            }
            Some(t) if t.kind == Kind::QuotedId => {
                self.pos += 1;
                let bytes = lexer::unescape(&self.text(t).as_bytes()[1..]);
                match String::from_utf8(bytes) {
                    Ok(s) if !s.is_empty() => Ok(Some((Cow::Owned(s), t.start))),
                    Ok(_) => Err(self.error_at(TextErrorKind::Other("empty identifier".into()), t)),
                    Err(_) => Err(self.error_at(TextErrorKind::MalformedUtf8, t)),
                }
            }
            _ => Ok(None),
        }
    }

    /// A `(@name "…")` annotation just before the current token, if any.
    pub fn name_annot(&self) -> Result<Option<String>> {
        let at = self.pos as u32;
        let Ok(i) = self.names.binary_search_by_key(&at, |(k, _)| *k) else {
            return Ok(None);
        };
        let t = self.names[i].1;
        let same = |j: usize| self.names.get(j).is_some_and(|(k, _)| *k == at);
        if same(i + 1) || i.checked_sub(1).is_some_and(same) {
            // The item's keyword is just before its annotations, or before its `$id`.
            let back = if self.at_id() { 2 } else { 1 };
            let what = (at as usize)
                .checked_sub(back)
                .and_then(|j| self.toks.get(j))
                .map_or("item", |&k| self.text(k));
            return Err(self.error_at(
                TextErrorKind::Other(format!("@name annotation: multiple {what}")),
                t,
            ));
        }
        self.names_used[i].set(true);
        String::from_utf8(lexer::unescape(self.text(t).as_bytes()))
            .map(Some)
            .map_err(|_| self.error_at(TextErrorKind::MalformedUtf8, t))
    }

    /// Takes the branch hint annotation before the instruction whose first
    /// token (`(` or its keyword) is the current one, checking that the
    /// instruction (`word`) is one a hint may name.
    pub fn take_hint(&mut self, word: &str) -> Result<()> {
        let at = self.pos as u32;
        let Ok(i) = self.hints.binary_search_by_key(&at, |(k, _)| *k) else {
            return Ok(());
        };
        let dup = |j: usize| self.hints.get(j).is_some_and(|(k, _)| *k == at);
        let off = self.hints[i].1 as usize;
        if dup(i + 1) || i.checked_sub(1).is_some_and(dup) {
            return Err(self.hint_error("duplicate annotation", off));
        }
        if !matches!(word, "if" | "br_if") {
            return Err(self.hint_error("invalid target", off));
        }
        self.hints_used[i] = true;
        Ok(())
    }

    fn hint_error(&self, what: &str, off: usize) -> TextError {
        TextError::new(
            TextErrorKind::Other(format!("@metadata.code.branch_hint annotation: {what}")),
            off,
            2,
        )
    }

    /// Checks that every annotation between token `from` and the current
    /// one (a module's fields) was taken by the item or instruction after
    /// it: a `(@name …)` elsewhere is misplaced, and a branch hint outside
    /// a function body is not in a function.
    pub fn check_annotations(&self, from: usize) -> Result<()> {
        let range = from as u32..=self.pos as u32;
        for ((k, t), used) in self.names.iter().zip(&self.names_used) {
            if range.contains(k) && !used.get() {
                return Err(self.error_at(
                    TextErrorKind::Other("misplaced @name annotation".into()),
                    *t,
                ));
            }
        }
        for (&(k, off), &used) in self.hints.iter().zip(&self.hints_used) {
            if range.contains(&k) && !used {
                return Err(self.hint_error("not in a function", off as usize));
            }
        }
        Ok(())
    }

    /// An optional `$id` and `(@name …)`; the name for the name section is
    /// the annotation if given, else the id.
    pub fn opt_id_named(&mut self) -> Result<(OptId<'a>, Option<String>)> {
        let id = self.opt_id()?;
        let annot = self.name_annot()?;
        let display = annot.or_else(|| id.as_ref().map(|(n, _)| n.to_string()));
        Ok((id, display))
    }

    pub fn at_id(&self) -> bool {
        matches!(self.kind(), Some(Kind::Id | Kind::QuotedId))
    }

    pub fn at_num(&self) -> bool {
        self.kind() == Some(Kind::Num)
    }

    pub fn at_idx(&self) -> bool {
        matches!(self.kind(), Some(Kind::Id | Kind::QuotedId | Kind::Num))
    }

    /// An index: number or `$name`.
    pub fn idx(&mut self) -> Result<Idx<'a>> {
        if let Some((n, off)) = self.opt_id()? {
            return Ok(Idx::Name(n, off));
        }
        if self.at_num() {
            return Ok(Idx::Num(self.u32()?));
        }
        Err(self.unexpected("an index"))
    }

    pub fn num_error(&self, e: NumError, t: Token) -> TextError {
        match e {
            NumError::OutOfRange => self.error_at(TextErrorKind::ConstantOutOfRange, t),
            NumError::Malformed => {
                self.error_at(TextErrorKind::MalformedNumber(self.text(t).to_string()), t)
            }
        }
    }

    /// The current token if it can spell a number (numbers, and `inf`/`nan` keywords).
    fn num_token(&mut self, what: &str) -> Result<Token> {
        match self.peek() {
            Some(t) if t.kind == Kind::Num || t.kind == Kind::Keyword => {
                if t.kind == Kind::Keyword {
                    let s = self.text(t);
                    let pattern = s == "nan:canonical" || s == "nan:arithmetic";
                    if !(s == "inf" || s == "nan" || s.starts_with("nan:")) || pattern {
                        return Err(self.unexpected(what));
                    }
                }
                self.pos += 1;
                Ok(t)
            }
            _ => Err(self.unexpected(what)),
        }
    }

    pub fn u32(&mut self) -> Result<u32> {
        let t = match self.peek() {
            Some(t) if t.kind == Kind::Num => t,
            _ => return Err(self.unexpected("a number")),
        };
        self.pos += 1;
        num::parse_u32(self.text(t).as_bytes()).map_err(|e| self.num_error(e, t))
    }

    pub fn u64(&mut self) -> Result<u64> {
        let t = match self.peek() {
            Some(t) if t.kind == Kind::Num => t,
            _ => return Err(self.unexpected("a number")),
        };
        self.pos += 1;
        num::parse_u64(self.text(t).as_bytes()).map_err(|e| self.num_error(e, t))
    }

    /// An integer of `bits` width (sign or no sign), as bits.
    pub fn int(&mut self, bits: u32) -> Result<u64> {
        let t = match self.peek() {
            Some(t) if t.kind == Kind::Num => t,
            _ => return Err(self.unexpected("an integer")),
        };
        self.pos += 1;
        num::parse_int(self.text(t).as_bytes(), bits).map_err(|e| self.num_error(e, t))
    }

    pub fn f32(&mut self) -> Result<u32> {
        let t = self.num_token("a float")?;
        num::parse_f32(self.text(t).as_bytes()).map_err(|e| self.num_error(e, t))
    }

    pub fn f64(&mut self) -> Result<u64> {
        let t = self.num_token("a float")?;
        num::parse_f64(self.text(t).as_bytes()).map_err(|e| self.num_error(e, t))
    }

    /// Skips one token or one balanced parenthesised form (iteratively).
    pub fn skip_item(&mut self) -> Result<()> {
        let mut depth = 0usize;
        loop {
            let Some(t) = self.peek() else {
                return Err(self.eof_error());
            };
            self.pos += 1;
            match t.kind {
                Kind::LParen | Kind::Annot => depth += 1,
                Kind::RParen => {
                    if depth == 0 {
                        return Err(self.error_at(TextErrorKind::UnbalancedParen, t));
                    }
                    depth -= 1;
                }
                _ => {}
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }

    /// `(param …)* (result …)*` after an optional `(type x)`; parameter names go
    /// to `names` when given, otherwise a named parameter is an error.
    pub fn type_use(&mut self, mut names: Option<&mut Vec<Named<'a>>>) -> Result<TypeUse<'a>> {
        let offset = self.offset();
        let idx = if self.eat_lparen_kw("type") {
            let i = self.idx()?;
            self.expect_rparen()?;
            Some(i)
        } else {
            None
        };
        let mut params = Vec::new();
        let mut results = Vec::new();
        let mut any = false;
        while self.at_lparen_kw("param") {
            any = true;
            self.pos += 2;
            if self.at_id() {
                let tok = self.peek();
                let id = self.opt_id_named()?;
                match names.as_deref_mut() {
                    Some(n) => n.push(id),
                    None => {
                        let t = tok.unwrap_or(Token {
                            kind: Kind::Id,
                            start: offset,
                            end: offset,
                        });
                        return Err(
                            self.error_at(TextErrorKind::UnexpectedToken(self.describe(t)), t)
                        );
                    }
                }
                params.push(self.val_type()?);
            } else {
                while !self.at_rparen() {
                    params.push(self.val_type()?);
                    if let Some(n) = names.as_deref_mut() {
                        n.push((None, None));
                    }
                }
            }
            self.expect_rparen()?;
        }
        while self.at_lparen_kw("result") {
            any = true;
            self.pos += 2;
            while !self.at_rparen() {
                results.push(self.val_type()?);
            }
            self.expect_rparen()?;
        }
        if self.at_lparen_kw("param") {
            let t = self.peek_at(1).unwrap_or(Token {
                kind: Kind::Keyword,
                start: offset,
                end: offset,
            });
            return Err(self.error_at(TextErrorKind::ResultBeforeParam, t));
        }
        let inline = any.then(|| FuncType::new(params, results));
        Ok(TypeUse {
            idx,
            inline,
            offset,
        })
    }
}

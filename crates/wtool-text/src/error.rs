//! Parse errors: a byte span in the source plus a typed kind whose Display is
//! a sentence a person understands (and, where the spec testsuite has one,
//! starts with the suite's wording so script runners can match it).

use std::fmt;

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextErrorKind {
    /// A keyword in instruction position that is no instruction.
    UnknownOperator(String),
    /// A symbolic index with no definition (`space` is `func`, `type`, …).
    UnknownName {
        /// The index space.
        space: &'static str,
        /// The name, with its `$`.
        name: String,
    },
    /// A numeric index that is out of range where the parser must know it.
    UnknownIndex {
        /// The index space.
        space: &'static str,
        /// The index.
        index: u32,
    },
    /// `br $l` with no enclosing block labelled `$l`.
    UnknownLabel(String),
    /// A different token than the grammar allows here.
    Expected {
        /// What would have been accepted.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A token that fits nowhere.
    UnexpectedToken(String),
    /// A run of characters that is no token of the format (`_1`, `.5`, `"a"b`).
    UnknownToken(String),
    /// Too few lane values in `v128.const` or lane indices in `i8x16.shuffle`.
    LaneCount(&'static str),
    /// `(result …)` before `(param …)`.
    ResultBeforeParam,
    /// The input ended early; the offset of the innermost unclosed `(`, if any, as line:col.
    UnexpectedEof {
        /// Line and column of the innermost unclosed `(`.
        unclosed: Option<(usize, usize)>,
    },
    /// A `)` with no matching `(`.
    UnbalancedParen,
    /// A number that does not fit its type.
    ConstantOutOfRange,
    /// A number with a malformed spelling.
    MalformedNumber(String),
    /// A lane index that does not fit.
    MalformedLaneIndex,
    /// `align=` that is not a power of two.
    Alignment,
    /// A name (identifier, import/export/custom name) that is not valid UTF-8.
    MalformedUtf8,
    /// A string literal with a bad escape or character.
    MalformedString(String),
    /// A block comment that never ends.
    UnclosedComment,
    /// A string literal that never ends.
    UnclosedString,
    /// An inline function type that disagrees with the referenced type.
    InlineFunctionType,
    /// Two definitions with the same name in one index space.
    Duplicate {
        /// The index space.
        space: &'static str,
        /// The name.
        name: String,
    },
    /// `end $l` naming another label than its block.
    MismatchingLabel,
    /// An import after a definition of a function, table, memory or global.
    ImportAfter(&'static str),
    /// More than one start function.
    MultipleStart,
    /// `(module binary …)` that does not decode.
    Binary(String),
    /// `(pagesize N)` with N not a power of two.
    InvalidPageSize,
    /// A character the format allows only inside strings and comments.
    IllegalCharacter,
    /// An annotation `(@…` still open at the end of input.
    UnclosedAnnotation,
    /// Anything else, already worded.
    Other(String),
}

/// A parse error with the byte span it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    kind: TextErrorKind,
    offset: usize,
    len: usize,
}

impl TextError {
    /// A new error at `offset..offset+len`.
    pub fn new(kind: TextErrorKind, offset: usize, len: usize) -> Self {
        TextError { kind, offset, len }
    }

    /// The kind.
    pub fn kind(&self) -> &TextErrorKind {
        &self.kind
    }

    /// Byte offset of the span in the source.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Length of the span in bytes (0 at end of input).
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the span is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// 1-based line and column (in characters) of the error's start in `src`.
    pub fn line_col(&self, src: &[u8]) -> (usize, usize) {
        line_col(src, self.offset)
    }

    /// The spec testsuite's phrase for this error (what `assert_malformed` expects).
    pub fn spec_message(&self) -> &'static str {
        use TextErrorKind::*;
        match &self.kind {
            UnknownOperator(_) => "unknown operator",
            UnknownName { .. } => "unknown identifier",
            UnknownIndex { space, .. } => match *space {
                "type" => "unknown type",
                "func" => "unknown function",
                "table" => "unknown table",
                "memory" => "unknown memory",
                "global" => "unknown global",
                _ => "unknown identifier",
            },
            UnknownToken(_) => "unknown operator",
            LaneCount(what) => what,
            ResultBeforeParam => "unexpected token",
            UnknownLabel(_) => "unknown label",
            Expected { .. } | UnexpectedToken(_) | UnbalancedParen | UnexpectedEof { .. } => {
                "unexpected token"
            }
            ConstantOutOfRange => "constant out of range",
            MalformedNumber(_) => "unknown operator",
            MalformedLaneIndex => "i8 constant out of range",
            Alignment => "alignment",
            MalformedUtf8 => "malformed UTF-8 encoding",
            MalformedString(_) | UnclosedString => "unknown operator",
            UnclosedComment => "unclosed annotation",
            InlineFunctionType => "inline function type",
            Duplicate { space, .. } => match *space {
                "func" => "duplicate func",
                "local" => "duplicate local",
                "global" => "duplicate global",
                "table" => "duplicate table",
                "memory" => "duplicate memory",
                "elem" => "duplicate elem",
                "data" => "duplicate data",
                "type" => "duplicate type",
                "export" => "duplicate export name",
                _ => "duplicate identifier",
            },
            MismatchingLabel => "mismatching label",
            ImportAfter(what) => match *what {
                "function" => "import after function",
                "table" => "import after table",
                "memory" => "import after memory",
                _ => "import after global",
            },
            MultipleStart => "multiple start sections",
            Binary(_) => "malformed binary module",
            InvalidPageSize => "invalid custom page size",
            IllegalCharacter => "illegal character",
            UnclosedAnnotation => "unclosed annotation",
            Other(_) => "unexpected token",
        }
    }
}

/// 1-based line and column of byte `offset` in `src` (columns count characters).
pub fn line_col(src: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    // Count UTF-8 lead bytes only, so a column is a character position.
    let col = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xc0) != 0x80)
        .count()
        + 1;
    (line, col)
}

impl fmt::Display for TextErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TextErrorKind::*;
        match self {
            UnknownOperator(op) => write!(f, "unknown operator `{op}`"),
            UnknownName { space, name } => write!(f, "unknown {space} {name}"),
            UnknownIndex { space, index } => write!(f, "unknown {space} {index}"),
            UnknownLabel(l) => write!(f, "unknown label {l}"),
            Expected { expected, found } => write!(f, "expected {expected}, found {found}"),
            UnexpectedToken(t) => write!(f, "unexpected token {t}"),
            UnknownToken(t) => write!(f, "unknown token {t}"),
            LaneCount(what) => f.write_str(what),
            ResultBeforeParam => {
                f.write_str("result before parameter: `(param …)` must come first")
            }
            UnexpectedEof {
                unclosed: Some((l, c)),
            } => {
                write!(f, "unexpected end of input, unclosed `(` opened at {l}:{c}")
            }
            UnexpectedEof { unclosed: None } => f.write_str("unexpected end of input"),
            UnbalancedParen => f.write_str("unexpected token `)`: no matching `(`"),
            ConstantOutOfRange => f.write_str("constant out of range"),
            MalformedNumber(n) => write!(f, "malformed number `{n}`"),
            MalformedLaneIndex => f.write_str("malformed lane index: must be below 256"),
            Alignment => f.write_str("alignment must be a power of two"),
            MalformedUtf8 => f.write_str("malformed UTF-8 encoding"),
            MalformedString(why) => write!(f, "malformed string: {why}"),
            UnclosedComment => f.write_str("unclosed block comment"),
            UnclosedString => f.write_str("unclosed string literal"),
            InlineFunctionType => {
                f.write_str("inline function type does not match the referenced type")
            }
            Duplicate { space, name } => write!(f, "duplicate {space} {name}"),
            MismatchingLabel => f.write_str("mismatching label"),
            ImportAfter(what) => write!(f, "import after {what}: imports must come first"),
            MultipleStart => f.write_str("multiple start sections"),
            Binary(m) => write!(f, "invalid binary module: {m}"),
            InvalidPageSize => {
                f.write_str("invalid custom page size: the page size must be a power of two")
            }
            IllegalCharacter => f.write_str(
                "illegal character: outside strings and comments only printable ASCII may appear",
            ),
            UnclosedAnnotation => f.write_str("unclosed annotation: `(@` without its `)`"),
            Other(m) => f.write_str(m),
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for TextError {}

/// Shorthand used across the parser.
pub(crate) type Result<T> = std::result::Result<T, TextError>;

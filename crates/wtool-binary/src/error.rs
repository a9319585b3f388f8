//! Decode errors: a byte offset and a kind whose message uses the spec
//! testsuite's wording, so `assert_malformed` expectations match by prefix.

use std::fmt;

/// What went wrong while decoding.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Input ended in the header or between sections.
    UnexpectedEnd,
    /// A section, function body or other sized region ended too early.
    UnexpectedEndOfSection,
    /// The first four bytes are not `\0asm`.
    BadMagic,
    /// The version field is not 1.
    BadVersion,
    /// A section id byte no known section has.
    MalformedSectionId,
    /// A section's contents did not end exactly at its declared size.
    SectionSizeMismatch,
    /// A length or size exceeds the bytes that remain.
    LengthOutOfBounds,
    /// An LEB128 value has bits beyond its type's width.
    IntegerTooLarge,
    /// An LEB128 value uses more bytes than its type allows.
    IntegerTooLong,
    /// A name is not valid UTF-8.
    MalformedUtf8,
    /// The total of a function's locals exceeds 2^32 - 1.
    TooManyLocals,
    /// Function and code sections declare different counts.
    FuncCodeMismatch,
    /// Data count section and data section declare different counts.
    DataCountMismatch,
    /// `memory.init` or `data.drop` without a data count section.
    DataCountRequired,
    /// A section appears out of order or twice.
    ContentAfterLastSection,
    /// An opcode (with its prefix, if any) no instruction has.
    IllegalOpcode {
        /// The prefix byte, or the opcode itself for single-byte opcodes.
        prefix: u8,
        /// The sub-opcode after a prefix.
        code: Option<u32>,
    },
    /// A byte that should be a reference type is not one.
    MalformedRefType,
    /// A byte that should be a value type is not one.
    MalformedValType,
    /// An import kind byte other than func/table/memory/global/tag.
    MalformedImportKind,
    /// An export kind byte other than func/table/memory/global/tag.
    MalformedExportKind,
    /// A mutability byte other than 0 or 1.
    MalformedMutability,
    /// A reserved byte that must be zero is not.
    ZeroByteExpected,
    /// A function body ended without its final `end`.
    EndOpcodeExpected,
    /// A limits flags byte with unknown bits.
    MalformedLimitsFlags,
    /// A memarg alignment field with unknown bits.
    MalformedMemopFlags,
    /// An element segment flags value above 7.
    MalformedElemFlags,
    /// An element kind byte other than 0 (funcref).
    MalformedElemKind,
    /// A data segment flags value above 2.
    MalformedDataFlags,
    /// A type section entry whose form byte is unknown (or off with the features).
    MalformedDefinitionType,
    /// A tag attribute other than 0 (exception).
    MalformedTagAttribute,
    /// A table entry prefix `0x40` not followed by `0x00`.
    MalformedTable,
    /// A custom page size that is not a power of two the AST can hold.
    InvalidCustomPageSize,
    /// `select` with a type vector whose length is not 1.
    InvalidResultArity,
    /// A `br_on_cast` flags byte above 3.
    MalformedCastFlags,
    /// A `try_table` catch clause kind above 3.
    MalformedCatchClause,
}

impl ErrorKind {
    /// The message, in the spec testsuite's words where it has them.
    pub fn message(&self) -> String {
        let s = match self {
            ErrorKind::UnexpectedEnd => "unexpected end",
            ErrorKind::UnexpectedEndOfSection => "unexpected end of section or function",
            ErrorKind::BadMagic => "magic header not detected",
            ErrorKind::BadVersion => "unknown binary version",
            ErrorKind::MalformedSectionId => "malformed section id",
            ErrorKind::SectionSizeMismatch => "section size mismatch",
            ErrorKind::LengthOutOfBounds => "length out of bounds",
            ErrorKind::IntegerTooLarge => "integer too large",
            ErrorKind::IntegerTooLong => "integer representation too long",
            ErrorKind::MalformedUtf8 => "malformed UTF-8 encoding",
            ErrorKind::TooManyLocals => "too many locals",
            ErrorKind::FuncCodeMismatch => "function and code section have inconsistent lengths",
            ErrorKind::DataCountMismatch => "data count and data section have inconsistent lengths",
            ErrorKind::DataCountRequired => "data count section required",
            ErrorKind::ContentAfterLastSection => "unexpected content after last section",
            ErrorKind::IllegalOpcode { prefix, code: None } => {
                return format!("illegal opcode {prefix:02x}");
            }
            ErrorKind::IllegalOpcode {
                prefix,
                code: Some(c),
            } => {
                return format!("illegal opcode {prefix:02x} {c:x}");
            }
            ErrorKind::MalformedRefType => "malformed reference type",
            ErrorKind::MalformedValType => "malformed value type",
            ErrorKind::MalformedImportKind => "malformed import kind",
            ErrorKind::MalformedExportKind => "malformed export kind",
            ErrorKind::MalformedMutability => "malformed mutability",
            ErrorKind::ZeroByteExpected => "zero byte expected",
            ErrorKind::EndOpcodeExpected => "END opcode expected",
            ErrorKind::MalformedLimitsFlags => "malformed limits flags",
            ErrorKind::MalformedMemopFlags => "malformed memop flags",
            ErrorKind::MalformedElemFlags => "malformed elements segment kind",
            ErrorKind::MalformedElemKind => "malformed element kind",
            ErrorKind::MalformedDataFlags => "malformed data segment kind",
            ErrorKind::MalformedDefinitionType => "malformed definition type",
            ErrorKind::MalformedTagAttribute => "malformed tag attribute",
            ErrorKind::MalformedTable => "malformed table",
            ErrorKind::InvalidCustomPageSize => "invalid custom page size",
            ErrorKind::InvalidResultArity => "invalid result arity",
            ErrorKind::MalformedCastFlags => "malformed br_on_cast flags",
            ErrorKind::MalformedCatchClause => "malformed catch clause",
        };
        s.to_string()
    }
}

/// A decoding failure: where it happened and what it was.
///
/// Boxed so `Result<T, DecodeError>` stays small on the hot paths.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Inner>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    offset: usize,
    kind: ErrorKind,
}

impl DecodeError {
    /// An error of `kind` at byte `offset` of the input.
    #[cold]
    pub fn new(offset: usize, kind: ErrorKind) -> Self {
        DecodeError(Box::new(Inner { offset, kind }))
    }

    /// Byte offset in the input where the problem was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.kind.message())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DecodeError {{ offset: {:#x}, message: {:?} }}",
            self.offset(),
            self.0.kind.message()
        )
    }
}

impl std::error::Error for DecodeError {}

/// Result of a decoding step.
pub type Result<T, E = DecodeError> = std::result::Result<T, E>;

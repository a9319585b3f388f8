//! Component decoding errors: a byte offset and a kind whose message uses
//! the Component Model reference tests' wording (which is wasm-tools').

use std::fmt;
use wtool_binary::ErrorKind as CoreKind;

/// What went wrong while decoding a component.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input (or a section) ended early.
    #[error("unexpected end-of-file")]
    UnexpectedEof,
    /// An LEB128 value has bits beyond its type's width.
    #[error("integer too large")]
    IntegerTooLarge,
    /// An LEB128 value uses more bytes than its type allows.
    #[error("integer representation too long")]
    IntegerTooLong,
    /// A name is not valid UTF-8.
    #[error("malformed UTF-8 encoding")]
    MalformedUtf8,
    /// The first four bytes are not `\0asm`.
    #[error("magic header not detected")]
    BadMagic,
    /// A version/layer pair neither a module nor a component has.
    #[error("unknown binary version")]
    UnknownVersion,
    /// A core module's header where a component's was expected.
    #[error("expected a version header for a component")]
    ExpectedComponent,
    /// A component's header where a core module's was expected.
    #[error("expected a version header for a module")]
    ExpectedModule,
    /// A section id no component section has.
    #[error("malformed section id")]
    MalformedSectionId,
    /// A section's items ended before its declared size.
    #[error("section size mismatch: unexpected data at the end of the section")]
    TrailingData,
    /// A discriminant byte this position does not allow.
    #[error("invalid leading byte (0x{byte:x}) for {what}")]
    InvalidLeadingByte {
        /// The byte read.
        byte: u8,
        /// What was being read.
        what: &'static str,
    },
    /// A flag byte other than 0 or 1.
    #[error("invalid boolean value")]
    InvalidBool,
    /// A vector longer than the format allows.
    #[error("{what} size is out of bounds")]
    TooMany {
        /// What the vector holds.
        what: &'static str,
    },
    /// Component types or components nested beyond the limit.
    #[error("{what} nesting is too deep")]
    TooDeep {
        /// `component type` or `component`.
        what: &'static str,
    },
    /// A non-final core subtype in a component's core type section not
    /// written as `0x00 0x50`.
    #[error("invalid leading byte (0x{0:x}) for non-final sub type")]
    NonFinalSubType(u8),
    /// A core export alias of an exact function type.
    #[error("exact type is not allowed in core export aliases")]
    ExactCoreAlias,
    /// A construct of a gated Component Model proposal that is off (its
    /// `--features` name).
    #[error("the `{0}` feature is not active")]
    FeatureNotActive(&'static str),
    /// An error inside an embedded core module or core type, with the core
    /// decoder's message.
    #[error("{}", core_message(.0))]
    Core(wtool_binary::DecodeError),
}

/// The core decoder's message, worded as the component reference tests
/// expect where the two testsuites differ.
fn core_message(e: &wtool_binary::DecodeError) -> String {
    match e.kind() {
        // The core testsuite says "unexpected content after last section";
        // the component tests name the cause.
        CoreKind::ContentAfterLastSection => "section out of order".to_string(),
        k => k.message(),
    }
}

/// A decoding failure: the byte offset and what it was.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    offset: usize,
    kind: Box<ErrorKind>,
}

impl DecodeError {
    /// An error at `offset`.
    pub fn new(offset: usize, kind: ErrorKind) -> Self {
        DecodeError {
            offset,
            kind: Box::new(kind),
        }
    }

    /// `invalid leading byte (0x..) for WHAT` at `offset`.
    pub fn leading(offset: usize, byte: u8, what: &'static str) -> Self {
        DecodeError::new(offset, ErrorKind::InvalidLeadingByte { byte, what })
    }

    /// A core decoder error from input that starts at `base` in the file.
    pub fn core_at(base: usize, e: wtool_binary::DecodeError) -> Self {
        let offset = base + e.offset();
        DecodeError::new(offset, ErrorKind::Core(e))
    }

    /// The byte offset in the file.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for DecodeError {}

/// Errors of the shared byte reader, in the component tests' words.
impl From<wtool_binary::DecodeError> for DecodeError {
    fn from(e: wtool_binary::DecodeError) -> Self {
        let kind = match e.kind() {
            CoreKind::UnexpectedEnd
            | CoreKind::UnexpectedEndOfSection
            | CoreKind::LengthOutOfBounds => ErrorKind::UnexpectedEof,
            CoreKind::IntegerTooLarge => ErrorKind::IntegerTooLarge,
            CoreKind::IntegerTooLong => ErrorKind::IntegerTooLong,
            CoreKind::MalformedUtf8 => ErrorKind::MalformedUtf8,
            _ => return DecodeError::core_at(0, e),
        };
        DecodeError::new(e.offset(), kind)
    }
}

/// Result of component decoding.
pub type Result<T> = std::result::Result<T, DecodeError>;

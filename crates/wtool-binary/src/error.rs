//! Decode errors: a byte offset and a kind whose message uses the spec
//! testsuite's wording, so `assert_malformed` expectations match by prefix.

use std::fmt;
use wtool_ast::SectionId;

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
/// Besides the offset and the [`ErrorKind`] (whose message is the spec
/// testsuite's), an error carries where in the module it was found
/// ([`Location`]: section, entry, field) and, when a sized region ran past
/// the end of the input, how much of it there was ([`Truncation`]). Those
/// are for people (the CLI renders them); `Display` shows only the message,
/// and equality compares only offset and kind, so spec expectations and
/// eager-versus-streaming comparisons are unaffected by the extra context.
///
/// Boxed so `Result<T, DecodeError>` stays small on the hot paths.
#[derive(Clone)]
pub struct DecodeError(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    offset: usize,
    kind: ErrorKind,
    location: Location,
    truncation: Option<Truncation>,
    /// The input ended inside a section: the file is cut short (a
    /// truncated download or copy), rather than a size field being wrong
    /// inside an intact file.
    ends_early: bool,
    /// The encoding belongs to this proposal, which is not enabled: the
    /// error keeps the spec's wording and the CLI adds which flag to pass.
    needs: Option<wtool_ast::Features>,
}

/// The section an error was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionRef {
    /// The 8-byte header (magic and version).
    Header,
    /// A section by id (`Custom` when its name could not be read).
    Id(SectionId),
    /// A custom section with this name.
    Custom(String),
}

/// What kind of entry of a section an index counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A type section entry (type index).
    Type,
    /// An import section entry (position among the imports).
    Import,
    /// A function: its function index (imported functions first).
    Function,
    /// A table: its table index.
    Table,
    /// A memory: its memory index.
    Memory,
    /// A tag: its tag index.
    Tag,
    /// A global: its global index.
    Global,
    /// An export section entry (position among the exports).
    Export,
    /// An element segment index.
    Element,
    /// A data segment index.
    Data,
}

impl EntryKind {
    /// How the entry is named in messages: `function`, `data segment`, …
    pub fn noun(self) -> &'static str {
        match self {
            EntryKind::Type => "type",
            EntryKind::Import => "import",
            EntryKind::Function => "function",
            EntryKind::Table => "table",
            EntryKind::Memory => "memory",
            EntryKind::Tag => "tag",
            EntryKind::Global => "global",
            EntryKind::Export => "export",
            EntryKind::Element => "element segment",
            EntryKind::Data => "data segment",
        }
    }
}

/// Where in the module an error was found, as far as the decoder knew.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The section being decoded.
    pub section: Option<SectionRef>,
    /// The entry within the section: its kind and index.
    pub entry: Option<(EntryKind, u32)>,
    /// The field being read: `body`, `module name`, `limits`, …
    pub field: Option<&'static str>,
}

impl Location {
    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.section.is_none() && self.entry.is_none() && self.field.is_none()
    }

    /// The section as a phrase: `code section`, `custom section "producers"`, `header`.
    pub fn section_phrase(&self) -> Option<String> {
        self.section.as_ref().map(|s| match s {
            SectionRef::Header => "header".to_string(),
            SectionRef::Id(SectionId::DataCount) => "data count section".to_string(),
            SectionRef::Id(SectionId::Element) => "element section".to_string(),
            SectionRef::Id(SectionId::Function) => "function section".to_string(),
            SectionRef::Id(id) => format!("{} section", id.name()),
            SectionRef::Custom(name) => format!("custom section {name:?}"),
        })
    }

    /// The entry and field as a phrase: `function 3 body`, `import 0 module name`.
    pub fn entry_phrase(&self) -> Option<String> {
        match (self.entry, self.field) {
            (Some((k, i)), Some(f)) => Some(format!("{} {i} {f}", k.noun())),
            (Some((k, i)), None) => Some(format!("{} {i}", k.noun())),
            (None, Some(f)) => Some(f.to_string()),
            (None, None) => None,
        }
    }
}

impl fmt::Display for Location {
    /// `code section, function 3 body` (the parts that are known).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [self.section_phrase(), self.entry_phrase()]
            .into_iter()
            .flatten()
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// A sized region (a section, a function body, a name, a data segment's
/// bytes) that declared more bytes than were there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truncation {
    /// Bytes the region declared.
    pub declared: u64,
    /// Bytes that were left for it.
    pub available: u64,
}

impl DecodeError {
    /// An error of `kind` at byte `offset` of the input.
    #[cold]
    pub fn new(offset: usize, kind: ErrorKind) -> Self {
        DecodeError(Box::new(Inner {
            offset,
            kind,
            location: Location::default(),
            truncation: None,
            ends_early: false,
            needs: None,
        }))
    }

    /// Marks the error as an encoding of `feature`, which is off.
    #[cold]
    pub fn needing(mut self, feature: wtool_ast::Features) -> Self {
        self.0.needs = Some(feature);
        self
    }

    /// The disabled proposal whose encoding this is, if that is why.
    pub fn needs_feature(&self) -> Option<wtool_ast::Features> {
        self.0.needs
    }

    /// Byte offset in the input where the problem was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Where in the module the error was found.
    pub fn location(&self) -> &Location {
        &self.0.location
    }

    /// How much of a too-short region there was, when that is the error.
    pub fn truncation(&self) -> Option<&Truncation> {
        self.0.truncation.as_ref()
    }

    /// True when the input ended inside a section (the file is cut short).
    pub fn input_ends_early(&self) -> bool {
        self.0.ends_early
    }

    /// Records the section, unless an inner decoder already did.
    #[cold]
    pub fn in_section(mut self, section: SectionRef) -> Self {
        self.0.location.section.get_or_insert(section);
        self
    }

    /// Records the entry, unless an inner decoder already did.
    #[cold]
    pub fn in_entry(mut self, kind: EntryKind, index: u32) -> Self {
        self.0.location.entry.get_or_insert((kind, index));
        self
    }

    /// Records the field, unless an inner decoder already did.
    #[cold]
    pub fn in_field(mut self, field: &'static str) -> Self {
        self.0.location.field.get_or_insert(field);
        self
    }

    /// Records a too-short region, unless an inner one was recorded.
    #[cold]
    pub fn with_truncation(mut self, t: Truncation) -> Self {
        self.0.truncation.get_or_insert(t);
        self
    }

    /// Takes the location and truncation of `inner` (found by looking
    /// further into a region), keeping this error's offset and kind.
    #[cold]
    pub(crate) fn with_context_of(mut self, inner: DecodeError) -> Self {
        let Inner {
            location,
            truncation,
            ..
        } = *inner.0;
        self.0.location = location;
        // Numbers of the section as a whole would read as the inner field's.
        self.0.truncation = truncation;
        self
    }

    /// Marks the error as the input ending early (inside a section).
    #[cold]
    pub(crate) fn input_ended(mut self) -> Self {
        self.0.ends_early = true;
        self
    }
}

/// Equal when offset and kind are: the context is a description of the
/// same failure, and the streaming body reader knows less of it than the
/// whole-module decoder.
impl PartialEq for DecodeError {
    fn eq(&self, other: &Self) -> bool {
        self.0.offset == other.0.offset && self.0.kind == other.0.kind
    }
}

impl Eq for DecodeError {}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.kind.message())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DecodeError {{ offset: {:#x}, message: {:?}, location: {:?}, truncation: {:?}, ends_early: {} }}",
            self.offset(),
            self.0.kind.message(),
            self.0.location,
            self.0.truncation,
            self.0.ends_early
        )
    }
}

impl std::error::Error for DecodeError {}

/// Result of a decoding step.
pub type Result<T, E = DecodeError> = std::result::Result<T, E>;

/// Adds where an error happened, on the error path only.
pub(crate) trait Context<T> {
    /// The field being read.
    fn field(self, field: &'static str) -> Result<T>;
    /// The entry being decoded.
    fn entry(self, kind: EntryKind, index: u32) -> Result<T>;
}

impl<T> Context<T> for Result<T> {
    #[inline]
    fn field(self, field: &'static str) -> Result<T> {
        self.map_err(|e| e.in_field(field))
    }
    #[inline]
    fn entry(self, kind: EntryKind, index: u32) -> Result<T> {
        self.map_err(|e| e.in_entry(kind, index))
    }
}

//! Validation errors: a typed kind plus where it happened.

use std::fmt;

use wtool_ast::{Features, RefType, ValType};

use crate::features::feature_description;

/// A validation failure: what went wrong, in which function, at which offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Index of the function (in the function index space) whose body is
    /// invalid; `None` for module-level errors.
    pub func: Option<u32>,
    /// Offset of the offending instruction or item, taken from the AST
    /// (file offset for binary input, source offset for text input).
    pub offset: Option<u32>,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl ValidationError {
    /// A module-level error at an optional offset.
    #[cold]
    pub fn module(kind: ErrorKind, offset: Option<u32>) -> Self {
        ValidationError {
            func: None,
            offset,
            kind,
        }
    }

    /// The message in the spec testsuite's words (same as `Display`).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// Where the error is, for binary input: `func 3 ($fib) at 0x1a2`,
    /// `func 3`, `at 0x1a2` or empty. Text input wants line:col instead,
    /// which only the caller (holding the source) can compute from `offset`.
    pub fn location(&self, module: &wtool_ast::Module) -> String {
        let mut out = String::new();
        if let Some(f) = self.func {
            out.push_str(&format!("func {f}"));
            let name = module
                .names
                .as_ref()
                .and_then(|n| wtool_ast::Names::lookup(&n.funcs, f));
            if let Some(name) = name {
                out.push_str(&format!(" (${name})"));
            }
        }
        if let Some(o) = self.offset {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("at {o:#x}"));
        }
        out
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Location is the caller's business (the CLI renders func/offset);
        // Display is the bare message so tests can compare it with the suite.
        self.kind.fmt(f)
    }
}

impl std::error::Error for ValidationError {}

/// What an instruction expected to find on the operand stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Any value.
    Any,
    /// A value of (a subtype of) this type.
    Val(ValType),
    /// Any reference.
    AnyRef,
    /// A numeric or vector value (untyped `select`).
    NumOrVec,
    /// Branch targets of one `br_table` with the same arity.
    Arity(u32),
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Any => f.write_str("a value"),
            Expected::Val(t) => t.fmt(f),
            Expected::AnyRef => f.write_str("a reference"),
            Expected::NumOrVec => f.write_str("a numeric or vector type"),
            Expected::Arity(n) => write!(f, "{n} branch value(s)"),
        }
    }
}

/// Every way a module can be invalid. `Display` starts with the spec
/// testsuite's message, so callers can match by prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An operand has the wrong type; `found: None` means the stack was empty.
    TypeMismatch {
        /// What the instruction needed.
        expected: Expected,
        /// What was there (None: nothing).
        found: Option<ValType>,
    },
    /// A block, function or constant expression ends with extra values.
    ValuesRemaining {
        /// How many values too many.
        count: u32,
    },
    /// An `if` without `else` whose parameters differ from its results.
    IfWithoutElse,
    /// `rethrow` to a label that is not a `catch`/`catch_all` clause.
    InvalidRethrowLabel(u32),
    /// `local.get` of a non-defaultable local before it is set.
    UninitializedLocal(u32),
    /// `local.get/set/tee` of a local that does not exist.
    UnknownLocal(u32),
    /// A branch to a label that does not exist.
    UnknownLabel(u32),
    /// A function index out of range.
    UnknownFunction(u32),
    /// A table index out of range.
    UnknownTable(u32),
    /// A memory index out of range.
    UnknownMemory(u32),
    /// A type index out of range (or not a function type).
    UnknownType(u32),
    /// A global index out of range (or not visible in a constant expression).
    UnknownGlobal(u32),
    /// A tag index out of range.
    UnknownTag(u32),
    /// A data segment index out of range.
    UnknownDataSegment(u32),
    /// An element segment index out of range.
    UnknownElemSegment(u32),
    /// `global.set` of an immutable global.
    GlobalImmutable(u32),
    /// `memory.init` / `data.drop` without a data count section.
    DataCountRequired,
    /// The data count section disagrees with the data section.
    DataCountMismatch {
        /// Value of the data count section.
        count: u32,
        /// Number of data segments.
        segments: u32,
    },
    /// More than one memory without multi-memory.
    MultipleMemories,
    /// More than one table without reference types.
    MultipleTables,
    /// A typed `select` or block with an unsupported number of results.
    InvalidResultArity,
    /// A memory access whose alignment exceeds the natural alignment.
    AlignmentTooLarge,
    /// A memory offset that does not fit the memory's address type.
    OffsetOutOfRange,
    /// A SIMD lane index out of range.
    InvalidLaneIndex(u8),
    /// Two exports with one name.
    DuplicateExportName(String),
    /// A non-constant instruction in a constant expression.
    ConstantExpressionRequired,
    /// `global.get` of a mutable global in a constant expression.
    ConstantExpressionMutableGlobal(u32),
    /// Limits with `min > max`.
    LimitsMinGreaterThanMax,
    /// A memory larger than its address type allows.
    MemorySizeTooLarge {
        /// 64-bit memory.
        index64: bool,
    },
    /// A table larger than its index type allows.
    TableSizeTooLarge,
    /// A custom page size other than 1 or 65536 bytes.
    InvalidCustomPageSize,
    /// A shared memory without a maximum.
    SharedMemoryNeedsMax,
    /// The start function has parameters or results.
    StartFunction,
    /// `ref.func` of a function not declared outside function bodies.
    UndeclaredFunctionReference(u32),
    /// More locals than the implementation limit (50,000, as in engines).
    TooManyLocals,
    /// A table of a non-defaultable type without an initializer.
    UninitializedTable,
    /// The instruction or type needs a proposal that is not enabled.
    FeatureDisabled {
        /// The feature that would allow it.
        feature: Features,
    },
    /// The instruction sequence is not well nested (`else` outside `if`,
    /// a body not closed by `end`, instructions after the final `end`).
    /// Decoders and parsers normally reject these first.
    Malformed(&'static str),
    /// A construct of an enabled proposal this validator does not handle yet.
    Unsupported(&'static str),
    /// An instruction variant whose opcode does not fit its immediates.
    BadImmediate(&'static str),
    /// An atomic access whose alignment is not exactly the natural one.
    AlignmentNotNatural,
    /// A tag whose function type has results.
    NonEmptyTagResult,
    /// A struct instruction naming a type that is not a struct type.
    NotStructType(u32),
    /// An array instruction naming a type that is not an array type.
    NotArrayType(u32),
    /// A struct field index out of range.
    UnknownField(u32),
    /// `struct.get` of a packed field, or `get_s`/`get_u` of an unpacked
    /// one (`packed` says which the field is).
    FieldPacking {
        /// The field is packed (`i8`/`i16`).
        packed: bool,
    },
    /// The array counterpart of [`ErrorKind::FieldPacking`].
    ArrayPacking {
        /// The element type is packed.
        packed: bool,
    },
    /// `struct.set` of an immutable field.
    ImmutableField,
    /// `array.set/fill/copy/init_*` of an immutable array.
    ImmutableArray,
    /// `struct.new_default` of a struct with a non-defaultable field.
    FieldNotDefaultable,
    /// `array.new_default` of an array of a non-defaultable type.
    ArrayNotDefaultable,
    /// `array.new_data`/`init_data` on an array of references.
    ArrayNotNumeric,
    /// `array.copy` from an array whose elements do not match the destination's.
    ArrayTypesDiffer,
    /// `br_on_cast(_fail)` whose target type is not a subtype of its source type.
    CastMismatch {
        /// The operand's (source) type.
        from: RefType,
        /// The cast's target type.
        to: RefType,
    },
    /// A type declared with more than one supertype.
    MultipleSupertypes(u32),
    /// A supertype that does not precede its subtype.
    ForwardSuperType {
        /// The subtype's index.
        sub: u32,
        /// The declared supertype's index.
        sup: u32,
    },
    /// A declared supertype that is final.
    FinalSuperType {
        /// The subtype's index.
        sub: u32,
        /// The declared supertype's index.
        sup: u32,
    },
    /// A type whose definition does not match its declared supertype's.
    SubTypeMismatch {
        /// The subtype's index.
        sub: u32,
        /// The declared supertype's index.
        sup: u32,
    },
    /// A supertype chain longer than engines accept (63, as wasmparser and V8).
    SubTypeTooDeep(u32),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match self {
            TypeMismatch {
                expected,
                found: Some(t),
            } => {
                write!(f, "type mismatch: expected {expected}, found {t}")
            }
            TypeMismatch {
                expected,
                found: None,
            } => {
                write!(
                    f,
                    "type mismatch: expected {expected}, found nothing on the stack"
                )
            }
            ValuesRemaining { count } => {
                write!(
                    f,
                    "type mismatch: {count} value(s) remaining on the stack at end of block"
                )
            }
            IfWithoutElse => {
                f.write_str("type mismatch: if without else must leave its parameters as results")
            }
            UnknownLocal(i) => write!(f, "unknown local {i}"),
            UnknownLabel(i) => write!(f, "unknown label {i}"),
            UnknownFunction(i) => write!(f, "unknown function {i}"),
            UnknownTable(i) => write!(f, "unknown table {i}"),
            UnknownMemory(i) => write!(f, "unknown memory {i}"),
            UnknownType(i) => write!(f, "unknown type {i}"),
            UnknownGlobal(i) => write!(f, "unknown global {i}"),
            UnknownTag(i) => write!(f, "unknown tag {i}"),
            UnknownDataSegment(i) => write!(f, "unknown data segment {i}"),
            UnknownElemSegment(i) => write!(f, "unknown elem segment {i}"),
            GlobalImmutable(i) => write!(f, "global is immutable: global {i}"),
            DataCountRequired => f.write_str("data count section required"),
            DataCountMismatch { count, segments } => write!(
                f,
                "data count and data section have inconsistent lengths ({count} vs {segments})"
            ),
            MultipleMemories => {
                f.write_str("multiple memories (enable with --features=+multi-memory)")
            }
            MultipleTables => {
                f.write_str("multiple tables (enable with --features=+reference-types)")
            }
            InvalidResultArity => f.write_str("invalid result arity"),
            AlignmentTooLarge => f.write_str("alignment must not be larger than natural"),
            OffsetOutOfRange => f.write_str("offset out of range"),
            InvalidLaneIndex(i) => write!(f, "invalid lane index {i}"),
            DuplicateExportName(n) => write!(f, "duplicate export name {n:?}"),
            ConstantExpressionRequired => f.write_str("constant expression required"),
            ConstantExpressionMutableGlobal(i) => {
                write!(f, "constant expression required: global {i} is mutable")
            }
            LimitsMinGreaterThanMax => f.write_str("size minimum must not be greater than maximum"),
            MemorySizeTooLarge { index64: false } => {
                f.write_str("memory size must be at most 65536 pages (4GiB)")
            }
            MemorySizeTooLarge { index64: true } => {
                f.write_str("memory size must be at most 2^48 pages (256TiB)")
            }
            TableSizeTooLarge => f.write_str("table size must be at most 2^32-1"),
            InvalidCustomPageSize => f.write_str("invalid custom page size"),
            SharedMemoryNeedsMax => f.write_str("shared memory must have maximum"),
            StartFunction => f.write_str("start function must have type [] -> []"),
            UndeclaredFunctionReference(i) => write!(f, "undeclared function reference {i}"),
            TooManyLocals => f.write_str("too many locals"),
            UninitializedTable => {
                f.write_str("type mismatch: table of a non-nullable type needs an initializer")
            }
            FeatureDisabled { feature } => {
                let flag = feature.flag_name().unwrap_or("?");
                write!(
                    f,
                    "{} support is not enabled (enable with --features=+{flag})",
                    feature_description(*feature)
                )
            }
            Malformed(m) => f.write_str(m),
            Unsupported(m) => write!(f, "not supported yet: {m}"),
            InvalidRethrowLabel(l) => write!(f, "invalid rethrow label {l}"),
            UninitializedLocal(l) => write!(f, "uninitialized local {l}"),
            BadImmediate(m) => write!(f, "invalid instruction: {m}"),
            AlignmentNotNatural => f.write_str("alignment must be equal to natural"),
            NonEmptyTagResult => f.write_str("non-empty tag result type"),
            NotStructType(x) => write!(f, "non-structure type {x}"),
            NotArrayType(x) => write!(f, "non-array type {x}"),
            UnknownField(i) => write!(f, "unknown field {i}"),
            FieldPacking { packed: true } => f.write_str("field is packed"),
            FieldPacking { packed: false } => f.write_str("field is unpacked"),
            ArrayPacking { packed: true } => f.write_str("array is packed"),
            ArrayPacking { packed: false } => f.write_str("array is unpacked"),
            ImmutableField => f.write_str("immutable field"),
            ImmutableArray => f.write_str("immutable array"),
            FieldNotDefaultable => f.write_str("field type is not defaultable"),
            ArrayNotDefaultable => f.write_str("array type is not defaultable"),
            ArrayNotNumeric => f.write_str("array type is not numeric or vector"),
            ArrayTypesDiffer => f.write_str("array types do not match"),
            CastMismatch { from, to } => {
                write!(f, "type mismatch on cast: type {to} does not match {from}")
            }
            MultipleSupertypes(x) => write!(f, "multiple supertypes for type {x}"),
            ForwardSuperType { sub, sup } => {
                write!(f, "forward use of type {sup} in sub type definition {sub}")
            }
            FinalSuperType { sub, sup } => write!(f, "sub type {sub} has final super type {sup}"),
            SubTypeMismatch { sub, sup } => {
                write!(f, "sub type {sub} does not match super type {sup}")
            }
            SubTypeTooDeep(x) => write!(f, "sub type hierarchy too deep at type {x} (at most 63)"),
        }
    }
}

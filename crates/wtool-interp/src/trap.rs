//! Traps: what stops execution, in the spec testsuite's words, with a wasm
//! backtrace.

use std::fmt;

/// Why execution trapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// `unreachable` executed.
    Unreachable,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow (`INT_MIN / -1`).
    IntegerOverflow,
    /// A trapping float-to-int conversion of NaN or an out-of-range value.
    InvalidConversionToInteger,
    /// A memory access or bulk memory operation out of bounds.
    MemoryOutOfBounds,
    /// A table access or bulk table operation out of bounds.
    TableOutOfBounds,
    /// `call_indirect` with an index outside the table.
    UndefinedElement,
    /// `call_indirect` through a null entry.
    UninitializedElement,
    /// `call_indirect` to a function of another type.
    IndirectCallTypeMismatch,
    /// Too deep recursion (frame or value stack limit).
    CallStackExhausted,
    /// The fuel (step) limit ran out.
    OutOfFuel,
    /// A host function failed, with the host's own message.
    Host(String),
    /// A function could not be translated on its first call.
    Compile(Box<crate::compile::CompileError>),
    /// A host function returned values that do not match its type.
    HostResultType,
    /// An operator the interpreter does not execute (only reached by
    /// input that skipped validation).
    UnsupportedOperator,
    /// The interpreter broke one of its own invariants (a bug in wtool).
    Internal(&'static str),
    /// The host asked the program to exit (e.g. WASI `proc_exit`).
    Exit(i32),
    /// `call_ref` or `return_call_ref` through a null reference.
    NullFunctionReference,
    /// `ref.as_non_null` of a null reference.
    NullReference,
    /// `throw_ref` of a null exception reference.
    NullExceptionReference,
    /// An exception that no handler caught.
    Exception(Box<crate::exn::Thrown>),
    /// An atomic access at an address that is not a multiple of its size.
    UnalignedAtomic,
    /// `memory.atomic.wait32/64` on a memory that is not shared.
    ExpectedSharedMemory,
    /// `memory.atomic.wait32/64` without a timeout, where no other thread
    /// exists that could ever notify it.
    WaitWouldDeadlock,
    /// `struct.get`/`struct.set` on a null reference.
    NullStructureReference,
    /// An array instruction on a null reference.
    NullArrayReference,
    /// `i31.get_s`/`i31.get_u` on a null reference.
    NullI31Reference,
    /// An array index or range outside the array.
    ArrayOutOfBounds,
    /// `ref.cast` of a reference that is not of the target type.
    CastFailure,
    /// An allocation the GC heap limit (`Config::max_heap_bytes`) cannot hold.
    HeapExhausted,
    /// A heap reference the host kept after its object was reclaimed.
    StaleReference,
}

impl TrapKind {
    /// The spec testsuite's message.
    pub fn message(&self) -> &str {
        match self {
            TrapKind::Unreachable => "unreachable",
            TrapKind::IntegerDivideByZero => "integer divide by zero",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::InvalidConversionToInteger => "invalid conversion to integer",
            TrapKind::MemoryOutOfBounds => "out of bounds memory access",
            TrapKind::TableOutOfBounds => "out of bounds table access",
            TrapKind::UndefinedElement => "undefined element",
            TrapKind::UninitializedElement => "uninitialized element",
            TrapKind::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapKind::CallStackExhausted => "call stack exhausted",
            TrapKind::OutOfFuel => "all fuel consumed",
            TrapKind::Host(m) => m,
            TrapKind::Compile(_) => "cannot compile function",
            TrapKind::HostResultType => "host function returned a value of the wrong type",
            TrapKind::UnsupportedOperator => "unsupported operator",
            TrapKind::Internal(m) => m,
            TrapKind::Exit(_) => "exit",
            TrapKind::NullFunctionReference => "null function reference",
            TrapKind::NullReference => "null reference",
            TrapKind::NullExceptionReference => "null exception reference",
            TrapKind::Exception(_) => "uncaught exception",
            TrapKind::UnalignedAtomic => "unaligned atomic",
            TrapKind::ExpectedSharedMemory => "expected shared memory",
            TrapKind::WaitWouldDeadlock => "wait would block forever: no other thread can notify",
            TrapKind::NullStructureReference => "null structure reference",
            TrapKind::NullArrayReference => "null array reference",
            TrapKind::NullI31Reference => "null i31 reference",
            TrapKind::ArrayOutOfBounds => "out of bounds array access",
            TrapKind::CastFailure => "cast failure",
            TrapKind::HeapExhausted => "out of memory: the GC heap limit is reached",
            TrapKind::StaleReference => "stale reference: its object was reclaimed",
        }
    }
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrapKind::Exit(code) => write!(f, "exit with code {code}"),
            TrapKind::Compile(e) => write!(f, "cannot compile {e}"),
            TrapKind::Internal(m) => write!(f, "internal error: {m}"),
            TrapKind::Exception(t) => t.fmt(f),
            k => f.write_str(k.message()),
        }
    }
}

/// One frame of a wasm backtrace, innermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BacktraceFrame {
    /// Function index within its module.
    pub func_index: u32,
    /// Function name from the name section, if any.
    pub func_name: Option<String>,
    /// Offset of the instruction (file offset for binary modules, source
    /// offset for text), if known.
    pub offset: Option<u32>,
}

impl BacktraceFrame {
    /// The function part: `func 3 ($name)` or `func 3`.
    pub fn func_label(&self) -> String {
        match &self.func_name {
            Some(n) => format!("func {} (${n})", self.func_index),
            None => format!("func {}", self.func_index),
        }
    }
}

impl fmt::Display for BacktraceFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.func_label())?;
        if let Some(o) = self.offset {
            write!(f, " at 0x{o:x}")?;
        }
        Ok(())
    }
}

/// A trap: its kind and the wasm frames active when it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    /// What happened.
    pub kind: TrapKind,
    /// Active wasm frames, innermost first.
    pub backtrace: Vec<BacktraceFrame>,
}

impl Trap {
    /// A trap without backtrace (the executor fills it in).
    pub fn new(kind: TrapKind) -> Trap {
        Trap {
            kind,
            backtrace: Vec::new(),
        }
    }

    /// A host error with a message.
    pub fn host(msg: impl Into<String>) -> Trap {
        Trap::new(TrapKind::Host(msg.into()))
    }

    /// The spec message of this trap.
    pub fn message(&self) -> &str {
        self.kind.message()
    }

    /// The backtrace as lines, one frame per line.
    pub fn backtrace_text(&self) -> String {
        let mut s = String::new();
        for (i, fr) in self.backtrace.iter().enumerate() {
            s.push_str(&format!("  {i}: {fr}\n"));
        }
        s
    }
}

impl From<TrapKind> for Trap {
    fn from(kind: TrapKind) -> Trap {
        Trap::new(kind)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Trap {}

//! Canonical definitions: lifting, lowering and the built-ins.

use super::ValType;

/// Which `string-encoding` a canonical option names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StringEncoding {
    /// `string-encoding=utf8`
    Utf8,
    /// `string-encoding=utf16`
    Utf16,
    /// `string-encoding=latin1+utf16`
    CompactUtf16,
}

/// A canonical option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CanonOpt {
    /// A string encoding.
    StringEncoding(StringEncoding),
    /// `(memory m)`
    Memory(u32),
    /// `(realloc f)`
    Realloc(u32),
    /// `(post-return f)`
    PostReturn(u32),
    /// `async`
    Async,
    /// `(callback f)`
    Callback(u32),
    /// `(core-type t)`
    CoreType(u32),
    /// `gc`
    Gc,
}

/// A canonical definition: lifting, lowering, or a built-in core function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Canon {
    /// `(canon lift f opts (type ft))`: a component function.
    Lift {
        /// The core function lifted.
        func: u32,
        /// Canonical options.
        opts: Vec<CanonOpt>,
        /// The component function type.
        ty: u32,
    },
    /// `(canon lower f opts)`: a core function.
    Lower {
        /// The component function lowered.
        func: u32,
        /// Canonical options.
        opts: Vec<CanonOpt>,
    },
    /// `resource.new`, `resource.drop` or `resource.rep` of a resource type.
    Resource {
        /// Which of the three.
        op: ResourceOp,
        /// The resource type index.
        ty: u32,
    },
    /// `task.return` with the result it returns.
    TaskReturn {
        /// The result type.
        result: Option<ValType>,
        /// Canonical options.
        opts: Vec<CanonOpt>,
    },
    /// `context.get` / `context.set` of a slot.
    Context {
        /// `context.set` when true.
        set: bool,
        /// The core value type of the slot.
        ty: wtool_ast::ValType,
        /// The slot index.
        slot: u32,
    },
    /// A stream or future built-in on a stream/future type.
    Async {
        /// Which built-in.
        op: AsyncOp,
        /// The stream or future type index.
        ty: u32,
        /// Options (read and write only).
        opts: Vec<CanonOpt>,
        /// The `async` flag (cancel-read and cancel-write only).
        is_async: bool,
    },
    /// `error-context.new` / `error-context.debug-message`.
    ErrorContext {
        /// `debug-message` when true.
        debug_message: bool,
        /// Canonical options.
        opts: Vec<CanonOpt>,
    },
    /// `waitable-set.wait` / `waitable-set.poll` writing to a memory.
    WaitableSet {
        /// `poll` when true.
        poll: bool,
        /// The legacy `cancellable` flag.
        cancellable: bool,
        /// The core memory.
        memory: u32,
    },
    /// A built-in with only a one-byte flag (`async` or `cancellable`).
    Flagged {
        /// Which built-in.
        op: FlagOp,
        /// The flag.
        flag: bool,
    },
    /// A built-in without immediates.
    Plain(PlainOp),
    /// `thread.new-indirect ft tbl`.
    ThreadNewIndirect {
        /// The core function type.
        func_ty: u32,
        /// The core table.
        table: u32,
    },
    /// `thread.spawn-ref`, `thread.spawn-indirect`,
    /// `thread.available-parallelism` (shared-everything threads).
    Spawn {
        /// Which built-in.
        op: SpawnOp,
        /// The `shared` flag.
        shared: bool,
        /// The core function type (spawn only).
        func_ty: u32,
        /// The core table (spawn-indirect only).
        table: u32,
    },
}

/// The three resource built-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceOp {
    /// `resource.new`
    New,
    /// `resource.drop`
    Drop,
    /// `resource.rep`
    Rep,
}

/// Stream and future built-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AsyncOp {
    /// `stream.new`
    StreamNew,
    /// `stream.read`
    StreamRead,
    /// `stream.write`
    StreamWrite,
    /// `stream.cancel-read`
    StreamCancelRead,
    /// `stream.cancel-write`
    StreamCancelWrite,
    /// `stream.drop-readable`
    StreamDropReadable,
    /// `stream.drop-writable`
    StreamDropWritable,
    /// `future.new`
    FutureNew,
    /// `future.read`
    FutureRead,
    /// `future.write`
    FutureWrite,
    /// `future.cancel-read`
    FutureCancelRead,
    /// `future.cancel-write`
    FutureCancelWrite,
    /// `future.drop-readable`
    FutureDropReadable,
    /// `future.drop-writable`
    FutureDropWritable,
}

/// The immediates an [`AsyncOp`] takes after its type index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsyncImm {
    /// None.
    None,
    /// A vector of canonical options.
    Opts,
    /// An `async?` flag byte.
    AsyncFlag,
}

impl AsyncOp {
    /// Every stream/future built-in with its opcode, text name and immediates.
    pub const ALL: [(AsyncOp, u8, &'static str, AsyncImm); 14] = [
        (AsyncOp::StreamNew, 0x0e, "stream.new", AsyncImm::None),
        (AsyncOp::StreamRead, 0x0f, "stream.read", AsyncImm::Opts),
        (AsyncOp::StreamWrite, 0x10, "stream.write", AsyncImm::Opts),
        (
            AsyncOp::StreamCancelRead,
            0x11,
            "stream.cancel-read",
            AsyncImm::AsyncFlag,
        ),
        (
            AsyncOp::StreamCancelWrite,
            0x12,
            "stream.cancel-write",
            AsyncImm::AsyncFlag,
        ),
        (
            AsyncOp::StreamDropReadable,
            0x13,
            "stream.drop-readable",
            AsyncImm::None,
        ),
        (
            AsyncOp::StreamDropWritable,
            0x14,
            "stream.drop-writable",
            AsyncImm::None,
        ),
        (AsyncOp::FutureNew, 0x15, "future.new", AsyncImm::None),
        (AsyncOp::FutureRead, 0x16, "future.read", AsyncImm::Opts),
        (AsyncOp::FutureWrite, 0x17, "future.write", AsyncImm::Opts),
        (
            AsyncOp::FutureCancelRead,
            0x18,
            "future.cancel-read",
            AsyncImm::AsyncFlag,
        ),
        (
            AsyncOp::FutureCancelWrite,
            0x19,
            "future.cancel-write",
            AsyncImm::AsyncFlag,
        ),
        (
            AsyncOp::FutureDropReadable,
            0x1a,
            "future.drop-readable",
            AsyncImm::None,
        ),
        (
            AsyncOp::FutureDropWritable,
            0x1b,
            "future.drop-writable",
            AsyncImm::None,
        ),
    ];

    /// This built-in's row of [`AsyncOp::ALL`].
    pub fn row(self) -> (AsyncOp, u8, &'static str, AsyncImm) {
        AsyncOp::ALL[self as usize]
    }
}

/// Built-ins whose only immediate is a flag byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagOp {
    /// `subtask.cancel async?`
    SubtaskCancel,
    /// `thread.yield cancellable?`
    ThreadYield,
    /// `thread.suspend cancellable?`
    ThreadSuspend,
    /// `thread.suspend-then-resume cancellable?`
    ThreadSuspendThenResume,
    /// `thread.yield-then-resume cancellable?`
    ThreadYieldThenResume,
    /// `thread.suspend-then-promote cancellable?`
    ThreadSuspendThenPromote,
    /// `thread.yield-then-promote cancellable?`
    ThreadYieldThenPromote,
}

impl FlagOp {
    /// Every flagged built-in with its opcode and text name.
    pub const ALL: [(FlagOp, u8, &'static str); 7] = [
        (FlagOp::SubtaskCancel, 0x06, "subtask.cancel"),
        (FlagOp::ThreadYield, 0x0c, "thread.yield"),
        (FlagOp::ThreadSuspend, 0x29, "thread.suspend"),
        (
            FlagOp::ThreadSuspendThenResume,
            0x2a,
            "thread.suspend-then-resume",
        ),
        (
            FlagOp::ThreadYieldThenResume,
            0x2b,
            "thread.yield-then-resume",
        ),
        (
            FlagOp::ThreadSuspendThenPromote,
            0x2c,
            "thread.suspend-then-promote",
        ),
        (
            FlagOp::ThreadYieldThenPromote,
            0x2d,
            "thread.yield-then-promote",
        ),
    ];

    /// This built-in's row of [`FlagOp::ALL`].
    pub fn row(self) -> (FlagOp, u8, &'static str) {
        FlagOp::ALL[self as usize]
    }
}

/// Built-ins without immediates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlainOp {
    /// `backpressure.inc`
    BackpressureInc,
    /// `backpressure.dec`
    BackpressureDec,
    /// `task.cancel`
    TaskCancel,
    /// `subtask.drop`
    SubtaskDrop,
    /// `error-context.drop`
    ErrorContextDrop,
    /// `waitable-set.new`
    WaitableSetNew,
    /// `waitable-set.drop`
    WaitableSetDrop,
    /// `waitable.join`
    WaitableJoin,
    /// `thread.index`
    ThreadIndex,
    /// `thread.resume-later`
    ThreadResumeLater,
}

impl PlainOp {
    /// Every immediate-free built-in with its opcode and text name.
    pub const ALL: [(PlainOp, u8, &'static str); 10] = [
        (PlainOp::BackpressureInc, 0x24, "backpressure.inc"),
        (PlainOp::BackpressureDec, 0x25, "backpressure.dec"),
        (PlainOp::TaskCancel, 0x05, "task.cancel"),
        (PlainOp::SubtaskDrop, 0x0d, "subtask.drop"),
        (PlainOp::ErrorContextDrop, 0x1e, "error-context.drop"),
        (PlainOp::WaitableSetNew, 0x1f, "waitable-set.new"),
        (PlainOp::WaitableSetDrop, 0x22, "waitable-set.drop"),
        (PlainOp::WaitableJoin, 0x23, "waitable.join"),
        (PlainOp::ThreadIndex, 0x26, "thread.index"),
        (PlainOp::ThreadResumeLater, 0x28, "thread.resume-later"),
    ];

    /// This built-in's row of [`PlainOp::ALL`].
    pub fn row(self) -> (PlainOp, u8, &'static str) {
        PlainOp::ALL[self as usize]
    }
}

/// The shared-everything-threads built-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpawnOp {
    /// `thread.spawn-ref` (0x40)
    SpawnRef,
    /// `thread.spawn-indirect` (0x41)
    SpawnIndirect,
    /// `thread.available-parallelism` (0x42)
    AvailableParallelism,
}

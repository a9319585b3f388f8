//! The wtool interpreter: the spec's store and instance model, a compiler
//! from validated functions to register-form internal code (operands are
//! frame slots), lowered to direct-threaded code whose handlers keep the
//! instruction pointer, frame base and memory 0 in registers, over an
//! explicit frame stack and a value stack of untyped 64-bit slots.
//!
//! ```ignore
//! use wtool_interp::{Imports, Store, Value};
//! let module = wtool_binary::decode(&bytes)?;
//! wtool_validate::validate(&module, Features::WASM2)?; // the interpreter assumes valid modules
//! let mut store = Store::new();
//! let inst = store.instantiate(&module, &Imports::new())?;
//! let results = store.invoke(inst, "add", &[Value::I32(1), Value::I32(2)])?;
//! assert_eq!(results, vec![Value::I32(3)]);
//! ```
//!
//! - **Instantiation** ([`Store::instantiate`]) resolves imports through a
//!   [`Resolver`] (e.g. [`Imports`]), failing with the spec's link errors
//!   ("unknown import", "incompatible import type"), allocates, initialises
//!   element then data segments in order (trapping "out of bounds
//!   table/memory access" with earlier writes kept) and runs the start
//!   function. Functions are translated on their first call; a
//!   [`CompiledModule`] (what [`Store::instantiate_compiled`] takes) shares
//!   its translations between all its instances, and may decode bodies
//!   lazily too. Validate first: the compiler re-checks the stack
//!   discipline it relies on and traps with the [`CompileError`] rather than
//!   panic, but it is not a validator.
//! - **Calls**: [`Store::invoke`] (by export name) or [`Store::call`] (by
//!   address) with typed [`Value`]s; results come back typed.
//! - **Traps** ([`Trap`]) carry a [`TrapKind`] whose message is the spec's
//!   ("integer divide by zero", "call stack exhausted", ...) and a wasm
//!   backtrace (function index, name from the name section, instruction
//!   offset from `Expr::offsets`), innermost first.
//! - **Limits** ([`Config`]): call depth and value-stack size (exceeding
//!   either traps "call stack exhausted"; wasm calls never recurse natively),
//!   and optional fuel (one unit per call and loop iteration; running out
//!   traps "all fuel consumed").
//! - **Host functions** ([`Store::add_host_func`]) take a [`Caller`] (the
//!   store and the calling instance, e.g. its exported `memory`), typed
//!   arguments and a result buffer; they are bound to imports like any other
//!   extern, so a WASI preview1 implementation is a set of host functions
//!   defined under `wasi_snapshot_preview1` in an [`Imports`]
//!   ([`TrapKind::Exit`] carries `proc_exit`).

mod atomic;
mod code;
mod compile;
mod compiled;
mod exec;
mod exn;
mod forms;
mod gc;
mod handlers;
mod ins;
mod instance;
mod memops;
pub mod memory;
mod numeric;
mod region;
mod store;
pub mod table;
mod trap;
mod typing;
mod values;
mod wide;

pub use compile::{CompileError, CompileErrorKind};
pub use compiled::{debug_listing, BinaryBodies, CompiledModule};
pub use exn::Thrown;
pub use gc::GcStats;
pub use instance::{zero_slots, Imports, InstantiateError, Resolver};
pub use store::{
    Caller, Config, Extern, ExternType, GlobalAddr, HostFn, InstanceId, MemAddr, Store, TableAddr,
    TagAddr,
};
pub use trap::{BacktraceFrame, Trap, TrapKind};
pub use values::{AnyRef, FuncAddr, GcRef, Value, NULL_REF};

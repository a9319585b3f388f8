//! The wtool `Module` AST: the one data structure every stage of the
//! toolchain meets at. Text parsing and binary decoding produce it;
//! validation, encoding, printing, dumping, optimization and execution
//! consume it. It has no I/O and no opinions about formats.

pub mod features;
pub mod instr;
pub mod module;
pub mod names;
pub mod ops;
pub mod types;

pub use features::{Features, UnknownFeature};
pub use instr::{BlockType, BrTable, Expr, Instr, MemArg, MemLane};
pub use module::*;
pub use names::{IndirectNameMap, NameMap, Names};
pub use ops::{Op, OpInfo, OpKind, OPS};
pub use types::*;

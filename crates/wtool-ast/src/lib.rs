//! The wtool `Module` AST: the one data structure every stage of the
//! toolchain meets at. Text parsing and binary decoding produce it;
//! validation, encoding, printing, dumping, optimization and execution
//! consume it. It has no I/O and no opinions about formats.

pub mod arity;
pub mod canon;
pub mod features;
mod generated;
pub mod instr;
pub mod module;
pub mod names;
pub mod ops;
pub mod types;
pub mod visit;

pub use arity::StackEnv;
pub use features::{Features, UnknownFeature};
pub use instr::{
    BlockType, BrCast, BrTable, Catch, Expr, IndexSpace, Instr, InstrVisitor, MemArg, MemLane,
    TryTable, MNEMONICS,
};
pub use module::*;
pub use names::{IndirectNameMap, NameMap, Names};
pub use ops::{Op, OpInfo, OpKind, OPS};
pub use types::*;

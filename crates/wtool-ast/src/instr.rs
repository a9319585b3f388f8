//! Instructions.
//!
//! [`Instr`] is generated from the instruction table (`instructions.txt`,
//! see `cargo xtask gen`); this file holds the immediate types it uses.
//! `Instr` is walked by every stage, so it is kept to 16 bytes: immediates
//! that are rare and large (br_table targets, v128 constants, shuffles, lane
//! memory ops, casts, catch clauses) are boxed. Table-driven opcodes (see
//! [`crate::ops`]) share four variants by immediate shape.

use crate::ops::Op;
use crate::types::{RefType, ValType};

/// A memory immediate: offset, alignment and memory index.
///
/// Packed so that `Instr::Mem(Op, MemArg)` fits in 16 bytes; copy fields out
/// (`let o = m.offset;`) rather than borrowing them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(C, packed)]
pub struct MemArg {
    /// Static offset added to the dynamic address.
    pub offset: u64,
    /// The memory (multi-memory); 0 otherwise.
    pub memory: u32,
    /// log2 of the alignment hint.
    pub align: u8,
}

/// The type of a `block`, `loop` or `if`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockType {
    /// `[] -> []`.
    Empty,
    /// `[] -> [t]`.
    Value(ValType),
    /// A type index (multi-value).
    Func(u32),
}

/// Targets of a `br_table`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrTable {
    /// Label depths indexed by the operand.
    pub targets: Box<[u32]>,
    /// Label depth for out-of-range operands.
    pub default: u32,
}

/// A SIMD load/store of a single lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemLane {
    /// Which of the `v128.{load,store}N_lane` ops.
    pub op: Op,
    /// Memory immediate.
    pub memarg: MemArg,
    /// Lane index.
    pub lane: u8,
}

/// The immediates of `br_on_cast` and its relatives: the label, and the
/// reference types cast from and to (their nullability is encoded in a flags
/// byte in binary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BrCast {
    /// Branch depth.
    pub label: u32,
    /// The operand's type.
    pub from: RefType,
    /// The type tested for.
    pub to: RefType,
}

/// A catch clause of `try_table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Catch {
    /// `(catch tag label)`: branch with the exception's values.
    Catch {
        /// The tag caught.
        tag: u32,
        /// Branch depth, relative to the `try_table`'s enclosing block.
        label: u32,
    },
    /// `(catch_ref tag label)`: the values and the `exnref`.
    CatchRef {
        /// The tag caught.
        tag: u32,
        /// Branch depth.
        label: u32,
    },
    /// `(catch_all label)`: any exception, no values.
    CatchAll {
        /// Branch depth.
        label: u32,
    },
    /// `(catch_all_ref label)`: any exception, its `exnref`.
    CatchAllRef {
        /// Branch depth.
        label: u32,
    },
}

impl Catch {
    /// The clause's branch depth.
    pub fn label(&self) -> u32 {
        match *self {
            Catch::Catch { label, .. }
            | Catch::CatchRef { label, .. }
            | Catch::CatchAll { label }
            | Catch::CatchAllRef { label } => label,
        }
    }

    /// The tag, for clauses that name one.
    pub fn tag(&self) -> Option<u32> {
        match *self {
            Catch::Catch { tag, .. } | Catch::CatchRef { tag, .. } => Some(tag),
            Catch::CatchAll { .. } | Catch::CatchAllRef { .. } => None,
        }
    }

    /// True for the `_ref` forms, which also pass the `exnref`.
    pub fn is_ref(&self) -> bool {
        matches!(self, Catch::CatchRef { .. } | Catch::CatchAllRef { .. })
    }

    /// The binary opcode of the clause (0–3) and its text keyword.
    pub fn code(&self) -> (u8, &'static str) {
        match self {
            Catch::Catch { .. } => (0, "catch"),
            Catch::CatchRef { .. } => (1, "catch_ref"),
            Catch::CatchAll { .. } => (2, "catch_all"),
            Catch::CatchAllRef { .. } => (3, "catch_all_ref"),
        }
    }
}

pub use crate::generated::instr::{IndexSpace, Instr, InstrVisitor, TryTable, MNEMONICS};

const _: () = assert!(std::mem::size_of::<Instr>() == 16);

/// An instruction sequence with the source position of each instruction.
///
/// Function bodies and constant expressions both end with [`Instr::End`].
/// `offsets[i]` is where `instrs[i]` starts: a byte offset in the file for
/// binary input, a byte offset in the source text for text input (see
/// [`crate::Module::origin`]). It may be empty when positions are unknown
/// (modules built by the optimizer).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Expr {
    /// The instructions.
    pub instrs: Vec<Instr>,
    /// Start offset of each instruction, or empty.
    pub offsets: Vec<u32>,
}

impl Expr {
    /// An expression without positions.
    pub fn new(instrs: Vec<Instr>) -> Self {
        Expr {
            instrs,
            offsets: Vec::new(),
        }
    }

    /// Position of instruction `i`, if known.
    #[inline]
    pub fn offset_of(&self, i: usize) -> Option<u32> {
        self.offsets.get(i).copied()
    }
}

//! Instructions.
//!
//! [`Instr`] is walked by every stage, so it is kept to 16 bytes: immediates
//! that are rare and large (br_table targets, v128 constants, shuffles, lane
//! memory ops) are boxed. Table-driven opcodes (see [`crate::ops`]) share four
//! variants by immediate shape; everything with typed immediates has its own.

use crate::ops::Op;
use crate::types::{HeapType, ValType};

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

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Instr {
    /// `unreachable`
    Unreachable,
    /// `nop`
    Nop,
    /// `block bt`
    Block(BlockType),
    /// `loop bt`
    Loop(BlockType),
    /// `if bt`
    If(BlockType),
    /// `else`
    Else,
    /// `end` of a block or of a function body / constant expression.
    End,
    /// `br l`
    Br(u32),
    /// `br_if l`
    BrIf(u32),
    /// `br_table l* l`
    BrTable(Box<BrTable>),
    /// `return`
    Return,
    /// `call f`
    Call(u32),
    /// `call_indirect table (type t)`
    CallIndirect {
        /// Expected function type.
        type_idx: u32,
        /// The table.
        table: u32,
    },
    /// `drop`
    Drop,
    /// `select` without a type annotation.
    Select,
    /// `select (result t)`
    SelectT(ValType),
    /// `local.get x`
    LocalGet(u32),
    /// `local.set x`
    LocalSet(u32),
    /// `local.tee x`
    LocalTee(u32),
    /// `global.get x`
    GlobalGet(u32),
    /// `global.set x`
    GlobalSet(u32),
    /// `table.get t`
    TableGet(u32),
    /// `table.set t`
    TableSet(u32),
    /// `table.init t e`
    TableInit {
        /// Element segment.
        elem: u32,
        /// Destination table.
        table: u32,
    },
    /// `elem.drop e`
    ElemDrop(u32),
    /// `table.copy dst src`
    TableCopy {
        /// Destination table.
        dst: u32,
        /// Source table.
        src: u32,
    },
    /// `table.grow t`
    TableGrow(u32),
    /// `table.size t`
    TableSize(u32),
    /// `table.fill t`
    TableFill(u32),
    /// `memory.size m`
    MemorySize(u32),
    /// `memory.grow m`
    MemoryGrow(u32),
    /// `memory.init m d`
    MemoryInit {
        /// Data segment.
        data: u32,
        /// Destination memory.
        mem: u32,
    },
    /// `data.drop d`
    DataDrop(u32),
    /// `memory.copy dst src`
    MemoryCopy {
        /// Destination memory.
        dst: u32,
        /// Source memory.
        src: u32,
    },
    /// `memory.fill m`
    MemoryFill(u32),
    /// `i32.const`
    I32Const(i32),
    /// `i64.const`
    I64Const(i64),
    /// `f32.const`, as raw bits so every NaN payload survives.
    F32Const(u32),
    /// `f64.const`, as raw bits.
    F64Const(u64),
    /// `v128.const`, little-endian bytes.
    V128Const(Box<[u8; 16]>),
    /// `i8x16.shuffle` lane indices.
    I8x16Shuffle(Box<[u8; 16]>),
    /// `ref.null ht`
    RefNull(HeapType),
    /// `ref.is_null`
    RefIsNull,
    /// `ref.func f`
    RefFunc(u32),
    /// A table-driven op without immediates (`i32.add`, `f32x4.mul`, …).
    Plain(Op),
    /// A table-driven load or store with a memarg.
    Mem(Op, MemArg),
    /// A table-driven SIMD op with a lane index (`i32x4.extract_lane 1`).
    Lane(Op, u8),
    /// `v128.{load,store}N_lane`.
    MemLane(Box<MemLane>),
}

const _: () = assert!(std::mem::size_of::<Instr>() == 16);

impl Instr {
    /// The table-driven opcode, if this instruction has one.
    #[inline]
    pub fn op(&self) -> Option<Op> {
        match self {
            Instr::Plain(op) | Instr::Mem(op, _) | Instr::Lane(op, _) => Some(*op),
            Instr::MemLane(m) => Some(m.op),
            _ => None,
        }
    }

    /// The text-format mnemonic.
    pub fn mnemonic(&self) -> &'static str {
        match self {
            Instr::Unreachable => "unreachable",
            Instr::Nop => "nop",
            Instr::Block(_) => "block",
            Instr::Loop(_) => "loop",
            Instr::If(_) => "if",
            Instr::Else => "else",
            Instr::End => "end",
            Instr::Br(_) => "br",
            Instr::BrIf(_) => "br_if",
            Instr::BrTable(_) => "br_table",
            Instr::Return => "return",
            Instr::Call(_) => "call",
            Instr::CallIndirect { .. } => "call_indirect",
            Instr::Drop => "drop",
            Instr::Select | Instr::SelectT(_) => "select",
            Instr::LocalGet(_) => "local.get",
            Instr::LocalSet(_) => "local.set",
            Instr::LocalTee(_) => "local.tee",
            Instr::GlobalGet(_) => "global.get",
            Instr::GlobalSet(_) => "global.set",
            Instr::TableGet(_) => "table.get",
            Instr::TableSet(_) => "table.set",
            Instr::TableInit { .. } => "table.init",
            Instr::ElemDrop(_) => "elem.drop",
            Instr::TableCopy { .. } => "table.copy",
            Instr::TableGrow(_) => "table.grow",
            Instr::TableSize(_) => "table.size",
            Instr::TableFill(_) => "table.fill",
            Instr::MemorySize(_) => "memory.size",
            Instr::MemoryGrow(_) => "memory.grow",
            Instr::MemoryInit { .. } => "memory.init",
            Instr::DataDrop(_) => "data.drop",
            Instr::MemoryCopy { .. } => "memory.copy",
            Instr::MemoryFill(_) => "memory.fill",
            Instr::I32Const(_) => "i32.const",
            Instr::I64Const(_) => "i64.const",
            Instr::F32Const(_) => "f32.const",
            Instr::F64Const(_) => "f64.const",
            Instr::V128Const(_) => "v128.const",
            Instr::I8x16Shuffle(_) => "i8x16.shuffle",
            Instr::RefNull(_) => "ref.null",
            Instr::RefIsNull => "ref.is_null",
            Instr::RefFunc(_) => "ref.func",
            Instr::Plain(op) | Instr::Mem(op, _) | Instr::Lane(op, _) => op.name(),
            Instr::MemLane(m) => m.op.name(),
        }
    }

    /// True for `block`, `loop` and `if`, which open a control frame.
    #[inline]
    pub fn opens_block(&self) -> bool {
        matches!(self, Instr::Block(_) | Instr::Loop(_) | Instr::If(_))
    }
}

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

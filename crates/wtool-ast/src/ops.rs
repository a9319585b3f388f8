//! The table-driven ops: every instruction whose typing is a fixed signature
//! over plain value types and whose only immediates are a memarg and/or a
//! lane index (numeric, memory access, atomic and SIMD ops).
//!
//! The rows are in the instruction table (`instructions.txt`), generated into
//! [`Op`] and [`OPS`]: text mnemonic, binary prefix byte (0 for single-byte
//! opcodes), opcode, immediate kind, parameter and result types (with an i32
//! address for memory ops; memory64 widens it in the validator), and the
//! feature that introduced it.

use crate::features::Features;
use crate::types::ValType;

/// What immediates an [`Op`] takes and what they mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// No immediates.
    Plain,
    /// A load with a memarg; the payload is log2 of the natural alignment.
    Load(u8),
    /// A store with a memarg; the payload is log2 of the natural alignment.
    Store(u8),
    /// A lane index immediate; the payload is the lane count.
    Lane(u8),
    /// A memarg plus a lane index, loading one lane; payload is log2 of the access size.
    LoadLane(u8),
    /// A memarg plus a lane index, storing one lane; payload is log2 of the access size.
    StoreLane(u8),
    /// An atomic access (threads) with a memarg, whose alignment must be
    /// exactly the natural one; payload is log2 of the access size.
    Atomic(u8),
}

impl OpKind {
    /// log2 of the natural alignment for memory ops.
    pub fn natural_align(self) -> Option<u8> {
        match self {
            OpKind::Load(a)
            | OpKind::Store(a)
            | OpKind::LoadLane(a)
            | OpKind::StoreLane(a)
            | OpKind::Atomic(a) => Some(a),
            _ => None,
        }
    }

    /// Number of lanes a lane immediate may address.
    pub fn lanes(self) -> Option<u8> {
        match self {
            OpKind::Lane(n) => Some(n),
            OpKind::LoadLane(a) | OpKind::StoreLane(a) => Some(16 >> a),
            _ => None,
        }
    }
}

/// One row of the opcode table.
#[derive(Debug)]
pub struct OpInfo {
    /// Text format mnemonic, e.g. `i32.add`.
    pub name: &'static str,
    /// Prefix byte (0xfc, 0xfd) or 0 for single-byte opcodes.
    pub prefix: u8,
    /// The opcode (LEB128 u32 after a prefix).
    pub code: u32,
    /// Immediate shape.
    pub kind: OpKind,
    /// Operand types popped, bottom first.
    pub params: &'static [ValType],
    /// Result types pushed.
    pub results: &'static [ValType],
    /// The proposal that introduced the op; empty for the MVP.
    pub feature: Features,
}

pub use crate::generated::ops::{Op, OPS};

impl Op {
    /// This op's table row.
    #[inline]
    pub fn info(self) -> &'static OpInfo {
        &OPS[self as usize]
    }

    /// Text mnemonic.
    #[inline]
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Immediate shape.
    #[inline]
    pub fn kind(self) -> OpKind {
        self.info().kind
    }

    /// `(operands popped, results pushed)`.
    #[inline]
    pub fn arity(self) -> (u32, u32) {
        let i = self.info();
        (i.params.len() as u32, i.results.len() as u32)
    }

    /// Looks an opcode up by its text mnemonic (linear table built once).
    pub fn from_name(name: &str) -> Option<Op> {
        use std::collections::HashMap;
        use std::sync::OnceLock;
        static BY_NAME: OnceLock<HashMap<&'static str, Op>> = OnceLock::new();
        BY_NAME
            .get_or_init(|| Op::ALL.iter().map(|&op| (op.name(), op)).collect())
            .get(name)
            .copied()
    }
}

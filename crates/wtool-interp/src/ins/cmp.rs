//! Comparisons that fuse into conditional jumps, and their operands.

use super::Ins;

/// An i32 comparison that can be fused into a conditional jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

/// The right operand of a fused comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rhs {
    Slot(u32),
    Imm(u32),
}

impl Cmp {
    /// The comparison that holds exactly when this one does not.
    pub(crate) fn inverse(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::LtS => Cmp::GeS,
            Cmp::LtU => Cmp::GeU,
            Cmp::GtS => Cmp::LeS,
            Cmp::GtU => Cmp::LeU,
            Cmp::LeS => Cmp::GtS,
            Cmp::LeU => Cmp::GtU,
            Cmp::GeS => Cmp::LtS,
            Cmp::GeU => Cmp::LtU,
        }
    }

    /// The fused jump to `to` if `a <cmp> rhs`.
    pub(crate) fn jump(self, a: u32, rhs: Rhs, to: u32) -> Ins {
        match rhs {
            Rhs::Slot(b) => match self {
                Cmp::Eq => Ins::JumpIfEq { a, b, to },
                Cmp::Ne => Ins::JumpIfNe { a, b, to },
                Cmp::LtS => Ins::JumpIfLtS { a, b, to },
                Cmp::LtU => Ins::JumpIfLtU { a, b, to },
                Cmp::GtS => Ins::JumpIfGtS { a, b, to },
                Cmp::GtU => Ins::JumpIfGtU { a, b, to },
                Cmp::LeS => Ins::JumpIfLeS { a, b, to },
                Cmp::LeU => Ins::JumpIfLeU { a, b, to },
                Cmp::GeS => Ins::JumpIfGeS { a, b, to },
                Cmp::GeU => Ins::JumpIfGeU { a, b, to },
            },
            Rhs::Imm(imm) => match self {
                Cmp::Eq => Ins::JumpIfEqI { a, imm, to },
                Cmp::Ne => Ins::JumpIfNeI { a, imm, to },
                Cmp::LtS => Ins::JumpIfLtSI { a, imm, to },
                Cmp::LtU => Ins::JumpIfLtUI { a, imm, to },
                Cmp::GtS => Ins::JumpIfGtSI { a, imm, to },
                Cmp::GtU => Ins::JumpIfGtUI { a, imm, to },
                Cmp::LeS => Ins::JumpIfLeSI { a, imm, to },
                Cmp::LeU => Ins::JumpIfLeUI { a, imm, to },
                Cmp::GeS => Ins::JumpIfGeSI { a, imm, to },
                Cmp::GeU => Ins::JumpIfGeUI { a, imm, to },
            },
        }
    }

    /// The fused i64 jump to `to` if `a <cmp> rhs` (an immediate is
    /// sign-extended).
    pub(crate) fn jump64(self, a: u32, rhs: Rhs, to: u32) -> Ins {
        match rhs {
            Rhs::Slot(b) => match self {
                Cmp::Eq => Ins::JumpIfEq64 { a, b, to },
                Cmp::Ne => Ins::JumpIfNe64 { a, b, to },
                Cmp::LtS => Ins::JumpIfLtS64 { a, b, to },
                Cmp::LtU => Ins::JumpIfLtU64 { a, b, to },
                Cmp::GtS => Ins::JumpIfGtS64 { a, b, to },
                Cmp::GtU => Ins::JumpIfGtU64 { a, b, to },
                Cmp::LeS => Ins::JumpIfLeS64 { a, b, to },
                Cmp::LeU => Ins::JumpIfLeU64 { a, b, to },
                Cmp::GeS => Ins::JumpIfGeS64 { a, b, to },
                Cmp::GeU => Ins::JumpIfGeU64 { a, b, to },
            },
            Rhs::Imm(imm) => match self {
                Cmp::Eq => Ins::JumpIfEq64I { a, imm, to },
                Cmp::Ne => Ins::JumpIfNe64I { a, imm, to },
                Cmp::LtS => Ins::JumpIfLtS64I { a, imm, to },
                Cmp::LtU => Ins::JumpIfLtU64I { a, imm, to },
                Cmp::GtS => Ins::JumpIfGtS64I { a, imm, to },
                Cmp::GtU => Ins::JumpIfGtU64I { a, imm, to },
                Cmp::LeS => Ins::JumpIfLeS64I { a, imm, to },
                Cmp::LeU => Ins::JumpIfLeU64I { a, imm, to },
                Cmp::GeS => Ins::JumpIfGeS64I { a, imm, to },
                Cmp::GeU => Ins::JumpIfGeU64I { a, imm, to },
            },
        }
    }

    /// The i64 comparison (and operands) a compare instruction performs.
    pub(crate) fn of64(i: Ins) -> Option<(Cmp, u32, Rhs)> {
        Some(match i {
            Ins::I64Eq { a, b, .. } => (Cmp::Eq, a, Rhs::Slot(b)),
            Ins::I64Ne { a, b, .. } => (Cmp::Ne, a, Rhs::Slot(b)),
            Ins::I64LtS { a, b, .. } => (Cmp::LtS, a, Rhs::Slot(b)),
            Ins::I64LtU { a, b, .. } => (Cmp::LtU, a, Rhs::Slot(b)),
            Ins::I64GtS { a, b, .. } => (Cmp::GtS, a, Rhs::Slot(b)),
            Ins::I64GtU { a, b, .. } => (Cmp::GtU, a, Rhs::Slot(b)),
            Ins::I64LeS { a, b, .. } => (Cmp::LeS, a, Rhs::Slot(b)),
            Ins::I64LeU { a, b, .. } => (Cmp::LeU, a, Rhs::Slot(b)),
            Ins::I64GeS { a, b, .. } => (Cmp::GeS, a, Rhs::Slot(b)),
            Ins::I64GeU { a, b, .. } => (Cmp::GeU, a, Rhs::Slot(b)),
            Ins::I64EqI { a, imm, .. } => (Cmp::Eq, a, Rhs::Imm(imm)),
            Ins::I64NeI { a, imm, .. } => (Cmp::Ne, a, Rhs::Imm(imm)),
            Ins::I64LtSI { a, imm, .. } => (Cmp::LtS, a, Rhs::Imm(imm)),
            Ins::I64LtUI { a, imm, .. } => (Cmp::LtU, a, Rhs::Imm(imm)),
            Ins::I64GtSI { a, imm, .. } => (Cmp::GtS, a, Rhs::Imm(imm)),
            Ins::I64GtUI { a, imm, .. } => (Cmp::GtU, a, Rhs::Imm(imm)),
            Ins::I64LeSI { a, imm, .. } => (Cmp::LeS, a, Rhs::Imm(imm)),
            Ins::I64LeUI { a, imm, .. } => (Cmp::LeU, a, Rhs::Imm(imm)),
            Ins::I64GeSI { a, imm, .. } => (Cmp::GeS, a, Rhs::Imm(imm)),
            Ins::I64GeUI { a, imm, .. } => (Cmp::GeU, a, Rhs::Imm(imm)),
            Ins::I64Eqz { a, .. } => (Cmp::Eq, a, Rhs::Imm(0)),
            _ => return None,
        })
    }

    /// The i32 comparison (and operands) a compare instruction performs.
    pub(crate) fn of(i: Ins) -> Option<(Cmp, u32, Rhs)> {
        Some(match i {
            Ins::I32Eq { a, b, .. } => (Cmp::Eq, a, Rhs::Slot(b)),
            Ins::I32Ne { a, b, .. } => (Cmp::Ne, a, Rhs::Slot(b)),
            Ins::I32LtS { a, b, .. } => (Cmp::LtS, a, Rhs::Slot(b)),
            Ins::I32LtU { a, b, .. } => (Cmp::LtU, a, Rhs::Slot(b)),
            Ins::I32GtS { a, b, .. } => (Cmp::GtS, a, Rhs::Slot(b)),
            Ins::I32GtU { a, b, .. } => (Cmp::GtU, a, Rhs::Slot(b)),
            Ins::I32LeS { a, b, .. } => (Cmp::LeS, a, Rhs::Slot(b)),
            Ins::I32LeU { a, b, .. } => (Cmp::LeU, a, Rhs::Slot(b)),
            Ins::I32GeS { a, b, .. } => (Cmp::GeS, a, Rhs::Slot(b)),
            Ins::I32GeU { a, b, .. } => (Cmp::GeU, a, Rhs::Slot(b)),
            Ins::I32EqI { a, imm, .. } => (Cmp::Eq, a, Rhs::Imm(imm)),
            Ins::I32NeI { a, imm, .. } => (Cmp::Ne, a, Rhs::Imm(imm)),
            Ins::I32LtSI { a, imm, .. } => (Cmp::LtS, a, Rhs::Imm(imm)),
            Ins::I32LtUI { a, imm, .. } => (Cmp::LtU, a, Rhs::Imm(imm)),
            Ins::I32GtSI { a, imm, .. } => (Cmp::GtS, a, Rhs::Imm(imm)),
            Ins::I32GtUI { a, imm, .. } => (Cmp::GtU, a, Rhs::Imm(imm)),
            Ins::I32LeSI { a, imm, .. } => (Cmp::LeS, a, Rhs::Imm(imm)),
            Ins::I32LeUI { a, imm, .. } => (Cmp::LeU, a, Rhs::Imm(imm)),
            Ins::I32GeSI { a, imm, .. } => (Cmp::GeS, a, Rhs::Imm(imm)),
            Ins::I32GeUI { a, imm, .. } => (Cmp::GeU, a, Rhs::Imm(imm)),
            // `eqz` is `== 0`.
            Ins::I32Eqz { a, .. } => (Cmp::Eq, a, Rhs::Imm(0)),
            _ => return None,
        })
    }
}

//! Exact semantics of every table-driven WebAssembly operator
//! ([`wtool_ast::Op`]): the scalar numeric ops, sign extension, saturating
//! truncation, and the whole SIMD set including relaxed SIMD.
//!
//! The interpreter and the optimizer's constant folder must agree bit for
//! bit, so both call this crate. Two layers:
//!
//! - [`scalar`] and [`simd`]: one small `#[inline]` function per operator on
//!   native Rust types (`i32`, `f32`, `u128` for `v128`, ...), cheap enough
//!   for an interpreter's dispatch loop.
//! - [`eval`]: a dynamically typed entry point over [`Value`] covering every
//!   `Plain` and `Lane` op, for constant folding and tests.
//!
//! # Determinism
//!
//! Where the specification allows a choice, this crate makes the one the
//! spec's reference interpreter makes:
//!
//! - A float operation whose result is NaN returns the first NaN operand with
//!   its quiet bit set, else the second, else the positive canonical NaN.
//!   `abs`, `neg`, `copysign`, `pmin`/`pmax` and moves never touch NaN bits.
//! - `demote`/`promote` of a NaN keep its sign and the top of its payload and
//!   set the quiet bit.
//! - Relaxed SIMD follows the spec's deterministic profile: the behaviour of
//!   the non-relaxed counterpart (swizzle, trunc_sat, bitselect, min/max,
//!   q15mulr_sat, signed dot products, unfused multiply-add).

mod eval;
pub mod scalar;
pub mod simd;
#[cfg(test)]
mod tests;

pub use eval::{eval, eval_pair, Value};

use std::fmt;

/// A trap raised by a numeric operator, or a misuse of [`eval`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumTrap {
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed division overflow (`MIN / -1`) or a float truncation out of range.
    IntegerOverflow,
    /// A trapping float-to-integer truncation of a NaN.
    InvalidConversionToInteger,
    /// Not a trap: [`eval`] was given an op it does not evaluate (memory
    /// access), operands of the wrong number or types, or a bad lane index.
    Unsupported,
}

impl NumTrap {
    /// True for the three real traps, false for [`NumTrap::Unsupported`].
    pub fn is_trap(self) -> bool {
        !matches!(self, NumTrap::Unsupported)
    }

    /// The spec testsuite's message for this trap.
    pub fn message(self) -> &'static str {
        match self {
            NumTrap::IntegerDivideByZero => "integer divide by zero",
            NumTrap::IntegerOverflow => "integer overflow",
            NumTrap::InvalidConversionToInteger => "invalid conversion to integer",
            NumTrap::Unsupported => "unsupported operator or operands",
        }
    }
}

impl fmt::Display for NumTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for NumTrap {}

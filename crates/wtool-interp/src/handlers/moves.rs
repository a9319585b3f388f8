//! Two moves in one dispatch.
//!
//! Copies and 32-bit constants are a third of the code of a large C or
//! C++ program (arguments gathered before a call, values kept in locals),
//! and each costs a whole dispatch, mostly a mispredicted indirect jump.
//! `code::lower` gives a move whose successor is another move, reached only
//! from it, one of these handlers: both moves in order, then the
//! instruction after the second. The second move's own entry stays in the
//! code (so instruction indices do not shift) but is never reached.

use super::{dispatch, operands, rd, wr, Cx, Exit, Handler};
use crate::code::Inst;
use crate::ins::Ins;

/// One of the two moves: what it reads, as the operand words hold it.
enum Move {
    Copy { d: u32, s: u32 },
    Const { d: u32, v: u32 },
}

impl Move {
    fn of(i: &Ins) -> Option<Move> {
        match *i {
            Ins::Copy { d, s } => Some(Move::Copy { d, s }),
            Ins::Const32 { d, v } => Some(Move::Const { d, v }),
            _ => None,
        }
    }

    fn words(&self) -> [u32; 2] {
        match *self {
            Move::Copy { d, s } => [d, s],
            Move::Const { d, v } => [d, v],
        }
    }
}

/// The handler and operands doing `first` then `second`, when both are moves.
pub(crate) fn lower_pair(first: &Ins, second: &Ins) -> Option<(Handler, [u32; 4])> {
    let (a, b) = (Move::of(first)?, Move::of(second)?);
    let h: Handler = match (&a, &b) {
        (Move::Copy { .. }, Move::Copy { .. }) => copy_copy,
        (Move::Copy { .. }, Move::Const { .. }) => copy_const,
        (Move::Const { .. }, Move::Copy { .. }) => const_copy,
        (Move::Const { .. }, Move::Const { .. }) => const_const,
    };
    let ([d1, x1], [d2, x2]) = (a.words(), b.words());
    Some((h, [d1, x1, d2, x2]))
}

macro_rules! pair {
    ($name:ident, $first:ident, $second:ident) => {
        #[allow(clippy::redundant_closure_call)]
        fn $name(
            ip: *const Inst,
            sp: *mut u64,
            mem: *mut u8,
            len: usize,
            cx: &mut Cx<'_>,
            _acc: u64,
            facc: f64,
        ) -> Exit {
            let [d1, x1, d2, x2] = operands(ip);
            // In order: the second move may read what the first wrote.
            wr(sp, d1, pair!(@value $first sp x1));
            let v = pair!(@value $second sp x2);
            wr(sp, d2, v);
            // The accumulator holds what the second move wrote, as after
            // the two moves run one by one.
            dispatch(ip.wrapping_add(2), sp, mem, len, cx, v, facc)
        }
    };
    (@value copy $sp:ident $x:ident) => {
        rd($sp, $x)
    };
    (@value konst $sp:ident $x:ident) => {
        u64::from($x)
    };
}

pair!(copy_copy, copy, copy);
pair!(copy_const, copy, konst);
pair!(const_copy, konst, copy);
pair!(const_const, konst, konst);

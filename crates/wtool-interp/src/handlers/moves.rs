//! Two moves in one dispatch.
//!
//! Copies and 32-bit constants are a third of the code of a large C or
//! C++ program (arguments gathered before a call, values kept in locals),
//! and each costs a whole dispatch, mostly a mispredicted indirect jump.
//! `code::lower` gives a move whose successor is another move, reached only
//! from it, one of these handlers: both moves in order, then the
//! instruction after the second. The second move's own entry stays in the
//! code (so instruction indices do not shift) but is never reached.
//!
//! Most calls are preceded by the moves that gather their arguments (or the
//! table index), so one or two moves followed by a `call` (one followed by
//! a `call_indirect`) get a handler that continues into
//! the call handler by a direct jump (with the call's own `ip`, so return
//! addresses and backtraces are unchanged), not an indirect dispatch.

use super::calls::call;
use super::control::call_indirect;
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

/// The handler and operands doing the moves `first` and `second` (and then
/// the call `third`, if it is one); `None` unless both are moves. The
/// caller checks that nothing jumps to `second` or `third`.
pub(crate) fn lower_pair(
    first: &Ins,
    second: &Ins,
    third: Option<&Ins>,
) -> Option<(Handler, [u32; 4])> {
    let (a, b) = (Move::of(first)?, Move::of(second)?);
    let calls = matches!(third, Some(Ins::Call { .. }));
    let h: Handler = match (&a, &b, calls) {
        (Move::Copy { .. }, Move::Copy { .. }, false) => copy_copy,
        (Move::Copy { .. }, Move::Const { .. }, false) => copy_const,
        (Move::Const { .. }, Move::Copy { .. }, false) => const_copy,
        (Move::Const { .. }, Move::Const { .. }, false) => const_const,
        (Move::Copy { .. }, Move::Copy { .. }, true) => copy_copy_call,
        (Move::Copy { .. }, Move::Const { .. }, true) => copy_const_call,
        (Move::Const { .. }, Move::Copy { .. }, true) => const_copy_call,
        (Move::Const { .. }, Move::Const { .. }, true) => const_const_call,
    };
    let ([d1, x1], [d2, x2]) = (a.words(), b.words());
    Some((h, [d1, x1, d2, x2]))
}

/// The handler and operands doing the move `first` and then the call
/// `second` (`call` or `call_indirect`); `None` unless they are a move and
/// a call.
pub(crate) fn lower_move_call(first: &Ins, second: &Ins) -> Option<(Handler, [u32; 4])> {
    let m = Move::of(first)?;
    let h: Handler = match (&m, second) {
        (Move::Copy { .. }, Ins::Call { .. }) => copy_call,
        (Move::Const { .. }, Ins::Call { .. }) => const_call,
        (Move::Copy { .. }, Ins::CallIndirect { .. }) => copy_call_indirect,
        (Move::Const { .. }, Ins::CallIndirect { .. }) => const_call_indirect,
        _ => return None,
    };
    let [d, x] = m.words();
    Some((h, [d, x, 0, 0]))
}

/// Both moves, then `$then` (`dispatch`, or the call's own handler) on
/// the entry after the second.
macro_rules! pair {
    ($name:ident, $first:ident, $second:ident, $then:ident) => {
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
            $then(ip.wrapping_add(2), sp, mem, len, cx, v, facc)
        }
    };
    (@value copy $sp:ident $x:ident) => {
        rd($sp, $x)
    };
    (@value konst $sp:ident $x:ident) => {
        u64::from($x)
    };
}

pair!(copy_copy, copy, copy, dispatch);
pair!(copy_const, copy, konst, dispatch);
pair!(const_copy, konst, copy, dispatch);
pair!(const_const, konst, konst, dispatch);
pair!(copy_copy_call, copy, copy, call);
pair!(copy_const_call, copy, konst, call);
pair!(const_copy_call, konst, copy, call);
pair!(const_const_call, konst, konst, call);

/// The move, then the call handler `$then` on the entry after it.
macro_rules! move_call {
    ($name:ident, $first:ident, $then:ident) => {
        fn $name(
            ip: *const Inst,
            sp: *mut u64,
            mem: *mut u8,
            len: usize,
            cx: &mut Cx<'_>,
            _acc: u64,
            facc: f64,
        ) -> Exit {
            let [d, x, ..] = operands(ip);
            let v = pair!(@value $first sp x);
            wr(sp, d, v);
            $then(ip.wrapping_add(1), sp, mem, len, cx, v, facc)
        }
    };
}

move_call!(copy_call, copy, call);
move_call!(const_call, konst, call);
move_call!(copy_call_indirect, copy, call_indirect);
move_call!(const_call_indirect, konst, call_indirect);

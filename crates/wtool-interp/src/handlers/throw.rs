//! Throwing: `throw`, `throw_ref`, legacy `rethrow`, and the null check of
//! `ref.as_non_null`. A throw ends the handler chain like a trap carrying
//! the exception; the driver loop unwinds to its handler (see `exn`).

use super::{dispatch, operands, rd, Cx, Exit, Handler, TrapCode};
use crate::code::Inst;
use crate::exn::thrown;
use crate::ins::Ins;
use crate::trap::TrapKind;
use crate::values::NULL_REF;

/// The handler and operands of a throwing instruction.
pub(super) fn lower(i: &Ins) -> Option<(Handler, [u32; 4])> {
    let (h, op): (Handler, [u32; 4]) = match *i {
        Ins::Throw { tag, base } => (throw, [tag, base, 0, 0]),
        Ins::ThrowRef { s } => (throw_ref, [s, 0, 0, 0]),
        Ins::Rethrow { s } => (throw_ref, [s, 0, 0, 0]),
        Ins::TrapIfNull { s } => (trap_if_null, [s, 0, 0, 0]),
        _ => return None,
    };
    Some((h, op))
}

/// Stops the chain with exception `exn` thrown at `ip` in the frame at `sp`.
#[cold]
#[inline(never)]
fn raise(ip: *const Inst, sp: *mut u64, cx: &mut Cx<'_>, exn: u64) -> Exit {
    cx.sp = sp;
    let k = thrown(cx.store, exn);
    cx.trap_at(ip, k)
}

#[inline(never)]
fn throw(
    ip: *const Inst,
    sp: *mut u64,
    _: *mut u8,
    _: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [tag, base, ..] = operands(ip);
    let Some(&t) = cx
        .store
        .instances
        .get(cx.inst as usize)
        .and_then(|i| i.tags.get(tag as usize))
    else {
        return cx.trap_code(ip, TrapCode::Unreachable);
    };
    let n = cx
        .store
        .tags
        .get(t as usize)
        .and_then(|&ty| cx.store.param_slots.get(ty as usize))
        .copied()
        .unwrap_or(0) as usize;
    let at = cx.slot_index(sp) + base as usize;
    let Some(vals) = cx.stack_slice().get(at..at + n).map(Box::<[u64]>::from) else {
        return cx.trap_at(ip, TrapKind::Internal("exception values outside the stack"));
    };
    // Everything live is below the thrown values (see `gc`). Copied, as
    // the store is borrowed too, only when a collection is due (once per
    // megabytes of allocation).
    if cx.store.heap.wants_collection() {
        let live = cx.stack_slice()[..at + n].to_vec();
        crate::gc::collect(cx.store, &live);
    }
    match cx.store.heap.alloc_exn(t, vals) {
        Ok(exn) => raise(ip, sp, cx, exn),
        Err(k) => cx.trap_at(ip, k),
    }
}

#[inline(never)]
fn throw_ref(
    ip: *const Inst,
    sp: *mut u64,
    _: *mut u8,
    _: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [s, ..] = operands(ip);
    match rd(sp, s) {
        NULL_REF => cx.trap_at(ip, TrapKind::NullExceptionReference),
        v => raise(ip, sp, cx, v),
    }
}

fn trap_if_null(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [s, ..] = operands(ip);
    if rd(sp, s) == NULL_REF {
        return cx.trap_code(ip, TrapCode::NullReference);
    }
    dispatch(ip.wrapping_add(1), sp, mem, len, cx, 0, 0.0)
}

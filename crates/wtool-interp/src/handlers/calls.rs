//! Tail calls and calls through function references.
//!
//! A tail call reuses the caller's frame: the arguments move down to slot
//! 0 and the callee's code runs at the same `sp`, with no `Frame` pushed,
//! so a chain of tail calls runs in constant stack. When the callee returns,
//! it returns to the caller's caller (the frame below).

use super::control::{enter, host_call_at, land, leave};
use super::{operands, rd, wr, Cx, Exit, Handler, TrapCode};
use crate::code::Inst;
use crate::ins::Ins;
use crate::store::FuncInst;
use crate::values::NULL_REF;

/// The handler and operands of a call instruction of this family.
pub(super) fn lower(i: &Ins) -> Option<(Handler, [u32; 4])> {
    let (h, op): (Handler, [u32; 4]) = match *i {
        Ins::ReturnCall { func, base, n } => (return_call, [func, base, n, 0]),
        Ins::ReturnCallIndirect { table, ty, idx } => (return_call_indirect, [table, ty, idx, 0]),
        Ins::CallRef { r, base } => (call_ref, [r, base, 0, 0]),
        Ins::ReturnCallRef { r, base } => (return_call_ref, [r, base, 0, 0]),
        _ => return None,
    };
    Some((h, op))
}

fn return_call(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [func, base, n, _] = operands(ip);
    let addr = match cx.funcs.get(func as usize) {
        Some(&a) => a,
        None => return cx.trap_code(ip, TrapCode::Unreachable),
    };
    tail(ip, sp, mem, len, cx, addr, base, n)
}

fn return_call_indirect(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [table, ty, idx, _] = operands(ip);
    match super::control::indirect_target(cx, sp, table, ty, idx) {
        Ok((f, ps)) => tail(ip, sp, mem, len, cx, f, idx - ps, ps),
        Err(c) => cx.trap_code(ip, c),
    }
}

/// The store address in function-reference slot `r`, or the null trap.
#[inline(always)]
fn func_ref(sp: *mut u64, r: u32) -> Result<u32, TrapCode> {
    match rd(sp, r) {
        NULL_REF => Err(TrapCode::NullFunctionReference),
        v => Ok((v - 1) as u32),
    }
}

fn call_ref(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [r, base, ..] = operands(ip);
    match func_ref(sp, r) {
        Ok(f) => enter(ip, sp, mem, len, cx, f, base),
        Err(c) => cx.trap_code(ip, c),
    }
}

fn return_call_ref(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [r, base, ..] = operands(ip);
    match func_ref(sp, r) {
        Ok(f) => tail(ip, sp, mem, len, cx, f, base, r - base),
        Err(c) => cx.trap_code(ip, c),
    }
}

/// Continues in function `addr` in the running frame, with its `n`
/// argument slots moved from `base` to slot 0.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn tail(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    addr: u32,
    base: u32,
    n: u32,
) -> Exit {
    // Destinations are at or below sources: ascending order is safe.
    for i in 0..n {
        wr(sp, i, rd(sp, base + i));
    }
    let c = match cx.store.targets.get(addr as usize) {
        Some(t) if !t.entry.is_null() => *t,
        _ => return tail_cold(ip, sp, mem, len, cx, addr, n),
    };
    if cx.slot_index(sp) + c.frame as usize > cx.limit {
        return cx.trap_code(ip, TrapCode::CallStackExhausted);
    }
    land(c, addr, sp, mem, len, cx)
}

/// A tail call through an empty cache entry: a host function (called, then
/// its results returned), or a wasm function not translated yet.
#[cold]
#[inline(never)]
fn tail_cold(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    addr: u32,
    n: u32,
) -> Exit {
    match cx.store.funcs.get(addr as usize) {
        Some(FuncInst::Wasm(_)) => match cx.store.translate(addr) {
            Ok(())
                if cx
                    .store
                    .targets
                    .get(addr as usize)
                    .is_some_and(|t| !t.entry.is_null()) =>
            {
                tail(ip, sp, mem, len, cx, addr, 0, n)
            }
            Ok(()) => cx.trap_code(ip, TrapCode::Unreachable),
            Err(k) => cx.trap_at(ip, k),
        },
        Some(FuncInst::Host { .. }) => {
            let at = cx.slot_index(sp);
            let r = host_call_at(cx, addr, at);
            // The host may have grown or replaced any memory.
            let (mem, len) = cx.mem_view();
            match r {
                Ok(()) => leave(mem, len, cx),
                Err(k) => {
                    // An exception from the host unwinds from this frame.
                    cx.sp = sp;
                    cx.trap_at(ip, k)
                }
            }
        }
        None => cx.trap_code(ip, TrapCode::Unreachable),
    }
}

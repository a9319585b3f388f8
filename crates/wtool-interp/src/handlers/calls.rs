//! Tail calls and calls through function references.
//!
//! A tail call reuses the caller's frame: the arguments move down to slot
//! 0 and the callee's code runs at the same `sp`, with no `Frame` pushed,
//! so a chain of tail calls runs in constant stack. When the callee returns,
//! it returns to the caller's caller (the frame below).

use std::rc::Rc;

use super::control::{enter, host_call_at, land, leave};
use super::{dispatch, operands, rd, wr, Cx, Exit, Frame, Handler, TrapCode};
use crate::code::{header_of, Inst};
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

/// The call cache of a `call` that never caches (its callee is in another
/// instance or module, or a host function); 0 is "not called yet".
const UNCACHED: u64 = 1;

/// `call f`. The call's two spare operand words cache the callee's entry
/// after the first call when the callee's code is the caller's module's
/// own (see `cacheable_entry`): the call then finds the callee's frame
/// layout in the header next to that entry, with none of the dependent
/// loads through the instance's function table and the store's call
/// targets that the general path (`control::enter`) takes. Functions are
/// still translated on their first call.
pub(super) fn call(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [func, base, lo, hi] = operands(ip);
    let cached = u64::from(lo) | u64::from(hi) << 32;
    if cached <= UNCACHED {
        return call_first(ip, sp, mem, len, cx, func, base, cached);
    }
    let entry: *const Inst = std::ptr::with_exposed_provenance(cached as usize);
    // SAFETY: only `call_first` fills the cache, with the entry of a
    // translated function of the same `CompiledModule` and fuel metering as
    // the code holding this call; the module owns both translations and
    // never drops or moves one, so the entry is live while this code runs.
    #[allow(unsafe_code)]
    let [params, locals, frame] = unsafe { header_of(entry) };
    let addr = match cx.funcs.get(func as usize) {
        Some(&a) => a,
        None => return cx.trap_code(ip, TrapCode::Unreachable),
    };
    let new_sp = sp.wrapping_add(base as usize);
    if cx.frames.len() >= cx.max_depth || cx.slot_index(new_sp) + frame as usize > cx.limit {
        return cx.trap_code(ip, TrapCode::CallStackExhausted);
    }
    // Growing the frame stack is a call that would make every call save
    // registers: it happens out of line, which then calls again.
    if cx.frames.len() == cx.frames.capacity() {
        return call_grow(ip, sp, mem, len, cx);
    }
    cx.frames.push(Frame {
        ret_ip: ip.wrapping_add(1),
        sp,
        func: cx.func,
        inst: cx.inst,
        mem0: cx.mem0,
    });
    // The same instance: its memory 0, globals and functions stay.
    cx.func = addr;
    // Declared locals start at zero (they are inside the frame just
    // checked: the header's frame size covers `SMALL_LOCALS` slots after
    // the parameters). A few are zeroed in line by a fixed run of stores
    // (a loop would be a call to `memset`), more out of line.
    if locals > SMALL_LOCALS {
        let span = u64::from(params) | u64::from(locals) << 32;
        return zero_locals_then_run(entry, new_sp, mem, len, cx, span);
    }
    zero_small_locals(new_sp, params);
    dispatch(entry, new_sp, mem, len, cx, 0, 0.0)
}

/// Zeroes the `SMALL_LOCALS` slots after the `params` parameter slots of
/// the frame at `sp` (inside the checked frame: `code::checked_frame`), a
/// fixed run of stores where a loop would be a call to `memset`.
#[inline(always)]
pub(super) fn zero_small_locals(sp: *mut u64, params: u32) {
    let first = sp.wrapping_add(params as usize);
    for i in 0..SMALL_LOCALS {
        wr(first, i, 0);
    }
}

/// Zeroes the `locals` declared local slots after the `params` parameter
/// slots of the frame at `sp` (inside the checked frame).
#[inline(always)]
pub(super) fn zero_locals(sp: *mut u64, params: u32, locals: u32) {
    for i in params..params + locals {
        wr(sp, i, 0);
    }
}

/// How many local slots a cached call zeroes in line (all of them,
/// whatever the function declares, up to this many); see `code::header`.
pub(crate) const SMALL_LOCALS: u32 = 8;

/// Makes room for more frames, then makes the call at `ip` again.
#[cold]
#[inline(never)]
fn call_grow(ip: *const Inst, sp: *mut u64, mem: *mut u8, len: usize, cx: &mut Cx<'_>) -> Exit {
    cx.frames.reserve(cx.frames.len().max(64));
    call(ip, sp, mem, len, cx, 0, 0.0)
}

/// Zeroes the local slots `span` names (parameter slots in the low half,
/// local slots in the high half: one argument, so that this stays a jump),
/// then runs the function at `entry` (a cached call to a function with
/// many locals).
#[inline(never)]
fn zero_locals_then_run(
    entry: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    span: u64,
) -> Exit {
    zero_locals(sp, span as u32, (span >> 32) as u32);
    dispatch(entry, sp, mem, len, cx, 0, 0.0)
}

/// A `call` whose cache is empty (first call) or `UNCACHED`: fills the
/// cache if it may, and calls by the general path.
#[cold]
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn call_first(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    func: u32,
    base: u32,
    cached: u64,
) -> Exit {
    let addr = match cx.funcs.get(func as usize) {
        Some(&a) => a,
        None => return cx.trap_code(ip, TrapCode::Unreachable),
    };
    if cached == 0 {
        let c = cacheable_entry(cx, addr).unwrap_or(UNCACHED);
        // SAFETY: `ip` is this call's instruction, in live code (as in
        // `dispatch`); the operands are a `Cell`, and no reference to them
        // is held across this write.
        #[allow(unsafe_code)]
        unsafe {
            (*ip).op.set([func, base, c as u32, (c >> 32) as u32]);
        }
    }
    enter(ip, sp, mem, len, cx, addr, base)
}

/// The entry of function `addr`, translated if it was not yet, when the
/// running function's code may keep it: `addr` is a wasm function of the
/// running instance, with the running function's module and fuel
/// metering. Then its code is owned by the module that owns the caller's
/// code, every instance running the caller's code (an instance of that
/// module, metered alike) finds that same code at the same function index
/// (a defined function: an import is never of the importing instance), and
/// the call changes no instance state (memory 0, globals, tables).
fn cacheable_entry(cx: &mut Cx<'_>, addr: u32) -> Option<u64> {
    let (Some(FuncInst::Wasm(caller)), Some(FuncInst::Wasm(callee))) = (
        cx.store.funcs.get(cx.func as usize),
        cx.store.funcs.get(addr as usize),
    ) else {
        return None;
    };
    let same = callee.instance == cx.inst
        && caller.instance == cx.inst
        && Rc::ptr_eq(&caller.module, &callee.module)
        && caller.metered == callee.metered
        && callee.mem0 == cx.mem0;
    if !same {
        return None;
    }
    cx.store.translate(addr).ok()?;
    let entry = cx.store.targets.get(addr as usize)?.entry;
    // Addresses 0 and 1 are never code: they stay the cache's markers.
    (entry as usize > UNCACHED as usize).then(|| entry.expose_provenance() as u64)
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

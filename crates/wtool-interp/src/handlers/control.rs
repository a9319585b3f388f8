//! Control handlers: fused compare-and-branch, loop steps, moves,
//! constants, `select`, globals, jumps, `br_table`, calls and returns, and
//! the out-of-line stack-form instructions (SIMD, tables, bulk memory,
//! other memories).

use std::rc::Rc;

use wtool_ast::ValType;

use super::calls::{call, zero_locals, zero_small_locals};
use super::{dispatch, handlers, operands, rd, wr, Cx, Exit, Frame, Handler, TrapCode};
use crate::code::{Field, Inst};
use crate::exec::stack_op;
use crate::ins::Ins;
use crate::store::{Caller, FuncInst, GlobalInst, InstanceData, InstanceId};
use crate::trap::TrapKind;
use crate::values::{Value, NULL_REF};

/// Global `g` (module index) of the running instance.
#[inline(always)]
fn global<'a>(cx: &'a mut Cx<'_>, g: u32) -> Option<&'a mut GlobalInst> {
    let a = *cx.globals.get(g as usize)?;
    cx.store.globals.get_mut(a as usize)
}

handlers! {
    lower_moves, lower_moves_acc;
    (ip, sp, mem, len, cx, acc, facc);
    IncJumpNez { imm, x, to } [x] => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!(v != 0, to);
    }
    IncJumpNe { imm, x, n, to } [x, n] => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!(v != r!(n) as u32, to);
    }
    IncJumpLtS { imm, x, n, to } [x, n] => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!((v as i32) < r!(n) as i32, to);
    }
    IncJumpLtU { imm, x, n, to } [x, n] => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!(v < r!(n) as u32, to);
    }
    JumpIfNez { c, to } [c] => { jmp_if!(r!(c) as u32 != 0, to); }
    JumpIfEqz { c, to } [c] => { jmp_if!(r!(c) as u32 == 0, to); }
    JumpIfEq { a, b, to } [a, b] => { jmp_if!(r!(a) as u32 == r!(b) as u32, to); }
    JumpIfNe { a, b, to } [a, b] => { jmp_if!(r!(a) as u32 != r!(b) as u32, to); }
    JumpIfLtS { a, b, to } [a, b] => { jmp_if!((r!(a) as i32) < r!(b) as i32, to); }
    JumpIfLtU { a, b, to } [a, b] => { jmp_if!((r!(a) as u32) < r!(b) as u32, to); }
    JumpIfGtS { a, b, to } [a, b] => { jmp_if!(r!(a) as i32 > r!(b) as i32, to); }
    JumpIfGtU { a, b, to } [a, b] => { jmp_if!(r!(a) as u32 > r!(b) as u32, to); }
    JumpIfLeS { a, b, to } [a, b] => { jmp_if!(r!(a) as i32 <= r!(b) as i32, to); }
    JumpIfLeU { a, b, to } [a, b] => { jmp_if!(r!(a) as u32 <= r!(b) as u32, to); }
    JumpIfGeS { a, b, to } [a, b] => { jmp_if!(r!(a) as i32 >= r!(b) as i32, to); }
    JumpIfGeU { a, b, to } [a, b] => { jmp_if!(r!(a) as u32 >= r!(b) as u32, to); }
    JumpIfEqI { a, imm, to } [a] => { jmp_if!(r!(a) as u32 == imm, to); }
    JumpIfNeI { a, imm, to } [a] => { jmp_if!(r!(a) as u32 != imm, to); }
    JumpIfLtSI { a, imm, to } [a] => { jmp_if!((r!(a) as i32) < imm as i32, to); }
    JumpIfLtUI { a, imm, to } [a] => { jmp_if!((r!(a) as u32) < imm, to); }
    JumpIfGtSI { a, imm, to } [a] => { jmp_if!(r!(a) as i32 > imm as i32, to); }
    JumpIfGtUI { a, imm, to } [a] => { jmp_if!(r!(a) as u32 > imm, to); }
    JumpIfLeSI { a, imm, to } [a] => { jmp_if!(r!(a) as i32 <= imm as i32, to); }
    JumpIfLeUI { a, imm, to } [a] => { jmp_if!(r!(a) as u32 <= imm, to); }
    JumpIfGeSI { a, imm, to } [a] => { jmp_if!(r!(a) as i32 >= imm as i32, to); }
    JumpIfGeUI { a, imm, to } [a] => { jmp_if!(r!(a) as u32 >= imm, to); }
    Copy { d, s } [s] => { w!(d, r!(s)); }
        Copy2 { d, s } => {
                    w!(d, r!(s));
                    w!(d + 1, r!(s + 1));
                }
        Const32 { d, v } => { w!(d, v as u64); }
    Const64 { d, v } => { w!(d, v); }
    Select1 { d, b, c } [b, c] => {
                    if r!(c) as u32 == 0 {
                        w!(d, r!(b));
                    }
                }
        Select2 { d, b, c } => {
                    if r!(c) as u32 == 0 {
                        w!(d, r!(b));
                        w!(d + 1, r!(b + 1));
                    }
                }
        GlobalGet { d, g } => {
        let Some(v) = global(cx, g).map(|g| g.lo) else {
            trap!(Unreachable)
        };
        w!(d, v);
    }
    GlobalSet { g, s } [s] => {
        let v = r!(s);
        let Some(g) = global(cx, g) else {
            trap!(Unreachable)
        };
        g.lo = v;
    }
        GlobalGet2 { d, g } => {
        let Some((lo, hi)) = global(cx, g).map(|g| (g.lo, g.hi)) else {
            trap!(Unreachable)
        };
        w!(d, lo);
        w!(d + 1, hi);
    }
        GlobalSet2 { g, s } => {
        let (lo, hi) = (r!(s), r!(s + 1));
        let Some(g) = global(cx, g) else {
            trap!(Unreachable)
        };
        g.lo = lo;
        g.hi = hi;
    }
        RefFunc { d, f } => {
        let Some(&a) = cx.funcs.get(f as usize) else {
            trap!(Unreachable)
        };
        w!(d, a as u64 + 1);
    }
    JumpIfEq64 { a, b, to } [a, b] => { jmp_if!(r!(a) == r!(b), to); }
    JumpIfNe64 { a, b, to } [a, b] => { jmp_if!(r!(a) != r!(b), to); }
    JumpIfLtS64 { a, b, to } [a, b] => { jmp_if!((r!(a) as i64) < (r!(b) as i64), to); }
    JumpIfLtU64 { a, b, to } [a, b] => { jmp_if!(r!(a) < r!(b), to); }
    JumpIfGtS64 { a, b, to } [a, b] => { jmp_if!((r!(a) as i64) > (r!(b) as i64), to); }
    JumpIfGtU64 { a, b, to } [a, b] => { jmp_if!(r!(a) > r!(b), to); }
    JumpIfLeS64 { a, b, to } [a, b] => { jmp_if!((r!(a) as i64) <= (r!(b) as i64), to); }
    JumpIfLeU64 { a, b, to } [a, b] => { jmp_if!(r!(a) <= r!(b), to); }
    JumpIfGeS64 { a, b, to } [a, b] => { jmp_if!((r!(a) as i64) >= (r!(b) as i64), to); }
    JumpIfGeU64 { a, b, to } [a, b] => { jmp_if!(r!(a) >= r!(b), to); }
    JumpIfEq64I { a, imm, to } [a] => { jmp_if!(r!(a) == (imm as i32 as i64 as u64), to); }
    JumpIfNe64I { a, imm, to } [a] => { jmp_if!(r!(a) != (imm as i32 as i64 as u64), to); }
    JumpIfLtS64I { a, imm, to } [a] => { jmp_if!((r!(a) as i64) < (imm as i32 as i64), to); }
    JumpIfLtU64I { a, imm, to } [a] => { jmp_if!(r!(a) < (imm as i32 as i64 as u64), to); }
    JumpIfGtS64I { a, imm, to } [a] => { jmp_if!((r!(a) as i64) > (imm as i32 as i64), to); }
    JumpIfGtU64I { a, imm, to } [a] => { jmp_if!(r!(a) > (imm as i32 as i64 as u64), to); }
    JumpIfLeS64I { a, imm, to } [a] => { jmp_if!((r!(a) as i64) <= (imm as i32 as i64), to); }
    JumpIfLeU64I { a, imm, to } [a] => { jmp_if!(r!(a) <= (imm as i32 as i64 as u64), to); }
    JumpIfGeS64I { a, imm, to } [a] => { jmp_if!((r!(a) as i64) >= (imm as i32 as i64), to); }
    JumpIfGeU64I { a, imm, to } [a] => { jmp_if!(r!(a) >= (imm as i32 as i64 as u64), to); }
    JumpIfAnyI { a, imm, to } [a] => { jmp_if!(r!(a) as u32 & imm != 0, to); }
    JumpIfNoneI { a, imm, to } [a] => { jmp_if!(r!(a) as u32 & imm == 0, to); }
    SelRR { d, a, b, c } [a, b, c] => {
        let v = if r!(c) as u32 != 0 { r!(a) } else { r!(b) };
        w!(d, v);
    }
    SelRI { d, a, imm, c } [a, c] => {
        let v = if r!(c) as u32 != 0 { r!(a) } else { imm as u64 };
        w!(d, v);
    }
    SelIR { d, imm, b, c } [b, c] => {
        let v = if r!(c) as u32 != 0 { imm as u64 } else { r!(b) };
        w!(d, v);
    }
    ShrUAnd { d, a, sh, mask } [a] => { w!(d, ((r!(a) as u32).wrapping_shr(sh) & mask) as u64); }
    ShlAdd { d, a, sh, imm } [a] => { w!(d, (r!(a) as u32).wrapping_shl(sh).wrapping_add(imm) as u64); }
    XorAnd { d, a, b, mask } [a, b] => { w!(d, ((r!(a) as u32 ^ r!(b) as u32) & mask) as u64); }
    LoadJumpNez { d, a, offset, to } [a] => {
        let ea = r!(a) as u32 as u64 + offset as u64;
        let (mem, len) = m!();
        if ea + 4 > len as u64 {
            trap!(MemoryOutOfBounds);
        }
        // SAFETY: as for the loads in `memory.rs`: `ea + 4 <= len`, the
        // current length of memory 0 at `mem`.
        #[allow(unsafe_code)]
        let v = u32::from_le_bytes(unsafe { std::ptr::read_unaligned(mem.add(ea as usize) as *const [u8; 4]) });
        w!(d, v as u64);
        jmp_if!(v != 0, to);
    }
    JumpIfF32Eq { a, b, to, neg } [a, b] => { jmp_if!((f32::from_bits(r!(a) as u32) == f32::from_bits(r!(b) as u32)) != (neg != 0), to); }
    JumpIfF32Ne { a, b, to, neg } [a, b] => { jmp_if!((f32::from_bits(r!(a) as u32) != f32::from_bits(r!(b) as u32)) != (neg != 0), to); }
    JumpIfF32Lt { a, b, to, neg } [a, b] => { jmp_if!((f32::from_bits(r!(a) as u32) < f32::from_bits(r!(b) as u32)) != (neg != 0), to); }
    JumpIfF32Gt { a, b, to, neg } [a, b] => { jmp_if!((f32::from_bits(r!(a) as u32) > f32::from_bits(r!(b) as u32)) != (neg != 0), to); }
    JumpIfF32Le { a, b, to, neg } [a, b] => { jmp_if!((f32::from_bits(r!(a) as u32) <= f32::from_bits(r!(b) as u32)) != (neg != 0), to); }
    JumpIfF32Ge { a, b, to, neg } [a, b] => { jmp_if!((f32::from_bits(r!(a) as u32) >= f32::from_bits(r!(b) as u32)) != (neg != 0), to); }
    JumpIfF64Eq { a, b, to, neg } [a, b] => { jmp_if!((f64::from_bits(r!(a)) == f64::from_bits(r!(b))) != (neg != 0), to); }
    JumpIfF64Ne { a, b, to, neg } [a, b] => { jmp_if!((f64::from_bits(r!(a)) != f64::from_bits(r!(b))) != (neg != 0), to); }
    JumpIfF64Lt { a, b, to, neg } [a, b] => { jmp_if!((f64::from_bits(r!(a)) < f64::from_bits(r!(b))) != (neg != 0), to); }
    JumpIfF64Gt { a, b, to, neg } [a, b] => { jmp_if!((f64::from_bits(r!(a)) > f64::from_bits(r!(b))) != (neg != 0), to); }
    JumpIfF64Le { a, b, to, neg } [a, b] => { jmp_if!((f64::from_bits(r!(a)) <= f64::from_bits(r!(b))) != (neg != 0), to); }
    JumpIfF64Ge { a, b, to, neg } [a, b] => { jmp_if!((f64::from_bits(r!(a)) >= f64::from_bits(r!(b))) != (neg != 0), to); }
}

/// The handler and operands of a control instruction; everything without
/// a register form runs as a stack-form instruction.
pub(super) fn lower(i: &Ins, _pc: u32) -> (Handler, [u32; 4]) {
    if let Some(x) = lower_moves(i) {
        return x;
    }
    let (h, a, b, c): (Handler, u32, u32, u32) = match *i {
        Ins::Unreachable | Ins::Imm(_) => (unreachable_op, 0, 0, 0),
        Ins::TrapMemOob => (trap_mem_oob, 0, 0, 0),
        Ins::Fuel => (fuel, 0, 0, 0),
        Ins::SetSp(h) => (set_sp, h, 0, 0),
        Ins::Jump(to) => (jump, to, 0, 0),
        Ins::BrTable { idx, len } => (br_table, idx, len, 0),
        Ins::Return0 => (return0, 0, 0, 0),
        Ins::Return1 { s } => (return1, s, 0, 0),
        Ins::Return1I { v } => (return1i, v as u32, (v >> 32) as u32, 0),
        Ins::ReturnN { from, k } => (return_n, from, k, 0),
        Ins::Call { func, base } => (call, func, base, 0),
        Ins::CallIndirect { table, ty, idx } => (call_indirect, table, ty, idx),
        _ => (stack_form, 0, 0, 0),
    };
    (h, [a, b, c, 0])
}

pub(super) fn unreachable_op(
    ip: *const Inst,
    _: *mut u64,
    _: *mut u8,
    _: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    cx.trap_code(ip, TrapCode::Unreachable)
}

fn trap_mem_oob(
    ip: *const Inst,
    _: *mut u64,
    _: *mut u8,
    _: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    cx.trap_code(ip, TrapCode::MemoryOutOfBounds)
}

fn fuel(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    if cx.store.fuel == 0 {
        return cx.trap_code(ip, TrapCode::OutOfFuel);
    }
    cx.store.fuel -= 1;
    dispatch(ip.wrapping_add(1), sp, mem, len, cx, 0, 0.0)
}

fn set_sp(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [h, ..] = operands(ip);
    cx.top = cx.slot_index(sp) + h as usize;
    dispatch(ip.wrapping_add(1), sp, mem, len, cx, 0, 0.0)
}

fn jump(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [to, ..] = operands(ip);
    dispatch(
        ip.wrapping_offset(to as i32 as isize),
        sp,
        mem,
        len,
        cx,
        0,
        0.0,
    )
}

/// Continues at the `min(idx, len)`-th entry after the table (each a jump
/// or a return).
fn br_table(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [idx, n, ..] = operands(ip);
    let i = (rd(sp, idx) as u32).min(n);
    dispatch(ip.wrapping_add(1 + i as usize), sp, mem, len, cx, 0, 0.0)
}

/// `br_table` whose entries are all `Jump`s (checked by `code::lower`):
/// continues at the chosen entry's target without dispatching the entry.
pub(crate) fn br_table_direct(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [idx, n, ..] = operands(ip);
    let entry = ip.wrapping_add(1 + (rd(sp, idx) as u32).min(n) as usize);
    // The entry is a jump: its first operand is its offset, relative to itself.
    let [to, ..] = operands(entry);
    dispatch(
        entry.wrapping_offset(to as i32 as isize),
        sp,
        mem,
        len,
        cx,
        0,
        0.0,
    )
}

fn return0(
    _: *const Inst,
    _: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    leave(mem, len, cx)
}

fn return1(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [s, ..] = operands(ip);
    wr(sp, 0, rd(sp, s));
    leave(mem, len, cx)
}

fn return1i(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [lo, hi, ..] = operands(ip);
    wr(sp, 0, lo as u64 | (hi as u64) << 32);
    leave(mem, len, cx)
}

fn return_n(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [from, k, ..] = operands(ip);
    // Destinations are at or below sources: ascending order is safe.
    for i in 0..k {
        wr(sp, i, rd(sp, from + i));
    }
    leave(mem, len, cx)
}

/// Returns to the caller, or ends the run from the outermost function.
#[inline(always)]
pub(super) fn leave(mem: *mut u8, len: usize, cx: &mut Cx<'_>) -> Exit {
    match cx.frames.pop() {
        Some(fr) => {
            cx.func = fr.func;
            // Switching instances (out of line, so that returns within
            // one instance need not save registers around a call).
            if fr.inst != cx.inst || fr.mem0 != cx.mem0 {
                return leave_to_other(fr, mem, len, cx);
            }
            dispatch(fr.ret_ip, fr.sp, mem, len, cx, 0, 0.0)
        }
        None => Exit::Done,
    }
}

/// Returns to caller `fr` in another instance or with another memory 0.
#[inline(never)]
fn leave_to_other(fr: Frame, mem: *mut u8, len: usize, cx: &mut Cx<'_>) -> Exit {
    cx.set_inst(fr.inst);
    let (mem, len) = if fr.mem0 != cx.mem0 {
        cx.mem0 = fr.mem0;
        cx.mem_view()
    } else {
        (mem, len)
    };
    dispatch(fr.ret_ip, fr.sp, mem, len, cx, 0, 0.0)
}

pub(super) fn call_indirect(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    let [table, ty, idx, _] = operands(ip);
    match indirect_target(cx, sp, table, ty, idx) {
        Ok((f, ps)) => enter(ip, sp, mem, len, cx, f, idx - ps),
        Err(c) => cx.trap_code(ip, c),
    }
}

/// The function at the table index in slot `idx`, checked against type
/// `ty`, and its parameter slot count (at most `idx`, so the arguments
/// below `idx` are inside the frame).
#[inline(always)]
pub(super) fn indirect_target(
    cx: &mut Cx<'_>,
    sp: *mut u64,
    table: u32,
    ty: u32,
    idx: u32,
) -> Result<(u32, u32), TrapCode> {
    let i = rd(sp, idx) as u32 as usize;
    let Some(inst) = cx.store.instances.get(cx.inst as usize) else {
        return Err(TrapCode::Unreachable);
    };
    let (Some(&t), Some(&want)) = (inst.tables.get(table as usize), inst.types.get(ty as usize))
    else {
        return Err(TrapCode::Unreachable);
    };
    let Some(&slot) = cx.store.tables.get(t as usize).and_then(|t| t.elems.get(i)) else {
        return Err(TrapCode::UndefinedElement);
    };
    if slot == NULL_REF {
        return Err(TrapCode::UninitializedElement);
    }
    let f = (slot - 1) as u32;
    let ok = cx
        .store
        .funcs
        .get(f as usize)
        .is_some_and(|fi| fi.type_id() == want || cx.store.type_matches(fi.type_id(), want));
    let ps = cx.store.param_slots.get(want as usize).copied();
    match ps {
        Some(ps) if ok && ps <= idx => Ok((f, ps)),
        _ => Err(TrapCode::IndirectCallTypeMismatch),
    }
}

/// Calls function `addr` with its arguments at slot `base` of the frame
/// at `sp` (they become the start of the callee's frame: no copies).
#[inline(always)]
pub(super) fn enter(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    addr: u32,
    base: u32,
) -> Exit {
    let c = match cx.store.targets.get(addr as usize) {
        Some(t) if !t.entry.is_null() => *t,
        _ => {
            return enter_cold(
                ip,
                sp,
                mem,
                len,
                cx,
                u64::from(addr) | u64::from(base) << 32,
            )
        }
    };
    let new_sp = sp.wrapping_add(base as usize);
    let at = cx.slot_index(new_sp);
    if cx.frames.len() >= cx.max_depth || at + c.frame as usize > cx.limit {
        return cx.trap_code(ip, TrapCode::CallStackExhausted);
    }
    // Growing the frame stack out of line (see `calls::call`).
    if cx.frames.len() == cx.frames.capacity() {
        return enter_grow(
            ip,
            sp,
            mem,
            len,
            cx,
            u64::from(addr) | u64::from(base) << 32,
        );
    }
    cx.frames.push(Frame {
        ret_ip: ip.wrapping_add(1),
        sp,
        func: cx.func,
        inst: cx.inst,
        mem0: cx.mem0,
    });
    land(c, addr, new_sp, mem, len, cx)
}

/// Starts function `addr` (translated as `c`) in the frame at `sp`, whose
/// size the caller has checked: zeroes its declared locals, makes it the
/// running function and instance, and switches memory 0 if it has another.
/// Shared by calls and tail calls. A function with few locals in the
/// running instance starts here; the rest out of line, so that this path
/// makes no call that would have every call save registers.
#[inline(always)]
pub(super) fn land(
    c: crate::store::CallTarget,
    addr: u32,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
) -> Exit {
    if c.locals > super::SMALL_LOCALS || c.inst != cx.inst || c.mem0 != cx.mem0 {
        return land_slow(addr, sp, mem, len, cx);
    }
    // The checked frame covers `SMALL_LOCALS` slots after the parameters
    // (`code::checked_frame`): all are zeroed, locals or not.
    zero_small_locals(sp, c.params);
    cx.func = addr;
    dispatch(c.entry, sp, mem, len, cx, 0, 0.0)
}

/// `land` for a function with many locals or in another instance (or with
/// another memory 0); `addr`'s call target is filled (the caller read it).
#[inline(never)]
fn land_slow(addr: u32, sp: *mut u64, mem: *mut u8, len: usize, cx: &mut Cx<'_>) -> Exit {
    let c = match cx.store.targets.get(addr as usize) {
        Some(t) if !t.entry.is_null() => *t,
        _ => return cx.trap_code(std::ptr::null(), TrapCode::Unreachable),
    };
    // Declared locals start at zero (they are inside the frame just checked).
    zero_locals(sp, c.params, c.locals);
    cx.func = addr;
    cx.set_inst(c.inst);
    let (mem, len) = if c.mem0 != cx.mem0 {
        cx.mem0 = c.mem0;
        cx.mem_view()
    } else {
        (mem, len)
    };
    dispatch(c.entry, sp, mem, len, cx, 0, 0.0)
}

/// Makes room for more frames, then makes the call `enter` was making
/// (`callee`: the function's address, then the frame base, in one argument
/// so that reaching here is a jump).
#[cold]
#[inline(never)]
fn enter_grow(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    callee: u64,
) -> Exit {
    cx.frames.reserve(cx.frames.len().max(64));
    enter(ip, sp, mem, len, cx, callee as u32, (callee >> 32) as u32)
}

/// A call through an empty cache entry: a host function, or a wasm
/// function whose translation this address has not used yet (`callee` as
/// in `enter_grow`).
#[cold]
#[inline(never)]
fn enter_cold(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    callee: u64,
) -> Exit {
    let (addr, base) = (callee as u32, (callee >> 32) as u32);
    match cx.store.funcs.get(addr as usize) {
        Some(FuncInst::Wasm(_)) => match cx.store.translate(addr) {
            // The cache entry is filled now: the retry takes the fast path.
            Ok(())
                if cx
                    .store
                    .targets
                    .get(addr as usize)
                    .is_some_and(|t| !t.entry.is_null()) =>
            {
                enter(ip, sp, mem, len, cx, addr, base)
            }
            Ok(()) => cx.trap_code(ip, TrapCode::Unreachable),
            Err(k) => cx.trap_at(ip, k),
        },
        Some(FuncInst::Host { .. }) => host(ip, sp, cx, addr, base),
        None => cx.trap_code(ip, TrapCode::Unreachable),
    }
}

/// A call to host function `addr` with its arguments at slot `base`.
#[inline(never)]
fn host(ip: *const Inst, sp: *mut u64, cx: &mut Cx<'_>, addr: u32, base: u32) -> Exit {
    let at = cx.slot_index(sp) + base as usize;
    let r = host_call_at(cx, addr, at);
    // The host may have grown or replaced any memory.
    let (mem, len) = cx.mem_view();
    match r {
        Ok(()) => dispatch(ip.wrapping_add(1), sp, mem, len, cx, 0, 0.0),
        Err(k) => {
            // An exception from the host unwinds from this frame.
            cx.sp = sp;
            cx.trap_at(ip, k)
        }
    }
}

/// Calls host function `target` with the arguments at stack slot `at`,
/// leaving its results there.
pub(super) fn host_call_at(cx: &mut Cx<'_>, target: u32, at: usize) -> Result<(), TrapKind> {
    let Some(FuncInst::Host { type_id, func }) = cx.store.funcs.get(target as usize) else {
        return Err(TrapKind::Unreachable);
    };
    let func = Rc::clone(func);
    let Some(ty) = cx.store.types.get(*type_id as usize).cloned() else {
        return Err(TrapKind::Unreachable);
    };
    let limit = cx.limit;
    let stack = cx.stack_slice();
    let slot = |i: usize| stack.get(i).copied().unwrap_or(0);
    let mut args = Vec::with_capacity(ty.params.len());
    let mut i = at;
    for &t in ty.params.iter() {
        let hi = if t == ValType::V128 { slot(i + 1) } else { 0 };
        args.push(Value::from_slots(t, slot(i), hi));
        i += if t == ValType::V128 { 2 } else { 1 };
    }
    let mut results: Vec<Value> = ty.results.iter().map(|&t| Value::default_for(t)).collect();
    let instance = Some(InstanceId(cx.inst));
    let r = func(
        &mut Caller {
            store: cx.store,
            instance,
        },
        &args,
        &mut results,
    );
    r.map_err(|t| t.kind)?;
    if at + 2 * results.len() > limit {
        return Err(TrapKind::CallStackExhausted);
    }
    if results
        .iter()
        .zip(ty.results.iter())
        .any(|(r, &t)| !cx.store.value_matches(r, t))
    {
        return Err(TrapKind::HostResultType);
    }
    let stack = cx.stack_slice();
    let mut o = at;
    for (r, &t) in results.iter().zip(ty.results.iter()) {
        stack[o] = r.lo_slot();
        o += 1;
        if t == ValType::V128 {
            stack[o] = r.hi_slot();
            o += 1;
        }
    }
    Ok(())
}

/// A stack-form instruction, out of line.
fn stack_form(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    match stack_form_cold(ip, cx) {
        Ok((next, false)) => dispatch(next, sp, mem, len, cx, 0, 0.0),
        Ok((next, true)) => {
            let (mem, len) = cx.mem_view();
            dispatch(next, sp, mem, len, cx, 0, 0.0)
        }
        Err(k) => cx.trap_at(ip, k),
    }
}

/// Runs the stack-form instruction at `ip`; the next instruction, and
/// whether memory may have moved.
#[inline(never)]
fn stack_form_cold(ip: *const Inst, cx: &mut Cx<'_>) -> Result<(*const Inst, bool), TrapKind> {
    let lost = || TrapKind::Internal("instruction outside its function");
    let Some(FuncInst::Wasm(w)) = cx.store.funcs.get(cx.func as usize) else {
        return Err(lost());
    };
    let (module, defined, metered) = (Rc::clone(&w.module), w.defined, w.metered);
    let code = module.code(defined, metered).ok_or_else(lost)?;
    let pc = code.index_of(ip).ok_or_else(lost)?;
    let inst = cx.store.instances.get(cx.inst as usize).ok_or_else(lost)?;
    let ins = resolve(code.ins[pc], inst).ok_or(TrapKind::Unreachable)?;
    let top = cx.top;
    let (store, stack) = cx.store_and_stack();
    let (next, top) = stack_op(store, stack, &code.ins, pc, top, ins)?;
    cx.top = top;
    Ok((
        ip.wrapping_add(next - pc),
        matches!(ins, Ins::MemoryGrow(_)),
    ))
}

/// The compiler's form of the running instruction at `ip`, for the
/// out-of-line paths of register handlers.
pub(super) fn current_ins(ip: *const Inst, cx: &Cx<'_>) -> Option<Ins> {
    let Some(FuncInst::Wasm(w)) = cx.store.funcs.get(cx.func as usize) else {
        return None;
    };
    let code = w.module.code(w.defined, w.metered)?;
    code.ins.get(code.index_of(ip)?).copied()
}

/// A stack-form instruction with its module indices (tables, memories,
/// segments) replaced by the running instance's store addresses.
fn resolve(i: Ins, d: &InstanceData) -> Option<Ins> {
    let t = |x: u32| d.tables.get(x as usize).copied();
    let m = |x: u32| d.mems.get(x as usize).copied();
    let e = |x: u32| d.elems.get(x as usize).copied();
    let s = |x: u32| d.datas.get(x as usize).copied();
    Some(match i {
        Ins::TableGet(x) => Ins::TableGet(t(x)?),
        Ins::TableSet(x) => Ins::TableSet(t(x)?),
        Ins::TableSize(x) => Ins::TableSize(t(x)?),
        Ins::TableGrow(x) => Ins::TableGrow(t(x)?),
        Ins::TableFill(x) => Ins::TableFill(t(x)?),
        Ins::TableCopy { dst, src } => Ins::TableCopy {
            dst: t(dst)?,
            src: t(src)?,
        },
        Ins::TableInit { table, elem } => Ins::TableInit {
            table: t(table)?,
            elem: e(elem)?,
        },
        Ins::ElemDrop(x) => Ins::ElemDrop(e(x)?),
        Ins::MemorySize(x) => Ins::MemorySize(m(x)?),
        Ins::MemoryGrow(x) => Ins::MemoryGrow(m(x)?),
        Ins::MemoryFill(x) => Ins::MemoryFill(m(x)?),
        Ins::MemoryCopy { dst, src } => Ins::MemoryCopy {
            dst: m(dst)?,
            src: m(src)?,
        },
        Ins::MemoryInit { mem, data } => Ins::MemoryInit {
            mem: m(mem)?,
            data: s(data)?,
        },
        Ins::DataDrop(x) => Ins::DataDrop(s(x)?),
        Ins::Gc(op) => Ins::Gc(op.resolve(d)?),
        Ins::Mem { op, mem, offset } => Ins::Mem {
            op,
            mem: m(mem)?,
            offset,
        },
        Ins::MemLane { op, lane, mem } => Ins::MemLane {
            op,
            lane,
            mem: m(mem)?,
        },
        other => other,
    })
}

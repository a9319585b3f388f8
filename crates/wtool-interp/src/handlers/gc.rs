//! GC instructions: stack form (after `SetSp`), their `GcOp` packed in the
//! operand words (`gc::pack`), resolved against the running instance and
//! executed by `gc::run`.

use super::{dispatch, operands, Cx, Exit};
use crate::code::Inst;
use crate::gc::GcOp;
use crate::trap::TrapKind;

// Like every handler, this must end in a sibling call that LLVM turns into
// a jump: nothing whose address escapes may live in its frame, so the
// operands are read out of line, by `gc_op_cold`.
pub(super) fn gc_op(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    _acc: u64,
    _facc: f64,
) -> Exit {
    match gc_op_cold(ip, cx) {
        Ok(()) => dispatch(ip.wrapping_add(1), sp, mem, len, cx, 0, 0.0),
        Err(k) => cx.trap_at(ip, k),
    }
}

#[inline(never)]
fn gc_op_cold(ip: *const Inst, cx: &mut Cx<'_>) -> Result<(), TrapKind> {
    let lost = || TrapKind::Internal("GC instruction of another instance");
    let op =
        GcOp::unpack(operands(ip)).ok_or_else(|| TrapKind::Internal("malformed GC instruction"))?;
    let inst = cx.store.instances.get(cx.inst as usize).ok_or_else(lost)?;
    let op = op.resolve(inst).ok_or_else(lost)?;
    let top = cx.top;
    let (store, stack) = cx.store_and_stack();
    cx.top = crate::gc::run(store, stack, top, op)?;
    Ok(())
}

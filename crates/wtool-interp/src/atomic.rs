//! The threads proposal's atomic memory accesses, in stack form.
//!
//! The store is single-threaded, so every atomic access is a plain access
//! (sequentially consistent trivially); what remains observable is the
//! traps: an effective address that is not a multiple of the access size
//! traps "unaligned atomic" (checked before bounds, as the reference
//! interpreter does), and `memory.atomic.wait32/64` on an unshared memory
//! traps "expected shared memory". With no other thread, nothing can ever
//! notify a waiter: a wait whose value matches times out after its timeout
//! (result 2), and one without a timeout could never return.

use std::time::Duration;

use wtool_ast::{Op, OpKind};

use crate::exec::M;
use crate::memops::{addr, range};
use crate::memory::MemInst;
use crate::trap::TrapKind;

/// A read-modify-write operation.
#[derive(Clone, Copy)]
enum Rmw {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Xchg,
}

/// What an atomic opcode does.
#[derive(Clone, Copy)]
enum Kind {
    Load,
    Store,
    Rmw(Rmw),
    Cmpxchg,
    Notify,
    Wait,
}

fn kind(op: Op) -> Kind {
    use Op::*;
    match op {
        I32AtomicLoad | I64AtomicLoad | I32AtomicLoad8U | I32AtomicLoad16U | I64AtomicLoad8U
        | I64AtomicLoad16U | I64AtomicLoad32U => Kind::Load,
        I32AtomicStore | I64AtomicStore | I32AtomicStore8 | I32AtomicStore16 | I64AtomicStore8
        | I64AtomicStore16 | I64AtomicStore32 => Kind::Store,
        I32AtomicRmwAdd | I64AtomicRmwAdd | I32AtomicRmw8AddU | I32AtomicRmw16AddU
        | I64AtomicRmw8AddU | I64AtomicRmw16AddU | I64AtomicRmw32AddU => Kind::Rmw(Rmw::Add),
        I32AtomicRmwSub | I64AtomicRmwSub | I32AtomicRmw8SubU | I32AtomicRmw16SubU
        | I64AtomicRmw8SubU | I64AtomicRmw16SubU | I64AtomicRmw32SubU => Kind::Rmw(Rmw::Sub),
        I32AtomicRmwAnd | I64AtomicRmwAnd | I32AtomicRmw8AndU | I32AtomicRmw16AndU
        | I64AtomicRmw8AndU | I64AtomicRmw16AndU | I64AtomicRmw32AndU => Kind::Rmw(Rmw::And),
        I32AtomicRmwOr | I64AtomicRmwOr | I32AtomicRmw8OrU | I32AtomicRmw16OrU
        | I64AtomicRmw8OrU | I64AtomicRmw16OrU | I64AtomicRmw32OrU => Kind::Rmw(Rmw::Or),
        I32AtomicRmwXor | I64AtomicRmwXor | I32AtomicRmw8XorU | I32AtomicRmw16XorU
        | I64AtomicRmw8XorU | I64AtomicRmw16XorU | I64AtomicRmw32XorU => Kind::Rmw(Rmw::Xor),
        I32AtomicRmwXchg | I64AtomicRmwXchg | I32AtomicRmw8XchgU | I32AtomicRmw16XchgU
        | I64AtomicRmw8XchgU | I64AtomicRmw16XchgU | I64AtomicRmw32XchgU => Kind::Rmw(Rmw::Xchg),
        MemoryAtomicNotify => Kind::Notify,
        MemoryAtomicWait32 | MemoryAtomicWait64 => Kind::Wait,
        _ => Kind::Cmpxchg,
    }
}

/// The atomic access `op` with `offset` on memory `m`; the operands are
/// below `sp` (address first). Returns the new top.
pub(crate) fn access(
    m: &mut MemInst,
    stack: &mut [u64],
    sp: usize,
    op: Op,
    offset: u64,
) -> Result<usize, TrapKind> {
    let OpKind::Atomic(size_log2) = op.kind() else {
        return Err(TrapKind::UnsupportedOperator);
    };
    let k = kind(op);
    let nargs = op.info().params.len();
    let base = sp - nargs;
    let a = addr(stack[base & M], m.is64());
    if let Kind::Wait = k {
        if !m.is_shared() {
            return Err(TrapKind::ExpectedSharedMemory);
        }
    }
    let n = 1u64 << size_log2;
    let ea = a.checked_add(offset).ok_or(TrapKind::MemoryOutOfBounds)?;
    if ea & (n - 1) != 0 {
        return Err(TrapKind::UnalignedAtomic);
    }
    let data = m.bytes_mut();
    let r = range(data.len(), ea, 0, n).ok_or(TrapKind::MemoryOutOfBounds)?;
    let mask = if n == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    };
    let mut b = [0u8; 8];
    b[..n as usize].copy_from_slice(&data[r.clone()]);
    let old = u64::from_le_bytes(b);
    let arg = |i: usize| stack[(base + i) & M];
    let (new, result) = match k {
        Kind::Load => (None, old),
        Kind::Store => (Some(arg(1)), 0),
        Kind::Rmw(f) => {
            let v = arg(1);
            let new = match f {
                Rmw::Add => old.wrapping_add(v),
                Rmw::Sub => old.wrapping_sub(v),
                Rmw::And => old & v,
                Rmw::Or => old | v,
                Rmw::Xor => old ^ v,
                Rmw::Xchg => v,
            };
            (Some(new), old)
        }
        Kind::Cmpxchg => {
            let (expected, replacement) = (arg(1) & mask, arg(2));
            ((old == expected).then_some(replacement), old)
        }
        // No thread waits on a single-threaded store: nobody to wake.
        Kind::Notify => (None, 0),
        Kind::Wait => {
            let expected = arg(1) & mask;
            let timeout = arg(2) as i64;
            if old != expected {
                (None, 1)
            } else if timeout < 0 {
                return Err(TrapKind::WaitWouldDeadlock);
            } else {
                std::thread::sleep(Duration::from_nanos(timeout as u64));
                (None, 2)
            }
        }
    };
    if let Some(v) = new {
        data[r].copy_from_slice(&(v & mask).to_le_bytes()[..n as usize]);
    }
    match k {
        Kind::Store => Ok(base),
        _ => {
            stack[base & M] = result;
            Ok(base + 1)
        }
    }
}

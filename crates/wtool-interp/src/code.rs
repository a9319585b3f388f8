//! Executable code: the compiler's instructions (`ins.rs`) lowered to
//! direct-threaded form, one [`Inst`] per instruction: the handler to run
//! and its operands, packed in instruction order. Handlers read their own
//! operands without checking a tag (the handler *is* the instruction), keep
//! `ip` as a pointer into this array, and jump by a relative offset.
//!
//! The executor dereferences `ip` and frame slots without bounds checks.
//! [`lower`] is what makes that sound: it refuses code in which
//! - a jump target, a `br_table` entry or an instruction's trailing
//!   immediates would leave the function's code, or the last instruction
//!   could fall through (the code always ends with a trapping sentinel);
//! - an instruction names a frame slot at or beyond the function's frame
//!   size (`max_height`), which every call checks against the value stack
//!   before entering the function.

use std::cell::Cell;

use crate::compile::{CompileError, CompileErrorKind};
use crate::handlers::{self, Handler};
use crate::ins::Ins;

/// One threaded instruction: its handler and up to four 32-bit operands
/// (a 64-bit operand takes two, low half first).
///
/// The operands are a `Cell` because one instruction rewrites its own:
/// a direct `call` to a function of its own module caches the callee's
/// entry in its two spare words after the first call (`handlers::calls`).
/// Nothing else writes code once it is built.
#[derive(Clone)]
#[repr(C)]
pub(crate) struct Inst {
    pub h: Handler,
    pub op: Cell<[u32; 4]>,
}

impl Inst {
    pub(crate) fn new(h: Handler, op: [u32; 4]) -> Inst {
        Inst {
            h,
            op: Cell::new(op),
        }
    }
}

impl std::fmt::Debug for Inst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Inst({:?})", self.op.get())
    }
}

/// A translated function.
#[derive(Debug)]
pub(crate) struct FuncCode {
    /// The header ([`header`]) then the threaded code; never moved once
    /// built (and changed only by the call cache), so `ip` pointers into it
    /// stay valid while the store (which owns it) lives.
    framed: Box<[Inst]>,
    /// The compiler's form of each instruction, for the stack-form
    /// instructions that run out of line and for backtraces.
    pub ins: Box<[Ins]>,
    /// Source offset of each instruction (`u32::MAX` if none).
    pub offsets: Box<[u32]>,
    pub param_slots: u32,
    pub local_slots: u32,
    /// Frame size in slots: every slot the code names is below it.
    pub max_height: u32,
    /// Exception handlers, innermost first (see `exn`).
    pub handlers: Box<[crate::exn::HandlerEntry]>,
}

/// The entry that precedes every function's code: never run (its handler
/// traps), its operands are what a call needs of the function, so a call
/// that knows the entry finds them next to it: parameter slots, declared
/// local slots and the frame size that call checks. That frame size
/// covers at least `SMALL_LOCALS` slots after the parameters, which such
/// a call zeroes whether they are locals or not (see `handlers::calls`).
fn header(params: u32, locals: u32, max_height: u32) -> Inst {
    Inst::new(
        handlers::header_handler(),
        [params, locals, checked_frame(params, max_height), 0],
    )
}

/// The frame size a call to a function checks: its stack height, and at
/// least `SMALL_LOCALS` slots after its `params` parameter slots, which a
/// call zeroes in line whatever the function declares.
pub(crate) fn checked_frame(params: u32, max_height: u32) -> u32 {
    max_height.max(params.saturating_add(handlers::SMALL_LOCALS))
}

/// The operands of the header before `entry`: parameter slots, local
/// slots, frame size.
///
/// # Safety
/// `entry` must be the entry (`code().as_ptr()`) of a live [`FuncCode`].
#[inline(always)]
#[allow(unsafe_code)]
pub(crate) unsafe fn header_of(entry: *const Inst) -> [u32; 3] {
    // SAFETY: the caller's promise: `FuncCode::new` put the header in the
    // slot before the entry, inside the same allocation.
    let [params, locals, frame, _] = unsafe { (*entry.sub(1)).op.get() };
    [params, locals, frame]
}

impl FuncCode {
    /// A function's lowered code with its header in front.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        code: Box<[Inst]>,
        ins: Box<[Ins]>,
        offsets: Box<[u32]>,
        param_slots: u32,
        local_slots: u32,
        max_height: u32,
        handlers: Box<[crate::exn::HandlerEntry]>,
    ) -> FuncCode {
        let mut framed = Vec::with_capacity(code.len() + 1);
        framed.push(header(param_slots, local_slots, max_height));
        framed.extend(code.into_vec());
        FuncCode {
            framed: framed.into_boxed_slice(),
            ins,
            offsets,
            param_slots,
            local_slots,
            max_height,
            handlers,
        }
    }

    /// The threaded code (without the header); its first instruction is
    /// the function's entry.
    #[inline(always)]
    pub(crate) fn code(&self) -> &[Inst] {
        self.framed.get(1..).unwrap_or(&[])
    }

    /// The instruction index of `ip`, if it points into this code.
    pub(crate) fn index_of(&self, ip: *const Inst) -> Option<usize> {
        let code = self.code();
        let base = code.as_ptr() as usize;
        let at = (ip as usize).checked_sub(base)? / std::mem::size_of::<Inst>();
        (at < code.len()).then_some(at)
    }
}

/// Packs instruction fields into operand cells, in declaration order.
pub(crate) trait Field: Copy {
    /// Appends `self` at cell `*k`.
    fn put(self, op: &mut [u32; 4], k: &mut usize);
    /// Reads the field at cell `*k`.
    fn take(op: &[u32; 4], k: &mut usize) -> Self;
}

impl Field for u32 {
    #[inline(always)]
    fn put(self, op: &mut [u32; 4], k: &mut usize) {
        op[*k] = self;
        *k += 1;
    }
    #[inline(always)]
    fn take(op: &[u32; 4], k: &mut usize) -> Self {
        let v = op[*k];
        *k += 1;
        v
    }
}

impl Field for u16 {
    #[inline(always)]
    fn put(self, op: &mut [u32; 4], k: &mut usize) {
        (self as u32).put(op, k)
    }
    #[inline(always)]
    fn take(op: &[u32; 4], k: &mut usize) -> Self {
        u32::take(op, k) as u16
    }
}

impl Field for u64 {
    #[inline(always)]
    fn put(self, op: &mut [u32; 4], k: &mut usize) {
        (self as u32).put(op, k);
        ((self >> 32) as u32).put(op, k);
    }
    #[inline(always)]
    fn take(op: &[u32; 4], k: &mut usize) -> Self {
        let lo = u32::take(op, k) as u64;
        let hi = u32::take(op, k) as u64;
        lo | hi << 32
    }
}

/// How many instructions after `ins` belong to it (immediates, `br_table`
/// entries) and must also lie inside the code.
fn trailing(ins: &Ins) -> usize {
    match *ins {
        Ins::BrTable { len, .. } => len as usize + 1,
        Ins::Shuffle => 2,
        Ins::MemLane { .. } => 1,
        _ => 0,
    }
}

/// Jump threading: a jump whose target is an unconditional jump goes to
/// that jump's target instead, and an unconditional jump to a return
/// becomes the return. Both are exact: the instruction skipped would only
/// have transferred control.
pub(crate) fn thread_jumps(ins: &mut [Ins]) {
    // Bounded: a cycle of jumps (an empty infinite loop) stays as it is.
    const HOPS: usize = 8;
    let follow = |ins: &[Ins], mut t: u32| {
        for _ in 0..HOPS {
            match ins.get(t as usize) {
                Some(Ins::Jump(next)) if *next != t => t = *next,
                _ => break,
            }
        }
        t
    };
    for pc in 0..ins.len() {
        let mut i = ins[pc];
        if let Some(t) = i.target_mut() {
            *t = follow(ins, *t);
        }
        if let Ins::Jump(t) = i {
            if let Some(
                r @ (Ins::Return0
                | Ins::Return1 { .. }
                | Ins::Return1I { .. }
                | Ins::ReturnN { .. }),
            ) = ins.get(t as usize)
            {
                i = *r;
            }
        }
        ins[pc] = i;
    }
}

/// Lowers a function's instructions (which must end with the
/// `Ins::Unreachable` sentinel) to threaded code, checking the invariants
/// the unchecked accesses rely on (see the module docs).
///
/// `entries` are the positions control reaches other than by falling
/// through or by a jump of the code (landing pads); an instruction that
/// only its predecessor reaches, reading the one slot that predecessor
/// wrote, gets the handler variant that takes it from the accumulator.
pub(crate) fn lower(
    ins: &[Ins],
    max_height: u32,
    entries: &[u32],
) -> Result<Box<[Inst]>, CompileError> {
    let bad = |at: usize, what: &'static str| CompileError {
        func: u32::MAX,
        offset: None,
        kind: CompileErrorKind::Internal { what, at },
    };
    let len = ins.len();
    if !matches!(ins.last(), Some(Ins::Unreachable)) {
        return Err(bad(len, "code without its sentinel"));
    }
    let mut joins = vec![false; len];
    for &e in entries {
        if let Some(j) = joins.get_mut(e as usize) {
            *j = true;
        }
    }
    for i in ins {
        if let Some(&mut t) = i.clone().target_mut() {
            if let Some(j) = joins.get_mut(t as usize) {
                *j = true;
            }
        }
    }
    let mut out = Vec::with_capacity(len);
    let mut written: Option<u32> = None;
    let mut written_f64 = false;
    for (pc, i) in ins.iter().enumerate() {
        let mut i = *i;
        // The slot whose value the accumulator holds on entry to `i`.
        let acc_slot = if joins[pc] { None } else { written };
        let float = written_f64;
        written_f64 = handlers::sets_facc(&i);
        written = i.clone().dst_mut().map(|d| *d).or(match i {
            Ins::Copy { d, .. } | Ins::Const32 { d, .. } | Ins::Const64 { d, .. } => Some(d),
            _ => None,
        });
        if pc + trailing(&i) + 1 >= len && pc + 1 != len {
            return Err(bad(pc, "control leaves the code"));
        }
        for (first, n) in i.slot_runs() {
            if u64::from(first) + u64::from(n) > u64::from(max_height) {
                return Err(bad(pc, "slot beyond the frame"));
            }
        }
        if let Some(t) = i.target_mut() {
            if *t as usize >= len {
                return Err(bad(pc, "control leaves the code"));
            }
            // Handlers jump relative to their own instruction.
            *t = (*t as i64 - pc as i64) as i32 as u32;
        }
        let (mut h, mut op) = handlers::lower_one(&i, pc as u32);
        if let Some(v) = acc_slot.and_then(|s| handlers::lower_acc(&i, s, float)) {
            h = v;
        }
        // A move followed by another that only it leads to: both in one
        // dispatch; moves before a call: into the call by a direct jump
        // (`handlers::moves`).
        let only_from_here = |k: usize| {
            ins.get(k)
                .filter(|_| !joins.get(k).copied().unwrap_or(true))
        };
        if let Some(next) = only_from_here(pc + 1) {
            let fused = handlers::lower_move_call(&i, next)
                .or_else(|| handlers::lower_pair(&i, next, only_from_here(pc + 2)));
            if let Some(f) = fused {
                (h, op) = f;
            }
        }
        if let Ins::BrTable { len: n, .. } = i {
            // Entries that are all plain jumps: the table jumps through them
            // directly (one dispatch instead of two).
            let entries = ins.get(pc + 1..pc + 2 + n as usize).unwrap_or(&[]);
            if entries.iter().all(|e| matches!(e, Ins::Jump(_))) {
                h = handlers::br_table_direct;
            }
        }
        out.push(Inst::new(h, op));
    }
    Ok(out.into_boxed_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_keeps_control_inside_the_code() {
        let ok = [
            Ins::JumpIfNez { c: 0, to: 2 },
            Ins::Return0,
            Ins::BrTable { idx: 0, len: 1 },
            Ins::Jump(0),
            Ins::Return0,
            Ins::Unreachable,
        ];
        assert!(lower(&ok, 1, &[]).is_ok());
        // No sentinel: the last instruction could fall off the end.
        assert!(lower(&ok[..5], 1, &[]).is_err());
        // A jump past the end.
        let mut far = ok;
        far[0] = Ins::JumpIfNez { c: 0, to: 6 };
        assert!(lower(&far, 1, &[]).is_err());
        // A br_table whose entries run into the sentinel's place.
        let mut table = ok;
        table[2] = Ins::BrTable { idx: 0, len: 3 };
        assert!(lower(&table, 1, &[]).is_err());
        // Immediates that run off the end.
        let shuffle = [Ins::Shuffle, Ins::Imm(0), Ins::Unreachable];
        assert!(lower(&shuffle, 0, &[]).is_err());
        let shuffle = [Ins::Shuffle, Ins::Imm(0), Ins::Imm(0), Ins::Unreachable];
        assert!(lower(&shuffle, 0, &[]).is_ok());
    }

    /// Whether lowering gave instruction `at` a handler other than its
    /// plain one (an accumulator variant).
    fn uses_acc(code: &[Ins], entries: &[u32], at: usize) -> bool {
        let lowered = lower(code, 4, entries).expect("valid code");
        let (plain, _) = handlers::lower_one(&code[at], at as u32);
        !std::ptr::fn_addr_eq(lowered[at].h, plain)
    }

    #[test]
    fn accumulator_only_where_the_predecessor_alone_leads() {
        let chain = [
            Ins::I32Add { d: 2, a: 0, b: 1 },
            Ins::I32Add { d: 3, a: 0, b: 2 },
            Ins::I32Add { d: 3, a: 1, b: 0 },
            Ins::Return1 { s: 3 },
            Ins::Unreachable,
        ];
        // The second add reads what the first wrote.
        assert!(uses_acc(&chain, &[], 1));
        // The third reads neither slot its predecessor wrote.
        assert!(!uses_acc(&chain, &[], 2));
        // A landing pad or a jump target can be reached with another value.
        assert!(!uses_acc(&chain, &[1], 1));
        let mut jumped = chain;
        jumped[3] = Ins::JumpIfNez { c: 0, to: 1 };
        assert!(!uses_acc(&jumped, &[], 1));
    }

    #[test]
    fn two_moves_share_a_dispatch_unless_the_second_is_a_target() {
        let moves = [
            Ins::Copy { d: 2, s: 0 },
            Ins::Const32 { d: 3, v: 9 },
            Ins::Return1 { s: 3 },
            Ins::Unreachable,
        ];
        let (pair, op) = handlers::lower_pair(&moves[0], &moves[1], None).expect("two moves");
        assert_eq!(op, [2, 0, 3, 9]);
        let lowered = lower(&moves, 4, &[]).expect("valid");
        assert!(std::ptr::fn_addr_eq(lowered[0].h, pair));
        assert_eq!(lowered[0].op.get(), op);
        // Reached from elsewhere, the second move must run on its own.
        let lowered = lower(&moves, 4, &[1]).expect("valid");
        assert!(!std::ptr::fn_addr_eq(lowered[0].h, pair));
        assert!(handlers::lower_pair(&moves[1], &moves[2], None).is_none());
        // Before a call: the move (or the two) then the call itself.
        let call = Ins::Call { func: 0, base: 2 };
        let one = [moves[0], call, Ins::Return0, Ins::Unreachable];
        let (h, _) = handlers::lower_move_call(&one[0], &one[1]).expect("move, call");
        assert!(std::ptr::fn_addr_eq(
            lower(&one, 4, &[]).expect("valid")[0].h,
            h
        ));
        let two = [moves[0], moves[1], call, Ins::Return0, Ins::Unreachable];
        let (h, _) = handlers::lower_pair(&two[0], &two[1], Some(&two[2])).expect("pair");
        assert!(!std::ptr::fn_addr_eq(h, pair));
        assert!(std::ptr::fn_addr_eq(
            lower(&two, 4, &[]).expect("valid")[0].h,
            h
        ));
        assert!(!std::ptr::fn_addr_eq(
            lower(&two, 4, &[2]).expect("valid")[0].h,
            h
        ));
    }

    #[test]
    fn lower_keeps_slots_inside_the_frame() {
        let code = |i: Ins| [i, Ins::Return0, Ins::Unreachable];
        assert!(lower(&code(Ins::I32Add { d: 2, a: 0, b: 1 }), 3, &[]).is_ok());
        assert!(lower(&code(Ins::I32Add { d: 3, a: 0, b: 1 }), 3, &[]).is_err());
        assert!(lower(&code(Ins::I32Add { d: 0, a: 0, b: 3 }), 3, &[]).is_err());
        // Two-slot values need both slots.
        assert!(lower(&code(Ins::Copy2 { d: 1, s: 0 }), 3, &[]).is_ok());
        assert!(lower(&code(Ins::Copy2 { d: 2, s: 0 }), 3, &[]).is_err());
        // Returned values and the callee's frame base.
        assert!(lower(&code(Ins::ReturnN { from: 1, k: 3 }), 3, &[]).is_err());
        assert!(lower(&code(Ins::Call { func: 0, base: 4 }), 3, &[]).is_err());
        assert!(lower(&code(Ins::I32LoadAA { d: 0, x: 1, y: 9 }), 3, &[]).is_err());
        assert!(lower(&code(Ins::JumpIfLtS { a: 0, b: 7, to: 0 }), 3, &[]).is_err());
    }

    #[test]
    fn the_header_precedes_the_entry() {
        let ins = [Ins::Return0, Ins::Unreachable];
        let code = lower(&ins, 3, &[]).expect("valid");
        let f = FuncCode::new(code, ins.into(), Box::new([0, 0]), 2, 12, 3, Box::new([]));
        assert_eq!(f.code().len(), 2);
        assert_eq!(f.index_of(f.code().as_ptr()), Some(0));
        // SAFETY: the entry of a live `FuncCode`.
        #[allow(unsafe_code)]
        let [params, locals, frame] = unsafe { header_of(f.code().as_ptr()) };
        assert_eq!([params, locals, frame], [2, 12, 3 + 7]);
        // A call zeroes SMALL_LOCALS slots after the parameters in line:
        // they must be inside the frame it checks.
        assert!(frame >= params + handlers::SMALL_LOCALS);
        let big = lower(&ins, 40, &[]).expect("valid");
        let f = FuncCode::new(big, ins.into(), Box::new([0, 0]), 2, 1, 40, Box::new([]));
        #[allow(unsafe_code)]
        // SAFETY: as above.
        let [_, _, frame] = unsafe { header_of(f.code().as_ptr()) };
        assert_eq!(frame, 40);
    }

    #[test]
    fn jumps_are_threaded() {
        let mut code = [
            Ins::JumpIfNez { c: 0, to: 2 },
            Ins::Jump(3),
            Ins::Jump(4),
            Ins::Jump(3),
            Ins::Return1 { s: 0 },
            Ins::Unreachable,
        ];
        thread_jumps(&mut code);
        // The conditional jump goes to the end of the chain, a jump to a
        // return is the return, and a self-loop stays.
        assert_eq!(code[0], Ins::JumpIfNez { c: 0, to: 4 });
        assert_eq!(code[1], Ins::Jump(3));
        assert_eq!(code[2], Ins::Return1 { s: 0 });
        assert_eq!(code[3], Ins::Jump(3));
    }

    #[test]
    fn fields_round_trip() {
        let mut op = [0u32; 4];
        let mut k = 0;
        7u16.put(&mut op, &mut k);
        0x1122_3344_5566_7788u64.put(&mut op, &mut k);
        9u32.put(&mut op, &mut k);
        let mut k = 0;
        assert_eq!(u16::take(&op, &mut k), 7);
        assert_eq!(u64::take(&op, &mut k), 0x1122_3344_5566_7788);
        assert_eq!(u32::take(&op, &mut k), 9);
    }
}

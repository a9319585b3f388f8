//! The executor's instruction handlers, direct-threaded.
//!
//! Every handler has the same signature, [`Handler`]: the instruction
//! pointer `ip`, the frame base `sp`, memory 0's base and length, and the
//! shared state `cx`. The first four live in machine registers from one
//! handler to the next: a handler reads its operands at `ip`, works on
//! frame slots at `sp` and memory at `mem`, then calls the next
//! instruction's handler in tail position, which optimised builds turn
//! into an indirect jump, so each handler has its own predicted branch.
//!
//! Builds with debug assertions (where calls may stay calls) count a
//! budget down and return to the driver loop in `exec.rs` at zero, which
//! bounds native stack use; optimised builds have no budget.
//!
//! The handlers are grouped by instruction family: `arith` (numeric
//! register forms), `memory` (loads and stores on memory 0), `mem64` (the
//! same on a 64-bit memory 0), `control`
//! (branches, moves, globals, calls, returns, and the out-of-line
//! stack-form instructions).

use crate::code::Inst;
use crate::ins::Ins;
use crate::store::Store;
use crate::trap::TrapKind;

mod arith;
mod calls;
mod control;
mod gc;
mod mem64;
mod memory;
mod moves;
mod throw;

pub(crate) use calls::SMALL_LOCALS;

/// How a chain of handlers ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The budget ran out (debug builds) at `cx.ip`/`cx.sp`.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    Yield,
    /// The outermost function returned.
    Done,
    /// `cx.trap` at `cx.ip`.
    Trap,
}

/// A handler: runs the instruction at `ip` in the frame at `sp`, with
/// memory 0 at `mem` (`len` bytes).
///
/// `acc` (the accumulator) is a copy of the value the previous instruction
/// wrote, kept in a machine register: when `code::lower` sees that an
/// instruction reads the slot its predecessor just wrote and cannot be
/// reached any other way, it picks the handler's variant that takes that
/// operand from `acc`, so a chain of dependent operations does not wait
/// for each result to go through memory. Slots are still written (the
/// accumulator is write-through), so every other reader sees them.
///
/// `facc` is the same for results of `f64` arithmetic, kept in a floating-
/// point register so that chains of it skip the moves between register
/// files too.
pub(crate) type Handler = fn(*const Inst, *mut u64, *mut u8, usize, &mut Cx<'_>, u64, f64) -> Exit;

/// A suspended caller.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub ret_ip: *const Inst,
    pub sp: *mut u64,
    /// The caller's store address, instance and memory 0.
    pub func: u32,
    pub inst: u32,
    pub mem0: u32,
}

/// Executor state that handlers share (the hot part travels in arguments).
pub(crate) struct Cx<'s> {
    pub store: &'s mut Store,
    pub frames: Vec<Frame>,
    /// The running function (store address) and its instance.
    pub func: u32,
    pub inst: u32,
    /// The running instance's functions and globals (store addresses):
    /// its `hot_funcs` and `hot_globals`, kept current by `set_inst`.
    pub funcs: std::rc::Rc<[u32]>,
    pub globals: std::rc::Rc<[u32]>,
    /// Store address of the running instance's memory 0 (`u32::MAX`: none).
    pub mem0: u32,
    /// The value stack: `stack_len` slots from `stack`, owned by the caller
    /// of `exec::run` for the whole run.
    pub stack: *mut u64,
    pub stack_len: usize,
    /// Slots usable by frames (at most `stack_len`).
    pub limit: usize,
    /// Top of stack for the stack-form instructions (slot index, set by `SetSp`).
    pub top: usize,
    pub max_depth: usize,
    /// Where the chain stopped (yield or trap).
    pub ip: *const Inst,
    pub sp: *mut u64,
    pub mem: *mut u8,
    pub len: usize,
    pub trap: Option<TrapKind>,
    /// The accumulators where the chain stopped (yield).
    pub acc: u64,
    pub facc: f64,
    /// Handlers left before returning to the driver (debug builds).
    #[cfg(debug_assertions)]
    pub budget: u32,
}

/// The traps handlers raise themselves, as one byte: building a
/// `TrapKind` (which can hold a string) in a handler would give every
/// handler a stack frame.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TrapCode {
    Unreachable,
    MemoryOutOfBounds,
    IntegerDivideByZero,
    IntegerOverflow,
    CallStackExhausted,
    UndefinedElement,
    UninitializedElement,
    IndirectCallTypeMismatch,
    OutOfFuel,
    NullFunctionReference,
    NullReference,
}

impl From<TrapCode> for TrapKind {
    fn from(c: TrapCode) -> TrapKind {
        match c {
            TrapCode::Unreachable => TrapKind::Unreachable,
            TrapCode::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
            TrapCode::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
            TrapCode::IntegerOverflow => TrapKind::IntegerOverflow,
            TrapCode::CallStackExhausted => TrapKind::CallStackExhausted,
            TrapCode::UndefinedElement => TrapKind::UndefinedElement,
            TrapCode::UninitializedElement => TrapKind::UninitializedElement,
            TrapCode::IndirectCallTypeMismatch => TrapKind::IndirectCallTypeMismatch,
            TrapCode::OutOfFuel => TrapKind::OutOfFuel,
            TrapCode::NullFunctionReference => TrapKind::NullFunctionReference,
            TrapCode::NullReference => TrapKind::NullReference,
        }
    }
}

impl Cx<'_> {
    /// Stops with trap `c` at `ip`.
    #[cold]
    #[inline(never)]
    pub(crate) fn trap_code(&mut self, ip: *const Inst, c: TrapCode) -> Exit {
        self.trap_at(ip, c.into())
    }

    /// Stops with trap `k` at `ip`.
    #[cold]
    #[inline(never)]
    pub(crate) fn trap_at(&mut self, ip: *const Inst, k: TrapKind) -> Exit {
        self.trap = Some(k);
        self.ip = ip;
        Exit::Trap
    }

    /// Memory 0's bytes as the register handlers address them. Re-read
    /// after everything that can move or resize it or switch to another
    /// memory 0: calls and returns between instances, host functions and
    /// `memory.grow` (the only instruction that reallocates). Register
    /// handlers run only in between, so the values they carry are current.
    pub(crate) fn mem_view(&mut self) -> (*mut u8, usize) {
        match self.store.mems.get_mut(self.mem0 as usize) {
            Some(m) => (m.base_ptr(), m.len()),
            None => (std::ptr::null_mut(), 0),
        }
    }

    /// The value stack as a slice, for the out-of-line paths.
    pub(crate) fn stack_slice(&mut self) -> &mut [u64] {
        // SAFETY: `stack` points to `stack_len` initialised slots that the
        // caller of `exec::run` owns and does not touch during the run;
        // handlers access them only through raw pointers that are not used
        // while this borrow (confined to one out-of-line call) lives.
        #[allow(unsafe_code)]
        unsafe {
            std::slice::from_raw_parts_mut(self.stack, self.stack_len)
        }
    }

    /// The store and the value stack at once, for out-of-line paths that
    /// update both (stack-form and GC instructions).
    pub(crate) fn store_and_stack(&mut self) -> (&mut Store, &mut [u64]) {
        // SAFETY: as in `stack_slice`; the stack is not part of the store,
        // so the two borrows are disjoint.
        #[allow(unsafe_code)]
        let stack = unsafe { std::slice::from_raw_parts_mut(self.stack, self.stack_len) };
        (self.store, stack)
    }

    /// Makes `inst` the running instance.
    #[inline(always)]
    pub(crate) fn set_inst(&mut self, inst: u32) {
        if inst != self.inst {
            self.inst_changed(inst);
        }
    }

    #[cold]
    #[inline(never)]
    fn inst_changed(&mut self, inst: u32) {
        self.inst = inst;
        let (f, g) = self
            .store
            .instances
            .get(inst as usize)
            .map(|d| (d.hot_funcs.clone(), d.hot_globals.clone()))
            .unwrap_or_default();
        self.funcs = f;
        self.globals = g;
    }

    /// The slot index of frame pointer `sp`.
    pub(crate) fn slot_index(&self, sp: *mut u64) -> usize {
        (sp as usize - self.stack as usize) / std::mem::size_of::<u64>()
    }
}

/// Runs the instruction at `ip`: a tail call into its handler.
#[inline(always)]
pub(crate) fn dispatch(
    ip: *const Inst,
    sp: *mut u64,
    mem: *mut u8,
    len: usize,
    cx: &mut Cx<'_>,
    acc: u64,
    facc: f64,
) -> Exit {
    #[cfg(debug_assertions)]
    {
        if cx.budget == 0 {
            cx.ip = ip;
            cx.sp = sp;
            cx.mem = mem;
            cx.len = len;
            cx.acc = acc;
            cx.facc = facc;
            return Exit::Yield;
        }
        cx.budget -= 1;
    }
    // SAFETY: `ip` points into a function's threaded code, which
    // `code::lower` checked: every jump target, `br_table` entry and
    // fall-through successor is an instruction of the same code, which
    // ends in a trapping sentinel; entries and return addresses are such
    // positions. The code lives as long as the store (it is never freed or
    // moved once built), and `cx` borrows the store for the whole run.
    #[allow(unsafe_code)]
    let h = unsafe { (*ip).h };
    h(ip, sp, mem, len, cx, acc, facc)
}

/// The operands of the instruction at `ip` (see `dispatch` for why `ip`
/// is valid).
#[inline(always)]
pub(crate) fn operands(ip: *const Inst) -> [u32; 4] {
    // SAFETY: as in `dispatch`.
    #[allow(unsafe_code)]
    unsafe {
        (*ip).op.get()
    }
}

/// Reads frame slot `s`.
#[inline(always)]
pub(crate) fn rd(sp: *mut u64, s: u32) -> u64 {
    // SAFETY: `code::lower` checked that every slot an instruction names
    // is below its function's frame size, and every call checks that the
    // frame (`sp` plus that size) fits in the value stack before entering.
    #[allow(unsafe_code)]
    unsafe {
        *sp.add(s as usize)
    }
}

/// Writes frame slot `s` (see `rd`).
#[inline(always)]
pub(crate) fn wr(sp: *mut u64, s: u32, v: u64) {
    // SAFETY: as in `rd`.
    #[allow(unsafe_code)]
    unsafe {
        *sp.add(s as usize) = v
    }
}

/// Declares one handler per listed instruction, whose fields are unpacked
/// from the operands in declaration order, and `$lower`, which packs an
/// instruction of these kinds for `code::lower`. Inside a body, `r!(s)`
/// and `w!(d, v)` access frame slots (`w!` also sets the accumulator;
/// `wf!(d, x)` writes an `f64` and sets both accumulators), `m!()` is
/// memory 0 as `(base, len)`, `trap!(Code)` and `trap_with!(kind)` stop,
/// `jmp_if!(c, to)` takes a relative jump, `tail!(h)` continues in handler
/// `h` with this instruction, `mem`/`len` are memory 0; after the body, the
/// next instruction runs.
///
/// An instruction followed by `[f, …]` also gets, for each listed slot
/// field `f`, a variant `$v::f` in which `r!(f)` is the accumulator, and
/// `$lower_acc` picks that variant for an instruction whose field `f`
/// names a given slot; `[…] f[g, …]` adds variants `$v::f::g` reading
/// field `g` from the `f64` accumulator. (`r!` must be given the field's
/// name itself, not an expression, for the variant to differ; helper
/// macros pass it as a `tt`.)
macro_rules! handlers {
    (
        $lower:ident, $lower_acc:ident;
        ($ip:ident, $sp:ident, $mem:ident, $len:ident, $cx:ident, $acc:ident, $facc:ident);
        $( $v:ident $fl:tt $([ $($af:ident),* ] $(f[ $($ff:ident),* ])? )? => $body:block )*
    ) => {
        $(
            #[allow(non_snake_case, unused_macros, unused_mut, unused_assignments, clippy::redundant_closure_call)]
            fn $v(
                $ip: *const Inst,
                $sp: *mut u64,
                $mem: *mut u8,
                $len: usize,
                $cx: &mut Cx<'_>,
                mut $acc: u64,
                mut $facc: f64,
            ) -> Exit {
                handlers!(@unpack $ip $v $fl);
                macro_rules! r {
                    ($s:expr) => {
                        $crate::handlers::rd($sp, $s)
                    };
                }
                handlers!(@body ($ip, $sp, $mem, $len, $cx, $acc, $facc) $body)
            }

            $(
                #[allow(non_snake_case)]
                mod $v {
                    use super::*;
                    $(
                        handlers!(@variant $v $fl $af ($ip, $sp, $mem, $len, $cx, $acc, $facc)
                            (acc) $body);
                    )*
                    $(
                        /// The variants reading the `f64` accumulator.
                        pub(super) mod f {
                            use super::*;
                            $(
                                handlers!(@variant $v $fl $ff ($ip, $sp, $mem, $len, $cx, $acc, $facc)
                                    (facc) $body);
                            )*
                        }
                    )?
                }
            )?
        )*

        /// The handler and packed operands of an instruction of this family.
        pub(super) fn $lower(i: &Ins) -> Option<(Handler, [u32; 4])> {
            #[allow(unused_mut, unused_variables)]
            match *i {
                $( Ins::$v { .. } => Some(($v as Handler, handlers!(@pack i $v $fl))), )*
                _ => None,
            }
        }

        /// The variant of this family's handler for `i` that reads slot
        /// `s` from the accumulator (the `f64` one if `float`), if it has one.
        #[allow(unused_variables)]
        pub(super) fn $lower_acc(i: &Ins, s: u32, float: bool) -> Option<Handler> {
            #[allow(clippy::match_single_binding)]
            match *i {
                $( $( Ins::$v { .. } => {
                    $(
                        if float {
                            if let Some(h) = handlers!(@acc i s ($v::f) $v $fl [$($ff),*]) {
                                return Some(h);
                            }
                        }
                    )?
                    handlers!(@acc i s ($v) $v $fl [$($af),*])
                } )? )*
                _ => None,
            }
        }
    };
    (@variant $v:ident $fl:tt $af:ident
        ($ip:ident, $sp:ident, $mem:ident, $len:ident, $cx:ident, $acc:ident, $facc:ident)
        ($which:ident) $body:block) => {
        /// The variant reading this field from an accumulator.
        #[allow(non_snake_case, unused_macros, unused_mut, unused_assignments, clippy::redundant_closure_call)]
        pub(in super::super) fn $af(
            $ip: *const Inst,
            $sp: *mut u64,
            $mem: *mut u8,
            $len: usize,
            $cx: &mut Cx<'_>,
            mut $acc: u64,
            mut $facc: f64,
        ) -> Exit {
            handlers!(@unpack $ip $v $fl);
            let _ = $af;
            // The operand, taken before the body's own writes replace the
            // accumulators. (`f64::from_bits` of the `f64` accumulator's
            // bits costs nothing: the value stays in its register.)
            let operand: u64 = handlers!(@which $which $acc $facc);
            // `code::lower` chose this variant because the previous
            // instruction wrote this very slot.
            debug_assert_eq!(operand, $crate::handlers::rd($sp, $af), "accumulator out of date");
            macro_rules! r {
                ($af) => {
                    operand
                };
                ($s:expr) => {
                    $crate::handlers::rd($sp, $s)
                };
            }
            handlers!(@body ($ip, $sp, $mem, $len, $cx, $acc, $facc) $body)
        }
    };
    (@which acc $acc:ident $facc:ident) => { $acc };
    (@which facc $acc:ident $facc:ident) => { $facc.to_bits() };
    (@unpack $ip:ident $v:ident { $($f:ident),* }) => {
        let op = $crate::handlers::operands($ip);
        let mut k = 0usize;
        let Ins::$v { $($f),* } = (Ins::$v { $($f: Field::take(&op, &mut k)),* }) else {
            unreachable!()
        };
    };
    (@pack $i:ident $v:ident { $($f:ident),* }) => {{
        let Ins::$v { $($f),* } = *$i else { unreachable!() };
        let mut op = [0u32; 4];
        let mut k = 0usize;
        $( Field::put($f, &mut op, &mut k); )*
        op
    }};
    (@acc $i:ident $s:ident ($($m:ident)::+) $v:ident { $($f:ident),* } [$($af:ident),*]) => {{
        let Ins::$v { $($f),* } = *$i else { unreachable!() };
        use $($m)::+ as variants;
        $(
            if $af == $s {
                return Some(variants::$af as Handler);
            }
        )*
        None
    }};
    (@body ($ip:ident, $sp:ident, $mem:ident, $len:ident, $cx:ident, $acc:ident, $facc:ident) $body:block) => {{
        macro_rules! trap {
            ($c:ident) => {
                return $cx.trap_code($ip, TrapCode::$c)
            };
        }
        macro_rules! trap_with {
            ($k:expr) => {
                return $cx.trap_at($ip, $k)
            };
        }
        macro_rules! m {
            () => {
                ($mem, $len)
            };
        }
        macro_rules! w {
            ($d:expr, $x:expr) => {{
                let v: u64 = $x;
                $crate::handlers::wr($sp, $d, v);
                $acc = v;
            }};
        }
        macro_rules! wf {
            ($d:expr, $x:expr) => {{
                let x: f64 = $x;
                $crate::handlers::wr($sp, $d, x.to_bits());
                $acc = x.to_bits();
                $facc = x;
            }};
        }
        macro_rules! tail {
            ($h:expr) => {
                return $h($ip, $sp, $mem, $len, $cx, $acc, $facc)
            };
        }
        macro_rules! jmp_if {
            ($cond:expr, $to:expr) => {{
                if $cond {
                    return dispatch(
                        $ip.wrapping_offset($to as i32 as isize),
                        $sp,
                        $mem,
                        $len,
                        $cx,
                        $acc,
                        $facc,
                    );
                }
            }};
        }
        $body
        dispatch($ip.wrapping_add(1), $sp, $mem, $len, $cx, $acc, $facc)
    }};
}
pub(crate) use handlers;

pub(crate) use control::br_table_direct;
pub(crate) use moves::{lower_move_call, lower_pair};

/// The handler and operands of instruction `i` at position `pc` (jump
/// targets already relative).
pub(crate) fn lower_one(i: &Ins, pc: u32) -> (Handler, [u32; 4]) {
    if let Some(x) = arith::lower(i) {
        return x;
    }
    if let Some(x) = calls::lower(i) {
        return x;
    }
    if let Some(x) = throw::lower(i) {
        return x;
    }
    if let Ins::Gc(op) = i {
        return (gc::gc_op, op.pack());
    }
    if let Some(x) = memory::lower(i) {
        return x;
    }
    if let Some(x) = mem64::lower(i) {
        return x;
    }
    control::lower(i, pc)
}

/// The handler of the header before every function's code (see
/// `code::FuncCode`): never reached, it traps if it were.
pub(crate) fn header_handler() -> Handler {
    control::unreachable_op
}

/// Whether `i`'s handler also sets the `f64` accumulator.
pub(crate) fn sets_facc(i: &Ins) -> bool {
    arith::sets_facc(i)
}

/// The variant of `i`'s handler that reads slot `s` from the accumulator,
/// if it has one (see [`Handler`]).
///
/// `float`: the predecessor also set the `f64` accumulator.
pub(crate) fn lower_acc(i: &Ins, s: u32, float: bool) -> Option<Handler> {
    arith::lower_acc(i, s, float)
        .or_else(|| memory::lower_acc(i, s, float))
        .or_else(|| mem64::lower_acc(i, s, float))
        .or_else(|| control::lower_moves_acc(i, s, float))
}

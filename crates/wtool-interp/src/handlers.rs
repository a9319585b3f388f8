//! The executor's instruction handlers, threaded: each handler ends by
//! fetching the next instruction's handler and calling it in tail position,
//! which the optimizer turns into a jump, so every handler has its own
//! indirect branch (predicted separately) and the executor state (`pc`,
//! `fp`, the value stack) stays in registers. `n` counts down a budget:
//! at zero the chain returns to the driver loop in `exec.rs`, which bounds
//! native stack use where calls are not turned into jumps (unoptimized
//! builds).

use std::rc::Rc;

use wtool_ast::ValType;

use crate::exec::{stack_op, Stack, M};
use crate::ins::Ins;
use crate::numeric;
use crate::store::{Caller, FuncInst, InstanceId, Store};
use crate::trap::TrapKind;
use crate::values::{slots_of, Value, NULL_REF};

/// How a chain of handlers ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The budget ran out at `cx.pc`/`cx.fp`.
    Yield,
    /// The outermost function returned.
    Done,
    /// `cx.trap` at `cx.pc`.
    Trap,
}

/// A handler: executes the instruction at `pc` in the frame at `fp`.
pub(crate) type Handler = fn(&mut Cx<'_>, &mut Stack, usize, usize, u32) -> Exit;

/// A suspended caller.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub ret_pc: u32,
    pub fp: u32,
    pub func: u32,
    /// The caller's memory 0.
    pub mem0: u32,
}

/// Executor state that handlers share (the hot part travels in arguments).
pub(crate) struct Cx<'s> {
    pub store: &'s mut Store,
    pub frames: Vec<Frame>,
    /// Keeps `code` alive; the store's code only grows, and after a host
    /// function instantiates more both move to the new vectors.
    pub code_rc: Rc<Vec<Ins>>,
    pub code: *const Ins,
    /// Parallel to the code: each instruction's handler.
    pub handlers_rc: Rc<Vec<Handler>>,
    pub handlers: *const Handler,
    /// Top of stack for the stack-form instructions (set by `SetSp`).
    pub sp: usize,
    pub cur_func: u32,
    /// Store address of the current function's memory 0.
    pub mem0: usize,
    /// That memory's bytes (null and 0 when there is none), cached for the
    /// register loads and stores; see `refresh_mem`.
    pub mem_base: *mut u8,
    pub mem_len: usize,
    pub limit: usize,
    pub max_depth: usize,
    /// Where the chain stopped (yield or trap).
    pub pc: usize,
    pub fp: usize,
    pub trap: Option<TrapKind>,
}

/// The traps handlers raise themselves, as one byte: building a
/// `TrapKind` (which can hold a string) in a handler would give every
/// handler a stack frame.
#[derive(Clone, Copy, Debug)]
enum TrapCode {
    Unreachable,
    MemoryOutOfBounds,
    IntegerDivideByZero,
    IntegerOverflow,
    CallStackExhausted,
    UndefinedElement,
    UninitializedElement,
    IndirectCallTypeMismatch,
    OutOfFuel,
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
        }
    }
}

impl Cx<'_> {
    /// Stops with trap `c` at `pc`.
    #[cold]
    #[inline(never)]
    fn trap_code(&mut self, pc: usize, c: TrapCode) -> Exit {
        self.trap_at(pc, c.into())
    }

    /// Stops with trap `k` at `pc`.
    #[cold]
    #[inline(never)]
    fn trap_at(&mut self, pc: usize, k: TrapKind) -> Exit {
        self.trap = Some(k);
        self.pc = pc;
        Exit::Trap
    }

    /// Re-reads memory 0's buffer. Called after everything that can move
    /// or resize it or switch to another memory 0: calls and returns
    /// (`switch_mem`), host functions and `memory.grow` (the only
    /// instruction that reallocates). Register handlers run only in
    /// between, so the cache is current whenever they read it.
    pub(crate) fn refresh_mem(&mut self) {
        (self.mem_base, self.mem_len) = match self.store.mems.get_mut(self.mem0) {
            Some(m) => (m.base_ptr(), m.len()),
            None => (std::ptr::null_mut(), 0),
        };
    }

    /// Makes `mem0` the current memory 0 (on a call or return).
    fn switch_mem(&mut self, mem0: usize) {
        if mem0 != self.mem0 {
            self.mem0 = mem0;
            self.refresh_mem();
        }
    }

    /// Follows the store's code after something may have instantiated more.
    fn refresh_code(&mut self) {
        if !Rc::ptr_eq(&self.code_rc, &self.store.code) {
            self.code_rc = Rc::clone(&self.store.code);
            self.code = self.code_rc.as_ptr();
            self.handlers_rc = Rc::clone(&self.store.handlers);
            self.handlers = self.handlers_rc.as_ptr();
        }
    }
}

/// The instruction at `pc`.
#[inline(always)]
fn fetch(cx: &Cx<'_>, pc: usize) -> Ins {
    debug_assert!(pc < cx.code_rc.len());
    // SAFETY: `compile::verify_flow` checked that every jump target and
    // fall-through successor in the store's code is inside it, and entries
    // and return addresses are such positions, so `pc` is in bounds of the
    // vector `code` points into, which `code_rc` keeps alive.
    #[allow(unsafe_code)]
    unsafe {
        *cx.code.add(pc)
    }
}

/// Runs the instruction at `pc`: a tail call into its handler.
#[inline(always)]
pub(crate) fn next(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    if n == 0 {
        cx.pc = pc;
        cx.fp = fp;
        return Exit::Yield;
    }
    debug_assert!(pc < cx.handlers_rc.len());
    // SAFETY: as in `fetch`; `handlers` has one entry per instruction of
    // the code (`Store::instantiate` extends both together and `exec::run`
    // checks the lengths agree).
    #[allow(unsafe_code)]
    let h = unsafe { *cx.handlers.add(pc) };
    h(cx, stack, pc, fp, n - 1)
}

/// A unary f32 op on slot bits.
#[inline(always)]
fn f32u(x: u64, f: fn(f32) -> f32) -> u64 {
    f(f32::from_bits(x as u32)).to_bits() as u64
}

/// A unary f64 op on slot bits.
#[inline(always)]
fn f64u(x: u64, f: fn(f64) -> f64) -> u64 {
    f(f64::from_bits(x)).to_bits()
}

/// `N` bytes at `base + ea`.
///
/// # Safety
/// `base + ea .. base + ea + N` must lie in one live allocation.
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn read_at<const N: usize>(base: *mut u8, ea: usize) -> [u8; N] {
    // SAFETY: the caller's contract; unaligned reads are allowed.
    unsafe { std::ptr::read_unaligned(base.add(ea) as *const [u8; N]) }
}

/// Writes `b` at `base + ea`.
///
/// # Safety
/// `base + ea .. base + ea + N` must lie in one live allocation that
/// nothing else borrows.
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn write_at<const N: usize>(base: *mut u8, ea: usize, b: [u8; N]) {
    // SAFETY: the caller's contract; unaligned writes are allowed.
    unsafe { std::ptr::write_unaligned(base.add(ea) as *mut [u8; N], b) }
}

/// Declares a handler per register instruction. The helper macros are
/// defined inside each function so that they can name its parameters.
macro_rules! handlers {
    ($( $v:ident $f:tt => $body:block )*) => {
        $(
            #[allow(non_snake_case, unused_macros, unsafe_code, clippy::redundant_closure_call)]
            fn $v(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
                macro_rules! cx {
                    () => {
                        cx
                    };
                }
                macro_rules! trap {
                    ($k:ident) => {
                        return cx.trap_code(pc, TrapCode::$k)
                    };
                }
                // Frame slot `s`.
                macro_rules! r {
                    ($s:expr) => {
                        stack[(fp + $s as usize) & M]
                    };
                }
                macro_rules! w {
                    ($d:expr, $x:expr) => {{
                        let v: u64 = $x;
                        stack[(fp + $d as usize) & M] = v;
                    }};
                }
                macro_rules! jmp_if {
                    ($cond:expr, $to:expr) => {{
                        if $cond {
                            return next(cx, stack, $to as usize, fp, n);
                        }
                    }};
                }
                macro_rules! rr32 {
                    ($d:expr, $a:expr, $b:expr, $op:expr) => {{
                        let op: fn(u32, u32) -> u64 = $op;
                        w!($d, op(r!($a) as u32, r!($b) as u32))
                    }};
                }
                macro_rules! ri32 {
                    ($d:expr, $a:expr, $imm:expr, $op:expr) => {{
                        let op: fn(u32, u32) -> u64 = $op;
                        w!($d, op(r!($a) as u32, $imm))
                    }};
                }
                macro_rules! rr64 {
                    ($d:expr, $a:expr, $b:expr, $op:expr) => {{
                        let op: fn(u64, u64) -> u64 = $op;
                        w!($d, op(r!($a), r!($b)))
                    }};
                }
                // 64-bit immediates are sign-extended from 32 bits.
                macro_rules! ri64 {
                    ($d:expr, $a:expr, $imm:expr, $op:expr) => {{
                        let op: fn(u64, u64) -> u64 = $op;
                        w!($d, op(r!($a), $imm as i32 as i64 as u64))
                    }};
                }
                macro_rules! rrf32 {
                    ($d:expr, $a:expr, $b:expr, $op:expr) => {{
                        let op: fn(f32, f32) -> f32 = $op;
                        let (x, y) = (
                            f32::from_bits(r!($a) as u32),
                            f32::from_bits(r!($b) as u32),
                        );
                        w!($d, op(x, y).to_bits() as u64)
                    }};
                }
                macro_rules! rrf64 {
                    ($d:expr, $a:expr, $b:expr, $op:expr) => {{
                        let op: fn(f64, f64) -> f64 = $op;
                        w!($d, op(f64::from_bits(r!($a)), f64::from_bits(r!($b))).to_bits())
                    }};
                }
                macro_rules! cmpf32 {
                    ($d:expr, $a:expr, $b:expr, $op:expr) => {{
                        let op: fn(f32, f32) -> bool = $op;
                        let (x, y) = (
                            f32::from_bits(r!($a) as u32),
                            f32::from_bits(r!($b) as u32),
                        );
                        w!($d, op(x, y) as u64)
                    }};
                }
                macro_rules! cmpf64 {
                    ($d:expr, $a:expr, $b:expr, $op:expr) => {{
                        let op: fn(f64, f64) -> bool = $op;
                        w!($d, op(f64::from_bits(r!($a)), f64::from_bits(r!($b))) as u64)
                    }};
                }
                macro_rules! un {
                    ($d:expr, $a:expr, $op:expr) => {{
                        let op: fn(u64) -> u64 = $op;
                        w!($d, op(r!($a)))
                    }};
                }
                macro_rules! divide {
                    ($d:expr, $x:expr, $y:expr, $t:ty, $s:ty, $op:ident) => {{
                        let (x, y): ($t, $t) = ($x, $y);
                        if y == 0 {
                            trap!(IntegerDivideByZero);
                        }
                        let v: $t = divide!(@ $op, x, y, $t, $s);
                        w!($d, v as u64)
                    }};
                    (@ div_s, $x:expr, $y:expr, $t:ty, $s:ty) => {{
                        if $x as $s == <$s>::MIN && $y as $s == -1 {
                            trap!(IntegerOverflow);
                        }
                        ($x as $s).wrapping_div($y as $s) as $t
                    }};
                    (@ div_u, $x:expr, $y:expr, $t:ty, $s:ty) => {
                        $x / $y
                    };
                    (@ rem_s, $x:expr, $y:expr, $t:ty, $s:ty) => {
                        ($x as $s).wrapping_rem($y as $s) as $t
                    };
                    (@ rem_u, $x:expr, $y:expr, $t:ty, $s:ty) => {
                        $x % $y
                    };
                }
                // Loads and stores at `x + y` (32-bit wrapping) plus an offset.
                macro_rules! ld {
                    ($d:expr, $x:expr, $y:expr, $off:expr, $n:literal, $op:expr) => {{
                        let ea = ($x as u32).wrapping_add($y) as u64 + $off as u64;
                        let op: fn([u8; $n]) -> u64 = $op;
                        if ea + $n > cx.mem_len as u64 {
                            trap!(MemoryOutOfBounds);
                        }
                        // SAFETY: `mem_base` points to `mem_len` bytes of
                        // memory 0, current since the last `refresh_mem`
                        // (nothing a register handler does can move them),
                        // and `ea + N <= mem_len` was just checked.
                        let b: [u8; $n] = unsafe { read_at(cx.mem_base, ea as usize) };
                        w!($d, op(b))
                    }};
                }
                macro_rules! st {
                    ($x:expr, $y:expr, $off:expr, $bytes:expr) => {{
                        let ea = ($x as u32).wrapping_add($y) as u64 + $off as u64;
                        let bytes = $bytes;
                        if ea + bytes.len() as u64 > cx.mem_len as u64 {
                            trap!(MemoryOutOfBounds);
                        }
                        // SAFETY: as for `ld!`: in bounds of the current
                        // buffer of memory 0, which nothing else borrows.
                        unsafe { write_at(cx.mem_base, ea as usize, bytes) };
                    }};
                }
                macro_rules! ldr {
                    ($d:expr, $a:expr, $off:expr, $n:literal, $op:expr) => {
                        ld!($d, r!($a), 0, $off, $n, $op)
                    };
                }
                macro_rules! str {
                    ($a:expr, $off:expr, $bytes:expr) => {
                        st!(r!($a), 0, $off, $bytes)
                    };
                }
                macro_rules! ldw {
                    ($d:expr, $x:expr, $y:expr, $n:literal, $op:expr) => {
                        ld!($d, $x, $y, 0, $n, $op)
                    };
                }
                macro_rules! strw {
                    ($x:expr, $y:expr, $bytes:expr) => {
                        st!($x, $y, 0, $bytes)
                    };
                }
                let Ins::$v $f = fetch(cx, pc) else {
                    return cx.trap_code(pc, TrapCode::Unreachable);
                };
                $body
                next(cx, stack, pc + 1, fp, n)
            }
        )*

        /// The handler of a register instruction, if it is one.
        fn register_handler(i: &Ins) -> Option<Handler> {
            match i {
                $( Ins::$v { .. } => Some($v), )*
                _ => None,
            }
        }
    };
}

handlers! {
    IncJumpNez { imm, x, to } => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!(v != 0, to);
    }
    IncJumpNe { imm, x, n, to } => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!(v != r!(n) as u32, to);
    }
    IncJumpLtS { imm, x, n, to } => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!((v as i32) < r!(n) as i32, to);
    }
    IncJumpLtU { imm, x, n, to } => {
        let v = (r!(x) as u32).wrapping_add(imm as i16 as u32);
        w!(x, v as u64);
        jmp_if!(v < r!(n) as u32, to);
    }
    JumpIfNez { c, to } => { jmp_if!(r!(c) as u32 != 0, to); }
    JumpIfEqz { c, to } => { jmp_if!(r!(c) as u32 == 0, to); }
    JumpIfEq { a, b, to } => { jmp_if!(r!(a) as u32 == r!(b) as u32, to); }
    JumpIfNe { a, b, to } => { jmp_if!(r!(a) as u32 != r!(b) as u32, to); }
    JumpIfLtS { a, b, to } => { jmp_if!((r!(a) as i32) < r!(b) as i32, to); }
    JumpIfLtU { a, b, to } => { jmp_if!((r!(a) as u32) < r!(b) as u32, to); }
    JumpIfGtS { a, b, to } => { jmp_if!(r!(a) as i32 > r!(b) as i32, to); }
    JumpIfGtU { a, b, to } => { jmp_if!(r!(a) as u32 > r!(b) as u32, to); }
    JumpIfLeS { a, b, to } => { jmp_if!(r!(a) as i32 <= r!(b) as i32, to); }
    JumpIfLeU { a, b, to } => { jmp_if!(r!(a) as u32 <= r!(b) as u32, to); }
    JumpIfGeS { a, b, to } => { jmp_if!(r!(a) as i32 >= r!(b) as i32, to); }
    JumpIfGeU { a, b, to } => { jmp_if!(r!(a) as u32 >= r!(b) as u32, to); }
    JumpIfEqI { a, imm, to } => { jmp_if!(r!(a) as u32 == imm, to); }
    JumpIfNeI { a, imm, to } => { jmp_if!(r!(a) as u32 != imm, to); }
    JumpIfLtSI { a, imm, to } => { jmp_if!((r!(a) as i32) < imm as i32, to); }
    JumpIfLtUI { a, imm, to } => { jmp_if!((r!(a) as u32) < imm, to); }
    JumpIfGtSI { a, imm, to } => { jmp_if!(r!(a) as i32 > imm as i32, to); }
    JumpIfGtUI { a, imm, to } => { jmp_if!(r!(a) as u32 > imm, to); }
    JumpIfLeSI { a, imm, to } => { jmp_if!(r!(a) as i32 <= imm as i32, to); }
    JumpIfLeUI { a, imm, to } => { jmp_if!(r!(a) as u32 <= imm, to); }
    JumpIfGeSI { a, imm, to } => { jmp_if!(r!(a) as i32 >= imm as i32, to); }
    JumpIfGeUI { a, imm, to } => { jmp_if!(r!(a) as u32 >= imm, to); }
    Copy { d, s } => { w!(d, r!(s)); }
    Copy2 { d, s } => {
                    w!(d, r!(s));
                    w!(d + 1, r!(s + 1));
                }
    Const32 { d, v } => { w!(d, v as u64); }
    Const64 { d, v } => { w!(d, v); }
    Select1 { d, b, c } => {
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
                    let Some(g) = cx!().store.globals.get(g as usize) else {
                        trap!(Unreachable)
                    };
                    w!(d, g.lo);
                }
    GlobalSet { g, s } => {
                    let v = r!(s);
                    let Some(g) = cx!().store.globals.get_mut(g as usize) else {
                        trap!(Unreachable)
                    };
                    g.lo = v;
                }
    GlobalGet2 { d, g } => {
                    let Some(g) = cx!().store.globals.get(g as usize) else {
                        trap!(Unreachable)
                    };
                    let (lo, hi) = (g.lo, g.hi);
                    w!(d, lo);
                    w!(d + 1, hi);
                }
    GlobalSet2 { g, s } => {
                    let (lo, hi) = (r!(s), r!(s + 1));
                    let Some(g) = cx!().store.globals.get_mut(g as usize) else {
                        trap!(Unreachable)
                    };
                    g.lo = lo;
                    g.hi = hi;
                }
    I32Add { d, a, b } => { rr32!(d, a, b, |x, y| x.wrapping_add(y) as u64); }
    I32Sub { d, a, b } => { rr32!(d, a, b, |x, y| x.wrapping_sub(y) as u64); }
    I32Mul { d, a, b } => { rr32!(d, a, b, |x, y| x.wrapping_mul(y) as u64); }
    I32DivS { d, a, b } => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, div_s); }
    I32DivU { d, a, b } => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, div_u); }
    I32RemS { d, a, b } => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, rem_s); }
    I32RemU { d, a, b } => { divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, rem_u); }
    I32And { d, a, b } => { rr32!(d, a, b, |x, y| (x & y) as u64); }
    I32Or { d, a, b } => { rr32!(d, a, b, |x, y| (x | y) as u64); }
    I32Xor { d, a, b } => { rr32!(d, a, b, |x, y| (x ^ y) as u64); }
    I32Shl { d, a, b } => { rr32!(d, a, b, |x, y| x.wrapping_shl(y) as u64); }
    I32ShrS { d, a, b } => {
                    rr32!(d, a, b, |x, y| (x as i32).wrapping_shr(y) as u32 as u64)
                }
    I32ShrU { d, a, b } => { rr32!(d, a, b, |x, y| x.wrapping_shr(y) as u64); }
    I32Rotl { d, a, b } => { rr32!(d, a, b, |x, y| x.rotate_left(y & 31) as u64); }
    I32Rotr { d, a, b } => { rr32!(d, a, b, |x, y| x.rotate_right(y & 31) as u64); }
    I32Eq { d, a, b } => { rr32!(d, a, b, |x, y| (x == y) as u64); }
    I32Ne { d, a, b } => { rr32!(d, a, b, |x, y| (x != y) as u64); }
    I32LtS { d, a, b } => { rr32!(d, a, b, |x, y| ((x as i32) < (y as i32)) as u64); }
    I32LtU { d, a, b } => { rr32!(d, a, b, |x, y| (x < y) as u64); }
    I32GtS { d, a, b } => { rr32!(d, a, b, |x, y| ((x as i32) > (y as i32)) as u64); }
    I32GtU { d, a, b } => { rr32!(d, a, b, |x, y| (x > y) as u64); }
    I32LeS { d, a, b } => { rr32!(d, a, b, |x, y| ((x as i32) <= (y as i32)) as u64); }
    I32LeU { d, a, b } => { rr32!(d, a, b, |x, y| (x <= y) as u64); }
    I32GeS { d, a, b } => { rr32!(d, a, b, |x, y| ((x as i32) >= (y as i32)) as u64); }
    I32GeU { d, a, b } => { rr32!(d, a, b, |x, y| (x >= y) as u64); }
    I64Add { d, a, b } => { rr64!(d, a, b, |x, y| x.wrapping_add(y)); }
    I64Sub { d, a, b } => { rr64!(d, a, b, |x, y| x.wrapping_sub(y)); }
    I64Mul { d, a, b } => { rr64!(d, a, b, |x, y| x.wrapping_mul(y)); }
    I64DivS { d, a, b } => { divide!(d, r!(a), r!(b), u64, i64, div_s); }
    I64DivU { d, a, b } => { divide!(d, r!(a), r!(b), u64, i64, div_u); }
    I64RemS { d, a, b } => { divide!(d, r!(a), r!(b), u64, i64, rem_s); }
    I64RemU { d, a, b } => { divide!(d, r!(a), r!(b), u64, i64, rem_u); }
    I64And { d, a, b } => { rr64!(d, a, b, |x, y| x & y); }
    I64Or { d, a, b } => { rr64!(d, a, b, |x, y| x | y); }
    I64Xor { d, a, b } => { rr64!(d, a, b, |x, y| x ^ y); }
    I64Shl { d, a, b } => { rr64!(d, a, b, |x, y| x.wrapping_shl(y as u32)); }
    I64ShrS { d, a, b } => {
                    rr64!(d, a, b, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
                }
    I64ShrU { d, a, b } => { rr64!(d, a, b, |x, y| x.wrapping_shr(y as u32)); }
    I64Rotl { d, a, b } => { rr64!(d, a, b, |x, y| x.rotate_left((y & 63) as u32)); }
    I64Rotr { d, a, b } => { rr64!(d, a, b, |x, y| x.rotate_right((y & 63) as u32)); }
    I64Eq { d, a, b } => { rr64!(d, a, b, |x, y| (x == y) as u64); }
    I64Ne { d, a, b } => { rr64!(d, a, b, |x, y| (x != y) as u64); }
    I64LtS { d, a, b } => { rr64!(d, a, b, |x, y| ((x as i64) < (y as i64)) as u64); }
    I64LtU { d, a, b } => { rr64!(d, a, b, |x, y| (x < y) as u64); }
    I64GtS { d, a, b } => { rr64!(d, a, b, |x, y| ((x as i64) > (y as i64)) as u64); }
    I64GtU { d, a, b } => { rr64!(d, a, b, |x, y| (x > y) as u64); }
    I64LeS { d, a, b } => { rr64!(d, a, b, |x, y| ((x as i64) <= (y as i64)) as u64); }
    I64LeU { d, a, b } => { rr64!(d, a, b, |x, y| (x <= y) as u64); }
    I64GeS { d, a, b } => { rr64!(d, a, b, |x, y| ((x as i64) >= (y as i64)) as u64); }
    I64GeU { d, a, b } => { rr64!(d, a, b, |x, y| (x >= y) as u64); }
    F32Add { d, a, b } => { rrf32!(d, a, b, numeric::f32_add); }
    F32Sub { d, a, b } => { rrf32!(d, a, b, numeric::f32_sub); }
    F32Mul { d, a, b } => { rrf32!(d, a, b, numeric::f32_mul); }
    F32Div { d, a, b } => { rrf32!(d, a, b, numeric::f32_div); }
    F32Min { d, a, b } => { rrf32!(d, a, b, numeric::f32_min); }
    F32Max { d, a, b } => { rrf32!(d, a, b, numeric::f32_max); }
    F32Copysign { d, a, b } => {
                    rr32!(d, a, b, |x, y| ((x & 0x7fff_ffff) | (y & 0x8000_0000))
                        as u64)
                }
    F32Eq { d, a, b } => { cmpf32!(d, a, b, |x, y| x == y); }
    F32Ne { d, a, b } => { cmpf32!(d, a, b, |x, y| x != y); }
    F32Lt { d, a, b } => { cmpf32!(d, a, b, |x, y| x < y); }
    F32Gt { d, a, b } => { cmpf32!(d, a, b, |x, y| x > y); }
    F32Le { d, a, b } => { cmpf32!(d, a, b, |x, y| x <= y); }
    F32Ge { d, a, b } => { cmpf32!(d, a, b, |x, y| x >= y); }
    F64Add { d, a, b } => { rrf64!(d, a, b, numeric::f64_add); }
    F64Sub { d, a, b } => { rrf64!(d, a, b, numeric::f64_sub); }
    F64Mul { d, a, b } => { rrf64!(d, a, b, numeric::f64_mul); }
    F64Div { d, a, b } => { rrf64!(d, a, b, numeric::f64_div); }
    F64Min { d, a, b } => { rrf64!(d, a, b, numeric::f64_min); }
    F64Max { d, a, b } => { rrf64!(d, a, b, numeric::f64_max); }
    F64Copysign { d, a, b } => { rr64!(d, a, b, |x, y| {
                    (x & 0x7fff_ffff_ffff_ffff) | (y & 0x8000_0000_0000_0000)
                }); }
    F64Eq { d, a, b } => { cmpf64!(d, a, b, |x, y| x == y); }
    F64Ne { d, a, b } => { cmpf64!(d, a, b, |x, y| x != y); }
    F64Lt { d, a, b } => { cmpf64!(d, a, b, |x, y| x < y); }
    F64Gt { d, a, b } => { cmpf64!(d, a, b, |x, y| x > y); }
    F64Le { d, a, b } => { cmpf64!(d, a, b, |x, y| x <= y); }
    F64Ge { d, a, b } => { cmpf64!(d, a, b, |x, y| x >= y); }
    I32AddI { d, a, imm } => { ri32!(d, a, imm, |x, y| x.wrapping_add(y) as u64); }
    I32RSubI { d, a, imm } => { ri32!(d, a, imm, |x, y| y.wrapping_sub(x) as u64); }
    I32MulI { d, a, imm } => { ri32!(d, a, imm, |x, y| x.wrapping_mul(y) as u64); }
    I32DivSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_div(y as i32) as u32
                        as u64)
                }
    I32DivUI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x / y) as u64); }
    I32RemSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_rem(y as i32) as u32
                        as u64)
                }
    I32RemUI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x % y) as u64); }
    I32AndI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x & y) as u64); }
    I32OrI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x | y) as u64); }
    I32XorI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x ^ y) as u64); }
    I32ShlI { d, a, imm } => { ri32!(d, a, imm, |x, y| x.wrapping_shl(y) as u64); }
    I32ShrSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_shr(y) as u32 as u64)
                }
    I32ShrUI { d, a, imm } => { ri32!(d, a, imm, |x, y| x.wrapping_shr(y) as u64); }
    I32RotlI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| x.rotate_left(y & 31) as u64)
                }
    I32RotrI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| x.rotate_right(y & 31) as u64)
                }
    I32EqI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x == y) as u64); }
    I32NeI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x != y) as u64); }
    I32LtSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) < (y as i32)) as u64)
                }
    I32LtUI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x < y) as u64); }
    I32GtSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) > (y as i32)) as u64)
                }
    I32GtUI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x > y) as u64); }
    I32LeSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) <= (y as i32)) as u64)
                }
    I32LeUI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x <= y) as u64); }
    I32GeSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) >= (y as i32)) as u64)
                }
    I32GeUI { d, a, imm } => { ri32!(d, a, imm, |x, y| (x >= y) as u64); }
    I64AddI { d, a, imm } => { ri64!(d, a, imm, |x, y| x.wrapping_add(y)); }
    I64RSubI { d, a, imm } => { ri64!(d, a, imm, |x, y| y.wrapping_sub(x)); }
    I64MulI { d, a, imm } => { ri64!(d, a, imm, |x, y| x.wrapping_mul(y)); }
    I64DivSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_div(y as i64) as u64)
                }
    I64DivUI { d, a, imm } => { ri64!(d, a, imm, |x, y| x / y); }
    I64RemSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_rem(y as i64) as u64)
                }
    I64RemUI { d, a, imm } => { ri64!(d, a, imm, |x, y| x % y); }
    I64AndI { d, a, imm } => { ri64!(d, a, imm, |x, y| x & y); }
    I64OrI { d, a, imm } => { ri64!(d, a, imm, |x, y| x | y); }
    I64XorI { d, a, imm } => { ri64!(d, a, imm, |x, y| x ^ y); }
    I64ShlI { d, a, imm } => { ri64!(d, a, imm, |x, y| x.wrapping_shl(y as u32)); }
    I64ShrSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
                }
    I64ShrUI { d, a, imm } => { ri64!(d, a, imm, |x, y| x.wrapping_shr(y as u32)); }
    I64RotlI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| x.rotate_left((y & 63) as u32))
                }
    I64RotrI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| x.rotate_right((y & 63) as u32))
                }
    I64EqI { d, a, imm } => { ri64!(d, a, imm, |x, y| (x == y) as u64); }
    I64NeI { d, a, imm } => { ri64!(d, a, imm, |x, y| (x != y) as u64); }
    I64LtSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) < (y as i64)) as u64)
                }
    I64LtUI { d, a, imm } => { ri64!(d, a, imm, |x, y| (x < y) as u64); }
    I64GtSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) > (y as i64)) as u64)
                }
    I64GtUI { d, a, imm } => { ri64!(d, a, imm, |x, y| (x > y) as u64); }
    I64LeSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) <= (y as i64)) as u64)
                }
    I64LeUI { d, a, imm } => { ri64!(d, a, imm, |x, y| (x <= y) as u64); }
    I64GeSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) >= (y as i64)) as u64)
                }
    I64GeUI { d, a, imm } => { ri64!(d, a, imm, |x, y| (x >= y) as u64); }
    I32Eqz { d, a } => { un!(d, a, |x| (x as u32 == 0) as u64); }
    I32Clz { d, a } => { un!(d, a, |x| (x as u32).leading_zeros() as u64); }
    I32Ctz { d, a } => { un!(d, a, |x| (x as u32).trailing_zeros() as u64); }
    I32Popcnt { d, a } => { un!(d, a, |x| (x as u32).count_ones() as u64); }
    I64Eqz { d, a } => { un!(d, a, |x| (x == 0) as u64); }
    I64Clz { d, a } => { un!(d, a, |x| x.leading_zeros() as u64); }
    I64Ctz { d, a } => { un!(d, a, |x| x.trailing_zeros() as u64); }
    I64Popcnt { d, a } => { un!(d, a, |x| x.count_ones() as u64); }
    I32WrapI64 { d, a } => { un!(d, a, |x| x as u32 as u64); }
    I64ExtendI32S { d, a } => { un!(d, a, |x| x as u32 as i32 as i64 as u64); }
    I64ExtendI32U { d, a } => { un!(d, a, |x| x as u32 as u64); }
    I32Extend8S { d, a } => { un!(d, a, |x| x as i8 as i32 as u32 as u64); }
    I32Extend16S { d, a } => { un!(d, a, |x| x as i16 as i32 as u32 as u64); }
    I64Extend8S { d, a } => { un!(d, a, |x| x as i8 as i64 as u64); }
    I64Extend16S { d, a } => { un!(d, a, |x| x as i16 as i64 as u64); }
    I64Extend32S { d, a } => { un!(d, a, |x| x as i32 as i64 as u64); }
    F32Abs { d, a } => { un!(d, a, |x| (x as u32 & 0x7fff_ffff) as u64); }
    F32Neg { d, a } => { un!(d, a, |x| (x as u32 ^ 0x8000_0000) as u64); }
    F32Sqrt { d, a } => { un!(d, a, |x| f32u(x, numeric::f32_sqrt)); }
    F32Ceil { d, a } => { un!(d, a, |x| f32u(x, numeric::f32_ceil)); }
    F32Floor { d, a } => { un!(d, a, |x| f32u(x, numeric::f32_floor)); }
    F32Trunc { d, a } => { un!(d, a, |x| f32u(x, numeric::f32_trunc)); }
    F32Nearest { d, a } => { un!(d, a, |x| f32u(x, numeric::f32_nearest)); }
    F64Abs { d, a } => { un!(d, a, |x| x & 0x7fff_ffff_ffff_ffff); }
    F64Neg { d, a } => { un!(d, a, |x| x ^ 0x8000_0000_0000_0000); }
    F64Sqrt { d, a } => { un!(d, a, |x| f64u(x, numeric::f64_sqrt)); }
    F64Ceil { d, a } => { un!(d, a, |x| f64u(x, numeric::f64_ceil)); }
    F64Floor { d, a } => { un!(d, a, |x| f64u(x, numeric::f64_floor)); }
    F64Trunc { d, a } => { un!(d, a, |x| f64u(x, numeric::f64_trunc)); }
    F64Nearest { d, a } => { un!(d, a, |x| f64u(x, numeric::f64_nearest)); }
    F32ConvertI32S { d, a } => {
                    un!(d, a, |x| (x as u32 as i32 as f32).to_bits() as u64)
                }
    F32ConvertI32U { d, a } => { un!(d, a, |x| (x as u32 as f32).to_bits() as u64); }
    F32ConvertI64S { d, a } => { un!(d, a, |x| (x as i64 as f32).to_bits() as u64); }
    F32ConvertI64U { d, a } => { un!(d, a, |x| (x as f32).to_bits() as u64); }
    F64ConvertI32S { d, a } => { un!(d, a, |x| (x as u32 as i32 as f64).to_bits()); }
    F64ConvertI32U { d, a } => { un!(d, a, |x| (x as u32 as f64).to_bits()); }
    F64ConvertI64S { d, a } => { un!(d, a, |x| (x as i64 as f64).to_bits()); }
    F64ConvertI64U { d, a } => { un!(d, a, |x| (x as f64).to_bits()); }
    F32DemoteF64 { d, a } => { un!(d, a, |x| numeric::f32_demote(x) as u64); }
    F64PromoteF32 { d, a } => { un!(d, a, |x| numeric::f64_promote(x as u32)); }
    RefIsNull { d, a } => { un!(d, a, |x| (x == NULL_REF) as u64); }
    I32Load { d, a, offset } => {
                    ldr!(d, a, offset, 4, |b| u32::from_le_bytes(b) as u64)
                }
    I64Load { d, a, offset } => { ldr!(d, a, offset, 8, u64::from_le_bytes); }
    I32Load8S { d, a, offset } => {
                    ldr!(d, a, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
                }
    I32Load8U { d, a, offset } => { ldr!(d, a, offset, 1, |b| b[0] as u64); }
    I32Load16S { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32
                        as u64)
                }
    I32Load16U { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| u16::from_le_bytes(b) as u64)
                }
    I64Load8S { d, a, offset } => {
                    ldr!(d, a, offset, 1, |b| b[0] as i8 as i64 as u64)
                }
    I64Load8U { d, a, offset } => { ldr!(d, a, offset, 1, |b| b[0] as u64); }
    I64Load16S { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
                }
    I64Load16U { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| u16::from_le_bytes(b) as u64)
                }
    I64Load32S { d, a, offset } => {
                    ldr!(d, a, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
                }
    I64Load32U { d, a, offset } => {
                    ldr!(d, a, offset, 4, |b| u32::from_le_bytes(b) as u64)
                }
    I32Store { a, v, offset } => { str!(a, offset, (r!(v) as u32).to_le_bytes()); }
    I64Store { a, v, offset } => { str!(a, offset, r!(v).to_le_bytes()); }
    I32Store8 { a, v, offset } => { str!(a, offset, [r!(v) as u8]); }
    I32Store16 { a, v, offset } => { str!(a, offset, (r!(v) as u16).to_le_bytes()); }
    I64Store32 { a, v, offset } => { str!(a, offset, (r!(v) as u32).to_le_bytes()); }
    I32StoreI { a, imm, offset } => { str!(a, offset, imm.to_le_bytes()); }
    I32Store8I { a, imm, offset } => { str!(a, offset, [imm as u8]); }
    I32StoreAI { x, imm, v } => {
                    strw!(r!(x) as u32, imm, (r!(v) as u32).to_le_bytes())
                }
    I64StoreAI { x, imm, v } => { strw!(r!(x) as u32, imm, r!(v).to_le_bytes()); }
    I32Store8AI { x, imm, v } => { strw!(r!(x) as u32, imm, [r!(v) as u8]); }
    I32StoreAA { x, y, v } => {
                    strw!(r!(x) as u32, r!(y) as u32, (r!(v) as u32).to_le_bytes())
                }
    I64StoreAA { x, y, v } => {
                    strw!(r!(x) as u32, r!(y) as u32, r!(v).to_le_bytes())
                }
    I32Store8AA { x, y, v } => { strw!(r!(x) as u32, r!(y) as u32, [r!(v) as u8]); }
    I32Store8IAA { x, y, imm } => { strw!(r!(x) as u32, r!(y) as u32, [imm as u8]); }
    I32LoadAI { d, x, imm } => {
                    ldw!(d, r!(x) as u32, imm, 4, |b| u32::from_le_bytes(b) as u64)
                }
    I64LoadAI { d, x, imm } => { ldw!(d, r!(x) as u32, imm, 8, u64::from_le_bytes); }
    I32Load8UAI { d, x, imm } => { ldw!(d, r!(x) as u32, imm, 1, |b| b[0] as u64); }
    I32LoadAA { d, x, y } => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 4, |b| u32::from_le_bytes(b)
                        as u64)
                }
    I64LoadAA { d, x, y } => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 8, u64::from_le_bytes)
                }
    I32Load8UAA { d, x, y } => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 1, |b| b[0] as u64)
                }
}

/// The handler of instruction `i`.
pub(crate) fn handler_for(i: &Ins) -> Handler {
    if let Some(h) = register_handler(i) {
        return h;
    }
    match i {
        Ins::Unreachable | Ins::Imm(_) => unreachable_op,
        Ins::TrapMemOob => trap_mem_oob,
        Ins::Fuel => fuel,
        Ins::SetSp(_) => set_sp,
        Ins::Jump(_) => jump,
        Ins::BrTable { .. } => br_table,
        Ins::Return0 | Ins::Return1 { .. } | Ins::ReturnN { .. } => ret,
        Ins::Call { .. } | Ins::CallIndirect { .. } => call,
        _ => stack_form,
    }
}

fn unreachable_op(cx: &mut Cx<'_>, _: &mut Stack, pc: usize, _: usize, _: u32) -> Exit {
    cx.trap_code(pc, TrapCode::Unreachable)
}

fn trap_mem_oob(cx: &mut Cx<'_>, _: &mut Stack, pc: usize, _: usize, _: u32) -> Exit {
    cx.trap_code(pc, TrapCode::MemoryOutOfBounds)
}

fn fuel(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    if cx.store.fuel == 0 {
        return cx.trap_code(pc, TrapCode::OutOfFuel);
    }
    cx.store.fuel -= 1;
    next(cx, stack, pc + 1, fp, n)
}

fn set_sp(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    if let Ins::SetSp(h) = fetch(cx, pc) {
        cx.sp = fp + h as usize;
    }
    next(cx, stack, pc + 1, fp, n)
}

fn jump(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    let Ins::Jump(to) = fetch(cx, pc) else {
        return cx.trap_code(pc, TrapCode::Unreachable);
    };
    next(cx, stack, to as usize, fp, n)
}

fn br_table(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    let Ins::BrTable { idx, len } = fetch(cx, pc) else {
        return cx.trap_code(pc, TrapCode::Unreachable);
    };
    let i = (stack[(fp + idx as usize) & M] as u32).min(len);
    next(cx, stack, pc + 1 + i as usize, fp, n)
}

fn ret(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    match fetch(cx, pc) {
        Ins::Return1 { s } => stack[fp & M] = stack[(fp + s as usize) & M],
        Ins::ReturnN { from, k } if from != 0 => {
            let s = fp + from as usize;
            stack.copy_within(s..s + k as usize, fp);
        }
        _ => {}
    }
    match cx.frames.pop() {
        Some(fr) => {
            cx.cur_func = fr.func;
            cx.switch_mem(fr.mem0 as usize);
            next(cx, stack, fr.ret_pc as usize, fr.fp as usize, n)
        }
        None => Exit::Done,
    }
}

fn call(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    let (target, base) = match fetch(cx, pc) {
        Ins::Call { func, base } => (func, base as usize),
        Ins::CallIndirect { table, ty, idx } => {
            let i = stack[(fp + idx as usize) & M] as u32 as usize;
            let Some(t) = cx.store.tables.get(table as usize) else {
                return cx.trap_code(pc, TrapCode::UndefinedElement);
            };
            let Some(&slot) = t.elems.get(i) else {
                return cx.trap_code(pc, TrapCode::UndefinedElement);
            };
            if slot == NULL_REF {
                return cx.trap_code(pc, TrapCode::UninitializedElement);
            }
            let f = (slot - 1) as u32;
            let ps = match cx.store.funcs.get(f as usize) {
                Some(FuncInst::Wasm(w)) if w.type_id == ty => w.param_slots,
                Some(FuncInst::Host { type_id, .. }) if *type_id == ty => cx
                    .store
                    .types
                    .get(ty as usize)
                    .map_or(0, |t| slots_of(&t.params)),
                _ => return cx.trap_code(pc, TrapCode::IndirectCallTypeMismatch),
            };
            (f, idx as usize - ps as usize)
        }
        _ => return cx.trap_code(pc, TrapCode::Unreachable),
    };
    match cx.store.funcs.get(target as usize) {
        Some(FuncInst::Wasm(w)) => {
            let new_fp = fp + base;
            let (entry, ps, ls, mh, mem0) = (
                w.entry as usize,
                w.param_slots as usize,
                w.local_slots as usize,
                w.max_height as usize,
                w.mem0 as usize,
            );
            if cx.frames.len() >= cx.max_depth || new_fp + mh > cx.limit {
                return cx.trap_code(pc, TrapCode::CallStackExhausted);
            }
            if ls != 0 {
                let l0 = new_fp + ps;
                stack[l0..l0 + ls].fill(0);
            }
            cx.frames.push(Frame {
                ret_pc: pc as u32 + 1,
                fp: fp as u32,
                func: cx.cur_func,
                mem0: cx.mem0 as u32,
            });
            cx.cur_func = target;
            cx.switch_mem(mem0);
            next(cx, stack, entry, new_fp, n)
        }
        Some(FuncInst::Host { .. }) => match host_call(cx, stack, target, fp + base) {
            Ok(()) => next(cx, stack, pc + 1, fp, n),
            Err(k) => cx.trap_at(pc, k),
        },
        None => cx.trap_code(pc, TrapCode::Unreachable),
    }
}

/// Calls host function `target` with the arguments at slot `at`, leaving
/// its results there.
#[inline(never)]
fn host_call(cx: &mut Cx<'_>, stack: &mut Stack, target: u32, at: usize) -> Result<(), TrapKind> {
    let Some(FuncInst::Host { type_id, func }) = cx.store.funcs.get(target as usize) else {
        return Err(TrapKind::Unreachable);
    };
    let func = Rc::clone(func);
    let Some(ty) = cx.store.types.get(*type_id as usize).cloned() else {
        return Err(TrapKind::Unreachable);
    };
    let mut args = Vec::with_capacity(ty.params.len());
    let mut i = at;
    for &t in ty.params.iter() {
        let hi = if t == ValType::V128 {
            stack[(i + 1) & M]
        } else {
            0
        };
        args.push(Value::from_slots(t, stack[i & M], hi));
        i += if t == ValType::V128 { 2 } else { 1 };
    }
    let mut results: Vec<Value> = ty.results.iter().map(|&t| Value::default_for(t)).collect();
    let instance = match cx.store.funcs.get(cx.cur_func as usize) {
        Some(FuncInst::Wasm(w)) => Some(InstanceId(w.instance)),
        _ => None,
    };
    let r = func(
        &mut Caller {
            store: cx.store,
            instance,
        },
        &args,
        &mut results,
    );
    cx.refresh_code();
    cx.refresh_mem();
    r.map_err(|t| t.kind)?;
    let mut o = at;
    if o + 2 * results.len() > cx.limit {
        return Err(TrapKind::CallStackExhausted);
    }
    for (r, &t) in results.iter().zip(ty.results.iter()) {
        if !r.has_type(t) {
            return Err(TrapKind::Host(
                "host function returned a value of the wrong type".into(),
            ));
        }
        stack[o & M] = r.lo_slot();
        o += 1;
        if t == ValType::V128 {
            stack[o & M] = r.hi_slot();
            o += 1;
        }
    }
    Ok(())
}

fn stack_form(cx: &mut Cx<'_>, stack: &mut Stack, pc: usize, fp: usize, n: u32) -> Exit {
    let ins = fetch(cx, pc);
    let r = stack_op(cx.store, stack, &cx.code_rc, pc, cx.sp, ins);
    if let Ins::MemoryGrow(_) = ins {
        cx.refresh_mem();
    }
    match r {
        Ok((p, s)) => {
            cx.sp = s;
            next(cx, stack, p, fp, n)
        }
        Err(k) => cx.trap_at(pc, k),
    }
}

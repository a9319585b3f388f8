//! The executor: one loop over the compiled code with an explicit frame
//! stack and a value stack of untyped 64-bit slots. A wasm call pushes a
//! frame and jumps; it never recurses natively, so deep recursion ends in
//! the "call stack exhausted" trap at the configured depth.

use std::rc::Rc;

use wtool_ast::{Op, ValType};

use crate::ins::Ins;
use crate::numeric;
use crate::store::{Caller, FuncInst, InstanceId, Store};
use crate::trap::{BacktraceFrame, Trap, TrapKind};
use crate::values::{slots_of, FuncAddr, Value, NULL_REF};

/// A suspended caller.
#[derive(Clone, Copy, Debug)]
struct Frame {
    ret_pc: u32,
    fp: u32,
    func: u32,
    /// The caller's memory 0.
    mem0: u32,
}

/// Slots of the value stack. A power of two: the executor indexes it with
/// `i & M`, which the compiler proves in bounds, so the hot loop needs no
/// bounds checks and no `unsafe`. The compiler's stack-height bookkeeping
/// (checked at every function entry against the configured limit) keeps
/// real indices below this, so the mask never actually wraps.
pub(crate) const STACK_SLOTS: usize = 1 << 20;
const M: usize = STACK_SLOTS - 1;

/// The value stack.
pub(crate) type Stack = [u64; STACK_SLOTS];

fn new_stack() -> Box<Stack> {
    let v = vec![0u64; STACK_SLOTS].into_boxed_slice();
    match v.try_into() {
        Ok(b) => b,
        Err(_) => unreachable!("the vector has STACK_SLOTS elements"),
    }
}

/// Most frames a backtrace lists (deep recursion would list thousands).
const MAX_BACKTRACE: usize = 64;

/// Calls function `f` with `args`, returning its results.
pub(crate) fn invoke(store: &mut Store, f: FuncAddr, args: &[Value]) -> Result<Vec<Value>, Trap> {
    let fi = store
        .funcs
        .get(f.0 as usize)
        .cloned()
        .ok_or_else(|| Trap::host("unknown function"))?;
    let ty = store
        .types
        .get(fi.type_id() as usize)
        .cloned()
        .ok_or_else(|| Trap::host("unknown type"))?;
    if args.len() != ty.params.len()
        || args
            .iter()
            .zip(ty.params.iter())
            .any(|(a, &t)| !a.has_type(t))
    {
        return Err(Trap::host(format!(
            "argument type mismatch: expected ({}), got ({})",
            ty.params
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            args.iter()
                .map(|a| a.ty().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        )));
    }
    match fi {
        FuncInst::Host { func, .. } => {
            let mut results: Vec<Value> =
                ty.results.iter().map(|&t| Value::default_for(t)).collect();
            func(
                &mut Caller {
                    store,
                    instance: None,
                },
                args,
                &mut results,
            )?;
            Ok(results)
        }
        FuncInst::Wasm(_) => {
            let mut stack = store.spare_stack.take().unwrap_or_else(new_stack);
            let mut sp = 0usize;
            for a in args {
                if sp + 2 > stack.len() {
                    store.spare_stack = Some(stack);
                    return Err(Trap::new(TrapKind::CallStackExhausted));
                }
                stack[sp] = a.lo_slot();
                sp += 1;
                if a.ty() == ValType::V128 {
                    stack[sp] = a.hi_slot();
                    sp += 1;
                }
            }
            let r = run(store, &mut stack, f.0, sp);
            let out = r.map(|()| {
                let mut out = Vec::with_capacity(ty.results.len());
                let mut i = 0usize;
                for &t in ty.results.iter() {
                    let lo = stack.get(i).copied().unwrap_or(0);
                    let hi = stack.get(i + 1).copied().unwrap_or(0);
                    out.push(Value::from_slots(t, lo, hi));
                    i += if t == ValType::V128 { 2 } else { 1 };
                }
                out
            });
            store.spare_stack = Some(stack);
            out
        }
    }
}

fn backtrace(store: &Store, frames: &[Frame], pc: usize, func: u32) -> Vec<BacktraceFrame> {
    let mut out = Vec::new();
    let mut add = |f: u32, pc: usize| {
        if let Some(FuncInst::Wasm(w)) = store.funcs.get(f as usize) {
            let name = store
                .instances
                .get(w.instance as usize)
                .and_then(|i| i.func_names.get(&w.index))
                .cloned();
            let offset = store
                .code_offsets
                .get(pc)
                .copied()
                .filter(|&o| o != u32::MAX);
            out.push(BacktraceFrame {
                func_index: w.index,
                func_name: name,
                offset,
            });
        }
    };
    add(func, pc);
    for fr in frames.iter().rev().take(MAX_BACKTRACE - 1) {
        add(fr.func, (fr.ret_pc as usize).saturating_sub(1));
    }
    out
}

fn instance_of(store: &Store, func: u32) -> Option<InstanceId> {
    match store.funcs.get(func as usize) {
        Some(FuncInst::Wasm(w)) => Some(InstanceId(w.instance)),
        _ => None,
    }
}

#[inline(always)]
fn load<const N: usize>(data: &[u8], addr: u64, offset: u32) -> Option<[u8; N]> {
    let ea = usize::try_from(addr + offset as u64).ok()?;
    let s = data.get(ea..ea.checked_add(N)?)?;
    s.try_into().ok()
}

#[inline(always)]
fn store_bytes<const N: usize>(data: &mut [u8], addr: u64, offset: u32, b: [u8; N]) -> bool {
    let Ok(ea) = usize::try_from(addr + offset as u64) else {
        return false;
    };
    let Some(end) = ea.checked_add(N) else {
        return false;
    };
    match data.get_mut(ea..end) {
        Some(s) => {
            s.copy_from_slice(&b);
            true
        }
        None => false,
    }
}

/// Runs wasm function `func` whose arguments occupy `stack[..sp]`; on
/// success its results are at `stack[0..]`.
// The op macros bind each operation as a typed closure and call it once: it
// keeps every arm a one-liner with checked argument types.
#[allow(clippy::redundant_closure_call)]
fn run(store: &mut Store, stack: &mut Stack, func: u32, sp0: usize) -> Result<(), Trap> {
    let limit = (store.config.max_stack_slots as usize).min(STACK_SLOTS);
    // The store's code only grows; a host function may instantiate more,
    // after which `code_rc` moves to the new vector (every old position
    // still holds the same instruction).
    let mut code_rc: Rc<Vec<Ins>> = Rc::clone(&store.code);
    let mut code_ptr: *const Ins = code_rc.as_ptr();
    let max_depth = store.config.max_call_depth as usize;
    let mut frames: Vec<Frame> = Vec::new();
    let mut cur_func = func;
    let mut fp = 0usize;
    // Top of stack for the stack-form instructions (set by `SetSp`).
    let mut sp = sp0;
    let mut pc;
    let mut mem0: usize;

    // Enter the first function.
    {
        pc = 0;
        let Some(FuncInst::Wasm(w)) = store.funcs.get(func as usize) else {
            return Err(Trap::host("not a wasm function"));
        };
        let (entry, ls, mh, ps) = (
            w.entry as usize,
            w.local_slots as usize,
            w.max_height as usize,
            w.param_slots,
        );
        mem0 = w.mem0 as usize;
        if sp != ps as usize || mh > limit {
            return Err(Trap {
                kind: TrapKind::CallStackExhausted,
                backtrace: backtrace(store, &frames, pc, cur_func),
            });
        }
        stack[sp..sp + ls].fill(0);
        sp += ls;
        pc = entry;
    }

    macro_rules! trap {
        ($k:expr) => {{
            let bt = backtrace(store, &frames, pc, cur_func);
            return Err(Trap {
                kind: $k,
                backtrace: bt,
            });
        }};
    }
    // Frame slot `s`.
    macro_rules! r {
        ($s:expr) => {
            stack[(fp + $s as usize) & M]
        };
    }
    macro_rules! w {
        ($d:expr, $v:expr) => {{
            let v: u64 = $v;
            stack[(fp + $d as usize) & M] = v;
        }};
    }
    macro_rules! rr32 {
        ($d:expr, $a:expr, $b:expr, $f:expr) => {{
            let f: fn(u32, u32) -> u64 = $f;
            w!($d, f(r!($a) as u32, r!($b) as u32))
        }};
    }
    macro_rules! ri32 {
        ($d:expr, $a:expr, $imm:expr, $f:expr) => {{
            let f: fn(u32, u32) -> u64 = $f;
            w!($d, f(r!($a) as u32, $imm))
        }};
    }
    macro_rules! rr64 {
        ($d:expr, $a:expr, $b:expr, $f:expr) => {{
            let f: fn(u64, u64) -> u64 = $f;
            w!($d, f(r!($a), r!($b)))
        }};
    }
    // 64-bit immediates are sign-extended from 32 bits.
    macro_rules! ri64 {
        ($d:expr, $a:expr, $imm:expr, $f:expr) => {{
            let f: fn(u64, u64) -> u64 = $f;
            w!($d, f(r!($a), $imm as i32 as i64 as u64))
        }};
    }
    macro_rules! rrf32 {
        ($d:expr, $a:expr, $b:expr, $f:expr) => {{
            let f: fn(f32, f32) -> f32 = $f;
            let (x, y) = (f32::from_bits(r!($a) as u32), f32::from_bits(r!($b) as u32));
            w!($d, f(x, y).to_bits() as u64)
        }};
    }
    macro_rules! rrf64 {
        ($d:expr, $a:expr, $b:expr, $f:expr) => {{
            let f: fn(f64, f64) -> f64 = $f;
            w!(
                $d,
                f(f64::from_bits(r!($a)), f64::from_bits(r!($b))).to_bits()
            )
        }};
    }
    macro_rules! cmpf32 {
        ($d:expr, $a:expr, $b:expr, $f:expr) => {{
            let f: fn(f32, f32) -> bool = $f;
            let (x, y) = (f32::from_bits(r!($a) as u32), f32::from_bits(r!($b) as u32));
            w!($d, f(x, y) as u64)
        }};
    }
    macro_rules! cmpf64 {
        ($d:expr, $a:expr, $b:expr, $f:expr) => {{
            let f: fn(f64, f64) -> bool = $f;
            w!($d, f(f64::from_bits(r!($a)), f64::from_bits(r!($b))) as u64)
        }};
    }
    macro_rules! un {
        ($d:expr, $a:expr, $f:expr) => {{
            let f: fn(u64) -> u64 = $f;
            w!($d, f(r!($a)))
        }};
    }
    macro_rules! memory0 {
        () => {
            match store.mems.get_mut(mem0) {
                Some(m) => &mut m.data,
                None => trap!(TrapKind::MemoryOutOfBounds),
            }
        };
    }
    macro_rules! ldr {
        ($d:expr, $a:expr, $off:expr, $n:literal, $f:expr) => {{
            let addr = r!($a) as u32 as u64;
            let data = memory0!();
            let f: fn([u8; $n]) -> u64 = $f;
            match load::<$n>(data, addr, $off) {
                Some(b) => w!($d, f(b)),
                None => trap!(TrapKind::MemoryOutOfBounds),
            }
        }};
    }
    macro_rules! str {
        ($a:expr, $off:expr, $bytes:expr) => {{
            let addr = r!($a) as u32 as u64;
            let bytes = $bytes;
            let data = memory0!();
            if !store_bytes(data, addr, $off, bytes) {
                trap!(TrapKind::MemoryOutOfBounds);
            }
        }};
    }
    // Loads and stores at a 32-bit wrapping sum address, offset 0.
    macro_rules! ldw {
        ($d:expr, $x:expr, $y:expr, $n:literal, $f:expr) => {{
            let addr = ($x as u32).wrapping_add($y) as u64;
            let data = memory0!();
            let f: fn([u8; $n]) -> u64 = $f;
            match load::<$n>(data, addr, 0) {
                Some(b) => w!($d, f(b)),
                None => trap!(TrapKind::MemoryOutOfBounds),
            }
        }};
    }
    macro_rules! strw {
        ($x:expr, $y:expr, $bytes:expr) => {{
            let addr = ($x as u32).wrapping_add($y) as u64;
            let bytes = $bytes;
            let data = memory0!();
            if !store_bytes(data, addr, 0, bytes) {
                trap!(TrapKind::MemoryOutOfBounds);
            }
        }};
    }
    macro_rules! jmp_if {
        ($cond:expr, $to:expr) => {{
            if $cond {
                pc = $to as usize;
                continue;
            }
        }};
    }
    macro_rules! divide {
        ($d:expr, $x:expr, $y:expr, $t:ty, $s:ty, $op:ident) => {{
            let (x, y): ($t, $t) = ($x, $y);
            if y == 0 {
                trap!(TrapKind::IntegerDivideByZero);
            }
            let v: $t = divide!(@ $op, x, y, $t, $s);
            w!($d, v as u64)
        }};
        (@ div_s, $x:expr, $y:expr, $t:ty, $s:ty) => {{
            if $x as $s == <$s>::MIN && $y as $s == -1 {
                trap!(TrapKind::IntegerOverflow);
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
    // The step is expanded twice per loop iteration: two dispatch sites
    // give the indirect-branch predictor two histories to work with.
    macro_rules! step {
        () => {
            debug_assert!(pc < code_rc.len());
            // SAFETY: `compile::verify_flow` checked, for every instruction in
            // the store's code, that its jump targets and fall-through successor
            // are inside the code vector; function entries and return addresses
            // are such positions too. So `pc` is always in bounds of the vector
            // `code_ptr` points into, which `code_rc` keeps alive.
            #[allow(unsafe_code)]
            let ins = unsafe { &*code_ptr.add(pc) };
            match *ins {
                Ins::Unreachable | Ins::Imm(_) => trap!(TrapKind::Unreachable),
                Ins::TrapMemOob => trap!(TrapKind::MemoryOutOfBounds),
                Ins::Fuel => {
                    if store.fuel == 0 {
                        trap!(TrapKind::OutOfFuel);
                    }
                    store.fuel -= 1;
                }
                Ins::SetSp(h) => sp = fp + h as usize,
                Ins::Jump(to) => {
                    pc = to as usize;
                    continue;
                }
                Ins::JumpIfNez { c, to } => jmp_if!(r!(c) as u32 != 0, to),
                Ins::JumpIfEqz { c, to } => jmp_if!(r!(c) as u32 == 0, to),
                Ins::JumpIfEq { a, b, to } => jmp_if!(r!(a) as u32 == r!(b) as u32, to),
                Ins::JumpIfNe { a, b, to } => jmp_if!(r!(a) as u32 != r!(b) as u32, to),
                Ins::JumpIfLtS { a, b, to } => jmp_if!((r!(a) as i32) < r!(b) as i32, to),
                Ins::JumpIfLtU { a, b, to } => jmp_if!((r!(a) as u32) < r!(b) as u32, to),
                Ins::JumpIfGtS { a, b, to } => jmp_if!(r!(a) as i32 > r!(b) as i32, to),
                Ins::JumpIfGtU { a, b, to } => jmp_if!(r!(a) as u32 > r!(b) as u32, to),
                Ins::JumpIfLeS { a, b, to } => jmp_if!(r!(a) as i32 <= r!(b) as i32, to),
                Ins::JumpIfLeU { a, b, to } => jmp_if!(r!(a) as u32 <= r!(b) as u32, to),
                Ins::JumpIfGeS { a, b, to } => jmp_if!(r!(a) as i32 >= r!(b) as i32, to),
                Ins::JumpIfGeU { a, b, to } => jmp_if!(r!(a) as u32 >= r!(b) as u32, to),
                Ins::JumpIfEqI { a, imm, to } => jmp_if!(r!(a) as u32 == imm, to),
                Ins::JumpIfNeI { a, imm, to } => jmp_if!(r!(a) as u32 != imm, to),
                Ins::JumpIfLtSI { a, imm, to } => jmp_if!((r!(a) as i32) < imm as i32, to),
                Ins::JumpIfLtUI { a, imm, to } => jmp_if!((r!(a) as u32) < imm, to),
                Ins::JumpIfGtSI { a, imm, to } => jmp_if!(r!(a) as i32 > imm as i32, to),
                Ins::JumpIfGtUI { a, imm, to } => jmp_if!(r!(a) as u32 > imm, to),
                Ins::JumpIfLeSI { a, imm, to } => jmp_if!(r!(a) as i32 <= imm as i32, to),
                Ins::JumpIfLeUI { a, imm, to } => jmp_if!(r!(a) as u32 <= imm, to),
                Ins::JumpIfGeSI { a, imm, to } => jmp_if!(r!(a) as i32 >= imm as i32, to),
                Ins::JumpIfGeUI { a, imm, to } => jmp_if!(r!(a) as u32 >= imm, to),
                Ins::BrTable { idx, len } => {
                    let i = (r!(idx) as u32).min(len);
                    pc += 1 + i as usize;
                    continue;
                }
                Ins::Return0 | Ins::Return1 { .. } | Ins::ReturnN { .. } => {
                    match *ins {
                        Ins::Return1 { s } => stack[fp & M] = r!(s),
                        Ins::ReturnN { from, k } if from != 0 => {
                            let s = fp + from as usize;
                            stack.copy_within(s..s + k as usize, fp);
                        }
                        _ => {}
                    }
                    match frames.pop() {
                        Some(fr) => {
                            pc = fr.ret_pc as usize;
                            fp = fr.fp as usize;
                            cur_func = fr.func;
                            mem0 = fr.mem0 as usize;
                            continue;
                        }
                        None => return Ok(()),
                    }
                }
                Ins::Call { .. } | Ins::CallIndirect { .. } => {
                    let (target, base) = match *ins {
                        Ins::Call { func, base } => (func, base as usize),
                        Ins::CallIndirect { table, ty, idx } => {
                            let i = r!(idx) as u32 as usize;
                            let Some(t) = store.tables.get(table as usize) else {
                                trap!(TrapKind::UndefinedElement)
                            };
                            let Some(&slot) = t.elems.get(i) else {
                                trap!(TrapKind::UndefinedElement)
                            };
                            if slot == NULL_REF {
                                trap!(TrapKind::UninitializedElement);
                            }
                            let f = (slot - 1) as u32;
                            let ps = match store.funcs.get(f as usize) {
                                Some(FuncInst::Wasm(w)) if w.type_id == ty => w.param_slots,
                                Some(FuncInst::Host { type_id, .. }) if *type_id == ty => store
                                    .types
                                    .get(ty as usize)
                                    .map_or(0, |t| slots_of(&t.params)),
                                _ => trap!(TrapKind::IndirectCallTypeMismatch),
                            };
                            (f, idx as usize - ps as usize)
                        }
                        _ => trap!(TrapKind::Unreachable),
                    };
                    match store.funcs.get(target as usize) {
                        Some(FuncInst::Wasm(w)) => {
                            if frames.len() >= max_depth {
                                trap!(TrapKind::CallStackExhausted);
                            }
                            let new_fp = fp + base;
                            let ls = w.local_slots as usize;
                            if new_fp + w.max_height as usize > limit {
                                trap!(TrapKind::CallStackExhausted);
                            }
                            if ls != 0 {
                                let l0 = new_fp + w.param_slots as usize;
                                stack[l0..l0 + ls].fill(0);
                            }
                            frames.push(Frame {
                                ret_pc: pc as u32 + 1,
                                fp: fp as u32,
                                func: cur_func,
                                mem0: mem0 as u32,
                            });
                            fp = new_fp;
                            cur_func = target;
                            mem0 = w.mem0 as usize;
                            pc = w.entry as usize;
                            continue;
                        }
                        Some(FuncInst::Host { type_id, func }) => {
                            let func = Rc::clone(func);
                            let Some(ty) = store.types.get(*type_id as usize).cloned() else {
                                trap!(TrapKind::Unreachable)
                            };
                            let mut args = Vec::with_capacity(ty.params.len());
                            let mut i = fp + base;
                            for &t in ty.params.iter() {
                                let hi = if t == ValType::V128 {
                                    stack[(i + 1) & M]
                                } else {
                                    0
                                };
                                args.push(Value::from_slots(t, stack[(i) & M], hi));
                                i += if t == ValType::V128 { 2 } else { 1 };
                            }
                            let mut results: Vec<Value> =
                                ty.results.iter().map(|&t| Value::default_for(t)).collect();
                            let instance = instance_of(store, cur_func);
                            if let Err(t) =
                                func(&mut Caller { store, instance }, &args, &mut results)
                            {
                                trap!(t.kind);
                            }
                            if !Rc::ptr_eq(&code_rc, &store.code) {
                                code_rc = Rc::clone(&store.code);
                                code_ptr = code_rc.as_ptr();
                            }
                            let mut o = fp + base;
                            if o + 2 * results.len() > limit {
                                trap!(TrapKind::CallStackExhausted);
                            }
                            for (r, &t) in results.iter().zip(ty.results.iter()) {
                                if !r.has_type(t) {
                                    trap!(TrapKind::Host(
                                        "host function returned a value of the wrong type".into()
                                    ));
                                }
                                stack[(o) & M] = r.lo_slot();
                                o += 1;
                                if t == ValType::V128 {
                                    stack[(o) & M] = r.hi_slot();
                                    o += 1;
                                }
                            }
                        }
                        None => trap!(TrapKind::Unreachable),
                    }
                }
                Ins::Copy { d, s } => w!(d, r!(s)),
                Ins::Copy2 { d, s } => {
                    w!(d, r!(s));
                    w!(d + 1, r!(s + 1));
                }
                Ins::Const32 { d, v } => w!(d, v as u64),
                Ins::Const64 { d, v } => w!(d, v),
                Ins::Select1 { d, b, c } => {
                    if r!(c) as u32 == 0 {
                        w!(d, r!(b));
                    }
                }
                Ins::Select2 { d, b, c } => {
                    if r!(c) as u32 == 0 {
                        w!(d, r!(b));
                        w!(d + 1, r!(b + 1));
                    }
                }
                Ins::GlobalGet { d, g } => {
                    let Some(g) = store.globals.get(g as usize) else {
                        trap!(TrapKind::Unreachable)
                    };
                    w!(d, g.lo);
                }
                Ins::GlobalSet { g, s } => {
                    let v = r!(s);
                    let Some(g) = store.globals.get_mut(g as usize) else {
                        trap!(TrapKind::Unreachable)
                    };
                    g.lo = v;
                }
                Ins::GlobalGet2 { d, g } => {
                    let Some(g) = store.globals.get(g as usize) else {
                        trap!(TrapKind::Unreachable)
                    };
                    let (lo, hi) = (g.lo, g.hi);
                    w!(d, lo);
                    w!(d + 1, hi);
                }
                Ins::GlobalSet2 { g, s } => {
                    let (lo, hi) = (r!(s), r!(s + 1));
                    let Some(g) = store.globals.get_mut(g as usize) else {
                        trap!(TrapKind::Unreachable)
                    };
                    g.lo = lo;
                    g.hi = hi;
                }
                Ins::I32Add { d, a, b } => rr32!(d, a, b, |x, y| x.wrapping_add(y) as u64),
                Ins::I32Sub { d, a, b } => rr32!(d, a, b, |x, y| x.wrapping_sub(y) as u64),
                Ins::I32Mul { d, a, b } => rr32!(d, a, b, |x, y| x.wrapping_mul(y) as u64),
                Ins::I32DivS { d, a, b } => divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, div_s),
                Ins::I32DivU { d, a, b } => divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, div_u),
                Ins::I32RemS { d, a, b } => divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, rem_s),
                Ins::I32RemU { d, a, b } => divide!(d, r!(a) as u32, r!(b) as u32, u32, i32, rem_u),
                Ins::I32And { d, a, b } => rr32!(d, a, b, |x, y| (x & y) as u64),
                Ins::I32Or { d, a, b } => rr32!(d, a, b, |x, y| (x | y) as u64),
                Ins::I32Xor { d, a, b } => rr32!(d, a, b, |x, y| (x ^ y) as u64),
                Ins::I32Shl { d, a, b } => rr32!(d, a, b, |x, y| x.wrapping_shl(y) as u64),
                Ins::I32ShrS { d, a, b } => {
                    rr32!(d, a, b, |x, y| (x as i32).wrapping_shr(y) as u32 as u64)
                }
                Ins::I32ShrU { d, a, b } => rr32!(d, a, b, |x, y| x.wrapping_shr(y) as u64),
                Ins::I32Rotl { d, a, b } => rr32!(d, a, b, |x, y| x.rotate_left(y & 31) as u64),
                Ins::I32Rotr { d, a, b } => rr32!(d, a, b, |x, y| x.rotate_right(y & 31) as u64),
                Ins::I32Eq { d, a, b } => rr32!(d, a, b, |x, y| (x == y) as u64),
                Ins::I32Ne { d, a, b } => rr32!(d, a, b, |x, y| (x != y) as u64),
                Ins::I32LtS { d, a, b } => rr32!(d, a, b, |x, y| ((x as i32) < (y as i32)) as u64),
                Ins::I32LtU { d, a, b } => rr32!(d, a, b, |x, y| (x < y) as u64),
                Ins::I32GtS { d, a, b } => rr32!(d, a, b, |x, y| ((x as i32) > (y as i32)) as u64),
                Ins::I32GtU { d, a, b } => rr32!(d, a, b, |x, y| (x > y) as u64),
                Ins::I32LeS { d, a, b } => rr32!(d, a, b, |x, y| ((x as i32) <= (y as i32)) as u64),
                Ins::I32LeU { d, a, b } => rr32!(d, a, b, |x, y| (x <= y) as u64),
                Ins::I32GeS { d, a, b } => rr32!(d, a, b, |x, y| ((x as i32) >= (y as i32)) as u64),
                Ins::I32GeU { d, a, b } => rr32!(d, a, b, |x, y| (x >= y) as u64),
                Ins::I64Add { d, a, b } => rr64!(d, a, b, |x, y| x.wrapping_add(y)),
                Ins::I64Sub { d, a, b } => rr64!(d, a, b, |x, y| x.wrapping_sub(y)),
                Ins::I64Mul { d, a, b } => rr64!(d, a, b, |x, y| x.wrapping_mul(y)),
                Ins::I64DivS { d, a, b } => divide!(d, r!(a), r!(b), u64, i64, div_s),
                Ins::I64DivU { d, a, b } => divide!(d, r!(a), r!(b), u64, i64, div_u),
                Ins::I64RemS { d, a, b } => divide!(d, r!(a), r!(b), u64, i64, rem_s),
                Ins::I64RemU { d, a, b } => divide!(d, r!(a), r!(b), u64, i64, rem_u),
                Ins::I64And { d, a, b } => rr64!(d, a, b, |x, y| x & y),
                Ins::I64Or { d, a, b } => rr64!(d, a, b, |x, y| x | y),
                Ins::I64Xor { d, a, b } => rr64!(d, a, b, |x, y| x ^ y),
                Ins::I64Shl { d, a, b } => rr64!(d, a, b, |x, y| x.wrapping_shl(y as u32)),
                Ins::I64ShrS { d, a, b } => {
                    rr64!(d, a, b, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
                }
                Ins::I64ShrU { d, a, b } => rr64!(d, a, b, |x, y| x.wrapping_shr(y as u32)),
                Ins::I64Rotl { d, a, b } => rr64!(d, a, b, |x, y| x.rotate_left((y & 63) as u32)),
                Ins::I64Rotr { d, a, b } => rr64!(d, a, b, |x, y| x.rotate_right((y & 63) as u32)),
                Ins::I64Eq { d, a, b } => rr64!(d, a, b, |x, y| (x == y) as u64),
                Ins::I64Ne { d, a, b } => rr64!(d, a, b, |x, y| (x != y) as u64),
                Ins::I64LtS { d, a, b } => rr64!(d, a, b, |x, y| ((x as i64) < (y as i64)) as u64),
                Ins::I64LtU { d, a, b } => rr64!(d, a, b, |x, y| (x < y) as u64),
                Ins::I64GtS { d, a, b } => rr64!(d, a, b, |x, y| ((x as i64) > (y as i64)) as u64),
                Ins::I64GtU { d, a, b } => rr64!(d, a, b, |x, y| (x > y) as u64),
                Ins::I64LeS { d, a, b } => rr64!(d, a, b, |x, y| ((x as i64) <= (y as i64)) as u64),
                Ins::I64LeU { d, a, b } => rr64!(d, a, b, |x, y| (x <= y) as u64),
                Ins::I64GeS { d, a, b } => rr64!(d, a, b, |x, y| ((x as i64) >= (y as i64)) as u64),
                Ins::I64GeU { d, a, b } => rr64!(d, a, b, |x, y| (x >= y) as u64),
                Ins::F32Add { d, a, b } => rrf32!(d, a, b, numeric::f32_add),
                Ins::F32Sub { d, a, b } => rrf32!(d, a, b, numeric::f32_sub),
                Ins::F32Mul { d, a, b } => rrf32!(d, a, b, numeric::f32_mul),
                Ins::F32Div { d, a, b } => rrf32!(d, a, b, numeric::f32_div),
                Ins::F32Min { d, a, b } => rrf32!(d, a, b, numeric::f32_min),
                Ins::F32Max { d, a, b } => rrf32!(d, a, b, numeric::f32_max),
                Ins::F32Copysign { d, a, b } => {
                    rr32!(d, a, b, |x, y| ((x & 0x7fff_ffff) | (y & 0x8000_0000))
                        as u64)
                }
                Ins::F32Eq { d, a, b } => cmpf32!(d, a, b, |x, y| x == y),
                Ins::F32Ne { d, a, b } => cmpf32!(d, a, b, |x, y| x != y),
                Ins::F32Lt { d, a, b } => cmpf32!(d, a, b, |x, y| x < y),
                Ins::F32Gt { d, a, b } => cmpf32!(d, a, b, |x, y| x > y),
                Ins::F32Le { d, a, b } => cmpf32!(d, a, b, |x, y| x <= y),
                Ins::F32Ge { d, a, b } => cmpf32!(d, a, b, |x, y| x >= y),
                Ins::F64Add { d, a, b } => rrf64!(d, a, b, numeric::f64_add),
                Ins::F64Sub { d, a, b } => rrf64!(d, a, b, numeric::f64_sub),
                Ins::F64Mul { d, a, b } => rrf64!(d, a, b, numeric::f64_mul),
                Ins::F64Div { d, a, b } => rrf64!(d, a, b, numeric::f64_div),
                Ins::F64Min { d, a, b } => rrf64!(d, a, b, numeric::f64_min),
                Ins::F64Max { d, a, b } => rrf64!(d, a, b, numeric::f64_max),
                Ins::F64Copysign { d, a, b } => rr64!(d, a, b, |x, y| {
                    (x & 0x7fff_ffff_ffff_ffff) | (y & 0x8000_0000_0000_0000)
                }),
                Ins::F64Eq { d, a, b } => cmpf64!(d, a, b, |x, y| x == y),
                Ins::F64Ne { d, a, b } => cmpf64!(d, a, b, |x, y| x != y),
                Ins::F64Lt { d, a, b } => cmpf64!(d, a, b, |x, y| x < y),
                Ins::F64Gt { d, a, b } => cmpf64!(d, a, b, |x, y| x > y),
                Ins::F64Le { d, a, b } => cmpf64!(d, a, b, |x, y| x <= y),
                Ins::F64Ge { d, a, b } => cmpf64!(d, a, b, |x, y| x >= y),
                Ins::I32AddI { d, a, imm } => ri32!(d, a, imm, |x, y| x.wrapping_add(y) as u64),
                Ins::I32RSubI { d, a, imm } => ri32!(d, a, imm, |x, y| y.wrapping_sub(x) as u64),
                Ins::I32MulI { d, a, imm } => ri32!(d, a, imm, |x, y| x.wrapping_mul(y) as u64),
                Ins::I32DivSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_div(y as i32) as u32
                        as u64)
                }
                Ins::I32DivUI { d, a, imm } => ri32!(d, a, imm, |x, y| (x / y) as u64),
                Ins::I32RemSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_rem(y as i32) as u32
                        as u64)
                }
                Ins::I32RemUI { d, a, imm } => ri32!(d, a, imm, |x, y| (x % y) as u64),
                Ins::I32AndI { d, a, imm } => ri32!(d, a, imm, |x, y| (x & y) as u64),
                Ins::I32OrI { d, a, imm } => ri32!(d, a, imm, |x, y| (x | y) as u64),
                Ins::I32XorI { d, a, imm } => ri32!(d, a, imm, |x, y| (x ^ y) as u64),
                Ins::I32ShlI { d, a, imm } => ri32!(d, a, imm, |x, y| x.wrapping_shl(y) as u64),
                Ins::I32ShrSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| (x as i32).wrapping_shr(y) as u32 as u64)
                }
                Ins::I32ShrUI { d, a, imm } => ri32!(d, a, imm, |x, y| x.wrapping_shr(y) as u64),
                Ins::I32RotlI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| x.rotate_left(y & 31) as u64)
                }
                Ins::I32RotrI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| x.rotate_right(y & 31) as u64)
                }
                Ins::I32EqI { d, a, imm } => ri32!(d, a, imm, |x, y| (x == y) as u64),
                Ins::I32NeI { d, a, imm } => ri32!(d, a, imm, |x, y| (x != y) as u64),
                Ins::I32LtSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) < (y as i32)) as u64)
                }
                Ins::I32LtUI { d, a, imm } => ri32!(d, a, imm, |x, y| (x < y) as u64),
                Ins::I32GtSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) > (y as i32)) as u64)
                }
                Ins::I32GtUI { d, a, imm } => ri32!(d, a, imm, |x, y| (x > y) as u64),
                Ins::I32LeSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) <= (y as i32)) as u64)
                }
                Ins::I32LeUI { d, a, imm } => ri32!(d, a, imm, |x, y| (x <= y) as u64),
                Ins::I32GeSI { d, a, imm } => {
                    ri32!(d, a, imm, |x, y| ((x as i32) >= (y as i32)) as u64)
                }
                Ins::I32GeUI { d, a, imm } => ri32!(d, a, imm, |x, y| (x >= y) as u64),
                Ins::I64AddI { d, a, imm } => ri64!(d, a, imm, |x, y| x.wrapping_add(y)),
                Ins::I64RSubI { d, a, imm } => ri64!(d, a, imm, |x, y| y.wrapping_sub(x)),
                Ins::I64MulI { d, a, imm } => ri64!(d, a, imm, |x, y| x.wrapping_mul(y)),
                Ins::I64DivSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_div(y as i64) as u64)
                }
                Ins::I64DivUI { d, a, imm } => ri64!(d, a, imm, |x, y| x / y),
                Ins::I64RemSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_rem(y as i64) as u64)
                }
                Ins::I64RemUI { d, a, imm } => ri64!(d, a, imm, |x, y| x % y),
                Ins::I64AndI { d, a, imm } => ri64!(d, a, imm, |x, y| x & y),
                Ins::I64OrI { d, a, imm } => ri64!(d, a, imm, |x, y| x | y),
                Ins::I64XorI { d, a, imm } => ri64!(d, a, imm, |x, y| x ^ y),
                Ins::I64ShlI { d, a, imm } => ri64!(d, a, imm, |x, y| x.wrapping_shl(y as u32)),
                Ins::I64ShrSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
                }
                Ins::I64ShrUI { d, a, imm } => ri64!(d, a, imm, |x, y| x.wrapping_shr(y as u32)),
                Ins::I64RotlI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| x.rotate_left((y & 63) as u32))
                }
                Ins::I64RotrI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| x.rotate_right((y & 63) as u32))
                }
                Ins::I64EqI { d, a, imm } => ri64!(d, a, imm, |x, y| (x == y) as u64),
                Ins::I64NeI { d, a, imm } => ri64!(d, a, imm, |x, y| (x != y) as u64),
                Ins::I64LtSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) < (y as i64)) as u64)
                }
                Ins::I64LtUI { d, a, imm } => ri64!(d, a, imm, |x, y| (x < y) as u64),
                Ins::I64GtSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) > (y as i64)) as u64)
                }
                Ins::I64GtUI { d, a, imm } => ri64!(d, a, imm, |x, y| (x > y) as u64),
                Ins::I64LeSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) <= (y as i64)) as u64)
                }
                Ins::I64LeUI { d, a, imm } => ri64!(d, a, imm, |x, y| (x <= y) as u64),
                Ins::I64GeSI { d, a, imm } => {
                    ri64!(d, a, imm, |x, y| ((x as i64) >= (y as i64)) as u64)
                }
                Ins::I64GeUI { d, a, imm } => ri64!(d, a, imm, |x, y| (x >= y) as u64),
                Ins::I32Eqz { d, a } => un!(d, a, |x| (x as u32 == 0) as u64),
                Ins::I32Clz { d, a } => un!(d, a, |x| (x as u32).leading_zeros() as u64),
                Ins::I32Ctz { d, a } => un!(d, a, |x| (x as u32).trailing_zeros() as u64),
                Ins::I32Popcnt { d, a } => un!(d, a, |x| (x as u32).count_ones() as u64),
                Ins::I64Eqz { d, a } => un!(d, a, |x| (x == 0) as u64),
                Ins::I64Clz { d, a } => un!(d, a, |x| x.leading_zeros() as u64),
                Ins::I64Ctz { d, a } => un!(d, a, |x| x.trailing_zeros() as u64),
                Ins::I64Popcnt { d, a } => un!(d, a, |x| x.count_ones() as u64),
                Ins::I32WrapI64 { d, a } => un!(d, a, |x| x as u32 as u64),
                Ins::I64ExtendI32S { d, a } => un!(d, a, |x| x as u32 as i32 as i64 as u64),
                Ins::I64ExtendI32U { d, a } => un!(d, a, |x| x as u32 as u64),
                Ins::I32Extend8S { d, a } => un!(d, a, |x| x as i8 as i32 as u32 as u64),
                Ins::I32Extend16S { d, a } => un!(d, a, |x| x as i16 as i32 as u32 as u64),
                Ins::I64Extend8S { d, a } => un!(d, a, |x| x as i8 as i64 as u64),
                Ins::I64Extend16S { d, a } => un!(d, a, |x| x as i16 as i64 as u64),
                Ins::I64Extend32S { d, a } => un!(d, a, |x| x as i32 as i64 as u64),
                Ins::F32Abs { d, a } => un!(d, a, |x| (x as u32 & 0x7fff_ffff) as u64),
                Ins::F32Neg { d, a } => un!(d, a, |x| (x as u32 ^ 0x8000_0000) as u64),
                Ins::F32Sqrt { d, a } => un!(d, a, |x| f32u(x, numeric::f32_sqrt)),
                Ins::F32Ceil { d, a } => un!(d, a, |x| f32u(x, numeric::f32_ceil)),
                Ins::F32Floor { d, a } => un!(d, a, |x| f32u(x, numeric::f32_floor)),
                Ins::F32Trunc { d, a } => un!(d, a, |x| f32u(x, numeric::f32_trunc)),
                Ins::F32Nearest { d, a } => un!(d, a, |x| f32u(x, numeric::f32_nearest)),
                Ins::F64Abs { d, a } => un!(d, a, |x| x & 0x7fff_ffff_ffff_ffff),
                Ins::F64Neg { d, a } => un!(d, a, |x| x ^ 0x8000_0000_0000_0000),
                Ins::F64Sqrt { d, a } => un!(d, a, |x| f64u(x, numeric::f64_sqrt)),
                Ins::F64Ceil { d, a } => un!(d, a, |x| f64u(x, numeric::f64_ceil)),
                Ins::F64Floor { d, a } => un!(d, a, |x| f64u(x, numeric::f64_floor)),
                Ins::F64Trunc { d, a } => un!(d, a, |x| f64u(x, numeric::f64_trunc)),
                Ins::F64Nearest { d, a } => un!(d, a, |x| f64u(x, numeric::f64_nearest)),
                Ins::F32ConvertI32S { d, a } => {
                    un!(d, a, |x| (x as u32 as i32 as f32).to_bits() as u64)
                }
                Ins::F32ConvertI32U { d, a } => un!(d, a, |x| (x as u32 as f32).to_bits() as u64),
                Ins::F32ConvertI64S { d, a } => un!(d, a, |x| (x as i64 as f32).to_bits() as u64),
                Ins::F32ConvertI64U { d, a } => un!(d, a, |x| (x as f32).to_bits() as u64),
                Ins::F64ConvertI32S { d, a } => un!(d, a, |x| (x as u32 as i32 as f64).to_bits()),
                Ins::F64ConvertI32U { d, a } => un!(d, a, |x| (x as u32 as f64).to_bits()),
                Ins::F64ConvertI64S { d, a } => un!(d, a, |x| (x as i64 as f64).to_bits()),
                Ins::F64ConvertI64U { d, a } => un!(d, a, |x| (x as f64).to_bits()),
                Ins::F32DemoteF64 { d, a } => un!(d, a, |x| numeric::f32_demote(x) as u64),
                Ins::F64PromoteF32 { d, a } => un!(d, a, |x| numeric::f64_promote(x as u32)),
                Ins::RefIsNull { d, a } => un!(d, a, |x| (x == NULL_REF) as u64),
                Ins::I32Load { d, a, offset } => {
                    ldr!(d, a, offset, 4, |b| u32::from_le_bytes(b) as u64)
                }
                Ins::I64Load { d, a, offset } => ldr!(d, a, offset, 8, u64::from_le_bytes),
                Ins::I32Load8S { d, a, offset } => {
                    ldr!(d, a, offset, 1, |b| b[0] as i8 as i32 as u32 as u64)
                }
                Ins::I32Load8U { d, a, offset } => ldr!(d, a, offset, 1, |b| b[0] as u64),
                Ins::I32Load16S { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32
                        as u64)
                }
                Ins::I32Load16U { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| u16::from_le_bytes(b) as u64)
                }
                Ins::I64Load8S { d, a, offset } => {
                    ldr!(d, a, offset, 1, |b| b[0] as i8 as i64 as u64)
                }
                Ins::I64Load8U { d, a, offset } => ldr!(d, a, offset, 1, |b| b[0] as u64),
                Ins::I64Load16S { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64)
                }
                Ins::I64Load16U { d, a, offset } => {
                    ldr!(d, a, offset, 2, |b| u16::from_le_bytes(b) as u64)
                }
                Ins::I64Load32S { d, a, offset } => {
                    ldr!(d, a, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64)
                }
                Ins::I64Load32U { d, a, offset } => {
                    ldr!(d, a, offset, 4, |b| u32::from_le_bytes(b) as u64)
                }
                Ins::I32Store { a, v, offset } => str!(a, offset, (r!(v) as u32).to_le_bytes()),
                Ins::I64Store { a, v, offset } => str!(a, offset, r!(v).to_le_bytes()),
                Ins::I32Store8 { a, v, offset } => str!(a, offset, [r!(v) as u8]),
                Ins::I32Store16 { a, v, offset } => str!(a, offset, (r!(v) as u16).to_le_bytes()),
                Ins::I64Store32 { a, v, offset } => str!(a, offset, (r!(v) as u32).to_le_bytes()),
                Ins::I32StoreI { a, imm, offset } => str!(a, offset, imm.to_le_bytes()),
                Ins::I32Store8I { a, imm, offset } => str!(a, offset, [imm as u8]),
                Ins::I32StoreAI { x, imm, v } => {
                    strw!(r!(x) as u32, imm, (r!(v) as u32).to_le_bytes())
                }
                Ins::I64StoreAI { x, imm, v } => strw!(r!(x) as u32, imm, r!(v).to_le_bytes()),
                Ins::I32Store8AI { x, imm, v } => strw!(r!(x) as u32, imm, [r!(v) as u8]),
                Ins::I32StoreAA { x, y, v } => {
                    strw!(r!(x) as u32, r!(y) as u32, (r!(v) as u32).to_le_bytes())
                }
                Ins::I64StoreAA { x, y, v } => {
                    strw!(r!(x) as u32, r!(y) as u32, r!(v).to_le_bytes())
                }
                Ins::I32Store8AA { x, y, v } => strw!(r!(x) as u32, r!(y) as u32, [r!(v) as u8]),
                Ins::I32Store8IAA { x, y, imm } => strw!(r!(x) as u32, r!(y) as u32, [imm as u8]),
                Ins::I32LoadAI { d, x, imm } => {
                    ldw!(d, r!(x) as u32, imm, 4, |b| u32::from_le_bytes(b) as u64)
                }
                Ins::I64LoadAI { d, x, imm } => ldw!(d, r!(x) as u32, imm, 8, u64::from_le_bytes),
                Ins::I32Load8UAI { d, x, imm } => ldw!(d, r!(x) as u32, imm, 1, |b| b[0] as u64),
                Ins::I32LoadAA { d, x, y } => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 4, |b| u32::from_le_bytes(b)
                        as u64)
                }
                Ins::I64LoadAA { d, x, y } => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 8, u64::from_le_bytes)
                }
                Ins::I32Load8UAA { d, x, y } => {
                    ldw!(d, r!(x) as u32, r!(y) as u32, 1, |b| b[0] as u64)
                }
                _ => match stack_op(store, stack, &code_rc, pc, sp, *ins) {
                    Ok((p, s)) => {
                        pc = p;
                        sp = s;
                        continue;
                    }
                    Err(k) => trap!(k),
                },
            }
            pc += 1;
        };
    }
    loop {
        step!();
        step!();
    }
}

/// Executes the stack-form instruction `ins` at `pc` with the top of the
/// operand stack at `sp`; returns the next instruction's position and the
/// new top. Out of line: these big, rare handlers would otherwise crowd the
/// registers of the main loop.
#[inline(never)]
#[allow(clippy::redundant_closure_call)]
fn stack_op(
    store: &mut Store,
    stack: &mut Stack,
    code: &[Ins],
    pc: usize,
    mut sp: usize,
    ins: Ins,
) -> Result<(usize, usize), TrapKind> {
    macro_rules! trap {
        ($k:expr) => {
            return Err($k)
        };
    }
    macro_rules! conv {
        ($f:expr) => {{
            match $f(stack[(sp - 1) & M]) {
                Ok(v) => stack[(sp - 1) & M] = v,
                Err(k) => trap!(k),
            }
        }};
    }
    macro_rules! un32 {
        ($f:expr) => {{
            let f: fn(u32) -> u64 = $f;
            stack[(sp - 1) & M] = f(stack[(sp - 1) & M] as u32);
        }};
    }
    macro_rules! un64 {
        ($f:expr) => {{
            let f: fn(u64) -> u64 = $f;
            stack[(sp - 1) & M] = f(stack[(sp - 1) & M]);
        }};
    }
    macro_rules! mem {
        ($m:expr) => {
            match store.mems.get_mut($m as usize) {
                Some(m) => &mut m.data,
                None => trap!(TrapKind::MemoryOutOfBounds),
            }
        };
    }
    macro_rules! ld {
        ($data:expr, $n:literal, $off:expr) => {{
            let a = stack[(sp - 1) & M] as u32 as u64;
            match load::<$n>($data, a, $off) {
                Some(b) => b,
                None => trap!(TrapKind::MemoryOutOfBounds),
            }
        }};
    }
    macro_rules! st {
        ($data:expr, $addr:expr, $off:expr, $bytes:expr) => {{
            if !store_bytes($data, $addr, $off, $bytes) {
                trap!(TrapKind::MemoryOutOfBounds);
            }
        }};
    }

    match ins {
        Ins::TableGet(t) => {
            let i = stack[(sp - 1) & M] as u32 as usize;
            match store.tables.get(t as usize).and_then(|t| t.elems.get(i)) {
                Some(&v) => stack[(sp - 1) & M] = v,
                None => trap!(TrapKind::TableOutOfBounds),
            }
        }
        Ins::TableSet(t) => {
            let v = stack[(sp - 1) & M];
            let i = stack[(sp - 2) & M] as u32 as usize;
            sp -= 2;
            match store
                .tables
                .get_mut(t as usize)
                .and_then(|t| t.elems.get_mut(i))
            {
                Some(e) => *e = v,
                None => trap!(TrapKind::TableOutOfBounds),
            }
        }
        Ins::TableSize(t) => {
            let n = store.tables.get(t as usize).map_or(0, |t| t.elems.len());
            stack[(sp) & M] = n as u64;
            sp += 1;
        }
        Ins::TableGrow(t) => {
            let n = stack[(sp - 1) & M] as u32;
            let init = stack[(sp - 2) & M];
            sp -= 1;
            let r = store
                .tables
                .get_mut(t as usize)
                .map_or(u32::MAX, |t| t.grow(n, init));
            stack[(sp - 1) & M] = r as u64;
        }
        Ins::TableFill(t) => {
            let n = stack[(sp - 1) & M] as u32 as usize;
            let v = stack[(sp - 2) & M];
            let d = stack[(sp - 3) & M] as u32 as usize;
            sp -= 3;
            match store
                .tables
                .get_mut(t as usize)
                .and_then(|t| t.elems.get_mut(d..d + n))
            {
                Some(s) => s.fill(v),
                None => trap!(TrapKind::TableOutOfBounds),
            }
        }
        Ins::TableCopy { dst, src } => {
            let n = stack[(sp - 1) & M] as u32 as usize;
            let s = stack[(sp - 2) & M] as u32 as usize;
            let d = stack[(sp - 3) & M] as u32 as usize;
            sp -= 3;
            let ok = table_copy(store, dst, src, d, s, n);
            if !ok {
                trap!(TrapKind::TableOutOfBounds);
            }
        }
        Ins::TableInit { table, elem } => {
            let n = stack[(sp - 1) & M] as u32 as usize;
            let s = stack[(sp - 2) & M] as u32 as usize;
            let d = stack[(sp - 3) & M] as u32 as usize;
            sp -= 3;
            if !table_init(store, table, elem, d, s, n) {
                trap!(TrapKind::TableOutOfBounds);
            }
        }
        Ins::ElemDrop(e) => {
            if let Some(e) = store.elems.get_mut(e as usize) {
                *e = Vec::new();
            }
        }
        Ins::MemorySize(m) => {
            let n = store.mems.get(m as usize).map_or(0, |m| m.pages());
            stack[(sp) & M] = n;
            sp += 1;
        }
        Ins::MemoryGrow(m) => {
            let n = stack[(sp - 1) & M] as u32;
            let r = store
                .mems
                .get_mut(m as usize)
                .map_or(u32::MAX, |m| m.grow(n));
            stack[(sp - 1) & M] = r as u64;
        }
        Ins::MemoryFill(m) => {
            let n = stack[(sp - 1) & M] as u32 as usize;
            let v = stack[(sp - 2) & M] as u8;
            let d = stack[(sp - 3) & M] as u32 as usize;
            sp -= 3;
            let data = mem!(m);
            match data.get_mut(d..d + n) {
                Some(s) => s.fill(v),
                None => trap!(TrapKind::MemoryOutOfBounds),
            }
        }
        Ins::MemoryCopy { dst, src } => {
            let n = stack[(sp - 1) & M] as u32 as usize;
            let s = stack[(sp - 2) & M] as u32 as usize;
            let d = stack[(sp - 3) & M] as u32 as usize;
            sp -= 3;
            if !memory_copy(store, dst, src, d, s, n) {
                trap!(TrapKind::MemoryOutOfBounds);
            }
        }
        Ins::MemoryInit { mem, data } => {
            let n = stack[(sp - 1) & M] as u32 as usize;
            let s = stack[(sp - 2) & M] as u32 as usize;
            let d = stack[(sp - 3) & M] as u32 as usize;
            sp -= 3;
            if !memory_init(store, mem, data, d, s, n) {
                trap!(TrapKind::MemoryOutOfBounds);
            }
        }
        Ins::DataDrop(d) => {
            if let Some(d) = store.datas.get_mut(d as usize) {
                *d = Vec::new();
            }
        }
        Ins::Num(op) => match op {
            Op::I32TruncF32S => conv!(numeric::i32_trunc_f32_s),
            Op::I32TruncF32U => conv!(numeric::i32_trunc_f32_u),
            Op::I32TruncF64S => conv!(numeric::i32_trunc_f64_s),
            Op::I32TruncF64U => conv!(numeric::i32_trunc_f64_u),
            Op::I64TruncF32S => conv!(numeric::i64_trunc_f32_s),
            Op::I64TruncF32U => conv!(numeric::i64_trunc_f32_u),
            Op::I64TruncF64S => conv!(numeric::i64_trunc_f64_s),
            Op::I64TruncF64U => conv!(numeric::i64_trunc_f64_u),
            Op::I32TruncSatF32S => un32!(|a| f32::from_bits(a) as i32 as u32 as u64),
            Op::I32TruncSatF32U => un32!(|a| f32::from_bits(a) as u32 as u64),
            Op::I32TruncSatF64S => un64!(|a| f64::from_bits(a) as i32 as u32 as u64),
            Op::I32TruncSatF64U => un64!(|a| f64::from_bits(a) as u32 as u64),
            Op::I64TruncSatF32S => un32!(|a| f32::from_bits(a) as i64 as u64),
            Op::I64TruncSatF32U => un32!(|a| f32::from_bits(a) as u64),
            Op::I64TruncSatF64S => un64!(|a| f64::from_bits(a) as i64 as u64),
            Op::I64TruncSatF64U => un64!(|a| f64::from_bits(a) as u64),
            _ => match numeric::slow(op, &mut stack[..], sp, None) {
                Ok(n) => sp = n,
                Err(k) => trap!(k),
            },
        },
        Ins::Lane(op, lane) => match numeric::slow(op, &mut stack[..], sp, Some(lane)) {
            Ok(n) => sp = n,
            Err(k) => trap!(k),
        },
        Ins::Shuffle => {
            let (Some(Ins::Imm(lo)), Some(Ins::Imm(hi))) = (code.get(pc + 1), code.get(pc + 2))
            else {
                trap!(TrapKind::Unreachable)
            };
            let idx = ((*hi as u128) << 64 | *lo as u128).to_le_bytes();
            let b =
                ((stack[(sp - 1) & M] as u128) << 64 | stack[(sp - 2) & M] as u128).to_le_bytes();
            let a =
                ((stack[(sp - 3) & M] as u128) << 64 | stack[(sp - 4) & M] as u128).to_le_bytes();
            let mut r = [0u8; 16];
            for (o, &i) in r.iter_mut().zip(idx.iter()) {
                let i = i as usize;
                *o = if i < 16 {
                    a[i]
                } else {
                    b.get(i - 16).copied().unwrap_or(0)
                };
            }
            let r = u128::from_le_bytes(r);
            sp -= 2;
            stack[(sp - 2) & M] = r as u64;
            stack[(sp - 1) & M] = (r >> 64) as u64;
            return Ok((pc + 3, sp));
        }
        Ins::MemLane { op, lane, mem } => {
            let Some(Ins::Imm(off)) = code.get(pc + 1) else {
                trap!(TrapKind::Unreachable)
            };
            let off = *off as u32;
            let v = (stack[(sp - 1) & M] as u128) << 64 | stack[(sp - 2) & M] as u128;
            let addr = stack[(sp - 3) & M] as u32 as u64;
            let data = mem!(mem);
            let info = op.info();
            let size_log2 = info.kind.natural_align().unwrap_or(0);
            let bits = 8u32 << size_log2;
            let shift = bits * lane as u32;
            let mask: u128 = if bits == 128 {
                u128::MAX
            } else {
                (1u128 << bits) - 1
            };
            let is_load = matches!(
                op,
                Op::V128Load8Lane | Op::V128Load16Lane | Op::V128Load32Lane | Op::V128Load64Lane
            );
            if is_load {
                let x: u64 = match size_log2 {
                    0 => match load::<1>(data, addr, off) {
                        Some(b) => b[0] as u64,
                        None => trap!(TrapKind::MemoryOutOfBounds),
                    },
                    1 => match load::<2>(data, addr, off) {
                        Some(b) => u16::from_le_bytes(b) as u64,
                        None => trap!(TrapKind::MemoryOutOfBounds),
                    },
                    2 => match load::<4>(data, addr, off) {
                        Some(b) => u32::from_le_bytes(b) as u64,
                        None => trap!(TrapKind::MemoryOutOfBounds),
                    },
                    _ => match load::<8>(data, addr, off) {
                        Some(b) => u64::from_le_bytes(b),
                        None => trap!(TrapKind::MemoryOutOfBounds),
                    },
                };
                let r = (v & !(mask << shift)) | ((x as u128) << shift);
                sp -= 1;
                stack[(sp - 2) & M] = r as u64;
                stack[(sp - 1) & M] = (r >> 64) as u64;
            } else {
                let x = ((v >> shift) & mask) as u64;
                let ok = match size_log2 {
                    0 => store_bytes(data, addr, off, [x as u8]),
                    1 => store_bytes(data, addr, off, (x as u16).to_le_bytes()),
                    2 => store_bytes(data, addr, off, (x as u32).to_le_bytes()),
                    _ => store_bytes(data, addr, off, x.to_le_bytes()),
                };
                if !ok {
                    trap!(TrapKind::MemoryOutOfBounds);
                }
                sp -= 3;
            }
            return Ok((pc + 2, sp));
        }
        Ins::Mem { op, mem, offset } => {
            let data = mem!(mem);
            match op {
                Op::I32Load | Op::F32Load => {
                    stack[(sp - 1) & M] = u32::from_le_bytes(ld!(data, 4, offset)) as u64;
                }
                Op::I64Load | Op::F64Load => {
                    stack[(sp - 1) & M] = u64::from_le_bytes(ld!(data, 8, offset));
                }
                Op::I32Load8S => {
                    stack[(sp - 1) & M] = ld!(data, 1, offset)[0] as i8 as i32 as u32 as u64
                }
                Op::I32Load8U | Op::I64Load8U => {
                    stack[(sp - 1) & M] = ld!(data, 1, offset)[0] as u64
                }
                Op::I32Load16S => {
                    stack[(sp - 1) & M] =
                        i16::from_le_bytes(ld!(data, 2, offset)) as i32 as u32 as u64
                }
                Op::I32Load16U | Op::I64Load16U => {
                    stack[(sp - 1) & M] = u16::from_le_bytes(ld!(data, 2, offset)) as u64
                }
                Op::I64Load8S => stack[(sp - 1) & M] = ld!(data, 1, offset)[0] as i8 as i64 as u64,
                Op::I64Load16S => {
                    stack[(sp - 1) & M] = i16::from_le_bytes(ld!(data, 2, offset)) as i64 as u64
                }
                Op::I64Load32S => {
                    stack[(sp - 1) & M] = i32::from_le_bytes(ld!(data, 4, offset)) as i64 as u64
                }
                Op::I64Load32U => {
                    stack[(sp - 1) & M] = u32::from_le_bytes(ld!(data, 4, offset)) as u64
                }
                Op::I32Store | Op::F32Store => {
                    let v = stack[(sp - 1) & M] as u32;
                    let a = stack[(sp - 2) & M] as u32 as u64;
                    sp -= 2;
                    st!(data, a, offset, v.to_le_bytes());
                }
                Op::I64Store | Op::F64Store => {
                    let v = stack[(sp - 1) & M];
                    let a = stack[(sp - 2) & M] as u32 as u64;
                    sp -= 2;
                    st!(data, a, offset, v.to_le_bytes());
                }
                Op::I32Store8 | Op::I64Store8 => {
                    let v = stack[(sp - 1) & M] as u8;
                    let a = stack[(sp - 2) & M] as u32 as u64;
                    sp -= 2;
                    st!(data, a, offset, [v]);
                }
                Op::I32Store16 | Op::I64Store16 => {
                    let v = stack[(sp - 1) & M] as u16;
                    let a = stack[(sp - 2) & M] as u32 as u64;
                    sp -= 2;
                    st!(data, a, offset, v.to_le_bytes());
                }
                Op::I64Store32 => {
                    let v = stack[(sp - 1) & M] as u32;
                    let a = stack[(sp - 2) & M] as u32 as u64;
                    sp -= 2;
                    st!(data, a, offset, v.to_le_bytes());
                }
                Op::V128Store => {
                    let v = (stack[(sp - 1) & M] as u128) << 64 | stack[(sp - 2) & M] as u128;
                    let a = stack[(sp - 3) & M] as u32 as u64;
                    sp -= 3;
                    st!(data, a, offset, v.to_le_bytes());
                }
                _ => {
                    let v: u128 = match op {
                        Op::V128Load => u128::from_le_bytes(ld!(data, 16, offset)),
                        Op::V128Load8Splat => u128::from_le_bytes([ld!(data, 1, offset)[0]; 16]),
                        Op::V128Load16Splat => {
                            (u16::from_le_bytes(ld!(data, 2, offset)) as u128)
                                * 0x0001_0001_0001_0001_0001_0001_0001_0001
                        }
                        Op::V128Load32Splat => {
                            (u32::from_le_bytes(ld!(data, 4, offset)) as u128)
                                * 0x0000_0001_0000_0001_0000_0001_0000_0001
                        }
                        Op::V128Load64Splat => {
                            let x = u64::from_le_bytes(ld!(data, 8, offset)) as u128;
                            x | (x << 64)
                        }
                        Op::V128Load32Zero => u32::from_le_bytes(ld!(data, 4, offset)) as u128,
                        Op::V128Load64Zero => u64::from_le_bytes(ld!(data, 8, offset)) as u128,
                        _ => numeric::load_extend(op, ld!(data, 8, offset)),
                    };
                    stack[(sp - 1) & M] = v as u64;
                    stack[(sp) & M] = (v >> 64) as u64;
                    sp += 1;
                }
            }
        }
        _ => trap!(TrapKind::Unreachable),
    }
    Ok((pc + 1, sp))
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

fn table_copy(store: &mut Store, dst: u32, src: u32, d: usize, s: usize, n: usize) -> bool {
    let (Some(sl), Some(dl)) = (
        store.tables.get(src as usize).map(|t| t.elems.len()),
        store.tables.get(dst as usize).map(|t| t.elems.len()),
    ) else {
        return false;
    };
    if s.checked_add(n).is_none_or(|e| e > sl) || d.checked_add(n).is_none_or(|e| e > dl) {
        return false;
    }
    if dst == src {
        if let Some(t) = store.tables.get_mut(dst as usize) {
            t.elems.copy_within(s..s + n, d);
        }
    } else {
        let tmp: Vec<u64> = store.tables[src as usize].elems[s..s + n].to_vec();
        store.tables[dst as usize].elems[d..d + n].copy_from_slice(&tmp);
    }
    true
}

fn table_init(store: &mut Store, table: u32, elem: u32, d: usize, s: usize, n: usize) -> bool {
    let Some(seg) = store.elems.get(elem as usize) else {
        return false;
    };
    let Some(src) = s.checked_add(n).and_then(|e| seg.get(s..e)) else {
        return false;
    };
    let src = src.to_vec();
    match store
        .tables
        .get_mut(table as usize)
        .and_then(|t| d.checked_add(n).and_then(|e| t.elems.get_mut(d..e)))
    {
        Some(dst) => {
            dst.copy_from_slice(&src);
            true
        }
        None => false,
    }
}

fn memory_copy(store: &mut Store, dst: u32, src: u32, d: usize, s: usize, n: usize) -> bool {
    let (Some(sl), Some(dl)) = (
        store.mems.get(src as usize).map(|m| m.data.len()),
        store.mems.get(dst as usize).map(|m| m.data.len()),
    ) else {
        return false;
    };
    if s.checked_add(n).is_none_or(|e| e > sl) || d.checked_add(n).is_none_or(|e| e > dl) {
        return false;
    }
    if dst == src {
        store.mems[dst as usize].data.copy_within(s..s + n, d);
    } else {
        let tmp: Vec<u8> = store.mems[src as usize].data[s..s + n].to_vec();
        store.mems[dst as usize].data[d..d + n].copy_from_slice(&tmp);
    }
    true
}

fn memory_init(store: &mut Store, mem: u32, data: u32, d: usize, s: usize, n: usize) -> bool {
    let Some(seg) = store.datas.get(data as usize) else {
        return false;
    };
    let Some(src) = s.checked_add(n).and_then(|e| seg.get(s..e)) else {
        return false;
    };
    let Some(m) = store.mems.get_mut(mem as usize) else {
        return false;
    };
    match d.checked_add(n).and_then(|e| m.data.get_mut(d..e)) {
        Some(dst) => {
            dst.copy_from_slice(src);
            true
        }
        None => false,
    }
}

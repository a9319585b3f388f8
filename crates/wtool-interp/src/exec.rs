//! The executor: one loop over the compiled code with an explicit frame
//! stack and a value stack of untyped 64-bit slots. A wasm call pushes a
//! frame and jumps; it never recurses natively, so deep recursion ends in
//! the "call stack exhausted" trap at the configured depth.

use std::rc::Rc;

use wtool_ast::{Op, ValType};

use crate::compile::Ins;
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
    let code_rc: Rc<Vec<Ins>> = Rc::clone(&store.code);
    let code: &[Ins] = &code_rc;
    let max_depth = store.config.max_call_depth as usize;
    let mut frames: Vec<Frame> = Vec::new();
    let mut cur_func = func;
    let mut fp = 0usize;
    let mut sp = sp0;
    let mut pc;

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

    macro_rules! bin32 {
        ($f:expr) => {{
            let b = stack[(sp - 1) & M] as u32;
            let a = stack[(sp - 2) & M] as u32;
            sp -= 1;
            let f: fn(u32, u32) -> u64 = $f;
            stack[(sp - 1) & M] = f(a, b);
        }};
    }
    macro_rules! bin64 {
        ($f:expr) => {{
            let b = stack[(sp - 1) & M];
            let a = stack[(sp - 2) & M];
            sp -= 1;
            let f: fn(u64, u64) -> u64 = $f;
            stack[(sp - 1) & M] = f(a, b);
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
    macro_rules! binf32 {
        ($f:expr) => {{
            let b = f32::from_bits(stack[(sp - 1) & M] as u32);
            let a = f32::from_bits(stack[(sp - 2) & M] as u32);
            sp -= 1;
            let f: fn(f32, f32) -> f32 = $f;
            stack[(sp - 1) & M] = f(a, b).to_bits() as u64;
        }};
    }
    macro_rules! binf64 {
        ($f:expr) => {{
            let b = f64::from_bits(stack[(sp - 1) & M]);
            let a = f64::from_bits(stack[(sp - 2) & M]);
            sp -= 1;
            let f: fn(f64, f64) -> f64 = $f;
            stack[(sp - 1) & M] = f(a, b).to_bits();
        }};
    }
    macro_rules! cmpf32 {
        ($f:expr) => {{
            let b = f32::from_bits(stack[(sp - 1) & M] as u32);
            let a = f32::from_bits(stack[(sp - 2) & M] as u32);
            sp -= 1;
            let f: fn(f32, f32) -> bool = $f;
            stack[(sp - 1) & M] = f(a, b) as u64;
        }};
    }
    macro_rules! cmpf64 {
        ($f:expr) => {{
            let b = f64::from_bits(stack[(sp - 1) & M]);
            let a = f64::from_bits(stack[(sp - 2) & M]);
            sp -= 1;
            let f: fn(f64, f64) -> bool = $f;
            stack[(sp - 1) & M] = f(a, b) as u64;
        }};
    }
    macro_rules! unf32 {
        ($f:expr) => {{
            let f: fn(f32) -> f32 = $f;
            stack[(sp - 1) & M] = f(f32::from_bits(stack[(sp - 1) & M] as u32)).to_bits() as u64;
        }};
    }
    macro_rules! unf64 {
        ($f:expr) => {{
            let f: fn(f64) -> f64 = $f;
            stack[(sp - 1) & M] = f(f64::from_bits(stack[(sp - 1) & M])).to_bits();
        }};
    }
    macro_rules! conv {
        ($f:expr) => {{
            match $f(stack[(sp - 1) & M]) {
                Ok(v) => stack[(sp - 1) & M] = v,
                Err(k) => trap!(k),
            }
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

    // A fused compare-and-jump: pops the left operand (and the right one
    // when it is on the stack too) and jumps if the comparison holds.
    macro_rules! jump_if {
        ($to:expr, Stack, $f:expr) => {{
            let b = stack[(sp - 1) & M] as u32;
            sp -= 1;
            jump_if!(@ $to, b, $f)
        }};
        ($to:expr, Local($x:expr), $f:expr) => {{
            let b = stack[(fp + $x as usize) & M] as u32;
            jump_if!(@ $to, b, $f)
        }};
        ($to:expr, Const($k:expr), $f:expr) => {{
            jump_if!(@ $to, $k, $f)
        }};
        (@ $to:expr, $b:expr, $f:expr) => {{
            let a = stack[(sp - 1) & M] as u32;
            sp -= 1;
            let f: fn(u32, u32) -> bool = $f;
            if f(a, $b) {
                pc = $to as usize;
                continue;
            }
        }};
    }

    loop {
        let Some(&ins) = code.get(pc) else {
            trap!(TrapKind::Unreachable)
        };
        match ins {
            Ins::Unreachable | Ins::Imm(_) => trap!(TrapKind::Unreachable),
            Ins::TrapMemOob => trap!(TrapKind::MemoryOutOfBounds),
            Ins::Jump(to) => {
                pc = to as usize;
                continue;
            }
            Ins::JumpIfNez(to) => {
                sp -= 1;
                if stack[(sp) & M] as u32 != 0 {
                    pc = to as usize;
                    continue;
                }
            }
            Ins::JumpIfEqz(to) => {
                sp -= 1;
                if stack[(sp) & M] as u32 == 0 {
                    pc = to as usize;
                    continue;
                }
            }
            Ins::Br { to, drop, keep } => {
                let (d, k) = (drop as usize, keep as usize);
                match k {
                    0 => {}
                    1 => stack[(sp - 1 - d) & M] = stack[(sp - 1) & M],
                    _ => stack.copy_within(sp - k..sp, sp - k - d),
                }
                sp -= d;
                pc = to as usize;
                continue;
            }
            Ins::BrIfNez { to, drop, keep } => {
                sp -= 1;
                if stack[(sp) & M] as u32 != 0 {
                    let (d, k) = (drop as usize, keep as usize);
                    stack.copy_within(sp - k..sp, sp - k - d);
                    sp -= d;
                    pc = to as usize;
                    continue;
                }
            }
            Ins::BrTable { len } => {
                sp -= 1;
                let i = (stack[(sp) & M] as u32).min(len);
                pc += 1 + i as usize;
                continue;
            }
            Ins::Return { keep } => {
                let k = keep as usize;
                // One result is the common case: skip the out-of-line copy.
                match k {
                    0 => {}
                    1 => stack[fp & M] = stack[(sp - 1) & M],
                    _ => stack.copy_within(sp - k..sp, fp),
                }
                sp = fp + k;
                match frames.pop() {
                    Some(fr) => {
                        pc = fr.ret_pc as usize;
                        fp = fr.fp as usize;
                        cur_func = fr.func;
                        continue;
                    }
                    None => return Ok(()),
                }
            }
            Ins::Call(_) | Ins::CallIndirect { .. } => {
                let target = match ins {
                    Ins::Call(f) => f,
                    Ins::CallIndirect { table, ty } => {
                        sp -= 1;
                        let i = stack[(sp) & M] as u32 as usize;
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
                        match store.funcs.get(f as usize) {
                            Some(fi) if fi.type_id() == ty => f,
                            _ => trap!(TrapKind::IndirectCallTypeMismatch),
                        }
                    }
                    _ => trap!(TrapKind::Unreachable),
                };
                match store.funcs.get(target as usize) {
                    Some(FuncInst::Wasm(w)) => {
                        if frames.len() >= max_depth {
                            trap!(TrapKind::CallStackExhausted);
                        }
                        let new_fp = sp - w.param_slots as usize;
                        let ls = w.local_slots as usize;
                        if new_fp + w.max_height as usize > limit {
                            trap!(TrapKind::CallStackExhausted);
                        }
                        if ls != 0 {
                            stack[sp..sp + ls].fill(0);
                        }
                        sp += ls;
                        frames.push(Frame {
                            ret_pc: pc as u32 + 1,
                            fp: fp as u32,
                            func: cur_func,
                        });
                        fp = new_fp;
                        cur_func = target;
                        pc = w.entry as usize;
                        continue;
                    }
                    Some(FuncInst::Host { type_id, func }) => {
                        let func = Rc::clone(func);
                        let Some(ty) = store.types.get(*type_id as usize).cloned() else {
                            trap!(TrapKind::Unreachable)
                        };
                        let n = slots_of(&ty.params) as usize;
                        let mut args = Vec::with_capacity(ty.params.len());
                        let mut i = sp - n;
                        for &t in ty.params.iter() {
                            let hi = if t == ValType::V128 {
                                stack[(i + 1) & M]
                            } else {
                                0
                            };
                            args.push(Value::from_slots(t, stack[(i) & M], hi));
                            i += if t == ValType::V128 { 2 } else { 1 };
                        }
                        sp -= n;
                        let mut results: Vec<Value> =
                            ty.results.iter().map(|&t| Value::default_for(t)).collect();
                        let instance = instance_of(store, cur_func);
                        if let Err(t) = func(&mut Caller { store, instance }, &args, &mut results) {
                            trap!(t.kind);
                        }
                        if sp + 2 * results.len() > limit {
                            trap!(TrapKind::CallStackExhausted);
                        }
                        for (r, &t) in results.iter().zip(ty.results.iter()) {
                            if !r.has_type(t) {
                                trap!(TrapKind::Host(
                                    "host function returned a value of the wrong type".into()
                                ));
                            }
                            stack[(sp) & M] = r.lo_slot();
                            sp += 1;
                            if t == ValType::V128 {
                                stack[(sp) & M] = r.hi_slot();
                                sp += 1;
                            }
                        }
                    }
                    None => trap!(TrapKind::Unreachable),
                }
            }
            Ins::Drop1 => sp -= 1,
            Ins::Drop2 => sp -= 2,
            Ins::Select1 => {
                let c = stack[(sp - 1) & M] as u32;
                sp -= 2;
                if c == 0 {
                    stack[(sp - 1) & M] = stack[(sp) & M];
                }
            }
            Ins::Select2 => {
                let c = stack[(sp - 1) & M] as u32;
                sp -= 3;
                if c == 0 {
                    stack[(sp - 2) & M] = stack[(sp) & M];
                    stack[(sp - 1) & M] = stack[(sp + 1) & M];
                }
            }
            Ins::LocalGet(o) => {
                stack[(sp) & M] = stack[(fp + o as usize) & M];
                sp += 1;
            }
            Ins::LocalSet(o) => {
                sp -= 1;
                stack[(fp + o as usize) & M] = stack[(sp) & M];
            }
            Ins::LocalTee(o) => stack[(fp + o as usize) & M] = stack[(sp - 1) & M],
            Ins::LocalGet2(o) => {
                let o = fp + o as usize;
                stack[(sp) & M] = stack[(o) & M];
                stack[(sp + 1) & M] = stack[(o + 1) & M];
                sp += 2;
            }
            Ins::LocalSet2(o) => {
                let o = fp + o as usize;
                sp -= 2;
                stack[(o) & M] = stack[(sp) & M];
                stack[(o + 1) & M] = stack[(sp + 1) & M];
            }
            Ins::LocalTee2(o) => {
                let o = fp + o as usize;
                stack[(o) & M] = stack[(sp - 2) & M];
                stack[(o + 1) & M] = stack[(sp - 1) & M];
            }
            Ins::GlobalGet(g) => {
                let Some(g) = store.globals.get(g as usize) else {
                    trap!(TrapKind::Unreachable)
                };
                stack[(sp) & M] = g.lo;
                sp += 1;
            }
            Ins::GlobalSet(g) => {
                sp -= 1;
                let Some(g) = store.globals.get_mut(g as usize) else {
                    trap!(TrapKind::Unreachable)
                };
                g.lo = stack[(sp) & M];
            }
            Ins::GlobalGet2(g) => {
                let Some(g) = store.globals.get(g as usize) else {
                    trap!(TrapKind::Unreachable)
                };
                stack[(sp) & M] = g.lo;
                stack[(sp + 1) & M] = g.hi;
                sp += 2;
            }
            Ins::GlobalSet2(g) => {
                sp -= 2;
                let Some(g) = store.globals.get_mut(g as usize) else {
                    trap!(TrapKind::Unreachable)
                };
                g.lo = stack[(sp) & M];
                g.hi = stack[(sp + 1) & M];
            }
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
            Ins::Const(v) => {
                stack[(sp) & M] = v;
                sp += 1;
            }
            Ins::RefIsNull => stack[(sp - 1) & M] = (stack[(sp - 1) & M] == NULL_REF) as u64,
            Ins::Fuel => {
                if store.fuel == 0 {
                    trap!(TrapKind::OutOfFuel);
                }
                store.fuel -= 1;
            }
            Ins::I32AddLL(x, y) => {
                stack[(sp) & M] = (stack[(fp + x as usize) & M] as u32)
                    .wrapping_add(stack[(fp + y as usize) & M] as u32)
                    as u64;
                sp += 1;
            }
            Ins::I32AddLC(x, c) => {
                stack[(sp) & M] =
                    (stack[(fp + x as usize) & M] as u32).wrapping_add(c as u32) as u64;
                sp += 1;
            }
            Ins::I32AndLC(x, c) => {
                let a = stack[(fp + x as usize) & M] as u32;
                stack[sp & M] = (a & c) as u64;
                sp += 1;
            }
            Ins::I32ShlLC(x, c) => {
                let a = stack[(fp + x as usize) & M] as u32;
                stack[sp & M] = (a.wrapping_shl(c)) as u64;
                sp += 1;
            }
            Ins::I32ShrULC(x, c) => {
                let a = stack[(fp + x as usize) & M] as u32;
                stack[sp & M] = (a.wrapping_shr(c)) as u64;
                sp += 1;
            }
            Ins::I32MulLC(x, c) => {
                let a = stack[(fp + x as usize) & M] as u32;
                stack[sp & M] = (a.wrapping_mul(c)) as u64;
                sp += 1;
            }
            Ins::I32SubL(x) => {
                let (a, b) = (
                    stack[(sp - 1) & M] as u32,
                    stack[(fp + x as usize) & M] as u32,
                );
                stack[(sp - 1) & M] = (a.wrapping_sub(b)) as u64;
            }
            Ins::I32AndL(x) => {
                let (a, b) = (
                    stack[(sp - 1) & M] as u32,
                    stack[(fp + x as usize) & M] as u32,
                );
                stack[(sp - 1) & M] = (a & b) as u64;
            }
            Ins::I32OrL(x) => {
                let (a, b) = (
                    stack[(sp - 1) & M] as u32,
                    stack[(fp + x as usize) & M] as u32,
                );
                stack[(sp - 1) & M] = (a | b) as u64;
            }
            Ins::I32XorL(x) => {
                let (a, b) = (
                    stack[(sp - 1) & M] as u32,
                    stack[(fp + x as usize) & M] as u32,
                );
                stack[(sp - 1) & M] = (a ^ b) as u64;
            }
            Ins::I32MulL(x) => {
                let (a, b) = (
                    stack[(sp - 1) & M] as u32,
                    stack[(fp + x as usize) & M] as u32,
                );
                stack[(sp - 1) & M] = (a.wrapping_mul(b)) as u64;
            }
            Ins::I32OrC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a | c) as u64;
            }
            Ins::I32XorC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a ^ c) as u64;
            }
            Ins::F64MulLL(x, y) => {
                let a = f64::from_bits(stack[(fp + x as usize) & M]);
                let b = f64::from_bits(stack[(fp + y as usize) & M]);
                stack[sp & M] = numeric::f64_mul(a, b).to_bits();
                sp += 1;
            }
            Ins::F64AddLL(x, y) => {
                let a = f64::from_bits(stack[(fp + x as usize) & M]);
                let b = f64::from_bits(stack[(fp + y as usize) & M]);
                stack[sp & M] = numeric::f64_add(a, b).to_bits();
                sp += 1;
            }
            Ins::F64MulC(k) => {
                let a = f64::from_bits(stack[(sp - 1) & M]);
                stack[(sp - 1) & M] = numeric::f64_mul(a, f64::from_bits(k)).to_bits();
            }
            Ins::F64AddC(k) => {
                let a = f64::from_bits(stack[(sp - 1) & M]);
                stack[(sp - 1) & M] = numeric::f64_add(a, f64::from_bits(k)).to_bits();
            }
            Ins::I32AddL(x) => {
                let v =
                    (stack[(sp - 1) & M] as u32).wrapping_add(stack[(fp + x as usize) & M] as u32);
                stack[(sp - 1) & M] = v as u64;
            }
            Ins::I32AddC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = a.wrapping_add(c) as u64;
            }
            Ins::I32AndC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a & c) as u64;
            }
            Ins::I32ShlC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = a.wrapping_shl(c) as u64;
            }
            Ins::I32ShrUC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = a.wrapping_shr(c) as u64;
            }
            Ins::I32ShrSC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a as i32).wrapping_shr(c) as u32 as u64;
            }
            Ins::I32MulC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = a.wrapping_mul(c) as u64;
            }
            Ins::I32EqC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a == c) as u64;
            }
            Ins::I32NeC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a != c) as u64;
            }
            Ins::I32LtSC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = ((a as i32) < (c as i32)) as u64;
            }
            Ins::I32LtUC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a < c) as u64;
            }
            Ins::I32GtSC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = ((a as i32) > (c as i32)) as u64;
            }
            Ins::I32GtUC(c) => {
                let a = stack[(sp - 1) & M] as u32;
                stack[(sp - 1) & M] = (a > c) as u64;
            }
            Ins::JumpIfEq(to) => jump_if!(to, Stack, |a, b| a == b),
            Ins::JumpIfEqL(x, to) => jump_if!(to, Local(x), |a, b| a == b),
            Ins::JumpIfEqC(k, to) => jump_if!(to, Const(k), |a, b| a == b),
            Ins::JumpIfNe(to) => jump_if!(to, Stack, |a, b| a != b),
            Ins::JumpIfNeL(x, to) => jump_if!(to, Local(x), |a, b| a != b),
            Ins::JumpIfNeC(k, to) => jump_if!(to, Const(k), |a, b| a != b),
            Ins::JumpIfLtS(to) => jump_if!(to, Stack, |a, b| (a as i32) < (b as i32)),
            Ins::JumpIfLtSL(x, to) => jump_if!(to, Local(x), |a, b| (a as i32) < (b as i32)),
            Ins::JumpIfLtSC(k, to) => jump_if!(to, Const(k), |a, b| (a as i32) < (b as i32)),
            Ins::JumpIfLtU(to) => jump_if!(to, Stack, |a, b| a < b),
            Ins::JumpIfLtUL(x, to) => jump_if!(to, Local(x), |a, b| a < b),
            Ins::JumpIfLtUC(k, to) => jump_if!(to, Const(k), |a, b| a < b),
            Ins::JumpIfGtS(to) => jump_if!(to, Stack, |a, b| (a as i32) > (b as i32)),
            Ins::JumpIfGtSL(x, to) => jump_if!(to, Local(x), |a, b| (a as i32) > (b as i32)),
            Ins::JumpIfGtSC(k, to) => jump_if!(to, Const(k), |a, b| (a as i32) > (b as i32)),
            Ins::JumpIfGtU(to) => jump_if!(to, Stack, |a, b| a > b),
            Ins::JumpIfGtUL(x, to) => jump_if!(to, Local(x), |a, b| a > b),
            Ins::JumpIfGtUC(k, to) => jump_if!(to, Const(k), |a, b| a > b),
            Ins::JumpIfLeS(to) => jump_if!(to, Stack, |a, b| (a as i32) <= (b as i32)),
            Ins::JumpIfLeSL(x, to) => jump_if!(to, Local(x), |a, b| (a as i32) <= (b as i32)),
            Ins::JumpIfLeSC(k, to) => jump_if!(to, Const(k), |a, b| (a as i32) <= (b as i32)),
            Ins::JumpIfLeU(to) => jump_if!(to, Stack, |a, b| a <= b),
            Ins::JumpIfLeUL(x, to) => jump_if!(to, Local(x), |a, b| a <= b),
            Ins::JumpIfLeUC(k, to) => jump_if!(to, Const(k), |a, b| a <= b),
            Ins::JumpIfGeS(to) => jump_if!(to, Stack, |a, b| (a as i32) >= (b as i32)),
            Ins::JumpIfGeSL(x, to) => jump_if!(to, Local(x), |a, b| (a as i32) >= (b as i32)),
            Ins::JumpIfGeSC(k, to) => jump_if!(to, Const(k), |a, b| (a as i32) >= (b as i32)),
            Ins::JumpIfGeU(to) => jump_if!(to, Stack, |a, b| a >= b),
            Ins::JumpIfGeUL(x, to) => jump_if!(to, Local(x), |a, b| a >= b),
            Ins::JumpIfGeUC(k, to) => jump_if!(to, Const(k), |a, b| a >= b),
            Ins::I32AddLLSet(a, b, d) => {
                let v = (stack[(fp + a as usize) & M] as u32)
                    .wrapping_add(stack[(fp + b as usize) & M] as u32);
                stack[(fp + d as usize) & M] = v as u64;
            }
            Ins::I32AddLCSet(a, c, d) => {
                let v = (stack[(fp + a as usize) & M] as u32).wrapping_add(c);
                stack[(fp + d as usize) & M] = v as u64;
            }
            Ins::Copy(a, d) => stack[(fp + d as usize) & M] = stack[(fp + a as usize) & M],
            Ins::SetConst(d, c) => stack[(fp + d as usize) & M] = c,
            Ins::I32LoadL { local, mem, offset } => {
                let a = stack[(fp + local as usize) & M] as u32 as u64;
                let data = mem!(mem);
                let v = match load::<4>(data, a, offset) {
                    Some(b) => u32::from_le_bytes(b) as u64,
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::I64LoadL { local, mem, offset } => {
                let a = stack[(fp + local as usize) & M] as u32 as u64;
                let data = mem!(mem);
                let v = match load::<8>(data, a, offset) {
                    Some(b) => u64::from_le_bytes(b),
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::I32Load8UL { local, mem, offset } => {
                let a = stack[(fp + local as usize) & M] as u32 as u64;
                let data = mem!(mem);
                let v = match load::<1>(data, a, offset) {
                    Some(b) => b[0] as u64,
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::I64LoadLC {
                local,
                c,
                offset,
                mem,
            } => {
                let a = (stack[(fp + local as usize) & M] as u32).wrapping_add(c) as u64;
                let data = mem!(mem);
                let v = match load::<8>(data, a, offset) {
                    Some(b) => u64::from_le_bytes(b),
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::I32LoadLC {
                local,
                c,
                offset,
                mem,
            } => {
                let a = (stack[(fp + local as usize) & M] as u32).wrapping_add(c) as u64;
                let data = mem!(mem);
                let v = match load::<4>(data, a, offset) {
                    Some(b) => u32::from_le_bytes(b) as u64,
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::I64LoadLL { a, b, offset, mem } => {
                let a = (stack[(fp + a as usize) & M] as u32)
                    .wrapping_add(stack[(fp + b as usize) & M] as u32)
                    as u64;
                let data = mem!(mem);
                let v = match load::<8>(data, a, offset) {
                    Some(b) => u64::from_le_bytes(b),
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::IncJumpNez { x, c, to } => {
                let v = (stack[(fp + x as usize) & M] as u32).wrapping_add(c);
                stack[(fp + x as usize) & M] = v as u64;
                if v != 0 {
                    pc = to as usize;
                    continue;
                }
            }
            Ins::IncJumpLtS { x, y, n, to } => {
                let x = (fp + x as usize) & M;
                let v = (stack[x] as u32).wrapping_add(stack[(fp + y as usize) & M] as u32);
                stack[x] = v as u64;
                if (v as i32) < (stack[(fp + n as usize) & M] as u32 as i32) {
                    pc = to as usize;
                    continue;
                }
            }
            Ins::IncJumpLtU { x, y, n, to } => {
                let x = (fp + x as usize) & M;
                let v = (stack[x] as u32).wrapping_add(stack[(fp + y as usize) & M] as u32);
                stack[x] = v as u64;
                if v < stack[(fp + n as usize) & M] as u32 {
                    pc = to as usize;
                    continue;
                }
            }
            Ins::IncCJumpNe { x, n, c, to } => {
                let bound = stack[(fp + n as usize) & M] as u32;
                let x = (fp + x as usize) & M;
                let v = (stack[x] as u32).wrapping_add(c);
                stack[x] = v as u64;
                if v != bound {
                    pc = to as usize;
                    continue;
                }
            }
            Ins::I32AddLLTee(a, b, d) => {
                let v = (stack[(fp + a as usize) & M] as u32)
                    .wrapping_add(stack[(fp + b as usize) & M] as u32)
                    as u64;
                stack[(fp + d as usize) & M] = v;
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::I32AddLCTee(a, c, d) => {
                let v = (stack[(fp + a as usize) & M] as u32).wrapping_add(c) as u64;
                stack[(fp + d as usize) & M] = v;
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::I32Store8CLL {
                a,
                b,
                offset,
                mem,
                value,
            } => {
                let a = (stack[(fp + a as usize) & M] as u32)
                    .wrapping_add(stack[(fp + b as usize) & M] as u32)
                    as u64;
                let data = mem!(mem);
                st!(data, a, offset, [value]);
            }
            Ins::I32Load8ULC {
                local,
                c,
                offset,
                mem,
            } => {
                let a = (stack[(fp + local as usize) & M] as u32).wrapping_add(c) as u64;
                let data = mem!(mem);
                let v = match load::<1>(data, a, offset) {
                    Some(b) => b[0] as u64,
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                stack[sp & M] = v;
                sp += 1;
            }
            Ins::F64AddL(x) => {
                let b = f64::from_bits(stack[(fp + x as usize) & M]);
                let a = f64::from_bits(stack[(sp - 1) & M]);
                stack[(sp - 1) & M] = numeric::f64_add(a, b).to_bits();
            }
            Ins::F64SubL(x) => {
                let b = f64::from_bits(stack[(fp + x as usize) & M]);
                let a = f64::from_bits(stack[(sp - 1) & M]);
                stack[(sp - 1) & M] = numeric::f64_sub(a, b).to_bits();
            }
            Ins::F64MulL(x) => {
                let b = f64::from_bits(stack[(fp + x as usize) & M]);
                let a = f64::from_bits(stack[(sp - 1) & M]);
                stack[(sp - 1) & M] = numeric::f64_mul(a, b).to_bits();
            }
            Ins::F64Sqrt => unf64!(numeric::f64_sqrt),
            Ins::F64ConvertI32U => un32!(|a| (a as f64).to_bits()),
            Ins::I32Store8C { mem, offset, value } => {
                let a = stack[(sp - 1) & M] as u32 as u64;
                sp -= 1;
                let data = mem!(mem);
                st!(data, a, offset, [value as u8]);
            }
            Ins::I32StoreC { mem, offset, value } => {
                let a = stack[(sp - 1) & M] as u32 as u64;
                sp -= 1;
                let data = mem!(mem);
                st!(data, a, offset, value.to_le_bytes());
            }
            Ins::I32Add => bin32!(|a, b| a.wrapping_add(b) as u64),
            Ins::I32Sub => bin32!(|a, b| a.wrapping_sub(b) as u64),
            Ins::I32Mul => bin32!(|a, b| a.wrapping_mul(b) as u64),
            Ins::I32And => bin32!(|a, b| (a & b) as u64),
            Ins::I32Or => bin32!(|a, b| (a | b) as u64),
            Ins::I32Xor => bin32!(|a, b| (a ^ b) as u64),
            Ins::I32Shl => bin32!(|a, b| a.wrapping_shl(b) as u64),
            Ins::I32ShrS => bin32!(|a, b| (a as i32).wrapping_shr(b) as u32 as u64),
            Ins::I32ShrU => bin32!(|a, b| a.wrapping_shr(b) as u64),
            Ins::I32Eqz => un32!(|a| (a == 0) as u64),
            Ins::I32Eq => bin32!(|a, b| (a == b) as u64),
            Ins::I32Ne => bin32!(|a, b| (a != b) as u64),
            Ins::I32LtS => bin32!(|a, b| ((a as i32) < (b as i32)) as u64),
            Ins::I32LtU => bin32!(|a, b| (a < b) as u64),
            Ins::I32GtS => bin32!(|a, b| ((a as i32) > (b as i32)) as u64),
            Ins::I32GtU => bin32!(|a, b| (a > b) as u64),
            Ins::I32LeS => bin32!(|a, b| ((a as i32) <= (b as i32)) as u64),
            Ins::I32LeU => bin32!(|a, b| (a <= b) as u64),
            Ins::I32GeS => bin32!(|a, b| ((a as i32) >= (b as i32)) as u64),
            Ins::I32GeU => bin32!(|a, b| (a >= b) as u64),
            Ins::I64Add => bin64!(|a, b| a.wrapping_add(b)),
            Ins::I64Sub => bin64!(|a, b| a.wrapping_sub(b)),
            Ins::I64Mul => bin64!(|a, b| a.wrapping_mul(b)),
            Ins::I64And => bin64!(|a, b| a & b),
            Ins::I64Or => bin64!(|a, b| a | b),
            Ins::I64Xor => bin64!(|a, b| a ^ b),
            Ins::I64Shl => bin64!(|a, b| a.wrapping_shl(b as u32)),
            Ins::I64ShrU => bin64!(|a, b| a.wrapping_shr(b as u32)),
            Ins::I64Eq => bin64!(|a, b| (a == b) as u64),
            Ins::I64Ne => bin64!(|a, b| (a != b) as u64),
            Ins::I64LtS => bin64!(|a, b| ((a as i64) < (b as i64)) as u64),
            Ins::I64LtU => bin64!(|a, b| (a < b) as u64),
            Ins::I64Eqz => un64!(|a| (a == 0) as u64),
            Ins::I64ExtendI32U => un64!(|a| a as u32 as u64),
            Ins::I64ExtendI32S => un64!(|a| a as u32 as i32 as i64 as u64),
            Ins::I32WrapI64 => un64!(|a| a as u32 as u64),
            Ins::F64Add => binf64!(numeric::f64_add),
            Ins::F64Sub => binf64!(numeric::f64_sub),
            Ins::F64Mul => binf64!(numeric::f64_mul),
            Ins::F64Div => binf64!(numeric::f64_div),
            Ins::F32Add => binf32!(numeric::f32_add),
            Ins::F32Sub => binf32!(numeric::f32_sub),
            Ins::F32Mul => binf32!(numeric::f32_mul),
            Ins::F32Div => binf32!(numeric::f32_div),
            Ins::F64ConvertI32S => un32!(|a| (a as i32 as f64).to_bits()),
            Ins::I32Load { mem, offset } => {
                let data = mem!(mem);
                stack[(sp - 1) & M] = u32::from_le_bytes(ld!(data, 4, offset)) as u64;
            }
            Ins::I64Load { mem, offset } => {
                let data = mem!(mem);
                stack[(sp - 1) & M] = u64::from_le_bytes(ld!(data, 8, offset));
            }
            Ins::I32Load8U { mem, offset } => {
                let data = mem!(mem);
                stack[(sp - 1) & M] = ld!(data, 1, offset)[0] as u64;
            }
            Ins::I32Load8S { mem, offset } => {
                let data = mem!(mem);
                stack[(sp - 1) & M] = ld!(data, 1, offset)[0] as i8 as i32 as u32 as u64;
            }
            Ins::I32Load16U { mem, offset } => {
                let data = mem!(mem);
                stack[(sp - 1) & M] = u16::from_le_bytes(ld!(data, 2, offset)) as u64;
            }
            Ins::I32Store { mem, offset } => {
                let v = stack[(sp - 1) & M] as u32;
                let a = stack[(sp - 2) & M] as u32 as u64;
                sp -= 2;
                let data = mem!(mem);
                st!(data, a, offset, v.to_le_bytes());
            }
            Ins::I64Store { mem, offset } => {
                let v = stack[(sp - 1) & M];
                let a = stack[(sp - 2) & M] as u32 as u64;
                sp -= 2;
                let data = mem!(mem);
                st!(data, a, offset, v.to_le_bytes());
            }
            Ins::I32Store8 { mem, offset } => {
                let v = stack[(sp - 1) & M] as u8;
                let a = stack[(sp - 2) & M] as u32 as u64;
                sp -= 2;
                let data = mem!(mem);
                st!(data, a, offset, [v]);
            }
            Ins::I32Store16 { mem, offset } => {
                let v = stack[(sp - 1) & M] as u16;
                let a = stack[(sp - 2) & M] as u32 as u64;
                sp -= 2;
                let data = mem!(mem);
                st!(data, a, offset, v.to_le_bytes());
            }
            Ins::Num(op) => match op {
                Op::I32Eqz => un32!(|a| (a == 0) as u64),
                Op::I32Eq => bin32!(|a, b| (a == b) as u64),
                Op::I32Ne => bin32!(|a, b| (a != b) as u64),
                Op::I32LtS => bin32!(|a, b| ((a as i32) < (b as i32)) as u64),
                Op::I32LtU => bin32!(|a, b| (a < b) as u64),
                Op::I32GtS => bin32!(|a, b| ((a as i32) > (b as i32)) as u64),
                Op::I32GtU => bin32!(|a, b| (a > b) as u64),
                Op::I32LeS => bin32!(|a, b| ((a as i32) <= (b as i32)) as u64),
                Op::I32LeU => bin32!(|a, b| (a <= b) as u64),
                Op::I32GeS => bin32!(|a, b| ((a as i32) >= (b as i32)) as u64),
                Op::I32GeU => bin32!(|a, b| (a >= b) as u64),
                Op::I64Eqz => un64!(|a| (a == 0) as u64),
                Op::I64Eq => bin64!(|a, b| (a == b) as u64),
                Op::I64Ne => bin64!(|a, b| (a != b) as u64),
                Op::I64LtS => bin64!(|a, b| ((a as i64) < (b as i64)) as u64),
                Op::I64LtU => bin64!(|a, b| (a < b) as u64),
                Op::I64GtS => bin64!(|a, b| ((a as i64) > (b as i64)) as u64),
                Op::I64GtU => bin64!(|a, b| (a > b) as u64),
                Op::I64LeS => bin64!(|a, b| ((a as i64) <= (b as i64)) as u64),
                Op::I64LeU => bin64!(|a, b| (a <= b) as u64),
                Op::I64GeS => bin64!(|a, b| ((a as i64) >= (b as i64)) as u64),
                Op::I64GeU => bin64!(|a, b| (a >= b) as u64),
                Op::F32Eq => cmpf32!(|a, b| a == b),
                Op::F32Ne => cmpf32!(|a, b| a != b),
                Op::F32Lt => cmpf32!(|a, b| a < b),
                Op::F32Gt => cmpf32!(|a, b| a > b),
                Op::F32Le => cmpf32!(|a, b| a <= b),
                Op::F32Ge => cmpf32!(|a, b| a >= b),
                Op::F64Eq => cmpf64!(|a, b| a == b),
                Op::F64Ne => cmpf64!(|a, b| a != b),
                Op::F64Lt => cmpf64!(|a, b| a < b),
                Op::F64Gt => cmpf64!(|a, b| a > b),
                Op::F64Le => cmpf64!(|a, b| a <= b),
                Op::F64Ge => cmpf64!(|a, b| a >= b),
                Op::I32Clz => un32!(|a| a.leading_zeros() as u64),
                Op::I32Ctz => un32!(|a| a.trailing_zeros() as u64),
                Op::I32Popcnt => un32!(|a| a.count_ones() as u64),
                Op::I32Add => bin32!(|a, b| a.wrapping_add(b) as u64),
                Op::I32Sub => bin32!(|a, b| a.wrapping_sub(b) as u64),
                Op::I32Mul => bin32!(|a, b| a.wrapping_mul(b) as u64),
                Op::I32DivS | Op::I32DivU | Op::I32RemS | Op::I32RemU => {
                    let b = stack[(sp - 1) & M] as u32;
                    let a = stack[(sp - 2) & M] as u32;
                    if b == 0 {
                        trap!(TrapKind::IntegerDivideByZero);
                    }
                    let r = match op {
                        Op::I32DivS => {
                            if a as i32 == i32::MIN && b as i32 == -1 {
                                trap!(TrapKind::IntegerOverflow);
                            }
                            (a as i32).wrapping_div(b as i32) as u32
                        }
                        Op::I32DivU => a / b,
                        Op::I32RemS => (a as i32).wrapping_rem(b as i32) as u32,
                        _ => a % b,
                    };
                    sp -= 1;
                    stack[(sp - 1) & M] = r as u64;
                }
                Op::I32And => bin32!(|a, b| (a & b) as u64),
                Op::I32Or => bin32!(|a, b| (a | b) as u64),
                Op::I32Xor => bin32!(|a, b| (a ^ b) as u64),
                Op::I32Shl => bin32!(|a, b| a.wrapping_shl(b) as u64),
                Op::I32ShrS => bin32!(|a, b| (a as i32).wrapping_shr(b) as u32 as u64),
                Op::I32ShrU => bin32!(|a, b| a.wrapping_shr(b) as u64),
                Op::I32Rotl => bin32!(|a, b| a.rotate_left(b & 31) as u64),
                Op::I32Rotr => bin32!(|a, b| a.rotate_right(b & 31) as u64),
                Op::I64Clz => un64!(|a| a.leading_zeros() as u64),
                Op::I64Ctz => un64!(|a| a.trailing_zeros() as u64),
                Op::I64Popcnt => un64!(|a| a.count_ones() as u64),
                Op::I64Add => bin64!(|a, b| a.wrapping_add(b)),
                Op::I64Sub => bin64!(|a, b| a.wrapping_sub(b)),
                Op::I64Mul => bin64!(|a, b| a.wrapping_mul(b)),
                Op::I64DivS | Op::I64DivU | Op::I64RemS | Op::I64RemU => {
                    let b = stack[(sp - 1) & M];
                    let a = stack[(sp - 2) & M];
                    if b == 0 {
                        trap!(TrapKind::IntegerDivideByZero);
                    }
                    let r = match op {
                        Op::I64DivS => {
                            if a as i64 == i64::MIN && b as i64 == -1 {
                                trap!(TrapKind::IntegerOverflow);
                            }
                            (a as i64).wrapping_div(b as i64) as u64
                        }
                        Op::I64DivU => a / b,
                        Op::I64RemS => (a as i64).wrapping_rem(b as i64) as u64,
                        _ => a % b,
                    };
                    sp -= 1;
                    stack[(sp - 1) & M] = r;
                }
                Op::I64And => bin64!(|a, b| a & b),
                Op::I64Or => bin64!(|a, b| a | b),
                Op::I64Xor => bin64!(|a, b| a ^ b),
                Op::I64Shl => bin64!(|a, b| a.wrapping_shl(b as u32)),
                Op::I64ShrS => bin64!(|a, b| (a as i64).wrapping_shr(b as u32) as u64),
                Op::I64ShrU => bin64!(|a, b| a.wrapping_shr(b as u32)),
                Op::I64Rotl => bin64!(|a, b| a.rotate_left((b & 63) as u32)),
                Op::I64Rotr => bin64!(|a, b| a.rotate_right((b & 63) as u32)),
                Op::F32Abs => un32!(|a| (a & 0x7fff_ffff) as u64),
                Op::F32Neg => un32!(|a| (a ^ 0x8000_0000) as u64),
                Op::F32Copysign => bin32!(|a, b| ((a & 0x7fff_ffff) | (b & 0x8000_0000)) as u64),
                Op::F64Abs => un64!(|a| a & 0x7fff_ffff_ffff_ffff),
                Op::F64Neg => un64!(|a| a ^ 0x8000_0000_0000_0000),
                Op::F64Copysign => {
                    bin64!(|a, b| (a & 0x7fff_ffff_ffff_ffff) | (b & 0x8000_0000_0000_0000))
                }
                Op::F32Ceil => unf32!(numeric::f32_ceil),
                Op::F32Floor => unf32!(numeric::f32_floor),
                Op::F32Trunc => unf32!(numeric::f32_trunc),
                Op::F32Nearest => unf32!(numeric::f32_nearest),
                Op::F32Sqrt => unf32!(numeric::f32_sqrt),
                Op::F32Add => binf32!(numeric::f32_add),
                Op::F32Sub => binf32!(numeric::f32_sub),
                Op::F32Mul => binf32!(numeric::f32_mul),
                Op::F32Div => binf32!(numeric::f32_div),
                Op::F32Min => binf32!(numeric::f32_min),
                Op::F32Max => binf32!(numeric::f32_max),
                Op::F64Ceil => unf64!(numeric::f64_ceil),
                Op::F64Floor => unf64!(numeric::f64_floor),
                Op::F64Trunc => unf64!(numeric::f64_trunc),
                Op::F64Nearest => unf64!(numeric::f64_nearest),
                Op::F64Sqrt => unf64!(numeric::f64_sqrt),
                Op::F64Add => binf64!(numeric::f64_add),
                Op::F64Sub => binf64!(numeric::f64_sub),
                Op::F64Mul => binf64!(numeric::f64_mul),
                Op::F64Div => binf64!(numeric::f64_div),
                Op::F64Min => binf64!(numeric::f64_min),
                Op::F64Max => binf64!(numeric::f64_max),
                Op::I32WrapI64 => un64!(|a| a as u32 as u64),
                Op::I64ExtendI32S => un64!(|a| a as u32 as i32 as i64 as u64),
                Op::I64ExtendI32U => un64!(|a| a as u32 as u64),
                Op::I32Extend8S => un32!(|a| a as i8 as i32 as u32 as u64),
                Op::I32Extend16S => un32!(|a| a as i16 as i32 as u32 as u64),
                Op::I64Extend8S => un64!(|a| a as i8 as i64 as u64),
                Op::I64Extend16S => un64!(|a| a as i16 as i64 as u64),
                Op::I64Extend32S => un64!(|a| a as i32 as i64 as u64),
                Op::I32ReinterpretF32 | Op::F32ReinterpretI32 => un32!(|a| a as u64),
                Op::I64ReinterpretF64 | Op::F64ReinterpretI64 => {}
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
                Op::F32ConvertI32S => un32!(|a| (a as i32 as f32).to_bits() as u64),
                Op::F32ConvertI32U => un32!(|a| (a as f32).to_bits() as u64),
                Op::F32ConvertI64S => un64!(|a| (a as i64 as f32).to_bits() as u64),
                Op::F32ConvertI64U => un64!(|a| (a as f32).to_bits() as u64),
                Op::F64ConvertI32S => un32!(|a| (a as i32 as f64).to_bits()),
                Op::F64ConvertI32U => un32!(|a| (a as f64).to_bits()),
                Op::F64ConvertI64S => un64!(|a| (a as i64 as f64).to_bits()),
                Op::F64ConvertI64U => un64!(|a| (a as f64).to_bits()),
                Op::F32DemoteF64 => un64!(|a| numeric::f32_demote(a) as u64),
                Op::F64PromoteF32 => un32!(numeric::f64_promote),
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
                let b = ((stack[(sp - 1) & M] as u128) << 64 | stack[(sp - 2) & M] as u128)
                    .to_le_bytes();
                let a = ((stack[(sp - 3) & M] as u128) << 64 | stack[(sp - 4) & M] as u128)
                    .to_le_bytes();
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
                pc += 3;
                continue;
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
                    Op::V128Load8Lane
                        | Op::V128Load16Lane
                        | Op::V128Load32Lane
                        | Op::V128Load64Lane
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
                pc += 2;
                continue;
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
                    Op::I64Load8S => {
                        stack[(sp - 1) & M] = ld!(data, 1, offset)[0] as i8 as i64 as u64
                    }
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
                            Op::V128Load8Splat => {
                                u128::from_le_bytes([ld!(data, 1, offset)[0]; 16])
                            }
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
        }
        pc += 1;
    }
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

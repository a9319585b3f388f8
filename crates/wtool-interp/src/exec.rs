//! The executor's entry points: `invoke` (typed arguments and results),
//! the driver loop over the threaded handlers (`handlers.rs`), and the
//! stack-form instructions (SIMD, tables, bulk memory). Values live in a
//! stack of untyped 64-bit slots; a wasm call pushes a frame on an explicit
//! frame stack and never recurses natively, so deep recursion ends in the
//! "call stack exhausted" trap at the configured depth.

use wtool_ast::{Op, ValType};

use crate::code::Inst;
use crate::handlers::{self, Cx, Exit, Frame};
use crate::ins::Ins;
use crate::memops;
use crate::numeric;
use crate::store::{Caller, FuncInst, Store};
use crate::trap::{BacktraceFrame, Trap, TrapKind};
use crate::values::{FuncAddr, Value};

/// Slots of the value stack. Frames live inside its first
/// `Config::max_stack_slots` slots (checked at every call); the
/// out-of-line stack-form instructions index it with `i & M`.
pub(crate) const STACK_SLOTS: usize = 1 << 20;
pub(crate) const M: usize = STACK_SLOTS - 1;

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
            .any(|(a, &t)| !store.value_matches(a, t))
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
            // A host function calling back in starts a second stack,
            // which the collector would not see: only the outermost run
            // collects.
            store.heap.depth += 1;
            let r = run(store, &mut stack, f.0, sp);
            store.heap.depth -= 1;
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

/// The backtrace entry of function `func` stopped at `ip`.
fn frame_of(store: &Store, func: u32, ip: *const Inst) -> Option<BacktraceFrame> {
    let Some(FuncInst::Wasm(w)) = store.funcs.get(func as usize) else {
        return None;
    };
    let name = store
        .instances
        .get(w.instance as usize)
        .and_then(|i| i.func_names.get(&w.index))
        .cloned();
    let offset = w
        .code()
        .and_then(|c| c.index_of(ip).and_then(|at| c.offsets.get(at)).copied())
        .filter(|&o| o != u32::MAX);
    Some(BacktraceFrame {
        func_index: w.index,
        func_name: name,
        offset,
    })
}

fn backtrace(store: &Store, frames: &[Frame], ip: *const Inst, func: u32) -> Vec<BacktraceFrame> {
    let mut out: Vec<BacktraceFrame> = frame_of(store, func, ip).into_iter().collect();
    for fr in frames.iter().rev().take(MAX_BACKTRACE - 1) {
        out.extend(frame_of(store, fr.func, fr.ret_ip.wrapping_sub(1)));
    }
    out
}

/// Handlers chained between returns to the driver loop, in builds with
/// debug assertions (see `handlers`).
#[cfg(debug_assertions)]
const BUDGET: u32 = 256;

/// Runs wasm function `func` whose arguments occupy `stack[..sp0]`; on
/// success its results are at `stack[0..]`.
fn run(store: &mut Store, stack: &mut Stack, func: u32, sp0: usize) -> Result<(), Trap> {
    let limit = (store.config.max_stack_slots as usize).min(STACK_SLOTS);
    // Frames are pushed per call made; the entry function has none, so
    // `max_call_depth` nested functions need one fewer.
    let max_depth = (store.config.max_call_depth as usize).saturating_sub(1);
    if let Err(kind) = store.translate(func) {
        return Err(Trap {
            kind,
            backtrace: Vec::new(),
        });
    }
    let Some(FuncInst::Wasm(w)) = store.funcs.get(func as usize) else {
        return Err(Trap::host("not a wasm function"));
    };
    let Some(c) = w.code() else {
        return Err(Trap::new(TrapKind::Internal("function not translated")));
    };
    let (entry, ls, mh, ps, inst, mem0) = (
        c.code().as_ptr(),
        c.local_slots as usize,
        c.max_height as usize,
        c.param_slots as usize,
        w.instance,
        w.mem0,
    );
    if sp0 != ps || mh > limit {
        return Err(Trap {
            kind: TrapKind::CallStackExhausted,
            backtrace: backtrace(store, &[], entry, func),
        });
    }
    stack[ps..ps + ls].fill(0);
    let base = stack.as_mut_ptr();
    let (funcs, globals) = store
        .instances
        .get(inst as usize)
        .map(|d| (d.hot_funcs.clone(), d.hot_globals.clone()))
        .unwrap_or_default();
    let mut cx = Cx {
        store,
        frames: Vec::with_capacity(64),
        func,
        inst,
        funcs,
        globals,
        mem0,
        stack: base,
        stack_len: STACK_SLOTS,
        limit,
        top: sp0 + ls,
        max_depth,
        ip: entry,
        sp: base,
        mem: std::ptr::null_mut(),
        len: 0,
        trap: None,
        acc: 0,
        facc: 0.0,
        #[cfg(debug_assertions)]
        budget: BUDGET,
    };
    let (mut mem, mut len) = cx.mem_view();
    let (mut ip, mut sp) = (entry, base);
    let (mut acc, mut facc) = (0u64, 0f64);
    loop {
        #[cfg(debug_assertions)]
        {
            cx.budget = BUDGET;
        }
        match handlers::dispatch(ip, sp, mem, len, &mut cx, acc, facc) {
            Exit::Yield => {
                (ip, sp, mem, len) = (cx.ip, cx.sp, cx.mem, cx.len);
                (acc, facc) = (cx.acc, cx.facc);
            }
            Exit::Done => return Ok(()),
            Exit::Trap => {
                let mut kind = cx.trap.take().unwrap_or(TrapKind::Unreachable);
                if let TrapKind::Exception(t) = &mut kind {
                    if let Some(at) = crate::exn::unwind(&mut cx, t.exn) {
                        (ip, sp) = at;
                        (mem, len) = cx.mem_view();
                        continue;
                    }
                    if t.text.is_empty() {
                        t.text = cx.store.describe_exn(t.exn);
                    }
                }
                let backtrace = backtrace(cx.store, &cx.frames, cx.ip, cx.func);
                return Err(Trap { kind, backtrace });
            }
        }
    }
}

/// Executes the stack-form instruction `ins` at `pc` with the top of the
/// operand stack at `sp`; returns the next instruction's position and the
/// new top. Out of line: these big, rare handlers would otherwise crowd the
/// registers of the main loop.
#[inline(never)]
#[allow(clippy::redundant_closure_call)]
pub(crate) fn stack_op(
    store: &mut Store,
    stack: &mut [u64],
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
    match ins {
        Ins::TableGet(_)
        | Ins::TableSet(_)
        | Ins::TableSize(_)
        | Ins::TableGrow(_)
        | Ins::TableFill(_)
        | Ins::TableCopy { .. }
        | Ins::TableInit { .. }
        | Ins::TableIdx64 => sp = memops::table_op(store, stack, sp, ins)?,
        Ins::ElemDrop(e) => {
            if let Some(e) = store.elems.get_mut(e as usize) {
                *e = Vec::new();
            }
        }
        Ins::MemorySize(_)
        | Ins::MemoryGrow(_)
        | Ins::MemoryFill(_)
        | Ins::MemoryCopy { .. }
        | Ins::MemoryInit { .. } => sp = memops::memory_op(store, stack, sp, ins)?,
        Ins::DataDrop(d) => {
            if let Some(d) = store.datas.get_mut(d as usize) {
                *d = Vec::new();
            }
        }
        Ins::Gc(op) => sp = crate::gc::run(store, stack, sp, op)?,
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
            Op::I64Add128 | Op::I64Sub128 | Op::I64MulWideS | Op::I64MulWideU => {
                sp = crate::wide::exec(op, stack, sp)?
            }
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
            sp = memops::lane(store, stack, sp, op, lane, mem, *off)?;
            return Ok((pc + 2, sp));
        }
        Ins::Mem { op, mem, offset } => sp = memops::access(store, stack, sp, op, mem, offset)?,
        _ => trap!(TrapKind::Unreachable),
    }
    Ok((pc + 1, sp))
}

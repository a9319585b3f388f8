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
        c.code.as_ptr(),
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
    let mut cx = Cx {
        store,
        frames: Vec::with_capacity(64),
        func,
        inst,
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
        #[cfg(debug_assertions)]
        budget: BUDGET,
    };
    let (mut mem, mut len) = cx.mem_view();
    let (mut ip, mut sp) = (entry, base);
    loop {
        #[cfg(debug_assertions)]
        {
            cx.budget = BUDGET;
        }
        match handlers::dispatch(ip, sp, mem, len, &mut cx) {
            Exit::Yield => (ip, sp, mem, len) = (cx.ip, cx.sp, cx.mem, cx.len),
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
    macro_rules! mem {
        ($m:expr) => {
            match store.mems.get_mut($m as usize) {
                Some(m) => m.bytes_mut(),
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

    // The three operands of the bulk table and memory operations: a
    // destination index, a source (index or value) and a count.
    macro_rules! pop3 {
        () => {{
            let n = stack[(sp - 1) & M] as u32 as usize;
            let x = stack[(sp - 2) & M];
            let d = stack[(sp - 3) & M] as u32 as usize;
            sp -= 3;
            (d, x, n)
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
            let (d, v, n) = pop3!();
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
            let (d, s, n) = pop3!();
            let s = s as u32 as usize;
            let ok = table_copy(store, dst, src, d, s, n);
            if !ok {
                trap!(TrapKind::TableOutOfBounds);
            }
        }
        Ins::TableInit { table, elem } => {
            let (d, s, n) = pop3!();
            let s = s as u32 as usize;
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
                .and_then(|m| m.grow(n.into()))
                .map_or(u32::MAX, |old| old as u32);
            stack[(sp - 1) & M] = r as u64;
        }
        Ins::MemoryFill(m) => {
            let (d, v, n) = pop3!();
            let v = v as u8;
            let data = mem!(m);
            match data.get_mut(d..d + n) {
                Some(s) => s.fill(v),
                None => trap!(TrapKind::MemoryOutOfBounds),
            }
        }
        Ins::MemoryCopy { dst, src } => {
            let (d, s, n) = pop3!();
            let s = s as u32 as usize;
            if !memory_copy(store, dst, src, d, s, n) {
                trap!(TrapKind::MemoryOutOfBounds);
            }
        }
        Ins::MemoryInit { mem, data } => {
            let (d, s, n) = pop3!();
            let s = s as u32 as usize;
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
        store.mems.get(src as usize).map(|m| m.len()),
        store.mems.get(dst as usize).map(|m| m.len()),
    ) else {
        return false;
    };
    if s.checked_add(n).is_none_or(|e| e > sl) || d.checked_add(n).is_none_or(|e| e > dl) {
        return false;
    }
    if dst == src {
        store.mems[dst as usize]
            .bytes_mut()
            .copy_within(s..s + n, d);
    } else {
        let tmp: Vec<u8> = store.mems[src as usize].bytes()[s..s + n].to_vec();
        store.mems[dst as usize].bytes_mut()[d..d + n].copy_from_slice(&tmp);
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
    match d.checked_add(n).and_then(|e| m.bytes_mut().get_mut(d..e)) {
        Some(dst) => {
            dst.copy_from_slice(src);
            true
        }
        None => false,
    }
}

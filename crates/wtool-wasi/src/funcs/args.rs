//! Arguments, environment, clocks, randomness and process control.

use rustix::time::ClockId;

use super::WasiResult;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::memory::GuestMemory;
use crate::types::clockid;

/// How a call ended other than by returning an errno.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// `proc_exit(code)`: the program ended with this status.
    Exit(u32),
    /// The call cannot be completed as a function call (e.g. wrong arguments from the glue).
    Trap(String),
}

impl std::fmt::Display for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Signal::Exit(code) => write!(f, "exit with status {code}"),
            Signal::Trap(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Signal {}

/// Writes a list of NUL-terminated strings (`args_get` / `environ_get`): the
/// pointer array at `ptrs`, the bytes at `buf`. Both are checked before
/// anything is written.
fn write_strings(mem: &mut dyn GuestMemory, list: &[Vec<u8>], ptrs: u32, buf: u32) -> WasiResult {
    let total: u64 = list.iter().map(|s| s.len() as u64 + 1).sum();
    mem.check(ptrs, list.len() as u64 * 4)?;
    mem.check(buf, total)?;
    let mut at = u64::from(buf);
    for (i, s) in list.iter().enumerate() {
        let slot = u32::try_from(u64::from(ptrs) + i as u64 * 4).map_err(|_| Errno::Fault)?;
        let p = u32::try_from(at).map_err(|_| Errno::Fault)?;
        mem.write_u32(slot, p)?;
        mem.write(p, s)?;
        let nul = u32::try_from(at + s.len() as u64).map_err(|_| Errno::Fault)?;
        mem.write(nul, &[0])?;
        at += s.len() as u64 + 1;
    }
    Ok(())
}

fn write_sizes(
    mem: &mut dyn GuestMemory,
    list: &[Vec<u8>],
    count_ptr: u32,
    size_ptr: u32,
) -> WasiResult {
    let total: u64 = list.iter().map(|s| s.len() as u64 + 1).sum();
    let count = u32::try_from(list.len()).map_err(|_| Errno::Overflow)?;
    let total = u32::try_from(total).map_err(|_| Errno::Overflow)?;
    mem.check(count_ptr, 4)?;
    mem.check(size_ptr, 4)?;
    mem.write_u32(count_ptr, count)?;
    mem.write_u32(size_ptr, total)
}

/// `args_get(argv, argv_buf)`
pub fn args_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    argv: u32,
    argv_buf: u32,
) -> WasiResult {
    write_strings(mem, &ctx.args, argv, argv_buf)
}

/// `args_sizes_get(argc_ptr, argv_buf_size_ptr)`
pub fn args_sizes_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    argc: u32,
    size: u32,
) -> WasiResult {
    write_sizes(mem, &ctx.args, argc, size)
}

/// `environ_get(environ, environ_buf)`
pub fn environ_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    environ: u32,
    buf: u32,
) -> WasiResult {
    write_strings(mem, &ctx.env, environ, buf)
}

/// `environ_sizes_get(count_ptr, buf_size_ptr)`
pub fn environ_sizes_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    count: u32,
    size: u32,
) -> WasiResult {
    write_sizes(mem, &ctx.env, count, size)
}

fn host_clock(id: u32) -> Result<ClockId, Errno> {
    match id {
        clockid::REALTIME => Ok(ClockId::Realtime),
        clockid::MONOTONIC => Ok(ClockId::Monotonic),
        clockid::PROCESS_CPUTIME_ID => Ok(ClockId::ProcessCPUTime),
        clockid::THREAD_CPUTIME_ID => Ok(ClockId::ThreadCPUTime),
        _ => Err(Errno::Inval),
    }
}

fn timespec_nanos(t: rustix::time::Timespec) -> u64 {
    let ns = i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec);
    u64::try_from(ns).unwrap_or(0)
}

/// The current time of preview1 clock `id` in nanoseconds.
pub fn now(id: u32) -> Result<u64, Errno> {
    Ok(timespec_nanos(rustix::time::clock_gettime(host_clock(id)?)))
}

/// `clock_res_get(id, resolution_ptr)`
pub fn clock_res_get(
    _ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    id: u32,
    ptr: u32,
) -> WasiResult {
    let res = timespec_nanos(rustix::time::clock_getres(host_clock(id)?)).max(1);
    mem.write_u64(ptr, res)
}

/// `clock_time_get(id, precision, time_ptr)`
pub fn clock_time_get(
    _ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    id: u32,
    _precision: u64,
    ptr: u32,
) -> WasiResult {
    let t = now(id)?;
    mem.write_u64(ptr, t)
}

/// `random_get(buf, buf_len)`: fills the guest buffer from the kernel's CSPRNG.
pub fn random_get(_ctx: &mut WasiCtx, mem: &mut dyn GuestMemory, buf: u32, len: u32) -> WasiResult {
    let out = mem.slice_mut(buf, len)?;
    let mut filled = 0;
    while let Some(rest) = out.get_mut(filled..).filter(|r| !r.is_empty()) {
        match rustix::rand::getrandom(rest, rustix::rand::GetRandomFlags::empty()) {
            Ok(0) => return Err(Errno::Io),
            Ok(n) => filled += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// `proc_exit(code)`: never returns normally.
pub fn proc_exit(_ctx: &mut WasiCtx, code: u32) -> Signal {
    Signal::Exit(code)
}

/// `proc_raise(sig)`: signals are not supported.
pub fn proc_raise(_ctx: &mut WasiCtx, _sig: u32) -> WasiResult {
    Err(Errno::Nosys)
}

/// `sched_yield()`
pub fn sched_yield(_ctx: &mut WasiCtx) -> WasiResult {
    std::thread::yield_now();
    Ok(())
}

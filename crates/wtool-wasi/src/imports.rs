//! The import table (name and wasm signature of every preview1 function) and
//! the dispatcher an engine calls with raw argument slots.

use wtool_ast::ValType;

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::funcs::args::{self, Signal};
use crate::funcs::{fd, path, poll, WasiResult};
use crate::memory::GuestMemory;

/// The import module name.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// One preview1 import: its name and wasm signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportSig {
    /// The field name under [`MODULE`].
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [ValType],
    /// Result types (`[i32]` — the errno — for all but `proc_exit`).
    pub results: &'static [ValType],
}

const I: ValType = ValType::I32;
const L: ValType = ValType::I64;
const ERRNO: &[ValType] = &[I];

const fn sig(name: &'static str, params: &'static [ValType]) -> ImportSig {
    ImportSig {
        name,
        params,
        results: ERRNO,
    }
}

static IMPORTS: &[ImportSig] = &[
    sig("args_get", &[I, I]),
    sig("args_sizes_get", &[I, I]),
    sig("environ_get", &[I, I]),
    sig("environ_sizes_get", &[I, I]),
    sig("clock_res_get", &[I, I]),
    sig("clock_time_get", &[I, L, I]),
    sig("fd_advise", &[I, L, L, I]),
    sig("fd_allocate", &[I, L, L]),
    sig("fd_close", &[I]),
    sig("fd_datasync", &[I]),
    sig("fd_fdstat_get", &[I, I]),
    sig("fd_fdstat_set_flags", &[I, I]),
    sig("fd_fdstat_set_rights", &[I, L, L]),
    sig("fd_filestat_get", &[I, I]),
    sig("fd_filestat_set_size", &[I, L]),
    sig("fd_filestat_set_times", &[I, L, L, I]),
    sig("fd_pread", &[I, I, I, L, I]),
    sig("fd_prestat_get", &[I, I]),
    sig("fd_prestat_dir_name", &[I, I, I]),
    sig("fd_pwrite", &[I, I, I, L, I]),
    sig("fd_read", &[I, I, I, I]),
    sig("fd_readdir", &[I, I, I, L, I]),
    sig("fd_renumber", &[I, I]),
    sig("fd_seek", &[I, L, I, I]),
    sig("fd_sync", &[I]),
    sig("fd_tell", &[I, I]),
    sig("fd_write", &[I, I, I, I]),
    sig("path_create_directory", &[I, I, I]),
    sig("path_filestat_get", &[I, I, I, I, I]),
    sig("path_filestat_set_times", &[I, I, I, I, L, L, I]),
    sig("path_link", &[I, I, I, I, I, I, I]),
    sig("path_open", &[I, I, I, I, I, L, L, I, I]),
    sig("path_readlink", &[I, I, I, I, I, I]),
    sig("path_remove_directory", &[I, I, I]),
    sig("path_rename", &[I, I, I, I, I, I]),
    sig("path_symlink", &[I, I, I, I, I]),
    sig("path_unlink_file", &[I, I, I]),
    sig("poll_oneoff", &[I, I, I, I]),
    ImportSig {
        name: "proc_exit",
        params: &[I],
        results: &[],
    },
    sig("proc_raise", &[I]),
    sig("sched_yield", &[]),
    sig("random_get", &[I, I]),
    sig("sock_accept", &[I, I, I]),
    sig("sock_recv", &[I, I, I, I, I, I]),
    sig("sock_send", &[I, I, I, I, I]),
    sig("sock_shutdown", &[I, I]),
];

/// Every preview1 function, with its wasm signature.
pub fn imports() -> &'static [ImportSig] {
    IMPORTS
}

/// The signature of the preview1 function `name`, if there is one.
pub fn signature(name: &str) -> Option<&'static ImportSig> {
    IMPORTS.iter().find(|s| s.name == name)
}

/// Calls preview1 function `name` with the raw argument slots (an `i32` in the
/// low 32 bits of its slot). `Ok(Some(errno))` for functions returning an
/// errno; `Err(Signal::Exit)` from `proc_exit`; `Err(Signal::Trap)` for an
/// unknown name or a wrong argument count (a linking bug in the caller, not
/// something a guest can cause once imports were checked against [`imports()`]).
pub fn call(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    name: &str,
    args: &[u64],
) -> Result<Option<i32>, Signal> {
    let sig = signature(name)
        .ok_or_else(|| Signal::Trap(format!("unknown WASI function {MODULE}::{name}")))?;
    if args.len() != sig.params.len() {
        return Err(Signal::Trap(format!(
            "{name}: expected {} arguments, got {}",
            sig.params.len(),
            args.len()
        )));
    }
    // Slots past the count checked above read as 0, so this never indexes out of bounds.
    let i = |n: usize| args.get(n).copied().unwrap_or(0) as u32;
    let l = |n: usize| args.get(n).copied().unwrap_or(0);
    let r: WasiResult = match name {
        "args_get" => args::args_get(ctx, mem, i(0), i(1)),
        "args_sizes_get" => args::args_sizes_get(ctx, mem, i(0), i(1)),
        "environ_get" => args::environ_get(ctx, mem, i(0), i(1)),
        "environ_sizes_get" => args::environ_sizes_get(ctx, mem, i(0), i(1)),
        "clock_res_get" => args::clock_res_get(ctx, mem, i(0), i(1)),
        "clock_time_get" => args::clock_time_get(ctx, mem, i(0), l(1), i(2)),
        "fd_advise" => fd::fd_advise(ctx, mem, i(0), l(1), l(2), i(3)),
        "fd_allocate" => fd::fd_allocate(ctx, mem, i(0), l(1), l(2)),
        "fd_close" => fd::fd_close(ctx, mem, i(0)),
        "fd_datasync" => fd::fd_datasync(ctx, mem, i(0)),
        "fd_fdstat_get" => fd::fd_fdstat_get(ctx, mem, i(0), i(1)),
        "fd_fdstat_set_flags" => fd::fd_fdstat_set_flags(ctx, mem, i(0), i(1)),
        "fd_fdstat_set_rights" => fd::fd_fdstat_set_rights(ctx, mem, i(0), l(1), l(2)),
        "fd_filestat_get" => fd::fd_filestat_get(ctx, mem, i(0), i(1)),
        "fd_filestat_set_size" => fd::fd_filestat_set_size(ctx, mem, i(0), l(1)),
        "fd_filestat_set_times" => fd::fd_filestat_set_times(ctx, mem, i(0), l(1), l(2), i(3)),
        "fd_pread" => fd::fd_pread(ctx, mem, i(0), i(1), i(2), l(3), i(4)),
        "fd_prestat_get" => fd::fd_prestat_get(ctx, mem, i(0), i(1)),
        "fd_prestat_dir_name" => fd::fd_prestat_dir_name(ctx, mem, i(0), i(1), i(2)),
        "fd_pwrite" => fd::fd_pwrite(ctx, mem, i(0), i(1), i(2), l(3), i(4)),
        "fd_read" => fd::fd_read(ctx, mem, i(0), i(1), i(2), i(3)),
        "fd_readdir" => fd::fd_readdir(ctx, mem, i(0), i(1), i(2), l(3), i(4)),
        "fd_renumber" => fd::fd_renumber(ctx, mem, i(0), i(1)),
        "fd_seek" => fd::fd_seek(ctx, mem, i(0), l(1), i(2), i(3)),
        "fd_sync" => fd::fd_sync(ctx, mem, i(0)),
        "fd_tell" => fd::fd_tell(ctx, mem, i(0), i(1)),
        "fd_write" => fd::fd_write(ctx, mem, i(0), i(1), i(2), i(3)),
        "path_create_directory" => path::path_create_directory(ctx, mem, i(0), i(1), i(2)),
        "path_filestat_get" => path::path_filestat_get(ctx, mem, i(0), i(1), i(2), i(3), i(4)),
        "path_filestat_set_times" => {
            path::path_filestat_set_times(ctx, mem, i(0), i(1), i(2), i(3), l(4), l(5), i(6))
        }
        "path_link" => path::path_link(ctx, mem, i(0), i(1), i(2), i(3), i(4), i(5), i(6)),
        "path_open" => path::path_open(
            ctx,
            mem,
            i(0),
            i(1),
            i(2),
            i(3),
            i(4),
            l(5),
            l(6),
            i(7),
            i(8),
        ),
        "path_readlink" => path::path_readlink(ctx, mem, i(0), i(1), i(2), i(3), i(4), i(5)),
        "path_remove_directory" => path::path_remove_directory(ctx, mem, i(0), i(1), i(2)),
        "path_rename" => path::path_rename(ctx, mem, i(0), i(1), i(2), i(3), i(4), i(5)),
        "path_symlink" => path::path_symlink(ctx, mem, i(0), i(1), i(2), i(3), i(4)),
        "path_unlink_file" => path::path_unlink_file(ctx, mem, i(0), i(1), i(2)),
        "poll_oneoff" => poll::poll_oneoff(ctx, mem, i(0), i(1), i(2), i(3)),
        "proc_exit" => return Err(args::proc_exit(ctx, i(0))),
        "proc_raise" => args::proc_raise(ctx, i(0)),
        "sched_yield" => args::sched_yield(ctx),
        "random_get" => args::random_get(ctx, mem, i(0), i(1)),
        // No sockets can exist: nothing to accept, send or receive on.
        "sock_accept" | "sock_recv" | "sock_send" | "sock_shutdown" => Err(Errno::Notsup),
        _ => Err(Errno::Nosys),
    };
    Ok(Some(i32::from(r.err().unwrap_or(Errno::Success).code())))
}

/// The errno value of a function's result, as the guest receives it.
pub fn errno_code(r: WasiResult) -> i32 {
    i32::from(r.err().unwrap_or(Errno::Success).code())
}

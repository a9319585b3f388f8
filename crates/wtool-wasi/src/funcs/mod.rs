//! The preview1 functions, one Rust function per import. Each takes the
//! context, the guest memory and the import's arguments (`i32` parameters as
//! `u32`, `i64` as `u64`, both reinterpreted bit for bit) and returns `Ok(())`
//! for `errno::success` or the errno the guest sees.

pub mod args;
pub mod fd;
pub mod path;
pub mod poll;

use rustix::fd::AsFd;
use rustix::fd::BorrowedFd;

use crate::ctx::{Kind, WasiCtx};
use crate::errno::Errno;
use crate::memory::GuestMemory;
use crate::sandbox::MAX_PATH;

/// The result every preview1 function returns.
pub type WasiResult = Result<(), Errno>;

/// The directory handle behind `fd`, after checking it holds `needed`.
pub(crate) fn dir_fd(ctx: &WasiCtx, fd: u32, needed: u64) -> Result<BorrowedFd<'_>, Errno> {
    let e = ctx.entry(fd)?;
    let Kind::Dir(d) = &e.kind else {
        return Err(Errno::Notdir);
    };
    e.require(needed)?;
    Ok(d.fd.as_fd())
}

/// A guest path string, bounds-checked, then length-checked, then copied.
pub(crate) fn guest_bytes(mem: &dyn GuestMemory, ptr: u32, len: u32) -> Result<Vec<u8>, Errno> {
    let bytes = mem.read(ptr, len)?;
    if bytes.len() > MAX_PATH {
        return Err(Errno::Nametoolong);
    }
    Ok(bytes.to_vec())
}

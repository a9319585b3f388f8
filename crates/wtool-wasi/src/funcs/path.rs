//! `path_*`: operations on names inside a directory capability. Every path
//! goes through [`crate::sandbox::resolve`], and every host call on the final
//! name is an `*at` call that does not follow links.

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno as H;

use super::{dir_fd, guest_bytes, WasiResult};
use crate::ctx::{DirFd, Entry, Kind, WasiCtx};
use crate::errno::Errno;
use crate::host;
use crate::memory::GuestMemory;
use crate::sandbox::{check_path, resolve, MAX_SYMLINKS};
use crate::types::{fdflags, lookupflags, oflags, rights, size};

fn follows(flags: u32) -> Result<bool, Errno> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval);
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

/// The host open flags for a preview1 `path_open`.
fn open_flags(of: u16, fdf: u16, base: u64) -> OFlags {
    let want_write = base & rights::NEED_WRITE != 0 || of & oflags::TRUNC != 0;
    let want_read = base & (rights::FD_READ | rights::FD_READDIR) != 0;
    let mut f = if of & oflags::DIRECTORY != 0 || !want_write {
        OFlags::RDONLY
    } else if want_read {
        OFlags::RDWR
    } else {
        OFlags::WRONLY
    };
    f |= OFlags::CLOEXEC | OFlags::NOFOLLOW | OFlags::NOCTTY;
    for (bit, host) in [
        (oflags::CREAT, OFlags::CREATE),
        (oflags::DIRECTORY, OFlags::DIRECTORY),
        (oflags::EXCL, OFlags::EXCL),
        (oflags::TRUNC, OFlags::TRUNC),
    ] {
        if of & bit != 0 {
            f |= host;
        }
    }
    for (bit, host) in [
        (fdflags::APPEND, OFlags::APPEND),
        (fdflags::DSYNC, OFlags::DSYNC),
        (fdflags::NONBLOCK, OFlags::NONBLOCK),
        (fdflags::RSYNC, OFlags::SYNC),
        (fdflags::SYNC, OFlags::SYNC),
    ] {
        if fdf & bit != 0 {
            f |= host;
        }
    }
    f
}

/// `path_open(fd, dirflags, path, path_len, oflags, fs_rights_base,
/// fs_rights_inheriting, fdflags, opened_fd_ptr)`
///
/// The new descriptor's rights are the ones requested, which must be a subset
/// of the directory's inheriting rights (`ENOTCAPABLE` otherwise); creating
/// needs `path_create_file`, truncating `path_filestat_set_size`.
#[allow(clippy::too_many_arguments)]
pub fn path_open(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags_in: u32,
    base: u64,
    inheriting: u64,
    fdflags_in: u32,
    opened: u32,
) -> WasiResult {
    let path = guest_bytes(mem, path, path_len)?;
    mem.check(opened, 4)?;
    let follow = follows(dirflags)?;
    let of = u16::try_from(oflags_in).map_err(|_| Errno::Inval)?;
    let fdf = u16::try_from(fdflags_in).map_err(|_| Errno::Inval)?;
    if of & !(oflags::CREAT | oflags::DIRECTORY | oflags::EXCL | oflags::TRUNC) != 0 || fdf > 0x1f {
        return Err(Errno::Inval);
    }
    let mut needed = rights::PATH_OPEN;
    if of & oflags::CREAT != 0 {
        needed |= rights::PATH_CREATE_FILE;
    }
    if of & oflags::TRUNC != 0 {
        needed |= rights::PATH_FILESTAT_SET_SIZE;
    }
    let dir = dir_fd(ctx, fd, needed)?;
    let dir_inheriting = ctx.entry(fd)?.inheriting;
    if base & !dir_inheriting != 0 || inheriting & !dir_inheriting != 0 {
        return Err(Errno::Notcapable);
    }
    let mut flags = open_flags(of, fdf, base);
    // A link swapped in between resolution and open makes the no-follow open
    // fail with ELOOP; resolve again (bounded), which reads the new link.
    let mut attempts = 0;
    let new_fd = loop {
        let r = resolve(dir, &path, follow)?;
        if r.trailing_slash {
            if of & oflags::CREAT != 0 {
                return Err(Errno::Isdir);
            }
            flags |= OFlags::DIRECTORY;
        }
        match rustix::fs::openat(
            &r.parent,
            r.name.as_slice(),
            flags,
            Mode::from_raw_mode(0o666),
        ) {
            Ok(f) => break f,
            Err(H::LOOP) if follow && attempts < MAX_SYMLINKS => attempts += 1,
            Err(e) => return Err(e.into()),
        }
    };
    let st = rustix::fs::fstat(&new_fd)?;
    let kind = if host::stat_filetype(&st) == FileType::Directory {
        Kind::Dir(DirFd {
            fd: new_fd,
            preopen: None,
            listing: None,
        })
    } else {
        Kind::File(new_fd)
    };
    let n = ctx.insert(Entry {
        kind,
        base,
        inheriting,
        stream_flags: 0,
    })?;
    mem.write_u32(opened, n)
}

/// `path_create_directory(fd, path, path_len)`
pub fn path_create_directory(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    let path = guest_bytes(mem, path, path_len)?;
    let dir = dir_fd(ctx, fd, rights::PATH_CREATE_DIRECTORY)?;
    let r = resolve(dir, &path, false)?;
    rustix::fs::mkdirat(&r.parent, r.name.as_slice(), Mode::from_raw_mode(0o777))?;
    Ok(())
}

/// `path_remove_directory(fd, path, path_len)`
pub fn path_remove_directory(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    let path = guest_bytes(mem, path, path_len)?;
    let dir = dir_fd(ctx, fd, rights::PATH_REMOVE_DIRECTORY)?;
    let r = resolve(dir, &path, false)?;
    rustix::fs::unlinkat(&r.parent, r.name.as_slice(), AtFlags::REMOVEDIR)?;
    Ok(())
}

/// `path_unlink_file(fd, path, path_len)`
pub fn path_unlink_file(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    let path = guest_bytes(mem, path, path_len)?;
    let dir = dir_fd(ctx, fd, rights::PATH_UNLINK_FILE)?;
    let r = resolve(dir, &path, false)?;
    if r.trailing_slash {
        let st = rustix::fs::statat(&r.parent, r.name.as_slice(), AtFlags::SYMLINK_NOFOLLOW)?;
        return Err(if host::stat_filetype(&st) == FileType::Directory {
            Errno::Isdir
        } else {
            Errno::Notdir
        });
    }
    rustix::fs::unlinkat(&r.parent, r.name.as_slice(), AtFlags::empty())?;
    Ok(())
}

/// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)`
#[allow(clippy::too_many_arguments)]
pub fn path_rename(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> WasiResult {
    let old = guest_bytes(mem, old_path, old_len)?;
    let new = guest_bytes(mem, new_path, new_len)?;
    let odir = dir_fd(ctx, fd, rights::PATH_RENAME_SOURCE)?;
    let ndir = dir_fd(ctx, new_fd, rights::PATH_RENAME_TARGET)?;
    let o = resolve(odir, &old, false)?;
    let n = resolve(ndir, &new, false)?;
    rustix::fs::renameat(&o.parent, o.name.as_slice(), &n.parent, n.name.as_slice())?;
    Ok(())
}

/// `path_filestat_get(fd, flags, path, path_len, filestat_ptr)`
pub fn path_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> WasiResult {
    let path = guest_bytes(mem, path, path_len)?;
    mem.check(buf, u64::from(size::FILESTAT))?;
    let follow = follows(flags)?;
    let dir = dir_fd(ctx, fd, rights::PATH_FILESTAT_GET)?;
    let r = resolve(dir, &path, follow)?;
    let st = rustix::fs::statat(&r.parent, r.name.as_slice(), AtFlags::SYMLINK_NOFOLLOW)?;
    if r.trailing_slash && host::stat_filetype(&st) != FileType::Directory {
        return Err(Errno::Notdir);
    }
    mem.write(buf, &host::filestat_bytes(&st))
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`
#[allow(clippy::too_many_arguments)]
pub fn path_filestat_set_times(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst: u32,
) -> WasiResult {
    let path = guest_bytes(mem, path, path_len)?;
    let follow = follows(flags)?;
    let ts = super::fd::timestamps(atim, mtim, fst)?;
    let dir = dir_fd(ctx, fd, rights::PATH_FILESTAT_SET_TIMES)?;
    let r = resolve(dir, &path, follow)?;
    rustix::fs::utimensat(&r.parent, r.name.as_slice(), &ts, AtFlags::SYMLINK_NOFOLLOW)?;
    Ok(())
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused_ptr)`: the target,
/// truncated to `buf_len`, not NUL-terminated.
#[allow(clippy::too_many_arguments)]
pub fn path_readlink(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> WasiResult {
    let path = guest_bytes(mem, path, path_len)?;
    mem.check(buf, u64::from(buf_len))?;
    mem.check(bufused, 4)?;
    let dir = dir_fd(ctx, fd, rights::PATH_READLINK)?;
    let r = resolve(dir, &path, false)?;
    let target = rustix::fs::readlinkat(&r.parent, r.name.as_slice(), Vec::new())?.into_bytes();
    let n = target.len().min(buf_len as usize);
    mem.write(buf, &target[..n])?;
    mem.write_u32(bufused, u32::try_from(n).map_err(|_| Errno::Overflow)?)
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: creates
/// `new_path` pointing at `old_path`. Absolute targets are refused
/// (`ENOTCAPABLE`): inside the sandbox they could never resolve.
pub fn path_symlink(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    old_path: u32,
    old_len: u32,
    fd: u32,
    new_path: u32,
    new_len: u32,
) -> WasiResult {
    let target = guest_bytes(mem, old_path, old_len)?;
    let new = guest_bytes(mem, new_path, new_len)?;
    check_path(&target)?;
    let dir = dir_fd(ctx, fd, rights::PATH_SYMLINK)?;
    let r = resolve(dir, &new, false)?;
    rustix::fs::symlinkat(target.as_slice(), &r.parent, r.name.as_slice())?;
    Ok(())
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)`
#[allow(clippy::too_many_arguments)]
pub fn path_link(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> WasiResult {
    let old = guest_bytes(mem, old_path, old_len)?;
    let new = guest_bytes(mem, new_path, new_len)?;
    let follow = follows(old_flags)?;
    let odir = dir_fd(ctx, old_fd, rights::PATH_LINK_SOURCE)?;
    let ndir = dir_fd(ctx, new_fd, rights::PATH_LINK_TARGET)?;
    let o = resolve(odir, &old, follow)?;
    let n = resolve(ndir, &new, false)?;
    rustix::fs::linkat(
        &o.parent,
        o.name.as_slice(),
        &n.parent,
        n.name.as_slice(),
        AtFlags::empty(),
    )?;
    Ok(())
}

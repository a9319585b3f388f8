//! `fd_*`: operations on open descriptors.

use rustix::fd::AsFd;
use rustix::fs::{AtFlags, FileType, OFlags, SeekFrom, Timespec, Timestamps};

use super::WasiResult;
use crate::ctx::{DirFd, Entry, Kind, WasiCtx};
use crate::errno::Errno;
use crate::host;
use crate::memory::{read_iovecs, GuestMemory, IoVec};
use crate::types::{fdflags, filetype, fstflags, rights, size, whence};

/// One directory entry as `fd_readdir` reports it.
#[derive(Clone, Debug)]
pub(crate) struct DirEntry {
    pub ino: u64,
    pub kind: u8,
    pub name: Vec<u8>,
}

fn file_fd(e: &Entry) -> Result<rustix::fd::BorrowedFd<'_>, Errno> {
    match &e.kind {
        Kind::File(fd) => Ok(fd.as_fd()),
        Kind::Dir(_) => Err(Errno::Isdir),
        Kind::Stdin(_) | Kind::Stdout(_) => Err(Errno::Spipe),
    }
}

/// `ESPIPE` for the standard streams, which have no offset whatever rights they hold.
fn not_a_stream(e: &Entry) -> Result<(), Errno> {
    match e.kind {
        Kind::Stdin(_) | Kind::Stdout(_) => Err(Errno::Spipe),
        Kind::File(_) | Kind::Dir(_) => Ok(()),
    }
}

fn u32_len(n: u64) -> Result<u32, Errno> {
    u32::try_from(n).map_err(|_| Errno::Overflow)
}

/// `fd_read(fd, iovs, iovs_len, nread_ptr)`
pub fn fd_read(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> WasiResult {
    let e = ctx.entry_mut(fd)?;
    e.require(rights::FD_READ)?;
    mem.check(nread, 4)?;
    let n = transfer_iovecs(mem, iovs, iovs_len, |mem, v, _| {
        let buf = mem.slice_mut(v.ptr, v.len)?;
        match &mut e.kind {
            Kind::Stdin(s) => s.read(buf),
            Kind::File(f) => rustix::io::read(&*f, buf).map_err(Errno::from),
            Kind::Dir(_) => Err(Errno::Isdir),
            Kind::Stdout(_) => Err(Errno::Badf),
        }
    })?;
    mem.write_u32(nread, n)
}

/// Moves data through each iovec in turn with `one(mem, iovec, bytes_so_far)`,
/// stopping after a short transfer. As with `readv`/`writev`, an error after
/// some bytes moved ends the call with the count so far; the error recurs on
/// the next call.
fn transfer_iovecs(
    mem: &mut dyn GuestMemory,
    iovs: u32,
    iovs_len: u32,
    mut one: impl FnMut(&mut dyn GuestMemory, IoVec, u64) -> Result<usize, Errno>,
) -> Result<u32, Errno> {
    let vecs = read_iovecs(mem, iovs, iovs_len)?;
    let mut total: u64 = 0;
    for v in vecs {
        if v.len == 0 {
            continue;
        }
        let n = match one(mem, v, total) {
            Ok(n) => n,
            Err(_) if total > 0 => break,
            Err(err) => return Err(err),
        };
        total += n as u64;
        if n < v.len as usize {
            break;
        }
    }
    u32_len(total)
}

/// `fd_write(fd, iovs, iovs_len, nwritten_ptr)`
pub fn fd_write(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> WasiResult {
    let e = ctx.entry_mut(fd)?;
    e.require(rights::FD_WRITE)?;
    mem.check(nwritten, 4)?;
    let n = transfer_iovecs(mem, iovs, iovs_len, |mem, v, _| {
        let data = mem.read(v.ptr, v.len)?;
        match &mut e.kind {
            Kind::Stdout(s) => s.write(data),
            Kind::File(f) => rustix::io::write(&*f, data).map_err(Errno::from),
            Kind::Dir(_) => Err(Errno::Isdir),
            Kind::Stdin(_) => Err(Errno::Badf),
        }
    })?;
    mem.write_u32(nwritten, n)
}

/// `fd_pread(fd, iovs, iovs_len, offset, nread_ptr)`
pub fn fd_pread(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    not_a_stream(e)?;
    e.require(rights::FD_READ | rights::FD_SEEK)?;
    let f = file_fd(e)?;
    mem.check(nread, 4)?;
    let n = transfer_iovecs(mem, iovs, iovs_len, |mem, v, done| {
        let at = offset.checked_add(done).ok_or(Errno::Inval)?;
        let buf = mem.slice_mut(v.ptr, v.len)?;
        Ok(rustix::io::pread(f, buf, at)?)
    })?;
    mem.write_u32(nread, n)
}

/// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten_ptr)`
pub fn fd_pwrite(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    not_a_stream(e)?;
    e.require(rights::FD_WRITE | rights::FD_SEEK)?;
    let f = file_fd(e)?;
    mem.check(nwritten, 4)?;
    let n = transfer_iovecs(mem, iovs, iovs_len, |mem, v, done| {
        let at = offset.checked_add(done).ok_or(Errno::Inval)?;
        Ok(rustix::io::pwrite(f, mem.read(v.ptr, v.len)?, at)?)
    })?;
    mem.write_u32(nwritten, n)
}

/// `fd_seek(fd, offset, whence, newoffset_ptr)`
pub fn fd_seek(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    offset: u64,
    whence: u32,
    newoffset: u32,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    not_a_stream(e)?;
    let offset = offset as i64;
    let tell_only = whence == u32::from(whence::CUR) && offset == 0;
    e.require(if tell_only {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    })?;
    let f = file_fd(e)?;
    mem.check(newoffset, 8)?;
    let pos = match u8::try_from(whence) {
        Ok(whence::SET) => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        Ok(whence::CUR) => SeekFrom::Current(offset),
        Ok(whence::END) => SeekFrom::End(offset),
        _ => return Err(Errno::Inval),
    };
    let n = rustix::fs::seek(f, pos)?;
    mem.write_u64(newoffset, n)
}

/// `fd_tell(fd, offset_ptr)`
pub fn fd_tell(ctx: &mut WasiCtx, mem: &mut dyn GuestMemory, fd: u32, ptr: u32) -> WasiResult {
    let e = ctx.entry(fd)?;
    not_a_stream(e)?;
    e.require(rights::FD_TELL)?;
    let f = file_fd(e)?;
    mem.check(ptr, 8)?;
    let n = rustix::fs::tell(f)?;
    mem.write_u64(ptr, n)
}

/// `fd_close(fd)`
pub fn fd_close(ctx: &mut WasiCtx, _mem: &mut dyn GuestMemory, fd: u32) -> WasiResult {
    ctx.fds.remove(&fd).map(drop).ok_or(Errno::Badf)
}

fn sync(ctx: &mut WasiCtx, fd: u32, right: u64, data_only: bool) -> WasiResult {
    let e = ctx.entry(fd)?;
    e.require(right)?;
    let f = match &e.kind {
        Kind::File(f) => f.as_fd(),
        Kind::Dir(d) => d.fd.as_fd(),
        Kind::Stdin(_) | Kind::Stdout(_) => return Ok(()),
    };
    if data_only {
        rustix::fs::fdatasync(f)?;
    } else {
        rustix::fs::fsync(f)?;
    }
    Ok(())
}

/// `fd_sync(fd)`
pub fn fd_sync(ctx: &mut WasiCtx, _mem: &mut dyn GuestMemory, fd: u32) -> WasiResult {
    sync(ctx, fd, rights::FD_SYNC, false)
}

/// `fd_datasync(fd)`
pub fn fd_datasync(ctx: &mut WasiCtx, _mem: &mut dyn GuestMemory, fd: u32) -> WasiResult {
    sync(ctx, fd, rights::FD_DATASYNC, true)
}

fn host_fdflags(f: OFlags) -> u16 {
    let mut out = 0;
    if f.contains(OFlags::APPEND) {
        out |= fdflags::APPEND;
    }
    if f.contains(OFlags::NONBLOCK) {
        out |= fdflags::NONBLOCK;
    }
    if f.contains(OFlags::SYNC) {
        out |= fdflags::SYNC;
    } else if f.contains(OFlags::DSYNC) {
        out |= fdflags::DSYNC;
    }
    out
}

/// `fd_fdstat_get(fd, fdstat_ptr)`
pub fn fd_fdstat_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    ptr: u32,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    let (ft, flags) = match &e.kind {
        Kind::Stdin(_) | Kind::Stdout(_) => (filetype::CHARACTER_DEVICE, e.stream_flags),
        Kind::Dir(d) => (
            filetype::DIRECTORY,
            host_fdflags(rustix::fs::fcntl_getfl(&d.fd)?),
        ),
        Kind::File(f) => {
            let st = rustix::fs::fstat(f)?;
            (
                host::filetype_of(host::stat_filetype(&st)),
                host_fdflags(rustix::fs::fcntl_getfl(f)?),
            )
        }
    };
    let mut b = [0u8; size::FDSTAT as usize];
    b[0] = ft;
    b[2..4].copy_from_slice(&flags.to_le_bytes());
    b[8..16].copy_from_slice(&e.base.to_le_bytes());
    b[16..24].copy_from_slice(&e.inheriting.to_le_bytes());
    mem.write(ptr, &b)
}

/// `fd_fdstat_set_flags(fd, flags)`: `append` and `nonblock` can change;
/// the synchronous-I/O flags cannot be changed after open (`ENOTSUP`).
pub fn fd_fdstat_set_flags(
    ctx: &mut WasiCtx,
    _mem: &mut dyn GuestMemory,
    fd: u32,
    flags: u32,
) -> WasiResult {
    let e = ctx.entry_mut(fd)?;
    e.require(rights::FD_FDSTAT_SET_FLAGS)?;
    let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
    if flags
        & !(fdflags::APPEND | fdflags::DSYNC | fdflags::NONBLOCK | fdflags::RSYNC | fdflags::SYNC)
        != 0
    {
        return Err(Errno::Inval);
    }
    if flags & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC) != 0 {
        return Err(Errno::Notsup);
    }
    let mut host = OFlags::empty();
    if flags & fdflags::APPEND != 0 {
        host |= OFlags::APPEND;
    }
    if flags & fdflags::NONBLOCK != 0 {
        host |= OFlags::NONBLOCK;
    }
    match &e.kind {
        Kind::File(f) => rustix::fs::fcntl_setfl(f, host)?,
        Kind::Dir(d) => rustix::fs::fcntl_setfl(&d.fd, host)?,
        Kind::Stdin(_) | Kind::Stdout(_) => e.stream_flags = flags,
    }
    Ok(())
}

/// `fd_fdstat_set_rights(fd, base, inheriting)`: rights can only be dropped.
pub fn fd_fdstat_set_rights(
    ctx: &mut WasiCtx,
    _mem: &mut dyn GuestMemory,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> WasiResult {
    let e = ctx.entry_mut(fd)?;
    if base & !e.base != 0 || inheriting & !e.inheriting != 0 {
        return Err(Errno::Notcapable);
    }
    e.base = base;
    e.inheriting = inheriting;
    Ok(())
}

/// `fd_filestat_get(fd, filestat_ptr)`
pub fn fd_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    ptr: u32,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    e.require(rights::FD_FILESTAT_GET)?;
    mem.check(ptr, u64::from(size::FILESTAT))?;
    let b = match &e.kind {
        Kind::File(f) => host::filestat_bytes(&rustix::fs::fstat(f)?),
        Kind::Dir(d) => host::filestat_bytes(&rustix::fs::fstat(&d.fd)?),
        Kind::Stdin(_) | Kind::Stdout(_) => {
            let mut b = [0u8; 64];
            b[16] = filetype::CHARACTER_DEVICE;
            b
        }
    };
    mem.write(ptr, &b)
}

/// `fd_filestat_set_size(fd, size)`
pub fn fd_filestat_set_size(
    ctx: &mut WasiCtx,
    _mem: &mut dyn GuestMemory,
    fd: u32,
    len: u64,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    e.require(rights::FD_FILESTAT_SET_SIZE)?;
    let f = file_fd(e).map_err(|_| Errno::Inval)?;
    if len > i64::MAX as u64 {
        return Err(Errno::Fbig);
    }
    rustix::fs::ftruncate(f, len)?;
    Ok(())
}

/// Host timestamps for preview1 (`atim`, `mtim`, `fst_flags`).
pub(crate) fn timestamps(atim: u64, mtim: u64, fst: u32) -> Result<Timestamps, Errno> {
    let fst = u16::try_from(fst).map_err(|_| Errno::Inval)?;
    if fst & !(fstflags::ATIM | fstflags::ATIM_NOW | fstflags::MTIM | fstflags::MTIM_NOW) != 0 {
        return Err(Errno::Inval);
    }
    let one = |t: u64, set: u16, now: u16| -> Result<Timespec, Errno> {
        match (fst & set != 0, fst & now != 0) {
            (true, true) => Err(Errno::Inval),
            (true, false) => Ok(Timespec {
                tv_sec: (t / 1_000_000_000) as i64,
                tv_nsec: (t % 1_000_000_000) as _,
            }),
            (false, true) => Ok(Timespec {
                tv_sec: 0,
                tv_nsec: rustix::fs::UTIME_NOW,
            }),
            (false, false) => Ok(Timespec {
                tv_sec: 0,
                tv_nsec: rustix::fs::UTIME_OMIT,
            }),
        }
    };
    Ok(Timestamps {
        last_access: one(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        last_modification: one(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    })
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`
pub fn fd_filestat_set_times(
    ctx: &mut WasiCtx,
    _mem: &mut dyn GuestMemory,
    fd: u32,
    atim: u64,
    mtim: u64,
    fst: u32,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    e.require(rights::FD_FILESTAT_SET_TIMES)?;
    let ts = timestamps(atim, mtim, fst)?;
    match &e.kind {
        Kind::File(f) => rustix::fs::futimens(f, &ts)?,
        Kind::Dir(d) => rustix::fs::futimens(&d.fd, &ts)?,
        Kind::Stdin(_) | Kind::Stdout(_) => return Err(Errno::Badf),
    }
    Ok(())
}

/// `fd_advise(fd, offset, len, advice)`: checked, then accepted as a no-op (advice is a hint).
pub fn fd_advise(
    ctx: &mut WasiCtx,
    _mem: &mut dyn GuestMemory,
    fd: u32,
    _offset: u64,
    _len: u64,
    advice: u32,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    e.require(rights::FD_ADVISE)?;
    file_fd(e)?;
    if advice > 5 {
        return Err(Errno::Inval);
    }
    Ok(())
}

/// `fd_allocate(fd, offset, len)`: grows the file to at least `offset + len`.
pub fn fd_allocate(
    ctx: &mut WasiCtx,
    _mem: &mut dyn GuestMemory,
    fd: u32,
    offset: u64,
    len: u64,
) -> WasiResult {
    let e = ctx.entry(fd)?;
    e.require(rights::FD_ALLOCATE)?;
    let f = file_fd(e)?;
    let end = offset.checked_add(len).ok_or(Errno::Fbig)?;
    if end > i64::MAX as u64 {
        return Err(Errno::Fbig);
    }
    let st = rustix::fs::fstat(f)?;
    #[allow(clippy::unnecessary_cast)]
    let cur = st.st_size as u64;
    if end > cur {
        rustix::fs::ftruncate(f, end)?;
    }
    Ok(())
}

fn preopen_name(ctx: &WasiCtx, fd: u32) -> Result<&[u8], Errno> {
    match &ctx.entry(fd)?.kind {
        Kind::Dir(DirFd {
            preopen: Some(name),
            ..
        }) => Ok(name),
        _ => Err(Errno::Badf),
    }
}

/// `fd_prestat_get(fd, prestat_ptr)`: `EBADF` for anything but a preopen, which
/// is how wasi-libc finds the end of the preopen list.
pub fn fd_prestat_get(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    ptr: u32,
) -> WasiResult {
    let len = u32::try_from(preopen_name(ctx, fd)?.len()).map_err(|_| Errno::Overflow)?;
    let mut b = [0u8; size::PRESTAT as usize];
    b[4..8].copy_from_slice(&len.to_le_bytes());
    mem.write(ptr, &b)
}

/// `fd_prestat_dir_name(fd, path, path_len)`: the name, not NUL-terminated.
pub fn fd_prestat_dir_name(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> WasiResult {
    let name = preopen_name(ctx, fd)?;
    mem.check(path, u64::from(path_len))?;
    if (path_len as usize) < name.len() {
        return Err(Errno::Nametoolong);
    }
    mem.write(path, name)
}

/// `fd_renumber(from, to)`: moves `from` onto `to`, closing what `to` was.
pub fn fd_renumber(
    ctx: &mut WasiCtx,
    _mem: &mut dyn GuestMemory,
    from: u32,
    to: u32,
) -> WasiResult {
    ctx.entry(from)?;
    ctx.entry(to)?;
    if from == to {
        return Ok(());
    }
    let e = ctx.fds.remove(&from).ok_or(Errno::Badf)?;
    ctx.fds.insert(to, e);
    Ok(())
}

fn list_dir(d: &DirFd) -> Result<Vec<DirEntry>, Errno> {
    let mut dir = rustix::fs::Dir::read_from(&d.fd)?;
    let mut out = Vec::new();
    while let Some(ent) = dir.read() {
        let ent = ent?;
        let name = ent.file_name().to_bytes().to_vec();
        let mut ft = ent.file_type();
        if ft == FileType::Unknown {
            if let Ok(st) = rustix::fs::statat(&d.fd, ent.file_name(), AtFlags::SYMLINK_NOFOLLOW) {
                ft = host::stat_filetype(&st);
            }
        }
        out.push(DirEntry {
            ino: ent.ino(),
            kind: host::filetype_of(ft),
            name,
        });
    }
    // Host order is hash order; sorted listings make programs reproducible.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// `fd_readdir(fd, buf, buf_len, cookie, bufused_ptr)`: entries from `cookie`
/// (an index into the listing taken at cookie 0), the last one truncated to fit.
pub fn fd_readdir(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> WasiResult {
    let e = ctx.entry_mut(fd)?;
    e.require(rights::FD_READDIR)?;
    let Kind::Dir(d) = &mut e.kind else {
        return Err(Errno::Notdir);
    };
    mem.check(buf, u64::from(buf_len))?;
    mem.check(bufused, 4)?;
    if cookie == 0 || d.listing.is_none() {
        d.listing = Some(list_dir(d)?);
    }
    let listing = d.listing.as_deref().unwrap_or(&[]);
    let cap = buf_len as usize;
    let mut out: Vec<u8> = Vec::new();
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (i, ent) in listing.iter().enumerate().skip(start) {
        if out.len() >= cap {
            break;
        }
        let mut rec = Vec::with_capacity(size::DIRENT as usize + ent.name.len());
        rec.extend_from_slice(&(i as u64 + 1).to_le_bytes());
        rec.extend_from_slice(&ent.ino.to_le_bytes());
        rec.extend_from_slice(&u32_len(ent.name.len() as u64)?.to_le_bytes());
        rec.extend_from_slice(&[ent.kind, 0, 0, 0]);
        rec.extend_from_slice(&ent.name);
        let room = cap - out.len();
        out.extend_from_slice(&rec[..rec.len().min(room)]);
    }
    mem.write(buf, &out)?;
    mem.write_u32(bufused, u32_len(out.len() as u64)?)
}

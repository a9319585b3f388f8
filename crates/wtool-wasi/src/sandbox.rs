//! Path resolution inside a directory capability.
//!
//! A guest path is never handed to the host as a string. It is split into
//! components and walked one component at a time from the directory handle the
//! guest named: each intermediate directory is opened relative to the previous
//! handle with `O_NOFOLLOW | O_DIRECTORY`, so the kernel never resolves more
//! than one name and never follows a link on our behalf. `..` pops our own stack
//! of handles (at the bottom it is `ENOTCAPABLE`), a symbolic link is read with
//! `readlinkat` and its target spliced into the remaining components (an
//! absolute target is `ENOTCAPABLE`; more than [`MAX_SYMLINKS`] links is
//! `ELOOP`). The result is a handle on the parent directory plus one final
//! name, which callers use with `*at` calls that do not follow links either;
//! so a link swapped in after any check is seen as a link (and refused or
//! resolved again inside the sandbox), never followed out of it.

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno as H;

use crate::errno::Errno;

/// Most symbolic links one resolution follows (Linux's own limit).
pub const MAX_SYMLINKS: u32 = 40;

/// Longest guest path accepted (Linux's `PATH_MAX`).
pub const MAX_PATH: usize = 4096;

/// The directory a resolved name lives in: the starting handle itself, or one
/// opened on the way.
pub(crate) enum Parent<'a> {
    Base(BorrowedFd<'a>),
    Owned(OwnedFd),
}

impl AsFd for Parent<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Parent::Base(fd) => *fd,
            Parent::Owned(fd) => fd.as_fd(),
        }
    }
}

/// A path reduced to (directory handle, one name).
pub(crate) struct Resolved<'a> {
    pub parent: Parent<'a>,
    /// One component: never empty, never contains `/`, never `..`; `.` when the
    /// path names the directory `parent` itself.
    pub name: Vec<u8>,
    /// The path ended in `/`, so it must name a directory.
    pub trailing_slash: bool,
}

/// Flags for opening an intermediate directory: only to use as a `*at` base.
fn walk_flags() -> OFlags {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let access = OFlags::PATH;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let access = OFlags::RDONLY;
    access | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

/// The components of `path` in reverse order (so `pop` yields the next one),
/// with empty ones (from `//`) dropped.
fn push_components(pending: &mut Vec<Vec<u8>>, path: &[u8]) {
    for c in path.split(|&b| b == b'/').rev() {
        if !c.is_empty() {
            pending.push(c.to_vec());
        }
    }
}

/// Checks a guest path before any resolution.
pub(crate) fn check_path(path: &[u8]) -> Result<(), Errno> {
    if path.is_empty() {
        return Err(Errno::Noent);
    }
    if path.len() > MAX_PATH {
        return Err(Errno::Nametoolong);
    }
    if path.contains(&0) {
        return Err(Errno::Ilseq);
    }
    if path[0] == b'/' {
        return Err(Errno::Notcapable);
    }
    Ok(())
}

/// Resolves `path` relative to `base`. With `follow`, a symbolic link in the
/// last position is followed too (inside the sandbox); a trailing `/` implies it.
pub(crate) fn resolve<'a>(
    base: BorrowedFd<'a>,
    path: &[u8],
    follow: bool,
) -> Result<Resolved<'a>, Errno> {
    check_path(path)?;
    let mut trailing_slash = path.ends_with(b"/");
    let mut pending = Vec::new();
    push_components(&mut pending, path);
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut links = 0u32;
    loop {
        let cur = stack.last().map_or(base, |fd| fd.as_fd());
        let Some(comp) = pending.pop() else {
            return Ok(finish(base, stack, b".".to_vec(), trailing_slash));
        };
        if comp == b"." {
            continue;
        }
        if comp == b".." {
            if stack.pop().is_none() {
                return Err(Errno::Notcapable);
            }
            continue;
        }
        let last = pending.is_empty();
        if last && !(follow || trailing_slash) {
            return Ok(finish(base, stack, comp, trailing_slash));
        }
        if !last {
            match rustix::fs::openat(cur, comp.as_slice(), walk_flags(), Mode::empty()) {
                Ok(fd) => {
                    stack.push(fd);
                    continue;
                }
                // A link (or something that is not a directory): find out below.
                Err(H::LOOP) | Err(H::NOTDIR) => {}
                Err(e) => return Err(e.into()),
            }
        }
        match rustix::fs::readlinkat(cur, comp.as_slice(), Vec::new()) {
            Ok(target) => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(Errno::Loop);
                }
                let target = target.into_bytes();
                if target.first() == Some(&b'/') {
                    return Err(Errno::Notcapable);
                }
                if target.is_empty() {
                    return Err(Errno::Noent);
                }
                if last && target.ends_with(b"/") {
                    trailing_slash = true;
                }
                if pending.len() + target.len() > MAX_PATH * 2 {
                    return Err(Errno::Nametoolong);
                }
                push_components(&mut pending, &target);
            }
            // Not a link (EINVAL) or absent: as a last component that is the answer.
            Err(H::INVAL) | Err(H::NOENT) if last => {
                return Ok(finish(base, stack, comp, trailing_slash));
            }
            // Not a link now, yet the open above refused it: either it is not a
            // directory, or it was swapped back to one in between; look again
            // (bounded like links, so a flapping entry cannot keep us here).
            Err(H::INVAL) => {
                let st = rustix::fs::statat(cur, comp.as_slice(), AtFlags::SYMLINK_NOFOLLOW)?;
                // A link again by now (still flapping) is looked at again too.
                let kind = crate::host::stat_filetype(&st);
                if kind != FileType::Directory && kind != FileType::Symlink {
                    return Err(Errno::Notdir);
                }
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(Errno::Loop);
                }
                pending.push(comp);
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn finish(
    base: BorrowedFd<'_>,
    mut stack: Vec<OwnedFd>,
    name: Vec<u8>,
    trailing_slash: bool,
) -> Resolved<'_> {
    let parent = match stack.pop() {
        Some(fd) => Parent::Owned(fd),
        None => Parent::Base(base),
    };
    Resolved {
        parent,
        name,
        trailing_slash,
    }
}

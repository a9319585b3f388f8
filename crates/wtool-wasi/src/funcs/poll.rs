//! `poll_oneoff`: clocks, and readiness of standard input and files.
//!
//! Files, in-memory streams and outputs are always ready; only an inherited
//! standard input can block, and it is polled on the host together with the
//! nearest clock deadline.

use std::time::Duration;

use rustix::event::{PollFd, PollFlags};
use rustix::fd::AsFd;

use super::args::now;
use super::WasiResult;
use crate::ctx::{InputStream, Kind, WasiCtx};
use crate::errno::Errno;
use crate::memory::GuestMemory;
use crate::types::{clockid, eventrwflags, eventtype, size, subclockflags};

struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

enum Sub {
    /// Nanoseconds until the clock fires.
    Clock(u64),
    /// Waits on the host's standard input.
    HostStdin,
}

/// `poll_oneoff(in, out, nsubscriptions, nevents_ptr)`
pub fn poll_oneoff(
    ctx: &mut WasiCtx,
    mem: &mut dyn GuestMemory,
    input: u32,
    out: u32,
    nsubs: u32,
    nevents: u32,
) -> WasiResult {
    if nsubs == 0 {
        return Err(Errno::Inval);
    }
    mem.check(input, u64::from(nsubs) * u64::from(size::SUBSCRIPTION))?;
    mem.check(out, u64::from(nsubs) * u64::from(size::EVENT))?;
    mem.check(nevents, 4)?;
    let mut ready: Vec<Event> = Vec::new();
    let mut waiting: Vec<(u64, u8, Sub)> = Vec::new();
    for i in 0..nsubs {
        let at = u32::try_from(u64::from(input) + u64::from(i) * u64::from(size::SUBSCRIPTION))
            .map_err(|_| Errno::Fault)?;
        let field = |off: u32| at.checked_add(off).ok_or(Errno::Fault);
        let userdata = mem.read_u64(at)?;
        let tag = mem.read_u8(field(8)?)?;
        let event = |error, kind, nbytes, flags| Event {
            userdata,
            error,
            kind,
            nbytes,
            flags,
        };
        match tag {
            eventtype::CLOCK => {
                let id = mem.read_u32(field(16)?)?;
                let timeout = mem.read_u64(field(24)?)?;
                let flags = mem.read_u16(field(40)?)?;
                let wait = match id {
                    clockid::REALTIME | clockid::MONOTONIC => {
                        if flags & subclockflags::ABSTIME != 0 {
                            timeout.saturating_sub(now(id)?)
                        } else {
                            timeout
                        }
                    }
                    _ => {
                        ready.push(event(Errno::Inval, tag, 0, 0));
                        continue;
                    }
                };
                if wait == 0 {
                    ready.push(event(Errno::Success, tag, 0, 0));
                } else {
                    waiting.push((userdata, tag, Sub::Clock(wait)));
                }
            }
            eventtype::FD_READ | eventtype::FD_WRITE => {
                let fd = mem.read_u32(field(16)?)?;
                let Ok(e) = ctx.entry(fd) else {
                    ready.push(event(Errno::Badf, tag, 0, 0));
                    continue;
                };
                match (&e.kind, tag) {
                    (Kind::Stdin(InputStream::Inherit), eventtype::FD_READ) => {
                        waiting.push((userdata, tag, Sub::HostStdin));
                    }
                    (Kind::Stdin(s), eventtype::FD_READ) => {
                        // A reader is treated as always ready: a read will not fail to make progress.
                        let (n, flags) = match s.ready_bytes() {
                            Some(0) => (0, eventrwflags::HANGUP),
                            Some(n) => (n, 0),
                            None => (0, 0),
                        };
                        ready.push(event(Errno::Success, tag, n, flags));
                    }
                    (Kind::File(f), eventtype::FD_READ) => {
                        let left = rustix::fs::fstat(f)
                            .ok()
                            .zip(rustix::fs::tell(f).ok())
                            .map_or(0, |(st, pos)| {
                                (st.st_size.max(0) as u64).saturating_sub(pos)
                            });
                        ready.push(event(Errno::Success, tag, left, 0));
                    }
                    (Kind::Stdout(_) | Kind::File(_), eventtype::FD_WRITE) => {
                        ready.push(event(Errno::Success, tag, 0, 0));
                    }
                    _ => ready.push(event(Errno::Badf, tag, 0, 0)),
                }
            }
            _ => return Err(Errno::Inval),
        }
    }
    if ready.is_empty() {
        let nearest = waiting
            .iter()
            .filter_map(|(_, _, s)| match s {
                Sub::Clock(ns) => Some(*ns),
                Sub::HostStdin => None,
            })
            .min();
        let stdin_waiters = waiting.iter().any(|(_, _, s)| matches!(s, Sub::HostStdin));
        let stdin_ready = if stdin_waiters {
            wait_stdin(nearest)?
        } else {
            if let Some(ns) = nearest {
                std::thread::sleep(Duration::from_nanos(ns));
            }
            false
        };
        for (userdata, kind, s) in &waiting {
            let fired = match s {
                Sub::HostStdin => stdin_ready,
                Sub::Clock(ns) => !stdin_ready && Some(*ns) == nearest,
            };
            if fired {
                ready.push(Event {
                    userdata: *userdata,
                    error: Errno::Success,
                    kind: *kind,
                    nbytes: u64::from(*kind != eventtype::CLOCK),
                    flags: 0,
                });
            }
        }
    }
    for (i, ev) in ready.iter().enumerate() {
        let mut b = [0u8; size::EVENT as usize];
        b[0..8].copy_from_slice(&ev.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&ev.error.code().to_le_bytes());
        b[10] = ev.kind;
        b[16..24].copy_from_slice(&ev.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&ev.flags.to_le_bytes());
        let at = u32::try_from(u64::from(out) + i as u64 * u64::from(size::EVENT))
            .map_err(|_| Errno::Fault)?;
        mem.write(at, &b)?;
    }
    mem.write_u32(
        nevents,
        u32::try_from(ready.len()).map_err(|_| Errno::Overflow)?,
    )
}

/// Waits until the host's stdin is readable or `timeout_ns` passes; true if readable.
fn wait_stdin(timeout_ns: Option<u64>) -> Result<bool, Errno> {
    let stdin = std::io::stdin();
    let timeout = timeout_ns.map(|ns| rustix::time::Timespec {
        tv_sec: i64::try_from(ns / 1_000_000_000).unwrap_or(i64::MAX),
        tv_nsec: (ns % 1_000_000_000) as _,
    });
    loop {
        let mut fds = [PollFd::from_borrowed_fd(stdin.as_fd(), PollFlags::IN)];
        match rustix::event::poll(&mut fds, timeout.as_ref()) {
            Ok(n) => return Ok(n > 0),
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

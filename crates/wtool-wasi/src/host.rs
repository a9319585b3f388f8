//! Host (POSIX) errors and metadata translated to preview1 terms.

use rustix::fs::{FileType, Stat};
use rustix::io::Errno as H;

use crate::errno::Errno;
use crate::types::filetype;

/// Host errno → preview1 errno; anything without a counterpart is `EIO`.
pub(crate) fn errno(e: H) -> Errno {
    const TABLE: &[(H, Errno)] = &[
        (H::TOOBIG, Errno::TooBig),
        (H::ACCESS, Errno::Acces),
        (H::ADDRINUSE, Errno::Addrinuse),
        (H::ADDRNOTAVAIL, Errno::Addrnotavail),
        (H::AFNOSUPPORT, Errno::Afnosupport),
        (H::AGAIN, Errno::Again),
        (H::ALREADY, Errno::Already),
        (H::BADF, Errno::Badf),
        (H::BADMSG, Errno::Badmsg),
        (H::BUSY, Errno::Busy),
        (H::CANCELED, Errno::Canceled),
        (H::CHILD, Errno::Child),
        (H::CONNABORTED, Errno::Connaborted),
        (H::CONNREFUSED, Errno::Connrefused),
        (H::CONNRESET, Errno::Connreset),
        (H::DEADLK, Errno::Deadlk),
        (H::DESTADDRREQ, Errno::Destaddrreq),
        (H::DOM, Errno::Dom),
        (H::DQUOT, Errno::Dquot),
        (H::EXIST, Errno::Exist),
        (H::FAULT, Errno::Fault),
        (H::FBIG, Errno::Fbig),
        (H::HOSTUNREACH, Errno::Hostunreach),
        (H::IDRM, Errno::Idrm),
        (H::ILSEQ, Errno::Ilseq),
        (H::INPROGRESS, Errno::Inprogress),
        (H::INTR, Errno::Intr),
        (H::INVAL, Errno::Inval),
        (H::IO, Errno::Io),
        (H::ISCONN, Errno::Isconn),
        (H::ISDIR, Errno::Isdir),
        (H::LOOP, Errno::Loop),
        (H::MFILE, Errno::Mfile),
        (H::MLINK, Errno::Mlink),
        (H::MSGSIZE, Errno::Msgsize),
        (H::MULTIHOP, Errno::Multihop),
        (H::NAMETOOLONG, Errno::Nametoolong),
        (H::NETDOWN, Errno::Netdown),
        (H::NETRESET, Errno::Netreset),
        (H::NETUNREACH, Errno::Netunreach),
        (H::NFILE, Errno::Nfile),
        (H::NOBUFS, Errno::Nobufs),
        (H::NODEV, Errno::Nodev),
        (H::NOENT, Errno::Noent),
        (H::NOEXEC, Errno::Noexec),
        (H::NOLCK, Errno::Nolck),
        (H::NOLINK, Errno::Nolink),
        (H::NOMEM, Errno::Nomem),
        (H::NOMSG, Errno::Nomsg),
        (H::NOPROTOOPT, Errno::Noprotoopt),
        (H::NOSPC, Errno::Nospc),
        (H::NOSYS, Errno::Nosys),
        (H::NOTCONN, Errno::Notconn),
        (H::NOTDIR, Errno::Notdir),
        (H::NOTEMPTY, Errno::Notempty),
        (H::NOTRECOVERABLE, Errno::Notrecoverable),
        (H::NOTSOCK, Errno::Notsock),
        (H::NOTSUP, Errno::Notsup),
        (H::OPNOTSUPP, Errno::Notsup),
        (H::NOTTY, Errno::Notty),
        (H::NXIO, Errno::Nxio),
        (H::OVERFLOW, Errno::Overflow),
        (H::OWNERDEAD, Errno::Ownerdead),
        (H::PERM, Errno::Perm),
        (H::PIPE, Errno::Pipe),
        (H::PROTO, Errno::Proto),
        (H::PROTONOSUPPORT, Errno::Protonosupport),
        (H::PROTOTYPE, Errno::Prototype),
        (H::RANGE, Errno::Range),
        (H::ROFS, Errno::Rofs),
        (H::SPIPE, Errno::Spipe),
        (H::SRCH, Errno::Srch),
        (H::STALE, Errno::Stale),
        (H::TIMEDOUT, Errno::Timedout),
        (H::TXTBSY, Errno::Txtbsy),
        (H::XDEV, Errno::Xdev),
    ];
    TABLE
        .iter()
        .find(|(h, _)| *h == e)
        .map_or(Errno::Io, |&(_, w)| w)
}

/// A raw OS error number (from `std::io::Error`) → preview1 errno.
pub(crate) fn errno_from_raw(code: i32) -> Errno {
    errno(H::from_raw_os_error(code))
}

/// `From` so `?` works on rustix calls.
impl From<H> for Errno {
    fn from(e: H) -> Errno {
        errno(e)
    }
}

/// The preview1 file type of a host file type.
pub(crate) fn filetype_of(t: FileType) -> u8 {
    match t {
        FileType::RegularFile => filetype::REGULAR_FILE,
        FileType::Directory => filetype::DIRECTORY,
        FileType::Symlink => filetype::SYMBOLIC_LINK,
        FileType::CharacterDevice => filetype::CHARACTER_DEVICE,
        FileType::BlockDevice => filetype::BLOCK_DEVICE,
        FileType::Socket => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

fn nanos(secs: i64, nsec: i64) -> u64 {
    let t = i128::from(secs) * 1_000_000_000 + i128::from(nsec);
    u64::try_from(t).unwrap_or(0)
}

/// The 64-byte preview1 `filestat` record for a host `stat`.
// The stat field types differ per architecture, so some casts are no-ops here.
#[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
pub(crate) fn filestat_bytes(st: &Stat) -> [u8; 64] {
    let mut b = [0u8; 64];
    let ft = filetype_of(FileType::from_raw_mode(st.st_mode as _));
    b[0..8].copy_from_slice(&(st.st_dev as u64).to_le_bytes());
    b[8..16].copy_from_slice(&(st.st_ino as u64).to_le_bytes());
    b[16] = ft;
    b[24..32].copy_from_slice(&(st.st_nlink as u64).to_le_bytes());
    b[32..40].copy_from_slice(&(st.st_size as u64).to_le_bytes());
    let at = nanos(st.st_atime as i64, st.st_atime_nsec as i64);
    let mt = nanos(st.st_mtime as i64, st.st_mtime_nsec as i64);
    let ct = nanos(st.st_ctime as i64, st.st_ctime_nsec as i64);
    b[40..48].copy_from_slice(&at.to_le_bytes());
    b[48..56].copy_from_slice(&mt.to_le_bytes());
    b[56..64].copy_from_slice(&ct.to_le_bytes());
    b
}

/// The preview1 file type recorded in a host `stat`.
#[allow(clippy::unnecessary_cast)]
pub(crate) fn stat_filetype(st: &Stat) -> FileType {
    FileType::from_raw_mode(st.st_mode as _)
}

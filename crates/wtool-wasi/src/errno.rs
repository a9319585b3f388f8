//! The preview1 `errno` enumeration, in the order (and so with the values) the
//! `wasi_snapshot_preview1` witx lists it.

use std::fmt;

/// A preview1 error code; the discriminant is the value the guest sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Errno {
    /// `success` (0): No error occurred.
    Success = 0,
    /// `2big` (1): Argument list too long.
    TooBig = 1,
    /// `acces` (2): Permission denied.
    Acces = 2,
    /// `addrinuse` (3): Address in use.
    Addrinuse = 3,
    /// `addrnotavail` (4): Address not available.
    Addrnotavail = 4,
    /// `afnosupport` (5): Address family not supported.
    Afnosupport = 5,
    /// `again` (6): Resource unavailable, or operation would block.
    Again = 6,
    /// `already` (7): Connection already in progress.
    Already = 7,
    /// `badf` (8): Bad file descriptor.
    Badf = 8,
    /// `badmsg` (9): Bad message.
    Badmsg = 9,
    /// `busy` (10): Device or resource busy.
    Busy = 10,
    /// `canceled` (11): Operation canceled.
    Canceled = 11,
    /// `child` (12): No child processes.
    Child = 12,
    /// `connaborted` (13): Connection aborted.
    Connaborted = 13,
    /// `connrefused` (14): Connection refused.
    Connrefused = 14,
    /// `connreset` (15): Connection reset.
    Connreset = 15,
    /// `deadlk` (16): Resource deadlock would occur.
    Deadlk = 16,
    /// `destaddrreq` (17): Destination address required.
    Destaddrreq = 17,
    /// `dom` (18): Mathematics argument out of domain of function.
    Dom = 18,
    /// `dquot` (19): Reserved.
    Dquot = 19,
    /// `exist` (20): File exists.
    Exist = 20,
    /// `fault` (21): Bad address.
    Fault = 21,
    /// `fbig` (22): File too large.
    Fbig = 22,
    /// `hostunreach` (23): Host is unreachable.
    Hostunreach = 23,
    /// `idrm` (24): Identifier removed.
    Idrm = 24,
    /// `ilseq` (25): Illegal byte sequence.
    Ilseq = 25,
    /// `inprogress` (26): Operation in progress.
    Inprogress = 26,
    /// `intr` (27): Interrupted function.
    Intr = 27,
    /// `inval` (28): Invalid argument.
    Inval = 28,
    /// `io` (29): I/O error.
    Io = 29,
    /// `isconn` (30): Socket is connected.
    Isconn = 30,
    /// `isdir` (31): Is a directory.
    Isdir = 31,
    /// `loop` (32): Too many levels of symbolic links.
    Loop = 32,
    /// `mfile` (33): File descriptor value too large.
    Mfile = 33,
    /// `mlink` (34): Too many links.
    Mlink = 34,
    /// `msgsize` (35): Message too large.
    Msgsize = 35,
    /// `multihop` (36): Reserved.
    Multihop = 36,
    /// `nametoolong` (37): Filename too long.
    Nametoolong = 37,
    /// `netdown` (38): Network is down.
    Netdown = 38,
    /// `netreset` (39): Connection aborted by network.
    Netreset = 39,
    /// `netunreach` (40): Network unreachable.
    Netunreach = 40,
    /// `nfile` (41): Too many files open in system.
    Nfile = 41,
    /// `nobufs` (42): No buffer space available.
    Nobufs = 42,
    /// `nodev` (43): No such device.
    Nodev = 43,
    /// `noent` (44): No such file or directory.
    Noent = 44,
    /// `noexec` (45): Executable file format error.
    Noexec = 45,
    /// `nolck` (46): No locks available.
    Nolck = 46,
    /// `nolink` (47): Reserved.
    Nolink = 47,
    /// `nomem` (48): Not enough space.
    Nomem = 48,
    /// `nomsg` (49): No message of the desired type.
    Nomsg = 49,
    /// `noprotoopt` (50): Protocol not available.
    Noprotoopt = 50,
    /// `nospc` (51): No space left on device.
    Nospc = 51,
    /// `nosys` (52): Function not supported.
    Nosys = 52,
    /// `notconn` (53): The socket is not connected.
    Notconn = 53,
    /// `notdir` (54): Not a directory or a symbolic link to a directory.
    Notdir = 54,
    /// `notempty` (55): Directory not empty.
    Notempty = 55,
    /// `notrecoverable` (56): State not recoverable.
    Notrecoverable = 56,
    /// `notsock` (57): Not a socket.
    Notsock = 57,
    /// `notsup` (58): Not supported, or operation not supported on socket.
    Notsup = 58,
    /// `notty` (59): Inappropriate I/O control operation.
    Notty = 59,
    /// `nxio` (60): No such device or address.
    Nxio = 60,
    /// `overflow` (61): Value too large to be stored in data type.
    Overflow = 61,
    /// `ownerdead` (62): Previous owner died.
    Ownerdead = 62,
    /// `perm` (63): Operation not permitted.
    Perm = 63,
    /// `pipe` (64): Broken pipe.
    Pipe = 64,
    /// `proto` (65): Protocol error.
    Proto = 65,
    /// `protonosupport` (66): Protocol not supported.
    Protonosupport = 66,
    /// `prototype` (67): Protocol wrong type for socket.
    Prototype = 67,
    /// `range` (68): Result too large.
    Range = 68,
    /// `rofs` (69): Read-only file system.
    Rofs = 69,
    /// `spipe` (70): Invalid seek.
    Spipe = 70,
    /// `srch` (71): No such process.
    Srch = 71,
    /// `stale` (72): Reserved.
    Stale = 72,
    /// `timedout` (73): Connection timed out.
    Timedout = 73,
    /// `txtbsy` (74): Text file busy.
    Txtbsy = 74,
    /// `xdev` (75): Cross-device link.
    Xdev = 75,
    /// `notcapable` (76): Extension: Capabilities insufficient.
    Notcapable = 76,
}

/// Every errno, indexed by its value.
pub const ALL: [Errno; 77] = [
    Errno::Success,
    Errno::TooBig,
    Errno::Acces,
    Errno::Addrinuse,
    Errno::Addrnotavail,
    Errno::Afnosupport,
    Errno::Again,
    Errno::Already,
    Errno::Badf,
    Errno::Badmsg,
    Errno::Busy,
    Errno::Canceled,
    Errno::Child,
    Errno::Connaborted,
    Errno::Connrefused,
    Errno::Connreset,
    Errno::Deadlk,
    Errno::Destaddrreq,
    Errno::Dom,
    Errno::Dquot,
    Errno::Exist,
    Errno::Fault,
    Errno::Fbig,
    Errno::Hostunreach,
    Errno::Idrm,
    Errno::Ilseq,
    Errno::Inprogress,
    Errno::Intr,
    Errno::Inval,
    Errno::Io,
    Errno::Isconn,
    Errno::Isdir,
    Errno::Loop,
    Errno::Mfile,
    Errno::Mlink,
    Errno::Msgsize,
    Errno::Multihop,
    Errno::Nametoolong,
    Errno::Netdown,
    Errno::Netreset,
    Errno::Netunreach,
    Errno::Nfile,
    Errno::Nobufs,
    Errno::Nodev,
    Errno::Noent,
    Errno::Noexec,
    Errno::Nolck,
    Errno::Nolink,
    Errno::Nomem,
    Errno::Nomsg,
    Errno::Noprotoopt,
    Errno::Nospc,
    Errno::Nosys,
    Errno::Notconn,
    Errno::Notdir,
    Errno::Notempty,
    Errno::Notrecoverable,
    Errno::Notsock,
    Errno::Notsup,
    Errno::Notty,
    Errno::Nxio,
    Errno::Overflow,
    Errno::Ownerdead,
    Errno::Perm,
    Errno::Pipe,
    Errno::Proto,
    Errno::Protonosupport,
    Errno::Prototype,
    Errno::Range,
    Errno::Rofs,
    Errno::Spipe,
    Errno::Srch,
    Errno::Stale,
    Errno::Timedout,
    Errno::Txtbsy,
    Errno::Xdev,
    Errno::Notcapable,
];

impl Errno {
    /// The value as the guest sees it.
    pub fn code(self) -> u16 {
        self as u16
    }

    /// The errno for a guest value, if the spec defines one.
    pub fn from_code(code: u16) -> Option<Errno> {
        ALL.get(usize::from(code)).copied()
    }

    /// The witx name, e.g. `notcapable`.
    pub fn name(self) -> &'static str {
        match self {
            Errno::Success => "success",
            Errno::TooBig => "2big",
            Errno::Acces => "acces",
            Errno::Addrinuse => "addrinuse",
            Errno::Addrnotavail => "addrnotavail",
            Errno::Afnosupport => "afnosupport",
            Errno::Again => "again",
            Errno::Already => "already",
            Errno::Badf => "badf",
            Errno::Badmsg => "badmsg",
            Errno::Busy => "busy",
            Errno::Canceled => "canceled",
            Errno::Child => "child",
            Errno::Connaborted => "connaborted",
            Errno::Connrefused => "connrefused",
            Errno::Connreset => "connreset",
            Errno::Deadlk => "deadlk",
            Errno::Destaddrreq => "destaddrreq",
            Errno::Dom => "dom",
            Errno::Dquot => "dquot",
            Errno::Exist => "exist",
            Errno::Fault => "fault",
            Errno::Fbig => "fbig",
            Errno::Hostunreach => "hostunreach",
            Errno::Idrm => "idrm",
            Errno::Ilseq => "ilseq",
            Errno::Inprogress => "inprogress",
            Errno::Intr => "intr",
            Errno::Inval => "inval",
            Errno::Io => "io",
            Errno::Isconn => "isconn",
            Errno::Isdir => "isdir",
            Errno::Loop => "loop",
            Errno::Mfile => "mfile",
            Errno::Mlink => "mlink",
            Errno::Msgsize => "msgsize",
            Errno::Multihop => "multihop",
            Errno::Nametoolong => "nametoolong",
            Errno::Netdown => "netdown",
            Errno::Netreset => "netreset",
            Errno::Netunreach => "netunreach",
            Errno::Nfile => "nfile",
            Errno::Nobufs => "nobufs",
            Errno::Nodev => "nodev",
            Errno::Noent => "noent",
            Errno::Noexec => "noexec",
            Errno::Nolck => "nolck",
            Errno::Nolink => "nolink",
            Errno::Nomem => "nomem",
            Errno::Nomsg => "nomsg",
            Errno::Noprotoopt => "noprotoopt",
            Errno::Nospc => "nospc",
            Errno::Nosys => "nosys",
            Errno::Notconn => "notconn",
            Errno::Notdir => "notdir",
            Errno::Notempty => "notempty",
            Errno::Notrecoverable => "notrecoverable",
            Errno::Notsock => "notsock",
            Errno::Notsup => "notsup",
            Errno::Notty => "notty",
            Errno::Nxio => "nxio",
            Errno::Overflow => "overflow",
            Errno::Ownerdead => "ownerdead",
            Errno::Perm => "perm",
            Errno::Pipe => "pipe",
            Errno::Proto => "proto",
            Errno::Protonosupport => "protonosupport",
            Errno::Prototype => "prototype",
            Errno::Range => "range",
            Errno::Rofs => "rofs",
            Errno::Spipe => "spipe",
            Errno::Srch => "srch",
            Errno::Stale => "stale",
            Errno::Timedout => "timedout",
            Errno::Txtbsy => "txtbsy",
            Errno::Xdev => "xdev",
            Errno::Notcapable => "notcapable",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

impl std::error::Error for Errno {}

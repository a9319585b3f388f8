//! preview1 constants: rights, flags, file types, clocks, and the layouts of the
//! records the functions read and write in guest memory.

/// `rights` bits (a `u64` flags type in witx).
pub mod rights {
    /// `fd_datasync`
    pub const FD_DATASYNC: u64 = 1 << 0;
    /// `fd_read`
    pub const FD_READ: u64 = 1 << 1;
    /// `fd_seek`
    pub const FD_SEEK: u64 = 1 << 2;
    /// `fd_fdstat_set_flags`
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    /// `fd_sync`
    pub const FD_SYNC: u64 = 1 << 4;
    /// `fd_tell`
    pub const FD_TELL: u64 = 1 << 5;
    /// `fd_write`
    pub const FD_WRITE: u64 = 1 << 6;
    /// `fd_advise`
    pub const FD_ADVISE: u64 = 1 << 7;
    /// `fd_allocate`
    pub const FD_ALLOCATE: u64 = 1 << 8;
    /// `path_create_directory`
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    /// `path_create_file`
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    /// `path_link_source`
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    /// `path_link_target`
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    /// `path_open`
    pub const PATH_OPEN: u64 = 1 << 13;
    /// `fd_readdir`
    pub const FD_READDIR: u64 = 1 << 14;
    /// `path_readlink`
    pub const PATH_READLINK: u64 = 1 << 15;
    /// `path_rename_source`
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    /// `path_rename_target`
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    /// `path_filestat_get`
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    /// `path_filestat_set_size`
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    /// `path_filestat_set_times`
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    /// `fd_filestat_get`
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    /// `fd_filestat_set_size`
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    /// `fd_filestat_set_times`
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    /// `path_symlink`
    pub const PATH_SYMLINK: u64 = 1 << 24;
    /// `path_remove_directory`
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    /// `path_unlink_file`
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    /// `poll_fd_readwrite`
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    /// `sock_shutdown`
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    /// `sock_accept`
    pub const SOCK_ACCEPT: u64 = 1 << 29;
    /// Every right preview1 defines.
    pub const ALL: u64 = (1 << 30) - 1;

    /// Rights that change file contents or metadata: what a read-only preopen withholds.
    pub const MUTATING: u64 = FD_DATASYNC
        | FD_WRITE
        | FD_ALLOCATE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;

    /// Rights that need the host file opened for writing.
    pub const NEED_WRITE: u64 = FD_WRITE | FD_DATASYNC | FD_ALLOCATE | FD_FILESTAT_SET_SIZE;

    /// Rights of standard input.
    pub const STDIN: u64 = FD_READ | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
    /// Rights of standard output and error.
    pub const STDOUT: u64 = FD_WRITE
        | FD_FDSTAT_SET_FLAGS
        | FD_FILESTAT_GET
        | POLL_FD_READWRITE
        | FD_SYNC
        | FD_DATASYNC;
}

/// `filetype` values.
pub mod filetype {
    /// `unknown`
    pub const UNKNOWN: u8 = 0;
    /// `block_device`
    pub const BLOCK_DEVICE: u8 = 1;
    /// `character_device`
    pub const CHARACTER_DEVICE: u8 = 2;
    /// `directory`
    pub const DIRECTORY: u8 = 3;
    /// `regular_file`
    pub const REGULAR_FILE: u8 = 4;
    /// `socket_dgram`
    pub const SOCKET_DGRAM: u8 = 5;
    /// `socket_stream`
    pub const SOCKET_STREAM: u8 = 6;
    /// `symbolic_link`
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags` bits.
pub mod fdflags {
    /// `append`
    pub const APPEND: u16 = 1 << 0;
    /// `dsync`
    pub const DSYNC: u16 = 1 << 1;
    /// `nonblock`
    pub const NONBLOCK: u16 = 1 << 2;
    /// `rsync`
    pub const RSYNC: u16 = 1 << 3;
    /// `sync`
    pub const SYNC: u16 = 1 << 4;
}

/// `oflags` bits.
pub mod oflags {
    /// `creat`
    pub const CREAT: u16 = 1 << 0;
    /// `directory`
    pub const DIRECTORY: u16 = 1 << 1;
    /// `excl`
    pub const EXCL: u16 = 1 << 2;
    /// `trunc`
    pub const TRUNC: u16 = 1 << 3;
}

/// `lookupflags` bits.
pub mod lookupflags {
    /// `symlink_follow`
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags` bits.
pub mod fstflags {
    /// `atim`
    pub const ATIM: u16 = 1 << 0;
    /// `atim_now`
    pub const ATIM_NOW: u16 = 1 << 1;
    /// `mtim`
    pub const MTIM: u16 = 1 << 2;
    /// `mtim_now`
    pub const MTIM_NOW: u16 = 1 << 3;
}

/// `clockid` values.
pub mod clockid {
    /// `realtime`
    pub const REALTIME: u32 = 0;
    /// `monotonic`
    pub const MONOTONIC: u32 = 1;
    /// `process_cputime_id`
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    /// `thread_cputime_id`
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `whence` values.
pub mod whence {
    /// `set`
    pub const SET: u8 = 0;
    /// `cur`
    pub const CUR: u8 = 1;
    /// `end`
    pub const END: u8 = 2;
}

/// `eventtype` values.
pub mod eventtype {
    /// `clock`
    pub const CLOCK: u8 = 0;
    /// `fd_read`
    pub const FD_READ: u8 = 1;
    /// `fd_write`
    pub const FD_WRITE: u8 = 2;
}

/// `subclockflags` bits.
pub mod subclockflags {
    /// `subscription_clock_abstime`
    pub const ABSTIME: u16 = 1 << 0;
}

/// `eventrwflags` bits.
pub mod eventrwflags {
    /// `fd_readwrite_hangup`
    pub const HANGUP: u16 = 1 << 0;
}

/// Sizes of the records preview1 lays out in guest memory (wasm32 ABI).
pub mod size {
    /// `iovec` / `ciovec`
    pub const IOVEC: u32 = 8;
    /// `fdstat`
    pub const FDSTAT: u32 = 24;
    /// `filestat`
    pub const FILESTAT: u32 = 64;
    /// `prestat`
    pub const PRESTAT: u32 = 8;
    /// `dirent` header (the name follows)
    pub const DIRENT: u32 = 24;
    /// `subscription`
    pub const SUBSCRIPTION: u32 = 48;
    /// `event`
    pub const EVENT: u32 = 32;
}

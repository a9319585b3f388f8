//! The state one WASI program sees: arguments, environment, the descriptor table
//! (standard streams and preopened directories), built with [`WasiCtxBuilder`].

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustix::fd::OwnedFd;
use rustix::fs::{Mode, OFlags};

use crate::errno::Errno;
use crate::types::rights;

/// Most descriptors a guest may hold at once; a guest opening files in a loop
/// gets `EMFILE` here instead of exhausting the host process's descriptors.
pub const MAX_FDS: usize = 1024;

/// Where standard input comes from.
pub enum InputStream {
    /// Always at end of file.
    Empty,
    /// Bytes held in memory, read from the start.
    Bytes {
        /// The whole input.
        data: Vec<u8>,
        /// How much has been read.
        pos: usize,
    },
    /// The host process's standard input.
    Inherit,
    /// Any reader (a pipe, a file...).
    Reader(Box<dyn Read + Send>),
}

impl InputStream {
    /// In-memory input.
    pub fn bytes(data: impl Into<Vec<u8>>) -> Self {
        InputStream::Bytes {
            data: data.into(),
            pos: 0,
        }
    }
}

/// A shared in-memory output buffer: clone it, give one clone to the context,
/// and read what the program wrote from the other.
#[derive(Clone, Default)]
pub struct OutputBuffer(Arc<Mutex<Vec<u8>>>);

impl OutputBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        match self.0.lock() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn append(&self, data: &[u8]) {
        match self.0.lock() {
            Ok(mut v) => v.extend_from_slice(data),
            Err(poisoned) => poisoned.into_inner().extend_from_slice(data),
        }
    }
}

/// Which host stream an inherited output goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostStream {
    /// The host's standard output.
    Stdout,
    /// The host's standard error.
    Stderr,
}

/// Where standard output or error goes.
pub enum OutputStream {
    /// Discarded.
    Null,
    /// Collected in memory.
    Buffer(OutputBuffer),
    /// The host process's own stream.
    Inherit(HostStream),
    /// Any writer.
    Writer(Box<dyn Write + Send>),
}

impl InputStream {
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        match self {
            InputStream::Empty => Ok(0),
            InputStream::Bytes { data, pos } => {
                let rest = data.get(*pos..).unwrap_or(&[]);
                let n = rest.len().min(buf.len());
                buf[..n].copy_from_slice(&rest[..n]);
                *pos += n;
                Ok(n)
            }
            // Straight from descriptor 0, past std's buffer, so that what poll_oneoff
            // sees on the descriptor is all there is to read.
            InputStream::Inherit => {
                use rustix::fd::AsFd;
                loop {
                    match rustix::io::read(std::io::stdin().as_fd(), &mut *buf) {
                        Err(rustix::io::Errno::INTR) => continue,
                        r => return r.map_err(Errno::from),
                    }
                }
            }
            InputStream::Reader(r) => r.read(buf).map_err(io_errno),
        }
    }

    /// Bytes left before end of input, if the stream can tell.
    pub(crate) fn ready_bytes(&self) -> Option<u64> {
        match self {
            InputStream::Empty => Some(0),
            InputStream::Bytes { data, pos } => Some(data.len().saturating_sub(*pos) as u64),
            InputStream::Inherit | InputStream::Reader(_) => None,
        }
    }
}

impl OutputStream {
    pub(crate) fn write(&mut self, data: &[u8]) -> Result<usize, Errno> {
        match self {
            OutputStream::Null => Ok(data.len()),
            OutputStream::Buffer(b) => {
                b.append(data);
                Ok(data.len())
            }
            OutputStream::Inherit(HostStream::Stdout) => {
                let mut out = std::io::stdout().lock();
                out.write_all(data)
                    .and_then(|()| out.flush())
                    .map_err(io_errno)?;
                Ok(data.len())
            }
            OutputStream::Inherit(HostStream::Stderr) => {
                std::io::stderr().write_all(data).map_err(io_errno)?;
                Ok(data.len())
            }
            OutputStream::Writer(w) => {
                w.write_all(data)
                    .and_then(|()| w.flush())
                    .map_err(io_errno)?;
                Ok(data.len())
            }
        }
    }
}

pub(crate) fn io_errno(e: std::io::Error) -> Errno {
    match e.raw_os_error() {
        Some(code) => crate::host::errno_from_raw(code),
        None => match e.kind() {
            std::io::ErrorKind::BrokenPipe => Errno::Pipe,
            std::io::ErrorKind::WouldBlock => Errno::Again,
            std::io::ErrorKind::Interrupted => Errno::Intr,
            _ => Errno::Io,
        },
    }
}

/// What a descriptor refers to.
pub(crate) enum Kind {
    Stdin(InputStream),
    Stdout(OutputStream),
    File(OwnedFd),
    Dir(DirFd),
}

/// An open directory: its handle, its guest name if it is a preopen, and the
/// listing `fd_readdir` serves cookies from.
pub(crate) struct DirFd {
    pub fd: OwnedFd,
    pub preopen: Option<Vec<u8>>,
    pub listing: Option<Vec<crate::funcs::fd::DirEntry>>,
}

/// One slot of the descriptor table.
pub(crate) struct Entry {
    pub kind: Kind,
    pub base: u64,
    pub inheriting: u64,
    /// `fdflags` the guest set on a stream (files keep theirs in the host fd).
    pub stream_flags: u16,
}

impl Entry {
    /// `ENOTCAPABLE` unless every right in `needed` was granted.
    pub fn require(&self, needed: u64) -> Result<(), Errno> {
        if self.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::Notcapable)
        }
    }
}

/// The state of one WASI program.
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) fds: BTreeMap<u32, Entry>,
}

impl fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtx")
            .field("args", &self.args.len())
            .field("env", &self.env.len())
            .field("fds", &self.fds.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl WasiCtx {
    /// A builder with no arguments, no environment, no preopens and null stdio.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    pub(crate) fn entry(&self, fd: u32) -> Result<&Entry, Errno> {
        self.fds.get(&fd).ok_or(Errno::Badf)
    }

    pub(crate) fn entry_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.fds.get_mut(&fd).ok_or(Errno::Badf)
    }

    /// Puts `entry` in the lowest free slot (POSIX numbering), or `EMFILE`.
    pub(crate) fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        if self.fds.len() >= MAX_FDS {
            return Err(Errno::Mfile);
        }
        let mut n = 0u32;
        for &k in self.fds.keys() {
            if k != n {
                break;
            }
            n += 1;
        }
        self.fds.insert(n, entry);
        Ok(n)
    }

    /// The guest names of the preopened directories, by descriptor.
    pub fn preopens(&self) -> Vec<(u32, String)> {
        self.fds
            .iter()
            .filter_map(|(&n, e)| match &e.kind {
                Kind::Dir(DirFd {
                    preopen: Some(name),
                    ..
                }) => Some((n, String::from_utf8_lossy(name).into_owned())),
                _ => None,
            })
            .collect()
    }
}

/// Which rights a preopened directory hands out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirPerms {
    /// Read, write, create, delete, rename.
    ReadWrite,
    /// Open and read files, list directories, stat, read links; nothing that changes anything.
    ReadOnly,
}

impl DirPerms {
    fn rights(self) -> (u64, u64) {
        match self {
            DirPerms::ReadWrite => (rights::ALL, rights::ALL),
            DirPerms::ReadOnly => (
                rights::ALL & !rights::MUTATING,
                rights::ALL & !rights::MUTATING,
            ),
        }
    }
}

/// A host directory to preopen under a guest name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preopen {
    /// The directory on the host.
    pub host: PathBuf,
    /// The name the guest sees (what `fd_prestat_dir_name` returns).
    pub guest: String,
    /// The rights it grants.
    pub perms: DirPerms,
}

impl Preopen {
    /// Parses the command-line form `HOST[::GUEST]` (the guest name defaults to HOST).
    pub fn parse(spec: &str) -> Preopen {
        let (host, guest) = match spec.split_once("::") {
            Some((h, g)) => (h, g),
            None => (spec, spec),
        };
        Preopen {
            host: PathBuf::from(host),
            guest: guest.to_string(),
            perms: DirPerms::ReadWrite,
        }
    }
}

/// Why a context could not be built.
#[derive(Debug)]
pub enum BuildError {
    /// A preopened directory could not be opened.
    Preopen {
        /// The host path.
        path: PathBuf,
        /// The host error.
        errno: Errno,
    },
    /// An argument or environment entry contains a NUL byte, or a variable name contains `=`.
    BadString(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Preopen { path, errno } => {
                write!(f, "cannot open directory {}: {errno}", path.display())
            }
            BuildError::BadString(s) => write!(f, "invalid argument or environment entry {s:?}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds a [`WasiCtx`]; nothing from the host (environment, arguments,
/// directories, streams) is visible to the guest unless passed here.
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<(Vec<u8>, Vec<u8>)>,
    preopens: Vec<Preopen>,
    stdin: InputStream,
    stdout: OutputStream,
    stderr: OutputStream,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            preopens: Vec::new(),
            stdin: InputStream::Empty,
            stdout: OutputStream::Null,
            stderr: OutputStream::Null,
        }
    }
}

impl WasiCtxBuilder {
    /// Appends one argument (the first is the program name by convention).
    pub fn arg(mut self, a: impl AsRef<[u8]>) -> Self {
        self.args.push(a.as_ref().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(mut self, args: I) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_vec()));
        self
    }

    /// Sets an environment variable (a later one with the same name replaces it).
    pub fn env(mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Self {
        let key = key.as_ref().to_vec();
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value.as_ref().to_vec()));
        self
    }

    /// Preopens a directory.
    pub fn preopen(mut self, p: Preopen) -> Self {
        self.preopens.push(p);
        self
    }

    /// Preopens `host` as `guest` with `perms`.
    pub fn preopen_dir(
        self,
        host: impl AsRef<Path>,
        guest: impl Into<String>,
        perms: DirPerms,
    ) -> Self {
        self.preopen(Preopen {
            host: host.as_ref().to_path_buf(),
            guest: guest.into(),
            perms,
        })
    }

    /// Sets standard input.
    pub fn stdin(mut self, s: InputStream) -> Self {
        self.stdin = s;
        self
    }

    /// Sets standard output.
    pub fn stdout(mut self, s: OutputStream) -> Self {
        self.stdout = s;
        self
    }

    /// Sets standard error.
    pub fn stderr(mut self, s: OutputStream) -> Self {
        self.stderr = s;
        self
    }

    /// Connects all three streams to the host process's own.
    pub fn inherit_stdio(self) -> Self {
        self.stdin(InputStream::Inherit)
            .stdout(OutputStream::Inherit(HostStream::Stdout))
            .stderr(OutputStream::Inherit(HostStream::Stderr))
    }

    /// Opens the preopens and builds the context.
    pub fn build(self) -> Result<WasiCtx, BuildError> {
        let bad = |s: &[u8]| BuildError::BadString(String::from_utf8_lossy(s).into_owned());
        for a in &self.args {
            if a.contains(&0) {
                return Err(bad(a));
            }
        }
        let mut env = Vec::with_capacity(self.env.len());
        for (k, v) in &self.env {
            if k.is_empty() || k.contains(&b'=') || k.contains(&0) || v.contains(&0) {
                return Err(bad(k));
            }
            let mut kv = k.clone();
            kv.push(b'=');
            kv.extend_from_slice(v);
            env.push(kv);
        }
        let mut fds = BTreeMap::new();
        let stream = |kind, base| Entry {
            kind,
            base,
            inheriting: 0,
            stream_flags: 0,
        };
        fds.insert(0, stream(Kind::Stdin(self.stdin), rights::STDIN));
        fds.insert(1, stream(Kind::Stdout(self.stdout), rights::STDOUT));
        fds.insert(2, stream(Kind::Stdout(self.stderr), rights::STDOUT));
        let mut ctx = WasiCtx {
            args: self.args,
            env,
            fds,
        };
        for p in self.preopens {
            let fd = rustix::fs::open(
                &p.host,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| BuildError::Preopen {
                path: p.host.clone(),
                errno: crate::host::errno(e),
            })?;
            let (base, inheriting) = p.perms.rights();
            ctx.insert(Entry {
                kind: Kind::Dir(DirFd {
                    fd,
                    preopen: Some(p.guest.into_bytes()),
                    listing: None,
                }),
                base,
                inheriting,
                stream_flags: 0,
            })
            .map_err(|errno| BuildError::Preopen {
                path: p.host,
                errno,
            })?;
        }
        Ok(ctx)
    }
}

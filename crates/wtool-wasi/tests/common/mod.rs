//! A guest harness: a WASI context over a temp directory, an in-memory linear
//! memory with a bump allocator, and helpers that call the preview1 functions
//! the way compiled programs do.
#![allow(dead_code)]

use std::path::PathBuf;

use tempfile::TempDir;
use wtool_wasi::funcs::{fd, path};
use wtool_wasi::types::rights;
use wtool_wasi::{DirPerms, Errno, GuestMemory, InputStream, OutputBuffer, OutputStream, WasiCtx};

/// A path function taking `(fd, path, path_len)`.
pub type PathFn = fn(&mut WasiCtx, &mut dyn GuestMemory, u32, u32, u32) -> Result<(), Errno>;

/// The preopen's descriptor (the first after the three streams).
pub const PRE: u32 = 3;

pub struct Guest {
    pub ctx: WasiCtx,
    pub mem: Vec<u8>,
    pub out: OutputBuffer,
    pub err: OutputBuffer,
    /// Holds `sandbox/` (preopened) and `outside/` (must never be touched).
    pub root: TempDir,
    next: u32,
}

impl Guest {
    pub fn new() -> Guest {
        Self::with(|b| b, b"", DirPerms::ReadWrite)
    }

    pub fn with(
        f: impl FnOnce(wtool_wasi::WasiCtxBuilder) -> wtool_wasi::WasiCtxBuilder,
        stdin: &[u8],
        perms: DirPerms,
    ) -> Guest {
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(root.path().join("sandbox")).expect("mkdir");
        std::fs::create_dir(root.path().join("outside")).expect("mkdir");
        std::fs::write(root.path().join("outside/secret.txt"), b"top secret").expect("write");
        std::fs::write(root.path().join("sandbox/hello.txt"), b"hello, sandbox\n").expect("write");
        let out = OutputBuffer::new();
        let err = OutputBuffer::new();
        let b = WasiCtx::builder()
            .stdin(InputStream::bytes(stdin))
            .stdout(OutputStream::Buffer(out.clone()))
            .stderr(OutputStream::Buffer(err.clone()))
            .preopen_dir(root.path().join("sandbox"), "/sandbox", perms);
        let ctx = f(b).build().expect("build");
        Guest {
            ctx,
            mem: vec![0; 65536],
            out,
            err,
            root,
            next: 1024,
        }
    }

    pub fn sandbox(&self) -> PathBuf {
        self.root.path().join("sandbox")
    }

    pub fn outside(&self) -> PathBuf {
        self.root.path().join("outside")
    }

    /// A snapshot of everything outside the sandbox: names, sizes, contents, link targets.
    pub fn outside_snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut v = Vec::new();
        for base in [self.root.path().to_path_buf(), self.outside()] {
            let mut names: Vec<_> = std::fs::read_dir(&base)
                .expect("read_dir")
                .flatten()
                .collect();
            names.sort_by_key(|e| e.file_name());
            for e in names {
                let p = e.path();
                if p == self.sandbox() {
                    continue;
                }
                let data = if p.is_file() {
                    std::fs::read(&p).unwrap_or_default()
                } else {
                    Vec::new()
                };
                v.push((p.display().to_string(), data));
            }
        }
        v
    }

    /// Copies `bytes` into guest memory, returning the pointer.
    pub fn put(&mut self, bytes: &[u8]) -> u32 {
        let p = self.alloc(bytes.len() as u32);
        self.mem[p as usize..p as usize + bytes.len()].copy_from_slice(bytes);
        p
    }

    /// Reserves `n` bytes (a ring: long loops reuse the scratch space).
    pub fn alloc(&mut self, n: u32) -> u32 {
        if self.next as usize + n as usize > self.mem.len() - 4096 {
            self.next = 1024;
        }
        let p = self.next;
        self.next += (n + 7) & !7;
        p
    }

    pub fn u32_at(&self, p: u32) -> u32 {
        self.mem.read_u32(p).expect("in bounds")
    }

    pub fn u64_at(&self, p: u32) -> u64 {
        self.mem.read_u64(p).expect("in bounds")
    }

    pub fn bytes_at(&self, p: u32, n: u32) -> Vec<u8> {
        self.mem.read(p, n).expect("in bounds").to_vec()
    }

    /// `path_open` with the rights wasi-libc would ask for.
    pub fn open_at(
        &mut self,
        dir: u32,
        p: &str,
        oflags: u16,
        base: u64,
        follow: bool,
    ) -> Result<u32, Errno> {
        let pp = self.put(p.as_bytes());
        let out = self.alloc(4);
        let inheriting = self.ctx_inheriting(dir);
        path::path_open(
            &mut self.ctx,
            &mut self.mem,
            dir,
            u32::from(follow),
            pp,
            p.len() as u32,
            u32::from(oflags),
            base,
            inheriting,
            0,
            out,
        )?;
        Ok(self.u32_at(out))
    }

    fn ctx_inheriting(&mut self, dir: u32) -> u64 {
        let st = self.alloc(24);
        match fd::fd_fdstat_get(&mut self.ctx, &mut self.mem, dir, st) {
            Ok(()) => self.u64_at(st + 16),
            Err(_) => 0,
        }
    }

    pub fn open(&mut self, p: &str, oflags: u16, base: u64) -> Result<u32, Errno> {
        self.open_at(PRE, p, oflags, base, true)
    }

    pub fn open_read(&mut self, p: &str) -> Result<u32, Errno> {
        self.open(p, 0, READ)
    }

    pub fn write_fd(&mut self, f: u32, data: &[u8]) -> Result<u32, Errno> {
        let d = self.put(data);
        let iov = self.put(&[d.to_le_bytes(), (data.len() as u32).to_le_bytes()].concat());
        let n = self.alloc(4);
        fd::fd_write(&mut self.ctx, &mut self.mem, f, iov, 1, n)?;
        Ok(self.u32_at(n))
    }

    pub fn read_fd(&mut self, f: u32, max: u32) -> Result<Vec<u8>, Errno> {
        let buf = self.alloc(max);
        let iov = self.put(&[buf.to_le_bytes(), max.to_le_bytes()].concat());
        let n = self.alloc(4);
        fd::fd_read(&mut self.ctx, &mut self.mem, f, iov, 1, n)?;
        let n = self.u32_at(n);
        Ok(self.bytes_at(buf, n))
    }

    /// Calls a path function that takes `(fd, path, path_len)`.
    pub fn path_op(&mut self, f: PathFn, p: &str) -> Result<(), Errno> {
        let pp = self.put(p.as_bytes());
        f(&mut self.ctx, &mut self.mem, PRE, pp, p.len() as u32)
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), Errno> {
        let a = self.put(from.as_bytes());
        let b = self.put(to.as_bytes());
        path::path_rename(
            &mut self.ctx,
            &mut self.mem,
            PRE,
            a,
            from.len() as u32,
            PRE,
            b,
            to.len() as u32,
        )
    }

    pub fn symlink(&mut self, target: &str, at: &str) -> Result<(), Errno> {
        let a = self.put(target.as_bytes());
        let b = self.put(at.as_bytes());
        path::path_symlink(
            &mut self.ctx,
            &mut self.mem,
            a,
            target.len() as u32,
            PRE,
            b,
            at.len() as u32,
        )
    }

    pub fn stat(&mut self, p: &str, follow: bool) -> Result<Vec<u8>, Errno> {
        let pp = self.put(p.as_bytes());
        let buf = self.alloc(64);
        path::path_filestat_get(
            &mut self.ctx,
            &mut self.mem,
            PRE,
            u32::from(follow),
            pp,
            p.len() as u32,
            buf,
        )?;
        Ok(self.bytes_at(buf, 64))
    }

    /// Every entry `fd_readdir` yields, read with a small buffer to exercise cookies.
    pub fn readdir(&mut self, dir: u32, bufsize: u32) -> Result<Vec<(String, u8)>, Errno> {
        let buf = self.alloc(bufsize);
        let used = self.alloc(4);
        let mut cookie = 0u64;
        let mut names = Vec::new();
        loop {
            fd::fd_readdir(
                &mut self.ctx,
                &mut self.mem,
                dir,
                buf,
                bufsize,
                cookie,
                used,
            )?;
            let used = self.u32_at(used);
            let data = self.bytes_at(buf, used);
            let mut at = 0usize;
            let mut progressed = false;
            while at + 24 <= data.len() {
                let next = u64::from_le_bytes(data[at..at + 8].try_into().unwrap());
                let namlen =
                    u32::from_le_bytes(data[at + 16..at + 20].try_into().unwrap()) as usize;
                let kind = data[at + 20];
                if at + 24 + namlen > data.len() {
                    break; // truncated: read again from this cookie with the same buffer
                }
                names.push((
                    String::from_utf8_lossy(&data[at + 24..at + 24 + namlen]).into_owned(),
                    kind,
                ));
                cookie = next;
                at += 24 + namlen;
                progressed = true;
            }
            if used < bufsize {
                break;
            }
            assert!(progressed, "buffer too small for one entry");
        }
        Ok(names)
    }
}

/// Rights a reading open asks for.
pub const READ: u64 = rights::FD_READ
    | rights::FD_SEEK
    | rights::FD_TELL
    | rights::FD_FILESTAT_GET
    | rights::FD_READDIR;
/// Rights a read-write open asks for.
pub const RW: u64 = READ
    | rights::FD_WRITE
    | rights::FD_FILESTAT_SET_SIZE
    | rights::FD_ALLOCATE
    | rights::FD_DATASYNC
    | rights::FD_ADVISE
    | rights::FD_FDSTAT_SET_FLAGS
    | rights::FD_FILESTAT_SET_TIMES;

//! WASI preview 1 (`wasi_snapshot_preview1`) for wtool, independent of the
//! interpreter: an engine implements [`GuestMemory`] over its linear memory,
//! registers every entry of [`imports()`] as a host function, and forwards calls
//! to [`call`]. Programs see only what the [`WasiCtx`] grants: its arguments and
//! environment, its standard streams, and its preopened directories, inside which
//! every path is resolved component by component relative to an open handle
//! (see [`sandbox`]).
//!
//! ```
//! use wtool_wasi::{call, OutputBuffer, OutputStream, WasiCtx};
//!
//! let out = OutputBuffer::new();
//! let mut ctx = WasiCtx::builder()
//!     .arg("prog")
//!     .stdout(OutputStream::Buffer(out.clone()))
//!     .build()
//!     .unwrap();
//! // A guest memory with "hi\n" at 16 and one ciovec {16, 3} at 0.
//! let mut mem = vec![0u8; 64];
//! mem[0..4].copy_from_slice(&16u32.to_le_bytes());
//! mem[4..8].copy_from_slice(&3u32.to_le_bytes());
//! mem[16..19].copy_from_slice(b"hi\n");
//! // fd_write(fd 1, iovs 0, 1 iovec, nwritten at 32) -> errno 0
//! assert_eq!(call(&mut ctx, &mut mem, "fd_write", &[1, 0, 1, 32]), Ok(Some(0)));
//! assert_eq!(out.contents(), b"hi\n");
//! assert_eq!(mem[32], 3);
//! ```

pub mod ctx;
pub mod errno;
pub mod funcs;
mod host;
mod imports;
pub mod memory;
pub mod sandbox;
pub mod types;

pub use ctx::{
    BuildError, DirPerms, HostStream, InputStream, OutputBuffer, OutputStream, Preopen, WasiCtx,
    WasiCtxBuilder,
};
pub use errno::Errno;
pub use funcs::args::Signal;
pub use funcs::WasiResult;
pub use imports::{call, errno_code, imports, signature, ImportSig, MODULE};
pub use memory::{GuestMemory, SliceMemory};

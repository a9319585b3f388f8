//! An input file's bytes: read into memory, or mapped.
//!
//! Reading a big module copies it into freshly zeroed memory, which on a
//! 40 MB module is a tenth of what `wtool validate` takes; a mapping shares
//! the page cache's copy instead, and the pages are faulted in by whichever
//! thread first reads them (the body validators, in parallel). Small files
//! and stdin are read: a mapping costs more to set up than they take to copy.

use std::fs::File;
use std::io::Read;
use std::ops::Deref;
use std::path::Path;

/// Files at least this big are mapped.
const MAP_FROM: u64 = 1 << 20;

/// The bytes of an input.
#[derive(Default)]
pub enum InputBytes {
    /// Nothing (what a command leaves once it no longer needs the bytes).
    #[default]
    Empty,
    /// Read into memory.
    Owned(Vec<u8>),
    /// A private read-only mapping of a regular file.
    Mapped(memmap2::Mmap),
}

impl InputBytes {
    /// The file at `path`: mapped when it is a big regular file (and the
    /// mapping works), else read.
    pub fn read_file(path: &Path) -> std::io::Result<InputBytes> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_file() && meta.len() >= MAP_FROM {
            if let Some(map) = map(&file) {
                return Ok(InputBytes::Mapped(map));
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        Ok(InputBytes::Owned(bytes))
    }
}

/// A read-only mapping of all of `file`, or `None` where mapping fails
/// (some file systems, an empty file).
#[allow(unsafe_code)] // memmap2's constructor: see SAFETY
fn map(file: &File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is only ever read, through the `&[u8]` it derefs
    // to. memmap2 requires that the file not change while mapped: wtool
    // itself never writes to an input while holding it (outputs go to a
    // temporary file renamed over the target, a new inode), so only
    // another process writing or truncating the same file at the same time
    // could, and the user would see the bytes change (or a SIGBUS on
    // truncation), as with any tool that maps its input (`grep --mmap`,
    // ripgrep). Decoding is defined for any bytes, so changed bytes give
    // an error or a different module, never a crash of ours.
    unsafe { memmap2::Mmap::map(file) }.ok()
}

impl AsRef<[u8]> for InputBytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl Deref for InputBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            InputBytes::Empty => &[],
            InputBytes::Owned(v) => v,
            InputBytes::Mapped(m) => m,
        }
    }
}

impl From<Vec<u8>> for InputBytes {
    fn from(v: Vec<u8>) -> Self {
        InputBytes::Owned(v)
    }
}

impl std::fmt::Debug for InputBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            InputBytes::Empty | InputBytes::Owned(_) => "read",
            InputBytes::Mapped(_) => "mapped",
        };
        write!(f, "InputBytes({kind}, {} bytes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_files_are_mapped_small_ones_read_both_as_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..MAP_FROM as usize + 3)
            .map(|i| (i % 251) as u8)
            .collect();
        let small = b"\0asm\x01\0\0\0".to_vec();
        for (name, bytes, mapped) in [("big.wasm", &big, true), ("small.wasm", &small, false)] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let got = InputBytes::read_file(&path).unwrap();
            assert_eq!(&got[..], &bytes[..], "{name}");
            assert_eq!(matches!(got, InputBytes::Mapped(_)), mapped, "{name}");
        }
        assert!(InputBytes::read_file(&dir.path().join("missing")).is_err());
        assert!(InputBytes::default().is_empty());
    }
}

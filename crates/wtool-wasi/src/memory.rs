//! Guest linear memory as the host functions see it.
//!
//! The interpreter implements [`GuestMemory`] over its linear memory (two
//! methods); every access the WASI functions make goes through the provided,
//! bounds-checked methods, so a hostile pointer or length is `EFAULT` and never
//! a host panic, and no host buffer is ever sized by a guest length before that
//! length has been checked against the memory.

use crate::errno::Errno;

/// A view of one guest linear memory.
pub trait GuestMemory {
    /// The whole memory.
    fn bytes(&self) -> &[u8];

    /// The whole memory, writable.
    fn bytes_mut(&mut self) -> &mut [u8];

    /// The current size in bytes.
    fn size(&self) -> u64 {
        self.bytes().len() as u64
    }

    /// `len` bytes at `ptr`, or `EFAULT` if any of them is outside the memory.
    fn read(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let range = range(self.bytes().len(), ptr, len)?;
        self.bytes().get(range).ok_or(Errno::Fault)
    }

    /// `len` writable bytes at `ptr`, or `EFAULT`.
    fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let range = range(self.bytes().len(), ptr, len)?;
        self.bytes_mut().get_mut(range).ok_or(Errno::Fault)
    }

    /// Copies `data` to `ptr`, or `EFAULT` (nothing written) if it does not fit.
    fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), Errno> {
        let len = u32::try_from(data.len()).map_err(|_| Errno::Fault)?;
        self.slice_mut(ptr, len)?.copy_from_slice(data);
        Ok(())
    }

    /// Checks that `len` bytes at `ptr` are inside the memory.
    fn check(&self, ptr: u32, len: u64) -> Result<(), Errno> {
        let end = u64::from(ptr).checked_add(len).ok_or(Errno::Fault)?;
        if end > self.bytes().len() as u64 {
            return Err(Errno::Fault);
        }
        Ok(())
    }

    /// A little-endian `u8` at `ptr`.
    fn read_u8(&self, ptr: u32) -> Result<u8, Errno> {
        Ok(self.read(ptr, 1)?[0])
    }

    /// A little-endian `u16` at `ptr`.
    fn read_u16(&self, ptr: u32) -> Result<u16, Errno> {
        let b = self.read(ptr, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    /// A little-endian `u32` at `ptr`.
    fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        let mut a = [0u8; 4];
        a.copy_from_slice(self.read(ptr, 4)?);
        Ok(u32::from_le_bytes(a))
    }

    /// A little-endian `u64` at `ptr`.
    fn read_u64(&self, ptr: u32) -> Result<u64, Errno> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.read(ptr, 8)?);
        Ok(u64::from_le_bytes(a))
    }

    /// Writes a little-endian `u32` at `ptr`.
    fn write_u32(&mut self, ptr: u32, v: u32) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Writes a little-endian `u64` at `ptr`.
    fn write_u64(&mut self, ptr: u32, v: u64) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }
}

/// The index range of `len` bytes at `ptr` in a memory of `size` bytes.
fn range(size: usize, ptr: u32, len: u32) -> Result<std::ops::Range<usize>, Errno> {
    let start = usize::try_from(ptr).map_err(|_| Errno::Fault)?;
    let len = usize::try_from(len).map_err(|_| Errno::Fault)?;
    let end = start.checked_add(len).ok_or(Errno::Fault)?;
    if end > size {
        return Err(Errno::Fault);
    }
    Ok(start..end)
}

impl GuestMemory for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

/// A borrowed byte slice as guest memory (for glue whose memory is a `&mut [u8]`).
pub struct SliceMemory<'a>(pub &'a mut [u8]);

impl GuestMemory for SliceMemory<'_> {
    fn bytes(&self) -> &[u8] {
        self.0
    }
    fn bytes_mut(&mut self) -> &mut [u8] {
        self.0
    }
}

/// One `iovec`/`ciovec` entry, already checked to lie inside the memory.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IoVec {
    pub ptr: u32,
    pub len: u32,
}

/// Reads `count` iovecs at `ptr` and checks every buffer against the memory
/// before any I/O happens, so a bad entry fails the call with no side effect.
pub(crate) fn read_iovecs(
    mem: &dyn GuestMemory,
    ptr: u32,
    count: u32,
) -> Result<Vec<IoVec>, Errno> {
    // The array itself must fit, which bounds the allocation by the memory size.
    mem.check(ptr, u64::from(count) * 8)?;
    let mut out = Vec::with_capacity(count as usize);
    let mut total: u64 = 0;
    for i in 0..count {
        let at = u32::try_from(u64::from(ptr) + u64::from(i) * 8).map_err(|_| Errno::Fault)?;
        let v = IoVec {
            ptr: mem.read_u32(at)?,
            len: mem.read_u32(at.checked_add(4).ok_or(Errno::Fault)?)?,
        };
        mem.check(v.ptr, u64::from(v.len))?;
        total += u64::from(v.len);
        out.push(v);
    }
    // preview1 returns sizes as u32: a total the guest could not be told is invalid.
    if total > u64::from(u32::MAX) {
        return Err(Errno::Inval);
    }
    Ok(out)
}

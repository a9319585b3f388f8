//! The bytes behind a linear memory: address space reserved once for the
//! largest size the memory may reach, made accessible as it grows, and
//! filled by the OS's zero pages, so untouched pages cost no RSS and growth
//! never copies.
//!
//! The base address of a [`Region`] never changes while it lives: growing
//! only makes more of the reservation readable and writable. The
//! interpreter relies on that (its cached memory-0 base stays valid across
//! `memory.grow`; only the length is re-read), and so will shared memories,
//! which other threads address while one of them grows the memory.
//!
//! On Unix the reservation is an anonymous `PROT_NONE` mapping with
//! `MAP_NORESERVE` (address space only, no commit charge) and growth is an
//! `mprotect` to read-write. Elsewhere a `Vec<u8>` stands in (eager and
//! copying, but correct).

use std::fmt;

/// Reserving or growing a region failed.
#[derive(Debug)]
pub struct RegionError(pub std::io::Error);

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot map linear memory: {}", self.0)
    }
}

#[cfg(unix)]
pub(crate) use unix::Region;

#[cfg(not(unix))]
pub(crate) use portable::Region;

#[cfg(unix)]
#[allow(unsafe_code)] // the mapping calls; each has its SAFETY line
mod unix {
    use std::ffi::c_void;
    use std::ptr::NonNull;

    use rustix::mm::{mmap_anonymous, mprotect, munmap, MapFlags, MprotectFlags, ProtFlags};

    use super::RegionError;

    /// Reserved address space of which the first `len` bytes are in use and
    /// the first `committed` bytes (a multiple of the host page size, at
    /// least `len`) are readable and writable.
    pub(crate) struct Region {
        /// Start of the mapping; dangling (and unmapped) when `reserved == 0`.
        base: NonNull<u8>,
        len: usize,
        committed: usize,
        reserved: usize,
    }

    fn host_page() -> usize {
        rustix::param::page_size()
    }

    fn round_up(n: usize) -> Option<usize> {
        let p = host_page();
        n.checked_add(p - 1).map(|x| x & !(p - 1))
    }

    impl Region {
        /// Reserves `reserve` bytes (rounded up to host pages) and makes the
        /// first `len` of them usable. `len <= reserve <= isize::MAX`.
        pub fn new(len: usize, reserve: usize) -> Result<Region, RegionError> {
            let reserve = round_up(reserve.max(len))
                .filter(|&r| r <= isize::MAX as usize)
                .ok_or_else(|| RegionError(std::io::Error::other("reservation too large")))?;
            if reserve == 0 {
                return Ok(Region {
                    base: NonNull::dangling(),
                    len: 0,
                    committed: 0,
                    reserved: 0,
                });
            }
            // SAFETY: a fresh anonymous mapping at an address the kernel
            // chooses (null hint) aliases nothing; `reserve` is non-zero.
            let p = unsafe {
                mmap_anonymous(
                    std::ptr::null_mut(),
                    reserve,
                    ProtFlags::empty(),
                    MapFlags::PRIVATE | MapFlags::NORESERVE,
                )
            }
            .map_err(|e| RegionError(e.into()))?;
            let base = NonNull::new(p.cast::<u8>())
                .ok_or_else(|| RegionError(std::io::Error::other("mmap returned null")))?;
            let mut r = Region {
                base,
                len: 0,
                committed: 0,
                reserved: reserve,
            };
            r.grow(len)?;
            Ok(r)
        }

        /// Bytes in use.
        #[inline]
        pub fn len(&self) -> usize {
            self.len
        }

        /// Bytes of address space reserved (the most `grow` can reach).
        pub fn reserved(&self) -> usize {
            self.reserved
        }

        /// Start of the bytes; the same address for the region's whole life.
        #[inline]
        pub fn as_mut_ptr(&mut self) -> *mut u8 {
            self.base.as_ptr()
        }

        /// The bytes in use.
        #[inline]
        pub fn as_slice(&self) -> &[u8] {
            // SAFETY: `base..base + len` lies inside the read-write part of
            // a live mapping (`len <= committed`, kept by `grow`), or `len`
            // is 0 with a dangling, aligned `base`; `len <= isize::MAX`
            // (checked in `new`). Only `&mut self` methods write.
            unsafe { std::slice::from_raw_parts(self.base.as_ptr(), self.len) }
        }

        /// The bytes in use, writable.
        #[inline]
        pub fn as_mut_slice(&mut self) -> &mut [u8] {
            // SAFETY: as in `as_slice`; `&mut self` makes this the only
            // reference into the region.
            unsafe { std::slice::from_raw_parts_mut(self.base.as_ptr(), self.len) }
        }

        /// Makes the first `new_len` bytes usable (never shrinks); bytes
        /// beyond the old length read as zero. Fails past the reservation
        /// or when the OS refuses to commit, leaving the region as it was.
        pub fn grow(&mut self, new_len: usize) -> Result<(), RegionError> {
            if new_len <= self.len {
                return Ok(());
            }
            if new_len > self.reserved {
                return Err(RegionError(std::io::Error::other(
                    "past the reserved address space",
                )));
            }
            // `reserved` is a page multiple, so this cannot overflow it.
            let want = round_up(new_len).unwrap_or(self.reserved);
            if want > self.committed {
                // SAFETY: `committed..want` lies inside our own mapping
                // (`want <= reserved`) and starts page-aligned (`committed`
                // is a page multiple); nothing references those bytes yet,
                // and making them read-write only adds access.
                unsafe {
                    mprotect(
                        self.base.as_ptr().add(self.committed).cast::<c_void>(),
                        want - self.committed,
                        MprotectFlags::READ | MprotectFlags::WRITE,
                    )
                }
                .map_err(|e| RegionError(e.into()))?;
                self.committed = want;
            }
            // Bytes between the old and new length were never written
            // (every write goes through a slice of `len` bytes), so they
            // are still the OS's zero pages.
            self.len = new_len;
            Ok(())
        }
    }

    impl Drop for Region {
        fn drop(&mut self) {
            if self.reserved > 0 {
                // SAFETY: `base..base + reserved` is exactly the mapping made
                // in `new`; `&mut self` in drop means no slice into it lives.
                let _ = unsafe { munmap(self.base.as_ptr().cast::<c_void>(), self.reserved) };
            }
        }
    }
}

#[cfg(not(unix))]
mod portable {
    use super::RegionError;

    /// A growable zeroed buffer (copies on growth; base may move).
    pub(crate) struct Region {
        data: Vec<u8>,
        reserved: usize,
    }

    impl Region {
        pub fn new(len: usize, reserve: usize) -> Result<Region, RegionError> {
            let mut r = Region {
                data: Vec::new(),
                reserved: reserve.max(len),
            };
            r.grow(len)?;
            Ok(r)
        }
        pub fn len(&self) -> usize {
            self.data.len()
        }
        pub fn reserved(&self) -> usize {
            self.reserved
        }
        pub fn as_mut_ptr(&mut self) -> *mut u8 {
            self.data.as_mut_ptr()
        }
        pub fn as_slice(&self) -> &[u8] {
            &self.data
        }
        pub fn as_mut_slice(&mut self) -> &mut [u8] {
            &mut self.data
        }
        pub fn grow(&mut self, new_len: usize) -> Result<(), RegionError> {
            if new_len > self.reserved {
                return Err(RegionError(std::io::Error::other(
                    "past the reserved address space",
                )));
            }
            if new_len > self.data.len() {
                self.data
                    .try_reserve_exact(new_len - self.data.len())
                    .map_err(|e| RegionError(std::io::Error::other(e)))?;
                self.data.resize(new_len, 0);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Region;

    const GIB: usize = 1 << 30;

    /// Every byte made usable by `grow` is readable, zero and writable: were
    /// the `mprotect` in `grow` skipped or short, these reads and writes
    /// would fault and kill the test.
    #[test]
    fn grown_bytes_are_zero_and_writable() {
        let mut r = Region::new(0, 1 << 20).unwrap();
        for len in [1usize, 4095, 4096, 4097, 65536, 65536 * 3 + 7, 1 << 20] {
            let old = r.len();
            r.grow(len).unwrap();
            assert_eq!(r.len(), len);
            assert!(r.as_slice()[old..].iter().all(|&b| b == 0));
            let s = r.as_mut_slice();
            s[old..].fill(0xAB);
            assert!(s[old..].iter().all(|&b| b == 0xAB));
        }
    }

    /// The base stays put across growth (the interpreter's cached base and
    /// shared memories depend on it).
    #[test]
    fn base_does_not_move() {
        let mut r = Region::new(65536, 64 << 20).unwrap();
        let p = r.as_mut_ptr();
        r.as_mut_slice()[0] = 7;
        r.grow(32 << 20).unwrap();
        assert_eq!(r.as_mut_ptr(), p);
        assert_eq!(r.as_slice()[0], 7);
        r.as_mut_slice()[(32 << 20) - 1] = 9;
    }

    /// Growth stops at the reservation, and a failed grow changes nothing.
    #[test]
    fn no_growth_past_reservation() {
        let mut r = Region::new(10, 65536).unwrap();
        assert!(r.grow(65537).is_err());
        assert_eq!(r.len(), 10);
        r.grow(65536).unwrap();
        assert_eq!(r.as_slice().len(), 65536);
    }

    /// Dropping a region returns its address space: 40,000 reservations of
    /// 4 GiB (160 TiB) exceed a 47-bit address space, and the kernel's map
    /// count limit, unless each is unmapped.
    #[test]
    fn drop_unmaps() {
        for _ in 0..40_000 {
            let mut r = Region::new(1, 4 * GIB).unwrap();
            r.as_mut_slice()[0] = 1;
        }
    }

    /// A large reservation costs address space, not memory: 64 GiB
    /// reserved with 1 byte in use, then a byte touched 4 GiB in.
    #[test]
    fn large_reservation_is_lazy() {
        let mut r = Region::new(1, 64 * GIB).unwrap();
        assert_eq!(r.reserved(), 64 * GIB);
        r.grow(4 * GIB + 1).unwrap();
        r.as_mut_slice()[4 * GIB] = 1;
        assert_eq!(r.as_slice()[4 * GIB - 1], 0);
    }
}

//! Linear memory instances: sizes in pages of any power-of-two size, 32- or
//! 64-bit address spaces, and a limit on how large a memory may grow.
//!
//! The bytes live in a [`Region`](crate::region): the address space for the
//! largest size the memory may reach (its declared maximum, the address
//! space, or the store's `max_memory_bytes`, whichever is least) is reserved
//! at creation, pages are committed as the memory grows and read as the OS's
//! zero pages until touched. So a memory grown to 4 GiB and barely used
//! costs barely anything, `memory.grow` never copies, and the base address
//! of a memory's bytes never changes: after a grow only the length needs
//! re-reading (`Cx::mem_view`).
//!
//! API for the rest of the interpreter: [`MemInst::new`], [`MemInst::grow`],
//! [`MemInst::pages`], [`MemInst::len`], [`MemInst::bytes`] /
//! [`MemInst::bytes_mut`], [`MemInst::base_ptr`], [`MemInst::current_type`].

use std::fmt;

use wtool_ast::{Limits, MemoryType};

use crate::region::Region;

/// Bytes per page (the default page size).
pub const PAGE_SIZE: u64 = 65536;
/// The 32-bit address space in 64 KiB pages.
pub const MAX_PAGES: u64 = 65536;
/// The default limit on one memory's size: the whole 32-bit address space.
pub const DEFAULT_MAX_MEMORY_BYTES: u64 = 1 << 32;

/// Why a memory could not be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemoryError {
    /// Its minimum size is over the store's limit.
    OverLimit {
        /// Bytes the minimum size takes.
        needed: u64,
        /// The limit (`Config::max_memory_bytes`).
        limit: u64,
    },
    /// Its minimum size does not fit its address space (invalid module).
    TooLarge,
    /// The OS refused the address space or the initial pages.
    Os(String),
}

impl fmt::Display for MemoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemoryError::OverLimit { needed, limit } => write!(
                f,
                "needs {} but the memory limit is {}",
                format_bytes(*needed),
                format_bytes(*limit)
            ),
            MemoryError::TooLarge => f.write_str("memory size exceeds its address space"),
            MemoryError::Os(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for MemoryError {}

/// `n` bytes for people: `65536 bytes (64 KiB)`.
pub fn format_bytes(n: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if n >= 1 << shift {
            let v = n as f64 / (1u64 << shift) as f64;
            return if n.is_multiple_of(1 << shift) {
                format!("{n} bytes ({} {unit})", n >> shift)
            } else {
                format!("{n} bytes ({v:.1} {unit})")
            };
        }
    }
    format!("{n} bytes")
}

/// A memory instance.
pub(crate) struct MemInst {
    ty: MemoryType,
    /// log2 of the page size.
    page_log2: u32,
    /// Current size in pages.
    pages: u64,
    /// The most pages this memory may reach (type, address space and limit).
    max_pages: u64,
    region: Region,
}

impl fmt::Debug for MemInst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemInst")
            .field("ty", &self.ty)
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

impl MemInst {
    /// A zeroed memory of `ty.limits.min` pages that may grow to its
    /// declared maximum, its address space or `limit_bytes`, whichever is
    /// least.
    pub fn new(ty: MemoryType, limit_bytes: u64) -> Result<MemInst, MemoryError> {
        let page_log2 = ty.page_size_log2.unwrap_or(16);
        if page_log2 > 16 {
            return Err(MemoryError::TooLarge);
        }
        // Pages the address space holds: 2^32 or 2^64 bytes' worth (a
        // 32-bit memory of 1-byte pages stops one short, so that its size
        // fits `memory.size`'s i32).
        let space_pages: u64 = match (ty.index64, page_log2) {
            (false, 0) => u32::MAX as u64,
            (false, l) => 1 << (32 - l),
            (true, l) => u64::MAX >> l,
        };
        if ty.limits.min > space_pages {
            return Err(MemoryError::TooLarge);
        }
        let needed = ty.limits.min << page_log2;
        if needed > limit_bytes {
            return Err(MemoryError::OverLimit {
                needed,
                limit: limit_bytes,
            });
        }
        let max_pages = ty
            .limits
            .max
            .unwrap_or(u64::MAX)
            .min(space_pages)
            .min(limit_bytes >> page_log2)
            // The host's own address space (usize) bounds it too.
            .min((isize::MAX as u64) >> page_log2);
        let len = usize::try_from(needed).map_err(|_| MemoryError::TooLarge)?;
        // Reserve for the largest size; if the OS will not give that much
        // address space, settle for less (growth then stops earlier, with
        // `memory.grow` returning -1 as the spec allows).
        let mut reserve = max_pages << page_log2;
        let region = loop {
            match Region::new(len, reserve as usize) {
                Ok(r) => break r,
                Err(e) if reserve <= needed => return Err(MemoryError::Os(e.to_string())),
                Err(_) => reserve = (reserve / 2).max(needed),
            }
        };
        let max_pages = max_pages.min(region.reserved() as u64 >> page_log2);
        Ok(MemInst {
            ty,
            page_log2,
            pages: ty.limits.min,
            max_pages,
            region,
        })
    }

    /// Current size in pages.
    #[inline]
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Whether addresses are 64-bit (memory64).
    #[inline]
    pub fn is64(&self) -> bool {
        self.ty.index64
    }

    /// Whether the memory is shared (threads).
    #[inline]
    pub fn is_shared(&self) -> bool {
        self.ty.shared
    }

    /// Current size in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.region.len()
    }

    /// The memory's bytes.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        self.region.as_slice()
    }

    /// The memory's bytes, writable.
    #[inline]
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.region.as_mut_slice()
    }

    /// Start of the bytes: the same address for the memory's whole life,
    /// valid for [`len`](Self::len) bytes (which only `grow` changes).
    #[inline]
    pub fn base_ptr(&mut self) -> *mut u8 {
        self.region.as_mut_ptr()
    }

    /// The type with the current size as minimum (for import matching).
    pub fn current_type(&self) -> MemoryType {
        MemoryType {
            limits: Limits {
                min: self.pages,
                max: self.ty.limits.max,
            },
            ..self.ty
        }
    }

    /// `memory.grow` by `delta` pages: the old size in pages, or `None`
    /// (the instruction's -1) past the maximum, the limit or what the OS
    /// will commit. New pages read as zero.
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages;
        let new = old.checked_add(delta).filter(|&n| n <= self.max_pages)?;
        let bytes = usize::try_from(new << self.page_log2).ok()?;
        self.region.grow(bytes).ok()?;
        self.pages = new;
        Some(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(min: u64, max: Option<u64>) -> MemoryType {
        MemoryType {
            limits: Limits { min, max },
            shared: false,
            index64: false,
            page_size_log2: None,
        }
    }

    #[test]
    fn grows_to_the_declared_maximum() {
        let mut m = MemInst::new(ty(1, Some(3)), DEFAULT_MAX_MEMORY_BYTES).unwrap();
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.len(), 3 * 65536);
        assert_eq!(m.grow(1), None);
        assert_eq!(m.grow(0), Some(3));
    }

    #[test]
    fn the_limit_caps_growth_and_creation() {
        let mut m = MemInst::new(ty(1, None), 4 * 65536).unwrap();
        assert_eq!(m.grow(3), Some(1));
        assert_eq!(m.grow(1), None);
        assert_eq!(m.pages(), 4);
        assert_eq!(
            MemInst::new(ty(5, None), 4 * 65536).unwrap_err(),
            MemoryError::OverLimit {
                needed: 5 * 65536,
                limit: 4 * 65536
            }
        );
    }

    #[test]
    fn full_32_bit_space_reserved_lazily() {
        let mut m = MemInst::new(ty(0, None), DEFAULT_MAX_MEMORY_BYTES).unwrap();
        let base = m.base_ptr();
        assert_eq!(m.grow(65536), Some(0));
        assert_eq!(m.grow(1), None);
        assert_eq!(m.len(), 1 << 32);
        m.bytes_mut()[(1 << 32) - 1] = 1;
        assert_eq!(m.base_ptr(), base);
    }

    #[test]
    fn one_byte_pages() {
        let mut t = ty(3, Some(10));
        t.page_size_log2 = Some(0);
        let mut m = MemInst::new(t, DEFAULT_MAX_MEMORY_BYTES).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m.grow(7), Some(3));
        assert_eq!(m.bytes(), &[0; 10]);
        assert_eq!(m.grow(1), None);
    }

    #[test]
    fn memory64_grows_past_4_gib_when_the_limit_allows() {
        let mut t = ty(1, None);
        t.index64 = true;
        let mut m = MemInst::new(t, 8 << 30).unwrap();
        assert_eq!(m.grow(65536), Some(1));
        m.bytes_mut()[(1 << 32) + 65535] = 5;
        assert_eq!(m.grow(65536), None, "past the 8 GiB limit");
    }
}

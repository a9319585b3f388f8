//! Linear memory instances and their bounds rules.

use wtool_ast::{Limits, MemoryType};

/// Bytes per page.
pub const PAGE_SIZE: u64 = 65536;
/// The 32-bit address space limit in pages.
pub const MAX_PAGES: u64 = 65536;

/// A memory instance.
#[derive(Clone, Debug)]
pub(crate) struct MemInst {
    pub ty: MemoryType,
    pub data: Vec<u8>,
}

impl MemInst {
    /// A zeroed memory of `ty.limits.min` pages; `None` if too large.
    pub fn new(ty: MemoryType) -> Option<MemInst> {
        if ty.limits.min > MAX_PAGES {
            return None;
        }
        let bytes = usize::try_from(ty.limits.min * PAGE_SIZE).ok()?;
        let mut data = Vec::new();
        data.try_reserve_exact(bytes).ok()?;
        data.resize(bytes, 0);
        Some(MemInst { ty, data })
    }

    /// Current size in pages.
    #[inline]
    pub fn pages(&self) -> u64 {
        self.data.len() as u64 / PAGE_SIZE
    }

    /// The type with the current size as minimum (for import matching).
    pub fn current_type(&self) -> MemoryType {
        MemoryType {
            limits: Limits {
                min: self.pages(),
                max: self.ty.limits.max,
            },
            ..self.ty
        }
    }

    /// `memory.grow`: the old size in pages, or -1 (as u32) on failure.
    pub fn grow(&mut self, delta: u32) -> u32 {
        let old = self.pages();
        let new = old + delta as u64;
        let max = self.ty.limits.max.unwrap_or(MAX_PAGES).min(MAX_PAGES);
        if new > max {
            return u32::MAX;
        }
        let Ok(bytes) = usize::try_from(new * PAGE_SIZE) else {
            return u32::MAX;
        };
        if self
            .data
            .try_reserve_exact(bytes - self.data.len())
            .is_err()
        {
            return u32::MAX;
        }
        self.data.resize(bytes, 0);
        old as u32
    }
}

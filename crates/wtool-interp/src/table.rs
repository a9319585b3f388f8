//! Table instances and their bounds rules.

use wtool_ast::{Limits, TableType};

/// The default limit on one table's size in elements (8 bytes each: 80 MB).
pub const MAX_TABLE: u64 = 10_000_000;

/// A table instance: reference slots.
#[derive(Clone, Debug)]
pub(crate) struct TableInst {
    pub ty: TableType,
    pub elems: Vec<u64>,
    /// The most elements `grow` may reach (type, index space and limit).
    max: u64,
}

impl TableInst {
    /// A table of `ty.limits.min` copies of `init` that may grow to its
    /// declared maximum, its index space or `limit` elements, whichever is
    /// least; `None` if the minimum is over `limit`.
    pub fn new(ty: TableType, init: u64, limit: u64) -> Option<TableInst> {
        let space = if ty.index64 {
            u64::MAX
        } else {
            u32::MAX as u64
        };
        // Below 2^32 elements even for table64: `call_indirect` reads
        // indices as 32 bits (growing further returns -1, as the spec allows).
        let max = ty
            .limits
            .max
            .unwrap_or(space)
            .min(space)
            .min(limit)
            .min(u32::MAX as u64);
        if ty.limits.min > max {
            return None;
        }
        let n = usize::try_from(ty.limits.min).ok()?;
        let mut elems = Vec::new();
        elems.try_reserve_exact(n).ok()?;
        elems.resize(n, init);
        Some(TableInst { ty, elems, max })
    }

    /// The type with the current size as minimum.
    pub fn current_type(&self) -> TableType {
        TableType {
            limits: Limits {
                min: self.elems.len() as u64,
                max: self.ty.limits.max,
            },
            ..self.ty
        }
    }

    /// `table.grow` by `delta` elements: the old size, or `None` (the
    /// instruction's -1) past the maximum or the limit.
    pub fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta).filter(|&n| n <= self.max)?;
        let extra = usize::try_from(delta).ok()?;
        self.elems.try_reserve_exact(extra).ok()?;
        self.elems.resize(new as usize, init);
        Some(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::RefType;

    fn ty(min: u64, max: Option<u64>) -> TableType {
        TableType {
            elem: RefType::FUNCREF,
            limits: Limits { min, max },
            index64: false,
        }
    }

    #[test]
    fn limit_bounds_creation_and_growth() {
        assert!(TableInst::new(ty(11, None), 0, 10).is_none());
        let mut t = TableInst::new(ty(10, None), 0, 10).unwrap();
        assert_eq!(t.grow(1, 0), None);
        assert_eq!(t.grow(0, 0), Some(10));
        let mut t = TableInst::new(ty(4, Some(6)), 0, 10).unwrap();
        assert_eq!(t.grow(2, 0), Some(4));
        assert_eq!(t.grow(1, 0), None);
        assert_eq!(t.grow(u64::MAX, 0), None);
    }
}

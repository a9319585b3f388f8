//! Table instances and their bounds rules.

use wtool_ast::{Limits, TableType};

/// The largest table this interpreter allocates (elements).
pub const MAX_TABLE: u64 = 10_000_000;

/// A table instance: reference slots.
#[derive(Clone, Debug)]
pub(crate) struct TableInst {
    pub ty: TableType,
    pub elems: Vec<u64>,
}

impl TableInst {
    /// A table of `ty.limits.min` copies of `init`.
    pub fn new(ty: TableType, init: u64) -> TableInst {
        let n = ty.limits.min.min(MAX_TABLE) as usize;
        TableInst {
            ty,
            elems: vec![init; n],
        }
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

    /// `table.grow`: old size or -1 (as u32).
    pub fn grow(&mut self, delta: u32, init: u64) -> u32 {
        let old = self.elems.len() as u64;
        let new = old + delta as u64;
        let max = self
            .ty
            .limits
            .max
            .unwrap_or(u32::MAX as u64)
            .min(u32::MAX as u64);
        if new > max || new > MAX_TABLE {
            return u32::MAX;
        }
        self.elems.resize(new as usize, init);
        old as u32
    }
}

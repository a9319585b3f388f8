//! Typing rules of the threads proposal's atomic accesses and of wide
//! arithmetic: instructions whose rows the compact `OpSig` form does not
//! cover (exact alignment, more than one result).

use wtool_ast::{Features, MemArg, Op, OpKind};

use super::Validator;
use crate::error::ErrorKind;
use crate::features::require;
use crate::module::ModuleInfo;
use crate::types::addr_type;

impl Validator {
    /// An atomic load, store, read-modify-write, compare-exchange, wait or
    /// notify: the memarg's alignment must be exactly the natural one.
    pub(super) fn atomic(
        &mut self,
        info: &ModuleInfo<'_>,
        op: Op,
        m: MemArg,
    ) -> Result<(), ErrorKind> {
        let row = op.info();
        let OpKind::Atomic(natural) = row.kind else {
            return Err(super::numeric::bad_immediate(op));
        };
        require(info.features, Features::THREADS)?;
        let mt = self.memory(info, m.memory)?;
        if m.align != natural {
            return Err(ErrorKind::AlignmentNotNatural);
        }
        if !mt.index64 && m.offset > u32::MAX as u64 {
            return Err(ErrorKind::OffsetOutOfRange);
        }
        let at = addr_type(mt.index64);
        // The table lists the i32 address first; memory64 widens it.
        for (i, &t) in row.params.iter().enumerate().rev() {
            self.pop_expect(if i == 0 { at } else { t })?;
        }
        self.push_vals(row.results);
        Ok(())
    }

    /// `i64.add128`, `i64.sub128`, `i64.mul_wide_{s,u}`: two i64 results.
    pub(super) fn wide(&mut self, info: &ModuleInfo<'_>, op: Op) -> Result<(), ErrorKind> {
        let row = op.info();
        require(info.features, Features::WIDE_ARITHMETIC)?;
        for &t in row.params.iter().rev() {
            self.pop_expect(t)?;
        }
        self.push_vals(row.results);
        Ok(())
    }
}

/// Whether `op` is one of the wide-arithmetic instructions.
pub(super) fn is_wide(op: Op) -> bool {
    matches!(
        op,
        Op::I64Add128 | Op::I64Sub128 | Op::I64MulWideS | Op::I64MulWideU
    )
}

//! Loads, stores, lane loads/stores and the memory instructions.

use wtool_ast::{Features, MemArg, MemoryType, Op, OpKind, ValType};

use super::numeric::bad_immediate;
use super::Validator;
use crate::error::ErrorKind;
use crate::features::require;
use crate::module::ModuleInfo;
use crate::types::addr_type;

impl Validator {
    #[inline]
    pub(super) fn memory(&self, info: &ModuleInfo<'_>, m: u32) -> Result<MemoryType, ErrorKind> {
        info.memories
            .get(m as usize)
            .copied()
            .ok_or(ErrorKind::UnknownMemory(m))
    }

    /// Checks a memarg against the memory and the op's natural alignment;
    /// returns the address type.
    #[inline]
    fn memarg(&self, info: &ModuleInfo<'_>, m: MemArg, natural: u8) -> Result<ValType, ErrorKind> {
        let (mem, align, offset) = (m.memory, m.align, m.offset);
        let mt = self.memory(info, mem)?;
        if align > natural {
            return Err(ErrorKind::AlignmentTooLarge);
        }
        if !mt.index64 && offset > u32::MAX as u64 {
            return Err(ErrorKind::OffsetOutOfRange);
        }
        Ok(addr_type(mt.index64))
    }

    #[inline]
    pub(super) fn mem_access(
        &mut self,
        info: &ModuleInfo<'_>,
        op: Op,
        m: MemArg,
    ) -> Result<(), ErrorKind> {
        let sig = self.sig(op)?;
        let (OpKind::Load(natural) | OpKind::Store(natural)) = sig.kind else {
            return Err(bad_immediate(op));
        };
        if sig.feature != Features::MVP {
            require(info.features, sig.feature)?;
        }
        let at = self.memarg(info, m, natural)?;
        // The table's first parameter is the i32 address; memory64 widens it.
        if sig.np == 2 {
            self.pop_expect(sig.p[1])?;
        }
        self.pop_expect(at)?;
        if sig.has_result {
            self.push(sig.r);
        }
        Ok(())
    }

    pub(super) fn mem_lane(
        &mut self,
        info: &ModuleInfo<'_>,
        op: Op,
        memarg: MemArg,
        lane: u8,
    ) -> Result<(), ErrorKind> {
        let row = op.info();
        let (OpKind::LoadLane(size) | OpKind::StoreLane(size)) = row.kind else {
            return Err(bad_immediate(op));
        };
        require(info.features, row.feature)?;
        let at = self.memarg(info, memarg, size)?;
        if lane >= 16u8 >> size.min(4) {
            return Err(ErrorKind::InvalidLaneIndex(lane));
        }
        self.pop_expect(ValType::V128)?;
        self.pop_expect(at)?;
        self.push_vals(row.results);
        Ok(())
    }

    pub(super) fn memory_size(&mut self, info: &ModuleInfo<'_>, m: u32) -> Result<(), ErrorKind> {
        let mt = self.memory(info, m)?;
        self.push(addr_type(mt.index64));
        Ok(())
    }

    pub(super) fn memory_grow(&mut self, info: &ModuleInfo<'_>, m: u32) -> Result<(), ErrorKind> {
        let at = addr_type(self.memory(info, m)?.index64);
        self.pop_expect(at)?;
        self.push(at);
        Ok(())
    }

    pub(super) fn memory_fill(&mut self, info: &ModuleInfo<'_>, m: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::BULK_MEMORY)?;
        let at = addr_type(self.memory(info, m)?.index64);
        self.pop_expect(at)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(at)?;
        Ok(())
    }

    pub(super) fn memory_copy(
        &mut self,
        info: &ModuleInfo<'_>,
        dst: u32,
        src: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::BULK_MEMORY)?;
        let d = self.memory(info, dst)?.index64;
        let s = self.memory(info, src)?.index64;
        // The length is i64 only when both memories are 64-bit.
        self.pop_expect(addr_type(d && s))?;
        self.pop_expect(addr_type(s))?;
        self.pop_expect(addr_type(d))?;
        Ok(())
    }

    pub(super) fn memory_init(
        &mut self,
        info: &ModuleInfo<'_>,
        data: u32,
        mem: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::BULK_MEMORY)?;
        let at = addr_type(self.memory(info, mem)?.index64);
        self.data_index(info, data)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(at)?;
        Ok(())
    }

    pub(super) fn data_drop(&mut self, info: &ModuleInfo<'_>, data: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::BULK_MEMORY)?;
        self.data_index(info, data)
    }

    pub(super) fn data_index(&self, info: &ModuleInfo<'_>, data: u32) -> Result<(), ErrorKind> {
        let count = info.module.data_count.ok_or(ErrorKind::DataCountRequired)?;
        if data >= count {
            return Err(ErrorKind::UnknownDataSegment(data));
        }
        Ok(())
    }
}

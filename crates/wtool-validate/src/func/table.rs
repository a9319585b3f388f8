//! Table instructions and element segments.

use wtool_ast::{Features, TableType, ValType};

use super::{mismatch, Validator};
use crate::error::{ErrorKind, Expected};
use crate::features::require;
use crate::module::ModuleInfo;
use crate::types::addr_type;

impl Validator {
    #[inline]
    fn table(&self, info: &ModuleInfo<'_>, t: u32) -> Result<TableType, ErrorKind> {
        info.tables
            .get(t as usize)
            .copied()
            .ok_or(ErrorKind::UnknownTable(t))
    }

    pub(super) fn table_get(&mut self, info: &ModuleInfo<'_>, t: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        let tt = self.table(info, t)?;
        self.pop_expect(addr_type(tt.index64))?;
        self.push(ValType::Ref(tt.elem));
        Ok(())
    }

    pub(super) fn table_set(&mut self, info: &ModuleInfo<'_>, t: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        let tt = self.table(info, t)?;
        self.pop_expect(ValType::Ref(tt.elem))?;
        self.pop_expect(addr_type(tt.index64))?;
        Ok(())
    }

    pub(super) fn table_size(&mut self, info: &ModuleInfo<'_>, t: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        let tt = self.table(info, t)?;
        self.push(addr_type(tt.index64));
        Ok(())
    }

    pub(super) fn table_grow(&mut self, info: &ModuleInfo<'_>, t: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        let tt = self.table(info, t)?;
        let at = addr_type(tt.index64);
        self.pop_expect(at)?;
        self.pop_expect(ValType::Ref(tt.elem))?;
        self.push(at);
        Ok(())
    }

    pub(super) fn table_fill(&mut self, info: &ModuleInfo<'_>, t: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::REFERENCE_TYPES)?;
        let tt = self.table(info, t)?;
        let at = addr_type(tt.index64);
        self.pop_expect(at)?;
        self.pop_expect(ValType::Ref(tt.elem))?;
        self.pop_expect(at)?;
        Ok(())
    }

    pub(super) fn table_copy(
        &mut self,
        info: &ModuleInfo<'_>,
        dst: u32,
        src: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::BULK_MEMORY)?;
        let d = self.table(info, dst)?;
        let s = self.table(info, src)?;
        if !info.tcx.ref_matches(s.elem, d.elem) {
            return Err(mismatch(
                Expected::Val(ValType::Ref(d.elem)),
                Some(ValType::Ref(s.elem)),
            ));
        }
        self.pop_expect(addr_type(d.index64 && s.index64))?;
        self.pop_expect(addr_type(s.index64))?;
        self.pop_expect(addr_type(d.index64))?;
        Ok(())
    }

    pub(super) fn table_init(
        &mut self,
        info: &ModuleInfo<'_>,
        elem: u32,
        table: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::BULK_MEMORY)?;
        let tt = self.table(info, table)?;
        let et = *info
            .elem_types
            .get(elem as usize)
            .ok_or(ErrorKind::UnknownElemSegment(elem))?;
        if !info.tcx.ref_matches(et, tt.elem) {
            return Err(mismatch(
                Expected::Val(ValType::Ref(tt.elem)),
                Some(ValType::Ref(et)),
            ));
        }
        self.pop_expect(ValType::I32)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(addr_type(tt.index64))?;
        Ok(())
    }

    pub(super) fn elem_drop(&mut self, info: &ModuleInfo<'_>, elem: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::BULK_MEMORY)?;
        if elem as usize >= info.elem_types.len() {
            return Err(ErrorKind::UnknownElemSegment(elem));
        }
        Ok(())
    }
}

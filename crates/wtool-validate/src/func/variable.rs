//! Locals and globals.

use crate::types::Ty;

use super::Validator;
use crate::error::ErrorKind;
use crate::module::ModuleInfo;

impl Validator {
    #[inline(always)]
    fn local(&self, x: u32) -> Result<Ty, ErrorKind> {
        self.locals
            .get(x as usize)
            .copied()
            .ok_or(ErrorKind::UnknownLocal(x))
    }

    #[inline(always)]
    pub(super) fn local_get(&mut self, x: u32) -> Result<(), ErrorKind> {
        let t = self.local(x)?;
        if self.track_inits && !self.inited.get(x as usize).copied().unwrap_or(true) {
            return Err(ErrorKind::UninitializedLocal(x));
        }
        self.push(t);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn local_set(&mut self, x: u32) -> Result<(), ErrorKind> {
        let t = self.local(x)?;
        self.pop_expect(t)?;
        self.init_local(x);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn local_tee(&mut self, x: u32) -> Result<(), ErrorKind> {
        let t = self.local(x)?;
        self.pop_expect(t)?;
        self.init_local(x);
        self.push(t);
        Ok(())
    }

    /// Records that local `x` is set (for non-defaultable locals).
    #[inline(always)]
    fn init_local(&mut self, x: u32) {
        if self.track_inits {
            if let Some(i) = self.inited.get_mut(x as usize) {
                if !*i {
                    *i = true;
                    self.init_log.push(x);
                }
            }
        }
    }

    #[inline(always)]
    pub(super) fn global_get(&mut self, info: &ModuleInfo<'_>, x: u32) -> Result<(), ErrorKind> {
        let g = info
            .globals
            .get(x as usize)
            .ok_or(ErrorKind::UnknownGlobal(x))?;
        self.push(g.ty);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn global_set(&mut self, info: &ModuleInfo<'_>, x: u32) -> Result<(), ErrorKind> {
        let g = *info
            .globals
            .get(x as usize)
            .ok_or(ErrorKind::UnknownGlobal(x))?;
        if !g.mutable {
            return Err(ErrorKind::GlobalImmutable(x));
        }
        self.pop_expect(g.ty)?;
        Ok(())
    }
}

//! Compiling variable and parametric instructions: locals (lazy reads,
//! redirected writes), globals, `select`, `drop`.

use wtool_ast::ValType::I32;

use super::{same_shape, CompileError, Compiler, Entry, Src};
use crate::ins::Ins;
use crate::values::slots;

impl Compiler<'_> {
    /// `drop`.
    pub(super) fn drop_(&mut self) -> Result<(), CompileError> {
        self.pop()?;
        Ok(())
    }

    /// `select` (typed or not).
    pub(super) fn select(&mut self) -> Result<(), CompileError> {
        let c = self.pop_expect(I32)?;
        let b = self.pop()?;
        let a = self.pop()?;
        if !same_shape(a.ty, b.ty) {
            return Err(self.err("type mismatch"));
        }
        let c = self.reg(c);
        let d = a.pos;
        if slots(a.ty) == 2 {
            let bs = self.reg(b);
            self.write(d, a);
            self.emit(Ins::Select2 { d, b: bs, c });
            self.push(a.ty, Src::Stack);
            return Ok(());
        }
        // One instruction whatever the operands are; it writes only `d`,
        // so a `local.set` can take its result over.
        let small = |e: &Entry| match e.src {
            Src::Const(k) => u32::try_from(k).ok(),
            _ => None,
        };
        let ins = match (small(&a), small(&b)) {
            (None, Some(imm)) => {
                let a = self.reg(a);
                Ins::SelRI { d, a, imm, c }
            }
            (Some(imm), _) => {
                let b = self.reg(b);
                Ins::SelIR { d, imm, b, c }
            }
            (None, None) => {
                let (a, b) = (self.reg(a), self.reg(b));
                Ins::SelRR { d, a, b, c }
            }
        };
        self.emit_def(ins);
        self.push(a.ty, Src::Stack);
        Ok(())
    }

    /// `local.get`: a lazy read of the local.
    pub(super) fn local_get(&mut self, i: &u32) -> Result<(), CompileError> {
        let (x, t) = self.local(*i)?;
        self.push(t, Src::Local(x));
        Ok(())
    }

    /// `local.set` (or `local.tee`, which also leaves the value).
    pub(super) fn local_set(&mut self, i: &u32, tee: bool) -> Result<(), CompileError> {
        let (x, t) = self.local(*i)?;
        let e = self.pop_expect(t)?;
        if e.src != Src::Local(x) {
            let def = self.def_of(&e);
            let pending = self.lazy_refs.get(x as usize).is_some_and(|&n| n > 0);
            match def {
                // Nothing else reads the old value: the producer
                // writes the local directly.
                Some(at) if !pending => {
                    if let Some(d) = self.code[at].dst_mut() {
                        *d = x;
                    }
                    self.last_def = None;
                }
                _ => {
                    self.materialize_local(x);
                    self.write(x, e);
                }
            }
        }
        if tee {
            self.push(t, Src::Local(x));
        }
        Ok(())
    }

    /// `global.get`.
    pub(super) fn global_get(&mut self, g: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.globals as usize, *g, "unknown global")?;
        let t = self
            .module
            .global_type(*g)
            .ok_or_else(|| self.err("unknown global"))?
            .ty;
        let d = self.height;
        if slots(t) == 2 {
            self.emit(Ins::GlobalGet2 { d, g: a });
        } else {
            self.emit_def(Ins::GlobalGet { d, g: a });
        }
        self.push(t, Src::Stack);
        Ok(())
    }

    /// `global.set`.
    pub(super) fn global_set(&mut self, g: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.globals as usize, *g, "unknown global")?;
        let t = self
            .module
            .global_type(*g)
            .ok_or_else(|| self.err("unknown global"))?
            .ty;
        let e = self.pop_expect(t)?;
        let s = self.reg(e);
        self.emit(if slots(t) == 2 {
            Ins::GlobalSet2 { g: a, s }
        } else {
            Ins::GlobalSet { g: a, s }
        });
        Ok(())
    }
}

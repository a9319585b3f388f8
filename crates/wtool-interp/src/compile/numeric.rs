//! Compiling numeric instructions: constants (lazy), register forms of
//! the table-driven ops, SIMD in stack form.

use wtool_ast::Op;
use wtool_ast::ValType::{F32, F64, I32, I64, V128};

use super::{CompileError, Compiler, Src};
use crate::forms;
use crate::ins::Ins;

impl Compiler<'_> {
    /// `i32.const`: a lazy constant.
    pub(super) fn i32_const(&mut self, v: &i32) -> Result<(), CompileError> {
        self.push(I32, Src::Const(*v as u32 as u64));
        Ok(())
    }

    /// `i64.const`.
    pub(super) fn i64_const(&mut self, v: &i64) -> Result<(), CompileError> {
        self.push(I64, Src::Const(*v as u64));
        Ok(())
    }

    /// `f32.const` (bits).
    pub(super) fn f32_const(&mut self, v: &u32) -> Result<(), CompileError> {
        self.push(F32, Src::Const(*v as u64));
        Ok(())
    }

    /// `f64.const` (bits).
    pub(super) fn f64_const(&mut self, v: &u64) -> Result<(), CompileError> {
        self.push(F64, Src::Const(*v));
        Ok(())
    }

    /// `v128.const`.
    pub(super) fn v128_const(&mut self, b: &[u8; 16]) -> Result<(), CompileError> {
        let v = u128::from_le_bytes(*b);
        let d = self.height;
        self.emit(Ins::Const64 { d, v: v as u64 });
        self.emit(Ins::Const64 {
            d: d + 1,
            v: (v >> 64) as u64,
        });
        self.push(V128, Src::Stack);
        Ok(())
    }

    /// `i8x16.shuffle`.
    pub(super) fn shuffle(&mut self, b: &[u8; 16]) -> Result<(), CompileError> {
        let v = u128::from_le_bytes(*b);
        self.stack_op(
            &[V128, V128],
            &[V128],
            &[Ins::Shuffle, Ins::Imm(v as u64), Ins::Imm((v >> 64) as u64)],
        )?;
        Ok(())
    }

    /// A SIMD lane op.
    pub(super) fn lane(&mut self, op: &Op, l: &u8) -> Result<(), CompileError> {
        let info = op.info();
        self.stack_op(info.params, info.results, &[Ins::Lane(*op, *l)])?;
        Ok(())
    }

    /// Emits a table-driven op in register form where one exists.
    pub(super) fn plain(&mut self, op: Op) -> Result<(), CompileError> {
        let info = op.info();
        if forms::is_reinterpret(op) {
            let e = self.pop_expect(info.params[0])?;
            self.push(info.results[0], e.src);
            if let Some(top) = self.stack.last_mut() {
                top.pos = e.pos;
            }
            return Ok(());
        }
        match info.params.len() {
            2 if forms::rr(op, 0, 0, 0).is_some() => {
                let b = self.pop_expect(info.params[1])?;
                let a = self.pop_expect(info.params[0])?;
                let d = a.pos;
                let ins = match (a.src, b.src) {
                    (_, Src::Const(k)) if forms::ri(op, 0, 0, k).is_some() => {
                        let prev = self.def_of(&a).map(|at| self.code[at]);
                        let ra = self.reg(a);
                        let i = forms::ri(op, d, ra, k);
                        match prev.zip(i).and_then(|(p, i)| forms::fuse2(p, i)) {
                            Some(f) => {
                                self.drop_last();
                                Some(f)
                            }
                            None => i,
                        }
                    }
                    (Src::Const(k), _) if forms::ir(op, 0, k, 0).is_some() => {
                        let rb = self.reg(b);
                        forms::ir(op, d, k, rb)
                    }
                    (_, Src::Const(k)) if forms::rf(op, 0, 0, k).is_some() => {
                        let ra = self.reg(a);
                        forms::rf(op, d, ra, k)
                    }
                    (Src::Const(k), _) if forms::fr(op, 0, k, 0).is_some() => {
                        let rb = self.reg(b);
                        forms::fr(op, d, k, rb)
                    }
                    _ => {
                        let ra = self.reg(a);
                        let rb = self.reg(b);
                        forms::rr(op, d, ra, rb)
                    }
                };
                if let Some(i) = ins {
                    self.emit_def(i);
                }
                self.push(info.results[0], Src::Stack);
                Ok(())
            }
            1 if info.results.len() == 1 && forms::un(op, 0, 0).is_some() => {
                let a = self.pop_expect(info.params[0])?;
                let d = a.pos;
                let ra = self.reg(a);
                if let Some(i) = forms::un(op, d, ra) {
                    self.emit_def(i);
                }
                self.push(info.results[0], Src::Stack);
                Ok(())
            }
            _ => self.stack_op(info.params, info.results, &[Ins::Num(op)]),
        }
    }
}

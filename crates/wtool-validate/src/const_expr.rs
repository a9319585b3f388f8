//! Constant expressions (global initializers, segment offsets and items,
//! table initializers): the instructions allowed there, typed on a small
//! stack of their own. Extended const adds integer `add`/`sub`/`mul`; GC
//! adds allocation (`struct.new*`, `array.new`, `array.new_default`,
//! `array.new_fixed`), `ref.i31` and the extern/any conversions.

use wtool_ast::{Expr, Features, HeapType, Instr, Op, RefType, ValType};

use crate::error::{ErrorKind, Expected};
use crate::features::{check_val_type, require};
use crate::module::ModuleInfo;
use crate::typesec::defaultable;

impl ModuleInfo<'_> {
    /// Validates a constant expression producing `expected`; `visible_globals`
    /// is how many globals (from index 0) it may read.
    pub(crate) fn const_expr(
        &self,
        expr: &Expr,
        expected: ValType,
        visible_globals: u32,
    ) -> Result<(), crate::ValidationError> {
        let mut stack: Vec<ValType> = Vec::new();
        let fail = |i: usize, kind: ErrorKind| {
            Err(crate::ValidationError::module(kind, expr.offset_of(i)))
        };
        let n = expr.instrs.len();
        for (i, instr) in expr.instrs.iter().enumerate() {
            if matches!(instr, Instr::End) && i + 1 == n {
                break;
            }
            if let Err(k) = self.const_instr(instr, &mut stack, visible_globals) {
                return fail(i, k);
            }
        }
        if !matches!(expr.instrs.last(), Some(Instr::End)) {
            return fail(
                n.saturating_sub(1),
                ErrorKind::Malformed("constant expression must end with end"),
            );
        }
        let last = n.saturating_sub(1);
        match stack.as_slice() {
            [t] if self.tcx.matches(*t, expected) => Ok(()),
            [] => fail(
                last,
                ErrorKind::TypeMismatch {
                    expected: Expected::Val(expected),
                    found: None,
                },
            ),
            [t] => fail(
                last,
                ErrorKind::TypeMismatch {
                    expected: Expected::Val(expected),
                    found: Some(*t),
                },
            ),
            more => fail(
                last,
                ErrorKind::ValuesRemaining {
                    count: more.len() as u32 - 1,
                },
            ),
        }
    }

    /// Pops an operand of (a subtype of) `t`.
    fn const_pop(&self, stack: &mut Vec<ValType>, t: ValType) -> Result<ValType, ErrorKind> {
        match stack.pop() {
            Some(v) if self.tcx.matches(v, t) => Ok(v),
            found => Err(ErrorKind::TypeMismatch {
                expected: Expected::Val(t),
                found,
            }),
        }
    }

    /// Types one instruction of a constant expression.
    fn const_instr(
        &self,
        instr: &Instr,
        stack: &mut Vec<ValType>,
        visible_globals: u32,
    ) -> Result<(), ErrorKind> {
        let gc = || require(self.features, Features::GC);
        let concrete = |x: u32| {
            ValType::Ref(RefType {
                nullable: false,
                heap: HeapType::Concrete(x),
            })
        };
        let t = match instr {
            Instr::I32Const(_) => ValType::I32,
            Instr::I64Const(_) => ValType::I64,
            Instr::F32Const(_) => ValType::F32,
            Instr::F64Const(_) => ValType::F64,
            Instr::V128Const(_) => {
                require(self.features, Features::SIMD)?;
                ValType::V128
            }
            Instr::RefNull(h) => {
                let r = ValType::Ref(RefType {
                    nullable: true,
                    heap: *h,
                });
                check_val_type(self.features, r, self.module.types.len() as u32)?;
                r
            }
            Instr::RefFunc(f) => {
                require(self.features, Features::REFERENCE_TYPES)?;
                let t = *self
                    .func_types
                    .get(*f as usize)
                    .ok_or(ErrorKind::UnknownFunction(*f))?;
                self.func_ref_type(t)
            }
            Instr::GlobalGet(g) => {
                if *g >= visible_globals {
                    return Err(ErrorKind::UnknownGlobal(*g));
                }
                match self.globals.get(*g as usize) {
                    None => return Err(ErrorKind::UnknownGlobal(*g)),
                    Some(gt) if gt.mutable => {
                        return Err(ErrorKind::ConstantExpressionMutableGlobal(*g))
                    }
                    Some(gt) => gt.ty,
                }
            }
            Instr::Plain(
                op @ (Op::I32Add | Op::I32Sub | Op::I32Mul | Op::I64Add | Op::I64Sub | Op::I64Mul),
            ) if self.features.contains(Features::EXTENDED_CONST) => {
                let info = op.info();
                for &p in info.params.iter().rev() {
                    self.const_pop(stack, p)?;
                }
                *info
                    .results
                    .first()
                    .ok_or(ErrorKind::ConstantExpressionRequired)?
            }
            Instr::StructNew(x) if self.features.contains(Features::GC) => {
                for f in self.struct_fields(*x)?.iter().rev() {
                    self.const_pop(stack, f.storage.unpacked())?;
                }
                concrete(*x)
            }
            Instr::StructNewDefault(x) if self.features.contains(Features::GC) => {
                if !self
                    .struct_fields(*x)?
                    .iter()
                    .all(|f| defaultable(f.storage))
                {
                    return Err(ErrorKind::FieldNotDefaultable);
                }
                concrete(*x)
            }
            Instr::ArrayNew(x) if self.features.contains(Features::GC) => {
                let f = self.array_field(*x)?;
                self.const_pop(stack, ValType::I32)?;
                self.const_pop(stack, f.storage.unpacked())?;
                concrete(*x)
            }
            Instr::ArrayNewDefault(x) if self.features.contains(Features::GC) => {
                let f = self.array_field(*x)?;
                if !defaultable(f.storage) {
                    return Err(ErrorKind::ArrayNotDefaultable);
                }
                self.const_pop(stack, ValType::I32)?;
                concrete(*x)
            }
            Instr::ArrayNewFixed { type_idx, size } if self.features.contains(Features::GC) => {
                let f = self.array_field(*type_idx)?;
                // Popping an empty stack fails, so a huge count ends early.
                for _ in 0..*size {
                    self.const_pop(stack, f.storage.unpacked())?;
                }
                concrete(*type_idx)
            }
            Instr::RefI31 => {
                gc()?;
                self.const_pop(stack, ValType::I32)?;
                ValType::Ref(RefType {
                    nullable: false,
                    heap: HeapType::I31,
                })
            }
            Instr::AnyConvertExtern | Instr::ExternConvertAny => {
                gc()?;
                let (from, to) = if matches!(instr, Instr::AnyConvertExtern) {
                    (HeapType::Extern, HeapType::Any)
                } else {
                    (HeapType::Any, HeapType::Extern)
                };
                let v = self.const_pop(
                    stack,
                    ValType::Ref(RefType {
                        nullable: true,
                        heap: from,
                    }),
                )?;
                let nullable = matches!(v, ValType::Ref(r) if r.nullable);
                ValType::Ref(RefType { nullable, heap: to })
            }
            _ => return Err(ErrorKind::ConstantExpressionRequired),
        };
        stack.push(t);
        Ok(())
    }
}

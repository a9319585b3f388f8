//! Compiling GC instructions: each becomes one stack-form `Ins::Gc` whose
//! field offsets and element kinds are read here from the module's type
//! definitions (`gc` executes them). `ref.eq` is a compare of slots, and
//! `any.convert_extern`/`extern.convert_any` change only the static type:
//! every hierarchy shares one slot encoding.

use wtool_ast::{BrCast, CompositeType, FieldType, HeapType, RefType, ValType};

use super::{CompileError, Compiler, Src};
use crate::gc::{Elem, GcOp};
use crate::ins::Ins;
use crate::values::slots;

const I32: ValType = ValType::I32;

/// `(ref null? ht)`.
fn rref(heap: HeapType, nullable: bool) -> ValType {
    ValType::Ref(RefType { nullable, heap })
}

impl Compiler<'_> {
    /// The fields of struct type `t`.
    fn struct_fields(&self, t: u32) -> Result<Vec<FieldType>, CompileError> {
        match self.module.types.get(t as usize).map(|d| &d.composite) {
            Some(CompositeType::Struct(f)) => Ok(f.clone()),
            _ => Err(self.err("type mismatch")),
        }
    }

    /// The element field of array type `t`.
    fn array_field(&self, t: u32) -> Result<FieldType, CompileError> {
        match self.module.types.get(t as usize).map(|d| &d.composite) {
            Some(CompositeType::Array(f)) => Ok(*f),
            _ => Err(self.err("type mismatch")),
        }
    }

    /// Emits `op` in stack form over `params`, leaving `results`.
    fn gc(
        &mut self,
        params: &[ValType],
        results: &[ValType],
        op: GcOp,
    ) -> Result<(), CompileError> {
        self.stack_op(params, results, &[Ins::Gc(op)])
    }

    /// `struct.new` / `struct.new_default`.
    pub(super) fn struct_new(&mut self, t: u32, default: bool) -> Result<(), CompileError> {
        let fields = self.struct_fields(t)?;
        let tys: Vec<ValType> = fields.iter().map(|f| f.storage.unpacked()).collect();
        let n: u32 = tys.iter().map(|&t| slots(t)).sum();
        let params = if default { &[][..] } else { &tys[..] };
        let op = GcOp::StructNew {
            ty: t,
            slots: n,
            default,
        };
        self.gc(params, &[rref(HeapType::Concrete(t), false)], op)
    }

    /// The slot offset and kind of field `i` of struct `t`.
    fn field(&self, t: u32, i: u32) -> Result<(u32, FieldType), CompileError> {
        let fields = self.struct_fields(t)?;
        let f = *fields
            .get(i as usize)
            .ok_or_else(|| self.err("unknown field"))?;
        let off = fields[..i as usize]
            .iter()
            .map(|f| Elem::of(f.storage).slots() as u32)
            .sum();
        Ok((off, f))
    }

    /// `struct.get`, `struct.get_s`, `struct.get_u`.
    pub(super) fn struct_get(&mut self, t: u32, i: u32, signed: bool) -> Result<(), CompileError> {
        let (off, f) = self.field(t, i)?;
        let elem = Elem::of(f.storage);
        let op = GcOp::StructGet { off, elem, signed };
        self.gc(
            &[rref(HeapType::Concrete(t), true)],
            &[f.storage.unpacked()],
            op,
        )
    }

    /// `struct.set`.
    pub(super) fn struct_set(&mut self, t: u32, i: u32) -> Result<(), CompileError> {
        let (off, f) = self.field(t, i)?;
        let elem = Elem::of(f.storage);
        let params = [rref(HeapType::Concrete(t), true), f.storage.unpacked()];
        self.gc(&params, &[], GcOp::StructSet { off, elem })
    }

    /// `array.new` / `array.new_default`.
    pub(super) fn array_new(&mut self, t: u32, default: bool) -> Result<(), CompileError> {
        let f = self.array_field(t)?;
        let elem = Elem::of(f.storage);
        let v = f.storage.unpacked();
        let params = if default { &[I32][..] } else { &[v, I32][..] };
        let op = GcOp::ArrayNew {
            ty: t,
            elem,
            default,
        };
        self.gc(params, &[rref(HeapType::Concrete(t), false)], op)
    }

    /// `array.new_fixed`.
    pub(super) fn array_new_fixed(&mut self, t: u32, n: u32) -> Result<(), CompileError> {
        let f = self.array_field(t)?;
        let elem = Elem::of(f.storage);
        if n as usize > self.stack.len() {
            return Err(self.err("type mismatch"));
        }
        let params = vec![f.storage.unpacked(); n as usize];
        let op = GcOp::ArrayNewFixed { ty: t, elem, n };
        self.gc(&params, &[rref(HeapType::Concrete(t), false)], op)
    }

    /// `array.new_data`.
    pub(super) fn array_new_data(&mut self, t: u32, d: u32) -> Result<(), CompileError> {
        let f = self.array_field(t)?;
        let data = self.addr(self.module.datas.len(), d, "unknown data segment")?;
        let op = GcOp::ArrayNewData {
            ty: t,
            elem: Elem::of(f.storage),
            data,
        };
        self.gc(&[I32, I32], &[rref(HeapType::Concrete(t), false)], op)
    }

    /// `array.new_elem`.
    pub(super) fn array_new_elem(&mut self, t: u32, e: u32) -> Result<(), CompileError> {
        self.array_field(t)?;
        let elem = self.addr(self.module.elems.len(), e, "unknown elem segment")?;
        let op = GcOp::ArrayNewElem { ty: t, elem };
        self.gc(&[I32, I32], &[rref(HeapType::Concrete(t), false)], op)
    }

    /// `array.get`, `array.get_s`, `array.get_u`.
    pub(super) fn array_get(&mut self, t: u32, signed: bool) -> Result<(), CompileError> {
        let f = self.array_field(t)?;
        let op = GcOp::ArrayGet {
            elem: Elem::of(f.storage),
            signed,
        };
        let params = [rref(HeapType::Concrete(t), true), I32];
        self.gc(&params, &[f.storage.unpacked()], op)
    }

    /// `array.set`.
    pub(super) fn array_set(&mut self, t: u32) -> Result<(), CompileError> {
        let f = self.array_field(t)?;
        let op = GcOp::ArraySet {
            elem: Elem::of(f.storage),
        };
        let params = [rref(HeapType::Concrete(t), true), I32, f.storage.unpacked()];
        self.gc(&params, &[], op)
    }

    /// `array.len`.
    pub(super) fn array_len(&mut self) -> Result<(), CompileError> {
        let r = self.top_type()?;
        self.gc(&[r], &[I32], GcOp::ArrayLen)
    }

    /// `array.fill`.
    pub(super) fn array_fill(&mut self, t: u32) -> Result<(), CompileError> {
        let f = self.array_field(t)?;
        let op = GcOp::ArrayFill {
            elem: Elem::of(f.storage),
        };
        let params = [
            rref(HeapType::Concrete(t), true),
            I32,
            f.storage.unpacked(),
            I32,
        ];
        self.gc(&params, &[], op)
    }

    /// `array.copy`.
    pub(super) fn array_copy(&mut self, dst: u32, src: u32) -> Result<(), CompileError> {
        let f = self.array_field(dst)?;
        self.array_field(src)?;
        let op = GcOp::ArrayCopy {
            elem: Elem::of(f.storage),
        };
        let params = [
            rref(HeapType::Concrete(dst), true),
            I32,
            rref(HeapType::Concrete(src), true),
            I32,
            I32,
        ];
        self.gc(&params, &[], op)
    }

    /// `array.init_data`.
    pub(super) fn array_init_data(&mut self, t: u32, d: u32) -> Result<(), CompileError> {
        let f = self.array_field(t)?;
        let data = self.addr(self.module.datas.len(), d, "unknown data segment")?;
        let op = GcOp::ArrayInitData {
            elem: Elem::of(f.storage),
            data,
        };
        let params = [rref(HeapType::Concrete(t), true), I32, I32, I32];
        self.gc(&params, &[], op)
    }

    /// `array.init_elem`.
    pub(super) fn array_init_elem(&mut self, t: u32, e: u32) -> Result<(), CompileError> {
        self.array_field(t)?;
        let elem = self.addr(self.module.elems.len(), e, "unknown elem segment")?;
        let params = [rref(HeapType::Concrete(t), true), I32, I32, I32];
        self.gc(&params, &[], GcOp::ArrayInitElem { elem })
    }

    /// `ref.i31`.
    pub(super) fn ref_i31(&mut self) -> Result<(), CompileError> {
        self.gc(&[I32], &[rref(HeapType::I31, false)], GcOp::RefI31)
    }

    /// `i31.get_s` / `i31.get_u`.
    pub(super) fn i31_get(&mut self, signed: bool) -> Result<(), CompileError> {
        let r = self.top_type()?;
        self.gc(&[r], &[I32], GcOp::I31Get { signed })
    }

    /// `ref.test`.
    pub(super) fn ref_test(&mut self, rt: RefType) -> Result<(), CompileError> {
        let r = self.top_type()?;
        self.gc(&[r], &[I32], GcOp::Test { rt })
    }

    /// `ref.cast`.
    pub(super) fn ref_cast(&mut self, rt: RefType) -> Result<(), CompileError> {
        let r = self.top_type()?;
        self.gc(&[r], &[ValType::Ref(rt)], GcOp::Cast { rt })
    }

    /// `br_on_cast` (`fail` false) and `br_on_cast_fail`: the test's
    /// outcome, computed above the reference, feeds a `br_if` that carries
    /// the reference.
    pub(super) fn br_on_cast(&mut self, c: &BrCast, fail: bool) -> Result<(), CompileError> {
        let r = self.top_type()?;
        if !matches!(r, ValType::Ref(_)) {
            return Err(self.err("type mismatch"));
        }
        let op = GcOp::TestKeep {
            rt: c.to,
            neg: fail,
        };
        self.gc(&[r], &[r, I32], op)?;
        let cond = self.pop_cond()?;
        self.branch(c.label, Some(cond))
    }

    /// `ref.eq`: equal slots (null, `i31` values and objects are encoded
    /// canonically).
    pub(super) fn ref_eq(&mut self) -> Result<(), CompileError> {
        let b = self.pop()?;
        let a = self.pop()?;
        if !matches!((a.ty, b.ty), (ValType::Ref(_), ValType::Ref(_))) {
            return Err(self.err("type mismatch"));
        }
        let rb = self.reg(b);
        let ra = self.reg(a);
        self.emit_def(Ins::I64Eq {
            d: a.pos,
            a: ra,
            b: rb,
        });
        self.push(I32, Src::Stack);
        Ok(())
    }

    /// `any.convert_extern` / `extern.convert_any`: the same slot under
    /// the other hierarchy's type.
    pub(super) fn convert_ref(&mut self, to: HeapType) -> Result<(), CompileError> {
        let e = self.pop()?;
        let ValType::Ref(r) = e.ty else {
            return Err(self.err("type mismatch"));
        };
        self.push(rref(to, r.nullable), e.src);
        Ok(())
    }
}

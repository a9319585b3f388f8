//! GC instructions: structs, arrays, `i31`, casts, the extern/any
//! conversions and `ref.eq`, with the reference interpreter's rules and
//! the testsuite's messages.

use wtool_ast::{BrCast, Features, FieldType, HeapType, RefType, StorageType, ValType};

use super::{label_types, mismatch, Validator};
use crate::error::{ErrorKind, Expected};
use crate::features::{check_val_type, require};
use crate::module::ModuleInfo;
use crate::types::Ty;
use crate::typesec::defaultable;

/// `(ref null? x)` of a type index.
#[inline]
fn concrete(x: u32, nullable: bool) -> ValType {
    ValType::Ref(RefType {
        nullable,
        heap: HeapType::Concrete(x),
    })
}

/// `(ref null? h)` of an abstract heap type.
#[inline]
fn abstract_ref(heap: HeapType, nullable: bool) -> ValType {
    ValType::Ref(RefType { nullable, heap })
}

/// The type left after a cast to `to` fails on an operand of type `from`:
/// a nullable target takes the null along.
fn diff(from: RefType, to: RefType) -> RefType {
    RefType {
        nullable: from.nullable && !to.nullable,
        heap: from.heap,
    }
}

/// Fails unless a field or element of type `f` may be written.
fn mutable_array(f: FieldType) -> Result<(), ErrorKind> {
    if f.mutable {
        Ok(())
    } else {
        Err(ErrorKind::ImmutableArray)
    }
}

/// Fails unless `s` is a numeric or vector type (what data segments fill).
fn numeric(s: StorageType) -> Result<(), ErrorKind> {
    if s.unpacked().is_num_or_vec() {
        Ok(())
    } else {
        Err(ErrorKind::ArrayNotNumeric)
    }
}

impl Validator {
    /// The element type of an element segment.
    fn elem_type(info: &ModuleInfo<'_>, e: u32) -> Result<RefType, ErrorKind> {
        info.elem_types
            .get(e as usize)
            .copied()
            .ok_or(ErrorKind::UnknownElemSegment(e))
    }

    /// Fails unless elements of segment `e` fit an array of `f`.
    fn elem_fits(&self, info: &ModuleInfo<'_>, e: u32, f: FieldType) -> Result<(), ErrorKind> {
        let et = ValType::Ref(Self::elem_type(info, e)?);
        let want = f.storage.unpacked();
        if !self.tcx.matches(et, want) {
            return Err(mismatch(Expected::Val(want), Some(et)));
        }
        Ok(())
    }

    pub(super) fn struct_new(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        default: bool,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let fields = info.struct_fields(x)?;
        if default {
            if !fields.iter().all(|f| defaultable(f.storage)) {
                return Err(ErrorKind::FieldNotDefaultable);
            }
        } else {
            for f in fields.iter().rev() {
                self.pop_expect(f.storage.unpacked())?;
            }
        }
        self.push(concrete(x, false));
        Ok(())
    }

    /// `struct.get` (`signed` `None`), `struct.get_s` and `struct.get_u`.
    pub(super) fn struct_get(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        field: u32,
        signed: Option<bool>,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = *info
            .struct_fields(x)?
            .get(field as usize)
            .ok_or(ErrorKind::UnknownField(field))?;
        let packed = !matches!(f.storage, StorageType::Val(_));
        if signed.is_some() != packed {
            return Err(ErrorKind::FieldPacking { packed });
        }
        self.pop_expect(concrete(x, true))?;
        self.push(f.storage.unpacked());
        Ok(())
    }

    pub(super) fn struct_set(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        field: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = *info
            .struct_fields(x)?
            .get(field as usize)
            .ok_or(ErrorKind::UnknownField(field))?;
        if !f.mutable {
            return Err(ErrorKind::ImmutableField);
        }
        self.pop_expect(f.storage.unpacked())?;
        self.pop_expect(concrete(x, true))?;
        Ok(())
    }

    pub(super) fn array_new(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        default: bool,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        if default && !defaultable(f.storage) {
            return Err(ErrorKind::ArrayNotDefaultable);
        }
        self.pop_expect(ValType::I32)?;
        if !default {
            self.pop_expect(f.storage.unpacked())?;
        }
        self.push(concrete(x, false));
        Ok(())
    }

    pub(super) fn array_new_fixed(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        n: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let t = Ty::from_val(info.array_field(x)?.storage.unpacked());
        for _ in 0..n {
            // Below the frame's operands, unreachable code pops the unknown
            // type for ever: stop there instead of counting to `n`.
            if self.vals.len() <= self.height && self.unreachable {
                break;
            }
            self.pop_expect(t)?;
        }
        self.push(concrete(x, false));
        Ok(())
    }

    pub(super) fn array_new_data(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        data: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        self.data_index(info, data)?;
        numeric(f.storage)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(ValType::I32)?;
        self.push(concrete(x, false));
        Ok(())
    }

    pub(super) fn array_new_elem(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        elem: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        self.elem_fits(info, elem, f)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(ValType::I32)?;
        self.push(concrete(x, false));
        Ok(())
    }

    /// `array.get` (`signed` `None`), `array.get_s` and `array.get_u`.
    pub(super) fn array_get(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        signed: Option<bool>,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        let packed = !matches!(f.storage, StorageType::Val(_));
        if signed.is_some() != packed {
            return Err(ErrorKind::ArrayPacking { packed });
        }
        self.pop_expect(ValType::I32)?;
        self.pop_expect(concrete(x, true))?;
        self.push(f.storage.unpacked());
        Ok(())
    }

    pub(super) fn array_set(&mut self, info: &ModuleInfo<'_>, x: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        mutable_array(f)?;
        self.pop_expect(f.storage.unpacked())?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(concrete(x, true))?;
        Ok(())
    }

    pub(super) fn array_len(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        self.pop_expect(abstract_ref(HeapType::Array, true))?;
        self.push(ValType::I32);
        Ok(())
    }

    pub(super) fn array_fill(&mut self, info: &ModuleInfo<'_>, x: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        mutable_array(f)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(f.storage.unpacked())?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(concrete(x, true))?;
        Ok(())
    }

    pub(super) fn array_copy(
        &mut self,
        info: &ModuleInfo<'_>,
        dst: u32,
        src: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let d = info.array_field(dst)?;
        let s = info.array_field(src)?;
        mutable_array(d)?;
        let fits = match (s.storage, d.storage) {
            (StorageType::Val(a), StorageType::Val(b)) => self.tcx.matches(a, b),
            (a, b) => a == b,
        };
        if !fits {
            return Err(ErrorKind::ArrayTypesDiffer);
        }
        self.pop_expect(ValType::I32)?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(concrete(src, true))?;
        self.pop_expect(ValType::I32)?;
        self.pop_expect(concrete(dst, true))?;
        Ok(())
    }

    pub(super) fn array_init_data(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        data: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        mutable_array(f)?;
        self.data_index(info, data)?;
        numeric(f.storage)?;
        self.pop_vals(&[concrete(x, true), ValType::I32, ValType::I32, ValType::I32])
    }

    pub(super) fn array_init_elem(
        &mut self,
        info: &ModuleInfo<'_>,
        x: u32,
        elem: u32,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let f = info.array_field(x)?;
        mutable_array(f)?;
        self.elem_fits(info, elem, f)?;
        self.pop_vals(&[concrete(x, true), ValType::I32, ValType::I32, ValType::I32])
    }

    pub(super) fn ref_i31(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        self.pop_expect(ValType::I32)?;
        self.push(abstract_ref(HeapType::I31, false));
        Ok(())
    }

    pub(super) fn i31_get(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        self.pop_expect(abstract_ref(HeapType::I31, true))?;
        self.push(ValType::I32);
        Ok(())
    }

    pub(super) fn ref_eq(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let eq = abstract_ref(HeapType::Eq, true);
        self.pop_expect(eq)?;
        self.pop_expect(eq)?;
        self.push(ValType::I32);
        Ok(())
    }

    /// `ref.test` (`cast` false) and `ref.cast`: the operand must be in
    /// the target's hierarchy.
    pub(super) fn ref_test(
        &mut self,
        info: &ModuleInfo<'_>,
        rt: RefType,
        cast: bool,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        check_val_type(
            info.features,
            ValType::Ref(rt),
            info.module.types.len() as u32,
        )?;
        self.pop_expect(abstract_ref(self.tcx.top(rt.heap), true))?;
        if cast {
            self.push(ValType::Ref(rt));
        } else {
            self.push(ValType::I32);
        }
        Ok(())
    }

    /// `br_on_cast` (`fail` false) and `br_on_cast_fail`: the target type
    /// must be a subtype of the source type, and what branches (the cast
    /// value, or what is left when the cast fails) must fit the label.
    pub(super) fn br_on_cast(
        &mut self,
        info: &ModuleInfo<'_>,
        c: &BrCast,
        fail: bool,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let n = info.module.types.len() as u32;
        check_val_type(info.features, ValType::Ref(c.from), n)?;
        check_val_type(info.features, ValType::Ref(c.to), n)?;
        if !self.tcx.ref_matches(c.to, c.from) {
            return Err(ErrorKind::CastMismatch {
                from: c.from,
                to: c.to,
            });
        }
        let (branch, stay) = if fail {
            (diff(c.from, c.to), c.to)
        } else {
            (c.to, diff(c.from, c.to))
        };
        let (kind, bt) = self.label(c.label)?;
        let ts = label_types(info, kind, &bt);
        let Some((&last, rest)) = ts.split_last() else {
            return Err(mismatch(Expected::Val(ValType::Ref(branch)), None));
        };
        if !self.tcx.matches(ValType::Ref(branch), last) {
            return Err(mismatch(Expected::Val(last), Some(ValType::Ref(branch))));
        }
        self.pop_expect(ValType::Ref(c.from))?;
        self.pop_vals(rest)?;
        self.push_vals(rest);
        self.push(ValType::Ref(stay));
        Ok(())
    }

    /// `any.convert_extern` (`to_any`) and `extern.convert_any`: nullability
    /// carries over from the operand.
    pub(super) fn convert_extern(
        &mut self,
        info: &ModuleInfo<'_>,
        to_any: bool,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::GC)?;
        let (from, to) = if to_any {
            (HeapType::Extern, HeapType::Any)
        } else {
            (HeapType::Any, HeapType::Extern)
        };
        let t = self.pop_expect(abstract_ref(from, true))?;
        let nullable = matches!(t.to_val(), Some(ValType::Ref(r)) if r.nullable);
        self.push(abstract_ref(to, nullable));
        Ok(())
    }
}

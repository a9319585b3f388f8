//! Values: the typed [`Value`] of the public API and the untyped 64-bit
//! slots of the value stack.
//!
//! On the stack every value is one `u64` slot except `v128`, which takes two
//! (low half first). References are slots too, one encoding for every
//! hierarchy, so that `any.convert_extern` and `extern.convert_any` cost
//! nothing and `ref.eq` is a compare of slots:
//! - null is [`NULL_REF`] (zero), so `ref.is_null` is one compare and zeroed
//!   locals, fields and tables start out null;
//! - a function reference is its store address plus one, a host value
//!   (`externref`, or internalized into `any`) its number plus one;
//! - an `i31` has bit 63 set and its value in the low 31 bits;
//! - a heap object (struct, array or exception, see `gc`) has bit 62 set, bit 61 for
//!   an array, a 29-bit generation in bits 32..61 and its heap index in the
//!   low 32 bits. The generation makes a reference to a reclaimed object
//!   (one a host kept past a collection) detectably stale instead of
//!   silently naming the object that reuses its index.

use std::fmt;
use wtool_ast::{HeapType, ValType};

/// The slot value of a null reference.
pub const NULL_REF: u64 = 0;

/// Tag bit of an unboxed `i31` reference.
pub(crate) const I31_TAG: u64 = 1 << 63;
/// Tag bit of a heap object reference.
pub(crate) const OBJ_TAG: u64 = 1 << 62;
/// Set in an object reference when the object is an array.
pub(crate) const ARRAY_BIT: u64 = 1 << 61;
/// Position and mask of an object reference's generation.
pub(crate) const GEN_SHIFT: u32 = 32;
pub(crate) const GEN_MASK: u64 = (1 << 29) - 1;

/// The slot of `i31` value `v` (its low 31 bits).
#[inline]
pub(crate) fn i31_slot(v: u32) -> u64 {
    I31_TAG | (v & 0x7fff_ffff) as u64
}

/// The slot of a heap object reference.
#[inline]
pub(crate) fn obj_slot(index: u32, gen: u32, array: bool) -> u64 {
    OBJ_TAG
        | if array { ARRAY_BIT } else { 0 }
        | ((gen as u64 & GEN_MASK) << GEN_SHIFT)
        | index as u64
}

/// A non-null reference in the `any` hierarchy as the host sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnyRef {
    /// A host value made internal (`any.convert_extern` of `externref` n).
    Host(u32),
    /// An unboxed 31-bit integer (`ref.i31`), sign-extended.
    I31(i32),
    /// A struct on the store's heap.
    Struct(GcRef),
    /// An array on the store's heap.
    Array(GcRef),
}

/// An opaque handle to a heap object. It names the object while something
/// the collector sees (a global, table, another live object, a running
/// function) keeps it alive; one kept only by the host may go stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GcRef(pub(crate) u64);

impl AnyRef {
    /// Decodes a non-null slot of the `any` hierarchy.
    fn from_slot(v: u64) -> AnyRef {
        if v & I31_TAG != 0 {
            AnyRef::I31(((v as u32) << 1) as i32 >> 1)
        } else if v & OBJ_TAG != 0 {
            if v & ARRAY_BIT != 0 {
                AnyRef::Array(GcRef(v))
            } else {
                AnyRef::Struct(GcRef(v))
            }
        } else {
            AnyRef::Host((v - 1) as u32)
        }
    }

    /// Its slot.
    fn slot(self) -> u64 {
        match self {
            AnyRef::Host(n) => n as u64 + 1,
            AnyRef::I31(v) => i31_slot(v as u32),
            AnyRef::Struct(r) | AnyRef::Array(r) => r.0,
        }
    }
}

/// The address of a function in a [`crate::Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncAddr(pub u32);

/// A typed WebAssembly value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// `i32`.
    I32(i32),
    /// `i64`.
    I64(i64),
    /// `f32`, as raw bits so NaN payloads survive.
    F32(u32),
    /// `f64`, as raw bits.
    F64(u64),
    /// `v128`, little-endian lanes.
    V128(u128),
    /// A function reference or null.
    FuncRef(Option<FuncAddr>),
    /// An external (host) reference or null.
    ExternRef(Option<u32>),
    /// A reference in the `any` hierarchy (`anyref`, `eqref`, `i31ref`,
    /// `structref`, `arrayref`, struct and array types) or null.
    AnyRef(Option<AnyRef>),
    /// An `externref` that holds an internal GC value
    /// (`extern.convert_any` of an `i31`, struct or array).
    ExternAny(AnyRef),
    /// An exception reference (`exnref`) or null.
    ExnRef(Option<GcRef>),
}

impl Value {
    /// An `f32` value from a float.
    pub fn f32(v: f32) -> Value {
        Value::F32(v.to_bits())
    }

    /// An `f64` value from a float.
    pub fn f64(v: f64) -> Value {
        Value::F64(v.to_bits())
    }

    /// The zero / null value of a type.
    pub fn default_for(ty: ValType) -> Value {
        match ty {
            ValType::I32 => Value::I32(0),
            ValType::I64 => Value::I64(0),
            ValType::F32 => Value::F32(0),
            ValType::F64 => Value::F64(0),
            ValType::V128 => Value::V128(0),
            ValType::Ref(r) => match hierarchy(r.heap) {
                Hierarchy::Extern => Value::ExternRef(None),
                Hierarchy::Any => Value::AnyRef(None),
                Hierarchy::Exn => Value::ExnRef(None),
                Hierarchy::Func => Value::FuncRef(None),
            },
        }
    }

    /// The value's type (references report their 2.0 nullable types).
    pub fn ty(&self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::F32(_) => ValType::F32,
            Value::F64(_) => ValType::F64,
            Value::V128(_) => ValType::V128,
            Value::FuncRef(_) => ValType::FUNCREF,
            Value::ExternRef(_) | Value::ExternAny(_) => ValType::EXTERNREF,
            Value::AnyRef(_) => ValType::Ref(wtool_ast::RefType {
                nullable: true,
                heap: HeapType::Any,
            }),
            Value::ExnRef(_) => ValType::Ref(wtool_ast::RefType {
                nullable: true,
                heap: HeapType::Exn,
            }),
        }
    }

    /// Builds a typed value from the stack slots of a value of type `ty`
    /// (`hi` is used only for `v128`).
    pub fn from_slots(ty: ValType, lo: u64, hi: u64) -> Value {
        match ty {
            ValType::I32 => Value::I32(lo as u32 as i32),
            ValType::I64 => Value::I64(lo as i64),
            ValType::F32 => Value::F32(lo as u32),
            ValType::F64 => Value::F64(lo),
            ValType::V128 => Value::V128((lo as u128) | ((hi as u128) << 64)),
            ValType::Ref(r) => match (hierarchy(r.heap), lo) {
                (Hierarchy::Extern, NULL_REF) => Value::ExternRef(None),
                (Hierarchy::Extern, v) if v & (I31_TAG | OBJ_TAG) != 0 => {
                    Value::ExternAny(AnyRef::from_slot(v))
                }
                (Hierarchy::Extern, v) => Value::ExternRef(Some((v - 1) as u32)),
                (Hierarchy::Exn, NULL_REF) => Value::ExnRef(None),
                (Hierarchy::Exn, v) => Value::ExnRef(Some(GcRef(v))),
                (Hierarchy::Any, NULL_REF) => Value::AnyRef(None),
                (Hierarchy::Any, v) => Value::AnyRef(Some(AnyRef::from_slot(v))),
                // A concrete type's reference names an object unless it is
                // a function's address.
                (Hierarchy::Func, v) if v & (I31_TAG | OBJ_TAG) != 0 => {
                    Value::AnyRef(Some(AnyRef::from_slot(v)))
                }
                (Hierarchy::Func, NULL_REF) => Value::FuncRef(None),
                (Hierarchy::Func, v) => Value::FuncRef(Some(FuncAddr((v - 1) as u32))),
            },
        }
    }

    /// The low slot of this value on the stack.
    pub fn lo_slot(&self) -> u64 {
        match *self {
            Value::I32(v) => v as u32 as u64,
            Value::I64(v) => v as u64,
            Value::F32(v) => v as u64,
            Value::F64(v) => v,
            Value::V128(v) => v as u64,
            Value::FuncRef(f) => f.map_or(NULL_REF, |a| a.0 as u64 + 1),
            Value::ExternRef(e) => e.map_or(NULL_REF, |v| v as u64 + 1),
            Value::AnyRef(r) => r.map_or(NULL_REF, AnyRef::slot),
            Value::ExternAny(r) => r.slot(),
            Value::ExnRef(r) => r.map_or(NULL_REF, |r| r.0),
        }
    }

    /// The high slot of a `v128` (0 for other values).
    pub fn hi_slot(&self) -> u64 {
        match *self {
            Value::V128(v) => (v >> 64) as u64,
            _ => 0,
        }
    }

    /// True if this value is a member of type `ty`, as far as the value
    /// alone tells: a reference of the right hierarchy and abstract kind,
    /// null only where `ty` is nullable (a concrete type's membership is the
    /// store's to check, see `Store::value_matches`).
    pub fn has_type(&self, ty: ValType) -> bool {
        let ValType::Ref(r) = ty else {
            return self.ty() == ty;
        };
        let Some(h) = self.hierarchy() else {
            return false;
        };
        let concrete = matches!(r.heap, HeapType::Concrete(_) | HeapType::Exact(_));
        if !concrete && h != hierarchy(r.heap) {
            return false;
        }
        if self.lo_slot() == NULL_REF {
            return r.nullable;
        }
        match (self, r.heap) {
            (Value::FuncRef(_), HeapType::Func | HeapType::Concrete(_)) => true,
            (Value::ExternRef(_) | Value::ExternAny(_), HeapType::Extern) => true,
            (Value::ExnRef(_), HeapType::Exn) => true,
            (Value::AnyRef(Some(a)), h) => match (a, h) {
                (_, HeapType::Any) => true,
                (AnyRef::Host(_), _) => false,
                (_, HeapType::Eq) => true,
                (AnyRef::I31(_), HeapType::I31) => true,
                (AnyRef::Struct(_), HeapType::Struct | HeapType::Concrete(_)) => true,
                (AnyRef::Array(_), HeapType::Array | HeapType::Concrete(_)) => true,
                _ => false,
            },
            _ => false,
        }
    }

    /// The reference hierarchy of a reference value.
    fn hierarchy(&self) -> Option<Hierarchy> {
        match self {
            Value::FuncRef(_) => Some(Hierarchy::Func),
            Value::ExternRef(_) | Value::ExternAny(_) => Some(Hierarchy::Extern),
            Value::AnyRef(_) => Some(Hierarchy::Any),
            Value::ExnRef(_) => Some(Hierarchy::Exn),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::I32(v) => write!(f, "{v}:i32"),
            Value::I64(v) => write!(f, "{v}:i64"),
            Value::F32(b) => write!(f, "{}:f32", f32::from_bits(b)),
            Value::F64(b) => write!(f, "{}:f64", f64::from_bits(b)),
            Value::V128(v) => write!(f, "0x{v:032x}:v128"),
            Value::FuncRef(None) => f.write_str("ref.null func"),
            Value::FuncRef(Some(a)) => write!(f, "ref.func {}", a.0),
            Value::ExternRef(None) => f.write_str("ref.null extern"),
            Value::ExternRef(Some(v)) => write!(f, "ref.extern {v}"),
            Value::AnyRef(None) => f.write_str("ref.null any"),
            Value::AnyRef(Some(a)) => a.fmt(f),
            Value::ExternAny(a) => write!(f, "extern({a})"),
            Value::ExnRef(None) => f.write_str("ref.null exn"),
            Value::ExnRef(Some(r)) => write!(f, "ref.exn @{}", r.0 as u32),
        }
    }
}

impl fmt::Display for AnyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            AnyRef::Host(n) => write!(f, "ref.host {n}"),
            AnyRef::I31(v) => write!(f, "ref.i31 {v}"),
            AnyRef::Struct(r) => write!(f, "ref.struct @{}", r.0 as u32),
            AnyRef::Array(r) => write!(f, "ref.array @{}", r.0 as u32),
        }
    }
}

/// The reference hierarchies a slot can belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hierarchy {
    Func,
    Extern,
    Any,
    Exn,
}

/// The hierarchy of a heap type, telling concrete types apart by what the
/// value can be: a concrete type's hierarchy depends on its definition, so
/// it counts as `Func` here and `from_slots` recognizes objects by tag.
fn hierarchy(h: HeapType) -> Hierarchy {
    match h {
        HeapType::Extern | HeapType::NoExtern => Hierarchy::Extern,
        HeapType::Any
        | HeapType::Eq
        | HeapType::I31
        | HeapType::Struct
        | HeapType::Array
        | HeapType::None => Hierarchy::Any,
        HeapType::Exn | HeapType::NoExn => Hierarchy::Exn,
        _ => Hierarchy::Func,
    }
}

/// Number of stack slots a value of type `ty` occupies.
#[inline]
pub fn slots(ty: ValType) -> u32 {
    if ty == ValType::V128 {
        2
    } else {
        1
    }
}

/// Total slots of a list of types.
pub fn slots_of(tys: &[ValType]) -> u32 {
    tys.iter().map(|&t| slots(t)).sum()
}

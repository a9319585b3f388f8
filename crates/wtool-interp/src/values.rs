//! Values: the typed [`Value`] of the public API and the untyped 64-bit
//! slots of the value stack.
//!
//! On the stack every value is one `u64` slot except `v128`, which takes two
//! (low half first). References are slots too: a function reference is its
//! store address plus one, an external reference its host value plus one,
//! and null is [`NULL_REF`] (zero) for both, so `ref.is_null` is one compare
//! and zeroed locals and tables start out null.

use std::fmt;
use wtool_ast::{HeapType, ValType};

/// The slot value of a null reference.
pub const NULL_REF: u64 = 0;

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
            ValType::Ref(r) => match r.heap {
                HeapType::Extern | HeapType::NoExtern => Value::ExternRef(None),
                _ => Value::FuncRef(None),
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
            Value::ExternRef(_) => ValType::EXTERNREF,
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
            ValType::Ref(r) => {
                let is_extern = matches!(r.heap, HeapType::Extern | HeapType::NoExtern);
                match (is_extern, lo) {
                    (true, NULL_REF) => Value::ExternRef(None),
                    (true, v) => Value::ExternRef(Some((v - 1) as u32)),
                    (false, NULL_REF) => Value::FuncRef(None),
                    (false, v) => Value::FuncRef(Some(FuncAddr((v - 1) as u32))),
                }
            }
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
        }
    }

    /// The high slot of a `v128` (0 for other values).
    pub fn hi_slot(&self) -> u64 {
        match *self {
            Value::V128(v) => (v >> 64) as u64,
            _ => 0,
        }
    }

    /// True if this value is a member of type `ty` (2.0 subtyping: exact match,
    /// with a null reference matching any nullable reference type of its kind).
    pub fn has_type(&self, ty: ValType) -> bool {
        match (self, ty) {
            (Value::FuncRef(_), ValType::Ref(r)) => matches!(r.heap, HeapType::Func),
            (Value::ExternRef(_), ValType::Ref(r)) => matches!(r.heap, HeapType::Extern),
            _ => self.ty() == ty,
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
        }
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

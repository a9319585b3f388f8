//! Type matching (subtyping) between value types.
//!
//! WebAssembly 2.0 only needs equality; the abstract heap-type hierarchy is
//! written out so typed function references and GC slot in here.

use wtool_ast::{HeapType, RefType, ValType};

/// `a <: b` for heap types, without declared (GC) subtypes between concrete types.
fn heap_matches(a: HeapType, b: HeapType) -> bool {
    use HeapType::*;
    if a == b {
        return true;
    }
    matches!(
        (a, b),
        (NoFunc, Func | Concrete(_))
            | (Concrete(_), Func)
            | (NoExtern, Extern)
            | (NoExn, Exn)
            | (None, Any | Eq | I31 | Struct | Array)
            | (I31 | Struct | Array, Eq | Any)
            | (Eq, Any)
    )
}

/// `a <: b` for reference types.
#[inline]
pub fn ref_matches(a: RefType, b: RefType) -> bool {
    a == b || ((b.nullable || !a.nullable) && heap_matches(a.heap, b.heap))
}

/// `a <: b` for value types.
#[inline]
pub fn matches(a: ValType, b: ValType) -> bool {
    match (a, b) {
        (ValType::Ref(x), ValType::Ref(y)) => ref_matches(x, y),
        _ => a == b,
    }
}

/// Address (index) type of a 32- or 64-bit memory or table.
#[inline]
pub fn addr_type(index64: bool) -> ValType {
    if index64 {
        ValType::I64
    } else {
        ValType::I32
    }
}

/// The operand-stack form of a value type: one machine word, so pushes,
/// pops and the common equality test are single instructions.
/// `Ty::UNKNOWN` is the bottom type of unreachable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ty(u64);

const REF: u64 = 1 << 63;
const NULLABLE: u64 = 1 << 62;

fn heap_code(h: HeapType) -> (u64, u32) {
    use HeapType::*;
    match h {
        Func => (0, 0),
        Extern => (1, 0),
        Any => (2, 0),
        Eq => (3, 0),
        I31 => (4, 0),
        Struct => (5, 0),
        Array => (6, 0),
        None => (7, 0),
        NoFunc => (8, 0),
        NoExtern => (9, 0),
        Exn => (10, 0),
        NoExn => (11, 0),
        Concrete(i) => (12, i),
        Exact(i) => (13, i),
    }
}

fn heap_from_code(code: u64, idx: u32) -> HeapType {
    use HeapType::*;
    match code {
        0 => Func,
        1 => Extern,
        2 => Any,
        3 => Eq,
        4 => I31,
        5 => Struct,
        6 => Array,
        7 => None,
        8 => NoFunc,
        9 => NoExtern,
        10 => Exn,
        11 => NoExn,
        13 => Exact(idx),
        _ => Concrete(idx),
    }
}

impl Ty {
    /// The unknown (bottom) type.
    pub(crate) const UNKNOWN: Ty = Ty(0);
    pub(crate) const I32: Ty = Ty(1);
    pub(crate) const I64: Ty = Ty(2);
    pub(crate) const F32: Ty = Ty(3);
    pub(crate) const F64: Ty = Ty(4);
    pub(crate) const V128: Ty = Ty(5);

    /// Encodes a value type.
    #[inline]
    pub(crate) fn from_val(v: ValType) -> Ty {
        match v {
            ValType::I32 => Ty(1),
            ValType::I64 => Ty(2),
            ValType::F32 => Ty(3),
            ValType::F64 => Ty(4),
            ValType::V128 => Ty(5),
            ValType::Ref(r) => Ty::from_ref(r),
        }
    }

    /// Encodes a reference type.
    #[inline]
    pub(crate) fn from_ref(r: RefType) -> Ty {
        let (code, idx) = heap_code(r.heap);
        Ty(REF | if r.nullable { NULLABLE } else { 0 } | code << 32 | idx as u64)
    }

    /// Decodes; `None` for the unknown type.
    pub(crate) fn to_val(self) -> Option<ValType> {
        Some(match self.0 {
            0 => return Option::None,
            1 => ValType::I32,
            2 => ValType::I64,
            3 => ValType::F32,
            4 => ValType::F64,
            5 => ValType::V128,
            x => ValType::Ref(RefType {
                nullable: x & NULLABLE != 0,
                heap: heap_from_code((x >> 32) & 0xff, x as u32),
            }),
        })
    }

    /// True for the unknown type.
    #[inline(always)]
    pub(crate) fn is_unknown(self) -> bool {
        self.0 == 0
    }

    /// True for a (known) reference type.
    #[inline(always)]
    pub(crate) fn is_ref(self) -> bool {
        self.0 & REF != 0
    }

    /// `self <: other` for known types.
    #[inline(always)]
    pub(crate) fn matches(self, other: Ty) -> bool {
        self == other || (self.is_ref() && other.is_ref() && self.ref_matches_slow(other))
    }

    #[cold]
    fn ref_matches_slow(self, other: Ty) -> bool {
        match (self.to_val(), other.to_val()) {
            (Some(a), Some(b)) => matches(a, b),
            _ => false,
        }
    }
}

impl From<ValType> for Ty {
    #[inline(always)]
    fn from(v: ValType) -> Ty {
        Ty::from_val(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ty_round_trips() {
        let all = [
            ValType::I32,
            ValType::I64,
            ValType::F32,
            ValType::F64,
            ValType::V128,
            ValType::FUNCREF,
            ValType::EXTERNREF,
            ValType::Ref(RefType {
                nullable: false,
                heap: HeapType::Concrete(u32::MAX),
            }),
            ValType::Ref(RefType {
                nullable: true,
                heap: HeapType::NoExn,
            }),
        ];
        for v in all {
            assert_eq!(Ty::from_val(v).to_val(), Some(v));
        }
        assert_eq!(Ty::UNKNOWN.to_val(), None);
        let nn = Ty::from_ref(RefType {
            nullable: false,
            heap: HeapType::Func,
        });
        assert!(nn.matches(Ty::from_val(ValType::FUNCREF)));
        assert!(!Ty::from_val(ValType::FUNCREF).matches(nn));
    }
}

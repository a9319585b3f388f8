//! Type matching (subtyping) between value types.
//!
//! The abstract heap-type hierarchy is written out here; concrete types
//! (`(ref $t)`) are compared through a [`TypeCx`] built from the module's
//! type section, so GC's declared subtypes extend [`TypeCx::concrete_matches`].

use std::collections::HashMap;
use std::sync::Arc;

use wtool_ast::{CompositeType, HeapType, Module, RefType, ValType};

/// The module's types as subtyping needs them: for each type index, the
/// smallest index of an equivalent type (equivalent types are
/// interchangeable; without explicit recursion groups and declared
/// supertypes that is structural equality up to equivalence).
#[derive(Clone, Debug, Default)]
pub struct TypeCx {
    canon: Arc<[u32]>,
}

impl TypeCx {
    /// The canonical indices of `module`'s types.
    pub fn new(module: &Module) -> Self {
        let mut canon: Vec<u32> = Vec::with_capacity(module.types.len());
        let mut seen: HashMap<(Vec<ValType>, Vec<ValType>), u32> = HashMap::new();
        for (i, t) in module.types.iter().enumerate() {
            let i = i as u32;
            let in_rec = module
                .rec_groups
                .iter()
                .any(|g| g.len > 1 && (g.start..g.start + g.len).contains(&i));
            let c = match (&t.composite, in_rec || t.sub.is_some()) {
                // Only bare function types (each its own group, final, no
                // supertype) are compared structurally; the rest keep their
                // own identity until GC's iso-recursive equivalence lands.
                (CompositeType::Func(f), false) => {
                    let norm = |ts: &[ValType]| -> Vec<ValType> {
                        ts.iter().map(|&v| canon_val(&canon, i, v)).collect()
                    };
                    let key = (norm(&f.params), norm(&f.results));
                    *seen.entry(key).or_insert(i)
                }
                _ => i,
            };
            canon.push(c);
        }
        TypeCx {
            canon: canon.into(),
        }
    }

    /// The canonical index of type `i` (itself when out of range).
    #[inline]
    fn canon(&self, i: u32) -> u32 {
        self.canon.get(i as usize).copied().unwrap_or(i)
    }

    /// `$a <: $b` between type indices.
    #[inline]
    pub fn concrete_matches(&self, a: u32, b: u32) -> bool {
        a == b || self.canon(a) == self.canon(b)
    }

    /// `a <: b` for heap types.
    pub fn heap_matches(&self, a: HeapType, b: HeapType) -> bool {
        match (a, b) {
            (HeapType::Concrete(x), HeapType::Concrete(y)) => self.concrete_matches(x, y),
            _ => heap_matches(a, b),
        }
    }

    /// `a <: b` for reference types.
    #[inline]
    pub fn ref_matches(&self, a: RefType, b: RefType) -> bool {
        a == b || ((b.nullable || !a.nullable) && self.heap_matches(a.heap, b.heap))
    }

    /// `a <: b` for value types.
    #[inline]
    pub fn matches(&self, a: ValType, b: ValType) -> bool {
        match (a, b) {
            (ValType::Ref(x), ValType::Ref(y)) => self.ref_matches(x, y),
            _ => a == b,
        }
    }

    /// True when the two type lists match pairwise (`a <: b`).
    pub fn all_match(&self, a: &[ValType], b: &[ValType]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| self.matches(x, y))
    }
}

/// A reference to the type being defined (recursion within its own group).
const SELF: u32 = u32::MAX;

/// `v`, in type `own`'s definition, with its concrete type index replaced
/// by its canonical one (and a reference to `own` by [`SELF`]).
fn canon_val(canon: &[u32], own: u32, v: ValType) -> ValType {
    match v {
        ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(i),
        }) => ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(if i == own {
                SELF
            } else {
                canon.get(i as usize).copied().unwrap_or(i)
            }),
        }),
        _ => v,
    }
}

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
    pub(crate) fn matches(self, other: Ty, cx: &TypeCx) -> bool {
        self == other || (self.is_ref() && other.is_ref() && self.ref_matches_slow(other, cx))
    }

    #[cold]
    fn ref_matches_slow(self, other: Ty, cx: &TypeCx) -> bool {
        match (self.to_val(), other.to_val()) {
            (Some(a), Some(b)) => cx.matches(a, b),
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
        let cx = TypeCx::default();
        assert!(nn.matches(Ty::from_val(ValType::FUNCREF), &cx));
        assert!(!Ty::from_val(ValType::FUNCREF).matches(nn, &cx));
    }

    fn r(nullable: bool, i: u32) -> ValType {
        ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(i),
        })
    }

    #[test]
    fn equivalent_function_types_match() {
        use wtool_ast::{FuncType, TypeDef};
        let f = |p: Vec<ValType>| TypeDef::func(FuncType::new(p, []));
        let m = Module {
            types: vec![
                f(vec![ValType::I32]), // 0
                f(vec![ValType::I32]), // 1 ≡ 0
                f(vec![r(false, 0)]),  // 2
                f(vec![r(false, 1)]),  // 3 ≡ 2 (through 0 ≡ 1)
                f(vec![r(true, 4)]),   // 4: refers to itself
                f(vec![r(true, 5)]),   // 5 ≡ 4 (isomorphic)
                f(vec![ValType::I64]), // 6
            ],
            ..Default::default()
        };
        let cx = TypeCx::new(&m);
        assert!(cx.concrete_matches(0, 1) && cx.concrete_matches(2, 3));
        assert!(cx.concrete_matches(4, 5));
        assert!(!cx.concrete_matches(0, 6) && !cx.concrete_matches(2, 4));
        assert!(cx.matches(r(false, 1), r(true, 0)));
        assert!(!cx.matches(r(true, 1), r(false, 0)));
        assert!(cx.matches(r(false, 6), ValType::FUNCREF));
        assert!(!cx.matches(r(false, 6), r(false, 0)));
    }
}

//! Type matching (subtyping) between value types.
//!
//! The abstract heap-type hierarchy is written out here; concrete types
//! (`(ref $t)`) are compared through a [`TypeCx`] built from the module's
//! type section: its recursion groups canonicalised iso-recursively
//! ([`wtool_ast::canon`]), declared supertypes followed up their chains.

use std::sync::Arc;

use wtool_ast::canon::{CanonType, TypeRegistry};
use wtool_ast::{CompositeType, HeapType, Module, RefType, ValType};

/// The module's types as subtyping needs them: the canonical id of every
/// type index in a registry of the module's own (equivalent types share
/// an id), so equivalence is `==` and subtyping a supertype walk.
#[derive(Clone, Debug, Default)]
pub struct TypeCx {
    reg: Arc<TypeRegistry>,
    canon: Arc<[u32]>,
}

impl TypeCx {
    /// Canonicalises `module`'s types.
    pub fn new(module: &Module) -> Self {
        let mut reg = TypeRegistry::new();
        let canon = reg.add_module(module);
        TypeCx {
            reg: Arc::new(reg),
            canon: canon.into(),
        }
    }

    /// The registry holding the module's canonical types.
    pub fn registry(&self) -> &TypeRegistry {
        &self.reg
    }

    /// The canonical id of type index `i` (`None` when out of range).
    #[inline]
    pub fn canonical(&self, i: u32) -> Option<u32> {
        self.canon.get(i as usize).copied()
    }

    /// The canonical form of type index `i`.
    pub fn canon_type(&self, i: u32) -> Option<&CanonType> {
        self.canonical(i).and_then(|c| self.reg.get(c))
    }

    /// `h` with its type index replaced by its canonical id.
    #[inline]
    fn to_canon(&self, h: HeapType) -> Option<HeapType> {
        Some(match h {
            HeapType::Concrete(i) => HeapType::Concrete(self.canonical(i)?),
            HeapType::Exact(i) => HeapType::Exact(self.canonical(i)?),
            h => h,
        })
    }

    /// `$a <: $b` between type indices.
    #[inline]
    pub fn concrete_matches(&self, a: u32, b: u32) -> bool {
        a == b
            || matches!((self.canonical(a), self.canonical(b)),
                (Some(x), Some(y)) if self.reg.is_subtype(x, y))
    }

    /// True when type indices `a` and `b` denote equivalent types.
    #[inline]
    pub fn equivalent(&self, a: u32, b: u32) -> bool {
        a == b || matches!((self.canonical(a), self.canonical(b)), (Some(x), Some(y)) if x == y)
    }

    /// `a <: b` for heap types.
    pub fn heap_matches(&self, a: HeapType, b: HeapType) -> bool {
        if a == b {
            return true;
        }
        match (self.to_canon(a), self.to_canon(b)) {
            (Some(x), Some(y)) => self.reg.heap_matches(x, y),
            _ => false,
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

    /// `$a`'s composite type matches `$b`'s (what declaring `$b` as `$a`'s
    /// supertype requires).
    pub fn composite_matches(&self, a: u32, b: u32) -> bool {
        match (self.canon_type(a), self.canon_type(b)) {
            (Some(x), Some(y)) => self.reg.composite_matches(&x.composite, &y.composite),
            _ => false,
        }
    }

    /// The top of `h`'s hierarchy (`any`, `func`, `extern` or `exn`).
    pub fn top(&self, h: HeapType) -> HeapType {
        match h {
            HeapType::Concrete(i) | HeapType::Exact(i) => match self.canon_type(i) {
                Some(CanonType {
                    composite: CompositeType::Func(_),
                    ..
                }) => HeapType::Func,
                _ => HeapType::Any,
            },
            h => self.reg.top(h),
        }
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
/// Heap code of [`Ty::BOT_REF`] (no `HeapType` has it).
const BOT_CODE: u64 = 14;

impl Ty {
    /// The unknown (bottom) type.
    pub(crate) const UNKNOWN: Ty = Ty(0);
    pub(crate) const I32: Ty = Ty(1);
    pub(crate) const I64: Ty = Ty(2);
    pub(crate) const F32: Ty = Ty(3);
    pub(crate) const F64: Ty = Ty(4);
    pub(crate) const V128: Ty = Ty(5);

    /// The bottom reference type: what `ref.as_non_null` (and the other
    /// instructions that pass their reference operand on) make of the
    /// unknown type. Unlike [`Ty::UNKNOWN`] it is a reference, so numeric
    /// and vector instructions reject it (as the spec's `(ref bot)`); it
    /// matches every reference type.
    pub(crate) const BOT_REF: Ty = Ty(REF | BOT_CODE << 32);

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
        let (code, idx) = r.heap.code();
        Ty(REF | if r.nullable { NULLABLE } else { 0 } | (code as u64) << 32 | idx as u64)
    }

    /// Decodes; `None` for the unknown type and the bottom reference.
    pub(crate) fn to_val(self) -> Option<ValType> {
        if self == Ty::BOT_REF {
            return Option::None;
        }
        Some(match self.0 {
            0 => return Option::None,
            1 => ValType::I32,
            2 => ValType::I64,
            3 => ValType::F32,
            4 => ValType::F64,
            5 => ValType::V128,
            x => ValType::Ref(RefType {
                nullable: x & NULLABLE != 0,
                heap: HeapType::from_code(((x >> 32) & 0xff) as u32, x as u32)
                    .unwrap_or(HeapType::Concrete(x as u32)),
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
        if self == Ty::BOT_REF {
            return true;
        }
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
        // The bottom reference matches references only, and nothing but
        // itself matches it.
        assert!(
            Ty::BOT_REF.matches(nn, &cx)
                && Ty::BOT_REF.matches(Ty::from_val(ValType::EXTERNREF), &cx)
        );
        assert!(!Ty::BOT_REF.matches(Ty::I32, &cx) && !nn.matches(Ty::BOT_REF, &cx));
        assert!(Ty::BOT_REF.is_ref() && !Ty::BOT_REF.is_unknown());
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

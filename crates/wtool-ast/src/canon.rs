//! Iso-recursive type canonicalization (WebAssembly GC).
//!
//! Two type definitions are equivalent when their recursion groups are
//! structurally identical once references inside the group are written as
//! group-relative indices and references outside it as the canonical ids of
//! the (earlier, already canonical) types they name. A [`TypeRegistry`]
//! hash-conses groups under exactly that key, so equivalence is `==` on
//! canonical ids, and one registry can hold the types of many modules
//! (cross-module import matching, runtime casts). Declared subtyping is a
//! walk up the canonical supertype chain.

use std::collections::HashMap;

use crate::{
    CompositeType, FieldType, FuncType, HeapType, Module, RefType, StorageType, TypeDef, ValType,
};

/// A type definition in canonical form: every type reference
/// (`HeapType::Concrete`/`Exact`) holds a canonical id of the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonType {
    /// The composite type, references as canonical ids (`u32::MAX` for a
    /// reference that could not be resolved: a forward reference out of
    /// the group, which only invalid modules have).
    pub composite: CompositeType,
    /// No type may declare this one as its supertype.
    pub is_final: bool,
    /// The declared supertype, when it precedes this type (a valid module's
    /// always does; a later one is left out so chains cannot cycle).
    pub supertype: Option<u32>,
    /// Length of the supertype chain above this type.
    pub depth: u32,
    /// Canonical id of the first type of this type's recursion group.
    pub group: u32,
}

/// Hash-consed recursion groups: canonical ids for type definitions, shared
/// by every module added.
#[derive(Clone, Debug, Default)]
pub struct TypeRegistry {
    /// A group's key (see [`TypeRegistry::add_module`]) → id of its first type.
    groups: HashMap<Box<[u64]>, u32>,
    /// Every canonical type, by id; a group's types are consecutive.
    types: Vec<CanonType>,
}

/// The recursion groups of `module` as `(start, end)` type-index ranges
/// covering every type in order (types outside explicit groups are groups
/// of one; malformed explicit groups are clamped, never overlapping).
pub fn type_groups(module: &Module) -> Vec<(u32, u32)> {
    let n = module.types.len() as u32;
    let mut out = Vec::new();
    let mut next = 0u32;
    for g in &module.rec_groups {
        if g.start < next || g.start > n {
            continue;
        }
        out.extend((next..g.start).map(|i| (i, i + 1)));
        let end = g.start.saturating_add(g.len).min(n);
        if end > g.start {
            out.push((g.start, end));
        }
        next = end.max(g.start);
    }
    out.extend((next..n).map(|i| (i, i + 1)));
    out
}

// Key words: a value or storage type is one word: a code in the low byte,
// flags, and a tagged type reference from bit 16.
const NULLABLE: u64 = 1 << 8;
const MUTABLE: u64 = 1 << 9;
/// Reference tags (bits 48..50 of a word): inside the group, canonical
/// (outside the group), unresolvable (a forward reference).
const REL: u64 = 1;
const ABS: u64 = 2;
const BAD: u64 = 3;

impl TypeRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of canonical types.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// True when no type has been added.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The canonical type with this id.
    #[inline]
    pub fn get(&self, id: u32) -> Option<&CanonType> {
        self.types.get(id as usize)
    }

    /// Adds the types of `module`, returning the canonical id of each type index.
    pub fn add_module(&mut self, module: &Module) -> Vec<u32> {
        let mut ids: Vec<u32> = Vec::with_capacity(module.types.len());
        let mut key = Vec::new();
        for (start, end) in type_groups(module) {
            let group = &module.types[start as usize..end as usize];
            key.clear();
            encode_group(group, start, &ids, &mut key);
            let first = match self.groups.get(key.as_slice()) {
                Some(&first) => first,
                None => {
                    let first = self.types.len() as u32;
                    for (k, t) in group.iter().enumerate() {
                        let ct = self.resolve(t, start, start + k as u32, end, first, &ids);
                        self.types.push(ct);
                    }
                    self.groups.insert(key.as_slice().into(), first);
                    first
                }
            };
            ids.extend((0..end - start).map(|k| first + k));
        }
        ids
    }

    /// The canonical form of type `own` (of the group `[start, end)` whose
    /// first type gets id `first`).
    fn resolve(
        &self,
        t: &TypeDef,
        start: u32,
        own: u32,
        end: u32,
        first: u32,
        ids: &[u32],
    ) -> CanonType {
        let id = |i: u32| -> u32 {
            if (start..end).contains(&i) {
                first + (i - start)
            } else {
                ids.get(i as usize).copied().unwrap_or(u32::MAX)
            }
        };
        let val = |v: ValType| canon_val(v, &id);
        let field = |f: FieldType| FieldType {
            storage: match f.storage {
                StorageType::Val(v) => StorageType::Val(val(v)),
                s => s,
            },
            mutable: f.mutable,
        };
        let composite = match &t.composite {
            CompositeType::Func(f) => CompositeType::Func(FuncType::new(
                f.params.iter().map(|&v| val(v)).collect::<Vec<_>>(),
                f.results.iter().map(|&v| val(v)).collect::<Vec<_>>(),
            )),
            CompositeType::Struct(fs) => {
                CompositeType::Struct(fs.iter().map(|&f| field(f)).collect())
            }
            CompositeType::Array(f) => CompositeType::Array(field(*f)),
        };
        // A supertype must precede its subtype, so its canonical type is
        // already in `self.types` (an earlier group, or earlier in this one).
        let supertype = t.supertypes().first().filter(|&&s| s < own).map(|&s| id(s));
        let depth = supertype
            .and_then(|s| self.types.get(s as usize))
            .map_or(0, |c| c.depth + 1);
        CanonType {
            composite,
            is_final: t.is_final(),
            supertype,
            depth,
            group: first,
        }
    }

    /// Declared subtyping between canonical ids: `a` is `b` or has `b`
    /// up its supertype chain.
    pub fn is_subtype(&self, a: u32, b: u32) -> bool {
        if a == b {
            return true;
        }
        let (Some(ta), Some(tb)) = (self.get(a), self.get(b)) else {
            return false;
        };
        if ta.depth <= tb.depth {
            return false;
        }
        let mut cur = a;
        for _ in 0..ta.depth - tb.depth {
            match self.get(cur).and_then(|t| t.supertype) {
                Some(s) => cur = s,
                None => return false,
            }
        }
        cur == b
    }

    /// The composite type of canonical id `id`.
    #[inline]
    pub fn composite(&self, id: u32) -> Option<&CompositeType> {
        self.get(id).map(|t| &t.composite)
    }

    /// `a <: b` between heap types whose type references are canonical ids.
    pub fn heap_matches(&self, a: HeapType, b: HeapType) -> bool {
        use HeapType::*;
        if a == b {
            return true;
        }
        match (a, b) {
            (Concrete(x), Concrete(y)) => self.is_subtype(x, y),
            (Exact(x), _) => self.heap_matches(Concrete(x), b),
            (Concrete(x), _) => match self.composite(x) {
                Some(CompositeType::Func(_)) => b == Func,
                Some(CompositeType::Struct(_)) => matches!(b, Struct | Eq | Any),
                Some(CompositeType::Array(_)) => matches!(b, Array | Eq | Any),
                Option::None => false,
            },
            (None | NoFunc, Concrete(y) | Exact(y)) => matches!(
                (a, self.composite(y)),
                (
                    None,
                    Some(CompositeType::Struct(_) | CompositeType::Array(_))
                ) | (NoFunc, Some(CompositeType::Func(_)))
            ),
            _ => abstract_heap_matches(a, b),
        }
    }

    /// `a <: b` between reference types (canonical ids).
    #[inline]
    pub fn ref_matches(&self, a: RefType, b: RefType) -> bool {
        (b.nullable || !a.nullable) && self.heap_matches(a.heap, b.heap)
    }

    /// `a <: b` between value types (canonical ids).
    #[inline]
    pub fn val_matches(&self, a: ValType, b: ValType) -> bool {
        match (a, b) {
            (ValType::Ref(x), ValType::Ref(y)) => self.ref_matches(x, y),
            _ => a == b,
        }
    }

    /// `a <: b` between storage types: packed types only match themselves.
    pub fn storage_matches(&self, a: StorageType, b: StorageType) -> bool {
        match (a, b) {
            (StorageType::Val(x), StorageType::Val(y)) => self.val_matches(x, y),
            _ => a == b,
        }
    }

    /// `a <: b` between field types: same mutability, covariant when
    /// immutable, invariant when mutable.
    pub fn field_matches(&self, a: FieldType, b: FieldType) -> bool {
        a.mutable == b.mutable
            && self.storage_matches(a.storage, b.storage)
            && (!a.mutable || self.storage_matches(b.storage, a.storage))
    }

    /// `a <: b` between composite types: functions contravariant in their
    /// parameters and covariant in their results, structs by width and
    /// depth, arrays by element.
    pub fn composite_matches(&self, a: &CompositeType, b: &CompositeType) -> bool {
        let all = |xs: &[ValType], ys: &[ValType]| {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(&x, &y)| self.val_matches(x, y))
        };
        match (a, b) {
            (CompositeType::Func(f), CompositeType::Func(g)) => {
                all(&g.params, &f.params) && all(&f.results, &g.results)
            }
            (CompositeType::Struct(fs), CompositeType::Struct(gs)) => {
                fs.len() >= gs.len() && fs.iter().zip(gs).all(|(&f, &g)| self.field_matches(f, g))
            }
            (CompositeType::Array(f), CompositeType::Array(g)) => self.field_matches(*f, *g),
            _ => false,
        }
    }

    /// The top of `h`'s hierarchy: `any`, `func`, `extern` or `exn`.
    pub fn top(&self, h: HeapType) -> HeapType {
        use HeapType::*;
        match h {
            Any | Eq | I31 | Struct | Array | None => Any,
            Func | NoFunc => Func,
            Extern | NoExtern => Extern,
            Exn | NoExn => Exn,
            Concrete(x) | Exact(x) => match self.composite(x) {
                Some(CompositeType::Func(_)) => Func,
                _ => Any,
            },
        }
    }
}

/// `a <: b` between abstract heap types.
pub fn abstract_heap_matches(a: HeapType, b: HeapType) -> bool {
    use HeapType::*;
    a == b
        || matches!(
            (a, b),
            (None, Any | Eq | I31 | Struct | Array)
                | (NoFunc, Func)
                | (NoExtern, Extern)
                | (NoExn, Exn)
                | (I31 | Struct | Array, Eq | Any)
                | (Eq, Any)
        )
}

/// A number for each abstract heap type (keys only): concrete and exact
/// types share one, their index is keyed separately.
fn abstract_code(h: HeapType) -> u64 {
    h.code().0.min(12) as u64
}

/// `v` with its type reference mapped through `id`.
fn canon_val(v: ValType, id: &impl Fn(u32) -> u32) -> ValType {
    match v {
        ValType::Ref(RefType { nullable, heap }) => ValType::Ref(RefType {
            nullable,
            heap: match heap {
                HeapType::Concrete(i) => HeapType::Concrete(id(i)),
                HeapType::Exact(i) => HeapType::Exact(id(i)),
                h => h,
            },
        }),
        v => v,
    }
}

/// Appends the key of the group `types` (starting at type index `start`;
/// `ids` holds the canonical ids of the types before it).
fn encode_group(types: &[TypeDef], start: u32, ids: &[u32], out: &mut Vec<u64>) {
    let len = types.len() as u32;
    let tref = |i: u32| -> u64 {
        let (tag, x) = if i >= start && i - start < len {
            (REL, i - start)
        } else if let Some(&c) = ids.get(i as usize) {
            (ABS, c)
        } else {
            (BAD, i)
        };
        tag << 32 | x as u64
    };
    let val = |v: ValType| -> u64 {
        match v {
            ValType::I32 => 1,
            ValType::I64 => 2,
            ValType::F32 => 3,
            ValType::F64 => 4,
            ValType::V128 => 5,
            ValType::Ref(r) => {
                let n = if r.nullable { NULLABLE } else { 0 };
                let (code, x) = match r.heap {
                    HeapType::Concrete(i) => (40, tref(i)),
                    HeapType::Exact(i) => (41, tref(i)),
                    h => (16 + abstract_code(h), 0),
                };
                code | n | x << 16
            }
        }
    };
    let field = |f: FieldType| -> u64 {
        let m = if f.mutable { MUTABLE } else { 0 };
        m | match f.storage {
            StorageType::I8 => 6,
            StorageType::I16 => 7,
            StorageType::Val(v) => val(v),
        }
    };
    for t in types {
        let kind = match t.composite {
            CompositeType::Func(_) => 0,
            CompositeType::Struct(_) => 1,
            CompositeType::Array(_) => 2,
        };
        let fin = if t.is_final() { 4 } else { 0 };
        let desc = (t.describes.is_some() as u64) << 3 | (t.descriptor.is_some() as u64) << 4;
        out.push(kind | fin | desc);
        out.extend(t.describes.iter().chain(&t.descriptor).map(|&i| tref(i)));
        let supers = t.supertypes();
        out.push(supers.len() as u64);
        out.extend(supers.iter().map(|&s| tref(s)));
        match &t.composite {
            CompositeType::Func(f) => {
                out.push(f.params.len() as u64);
                out.extend(f.params.iter().map(|&v| val(v)));
                out.push(f.results.len() as u64);
                out.extend(f.results.iter().map(|&v| val(v)));
            }
            CompositeType::Struct(fs) => {
                out.push(fs.len() as u64);
                out.extend(fs.iter().map(|&f| field(f)));
            }
            CompositeType::Array(f) => out.push(field(*f)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RecGroup, SubType};

    fn r(nullable: bool, i: u32) -> ValType {
        ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(i),
        })
    }

    fn strukt(fields: &[ValType]) -> CompositeType {
        CompositeType::Struct(
            fields
                .iter()
                .map(|&v| FieldType {
                    storage: StorageType::Val(v),
                    mutable: false,
                })
                .collect(),
        )
    }

    fn sub(composite: CompositeType, is_final: bool, sup: Option<u32>) -> TypeDef {
        TypeDef {
            sub: Some(SubType {
                is_final,
                supertypes: sup.into_iter().collect(),
            }),
            ..TypeDef::new(composite)
        }
    }

    #[test]
    fn isomorphic_groups_share_ids() {
        // (rec $a0 $b0) (rec $a1 $b1) with the same shape, then a group
        // with the two types swapped: not equivalent (order matters).
        let a = |b: u32| TypeDef::new(strukt(&[r(true, b)]));
        let b = |a: u32| TypeDef::new(strukt(&[r(true, a), ValType::I32]));
        let m = Module {
            types: vec![a(1), b(0), a(3), b(2), b(5), a(4)],
            rec_groups: vec![
                RecGroup { start: 0, len: 2 },
                RecGroup { start: 2, len: 2 },
                RecGroup { start: 4, len: 2 },
            ],
            ..Default::default()
        };
        let mut reg = TypeRegistry::new();
        let ids = reg.add_module(&m);
        assert_eq!(ids[0], ids[2]);
        assert_eq!(ids[1], ids[3]);
        assert_ne!(ids[0], ids[5]);
        assert_ne!(ids[0], ids[1]);
        assert_eq!(reg.len(), 4);
        // A second module with the same group reuses the ids.
        let again = reg.add_module(&Module {
            types: vec![TypeDef::new(strukt(&[])), a(2), b(1)],
            rec_groups: vec![RecGroup { start: 1, len: 2 }],
            ..Default::default()
        });
        assert_eq!(&again[1..], &ids[..2]);
        assert_eq!(reg.len(), 5);
    }

    #[test]
    fn outside_references_use_canonical_ids() {
        // $0 ≡ $1; $2 refers to $0 and $3 to $1: equivalent. $4 refers to
        // itself in a group of one, like $5: equivalent; $2 is not.
        let m = Module {
            types: vec![
                TypeDef::new(strukt(&[])),
                TypeDef::new(strukt(&[])),
                TypeDef::new(strukt(&[r(false, 0)])),
                TypeDef::new(strukt(&[r(false, 1)])),
                TypeDef::new(strukt(&[r(false, 4)])),
                TypeDef::new(strukt(&[r(false, 5)])),
            ],
            ..Default::default()
        };
        let ids = TypeRegistry::new().add_module(&m);
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[2], ids[3]);
        assert_eq!(ids[4], ids[5]);
        assert_ne!(ids[2], ids[4]);
    }

    #[test]
    fn finality_and_supertypes_are_part_of_the_type() {
        let s = || strukt(&[ValType::I32]);
        let m = Module {
            types: vec![
                TypeDef::new(s()),        // 0: final
                sub(s(), true, None),     // 1: ≡ 0 (`sub final` = bare)
                sub(s(), false, None),    // 2: open
                sub(s(), false, Some(2)), // 3
                sub(s(), false, Some(2)), // 4 ≡ 3
                sub(s(), false, Some(3)), // 5
            ],
            ..Default::default()
        };
        let mut reg = TypeRegistry::new();
        let ids = reg.add_module(&m);
        assert_eq!(ids[0], ids[1]);
        assert_ne!(ids[0], ids[2]);
        assert_ne!(ids[2], ids[3]);
        assert_eq!(ids[3], ids[4]);
        assert!(reg.is_subtype(ids[5], ids[2]) && reg.is_subtype(ids[5], ids[4]));
        assert!(!reg.is_subtype(ids[2], ids[5]) && !reg.is_subtype(ids[0], ids[2]));
        assert_eq!(reg.get(ids[5]).map(|t| t.depth), Some(2));
    }

    #[test]
    fn heap_hierarchy_with_concrete_types() {
        use HeapType::*;
        let m = Module {
            types: vec![
                TypeDef::new(strukt(&[])),
                TypeDef::new(CompositeType::Array(FieldType {
                    storage: StorageType::I8,
                    mutable: true,
                })),
                TypeDef::func(FuncType::default()),
            ],
            ..Default::default()
        };
        let mut reg = TypeRegistry::new();
        let ids = reg.add_module(&m);
        let (s, a, f) = (Concrete(ids[0]), Concrete(ids[1]), Concrete(ids[2]));
        for (x, ups) in [(s, [Struct, Eq, Any]), (a, [Array, Eq, Any])] {
            for up in ups {
                assert!(reg.heap_matches(x, up), "{x:?} <: {up:?}");
            }
            assert!(reg.heap_matches(None, x) && !reg.heap_matches(NoFunc, x));
            assert!(!reg.heap_matches(x, Func) && !reg.heap_matches(x, I31));
            assert_eq!(reg.top(x), Any);
        }
        assert!(!reg.heap_matches(s, Array) && !reg.heap_matches(a, Struct));
        assert!(reg.heap_matches(f, Func) && reg.heap_matches(NoFunc, f));
        assert!(!reg.heap_matches(f, Any) && !reg.heap_matches(None, f));
        assert_eq!(reg.top(f), Func);
        assert!(!reg.heap_matches(NoExtern, Any) && !reg.heap_matches(None, Extern));
        assert!(reg.heap_matches(I31, Eq) && !reg.heap_matches(Eq, I31));
    }

    #[test]
    fn composite_matching_rules() {
        let reg = TypeRegistry::new();
        let field = |v: ValType, mutable: bool| FieldType {
            storage: StorageType::Val(v),
            mutable,
        };
        let any = ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Any,
        });
        let eq = ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Eq,
        });
        // Immutable fields are covariant, mutable ones invariant.
        assert!(reg.field_matches(field(eq, false), field(any, false)));
        assert!(!reg.field_matches(field(any, false), field(eq, false)));
        assert!(!reg.field_matches(field(eq, true), field(any, true)));
        assert!(!reg.field_matches(field(eq, true), field(eq, false)));
        // Width subtyping for structs.
        let wide = CompositeType::Struct(vec![field(eq, false), field(ValType::I32, true)]);
        let narrow = CompositeType::Struct(vec![field(any, false)]);
        assert!(reg.composite_matches(&wide, &narrow));
        assert!(!reg.composite_matches(&narrow, &wide));
        // Functions: contravariant parameters, covariant results.
        let f = |p: ValType, r: ValType| CompositeType::Func(FuncType::new([p], [r]));
        assert!(reg.composite_matches(&f(any, eq), &f(eq, any)));
        assert!(!reg.composite_matches(&f(eq, eq), &f(any, any)));
        assert!(!reg.composite_matches(&f(any, any), &f(any, eq)));
    }

    #[test]
    fn malformed_groups_do_not_panic() {
        let m = Module {
            types: vec![
                TypeDef::new(strukt(&[r(false, 7)])),
                sub(strukt(&[]), false, Some(1)),
            ],
            rec_groups: vec![RecGroup { start: 1, len: 9 }, RecGroup { start: 0, len: 1 }],
            ..Default::default()
        };
        let ids = TypeRegistry::new().add_module(&m);
        assert_eq!(ids.len(), 2);
    }
}

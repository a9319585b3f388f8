//! WebAssembly GC: the heap of structs and arrays, its collector, and the
//! GC instructions' execution.
//!
//! **Objects.** Every struct or array is an entry of [`Heap::objs`]: its
//! canonical type id (the store's type registry), a generation, and its
//! fields as 64-bit slots (`v128` takes two; packed `i8`/`i16` fields keep
//! the written `i32` and are narrowed when read, which is where the spec's
//! wrap-then-extend shows). A reference is the object's index tagged and
//! stamped with its generation (see `values`), so `ref.eq` compares slots
//! and a reference to a reclaimed entry is recognized as stale.
//!
//! **Collection** (`collect.rs`) is mark and sweep, triggered by allocation
//! when the bytes allocated since the last collection pass the bytes that
//! survived it (at least [`MIN_TRIGGER`]), so the heap stays within about
//! twice the live data. Objects are scanned precisely: each type's layout
//! lists its reference slots. Roots are the globals, tables and element
//! segments (precise, they are typed), exception payloads, and the value
//! stack, which is untyped and scanned conservatively: a slot whose bits
//! name a live object by index *and* generation keeps it. A number that
//! happens to look like a reference can only keep garbage alive, never free
//! a live object. A collection runs only in the outermost run of the store
//! (a host function that calls back into wasm starts a second value stack
//! the collector would not see).

mod array;
mod cast;
mod collect;
pub(crate) use collect::collect;
mod exec;
pub(crate) mod konst;
mod pack;

pub(crate) use cast::value_matches;
pub(crate) use exec::run;

use wtool_ast::{CompositeType, RefType, StorageType, ValType};

use crate::store::InstanceData;
use crate::trap::TrapKind;
use crate::values::{obj_slot, GEN_MASK, GEN_SHIFT, I31_TAG, OBJ_TAG};

/// Bytes allocated between collections at least, however little is live.
pub(crate) const MIN_TRIGGER: usize = 8 << 20;
/// Bookkeeping bytes charged per object besides its slots.
const OBJ_OVERHEAD: usize = 32;
/// Type id of a free entry.
const FREE: u32 = u32::MAX;
/// Type id of an exception (its `len` is the tag's store address, its
/// slots the thrown values).
const EXN: u32 = u32::MAX - 1;

/// How a field or array element is stored and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Elem {
    /// Packed 8-bit integer.
    I8,
    /// Packed 16-bit integer.
    I16,
    /// `i32` or `f32`.
    N32,
    /// `i64` or `f64`.
    N64,
    /// `v128` (two slots).
    V128,
    /// A reference.
    Ref,
}

impl Elem {
    /// The element kind of a storage type.
    pub(crate) fn of(s: StorageType) -> Elem {
        match s {
            StorageType::I8 => Elem::I8,
            StorageType::I16 => Elem::I16,
            StorageType::Val(ValType::I32 | ValType::F32) => Elem::N32,
            StorageType::Val(ValType::I64 | ValType::F64) => Elem::N64,
            StorageType::Val(ValType::V128) => Elem::V128,
            StorageType::Val(ValType::Ref(_)) => Elem::Ref,
        }
    }

    /// Slots per element.
    #[inline]
    pub(crate) fn slots(self) -> usize {
        if self == Elem::V128 {
            2
        } else {
            1
        }
    }

    /// Bytes per element in a data segment (`array.new_data`).
    pub(crate) fn bytes(self) -> usize {
        match self {
            Elem::I8 => 1,
            Elem::I16 => 2,
            Elem::N32 => 4,
            Elem::N64 | Elem::Ref => 8,
            Elem::V128 => 16,
        }
    }
}

/// A GC instruction as the compiler leaves it: type indices, data and
/// element segments are module indices until `resolve` maps them to the
/// running instance's store ids; field offsets and element kinds come from
/// the module's type definitions, which equivalent types share.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum GcOp {
    /// `struct.new` (fields on the stack) or `struct.new_default`.
    StructNew { ty: u32, slots: u32, default: bool },
    /// `struct.get[_s|_u]` of the field at slot `off`.
    StructGet { off: u32, elem: Elem, signed: bool },
    /// `struct.set` of the field at slot `off`.
    StructSet { off: u32, elem: Elem },
    /// `array.new` (initial value and length) or `array.new_default`.
    ArrayNew { ty: u32, elem: Elem, default: bool },
    /// `array.new_fixed` of `n` values.
    ArrayNewFixed { ty: u32, elem: Elem, n: u32 },
    /// `array.new_data`.
    ArrayNewData { ty: u32, elem: Elem, data: u32 },
    /// `array.new_elem`.
    ArrayNewElem { ty: u32, elem: u32 },
    /// `array.get[_s|_u]`.
    ArrayGet { elem: Elem, signed: bool },
    /// `array.set`.
    ArraySet { elem: Elem },
    /// `array.len`.
    ArrayLen,
    /// `array.fill`.
    ArrayFill { elem: Elem },
    /// `array.copy` (elements of the destination's kind).
    ArrayCopy { elem: Elem },
    /// `array.init_data`.
    ArrayInitData { elem: Elem, data: u32 },
    /// `array.init_elem`.
    ArrayInitElem { elem: u32 },
    /// `ref.i31`.
    RefI31,
    /// `i31.get_s` / `i31.get_u`.
    I31Get { signed: bool },
    /// `ref.test`: the reference becomes an `i32`.
    Test { rt: RefType },
    /// `ref.cast`: traps "cast failure" unless the reference is in `rt`.
    Cast { rt: RefType },
    /// For `br_on_cast[_fail]`: pushes whether the reference (kept) is in
    /// `rt`, negated with `neg`.
    TestKeep { rt: RefType, neg: bool },
}

impl GcOp {
    /// The instruction with store ids for the instance `d`.
    #[inline(always)]
    pub(crate) fn resolve(self, d: &InstanceData) -> Option<GcOp> {
        let ty = |t: u32| d.types.get(t as usize).copied();
        let data = |x: u32| d.datas.get(x as usize).copied();
        let elems = |x: u32| d.elems.get(x as usize).copied();
        let rt = |r: RefType| crate::typing::store_ref(r, &d.types);
        Some(match self {
            GcOp::StructNew {
                ty: t,
                slots,
                default,
            } => GcOp::StructNew {
                ty: ty(t)?,
                slots,
                default,
            },
            GcOp::ArrayNew {
                ty: t,
                elem,
                default,
            } => GcOp::ArrayNew {
                ty: ty(t)?,
                elem,
                default,
            },
            GcOp::ArrayNewFixed { ty: t, elem, n } => GcOp::ArrayNewFixed {
                ty: ty(t)?,
                elem,
                n,
            },
            GcOp::ArrayNewData {
                ty: t,
                elem,
                data: x,
            } => GcOp::ArrayNewData {
                ty: ty(t)?,
                elem,
                data: data(x)?,
            },
            GcOp::ArrayNewElem { ty: t, elem } => GcOp::ArrayNewElem {
                ty: ty(t)?,
                elem: elems(elem)?,
            },
            GcOp::ArrayInitData { elem, data: x } => GcOp::ArrayInitData {
                elem,
                data: data(x)?,
            },
            GcOp::ArrayInitElem { elem } => GcOp::ArrayInitElem { elem: elems(elem)? },
            GcOp::Test { rt: r } => GcOp::Test { rt: rt(r) },
            GcOp::Cast { rt: r } => GcOp::Cast { rt: rt(r) },
            GcOp::TestKeep { rt: r, neg } => GcOp::TestKeep { rt: rt(r), neg },
            other => other,
        })
    }

    /// Whether executing it may allocate (and so collect).
    pub(crate) fn allocates(&self) -> bool {
        matches!(
            self,
            GcOp::StructNew { .. }
                | GcOp::ArrayNew { .. }
                | GcOp::ArrayNewFixed { .. }
                | GcOp::ArrayNewData { .. }
                | GcOp::ArrayNewElem { .. }
        )
    }
}

/// A snapshot of the GC heap ([`crate::Store::gc_stats`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GcStats {
    /// Objects allocated and not yet reclaimed.
    pub objects: usize,
    /// Bytes they are charged (slots plus a fixed overhead each), counting
    /// garbage not yet collected.
    pub bytes: usize,
    /// Collections so far.
    pub collections: u64,
}

/// One heap entry.
#[derive(Debug)]
struct Obj {
    /// Canonical type id, [`FREE`] for a free entry.
    ty: u32,
    /// Bumped each time the entry is freed.
    gen: u32,
    /// Number of elements of an array (0 for a struct).
    len: u32,
    /// Fields, or elements back to back.
    data: Box<[u64]>,
}

/// Which slots of an object hold references, by its type.
#[derive(Clone, Debug)]
enum Scan {
    /// No reference slots.
    Nothing,
    /// Every slot (an array of references).
    All,
    /// These slots (a struct's reference fields).
    Slots(Box<[u32]>),
}

/// The GC heap of a store.
#[derive(Debug, Default)]
pub(crate) struct Heap {
    objs: Vec<Obj>,
    /// Free entries, reused before the table grows.
    free: Vec<u32>,
    /// Reference slots by canonical type id, filled on first allocation.
    scans: Vec<Option<Scan>>,
    /// Bytes allocated since the last collection.
    allocated: usize,
    /// Bytes that survived the last collection.
    live: usize,
    /// Nesting of runs on this store (collect only at depth 1).
    pub depth: u32,
    /// Collections so far.
    pub collections: u64,
    /// Most bytes the heap may hold (`Config::max_heap_bytes`).
    pub limit: usize,
}

impl Heap {
    /// An empty heap that may hold up to `limit` bytes.
    pub(crate) fn new(limit: usize) -> Heap {
        Heap {
            limit,
            ..Heap::default()
        }
    }

    /// Whether the next allocation should collect first.
    #[inline]
    pub(crate) fn wants_collection(&self) -> bool {
        self.depth <= 1 && self.allocated >= self.live.max(MIN_TRIGGER)
    }

    /// The entry index of object reference `v`, if it names a live object
    /// of that generation.
    #[inline]
    fn index(&self, v: u64) -> Option<usize> {
        if v & (OBJ_TAG | I31_TAG) != OBJ_TAG {
            return None;
        }
        let i = v as u32 as usize;
        let o = self.objs.get(i)?;
        (o.ty != FREE && o.gen as u64 & GEN_MASK == (v >> GEN_SHIFT) & GEN_MASK).then_some(i)
    }

    /// The canonical type of the object `v` references.
    pub(crate) fn type_of(&self, v: u64) -> Option<u32> {
        self.index(v).map(|i| self.objs[i].ty)
    }

    /// The slots of object `v`; a stale reference traps.
    #[inline]
    fn data(&self, v: u64) -> Result<&[u64], TrapKind> {
        match self.index(v) {
            Some(i) => Ok(&self.objs[i].data),
            None => Err(TrapKind::StaleReference),
        }
    }

    /// The slots of object `v`, writable.
    #[inline]
    fn data_mut(&mut self, v: u64) -> Result<&mut [u64], TrapKind> {
        match self.index(v) {
            Some(i) => Ok(&mut self.objs[i].data),
            None => Err(TrapKind::StaleReference),
        }
    }

    /// Allocates an object of canonical type `ty` with the given slots.
    pub(crate) fn alloc(
        &mut self,
        registry: &wtool_ast::canon::TypeRegistry,
        ty: u32,
        array: bool,
        data: Box<[u64]>,
        len: u32,
    ) -> Result<u64, TrapKind> {
        self.scan_of(registry, ty);
        let (i, gen) = self.place(Obj {
            ty,
            gen: 0,
            len,
            data,
        })?;
        Ok(obj_slot(i, gen, array))
    }

    /// Charges `obj` and stores it in a free entry or a new one (keeping
    /// that entry's generation); its index and generation.
    fn place(&mut self, obj: Obj) -> Result<(u32, u32), TrapKind> {
        let bytes = OBJ_OVERHEAD + obj.data.len() * 8;
        self.charge(bytes)?;
        self.allocated += bytes;
        match self.free.pop() {
            Some(i) => {
                let o = &mut self.objs[i as usize];
                let gen = o.gen;
                *o = Obj { gen, ..obj };
                Ok((i, gen))
            }
            None => {
                let i = u32::try_from(self.objs.len())
                    .ok()
                    .filter(|&i| i < EXN)
                    .ok_or_else(|| TrapKind::HeapExhausted)?;
                self.objs.push(obj);
                Ok((i, 0))
            }
        }
    }

    /// Checks that `bytes` more fit under the heap limit.
    pub(crate) fn charge(&self, bytes: usize) -> Result<(), TrapKind> {
        let total = self
            .live
            .saturating_add(self.allocated)
            .saturating_add(bytes);
        if total > self.limit {
            return Err(TrapKind::HeapExhausted);
        }
        Ok(())
    }

    /// Makes sure the scan layout of type `ty` is known.
    fn scan_of(&mut self, registry: &wtool_ast::canon::TypeRegistry, ty: u32) {
        let i = ty as usize;
        if self.scans.get(i).is_some_and(Option::is_some) {
            return;
        }
        if self.scans.len() <= i {
            self.scans.resize(i + 1, None);
        }
        let is_ref = |s: StorageType| matches!(s, StorageType::Val(ValType::Ref(_)));
        let scan = match registry.composite(ty) {
            Some(CompositeType::Struct(fields)) => {
                let mut at = 0u32;
                let mut refs = Vec::new();
                for f in fields {
                    if is_ref(f.storage) {
                        refs.push(at);
                    }
                    at += Elem::of(f.storage).slots() as u32;
                }
                if refs.is_empty() {
                    Scan::Nothing
                } else {
                    Scan::Slots(refs.into())
                }
            }
            Some(CompositeType::Array(f)) if is_ref(f.storage) => Scan::All,
            _ => Scan::Nothing,
        };
        self.scans[i] = Some(scan);
    }

    /// Allocates an exception of tag `tag` (store address) carrying `vals`;
    /// its `exnref` slot.
    pub(crate) fn alloc_exn(&mut self, tag: u32, vals: Box<[u64]>) -> Result<u64, TrapKind> {
        let (i, gen) = self.place(Obj {
            ty: EXN,
            gen: 0,
            len: tag,
            data: vals,
        })?;
        Ok(obj_slot(i, gen, false))
    }

    /// The tag (store address) and values of the exception `v` references.
    pub(crate) fn exn(&self, v: u64) -> Option<(u32, &[u64])> {
        let o = &self.objs[self.index(v)?];
        (o.ty == EXN).then_some((o.len, &o.data[..]))
    }

    /// What the heap holds now.
    pub(crate) fn stats(&self) -> GcStats {
        GcStats {
            objects: self.objs.len() - self.free.len(),
            bytes: self.live + self.allocated,
            collections: self.collections,
        }
    }
}

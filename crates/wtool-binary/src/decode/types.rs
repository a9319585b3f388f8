//! Value, reference, heap, table, memory and global types.

use wtool_ast::{
    CompositeType, Features, FieldType, FuncType, GlobalType, HeapType, Limits, MemoryType,
    RefType, StorageType, SubType, TableType, TypeDef, ValType,
};

use crate::error::{Context, DecodeError, ErrorKind, Result};
use crate::reader::Reader;

/// What the decoder accepts beyond WebAssembly 2.0, derived once from [`Features`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Accept {
    /// The feature set this was derived from.
    pub features: Features,
    /// Struct, array, `sub` and `rec` type definitions.
    pub gc: bool,
    /// Exact heap types, `describes`/`descriptor` clauses, exact imports.
    pub custom_descriptors: bool,
    /// `(ref null? ht)` forms and the GC/exception abstract heap types.
    pub typed_refs: bool,
    /// Memory index in memargs and memory instructions.
    pub multi_memory: bool,
    /// 64-bit limits and u64 memarg offsets.
    pub memory64: bool,
    /// Shared memory flag.
    pub threads: bool,
    /// Custom page sizes.
    pub custom_pages: bool,
    /// Tag section, tag imports/exports.
    pub exceptions: bool,
    /// Table index in `call_indirect` (otherwise a zero byte).
    pub reference_types: bool,
    /// Any feature beyond 2.0 is on: follow the 3.0 reference interpreter
    /// where it reports errors differently (see `code::ran_out`).
    pub post_2_0: bool,
}

impl Accept {
    pub fn new(f: Features) -> Self {
        Accept {
            features: f,
            gc: f.contains(Features::GC),
            custom_descriptors: f.contains(Features::CUSTOM_DESCRIPTORS),
            typed_refs: f.contains(Features::FUNCTION_REFERENCES)
                || f.contains(Features::GC)
                || f.contains(Features::EXCEPTIONS),
            multi_memory: f.contains(Features::MULTI_MEMORY),
            memory64: f.contains(Features::MEMORY64),
            threads: f.contains(Features::THREADS),
            custom_pages: f.contains(Features::CUSTOM_PAGE_SIZES),
            exceptions: f.contains(Features::EXCEPTIONS),
            reference_types: f.contains(Features::REFERENCE_TYPES),
            post_2_0: !Features::WASM2.contains(f),
        }
    }
}

/// The abstract heap type a one-byte shorthand stands for, if any.
pub(crate) fn abstract_heap(b: u8, acc: Accept) -> Option<HeapType> {
    Some(match b {
        0x70 => HeapType::Func,
        0x6f => HeapType::Extern,
        _ if !acc.typed_refs => return None,
        0x6e => HeapType::Any,
        0x6d => HeapType::Eq,
        0x6c => HeapType::I31,
        0x6b => HeapType::Struct,
        0x6a => HeapType::Array,
        0x71 => HeapType::None,
        0x73 => HeapType::NoFunc,
        0x72 => HeapType::NoExtern,
        0x69 => HeapType::Exn,
        0x74 => HeapType::NoExn,
        _ => return None,
    })
}

/// Reads a heap type: an abstract shorthand byte, a non-negative s33 type
/// index, or (custom descriptors) 0x62 and an exact type index.
pub(crate) fn heap_type(r: &mut Reader<'_>, acc: Accept) -> Result<HeapType> {
    let at = r.pos();
    let b = r.peek().ok_or_else(|| r.eof(at))?;
    if let Some(h) = abstract_heap(b, acc) {
        r.u8()?;
        return Ok(h);
    }
    if b == 0x62 && acc.custom_descriptors {
        r.u8()?;
        return Ok(HeapType::Exact(r.u32()?));
    }
    if acc.typed_refs {
        let v = r.s33()?;
        if let Ok(idx) = u32::try_from(v) {
            return Ok(HeapType::Concrete(idx));
        }
    }
    Err(ref_error(r.err(at, ErrorKind::MalformedRefType), b, acc))
}

/// A malformed reference type, with the proposal its byte belongs to.
#[cold]
fn ref_error(e: DecodeError, b: u8, acc: Accept) -> DecodeError {
    match ref_byte_proposal(b) {
        Some(f) if !acc.typed_refs => e.needing(f),
        _ => e,
    }
}

/// Reads a reference type.
pub(crate) fn ref_type(r: &mut Reader<'_>, acc: Accept) -> Result<RefType> {
    let at = r.pos();
    let b = r.u8()?;
    if let Some(heap) = abstract_heap(b, acc) {
        return Ok(RefType {
            nullable: true,
            heap,
        });
    }
    if acc.typed_refs && (b == 0x63 || b == 0x64) {
        let heap = heap_type(r, acc)?;
        return Ok(RefType {
            nullable: b == 0x63,
            heap,
        });
    }
    Err(ref_error(r.err(at, ErrorKind::MalformedRefType), b, acc))
}

/// The value type a byte stands for on its own (no heap type following).
#[inline]
pub(crate) fn simple_val_type(b: u8) -> Option<ValType> {
    Some(match b {
        0x7f => ValType::I32,
        0x7e => ValType::I64,
        0x7d => ValType::F32,
        0x7c => ValType::F64,
        0x7b => ValType::V128,
        0x70 => ValType::FUNCREF,
        0x6f => ValType::EXTERNREF,
        _ => return None,
    })
}

/// True if `b` starts a value type.
pub(crate) fn starts_val_type(b: u8, acc: Accept) -> bool {
    simple_val_type(b).is_some()
        || (acc.typed_refs && (b == 0x63 || b == 0x64 || abstract_heap(b, acc).is_some()))
}

/// Reads a value type.
#[inline]
pub(crate) fn val_type(r: &mut Reader<'_>, acc: Accept) -> Result<ValType> {
    let at = r.pos();
    let b = r.peek().ok_or_else(|| r.eof(at))?;
    if let Some(t) = simple_val_type(b) {
        r.u8()?;
        return Ok(t);
    }
    if starts_val_type(b, acc) {
        return ref_type(r, acc).map(ValType::Ref);
    }
    Err(ref_error(r.err(at, ErrorKind::MalformedValType), b, acc))
}

/// The proposal that gives a reference type byte its meaning (for the
/// hint when that proposal is off).
fn ref_byte_proposal(b: u8) -> Option<Features> {
    match b {
        0x63 | 0x64 => Some(Features::FUNCTION_REFERENCES),
        0x69 | 0x74 => Some(Features::EXCEPTIONS),
        0x6a..=0x6e | 0x71..=0x73 => Some(Features::GC),
        _ => None,
    }
}

/// Reads limits given the flags' "has max" and "64-bit" bits.
fn limits(r: &mut Reader<'_>, has_max: bool, wide: bool) -> Result<Limits> {
    let read = |r: &mut Reader<'_>| {
        if wide {
            r.u64()
        } else {
            r.u32().map(u64::from)
        }
    };
    let min = read(r)?;
    let max = if has_max { Some(read(r)?) } else { None };
    Ok(Limits { min, max })
}

/// Reads a limits flags byte. With only "has max" allowed (2.0), the spec's
/// grammar reads it as a 1-bit LEB128, hence its integer error messages.
/// `proposals` names the proposal behind each flag bit, for the hint when
/// a flag is refused because its proposal is off.
fn limit_flags(r: &mut Reader<'_>, allowed: u8, proposals: &[(u8, Features)]) -> Result<u8> {
    let at = r.pos();
    let needs = |flags: u8| {
        let extra = flags & !allowed;
        proposals
            .iter()
            .find(|(bit, _)| extra & bit != 0)
            .map(|(_, f)| *f)
    };
    let hint = |e: DecodeError, flags: Option<u8>| match flags.and_then(needs) {
        Some(f) if flags.is_some_and(|b| b < 0x10) => e.needing(f),
        _ => e,
    };
    if allowed == 0x01 {
        let byte = r.peek();
        return r.small_uint(1).map_err(|e| hint(e, byte));
    }
    let flags = r.u8()?;
    if flags & !allowed != 0 {
        return Err(hint(
            r.err(at, ErrorKind::MalformedLimitsFlags),
            Some(flags),
        ));
    }
    Ok(flags)
}

/// The proposals behind a memory type's flag bits.
const MEMORY_FLAG_PROPOSALS: [(u8, Features); 3] = [
    (0x02, Features::THREADS),
    (0x04, Features::MEMORY64),
    (0x08, Features::CUSTOM_PAGE_SIZES),
];

/// Reads a memory type.
pub(crate) fn memory_type(r: &mut Reader<'_>, acc: Accept) -> Result<MemoryType> {
    let mut allowed = 0x01u8;
    if acc.threads {
        allowed |= 0x02;
    }
    if acc.memory64 {
        allowed |= 0x04;
    }
    if acc.custom_pages {
        allowed |= 0x08;
    }
    let flags = limit_flags(r, allowed, &MEMORY_FLAG_PROPOSALS)?;
    let index64 = flags & 0x04 != 0;
    // 3.0 reads every limit as a u64 (validation bounds 32-bit ones).
    let limits = limits(r, flags & 0x01 != 0, index64 || acc.memory64)?;
    let page_size_log2 = if flags & 0x08 != 0 {
        let at = r.pos();
        let log2 = r.u32()?;
        // A page of 2^64 bytes or more has no size at all: malformed
        // (other sizes but 1 and 64 KiB are a validation matter).
        if log2 >= 64 {
            return Err(r.err(at, ErrorKind::InvalidCustomPageSize));
        }
        Some(log2)
    } else {
        None
    };
    Ok(MemoryType {
        limits,
        shared: flags & 0x02 != 0,
        index64,
        page_size_log2,
    })
}

/// Reads a table type.
pub(crate) fn table_type(r: &mut Reader<'_>, acc: Accept) -> Result<TableType> {
    let elem = ref_type(r, acc)?;
    let allowed = if acc.memory64 { 0x05 } else { 0x01 };
    let flags = limit_flags(r, allowed, &[(0x04, Features::MEMORY64)])?;
    let index64 = flags & 0x04 != 0;
    // 3.0 reads every limit as a u64 (validation bounds 32-bit ones).
    let limits = limits(r, flags & 0x01 != 0, index64 || acc.memory64)?;
    Ok(TableType {
        elem,
        limits,
        index64,
    })
}

/// Reads a global type.
pub(crate) fn global_type(r: &mut Reader<'_>, acc: Accept) -> Result<GlobalType> {
    let ty = val_type(r, acc)?;
    let at = r.pos();
    let mutable = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(r.err(at, ErrorKind::MalformedMutability)),
    };
    Ok(GlobalType { ty, mutable })
}

/// Reads a storage type: a value type or a packed `i8`/`i16`.
fn storage_type(r: &mut Reader<'_>, acc: Accept) -> Result<StorageType> {
    match r.peek() {
        Some(0x78) => {
            r.u8()?;
            Ok(StorageType::I8)
        }
        Some(0x77) => {
            r.u8()?;
            Ok(StorageType::I16)
        }
        _ => val_type(r, acc).map(StorageType::Val),
    }
}

/// Reads a field type: storage type and mutability.
fn field_type(r: &mut Reader<'_>, acc: Accept) -> Result<FieldType> {
    let storage = storage_type(r, acc)?;
    let at = r.pos();
    let mutable = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(r.err(at, ErrorKind::MalformedMutability)),
    };
    Ok(FieldType { storage, mutable })
}

fn val_types(r: &mut Reader<'_>, acc: Accept) -> Result<Vec<ValType>> {
    let (n, cap) = r.count()?;
    let mut v = Vec::with_capacity(cap);
    for _ in 0..n {
        v.push(val_type(r, acc)?);
    }
    Ok(v)
}

/// Reads a composite type after its form byte `form`.
fn composite_type(r: &mut Reader<'_>, acc: Accept, form: u8, at: usize) -> Result<CompositeType> {
    Ok(match form {
        0x60 => {
            let params = val_types(r, acc).field("parameters")?;
            let results = val_types(r, acc).field("results")?;
            CompositeType::Func(FuncType::new(params, results))
        }
        0x5f if acc.gc => {
            let (n, cap) = r.count()?;
            let mut fields = Vec::with_capacity(cap);
            for _ in 0..n {
                fields.push(field_type(r, acc)?);
            }
            CompositeType::Struct(fields)
        }
        0x5e if acc.gc => CompositeType::Array(field_type(r, acc)?),
        // The form is a signed 7-bit LEB128 in the spec's grammar.
        b if b & 0x80 != 0 => {
            return Err(r.err(at + 1, ErrorKind::IntegerTooLong).in_field("form"))
        }
        b => {
            let e = r
                .err(at, ErrorKind::MalformedDefinitionType)
                .in_field("form");
            // struct, array, sub, sub final and rec are GC's forms.
            return Err(
                if !acc.gc && matches!(b, 0x5f | 0x5e | 0x50 | 0x4f | 0x4e) {
                    e.needing(Features::GC)
                } else {
                    e
                },
            );
        }
    })
}

/// Reads one subtype: `sub`/`sub final` with supertypes, the descriptor
/// clauses, and the composite type; `first` is its already-read first byte.
pub(crate) fn sub_type(r: &mut Reader<'_>, acc: Accept, first: u8, at: usize) -> Result<TypeDef> {
    let mut form = first;
    let mut form_at = at;
    let mut sub = None;
    if acc.gc && (form == 0x50 || form == 0x4f) {
        let (n, cap) = r.count()?;
        let mut supertypes = Vec::with_capacity(cap);
        for _ in 0..n {
            supertypes.push(r.u32()?);
        }
        sub = Some(SubType {
            is_final: form == 0x4f,
            supertypes,
        });
        form_at = r.pos();
        form = r.u8()?;
    }
    let mut describes = None;
    let mut descriptor = None;
    if acc.custom_descriptors {
        if form == 0x4c {
            describes = Some(r.u32()?);
            form_at = r.pos();
            form = r.u8()?;
        }
        if form == 0x4d {
            descriptor = Some(r.u32()?);
            form_at = r.pos();
            form = r.u8()?;
        }
    }
    let composite = composite_type(r, acc, form, form_at)?;
    Ok(TypeDef {
        composite,
        sub,
        describes,
        descriptor,
    })
}

//! Readers for each immediate kind of the instruction table, called by the
//! generated decoder (`generated.rs`) in binary order.

use wtool_ast::{BlockType, BrCast, BrTable, Catch, HeapType, MemArg, RefType, ValType};

use super::code::CodeCtx;
use super::types;
use crate::error::{ErrorKind, Result};
use crate::reader::Reader;

/// A label (branch depth).
#[inline]
pub(crate) fn label(r: &mut Reader<'_>, _: &CodeCtx) -> Result<u32> {
    r.u32()
}

macro_rules! plain_index {
    ($($name:ident: $what:literal),* $(,)?) => {$(
        #[doc = concat!("A ", $what, " index.")]
        #[inline]
        pub(crate) fn $name(r: &mut Reader<'_>, _: &CodeCtx) -> Result<u32> {
            r.u32()
        }
    )*};
}

plain_index! {
    func: "function",
    type_idx: "type",
    type_use: "type (of a call)",
    table: "table",
    table_opt: "table",
    local: "local",
    global: "global",
    tag: "tag",
    data: "data segment",
    elem: "element segment",
    field: "struct field",
    count: "count (`array.new_fixed`)",
}

/// A byte that must be zero.
fn zero_byte(r: &mut Reader<'_>) -> Result<u32> {
    let at = r.pos();
    match r.u8()? {
        0 => Ok(0),
        _ => Err(r.err(at, ErrorKind::ZeroByteExpected)),
    }
}

/// `call_indirect`'s table: a zero byte before reference types.
#[inline]
pub(crate) fn table0(r: &mut Reader<'_>, cx: &CodeCtx) -> Result<u32> {
    if cx.acc.reference_types {
        r.u32()
    } else {
        zero_byte(r)
    }
}

/// A memory index where WebAssembly 2.0 has a reserved zero byte.
#[inline]
pub(crate) fn mem_idx(r: &mut Reader<'_>, cx: &CodeCtx) -> Result<u32> {
    if cx.acc.multi_memory {
        r.u32()
    } else {
        zero_byte(r)
    }
}

/// The reserved zero byte of `atomic.fence`.
pub(crate) fn zero(r: &mut Reader<'_>, _: &CodeCtx) -> Result<()> {
    zero_byte(r).map(|_| ())
}

/// A block type: empty, a value type, or an s33 type index.
pub(crate) fn block_type(r: &mut Reader<'_>, cx: &CodeCtx) -> Result<BlockType> {
    let at = r.pos();
    let b = r.peek().ok_or_else(|| r.eof(at))?;
    if b == 0x40 {
        r.u8()?;
        return Ok(BlockType::Empty);
    }
    if types::starts_val_type(b, cx.acc) {
        return types::val_type(r, cx.acc).map(BlockType::Value);
    }
    let v = r.s33()?;
    match u32::try_from(v) {
        Ok(idx) => Ok(BlockType::Func(idx)),
        Err(_) => Err(r.err(at, ErrorKind::MalformedValType)),
    }
}

/// `br_table`'s targets and default.
pub(crate) fn br_table(r: &mut Reader<'_>, _: &CodeCtx) -> Result<Box<BrTable>> {
    let (n, cap) = r.count()?;
    let mut targets = Vec::with_capacity(cap);
    for _ in 0..n {
        targets.push(r.u32()?);
    }
    let default = r.u32()?;
    Ok(Box::new(BrTable {
        targets: targets.into_boxed_slice(),
        default,
    }))
}

/// A heap type.
#[inline]
pub(crate) fn heap_type(r: &mut Reader<'_>, cx: &CodeCtx) -> Result<HeapType> {
    types::heap_type(r, cx.acc)
}

/// The heap type of `ref.test`/`ref.cast`, whose nullability is the opcode's.
pub(crate) fn cast_ref(r: &mut Reader<'_>, cx: &CodeCtx, nullable: bool) -> Result<RefType> {
    Ok(RefType {
        nullable,
        heap: types::heap_type(r, cx.acc)?,
    })
}

/// `br_on_cast`'s flags byte (bit 0: source nullable, bit 1: target
/// nullable), label and two heap types.
pub(crate) fn br_cast(r: &mut Reader<'_>, cx: &CodeCtx) -> Result<Box<BrCast>> {
    let at = r.pos();
    let flags = r.u8()?;
    if flags > 3 {
        return Err(r.err(at, ErrorKind::MalformedCastFlags));
    }
    let label = r.u32()?;
    let from = cast_ref(r, cx, flags & 1 != 0)?;
    let to = cast_ref(r, cx, flags & 2 != 0)?;
    Ok(Box::new(BrCast { label, from, to }))
}

/// `try_table`'s catch clauses.
pub(crate) fn catches(r: &mut Reader<'_>, _: &CodeCtx) -> Result<Vec<Catch>> {
    let (n, cap) = r.count()?;
    let mut v = Vec::with_capacity(cap);
    for _ in 0..n {
        let at = r.pos();
        v.push(match r.u8()? {
            0 => Catch::Catch {
                tag: r.u32()?,
                label: r.u32()?,
            },
            1 => Catch::CatchRef {
                tag: r.u32()?,
                label: r.u32()?,
            },
            2 => Catch::CatchAll { label: r.u32()? },
            3 => Catch::CatchAllRef { label: r.u32()? },
            _ => return Err(r.err(at, ErrorKind::MalformedCatchClause)),
        });
    }
    Ok(v)
}

/// A typed `select`'s types (any number; validation wants one). Boxed
/// twice so that `Instr` stays 16 bytes (a boxed slice is two words).
#[allow(clippy::box_collection)]
pub(crate) fn val_types(r: &mut Reader<'_>, cx: &CodeCtx) -> Result<Box<Vec<ValType>>> {
    let (n, cap) = r.count()?;
    let mut v = Vec::with_capacity(cap);
    for _ in 0..n {
        v.push(types::val_type(r, cx.acc)?);
    }
    Ok(Box::new(v))
}

/// `i32.const`.
#[inline]
pub(crate) fn i32(r: &mut Reader<'_>, _: &CodeCtx) -> Result<i32> {
    r.s32()
}

/// `i64.const`.
#[inline]
pub(crate) fn i64(r: &mut Reader<'_>, _: &CodeCtx) -> Result<i64> {
    r.s64()
}

/// `f32.const`'s bits.
#[inline]
pub(crate) fn f32(r: &mut Reader<'_>, _: &CodeCtx) -> Result<u32> {
    Ok(u32::from_le_bytes(r.array()?))
}

/// `f64.const`'s bits.
#[inline]
pub(crate) fn f64(r: &mut Reader<'_>, _: &CodeCtx) -> Result<u64> {
    Ok(u64::from_le_bytes(r.array()?))
}

/// `v128.const`'s bytes.
pub(crate) fn v128(r: &mut Reader<'_>, _: &CodeCtx) -> Result<Box<[u8; 16]>> {
    Ok(Box::new(r.array()?))
}

/// `i8x16.shuffle`'s lane indices.
pub(crate) fn shuffle(r: &mut Reader<'_>, _: &CodeCtx) -> Result<Box<[u8; 16]>> {
    Ok(Box::new(r.array()?))
}

/// A lane index.
#[inline]
pub(crate) fn lane(r: &mut Reader<'_>, _: &CodeCtx) -> Result<u8> {
    r.u8()
}

/// A memory immediate: alignment flags, memory index (multi-memory), offset.
#[inline]
pub(crate) fn memarg(r: &mut Reader<'_>, cx: &CodeCtx) -> Result<MemArg> {
    let acc = cx.acc;
    let at = r.pos();
    let flags = r.u32()?;
    // 2.0 allows alignment exponents below 32; multi-memory uses bit 6 to
    // announce a memory index and allows exponents up to 63.
    let limit = if acc.multi_memory { 0x80 } else { 0x20 };
    if flags >= limit {
        return Err(r.err(at, ErrorKind::MalformedMemopFlags));
    }
    let memory = if flags & 0x40 != 0 { r.u32()? } else { 0 };
    // A u32 in 2.0, whose binary suites (wasm-v1, reference-types
    // `binary-leb128.wast`) call a five-byte offset of 2^32 or more "integer
    // too large"; memory64 makes it a u64 that the validator range-checks
    // against the memory ("offset out of range").
    let offset = if acc.memory64 {
        r.u64()?
    } else {
        u64::from(r.u32()?)
    };
    Ok(MemArg {
        offset,
        memory,
        align: (flags & 0x3f) as u8,
    })
}

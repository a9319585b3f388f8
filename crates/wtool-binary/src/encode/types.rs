//! Types.

use wtool_ast::{
    CompositeType, FieldType, GlobalType, HeapType, Limits, MemoryType, RefType, StorageType,
    TableType, TypeDef, ValType,
};

use crate::leb128::{write_s64, write_u32, write_u64};

/// The one-byte shorthand of an abstract heap type.
fn heap_byte(h: HeapType) -> Option<u8> {
    Some(match h {
        HeapType::Func => 0x70,
        HeapType::Extern => 0x6f,
        HeapType::Any => 0x6e,
        HeapType::Eq => 0x6d,
        HeapType::I31 => 0x6c,
        HeapType::Struct => 0x6b,
        HeapType::Array => 0x6a,
        HeapType::None => 0x71,
        HeapType::NoFunc => 0x73,
        HeapType::NoExtern => 0x72,
        HeapType::Exn => 0x69,
        HeapType::NoExn => 0x74,
        HeapType::Concrete(_) | HeapType::Exact(_) => return None,
    })
}

/// Writes a heap type.
pub fn heap_type(out: &mut Vec<u8>, h: HeapType) {
    match (heap_byte(h), h) {
        (Some(b), _) => out.push(b),
        (None, HeapType::Concrete(i)) => write_s64(out, i64::from(i)),
        (None, HeapType::Exact(i)) => {
            out.push(0x62);
            write_u32(out, i);
        }
        (None, _) => {}
    }
}

/// Writes a reference type, using the shorthand for nullable abstract types.
pub fn ref_type(out: &mut Vec<u8>, r: RefType) {
    if r.nullable {
        if let Some(b) = heap_byte(r.heap) {
            out.push(b);
            return;
        }
    }
    out.push(if r.nullable { 0x63 } else { 0x64 });
    heap_type(out, r.heap);
}

/// Writes a value type.
pub fn val_type(out: &mut Vec<u8>, t: ValType) {
    match t {
        ValType::I32 => out.push(0x7f),
        ValType::I64 => out.push(0x7e),
        ValType::F32 => out.push(0x7d),
        ValType::F64 => out.push(0x7c),
        ValType::V128 => out.push(0x7b),
        ValType::Ref(r) => ref_type(out, r),
    }
}

/// Limits are written as u64 LEB128s: for values that fit in a u32 the bytes
/// are the same as a u32's, and 3.0 reads every limit as a u64.
fn limits(out: &mut Vec<u8>, flags: u8, l: Limits) {
    out.push(flags | u8::from(l.max.is_some()));
    write_u64(out, l.min);
    if let Some(m) = l.max {
        write_u64(out, m);
    }
}

/// Writes a memory type.
pub fn memory_type(out: &mut Vec<u8>, m: MemoryType) {
    let flags = (u8::from(m.shared) << 1)
        | (u8::from(m.index64) << 2)
        | (u8::from(m.page_size_log2.is_some()) << 3);
    limits(out, flags, m.limits);
    if let Some(p) = m.page_size_log2 {
        write_u32(out, p);
    }
}

/// Writes a table type.
pub fn table_type(out: &mut Vec<u8>, t: TableType) {
    ref_type(out, t.elem);
    limits(out, u8::from(t.index64) << 2, t.limits);
}

/// Writes a global type.
pub fn global_type(out: &mut Vec<u8>, g: GlobalType) {
    val_type(out, g.ty);
    out.push(u8::from(g.mutable));
}

fn field_type(out: &mut Vec<u8>, f: FieldType) {
    match f.storage {
        StorageType::I8 => out.push(0x78),
        StorageType::I16 => out.push(0x77),
        StorageType::Val(t) => val_type(out, t),
    }
    out.push(u8::from(f.mutable));
}

/// Writes one type definition: its `sub` clause, descriptor clauses and
/// composite type.
pub fn sub_type(out: &mut Vec<u8>, t: &TypeDef) {
    if let Some(sub) = &t.sub {
        out.push(if sub.is_final { 0x4f } else { 0x50 });
        write_u32(out, sub.supertypes.len() as u32);
        sub.supertypes.iter().for_each(|&s| write_u32(out, s));
    }
    if let Some(d) = t.describes {
        out.push(0x4c);
        write_u32(out, d);
    }
    if let Some(d) = t.descriptor {
        out.push(0x4d);
        write_u32(out, d);
    }
    match &t.composite {
        CompositeType::Func(f) => {
            out.push(0x60);
            write_u32(out, f.params.len() as u32);
            f.params.iter().for_each(|&t| val_type(out, t));
            write_u32(out, f.results.len() as u32);
            f.results.iter().for_each(|&t| val_type(out, t));
        }
        CompositeType::Struct(fields) => {
            out.push(0x5f);
            write_u32(out, fields.len() as u32);
            fields.iter().for_each(|&f| field_type(out, f));
        }
        CompositeType::Array(f) => {
            out.push(0x5e);
            field_type(out, *f);
        }
    }
}

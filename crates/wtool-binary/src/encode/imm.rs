//! Writers for each immediate kind of the instruction table, called by the
//! generated encoder (`generated.rs`) in binary order.

use wtool_ast::{BlockType, BrCast, BrTable, Catch, HeapType, MemArg, Op, RefType, ValType};

use super::types;
use crate::leb128::{write_s32, write_s64, write_u32, write_u64};

/// An opcode: the byte, or a prefix byte and a LEB128 code.
#[inline]
pub(crate) fn opcode(out: &mut Vec<u8>, prefix: u8, code: u32) {
    if prefix == 0 {
        out.push(code as u8);
    } else {
        out.push(prefix);
        write_u32(out, code);
    }
}

/// A table-driven op's opcode.
#[inline]
pub(crate) fn op(out: &mut Vec<u8>, op: Op) {
    let info = op.info();
    opcode(out, info.prefix, info.code);
}

/// Writes any index kind.
#[inline]
pub(crate) fn index(out: &mut Vec<u8>, x: &u32) {
    write_u32(out, *x);
}

pub(crate) use index as count;
pub(crate) use index as data;
pub(crate) use index as elem;
pub(crate) use index as field;
pub(crate) use index as func;
pub(crate) use index as global;
pub(crate) use index as label;
pub(crate) use index as local;
pub(crate) use index as mem_idx;
pub(crate) use index as table;
pub(crate) use index as table0;
pub(crate) use index as table_opt;
pub(crate) use index as tag;
pub(crate) use index as type_idx;
pub(crate) use index as type_use;

/// `atomic.fence`'s reserved byte.
pub(crate) fn zero(out: &mut Vec<u8>, _: ()) {
    out.push(0);
}

/// A block type.
pub(crate) fn block_type(out: &mut Vec<u8>, bt: &BlockType) {
    match *bt {
        BlockType::Empty => out.push(0x40),
        BlockType::Value(t) => types::val_type(out, t),
        BlockType::Func(i) => write_s64(out, i64::from(i)),
    }
}

/// `br_table`'s targets and default.
pub(crate) fn br_table(out: &mut Vec<u8>, t: &BrTable) {
    write_u32(out, t.targets.len() as u32);
    t.targets.iter().for_each(|&l| write_u32(out, l));
    write_u32(out, t.default);
}

/// A heap type.
pub(crate) fn heap_type(out: &mut Vec<u8>, h: &HeapType) {
    types::heap_type(out, *h);
}

/// The heap type of `ref.test`/`ref.cast` (nullability is in the opcode).
pub(crate) fn cast_ref(out: &mut Vec<u8>, r: &RefType) {
    types::heap_type(out, r.heap);
}

/// `br_on_cast`'s flags, label and heap types.
pub(crate) fn br_cast(out: &mut Vec<u8>, c: &BrCast) {
    out.push(u8::from(c.from.nullable) | (u8::from(c.to.nullable) << 1));
    write_u32(out, c.label);
    types::heap_type(out, c.from.heap);
    types::heap_type(out, c.to.heap);
}

/// `try_table`'s catch clauses.
pub(crate) fn catches(out: &mut Vec<u8>, cs: &[Catch]) {
    write_u32(out, cs.len() as u32);
    for c in cs {
        out.push(c.code().0);
        if let Some(t) = c.tag() {
            write_u32(out, t);
        }
        write_u32(out, c.label());
    }
}

/// A typed `select`'s types.
pub(crate) fn val_types(out: &mut Vec<u8>, ts: &[ValType]) {
    write_u32(out, ts.len() as u32);
    ts.iter().for_each(|&t| types::val_type(out, t));
}

/// `i32.const`.
pub(crate) fn i32(out: &mut Vec<u8>, v: &i32) {
    write_s32(out, *v);
}

/// `i64.const`.
pub(crate) fn i64(out: &mut Vec<u8>, v: &i64) {
    write_s64(out, *v);
}

/// `f32.const`'s bits.
pub(crate) fn f32(out: &mut Vec<u8>, bits: &u32) {
    out.extend_from_slice(&bits.to_le_bytes());
}

/// `f64.const`'s bits.
pub(crate) fn f64(out: &mut Vec<u8>, bits: &u64) {
    out.extend_from_slice(&bits.to_le_bytes());
}

/// Sixteen raw bytes (`v128.const`, `i8x16.shuffle`).
pub(crate) fn v128(out: &mut Vec<u8>, b: &[u8; 16]) {
    out.extend_from_slice(b);
}

pub(crate) use v128 as shuffle;

/// A lane index.
pub(crate) fn lane(out: &mut Vec<u8>, l: &u8) {
    out.push(*l);
}

/// A memory immediate, naming the memory only when it is not 0.
pub(crate) fn memarg(out: &mut Vec<u8>, m: &MemArg) {
    let (memory, offset, align) = (m.memory, m.offset, m.align);
    if memory == 0 {
        write_u32(out, u32::from(align));
    } else {
        write_u32(out, u32::from(align) | 0x40);
        write_u32(out, memory);
    }
    write_u64(out, offset);
}

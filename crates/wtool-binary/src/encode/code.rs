//! Instructions.

use wtool_ast::{BlockType, Expr, Instr, MemArg, Op};

use super::types;
use crate::leb128::{write_s32, write_s64, write_u32, write_u64};

/// Writes every instruction of `expr` (its final `end` included).
pub fn encode_expr(out: &mut Vec<u8>, expr: &Expr) {
    for i in &expr.instrs {
        encode_instr(out, i);
    }
}

fn op_code(out: &mut Vec<u8>, op: Op) {
    let info = op.info();
    if info.prefix == 0 {
        out.push(info.code as u8);
    } else {
        out.push(info.prefix);
        write_u32(out, info.code);
    }
}

fn memarg(out: &mut Vec<u8>, m: MemArg) {
    let (memory, offset, align) = (m.memory, m.offset, m.align);
    if memory == 0 {
        write_u32(out, u32::from(align));
    } else {
        write_u32(out, u32::from(align) | 0x40);
        write_u32(out, memory);
    }
    write_u64(out, offset);
}

fn block_type(out: &mut Vec<u8>, bt: BlockType) {
    match bt {
        BlockType::Empty => out.push(0x40),
        BlockType::Value(t) => types::val_type(out, t),
        BlockType::Func(i) => write_s64(out, i64::from(i)),
    }
}

fn fc(out: &mut Vec<u8>, code: u32) {
    out.push(0xfc);
    write_u32(out, code);
}

/// Writes one instruction.
pub fn encode_instr(out: &mut Vec<u8>, i: &Instr) {
    match i {
        Instr::Plain(op) => op_code(out, *op),
        Instr::LocalGet(x) => {
            out.push(0x20);
            write_u32(out, *x);
        }
        Instr::LocalSet(x) => {
            out.push(0x21);
            write_u32(out, *x);
        }
        Instr::LocalTee(x) => {
            out.push(0x22);
            write_u32(out, *x);
        }
        Instr::GlobalGet(x) => {
            out.push(0x23);
            write_u32(out, *x);
        }
        Instr::GlobalSet(x) => {
            out.push(0x24);
            write_u32(out, *x);
        }
        Instr::I32Const(v) => {
            out.push(0x41);
            write_s32(out, *v);
        }
        Instr::I64Const(v) => {
            out.push(0x42);
            write_s64(out, *v);
        }
        Instr::F32Const(b) => {
            out.push(0x43);
            out.extend_from_slice(&b.to_le_bytes());
        }
        Instr::F64Const(b) => {
            out.push(0x44);
            out.extend_from_slice(&b.to_le_bytes());
        }
        Instr::Mem(op, m) => {
            op_code(out, *op);
            memarg(out, *m);
        }
        Instr::End => out.push(0x0b),
        Instr::Unreachable => out.push(0x00),
        Instr::Nop => out.push(0x01),
        Instr::Block(bt) => {
            out.push(0x02);
            block_type(out, *bt);
        }
        Instr::Loop(bt) => {
            out.push(0x03);
            block_type(out, *bt);
        }
        Instr::If(bt) => {
            out.push(0x04);
            block_type(out, *bt);
        }
        Instr::Else => out.push(0x05),
        Instr::Br(l) => {
            out.push(0x0c);
            write_u32(out, *l);
        }
        Instr::BrIf(l) => {
            out.push(0x0d);
            write_u32(out, *l);
        }
        Instr::BrTable(t) => {
            out.push(0x0e);
            write_u32(out, t.targets.len() as u32);
            for &l in t.targets.iter() {
                write_u32(out, l);
            }
            write_u32(out, t.default);
        }
        Instr::Return => out.push(0x0f),
        Instr::Call(f) => {
            out.push(0x10);
            write_u32(out, *f);
        }
        Instr::CallIndirect { type_idx, table } => {
            out.push(0x11);
            write_u32(out, *type_idx);
            write_u32(out, *table);
        }
        Instr::Drop => out.push(0x1a),
        Instr::Select => out.push(0x1b),
        Instr::SelectT(t) => {
            out.extend_from_slice(&[0x1c, 0x01]);
            types::val_type(out, *t);
        }
        Instr::TableGet(t) => {
            out.push(0x25);
            write_u32(out, *t);
        }
        Instr::TableSet(t) => {
            out.push(0x26);
            write_u32(out, *t);
        }
        Instr::MemorySize(m) => {
            out.push(0x3f);
            write_u32(out, *m);
        }
        Instr::MemoryGrow(m) => {
            out.push(0x40);
            write_u32(out, *m);
        }
        Instr::RefNull(h) => {
            out.push(0xd0);
            types::heap_type(out, *h);
        }
        Instr::RefIsNull => out.push(0xd1),
        Instr::RefFunc(f) => {
            out.push(0xd2);
            write_u32(out, *f);
        }
        Instr::MemoryInit { data, mem } => {
            fc(out, 8);
            write_u32(out, *data);
            write_u32(out, *mem);
        }
        Instr::DataDrop(d) => {
            fc(out, 9);
            write_u32(out, *d);
        }
        Instr::MemoryCopy { dst, src } => {
            fc(out, 10);
            write_u32(out, *dst);
            write_u32(out, *src);
        }
        Instr::MemoryFill(m) => {
            fc(out, 11);
            write_u32(out, *m);
        }
        Instr::TableInit { elem, table } => {
            fc(out, 12);
            write_u32(out, *elem);
            write_u32(out, *table);
        }
        Instr::ElemDrop(e) => {
            fc(out, 13);
            write_u32(out, *e);
        }
        Instr::TableCopy { dst, src } => {
            fc(out, 14);
            write_u32(out, *dst);
            write_u32(out, *src);
        }
        Instr::TableGrow(t) => {
            fc(out, 15);
            write_u32(out, *t);
        }
        Instr::TableSize(t) => {
            fc(out, 16);
            write_u32(out, *t);
        }
        Instr::TableFill(t) => {
            fc(out, 17);
            write_u32(out, *t);
        }
        Instr::V128Const(b) => {
            out.extend_from_slice(&[0xfd, 0x0c]);
            out.extend_from_slice(&b[..]);
        }
        Instr::I8x16Shuffle(b) => {
            out.extend_from_slice(&[0xfd, 0x0d]);
            out.extend_from_slice(&b[..]);
        }
        Instr::Lane(op, lane) => {
            op_code(out, *op);
            out.push(*lane);
        }
        Instr::MemLane(m) => {
            op_code(out, m.op);
            memarg(out, m.memarg);
            out.push(m.lane);
        }
    }
}

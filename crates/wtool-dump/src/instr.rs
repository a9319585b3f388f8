//! Instructions as JSON, serialized lazily straight from the AST.

use crate::text::{f32_text, f64_text, heap_text};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use wtool_ast::{BlockType, Expr, Instr, MemArg};

/// A function's instructions, serialized lazily from the AST.
#[derive(Debug)]
pub struct Instrs<'a>(pub &'a Expr);

impl Serialize for Instrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.instrs.len()))?;
        for (i, instr) in self.0.instrs.iter().enumerate() {
            seq.serialize_element(&InstrJson {
                offset: self.0.offset_of(i),
                instr,
            })?;
        }
        seq.end()
    }
}

/// One instruction: `{"offset": …, "op": "mnemonic", <immediates>…}`.
pub(crate) struct InstrJson<'a> {
    offset: Option<u32>,
    instr: &'a Instr,
}

#[derive(Serialize)]
pub(crate) struct MemArgJson {
    offset: u64,
    align_log2: u8,
    memory: u32,
}

pub(crate) fn memarg_json(m: MemArg) -> MemArgJson {
    // MemArg is packed: copy the fields out instead of borrowing them.
    let (offset, align, memory) = (m.offset, m.align, m.memory);
    MemArgJson {
        offset,
        align_log2: align,
        memory,
    }
}

impl Serialize for InstrJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("offset", &self.offset)?;
        m.serialize_entry("op", self.instr.mnemonic())?;
        match self.instr {
            Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                m.serialize_entry("block_type", &BlockTypeJson(*bt))?
            }
            Instr::Br(l) | Instr::BrIf(l) => m.serialize_entry("label", l)?,
            Instr::BrTable(t) => {
                m.serialize_entry("labels", &t.targets)?;
                m.serialize_entry("default", &t.default)?;
            }
            Instr::Call(f) | Instr::RefFunc(f) => m.serialize_entry("func", f)?,
            Instr::CallIndirect { type_idx, table } => {
                m.serialize_entry("type", type_idx)?;
                m.serialize_entry("table", table)?;
            }
            Instr::SelectT(t) => m.serialize_entry("result_type", &t.to_string())?,
            Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) => {
                m.serialize_entry("local", x)?
            }
            Instr::GlobalGet(x) | Instr::GlobalSet(x) => m.serialize_entry("global", x)?,
            Instr::TableGet(t)
            | Instr::TableSet(t)
            | Instr::TableGrow(t)
            | Instr::TableSize(t)
            | Instr::TableFill(t) => m.serialize_entry("table", t)?,
            Instr::TableInit { elem, table } => {
                m.serialize_entry("table", table)?;
                m.serialize_entry("elem", elem)?;
            }
            Instr::ElemDrop(e) => m.serialize_entry("elem", e)?,
            Instr::TableCopy { dst, src } => {
                m.serialize_entry("dst_table", dst)?;
                m.serialize_entry("src_table", src)?;
            }
            Instr::MemorySize(x) | Instr::MemoryGrow(x) | Instr::MemoryFill(x) => {
                m.serialize_entry("memory", x)?
            }
            Instr::MemoryInit { data, mem } => {
                m.serialize_entry("memory", mem)?;
                m.serialize_entry("data", data)?;
            }
            Instr::DataDrop(d) => m.serialize_entry("data", d)?,
            Instr::MemoryCopy { dst, src } => {
                m.serialize_entry("dst_memory", dst)?;
                m.serialize_entry("src_memory", src)?;
            }
            Instr::I32Const(v) => m.serialize_entry("value", v)?,
            Instr::I64Const(v) => m.serialize_entry("value", v)?,
            Instr::F32Const(bits) => {
                m.serialize_entry("value", &f32_text(*bits))?;
                m.serialize_entry("bits", &format!("{bits:#010x}"))?;
            }
            Instr::F64Const(bits) => {
                m.serialize_entry("value", &f64_text(*bits))?;
                m.serialize_entry("bits", &format!("{bits:#018x}"))?;
            }
            Instr::V128Const(bytes) => m.serialize_entry("bytes", &bytes[..])?,
            Instr::I8x16Shuffle(lanes) => m.serialize_entry("lanes", &lanes[..])?,
            Instr::RefNull(ht) => m.serialize_entry("heap_type", &heap_text(*ht))?,
            Instr::Mem(_, arg) => m.serialize_entry("memarg", &memarg_json(*arg))?,
            Instr::Lane(_, lane) => m.serialize_entry("lane", lane)?,
            Instr::MemLane(ml) => {
                m.serialize_entry("memarg", &memarg_json(ml.memarg))?;
                m.serialize_entry("lane", &ml.lane)?;
            }
            Instr::Unreachable
            | Instr::Nop
            | Instr::Else
            | Instr::End
            | Instr::Return
            | Instr::Drop
            | Instr::Select
            | Instr::RefIsNull
            | Instr::Plain(_) => {}
        }
        m.end()
    }
}

/// `null` for the empty block type, a value type name, or a type index.
pub(crate) struct BlockTypeJson(BlockType);

impl Serialize for BlockTypeJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            BlockType::Empty => s.serialize_none(),
            BlockType::Value(t) => s.serialize_str(&t.to_string()),
            BlockType::Func(i) => s.serialize_u32(i),
        }
    }
}

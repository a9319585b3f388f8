//! JSON entries for each immediate kind of the instruction table, called by
//! the generated `generated::immediates` with the immediate's name as key.

use serde::ser::SerializeMap;
use serde::Serialize;
use wtool_ast::{BlockType, BrCast, BrTable, Catch, HeapType, MemArg, RefType, ValType};
use wtool_print::{f32_text, f64_text};

/// Any plain number: an index, a label, a count, a lane.
pub(crate) fn number<M: SerializeMap, T: Serialize>(
    m: &mut M,
    key: &str,
    v: &T,
) -> Result<(), M::Error> {
    m.serialize_entry(key, v)
}

pub(crate) use number as count;
pub(crate) use number as data;
pub(crate) use number as elem;
pub(crate) use number as field;
pub(crate) use number as func;
pub(crate) use number as global;
pub(crate) use number as i32;
pub(crate) use number as i64;
pub(crate) use number as label;
pub(crate) use number as lane;
pub(crate) use number as local;
pub(crate) use number as mem_idx;
pub(crate) use number as table;
pub(crate) use number as table0;
pub(crate) use number as table_opt;
pub(crate) use number as tag;
pub(crate) use number as type_idx;
pub(crate) use number as type_use;

/// A heap type: its keyword, a type index, or `(exact N)`.
pub(crate) fn heap_text(ht: HeapType) -> String {
    match ht {
        HeapType::Concrete(i) => i.to_string(),
        HeapType::Exact(i) => format!("(exact {i})"),
        other => other.keyword().unwrap_or_default().to_string(),
    }
}

/// `null` for the empty block type, a value type name, or a type index.
pub(crate) struct BlockTypeJson(pub BlockType);

impl Serialize for BlockTypeJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            BlockType::Empty => s.serialize_none(),
            BlockType::Value(t) => s.serialize_str(&t.to_string()),
            BlockType::Func(i) => s.serialize_u32(i),
        }
    }
}

pub(crate) fn block_type<M: SerializeMap>(
    m: &mut M,
    key: &str,
    bt: &BlockType,
) -> Result<(), M::Error> {
    m.serialize_entry(key, &BlockTypeJson(*bt))
}

/// `labels` and `default`.
pub(crate) fn br_table<M: SerializeMap>(m: &mut M, _: &str, t: &BrTable) -> Result<(), M::Error> {
    m.serialize_entry("labels", &t.targets)?;
    m.serialize_entry("default", &t.default)
}

pub(crate) fn heap_type<M: SerializeMap>(
    m: &mut M,
    key: &str,
    h: &HeapType,
) -> Result<(), M::Error> {
    m.serialize_entry(key, &heap_text(*h))
}

pub(crate) fn cast_ref<M: SerializeMap>(m: &mut M, key: &str, r: &RefType) -> Result<(), M::Error> {
    m.serialize_entry(key, &r.to_string())
}

/// `label`, `from` and `to` of a branching cast.
pub(crate) fn br_cast<M: SerializeMap>(m: &mut M, _: &str, c: &BrCast) -> Result<(), M::Error> {
    m.serialize_entry("label", &c.label)?;
    m.serialize_entry("from", &c.from.to_string())?;
    m.serialize_entry("to", &c.to.to_string())
}

#[derive(Serialize)]
struct CatchJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<u32>,
    label: u32,
}

/// `try_table`'s clauses as `{kind, tag?, label}` objects.
pub(crate) fn catches<M: SerializeMap>(m: &mut M, key: &str, cs: &[Catch]) -> Result<(), M::Error> {
    let v: Vec<CatchJson> = cs
        .iter()
        .map(|c| CatchJson {
            kind: c.code().1,
            tag: c.tag(),
            label: c.label(),
        })
        .collect();
    m.serialize_entry(key, &v)
}

/// A typed select's types; `result_type` too when there is exactly one.
pub(crate) fn val_types<M: SerializeMap>(
    m: &mut M,
    key: &str,
    ts: &[ValType],
) -> Result<(), M::Error> {
    if let [t] = ts {
        m.serialize_entry("result_type", &t.to_string())?;
    }
    let names: Vec<String> = ts.iter().map(ValType::to_string).collect();
    m.serialize_entry(key, &names)
}

/// `value` in text syntax and the exact `bits`.
pub(crate) fn f32<M: SerializeMap>(m: &mut M, _: &str, bits: &u32) -> Result<(), M::Error> {
    m.serialize_entry("value", &f32_text(*bits))?;
    m.serialize_entry("bits", &format!("{bits:#010x}"))
}

/// `value` in text syntax and the exact `bits`.
pub(crate) fn f64<M: SerializeMap>(m: &mut M, _: &str, bits: &u64) -> Result<(), M::Error> {
    m.serialize_entry("value", &f64_text(*bits))?;
    m.serialize_entry("bits", &format!("{bits:#018x}"))
}

/// Sixteen bytes: `bytes` of a `v128.const`.
pub(crate) fn v128<M: SerializeMap>(m: &mut M, _: &str, b: &[u8; 16]) -> Result<(), M::Error> {
    m.serialize_entry("bytes", &b[..])
}

/// Sixteen lane indices of a shuffle.
pub(crate) fn shuffle<M: SerializeMap>(m: &mut M, key: &str, b: &[u8; 16]) -> Result<(), M::Error> {
    m.serialize_entry(key, &b[..])
}

#[derive(Serialize)]
pub(crate) struct MemArgJson {
    offset: u64,
    align_log2: u8,
    memory: u32,
}

pub(crate) fn memarg<M: SerializeMap>(m: &mut M, key: &str, a: &MemArg) -> Result<(), M::Error> {
    // MemArg is packed: copy the fields out instead of borrowing them.
    let (offset, align_log2, memory) = (a.offset, a.align, a.memory);
    m.serialize_entry(
        key,
        &MemArgJson {
            offset,
            align_log2,
            memory,
        },
    )
}

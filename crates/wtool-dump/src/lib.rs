//! `wtool dump`: a JSON description of a WebAssembly module.
//!
//! The output is meant to be scripted against (`jq`, Python), so the schema is
//! a contract: field names are stable snake_case, every list is in index
//! order, nothing depends on hash order, and a top-level `schema_version`
//! changes whenever a field is renamed or removed (adding a field does not).
//! The schema is documented in `docs/dump.md`.
//!
//! [`dump`] borrows the module: instruction lists are serialized straight from
//! the AST, so dumping a large module with `--instructions` streams instead of
//! building a second copy of every instruction.

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use std::fmt::Write as _;
use std::io;
use wtool_ast::{
    BlockType, CustomSection, DataMode, ElemItems, ElemMode, Expr, ExternKind, GlobalType,
    ImportDesc, Instr, Limits, MemArg, MemoryType, Module, NameMap, Names, Origin, SectionId,
    TableType, TypeDef, ValType,
};

/// Version of the JSON schema; bumped when a field is renamed or removed.
pub const SCHEMA_VERSION: u32 = 1;

/// What to include beyond the default summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DumpOptions {
    /// List every instruction of every function (with its offset).
    pub instructions: bool,
    /// Include the contents of data and element segments.
    pub data: bool,
}

/// The dump of one module: serialize it with serde (or [`write_json`]).
#[derive(Serialize, Debug)]
pub struct Dump<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `"binary"` or `"text"`: what the offsets in this dump refer to.
    pub origin: &'static str,
    /// Size of the input in bytes.
    pub file_size: u64,
    /// The binary format version (1), `null` for text input.
    pub version: Option<u32>,
    /// Every section in file order (binary input only).
    pub sections: Vec<SectionJson>,
    /// The type section.
    pub types: Vec<TypeJson<'a>>,
    /// The import section.
    pub imports: Vec<ImportJson<'a>>,
    /// Defined functions.
    pub functions: Vec<FunctionJson<'a>>,
    /// Defined tables.
    pub tables: Vec<TableJson<'a>>,
    /// Defined memories.
    pub memories: Vec<MemoryJson<'a>>,
    /// Defined exception tags.
    pub tags: Vec<TagJson>,
    /// Defined globals.
    pub globals: Vec<GlobalJson<'a>>,
    /// The export section.
    pub exports: Vec<ExportJson<'a>>,
    /// The start function index.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: Vec<ElementJson<'a>>,
    /// Data segments.
    pub data: Vec<DataJson<'a>>,
    /// The data count section's value, if present.
    pub data_count: Option<u32>,
    /// Custom sections (the name section included) in file order.
    pub custom_sections: Vec<CustomJson<'a>>,
    /// The decoded name section, `null` when there is none.
    pub names: Option<NamesJson<'a>>,
}

/// One section of the binary.
#[derive(Serialize, Debug)]
pub struct SectionJson {
    /// Section id byte.
    pub id: u8,
    /// `type`, `import`, `func`, … or, for a custom section, its own name.
    pub name: String,
    /// Offset of the id byte.
    pub offset: u32,
    /// Offset of the payload (after the size field).
    pub payload_offset: u32,
    /// Payload size in bytes.
    pub size: u32,
}

/// A type section entry.
#[derive(Serialize, Debug)]
pub struct TypeJson<'a> {
    /// Type index.
    pub index: u32,
    /// Name from the name section.
    pub name: Option<&'a str>,
    /// `"func"` (GC adds `"struct"` and `"array"`).
    pub kind: &'static str,
    /// Parameter types.
    pub params: Vec<String>,
    /// Result types.
    pub results: Vec<String>,
}

/// An import.
#[derive(Serialize, Debug)]
pub struct ImportJson<'a> {
    /// Module name.
    pub module: &'a str,
    /// Item name.
    pub name: &'a str,
    /// `func`, `table`, `memory`, `global` or `tag`.
    pub kind: &'static str,
    /// Index in that kind's index space.
    pub index: u32,
    /// Type index (functions and tags).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<u32>,
    /// Table type (tables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<TableTypeJson>,
    /// Memory type (memories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemoryTypeJson>,
    /// Global type (globals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalTypeJson>,
}

/// A table type.
#[derive(Serialize, Debug)]
pub struct TableTypeJson {
    /// Element reference type, e.g. `funcref`.
    pub element: String,
    /// Initial size.
    pub min: u64,
    /// Maximum size.
    pub max: Option<u64>,
    /// `"i32"` or `"i64"` (memory64 tables).
    pub address_type: &'static str,
}

/// A memory type.
#[derive(Serialize, Debug)]
pub struct MemoryTypeJson {
    /// Initial size in pages.
    pub min: u64,
    /// Maximum size in pages.
    pub max: Option<u64>,
    /// Shared (threads).
    pub shared: bool,
    /// `"i32"` or `"i64"` (memory64).
    pub address_type: &'static str,
    /// Page size in bytes (65536 unless custom-page-sizes says otherwise).
    pub page_size: u64,
}

/// A global type.
#[derive(Serialize, Debug)]
pub struct GlobalTypeJson {
    /// Value type.
    pub r#type: String,
    /// `(mut …)`.
    pub mutable: bool,
}

/// A local declaration group.
#[derive(Serialize, Debug)]
pub struct LocalsJson {
    /// How many locals.
    pub count: u32,
    /// Their type.
    pub r#type: String,
}

/// A defined function.
#[derive(Serialize, Debug)]
pub struct FunctionJson<'a> {
    /// Function index (imported functions come first).
    pub index: u32,
    /// Name from the name section.
    pub name: Option<&'a str>,
    /// Type index.
    pub r#type: u32,
    /// Parameter types (`null` if the type index is out of range).
    pub params: Option<Vec<String>>,
    /// Result types.
    pub results: Option<Vec<String>>,
    /// Local declarations, grouped as in the binary.
    pub locals: Vec<LocalsJson>,
    /// Total number of declared locals (parameters not counted).
    pub num_locals: u64,
    /// Binary: offset of the code entry (its size field). Text: offset of `(func`.
    pub offset: u32,
    /// Binary: offset of the body (locals, then instructions), after the size field.
    pub body_offset: Option<u32>,
    /// Binary: body size in bytes (the code entry's size field).
    pub body_size: Option<u32>,
    /// Number of instructions, the final `end` included.
    pub instruction_count: usize,
    /// With `--instructions`: every instruction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Instrs<'a>>,
}

/// A defined table.
#[derive(Serialize, Debug)]
pub struct TableJson<'a> {
    /// Table index.
    pub index: u32,
    /// Name from the name section.
    pub name: Option<&'a str>,
    /// Its type.
    #[serde(flatten)]
    pub ty: TableTypeJson,
    /// Explicit initializer expression (typed function references), as text.
    pub init: Option<String>,
}

/// A defined memory.
#[derive(Serialize, Debug)]
pub struct MemoryJson<'a> {
    /// Memory index.
    pub index: u32,
    /// Name from the name section.
    pub name: Option<&'a str>,
    /// Its type.
    #[serde(flatten)]
    pub ty: MemoryTypeJson,
}

/// A defined exception tag.
#[derive(Serialize, Debug)]
pub struct TagJson {
    /// Tag index.
    pub index: u32,
    /// Type index of its payload signature.
    pub r#type: u32,
}

/// A defined global.
#[derive(Serialize, Debug)]
pub struct GlobalJson<'a> {
    /// Global index.
    pub index: u32,
    /// Name from the name section.
    pub name: Option<&'a str>,
    /// Value type.
    pub r#type: String,
    /// `(mut …)`.
    pub mutable: bool,
    /// Initializer expression as text, e.g. `i32.const 1024`.
    pub init: String,
    /// The initializer's value when it is a single integer constant.
    pub init_value: Option<i64>,
}

/// An export.
#[derive(Serialize, Debug)]
pub struct ExportJson<'a> {
    /// Export name.
    pub name: &'a str,
    /// `func`, `table`, `memory`, `global` or `tag`.
    pub kind: &'static str,
    /// Index in that kind's index space.
    pub index: u32,
}

/// Items of an element segment (with `--data`).
#[derive(Serialize, Debug)]
#[serde(untagged)]
pub enum ElemItemsJson {
    /// Function indices (the compact encoding).
    Functions(Vec<u32>),
    /// Constant expressions as text.
    Expressions(Vec<String>),
}

/// An element segment.
#[derive(Serialize, Debug)]
pub struct ElementJson<'a> {
    /// Segment index.
    pub index: u32,
    /// Name from the name section.
    pub name: Option<&'a str>,
    /// `active`, `passive` or `declarative`.
    pub mode: &'static str,
    /// Target table (active segments).
    pub table: Option<u32>,
    /// Offset expression as text (active segments).
    pub offset: Option<String>,
    /// The offset's value when it is a single integer constant.
    pub offset_value: Option<i64>,
    /// Element type, e.g. `funcref`.
    pub r#type: String,
    /// Number of items.
    pub count: usize,
    /// With `--data`: the items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<ElemItemsJson>,
}

/// A data segment.
#[derive(Serialize, Debug)]
pub struct DataJson<'a> {
    /// Segment index.
    pub index: u32,
    /// Name from the name section.
    pub name: Option<&'a str>,
    /// `active` or `passive`.
    pub mode: &'static str,
    /// Target memory (active segments).
    pub memory: Option<u32>,
    /// Offset expression as text (active segments).
    pub offset: Option<String>,
    /// The offset's value when it is a single integer constant.
    pub offset_value: Option<i64>,
    /// Length in bytes.
    pub size: usize,
    /// With `--data`: the bytes as lower-case hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
}

/// A custom section.
#[derive(Serialize, Debug)]
pub struct CustomJson<'a> {
    /// Section name.
    pub name: &'a str,
    /// Offset of the section's id byte (binary input).
    pub offset: Option<u32>,
    /// Offset of the payload, where the name starts (binary input).
    pub payload_offset: Option<u32>,
    /// Payload size in bytes, name included (binary input); for text input,
    /// the size of the data after the name.
    pub size: u32,
}

/// The name section.
#[derive(Serialize, Debug)]
pub struct NamesJson<'a> {
    /// Module name.
    pub module: Option<&'a str>,
    /// Function names.
    pub functions: NameMapJson<'a>,
    /// Local names per function.
    pub locals: IndirectJson<'a>,
    /// Label names per function.
    pub labels: IndirectJson<'a>,
    /// Type names.
    pub types: NameMapJson<'a>,
    /// Table names.
    pub tables: NameMapJson<'a>,
    /// Memory names.
    pub memories: NameMapJson<'a>,
    /// Global names.
    pub globals: NameMapJson<'a>,
    /// Element segment names.
    pub elements: NameMapJson<'a>,
    /// Data segment names.
    pub data: NameMapJson<'a>,
    /// Field names per type (GC).
    pub fields: IndirectJson<'a>,
    /// Tag names.
    pub tags: NameMapJson<'a>,
}

/// A name map: serialized as `[{"index": …, "name": …}, …]`.
#[derive(Debug)]
pub struct NameMapJson<'a>(pub &'a NameMap);

impl Serialize for NameMapJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for (index, name) in self.0 {
            seq.serialize_element(&NameEntry {
                index: *index,
                name,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct NameEntry<'a> {
    index: u32,
    name: &'a str,
}

/// An indirect name map: `[{"index": outer, "names": [{"index", "name"}…]}, …]`.
#[derive(Debug)]
pub struct IndirectJson<'a>(pub &'a [(u32, NameMap)]);

impl Serialize for IndirectJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Outer<'a> {
            index: u32,
            names: NameMapJson<'a>,
        }
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for (index, names) in self.0 {
            seq.serialize_element(&Outer {
                index: *index,
                names: NameMapJson(names),
            })?;
        }
        seq.end()
    }
}

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
struct InstrJson<'a> {
    offset: Option<u32>,
    instr: &'a Instr,
}

#[derive(Serialize)]
struct MemArgJson {
    offset: u64,
    align_log2: u8,
    memory: u32,
}

fn memarg_json(m: MemArg) -> MemArgJson {
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
struct BlockTypeJson(BlockType);

impl Serialize for BlockTypeJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            BlockType::Empty => s.serialize_none(),
            BlockType::Value(t) => s.serialize_str(&t.to_string()),
            BlockType::Func(i) => s.serialize_u32(i),
        }
    }
}

/// Describes `module`; `source` is the file it came from (binary or text),
/// used for sizes, the binary version and custom section names.
pub fn dump<'a>(module: &'a Module, source: &'a [u8], opts: DumpOptions) -> Dump<'a> {
    let binary = module.origin == Origin::Binary;
    let names = module.names.as_ref();
    let lookup = |map: fn(&Names) -> &NameMap, idx: u32| -> Option<&'a str> {
        names.and_then(|n| Names::lookup(map(n), idx))
    };

    let version = match source.get(4..8) {
        Some(&[a, b, c, d]) if binary => Some(u32::from_le_bytes([a, b, c, d])),
        _ => None,
    };

    let custom_layout = custom_section_layout(module, source);
    let sections = module
        .sections
        .iter()
        .map(|s| {
            let name = if s.id == 0 {
                custom_name_at(source, s.payload_offset, s.size)
                    .unwrap_or("")
                    .to_string()
            } else {
                SectionId::from_u8(s.id)
                    .map_or("unknown", SectionId::name)
                    .to_string()
            };
            SectionJson {
                id: s.id,
                name,
                offset: s.offset,
                payload_offset: s.payload_offset,
                size: s.size,
            }
        })
        .collect();

    let types = (0u32..)
        .zip(&module.types)
        .map(|(index, t)| match t {
            TypeDef::Func(f) => TypeJson {
                index,
                name: lookup(|n| &n.types, index),
                kind: "func",
                params: type_names(&f.params),
                results: type_names(&f.results),
            },
        })
        .collect();

    let mut kind_counts = [0u32; 5];
    let imports = module
        .imports
        .iter()
        .map(|imp| {
            let kind = imp.desc.kind();
            let slot = &mut kind_counts[kind as usize];
            let index = *slot;
            *slot = slot.saturating_add(1);
            let mut j = ImportJson {
                module: &imp.module,
                name: &imp.name,
                kind: kind.keyword(),
                index,
                r#type: None,
                table: None,
                memory: None,
                global: None,
            };
            match &imp.desc {
                ImportDesc::Func(t) | ImportDesc::Tag(t) => j.r#type = Some(*t),
                ImportDesc::Table(t) => j.table = Some(table_type(t)),
                ImportDesc::Memory(m) => j.memory = Some(memory_type(m)),
                ImportDesc::Global(g) => j.global = Some(global_type(g)),
            }
            j
        })
        .collect();

    let first_func = module.num_imported(ExternKind::Func);
    let functions = (0u32..)
        .zip(&module.funcs)
        .map(|(i, f)| {
            let index = first_func.saturating_add(i);
            let sig = module.func_type(f.type_idx);
            let (body_offset, body_size) = if binary {
                let size_field = leb_len(source, f.offset as usize);
                (
                    size_field.map(|n| f.offset.saturating_add(n as u32)),
                    Some(f.size),
                )
            } else {
                (None, None)
            };
            FunctionJson {
                index,
                name: lookup(|n| &n.funcs, index),
                r#type: f.type_idx,
                params: sig.map(|s| type_names(&s.params)),
                results: sig.map(|s| type_names(&s.results)),
                locals: f
                    .locals
                    .iter()
                    .map(|g| LocalsJson {
                        count: g.count,
                        r#type: g.ty.to_string(),
                    })
                    .collect(),
                num_locals: f.num_locals(),
                offset: f.offset,
                body_offset,
                body_size,
                instruction_count: f.body.instrs.len(),
                instructions: opts.instructions.then_some(Instrs(&f.body)),
            }
        })
        .collect();

    let first_table = module.num_imported(ExternKind::Table);
    let tables = (0u32..)
        .zip(&module.tables)
        .map(|(i, t)| {
            let index = first_table.saturating_add(i);
            TableJson {
                index,
                name: lookup(|n| &n.tables, index),
                ty: table_type(&t.ty),
                init: t.init.as_ref().map(expr_text),
            }
        })
        .collect();

    let first_memory = module.num_imported(ExternKind::Memory);
    let memories = (0u32..)
        .zip(&module.memories)
        .map(|(i, m)| {
            let index = first_memory.saturating_add(i);
            MemoryJson {
                index,
                name: lookup(|n| &n.memories, index),
                ty: memory_type(m),
            }
        })
        .collect();

    let first_tag = module.num_imported(ExternKind::Tag);
    let tags = (0u32..)
        .zip(&module.tags)
        .map(|(i, t)| TagJson {
            index: first_tag.saturating_add(i),
            r#type: t.type_idx,
        })
        .collect();

    let first_global = module.num_imported(ExternKind::Global);
    let globals = (0u32..)
        .zip(&module.globals)
        .map(|(i, g)| {
            let index = first_global.saturating_add(i);
            GlobalJson {
                index,
                name: lookup(|n| &n.globals, index),
                r#type: g.ty.ty.to_string(),
                mutable: g.ty.mutable,
                init: expr_text(&g.init),
                init_value: const_value(&g.init),
            }
        })
        .collect();

    let exports = module
        .exports
        .iter()
        .map(|e| ExportJson {
            name: &e.name,
            kind: e.kind.keyword(),
            index: e.index,
        })
        .collect();

    let elements = (0u32..)
        .zip(&module.elems)
        .map(|(index, e)| {
            let (mode, table, offset) = match &e.mode {
                ElemMode::Active { table, offset } => ("active", Some(*table), Some(offset)),
                ElemMode::Passive => ("passive", None, None),
                ElemMode::Declarative => ("declarative", None, None),
            };
            ElementJson {
                index,
                name: lookup(|n| &n.elems, index),
                mode,
                table,
                offset: offset.map(expr_text),
                offset_value: offset.and_then(const_value),
                r#type: e.ty.to_string(),
                count: e.items.len(),
                items: opts.data.then(|| match &e.items {
                    ElemItems::Funcs(f) => ElemItemsJson::Functions(f.clone()),
                    ElemItems::Exprs(x) => {
                        ElemItemsJson::Expressions(x.iter().map(expr_text).collect())
                    }
                }),
            }
        })
        .collect();

    let data = (0u32..)
        .zip(&module.datas)
        .map(|(index, d)| {
            let (mode, memory, offset) = match &d.mode {
                DataMode::Active { memory, offset } => ("active", Some(*memory), Some(offset)),
                DataMode::Passive => ("passive", None, None),
            };
            DataJson {
                index,
                name: lookup(|n| &n.datas, index),
                mode,
                memory,
                offset: offset.map(expr_text),
                offset_value: offset.and_then(const_value),
                size: d.data.len(),
                bytes: opts.data.then(|| hex(&d.data)),
            }
        })
        .collect();

    let custom_sections = module
        .customs
        .iter()
        .enumerate()
        .map(|(i, c)| match custom_layout.get(i).copied().flatten() {
            Some((offset, payload_offset, size)) => CustomJson {
                name: &c.name,
                offset: Some(offset),
                payload_offset: Some(payload_offset),
                size,
            },
            None => custom_without_layout(c),
        })
        .collect();

    Dump {
        schema_version: SCHEMA_VERSION,
        origin: if binary { "binary" } else { "text" },
        file_size: source.len() as u64,
        version,
        sections,
        types,
        imports,
        functions,
        tables,
        memories,
        tags,
        globals,
        exports,
        start: module.start,
        elements,
        data,
        data_count: module.data_count,
        custom_sections,
        names: names.map(|n| NamesJson {
            module: n.module.as_deref(),
            functions: NameMapJson(&n.funcs),
            locals: IndirectJson(&n.locals),
            labels: IndirectJson(&n.labels),
            types: NameMapJson(&n.types),
            tables: NameMapJson(&n.tables),
            memories: NameMapJson(&n.memories),
            globals: NameMapJson(&n.globals),
            elements: NameMapJson(&n.elems),
            data: NameMapJson(&n.datas),
            fields: IndirectJson(&n.fields),
            tags: NameMapJson(&n.tags),
        }),
    }
}

/// Writes `dump` as pretty-printed JSON (two-space indent) and a final newline.
pub fn write_json<W: io::Write>(mut out: W, dump: &Dump<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, dump).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Writes `dump` as compact JSON on one line, and a final newline.
pub fn write_json_compact<W: io::Write>(mut out: W, dump: &Dump<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut out, dump).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// [`write_json`] into a string.
pub fn to_json(dump: &Dump<'_>) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail and serde_json only emits UTF-8.
    let _ = write_json(&mut out, dump);
    String::from_utf8_lossy(&out).into_owned()
}

fn custom_without_layout(c: &CustomSection) -> CustomJson<'_> {
    CustomJson {
        name: &c.name,
        offset: None,
        payload_offset: None,
        size: u32::try_from(c.data.len()).unwrap_or(u32::MAX),
    }
}

/// `(offset, payload_offset, size)` of each custom section, in `module.customs`
/// order. Custom sections appear in `module.sections` with id 0 in file order,
/// the same order as `module.customs`; the names are checked against the bytes
/// so a mismatch (e.g. a module edited after decoding) yields no layout rather
/// than a wrong one.
fn custom_section_layout(module: &Module, source: &[u8]) -> Vec<Option<(u32, u32, u32)>> {
    let infos: Vec<_> = module.sections.iter().filter(|s| s.id == 0).collect();
    module
        .customs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let s = infos.get(i)?;
            let name = custom_name_at(source, s.payload_offset, s.size)?;
            (name == c.name).then_some((s.offset, s.payload_offset, s.size))
        })
        .collect()
}

/// The name at the start of a custom section payload, if it reads cleanly.
fn custom_name_at(source: &[u8], payload: u32, size: u32) -> Option<&str> {
    let start = payload as usize;
    let end = start.checked_add(size as usize)?;
    let payload = source.get(start..end)?;
    let (len, n) = read_leb_u32(payload)?;
    let name = payload.get(n..n.checked_add(len as usize)?)?;
    std::str::from_utf8(name).ok()
}

/// Length in bytes of the unsigned LEB128 at `at`, at most 5.
fn leb_len(source: &[u8], at: usize) -> Option<usize> {
    read_leb_u32(source.get(at..)?).map(|(_, n)| n)
}

fn read_leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u64 = 0;
    for (i, &b) in bytes.iter().take(5).enumerate() {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return u32::try_from(value).ok().map(|v| (v, i + 1));
        }
    }
    None
}

fn type_names(types: &[ValType]) -> Vec<String> {
    types.iter().map(ValType::to_string).collect()
}

fn address_type(index64: bool) -> &'static str {
    if index64 {
        "i64"
    } else {
        "i32"
    }
}

fn limits(l: &Limits) -> (u64, Option<u64>) {
    (l.min, l.max)
}

fn table_type(t: &TableType) -> TableTypeJson {
    let (min, max) = limits(&t.limits);
    TableTypeJson {
        element: t.elem.to_string(),
        min,
        max,
        address_type: address_type(t.index64),
    }
}

fn memory_type(m: &MemoryType) -> MemoryTypeJson {
    let (min, max) = limits(&m.limits);
    let page_size = match m.page_size_log2 {
        Some(l) if l < 64 => 1u64 << l,
        Some(_) => u64::MAX,
        None => 65536,
    };
    MemoryTypeJson {
        min,
        max,
        shared: m.shared,
        address_type: address_type(m.index64),
        page_size,
    }
}

fn global_type(g: &GlobalType) -> GlobalTypeJson {
    GlobalTypeJson {
        r#type: g.ty.to_string(),
        mutable: g.mutable,
    }
}

fn heap_text(ht: wtool_ast::HeapType) -> String {
    match ht.keyword() {
        Some(k) => k.to_string(),
        None => match ht {
            wtool_ast::HeapType::Concrete(i) => i.to_string(),
            _ => String::new(),
        },
    }
}

/// The value of a constant expression that is exactly one integer constant.
fn const_value(e: &Expr) -> Option<i64> {
    match e.instrs.as_slice() {
        [Instr::I32Const(v), Instr::End] | [Instr::I32Const(v)] => Some(i64::from(*v)),
        [Instr::I64Const(v), Instr::End] | [Instr::I64Const(v)] => Some(*v),
        _ => None,
    }
}

/// A constant expression in text-format syntax, the final `end` left out.
pub fn expr_text(e: &Expr) -> String {
    let instrs = match e.instrs.split_last() {
        Some((Instr::End, rest)) => rest,
        _ => &e.instrs[..],
    };
    let mut out = String::new();
    for (i, instr) in instrs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        instr_text(&mut out, instr);
    }
    out
}

/// One instruction in text syntax with its immediates as plain indices.
fn instr_text(out: &mut String, instr: &Instr) {
    out.push_str(instr.mnemonic());
    // Writing to a String cannot fail.
    let _ = match instr {
        Instr::I32Const(v) => write!(out, " {v}"),
        Instr::I64Const(v) => write!(out, " {v}"),
        Instr::F32Const(b) => write!(out, " {}", f32_text(*b)),
        Instr::F64Const(b) => write!(out, " {}", f64_text(*b)),
        Instr::V128Const(bytes) => {
            out.push_str(" i8x16");
            bytes.iter().try_for_each(|b| write!(out, " {b}"))
        }
        Instr::RefNull(ht) => write!(out, " {}", heap_text(*ht)),
        Instr::RefFunc(f) | Instr::Call(f) => write!(out, " {f}"),
        Instr::GlobalGet(g) | Instr::GlobalSet(g) => write!(out, " {g}"),
        Instr::LocalGet(l) | Instr::LocalSet(l) | Instr::LocalTee(l) => write!(out, " {l}"),
        Instr::Br(l) | Instr::BrIf(l) => write!(out, " {l}"),
        _ => Ok(()),
    };
}

/// A float in text syntax that reads back to the same bits.
fn f32_text(bits: u32) -> String {
    let f = f32::from_bits(bits);
    let sign = if bits >> 31 == 1 { "-" } else { "" };
    if f.is_nan() {
        let payload = bits & 0x007f_ffff;
        if payload == 0x0040_0000 {
            format!("{sign}nan")
        } else {
            format!("{sign}nan:{payload:#x}")
        }
    } else if f.is_infinite() {
        format!("{sign}inf")
    } else {
        format!("{f:?}")
    }
}

/// A double in text syntax that reads back to the same bits.
fn f64_text(bits: u64) -> String {
    let f = f64::from_bits(bits);
    let sign = if bits >> 63 == 1 { "-" } else { "" };
    if f.is_nan() {
        let payload = bits & 0x000f_ffff_ffff_ffff;
        if payload == 0x0008_0000_0000_0000 {
            format!("{sign}nan")
        } else {
            format!("{sign}nan:{payload:#x}")
        }
    } else if f.is_infinite() {
        format!("{sign}inf")
    } else {
        format!("{f:?}")
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::{Export, Func, FuncType, Op};

    fn add_module() -> Module {
        Module {
            types: vec![TypeDef::Func(FuncType::new(
                vec![ValType::I32, ValType::I32],
                vec![ValType::I32],
            ))],
            funcs: vec![Func {
                type_idx: 0,
                locals: vec![],
                body: Expr {
                    instrs: vec![
                        Instr::LocalGet(0),
                        Instr::LocalGet(1),
                        Instr::Plain(Op::I32Add),
                        Instr::End,
                    ],
                    offsets: vec![35, 37, 39, 40],
                },
                offset: 32,
                size: 7,
            }],
            exports: vec![Export {
                name: "add".into(),
                kind: ExternKind::Func,
                index: 0,
            }],
            ..Module::default()
        }
    }

    #[test]
    fn floats_read_back() {
        assert_eq!(f32_text(0x7fc0_0000), "nan");
        assert_eq!(f32_text(0xffc0_0001), "-nan:0x400001");
        assert_eq!(f32_text(0x8000_0000), "-0.0");
        assert_eq!(f64_text(0x7ff0_0000_0000_0000), "inf");
        assert_eq!(f64_text(1.5f64.to_bits()), "1.5");
        assert_eq!(f32_text(1), "1e-45");
    }

    #[test]
    fn leb_lengths() {
        assert_eq!(leb_len(&[0x07], 0), Some(1));
        assert_eq!(leb_len(&[0x87, 0x80, 0x00], 0), Some(3));
        assert_eq!(leb_len(&[0x87, 0x80], 0), None);
        assert_eq!(
            leb_len(&[0xff, 0xff, 0xff, 0xff, 0x7f], 0),
            None,
            "exceeds u32"
        );
        assert_eq!(leb_len(&[0x01], 5), None);
    }

    #[test]
    fn const_exprs_as_text() {
        let e = Expr::new(vec![Instr::I32Const(-5), Instr::End]);
        assert_eq!(expr_text(&e), "i32.const -5");
        assert_eq!(const_value(&e), Some(-5));
        let e = Expr::new(vec![
            Instr::GlobalGet(0),
            Instr::I32Const(2),
            Instr::Plain(Op::I32Add),
            Instr::End,
        ]);
        assert_eq!(expr_text(&e), "global.get 0 i32.const 2 i32.add");
        assert_eq!(const_value(&e), None);
    }

    #[test]
    fn hand_built_module() {
        let m = add_module();
        let d = dump(
            &m,
            &[],
            DumpOptions {
                instructions: true,
                data: true,
            },
        );
        let v: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
        assert_eq!(v["schema_version"], SCHEMA_VERSION);
        assert_eq!(
            v["functions"][0]["params"],
            serde_json::json!(["i32", "i32"])
        );
        assert_eq!(v["functions"][0]["instruction_count"], 4);
        let ins = &v["functions"][0]["instructions"];
        assert_eq!(
            ins[0],
            serde_json::json!({"offset": 35, "op": "local.get", "local": 0})
        );
        assert_eq!(ins[2], serde_json::json!({"offset": 39, "op": "i32.add"}));
        // No source bytes: the body offset cannot be derived, and says so.
        assert_eq!(v["functions"][0]["body_offset"], serde_json::Value::Null);
        assert_eq!(
            v["exports"][0],
            serde_json::json!({"name": "add", "kind": "func", "index": 0})
        );
        assert_eq!(v["names"], serde_json::Value::Null);
    }

    #[test]
    fn compact_and_pretty_hold_the_same_value() {
        let m = add_module();
        let d = dump(
            &m,
            &[],
            DumpOptions {
                instructions: true,
                data: false,
            },
        );
        let mut compact = Vec::new();
        write_json_compact(&mut compact, &d).unwrap();
        assert_eq!(compact.iter().filter(|&&b| b == b'\n').count(), 1);
        let a: serde_json::Value = serde_json::from_slice(&compact).unwrap();
        let b: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn instructions_only_on_request() {
        let m = add_module();
        let v: serde_json::Value =
            serde_json::from_str(&to_json(&dump(&m, &[], DumpOptions::default()))).unwrap();
        assert!(v["functions"][0].get("instructions").is_none());
    }
}

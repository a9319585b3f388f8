//! The JSON schema: one serde struct per object of `docs/dump.md`.

use crate::instr::Instrs;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use wtool_ast::NameMap;

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
    pub functions: crate::build::Functions<'a>,
    /// Defined tables.
    pub tables: Vec<TableJson<'a>>,
    /// Defined memories.
    pub memories: Vec<MemoryJson<'a>>,
    /// Defined exception tags.
    pub tags: Vec<TagJson>,
    /// Defined globals.
    pub globals: Each<'a, GlobalJson<'a>>,
    /// The export section.
    pub exports: Each<'a, ExportJson<'a>>,
    /// The start function index.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: Vec<ElementJson<'a>>,
    /// Data segments.
    pub data: Each<'a, DataJson<'a>>,
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
    /// `"func"`, `"struct"` or `"array"`.
    pub kind: &'static str,
    /// Parameter types (function types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Vec<String>>,
    /// Result types (function types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<String>>,
    /// Fields (struct types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldJson<'a>>>,
    /// Element type (array types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<FieldJson<'a>>,
    /// The `sub` clause, when declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<SubJson<'a>>,
    /// Index of the first type of the explicit `rec` group holding this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rec_group: Option<u32>,
    /// `(describes x)` (custom descriptors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub describes: Option<u32>,
    /// `(descriptor x)` (custom descriptors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<u32>,
}

/// A struct field or array element.
#[derive(Serialize, Debug)]
pub struct FieldJson<'a> {
    /// Field name from the name section (struct fields only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// Storage type: a value type name, `i8` or `i16`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it is mutable.
    pub mutable: bool,
}

/// A `sub` clause.
#[derive(Serialize, Debug)]
pub struct SubJson<'a> {
    /// `sub final`.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Declared supertypes.
    pub supertypes: &'a [u32],
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
    pub name: std::borrow::Cow<'a, str>,
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

/// A list whose items are described only while it is written, so a module
/// with many of them needs no second copy (serialized as a JSON array).
pub struct Each<'a, T> {
    len: usize,
    #[allow(clippy::type_complexity)]
    items: Box<dyn Fn() -> Box<dyn Iterator<Item = T> + 'a> + 'a>,
}

impl<'a, T: 'a> Each<'a, T> {
    /// `len` items, made afresh by `items` each time they are listed.
    pub fn new<I: Iterator<Item = T> + 'a>(len: usize, items: impl Fn() -> I + 'a) -> Self {
        Each {
            len,
            items: Box::new(move || Box::new(items())),
        }
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The items, described now.
    pub fn iter(&self) -> impl Iterator<Item = T> + 'a {
        (self.items)()
    }
}

impl<T> std::fmt::Debug for Each<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Each").field("len", &self.len).finish()
    }
}

impl<'a, T: Serialize + 'a> Serialize for Each<'a, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len))?;
        for item in self.iter() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
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
pub(crate) struct NameEntry<'a> {
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

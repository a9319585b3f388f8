//! The module: every section of a WebAssembly module as plain data.

use crate::instr::Expr;
use crate::names::Names;
use crate::types::{
    ExternKind, FuncType, GlobalType, MemoryType, RecGroup, RefType, TableType, TypeDef, ValType,
};

/// Where a module came from, which tells what its offsets mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Origin {
    /// Decoded from a binary: offsets are byte offsets in the file.
    #[default]
    Binary,
    /// Parsed from text: offsets are byte offsets in the source text.
    Text,
}

/// A binary section id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum SectionId {
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
    Tag = 13,
}

impl SectionId {
    /// Every non-custom section in the order the binary format requires.
    pub const ORDERED: [SectionId; 13] = [
        SectionId::Type,
        SectionId::Import,
        SectionId::Function,
        SectionId::Table,
        SectionId::Memory,
        SectionId::Tag,
        SectionId::Global,
        SectionId::Export,
        SectionId::Start,
        SectionId::Element,
        SectionId::DataCount,
        SectionId::Code,
        SectionId::Data,
    ];

    /// The id for a section byte, if known.
    pub fn from_u8(b: u8) -> Option<SectionId> {
        use SectionId::*;
        Some(match b {
            0 => Custom,
            1 => Type,
            2 => Import,
            3 => Function,
            4 => Table,
            5 => Memory,
            6 => Global,
            7 => Export,
            8 => Start,
            9 => Element,
            10 => Code,
            11 => Data,
            12 => DataCount,
            13 => Tag,
            _ => return None,
        })
    }

    /// Position in the required section order (custom sections have none).
    pub fn order(self) -> Option<usize> {
        SectionId::ORDERED.iter().position(|&s| s == self)
    }

    /// Lower-case name as used in text annotations and dumps (`type`, `func`, `datacount`, …).
    pub fn name(self) -> &'static str {
        use SectionId::*;
        match self {
            Custom => "custom",
            Type => "type",
            Import => "import",
            Function => "func",
            Table => "table",
            Memory => "memory",
            Global => "global",
            Export => "export",
            Start => "start",
            Element => "elem",
            Code => "code",
            Data => "data",
            DataCount => "datacount",
            Tag => "tag",
        }
    }
}

/// What an import brings in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImportDesc {
    /// A function of the given type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// An exception tag of the given type index.
    Tag(u32),
}

impl ImportDesc {
    /// The kind of the imported item.
    pub fn kind(&self) -> ExternKind {
        match self {
            ImportDesc::Func(_) => ExternKind::Func,
            ImportDesc::Table(_) => ExternKind::Table,
            ImportDesc::Memory(_) => ExternKind::Memory,
            ImportDesc::Global(_) => ExternKind::Global,
            ImportDesc::Tag(_) => ExternKind::Tag,
        }
    }
}

/// An import.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Item name.
    pub name: String,
    /// What is imported.
    pub desc: ImportDesc,
    /// An exact function import (custom descriptors): the function has
    /// exactly its declared type, not a subtype.
    pub exact: bool,
}

/// A run of locals of one type, as declared in the code section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalGroup {
    /// How many locals.
    pub count: u32,
    /// Their type.
    pub ty: ValType,
}

/// A function defined in this module.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Func {
    /// Type index.
    pub type_idx: u32,
    /// Declared locals (after the parameters), grouped as in the binary.
    pub locals: Vec<LocalGroup>,
    /// The body, ending with `end`.
    pub body: Expr,
    /// Where the function starts: the code entry's size field (binary) or the
    /// `(func` keyword (text).
    pub offset: u32,
    /// Size of the code entry in bytes, size field excluded (binary only; 0 for text).
    pub size: u32,
}

impl Func {
    /// Total number of declared locals (not counting parameters), saturating.
    pub fn num_locals(&self) -> u64 {
        self.locals.iter().map(|g| g.count as u64).sum()
    }
}

/// A table defined in this module.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Table {
    /// Its type.
    pub ty: TableType,
    /// An explicit initial element (typed function references); `None` means null.
    pub init: Option<Expr>,
}

/// A global defined in this module.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Global {
    /// Its type.
    pub ty: GlobalType,
    /// Constant initializer, ending with `end`.
    pub init: Expr,
}

/// An export.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// Kind of the exported item.
    pub kind: ExternKind,
    /// Index in that kind's index space.
    pub index: u32,
}

/// How an element segment is used.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ElemMode {
    /// Copied into a table by `table.init`.
    Passive,
    /// Only declares functions for `ref.func`.
    Declarative,
    /// Copied into `table` at `offset` during instantiation.
    Active {
        /// Target table.
        table: u32,
        /// Constant offset expression.
        offset: Expr,
    },
}

/// The items of an element segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ElemItems {
    /// Function indices (the compact encoding; element type funcref).
    Funcs(Vec<u32>),
    /// Constant expressions, each ending with `end`.
    Exprs(Vec<Expr>),
}

impl ElemItems {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            ElemItems::Funcs(v) => v.len(),
            ElemItems::Exprs(v) => v.len(),
        }
    }

    /// True when there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An element segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ElemSegment {
    /// Element type.
    pub ty: RefType,
    /// Passive, declarative or active.
    pub mode: ElemMode,
    /// The items.
    pub items: ElemItems,
    /// The binary used the form with an explicit table index and element
    /// kind/type even though the short form (table 0, funcref) would do;
    /// kept so re-encoding reproduces the input.
    pub explicit_index: bool,
}

/// How a data segment is used.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DataMode {
    /// Copied into a memory by `memory.init`.
    Passive,
    /// Copied into `memory` at `offset` during instantiation.
    Active {
        /// Target memory.
        memory: u32,
        /// Constant offset expression.
        offset: Expr,
    },
}

/// A data segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DataSegment {
    /// Passive or active.
    pub mode: DataMode,
    /// The bytes.
    pub data: Vec<u8>,
    /// The binary used flag 2 (explicit memory index) for memory 0; kept for
    /// an exact round trip.
    pub explicit_index: bool,
}

/// An exception tag defined in this module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tag {
    /// Its function type index (params are the payload).
    pub type_idx: u32,
}

/// Where a custom section sits relative to the standard sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CustomPlace {
    /// Just before the given section (or where it would be). `Before(Type)` is "before first".
    Before(SectionId),
    /// Just after the given section (or where it would be). `After(Data)` is "after last".
    After(SectionId),
}

/// A custom section, kept in its place.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CustomSection {
    /// Section name.
    pub name: String,
    /// Payload after the name. For the `name` section an empty payload means
    /// "write [`Module::names`]"; the decoder keeps raw bytes only when they
    /// are not in the canonical form the encoder would produce.
    pub data: Vec<u8>,
    /// Placement.
    pub place: CustomPlace,
}

/// Where a section was found in a binary (for dumps and diagnostics).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SectionInfo {
    /// Section id byte.
    pub id: u8,
    /// Offset of the id byte.
    pub offset: u32,
    /// Offset of the payload (after the size field).
    pub payload_offset: u32,
    /// Payload size in bytes.
    pub size: u32,
}

/// A WebAssembly module.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Module {
    /// What the offsets in this module refer to.
    pub origin: Origin,
    /// Type section: every type, by type index.
    pub types: Vec<TypeDef>,
    /// The explicit recursion groups `(rec …)` among `types`, in order;
    /// every type outside them is a group of its own.
    pub rec_groups: Vec<RecGroup>,
    /// Import section.
    pub imports: Vec<Import>,
    /// Defined functions (function and code sections together).
    pub funcs: Vec<Func>,
    /// Defined tables.
    pub tables: Vec<Table>,
    /// Defined memories.
    pub memories: Vec<MemoryType>,
    /// Defined tags.
    pub tags: Vec<Tag>,
    /// Defined globals.
    pub globals: Vec<Global>,
    /// Export section.
    pub exports: Vec<Export>,
    /// Start function.
    pub start: Option<u32>,
    /// Element segments.
    pub elems: Vec<ElemSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
    /// The data count section, if present.
    pub data_count: Option<u32>,
    /// Custom sections in file order.
    pub customs: Vec<CustomSection>,
    /// The decoded name section.
    pub names: Option<Names>,
    /// Section layout of the binary this was decoded from (empty for text).
    pub sections: Vec<SectionInfo>,
}

impl Module {
    /// Number of imports of the given kind.
    pub fn num_imported(&self, kind: ExternKind) -> u32 {
        self.imports
            .iter()
            .filter(|i| i.desc.kind() == kind)
            .count() as u32
    }

    /// The function type with this type index.
    pub fn func_type(&self, type_idx: u32) -> Option<&FuncType> {
        self.types.get(type_idx as usize).and_then(TypeDef::as_func)
    }

    /// Type index of function `func` (imports first, then defined functions).
    pub fn func_type_idx(&self, func: u32) -> Option<u32> {
        let mut i = func;
        for imp in &self.imports {
            if let ImportDesc::Func(t) = imp.desc {
                if i == 0 {
                    return Some(t);
                }
                i -= 1;
            }
        }
        self.funcs.get(i as usize).map(|f| f.type_idx)
    }

    /// Type index of tag `tag` (imports first, then defined tags).
    pub fn tag_type_idx(&self, tag: u32) -> Option<u32> {
        self.imported(tag, |d| match d {
            ImportDesc::Tag(t) => Some(*t),
            _ => None,
        })
        .or_else(|| {
            let n = self.num_imported(ExternKind::Tag);
            tag.checked_sub(n)
                .and_then(|i| self.tags.get(i as usize))
                .map(|t| t.type_idx)
        })
    }

    /// The recursion groups covering every type in order: `(start, len,
    /// explicit)`, with an implicit group of one for each type outside the
    /// explicit ones.
    pub fn type_groups(&self) -> Vec<(u32, u32, bool)> {
        let mut out = Vec::new();
        let mut next = 0u32;
        for g in &self.rec_groups {
            while next < g.start {
                out.push((next, 1, false));
                next += 1;
            }
            out.push((g.start, g.len, true));
            next = g.start + g.len;
        }
        while (next as usize) < self.types.len() {
            out.push((next, 1, false));
            next += 1;
        }
        out
    }

    /// Type of table `idx` across imports and definitions.
    pub fn table_type(&self, idx: u32) -> Option<TableType> {
        self.imported(idx, |d| match d {
            ImportDesc::Table(t) => Some(*t),
            _ => None,
        })
        .or_else(|| {
            let n = self.num_imported(ExternKind::Table);
            idx.checked_sub(n)
                .and_then(|i| self.tables.get(i as usize))
                .map(|t| t.ty)
        })
    }

    /// Type of memory `idx` across imports and definitions.
    pub fn memory_type(&self, idx: u32) -> Option<MemoryType> {
        self.imported(idx, |d| match d {
            ImportDesc::Memory(m) => Some(*m),
            _ => None,
        })
        .or_else(|| {
            let n = self.num_imported(ExternKind::Memory);
            idx.checked_sub(n)
                .and_then(|i| self.memories.get(i as usize))
                .copied()
        })
    }

    /// Type of global `idx` across imports and definitions.
    pub fn global_type(&self, idx: u32) -> Option<GlobalType> {
        self.imported(idx, |d| match d {
            ImportDesc::Global(g) => Some(*g),
            _ => None,
        })
        .or_else(|| {
            let n = self.num_imported(ExternKind::Global);
            idx.checked_sub(n)
                .and_then(|i| self.globals.get(i as usize))
                .map(|g| g.ty)
        })
    }

    /// The `idx`-th import that `pick` accepts.
    fn imported<T>(&self, idx: u32, pick: impl Fn(&ImportDesc) -> Option<T>) -> Option<T> {
        self.imports
            .iter()
            .filter_map(|i| pick(&i.desc))
            .nth(idx as usize)
    }
}

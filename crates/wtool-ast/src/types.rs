//! Value, reference, function, table, memory and global types.

use std::fmt;

/// A heap type: what a reference points at.
///
/// WebAssembly 2.0 has only `func` and `extern`; the other abstract heap
/// types and `Concrete` exist so that typed function references and GC fit
/// without changing this enum's users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HeapType {
    /// `func`: any function.
    Func,
    /// `extern`: a host reference.
    Extern,
    /// `any` (GC).
    Any,
    /// `eq` (GC).
    Eq,
    /// `i31` (GC).
    I31,
    /// `struct` (GC).
    Struct,
    /// `array` (GC).
    Array,
    /// `none` (GC bottom of `any`).
    None,
    /// `nofunc` (bottom of `func`).
    NoFunc,
    /// `noextern` (bottom of `extern`).
    NoExtern,
    /// `exn` (exception handling).
    Exn,
    /// `noexn`.
    NoExn,
    /// A type index (typed function references, GC).
    Concrete(u32),
}

impl HeapType {
    /// Text keyword of an abstract heap type, `None` for a concrete one.
    pub fn keyword(self) -> Option<&'static str> {
        Some(match self {
            HeapType::Func => "func",
            HeapType::Extern => "extern",
            HeapType::Any => "any",
            HeapType::Eq => "eq",
            HeapType::I31 => "i31",
            HeapType::Struct => "struct",
            HeapType::Array => "array",
            HeapType::None => "none",
            HeapType::NoFunc => "nofunc",
            HeapType::NoExtern => "noextern",
            HeapType::Exn => "exn",
            HeapType::NoExn => "noexn",
            HeapType::Concrete(_) => return None,
        })
    }
}

/// A reference type: a heap type and whether `null` is a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RefType {
    /// `ref null ht` when true, `ref ht` when false.
    pub nullable: bool,
    /// What the reference points at.
    pub heap: HeapType,
}

impl RefType {
    /// `funcref` = `(ref null func)`.
    pub const FUNCREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Func,
    };
    /// `externref` = `(ref null extern)`.
    pub const EXTERNREF: RefType = RefType {
        nullable: true,
        heap: HeapType::Extern,
    };
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.nullable, self.heap) {
            (true, HeapType::Func) => f.write_str("funcref"),
            (true, HeapType::Extern) => f.write_str("externref"),
            (nullable, heap) => {
                f.write_str(if nullable { "(ref null " } else { "(ref " })?;
                match heap.keyword() {
                    Some(k) => f.write_str(k)?,
                    None => {
                        if let HeapType::Concrete(i) = heap {
                            write!(f, "{i}")?;
                        }
                    }
                }
                f.write_str(")")
            }
        }
    }
}

/// A value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE float.
    F32,
    /// 64-bit IEEE float.
    F64,
    /// 128-bit vector.
    V128,
    /// A reference.
    Ref(RefType),
}

impl ValType {
    /// `funcref`.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);

    /// True for numeric and vector types (those with a default zero value, and no nulls).
    pub fn is_num_or_vec(self) -> bool {
        !matches!(self, ValType::Ref(_))
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValType::I32 => f.write_str("i32"),
            ValType::I64 => f.write_str("i64"),
            ValType::F32 => f.write_str("f32"),
            ValType::F64 => f.write_str("f64"),
            ValType::V128 => f.write_str("v128"),
            ValType::Ref(r) => r.fmt(f),
        }
    }
}

/// A function type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    /// Parameter types.
    pub params: Box<[ValType]>,
    /// Result types.
    pub results: Box<[ValType]>,
}

impl FuncType {
    /// Builds a function type from parameter and result lists.
    pub fn new(params: impl Into<Box<[ValType]>>, results: impl Into<Box<[ValType]>>) -> Self {
        FuncType {
            params: params.into(),
            results: results.into(),
        }
    }
}

/// An entry of the type section.
///
/// WebAssembly 2.0 only has function types; GC adds struct and array types,
/// subtyping and recursion groups as new variants and fields here.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeDef {
    /// `(func (param …) (result …))`.
    Func(FuncType),
}

impl TypeDef {
    /// The function type, if this is one.
    pub fn as_func(&self) -> Option<&FuncType> {
        match self {
            TypeDef::Func(f) => Some(f),
        }
    }
}

/// Size limits of a table or memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Limits {
    /// Minimum (initial) size.
    pub min: u64,
    /// Optional maximum size.
    pub max: Option<u64>,
}

/// A memory type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct MemoryType {
    /// Size in pages.
    pub limits: Limits,
    /// Shared memory (threads).
    pub shared: bool,
    /// 64-bit addresses (memory64).
    pub index64: bool,
    /// log2 of a custom page size (custom-page-sizes), `None` for 64 KiB.
    pub page_size_log2: Option<u32>,
}

/// A table type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableType {
    /// Element type.
    pub elem: RefType,
    /// Size in elements.
    pub limits: Limits,
    /// 64-bit indices (memory64 for tables).
    pub index64: bool,
}

/// A global type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// Value type.
    pub ty: ValType,
    /// `(mut …)`.
    pub mutable: bool,
}

/// The kind of an import or export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExternKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A memory.
    Memory,
    /// A global.
    Global,
    /// An exception tag.
    Tag,
}

impl ExternKind {
    /// Text keyword: `func`, `table`, `memory`, `global`, `tag`.
    pub fn keyword(self) -> &'static str {
        match self {
            ExternKind::Func => "func",
            ExternKind::Table => "table",
            ExternKind::Memory => "memory",
            ExternKind::Global => "global",
            ExternKind::Tag => "tag",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_types() {
        assert!(std::mem::size_of::<ValType>() <= 12);
        assert_eq!(ValType::FUNCREF.to_string(), "funcref");
    }
}

//! Value, reference, function, table, memory and global types.

use std::fmt;

/// A heap type: what a reference points at: one of the abstract types of
/// the GC hierarchy (any/eq/i31/struct/array/none, func/nofunc,
/// extern/noextern, exn/noexn) or a type of the module.
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
    /// `(exact x)`: type `x` and none of its subtypes (custom descriptors).
    Exact(u32),
}

impl HeapType {
    /// A dense number for the heap type's kind (0..=13, abstract types in
    /// declaration order, then concrete and exact) and its type index (0
    /// for abstract types): for compact encodings of types.
    pub fn code(self) -> (u32, u32) {
        use HeapType::*;
        match self {
            Func => (0, 0),
            Extern => (1, 0),
            Any => (2, 0),
            Eq => (3, 0),
            I31 => (4, 0),
            Struct => (5, 0),
            Array => (6, 0),
            None => (7, 0),
            NoFunc => (8, 0),
            NoExtern => (9, 0),
            Exn => (10, 0),
            NoExn => (11, 0),
            Concrete(i) => (12, i),
            Exact(i) => (13, i),
        }
    }

    /// The heap type of a [`HeapType::code`], if `code` is one.
    pub fn from_code(code: u32, index: u32) -> Option<HeapType> {
        use HeapType::*;
        Some(match code {
            0 => Func,
            1 => Extern,
            2 => Any,
            3 => Eq,
            4 => I31,
            5 => Struct,
            6 => Array,
            7 => None,
            8 => NoFunc,
            9 => NoExtern,
            10 => Exn,
            11 => NoExn,
            12 => Concrete(index),
            13 => Exact(index),
            _ => return Option::None,
        })
    }

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
            HeapType::Concrete(_) | HeapType::Exact(_) => return None,
        })
    }

    /// The type index of a concrete (or exact) heap type.
    pub fn type_index(self) -> Option<u32> {
        match self {
            HeapType::Concrete(i) | HeapType::Exact(i) => Some(i),
            _ => None,
        }
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
                match heap {
                    HeapType::Concrete(i) => write!(f, "{i}")?,
                    HeapType::Exact(i) => write!(f, "(exact {i})")?,
                    _ => f.write_str(heap.keyword().unwrap_or_default())?,
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

/// A packed or value type: what a struct field or array element holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StorageType {
    /// An 8-bit integer (read with sign or zero extension).
    I8,
    /// A 16-bit integer.
    I16,
    /// A value type.
    Val(ValType),
}

impl StorageType {
    /// The value type a read yields (`i32` for packed types).
    pub fn unpacked(self) -> ValType {
        match self {
            StorageType::I8 | StorageType::I16 => ValType::I32,
            StorageType::Val(t) => t,
        }
    }
}

impl fmt::Display for StorageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageType::I8 => f.write_str("i8"),
            StorageType::I16 => f.write_str("i16"),
            StorageType::Val(t) => t.fmt(f),
        }
    }
}

/// A struct field or an array's element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldType {
    /// What it stores.
    pub storage: StorageType,
    /// `(mut …)`.
    pub mutable: bool,
}

/// A composite type: what a type definition describes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CompositeType {
    /// `(func (param …) (result …))`.
    Func(FuncType),
    /// `(struct (field …)*)`.
    Struct(Vec<FieldType>),
    /// `(array (mut)? t)`.
    Array(FieldType),
}

/// A `sub` clause: finality and declared supertypes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct SubType {
    /// `sub final`: no type may declare this one as its supertype.
    pub is_final: bool,
    /// Declared supertypes (valid modules have at most one).
    pub supertypes: Vec<u32>,
}

/// An entry of the type section: a composite type with its subtyping
/// declaration. Recursion groups are recorded in [`crate::Module::rec_groups`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TypeDef {
    /// The composite type.
    pub composite: CompositeType,
    /// The `sub` clause as written; `None` for the bare form, which means
    /// final without supertypes (kept apart so encodings round-trip).
    pub sub: Option<SubType>,
    /// `(describes x)` (custom descriptors).
    pub describes: Option<u32>,
    /// `(descriptor x)` (custom descriptors).
    pub descriptor: Option<u32>,
}

impl TypeDef {
    /// A bare function type.
    pub fn func(f: FuncType) -> Self {
        TypeDef::new(CompositeType::Func(f))
    }

    /// A bare composite type (final, no supertype).
    pub fn new(composite: CompositeType) -> Self {
        TypeDef {
            composite,
            sub: None,
            describes: None,
            descriptor: None,
        }
    }

    /// The function type, if this is one.
    pub fn as_func(&self) -> Option<&FuncType> {
        match &self.composite {
            CompositeType::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The struct's fields, if this is a struct type.
    pub fn as_struct(&self) -> Option<&[FieldType]> {
        match &self.composite {
            CompositeType::Struct(f) => Some(f),
            _ => None,
        }
    }

    /// The element type, if this is an array type.
    pub fn as_array(&self) -> Option<FieldType> {
        match &self.composite {
            CompositeType::Array(f) => Some(*f),
            _ => None,
        }
    }

    /// True unless declared `sub` without `final`.
    pub fn is_final(&self) -> bool {
        self.sub.as_ref().is_none_or(|s| s.is_final)
    }

    /// The declared supertypes (none for the bare form).
    pub fn supertypes(&self) -> &[u32] {
        self.sub.as_ref().map_or(&[], |s| &s.supertypes)
    }
}

/// An explicit recursion group `(rec …)`: `len` types from type index `start`.
/// Types outside every listed group are each a group of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecGroup {
    /// Index of the group's first type.
    pub start: u32,
    /// Number of types (0 for an empty `(rec)`).
    pub len: u32,
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

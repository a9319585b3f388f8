//! The component AST (the Component Model's binary format, layer 1).
//!
//! Definitions keep their section grouping and order: a component's index
//! spaces are built incrementally, section by section, so the order is part
//! of the meaning, and keeping the grouping makes re-encoding exact. Core
//! modules are [`wtool_ast::Module`]s; core types reuse the core type AST.

use wtool_ast::{Import as CoreImport, ImportDesc, Module, TypeDef};

mod canon;
pub use canon::*;

/// A component: its sections in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// The version field of the preamble (0x0d before standardization).
    pub version: u16,
    /// The sections, in binary order.
    pub sections: Vec<Section>,
}

/// One section of a component.
#[derive(Clone, Debug, PartialEq)]
pub enum Section {
    /// A custom section (id 0), kept as bytes.
    Custom(Custom),
    /// A core module (id 1).
    CoreModule(Box<Module>),
    /// Core instances (id 2).
    CoreInstances(Vec<CoreInstance>),
    /// Core types (id 3).
    CoreTypes(Vec<CoreType>),
    /// A nested component (id 4).
    Component(Box<Component>),
    /// Component instances (id 5).
    Instances(Vec<Instance>),
    /// Aliases (id 6).
    Aliases(Vec<Alias>),
    /// Component types (id 7).
    Types(Vec<Type>),
    /// Canonical definitions (id 8).
    Canons(Vec<Canon>),
    /// The start function (id 9).
    Start(Start),
    /// Imports (id 10).
    Imports(Vec<Import>),
    /// Exports (id 11).
    Exports(Vec<Export>),
    /// Values (id 12).
    Values(Vec<Value>),
}

impl Section {
    /// The section id byte.
    pub fn id(&self) -> u8 {
        match self {
            Section::Custom(_) => 0,
            Section::CoreModule(_) => 1,
            Section::CoreInstances(_) => 2,
            Section::CoreTypes(_) => 3,
            Section::Component(_) => 4,
            Section::Instances(_) => 5,
            Section::Aliases(_) => 6,
            Section::Types(_) => 7,
            Section::Canons(_) => 8,
            Section::Start(_) => 9,
            Section::Imports(_) => 10,
            Section::Exports(_) => 11,
            Section::Values(_) => 12,
        }
    }
}

/// A custom section: name and payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Custom {
    /// The section name (`component-name` for the name section).
    pub name: String,
    /// The bytes after the name.
    pub data: Vec<u8>,
}

/// The sorts of the core index spaces (`core:sort`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoreSort {
    /// Core functions.
    Func,
    /// Tables.
    Table,
    /// Memories.
    Memory,
    /// Globals.
    Global,
    /// Tags.
    Tag,
    /// Core types.
    Type,
    /// Core modules.
    Module,
    /// Core instances.
    Instance,
}

/// The sorts of a component's index spaces (`sort`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sort {
    /// A core sort.
    Core(CoreSort),
    /// Component functions.
    Func,
    /// Values.
    Value,
    /// Component types.
    Type,
    /// Components.
    Component,
    /// Component instances.
    Instance,
}

/// A core instance definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreInstance {
    /// Instantiates core module `module` with named instances as imports.
    Instantiate {
        /// The core module index.
        module: u32,
        /// `(with name (instance i))` arguments.
        args: Vec<(String, u32)>,
    },
    /// A bag of core exports.
    FromExports(Vec<CoreInlineExport>),
}

/// `(export name (sort idx))` inside a core instance definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreInlineExport {
    /// The export name.
    pub name: String,
    /// What it exports.
    pub sort: CoreSort,
    /// Index in that sort's index space.
    pub index: u32,
}

/// A component instance definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Instance {
    /// Instantiates component `component` with named arguments.
    Instantiate {
        /// The component index.
        component: u32,
        /// `(with name (sort idx))` arguments.
        args: Vec<InstantiateArg>,
    },
    /// A bag of exports.
    FromExports(Vec<InlineExport>),
}

/// `(with name (sort idx))`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstantiateArg {
    /// The import name it satisfies.
    pub name: String,
    /// The sort of the argument.
    pub sort: Sort,
    /// Index in that sort's index space.
    pub index: u32,
}

/// `(export name (sort idx))` inside an instance definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineExport {
    /// The export name with its attributes.
    pub name: ExternName,
    /// The sort of the export.
    pub sort: Sort,
    /// Index in that sort's index space.
    pub index: u32,
}

/// An alias definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Alias {
    /// `(alias export i "name" (sort))`.
    InstanceExport {
        /// The sort aliased.
        sort: Sort,
        /// The component instance.
        instance: u32,
        /// The export name.
        name: String,
    },
    /// `(alias core export i "name" (core sort))`.
    CoreInstanceExport {
        /// The core sort aliased.
        sort: CoreSort,
        /// The core instance.
        instance: u32,
        /// The export name.
        name: String,
    },
    /// `(alias outer count index (sort))`.
    Outer {
        /// The sort aliased (core type, core module, type or component).
        sort: Sort,
        /// How many enclosing scopes out.
        count: u32,
        /// Index in that scope's index space.
        index: u32,
    },
}

/// A core type definition in a component.
#[derive(Clone, Debug, PartialEq)]
pub enum CoreType {
    /// A core recursion group or single subtype.
    Rec(CoreRec),
    /// A core module type.
    Module(Vec<ModuleDecl>),
}

/// A core recursion group or single subtype.
#[derive(Clone, Debug, PartialEq)]
pub struct CoreRec {
    /// The types defined.
    pub types: Vec<TypeDef>,
    /// Written as an explicit `rec` group (0x4e).
    pub explicit: bool,
}

/// A declaration inside a core module type.
#[derive(Clone, Debug, PartialEq)]
pub enum ModuleDecl {
    /// An import.
    Import(CoreImport),
    /// A type definition (a recursion group or subtype; module types do
    /// not nest, and a non-final subtype needs no 0x00 prefix here).
    Type(CoreRec),
    /// `(alias outer count index (type))`.
    OuterAlias {
        /// How many enclosing scopes out.
        count: u32,
        /// The type index there.
        index: u32,
    },
    /// An export: name and core `externtype`.
    Export {
        /// The export name.
        name: String,
        /// Its type.
        desc: ImportDesc,
        /// An exact function type (custom descriptors).
        exact: bool,
    },
}

/// Primitive value types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrimValType {
    /// `bool`
    Bool,
    /// `s8`
    S8,
    /// `u8`
    U8,
    /// `s16`
    S16,
    /// `u16`
    U16,
    /// `s32`
    S32,
    /// `u32`
    U32,
    /// `s64`
    S64,
    /// `u64`
    U64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `char`
    Char,
    /// `string`
    String,
    /// `error-context`
    ErrorContext,
}

impl PrimValType {
    /// The text format's keyword: `bool`, `u32`, `error-context`…
    pub fn name(self) -> &'static str {
        use PrimValType::*;
        match self {
            Bool => "bool",
            S8 => "s8",
            U8 => "u8",
            S16 => "s16",
            U16 => "u16",
            S32 => "s32",
            U32 => "u32",
            S64 => "s64",
            U64 => "u64",
            F32 => "f32",
            F64 => "f64",
            Char => "char",
            String => "string",
            ErrorContext => "error-context",
        }
    }
}

impl CoreSort {
    /// The text format's keyword: `func`, `memory`, `module`…
    pub fn name(self) -> &'static str {
        match self {
            CoreSort::Func => "func",
            CoreSort::Table => "table",
            CoreSort::Memory => "memory",
            CoreSort::Global => "global",
            CoreSort::Tag => "tag",
            CoreSort::Type => "type",
            CoreSort::Module => "module",
            CoreSort::Instance => "instance",
        }
    }
}

/// A value type: primitive, or a defined type by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    /// A primitive type.
    Prim(PrimValType),
    /// A type index that must refer to a defined value type.
    Idx(u32),
}

/// A variant case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The case label.
    pub name: String,
    /// The payload type, if any.
    pub ty: Option<ValType>,
}

/// A defined value type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefinedType {
    /// A primitive type given a type index.
    Prim(PrimValType),
    /// `(record (field l t)+)`
    Record(Vec<(String, ValType)>),
    /// `(variant (case l t?)+)`
    Variant(Vec<Case>),
    /// `(list t)`
    List(ValType),
    /// `(list t len)`, a fixed-length list.
    FixedList(ValType, u32),
    /// `(map k v)`
    Map(ValType, ValType),
    /// `(tuple t+)`
    Tuple(Vec<ValType>),
    /// `(flags l+)`
    Flags(Vec<String>),
    /// `(enum l+)`
    Enum(Vec<String>),
    /// `(option t)`
    Option(ValType),
    /// `(result t? (error u)?)`
    Result {
        /// The ok payload.
        ok: Option<ValType>,
        /// The error payload.
        err: Option<ValType>,
    },
    /// `(own i)`
    Own(u32),
    /// `(borrow i)`
    Borrow(u32),
    /// `(stream t?)`
    Stream(Option<ValType>),
    /// `(future t?)`
    Future(Option<ValType>),
}

/// A component function type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncType {
    /// `(func async …)`
    pub is_async: bool,
    /// Labelled parameters.
    pub params: Vec<(String, ValType)>,
    /// The result, if any.
    pub result: Option<ValType>,
}

/// A component type definition.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// A defined value type.
    Defined(DefinedType),
    /// A function type.
    Func(FuncType),
    /// A component type.
    Component(Vec<ComponentDecl>),
    /// An instance type.
    Instance(Vec<InstanceDecl>),
    /// A resource type.
    Resource {
        /// The core representation type (`i32`).
        rep: wtool_ast::ValType,
        /// The destructor, a core function index.
        dtor: Option<u32>,
    },
}

/// A declaration inside a component type.
#[derive(Clone, Debug, PartialEq)]
pub enum ComponentDecl {
    /// An import.
    Import(Import),
    /// Anything an instance type may declare.
    Instance(InstanceDecl),
}

/// A declaration inside an instance (or component) type.
#[derive(Clone, Debug, PartialEq)]
pub enum InstanceDecl {
    /// A core type.
    CoreType(CoreType),
    /// A component type.
    Type(Type),
    /// An alias.
    Alias(Alias),
    /// An export.
    Export {
        /// The name with its attributes.
        name: ExternName,
        /// Its type.
        ty: ExternType,
    },
}

/// The bound of an imported or exported type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeBound {
    /// `(eq i)`: the same type as type `i`.
    Eq(u32),
    /// `(sub resource)`: a fresh resource type.
    SubResource,
}

/// The type of an import or export (`externtype`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternType {
    /// `(core module (type i))`
    Module(u32),
    /// `(func (type i))`
    Func(u32),
    /// `(value t)`: a value of this type (wasm-tools' encoding: the type
    /// directly, without the explainer's `valuebound` byte).
    Value(ValType),
    /// `(type b)`
    Type(TypeBound),
    /// `(component (type i))`
    Component(u32),
    /// `(instance (type i))`
    Instance(u32),
}

/// An import or export name with its attributes (`nameattributes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternName {
    /// The name (`externname`).
    pub name: String,
    /// The leading byte: 0x00, the legacy 0x01 (read as 0x00), or 0x02
    /// (followed by attributes). Kept so re-encoding is exact.
    pub form: u8,
    /// The attributes in written order (validation allows each kind once).
    pub attrs: Vec<NameAttr>,
}

/// An attribute of an import or export name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameAttr {
    /// `(implements "in")`
    Implements(String),
    /// `(versionsuffix "vs")`
    VersionSuffix(String),
    /// `(external-id "n")`
    ExternalId(String),
}

impl NameAttr {
    /// The attribute's kind byte.
    pub fn kind(&self) -> u8 {
        match self {
            NameAttr::Implements(_) => 0,
            NameAttr::VersionSuffix(_) => 1,
            NameAttr::ExternalId(_) => 2,
        }
    }

    /// The attribute's string.
    pub fn value(&self) -> &str {
        match self {
            NameAttr::Implements(s) | NameAttr::VersionSuffix(s) | NameAttr::ExternalId(s) => s,
        }
    }
}

impl ExternName {
    /// A plain name, without attributes.
    pub fn plain(name: impl Into<String>) -> Self {
        ExternName {
            name: name.into(),
            form: 0,
            attrs: Vec::new(),
        }
    }

    /// The first `implements` attribute.
    pub fn implements(&self) -> Option<&str> {
        self.attrs.iter().find_map(|a| match a {
            NameAttr::Implements(s) => Some(s.as_str()),
            _ => None,
        })
    }
}

/// An import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The name with its attributes.
    pub name: ExternName,
    /// Its type.
    pub ty: ExternType,
}

/// An export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The name with its attributes.
    pub name: ExternName,
    /// The sort exported.
    pub sort: Sort,
    /// Index in that sort's index space.
    pub index: u32,
    /// The ascribed type, if any.
    pub ty: Option<ExternType>,
}

/// The start definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    /// The component function.
    pub func: u32,
    /// Value indices passed as arguments.
    pub args: Vec<u32>,
    /// The number of results.
    pub results: u32,
}

/// A value definition: its type and its encoded bytes (`val(t)`), which
/// only the type can interpret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The value's type.
    pub ty: ValType,
    /// The encoded value.
    pub bytes: Vec<u8>,
}

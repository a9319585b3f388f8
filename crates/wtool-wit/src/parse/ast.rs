//! The WIT syntax tree, as written, with byte offsets into its file for
//! error messages. Names are not bound yet; see `resolve`.

use crate::model::{PackageName, Version};

/// An identifier and where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Id {
    pub name: String,
    pub at: usize,
}

/// The raw comments before an item (all of them, as wit-parser keeps them).
#[derive(Debug, Clone, Default)]
pub(crate) struct Docs {
    pub comments: Vec<String>,
}

/// `@since`, `@unstable`, `@deprecated` or `@external-id`.
#[derive(Debug, Clone)]
pub(crate) enum Attr {
    Since { at: usize, version: Version },
    Unstable { at: usize, feature: String },
    Deprecated { at: usize, version: Version },
    ExternalId { at: usize, value: String },
}

/// One file, or one `package a:b { … }` block.
#[derive(Debug, Clone)]
pub(crate) struct PackageFile {
    pub name: Option<(PackageName, usize, Docs)>,
    pub items: Vec<Item>,
    /// `package x:y { … }` blocks, only at the top of a file.
    pub nested: Vec<PackageFile>,
}

/// A top-level declaration.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Interface(Interface),
    World(World),
    Use(TopUse),
}

/// `use a:b/c@1.0.0 as d;` at the top level.
#[derive(Debug, Clone)]
pub(crate) struct TopUse {
    pub at: usize,
    pub attrs: Vec<Attr>,
    pub path: UsePath,
    pub as_: Option<Id>,
}

/// A reference to an interface or world: local, or in another package.
#[derive(Debug, Clone)]
pub(crate) enum UsePath {
    Local(Id),
    Package {
        pkg: PackageName,
        at: usize,
        name: Id,
    },
}

impl UsePath {
    /// The item's own name (`c` in `a:b/c`).
    pub fn name(&self) -> &Id {
        match self {
            UsePath::Local(id) => id,
            UsePath::Package { name, .. } => name,
        }
    }
}

/// `interface name { … }`.
#[derive(Debug, Clone)]
pub(crate) struct Interface {
    pub docs: Docs,
    pub attrs: Vec<Attr>,
    pub name: Id,
    pub items: Vec<IfaceItem>,
}

/// An item of an interface.
#[derive(Debug, Clone)]
pub(crate) enum IfaceItem {
    Use(Use),
    Type(TypeDef),
    Func(NamedFunc),
}

/// `use path.{a, b as c};`.
#[derive(Debug, Clone)]
pub(crate) struct Use {
    pub attrs: Vec<Attr>,
    pub from: UsePath,
    pub names: Vec<(Id, Option<Id>)>,
}

/// A named type definition: `type`, `record`, `resource`, ….
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub docs: Docs,
    pub attrs: Vec<Attr>,
    pub name: Id,
    pub ty: Type,
}

/// `name: func(…)` and friends.
#[derive(Debug, Clone)]
pub(crate) struct NamedFunc {
    pub docs: Docs,
    pub attrs: Vec<Attr>,
    pub name: Id,
    pub func: Func,
}

/// `get(…)` or `set(…)` in place of `func(…)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accessor {
    Get,
    Set,
}

/// A function signature.
#[derive(Debug, Clone)]
pub(crate) struct Func {
    pub at: usize,
    pub is_async: bool,
    pub accessor: Option<Accessor>,
    pub params: Vec<(Id, Type)>,
    pub result: Option<Type>,
    /// Where the result type starts, and its `ok` type if it is a `result<…>`.
    pub result_at: (usize, Option<usize>),
}

/// A function inside `resource r { … }`.
#[derive(Debug, Clone)]
pub(crate) enum ResourceFunc {
    Method(NamedFunc),
    Static(NamedFunc),
    Constructor(NamedFunc),
}

impl ResourceFunc {
    /// The function whatever its kind.
    pub fn named(&self) -> &NamedFunc {
        match self {
            ResourceFunc::Method(f) | ResourceFunc::Static(f) | ResourceFunc::Constructor(f) => f,
        }
    }
}

/// A type expression or a type definition's body.
#[derive(Debug, Clone)]
pub(crate) enum Type {
    Prim(crate::model::Type),
    Name(Id),
    List(Box<Type>),
    FixedList(Box<Type>, u32),
    Map(usize, Box<Type>, Box<Type>),
    Option(Box<Type>),
    Result(Option<Box<Type>>, Option<Box<Type>>),
    Tuple(usize, Vec<Type>),
    Future(Option<Box<Type>>),
    Stream(Option<Box<Type>>),
    Own(Id),
    Borrow(Id),
    Resource(Vec<ResourceFunc>),
    Record(usize, Vec<(Docs, Id, Type)>),
    Flags(usize, Vec<(Docs, Id)>),
    Variant(usize, Vec<(Docs, Id, Option<Type>)>),
    Enum(usize, Vec<(Docs, Id)>),
}

/// `world name { … }`.
#[derive(Debug, Clone)]
pub(crate) struct World {
    pub docs: Docs,
    pub attrs: Vec<Attr>,
    pub name: Id,
    pub items: Vec<WorldItem>,
}

/// An item of a world.
#[derive(Debug, Clone)]
pub(crate) enum WorldItem {
    Import(Extern),
    Export(Extern),
    Use(Use),
    Type(TypeDef),
    Include(Include),
}

/// The body of an `import` or `export`.
#[derive(Debug, Clone)]
pub(crate) struct Extern {
    pub docs: Docs,
    pub attrs: Vec<Attr>,
    pub at: usize,
    pub kind: ExternKind,
}

/// What is imported or exported.
#[derive(Debug, Clone)]
pub(crate) enum ExternKind {
    /// `name: interface { … }`.
    Interface(Id, Vec<IfaceItem>),
    /// `path;`.
    Path(UsePath),
    /// `label: path;`.
    NamedPath(Id, UsePath),
    /// `name: func(…);`.
    Func(Id, Func),
}

/// `include path with { a as b };`.
#[derive(Debug, Clone)]
pub(crate) struct Include {
    pub attrs: Vec<Attr>,
    pub from: UsePath,
    pub names: Vec<(Id, Id)>,
}

//! The resolved WIT model: packages, interfaces, worlds and types in arenas,
//! every name already bound to what it denotes.
//!
//! One model serves every WIT path: the text parser resolves into it, the
//! printer and the binary encoder read it, and the component decoder builds
//! it from a component's types. Items refer to one another by index, so a
//! type used from another interface is the same `TypeId` in both places.

use indexmap::IndexMap;
pub use semver::Version;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The arena slot of this id.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

id_type! {
    /// A package in [`Resolve::packages`].
    PackageId,
    /// An interface in [`Resolve::interfaces`].
    InterfaceId,
    /// A world in [`Resolve::worlds`].
    WorldId,
    /// A type definition in [`Resolve::types`].
    TypeId,
}

/// Every package, interface, world and type known, with cross references by id.
#[derive(Debug, Clone, Default)]
pub struct Resolve {
    /// Packages in dependency order: a package only uses packages before it.
    pub packages: Vec<Package>,
    /// Interfaces, named or anonymous (an anonymous one is inline in a world).
    pub interfaces: Vec<Interface>,
    /// Worlds, with `include`s already elaborated into imports and exports.
    pub worlds: Vec<World>,
    /// Type definitions; anonymous ones (`list<u8>`, …) have no name and no owner.
    pub types: Vec<TypeDef>,
}

/// A package name: `namespace:name@version`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PackageName {
    /// `wasi` in `wasi:io@0.2.0`.
    pub namespace: String,
    /// `io` in `wasi:io@0.2.0`.
    pub name: String,
    /// `0.2.0` in `wasi:io@0.2.0`.
    pub version: Option<Version>,
}

impl std::fmt::Display for PackageName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.namespace, self.name)?;
        if let Some(v) = &self.version {
            write!(f, "@{v}")?;
        }
        Ok(())
    }
}

/// A WIT package: its interfaces and worlds, in source order.
#[derive(Debug, Clone)]
pub struct Package {
    /// The package's name.
    pub name: PackageName,
    /// Doc comments on the `package` declaration.
    pub docs: Docs,
    /// Interfaces by name.
    pub interfaces: IndexMap<String, InterfaceId>,
    /// Worlds by name.
    pub worlds: IndexMap<String, WorldId>,
}

/// Doc comments (`///` or `/** */`), joined by newlines, without the markers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// The text, or `None` when the item has no doc comment.
    pub contents: Option<String>,
}

/// A feature gate: `@since(version = …)`, `@unstable(feature = …)`, `@deprecated(version = …)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Stability {
    /// No gate.
    #[default]
    Unknown,
    /// `@unstable(feature = NAME)`, possibly `@deprecated` too.
    Unstable {
        /// The feature that enables the item.
        feature: String,
        /// `@deprecated(version = V)`.
        deprecated: Option<Version>,
    },
    /// `@since(version = V)`, optionally with a feature, possibly `@deprecated` too.
    Stable {
        /// The version the item appeared in.
        since: Version,
        /// `@deprecated(version = V)`.
        deprecated: Option<Version>,
    },
}

/// An interface: named in a package, or anonymous inline in a world.
#[derive(Debug, Clone)]
pub struct Interface {
    /// `None` for `import foo: interface { … }` in a world.
    pub name: Option<String>,
    /// Types defined or `use`d here, by name (a `use` is a `TypeDefKind::Type` alias).
    pub types: IndexMap<String, TypeId>,
    /// Functions, including resource methods (`[method]r.m`, …), by full name.
    pub functions: IndexMap<String, Function>,
    /// Doc comments.
    pub docs: Docs,
    /// Feature gate.
    pub stability: Stability,
    /// The package defining it; `None` only for anonymous interfaces of a decoded component.
    pub package: Option<PackageId>,
}

/// A world: its imports and exports, after `include`s are elaborated.
#[derive(Debug, Clone)]
pub struct World {
    /// The world's name.
    pub name: String,
    /// Imports in order.
    pub imports: IndexMap<WorldKey, WorldItem>,
    /// Exports in order.
    pub exports: IndexMap<WorldKey, WorldItem>,
    /// The package defining it.
    pub package: Option<PackageId>,
    /// Doc comments.
    pub docs: Docs,
    /// Feature gate.
    pub stability: Stability,
}

/// The key of a world import or export: a plain name, or an interface by identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WorldKey {
    /// `import foo: …` (a kebab name).
    Name(String),
    /// `import wasi:io/streams;` (keyed by the interface itself).
    Interface(InterfaceId),
}

/// What a world imports or exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorldItem {
    /// An interface instance.
    Interface {
        /// The interface.
        id: InterfaceId,
        /// Feature gate on the import/export itself.
        stability: Stability,
        /// `@external-id("…")` on the import/export statement.
        external_id: Option<String>,
        /// Doc comments on the import/export statement itself.
        docs: Docs,
    },
    /// A freestanding function.
    Function(Function),
    /// A type (imports only: a world's own `type`/`use` items).
    Type(TypeId),
}

/// A type definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    /// The type's name, `None` for anonymous types like `list<u8>`.
    pub name: Option<String>,
    /// What the type is.
    pub kind: TypeDefKind,
    /// Where it is defined.
    pub owner: TypeOwner,
    /// Doc comments.
    pub docs: Docs,
    /// Feature gate.
    pub stability: Stability,
    /// `@external-id("…")` on the definition (or on the `use` that made this alias).
    pub external_id: Option<String>,
}

/// Where a type is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeOwner {
    /// Directly in a world.
    World(WorldId),
    /// In an interface.
    Interface(InterfaceId),
    /// Nowhere: an anonymous type.
    None,
}

/// The structure of a type definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDefKind {
    /// `record r { a: u32, … }`.
    Record(Vec<Field>),
    /// `resource r;` (its methods are functions of the owner).
    Resource,
    /// `own<r>` (or plain `r`) and `borrow<r>`.
    Handle(Handle),
    /// `flags f { a, b }`.
    Flags(Vec<Flag>),
    /// `tuple<a, b>`.
    Tuple(Vec<Type>),
    /// `variant v { a(u32), b }`.
    Variant(Vec<Case>),
    /// `enum e { a, b }`.
    Enum(Vec<EnumCase>),
    /// `option<t>`.
    Option(Type),
    /// `result<ok, err>`, either side optional.
    Result {
        /// The ok payload.
        ok: Option<Type>,
        /// The error payload.
        err: Option<Type>,
    },
    /// `list<t>`.
    List(Type),
    /// `list<t, N>`.
    FixedLengthList(Type, u32),
    /// `map<k, v>`.
    Map(Type, Type),
    /// `future` or `future<t>`.
    Future(Option<Type>),
    /// `stream` or `stream<t>`.
    Stream(Option<Type>),
    /// `type a = b;`, and every `use` (an alias of the used type).
    Type(Type),
}

/// A handle to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handle {
    /// An owned handle.
    Own(TypeId),
    /// A borrowed handle.
    Borrow(TypeId),
}

/// A value type: a primitive or a type definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `s8`.
    S8,
    /// `s16`.
    S16,
    /// `s32`.
    S32,
    /// `s64`.
    S64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `char`.
    Char,
    /// `string`.
    String,
    /// `error-context`.
    ErrorContext,
    /// A type definition.
    Id(TypeId),
}

/// A record field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Doc comments.
    pub docs: Docs,
}

/// A flag of a `flags` type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The flag name.
    pub name: String,
    /// Doc comments.
    pub docs: Docs,
}

/// A variant case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The case name.
    pub name: String,
    /// Its payload, if any.
    pub ty: Option<Type>,
    /// Doc comments.
    pub docs: Docs,
}

/// An enum case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumCase {
    /// The case name.
    pub name: String,
    /// Doc comments.
    pub docs: Docs,
}

/// A function: freestanding, or a resource's constructor, method or static function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The full name: `f`, `[constructor]r`, `[method]r.m`, `[static]r.s`.
    pub name: String,
    /// What kind of function.
    pub kind: FunctionKind,
    /// Parameters in order (a method's first is `self: borrow<r>`).
    pub params: Vec<(String, Type)>,
    /// The result type, if any.
    pub result: Option<Type>,
    /// Doc comments.
    pub docs: Docs,
    /// Feature gate.
    pub stability: Stability,
    /// `@external-id("…")` on the function.
    pub external_id: Option<String>,
}

/// The kind of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// `f: func(…)`.
    Freestanding,
    /// `f: async func(…)`.
    AsyncFreestanding,
    /// `m: func(…)` in resource `r`.
    Method(TypeId),
    /// `m: async func(…)` in resource `r`.
    AsyncMethod(TypeId),
    /// `s: static func(…)` in resource `r`.
    Static(TypeId),
    /// `s: static async func(…)` in resource `r`.
    AsyncStatic(TypeId),
    /// `constructor(…)` of resource `r`.
    Constructor(TypeId),
    /// `p: get() -> t` (named `[get]p`).
    Getter,
    /// `p: set(v: t)` (named `[set]p`).
    Setter,
    /// `p: get() -> t` in resource `r` (named `[method][get]r.p`; takes `self`).
    MethodGetter(TypeId),
    /// `p: set(v: t)` in resource `r` (named `[method][set]r.p`; takes `self`).
    MethodSetter(TypeId),
    /// `p: static get() -> t` in resource `r` (named `[static][get]r.p`).
    StaticGetter(TypeId),
    /// `p: static set(v: t)` in resource `r` (named `[static][set]r.p`).
    StaticSetter(TypeId),
}

impl FunctionKind {
    /// The resource this function belongs to, if it is one of a resource's functions.
    pub fn resource(self) -> Option<TypeId> {
        match self {
            FunctionKind::Freestanding
            | FunctionKind::AsyncFreestanding
            | FunctionKind::Getter
            | FunctionKind::Setter => None,
            FunctionKind::Method(id)
            | FunctionKind::AsyncMethod(id)
            | FunctionKind::Static(id)
            | FunctionKind::AsyncStatic(id)
            | FunctionKind::Constructor(id)
            | FunctionKind::MethodGetter(id)
            | FunctionKind::MethodSetter(id)
            | FunctionKind::StaticGetter(id)
            | FunctionKind::StaticSetter(id) => Some(id),
        }
    }

    /// Whether this is an `async` function.
    pub fn is_async(self) -> bool {
        matches!(
            self,
            FunctionKind::AsyncFreestanding
                | FunctionKind::AsyncMethod(_)
                | FunctionKind::AsyncStatic(_)
        )
    }
}

impl Function {
    /// The name as written in WIT: `m` for `[method]r.m`, `p` for `[get]p`, `constructor` for a constructor.
    pub fn item_name(&self) -> &str {
        match self.kind {
            FunctionKind::Freestanding | FunctionKind::AsyncFreestanding => &self.name,
            FunctionKind::Constructor(_) => "constructor",
            // Accessors of interfaces are `[get]p`/`[set]p`: no resource part.
            FunctionKind::Getter | FunctionKind::Setter => match self.name.find(']') {
                Some(i) => &self.name[i + 1..],
                None => &self.name,
            },
            _ => match self.name.find('.') {
                Some(i) => &self.name[i + 1..],
                None => &self.name,
            },
        }
    }
}

impl Resolve {
    /// The type definition behind `id`.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }

    /// The interface behind `id`.
    pub fn interface(&self, id: InterfaceId) -> &Interface {
        &self.interfaces[id.index()]
    }

    /// The world behind `id`.
    pub fn world(&self, id: WorldId) -> &World {
        &self.worlds[id.index()]
    }

    /// The package behind `id`.
    pub fn package(&self, id: PackageId) -> &Package {
        &self.packages[id.index()]
    }

    /// Adds a type definition and returns its id.
    pub fn push_type(&mut self, def: TypeDef) -> TypeId {
        self.types.push(def);
        TypeId(self.types.len() as u32 - 1)
    }

    /// Adds an interface and returns its id.
    pub fn push_interface(&mut self, iface: Interface) -> InterfaceId {
        self.interfaces.push(iface);
        InterfaceId(self.interfaces.len() as u32 - 1)
    }

    /// Adds a world and returns its id.
    pub fn push_world(&mut self, world: World) -> WorldId {
        self.worlds.push(world);
        WorldId(self.worlds.len() as u32 - 1)
    }

    /// Adds a package and returns its id.
    pub fn push_package(&mut self, package: Package) -> PackageId {
        self.packages.push(package);
        PackageId(self.packages.len() as u32 - 1)
    }

    /// The interface's fully qualified name, `ns:pkg/name@version`, if it is named.
    pub fn id_of(&self, id: InterfaceId) -> Option<String> {
        let iface = self.interface(id);
        let name = iface.name.as_ref()?;
        let pkg = &self.package(iface.package?).name;
        let mut s = format!("{}:{}/{}", pkg.namespace, pkg.name, name);
        if let Some(v) = &pkg.version {
            s.push_str(&format!("@{v}"));
        }
        Some(s)
    }

    /// A world key as written: the plain name, or the interface's
    /// `ns:pkg/name@version`.
    pub fn name_world_key(&self, key: &WorldKey) -> String {
        match key {
            WorldKey::Name(n) => n.clone(),
            WorldKey::Interface(i) => self.id_of(*i).unwrap_or_default(),
        }
    }

    /// Follows `type a = b` aliases (and `use`s) to the definition they name.
    pub fn unalias(&self, mut id: TypeId) -> TypeId {
        while let TypeDefKind::Type(Type::Id(next)) = self.ty(id).kind {
            id = next;
        }
        id
    }
}

/// The part of a version that semver-compatible versions share (`1`, `0.2`,
/// `0.0.3`; a pre-release is only compatible with itself, build metadata
/// aside), as wit-parser's `version_compat_track` writes it.
pub fn version_compat_track(v: &Version) -> String {
    if !v.pre.is_empty() {
        format!("{}.{}.{}-{}", v.major, v.minor, v.patch, v.pre)
    } else if v.major != 0 {
        format!("{}", v.major)
    } else if v.minor != 0 {
        format!("0.{}", v.minor)
    } else {
        format!("0.0.{}", v.patch)
    }
}

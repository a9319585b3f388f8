//! From resolved component types to the WIT model: interfaces from instance
//! types, worlds from component types, packages from interface names.
//!
//! The order in which ids are allocated and the rules for recovering a
//! `use` follow wit-component's decoder, so that printing the result gives
//! the same text and re-encoding it gives the same bytes.

use super::types::{Def, Entity, Item, Key, Node, TypeMap, Types, VRef};
use crate::model::*;
use indexmap::IndexMap;
use std::collections::HashMap;
use wtool_component::ast::PrimValType;

/// An error while decoding, before it gets an offset.
pub(crate) type Msg = String;

/// `ns:pkg/iface@version` split into its parts.
pub(crate) struct IfaceName<'a> {
    pub namespace: &'a str,
    pub package: &'a str,
    pub interface: &'a str,
    pub version: Option<&'a str>,
}

/// Parses an interface name (`ns:pkg/iface@1.0.0`), or `None` for a plain name.
pub(crate) fn iface_name(name: &str) -> Option<IfaceName<'_>> {
    let (path, version) = match name.find('@') {
        Some(at) => (&name[..at], Some(&name[at + 1..])),
        None => (name, None),
    };
    let (pkg, interface) = path.rsplit_once('/')?;
    let (namespace, package) = pkg.rsplit_once(':')?;
    Some(IfaceName {
        namespace,
        package,
        interface,
        version,
    })
}

impl IfaceName<'_> {
    /// The package this name belongs to; `suffix` is a `versionsuffix` attribute.
    pub fn package_name(&self, suffix: Option<&str>) -> Result<PackageName, Msg> {
        let version = match (self.version, suffix) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err("a version suffix requires the name to have a version".into())
            }
            (Some(v), s) => {
                let full = format!("{v}{}", s.unwrap_or(""));
                Some(Version::parse(&full).map_err(|e| e.to_string())?)
            }
        };
        Ok(PackageName {
            namespace: self.namespace.to_string(),
            name: self.package.to_string(),
            version,
        })
    }
}

/// A package being assembled: its interfaces and worlds by name.
#[derive(Default)]
pub(crate) struct Fields {
    pub interfaces: IndexMap<String, InterfaceId>,
    pub worlds: IndexMap<String, WorldId>,
}

/// The decoder's state (wit-component's `WitPackageDecoder`).
pub(crate) struct Decoder<'a> {
    pub resolve: Resolve,
    pub types: &'a Types,
    pub(super) foreign: IndexMap<String, (PackageName, Fields)>,
    pub(super) iface_to_package: HashMap<InterfaceId, usize>,
    pub(super) named_interfaces: HashMap<String, InterfaceId>,
    pub(super) resources: HashMap<TypeOwner, HashMap<String, TypeId>>,
    pub(super) type_map: TypeMap,
}

fn prim(p: PrimValType) -> Type {
    match p {
        PrimValType::Bool => Type::Bool,
        PrimValType::S8 => Type::S8,
        PrimValType::U8 => Type::U8,
        PrimValType::S16 => Type::S16,
        PrimValType::U16 => Type::U16,
        PrimValType::S32 => Type::S32,
        PrimValType::U32 => Type::U32,
        PrimValType::S64 => Type::S64,
        PrimValType::U64 => Type::U64,
        PrimValType::F32 => Type::F32,
        PrimValType::F64 => Type::F64,
        PrimValType::Char => Type::Char,
        PrimValType::String => Type::String,
        PrimValType::ErrorContext => Type::ErrorContext,
    }
}

pub(super) fn no_docs() -> Docs {
    Docs::default()
}

impl<'a> Decoder<'a> {
    /// A decoder over resolved types.
    pub fn new(types: &'a Types) -> Self {
        Decoder {
            resolve: Resolve::default(),
            types,
            foreign: IndexMap::new(),
            iface_to_package: HashMap::new(),
            named_interfaces: HashMap::new(),
            resources: HashMap::new(),
            type_map: HashMap::new(),
        }
    }

    /// An interface package's item: `ns:pkg/iface` exporting one instance type.
    pub fn decode_interface(
        &mut self,
        name: &str,
        imports: &[(String, Item)],
        item: &Item,
        fields: &mut Fields,
    ) -> Result<PackageName, Msg> {
        let iname = iface_name(name).ok_or("expected world name to be fully qualified")?;
        let package = iname.package_name(item.version_suffix.as_deref())?;
        for (name, item) in imports {
            self.register_import(name, item)
                .map_err(|e| format!("failed to process import `{name}`: {e}"))?;
        }
        self.register_interface(name, item, fields)?;
        Ok(package)
    }

    /// A world package item: `ns:pkg/world` exporting one component type.
    pub fn decode_world(
        &mut self,
        name: &str,
        item: &Item,
        fields: &mut Fields,
    ) -> Result<PackageName, Msg> {
        let Entity::Component(k) = item.ty else {
            unreachable!("checked by the caller")
        };
        let iname = iface_name(name).ok_or("expected world name to be fully qualified")?;
        let package = iname.package_name(item.version_suffix.as_deref())?;
        self.register_world(name, k, fields)?;
        Ok(package)
    }

    /// A component's import, as an import of world `world`.
    pub fn component_import(
        &mut self,
        name: &str,
        item: &Item,
        world: WorldId,
        fields: &mut Fields,
    ) -> Result<(), Msg> {
        let owner = TypeOwner::World(world);
        let (key, it) = match item.ty {
            Entity::Instance(_) => self
                .world_instance(name, item, fields)
                .map_err(|e| format!("failed to decode WIT from import `{name}`: {e}"))?,
            Entity::Func(k) => (
                WorldKey::Name(name.to_string()),
                WorldItem::Function(self.convert_function(name, item, k, owner)?),
            ),
            Entity::Type { .. } => (
                WorldKey::Name(name.to_string()),
                WorldItem::Type(self.register_type_export(name, item, owner)?),
            ),
            _ => return Ok(()),
        };
        self.resolve.worlds[world.index()].imports.insert(key, it);
        Ok(())
    }

    /// A component's export, as an export of world `world`.
    pub fn component_export(
        &mut self,
        name: &str,
        item: &Item,
        world: WorldId,
        fields: &mut Fields,
    ) -> Result<(), Msg> {
        let (key, it) = match item.ty {
            Entity::Func(k) => (
                WorldKey::Name(name.to_string()),
                WorldItem::Function(self.convert_function(
                    name,
                    item,
                    k,
                    TypeOwner::World(world),
                )?),
            ),
            Entity::Instance(_) => self
                .world_instance(name, item, fields)
                .map_err(|e| format!("failed to decode WIT from export `{name}`: {e}"))?,
            _ => {
                return Err(format!(
                    "component export `{name}` was not a function or instance"
                ))
            }
        };
        self.resolve.worlds[world.index()].exports.insert(key, it);
        Ok(())
    }

    fn world_instance(
        &mut self,
        name: &str,
        item: &Item,
        fields: &mut Fields,
    ) -> Result<(WorldKey, WorldItem), Msg> {
        let (key, id) = match &item.implements {
            Some(i) => (
                WorldKey::Name(name.to_string()),
                self.register_import(i, item)?,
            ),
            None => match iface_name(name) {
                Some(_) => {
                    let id = self.register_import(name, item)?;
                    (WorldKey::Interface(id), id)
                }
                None => self.register_interface(name, item, fields)?,
            },
        };
        Ok((
            key,
            WorldItem::Interface {
                id,
                stability: Stability::Unknown,
                external_id: item.external_id.clone(),
                docs: no_docs(),
            },
        ))
    }

    fn instance_exports(&self, item: &Item) -> Result<&'a [(String, Item)], Msg> {
        let types: &'a Types = self.types;
        match item.ty {
            Entity::Instance(k) => match types.node(k) {
                Node::Instance(e) => Ok(e),
                _ => Err("not an instance type".into()),
            },
            _ => Err("not an instance".into()),
        }
    }

    fn register_import(&mut self, name: &str, item: &Item) -> Result<InterfaceId, Msg> {
        let exports = self
            .instance_exports(item)
            .map_err(|_| format!("import `{name}` is not an instance"))?;
        let (is_local, interface) = match self.named_interfaces.get(name) {
            Some(id) => (true, *id),
            None => (false, self.extract_dep_interface(name, item)?),
        };
        let owner = TypeOwner::Interface(interface);
        for (name, item) in exports {
            match item.ty {
                Entity::Type {
                    referenced,
                    created,
                } => match self.resolve.interfaces[interface.index()]
                    .types
                    .get(name)
                    .copied()
                {
                    // Already known: local interfaces are fully defined, and a
                    // foreign one may have been used before. Walk the structure
                    // so anonymous types unify with the earlier definitions.
                    Some(id) => {
                        if let Node::Defined(d) = self.types.node(referenced) {
                            self.register_defined(id, d)?;
                        }
                        let prev = self.type_map.insert(created, id);
                        debug_assert!(prev.is_none());
                    }
                    None => {
                        if is_local {
                            return Err(format!(
                                "instance type export `{name}` not defined in interface"
                            ));
                        }
                        let id = self.register_type_export(name, item, owner)?;
                        self.resolve.interfaces[interface.index()]
                            .types
                            .insert(name.clone(), id);
                    }
                },
                Entity::Func(k) => {
                    if self.resolve.interfaces[interface.index()]
                        .functions
                        .contains_key(name)
                    {
                        continue;
                    }
                    if is_local {
                        return Err(format!(
                            "instance function export `{name}` not defined in interface"
                        ));
                    }
                    let func = self.convert_function(name, item, k, owner)?;
                    self.resolve.interfaces[interface.index()]
                        .functions
                        .insert(name.clone(), func);
                }
                _ => return Err(format!("instance type export `{name}` is not a type")),
            }
        }
        Ok(interface)
    }

    fn find_alias(&self, k: Key) -> Option<TypeId> {
        let mut cur = k;
        loop {
            if let Some(id) = self.type_map.get(&cur) {
                return Some(*id);
            }
            cur = self.types.peel(cur)?;
        }
    }

    fn extract_dep_interface(&mut self, name: &str, item: &Item) -> Result<InterfaceId, Msg> {
        let iname =
            iface_name(name).ok_or_else(|| format!("package name is not a valid id: {name}"))?;
        let pname = iname.package_name(item.version_suffix.as_deref())?;
        let key = pname.to_string();
        let idx = match self.foreign.get_index_of(&key) {
            Some(i) => i,
            None => {
                self.foreign.insert(key.clone(), (pname, Fields::default()));
                self.foreign.len() - 1
            }
        };
        let iface = match self.foreign[idx].1.interfaces.get(iname.interface) {
            Some(id) => *id,
            None => {
                let id = self.resolve.push_interface(Interface {
                    name: Some(iname.interface.to_string()),
                    types: IndexMap::new(),
                    functions: IndexMap::new(),
                    docs: no_docs(),
                    stability: Stability::Unknown,
                    package: None,
                });
                self.foreign[idx]
                    .1
                    .interfaces
                    .insert(iname.interface.to_string(), id);
                id
            }
        };
        self.iface_to_package.insert(iface, idx);
        Ok(iface)
    }

    fn register_interface(
        &mut self,
        name: &str,
        item: &Item,
        fields: &mut Fields,
    ) -> Result<(WorldKey, InterfaceId), Msg> {
        let exports = self.instance_exports(item)?;
        if self.named_interfaces.contains_key(name) {
            let id = self.register_import(name, item)?;
            return Ok((WorldKey::Interface(id), id));
        }
        let iname = iface_name(name).map(|n| n.interface.to_string());
        let mut iface = Interface {
            name: iname.clone(),
            types: IndexMap::new(),
            functions: IndexMap::new(),
            docs: no_docs(),
            stability: Stability::Unknown,
            package: None,
        };
        let owner = TypeOwner::Interface(InterfaceId(self.resolve.interfaces.len() as u32));
        for (name, item) in exports {
            match item.ty {
                Entity::Type { .. } => {
                    let ty = self
                        .register_type_export(name, item, owner)
                        .map_err(|e| format!("failed to register type export '{name}': {e}"))?;
                    iface.types.insert(name.clone(), ty);
                }
                Entity::Func(k) => {
                    let f = self
                        .convert_function(name, item, k, owner)
                        .map_err(|e| format!("failed to convert function '{name}': {e}"))?;
                    iface.functions.insert(name.clone(), f);
                }
                _ => {
                    return Err(format!(
                        "instance type export `{name}` is not a type or function"
                    ))
                }
            }
        }
        let id = self.resolve.push_interface(iface);
        let key = match iname {
            Some(n) => {
                fields.interfaces.insert(n, id);
                self.named_interfaces.insert(name.to_string(), id);
                WorldKey::Interface(id)
            }
            None => WorldKey::Name(name.to_string()),
        };
        Ok((key, id))
    }

    fn register_type_export(
        &mut self,
        name: &str,
        item: &Item,
        owner: TypeOwner,
    ) -> Result<TypeId, Msg> {
        let Entity::Type {
            referenced,
            created,
        } = item.ty
        else {
            unreachable!("only called on types")
        };
        let kind = match self.find_alias(referenced) {
            Some(prev) => {
                // An interface may only `use` another interface's types.
                if matches!(owner, TypeOwner::Interface(_))
                    && !matches!(self.resolve.ty(prev).owner, TypeOwner::Interface(_))
                {
                    return Err(format!(
                        "cannot represent this component in WIT: type `{name}` refers to a \
                         type that isn't defined in an interface"
                    ));
                }
                TypeDefKind::Type(Type::Id(prev))
            }
            None => match self.types.node(referenced) {
                Node::Defined(d) => self.convert_defined(d)?,
                Node::Resource => TypeDefKind::Resource,
                _ => return Err(format!("type export `{name}` is not a value type")),
            },
        };
        let ty = self.resolve.push_type(TypeDef {
            name: Some(name.to_string()),
            kind,
            owner,
            docs: no_docs(),
            stability: Stability::Unknown,
            external_id: item.external_id.clone(),
        });
        if self.resolve.ty(ty).kind == TypeDefKind::Resource {
            self.resources
                .entry(owner)
                .or_default()
                .insert(name.to_string(), ty);
        }
        if self.type_map.insert(created, ty).is_some() {
            return Err(format!(
                "cannot represent this component in WIT: the type `{name}` appears more than once"
            ));
        }
        Ok(ty)
    }

    fn register_world(&mut self, name: &str, k: Key, fields: &mut Fields) -> Result<WorldId, Msg> {
        let wname = iface_name(name)
            .ok_or("expected world name to have an ID form")?
            .interface
            .to_string();
        let types: &'a Types = self.types;
        let Node::Component { imports, exports } = types.node(k) else {
            return Err("a world must be a component type".into());
        };
        let world = WorldId(self.resolve.worlds.len() as u32);
        // The world's slot is taken after its items, as wit-component does,
        // but its id is known now (types it defines are owned by it).
        let owner = TypeOwner::World(world);
        let mut w = World {
            name: wname.clone(),
            imports: IndexMap::new(),
            exports: IndexMap::new(),
            package: None,
            docs: no_docs(),
            stability: Stability::Unknown,
        };
        for (name, item) in imports {
            let (key, it) = match item.ty {
                Entity::Instance(_) => self.world_instance(name, item, fields)?,
                Entity::Type { .. } => (
                    WorldKey::Name(name.clone()),
                    WorldItem::Type(self.register_type_export(name, item, owner)?),
                ),
                Entity::Func(f) => (
                    WorldKey::Name(name.clone()),
                    WorldItem::Function(self.convert_function(name, item, f, owner)?),
                ),
                _ => {
                    return Err(format!(
                        "component import `{name}` is not an instance, func, or type"
                    ))
                }
            };
            w.imports.insert(key, it);
        }
        for (name, item) in exports {
            let (key, it) = match item.ty {
                Entity::Instance(_) => self.world_instance(name, item, fields)?,
                Entity::Func(f) => (
                    WorldKey::Name(name.clone()),
                    WorldItem::Function(self.convert_function(name, item, f, owner)?),
                ),
                _ => {
                    return Err(format!(
                        "component export `{name}` is not an instance or function"
                    ))
                }
            };
            w.exports.insert(key, it);
        }
        if self.resolve.worlds.len() as u32 != world.0 {
            return Err("nested worlds are not supported".into());
        }
        let id = self.resolve.push_world(w);
        fields.worlds.insert(wname, id);
        Ok(id)
    }

    fn convert_function(
        &mut self,
        name: &str,
        item: &Item,
        k: Key,
        owner: TypeOwner,
    ) -> Result<Function, Msg> {
        let types: &'a Types = self.types;
        let Node::Func(f) = types.node(k) else {
            return Err(format!("`{name}` is not a function type"));
        };
        let params = f
            .params
            .iter()
            .map(|(n, t)| Ok((n.clone(), self.convert_valtype(*t)?)))
            .collect::<Result<Vec<_>, Msg>>()
            .map_err(|e| format!("failed to convert params: {e}"))?;
        let result = f.result.map(|t| self.convert_valtype(t)).transpose()?;
        let kind = self.function_kind(name, f.is_async, owner)?;
        Ok(Function {
            name: name.to_string(),
            kind,
            params,
            result,
            docs: no_docs(),
            stability: Stability::Unknown,
            external_id: item.external_id.clone(),
        })
    }

    /// The kind a function's name gives it (`[method]r.m`, `[get]p`, …).
    fn function_kind(
        &self,
        name: &str,
        is_async: bool,
        owner: TypeOwner,
    ) -> Result<FunctionKind, Msg> {
        let lookup = |rest: &str| -> Result<TypeId, Msg> {
            let r = rest.split_once('.').map_or(rest, |(r, _)| r);
            self.resources
                .get(&owner)
                .and_then(|m| m.get(r))
                .copied()
                .ok_or_else(|| format!("unknown resource `{r}` in `{name}`"))
        };
        let (func, rest) = if let Some(r) = name.strip_prefix("[constructor]") {
            ("constructor", r)
        } else if let Some(r) = name.strip_prefix("[method]") {
            ("method", r)
        } else if let Some(r) = name.strip_prefix("[static]") {
            ("static", r)
        } else {
            ("", name)
        };
        let (accessor, rest) = if let Some(r) = rest.strip_prefix("[get]") {
            ("get", r)
        } else if let Some(r) = rest.strip_prefix("[set]") {
            ("set", r)
        } else {
            ("", rest)
        };
        Ok(match (func, accessor, is_async) {
            ("", "", false) => FunctionKind::Freestanding,
            ("", "", true) => FunctionKind::AsyncFreestanding,
            ("", "get", _) => FunctionKind::Getter,
            ("", "set", _) => FunctionKind::Setter,
            ("constructor", _, _) => FunctionKind::Constructor(lookup(rest)?),
            ("method", "", false) => FunctionKind::Method(lookup(rest)?),
            ("method", "", true) => FunctionKind::AsyncMethod(lookup(rest)?),
            ("method", "get", _) => FunctionKind::MethodGetter(lookup(rest)?),
            ("method", "set", _) => FunctionKind::MethodSetter(lookup(rest)?),
            ("static", "", false) => FunctionKind::Static(lookup(rest)?),
            ("static", "", true) => FunctionKind::AsyncStatic(lookup(rest)?),
            ("static", "get", _) => FunctionKind::StaticGetter(lookup(rest)?),
            (_, _, _) => FunctionKind::StaticSetter(lookup(rest)?),
        })
    }

    fn convert_valtype(&mut self, v: VRef) -> Result<Type, Msg> {
        let k = match v {
            VRef::Prim(p) => return Ok(prim(p)),
            VRef::Key(k) => k,
        };
        if let Some(id) = self.type_map.get(&k) {
            return Ok(Type::Id(*id));
        }
        let types: &'a Types = self.types;
        let Node::Defined(d) = types.node(k) else {
            return Err("a value type refers to a type that is not a value type".into());
        };
        let kind = self.convert_defined(d)?;
        match &kind {
            TypeDefKind::Resource
            | TypeDefKind::Record(_)
            | TypeDefKind::Enum(_)
            | TypeDefKind::Variant(_)
            | TypeDefKind::Flags(_) => {
                return Err(format!(
                    "unexpected unnamed type of kind '{}'",
                    kind_name(&kind)
                ))
            }
            _ => {}
        }
        let id = self.resolve.push_type(TypeDef {
            name: None,
            kind,
            owner: TypeOwner::None,
            docs: no_docs(),
            stability: Stability::Unknown,
            external_id: None,
        });
        self.type_map.insert(k, id);
        Ok(Type::Id(id))
    }

    fn convert_defined(&mut self, d: &Def) -> Result<TypeDefKind, Msg> {
        let mut v = |t: VRef| self.convert_valtype(t);
        Ok(match d {
            Def::Prim(p) => TypeDefKind::Type(prim(*p)),
            Def::List(t) => TypeDefKind::List(v(*t)?),
            Def::Map(a, b) => TypeDefKind::Map(v(*a)?, v(*b)?),
            Def::FixedList(t, n) => TypeDefKind::FixedLengthList(v(*t)?, *n),
            Def::Tuple(ts) => {
                TypeDefKind::Tuple(ts.iter().map(|t| v(*t)).collect::<Result<_, _>>()?)
            }
            Def::Option(t) => TypeDefKind::Option(v(*t)?),
            Def::Result(ok, err) => TypeDefKind::Result {
                ok: ok.map(&mut v).transpose()?,
                err: err.map(&mut v).transpose()?,
            },
            Def::Record(fs) => TypeDefKind::Record(
                fs.iter()
                    .map(|(n, t)| {
                        Ok(Field {
                            name: n.clone(),
                            ty: v(*t).map_err(|e| {
                                format!("failed to convert record field '{n}': {e}")
                            })?,
                            docs: no_docs(),
                        })
                    })
                    .collect::<Result<_, Msg>>()?,
            ),
            Def::Variant(cs) => TypeDefKind::Variant(
                cs.iter()
                    .map(|(n, t)| {
                        Ok(Case {
                            name: n.clone(),
                            ty: t.map(&mut v).transpose()?,
                            docs: no_docs(),
                        })
                    })
                    .collect::<Result<_, Msg>>()?,
            ),
            Def::Flags(f) => TypeDefKind::Flags(
                f.iter()
                    .map(|n| Flag {
                        name: n.clone(),
                        docs: no_docs(),
                    })
                    .collect(),
            ),
            Def::Enum(e) => TypeDefKind::Enum(
                e.iter()
                    .map(|n| EnumCase {
                        name: n.clone(),
                        docs: no_docs(),
                    })
                    .collect(),
            ),
            Def::Own(k) => TypeDefKind::Handle(Handle::Own(self.handle_target(*k)?)),
            Def::Borrow(k) => TypeDefKind::Handle(Handle::Borrow(self.handle_target(*k)?)),
            Def::Future(t) => TypeDefKind::Future(t.map(&mut v).transpose()?),
            Def::Stream(t) => TypeDefKind::Stream(t.map(&mut v).transpose()?),
        })
    }

    fn handle_target(&self, k: Key) -> Result<TypeId, Msg> {
        self.type_map
            .get(&k)
            .copied()
            .ok_or_else(|| "a handle refers to a resource with no name".to_string())
    }
}

/// The kind's name in messages (wit-parser's `TypeDefKind::as_str`).
fn kind_name(k: &TypeDefKind) -> &'static str {
    match k {
        TypeDefKind::Record(_) => "record",
        TypeDefKind::Resource => "resource",
        TypeDefKind::Flags(_) => "flags",
        TypeDefKind::Variant(_) => "variant",
        TypeDefKind::Enum(_) => "enum",
        _ => "type",
    }
}

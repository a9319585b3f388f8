//! WIT types into a component or instance type's declarations, in
//! wit-component's order: a type's parts before it, each anonymous type
//! once per scope, named types exported with `(eq i)`, resources as
//! `(sub resource)`, and types of other interfaces aliased in from the
//! instance that imports them.

use crate::model::*;
use std::collections::HashMap;
use wtool_component::ast::{
    self, Alias, ComponentDecl, DefinedType, ExternName, ExternType, FuncType, InstanceDecl,
    PrimValType, Sort, TypeBound, ValType,
};

/// Why a model could not be encoded.
pub type Msg = String;

/// A function signature: async, parameters, result.
type FuncKey = (bool, Vec<(String, Type)>, Option<Type>);

/// Per scope: what has been defined already.
#[derive(Default, Clone)]
pub(crate) struct Maps {
    pub(crate) id_to_index: HashMap<TypeId, u32>,
    /// Anonymous types by structure (few per scope, so a list).
    pub(crate) def_to_index: Vec<(TypeDefKind, u32)>,
    pub(crate) funcs: HashMap<FuncKey, u32>,
}

/// Encodes interfaces and worlds into a component type (wit-component's
/// `InterfaceEncoder`).
pub(crate) struct Encoder<'a> {
    resolve: &'a Resolve,
    /// The component type's declarations and its type count.
    pub outer: Vec<ComponentDecl>,
    pub outer_types: u32,
    /// The instance type being built, and its type count.
    ty: Option<(Vec<InstanceDecl>, u32)>,
    pub(crate) maps: Maps,
    saved: Option<Maps>,
    pub(crate) import_map: HashMap<InterfaceId, u32>,
    pub(crate) outer_type_map: HashMap<TypeId, u32>,
    pub(crate) instances: u32,
    pub import_types: bool,
    pub interface: Option<InterfaceId>,
    /// `component new`'s lift types: named types stay structural (not
    /// exported from the root), since only the nested shim names them.
    pub(crate) anon_named: bool,
    /// `component new`'s shim component: types of other interfaces are
    /// rebuilt here and imported by a made-up name instead of aliased.
    pub(crate) local_foreign: bool,
    /// The shim's type imports so far: (import name, type index).
    pub(crate) shim_imports: Option<Vec<(String, u32)>>,
}

fn prim(t: Type) -> Option<PrimValType> {
    Some(match t {
        Type::Bool => PrimValType::Bool,
        Type::U8 => PrimValType::U8,
        Type::U16 => PrimValType::U16,
        Type::U32 => PrimValType::U32,
        Type::U64 => PrimValType::U64,
        Type::S8 => PrimValType::S8,
        Type::S16 => PrimValType::S16,
        Type::S32 => PrimValType::S32,
        Type::S64 => PrimValType::S64,
        Type::F32 => PrimValType::F32,
        Type::F64 => PrimValType::F64,
        Type::Char => PrimValType::Char,
        Type::String => PrimValType::String,
        Type::ErrorContext => PrimValType::ErrorContext,
        Type::Id(_) => return None,
    })
}

/// An import/export name with wit-component's attributes (`implements`,
/// `versionsuffix`, then `external-id`; the binary form 0x02 only when
/// there are some).
pub(crate) fn ext_name(
    name: &str,
    implements: Option<String>,
    external_id: Option<&str>,
) -> ExternName {
    ext_name_suffixed(name, implements, None, external_id)
}

/// [`ext_name`] with a `versionsuffix` attribute.
pub(crate) fn ext_name_suffixed(
    name: &str,
    implements: Option<String>,
    version_suffix: Option<String>,
    external_id: Option<&str>,
) -> ExternName {
    let mut n = ExternName::plain(name);
    if let Some(i) = implements {
        n.attrs.push(ast::NameAttr::Implements(i));
    }
    if let Some(v) = version_suffix {
        n.attrs.push(ast::NameAttr::VersionSuffix(v));
    }
    if let Some(e) = external_id {
        n.attrs.push(ast::NameAttr::ExternalId(e.to_string()));
    }
    if !n.attrs.is_empty() {
        n.form = 2;
    }
    n
}

impl<'a> Encoder<'a> {
    /// An empty component type.
    pub fn new(resolve: &'a Resolve) -> Self {
        Encoder {
            resolve,
            outer: Vec::new(),
            outer_types: 0,
            ty: None,
            maps: Maps::default(),
            saved: None,
            import_map: HashMap::new(),
            outer_type_map: HashMap::new(),
            instances: 0,
            import_types: false,
            interface: None,
            anon_named: false,
            local_foreign: false,
            shim_imports: None,
        }
    }

    /// Adds a type definition to the current scope; returns its index.
    pub(crate) fn define(&mut self, t: ast::Type) -> u32 {
        match &mut self.ty {
            Some((decls, n)) => {
                decls.push(InstanceDecl::Type(t));
                *n += 1;
                *n - 1
            }
            None => {
                self.outer
                    .push(ComponentDecl::Instance(InstanceDecl::Type(t)));
                self.outer_types += 1;
                self.outer_types - 1
            }
        }
    }

    fn defined(&mut self, d: DefinedType) -> ValType {
        ValType::Idx(self.define(ast::Type::Defined(d)))
    }

    /// Imports (or, in an instance, exports) a type name bound to `ty`.
    fn declare_type(&mut self, name: &str, external_id: Option<&str>, bound: TypeBound) -> u32 {
        let ty = ExternType::Type(bound);
        let mut name = ext_name(name, None, external_id);
        if let (Some(list), None) = (&mut self.shim_imports, &self.ty) {
            // Shim imports need distinct kebab names; the words never clash.
            name = ExternName::plain(format!("import-type-t{}", list.len()));
            list.push((name.name.clone(), self.outer_types));
        }
        match &mut self.ty {
            Some((decls, n)) => {
                decls.push(InstanceDecl::Export { name, ty });
                *n += 1;
                *n - 1
            }
            None => {
                self.outer.push(if self.import_types {
                    ComponentDecl::Import(ast::Import { name, ty })
                } else {
                    ComponentDecl::Instance(InstanceDecl::Export { name, ty })
                });
                self.outer_types += 1;
                self.outer_types - 1
            }
        }
    }

    /// Starts an instance type, with fresh per-scope maps.
    pub fn push_instance(&mut self) {
        self.saved = Some(std::mem::take(&mut self.maps));
        self.ty = Some((Vec::new(), 0));
    }

    /// Ends the instance type and returns its declarations.
    pub fn pop_instance(&mut self) -> Vec<InstanceDecl> {
        self.maps = self.saved.take().expect("an instance was pushed");
        self.ty.take().expect("an instance was pushed").0
    }

    /// Defines the instance type `decls` in the outer scope; returns its index
    /// and records it as the next instance for `iface`'s types.
    pub fn add_instance_type(&mut self, iface: InterfaceId, decls: Vec<InstanceDecl>) -> u32 {
        let idx = self.outer_types;
        self.outer.push(ComponentDecl::Instance(InstanceDecl::Type(
            ast::Type::Instance(decls),
        )));
        self.outer_types += 1;
        self.import_map.insert(iface, self.instances);
        self.instances += 1;
        idx
    }

    /// An interface as an instance type: its types, then its functions
    /// (resource functions first, in their resources' order).
    pub fn encode_instance(&mut self, iface: InterfaceId) -> Result<u32, Msg> {
        self.push_instance();
        let i = self.resolve.interface(iface);
        let mut order = Vec::new();
        for id in i.types.values() {
            self.encode_valtype(Type::Id(*id))?;
            order.push(*id);
        }
        let mut funcs: Vec<(&String, &Function)> = i.functions.iter().collect();
        funcs.sort_by_key(|(_, f)| match f.kind.resource() {
            Some(r) => order.iter().position(|x| *x == r).unwrap_or(order.len()),
            None => order.len(),
        });
        for (name, f) in funcs {
            let ty = self.encode_func_type(f)?;
            let (decls, _) = self.ty.as_mut().expect("pushed above");
            decls.push(InstanceDecl::Export {
                name: ext_name(name, None, f.external_id.as_deref()),
                ty: ExternType::Func(ty),
            });
        }
        let decls = self.pop_instance();
        Ok(self.add_instance_type(iface, decls))
    }

    /// Part of an interface as an instance type (what a component imports
    /// of it): `types` in order, then `funcs`; `None` when both are empty.
    pub(crate) fn encode_instance_parts(
        &mut self,
        iface: InterfaceId,
        types: &[TypeId],
        funcs: &[&Function],
    ) -> Result<Option<u32>, Msg> {
        if types.is_empty() && funcs.is_empty() {
            return Ok(None);
        }
        self.push_instance();
        for id in types {
            self.encode_valtype(Type::Id(*id))?;
        }
        for f in funcs {
            let ty = self.encode_func_type(f)?;
            let (decls, _) = self.ty.as_mut().expect("pushed above");
            decls.push(InstanceDecl::Export {
                name: ext_name(&f.name, None, f.external_id.as_deref()),
                ty: ExternType::Func(ty),
            });
        }
        let decls = self.pop_instance();
        Ok(Some(self.add_instance_type(iface, decls)))
    }

    /// A function's type, shared with an identical signature in this scope.
    pub fn encode_func_type(&mut self, f: &Function) -> Result<u32, Msg> {
        let key = (f.kind.is_async(), f.params.clone(), f.result);
        if let Some(i) = self.maps.funcs.get(&key) {
            return Ok(*i);
        }
        let params = f
            .params
            .iter()
            .map(|(n, t)| Ok((n.clone(), self.encode_valtype(*t)?)))
            .collect::<Result<Vec<_>, Msg>>()?;
        let result = f.result.map(|t| self.encode_valtype(t)).transpose()?;
        let idx = self.define(ast::Type::Func(FuncType {
            is_async: key.0,
            params,
            result,
        }));
        self.maps.funcs.insert(key, idx);
        Ok(idx)
    }

    fn lookup(&self, id: TypeId) -> Option<u32> {
        if let Some(i) = self.maps.id_to_index.get(&id) {
            return Some(*i);
        }
        let ty = self.resolve.ty(id);
        if ty.name.is_none() {
            return self
                .maps
                .def_to_index
                .iter()
                .find(|(k, _)| *k == ty.kind)
                .map(|(_, i)| *i);
        }
        None
    }

    fn insert(&mut self, id: TypeId, index: u32) {
        self.maps.id_to_index.insert(id, index);
        let ty = self.resolve.ty(id);
        if ty.name.is_none() {
            self.maps.def_to_index.push((ty.kind.clone(), index));
        }
    }

    fn opt(&mut self, t: Option<Type>) -> Result<Option<ValType>, Msg> {
        t.map(|t| self.encode_valtype(t)).transpose()
    }

    fn handle_target(&mut self, r: TypeId) -> Result<u32, Msg> {
        match self.encode_valtype(Type::Id(r))? {
            ValType::Idx(i) => Ok(i),
            ValType::Prim(_) => Err("a handle must refer to a resource".into()),
        }
    }

    /// Encodes `t` (and what it needs) into the current scope.
    pub fn encode_valtype(&mut self, t: Type) -> Result<ValType, Msg> {
        let id = match t {
            Type::Id(id) => id,
            p => return Ok(ValType::Prim(prim(p).expect("not an id"))),
        };
        if let Some(i) = self.lookup(id) {
            return Ok(ValType::Idx(i));
        }
        let resolve = self.resolve;
        let ty = resolve.ty(id);
        if let TypeOwner::Interface(owner) = ty.owner {
            if Some(owner) != self.interface && self.local_foreign {
                let saved = self.interface.replace(owner);
                let r = self.encode_valtype(t);
                self.interface = saved;
                return r;
            }
            if Some(owner) != self.interface {
                let i = self.import_type(owner, id)?;
                self.insert(id, i);
                return Ok(ValType::Idx(i));
            }
        }
        let mut encoded = match &ty.kind {
            TypeDefKind::Record(fs) => {
                let fields = fs
                    .iter()
                    .map(|f| Ok((f.name.clone(), self.encode_valtype(f.ty)?)))
                    .collect::<Result<Vec<_>, Msg>>()?;
                self.defined(DefinedType::Record(fields))
            }
            TypeDefKind::Tuple(ts) => {
                let ts = ts
                    .iter()
                    .map(|t| self.encode_valtype(*t))
                    .collect::<Result<Vec<_>, Msg>>()?;
                self.defined(DefinedType::Tuple(ts))
            }
            TypeDefKind::Flags(f) => self.defined(DefinedType::Flags(
                f.iter().map(|f| f.name.clone()).collect(),
            )),
            TypeDefKind::Variant(cs) => {
                let cases = cs
                    .iter()
                    .map(|c| {
                        Ok(ast::Case {
                            name: c.name.clone(),
                            ty: self.opt(c.ty)?,
                        })
                    })
                    .collect::<Result<Vec<_>, Msg>>()?;
                self.defined(DefinedType::Variant(cases))
            }
            TypeDefKind::Option(t) => {
                let t = self.encode_valtype(*t)?;
                self.defined(DefinedType::Option(t))
            }
            TypeDefKind::Result { ok, err } => {
                let ok = self.opt(*ok)?;
                let err = self.opt(*err)?;
                self.defined(DefinedType::Result { ok, err })
            }
            TypeDefKind::Enum(cs) => self.defined(DefinedType::Enum(
                cs.iter().map(|c| c.name.clone()).collect(),
            )),
            TypeDefKind::List(t) => {
                let t = self.encode_valtype(*t)?;
                self.defined(DefinedType::List(t))
            }
            TypeDefKind::Map(k, v) => {
                let k = self.encode_valtype(*k)?;
                let v = self.encode_valtype(*v)?;
                self.defined(DefinedType::Map(k, v))
            }
            TypeDefKind::FixedLengthList(t, n) => {
                let t = self.encode_valtype(*t)?;
                self.defined(DefinedType::FixedList(t, *n))
            }
            TypeDefKind::Type(t) => self.encode_valtype(*t)?,
            TypeDefKind::Future(t) => {
                let t = self.opt(*t)?;
                self.defined(DefinedType::Future(t))
            }
            TypeDefKind::Stream(t) => {
                let t = self.opt(*t)?;
                self.defined(DefinedType::Stream(t))
            }
            TypeDefKind::Resource => {
                let name = ty.name.as_deref().ok_or("resources must be named")?;
                let i = self.declare_type(name, ty.external_id.as_deref(), TypeBound::SubResource);
                self.maps.id_to_index.insert(id, i);
                return Ok(ValType::Idx(i));
            }
            TypeDefKind::Handle(Handle::Own(r)) => {
                let r = self.handle_target(*r)?;
                self.defined(DefinedType::Own(r))
            }
            TypeDefKind::Handle(Handle::Borrow(r)) => {
                let r = self.handle_target(*r)?;
                self.defined(DefinedType::Borrow(r))
            }
        };
        if ty.name.is_some() && self.anon_named {
            // Structural only: the lift's type is checked by structure.
        } else if let Some(name) = &ty.name {
            let index = match encoded {
                ValType::Idx(i) => i,
                // A named primitive needs a type of its own to export.
                ValType::Prim(p) => self.define(ast::Type::Defined(DefinedType::Prim(p))),
            };
            encoded = ValType::Idx(self.declare_type(
                name,
                ty.external_id.as_deref(),
                TypeBound::Eq(index),
            ));
        }
        if let ValType::Idx(i) = encoded {
            self.insert(id, i);
        }
        Ok(encoded)
    }

    /// Aliases type `id` of interface `owner` from the instance importing it.
    fn import_type(&mut self, owner: InterfaceId, id: TypeId) -> Result<u32, Msg> {
        let resolve = self.resolve;
        let ty = resolve.ty(id);
        let Some(&instance) = self.import_map.get(&owner) else {
            let name = ty.name.as_deref().unwrap_or_default();
            let dep = resolve.id_of(owner).unwrap_or_default();
            return Err(match self.interface.and_then(|i| resolve.id_of(i)) {
                Some(user) => format!(
                    "interface `{user}` uses type `{name}` from interface `{dep}`, which the \
                     world doesn't import before `{user}`"
                ),
                None => format!(
                    "type `{name}` from interface `{dep}` is used before the world imports `{dep}`"
                ),
            });
        };
        let outer_idx = match self.outer_type_map.get(&id) {
            Some(i) => *i,
            None => {
                let i = self.outer_types;
                self.outer.push(ComponentDecl::Instance(InstanceDecl::Alias(
                    Alias::InstanceExport {
                        sort: Sort::Type,
                        instance,
                        name: ty.name.clone().unwrap_or_default(),
                    },
                )));
                self.outer_types += 1;
                self.outer_type_map.insert(id, i);
                i
            }
        };
        match &mut self.ty {
            Some((decls, n)) => {
                decls.push(InstanceDecl::Alias(Alias::Outer {
                    sort: Sort::Type,
                    count: 1,
                    index: outer_idx,
                }));
                *n += 1;
                Ok(*n - 1)
            }
            None => Ok(outer_idx),
        }
    }
}

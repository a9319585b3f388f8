//! Type definitions: core types and module types, defined value types,
//! function types, component and instance types, resources; and the
//! module type a core module has.

use super::names::{check_label, LabelSet};
use super::types::*;
use super::{at, Msg, Scope, ScopeKind, Validator};
use crate::ast::{
    ComponentDecl, CoreRec, CoreType, DefinedType, ExternType, FuncType, InstanceDecl, ModuleDecl,
    Type, TypeBound, ValType,
};
use wtool_ast::{CompositeType, ExternKind, Features, ImportDesc, Module};

impl Validator<'_> {
    /// A core type definition: its types join the core type space.
    pub(crate) fn core_type(&mut self, t: &CoreType) -> Result<(), Msg> {
        match t {
            CoreType::Rec(r) => {
                for id in self.core_rec(r)? {
                    self.cur().core_types.push(id);
                }
            }
            CoreType::Module(decls) => {
                let m = self.module_type(decls)?;
                let id = self.types.push(Ty::CoreModule(m));
                self.cur().core_types.push(id);
            }
        }
        Ok(())
    }

    /// The arena ids of a recursion group's types.
    fn core_rec(&mut self, r: &CoreRec) -> Result<Vec<TypeId>, Msg> {
        let mut out = Vec::new();
        for t in &r.types {
            let ty = match &t.composite {
                CompositeType::Func(f) if t.sub.is_none() => Ty::CoreFunc(f.clone()),
                _ => {
                    if !self.features.contains(wtool_ast::Features::GC) {
                        return Err("gc proposal must be enabled to use gc types".into());
                    }
                    match &t.composite {
                        CompositeType::Func(f) => Ty::CoreFunc(f.clone()),
                        _ => Ty::CoreOther(Box::new(t.clone())),
                    }
                }
            };
            out.push(self.types.push(ty));
        }
        Ok(out)
    }

    /// A core module type from its declarations, validated in a fresh type
    /// space (outer aliases may reach the enclosing component's core types).
    fn module_type(&mut self, decls: &[ModuleDecl]) -> Result<ModuleTy, Msg> {
        let mut space: Vec<TypeId> = Vec::new();
        let mut m = ModuleTy::default();
        for d in decls {
            match d {
                ModuleDecl::Type(r) => {
                    let ids = self.core_rec(r)?;
                    space.extend(ids);
                }
                ModuleDecl::OuterAlias { count, index } => {
                    // Count 0 is the module type's own type space, 1 the
                    // enclosing component (or type), and so on outward.
                    let id = if *count == 0 {
                        at(&space, *index, "type")?
                    } else {
                        let depth = self.scopes.len() as u32;
                        if *count > depth {
                            return Err(format!("invalid outer alias count of {count}"));
                        }
                        let scope = &self.scopes[(depth - *count) as usize];
                        at(&scope.core_types, *index, "type")?
                    };
                    if matches!(self.types.get(id), Ty::CoreModule(_)) {
                        return Err("not implemented: aliasing core module types into a core module's types index space".into());
                    }
                    space.push(id);
                }
                ModuleDecl::Import(i) => {
                    let e = self.core_entity(&space, &i.desc)?;
                    check_core_entity(&e)?;
                    if m.imports.iter().any(|x| x.0 == i.module && x.1 == i.name) {
                        return Err(format!(
                            "duplicate import name `{}:{}` already defined",
                            i.module, i.name
                        ));
                    }
                    m.imports.push((i.module.clone(), i.name.clone(), e));
                }
                ModuleDecl::Export { name, desc, .. } => {
                    let e = self.core_entity(&space, desc)?;
                    check_core_entity(&e)?;
                    if m.exports.iter().any(|x| x.0 == *name) {
                        return Err(format!("duplicate export name `{name}` already defined"));
                    }
                    m.exports.push((name.clone(), e));
                }
            }
        }
        Ok(m)
    }

    /// A core extern type whose type indices refer to `space`.
    fn core_entity(&self, space: &[TypeId], d: &ImportDesc) -> Result<CoreEntity, Msg> {
        Ok(match *d {
            ImportDesc::Func(t) => {
                let id = at(space, t, "type")?;
                if !matches!(self.types.get(id), Ty::CoreFunc(_)) {
                    return Err(format!("type index {t} is not a function type"));
                }
                CoreEntity::Func(id)
            }
            ImportDesc::Tag(t) => CoreEntity::Tag(at(space, t, "type")?),
            ImportDesc::Table(t) => CoreEntity::Table(t),
            ImportDesc::Memory(m) => CoreEntity::Memory(m),
            ImportDesc::Global(g) => CoreEntity::Global(g),
        })
    }

    /// The module type of a validated core module. Its two-level import
    /// names must be unique (they are mangled to one level).
    pub(crate) fn module_type_of(&mut self, m: &Module) -> Result<TypeId, Msg> {
        let mut seen = std::collections::HashSet::new();
        for i in &m.imports {
            if !seen.insert((i.module.as_str(), i.name.as_str())) {
                return Err(format!("duplicate import name `{}:{}`", i.module, i.name));
            }
        }
        let mut ids: Vec<TypeId> = Vec::with_capacity(m.types.len());
        for t in &m.types {
            let ty = match &t.composite {
                CompositeType::Func(f) => Ty::CoreFunc(f.clone()),
                _ => Ty::CoreOther(Box::new(t.clone())),
            };
            ids.push(self.types.push(ty));
        }
        let ty_of = |i: u32| ids.get(i as usize).copied().unwrap_or(0);
        let mut mt = ModuleTy::default();
        let (mut funcs, mut tables, mut mems, mut globals, mut tags) =
            (vec![], vec![], vec![], vec![], vec![]);
        for i in &m.imports {
            let e = match i.desc {
                ImportDesc::Func(t) => CoreEntity::Func(ty_of(t)),
                ImportDesc::Tag(t) => CoreEntity::Tag(ty_of(t)),
                ImportDesc::Table(t) => CoreEntity::Table(t),
                ImportDesc::Memory(x) => CoreEntity::Memory(x),
                ImportDesc::Global(g) => CoreEntity::Global(g),
            };
            match e {
                CoreEntity::Func(_) => funcs.push(e),
                CoreEntity::Table(_) => tables.push(e),
                CoreEntity::Memory(_) => mems.push(e),
                CoreEntity::Global(_) => globals.push(e),
                CoreEntity::Tag(_) => tags.push(e),
            }
            mt.imports.push((i.module.clone(), i.name.clone(), e));
        }
        funcs.extend(m.funcs.iter().map(|f| CoreEntity::Func(ty_of(f.type_idx))));
        tables.extend(m.tables.iter().map(|t| CoreEntity::Table(t.ty)));
        mems.extend(m.memories.iter().map(|x| CoreEntity::Memory(*x)));
        globals.extend(m.globals.iter().map(|g| CoreEntity::Global(g.ty)));
        tags.extend(m.tags.iter().map(|t| CoreEntity::Tag(ty_of(t.type_idx))));
        for e in &m.exports {
            let space = match e.kind {
                ExternKind::Func => &funcs,
                ExternKind::Table => &tables,
                ExternKind::Memory => &mems,
                ExternKind::Global => &globals,
                ExternKind::Tag => &tags,
            };
            if let Some(x) = space.get(e.index as usize) {
                mt.exports.push((e.name.clone(), *x));
            }
        }
        Ok(self.types.push(Ty::CoreModule(mt)))
    }

    /// A component type definition: its type joins the type space.
    pub(crate) fn ty(&mut self, t: &Type) -> Result<(), Msg> {
        let id = self.create_type(t)?;
        self.types.limits(id)?;
        self.cur().types.push(id);
        Ok(())
    }

    fn create_type(&mut self, t: &Type) -> Result<TypeId, Msg> {
        Ok(match t {
            Type::Defined(d) => {
                let d = self.defined(d)?;
                let id = self.types.push(Ty::Defined(d));
                self.check_value_size(id)?;
                id
            }
            Type::Func(f) => {
                let f = self.func_type(f)?;
                self.types.push(Ty::Func(f))
            }
            Type::Resource { rep, dtor } => {
                if self.cur_ref().kind != ScopeKind::Component {
                    return Err("resources can only be defined within a concrete component".into());
                }
                if *rep == wtool_ast::ValType::I64 {
                    self.require(
                        wtool_ast::Features::CM64,
                        "resources with `i64` require the `cm64` feature to be enabled",
                    )?;
                }
                // `i64` passed the gate above; resource.new/rep then use it.
                if !matches!(rep, wtool_ast::ValType::I32 | wtool_ast::ValType::I64) {
                    return Err("resources can only be represented by `i32`".into());
                }
                if let Some(f) = dtor {
                    let ft = at(&self.cur_ref().core_funcs, *f, "function")?;
                    let want = wtool_ast::FuncType {
                        params: vec![*rep].into(),
                        results: Vec::new().into(),
                    };
                    if *self.types.get(ft) != Ty::CoreFunc(want) {
                        return Err("wrong signature for a destructor".into());
                    }
                }
                let (r, id) = self.types.fresh_resource();
                self.cur().defined_resources.push((r, Some(*rep)));
                id
            }
            Type::Component(decls) => {
                self.scopes.push(Scope::new(ScopeKind::ComponentType));
                let r = decls.iter().try_for_each(|d| self.component_decl(d));
                let scope = self.scopes.pop().expect("pushed above");
                r?;
                let c = ComponentTy {
                    imports: scope.imports,
                    exports: scope.exports,
                    imported_resources: scope.imported_resources,
                    defined_resources: scope.defined_resources.iter().map(|r| r.0).collect(),
                };
                self.types.push(Ty::Component(c))
            }
            Type::Instance(decls) => {
                self.scopes.push(Scope::new(ScopeKind::InstanceType));
                let r = decls.iter().try_for_each(|d| self.instance_decl(d));
                let scope = self.scopes.pop().expect("pushed above");
                r?;
                let i = InstanceTy {
                    exports: scope.exports,
                    defined_resources: scope.defined_resources.iter().map(|r| r.0).collect(),
                };
                self.types.push(Ty::Instance(i))
            }
        })
    }

    fn component_decl(&mut self, d: &ComponentDecl) -> Result<(), Msg> {
        match d {
            ComponentDecl::Import(i) => self.import(i),
            ComponentDecl::Instance(d) => self.instance_decl(d),
        }
    }

    fn instance_decl(&mut self, d: &InstanceDecl) -> Result<(), Msg> {
        match d {
            InstanceDecl::CoreType(t) => self.core_type(t),
            InstanceDecl::Type(t) => self.ty(t),
            InstanceDecl::Alias(a) => {
                use crate::ast::{Alias, CoreSort, Sort};
                let ok = match a {
                    Alias::InstanceExport { sort, .. } => {
                        matches!(sort, Sort::Instance | Sort::Type)
                    }
                    Alias::Outer { sort, .. } => {
                        matches!(sort, Sort::Type | Sort::Core(CoreSort::Type))
                    }
                    Alias::CoreInstanceExport { .. } => false,
                };
                if !ok {
                    return Err("aliases in a component or instance type may only refer to types or instances".into());
                }
                self.alias(a)
            }
            InstanceDecl::Export { name, ty } => {
                let e = self.extern_type(ty, false)?;
                self.add_export(name, e)
            }
        }
    }

    /// The extern type an `externtype` describes. `import` says whether a
    /// fresh resource is imported (else exported/defined).
    pub(crate) fn extern_type(&mut self, t: &ExternType, import: bool) -> Result<Entity, Msg> {
        let s = self.cur_ref();
        Ok(match *t {
            ExternType::Module(i) => {
                let id = at(&s.core_types, i, "core type")?;
                if !matches!(self.types.get(id), Ty::CoreModule(_)) {
                    return Err(format!("core type index {i} is not a module type"));
                }
                Entity::Module(id)
            }
            ExternType::Func(i) => {
                let id = at(&s.types, i, "type")?;
                if !matches!(self.types.get(id), Ty::Func(_)) {
                    return Err(format!("type index {i} is not a function type"));
                }
                Entity::Func(id)
            }
            ExternType::Value(v) => {
                self.values_on()?;
                Entity::Value(self.val(v)?)
            }
            ExternType::Type(TypeBound::Eq(i)) => {
                let referenced = at(&s.types, i, "type")?;
                let created = self.types.unique(referenced);
                Entity::Type {
                    referenced,
                    created,
                }
            }
            ExternType::Type(TypeBound::SubResource) => {
                let (r, id) = self.types.fresh_resource();
                if import {
                    self.cur().imported_resources.push(r);
                } else {
                    self.cur().defined_resources.push((r, None));
                }
                Entity::Type {
                    referenced: id,
                    created: id,
                }
            }
            ExternType::Instance(i) => {
                let id = at(&s.types, i, "type")?;
                if !matches!(self.types.get(id), Ty::Instance(_)) {
                    return Err(format!("type index {i} is not an instance type"));
                }
                Entity::Instance(id)
            }
            ExternType::Component(i) => {
                let id = at(&s.types, i, "type")?;
                if !matches!(self.types.get(id), Ty::Component(_)) {
                    return Err(format!("type index {i} is not a component type"));
                }
                Entity::Component(id)
            }
        })
    }

    /// A value type, checked.
    pub(crate) fn val(&self, t: ValType) -> Result<ValTy, Msg> {
        Ok(match t {
            ValType::Prim(p) => {
                self.prim(p)?;
                ValTy::Prim(p)
            }
            ValType::Idx(i) => {
                let id = at(&self.cur_ref().types, i, "type")?;
                if !matches!(self.types.get(id), Ty::Defined(_)) {
                    return Err(format!("type index {i} is not a defined type"));
                }
                ValTy::Id(id)
            }
        })
    }

    /// A primitive type, refused if its proposal is off.
    fn prim(&self, p: crate::ast::PrimValType) -> Result<(), Msg> {
        if p == crate::ast::PrimValType::ErrorContext {
            self.needs(Features::CM_ERROR_CONTEXT, "`error-context`")?;
        }
        Ok(())
    }

    /// Refuses a value (definition, import, export or use) unless values
    /// are on.
    pub(crate) fn values_on(&self) -> Result<(), Msg> {
        self.require(
            Features::CM_VALUES,
            "support for component model `value`s is not enabled",
        )
    }

    fn resource_ref(&self, i: u32) -> Result<TypeId, Msg> {
        let id = at(&self.cur_ref().types, i, "type")?;
        match self.types.get(id) {
            Ty::Resource(_) => Ok(id),
            _ => Err(format!("type index {i} is not a resource type")),
        }
    }

    fn defined(&self, d: &DefinedType) -> Result<Defined, Msg> {
        let non_empty = |n: usize, what: &str| {
            if n == 0 {
                Err(format!(
                    "{what} type must have at least one {}",
                    if what == "tuple" {
                        "type"
                    } else if what == "record" {
                        "field"
                    } else if what == "variant" {
                        "case"
                    } else {
                        "variant"
                    }
                ))
            } else {
                Ok(())
            }
        };
        Ok(match d {
            DefinedType::Prim(p) => {
                self.prim(*p)?;
                Defined::Prim(*p)
            }
            DefinedType::Record(fs) => {
                non_empty(fs.len(), "record")?;
                let mut set = LabelSet::new();
                let mut out = Vec::new();
                for (n, t) in fs {
                    check_label("record field", n)?;
                    set.insert(n).map_err(|p| {
                        format!("record field name `{n}` conflicts with previous field name `{p}`")
                    })?;
                    out.push((n.clone(), self.val(*t)?));
                }
                Defined::Record(out)
            }
            DefinedType::Variant(cs) => {
                non_empty(cs.len(), "variant")?;
                let mut set = LabelSet::new();
                let mut out = Vec::new();
                for c in cs {
                    check_label("variant case", &c.name)?;
                    set.insert(&c.name).map_err(|p| {
                        format!(
                            "variant case name `{}` conflicts with previous case name `{p}`",
                            c.name
                        )
                    })?;
                    out.push((c.name.clone(), c.ty.map(|t| self.val(t)).transpose()?));
                }
                Defined::Variant(out)
            }
            DefinedType::List(t) => Defined::List(self.val(*t)?),
            DefinedType::FixedList(t, n) => {
                self.require(
                    Features::CM_FIXED_LENGTH_LISTS,
                    "Fixed-length lists require the component model fixed-length lists feature",
                )?;
                if *n == 0 {
                    return Err("Fixed size lists must have more than zero elements".into());
                }
                Defined::FixedList(self.val(*t)?, *n)
            }
            DefinedType::Map(k, v) => {
                self.require(
                    Features::CM_MAP,
                    "Maps require the component model map feature",
                )?;
                let key = self.val(*k)?;
                let prim = match key {
                    ValTy::Prim(p) => Some(p),
                    ValTy::Id(_) => match self.types.defined(key) {
                        Some(Defined::Prim(p)) => Some(*p),
                        _ => None,
                    },
                };
                use crate::ast::PrimValType as P;
                if matches!(prim, None | Some(P::F32 | P::F64 | P::ErrorContext)) {
                    return Err("invalid map key type".into());
                }
                Defined::Map(key, self.val(*v)?)
            }
            DefinedType::Tuple(ts) => {
                non_empty(ts.len(), "tuple")?;
                Defined::Tuple(ts.iter().map(|t| self.val(*t)).collect::<Result<_, _>>()?)
            }
            DefinedType::Flags(ls) => {
                if ls.is_empty() {
                    return Err("flags must have at least one entry".into());
                }
                if ls.len() > 32 {
                    return Err("cannot have more than 32 flags".into());
                }
                labels("flag", "flag", ls)?;
                Defined::Flags(ls.clone())
            }
            DefinedType::Enum(ls) => {
                non_empty(ls.len(), "enum")?;
                labels("enum tag", "tag", ls)?;
                Defined::Enum(ls.clone())
            }
            DefinedType::Option(t) => Defined::Option(self.val(*t)?),
            DefinedType::Result { ok, err } => Defined::Result(
                ok.map(|t| self.val(t)).transpose()?,
                err.map(|t| self.val(t)).transpose()?,
            ),
            DefinedType::Own(i) => Defined::Own(self.resource_ref(*i)?),
            DefinedType::Borrow(i) => Defined::Borrow(self.resource_ref(*i)?),
            DefinedType::Stream(t) | DefinedType::Future(t) => {
                let stream = matches!(d, DefinedType::Stream(_));
                self.needs(
                    Features::CM_ASYNC,
                    if stream { "`stream`" } else { "`future`" },
                )?;
                let t = t.map(|t| self.val(t)).transpose()?;
                if let Some(t) = t {
                    if self.types.contains_borrow(t) {
                        return Err("cannot use `borrow` in a stream or future".into());
                    }
                }
                if matches!(d, DefinedType::Stream(_)) {
                    if t == Some(ValTy::Prim(crate::ast::PrimValType::Char)) {
                        return Err("`stream<char>` is not valid at this time".into());
                    }
                    Defined::Stream(t)
                } else {
                    Defined::Future(t)
                }
            }
        })
    }

    fn func_type(&self, f: &FuncType) -> Result<FuncTy, Msg> {
        if f.is_async {
            self.require(
                Features::CM_ASYNC,
                "async component functions require the component model async feature",
            )?;
        }
        let mut set = LabelSet::new();
        let mut params = Vec::new();
        for (n, t) in &f.params {
            check_label("function parameter", n)?;
            set.insert(n).map_err(|p| {
                format!(
                    "function parameter name `{n}` conflicts with previous parameter name `{p}`"
                )
            })?;
            params.push((n.clone(), self.val(*t)?));
        }
        let result = f.result.map(|t| self.val(t)).transpose()?;
        if let Some(t) = result {
            if self.types.contains_borrow(t) {
                return Err("function result cannot contain a `borrow` type".into());
            }
        }
        Ok(FuncTy {
            is_async: f.is_async,
            params,
            result,
        })
    }
}

/// Checks flag names or enum tags: kebab case, unique.
fn labels(what: &str, short: &str, ls: &[String]) -> Result<(), Msg> {
    let mut set = LabelSet::new();
    for l in ls {
        check_label(what, l)?;
        set.insert(l)
            .map_err(|p| format!("{what} name `{l}` conflicts with previous {short} name `{p}`"))?;
    }
    Ok(())
}

/// The limits a memory or table type in a module type must respect (core
/// validation does this for modules themselves).
fn check_core_entity(e: &CoreEntity) -> Result<(), Msg> {
    let (limits, max, what) = match e {
        CoreEntity::Memory(m) if !m.index64 => (
            m.limits,
            65536u64,
            "memory size must be at most 65536 pages (4GiB)",
        ),
        CoreEntity::Table(t) if !t.index64 => (
            t.limits,
            u64::from(u32::MAX),
            "table size must be at most 2^32-1",
        ),
        _ => return Ok(()),
    };
    if limits.min > max || limits.max.is_some_and(|x| x > max) {
        return Err(what.into());
    }
    if limits.max.is_some_and(|x| x < limits.min) {
        return Err("size minimum must not be greater than maximum".into());
    }
    Ok(())
}

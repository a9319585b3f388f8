//! Instances, aliases, imports, exports, start and values: the definitions
//! that move items between index spaces, and the rules on what may be
//! imported or exported (every type an import or export mentions must be
//! named by an earlier import or export).

use super::subtype::Remap;
use super::types::*;
use super::{at, Msg, ScopeKind, Validator};
use crate::ast::{
    Alias, CoreInstance, CoreSort, Export, ExternName, Import, Instance, Sort, Start, Value,
};
use std::collections::HashSet;

/// Import or export.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Import,
    Export,
}

impl Dir {
    pub(crate) fn desc(self) -> &'static str {
        match self {
            Dir::Import => "import",
            Dir::Export => "export",
        }
    }
}

fn sort_desc(s: Sort) -> &'static str {
    match s {
        Sort::Core(CoreSort::Module) => "module",
        Sort::Core(_) => "core item",
        Sort::Func => "func",
        Sort::Value => "value",
        Sort::Type => "type",
        Sort::Component => "component",
        Sort::Instance => "instance",
    }
}

impl Validator<'_> {
    pub(crate) fn core_instance(&mut self, i: &CoreInstance) -> Result<(), Msg> {
        let exports = match i {
            CoreInstance::Instantiate { module, args } => {
                let mid = at(&self.cur_ref().core_modules, *module, "module")?;
                let mut given: Vec<(&str, TypeId)> = Vec::new();
                for (n, i) in args {
                    if given.iter().any(|g| g.0 == n) {
                        return Err(format!(
                            "duplicate module instantiation argument named `{n}`"
                        ));
                    }
                    given.push((n, at(&self.cur_ref().core_instances, *i, "instance")?));
                }
                let Ty::CoreModule(mt) = self.types.get(mid).clone() else {
                    return Err(format!("core type index {module} is not a module type"));
                };
                for (m, n, want) in &mt.imports {
                    let Some(&(_, iid)) = given.iter().find(|g| g.0 == m) else {
                        return Err(format!("missing module instantiation argument named `{m}`"));
                    };
                    let Ty::CoreInstance(es) = self.types.get(iid) else {
                        return Err("not a core instance".into());
                    };
                    let Some((_, got)) = es.iter().find(|e| e.0 == *n) else {
                        return Err(format!("module instantiation argument `{m}` does not export an item named `{n}`"));
                    };
                    self.types
                        .core_sub(got, want)
                        .map_err(|e| format!("type mismatch in import `{m}::{n}`: {e}"))?;
                }
                mt.exports
            }
            CoreInstance::FromExports(es) => {
                let mut out: Vec<(String, CoreEntity)> = Vec::new();
                for e in es {
                    if out.iter().any(|o| o.0 == e.name) {
                        return Err(format!("export name `{}` already defined", e.name));
                    }
                    let s = self.cur_ref();
                    let ent = match e.sort {
                        CoreSort::Func => CoreEntity::Func(at(&s.core_funcs, e.index, "function")?),
                        CoreSort::Table => CoreEntity::Table(at(&s.core_tables, e.index, "table")?),
                        CoreSort::Memory => {
                            CoreEntity::Memory(at(&s.core_memories, e.index, "memory")?)
                        }
                        CoreSort::Global => {
                            CoreEntity::Global(at(&s.core_globals, e.index, "global")?)
                        }
                        CoreSort::Tag => CoreEntity::Tag(at(&s.core_tags, e.index, "tag")?),
                        _ => {
                            return Err(
                                "only core items may be exported from a core instance".into()
                            )
                        }
                    };
                    out.push((e.name.clone(), ent));
                }
                out
            }
        };
        let id = self.types.push(Ty::CoreInstance(exports));
        self.cur().core_instances.push(id);
        Ok(())
    }

    /// The extern type of item `index` of `sort` (a value is used by this).
    fn sort_entity(&mut self, sort: Sort, index: u32) -> Result<Entity, Msg> {
        let s = self.cur();
        Ok(match sort {
            Sort::Core(CoreSort::Module) => Entity::Module(at(&s.core_modules, index, "module")?),
            Sort::Core(_) => return Err("only core modules may be referenced here".into()),
            Sort::Func => Entity::Func(at(&s.funcs, index, "function")?),
            Sort::Value => {
                self.values_on()?;
                let s = self.cur();
                let v = s
                    .values
                    .get_mut(index as usize)
                    .ok_or("value index out of bounds")?;
                if v.1 {
                    return Err(format!("value {index} cannot be used more than once"));
                }
                v.1 = true;
                Entity::Value(v.0)
            }
            Sort::Type => {
                let t = at(&s.types, index, "type")?;
                Entity::Type {
                    referenced: t,
                    created: t,
                }
            }
            Sort::Component => Entity::Component(at(&s.components, index, "component")?),
            Sort::Instance => Entity::Instance(at(&s.instances, index, "instance")?),
        })
    }

    pub(crate) fn instance(&mut self, i: &Instance) -> Result<(), Msg> {
        let id = match i {
            Instance::Instantiate { component, args } => {
                let cid = at(&self.cur_ref().components, *component, "component")?;
                // Only exact duplicates conflict here (wasm-tools' rule).
                let mut given: Vec<(String, Entity)> = Vec::new();
                for a in args {
                    if given.iter().any(|g| g.0 == a.name) {
                        return Err(format!(
                            "instantiation argument `{0}` conflicts with previous argument `{0}`",
                            a.name
                        ));
                    }
                    given.push((a.name.clone(), self.sort_entity(a.sort, a.index)?));
                }
                self.instantiate(cid, &given)?
            }
            Instance::FromExports(es) => {
                let mut exports = Vec::new();
                for e in es {
                    exports.push((&e.name, self.sort_entity(e.sort, e.index)?));
                }
                // The synthesized instance type's names follow the same
                // rules as an instance type's exports.
                self.scopes.push(super::Scope::new(ScopeKind::InstanceType));
                let r = exports
                    .iter()
                    .try_for_each(|(n, e)| self.check_extern_name(n, e, Dir::Export, true));
                self.scopes.pop();
                r?;
                let exports = exports
                    .into_iter()
                    .map(|(n, e)| (n.name.clone(), e))
                    .collect();
                self.types.push(Ty::Instance(InstanceTy {
                    exports,
                    defined_resources: Vec::new(),
                }))
            }
        };
        self.cur().instances.push(id);
        Ok(())
    }

    /// Instantiates component type `cid` with named arguments: each import
    /// is matched, resources and types the component imports take the
    /// arguments' identities, resources it defines get fresh ones.
    fn instantiate(&mut self, cid: TypeId, args: &[(String, Entity)]) -> Result<TypeId, Msg> {
        let Ty::Component(ct) = self.types.get(cid).clone() else {
            return Err("not a component".into());
        };
        let abstract_: HashSet<ResourceId> = ct.imported_resources.iter().copied().collect();
        let mut m = Remap::default();
        for (name, want) in &ct.imports {
            let Some((_, arg)) = args.iter().find(|a| a.0 == *name) else {
                return Err(format!("missing import named `{name}`"));
            };
            let want = self.types.remap_entity(*want, &mut m);
            self.types.unify(&want, arg, &abstract_, &mut m);
            m.clear_cache();
            let want = self.types.remap_entity(want, &mut m);
            self.types
                .entity_sub(arg, &want)
                .map_err(|e| format!("type mismatch for import `{name}`: {e}"))?;
        }
        for r in &ct.defined_resources {
            let (fresh, _) = self.types.fresh_resource();
            m.res.insert(*r, fresh);
            self.cur().defined_resources.push((fresh, None));
        }
        m.clear_cache();
        let exports = ct
            .exports
            .iter()
            .map(|(n, e)| (n.clone(), self.types.remap_entity(*e, &mut m)))
            .collect();
        Ok(self.types.push(Ty::Instance(InstanceTy {
            exports,
            defined_resources: Vec::new(),
        })))
    }

    pub(crate) fn alias(&mut self, a: &Alias) -> Result<(), Msg> {
        match a {
            Alias::InstanceExport {
                sort,
                instance,
                name,
            } => {
                if *sort == Sort::Value {
                    self.values_on()?;
                }
                let iid = at(&self.cur_ref().instances, *instance, "instance")?;
                let Ty::Instance(it) = self.types.get(iid) else {
                    return Err("not an instance".into());
                };
                let Some((_, e)) = it.exports.iter().find(|e| e.0 == *name) else {
                    return Err(format!("instance {instance} has no export named `{name}`"));
                };
                let e = *e;
                let ok = matches!(
                    (sort, e),
                    (Sort::Func, Entity::Func(_))
                        | (Sort::Value, Entity::Value(_))
                        | (Sort::Type, Entity::Type { .. })
                        | (Sort::Instance, Entity::Instance(_))
                        | (Sort::Component, Entity::Component(_))
                        | (Sort::Core(CoreSort::Module), Entity::Module(_))
                );
                if !ok {
                    return Err(format!(
                        "export `{name}` for instance {instance} is not a {}",
                        sort_desc(*sort)
                    ));
                }
                self.push_entity(e);
            }
            Alias::CoreInstanceExport {
                sort,
                instance,
                name,
            } => {
                let iid = at(&self.cur_ref().core_instances, *instance, "core instance")?;
                let Ty::CoreInstance(es) = self.types.get(iid) else {
                    return Err("not a core instance".into());
                };
                let Some((_, e)) = es.iter().find(|e| e.0 == *name) else {
                    return Err(format!(
                        "core instance {instance} has no export named `{name}`"
                    ));
                };
                let e = *e;
                let s = self.cur();
                match (sort, e) {
                    (CoreSort::Func, CoreEntity::Func(t)) => s.core_funcs.push(t),
                    (CoreSort::Table, CoreEntity::Table(t)) => s.core_tables.push(t),
                    (CoreSort::Memory, CoreEntity::Memory(t)) => s.core_memories.push(t),
                    (CoreSort::Global, CoreEntity::Global(t)) => s.core_globals.push(t),
                    (CoreSort::Tag, CoreEntity::Tag(t)) => s.core_tags.push(t),
                    _ => {
                        return Err(format!(
                            "export `{name}` for core instance {instance} is not a {}",
                            core_sort_desc(*sort)
                        ))
                    }
                }
            }
            Alias::Outer { sort, count, index } => self.outer_alias(*sort, *count, *index)?,
        }
        Ok(())
    }

    fn outer_alias(&mut self, sort: Sort, count: u32, index: u32) -> Result<(), Msg> {
        let n = self.scopes.len();
        if count as usize >= n {
            return Err(format!("invalid outer alias count of {count}"));
        }
        let target = n - 1 - count as usize;
        let t = &self.scopes[target];
        match sort {
            Sort::Core(CoreSort::Type) => {
                let id = at(&t.core_types, index, "type")?;
                self.cur().core_types.push(id);
            }
            Sort::Core(CoreSort::Module) => {
                let id = at(&t.core_modules, index, "module")?;
                self.cur().core_modules.push(id);
            }
            Sort::Component => {
                let id = at(&t.components, index, "component")?;
                self.cur().components.push(id);
            }
            Sort::Type => {
                let id = at(&t.types, index, "type")?;
                // Crossing into another component, a type may not bring
                // that component's resources along.
                let crosses = self.scopes[target + 1..]
                    .iter()
                    .any(|s| s.kind == ScopeKind::Component);
                if count > 0 && crosses {
                    let mut rs = Vec::new();
                    self.types.resources_of(id, &mut rs);
                    if !rs.is_empty() {
                        return Err("cannot alias outer type which transitively refers to resources not defined in the current component".into());
                    }
                }
                self.cur().types.push(id);
            }
            _ => return Err("outer aliases may only refer to types, modules or components".into()),
        }
        Ok(())
    }

    /// Adds an item to its index space (an alias: no naming rules).
    fn push_entity(&mut self, e: Entity) {
        let s = self.cur();
        match e {
            Entity::Module(t) => s.core_modules.push(t),
            Entity::Func(t) => s.funcs.push(t),
            Entity::Value(v) => s.values.push((v, false)),
            Entity::Type { created, .. } => s.types.push(created),
            Entity::Instance(t) => s.instances.push(t),
            Entity::Component(t) => s.components.push(t),
        }
    }

    pub(crate) fn import(&mut self, i: &Import) -> Result<(), Msg> {
        let e = self.extern_type(&i.ty, true)?;
        self.add_extern(&i.name, e, Dir::Import)
    }

    pub(crate) fn export(&mut self, x: &Export) -> Result<(), Msg> {
        if matches!(x.sort, Sort::Core(s) if s != CoreSort::Module) {
            return Err("core items other than modules cannot be exported".into());
        }
        let mut e = self.sort_entity(x.sort, x.index)?;
        if let Some(t) = &x.ty {
            let asc = self.extern_type(t, false)?;
            self.types.entity_sub(&e, &asc).map_err(|m| {
                format!("ascribed type of export is not compatible with item's type: {m}")
            })?;
            e = asc;
        }
        if let Entity::Type { referenced, .. } = e {
            e = Entity::Type {
                referenced,
                created: self.types.unique(referenced),
            };
        }
        self.add_extern(&x.name, e, Dir::Export)
    }

    /// An export declaration of a component or instance type.
    pub(crate) fn add_export(&mut self, name: &ExternName, e: Entity) -> Result<(), Msg> {
        self.add_extern(name, e, Dir::Export)
    }

    /// Adds an import or export: the new index, the naming rules, then
    /// the name's rules (wasm-tools' order).
    fn add_extern(&mut self, name: &ExternName, e: Entity, dir: Dir) -> Result<(), Msg> {
        let e = match e {
            Entity::Instance(t) => Entity::Instance(self.freshen_instance(t, dir)),
            e => e,
        };
        match e {
            Entity::Value(v) => self.cur().values.push((v, dir == Dir::Export)),
            e => self.push_entity(e),
        }
        if !self.register_named(&e, dir) {
            return Err(format!(
                "{} not valid to be used as {}",
                e.desc(),
                dir.desc()
            ));
        }
        self.check_extern_name(name, &e, dir, false)?;
        let s = self.cur();
        let n = name.name.clone();
        match dir {
            Dir::Import => s.imports.push((n, e)),
            Dir::Export => s.exports.push((n, e)),
        }
        Ok(())
    }

    /// An imported or exported instance of an instance type gets fresh
    /// resources for those the type declares (each import is distinct).
    fn freshen_instance(&mut self, t: TypeId, dir: Dir) -> TypeId {
        let Ty::Instance(it) = self.types.get(t).clone() else {
            return t;
        };
        if it.defined_resources.is_empty() {
            return t;
        }
        let mut m = Remap::default();
        for r in &it.defined_resources {
            let (fresh, _) = self.types.fresh_resource();
            m.res.insert(*r, fresh);
            let s = self.cur();
            match dir {
                Dir::Import => s.imported_resources.push(fresh),
                Dir::Export => s.defined_resources.push((fresh, None)),
            }
        }
        let exports = it
            .exports
            .iter()
            .map(|(n, e)| (n.clone(), self.types.remap_entity(*e, &mut m)))
            .collect();
        self.types.push(Ty::Instance(InstanceTy {
            exports,
            defined_resources: Vec::new(),
        }))
    }

    pub(crate) fn start(&mut self, s: &Start) -> Result<(), Msg> {
        self.values_on()?;
        let f = at(&self.cur_ref().funcs, s.func, "function")?;
        let Ty::Func(ft) = self.types.get(f).clone() else {
            return Err("not a function".into());
        };
        if ft.params.len() != s.args.len() {
            return Err(format!(
                "component start function requires {} arguments but was given {}",
                ft.params.len(),
                s.args.len()
            ));
        }
        for (i, (a, p)) in s.args.iter().zip(&ft.params).enumerate() {
            let Entity::Value(v) = self.sort_entity(Sort::Value, *a)? else {
                unreachable!()
            };
            self.types.val_sub(v, p.1).map_err(|e| {
                format!("value type mismatch for component start function argument {i}: {e}")
            })?;
        }
        if s.results != ft.result.is_some() as u32 {
            return Err(format!(
                "component start function has a result count of {} but the function type has a result count of {}",
                s.results,
                ft.result.is_some() as u32
            ));
        }
        if let Some(r) = ft.result {
            self.cur().values.push((r, false));
        }
        Ok(())
    }

    pub(crate) fn value(&mut self, v: &Value) -> Result<(), Msg> {
        self.values_on()?;
        let t = self.val(v.ty)?;
        self.cur().values.push((t, false));
        Ok(())
    }
}

fn core_sort_desc(s: CoreSort) -> &'static str {
    s.name()
}

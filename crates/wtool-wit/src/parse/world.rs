//! Worlds: their items as written, then `include`s merged and the world
//! elaborated (interfaces its items depend on become imports), as wit-parser
//! does it, so that worlds compare equal item for item.

use super::ast;
use super::resolve::{Binding, ItemRef, Located, PendingInclude, RResult, Resolver, Spot, Want};
use super::types::{docs_of, external_id_of, NameScope};
use crate::model::*;
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};

impl Resolver<'_> {
    /// Resolves a world's own items (includes are recorded for later).
    pub(crate) fn resolve_world(&mut self, wid: WorldId, w: &ast::World) -> RResult<()> {
        let docs = docs_of(&w.docs);
        let stability = self.stability(&w.attrs)?;
        let world = &mut self.resolve.worlds[wid.index()];
        world.docs = docs;
        world.stability = stability;
        let mut uses = Vec::new();
        let mut defs = Vec::new();
        let mut includes = Vec::new();
        for item in &w.items {
            match item {
                ast::WorldItem::Use(u) => uses.push(u),
                ast::WorldItem::Type(t) => defs.push(t),
                ast::WorldItem::Include(i) => includes.push(i),
                _ => {}
            }
        }
        self.resolve_types(TypeOwner::World(wid), &uses, &defs)?;
        for inc in includes {
            let stability = self.stability(&inc.attrs)?;
            if self.skip_foreign(&stability, &inc.from) {
                continue;
            }
            let name = inc.from.name();
            let world = match self.path_item(&inc.from, Want::World)? {
                ItemRef::World(w) => w,
                ItemRef::Interface(_) => {
                    return self.err(
                        name.at,
                        format!(
                            "name `{}` is defined as an interface, not a world",
                            name.name
                        ),
                    )
                }
            };
            let names = inc
                .names
                .iter()
                .map(|(a, b)| (a.name.clone(), b.name.clone()))
                .collect();
            self.includes.entry(wid).or_default().push(PendingInclude {
                file: self.file,
                at: name.at,
                stability,
                world,
                names,
            });
        }
        let mut import_names = NameScope::default();
        let mut export_names = NameScope::default();
        let mut imports = IndexMap::new();
        let mut exports = IndexMap::new();
        for (name, (b, at)) in self.lookup.clone() {
            if let Binding::Type(t) = b {
                self.scoped_err(import_names.define(&name), at)?;
                self.mark(Spot::Item(wid, true, WorldKey::Name(name.clone())), at);
                imports.insert(WorldKey::Name(name), WorldItem::Type(t));
            }
        }
        let mut seen_ifaces = [HashSet::new(), HashSet::new()];
        for item in &w.items {
            let (e, is_import) = match item {
                ast::WorldItem::Import(e) => (e, true),
                ast::WorldItem::Export(e) => (e, false),
                ast::WorldItem::Type(ast::TypeDef {
                    name,
                    ty: ast::Type::Resource(funcs),
                    ..
                }) => {
                    for rf in funcs {
                        let f = self.resource_func(rf, &name.name)?;
                        self.scoped_err(import_names.define(&f.name), rf.named().name.at)?;
                        let key = WorldKey::Name(f.name.clone());
                        self.mark(Spot::Item(wid, true, key), rf.named().name.at);
                        imports.insert(WorldKey::Name(f.name.clone()), WorldItem::Function(f));
                    }
                    continue;
                }
                _ => continue,
            };
            let desc = if is_import { "import" } else { "export" };
            if let ast::ExternKind::Path(p) | ast::ExternKind::NamedPath(_, p) = &e.kind {
                if self.skip_foreign(&self.stability(&e.attrs)?, p) {
                    continue;
                }
            }
            let (key, item) = self.world_item(e)?;
            if let WorldKey::Interface(id) = key {
                if !seen_ifaces[is_import as usize].insert(id) {
                    return self.err(e.at, format!("interface cannot be {desc}ed more than once"));
                }
            }
            self.mark(Spot::Item(wid, is_import, key.clone()), e.at);
            let dst = if is_import {
                &mut imports
            } else {
                &mut exports
            };
            if let Some(prev) = dst.insert(key.clone(), item) {
                let prev = match prev {
                    WorldItem::Interface { .. } => "interface",
                    WorldItem::Function(_) => "func",
                    WorldItem::Type(_) => "type",
                };
                let WorldKey::Name(name) = key else {
                    unreachable!()
                };
                return self.err(
                    e.at,
                    format!("{desc} `{name}` conflicts with prior {prev} of same name"),
                );
            }
            if let WorldKey::Name(name) = &key {
                let scope = if is_import {
                    &mut import_names
                } else {
                    &mut export_names
                };
                self.scoped_err(scope.define(name), e.at)?;
            }
        }
        let world = &mut self.resolve.worlds[wid.index()];
        world.imports = imports;
        world.exports = exports;
        self.lookup.clear();
        Ok(())
    }

    fn scoped_err(&self, r: Result<(), String>, at: usize) -> RResult<()> {
        r.or_else(|m| self.err(at, m))
    }

    fn world_item(&mut self, e: &ast::Extern) -> RResult<(WorldKey, WorldItem)> {
        Ok(match &e.kind {
            ast::ExternKind::Interface(name, items) => {
                let saved = std::mem::take(&mut self.lookup);
                let id = self.resolve.push_interface(Interface {
                    name: None,
                    types: IndexMap::new(),
                    functions: IndexMap::new(),
                    docs: Docs::default(),
                    stability: Stability::Unknown,
                    package: Some(self.pkg),
                });
                self.anon_ifaces.push(id);
                self.mark(Spot::Iface(id), name.at);
                self.resolve_interface(id, items, &e.docs, &e.attrs)?;
                self.lookup = saved;
                let stability = self.resolve.interface(id).stability.clone();
                // An inline interface's docs are the interface's own.
                (
                    WorldKey::Name(name.name.clone()),
                    WorldItem::Interface {
                        id,
                        stability,
                        external_id: external_id_of(&e.attrs),
                        docs: Docs::default(),
                    },
                )
            }
            ast::ExternKind::Path(path) => {
                let stability = self.stability(&e.attrs)?;
                let id = self.iface_of(path)?;
                (
                    WorldKey::Interface(id),
                    WorldItem::Interface {
                        id,
                        stability,
                        external_id: external_id_of(&e.attrs),
                        docs: docs_of(&e.docs),
                    },
                )
            }
            ast::ExternKind::NamedPath(label, path) => {
                let stability = self.stability(&e.attrs)?;
                let id = self.iface_of(path)?;
                (
                    WorldKey::Name(label.name.clone()),
                    WorldItem::Interface {
                        id,
                        stability,
                        external_id: external_id_of(&e.attrs),
                        docs: docs_of(&e.docs),
                    },
                )
            }
            ast::ExternKind::Func(name, func) => {
                let f = self.free_function(&ast::NamedFunc {
                    docs: e.docs.clone(),
                    attrs: e.attrs.clone(),
                    name: name.clone(),
                    func: func.clone(),
                })?;
                (WorldKey::Name(f.name.clone()), WorldItem::Function(f))
            }
        })
    }

    /// Merges `include`s into world `wid`, checks its names, and elaborates it.
    pub(crate) fn finish_world(
        &mut self,
        wid: WorldId,
        keep: &dyn Fn(&Stability) -> Result<bool, String>,
    ) -> RResult<()> {
        for inc in self.includes.remove(&wid).unwrap_or_default() {
            self.file = inc.file;
            if !keep(&inc.stability).map_err(|m| self.located(inc.at, m))? {
                continue;
            }
            self.include(wid, &inc)?;
        }
        let world = self.resolve.world(wid);
        for (items, what) in [(&world.imports, "import"), (&world.exports, "export")] {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for key in items.keys() {
                if let WorldKey::Name(n) = key {
                    if let Some(prev) = seen.insert(super::types::strong_key(n), n) {
                        // Like wit-parser, no position: the names may come from includes.
                        return Err(Located {
                            file: self.file,
                            at: 0,
                            message: format!(
                                "{what} `{n}` in world `{}` conflicts with {what} `{prev}` (names must be strongly unique)",
                                world.name
                            ),
                        });
                    }
                }
            }
        }
        let world = &mut self.resolve.worlds[wid.index()];
        let item_fn = |i: &WorldItem| match i {
            WorldItem::Function(f) => Some(f.name.clone()),
            _ => None,
        };
        place_setters_after_getters(&mut world.imports, item_fn);
        place_setters_after_getters(&mut world.exports, item_fn);
        let world = self.resolve.world(wid);
        for (items, what, is_import) in [
            (&world.imports, "import", true),
            (&world.exports, "export", false),
        ] {
            for key in items.keys() {
                let WorldKey::Name(n) = key else { continue };
                let Some(getter) = getter_of(n) else { continue };
                if !items.contains_key(&WorldKey::Name(getter.clone())) {
                    return Err(self.at_spot(
                        &Spot::Item(wid, is_import, key.clone()),
                        format!(
                            "{what} `{n}` in world `{}` has no corresponding getter `{getter}`",
                            world.name
                        ),
                    ));
                }
            }
        }
        elaborate(self.resolve, wid).map_err(|m| self.at_spot(&Spot::World(wid), m))
    }

    fn include(&mut self, wid: WorldId, inc: &PendingInclude) -> RResult<()> {
        let from = self.resolve.world(inc.world).clone();
        for (name, _) in &inc.names {
            let used = from
                .imports
                .keys()
                .chain(from.exports.keys())
                .any(|k| matches!(k, WorldKey::Name(n) if rename(n, name, name).is_some()));
            if !used {
                return self.err(
                    inc.at,
                    format!("no import or export kebab-name `{name}`. Note that an ID does not support renaming"),
                );
            }
        }
        // Gates of another package's `@since` do not carry over (that
        // package's versions mean nothing here).
        let external = from.package != Some(self.pkg);
        let mut cloner = Cloner {
            from: TypeOwner::World(inc.world),
            to: TypeOwner::World(wid),
            map: HashMap::new(),
        };
        for (is_import, items) in [(true, &from.imports), (false, &from.exports)] {
            for (key, item) in items {
                let what = if is_import { "import" } else { "export" };
                match key {
                    WorldKey::Name(orig) => {
                        let n = inc
                            .names
                            .iter()
                            .find_map(|(a, b)| rename(orig, a, b))
                            .unwrap_or_else(|| orig.clone());
                        let from_spot = Spot::Item(inc.world, is_import, key.clone());
                        if let Some(span) = self.spans.get(&from_spot).copied() {
                            let to = Spot::Item(wid, is_import, WorldKey::Name(n.clone()));
                            self.spans.entry(to).or_insert(span);
                        }
                        let item = match item {
                            WorldItem::Function(f) => {
                                let mut f = cloner.function(self.resolve, f);
                                f.name = n.clone();
                                WorldItem::Function(f)
                            }
                            WorldItem::Type(t) => {
                                let t = cloner.type_id(self.resolve, *t);
                                self.resolve.types[t.index()].name = Some(n.clone());
                                WorldItem::Type(t)
                            }
                            other => other.clone(),
                        };
                        let world = &mut self.resolve.worlds[wid.index()];
                        let dst = if is_import {
                            &mut world.imports
                        } else {
                            &mut world.exports
                        };
                        if dst.insert(WorldKey::Name(n.clone()), item).is_some() {
                            return self.err(
                                inc.at,
                                format!("{what} of `{n}` shadows previously {what}ed items"),
                            );
                        }
                    }
                    WorldKey::Interface(_) => {
                        let WorldItem::Interface {
                            stability: from_st, ..
                        } = item
                        else {
                            unreachable!("interface keys hold interfaces")
                        };
                        let world = &mut self.resolve.worlds[wid.index()];
                        let dst = if is_import {
                            &mut world.imports
                        } else {
                            &mut world.exports
                        };
                        let into = dst.entry(key.clone()).or_insert_with(|| item.clone());
                        let WorldItem::Interface {
                            stability: into, ..
                        } = into
                        else {
                            unreachable!("interface keys hold interfaces")
                        };
                        if let Err(m) = merge_stability(from_st, into, external) {
                            return self.err(inc.at, m);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Combines the gate of an interface that two includes bring in: a gate
/// wins over none, two different gates are an error.
fn merge_stability(from: &Stability, into: &mut Stability, external: bool) -> Result<(), String> {
    if external && matches!(from, Stability::Stable { .. }) {
        *into = Stability::Unknown;
        return Ok(());
    }
    if from == into || *from == Stability::Unknown {
        return Ok(());
    }
    if *into == Stability::Unknown {
        *into = from.clone();
        return Ok(());
    }
    Err(format!(
        "mismatch in stability from '{from:?}' to '{into:?}'"
    ))
}

/// `with { a as b }` renames a plain name, or the resource part of a
/// `[method]a.f`-style name.
fn rename(original: &str, from: &str, to: &str) -> Option<String> {
    let mut prefix_len = 0;
    while original[prefix_len..].starts_with('[') {
        prefix_len += original[prefix_len..].find(']')? + 1;
    }
    let (prefix, rest) = original.split_at(prefix_len);
    match rest.split_once('.') {
        Some((res, func)) if res == from => Some(format!("{prefix}{to}.{func}")),
        None if rest == from => Some(format!("{prefix}{to}")),
        _ => None,
    }
}

/// Copies a world's own types into the including world.
struct Cloner {
    from: TypeOwner,
    to: TypeOwner,
    map: HashMap<TypeId, TypeId>,
}

impl Cloner {
    fn type_id(&mut self, r: &mut Resolve, id: TypeId) -> TypeId {
        if let Some(t) = self.map.get(&id) {
            return *t;
        }
        let def = r.ty(id).clone();
        let new = if def.owner == self.from {
            let mut def = def;
            def.owner = self.to;
            def.kind = self.kind(r, &def.kind);
            r.push_type(def)
        } else if def.owner == TypeOwner::None {
            let kind = self.kind(r, &def.kind);
            if kind == def.kind {
                id
            } else {
                r.push_type(TypeDef { kind, ..def })
            }
        } else {
            id
        };
        self.map.insert(id, new);
        new
    }

    fn ty(&mut self, r: &mut Resolve, t: Type) -> Type {
        match t {
            Type::Id(id) => Type::Id(self.type_id(r, id)),
            t => t,
        }
    }

    fn kind(&mut self, r: &mut Resolve, k: &TypeDefKind) -> TypeDefKind {
        let mut k = k.clone();
        match &mut k {
            TypeDefKind::Record(fs) => fs.iter_mut().for_each(|f| f.ty = self.ty(r, f.ty)),
            TypeDefKind::Variant(cs) => cs
                .iter_mut()
                .for_each(|c| c.ty = c.ty.map(|t| self.ty(r, t))),
            TypeDefKind::Tuple(ts) => ts.iter_mut().for_each(|t| *t = self.ty(r, *t)),
            TypeDefKind::Handle(Handle::Own(id) | Handle::Borrow(id)) => *id = self.type_id(r, *id),
            TypeDefKind::Option(t)
            | TypeDefKind::List(t)
            | TypeDefKind::FixedLengthList(t, _)
            | TypeDefKind::Type(t) => *t = self.ty(r, *t),
            TypeDefKind::Map(a, b) => {
                *a = self.ty(r, *a);
                *b = self.ty(r, *b);
            }
            TypeDefKind::Result { ok, err } => {
                *ok = ok.map(|t| self.ty(r, t));
                *err = err.map(|t| self.ty(r, t));
            }
            TypeDefKind::Future(t) | TypeDefKind::Stream(t) => *t = t.map(|t| self.ty(r, t)),
            TypeDefKind::Resource | TypeDefKind::Flags(_) | TypeDefKind::Enum(_) => {}
        }
        k
    }

    fn function(&mut self, r: &mut Resolve, f: &Function) -> Function {
        let mut f = f.clone();
        for p in &mut f.params {
            p.1 = self.ty(r, p.1);
        }
        f.result = f.result.map(|t| self.ty(r, t));
        use FunctionKind as K;
        f.kind = match f.kind {
            K::Method(id) => K::Method(self.type_id(r, id)),
            K::AsyncMethod(id) => K::AsyncMethod(self.type_id(r, id)),
            K::Static(id) => K::Static(self.type_id(r, id)),
            K::AsyncStatic(id) => K::AsyncStatic(self.type_id(r, id)),
            K::Constructor(id) => K::Constructor(self.type_id(r, id)),
            K::MethodGetter(id) => K::MethodGetter(self.type_id(r, id)),
            K::MethodSetter(id) => K::MethodSetter(self.type_id(r, id)),
            K::StaticGetter(id) => K::StaticGetter(self.type_id(r, id)),
            K::StaticSetter(id) => K::StaticSetter(self.type_id(r, id)),
            k @ (K::Freestanding | K::AsyncFreestanding | K::Getter | K::Setter) => k,
        };
        f
    }
}

/// Printing order of world imports: interfaces, used types, own types,
/// freestanding functions, resource functions.
fn class(r: &Resolve, item: &WorldItem) -> u8 {
    match item {
        WorldItem::Interface { .. } => 0,
        WorldItem::Type(id) => match r.ty(*id).kind {
            TypeDefKind::Type(Type::Id(t)) if r.ty(t).owner != r.ty(*id).owner => 1,
            _ => 2,
        },
        WorldItem::Function(f) => match f.kind.resource() {
            None => 3,
            Some(_) => 4,
        },
    }
}

/// Adds every interface the world's items depend on as an import, in
/// dependency order, and rejects exports that would need one interface both
/// imported and exported.
pub(crate) fn elaborate(r: &mut Resolve, wid: WorldId) -> Result<(), String> {
    let world = r.world(wid).clone();
    let mut imports: IndexMap<WorldKey, WorldItem> = IndexMap::new();
    let mut sorted: Vec<_> = world.imports.iter().collect();
    sorted.sort_by_key(|(_, item)| class(r, item));
    for (key, item) in sorted {
        match item {
            WorldItem::Interface { id, stability, .. } => {
                add_import(r, &mut imports, key.clone(), *id, stability, Some(item))
            }
            WorldItem::Function(_) => {
                imports.insert(key.clone(), item.clone());
            }
            WorldItem::Type(t) => {
                if let Some(dep) = crate::deps::type_interface_dep(r, *t) {
                    let st = r.ty(*t).stability.clone();
                    add_import(r, &mut imports, WorldKey::Interface(dep), dep, &st, None);
                }
                imports.insert(key.clone(), item.clone());
            }
        }
    }
    let mut exports = IndexMap::new();
    let mut export_ifaces = IndexMap::new();
    for (key, item) in &world.exports {
        match item {
            WorldItem::Interface { .. } => {
                export_ifaces.insert(key.clone(), item.clone());
            }
            _ => {
                exports.insert(key.clone(), item.clone());
            }
        }
    }
    let mut required = HashSet::new();
    for (key, item) in &export_ifaces {
        let mut ctx = ExportCtx {
            r,
            imports: &mut imports,
            exports: &mut exports,
            export_ifaces: &export_ifaces,
            required: &mut required,
        };
        if !ctx.add(key.clone(), item.clone(), true) {
            let name = r.name_world_key(key);
            return Err(format!(
                "interface `{name}` transitively depends on an interface in incompatible ways"
            ));
        }
    }
    imports.sort_by_cached_key(|_, item| class(r, item));
    let w = &mut r.worlds[wid.index()];
    w.imports = imports;
    w.exports = exports;
    Ok(())
}

fn add_import(
    r: &Resolve,
    imports: &mut IndexMap<WorldKey, WorldItem>,
    key: WorldKey,
    id: InterfaceId,
    stability: &Stability,
    explicit: Option<&WorldItem>,
) {
    if imports.contains_key(&key) {
        return;
    }
    for dep in crate::deps::interface_direct_deps(r, id) {
        add_import(r, imports, WorldKey::Interface(dep), dep, stability, None);
    }
    // An import written in the world keeps its statement's docs and
    // external id; one added as a dependency has neither.
    let item = explicit
        .cloned()
        .unwrap_or_else(|| implicit_import(id, stability));
    imports.insert(key, item);
}

/// An import added because something in the world depends on the interface.
fn implicit_import(id: InterfaceId, stability: &Stability) -> WorldItem {
    WorldItem::Interface {
        id,
        stability: stability.clone(),
        external_id: None,
        docs: Docs::default(),
    }
}

struct ExportCtx<'a> {
    r: &'a Resolve,
    imports: &'a mut IndexMap<WorldKey, WorldItem>,
    exports: &'a mut IndexMap<WorldKey, WorldItem>,
    export_ifaces: &'a IndexMap<WorldKey, WorldItem>,
    required: &'a mut HashSet<InterfaceId>,
}

impl ExportCtx<'_> {
    /// Adds an export (or, for a dependency not exported, an import); false
    /// when an interface would have to be both.
    fn add(&mut self, key: WorldKey, item: WorldItem, as_export: bool) -> bool {
        if self.exports.contains_key(&key) {
            return as_export;
        }
        let WorldItem::Interface { id, stability, .. } = &item else {
            unreachable!()
        };
        if !as_export && self.required.contains(id) {
            return true;
        }
        for dep in crate::deps::interface_direct_deps(self.r, *id) {
            let dep_key = WorldKey::Interface(dep);
            let dep_export = as_export && self.export_ifaces.contains_key(&dep_key);
            let dep_item = implicit_import(dep, stability);
            if !self.add(dep_key, dep_item, dep_export) {
                return false;
            }
        }
        if as_export {
            if self.required.contains(id) {
                return false;
            }
            self.exports.insert(key, item);
        } else {
            self.required.insert(*id);
            self.imports.entry(key).or_insert(item);
        }
        true
    }
}

/// For a setter's name (`[set]p`, `[method][set]r.p`, …), its getter's name.
pub(crate) fn getter_of(name: &str) -> Option<String> {
    let stripped = name
        .strip_prefix("[method]")
        .or_else(|| name.strip_prefix("[static]"))
        .unwrap_or(name);
    stripped
        .starts_with("[set]")
        .then(|| name.replacen("[set]", "[get]", 1))
}

/// Moves each setter right after its getter when the getter comes later,
/// leaving everything else in order (wit-parser's canonical order).
pub(crate) fn place_setters_after_getters<K, V>(
    items: &mut IndexMap<K, V>,
    name: impl Fn(&V) -> Option<String>,
) {
    let mut getters = HashSet::new();
    let mut i = 0;
    while let Some((_, item)) = items.get_index(i) {
        if let Some(n) = name(item) {
            if n.contains("[get]") {
                getters.insert(n);
            } else if let Some(g) = getter_of(&n) {
                if !getters.contains(&g) {
                    let later =
                        (i + 1..items.len()).find(|&j| name(&items[j]).as_ref() == Some(&g));
                    if let Some(j) = later {
                        items.move_index(i, j);
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
}

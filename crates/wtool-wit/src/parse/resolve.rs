//! Name resolution of one package's syntax trees into the model: interfaces
//! and worlds in dependency order, types with `use` aliases first, functions
//! with resource methods mangled as the component model names them.

use super::ast;
use super::toposort::toposort;
use crate::model::*;
use indexmap::IndexMap;
use std::collections::HashMap;

/// An error in file `file` at byte `at`.
#[derive(Debug)]
pub(crate) struct Located {
    pub file: usize,
    pub at: usize,
    pub message: String,
}

pub(crate) type RResult<T> = Result<T, Located>;

/// Per interface or world: the items it depends on, with (file, offset).
type ItemDeps = IndexMap<String, Vec<(String, (usize, usize))>>;

/// A package before resolution: its name and each file's declarations.
pub(crate) struct UnresolvedPackage {
    pub name: PackageName,
    pub file: usize,
    pub at: usize,
    pub docs: Docs,
    pub decls: Vec<(usize, Vec<ast::Item>)>,
}

/// A top-level name: an interface or a world, local or foreign.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ItemRef {
    Interface(InterfaceId),
    World(WorldId),
}

/// What a name in an interface or world denotes while types are resolved.
#[derive(Clone, Copy)]
pub(crate) enum Binding {
    Type(TypeId),
    Function,
}

/// An item whose source position is kept for errors found after
/// resolution (gates, elaboration), since the model has no spans.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Spot {
    Type(TypeId),
    Iface(InterfaceId),
    World(WorldId),
    /// A function of an interface, by name.
    Func(InterfaceId, String),
    /// A world import (`true`) or export, by key.
    Item(WorldId, bool, WorldKey),
}

/// `include`s recorded for after gating, with the file they are in.
pub(crate) struct PendingInclude {
    pub file: usize,
    pub at: usize,
    pub stability: Stability,
    pub world: WorldId,
    pub names: Vec<(String, String)>,
}

/// Resolution state for one package.
pub(crate) struct Resolver<'r> {
    pub resolve: &'r mut Resolve,
    pub pkg: PackageId,
    /// The file being resolved, for error positions.
    pub(crate) file: usize,
    /// The declaration list (file) being resolved, for its `use` names.
    decl: usize,
    /// Per file: names visible at the top level (package items and `use`s).
    file_items: Vec<IndexMap<String, ItemRef>>,
    package_items: IndexMap<String, ItemRef>,
    pub(crate) lookup: IndexMap<String, (Binding, usize)>,
    /// Per interface of this package: its names, functions too (so that
    /// `use` of a function gets a clear error).
    pub(crate) iface_lookup: HashMap<InterfaceId, IndexMap<String, (Binding, usize)>>,
    pub(crate) anon: HashMap<String, TypeId>,
    pub includes: HashMap<WorldId, Vec<PendingInclude>>,
    /// Interfaces and worlds of this package in resolution order.
    pub order: Vec<ItemRef>,
    /// Anonymous interfaces created for inline world imports/exports.
    pub anon_ifaces: Vec<InterfaceId>,
    /// Enabled features.
    pub(crate) opts: super::ParseOptions,
    /// Where items are, as (file, offset).
    pub(crate) spans: HashMap<Spot, (usize, usize)>,
}

impl<'r> Resolver<'r> {
    pub(crate) fn err<T>(&self, at: usize, message: impl Into<String>) -> RResult<T> {
        Err(self.located(at, message))
    }

    /// True for an item gated off by a disabled feature: such an item may
    /// name things of other packages that were dropped, so it is skipped
    /// rather than resolved (wit-parser never looks at it either).
    pub(crate) fn skip_foreign(&self, st: &Stability, path: &ast::UsePath) -> bool {
        matches!(path, ast::UsePath::Package { .. })
            && super::gate::keep(&self.resolve.package(self.pkg).name, st, &self.opts) == Ok(false)
    }

    /// Remembers where `spot` is in the current file.
    pub(crate) fn mark(&mut self, spot: Spot, at: usize) {
        self.spans.insert(spot, (self.file, at));
    }

    /// An error located at `spot` (or the current file's start if unknown).
    pub(crate) fn at_spot(&self, spot: &Spot, message: impl Into<String>) -> Located {
        let (file, at) = self.spans.get(spot).copied().unwrap_or((self.file, 0));
        Located {
            file,
            at,
            message: message.into(),
        }
    }

    pub(crate) fn located(&self, at: usize, message: impl Into<String>) -> Located {
        Located {
            file: self.file,
            at,
            message: message.into(),
        }
    }

    /// Resolves `pkg` (whose dependencies are already in `resolve`).
    pub fn run(
        resolve: &'r mut Resolve,
        pkg: &UnresolvedPackage,
        opts: &super::ParseOptions,
    ) -> RResult<Resolver<'r>> {
        let id = resolve.push_package(Package {
            name: pkg.name.clone(),
            docs: pkg.docs.clone(),
            interfaces: IndexMap::new(),
            worlds: IndexMap::new(),
        });
        let mut r = Resolver {
            resolve,
            pkg: id,
            file: pkg.file,
            decl: 0,
            file_items: Vec::new(),
            package_items: IndexMap::new(),
            lookup: IndexMap::new(),
            iface_lookup: HashMap::new(),
            anon: HashMap::new(),
            includes: HashMap::new(),
            order: Vec::new(),
            anon_ifaces: Vec::new(),
            opts: opts.clone(),
            spans: HashMap::new(),
        };
        let mut asts = r.populate(pkg)?;
        // All interfaces before any world: a world's inline interfaces may
        // `use` interfaces that no ordering edge puts before the world.
        asts.sort_by_key(|a| matches!(a.0, ItemRef::World(_)));
        for (item, index, ast_item) in asts {
            r.decl = index;
            r.file = pkg.decls[index].0;
            r.lookup.clear();
            match (item, ast_item) {
                (ItemRef::Interface(iid), ast::Item::Interface(i)) => {
                    r.resolve_interface(iid, &i.items, &i.docs, &i.attrs)?;
                }
                (ItemRef::World(wid), ast::Item::World(w)) => r.resolve_world(wid, w)?,
                _ => unreachable!(),
            }
        }
        Ok(r)
    }

    /// Checks names, orders interfaces and worlds by their `use`s and
    /// `include`s, and allocates them.
    fn populate<'p>(
        &mut self,
        pkg: &'p UnresolvedPackage,
    ) -> RResult<Vec<(ItemRef, usize, &'p ast::Item)>> {
        let mut names: IndexMap<String, (usize, &'p ast::Item, bool)> = IndexMap::new();
        for (index, (file, items)) in pkg.decls.iter().enumerate() {
            self.file = *file;
            for item in items {
                let (id, is_iface) = match item {
                    ast::Item::Interface(i) => (&i.name, true),
                    ast::Item::World(w) => (&w.name, false),
                    ast::Item::Use(_) => continue,
                };
                if names.contains_key(&id.name) {
                    return self.err(id.at, format!("duplicate item named `{}`", id.name));
                }
                names.insert(id.name.clone(), (index, item, is_iface));
            }
        }
        let mut deps: ItemDeps = names.keys().map(|k| (k.clone(), Vec::new())).collect();
        for (file, items) in &pkg.decls {
            self.file = *file;
            // What each top-level name means in this file: local or foreign.
            let mut local: HashMap<&str, Option<(&str, usize)>> = HashMap::new();
            for item in items {
                let (name, target) = match item {
                    ast::Item::Use(u) => {
                        let name = u.as_.as_ref().unwrap_or(u.path.name());
                        match &u.path {
                            ast::UsePath::Local(id) => (name, Some((id.name.as_str(), id.at))),
                            ast::UsePath::Package { .. } => (name, None),
                        }
                    }
                    ast::Item::Interface(i) => (&i.name, Some((i.name.name.as_str(), i.name.at))),
                    ast::Item::World(w) => (&w.name, Some((w.name.name.as_str(), w.name.at))),
                };
                if local.insert(name.name.as_str(), target).is_some() {
                    return self.err(
                        name.at,
                        format!("duplicate name `{}` in this file", name.name),
                    );
                }
            }
            let mut edge = |owner: &str, path: &ast::UsePath| -> RResult<()> {
                let ast::UsePath::Local(used) = path else {
                    return Ok(());
                };
                // A cycle is reported where the item depended on is declared
                // (in this file), else where it is used.
                let (target, at) = match local.get(used.name.as_str()) {
                    Some(None) => return Ok(()),
                    Some(Some((t, at))) => (t.to_string(), *at),
                    None if names.contains_key(&used.name) => (used.name.clone(), used.at),
                    None => return self.err(used.at, not_found("interface or world", &used.name)),
                };
                deps[owner].push((target, (*file, at)));
                Ok(())
            };
            for item in items {
                match item {
                    ast::Item::Interface(i) => {
                        for it in &i.items {
                            if let ast::IfaceItem::Use(u) = it {
                                edge(&i.name.name, &u.from)?;
                            }
                        }
                    }
                    ast::Item::World(w) => {
                        for it in &w.items {
                            if let ast::WorldItem::Include(inc) = it {
                                edge(&w.name.name, &inc.from)?;
                            }
                        }
                    }
                    ast::Item::Use(_) => {}
                }
            }
        }
        let order = toposort("interface or world", &deps).map_err(|((file, at), m)| Located {
            file,
            at,
            message: m,
        })?;
        let mut out = Vec::new();
        for name in order {
            let (index, ast_item, is_iface) = names[&name];
            let item = if is_iface {
                ItemRef::Interface(self.resolve.push_interface(Interface {
                    name: Some(name.clone()),
                    types: IndexMap::new(),
                    functions: IndexMap::new(),
                    docs: Docs::default(),
                    stability: Stability::Unknown,
                    package: Some(self.pkg),
                }))
            } else {
                ItemRef::World(self.resolve.push_world(World {
                    name: name.clone(),
                    imports: IndexMap::new(),
                    exports: IndexMap::new(),
                    package: Some(self.pkg),
                    docs: Docs::default(),
                    stability: Stability::Unknown,
                }))
            };
            let at = match ast_item {
                ast::Item::Interface(i) => i.name.at,
                ast::Item::World(w) => w.name.at,
                ast::Item::Use(u) => u.at,
            };
            self.file = pkg.decls[index].0;
            match item {
                ItemRef::Interface(i) => self.mark(Spot::Iface(i), at),
                ItemRef::World(w) => self.mark(Spot::World(w), at),
            }
            self.package_items.insert(name, item);
            self.order.push(item);
            out.push((item, index, ast_item));
        }
        for (index, (file, items)) in pkg.decls.iter().enumerate() {
            self.file = *file;
            self.decl = index;
            let mut map = IndexMap::new();
            for item in items {
                let (name, it) = match item {
                    ast::Item::Use(u) => {
                        if !u.attrs.is_empty() {
                            return self.err(u.at, "attributes not allowed on top-level use");
                        }
                        let name = u.as_.as_ref().unwrap_or(u.path.name());
                        (name.name.clone(), self.path_item(&u.path, Want::TopUse)?)
                    }
                    ast::Item::Interface(i) => {
                        (i.name.name.clone(), self.package_items[&i.name.name])
                    }
                    ast::Item::World(w) => (w.name.name.clone(), self.package_items[&w.name.name]),
                };
                map.insert(name, it);
            }
            self.file_items.push(map);
        }
        Ok(out)
    }

    /// What `path` names: in this file, this package, or a resolved
    /// dependency (where it must be what `want` says).
    pub(crate) fn path_item(&self, path: &ast::UsePath, want: Want) -> RResult<ItemRef> {
        match path {
            ast::UsePath::Local(id) => {
                let file_map = match want {
                    Want::TopUse => None,
                    _ => self.file_items.get(self.decl),
                };
                match file_map
                    .and_then(|m| m.get(&id.name))
                    .or_else(|| self.package_items.get(&id.name))
                {
                    Some(it) => Ok(*it),
                    None => self.err(id.at, not_found("interface or world", &id.name)),
                }
            }
            ast::UsePath::Package { pkg, at, name } => {
                let known = &self.resolve.packages[..self.pkg.index()];
                let Some(p) = known.iter().find(|p| p.name == *pkg) else {
                    let mut m = format!("package '{pkg}' not found. known packages:");
                    for k in known {
                        m.push_str(&format!("\n    {}", k.name));
                    }
                    return self.err(*at, m);
                };
                let found = match want {
                    Want::World => p.worlds.get(&name.name).map(|w| ItemRef::World(*w)),
                    _ => p.interfaces.get(&name.name).map(|i| ItemRef::Interface(*i)),
                };
                match found {
                    Some(it) => Ok(it),
                    None => {
                        let kind = if want == Want::World {
                            "world"
                        } else {
                            "interface"
                        };
                        self.err(
                            name.at,
                            format!("{kind} '{}' not found in package '{pkg}'", name.name),
                        )
                    }
                }
            }
        }
    }
}

/// What a path must name when it is in another package.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// A top-level `use` (only this package's items, or an interface).
    TopUse,
    /// An interface (`use`, `import`, `export`).
    Interface,
    /// A world (`include`).
    World,
}

/// wit-parser's wording for an unknown name.
pub(crate) fn not_found(kind: &str, name: &str) -> String {
    format!("{kind} `{name}` does not exist")
}

//! Merging WIT: one model into another (packages of the same name become
//! one), one world into another (the union of their imports and exports),
//! and a world's imports of semver-compatible versions of one interface
//! into the newest, as `component new` does with an adapter's world.

use crate::model::*;
use std::collections::{HashMap, HashSet};

/// Where each item of the merged-in model ended up.
#[derive(Debug, Default)]
pub struct Remap {
    /// Package ids, by the merged-in model's index.
    pub packages: Vec<PackageId>,
    /// Interface ids, by the merged-in model's index.
    pub interfaces: Vec<InterfaceId>,
    /// World ids, by the merged-in model's index.
    pub worlds: Vec<WorldId>,
    /// Type ids, by the merged-in model's index.
    pub types: Vec<TypeId>,
}

impl Remap {
    fn ty(&self, t: Type) -> Type {
        match t {
            Type::Id(id) => Type::Id(self.types[id.index()]),
            other => other,
        }
    }

    fn kind(&self, k: FunctionKind) -> FunctionKind {
        use FunctionKind as K;
        let t = |id: TypeId| self.types[id.index()];
        match k {
            K::Method(id) => K::Method(t(id)),
            K::AsyncMethod(id) => K::AsyncMethod(t(id)),
            K::Static(id) => K::Static(t(id)),
            K::AsyncStatic(id) => K::AsyncStatic(t(id)),
            K::Constructor(id) => K::Constructor(t(id)),
            K::MethodGetter(id) => K::MethodGetter(t(id)),
            K::MethodSetter(id) => K::MethodSetter(t(id)),
            K::StaticGetter(id) => K::StaticGetter(t(id)),
            K::StaticSetter(id) => K::StaticSetter(t(id)),
            other => other,
        }
    }

    fn function(&self, f: &Function) -> Function {
        let mut f = f.clone();
        f.kind = self.kind(f.kind);
        for (_, t) in &mut f.params {
            *t = self.ty(*t);
        }
        f.result = f.result.map(|t| self.ty(t));
        f
    }

    fn typedef_kind(&self, k: &TypeDefKind) -> TypeDefKind {
        use TypeDefKind as D;
        let t = |x: Type| self.ty(x);
        let id = |x: TypeId| self.types[x.index()];
        match k {
            D::Record(fs) => D::Record(
                fs.iter()
                    .map(|f| Field {
                        ty: t(f.ty),
                        ..f.clone()
                    })
                    .collect(),
            ),
            D::Handle(Handle::Own(r)) => D::Handle(Handle::Own(id(*r))),
            D::Handle(Handle::Borrow(r)) => D::Handle(Handle::Borrow(id(*r))),
            D::Tuple(ts) => D::Tuple(ts.iter().map(|x| t(*x)).collect()),
            D::Variant(cs) => D::Variant(
                cs.iter()
                    .map(|c| Case {
                        ty: c.ty.map(t),
                        ..c.clone()
                    })
                    .collect(),
            ),
            D::Option(x) => D::Option(t(*x)),
            D::Result { ok, err } => D::Result {
                ok: ok.map(t),
                err: err.map(t),
            },
            D::List(x) => D::List(t(*x)),
            D::FixedLengthList(x, n) => D::FixedLengthList(t(*x), *n),
            D::Map(a, b) => D::Map(t(*a), t(*b)),
            D::Future(x) => D::Future(x.map(t)),
            D::Stream(x) => D::Stream(x.map(t)),
            D::Type(x) => D::Type(t(*x)),
            D::Resource | D::Flags(_) | D::Enum(_) => k.clone(),
        }
    }

    fn owner(&self, o: TypeOwner) -> TypeOwner {
        match o {
            TypeOwner::World(w) => TypeOwner::World(self.worlds[w.index()]),
            TypeOwner::Interface(i) => TypeOwner::Interface(self.interfaces[i.index()]),
            TypeOwner::None => TypeOwner::None,
        }
    }

    fn key(&self, k: &WorldKey) -> WorldKey {
        match k {
            WorldKey::Name(n) => WorldKey::Name(n.clone()),
            WorldKey::Interface(i) => WorldKey::Interface(self.interfaces[i.index()]),
        }
    }

    fn item(&self, item: &WorldItem) -> WorldItem {
        match item {
            WorldItem::Interface {
                id,
                stability,
                external_id,
                docs,
            } => WorldItem::Interface {
                id: self.interfaces[id.index()],
                stability: stability.clone(),
                external_id: external_id.clone(),
                docs: docs.clone(),
            },
            WorldItem::Function(f) => WorldItem::Function(self.function(f)),
            WorldItem::Type(t) => WorldItem::Type(self.types[t.index()]),
        }
    }
}

/// Checks that two functions of the same name agree in shape (kind,
/// parameter names and count, primitive types).
fn same_function(from: &Function, into: &Function) -> Result<(), String> {
    let fail = |what: &str| Err(format!("mismatch in function `{}`: {what}", from.name));
    if std::mem::discriminant(&from.kind) != std::mem::discriminant(&into.kind) {
        return fail("different function kinds");
    }
    if from.params.len() != into.params.len() {
        return fail("different number of function parameters");
    }
    for ((fname, fty), (iname, ity)) in from.params.iter().zip(&into.params) {
        if fname != iname {
            return fail(&format!(
                "different function parameter names: {fname} != {iname}"
            ));
        }
        let prim = |t: &Type| !matches!(t, Type::Id(_));
        if (prim(fty) || prim(ity)) && fty != ity {
            return fail(&format!("different function parameter types for `{fname}`"));
        }
    }
    let prim = |t: &Type| !matches!(t, Type::Id(_));
    match (&from.result, &into.result) {
        (Some(a), Some(b)) if (prim(a) || prim(b)) && a != b => {
            return fail("different function result types")
        }
        (Some(_), None) | (None, Some(_)) => return fail("different number of function results"),
        _ => {}
    }
    Ok(())
}

/// Moves every package of `from` into `into`. A package already present
/// (same name and version) is reused: its interfaces and worlds by name,
/// its interfaces' types by name, and what only `from` has is added.
pub fn merge(into: &mut Resolve, from: Resolve) -> Result<Remap, String> {
    merge_except(into, from, &[])
}

/// [`merge`], except that packages `exclude` of `into` are never reused (a
/// placeholder package that only happens to share a name).
pub fn merge_except(
    into: &mut Resolve,
    from: Resolve,
    exclude: &[PackageId],
) -> Result<Remap, String> {
    let mut pkg_map: HashMap<usize, PackageId> = HashMap::new();
    let mut iface_map: HashMap<usize, InterfaceId> = HashMap::new();
    let mut world_map: HashMap<usize, WorldId> = HashMap::new();
    let mut type_map: HashMap<usize, TypeId> = HashMap::new();
    // Interfaces and worlds added to a package already present.
    let mut add_ifaces: Vec<(PackageId, String, usize)> = Vec::new();
    let mut add_worlds: Vec<(PackageId, String, usize)> = Vec::new();
    for (fi, fp) in from.packages.iter().enumerate() {
        let found = into
            .packages
            .iter()
            .enumerate()
            .position(|(i, p)| p.name == fp.name && !exclude.contains(&PackageId(i as u32)));
        let Some(ii) = found else {
            continue;
        };
        let into_id = PackageId(ii as u32);
        pkg_map.insert(fi, into_id);
        let ip = into.package(into_id);
        for (name, fid) in &fp.interfaces {
            let Some(iid) = ip.interfaces.get(name) else {
                add_ifaces.push((into_id, name.clone(), fid.index()));
                continue;
            };
            iface_map.insert(fid.index(), *iid);
            let (fi_, ii_) = (from.interface(*fid), into.interface(*iid));
            for (tname, ft) in &fi_.types {
                if let Some(it) = ii_.types.get(tname) {
                    type_map.insert(ft.index(), *it);
                }
            }
            for (fname, f) in &fi_.functions {
                if let Some(g) = ii_.functions.get(fname) {
                    same_function(f, g).map_err(|e| {
                        format!(
                            "failed to merge package `{}`: interface `{name}`: {e}",
                            fp.name.namespace.clone() + ":" + &fp.name.name
                        )
                    })?;
                }
            }
        }
        for (name, fw) in &fp.worlds {
            match ip.worlds.get(name) {
                Some(iw) => {
                    let (a, b) = (from.world(*fw), into.world(*iw));
                    if a.imports.len() != b.imports.len() || a.exports.len() != b.exports.len() {
                        return Err(format!(
                            "failed to merge package `{}:{}`: world `{name}` differs from the \
                             existing world of that name",
                            fp.name.namespace, fp.name.name
                        ));
                    }
                    world_map.insert(fw.index(), *iw);
                }
                None => add_worlds.push((into_id, name.clone(), fw.index())),
            }
        }
    }
    // New ids for everything not found, in arena order.
    let mut remap = Remap::default();
    let mut next = into.types.len() as u32;
    for i in 0..from.types.len() {
        remap.types.push(*type_map.entry(i).or_insert_with(|| {
            next += 1;
            TypeId(next - 1)
        }));
    }
    let mut next = into.interfaces.len() as u32;
    for i in 0..from.interfaces.len() {
        remap
            .interfaces
            .push(*iface_map.entry(i).or_insert_with(|| {
                next += 1;
                InterfaceId(next - 1)
            }));
    }
    let mut next = into.worlds.len() as u32;
    for i in 0..from.worlds.len() {
        remap.worlds.push(*world_map.entry(i).or_insert_with(|| {
            next += 1;
            WorldId(next - 1)
        }));
    }
    let mut next = into.packages.len() as u32;
    for i in 0..from.packages.len() {
        remap.packages.push(*pkg_map.entry(i).or_insert_with(|| {
            next += 1;
            PackageId(next - 1)
        }));
    }
    // An item is new when its id lies past the end of `into`'s arena.
    let fresh = |_: usize, len: usize, new: usize| new >= len;
    let (nt, ni, nw, np) = (
        into.types.len(),
        into.interfaces.len(),
        into.worlds.len(),
        into.packages.len(),
    );
    for (i, t) in from.types.iter().enumerate() {
        if fresh(i, nt, remap.types[i].index()) {
            into.types.push(TypeDef {
                kind: remap.typedef_kind(&t.kind),
                owner: remap.owner(t.owner),
                ..t.clone()
            });
        }
    }
    for (i, f) in from.interfaces.iter().enumerate() {
        let id = remap.interfaces[i];
        if fresh(i, ni, id.index()) {
            into.interfaces.push(Interface {
                name: f.name.clone(),
                types: f
                    .types
                    .iter()
                    .map(|(n, t)| (n.clone(), remap.types[t.index()]))
                    .collect(),
                functions: f
                    .functions
                    .iter()
                    .map(|(n, g)| (n.clone(), remap.function(g)))
                    .collect(),
                docs: f.docs.clone(),
                stability: f.stability.clone(),
                package: f.package.map(|p| remap.packages[p.index()]),
            });
        } else {
            // The existing interface gains what only `from`'s copy has.
            for (n, t) in &f.types {
                let t = remap.types[t.index()];
                let dst = &mut into.interfaces[id.index()];
                dst.types.entry(n.clone()).or_insert(t);
            }
            for (n, g) in &f.functions {
                if !into.interface(id).functions.contains_key(n) {
                    let g = remap.function(g);
                    into.interfaces[id.index()].functions.insert(n.clone(), g);
                }
            }
        }
    }
    for (i, w) in from.worlds.iter().enumerate() {
        if fresh(i, nw, remap.worlds[i].index()) {
            into.worlds.push(World {
                name: w.name.clone(),
                imports: w
                    .imports
                    .iter()
                    .map(|(k, v)| (remap.key(k), remap.item(v)))
                    .collect(),
                exports: w
                    .exports
                    .iter()
                    .map(|(k, v)| (remap.key(k), remap.item(v)))
                    .collect(),
                package: w.package.map(|p| remap.packages[p.index()]),
                docs: w.docs.clone(),
                stability: w.stability.clone(),
            });
        }
    }
    for (i, p) in from.packages.iter().enumerate() {
        if fresh(i, np, remap.packages[i].index()) {
            into.packages.push(Package {
                name: p.name.clone(),
                docs: p.docs.clone(),
                interfaces: p
                    .interfaces
                    .iter()
                    .map(|(n, x)| (n.clone(), remap.interfaces[x.index()]))
                    .collect(),
                worlds: p
                    .worlds
                    .iter()
                    .map(|(n, x)| (n.clone(), remap.worlds[x.index()]))
                    .collect(),
            });
        }
    }
    for (pkg, name, i) in add_ifaces {
        let id = remap.interfaces[i];
        into.packages[pkg.index()].interfaces.insert(name, id);
    }
    for (pkg, name, i) in add_worlds {
        let id = remap.worlds[i];
        into.packages[pkg.index()].worlds.insert(name, id);
    }
    Ok(remap)
}

/// Checks that a world item present in both worlds is the same item.
fn same_item(r: &Resolve, from: &WorldItem, into: &WorldItem) -> Result<(), String> {
    match (from, into) {
        (WorldItem::Interface { id: a, .. }, WorldItem::Interface { id: b, .. }) => {
            if a == b {
                return Ok(());
            }
            let (a, b) = (r.interface(*a), r.interface(*b));
            for (n, f) in &a.functions {
                if let Some(g) = b.functions.get(n) {
                    same_function(f, g)?;
                }
            }
            Ok(())
        }
        (WorldItem::Function(a), WorldItem::Function(b)) => same_function(a, b),
        (WorldItem::Type(_), WorldItem::Type(_)) => Ok(()),
        _ => Err("different kinds of items".into()),
    }
}

/// Adds world `from`'s imports and exports that `into` lacks to `into`.
/// An export both have is an error unless it is the same item.
pub fn merge_worlds(r: &mut Resolve, from: WorldId, into: WorldId) -> Result<(), String> {
    let (f, i) = (r.world(from).clone(), r.world(into).clone());
    let mut new_imports = Vec::new();
    for (k, item) in &f.imports {
        match i.imports.get(k) {
            Some(existing) => same_item(r, item, existing).map_err(|e| {
                format!("failed to merge world import {}: {e}", r.name_world_key(k))
            })?,
            None => new_imports.push((k.clone(), item.clone())),
        }
    }
    let mut new_exports = Vec::new();
    for (k, item) in &f.exports {
        match i.exports.get(k) {
            Some(existing) => same_item(r, item, existing).map_err(|e| {
                format!("failed to merge world export {}: {e}", r.name_world_key(k))
            })?,
            None => {
                if let WorldKey::Interface(id) = k {
                    if i.imports.contains_key(k) && !f.imports.contains_key(k) {
                        return Err(format!(
                            "failed to add export `{}`: it is already imported",
                            r.id_of(*id).unwrap_or_default()
                        ));
                    }
                }
                new_exports.push((k.clone(), item.clone()))
            }
        }
    }
    // A world's own types now belong to the world they are merged into.
    for (_, item) in new_imports.iter().chain(&new_exports) {
        if let WorldItem::Type(t) = item {
            r.types[t.index()].owner = TypeOwner::World(into);
        }
    }
    let w = &mut r.worlds[into.index()];
    w.imports.extend(new_imports);
    w.exports.extend(new_exports);
    Ok(())
}

/// The semver track of an interface (its package without the version's
/// compatible part) and its version, if it has one.
fn semver_track(r: &Resolve, id: InterfaceId) -> Option<((String, String), Version)> {
    let iface = r.interface(id);
    let pkg = &r.package(iface.package?).name;
    let v = pkg.version.clone()?;
    let track = version_compat_track(&v);
    let name = format!("{}:{}@{track}", pkg.namespace, pkg.name);
    Some(((name, iface.name.clone()?), v))
}

/// Replaces a world's imports of several semver-compatible versions of one
/// interface with the newest, pointing `use`s of the older ones at it, then
/// elaborates the world again.
pub fn merge_imports_by_semver(r: &mut Resolve, world: WorldId) -> Result<(), String> {
    let mut latest: HashMap<(String, String), (Version, InterfaceId)> = HashMap::new();
    let mut removed: HashSet<InterfaceId> = HashSet::new();
    for k in r.world(world).imports.keys() {
        let WorldKey::Interface(id) = k else { continue };
        let Some((track, v)) = semver_track(r, *id) else {
            continue;
        };
        match latest.get(&track) {
            None => {
                latest.insert(track, (v, *id));
            }
            Some((have, old)) => match v.cmp(have) {
                std::cmp::Ordering::Greater => {
                    removed.insert(*old);
                    latest.insert(track, (v, *id));
                }
                std::cmp::Ordering::Less => {
                    removed.insert(*id);
                }
                std::cmp::Ordering::Equal => {}
            },
        }
    }
    if removed.is_empty() {
        return Ok(());
    }
    let mut replace: HashMap<InterfaceId, InterfaceId> = HashMap::new();
    for id in &removed {
        let (track, _) = semver_track(r, *id).expect("tracked above");
        let with = latest[&track].1;
        // What both versions have must agree (either may have more).
        let (old, new) = (r.interface(*id), r.interface(with));
        for (n, f) in &old.functions {
            if let Some(Err(e)) = new.functions.get(n).map(|g| same_function(f, g)) {
                return Err(format!(
                    "failed to upgrade `{}` to `{}`, was this semver-compatible update not \
                     semver compatible? {e}",
                    r.id_of(*id).unwrap_or_default(),
                    r.id_of(with).unwrap_or_default()
                ));
            }
        }
        replace.insert(*id, with);
    }
    let imports = std::mem::take(&mut r.worlds[world.index()].imports);
    let mut kept = indexmap::IndexMap::new();
    for (k, item) in imports {
        if matches!(&item, WorldItem::Interface { id, .. } if replace.contains_key(id)) {
            continue;
        }
        update_deps(r, &item, &replace);
        kept.insert(k, item);
    }
    r.worlds[world.index()].imports = kept;
    let exports = r.world(world).exports.clone();
    for item in exports.values() {
        update_deps(r, item, &replace);
    }
    crate::parse::elaborate_world(r, world)
}

/// Points the `use`s of `item` (of an interface's types, or a world type)
/// at the replacement interfaces.
fn update_deps(r: &mut Resolve, item: &WorldItem, replace: &HashMap<InterfaceId, InterfaceId>) {
    let types: Vec<TypeId> = match item {
        WorldItem::Interface { id, .. } => r.interface(*id).types.values().copied().collect(),
        WorldItem::Type(t) => vec![*t],
        WorldItem::Function(_) => Vec::new(),
    };
    for t in types {
        let Some(dep) = crate::deps::type_interface_dep(r, t) else {
            continue;
        };
        let Some(with) = replace.get(&dep) else {
            continue;
        };
        let TypeDefKind::Type(Type::Id(used)) = r.ty(t).kind else {
            continue;
        };
        let name = r.ty(used).name.clone().unwrap_or_default();
        if let Some(new) = r.interface(*with).types.get(&name).copied() {
            r.types[t.index()].kind = TypeDefKind::Type(Type::Id(new));
        }
    }
}

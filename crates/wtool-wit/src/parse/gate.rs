//! Feature gates: items whose `@unstable` feature is off are dropped, and
//! what remains must not refer to them. Then the package's names are
//! registered, in the order its interfaces and worlds were resolved.

use super::resolve::{ItemRef, Located, RResult, Resolver, Spot};
use super::ParseOptions;
use crate::model::*;
use std::collections::HashSet;

const EXCLUDED: &str =
    "found a reference to a type which is excluded due to its feature not being activated";

impl Resolver<'_> {
    /// Whether an item gated by `st` is kept; errors for a bad `@since`.
    fn keep(&self, st: &Stability, opts: &ParseOptions) -> Result<bool, String> {
        keep(&self.resolve.package(self.pkg).name, st, opts)
    }

    /// Drops gated items, merges includes, elaborates worlds and registers
    /// the package's interfaces and worlds.
    pub(crate) fn finish(&mut self, opts: &ParseOptions) -> RResult<()> {
        let mut dropped_types = HashSet::new();
        let mut dropped_ifaces = HashSet::new();
        let ifaces: Vec<InterfaceId> = self
            .order
            .iter()
            .filter_map(|i| match i {
                ItemRef::Interface(i) => Some(*i),
                ItemRef::World(_) => None,
            })
            .chain(self.anon_ifaces.iter().copied())
            .collect();
        for &id in &ifaces {
            let iface = self.resolve.interface(id).clone();
            if !self.keep_at(&iface.stability, opts, &Spot::Iface(id))? {
                for t in iface.types.values() {
                    if self.keep(&self.resolve.ty(*t).stability, opts) == Ok(true) {
                        return Err(self.at_spot(
                            &Spot::Type(*t),
                            format!(
                                "{}; this type is not gated by a feature but its interface is",
                                EXCLUDED.replace("a type", "a interface")
                            ),
                        ));
                    }
                }
                dropped_ifaces.insert(id);
                dropped_types.extend(iface.types.values().copied());
                continue;
            }
            let mut kept = iface.clone();
            kept.types.clear();
            kept.functions.clear();
            for (name, t) in &iface.types {
                if self.keep_at(&self.resolve.ty(*t).stability, opts, &Spot::Type(*t))? {
                    kept.types.insert(name.clone(), *t);
                } else {
                    dropped_types.insert(*t);
                }
            }
            for (name, f) in &iface.functions {
                let spot = Spot::Func(id, name.clone());
                if self.keep_at(&f.stability, opts, &spot)? {
                    if f.kind
                        .resource()
                        .is_some_and(|r| dropped_types.contains(&r))
                    {
                        return Err(self.at_spot(&spot, EXCLUDED));
                    }
                    kept.functions.insert(name.clone(), f.clone());
                }
            }
            self.resolve.interfaces[id.index()] = kept;
        }
        let mut worlds = Vec::new();
        let mut dropped_worlds = HashSet::new();
        for item in self.order.clone() {
            let ItemRef::World(wid) = item else { continue };
            let world = self.resolve.world(wid).clone();
            if !self.keep_at(&world.stability, opts, &Spot::World(wid))? {
                for item in world.imports.values() {
                    if let WorldItem::Type(t) = item {
                        if self.keep(&self.resolve.ty(*t).stability, opts) == Ok(true) {
                            return Err(self.at_spot(
                                &Spot::Type(*t),
                                format!(
                                    "{}; this type is not gated by a feature but its world is",
                                    EXCLUDED.replace("a type", "a world")
                                ),
                            ));
                        }
                    }
                }
                self.includes.remove(&wid);
                dropped_worlds.insert(wid);
                continue;
            }
            worlds.push(wid);
            let mut w = world.clone();
            for (items, out, is_import) in [
                (&world.imports, &mut w.imports, true),
                (&world.exports, &mut w.exports, false),
            ] {
                out.clear();
                for (k, item) in items {
                    let spot = Spot::Item(wid, is_import, k.clone());
                    let st = match item {
                        WorldItem::Interface { stability, .. } => stability,
                        WorldItem::Function(f) => &f.stability,
                        WorldItem::Type(t) => &self.resolve.ty(*t).stability,
                    };
                    let keep = self.keep_at(st, opts, &spot)?;
                    match item {
                        // wit-parser resolves a world's types before looking
                        // at their gates, so a gated-off one is an error.
                        WorldItem::Type(_) if !keep => {
                            return Err(self.at_spot(&spot, EXCLUDED));
                        }
                        WorldItem::Function(f)
                            if keep
                                && f.kind
                                    .resource()
                                    .is_some_and(|r| dropped_types.contains(&r)) =>
                        {
                            return Err(self.at_spot(&spot, EXCLUDED));
                        }
                        _ => {}
                    }
                    if keep {
                        out.insert(k.clone(), item.clone());
                    }
                }
            }
            self.resolve.worlds[wid.index()] = w;
        }
        self.check_references(&ifaces, &worlds, &dropped_types, &dropped_ifaces)?;
        let pkg_name = self.resolve.package(self.pkg).name.clone();
        for incs in self.includes.values() {
            for inc in incs {
                if dropped_worlds.contains(&inc.world)
                    && keep(&pkg_name, &inc.stability, opts) == Ok(true)
                {
                    return Err(Located {
                        file: inc.file,
                        at: inc.at,
                        message: EXCLUDED.replace("a type", "a world"),
                    });
                }
            }
        }
        for &wid in &worlds {
            let keep_fn = |st: &Stability| keep(&pkg_name, st, opts);
            self.finish_world(wid, &keep_fn)?;
        }
        for item in self.order.clone() {
            match item {
                ItemRef::Interface(id) if !dropped_ifaces.contains(&id) => {
                    let name = self.resolve.interface(id).name.clone().unwrap();
                    self.resolve.packages[self.pkg.index()]
                        .interfaces
                        .insert(name, id);
                }
                ItemRef::World(wid) if worlds.contains(&wid) => {
                    let name = self.resolve.world(wid).name.clone();
                    self.resolve.packages[self.pkg.index()]
                        .worlds
                        .insert(name, wid);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// [`Self::keep`] with a bad `@since` reported at `spot`.
    fn keep_at(&self, st: &Stability, opts: &ParseOptions, spot: &Spot) -> RResult<bool> {
        self.keep(st, opts).map_err(|m| self.at_spot(spot, m))
    }

    /// What is kept must not reach what was dropped (and results must not
    /// hold borrows).
    fn check_references(
        &self,
        ifaces: &[InterfaceId],
        worlds: &[WorldId],
        dropped: &HashSet<TypeId>,
        dropped_ifaces: &HashSet<InterfaceId>,
    ) -> RResult<()> {
        let pkg = &self.resolve.package(self.pkg).name;
        let excluded = |st: &Stability| keep(pkg, st, &self.opts) == Ok(false);
        let mut check = Checker {
            r: self.resolve,
            dropped,
            excluded: &excluded,
            seen: HashSet::new(),
        };
        for &id in ifaces.iter().filter(|i| !dropped_ifaces.contains(i)) {
            let iface = self.resolve.interface(id);
            for t in iface.types.values() {
                check
                    .named(*t)
                    .map_err(|m| self.at_spot(&Spot::Type(*t), m))?;
            }
            for (name, f) in &iface.functions {
                check
                    .function(f)
                    .map_err(|m| self.at_spot(&Spot::Func(id, name.clone()), m))?;
            }
        }
        for &wid in worlds {
            let w = self.resolve.world(wid);
            for (is_import, items) in [(true, &w.imports), (false, &w.exports)] {
                for (k, item) in items {
                    let spot = Spot::Item(wid, is_import, k.clone());
                    match item {
                        WorldItem::Interface { id, .. } if dropped_ifaces.contains(id) => {
                            return Err(
                                self.at_spot(&spot, EXCLUDED.replace("a type", "an interface"))
                            );
                        }
                        WorldItem::Interface { .. } => {}
                        WorldItem::Function(f) => {
                            check.function(f).map_err(|m| self.at_spot(&spot, m))?
                        }
                        WorldItem::Type(t) => {
                            check.named(*t).map_err(|m| self.at_spot(&spot, m))?
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The gate rule: ungated and `@since` items stay (a `@since` needs a
/// released package version), `@unstable` ones only with their feature.
pub(crate) fn keep(pkg: &PackageName, st: &Stability, opts: &ParseOptions) -> Result<bool, String> {
    match st {
        Stability::Unknown => Ok(true),
        Stability::Stable { since, .. } => {
            let Some(v) = &pkg.version else {
                return Err(format!(
                    "package [{pkg}] contains a feature gate with a version specifier, so it must have a version"
                ));
            };
            if since > v {
                return Err(format!(
                    "feature gate cannot reference unreleased version {since} of package [{pkg}] (current version {v})"
                ));
            }
            Ok(true)
        }
        Stability::Unstable { feature, .. } => {
            Ok(opts.all_features || opts.features.iter().any(|f| f == feature))
        }
    }
}

/// Walks types for references to dropped ones, and for `borrow` in results.
struct Checker<'a> {
    r: &'a Resolve,
    dropped: &'a HashSet<TypeId>,
    /// Whether a gate is off (anonymous types are dropped by their gate).
    excluded: &'a dyn Fn(&Stability) -> bool,
    seen: HashSet<TypeId>,
}

impl Checker<'_> {
    fn named(&mut self, id: TypeId) -> Result<(), String> {
        let kind = self.r.ty(id).kind.clone();
        self.kind(&kind)
    }

    fn ty(&mut self, t: Type) -> Result<(), String> {
        let Type::Id(id) = t else { return Ok(()) };
        let def = self.r.ty(id);
        if self.dropped.contains(&id)
            || (def.owner == TypeOwner::None && (self.excluded)(&def.stability))
        {
            return Err(EXCLUDED.into());
        }
        if self.r.ty(id).owner == TypeOwner::None && self.seen.insert(id) {
            let kind = self.r.ty(id).kind.clone();
            self.kind(&kind)?;
        }
        Ok(())
    }

    fn kind(&mut self, k: &TypeDefKind) -> Result<(), String> {
        let mut ts = Vec::new();
        each_type(k, &mut |t| ts.push(t));
        ts.into_iter().try_for_each(|t| self.ty(t))
    }

    fn function(&mut self, f: &Function) -> Result<(), String> {
        for (_, t) in &f.params {
            self.ty(*t)?;
        }
        if let Some(t) = f.result {
            self.ty(t)?;
            if has_borrow(self.r, t, &mut HashSet::new()) {
                return Err(format!(
                    "function `{}` returns a type which contains a `borrow<T>` which is not supported",
                    f.name
                ));
            }
        }
        Ok(())
    }
}

/// Calls `f` on each type directly inside `k`.
pub(crate) fn each_type(k: &TypeDefKind, f: &mut dyn FnMut(Type)) {
    match k {
        TypeDefKind::Record(fs) => fs.iter().for_each(|x| f(x.ty)),
        TypeDefKind::Variant(cs) => cs.iter().filter_map(|c| c.ty).for_each(f),
        TypeDefKind::Tuple(ts) => ts.iter().for_each(|t| f(*t)),
        TypeDefKind::Handle(Handle::Own(id) | Handle::Borrow(id)) => f(Type::Id(*id)),
        TypeDefKind::Option(t)
        | TypeDefKind::List(t)
        | TypeDefKind::FixedLengthList(t, _)
        | TypeDefKind::Type(t) => f(*t),
        TypeDefKind::Map(a, b) => {
            f(*a);
            f(*b)
        }
        TypeDefKind::Result { ok, err } => ok.iter().chain(err.iter()).for_each(|t| f(*t)),
        TypeDefKind::Future(t) | TypeDefKind::Stream(t) => t.iter().for_each(|t| f(*t)),
        TypeDefKind::Resource | TypeDefKind::Flags(_) | TypeDefKind::Enum(_) => {}
    }
}

fn has_borrow(r: &Resolve, t: Type, seen: &mut HashSet<TypeId>) -> bool {
    let Type::Id(id) = t else { return false };
    if !seen.insert(id) {
        return false;
    }
    let kind = &r.ty(id).kind;
    if matches!(kind, TypeDefKind::Handle(Handle::Borrow(_))) {
        return true;
    }
    // A handle's resource is not "inside" it.
    if matches!(kind, TypeDefKind::Handle(_) | TypeDefKind::Resource) {
        return false;
    }
    let mut inner = Vec::new();
    each_type(kind, &mut |t| inner.push(t));
    inner.into_iter().any(|t| has_borrow(r, t, seen))
}

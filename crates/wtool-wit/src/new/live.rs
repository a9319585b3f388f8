//! Which imported types a component needs: those the module's imports and
//! the world's exports reach, in the order wit-component's liveness walk
//! finds them (dependencies first), which is the order they are declared in.

use super::names::{ImportKind, Plan};
use crate::model::*;
use indexmap::IndexSet;

/// Live types in discovery order.
#[derive(Default)]
pub struct Live(pub IndexSet<TypeId>);

impl Live {
    fn ty(&mut self, r: &Resolve, t: Type) {
        if let Type::Id(id) = t {
            self.id(r, id);
        }
    }

    /// Adds `id` after everything it refers to.
    pub fn id(&mut self, r: &Resolve, id: TypeId) {
        if self.0.contains(&id) {
            return;
        }
        match &r.ty(id).kind {
            TypeDefKind::Type(t)
            | TypeDefKind::List(t)
            | TypeDefKind::FixedLengthList(t, _)
            | TypeDefKind::Option(t)
            | TypeDefKind::Future(Some(t))
            | TypeDefKind::Stream(Some(t)) => self.ty(r, *t),
            TypeDefKind::Map(k, v) => {
                self.ty(r, *k);
                self.ty(r, *v);
            }
            TypeDefKind::Handle(Handle::Own(t) | Handle::Borrow(t)) => self.id(r, *t),
            TypeDefKind::Record(fs) => fs.iter().for_each(|f| self.ty(r, f.ty)),
            TypeDefKind::Tuple(ts) => ts.iter().for_each(|t| self.ty(r, *t)),
            TypeDefKind::Variant(cs) => cs.iter().filter_map(|c| c.ty).for_each(|t| self.ty(r, t)),
            TypeDefKind::Result { ok, err } => {
                ok.iter().chain(err.iter()).for_each(|t| self.ty(r, *t));
            }
            _ => {}
        }
        self.0.insert(id);
    }

    /// Adds a function's types (a static function's resource first).
    pub fn func(&mut self, r: &Resolve, f: &Function) {
        if let FunctionKind::Static(id)
        | FunctionKind::AsyncStatic(id)
        | FunctionKind::StaticGetter(id)
        | FunctionKind::StaticSetter(id) = f.kind
        {
            self.id(r, id);
        }
        for (_, t) in &f.params {
            self.ty(r, *t);
        }
        if let Some(t) = f.result {
            self.ty(r, t);
        }
    }

    fn interface(&mut self, r: &Resolve, i: InterfaceId) {
        let iface = r.interface(i);
        for t in iface.types.values() {
            self.id(r, *t);
        }
        for f in iface.functions.values() {
            self.func(r, f);
        }
    }
}

/// The live types of world `w` for the modules' `plans` (the main module's,
/// then each adapter's).
pub fn live_types(r: &Resolve, w: WorldId, plans: &[&Plan]) -> Live {
    let world = r.world(w);
    let mut live = Live::default();
    for item in world.imports.values() {
        if let WorldItem::Type(t) = item {
            live.id(r, *t);
        }
    }
    for plan in plans {
        // wit-component walks the imports grouped by module name.
        let mut modules: Vec<&str> = Vec::new();
        for i in &plan.imports {
            if !modules.contains(&i.module.as_str()) {
                modules.push(&i.module);
            }
        }
        for m in modules {
            for i in plan.imports.iter().filter(|i| i.module == m) {
                match &i.kind {
                    ImportKind::Func(_, f) => live.func(r, f),
                    ImportKind::ResourceDrop(_, t) => live.id(r, *t),
                    ImportKind::Exported(_, i) => live.id(r, plan.resources[*i].1),
                    ImportKind::Adapter { .. }
                    | ImportKind::MainMemory
                    | ImportKind::MainExport(_) => {}
                }
            }
        }
    }
    for (key, item) in &world.exports {
        match item {
            WorldItem::Interface { id, .. } => {
                let used = exports_used(r, world, *id);
                let mut own = Live::default();
                own.interface(r, *id);
                for t in own.0 {
                    match r.ty(t).owner {
                        TypeOwner::Interface(o) if o != *id && !used.contains(&o) => live.id(r, t),
                        _ => {}
                    }
                }
            }
            WorldItem::Function(f) => live.func(r, f),
            WorldItem::Type(t) => live.id(r, *t),
        }
        let _ = key;
    }
    live
}

/// The exported interfaces `id` depends on, transitively through exports.
fn exports_used(r: &Resolve, world: &World, id: InterfaceId) -> Vec<InterfaceId> {
    let mut out = Vec::new();
    for dep in crate::deps::interface_direct_deps(r, id) {
        if world.exports.contains_key(&WorldKey::Interface(dep)) && !out.contains(&dep) {
            out.push(dep);
            for d in exports_used(r, world, dep) {
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
    }
    out
}

//! What may be imported or exported: every record, variant, enum, flags
//! and resource type an import or export mentions must itself have been
//! imported or exported (named) first, so that the component's interface
//! can be written down (as WIT).

use super::items::Dir;
use super::types::*;
use super::{ScopeKind, Validator};
use std::collections::HashSet;

impl Validator<'_> {
    /// Checks that `e`'s types are named for `dir`, and registers the
    /// names it introduces. False when a type is not named.
    pub(crate) fn register_named(&mut self, e: &Entity, dir: Dir) -> bool {
        if self.cur_ref().kind == ScopeKind::InstanceType {
            return true;
        }
        match *e {
            Entity::Type {
                referenced,
                created,
            } => {
                let s = self.cur_ref();
                // Imports cannot name what only exports named.
                if dir == Dir::Import
                    && s.exported_types.contains(&referenced)
                    && !s.imported_types.contains(&referenced)
                {
                    return false;
                }
                let set = self.set(dir).clone();
                if !self.all_named(referenced, &mut set.clone()) {
                    return false;
                }
                let s = self.cur();
                match dir {
                    Dir::Import => {
                        s.imported_types.insert(created);
                        s.exported_types.insert(created);
                    }
                    Dir::Export => {
                        s.exported_types.insert(created);
                    }
                }
                true
            }
            Entity::Instance(i) => {
                let Ty::Instance(it) = self.types.get(i).clone() else {
                    return true;
                };
                it.exports.iter().all(|(_, x)| self.register_named(x, dir))
            }
            Entity::Func(f) => {
                let set = self.set(dir).clone();
                self.func_named(f, &set)
            }
            Entity::Value(v) => {
                let set = self.set(dir).clone();
                self.val_named(v, &set)
            }
            Entity::Component(_) | Entity::Module(_) => true,
        }
    }

    fn set(&self, dir: Dir) -> &HashSet<TypeId> {
        let s = self.cur_ref();
        match dir {
            Dir::Import => &s.imported_types,
            Dir::Export => &s.exported_types,
        }
    }

    fn all_named(&self, id: TypeId, set: &mut HashSet<TypeId>) -> bool {
        match self.types.get(id) {
            Ty::Resource(_) | Ty::Component(_) => true,
            Ty::Defined(d) => self.defined_named(d, set),
            Ty::Func(_) => self.func_named(id, set),
            Ty::Instance(it) => {
                // Types an instance type exports are named inside it.
                let mut added = Vec::new();
                let ok = it.exports.iter().all(|(_, e)| match *e {
                    Entity::Module(_) | Entity::Component(_) | Entity::Value(ValTy::Prim(_)) => {
                        true
                    }
                    Entity::Func(f) => self.func_named(f, set),
                    Entity::Type { created, .. } => {
                        let named = self.all_named(created, set);
                        if named && set.insert(created) {
                            added.push(created);
                        }
                        named
                    }
                    Entity::Value(ValTy::Id(t)) => match self.types.get(t) {
                        Ty::Defined(d) => self.defined_named(d, set),
                        _ => true,
                    },
                    Entity::Instance(i) => self.all_named(i, set),
                });
                for a in added {
                    set.remove(&a);
                }
                ok
            }
            _ => true,
        }
    }

    fn func_named(&self, f: TypeId, set: &HashSet<TypeId>) -> bool {
        let Ty::Func(ft) = self.types.get(f) else {
            return true;
        };
        ft.params
            .iter()
            .map(|p| &p.1)
            .chain(ft.result.iter())
            .all(|t| self.val_named(*t, set))
    }

    fn val_named(&self, t: ValTy, set: &HashSet<TypeId>) -> bool {
        let ValTy::Id(id) = t else { return true };
        let Ty::Defined(d) = self.types.get(id) else {
            return true;
        };
        match d {
            Defined::Prim(_) => true,
            Defined::Flags(_) | Defined::Enum(_) | Defined::Record(_) | Defined::Variant(_) => {
                set.contains(&id)
            }
            _ => self.defined_named(d, set),
        }
    }

    fn defined_named(&self, d: &Defined, set: &HashSet<TypeId>) -> bool {
        let v = |t: &ValTy| self.val_named(*t, set);
        match d {
            Defined::Prim(_) | Defined::Flags(_) | Defined::Enum(_) => true,
            Defined::Record(fs) => fs.iter().all(|f| v(&f.1)),
            Defined::Tuple(ts) => ts.iter().all(v),
            Defined::Variant(cs) => cs.iter().filter_map(|c| c.1.as_ref()).all(v),
            Defined::Result(a, b) => a.iter().chain(b.iter()).all(v),
            Defined::List(t) | Defined::FixedList(t, _) | Defined::Option(t) => v(t),
            Defined::Map(k, x) => v(k) && v(x),
            Defined::Own(r) | Defined::Borrow(r) => set.contains(r),
            Defined::Stream(t) | Defined::Future(t) => t.iter().all(v),
        }
    }
}

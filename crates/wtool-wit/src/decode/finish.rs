//! The end of decoding: anonymous types unified with earlier definitions,
//! and packages put into the resolve in dependency order.

use super::types::{Def, Node, Types, VRef};
use super::wit::{no_docs, Decoder, Fields, Msg};
use crate::model::*;
use indexmap::IndexMap;
use std::collections::HashSet;

impl<'a> Decoder<'a> {
    /// Registers the anonymous parts of a wasm type against the WIT type
    /// already defined for it, so they are not duplicated.
    pub(super) fn register_defined(&mut self, id: TypeId, d: &Def) -> Result<(), Msg> {
        let kind = self.resolve.ty(id).kind.clone();
        if let TypeDefKind::Type(Type::Id(_)) = kind {
            return Ok(());
        }
        let pairs: Vec<(VRef, Type)> = match (d, &kind) {
            (Def::List(a), TypeDefKind::List(b)) | (Def::Option(a), TypeDefKind::Option(b)) => {
                vec![(*a, *b)]
            }
            (Def::FixedList(a, n), TypeDefKind::FixedLengthList(b, m)) if n == m => vec![(*a, *b)],
            (Def::Map(a, c), TypeDefKind::Map(b, d)) => vec![(*a, *b), (*c, *d)],
            (Def::Tuple(a), TypeDefKind::Tuple(b)) if a.len() == b.len() => {
                a.iter().copied().zip(b.iter().copied()).collect()
            }
            (Def::Result(a, c), TypeDefKind::Result { ok, err }) => {
                let mut v = Vec::new();
                match (a, ok) {
                    (Some(a), Some(b)) => v.push((*a, *b)),
                    (None, None) => {}
                    _ => return Err("disagreement on result structure".into()),
                }
                match (c, err) {
                    (Some(a), Some(b)) => v.push((*a, *b)),
                    (None, None) => {}
                    _ => return Err("disagreement on result structure".into()),
                }
                v
            }
            (Def::Record(a), TypeDefKind::Record(b)) if a.len() == b.len() => {
                let mut v = Vec::new();
                for ((n, t), f) in a.iter().zip(b) {
                    if *n != f.name {
                        return Err("mismatched field order".into());
                    }
                    v.push((*t, f.ty));
                }
                v
            }
            (Def::Variant(a), TypeDefKind::Variant(b)) if a.len() == b.len() => {
                let mut v = Vec::new();
                for ((n, t), c) in a.iter().zip(b) {
                    if *n != c.name {
                        return Err("mismatched case order".into());
                    }
                    match (t, c.ty) {
                        (Some(a), Some(b)) => v.push((*a, b)),
                        (None, None) => {}
                        _ => return Err("disagreement on case type".into()),
                    }
                }
                v
            }
            (Def::Future(a), TypeDefKind::Future(b)) | (Def::Stream(a), TypeDefKind::Stream(b)) => {
                match (a, b) {
                    (Some(a), Some(b)) => vec![(*a, *b)],
                    (None, None) => vec![],
                    _ => return Err("disagreement on payload".into()),
                }
            }
            (Def::Prim(_) | Def::Flags(_) | Def::Enum(_) | Def::Own(_) | Def::Borrow(_), _) => {
                vec![]
            }
            _ => return Err("a type's structure differs from its earlier definition".into()),
        };
        for (wasm, wit) in pairs {
            let VRef::Key(k) = wasm else { continue };
            let Type::Id(wit) = wit else {
                return Err("expected id-based type".into());
            };
            if self.type_map.contains_key(&k) {
                continue;
            }
            self.type_map.insert(k, wit);
            let types: &'a Types = self.types;
            if let Node::Defined(d) = types.node(k) {
                self.register_defined(wit, d)?;
            }
        }
        Ok(())
    }

    /// Puts foreign packages (in dependency order) and then `package` into
    /// the resolve; returns the id of `package`.
    pub fn finish(
        mut self,
        name: PackageName,
        fields: Fields,
    ) -> Result<(Resolve, PackageId), Msg> {
        let mut order: Vec<usize> = Vec::new();
        let mut visiting = HashSet::new();
        for i in 0..self.foreign.len() {
            self.visit_package(i, &mut order, &mut visiting)?;
        }
        let foreign = std::mem::take(&mut self.foreign);
        let mut deps: Vec<Option<(PackageName, Fields)>> =
            foreign.into_values().map(Some).collect();
        for i in order {
            let (name, fields) = deps[i].take().expect("each package once");
            self.insert_package(name, fields);
        }
        let id = self.insert_package(name, fields);
        Ok((self.resolve, id))
    }

    pub(super) fn insert_package(&mut self, name: PackageName, fields: Fields) -> PackageId {
        let pkg = match self.resolve.packages.iter().position(|p| p.name == name) {
            Some(i) => PackageId(i as u32),
            None => self.resolve.push_package(Package {
                name,
                docs: no_docs(),
                interfaces: IndexMap::new(),
                worlds: IndexMap::new(),
            }),
        };
        for (n, id) in fields.interfaces {
            self.resolve.packages[pkg.index()].interfaces.insert(n, id);
            self.resolve.interfaces[id.index()].package = Some(pkg);
        }
        for (n, id) in fields.worlds {
            self.resolve.packages[pkg.index()].worlds.insert(n, id);
            self.resolve.worlds[id.index()].package = Some(pkg);
            let w = &self.resolve.worlds[id.index()];
            let anon: Vec<InterfaceId> = w
                .imports
                .iter()
                .chain(w.exports.iter())
                .filter_map(|(k, it)| match (k, it) {
                    (WorldKey::Name(_), WorldItem::Interface { id, .. }) => Some(*id),
                    _ => None,
                })
                .collect();
            for i in anon {
                let iface = &mut self.resolve.interfaces[i.index()];
                if iface.name.is_none() {
                    iface.package = Some(pkg);
                }
            }
        }
        pkg
    }

    fn visit_package(
        &self,
        idx: usize,
        order: &mut Vec<usize>,
        visiting: &mut HashSet<usize>,
    ) -> Result<(), Msg> {
        if order.contains(&idx) {
            return Ok(());
        }
        let (name, (_, fields)) = self.foreign.get_index(idx).expect("in range");
        if !visiting.insert(idx) {
            return Err(format!(
                "cannot represent this component in WIT: package `{name}` creates a dependency cycle"
            ));
        }
        for iface in fields.interfaces.values() {
            for dep in crate::deps::interface_direct_deps(&self.resolve, *iface) {
                let Some(&d) = self.iface_to_package.get(&dep) else {
                    return Err(format!(
                        "cannot represent this component in WIT: package `{name}` uses a type \
                         from an interface it can't depend on"
                    ));
                };
                if d != idx {
                    self.visit_package(d, order, visiting)?;
                }
            }
        }
        visiting.remove(&idx);
        order.push(idx);
        Ok(())
    }
}

//! The rules for an import or export name beyond its grammar: attributes
//! (`implements`, version suffix, external id), resource functions
//! (`[constructor]r`, `[method]r.m`, `[static]r.m`) against the resources
//! named in the same scope, and uniqueness.

use super::items::Dir;
use super::names::{
    check_attributes, check_interface_version, parse_name_with, with_version_suffix, NameAttrs,
    NameFeatures, NameKind,
};
use super::types::*;
use super::{Msg, Validator};
use crate::ast::{ExternName, NameAttr};
use wtool_ast::Features;

impl Validator<'_> {
    /// The gated name forms and attributes that are on.
    fn name_features(&self) -> NameFeatures {
        let on = |f| self.features.contains(f);
        NameFeatures {
            accessors: on(Features::CM_ACCESSORS),
            nested_names: on(Features::CM_NESTED_NAMES),
            implements: on(Features::CM_IMPLEMENTS),
            canon_names: on(Features::CM_CANON_NAMES),
        }
    }

    /// Checks an import or export's name against its type and the names
    /// before it in this scope, and records it. `bag` is for the exports of
    /// an instance made of exports, whose resources name nothing (it has
    /// no index spaces of its own).
    pub(crate) fn check_extern_name(
        &mut self,
        name: &ExternName,
        e: &Entity,
        dir: Dir,
        bag: bool,
    ) -> Result<(), Msg> {
        let n = name.name.as_str();
        let features = self.name_features();
        let kind = parse_name_with(n, features)
            .map_err(|m| format!("{} name `{n}` is not a valid extern name: {m}", dir.desc()))?;
        let mut seen = [false; 3];
        for a in &name.attrs {
            let k = a.kind() as usize;
            if seen[k] {
                let what = ["implements", "version-suffix", "external-id"][k];
                return Err(format!("duplicate '{what}' option in name"));
            }
            seen[k] = true;
        }
        let attr = |k: u8| {
            name.attrs.iter().find_map(|a| match a {
                NameAttr::Implements(s) if k == 0 => Some(s.as_str()),
                NameAttr::VersionSuffix(s) if k == 1 => Some(s.as_str()),
                NameAttr::ExternalId(s) if k == 2 => Some(s.as_str()),
                _ => None,
            })
        };
        let attrs = NameAttrs {
            implements: attr(0),
            version_suffix: attr(1),
            external_id: attr(2),
        };
        check_attributes(n, kind, attrs, matches!(e, Entity::Instance(_)), features)?;
        if let NameKind::Interface(_) = kind {
            check_interface_version(n, attrs.version_suffix)
                .map_err(|m| format!("{} name `{n}` is not valid: {m}", dir.desc()))?;
        }
        self.check_resource_func(kind, e, dir)
            .map_err(|m| format!("{} name `{n}` is not valid: {m}", dir.desc()))?;
        let s = self.cur();
        let set = match dir {
            Dir::Import => &mut s.import_names,
            Dir::Export => &mut s.export_names,
        };
        set.insert_with_suffix(n, attrs.version_suffix)
            .map_err(|p| {
                format!(
                    "{} name `{}` conflicts with previous name `{p}`",
                    dir.desc(),
                    with_version_suffix(n, attrs.version_suffix)
                )
            })?;
        // A top-level resource gives its name to the functions after it.
        if let Entity::Type {
            referenced,
            created,
        } = *e
        {
            if !bag && self.types.resource(referenced).is_some() {
                let s = self.cur();
                let names = match dir {
                    Dir::Import => &mut s.imported_resource_names,
                    Dir::Export => &mut s.exported_resource_names,
                };
                names.push((n.to_string(), created));
            }
        }
        Ok(())
    }

    fn check_resource_func(&self, kind: NameKind<'_>, e: &Entity, dir: Dir) -> Result<(), Msg> {
        let func = || match e {
            Entity::Func(f) => match self.types.get(*f) {
                Ty::Func(ft) => Ok(ft),
                _ => Err("item is not a func".to_string()),
            },
            _ => Err("item is not a func".to_string()),
        };
        match kind {
            NameKind::Constructor(r) => {
                let ft = func()?;
                if ft.is_async {
                    return Err("constructor function cannot be async".into());
                }
                let Some(result) = ft.result else {
                    return Err("function should return one value".into());
                };
                let own = match self.types.defined(result) {
                    Some(Defined::Own(id)) => Some(*id),
                    Some(Defined::Result(Some(ok), _)) => match self.types.defined(*ok) {
                        Some(Defined::Own(id)) => Some(*id),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(id) = own else {
                    return Err("function should return `(own $T)` or `(result (own $T))`".into());
                };
                self.resource_name(id, r, dir)
            }
            NameKind::Method { resource, .. } => {
                let ft = func()?;
                let Some((pname, pty)) = ft.params.first() else {
                    return Err("function should have at least one argument".into());
                };
                if pname != "self" {
                    return Err("function should have a first argument called `self`".into());
                }
                let Some(Defined::Borrow(id)) = self.types.defined(*pty) else {
                    return Err("function should take a first argument of `(borrow $T)`".into());
                };
                self.resource_name(*id, resource, dir)
            }
            NameKind::Static { resource, .. } => {
                func()?;
                if !self.names(dir).iter().any(|(n, _)| n == resource) {
                    return Err("static resource name is not known in this context".into());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn names(&self, dir: Dir) -> &[(String, TypeId)] {
        let s = self.cur_ref();
        match dir {
            Dir::Import => &s.imported_resource_names,
            Dir::Export => &s.exported_resource_names,
        }
    }

    /// The resource `id` must have been imported/exported here as `name`.
    fn resource_name(&self, id: TypeId, name: &str, dir: Dir) -> Result<(), Msg> {
        let Some((expected, _)) = self.names(dir).iter().find(|(_, t)| *t == id) else {
            return Err("resource used in function does not have a name in this context".into());
        };
        if expected != name {
            return Err(format!(
                "function does not match expected resource name `{expected}`"
            ));
        }
        Ok(())
    }
}

//! Component binaries to WIT: a WIT package encoded as a component, or the
//! world an ordinary component imports and exports (what wit-component's
//! `decode` does).

mod finish;
mod types;
mod wit;

use crate::model::*;
use indexmap::IndexMap;
use types::{cur_mut, Entity, Item, Key, Node, Scope, Types};
use wtool_component::ast::{Component, Sort};

/// What a component binary decoded to.
#[derive(Debug, Clone)]
pub enum DecodedWasm {
    /// A WIT package (with its dependencies) encoded as a component.
    WitPackage(Resolve, PackageId),
    /// An ordinary component: world `root` of package `root:component`.
    Component(Resolve, WorldId),
}

impl DecodedWasm {
    /// The model decoded.
    pub fn resolve(&self) -> &Resolve {
        match self {
            DecodedWasm::WitPackage(r, _) | DecodedWasm::Component(r, _) => r,
        }
    }

    /// The main package: the encoded one, or the component's `root:component`.
    pub fn package(&self) -> PackageId {
        match self {
            DecodedWasm::WitPackage(_, p) => *p,
            DecodedWasm::Component(r, w) => {
                r.world(*w).package.expect("decoded worlds have a package")
            }
        }
    }
}

/// Why a binary could not be decoded as WIT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at offset {offset:#x})")]
pub struct DecodeError {
    /// File offset of the construct at fault (0 when it is the whole component).
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

fn err(offset: usize) -> impl Fn(String) -> DecodeError {
    move |message| DecodeError { offset, message }
}

/// Decodes a component binary into the WIT it carries or implements.
pub fn decode(bytes: &[u8]) -> Result<DecodedWasm, DecodeError> {
    // Validated first, as wit-component does: the walk below trusts the
    // indices and the type structure (bounded depth) that validation checks.
    // Core function bodies are validated streaming from the input and never
    // decoded into the tree: WIT needs the component's structure only, and a
    // big component's code would otherwise be most of the memory and time.
    let features = wtool_ast::Features::ALL;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    wtool_component::validate_bytes(bytes, features, threads).map_err(|e| DecodeError {
        offset: e.offset.unwrap_or(0),
        message: e.message,
    })?;
    let (c, offsets) =
        wtool_component::decode_without_bodies(bytes, features).map_err(|e| DecodeError {
            offset: e.offset(),
            message: e.to_string(),
        })?;
    let section_at = |i: usize| offsets.sections.get(i).map_or(0, |s| s.start);
    let mut info = Info::default();
    walk(&c, &mut info, &offsets).map_err(|(i, m)| err(section_at(i))(m))?;
    if let Some(v) = info.is_wit_package() {
        if v == 1 {
            return Err(err(0)(
                "WIT packages in the v1 encoding (`ns:pkg/wit`) are not supported".into(),
            ));
        }
        let (mut resolve, pkg) = info.decode_package()?;
        if let Some(d) = &info.package_docs {
            crate::metadata::inject(d, &mut resolve, pkg).map_err(err(0))?;
        }
        return Ok(DecodedWasm::WitPackage(resolve, pkg));
    }
    let (mut resolve, world) = info.decode_component()?;
    if let Some(d) = &info.package_docs {
        let pkg = resolve.world(world).package.expect("set by finish");
        crate::metadata::inject(d, &mut resolve, pkg).map_err(err(0))?;
    }
    Ok(DecodedWasm::Component(resolve, world))
}

/// A component's imports and exports with their types.
#[derive(Default)]
struct Info {
    types: Types,
    /// Name, whether an import, type, and file offset.
    externs: Vec<(String, bool, Item, usize)>,
    package_docs: Option<Vec<u8>>,
}

/// Walks the top level of a component, resolving the types of its imports
/// and exports. Errors carry the index of the section at fault.
fn walk(
    c: &Component,
    info: &mut Info,
    offsets: &wtool_component::Offsets,
) -> Result<(), (usize, String)> {
    let mut scopes = vec![Scope::default()];
    let mut docs: Vec<Vec<u8>> = Vec::new();
    let mut order = Vec::new();
    let mut custom = |name: &str, data: &[u8]| {
        if name == crate::metadata::SECTION_NAME {
            docs.push(data.to_vec());
        }
    };
    instantiate::component_body_at(&mut info.types, &mut scopes, c, &mut custom, &mut order)?;
    if docs.len() > 1 {
        return Err((0, "multiple \"package-docs\" sections".into()));
    }
    info.package_docs = docs.pop();
    info.externs = order
        .into_iter()
        .map(|(n, import, item, (si, i))| (n, import, item, offsets.item(si, i).unwrap_or(0)))
        .collect();
    Ok(())
}

/// The type of an exported item, pushing the export's new index.
fn export_item(
    types: &mut Types,
    scopes: &mut [Scope],
    x: &wtool_component::ast::Export,
) -> Result<Item, String> {
    if let Some(t) = &x.ty {
        // An ascribed type is what the outside sees.
        return types.extern_item(scopes, &x.name, t);
    }
    let s = cur_mut(scopes);
    let get = |v: &[Key], what: &str| {
        v.get(x.index as usize)
            .copied()
            .ok_or_else(|| format!("unknown {what} {}", x.index))
    };
    let ty = match x.sort {
        Sort::Type => {
            let referenced = get(&s.types, "type")?;
            let created = types.push(Node::Alias(referenced));
            s.types.push(created);
            Entity::Type {
                referenced,
                created,
            }
        }
        Sort::Func => {
            let k = get(&s.funcs, "func")?;
            s.funcs.push(k);
            Entity::Func(k)
        }
        Sort::Instance => {
            let k = get(&s.instances, "instance")?;
            s.instances.push(k);
            Entity::Instance(k)
        }
        Sort::Component => {
            let k = get(&s.components, "component")?;
            s.components.push(k);
            Entity::Component(k)
        }
        _ => Entity::Other,
    };
    Ok(Item::named(ty, &x.name))
}

/// The type of an instance definition.
fn instance_type(
    types: &mut Types,
    scopes: &mut [Scope],
    i: &wtool_component::ast::Instance,
) -> Result<Key, String> {
    use wtool_component::ast::Instance;
    match i {
        Instance::FromExports(xs) => {
            let s = cur_mut(scopes);
            let mut exports = Vec::new();
            for x in xs {
                let space = match x.sort {
                    Sort::Type => &s.types,
                    Sort::Func => &s.funcs,
                    Sort::Instance => &s.instances,
                    Sort::Component => &s.components,
                    _ => continue,
                };
                let k = *space
                    .get(x.index as usize)
                    .ok_or_else(|| format!("unknown index {}", x.index))?;
                let ty = match x.sort {
                    // A bag of exports builds no index space, so its type
                    // exports are the types themselves (as in wasmparser).
                    Sort::Type => Entity::Type {
                        referenced: k,
                        created: k,
                    },
                    Sort::Func => Entity::Func(k),
                    Sort::Instance => Entity::Instance(k),
                    _ => Entity::Component(k),
                };
                exports.push((x.name.name.clone(), Item::named(ty, &x.name)));
            }
            Ok(types.push(Node::Instance(exports)))
        }
        Instance::Instantiate { component, args } => {
            instantiate::instantiate(types, scopes, *component, args)
        }
    }
}

/// The type of a nested component: a scope of its own, outer aliases reaching out.
fn nested_component(
    types: &mut Types,
    scopes: &mut Vec<Scope>,
    c: &Component,
) -> Result<Key, String> {
    scopes.push(Scope::default());
    let r = instantiate::component_body(types, scopes, c);
    let s = scopes.pop().expect("pushed above");
    r?;
    Ok(types.push(Node::Component {
        imports: s.imports,
        exports: s.exports,
    }))
}

mod instantiate;

impl Info {
    /// `Some(1)` / `Some(2)` when every extern is an exported component type
    /// named in the v1 (`ns:pkg/wit`) or v2 (bare name) style.
    fn is_wit_package(&self) -> Option<u8> {
        if self.externs.is_empty() {
            return None;
        }
        let all = self.externs.iter().all(|(_, import, item, _)| {
            !import
                && matches!(item.ty, Entity::Type { referenced, .. }
                    if matches!(self.types.node(referenced), Node::Component { .. }))
        });
        if !all {
            return None;
        }
        let first = &self.externs[0].0;
        match wit::iface_name(first) {
            Some(n) if n.interface == "wit" => Some(1),
            Some(_) => None,
            None if !first.contains(['[', ']', '.', '<']) => Some(2),
            None => None,
        }
    }

    /// Decodes the package; errors point at the export at fault.
    fn decode_package(&self) -> Result<(Resolve, PackageId), DecodeError> {
        let mut d = wit::Decoder::new(&self.types);
        let mut fields = wit::Fields::default();
        let mut name: Option<PackageName> = None;
        for (_, _, item, at) in &self.externs {
            let e = err(*at);
            let Entity::Type { referenced, .. } = item.ty else {
                unreachable!("checked by is_wit_package")
            };
            let Node::Component { imports, exports } = self.types.node(referenced) else {
                unreachable!("checked by is_wit_package")
            };
            if exports.len() != 1 {
                return Err(e(format!(
                    "Expected a single export, but found {} instead",
                    exports.len()
                )));
            }
            let (ename, eitem) = &exports[0];
            let pname = match eitem.ty {
                Entity::Component(_) => d.decode_world(ename, eitem, &mut fields).map_err(&e)?,
                Entity::Instance(_) => d
                    .decode_interface(ename, imports, eitem, &mut fields)
                    .map_err(&e)?,
                _ => return Err(e("a package item must be a world or an interface".into())),
            };
            match &name {
                Some(n) if *n != pname => {
                    return Err(e("item defined with mismatched package name".into()))
                }
                Some(_) => {}
                None => name = Some(pname),
            }
        }
        let name = name.ok_or_else(|| err(0)("no exported component type found".into()))?;
        d.finish(name, fields).map_err(err(0))
    }

    /// Decodes the component's world; errors point at the import or export at fault.
    fn decode_component(&self) -> Result<(Resolve, WorldId), DecodeError> {
        let mut d = wit::Decoder::new(&self.types);
        let world = d.resolve.push_world(World {
            name: "root".into(),
            imports: IndexMap::new(),
            exports: IndexMap::new(),
            package: None,
            docs: Docs::default(),
            stability: Stability::Unknown,
        });
        let mut fields = wit::Fields::default();
        fields.worlds.insert("root".into(), world);
        for (name, import, item, at) in &self.externs {
            let e = err(*at);
            if *import {
                d.component_import(name, item, world, &mut fields)
                    .map_err(&e)?;
            } else {
                d.component_export(name, item, world, &mut fields)
                    .map_err(&e)?;
            }
        }
        let name = PackageName {
            namespace: "root".into(),
            name: "component".into(),
            version: None,
        };
        let (resolve, _) = d.finish(name, fields).map_err(err(0))?;
        Ok((resolve, world))
    }
}

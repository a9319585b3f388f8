//! The `package-docs` custom section: docs and feature gates, which the
//! component's types cannot carry, as version byte 1 then JSON in
//! wit-parser's `PackageMetadata` layout (empty parts left out).
//!

use crate::json::Json;
use crate::model::*;

/// The custom section's name.
pub const SECTION_NAME: &str = "package-docs";

fn obj(members: Vec<(&str, Option<Json>)>) -> Json {
    Json::Obj(
        members
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect(),
    )
}

fn nonempty(m: Vec<(String, Json)>) -> Option<Json> {
    (!m.is_empty()).then_some(Json::Obj(m))
}

fn docs(d: &Docs) -> Option<Json> {
    d.contents.clone().map(Json::Str)
}

fn is_empty(j: &Json) -> bool {
    j.members().is_empty()
}

fn stability(s: &Stability) -> Option<Json> {
    let ver = |v: &Version| Json::Str(v.to_string());
    let (tag, body) = match s {
        Stability::Unknown => return None,
        Stability::Unstable {
            feature,
            deprecated,
        } => (
            "unstable",
            obj(vec![
                ("feature", Some(Json::Str(feature.clone()))),
                ("deprecated", deprecated.as_ref().map(ver)),
            ]),
        ),
        Stability::Stable { since, deprecated } => (
            "stable",
            obj(vec![
                ("since", Some(ver(since))),
                ("deprecated", deprecated.as_ref().map(ver)),
            ]),
        ),
    };
    Some(Json::Obj(vec![(tag.to_string(), body)]))
}

fn function(f: &Function) -> Json {
    obj(vec![
        ("docs", docs(&f.docs)),
        ("stability", stability(&f.stability)),
    ])
}

fn type_meta(resolve: &Resolve, id: TypeId) -> Json {
    let ty = resolve.ty(id);
    // The named members of a record, flags, variant or enum.
    let members: Vec<(&String, &Docs)> = match &ty.kind {
        TypeDefKind::Record(f) => f.iter().map(|x| (&x.name, &x.docs)).collect(),
        TypeDefKind::Flags(f) => f.iter().map(|x| (&x.name, &x.docs)).collect(),
        TypeDefKind::Variant(f) => f.iter().map(|x| (&x.name, &x.docs)).collect(),
        TypeDefKind::Enum(f) => f.iter().map(|x| (&x.name, &x.docs)).collect(),
        _ => Vec::new(),
    };
    let items: Vec<(String, Json)> = members.into_iter().filter_map(item).collect();
    obj(vec![
        ("docs", docs(&ty.docs)),
        ("stability", stability(&ty.stability)),
        ("items", nonempty(items)),
    ])
}

fn item((name, d): (&String, &Docs)) -> Option<(String, Json)> {
    Some((name.clone(), Json::Str(d.contents.clone()?)))
}

fn interface_meta(resolve: &Resolve, id: InterfaceId) -> Json {
    let i = resolve.interface(id);
    let funcs = i
        .functions
        .iter()
        .map(|(n, f)| (n.clone(), function(f)))
        .filter(|(_, j)| !is_empty(j))
        .collect();
    let types = i
        .types
        .iter()
        .map(|(n, t)| (n.clone(), type_meta(resolve, *t)))
        .filter(|(_, j)| !is_empty(j))
        .collect();
    obj(vec![
        ("docs", docs(&i.docs)),
        ("stability", stability(&i.stability)),
        ("funcs", nonempty(funcs)),
        ("types", nonempty(types)),
    ])
}

fn world_meta(resolve: &Resolve, id: WorldId) -> Json {
    let w = resolve.world(id);
    let mut ifaces = Vec::new();
    let mut types = Vec::new();
    let mut funcs = Vec::new();
    let mut iface_exports = Vec::new();
    let mut func_exports = Vec::new();
    let mut import_stab = Vec::new();
    let mut export_stab = Vec::new();
    let mut import_docs = Vec::new();
    let mut export_docs = Vec::new();
    let items = w.imports.iter().map(|p| (p, true));
    for ((key, it), import) in items.chain(w.exports.iter().map(|p| (p, false))) {
        let named_iface = match (key, it) {
            (WorldKey::Interface(_), _) => true,
            (WorldKey::Name(_), WorldItem::Interface { id, .. }) => {
                resolve.interface(*id).name.is_some()
            }
            _ => false,
        };
        if named_iface {
            if let WorldItem::Interface {
                stability: s, docs, ..
            } = it
            {
                if let Some(s) = stability(s) {
                    let map = if import {
                        &mut import_stab
                    } else {
                        &mut export_stab
                    };
                    map.push((resolve.name_world_key(key), s));
                }
                if let Some(d) = &docs.contents {
                    let map = if import {
                        &mut import_docs
                    } else {
                        &mut export_docs
                    };
                    map.push((resolve.name_world_key(key), Json::Str(d.clone())));
                }
            }
            continue;
        }
        let WorldKey::Name(name) = key else { continue };
        match it {
            WorldItem::Interface { id, .. } => {
                let d = interface_meta(resolve, *id);
                if !is_empty(&d) {
                    let map = if import {
                        &mut ifaces
                    } else {
                        &mut iface_exports
                    };
                    map.push((name.clone(), d));
                }
            }
            WorldItem::Type(t) => {
                let d = type_meta(resolve, *t);
                if !is_empty(&d) {
                    types.push((name.clone(), d));
                }
            }
            WorldItem::Function(f) => {
                let d = function(f);
                if !is_empty(&d) {
                    let map = if import {
                        &mut funcs
                    } else {
                        &mut func_exports
                    };
                    map.push((name.clone(), d));
                }
            }
        }
    }
    obj(vec![
        ("docs", docs(&w.docs)),
        ("stability", stability(&w.stability)),
        ("interfaces", nonempty(ifaces)),
        ("types", nonempty(types)),
        ("funcs", nonempty(funcs)),
        ("interface_exports", nonempty(iface_exports)),
        ("func_exports", nonempty(func_exports)),
        ("interface_import_stability", nonempty(import_stab)),
        ("interface_export_stability", nonempty(export_stab)),
        ("interface_import_docs", nonempty(import_docs)),
        ("interface_export_docs", nonempty(export_docs)),
    ])
}

/// The section's contents for package `pkg`: version byte 1, then the JSON.
pub fn encode(resolve: &Resolve, pkg: PackageId) -> Vec<u8> {
    let p = resolve.package(pkg);
    let worlds = p
        .worlds
        .iter()
        .map(|(n, w)| (n.clone(), world_meta(resolve, *w)))
        .filter(|(_, j)| !is_empty(j))
        .collect();
    let interfaces = p
        .interfaces
        .iter()
        .map(|(n, i)| (n.clone(), interface_meta(resolve, *i)))
        .filter(|(_, j)| !is_empty(j))
        .collect();
    let j = obj(vec![
        ("docs", docs(&p.docs)),
        ("worlds", nonempty(worlds)),
        ("interfaces", nonempty(interfaces)),
    ]);
    let mut s = String::new();
    j.write(&mut s);
    let mut out = vec![1];
    out.extend_from_slice(s.as_bytes());
    out
}

fn parse_version(j: &Json) -> Result<Version, String> {
    let s = j.as_str().ok_or("expected a version string")?;
    Version::parse(s).map_err(|e| e.to_string())
}

fn read_stability(j: Option<&Json>) -> Result<Stability, String> {
    let Some(j) = j else {
        return Ok(Stability::Unknown);
    };
    if j.as_str() == Some("unknown") {
        return Ok(Stability::Unknown);
    }
    let dep = |b: &Json| b.get("deprecated").map(parse_version).transpose();
    if let Some(b) = j.get("stable") {
        let since = parse_version(b.get("since").ok_or("missing `since`")?)?;
        return Ok(Stability::Stable {
            since,
            deprecated: dep(b)?,
        });
    }
    if let Some(b) = j.get("unstable") {
        let feature = b
            .get("feature")
            .and_then(Json::as_str)
            .ok_or("missing `feature`")?;
        return Ok(Stability::Unstable {
            feature: feature.to_string(),
            deprecated: dep(b)?,
        });
    }
    Err("unknown stability".into())
}

fn read_docs(j: &Json) -> Docs {
    Docs {
        contents: j.get("docs").and_then(Json::as_str).map(str::to_string),
    }
}

fn inject_function(j: &Json, f: &mut Function) -> Result<(), String> {
    match j {
        // The older form: just the docs.
        Json::Str(s) => f.docs.contents = Some(s.clone()),
        Json::Null => f.docs.contents = None,
        _ => {
            f.docs = read_docs(j);
            f.stability = read_stability(j.get("stability"))?;
        }
    }
    Ok(())
}

fn inject_type(j: &Json, resolve: &mut Resolve, id: TypeId) -> Result<(), String> {
    let ty = &mut resolve.types[id.index()];
    if let Some(items) = j.get("items") {
        for (name, d) in items.members() {
            let docs = Some(d.as_str().ok_or("item docs must be strings")?.to_string());
            let slot = match &mut ty.kind {
                TypeDefKind::Record(f) => {
                    f.iter_mut().find(|x| x.name == *name).map(|x| &mut x.docs)
                }
                TypeDefKind::Flags(f) => {
                    f.iter_mut().find(|x| x.name == *name).map(|x| &mut x.docs)
                }
                TypeDefKind::Variant(f) => {
                    f.iter_mut().find(|x| x.name == *name).map(|x| &mut x.docs)
                }
                TypeDefKind::Enum(f) => f.iter_mut().find(|x| x.name == *name).map(|x| &mut x.docs),
                _ => return Err("got 'items' for unexpected type".into()),
            };
            slot.ok_or("not all 'items' match type items")?.contents = docs;
        }
    }
    if let Some(d) = read_docs(j).contents {
        ty.docs.contents = Some(d);
    }
    ty.stability = read_stability(j.get("stability"))?;
    Ok(())
}

fn inject_interface(j: &Json, resolve: &mut Resolve, id: InterfaceId) -> Result<(), String> {
    if let Some(types) = j.get("types") {
        for (name, d) in types.members() {
            let t = *resolve.interfaces[id.index()]
                .types
                .get(name)
                .ok_or_else(|| format!("missing type {name:?}"))?;
            inject_type(d, resolve, t)?;
        }
    }
    let iface = &mut resolve.interfaces[id.index()];
    if let Some(funcs) = j.get("funcs") {
        for (name, d) in funcs.members() {
            let f = iface
                .functions
                .get_mut(name)
                .ok_or_else(|| format!("missing func {name:?}"))?;
            inject_function(d, f)?;
        }
    }
    if let Some(d) = read_docs(j).contents {
        iface.docs.contents = Some(d);
    }
    iface.stability = read_stability(j.get("stability"))?;
    Ok(())
}

fn inject_world(j: &Json, resolve: &mut Resolve, id: WorldId) -> Result<(), String> {
    let by_name = |resolve: &Resolve, name: &str, exports_only: bool| -> Option<(bool, WorldKey)> {
        let w = resolve.world(id);
        let key = WorldKey::Name(name.to_string());
        if !exports_only && w.imports.contains_key(&key) {
            return Some((true, key));
        }
        w.exports.contains_key(&key).then_some((false, key))
    };
    for (field, exports_only) in [("interfaces", false), ("interface_exports", true)] {
        for (name, d) in j.get(field).map_or(&[][..], Json::members) {
            let (import, key) = by_name(resolve, name, exports_only)
                .ok_or_else(|| format!("missing interface {name:?}"))?;
            let w = &mut resolve.worlds[id.index()];
            let map = if import {
                &mut w.imports
            } else {
                &mut w.exports
            };
            let Some(WorldItem::Interface {
                id: iid, stability, ..
            }) = map.get_mut(&key)
            else {
                return Err(format!("missing interface {name:?}"));
            };
            *stability = read_stability(d.get("stability"))?;
            let iid = *iid;
            inject_interface(d, resolve, iid)?;
        }
    }
    for (name, d) in j.get("types").map_or(&[][..], Json::members) {
        let key = WorldKey::Name(name.clone());
        let Some(WorldItem::Type(t)) = resolve.world(id).imports.get(&key) else {
            return Err(format!("missing type {name:?}"));
        };
        let t = *t;
        inject_type(d, resolve, t)?;
    }
    for (field, import) in [
        ("interface_import_stability", true),
        ("interface_export_stability", false),
        ("interface_import_docs", true),
        ("interface_export_docs", false),
    ] {
        let is_docs = field.ends_with("docs");
        for (name, v) in j.get(field).map_or(&[][..], Json::members) {
            let names: Vec<(WorldKey, String)> = {
                let w = resolve.world(id);
                let map = if import { &w.imports } else { &w.exports };
                map.keys()
                    .map(|k| (k.clone(), resolve.name_world_key(k)))
                    .collect()
            };
            let key = names
                .into_iter()
                .find(|(_, n)| n == name)
                .map(|(k, _)| k)
                .ok_or_else(|| format!("missing interface `{name}`"))?;
            let w = &mut resolve.worlds[id.index()];
            let map = if import {
                &mut w.imports
            } else {
                &mut w.exports
            };
            match map.get_mut(&key) {
                Some(WorldItem::Interface { docs, .. }) if is_docs => {
                    docs.contents = Some(v.as_str().ok_or("docs must be strings")?.to_string())
                }
                Some(WorldItem::Interface { stability, .. }) => {
                    *stability = read_stability(Some(v))?
                }
                _ => return Err(format!("item `{name}` wasn't an interface")),
            }
        }
    }
    for (field, exports_only) in [("funcs", false), ("func_exports", true)] {
        for (name, d) in j.get(field).map_or(&[][..], Json::members) {
            let (import, key) = by_name(resolve, name, exports_only)
                .ok_or_else(|| format!("missing func {name:?}"))?;
            let w = &mut resolve.worlds[id.index()];
            let map = if import {
                &mut w.imports
            } else {
                &mut w.exports
            };
            match map.get_mut(&key) {
                Some(WorldItem::Function(f)) => inject_function(d, f)?,
                _ => return Err(format!("missing func {name:?}")),
            }
        }
    }
    let w = &mut resolve.worlds[id.index()];
    if let Some(d) = read_docs(j).contents {
        w.docs.contents = Some(d);
    }
    w.stability = read_stability(j.get("stability"))?;
    Ok(())
}

/// Applies a `package-docs` section's contents to package `pkg`.
pub fn inject(data: &[u8], resolve: &mut Resolve, pkg: PackageId) -> Result<(), String> {
    match data.first() {
        Some(0 | 1) => {}
        v => return Err(format!("expected package-docs version 1, got {v:?}")),
    }
    let text = std::str::from_utf8(&data[1..]).map_err(|e| e.to_string())?;
    let j = crate::json::parse(text)?;
    for (name, d) in j.get("worlds").map_or(&[][..], Json::members) {
        let w = *resolve
            .package(pkg)
            .worlds
            .get(name)
            .ok_or_else(|| format!("missing world {name:?}"))?;
        inject_world(d, resolve, w)?;
    }
    for (name, d) in j.get("interfaces").map_or(&[][..], Json::members) {
        let i = *resolve
            .package(pkg)
            .interfaces
            .get(name)
            .ok_or_else(|| format!("missing interface {name:?}"))?;
        inject_interface(d, resolve, i)?;
    }
    if let Some(d) = read_docs(&j).contents {
        resolve.packages[pkg.index()].docs.contents = Some(d);
    }
    Ok(())
}

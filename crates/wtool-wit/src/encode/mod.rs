//! WIT to component binaries: a package as a component of exported
//! component types (`wasm-tools component wit --wasm`), a world as the
//! `component-type` custom section `component embed` adds to a core module.
//! Bytes are wit-component 0.263's.

pub(crate) mod types;

use crate::model::*;
use types::Encoder;
pub use types::Msg;
use wtool_component::ast::{
    self, Component, ComponentDecl, Custom, Export, ExternName, ExternType, InstanceDecl, Section,
    Sort,
};

/// The producer named in the `processed-by` field of the `producers`
/// section: the tool that wrote the bytes (wit-component writes its own name
/// there; wtool writes its own). Tests comparing bytes with the oracle
/// normalize this one field.
pub const PROCESSED_BY: (&str, &str) = ("wtool", env!("CARGO_PKG_VERSION"));

/// Why a model could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EncodeError(pub String);

/// Encodes package `pkg` as a component (what `wit_component::encode` writes).
pub fn encode(resolve: &Resolve, pkg: PackageId) -> Result<Vec<u8>, EncodeError> {
    encode_with(resolve, pkg, false)
}

/// [`encode`], optionally with canonical interface names (`a:b/c@1` and a
/// `versionsuffix` of `.2.3`), as `wit_component::encode`'s third argument.
pub fn encode_with(
    resolve: &Resolve,
    pkg: PackageId,
    canonical_names: bool,
) -> Result<Vec<u8>, EncodeError> {
    let names = Names {
        resolve,
        canonical: canonical_names,
    };
    let mut sections = Vec::new();
    let mut types = 0u32;
    let p = resolve.package(pkg);
    let mut item = |name: &str, decls: Vec<ComponentDecl>, sections: &mut Vec<Section>| {
        sections.push(Section::Types(vec![ast::Type::Component(decls)]));
        sections.push(Section::Exports(vec![Export {
            name: ExternName::plain(name),
            sort: Sort::Type,
            index: types,
            ty: None,
        }]));
        // The type and its export each take a type index.
        types += 2;
    };
    for (name, id) in &p.interfaces {
        let decls = encode_interface(&names, *id).map_err(EncodeError)?;
        item(name, decls, &mut sections);
    }
    for (name, id) in &p.worlds {
        let decls = world_wrapper(&names, *id).map_err(EncodeError)?;
        item(name, decls, &mut sections);
    }
    sections.push(Section::Custom(Custom {
        name: crate::metadata::SECTION_NAME.into(),
        data: crate::metadata::encode(resolve, pkg),
    }));
    sections.push(Section::Custom(producers(&[])));
    Ok(wtool_component::encode(&Component {
        version: wtool_component::COMPONENT_VERSION,
        sections,
    }))
}

/// A component type exporting world `id` as a component type named by its id.
fn world_wrapper(names: &Names, id: WorldId) -> Result<Vec<ComponentDecl>, Msg> {
    let resolve = names.resolve;
    let inner = world_decls(names, id)?;
    let w = resolve.world(id);
    let pkg = &resolve
        .package(w.package.ok_or("a world must be in a package")?)
        .name;
    let mut name = format!("{}:{}/{}", pkg.namespace, pkg.name, w.name);
    if let Some(v) = &pkg.version {
        name.push_str(&format!("@{v}"));
    }
    Ok(vec![
        ComponentDecl::Instance(InstanceDecl::Type(ast::Type::Component(inner))),
        ComponentDecl::Instance(InstanceDecl::Export {
            name: ExternName::plain(name),
            ty: ExternType::Component(0),
        }),
    ])
}

/// How interfaces are named in imports and exports.
struct Names<'a> {
    resolve: &'a Resolve,
    /// Canonical names: the version's compatibility track in the name, the
    /// rest as a `versionsuffix`.
    canonical: bool,
}

/// `1.2.3` → (`1`, `.2.3`), `0.2.1` → (`0.2`, `.1`), `0.0.1` → (`0.0.1`, none):
/// the component model's canonical version split.
fn split_version(v: &Version) -> (String, Option<String>) {
    let full = v.to_string();
    let without_build = full.split_once('+').map_or(full.as_str(), |(a, _)| a);
    let at = if !v.pre.is_empty() {
        without_build.len()
    } else if v.major != 0 {
        v.major.to_string().len()
    } else if v.minor != 0 {
        format!("0.{}", v.minor).len()
    } else {
        without_build.len()
    };
    let (track, rest) = full.split_at(at);
    (
        track.to_string(),
        (!rest.is_empty()).then(|| rest.to_string()),
    )
}

/// The plain (not canonical) name of a world import or export, with its
/// attributes, as `component new` writes it.
pub(crate) fn key_name(
    resolve: &Resolve,
    k: &WorldKey,
    item: &WorldItem,
) -> Result<ExternName, Msg> {
    Names {
        resolve,
        canonical: false,
    }
    .key(k, item)
}

impl Names<'_> {
    /// The name of interface `id` and, for canonical names, its version suffix.
    fn interface(&self, id: InterfaceId) -> Result<(String, Option<String>), Msg> {
        let r = self.resolve;
        let full = r.id_of(id).ok_or("unexpected anonymous interface")?;
        if !self.canonical {
            return Ok((full, None));
        }
        let i = r.interface(id);
        let pkg = &r
            .package(i.package.ok_or("an interface must be in a package")?)
            .name;
        let base = format!(
            "{}:{}/{}",
            pkg.namespace,
            pkg.name,
            i.name.as_deref().unwrap_or("")
        );
        Ok(match &pkg.version {
            Some(v) => {
                let (track, suffix) = split_version(v);
                (format!("{base}@{track}"), suffix)
            }
            None => (base, None),
        })
    }

    /// The name of a world import or export, with its attributes.
    fn key(&self, k: &WorldKey, item: &WorldItem) -> Result<ExternName, Msg> {
        let external_id = match item {
            WorldItem::Interface { external_id, .. } => external_id.as_deref(),
            WorldItem::Function(f) => f.external_id.as_deref(),
            WorldItem::Type(t) => self.resolve.ty(*t).external_id.as_deref(),
        };
        let (name, implements, suffix) = match (k, item) {
            (WorldKey::Interface(i), _) => {
                let (n, s) = self.interface(*i)?;
                (n, None, s)
            }
            // A plain name bound to a named interface implements it.
            (WorldKey::Name(n), WorldItem::Interface { id, .. })
                if self.resolve.interface(*id).name.is_some() =>
            {
                let (i, s) = self.interface(*id)?;
                (n.clone(), Some(i), s)
            }
            (WorldKey::Name(n), _) => (n.clone(), None, None),
        };
        Ok(types::ext_name_suffixed(
            &name,
            implements,
            suffix,
            external_id,
        ))
    }
}

/// World `id` as a component type's declarations.
pub fn encode_world(resolve: &Resolve, id: WorldId) -> Result<Vec<ComponentDecl>, Msg> {
    world_decls(
        &Names {
            resolve,
            canonical: false,
        },
        id,
    )
}

fn world_decls(names: &Names, id: WorldId) -> Result<Vec<ComponentDecl>, Msg> {
    let resolve = names.resolve;
    let mut e = Encoder::new(resolve);
    let w = resolve.world(id);
    for (key, item) in &w.imports {
        let ty = match item {
            WorldItem::Interface { id, .. } => {
                e.interface = Some(*id);
                ExternType::Instance(e.encode_instance(*id)?)
            }
            WorldItem::Function(f) => {
                e.interface = None;
                ExternType::Func(e.encode_func_type(f)?)
            }
            WorldItem::Type(t) => {
                e.interface = None;
                e.import_types = true;
                e.encode_valtype(Type::Id(*t))?;
                e.import_types = false;
                continue;
            }
        };
        e.outer.push(ComponentDecl::Import(ast::Import {
            name: names.key(key, item)?,
            ty,
        }));
    }
    for (key, item) in &w.exports {
        let ty = match item {
            WorldItem::Interface { id, .. } => {
                e.interface = Some(*id);
                ExternType::Instance(e.encode_instance(*id)?)
            }
            WorldItem::Function(f) => {
                e.interface = None;
                ExternType::Func(e.encode_func_type(f)?)
            }
            WorldItem::Type(_) => return Err("a world cannot export a type".into()),
        };
        e.outer.push(ComponentDecl::Instance(InstanceDecl::Export {
            name: names.key(key, item)?,
            ty,
        }));
    }
    Ok(e.outer)
}

/// Interface `id` of package `pkg` as a component type: the interfaces it
/// depends on imported (their types only), itself exported.
fn encode_interface(names: &Names, id: InterfaceId) -> Result<Vec<ComponentDecl>, Msg> {
    let resolve = names.resolve;
    let mut live = Vec::new();
    add_live(resolve, &mut live, id);
    let mut e = Encoder::new(resolve);
    for iface in live {
        e.interface = Some(iface);
        let (name, suffix) = names.interface(iface)?;
        let name = types::ext_name_suffixed(&name, None, suffix, None);
        if iface == id {
            let idx = e.encode_instance(iface)?;
            e.outer.push(ComponentDecl::Instance(InstanceDecl::Export {
                name: name.clone(),
                ty: ExternType::Instance(idx),
            }));
        } else {
            e.push_instance();
            for t in resolve.interface(iface).types.values() {
                e.encode_valtype(Type::Id(*t))?;
            }
            let decls = e.pop_instance();
            let idx = e.add_instance_type(iface, decls);
            e.outer.push(ComponentDecl::Import(ast::Import {
                name: name.clone(),
                ty: ExternType::Instance(idx),
            }));
        }
    }
    Ok(e.outer)
}

/// `id` after everything it depends on, each once.
fn add_live(resolve: &Resolve, live: &mut Vec<InterfaceId>, id: InterfaceId) {
    if live.contains(&id) {
        return;
    }
    for dep in crate::deps::interface_direct_deps(resolve, id) {
        add_live(resolve, live, dep);
    }
    live.push(id);
}

/// A `producers` section with `processed-by` wtool, then `extra`
/// (field, name, version) entries merged in as wasm-metadata merges them.
pub fn producers(extra: &[(&str, &str, &str)]) -> Custom {
    let mut fields: Vec<(String, Vec<(String, String)>)> = vec![(
        "processed-by".into(),
        vec![(PROCESSED_BY.0.into(), PROCESSED_BY.1.into())],
    )];
    for (f, n, v) in extra {
        let i = match fields.iter().position(|(x, _)| x == f) {
            Some(i) => i,
            None => {
                fields.push((f.to_string(), Vec::new()));
                fields.len() - 1
            }
        };
        let vals = &mut fields[i].1;
        match vals.iter_mut().find(|(x, _)| x == n) {
            Some(slot) => slot.1 = v.to_string(),
            None => vals.push((n.to_string(), v.to_string())),
        }
    }
    let mut data = Vec::new();
    wtool_binary::leb128::write_u32(&mut data, fields.len() as u32);
    for (f, vals) in &fields {
        wtool_binary::parts::write_name(&mut data, f);
        wtool_binary::leb128::write_u32(&mut data, vals.len() as u32);
        for (n, v) in vals {
            wtool_binary::parts::write_name(&mut data, n);
            wtool_binary::parts::write_name(&mut data, v);
        }
    }
    Custom {
        name: "producers".into(),
        data,
    }
}

/// The string encoding a world's metadata records for its canonical ABI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StringEncoding {
    /// UTF-8.
    #[default]
    Utf8,
    /// UTF-16.
    Utf16,
    /// Latin-1 or UTF-16.
    CompactUtf16,
}

/// The contents of a `component-type` custom section for world `world`
/// (`wit_component::metadata::encode`): a component with the encoding
/// marker, the world as an exported component type, and producers.
pub fn metadata(
    resolve: &Resolve,
    world: WorldId,
    encoding: StringEncoding,
    extra_producers: &[(&str, &str, &str)],
) -> Result<Vec<u8>, EncodeError> {
    let names = Names {
        resolve,
        canonical: false,
    };
    let decls = world_wrapper(&names, world).map_err(EncodeError)?;
    let w = resolve.world(world);
    let enc = match encoding {
        StringEncoding::Utf8 => 0,
        StringEncoding::Utf16 => 1,
        StringEncoding::CompactUtf16 => 2,
    };
    let sections = vec![
        Section::Custom(Custom {
            name: "wit-component-encoding".into(),
            data: vec![4, enc],
        }),
        Section::Types(vec![ast::Type::Component(decls)]),
        Section::Exports(vec![Export {
            name: ExternName::plain(w.name.as_str()),
            sort: Sort::Type,
            index: 0,
            ty: None,
        }]),
        Section::Custom(producers(extra_producers)),
    ];
    Ok(wtool_component::encode(&Component {
        version: wtool_component::COMPONENT_VERSION,
        sections,
    }))
}

/// Appends world `world`'s metadata to a core module as a `component-type`
/// custom section (`wit_component::embed_component_metadata`).
pub fn embed(
    module: &[u8],
    resolve: &Resolve,
    world: WorldId,
    encoding: StringEncoding,
) -> Result<Vec<u8>, EncodeError> {
    let data = metadata(resolve, world, encoding, &[])?;
    let mut payload = Vec::new();
    wtool_binary::parts::write_name(&mut payload, "component-type");
    payload.extend_from_slice(&data);
    let mut out = module.to_vec();
    out.push(0);
    wtool_binary::leb128::write_u32(&mut out, payload.len() as u32);
    out.extend_from_slice(&payload);
    Ok(out)
}

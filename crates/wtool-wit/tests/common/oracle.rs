//! Test support: converts a `wit_parser::Resolve` (the oracle's model) into
//! wtool's `wtool_wit::Resolve`, arena by arena, so that every id keeps its
//! number. Differential tests can then feed the same packages to wtool and to
//! the oracle and compare outputs, and ids found in one model index the other.
//!
//! Self-contained on purpose: any test file of the crate can `#[path]`-include
//! it without bringing the rest of the test support along.
#![allow(dead_code)] // each test binary uses its own subset

use wit_parser as wp;
use wtool_wit::model as m;

/// Converts the oracle's resolve into ours; ids keep their arena indices.
pub fn from_oracle(r: &wp::Resolve) -> m::Resolve {
    let mut out = m::Resolve::default();
    for (id, p) in r.packages.iter() {
        let new = out.push_package(m::Package {
            name: package_name(&p.name),
            docs: docs(&p.docs),
            interfaces: p
                .interfaces
                .iter()
                .map(|(n, i)| (n.clone(), interface_id(*i)))
                .collect(),
            worlds: p
                .worlds
                .iter()
                .map(|(n, w)| (n.clone(), world_id(*w)))
                .collect(),
        });
        assert_eq!(new, package_id(id));
    }
    for (id, i) in r.interfaces.iter() {
        let new = out.push_interface(m::Interface {
            name: i.name.clone(),
            types: i
                .types
                .iter()
                .map(|(n, t)| (n.clone(), type_id(*t)))
                .collect(),
            functions: i
                .functions
                .iter()
                .map(|(n, f)| (n.clone(), function(f)))
                .collect(),
            docs: docs(&i.docs),
            stability: stability(&i.stability),
            package: i.package.map(package_id),
        });
        assert_eq!(new, interface_id(id));
    }
    for (id, w) in r.worlds.iter() {
        let new = out.push_world(m::World {
            name: w.name.clone(),
            imports: w
                .imports
                .iter()
                .map(|(k, v)| (world_key(k), world_item(v)))
                .collect(),
            exports: w
                .exports
                .iter()
                .map(|(k, v)| (world_key(k), world_item(v)))
                .collect(),
            package: w.package.map(package_id),
            docs: docs(&w.docs),
            stability: stability(&w.stability),
        });
        assert_eq!(new, world_id(id));
    }
    for (id, t) in r.types.iter() {
        let new = out.push_type(m::TypeDef {
            name: t.name.clone(),
            kind: type_def_kind(&t.kind),
            owner: match t.owner {
                wp::TypeOwner::World(w) => m::TypeOwner::World(world_id(w)),
                wp::TypeOwner::Interface(i) => m::TypeOwner::Interface(interface_id(i)),
                wp::TypeOwner::None => m::TypeOwner::None,
            },
            docs: docs(&t.docs),
            stability: stability(&t.stability),
            external_id: t.external_id.clone(),
        });
        assert_eq!(new, type_id(id));
    }
    out
}

/// The id of the same package in the converted resolve.
pub fn package_id(id: wp::PackageId) -> m::PackageId {
    m::PackageId(id.index() as u32)
}

/// The id of the same interface in the converted resolve.
pub fn interface_id(id: wp::InterfaceId) -> m::InterfaceId {
    m::InterfaceId(id.index() as u32)
}

/// The id of the same world in the converted resolve.
pub fn world_id(id: wp::WorldId) -> m::WorldId {
    m::WorldId(id.index() as u32)
}

/// The id of the same type in the converted resolve.
pub fn type_id(id: wp::TypeId) -> m::TypeId {
    m::TypeId(id.index() as u32)
}

fn package_name(n: &wp::PackageName) -> m::PackageName {
    m::PackageName {
        namespace: n.namespace.clone(),
        name: n.name.clone(),
        version: n.version.clone(),
    }
}

fn docs(d: &wp::Docs) -> m::Docs {
    m::Docs {
        contents: d.contents.clone(),
    }
}

fn stability(s: &wp::Stability) -> m::Stability {
    match s {
        wp::Stability::Unknown => m::Stability::Unknown,
        wp::Stability::Unstable {
            feature,
            deprecated,
        } => m::Stability::Unstable {
            feature: feature.clone(),
            deprecated: deprecated.clone(),
        },
        wp::Stability::Stable { since, deprecated } => m::Stability::Stable {
            since: since.clone(),
            deprecated: deprecated.clone(),
        },
    }
}

fn world_key(k: &wp::WorldKey) -> m::WorldKey {
    match k {
        wp::WorldKey::Name(n) => m::WorldKey::Name(n.clone()),
        wp::WorldKey::Interface(i) => m::WorldKey::Interface(interface_id(*i)),
    }
}

fn world_item(i: &wp::WorldItem) -> m::WorldItem {
    match i {
        wp::WorldItem::Interface {
            id,
            stability: s,
            external_id,
            docs: d,
            ..
        } => m::WorldItem::Interface {
            id: interface_id(*id),
            stability: stability(s),
            external_id: external_id.clone(),
            docs: docs(d),
        },
        wp::WorldItem::Function(f) => m::WorldItem::Function(function(f)),
        wp::WorldItem::Type { id, .. } => m::WorldItem::Type(type_id(*id)),
    }
}

fn function(f: &wp::Function) -> m::Function {
    m::Function {
        name: f.name.clone(),
        kind: match f.kind {
            wp::FunctionKind::Freestanding => m::FunctionKind::Freestanding,
            wp::FunctionKind::AsyncFreestanding => m::FunctionKind::AsyncFreestanding,
            wp::FunctionKind::Getter => m::FunctionKind::Getter,
            wp::FunctionKind::Setter => m::FunctionKind::Setter,
            wp::FunctionKind::Method(t) => m::FunctionKind::Method(type_id(t)),
            wp::FunctionKind::AsyncMethod(t) => m::FunctionKind::AsyncMethod(type_id(t)),
            wp::FunctionKind::MethodGetter(t) => m::FunctionKind::MethodGetter(type_id(t)),
            wp::FunctionKind::MethodSetter(t) => m::FunctionKind::MethodSetter(type_id(t)),
            wp::FunctionKind::Static(t) => m::FunctionKind::Static(type_id(t)),
            wp::FunctionKind::AsyncStatic(t) => m::FunctionKind::AsyncStatic(type_id(t)),
            wp::FunctionKind::StaticGetter(t) => m::FunctionKind::StaticGetter(type_id(t)),
            wp::FunctionKind::StaticSetter(t) => m::FunctionKind::StaticSetter(type_id(t)),
            wp::FunctionKind::Constructor(t) => m::FunctionKind::Constructor(type_id(t)),
        },
        params: f
            .params
            .iter()
            .map(|p| (p.name.clone(), ty(p.ty)))
            .collect(),
        result: f.result.map(ty),
        docs: docs(&f.docs),
        stability: stability(&f.stability),
        external_id: f.external_id.clone(),
    }
}

fn ty(t: wp::Type) -> m::Type {
    match t {
        wp::Type::Bool => m::Type::Bool,
        wp::Type::U8 => m::Type::U8,
        wp::Type::U16 => m::Type::U16,
        wp::Type::U32 => m::Type::U32,
        wp::Type::U64 => m::Type::U64,
        wp::Type::S8 => m::Type::S8,
        wp::Type::S16 => m::Type::S16,
        wp::Type::S32 => m::Type::S32,
        wp::Type::S64 => m::Type::S64,
        wp::Type::F32 => m::Type::F32,
        wp::Type::F64 => m::Type::F64,
        wp::Type::Char => m::Type::Char,
        wp::Type::String => m::Type::String,
        wp::Type::ErrorContext => m::Type::ErrorContext,
        wp::Type::Id(id) => m::Type::Id(type_id(id)),
    }
}

fn type_def_kind(k: &wp::TypeDefKind) -> m::TypeDefKind {
    match k {
        wp::TypeDefKind::Record(r) => m::TypeDefKind::Record(
            r.fields
                .iter()
                .map(|f| m::Field {
                    name: f.name.clone(),
                    ty: ty(f.ty),
                    docs: docs(&f.docs),
                })
                .collect(),
        ),
        wp::TypeDefKind::Resource => m::TypeDefKind::Resource,
        wp::TypeDefKind::Handle(h) => m::TypeDefKind::Handle(match h {
            wp::Handle::Own(t) => m::Handle::Own(type_id(*t)),
            wp::Handle::Borrow(t) => m::Handle::Borrow(type_id(*t)),
        }),
        wp::TypeDefKind::Flags(f) => m::TypeDefKind::Flags(
            f.flags
                .iter()
                .map(|f| m::Flag {
                    name: f.name.clone(),
                    docs: docs(&f.docs),
                })
                .collect(),
        ),
        wp::TypeDefKind::Tuple(t) => {
            m::TypeDefKind::Tuple(t.types.iter().map(|t| ty(*t)).collect())
        }
        wp::TypeDefKind::Variant(v) => m::TypeDefKind::Variant(
            v.cases
                .iter()
                .map(|c| m::Case {
                    name: c.name.clone(),
                    ty: c.ty.map(ty),
                    docs: docs(&c.docs),
                })
                .collect(),
        ),
        wp::TypeDefKind::Enum(e) => m::TypeDefKind::Enum(
            e.cases
                .iter()
                .map(|c| m::EnumCase {
                    name: c.name.clone(),
                    docs: docs(&c.docs),
                })
                .collect(),
        ),
        wp::TypeDefKind::Option(t) => m::TypeDefKind::Option(ty(*t)),
        wp::TypeDefKind::Result(r) => m::TypeDefKind::Result {
            ok: r.ok.map(ty),
            err: r.err.map(ty),
        },
        wp::TypeDefKind::List(t) => m::TypeDefKind::List(ty(*t)),
        wp::TypeDefKind::Map(k, v) => m::TypeDefKind::Map(ty(*k), ty(*v)),
        wp::TypeDefKind::FixedLengthList(t, n) => m::TypeDefKind::FixedLengthList(ty(*t), *n),
        wp::TypeDefKind::Future(t) => m::TypeDefKind::Future(t.map(ty)),
        wp::TypeDefKind::Stream(t) => m::TypeDefKind::Stream(t.map(ty)),
        wp::TypeDefKind::Type(t) => m::TypeDefKind::Type(ty(*t)),
        // A resolved `Resolve` never holds `Unknown`: it only exists in unresolved packages.
        wp::TypeDefKind::Unknown => panic!("unresolved type in a resolved wit_parser::Resolve"),
    }
}

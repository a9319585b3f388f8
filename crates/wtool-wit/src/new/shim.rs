//! The helper modules and components `component new` adds: the nested
//! component that names an exported interface's types, and the shim and
//! fixup core modules that let imports needing the memory be lowered after
//! the module that exports it is instantiated.

use super::abi::Dir;
use super::build::Slot;
use super::names::{CoreImport, ImportKind};
use super::NewError;
use crate::encode::types::Encoder;
use crate::model::*;
use std::collections::HashMap;
use wtool_component::ast::{
    Component, ComponentDecl, Export, ExternName, ExternType, Import, InstanceDecl, Section, Sort,
    TypeBound,
};

/// The component that re-exports interface `id`'s lifted functions with
/// its named types: it imports every type it needs (returned with the
/// `TypeId` each import stands for) and the functions, and exports them.
pub(super) fn shim_component(
    r: &Resolve,
    id: InterfaceId,
) -> Result<(Component, Vec<(String, TypeId)>), NewError> {
    let iface = r.interface(id);
    let mut ne = Encoder::new(r);
    ne.interface = Some(id);
    ne.import_types = true;
    ne.local_foreign = true;
    ne.shim_imports = Some(Vec::new());
    for t in iface.types.values() {
        ne.encode_valtype(Type::Id(*t))?;
    }
    for (i, f) in iface.functions.values().enumerate() {
        let ty = ne.encode_func_type(f)?;
        ne.outer.push(ComponentDecl::Import(Import {
            name: ExternName::plain(format!("import-func-f{i}")),
            ty: ExternType::Func(ty),
        }));
    }
    let imports = ne.shim_imports.take().unwrap_or_default();
    let by_index: HashMap<u32, TypeId> =
        ne.maps.id_to_index.iter().map(|(t, i)| (*i, *t)).collect();
    let mut type_args = Vec::new();
    for (n, i) in imports {
        let t = by_index
            .get(&i)
            .copied()
            .ok_or_else(|| NewError(format!("internal: shim type import {n} has no type")))?;
        type_args.push((n, t));
    }
    // Types of other interfaces stay the imported ones; this interface's
    // own types are exported under their names and used from there on.
    let foreign = |t: &TypeId| matches!(r.ty(*t).owner, TypeOwner::Interface(o) if o != id);
    ne.maps.id_to_index.retain(|t, _| foreign(t));
    ne.maps.def_to_index.clear();
    ne.maps.funcs.clear();
    ne.import_types = false;
    for t in iface.types.values() {
        if r.ty(*t).kind != TypeDefKind::Resource {
            ne.encode_valtype(Type::Id(*t))?;
            continue;
        }
        // A resource is the imported one re-exported: the same resource,
        // not a new one.
        let imported = by_index
            .iter()
            .find(|(_, id)| **id == *t)
            .map(|(i, _)| *i)
            .ok_or_else(|| NewError("internal: shim resource not imported".into()))?;
        let ty = r.ty(*t);
        ne.outer.push(ComponentDecl::Instance(InstanceDecl::Export {
            name: crate::encode::types::ext_name(
                ty.name.as_deref().unwrap_or_default(),
                None,
                ty.external_id.as_deref(),
            ),
            ty: ExternType::Type(TypeBound::Eq(imported)),
        }));
        ne.outer_types += 1;
        ne.maps.id_to_index.insert(*t, ne.outer_types - 1);
    }
    let mut exports = Vec::new();
    for (i, f) in iface.functions.values().enumerate() {
        let ty = ne.encode_func_type(f)?;
        exports.push(Export {
            name: crate::encode::types::ext_name(&f.name, None, f.external_id.as_deref()),
            sort: Sort::Func,
            index: i as u32,
            ty: Some(ExternType::Func(ty)),
        });
    }
    let (mut funcs, mut instances) = (0, 0);
    let mut sections =
        super::build::decls_to_sections(std::mem::take(&mut ne.outer), &mut funcs, &mut instances);
    if !exports.is_empty() {
        sections.push(Section::Exports(exports));
    }
    Ok((
        Component {
            version: wtool_component::COMPONENT_VERSION,
            sections,
        },
        type_args,
    ))
}

fn wat_types(ts: &[wtool_ast::ValType]) -> String {
    ts.iter()
        .map(|t| format!("{t:?}").to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The shim module (one function per slot calling through its table) and
/// the fixup module (fills the table once the lowerings exist).
pub(super) fn shim_modules(
    r: &Resolve,
    slots: &[Slot],
) -> Result<(wtool_ast::Module, wtool_ast::Module), NewError> {
    let n = slots.len();
    let mut shim = format!("(module (table (export \"$imports\") {n} {n} funcref)\n");
    let mut fixup = format!("(module (import \"\" \"$imports\" (table {n} {n} funcref))\n");
    let mut elems = String::new();
    for (i, s) in slots.iter().enumerate() {
        let (p, res) = match s {
            Slot::Import(
                _,
                CoreImport {
                    kind: ImportKind::Func(_, f),
                    ..
                },
            ) => super::abi::core_sig(r, f, Dir::Lower),
            Slot::Import(
                _,
                CoreImport {
                    kind:
                        ImportKind::Adapter {
                            params, results, ..
                        },
                    ..
                },
            ) => (params.clone(), results.clone()),
            _ => (vec![wtool_ast::ValType::I32], Vec::new()),
        };
        let sig = format!("(param {}) (result {})", wat_types(&p), wat_types(&res));
        let gets: String = (0..p.len()).map(|j| format!("local.get {j} ")).collect();
        shim.push_str(&format!(
            "(type $t{i} (func {sig}))\n(func (export \"{i}\") (type $t{i}) {gets} i32.const {i} call_indirect (type $t{i}))\n"
        ));
        fixup.push_str(&format!("(import \"\" \"{i}\" (func {sig}))\n"));
        elems.push_str(&format!(" {i}"));
    }
    shim.push(')');
    fixup.push_str(&format!("(elem (i32.const 0) func{elems}))"));
    let parse = |s: &str| {
        wtool_text::parse_module(s.as_bytes())
            .map_err(|e| NewError(format!("internal: shim module: {e}\n{s}")))
    };
    Ok((parse(&shim)?, parse(&fixup)?))
}

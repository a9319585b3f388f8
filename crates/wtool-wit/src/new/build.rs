//! Assembling the component: the world's imports, their lowerings (through
//! an indirect-call shim where they need the module's memory, which only
//! exists once the module is instantiated), the module's instance, and the
//! lifted exports (exported interfaces re-typed by a nested component so
//! their types carry names).

use super::abi::{needs, Dir};
use super::names::{CoreImport, FuncExport, ImportKind, Plan};
use super::{Metadata, NewError};
use crate::encode::types::Encoder;
use crate::model::*;
use crate::StringEncoding;
use std::collections::HashMap;
use wtool_component::ast::{
    self, Alias, Canon, CanonOpt, Component, ComponentDecl, CoreInlineExport, CoreInstance,
    CoreSort, Export, ExternName, ExternType, Import, Instance, InstanceDecl, InstantiateArg,
    ResourceOp, Section, Sort, TypeBound, ValType,
};

/// Index counters of the component under construction.
struct B<'a> {
    e: Encoder<'a>,
    sections: Vec<Section>,
    funcs: u32,
    instances: u32,
    core_funcs: u32,
    core_instances: u32,
    core_memories: u32,
    core_tables: u32,
}

/// Moves a component type's declarations into a component's sections;
/// the index spaces line up one for one.
fn decls_to_sections(
    decls: Vec<ComponentDecl>,
    funcs: &mut u32,
    instances: &mut u32,
) -> Vec<Section> {
    decls
        .into_iter()
        .map(|d| match d {
            ComponentDecl::Import(i) => {
                match i.ty {
                    ExternType::Func(_) => *funcs += 1,
                    ExternType::Instance(_) => *instances += 1,
                    _ => {}
                }
                Section::Imports(vec![i])
            }
            ComponentDecl::Instance(InstanceDecl::Type(t)) => Section::Types(vec![t]),
            ComponentDecl::Instance(InstanceDecl::Alias(a)) => Section::Aliases(vec![a]),
            ComponentDecl::Instance(InstanceDecl::CoreType(t)) => Section::CoreTypes(vec![t]),
            ComponentDecl::Instance(InstanceDecl::Export { name, ty }) => {
                let index = match ty {
                    ExternType::Type(TypeBound::Eq(i)) => i,
                    // Only named types are exported by the encoder here.
                    _ => u32::MAX,
                };
                Section::Exports(vec![Export {
                    name,
                    sort: Sort::Type,
                    index,
                    ty: None,
                }])
            }
        })
        .collect()
}

impl<'a> B<'a> {
    fn flush(&mut self) {
        let decls = std::mem::take(&mut self.e.outer);
        let s = decls_to_sections(decls, &mut self.funcs, &mut self.instances);
        self.sections.extend(s);
    }

    fn push(&mut self, s: Section) {
        self.flush();
        self.sections.push(s);
    }

    fn core_alias(&mut self, instance: u32, name: &str, sort: CoreSort) -> u32 {
        self.push(Section::Aliases(vec![Alias::CoreInstanceExport {
            sort,
            instance,
            name: name.to_string(),
        }]));
        let n = match sort {
            CoreSort::Memory => &mut self.core_memories,
            CoreSort::Table => &mut self.core_tables,
            _ => &mut self.core_funcs,
        };
        *n += 1;
        *n - 1
    }

    fn canon(&mut self, c: Canon) -> u32 {
        let lift = matches!(c, Canon::Lift { .. });
        self.push(Section::Canons(vec![c]));
        let n = if lift {
            &mut self.funcs
        } else {
            &mut self.core_funcs
        };
        *n += 1;
        *n - 1
    }

    fn core_instance(&mut self, i: CoreInstance) -> u32 {
        self.push(Section::CoreInstances(vec![i]));
        self.core_instances += 1;
        self.core_instances - 1
    }

    fn type_index(&mut self, t: Type) -> Result<u32, NewError> {
        let v = self.e.encode_valtype(t)?;
        Ok(match v {
            ValType::Idx(i) => i,
            ValType::Prim(p) => self.e.define(ast::Type::Defined(ast::DefinedType::Prim(p))),
        })
    }
}

/// Builds the component for `meta`'s world from module `core` per `plan`.
pub fn build(meta: &Metadata, core: wtool_ast::Module, plan: &Plan) -> Result<Vec<u8>, NewError> {
    let r = &meta.resolve;
    let w = r.world(meta.world);
    let mut b = B {
        e: Encoder::new(r),
        sections: Vec::new(),
        funcs: 0,
        instances: 0,
        core_funcs: 0,
        core_instances: 0,
        core_memories: 0,
        core_tables: 0,
    };
    // The world's imports, pruned to what the module uses (and the types
    // the exports need): interfaces first, then world types, then functions.
    let live = super::live::live_types(r, meta.world, plan);
    let used = |key: Option<&WorldKey>, f: &Function| {
        plan.imports.iter().any(|i| match &i.kind {
            ImportKind::Func(k, g) => k.as_ref() == key && g.name == f.name,
            ImportKind::ResourceDrop(..) | ImportKind::Exported(..) => false,
        })
    };
    let mut import_instance: HashMap<WorldKey, u32> = HashMap::new();
    let mut import_func: HashMap<String, u32> = HashMap::new();
    for (key, item) in &w.imports {
        let WorldItem::Interface { id, .. } = item else {
            continue;
        };
        // An interface imported under several keys carries its types under
        // its own name (else the first key), as wit-component's output shows;
        // a key the module imports functions from gets its own instance.
        let carrier = w
            .imports
            .keys()
            .find(|k| **k == WorldKey::Interface(*id))
            .or_else(|| {
                w.imports
                    .iter()
                    .find(
                        |(_, i)| matches!(i, WorldItem::Interface { id: other, .. } if other == id),
                    )
                    .map(|(k, _)| k)
            });
        let funcs: Vec<&Function> = r
            .interface(*id)
            .functions
            .values()
            .filter(|f| used(Some(key), f))
            .collect();
        let not_carrier = funcs.is_empty() && carrier != Some(key);
        let types: Vec<TypeId> = live
            .0
            .iter()
            .copied()
            .filter(|t| !not_carrier && r.ty(*t).owner == TypeOwner::Interface(*id))
            .collect();
        b.e.interface = Some(*id);
        let Some(ty) = b.e.encode_instance_parts(*id, &types, &funcs)? else {
            continue;
        };
        let name = crate::encode::key_name(r, key, item)?;
        b.push(Section::Imports(vec![Import {
            name,
            ty: ExternType::Instance(ty),
        }]));
        b.instances += 1;
        import_instance.insert(key.clone(), b.instances - 1);
    }
    b.e.interface = None;
    for item in w.imports.values() {
        if let WorldItem::Type(t) = item {
            b.e.import_types = true;
            b.e.encode_valtype(Type::Id(*t))?;
            b.e.import_types = false;
        }
    }
    for (key, item) in &w.imports {
        let WorldItem::Function(f) = item else {
            continue;
        };
        if !used(None, f) {
            continue;
        }
        let ty = ExternType::Func(b.e.encode_func_type(f)?);
        let name = crate::encode::key_name(r, key, item)?;
        b.push(Section::Imports(vec![Import { name, ty }]));
        b.funcs += 1;
        import_func.insert(f.name.clone(), b.funcs - 1);
    }
    b.e.interface = None;
    b.e.interface = None;

    // Imports that need the memory go through the shim's table.
    let mut slots: Vec<Slot> = plan
        .imports
        .iter()
        .filter(|i| matches!(&i.kind, ImportKind::Func(_, f) if needs(r, f, Dir::Lower).memory))
        .map(Slot::Import)
        .collect();
    let import_slots = slots.len();
    // Destructors are the module's exports too, so they go through the table.
    for (_, _, dtor) in &plan.resources {
        if let Some(d) = dtor {
            slots.push(Slot::Dtor(d));
        }
    }
    b.push(Section::CoreModule(Box::new(core)));
    let shim = if slots.is_empty() {
        None
    } else {
        let (shim, fixup) = shim_modules(r, &slots)?;
        b.push(Section::CoreModule(Box::new(shim)));
        b.push(Section::CoreModule(Box::new(fixup)));
        Some(b.core_instance(CoreInstance::Instantiate {
            module: 1,
            args: Vec::new(),
        }))
    };
    // The exported interfaces' resources, defined here so the module's
    // `resource.new`/`rep`/`drop` imports can use them.
    let mut resource_types: Vec<u32> = Vec::new();
    let mut dtor_slot = import_slots;
    for (_, _, dtor) in &plan.resources {
        let dtor = match (dtor, shim) {
            (Some(_), Some(shim)) => {
                dtor_slot += 1;
                Some(b.core_alias(shim, &(dtor_slot - 1).to_string(), CoreSort::Func))
            }
            _ => None,
        };
        let ty = b.e.define(ast::Type::Resource {
            rep: wtool_ast::ValType::I32,
            dtor,
        });
        resource_types.push(ty);
    }
    let wit_func = |b: &mut B, key: &Option<WorldKey>, f: &Function| -> u32 {
        match key {
            None => import_func[&f.name],
            Some(k) => {
                b.push(Section::Aliases(vec![Alias::InstanceExport {
                    sort: Sort::Func,
                    instance: import_instance[k],
                    name: f.name.clone(),
                }]));
                b.funcs += 1;
                b.funcs - 1
            }
        }
    };

    // One core instance per import module name, in first-use order.
    let mut modules: Vec<(&str, Vec<CoreInlineExport>)> = Vec::new();
    let mut slot = 0;
    for imp in &plan.imports {
        let index = match &imp.kind {
            ImportKind::Func(key, f) => {
                if needs(r, f, Dir::Lower).memory {
                    let i = b.core_alias(shim.unwrap_or(0), &slot.to_string(), CoreSort::Func);
                    slot += 1;
                    i
                } else {
                    let func = wit_func(&mut b, key, f);
                    b.canon(Canon::Lower {
                        func,
                        opts: Vec::new(),
                    })
                }
            }
            ImportKind::ResourceDrop(key, t) => {
                // The resource of this very import: an interface imported
                // under two names has two.
                let ty = match key.as_ref().and_then(|k| import_instance.get(k)) {
                    Some(&instance) => {
                        b.push(Section::Aliases(vec![Alias::InstanceExport {
                            sort: Sort::Type,
                            instance,
                            name: r.ty(*t).name.clone().unwrap_or_default(),
                        }]));
                        b.e.outer_types += 1;
                        b.e.outer_types - 1
                    }
                    None => b.type_index(Type::Id(*t))?,
                };
                b.canon(Canon::Resource {
                    op: ResourceOp::Drop,
                    ty,
                })
            }
            ImportKind::Exported(op, i) => b.canon(Canon::Resource {
                op: *op,
                ty: resource_types[*i],
            }),
        };
        let export = CoreInlineExport {
            name: imp.name.clone(),
            sort: CoreSort::Func,
            index,
        };
        match modules.iter_mut().find(|(m, _)| *m == imp.module) {
            Some((_, v)) => v.push(export),
            None => modules.push((&imp.module, vec![export])),
        }
    }
    let mut args = Vec::new();
    for (m, exports) in modules {
        let i = b.core_instance(CoreInstance::FromExports(exports));
        args.push((m.to_string(), i));
    }
    let main = b.core_instance(CoreInstance::Instantiate { module: 0, args });

    let encoding = match meta.encoding {
        StringEncoding::Utf8 => None,
        StringEncoding::Utf16 => Some(ast::StringEncoding::Utf16),
        StringEncoding::CompactUtf16 => Some(ast::StringEncoding::CompactUtf16),
    };
    let mut memory = None;
    let mut opts = |b: &mut B, f: &Function, dir: Dir| -> Result<Vec<CanonOpt>, NewError> {
        let n = needs(r, f, dir);
        let mut o = Vec::new();
        if n.memory {
            let name = plan.memory.as_deref().ok_or_else(|| {
                NewError(format!(
                    "function `{}` needs a memory, but the module exports none",
                    f.name
                ))
            })?;
            let m = *memory.get_or_insert_with(|| b.core_alias(main, name, CoreSort::Memory));
            o.push(CanonOpt::Memory(m));
        }
        if n.realloc {
            let realloc = match dir {
                Dir::Lift => &plan.export_realloc,
                Dir::Lower => &plan.import_realloc,
            };
            let name = realloc.as_deref().ok_or_else(|| {
                NewError(format!(
                    "function `{}` needs `cabi_realloc`, but the module does not export it",
                    f.name
                ))
            })?;
            o.push(CanonOpt::Realloc(b.core_alias(main, name, CoreSort::Func)));
        }
        if let (true, Some(e)) = (n.strings, encoding) {
            o.push(CanonOpt::StringEncoding(e));
        }
        Ok(o)
    };

    if let Some(shim) = shim {
        let mut exports = vec![CoreInlineExport {
            name: "$imports".into(),
            sort: CoreSort::Table,
            index: b.core_alias(shim, "$imports", CoreSort::Table),
        }];
        for (i, s) in slots.iter().enumerate() {
            let index = match s {
                Slot::Import(CoreImport {
                    kind: ImportKind::Func(key, f),
                    ..
                }) => {
                    let func = wit_func(&mut b, key, f);
                    let o = opts(&mut b, f, Dir::Lower)?;
                    b.canon(Canon::Lower { func, opts: o })
                }
                Slot::Dtor(name) => b.core_alias(main, name, CoreSort::Func),
                Slot::Import(_) => continue,
            };
            exports.push(CoreInlineExport {
                name: i.to_string(),
                sort: CoreSort::Func,
                index,
            });
        }
        let args = b.core_instance(CoreInstance::FromExports(exports));
        b.core_instance(CoreInstance::Instantiate {
            module: 2,
            args: vec![(String::new(), args)],
        });
    }

    if let Some(init) = &plan.initialize {
        // A module whose start function is the main module's initializer,
        // instantiated right after it (and after the fixups), as wit-component does.
        let src = format!("(module (import \"main\" \"{init}\" (func)) (start 0))");
        let m = wtool_text::parse_module(src.as_bytes())
            .map_err(|e| NewError(format!("internal: initializer module: {e}")))?;
        b.push(Section::CoreModule(Box::new(m)));
        let module = if shim.is_some() { 3 } else { 1 };
        b.core_instance(CoreInstance::Instantiate {
            module,
            args: vec![("main".into(), main)],
        });
    }
    for (key, funcs) in &plan.exports {
        let item = &w.exports[key];
        let mut lifted = Vec::new();
        let iface = match item {
            WorldItem::Interface { id, .. } => Some(*id),
            _ => None,
        };
        b.e.interface = iface;
        b.e.anon_named = iface.is_some();
        // This export's own resources (a second export of the interface has
        // its own), and no anonymous types built on another export's ones.
        if iface.is_some() {
            b.e.maps.def_to_index.clear();
            b.e.maps.funcs.clear();
        }
        for (i, (k, t, _)) in plan.resources.iter().enumerate() {
            if k == key {
                b.e.maps.id_to_index.insert(*t, resource_types[i]);
            }
        }
        for fe in funcs {
            let FuncExport { core, post, func } = fe;
            let ty = b.e.encode_func_type(func)?;
            let mut o = opts(&mut b, func, Dir::Lift)?;
            if let Some(p) = post {
                o.push(CanonOpt::PostReturn(b.core_alias(main, p, CoreSort::Func)));
            }
            let cf = b.core_alias(main, core, CoreSort::Func);
            lifted.push(b.canon(Canon::Lift {
                func: cf,
                opts: o,
                ty,
            }));
        }
        let name = crate::encode::key_name(r, key, item)?;
        match iface {
            None => {
                b.push(Section::Exports(vec![Export {
                    name,
                    sort: Sort::Func,
                    index: lifted[0],
                    ty: None,
                }]));
                b.funcs += 1;
            }
            Some(id) => {
                let (nested, type_args) = shim_component(r, id)?;
                let mut args: Vec<InstantiateArg> = lifted
                    .iter()
                    .enumerate()
                    .map(|(i, f)| InstantiateArg {
                        name: format!("import-func-f{i}"),
                        sort: Sort::Func,
                        index: *f,
                    })
                    .collect();
                for (n, t) in type_args {
                    args.push(InstantiateArg {
                        name: n,
                        sort: Sort::Type,
                        index: b.type_index(Type::Id(t))?,
                    });
                }
                b.push(Section::Component(Box::new(nested)));
                b.push(Section::Instances(vec![Instance::Instantiate {
                    component: 0,
                    args,
                }]));
                // Each nested component is the next component index.
                let comps = b
                    .sections
                    .iter()
                    .filter(|s| matches!(s, Section::Component(_)))
                    .count() as u32;
                if let Some(Section::Instances(v)) = b.sections.last_mut() {
                    if let Instance::Instantiate { component, .. } = &mut v[0] {
                        *component = comps - 1;
                    }
                }
                b.instances += 1;
                b.push(Section::Exports(vec![Export {
                    name,
                    sort: Sort::Instance,
                    index: b.instances - 1,
                    ty: None,
                }]));
                b.instances += 1;
                // Later users of this interface's types alias them from the export.
                b.e.import_map.insert(id, b.instances - 1);
                for t in r.interface(id).types.values() {
                    b.e.maps.id_to_index.remove(t);
                }
            }
        }
        b.e.anon_named = false;
    }
    b.flush();
    b.sections
        .push(Section::Custom(crate::encode::producers(&[])));
    Ok(wtool_component::encode(&Component {
        version: wtool_component::COMPONENT_VERSION,
        sections: b.sections,
    }))
}

/// A function of the shim's table: a lowering that needs the memory, or
/// an exported resource's destructor.
enum Slot<'p> {
    Import(&'p CoreImport),
    Dtor(&'p str),
}

/// The component that re-exports interface `id`'s lifted functions with
/// its named types: it imports every type it needs (returned with the
/// `TypeId` each import stands for) and the functions, and exports them.
fn shim_component(
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
    let mut sections = decls_to_sections(std::mem::take(&mut ne.outer), &mut funcs, &mut instances);
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
fn shim_modules(
    r: &Resolve,
    slots: &[Slot],
) -> Result<(wtool_ast::Module, wtool_ast::Module), NewError> {
    let n = slots.len();
    let mut shim = format!("(module (table (export \"$imports\") {n} {n} funcref)\n");
    let mut fixup = format!("(module (import \"\" \"$imports\" (table {n} {n} funcref))\n");
    let mut elems = String::new();
    for (i, s) in slots.iter().enumerate() {
        let (p, res) = match s {
            Slot::Import(CoreImport {
                kind: ImportKind::Func(_, f),
                ..
            }) => super::abi::core_sig(r, f, Dir::Lower),
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

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
    core_globals: u32,
    core_tags: u32,
}

/// Moves a component type's declarations into a component's sections;
/// the index spaces line up one for one.
pub(super) fn decls_to_sections(
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
            CoreSort::Global => &mut self.core_globals,
            CoreSort::Tag => &mut self.core_tags,
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

/// An adapter module, trimmed and matched, ready to be placed in the component.
pub struct AdapterPart {
    /// The core module name the main module imports it under.
    pub name: String,
    /// The trimmed adapter.
    pub module: wtool_ast::Module,
    /// Its imports and exports tied to the merged world.
    pub plan: Plan,
    /// The encoding its strings cross the boundary in.
    pub encoding: StringEncoding,
}

fn string_encoding(e: StringEncoding) -> Option<ast::StringEncoding> {
    match e {
        StringEncoding::Utf8 => None,
        StringEncoding::Utf16 => Some(ast::StringEncoding::Utf16),
        StringEncoding::CompactUtf16 => Some(ast::StringEncoding::CompactUtf16),
    }
}

/// The main module as it goes into the component.
pub enum MainModule<'a> {
    /// Written from its AST.
    Ast(Box<wtool_ast::Module>),
    /// Copied as these bytes (the module's own, never re-encoded).
    Raw(&'a [u8]),
}

/// Builds the component for `meta`'s world from module `core` per `plan`,
/// with `adapters` instantiated after it on its memory.
pub fn build(
    meta: &Metadata,
    core: MainModule,
    plan: &Plan,
    adapters: &[AdapterPart],
) -> Result<Vec<u8>, NewError> {
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
        core_globals: 0,
        core_tags: 0,
    };
    // Module 0 is the main module, module k the (k-1)th adapter.
    let plans: Vec<&Plan> = std::iter::once(plan)
        .chain(adapters.iter().map(|a| &a.plan))
        .collect();
    // The world's imports, pruned to what the modules use (and the types
    // the exports need): interfaces first, then world types, then functions.
    let live = super::live::live_types(r, meta.world, &plans);
    let used = |key: Option<&WorldKey>, f: &Function| {
        plans.iter().any(|p| {
            p.imports.iter().any(|i| match &i.kind {
                ImportKind::Func(k, g) => k.as_ref() == key && g.name == f.name,
                _ => false,
            })
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

    // The shim's table: per module, its imports that need a memory (an
    // adapter's exports count: they exist only once the adapter does), then
    // its exported resources' destructors.
    let indirect = |i: &CoreImport| match &i.kind {
        ImportKind::Func(_, f) => needs(r, f, Dir::Lower).memory,
        ImportKind::Adapter { .. } => true,
        _ => false,
    };
    let mut slots: Vec<Slot> = Vec::new();
    for (m, p) in plans.iter().enumerate() {
        for i in p.imports.iter().filter(|i| indirect(i)) {
            slots.push(Slot::Import(m, i));
        }
        for (_, _, dtor) in &p.resources {
            if let Some(d) = dtor {
                slots.push(Slot::Dtor(m, d));
            }
        }
    }
    let slot_of = |i: &CoreImport| {
        slots
            .iter()
            .position(|s| matches!(s, Slot::Import(_, x) if std::ptr::eq(*x, i)))
    };
    let mut raw: Vec<(usize, &[u8])> = Vec::new();
    match core {
        MainModule::Ast(m) => b.push(Section::CoreModule(m)),
        MainModule::Raw(bytes) => {
            b.push(Section::CoreModule(Box::default()));
            raw.push((b.sections.len() - 1, bytes));
        }
    }
    for a in adapters {
        b.push(Section::CoreModule(Box::new(a.module.clone())));
    }
    let mut modules_defined = 1 + adapters.len() as u32;
    let shim = if slots.is_empty() {
        None
    } else {
        let (shim, fixup) = super::shim::shim_modules(r, &slots)?;
        b.push(Section::CoreModule(Box::new(shim)));
        b.push(Section::CoreModule(Box::new(fixup)));
        modules_defined += 2;
        Some(b.core_instance(CoreInstance::Instantiate {
            module: modules_defined - 2,
            args: Vec::new(),
        }))
    };
    // The exported interfaces' resources, defined here so the module's
    // `resource.new`/`rep`/`drop` imports can use them.
    let mut resource_types: Vec<u32> = Vec::new();
    for (_, _, dtor) in &plan.resources {
        let dtor = match (dtor, shim) {
            (Some(d), Some(shim)) => {
                let slot = slots
                    .iter()
                    .position(|s| matches!(s, Slot::Dtor(0, x) if x == d))
                    .unwrap_or_default();
                Some(b.core_alias(shim, &slot.to_string(), CoreSort::Func))
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

    // Instantiates module `m` (0: main) with its imports.
    let mut memory: Option<u32> = None;
    let mut instances: Vec<u32> = Vec::new();
    for (m, p) in plans.iter().enumerate() {
        // One core instance per import module name, in first-use order.
        let mut modules: Vec<(&str, Vec<CoreInlineExport>)> = Vec::new();
        for imp in &p.imports {
            let (sort, index) = match &imp.kind {
                _ if indirect(imp) => {
                    let slot = slot_of(imp).unwrap_or_default();
                    let i = b.core_alias(shim.unwrap_or(0), &slot.to_string(), CoreSort::Func);
                    (CoreSort::Func, i)
                }
                ImportKind::Func(key, f) => {
                    let func = wit_func(&mut b, key, f);
                    let i = b.canon(Canon::Lower {
                        func,
                        opts: Vec::new(),
                    });
                    (CoreSort::Func, i)
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
                    let i = b.canon(Canon::Resource {
                        op: ResourceOp::Drop,
                        ty,
                    });
                    (CoreSort::Func, i)
                }
                ImportKind::Exported(op, i) => {
                    let i = b.canon(Canon::Resource {
                        op: *op,
                        ty: resource_types[*i],
                    });
                    (CoreSort::Func, i)
                }
                ImportKind::MainMemory => {
                    let name = plan.memory.as_deref().ok_or_else(|| {
                        NewError(format!(
                            "adapter `{}` imports the main module's memory, but the main \
                             module does not export one",
                            adapters[m - 1].name
                        ))
                    })?;
                    let i = *memory
                        .get_or_insert_with(|| b.core_alias(instances[0], name, CoreSort::Memory));
                    (CoreSort::Memory, i)
                }
                ImportKind::MainExport(kind) => {
                    let sort = match kind {
                        wtool_ast::ExternKind::Func => CoreSort::Func,
                        wtool_ast::ExternKind::Table => CoreSort::Table,
                        wtool_ast::ExternKind::Memory => CoreSort::Memory,
                        wtool_ast::ExternKind::Global => CoreSort::Global,
                        wtool_ast::ExternKind::Tag => CoreSort::Tag,
                    };
                    (sort, b.core_alias(instances[0], &imp.name, sort))
                }
                ImportKind::Adapter { .. } => unreachable!("adapter exports are indirect"),
            };
            let export = CoreInlineExport {
                name: imp.name.clone(),
                sort,
                index,
            };
            match modules.iter_mut().find(|(m, _)| *m == imp.module) {
                Some((_, v)) => v.push(export),
                None => modules.push((&imp.module, vec![export])),
            }
        }
        let mut args = Vec::new();
        for (name, exports) in modules {
            let i = b.core_instance(CoreInstance::FromExports(exports));
            args.push((name.to_string(), i));
        }
        let i = b.core_instance(CoreInstance::Instantiate {
            module: m as u32,
            args,
        });
        instances.push(i);
    }
    let main = instances[0];
    let encodings: Vec<Option<ast::StringEncoding>> = std::iter::once(meta.encoding)
        .chain(adapters.iter().map(|a| a.encoding))
        .map(string_encoding)
        .collect();

    // The canonical options of a function of module `m`: the main module's
    // memory, module `m`'s realloc and string encoding.
    let mut opts =
        |b: &mut B, m: usize, f: &Function, dir: Dir| -> Result<Vec<CanonOpt>, NewError> {
            let n = needs(r, f, dir);
            let mut o = Vec::new();
            if n.memory {
                let name = plan.memory.as_deref().ok_or_else(|| {
                    NewError(format!(
                        "function `{}` needs a memory, but the module exports none",
                        f.name
                    ))
                })?;
                let mem = *memory.get_or_insert_with(|| b.core_alias(main, name, CoreSort::Memory));
                o.push(CanonOpt::Memory(mem));
            }
            if n.realloc {
                let realloc = match dir {
                    Dir::Lift => &plans[m].export_realloc,
                    Dir::Lower => &plans[m].import_realloc,
                };
                let name = realloc.as_deref().ok_or_else(|| {
                    NewError(format!(
                        "function `{}` needs `cabi_realloc`, but the module does not export it",
                        f.name
                    ))
                })?;
                o.push(CanonOpt::Realloc(b.core_alias(
                    instances[m],
                    name,
                    CoreSort::Func,
                )));
            }
            if let (true, Some(e)) = (n.strings, encodings[m]) {
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
                Slot::Import(
                    m,
                    CoreImport {
                        kind: ImportKind::Func(key, f),
                        ..
                    },
                ) => {
                    let func = wit_func(&mut b, key, f);
                    let o = opts(&mut b, *m, f, Dir::Lower)?;
                    b.canon(Canon::Lower { func, opts: o })
                }
                Slot::Import(
                    _,
                    CoreImport {
                        kind: ImportKind::Adapter { adapter, func, .. },
                        ..
                    },
                ) => b.core_alias(instances[adapter + 1], func, CoreSort::Func),
                Slot::Dtor(m, name) => b.core_alias(instances[*m], name, CoreSort::Func),
                Slot::Import(..) => continue,
            };
            exports.push(CoreInlineExport {
                name: i.to_string(),
                sort: CoreSort::Func,
                index,
            });
        }
        let args = b.core_instance(CoreInstance::FromExports(exports));
        b.core_instance(CoreInstance::Instantiate {
            module: modules_defined - 1,
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
        b.core_instance(CoreInstance::Instantiate {
            module: modules_defined,
            args: vec![("main".into(), main)],
        });
    }
    for (m, p) in plans.iter().enumerate() {
        for (key, funcs) in &p.exports {
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
            if m == 0 {
                for (i, (k, t, _)) in p.resources.iter().enumerate() {
                    if k == key {
                        b.e.maps.id_to_index.insert(*t, resource_types[i]);
                    }
                }
            }
            for fe in funcs {
                let FuncExport { core, post, func } = fe;
                let ty = b.e.encode_func_type(func)?;
                let mut o = opts(&mut b, m, func, Dir::Lift)?;
                if let Some(post) = post {
                    o.push(CanonOpt::PostReturn(b.core_alias(
                        instances[m],
                        post,
                        CoreSort::Func,
                    )));
                }
                let cf = b.core_alias(instances[m], core, CoreSort::Func);
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
                Some(id) => export_interface(&mut b, r, id, name, &lifted)?,
            }
            b.e.anon_named = false;
        }
    }
    b.flush();
    b.sections
        .push(Section::Custom(crate::encode::producers(&[])));
    let component = Component {
        version: wtool_component::COMPONENT_VERSION,
        sections: b.sections,
    };
    Ok(wtool_component::encode_with_raw_modules(&component, &raw))
}

/// Exports interface `id` under `name`: the lifted functions go through a
/// nested component that gives them the interface's named types.
fn export_interface(
    b: &mut B,
    r: &Resolve,
    id: InterfaceId,
    name: ExternName,
    lifted: &[u32],
) -> Result<(), NewError> {
    let (nested, type_args) = super::shim::shim_component(r, id)?;
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
    // Each nested component is the next component index.
    let component = b
        .sections
        .iter()
        .filter(|s| matches!(s, Section::Component(_)))
        .count() as u32
        - 1;
    b.push(Section::Instances(vec![Instance::Instantiate {
        component,
        args,
    }]));
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
    Ok(())
}

/// A function of the shim's table, with the module (0: main) it is for: a
/// lowering that needs the memory, an adapter's export, or an exported
/// resource's destructor.
pub(super) enum Slot<'p> {
    Import(usize, &'p CoreImport),
    Dtor(usize, &'p str),
}

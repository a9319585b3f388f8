//! Matching a core module's imports and exports to its world, in both
//! name manglings wit-component accepts: legacy (`ns:pkg/i@1.0.0` /
//! `f`, `ns:pkg/i@1.0.0#f`) and standard (`cm32p2|ns:pkg/i@1` / `f`,
//! `cm32p2|ns:pkg/i@1|f`).

use super::abi::{core_sig, Dir};
use super::NewError;
use crate::model::*;
use std::collections::HashMap;
use wtool_ast::{ExternKind, ImportDesc, Module, ValType as C};

/// What a core import of the module is.
#[derive(Debug, Clone)]
pub enum ImportKind {
    /// A WIT function of an imported interface (`key`) or of the world.
    Func(Option<WorldKey>, Box<Function>),
    /// `resource.drop` of a resource of an imported interface (`key`) or of the world.
    ResourceDrop(Option<WorldKey>, TypeId),
    /// `resource.new`, `.rep` or `.drop` of a resource the module exports
    /// (an index into [`Plan::resources`]: an interface exported twice has two).
    Exported(wtool_component::ast::ResourceOp, usize),
    /// An export of adapter `adapter` (by index), with the core signature
    /// the importing module gives it.
    Adapter {
        /// Which adapter.
        adapter: usize,
        /// The adapter's export.
        func: String,
        /// The core parameter types.
        params: Vec<C>,
        /// The core result types.
        results: Vec<C>,
    },
    /// An adapter's import of the main module's memory (`env.memory`).
    MainMemory,
    /// An adapter's import of one of the main module's exports
    /// (`__main_module__`).
    MainExport(ExternKind),
}

/// One core import, resolved.
#[derive(Debug, Clone)]
pub struct CoreImport {
    /// The core import's module name.
    pub module: String,
    /// The core import's field name.
    pub name: String,
    /// What satisfies it.
    pub kind: ImportKind,
}

/// One exported WIT function and the core exports implementing it.
#[derive(Debug, Clone)]
pub struct FuncExport {
    /// The core export lifted.
    pub core: String,
    /// Its `cabi_post_*` function, if the module has one.
    pub post: Option<String>,
    /// The WIT function.
    pub func: Function,
}

/// The module's imports and exports tied to the world.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every core import, in module order.
    pub imports: Vec<CoreImport>,
    /// Per world export (in world order), its functions' core exports.
    pub exports: Vec<(WorldKey, Vec<FuncExport>)>,
    /// The exported memory's name.
    pub memory: Option<String>,
    /// The realloc for imports' results (`cabi_import_realloc`, else `cabi_realloc`).
    pub import_realloc: Option<String>,
    /// The realloc for exports' parameters (`cabi_export_realloc`, else `cabi_realloc`).
    pub export_realloc: Option<String>,
    /// The export to run once the module is instantiated (`_initialize`).
    pub initialize: Option<String>,
    /// Every resource of each exported interface with its destructor export, if any.
    pub resources: Vec<(WorldKey, TypeId, Option<String>)>,
    /// The realloc the module gives adapters (`cabi_realloc_adapter`, else `cabi_realloc`).
    pub adapter_realloc: Option<String>,
}

impl Plan {
    /// The names of every export the plan uses: lifted functions, their
    /// post-returns, destructors, memory, reallocs and the initializer.
    pub fn used_exports(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, funcs) in &self.exports {
            for f in funcs {
                out.push(f.core.clone());
                out.extend(f.post.clone());
            }
        }
        for (_, _, dtor) in &self.resources {
            out.extend(dtor.clone());
        }
        out.extend(self.memory.clone());
        out.extend(self.import_realloc.clone());
        out.extend(self.export_realloc.clone());
        out.extend(self.initialize.clone());
        out.dedup();
        out
    }
}

/// The key with its version reduced to what stays compatible (`@1`, `@0.2`).
fn canonical_key(r: &Resolve, k: &WorldKey) -> String {
    let WorldKey::Interface(i) = k else {
        return r.name_world_key(k);
    };
    let iface = r.interface(*i);
    let Some(pkg) = iface.package.map(|p| &r.package(p).name) else {
        return r.name_world_key(k);
    };
    let mut s = format!(
        "{}:{}/{}",
        pkg.namespace,
        pkg.name,
        iface.name.as_deref().unwrap_or_default()
    );
    if let Some(v) = &pkg.version {
        s.push_str(&format!("@{}", version_compat_track(v)));
    }
    s
}

fn sig_text(params: &[C], results: &[C]) -> String {
    let list = |ts: &[C]| {
        ts.iter()
            .map(|t| format!("{t:?}").to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("[{}] -> [{}]", list(params), list(results))
}

fn resources(r: &Resolve, iface: InterfaceId) -> impl Iterator<Item = TypeId> + '_ {
    r.interface(iface)
        .types
        .values()
        .copied()
        .filter(|t| r.ty(*t).kind == TypeDefKind::Resource)
}

/// What separates a renamed duplicate import's name from its number.
const DUP: char = '\u{1}';

/// An import's name before `dedupe_imports` renamed it.
pub fn original_name(name: &str) -> &str {
    name.split(DUP).next().unwrap_or(name)
}

/// Renames repeated imports of one (module, name) apart: a component's
/// core instances cannot export a name twice, and each copy may need its
/// own lowering. Whether any was renamed.
pub fn dedupe_imports(m: &mut Module) -> bool {
    let mut seen: HashMap<(String, String), u32> = HashMap::new();
    let mut renamed = false;
    for imp in &mut m.imports {
        let n = seen
            .entry((imp.module.clone(), imp.name.clone()))
            .or_insert(0);
        if *n > 0 {
            imp.name = format!("{}{DUP}{n}", imp.name);
            renamed = true;
        }
        *n += 1;
    }
    renamed
}

/// What a module is matched against besides its world.
pub struct MatchOpts<'a> {
    /// The world exports this module implements (the main module: those
    /// no adapter brought in; an adapter: its own world's).
    pub exports: &'a [WorldKey],
    /// The adapters' names: core import modules the adapters satisfy.
    pub adapters: &'a [String],
    /// Whether the module is an adapter (it may import the main module's
    /// memory and exports).
    pub adapter: bool,
    /// Only the `cm32p2` names count (`--reject-legacy-names`).
    pub standard_only: bool,
}

/// `ns:pkg/iface` and the version of a legacy or standard import module
/// name, for matching a semver-compatible world import.
fn split_versioned(module: &str) -> Option<(&str, semver::Version)> {
    let m = module.strip_prefix("cm32p2|").unwrap_or(module);
    let (name, v) = m.split_once('@')?;
    Some((name, semver::Version::parse(v).ok()?))
}

/// Ties the module's imports and exports to world `world`.
pub fn match_module(
    r: &Resolve,
    world: WorldId,
    m: &Module,
    opts: &MatchOpts,
) -> Result<Plan, NewError> {
    let w = r.world(world);
    let mut seen: Vec<InterfaceId> = Vec::new();
    for (key, item) in &w.imports {
        if let WorldItem::Interface { id, .. } = item {
            // Resources of an interface imported twice are not matched the
            // way wit-component matches them yet.
            if seen.contains(id) && resources(r, *id).next().is_some() {
                return Err(NewError(format!(
                    "the world imports interface `{}` (which has resources) a second time \
                     (as `{}`), which is not supported yet",
                    r.id_of(*id).unwrap_or_default(),
                    r.name_world_key(key)
                )));
            }
            seen.push(*id);
        }
    }
    // Every accepted (module, name) pair for an import.
    let mut table: HashMap<(String, String), ImportKind> = HashMap::new();
    let standard_only = opts.standard_only;
    let mut add = |legacy: (String, String), standard: (String, String), k: ImportKind| {
        if !standard_only {
            table.insert(legacy, k.clone());
        }
        table.insert(standard, k);
    };
    for (key, item) in &w.imports {
        match item {
            WorldItem::Function(f) => add(
                ("$root".into(), f.name.clone()),
                ("cm32p2".into(), f.name.clone()),
                ImportKind::Func(None, Box::new(f.clone())),
            ),
            WorldItem::Interface { id, .. } => {
                let (legacy, standard) = (
                    r.name_world_key(key),
                    format!("cm32p2|{}", canonical_key(r, key)),
                );
                for f in r.interface(*id).functions.values() {
                    add(
                        (legacy.clone(), f.name.clone()),
                        (standard.clone(), f.name.clone()),
                        ImportKind::Func(Some(key.clone()), Box::new(f.clone())),
                    );
                }
                for t in resources(r, *id) {
                    let n = r.ty(t).name.clone().unwrap_or_default();
                    add(
                        (legacy.clone(), format!("[resource-drop]{n}")),
                        (standard.clone(), format!("{n}_drop")),
                        ImportKind::ResourceDrop(Some(key.clone()), t),
                    );
                }
            }
            WorldItem::Type(t) => {
                if r.ty(*t).kind == TypeDefKind::Resource {
                    let n = r.ty(*t).name.clone().unwrap_or_default();
                    add(
                        ("$root".into(), format!("[resource-drop]{n}")),
                        ("cm32p2".into(), format!("{n}_drop")),
                        ImportKind::ResourceDrop(None, *t),
                    );
                }
            }
        }
    }
    // A core import may name an interface at another semver-compatible
    // version than the world's (imports were merged to the newest).
    let mut compatible: HashMap<(String, String), String> = HashMap::new();
    for key in w.imports.keys() {
        if let WorldKey::Interface(_) = key {
            let name = r.name_world_key(key);
            if let Some((base, v)) = split_versioned(&name) {
                compatible
                    .entry((base.to_string(), version_compat_track(&v)))
                    .or_insert(name.clone());
            }
        }
    }
    // Same order as `Plan::resources` is filled in below.
    let mut resource_index = 0;
    for (key, item) in w.exports.iter().filter(|(k, _)| opts.exports.contains(k)) {
        if let WorldItem::Interface { id, .. } = item {
            let legacy = format!("[export]{}", r.name_world_key(key));
            let standard = format!("cm32p2|_ex_{}", canonical_key(r, key));
            for t in resources(r, *id) {
                let n = r.ty(t).name.clone().unwrap_or_default();
                use wtool_component::ast::ResourceOp as Op;
                for (op, word) in [(Op::New, "new"), (Op::Rep, "rep"), (Op::Drop, "drop")] {
                    add(
                        (legacy.clone(), format!("[resource-{word}]{n}")),
                        (standard.clone(), format!("{n}_{word}")),
                        ImportKind::Exported(op, resource_index),
                    );
                }
                resource_index += 1;
            }
        }
    }
    let mut plan = Plan::default();
    for imp in &m.imports {
        // A duplicate import was renamed apart (see `dedupe_imports`); it
        // is classified by its original name.
        let field = original_name(&imp.name);
        let what = format!("import `{}::{field}`", imp.module);
        let push = |plan: &mut Plan, kind| {
            plan.imports.push(CoreImport {
                module: imp.module.clone(),
                name: imp.name.clone(),
                kind,
            })
        };
        if opts.adapter {
            match (imp.module.as_str(), imp.name.as_str(), &imp.desc) {
                ("env", "memory", ImportDesc::Memory(_)) => {
                    if plan
                        .imports
                        .iter()
                        .any(|i| matches!(i.kind, ImportKind::MainMemory))
                    {
                        return Err(NewError("module has multiple imports for memory".into()));
                    }
                    push(&mut plan, ImportKind::MainMemory);
                    continue;
                }
                ("__main_module__", _, desc) => {
                    push(&mut plan, ImportKind::MainExport(desc.kind()));
                    continue;
                }
                _ => {}
            }
        }
        let ImportDesc::Func(ty) = imp.desc else {
            return Err(NewError(format!(
                "module {what} is not a function; only function imports are supported"
            )));
        };
        let have = m
            .func_type(ty)
            .ok_or_else(|| NewError(format!("{what}: bad type")))?;
        if let Some(adapter) = opts.adapters.iter().position(|a| *a == imp.module) {
            push(
                &mut plan,
                ImportKind::Adapter {
                    adapter,
                    func: field.to_string(),
                    params: have.params.to_vec(),
                    results: have.results.to_vec(),
                },
            );
            continue;
        }
        let mut key = (imp.module.clone(), field.to_string());
        if !table.contains_key(&key) {
            if let Some((base, v)) = split_versioned(&imp.module) {
                if let Some(m) = compatible.get(&(base.to_string(), version_compat_track(&v))) {
                    key.0 = m.clone();
                }
            }
        }
        let Some(kind) = table.get(&key).cloned() else {
            return Err(NewError(format!(
                "module requires {what}, which the world does not import"
            )));
        };
        let (want_p, want_r) = match &kind {
            ImportKind::Func(_, f) => {
                if f.kind.is_async() {
                    return Err(NewError(format!(
                        "{what}: async functions are not supported"
                    )));
                }
                core_sig(r, f, Dir::Lower)
            }
            ImportKind::ResourceDrop(..)
            | ImportKind::Exported(wtool_component::ast::ResourceOp::Drop, _) => {
                (vec![C::I32], vec![])
            }
            ImportKind::Exported(..) => (vec![C::I32], vec![C::I32]),
            ImportKind::Adapter { .. } | ImportKind::MainMemory | ImportKind::MainExport(_) => {
                unreachable!("classified above")
            }
        };
        if *have.params != *want_p || *have.results != *want_r {
            return Err(NewError(format!(
                "type mismatch for function {what}: expected {} but found {}",
                sig_text(&want_p, &want_r),
                sig_text(&have.params, &have.results)
            )));
        }
        push(&mut plan, kind);
    }
    let exports: HashMap<&str, (ExternKind, u32)> = m
        .exports
        .iter()
        .map(|e| (e.name.as_str(), (e.kind, e.index)))
        .collect();
    // A legacy name (first) and a standard one; with `standard_only` only
    // the standard one counts.
    let find = |names: [String; 2]| {
        let [legacy, standard] = names;
        let legacy = (!standard_only).then_some(legacy);
        legacy
            .into_iter()
            .chain([standard])
            .find(|n| exports.contains_key(n.as_str()))
    };
    // Names recognised under either mangling.
    let find_any = |name: &str| exports.contains_key(name).then(|| name.to_string());
    let func_export = |key: Option<&WorldKey>, f: &Function| -> Result<FuncExport, NewError> {
        let (legacy, standard) = match key {
            Some(k) => (
                format!("{}#{}", r.name_world_key(k), f.name),
                format!("cm32p2|{}|{}", canonical_key(r, k), f.name),
            ),
            None => (f.name.clone(), format!("cm32p2||{}", f.name)),
        };
        if f.kind.is_async() {
            return Err(NewError(format!(
                "export `{legacy}`: async functions are not supported"
            )));
        }
        let core = find([legacy.clone(), standard.clone()]).ok_or_else(|| {
            NewError(format!(
                "module does not export required function `{legacy}`"
            ))
        })?;
        let (want_p, want_r) = core_sig(r, f, Dir::Lift);
        let (kind, idx) = exports[core.as_str()];
        let have = (kind == ExternKind::Func)
            .then(|| m.func_type_idx(idx).and_then(|t| m.func_type(t)))
            .flatten()
            .ok_or_else(|| NewError(format!("export `{core}` is not a function")))?;
        if *have.params != *want_p || *have.results != *want_r {
            return Err(NewError(format!(
                "type mismatch for function export `{core}`: expected {} but found {}",
                sig_text(&want_p, &want_r),
                sig_text(&have.params, &have.results)
            )));
        }
        let post = find([format!("cabi_post_{legacy}"), format!("{standard}_post")]);
        Ok(FuncExport {
            core,
            post,
            func: f.clone(),
        })
    };
    for (key, item) in w.exports.iter().filter(|(k, _)| opts.exports.contains(k)) {
        let funcs = match item {
            WorldItem::Function(f) => vec![func_export(None, f)?],
            WorldItem::Interface { id, .. } => {
                for t in resources(r, *id) {
                    let n = r.ty(t).name.clone().unwrap_or_default();
                    let dtor = find([
                        format!("{}#[dtor]{n}", r.name_world_key(key)),
                        format!("cm32p2|{}|{n}_dtor", canonical_key(r, key)),
                    ]);
                    plan.resources.push((key.clone(), t, dtor));
                }
                let iface = r.interface(*id);
                iface
                    .functions
                    .values()
                    .map(|f| func_export(Some(key), f))
                    .collect::<Result<_, _>>()?
            }
            WorldItem::Type(_) => continue,
        };
        plan.exports.push((key.clone(), funcs));
    }
    // Special exports must have the signatures the canonical ABI calls them with.
    let special = [
        ("cabi_realloc", &[C::I32; 4][..], &[C::I32][..]),
        ("cm32p2_realloc", &[C::I32; 4], &[C::I32]),
        ("cabi_import_realloc", &[C::I32; 4], &[C::I32]),
        ("cabi_export_realloc", &[C::I32; 4], &[C::I32]),
        ("_initialize", &[], &[]),
        ("cm32p2_initialize", &[], &[]),
    ];
    for (name, want_p, want_r) in special {
        let Some((ExternKind::Func, idx)) = exports.get(name).copied() else {
            continue;
        };
        let Some(have) = m.func_type_idx(idx).and_then(|t| m.func_type(t)) else {
            continue;
        };
        if *have.params != *want_p || *have.results != *want_r {
            return Err(NewError(format!(
                "type mismatch for function export `{name}`: expected {} but found {}",
                sig_text(want_p, want_r),
                sig_text(&have.params, &have.results)
            )));
        }
    }
    plan.memory = find(["memory".into(), "cm32p2_memory".into()]);
    plan.initialize = find(["_initialize".into(), "cm32p2_initialize".into()]);
    let general = find(["cabi_realloc".into(), "cm32p2_realloc".into()])
        .or_else(|| find_any("canonical_abi_realloc"));
    plan.adapter_realloc = find_any("cabi_realloc_adapter").or(general.clone());
    plan.import_realloc = find_any("cabi_import_realloc").or(general.clone());
    plan.export_realloc = find_any("cabi_export_realloc").or(general);
    Ok(plan)
}

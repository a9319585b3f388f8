//! `component new`: a core module with WIT metadata (its `component-type`
//! custom sections) into a component, as wit-component's
//! `ComponentEncoder` does: imports lowered into the module, exports lifted
//! out of it, exported interfaces given their types' names by a shim
//! component.

pub mod abi;
mod build;
pub mod gc;
mod live;
mod names;
mod shim;

use crate::model::*;
use crate::StringEncoding;

/// Why a module could not become a component.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NewError(pub String);

impl From<String> for NewError {
    fn from(s: String) -> Self {
        NewError(s)
    }
}

/// The module's WIT: the world it targets and the strings' encoding.
pub struct Metadata {
    /// The model holding the world.
    pub resolve: Resolve,
    /// The world the module implements.
    pub world: WorldId,
    /// The encoding strings cross the boundary in.
    pub encoding: StringEncoding,
}

/// Splits a core module into itself without `component-type*` custom
/// sections, and those sections' contents.
pub fn strip_metadata(module: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), NewError> {
    let bad = || NewError("input is not a valid core wasm module".into());
    if module.len() < 8 || module[..4] != *b"\0asm" || module[4..8] != [1, 0, 0, 0] {
        return Err(bad());
    }
    let mut out = module[..8].to_vec();
    let mut found = Vec::new();
    let mut at = 8;
    while at < module.len() {
        let start = at;
        let id = module[at];
        at += 1;
        let (size, n) = leb(&module[at..]).ok_or_else(bad)?;
        at += n;
        let end = at.checked_add(size as usize).filter(|e| *e <= module.len());
        let end = end.ok_or_else(bad)?;
        if id == 0 {
            let (len, n) = leb(&module[at..end]).ok_or_else(bad)?;
            let name_end = (at + n).checked_add(len as usize).filter(|e| *e <= end);
            let name_end = name_end.ok_or_else(bad)?;
            if module[at + n..name_end].starts_with(b"component-type") {
                found.push(module[name_end..end].to_vec());
                at = end;
                continue;
            }
        }
        out.extend_from_slice(&module[start..end]);
        at = end;
    }
    Ok((out, found))
}

fn leb(b: &[u8]) -> Option<(u32, usize)> {
    let mut v = 0u32;
    for (i, byte) in b.iter().enumerate().take(5) {
        v |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Decodes one `component-type` section's contents: its world and encoding.
pub fn decode_metadata(data: &[u8]) -> Result<Metadata, NewError> {
    let c = wtool_component::decode(data, wtool_ast::Features::WASM3_THREADS)
        .map_err(|e| NewError(format!("failed to decode component-type section: {e}")))?;
    let mut encoding = StringEncoding::Utf8;
    for s in &c.sections {
        if let wtool_component::ast::Section::Custom(cu) = s {
            if cu.name == "wit-component-encoding" {
                encoding = match cu.data.get(1) {
                    Some(1) => StringEncoding::Utf16,
                    Some(2) => StringEncoding::CompactUtf16,
                    _ => StringEncoding::Utf8,
                };
            }
        }
    }
    let decoded = crate::decode(data)
        .map_err(|e| NewError(format!("failed to decode component-type section: {e}")))?;
    let (resolve, pkg) = match decoded {
        crate::DecodedWasm::WitPackage(r, p) => (r, p),
        crate::DecodedWasm::Component(..) => {
            return Err(NewError(
                "component-type section does not hold a WIT world".into(),
            ))
        }
    };
    let world = *resolve
        .package(pkg)
        .worlds
        .values()
        .next()
        .ok_or_else(|| NewError("component-type section holds no world".into()))?;
    Ok(Metadata {
        resolve,
        world,
        encoding,
    })
}

/// An empty world `root` in package `root:root`.
fn empty_world() -> Metadata {
    let mut resolve = Resolve::default();
    let pkg = resolve.push_package(Package {
        name: PackageName {
            namespace: "root".into(),
            name: "root".into(),
            version: None,
        },
        docs: Docs::default(),
        interfaces: Default::default(),
        worlds: Default::default(),
    });
    let world = resolve.push_world(World {
        name: "root".into(),
        imports: Default::default(),
        exports: Default::default(),
        package: Some(pkg),
        docs: Docs::default(),
        stability: Stability::Unknown,
    });
    resolve.packages[pkg.index()]
        .worlds
        .insert("root".into(), world);
    Metadata {
        resolve,
        world,
        encoding: StringEncoding::Utf8,
    }
}

/// Merges metadata `other` (another `component-type` section, or an
/// adapter's) into `meta`: its packages into the model, its world into
/// `meta`'s. Returns `other`'s world's exports, as keys of the merged model.
fn merge_metadata(meta: &mut Metadata, other: Metadata) -> Result<Vec<WorldKey>, NewError> {
    // The placeholder `root:root` package of the world everything is merged
    // into is never merged with a package of that name.
    let remap = crate::merge::merge_except(&mut meta.resolve, other.resolve, &[PackageId(0)])
        .map_err(|e| NewError(format!("failed to merge WIT metadata: {e}")))?;
    let from = remap.worlds[other.world.index()];
    let exports = meta.resolve.world(from).exports.keys().cloned().collect();
    if from != meta.world {
        crate::merge::merge_worlds(&mut meta.resolve, from, meta.world)
            .map_err(|e| NewError(format!("failed to merge WIT worlds: {e}")))?;
    }
    Ok(exports)
}

/// Builds a component from a core module carrying its WIT metadata.
pub fn new_component(module: &[u8]) -> Result<Vec<u8>, NewError> {
    new_component_with(module, &[], &NewOptions::default())
}

/// Options of [`new_component_with`], as `wasm-tools component new` has them.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// Adapters allocate with `memory.grow` instead of the main module's
    /// `cabi_realloc` (`--realloc-via-memory-grow`).
    pub realloc_via_memory_grow: bool,
    /// Imports of semver-compatible versions of one interface become one,
    /// the newest (`--merge-imports-based-on-semver`, on by default).
    pub merge_imports_based_on_semver: bool,
    /// Only `cm32p2` names are recognised (`--reject-legacy-names`).
    pub reject_legacy_names: bool,
    /// The output is validated before it is returned (`--validate`, on by default).
    pub validate: bool,
}

impl Default for NewOptions {
    fn default() -> Self {
        NewOptions {
            realloc_via_memory_grow: false,
            merge_imports_based_on_semver: true,
            reject_legacy_names: false,
            validate: true,
        }
    }
}

/// The core features component modules are decoded with: every proposal
/// wit-component's validator accepts.
const CORE_FEATURES: wtool_ast::Features = wtool_ast::Features::ALL;

/// An adapter given to [`new_component_with`]: the core module name the
/// main module imports it under, and its bytes (with its own metadata).
pub struct AdapterInput<'a> {
    /// The import module name it satisfies (`wasi_snapshot_preview1`).
    pub name: &'a str,
    /// The adapter module.
    pub bytes: &'a [u8],
}

/// Builds a component from a core module carrying its WIT metadata, with
/// adapter modules implementing some of its imports (`--adapt`), as
/// wit-component's `ComponentEncoder::adapter` does.
pub fn new_component_with(
    module: &[u8],
    adapters: &[AdapterInput],
    options: &NewOptions,
) -> Result<Vec<u8>, NewError> {
    let (stripped, sections) = strip_metadata(module)?;
    // Everything merges into an empty world: the adapters' worlds first,
    // then the module's, in the order `wasm-tools component new` does it
    // (which decides the order of the component's imports).
    let mut meta = empty_world();
    let mut adapter_meta = Vec::new();
    for a in adapters {
        let (bytes, sections) =
            strip_metadata(a.bytes).map_err(|e| NewError(format!("adapter `{}`: {e}", a.name)))?;
        let (encoding, exports) = match sections.as_slice() {
            [] => (StringEncoding::Utf8, Vec::new()),
            [one] => {
                let m = decode_metadata(one)
                    .map_err(|e| NewError(format!("adapter `{}`: {e}", a.name)))?;
                let encoding = m.encoding;
                let exports = merge_metadata(&mut meta, m).map_err(|e| {
                    NewError(format!(
                        "failed to merge WIT packages of adapter `{}` into main packages: {e}",
                        a.name
                    ))
                })?;
                (encoding, exports)
            }
            _ => {
                return Err(NewError(format!(
                    "adapter `{}` has several `component-type` sections",
                    a.name
                )))
            }
        };
        adapter_meta.push((bytes, encoding, exports));
    }
    let mut main_exports: Vec<WorldKey> = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        let other = decode_metadata(section)?;
        if i == 0 {
            meta.encoding = other.encoding;
        }
        main_exports.extend(merge_metadata(&mut meta, other)?);
    }
    if options.merge_imports_based_on_semver {
        crate::merge::merge_imports_by_semver(&mut meta.resolve, meta.world).map_err(NewError)?;
    }
    // Only the module's imports and exports matter here: its function
    // bodies are neither decoded nor re-encoded (the output's validation
    // checks them), unless duplicate imports must be renamed apart.
    let (mut core, _) = wtool_binary::decode_lazy(&stripped, CORE_FEATURES)
        .map_err(|e| NewError(format!("failed to decode the core module: {e}")))?;
    let renamed = names::dedupe_imports(&mut core);
    if renamed {
        core = wtool_binary::decode_with_features(&stripped, CORE_FEATURES)
            .map_err(|e| NewError(format!("failed to decode the core module: {e}")))?;
        names::dedupe_imports(&mut core);
    }
    let names: Vec<String> = adapters.iter().map(|a| a.name.to_string()).collect();
    let main_plan = names::match_module(
        &meta.resolve,
        meta.world,
        &core,
        &names::MatchOpts {
            exports: &main_exports,
            adapters: &names,
            adapter: false,
            standard_only: options.reject_legacy_names,
        },
    )?;
    let mut parts = Vec::new();
    for (i, (bytes, encoding, exports)) in adapter_meta.into_iter().enumerate() {
        let name = &adapters[i].name;
        let ctx = |e: NewError| NewError(format!("adapter `{name}`: {}", e.0));
        // What the main module imports from this adapter, with its types.
        let by_import: Vec<&names::CoreImport> = main_plan
            .imports
            .iter()
            .filter(|imp| matches!(imp.kind, names::ImportKind::Adapter { adapter, .. } if adapter == i))
            .collect();
        let has_funcs = exports
            .iter()
            .any(|k| match &meta.resolve.world(meta.world).exports[k] {
                WorldItem::Function(_) => true,
                WorldItem::Interface { id, .. } => {
                    !meta.resolve.interface(*id).functions.is_empty()
                }
                WorldItem::Type(_) => false,
            });
        if by_import.is_empty() && !has_funcs {
            // Nothing needs it: the adapter is left out.
            continue;
        }
        let module = wtool_binary::decode_with_features(&bytes, CORE_FEATURES)
            .map_err(|e| NewError(format!("adapter `{name}`: failed to decode: {e}")))?;
        let opts = names::MatchOpts {
            exports: &exports,
            adapters: &[],
            adapter: true,
            standard_only: options.reject_legacy_names,
        };
        // The exports the component uses, then the adapter cut down to them.
        let full = names::match_module(&meta.resolve, meta.world, &module, &opts).map_err(ctx)?;
        let mut required: Vec<String> = Vec::new();
        for imp in &by_import {
            if let names::ImportKind::Adapter { func, .. } = &imp.kind {
                if !required.contains(func) {
                    required.push(func.clone());
                }
            }
        }
        for e in full.used_exports() {
            if !required.contains(&e) {
                required.push(e);
            }
        }
        for imp in &by_import {
            let names::ImportKind::Adapter {
                func,
                params,
                results,
                ..
            } = &imp.kind
            else {
                continue;
            };
            check_adapter_export(&module, func, params, results).map_err(ctx)?;
        }
        let main_realloc = match options.realloc_via_memory_grow {
            true => None,
            false => main_plan.adapter_realloc.as_deref(),
        };
        let trimmed = gc::trim_adapter(&module, &required, main_realloc).map_err(|e| {
            NewError(format!(
                "failed to reduce adapter `{name}` to its minimal size: {}",
                e.0
            ))
        })?;
        let plan = names::match_module(&meta.resolve, meta.world, &trimmed, &opts).map_err(ctx)?;
        if let Some(mem) = imported_memory(&trimmed) {
            let page = |m: Option<u32>| 1u64 << m.unwrap_or(16);
            let main = main_memory(&core, main_plan.memory.as_deref()).map(|m| m.page_size_log2);
            if let Some(main) = main {
                if page(main) != page(mem.page_size_log2) {
                    return Err(NewError(format!(
                        "adapter module `{name}` memory page size ({}) does not match main \
                         module's memory page size ({})",
                        page(mem.page_size_log2),
                        page(main)
                    )));
                }
            }
        }
        if !plan.resources.is_empty() {
            return Err(NewError(format!(
                "adapter `{name}` exports resources, which is not supported yet"
            )));
        }
        if plan
            .imports
            .iter()
            .any(|i| matches!(i.kind, names::ImportKind::Exported(..)))
        {
            return Err(NewError(format!(
                "adapter `{name}` uses exported resources, which is not supported yet"
            )));
        }
        parts.push(build::AdapterPart {
            name: name.to_string(),
            module: trimmed,
            plan,
            encoding,
        });
    }
    // An adapter left out shifts the indices of the ones after it.
    let kept: Vec<usize> = (0..adapters.len())
        .filter(|i| parts.iter().any(|p| p.name == adapters[*i].name))
        .collect();
    let mut plan = main_plan;
    for imp in &mut plan.imports {
        if let names::ImportKind::Adapter { adapter, .. } = &mut imp.kind {
            *adapter = kept.iter().position(|k| k == adapter).unwrap_or_default();
        }
    }
    for part in &parts {
        for imp in &part.plan.imports {
            let names::ImportKind::MainExport(kind) = imp.kind else {
                continue;
            };
            if !core
                .exports
                .iter()
                .any(|e| e.name == imp.name && e.kind == kind)
            {
                return Err(NewError(format!(
                    "adapter `{}` imports `{}::{}`, which the main module does not export",
                    part.name, imp.module, imp.name
                )));
            }
        }
    }
    let main = match renamed {
        true => build::MainModule::Ast(Box::new(core)),
        false => build::MainModule::Raw(&stripped),
    };
    let bytes = build::build(&meta, main, &plan, &parts)?;
    // As wit-component does by default: what is written must validate.
    if options.validate {
        wtool_component::validate_bytes(&bytes, wtool_ast::Features::ALL, 1)
            .map_err(|e| NewError(format!("failed to validate component output: {e}")))?;
    }
    Ok(bytes)
}

/// The memory a module imports, if any.
fn imported_memory(m: &wtool_ast::Module) -> Option<&wtool_ast::MemoryType> {
    m.imports.iter().find_map(|i| match &i.desc {
        wtool_ast::ImportDesc::Memory(t) => Some(t),
        _ => None,
    })
}

/// The type of the memory the main module exports as `name`.
fn main_memory(m: &wtool_ast::Module, name: Option<&str>) -> Option<wtool_ast::MemoryType> {
    let e = m.exports.iter().find(|e| Some(e.name.as_str()) == name)?;
    (e.kind == wtool_ast::ExternKind::Memory)
        .then(|| m.memory_type(e.index))
        .flatten()
}

/// Checks that the adapter exports function `name` with the signature the
/// main module imports it with.
fn check_adapter_export(
    m: &wtool_ast::Module,
    name: &str,
    params: &[wtool_ast::ValType],
    results: &[wtool_ast::ValType],
) -> Result<(), NewError> {
    let e = m
        .exports
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| NewError(format!("adapter module does not have export `{name}`")))?;
    let ty = (e.kind == wtool_ast::ExternKind::Func)
        .then(|| m.func_type_idx(e.index).and_then(|t| m.func_type(t)))
        .flatten()
        .ok_or_else(|| NewError(format!("adapter export `{name}` is not a function")))?;
    if *ty.params != *params || *ty.results != *results {
        return Err(NewError(format!(
            "type mismatch for function `{name}`: the main module imports it as {:?} -> {:?} \
             but the adapter exports {:?} -> {:?}",
            params, results, ty.params, ty.results
        )));
    }
    Ok(())
}

//! What wabt does its own way: the name-section layout and segment
//! encodings `wat2wasm` writes, and wasm2wat's `--generate-names`: every unnamed function, type, table,
//! memory, global, tag, segment, parameter, local and label gets a name,
//! in wabt's scheme: an export's name where the item is exported, an
//! import's `$module.field`, else a letter and the index (`$f3`, `$t0`,
//! `$p0` for parameters, `$l2` for locals, `$B0`/`$L1`/`$I2` for block,
//! loop and if labels). Names the module already has are kept.

use std::collections::BTreeMap;
use wtool_ast::{BlockType, ExternKind, ImportDesc, Instr, Module, NameMap, Names};

/// Fills `module.names` with generated names where it has none.
pub fn generate(module: &mut Module) {
    generate_by(module, |_, f| label_kinds(&f.body));
}

/// [`generate`], with the [`label_kinds`] of defined function `i` (its
/// definition given too) from `kinds_of`.
fn generate_by(
    module: &mut Module,
    mut kinds_of: impl FnMut(usize, &wtool_ast::Func) -> Vec<char>,
) {
    generate_items(module);
    let mut names = module.names.take().unwrap_or_default();
    // Parameters and locals, and labels, per function (imports have parameters too).
    let import_types: Vec<u32> = module
        .imports
        .iter()
        .filter_map(|i| match i.desc {
            ImportDesc::Func(t) => Some(t),
            _ => None,
        })
        .collect();
    let funcs = import_types
        .iter()
        .map(|&t| (t, None))
        .chain(module.funcs.iter().map(|f| (f.type_idx, Some(f))));
    for (f, (type_idx, defined)) in funcs.enumerate() {
        let Some(count) = local_count(module, type_idx, defined) else {
            continue;
        };
        fill_locals(entry(&mut names.locals, f as u32), module, type_idx, count);
        if let Some(func) = defined {
            let kinds = kinds_of(f - import_types.len(), func);
            if !kinds.is_empty() {
                fill_labels(entry(&mut names.labels, f as u32), &kinds);
            }
        }
    }
    names.locals.retain(|(_, m)| !m.is_empty());
    module.names = Some(names);
}

/// Parameters and locals of a function of type `type_idx` (`defined` for a
/// defined one), or `None` when there are too many to name.
fn local_count(module: &Module, type_idx: u32, defined: Option<&wtool_ast::Func>) -> Option<usize> {
    let params = module.func_type(type_idx).map_or(0, |t| t.params.len());
    let locals = defined.map_or(0, |func| func.num_locals() as usize);
    // wtool prints at most this many locals by name (more is hostile input).
    (params + locals <= 1 << 16).then_some(params + locals)
}

/// Names `$pN` for parameters and `$lN` for locals where `map` has none.
fn fill_locals(map: &mut NameMap, module: &Module, type_idx: u32, count: usize) {
    let params = module.func_type(type_idx).map_or(0, |t| t.params.len());
    fill(map, count, |i| {
        if i < params {
            format!("p{i}")
        } else {
            format!("l{i}")
        }
    });
}

/// The letter of each `block`, `loop` and `if` of a body, in order.
fn label_kinds(body: &wtool_ast::Expr) -> Vec<char> {
    body.instrs.iter().filter_map(label_kind).collect()
}

/// The letter of a label's generated name: `B`, `L` or `I` for `block`,
/// `loop` and `if` (other instructions get none).
pub fn label_kind(ins: &Instr) -> Option<char> {
    match ins {
        Instr::Block(_) => Some('B'),
        Instr::Loop(_) => Some('L'),
        Instr::If(_) => Some('I'),
        _ => None,
    }
}

/// Names `$B0`, `$L1`, `$I2`, … for labels where `map` has none.
fn fill_labels(map: &mut NameMap, kinds: &[char]) {
    fill(map, kinds.len(), |i| format!("{}{i}", kinds[i]));
}

/// The name section payload [`generate`] (then, with `unique_locals`,
/// [`wabt_unique_names`]) would make the module's names encode to, for a
/// module that had [`generate_items`] (and [`wabt_unique_item_names`])
/// only: each function's local and label names are made, encoded and
/// dropped in turn, so they are never all in memory. `kinds_of(i)` gives
/// defined function `i`'s [`label_kind`]s.
pub fn generated_name_section(
    module: &mut Module,
    kinds_of: impl FnMut(usize) -> Vec<char>,
    unique_locals: bool,
) -> Vec<u8> {
    let (locals, labels) = function_subsections(module, kinds_of, unique_locals);
    // The other subsections as the encoder writes them, with these two
    // put in their place (after the module and function names).
    let mut rest = Vec::new();
    if let Some(names) = module.names.as_mut() {
        let given_locals = std::mem::take(&mut names.locals);
        let given_labels = std::mem::take(&mut names.labels);
        wtool_binary::encode_names(&mut rest, names);
        names.locals = given_locals;
        names.labels = given_labels;
    }
    splice_subsections(&rest, 3, |out| {
        for (id, payload) in [(2u8, &locals), (3, &labels)] {
            if let Some(p) = payload {
                out.push(id);
                wtool_binary::leb128::write_u32(out, p.len() as u32);
                out.extend_from_slice(p);
            }
        }
    })
}

/// The name section payload `encoded` with `insert`'s bytes placed before
/// its first subsection whose id is over `after` (at the end if none is),
/// keeping the subsections in id order.
fn splice_subsections(encoded: &[u8], after: u8, insert: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded.len() + 3);
    let mut r = wtool_binary::reader::Reader::new(encoded);
    let mut insert = Some(insert);
    while !r.at_end() {
        let start = r.pos();
        let (Ok(id), Ok(size)) = (r.u8(), r.u32()) else {
            break;
        };
        if id > after {
            if let Some(f) = insert.take() {
                f(&mut out);
            }
        }
        let end = (r.pos() + size as usize).min(encoded.len());
        out.extend_from_slice(&encoded[start..end]);
        if r.bytes(end - r.pos()).is_err() {
            break;
        }
    }
    if let Some(f) = insert.take() {
        f(&mut out);
    }
    out
}

/// The payloads of the local and label name subsections of
/// [`generated_name_section`] (`None` for an empty one).
fn function_subsections(
    module: &Module,
    mut kinds_of: impl FnMut(usize) -> Vec<char>,
    unique_locals: bool,
) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    use wtool_binary::leb128::write_u32;
    let given = module.names.as_ref();
    let empty = Vec::new();
    let given_locals = given.map_or(&empty, |n| &n.locals);
    let given_labels = given.map_or(&empty, |n| &n.labels);
    let namer = Namer::new(module, unique_locals);
    let imported = namer.import_types.len();
    let total = imported + module.funcs.len();
    let counted = |f: usize| {
        namer
            .func(f as u32)
            .and_then(|(t, d)| local_count(module, t, d))
    };
    // Locals: `generate` gives every function it names an entry (the first
    // one it has, or a new one, kept sorted) and drops the empty ones.
    let mut body = Vec::new();
    let mut n = 0u32;
    for (f, src) in entry_order(given_locals, (0..total).filter(|&f| counted(f).is_some())) {
        let map = match src {
            Some((i, first)) => {
                let mut map = given_locals[i].1.clone();
                if first {
                    if let Some((t, _)) = namer.func(f) {
                        if let Some(count) = counted(f as usize) {
                            fill_locals(&mut map, module, t, count);
                        }
                    }
                }
                map
            }
            None => {
                let mut map = NameMap::new();
                if let (Some((t, _)), Some(count)) = (namer.func(f), counted(f as usize)) {
                    fill_locals(&mut map, module, t, count);
                }
                map
            }
        };
        if map.is_empty() {
            continue;
        }
        let mut map = map;
        if unique_locals {
            unique(&mut map);
        }
        n += 1;
        write_u32(&mut body, f);
        encode_map(&mut body, &map);
    }
    let locals = (n > 0).then(|| counted_payload(n, &body));
    // Labels: an entry for each defined function with labels to name.
    let mut kinds: Vec<Option<Vec<char>>> = vec![None; module.funcs.len()];
    let labelled: Vec<usize> = (imported..total)
        .filter(|&f| counted(f).is_some())
        .filter(|&f| {
            let k = kinds_of(f - imported);
            let named = !k.is_empty();
            kinds[f - imported] = named.then_some(k);
            named
        })
        .collect();
    body.clear();
    n = 0;
    for (f, src) in entry_order(given_labels, labelled.into_iter()) {
        let mut map = match src {
            Some((i, _)) => given_labels[i].1.clone(),
            None => NameMap::new(),
        };
        let first = src.is_none_or(|(_, first)| first);
        let own = (f as usize)
            .checked_sub(imported)
            .and_then(|d| kinds[d].take());
        if let (true, Some(k)) = (first, own) {
            fill_labels(&mut map, &k);
        }
        n += 1;
        write_u32(&mut body, f);
        encode_map(&mut body, &map);
    }
    let labels = (n > 0).then(|| counted_payload(n, &body));
    (locals, labels)
}

/// A count then `body`.
fn counted_payload(n: u32, body: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(body.len() + 5);
    wtool_binary::leb128::write_u32(&mut p, n);
    p.extend_from_slice(body);
    p
}

/// A name map as the name section encodes it.
fn encode_map(out: &mut Vec<u8>, map: &NameMap) {
    use wtool_binary::leb128::write_u32;
    write_u32(out, map.len() as u32);
    for (i, name) in map {
        write_u32(out, *i);
        write_u32(out, name.len() as u32);
        out.extend_from_slice(name.as_bytes());
    }
}

/// The entries of an indirect map after [`entry`] was called for each of
/// `wanted` in order: `(outer, Some((index in given, is the first for
/// outer)))` for the given ones, `(outer, None)` for the new ones; the
/// list is sorted (stably) once anything was added, as `entry` sorts.
fn entry_order(
    given: &[(u32, NameMap)],
    wanted: impl Iterator<Item = usize>,
) -> Vec<(u32, Option<(usize, bool)>)> {
    let mut first = std::collections::HashMap::new();
    for (i, (o, _)) in given.iter().enumerate() {
        first.entry(*o).or_insert(i);
    }
    let mut out: Vec<(u32, Option<(usize, bool)>)> = given
        .iter()
        .enumerate()
        .map(|(i, (o, _))| (*o, Some((i, first.get(o) == Some(&i)))))
        .collect();
    let before = out.len();
    for f in wanted {
        let f = f as u32;
        if let std::collections::hash_map::Entry::Vacant(e) = first.entry(f) {
            e.insert(usize::MAX);
            out.push((f, None));
        }
    }
    if out.len() > before {
        out.sort_by_key(|(o, _)| *o);
    }
    out
}

/// [`generate`] for a module printed as it streams: the module-level names
/// are made up front ([`generate_items`]), those of each function's
/// parameters, locals and labels when it is printed, with the same result.
pub struct Namer<'m> {
    module: &'m Module,
    import_types: Vec<u32>,
    /// Make local names unique afterwards, as [`wabt_unique_names`] does.
    unique_locals: bool,
}

impl<'m> Namer<'m> {
    /// The namer of `module`, after [`generate_items`] (and, as wasm2wat,
    /// [`wabt_unique_item_names`] with `unique_locals`).
    pub fn new(module: &'m Module, unique_locals: bool) -> Self {
        let import_types = module
            .imports
            .iter()
            .filter_map(|i| match i.desc {
                ImportDesc::Func(t) => Some(t),
                _ => None,
            })
            .collect();
        Namer {
            module,
            import_types,
            unique_locals,
        }
    }

    /// Type index and definition of function `func`.
    fn func(&self, func: u32) -> Option<(u32, Option<&'m wtool_ast::Func>)> {
        let n = self.import_types.len();
        match (func as usize).checked_sub(n) {
            None => self.import_types.get(func as usize).map(|&t| (t, None)),
            Some(d) => self.module.funcs.get(d).map(|f| (f.type_idx, Some(f))),
        }
    }
}

impl wtool_print::FuncNamer for Namer<'_> {
    fn locals(&self, func: u32, given: Option<&NameMap>) -> Option<NameMap> {
        let (type_idx, defined) = self.func(func)?;
        let mut map = given.cloned().unwrap_or_default();
        // Too many to name: only the given names, made unique all the same.
        if let Some(count) = local_count(self.module, type_idx, defined) {
            fill_locals(&mut map, self.module, type_idx, count);
        }
        if self.unique_locals {
            unique(&mut map);
        }
        Some(map)
    }

    fn labels(
        &self,
        func: u32,
        body: &wtool_ast::Expr,
        given: Option<&NameMap>,
    ) -> Option<NameMap> {
        let (type_idx, defined) = self.func(func)?;
        local_count(self.module, type_idx, defined)?;
        let kinds = label_kinds(body);
        if kinds.is_empty() {
            return None;
        }
        let mut map = given.cloned().unwrap_or_default();
        fill_labels(&mut map, &kinds);
        Some(map)
    }
}

/// The module-level part of [`generate`]: names for functions, tables,
/// memories, globals, tags, types and segments (not locals or labels).
pub fn generate_items(module: &mut Module) {
    let mut names = module.names.take().unwrap_or_default();
    let exported = |kind: ExternKind| -> BTreeMap<u32, String> {
        let mut m = BTreeMap::new();
        for e in module.exports.iter().filter(|e| e.kind == kind) {
            m.entry(e.index).or_insert_with(|| e.name.clone());
        }
        m
    };
    let imported = |kind: ExternKind| -> Vec<String> {
        module
            .imports
            .iter()
            .filter(|i| i.desc.kind() == kind)
            .map(|i| format!("{}.{}", i.module, i.name))
            .collect()
    };
    let count = |kind: ExternKind, defined: usize| module.num_imported(kind) as usize + defined;
    let spaces: [(ExternKind, usize, &str, &mut NameMap); 5] = [
        (ExternKind::Func, module.funcs.len(), "f", &mut names.funcs),
        (
            ExternKind::Table,
            module.tables.len(),
            "T",
            &mut names.tables,
        ),
        (
            ExternKind::Memory,
            module.memories.len(),
            "M",
            &mut names.memories,
        ),
        (
            ExternKind::Global,
            module.globals.len(),
            "g",
            &mut names.globals,
        ),
        (ExternKind::Tag, module.tags.len(), "e", &mut names.tags),
    ];
    for (kind, defined, letter, map) in spaces {
        let exports = exported(kind);
        let imports = imported(kind);
        fill(map, count(kind, defined), |i| {
            exports
                .get(&(i as u32))
                .cloned()
                .or_else(|| imports.get(i).cloned())
                .unwrap_or_else(|| format!("{letter}{i}"))
        });
    }
    fill(&mut names.types, module.types.len(), |i| format!("t{i}"));
    fill(&mut names.elems, module.elems.len(), |i| format!("e{i}"));
    fill(&mut names.datas, module.datas.len(), |i| format!("d{i}"));

    module.names = Some(names);
}

/// Lays the name section out as wat2wasm writes it: no label names, no
/// parameter names from type definitions, and a
/// local-names entry for every function (imports included), empty where
/// nothing is named, so `wat2wasm --debug-names` output is wabt's, byte for byte.
/// (wabt writes the section even when nothing has a name.)
pub fn wabt_layout(module: &mut Module) {
    let total = module.num_imported(ExternKind::Func) as usize + module.funcs.len();
    let names = module.names.get_or_insert_with(Names::default);
    names.labels.clear();
    names.type_params.clear();
    names.tag_params.clear();
    for f in 0..total {
        entry(&mut names.locals, f as u32);
    }
    if total > 0 {
        return;
    }
    // No functions: wabt still writes an empty local-names subsection,
    // which `Names` cannot express; the section goes in as raw bytes.
    let mut encoded = Vec::new();
    wtool_binary::encode_names(&mut encoded, names);
    let raw = splice_subsections(&encoded, 2, |out| out.extend_from_slice(&[2, 1, 0]));
    module.customs.retain(|c| c.name != "name");
    module.customs.push(wtool_ast::CustomSection {
        name: "name".into(),
        data: raw,
        place: wtool_ast::CustomPlace::After(wtool_ast::SectionId::Data),
    });
}

/// Encodes as wat2wasm does: block types without parameters and with at
/// most one result in their short form, no `else` for an empty else
/// branch, and segments: `ref.func` items of a funcref
/// segment as function indices, and an active element segment of table 0
/// or data segment of memory 0 without an explicit index (the `wat` crate
/// and wtool keep the form the text used).
pub fn wabt_encoding(module: &mut Module) {
    for e in &mut module.elems {
        // `(ref.func $f)` items of a funcref segment are written as indices.
        if let wtool_ast::ElemItems::Exprs(xs) = &e.items {
            let funcs: Option<Vec<u32>> = xs
                .iter()
                .map(|x| match x.instrs.as_slice() {
                    [Instr::RefFunc(f), Instr::End] | [Instr::RefFunc(f)] => Some(*f),
                    _ => None,
                })
                .collect();
            if let (Some(funcs), true) = (funcs, e.ty == wtool_ast::RefType::FUNCREF) {
                e.items = wtool_ast::ElemItems::Funcs(funcs);
            }
        }
        let plain = matches!(e.mode, wtool_ast::ElemMode::Active { table: 0, .. })
            && e.ty == wtool_ast::RefType::FUNCREF;
        if plain {
            e.explicit_index = false;
        }
    }
    for d in &mut module.datas {
        if matches!(d.mode, wtool_ast::DataMode::Active { memory: 0, .. }) {
            d.explicit_index = false;
        }
    }
    // A block type naming a type without parameters and with at most one
    // result is written in the short form (`block (result i32)`).
    let short: Vec<Option<BlockType>> = module
        .types
        .iter()
        .map(|t| match t.as_func() {
            Some(f) if f.params.is_empty() => match &f.results[..] {
                [] => Some(BlockType::Empty),
                [r] => Some(BlockType::Value(*r)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    for f in &mut module.funcs {
        for ins in &mut f.body.instrs {
            if let Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) = ins {
                if let BlockType::Func(t) = *bt {
                    if let Some(Some(s)) = short.get(t as usize) {
                        *bt = *s;
                    }
                }
            }
        }
        // An empty `(else)` is left out.
        let body = &mut f.body;
        let mut k = 0;
        while k + 1 < body.instrs.len() {
            if matches!(body.instrs[k], Instr::Else) && matches!(body.instrs[k + 1], Instr::End) {
                body.instrs.remove(k);
                if k < body.offsets.len() {
                    body.offsets.remove(k);
                }
            } else {
                k += 1;
            }
        }
    }
}

/// Makes names unique in each index space as wasm2wat does: a repeated
/// name gets `.1`, `.2`, … (`$dummy`, `$dummy.1`), so the identifiers are
/// plain ones wabt's wat2wasm reads back.
pub fn wabt_unique_names(module: &mut Module) {
    wabt_unique_item_names(module);
    if let Some(n) = module.names.as_mut() {
        for (_, map) in n.locals.iter_mut() {
            unique(map);
        }
    }
}

/// [`wabt_unique_names`] but for local names (see [`Namer`]).
pub fn wabt_unique_item_names(module: &mut Module) {
    let Some(n) = module.names.as_mut() else {
        return;
    };
    for map in [
        &mut n.funcs,
        &mut n.types,
        &mut n.tables,
        &mut n.memories,
        &mut n.globals,
        &mut n.elems,
        &mut n.datas,
        &mut n.tags,
    ] {
        unique(map);
    }
}

/// Renames repeats of a name `name.1`, `name.2`, … in map order.
fn unique(map: &mut NameMap) {
    let mut used = std::collections::HashSet::new();
    for (_, name) in map.iter_mut() {
        if used.insert(name.clone()) {
            continue;
        }
        let mut k = 1;
        while used.contains(&format!("{name}.{k}")) {
            k += 1;
        }
        *name = format!("{name}.{k}");
        used.insert(name.clone());
    }
}

/// The inner map of `outer` in an indirect map, created if missing.
fn entry(map: &mut Vec<(u32, NameMap)>, outer: u32) -> &mut NameMap {
    let at = match map.iter().position(|(o, _)| *o == outer) {
        Some(p) => p,
        None => {
            map.push((outer, NameMap::new()));
            map.sort_by_key(|(o, _)| *o);
            map.iter().position(|(o, _)| *o == outer).unwrap_or(0)
        }
    };
    &mut map[at].1
}

/// Gives each of `0..count` without a (non-empty) name the one `make` makes.
fn fill(map: &mut NameMap, count: usize, make: impl Fn(usize) -> String) {
    for i in 0..count {
        let i32_ = i as u32;
        match Names::lookup(map, i32_) {
            Some(name) if !name.is_empty() => {}
            // Only an empty name has entries to drop (a scan per name would
            // make naming a big module quadratic).
            Some(_) => {
                map.retain(|(k, _)| *k != i32_);
                map.push((i32_, make(i)));
            }
            None => map.push((i32_, make(i))),
        }
    }
    map.sort_by_key(|(k, _)| *k);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixtures, and one with awkward given local and label names:
    /// out of order, repeated, empty, and more than a function has.
    fn modules() -> Vec<(String, Module)> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(root).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "wasm") {
                let bytes = std::fs::read(&path).unwrap();
                let m = wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL);
                out.push((path.display().to_string(), m.unwrap()));
            }
        }
        let mut odd = out
            .iter()
            .find(|(n, _)| n.ends_with("/kernels-O0.wasm"))
            .unwrap()
            .1
            .clone();
        let mut names = odd.names.take().unwrap_or_default();
        let map = |v: &[(u32, &str)]| v.iter().map(|(i, s)| (*i, s.to_string())).collect();
        names.locals = vec![
            (3, map(&[(1, "x"), (0, "l1")])),
            (1, map(&[(0, "")])),
            (3, map(&[(0, "y")])),
            (0, map(&[(40, "far")])),
        ];
        names.labels = vec![
            (2, map(&[(0, "top")])),
            (2, NameMap::new()),
            (1, NameMap::new()),
        ];
        odd.names = Some(names);
        out.push(("odd names".into(), odd));
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn name_section_made_per_function_equals_generate() {
        for (name, module) in modules() {
            for unique_locals in [false, true] {
                let mut eager = module.clone();
                generate(&mut eager);
                if unique_locals {
                    wabt_unique_names(&mut eager);
                }
                let mut want = Vec::new();
                wtool_binary::encode_names(&mut want, eager.names.as_ref().unwrap());
                let mut lazy = module.clone();
                generate_items(&mut lazy);
                if unique_locals {
                    wabt_unique_item_names(&mut lazy);
                }
                let before = lazy.names.clone();
                let kinds = |i: usize| label_kinds(&module.funcs[i].body);
                let got = generated_name_section(&mut lazy, kinds, unique_locals);
                assert!(
                    got == want,
                    "{name} (unique {unique_locals}): name sections differ"
                );
                assert_eq!(
                    lazy.names, before,
                    "{name}: the module's names are left as they were"
                );
            }
        }
    }

    #[test]
    fn names_follow_wabt() {
        let bytes = b"\0asm\x01\0\0\0\
            \x01\x05\x01\x60\x01\x7f\x00\
            \x02\x09\x01\x03env\x01f\x00\x00\
            \x03\x03\x02\x00\x00\
            \x07\x07\x01\x03add\x00\x01\
            \x0a\x0f\x02\x07\x01\x01\x7e\x02\x40\x0b\x0b\x05\x00\x03\x40\x0b\x0b";
        let mut m = wtool_binary::decode(bytes).unwrap();
        generate(&mut m);
        let n = m.names.unwrap();
        let funcs: Vec<&str> = n.funcs.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(funcs, ["env.f", "add", "f2"]);
        assert_eq!(n.types, [(0, "t0".to_string())]);
        assert_eq!(
            Names::lookup_indirect(&n.locals, 1, 0),
            Some("p0"),
            "{:?}",
            n.locals
        );
        assert_eq!(Names::lookup_indirect(&n.locals, 1, 1), Some("l1"));
        assert_eq!(Names::lookup_indirect(&n.labels, 1, 0), Some("B0"));
        assert_eq!(Names::lookup_indirect(&n.labels, 2, 0), Some("L0"));
    }
}

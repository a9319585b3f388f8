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
        let params = module.func_type(type_idx).map_or(0, |t| t.params.len());
        let locals = defined.map_or(0, |func| func.num_locals() as usize);
        // wtool prints at most this many locals by name (more is hostile input).
        if params + locals > 1 << 16 {
            continue;
        }
        let map = entry(&mut names.locals, f as u32);
        fill(map, params + locals, |i| {
            if i < params {
                format!("p{i}")
            } else {
                format!("l{i}")
            }
        });
        if let Some(func) = defined {
            let kinds: Vec<char> = func
                .body
                .instrs
                .iter()
                .filter_map(|ins| match ins {
                    Instr::Block(_) => Some('B'),
                    Instr::Loop(_) => Some('L'),
                    Instr::If(_) => Some('I'),
                    _ => None,
                })
                .collect();
            if !kinds.is_empty() {
                let map = entry(&mut names.labels, f as u32);
                fill(map, kinds.len(), |i| format!("{}{i}", kinds[i]));
            }
        }
    }
    names.locals.retain(|(_, m)| !m.is_empty());
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
    let mut raw = Vec::with_capacity(encoded.len() + 3);
    let mut r = wtool_binary::reader::Reader::new(&encoded);
    let mut inserted = false;
    while !r.at_end() {
        let start = r.pos();
        let (Ok(id), Ok(size)) = (r.u8(), r.u32()) else {
            break;
        };
        if id > 2 && !inserted {
            raw.extend_from_slice(&[2, 1, 0]);
            inserted = true;
        }
        let end = (r.pos() + size as usize).min(encoded.len());
        raw.extend_from_slice(&encoded[start..end]);
        if r.bytes(end - r.pos()).is_err() {
            break;
        }
    }
    if !inserted {
        raw.extend_from_slice(&[2, 1, 0]);
    }
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
    for (_, map) in n.locals.iter_mut() {
        unique(map);
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
        if Names::lookup(map, i32_).is_none_or(str::is_empty) {
            map.retain(|(k, _)| *k != i32_);
            map.push((i32_, make(i)));
        }
    }
    map.sort_by_key(|(k, _)| *k);
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! Helpers shared by passes: running a closure over every function body,
//! keeping names and offsets consistent, renumbering locals.

use crate::analysis::local_types;
use crate::bodies::Bodies;
use crate::pass::FuncUnit;
use wtool_ast::{ExternKind, Func, IndexSpace, Instr, LocalGroup, Module, ValType};

/// What a body rewrite sees of its function.
pub struct FuncCtx<'a> {
    /// The module (the function's own body is taken out while it is rewritten).
    pub module: &'a Module,
    /// Parameter types then declared local types.
    pub locals: &'a [ValType],
    /// How many of `locals` are parameters.
    pub params: usize,
    /// How many results the function returns.
    pub results: usize,
}

/// Runs `f` over every defined function body. For each body `f` changed,
/// offsets are cleared (they no longer describe the instructions) and label
/// names dropped (labels are numbered in block order, which may have shifted).
/// Bodies are taken out of the module (and decoded from `bodies`) while
/// `f` runs, several at once: `f` reads the module's items and function
/// types, not other bodies.
pub fn for_each_body(
    module: &mut Module,
    bodies: &mut Bodies,
    f: impl Fn(&FuncCtx, &mut Vec<Instr>) -> bool + Sync,
) -> bool {
    bodies.rewrite(module, |m, unit| for_one_body(m, unit, &f))
}

/// [`for_each_body`] for one function taken out of `module`.
pub fn for_one_body(
    module: &Module,
    unit: &mut FuncUnit,
    f: impl FnOnce(&FuncCtx, &mut Vec<Instr>) -> bool,
) -> bool {
    let func = &unit.func;
    if func.body.instrs.iter().any(crate::structure::is_opaque) {
        return false;
    }
    let Some(locals) = local_types(module, func) else {
        return false;
    };
    let params = locals.len() - func.num_locals() as usize;
    let results = module
        .func_type(func.type_idx)
        .map_or(0, |t| t.results.len());
    let mut instrs = std::mem::take(&mut unit.func.body.instrs);
    let ctx = FuncCtx {
        module,
        locals: &locals,
        params,
        results,
    };
    // Passes report changes themselves (a false alarm only costs the
    // offsets and label names of one function).
    let changed = f(&ctx, &mut instrs);
    unit.func.body.instrs = instrs;
    if changed {
        unit.func.body.offsets.clear();
        unit.drop_labels = true;
    }
    changed
}

impl FuncUnit {
    /// Takes defined function `def` out of `module`, leaving a stand-in with
    /// its type index (callers' arities stay readable).
    pub(crate) fn take(module: &mut Module, def: usize) -> FuncUnit {
        let stand_in = Func {
            type_idx: module.funcs[def].type_idx,
            ..Func::default()
        };
        FuncUnit {
            def,
            func: std::mem::replace(&mut module.funcs[def], stand_in),
            drop_labels: false,
            local_maps: Vec::new(),
        }
    }

    /// Every defined function of `module`, taken out in index order.
    pub(crate) fn take_all(module: &mut Module) -> Vec<FuncUnit> {
        (0..module.funcs.len())
            .map(|def| FuncUnit::take(module, def))
            .collect()
    }

    /// Puts functions taken with [`FuncUnit::take`] back, in one sweep over
    /// the name section for them all: label names of changed bodies go,
    /// local names follow renumbered locals.
    pub(crate) fn put_back(module: &mut Module, units: Vec<FuncUnit>) {
        let nimp = module.num_imported(ExternKind::Func);
        let mut drop_labels = vec![false; module.funcs.len()];
        let mut maps: Vec<(u32, Vec<Vec<Option<u32>>>)> = Vec::new();
        for u in units {
            drop_labels[u.def] = u.drop_labels;
            if !u.local_maps.is_empty() {
                maps.push((nimp + u.def as u32, u.local_maps));
            }
            module.funcs[u.def] = u.func;
        }
        if !maps.is_empty() {
            forget_raw_names(module);
        }
        let Some(names) = module.names.as_mut() else {
            return;
        };
        let dropped = |f: u32| {
            f.checked_sub(nimp)
                .and_then(|d| drop_labels.get(d as usize).copied())
                .unwrap_or(false)
        };
        if drop_labels.contains(&true) {
            names.labels.retain(|(f, _)| !dropped(*f));
        }
        if maps.is_empty() {
            return;
        }
        maps.sort_by_key(|(f, _)| *f);
        for (f, locals) in names.locals.iter_mut() {
            let Ok(k) = maps.binary_search_by_key(f, |(g, _)| *g) else {
                continue;
            };
            for map in &maps[k].1 {
                rename_locals(locals, map);
            }
        }
        names.locals.retain(|(_, l)| !l.is_empty());
    }
}

/// Moves local names along a renumbering (`map[old]` is the new index); of
/// two merged locals the lower-numbered name stays.
fn rename_locals(locals: &mut Vec<(u32, String)>, map: &[Option<u32>]) {
    let mut renamed: Vec<(u32, String)> = Vec::new();
    for (i, name) in std::mem::take(locals) {
        if let Some(n) = map.get(i as usize).copied().flatten() {
            if !renamed.iter().any(|(j, _)| *j == n) {
                renamed.push((n, name));
            }
        }
    }
    renamed.sort_by_key(|(i, _)| *i);
    *locals = renamed;
}

/// Forgets the label names of function `func` (absolute index).
pub fn drop_label_names(module: &mut Module, func: u32) {
    if let Some(names) = module.names.as_mut() {
        names.labels.retain(|(f, _)| *f != func);
    }
}

/// Renumbers the locals of a function taken out of `module`: `map[old]` is
/// the new index of each local, `None` for locals that are no longer
/// referenced. Parameters must map to themselves. The declared locals are
/// regrouped by run of equal type in new-index order, the body's offsets
/// dropped (they no longer describe it) and the local names moved when the
/// function is put back.
pub fn renumber_locals(module: &Module, unit: &mut FuncUnit, map: &[Option<u32>]) -> bool {
    let Some(types) = local_types(module, &unit.func) else {
        return false;
    };
    let nparams = module
        .func_type(unit.func.type_idx)
        .map_or(0, |t| t.params.len());
    if map.len() != types.len() {
        return false;
    }
    // The type of each new local slot.
    let mut new_types: Vec<Option<ValType>> = Vec::new();
    for (old, m) in map.iter().enumerate() {
        if let Some(n) = *m {
            let n = n as usize;
            if n >= new_types.len() {
                new_types.resize(n + 1, None);
            }
            match new_types[n] {
                Some(t) if t != types[old] => return false,
                _ => new_types[n] = Some(types[old]),
            }
        }
    }
    if new_types.len() < nparams || (0..nparams).any(|p| map[p] != Some(p as u32)) {
        return false;
    }
    // Every slot below the highest one must have a type (gaps are filled with i32 would waste space).
    if new_types.iter().any(Option::is_none) {
        return false;
    }
    let func = &mut unit.func;
    let mapped = |x: u32| map.get(x as usize).copied().flatten();
    let all_mapped = func.body.instrs.iter().all(|ins| match ins {
        Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) => mapped(*x).is_some(),
        _ => true,
    });
    if !all_mapped {
        return false;
    }
    for ins in func.body.instrs.iter_mut() {
        if let Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) = ins {
            if let Some(n) = mapped(*x) {
                *x = n;
            }
        }
    }
    func.body.offsets.clear();
    let mut groups: Vec<LocalGroup> = Vec::new();
    for t in new_types[nparams..].iter().flatten() {
        match groups.last_mut() {
            Some(g) if g.ty == *t => g.count += 1,
            _ => groups.push(LocalGroup { count: 1, ty: *t }),
        }
    }
    func.locals = groups;
    unit.local_maps.push(map.to_vec());
    true
}

/// The zero value of a type as a constant instruction (locals start with it).
pub fn zero_of(t: ValType) -> Instr {
    match t {
        ValType::I32 => Instr::I32Const(0),
        ValType::I64 => Instr::I64Const(0),
        ValType::F32 => Instr::F32Const(0),
        ValType::F64 => Instr::F64Const(0),
        ValType::V128 => Instr::V128Const(Box::new([0; 16])),
        ValType::Ref(r) => Instr::RefNull(r.heap),
    }
}

/// Index spaces an instruction can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Space {
    /// Functions.
    Func,
    /// Tables.
    Table,
    /// Memories.
    Memory,
    /// Globals.
    Global,
    /// Types.
    Type,
    /// Element segments.
    Elem,
    /// Data segments.
    Data,
}

impl Space {
    /// The module-level space of an instruction index; `None` for spaces
    /// this crate does not renumber (locals, labels, fields, tags).
    fn of(s: IndexSpace) -> Option<Space> {
        Some(match s {
            IndexSpace::Func => Space::Func,
            IndexSpace::Table => Space::Table,
            IndexSpace::Memory => Space::Memory,
            IndexSpace::Global => Space::Global,
            IndexSpace::Type => Space::Type,
            IndexSpace::Elem => Space::Elem,
            IndexSpace::Data => Space::Data,
            IndexSpace::Tag | IndexSpace::Local | IndexSpace::Label | IndexSpace::Field => {
                return None
            }
        })
    }
}

/// Calls `f` with every module-level index `ins` names (the generated
/// index visitor lists every instruction, so none is missed).
pub fn indices_of(ins: &Instr, f: &mut impl FnMut(Space, u32)) {
    ins.visit_indices(&mut |s, i| {
        if let Some(s) = Space::of(s) {
            f(s, i)
        }
    });
}

/// Rewrites every module-level index `ins` names with `f`.
pub fn map_indices(ins: &mut Instr, f: &mut impl FnMut(Space, u32) -> u32) {
    ins.visit_indices_mut(&mut |s, x| {
        if let Some(s) = Space::of(s) {
            *x = f(s, *x)
        }
    });
}

/// A raw (non-canonical) name section payload would describe the old
/// indices; once indices change, the decoded [`wtool_ast::Names`] is the
/// only truth, so the raw bytes go (an empty payload means "write `names`").
pub fn forget_raw_names(module: &mut Module) {
    let has_names = module.names.is_some();
    module.customs.retain_mut(|c| {
        if c.name != "name" || c.data.is_empty() {
            return true;
        }
        c.data.clear();
        has_names
    });
}

/// Functions (by absolute index) named by anything but a direct `call`:
/// exports, the start function, element segments, and every other
/// instruction naming one (`ref.func`, tail calls) in bodies, global and
/// table initializers. Their identity or signature is observable, so a
/// pass may not remove them or change their type.
pub fn referenced_otherwise(m: &Module, bodies: &Bodies) -> Vec<bool> {
    let nimp = m.num_imported(ExternKind::Func) as usize;
    let mut named = vec![false; nimp + m.funcs.len()];
    let mut mark = |i: u32| {
        if let Some(e) = named.get_mut(i as usize) {
            *e = true;
        }
    };
    for e in &m.exports {
        if e.kind == ExternKind::Func {
            mark(e.index);
        }
    }
    if let Some(s) = m.start {
        mark(s);
    }
    let in_instrs = |instrs: &[Instr], mark: &mut dyn FnMut(u32)| {
        for ins in instrs {
            if matches!(ins, Instr::Call(_)) {
                continue;
            }
            indices_of(ins, &mut |space, i| {
                if space == Space::Func {
                    mark(i);
                }
            });
        }
    };
    bodies.scan(m, |_, instrs| in_instrs(instrs, &mut mark));
    for g in &m.globals {
        in_instrs(&g.init.instrs, &mut mark);
    }
    for t in &m.tables {
        if let Some(init) = &t.init {
            in_instrs(&init.instrs, &mut mark);
        }
    }
    for e in &m.elems {
        match &e.items {
            wtool_ast::ElemItems::Funcs(fs) => fs.iter().for_each(|&f| mark(f)),
            wtool_ast::ElemItems::Exprs(es) => {
                es.iter().for_each(|x| in_instrs(&x.instrs, &mut mark))
            }
        }
    }
    named
}

/// Renumbers every function index the module holds outside the name
/// section — bodies, global and table initializers, element segments,
/// exports and the start function — with `f` (old index → new index).
/// Shared by the passes that renumber or merge functions.
pub fn remap_func_indices(m: &mut Module, bodies: &mut Bodies, f: &(impl Fn(u32) -> u32 + Sync)) {
    let on_instrs = |instrs: &mut [Instr]| {
        let mut changed = false;
        for ins in instrs.iter_mut() {
            map_indices(ins, &mut |s, i| {
                if s != Space::Func {
                    return i;
                }
                let n = f(i);
                changed |= n != i;
                n
            });
        }
        changed
    };
    bodies.rewrite(m, |_, unit| {
        let changed = on_instrs(&mut unit.func.body.instrs);
        // Indices may have changed size: the offsets no longer describe the bytes.
        if changed {
            unit.func.body.offsets.clear();
        }
        changed
    });
    let mut on_expr = |e: &mut wtool_ast::Expr| {
        on_instrs(&mut e.instrs);
    };
    m.globals.iter_mut().for_each(|g| on_expr(&mut g.init));
    m.tables
        .iter_mut()
        .filter_map(|t| t.init.as_mut())
        .for_each(&mut on_expr);
    for e in m.elems.iter_mut() {
        match &mut e.items {
            wtool_ast::ElemItems::Funcs(fs) => fs.iter_mut().for_each(|x| *x = f(*x)),
            wtool_ast::ElemItems::Exprs(es) => es.iter_mut().for_each(&mut on_expr),
        }
    }
    for e in m.exports.iter_mut() {
        if e.kind == ExternKind::Func {
            e.index = f(e.index);
        }
    }
    m.start = m.start.map(f);
}

/// Renumbers the function entries of the name section (function, local and
/// label names) with `f`; entries `f` maps to `None` go. Entries stay sorted.
pub fn remap_func_names(m: &mut Module, f: &impl Fn(u32) -> Option<u32>) {
    let Some(names) = m.names.as_mut() else {
        return;
    };
    names.funcs = std::mem::take(&mut names.funcs)
        .into_iter()
        .filter_map(|(i, n)| f(i).map(|j| (j, n)))
        .collect();
    names.funcs.sort_by_key(|(i, _)| *i);
    for map in [&mut names.locals, &mut names.labels] {
        *map = std::mem::take(map)
            .into_iter()
            .filter_map(|(i, n)| f(i).map(|j| (j, n)))
            .collect();
        map.sort_by_key(|(i, _)| *i);
    }
}

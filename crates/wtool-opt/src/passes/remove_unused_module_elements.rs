//! remove-unused-module-elements: drops functions, globals, tables, memories,
//! types and element/data segments that nothing live reaches, then renumbers
//! every index space (instructions, segments, exports, start, names).
//!
//! Roots: imports (never removed), exports, the start function, active
//! element and data segments (instantiation copies them and may trap, so they
//! are observable), and tags. Reachability runs over a `petgraph` graph of items.

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use crate::util::{forget_raw_names, indices_of, map_indices, Space};
use std::collections::BTreeSet;
use wtool_ast::{
    CompositeType, ElemItems, ElemMode, ElemSegment, Expr, ExternKind, ImportDesc, Instr, Module,
    NameMap, RefType, ValType,
};

/// See the module docs.
pub struct RemoveUnusedModuleElements;

/// A module item, by absolute index in its space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Item {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
    Type(u32),
    Elem(u32),
    Data(u32),
}

fn item(space: Space, i: u32) -> Item {
    match space {
        Space::Func => Item::Func(i),
        Space::Table => Item::Table(i),
        Space::Memory => Item::Memory(i),
        Space::Global => Item::Global(i),
        Space::Type => Item::Type(i),
        Space::Elem => Item::Elem(i),
        Space::Data => Item::Data(i),
    }
}

fn expr_edges(g: &mut crate::analysis::DiGraph<Item>, from: Item, e: &Expr) {
    instr_edges(g, from, &e.instrs);
}

fn instr_edges(g: &mut crate::analysis::DiGraph<Item>, from: Item, instrs: &[Instr]) {
    for ins in instrs {
        indices_of(ins, &mut |s, i| {
            g.add_edge(from, item(s, i), ());
        });
    }
}

fn ref_is_concrete(t: &RefType) -> bool {
    t.heap.type_index().is_some()
}

fn val_is_concrete(t: &ValType) -> bool {
    matches!(t, ValType::Ref(r) if ref_is_concrete(r))
}

/// Types named inside other types or by value types outside instructions
/// (typed references, GC types, recursion groups) make type removal unsafe
/// for this simple renumbering, which only rewrites instructions' indices;
/// 2.0 modules never have them.
fn has_concrete_refs(m: &Module) -> bool {
    let in_types = !m.rec_groups.is_empty()
        || m.types.iter().any(|t| match &t.composite {
            CompositeType::Func(f) => {
                t.sub.is_some()
                    || t.describes.is_some()
                    || t.descriptor.is_some()
                    || f.params.iter().chain(f.results.iter()).any(val_is_concrete)
            }
            CompositeType::Struct(_) | CompositeType::Array(_) => true,
        });
    let in_globals = m.globals.iter().any(|g| val_is_concrete(&g.ty.ty));
    let in_tables = m.tables.iter().any(|t| ref_is_concrete(&t.ty.elem));
    let in_elems = m.elems.iter().any(|e| ref_is_concrete(&e.ty));
    let in_imports = m.imports.iter().any(|i| match &i.desc {
        ImportDesc::Global(g) => val_is_concrete(&g.ty),
        ImportDesc::Table(t) => ref_is_concrete(&t.elem),
        _ => false,
    });
    let in_locals = m
        .funcs
        .iter()
        .any(|f| f.locals.iter().any(|l| val_is_concrete(&l.ty)));
    in_types || in_globals || in_tables || in_elems || in_imports || in_locals
}

/// Old index → new index, `None` for removed items.
struct Remap {
    func: Vec<Option<u32>>,
    table: Vec<Option<u32>>,
    memory: Vec<Option<u32>>,
    global: Vec<Option<u32>>,
    ty: Vec<Option<u32>>,
    elem: Vec<Option<u32>>,
    data: Vec<Option<u32>>,
}

fn compact(keep: impl Iterator<Item = bool>) -> Vec<Option<u32>> {
    let mut next = 0u32;
    keep.map(|k| {
        if k {
            next += 1;
            Some(next - 1)
        } else {
            None
        }
    })
    .collect()
}

impl Remap {
    fn get(&self, s: Space, i: u32) -> u32 {
        let v = match s {
            Space::Func => &self.func,
            Space::Table => &self.table,
            Space::Memory => &self.memory,
            Space::Global => &self.global,
            Space::Type => &self.ty,
            Space::Elem => &self.elem,
            Space::Data => &self.data,
        };
        // Out-of-range indices (invalid input) are left alone.
        v.get(i as usize).copied().flatten().unwrap_or(i)
    }

    fn is_identity(&self) -> bool {
        [
            &self.func,
            &self.table,
            &self.memory,
            &self.global,
            &self.ty,
            &self.elem,
            &self.data,
        ]
        .iter()
        .all(|v| v.iter().enumerate().all(|(i, m)| *m == Some(i as u32)))
    }

    fn expr(&self, e: &mut Expr) {
        self.instrs(&mut e.instrs);
    }

    /// Renumbers `instrs`; whether any index changed.
    fn instrs(&self, instrs: &mut [Instr]) -> bool {
        let mut changed = false;
        for ins in instrs.iter_mut() {
            map_indices(ins, &mut |s, i| {
                let n = self.get(s, i);
                changed |= n != i;
                n
            });
        }
        changed
    }

    fn names(&self, map: &mut NameMap, v: &[Option<u32>]) {
        map.retain_mut(|(i, _)| match v.get(*i as usize).copied().flatten() {
            Some(n) => {
                *i = n;
                true
            }
            None => false,
        });
    }
}

impl Pass for RemoveUnusedModuleElements {
    fn name(&self) -> &'static str {
        "remove-unused-module-elements"
    }
    fn description(&self) -> &'static str {
        "remove functions, globals, tables, memories, types and segments nothing live reaches"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_index_spaces: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, _opts: &PassOptions) -> bool {
        run(m, bodies)
    }
}

/// Adds `root` and everything it reaches in `g` to `live`. Nodes already
/// live are not entered again: one search per root would walk the whole
/// shared part again from each of them (a module of 100k data segments,
/// each a root reaching memory 0, whose edge list holds every user).
fn mark_live(g: &crate::analysis::DiGraph<Item>, live: &mut BTreeSet<Item>, root: Item) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if !live.insert(n) || !g.contains_node(n) {
            continue;
        }
        stack.extend(g.neighbors(n).filter(|s| !live.contains(s)));
    }
}

fn run(m: &mut Module, bodies: &mut Bodies) -> bool {
    let n_imp = |k| m.num_imported(k);
    let (nif, nit, nim, nig) = (
        n_imp(ExternKind::Func),
        n_imp(ExternKind::Table),
        n_imp(ExternKind::Memory),
        n_imp(ExternKind::Global),
    );
    let nfunc = nif as usize + m.funcs.len();
    let ntable = nit as usize + m.tables.len();
    let nmem = nim as usize + m.memories.len();
    let nglobal = nig as usize + m.globals.len();

    let mut g: crate::analysis::DiGraph<Item> = crate::analysis::DiGraph::new();
    let mut roots: Vec<Item> = Vec::new();
    // Imports stay, and so does the type of an imported function or tag.
    let (mut fi, mut ti, mut mi, mut gi) = (0u32, 0u32, 0u32, 0u32);
    for imp in &m.imports {
        match &imp.desc {
            ImportDesc::Func(t) => {
                g.add_edge(Item::Func(fi), Item::Type(*t), ());
                roots.push(Item::Func(fi));
                fi += 1;
            }
            ImportDesc::Table(_) => {
                roots.push(Item::Table(ti));
                ti += 1;
            }
            ImportDesc::Memory(_) => {
                roots.push(Item::Memory(mi));
                mi += 1;
            }
            ImportDesc::Global(_) => {
                roots.push(Item::Global(gi));
                gi += 1;
            }
            ImportDesc::Tag(t) => roots.push(Item::Type(*t)),
        }
    }
    for tag in &m.tags {
        roots.push(Item::Type(tag.type_idx));
    }
    // Bodies are read once, one at a time: their edges, and the functions
    // each takes a reference to (for the declarations below).
    let mut refs_of: Vec<(usize, Vec<u32>)> = Vec::new();
    bodies.scan(m, |i, instrs| {
        let me = Item::Func(nif + i as u32);
        g.add_edge(me, Item::Type(m.funcs[i].type_idx), ());
        instr_edges(&mut g, me, instrs);
        let refs: Vec<u32> = instrs
            .iter()
            .filter_map(|ins| match ins {
                Instr::RefFunc(f) => Some(*f),
                _ => None,
            })
            .collect();
        if !refs.is_empty() {
            refs_of.push((i, refs));
        }
    });
    for (i, t) in m.tables.iter().enumerate() {
        let me = Item::Table(nit + i as u32);
        g.add_node(me);
        if let Some(e) = &t.init {
            expr_edges(&mut g, me, e);
        }
    }
    for i in 0..m.memories.len() {
        g.add_node(Item::Memory(nim + i as u32));
    }
    for (i, gl) in m.globals.iter().enumerate() {
        let me = Item::Global(nig + i as u32);
        g.add_node(me);
        expr_edges(&mut g, me, &gl.init);
    }
    for (i, e) in m.elems.iter().enumerate() {
        let me = Item::Elem(i as u32);
        g.add_node(me);
        match &e.items {
            ElemItems::Funcs(fs) => {
                for &f in fs {
                    g.add_edge(me, Item::Func(f), ());
                }
            }
            ElemItems::Exprs(es) => {
                for x in es {
                    expr_edges(&mut g, me, x);
                }
            }
        }
        if let ElemMode::Active { table, offset } = &e.mode {
            g.add_edge(me, Item::Table(*table), ());
            expr_edges(&mut g, me, offset);
            roots.push(me);
        }
    }
    for (i, d) in m.datas.iter().enumerate() {
        let me = Item::Data(i as u32);
        g.add_node(me);
        if let wtool_ast::DataMode::Active { memory, offset } = &d.mode {
            g.add_edge(me, Item::Memory(*memory), ());
            expr_edges(&mut g, me, offset);
            roots.push(me);
        }
    }
    for e in &m.exports {
        roots.push(match e.kind {
            ExternKind::Func => Item::Func(e.index),
            ExternKind::Table => Item::Table(e.index),
            ExternKind::Memory => Item::Memory(e.index),
            ExternKind::Global => Item::Global(e.index),
            ExternKind::Tag => continue,
        });
    }
    if let Some(s) = m.start {
        roots.push(Item::Func(s));
    }

    let mut live: BTreeSet<Item> = BTreeSet::new();
    for r in roots {
        mark_live(&g, &mut live, r);
    }

    // Functions that live code takes a reference to must stay declared
    // (in a segment, an export or a global initializer). Unreached
    // declarative segments are trimmed to those functions.
    let mut declared: BTreeSet<u32> = BTreeSet::new();
    fn note_refs(e: &Expr, set: &mut BTreeSet<u32>) {
        for ins in &e.instrs {
            if let Instr::RefFunc(f) = ins {
                set.insert(*f);
            }
        }
    }
    let mut needed: BTreeSet<u32> = BTreeSet::new();
    for (i, refs) in &refs_of {
        if live.contains(&Item::Func(nif + *i as u32)) {
            needed.extend(refs.iter().copied());
        }
    }
    for e in &m.exports {
        if e.kind == ExternKind::Func {
            declared.insert(e.index);
        }
    }
    for (i, gl) in m.globals.iter().enumerate() {
        if live.contains(&Item::Global(nig + i as u32)) {
            note_refs(&gl.init, &mut declared);
        }
    }
    for (i, t) in m.tables.iter().enumerate() {
        if let (true, Some(e)) = (live.contains(&Item::Table(nit + i as u32)), &t.init) {
            note_refs(e, &mut declared);
        }
    }
    for (i, e) in m.elems.iter().enumerate() {
        if live.contains(&Item::Elem(i as u32)) {
            match &e.items {
                ElemItems::Funcs(fs) => declared.extend(fs.iter().copied()),
                ElemItems::Exprs(es) => es.iter().for_each(|x| note_refs(x, &mut declared)),
            }
        }
    }
    needed.retain(|f| !declared.contains(f));
    let mut trimmed: Vec<Option<ElemSegment>> = vec![None; m.elems.len()];
    for (i, e) in m.elems.iter().enumerate() {
        if live.contains(&Item::Elem(i as u32))
            || !matches!(e.mode, ElemMode::Declarative)
            || needed.is_empty()
        {
            continue;
        }
        let mut seg = e.clone();
        match &mut seg.items {
            ElemItems::Funcs(fs) => fs.retain(|f| needed.contains(f)),
            ElemItems::Exprs(es) => es.retain(|x| {
                x.instrs
                    .iter()
                    .any(|i| matches!(i, Instr::RefFunc(f) if needed.contains(f)))
            }),
        }
        if !seg.items.is_empty() {
            let mut covered = BTreeSet::new();
            match &seg.items {
                ElemItems::Funcs(fs) => covered.extend(fs.iter().copied()),
                ElemItems::Exprs(es) => es.iter().for_each(|x| note_refs(x, &mut covered)),
            }
            needed.retain(|f| !covered.contains(f));
            // Its item expressions may name globals; those must stay.
            trimmed[i] = Some(seg);
        }
    }
    // A declaration that only a removed global or table gave: add one.
    let extra_decl = (!needed.is_empty()).then(|| ElemSegment {
        ty: RefType::FUNCREF,
        mode: ElemMode::Declarative,
        items: ElemItems::Funcs(needed.iter().copied().collect()),
        explicit_index: false,
    });
    for seg in trimmed.iter().flatten() {
        if let ElemItems::Exprs(es) = &seg.items {
            for x in es {
                for ins in &x.instrs {
                    indices_of(ins, &mut |s, i| {
                        if s == Space::Global {
                            // Keeping a global keeps what its initializer names.
                            mark_live(&g, &mut live, Item::Global(i));
                        }
                    });
                }
            }
        }
    }

    let keep_types = has_concrete_refs(m);
    let remap = Remap {
        func: compact((0..nfunc as u32).map(|i| i < nif || live.contains(&Item::Func(i)))),
        table: compact((0..ntable as u32).map(|i| i < nit || live.contains(&Item::Table(i)))),
        memory: compact((0..nmem as u32).map(|i| i < nim || live.contains(&Item::Memory(i)))),
        global: compact((0..nglobal as u32).map(|i| i < nig || live.contains(&Item::Global(i)))),
        ty: compact((0..m.types.len() as u32).map(|i| keep_types || live.contains(&Item::Type(i)))),
        elem: compact((0..m.elems.len() as u32).map(|i| {
            live.contains(&Item::Elem(i)) || trimmed.get(i as usize).is_some_and(Option::is_some)
        })),
        data: compact((0..m.datas.len() as u32).map(|i| live.contains(&Item::Data(i)))),
    };
    let trimmed_any = trimmed
        .iter()
        .enumerate()
        .any(|(i, t)| t.as_ref().is_some_and(|s| Some(s) != m.elems.get(i)));
    if remap.is_identity() && extra_decl.is_none() && !trimmed_any {
        return false;
    }

    fn filter<T>(v: &mut Vec<T>, imported: u32, map: &[Option<u32>]) {
        let mut i = imported as usize;
        v.retain(|_| {
            i += 1;
            map.get(i - 1).copied().flatten().is_some()
        });
    }
    filter(&mut m.funcs, nif, &remap.func);
    bodies.retain(|d| {
        remap
            .func
            .get(nif as usize + d)
            .copied()
            .flatten()
            .is_some()
    });
    filter(&mut m.tables, nit, &remap.table);
    filter(&mut m.memories, nim, &remap.memory);
    filter(&mut m.globals, nig, &remap.global);
    filter(&mut m.types, 0, &remap.ty);
    for (i, t) in trimmed.into_iter().enumerate() {
        if let (Some(t), Some(slot)) = (t, m.elems.get_mut(i)) {
            *slot = t;
        }
    }
    filter(&mut m.elems, 0, &remap.elem);
    filter(&mut m.datas, 0, &remap.data);

    for imp in m.imports.iter_mut() {
        if let ImportDesc::Func(t) | ImportDesc::Tag(t) = &mut imp.desc {
            *t = remap.get(Space::Type, *t);
        }
    }
    for t in m.tags.iter_mut() {
        t.type_idx = remap.get(Space::Type, t.type_idx);
    }
    for f in m.funcs.iter_mut() {
        f.type_idx = remap.get(Space::Type, f.type_idx);
    }
    bodies.rewrite(m, |_, unit| remap.instrs(&mut unit.func.body.instrs));
    for t in m.tables.iter_mut() {
        if let Some(e) = &mut t.init {
            remap.expr(e);
        }
    }
    for gl in m.globals.iter_mut() {
        remap.expr(&mut gl.init);
    }
    for e in m.elems.iter_mut() {
        match &mut e.items {
            ElemItems::Funcs(fs) => fs.iter_mut().for_each(|f| *f = remap.get(Space::Func, *f)),
            ElemItems::Exprs(es) => es.iter_mut().for_each(|x| remap.expr(x)),
        }
        if let ElemMode::Active { table, offset } = &mut e.mode {
            *table = remap.get(Space::Table, *table);
            remap.expr(offset);
        }
    }
    if let Some(mut seg) = extra_decl {
        if let ElemItems::Funcs(fs) = &mut seg.items {
            fs.iter_mut().for_each(|f| *f = remap.get(Space::Func, *f));
        }
        m.elems.push(seg);
    }
    for d in m.datas.iter_mut() {
        if let wtool_ast::DataMode::Active { memory, offset } = &mut d.mode {
            *memory = remap.get(Space::Memory, *memory);
            remap.expr(offset);
        }
    }
    for e in m.exports.iter_mut() {
        let s = match e.kind {
            ExternKind::Func => Space::Func,
            ExternKind::Table => Space::Table,
            ExternKind::Memory => Space::Memory,
            ExternKind::Global => Space::Global,
            ExternKind::Tag => continue,
        };
        e.index = remap.get(s, e.index);
    }
    m.start = m.start.map(|s| remap.get(Space::Func, s));
    if m.data_count.is_some() {
        m.data_count = Some(m.datas.len() as u32);
    }
    if let Some(names) = m.names.as_mut() {
        remap.names(&mut names.funcs, &remap.func);
        for map in [&mut names.locals, &mut names.labels] {
            map.retain_mut(
                |(f, _)| match remap.func.get(*f as usize).copied().flatten() {
                    Some(n) => {
                        *f = n;
                        true
                    }
                    None => false,
                },
            );
        }
        remap.names(&mut names.types, &remap.ty);
        names.fields.retain_mut(
            |(t, _)| match remap.ty.get(*t as usize).copied().flatten() {
                Some(n) => {
                    *t = n;
                    true
                }
                None => false,
            },
        );
        remap.names(&mut names.tables, &remap.table);
        remap.names(&mut names.memories, &remap.memory);
        remap.names(&mut names.globals, &remap.global);
        remap.names(&mut names.elems, &remap.elem);
        remap.names(&mut names.datas, &remap.data);
    }
    forget_raw_names(m);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, wat};
    use wtool_ast::ImportDesc;

    fn run_on(src: &str) -> Module {
        let mut m = wat(src);
        assert_valid(&m);
        RemoveUnusedModuleElements.run(&mut m, &PassOptions::default());
        assert_valid(&m);
        m
    }

    #[test]
    fn removes_unreached_items_and_renumbers() {
        let m = run_on(
            r#"(module
                (type $unused (func (param i64)))
                (type $t (func (result i32)))
                (import "env" "imp" (func $imp (param i32)))
                (import "env" "g" (global $ig i32))
                (global $dead (mut i32) (i32.const 1))
                (global $live i32 (i32.const 2))
                (memory 1)
                (table 2 funcref)
                (func $dead (result i32) global.get $dead)
                (func $helper (result i32) global.get $live)
                (func $main (export "main") (result i32)
                    (call $imp (i32.const 0))
                    call $helper)
                (data (i32.const 0) "x"))"#,
        );
        // The import stays (and keeps its index), $dead and its global go,
        // the active data segment keeps the memory, the table is unused.
        assert_eq!(m.imports.len(), 2);
        assert_eq!(m.funcs.len(), 2);
        assert_eq!(m.globals.len(), 1);
        assert_eq!(m.memories.len(), 1);
        assert!(m.tables.is_empty());
        assert_eq!(m.exports[0].index, 2);
        // Body of main calls the helper, now function 1.
        assert!(m.funcs[1].body.instrs.contains(&Instr::Call(1)));
        assert!(m.funcs[0].body.instrs.contains(&Instr::GlobalGet(1)));
        // The unused type went; the import's type index followed.
        assert!(m.types.iter().all(|t| t
            .as_func()
            .is_some_and(|f| f.params.as_ref() != [ValType::I64])));
        assert!(
            matches!(m.imports[0].desc, ImportDesc::Func(t) if m.types[t as usize].as_func().unwrap().params.as_ref() == [ValType::I32])
        );
    }

    #[test]
    fn keeps_active_segments_tables_and_start() {
        let m = run_on(
            r#"(module
                (table 1 funcref)
                (func $a)
                (func $b)
                (func $s)
                (elem (i32.const 0) $a)
                (elem $p func $b)
                (start $s))"#,
        );
        // $a through the active segment, $s as start; the passive segment
        // and $b are unreached.
        assert_eq!(m.funcs.len(), 2);
        assert_eq!(m.elems.len(), 1);
        assert_eq!(m.start, Some(1));
        assert_eq!(m.tables.len(), 1);
    }

    #[test]
    fn passive_segments_follow_their_users_and_names_follow() {
        let mut m = wat(r#"(module
                (memory 1)
                (func $gone)
                (func $f (export "f") (memory.init $d1 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d1))
                (data $d0 "a")
                (data $d1 "b"))"#);
        // `wat` does not emit a name section; add names to see them renumbered.
        m.names = Some(wtool_ast::Names {
            funcs: vec![(0, "gone".into()), (1, "f".into())],
            datas: vec![(0, "d0".into()), (1, "d1".into())],
            ..Default::default()
        });
        assert!(RemoveUnusedModuleElements.run(&mut m, &PassOptions::default()));
        assert_valid(&m);
        assert_eq!(m.datas.len(), 1);
        assert_eq!(m.datas[0].data, b"b");
        assert_eq!(m.data_count, Some(1));
        assert!(m.funcs[0].body.instrs.contains(&Instr::DataDrop(0)));
        let names = m.names.unwrap();
        assert_eq!(names.funcs, vec![(0, "f".to_string())]);
        assert_eq!(names.datas, vec![(0, "d1".to_string())]);
    }

    #[test]
    fn ref_func_declarations_survive() {
        let m = run_on(
            r#"(module
                (global $g funcref (ref.func $t))
                (func $t)
                (func $u)
                (elem declare func $u)
                (func (export "x") (result funcref) ref.func $t)
                (func (export "y") (result funcref) ref.func $u))"#,
        );
        // $g goes, so $t needs a declaration of its own; $u keeps its segment.
        assert!(m.globals.is_empty());
        assert_eq!(m.elems.len(), 2);
    }

    #[test]
    fn idempotent_on_minimal_modules() {
        let mut m = wat(r#"(module (func (export "f")))"#);
        assert!(!RemoveUnusedModuleElements.run(&mut m, &PassOptions::default()));
    }
}

//! `component new --adapt`: a WASI preview1 adapter module reduced to the
//! exports the main module needs, as wit-component's adapter gc does.
//!
//! The adapter is a specially built core module: no data or element
//! segments, no tables, at most one (imported) memory, and a stack that
//! must be allocated at run time. Trimming keeps what the required exports
//! reach, drops every other import (so the component imports only the WASI
//! interfaces actually used), wires `cabi_realloc` to the main module (or
//! to a `memory.grow` stand-in), and allocates the stack either lazily on
//! entry to every export or once in a start function.
//!
//! The output follows wit-component 0.263's layout item for item (type,
//! import, function and name order) so that the component we build matches
//! its. Where wit-component would emit a broken module we differ: the added
//! stack code uses the stack globals' *new* indices (it keeps the old ones),
//! and a `memory.grow` realloc without a live memory, or a main-module
//! realloc import of the wrong type, is an error rather than invalid code.

use super::NewError;
use wtool_ast::{
    visit, BlockType, CustomPlace, CustomSection, Export, ExternKind, Func, FuncType, Import,
    ImportDesc, IndexSpace, Instr, LocalGroup, Module, Names, Op, SectionId, TypeDef, ValType,
};

/// What `realloc` is asked for when allocating a stack: one page.
const PAGE_SIZE: i32 = 64 * 1024;

/// The values of the adapter's `allocation_state` global.
const UNALLOCATED: i32 = 0;
const ALLOCATING: i32 = 1;
const ALLOCATED: i32 = 2;

const NO_TABLES: &str = "tables should not be present in the final adapter module";

fn err(msg: impl Into<String>) -> NewError {
    NewError(msg.into())
}

/// The adapter reduced to the exports `required` (and what they reach), with its stack and
/// `cabi_realloc` wired as wit-component does.
pub fn trim_adapter(
    adapter: &Module,
    required: &[String],
    main_realloc: Option<&str>,
) -> Result<Module, NewError> {
    check_supported(adapter)?;
    let exports = kept_exports(adapter, required)?;
    let space = Spaces::new(adapter);
    let live = liveness(adapter, &space, &exports)?;
    Rebuild::new(adapter, &space, &live, main_realloc).run(&exports)
}

/// Rejects what an adapter may not contain, before anything is looked at.
fn check_supported(m: &Module) -> Result<(), NewError> {
    let section = |name: &str| err(format!("unsupported section `{name}` in adapter"));
    let tag_import = m.imports.iter().any(|i| i.desc.kind() == ExternKind::Tag);
    if !m.tags.is_empty() || tag_import {
        return Err(err("unsupported `tag` type in adapter"));
    }
    if m.imports.iter().any(|i| i.exact) {
        return Err(err("unsupported `func_exact` import in adapter"));
    }
    if !m.elems.is_empty() {
        return Err(section("elem"));
    }
    if !m.datas.is_empty() || m.data_count.is_some() {
        return Err(section("data"));
    }
    if m.start.is_some() {
        return Err(section("start"));
    }
    // Only plain function types: the rebuilt type section is written in the
    // MVP form, so recursion groups and subtyping could not survive it.
    let plain = |t: &TypeDef| {
        t.as_func().is_some()
            && t.describes.is_none()
            && t.descriptor.is_none()
            && t.sub
                .as_ref()
                .is_none_or(|s| s.is_final && s.supertypes.is_empty())
    };
    if !m.rec_groups.is_empty() || !m.types.iter().all(plain) {
        return Err(err("GC types are not supported in adapter modules"));
    }
    Ok(())
}

/// The exports that stay, in the order wit-component leaves them: it
/// swap-removes every unwanted export from the original list.
fn kept_exports(m: &Module, required: &[String]) -> Result<Vec<Export>, NewError> {
    for name in required {
        if !m.exports.iter().any(|e| e.name == *name) {
            return Err(err(format!("adapter module does not have export `{name}`")));
        }
    }
    let mut kept = m.exports.clone();
    for e in &m.exports {
        if required.contains(&e.name) {
            continue;
        }
        if let Some(at) = kept.iter().position(|k| k.name == e.name) {
            kept.swap_remove(at);
        }
    }
    Ok(kept)
}

/// An item of an index space: imported, or defined here.
enum Def<'a, T> {
    Import(&'a Import),
    Local(&'a T),
}

/// The module's function, memory and global index spaces (tables are left
/// out: any live table is an error).
struct Spaces<'a> {
    funcs: Vec<(u32, Def<'a, Func>)>,
    memories: Vec<Option<&'a Import>>,
    globals: Vec<(wtool_ast::GlobalType, Def<'a, wtool_ast::Global>)>,
}

impl<'a> Spaces<'a> {
    fn new(m: &'a Module) -> Self {
        let mut s = Spaces {
            funcs: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
        };
        for i in &m.imports {
            match &i.desc {
                ImportDesc::Func(t) => s.funcs.push((*t, Def::Import(i))),
                ImportDesc::Memory(_) => s.memories.push(Some(i)),
                ImportDesc::Global(g) => s.globals.push((*g, Def::Import(i))),
                ImportDesc::Table(_) | ImportDesc::Tag(_) => {}
            }
        }
        s.funcs
            .extend(m.funcs.iter().map(|f| (f.type_idx, Def::Local(f))));
        s.memories.extend(m.memories.iter().map(|_| None));
        s.globals
            .extend(m.globals.iter().map(|g| (g.ty, Def::Local(g))));
        s
    }
}

/// Which items are live, per index space.
struct Live {
    types: Vec<bool>,
    funcs: Vec<bool>,
    memories: Vec<bool>,
    globals: Vec<bool>,
    /// Items found live whose definitions are still to be walked.
    work: Vec<(IndexSpace, u32)>,
}

impl Live {
    fn mark(&mut self, space: IndexSpace, idx: u32) -> Result<(), NewError> {
        let (set, what) = match space {
            IndexSpace::Type => (&mut self.types, "type"),
            IndexSpace::Func => (&mut self.funcs, "function"),
            // Without element segments a table has no meaning.
            IndexSpace::Table => return Err(err(NO_TABLES)),
            IndexSpace::Memory => (&mut self.memories, "memory"),
            IndexSpace::Global => (&mut self.globals, "global"),
            IndexSpace::Tag | IndexSpace::Elem | IndexSpace::Data => {
                let e = format!("adapter code refers to a {space:?} index, which it may not have");
                return Err(err(e));
            }
            IndexSpace::Local | IndexSpace::Label | IndexSpace::Field => return Ok(()),
        };
        let missing = || {
            err(format!(
                "adapter refers to {what} {idx}, which does not exist"
            ))
        };
        let slot = set.get_mut(idx as usize).ok_or_else(missing)?;
        if !*slot {
            *slot = true;
            self.work.push((space, idx));
        }
        Ok(())
    }

    /// Marks the types a value type refers to.
    fn val_types<'v>(
        &mut self,
        tys: impl IntoIterator<Item = &'v ValType>,
    ) -> Result<(), NewError> {
        let mut found = Vec::new();
        tys.into_iter()
            .for_each(|t| visit::val_type(t, &mut |s, i| found.push((s, i))));
        found.into_iter().try_for_each(|(s, i)| self.mark(s, i))
    }

    /// Marks everything instructions refer to.
    fn instrs(&mut self, instrs: &[Instr]) -> Result<(), NewError> {
        let mut found = Vec::new();
        for ins in instrs {
            ins.visit_indices(&mut |s, i| found.push((s, i)));
            found.drain(..).try_for_each(|(s, i)| self.mark(s, i))?;
        }
        Ok(())
    }
}

/// Everything the kept exports reach.
fn liveness(m: &Module, space: &Spaces, exports: &[Export]) -> Result<Live, NewError> {
    let mut live = Live {
        types: vec![false; m.types.len()],
        funcs: vec![false; space.funcs.len()],
        memories: vec![false; space.memories.len()],
        globals: vec![false; space.globals.len()],
        work: Vec::new(),
    };
    for e in exports {
        let space = match e.kind {
            ExternKind::Func => IndexSpace::Func,
            ExternKind::Table => return Err(err(NO_TABLES)),
            ExternKind::Memory => IndexSpace::Memory,
            ExternKind::Global => IndexSpace::Global,
            ExternKind::Tag => return Err(err("unsupported exported tag in adapter")),
        };
        live.mark(space, e.index)?;
    }
    while let Some((kind, idx)) = live.work.pop() {
        let idx = idx as usize;
        match kind {
            IndexSpace::Type => {
                let ty = m.types[idx]
                    .as_func()
                    .ok_or_else(|| err("not a function type"))?;
                live.val_types(ty.params.iter().chain(ty.results.iter()))?;
            }
            IndexSpace::Func => {
                let (ty, def) = &space.funcs[idx];
                live.mark(IndexSpace::Type, *ty)?;
                if let Def::Local(f) = def {
                    live.val_types(f.locals.iter().map(|g| &g.ty))?;
                    live.instrs(&f.body.instrs)?;
                }
            }
            IndexSpace::Global => {
                let (ty, def) = &space.globals[idx];
                live.val_types([&ty.ty])?;
                if let Def::Local(g) = def {
                    live.instrs(&g.init.instrs)?;
                }
            }
            _ => {}
        }
    }
    // The component model gives an adapter one memory: the main module's.
    if live.memories.iter().filter(|l| **l).count() > 1 {
        return Err(err("the adapter module should not use multi-memory"));
    }
    let mut memories = space.memories.iter().zip(&live.memories);
    if memories.any(|(imp, l)| *l && imp.is_none()) {
        let e = "locally-defined memories are not allowed in the adapter module";
        return Err(err(e));
    }
    Ok(live)
}

/// Old index to new, for the live items of an index space.
fn renumber(live: &[bool]) -> Vec<Option<u32>> {
    let mut next = 0u32..;
    live.iter()
        .map(|&l| if l { next.next() } else { None })
        .collect()
}

/// Whether an import is the adapter's `cabi_realloc` from the main module.
fn is_realloc(i: &Import) -> bool {
    i.module == "__main_module__"
        && matches!(i.name.as_str(), "cabi_realloc" | "canonical_abi_realloc")
}

/// The type of `cabi_realloc`: `(old_ptr, old_len, align, new_len) -> ptr`.
fn realloc_type() -> FuncType {
    FuncType::new([ValType::I32; 4], [ValType::I32])
}

/// A function with the given type, extra locals and body (without the final `end`).
fn func(type_idx: u32, locals: Vec<LocalGroup>, mut body: Vec<Instr>) -> Func {
    body.push(Instr::End);
    Func {
        type_idx,
        locals,
        body: wtool_ast::Expr::new(body),
        offset: 0,
        size: 0,
    }
}

/// `cabi_realloc` for new 64 KiB allocations only, by growing memory 0
/// (whose pages are `2^page_size_log2` bytes), for when the adapter may not
/// call the main module's realloc.
fn realloc_via_memory_grow(type_idx: u32, page_size_log2: u32) -> Func {
    let (c, get, op) = (Instr::I32Const, Instr::LocalGet, Instr::Plain);
    let (if_, trap, end) = (Instr::If(BlockType::Empty), Instr::Unreachable, Instr::End);
    let trap_unless = |want: i32, local: u32| {
        let ne = op(Op::I32Ne);
        [
            c(want),
            get(local),
            ne,
            if_.clone(),
            trap.clone(),
            end.clone(),
        ]
    };
    let mut body = Vec::new();
    body.extend(trap_unless(0, 0)); // old_ptr
    body.extend(trap_unless(0, 1)); // old_len
    body.extend(trap_unless(PAGE_SIZE, 3)); // new_len
    let pages = c(PAGE_SIZE >> page_size_log2.min(16));
    body.extend([pages, Instr::MemoryGrow(0), Instr::LocalTee(4)]);
    body.extend([c(-1), op(Op::I32Eq), if_, trap, end, get(4)]);
    // The page index returned, as a byte address.
    if page_size_log2 > 0 {
        body.extend([c(page_size_log2 as i32), op(Op::I32Shl)]);
    }
    let scratch = LocalGroup {
        count: 1,
        ty: ValType::I32,
    };
    func(type_idx, vec![scratch], body)
}

/// Points `sp` at the end of a fresh 64 KiB block from `realloc`; with
/// `allocation_state`, only the first time (and marks reentrance).
fn allocate_stack(type_idx: u32, realloc: u32, sp: u32, state: Option<u32>) -> Func {
    let (c, set, op) = (Instr::I32Const, Instr::GlobalSet, Instr::Plain);
    let mut body = Vec::new();
    if let Some(state) = state {
        let test = [Instr::GlobalGet(state), c(UNALLOCATED), op(Op::I32Eq)];
        body.extend(test.into_iter().chain([Instr::If(BlockType::Empty)]));
        body.extend([c(ALLOCATING), set(state)]);
    }
    body.extend([c(0), c(0), c(8), c(PAGE_SIZE), Instr::Call(realloc)]);
    body.extend([c(PAGE_SIZE), op(Op::I32Add), set(sp)]);
    if let Some(state) = state {
        body.extend([c(ALLOCATED), set(state), Instr::End]);
    }
    func(type_idx, Vec::new(), body)
}

/// The new index of old item `i`, which liveness made sure is kept.
fn new_index(map: &[Option<u32>], i: u32) -> Result<u32, NewError> {
    let kept = map.get(i as usize).copied().flatten();
    kept.ok_or_else(|| err(format!("adapter gc: index {i} was not kept")))
}

/// The trimmed module under construction.
struct Rebuild<'a> {
    m: &'a Module,
    space: &'a Spaces<'a>,
    live: &'a Live,
    main_realloc: Option<&'a str>,
    /// Old index to new, per index space.
    types: Vec<Option<u32>>,
    funcs: Vec<Option<u32>>,
    memories: Vec<Option<u32>>,
    globals: Vec<Option<u32>>,
    /// The next function index.
    next: u32,
    /// The function the stack is allocated with, once known.
    realloc: Option<u32>,
    /// Names of the functions added.
    added_names: Vec<(u32, String)>,
    out: Module,
}

impl<'a> Rebuild<'a> {
    fn new(m: &'a Module, space: &'a Spaces, live: &'a Live, realloc: Option<&'a str>) -> Self {
        Rebuild {
            m,
            space,
            live,
            main_realloc: realloc,
            types: renumber(&live.types),
            funcs: vec![None; live.funcs.len()],
            memories: renumber(&live.memories),
            globals: renumber(&live.globals),
            next: 0,
            realloc: None,
            added_names: Vec::new(),
            out: Module::default(),
        }
    }

    fn run(mut self, exports: &[Export]) -> Result<Module, NewError> {
        let empty_type = self.types()?;
        self.imports()?;
        let sp = self.named_global("__stack_pointer")?;
        let state = self.named_global("allocation_state")?;
        if let (Some(name), Some(_), None) = (self.main_realloc, sp, self.realloc) {
            // The stack will be allocated with the main module's realloc,
            // which the adapter itself does not import.
            let ty = self.add_type(realloc_type());
            let desc = ImportDesc::Func(ty);
            let (module, name) = ("__main_module__".into(), name.to_string());
            self.added_names.push((self.next, name.clone()));
            self.out.imports.push(Import {
                module,
                name,
                desc,
                exact: false,
            });
            self.realloc = Some(self.next);
            self.next += 1;
        }
        let defined = self.number_defined()?;
        // Allocating on first entry needs a realloc that cannot reenter the
        // adapter unnoticed: the main module's, with the state flag.
        let lazy = (sp.is_some() && state.is_some() && self.main_realloc.is_some()).then(|| {
            self.next += 1;
            self.next - 1
        });
        self.defined(&defined, exports, lazy)?;

        let new_sp = sp.map(|g| new_index(&self.globals, g)).transpose()?;
        let new_state = state.map(|g| new_index(&self.globals, g)).transpose()?;
        if let (Some(lazy), Some(sp), Some(realloc)) = (lazy, new_sp, self.realloc) {
            let ty = self.add_type(FuncType::new([], []));
            self.out
                .funcs
                .push(allocate_stack(ty, realloc, sp, new_state));
            self.added_names.push((lazy, "allocate_stack".into()));
        }
        if sp.is_some() && (self.realloc.is_none() || state.is_none()) {
            // No realloc from the main module, or one that could reenter the
            // adapter before the stack exists: grow memory instead.
            let ty = self.add_type(realloc_type());
            let f = realloc_via_memory_grow(ty, self.page_size_log2()?);
            self.out.funcs.push(f);
            self.realloc = Some(self.next);
            self.next += 1;
        }
        // Without lazy allocation the stack is allocated once, at start
        // (if there is a memory to hold it).
        let has_memory = self.live.memories.contains(&true);
        if let (Some(sp), None, Some(realloc), true) = (new_sp, lazy, self.realloc, has_memory) {
            let ty = match empty_type {
                Some(t) => t,
                None => self.add_type(FuncType::new([], [])),
            };
            self.added_names.push((self.next, "allocate_stack".into()));
            self.out
                .funcs
                .push(allocate_stack(ty, realloc, sp, new_state));
            self.out.start = Some(self.next);
        }
        self.exports_and_globals(exports)?;
        self.names();
        Ok(self.out)
    }

    /// The live types, renumbered; returns the (last) empty one's new index.
    fn types(&mut self) -> Result<Option<u32>, NewError> {
        let mut empty = None;
        for (i, t) in self.m.types.iter().enumerate() {
            let Some(ty) = t.as_func().filter(|_| self.live.types[i]) else {
                continue;
            };
            let mut ty = ty.clone();
            for v in ty.params.iter_mut().chain(ty.results.iter_mut()) {
                self.renumber_val(v)?;
            }
            if ty.params.is_empty() && ty.results.is_empty() {
                empty = Some(self.out.types.len() as u32);
            }
            self.out.types.push(TypeDef::func(ty));
        }
        Ok(empty)
    }

    /// Live imports, memories then globals then functions (wit-component's
    /// order), with the main module's realloc under the name it exports.
    fn imports(&mut self) -> Result<(), NewError> {
        let (space, live) = (self.space, self.live);
        let memories = space.memories.iter().zip(&live.memories);
        for (imp, _) in memories.filter(|(_, l)| **l) {
            self.out.imports.extend(imp.cloned());
        }
        for (i, (_, def)) in space.globals.iter().enumerate() {
            if let (true, Def::Import(imp)) = (live.globals[i], def) {
                self.out.imports.push((*imp).clone());
            }
        }
        for (i, (ty, def)) in space.funcs.iter().enumerate() {
            let Def::Import(imp) = def else { continue };
            if !live.funcs[i] || self.replaced(def) {
                continue;
            }
            let mut imp = (*imp).clone();
            imp.desc = ImportDesc::Func(new_index(&self.types, *ty)?);
            if is_realloc(&imp) {
                self.realloc = Some(self.next);
                imp.name = self.main_realloc.unwrap_or(&imp.name).to_string();
            }
            self.out.imports.push(imp);
            self.funcs[i] = Some(self.next);
            self.next += 1;
        }
        Ok(())
    }

    /// With no realloc from the main module, the adapter's own import of it
    /// becomes a local function instead.
    fn replaced(&self, def: &Def<Func>) -> bool {
        matches!(def, Def::Import(i) if is_realloc(i) && self.main_realloc.is_none())
    }

    /// Numbers the live defined functions (the replaced realloc imports
    /// first, as imports precede definitions); returns their old indices.
    fn number_defined(&mut self) -> Result<Vec<usize>, NewError> {
        let mut defined = Vec::new();
        for (i, (ty, def)) in self.space.funcs.iter().enumerate() {
            if !self.live.funcs[i] || matches!(def, Def::Import(_)) && !self.replaced(def) {
                continue;
            }
            if let Def::Import(_) = def {
                if self.m.func_type(*ty) != Some(&realloc_type()) {
                    return Err(err(
                        "the adapter's `cabi_realloc` import has the wrong type",
                    ));
                }
                self.realloc = Some(self.next);
            }
            self.funcs[i] = Some(self.next);
            self.next += 1;
            defined.push(i);
        }
        Ok(defined)
    }

    /// The defined functions' bodies, renumbered; exported ones first call
    /// `lazy` (which allocates the stack) if given.
    fn defined(
        &mut self,
        defined: &[usize],
        exports: &[Export],
        lazy: Option<u32>,
    ) -> Result<(), NewError> {
        for &old in defined {
            let (ty, def) = &self.space.funcs[old];
            let f = match def {
                Def::Import(_) => {
                    let ty = new_index(&self.types, *ty)?;
                    realloc_via_memory_grow(ty, self.page_size_log2()?)
                }
                Def::Local(f) => {
                    let mut f = (*f).clone();
                    f.type_idx = new_index(&self.types, f.type_idx)?;
                    for g in &mut f.locals {
                        self.renumber_val(&mut g.ty)?;
                    }
                    (f.offset, f.size) = (0, 0);
                    f.body.offsets.clear();
                    self.renumber_instrs(&mut f.body.instrs)?;
                    let exported =
                        |e: &Export| e.kind == ExternKind::Func && e.index as usize == old;
                    if let (Some(lazy), true) = (lazy, exports.iter().any(exported)) {
                        f.body.instrs.insert(0, Instr::Call(lazy));
                    }
                    f
                }
            };
            self.out.funcs.push(f);
        }
        Ok(())
    }

    fn exports_and_globals(&mut self, exports: &[Export]) -> Result<(), NewError> {
        for e in exports {
            let map = match e.kind {
                ExternKind::Func => &self.funcs,
                ExternKind::Memory => &self.memories,
                ExternKind::Global => &self.globals,
                _ => return Err(err("unsupported export kind in adapter")),
            };
            let index = new_index(map, e.index)?;
            self.out.exports.push(Export { index, ..e.clone() });
        }
        let imported = self.space.globals.len() - self.m.globals.len();
        for (i, g) in self.m.globals.iter().enumerate() {
            if self.live.globals[imported + i] {
                let mut g = g.clone();
                self.renumber_val(&mut g.ty.ty)?;
                g.init.offsets.clear();
                self.renumber_instrs(&mut g.init.instrs)?;
                self.out.globals.push(g);
            }
        }
        Ok(())
    }

    /// Renumbers the indices `walk` hands out.
    fn renumber(
        &self,
        walk: impl FnOnce(&mut dyn FnMut(IndexSpace, &mut u32)),
    ) -> Result<(), NewError> {
        let mut missing = None;
        walk(&mut |space, i| {
            let map = match space {
                IndexSpace::Type => &self.types,
                IndexSpace::Func => &self.funcs,
                IndexSpace::Memory => &self.memories,
                IndexSpace::Global => &self.globals,
                _ => return,
            };
            match new_index(map, *i) {
                Ok(n) => *i = n,
                Err(e) => missing = Some(e),
            }
        });
        missing.map_or(Ok(()), Err)
    }

    fn renumber_instrs(&self, instrs: &mut [Instr]) -> Result<(), NewError> {
        self.renumber(|f| {
            instrs
                .iter_mut()
                .for_each(|ins| ins.visit_indices_mut(&mut |s, i| f(s, i)))
        })
    }

    fn renumber_val(&self, t: &mut ValType) -> Result<(), NewError> {
        self.renumber(|f| visit::val_type_mut(t, &mut |s, i| f(s, i)))
    }

    /// The page size of the memory `memory.grow` grows (as wit-component
    /// takes it: the adapter's first imported memory's), which must be live.
    fn page_size_log2(&self) -> Result<u32, NewError> {
        if !self.live.memories.contains(&true) {
            let e = "the adapter needs a memory to implement `cabi_realloc` with `memory.grow`";
            return Err(err(e));
        }
        let mut memories = self.m.imports.iter().filter_map(|i| match &i.desc {
            ImportDesc::Memory(m) => Some(m.page_size_log2.unwrap_or(16)),
            _ => None,
        });
        Ok(memories.next().unwrap_or(16))
    }

    /// Appends a type to the new type section.
    fn add_type(&mut self, ty: FuncType) -> u32 {
        self.out.types.push(TypeDef::func(ty));
        self.out.types.len() as u32 - 1
    }

    /// The unique live mutable i32 global the name section calls `name`.
    fn named_global(&self, name: &str) -> Result<Option<u32>, NewError> {
        let names = self.m.names.as_ref().map(|n| &n.globals);
        let found: Vec<u32> = (0..self.space.globals.len() as u32)
            .filter(|&i| {
                let (ty, _) = &self.space.globals[i as usize];
                self.live.globals[i as usize]
                    && ty.mutable
                    && ty.ty == ValType::I32
                    && names.and_then(|n| Names::lookup(n, i)) == Some(name)
            })
            .collect();
        match found[..] {
            [] => Ok(None),
            [i] => Ok(Some(i)),
            _ => Err(err(format!(
                "found {} mutable i32 globals with name {name}",
                found.len()
            ))),
        }
    }

    /// The function and global names of live items, renumbered, and the
    /// added functions' names, in index order (as wit-component sorts
    /// them); the producers section is kept, every other custom section goes.
    fn names(&mut self) {
        let old = self.m.names.as_ref();
        let renamed = |names: Option<&Vec<(u32, String)>>, map: &[Option<u32>]| {
            let names = names.map_or(&[][..], |n| n);
            let kept = names
                .iter()
                .filter_map(|(i, n)| Some((map.get(*i as usize).copied().flatten()?, n.clone())));
            kept.collect::<Vec<_>>()
        };
        let mut funcs = std::mem::take(&mut self.added_names);
        funcs.extend(renamed(old.map(|n| &n.funcs), &self.funcs));
        funcs.sort_by_key(|(i, _)| *i);
        let globals = renamed(old.map(|n| &n.globals), &self.globals);
        let place = CustomPlace::After(SectionId::Data);
        if !funcs.is_empty() || !globals.is_empty() {
            self.out.names = Some(Names {
                funcs,
                globals,
                ..Names::default()
            });
            // An empty payload: the encoder writes `names` here.
            let (name, data) = ("name".into(), Vec::new());
            self.out.customs.push(CustomSection { name, data, place });
        }
        if let Some(p) = self.m.customs.iter().find(|c| c.name == "producers") {
            self.out.customs.push(CustomSection { place, ..p.clone() });
        }
    }
}

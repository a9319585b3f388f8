//! local-cse: local value numbering. Within an extended block (straight-line
//! code that goes on past `br_if`s and into nested `block`s and `if` arms),
//! a pure expression tree computed a second time from the same inputs
//! reads the first value instead: the first occurrence gets a `local.tee`
//! into a fresh local and the second becomes a `local.get` of it; when a
//! local the code itself wrote still holds the value, that local is read
//! and nothing is added.
//!
//! Values are numbered as the stack code runs: a constant by its bits, a
//! `local.get` by the local and the last write to it, a `global.get` by the
//! global and the last write to globals, a load by its op, offset, address
//! number and the last write to memory (not for a shared memory, which
//! another thread may write), any other table-driven op and
//! `select` by the op and its operands' numbers. `local.set x` of value `v`
//! makes later reads of `x` number as `v`. A call counts as a write of
//! memory and of every global; entering a loop forgets the locals, globals
//! and memory the loop writes (its back edge brings them); the numbers made
//! inside a `block`, `if` arm or `loop` are forgotten at its `end` (and at
//! the `else`), since a branch may skip them.
//!
//! Exact: the replaced tree would have computed the same bits from the same
//! inputs (the numbering guarantees it) and could not trap, since the same
//! computation already ran without trapping; the first occurrence always ran
//! before the second on every path, so no trap moves and no load is
//! reordered around a store.
//!
//! Worth it when it saves work (`-O2`/`-O3`: the tree has at least three
//! instructions, or two when an existing local holds the value) or bytes
//! (`-Os`/`-Oz`: the tree encodes in more bytes than the `local.get`, plus
//! the `local.tee` when a local is added).

use crate::analysis::effects::Effects;
use crate::analysis::{local_types, MAX_LOCALS};
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{is_opaque, Structure};
use std::collections::HashMap;
use wtool_ast::{BlockType, Instr, LocalGroup, Module, OpKind, ValType};

/// See the module docs.
pub struct LocalCse;

/// Most locals a function may end up with (engines reject more than 50,000).
const LOCAL_LIMIT: usize = 50_000;

impl Pass for LocalCse {
    fn name(&self) -> &'static str {
        "local-cse"
    }
    fn description(&self) -> &'static str {
        "reuse a value an extended block already computed instead of computing it again"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            changes_locals: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_each(self, m, opts)
    }
    fn function_local(&self) -> bool {
        true
    }
    fn run_function(&self, m: &Module, unit: &mut FuncUnit, opts: &PassOptions) -> bool {
        let for_size = opts.shrink_level > 0;
        let Some(locals) = local_types(m, &unit.func) else {
            return false;
        };
        let Some(new) = cse(&unit.func.body.instrs, m, &locals, for_size) else {
            return false;
        };
        let func = &mut unit.func;
        func.body.instrs = new.body;
        func.body.offsets.clear();
        for t in new.locals {
            match func.locals.last_mut() {
                Some(g) if g.ty == t => g.count += 1,
                _ => func.locals.push(LocalGroup { count: 1, ty: t }),
            }
        }
        unit.drop_labels = true;
        true
    }
}

/// A rewritten body and the types of the locals it adds (after the existing ones).
pub struct Rewritten {
    /// The new body.
    pub body: Vec<Instr>,
    /// Types of the added locals, in index order.
    pub locals: Vec<ValType>,
}

/// What the numbering knows of one stack slot.
#[derive(Clone, Copy)]
struct Slot {
    /// Its value number; `None` for values not modelled.
    vn: Option<u32>,
    /// The first instruction of the self-contained, removable tree that
    /// computed it (ending at `end - 1`); `None` when there is none.
    start: Option<usize>,
    /// One past the instruction that pushed it.
    end: usize,
}

/// The key a value is numbered by.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    ins: Instr,
    args: [u32; 3],
    /// The state the instruction reads: a local's, the globals' or memory's last write.
    state: u32,
}

/// One open `block`, `loop` or `if`.
struct Frame {
    /// Stack height below its parameters.
    height: usize,
    params: usize,
    results: usize,
    /// Undo-log length at entry.
    mark: usize,
}

/// Things to take back when a scope closes.
enum Undo {
    Key(Key),
    Holder(u32, Option<(u32, u32)>),
}

/// The numbering state of one body.
struct State {
    table: HashMap<Key, u32>,
    /// Per value number: its type and the root of its first computation.
    types: Vec<ValType>,
    first: Vec<usize>,
    /// A local the code wrote the value to, with the write that did it.
    holder: HashMap<u32, (u32, u32)>,
    log: Vec<Undo>,
    /// Last write of each local, of each global, of all globals (calls), of memory.
    local_ver: Vec<u32>,
    global_ver: HashMap<u32, u32>,
    all_globals_ver: u32,
    mem_ver: u32,
    clock: u32,
}

impl State {
    fn tick(&mut self) -> u32 {
        self.clock += 1;
        self.clock
    }

    fn global_state(&self, m: &Module, g: u32) -> Option<u32> {
        let ty = m.global_type(g)?;
        if !ty.mutable {
            return Some(0);
        }
        let own = self.global_ver.get(&g).copied().unwrap_or(0);
        Some(own.max(self.all_globals_ver))
    }

    /// The number of `key`, and whether it existed before.
    fn number(&mut self, key: Key, ty: ValType, at: usize) -> (u32, bool) {
        if let Some(&v) = self.table.get(&key) {
            return (v, true);
        }
        let v = self.types.len() as u32;
        self.types.push(ty);
        self.first.push(at);
        self.log.push(Undo::Key(key.clone()));
        self.table.insert(key, v);
        (v, false)
    }

    /// Makes `key` number as the existing `v`.
    fn bind(&mut self, key: Key, v: u32) {
        if self.table.insert(key.clone(), v).is_none() {
            self.log.push(Undo::Key(key));
        }
    }

    fn set_holder(&mut self, v: u32, x: u32, ver: u32) {
        let old = self.holder.insert(v, (x, ver));
        self.log.push(Undo::Holder(v, old));
    }

    /// The local holding `v` now, if any.
    fn holding(&self, v: u32) -> Option<u32> {
        let &(x, ver) = self.holder.get(&v)?;
        (self.local_ver.get(x as usize) == Some(&ver)).then_some(x)
    }

    fn undo_to(&mut self, mark: usize) {
        while self.log.len() > mark {
            match self.log.pop() {
                Some(Undo::Key(k)) => {
                    self.table.remove(&k);
                }
                Some(Undo::Holder(v, old)) => match old {
                    Some(h) => {
                        self.holder.insert(v, h);
                    }
                    None => {
                        self.holder.remove(&v);
                    }
                },
                None => break,
            }
        }
    }

    fn write_local(&mut self, x: u32) -> u32 {
        let t = self.tick();
        if let Some(v) = self.local_ver.get_mut(x as usize) {
            *v = t;
        }
        t
    }

    /// Applies the writes of instruction `ins` to globals and memory.
    fn apply_effects(&mut self, ins: &Instr) {
        let e = Effects::of(ins, false);
        if e.calls {
            self.all_globals_ver = self.tick();
        }
        if e.calls || e.writes_memory {
            self.mem_ver = self.tick();
        }
        if let Instr::GlobalSet(g) = ins {
            let t = self.tick();
            self.global_ver.insert(*g, t);
        }
    }
}

/// `(params, results)` of a block type.
fn block_arity(m: &Module, bt: &BlockType) -> Option<(usize, usize)> {
    Some(match bt {
        BlockType::Empty => (0, 0),
        BlockType::Value(_) => (0, 1),
        BlockType::Func(t) => {
            let ft = m.func_type(*t)?;
            (ft.params.len(), ft.results.len())
        }
    })
}

/// The result type and operand count of an instruction the numbering
/// models, or `None`. `slots` are the operands on the stack (for `select`).
fn modelled(
    ins: &Instr,
    m: &Module,
    locals: &[ValType],
    types: &[ValType],
    slots: &[Slot],
) -> Option<(ValType, usize)> {
    Some(match ins {
        Instr::I32Const(_) => (ValType::I32, 0),
        Instr::I64Const(_) => (ValType::I64, 0),
        Instr::F32Const(_) => (ValType::F32, 0),
        Instr::F64Const(_) => (ValType::F64, 0),
        Instr::V128Const(_) => (ValType::V128, 0),
        Instr::LocalGet(x) => (*locals.get(*x as usize)?, 0),
        Instr::GlobalGet(g) => (m.global_type(*g)?.ty, 0),
        Instr::Plain(op) => {
            let info = op.info();
            if info.results.len() != 1 || info.params.len() > 3 || info.kind != OpKind::Plain {
                return None;
            }
            (info.results[0], info.params.len())
        }
        Instr::Mem(op, arg) => {
            let info = op.info();
            // Another thread may write a shared memory between two loads.
            let memory = arg.memory;
            if !matches!(op.kind(), OpKind::Load(_))
                || info.results.len() != 1
                || info.params.len() != 1
                || m.memory_type(memory).is_none_or(|t| t.shared)
            {
                return None;
            }
            (info.results[0], 1)
        }
        Instr::Select => {
            // The first operand's type, when it is numbered.
            let s = slots.len().checked_sub(3).map(|k| slots[k])?;
            let t = *types.get(s.vn? as usize)?;
            if matches!(t, ValType::Ref(_)) {
                return None;
            }
            (t, 3)
        }
        Instr::SelectT(ts) if ts.len() == 1 && !matches!(ts[0], ValType::Ref(_)) => (ts[0], 3),
        _ => return None,
    })
}

/// Bytes of an instruction.
fn encoded_len(x: &Instr) -> usize {
    let mut v = Vec::new();
    wtool_binary::encode_instr(&mut v, x);
    v.len()
}

/// Numbers `body` and returns the rewritten body, or `None` when nothing
/// changed or the body is not understood (unbalanced, opaque control,
/// unknown indices).
pub fn cse(body: &[Instr], m: &Module, locals: &[ValType], for_size: bool) -> Option<Rewritten> {
    if body.iter().any(is_opaque) {
        return None;
    }
    let structure = Structure::of(body)?;
    let mut st = State {
        table: HashMap::new(),
        types: Vec::new(),
        first: Vec::new(),
        holder: HashMap::new(),
        log: Vec::new(),
        local_ver: vec![0; locals.len()],
        global_ver: HashMap::new(),
        all_globals_ver: 0,
        mem_ver: 0,
        clock: 0,
    };
    let mut stack: Vec<Slot> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut unreachable = false;
    // Nesting depth of constructs skipped inside unreachable code.
    let mut skipped = 0usize;
    let mut found: Vec<Found> = Vec::new();
    let opaque = |end: usize| Slot {
        vn: None,
        start: None,
        end,
    };
    for (i, ins) in body.iter().enumerate() {
        if unreachable {
            match ins {
                Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                    skipped += 1;
                    continue;
                }
                Instr::End if skipped > 0 => {
                    skipped -= 1;
                    continue;
                }
                Instr::Else if skipped > 0 => continue,
                Instr::Else | Instr::End => {}
                _ => continue,
            }
        }
        match ins {
            Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                if matches!(ins, Instr::If(_)) {
                    stack.pop()?;
                }
                let (params, results) = block_arity(m, bt)?;
                let height = stack.len().checked_sub(params)?;
                stack.truncate(height);
                if matches!(ins, Instr::Loop(_)) {
                    // The back edge brings whatever the loop writes.
                    let end = *structure.end_of.get(i)? as usize;
                    for x in body.get(i..end)? {
                        match x {
                            Instr::LocalSet(l) | Instr::LocalTee(l) => {
                                st.write_local(*l);
                            }
                            _ => st.apply_effects(x),
                        }
                    }
                }
                frames.push(Frame {
                    height,
                    params,
                    results,
                    mark: st.log.len(),
                });
                stack.extend((0..params).map(|_| opaque(i + 1)));
            }
            Instr::Else => {
                let f = frames.last()?;
                st.undo_to(f.mark);
                stack.truncate(f.height);
                stack.extend((0..f.params).map(|_| opaque(i + 1)));
                unreachable = false;
            }
            Instr::End => {
                let Some(f) = frames.pop() else {
                    break;
                };
                st.undo_to(f.mark);
                stack.truncate(f.height);
                stack.extend((0..f.results).map(|_| opaque(i + 1)));
                unreachable = false;
            }
            Instr::Br(_) | Instr::BrTable(_) | Instr::Return | Instr::Unreachable => {
                unreachable = true;
                skipped = 0;
            }
            Instr::BrIf(_) => {
                stack.pop()?;
            }
            Instr::LocalSet(x) | Instr::LocalTee(x) => {
                let s = stack.pop()?;
                if *x as usize >= locals.len() {
                    return None;
                }
                let ver = st.write_local(*x);
                if let Some(v) = s.vn {
                    // Reads of `x` until its next write number as `v`.
                    st.bind(
                        Key {
                            ins: Instr::LocalGet(*x),
                            args: [0; 3],
                            state: ver,
                        },
                        v,
                    );
                    st.set_holder(v, *x, ver);
                }
                if matches!(ins, Instr::LocalTee(_)) {
                    // The value stays, but the tree now writes a local.
                    stack.push(Slot {
                        vn: s.vn,
                        start: None,
                        end: i + 1,
                    });
                }
            }
            _ => {
                let Some((ty, arity)) = modelled(ins, m, locals, &st.types, &stack) else {
                    let (pops, pushes) = crate::analysis::stack::stack_effect(ins, m, locals)?;
                    stack.truncate(stack.len().checked_sub(pops as usize)?);
                    st.apply_effects(ins);
                    stack.extend((0..pushes).map(|_| opaque(i + 1)));
                    continue;
                };
                let ops = stack.split_off(stack.len().checked_sub(arity)?);
                let mut args = [0u32; 3];
                let mut numbered = true;
                for (k, s) in ops.iter().enumerate() {
                    match s.vn {
                        Some(v) => args[k] = v,
                        None => numbered = false,
                    }
                }
                // A self-contained tree: operands back to back, ending here.
                let start = if arity == 0 {
                    Some(i)
                } else {
                    let mut at = ops[0].start;
                    for w in ops.windows(2) {
                        if w[0].end != w[1].start.unwrap_or(usize::MAX) {
                            at = None;
                        }
                    }
                    if ops.last().map(|s| s.end) != Some(i) {
                        at = None;
                    }
                    at
                };
                let state = match ins {
                    Instr::LocalGet(x) => st.local_ver[*x as usize],
                    Instr::GlobalGet(g) => st.global_state(m, *g)?,
                    Instr::Mem(..) => st.mem_ver,
                    _ => 0,
                };
                if !numbered {
                    stack.push(Slot {
                        vn: None,
                        start,
                        end: i + 1,
                    });
                    continue;
                }
                let key = Key {
                    ins: ins.clone(),
                    args,
                    state,
                };
                let (v, seen) = st.number(key, ty, i);
                stack.push(Slot {
                    vn: Some(v),
                    start,
                    end: i + 1,
                });
                let (Some(s), true) = (start, seen) else {
                    continue;
                };
                let count = i + 1 - s;
                if count < 2 {
                    continue;
                }
                let held = st.holding(v);
                // Judged as if a local had to be added when none holds
                // the value (a tee made for an earlier occurrence only
                // makes it cheaper).
                if worth(body, s, i, held, locals.len() as u32, for_size) {
                    found.push(Found {
                        start: s,
                        root: i,
                        vn: v,
                        held,
                    });
                }
            }
        }
    }
    // Trees nest or are disjoint: an enclosing occurrence supersedes the
    // ones inside it (their values are not needed any more).
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.root)));
    let mut kept: Vec<Found> = Vec::new();
    for r in found {
        if kept.last().is_some_and(|k| r.root <= k.root) {
            continue;
        }
        kept.push(r);
    }
    let mut replaces: Vec<(usize, usize, u32)> = Vec::new();
    // (root, local): a `local.tee local` goes after instruction `root`.
    let mut tees: Vec<(usize, u32)> = Vec::new();
    let mut new_locals: Vec<ValType> = Vec::new();
    // Fresh locals the first computations were teed into (written nowhere else).
    let mut teed: HashMap<u32, u32> = HashMap::new();
    for r in kept {
        let local = match (teed.get(&r.vn), r.held) {
            (Some(&t), _) => t,
            (None, Some(x)) => x,
            (None, None) => {
                let total = locals.len() + new_locals.len();
                if total >= LOCAL_LIMIT || total as u64 >= MAX_LOCALS {
                    continue;
                }
                let t = total as u32;
                new_locals.push(st.types[r.vn as usize]);
                tees.push((st.first[r.vn as usize], t));
                teed.insert(r.vn, t);
                t
            }
        };
        replaces.push((r.start, r.root, local));
    }
    if replaces.is_empty() {
        return None;
    }
    apply(body, &replaces, tees).map(|body| Rewritten {
        body,
        locals: new_locals,
    })
}

/// Whether replacing `body[s..=i]` by a read of a local saves work (or,
/// `for_size`, bytes): `held` is a local already holding the value; without
/// one a local numbered at least `next` is added and teed.
fn worth(body: &[Instr], s: usize, i: usize, held: Option<u32>, next: u32, for_size: bool) -> bool {
    let count = i + 1 - s;
    if !for_size {
        // A tee and a get against the instructions removed.
        return count >= if held.is_some() { 2 } else { 3 };
    }
    let local = held.unwrap_or(next);
    let get_len = encoded_len(&Instr::LocalGet(local));
    let tree: usize = body[s..=i].iter().map(encoded_len).sum();
    // The tee and (about) one byte of local declaration.
    let added = if held.is_some() { 0 } else { get_len + 1 };
    tree > get_len + added
}

/// A second occurrence worth replacing: `start..=root` computes `vn`.
struct Found {
    start: usize,
    root: usize,
    vn: u32,
    held: Option<u32>,
}

/// Builds the new body; `None` if a tee would land inside a removed tree
/// (the numbering rules this out; checked rather than trusted).
fn apply(
    body: &[Instr],
    replaces: &[(usize, usize, u32)],
    mut tees: Vec<(usize, u32)>,
) -> Option<Vec<Instr>> {
    tees.sort_unstable();
    let mut out = Vec::with_capacity(body.len() + tees.len());
    let (mut ti, mut ri, mut i) = (0, 0, 0);
    while i < body.len() {
        if let Some(&(start, root, local)) = replaces.get(ri).filter(|r| r.0 == i) {
            if tees.get(ti).is_some_and(|&(at, _)| at <= root) {
                return None;
            }
            out.push(Instr::LocalGet(local));
            i = root + 1;
            ri += 1;
            let _ = start;
            continue;
        }
        out.push(body[i].clone());
        while tees.get(ti).is_some_and(|&(at, _)| at == i) {
            out.push(Instr::LocalTee(tees[ti].1));
            ti += 1;
        }
        i += 1;
    }
    (ti == tees.len() && ri == replaces.len()).then_some(out)
}

#[cfg(test)]
#[path = "local_cse_tests.rs"]
mod tests;

//! What each local is known to hold at each point of a body: a constant or
//! a copy of another local. Shared by rse (a write of what the local
//! already holds goes) and propagate-locals (a read of a copy or a constant
//! becomes a read of the source or the constant).
//!
//! Facts are tracked forward: declared numeric locals start at zero;
//! after `c; local.set x` (a constant) `x` holds `c`; after `local.get y;
//! local.set x` (or `local.tee y; local.set x`) `x` holds what `y` holds.
//! At a join (a block's or `if`'s end) only facts that hold on every
//! incoming path (fall-through and branches) survive; on entry to a loop
//! every local the loop writes is unknown (the back edge may change it).
//! Parameters start unknown.

use crate::structure::{Structure, Target, NONE};
use crate::util::zero_of;
use std::collections::{BTreeMap, BTreeSet};
use wtool_ast::{Instr, ValType};

/// What a local is known to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Known {
    /// This constant (a `*.const` instruction, compared by bits).
    Const(Instr),
    /// The same value as this other local, which holds no known fact itself.
    Copy(u32),
}

/// Facts at a reachable point: local → what it holds.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    map: BTreeMap<u32, Known>,
    /// Every local some fact names as a copy source (possibly more): a
    /// write of any other local ends no copy, so it needs no scan of `map`.
    sources: BTreeSet<u32>,
}

impl Facts {
    /// What `x` is known to hold, if anything.
    pub fn get(&self, x: &u32) -> Option<&Known> {
        self.map.get(x)
    }

    fn insert(&mut self, x: u32, v: Known) {
        if let Known::Copy(y) = v {
            self.sources.insert(y);
        }
        self.map.insert(x, v);
    }
}

/// Facts at a point; `None` where the point cannot be reached.
type State = Option<Facts>;

/// Facts true on both paths.
fn merge(a: State, b: &State) -> State {
    match (a, b) {
        (None, b) => b.clone(),
        (a, None) => a,
        (Some(mut a), Some(b)) => {
            // Only facts of `a` survive, so `a.sources` still covers them.
            a.map.retain(|k, v| b.map.get(k) == Some(v));
            Some(a)
        }
    }
}

/// Forgets what `x` holds, and every copy of it.
fn invalidate(st: &mut Facts, x: u32) {
    st.map.remove(&x);
    if st.sources.remove(&x) {
        st.map.retain(|_, v| *v != Known::Copy(x));
    }
}

/// What the value a set stores is, from the instruction that pushed it.
pub fn value_of(st: &Facts, prev: Option<&Instr>) -> Option<Known> {
    match prev? {
        c @ (Instr::I32Const(_) | Instr::I64Const(_) | Instr::F32Const(_) | Instr::F64Const(_)) => {
            Some(Known::Const(c.clone()))
        }
        Instr::LocalGet(y) | Instr::LocalTee(y) => {
            Some(st.get(y).cloned().unwrap_or(Known::Copy(*y)))
        }
        _ => None,
    }
}

/// What local `x` holds under `st`: a fact, or itself.
pub fn holds(st: &Facts, x: u32) -> Known {
    st.get(&x).cloned().unwrap_or(Known::Copy(x))
}

/// An open construct.
struct Frame {
    opener: u32,
    /// Facts at the `if` (for the else arm, or the missing one).
    entry: State,
    /// Facts arriving at the `end` by branches and finished arms.
    merged: State,
}

/// For each loop opener, the locals written inside it. One pass: each
/// loop collects its own writes, and hands its deduplicated set to the
/// enclosing loop when it ends (no rescanning of nested code).
fn loop_writes(body: &[Instr]) -> BTreeMap<usize, Vec<u32>> {
    let mut out = BTreeMap::new();
    // Whether each open construct is a loop, and the open loops' writes.
    let mut is_loop: Vec<bool> = Vec::new();
    let mut loops: Vec<(usize, Vec<u32>)> = Vec::new();
    for (i, ins) in body.iter().enumerate() {
        match ins {
            Instr::Loop(_) => {
                is_loop.push(true);
                loops.push((i, Vec::new()));
            }
            Instr::Block(_) | Instr::If(_) => is_loop.push(false),
            // Every `end` pops its construct; a loop's also hands on its writes.
            Instr::End if is_loop.pop() == Some(true) => {
                if let Some((o, mut w)) = loops.pop() {
                    w.sort_unstable();
                    w.dedup();
                    if let Some((_, parent)) = loops.last_mut() {
                        parent.extend_from_slice(&w);
                    }
                    out.insert(o, w);
                }
            }
            Instr::LocalSet(v) | Instr::LocalTee(v) => {
                if let Some((_, w)) = loops.last_mut() {
                    w.push(*v);
                }
            }
            _ => {}
        }
    }
    out
}

/// Walks `body` (locals `locals`, the first `nparams` of them parameters)
/// and calls `visit(i, facts)` at every reachable `local.get`, `local.set`
/// and `local.tee`, with the facts before it. Returns `false` without
/// visiting when the body is malformed or too large to analyse (facts are
/// copied at every construct, so huge bodies with many locals are skipped;
/// the passes are optimizations, skipping is exact).
pub fn walk(
    body: &[Instr],
    locals: &[ValType],
    nparams: usize,
    mut visit: impl FnMut(usize, &Facts),
) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let openers = body.iter().filter(|x| x.opens_block()).count();
    if locals.len().saturating_mul(openers) > 20_000_000 {
        return false;
    }
    let writes = loop_writes(body);
    let mut init = Facts::default();
    for (x, t) in locals.iter().enumerate().skip(nparams) {
        if matches!(t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64) {
            init.insert(x as u32, Known::Const(zero_of(*t)));
        }
    }
    let mut cur: State = Some(init);
    let mut frames: Vec<Frame> = Vec::new();
    let target_frame = |frames: &[Frame], t: Option<Target>| -> Option<usize> {
        match t? {
            Target::Opener(o) => frames.iter().rposition(|f| f.opener == o),
            Target::Func => None,
        }
    };
    for (i, ins) in body.iter().enumerate() {
        match ins {
            Instr::Block(_) | Instr::If(_) => frames.push(Frame {
                opener: i as u32,
                entry: cur.clone(),
                merged: None,
            }),
            Instr::Loop(_) => {
                if let Some(st) = cur.as_mut() {
                    for &x in writes.get(&i).map_or(&[][..], |v| v.as_slice()) {
                        invalidate(st, x);
                    }
                }
                frames.push(Frame {
                    opener: i as u32,
                    entry: None,
                    merged: None,
                });
            }
            Instr::Else => {
                if let Some(f) = frames.last_mut() {
                    f.merged = merge(f.merged.take(), &cur);
                    cur = f.entry.clone();
                }
            }
            Instr::End => {
                let Some(f) = frames.pop() else { continue };
                let o = f.opener as usize;
                match &body[o] {
                    Instr::Loop(_) => {}
                    Instr::If(_) if s.else_of[o] == NONE => {
                        cur = merge(merge(f.merged, &f.entry), &cur);
                    }
                    _ => cur = merge(f.merged, &cur),
                }
            }
            Instr::Br(_) | Instr::BrIf(_) | Instr::BrTable(_) => {
                for d in crate::structure::branch_depths(ins) {
                    if let Some(k) = target_frame(&frames, s.target(i, d)) {
                        if !matches!(body[frames[k].opener as usize], Instr::Loop(_)) {
                            frames[k].merged = merge(frames[k].merged.take(), &cur);
                        }
                    }
                }
                if !matches!(ins, Instr::BrIf(_)) {
                    cur = None;
                }
            }
            Instr::Return | Instr::Unreachable => cur = None,
            Instr::LocalGet(_) => {
                if let Some(st) = cur.as_ref() {
                    visit(i, st);
                }
            }
            Instr::LocalSet(x) | Instr::LocalTee(x) => {
                let x = *x;
                let Some(st) = cur.as_mut() else { continue };
                visit(i, st);
                let v = value_of(st, i.checked_sub(1).and_then(|p| body.get(p)));
                if v.as_ref() == Some(&holds(st, x)) {
                    continue;
                }
                invalidate(st, x);
                if let Some(v) = v.filter(|v| *v != Known::Copy(x)) {
                    st.insert(x, v);
                }
            }
            _ => {}
        }
    }
    true
}

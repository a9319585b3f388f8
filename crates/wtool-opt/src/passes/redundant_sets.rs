//! rse: redundant `local.set` elimination. A write of the value a local
//! already holds changes nothing: `local.set` becomes `drop` (vacuum then
//! removes the value's computation) and `local.tee` goes.
//!
//! What a local holds is tracked forward through the body: declared locals
//! start at zero; after `c; local.set x` (a constant) `x` holds `c`; after
//! `local.get y; local.set x` (or `local.tee y; local.set x`) `x` holds what
//! `y` holds. At a join (a block's or `if`'s end) only facts that hold on
//! every incoming path (fall-through and branches) survive; on entry to a
//! loop every local the loop writes is unknown (the back edge may change
//! it). Parameters start unknown.
//!
//! Exact: the removed write stores the same bits (constants are compared by
//! their bits, copies are bit copies), so no later read sees a difference.

use crate::pass::{Pass, PassOptions, PassProperties};
use crate::structure::{Structure, Target, NONE};
use crate::util::{for_each_body, zero_of};
use std::collections::BTreeMap;
use wtool_ast::{Instr, Module, ValType};

/// See the module docs.
pub struct RedundantSetElimination;

impl Pass for RedundantSetElimination {
    fn name(&self) -> &'static str {
        "rse"
    }
    fn description(&self) -> &'static str {
        "remove local.set and local.tee that store the value the local already holds"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, _opts: &PassOptions) -> bool {
        for_each_body(m, |ctx, body| rse(body, ctx.locals, ctx.params))
    }
}

/// What a local is known to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Known {
    /// This constant (a `*.const` instruction, compared by bits).
    Const(Instr),
    /// The same value as this other local, which holds no known fact itself.
    Copy(u32),
}

/// Facts at a point; `None` where the point cannot be reached.
type State = Option<BTreeMap<u32, Known>>;

/// Facts true on both paths.
fn merge(a: State, b: &State) -> State {
    match (a, b) {
        (None, b) => b.clone(),
        (a, None) => a,
        (Some(mut a), Some(b)) => {
            a.retain(|k, v| b.get(k) == Some(v));
            Some(a)
        }
    }
}

/// Forgets what `x` holds, and every copy of it.
fn invalidate(st: &mut BTreeMap<u32, Known>, x: u32) {
    st.remove(&x);
    st.retain(|_, v| *v != Known::Copy(x));
}

/// What the value a set stores is, from the instruction that pushed it.
fn value_of(st: &BTreeMap<u32, Known>, prev: Option<&Instr>) -> Option<Known> {
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

/// Removes redundant sets from `body` (locals `locals`, the first `nparams`
/// of them parameters); returns whether it changed.
pub fn rse(body: &mut Vec<Instr>, locals: &[ValType], nparams: usize) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    // Facts are copied at every construct: bound the work on huge bodies
    // with many locals (the pass is an optimization, skipping is exact).
    let openers = body.iter().filter(|x| x.opens_block()).count();
    if locals.len().saturating_mul(openers) > 20_000_000 {
        return false;
    }
    let writes = loop_writes(body);
    let mut init = BTreeMap::new();
    for (x, t) in locals.iter().enumerate().skip(nparams) {
        if matches!(t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64) {
            init.insert(x as u32, Known::Const(zero_of(*t)));
        }
    }
    let mut cur: State = Some(init);
    let mut frames: Vec<Frame> = Vec::new();
    let mut redundant: Vec<usize> = Vec::new();
    let n = body.len();
    let target_frame = |frames: &[Frame], t: Option<Target>| -> Option<usize> {
        match t? {
            Target::Opener(o) => frames.iter().rposition(|f| f.opener == o),
            Target::Func => None,
        }
    };
    for i in 0..n {
        let ins = &body[i];
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
            Instr::LocalSet(x) | Instr::LocalTee(x) => {
                let x = *x;
                let Some(st) = cur.as_mut() else { continue };
                let v = value_of(st, i.checked_sub(1).and_then(|p| body.get(p)));
                let holds = st.get(&x).cloned().unwrap_or(Known::Copy(x));
                match v {
                    Some(v) if v == holds => redundant.push(i),
                    Some(v) => {
                        invalidate(st, x);
                        if v != Known::Copy(x) {
                            st.insert(x, v);
                        }
                    }
                    None => invalidate(st, x),
                }
            }
            _ => {}
        }
    }
    if redundant.is_empty() {
        return false;
    }
    let mut drop_at = vec![false; n];
    for &i in &redundant {
        drop_at[i] = true;
    }
    let input = std::mem::take(body);
    for (i, ins) in input.into_iter().enumerate() {
        if !drop_at[i] {
            body.push(ins);
        } else if let Instr::LocalSet(_) = ins {
            body.push(Instr::Drop);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ins;

    fn run(params: &str, locals: &str, src: &str) -> Vec<Instr> {
        crate::testutil::run_valid(
            &mut RedundantSetElimination,
            &format!("{params} ->"),
            locals,
            src,
        )
    }

    #[test]
    fn zero_at_entry_and_constants() {
        // Locals 1 and 2 are declared: they start at 0.
        let out = run(
            "i32",
            "i32 f32",
            "i32.const 0 local.set 1 f32.const 0 local.set 2 \
             i32.const 5 local.set 1 i32.const 5 local.tee 1 local.set 0 \
             i32.const 0 local.set 0",
        );
        assert_eq!(
            out,
            ins("i32.const 0 drop f32.const 0 drop i32.const 5 local.set 1 \
                 i32.const 5 local.set 0 i32.const 0 local.set 0")
        );
        // −0.0 is not +0.0.
        let src = "f32.const -0 local.set 1";
        assert_eq!(run("", "i32 f32", src), ins(src));
    }

    #[test]
    fn copies() {
        let out = run(
            "i32",
            "i32 i32",
            "local.get 0 local.set 1 local.get 1 local.set 0 local.get 0 local.set 2 \
             local.get 2 local.set 1 i32.const 3 local.set 0 local.get 0 local.set 1",
        );
        assert_eq!(
            out,
            ins(
                "local.get 0 local.set 1 local.get 1 drop local.get 0 local.set 2 \
                 local.get 2 drop i32.const 3 local.set 0 local.get 0 local.set 1"
            )
        );
    }

    #[test]
    fn joins_and_loops() {
        // After the `if`, local 1 is 0 on one path and 7 on the other.
        let src = "local.get 0 if i32.const 7 local.set 1 end i32.const 0 local.set 1";
        assert_eq!(run("i32", "i32", src), ins(src));
        // Both arms store 7: the join knows it.
        let out = run(
            "i32",
            "i32",
            "local.get 0 if i32.const 7 local.set 1 else i32.const 7 local.set 1 end \
             i32.const 7 local.set 1",
        );
        assert_eq!(
            out,
            ins(
                "local.get 0 if i32.const 7 local.set 1 else i32.const 7 local.set 1 end \
                 i32.const 7 drop"
            )
        );
        // A branch out of the block before the store: not known at the end.
        let src = "block local.get 0 br_if 0 i32.const 7 local.set 1 end i32.const 7 local.set 1";
        assert_eq!(run("i32", "i32", src), ins(src));
        // The loop writes local 1, so its zero at entry is not known inside.
        let src = "loop i32.const 0 local.set 1 i32.const 1 local.set 1 local.get 0 br_if 0 end";
        assert_eq!(run("i32", "i32", src), ins(src));
        // A branch carries its facts to the block's end.
        let src =
            "block local.get 0 if i32.const 1 local.set 1 br 1 end end i32.const 0 local.set 1";
        assert_eq!(run("i32", "i32", src), ins(src));
        // Unreachable paths add nothing to a join.
        let out = run(
            "i32",
            "i32",
            "block local.get 0 if i32.const 1 local.set 1 unreachable end end \
             i32.const 0 local.set 1",
        );
        assert_eq!(
            out,
            ins(
                "block local.get 0 if i32.const 1 local.set 1 unreachable end end \
                 i32.const 0 drop"
            )
        );
    }
}

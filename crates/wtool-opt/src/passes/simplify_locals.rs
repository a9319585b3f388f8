//! simplify-locals: a local written once and read once, later in the same
//! straight-line code, is forwarded: the computation stored by the
//! `local.set` moves to where the `local.get` was, and both go.
//!
//! `T; local.set x; U; local.get x` → `U; T`, when `T` is a self-contained
//! computation without side effects, `U` has no control flow, does not touch
//! `x` and writes nothing `T` reads, and, if `T` may trap, `U` has no effects
//! that the trap would now come after. (remove-unused-locals then drops `x`.)
//!
//! (Turning the first of several reads into a `local.tee` was tried and made
//! clang `-O0` output larger after coalescing, so only single reads move.)

use crate::analysis::effects::Effects;
use crate::analysis::stack::producer_start;
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::for_one_body;
use wtool_ast::{Instr, Module};

/// See the module docs.
pub struct SimplifyLocals;

/// Longest computation that is moved, and longest distance it moves.
const TREE_LIMIT: usize = 32;
const DISTANCE_LIMIT: usize = 64;
/// Rounds per function (each can enable the next, e.g. chains of copies).
const ROUNDS: usize = 16;

impl Pass for SimplifyLocals {
    fn name(&self) -> &'static str {
        "simplify-locals"
    }
    fn description(&self) -> &'static str {
        "forward single-use locals: move the stored computation to its only read"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
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
        let ignore = opts.ignore_implicit_traps;
        for_one_body(m, unit, |ctx, body| {
            let mut changed = false;
            for _ in 0..ROUNDS {
                if !round(body, ctx.module, ctx.locals, ignore) {
                    break;
                }
                changed = true;
            }
            changed
        })
    }
}

fn is_control(ins: &Instr) -> bool {
    Effects::of(ins, false).control
}

/// A load from linear memory (its only trap is an out-of-bounds access).
fn is_load(ins: &Instr) -> bool {
    match ins {
        Instr::Mem(op, _) => matches!(op.kind(), wtool_ast::OpKind::Load(_)),
        Instr::MemLane(ml) => matches!(ml.op.kind(), wtool_ast::OpKind::LoadLane(_)),
        _ => false,
    }
}

/// Does running `u` before `t` (instead of after) change anything?
fn conflicts(t: &[Instr], u: &[Instr], ignore: bool) -> bool {
    let mut te = Effects::default();
    let mut t_locals: Vec<u32> = Vec::new();
    let mut t_writes: Vec<u32> = Vec::new();
    // Every trap `t` can raise is "out of bounds memory access" from a load.
    let mut t_only_load_traps = true;
    for x in t {
        let e = Effects::of(x, ignore);
        te.may_trap |= e.may_trap;
        t_only_load_traps &= !e.may_trap || is_load(x);
        te.reads_global |= e.reads_global;
        te.reads_memory |= e.reads_memory;
        te.reads_table |= e.reads_table;
        match x {
            Instr::LocalGet(l) => t_locals.push(*l),
            Instr::LocalTee(l) => t_writes.push(*l),
            _ => {}
        }
    }
    for x in u {
        let e = Effects::of(x, ignore);
        if e.calls
            || (te.reads_global && e.writes_global)
            || (te.reads_memory && e.writes_memory)
            || (te.reads_table && e.writes_table)
            // A trap must still come before the same effects (local writes
            // are invisible once the function traps) and before other traps,
            // unless both can only fail the same way (two loads out of bounds:
            // whichever traps first, the outcome is the same trap).
            || (te.may_trap
                && (e.writes_memory
                    || e.writes_global
                    || e.writes_table
                    || e.drops_segment
                    || (e.may_trap && !(t_only_load_traps && is_load(x)))))
        {
            return true;
        }
        match x {
            Instr::LocalSet(l) | Instr::LocalTee(l)
                if t_locals.contains(l) || t_writes.contains(l) =>
            {
                return true
            }
            Instr::LocalGet(l) if t_writes.contains(l) => return true,
            _ => {}
        }
    }
    false
}

/// One round of non-overlapping rewrites; returns whether any happened.
fn round(body: &mut Vec<Instr>, m: &Module, locals: &[wtool_ast::ValType], ignore: bool) -> bool {
    let n = body.len();
    let mut gets = vec![0u32; locals.len()];
    let mut sets = vec![0u32; locals.len()];
    for ins in body.iter() {
        match ins {
            Instr::LocalGet(x) => {
                if let Some(c) = gets.get_mut(*x as usize) {
                    *c += 1
                }
            }
            Instr::LocalSet(x) | Instr::LocalTee(x) => {
                if let Some(c) = sets.get_mut(*x as usize) {
                    *c += 1
                }
            }
            _ => {}
        }
    }
    // (tree start, set index, get index), non-overlapping, ascending.
    let mut rewrites: Vec<(usize, usize, usize)> = Vec::new();
    let mut busy_until = 0usize;
    for p in 0..n {
        let Instr::LocalSet(x) = body[p] else {
            continue;
        };
        let xi = x as usize;
        if gets.get(xi) != Some(&1) || sets.get(xi) != Some(&1) {
            continue;
        }
        // Effect-free computations; a `local.tee` inside may move too
        // (conflicts() checks nothing in between touches its local).
        let ok = |i: &Instr| {
            let mut e = Effects::of(i, ignore);
            if matches!(i, Instr::LocalTee(_)) {
                e.writes_local = false;
            }
            !e.control && !e.has_side_effects()
        };
        let Some(a) = producer_start(body, p, 1, TREE_LIMIT, m, locals, ok) else {
            continue;
        };
        if a < busy_until {
            continue;
        }
        let mut q = None;
        for (k, ins) in body
            .iter()
            .enumerate()
            .take(n.min(p + 1 + DISTANCE_LIMIT))
            .skip(p + 1)
        {
            if is_control(ins) || matches!(ins, Instr::LocalSet(y) | Instr::LocalTee(y) if *y == x)
            {
                break;
            }
            if *ins == Instr::LocalGet(x) {
                q = Some(k);
                break;
            }
        }
        let Some(q) = q else { continue };
        if conflicts(&body[a..p], &body[p + 1..q], ignore) {
            continue;
        }
        rewrites.push((a, p, q));
        busy_until = q + 1;
    }
    if rewrites.is_empty() {
        return false;
    }
    let input = std::mem::take(body);
    let mut out = Vec::with_capacity(n);
    let mut next = 0;
    for (a, p, q) in rewrites {
        out.extend_from_slice(&input[next..a]);
        out.extend_from_slice(&input[p + 1..q]);
        out.extend_from_slice(&input[a..p]);
        next = q + 1;
    }
    out.extend_from_slice(&input[next..]);
    *body = out;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on};

    #[test]
    fn forwards_single_use_locals() {
        let f = "local.get 0 i32.const 1 i32.add local.set 1 i32.const 7 local.get 1 i32.mul";
        assert_eq!(
            run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f),
            ins("i32.const 7 local.get 0 i32.const 1 i32.add i32.mul")
        );
        // Chains of copies collapse over rounds.
        let f = "local.get 0 local.set 1 local.get 1 local.set 2 local.get 2";
        assert_eq!(
            run_on(&mut SimplifyLocals, "i32 -> i32", "i32 i32", f),
            ins("local.get 0")
        );
    }

    #[test]
    fn respects_effects_and_control() {
        // The parameter is overwritten between the set and the get.
        let f = "local.get 0 local.set 1 i32.const 0 local.set 0 local.get 1";
        assert_eq!(run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f), ins(f));
        // A load may not move past a store.
        let f = "i32.const 0 i32.load local.set 1 i32.const 0 i32.const 1 i32.store local.get 1";
        assert_eq!(run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f), ins(f));
        // Not across a label.
        let f = "i32.const 1 local.set 1 block end local.get 1";
        assert_eq!(run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f), ins(f));
        // Two reads, or two writes: left alone.
        let f = "i32.const 1 local.set 1 i32.const 2 local.get 1 local.get 1 i32.add i32.add";
        assert_eq!(run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f), ins(f));
        let f = "i32.const 1 local.set 1 i32.const 2 local.set 1 local.get 1";
        assert_eq!(run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f), ins(f));
        // A tee inside the moved computation may not pass a read of its local.
        let f = "i32.const 1 local.tee 2 local.set 1 local.get 2 drop local.get 1";
        assert_eq!(
            run_on(&mut SimplifyLocals, "i32 -> i32", "i32 i32", f),
            ins(f)
        );
        let f =
            "i32.const 1 local.tee 2 local.set 1 i32.const 3 drop local.get 1 local.get 2 i32.add";
        assert_eq!(
            run_on(&mut SimplifyLocals, "i32 -> i32", "i32 i32", f),
            ins("i32.const 3 drop i32.const 1 local.tee 2 local.get 2 i32.add")
        );
        // Two loads may swap (both can only trap out of bounds)…
        let f = "i32.const 0 i32.load local.set 1 i32.const 4 i32.load drop local.get 1";
        assert_eq!(
            run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f),
            ins("i32.const 4 i32.load drop i32.const 0 i32.load")
        );
        // …but a load may not move past a division that may trap differently.
        let f =
            "i32.const 0 i32.load local.set 1 local.get 0 local.get 0 i32.div_s drop local.get 1";
        assert_eq!(run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f), ins(f));
        // A call could change memory the load reads.
        let f = "i32.const 0 i32.load local.set 1 call 0 drop local.get 1";
        assert_eq!(run_on(&mut SimplifyLocals, "i32 -> i32", "i32", f), ins(f));
    }
}

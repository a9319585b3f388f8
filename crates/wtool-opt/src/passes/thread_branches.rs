//! thread-branches: branches that land where another branch leaves go
//! straight on, and two `br_if`s in a row to one label become one.
//!
//! * Jump threading: a branch to block `X` lands at `X`'s `end`; when the
//!   next instruction is `br T`, or the `end` of a `block` or `if` `T` (the
//!   landing falls straight out of it), the branch may target `T` directly.
//!   Only labels that carry no values (`X` has no results, `T` takes
//!   none), so nothing on the stack differs. Chains are followed. Blocks
//!   left without branches go in merge-blocks, the `br T` after a block no
//!   longer entered by falling through goes in dce.
//! * `c1 br_if L c2 br_if L` → `c1 c2 i32.or br_if L` for a label `L`
//!   that carries no values, when `c2` is a pure computation that cannot trap
//!   and needs nothing from below (it now also runs when `c1` is non-zero,
//!   with no effect). `or` is non-zero exactly when one of them is.

use crate::analysis::effects::Effects;
use crate::analysis::items::block_arity;
use crate::analysis::stack::producer_start;
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{Body, Structure, Target, NONE};
use crate::util::for_one_body;
use wtool_ast::{Instr, Module, Op, ValType};

/// See the module docs.
pub struct ThreadBranches;

impl Pass for ThreadBranches {
    fn name(&self) -> &'static str {
        "thread-branches"
    }
    fn description(&self) -> &'static str {
        "retarget branches that land on another branch, merge adjacent br_ifs to one label"
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
    fn run_function(&self, m: &Module, unit: &mut FuncUnit, _opts: &PassOptions) -> bool {
        for_one_body(m, unit, |ctx, body| {
            let a = thread(ctx.module, body);
            merge_br_ifs(ctx.module, ctx.locals, body) | a
        })
    }
}

/// How many values a branch to opener `o` carries (`None`: not known).
fn arity(m: &Module, instrs: &[Instr], o: u32) -> Option<u32> {
    let ins = instrs.get(o as usize)?;
    let (Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt)) = ins else {
        return None;
    };
    let (p, r) = block_arity(bt, m)?;
    Some(if matches!(ins, Instr::Loop(_)) { p } else { r })
}

/// Retargets branches whose landing only branches on; returns whether it changed.
fn thread(m: &Module, body: &mut Vec<Instr>) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let n = body.len();
    // Where landing on each block's end leads at once, when elsewhere.
    let mut next: Vec<u32> = vec![NONE; n];
    for (o, ins) in body.iter().enumerate() {
        if !matches!(ins, Instr::Block(_)) || arity(m, body, o as u32) != Some(0) {
            continue;
        }
        let after = s.end_of[o] as usize + 1;
        let t = match body.get(after) {
            Some(Instr::Br(d)) => s.target(after, *d),
            // Falling out of a block or an `if` arm lands on its label.
            Some(Instr::End) => match s.frame_of(after) {
                NONE => None,
                p if matches!(body[p as usize], Instr::Block(_) | Instr::If(_)) => {
                    Some(Target::Opener(p))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(Target::Opener(t)) = t {
            if arity(m, body, t) == Some(0) {
                next[o] = t;
            }
        }
    }
    // Follow chains to their end (targets only ever move outward or to a
    // later end, so they finish; the resolution is memoized backwards).
    let mut fin: Vec<u32> = vec![NONE; n];
    for o in (0..n).rev() {
        if next[o] != NONE {
            let t = next[o] as usize;
            fin[o] = if fin[t] != NONE { fin[t] } else { next[o] };
        }
    }
    if fin.iter().all(|&x| x == NONE) {
        return false;
    }
    let Some(mut abs) = Body::absolutize(body.clone()) else {
        return false;
    };
    let mut changed = false;
    let map = |l: &mut u32, changed: &mut bool| {
        if *l != crate::structure::FUNC_LABEL {
            if let Some(&f) = fin.get(*l as usize) {
                if f != NONE {
                    *l = f;
                    *changed = true;
                }
            }
        }
    };
    for ins in abs.instrs.iter_mut() {
        match ins {
            Instr::Br(l) | Instr::BrIf(l) => map(l, &mut changed),
            Instr::BrTable(t) => {
                for l in t.targets.iter_mut() {
                    map(l, &mut changed);
                }
                map(&mut t.default, &mut changed);
            }
            _ => {}
        }
    }
    if !changed {
        return false;
    }
    abs.relativize_into(body)
}

/// Merges `c1 br_if L c2 br_if L` into one `br_if`; returns whether it changed.
fn merge_br_ifs(m: &Module, locals: &[ValType], body: &mut Vec<Instr>) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let pure = |x: &Instr| {
        let e = Effects::of(x, false);
        !e.control && !e.may_trap && !e.has_side_effects()
    };
    // Indices of second `br_if`s whose condition joins the previous one.
    let mut joins: Vec<usize> = Vec::new();
    let mut last_joined = usize::MAX;
    for (b, ins) in body.iter().enumerate() {
        let Instr::BrIf(d2) = ins else { continue };
        let Some(Target::Opener(t)) = s.target(b, *d2) else {
            continue;
        };
        if arity(m, body, t) != Some(0) {
            continue;
        }
        let Some(start) = producer_start(body, b, 1, 32, m, locals, pure) else {
            continue;
        };
        let Some(a) = start.checked_sub(1) else {
            continue;
        };
        // The first br_if: same frame, same label, and not itself folded
        // into an earlier one in this pass (chains take rounds).
        let Instr::BrIf(d1) = body[a] else { continue };
        if a == last_joined || s.frame_of(a) != s.frame_of(b) {
            continue;
        }
        if s.target(a, d1) != Some(Target::Opener(t)) {
            continue;
        }
        joins.push(b);
        last_joined = b;
    }
    if joins.is_empty() {
        return false;
    }
    // Remove each first br_if (the one just before the second's condition)
    // and put an `i32.or` before the second.
    let mut drop_at = vec![false; body.len()];
    let mut or_at = vec![false; body.len()];
    for &b in &joins {
        let start = producer_start(body, b, 1, 32, m, locals, pure).unwrap_or(b);
        drop_at[start - 1] = true;
        or_at[b] = true;
    }
    let input = std::mem::take(body);
    for (i, ins) in input.into_iter().enumerate() {
        if drop_at[i] {
            continue;
        }
        if or_at[i] {
            body.push(Instr::Plain(Op::I32Or));
        }
        body.push(ins);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_valid};

    fn run(sig: &str, src: &str) -> Vec<Instr> {
        run_valid(&mut ThreadBranches, sig, "", src)
    }

    #[test]
    fn branches_skip_blocks_that_branch_on() {
        // br_table to the inner block lands on `br 1`: it goes to the loop's
        // enclosing block directly; a branch to `b1`, whose end is the end
        // of `b0`, goes to `b0`.
        let out = run(
            "i32",
            "block block block local.get 0 br_table 0 1 2 end br 1 end nop end",
        );
        assert_eq!(
            out,
            ins("block block block local.get 0 br_table 2 1 2 end br 1 end nop end")
        );
        let out = run("i32", "block block local.get 0 br_if 0 nop end end");
        assert_eq!(out, ins("block block local.get 0 br_if 1 nop end end"));
        // Labels that carry values are left alone.
        let src = "block:i32 block i32.const 1 local.get 0 br_if 1 drop end i32.const 2 end drop";
        assert_eq!(run("i32", src), ins(src));
    }

    #[test]
    fn adjacent_br_ifs_join() {
        let out = run(
            "i32",
            "block local.get 0 i32.const 3 i32.eq br_if 0 local.get 0 i32.const 9 i32.gt_u br_if 0 nop end",
        );
        assert_eq!(
            out,
            ins("block local.get 0 i32.const 3 i32.eq local.get 0 i32.const 9 i32.gt_u i32.or br_if 0 nop end")
        );
        // A second condition that may trap must not run when the first is true.
        let src = "block local.get 0 br_if 0 i32.const 1 local.get 0 i32.div_u br_if 0 end";
        assert_eq!(run("i32", src), ins(src));
    }
}

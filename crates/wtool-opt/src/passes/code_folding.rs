//! code-folding: code that every path into a join point runs last is kept
//! once, after the join.
//!
//! * `if` arms with an identical tail: `if A X else B X end` → `if A else B
//!   end X`, when `X` starts on an empty arm stack in both arms (so it
//!   consumes nothing the arms computed) and branches to no label but its
//!   own constructs and labels outside the `if`. The `if` then produces
//!   nothing; `X` pushes what it used to. No branch may target the `if`
//!   (it would skip `X`).
//! * A block entered only by unconditional `br`s and its fall-through, each
//!   preceded by the same `X`: `block L … X br L … X end` → `block … br L …
//!   end X`. At a `br`, `X` must consume nothing from below and leave exactly
//!   the block's results (the `br` discards anything under them, which `X`
//!   after the block would not); at the fall-through it must start on an
//!   empty block stack. Here `X` may hold no branch leaving it, since the
//!   copies sit at different depths.
//!
//! * Terminating tails (`X return`, `X unreachable` in several places) are
//!   kept once at the end of the function: see [`crate::passes::fold_tails`].
//!
//! Exact: on every path the same instructions run in the same order, only
//! after the join instead of before it.

use crate::analysis::items::{block_arity, Frames, Item};
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{Body, Structure, Target, NONE};
use crate::util::for_one_body;
use wtool_ast::{BlockType, Instr, Module, ValType};

/// See the module docs.
pub struct CodeFolding;

/// Most branch sites of one block considered for folding.
const MAX_SITES: usize = 256;

impl Pass for CodeFolding {
    fn name(&self) -> &'static str {
        "code-folding"
    }
    fn description(&self) -> &'static str {
        "keep identical tails of if arms and of branches to one block once, after the join"
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
            let mut changed = false;
            // Each round folds constructs that do not nest in one another;
            // folding an outer one can expose an inner one.
            for _ in 0..8 {
                if !fold_round(ctx.module, ctx.locals, body) {
                    break;
                }
                changed = true;
            }
            let results = ctx.results as u32;
            crate::passes::fold_tails::fold_terminating_tails(ctx.module, ctx.locals, results, body)
                | changed
        })
    }
}

/// One fold: delete these ranges, move one copy of the tail after `end`,
/// and make the construct at `opener` produce nothing.
struct Fold {
    opener: usize,
    end: usize,
    /// The copy that moves after `end`.
    keep: std::ops::Range<usize>,
    /// The other copies, deleted.
    drop: Vec<std::ops::Range<usize>>,
}

/// Whether items `a` and `b` are the same instructions.
fn same(instrs: &[Instr], a: &Item, b: &Item) -> bool {
    instrs[a.start..a.next] == instrs[b.start..b.next]
}

/// The longest common tail of two `if` arms that may move after the `if`.
fn fold_if(f: &Frames, o: usize, targets: &[Vec<usize>]) -> Option<Fold> {
    let Instr::If(bt) = &f.instrs[o] else {
        return None;
    };
    let (params, _) = block_arity(bt, f.m)?;
    let e = f.s.else_of[o];
    // A branch to the `if`'s end would skip the tail moved after it.
    if params != 0 || e == NONE || !targets[o].is_empty() {
        return None;
    }
    let end = f.s.end_of[o] as usize;
    let then = f.items(o + 1);
    let els = f.items(e as usize + 1);
    let mut best = 0;
    let max = then.len().min(els.len());
    for k in 1..=max {
        let a = &then[then.len() - k];
        let b = &els[els.len() - k];
        // A transfer can only be the last item of a tail that moves whole.
        if !same(f.instrs, a, b) || (k > 1 && a.transfers) {
            break;
        }
        let stays = |t: Target| t != Target::Opener(o as u32);
        if !f.branches_stay(a.start..a.next, stays) {
            break;
        }
        if a.height == Some(0) && b.height == Some(0) {
            best = k;
        }
    }
    if best == 0 {
        return None;
    }
    let a0 = then[then.len() - best].start;
    let b0 = els[els.len() - best].start;
    Some(Fold {
        opener: o,
        end,
        keep: a0..e as usize,
        drop: std::iter::once(b0..end).collect(),
    })
}

/// The branch sites of block `o` and its fall-through tail: the common
/// tail before each that may move after the block.
fn fold_block(f: &Frames, o: usize, targets: &[Vec<usize>]) -> Option<Fold> {
    let Instr::Block(bt) = &f.instrs[o] else {
        return None;
    };
    let (params, results) = block_arity(bt, f.m)?;
    // Each site walks its frame: bound the work for blocks with very many
    // branches to them (folding is an optimization, skipping is exact).
    if params != 0 || targets[o].is_empty() || targets[o].len() > MAX_SITES {
        return None;
    }
    let end = f.s.end_of[o] as usize;
    // Each site: the items of its frame before it, and whether it is a `br`
    // (true) or the block's fall-through (false).
    let mut sites: Vec<(Vec<Item>, bool)> = Vec::new();
    for &b in &targets[o] {
        if !matches!(f.instrs[b], Instr::Br(_)) {
            return None;
        }
        let mut items = f.items(f.frame_start(b));
        items.retain(|it| it.next <= b);
        sites.push((items, true));
    }
    let body = f.items(o + 1);
    // Without a transfer at its end the block can be fallen out of (maybe
    // through dead code, whose pushes still count at `end`): that is a site.
    if body.last().is_none_or(|it| !it.transfers) {
        Frames::height_after(&body)?;
        sites.push((body, false));
    }
    if sites.len() < 2 {
        return None;
    }
    let max = sites.iter().map(|(it, _)| it.len()).min()?;
    let mut best = 0;
    // Backwards: values the tail needs from below its start, and its net push.
    let mut need = vec![0u32; sites.len()];
    let mut net = vec![0i64; sites.len()];
    for k in 1..=max {
        let first = &sites[0].0[sites[0].0.len() - k];
        if first.transfers || !f.branches_stay(first.start..first.next, |_| false) {
            break;
        }
        let mut ok = true;
        let mut fits = true;
        for (j, (items, is_br)) in sites.iter().enumerate() {
            let it = &items[items.len() - k];
            if !same(f.instrs, first, it) {
                ok = false;
                break;
            }
            let Some((p, r)) = it.effect else {
                ok = false;
                break;
            };
            need[j] = p + need[j].saturating_sub(r);
            net[j] += i64::from(r) - i64::from(p);
            fits &= if *is_br {
                need[j] == 0 && net[j] == i64::from(results)
            } else {
                it.height == Some(0)
            };
        }
        if !ok {
            break;
        }
        if fits {
            best = k;
        }
    }
    if best == 0 {
        return None;
    }
    let tail = |items: &[Item]| items[items.len() - best].start..items.last().map_or(0, |i| i.next);
    let keep = tail(&sites[0].0);
    let drop = sites[1..].iter().map(|(it, _)| tail(it)).collect();
    Some(Fold {
        opener: o,
        end,
        keep,
        drop,
    })
}

/// Folds every construct it can that no other fold of this round contains
/// or sits in; returns whether the body changed.
fn fold_round(m: &Module, locals: &[ValType], body: &mut Vec<Instr>) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    // Branch instructions by the opener they target.
    let mut targets: Vec<Vec<usize>> = vec![Vec::new(); body.len()];
    for (i, ins) in body.iter().enumerate() {
        for d in crate::structure::branch_depths(ins) {
            if let Some(Target::Opener(o)) = s.target(i, d) {
                let v = &mut targets[o as usize];
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
    }
    let f = Frames {
        instrs: body,
        s: &s,
        m,
        locals,
    };
    let mut folds: Vec<Fold> = Vec::new();
    let mut claimed_to = 0usize;
    for (o, ins) in body.iter().enumerate() {
        if o < claimed_to {
            continue;
        }
        let fold = match ins {
            Instr::If(_) => fold_if(&f, o, &targets),
            Instr::Block(_) => fold_block(&f, o, &targets),
            _ => None,
        };
        if let Some(fold) = fold {
            claimed_to = fold.end + 1;
            folds.push(fold);
        }
    }
    if folds.is_empty() {
        return false;
    }
    let Some(abs) = Body::absolutize(body.clone()) else {
        return false;
    };
    let n = abs.instrs.len();
    let mut deleted = vec![false; n];
    let mut retype = vec![false; n];
    let mut after: Vec<Option<std::ops::Range<usize>>> = vec![None; n];
    for fold in &folds {
        for r in fold.drop.iter().chain(std::iter::once(&fold.keep)) {
            deleted[r.clone()].iter_mut().for_each(|d| *d = true);
        }
        retype[fold.opener] = true;
        after[fold.end] = Some(fold.keep.clone());
    }
    let mut instrs = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        if !deleted[i] {
            let mut ins = abs.instrs[i].clone();
            if retype[i] {
                if let Instr::If(bt) | Instr::Block(bt) = &mut ins {
                    *bt = BlockType::Empty;
                }
            }
            instrs.push(ins);
            ids.push(abs.ids[i]);
        }
        if let Some(r) = &after[i] {
            instrs.extend_from_slice(&abs.instrs[r.clone()]);
            ids.extend_from_slice(&abs.ids[r.clone()]);
        }
    }
    (Body { instrs, ids }).relativize_into(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on, run_valid};

    fn fold(sig: &str, locals: &str, src: &str) -> Vec<Instr> {
        run_valid(&mut CodeFolding, sig, locals, src)
    }

    #[test]
    fn if_arms_share_a_tail() {
        let out = fold(
            "i32 -> i32",
            "",
            "local.get 0 if:i32 local.get 0 call 0 drop i32.const 7 local.get 0 i32.add \
             else i32.const 7 local.get 0 i32.add end",
        );
        assert_eq!(
            out,
            ins("local.get 0 if local.get 0 call 0 drop else end i32.const 7 local.get 0 i32.add")
        );
        // A branch to the `if`'s end skips the tail: nothing moves.
        let src = "local.get 0 if local.get 0 br_if 0 nop i32.const 1 drop \
                   else i32.const 1 drop end";
        assert_eq!(run_on(&mut CodeFolding, "i32", "", src), ins(src));
        // A tail that starts on a value computed before it cannot move.
        let src = "local.get 0 if:i32 i32.const 1 i32.const 7 i32.add \
                   else i32.const 2 i32.const 7 i32.add end";
        assert_eq!(run_on(&mut CodeFolding, "i32 -> i32", "", src), ins(src));
    }

    #[test]
    fn if_arms_ending_in_branches() {
        let out = fold(
            "i32",
            "",
            "block local.get 0 if i32.const 1 drop br 1 else i32.const 2 drop br 1 end end",
        );
        assert_eq!(
            out,
            ins("block local.get 0 if i32.const 1 drop else i32.const 2 drop end br 0 end")
        );
        // A branch to the `if` itself cannot leave it.
        let src = "local.get 0 if nop br 0 else nop br 0 end";
        assert_eq!(run_on(&mut CodeFolding, "i32", "", src), ins(src));
    }

    #[test]
    fn block_branches_share_a_tail() {
        let out = fold(
            "i32 -> i32",
            "",
            "block:i32 local.get 0 if i32.const 3 local.get 0 i32.mul br 1 end \
             local.get 0 call 0 drop i32.const 3 local.get 0 i32.mul end",
        );
        assert_eq!(
            out,
            ins("block local.get 0 if br 1 end local.get 0 call 0 drop end \
                 i32.const 3 local.get 0 i32.mul")
        );
        // Dead code after a `br` still pushes a value the block's end
        // checks: the fall-through is a site, and it differs, so nothing moves.
        let src = "block:i32 i32.const 1 local.get 0 br 0 local.get 0 if i32.const 1 local.get 0 br 1 end \
                   i32.const 2 end";
        assert_eq!(run_on(&mut CodeFolding, "i32 -> i32", "", src), ins(src));
        // A br_if to the block skips the tail: nothing moves.
        let src = "block:i32 i32.const 3 local.get 0 br_if 0 drop \
                   i32.const 3 local.get 0 i32.mul end";
        assert_eq!(run_on(&mut CodeFolding, "i32 -> i32", "", src), ins(src));
        // Values under the tail at a `br` are discarded by it and stay there.
        let out = fold(
            "i32 -> i32",
            "",
            "block:i32 local.get 0 if i32.const 1 local.get 0 br 1 end local.get 0 end",
        );
        assert_eq!(
            out,
            ins("block local.get 0 if i32.const 1 br 1 end end local.get 0")
        );
        // Only branches, no fall-through; the tail may not push more than the
        // block's results (the second `i32.const 1` would be discarded).
        let out = fold(
            "i32 -> i32",
            "",
            "block:i32 local.get 0 if i32.const 1 i32.const 2 br 1 end \
             i32.const 1 i32.const 2 br 0 end",
        );
        assert_eq!(
            out,
            ins("block local.get 0 if i32.const 1 br 1 end i32.const 1 br 0 end i32.const 2")
        );
    }

    #[test]
    fn nested_folds_take_rounds() {
        let out = fold(
            "i32",
            "",
            "local.get 0 if local.get 0 if nop i32.const 5 drop else i32.const 5 drop end \
             i32.const 6 drop else i32.const 6 drop end",
        );
        assert_eq!(
            out,
            ins(
                "local.get 0 if local.get 0 if nop else end i32.const 5 drop else end \
                 i32.const 6 drop"
            )
        );
    }
}

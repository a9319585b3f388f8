//! block-results: a value handed out of a `block` (or an `if` with `else`)
//! through a local becomes the construct's result.
//!
//! When every way out of a construct with no type sets the same local `x`
//! right before leaving (`v local.set x br l` at each branch to it, `v
//! local.set x` before its `end`, and before the `else` of an `if`), and
//! the instruction after its `end` is `local.get x`, the construct gets
//! result type `t` (the type of `x`): the `local.set`s go, each branch
//! carries `v` itself, and the `local.get x` after the `end` becomes
//! `local.tee x`, so `x` still holds `v` afterwards (remove-unused-locals
//! drops the tee when nothing else reads `x`). Two bytes per exit; clang
//! lowers a value merged from several paths (a phi) to exactly this shape.
//!
//! Exact: between the removed writes and the tee nothing runs (a branch
//! lands at the `end`), and `x` ends up holding the same value. A label
//! also targeted by `br_if` or `br_table` is left alone (those branches
//! would have to carry the value on the path that does not branch too).

use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{branch_depths, Structure, Target, NONE};
use crate::util::for_one_body;
use wtool_ast::{BlockType, Instr, Module, ValType};

/// See the module docs.
pub struct BlockResults;

impl Pass for BlockResults {
    fn name(&self) -> &'static str {
        "block-results"
    }
    fn description(&self) -> &'static str {
        "turn a value every exit of a block stores into one local, read after it, into the block's result"
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
        for_one_body(m, unit, |ctx, body| block_results(body, ctx.locals))
    }
}

/// Rewrites every construct of `body` (locals `locals`) that qualifies;
/// returns whether anything changed.
pub fn block_results(body: &mut Vec<Instr>, locals: &[ValType]) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let n = body.len();
    // The `br`s to each opener; `None` once a `br_if`/`br_table` targets it.
    let mut exits: Vec<Option<Vec<usize>>> = vec![Some(Vec::new()); n];
    for (i, ins) in body.iter().enumerate() {
        for d in branch_depths(ins) {
            if let Some(Target::Opener(o)) = s.target(i, d) {
                let o = o as usize;
                match ins {
                    Instr::Br(_) => {
                        if let Some(v) = exits[o].as_mut() {
                            v.push(i);
                        }
                    }
                    _ => exits[o] = None,
                }
            }
        }
    }
    let mut used = vec![false; n];
    let mut plans: Vec<(usize, ValType, Vec<usize>)> = Vec::new();
    for o in 0..n {
        let is_if = match body[o] {
            Instr::Block(BlockType::Empty) => false,
            Instr::If(BlockType::Empty) if s.else_of[o] != NONE => true,
            _ => continue,
        };
        let Some(brs) = exits[o].as_ref() else {
            continue;
        };
        let e = s.end_of[o] as usize;
        let Some(Instr::LocalGet(x)) = body.get(e + 1) else {
            continue;
        };
        let x = *x;
        let Some(&t) = locals.get(x as usize) else {
            continue;
        };
        // The `local.set x` before each way out.
        let mut sets: Vec<usize> = brs.iter().map(|&b| b.wrapping_sub(1)).collect();
        sets.push(e - 1);
        if is_if {
            sets.push(s.else_of[o] as usize - 1);
        }
        let all = sets
            .iter()
            .all(|&k| k > o && k < n && body[k] == Instr::LocalSet(x) && !used[k]);
        if !all || used[e + 1] {
            continue;
        }
        for &k in &sets {
            used[k] = true;
        }
        used[e + 1] = true;
        plans.push((o, t, sets));
    }
    if plans.is_empty() {
        return false;
    }
    let mut remove = vec![false; n];
    for (o, t, sets) in &plans {
        body[*o] = match body[*o] {
            Instr::If(_) => Instr::If(BlockType::Value(*t)),
            _ => Instr::Block(BlockType::Value(*t)),
        };
        for &k in sets {
            remove[k] = true;
        }
        let e = s.end_of[*o] as usize;
        if let Instr::LocalGet(x) = body[e + 1] {
            body[e + 1] = Instr::LocalTee(x);
        }
    }
    let input = std::mem::take(body);
    *body = input
        .into_iter()
        .zip(remove)
        .filter_map(|(x, r)| (!r).then_some(x))
        .collect();
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ins;

    fn run(src: &str) -> Vec<Instr> {
        crate::testutil::run_valid(&mut BlockResults, "i32 -> i32", "i32", src)
    }

    #[test]
    fn every_exit_sets_the_local() {
        assert_eq!(
            run("block local.get 0 if i32.const 7 local.set 1 br 1 end \
                 i32.const 9 local.set 1 end local.get 1"),
            ins("block:i32 local.get 0 if i32.const 7 br 1 end i32.const 9 end local.tee 1")
        );
        assert_eq!(
            run(
                "local.get 0 if i32.const 1 local.set 1 else i32.const 2 local.set 1 end \
                 local.get 1"
            ),
            ins("local.get 0 if:i32 i32.const 1 else i32.const 2 end local.tee 1")
        );
    }

    #[test]
    fn other_exits_stay() {
        for src in [
            // One exit does not set the local.
            "block local.get 0 br_if 0 i32.const 9 local.set 1 end local.get 1",
            "block local.get 0 if br 1 end i32.const 9 local.set 1 end local.get 1",
            // A br_if to the block.
            "block i32.const 3 local.set 1 local.get 0 br_if 0 i32.const 9 local.set 1 end local.get 1",
            // Another local, or no read after the end.
            "block i32.const 9 local.set 0 end local.get 1",
            "block i32.const 9 local.set 1 end local.get 0",
            // An `if` without `else`, and a loop.
            "local.get 0 if i32.const 9 local.set 1 end local.get 1",
            "loop i32.const 9 local.set 1 end local.get 1",
        ] {
            assert_eq!(run(src), ins(src), "{src}");
        }
    }
}

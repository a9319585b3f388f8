//! simplify-branches: control flow on a constant condition becomes
//! unconditional.
//!
//! * `i32.const c; br_if l` → `br l` (c ≠ 0) or nothing (c = 0);
//! * `i32.const c; br_table …` → `br` to the selected label;
//! * `i32.const c; if … else … end` → a `block` with the taken arm (the
//!   block keeps the `if`'s type and label, so branches inside stay valid);
//! * `a b i32.const c; select` → `a b drop` (c ≠ 0), or `b` alone when `a`
//!   is a self-contained computation without effects (c = 0);
//! * `if br l end` (no `else`, no block type) → `br_if l-1`: the `if` only
//!   branches out on its condition (3 bytes fewer; Emscripten's builds are
//!   full of them);
//! * `br 0` right before the `end` of its own block (or `if` arm) is a
//!   fallthrough, and goes, when the stack there holds exactly the block's
//!   results (counted from the block's start with the instructions' stack effects).

use crate::analysis::effects::removable;
use crate::analysis::stack::producer_start;
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{Structure, NONE};
use crate::util::for_one_body;
use wtool_ast::{BlockType, Instr, Module};

/// See the module docs.
pub struct SimplifyBranches;

impl Pass for SimplifyBranches {
    fn name(&self) -> &'static str {
        "simplify-branches"
    }
    fn description(&self) -> &'static str {
        "turn br_if, br_table, if and select on constant conditions into unconditional code"
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
            let Some(s) = Structure::of(body) else {
                return false;
            };
            let n = body.len();
            // What to do with each instruction: keep, drop, or replace.
            let mut remove = vec![false; n];
            let mut replace: Vec<Option<Instr>> = vec![None; n];
            let mut changed = false;
            for i in 1..n {
                if remove[i] || remove[i - 1] || replace[i - 1].is_some() {
                    continue;
                }
                let Instr::I32Const(c) = body[i - 1] else {
                    continue;
                };
                match &body[i] {
                    Instr::BrIf(d) => {
                        remove[i - 1] = true;
                        if c != 0 {
                            replace[i] = Some(Instr::Br(*d));
                        } else {
                            remove[i] = true;
                        }
                    }
                    Instr::BrTable(t) => {
                        let d = t
                            .targets
                            .get(c as u32 as usize)
                            .copied()
                            .unwrap_or(t.default);
                        remove[i - 1] = true;
                        replace[i] = Some(Instr::Br(d));
                    }
                    Instr::If(bt) => {
                        let (els, end) = (s.else_of[i], s.end_of[i] as usize);
                        remove[i - 1] = true;
                        if c != 0 {
                            replace[i] = Some(Instr::Block(*bt));
                            if els != NONE {
                                remove[els as usize..end].fill(true);
                            }
                        } else if els != NONE {
                            replace[i] = Some(Instr::Block(*bt));
                            remove[i + 1..=els as usize].fill(true);
                        } else if *bt == BlockType::Empty {
                            remove[i..=end].fill(true);
                        } else {
                            // An if without else passes its parameters through.
                            replace[i] = Some(Instr::Block(*bt));
                            remove[i + 1..end].fill(true);
                        }
                    }
                    Instr::Select | Instr::SelectT(_) => {
                        if c != 0 {
                            remove[i - 1] = true;
                            replace[i] = Some(Instr::Drop);
                        } else {
                            // Remove the first operand if it is a pure, self-contained tree.
                            let all = |_: &Instr| true;
                            let pure = |x: &Instr| removable(x, ignore);
                            let Some(b) =
                                producer_start(body, i - 1, 1, 64, ctx.module, ctx.locals, all)
                            else {
                                continue;
                            };
                            let Some(a) =
                                producer_start(body, b, 1, 64, ctx.module, ctx.locals, pure)
                            else {
                                continue;
                            };
                            if remove[a..b].iter().any(|r| *r) {
                                continue;
                            }
                            remove[a..b].fill(true);
                            remove[i - 1] = true;
                            remove[i] = true;
                        }
                    }
                    _ => continue,
                }
                changed = true;
            }
            if changed {
                let input = std::mem::take(body);
                *body = input
                    .into_iter()
                    .zip(remove.into_iter().zip(replace))
                    .filter_map(|(x, (r, rep))| if r { None } else { Some(rep.unwrap_or(x)) })
                    .collect();
            }
            let folded = if_br_to_br_if(body);
            changed | folded | remove_fallthrough_brs(body, ctx.module, ctx.locals)
        })
    }
}

/// `if br l end` → `br_if l-1` where the `if` has no `else` and no block
/// type (so the `br` carries no values: the arm starts on an empty stack),
/// and `l` ≥ 1 (a label outside the `if`, one level nearer once the `if`
/// is gone). Returns whether anything changed.
fn if_br_to_br_if(body: &mut Vec<Instr>) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    let mut changed = false;
    while i < body.len() {
        if let (Instr::If(BlockType::Empty), Some(Instr::Br(d)), Some(Instr::End)) =
            (&body[i], body.get(i + 1), body.get(i + 2))
        {
            if *d >= 1 && s.else_of[i] == NONE && s.end_of[i] as usize == i + 2 {
                out.push(Instr::BrIf(d - 1));
                i += 3;
                changed = true;
                continue;
            }
        }
        out.push(body[i].clone());
        i += 1;
    }
    if changed {
        *body = out;
    }
    changed
}

/// `(params, results)` counts of a block type.
fn arity(bt: &BlockType, m: &Module) -> Option<(u32, u32)> {
    Some(match bt {
        BlockType::Empty => (0, 0),
        BlockType::Value(_) => (0, 1),
        BlockType::Func(t) => {
            let f = m.func_type(*t)?;
            (f.params.len() as u32, f.results.len() as u32)
        }
    })
}

/// The operand stack height just before `at`, counted from the start of the
/// arm or block that starts at `start` (with `height` values already there);
/// `None` when an instruction on the way makes the stack polymorphic or its
/// effect is unknown.
fn height_at(
    body: &[Instr],
    s: &Structure,
    start: usize,
    at: usize,
    mut height: u32,
    m: &Module,
    locals: &[wtool_ast::ValType],
) -> Option<u32> {
    let mut k = start;
    while k < at {
        let ins = body.get(k)?;
        match ins {
            Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                let (p, r) = arity(bt, m)?;
                let cond = u32::from(matches!(ins, Instr::If(_)));
                height = height.checked_sub(p + cond)? + r;
                k = s.end_of[k] as usize + 1;
                continue;
            }
            Instr::BrIf(_) => height = height.checked_sub(1)?,
            _ => {
                let (pops, pushes) = crate::analysis::stack::stack_effect(ins, m, locals)?;
                height = height.checked_sub(pops)? + pushes;
            }
        }
        k += 1;
    }
    Some(height)
}

/// Removes `br 0` directly before the `end` (or `else`) closing the block or
/// `if` arm it targets, when the stack there is exactly the frame's results.
fn remove_fallthrough_brs(
    body: &mut Vec<Instr>,
    m: &Module,
    locals: &[wtool_ast::ValType],
) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let mut remove = vec![false; body.len()];
    let mut any = false;
    for i in 0..body.len().saturating_sub(1) {
        if body[i] != Instr::Br(0) || !matches!(body[i + 1], Instr::End | Instr::Else) {
            continue;
        }
        let f = s.frame_of(i);
        if f == NONE {
            continue;
        }
        let opener = f as usize;
        let (bt, start) = match &body[opener] {
            Instr::Block(bt) => (bt, opener + 1),
            Instr::If(bt) => {
                let e = s.else_of[opener];
                (
                    bt,
                    if e != NONE && (e as usize) < i {
                        e as usize + 1
                    } else {
                        opener + 1
                    },
                )
            }
            _ => continue,
        };
        let Some((params, results)) = arity(bt, m) else {
            continue;
        };
        if height_at(body, &s, start, i, params, m, locals) == Some(results) {
            remove[i] = true;
            any = true;
        }
    }
    if any {
        let old = std::mem::take(body);
        *body = old
            .into_iter()
            .zip(remove)
            .filter(|(_, r)| !r)
            .map(|(x, _)| x)
            .collect();
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on};

    #[test]
    fn br_if_and_br_table() {
        let out = run_on(
            &mut SimplifyBranches,
            "",
            "",
            "block i32.const 1 br_if 0 i32.const 0 br_if 0 end",
        );
        assert_eq!(out, ins("block end"));
        let out = run_on(
            &mut SimplifyBranches,
            "",
            "",
            "block block i32.const 1 br_table 0 1 0 end end",
        );
        assert_eq!(out, ins("block block br 1 end end"));
        let out = run_on(
            &mut SimplifyBranches,
            "",
            "",
            "block block i32.const -1 br_table 0 1 0 end end",
        );
        assert_eq!(out, ins("block block end end"));
    }

    #[test]
    fn ifs_that_only_branch_out_become_br_if() {
        let out = crate::testutil::run_valid(
            &mut SimplifyBranches,
            "i32 ->",
            "",
            "block loop local.get 0 if br 2 end local.get 0 if br 1 end end end",
        );
        assert_eq!(
            out,
            ins("block loop local.get 0 br_if 1 local.get 0 br_if 0 end end")
        );
        // `br 0` leaves the `if` itself; an `else`, or more in the arm, stays.
        for src in [
            "block local.get 0 if br 0 end end",
            "block local.get 0 if br 1 else nop end end",
            "block local.get 0 if nop br 1 end end",
        ] {
            let out = crate::testutil::run_valid(&mut SimplifyBranches, "i32 ->", "", src);
            assert!(!out.contains(&Instr::BrIf(0)), "{src}: {out:?}");
        }
    }

    #[test]
    fn constant_ifs() {
        let f = "i32.const 1 if:i32 i32.const 2 else i32.const 3 end";
        assert_eq!(
            run_on(&mut SimplifyBranches, "-> i32", "", f),
            ins("block:i32 i32.const 2 end")
        );
        let f = "i32.const 0 if:i32 i32.const 2 else i32.const 3 end";
        assert_eq!(
            run_on(&mut SimplifyBranches, "-> i32", "", f),
            ins("block:i32 i32.const 3 end")
        );
        let f = "i32.const 0 if call 0 end nop";
        assert_eq!(run_on(&mut SimplifyBranches, "", "", f), ins("nop"));
        let f = "i32.const 7 if br 0 end";
        assert_eq!(run_on(&mut SimplifyBranches, "", "", f), ins("block end"));
    }

    #[test]
    fn fallthrough_branches() {
        let f = "block:i32 local.get 0 local.get 0 br_if 0 drop i32.const 1 br 0 end";
        assert_eq!(
            run_on(&mut SimplifyBranches, "i32 -> i32", "", f),
            ins("block:i32 local.get 0 local.get 0 br_if 0 drop i32.const 1 end")
        );
        let f = "local.get 0 if block br 0 end br 0 else nop br 0 end";
        assert_eq!(
            run_on(&mut SimplifyBranches, "i32", "", f),
            ins("local.get 0 if block end else nop end")
        );
        // Extra values below the result: the branch discards them, the end would not accept them.
        let f = "block:i32 i32.const 1 i32.const 2 br 0 end";
        assert_eq!(run_on(&mut SimplifyBranches, "-> i32", "", f), ins(f));
        // After a polymorphic point the height is unknown.
        let f = "block unreachable br 0 end";
        assert_eq!(run_on(&mut SimplifyBranches, "", "", f), ins(f));
        // Not for loops (br 0 restarts them).
        let f = "loop br 0 end";
        assert_eq!(run_on(&mut SimplifyBranches, "", "", f), ins(f));
    }

    #[test]
    fn constant_selects() {
        let sig = "i32 i32 -> i32";
        let f = "local.get 0 local.get 1 i32.const 1 select";
        assert_eq!(
            run_on(&mut SimplifyBranches, sig, "", f),
            ins("local.get 0 local.get 1 drop")
        );
        let f = "local.get 0 i32.const 3 i32.add local.get 1 i32.const 0 select";
        assert_eq!(
            run_on(&mut SimplifyBranches, sig, "", f),
            ins("local.get 1")
        );
        // A first operand that may trap stays (the select is kept as is).
        let f = "local.get 0 i32.load local.get 1 i32.const 0 select";
        assert_eq!(run_on(&mut SimplifyBranches, sig, "", f), ins(f));
    }
}

//! block-to-if: a block that starts by leaving itself on a condition is an
//! `if` on the opposite condition.
//!
//! `block C br_if 0 R end` → `C (not) if R end`, for a block without
//! parameters or results, when `br_if 0` is at the block's top level with
//! only its condition on the block's stack (so `C` leaves nothing else) and
//! no branch in `C` targets the block. `R`'s branches to the block now
//! target the `if`, whose end is the same place. The negation is free when
//! `C` ends in `i32.eqz` (it goes) or an integer comparison (it flips:
//! `lt_s` ↔ `ge_s`, `eq` ↔ `ne`, …); otherwise an `i32.eqz` is added. A
//! `block` and a `br_if 0` (four bytes) become an `if` (two), plus at most
//! one byte.
//!
//! Exact: `C` runs first either way; when the condition is non-zero the
//! `br_if` skipped `R`, and the `if` on its negation does not enter `R`.
//! Float comparisons are not flipped (NaN makes both `lt` and `ge` false).

use crate::analysis::items::{block_arity, Frames};
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{branch_depths, Body, Structure, Target};
use crate::util::for_one_body;
use wtool_ast::{BlockType, Instr, Module, Op, ValType};

/// See the module docs.
pub struct BlockToIf;

impl Pass for BlockToIf {
    fn name(&self) -> &'static str {
        "block-to-if"
    }
    fn description(&self) -> &'static str {
        "turn a block that starts with br_if out of itself into an if on the negated condition"
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
            block_to_if(ctx.module, ctx.locals, body)
        })
    }
}

/// The comparison with the opposite result on every input, for integers.
pub fn negated(op: Op) -> Option<Op> {
    use Op::*;
    Some(match op {
        I32Eq => I32Ne,
        I32Ne => I32Eq,
        I32LtS => I32GeS,
        I32GeS => I32LtS,
        I32LtU => I32GeU,
        I32GeU => I32LtU,
        I32GtS => I32LeS,
        I32LeS => I32GtS,
        I32GtU => I32LeU,
        I32LeU => I32GtU,
        I64Eq => I64Ne,
        I64Ne => I64Eq,
        I64LtS => I64GeS,
        I64GeS => I64LtS,
        I64LtU => I64GeU,
        I64GeU => I64LtU,
        I64GtS => I64LeS,
        I64LeS => I64GtS,
        I64GtU => I64LeU,
        I64LeU => I64GtU,
        _ => return None,
    })
}

/// Appends the negation of the `i32` on top of the stack, whose producer is
/// the last instruction of `out` when that pushes a value.
pub fn negate_top(out: &mut Vec<Instr>, ids: &mut Vec<u32>) {
    match out.last_mut() {
        Some(Instr::Plain(Op::I32Eqz)) => {
            out.pop();
            ids.pop();
        }
        Some(Instr::Plain(op)) if negated(*op).is_some() => {
            *op = negated(*op).unwrap_or(*op);
        }
        _ => {
            out.push(Instr::Plain(Op::I32Eqz));
            ids.push(crate::structure::NONE);
        }
    }
}

/// Rewrites every qualifying block of `body`; returns whether it changed.
pub fn block_to_if(m: &Module, locals: &[ValType], body: &mut Vec<Instr>) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let f = Frames {
        instrs: body,
        s: &s,
        m,
        locals,
    };
    // For each block turned into an `if`: the index of its `br_if`.
    let mut conv: Vec<usize> = Vec::new();
    for (o, ins) in body.iter().enumerate() {
        let Instr::Block(bt) = ins else { continue };
        if block_arity(bt, m) != Some((0, 0)) {
            continue;
        }
        for it in f.items(o + 1) {
            let Instr::BrIf(d) = body[it.start] else {
                continue;
            };
            if s.target(it.start, d) != Some(Target::Opener(o as u32)) {
                continue;
            }
            let escapes = (o + 1..it.start).any(|i| {
                branch_depths(&body[i])
                    .into_iter()
                    .any(|d| s.target(i, d) == Some(Target::Opener(o as u32)))
            });
            if it.height == Some(1) && !escapes {
                conv.push(it.start);
            }
            // Only the first branch out of the block qualifies.
            break;
        }
    }
    if conv.is_empty() {
        return false;
    }
    let Some(abs) = Body::absolutize(body.clone()) else {
        return false;
    };
    let n = abs.instrs.len();
    // br_if index → the block it leaves.
    let mut opener_of = vec![crate::structure::NONE; n];
    for &b in &conv {
        opener_of[b] = s.frame_of(b);
    }
    let mut deleted = vec![false; n];
    for &b in &conv {
        deleted[s.frame_of(b) as usize] = true;
    }
    let mut out = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    for (i, (ins, id)) in abs.instrs.into_iter().zip(abs.ids).enumerate() {
        if deleted[i] {
            continue;
        }
        if opener_of[i] != crate::structure::NONE {
            negate_top(&mut out, &mut ids);
            out.push(Instr::If(BlockType::Empty));
            ids.push(opener_of[i]);
            continue;
        }
        out.push(ins);
        ids.push(id);
    }
    (Body { instrs: out, ids }).relativize_into(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on, run_valid};

    fn conv(sig: &str, locals: &str, src: &str) -> Vec<Instr> {
        run_valid(&mut BlockToIf, sig, locals, src)
    }

    #[test]
    fn negations() {
        let out = conv(
            "i32 i32",
            "",
            "block local.get 0 i32.eqz br_if 0 i32.const 1 drop end \
             block local.get 0 local.get 1 i32.lt_s br_if 0 nop end \
             block local.get 0 br_if 0 nop end",
        );
        assert_eq!(
            out,
            ins("local.get 0 if i32.const 1 drop end \
                 local.get 0 local.get 1 i32.ge_s if nop end \
                 local.get 0 i32.eqz if nop end")
        );
        // Float comparisons get an eqz (NaN).
        let out = conv(
            "f32",
            "",
            "block local.get 0 f32.const 1 f32.lt br_if 0 nop end",
        );
        assert_eq!(
            out,
            ins("local.get 0 f32.const 1 f32.lt i32.eqz if nop end")
        );
    }

    #[test]
    fn later_branches_target_the_if() {
        let out = conv(
            "i32",
            "",
            "loop block local.get 0 br_if 0 block local.get 0 br_if 1 br 2 end end end",
        );
        // The inner block's first branch leaves the outer one: only the outer converts.
        assert_eq!(
            out,
            ins("loop local.get 0 i32.eqz if block local.get 0 br_if 1 br 2 end end end")
        );
    }

    #[test]
    fn left_alone() {
        // A value below the condition.
        let src = "block i32.const 1 local.get 0 br_if 0 drop end";
        assert_eq!(run_on(&mut BlockToIf, "i32", "", src), ins(src));
        // A result type.
        let src = "block:i32 i32.const 1 local.get 0 br_if 0 end drop";
        assert_eq!(run_on(&mut BlockToIf, "i32", "", src), ins(src));
        // The condition's code branches to the block.
        let src = "block block:i32 i32.const 1 local.get 0 br_if 1 end br_if 0 nop end";
        assert_eq!(run_on(&mut BlockToIf, "i32", "", src), ins(src));
    }

    #[test]
    fn nested_blocks_convert_together() {
        let out = conv(
            "i32",
            "",
            "block block local.get 0 br_if 0 nop end local.get 0 br_if 0 nop end",
        );
        assert_eq!(
            out,
            ins("local.get 0 i32.eqz if nop end local.get 0 i32.eqz if nop end")
        );
    }
}

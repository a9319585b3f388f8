//! merge-blocks (alias remove-unused-labels): a `block` or `loop` whose label
//! no branch targets is only a grouping; its markers are removed and its body
//! merges into the enclosing sequence. Branches that crossed it are renumbered.
//!
//! Exact: without a branch to it, a block's end is reached only by falling
//! through, with exactly its results on the stack, which is what the merged
//! body leaves too; a loop without a branch back is a block.

use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{targeted_labels, Body, Structure};
use crate::util::for_one_body;
use wtool_ast::{Instr, Module};

/// See the module docs.
pub struct MergeBlocks;

impl Pass for MergeBlocks {
    fn name(&self) -> &'static str {
        "merge-blocks"
    }
    fn description(&self) -> &'static str {
        "flatten blocks and loops whose label is never targeted (remove-unused-labels)"
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
        for_one_body(m, unit, |_, body| merge(body))
    }
}

/// Flattens every untargeted block and loop of `body`.
pub fn merge(body: &mut Vec<Instr>) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let targeted = targeted_labels(body, &s);
    let mut remove = vec![false; body.len()];
    let mut any = false;
    for (i, ins) in body.iter().enumerate() {
        if matches!(ins, Instr::Block(_) | Instr::Loop(_)) && !targeted[i] {
            remove[i] = true;
            remove[s.end_of[i] as usize] = true;
            any = true;
        }
    }
    if !any {
        return false;
    }
    let Some(abs) = Body::absolutize(body.clone()) else {
        return false;
    };
    let (instrs, ids): (Vec<Instr>, Vec<u32>) = abs
        .instrs
        .into_iter()
        .zip(abs.ids)
        .zip(&remove)
        .filter(|(_, r)| !**r)
        .map(|(x, _)| x)
        .unzip();
    (Body { instrs, ids }).relativize_into(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on};

    #[test]
    fn flattens_untargeted_and_renumbers() {
        let out = run_on(
            &mut MergeBlocks,
            "i32",
            "",
            "block block:i32 loop local.get 0 br_if 2 end i32.const 1 end drop end",
        );
        // Only the outer block is targeted (depth 2 from inside the loop).
        assert_eq!(out, ins("block local.get 0 br_if 0 i32.const 1 drop end"));
    }

    #[test]
    fn keeps_targeted_labels_and_ifs() {
        let src = "loop:i32 local.get 0 if br 1 end i32.const 0 end drop";
        let out = run_on(&mut MergeBlocks, "i32", "", src);
        assert_eq!(out, ins(src));
        let out = run_on(&mut MergeBlocks, "i32", "", "block br_table 0 0 1 end");
        assert_eq!(out, ins("block br_table 0 0 1 end"));
    }

    #[test]
    fn function_label_depth_shrinks() {
        let out = run_on(&mut MergeBlocks, "", "", "block block br 2 end end");
        assert_eq!(out, ins("br 0"));
    }
}

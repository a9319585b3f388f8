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

use crate::analysis::local_values::{holds, value_of, walk};
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::for_one_body;
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
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_each(self, m, opts)
    }
    fn function_local(&self) -> bool {
        true
    }
    fn run_function(&self, m: &Module, unit: &mut FuncUnit, _opts: &PassOptions) -> bool {
        for_one_body(m, unit, |ctx, body| rse(body, ctx.locals, ctx.params))
    }
}

/// Removes redundant sets from `body` (locals `locals`, the first `nparams`
/// of them parameters); returns whether it changed. The facts come from
/// [`crate::analysis::local_values`].
pub fn rse(body: &mut Vec<Instr>, locals: &[ValType], nparams: usize) -> bool {
    let mut redundant: Vec<usize> = Vec::new();
    walk(body, locals, nparams, |i, st| {
        if let Instr::LocalSet(x) | Instr::LocalTee(x) = body[i] {
            let v = value_of(st, i.checked_sub(1).and_then(|p| body.get(p)));
            if v == Some(holds(st, x)) {
                redundant.push(i);
            }
        }
    });
    if redundant.is_empty() {
        return false;
    }
    let n = body.len();
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

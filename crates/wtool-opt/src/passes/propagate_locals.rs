//! propagate-locals: copy and constant propagation through locals, across
//! blocks, branches and joins. A `local.get x` where `x` is known to hold a
//! copy of local `y` reads `y` instead; where `x` is known to hold a
//! constant that encodes in no more bytes than the `local.get`, it becomes
//! that constant. The writes of `x` that nothing reads any more are then
//! dead: coalesce-locals and remove-unused-locals turn them into `drop`s of
//! the copied value, which vacuum removes, and precompute folds the
//! constants.
//!
//! The facts are those of [`crate::analysis::local_values`] (the same rse
//! uses): declared locals start at zero, `local.get y; local.set x` makes
//! `x` a copy of `y` until either is written again, joins keep only what
//! every incoming path agrees on, loops forget what they write.
//!
//! Exact: the replacement reads the same bits the original read would have
//! (a copy is a bit copy, constants are compared by their bits).
//!
//! Compilers and our own inlining (arguments go into fresh locals) leave
//! many such copies: AssemblyScript's debug builds copy every argument of
//! a runtime call into a temporary first.

use crate::analysis::local_values::{walk, Known};
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::for_one_body;
use wtool_ast::{Instr, Module, ValType};

/// See the module docs.
pub struct PropagateLocals;

impl Pass for PropagateLocals {
    fn name(&self) -> &'static str {
        "propagate-locals"
    }
    fn description(&self) -> &'static str {
        "read the source of a copied local, or its small constant, instead of the copy"
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
        for_one_body(m, unit, |ctx, body| propagate(body, ctx.locals, ctx.params))
    }
}

/// Encoded bytes of an instruction.
fn encoded_len(x: &Instr) -> usize {
    let mut v = Vec::new();
    wtool_binary::encode_instr(&mut v, x);
    v.len()
}

/// Rewrites the reads of copies and small constants in `body` (locals
/// `locals`, the first `nparams` of them parameters); returns whether
/// anything changed.
pub fn propagate(body: &mut [Instr], locals: &[ValType], nparams: usize) -> bool {
    let mut rewrites: Vec<(usize, Instr)> = Vec::new();
    walk(body, locals, nparams, |i, st| {
        let Instr::LocalGet(x) = body[i] else { return };
        let Some(k) = st.get(&x) else { return };
        let new = match k {
            Known::Copy(y) => Instr::LocalGet(*y),
            Known::Const(c) => c.clone(),
        };
        // Never larger: a source with a longer index or a wide constant
        // stays behind its copy.
        if encoded_len(&new) <= encoded_len(&body[i]) {
            rewrites.push((i, new));
        }
    });
    let changed = !rewrites.is_empty();
    for (i, new) in rewrites {
        body[i] = new;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::ins;

    fn run(params: &str, locals: &str, src: &str) -> Vec<Instr> {
        crate::testutil::run_valid(&mut PropagateLocals, &format!("{params} ->"), locals, src)
    }

    #[test]
    fn copies_are_read_from_their_source() {
        let out = run(
            "i32",
            "i32",
            "local.get 0 local.set 1 local.get 1 local.get 1 i32.add drop",
        );
        assert_eq!(
            out,
            ins("local.get 0 local.set 1 local.get 0 local.get 0 i32.add drop")
        );
        // Chains go to the first source; a tee makes a copy too.
        let out = run(
            "i32",
            "i32 i32",
            "local.get 0 local.tee 1 local.set 2 local.get 2 drop",
        );
        assert_eq!(
            out,
            ins("local.get 0 local.tee 1 local.set 2 local.get 0 drop")
        );
    }

    #[test]
    fn writes_end_a_copy() {
        // The source changes: the copy keeps the old value.
        let src = "local.get 0 local.set 1 i32.const 9 local.set 0 local.get 1 drop";
        assert_eq!(run("i32", "i32", src), ins(src));
        // The copy is overwritten with an unknown value.
        let src =
            "local.get 0 local.set 1 local.get 0 i32.const 1 i32.add local.set 1 local.get 1 drop";
        assert_eq!(run("i32", "i32", src), ins(src));
    }

    #[test]
    fn small_constants_and_zero_at_entry() {
        let out = run(
            "",
            "i32 i64 f32",
            "local.get 0 drop i32.const 7 local.set 0 local.get 0 drop \
             local.get 2 drop i32.const 1000000 local.set 0 local.get 0 drop",
        );
        // A read of the declared i32 gives 0, then 7; the f32 zero (5 bytes)
        // and the wide constant stay behind their locals.
        assert_eq!(
            out,
            ins("i32.const 0 drop i32.const 7 local.set 0 i32.const 7 drop \
                 local.get 2 drop i32.const 1000000 local.set 0 local.get 0 drop")
        );
    }

    #[test]
    fn joins_and_loops() {
        // A copy made in one arm only is unknown after the `if`.
        let src = "local.get 0 if local.get 0 local.set 1 end local.get 1 drop";
        assert_eq!(run("i32", "i32", src), ins(src));
        // Made before the `if` and kept in both arms: known after it.
        let out = run(
            "i32",
            "i32",
            "local.get 0 local.set 1 local.get 0 if nop else nop end local.get 1 drop",
        );
        assert_eq!(
            out,
            ins("local.get 0 local.set 1 local.get 0 if nop else nop end local.get 0 drop")
        );
        // The loop writes the source: inside it the copy is unknown.
        let src = "local.get 0 local.set 1 loop local.get 1 drop \
                   local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end";
        assert_eq!(run("i32", "i32", src), ins(src));
        // Unreachable code is left alone.
        let src = "local.get 0 local.set 1 unreachable local.get 1 drop";
        assert_eq!(run("i32", "i32", src), ins(src));
    }
}

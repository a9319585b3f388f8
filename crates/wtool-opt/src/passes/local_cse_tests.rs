//! Tests of local-cse (kept beside the pass so it stays readable).

use super::*;
use crate::testutil::{assert_valid, func, ins, module};

/// Runs the pass on a one-function module (`-O2` when `size` is false,
/// `-Oz` otherwise); returns the body and the declared local types.
fn run(sig: &str, locals: &str, src: &str, size: bool) -> (Vec<Instr>, Vec<LocalGroup>) {
    let mut m = module(&[sig], vec![func(0, locals, src)]);
    let opts = PassOptions {
        shrink_level: if size { 2 } else { 0 },
        ..PassOptions::default()
    };
    LocalCse.run(&mut m, &opts);
    assert_valid(&m);
    (m.funcs[0].body.instrs.clone(), m.funcs[0].locals.clone())
}

fn body(sig: &str, locals: &str, src: &str) -> Vec<Instr> {
    run(sig, locals, src, false).0
}

#[test]
fn a_tree_computed_twice_is_teed_and_read() {
    let (out, l) = run(
        "i32 i32 -> i32",
        "",
        "local.get 0 local.get 1 i32.add i32.const 3 i32.mul \
         local.get 0 local.get 1 i32.add i32.const 3 i32.mul i32.add",
        false,
    );
    assert_eq!(
        out,
        ins(
            "local.get 0 local.get 1 i32.add i32.const 3 i32.mul local.tee 2 \
             local.get 2 i32.add"
        )
    );
    assert_eq!(
        l,
        vec![LocalGroup {
            count: 1,
            ty: ValType::I32
        }]
    );
    // A third occurrence reads the same local.
    let out = body(
        "i32 i32 -> i32",
        "",
        "local.get 0 local.get 1 i32.sub local.get 0 local.get 1 i32.sub i32.const 1 i32.shl \
         local.get 0 local.get 1 i32.sub i32.xor i32.add",
    );
    assert_eq!(
        out,
        ins(
            "local.get 0 local.get 1 i32.sub local.tee 2 local.get 2 i32.const 1 i32.shl \
             local.get 2 i32.xor i32.add"
        )
    );
}

#[test]
fn a_local_that_holds_the_value_is_read() {
    // `x = a + b; … a + b` reads x; nothing is added.
    let (out, l) = run(
        "i32 i32 -> i32",
        "i32",
        "local.get 0 local.get 1 i32.add local.set 2 local.get 0 local.get 1 i32.add",
        false,
    );
    assert_eq!(
        out,
        ins("local.get 0 local.get 1 i32.add local.set 2 local.get 2")
    );
    assert_eq!(
        l,
        vec![LocalGroup {
            count: 1,
            ty: ValType::I32
        }]
    );
    // …unless x was written since: then a local is added.
    let out = body(
        "i32 i32 -> i32",
        "i32",
        "local.get 0 local.get 1 i32.add local.set 2 i32.const 0 local.set 2 \
         local.get 0 local.get 1 i32.add",
    );
    assert_eq!(
        out,
        ins(
            "local.get 0 local.get 1 i32.add local.tee 3 local.set 2 i32.const 0 local.set 2 \
             local.get 3"
        )
    );
}

#[test]
fn writes_of_inputs_end_the_reuse() {
    // An input local is written in between.
    let src = "local.get 0 local.get 1 i32.add i32.const 3 i32.mul drop \
               i32.const 5 local.set 0 \
               local.get 0 local.get 1 i32.add i32.const 3 i32.mul";
    assert_eq!(body("i32 i32 -> i32", "", src), ins(src));
    // A load after a store or a call reads memory again.
    for between in ["i32.const 0 i32.const 1 i32.store", "call 0 drop"] {
        let src = format!(
            "local.get 0 i32.load i32.const 1 i32.add drop {between} \
             local.get 0 i32.load i32.const 1 i32.add"
        );
        let mut m = module(&["i32 -> i32"], vec![func(0, "", &src)]);
        m.memories.push(wtool_ast::MemoryType::default());
        LocalCse.run(&mut m, &PassOptions::default());
        assert_eq!(m.funcs[0].body.instrs, ins(&src), "{between}");
    }
    // Another thread may write a shared memory: its loads are read again.
    let src =
        "local.get 0 i32.load i32.const 1 i32.add drop local.get 0 i32.load i32.const 1 i32.add";
    let mut m = module(&["i32 -> i32"], vec![func(0, "", src)]);
    m.memories.push(wtool_ast::MemoryType {
        shared: true,
        limits: wtool_ast::Limits {
            min: 1,
            max: Some(1),
        },
        ..Default::default()
    });
    LocalCse.run(&mut m, &PassOptions::default());
    assert_eq!(m.funcs[0].body.instrs, ins(src), "shared");
    // Without the store, the load is read once (it already ran without trapping).
    let src = "local.get 0 i32.load i32.const 1 i32.add drop local.get 0 i32.const 0 i32.store \
               local.get 0 i32.load i32.const 1 i32.add local.get 0 i32.load i32.const 1 i32.add i32.add";
    let mut m = module(&["i32 -> i32"], vec![func(0, "", src)]);
    m.memories.push(wtool_ast::MemoryType::default());
    LocalCse.run(&mut m, &PassOptions::default());
    assert_valid(&m);
    assert_eq!(
        m.funcs[0].body.instrs,
        ins(
            "local.get 0 i32.load i32.const 1 i32.add drop local.get 0 i32.const 0 i32.store \
             local.get 0 i32.load i32.const 1 i32.add local.tee 1 local.get 1 i32.add"
        )
    );
}

#[test]
fn divisions_reuse_only_after_they_ran() {
    // The first division ran (and did not trap) before the second.
    let out = body(
        "i32 i32 -> i32",
        "",
        "local.get 0 local.get 1 i32.div_s i32.const 1 i32.add \
         local.get 0 local.get 1 i32.div_s i32.const 1 i32.add i32.mul",
    );
    assert_eq!(
        out,
        ins(
            "local.get 0 local.get 1 i32.div_s i32.const 1 i32.add local.tee 2 \
             local.get 2 i32.mul"
        )
    );
    // In one arm of an `if` and again after it: the arm may not have run.
    let src = "local.get 0 if local.get 0 local.get 1 i32.div_s i32.const 1 i32.add drop end \
               local.get 0 local.get 1 i32.div_s i32.const 1 i32.add";
    assert_eq!(body("i32 i32 -> i32", "", src), ins(src));
}

#[test]
fn extended_blocks_joins_and_loops() {
    // Past a br_if and into an `if` arm: the first computation dominates.
    let out = body(
        "i32 i32 -> i32",
        "",
        "block local.get 0 local.get 1 i32.add i32.const 7 i32.and drop local.get 0 br_if 0 \
         local.get 0 if local.get 0 local.get 1 i32.add i32.const 7 i32.and drop end end i32.const 0",
    );
    assert_eq!(
        out,
        ins("block local.get 0 local.get 1 i32.add i32.const 7 i32.and local.tee 2 drop local.get 0 br_if 0 \
             local.get 0 if local.get 2 drop end end i32.const 0")
    );
    // The then arm's values are not known in the else arm.
    let src = "local.get 0 if local.get 0 local.get 1 i32.add i32.const 7 i32.and drop else \
               local.get 0 local.get 1 i32.add i32.const 7 i32.and drop end i32.const 0";
    assert_eq!(body("i32 i32 -> i32", "", src), ins(src));
    // A loop that writes an input recomputes it on each iteration.
    let src = "local.get 0 local.get 1 i32.add i32.const 7 i32.and drop \
               loop local.get 0 local.get 1 i32.add i32.const 7 i32.and drop \
               local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end i32.const 0";
    assert_eq!(body("i32 i32 -> i32", "", src), ins(src));
    // A loop that does not write them reuses the value from before it.
    let out = body(
        "i32 i32 -> i32",
        "i32",
        "local.get 0 local.get 1 i32.add i32.const 7 i32.and drop \
         loop local.get 0 local.get 1 i32.add i32.const 7 i32.and local.set 2 \
         local.get 2 br_if 0 end i32.const 0",
    );
    assert_eq!(
        out,
        ins(
            "local.get 0 local.get 1 i32.add i32.const 7 i32.and local.tee 3 drop \
             loop local.get 3 local.set 2 local.get 2 br_if 0 end i32.const 0"
        )
    );
}

#[test]
fn globals_calls_and_trees_with_writes() {
    let mut m = module(
        &["-> i32"],
        vec![func(
            0,
            "",
            "global.get 0 i32.const 1 i32.add i32.const 2 i32.shl drop \
             call 0 drop global.get 0 i32.const 1 i32.add i32.const 2 i32.shl",
        )],
    );
    m.globals.push(wtool_ast::Global {
        ty: wtool_ast::GlobalType {
            ty: ValType::I32,
            mutable: true,
        },
        init: wtool_ast::Expr::new(ins("i32.const 0")),
    });
    let before = m.clone();
    LocalCse.run(&mut m, &PassOptions::default());
    assert_eq!(m, before, "a call may write the global");
    // A tree that writes a local (a tee inside) is not removed.
    let src = "local.get 0 local.get 1 i32.add i32.const 7 i32.and drop \
               local.get 0 local.tee 2 local.get 1 i32.add i32.const 7 i32.and";
    let out = body("i32 i32 -> i32", "i32", src);
    assert_eq!(out, ins(src));
}

#[test]
fn size_and_speed_thresholds() {
    // Two instructions: no gain for speed when a local must be added…
    let src = "local.get 0 i32.eqz drop local.get 0 i32.eqz";
    assert_eq!(body("i32 -> i32", "", src), ins(src));
    // …nor for size (3 bytes against a tee, a get and a declaration).
    assert_eq!(run("i32 -> i32", "", src, true).0, ins(src));
    // Wide constants make a short tree worth it for size.
    let (out, _) = run(
        "i32 -> i32",
        "",
        "local.get 0 i32.const 1000000 i32.add drop local.get 0 i32.const 1000000 i32.add",
        true,
    );
    assert_eq!(
        out,
        ins("local.get 0 i32.const 1000000 i32.add local.tee 1 drop local.get 1")
    );
}

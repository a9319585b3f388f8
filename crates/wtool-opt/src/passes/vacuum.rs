//! vacuum: removes `nop`s, `drop`s of values computed without effects
//! (together with the computation), empty blocks and loops, and empty `if`s
//! (their condition is dropped instead, so it still runs).

use crate::analysis::effects::removable;
use crate::analysis::stack::producer_start;
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::for_one_body;
use wtool_ast::{BlockType, Instr, Module};

/// See the module docs.
pub struct Vacuum;

/// How far back a dropped value's computation is searched for.
const TREE_LIMIT: usize = 64;

impl Pass for Vacuum {
    fn name(&self) -> &'static str {
        "vacuum"
    }
    fn description(&self) -> &'static str {
        "remove nops, drops of effect-free values, empty blocks and empty ifs"
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
            let input = std::mem::take(body);
            let mut out: Vec<Instr> = Vec::with_capacity(input.len());
            let mut changed = false;
            // Pushes a `drop`, or removes what it would drop when that has no effect.
            let drop_top = |out: &mut Vec<Instr>| -> bool {
                let pure = |i: &Instr| removable(i, ignore);
                if let Some(k) =
                    producer_start(out, out.len(), 1, TREE_LIMIT, ctx.module, ctx.locals, pure)
                {
                    out.truncate(k);
                    return true;
                }
                if let Some(Instr::LocalTee(x)) = out.last() {
                    let x = *x;
                    out.pop();
                    out.push(Instr::LocalSet(x));
                    return true;
                }
                out.push(Instr::Drop);
                false
            };
            for ins in input {
                match ins {
                    Instr::Nop => {
                        changed = true;
                        continue;
                    }
                    Instr::Drop => {
                        changed |= drop_top(&mut out);
                        continue;
                    }
                    Instr::End => match out.as_slice() {
                        [.., Instr::Block(BlockType::Empty) | Instr::Loop(BlockType::Empty)] => {
                            out.pop();
                            changed = true;
                            continue;
                        }
                        [.., Instr::If(BlockType::Empty)] => {
                            out.pop();
                            drop_top(&mut out);
                            changed = true;
                            continue;
                        }
                        [.., Instr::If(BlockType::Empty), Instr::Else] => {
                            out.truncate(out.len() - 2);
                            drop_top(&mut out);
                            changed = true;
                            continue;
                        }
                        [.., Instr::Else] => {
                            // An empty else-arm is the same as none.
                            out.pop();
                            changed = true;
                        }
                        _ => {}
                    },
                    _ => {}
                }
                out.push(ins);
            }
            *body = out;
            changed
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on};

    #[test]
    fn removes_pure_drops_and_nops() {
        let out = run_on(
            &mut Vacuum,
            "i32",
            "",
            "nop local.get 0 i32.const 1 i32.add drop i32.const 2 drop",
        );
        assert_eq!(out, ins(""));
    }

    #[test]
    fn keeps_traps_and_effects() {
        let body = "local.get 0 i32.const 0 i32.div_s drop local.get 0 i32.load drop i32.const 1 local.tee 0 drop call 0 drop";
        let out = run_on(&mut Vacuum, "i32 -> i32", "", body);
        assert_eq!(
            out,
            ins("local.get 0 i32.const 0 i32.div_s drop local.get 0 i32.load drop i32.const 1 local.set 0 call 0 drop")
        );
        // With --ignore-implicit-traps the division and the load go.
        let mut m =
            crate::testutil::module(&["i32 -> i32"], vec![crate::testutil::func(0, "", body)]);
        let opts = PassOptions {
            ignore_implicit_traps: true,
            ..Default::default()
        };
        Vacuum.run(&mut m, &opts);
        assert_eq!(
            m.funcs[0].body.instrs,
            ins("i32.const 1 local.set 0 call 0 drop")
        );
    }

    #[test]
    fn partial_trees_stay() {
        // The drop takes only the add's result; the call below it stays.
        let out = run_on(
            &mut Vacuum,
            "-> i32",
            "",
            "call 0 i32.const 1 i32.const 2 i32.add drop",
        );
        assert_eq!(out, ins("call 0"));
    }

    #[test]
    fn empty_constructs() {
        let out = run_on(
            &mut Vacuum,
            "i32",
            "",
            "block end loop end local.get 0 if end local.get 0 if else end",
        );
        assert_eq!(out, ins(""));
        let out = run_on(&mut Vacuum, "i32", "", "local.get 0 if nop else end");
        assert_eq!(out, ins(""));
        let out = run_on(&mut Vacuum, "-> i32", "", "call 0 if nop else end");
        assert_eq!(out, ins("call 0 drop"));
        let out = run_on(
            &mut Vacuum,
            "i32",
            "",
            "local.get 0 if i32.const 1 call 0 else end",
        );
        assert_eq!(out, ins("local.get 0 if i32.const 1 call 0 end"));
    }
}

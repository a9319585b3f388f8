//! duplicate-function-elimination: functions with the same type, locals and
//! body are interchangeable for direct calls, so `call`s of a duplicate go to
//! the first copy (remove-unused-module-elements then drops the duplicate).
//!
//! Only direct calls are redirected: exports, table entries and `ref.func`
//! keep their function, since a function's identity is observable through
//! them (JS `===`, `ref.eq`).

use crate::pass::{Pass, PassOptions, PassProperties};
use std::collections::HashMap;
use wtool_ast::{ExternKind, Instr, Module, ValType};

/// See the module docs.
pub struct DuplicateFunctionElimination;

/// Rounds of redirecting (each can make callers identical).
const MAX_ROUNDS: usize = 4;

impl Pass for DuplicateFunctionElimination {
    fn name(&self) -> &'static str {
        "duplicate-function-elimination"
    }
    fn description(&self) -> &'static str {
        "redirect calls of functions identical to an earlier one to that one"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, _opts: &PassOptions) -> bool {
        let nimp = m.num_imported(ExternKind::Func);
        let mut changed = false;
        for _ in 0..MAX_ROUNDS {
            let mut first: HashMap<(u32, Vec<ValType>, &[Instr]), u32> = HashMap::new();
            let mut canon: HashMap<u32, u32> = HashMap::new();
            for (i, f) in m.funcs.iter().enumerate() {
                let locals: Vec<ValType> = f
                    .locals
                    .iter()
                    .flat_map(|g| std::iter::repeat_n(g.ty, g.count.min(1 << 16) as usize))
                    .collect();
                let key = (f.type_idx, locals, f.body.instrs.as_slice());
                let me = nimp + i as u32;
                match first.get(&key) {
                    Some(&c) => {
                        canon.insert(me, c);
                    }
                    None => {
                        first.insert(key, me);
                    }
                }
            }
            if canon.is_empty() {
                break;
            }
            let mut round = false;
            for f in m.funcs.iter_mut() {
                let mut touched = false;
                for ins in f.body.instrs.iter_mut() {
                    if let Instr::Call(c) | Instr::ReturnCall(c) = ins {
                        if let Some(&to) = canon.get(c) {
                            *c = to;
                            touched = true;
                        }
                    }
                }
                // Offsets stay valid: same instructions, same encoding sizes but
                // for the call index; clear them anyway, since they no longer
                // describe the bytes exactly.
                if touched {
                    f.body.offsets.clear();
                    round = true;
                }
            }
            if !round {
                break;
            }
            changed = true;
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{func, ins, module};

    #[test]
    fn calls_go_to_the_first_copy() {
        let mut m = module(
            &["-> i32"],
            vec![
                func(0, "", "i32.const 1"),
                func(0, "", "i32.const 1"),
                func(0, "", "call 1 call 0 i32.add"),
                func(0, "", "i32.const 2"),
            ],
        );
        assert!(DuplicateFunctionElimination.run(&mut m, &PassOptions::default()));
        assert_eq!(m.funcs[2].body.instrs, ins("call 0 call 0 i32.add"));
        // Exports keep naming their own function.
        assert_eq!(m.exports[1].index, 1);
        assert!(!DuplicateFunctionElimination.run(&mut m, &PassOptions::default()));
    }

    #[test]
    fn different_locals_are_different() {
        let mut m = module(
            &["", "-> i32"],
            vec![
                func(0, "i32", ""),
                func(0, "i64", ""),
                func(1, "", "call 1 i32.const 0"),
            ],
        );
        assert!(!DuplicateFunctionElimination.run(&mut m, &PassOptions::default()));
    }
}

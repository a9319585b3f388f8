//! duplicate-function-elimination: functions with the same type, locals and
//! body are interchangeable for direct calls, so `call`s of a duplicate go to
//! the first copy (remove-unused-module-elements then drops the duplicate).
//!
//! Only direct calls are redirected: exports, table entries and `ref.func`
//! keep their function, since a function's identity is observable through
//! them (JS `===`, `ref.eq`).

use crate::bodies::Bodies;
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
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, _opts: &PassOptions) -> bool {
        let nimp = m.num_imported(ExternKind::Func);
        let mut changed = false;
        for _ in 0..MAX_ROUNDS {
            let canon = duplicates(m, bodies, nimp);
            if canon.is_empty() {
                break;
            }
            let round = bodies.rewrite(m, |_, unit| {
                let mut touched = false;
                for ins in unit.func.body.instrs.iter_mut() {
                    if let Instr::Call(c) | Instr::ReturnCall(c) = ins {
                        if let Some(&to) = canon.get(c) {
                            *c = to;
                            touched = true;
                        }
                    }
                }
                // Same instructions but for call indices: offsets no longer
                // describe the bytes exactly; label names still fit.
                if touched {
                    unit.func.body.offsets.clear();
                }
                touched
            });
            if !round {
                break;
            }
            changed = true;
        }
        changed
    }
}

/// A body as compared: its encoding when held encoded (equal instructions
/// encode alike, and a body is held encoded only when its encoding decodes
/// back to it), else its instructions.
#[derive(PartialEq, Eq, Hash)]
enum Body<'a> {
    Bytes(&'a [u8]),
    Instrs(&'a [Instr]),
}

/// Each function (absolute index) identical to an earlier one, with that one.
fn duplicates(m: &Module, bodies: &Bodies, nimp: u32) -> HashMap<u32, u32> {
    let mut first: HashMap<(u32, Vec<ValType>, Body), u32> = HashMap::new();
    let mut canon: HashMap<u32, u32> = HashMap::new();
    for (i, f) in m.funcs.iter().enumerate() {
        let locals: Vec<ValType> = f
            .locals
            .iter()
            .flat_map(|g| std::iter::repeat_n(g.ty, g.count.min(1 << 16) as usize))
            .collect();
        let body = match bodies.bytes(i) {
            Some(b) => Body::Bytes(b),
            None => Body::Instrs(&f.body.instrs),
        };
        let key = (f.type_idx, locals, body);
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
    canon
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

//! dce: removes code that cannot run — everything after an unconditional
//! transfer (`br`, `br_table`, `return`, `unreachable`) up to the end of its
//! block, and everything after a construct that never falls through (an `if`
//! whose arms both end in a transfer, a block that is neither fallen out of
//! nor branched to, a loop whose body never ends).
//!
//! After an unconditional transfer the operand stack is polymorphic, so the
//! shortened block still validates whatever its type.

use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::structure::{targeted_labels, Structure};
use crate::util::for_one_body;
use wtool_ast::{Instr, Module};

/// See the module docs.
pub struct Dce;

impl Pass for Dce {
    fn name(&self) -> &'static str {
        "dce"
    }
    fn description(&self) -> &'static str {
        "remove code after unconditional branches, returns and traps"
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
        for_one_body(m, unit, |_, body| dce(body))
    }
}

fn transfers(ins: &Instr) -> bool {
    matches!(
        ins,
        Instr::Br(_) | Instr::BrTable(_) | Instr::Return | Instr::Unreachable
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Loop,
    If,
}

/// A construct being copied.
struct Frame {
    kind: Kind,
    /// Some branch targets its label.
    targeted: bool,
    /// It has an `else`.
    has_else: bool,
    /// The then-arm can fall through to the `end`.
    then_falls: bool,
}

/// Rewrites `body` in place; returns whether anything was removed.
pub fn dce(body: &mut Vec<Instr>) -> bool {
    let Some(s) = Structure::of(body) else {
        return false;
    };
    let targeted = targeted_labels(body, &s);
    let input = std::mem::take(body);
    let mut out = Vec::with_capacity(input.len());
    let mut frames: Vec<Frame> = Vec::new();
    // True while the current position cannot be reached.
    let mut dead = false;
    // Nesting depth inside a construct that is being dropped whole.
    let mut skip_depth = 0usize;
    // Dead because a construct did not fall through (not because of a
    // transfer instruction): the stack after its `end` is not polymorphic,
    // so removed code is replaced by `unreachable` to keep the frame valid.
    let mut after_construct = false;
    let mut removed_here = false;
    let mut changed = false;
    for (i, ins) in input.into_iter().enumerate() {
        if dead {
            match ins {
                Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                    skip_depth += 1;
                    removed_here = true;
                    continue;
                }
                Instr::End if skip_depth > 0 => {
                    skip_depth -= 1;
                    continue;
                }
                Instr::Else | Instr::End if skip_depth == 0 => {
                    if removed_here && after_construct {
                        out.push(Instr::Unreachable);
                    }
                }
                _ => {
                    removed_here = true;
                    continue;
                }
            }
            changed |= removed_here;
            removed_here = false;
        }
        match ins {
            Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                let kind = match ins {
                    Instr::Loop(_) => Kind::Loop,
                    Instr::If(_) => Kind::If,
                    _ => Kind::Block,
                };
                let has_else = s
                    .else_of
                    .get(i)
                    .is_some_and(|&e| e != crate::structure::NONE);
                frames.push(Frame {
                    kind,
                    targeted: targeted[i],
                    has_else,
                    then_falls: true,
                });
            }
            Instr::Else => {
                if let Some(f) = frames.last_mut() {
                    f.then_falls = !dead;
                }
                // The else-arm is entered from the condition.
                dead = false;
            }
            Instr::End => {
                let falls = !dead;
                after_construct = true;
                dead = match frames.pop() {
                    None => false,
                    Some(f) => !match f.kind {
                        Kind::Loop => falls,
                        Kind::Block => falls || f.targeted,
                        Kind::If => falls || f.targeted || !f.has_else || f.then_falls,
                    },
                };
            }
            _ => {
                dead = transfers(&ins);
                after_construct = false;
            }
        }
        out.push(ins);
    }
    *body = out;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on};

    #[test]
    fn after_br_and_return() {
        let out = run_on(
            &mut Dce,
            "-> i32",
            "",
            "block br 0 i32.const 1 drop end i32.const 7 return i32.const 8 nop",
        );
        assert_eq!(out, ins("block br 0 end i32.const 7 return"));
    }

    #[test]
    fn nested_constructs_removed_whole() {
        let out = run_on(
            &mut Dce,
            "",
            "",
            "unreachable block loop br 0 end if else end end nop",
        );
        assert_eq!(out, ins("unreachable"));
    }

    #[test]
    fn if_with_both_arms_transferring() {
        let out = run_on(
            &mut Dce,
            "i32",
            "",
            "local.get 0 if return else unreachable end nop nop",
        );
        assert_eq!(
            out,
            ins("local.get 0 if return else unreachable end unreachable")
        );
        // A targeted if, or one without else, falls through.
        let out = run_on(&mut Dce, "i32", "", "local.get 0 if return end nop");
        assert_eq!(out, ins("local.get 0 if return end nop"));
        let out = run_on(
            &mut Dce,
            "i32",
            "",
            "local.get 0 if br 0 else return end nop",
        );
        assert_eq!(out, ins("local.get 0 if br 0 else return end nop"));
    }

    #[test]
    fn loops_and_blocks() {
        // A loop that only branches back never falls out.
        let out = run_on(&mut Dce, "", "", "loop br 0 end nop nop");
        assert_eq!(out, ins("loop br 0 end unreachable"));
        // A block that is branched to is reachable after its end.
        let out = run_on(&mut Dce, "", "", "block br 0 end nop");
        assert_eq!(out, ins("block br 0 end nop"));
        let out = run_on(&mut Dce, "", "", "block unreachable end nop");
        assert_eq!(out, ins("block unreachable end unreachable"));
        // The stack after a non-falling block is not polymorphic: what is
        // removed after it becomes `unreachable`, so the frame still types.
        let out = run_on(
            &mut Dce,
            "",
            "",
            "loop:f64 i64.const 1 block br 2 end f64.const 1 end drop",
        );
        assert_eq!(
            out,
            ins("loop:f64 i64.const 1 block br 2 end unreachable end unreachable")
        );
        // br_if is conditional.
        let out = run_on(&mut Dce, "i32", "", "block local.get 0 br_if 0 nop end");
        assert_eq!(out, ins("block local.get 0 br_if 0 nop end"));
    }

    #[test]
    fn else_arm_is_live_after_dead_then() {
        let out = run_on(
            &mut Dce,
            "i32 -> i32",
            "",
            "local.get 0 if:i32 unreachable nop else i32.const 1 end",
        );
        assert_eq!(
            out,
            ins("local.get 0 if:i32 unreachable else i32.const 1 end")
        );
    }
}

//! The top-level items of a frame (a block, loop or `if` arm body) and the
//! operand stack height before each, for passes that move whole runs of
//! instructions between frames.
//!
//! An item is one instruction, or a whole `block`/`loop`/`if` construct from
//! its opener to its `end`. Heights are relative to the frame's base and are
//! unknown (`None`) after an unconditional transfer, where the stack is
//! polymorphic.

use crate::analysis::stack::stack_effect;
use crate::structure::{Structure, Target, NONE};
use wtool_ast::{BlockType, Instr, Module, ValType};

/// `(params, results)` of a block type; `None` for an unknown type index.
pub fn block_arity(bt: &BlockType, m: &Module) -> Option<(u32, u32)> {
    Some(match bt {
        BlockType::Empty => (0, 0),
        BlockType::Value(_) => (0, 1),
        BlockType::Func(t) => {
            let ft = m.func_type(*t)?;
            (ft.params.len() as u32, ft.results.len() as u32)
        }
    })
}

/// One item of a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// Index of its first instruction.
    pub start: usize,
    /// Index just past its last instruction (past the `end` of a construct).
    pub next: usize,
    /// Operand stack height before it, relative to the frame's base; `None`
    /// when unknown (after a transfer, or after an instruction whose effect
    /// could not be read).
    pub height: Option<u32>,
    /// Values it consumes and produces (`None` when unknown).
    pub effect: Option<(u32, u32)>,
    /// It never falls through (`br`, `br_table`, `return`, `unreachable`).
    pub transfers: bool,
}

/// An item's effect, the index after it, and whether it transfers.
type ItemAt = (Option<(u32, u32)>, usize, bool);

/// What a body's passes need to walk frames.
pub struct Frames<'a> {
    /// The body.
    pub instrs: &'a [Instr],
    /// Its structure.
    pub s: &'a Structure,
    /// The module (block types, callee types).
    pub m: &'a Module,
    /// Parameter and local types.
    pub locals: &'a [ValType],
}

impl Frames<'_> {
    /// How many values a branch to `t` carries; `None` for the function's own
    /// label (its result count is not at hand) or unknown types.
    pub fn label_arity(&self, t: Target) -> Option<u32> {
        let Target::Opener(o) = t else {
            return None;
        };
        let ins = self.instrs.get(o as usize)?;
        let (Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt)) = ins else {
            return None;
        };
        let (p, r) = block_arity(bt, self.m)?;
        Some(if matches!(ins, Instr::Loop(_)) { p } else { r })
    }

    /// The effect of the item starting at `i`, where it ends and whether it
    /// transfers; `None` at `else`/`end` (no item starts there).
    fn item_at(&self, i: usize) -> Option<ItemAt> {
        let ins = self.instrs.get(i)?;
        Some(match ins {
            Instr::Else | Instr::End => return None,
            Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                let end = self.s.end_of[i];
                if end == NONE {
                    return None;
                }
                let eff = block_arity(bt, self.m)
                    .map(|(p, r)| (p + u32::from(matches!(ins, Instr::If(_))), r));
                (eff, end as usize + 1, false)
            }
            Instr::Br(_) | Instr::BrTable(_) | Instr::Return | Instr::Unreachable => {
                (None, i + 1, true)
            }
            Instr::BrIf(d) => {
                let eff = self
                    .s
                    .target(i, *d)
                    .and_then(|t| self.label_arity(t))
                    .map(|a| (a + 1, a));
                (eff, i + 1, false)
            }
            _ => (stack_effect(ins, self.m, self.locals), i + 1, false),
        })
    }

    /// The items of the frame whose body starts at `start` (the index after
    /// an opener or an `else`), up to its `else` or `end`.
    pub fn items(&self, start: usize) -> Vec<Item> {
        let mut out = Vec::new();
        let mut h = Some(0u32);
        let mut i = start;
        while let Some((effect, next, transfers)) = self.item_at(i) {
            out.push(Item {
                start: i,
                next,
                height: h,
                effect,
                transfers,
            });
            h = match (h, effect) {
                (Some(h), Some((p, r))) if !transfers => h.checked_sub(p).map(|x| x + r),
                _ => None,
            };
            i = next;
        }
        out
    }

    /// The stack height after all of `items` (`None` when unknown or when
    /// the frame ends in a transfer).
    pub fn height_after(items: &[Item]) -> Option<u32> {
        match items.last() {
            None => Some(0),
            Some(it) if it.transfers => None,
            Some(it) => {
                let (p, r) = it.effect?;
                it.height?.checked_sub(p).map(|x| x + r)
            }
        }
    }

    /// The index where the body of the frame holding instruction `i` starts.
    pub fn frame_start(&self, i: usize) -> usize {
        let f = self.s.frame_of(i);
        if f == NONE {
            return 0;
        }
        let e = self.s.else_of[f as usize];
        if e != NONE && (i as u32) > e {
            e as usize + 1
        } else {
            f as usize + 1
        }
    }

    /// Whether every branch in `range` lands inside `range` (a construct
    /// opened there) or on a label for which `outside_ok` answers true.
    pub fn branches_stay(
        &self,
        range: std::ops::Range<usize>,
        outside_ok: impl Fn(Target) -> bool,
    ) -> bool {
        for i in range.clone() {
            for d in crate::structure::branch_depths(&self.instrs[i]) {
                match self.s.target(i, d) {
                    Some(Target::Opener(o)) if range.contains(&(o as usize)) => {}
                    Some(t) if outside_ok(t) => {}
                    _ => return false,
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, module};

    #[test]
    fn items_and_heights() {
        let m = module(&["i32 -> i32"], vec![]);
        let body = ins("i32.const 1 block:i32 i32.const 2 end i32.add br 0 nop");
        let s = Structure::of(&body).unwrap();
        let f = Frames {
            instrs: &body,
            s: &s,
            m: &m,
            locals: &[ValType::I32],
        };
        let items = f.items(0);
        let starts: Vec<usize> = items.iter().map(|it| it.start).collect();
        assert_eq!(starts, vec![0, 1, 4, 5, 6]);
        let heights: Vec<Option<u32>> = items.iter().map(|it| it.height).collect();
        assert_eq!(heights, vec![Some(0), Some(1), Some(2), Some(1), None]);
        assert!(items[3].transfers);
        assert_eq!(Frames::height_after(&items[..3]), Some(1));
        assert_eq!(Frames::height_after(&items[..4]), None);
        assert_eq!(f.frame_start(2), 2);
        assert!(f.branches_stay(1..4, |_| false));
        assert!(!f.branches_stay(5..6, |_| false));
        assert!(f.branches_stay(5..6, |t| t == Target::Func));
    }
}

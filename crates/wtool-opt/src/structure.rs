//! The block structure of a flat instruction vector.
//!
//! A body is a `Vec<Instr>` with `block`/`loop`/`if` … `else` … `end`
//! markers. Passes need to know where each construct ends and where a branch
//! goes; [`Structure::of`] computes that once with an explicit stack (never
//! native recursion, since nesting depth comes from the input).

use wtool_ast::Instr;

/// Marker for "no such index" in the tables below.
pub const NONE: u32 = u32::MAX;

/// Where a branch lands, as the opener that owns its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// The function's own label (`br` to it returns).
    Func,
    /// The label of the `block`/`loop`/`if` at this instruction index.
    Opener(u32),
}

/// Block extents of one body.
#[derive(Clone, Debug, Default)]
pub struct Structure {
    /// For an opener: the index of its `end`; for `else`: the index of its `end`; else [`NONE`].
    pub end_of: Vec<u32>,
    /// For an `if`: the index of its `else`, or [`NONE`].
    pub else_of: Vec<u32>,
    /// The innermost opener enclosing each instruction ([`NONE`] at function level).
    /// An opener's own entry is its parent; an `else`/`end` belongs to its opener's frame.
    pub parent: Vec<u32>,
}

/// True for instructions whose control flow the passes do not model
/// (exception handlers, throws, tail calls, branches on references): a body
/// holding one is left as it is (`Structure::of` answers `None` and
/// `for_each_body` skips it), which keeps such functions correct.
pub fn is_opaque(ins: &Instr) -> bool {
    matches!(
        ins,
        Instr::TryTable(_)
            | Instr::Try(_)
            | Instr::Catch(_)
            | Instr::CatchAll
            | Instr::Delegate(_)
            | Instr::Rethrow(_)
            | Instr::Throw(_)
            | Instr::ThrowRef
            | Instr::ReturnCall(_)
            | Instr::ReturnCallIndirect { .. }
            | Instr::ReturnCallRef(_)
            | Instr::BrOnNull(_)
            | Instr::BrOnNonNull(_)
            | Instr::BrOnCast(_)
            | Instr::BrOnCastFail(_)
            | Instr::BrOnCastDescEq(_)
            | Instr::BrOnCastDescEqFail(_)
    )
}

impl Structure {
    /// Computes the structure; `None` if the markers do not balance (the last
    /// `end` closes the function and must be the last instruction) or the
    /// body holds an instruction the passes do not model ([`is_opaque`]).
    pub fn of(instrs: &[Instr]) -> Option<Structure> {
        let n = instrs.len();
        if n == 0 || u32::try_from(n).is_err() || instrs.iter().any(is_opaque) {
            return None;
        }
        let mut s = Structure {
            end_of: vec![NONE; n],
            else_of: vec![NONE; n],
            parent: vec![NONE; n],
        };
        let mut stack: Vec<u32> = Vec::new();
        let mut closed = false;
        for (i, ins) in instrs.iter().enumerate() {
            let top = stack.last().copied().unwrap_or(NONE);
            match ins {
                Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                    s.parent[i] = top;
                    stack.push(i as u32);
                }
                Instr::Else => {
                    let o = *stack.last()?;
                    if !matches!(instrs.get(o as usize), Some(Instr::If(_)))
                        || s.else_of[o as usize] != NONE
                    {
                        return None;
                    }
                    s.else_of[o as usize] = i as u32;
                    s.parent[i] = o;
                }
                Instr::End => match stack.pop() {
                    Some(o) => {
                        s.end_of[o as usize] = i as u32;
                        let e = s.else_of[o as usize];
                        if e != NONE {
                            s.end_of[e as usize] = i as u32;
                        }
                        s.parent[i] = o;
                    }
                    None => {
                        if i + 1 != n {
                            return None;
                        }
                        closed = true;
                        s.parent[i] = NONE;
                    }
                },
                _ => s.parent[i] = top,
            }
        }
        if !stack.is_empty() || !closed {
            return None;
        }
        Some(s)
    }

    /// The frame an instruction sits in: its innermost enclosing opener, or [`NONE`].
    /// For `else` and `end` this is the opener they belong to.
    #[inline]
    pub fn frame_of(&self, i: usize) -> u32 {
        self.parent.get(i).copied().unwrap_or(NONE)
    }

    /// Where a branch of relative `depth` at instruction `i` lands (`None` if
    /// the depth leaves the function).
    pub fn target(&self, i: usize, depth: u32) -> Option<Target> {
        let mut f = self.frame_of(i);
        for _ in 0..depth {
            if f == NONE {
                return None;
            }
            f = self.parent[f as usize];
        }
        Some(if f == NONE {
            Target::Func
        } else {
            Target::Opener(f)
        })
    }

    /// How many frames enclose instruction `i` (0 at function level).
    pub fn depth_of(&self, i: usize) -> u32 {
        let mut d = 0;
        let mut f = self.frame_of(i);
        while f != NONE {
            d += 1;
            f = self.parent[f as usize];
        }
        d
    }
}

/// The relative branch depths an instruction carries (`br`, `br_if`, `br_table`).
pub fn branch_depths(ins: &Instr) -> Vec<u32> {
    match ins {
        Instr::Br(d) | Instr::BrIf(d) => vec![*d],
        Instr::BrTable(t) => t
            .targets
            .iter()
            .copied()
            .chain(std::iter::once(t.default))
            .collect(),
        _ => Vec::new(),
    }
}

/// For every opener, whether some branch targets its label.
pub fn targeted_labels(instrs: &[Instr], s: &Structure) -> Vec<bool> {
    let mut used = vec![false; instrs.len()];
    for (i, ins) in instrs.iter().enumerate() {
        for d in branch_depths(ins) {
            if let Some(Target::Opener(o)) = s.target(i, d) {
                used[o as usize] = true;
            }
        }
    }
    used
}

/// A body whose branches name their target opener by a stable id instead of
/// a relative depth, so instructions can be moved or block markers removed
/// without recounting by hand. [`Body::relativize`] turns it back.
#[derive(Clone, Debug)]
pub struct Body {
    /// The instructions; branch immediates hold label ids (see [`Body::ids`]).
    pub instrs: Vec<Instr>,
    /// For each opener, its label id (its original index); [`NONE`] for others.
    pub ids: Vec<u32>,
}

/// The label id that stands for the function's own label.
pub const FUNC_LABEL: u32 = u32::MAX - 1;

impl Body {
    /// Converts relative depths to label ids; `None` for unbalanced bodies or
    /// branches that leave the function.
    pub fn absolutize(instrs: Vec<Instr>) -> Option<Body> {
        let s = Structure::of(&instrs)?;
        let id = |i: usize, d: u32| -> Option<u32> {
            Some(match s.target(i, d)? {
                Target::Func => FUNC_LABEL,
                Target::Opener(o) => o,
            })
        };
        let mut out = Vec::with_capacity(instrs.len());
        let mut ids = Vec::with_capacity(instrs.len());
        for (i, ins) in instrs.into_iter().enumerate() {
            let new = match ins {
                Instr::Br(d) => Instr::Br(id(i, d)?),
                Instr::BrIf(d) => Instr::BrIf(id(i, d)?),
                Instr::BrTable(mut t) => {
                    for x in t.targets.iter_mut() {
                        *x = id(i, *x)?;
                    }
                    t.default = id(i, t.default)?;
                    Instr::BrTable(t)
                }
                other => other,
            };
            ids.push(if new.opens_block() { i as u32 } else { NONE });
            out.push(new);
        }
        Some(Body { instrs: out, ids })
    }

    /// [`Body::relativize`] into `body`, which is left as it was when that
    /// fails; whether it was replaced (what a pass reports as changed).
    pub fn relativize_into(self, body: &mut Vec<Instr>) -> bool {
        match self.relativize() {
            Some(v) => {
                *body = v;
                true
            }
            None => false,
        }
    }

    /// Converts label ids back to relative depths; `None` if a branch names a
    /// label that is no longer open around it (a pass bug, so callers keep the original).
    pub fn relativize(self) -> Option<Vec<Instr>> {
        let mut stack: Vec<u32> = Vec::new();
        let depth = |stack: &Vec<u32>, id: u32| -> Option<u32> {
            if id == FUNC_LABEL {
                return u32::try_from(stack.len()).ok();
            }
            stack.iter().rev().position(|&x| x == id).map(|p| p as u32)
        };
        let mut out = Vec::with_capacity(self.instrs.len());
        for (ins, id) in self.instrs.into_iter().zip(self.ids) {
            let new = match ins {
                Instr::Br(l) => Instr::Br(depth(&stack, l)?),
                Instr::BrIf(l) => Instr::BrIf(depth(&stack, l)?),
                Instr::BrTable(mut t) => {
                    for x in t.targets.iter_mut() {
                        *x = depth(&stack, *x)?;
                    }
                    t.default = depth(&stack, t.default)?;
                    Instr::BrTable(t)
                }
                other => other,
            };
            if new.opens_block() {
                stack.push(id);
            } else if matches!(new, Instr::End) {
                stack.pop();
            }
            out.push(new);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::BlockType;

    #[test]
    fn extents_and_targets() {
        use Instr::*;
        let b = vec![
            Block(BlockType::Empty), // 0
            Loop(BlockType::Empty),  // 1
            I32Const(1),             // 2
            If(BlockType::Empty),    // 3
            Br(2),                   // 4
            Else,                    // 5
            Br(1),                   // 6
            End,                     // 7
            End,                     // 8
            End,                     // 9
            End,                     // 10
        ];
        let s = Structure::of(&b).unwrap();
        assert_eq!(s.end_of[0], 9);
        assert_eq!(s.end_of[1], 8);
        assert_eq!(s.end_of[3], 7);
        assert_eq!(s.else_of[3], 5);
        assert_eq!(s.target(4, 2), Some(Target::Opener(0)));
        assert_eq!(s.target(6, 1), Some(Target::Opener(1)));
        assert_eq!(s.target(4, 3), Some(Target::Func));
        assert_eq!(s.target(4, 4), None);
        let used = targeted_labels(&b, &s);
        assert!(used[0] && used[1] && !used[3]);
        let body = Body::absolutize(b.clone()).unwrap();
        assert_eq!(body.relativize().unwrap(), b);
    }

    #[test]
    fn unbalanced_is_rejected() {
        use Instr::*;
        assert!(Structure::of(&[Block(BlockType::Empty), End]).is_none());
        assert!(Structure::of(&[End, End]).is_none());
        assert!(Structure::of(&[Else, End]).is_none());
        assert!(Structure::of(&[]).is_none());
    }

    #[test]
    fn unmodelled_control_is_left_alone() {
        use Instr::*;
        assert!(Structure::of(&[Nop, End]).is_some());
        for op in [ReturnCall(0), Throw(0), ThrowRef, BrOnNull(0), Rethrow(0)] {
            assert!(Structure::of(&[op.clone(), End]).is_none(), "{op:?}");
        }
        let mut m = wtool_ast::Module {
            types: vec![wtool_ast::TypeDef::func(wtool_ast::FuncType::default())],
            funcs: vec![wtool_ast::Func {
                body: wtool_ast::Expr::new(vec![Nop, ReturnCall(0), End]),
                ..Default::default()
            }],
            ..Default::default()
        };
        let seen = std::sync::atomic::AtomicUsize::new(0);
        let mut bodies = crate::Bodies::open(&m, wtool_ast::Features::default());
        crate::util::for_each_body(&mut m, &mut bodies, |_, _| {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            true
        });
        assert_eq!(seen.into_inner(), 0);
    }
}

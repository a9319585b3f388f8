//! precompute: constant folding and propagation.
//!
//! * Table-driven ops whose operands are constants are evaluated with
//!   [`crate::fold::eval`], which only answers when the result is exact (no
//!   trap, no NaN whose payload engines may choose): anything else stays.
//! * `local.get` of a local whose value is a known constant within the same
//!   straight-line region (no label in between) becomes that constant; so
//!   does every read of a local written exactly once, with a constant, that
//!   the write dominates (after it in its own block arm).
//! * `global.get` of an immutable, module-defined global with a constant
//!   initializer becomes the constant.
//! * `select` on three constants picks its operand.

use crate::fold::{eval, Val};
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::for_one_body;
use std::collections::HashMap;
use wtool_ast::{ExternKind, Instr, Module};

/// See the module docs.
#[derive(Default)]
pub struct Precompute {
    /// Immutable defined globals with a constant initializer, by index
    /// (set by [`Pass::begin`]).
    const_globals: HashMap<u32, Val>,
}

impl Pass for Precompute {
    fn name(&self) -> &'static str {
        "precompute"
    }
    fn description(&self) -> &'static str {
        "fold constant expressions exactly and propagate constants through locals and immutable globals"
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
    fn begin(&mut self, m: &Module, _opts: &PassOptions) {
        let nig = m.num_imported(ExternKind::Global);
        self.const_globals = m
            .globals
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.ty.mutable)
            .filter_map(|(i, g)| match g.init.instrs.as_slice() {
                [c, Instr::End] => Val::of_const(c).map(|v| (nig + i as u32, v)),
                _ => None,
            })
            .collect();
    }
    fn run_function(&self, m: &Module, unit: &mut FuncUnit, _opts: &PassOptions) -> bool {
        let const_globals = &self.const_globals;
        for_one_body(m, unit, |ctx, body| {
            let a = fold_body(body, const_globals);
            let b = propagate_single_defs(body, ctx.locals.len());
            // Folding what the propagation exposed.
            let c = b && fold_body(body, const_globals);
            a || b || c
        })
    }
}

/// Replaces reads of locals written once, with a constant, by that constant
/// wherever the write dominates the read: after it, up to the end of its
/// block, loop body or `if` arm. (Reads elsewhere see the initial value or
/// come from paths that skip the write, and stay.)
pub fn propagate_single_defs(body: &mut [Instr], num_locals: usize) -> bool {
    let mut writes = vec![0u32; num_locals];
    let mut def_at = vec![usize::MAX; num_locals];
    for (i, ins) in body.iter().enumerate() {
        if let Instr::LocalSet(x) | Instr::LocalTee(x) = ins {
            if let Some(w) = writes.get_mut(*x as usize) {
                *w = w.saturating_add(1);
                def_at[*x as usize] = i;
            }
        }
    }
    let Some(s) = crate::structure::Structure::of(body) else {
        return false;
    };
    let n = body.len();
    let mut changed = false;
    for x in 0..num_locals {
        let p = def_at[x];
        if writes[x] != 1 || p == 0 {
            continue;
        }
        let Some(v) = Val::of_const(&body[p - 1]) else {
            continue;
        };
        let f = s.frame_of(p);
        let end = if f == crate::structure::NONE {
            n
        } else {
            let e = s.else_of[f as usize];
            if e != crate::structure::NONE && p < e as usize {
                e as usize
            } else {
                s.end_of[f as usize] as usize
            }
        };
        for ins in body[p + 1..end].iter_mut() {
            if *ins == Instr::LocalGet(x as u32) {
                *ins = v.const_instr();
                changed = true;
            }
        }
    }
    changed
}

/// Folds one body; returns whether it changed.
pub fn fold_body(body: &mut Vec<Instr>, const_globals: &HashMap<u32, Val>) -> bool {
    let input = std::mem::take(body);
    let mut out: Vec<Instr> = Vec::with_capacity(input.len());
    // Known constant values of locals since the last label.
    let mut known: HashMap<u32, Val> = HashMap::new();
    let mut changed = false;
    let top_vals = |out: &[Instr], k: usize| -> Option<Vec<Val>> {
        let start = out.len().checked_sub(k)?;
        out[start..].iter().map(Val::of_const).collect()
    };
    for ins in input {
        match &ins {
            // Merge points and arms: what was known no longer holds for every path.
            Instr::Loop(_) | Instr::Else | Instr::End | Instr::If(_) | Instr::Block(_) => {
                if matches!(ins, Instr::Loop(_) | Instr::Else | Instr::End) {
                    known.clear();
                }
            }
            Instr::Plain(op) | Instr::Lane(op, _) => {
                let lane = match &ins {
                    Instr::Lane(_, l) => Some(*l),
                    _ => None,
                };
                let arity = op.info().params.len();
                if arity > 0 && op.info().results.len() == 1 {
                    if let Some(v) = top_vals(&out, arity).and_then(|args| eval(*op, &args, lane)) {
                        out.truncate(out.len() - arity);
                        out.push(v.const_instr());
                        changed = true;
                        continue;
                    }
                }
            }
            Instr::Select | Instr::SelectT(_) => {
                if let Some(args) = top_vals(&out, 3) {
                    if let Val::I32(c) = args[2] {
                        let pick = if c != 0 { args[0] } else { args[1] };
                        out.truncate(out.len() - 3);
                        out.push(pick.const_instr());
                        changed = true;
                        continue;
                    }
                }
            }
            Instr::LocalGet(x) => {
                if let Some(v) = known.get(x) {
                    out.push(v.const_instr());
                    changed = true;
                    continue;
                }
            }
            Instr::LocalSet(x) | Instr::LocalTee(x) => match out.last().and_then(Val::of_const) {
                Some(v) => {
                    known.insert(*x, v);
                }
                None => {
                    known.remove(x);
                }
            },
            Instr::GlobalGet(g) => {
                if let Some(v) = const_globals.get(g) {
                    out.push(v.const_instr());
                    changed = true;
                    continue;
                }
            }
            _ => {}
        }
        out.push(ins);
    }
    *body = out;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{func, ins, module, run_on};
    use wtool_ast::{Global, GlobalType, ValType};

    #[test]
    fn folds_chains() {
        let out = run_on(
            &mut Precompute::default(),
            "-> i32",
            "",
            "i32.const 2 i32.const 3 i32.mul i32.const 1 i32.add i32.eqz",
        );
        assert_eq!(out, ins("i32.const 0"));
    }

    #[test]
    fn keeps_traps() {
        let f = "i32.const 1 i32.const 0 i32.div_u";
        assert_eq!(run_on(&mut Precompute::default(), "-> i32", "", f), ins(f));
        let f = "f32.const 3e9 i32.trunc_f32_s";
        assert_eq!(run_on(&mut Precompute::default(), "-> i32", "", f), ins(f));
        let f = "f32.bits 7fc00000 f32.const 1 f32.add";
        assert_eq!(run_on(&mut Precompute::default(), "-> f32", "", f), ins(f));
    }

    #[test]
    fn propagates_through_locals_in_straight_line() {
        let f = "i32.const 5 local.set 0 local.get 0 local.get 0 i32.add";
        assert_eq!(
            run_on(&mut Precompute::default(), "-> i32", "i32", f),
            ins("i32.const 5 local.set 0 i32.const 10")
        );
        // Not across a loop header, and not after a non-constant write.
        let f = "i32.const 5 local.set 0 loop local.get 0 drop i32.const 6 local.set 0 end";
        assert_eq!(run_on(&mut Precompute::default(), "", "i32", f), ins(f));
        let f = "i32.const 5 local.set 1 local.get 0 local.set 1 local.get 1";
        assert_eq!(
            run_on(&mut Precompute::default(), "i32 -> i32", "i32", f),
            ins(f)
        );
        // Into a block (entered only from above) it does flow, and the single
        // write dominates the read after the block too.
        let f = "i32.const 5 local.tee 0 drop block local.get 0 drop end local.get 0";
        assert_eq!(
            run_on(&mut Precompute::default(), "-> i32", "i32", f),
            ins("i32.const 5 local.tee 0 drop block i32.const 5 drop end i32.const 5")
        );
    }

    #[test]
    fn single_constant_definitions_reach_dominated_reads() {
        let f = "local.get 1 drop i32.const 4 local.set 1 block loop local.get 1 drop end end local.get 0 \
                 if local.get 1 drop else local.get 1 drop end local.get 1";
        assert_eq!(
            run_on(&mut Precompute::default(), "i32 -> i32", "i32", f),
            ins("local.get 1 drop i32.const 4 local.set 1 block loop i32.const 4 drop end end local.get 0 \
                 if i32.const 4 drop else i32.const 4 drop end i32.const 4")
        );
        // Inside an if arm the write does not reach the other arm or past the if.
        let f = "local.get 0 if i32.const 4 local.set 1 local.get 1 drop else local.get 1 drop end local.get 1";
        assert_eq!(
            run_on(&mut Precompute::default(), "i32 -> i32", "i32", f),
            ins("local.get 0 if i32.const 4 local.set 1 i32.const 4 drop else local.get 1 drop end local.get 1")
        );
        // Two writes: nothing is known across blocks.
        let f = "i32.const 4 local.set 1 loop local.get 1 drop i32.const 5 local.set 1 end";
        assert_eq!(run_on(&mut Precompute::default(), "", "i32", f), ins(f));
        // Straight-line knowledge still flows into a block.
        let f = "i32.const 4 local.set 1 block local.get 1 drop end i32.const 5 local.set 1";
        assert_eq!(
            run_on(&mut Precompute::default(), "", "i32", f),
            ins("i32.const 4 local.set 1 block i32.const 4 drop end i32.const 5 local.set 1")
        );
    }

    #[test]
    fn immutable_globals_and_select() {
        let mut m = module(
            &["-> i32"],
            vec![func(0, "", "global.get 0 global.get 1 i32.const 1 select")],
        );
        m.globals = vec![
            Global {
                ty: GlobalType {
                    ty: ValType::I32,
                    mutable: false,
                },
                init: wtool_ast::Expr::new(ins("i32.const 9")),
            },
            Global {
                ty: GlobalType {
                    ty: ValType::I32,
                    mutable: true,
                },
                init: wtool_ast::Expr::new(ins("i32.const 4")),
            },
        ];
        Precompute::default().run(&mut m, &PassOptions::default());
        assert_eq!(
            m.funcs[0].body.instrs,
            ins("i32.const 9 global.get 1 i32.const 1 select")
        );
    }
}

//! The result half of dae: a function whose every call drops its result
//! (`call f drop` everywhere, and nothing but direct calls names it) loses
//! the result. The function drops the value itself instead, once, and every
//! call site loses its `drop`; vacuum then removes the computation when it
//! was pure.
//!
//! The callee's body gets a `drop` before its final `end`. When it leaves
//! through `return` or a branch to its own label, the body goes into a
//! `block` of the old result type first (branches to the function's label
//! then land on it; each `return` becomes a `br` to it), and the `drop`
//! follows that block. Done only when the call sites' `drop`s outnumber the
//! bytes added.
//!
//! Exact: the callee computes the same value with the same effects; only
//! who discards it changes.

use crate::bodies::Bodies;
use crate::passes::dead_arguments::type_index;
use crate::structure::{branch_depths, Structure, Target};
use crate::util::referenced_otherwise;
use wtool_ast::{BlockType, ExternKind, FuncType, Instr, Module};

/// Removes results every caller drops; returns whether anything changed.
pub fn remove_dropped_results(m: &mut Module, bodies: &mut Bodies) -> bool {
    let nimp = m.num_imported(ExternKind::Func) as usize;
    let total = nimp + m.funcs.len();
    let referenced = referenced_otherwise(m, bodies);
    // Per function: call sites, and whether each is followed by `drop`.
    let mut sites = vec![0usize; total];
    let mut all_dropped = vec![true; total];
    bodies.scan(m, |_, b| {
        for (k, ins) in b.iter().enumerate() {
            if let Instr::Call(c) = ins {
                let c = *c as usize;
                if c < total {
                    sites[c] += 1;
                    all_dropped[c] &= b.get(k + 1) == Some(&Instr::Drop);
                }
            }
        }
    });
    let mut changed_funcs: Vec<usize> = Vec::new();
    for def in 0..m.funcs.len() {
        let abs = nimp + def;
        if referenced[abs] || sites[abs] == 0 || !all_dropped[abs] {
            continue;
        }
        let Some(ty) = m.func_type(m.funcs[def].type_idx).cloned() else {
            continue;
        };
        let [t] = ty.results.as_ref() else { continue };
        let body = bodies.get(m, def);
        let body = &body[..];
        let Some(s) = Structure::of(body) else {
            continue;
        };
        let returns = body.iter().filter(|x| matches!(x, Instr::Return)).count();
        let leaves = body.iter().enumerate().any(|(k, x)| {
            branch_depths(x)
                .into_iter()
                .any(|d| s.target(k, d) == Some(Target::Func))
        });
        let wrap = returns > 0 || leaves;
        let cost = if wrap { 4 + returns } else { 1 };
        if sites[abs] <= cost {
            continue;
        }
        let mut out = Vec::with_capacity(body.len() + 3);
        if wrap {
            out.push(Instr::Block(BlockType::Value(*t)));
            for (k, x) in body[..body.len() - 1].iter().enumerate() {
                out.push(match x {
                    Instr::Return => Instr::Br(s.depth_of(k)),
                    other => other.clone(),
                });
            }
            out.push(Instr::End);
        } else {
            out.extend_from_slice(&body[..body.len() - 1]);
        }
        out.push(Instr::Drop);
        out.push(Instr::End);
        let new_ty = type_index(m, FuncType::new(ty.params.to_vec(), Vec::new()));
        m.funcs[def].type_idx = new_ty;
        bodies.replace(m, def, out);
        crate::util::drop_label_names(m, abs as u32);
        changed_funcs.push(abs);
    }
    if changed_funcs.is_empty() {
        return false;
    }
    let mut gone = vec![false; total];
    for &f in &changed_funcs {
        gone[f] = true;
    }
    bodies.rewrite(m, |_, unit| {
        let f = &mut unit.func;
        let b = &f.body.instrs;
        let calls_gone = b
            .iter()
            .any(|x| matches!(x, Instr::Call(c) if gone.get(*c as usize) == Some(&true)));
        if !calls_gone {
            return false;
        }
        let input = std::mem::take(&mut f.body.instrs);
        let mut skip_drop = false;
        for x in input {
            if skip_drop && x == Instr::Drop {
                skip_drop = false;
                continue;
            }
            skip_drop = matches!(x, Instr::Call(c) if gone.get(c as usize) == Some(&true));
            f.body.instrs.push(x);
        }
        // Instruction offsets no longer line up; labels are unchanged.
        f.body.offsets.clear();
        true
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, func, ins, module};

    /// [`remove_dropped_results`] with the bodies held encoded.
    fn drop_results(m: &mut Module) -> bool {
        let mut bodies = Bodies::pack(m, wtool_ast::Features::default(), None);
        let changed = remove_dropped_results(m, &mut bodies);
        bodies.open_all(m);
        changed
    }

    #[test]
    fn dropped_results_go() {
        let mut m = module(
            &["i32 -> i32", "i32"],
            vec![
                func(
                    1,
                    "",
                    "local.get 0 call 1 drop local.get 0 call 1 drop local.get 0 call 1 drop \
                     local.get 0 call 2 drop local.get 0 call 2 drop local.get 0 call 2 drop \
                     local.get 0 call 2 drop local.get 0 call 2 drop local.get 0 call 2 drop",
                ),
                func(0, "", "local.get 0 i32.const 1 i32.add"),
                func(0, "", "local.get 0 if i32.const 1 return end i32.const 2"),
            ],
        );
        m.exports.retain(|e| e.index == 0);
        assert!(drop_results(&mut m));
        assert_valid(&m);
        assert_eq!(
            m.funcs[0].body.instrs,
            ins("local.get 0 call 1 local.get 0 call 1 local.get 0 call 1 \
                 local.get 0 call 2 local.get 0 call 2 local.get 0 call 2 \
                 local.get 0 call 2 local.get 0 call 2 local.get 0 call 2")
        );
        assert_eq!(
            m.funcs[1].body.instrs,
            ins("local.get 0 i32.const 1 i32.add drop")
        );
        assert_eq!(
            m.funcs[2].body.instrs,
            ins("block:i32 local.get 0 if i32.const 1 br 1 end i32.const 2 end drop")
        );
    }

    #[test]
    fn used_or_exported_results_stay() {
        let mut m = module(
            &["i32 -> i32", "i32"],
            vec![
                func(
                    1,
                    "",
                    "local.get 0 call 1 drop local.get 0 call 1 drop local.get 0 call 1 local.set 0",
                ),
                func(0, "", "local.get 0 i32.const 1 i32.add"),
            ],
        );
        // f1 is exported by `module` and one call uses the value.
        assert!(!drop_results(&mut m));
        m.exports.retain(|e| e.index == 0);
        assert!(!drop_results(&mut m));
    }
}

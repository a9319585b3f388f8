//! remove-unused-locals: a local that is never read has its writes turned
//! into `drop`s (`local.tee` simply disappears), and declared locals that no
//! instruction names any more are removed; the rest are renumbered and
//! regrouped (local names follow).

use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::renumber_locals;
use wtool_ast::{Instr, Module};

/// See the module docs.
pub struct RemoveUnusedLocals;

impl Pass for RemoveUnusedLocals {
    fn name(&self) -> &'static str {
        "remove-unused-locals"
    }
    fn description(&self) -> &'static str {
        "drop writes to never-read locals and remove locals nothing names"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            changes_locals: true,
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
        let mut changed = false;
        let Some(types) = crate::analysis::local_types(m, &unit.func) else {
            return changed;
        };
        let nparams = m
            .func_type(unit.func.type_idx)
            .map_or(0, |t| t.params.len());
        let mut read = vec![false; types.len()];
        let mut named = vec![false; types.len()];
        for ins in &unit.func.body.instrs {
            match ins {
                Instr::LocalGet(x) => {
                    if let Some(r) = read.get_mut(*x as usize) {
                        *r = true;
                    }
                }
                Instr::LocalSet(_) | Instr::LocalTee(_) => {}
                _ => continue,
            }
        }
        let f = &mut unit.func;
        let mut body_changed = false;
        let old = std::mem::take(&mut f.body.instrs);
        let mut out = Vec::with_capacity(old.len());
        for ins in old {
            match ins {
                Instr::LocalSet(x) if read.get(x as usize) == Some(&false) => {
                    out.push(Instr::Drop);
                    body_changed = true;
                }
                Instr::LocalTee(x) if read.get(x as usize) == Some(&false) => body_changed = true,
                other => {
                    if let Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) = other {
                        if let Some(n) = named.get_mut(x as usize) {
                            *n = true;
                        }
                    }
                    out.push(other);
                }
            }
        }
        f.body.instrs = out;
        if body_changed {
            f.body.offsets.clear();
            changed = true;
        }
        if named[nparams..].iter().all(|n| *n) {
            return changed;
        }
        let mut next = nparams as u32;
        let map: Vec<Option<u32>> = (0..types.len())
            .map(|x| {
                if x < nparams {
                    Some(x as u32)
                } else if named[x] {
                    next += 1;
                    Some(next - 1)
                } else {
                    None
                }
            })
            .collect();
        changed |= renumber_locals(m, unit, &map);
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{func, ins, module};
    use wtool_ast::{LocalGroup, Names, ValType};

    #[test]
    fn removes_and_renumbers() {
        let mut m = module(
            &["i32"],
            vec![func(0, "i64 f32 i64 i32", "i32.const 1 local.set 4 local.get 3 drop f32.const 0 local.tee 2 drop local.get 0 drop")],
        );
        m.names = Some(Names {
            locals: vec![(
                0,
                vec![(0, "p".into()), (2, "dead".into()), (3, "x".into())],
            )],
            ..Default::default()
        });
        assert!(RemoveUnusedLocals.run(&mut m, &PassOptions::default()));
        let f = &m.funcs[0];
        assert_eq!(
            f.body.instrs,
            ins("i32.const 1 drop local.get 1 drop f32.const 0 drop local.get 0 drop")
        );
        assert_eq!(
            f.locals,
            vec![LocalGroup {
                count: 1,
                ty: ValType::I64
            }]
        );
        assert_eq!(
            m.names.unwrap().locals,
            vec![(0, vec![(0, "p".to_string()), (1, "x".to_string())])]
        );
    }

    #[test]
    fn unchanged_when_all_used() {
        let mut m = module(&[""], vec![func(0, "i32", "local.get 0 local.set 0")]);
        assert!(!RemoveUnusedLocals.run(&mut m, &PassOptions::default()));
    }
}

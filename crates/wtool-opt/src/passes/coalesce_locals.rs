//! coalesce-locals: locals of the same type whose live ranges never overlap
//! share one slot (greedy colouring of the interference graph from
//! [`crate::analysis::liveness`]); then unused slots are removed.
//!
//! Exact: two locals interfere when one is written while the other holds a
//! value that is read later, or when both are live on entry (parameters and
//! the zero every declared local starts with). A copy (`local.get y;
//! local.set x`) is no conflict between `x` and `y`, and a local tries the
//! slots of the locals it is copied to or from first, so the copy becomes a
//! no-op that peephole removes. Parameters keep their slots.
//!
//! Stores whose value is never read (the local is dead right after them) are
//! removed first — `local.set` becomes `drop`, `local.tee` disappears — so
//! they neither keep the local alive nor interfere.

use crate::analysis::liveness::Liveness;
use crate::analysis::local_types;
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::renumber_locals;
use wtool_ast::{Instr, Module};

/// See the module docs.
pub struct CoalesceLocals;

/// Functions with more locals than this are left alone (the interference
/// matrix is quadratic).
const MAX_COALESCE_LOCALS: usize = 2048;

impl Pass for CoalesceLocals {
    fn name(&self) -> &'static str {
        "coalesce-locals"
    }
    fn description(&self) -> &'static str {
        "merge locals of one type whose lifetimes are disjoint, then drop unused locals"
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
        let Some(types) = local_types(m, &unit.func) else {
            return changed;
        };
        let nparams = m
            .func_type(unit.func.type_idx)
            .map_or(0, |t| t.params.len());
        let n = types.len();
        if n == nparams || n > MAX_COALESCE_LOCALS {
            return changed;
        }
        let Some(mut live) = Liveness::compute(&unit.func.body.instrs, n) else {
            return changed;
        };
        let dead = live.dead_stores(&unit.func.body.instrs);
        if !dead.is_empty() {
            let body = &mut unit.func.body;
            let old = std::mem::take(&mut body.instrs);
            let mut d = dead.iter().peekable();
            for (k, ins) in old.into_iter().enumerate() {
                if d.peek() == Some(&&k) {
                    d.next();
                    if let Instr::LocalSet(_) = ins {
                        body.instrs.push(Instr::Drop);
                    }
                    continue;
                }
                body.instrs.push(ins);
            }
            body.offsets.clear();
            changed = true;
            let Some(l) = Liveness::compute(&body.instrs, n) else {
                return changed;
            };
            live = l;
        }
        let body = &unit.func.body.instrs;
        let inter = live.interference(body, n, nparams);
        let mut referenced = vec![false; n];
        for ins in body {
            if let Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) = ins {
                if let Some(r) = referenced.get_mut(*x as usize) {
                    *r = true;
                }
            }
        }
        // Copies between locals (`local.get y; local.set x`), most
        // frequent first: sharing a slot turns each into a no-op.
        let partners = copy_partners(body, n);
        // Colour classes: each class lists its members; parameters found their own.
        let mut classes: Vec<Vec<usize>> = (0..nparams).map(|p| vec![p]).collect();
        let mut color = vec![usize::MAX; n];
        for (p, c) in color.iter_mut().enumerate().take(nparams) {
            *c = p;
        }
        for x in nparams..n {
            if !referenced[x] {
                continue;
            }
            let fits = |class: &Vec<usize>| {
                class
                    .iter()
                    .all(|&y| types[y] == types[x] && !inter.contains(x * n + y))
            };
            let preferred = partners[x]
                .iter()
                .map(|&y| color[y])
                .find(|&c| c != usize::MAX && fits(&classes[c]));
            let c = match preferred.or_else(|| classes.iter().position(fits)) {
                Some(c) => c,
                None => {
                    classes.push(Vec::new());
                    classes.len() - 1
                }
            };
            classes[c].push(x);
            color[x] = c;
        }
        let map: Vec<Option<u32>> = (0..n)
            .map(|x| (color[x] != usize::MAX).then_some(color[x] as u32))
            .collect();
        if map.iter().enumerate().all(|(x, c)| *c == Some(x as u32)) {
            return changed;
        }
        changed |= renumber_locals(m, unit, &map);
        changed
    }
}

/// For each local, the locals it is copied to or from, most copies first
/// (ties by index, so the result is deterministic).
fn copy_partners(body: &[Instr], n: usize) -> Vec<Vec<usize>> {
    let mut counts: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n];
    for w in body.windows(2) {
        let (Instr::LocalGet(y) | Instr::LocalTee(y), Instr::LocalSet(x) | Instr::LocalTee(x)) =
            (&w[0], &w[1])
        else {
            continue;
        };
        let (x, y) = (*x as usize, *y as usize);
        if x == y || x >= n || y >= n {
            continue;
        }
        for (a, b) in [(x, y), (y, x)] {
            match counts[a].iter_mut().find(|(p, _)| *p == b) {
                Some((_, c)) => *c += 1,
                None => counts[a].push((b, 1)),
            }
        }
    }
    counts
        .into_iter()
        .map(|mut v| {
            v.sort_by_key(|&(p, c)| (std::cmp::Reverse(c), p));
            v.into_iter().map(|(p, _)| p).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{func, ins, module};
    use wtool_ast::{LocalGroup, ValType};

    #[test]
    fn disjoint_locals_share_a_slot() {
        let body =
            "i32.const 1 local.set 1 local.get 1 drop i32.const 2 local.set 2 local.get 2 drop \
                    f64.const 1 local.set 3 local.get 3 drop";
        let mut m = module(&["i32"], vec![func(0, "i32 i32 f64", body)]);
        assert!(CoalesceLocals.run(&mut m, &PassOptions::default()));
        let f = &m.funcs[0];
        // Locals 1 and 2 are dead by the time the other is written, and the
        // parameter is never read, so all three share slot 0.
        assert_eq!(
            f.body.instrs,
            ins("i32.const 1 local.set 0 local.get 0 drop i32.const 2 local.set 0 local.get 0 drop f64.const 1 local.set 1 local.get 1 drop")
        );
        assert_eq!(
            f.locals,
            vec![LocalGroup {
                count: 1,
                ty: ValType::F64
            }]
        );
    }

    #[test]
    fn overlapping_and_entry_values_interfere() {
        // Local 1 is read before any write (it holds zero); local 2 is live at
        // the same time, and the parameter is read at the end.
        let body = "i32.const 5 local.set 2 local.get 1 local.get 2 i32.add drop local.get 0 drop";
        let mut m = module(&["i32"], vec![func(0, "i32 i32", body)]);
        CoalesceLocals.run(&mut m, &PassOptions::default());
        assert_eq!(m.funcs[0].body.instrs, ins(body));
    }

    #[test]
    fn a_local_read_as_zero_never_takes_a_parameter_slot() {
        // Local 1 is read before any write (zero); the parameter is never
        // read, but its slot holds the argument, not zero.
        let body = "local.get 1 drop";
        let mut m = module(&["f32"], vec![func(0, "f32", body)]);
        CoalesceLocals.run(&mut m, &PassOptions::default());
        assert_eq!(m.funcs[0].body.instrs, ins(body));
    }

    #[test]
    fn dead_stores_go_first() {
        // The first store to local 1 is overwritten before any read.
        let body = "i32.const 1 local.set 0 i32.const 2 local.tee 0 local.set 1 local.get 1 local.get 0 i32.add drop";
        let mut m = module(&[""], vec![func(0, "i32 i32", body)]);
        let l = Liveness::compute(&m.funcs[0].body.instrs, 2).unwrap();
        assert_eq!(l.dead_stores(&m.funcs[0].body.instrs), vec![1], "{l:?}");
        assert!(CoalesceLocals.run(&mut m, &PassOptions::default()));
        // Local 1 is then a copy of 0 and shares its slot.
        assert_eq!(
            m.funcs[0].body.instrs,
            ins("i32.const 1 drop i32.const 2 local.tee 0 local.set 0 local.get 0 local.get 0 i32.add drop")
        );
    }

    #[test]
    fn copies_share_a_slot() {
        // gcd's loop: 2 is a copy of 1's old value and is copied into 0;
        // 2 is live after the loop while 0 is written, but with 2's value.
        let body = "loop local.get 0 local.get 1 local.tee 2 i32.rem_u local.set 1 \
                    local.get 2 local.set 0 local.get 1 br_if 0 end local.get 2 drop";
        let mut m = module(&["i32 i32"], vec![func(0, "i32", body)]);
        assert!(CoalesceLocals.run(&mut m, &PassOptions::default()));
        assert_eq!(
            m.funcs[0].body.instrs,
            ins(
                "loop local.get 0 local.get 1 local.tee 0 i32.rem_u local.set 1 \
                 local.get 0 local.set 0 local.get 1 br_if 0 end local.get 0 drop"
            )
        );
        assert!(m.funcs[0].locals.is_empty());
        // A copy whose source is written while the copy is live still conflicts.
        let body = "local.get 0 local.set 1 i32.const 5 local.set 0 local.get 1 local.get 0 \
                    i32.add drop";
        let mut m = module(&["i32"], vec![func(0, "i32", body)]);
        CoalesceLocals.run(&mut m, &PassOptions::default());
        assert_eq!(m.funcs[0].body.instrs, ins(body));
    }

    #[test]
    fn loops_keep_values_alive() {
        // Local 0 is read in every iteration, so it is live when 1 is written.
        let body = "i32.const 1 local.set 0 loop local.get 0 drop i32.const 2 local.set 1 local.get 1 br_if 0 end";
        let mut m = module(&[""], vec![func(0, "i32 i32", body)]);
        assert!(!CoalesceLocals.run(&mut m, &PassOptions::default()));
        assert_eq!(m.funcs[0].body.instrs, ins(body));
    }
}

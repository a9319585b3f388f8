//! dae (dead argument elimination): a parameter of a function that only
//! direct `call`s reach is removed when its incoming value is never read, or
//! when every call passes the same constant (the callee then sets that
//! constant into a local of its own, where precompute and the branch passes
//! can use it). The function gets a type without the parameter and every
//! call site loses the instructions that computed the argument.
//!
//! Exact: only functions whose every use is a direct `call` are touched
//! (not exported, not in a table or element segment, never `ref.func`'d or
//! tail-called, not the start function), so no caller can observe the new
//! type. An argument is removed only when the run of instructions that
//! computes it is pure (no side effect, no possible trap unless
//! `--ignore-implicit-traps`) and consumes nothing from below, so dropping
//! it changes nothing else; a parameter with any other call site stays.
//!
//! Results that every call drops go too: see [`crate::passes::dead_results`].

use crate::analysis::effects::removable;
use crate::analysis::liveness::Liveness;
use crate::analysis::local_types;
use crate::analysis::stack::producer_start;
use crate::pass::{Pass, PassOptions, PassProperties};
use crate::structure::is_opaque;
use crate::util::{forget_raw_names, referenced_otherwise};
use wtool_ast::{ExternKind, FuncType, Instr, LocalGroup, Module, TypeDef, ValType};

/// The `[start, end)` instruction range computing each argument of a call.
type ArgRanges = Vec<(usize, usize)>;

/// How far back the producer of one argument is searched.
const ARG_SCAN: usize = 64;

/// See the module docs.
pub struct DeadArgumentElimination;

impl Pass for DeadArgumentElimination {
    fn name(&self) -> &'static str {
        "dae"
    }
    fn description(&self) -> &'static str {
        "remove parameters never read or always given one constant, and results every caller drops"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            changes_locals: true,
            // A type may be added.
            changes_index_spaces: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        let plans = plan(m, opts.ignore_implicit_traps);
        let mut any = !plans.is_empty();
        for p in plans {
            apply(m, &p, opts.ignore_implicit_traps);
        }
        // Results every caller drops (see `dead_results`).
        any |= crate::passes::dead_results::remove_dropped_results(m);
        if any {
            forget_raw_names(m);
        }
        any
    }
}

/// What happens to one function: parameters removed, with the constant that
/// replaces each (`None`: the value was dead).
struct Plan {
    /// Defined-function index.
    def: usize,
    /// `(param, constant)`, params ascending.
    removed: Vec<(u32, Option<Instr>)>,
}

/// The instruction ranges computing each of the `n` arguments of the call
/// at `at`, first argument first; `None` when one is not a pure run.
fn arg_ranges(
    instrs: &[Instr],
    at: usize,
    n: usize,
    m: &Module,
    locals: &[ValType],
    ignore_traps: bool,
) -> Option<ArgRanges> {
    let mut out = vec![(0, 0); n];
    let mut end = at;
    for k in (0..n).rev() {
        let start = producer_start(instrs, end, 1, ARG_SCAN, m, locals, |i| {
            removable(i, ignore_traps)
        })?;
        out[k] = (start, end);
        end = start;
    }
    Some(out)
}

fn is_const(ins: &Instr) -> bool {
    matches!(
        ins,
        Instr::I32Const(_) | Instr::I64Const(_) | Instr::F32Const(_) | Instr::F64Const(_)
    )
}

/// The functions to change and how.
fn plan(m: &Module, ignore_traps: bool) -> Vec<Plan> {
    let nimp = m.num_imported(ExternKind::Func);
    let esc = referenced_otherwise(m);
    // Per callee: every call site as (caller def, instruction index).
    let mut sites: Vec<Vec<(usize, usize)>> = vec![Vec::new(); m.funcs.len()];
    let mut caller_ok = vec![true; m.funcs.len()];
    for (d, f) in m.funcs.iter().enumerate() {
        caller_ok[d] = !f.body.instrs.iter().any(is_opaque);
        for (i, ins) in f.body.instrs.iter().enumerate() {
            if let Instr::Call(c) = ins {
                if let Some(def) = c.checked_sub(nimp) {
                    if let Some(s) = sites.get_mut(def as usize) {
                        s.push((d, i));
                    }
                }
            }
        }
    }
    let locals: Vec<Option<Vec<ValType>>> = m.funcs.iter().map(|f| local_types(m, f)).collect();
    let mut plans = Vec::new();
    for (def, f) in m.funcs.iter().enumerate() {
        let abs = nimp + def as u32;
        if esc.get(abs as usize) != Some(&false) || sites[def].is_empty() {
            continue;
        }
        let Some(ft) = m.func_type(f.type_idx) else {
            continue;
        };
        let np = ft.params.len();
        if np == 0 || f.body.instrs.iter().any(is_opaque) {
            continue;
        }
        // A caller we cannot rewrite keeps the signature as it is.
        if sites[def]
            .iter()
            .any(|&(d, _)| !caller_ok[d] || locals[d].is_none())
        {
            continue;
        }
        let Some(my_locals) = &locals[def] else {
            continue;
        };
        let Some(live) = Liveness::compute(&f.body.instrs, my_locals.len()) else {
            continue;
        };
        let entry = live.blocks.iter().position(|b| b.0 == 0);
        let Some(entry) = entry else {
            continue;
        };
        let mut ranges = Vec::new();
        for &(d, i) in &sites[def] {
            let body = &m.funcs[d].body.instrs;
            let ls = locals[d].as_deref().unwrap_or(&[]);
            ranges.push(arg_ranges(body, i, np, m, ls, ignore_traps));
        }
        // Every call site must be able to lose its arguments.
        if ranges.iter().any(|r| r.is_none()) {
            continue;
        }
        let mut removed = Vec::new();
        for p in 0..np {
            let dead = !live.live_in[entry].contains(p);
            let constant = if dead {
                None
            } else {
                let mut c: Option<&Instr> = None;
                let mut same = true;
                for (r, &(d, _)) in ranges.iter().zip(&sites[def]) {
                    let (s, e) = r.as_ref().map_or((0, 0), |v| v[p]);
                    let run = &m.funcs[d].body.instrs[s..e];
                    match run {
                        [one] if is_const(one) && c.is_none_or(|x| x == one) => c = Some(one),
                        _ => same = false,
                    }
                }
                match (same, c) {
                    (true, Some(c)) => Some(c.clone()),
                    _ => continue,
                }
            };
            removed.push((p as u32, constant));
        }
        if !removed.is_empty() {
            plans.push(Plan { def, removed });
        }
    }
    plans
}

/// The index of a bare function type equal to `ft`, added when missing.
pub(crate) fn type_index(m: &mut Module, ft: FuncType) -> u32 {
    let in_group = |m: &Module, i: u32| {
        m.rec_groups
            .iter()
            .any(|g| (g.start..g.start + g.len).contains(&i))
    };
    let def = TypeDef::func(ft);
    if let Some(i) =
        (0..m.types.len() as u32).find(|&i| m.types[i as usize] == def && !in_group(m, i))
    {
        return i;
    }
    m.types.push(def);
    m.types.len() as u32 - 1
}

fn apply(m: &mut Module, p: &Plan, ignore_traps: bool) {
    let nimp = m.num_imported(ExternKind::Func);
    let abs = nimp + p.def as u32;
    let Some(ft) = m.func_type(m.funcs[p.def].type_idx).cloned() else {
        return;
    };
    let np = ft.params.len();
    let gone: Vec<bool> = (0..np as u32)
        .map(|i| p.removed.iter().any(|(r, _)| *r == i))
        .collect();
    // Every call site's argument runs, found before anything changes: if one
    // is missing (it cannot be, as `plan` checked them and earlier plans only
    // delete pure runs that end at calls of other functions), nothing changes.
    let mut edits: Vec<(usize, Vec<ArgRanges>)> = Vec::new();
    for (d, f) in m.funcs.iter().enumerate() {
        let body = &f.body.instrs;
        let calls: Vec<usize> = (0..body.len())
            .filter(|&i| body[i] == Instr::Call(abs))
            .collect();
        if calls.is_empty() {
            continue;
        }
        let Some(ls) = local_types(m, f) else {
            return;
        };
        let mut sites = Vec::with_capacity(calls.len());
        for at in calls {
            let Some(rs) = arg_ranges(body, at, np, m, &ls, ignore_traps) else {
                return;
            };
            sites.push(rs);
        }
        edits.push((d, sites));
    }
    // From the last site of each body back, so earlier positions hold.
    for (d, sites) in edits {
        let body = &mut m.funcs[d].body;
        for rs in sites.iter().rev() {
            for (k, &(s, e)) in rs.iter().enumerate().rev() {
                if gone[k] {
                    body.instrs.drain(s..e);
                }
            }
        }
        body.offsets.clear();
    }
    // The callee: kept params first, then its declared locals, then the
    // removed params as locals.
    let Some(old_locals) = local_types(m, &m.funcs[p.def]) else {
        return;
    };
    let kept = np - p.removed.len();
    let ndecl = old_locals.len() - np;
    let mut map = vec![0u32; old_locals.len()];
    let mut next_kept = 0u32;
    let mut next_moved = (kept + ndecl) as u32;
    for (i, slot) in map.iter_mut().enumerate() {
        *slot = if i < np && !gone[i] {
            next_kept += 1;
            next_kept - 1
        } else if i < np {
            next_moved += 1;
            next_moved - 1
        } else {
            (i - np + kept) as u32
        };
    }
    let new_params: Vec<ValType> = (0..np)
        .filter(|&i| !gone[i])
        .map(|i| ft.params[i])
        .collect();
    let ty = type_index(m, FuncType::new(new_params, ft.results.to_vec()));
    let f = &mut m.funcs[p.def];
    f.type_idx = ty;
    for ins in f.body.instrs.iter_mut() {
        if let Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) = ins {
            if let Some(&n) = map.get(*x as usize) {
                *x = n;
            }
        }
    }
    let mut prologue = Vec::new();
    for (r, c) in &p.removed {
        let t = ft.params[*r as usize];
        match f.locals.last_mut() {
            Some(g) if g.ty == t => g.count += 1,
            _ => f.locals.push(LocalGroup { count: 1, ty: t }),
        }
        if let Some(c) = c {
            prologue.push(c.clone());
            prologue.push(Instr::LocalSet(map[*r as usize]));
        }
    }
    f.body.instrs.splice(0..0, prologue);
    f.body.offsets.clear();
    if let Some(names) = m.names.as_mut() {
        for (func, locals) in names.locals.iter_mut() {
            if *func == abs {
                for (i, _) in locals.iter_mut() {
                    if let Some(&n) = map.get(*i as usize) {
                        *i = n;
                    }
                }
                locals.sort_by_key(|(i, _)| *i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, func, ins, module};
    use wtool_ast::Export;

    /// `f1` is exported and calls `f0` (internal) as given.
    fn two(callee_sig: &str, callee_body: &str, caller_body: &str) -> Module {
        let mut m = module(
            &[callee_sig, "-> i32"],
            vec![func(0, "", callee_body), func(1, "", caller_body)],
        );
        m.exports = vec![Export {
            name: "main".into(),
            kind: ExternKind::Func,
            index: 1,
        }];
        m
    }

    #[test]
    fn removes_an_unread_parameter_and_its_argument() {
        let mut m = two(
            "i32 i32 -> i32",
            "local.get 1",
            "local.get 0 i32.const 7 call 0 local.get 0 i32.const 8 call 0 i32.add",
        );
        // The caller has no param 0: give it a local to read.
        m.funcs[1].locals = vec![LocalGroup {
            count: 1,
            ty: ValType::I32,
        }];
        assert!(DeadArgumentElimination.run(&mut m, &PassOptions::default()));
        assert_valid(&m);
        assert_eq!(m.func_type(m.funcs[0].type_idx).unwrap().params.len(), 1);
        // Param 1 is now param 0; the old param 0 became a local.
        assert_eq!(m.funcs[0].body.instrs, ins("local.get 0"));
        assert_eq!(
            m.funcs[1].body.instrs,
            ins("i32.const 7 call 0 i32.const 8 call 0 i32.add")
        );
    }

    #[test]
    fn a_constant_argument_moves_into_the_callee() {
        let mut m = two(
            "i32 i32 -> i32",
            "local.get 0 local.get 1 i32.add",
            "i32.const 3 i32.const 10 call 0 i32.const 4 i32.const 10 call 0 i32.add",
        );
        assert!(DeadArgumentElimination.run(&mut m, &PassOptions::default()));
        assert_valid(&m);
        assert_eq!(
            m.funcs[0].body.instrs,
            ins("i32.const 10 local.set 1 local.get 0 local.get 1 i32.add")
        );
        assert_eq!(
            m.funcs[1].body.instrs,
            ins("i32.const 3 call 0 i32.const 4 call 0 i32.add")
        );
    }

    #[test]
    fn impure_arguments_and_escaping_functions_stay() {
        // The argument may trap (a load): the parameter stays.
        let src = "i32.const 0 i32.load i32.const 1 call 0";
        let mut m = two("i32 i32 -> i32", "local.get 1", src);
        m.memories.push(Default::default());
        assert!(!DeadArgumentElimination.run(&mut m, &PassOptions::default()));
        // Exported callee: its type is visible.
        let mut m = module(
            &["i32 -> i32", "-> i32"],
            vec![
                func(0, "", "i32.const 1"),
                func(1, "", "i32.const 2 call 0"),
            ],
        );
        assert!(!DeadArgumentElimination.run(&mut m, &PassOptions::default()));
    }

    #[test]
    fn different_constants_are_kept() {
        let mut m = two(
            "i32 -> i32",
            "local.get 0",
            "i32.const 1 call 0 i32.const 2 call 0 i32.add",
        );
        assert!(!DeadArgumentElimination.run(&mut m, &PassOptions::default()));
    }
}

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
use crate::bodies::Bodies;
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
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, opts: &PassOptions) -> bool {
        let plans = plan(m, bodies, opts.ignore_implicit_traps);
        let mut any = !plans.is_empty();
        apply(m, bodies, &plans, opts.ignore_implicit_traps);
        // Results every caller drops (see `dead_results`).
        any |= crate::passes::dead_results::remove_dropped_results(m, bodies);
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

/// What the call sites of one candidate showed so far.
struct Seen {
    /// Every site's arguments are pure runs that can go.
    ok: bool,
    /// Per parameter: the one constant every site passed so far (`None`
    /// before the first site), or that they differ.
    consts: Vec<Option<Result<Instr, ()>>>,
}

/// The functions to change and how. Bodies are read one at a time: once
/// for the call sites and the functions referenced otherwise, once for
/// each candidate's own body, and once for the arguments at its sites.
fn plan(m: &Module, bodies: &Bodies, ignore_traps: bool) -> Vec<Plan> {
    let nimp = m.num_imported(ExternKind::Func);
    let esc = referenced_otherwise(m, bodies);
    // Per callee: its call sites, and whether every caller can be rewritten.
    let mut sites = vec![0usize; m.funcs.len()];
    let mut callers_ok = vec![true; m.funcs.len()];
    let mut opaque = vec![false; m.funcs.len()];
    bodies.scan(m, |d, instrs| {
        opaque[d] = instrs.iter().any(is_opaque);
        let ok = !opaque[d] && local_types(m, &m.funcs[d]).is_some();
        for ins in instrs {
            if let Instr::Call(c) = ins {
                if let Some(def) = c.checked_sub(nimp) {
                    if let Some(s) = sites.get_mut(def as usize) {
                        *s += 1;
                        callers_ok[def as usize] &= ok;
                    }
                }
            }
        }
    });
    // Candidates: their parameters' liveness at entry.
    let mut dead: Vec<Option<Vec<bool>>> = vec![None; m.funcs.len()];
    for (def, f) in m.funcs.iter().enumerate() {
        let abs = nimp + def as u32;
        if esc.get(abs as usize) != Some(&false) || sites[def] == 0 || !callers_ok[def] {
            continue;
        }
        let Some(ft) = m.func_type(f.type_idx) else {
            continue;
        };
        let np = ft.params.len();
        if np == 0 || opaque[def] {
            continue;
        }
        let Some(my_locals) = local_types(m, f) else {
            continue;
        };
        let body = bodies.get(m, def);
        let Some(live) = Liveness::compute(&body, my_locals.len()) else {
            continue;
        };
        let Some(entry) = live.blocks.iter().position(|b| b.0 == 0) else {
            continue;
        };
        dead[def] = Some((0..np).map(|p| !live.live_in[entry].contains(p)).collect());
    }
    // The arguments at every site of a candidate.
    let mut seen: Vec<Option<Seen>> = dead
        .iter()
        .map(|d| {
            d.as_ref().map(|d| Seen {
                ok: true,
                consts: vec![None; d.len()],
            })
        })
        .collect();
    bodies.scan(m, |d, instrs| {
        let Some(ls) = local_types(m, &m.funcs[d]) else {
            return;
        };
        for (i, ins) in instrs.iter().enumerate() {
            let Instr::Call(c) = ins else { continue };
            let Some(def) = c.checked_sub(nimp) else {
                continue;
            };
            let Some(Some(st)) = seen.get_mut(def as usize) else {
                continue;
            };
            if !st.ok {
                continue;
            }
            let np = st.consts.len();
            let Some(rs) = arg_ranges(instrs, i, np, m, &ls, ignore_traps) else {
                st.ok = false;
                continue;
            };
            for (p, &(s, e)) in rs.iter().enumerate() {
                let c = &mut st.consts[p];
                *c = match (&instrs[s..e], c.take()) {
                    ([one], None) if is_const(one) => Some(Ok(one.clone())),
                    ([one], Some(Ok(x))) if is_const(one) && x == *one => Some(Ok(x)),
                    _ => Some(Err(())),
                };
            }
        }
    });
    let mut plans = Vec::new();
    for (def, (d, st)) in dead.iter().zip(seen).enumerate() {
        let (Some(d), Some(st)) = (d, st) else {
            continue;
        };
        if !st.ok {
            continue;
        }
        let mut removed = Vec::new();
        for (p, c) in st.consts.into_iter().enumerate() {
            if d[p] {
                removed.push((p as u32, None));
            } else if let Some(Ok(c)) = c {
                removed.push((p as u32, Some(c)));
            }
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

/// A planned callee's new shape.
struct Callee {
    /// Its old parameter count, and which of them go.
    gone: Vec<bool>,
    /// New type index.
    ty: u32,
    /// Old local index → new.
    map: Vec<u32>,
    /// Set at entry: the constants of the removed parameters.
    prologue: Vec<Instr>,
    /// Declared locals after (the removed parameters appended).
    locals: Vec<LocalGroup>,
}

/// Carries out `plans`: one pass over the bodies removes the arguments at
/// every call of a planned callee and reshapes the callees.
fn apply(m: &mut Module, bodies: &mut Bodies, plans: &[Plan], ignore_traps: bool) {
    if plans.is_empty() {
        return;
    }
    let nimp = m.num_imported(ExternKind::Func);
    // Per defined function: its new shape when planned. Types are added in
    // plan order.
    let mut callees: Vec<Option<Callee>> = (0..m.funcs.len()).map(|_| None).collect();
    for p in plans {
        let Some(ft) = m.func_type(m.funcs[p.def].type_idx).cloned() else {
            continue;
        };
        let Some(old_locals) = local_types(m, &m.funcs[p.def]) else {
            continue;
        };
        let np = ft.params.len();
        let gone: Vec<bool> = (0..np as u32)
            .map(|i| p.removed.iter().any(|(r, _)| *r == i))
            .collect();
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
        let mut locals = m.funcs[p.def].locals.clone();
        let mut prologue = Vec::new();
        for (r, c) in &p.removed {
            let t = ft.params[*r as usize];
            match locals.last_mut() {
                Some(g) if g.ty == t => g.count += 1,
                _ => locals.push(LocalGroup { count: 1, ty: t }),
            }
            if let Some(c) = c {
                prologue.push(c.clone());
                prologue.push(Instr::LocalSet(map[*r as usize]));
            }
        }
        // Local names follow the renumbering.
        let abs = nimp + p.def as u32;
        if let Some(names) = m.names.as_mut() {
            for (func, names) in names.locals.iter_mut() {
                if *func == abs {
                    for (i, _) in names.iter_mut() {
                        if let Some(&n) = map.get(*i as usize) {
                            *i = n;
                        }
                    }
                    names.sort_by_key(|(i, _)| *i);
                }
            }
        }
        callees[p.def] = Some(Callee {
            gone,
            ty,
            map,
            prologue,
            locals,
        });
    }
    let callee_of = |c: u32| {
        c.checked_sub(nimp)
            .and_then(|d| callees.get(d as usize))
            .and_then(Option::as_ref)
    };
    bodies.rewrite(m, |m, unit| {
        let body = &unit.func.body.instrs;
        let mut changed = false;
        // Every call site's argument runs, found before anything changes
        // (`plan` found them all on these very bodies).
        let mut edits: Vec<(&[bool], ArgRanges)> = Vec::new();
        if body
            .iter()
            .any(|x| matches!(x, Instr::Call(c) if callee_of(*c).is_some()))
        {
            let ls = local_types(m, &unit.func).unwrap_or_default();
            for (at, x) in body.iter().enumerate() {
                let Instr::Call(c) = x else { continue };
                let Some(callee) = callee_of(*c) else {
                    continue;
                };
                let rs = arg_ranges(body, at, callee.gone.len(), m, &ls, ignore_traps);
                debug_assert!(rs.is_some(), "plan checked every site");
                if let Some(rs) = rs {
                    edits.push((&callee.gone, rs));
                }
            }
        }
        if !edits.is_empty() {
            // From the last site back, so earlier positions hold.
            let mut instrs = std::mem::take(&mut unit.func.body.instrs);
            for (gone, rs) in edits.iter().rev() {
                for (k, &(s, e)) in rs.iter().enumerate().rev() {
                    if gone[k] {
                        instrs.drain(s..e);
                    }
                }
            }
            unit.func.body.instrs = instrs;
            changed = true;
        }
        // The callee: kept params first, then its declared locals, then
        // the removed params as locals.
        if let Some(c) = callees.get(unit.def).and_then(Option::as_ref) {
            let f = &mut unit.func;
            f.type_idx = c.ty;
            f.locals = c.locals.clone();
            for ins in f.body.instrs.iter_mut() {
                if let Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) = ins {
                    if let Some(&n) = c.map.get(*x as usize) {
                        *x = n;
                    }
                }
            }
            f.body.instrs.splice(0..0, c.prologue.iter().cloned());
            changed = true;
        }
        if changed {
            unit.func.body.offsets.clear();
        }
        changed
    });
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

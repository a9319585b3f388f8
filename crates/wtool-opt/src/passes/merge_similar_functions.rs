//! merge-similar-functions: functions that differ only in some constants
//! share one body, which takes those constants as extra parameters.
//!
//! Functions with the same type, the same locals and the same instructions
//! except for the values of some `i32/i64/f32/f64.const`s form a group. A
//! new function gets the group's body with each differing constant replaced
//! by a `local.get` of a new parameter (after the original ones; columns of
//! constants equal in every member share one parameter), and each member
//! becomes a thunk that passes its parameters and its constants on:
//! `local.get 0 … local.get n-1 c1 … ck call $shared`. Members keep their
//! indices, so calls, tables, exports and `ref.func` are untouched. A group
//! merges only when the encoded module gets smaller (the shared body, the
//! thunks and a possibly new type against the members' bodies), with at
//! most [`MAX_EXTRA`] extra parameters. Run at `-Os`/`-Oz` only: each call
//! of a member now costs a second call.
//!
//! Exact: the shared body computes with the same values the member did.

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use crate::passes::dead_arguments::type_index;
use crate::util::{drop_label_names, forget_raw_names};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use wtool_ast::{Expr, ExternKind, Func, FuncType, Instr, LocalGroup, Module, ValType};

/// Most extra parameters a shared body takes.
pub const MAX_EXTRA: usize = 16;

/// See the module docs.
pub struct MergeSimilarFunctions;

impl Pass for MergeSimilarFunctions {
    fn name(&self) -> &'static str {
        "merge-similar-functions"
    }
    fn description(&self) -> &'static str {
        "share one body between functions that differ only in constants, passed as extra parameters"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            changes_index_spaces: true,
            changes_locals: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, _opts: &PassOptions) -> bool {
        merge(m, bodies)
    }
}

/// The type of a scalar constant instruction.
fn const_type(ins: &Instr) -> Option<ValType> {
    Some(match ins {
        Instr::I32Const(_) => ValType::I32,
        Instr::I64Const(_) => ValType::I64,
        Instr::F32Const(_) => ValType::F32,
        Instr::F64Const(_) => ValType::F64,
        _ => return None,
    })
}

/// A hash of [`shape`] (the same for equal shapes), without building it.
fn shape_hash(body: &[Instr]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for x in body {
        match const_type(x) {
            Some(t) => crate::util::zero_of(t).hash(&mut h),
            None => x.hash(&mut h),
        }
    }
    h.finish()
}

/// The body with every scalar constant zeroed: equal shapes merge.
fn shape(body: &[Instr]) -> Vec<Instr> {
    body.iter()
        .map(|x| match const_type(x) {
            Some(t) => crate::util::zero_of(t),
            None => x.clone(),
        })
        .collect()
}

fn encoded_len(instrs: &[Instr]) -> usize {
    let mut v = Vec::new();
    for x in instrs {
        wtool_binary::encode_instr(&mut v, x);
    }
    v.len()
}

/// Bytes of a LEB128-encoded `u32`.
fn leb(v: u32) -> usize {
    wtool_binary::leb128::u32_len(v)
}

/// One group's plan: members (indices into `m.funcs`) and the constant
/// positions that become parameters, by column.
struct Plan {
    members: Vec<usize>,
    /// For each new parameter, the body positions it replaces.
    columns: Vec<Vec<usize>>,
}

/// Decoded bodies of the functions in some group, by `m.funcs` index.
type Decoded = HashMap<usize, Vec<Instr>>;

/// Finds and applies every profitable group; returns whether anything
/// changed. Bodies are read one at a time for their shapes' hashes; only
/// functions sharing a hash are decoded together.
pub fn merge(m: &mut Module, bodies: &mut Bodies) -> bool {
    let mut by_hash: HashMap<(u32, Vec<LocalGroup>, u64), Vec<usize>> = HashMap::new();
    bodies.scan(m, |i, instrs| {
        let f = &m.funcs[i];
        if instrs.len() < 4 || crate::analysis::local_types(m, f).is_none() {
            return;
        }
        by_hash
            .entry((f.type_idx, f.locals.clone(), shape_hash(instrs)))
            .or_default()
            .push(i);
    });
    let mut decoded: Decoded = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for candidates in by_hash.into_values().filter(|g| g.len() >= 2) {
        // Equal hashes, equal shapes: checked (members stay in index order).
        let mut exact: Vec<(Vec<Instr>, Vec<usize>)> = Vec::new();
        for f in candidates {
            let body = bodies.get(m, f).into_owned();
            let sh = shape(&body);
            match exact.iter_mut().find(|(s, _)| *s == sh) {
                Some((_, g)) => g.push(f),
                None => exact.push((sh, vec![f])),
            }
            decoded.insert(f, body);
        }
        groups.extend(exact.into_iter().map(|(_, g)| g).filter(|g| g.len() >= 2));
    }
    groups.sort_unstable();
    let plans: Vec<Plan> = groups
        .into_iter()
        .filter_map(|g| plan(m, &decoded, g))
        .collect();
    if plans.is_empty() {
        return false;
    }
    for p in &plans {
        apply(m, bodies, &decoded, p);
    }
    // The shared bodies are new functions: held like the others.
    bodies.close(m);
    forget_raw_names(m);
    true
}

/// The plan for one group of same-shaped functions, when it pays.
fn plan(m: &Module, decoded: &Decoded, members: Vec<usize>) -> Option<Plan> {
    let body = |f: usize| decoded.get(&f).map_or(&[][..], |b| &b[..]);
    let first = body(members[0]);
    // Positions whose constant differs between members, grouped by the
    // tuple of values (equal tuples share a parameter).
    let mut columns: Vec<(Vec<&Instr>, Vec<usize>)> = Vec::new();
    for (k, x) in first.iter().enumerate() {
        if const_type(x).is_none() {
            continue;
        }
        let values: Vec<&Instr> = members.iter().filter_map(|&f| body(f).get(k)).collect();
        if values.iter().all(|v| *v == x) {
            continue;
        }
        match columns.iter_mut().find(|(v, _)| *v == values) {
            Some((_, pos)) => pos.push(k),
            None => columns.push((values, vec![k])),
        }
    }
    if columns.is_empty() || columns.len() > MAX_EXTRA {
        return None;
    }
    let ty = m.func_type(m.funcs[members[0]].type_idx)?;
    let params = ty.params.len();
    if params + columns.len() > 1000 {
        return None;
    }
    // Bytes now: each member's body (with its size and local declarations).
    let locals_decl: usize = 1 + m.funcs[members[0]]
        .locals
        .iter()
        .map(|g| leb(g.count) + 1)
        .sum::<usize>();
    let n = members.len();
    let now: usize = members
        .iter()
        .map(|&f| encoded_len(body(f)) + locals_decl + 1)
        .sum();
    // After: the shared body (constants become `local.get`s, later locals
    // shift), its function and type entries, and one thunk per member.
    let extra = columns.len() as u32;
    let shared_idx = m.num_imported(ExternKind::Func) + m.funcs.len() as u32;
    let mut shared = first.to_vec();
    rewrite_shared(
        &mut shared,
        &columns.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
        params as u32,
        extra,
    );
    let shared_len = encoded_len(&shared) + locals_decl + 2;
    let type_entry = 3 + params + columns.len() + ty.results.len();
    let thunks: usize = members
        .iter()
        .map(|&f| {
            let consts: Vec<Instr> = columns
                .iter()
                .map(|(vals, _)| vals[members.iter().position(|&g| g == f).unwrap_or(0)].clone())
                .collect();
            2 * params + encoded_len(&consts) + 1 + leb(shared_idx) + 4
        })
        .sum();
    let after = shared_len + 1 + type_entry + thunks;
    if after >= now || n < 2 {
        return None;
    }
    Some(Plan {
        members,
        columns: columns.into_iter().map(|c| c.1).collect(),
    })
}

/// Replaces the constants at `columns` with reads of the new parameters
/// and shifts the declared locals past them.
fn rewrite_shared(body: &mut [Instr], columns: &[Vec<usize>], params: u32, extra: u32) {
    for x in body.iter_mut() {
        if let Instr::LocalGet(v) | Instr::LocalSet(v) | Instr::LocalTee(v) = x {
            if *v >= params {
                *v += extra;
            }
        }
    }
    for (c, positions) in columns.iter().enumerate() {
        for &k in positions {
            body[k] = Instr::LocalGet(params + c as u32);
        }
    }
}

fn apply(m: &mut Module, bodies: &mut Bodies, decoded: &Decoded, p: &Plan) {
    let nimp = m.num_imported(ExternKind::Func);
    let first = p.members[0];
    let Some(ty) = m.func_type(m.funcs[first].type_idx).cloned() else {
        return;
    };
    let params = ty.params.len() as u32;
    let extra = p.columns.len() as u32;
    let mut new_params = ty.params.to_vec();
    let body_of = |f: usize| decoded.get(&f).map_or(&[][..], |b| &b[..]);
    for col in &p.columns {
        let Some(t) = body_of(first).get(col[0]).and_then(const_type) else {
            return;
        };
        new_params.push(t);
    }
    let type_idx = type_index(m, FuncType::new(new_params, ty.results.to_vec()));
    let mut body = body_of(first).to_vec();
    rewrite_shared(&mut body, &p.columns, params, extra);
    let shared_idx = nimp + m.funcs.len() as u32;
    m.funcs.push(Func {
        type_idx,
        locals: m.funcs[first].locals.clone(),
        body: Expr::new(body),
        ..Default::default()
    });
    for &f in &p.members {
        let mut thunk: Vec<Instr> = (0..params).map(Instr::LocalGet).collect();
        for col in &p.columns {
            thunk.extend(body_of(f).get(col[0]).cloned());
        }
        thunk.push(Instr::Call(shared_idx));
        thunk.push(Instr::End);
        bodies.replace(m, f, thunk);
        m.funcs[f].locals = Vec::new();
        let abs = nimp + f as u32;
        drop_label_names(m, abs);
        if let Some(names) = m.names.as_mut() {
            for (g, locals) in names.locals.iter_mut() {
                if *g == abs {
                    locals.retain(|(i, _)| *i < params);
                }
            }
            names.locals.retain(|(_, l)| !l.is_empty());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, func, ins, module};

    /// [`merge`] with the bodies held encoded.
    fn merge(m: &mut Module) -> bool {
        let mut bodies = Bodies::pack(m, wtool_ast::Features::default(), None);
        let changed = super::merge(m, &mut bodies);
        bodies.open_all(m);
        changed
    }

    #[test]
    fn constants_become_parameters() {
        let body = |a: i32, b: i32| {
            format!(
                "local.get 0 i32.const {a} i32.add local.tee 1 i32.const {b} i32.mul local.get 1 \
                 i32.const 1000000 i32.xor i32.add i32.const {b} i32.sub"
            )
        };
        let mut m = module(
            &["i32 -> i32"],
            vec![
                func(0, "i32", &body(5000, 7000)),
                func(0, "i32", &body(6000, 8000)),
                func(0, "i32", &body(9000, 8000)),
            ],
        );
        assert!(merge(&mut m));
        assert_valid(&m);
        assert_eq!(m.funcs.len(), 4);
        assert_eq!(
            m.funcs[3].body.instrs,
            ins(
                "local.get 0 local.get 1 i32.add local.tee 3 local.get 2 i32.mul local.get 3 \
                 i32.const 1000000 i32.xor i32.add local.get 2 i32.sub"
            )
        );
        assert_eq!(
            m.funcs[1].body.instrs,
            ins("local.get 0 i32.const 6000 i32.const 8000 call 3")
        );
        assert_eq!(m.func_type(m.funcs[3].type_idx).unwrap().params.len(), 3);
    }

    #[test]
    fn small_or_different_functions_stay() {
        // Too small to pay for the thunks.
        let mut m = module(
            &["i32 -> i32"],
            vec![
                func(0, "", "local.get 0 i32.const 1 i32.add"),
                func(0, "", "local.get 0 i32.const 2 i32.add"),
            ],
        );
        assert!(!merge(&mut m));
        // Different instructions, not only constants.
        let mut m = module(
            &["i32 -> i32"],
            vec![
                func(0, "", "local.get 0 i32.const 100000 i32.add i32.const 100000 i32.mul i32.const 100000 i32.add"),
                func(0, "", "local.get 0 i32.const 200000 i32.sub i32.const 100000 i32.mul i32.const 100000 i32.add"),
            ],
        );
        assert!(!merge(&mut m));
    }
}

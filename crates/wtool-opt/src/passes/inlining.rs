//! inlining: copies the bodies of tiny functions (at most
//! `inline_max_size` instructions, not recursive, at most one result) into
//! their direct callers. Run at `-O3`. When the options ask for size
//! (`-Os`/`-Oz`), it instead copies functions of any size that have exactly
//! one direct call site and no other reference (export, start, table
//! element, `ref.func`): the original then becomes unreachable and is removed,
//! saving its header, its type index and the call.
//!
//! A call `call f` becomes: the arguments stored into fresh locals, the
//! callee's declared locals reset to zero when the call site is inside a
//! loop (they must start at zero on every call), and the callee's body
//! inside a `block` of the callee's result type. The callee's own label
//! becomes that block's, so its branches keep their depths; `return` becomes
//! a `br` to the block.

use crate::analysis::callgraph::CallGraph;
use crate::analysis::local_types;
use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use crate::structure::Structure;
use crate::util::{referenced_otherwise, zero_of};
use std::collections::HashMap;
use wtool_ast::{BlockType, ExternKind, Instr, LocalGroup, Module, ValType};

/// See the module docs.
pub struct Inlining;

/// A callee ready to be copied.
struct Callee {
    params: Vec<ValType>,
    locals: Vec<ValType>,
    block: BlockType,
    /// The body without its final `end`, `return` already turned into `br`.
    body: Vec<Instr>,
    /// For each instruction of `body`, whether a `loop` of the callee encloses it.
    in_loop: Vec<bool>,
    /// For a callee that reads its parameters once each, in order, first
    /// and touches no local after: the body after those reads. A call's
    /// arguments are already on the stack in that order, so this is all a
    /// copy needs.
    rest: Option<Vec<Instr>>,
}

/// The body of `f` after reading its `params` parameters in order, when
/// that is all it does with locals (no declared locals, no other local
/// access) and nothing in it returns or branches to the function's label.
fn trivial_rest(f: &wtool_ast::Func, instrs: &[Instr], params: usize) -> Option<Vec<Instr>> {
    if f.num_locals() != 0 {
        return None;
    }
    let s = Structure::of(instrs)?;
    let body = instrs.get(..instrs.len().checked_sub(1)?)?;
    let (gets, rest) = body.split_at_checked(params)?;
    if gets
        .iter()
        .enumerate()
        .any(|(k, x)| *x != Instr::LocalGet(k as u32))
    {
        return None;
    }
    for (k, x) in rest.iter().enumerate() {
        let leaves = crate::structure::branch_depths(x)
            .into_iter()
            .any(|d| s.target(params + k, d) == Some(crate::structure::Target::Func));
        if leaves
            || matches!(
                x,
                Instr::Return | Instr::LocalGet(_) | Instr::LocalSet(_) | Instr::LocalTee(_)
            )
        {
            return None;
        }
    }
    Some(rest.to_vec())
}

/// Whether copying `rest` into all `calls` call sites of function `f` (and
/// removing `f`) makes the module smaller: each site trades its `call` for
/// `rest`; the function's body (the parameter reads, `rest`, the size,
/// locals count and `end`) and its function-section entry go.
fn shrinks(rest: &[Instr], f: u32, calls: u32, params: usize) -> bool {
    let mut bytes = Vec::new();
    for x in rest {
        wtool_binary::encode_instr(&mut bytes, x);
    }
    let rest_len = bytes.len() as u64;
    let call_len = 1 + wtool_binary::leb128::u32_len(f) as u64;
    let grow = u64::from(calls) * rest_len;
    let save = u64::from(calls) * call_len + rest_len + 2 * params as u64 + 4;
    grow < save
}

/// Most callees copied into one another at one call site (each one called
/// once, so this only bounds the recursion of [`Site::expand`]).
const MAX_NESTING: u32 = 32;

/// For each instruction, whether a `loop` encloses it (one pass, a stack of
/// open constructs).
fn inside_loops(body: &[Instr]) -> Vec<bool> {
    let mut open: Vec<bool> = Vec::new();
    let mut loops = 0usize;
    let mut v = Vec::with_capacity(body.len());
    for ins in body {
        match ins {
            Instr::End => {
                if open.pop() == Some(true) {
                    loops -= 1;
                }
                v.push(loops > 0);
            }
            _ => {
                v.push(loops > 0);
                if ins.opens_block() {
                    let is_loop = matches!(ins, Instr::Loop(_));
                    loops += usize::from(is_loop);
                    open.push(is_loop);
                }
            }
        }
    }
    v
}

/// What every copy into one caller shares.
struct Site<'a> {
    callees: &'a HashMap<u32, Callee>,
    /// The caller (absolute index): its own calls are never expanded.
    caller: u32,
    /// Also copy callees called from copied bodies (shrinking: each callee
    /// has one call site, so its body appears once in all).
    nested: bool,
}

impl Site<'_> {
    /// Expands `x` when it is a call of a callee copied into copies;
    /// false (nothing appended) otherwise.
    fn expand_call(
        &self,
        out: &mut Vec<Instr>,
        types: &mut Vec<ValType>,
        x: &Instr,
        in_loop: bool,
        depth: u32,
    ) -> bool {
        let Instr::Call(n) = x else {
            return false;
        };
        let inner = self
            .callees
            .get(n)
            .filter(|_| self.nested && depth < MAX_NESTING && *n != self.caller);
        match inner {
            Some(inner) => self.expand(out, types, inner, in_loop, depth + 1),
            None => false,
        }
    }

    /// Appends a copy of `c` for a call whose arguments are on the stack,
    /// with its parameters and locals appended to `types`; false (and
    /// nothing appended) when the caller would get too many locals.
    fn expand(
        &self,
        out: &mut Vec<Instr>,
        types: &mut Vec<ValType>,
        c: &Callee,
        in_loop: bool,
        depth: u32,
    ) -> bool {
        if let Some(rest) = &c.rest {
            // Its calls are expanded like the body's below (a callee of
            // several sites calls no single-call function, see `run`).
            let skipped = c.body.len() - rest.len();
            for (k, x) in rest.iter().enumerate() {
                if !self.expand_call(out, types, x, in_loop || c.in_loop[skipped + k], depth) {
                    out.push(x.clone());
                }
            }
            return true;
        }
        let extra = (c.params.len() + c.locals.len()) as u64;
        if types.len() as u64 + extra > MAX_CALLER_LOCALS {
            return false;
        }
        let base = types.len() as u32;
        types.extend(c.params.iter().chain(&c.locals).copied());
        for p in (0..c.params.len() as u32).rev() {
            out.push(Instr::LocalSet(base + p));
        }
        if in_loop {
            for (l, t) in c.locals.iter().enumerate() {
                out.push(zero_of(*t));
                out.push(Instr::LocalSet(base + (c.params.len() + l) as u32));
            }
        }
        out.push(Instr::Block(c.block));
        for (k, x) in c.body.iter().enumerate() {
            if let Instr::Call(n) = x {
                let inner = self
                    .callees
                    .get(n)
                    .filter(|_| self.nested && depth < MAX_NESTING && *n != self.caller);
                if let Some(inner) = inner {
                    if self.expand(out, types, inner, in_loop || c.in_loop[k], depth + 1) {
                        continue;
                    }
                }
            }
            out.push(match x {
                Instr::LocalGet(v) => Instr::LocalGet(base + v),
                Instr::LocalSet(v) => Instr::LocalSet(base + v),
                Instr::LocalTee(v) => Instr::LocalTee(base + v),
                other => other.clone(),
            });
        }
        out.push(Instr::End);
        true
    }
}

/// Most locals a caller may grow to through inlining.
const MAX_CALLER_LOCALS: u64 = 10_000;

impl Pass for Inlining {
    fn name(&self) -> &'static str {
        "inlining"
    }
    fn description(&self) -> &'static str {
        "copy tiny non-recursive functions into their callers"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            changes_locals: true,
            may_grow: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, opts: &PassOptions) -> bool {
        let nimp = m.num_imported(ExternKind::Func);
        let graph = CallGraph::build_with(m, bodies);
        let shrink = opts.shrink_level > 0;
        let counts = CallGraph::call_counts_with(m, bodies);
        let referenced = if shrink {
            referenced_otherwise(m, bodies)
        } else {
            Vec::new()
        };
        // Shrinking copies a function only when its original then goes.
        // Only the callees are decoded here (small, or called once).
        let mut callees: HashMap<u32, Callee> = HashMap::new();
        for (i, f) in m.funcs.iter().enumerate() {
            let abs = nimp + i as u32;
            let size = bodies.len_of(m, i).saturating_sub(1);
            let Some(ty) = m.func_type(f.type_idx) else {
                continue;
            };
            let calls = counts.get(abs as usize).copied().unwrap_or(0);
            let free = !referenced.get(abs as usize).copied().unwrap_or(true);
            // Shrinking copies only functions nothing else names; otherwise
            // only small ones.
            let candidate = if shrink {
                free
            } else {
                size <= opts.inline_max_size
            };
            if !candidate {
                continue;
            }
            let instrs = bodies.get(m, i);
            // Copied to several sites, a body must not call a function that
            // has a single call site: that one would then have several.
            let single = |r: &Vec<Instr>| {
                calls <= 1
                    || !r
                        .iter()
                        .any(|x| matches!(x, Instr::Call(n) if counts.get(*n as usize) == Some(&1)))
            };
            let rest = if shrink && free {
                trivial_rest(f, &instrs, ty.params.len())
                    .filter(|r| single(r) && shrinks(r, abs, calls, ty.params.len()))
            } else {
                None
            };
            let wanted = if shrink {
                (calls == 1 && free) || rest.is_some()
            } else {
                size <= opts.inline_max_size
            };
            if !wanted || graph.is_recursive(abs) {
                continue;
            }
            let block = match ty.results.as_ref() {
                [] => BlockType::Empty,
                [t] => BlockType::Value(*t),
                _ if rest.is_some() => BlockType::Empty,
                _ => continue,
            };
            let Some(all) = local_types(m, f) else {
                continue;
            };
            let Some(s) = Structure::of(&instrs) else {
                continue;
            };
            let mut body = instrs.into_owned();
            body.pop();
            let in_loop = inside_loops(&body);
            for (k, ins) in body.iter_mut().enumerate() {
                if matches!(ins, Instr::Return) {
                    *ins = Instr::Br(s.depth_of(k));
                }
            }
            callees.insert(
                abs,
                Callee {
                    params: ty.params.to_vec(),
                    locals: all[ty.params.len()..].to_vec(),
                    block,
                    body,
                    in_loop,
                    rest,
                },
            );
        }
        if callees.is_empty() {
            return false;
        }
        bodies.rewrite(m, |m, unit| {
            let abs = nimp + unit.def as u32;
            let f = &unit.func;
            if !f
                .body
                .instrs
                .iter()
                .any(|x| matches!(x, Instr::Call(c) if *c != abs && callees.contains_key(c)))
            {
                return false;
            }
            let Some(mut types) = local_types(m, f) else {
                return false;
            };
            if Structure::of(&f.body.instrs).is_none() {
                return false;
            }
            let loops = inside_loops(&f.body.instrs);
            let in_loop = |k: usize| loops[k];
            let mut out = Vec::with_capacity(f.body.instrs.len());
            let mut grew = false;
            for (k, ins) in f.body.instrs.iter().enumerate() {
                let callee = match ins {
                    Instr::Call(c) if *c != abs => callees.get(c),
                    _ => None,
                };
                let Some(c) = callee else {
                    out.push(ins.clone());
                    continue;
                };
                let site = Site {
                    callees: &callees,
                    caller: abs,
                    nested: shrink,
                };
                if !site.expand(&mut out, &mut types, c, in_loop(k), 0) {
                    out.push(ins.clone());
                    continue;
                }
                grew = true;
            }
            if !grew {
                return false;
            }
            let nparams = m.func_type(f.type_idx).map_or(0, |t| t.params.len());
            let mut groups: Vec<LocalGroup> = Vec::new();
            for t in &types[nparams..] {
                match groups.last_mut() {
                    Some(g) if g.ty == *t => g.count += 1,
                    _ => groups.push(LocalGroup { count: 1, ty: *t }),
                }
            }
            let f = &mut unit.func;
            f.body.instrs = out;
            f.body.offsets.clear();
            f.locals = groups;
            unit.drop_labels = true;
            true
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{func, ins, module};

    #[test]
    fn inlines_tiny_functions() {
        let mut m = module(
            &["i32 i32 -> i32", "-> i32"],
            vec![
                func(0, "", "local.get 0 local.get 1 i32.sub return"),
                func(1, "", "i32.const 5 i32.const 3 call 0"),
                func(1, "", "loop:i32 i32.const 1 i32.const 2 call 0 end"),
            ],
        );
        assert!(Inlining.run(&mut m, &PassOptions::default()));
        assert_eq!(
            m.funcs[1].body.instrs,
            ins("i32.const 5 i32.const 3 local.set 1 local.set 0 block:i32 local.get 0 local.get 1 i32.sub br 0 end")
        );
        assert_eq!(
            m.funcs[1].locals,
            vec![LocalGroup {
                count: 2,
                ty: ValType::I32
            }]
        );
        assert!(m.funcs[2]
            .body
            .instrs
            .contains(&Instr::Block(BlockType::Value(ValType::I32))));
    }

    #[test]
    fn callee_locals_reset_in_loops_and_recursion_skipped() {
        let mut m = module(
            &["", "-> i32"],
            vec![
                func(0, "i32", "local.get 0 i32.const 1 i32.add local.set 0"),
                func(0, "", "loop call 0 end"),
                func(0, "", "call 2"),
            ],
        );
        assert!(Inlining.run(&mut m, &PassOptions::default()));
        assert_eq!(
            m.funcs[1].body.instrs,
            ins("loop i32.const 0 local.set 0 block local.get 0 i32.const 1 i32.add local.set 0 end end")
        );
        assert_eq!(m.funcs[2].body.instrs, ins("call 2"));
    }

    #[test]
    fn shrinking_inlines_single_call_sites_only() {
        // f0 (exported by `module`) is called once: still kept out, since
        // the export keeps it alive. Only unexported single-call functions go.
        let mut m = module(
            &["-> i32"],
            vec![
                func(0, "", "call 1 call 2 i32.add call 2 i32.add"),
                func(
                    0,
                    "i32",
                    "i32.const 1 local.tee 0 i32.const 2 i32.add i32.const 3 i32.add",
                ),
                // Uses a local, so not a parameter-prefix body.
                func(0, "i32", "i32.const 7 local.tee 0"),
                func(0, "", "call 0"),
            ],
        );
        m.exports.retain(|e| e.index == 0);
        let opts = PassOptions {
            shrink_level: 2,
            ..PassOptions::default()
        };
        assert!(Inlining.run(&mut m, &opts));
        assert_eq!(
            m.funcs[0].body.instrs,
            ins(
                "block:i32 i32.const 1 local.tee 0 i32.const 2 i32.add i32.const 3 i32.add end \
                 call 2 i32.add call 2 i32.add"
            )
        );
        // f2 has two call sites, f0 is exported: neither is copied.
        assert_eq!(m.funcs[3].body.instrs, ins("call 0"));
        crate::testutil::assert_valid(&m);
    }

    #[test]
    fn shrinking_copies_parameter_prefix_bodies_everywhere() {
        let mut m = module(
            &["-> i32", "i32 -> i32", ""],
            vec![
                func(
                    0,
                    "",
                    "i32.const 1 call 1 i32.const 2 call 1 i32.add call 2 call 2 \
                     i32.const 4 call 3 i32.add i32.const 5 call 3 i32.add",
                ),
                func(1, "", "local.get 0 i32.const 3 i32.mul"),
                func(2, "", "nop"),
                // Reads its parameter twice: the copies would need a local.
                func(1, "", "local.get 0 local.get 0 i32.mul"),
            ],
        );
        m.exports.retain(|e| e.index == 0);
        let opts = PassOptions {
            shrink_level: 2,
            ..PassOptions::default()
        };
        assert!(Inlining.run(&mut m, &opts));
        assert_eq!(
            m.funcs[0].body.instrs,
            ins(
                "i32.const 1 i32.const 3 i32.mul i32.const 2 i32.const 3 i32.mul i32.add nop nop \
                 i32.const 4 call 3 i32.add i32.const 5 call 3 i32.add"
            )
        );
        crate::testutil::assert_valid(&m);
        // Larger than the calls and the function together: not copied.
        let big = "local.get 0 i32.const 1 i32.add i32.const 2 i32.add i32.const 3 i32.add \
                   i32.const 4 i32.add i32.const 5 i32.add";
        let mut m = module(
            &["-> i32", "i32 -> i32"],
            vec![
                func(0, "", "i32.const 1 call 1 call 1 call 1"),
                func(1, "", big),
            ],
        );
        m.exports.retain(|e| e.index == 0);
        assert!(!Inlining.run(&mut m, &opts));
    }

    #[test]
    fn shrinking_copies_chains_of_single_callers() {
        // f0 → f1 → f2, each called once: f0 gets both bodies in one run,
        // and the copy of f2 inside f1's loop resets f2's local.
        let mut m = module(
            &["-> i32", "i32 -> i32"],
            vec![
                func(0, "", "i32.const 1 call 1"),
                func(1, "", "loop:i32 local.get 0 call 2 end"),
                func(1, "i32", "local.get 1 local.get 0 i32.add"),
            ],
        );
        m.exports.retain(|e| e.index == 0);
        let opts = PassOptions {
            shrink_level: 2,
            ..PassOptions::default()
        };
        assert!(Inlining.run(&mut m, &opts));
        assert_eq!(
            m.funcs[0].body.instrs,
            ins("i32.const 1 local.set 0 block:i32 loop:i32 local.get 0 \
                 local.set 1 i32.const 0 local.set 2 block:i32 local.get 2 local.get 1 i32.add end \
                 end end")
        );
        crate::testutil::assert_valid(&m);
    }
}

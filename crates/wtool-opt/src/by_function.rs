//! Running a run of consecutive function-local passes function by function.
//!
//! Pass after pass over the whole module, every pass leaves each body it
//! rewrites in a fresh vector sized for the old one, and the decoded module
//! (16 bytes an instruction) carries all of that until the end. Here each
//! function goes through every pass of the run, then is encoded (about two
//! bytes an instruction) and its decoded instructions dropped; when the
//! run is over every body is decoded again, at its exact size, for the
//! module-level passes that follow. The module is the same as with the
//! passes run one after the other: a function-local pass on one function
//! reads nothing another function-local pass changes in another one
//! ([`crate::Pass::function_local`]).

use std::time::{Duration, Instant};

use wtool_ast::{Expr, Features, Instr, Module};
use wtool_binary::{BodyRange, BodyReader};

use crate::pass::{Pass, PassOptions};
use crate::runner::PassTiming;

/// Runs passes `group` (indices into `passes`, all function-local) over
/// `module` function by function; their timings, in `group` order.
pub(crate) fn run(
    passes: &mut [Box<dyn Pass>],
    group: &[usize],
    module: &mut Module,
    opts: &PassOptions,
) -> Vec<PassTiming> {
    let mut elapsed = vec![Duration::ZERO; group.len()];
    let mut changed = vec![false; group.len()];
    for (j, &k) in group.iter().enumerate() {
        let t = Instant::now();
        passes[k].begin(module, opts);
        elapsed[j] += t.elapsed();
    }
    let cx = Cx {
        features: opts.features,
        has_data_count: module.data_count.is_some(),
    };
    // Every encoded body in one buffer (one big block, not one small
    // allocation between each two freed bodies, which would keep the
    // allocator from reusing their memory when they are decoded again).
    let mut arena = Vec::new();
    let mut packed: Vec<Option<Packed>> = Vec::with_capacity(module.funcs.len());
    let mut check = Expr::default();
    for def in 0..module.funcs.len() {
        for (j, &k) in group.iter().enumerate() {
            let t = Instant::now();
            changed[j] |= passes[k].run_function(module, def, opts);
            elapsed[j] += t.elapsed();
        }
        packed.push(cx.pack(&mut module.funcs[def].body, &mut arena, &mut check));
    }
    drop(check);
    for (func, p) in module.funcs.iter_mut().zip(packed) {
        if let Some(p) = p {
            cx.unpack(&mut func.body, &arena, p);
        }
    }
    group
        .iter()
        .zip(elapsed.into_iter().zip(changed))
        .map(|(&k, (elapsed, changed))| PassTiming {
            name: passes[k].name(),
            elapsed,
            changed,
        })
        .collect()
}

/// Where an encoded body is in the arena, and how many instructions it has.
#[derive(Clone, Copy)]
struct Packed {
    start: usize,
    end: usize,
    count: usize,
}

/// How bodies are decoded back.
#[derive(Clone, Copy)]
struct Cx {
    features: Features,
    has_data_count: bool,
}

impl Cx {
    /// Reads `bytes` (instructions as encoded, the final `end` included)
    /// into `into`, whose instructions must be empty.
    fn read(self, bytes: &[u8], into: &mut Vec<Instr>) -> bool {
        let Ok(end) = u32::try_from(bytes.len()) else {
            return false;
        };
        let range = BodyRange {
            defined_index: 0,
            func_index: 0,
            start: 0,
            end,
        };
        for r in BodyReader::new(bytes, &range, self.features, self.has_data_count) {
            match r {
                Ok((_, ins)) => into.push(ins),
                Err(_) => return false,
            }
        }
        true
    }

    /// Appends the encoding of `body` to `arena` and drops its
    /// instructions, when they decode back to exactly what they are (else,
    /// or with offsets to keep, `None` and the body stays as it is).
    /// `check` is scratch.
    fn pack(self, body: &mut Expr, arena: &mut Vec<u8>, check: &mut Expr) -> Option<Packed> {
        if !body.offsets.is_empty() {
            return None;
        }
        let start = arena.len();
        wtool_binary::encode_expr(arena, body);
        check.instrs.clear();
        if !self.read(&arena[start..], &mut check.instrs) || check.instrs != body.instrs {
            arena.truncate(start);
            return None;
        }
        let count = body.instrs.len();
        body.instrs = Vec::new();
        Some(Packed {
            start,
            end: arena.len(),
            count,
        })
    }

    /// Puts back the instructions [`Cx::pack`] encoded, at their exact size.
    fn unpack(self, body: &mut Expr, arena: &[u8], p: Packed) {
        let Some(bytes) = arena.get(p.start..p.end) else {
            return;
        };
        let mut instrs = Vec::with_capacity(p.count);
        // `pack` decoded these very bytes with these settings: this
        // cannot fail, and gives the instructions that were dropped.
        let ok = self.read(bytes, &mut instrs);
        debug_assert!(ok && instrs.len() == p.count);
        body.instrs = instrs;
    }
}

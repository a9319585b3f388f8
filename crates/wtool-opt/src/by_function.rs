//! Running a run of consecutive function-local passes function by function,
//! on several functions at once.
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
//!
//! The functions are taken out of the module ([`FuncUnit`]) and handed out
//! in chunks to a thread pool; each function's result depends on it and the
//! shared module alone, and they are put back by index, so the output is
//! the same bytes whatever the number of threads.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use wtool_ast::{Expr, Features, Instr, Module};
use wtool_binary::{BodyRange, BodyReader};

use crate::pass::{FuncUnit, Pass, PassOptions};
use crate::runner::PassTiming;

/// Most functions per task: few enough to spread uneven functions over the
/// threads, enough that a chunk's encoded bodies share one buffer.
const CHUNK: usize = 32;

/// Runs passes `group` (indices into `passes`, all function-local) over
/// `module` function by function, on `pool` when given; their timings, in
/// `group` order (time summed over the threads).
pub(crate) fn run(
    passes: &mut [Box<dyn Pass>],
    group: &[usize],
    module: &mut Module,
    opts: &PassOptions,
    pool: Option<&rayon::ThreadPool>,
) -> Vec<PassTiming> {
    let mut begun = vec![Duration::ZERO; group.len()];
    for (j, &k) in group.iter().enumerate() {
        let t = Instant::now();
        passes[k].begin(module, opts);
        begun[j] = t.elapsed();
    }
    let list: Vec<&dyn Pass> = group.iter().map(|&k| &*passes[k]).collect();
    let (elapsed, changed) = run_units(&list, module, opts, pool, true);
    list.iter()
        .zip(begun)
        .zip(elapsed.into_iter().zip(changed))
        .map(|((p, begun), (elapsed, changed))| PassTiming {
            name: p.name(),
            elapsed: begun + elapsed,
            changed,
        })
        .collect()
}

/// What one chunk of functions gave: each function's encoded body (when
/// packed), and per pass the time taken and whether anything changed.
struct ChunkOut {
    arena: Vec<u8>,
    packed: Vec<Option<Packed>>,
    elapsed: Vec<Duration>,
    changed: Vec<bool>,
}

/// Runs `passes` (begun already) on every defined function of `module`,
/// each function through all of them in turn; with `pack`, bodies are held
/// encoded until every function is done. Per pass, the time taken and
/// whether it changed anything.
pub(crate) fn run_units(
    passes: &[&dyn Pass],
    module: &mut Module,
    opts: &PassOptions,
    pool: Option<&rayon::ThreadPool>,
    pack: bool,
) -> (Vec<Duration>, Vec<bool>) {
    let cx = Cx {
        features: opts.features,
        has_data_count: module.data_count.is_some(),
    };
    let mut units = FuncUnit::take_all(module);
    let shared: &Module = module;
    let work = |chunk: &mut [FuncUnit]| {
        let mut out = ChunkOut {
            arena: Vec::new(),
            packed: Vec::with_capacity(chunk.len()),
            elapsed: vec![Duration::ZERO; passes.len()],
            changed: vec![false; passes.len()],
        };
        let mut check = Expr::default();
        for unit in chunk {
            for (j, pass) in passes.iter().enumerate() {
                let t = Instant::now();
                out.changed[j] |= pass.run_function(shared, unit, opts);
                out.elapsed[j] += t.elapsed();
            }
            out.packed.push(if pack {
                cx.pack(&mut unit.func.body, &mut out.arena, &mut check)
            } else {
                None
            });
        }
        out
    };
    // About eight tasks a thread at least, so that a module of a few big
    // functions still spreads.
    let threads = pool.map_or(1, |p| p.current_num_threads());
    let chunk = (units.len() / (threads * 8)).clamp(1, CHUNK);
    let outs: Vec<ChunkOut> = match pool {
        Some(pool) => pool.install(|| units.par_chunks_mut(chunk).map(work).collect()),
        None => units.chunks_mut(chunk).map(work).collect(),
    };
    let mut elapsed = vec![Duration::ZERO; passes.len()];
    let mut changed = vec![false; passes.len()];
    for (part, out) in units.chunks_mut(chunk).zip(outs) {
        for (unit, p) in part.iter_mut().zip(out.packed) {
            if let Some(p) = p {
                cx.unpack(&mut unit.func.body, &out.arena, p);
            }
        }
        for j in 0..passes.len() {
            elapsed[j] += out.elapsed[j];
            changed[j] |= out.changed[j];
        }
    }
    FuncUnit::put_back(module, units);
    (elapsed, changed)
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

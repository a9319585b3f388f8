//! Mutants of real modules through every stage a user can point at them:
//! decode (and streaming validation), dump, print and re-parse, validate,
//! optimize, run. No stage may panic, abort or die of a signal.
//!
//! The mutants are made deterministically from a seed and an index, from
//! the real modules in `fixtures/` (C programs compiled by clang, one of them
//! auto-vectorised SIMD, one with atomics, and an exceptions module). Half are byte mutants: bit flips, interesting
//! bytes, insertions, deletions and copied runs, mostly inside the code
//! section. Half are instruction mutants, made on the decoded module and
//! encoded again: constants replaced by edge values, instructions deleted,
//! duplicated or swapped, data bytes and memory limits changed; many of
//! those still validate, so they reach the optimizer and the interpreter. A worker process (this test binary, re-run as the ignored
//! test `mutants_worker`) does the work and reports each index before
//! starting it; when it dies, the driver writes the mutant that killed it to
//! `target/mutants/` and goes on with a new worker from the next index.
//!
//! `cargo test --test mutants` runs 300 mutants. A long run:
//! `WTOOL_MUTANTS=100000 cargo test --release --test mutants -- --nocapture`
//! (`WTOOL_MUTANT_SEED` picks another sequence). The inputs include a
//! threads build (atomics on a shared memory) and an exceptions module
//! (exnref and legacy handlers), and every feature is on.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::rc::Rc;

use wtool_ast::Features;
use wtool_interp::{Config, Extern, Imports, Store, Value};

/// The real modules mutated (relative to the repository root).
const INPUTS: &[&str] = &[
    "fixtures/kernels-simd.wasm",
    "fixtures/kernels.wasm",
    "fixtures/kernels-O0.wasm",
    "fixtures/hello.wasm",
    "fixtures/add.wasm",
    "fixtures/atomics.wasm",
    "fixtures/exceptions.wasm",
];

/// The features the pipeline runs with: all of them, so that mutants of the
/// threads and exceptions modules reach every stage.
const FEATURES: Features = Features::ALL;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// xorshift64*: a deterministic stream per mutant.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Rng {
        let mut z = seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The byte range of the code section (id 10), if the section headers read.
fn code_section(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let (mut size, mut shift) = (0usize, 0);
        loop {
            let b = *bytes.get(at)?;
            at += 1;
            size |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        let end = at.checked_add(size)?.min(bytes.len());
        if id == 10 {
            return Some((at, end));
        }
        at = end;
    }
    None
}

/// Edge values for constants.
const EDGES: [i64; 10] = [
    0,
    1,
    -1,
    2,
    0x7fff_ffff,
    -0x8000_0000,
    0xffff,
    0x10000,
    i64::MAX,
    i64::MIN,
];

/// An instruction-level mutant of `bytes` (which decode).
fn instr_mutant(bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    use wtool_ast::Instr;
    let mut m = wtool_binary::decode_with_features(bytes, FEATURES).ok()?;
    for _ in 0..1 + rng.below(3) {
        match rng.below(8) {
            0 if !m.datas.is_empty() => {
                let d = rng.below(m.datas.len());
                let data = &mut m.datas[d].data;
                if !data.is_empty() {
                    let at = rng.below(data.len());
                    data[at] = rng.next() as u8;
                }
            }
            1 if !m.memories.is_empty() => {
                let l = &mut m.memories[0].limits;
                match rng.below(3) {
                    0 => l.min = l.min.saturating_sub(1),
                    1 => l.max = Some(l.min + rng.below(3) as u64),
                    _ => l.max = None,
                }
            }
            _ if !m.funcs.is_empty() => {
                let f = rng.below(m.funcs.len());
                let body = &mut m.funcs[f].body;
                body.offsets.clear();
                let n = body.instrs.len();
                if n < 2 {
                    continue;
                }
                // Never the final `end`.
                let at = rng.below(n - 1);
                let edge = EDGES[rng.below(EDGES.len())];
                match (&mut body.instrs[at], rng.below(4)) {
                    (Instr::I32Const(c), 0 | 1) => *c = edge as i32,
                    (Instr::I64Const(c), 0 | 1) => *c = edge,
                    (Instr::F32Const(c), 0 | 1) => *c = edge as u32,
                    (Instr::F64Const(c), 0 | 1) => *c = edge as u64,
                    (_, 0) => {
                        body.instrs.remove(at);
                    }
                    (_, 1) => {
                        let i = body.instrs[at].clone();
                        body.instrs.insert(at, i);
                    }
                    _ if at + 2 < n => body.instrs.swap(at, at + 1),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Some(wtool_binary::encode(&m))
}

/// Mutant `index` of the sequence `seed`.
fn mutant(inputs: &[Vec<u8>], seed: u64, index: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed, index);
    let mut b = inputs[rng.below(inputs.len())].clone();
    if rng.below(2) == 0 {
        if let Some(m) = instr_mutant(&b, &mut rng) {
            return m;
        }
    }
    let code = code_section(&b);
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            break;
        }
        let at = match code {
            Some((s, e)) if e > s && rng.below(10) < 7 => (s + rng.below(e - s)).min(b.len() - 1),
            _ => rng.below(b.len()),
        };
        match rng.below(6) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b[at] = [0x00, 0xff, 0x7f, 0x80, 0x40, 0x01, 0x0b, 0xfd][rng.below(8)],
            2 => b.insert(at, rng.next() as u8),
            3 => {
                b.remove(at);
            }
            4 => {
                let n = 1 + rng.below(16);
                let from = rng.below(b.len());
                let chunk: Vec<u8> = b[from..(from + n).min(b.len())].to_vec();
                let end = (at + chunk.len()).min(b.len());
                b.splice(at..end, chunk);
            }
            _ => b[at] = rng.next() as u8,
        }
    }
    b
}

/// Runs every stage on one mutant; a stage's panic is reported and the rest
/// of that mutant skipped. Returns how far it got: 0 undecodable, 1
/// decoded but invalid, 2 valid (optimized and run).
fn exercise(bytes: &[u8], index: u64) -> usize {
    let stage = |name: &str, f: &mut dyn FnMut() -> bool| -> bool {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(go_on) => go_on,
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                println!("PANIC {index} {name}: {}", msg.replace('\n', " "));
                false
            }
        }
    };
    let _ = stage("validate_binary", &mut || {
        let _ = wtool_validate::validate_binary(bytes, FEATURES);
        true
    });
    let mut module = None;
    if !stage("decode", &mut || {
        module = wtool_binary::decode_with_features(bytes, FEATURES).ok();
        module.is_some()
    }) {
        return 0;
    }
    let Some(module) = module else { return 0 };
    let _ = stage("dump", &mut || {
        let opts = wtool_dump::DumpOptions {
            instructions: true,
            data: true,
        };
        let _ = wtool_dump::to_json(&wtool_dump::dump(&module, bytes, opts));
        true
    });
    let _ = stage("print", &mut || {
        for fold in [false, true] {
            let opts = wtool_print::PrintOptions {
                fold,
                ..Default::default()
            };
            let text = wtool_print::print(&module, &opts);
            let _ = wtool_text::parse_module(text.as_bytes());
        }
        true
    });
    if !stage("validate", &mut || {
        wtool_validate::validate(&module, FEATURES).is_ok()
    }) {
        return 1;
    }
    let _ = stage("opt", &mut || {
        let level = wtool_opt::pipeline::LEVELS[index as usize % 6];
        let mut m = module.clone();
        match wtool_opt::optimize(&mut m, level, Default::default()) {
            Ok(_) => {
                if let Err(e) = wtool_validate::validate(&m, FEATURES) {
                    println!("FINDING {index} opt -{level}: output invalid: {e}");
                }
            }
            Err(e) => println!("FINDING {index} opt -{level}: {e}"),
        }
        true
    });
    let _ = stage("run", &mut || {
        run(&module);
        true
    });
    2
}

/// Instantiates with WASI (no directories, no output) and small limits,
/// then runs `_start`, or calls every export with zero arguments.
fn run(module: &wtool_ast::Module) {
    let mut store = Store::with_config(Config {
        fuel: Some(20_000),
        max_memory_bytes: 64 << 20,
        max_table_elements: 100_000,
        max_call_depth: 2_000,
        ..Config::default()
    });
    let ctx = wtool_wasi::WasiCtx::builder()
        .arg("mutant")
        .stdout(wtool_wasi::OutputStream::Null)
        .stderr(wtool_wasi::OutputStream::Null)
        .build()
        .expect("WASI context");
    let mut imports = Imports::new();
    wtool_run::define_wasi(&mut store, &mut imports, Rc::new(RefCell::new(ctx)));
    // Imported memories (a threads build imports its shared memory) get a
    // fresh memory of the declared type.
    for imp in &module.imports {
        if let wtool_ast::ImportDesc::Memory(ty) = imp.desc {
            if let Some(m) = store.add_memory(ty) {
                imports.define(&imp.module, &imp.name, Extern::Memory(m));
            }
        }
    }
    let Ok(inst) = store.instantiate(module, &imports) else {
        return;
    };
    if let Some(Extern::Func(f)) = store.get_export(inst, "_start") {
        let _ = store.call(f, &[]);
        return;
    }
    for (_, e) in store.exports(inst) {
        let Extern::Func(f) = e else { continue };
        let Some(ty) = store.func_type(f).cloned() else {
            continue;
        };
        let args: Vec<Value> = ty.params.iter().map(|&t| Value::default_for(t)).collect();
        let _ = store.call(f, &args);
    }
}

fn inputs() -> Vec<Vec<u8>> {
    INPUTS
        .iter()
        .map(|p| std::fs::read(root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}")))
        .collect()
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The worker: mutants `start..end` of `seed`, from `WTOOL_MUTANT_RANGE`.
#[test]
#[ignore = "worker process of mutants_do_not_crash"]
fn mutants_worker() {
    let Ok(range) = std::env::var("WTOOL_MUTANT_RANGE") else {
        return;
    };
    let v: Vec<u64> = range.split(':').filter_map(|x| x.parse().ok()).collect();
    let [seed, start, end] = v[..] else {
        panic!("WTOOL_MUTANT_RANGE is seed:start:end");
    };
    std::panic::set_hook(Box::new(|_| {}));
    let inputs = inputs();
    let mut out = std::io::stdout().lock();
    let mut reached = [0u64; 3];
    for i in start..end {
        let _ = writeln!(out, "M {i}");
        let _ = out.flush();
        reached[exercise(&mutant(&inputs, seed, i), i)] += 1;
    }
    let _ = writeln!(out, "DONE {} {} {}", reached[0], reached[1], reached[2]);
}

#[test]
fn mutants_do_not_crash() {
    let total = env_u64("WTOOL_MUTANTS", 300);
    let seed = env_u64("WTOOL_MUTANT_SEED", 18);
    let inputs = inputs();
    let exe = std::env::current_exe().unwrap();
    let (mut next, mut crashes, mut panics, mut findings) = (0u64, Vec::new(), Vec::new(), 0);
    let mut reached = [0u64; 3];
    let started = std::time::Instant::now();
    while next < total {
        let mut child = Command::new(&exe)
            .args(["--exact", "mutants_worker", "--ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .env("WTOOL_MUTANT_RANGE", format!("{seed}:{next}:{total}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut current = None;
        let mut done = false;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap_or_default();
            if let Some(i) = line.strip_prefix("M ") {
                current = i.parse::<u64>().ok();
            } else if line.starts_with("PANIC ") {
                panics.push(line);
            } else if line.starts_with("FINDING ") {
                println!("{line}");
                findings += 1;
            } else if let Some(counts) = line.strip_prefix("DONE ") {
                for (r, c) in reached.iter_mut().zip(counts.split(' ')) {
                    *r += c.parse::<u64>().unwrap_or(0);
                }
                done = true;
            }
        }
        let status = child.wait().unwrap();
        if done && status.success() {
            break;
        }
        // The worker died inside mutant `current`: keep it, go on after it.
        let i = current.unwrap_or(next);
        let dir = root().join("target/mutants");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("crash-{seed}-{i}.wasm"));
        let _ = std::fs::write(&path, mutant(&inputs, seed, i));
        crashes.push(format!(
            "mutant {i}: worker ended with {status}; kept as {path:?}"
        ));
        next = i + 1;
    }
    println!(
        "{total} mutants (seed {seed}) through decode, dump, print, validate, opt, run in {:?} \
         (in workers that finished: {} undecodable, {} invalid, {} valid): \
         {} crashed the process, {} panicked, {findings} findings",
        started.elapsed(),
        reached[0],
        reached[1],
        reached[2],
        crashes.len(),
        panics.len()
    );
    for c in crashes.iter().chain(&panics).take(20) {
        println!("{c}");
    }
    assert!(crashes.is_empty() && panics.is_empty());
    assert!(
        reached[2] * 10 >= total,
        "fewer than a tenth of the mutants are valid: the pipeline is barely exercised"
    );
}

/// The mutator is deterministic and does mutate.
#[test]
fn mutants_are_reproducible() {
    let inputs = inputs();
    let a: Vec<Vec<u8>> = (0..50).map(|i| mutant(&inputs, 1, i)).collect();
    let b: Vec<Vec<u8>> = (0..50).map(|i| mutant(&inputs, 1, i)).collect();
    assert_eq!(a, b);
    assert!(a.iter().filter(|m| !inputs.contains(m)).count() > 40);
}

//! Long-running randomized parse run: `cargo run --release -p wtool-text
//! --example fuzz_parse -- [MINUTES] [MAX_ITERATIONS] [SEED]` mutates spec
//! testsuite text (byte flips, deletions, duplications, splices, token
//! insertions) and feeds it to the module and script parsers; a panic aborts
//! the run with the offending input saved to `fuzz-crash.wat`. Prints the
//! number of executions.

use std::time::{Duration, Instant};

/// A small deterministic PRNG (xorshift64*), so runs are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"(",
    b")",
    b"$x",
    b"$\"q\"",
    b"block",
    b"end",
    b"else",
    b"(then",
    b"(else",
    b"if",
    b"loop",
    b"i32.const",
    b"0x",
    b"-0x1p-149",
    b"nan:0x1",
    b"inf",
    b"\"\\ff\"",
    b"(;",
    b";)",
    b";;",
    b"(@custom",
    b"(@x",
    b"offset=",
    b"align=3",
    b"(type 0)",
    b"(param $p i32)",
    b"(result i64)",
    b"br_table 0 1",
    b"call_indirect",
    b"(elem",
    b"(data",
    b"(module",
    b"quote",
    b"binary",
    b"\xff",
    b"\xe2\x80",
    b"1_000",
    b"__",
    b"v128.const i8x16",
];

fn mutate(rng: &mut Rng, seed: &[u8], corpus: &[&[u8]]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = v.len();
        match rng.below(6) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(16).min(len - i);
                v.drain(i..i + n);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(64).min(len - i);
                let chunk = v[i..i + n].to_vec();
                let at = rng.below(len);
                v.splice(at..at, chunk);
            }
            3 => {
                let other = corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let n = rng.below(256).min(other.len() - i);
                    let at = rng.below(len + 1);
                    v.splice(at..at, other[i..i + n].iter().copied());
                }
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                v.splice(at..at, t.iter().copied());
                v.insert(at, b' ');
            }
        }
    }
    v
}

fn main() {
    let mut args = std::env::args().skip(1);
    let minutes: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let max_iters: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
    let seed: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let files = wtool_testsupport::v2_files();
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for f in &files {
        if f.text.len() < 20_000 {
            seeds.push(f.text.as_bytes().to_vec());
        }
        let mut rest = f.text;
        while let Some(i) = rest.find("(module") {
            let s = wtool_testsupport::sexpr_at(rest, i + 1);
            if s.len() < 4_000 {
                seeds.push(s.as_bytes().to_vec());
            }
            rest = &rest[i + 7..];
        }
    }
    let corpus: Vec<&[u8]> = seeds.iter().map(|s| s.as_slice()).collect();
    let budget = Duration::from_secs_f64(minutes * 60.0);
    let start = Instant::now();
    let mut rng = Rng(seed | 1);
    let mut execs = 0u64;
    let mut accepted = 0u64;
    let mut slowest = Duration::ZERO;
    while start.elapsed() < budget && execs < max_iters {
        let base = corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, base, &corpus);
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| {
            let ok = wtool_text::parse_module(&input).is_ok();
            let _ = wtool_text::script::parse_script(&input);
            ok
        });
        match result {
            Ok(true) => accepted += 1,
            Ok(false) => {}
            Err(_) => {
                let _ = std::fs::write("fuzz-crash.wat", &input);
                eprintln!("panic after {execs} executions; input saved to fuzz-crash.wat");
                std::process::exit(1);
            }
        }
        slowest = slowest.max(t.elapsed());
        execs += 1;
        if execs.is_multiple_of(1_000_000) {
            eprintln!("{execs} executions, {:.0}s", start.elapsed().as_secs_f64());
        }
    }
    println!(
        "executions: {execs}, accepted modules: {accepted}, slowest input: {slowest:?}, time: {:.1}s",
        start.elapsed().as_secs_f64()
    );
}

//! Long-running randomized parse run: `cargo run --release -p wtool-text
//! --example fuzz_parse -- [MINUTES] [MAX_ITERATIONS] [SEED]` mutates spec
//! testsuite text (byte flips, deletions, duplications, splices, token
//! insertions) and feeds it to the module and script parsers; a panic aborts
//! the run with the offending input saved to `fuzz-crash.wat`. Prints the
//! number of executions.

use std::time::{Duration, Instant};

#[path = "../tests/common/mutate.rs"]
mod common_mutate;
use common_mutate::{mutate, seed_corpus, Rng};

fn main() {
    let mut args = std::env::args().skip(1);
    let minutes: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let max_iters: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
    let seed: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let seeds = seed_corpus();
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

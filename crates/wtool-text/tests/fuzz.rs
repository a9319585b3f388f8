//! A bounded randomized run over mutated spec text: the lexer, parser and
//! script parser must never panic or hang, whatever the bytes.

use std::time::{Duration, Instant};

#[path = "common/mutate.rs"]
mod common_mutate;
use common_mutate::{mutate, seed_corpus, Rng};

#[test]
fn fuzz_mutated_spec_text() {
    let seeds = seed_corpus();
    let corpus: Vec<&[u8]> = seeds.iter().map(|s| s.as_slice()).collect();
    let budget = Duration::from_secs(
        std::env::var("WTOOL_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10),
    );
    let start = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut execs = 0u64;
    let mut accepted = 0u64;
    while start.elapsed() < budget {
        let seed = corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, seed, &corpus);
        let t = Instant::now();
        if wtool_text::parse_module(&input).is_ok() {
            accepted += 1;
        }
        let _ = wtool_text::script::parse_script(&input);
        assert!(
            t.elapsed() < Duration::from_secs(2),
            "slow input ({} bytes): {:?}",
            input.len(),
            String::from_utf8_lossy(&input)
        );
        execs += 1;
    }
    println!("fuzz: {execs} executions, {accepted} accepted modules");
    assert!(execs > 100);
}

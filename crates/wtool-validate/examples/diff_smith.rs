//! The long differential run: `cargo run --release -p wtool-validate --example diff_smith -- [SEEDS] [MUTATIONS]`.
//! With `--disagreements`, also prints samples of inputs where the two decoders
//! disagree; `--generated-only` checks decoder agreement on unmutated modules.

#[path = "../tests/common/diff.rs"]
mod diff;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show = args.iter().any(|a| a == "--disagreements");
    let nums: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let seeds = nums.first().copied().unwrap_or(20_000);
    let mutations = nums.get(1).copied().unwrap_or(10);
    if args.iter().any(|a| a == "--generated-only") {
        for seed in 0..seeds {
            let Some(bytes) = diff::generate(seed) else {
                continue;
            };
            let ours = wtool_binary::decode(&bytes);
            let theirs = diff::wasmparser_decodes(&bytes);
            if ours.is_ok() != theirs {
                println!(
                    "seed {seed}: wtool decode {:?}, wasmparser decodes: {theirs}",
                    ours.err().map(|e| (e.offset(), e.to_string()))
                );
            }
        }
        return;
    }
    let start = std::time::Instant::now();
    let r = diff::run(0..seeds, mutations);
    println!(
        "differential: {} generated ({} compared, {} valid), {} byte mutants ({} compared, {} valid), \
         {} instruction mutants ({} compared, {} valid), {} decoder disagreements, {} verdicts compared in total, {} validator mismatches, {:?}",
        r.generated,
        r.generated_compared,
        r.generated_valid,
        r.mutants,
        r.mutants_compared,
        r.mutants_valid,
        r.instr_mutants,
        r.instr_mutants_compared,
        r.instr_mutants_valid,
        r.decoder_disagreements,
        r.compared(),
        r.mismatches.len(),
        start.elapsed()
    );
    if show {
        for d in &r.decoder_samples {
            println!("DECODER {d}");
        }
    }
    let (gated, gated_rejected, gating) = diff::run_gating(0..seeds.min(5_000));
    println!(
        "feature gating: {gated} (module, feature set) verdicts compared, {gated_rejected} rejected by wasmparser, {} mismatches",
        gating.len()
    );
    for m in gating.iter().chain(&r.mismatches) {
        println!("MISMATCH {m}");
    }
    if !r.mismatches.is_empty() || !gating.is_empty() {
        std::process::exit(1);
    }
}

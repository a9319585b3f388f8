//! Our validator against wasmparser on wasm-smith modules and single-byte
//! mutations of them (the long run is `cargo run --example diff_smith`).

#[path = "common/diff.rs"]
mod diff;

#[test]
fn differential_vs_wasmparser() {
    let seeds: u64 = std::env::var("WTOOL_DIFF_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    let start = std::time::Instant::now();
    let r = diff::run(0..seeds, 10);
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
    for m in r.mismatches.iter().take(30) {
        println!("MISMATCH {m}");
    }
    assert!(
        r.mismatches.is_empty(),
        "{} verdicts differ from wasmparser",
        r.mismatches.len()
    );
    assert!(
        r.generated_compared > seeds / 2,
        "too few generated modules compared"
    );
}

/// The same generated modules (and instruction mutants) with 2.0 minus one
/// proposal at a time, and with 1.0: every use of a disabled proposal must
/// be rejected exactly when wasmparser rejects it.
#[test]
fn feature_gating_vs_wasmparser() {
    let (compared, rejected, mismatches) = diff::run_gating(0..2000);
    println!(
        "feature gating: {compared} (module, feature set) verdicts compared, {rejected} rejected by wasmparser, {} mismatches",
        mismatches.len()
    );
    for m in mismatches.iter().take(30) {
        println!("MISMATCH {m}");
    }
    assert!(mismatches.is_empty());
    assert!(
        rejected > compared / 4,
        "the generated modules should use 2.0 features"
    );
}

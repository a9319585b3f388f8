//! Every valid module of the WebAssembly 2.0 spec testsuite, optimized at
//! `-O3` and `-Oz`: the result must validate (the runner validates after each
//! pass and names the pass that broke validity), `-Oz` must never grow the
//! encoding, and optimizing is deterministic (same bytes twice).

use wtool_ast::{Features, Module};
use wtool_opt::{OptLevel, PassManager, PassOptions};
use wtool_testsupport::{oracle_modules, v2_files, Expect};

fn optimize(m: &Module, level: OptLevel) -> Result<(Module, wtool_opt::RunReport), String> {
    let mut out = m.clone();
    let mut pm = PassManager::for_level(
        level,
        PassOptions {
            features: Features::WASM2,
            ..Default::default()
        },
    );
    pm.validate_after_each(true);
    let report = pm.run(&mut out).map_err(|e| e.to_string())?;
    Ok((out, report))
}

#[test]
fn spec_modules_stay_valid_smaller_and_deterministic() {
    let mut inputs = 0usize;
    let mut upstream_skipped: Vec<String> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let (mut bytes_in, mut bytes_o3, mut bytes_oz) = (0usize, 0usize, 0usize);
    for file in v2_files() {
        let Ok(mods) = oracle_modules(&file) else {
            continue;
        };
        for om in mods {
            if om.expect != Expect::Valid {
                continue;
            }
            let Ok(bytes) = &om.bytes else { continue };
            let where_ = format!("{}:{}", file.path(), om.line);
            // Decoding and validating the input are other crates' tests; a
            // module they reject is reported here, not blamed on the optimizer.
            let m = match wtool_binary::decode(bytes) {
                Ok(m) => m,
                Err(e) => {
                    upstream_skipped.push(format!("{where_}: decode: {e}"));
                    continue;
                }
            };
            if let Err(e) = wtool_validate::validate(&m, Features::WASM2) {
                upstream_skipped.push(format!("{where_}: validate: {e}"));
                continue;
            }
            inputs += 1;
            let input_size = wtool_binary::encode(&m).len();
            bytes_in += input_size;
            for level in [OptLevel::O3, OptLevel::OZ] {
                match optimize(&m, level) {
                    Err(e) => failures.push(format!("{where_} -{level}: {e}")),
                    Ok((out, _)) => {
                        let bytes = wtool_binary::encode(&out);
                        if level == OptLevel::OZ {
                            bytes_oz += bytes.len();
                            if bytes.len() > input_size {
                                failures.push(format!(
                                    "{where_} -Oz grew {input_size} → {}",
                                    bytes.len()
                                ));
                            }
                        } else {
                            bytes_o3 += bytes.len();
                        }
                        let again = optimize(&m, level).map(|(o, _)| wtool_binary::encode(&o));
                        if again.as_ref() != Ok(&bytes) {
                            failures.push(format!("{where_} -{level}: not deterministic"));
                        }
                        // The output must decode back to what was encoded.
                        if let Err(e) = wtool_binary::decode(&bytes) {
                            failures
                                .push(format!("{where_} -{level}: output does not decode: {e}"));
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "spec modules optimized: {inputs} (upstream-rejected inputs: {}); bytes in {bytes_in}, -O3 {bytes_o3}, -Oz {bytes_oz}",
        upstream_skipped.len()
    );
    for s in upstream_skipped.iter().take(10) {
        eprintln!("  upstream: {s}");
    }
    assert!(
        inputs > 1000,
        "too few modules reached the optimizer: {inputs}"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

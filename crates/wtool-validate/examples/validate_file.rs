//! Times decode and validation of a file against wasmparser:
//! `validate_file FILE [ITERS]` (ITERS = 0: one decode+validate only, for peak RSS;
//! with `WTOOL_STREAM=1`, one streaming `validate_binary` instead).

use wtool_ast::Features;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .map(String::as_str)
        .unwrap_or("fixtures/big.wasm");
    let iters: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let bytes = std::fs::read(path).expect("read");
    if std::env::var("WTOOL_STREAM").is_ok_and(|v| v == "1") && iters == 0 {
        // One streaming validate (bodies never materialised): peak RSS.
        wtool_validate::validate_binary(&bytes, Features::WASM2).expect("valid");
        return;
    }
    if iters == 0 {
        // One decode + validate, nothing else: for peak-RSS measurements.
        let m = wtool_binary::decode(&bytes).expect("decode");
        wtool_validate::validate(&m, Features::WASM2).expect("valid");
        return;
    }
    // WTOOL_ONLY=validate|wasmparser|decode|stream: run just that part `iters`
    // times (for `perf stat`); WTOOL_ONLY=compare: streaming validate vs
    // wasmparser, interleaved.
    match std::env::var("WTOOL_ONLY").as_deref() {
        Ok("validate") => {
            let m = wtool_binary::decode(&bytes).expect("decode");
            for _ in 0..iters {
                wtool_validate::validate(&m, Features::WASM2).expect("valid");
            }
            return;
        }
        Ok("wasmparser") => {
            for _ in 0..iters {
                wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::WASM2)
                    .validate_all(&bytes)
                    .unwrap();
            }
            return;
        }
        Ok("stream") => {
            for _ in 0..iters {
                wtool_validate::validate_binary(&bytes, Features::WASM2).expect("valid");
            }
            return;
        }
        Ok("compare") => {
            // Streaming validate vs wasmparser, interleaved so that load from
            // other processes hits both alike; min and median per side.
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for _ in 0..iters {
                let t = std::time::Instant::now();
                wtool_validate::validate_binary(&bytes, Features::WASM2).expect("valid");
                ours.push(t.elapsed());
                let t = std::time::Instant::now();
                wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::WASM2)
                    .validate_all(&bytes)
                    .unwrap();
                theirs.push(t.elapsed());
            }
            ours.sort();
            theirs.sort();
            let (om, tm) = (ours[ours.len() / 2], theirs[theirs.len() / 2]);
            println!(
                "validate_binary min {:?} median {om:?}; wasmparser min {:?} median {tm:?}; ratio (median) {:.2}",
                ours[0],
                theirs[0],
                om.as_secs_f64() / tm.as_secs_f64()
            );
            return;
        }
        Ok("decode") => {
            for _ in 0..iters {
                wtool_binary::decode(&bytes).expect("decode");
            }
            return;
        }
        _ => {}
    }
    let t = std::time::Instant::now();
    let m = wtool_binary::decode(&bytes).expect("decode");
    let decode = t.elapsed();
    let n: usize = m.funcs.iter().map(|f| f.body.instrs.len()).sum();
    let t = std::time::Instant::now();
    for _ in 0..iters {
        wtool_validate::validate(&m, Features::WASM2).expect("valid");
    }
    let v = t.elapsed() / iters;
    let t = std::time::Instant::now();
    for _ in 0..iters {
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::WASM2)
            .validate_all(&bytes)
            .unwrap();
    }
    let w = t.elapsed() / iters;
    println!("{} funcs, {n} instrs; decode {decode:?}; validate {v:?} ({:.1} ns/instr); wasmparser {w:?}", m.funcs.len(), v.as_nanos() as f64 / n as f64);
}

//! Differential tests of the component codecs against wit-component:
//! wit-smith packages decode and re-encode to the same bytes, embedding
//! gives the same module, and real components decode (when present).

use arbitrary::Unstructured;
use wtool_wit::{decode, encode, DecodedWasm};

/// Deterministic pseudo-random bytes for wit-smith (xorshift64*).
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// A wit-smith package for `seed`, or `None` when wit-smith declines it.
fn smith(seed: u64) -> Option<Vec<u8>> {
    let data = bytes(seed, 4096);
    let mut u = Unstructured::new(&data);
    let config = wit_smith::Config {
        async_: seed.is_multiple_of(3),
        futures: seed.is_multiple_of(5),
        streams: seed.is_multiple_of(7),
        error_context: seed.is_multiple_of(11),
        fixed_length_lists: seed.is_multiple_of(4),
        implements: seed % 2 == 1,
        ..wit_smith::Config::default()
    };
    wit_smith::smith(&config, &mut u).ok()
}

fn count() -> u64 {
    std::env::var("WIT_SMITH_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn wit_smith_roundtrip() {
    let (mut tried, mut same, mut failed) = (0, 0, Vec::new());
    let want = count();
    for seed in 0.. {
        if tried >= want {
            break;
        }
        let Some(wasm) = smith(seed) else { continue };
        tried += 1;
        let outcome = match decode(&wasm) {
            Ok(DecodedWasm::WitPackage(resolve, pkg)) => match encode(&resolve, pkg) {
                Ok(ours) if ours == wasm => Ok(()),
                Ok(ours) => Err({
                    if let Ok(dir) = std::env::var("WIT_DUMP") {
                        let _ = std::fs::write(format!("{dir}/{seed}-theirs.wasm"), &wasm);
                        let _ = std::fs::write(format!("{dir}/{seed}-ours.wasm"), &ours);
                    }
                    format!(
                        "bytes differ (ours {} bytes, theirs {}; first difference at {})",
                        ours.len(),
                        wasm.len(),
                        ours.iter()
                            .zip(&wasm)
                            .position(|(a, b)| a != b)
                            .unwrap_or(ours.len().min(wasm.len()))
                    )
                }),
                Err(e) => Err(format!("encode: {e}")),
            },
            Ok(DecodedWasm::Component(..)) => Err("decoded as a component".into()),
            Err(e) => Err(format!("decode: {e}")),
        };
        match outcome {
            Ok(()) => same += 1,
            Err(e) => failed.push((seed, e)),
        }
    }
    println!("wit-smith: {tried} packages, {same} re-encoded identically");
    for (seed, e) in failed.iter().take(10) {
        println!("  seed {seed}: {e}");
    }
    assert!(failed.is_empty(), "{} of {tried} failed", failed.len());
    assert!(tried > 0);
}

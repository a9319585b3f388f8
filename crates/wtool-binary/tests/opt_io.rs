//! What the optimizer's input and output paths rely on: `decode_without_offsets`
//! is `decode_with_features` less the body offsets (errors included), and
//! `encode_into` (streamed, consuming the module) writes `encode`'s bytes.

use wtool_ast::{Features, Module};
use wtool_binary::{decode_with_features, decode_without_offsets, encode, encode_into};
use wtool_testsupport::{fixture_modules, oracle_modules, v2_files};

/// The eager module with every body's offsets dropped.
fn without_offsets(mut m: Module) -> Module {
    for f in &mut m.funcs {
        f.body.offsets.clear();
    }
    m
}

/// Checks both paths on `bytes`; whether it decoded.
fn check(bytes: &[u8], features: Features, what: &str) -> bool {
    let eager = decode_with_features(bytes, features);
    let bare = decode_without_offsets(bytes, features);
    match (eager, bare) {
        (Ok(e), Ok(b)) => {
            assert!(b.funcs.iter().all(|f| f.body.offsets.is_empty()), "{what}");
            let expected = encode(&e);
            assert!(without_offsets(e) == b, "{what}: modules differ");
            let mut streamed = Vec::new();
            encode_into(b, &mut streamed).expect("write to a Vec");
            assert!(
                streamed == expected,
                "{what}: encode_into differs from encode"
            );
            true
        }
        (Err(e), Err(b)) => {
            assert_eq!(e, b, "{what}: errors differ");
            false
        }
        (e, b) => panic!("{what}: eager {:?}, without offsets {:?}", e.err(), b.err()),
    }
}

#[test]
fn same_modules_errors_and_bytes_on_spec_suite() {
    let (mut ok, mut bad) = (0, 0);
    for file in v2_files() {
        let Ok(mods) = oracle_modules(&file) else {
            continue;
        };
        for m in mods {
            let Ok(bytes) = &m.bytes else { continue };
            if check(
                bytes,
                Features::WASM2,
                &format!("{}:{}", file.path(), m.line),
            ) {
                ok += 1;
            } else {
                bad += 1;
            }
        }
    }
    println!("decode_without_offsets and encode_into agree on {ok} decoded and {bad} malformed spec modules");
    assert!(ok > 3000 && bad > 500);
}

#[test]
fn same_modules_and_bytes_on_fixtures() {
    let mods = fixture_modules();
    assert!(mods.len() >= 5);
    for (name, bytes) in &mods {
        check(bytes, Features::ALL, name);
    }
}

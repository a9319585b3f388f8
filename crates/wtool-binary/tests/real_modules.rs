//! Real modules: every committed fixture decodes, re-encodes to identical
//! bytes, and the `wasmparser` oracle validates the output. Spec modules'
//! re-encodings are validated by the oracle too.

mod common;

use wasmparser::{Validator, WasmFeatures};
use wtool_ast::{DataMode, ElemItems, ElemMode, Features, Module};
use wtool_binary::{decode_with_features, encode};
use wtool_testsupport::{oracle_modules, v2_files, Expect, Form};

/// Why a fixture may legitimately fail to re-encode byte for byte: a
/// linker pads relocated LEB128 immediates (call indices, memory addresses,
/// table indices) to five bytes, so its output is not the canonical
/// encoding. wasm-ld output is recognised by its `producers` section naming
/// clang or rustc (both link wasm with it; the Rust-built preview 1 adapter
/// under `component/` is one); Zig's own linker, which links the
/// C++ fixtures under `cxx/` (see `fixtures/cxx/build.sh`), writes no
/// custom sections at all, so those are known by their directory. Either
/// kind must still re-encode to the same module (positions aside) and to a
/// fixed point. Every other fixture must round-trip byte for byte.
fn linker_output(name: &str, m: &Module) -> bool {
    name.starts_with("cxx/")
        || m.customs.iter().any(|c| {
            c.name == "producers"
                && (c.data.windows(5).any(|w| w == b"clang")
                    || c.data.windows(5).any(|w| w == b"rustc"))
        })
}

/// The module without positions (offsets, sizes, section layout), for
/// comparing a module with its canonical re-encoding.
fn without_positions(mut m: Module) -> Module {
    m.sections.clear();
    let clear = |e: &mut wtool_ast::Expr| e.offsets.clear();
    for f in &mut m.funcs {
        f.offset = 0;
        f.size = 0;
        clear(&mut f.body);
    }
    m.globals.iter_mut().for_each(|g| clear(&mut g.init));
    m.tables
        .iter_mut()
        .filter_map(|t| t.init.as_mut())
        .for_each(clear);
    for e in &mut m.elems {
        if let ElemMode::Active { offset, .. } = &mut e.mode {
            clear(offset);
        }
        if let ElemItems::Exprs(v) = &mut e.items {
            v.iter_mut().for_each(clear);
        }
    }
    for d in &mut m.datas {
        if let DataMode::Active { offset, .. } = &mut d.mode {
            clear(offset);
        }
    }
    m
}

#[test]
fn fixtures_round_trip_and_validate() {
    let mods = common::fixture_modules();
    let mut identical = 0;
    let mut noncanonical = Vec::new();
    let mut problems = Vec::new();
    for (name, bytes) in &mods {
        let m = match decode_with_features(bytes, Features::ALL) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("{name}: {e} at {:#x}", e.offset()));
                continue;
            }
        };
        // Every function body's recorded position covers its bytes.
        for f in &m.funcs {
            let end = f.offset as usize + f.size as usize;
            let last = f.body.offsets.last().copied().unwrap_or(0) as usize;
            if end > bytes.len() || bytes.get(last) != Some(&0x0b) {
                problems.push(format!(
                    "{name}: function at {:#x} has bad positions",
                    f.offset
                ));
            }
        }
        let again = encode(&m);
        if Validator::new_with_features(WasmFeatures::all())
            .validate_all(&again)
            .is_err()
        {
            problems.push(format!("{name}: wasmparser rejects our output"));
        }
        if again == *bytes {
            identical += 1;
            continue;
        }
        noncanonical.push(name.clone());
        if !linker_output(name, &m) {
            problems.push(format!(
                "{name}: re-encoding differs ({} vs {} bytes)",
                again.len(),
                bytes.len()
            ));
        }
        let m2 =
            decode_with_features(&again, Features::ALL).expect("canonical re-encoding decodes");
        if encode(&m2) != again {
            problems.push(format!(
                "{name}: canonical re-encoding is not a fixed point"
            ));
        }
        if without_positions(m2) != without_positions(m) {
            problems.push(format!("{name}: re-encoding changed the module"));
        }
    }
    println!(
        "fixtures: {} found, {identical} re-encoded byte for byte, {} linker output \
         (non-minimal LEB128s; same module after canonical re-encoding)",
        mods.len(),
        noncanonical.len()
    );
    for (name, bytes) in &mods {
        let how = if noncanonical.contains(name) {
            "wasm-ld output, canonicalised"
        } else {
            "identical"
        };
        println!("  {name}: {} bytes, {how}", bytes.len());
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn instruction_offsets_match_wasmparser() {
    // Compare our per-instruction offsets with wasmparser's on every fixture.
    for (name, bytes) in common::fixture_modules() {
        let m = decode_with_features(&bytes, Features::ALL).unwrap();
        let mut ours = m.funcs.iter().flat_map(|f| f.body.offsets.iter().copied());
        for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
            if let Ok(wasmparser::Payload::CodeSectionEntry(body)) = payload {
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    let (_, off) = ops.read_with_offset().unwrap();
                    assert_eq!(ours.next(), Some(off as u32), "{name}: offset mismatch");
                }
            }
        }
        assert_eq!(
            ours.next(),
            None,
            "{name}: more instructions than wasmparser"
        );
    }
}

#[test]
fn spec_reencodings_validate_with_wasmparser() {
    let mut validated = 0usize;
    let mut failures = Vec::new();
    for file in v2_files() {
        let Ok(mods) = oracle_modules(&file) else {
            continue;
        };
        for m in mods {
            if m.expect != Expect::Valid || m.form == Form::Quote {
                continue;
            }
            let Ok(bytes) = &m.bytes else { continue };
            // Only modules the oracle itself accepts (it lacks nothing in 2.0).
            let features = WasmFeatures::all();
            if Validator::new_with_features(features)
                .validate_all(bytes)
                .is_err()
            {
                continue;
            }
            let Ok(module) = decode_with_features(bytes, Features::ALL) else {
                continue; // covered by the round-trip test's explicit list
            };
            let again = encode(&module);
            match Validator::new_with_features(features).validate_all(&again) {
                Ok(_) => validated += 1,
                Err(e) => failures.push(format!("{}:{}: {e}", file.path(), m.line)),
            }
        }
    }
    println!("spec modules whose re-encoding wasmparser validates: {validated}");
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(validated > 2000, "{validated}");
}

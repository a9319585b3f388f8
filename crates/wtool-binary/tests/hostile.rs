//! Hostile input: truncated, bit-flipped and length-corrupted versions of the
//! fixtures and of spec modules. The decoder must never panic, every error
//! must carry an offset within the input, and anything that does decode must
//! re-encode to bytes that decode to a fixed point.

mod common;

use std::time::{Duration, Instant};

use common::Rng;
use wtool_ast::Features;
use wtool_binary::leb128::write_u32;
use wtool_binary::{decode_with_features, encode};
use wtool_testsupport::{oracle_modules, spec_files, Expect};

#[derive(Default)]
struct Stats {
    cases: usize,
    rejected: usize,
    accepted: usize,
}

/// Decodes `bytes` and checks the invariants.
fn check(stats: &mut Stats, what: &str, bytes: &[u8]) {
    stats.cases += 1;
    // Alternate between the default (2.0) and the widest set of encodings.
    let features = if stats.cases.is_multiple_of(2) {
        Features::ALL
    } else {
        Features::WASM2
    };
    match decode_with_features(bytes, features) {
        Err(e) => {
            stats.rejected += 1;
            assert!(
                e.offset() <= bytes.len(),
                "{what}: error offset {} past input length {}",
                e.offset(),
                bytes.len()
            );
            assert!(!e.to_string().is_empty());
        }
        Ok(m) => {
            stats.accepted += 1;
            let again = encode(&m);
            let m2 = decode_with_features(&again, features).unwrap_or_else(|e| {
                panic!(
                    "{what}: re-encoding does not decode: {e} at {:#x}",
                    e.offset()
                )
            });
            assert!(
                encode(&m2) == again,
                "{what}: re-encoding is not a fixed point"
            );
        }
    }
}

/// Replaces the LEB128 at `at` (of any length) with `new`.
fn replace_leb(bytes: &[u8], at: usize, new: &[u8]) -> Vec<u8> {
    let mut end = at;
    while end < bytes.len() && bytes[end] & 0x80 != 0 && end - at < 10 {
        end += 1;
    }
    let end = (end + 1).min(bytes.len());
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(new);
    out.extend_from_slice(&bytes[end..]);
    out
}

fn leb(v: u32) -> Vec<u8> {
    let mut o = Vec::new();
    write_u32(&mut o, v);
    o
}

/// Variants of a length or count `v`.
fn corruptions(v: u32) -> Vec<Vec<u8>> {
    let mut padded = leb(v);
    while padded.len() < 5 {
        let last = padded.len() - 1;
        padded[last] |= 0x80;
        padded.push(0);
    }
    vec![
        leb(0),
        leb(v.wrapping_sub(1)),
        leb(v.wrapping_add(1)),
        leb(v.wrapping_mul(2)),
        leb(u32::MAX),
        leb(0x8000_0000),
        padded,
        vec![0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
        vec![0xff, 0xff, 0xff, 0xff, 0x7f],
    ]
}

fn mutate(stats: &mut Stats, name: &str, bytes: &[u8], budget: usize, seed: u64) {
    let len = bytes.len();
    // Truncation: every length for small inputs, a spread for big ones.
    if len <= budget {
        for n in 0..len {
            check(stats, &format!("{name} truncated to {n}"), &bytes[..n]);
        }
    } else {
        for n in (0..len).step_by(len / budget + 1).chain(0..256.min(len)) {
            check(stats, &format!("{name} truncated to {n}"), &bytes[..n]);
        }
    }
    // Bit flips.
    let mut rng = Rng(seed | 1);
    let flips = (budget / 4).max(16);
    for _ in 0..flips {
        let mut b = bytes.to_vec();
        let i = rng.below(len);
        let bit = rng.below(8);
        b[i] ^= 1 << bit;
        check(stats, &format!("{name} bit {bit} of byte {i} flipped"), &b);
    }
    // Length fields: section sizes, vector counts, function body sizes.
    let Ok(m) = decode_with_features(bytes, Features::ALL) else {
        return;
    };
    let mut fields: Vec<(usize, u32)> = Vec::new();
    for s in &m.sections {
        fields.push((s.offset as usize + 1, s.size));
        if s.id != 0 && s.size > 0 {
            let mut p = s.payload_offset as usize;
            if let Ok(c) = wtool_binary::leb128::read_u32(bytes, &mut p) {
                fields.push((s.payload_offset as usize, c));
            }
        }
    }
    for f in m.funcs.iter().take(budget / 8) {
        fields.push((f.offset as usize, f.size));
    }
    for (at, v) in fields {
        for new in corruptions(v) {
            let b = replace_leb(bytes, at, &new);
            check(
                stats,
                &format!("{name} length at {at:#x} set to {new:02x?}"),
                &b,
            );
        }
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let start = Instant::now();
    let mut stats = Stats::default();
    let mut inputs = 0;
    for (name, bytes) in common::fixture_modules() {
        // Decoding cost grows with size: fewer, spread-out cases for big inputs.
        let budget = match bytes.len() {
            0..=8_192 => 1500,
            8_193..=100_000 => 300,
            _ => 100,
        };
        mutate(&mut stats, &name, &bytes, budget, bytes.len() as u64);
        inputs += 1;
    }
    // Spec modules with a bit of everything: binary-format tests, SIMD, bulk memory, names.
    let wanted = [
        "binary.wast",
        "custom.wast",
        "names.wast",
        "br_table.wast",
        "bulk.wast",
        "memory_init.wast",
        "table_copy.wast",
        "global.wast",
        "elem.wast",
        "data.wast",
        "call_indirect.wast",
        "select.wast",
    ];
    for file in spec_files(2)
        .into_iter()
        .filter(|f| wanted.contains(&f.name.as_str()))
    {
        let Ok(mods) = oracle_modules(&file) else {
            continue;
        };
        let mut picked = 0;
        for m in mods {
            if m.expect != Expect::Valid || picked >= 6 {
                continue;
            }
            let Ok(bytes) = m.bytes else { continue };
            if bytes.len() < 20 {
                continue;
            }
            picked += 1;
            inputs += 1;
            mutate(
                &mut stats,
                &format!("{}:{}", file.path(), m.line),
                &bytes,
                400,
                m.line as u64,
            );
        }
    }
    println!(
        "hostile inputs: {inputs} modules, {} cases ({} rejected with an in-bounds offset, {} accepted and re-encoded) in {:?}",
        stats.cases,
        stats.rejected,
        stats.accepted,
        start.elapsed()
    );
    assert!(stats.cases > 10_000, "{}", stats.cases);
}

/// Counts claiming billions of entries fail fast, without allocating for them.
#[test]
fn huge_counts_fail_fast() {
    let header = b"\0asm\x01\0\0\0".to_vec();
    let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
    let mut cases: Vec<(Vec<u8>, &str)> = Vec::new();
    for id in [1u8, 2, 3, 4, 5, 6, 7, 9, 10, 11] {
        let mut b = header.clone();
        b.extend_from_slice(&[id, 5]);
        b.extend_from_slice(&huge);
        cases.push((b, "unexpected end of section or function"));
    }
    // A section size claiming 4 GiB.
    let mut b = header.clone();
    b.push(1);
    b.extend_from_slice(&huge);
    cases.push((b, "length out of bounds"));
    // A function with 4 billion local groups, and a br_table with 4 billion targets.
    let module = |body: &[u8]| {
        let mut b = header.clone();
        b.extend_from_slice(&[1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10]);
        let mut code = vec![1];
        write_u32(&mut code, body.len() as u32);
        code.extend_from_slice(body);
        write_u32(&mut b, code.len() as u32);
        b.extend_from_slice(&code);
        b
    };
    let mut locals = huge.to_vec();
    locals.extend_from_slice(&[1, 0x7f, 0x0b]);
    cases.push((module(&locals), "unexpected end of section or function"));
    let mut br = vec![0, 0x41, 0, 0x0e];
    br.extend_from_slice(&huge);
    br.push(0x0b);
    cases.push((module(&br), "unexpected end of section or function"));
    for (bytes, msg) in cases {
        let t = Instant::now();
        let e = wtool_binary::decode(&bytes).expect_err("must fail");
        assert!(
            t.elapsed() < Duration::from_millis(200),
            "slow failure for {bytes:02x?}"
        );
        assert!(e.to_string().starts_with(msg), "{bytes:02x?}: {e}");
        assert!(e.offset() <= bytes.len());
    }
}

/// Deep nesting is a counter, not recursion: a million nested blocks decode.
#[test]
fn deep_nesting_does_not_recurse() {
    let depth = 1_000_000;
    let mut body = vec![0u8];
    body.extend(std::iter::repeat_n([0x02, 0x40], depth).flatten());
    body.extend(std::iter::repeat_n(0x0b, depth + 1));
    let mut b = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a".to_vec();
    let mut code = vec![1];
    write_u32(&mut code, body.len() as u32);
    code.extend_from_slice(&body);
    write_u32(&mut b, code.len() as u32);
    b.extend_from_slice(&code);
    let m = wtool_binary::decode(&b).unwrap();
    assert_eq!(m.funcs[0].body.instrs.len(), 2 * depth + 1);
    assert_eq!(encode(&m), b);
}

//! Decoding the ≥1 MB fixture: our decoder (bytes → Module, every
//! instruction materialised with its offset) against `wasmparser` parsing
//! every section, every item and every operator, in one run.
//!
//! `cargo bench -p wtool-binary --bench decode`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use wasmparser::{Parser, Payload};

fn fixture() -> (String, Vec<u8>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let big = dir.join("big.wasm");
    match std::fs::read(&big) {
        Ok(b) => ("fixtures/big.wasm".into(), b),
        Err(_) => {
            // Without the fixture, fall back to the largest module there is.
            let mut best = ("(none)".to_string(), b"\0asm\x01\0\0\0".to_vec());
            if let Ok(rd) = std::fs::read_dir(&dir) {
                for e in rd.flatten() {
                    if let Ok(b) = std::fs::read(e.path()) {
                        if e.path().extension().is_some_and(|x| x == "wasm")
                            && b.len() > best.1.len()
                        {
                            best = (e.path().display().to_string(), b);
                        }
                    }
                }
            }
            eprintln!(
                "note: fixtures/big.wasm is missing; benchmarking {} instead",
                best.0
            );
            best
        }
    }
}

/// A full wasmparser parse: every section entry and every operator.
fn wasmparser_full(bytes: &[u8]) -> usize {
    let mut n = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.expect("valid fixture") {
            Payload::TypeSection(r) => r.into_iter().for_each(|t| n += usize::from(t.is_ok())),
            Payload::ImportSection(r) => r.into_iter().for_each(|t| n += usize::from(t.is_ok())),
            Payload::FunctionSection(r) => r.into_iter().for_each(|t| n += usize::from(t.is_ok())),
            Payload::TableSection(r) => r.into_iter().for_each(|t| n += usize::from(t.is_ok())),
            Payload::MemorySection(r) => r.into_iter().for_each(|t| n += usize::from(t.is_ok())),
            Payload::ExportSection(r) => r.into_iter().for_each(|t| n += usize::from(t.is_ok())),
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.unwrap();
                    for op in g.init_expr.get_operators_reader() {
                        n += usize::from(op.is_ok());
                    }
                }
            }
            Payload::ElementSection(r) => {
                for e in r {
                    let e = e.unwrap();
                    if let wasmparser::ElementKind::Active { offset_expr, .. } = e.kind {
                        for op in offset_expr.get_operators_reader() {
                            n += usize::from(op.is_ok());
                        }
                    }
                    match e.items {
                        wasmparser::ElementItems::Functions(f) => {
                            f.into_iter().for_each(|x| n += usize::from(x.is_ok()))
                        }
                        wasmparser::ElementItems::Expressions(_, x) => {
                            x.into_iter().for_each(|x| n += usize::from(x.is_ok()))
                        }
                    }
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.unwrap();
                    if let wasmparser::DataKind::Active { offset_expr, .. } = d.kind {
                        for op in offset_expr.get_operators_reader() {
                            n += usize::from(op.is_ok());
                        }
                    }
                    n += d.data.len();
                }
            }
            Payload::CodeSectionEntry(body) => {
                for l in body.get_locals_reader().unwrap() {
                    n += usize::from(l.is_ok());
                }
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    n += usize::from(ops.read_with_offset().is_ok());
                }
            }
            Payload::CustomSection(c) => {
                if let wasmparser::KnownCustom::Name(r) = c.as_known() {
                    for s in r {
                        n += usize::from(s.is_ok());
                    }
                }
            }
            _ => {}
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let (name, bytes) = fixture();
    wtool_binary::decode(&bytes).expect("fixture decodes");
    let mut g = c.benchmark_group(format!("decode {name} ({} bytes)", bytes.len()));
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(30);
    g.bench_function("wtool_binary::decode", |b| {
        b.iter(|| wtool_binary::decode(black_box(&bytes)).unwrap())
    });
    g.bench_function("wtool_binary::decode_lazy (bodies as ranges)", |b| {
        b.iter(|| wtool_binary::decode_lazy(black_box(&bytes), wtool_ast::Features::WASM2).unwrap())
    });
    g.bench_function("wasmparser full parse", |b| {
        b.iter(|| wasmparser_full(black_box(&bytes)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

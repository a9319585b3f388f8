//! Parse + encode of a large WAT file (the printed form of
//! `fixtures/big.wasm`, made by the `wasmprinter` oracle here): wtool's
//! parser and encoder against the `wat` crate, in one run.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn big_wat() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/big.wasm");
    let bytes = std::fs::read(path).expect("fixtures/big.wasm");
    wasmprinter::print_bytes(&bytes).expect("oracle prints the fixture")
}

fn bench(c: &mut Criterion) {
    let text = big_wat();
    assert!(text.len() >= 5 << 20, "text is only {} bytes", text.len());
    // Same bytes from both, or the comparison is meaningless.
    let ours =
        wtool_binary::encode(&wtool_text::parse_module(text.as_bytes()).expect("we parse it"));
    let theirs = wat::parse_str(&text).expect("wat parses it");
    assert!(ours == theirs, "outputs differ");
    // One timed run of each, printed as a ratio (criterion's statistics follow).
    let t = Instant::now();
    black_box(wtool_binary::encode(
        &wtool_text::parse_module(text.as_bytes()).unwrap(),
    ));
    let ours_t = t.elapsed();
    let t = Instant::now();
    black_box(wat::parse_str(&text).unwrap());
    let wat_t = t.elapsed();
    println!(
        "text {:.1} MB: wtool {:?}, wat {:?}, wat/wtool = {:.2}",
        text.len() as f64 / 1e6,
        ours_t,
        wat_t,
        wat_t.as_secs_f64() / ours_t.as_secs_f64()
    );
    let mut g = c.benchmark_group("parse_big_wat");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .throughput(criterion::Throughput::Bytes(text.len() as u64));
    g.bench_function("wtool", |b| {
        b.iter(|| {
            wtool_binary::encode(&wtool_text::parse_module(black_box(text.as_bytes())).unwrap())
        })
    });
    g.bench_function("wat", |b| {
        b.iter(|| wat::parse_str(black_box(&text)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

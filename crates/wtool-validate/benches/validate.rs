//! decode+validate of fixtures/big.wasm: wtool vs wasmparser::Validator,
//! single-threaded, same bytes. `cargo bench -p wtool-validate --bench validate`.

use criterion::{criterion_group, criterion_main, Criterion};
use wtool_ast::Features;

fn fixture() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/big.wasm");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bench(c: &mut Criterion) {
    let bytes = fixture();
    assert!(
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::WASM2)
            .validate_all(&bytes)
            .is_ok()
    );
    let module = wtool_binary::decode(&bytes).expect("fixture decodes");
    wtool_validate::validate(&module, Features::WASM2).expect("fixture validates");
    wtool_validate::validate_binary(&bytes, Features::WASM2).expect("fixture validates");

    let mut g = c.benchmark_group("big.wasm");
    g.sample_size(20);
    g.bench_function("wtool decode+validate", |b| {
        b.iter(|| {
            let m = wtool_binary::decode(std::hint::black_box(&bytes)).unwrap();
            wtool_validate::validate(&m, Features::WASM2).unwrap();
        })
    });
    g.bench_function("wtool validate_binary (streaming)", |b| {
        b.iter(|| {
            wtool_validate::validate_binary(std::hint::black_box(&bytes), Features::WASM2).unwrap()
        })
    });
    g.bench_function("wasmparser validate_all", |b| {
        b.iter(|| {
            wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::WASM2)
                .validate_all(std::hint::black_box(&bytes))
                .unwrap();
        })
    });
    g.bench_function("wtool decode only", |b| {
        b.iter(|| wtool_binary::decode(std::hint::black_box(&bytes)).unwrap())
    });
    g.bench_function("wtool validate only", |b| {
        b.iter(|| wtool_validate::validate(std::hint::black_box(&module), Features::WASM2).unwrap())
    });
    g.bench_function("wtool validate_parallel(2)", |b| {
        b.iter(|| {
            wtool_validate::validate_parallel(std::hint::black_box(&module), Features::WASM2, 2)
                .unwrap()
        })
    });
    g.bench_function("wtool validate_binary_parallel(2)", |b| {
        b.iter(|| {
            wtool_validate::validate_binary_parallel(
                std::hint::black_box(&bytes),
                Features::WASM2,
                2,
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

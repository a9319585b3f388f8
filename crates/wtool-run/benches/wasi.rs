//! A compute-heavy WASI program (`fixtures/wasi/hash_bench.wasm`: CRC-32,
//! FNV-1a and LZ77 matching in C) in wtool's interpreter and in `wasmi`, both
//! with wtool-wasi as the WASI host (wasmi 2.0 has no WASI of its own), so the
//! ratio measures the engines. Output goes to a null stream.

use criterion::{criterion_group, criterion_main, Criterion};
use std::cell::RefCell;
use std::rc::Rc;
use wtool_interp::{Extern, Store, TrapKind};
use wtool_wasi::{OutputStream, WasiCtx};

const ROUNDS: &str = "1";

fn wasm() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/wasi/hash_bench.wasm"
    ))
    .expect("hash_bench.wasm")
}

fn ctx() -> WasiCtx {
    WasiCtx::builder()
        .arg("hash_bench.wasm")
        .arg(ROUNDS)
        .stdout(OutputStream::Null)
        .stderr(OutputStream::Null)
        .build()
        .expect("ctx")
}

fn run_wtool(module: &wtool_ast::Module) -> i32 {
    let mut store = Store::new();
    let ctx = Rc::new(RefCell::new(ctx()));
    let imports = wtool_run::imports_wasi(&mut store, ctx);
    let inst = store.instantiate(module, &imports).expect("instantiate");
    let Some(Extern::Func(f)) = store.get_export(inst, "_start") else {
        panic!("no _start");
    };
    match store.call(f, &[]) {
        Ok(_) => 0,
        Err(t) => match t.kind {
            TrapKind::Exit(c) => c,
            k => panic!("trap: {k}"),
        },
    }
}

fn wasmi_setup(bytes: &[u8]) -> (wasmi::Engine, wasmi::Module, wasmi::Linker<WasiCtx>) {
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, bytes).expect("module");
    let linker = wtool_testsupport::wasmi_wasi::linker(&engine);
    (engine, module, linker)
}

fn run_wasmi(
    engine: &wasmi::Engine,
    module: &wasmi::Module,
    linker: &wasmi::Linker<WasiCtx>,
) -> i32 {
    let mut store = wasmi::Store::new(engine, ctx());
    let instance = linker
        .instantiate_and_start(&mut store, module)
        .expect("instantiate");
    let start = instance
        .get_typed_func::<(), ()>(&store, "_start")
        .expect("_start");
    match start.call(&mut store, ()) {
        Ok(()) => 0,
        Err(e) => e.i32_exit_status().expect("exit"),
    }
}

fn bench(c: &mut Criterion) {
    let bytes = wasm();
    let module = wtool_binary::decode(&bytes).expect("decode");
    wtool_validate::validate(&module, wtool_ast::Features::WASM2).expect("valid");
    let (engine, wmodule, linker) = wasmi_setup(&bytes);
    assert_eq!(run_wtool(&module), 0);
    assert_eq!(run_wasmi(&engine, &wmodule, &linker), 0);
    let mut g = c.benchmark_group("wasi_hash_bench");
    g.sample_size(10);
    g.bench_function("wtool", |b| b.iter(|| run_wtool(&module)));
    g.bench_function("wasmi", |b| {
        b.iter(|| run_wasmi(&engine, &wmodule, &linker))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

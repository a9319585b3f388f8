//! Interpreter benchmark: the same workloads in wtool-interp and in wasmi
//! (the oracle), in one run. Before the criterion groups, a quick timing
//! pass prints the ratio `wtool / wasmi` of the fastest runs per workload
//! (goal: ≤ 2.5). `WTOOL_BENCH_ONLY=name` filters workloads,
//! `WTOOL_BENCH_RATIOS_ONLY=1` skips the criterion groups.
//!
//! Workloads: recursive fib (hand-written), a float kernel (hand-written),
//! and from `fixtures/kernels.wasm` (our C program, clang -O2): the sieve
//! (memory traffic), matrix multiply (floats and memory) and CRC-32.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use wtool_interp::{Imports, InstanceId, Store, Value};

const FIB_WAT: &str = r#"(module
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else
      local.get 0 i32.const 1 i32.sub call $fib
      local.get 0 i32.const 2 i32.sub call $fib
      i32.add
    end)
  ;; sum_{i=1..n} 1/(i*i) + sqrt(i) * 1e-9, in f64
  (func (export "fkernel") (param i32) (result f64) (local f64 f64)
    loop
      local.get 0 f64.convert_i32_u local.tee 2
      local.get 2 f64.mul
      f64.const 1 local.get 2 local.get 2 f64.mul f64.div
      local.get 2 f64.sqrt f64.const 1e-9 f64.mul f64.add
      local.get 1 f64.add local.set 1
      drop
      local.get 0 i32.const 1 i32.sub local.tee 0
      br_if 0
    end
    local.get 1))"#;

struct Workload {
    name: &'static str,
    module: Vec<u8>,
    export: &'static str,
    args: Vec<Value>,
}

fn workloads() -> Vec<Workload> {
    let fib = wat::parse_str(FIB_WAT).expect("fib wat");
    let kernels = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/kernels.wasm"
    ))
    .expect("fixtures/kernels.wasm");
    vec![
        Workload {
            name: "fib(25)",
            module: fib.clone(),
            export: "fib",
            args: vec![Value::I32(25)],
        },
        Workload {
            name: "fkernel(200k)",
            module: fib,
            export: "fkernel",
            args: vec![Value::I32(200_000)],
        },
        Workload {
            name: "sieve(1M) [C]",
            module: kernels.clone(),
            export: "sieve",
            args: vec![Value::I32(1_000_000)],
        },
        Workload {
            name: "matmul(48) [C]",
            module: kernels.clone(),
            export: "matmul",
            args: vec![Value::I32(48), Value::I32(7)],
        },
        Workload {
            name: "crc32(64k) [C]",
            module: kernels,
            export: "crc32",
            args: vec![Value::I32(65536), Value::I32(1)],
        },
    ]
}

struct Ours {
    store: Store,
    inst: InstanceId,
}

impl Ours {
    fn new(bytes: &[u8]) -> Ours {
        let m = wtool_binary::decode(bytes).expect("decode");
        let mut store = Store::new();
        let inst = store.instantiate(&m, &Imports::new()).expect("instantiate");
        Ours { store, inst }
    }

    fn run(&mut self, w: &Workload) -> Vec<Value> {
        self.store
            .invoke(self.inst, w.export, &w.args)
            .expect("wtool run")
    }
}

struct Theirs {
    store: wasmi::Store<()>,
    func: wasmi::Func,
    nres: usize,
}

fn to_wasmi(v: &Value) -> wasmi::Val {
    match *v {
        Value::I32(x) => wasmi::Val::I32(x),
        Value::I64(x) => wasmi::Val::I64(x),
        Value::F32(b) => wasmi::Val::F32(f32::from_bits(b).into()),
        Value::F64(b) => wasmi::Val::F64(f64::from_bits(b).into()),
        _ => unreachable!("benchmarks take numbers"),
    }
}

impl Theirs {
    fn new(bytes: &[u8], export: &str) -> Theirs {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, bytes).expect("wasmi module");
        let mut store = wasmi::Store::new(&engine, ());
        let linker = wasmi::Linker::<()>::new(&engine);
        let inst = linker
            .instantiate_and_start(&mut store, &module)
            .expect("wasmi instantiate");
        let func = inst.get_func(&store, export).expect("export");
        let nres = func.ty(&store).results().len();
        Theirs { store, func, nres }
    }

    fn run(&mut self, args: &[wasmi::Val]) -> Vec<wasmi::Val> {
        let mut out = vec![wasmi::Val::I32(0); self.nres];
        self.func
            .call(&mut self.store, args, &mut out)
            .expect("wasmi run");
        out
    }
}

fn ratios(ws: &[Workload]) {
    println!(
        "{:<18} {:>12} {:>12} {:>8}",
        "workload", "wtool", "wasmi", "ratio"
    );
    for w in ws {
        let mut ours = Ours::new(&w.module);
        let mut theirs = Theirs::new(&w.module, w.export);
        let args: Vec<wasmi::Val> = w.args.iter().map(to_wasmi).collect();
        let a = ours.run(w);
        let b = theirs.run(&args);
        assert_eq!(
            format!("{:?}", a.iter().map(to_wasmi).collect::<Vec<_>>()),
            format!("{b:?}"),
            "{}",
            w.name
        );
        // Interleaved, so a busy machine slows both engines alike.
        let (mut to, mut tt) = (Vec::new(), Vec::new());
        let start = Instant::now();
        while to.len() < 5 || (start.elapsed() < Duration::from_secs(3) && to.len() < 100) {
            let t = Instant::now();
            black_box(ours.run(w));
            to.push(t.elapsed());
            let t = Instant::now();
            black_box(theirs.run(&args));
            tt.push(t.elapsed());
        }
        // The minimum, not the median: on a shared machine preemption only
        // ever adds time, and it hits the longer-running engine more often.
        to.sort();
        tt.sort();
        let (t_ours, t_theirs) = (to[0], tt[0]);
        println!(
            "{:<18} {:>10.3}ms {:>10.3}ms {:>7.2}x",
            w.name,
            t_ours.as_secs_f64() * 1e3,
            t_theirs.as_secs_f64() * 1e3,
            t_ours.as_secs_f64() / t_theirs.as_secs_f64()
        );
    }
}

fn main() {
    let mut ws = workloads();
    if let Ok(only) = std::env::var("WTOOL_BENCH_ONLY") {
        ws.retain(|w| w.name.contains(only.as_str()));
    }
    ratios(&ws);
    if std::env::var_os("WTOOL_BENCH_RATIOS_ONLY").is_some() {
        return;
    }
    let mut c = Criterion::default().sample_size(10).configure_from_args();
    for w in &ws {
        let mut g = c.benchmark_group(w.name);
        let mut ours = Ours::new(&w.module);
        g.bench_function("wtool", |b| b.iter(|| black_box(ours.run(w))));
        let mut theirs = Theirs::new(&w.module, w.export);
        let args: Vec<wasmi::Val> = w.args.iter().map(to_wasmi).collect();
        g.bench_function("wasmi", |b| b.iter(|| black_box(theirs.run(&args))));
        g.finish();
    }
    c.final_summary();
}

//! Exactness, checked by running: random modules (wasm-smith, every item
//! exported, no imports) are optimized at `-O1`, `-O3` and `-Oz`, and the `wasmi`
//! oracle runs every exported function of the original and the optimized
//! module with the same arguments. Results (bit for bit, NaNs included),
//! traps (by kind), exported globals and memory must agree. Runs that exhaust
//! their fuel on either side are inconclusive and not compared.

use arbitrary::Unstructured;
use wasmi::{Config, Engine, Instance, Linker, Module as WModule, Store, Val};
use work::{give_cse_work, give_directize_work, give_import_work};
use wtool_opt::{OptLevel, PassManager, PassOptions};

#[path = "semantics/work.rs"]
mod work;

fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0xD134_2543_DE82_EF95) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn config() -> wasm_smith::Config {
    wtool_testsupport::smith::exec_config()
}

/// What one observation gave, comparable across the two modules.
#[derive(Debug, PartialEq)]
enum Obs {
    Values(Vec<u128>),
    Trap(String),
    OutOfFuel,
}

fn val_bits(v: &Val) -> u128 {
    match v {
        Val::I32(x) => *x as u32 as u128,
        Val::I64(x) => *x as u64 as u128,
        Val::F32(x) => x.to_bits() as u128,
        Val::F64(x) => x.to_bits() as u128,
        Val::FuncRef(r) => r.is_null() as u128,
        Val::ExternRef(r) => r.is_null() as u128,
        _ => u128::MAX,
    }
}

const FUEL: u64 = 20_000;

struct Run {
    store: Store<()>,
    instance: Option<Instance>,
    start: Obs,
}

fn instantiate(engine: &Engine, bytes: &[u8]) -> Run {
    let mut store = Store::new(engine, ());
    let _ = store.set_fuel(FUEL);
    let module = WModule::new(engine, bytes).expect("oracle accepts the module");
    let mut linker = <Linker<()>>::new(engine);
    // Function imports (only `give_import_work` adds them) return the length
    // of their field name in each i32 result, so different names differ.
    for imp in module.imports() {
        if let wasmi::ExternType::Func(ty) = imp.ty() {
            let tag = imp.name().len() as i32;
            let rt: Vec<wasmi::ValType> = ty.results().to_vec();
            let _ = linker.func_new(imp.module(), imp.name(), ty.clone(), move |_, _, out| {
                for (r, t) in out.iter_mut().zip(&rt) {
                    *r = match t {
                        wasmi::ValType::I32 => Val::I32(tag),
                        other => Val::default_for_ty(*other),
                    };
                }
                Ok(())
            });
        }
    }
    match linker.instantiate_and_start(&mut store, &module) {
        Ok(i) => Run {
            store,
            instance: Some(i),
            start: Obs::Values(Vec::new()),
        },
        Err(e) => {
            let start = match e.as_trap_code() {
                Some(wasmi::TrapCode::OutOfFuel) => Obs::OutOfFuel,
                Some(c) => Obs::Trap(format!("{c:?}")),
                // Other instantiation errors (segments out of bounds) carry
                // store handles in their text; their kind is what counts.
                None => Obs::Trap("instantiation error".into()),
            };
            Run {
                store,
                instance: None,
                start,
            }
        }
    }
}

/// Calls every exported function with the given argument pattern; returns
/// the observations (stops at the first inconclusive one).
fn observe(run: &mut Run, export_names: &[String], arg: i64) -> Vec<Obs> {
    let mut obs = vec![];
    let Some(inst) = run.instance else { return obs };
    for name in export_names {
        let Some(f) = inst.get_func(&run.store, name) else {
            continue;
        };
        let ty = f.ty(&run.store);
        let args: Vec<Val> = ty
            .params()
            .iter()
            .map(|t| match t {
                wasmi::ValType::I32 => Val::I32(arg as i32),
                wasmi::ValType::I64 => Val::I64(arg),
                wasmi::ValType::F32 => Val::F32((arg as f32).into()),
                wasmi::ValType::F64 => Val::F64((arg as f64).into()),
                other => Val::default_for_ty(*other),
            })
            .collect();
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|t| Val::default_for_ty(*t))
            .collect();
        let _ = run.store.set_fuel(FUEL);
        let o = match f.call(&mut run.store, &args, &mut results) {
            Ok(()) => Obs::Values(results.iter().map(val_bits).collect()),
            Err(e) => match e.as_trap_code() {
                Some(wasmi::TrapCode::OutOfFuel) => Obs::OutOfFuel,
                Some(c) => Obs::Trap(format!("{c:?}")),
                None => Obs::Trap("error".into()),
            },
        };
        let stop = o == Obs::OutOfFuel;
        obs.push(o);
        if stop {
            break;
        }
    }
    // Exported state after the calls.
    for name in export_names {
        if let Some(g) = inst.get_global(&run.store, name) {
            obs.push(Obs::Values(vec![val_bits(&g.get(&run.store))]));
        }
        if let Some(m) = inst.get_memory(&run.store, name) {
            let data = m.data(&run.store);
            let hash = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ *b as u64).wrapping_mul(0x100_0000_01b3)
            });
            obs.push(Obs::Values(vec![data.len() as u128, hash as u128]));
        }
    }
    obs
}

#[test]
fn optimized_modules_behave_the_same() {
    let mut engine_cfg = Config::default();
    engine_cfg.consume_fuel(true);
    let engine = Engine::new(&engine_cfg);
    let (mut modules, mut compared, mut inconclusive) = (0usize, 0usize, 0usize);
    for seed in 0..1000u64 {
        let data = seed_bytes(seed, 2048 + (seed as usize % 6) * 2048);
        let mut u = Unstructured::new(&data);
        let Ok(sm) = wasm_smith::Module::new(config(), &mut u) else {
            continue;
        };
        let bytes = sm.to_bytes();
        let Ok(m) = wtool_binary::decode(&bytes) else {
            continue;
        };
        if wtool_validate::validate(&m, wtool_ast::Features::WASM2).is_err() {
            continue;
        }
        modules += 1;
        let names: Vec<String> = m.exports.iter().map(|e| e.name.clone()).collect();
        let optimized: Vec<(OptLevel, Vec<u8>)> = [OptLevel::O1, OptLevel::O3, OptLevel::OZ]
            .into_iter()
            .map(|level| {
                let mut out = m.clone();
                PassManager::for_level(level, PassOptions::default())
                    .run(&mut out)
                    .unwrap_or_else(|e| panic!("seed {seed} -{level}: {e}"));
                (level, wtool_binary::encode(&out))
            })
            .collect();
        for arg in [0i64, -7] {
            let mut a = instantiate(&engine, &bytes);
            if a.start == Obs::OutOfFuel {
                inconclusive += 1;
                continue;
            }
            let oa = observe(&mut a, &names, arg);
            for (level, opt_bytes) in &optimized {
                let mut b = instantiate(&engine, opt_bytes);
                if b.start == Obs::OutOfFuel {
                    inconclusive += 1;
                    continue;
                }
                assert_eq!(
                    a.start, b.start,
                    "seed {seed} -{level}: instantiation differs"
                );
                let ob = observe(&mut b, &names, arg);
                // Compare up to the first run that ran out of fuel on either side.
                let cut = oa
                    .iter()
                    .zip(&ob)
                    .position(|(x, y)| *x == Obs::OutOfFuel || *y == Obs::OutOfFuel)
                    .unwrap_or(oa.len().max(ob.len()));
                if cut < oa.len().max(ob.len()) {
                    inconclusive += 1;
                }
                let (ca, cb) = (&oa[..cut.min(oa.len())], &ob[..cut.min(ob.len())]);
                assert_eq!(ca, cb, "seed {seed} -{level} arg {arg}");
                compared += ca.len();
            }
        }
    }
    eprintln!("semantics: {modules} modules, {compared} observations agreed, {inconclusive} runs cut short by fuel");
    assert!(modules >= 500, "{modules}");
    assert!(compared >= 5000, "{compared}");
}

/// memory-packing and trailing-`return` removal on hand-written modules
/// whose data segments are full of zero runs: the memory after
/// instantiation and every result must be the same, and the module smaller.
#[test]
fn packed_memory_and_dropped_returns_behave_the_same() {
    let engine = Engine::default();
    let src = r#"(module
        (memory (export "mem") 1)
        (data (i32.const 8) "\00\00\01\02\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\03\00\00")
        (data (i32.const 64) "\00\00\00\00")
        (data (i32.const 100) "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\ff")
        (data (i32.const 200) "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00")
        (func (export "sum") (param i32) (result i32) (local i32 i32)
          loop
            local.get 1
            local.get 2
            i32.load8_u
            i32.add
            local.set 1
            local.get 2
            i32.const 1
            i32.add
            local.tee 2
            i32.const 300
            i32.lt_u
            br_if 0
          end
          local.get 1
          local.get 0
          i32.add
          return)
        (func (export "keep") (param i32) (result i32)
          i32.const 1
          local.get 0
          return)
        (func (export "early") (param i32) (result i32)
          block (result i32)
            local.get 0
            local.get 0
            br_if 0
            i32.const 10
            i32.add
          end
          return))"#;
    let bytes = wat::parse_str(src).expect("wat");
    let m = wtool_binary::decode(&bytes).expect("decode");
    let names: Vec<String> = m.exports.iter().map(|e| e.name.clone()).collect();
    for passes in [vec!["memory-packing", "peephole"], vec!["peephole"]] {
        let mut out = m.clone();
        PassManager::with_passes(&passes, PassOptions::default())
            .expect("known passes")
            .run(&mut out)
            .expect("valid");
        let opt_bytes = wtool_binary::encode(&out);
        assert!(opt_bytes.len() < bytes.len(), "{passes:?}");
        for arg in [0i64, 5, -1] {
            let mut a = instantiate(&engine, &bytes);
            let mut b = instantiate(&engine, &opt_bytes);
            assert_eq!(a.start, b.start);
            let oa = observe(&mut a, &names, arg);
            assert_eq!(oa.len(), names.len());
            assert_eq!(oa, observe(&mut b, &names, arg), "{passes:?} arg {arg}");
        }
    }
}

/// propagate-locals, rse, coalesce-locals and block-results on hand-written functions full of copies whose
/// source changes afterwards (in straight-line code, in a loop, in one arm
/// of an `if`): random modules seldom read a copy after its source changed,
/// so a stale fact (a write of the source that does not end its copies, a
/// loop that does not forget what it writes, a copy taken for no conflict
/// with every live local) went unnoticed by
/// `size_passes_alone_behave_the_same`; here it changes a result.
#[test]
fn copies_of_changing_locals_behave_the_same() {
    let engine = Engine::default();
    let src = r#"(module
        (func (export "overwrite") (param i32) (result i32) (local i32)
          local.get 0
          local.set 1
          local.get 0
          i32.const 5
          i32.add
          local.set 0
          local.get 1
          local.get 0
          i32.mul)
        (func (export "in_loop") (param i32) (result i32) (local i32 i32)
          local.get 0
          local.set 1
          loop
            local.get 2
            local.get 1
            i32.add
            local.set 2
            local.get 0
            i32.const 1
            i32.add
            local.tee 0
            i32.const 20
            i32.lt_s
            br_if 0
          end
          local.get 2)
        (func (export "one_arm") (param i32) (result i32) (local i32)
          local.get 0
          local.set 1
          local.get 0
          i32.const 3
          i32.gt_s
          if
            i32.const 100
            local.set 0
          end
          local.get 1
          local.get 1
          i32.add
          local.get 0
          i32.sub)
        (func (export "copy_beside_live") (param i32) (result i32) (local i32 i32 i32)
          i32.const 7
          local.set 2
          local.get 0
          i32.const 9
          i32.mul
          local.set 3
          local.get 3
          local.set 1
          local.get 1
          local.get 2
          i32.sub
          local.get 0
          i32.add)
        (func (export "phi") (param i32) (result i32) (local i32)
          block
            local.get 0
            i32.const 5
            i32.gt_s
            if
              local.get 0
              i32.const 3
              i32.mul
              local.set 1
              br 1
            end
            local.get 0
            i32.const -2
            i32.mul
            local.set 1
          end
          local.get 1
          local.get 0
          if (result i32)
            i32.const 11
            local.set 1
            local.get 1
          else
            i32.const 13
            local.set 1
            local.get 1
          end
          i32.add)
        (func (export "legal") (param i32) (result i32) (local i32)
          local.get 0
          local.set 1
          local.get 1
          local.set 0
          local.get 1
          local.get 0
          i32.mul))"#;
    let bytes = wat::parse_str(src).expect("wat");
    let m = wtool_binary::decode(&bytes).expect("decode");
    let names: Vec<String> = m.exports.iter().map(|e| e.name.clone()).collect();
    for pass in [
        "propagate-locals",
        "rse",
        "coalesce-locals",
        "block-results",
    ] {
        let mut out = m.clone();
        PassManager::with_passes(&[pass], PassOptions::default())
            .expect("known pass")
            .run(&mut out)
            .expect("valid");
        assert_ne!(out, m, "{pass} had nothing to do");
        let opt_bytes = wtool_binary::encode(&out);
        for arg in [0i64, 2, 7, -4] {
            let mut a = instantiate(&engine, &bytes);
            let mut b = instantiate(&engine, &opt_bytes);
            let oa = observe(&mut a, &names, arg);
            assert_eq!(oa.len(), names.len());
            assert_eq!(oa, observe(&mut b, &names, arg), "{pass} arg {arg}");
        }
    }
}

/// combine-instructions and simplify-branches on hand-written functions
/// holding every shape they rewrite, called with arguments of both signs
/// over memory bytes with the high bit set: random modules seldom place a
/// comparison right before `i32.eqz` or a mask after a narrow load, so a
/// wrong flipped comparison (`lt_s` under `eqz` made `gt_s`) or a mask
/// dropped after a signed load went unnoticed by
/// `size_passes_alone_behave_the_same`; here they change a result.
#[test]
fn combined_instructions_behave_the_same() {
    let engine = Engine::default();
    let src = r#"(module
        (memory (export "mem") 1)
        (data (i32.const 0) "\80\ff\7f\01\fe\80\00\90")
        (func (export "cmps") (param i32) (result i32)
          local.get 0 i32.const 3 i32.lt_s i32.eqz
          local.get 0 i32.const 3 i32.lt_u i32.eqz i32.const 2 i32.mul i32.add
          local.get 0 i32.const 0 i32.gt_s i32.const 1 i32.xor i32.const 4 i32.mul i32.add
          local.get 0 i32.const -7 i32.ne i32.const -1 i32.xor i32.const 1 i32.and
            i32.const 8 i32.mul i32.add
          local.get 0 i64.extend_i32_s i64.const 5 i64.le_s i32.eqz i32.const 16 i32.mul i32.add
          local.get 0 f32.convert_i32_s f32.const 2 f32.eq i32.eqz i32.const 32 i32.mul i32.add
          local.get 0 f32.convert_i32_s f32.const 2 f32.lt i32.eqz i32.const 64 i32.mul i32.add)
        (func (export "chains") (param i32) (result i32)
          local.get 0 i32.const -1 i32.xor i32.const -1 i32.xor
          local.get 0 i32.const 100 i32.sub i32.const 7 i32.add i32.add
          local.get 0 i32.const 0x0ff0 i32.and i32.const 0x00ff i32.and i32.add
          local.get 0 i32.const 3 i32.mul i32.const -5 i32.mul i32.add
          local.get 0 i32.const 12 i32.shr_u i32.const 0xfffff i32.and i32.add
          local.get 0 i32.const 12 i32.shr_s i32.const 0xfffff i32.and i32.add)
        (func (export "loads") (param i32) (result i64)
          (local i32)
          local.get 0 i32.const 7 i32.and local.set 1
          local.get 1 i32.load8_u i32.const 255 i32.and
          local.get 1 i32.load8_s i32.const 255 i32.and i32.add
          local.get 1 i32.load8_u i32.extend8_s i32.add
          local.get 1 i32.load16_u i32.extend16_s i32.add
          local.get 1 i32.load8_s i32.const 127 i32.and i32.add
          i64.extend_i32_s
          local.get 1 i32.load i64.extend_i32_u i64.add
          local.get 1 i32.load i64.extend_i32_s i64.add
          local.get 1 i32.load8_u i64.extend_i32_s i64.add
          local.get 1 i32.load16_s i64.extend_i32_s i64.add
          local.get 1 i32.load8_s i64.extend_i32_u i64.add)
        (func (export "stores") (param i32)
          i32.const 16 local.get 0 i64.extend_i32_s i64.const 0x123456789 i64.mul
            i32.wrap_i64 i32.store
          i32.const 24 local.get 0 i64.extend_i32_s i64.const -3 i64.mul i32.wrap_i64 i32.store8
          i32.const 28 local.get 0 i64.extend_i32_s i64.const -3 i64.mul i32.wrap_i64 i32.store16)
        (func (export "branches") (param i32) (result i32)
          block
            loop
              local.get 0 i32.const 10 i32.gt_s
              if br 2 end
              local.get 0 i32.const 3 i32.add local.set 0
              local.get 0 i32.const 1 i32.and
              if br 1 end
            end
          end
          local.get 0))"#;
    let bytes = wat::parse_str(src).expect("wat");
    let m = wtool_binary::decode(&bytes).expect("decode");
    let names: Vec<String> = m.exports.iter().map(|e| e.name.clone()).collect();
    for pass in ["combine-instructions", "simplify-branches"] {
        let mut out = m.clone();
        PassManager::with_passes(&[pass], PassOptions::default())
            .expect("known pass")
            .run(&mut out)
            .expect("valid");
        assert_ne!(out, m, "{pass} had nothing to do");
        let opt_bytes = wtool_binary::encode(&out);
        for arg in [0i64, 2, 3, 7, -1, -7, -100_000, 1 << 20] {
            let mut a = instantiate(&engine, &bytes);
            let mut b = instantiate(&engine, &opt_bytes);
            let oa = observe(&mut a, &names, arg);
            assert_eq!(oa.len(), names.len());
            assert_eq!(oa, observe(&mut b, &names, arg), "{pass} arg {arg}");
        }
    }
}

/// Makes random modules hold what the shrinking passes look for: each
/// exported defined function gets a twin with its `i32` constants changed
/// (exported as `twin NAME`), a merge-similar-functions group; and its export
/// moves to a new forwarding function, so the original has one call site
/// and nothing else naming it (unless the module's table or `ref.func` does),
/// which inlining at `-Oz` copies.
fn give_passes_work(m: &mut wtool_ast::Module) {
    use wtool_ast::{Export, Expr, ExternKind, Instr};
    let nimp = m.num_imported(ExternKind::Func);
    let exports = m.exports.clone();
    for (k, e) in exports.iter().enumerate() {
        if e.kind != ExternKind::Func || e.index < nimp {
            continue;
        }
        let def = (e.index - nimp) as usize;
        let f = m.funcs[def].clone();
        let Some(params) = m.func_type(f.type_idx).map(|t| t.params.len() as u32) else {
            continue;
        };
        let mut twin = f.clone();
        for x in twin.body.instrs.iter_mut() {
            if let Instr::I32Const(c) = x {
                *c = c.wrapping_add(1);
            }
        }
        twin.body = Expr::new(twin.body.instrs);
        m.funcs.push(twin);
        m.exports.push(Export {
            name: format!("twin {}", e.name),
            kind: ExternKind::Func,
            index: nimp + m.funcs.len() as u32 - 1,
        });
        // A third copy whose three calls all drop the result (exported
        // through a caller as `drops NAME`): dae's result removal.
        let results = m.func_type(f.type_idx).map_or(0, |t| t.results.len());
        if results == 1 {
            let ft = m.func_type(f.type_idx).cloned().unwrap_or_default();
            m.types
                .push(wtool_ast::TypeDef::func(wtool_ast::FuncType::new(
                    ft.params.to_vec(),
                    Vec::new(),
                )));
            m.funcs.push(f.clone());
            let copy = nimp + m.funcs.len() as u32 - 1;
            let mut body: Vec<Instr> = Vec::new();
            for _ in 0..3 {
                body.extend((0..params).map(Instr::LocalGet));
                body.push(Instr::Call(copy));
                body.push(Instr::Drop);
            }
            body.push(Instr::End);
            m.funcs.push(wtool_ast::Func {
                type_idx: m.types.len() as u32 - 1,
                body: Expr::new(body),
                ..Default::default()
            });
            m.exports.push(Export {
                name: format!("drops {}", e.name),
                kind: ExternKind::Func,
                index: nimp + m.funcs.len() as u32 - 1,
            });
        }
        let mut fwd: Vec<Instr> = (0..params).map(Instr::LocalGet).collect();
        fwd.push(Instr::Call(e.index));
        fwd.push(Instr::End);
        m.funcs.push(wtool_ast::Func {
            type_idx: f.type_idx,
            body: Expr::new(fwd),
            ..Default::default()
        });
        m.exports[k].index = nimp + m.funcs.len() as u32 - 1;
    }
}

/// The passes added for binaryen-class size (block-to-if, thread-branches, code-folding, rse,
/// merge-similar-functions, inlining at `-Oz` with its chain and
/// parameter-prefix copies, dae with dropped results, propagate-locals,
/// combine-instructions, simplify-branches with its `if br` → `br_if`, and
/// coalesce-locals with copies sharing a slot, directize on a copy whose calls
/// go through a table, duplicate-import-elimination on a copy with duplicated
/// host imports), local-cse at `-O2`, each run alone on random modules: results,
/// traps, exported globals and memory must agree with the original.
#[test]
fn size_passes_alone_behave_the_same() {
    let mut engine_cfg = Config::default();
    engine_cfg.consume_fuel(true);
    let engine = Engine::new(&engine_cfg);
    let passes = [
        "block-to-if",
        "thread-branches",
        "code-folding",
        "rse",
        "merge-similar-functions",
        "inlining",
        "dae",
        "propagate-locals",
        "combine-instructions",
        "simplify-branches",
        "coalesce-locals",
        "directize",
        "duplicate-import-elimination",
        "local-cse",
    ];
    let mut changed = vec![0usize; passes.len()];
    let (mut modules, mut compared) = (0usize, 0usize);
    for seed in 0..10_000u64 {
        let data = seed_bytes(seed ^ 0x5A5A, 2048 + (seed as usize % 6) * 2048);
        let mut u = Unstructured::new(&data);
        let Ok(sm) = wasm_smith::Module::new(config(), &mut u) else {
            continue;
        };
        let bytes = sm.to_bytes();
        let Ok(mut m) = wtool_binary::decode(&bytes) else {
            continue;
        };
        if wtool_validate::validate(&m, wtool_ast::Features::WASM2).is_err() {
            continue;
        }
        give_passes_work(&mut m);
        if wtool_validate::validate(&m, wtool_ast::Features::WASM2).is_err() {
            continue;
        }
        let bytes = wtool_binary::encode(&m);
        modules += 1;
        let names: Vec<String> = m.exports.iter().map(|e| e.name.clone()).collect();
        let mut a = instantiate(&engine, &bytes);
        if a.start == Obs::OutOfFuel {
            continue;
        }
        let oa = observe(&mut a, &names, 3);
        // directize runs on a copy whose calls go through a table.
        let mut md = m.clone();
        give_directize_work(&mut md);
        if wtool_validate::validate(&md, wtool_ast::Features::WASM2).is_err() {
            md = m.clone();
        }
        let mut ad = instantiate(&engine, &wtool_binary::encode(&md));
        let oad = observe(&mut ad, &names, 3);
        // duplicate-import-elimination runs on a copy with imports.
        let mut mi = m.clone();
        give_import_work(&mut mi);
        if wtool_validate::validate(&mi, wtool_ast::Features::WASM2).is_err() {
            mi = m.clone();
        }
        let names_i: Vec<String> = mi.exports.iter().map(|e| e.name.clone()).collect();
        let mut ai = instantiate(&engine, &wtool_binary::encode(&mi));
        let oai = observe(&mut ai, &names_i, 3);
        // local-cse runs on a copy that computes trees again.
        let mut mc = m.clone();
        give_cse_work(&mut mc);
        if wtool_validate::validate(&mc, wtool_ast::Features::WASM2).is_err() {
            mc = m.clone();
        }
        let names_c: Vec<String> = mc.exports.iter().map(|e| e.name.clone()).collect();
        let mut ac = instantiate(&engine, &wtool_binary::encode(&mc));
        let oac = observe(&mut ac, &names_c, 3);
        for (k, pass) in passes.iter().enumerate() {
            let (m, a, oa, names) = match *pass {
                "local-cse" if ac.start == Obs::OutOfFuel => continue,
                "local-cse" => (&mc, &ac, &oac, &names_c),
                // Direct calls cost less fuel: inconclusive.
                "directize" if ad.start == Obs::OutOfFuel => continue,
                "directize" => (&md, &ad, &oad, &names),
                "duplicate-import-elimination" if ai.start == Obs::OutOfFuel => continue,
                "duplicate-import-elimination" => (&mi, &ai, &oai, &names_i),
                _ => (&m, &a, &oa, &names),
            };
            let mut out = m.clone();
            let opts = PassOptions {
                // local-cse rewrites more trees for speed (three
                // instructions are enough) than for size.
                shrink_level: if *pass == "local-cse" { 0 } else { 2 },
                ..PassOptions::default()
            };
            let mut pm = PassManager::with_passes(&[pass], opts).expect("registered");
            pm.validate_after_each(true);
            pm.run(&mut out)
                .unwrap_or_else(|e| panic!("seed {seed} {pass}: {e}"));
            if out == *m {
                continue;
            }
            changed[k] += 1;
            let mut b = instantiate(&engine, &wtool_binary::encode(&out));
            assert_eq!(
                a.start, b.start,
                "seed {seed} {pass}: instantiation differs"
            );
            let ob = observe(&mut b, names, 3);
            let cut = oa
                .iter()
                .zip(&ob)
                .position(|(x, y)| *x == Obs::OutOfFuel || *y == Obs::OutOfFuel)
                .unwrap_or(oa.len().max(ob.len()));
            let (ca, cb) = (&oa[..cut.min(oa.len())], &ob[..cut.min(ob.len())]);
            assert_eq!(ca, cb, "seed {seed} {pass}");
            compared += ca.len();
        }
    }
    eprintln!("size passes: {modules} modules, {compared} observations agreed; modules changed per pass: {passes:?} {changed:?}");
    assert!(modules >= 5000, "{modules}");
    // Each pass must have had something to do, or the test shows nothing.
    for (p, c) in passes.iter().zip(&changed) {
        assert!(*c >= 20, "{p} changed only {c} modules");
    }
}

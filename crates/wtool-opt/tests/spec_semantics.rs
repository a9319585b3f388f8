//! Exactness on the spec testsuite: every self-contained module of the 2.0
//! scripts is optimized at `-O3` and `-Oz`, and every `invoke` the script
//! makes on it (`assert_return`, `assert_trap`, bare `invoke`) runs in the
//! `wasmi` oracle on the original and on both optimized modules, in script
//! order. Results (bit for bit), traps (by kind) and the state they leave
//! must agree. Modules with imports (which need the spectest host) and
//! invocations with reference or vector arguments are not run.

use wasmi::{Config, Engine, Instance, Linker, Module as WModule, Store, Val};
use wast::core::WastArgCore;
use wast::parser::{self, ParseBuffer};
use wast::{Wast, WastArg, WastDirective, WastExecute, WastInvoke};
use wtool_opt::{OptLevel, PassManager, PassOptions};
use wtool_testsupport::v2_files;

const FUEL: u64 = 2_000_000;

struct Live {
    store: Store<()>,
    instance: Instance,
}

fn instantiate(engine: &Engine, bytes: &[u8]) -> Option<Live> {
    let module = WModule::new(engine, bytes).ok()?;
    let mut store = Store::new(engine, ());
    store.set_fuel(FUEL).ok()?;
    let instance = <Linker<()>>::new(engine)
        .instantiate_and_start(&mut store, &module)
        .ok()?;
    Some(Live { store, instance })
}

fn arg(a: &WastArg<'_>) -> Option<Val> {
    match a {
        WastArg::Core(WastArgCore::I32(x)) => Some(Val::I32(*x)),
        WastArg::Core(WastArgCore::I64(x)) => Some(Val::I64(*x)),
        WastArg::Core(WastArgCore::F32(x)) => Some(Val::F32(wasmi::F32::from_bits(x.bits))),
        WastArg::Core(WastArgCore::F64(x)) => Some(Val::F64(wasmi::F64::from_bits(x.bits))),
        _ => None,
    }
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Values(Vec<u128>),
    Trap(String),
    Inconclusive,
}

fn bits(v: &Val) -> u128 {
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

fn invoke(live: &mut Live, inv: &WastInvoke<'_>, args: &[Val]) -> Outcome {
    let Some(f) = live.instance.get_func(&live.store, inv.name) else {
        return Outcome::Inconclusive;
    };
    let ty = f.ty(&live.store);
    let mut results: Vec<Val> = ty
        .results()
        .iter()
        .map(|t| Val::default_for_ty(*t))
        .collect();
    if live.store.set_fuel(FUEL).is_err() {
        return Outcome::Inconclusive;
    }
    match f.call(&mut live.store, args, &mut results) {
        Ok(()) => Outcome::Values(results.iter().map(bits).collect()),
        Err(e) => match e.as_trap_code() {
            Some(wasmi::TrapCode::OutOfFuel) | None => Outcome::Inconclusive,
            Some(c) => Outcome::Trap(format!("{c:?}")),
        },
    }
}

#[test]
fn spec_invocations_agree_after_optimization() {
    let mut cfg = Config::default();
    cfg.consume_fuel(true);
    let engine = Engine::new(&cfg);
    let (mut modules, mut agreed, mut inconclusive) = (0usize, 0usize, 0usize);
    let mut failures: Vec<String> = Vec::new();
    for file in v2_files() {
        let Ok(buf) = ParseBuffer::new(file.text) else {
            continue;
        };
        let Ok(wast) = parser::parse::<Wast>(&buf) else {
            continue;
        };
        // The current module: the original and its optimized versions.
        let mut current: Option<Vec<(String, Live)>> = None;
        for d in wast.directives {
            let (exec, line) = match d {
                WastDirective::Module(mut qw) => {
                    current = None;
                    let Ok(bytes) = qw.encode() else { continue };
                    let Ok(m) = wtool_binary::decode(&bytes) else {
                        continue;
                    };
                    if !m.imports.is_empty()
                        || wtool_validate::validate(&m, wtool_ast::Features::WASM2).is_err()
                    {
                        continue;
                    }
                    let mut set = Vec::new();
                    let Some(orig) = instantiate(&engine, &bytes) else {
                        continue;
                    };
                    set.push(("original".to_string(), orig));
                    for level in [OptLevel::O3, OptLevel::OZ] {
                        let mut out = m.clone();
                        let mut pm = PassManager::for_level(level, PassOptions::default());
                        if let Err(e) = pm.run(&mut out) {
                            failures.push(format!("{}: -{level}: {e}", file.path()));
                            continue;
                        }
                        match instantiate(&engine, &wtool_binary::encode(&out)) {
                            Some(l) => set.push((format!("-{level}"), l)),
                            None => failures.push(format!(
                                "{}: -{level}: optimized module does not instantiate",
                                file.path()
                            )),
                        }
                    }
                    modules += 1;
                    current = Some(set);
                    continue;
                }
                WastDirective::AssertReturn { exec, span, .. }
                | WastDirective::AssertTrap { exec, span, .. } => {
                    (exec, span.linecol_in(file.text).0 + 1)
                }
                WastDirective::Invoke(inv) => {
                    let span = inv.span;
                    (WastExecute::Invoke(inv), span.linecol_in(file.text).0 + 1)
                }
                _ => continue,
            };
            let WastExecute::Invoke(inv) = exec else {
                continue;
            };
            let Some(set) = current.as_mut() else {
                continue;
            };
            if inv.module.is_some() {
                continue;
            }
            let Some(args) = inv.args.iter().map(arg).collect::<Option<Vec<Val>>>() else {
                continue;
            };
            let outcomes: Vec<Outcome> = set
                .iter_mut()
                .map(|(_, l)| invoke(l, &inv, &args))
                .collect();
            if outcomes.contains(&Outcome::Inconclusive) {
                inconclusive += 1;
                // States may have diverged (one side ran out of fuel): stop using this module.
                current = None;
                continue;
            }
            for (k, o) in outcomes.iter().enumerate().skip(1) {
                if *o != outcomes[0] {
                    failures.push(format!(
                        "{}:{line}: invoke {:?}: original {:?}, {} {:?}",
                        file.path(),
                        inv.name,
                        outcomes[0],
                        set[k].0,
                        o
                    ));
                }
            }
            agreed += 1;
        }
    }
    eprintln!("spec semantics: {modules} modules, {agreed} invocations compared, {inconclusive} inconclusive");
    assert!(agreed > 10_000, "only {agreed} invocations compared");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

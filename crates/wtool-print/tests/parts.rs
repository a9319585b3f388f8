//! Printing a module whose bodies, data segments, custom sections and
//! exports were left in the input (`decode_lazy_parts_with`) writes exactly
//! the bytes of printing the whole decoded module, on one thread or
//! several; and names made per function by a `FuncNamer` print exactly as
//! the same names put in the name section before printing.

use wtool_ast::{Expr, Features, Instr, Module, NameMap, Names};
use wtool_binary::{decode_lazy_parts_with, decode_with_features, Leave};
use wtool_print::{print_parts_to_io, print_to_io, FuncNamer, LazyInput, PrintOptions};

/// Every `.wasm` under `fixtures/`.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let out = wtool_testsupport::fixture_modules();
    assert!(out.len() >= 10, "fixtures found: {}", out.len());
    out
}

fn eager(bytes: &[u8], opts: &PrintOptions) -> Vec<u8> {
    let module = decode_with_features(bytes, Features::ALL).expect("decode");
    let mut out = Vec::new();
    print_to_io(&module, opts, &mut out).expect("print");
    out
}

fn streamed(
    bytes: &[u8],
    opts: &PrintOptions,
    leave: Leave,
    threads: usize,
    namer: Option<&dyn FuncNamer>,
) -> Vec<u8> {
    let (module, parts) = decode_lazy_parts_with(bytes, Features::ALL, leave).expect("decode");
    let input = LazyInput {
        bytes,
        parts: &parts,
        features: Features::ALL,
    };
    let mut out = Vec::new();
    print_parts_to_io(&module, &input, opts, threads, namer, &mut out).expect("print");
    out
}

fn option_sets() -> Vec<PrintOptions> {
    let with = |f: fn(&mut PrintOptions)| {
        let mut o = PrintOptions::default();
        f(&mut o);
        o
    };
    vec![
        PrintOptions::default(),
        with(|o| o.fold = true),
        with(|o| o.names = false),
        with(|o| o.skip_custom = true),
        with(|o| {
            o.label_comments = true;
            o.inline_imports = true;
        }),
    ]
}

#[test]
fn parts_left_in_the_input_print_as_the_decoded_module() {
    let mut checked = 0;
    for (name, bytes) in fixtures() {
        for opts in option_sets() {
            let want = eager(&bytes, &opts);
            for (leave, threads) in [
                (Leave::default(), 1),
                (
                    Leave {
                        exports: true,
                        datas: false,
                    },
                    1,
                ),
                (
                    Leave {
                        exports: true,
                        datas: true,
                    },
                    1,
                ),
                (
                    Leave {
                        exports: true,
                        datas: true,
                    },
                    3,
                ),
            ] {
                let got = streamed(&bytes, &opts, leave, threads, None);
                assert!(
                    got == want,
                    "{name}: {opts:?}, {leave:?}, {threads} threads: output differs"
                );
                checked += 1;
            }
        }
        // Exports inline need them in the module.
        let opts = PrintOptions {
            inline_exports: true,
            ..PrintOptions::default()
        };
        let got = streamed(&bytes, &opts, Leave::default(), 2, None);
        assert!(got == eager(&bytes, &opts), "{name}: inline exports differ");
    }
    println!("{checked} prints compared");
}

/// `given` with `<prefix><i>` for each of `0..count` it does not name.
fn fill(given: Option<&NameMap>, count: usize, prefix: &str) -> NameMap {
    let mut map = given.cloned().unwrap_or_default();
    for i in 0..count as u32 {
        if Names::lookup(&map, i).is_none() {
            map.push((i, format!("{prefix}{i}")));
        }
    }
    map.sort_by_key(|(i, _)| *i);
    map
}

fn labels_in(body: &Expr) -> usize {
    body.instrs
        .iter()
        .filter(|i| matches!(i, Instr::Block(_) | Instr::Loop(_) | Instr::If(_)))
        .count()
}

/// Parameters and locals of function `func` of `m`.
fn local_count(m: &Module, func: u32) -> usize {
    let imported: Vec<u32> = m
        .imports
        .iter()
        .filter_map(|i| match i.desc {
            wtool_ast::ImportDesc::Func(t) => Some(t),
            _ => None,
        })
        .collect();
    let (ty, locals) = match (func as usize).checked_sub(imported.len()) {
        None => (imported[func as usize], 0),
        Some(d) => (m.funcs[d].type_idx, m.funcs[d].num_locals() as usize),
    };
    m.func_type(ty).map_or(0, |t| t.params.len()) + locals
}

/// Names every local `x<i>` and every `block`/`loop`/`if` label `y<i>`
/// where the name section has none (it needs the module's local counts).
struct Namer<'m>(&'m Module);

impl FuncNamer for Namer<'_> {
    fn locals(&self, func: u32, given: Option<&NameMap>) -> Option<NameMap> {
        Some(fill(given, local_count(self.0, func), "x"))
    }

    fn labels(&self, _func: u32, body: &Expr, given: Option<&NameMap>) -> Option<NameMap> {
        Some(fill(given, labels_in(body), "y"))
    }
}

#[test]
fn names_made_per_function_print_as_names_in_the_module() {
    for (name, bytes) in fixtures() {
        // The same names, all made before printing.
        let mut module = decode_with_features(&bytes, Features::ALL).expect("decode");
        let mut names = module.names.take().unwrap_or_default();
        let total = module.num_imported(wtool_ast::ExternKind::Func) as usize + module.funcs.len();
        let imported = total - module.funcs.len();
        let mut locals = Vec::new();
        let mut labels = Vec::new();
        for f in 0..total as u32 {
            let given = names.locals.iter().find(|(i, _)| *i == f).map(|(_, m)| m);
            locals.push((f, fill(given, local_count(&module, f), "x")));
            if let Some(d) = (f as usize).checked_sub(imported) {
                let given = names.labels.iter().find(|(i, _)| *i == f).map(|(_, m)| m);
                let n = labels_in(&module.funcs[d].body);
                labels.push((f, fill(given, n, "y")));
            }
        }
        names.locals = locals;
        names.labels = labels;
        module.names = Some(names);
        for opts in [
            PrintOptions {
                skip_custom: true,
                ..PrintOptions::default()
            },
            PrintOptions {
                skip_custom: true,
                fold: true,
                ..PrintOptions::default()
            },
        ] {
            let mut want = Vec::new();
            print_to_io(&module, &opts, &mut want).expect("print");
            let (lazy, parts) =
                decode_lazy_parts_with(&bytes, Features::ALL, Leave::default()).expect("decode");
            // The namer needs the module's shape only: the lazy one has it.
            let mut shaped = lazy.clone();
            if shaped.names.is_none() {
                shaped.names = Some(Names::default());
            }
            let namer = Namer(&shaped);
            let input = LazyInput {
                bytes: &bytes,
                parts: &parts,
                features: Features::ALL,
            };
            for threads in [1, 2] {
                let mut got = Vec::new();
                print_parts_to_io(&shaped, &input, &opts, threads, Some(&namer), &mut got)
                    .expect("print");
                assert!(
                    got == want,
                    "{name}: {opts:?}, {threads} threads: output differs"
                );
            }
        }
    }
}

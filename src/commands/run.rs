//! `wtool run FILE [--invoke NAME ARGS…]`: execute a module in the interpreter,
//! either one export with typed arguments, or as a program (start function,
//! `_start`, WASI preview1 command).

use crate::diag::CliError;
use crate::io::{FeaturesArg, Format, Input, InputArg};
use std::cell::RefCell;
use std::io::Write as _;
use std::path::Path;
use std::rc::Rc;
use wtool_ast::{Features, Module};
use wtool_interp::{
    CompiledModule, Config, Extern, Imports, InstantiateError, Store, Trap, TrapKind,
};
use wtool_run::{define_wasi, format_value, parse_value};
use wtool_wasi::{DirPerms, HostStream, InputStream, OutputStream, Preopen, WasiCtx};

const EXAMPLES: &str = "\
Examples:
  wtool run fixtures/add.wasm --invoke add 1 2       prints 3
  wtool run m.wat --invoke f -- -1 0x10 nan:0x1 i32x4:1,2,3,4
  wtool run --fuel 1000000 loop.wasm --invoke spin   stop after 10^6 calls/iterations
  wtool run --dir data::/data --env LANG=C app.wasm -- in.txt out.txt

Arguments are read by the export's parameter types: integers in decimal or 0x hex
(negative allowed), floats in decimal or hex (0x1.8p3), inf, nan, nan:0xPAYLOAD,
v128 as i8x16:…, i16x8:…, i32x4:…, i64x2:…, f32x4:…, f64x2:… (comma-separated lanes),
references as null. Results print one per line: integers signed decimal, floats the
shortest round-trip decimal (nan, nan:0x… for payloads), v128 as i32x4:a,b,c,d.
Flags go before FILE's arguments. A trap prints `error: trap: MESSAGE` and a wasm
backtrace and exits 1; a WASI program exits with its proc_exit code. Only the
arguments, variables and directories given reach a WASI program.";

/// Arguments of `wtool run`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// Call this exported function with ARGS and print its results
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// Limit execution: each call and loop iteration costs one unit
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Preopen host directory HOST for a WASI program, seen as GUEST (default: HOST)
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Preopen HOST read-only: the program may open, read, list and stat, never change anything
    #[arg(long = "dir-ro", value_name = "HOST[::GUEST]")]
    dirs_ro: Vec<String>,
    /// Pass an environment variable to a WASI program (may be repeated)
    #[arg(long = "env", value_name = "K=V")]
    envs: Vec<String>,
    #[command(flatten)]
    features: FeaturesArg,
    /// Arguments of the invoked function, or of the WASI program
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    args: Vec<String>,
}

/// Runs the module.
pub fn run(args: Args) -> Result<(), CliError> {
    let features = args.features.get();
    let mut input = args.input.read()?;
    let compiled = prepare(&mut input, features)?;
    let module = compiled.module();

    let mut store = Store::with_config(Config {
        fuel: args.fuel,
        ..Config::default()
    });
    store.set_fuel(args.fuel);
    let mut imports = Imports::new();
    let wasi = uses_wasi(module);
    let ctx = if wasi {
        let ctx = Rc::new(RefCell::new(wasi_ctx(&args)?));
        define_wasi(&mut store, &mut imports, Rc::clone(&ctx));
        Some(ctx)
    } else {
        None
    };

    let outcome = match store.instantiate_compiled(&compiled, &imports) {
        Ok(inst) => match &args.invoke {
            Some(name) => invoke(&mut store, inst, name, &args.args, &input),
            None => match store.get_export(inst, "_start") {
                Some(Extern::Func(f)) => store
                    .call(f, &[])
                    .map(|_| ())
                    .map_err(|t| trap(t, &input)),
                _ if module.start.is_some() => Ok(()),
                _ => Err(CliError::Usage {
                    message: "the module has no start function and no `_start` export".into(),
                    hint: Some("call an export with `--invoke NAME ARGS…`".into()),
                }),
            },
        },
        Err(InstantiateError::Trap(t)) => Err(trap(t, &input)),
        Err(e) => Err(CliError::Plain(format!("{}: {e}", input.name))),
    };
    // The WASI streams flush when the context goes away, before any exit.
    drop(store);
    drop(ctx);
    outcome
}

/// Validates the input completely, then prepares it for the interpreter.
/// Binary input is decoded without its function bodies, each of which is
/// decoded when the function first runs, so a large program starts without
/// decoding code it never calls.
fn prepare(input: &mut Input, features: Features) -> Result<Rc<CompiledModule>, CliError> {
    use crate::commands::validate::{default_threads, validate_input};
    validate_input(input, features, default_threads())?;
    let compiled = match input.format {
        Format::Text => CompiledModule::new(input.module(features)?),
        Format::Binary => {
            let (module, bodies) =
                wtool_binary::decode_lazy(&input.bytes, features).map_err(|e| CliError::Binary {
                    file: input.name.clone(),
                    offset: e.offset(),
                    message: e.to_string(),
                })?;
            let has_data_count = module.data_count.is_some();
            // The bytes move into the body source; traps in binary input
            // need only the file name.
            let bytes = Rc::new(std::mem::take(&mut input.bytes));
            CompiledModule::with_lazy_bodies(
                module,
                Box::new(move |i| {
                    let range = bodies.get(i as usize).ok_or("no such function body")?;
                    let mut expr = wtool_ast::Expr::default();
                    for r in wtool_binary::BodyReader::new(&bytes, range, features, has_data_count) {
                        let (at, instr) = r.map_err(|e| e.to_string())?;
                        expr.instrs.push(instr);
                        expr.offsets.push(at);
                    }
                    Ok(expr)
                }),
            )
        }
    };
    Ok(Rc::new(compiled))
}

/// Whether the module imports anything from WASI preview 1.
fn uses_wasi(module: &Module) -> bool {
    module
        .imports
        .iter()
        .any(|i| i.module.as_str() == wtool_wasi::MODULE)
}

/// The WASI context: argv[0] is the module's file name, then ARGS; nothing
/// from the host environment.
fn wasi_ctx(args: &Args) -> Result<WasiCtx, CliError> {
    let argv0 = Path::new(&args.input.input)
        .file_name()
        .map_or_else(|| "-".to_string(), |n| n.to_string_lossy().into_owned());
    let mut b = WasiCtx::builder()
        .arg(argv0)
        .args(&args.args)
        .stdin(InputStream::Inherit)
        .stdout(OutputStream::Inherit(HostStream::Stdout))
        .stderr(OutputStream::Inherit(HostStream::Stderr));
    for kv in &args.envs {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(CliError::Usage {
                message: format!("`--env {kv}` is not of the form K=V"),
                hint: None,
            });
        };
        b = b.env(k, v);
    }
    for d in &args.dirs {
        b = b.preopen(Preopen::parse(d));
    }
    // Read-only preopens come after the read-write ones, so their fds follow in that order.
    for d in &args.dirs_ro {
        b = b.preopen(Preopen {
            perms: DirPerms::ReadOnly,
            ..Preopen::parse(d)
        });
    }
    b.build().map_err(|e| CliError::Plain(e.to_string()))
}

fn invoke(
    store: &mut Store,
    inst: wtool_interp::InstanceId,
    name: &str,
    texts: &[String],
    input: &Input,
) -> Result<(), CliError> {
    let Some(ty) = store.export_func_type(inst, name) else {
        let funcs: Vec<String> = store
            .exports(inst)
            .into_iter()
            .filter(|(_, e)| matches!(e, Extern::Func(_)))
            .map(|(n, _)| n)
            .collect();
        return Err(CliError::Usage {
            message: format!("the module exports no function `{name}`"),
            hint: Some(if funcs.is_empty() {
                "it exports no functions".into()
            } else {
                format!("exported functions: {}", funcs.join(", "))
            }),
        });
    };
    let sig = signature(&ty);
    if texts.len() != ty.params.len() {
        return Err(CliError::Usage {
            message: format!(
                "`{name}` takes {} argument{}, {} given",
                ty.params.len(),
                if ty.params.len() == 1 { "" } else { "s" },
                texts.len()
            ),
            hint: Some(format!("`{name}` has type {sig}")),
        });
    }
    let mut values = Vec::with_capacity(texts.len());
    for (t, &p) in texts.iter().zip(ty.params.iter()) {
        values.push(parse_value(p, t).map_err(|e| CliError::Usage {
            message: e.to_string(),
            hint: Some(format!("`{name}` has type {sig}; see `wtool run --help`")),
        })?);
    }
    let results = store
        .invoke(inst, name, &values)
        .map_err(|t| trap(t, input))?;
    let mut out = std::io::stdout().lock();
    for r in &results {
        // A closed stdout is not an error of the program (`| head`).
        if writeln!(out, "{}", format_value(r)).is_err() {
            break;
        }
    }
    Ok(())
}

/// `(param i32 i32) (result i32)`.
fn signature(ty: &wtool_ast::FuncType) -> String {
    let names = |ts: &[wtool_ast::ValType]| {
        ts.iter()
            .map(|&t| wtool_run::values::type_name(t))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "(param {}) (result {})",
        names(&ty.params),
        names(&ty.results)
    )
}

/// A trap as an error with its backtrace; `proc_exit` ends the process with its code.
/// For text input the trapping instruction is shown in its source and every
/// frame is located by `file:line:col`.
fn trap(t: Trap, input: &Input) -> CliError {
    if let TrapKind::Exit(code) = t.kind {
        let _ = std::io::stdout().flush();
        // Anything WASI buffered was written by the stream itself.
        std::process::exit(code);
    }
    let text = match input.format {
        Format::Text => std::str::from_utf8(&input.bytes).ok(),
        Format::Binary => None,
    };
    let at = |o: u32| match text {
        Some(src) => {
            let (line, col) = wtool_text::line_col(src.as_bytes(), o as usize);
            format!("{}:{line}:{col}", input.name)
        }
        None => format!("0x{o:x}"),
    };
    let bt = backtrace(&t, at);
    let message = format!("trap: {}", t.message());
    match (text, t.backtrace.first().and_then(|f| f.offset)) {
        (Some(src), Some(offset)) => CliError::WithTrailer(
            Box::new(CliError::Source {
                file: input.name.clone(),
                text: src.to_string(),
                offset: offset as usize,
                len: token_len(src, offset as usize),
                message,
            }),
            bt,
        ),
        _ if bt.is_empty() => CliError::Plain(message),
        _ => CliError::Plain(format!("{message}\n{}", bt.trim_end())),
    }
}

/// Length of the instruction name at `offset` (what the snippet underlines).
fn token_len(src: &str, offset: usize) -> usize {
    src.get(offset..).map_or(0, |rest| {
        rest.find(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .unwrap_or(rest.len())
    })
}

/// One line per frame, innermost first; a run of identical frames (deep
/// recursion) is shown once with its count, so the error stays readable.
fn backtrace(t: &Trap, at: impl Fn(u32) -> String) -> String {
    let mut s = String::new();
    let frames = &t.backtrace;
    let mut i = 0;
    while let Some(fr) = frames.get(i) {
        let run = frames[i..].iter().take_while(|f| *f == fr).count();
        let name = fr.func_label();
        match fr.offset {
            Some(o) => s.push_str(&format!("  {i}: {name} at {}\n", at(o))),
            None => s.push_str(&format!("  {i}: {name}\n")),
        }
        if run > 1 {
            s.push_str(&format!("  … {} more frames like {i}\n", run - 1));
        }
        i += run;
    }
    s
}

//! `wtool run [OPTIONS] FILE [ARGS…]`: execute a module in the interpreter,
//! either one export with typed arguments, every export without parameters,
//! or as a program (start function, `_start`, WASI preview1 command).
//!
//! Everything after FILE goes to the program (or the invoked function), as
//! with wasmtime; a wtool option found there gets a hint. Installed as
//! `wasm-interp`, wabt's flags apply anywhere on the line (`-r`, `-a`,
//! `--run-all-exports`, `--wasi`), results print as wabt prints them, and
//! without any of those the module is only instantiated.

use crate::commands::validate::{default_threads, validate_input};
use crate::diag::CliError;
use crate::io::{FeaturesArg, Format, Input, InputArg};
use std::cell::RefCell;
use std::io::Write as _;
use std::path::Path;
use std::rc::Rc;
use wtool_ast::{Features, Module};
use wtool_interp::{
    BinaryBodies, CompiledModule, Config, Extern, Imports, InstantiateError, Store, Trap, TrapKind,
};
use wtool_run::{define_wasi, format_value, parse_value};
use wtool_wasi::{DirPerms, HostStream, InputStream, OutputStream, Preopen, WasiCtx};

const EXAMPLES: &str = "\
Examples:
  wtool run --invoke add fixtures/add.wasm 1 2       prints 3
  wtool run --invoke f m.wat -1 0x10 nan:0x1 i32x4:1,2,3,4
  wtool run --fuel 1000000 --invoke spin loop.wasm   stop after 10^6 calls/iterations
  wtool run --dir data::/data --env LANG=C app.wasm in.txt out.txt
  wtool run --run-all-exports m.wasm                 call every export without parameters

Arguments are read by the export's parameter types: integers in decimal or 0x hex
(negative allowed), floats in decimal or hex (0x1.8p3), inf, nan, nan:0xPAYLOAD,
v128 as i8x16:…, i16x8:…, i32x4:…, i64x2:…, f32x4:…, f64x2:… (comma-separated lanes),
references as null. Results print one per line: integers signed decimal, floats the
shortest round-trip decimal (nan, nan:0x… for payloads), v128 as i32x4:a,b,c,d.
Options go before FILE: what follows FILE is the program's. A trap prints `error: trap: MESSAGE` and a wasm
backtrace and exits 1; a WASI program exits with its proc_exit code. Only the
arguments, variables and directories given reach a WASI program.";

/// Arguments of `wtool run`.
#[derive(clap::Args, Debug)]
// `-V` is wasm-interp's --value-stack-size.
#[command(after_help = EXAMPLES, disable_version_flag = true)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// Call this exported function with ARGS and print its results (wasm-interp -r)
    #[arg(long, short = 'r', value_name = "NAME", alias = "run-export")]
    invoke: Option<String>,
    /// An argument of the invoked function, as TYPE:VALUE (wasm-interp -a i32:8)
    #[arg(short = 'a', long = "argument", value_name = "TYPE:VALUE", hide = true,
          allow_hyphen_values = true)]
    arguments: Vec<String>,
    /// Call every exported function that takes no parameters, printing `name() => i32:7`
    #[arg(long)]
    run_all_exports: bool,
    /// Run the module as a WASI command: call `_start` (what wtool does without --invoke)
    #[arg(long, hide = true)]
    wasi: bool,
    /// Limit execution: each call and loop iteration costs one unit
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Largest size of any one linear memory, in bytes or with a K/M/G suffix (KiB, MiB, GiB); past it
    /// memory.grow returns -1, and a module whose memory needs more at the start does not run
    #[arg(long, value_name = "SIZE", default_value = "4GiB", value_parser = parse_size)]
    max_memory: u64,
    /// Most elements of any one table; past it table.grow returns -1, and a module whose table needs more at the start does not run
    #[arg(long, value_name = "N", default_value_t = wtool_interp::table::MAX_TABLE)]
    max_table_elements: u64,
    /// Deepest nesting of wasm calls; deeper traps with "call stack exhausted"
    #[arg(long, value_name = "N", default_value_t = Config::default().max_call_depth, value_parser = clap::value_parser!(u32).range(1..))]
    max_stack: u32,
    /// Threads for validating the module before it runs (default: the number of CPUs)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
    /// Preopen host directory HOST for a WASI program, seen as GUEST (default: HOST)
    #[arg(short = 'd', long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Preopen HOST read-only: the program may open, read, list and stat, never change anything
    #[arg(long = "dir-ro", value_name = "HOST[::GUEST]")]
    dirs_ro: Vec<String>,
    /// Pass an environment variable to a WASI program (may be repeated)
    #[arg(short = 'e', long = "env", value_name = "K=V")]
    envs: Vec<String>,
    /// Accepted, no effect: the value stack grows as needed (wasm-interp -V)
    #[arg(short = 'V', long, value_name = "SIZE", hide = true)]
    value_stack_size: Option<u64>,
    /// Accepted, no effect: wtool's call depth limit applies (wasm-interp -C)
    #[arg(short = 'C', long, value_name = "SIZE", hide = true)]
    call_stack_size: Option<u64>,
    /// Accepted, no effect: wtool prints no progress log (wasm-interp -v)
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, hide = true)]
    verbose: u8,
    /// Refused: wtool's interpreter has no execution trace
    #[arg(short = 't', long, hide = true)]
    trace: bool,
    /// Refused: wtool provides only WASI preview1 and spectest imports
    #[arg(long, hide = true)]
    host_print: bool,
    /// Refused: wtool provides only WASI preview1 and spectest imports
    #[arg(long, hide = true)]
    dummy_import_func: bool,
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

/// Hidden flags `wasm-interp --help` shows.
pub fn anchor_flags() -> Vec<String> {
    [
        "arguments",
        "wasi",
        "value_stack_size",
        "call_stack_size",
        "verbose",
        "trace",
        "host_print",
        "dummy_import_func",
    ]
    .map(String::from)
    .to_vec()
}

/// wtool's options of `run`, which after FILE go to the program instead.
const OPTIONS_AFTER_FILE: &[&str] = &[
    "--invoke", "--fuel", "--dir", "--dir-ro", "--env", "--features", "--run-all-exports",
];

/// `wtool run OPTIONS FILE ARGS…`: everything after FILE is the program's,
/// so a `--` is put after FILE (unless one is there) before clap sees it.
/// Options before FILE are skipped with their values, as clap would read them.
pub fn program_args_after_file(argv: &mut Vec<std::ffi::OsString>, cli: &clap::Command) {
    if argv.get(1).is_none_or(|a| a != "run") {
        return;
    }
    let Some(cmd) = cli.find_subcommand("run") else {
        return;
    };
    let takes_value = |flag: &str| {
        cmd.get_arguments().any(|a| {
            let long = flag.strip_prefix("--").is_some_and(|l| a.get_long() == Some(l));
            let short = flag.len() == 2
                && flag.starts_with('-')
                && a.get_short().is_some_and(|c| flag.ends_with(c));
            (long || short) && a.get_action().takes_values()
        })
    };
    let mut i = 2;
    while let Some(arg) = argv.get(i).map(|a| a.to_string_lossy().into_owned()) {
        if arg == "--" {
            return;
        }
        if arg.starts_with('-') && arg != "-" {
            // `--flag value`, not `--flag=value` or `-xVALUE`.
            i += if !arg.contains('=') && takes_value(&arg) { 2 } else { 1 };
            continue;
        }
        if argv.get(i + 1).is_some_and(|a| a != "--") {
            argv.insert(i + 1, "--".into());
        }
        return;
    }
}

/// Runs the module.
pub fn run(args: Args) -> Result<(), CliError> {
    crate::compat::refuse(&[
        (args.trace, "--trace", "wtool's interpreter has no execution trace"),
        (args.host_print, "--host-print", "wtool provides only WASI preview1 imports"),
        (
            args.dummy_import_func,
            "--dummy-import-func",
            "wtool provides only WASI preview1 imports",
        ),
    ])?;
    let as_interp = crate::multicall::invoked_as().is_some();
    let features = args.features.get();
    let mut input = args.input.read()?;
    input.refuse_component()?;
    let threads = args.threads.map_or_else(default_threads, |n| n as usize);
    let compiled = prepare(&mut input, features, threads)?;
    let module = compiled.module();

    let mut store = Store::with_config(Config {
        fuel: args.fuel,
        max_memory_bytes: args.max_memory,
        max_table_elements: args.max_table_elements,
        max_call_depth: args.max_stack,
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

    let is_command = module.exports.iter().any(|e| e.name == "_start");
    if !as_interp && is_command && args.invoke.is_none() && !args.run_all_exports {
        if let Some(hint) = misplaced_hint(&args) {
            // A WASI program may well take `--env`: it gets the arguments, and a note.
            eprintln!("note: {hint}");
        }
    }
    let outcome = match store.instantiate_compiled(&compiled, &imports) {
        Ok(inst) if args.run_all_exports => run_all_exports(&mut store, inst, &input),
        Ok(inst) => match &args.invoke {
            Some(name) => {
                let (texts, typed) = if args.arguments.is_empty() {
                    (args.args.clone(), false)
                } else {
                    (args.arguments.clone(), true)
                };
                invoke(&mut store, inst, name, &texts, typed, as_interp, &input)
            }
            // wasm-interp without -r, --run-all-exports or --wasi only instantiates.
            None if as_interp && !args.wasi => Ok(()),
            None => match store.get_export(inst, "_start") {
                Some(Extern::Func(f)) => store
                    .call(f, &[])
                    .map(|_| ())
                    .map_err(|t| trap(t, &input)),
                _ if module.start.is_some() => Ok(()),
                _ => Err(CliError::Usage {
                    message: "the module has no start function and no `_start` export".into(),
                    hint: Some(misplaced_hint(&args).unwrap_or_else(|| {
                        "call an export with `--invoke NAME FILE ARGS…`".into()
                    })),
                }),
            },
        },
        Err(InstantiateError::Trap(t)) => Err(trap(t, &input)),
        // Exit 1 like any module that cannot run, with the flag to change.
        Err(e @ InstantiateError::Limit { what, .. }) => Err(CliError::WithTrailer(
            Box::new(CliError::Plain(format!("{}: {e}", input.name))),
            format!(
                "  hint: raise the limit with `{}`\n",
                if what == "memory" {
                    "--max-memory SIZE"
                } else {
                    "--max-table-elements N"
                }
            ),
        )),
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
fn prepare(
    input: &mut Input,
    features: Features,
    threads: usize,
) -> Result<Rc<CompiledModule>, CliError> {
    validate_input(input, features, threads)?;
    let compiled = match input.format {
        Format::Text => CompiledModule::new(input.module(features)?),
        Format::Binary => {
            let (module, bodies) =
                wtool_binary::decode_lazy(&input.bytes, features).map_err(|error| {
                    CliError::Decode {
                        file: input.name.clone(),
                        error,
                    }
                })?;
            let has_data_count = module.data_count.is_some();
            // The bytes move into the interpreter, which reads each body
            // from them on its function's first call; traps in binary
            // input need only the file name.
            CompiledModule::with_lazy_bodies(
                module,
                BinaryBodies {
                    bytes: Box::new(std::mem::take(&mut input.bytes)),
                    ranges: bodies,
                    features,
                    has_data_count,
                },
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

/// What to say when wtool's options came after FILE (and so went to the
/// program): the command line with them moved before FILE.
fn misplaced_hint(args: &Args) -> Option<String> {
    let mut options = Vec::new();
    let mut rest = Vec::new();
    let mut it = args.args.iter();
    while let Some(a) = it.next() {
        let flag = a.split_once('=').map_or(a.as_str(), |(f, _)| f);
        if OPTIONS_AFTER_FILE.contains(&flag) {
            options.push(a.clone());
            if flag == a && flag != "--run-all-exports" {
                options.extend(it.next().cloned());
            }
        } else {
            rest.push(a.clone());
        }
    }
    if options.is_empty() {
        return None;
    }
    let file = args.input.input.display().to_string();
    let line = [options, vec![file], rest].concat().join(" ");
    Some(format!(
        "`{}` came after FILE, so it went to the program; wtool's options go before FILE: \
         `wtool run {line}`",
        args.args
            .iter()
            .find(|a| OPTIONS_AFTER_FILE.contains(&a.split_once('=').map_or(a.as_str(), |(f, _)| f)))
            .map_or("", String::as_str)
    ))
}

/// `--run-all-exports`: every exported function without parameters, in
/// export order, one `name() => results` line each (as wasm-interp prints
/// them); a trap is printed in its place and the rest still run.
fn run_all_exports(
    store: &mut Store,
    inst: wtool_interp::InstanceId,
    input: &Input,
) -> Result<(), CliError> {
    let mut trapped = false;
    let mut out = std::io::stdout().lock();
    for (name, ext) in store.exports(inst) {
        let Extern::Func(f) = ext else { continue };
        if store
            .export_func_type(inst, &name)
            .is_none_or(|t| !t.params.is_empty())
        {
            continue;
        }
        let line = match store.call(f, &[]) {
            Ok(results) => crate::compat::interp::call_line(&name, &[], &results),
            Err(t) if matches!(t.kind, TrapKind::Exit(_)) => return Err(trap(t, input)),
            Err(t) => {
                trapped = true;
                format!("{name}() => error: {}", t.kind)
            }
        };
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    if trapped {
        Err(CliError::Reported)
    } else {
        Ok(())
    }
}

/// Calls export `name` with `texts` read by its parameter types (`typed`:
/// as `TYPE:VALUE`, wasm-interp's `-a`), printing the results one per line,
/// or (`wabt_style`) as one `name(args) => results` line.
fn invoke(
    store: &mut Store,
    inst: wtool_interp::InstanceId,
    name: &str,
    texts: &[String],
    typed: bool,
    wabt_style: bool,
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
    for (k, (t, &p)) in texts.iter().zip(ty.params.iter()).enumerate() {
        let (given, text) = if typed {
            crate::compat::interp::split_typed(t)
        } else {
            (None, t.as_str())
        };
        if given.is_some_and(|g| g != p) {
            return Err(CliError::Usage {
                message: format!(
                    "argument {} `{t}` is not of type {}",
                    k + 1,
                    wtool_run::values::type_name(p)
                ),
                hint: Some(format!("`{name}` has type {sig}")),
            });
        }
        values.push(parse_value(p, text).map_err(|e| CliError::Usage {
            message: e.to_string(),
            hint: Some(format!("`{name}` has type {sig}; see `wtool run --help`")),
        })?);
    }
    let mut out = std::io::stdout().lock();
    let results = match store.invoke(inst, name, &values) {
        Ok(r) => r,
        Err(t) if wabt_style && !matches!(t.kind, TrapKind::Exit(_)) => {
            let call = crate::compat::interp::call_line(name, &values, &[]);
            let _ = writeln!(out, "{call} error: {}", t.kind);
            return Err(CliError::Reported);
        }
        Err(t) => return Err(trap(t, input)),
    };
    if wabt_style {
        let _ = writeln!(
            out,
            "{}",
            crate::compat::interp::call_line(name, &values, &results)
        );
        return Ok(());
    }
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
    let message = format!("trap: {}", t.kind);
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

/// A byte count for `--max-memory`: digits, optionally followed by `K`, `M`,
/// `G` or `T` (binary units; `KiB`, `MiB`, `GiB`, `TiB` and `KB`… spell the same).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(digits);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 65536, 64KiB, 512MiB, 4GiB)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(format!("`{s}`: unknown unit `{unit}` (use K, M, G or T)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{s}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("65536"), Ok(65536));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("4GiB"), Ok(1 << 32));
        assert_eq!(parse_size("1tb"), Ok(1 << 40));
        assert!(parse_size("").is_err());
        assert!(parse_size("12X").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999999999999").is_err());
        assert!(parse_size("20000000T").is_err());
    }
}

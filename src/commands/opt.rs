//! `wtool opt IN [-O…] [-o OUT]`: the optimizing pass pipeline (like binaryen's `wasm-opt`).
//!
//! binaryen's spellings (pass flags, `-O4`, `-S`, `-g`, `-c`, `-all`, …)
//! are parsed by `compat::binaryen`; installed as `wasm-opt`, the command
//! also follows binaryen's defaults: no passes means no work (the input is
//! written back unchanged), no `-o` means no output, no `-g` means no names,
//! other custom sections are kept at every level.

use crate::commands::validate;
use crate::compat::binaryen::{self, PipelineArgs, Step};
use crate::diag::CliError;
use crate::features::Family;
use crate::io::{FeaturesArg, Format, InputArg, OutputArg, OutputKind};
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use wtool_ast::Module;
use wtool_opt::pipeline::levels_running;
use wtool_opt::registry::PASSES;
use wtool_opt::{Bodies, OptError, OptLevel, PassManager, PassOptions, RunReport};
use wtool_print::PrintOptions;

const EXAMPLES: &str = "\
Examples:
  wtool opt -O2 app.wasm -o app.opt.wasm
  wtool opt -Oz --timings app.wasm -o small.wasm   per-pass times on stderr
  wtool opt --passes dce,vacuum -t module.wat      chosen passes, text output
  wtool opt --dce -O3 --vacuum app.wasm -o out.wasm  passes and levels in order
  wtool opt -O3 --skip-pass inlining app.wasm -o out.wasm
  wtool opt --list-passes                          every pass and the levels running it

-O levels, --passes and pass flags (--dce, --strip-debug, …) run in the order given;
the last -O sets the level every pass sees, and each -O runs its pipeline once more.
Without any the level is -O2; with an empty pipeline (-O0) a binary input is written
back unchanged. -Os and -Oz strip custom sections (names included) unless -g
(--keep-names) / --keep-section NAME, and -Oz never grows the module.";

/// Arguments of `wtool opt`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Input module, binary (.wasm) or text (.wat), told apart by content; `-` reads stdin
    #[arg(value_name = "FILE", required_unless_present = "list_passes")]
    input: Option<PathBuf>,
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// Leave this pass out of the pipeline (may be repeated)
    #[arg(long, value_name = "NAME")]
    skip_pass: Vec<String>,
    /// List the passes, the levels that run each, and what they do
    #[arg(long)]
    list_passes: bool,
    /// Print a table of the time each pass took to stderr
    #[arg(long)]
    timings: bool,
    /// Keep the name section, also when -Os/-Oz strip custom sections (wasm-opt's -g)
    #[arg(short = 'g', long, alias = "debuginfo")]
    keep_names: bool,
    /// Keep this custom section when -Os/-Oz strip custom sections (may be repeated)
    #[arg(long, value_name = "NAME")]
    keep_section: Vec<String>,
    /// Assume loads, divisions and conversions do not trap, so unused ones may go
    #[arg(long)]
    ignore_implicit_traps: bool,
    /// Threads for validation and function-local passes (default: one per CPU,
    /// or BINARYEN_CORES as wasm-opt reads it); the output is the same on any number
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
    /// Run the pipeline again while the module keeps getting smaller
    #[arg(short = 'c', long)]
    converge: bool,
    /// Write the result as text instead of binary (wasm-opt's -S)
    #[arg(short = 't', long = "wat", short_alias = 'S', alias = "emit-text")]
    wat: bool,
    #[command(flatten)]
    features: FeaturesArg,
    #[command(flatten)]
    output: OutputArg,
}

/// `BINARYEN_CORES`, the thread count binaryen's users set for `wasm-opt`
/// (a positive number; anything else is ignored, as binaryen ignores it).
fn binaryen_cores() -> Option<usize> {
    std::env::var("BINARYEN_CORES")
        .ok()?
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
}

/// Hidden flags `wasm-opt --help` shows.
pub fn anchor_flags() -> Vec<String> {
    binaryen::shown_flags()
}

/// Optimizes the input and writes it (or lists the passes).
pub fn run(args: Args) -> Result<(), CliError> {
    if args.list_passes {
        return args
            .output
            .write_with(OutputKind::Text, |out| out.write_all(list_passes().as_bytes()));
    }
    let Some(path) = args.input.clone() else {
        return Err(CliError::Usage {
            message: "no input file".into(),
            hint: Some("usage: wtool opt [-O2] FILE -o OUT".into()),
        });
    };
    let as_wasm_opt = crate::multicall::invoked_as_family() == Some(Family::Binaryen);
    let p = &args.pipeline;
    let mut steps = p.steps.clone();
    if steps.is_empty() {
        if as_wasm_opt {
            eprintln!("warning: no passes specified, not doing any work");
        } else {
            steps.push(Step::Level);
        }
    }
    // wasm-opt writes nothing without -o; wtool writes to stdout.
    let discard = as_wasm_opt && args.output.output.is_none();
    if discard {
        eprintln!("warning: no output file specified, not emitting output");
    } else if !args.wat {
        args.output.check_binary_destination()?;
    }
    if p.o4 {
        eprintln!("note: wtool has no -O4 pipeline of its own; -O4 runs the -O3 passes");
    }
    for name in &p.ignored {
        eprintln!("warning: --{name} has no effect in wtool (its passes have no such setting)");
    }
    let mut input = InputArg { input: path }.read()?;
    input.refuse_component()?;
    let features = args.features.get();
    let threads = args
        .threads
        .map(|n| n as usize)
        .or_else(binaryen_cores)
        .unwrap_or_else(validate::default_threads);
    let (mut module, mut bodies) = match input.format {
        // Validated streaming from the bytes; then every section but the
        // code is decoded, and each body is held encoded (`Bodies`), so
        // that the passes never hold the whole module decoded.
        Format::Binary => {
            validate::validate_input(&input, features, threads)?;
            let (mut m, ranges) = wtool_binary::decode_lazy(&input.bytes, features)
                .map_err(|e| input.decode_error(e))?;
            let has_data_count = m.data_count.is_some();
            let bodies =
                Bodies::from_input(&mut m, &input.bytes, &ranges, features, has_data_count, threads)
                    .map_err(|e| input.decode_error(e))?;
            (m, bodies)
        }
        Format::Text => {
            let mut m = input.module(features)?;
            validate::check(&input, &m, features, threads)?;
            // Source positions only place the input's errors, found above;
            // a body with positions is not held encoded.
            for f in &mut m.funcs {
                f.body.offsets = Vec::new();
            }
            let bodies = Bodies::packed(&mut m, features, threads);
            (m, bodies)
        }
    };

    let level = p.level.unwrap_or(OptLevel::O2);
    let options = PassOptions {
        features,
        opt_level: level.opt,
        shrink_level: level.shrink,
        ignore_implicit_traps: args.ignore_implicit_traps || p.traps_never_happen,
        keep_names: args.keep_names,
        keep_sections: args.keep_section.clone(),
        inline_max_size: p.inline_max.unwrap_or(PassOptions::default().inline_max_size),
        threads,
    };
    let mut skip = args.skip_pass.clone();
    if as_wasm_opt {
        // binaryen keeps custom sections (producers, target_features, …) at
        // every level; only the name section goes, without -g (below).
        skip.push("strip-custom".into());
    }
    let mut segments = segments(&steps, level, &options, &skip)?;
    let ran_nothing = segments.iter().all(|s| s.pm.pass_names().is_empty());
    // The input's bytes are written back only when no pass runs; otherwise
    // they are not held through the passes.
    if !(ran_nothing && input.format == Format::Binary) {
        input.bytes = Default::default();
    }
    let report = run_segments(
        &mut segments,
        &mut module,
        &mut bodies,
        args.converge,
        level.shrink >= 2,
    )?;
    if args.timings {
        eprint!("{}", timings_table(&report));
    }
    // wasm-opt writes the name section only with -g (but given no passes
    // at all, wtool writes the input back as it was).
    let drop_names = as_wasm_opt && !args.keep_names && !p.steps.is_empty();
    if drop_names {
        module.names = None;
        module.customs.retain(|c| c.name != "name");
    }
    if discard {
        return Ok(());
    }
    if args.wat {
        let module = bodies.materialize(&module);
        args.output.write_with(OutputKind::Text, |out| {
            wtool_print::print_to_io(&module, &PrintOptions::default(), out)
        })
    } else if ran_nothing && !drop_names && input.format == Format::Binary {
        // Nothing ran: the input as it was, byte for byte.
        args.output
            .write_with(OutputKind::Binary, |out| out.write_all(&input.bytes))
    } else {
        // Streamed, held bodies written as they are (no copy of the output).
        args.output
            .write_with(OutputKind::Binary, |out| bodies.encode_into(module, out))
    }
}

/// A run of passes, and whether the module is printed after it (`--print`).
struct Segment {
    pm: PassManager,
    print_after: bool,
}

/// The steps as pass managers, split at each `--print`.
fn segments(
    steps: &[Step],
    level: OptLevel,
    options: &PassOptions,
    skip: &[String],
) -> Result<Vec<Segment>, CliError> {
    let new = || {
        let mut pm = PassManager::new(options.clone());
        // The size guard of -Oz is applied to the whole run below.
        pm.keep_smaller(false);
        for name in skip {
            pm.skip_pass(name).map_err(opt_error)?;
        }
        Ok::<_, CliError>(pm)
    };
    let mut out = vec![Segment {
        pm: new()?,
        print_after: false,
    }];
    for step in steps {
        let seg = out.last_mut().expect("one segment at least");
        match step {
            Step::Level => {
                for name in level.passes() {
                    seg.pm.add(name).map_err(opt_error)?;
                }
            }
            Step::Pass(name) => {
                seg.pm.add(name).map_err(opt_error)?;
            }
            Step::Print => {
                seg.print_after = true;
                out.push(Segment {
                    pm: new()?,
                    print_after: false,
                });
            }
        }
    }
    Ok(out)
}

/// Runs the segments (again and again with `converge`, while the module
/// shrinks), printing where asked; with `keep_smaller` (-Oz) a result that
/// is not smaller than the input is replaced by the input.
fn run_segments(
    segments: &mut [Segment],
    module: &mut Module,
    bodies: &mut Bodies,
    converge: bool,
    keep_smaller: bool,
) -> Result<RunReport, CliError> {
    let start = Instant::now();
    let mut report = RunReport::default();
    let measure = converge || keep_smaller;
    let original = keep_smaller.then(|| (module.clone(), bodies.clone()));
    let before = measure.then(|| bodies.encoded_size(module));
    let mut last = before.unwrap_or(0);
    // Each round makes the module strictly smaller, so this ends; the cap
    // only bounds the time.
    for round in 0..100 {
        let snapshot = (round > 0).then(|| (module.clone(), bodies.clone()));
        for seg in segments.iter_mut() {
            let bar = progress_bar(seg.pm.pass_names().len());
            if let Some(bar) = bar.clone() {
                seg.pm.on_progress(Box::new(move |p| {
                    bar.set_position(p.done as u64);
                    bar.set_message(p.pass);
                }));
            }
            let r = seg.pm.run_bodies(module, bodies);
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            report.timings.extend(r.map_err(opt_error)?.timings);
            if seg.print_after {
                print_module(&bodies.materialize(module))?;
            }
        }
        if !converge {
            break;
        }
        let now = bodies.encoded_size(module);
        if now >= last {
            if let Some(s) = snapshot {
                (*module, *bodies) = s;
            }
            break;
        }
        last = now;
    }
    if let (Some(orig), Some(before)) = (original, before) {
        let after = bodies.encoded_size(module);
        report.keep_smaller(module, bodies, orig, before, after);
    }
    report.total = start.elapsed();
    Ok(report)
}

/// `--print`: the module as text on stdout.
fn print_module(module: &Module) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match wtool_print::print_to_io(module, &PrintOptions::default(), &mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::io("write", "<stdout>", e)),
        _ => Ok(()),
    }
}

fn opt_error(e: OptError) -> CliError {
    match e {
        OptError::UnknownPass { name, .. } => CliError::Usage {
            message: format!("unknown pass `{name}`"),
            hint: Some("`wtool opt --list-passes` lists them".into()),
        },
        other => CliError::Plain(other.to_string()),
    }
}

/// A progress bar on stderr when it is a terminal (indicatif hides itself
/// otherwise too, but then we skip the callback entirely).
fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || total == 0 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} [{pos}/{len}] {bar:30} {msg} ({elapsed})",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

/// `--list-passes`: name, the levels that run it, description.
fn list_passes() -> String {
    let width = PASSES.iter().map(|p| p.name.len()).max().unwrap_or(0);
    let mut s = String::from("Passes (name, levels that run it, what it does):\n");
    for p in PASSES {
        let levels: Vec<String> = levels_running(p.name)
            .iter()
            .map(|l| format!("-{l}"))
            .collect();
        let levels = if levels.is_empty() {
            "--passes only".to_string()
        } else {
            levels.join(" ")
        };
        s.push_str(&format!(
            "  {:width$}  {:<22}  {}\n",
            p.name, levels, p.description
        ));
    }
    s
}

/// `--timings`: one line per pass run, then the total and the size change.
fn timings_table(report: &RunReport) -> String {
    let width = report
        .timings
        .iter()
        .map(|t| t.name.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let ms = |d: Duration| format!("{:.3}ms", d.as_secs_f64() * 1e3);
    let mut s = format!("{:width$}  {:>12}  changed\n", "pass", "time");
    for t in &report.timings {
        s.push_str(&format!(
            "{:width$}  {:>12}  {}\n",
            t.name,
            ms(t.elapsed),
            if t.changed { "yes" } else { "no" }
        ));
    }
    s.push_str(&format!("{:width$}  {:>12}\n", "total", ms(report.total)));
    if let (Some(before), Some(after)) = (report.size_before, report.size_after) {
        s.push_str(&format!("size: {before} -> {after} bytes"));
        if report.kept_input {
            s.push_str(" (not smaller: kept the input)");
        }
        s.push('\n');
    }
    s
}

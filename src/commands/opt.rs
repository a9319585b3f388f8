//! `wtool opt IN [-O…] [-o OUT]`: the optimizing pass pipeline (like binaryen's `wasm-opt`).

use crate::commands::validate;
use crate::diag::CliError;
use crate::io::{FeaturesArg, InputArg, OutputArg, OutputKind};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;
use wtool_opt::pipeline::levels_running;
use wtool_opt::registry::PASSES;
use wtool_opt::{OptError, OptLevel, PassManager, PassOptions, RunReport};
use wtool_print::PrintOptions;

const EXAMPLES: &str = "\
Examples:
  wtool opt -O2 app.wasm -o app.opt.wasm
  wtool opt -Oz --timings app.wasm -o small.wasm   per-pass times on stderr
  wtool opt --passes dce,vacuum -t module.wat      chosen passes, text output
  wtool opt -O3 --skip-pass inlining app.wasm -o out.wasm
  wtool opt --list-passes                          every pass and the levels running it

Without -O or --passes the level is -O2. -Os and -Oz strip custom sections (names
included) unless --keep-names / --keep-section NAME, and -Oz never grows the module.";

/// Arguments of `wtool opt`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Input module, binary (.wasm) or text (.wat), told apart by content; `-` reads stdin
    #[arg(value_name = "FILE", required_unless_present = "list_passes")]
    input: Option<PathBuf>,
    /// Optimization level: -O0, -O1, -O2, -O3, -Os (size) or -Oz (smallest)
    #[arg(short = 'O', value_name = "LEVEL", value_parser = parse_level)]
    level: Option<OptLevel>,
    /// Run these passes (comma-separated, after the -O level's if both are given)
    #[arg(long, value_name = "A,B,…", value_delimiter = ',')]
    passes: Vec<String>,
    /// Leave this pass out of the pipeline (may be repeated)
    #[arg(long, value_name = "NAME")]
    skip_pass: Vec<String>,
    /// List the passes, the levels that run each, and what they do
    #[arg(long)]
    list_passes: bool,
    /// Print a table of the time each pass took to stderr
    #[arg(long)]
    timings: bool,
    /// Keep the name section when -Os/-Oz strip custom sections
    #[arg(long)]
    keep_names: bool,
    /// Keep this custom section when -Os/-Oz strip custom sections (may be repeated)
    #[arg(long, value_name = "NAME")]
    keep_section: Vec<String>,
    /// Assume loads, divisions and conversions do not trap, so unused ones may go
    #[arg(long)]
    ignore_implicit_traps: bool,
    /// Write the result as text instead of binary
    #[arg(short = 't', long = "wat")]
    wat: bool,
    #[command(flatten)]
    features: FeaturesArg,
    #[command(flatten)]
    output: OutputArg,
}

fn parse_level(s: &str) -> Result<OptLevel, wtool_opt::ParseLevelError> {
    s.parse()
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
    if !args.wat {
        args.output.check_binary_destination()?;
    }
    let input = InputArg { input: path }.read()?;
    let features = args.features.get();
    let mut module = input.module(features)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    validate::check(&input, &module, features, threads)?;

    let options = PassOptions {
        features,
        ignore_implicit_traps: args.ignore_implicit_traps,
        keep_names: args.keep_names,
        keep_sections: args.keep_section.clone(),
        ..PassOptions::default()
    };
    let mut pm = pipeline(&args, options).map_err(opt_error)?;
    for name in &args.skip_pass {
        pm.skip_pass(name).map_err(opt_error)?;
    }
    let bar = progress_bar(pm.pass_names().len());
    if let Some(bar) = bar.clone() {
        pm.on_progress(Box::new(move |p| {
            bar.set_position(p.done as u64);
            bar.set_message(p.pass);
        }));
    }
    let report = pm.run(&mut module);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report.map_err(opt_error)?;
    if args.timings {
        eprint!("{}", timings_table(&report));
    }
    if args.wat {
        args.output.write_with(OutputKind::Text, |out| {
            wtool_print::print_to_io(&module, &PrintOptions::default(), out)
        })
    } else {
        let bytes = wtool_binary::encode(&module);
        args.output
            .write_with(OutputKind::Binary, |out| out.write_all(&bytes))
    }
}

/// The level's pipeline, then `--passes`; -O2 when neither is given.
fn pipeline(args: &Args, options: PassOptions) -> Result<PassManager, OptError> {
    let level = match (args.level, args.passes.is_empty()) {
        (Some(l), _) => Some(l),
        (None, true) => Some(OptLevel::O2),
        (None, false) => None,
    };
    let mut pm = match level {
        Some(l) => PassManager::for_level(l, options),
        None => PassManager::new(options),
    };
    for name in &args.passes {
        pm.add(name.trim())?;
    }
    Ok(pm)
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

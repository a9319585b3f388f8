//! `wtool wast FILE…`: run spec scripts (the `spectest` host module,
//! `register`, every assertion kind) and report per directive. Component
//! Model scripts are taken too: their components are validated, and the
//! directives that would run one fail as not supported yet.

use crate::diag::CliError;
use crate::io::{FeaturesArg, InputArg};
use std::io::Write as _;
use std::path::PathBuf;
use wtool_wast::{run_script, OptLevel, Report, RunOptions};

const EXAMPLES: &str = "\
Examples:
  wtool wast i32.wast                      one line per failure, then `N passed, M failed`
  wtool wast -v tests/*.wast               also `FILE: N passed, M failed` per file
  wtool wast --json simd.wast | jq .failed machine-readable report
  wtool wast --opt O3 i32.wast             optimize every module first (results must not change)

A failure reads `FILE:LINE: DIRECTIVE: expected …, got …`. `register` is not
counted; a directive after a module that failed counts as failed. Exit 1 if any
directive failed.

Component Model scripts: components are decoded and validated; running one
(`component instance`, actions on it, `assert_return`, `assert_trap`, a component
with a start function) is not supported yet, and each such directive fails saying so.";

/// Arguments of `wtool wast`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Scripts to run (.wast); `-` reads stdin
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Print the report as JSON (files, directives, counts) instead of text
    #[arg(long)]
    json: bool,
    /// Also print a `FILE: N passed, M failed` line per file
    #[arg(short, long)]
    verbose: bool,
    /// Optimize every module at this level (O0…O3, Os, Oz) before running it
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    opt: Option<OptLevel>,
    #[command(flatten)]
    features: FeaturesArg,
}

fn parse_level(s: &str) -> Result<OptLevel, wtool_opt::ParseLevelError> {
    s.strip_prefix('-').unwrap_or(s).parse()
}

/// Runs every script and prints the report.
pub fn run(args: Args) -> Result<(), CliError> {
    let opts = RunOptions {
        features: args.features.get(),
        opt: args.opt,
        ..RunOptions::default()
    };
    let mut report = Report::default();
    for file in &args.files {
        let input = InputArg {
            input: file.clone(),
        }
        .read()?;
        report.add(run_script(&input.name, &input.bytes, &opts));
    }
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&report)
            .map_err(|e| CliError::Plain(format!("cannot write the JSON report: {e}")))?;
        s.push('\n');
        s
    } else {
        let mut s = String::new();
        for line in report.failure_lines() {
            s.push_str(&line);
            s.push('\n');
        }
        if args.verbose {
            for f in &report.files {
                s.push_str(&format!(
                    "{}: {} passed, {} failed\n",
                    f.file, f.passed, f.failed
                ));
            }
        }
        s.push_str(&report.summary());
        s.push('\n');
        s
    };
    // A reader that went away (`| head`) is not an error.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if report.failed > 0 {
        Err(CliError::Reported)
    } else {
        Ok(())
    }
}

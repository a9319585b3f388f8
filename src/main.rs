//! The `wtool` command line.
//!
//! Every subcommand is one file in `src/commands/` with an `Args` struct (clap
//! derive) and a `run` function; `commands!` in `commands/mod.rs` lists them.
//! Shared conventions live in `io.rs` (input, output, `--features`) and
//! `diag.rs` (error rendering and exit codes), so every command behaves alike:
//! exit 0 on success, 1 on an error, 2 on a usage error, `error: …` on stderr.

mod bytes;
mod commands;
mod compat;
mod diag;
mod features;
mod io;
mod multicall;

use clap::{CommandFactory, FromArgMatches, Parser};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  wtool parse fixtures/add.wat -o add.wasm      text to binary (validated)
  wtool print fixtures/add.wasm                 binary to text
  wtool validate -v *.wasm                      check modules
  wtool opt -Oz app.wasm -o small.wasm          optimize for size
  wtool run --invoke add fixtures/add.wasm 1 2  call an export (prints 3)
  wtool dump fixtures/add.wasm                  describe a module as JSON
  wtool objdump -x -d app.wasm                  sections, entries, disassembly
  wtool size app.wasm                           where the bytes go
  cat app.wasm | wtool dump - | jq '.exports'   read stdin, query with jq
  wtool install-aliases ~/.local/bin            wat2wasm, wasm-opt, … as links to wtool

Installed (linked or copied) as wat2wasm, wasm2wat, wasm-validate, wasm-opt,
wasm-interp, wasm-objdump or wasm-strip, wtool runs the matching subcommand with
that tool's flags (wabt 1.0.42, binaryen 108).";

/// A WebAssembly toolchain: parse, print, validate, dump, optimize and run modules.
#[derive(Parser, Debug)]
#[command(name = "wtool", version, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

/// The clap description of the whole CLI (used by `completions`).
pub fn cli_command() -> clap::Command {
    Cli::command()
}

/// Whether the anchors' hidden flags (about 60 feature spellings per
/// command, 150 binaryen options and passes) are part of the CLI. Building
/// them costs more than the rest of a small run (about 2.5 million
/// instructions), so a plain `wtool` run that uses none of them leaves them
/// out; alias names, `completions` and `man` get them all.
static ANCHOR_FLAGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// See [`ANCHOR_FLAGS`].
pub fn anchor_flags_wanted() -> bool {
    ANCHOR_FLAGS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Whether a plain `wtool …` command line needs the anchors' flags.
fn needs_anchor_flags(argv: &[std::ffi::OsString]) -> bool {
    let sub = argv.get(1).and_then(|s| s.to_str()).unwrap_or("");
    let args = || argv.iter().skip(2).filter_map(|a| a.to_str());
    matches!(sub, "completions" | "man")
        || (sub == "opt" && compat::binaryen::mentions_binaryen_flag(args()))
        || args().any(|a| {
            a.starts_with("--enable-")
                || a.starts_with("--disable-")
                || a.starts_with("--all-features")
                || a.starts_with("--mvp-features")
                || a.starts_with("--detect-features")
        })
}

fn main() -> ExitCode {
    let mut argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(anchor) = argv
        .first()
        .and_then(|a| multicall::anchor_for(std::path::Path::new(a)))
    {
        return multicall::main(anchor, argv);
    }
    ANCHOR_FLAGS.store(
        needs_anchor_flags(&argv),
        std::sync::atomic::Ordering::Relaxed,
    );
    if argv.get(1).is_some_and(|s| s == "opt") {
        // binaryen's one-dash spellings (`-all`, `-ol 3`, bare `-O`) work in `wtool opt` too.
        let rest = compat::binaryen::normalize(argv.split_off(2));
        argv.extend(rest);
    }
    let cli = cli_command();
    commands::run::program_args_after_file(&mut argv, &cli);
    parse_and_run(cli, argv)
}

/// Parses `argv` with `cli` (wtool's, or an alias's view of it) and runs the command.
pub fn parse_and_run(mut cli: clap::Command, argv: Vec<std::ffi::OsString>) -> ExitCode {
    let program = match multicall::invoked_as() {
        Some(a) => a.name.to_string(),
        None => match argv.get(1).and_then(|s| s.to_str()) {
            Some(sub) if cli.find_subcommand(sub).is_some() => format!("wtool {sub}"),
            _ => "wtool".to_string(),
        },
    };
    let parsed = cli.try_get_matches_from_mut(argv).and_then(|m| {
        // Errors found while reading the matches (a flag wtool refuses, a
        // feature it lacks) are usage errors of ours, not clap's.
        Cli::from_arg_matches(&m).map_err(|e| {
            let message = e.to_string();
            let message = message.trim().trim_start_matches("error: ").to_string();
            clap::Error::raw(clap::error::ErrorKind::Io, message)
        })
    });
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::UnknownArgument => {
            return diag::report(&unknown_option(&e, &program));
        }
        Err(e) if e.kind() == clap::error::ErrorKind::Io => {
            let message = e.to_string();
            let message = message.trim().trim_start_matches("error: ").to_string();
            return diag::report(&diag::CliError::Usage {
                message,
                hint: None,
            });
        }
        Err(e) => {
            // `--help` and `--version` arrive here too, with exit code 0.
            let code = e.exit_code();
            let _ = e.format(&mut cli).print();
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    match cli.command.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => diag::report(&e),
    }
}

/// clap's "unexpected argument" as wtool words it: the option, and either
/// the similar option clap found or where the list of options is. (clap's
/// own tip, "to pass it as a value, use `-- --flag`", is never what a user
/// who mistyped a flag wants.)
fn unknown_option(e: &clap::Error, program: &str) -> diag::CliError {
    use clap::error::{ContextKind, ContextValue};
    let text = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    // clap suggests whatever is least unlike; only a near miss (a typo) helps.
    let near = |s: &str| edit_distance(s, &arg) <= (arg.len() / 5).max(2);
    let hint = match text(ContextKind::SuggestedArg) {
        Some(s) if near(&s) => {
            format!("did you mean `{s}`? `{program} --help` lists the options")
        }
        _ => format!("`{program} --help` lists the options"),
    };
    diag::CliError::Usage {
        message: format!("unknown option `{arg}` for {program}"),
        hint: Some(hint),
    }
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("--debug-name", "--debug-names"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn clap_definition_is_consistent() {
        cli_command().debug_assert();
    }

    #[test]
    fn anchor_flags_only_when_needed() {
        let argv =
            |s: &str| -> Vec<std::ffi::OsString> { s.split_whitespace().map(Into::into).collect() };
        assert!(!needs_anchor_flags(&argv("wtool dump x.wasm")));
        assert!(!needs_anchor_flags(&argv(
            "wtool parse --features=+threads x.wat"
        )));
        assert!(needs_anchor_flags(&argv(
            "wtool parse --enable-threads x.wat"
        )));
        assert!(needs_anchor_flags(&argv(
            "wtool validate --mvp-features x.wasm"
        )));
        assert!(!needs_anchor_flags(&argv(
            "wtool opt -O2 --passes dce x.wasm"
        )));
        assert!(needs_anchor_flags(&argv("wtool opt -O2 --dce x.wasm")));
        assert!(needs_anchor_flags(&argv("wtool opt -tnh x.wasm")));
        assert!(needs_anchor_flags(&argv("wtool opt --peephole x.wasm")));
        assert!(needs_anchor_flags(&argv("wtool completions bash")));
    }
}

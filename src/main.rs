//! The `wtool` command line.
//!
//! Every subcommand is one file in `src/commands/` with an `Args` struct (clap
//! derive) and a `run` function; `commands!` in `commands/mod.rs` lists them.
//! Shared conventions live in `io.rs` (input, output, `--features`) and
//! `diag.rs` (error rendering and exit codes), so every command behaves alike:
//! exit 0 on success, 1 on an error, 2 on a usage error, `error: …` on stderr.

mod commands;
mod diag;
mod io;
mod multicall;

use clap::{CommandFactory, Parser};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  wtool parse fixtures/add.wat -o add.wasm      text to binary (validated)
  wtool print fixtures/add.wasm                 binary to text
  wtool validate -v *.wasm                      check modules
  wtool opt -Oz app.wasm -o small.wasm          optimize for size
  wtool dump fixtures/add.wasm                  describe a module as JSON
  wtool dump --instructions app.wasm -o app.json
  cat app.wasm | wtool dump - | jq '.exports'   read stdin, query with jq
  wtool completions bash > /etc/bash_completion.d/wtool

Installed (symlinked or copied) as wat2wasm, wasm2wat, wasm-validate, wasm-opt
or wasm-interp, wtool runs the matching subcommand.";

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

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let argv = match multicall::rewrite(argv, &cli_command()) {
        Ok(argv) => argv,
        Err(e) => return diag::report(&e),
    };
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` arrive here too, with exit code 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli.command.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => diag::report(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        cli_command().debug_assert();
    }
}

//! `wtool validate FILE…`: the spec's validation algorithm, silent on success.
//!
//! Also home of [`check`], the validation step `wtool parse` and `wtool opt`
//! share, so an invalid module reads the same whichever command found it.

use crate::diag::{self, CliError};
use crate::io::{FeaturesArg, Format, Input, InputArg};
use std::path::PathBuf;
use wtool_ast::{Features, Module, Names};
use wtool_validate::{BinaryValidationError, ValidationError};

const EXAMPLES: &str = "\
Examples:
  wtool validate app.wasm                       silent, exit 0 when valid
  wtool validate -v *.wasm                      one `FILE: valid` line per valid file
  wtool validate --features=-simd app.wasm      reject SIMD, naming the flag
  wtool validate module.wat                     text errors point at line:col

Errors read `error: FILE: func 3 ($fib) at 0x1a2: type mismatch: …` for binary input,
and show the source line for text input. Exit 1 if any file fails.";

/// Arguments of `wtool validate`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Modules to validate, binary (.wasm) or text (.wat); `-` reads stdin
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Print `FILE: valid` for every valid file
    #[arg(short, long)]
    verbose: bool,
    /// Threads for function bodies (default: the number of CPUs)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
    /// Accepted, no effect: names play no part in validation
    #[arg(long, hide = true)]
    no_debug_names: bool,
    /// Accepted, no effect: a bad name section is ignored anyway
    #[arg(long, hide = true)]
    ignore_custom_section_errors: bool,
    #[command(flatten)]
    features: FeaturesArg,
}

/// Hidden flags `wasm-validate --help` shows.
pub fn anchor_flags() -> Vec<String> {
    ["no_debug_names", "ignore_custom_section_errors"]
        .map(String::from)
        .to_vec()
}

/// Validates every file, reporting each failure; exit 1 if any failed.
pub fn run(args: Args) -> Result<(), CliError> {
    let features = args.features.get();
    let threads = args.threads.map_or_else(default_threads, |n| n as usize);
    let mut failed = false;
    for file in &args.files {
        let result = InputArg {
            input: file.clone(),
        }
        .read()
        .and_then(|input| validate_input(&input, features, threads).map(|()| input.name));
        match result {
            Ok(name) if args.verbose => println!("{name}: valid"),
            Ok(_) => {}
            Err(e) => {
                // One error per file, then on to the next file.
                let _ = diag::report(&e);
                failed = true;
            }
        }
    }
    if failed {
        Err(CliError::Reported)
    } else {
        Ok(())
    }
}

pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Decodes (streaming, for binary) or parses, then validates one input.
pub(crate) fn validate_input(
    input: &Input,
    features: Features,
    threads: usize,
) -> Result<(), CliError> {
    match input.format {
        Format::Binary if input.is_component() => validate_component(input, features, threads),
        Format::Text if wtool_text::component::is_component_text(&input.bytes) => {
            let c = parse_component(input, features)?;
            wtool_component::validate(&c, None, features).map_err(|e| CliError::Component {
                file: input.name.clone(),
                offset: None,
                message: e.message,
            })
        }
        Format::Binary => {
            match wtool_validate::validate_binary_parallel(&input.bytes, features, threads) {
                Ok(()) => Ok(()),
                Err(BinaryValidationError::Decode(e)) => {
                    // Bodies were streamed; the whole-module decoder finds the
                    // same error and knows which section, entry and field it is in.
                    let e = match wtool_binary::decode_with_features(&input.bytes, features) {
                        Err(located) if located == e => located,
                        _ => e,
                    };
                    Err(input.decode_error(e))
                }
                Err(BinaryValidationError::Invalid(e)) => {
                    // Only failures pay for a full decode, to name the function.
                    let module = wtool_binary::decode_with_features(&input.bytes, features)
                        .unwrap_or_default();
                    Err(invalid(input, &module, &e))
                }
            }
        }
        Format::Text => {
            let module = input.module(features)?;
            check(input, &module, features, threads)
        }
    }
}

/// Parses a `(component …)` source, errors at line:col with a snippet.
pub(crate) fn parse_component(input: &Input, features: Features) -> Result<wtool_component::Component, CliError> {
    wtool_text::component::parse_component_with(&input.bytes, features).map_err(|e| CliError::Source {
        file: input.name.clone(),
        text: crate::io::text_for_snippet(&input.bytes),
        offset: e.offset(),
        len: e.len(),
        message: e.to_string(),
    })
}

/// Decodes and validates a binary component, its core modules with
/// `features`, their bodies streamed and validated on `threads` threads.
fn validate_component(input: &Input, features: Features, threads: usize) -> Result<(), CliError> {
    wtool_component::validate_bytes(&input.bytes, features, threads).map_err(|e| CliError::Component {
        file: input.name.clone(),
        offset: e.offset,
        message: e.message,
    })
}

/// Validates a decoded or parsed `module` read from `input`, with the
/// error placed as the input's format wants it.
pub fn check(
    input: &Input,
    module: &Module,
    features: Features,
    threads: usize,
) -> Result<(), CliError> {
    wtool_validate::validate_parallel(module, features, threads)
        .map_err(|e| invalid(input, module, &e))
}

/// `func 3 ($fib)`, or nothing for a module-level error.
fn func_label(e: &ValidationError, module: &Module) -> Option<String> {
    let f = e.func?;
    let name = module
        .names
        .as_ref()
        .and_then(|n| Names::lookup(&n.funcs, f));
    Some(match name {
        Some(name) => format!("func {f} (${name})"),
        None => format!("func {f}"),
    })
}

/// A validation error as the CLI shows it: one line with the byte offset for
/// binary input, a snippet at the instruction for text input.
fn invalid(input: &Input, module: &Module, e: &ValidationError) -> CliError {
    match (input.format, e.offset) {
        (Format::Text, Some(offset)) => {
            let offset = offset as usize;
            let message = match func_label(e, module) {
                Some(f) => format!("{f}: {e}"),
                None => e.to_string(),
            };
            CliError::Source {
                file: input.name.clone(),
                text: crate::io::text_for_snippet(&input.bytes),
                offset,
                len: token_len(&input.bytes, offset),
                message,
            }
        }
        (Format::Text, None) => CliError::Plain(match func_label(e, module) {
            Some(f) => format!("{}: {f}: {e}", input.name),
            None => format!("{}: {e}", input.name),
        }),
        (Format::Binary, _) => {
            let location = e.location(module);
            CliError::Plain(if location.is_empty() {
                format!("{}: {e}", input.name)
            } else {
                format!("{}: {location}: {e}", input.name)
            })
        }
    }
}

/// Length of the token at `offset` (an instruction keyword, or a `(` that
/// opens a folded instruction), for the underline.
fn token_len(src: &[u8], offset: usize) -> usize {
    let rest = src.get(offset..).unwrap_or_default();
    let skip = usize::from(rest.first() == Some(&b'('));
    let word = rest
        .iter()
        .skip(skip)
        .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'(' | b')' | b';'))
        .count();
    skip + word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_length_stops_at_delimiters() {
        assert_eq!(token_len(b"i32.add)", 0), 7);
        assert_eq!(token_len(b"(i32.add (x", 0), 8);
        assert_eq!(token_len(b"", 3), 0);
    }
}

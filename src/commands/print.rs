//! `wtool print IN [-o OUT]`: binary to text, flat or folded.
//!
//! Installed as `wasm2wat` it marks labels as wabt does (`;; label = @1`)
//! and, like wabt, leaves custom sections out.

use crate::diag::CliError;
use crate::io::{FeaturesArg, Format, InputArg, OutputArg, OutputKind};
use wtool_ast::Features;
use wtool_binary::{BodyReader, DecodeError, ErrorKind};
use wtool_print::{PrintError, PrintOptions};

const EXAMPLES: &str = "\
Examples:
  wtool print fixtures/add.wasm                 flat instructions
  wtool print --fold app.wasm -o app.wat        folded S-expressions
  wtool print --no-names --skip-custom app.wasm indices only, no custom sections

Modules that decode but do not validate still print (to debug them). Every proposal's
encoding is accepted unless `--features` narrows it.";

/// Arguments of `wtool print`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// Print folded S-expressions instead of flat instructions
    #[arg(short = 'f', long, alias = "fold-exprs")]
    fold: bool,
    /// Ignore the name section: print indices only
    #[arg(long, alias = "no-debug-names")]
    no_names: bool,
    /// Leave custom sections out (by default they print as `(@custom …)`)
    #[arg(long)]
    skip_custom: bool,
    /// Mark unnamed labels `;; label = @N` and branches to them `(;@N;)` (on as wasm2wat)
    #[arg(long)]
    label_comments: bool,
    /// Name every unnamed function, local, label, type, … ($f3, $p0, $B1, or the export name)
    #[arg(long)]
    generate_names: bool,
    /// Write exports inside the definitions they export: (func $f (export "f") …)
    #[arg(long)]
    inline_exports: bool,
    /// Write imports inside definitions: (func $f (import "m" "f") …)
    #[arg(long)]
    inline_imports: bool,
    /// Accepted, no effect: wtool prints no progress log (wasm2wat -v)
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, hide = true)]
    verbose: u8,
    /// Accepted, no effect: wtool never validates what it prints
    #[arg(long, hide = true)]
    no_check: bool,
    /// Accepted, no effect: a bad name section is ignored anyway
    #[arg(long, hide = true)]
    ignore_custom_section_errors: bool,
    #[command(flatten)]
    features: FeaturesArg,
    #[command(flatten)]
    output: OutputArg,
}

/// Hidden flags `wasm2wat --help` shows.
pub fn anchor_flags() -> Vec<String> {
    ["verbose", "no_check", "ignore_custom_section_errors"]
        .map(String::from)
        .to_vec()
}

/// Decodes the input and writes its text.
pub fn run(args: Args) -> Result<(), CliError> {
    let input = args.input.read()?;
    // The printer is for looking at modules, broken ones included: decode
    // every proposal's encoding unless the user asked for a narrower set.
    let features = if args.features.is_set() {
        args.features.get()
    } else {
        Features::ALL
    };
    let names = !args.no_names || args.generate_names;
    let as_wasm2wat = crate::multicall::invoked_as().is_some();
    // The common case streams: sections decoded, each function body decoded
    // only when it is printed and dropped after, so memory stays near the
    // input's size. wabt's name generation and layout rewrite bodies, so
    // those need the whole module.
    if input.format == Format::Binary && !args.generate_names && !as_wasm2wat {
        let (module, ranges) = wtool_binary::decode_lazy(&input.bytes, features)
            .map_err(|e| input.decode_error(e))?;
        let has_data_count = module.data_count.is_some();
        let bodies = |i: u32, expr: &mut wtool_ast::Expr| {
            let range = ranges
                .get(i as usize)
                .ok_or_else(|| DecodeError::new(input.bytes.len(), ErrorKind::UnexpectedEnd))?;
            BodyReader::new(&input.bytes, range, features, has_data_count).read_into(expr)
        };
        let opts = options(&args, names, false);
        let mut failed = None;
        args.output.write_with(OutputKind::Text, |out| {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            match wtool_print::print_lazy_to_io(&module, &bodies, &opts, threads, out) {
                Ok(()) => Ok(()),
                Err(PrintError::Io(e)) => Err(e),
                Err(PrintError::Decode(e)) => {
                    failed = Some(e);
                    // Fails the write so that no partial file is kept.
                    Err(std::io::Error::other("a function body did not decode"))
                }
            }
        })
        .map_err(|e| match failed.take() {
            Some(d) => input.decode_error(d),
            None => e,
        })?;
        return Ok(());
    }
    let mut module = input.module(features)?;
    if args.generate_names {
        // `--no-names --generate-names`: every name generated afresh.
        if args.no_names {
            module.names = None;
        }
        crate::compat::wabt::generate(&mut module);
    }
    if as_wasm2wat {
        crate::compat::wabt::wabt_unique_names(&mut module);
    }
    let opts = options(&args, names, as_wasm2wat);
    args.output.write_with(OutputKind::Text, |out| {
        wtool_print::print_to_io(&module, &opts, out)
    })
}

/// The printer's options from the flags (`as_wasm2wat`: wabt's defaults).
fn options(args: &Args, names: bool, as_wasm2wat: bool) -> PrintOptions {
    PrintOptions {
        fold: args.fold,
        names,
        // wasm2wat prints no custom sections (and wabt's wat2wasm does not
        // read every placement wtool would write for them).
        skip_custom: args.skip_custom || as_wasm2wat,
        label_comments: args.label_comments || as_wasm2wat,
        inline_exports: args.inline_exports,
        inline_imports: args.inline_imports,
    }
}

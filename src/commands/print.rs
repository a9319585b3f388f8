//! `wtool print IN [-o OUT]`: binary to text, flat or folded.

use crate::diag::CliError;
use crate::io::{FeaturesArg, InputArg, OutputArg, OutputKind};
use wtool_ast::Features;
use wtool_print::PrintOptions;

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
    #[command(flatten)]
    features: FeaturesArg,
    #[command(flatten)]
    output: OutputArg,
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
    let module = input.module(features)?;
    let opts = PrintOptions {
        fold: args.fold,
        names: !args.no_names,
        skip_custom: args.skip_custom,
        ..PrintOptions::default()
    };
    args.output.write_with(OutputKind::Text, |out| {
        wtool_print::print_to_io(&module, &opts, out)
    })
}

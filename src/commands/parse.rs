//! `wtool parse IN [-o OUT]`: text to binary, validated by default (like wat2wasm).

use crate::commands::validate;
use crate::diag::CliError;
use crate::io::{FeaturesArg, Format, Input, InputArg, OutputArg, OutputKind};
use wtool_print::PrintOptions;

const EXAMPLES: &str = "\
Examples:
  wtool parse fixtures/add.wat -o add.wasm      text to binary (with a name section)
  wtool parse --no-names app.wat -o app.wasm    leave the name section out
  wtool parse -t app.wat                        check and pretty-print the text
  wtool parse --no-validate broken.wat -o b.wasm

The output is validated first (`--no-validate` skips that). Scripts (.wast files with
assert_return, invoke, …) are run with `wtool wast`, not parsed into one module.";

/// Arguments of `wtool parse`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// Leave out the name section (by default every `$name` is kept in it)
    #[arg(long, alias = "no-debug-names")]
    no_names: bool,
    /// Do not validate the module before writing it
    #[arg(long, alias = "no-check")]
    no_validate: bool,
    /// Write the module as pretty-printed text instead of binary
    #[arg(short = 't', long = "wat")]
    wat: bool,
    #[command(flatten)]
    features: FeaturesArg,
    #[command(flatten)]
    output: OutputArg,
}

/// Parses the input, validates it and writes the binary (or text with `-t`).
pub fn run(args: Args) -> Result<(), CliError> {
    if !args.wat {
        args.output.check_binary_destination()?;
    }
    let input = args.input.read()?;
    if input.format == Format::Text && input.name.ends_with(".wast") {
        return Err(script_refused(&input));
    }
    let features = args.features.get();
    let mut module = match input.module(features) {
        Ok(m) => m,
        // A script fails to parse as a module; say what it is instead.
        Err(_) if input.format == Format::Text && is_script(&input.bytes) => {
            return Err(script_refused(&input));
        }
        Err(e) => return Err(e),
    };
    if !args.no_validate {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        validate::check(&input, &module, features, threads)?;
    }
    if args.no_names {
        module.names = None;
    }
    if args.wat {
        let opts = PrintOptions {
            names: !args.no_names,
            ..PrintOptions::default()
        };
        args.output.write_with(OutputKind::Text, |out| {
            wtool_print::print_to_io(&module, &opts, out)
        })
    } else {
        let bytes = wtool_binary::encode(&module);
        args.output
            .write_with(OutputKind::Binary, |out| out.write_all(&bytes))
    }
}

/// True when the text is a WAST script rather than one module: it parses as
/// a script with more than one command, or with a command that is no module.
fn is_script(src: &[u8]) -> bool {
    use wtool_text::script::CommandKind;
    match wtool_text::script::parse_script(src) {
        Ok(script) => {
            script.commands.len() > 1
                || script
                    .commands
                    .iter()
                    .any(|c| !matches!(c.kind, CommandKind::Module { .. }))
        }
        Err(_) => false,
    }
}

fn script_refused(input: &Input) -> CliError {
    CliError::Usage {
        message: format!(
            "`{}` is a WAST script, not a module: `wtool parse` takes one module",
            input.name
        ),
        hint: Some(format!(
            "run the script with `wtool wast {}`",
            input.name
        )),
    }
}

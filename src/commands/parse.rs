//! `wtool parse IN [-o OUT]`: text to binary, validated by default (like wat2wasm).
//!
//! Installed as `wat2wasm` it follows wabt: the name section only with
//! `--debug-names`, and without `-o` the output goes to `NAME.wasm` (the
//! input's file name, in the current directory), never to stdout.

use crate::commands::{objdump, validate};
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
    /// Write the name section (wat2wasm writes it only with this flag; wtool always does, unless --no-names)
    #[arg(long, hide = true)]
    debug_names: bool,
    /// After writing, print the module's bytes section by section to stdout (wat2wasm -v)
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, hide = true)]
    verbose: u8,
    /// After writing, print a hex dump of the module to stdout (wat2wasm -d)
    #[arg(short = 'd', long = "dump-module", hide = true)]
    dump_module: bool,
    /// Refused: wtool writes no relocation or linking sections (wat2wasm -r)
    #[arg(short = 'r', long, hide = true)]
    relocatable: bool,
    /// Refused: wtool always writes minimal LEB128 sizes
    #[arg(long, hide = true)]
    no_canonicalize_leb128s: bool,
    #[command(flatten)]
    features: FeaturesArg,
    #[command(flatten)]
    output: OutputArg,
}

/// Hidden flags `wat2wasm --help` shows.
pub fn anchor_flags() -> Vec<String> {
    ["debug_names", "verbose", "dump_module", "relocatable", "no_canonicalize_leb128s"]
        .map(String::from)
        .to_vec()
}

/// Parses the input, validates it and writes the binary (or text with `-t`).
pub fn run(mut args: Args) -> Result<(), CliError> {
    crate::compat::refuse(&[
        (args.relocatable, "--relocatable", "wtool writes no relocation or linking sections"),
        (
            args.no_canonicalize_leb128s,
            "--no-canonicalize-leb128s",
            "wtool always writes minimal LEB128 sizes",
        ),
    ])?;
    let as_wat2wasm = crate::multicall::invoked_as().is_some();
    if as_wat2wasm {
        // wabt: names only when asked for; `x.wat` is written to `x.wasm`.
        args.no_names |= !args.debug_names;
        if args.output.output.is_none() && args.input.input.as_os_str() != "-" {
            args.output.output = Some(default_output(&args.input.input, args.wat));
        }
    }
    if !args.wat {
        args.output.check_binary_destination()?;
    }
    let input = args.input.read()?;
    if input.format == Format::Text && input.name.ends_with(".wast") {
        return Err(script_refused(&input));
    }
    let features = args.features.get();
    if input.format == Format::Text && wtool_text::component::is_component_text(&input.bytes) {
        return component(&args, &input, features);
    }
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
    if as_wat2wasm {
        crate::compat::wabt::wabt_encoding(&mut module);
    }
    if args.no_names {
        module.names = None;
    } else if as_wat2wasm {
        crate::compat::wabt::wabt_layout(&mut module);
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
            .write_with(OutputKind::Binary, |out| out.write_all(&bytes))?;
        if args.verbose > 0 || args.dump_module {
            let listing = if args.verbose > 0 {
                objdump::sections_hex(&bytes)
            } else {
                objdump::hexdump(&bytes, 0)
            };
            let mut out = std::io::stdout().lock();
            let _ = std::io::Write::write_all(&mut out, listing.as_bytes());
        }
        Ok(())
    }
}

/// A `(component …)` source: parsed, validated (unless `--no-validate`)
/// and written as a component binary as the `wat` crate encodes it, or
/// printed with `-t`.
fn component(args: &Args, input: &Input, features: wtool_ast::Features) -> Result<(), CliError> {
    let mut c = crate::commands::validate::parse_component(input, features)?;
    if !args.no_validate {
        wtool_component::validate(&c, None, features).map_err(|e| CliError::Component {
            file: input.name.clone(),
            offset: None,
            message: e.message,
        })?;
    }
    if args.no_names {
        strip_component_names(&mut c);
    }
    if args.wat {
        let opts = wtool_component::print::PrintOptions {
            names: !args.no_names,
            ..Default::default()
        };
        let text = wtool_component::print::print_with(&c, &opts);
        return args
            .output
            .write_with(OutputKind::Text, |out| out.write_all(text.as_bytes()));
    }
    let bytes = wtool_component::encode(&c);
    args.output
        .write_with(OutputKind::Binary, |out| out.write_all(&bytes))
}

/// Drops the name sections of a component, its core modules and its nested
/// components, as `--no-names` does for a module.
fn strip_component_names(c: &mut wtool_component::Component) {
    use wtool_component::ast::Section;
    c.sections
        .retain(|s| !matches!(s, Section::Custom(x) if x.name == "component-name"));
    for s in &mut c.sections {
        match s {
            Section::Component(inner) => strip_component_names(inner),
            Section::CoreModule(m) => m.names = None,
            _ => {}
        }
    }
}

/// wat2wasm's output name for `dir/x.wat`: `x.wasm` in the current directory.
fn default_output(input: &std::path::Path, text: bool) -> std::path::PathBuf {
    let stem = input
        .file_stem()
        .map_or_else(|| "out".into(), |s| s.to_os_string());
    let mut name = std::path::PathBuf::from(stem);
    name.set_extension(if text { "wat" } else { "wasm" });
    name
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

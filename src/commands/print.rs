//! `wtool print IN [-o OUT]`: binary to text, flat or folded.
//!
//! Installed as `wasm2wat` it marks labels as wabt does (`;; label = @1`)
//! and, like wabt, leaves custom sections out.

use crate::diag::CliError;
use crate::io::{FeaturesArg, Format, Input, InputArg, OutputArg, OutputKind};
use wtool_ast::Features;
use wtool_binary::{BodyReader, DecodeError};
use wtool_print::{LazyInput, PrintError, PrintOptions};

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
    if input.is_component() || (input.format == Format::Text && wtool_text::component::is_component_text(&input.bytes)) {
        return print_component(&args, &input, features, names);
    }
    if input.format == Format::Binary {
        return print_streamed(&args, &input, features, names, as_wasm2wat);
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

/// Prints a binary component, as wasmprinter does. `--fold` and
/// `--no-names` apply to its core modules too; the options that rename or
/// rearrange core module items have no meaning for a component.
fn print_component(
    args: &Args,
    input: &Input,
    features: Features,
    names: bool,
) -> Result<(), CliError> {
    if args.generate_names || args.inline_exports || args.inline_imports {
        return Err(CliError::Usage {
            message: "--generate-names, --inline-exports and --inline-imports apply to core \
                      modules, not components"
                .into(),
            hint: None,
        });
    }
    let opts = PrintOptions {
        fold: args.fold,
        names,
        skip_custom: args.skip_custom,
        ..PrintOptions::default()
    };
    let component_error = |e: wtool_component::DecodeError| CliError::Component {
        file: input.name.clone(),
        offset: Some(e.offset()),
        message: e.to_string(),
    };
    if input.format == Format::Text {
        let component = crate::commands::validate::parse_component(input, features)?;
        return args.output.write_with(OutputKind::Text, |out| {
            wtool_component::print::print_to_io(&component, &opts, out)
        });
    }
    // Core modules' bodies, data and custom sections are printed straight
    // from the input as the text streams, so memory stays near the input's
    // size however big the modules are.
    let (component, cores) =
        wtool_component::decode_for_print(&input.bytes, features).map_err(component_error)?;
    let mut failed = None;
    args.output
        .write_with(OutputKind::Text, |out| {
            match wtool_component::print::print_lazy_to_io(
                &component,
                &input.bytes,
                &cores,
                features,
                &opts,
                out,
            ) {
                Ok(()) => Ok(()),
                Err(wtool_component::print::PrintError::Io(e)) => Err(e),
                Err(wtool_component::print::PrintError::Decode(e)) => {
                    failed = Some(e);
                    Err(std::io::Error::other("a function body did not decode"))
                }
            }
        })
        .map_err(|e| match failed.take() {
            Some(d) => component_error(d),
            None => e,
        })
}

/// Prints a binary module as it streams: sections decoded, each function
/// body decoded only when it is printed and dropped after, data segments
/// and custom sections printed straight from the input, so memory stays
/// near the input's size. Generated names are made per function as it is
/// printed; the output is that of printing the decoded module.
fn print_streamed(
    args: &Args,
    input: &Input,
    features: Features,
    names: bool,
    as_wasm2wat: bool,
) -> Result<(), CliError> {
    // These paths used to decode the whole module first: they still fail
    // before any output, with the whole-module decoder's error.
    let eager_errors = args.generate_names || as_wasm2wat;
    // The exports are printed straight from the input too, unless they
    // are needed before (written inline, or naming what they export).
    // The data section is printed from the input one segment at a time,
    // unless names are made for the segments (wabt's naming counts them).
    let leave = wtool_binary::Leave {
        exports: !args.inline_exports && !args.generate_names,
        datas: !args.generate_names && !as_wasm2wat,
    };
    let decoded = wtool_binary::decode_lazy_parts_with(&input.bytes, features, leave);
    let (mut module, parts) = match decoded {
        Ok(decoded) => decoded,
        Err(e) if eager_errors => return Err(eager_error(input, features, e)),
        Err(e) => return Err(input.decode_error(e)),
    };
    if eager_errors {
        let has_data_count = module.data_count.is_some();
        for range in &parts.bodies {
            let mut reader = BodyReader::new(&input.bytes, range, features, has_data_count);
            if let Some(Err(e)) = reader.find(Result::is_err) {
                return Err(eager_error(input, features, e));
            }
        }
    }
    let opts = options(args, names, as_wasm2wat);
    if args.generate_names {
        // `--no-names --generate-names`: every name generated afresh.
        if args.no_names {
            module.names = None;
        }
        crate::compat::wabt::generate_items(&mut module);
        if as_wasm2wat {
            crate::compat::wabt::wabt_unique_item_names(&mut module);
        }
        if generated_names_are_printed_as_bytes(&module, &opts) {
            // The name section is printed as the bytes of all the names,
            // generated local and label names included: made here one
            // function at a time, labels from one more pass over the bodies.
            let has_data_count = module.data_count.is_some();
            let kinds = |i: usize| {
                let Some(range) = parts.bodies.get(i) else {
                    return Vec::new();
                };
                BodyReader::new(&input.bytes, range, features, has_data_count)
                    .filter_map(|r| r.ok().and_then(|(_, ins)| crate::compat::wabt::label_kind(&ins)))
                    .collect()
            };
            let bytes = crate::compat::wabt::generated_name_section(&mut module, kinds, as_wasm2wat);
            // The first name section is the one holding the decoded names
            // (the others are printed from the input as they are).
            let first = (0..module.customs.len()).find(|&i| {
                module.customs[i].name == "name" && parts.customs.get(i).is_some_and(Option::is_none)
            });
            if let Some(c) = first.and_then(|i| module.customs.get_mut(i)) {
                if c.data.is_empty() {
                    c.data = bytes;
                }
            }
        }
    } else if as_wasm2wat {
        crate::compat::wabt::wabt_unique_names(&mut module);
    }
    let namer = args
        .generate_names
        .then(|| crate::compat::wabt::Namer::new(&module, as_wasm2wat));
    let lazy = LazyInput {
        bytes: &input.bytes,
        parts: &parts,
        features,
    };
    let mut failed = None;
    args.output
        .write_with(OutputKind::Text, |out| {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let namer = namer.as_ref().map(|n| n as &dyn wtool_print::FuncNamer);
            match wtool_print::print_parts_to_io(&module, &lazy, &opts, threads, namer, out) {
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
        })
}

/// The error decoding the whole module gives (`lazy` if it succeeds).
fn eager_error(input: &Input, features: Features, lazy: DecodeError) -> CliError {
    let e = wtool_binary::decode_with_features(&input.bytes, features).err();
    input.decode_error(e.unwrap_or(lazy))
}

/// Whether the printer writes the name section as bytes re-encoded from
/// the module's names (it does when names are on and the section, kept in
/// its canonical form, is followed by another custom section).
fn generated_names_are_printed_as_bytes(module: &wtool_ast::Module, opts: &PrintOptions) -> bool {
    if opts.skip_custom || !opts.names {
        return false;
    }
    let last_name = module.customs.iter().rposition(|c| c.name == "name");
    last_name.is_some_and(|p| p + 1 != module.customs.len())
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

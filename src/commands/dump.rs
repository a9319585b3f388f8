//! `wtool dump FILE`: the module or component as JSON (schema in docs/dump.md).

use crate::diag::CliError;
use crate::io::{FeaturesArg, Format, InputArg, OutputArg, OutputKind};
use wtool_dump::{DumpOptions, LazyBodies};

const EXAMPLES: &str = "\
Examples:
  wtool dump fixtures/add.wasm
  wtool dump --instructions fixtures/add.wasm -o add.json
  wtool dump app.wasm | jq -r '.functions[] | select(.body_size > 1000) | .name'
  wtool dump app.wasm | jq '.sections[] | {name, size}'
  wtool dump --compact --instructions big.wasm -o big.json

The JSON schema (field names are stable; see schema_version) is in docs/dump.md.";

/// Arguments of `wtool dump`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// List every instruction of every function, with its byte offset
    #[arg(long)]
    instructions: bool,
    /// Include the contents of data segments (hex) and element segments
    #[arg(long)]
    data: bool,
    /// Write compact JSON on one line instead of indented JSON
    #[arg(long)]
    compact: bool,
    #[command(flatten)]
    features: FeaturesArg,
    #[command(flatten)]
    output: OutputArg,
}

/// Decodes the input and writes its JSON description.
pub fn run(args: Args) -> Result<(), CliError> {
    let input = args.input.read()?;
    let features = args.features.get();
    let opts = DumpOptions {
        instructions: args.instructions,
        data: args.data,
    };
    if input.is_component() {
        let (c, offsets) = wtool_component::decode_with_offsets(&input.bytes, features).map_err(|e| {
            CliError::Component {
                file: input.name.clone(),
                offset: Some(e.offset()),
                message: e.to_string(),
            }
        })?;
        let dump = wtool_dump::dump_component(&c, &offsets, &input.bytes, opts);
        return args.output.write_with(OutputKind::Text, |out| {
            wtool_dump::write_component_json(out, &dump, args.compact)
        });
    }
    // Binary input streams: sections decoded, function bodies read from the
    // input as they are counted and written, data segments read from the
    // input one at a time as they are written (a Go module has ~100k).
    let owned;
    let parts;
    let (module, ranges, lazy) = if input.format == Format::Binary {
        let leave = wtool_binary::Leave { exports: true, datas: true };
        let (m, p) = wtool_binary::decode_lazy_parts_with(&input.bytes, features, leave)
            .map_err(|e| input.decode_error(e))?;
        owned = m;
        parts = p;
        (&owned, &parts.bodies[..], Some(&parts))
    } else {
        owned = input.module(features)?;
        (&owned, &[][..], None)
    };
    let bodies = LazyBodies {
        bytes: &input.bytes,
        ranges,
        features,
        has_data_count: module.data_count.is_some(),
        parts: lazy,
    };
    let dump = if input.format == Format::Binary {
        wtool_dump::dump_lazy(module, &bodies, opts).map_err(|e| input.decode_error(e))?
    } else {
        wtool_dump::dump(module, &input.bytes, opts)
    };
    args.output.write_with(OutputKind::Text, |out| {
        if args.compact {
            wtool_dump::write_json_compact(out, &dump)
        } else {
            wtool_dump::write_json(out, &dump)
        }
    })
}

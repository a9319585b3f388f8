//! `wtool strip FILE [-o OUT]`: remove custom sections (like wabt's
//! `wasm-strip`): all of them, all but `--keep NAME`, or only `--delete
//! NAME`. Without `-o` the file is rewritten in place, atomically. Only the
//! section headers are read, so every other byte is kept exactly, and a
//! module whose contents are malformed can still be stripped.

use crate::diag::CliError;
use crate::io::{atomic_write, InputArg, OutputArg, OutputKind};

const EXAMPLES: &str = "\
Examples:
  wtool strip app.wasm                          remove every custom section, in place
  wtool strip app.wasm -o small.wasm            write the result elsewhere
  wtool strip --keep name app.wasm              keep the name section, drop the rest
  wtool strip --delete producers app.wasm       drop only the producers section

Installed as wasm-strip it takes wabt's spellings: -k/--keep-section, -R/--remove-section.";

/// Arguments of `wtool strip`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// Keep the custom section NAME; every other one is removed (may be repeated)
    #[arg(short = 'k', long = "keep", alias = "keep-section", value_name = "NAME")]
    keep: Vec<String>,
    /// Remove only the custom section NAME (may be repeated)
    #[arg(
        short = 'R',
        long = "delete",
        alias = "remove-section",
        value_name = "NAME",
        conflicts_with = "keep"
    )]
    delete: Vec<String>,
    #[command(flatten)]
    output: OutputArg,
}

/// Hidden flags `wasm-strip --help` shows (none: its spellings are aliases).
pub fn anchor_flags() -> Vec<String> {
    Vec::new()
}

/// Strips the module and writes it back (or to `-o`).
pub fn run(args: Args) -> Result<(), CliError> {
    let input = args.input.read()?;
    input.require_binary()?;
    let sections = wtool_binary::read_sections(&input.bytes).map_err(|e| input.decode_error(e))?;
    let removed = |name: &Option<String>| match name {
        None => false,
        Some(n) if !args.delete.is_empty() => args.delete.contains(n),
        Some(n) => !args.keep.contains(n),
    };
    let mut out = input.bytes[..8].to_vec();
    for (info, name) in &sections {
        if removed(name) {
            continue;
        }
        let end = (info.payload_offset + info.size) as usize;
        out.extend_from_slice(&input.bytes[info.offset as usize..end]);
    }
    let write = |w: &mut dyn std::io::Write| w.write_all(&out);
    match &args.output.output {
        Some(_) => args.output.write_with(OutputKind::Binary, write),
        None if input.name == "<stdin>" => args.output.write_with(OutputKind::Binary, write),
        None => atomic_write(&args.input.input, write),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn strips_by_section_headers() {
        // Custom sections "a" and "b" around a type section.
        let bytes: &[u8] = b"\0asm\x01\0\0\0\x00\x03\x01a\x01\x01\x04\x01\x60\0\0\x00\x04\x01b\x02\x03";
        let secs = wtool_binary::read_sections(bytes).unwrap();
        let names: Vec<Option<&str>> = secs.iter().map(|(_, n)| n.as_deref()).collect();
        assert_eq!(names, [Some("a"), None, Some("b")]);
        assert_eq!(secs[1].0.id, 1);
        let err = wtool_binary::read_sections(&bytes[..bytes.len() - 1]).unwrap_err();
        assert!(err.input_ends_early());
    }
}

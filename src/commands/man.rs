//! `wtool man DIR`: man pages, generated with clap_mangen from the same
//! definitions as `--help`: `wtool.1`, one `wtool-COMMAND.1` per command,
//! and one page per alias name (`wat2wasm.1`, …) showing that tool's flags.

use crate::diag::CliError;
use crate::multicall::{alias_command, ANCHORS};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  wtool man ~/.local/share/man/man1             then: man wtool-opt, man wasm-opt";

/// Arguments of `wtool man`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Directory to write the pages into (created if missing)
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

/// Writes every page.
pub fn run(args: Args) -> Result<(), CliError> {
    let shown = args.dir.display().to_string();
    std::fs::create_dir_all(&args.dir).map_err(|e| CliError::io("create", &shown, e))?;
    let root = crate::cli_command();
    let mut pages: Vec<(String, clap::Command)> = vec![("wtool".into(), root.clone())];
    for sub in root.get_subcommands() {
        let name = format!("wtool-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for a in ANCHORS {
        if let Some(sub) = root.find_subcommand(a.sub) {
            pages.push((a.name.into(), alias_command(a, sub.clone()).name(a.name)));
        }
    }
    for (name, cmd) in pages {
        let path = args.dir.join(format!("{name}.1"));
        let mut roff = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut roff)
            .map_err(|e| CliError::io("render", &name, e))?;
        crate::io::atomic_write(&path, |w| w.write_all(&roff))?;
        println!("{}", path.display());
    }
    Ok(())
}

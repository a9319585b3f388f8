//! `wtool install-aliases DIR`: the links that make wtool answer to the
//! names of the tools it stands in for (`wat2wasm`, `wasm-opt`, …), each a
//! symbolic link to this executable (a copy with `--copy`, or where links
//! cannot be made).

use crate::diag::CliError;
use crate::multicall::ANCHORS;
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  wtool install-aliases ~/.local/bin            wat2wasm, wasm2wat, wasm-opt, … as links to wtool
  wtool install-aliases --force /usr/local/bin  replace what is there already
  wtool install-aliases --copy dist/bin         copies instead of links

Names already taken by another program are left alone unless --force.";

/// Arguments of `wtool install-aliases`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Where to create the links (must exist)
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Replace files of those names that are already there
    #[arg(long)]
    force: bool,
    /// Copy the executable instead of linking to it
    #[arg(long)]
    copy: bool,
}

/// Creates one link (or copy) per alias name.
pub fn run(args: Args) -> Result<(), CliError> {
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| CliError::io("find", "the wtool executable", e))?;
    if !args.dir.is_dir() {
        return Err(CliError::Usage {
            message: format!("`{}` is not a directory", args.dir.display()),
            hint: Some("create it first, e.g. `mkdir -p ~/.local/bin`".into()),
        });
    }
    let mut skipped = Vec::new();
    for a in ANCHORS {
        let mut link = args.dir.join(a.name);
        if cfg!(windows) {
            link.set_extension("exe");
        }
        let shown = link.display().to_string();
        if link.symlink_metadata().is_ok() {
            if already_us(&link, &exe) {
                println!("{shown}: already wtool");
                continue;
            }
            if !args.force {
                skipped.push(shown);
                continue;
            }
            std::fs::remove_file(&link).map_err(|e| CliError::io("replace", &shown, e))?;
        }
        make(&exe, &link, args.copy).map_err(|e| CliError::io("create", &shown, e))?;
        println!("{shown} -> {}", exe.display());
    }
    if skipped.is_empty() {
        Ok(())
    } else {
        Err(CliError::Plain(format!(
            "left alone (not wtool; --force replaces them): {}",
            skipped.join(", ")
        )))
    }
}

/// Whether `link` already runs this executable.
fn already_us(link: &Path, exe: &Path) -> bool {
    link.canonicalize().is_ok_and(|p| p == exe)
}

#[cfg(unix)]
fn make(exe: &Path, link: &Path, copy: bool) -> std::io::Result<()> {
    if copy {
        std::fs::copy(exe, link).map(|_| ())
    } else {
        std::os::unix::fs::symlink(exe, link)
    }
}

#[cfg(not(unix))]
fn make(exe: &Path, link: &Path, _copy: bool) -> std::io::Result<()> {
    std::fs::copy(exe, link).map(|_| ())
}

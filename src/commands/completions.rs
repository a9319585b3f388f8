//! `wtool completions SHELL`: a completion script on stdout, for `wtool`
//! and every alias name (`wat2wasm`, `wasm-opt`, … with their tools' flags),
//! or with `--name NAME` for one of them alone (one file per command, as
//! zsh's autoloading wants).

use crate::diag::CliError;
use crate::io::{OutputArg, OutputKind};
use crate::multicall::{alias_command, ANCHORS};
use clap_complete::Shell;

const EXAMPLES: &str = "\
Examples:
  wtool completions bash > ~/.local/share/bash-completion/completions/wtool
  wtool completions fish > ~/.config/fish/completions/wtool.fish
  for n in wtool wat2wasm wasm2wat wasm-validate wasm-opt wasm-interp wasm-objdump wasm-strip; do
    wtool completions zsh --name $n > \"${fpath[1]}/_$n\"; done

Without --name the script covers wtool and every alias name (bash, fish, elvish and
powershell load them all from one file; so does zsh when the file is sourced).";

/// Arguments of `wtool completions`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The shell to generate completions for
    #[arg(value_enum)]
    shell: Shell,
    /// Only the script for this command: `wtool` or an alias name
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    #[command(flatten)]
    output: OutputArg,
}

/// Writes the completion script(s).
pub fn run(args: Args) -> Result<(), CliError> {
    let root = crate::cli_command();
    let mut scripts: Vec<(String, clap::Command)> = vec![("wtool".into(), root.clone())];
    for a in ANCHORS {
        if let Some(sub) = root.find_subcommand(a.sub) {
            scripts.push((a.name.into(), alias_command(a, sub.clone()).name(a.name)));
        }
    }
    if let Some(name) = &args.name {
        scripts.retain(|(n, _)| n == name);
        if scripts.is_empty() {
            let names: Vec<&str> = ANCHORS.iter().map(|a| a.name).collect();
            return Err(CliError::Usage {
                message: format!("no command `{name}`"),
                hint: Some(format!("--name takes wtool or one of {}", names.join(", "))),
            });
        }
    }
    args.output.write_with(OutputKind::Text, |out| {
        for (name, mut cmd) in scripts {
            clap_complete::generate(args.shell, &mut cmd, name, out);
        }
        Ok(())
    })
}

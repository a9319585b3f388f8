//! `wtool completions SHELL`: a completion script on stdout.

use crate::diag::CliError;
use crate::io::{OutputArg, OutputKind};
use clap_complete::Shell;

const EXAMPLES: &str = "\
Examples:
  wtool completions bash > ~/.local/share/bash-completion/completions/wtool
  wtool completions zsh > \"${fpath[1]}/_wtool\"
  wtool completions fish > ~/.config/fish/completions/wtool.fish";

/// Arguments of `wtool completions`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The shell to generate completions for
    #[arg(value_enum)]
    shell: Shell,
    #[command(flatten)]
    output: OutputArg,
}

/// Writes the completion script.
pub fn run(args: Args) -> Result<(), CliError> {
    let mut cmd = crate::cli_command();
    args.output.write_with(OutputKind::Text, |out| {
        clap_complete::generate(args.shell, &mut cmd, "wtool", out);
        Ok(())
    })
}

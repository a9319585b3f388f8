//! The subcommands. Adding one: write `src/commands/NAME.rs` with
//! `pub struct Args` (`#[derive(clap::Args)]`) and
//! `pub fn run(args: Args) -> Result<(), CliError>`, then add one line below.
//! The doc comment on that line is the command's summary in `wtool --help`.

use crate::diag::CliError;

macro_rules! commands {
    ($( $(#[$doc:meta])* $variant:ident => $module:ident, )*) => {
        $( pub mod $module; )*

        /// Every subcommand.
        #[derive(clap::Subcommand, Debug)]
        pub enum Command {
            $( $(#[$doc])* $variant($module::Args), )*
        }

        impl Command {
            /// Runs the chosen subcommand.
            pub fn run(self) -> Result<(), CliError> {
                match self {
                    $( Command::$variant(args) => $module::run(args), )*
                }
            }
        }
    };
}

commands! {
    /// Text (.wat) to binary, validated first, like wat2wasm
    Parse => parse,
    /// Binary to text (flat or folded), like wasm2wat
    Print => print,
    /// Check modules with the spec's validation algorithm
    Validate => validate,
    /// Optimize a module with a pass pipeline (-O0 … -Oz), like wasm-opt
    Opt => opt,
    /// Describe a module as JSON: sections, types, imports, functions, segments, names
    Dump => dump,
    /// Run a module: an export with typed arguments, or a (WASI) program
    Run => run,
    /// Run WebAssembly spec scripts (.wast) and report per directive
    Wast => wast,
    /// WIT and components: print a component's WIT, embed a world in a core module
    Component => component,
    /// List sections, entries, disassembly or raw bytes, like wasm-objdump
    Objdump => objdump,
    /// Remove custom sections (all, all but some, or some), like wasm-strip
    Strip => strip,
    /// Demangle Rust and C++ names in the name section (list, or write back)
    Demangle => demangle,
    /// Show where a module's bytes go: sections, largest functions and data
    Size => size,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions => completions,
    /// Write man pages for wtool, its commands and its alias names into a directory
    Man => man,
    /// Create links named wat2wasm, wasm-opt, … to this executable in a directory
    InstallAliases => install_aliases,
}

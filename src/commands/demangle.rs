//! `wtool demangle FILE [-o OUT]`: Rust and C++ symbol names in the name
//! section, readable. Without `-o` the function names are listed (index,
//! then the demangled name); with `-o` the module is written back with the
//! demangled names in its name section, everything else unchanged (like
//! `wasm-tools demangle`).

use crate::diag::CliError;
use crate::io::{InputArg, OutputArg, OutputKind};

const EXAMPLES: &str = "\
Examples:
  wtool demangle app.wasm                       list function names, demangled
  wtool demangle --all app.wasm                 …including names that are not mangled
  wtool demangle app.wasm -o readable.wasm      write the module with demangled names

Rust names (legacy `_ZN…17h…E` and v0 `_R…`) and C++ names
(`_Z…`, Itanium ABI) are demangled in full, as `wasm-tools demangle` does.";

/// Arguments of `wtool demangle`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// List every function name, not only the mangled ones
    #[arg(long)]
    all: bool,
    /// Write the module with demangled names to FILE instead of listing them
    #[command(flatten)]
    output: OutputArg,
}

/// `name` demangled, if it is a Rust or C++ symbol. `short` leaves out
/// what only tells symbols apart (the hash of legacy Rust symbols, v0's
/// crate disambiguators), for tables; without it the names are those
/// `wasm-tools demangle` writes.
pub fn demangle(name: &str, short: bool) -> Option<String> {
    if let Ok(d) = rustc_demangle::try_demangle(name) {
        return Some(if short { format!("{d:#}") } else { d.to_string() });
    }
    if name.starts_with("_Z") {
        let sym = cpp_demangle::Symbol::new(name).ok()?;
        return sym.demangle().ok();
    }
    None
}

/// Lists or rewrites the names.
pub fn run(args: Args) -> Result<(), CliError> {
    let input = args.input.read()?;
    input.require_binary()?;
    let mut module = input.module(wtool_ast::Features::ALL)?;
    let Some(names) = module.names.as_mut() else {
        return Err(CliError::Plain(format!(
            "{}: the module has no name section: there are no names to demangle",
            input.name
        )));
    };
    if args.output.output.is_none() {
        let mut text = String::new();
        for (i, n) in &names.funcs {
            match demangle(n, false) {
                Some(d) => text.push_str(&format!("{i}\t{d}\n")),
                None if args.all => text.push_str(&format!("{i}\t{n}\n")),
                None => {}
            }
        }
        return args
            .output
            .write_with(OutputKind::Text, |out| out.write_all(text.as_bytes()));
    }
    for (_, n) in names.funcs.iter_mut() {
        if let Some(d) = demangle(n, false) {
            *n = d;
        }
    }
    // The decoder may have kept the section's raw bytes; they are stale now.
    for c in module.customs.iter_mut().filter(|c| c.name == "name") {
        c.data.clear();
    }
    let bytes = wtool_binary::encode(&module);
    args.output
        .write_with(OutputKind::Binary, |out| out.write_all(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_and_cpp() {
        let legacy = "_ZN4core3fmt9Formatter3pad17h0123456789abcdefE";
        assert_eq!(
            demangle(legacy, true).as_deref(),
            Some("core::fmt::Formatter::pad")
        );
        assert_eq!(
            demangle(legacy, false).as_deref(),
            Some("core::fmt::Formatter::pad::h0123456789abcdef")
        );
        assert_eq!(
            demangle("_RNvCs1234_7mycrate3foo", true).as_deref(),
            Some("mycrate::foo")
        );
        assert_eq!(
            demangle("_Z3fooiPKc", false).as_deref(),
            Some("foo(int, char const*)")
        );
        assert_eq!(demangle("main", false), None);
        assert_eq!(demangle("_Znotmangled!", true), None);
    }
}

//! The WebAssembly text format: a hand-written lexer and parser from WAT to
//! the [`wtool_ast::Module`] AST, and WAST scripts on top of it.
//!
//! Folded instructions are parsed with an explicit stack, so nesting depth is
//! bounded only by memory. Names are resolved in a separate pass
//! ([`resolve`](crate::resolve)) that also builds the name section the way
//! the `wat` crate does, so `wtool_binary::encode(&parse_module(src)?)`
//! equals the `wat` crate's output byte for byte.
//!
//! [`component`] parses the component text format (`(component …)`) to the
//! `wtool_component` AST, likewise byte-identical to `wat` once encoded.

pub mod component;
pub mod error;
pub mod lexer;
pub(crate) mod parser;
pub(crate) mod resolve;
pub mod script;

pub use error::{line_col, TextError, TextErrorKind};
use wtool_ast::Module;

/// Parses a `.wat` source (`(module …)` or bare module fields) into a module.
///
/// `(module binary …)` is decoded with `wtool_binary::decode`; `(module quote
/// …)` is parsed as text. Offsets in the result are source byte offsets.
///
/// `Module::names` holds a name for every item named by a `$id` or a
/// `(@name "…")` annotation (module, functions, parameters and locals,
/// labels, types, tables, memories, globals, element and data segments),
/// as the `wat` crate emits them; set it to `None` for a binary without a
/// name section. Errors carry a byte span ([`TextError::line_col`] turns it
/// into a position) and a message; [`TextError::spec_message`] gives the
/// spec testsuite's phrase for `assert_malformed`.
pub fn parse_module(src: &[u8]) -> Result<Module, TextError> {
    parse_module_with(src, wtool_ast::Features::default())
}

/// [`parse_module`] for WebAssembly with `features`: they decide how
/// `(module binary …)` is decoded and whether memarg offsets may exceed
/// 32 bits (memory64). Everything else of the text format parses whatever
/// the features; validation checks them.
pub fn parse_module_with(src: &[u8], features: wtool_ast::Features) -> Result<Module, TextError> {
    parser::module::parse_source(src, features)
}

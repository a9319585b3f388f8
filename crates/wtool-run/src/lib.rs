//! What `wtool run` needs between the interpreter and the outside world:
//! [`wasi`] binds every WASI preview1 import of `wtool-wasi` as an interpreter
//! host function (neither crate depends on the other), and [`values`] parses
//! command-line arguments by type and prints results in a stable format.

pub mod values;
pub mod wasi;

pub use values::{format_value, parse_value, ValueError};
pub use wasi::{define_wasi, imports_wasi};

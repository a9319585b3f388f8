//! `wtool dump`: a JSON description of a WebAssembly module.
//!
//! The output is meant to be scripted against (`jq`, Python), so the schema is
//! a contract: field names are stable snake_case, every list is in index
//! order, nothing depends on hash order, and a top-level `schema_version`
//! changes whenever a field is renamed or removed (adding a field does not).
//! The schema is documented in `docs/dump.md`.
//!
//! [`dump`] borrows the module: instruction lists are serialized straight from
//! the AST, so dumping a large module with `--instructions` streams instead of
//! building a second copy of every instruction.

mod build;
mod component;
pub mod component_text;
mod generated;
mod imm;
mod instr;
mod schema;
#[cfg(test)]
mod tests;
mod text;

pub use build::{dump, dump_lazy, Functions};
pub use component::{dump_component, ComponentDump, CustomItem, Item, Nested};
pub use instr::{Instrs, LazyBodies};
pub use schema::*;
pub use text::expr_text;

use std::io;

/// Version of the JSON schema; bumped when a field is renamed or removed.
pub const SCHEMA_VERSION: u32 = 1;

/// What to include beyond the default summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DumpOptions {
    /// List every instruction of every function (with its offset).
    pub instructions: bool,
    /// Include the contents of data and element segments.
    pub data: bool,
}

/// Writes `dump` as pretty-printed JSON (two-space indent) and a final newline.
pub fn write_json<W: io::Write>(mut out: W, dump: &Dump<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, dump).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Writes `dump` as compact JSON on one line, and a final newline.
pub fn write_json_compact<W: io::Write>(mut out: W, dump: &Dump<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut out, dump).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// [`write_json`] into a string.
pub fn to_json(dump: &Dump<'_>) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail and serde_json only emits UTF-8.
    let _ = write_json(&mut out, dump);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes a component dump as indented JSON (as [`write_json`]).
pub fn write_component_json<W: io::Write>(
    mut out: W,
    dump: &ComponentDump<'_>,
    compact: bool,
) -> io::Result<()> {
    if compact {
        serde_json::to_writer(&mut out, dump).map_err(io::Error::other)?;
    } else {
        serde_json::to_writer_pretty(&mut out, dump).map_err(io::Error::other)?;
    }
    out.write_all(b"\n")
}

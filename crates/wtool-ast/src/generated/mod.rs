//! Code generated from `instructions.txt` by `cargo xtask gen` (committed;
//! `cargo xtask gen --check` keeps it in step with the table).

pub mod instr;
pub mod ops;

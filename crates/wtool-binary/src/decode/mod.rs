//! Bytes → [`wtool_ast::Module`].

pub(crate) mod code;
pub(crate) mod data;
mod generated;
mod imm;
pub(crate) mod module;
mod names;
pub(crate) mod types;

//! [`wtool_ast::Module`] → bytes, mirroring the decoder: every construct is
//! written in its shortest (canonical) form.

pub(crate) mod code;
mod generated;
mod imm;
pub(crate) mod module;
pub(crate) mod names;
pub(crate) mod types;

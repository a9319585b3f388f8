//! Components: the Component Model's binary format (layer 1) as an AST,
//! decoded and encoded.
//!
//! [`decode`] reads every section of a component, nested components and
//! core modules included, and rejects malformed input with the byte offset
//! and the reference tests' message; it does not validate. [`encode`]
//! writes the canonical form, and reproduces a decoded component byte for
//! byte unless the input used non-minimal integer encodings. Core modules
//! and core types inside a component go through `wtool-binary` unchanged.
//!
//! The gated proposals (async, error-context, threading, values, ...)
//! are accepted only when their `cm-*` flag is in the [`wtool_ast::Features`]
//! passed in, with wasmparser's defaults and messages; [`gated_feature`]
//! says which flag a refusal names.
//!
//! Where the Component Model's reference tests and wasm-tools disagree
//! about an encoding, this crate follows the reference tests: `0x2e`/`0x2f`
//! (`stream.forward`/`future.forward`) are not canonical definitions, the
//! `cancellable` flag byte of `waitable-set.wait`/`poll` and the
//! `thread.*` built-ins may be 1, and the shared-everything-threads
//! built-ins (0x40–0x42) carry their `shared?` byte.

pub mod ast;
mod decode;
mod encode;
pub mod error;
pub mod print;
pub mod validate;

pub use ast::Component;
pub use decode::{
    decode, decode_for_print, decode_with_offsets, decode_without_bodies, layer_of, Layer,
    LazyCore, Offsets, SectionOffsets, COMPONENT_VERSION, MAX_NESTING,
};
pub use encode::{encode, encode_with_raw_modules};
pub use error::{DecodeError, ErrorKind};
pub use validate::{gated_feature, validate, validate_bytes, ValidationError};

//! WIT, the WebAssembly Interface Types language: parsing WIT text into a
//! resolved model, printing the model back as normalized WIT, and moving WIT
//! packages and worlds in and out of component binaries.

pub mod decode;
pub mod deps;
pub mod encode;
mod json;
pub mod merge;
pub mod metadata;
pub mod model;
pub mod new;
pub mod parse;
pub mod print;

pub use decode::{decode, DecodeError, DecodedWasm};
pub use encode::{embed, encode, encode_with, EncodeError, StringEncoding};
pub use model::Resolve;
pub use parse::{parse_path, parse_source, ParseOptions, WitError};

//! WIT, the WebAssembly Interface Types language: parsing WIT text into a
//! resolved model, printing the model back as normalized WIT, and moving WIT
//! packages and worlds in and out of component binaries.

pub mod model;
pub mod print;

pub use model::Resolve;

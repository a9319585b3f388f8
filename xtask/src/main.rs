//! Developer tasks: `cargo xtask bench`, `cargo xtask spec`, fixture regeneration.

fn main() {}

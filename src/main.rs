//! The `wtool` command line.

fn main() {}

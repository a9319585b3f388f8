//! Text-format spellings the dump reuses from the printer, and hex.

use std::fmt::Write as _;

pub use wtool_print::expr_text;

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

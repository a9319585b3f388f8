//! What the component tests share.

/// Where wasm-tools 1.263 refuses what the reference tests accept: the
/// `cancellable` flag byte, and names that differ only by `-` (wasmparser
/// drops hyphens when comparing names; the explainer and the reference
/// tests, `kebab.wast`, only ignore case).
pub fn wasm_tools_stricter(message: &str) -> bool {
    message.contains("historically accepted as `cancellable`")
        || (message.contains("conflicts with previous") && hyphen_only(message))
}

/// Whether the two backquoted names of a conflict message differ only by
/// `-` (and case).
fn hyphen_only(message: &str) -> bool {
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    match names.as_slice() {
        [a, b, ..] => {
            let norm = |s: &str| s.replace('-', "").to_lowercase();
            norm(a) == norm(b) && !a.eq_ignore_ascii_case(b)
        }
        _ => false,
    }
}

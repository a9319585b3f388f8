//! `cargo run --release -p wtool-component --example roundtrip -- FILE…`:
//! decodes, validates and re-encodes each component, and says whether the
//! bytes came back identical (for checking real components by hand).

fn main() {
    let features = wtool_ast::Features::WASM3_THREADS;
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        let report = match wtool_component::decode_with_offsets(&bytes, features) {
            Err(e) => format!("decode error at {:#x}: {e}", e.offset()),
            Ok((c, offsets)) => {
                let valid = match wtool_component::validate(&c, Some(&offsets), features) {
                    Ok(()) => "valid".to_string(),
                    Err(e) => format!("invalid: {e}"),
                };
                let again = wtool_component::encode(&c);
                let same = if again == bytes {
                    "identical bytes".to_string()
                } else {
                    // Core modules are written in canonical form (wasm-ld
                    // pads LEB128s); say how much of the difference that is.
                    let core = core_module_shrink(&c, &offsets);
                    format!(
                        "bytes differ: {} -> {} bytes, {} of it from core modules re-encoded canonically",
                        bytes.len(),
                        again.len(),
                        core
                    )
                };
                format!("{valid}, re-encoded: {same}")
            }
        };
        failed |= !report.starts_with("valid");
        println!("{path}: {report}");
    }
    std::process::exit(i32::from(failed));
}

/// Bytes saved by re-encoding the component's core modules (nested
/// components included).
fn core_module_shrink(c: &wtool_component::Component, o: &wtool_component::Offsets) -> i64 {
    use wtool_component::ast::Section;
    let mut saved = 0i64;
    for (i, s) in c.sections.iter().enumerate() {
        let so = &o.sections[i];
        match s {
            Section::CoreModule(m) => {
                let old = (so.end - so.start) as i64;
                let new = wtool_binary::encode(m).len() as i64;
                saved += old - new + leb_len_of(old) - leb_len_of(new);
            }
            Section::Component(n) => {
                let inner = so.nested.as_deref().cloned().unwrap_or_default();
                let s = core_module_shrink(n, &inner);
                let old = (so.end - so.start) as i64;
                saved += s + leb_len_of(old) - leb_len_of(old - s);
            }
            _ => {}
        }
    }
    saved
}

/// The LEB128 length of a size.
fn leb_len_of(n: i64) -> i64 {
    wtool_binary::leb128::u32_len(n as u32) as i64
}

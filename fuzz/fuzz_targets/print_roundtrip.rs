//! print → parse round trip: the printed text of any module wasm-smith
//! makes (invalid bodies included) parses back with our parser to a module
//! that prints the same text again, flat and folded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wtool_fuzz::{smith_module, wtool_features, Purpose};
use wtool_print::{print, PrintOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Some(bytes) = smith_module(
        Purpose::Static {
            invalid: mode & 1 == 1,
        },
        rest,
    ) else {
        return;
    };
    let Ok(mut module) = wtool_binary::decode_with_features(&bytes, wtool_features()) else {
        return;
    };
    // The binary may split a run of same-typed locals into several groups,
    // which print as `(local i32) (local i32)`; the text format does not
    // keep that split (our parser, like wat, makes one group). Merge first
    // so the fixpoint is about everything else.
    for f in &mut module.funcs {
        let mut merged: Vec<wtool_ast::LocalGroup> = Vec::new();
        for g in f.locals.iter().filter(|g| g.count > 0) {
            match merged.last_mut() {
                Some(last) if last.ty == g.ty => last.count += g.count,
                _ => merged.push(*g),
            }
        }
        f.locals = merged;
    }
    let opts = PrintOptions {
        fold: mode & 2 == 2,
        names: mode & 4 == 0,
        ..Default::default()
    };
    let text = print(&module, &opts);
    let back = wtool_text::parse_module(text.as_bytes())
        .unwrap_or_else(|e| panic!("printed text does not parse: {e}\n{text}"));
    let again = print(&back, &opts);
    if again != text {
        let line = text
            .lines()
            .zip(again.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "print(parse(print(m))) differs at line {}:\n  first:  {}\n  second: {}",
            line + 1,
            text.lines().nth(line).unwrap_or(""),
            again.lines().nth(line).unwrap_or("")
        );
    }
    // Validity survives the trip.
    let v1 = wtool_validate::validate(&module, wtool_features()).is_ok();
    let v2 = wtool_validate::validate(&back, wtool_features()).is_ok();
    assert_eq!(v1, v2, "validity changed through print → parse");
});

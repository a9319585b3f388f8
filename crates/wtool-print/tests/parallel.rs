//! Streaming print on several threads writes exactly the single-threaded
//! bytes, and a body that does not decode stops both at the same place.

use wtool_ast::{Expr, Features};
use wtool_binary::{BodyRange, BodyReader, DecodeError};
use wtool_print::{print_lazy_to_io, PrintError, PrintOptions};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Prints `bytes` streamed on `threads` threads.
fn print(bytes: &[u8], opts: &PrintOptions, threads: usize) -> Result<Vec<u8>, DecodeError> {
    let (module, ranges) = wtool_binary::decode_lazy(bytes, Features::ALL).expect("decode");
    let dc = module.data_count.is_some();
    let bodies = |i: u32, e: &mut Expr| {
        let r: &BodyRange = &ranges[i as usize];
        BodyReader::new(bytes, r, Features::ALL, dc).read_into(e)
    };
    let mut out = Vec::new();
    match print_lazy_to_io(&module, &bodies, opts, threads, &mut out) {
        Ok(()) => Ok(out),
        Err(PrintError::Decode(e)) => Err(e),
        Err(PrintError::Io(e)) => panic!("writing to a Vec: {e}"),
    }
}

#[test]
fn threads_print_the_same_bytes() {
    // big-O0 has 4,055 functions: many windows, each of 64.
    let bytes = fixture("big-O0.wasm");
    let all = |f: fn(&mut PrintOptions)| {
        let mut o = PrintOptions::default();
        f(&mut o);
        o
    };
    for opts in [
        PrintOptions::default(),
        all(|o| o.fold = true),
        all(|o| o.inline_exports = true),
        all(|o| {
            o.names = false;
            o.label_comments = true;
        }),
    ] {
        let one = print(&bytes, &opts, 1).expect("print");
        for threads in [2, 3, 8] {
            let many = print(&bytes, &opts, threads).expect("print");
            assert!(one == many, "{threads} threads differ from one ({opts:?})");
        }
    }
}

#[test]
fn a_broken_body_stops_every_thread_count_alike() {
    let mut bytes = fixture("big-O0.wasm");
    let (_, ranges) = wtool_binary::decode_lazy(&bytes, Features::ALL).expect("decode");
    // The first instruction of a function far into the module becomes an
    // illegal opcode.
    let at = ranges[3000].start as usize;
    bytes[at] = 0xff;
    let opts = PrintOptions::default();
    let one = print(&bytes, &opts, 1).expect_err("broken body");
    assert_eq!(one.offset(), at);
    for threads in [2, 4] {
        let many = print(&bytes, &opts, threads).expect_err("broken body");
        assert_eq!(many.to_string(), one.to_string());
    }
}

/// A module with 300 small functions, one of 70 KB of code (printed by the
/// writer itself) and one of 12 KB of code nested 64 blocks deep, whose
/// 1.6 MB of text is more than a worker may hold (it drops it and the
/// writer prints the window): the output is still the single-threaded
/// one, and the one of printing the decoded module.
#[test]
fn big_functions_and_big_texts_print_alike() {
    let mut wat = String::from("(module\n");
    for i in 0..300 {
        wat.push_str(&format!("(func (result i32) i32.const {i})\n"));
        if i == 100 {
            wat.push_str("(func");
            wat.push_str(&" nop".repeat(70_000));
            wat.push_str(")\n");
        }
        if i == 200 {
            wat.push_str("(func");
            wat.push_str(&" block".repeat(64));
            wat.push_str(&" nop".repeat(12_000));
            wat.push_str(&" end".repeat(64));
            wat.push_str(")\n");
        }
    }
    wat.push(')');
    let module = wtool_text::parse_module(wat.as_bytes()).expect("parse");
    let bytes = wtool_binary::encode(&module);
    let decoded = wtool_binary::decode_with_features(&bytes, Features::ALL).expect("decode");
    for opts in [
        PrintOptions::default(),
        PrintOptions {
            fold: true,
            ..PrintOptions::default()
        },
    ] {
        let mut eager = Vec::new();
        wtool_print::print_to_io(&decoded, &opts, &mut eager).expect("print");
        assert!(eager.len() > 2_000_000, "the big texts are there");
        for threads in [1, 2, 3] {
            let got = print(&bytes, &opts, threads).expect("print");
            assert!(got == eager, "{threads} threads differ ({opts:?})");
        }
    }
}

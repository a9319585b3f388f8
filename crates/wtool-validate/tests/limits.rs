//! Deep nesting and huge bodies: validate or fail cleanly, never overflow
//! the stack (the validator keeps nesting in explicit stacks).

use wtool_ast::Features;

fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn section(out: &mut Vec<u8>, id: u8, payload: &[u8]) {
    out.push(id);
    leb(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// A module with one function of type `[] -> [results]` and the given body
/// (locals declaration and final `end` added here).
fn module_with_body(results: &[u8], body: &[u8]) -> Vec<u8> {
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    let mut ty = vec![1, 0x60, 0];
    leb(&mut ty, results.len() as u64);
    ty.extend_from_slice(results);
    section(&mut m, 1, &ty);
    section(&mut m, 3, &[1, 0]);
    let mut entry = vec![0]; // no locals
    entry.extend_from_slice(body);
    entry.push(0x0b);
    let mut code = vec![1];
    leb(&mut code, entry.len() as u64);
    code.extend_from_slice(&entry);
    section(&mut m, 10, &code);
    m
}

fn check(bytes: &[u8]) -> Result<(), wtool_validate::ValidationError> {
    let module = wtool_binary::decode(bytes).expect("decodes");
    wtool_validate::validate(&module, Features::WASM2)
}

const DEPTH: usize = 100_000;

#[test]
fn hundred_thousand_nested_blocks() {
    let mut body = Vec::new();
    for _ in 0..DEPTH {
        body.extend_from_slice(&[0x02, 0x40]); // block (empty)
    }
    body.extend(std::iter::repeat_n(0x0b, DEPTH));
    check(&module_with_body(&[], &body)).expect("valid");

    // The same nest with an i32 left in the innermost block fails cleanly,
    // pointing at the innermost `end`.
    let mut bad = Vec::new();
    for _ in 0..DEPTH {
        bad.extend_from_slice(&[0x02, 0x40]);
    }
    bad.extend_from_slice(&[0x41, 0x00]);
    bad.extend(std::iter::repeat_n(0x0b, DEPTH));
    let e = check(&module_with_body(&[], &bad)).unwrap_err();
    assert!(e.to_string().starts_with("type mismatch"), "{e}");
    assert_eq!(e.func, Some(0));
    assert!(e.offset.is_some());
}

#[test]
fn hundred_thousand_nested_loops_and_ifs_with_values() {
    let mut body = Vec::new();
    for k in 0..DEPTH {
        if k % 2 == 0 {
            body.extend_from_slice(&[0x03, 0x7f]); // loop (result i32)
        } else {
            body.extend_from_slice(&[0x41, 0x01, 0x04, 0x7f]); // i32.const 1; if (result i32)
        }
    }
    body.extend_from_slice(&[0x41, 0x07]);
    for k in (0..DEPTH).rev() {
        if k % 2 == 1 {
            body.extend_from_slice(&[0x05, 0x41, 0x00]); // else i32.const 0
        }
        body.push(0x0b);
    }
    check(&module_with_body(&[0x7f], &body)).expect("valid");
}

#[test]
fn million_instruction_function() {
    let mut body = vec![0x41, 0x00]; // i32.const 0
    let n = 499_999;
    for _ in 0..n {
        body.extend_from_slice(&[0x41, 0x01, 0x6a]); // i32.const 1; i32.add
    }
    // 1 + 2 * 499,999 + end = 1,000,000 instructions.
    let bytes = module_with_body(&[0x7f], &body);
    let module = wtool_binary::decode(&bytes).expect("decodes");
    assert_eq!(module.funcs[0].body.instrs.len(), 1_000_000);
    wtool_validate::validate(&module, Features::WASM2).expect("valid");

    // A type error at the very end is found and located.
    let mut bad = body.clone();
    bad.extend_from_slice(&[0x42, 0x00, 0x6a]); // i64.const 0; i32.add
    let e = check(&module_with_body(&[0x7f], &bad)).unwrap_err();
    assert_eq!(e.to_string(), "type mismatch: expected i32, found i64");
    let off = e.offset.expect("offset") as usize;
    assert_eq!(module_with_body(&[0x7f], &bad)[off], 0x6a);
}

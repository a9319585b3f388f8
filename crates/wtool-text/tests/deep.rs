//! Deep nesting must not overflow the (default, 2 MiB) test thread stack.

use wtool_ast::Instr;

const DEPTH: usize = 100_000;

fn count_blocks(src: &str) -> usize {
    let m = wtool_text::parse_module(src.as_bytes()).expect("parses");
    m.funcs[0]
        .body
        .instrs
        .iter()
        .filter(|i| matches!(i, Instr::Block(_)))
        .count()
}

#[test]
fn deep_folded_blocks() {
    let src = format!(
        "(module (func {}{}))",
        "(block ".repeat(DEPTH),
        ")".repeat(DEPTH)
    );
    assert_eq!(count_blocks(&src), DEPTH);
}

#[test]
fn deep_flat_blocks() {
    let src = format!(
        "(module (func {}{}))",
        "block ".repeat(DEPTH),
        "end ".repeat(DEPTH)
    );
    assert_eq!(count_blocks(&src), DEPTH);
}

#[test]
fn deep_folded_operands() {
    let src = format!(
        "(module (func (result i32) {}(i32.const 1){}))",
        "(i32.eqz ".repeat(DEPTH),
        ")".repeat(DEPTH)
    );
    let m = wtool_text::parse_module(src.as_bytes()).expect("parses");
    assert_eq!(m.funcs[0].body.instrs.len(), DEPTH + 2);
    // Operands come first: the innermost constant, then the `eqz`s.
    assert_eq!(m.funcs[0].body.instrs[0], Instr::I32Const(1));
}

#[test]
fn deep_unclosed_is_a_clean_error() {
    let src = format!("(module (func {}", "(block ".repeat(DEPTH));
    let e = wtool_text::parse_module(src.as_bytes()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("unexpected end of input, unclosed `(` opened at 1:"),
        "{e}"
    );
}

#[test]
fn deep_script_nesting() {
    // A malformed module inside an assertion is skipped iteratively.
    let src = format!(
        "(assert_malformed (module {}{}) \"x\")",
        "(block ".repeat(DEPTH),
        ")".repeat(DEPTH)
    );
    let s = wtool_text::script::parse_script(src.as_bytes()).expect("script parses");
    assert_eq!(s.commands.len(), 1);
}

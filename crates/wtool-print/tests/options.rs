//! The wabt-compatible print options: `;; label = @N` comments, inline
//! exports and imports, and [`InstrPrinter`] for single instructions.

mod common;

use std::path::{Path, PathBuf};
use wtool_print::{print, InstrPrinter, PrintOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const SRC: &str = r#"(module
  (import "env" "f" (func (param i32)))
  (import "env" "m" (memory 1))
  (func (export "loop") (param i32) (result i32)
    block
      loop
        local.get 0
        br_if 1
        br 0
      end
    end
    block $named
      br $named
    end
    block (result i32)
      i32.const 1
      if
        br 2
      end
      i32.const 2
    end)
  (func (export "empty") block end)
  (global (export "g") (export "g2") i32 (i32.const 0))
  (export "m" (memory 0))
  (export "f" (func 0)))"#;

fn module() -> wtool_ast::Module {
    wtool_binary::decode(&wat::parse_str(SRC).unwrap()).unwrap()
}

fn opts(f: impl FnOnce(&mut PrintOptions)) -> PrintOptions {
    let mut o = PrintOptions::default();
    f(&mut o);
    o
}

#[test]
fn label_comments_flat() {
    let text = print(&module(), &opts(|o| o.label_comments = true));
    let body: Vec<&str> = text.lines().skip(6).take(23).map(str::trim).collect();
    assert_eq!(
        body,
        [
            "(func (;1;) (type 1) (param i32) (result i32)",
            "block  ;; label = @1",
            "loop  ;; label = @2",
            "local.get 0",
            "br_if 1 (;@1;)",
            "br 0 (;@2;)",
            "end",
            "end",
            "block $named",
            "br 0 (;$named;)",
            "end",
            "block (result i32)  ;; label = @1",
            "i32.const 1",
            "if  ;; label = @2",
            "br 2 (;@0;)",
            "end",
            "i32.const 2",
            "end)",
            "(func (;2;) (type 2)",
            "block  ;; label = @1",
            "end)",
            "(global (;0;) i32 i32.const 0)",
            "(export \"loop\" (func 1))",
        ],
        "{text}"
    );
}

#[test]
fn label_comments_folded_never_comment_out_a_parenthesis() {
    let m = module();
    let text = print(
        &m,
        &opts(|o| {
            o.label_comments = true;
            o.fold = true;
        }),
    );
    assert!(text.contains("(block  ;; label = @1\n"), "{text}");
    assert!(text.contains("(br_if 1 (;@1;)"), "{text}");
    for line in text.lines() {
        if let Some((_, comment)) = line.split_once(";;") {
            assert!(
                !comment.contains(')'),
                "a `)` inside a line comment: {line}\n{text}"
            );
        }
    }
    // And the text means the same module.
    let back = wtool_binary::decode(&wat::parse_str(&text).unwrap()).unwrap();
    assert!(common::norm(back) == common::norm(m));
}

#[test]
fn inline_exports_and_imports() {
    let text = print(
        &module(),
        &opts(|o| {
            o.inline_exports = true;
            o.inline_imports = true;
        }),
    );
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(
        lines.contains(&r#"(func (;0;) (export "f") (import "env" "f") (type 0) (param i32))"#),
        "{text}"
    );
    assert!(
        lines.contains(&r#"(memory (;0;) (export "m") (import "env" "m") 1)"#),
        "{text}"
    );
    assert!(
        lines.contains(&r#"(func (;1;) (export "loop") (type 1) (param i32) (result i32)"#),
        "{text}"
    );
    assert!(
        text.contains(r#"(global (;0;) (export "g") (export "g2") i32 i32.const 0)"#),
        "{text}"
    );
    assert!(!text.contains("(export \"loop\" (func"), "{text}");

    // Exports of imports stay in the export list when imports are not inline.
    let text = print(&module(), &opts(|o| o.inline_exports = true));
    assert!(
        text.contains(r#"(import "env" "f" (func (;0;) (type 0)"#),
        "{text}"
    );
    assert!(text.contains(r#"(export "f" (func 0))"#), "{text}");
    assert!(!text.contains(r#"(export "g" (global"#), "{text}");
}

/// With every option, the fixtures print to text that means the same
/// module (exports may come in definition order).
#[test]
fn fixtures_round_trip_with_every_option() {
    let sorted = |mut m: wtool_ast::Module| {
        m.exports.sort_by(|a, b| a.name.cmp(&b.name));
        common::norm(m)
    };
    let mut inputs = vec![("src".to_string(), wat::parse_str(SRC).unwrap())];
    for f in ["add.wasm", "kernels.wasm", "hello.wasm"] {
        inputs.push((
            f.into(),
            std::fs::read(root().join("fixtures").join(f)).unwrap(),
        ));
    }
    for (name, bytes) in inputs {
        let m = wtool_binary::decode(&bytes).unwrap();
        for bits in 0..16u8 {
            let o = opts(|o| {
                o.fold = bits & 1 != 0;
                o.label_comments = bits & 2 != 0;
                o.inline_exports = bits & 4 != 0;
                o.inline_imports = bits & 8 != 0;
            });
            let text = print(&m, &o);
            let back = wat::parse_str(&text).unwrap_or_else(|e| panic!("{name} {o:?}: {e}"));
            let back = wtool_binary::decode(&back).unwrap();
            assert!(sorted(back) == sorted(m.clone()), "{name} {o:?}");
            let ours = wtool_text::parse_module(text.as_bytes())
                .unwrap_or_else(|e| panic!("{name} {o:?}: wtool-text: {e}"));
            let ours = wtool_binary::decode(&wtool_binary::encode(&ours)).unwrap();
            assert!(
                sorted(ours) == sorted(m.clone()),
                "{name} {o:?}: wtool-text"
            );
        }
    }
}

#[test]
fn single_instructions_with_names() {
    let bytes = wat::parse_str(
        r#"(module
          (func $callee)
          (func $f (param $x i32) (local $y i64)
            local.get $x drop call $callee
            block $b br $b end))"#,
    )
    .unwrap();
    let m = wtool_binary::decode(&bytes).unwrap();
    let mut p = InstrPrinter::new(&m, &PrintOptions::default());
    p.enter_func(1);
    let f = &m.funcs[1].body.instrs;
    let texts: Vec<String> = f.iter().map(|i| p.instr(i).to_string()).collect();
    assert_eq!(
        texts,
        [
            "local.get $x",
            "drop",
            "call $callee",
            "block",
            "br 0",
            "end",
            "end"
        ]
    );
    let mut bare = InstrPrinter::new(
        &m,
        &PrintOptions {
            names: false,
            ..Default::default()
        },
    );
    assert_eq!(bare.instr(&f[2]), "call 0");
}

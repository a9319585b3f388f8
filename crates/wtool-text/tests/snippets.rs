//! Hand-written modules for each abbreviation and corner of the format,
//! compared byte for byte with the `wat` crate, plus checks on the AST.

use wtool_ast::{Instr, Origin};

fn same_as_wat(src: &str) {
    let ours = match wtool_text::parse_module(src.as_bytes()) {
        Ok(m) => wtool_binary::encode(&m),
        Err(e) => panic!("we reject {src}: {e}"),
    };
    let theirs = wat::parse_str(src).unwrap_or_else(|e| panic!("wat rejects {src}: {e}"));
    assert_eq!(ours, theirs, "bytes differ for {src}");
}

#[test]
fn abbreviations_match_wat() {
    for src in [
        "(module)",
        // An empty recursion group is still a group: the type section holds it.
        "(module (rec))",
        "(module (rec) (type (func)) (rec))",
        "(func) (memory 1)",
        r#"(module $m (func $f (export "a") (export "b") (param $x i32) (param f32 f64) (result i32) (local $y i64) (local i32 i32) local.get $x))"#,
        r#"(module (import "a" "b" (func $i (param $p i32))) (func (export "c") (call $i (i32.const 1))))"#,
        r#"(module (func $i (import "a" "b") (param i32)) (table $t (import "a" "t") 1 funcref) (memory (import "a" "m") 1 2) (global $g (import "a" "g") (mut i32)))"#,
        r#"(module (table $t (export "t") funcref (elem $f $f)) (func $f))"#,
        r#"(module (table externref (elem (ref.null extern) (item ref.null extern))))"#,
        r#"(module (memory $m (export "m") (data "hello" "\00\ff")))"#,
        r#"(module (memory 1) (data (i32.const 8) "x") (data $d "passive") (data (memory 0) (offset (i32.const 1)) "y"))"#,
        r#"(module (table 2 funcref) (func $a) (elem (i32.const 0) $a) (elem (table 0) (offset (i32.const 1)) func $a) (elem $p func $a) (elem declare func $a) (elem funcref (ref.func $a) (ref.null func)))"#,
        r#"(module (type $t (func (param i32) (result i32))) (func (type $t) local.get 0) (func (type $t) (param i32) (result i32) local.get 0) (func (param i64)) (func (param i32) (result i32) local.get 0))"#,
        r#"(module (func (block $b (result i32) (loop $l (br_if $l (i32.const 0))) (br $b (i32.const 1))) drop))"#,
        r#"(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))"#,
        r#"(module (func (param i32) (result i32) local.get 0 if $x (result i32) i32.const 1 else $x i32.const 2 end $x))"#,
        r#"(module (func (param i32 i32) (result i32) (local.get 0) (local.get 1) (block (param i32 i32) (result i32) i32.add)))"#,
        r#"(module (type (func)) (table 1 funcref) (func (call_indirect (type 0) (i32.const 0)) (call_indirect (param i32) (result i64) (i32.const 1) (i32.const 0)) drop))"#,
        r#"(module (memory 1) (func (result i32) (i32.load8_u offset=0x10 align=1 (i32.const 0)) (i64.store32 offset=4 (i32.const 0) (i64.const -1)) ))"#,
        r#"(module (memory 1) (func (param v128) (result v128) (v128.load16_lane offset=2 align=2 3 (i32.const 0) (local.get 0))))"#,
        r#"(module (func (result v128) (v128.const f32x4 nan -nan:0x1 inf -0x1.fffffep127) (v128.const i8x16 -128 255 0 1 2 3 4 5 6 7 8 9 10 11 12 13) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31) drop drop))"#,
        r#"(module (func (result f64) (f64.const 0x1.921fb54442d18p+1) (f32.const 1e-45) drop (f64.const 1_000.5e-3) drop))"#,
        r#"(module (func (result i64) (i64.const 0xffff_ffff_ffff_ffff) (i32.const -2147483648) drop))"#,
        r#"(module (global $g (mut i32) (i32.const 0)) (global funcref (ref.func $f)) (func $f (global.set $g (global.get $g))) (start $f) (export "g" (global $g)))"#,
        r#"(module (table $t 1 externref) (elem $e externref) (memory 1) (data $d "") (func (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 0)) (elem.drop $e) (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop $d) (table.copy $t $t (i32.const 0) (i32.const 0) (i32.const 0)) (memory.copy (i32.const 0) (i32.const 0) (i32.const 0)) (drop (table.size $t))))"#,
        r#"(module (func (result i32) (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0))) (func (result i32) (br_table 0 0 0 (i32.const 1) (i32.const 0))))"#,
        r#"(module (func $"quoted name" (local $"a b" i32) (local.set $"a b" (i32.const 1))) (export "x" (func $"quoted name")))"#,
        r#"(module (func (block $a (block $b (br_table $a $b $a (i32.const 0))))))"#,
        "(module (func (; block (; nested ;) comment ;) nop ;; line comment\n nop (@annotation ignored (with \"(\" parens)) nop))",
        r#"(module (type $t (func (result i32))) (func (result i32) (block (type $t) (i32.const 1))))"#,
        r#"(module (func (result i32) (block (result i32) (i32.const 1)) (loop (result i32) (i32.const 2)) drop))"#,
        r#"(module (func (if $i (block $b (result i32) (i32.const 1)) (then (block $c)) (else (loop $d))) (block $e)))"#,
        r#"(module $m (@name "mod") (func $f (@name "f name") (param $p (@name "p!") i32) (local $l (@name "l!") i32) (block $b (@name "b!"))) (@producers (processed-by "x" "1") (language "C" "")) (@custom "after" "z"))"#,
        r#"(module (@custom "c1" "abc") (@custom "c2" (before first) "x") (@custom "c3" (after func) "y" "z") (func $f))"#,
        r#"(module (memory i64 1) (func (drop (i64.load offset=0x1_0000_0000 (i64.const 0)))))"#,
        r#"(module (type $t (func)) (table 1 (ref null $t)) (func (drop (ref.null $t))))"#,
        r#"(module (func (param $a i32) (local $b i32) (local.tee $b (local.get $a)) drop) (func (type 0)))"#,
    ] {
        same_as_wat(src);
    }
}

#[test]
fn module_binary_and_quote() {
    let m = wtool_text::parse_module(br#"(module binary "\00asm" "\01\00\00\00")"#).unwrap();
    assert!(m.funcs.is_empty());
    let m = wtool_text::parse_module(br#"(module quote "(func" " (nop))")"#).unwrap();
    assert_eq!(m.funcs.len(), 1);
    assert!(wtool_text::parse_module(br#"(module binary "\00asm")"#).is_err());
}

#[test]
fn offsets_are_source_positions() {
    let src = "(module\n  (func\n    i32.const 1\n    drop))";
    let m = wtool_text::parse_module(src.as_bytes()).unwrap();
    assert_eq!(m.origin, Origin::Text);
    let f = &m.funcs[0];
    assert_eq!(&src[f.offset as usize..][..4], "func");
    assert_eq!(f.body.instrs[0], Instr::I32Const(1));
    assert_eq!(&src[f.body.offsets[0] as usize..][..9], "i32.const");
    assert_eq!(&src[f.body.offsets[1] as usize..][..4], "drop");
}

#[test]
fn rejects_what_the_spec_calls_malformed() {
    for src in [
        "(module (func i32.const 0x1_0000_0000 drop))",
        "(module (func (f32.const nan:0x80_0000) drop))",
        "(module (func (i32.const 1__0) drop))",
        "(module (func (i32.const _1) drop))",
        "(module (memory 1) (func (i32.load align=0 (i32.const 0)) drop))",
        "(module (memory 1) (func (i32.load offset=4294967296 (i32.const 0)) drop))",
        r#"(module (func (export "\ed\a0\80")))"#,
        "(module (func $f) (func $f))",
        "(module (func (local $x i32) (local $x i64)))",
        "(module (func block $a end $b))",
        "(module (type (func (param i32))) (func (type 0) (param i64)))",
        "(module (func) (import \"a\" \"b\" (func)))",
        "(module (func (block (param $x i32))))",
        "(module (func (nop)) (start 0) (start 0))",
        "(module (func i32.const 1 i32.const 2 i32.ad))",
        "(module (func (br $nowhere)))",
        "(module (func (call $nowhere)))",
        "(module (func (local.get $nowhere)))",
        "(module (func (i8x16.extract_lane_s 256 (v128.const i64x2 0 0)) drop))",
        "(module (func \"str\"))",
        "(module (func) ())",
        "(module) (module)",
        "(module (func (else)))",
        "(module (func end))",
    ] {
        assert!(
            wtool_text::parse_module(src.as_bytes()).is_err(),
            "accepted: {src}"
        );
    }
}

#[test]
fn malformed_utf8_in_quoted_text_is_rejected() {
    // Raw invalid UTF-8 bytes in the source (as `module quote` can produce).
    assert!(wtool_text::parse_module(b"(module (func (export \"\x80\")))").is_err());
    // Data strings are bytes: escapes that are not UTF-8 are fine there.
    assert!(
        wtool_text::parse_module(b"(module (memory 1) (data (i32.const 0) \"\\80\\ff\"))").is_ok()
    );
}

#[test]
fn script_forms() {
    use wtool_text::script::{
        parse_script, Action, CommandKind, Expected, FloatPattern, ModuleSource, V128Pattern, Value,
    };
    let src = r#"
(module $m (func (export "f") (param i32) (result i32) local.get 0))
(module definition $d (func))
(module instance $i $d)
(register "m" $m)
(assert_return (invoke $m "f" (i32.const 7)) (i32.const 7))
(assert_return (invoke "g") (f32.const nan:canonical) (f64.const nan:arithmetic) (ref.null func) (ref.extern 1) (ref.func))
(assert_return (invoke "v") (v128.const f32x4 nan:canonical 1 2 3) (v128.const i16x8 0 1 2 3 4 5 6 7))
(assert_return (get "glob") (either (i32.const 1) (i32.const 2)))
(assert_trap (invoke "t" (ref.extern 3) (ref.null extern)) "unreachable")
(assert_exhaustion (invoke "r") "call stack exhausted")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func (i32.ad))") "unknown operator")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_uninstantiable (module (func $s unreachable) (start $s)) "unreachable")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(invoke "f" (i64.const -1) (v128.const i32x4 1 2 3 4))
"#;
    let s = parse_script(src.as_bytes()).unwrap();
    assert_eq!(s.commands.len(), 17);
    assert_eq!(s.commands[0].line, 2);
    assert!(
        matches!(&s.commands[0].kind, CommandKind::Module { module, definition: false } if module.name.as_deref() == Some("m"))
    );
    assert!(matches!(
        &s.commands[1].kind,
        CommandKind::Module {
            definition: true,
            ..
        }
    ));
    assert!(
        matches!(&s.commands[2].kind, CommandKind::Instance { instance: Some(i), module: Some(d) } if i == "i" && d == "d")
    );
    match &s.commands[4].kind {
        CommandKind::AssertReturn {
            action: Action::Invoke { module, name, args },
            expected,
        } => {
            assert_eq!(module.as_deref(), Some("m"));
            assert_eq!(name, "f");
            assert_eq!(args, &vec![Value::I32(7)]);
            assert_eq!(expected, &vec![Expected::I32(7)]);
        }
        k => panic!("{k:?}"),
    }
    match &s.commands[5].kind {
        CommandKind::AssertReturn { expected, .. } => assert_eq!(
            expected,
            &vec![
                Expected::F32(FloatPattern::CanonicalNan),
                Expected::F64(FloatPattern::ArithmeticNan),
                Expected::RefNull(Some(wtool_ast::HeapType::Func)),
                Expected::RefExtern(Some(1)),
                Expected::RefFunc(None),
            ]
        ),
        k => panic!("{k:?}"),
    }
    match &s.commands[6].kind {
        CommandKind::AssertReturn { expected, .. } => {
            assert!(matches!(
                expected[0],
                Expected::V128(V128Pattern::F32x4([
                    FloatPattern::CanonicalNan,
                    FloatPattern::Bits(0x3f80_0000),
                    ..
                ]))
            ));
            assert!(matches!(expected[1], Expected::V128(V128Pattern::Bytes(_))));
        }
        k => panic!("{k:?}"),
    }
    assert!(
        matches!(&s.commands[7].kind, CommandKind::AssertReturn { action: Action::Get { .. }, expected } if matches!(&expected[0], Expected::Either(v) if v.len() == 2))
    );
    assert!(
        matches!(&s.commands[11].kind, CommandKind::AssertMalformed { module, .. } if matches!(&module.source, ModuleSource::Quote(q) if q == b"(func (i32.ad))"))
    );
    assert!(
        matches!(&s.commands[12].kind, CommandKind::AssertMalformed { module, .. } if matches!(&module.source, ModuleSource::Binary(b) if b == b"\0asm"))
    );
    assert!(matches!(
        &s.commands[15].kind,
        CommandKind::AssertModuleTrap { .. }
    ));
    assert!(
        matches!(&s.commands[16].kind, CommandKind::Action(Action::Invoke { args, .. }) if args.len() == 2)
    );
}

#[test]
fn fixture_add_wat_matches_wat() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/add.wat");
    let src = std::fs::read_to_string(path).expect("fixtures/add.wat");
    same_as_wat(&src);
}

#[test]
fn script_component_forms() {
    use wtool_text::script::{
        parse_script, Action, CommandKind, ComponentAssertion, ComponentSource,
        ComponentValue as C, Expected, Value,
    };
    let src = r#"
(component $c (core module $m))
(component definition $d binary "\00asm\0d\00\01\00")
(component instance $i $d)
(component quote "(import \"a\" (func))")
(component (bogus))
(assert_invalid (component (export "x" (func 0))) "index out of bounds")
(assert_malformed (component binary "\00asm") "unexpected end")
(assert_trap (component) "trap")
(assert_return (invoke $i "f" (u8.const 255) (s8.const -1) (f32.const 1) (str.const "a\n"))
  (list.const (u32.const 1) (f32.const 0.5)))
(invoke "g" (record.const (field "a" u32.const 1) (field "b" list.const (char.const "x"))))
(invoke "h" (variant.const "v") (variant.const "w" (bool.const true)) (enum.const "e")
  (option.none) (option.some (s64.const -2)) (result.ok) (result.err (u16.const 3))
  (flags.const "p" "q") (tuple.const) (map.const (entry (str.const "k") (u64.const 9))))
"#;
    let s = parse_script(src.as_bytes()).unwrap();
    assert_eq!(s.commands.len(), 11);
    assert!(
        matches!(&s.commands[0].kind, CommandKind::Component { component, definition: false } if component.name.as_deref() == Some("c") && matches!(component.source, ComponentSource::Text(_)))
    );
    assert!(
        matches!(&s.commands[1].kind, CommandKind::Component { component, definition: true } if component.name.as_deref() == Some("d") && matches!(&component.source, ComponentSource::Binary(b) if b.len() == 8))
    );
    assert!(
        matches!(&s.commands[2].kind, CommandKind::ComponentInstance { instance: Some(i), component: Some(d) } if i == "i" && d == "d")
    );
    assert!(
        matches!(&s.commands[3].kind, CommandKind::Component { component, .. } if matches!(&component.source, ComponentSource::Quote(q) if q == br#"(import "a" (func))"#))
    );
    // A text component that does not parse is kept, and the script goes on.
    assert!(
        matches!(&s.commands[4].kind, CommandKind::Component { component, .. } if matches!(component.source, ComponentSource::TextError(_)))
    );
    let assertions: Vec<ComponentAssertion> = s.commands[5..8]
        .iter()
        .map(|c| match &c.kind {
            CommandKind::AssertComponent { assertion, .. } => *assertion,
            k => panic!("{k:?}"),
        })
        .collect();
    assert_eq!(
        assertions,
        [
            ComponentAssertion::Invalid,
            ComponentAssertion::Malformed,
            ComponentAssertion::Trap
        ]
    );
    match &s.commands[8].kind {
        CommandKind::AssertReturn {
            action: Action::Invoke { module, args, .. },
            expected,
        } => {
            assert_eq!(module.as_deref(), Some("i"));
            assert_eq!(
                args,
                &vec![
                    Value::Component(C::U8(255)),
                    Value::Component(C::S8(-1)),
                    // A bare f32.const is read as a core constant.
                    Value::F32(0x3f80_0000),
                    Value::Component(C::String("a\n".into())),
                ]
            );
            assert_eq!(
                expected,
                &vec![Expected::Component(C::List(vec![
                    C::U32(1),
                    C::F32(0x3f00_0000)
                ]))]
            );
        }
        k => panic!("{k:?}"),
    }
    let text = |i: usize| match &s.commands[i].kind {
        CommandKind::Action(Action::Invoke { args, .. }) => args
            .iter()
            .map(|a| match a {
                Value::Component(c) => c.to_string(),
                v => panic!("{v:?}"),
            })
            .collect::<Vec<_>>(),
        k => panic!("{k:?}"),
    };
    // Display writes the script's syntax back.
    assert_eq!(
        text(9),
        [r#"record.const (field "a" u32.const 1) (field "b" list.const (char.const "x"))"#]
    );
    assert_eq!(
        text(10),
        [
            r#"variant.const "v""#,
            r#"variant.const "w" (bool.const true)"#,
            r#"enum.const "e""#,
            "option.none",
            "option.some (s64.const -2)",
            "result.ok",
            "result.err (u16.const 3)",
            r#"flags.const "p" "q""#,
            "tuple.const",
            r#"map.const (entry (str.const "k") (u64.const 9))"#,
        ]
    );
    // Out-of-range and negative unsigned values, and unbounded nesting, are errors.
    for bad in [
        "(invoke \"f\" (u8.const 256))",
        "(invoke \"f\" (u32.const -1))",
        "(invoke \"f\" (char.const \"ab\"))",
        "(invoke \"f\" (bool.const 1))",
    ] {
        assert!(parse_script(bad.as_bytes()).is_err(), "{bad}");
    }
    let deep = format!(
        "(invoke \"f\" {}{})",
        "(list.const ".repeat(10_000),
        ")".repeat(10_000)
    );
    assert!(parse_script(deep.as_bytes()).is_err());
}

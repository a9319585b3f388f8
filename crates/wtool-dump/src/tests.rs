//! Unit tests of the dump: schema fields, number formatting, LEB lengths.

use crate::build::{const_value, leb_len};
use crate::*;
use wtool_ast::{Export, Func, FuncType, Op};
use wtool_ast::{Expr, ExternKind, Instr, Module, TypeDef, ValType};

fn add_module() -> Module {
    Module {
        types: vec![TypeDef::func(FuncType::new(
            vec![ValType::I32, ValType::I32],
            vec![ValType::I32],
        ))],
        funcs: vec![Func {
            type_idx: 0,
            locals: vec![],
            body: Expr {
                instrs: vec![
                    Instr::LocalGet(0),
                    Instr::LocalGet(1),
                    Instr::Plain(Op::I32Add),
                    Instr::End,
                ],
                offsets: vec![35, 37, 39, 40],
            },
            offset: 32,
            size: 7,
        }],
        exports: vec![Export {
            name: "add".into(),
            kind: ExternKind::Func,
            index: 0,
        }],
        ..Module::default()
    }
}

#[test]
fn leb_lengths() {
    assert_eq!(leb_len(&[0x07], 0), Some(1));
    assert_eq!(leb_len(&[0x87, 0x80, 0x00], 0), Some(3));
    assert_eq!(leb_len(&[0x87, 0x80], 0), None);
    assert_eq!(
        leb_len(&[0xff, 0xff, 0xff, 0xff, 0x7f], 0),
        None,
        "exceeds u32"
    );
    assert_eq!(leb_len(&[0x01], 5), None);
}

#[test]
fn const_exprs_as_text() {
    let e = Expr::new(vec![Instr::I32Const(-5), Instr::End]);
    assert_eq!(expr_text(&e), "i32.const -5");
    assert_eq!(const_value(&e), Some(-5));
    let e = Expr::new(vec![
        Instr::GlobalGet(0),
        Instr::I32Const(2),
        Instr::Plain(Op::I32Add),
        Instr::End,
    ]);
    assert_eq!(expr_text(&e), "global.get 0 i32.const 2 i32.add");
    assert_eq!(const_value(&e), None);
}

#[test]
fn hand_built_module() {
    let m = add_module();
    let d = dump(
        &m,
        &[],
        DumpOptions {
            instructions: true,
            data: true,
        },
    );
    let v: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
    assert_eq!(v["schema_version"], SCHEMA_VERSION);
    assert_eq!(
        v["functions"][0]["params"],
        serde_json::json!(["i32", "i32"])
    );
    assert_eq!(v["functions"][0]["instruction_count"], 4);
    let ins = &v["functions"][0]["instructions"];
    assert_eq!(
        ins[0],
        serde_json::json!({"offset": 35, "op": "local.get", "local": 0})
    );
    assert_eq!(ins[2], serde_json::json!({"offset": 39, "op": "i32.add"}));
    // No source bytes: the body offset cannot be derived, and says so.
    assert_eq!(v["functions"][0]["body_offset"], serde_json::Value::Null);
    assert_eq!(
        v["exports"][0],
        serde_json::json!({"name": "add", "kind": "func", "index": 0})
    );
    assert_eq!(v["names"], serde_json::Value::Null);
}

#[test]
fn compact_and_pretty_hold_the_same_value() {
    let m = add_module();
    let d = dump(
        &m,
        &[],
        DumpOptions {
            instructions: true,
            data: false,
        },
    );
    let mut compact = Vec::new();
    write_json_compact(&mut compact, &d).unwrap();
    assert_eq!(compact.iter().filter(|&&b| b == b'\n').count(), 1);
    let a: serde_json::Value = serde_json::from_slice(&compact).unwrap();
    let b: serde_json::Value = serde_json::from_str(&to_json(&d)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn instructions_only_on_request() {
    let m = add_module();
    let v: serde_json::Value =
        serde_json::from_str(&to_json(&dump(&m, &[], DumpOptions::default()))).unwrap();
    assert!(v["functions"][0].get("instructions").is_none());
}

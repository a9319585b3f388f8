//! Tests of [`crate::bodies::Bodies`].

use crate::bodies::Bodies;
use crate::testutil::{func, ins, module};
use wtool_ast::{Features, Instr, Module};

fn three() -> Module {
    module(
        &["i32 -> i32", "-> i32"],
        vec![
            func(0, "", "local.get 0 i32.const 1 i32.add"),
            func(1, "", "i32.const 7 call 0"),
            func(1, "i32", "block:i32 i32.const 2 end local.tee 0"),
        ],
    )
}

fn packed(m: &mut Module) -> Bodies {
    Bodies::pack(m, Features::default(), None)
}

#[test]
fn packing_and_opening_give_the_module_back() {
    let mut m = three();
    let before = m.clone();
    let mut b = packed(&mut m);
    assert_eq!(b.packed_count(), 3);
    assert!(m.funcs.iter().all(|f| f.body.instrs.is_empty()));
    assert_eq!(b.materialize(&m), before);
    assert_eq!(b.len_of(&m, 2), before.funcs[2].body.instrs.len());
    b.open_all(&mut m);
    assert_eq!(m, before);
}

#[test]
fn a_body_with_offsets_stays_decoded() {
    let mut m = three();
    m.funcs[1].body.offsets = vec![10, 12, 14];
    let b = packed(&mut m);
    assert_eq!(b.packed_count(), 2);
    assert!(b.bytes(1).is_none());
    assert_eq!(m.funcs[1].body.instrs, ins("i32.const 7 call 0"));
}

#[test]
fn scan_and_get_read_each_body_in_order() {
    let mut m = three();
    let before = m.clone();
    let b = packed(&mut m);
    let mut seen = Vec::new();
    b.scan(&m, |def, instrs| seen.push((def, instrs.to_vec())));
    let want: Vec<(usize, Vec<Instr>)> = before
        .funcs
        .iter()
        .enumerate()
        .map(|(d, f)| (d, f.body.instrs.clone()))
        .collect();
    assert_eq!(seen, want);
    assert_eq!(&*b.get(&m, 1), &before.funcs[1].body.instrs[..]);
}

#[test]
fn rewrite_keeps_the_bytes_of_unchanged_bodies() {
    let mut m = three();
    let mut b = packed(&mut m);
    let old0 = b.bytes(0).map(<[u8]>::as_ptr);
    let changed = b.rewrite(&mut m, |_, unit| {
        if unit.def != 1 {
            return false;
        }
        unit.func.body.instrs[0] = Instr::I32Const(8);
        true
    });
    assert!(changed);
    // Not re-encoded: the same allocation.
    assert_eq!(b.bytes(0).map(<[u8]>::as_ptr), old0);
    assert_eq!(b.packed_count(), 3);
    assert_eq!(&*b.get(&m, 1), &ins("i32.const 8 call 0")[..]);
    assert!(!b.rewrite(&mut m, |_, _| false));
}

#[test]
fn retain_and_permute_follow_the_functions() {
    let mut m = three();
    let before = m.clone();
    let mut b = packed(&mut m);
    b.permute(&[2, 0, 1]);
    m.funcs = vec![m.funcs[2].clone(), m.funcs[0].clone(), m.funcs[1].clone()];
    assert_eq!(&*b.get(&m, 0), &before.funcs[2].body.instrs[..]);
    assert_eq!(&*b.get(&m, 2), &before.funcs[1].body.instrs[..]);
    b.retain(|d| d != 1);
    m.funcs.remove(1);
    assert_eq!(&*b.get(&m, 1), &before.funcs[1].body.instrs[..]);
}

#[test]
fn encoding_and_validation_see_the_held_bodies() {
    let mut m = three();
    let bytes = wtool_binary::encode(&m);
    let b = packed(&mut m);
    let mut out = Vec::new();
    b.encode_into(m.clone(), &mut out).unwrap();
    assert_eq!(out, bytes);
    assert_eq!(b.encoded_size(&m), bytes.len());
    assert!(b.validate(&m, Features::default()).is_ok());
    // A body that leaves the wrong type: the same error as the whole-module validator's.
    let mut bad = three();
    bad.funcs[1].body.instrs = ins("i64.const 7");
    let want = wtool_validate::validate(&bad, Features::default()).unwrap_err();
    let b = packed(&mut bad);
    assert_eq!(b.packed_count(), 3);
    assert_eq!(b.validate(&bad, Features::default()).unwrap_err(), want);
}

//! Focused behaviour of the public API: placement of custom sections, the
//! name section's raw-vs-canonical rule, explicit-index segments, section
//! layout and error offsets.

use wtool_ast::{CustomPlace, Instr, Module, Names, Origin, SectionId};
use wtool_binary::{decode, encode, ErrorKind};

fn wat(src: &str) -> Vec<u8> {
    wat::parse_str(src).unwrap()
}

#[test]
fn custom_sections_keep_their_place() {
    let src = r#"(module
        (@custom "first" (before first) "a")
        (type (func))
        (@custom "after-type" (after type) "b")
        (func (type 0))
        (@custom "last" (after last) "c"))"#;
    let bytes = wat(src);
    let m = decode(&bytes).unwrap();
    let places: Vec<_> = m
        .customs
        .iter()
        .map(|c| (c.name.as_str(), c.place))
        .collect();
    assert_eq!(places[0], ("first", CustomPlace::Before(SectionId::Type)));
    assert_eq!(
        places[1],
        ("after-type", CustomPlace::After(SectionId::Type))
    );
    assert_eq!(places[2], ("last", CustomPlace::After(SectionId::Code)));
    assert_eq!(encode(&m), bytes);
    // Section layout is recorded for the dump, custom sections included.
    let ids: Vec<u8> = m.sections.iter().map(|s| s.id).collect();
    assert_eq!(ids, [0, 1, 0, 3, 10, 0]);
    let s = &m.sections[1];
    assert_eq!(bytes[s.offset as usize], 1);
    assert_eq!(
        s.payload_offset as usize + s.size as usize,
        m.sections[2].offset as usize
    );
    assert_eq!(m.origin, Origin::Binary);
}

#[test]
fn name_section_canonical_is_decoded_and_rewritten() {
    let bytes =
        wat("(module $m (func $f (param $x i32) (local $y i64)) (global $g i32 (i32.const 0)))");
    let m = decode(&bytes).unwrap();
    let names = m.names.as_ref().unwrap();
    assert_eq!(names.module.as_deref(), Some("m"));
    assert_eq!(names.funcs, vec![(0, "f".to_string())]);
    assert_eq!(
        names.locals,
        vec![(0, vec![(0, "x".to_string()), (1, "y".to_string())])]
    );
    assert_eq!(names.globals, vec![(0, "g".to_string())]);
    let c = m.customs.iter().find(|c| c.name == "name").unwrap();
    assert!(
        c.data.is_empty(),
        "canonical name sections are not kept raw"
    );
    assert_eq!(encode(&m), bytes);
    // Editing the names changes the output.
    let mut m2 = m.clone();
    m2.names.as_mut().unwrap().funcs[0].1 = "renamed".into();
    let m3 = decode(&encode(&m2)).unwrap();
    assert_eq!(Names::lookup(&m3.names.unwrap().funcs, 0), Some("renamed"));
}

#[test]
fn non_canonical_name_section_is_kept_raw() {
    // Function names out of order plus an empty subsection: decodable, not canonical.
    let payload = [1u8, 7, 2, 1, 1, b'b', 0, 1, b'a', 4, 1, 0];
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.push(0);
    bytes.push((payload.len() + 5) as u8);
    bytes.extend_from_slice(b"\x04name");
    bytes.extend_from_slice(&payload);
    let m = decode(&bytes).unwrap();
    assert_eq!(m.names.as_ref().unwrap().funcs.len(), 2);
    assert_eq!(m.customs[0].data, payload);
    assert_eq!(encode(&m), bytes);
}

#[test]
fn module_without_layout_gets_a_name_section() {
    let mut m = Module {
        origin: Origin::Text,
        ..Module::default()
    };
    m.names = Some(Names {
        module: Some("x".into()),
        ..Names::default()
    });
    let bytes = encode(&m);
    let back = decode(&bytes).unwrap();
    assert_eq!(back.names.unwrap().module.as_deref(), Some("x"));
}

#[test]
fn explicit_index_segments_round_trip() {
    // Data flag 2 and element flag 2 naming index 0, next to the short forms.
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend_from_slice(b"\x04\x04\x01\x70\x00\x01"); // table 1 funcref
    bytes.extend_from_slice(b"\x05\x03\x01\x00\x01"); // memory 1
    bytes.extend_from_slice(b"\x09\x0d\x02\x02\x00\x41\x00\x0b\x00\x00\x00\x41\x00\x0b\x00");
    bytes.extend_from_slice(b"\x0b\x0e\x02\x02\x00\x41\x00\x0b\x01x\x00\x41\x01\x0b\x01y");
    let m = decode(&bytes).unwrap();
    assert!(m.datas[0].explicit_index && !m.datas[1].explicit_index);
    assert!(m.elems[0].explicit_index && !m.elems[1].explicit_index);
    assert_eq!(encode(&m), bytes);
}

#[test]
fn instruction_offsets_are_file_offsets() {
    let bytes = wat("(module (func (result i32) i32.const 1 i32.const 2 i32.add))");
    let m = decode(&bytes).unwrap();
    let f = &m.funcs[0];
    assert_eq!(bytes[f.offset as usize] as u32, f.size);
    let ops: Vec<u8> = f.body.offsets.iter().map(|&o| bytes[o as usize]).collect();
    assert_eq!(ops, [0x41, 0x41, 0x6a, 0x0b]);
    assert!(matches!(f.body.instrs[2], Instr::Plain(_)));
}

#[test]
fn errors_carry_offsets_and_spec_messages() {
    let cases: &[(&[u8], &str, usize)] = &[
        (b"", "unexpected end", 0),
        (b"\0asm\x02\0\0\0", "unknown binary version", 4),
        (b"\0asm\x01\0\0\0\x0e\0", "malformed section id", 8),
        (
            b"\0asm\x01\0\0\0\x01\x05\x01\x60\0\0",
            "length out of bounds",
            9,
        ),
        (
            b"\0asm\x01\0\0\0\x03\x01\x00\x01\x01\x00",
            "unexpected content after last section",
            11,
        ),
        (
            b"\0asm\x01\0\0\0\x03\x02\x01\x00",
            "function and code section have inconsistent lengths",
            12,
        ),
        (
            b"\0asm\x01\0\0\0\x0c\x01\x01",
            "data count and data section have inconsistent lengths",
            11,
        ),
        (
            b"\0asm\x01\0\0\0\x00\x03\x02\xff\xfe",
            "malformed UTF-8 encoding",
            11,
        ),
    ];
    for (bytes, msg, at) in cases {
        let e = decode(bytes).unwrap_err();
        assert_eq!(
            (e.to_string().as_str(), e.offset()),
            (*msg, *at),
            "{bytes:02x?}"
        );
    }
    let e = decode(b"\0asm\x01\0\0\0\x01\x01").unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::LengthOutOfBounds);
}

#[test]
fn standalone_function_bodies() {
    let body = [1, 2, 0x7f, 0x20, 0, 0x20, 1, 0x6a, 0x0b];
    let (locals, expr) =
        wtool_binary::decode_func_body(&body, wtool_ast::Features::default()).unwrap();
    assert_eq!(locals.len(), 1);
    assert_eq!(expr.offsets, [3, 5, 7, 8]);
    let mut out = Vec::new();
    wtool_binary::encode_expr(&mut out, &expr);
    assert_eq!(out, body[3..]);
    let e = wtool_binary::decode_func_body(&[0, 0x0b, 0x01], wtool_ast::Features::default())
        .unwrap_err();
    assert_eq!(
        (e.to_string().as_str(), e.offset()),
        ("section size mismatch", 2)
    );
}

//! Where decode errors say they are: section, entry (with its index in
//! the module's index space), field, and whether the input ends early.
//! The spec message and offset stay what the testsuite expects.

use wtool_ast::SectionId;
use wtool_binary::{decode, DecodeError, EntryKind, ErrorKind, SectionRef, Truncation};

fn wat(src: &str) -> Vec<u8> {
    wat::parse_str(src).unwrap()
}

fn err(bytes: &[u8]) -> DecodeError {
    decode(bytes).unwrap_err()
}

/// Offset of the first occurrence of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn truncated_body_names_the_function_and_counts_bytes() {
    // One import, then four bodies; the file is cut inside the last one.
    let bytes = wat(r#"(module
        (import "m" "f" (func))
        (func) (func) (func)
        (func (result i32)
            i32.const 1 i32.const 2 i32.add i32.const 3 i32.add
            i32.const 4 i32.add i32.const 5 i32.add i32.const 6 i32.add))"#);
    let last_body = bytes.len() - 25;
    let cut = &bytes[..last_body + 10];
    let e = err(cut);
    assert_eq!(e.to_string(), "length out of bounds");
    assert_eq!(e.kind(), &ErrorKind::LengthOutOfBounds);
    assert!(e.input_ends_early());
    let loc = e.location();
    assert_eq!(loc.section, Some(SectionRef::Id(SectionId::Code)));
    // Function index 4: the import is function 0.
    assert_eq!(loc.entry, Some((EntryKind::Function, 4)));
    assert_eq!(loc.field, Some("body"));
    let t = e.truncation().copied().unwrap();
    assert!(t.available < t.declared, "{t:?}");
    assert_eq!(loc.to_string(), "code section, function 4 body");
    // The offset is still the code section's size field, as the spec says.
    let code = decode(&bytes).unwrap().sections[3].clone();
    assert_eq!(code.id, 10);
    assert_eq!(e.offset(), code.offset as usize + 1);
}

#[test]
fn a_bad_size_inside_an_intact_file_is_not_truncation() {
    // A body size larger than the rest of the file, in a file that is whole.
    let mut bytes = wat("(module (func) (func))");
    let code = decode(&bytes).unwrap().sections[2].clone();
    let first_body_size = code.payload_offset as usize + 1;
    bytes[first_body_size] = 0x40;
    let e = err(&bytes);
    assert_eq!(e.kind(), &ErrorKind::LengthOutOfBounds);
    assert!(!e.input_ends_early());
    assert_eq!(e.location().entry, Some((EntryKind::Function, 0)));
    assert_eq!(
        e.truncation().copied(),
        Some(Truncation {
            declared: 0x40,
            available: (bytes.len() - first_body_size - 1) as u64
        })
    );
}

#[test]
fn fields_of_imports_exports_and_segments() {
    let mut bytes = wat(r#"(module (import "abc" "def" (func)) (func (export "xyz")))"#);
    let at = find(&bytes, b"def");
    bytes[at] = 0xff;
    let e = err(&bytes);
    assert_eq!(e.kind(), &ErrorKind::MalformedUtf8);
    assert_eq!(
        e.location().to_string(),
        "import section, import 0 field name"
    );

    let mut bytes = wat(r#"(module (func) (func (export "a")) (func (export "xyz")))"#);
    let at = find(&bytes, b"xyz");
    bytes[at + 3] = 7;
    let e = err(&bytes);
    assert_eq!(e.kind(), &ErrorKind::MalformedExportKind);
    assert_eq!(e.location().to_string(), "export section, export 1 kind");

    // Data bytes cut by the end of the file.
    let bytes = wat(r#"(module (memory 1) (data (i32.const 0) "0123456789"))"#);
    let cut = &bytes[..bytes.len() - 4];
    let e = err(cut);
    assert!(e.input_ends_early());
    assert_eq!(
        e.location().to_string(),
        "data section, data segment 0 bytes"
    );
    assert_eq!(
        e.truncation().copied(),
        Some(Truncation {
            declared: 10,
            available: 6
        })
    );
}

#[test]
fn globals_tables_and_memories_count_imports() {
    let mut bytes = wat(r#"(module
        (import "m" "g" (global i32))
        (global i32 (i32.const 0))
        (global i32 (i32.const 1)))"#);
    // The second defined global's init `i32.const 1` becomes an illegal opcode.
    let at = bytes.len() - 3;
    assert_eq!(bytes[at], 0x41);
    bytes[at] = 0xff;
    let e = err(&bytes);
    assert_eq!(
        e.location().to_string(),
        "global section, global 2 initializer"
    );
    let mut bytes =
        wat(r#"(module (import "m" "t" (table 1 funcref)) (memory 1) (table 1 funcref))"#);
    let table_section = decode(&bytes).unwrap().sections[1].clone();
    assert_eq!(table_section.id, 4);
    bytes[table_section.payload_offset as usize + 1] = 0x55;
    let e = err(&bytes);
    assert_eq!(
        e.location().to_string(),
        "table section, table 1 table type"
    );
}

#[test]
fn header_and_custom_sections() {
    let e = err(b"\0asm\x01\0");
    assert!(e.input_ends_early());
    assert_eq!(e.location().to_string(), "header, version");
    assert_eq!(e.to_string(), "unexpected end");

    let mut bytes = wat(r#"(module (@custom "producers" "0123456789"))"#);
    bytes.truncate(bytes.len() - 3);
    let e = err(&bytes);
    assert!(e.input_ends_early());
    assert_eq!(
        e.location().to_string(),
        "custom section \"producers\", contents"
    );
}

#[test]
fn equality_ignores_context() {
    let plain = DecodeError::new(3, ErrorKind::UnexpectedEnd);
    let located = DecodeError::new(3, ErrorKind::UnexpectedEnd)
        .in_section(SectionRef::Header)
        .in_field("version");
    assert_eq!(plain, located);
    assert!(plain.location().is_empty());
    // The innermost context wins: outer layers do not overwrite it.
    let e = located
        .in_section(SectionRef::Id(SectionId::Code))
        .in_field("body");
    assert_eq!(e.location().to_string(), "header, version");
}

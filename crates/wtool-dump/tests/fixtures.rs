//! `wtool dump` on the committed fixtures, checked against wasmparser (the
//! oracle): section layout, function bodies, every instruction's offset,
//! imports, exports, custom sections. Plus determinism and no panics on
//! damaged fixtures.

use serde_json::Value;
use std::path::PathBuf;
use wtool_dump::{dump, to_json, DumpOptions};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn fixture_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "fixtures missing: {files:?}");
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn dump_json(bytes: &[u8], opts: DumpOptions) -> Value {
    let module = wtool_binary::decode_with_features(bytes, wtool_ast::Features::ALL)
        .expect("fixture decodes");
    let json = to_json(&dump(&module, bytes, opts));
    serde_json::from_str(&json).unwrap()
}

/// What wasmparser sees in a module, in the shape of our dump.
#[derive(Default)]
struct Oracle {
    sections: Vec<(u8, usize, usize)>,
    bodies: Vec<(usize, usize, Vec<usize>)>,
    imports: Vec<(String, String)>,
    exports: Vec<(String, u32)>,
    customs: Vec<(String, usize, usize)>,
    num_imported_funcs: u32,
}

fn oracle(bytes: &[u8]) -> Oracle {
    use wasmparser::{Parser, Payload, TypeRef};
    let mut o = Oracle::default();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.unwrap();
        if let Some((id, range)) = payload.as_section() {
            o.sections
                .push((id, range.start as usize, (range.end - range.start) as usize));
        }
        match payload {
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp.unwrap();
                    if matches!(imp.ty, TypeRef::Func(_)) {
                        o.num_imported_funcs += 1;
                    }
                    o.imports
                        .push((imp.module.to_string(), imp.name.to_string()));
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.unwrap();
                    o.exports.push((e.name.to_string(), e.index));
                }
            }
            Payload::CustomSection(c) => {
                let r = c.range();
                o.customs.push((
                    c.name().to_string(),
                    r.start as usize,
                    (r.end - r.start) as usize,
                ))
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                let mut offsets = Vec::new();
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    let (_, off) = ops.read_with_offset().unwrap();
                    offsets.push(off as usize);
                }
                o.bodies.push((
                    range.start as usize,
                    (range.end - range.start) as usize,
                    offsets,
                ));
            }
            _ => {}
        }
    }
    o
}

fn u(v: &Value) -> usize {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}")) as usize
}

#[test]
fn dump_agrees_with_wasmparser_on_every_fixture() {
    let mut instructions = 0usize;
    for (name, bytes) in fixture_files() {
        let v = dump_json(
            &bytes,
            DumpOptions {
                instructions: true,
                data: false,
            },
        );
        let o = oracle(&bytes);
        assert_eq!(v["schema_version"], 1, "{name}");
        assert_eq!(v["origin"], "binary", "{name}");
        assert_eq!(u(&v["file_size"]), bytes.len(), "{name}");
        assert_eq!(v["version"], 1, "{name}");

        let sections: Vec<(u8, usize, usize)> = v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (u(&s["id"]) as u8, u(&s["payload_offset"]), u(&s["size"])))
            .collect();
        assert_eq!(sections, o.sections, "{name}: sections");

        let customs: Vec<(String, usize, usize)> = v["custom_sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_string(),
                    u(&c["payload_offset"]),
                    u(&c["size"]),
                )
            })
            .collect();
        assert_eq!(customs, o.customs, "{name}: custom sections");

        let imports: Vec<(String, String)> = v["imports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["module"].as_str().unwrap().into(),
                    i["name"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(imports, o.imports, "{name}: imports");

        let exports: Vec<(String, u32)> = v["exports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["name"].as_str().unwrap().into(), u(&e["index"]) as u32))
            .collect();
        assert_eq!(exports, o.exports, "{name}: exports");

        let funcs = v["functions"].as_array().unwrap();
        assert_eq!(funcs.len(), o.bodies.len(), "{name}: function count");
        for (i, (f, (start, len, offsets))) in funcs.iter().zip(&o.bodies).enumerate() {
            assert_eq!(u(&f["index"]), o.num_imported_funcs as usize + i, "{name}");
            assert_eq!(u(&f["body_offset"]), *start, "{name}: body of function {i}");
            assert_eq!(
                u(&f["body_size"]),
                *len,
                "{name}: body size of function {i}"
            );
            assert_eq!(
                u(&f["instruction_count"]),
                offsets.len(),
                "{name}: function {i}"
            );
            let ours: Vec<usize> = f["instructions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| u(&x["offset"]))
                .collect();
            assert_eq!(
                &ours, offsets,
                "{name}: instruction offsets of function {i}"
            );
            instructions += ours.len();
        }
    }
    println!("checked {instructions} instruction offsets against wasmparser");
}

#[test]
fn names_come_from_the_name_section() {
    let bytes = std::fs::read(fixtures_dir().join("kernels.wasm")).unwrap();
    let v = dump_json(&bytes, DumpOptions::default());
    let names: Vec<&str> = v["functions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    for want in ["fib", "sieve", "matmul", "crc32"] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let listed = v["names"]["functions"].as_array().unwrap();
    assert_eq!(listed.len(), names.len());
    // The exported `fib` is the function the name section calls `fib`.
    let fib_export = v["exports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "fib")
        .unwrap();
    let fib = v["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "fib")
        .unwrap();
    assert_eq!(fib_export["index"], fib["index"]);
}

#[test]
fn segments_and_data_flag() {
    let bytes = std::fs::read(fixtures_dir().join("hello.wasm")).unwrap();
    let plain = dump_json(&bytes, DumpOptions::default());
    let full = dump_json(
        &bytes,
        DumpOptions {
            instructions: false,
            data: true,
        },
    );
    let data = plain["data"].as_array().unwrap();
    assert!(!data.is_empty());
    for (d, f) in data.iter().zip(full["data"].as_array().unwrap()) {
        assert_eq!(d["mode"], "active");
        assert!(d.get("bytes").is_none());
        assert_eq!(f["bytes"].as_str().unwrap().len(), 2 * u(&f["size"]));
        assert_eq!(
            d["offset"].as_str().unwrap(),
            format!("i32.const {}", d["offset_value"])
        );
    }
    let elems = full["elements"].as_array().unwrap();
    for e in elems {
        assert_eq!(e["items"].as_array().unwrap().len(), u(&e["count"]));
    }
    assert!(plain["memories"][0]["min"].as_u64().unwrap() >= 1);
    assert_eq!(plain["globals"][0]["name"], "__stack_pointer");
}

#[test]
fn dump_is_deterministic() {
    let bytes = std::fs::read(fixtures_dir().join("kernels.wasm")).unwrap();
    let m = wtool_binary::decode(&bytes).unwrap();
    let opts = DumpOptions {
        instructions: true,
        data: true,
    };
    let a = to_json(&dump(&m, &bytes, opts));
    let b = to_json(&dump(&wtool_binary::decode(&bytes).unwrap(), &bytes, opts));
    assert_eq!(a, b);
}

/// Truncated and bit-flipped fixtures: whatever still decodes must dump
/// without a panic to JSON that parses.
#[test]
fn damaged_fixtures_never_panic() {
    let opts = DumpOptions {
        instructions: true,
        data: true,
    };
    let mut decoded = 0;
    let mut rejected = 0;
    let mut check = |bytes: &[u8]| match wtool_binary::decode(bytes) {
        Ok(m) => {
            let s = to_json(&dump(&m, bytes, opts));
            serde_json::from_str::<Value>(&s).unwrap();
            decoded += 1;
        }
        Err(e) => {
            assert!(e.offset() <= bytes.len(), "offset past the end: {e}");
            rejected += 1;
        }
    };
    for (name, bytes) in fixture_files() {
        // Every prefix of the small fixtures; ~300 prefixes of the big one.
        let step = (bytes.len() / 300).max(1);
        for len in (0..bytes.len()).step_by(step) {
            check(&bytes[..len]);
        }
        if bytes.len() < 100_000 {
            let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ bytes.len() as u64;
            for _ in 0..1000 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let mut b = bytes.clone();
                let i = (rng as usize) % b.len();
                b[i] ^= 1 << ((rng >> 32) % 8);
                check(&b);
            }
        }
        let _ = name;
    }
    println!("damaged fixtures: {decoded} decoded and dumped, {rejected} rejected");
    assert!(rejected > 0 && decoded > 0);
}

//! `decode_lazy` + `BodyReader` against the eager decoder: on every module
//! of the 2.0 spec testsuite (malformed ones included), on the fixtures and
//! on truncations of a fixture, the lazy module with its bodies streamed back
//! in equals the eager module, and the first error equals the eager error;
//! `decode_lazy_parts_with` (data, custom sections, exports and the whole
//! data section left in the input too) read back equals `decode_lazy`,
//! errors included.

use wtool_ast::{Expr, Features, Module};
use wtool_binary::{
    decode_lazy, decode_lazy_parts_with, decode_with_features, BodyReader, DecodeError, Leave,
};
use wtool_testsupport::{oracle_modules, v2_files};

/// Lazy decode, then every body streamed in order into the module.
fn lazy_full(bytes: &[u8], features: Features) -> Result<Module, DecodeError> {
    let (mut m, bodies) = decode_lazy(bytes, features)?;
    assert_eq!(bodies.len(), m.funcs.len());
    let has_dc = m.data_count.is_some();
    for range in &bodies {
        let mut expr = Expr::default();
        for item in BodyReader::new(bytes, range, features, has_dc) {
            let (at, instr) = item?;
            expr.instrs.push(instr);
            expr.offsets.push(at);
        }
        let f = &mut m.funcs[range.defined_index as usize];
        assert!(f.body.instrs.is_empty());
        f.body = expr;
    }
    Ok(m)
}

/// Lazy decode leaving bytes and exports (and, with `datas`, the data
/// section) in the input, then all of them (bodies included) read back
/// into the module.
fn parts_full(bytes: &[u8], features: Features, datas: bool) -> Result<Module, DecodeError> {
    let leave = Leave {
        exports: true,
        datas,
    };
    let (mut m, parts) = decode_lazy_parts_with(bytes, features, leave)?;
    assert_eq!(parts.bodies.len(), m.funcs.len());
    let has_dc = m.data_count.is_some();
    for range in &parts.bodies {
        let mut expr = Expr::default();
        BodyReader::new(bytes, range, features, has_dc).read_into(&mut expr)?;
        m.funcs[range.defined_index as usize].body = expr;
    }
    if let Some(left) = &parts.data_section {
        assert!(datas && m.datas.is_empty() && parts.datas.is_empty());
        assert_eq!(parts.num_datas(&m), left.count as usize);
        for seg in left.read(bytes, features) {
            let (mut d, range) = seg?;
            assert!(d.data.is_empty());
            d.data = bytes[range.start as usize..range.end as usize].to_vec();
            m.datas.push(d);
        }
        assert_eq!(m.datas.len(), left.count as usize);
    } else {
        assert_eq!(parts.datas.len(), m.datas.len());
        for (i, d) in m.datas.iter_mut().enumerate() {
            assert!(d.data.is_empty());
            d.data = parts.data(bytes, i).expect("data range").to_vec();
        }
    }
    finish_parts(bytes, features, m, &parts)
}

/// [`parts_full`]'s custom sections and exports read back.
fn finish_parts(
    bytes: &[u8],
    features: Features,
    mut m: Module,
    parts: &wtool_binary::LazyParts,
) -> Result<Module, DecodeError> {
    for (i, c) in m.customs.iter_mut().enumerate() {
        if let Some(b) = parts.custom(bytes, i) {
            assert!(c.data.is_empty());
            c.data = b.to_vec();
        }
    }
    assert!(m.exports.is_empty());
    if let Some(exports) = parts.read_exports(bytes, features) {
        m.exports = exports.collect::<Result<_, _>>()?;
    }
    Ok(m)
}

/// Checks one module; returns whether it decoded.
fn check(bytes: &[u8], features: Features, what: &str) -> bool {
    for datas in [false, true] {
        match (
            lazy_full(bytes, features),
            parts_full(bytes, features, datas),
        ) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}: parts (datas left: {datas})"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{what}: parts (datas left: {datas})"),
            (a, b) => panic!("{what}: lazy {a:?}, parts {b:?} (datas left: {datas})"),
        }
    }
    let eager = decode_with_features(bytes, features);
    match (&eager, lazy_full(bytes, features)) {
        (Ok(e), Ok(l)) => assert_eq!(e, &l, "{what}"),
        (Err(e), Err(l)) => {
            // A lazy decode that fails in a later section may have skipped
            // a malformed body before it; never the other way round.
            if decode_lazy(bytes, features).is_ok() {
                assert_eq!(e, &l, "{what}");
            } else {
                assert!(e.offset() <= l.offset(), "{what}: {e:?} vs {l:?}");
            }
        }
        (e, l) => panic!("{what}: eager {e:?}, lazy {l:?}"),
    }
    eager.is_ok()
}

#[test]
fn lazy_equals_eager_on_spec_suite() {
    let (mut ok, mut bad) = (0, 0);
    for file in v2_files() {
        let Ok(mods) = oracle_modules(&file) else {
            continue;
        };
        for m in mods {
            let Ok(bytes) = &m.bytes else { continue };
            let what = format!("{}:{}", file.path(), m.line);
            if check(bytes, Features::WASM2, &what) {
                ok += 1;
            } else {
                bad += 1;
            }
        }
    }
    println!("lazy = eager on {ok} decoded and {bad} malformed spec modules");
    assert!(ok > 3000 && bad > 500);
}

#[test]
fn lazy_equals_eager_on_fixtures_and_truncations() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fixtures").flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "wasm") {
            let bytes = std::fs::read(&p).expect("read");
            assert!(check(&bytes, Features::ALL, &p.display().to_string()));
            n += 1;
        }
    }
    assert!(n >= 2);
    // Every prefix of a small module: cuts inside a body, a section or the
    // code section's entry headers must give the same error either way.
    let bytes = std::fs::read(dir.join("add.wasm")).expect("add.wasm");
    for len in 8..bytes.len() {
        check(
            &bytes[..len],
            Features::WASM2,
            &format!("add.wasm[..{len}]"),
        );
    }
}

#[test]
fn body_reader_stops_after_trailing_bytes_error() {
    // One function whose body has a byte after its final `end`.
    let bytes = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x05\x01\x03\0\x0b\x01";
    let eager = decode_with_features(bytes, Features::WASM2).unwrap_err();
    assert_eq!(eager.to_string(), "section size mismatch");
    let (m, bodies) = decode_lazy(bytes, Features::WASM2).unwrap();
    let mut rd = BodyReader::new(bytes, &bodies[0], Features::WASM2, m.data_count.is_some());
    assert_eq!(rd.next().unwrap().unwrap(), (23, wtool_ast::Instr::End));
    assert_eq!(rd.next().unwrap().unwrap_err(), eager);
    assert!(rd.next().is_none());
}

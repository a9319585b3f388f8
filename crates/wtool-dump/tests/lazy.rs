//! `dump_lazy` on a module whose bodies, data segments and exports were
//! left in the input (`decode_lazy_parts_with`) writes exactly the JSON of `dump` on the
//! whole decoded module, for every fixture and every option.

use wtool_ast::Features;
use wtool_dump::{dump, dump_lazy, write_json, write_json_compact, DumpOptions, LazyBodies};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let out = wtool_testsupport::fixture_modules();
    assert!(out.len() >= 10, "fixtures found: {}", out.len());
    out
}

#[test]
fn lazy_dump_is_the_eager_dump() {
    let mut checked = 0;
    for (name, bytes) in fixtures() {
        let module = wtool_binary::decode_with_features(&bytes, Features::ALL).expect("decode");
        let leave = wtool_binary::Leave {
            exports: true,
            datas: false,
        };
        let (lazy, parts) =
            wtool_binary::decode_lazy_parts_with(&bytes, Features::ALL, leave).expect("decode");
        let bodies = LazyBodies {
            bytes: &bytes,
            ranges: &parts.bodies,
            features: Features::ALL,
            has_data_count: lazy.data_count.is_some(),
            parts: Some(&parts),
        };
        for (instructions, data) in [(false, false), (true, false), (false, true), (true, true)] {
            let opts = DumpOptions { instructions, data };
            let want = dump(&module, &bytes, opts);
            let got = dump_lazy(&lazy, &bodies, opts).expect("dump");
            let (mut a, mut b) = (Vec::new(), Vec::new());
            write_json(&mut a, &want).expect("write");
            write_json(&mut b, &got).expect("write");
            assert!(a == b, "{name}: {opts:?}: pretty JSON differs");
            let (mut a, mut b) = (Vec::new(), Vec::new());
            write_json_compact(&mut a, &want).expect("write");
            write_json_compact(&mut b, &got).expect("write");
            assert!(a == b, "{name}: {opts:?}: compact JSON differs");
            assert_eq!(got.functions.len(), module.funcs.len());
            checked += 1;
        }
    }
    println!("{checked} dumps compared");
}

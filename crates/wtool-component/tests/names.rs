//! The extern-name and label rules (`wtool_component::validate::names`):
//! each rule with the reference tests' messages, then verdicts and
//! messages against wasmparser on names from the reference tests and
//! mutants of them.

use wtool_component::validate::names::*;

fn err(name: &str) -> String {
    match parse_name(name) {
        Ok(k) => panic!("`{name}` accepted as {k:?}"),
        Err(m) => m,
    }
}

#[test]
fn kebab_labels() {
    for ok in [
        "a",
        "a1",
        "a-1",
        "a-1-b-2-c-3",
        "B",
        "B1",
        "B-1",
        "B-1-C-2-D-3",
        "a11-B11-123-ABC-abc",
        "a-0b",
        "a0-000-3d4a-54FF",
    ] {
        assert!(is_kebab(ok), "{ok}");
        assert_eq!(parse_name(ok), Ok(NameKind::Label(ok)));
    }
    for bad in [
        "",
        "1",
        "1-a",
        "a-",
        "a--",
        "-a",
        "a--b",
        "aBc",
        "Foo",
        "a0-000-3d4A-54Ff",
        "a_b",
        "é",
        "a b",
        "a-0B1c",
    ] {
        assert!(!is_kebab(bad), "{bad}");
        assert_eq!(err(bad), format!("`{bad}` is not in kebab case"));
    }
}

#[test]
fn label_messages() {
    assert_eq!(
        check_label("record field", "GoNnA"),
        Err("record field name `GoNnA` is not in kebab case".into())
    );
    assert_eq!(
        check_label("variant case", "GIVe"),
        Err("variant case name `GIVe` is not in kebab case".into())
    );
    assert_eq!(
        check_label("enum tag", "NevEr"),
        Err("enum tag name `NevEr` is not in kebab case".into())
    );
    assert_eq!(
        check_label("function parameter", "yOu"),
        Err("function parameter name `yOu` is not in kebab case".into())
    );
    assert_eq!(
        check_label("record field", ""),
        Err("record field name cannot be empty".into())
    );
    assert_eq!(check_label("flag", "x-Y-1"), Ok(()));
}

#[test]
fn label_uniqueness_ignores_case() {
    let mut s = LabelSet::new();
    assert_eq!(s.insert("foo"), Ok(()));
    assert_eq!(s.insert("FOO"), Err("foo".into()));
    assert_eq!(s.insert("a-B-c-D"), Ok(()));
    assert_eq!(s.insert("A-b-C-d"), Err("a-B-c-D".into()));
    // `-` counts (wasmparser 0.263 would refuse these).
    assert_eq!(s.insert("foo-bar"), Ok(()));
    assert_eq!(s.insert("foobar"), Ok(()));
    assert_eq!(s.insert("f-oo"), Ok(()));
}

#[test]
fn interface_names() {
    for ok in [
        "wasi:http/types",
        "wasi:http/types@1.0.0",
        "a-b:c-d/e-f@123456.7890.488",
        "ns-1-a:b-1-c/D-2",
        "a:b/c@0.0.0-abcd.1.2+efg.4.ee.5",
        // The version is checked apart (check_interface_version).
        "a:b/c@",
        "a:b/c@x/y:z",
    ] {
        assert_eq!(parse_name(ok), Ok(NameKind::Interface(ok)), "{ok}");
    }
    let cases = [
        ("1:a/b", "`1` is not in kebab case"),
        ("wasi:http/TyPeS", "`TyPeS` is not in kebab case"),
        ("WaSi:http/types", "`WaSi` is not in kebab case"),
        ("wasi:HtTp/types", "`HtTp` is not in kebab case"),
        ("wasi:", "`` is not in kebab case"),
        ("wasi:/", "`` is not in kebab case"),
        (":/", "`` is not in kebab case"),
        (
            "A:b/c",
            "character `A` is not lowercase in package name/namespace",
        ),
        (
            "ns-A:b/c",
            "character `A` is not lowercase in package name/namespace",
        ),
        (
            "ns:A/b",
            "character `A` is not lowercase in package name/namespace",
        ),
        ("ns:1/a", "`1` is not in kebab case"),
        ("a/b:c", "expected `:` at `/b:c`"),
        ("foo:bar:baz/qux", "expected `/` after package name"),
        ("foo:bar", "expected `/` after package name"),
        ("foo:bar/baz/qux", "trailing characters found: `/qux`"),
        ("a:b/c.d", "trailing characters found: `.d`"),
        ("[method]a:b", "`` is not in kebab case"),
    ];
    for (name, msg) in cases {
        assert_eq!(err(name), msg, "{name}");
    }
    // Without `:` it is a plain name.
    assert_eq!(err("wasi/http"), "`wasi/http` is not in kebab case");
}

#[test]
fn nested_names_are_gated() {
    let f = NameFeatures {
        nested_names: true,
        ..NameFeatures::default()
    };
    for n in ["foo:bar:baz/qux", "foo:bar/baz/qux", "a:b:c/d/e@1.0.0"] {
        assert_eq!(parse_name_with(n, f), Ok(NameKind::Interface(n)));
    }
}

#[test]
fn resource_function_names() {
    assert_eq!(parse_name("[constructor]a"), Ok(NameKind::Constructor("a")));
    assert_eq!(
        parse_name("[method]a-0.b-1"),
        Ok(NameKind::Method {
            resource: "a-0",
            name: "b-1",
            accessor: None
        })
    );
    assert_eq!(
        parse_name("[static]a.b"),
        Ok(NameKind::Static {
            resource: "a",
            name: "b",
            accessor: None
        })
    );
    let cases = [
        ("[constructor]", "`` is not in kebab case"),
        ("[method]", "failed to find `.` character"),
        ("[method]a", "failed to find `.` character"),
        ("[method]a.", "`` is not in kebab case"),
        ("[method].a", "`` is not in kebab case"),
        ("[method]a.b.c", "`b.c` is not in kebab case"),
        ("[static]", "failed to find `.` character"),
        ("[static]a", "failed to find `.` character"),
        ("[static]a.b.c", "`b.c` is not in kebab case"),
        ("[foo]a", "`[foo]a` is not in kebab case"),
        ("[constructor]a.b", "`a.b` is not in kebab case"),
        ("[method]aB.c", "`aB` is not in kebab case"),
    ];
    for (name, msg) in cases {
        assert_eq!(err(name), msg, "{name}");
    }
}

#[test]
fn accessors_are_gated() {
    let gated = "`[get]` and `[set]` names require the component model accessors feature";
    for n in ["[get]a", "[set]a", "[method][get]a.b", "[static][set]a.b"] {
        assert_eq!(err(n), gated);
    }
    let f = NameFeatures {
        accessors: true,
        ..NameFeatures::default()
    };
    assert_eq!(
        parse_name_with("[set]a", f),
        Ok(NameKind::Accessor {
            accessor: Accessor::Set,
            name: "a"
        })
    );
    assert_eq!(
        parse_name_with("[method][get]a.b", f),
        Ok(NameKind::Method {
            resource: "a",
            name: "b",
            accessor: Some(Accessor::Get)
        })
    );
    assert_eq!(
        parse_name_with("[constructor][get]a", f),
        Err("names with [constructor] cannot contain [get] or [set]".into())
    );
    assert_eq!(
        parse_name_with("[method][foo]a.b", f),
        Err("`[foo]a` is not in kebab case".into())
    );
}

#[test]
fn versions() {
    let v = |n: &str| check_interface_version(n, None);
    assert_eq!(v("a:b/c"), Ok(()));
    for ok in [
        "a:b/c@1.0.0",
        "a:b/c@0.0.0+abcd",
        "a:b/c@0.0.0+abcd-efg",
        "a:b/c@0.0.0-abcd+efg",
        "a:b/c@0.0.0-abcd.1.2+efg.4.ee.5",
        "a:b/c@1.0.0-0.a",
        "a:b/c@1.0.0+001",
    ] {
        assert_eq!(v(ok), Ok(()), "{ok}");
    }
    let cases = [
        ("a:b/c@", "empty string, expected a semver version"),
        (
            "a:b/c@.",
            "unexpected character '.' while parsing major version number",
        ),
        (
            "a:b/c@1.",
            "unexpected end of input while parsing minor version number",
        ),
        (
            "a:b/c@1",
            "unexpected end of input while parsing major version number",
        ),
        (
            "a:b/c@a.2",
            "unexpected character 'a' while parsing major version number",
        ),
        (
            "a:b/c@2.b",
            "unexpected character 'b' while parsing minor version number",
        ),
        (
            "a:b/c@2.0x0",
            "unexpected character 'x' after minor version number",
        ),
        ("a:b/c@2.0.0+", "empty identifier segment in build metadata"),
        (
            "a:b/c@2.0.0-",
            "empty identifier segment in pre-release identifier",
        ),
        (
            "a:b/c@2.0.0-a..b",
            "empty identifier segment in pre-release identifier",
        ),
        (
            "a:b/c@01.0.0",
            "invalid leading zero in major version number",
        ),
        (
            "a:b/c@1.0.0-01",
            "invalid leading zero in pre-release identifier",
        ),
        (
            "a:b/c@1.0.0 ",
            "unexpected character ' ' after patch version number",
        ),
        (
            "a:b/c@1.0.0-a+b@",
            "unexpected character '@' after build metadata",
        ),
        (
            "a:b/c@18446744073709551616.0.0",
            "value of major version number exceeds u64::MAX",
        ),
    ];
    for (name, msg) in cases {
        assert_eq!(
            v(name),
            Err(format!("invalid interface version: {msg}")),
            "{name}"
        );
    }
}

#[test]
fn version_suffixes() {
    let s = check_interface_version;
    assert_eq!(s("a:b/c@0.2", Some(".1")), Ok(()));
    assert_eq!(s("a:b/c@1", Some(".2.3+b")), Ok(()));
    assert_eq!(s("a:b/c@0.0.1", Some("+b")), Ok(()));
    assert_eq!(
        s("a:b/c", Some(".1")),
        Err(
            "invalid interface version: a version suffix requires the name to have a version"
                .into()
        )
    );
    assert_eq!(
        s("a:b/c@1.2", Some(".3")),
        Err("invalid interface version: `1.2` is not the canonical version of `1.2.3`".into())
    );
    assert_eq!(
        s("a:b/c@1.0.0-rc1", Some("+b")),
        Ok(()),
        "a pre-release is canonical as a whole"
    );
    assert_eq!(
        s("a:b/c@1.0", Some(".0-rc1")),
        Err("invalid interface version: `1.0` is not the canonical version of `1.0.0-rc1`".into())
    );
    assert_eq!(
        s("a:b/c@0.2", Some(".")),
        Err(
            "invalid interface version: unexpected end of input while parsing patch version number"
                .into()
        )
    );
    assert_eq!(with_version_suffix("a:b/c@0.2", Some(".1")), "a:b/c@0.2.1");
    assert_eq!(with_version_suffix("a", Some(".1")), "a");
}

#[test]
fn attributes() {
    let f = NameFeatures::default();
    let chk = |name: &str, imp: Option<&str>, inst: bool| {
        let kind = parse_name(name).unwrap();
        let attrs = NameAttrs {
            implements: imp,
            ..NameAttrs::default()
        };
        check_attributes(name, kind, attrs, inst, f)
    };
    assert_eq!(chk("a", Some("a:b/c"), true), Ok(()));
    assert_eq!(chk("my-label", Some("ns:pkg/iface@1.0.0"), true), Ok(()));
    assert_eq!(
        chk("a", Some("not-valid"), true),
        Err("name `not-valid` must be an interface".into())
    );
    assert_eq!(
        chk("a", Some(""), true),
        Err("`` is not a valid name: `` is not in kebab case".into())
    );
    assert_eq!(
        chk("a", Some("a:b/c"), false),
        Err("only instances can have an `implements`".into())
    );
    assert_eq!(
        chk("a1:b/c", Some("a2:b/c"), true),
        Err("name `a1:b/c` is not valid with `implements`".into())
    );
    assert_eq!(
        chk("[constructor]a", Some("a2:b/c"), true),
        Err("name `[constructor]a` is not valid with `implements`".into())
    );
    assert_eq!(
        chk("a", Some("a:b/c@1"), true),
        Err(
            "invalid interface version: unexpected end of input while parsing major version number"
                .into()
        )
    );
    // version-suffix is gated, then instance-only, non-empty, on interfaces.
    let suffix = |name: &str, imp: Option<&str>, s: &str, inst: bool, f: NameFeatures| {
        let attrs = NameAttrs {
            implements: imp,
            version_suffix: Some(s),
            external_id: None,
        };
        check_attributes(name, parse_name(name).unwrap(), attrs, inst, f)
    };
    assert_eq!(
        suffix("a:b/c@0.2", None, ".1", true, f),
        Err("the `cm-canon-names` feature is not active".into())
    );
    let f = NameFeatures {
        canon_names: true,
        ..f
    };
    assert_eq!(suffix("a:b/c@0.2", None, ".1", true, f), Ok(()));
    assert_eq!(
        suffix("a:b/c@0.2", None, ".1", false, f),
        Err("only instances can have a `version-suffix`".into())
    );
    assert_eq!(
        suffix("a:b/c@0.2", None, "", true, f),
        Err("version suffix cannot be empty".into())
    );
    assert_eq!(
        suffix("a", None, ".1", true, f),
        Err("`version-suffix` requires an interface name or `implements`".into())
    );
    assert_eq!(suffix("a", Some("x:y/z@0.2"), ".1", true, f), Ok(()));
    assert_eq!(
        suffix("a", Some("x:y/z@1.2"), ".1", true, f),
        Err("invalid interface version: `1.2` is not the canonical version of `1.2.1`".into())
    );
    let no_impl = NameFeatures {
        implements: false,
        ..NameFeatures::default()
    };
    let ext = NameAttrs {
        external_id: Some("id"),
        ..NameAttrs::default()
    };
    assert_eq!(
        check_attributes("a", NameKind::Label("a"), ext, false, no_impl),
        Err("the `cm-implements` feature is not active".into())
    );
    assert_eq!(
        check_attributes(
            "a",
            NameKind::Label("a"),
            ext,
            false,
            NameFeatures::default()
        ),
        Ok(())
    );
}

#[test]
fn strong_uniqueness() {
    let mut s = NameSet::new();
    for n in [
        "foo",
        "foo-bar",
        "[constructor]foo",
        "[method]foo.bar",
        "[static]foo.baz",
        "foo:bar/baz",
        "[get]prop",
        "[set]prop",
        "[method][set]foo.prop",
        "[method]foo.get-prop",
        "a:b/c",
        "a:b/c@1.0.0",
        "a:b/c@2.0.0",
        "a:b/c@1.0.0+build",
    ] {
        assert_eq!(s.insert(n), Ok(()), "{n}");
    }
    let conflicts = [
        ("foo", "foo"),
        ("FOO", "foo"),
        ("[method]foo.foo", "foo"),
        ("[get]foo", "foo"),
        ("[static][set]foo.FOO", "foo"),
        ("foo-BAR", "foo-bar"),
        ("[static]foo-BAR.FOO-bar", "foo-bar"),
        ("[constructor]FOO", "[constructor]foo"),
        ("[method]foo.BAR", "[method]foo.bar"),
        ("[static]foo.bar", "[method]foo.bar"),
        ("[method]foo.baz", "[static]foo.baz"),
        ("[method][get]foo.baz", "[static]foo.baz"),
        ("foo:bar/BAZ", "foo:bar/baz"),
        ("prop", "[get]prop"),
        ("[set]PROP", "[set]prop"),
        ("[static][set]foo.prop", "[method][set]foo.prop"),
        ("a:b/c@1.0.0", "a:b/c@1.0.0"),
    ];
    for (n, prev) in conflicts {
        assert_eq!(s.insert(n), Err(prev.to_string()), "{n}");
    }
    // Interface names never conflict with plain names, and versions are
    // compared exactly.
    for n in [
        "bar",
        "foo:bar-baz/qux",
        "a:b/c@1.0.0+Build",
        "a-b:c/d",
        "ab:c/d-e",
    ] {
        assert_eq!(s.insert(n), Ok(()), "{n}");
    }
    assert_eq!(s.insert("ab:c/D-E"), Err("ab:c/d-e".into()));
    // `-` counts, as in kebab.wast (wasmparser 0.263 drops it).
    for n in ["foobar", "f-oob-ar", "foo:bar/b-az", "ab:c/de", "a1", "a-1"] {
        assert_eq!(s.insert(n), Ok(()), "{n}");
    }
    // The previous name comes back with its version suffix.
    let mut s = NameSet::new();
    assert_eq!(s.insert_with_suffix("a:b/c@0.2", Some(".1")), Ok(()));
    assert_eq!(
        s.insert_with_suffix("a:b/c@0.2", Some(".2")),
        Err("a:b/c@0.2.1".into())
    );
    assert_eq!(s.len(), 1);
}

#[test]
fn nothing_panics() {
    let mut set = NameSet::new();
    let mut labels = LabelSet::new();
    let f = NameFeatures {
        accessors: true,
        nested_names: true,
        implements: true,
        canon_names: true,
    };
    for n in [
        "",
        ":",
        "@",
        "/",
        ".",
        "[",
        "]",
        "[method].",
        "[static]..",
        "a:@",
        "a:b/@@",
        "é:ü/ß@1",
        "a:b/c@\u{0}",
        "[get]",
        "[set][get]",
        ":::",
        "a:b:c:d/e/f/g@1.2.3-x+y",
    ] {
        let _ = parse_name(n);
        if let Ok(k) = parse_name_with(n, f) {
            let attrs = NameAttrs {
                implements: Some(n),
                version_suffix: Some(n),
                external_id: Some(n),
            };
            let _ = check_attributes(n, k, attrs, true, f);
        }
        let _ = check_interface_version(n, Some(n));
        let _ = set.insert(n);
        let _ = labels.insert(n);
        let _ = check_label("x", n);
    }
}

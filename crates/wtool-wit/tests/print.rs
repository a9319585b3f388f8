//! Differential tests of the WIT printer against wit-component's `WitPrinter`.

#[path = "common/oracle.rs"]
mod oracle;

#[test]
fn oracle_converts_a_package() {
    let mut r = wit_parser::Resolve::default();
    let pkg = r
        .push_str(
            "t.wit",
            "package a:b@1.0.0;\ninterface i { type t = u32; f: func(x: t) -> list<t>; }\nworld w { import i; }\n",
        )
        .unwrap();
    let ours = oracle::from_oracle(&r);
    assert_eq!(ours.packages.len(), r.packages.len());
    assert_eq!(ours.types.len(), r.types.len());
    assert_eq!(
        ours.package(oracle::package_id(pkg)).name.to_string(),
        "a:b@1.0.0"
    );
}

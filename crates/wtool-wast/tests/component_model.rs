//! The Component Model reference tests (vendor/component-model/test)
//! through the runner, counted per folder. test/binary and test/validation
//! are static (components, definitions, `assert_invalid`,
//! `assert_malformed`): all 584 directives pass, each rejection with the
//! script's message. The other folders run components, which wtool cannot
//! do yet: their counts are pinned so that a change in what passes (or a
//! directive no longer counted) shows up here.

use wtool_testsupport::component_model_files;
use wtool_wast::{run_script, Report, RunOptions};

/// The folder's scripts through the runner, with the features the reference
/// tests need (`wtool wast --features=+cm-error-context,…`).
fn run_folder(folder: &str) -> Report {
    let opts = RunOptions {
        features: wtool_testsupport::CM_REFERENCE_FEATURES,
        ..RunOptions::default()
    };
    let mut report = Report::default();
    for (path, text) in component_model_files() {
        if path.split(['/', '\\']).next() == Some(folder) {
            report.add(run_script(&path, text.as_bytes(), &opts));
        }
    }
    println!("{folder}: {}", report.summary());
    report
}

#[test]
fn binary_and_validation_all_pass() {
    let mut report = Report::default();
    for folder in ["binary", "validation"] {
        for f in run_folder(folder).files {
            report.add(f);
        }
    }
    for l in report.failure_lines() {
        println!("{l}");
    }
    let mismatches: Vec<String> = report
        .files
        .iter()
        .flat_map(|f| {
            f.directives
                .iter()
                .filter(|d| d.passed && d.kind.starts_with("assert_"))
                .map(move |d| format!("{}:{}: {}", f.file, d.line, d.got))
        })
        .collect();
    assert_eq!((report.passed, report.failed), (584, 0));
    let n: usize = report.files.iter().map(|f| f.message_mismatches).sum();
    assert_eq!(n, 0, "rejections with another message: {mismatches:#?}");
}

/// Folders whose scripts run components: (folder, passed, failed).
/// What passes is static (valid components without a start function,
/// valid definitions, `assert_invalid`); every run-time directive fails as
/// unsupported.
const RUNTIME_FOLDERS: &[(&str, usize, usize)] = &[
    ("values", 41, 180),
    ("resources", 7, 29),
    ("linking", 64, 208),
    ("async", 34, 278),
];

#[test]
fn runtime_folders_are_counted() {
    for &(folder, passed, failed) in RUNTIME_FOLDERS {
        let r = run_folder(folder);
        assert_eq!((r.passed, r.failed), (passed, failed), "{folder}");
        for f in &r.files {
            assert!(f.parse_error.is_none(), "{}: {:?}", f.file, f.parse_error);
            for d in f.failures() {
                let unsupported = d.got.starts_with("running components is not supported yet");
                assert!(unsupported, "{}:{}: {}: {}", f.file, d.line, d.kind, d.got);
            }
        }
    }
}

/// Every run-time directive is counted and fails with the reason.
#[test]
fn runtime_directives_fail_as_unsupported() {
    let src = br#"
(component definition $D
  (core module $m (func (export "f") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))
(component instance $i $D)
(assert_return (invoke "f") (u32.const 42))
(assert_trap (invoke "f" (list.const (str.const "x"))) "unreachable")
(invoke $i "f")
(component $C (core module $m (func $s) (start $s)) (core instance (instantiate $m)))
(assert_uninstantiable (component) "trap")
(assert_invalid (component (core instance (instantiate 0))) "unknown module")
(assert_malformed (component quote "(core") "expected `module`")
"#;
    let opts = RunOptions {
        features: wtool_testsupport::CM_REFERENCE_FEATURES,
        ..RunOptions::default()
    };
    let r = run_script("t.wast", src, &opts);
    let got: Vec<(&str, bool)> = r.directives.iter().map(|d| (d.kind, d.passed)).collect();
    assert_eq!(
        got,
        [
            ("component definition", true),
            ("component instance", false),
            ("assert_return", false),
            ("assert_trap", false),
            ("action", false),
            ("component", false),
            ("assert_uninstantiable", false),
            ("assert_invalid", true),
            ("assert_malformed", true),
        ]
    );
    for d in r.failures() {
        assert!(
            d.got.starts_with("running components is not supported yet"),
            "{}: {}",
            d.line,
            d.got
        );
    }
    assert_eq!(r.message_mismatches, 0, "{:#?}", r.directives);
}

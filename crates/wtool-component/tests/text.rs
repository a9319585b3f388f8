//! The component text parser (`wtool_text::component`) against the `wast`
//! oracle: every text- and quote-form component of the Component Model
//! reference tests parses and encodes to the oracle's bytes, and every
//! text- or quote-form `assert_malformed` (and every one the oracle
//! refuses) fails to parse.

use wtool_testsupport::{component_model_files, oracle_components, Expect, Form};

#[test]
fn every_text_component_encodes_as_wat_does() {
    let (mut same, mut malformed_refused) = (0, 0);
    let mut differ = Vec::new();
    let mut unparsed = Vec::new();
    let mut accepted_malformed = Vec::new();
    for (path, text) in component_model_files() {
        let Ok(comps) = oracle_components(&text) else {
            // The oracle cannot read cancellable.wast (reference.rs says why).
            continue;
        };
        for c in comps {
            // `quote` forms are parsed too: the parser unquotes them.
            if c.form == Form::Binary {
                continue;
            }
            let parsed = wtool_text::component::parse_component(c.source.as_bytes());
            match (&c.expect, &c.bytes) {
                (Expect::Malformed(_), _) | (_, Err(_)) => match parsed {
                    Err(_) => malformed_refused += 1,
                    Ok(_) => accepted_malformed.push(format!("{path}:{}", c.line)),
                },
                (_, Ok(bytes)) => match parsed {
                    Ok(comp) => {
                        let ours = wtool_component::encode(&comp);
                        if &ours == bytes {
                            same += 1;
                        } else {
                            let at = ours
                                .iter()
                                .zip(bytes)
                                .position(|(a, b)| a != b)
                                .unwrap_or(ours.len().min(bytes.len()));
                            differ.push(format!("{path}:{}: differs at byte {at}", c.line));
                            // CTEXT_DUMP=1 shows both encodings, for debugging.
                            if std::env::var_os("CTEXT_DUMP").is_some() {
                                eprintln!("ours:   {ours:02x?}\noracle: {bytes:02x?}");
                            }
                        }
                    }
                    Err(e) => {
                        let (l, col) = e.line_col(c.source.as_bytes());
                        unparsed.push(format!("{path}:{}: {l}:{col}: {e}", c.line));
                    }
                },
            }
        }
    }
    eprintln!(
        "{same} text/quote components byte-identical, {} differ, {} not parsed; \
         {malformed_refused} malformed/refused ones refused, {} accepted",
        differ.len(),
        unparsed.len(),
        accepted_malformed.len()
    );
    for d in differ.iter().chain(&unparsed).chain(&accepted_malformed) {
        eprintln!("  {d}");
    }
    assert!(
        differ.is_empty() && unparsed.is_empty() && accepted_malformed.is_empty(),
        "{} differ, {} not parsed, {} malformed accepted",
        differ.len(),
        unparsed.len(),
        accepted_malformed.len()
    );
    // 613 text-form components and 5 malformed quote forms when this
    // was written.
    assert!(same >= 613, "too few components found: {same}");
}

/// Bad input is an error, never a panic: every reference component cut
/// short at many points, and with a token dropped.
#[test]
fn truncated_and_damaged_sources_do_not_panic() {
    let mut tried = 0;
    for (_, text) in component_model_files() {
        let Ok(comps) = oracle_components(&text) else {
            continue;
        };
        for c in comps.iter().filter(|c| c.form == Form::Text) {
            let src = c.source.as_bytes();
            let step = (src.len() / 40).max(1);
            for cut in (0..src.len()).step_by(step) {
                let _ = wtool_text::component::parse_component(&src[..cut]);
                // Drop one byte: an unbalanced or misspelled form.
                let mut damaged = src.to_vec();
                damaged.remove(cut);
                let _ = wtool_text::component::parse_component(&damaged);
                tried += 2;
            }
        }
    }
    assert!(tried > 10_000, "{tried}");
}

/// Deep nesting is refused with an error, not a stack overflow.
#[test]
fn deep_nesting_is_an_error() {
    let n = 100_000;
    let nested = |open: &str, inner: &str, close: &str| {
        format!("(component {}{inner}{})", open.repeat(n), close.repeat(n))
    };
    for src in [
        nested("(component ", "", ")"),
        nested(
            "",
            &format!("(type {}u8{})", "(list ".repeat(n), ")".repeat(n)),
            "",
        ),
        nested("(type (instance ", "", "))"),
    ] {
        let e = wtool_text::component::parse_component(src.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("nesting too deep"), "{e}");
    }
    // Within the limit it parses and encodes as wat does.
    let src = format!("(component {}{})", "(component ".repeat(40), ")".repeat(40));
    let c = wtool_text::component::parse_component(src.as_bytes()).unwrap();
    assert_eq!(wtool_component::encode(&c), wat::parse_str(&src).unwrap());
}

/// Syntax the reference tests use little or not at all, against `wat`.
#[test]
fn hand_written_forms_match_wat() {
    let cases = [
        r#"(component $c (@name "named") (core module $m (@name "mod")))"#,
        r#"(component (@custom "hello" "world") (type $t u8) (@custom "after" "x"))"#,
        r#"(component (type $t (export "t") (export "u") (record (field "a" u8))))"#,
        r#"(component (import "f" (func $f (param "x" string) (result (list (tuple u8 s64))))))"#,
        r#"(component
             (core module $m (memory (export "m") 1) (func (export "f") (param i32 i32) (result i32) unreachable)
               (func (export "r") (param i32 i32 i32 i32) (result i32) unreachable))
             (core instance $i (instantiate $m))
             (alias core export $i "m" (core memory $mem))
             (type $ft (func (param "s" string) (result string)))
             (canon lift (core func $i "f") (memory $mem) (realloc (core func $i "r"))
               string-encoding=utf16 (func $lifted (type $ft)))
             (canon lift (core func $i "f") (memory (core memory $i "m")) string-encoding=latin1+utf16
               (func (param "s" string) (result string)))
             (export $e "lifted" (func $lifted) (func (type $ft))))"#,
        r#"(component
             (import "i" (instance $i (export "f" (func)) (export "g" (func (param "a" u32)))))
             (alias export $i "f" (func $f))
             (func $g (alias export $i "g"))
             (core func $lf (canon lower (func $f)))
             (core func $lg (canon lower (func $i "g") async))
             (core instance $ci (export "lf" (func $lf)) (export "lg" (func $lg)))
             (core func $again (alias core export $ci "lf"))
             (export "f2" (func $i "f")))"#,
        r#"(component
             (type $r (resource (rep i32)))
             (core func $new (canon resource.new $r))
             (core func $drop (canon resource.drop $r))
             (core func $rep (canon resource.rep (type $r)))
             (type $s (stream u8))
             (type $fu (future))
             (core func (canon stream.new $s))
             (core func (canon future.cancel-read $fu async))
             (core func (canon task.return (result u32)))
             (core func (canon context.get i32 0))
             (core func (canon backpressure.inc))
             (core func (canon subtask.cancel async))
             (core func (canon thread.yield))
             (core func (canon waitable-set.new)))"#,
        r#"(component
             (import "a" (instance $a (export "b" (instance (export "c" (func))))))
             (export "c" (func $a "b" "c")))"#,
        r#"(component $outer
             (type $t u32)
             (component $inner
               (type $u (list $t))
               (alias outer $outer $t (type $t2))
               (import "x" (func (param "p" $t2))))
             (instance (instantiate $inner)))"#,
        r#"(component
             (import "f" (func $f (result u32)))
             (import "v" (value $v u32))
             (start $f (value $v) (result (value $out))))"#,
        r#"(component
             (import "x" (implements "a:b/c") (instance))
             (import "y" (external-id "zz") (version-suffix "1.0") (func)))"#,
        r#"(component
             (import "m" (core module $m (import "a" "b" (func (param i32))) (export "c" (global i32))))
             (core module $n (import "a" "b" (func)))
             (core instance (instantiate $n (with "a" (instance (export "b" (func $x)))))) 
             (core func $x (canon backpressure.dec)))"#,
        r#"(component
             (core type $ft (func (param i32)))
             (core rec (type $a (struct)) (type $b (array i8)))
             (type $ct (component (import "a" (func)) (export "b" (func))))
             (type $it (instance (type $t u8) (export "t" (type (eq $t))) (export "r" (type (sub resource))))))"#,
        r#"(component binary "\00asm\0d\00\01\00")"#,
        r#"(component (type u8) (@producers (language "wat" "1.0") (processed-by "wtool" "0.1")) (type u16))"#,
        r#"(component (type $v (variant (case "a") (case "b" u8))) (type (enum "x" "y")) (type (flags "f"))
             (type (option $v)) (type (result u8 (error string))) (type (result)) (type (result (error u8)))
             (type (own 0)) (type (borrow 0)) (type (list u8 4)) (type (map string u32)))"#,
    ];
    let mut failures = Vec::new();
    for src in cases {
        let oracle = match wat::parse_str(src) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("the oracle refuses {src}: {e}"));
                continue;
            }
        };
        match wtool_text::component::parse_component(src.as_bytes()) {
            Ok(c) if wtool_component::encode(&c) == oracle => {}
            Ok(c) => failures.push(format!(
                "{src}\n  ours:   {:02x?}\n  oracle: {oracle:02x?}",
                wtool_component::encode(&c)
            )),
            Err(e) => failures.push(format!("{src}\n  {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The shared-everything-threads built-ins parse; they are encoded with the
/// reference tests' `shared` byte (as wtool_component encodes them), which
/// wat 1.263 leaves out, so they are checked by round trip, not against wat.
#[test]
fn spawn_built_ins_round_trip() {
    use wtool_component::ast::{Canon, Section, SpawnOp};
    let src = r#"(component
        (core type $ft (func (param i32)))
        (core module $m (table (export "t") 1 funcref))
        (core instance $i (instantiate $m))
        (core func (canon thread.spawn-ref $ft))
        (core func (canon thread.spawn-indirect $ft (core table $i "t")))
        (core func (canon thread.available-parallelism)))"#;
    let c = wtool_text::component::parse_component(src.as_bytes()).unwrap();
    let ops: Vec<SpawnOp> = c
        .sections
        .iter()
        .flat_map(|s| match s {
            Section::Canons(cs) => cs.clone(),
            _ => Vec::new(),
        })
        .filter_map(|c| match c {
            Canon::Spawn { op, .. } => Some(op),
            _ => None,
        })
        .collect();
    assert_eq!(ops.len(), 3);
    let bytes = wtool_component::encode(&c);
    let back = wtool_component::decode(&bytes, wtool_ast::Features::WASM3_THREADS).unwrap();
    assert_eq!(wtool_component::encode(&back), bytes);
}

/// Forms wat refuses are refused here too (except `cancellable`, which the
/// reference tests write and wat 1.263 no longer reads: see
/// `cancellable_as_the_reference_tests_write_it`).
#[test]
fn refused_like_wat() {
    let cases = [
        r#"(component (core instance $i) (core func (canon lift (func $i "f"))))"#,
        r#"(component (core instance $i) (func (canon lift (core func $i "f") (memory $i "m"))))"#,
        r#"(component (type u8 (@name "x")))"#,
        r#"(component (type $t u8) (type $t u8))"#,
        r#"(component (export "x" (func $nope)))"#,
        r#"(component (import "x" (func $x)) (component (export "x" (func $x))))"#,
        r#"(component (type (list)))"#,
        r#"(component (alias outer $nope 0 (type)))"#,
        r#"(component (import "a" (func)) extra)"#,
        r#"(component) (component)"#,
        r#"(component (import "a" (implements "x") (implements "y") (func)))"#,
        r#"(component (@custom "x" (after last) "y"))"#,
    ];
    let mut failures = Vec::new();
    for src in cases {
        assert!(wat::parse_str(src).is_err(), "wat accepts {src}");
        if wtool_text::component::parse_component(src.as_bytes()).is_ok() {
            failures.push(src);
        }
    }
    assert!(failures.is_empty(), "accepted: {failures:#?}");
}

/// `cancellable` on `waitable-set.wait`/`poll` and the thread built-ins, as
/// `async/cancellable.wast` writes it, sets the flag the binary carries.
#[test]
fn cancellable_as_the_reference_tests_write_it() {
    use wtool_component::ast::{Canon, FlagOp, Section};
    let src = r#"(component
        (core module $m (memory (export "mem") 1))
        (core instance $i (instantiate $m))
        (core func (canon waitable-set.wait cancellable (memory (core memory $i "mem"))))
        (core func (canon waitable-set.poll (memory (core memory $i "mem"))))
        (core func (canon thread.yield cancellable))
        (core func (canon thread.yield)))"#;
    let c = wtool_text::component::parse_component(src.as_bytes()).expect("it parses");
    let mut flags = Vec::new();
    for s in &c.sections {
        if let Section::Canons(cs) = s {
            for canon in cs {
                match canon {
                    Canon::WaitableSet { cancellable, .. } => flags.push(*cancellable),
                    Canon::Flagged {
                        op: FlagOp::ThreadYield,
                        flag,
                    } => flags.push(*flag),
                    _ => {}
                }
            }
        }
    }
    assert_eq!(flags, [true, false, true, false]);
}

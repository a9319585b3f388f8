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

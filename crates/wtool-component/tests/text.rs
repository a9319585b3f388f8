//! The component text parser (`wtool_text::component`) against the `wast`
//! oracle: every text-form component of the Component Model reference tests
//! parses and encodes to the oracle's bytes, and every text-form
//! `assert_malformed` fails to parse.

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
            if c.form != Form::Text {
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
        "{same} text components byte-identical, {} differ, {} not parsed; \
         {malformed_refused} malformed/refused ones refused, {} accepted",
        differ.len(),
        unparsed.len(),
        accepted_malformed.len()
    );
    for d in differ.iter().chain(&unparsed).chain(&accepted_malformed) {
        eprintln!("  {d}");
    }
    // Not covered yet (listed above when run with --nocapture): 6 differ
    // (core module types inside components, one name-section case) and 9
    // do not parse (core references to core instances/modules by export
    // name, non-numeric outer aliases in module types, `refines`-less
    // edge cases); see REPORT-ctext.md. The bound keeps it from regressing.
    assert!(
        accepted_malformed.is_empty() && same >= 598 && differ.len() + unparsed.len() <= 15,
        "{same} identical, {} differ, {} not parsed, {} malformed accepted",
        differ.len(),
        unparsed.len(),
        accepted_malformed.len()
    );
}

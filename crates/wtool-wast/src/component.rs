//! Components in scripts (the Component Model reference tests). They are
//! parsed or decoded and validated, as modules are; there is no component
//! runtime yet, so every directive that would run one (instantiating a
//! definition, actions on a component, assertions about instantiation)
//! fails with [`UNSUPPORTED`] and is counted, never skipped.

use wtool_ast::Features;
use wtool_component::ast::Section;
use wtool_component::Component;
use wtool_text::script::{ComponentAssertion, ComponentSource, ScriptComponent};

use crate::{outcome, BuildError, Outcome};

/// Why a directive that runs a component fails.
pub(crate) const UNSUPPORTED: &str = "running components is not supported yet";

/// Parses or decodes, then validates a component.
pub(crate) fn build(c: ScriptComponent, features: Features) -> Result<Component, BuildError> {
    // Text is validated through its encoding, as binary forms are: the
    // decoder's checks apply to both, and errors carry the same offsets.
    let bytes = match c.source {
        ComponentSource::Text(c) => wtool_component::encode(&c),
        ComponentSource::TextError(e) => return Err(BuildError::Malformed(e.to_string())),
        ComponentSource::Binary(b) => b,
        ComponentSource::Quote(q) => {
            let mut text = b"(component ".to_vec();
            text.extend(q);
            text.push(b')');
            let c = wtool_text::component::parse_component_with(&text, features)
                .map_err(|e| BuildError::Malformed(e.to_string()))?;
            wtool_component::encode(&c)
        }
    };
    let (c, offsets) = wtool_component::decode_with_offsets(&bytes, features)
        .map_err(|e| BuildError::Malformed(e.to_string()))?;
    wtool_component::validate(&c, Some(&offsets), features)
        .map_err(|e| BuildError::Invalid(e.message))?;
    Ok(c)
}

/// Whether instantiating `c` may run code of its own: it holds a component
/// start function or a core module with a start function, at any depth.
/// Over-approximated (a module or component it never instantiates counts
/// too): a component that passes without running must really not run.
pub(crate) fn may_run(c: &Component) -> bool {
    // A stack, not recursion: nesting depth comes from the input.
    let mut todo = vec![c];
    while let Some(c) = todo.pop() {
        for s in &c.sections {
            match s {
                Section::Start(_) => return true,
                Section::CoreModule(m) if m.start.is_some() => return true,
                Section::Component(inner) => todo.push(inner),
                _ => {}
            }
        }
    }
    false
}

/// The reference tests' messages are fragments of the error (wasmparser's
/// wording, which the runners there check with `contains`).
fn message_matches(got: &str, expected: &str) -> bool {
    got.contains(expected)
}

/// `assert_invalid`, `assert_malformed`, `assert_unlinkable`,
/// `assert_uninstantiable` or `assert_trap` over `c`.
pub(crate) fn assertion(
    assertion: ComponentAssertion,
    c: ScriptComponent,
    message: &str,
    features: Features,
) -> Outcome {
    let built = build(c, features);
    let exp = match assertion {
        ComponentAssertion::Invalid => format!("invalid: {message}"),
        ComponentAssertion::Malformed => format!("malformed: {message}"),
        ComponentAssertion::Unlinkable => format!("link error: {message}"),
        ComponentAssertion::Uninstantiable | ComponentAssertion::Trap => {
            format!("instantiation trap: {message}")
        }
    };
    match (assertion, built) {
        (ComponentAssertion::Invalid | ComponentAssertion::Malformed, Ok(_)) => {
            outcome(false, exp, "valid")
        }
        // The stage is not part of what these scripts state: the runners
        // they are written for decode and validate in one pass, so
        // `assert_malformed` and `assert_invalid` differ only in wording.
        (
            ComponentAssertion::Invalid | ComponentAssertion::Malformed,
            Err(BuildError::Malformed(e)),
        ) => {
            let mut o = outcome(true, exp, format!("malformed: {e}"));
            o.mismatch = !message_matches(&e, message);
            o
        }
        (
            ComponentAssertion::Invalid | ComponentAssertion::Malformed,
            Err(BuildError::Invalid(e)),
        ) => {
            let mut o = outcome(true, exp, format!("invalid: {e}"));
            o.mismatch = !message_matches(&e, message);
            o
        }
        // Linking and instantiating need the runtime; a component that does
        // not even validate fails on that instead.
        (_, Ok(_)) => outcome(false, exp, UNSUPPORTED),
        (_, Err(BuildError::Malformed(e) | BuildError::Invalid(e))) => outcome(false, exp, e),
    }
}

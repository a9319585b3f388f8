//! The gated Component Model proposals (wasmparser's `cm-*` features):
//! refusing a construct whose proposal is off, in wasmparser's words, and
//! finding in a message which proposal would have allowed it (for the
//! CLI's "enable with" note).

use super::{Msg, Validator};
use wtool_ast::Features;

/// How wasmparser's messages name each proposal ("requires the component
/// model WORDS feature"), and other text only its refusals contain.
const WORDING: &[(&str, Features)] = &[
    ("model async stackful feature", Features::CM_ASYNC_STACKFUL),
    (
        "more async builtins feature",
        Features::CM_MORE_ASYNC_BUILTINS,
    ),
    ("model async feature", Features::CM_ASYNC),
    ("model threading feature", Features::CM_THREADING),
    // `context.get 1` without threading: the second slot is threading's.
    ("immediate must be zero:", Features::CM_THREADING),
    ("model error-context feature", Features::CM_ERROR_CONTEXT),
    ("model forward feature", Features::CM_FORWARD),
    (
        "model fixed-length lists feature",
        Features::CM_FIXED_LENGTH_LISTS,
    ),
    ("model map feature", Features::CM_MAP),
    ("model gc feature", Features::CM_GC),
    ("the `cm-gc` feature", Features::CM_GC),
    ("model 64-bit feature", Features::CM64),
    ("the `cm64` feature", Features::CM64),
    (
        "component model `value`s is not enabled",
        Features::CM_VALUES,
    ),
    ("the `cm-canon-names` feature", Features::CM_CANON_NAMES),
    ("the `cm-implements` feature", Features::CM_IMPLEMENTS),
    ("model accessors feature", Features::CM_ACCESSORS),
];

/// The gated proposal a component error message says is off, if any (the
/// messages are wasmparser's, which name no flag uniformly).
pub fn gated_feature(message: &str) -> Option<Features> {
    WORDING
        .iter()
        .find(|(words, _)| message.contains(words))
        .map(|(_, f)| *f)
}

/// How "requires the component model ___ feature" names `f`.
fn words(f: Features) -> &'static str {
    match f {
        Features::CM_ASYNC => "async",
        Features::CM_ASYNC_STACKFUL => "async stackful",
        Features::CM_MORE_ASYNC_BUILTINS => "more async builtins",
        Features::CM_THREADING => "threading",
        Features::CM_ERROR_CONTEXT => "error-context",
        Features::CM_FORWARD => "forward",
        Features::CM_GC => "gc",
        Features::CM64 => "64-bit",
        _ => "gated",
    }
}

impl Validator<'_> {
    /// Refuses `what` unless `f` is on: "WHAT requires the component model
    /// ... feature".
    pub(crate) fn needs(&self, f: Features, what: &str) -> Result<(), Msg> {
        if self.features.contains(f) {
            return Ok(());
        }
        Err(format!(
            "{what} requires the component model {} feature",
            words(f)
        ))
    }

    /// Refuses with `message` unless `f` is on.
    pub(crate) fn require(&self, f: Features, message: &str) -> Result<(), Msg> {
        if self.features.contains(f) {
            return Ok(());
        }
        Err(message.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_their_feature() {
        let cases = [
            (
                "`error-context` requires the component model error-context feature",
                Features::CM_ERROR_CONTEXT,
            ),
            (
                "async `subtask.cancel` requires the component model more async builtins feature",
                Features::CM_MORE_ASYNC_BUILTINS,
            ),
            (
                "requires the component model async stackful feature",
                Features::CM_ASYNC_STACKFUL,
            ),
            (
                "`stream` requires the component model async feature",
                Features::CM_ASYNC,
            ),
            (
                "import name `[get]x` is not a valid extern name: `[get]` and `[set]` names require the component model accessors feature",
                Features::CM_ACCESSORS,
            ),
            ("the `cm-implements` feature is not active", Features::CM_IMPLEMENTS),
        ];
        for (m, f) in cases {
            assert_eq!(gated_feature(m), Some(f), "{m}");
        }
        assert_eq!(gated_feature("type index 3 is not a function type"), None);
    }
}

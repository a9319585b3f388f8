//! The anchors' command lines mapped onto wtool's commands: binaryen's
//! `wasm-opt` options and pass flags, wabt's `--generate-names` and
//! wasm-interp's typed values. (wabt's other flags are plain fields of the
//! commands' `Args`, hidden under `wtool` and shown under the alias names;
//! feature flags are in `features.rs`.)

pub mod binaryen;
pub mod interp;
pub mod wabt;

use crate::diag::CliError;

/// `not implemented in wtool: --NAME (why)`, a usage error (exit 2).
pub fn not_implemented(flag: &str, why: &str) -> CliError {
    CliError::Usage {
        message: format!("not implemented in wtool: {flag} ({why})"),
        hint: None,
    }
}

/// Fails with [`not_implemented`] for the first flag given:
/// `(given, "--flag", why)`.
pub fn refuse(flags: &[(bool, &str, &str)]) -> Result<(), CliError> {
    match flags.iter().find(|(given, _, _)| *given) {
        Some((_, flag, why)) => Err(not_implemented(flag, why)),
        None => Ok(()),
    }
}

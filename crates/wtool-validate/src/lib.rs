//! wtool-validate (in progress).

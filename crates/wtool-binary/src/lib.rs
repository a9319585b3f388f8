//! wtool-binary (in progress).

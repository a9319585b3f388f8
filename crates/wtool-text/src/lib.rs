//! wtool-text (in progress).

//! wtool-interp (in progress).

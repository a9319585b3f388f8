//! wtool-numerics (in progress).

//! wtool-opt (in progress).

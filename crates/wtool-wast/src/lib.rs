//! wtool-wast (in progress).

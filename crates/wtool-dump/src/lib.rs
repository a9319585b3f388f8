//! wtool-dump (in progress).

//! wtool-print (in progress).

//! Inputs shared by the integration tests.

#![allow(dead_code)]

#[allow(unused_imports)]
pub use wtool_testsupport::Rng;

pub use wtool_testsupport::fixture_modules;

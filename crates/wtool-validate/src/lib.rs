//! The WebAssembly validation algorithm over [`wtool_ast::Module`].
//!
//! [`validate`] checks a whole module; [`ModuleInfo`] + [`Validator`] let a
//! caller validate function bodies one at a time (with reused allocations),
//! and [`validate_parallel`] spreads bodies over threads while reporting the
//! same error `validate` would. [`validate_binary`] (and its parallel twin)
//! validate straight from bytes, streaming each function body from the
//! input instead of materialising it, with the errors decode-then-validate
//! would give. Errors are [`ValidationError`]s whose
//! `Display` is the spec testsuite's message.

mod binary;
mod const_expr;
mod error;
mod features;
mod func;
mod module;
mod types;
mod typesec;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use wtool_ast::{Features, Module};

pub use binary::{validate_binary, validate_binary_parallel, BinaryValidationError};
pub use error::{ErrorKind, Expected, ValidationError};
pub use features::feature_description;
pub use func::{Validator, MAX_LOCALS};
pub use module::ModuleInfo;
pub use types::{matches, ref_matches, TypeCx};

/// Validates `module` with the proposals in `features` enabled.
pub fn validate(module: &Module, features: Features) -> Result<(), ValidationError> {
    let info = ModuleInfo::new(module, features);
    info.validate_module()?;
    let mut v = Validator::new();
    let first = info.num_imported_funcs();
    for i in first..info.num_funcs() {
        v.validate_func(&info, i)?;
    }
    Ok(())
}

/// Validates the body of one function (index in the function index space).
/// Builds the module context each call; to validate many bodies, build a
/// [`ModuleInfo`] once and call [`Validator::validate_func`].
pub fn validate_func(
    module: &Module,
    features: Features,
    func_index: u32,
) -> Result<(), ValidationError> {
    let info = ModuleInfo::new(module, features);
    Validator::new().validate_func(&info, func_index)
}

/// Like [`validate`], with function bodies validated on up to `threads`
/// threads (small modules are validated on the calling thread). The error reported is the one `validate` reports: module-level
/// errors first, then the failing function with the lowest index.
pub fn validate_parallel(
    module: &Module,
    features: Features,
    threads: usize,
) -> Result<(), ValidationError> {
    let info = ModuleInfo::new(module, features);
    info.validate_module()?;
    let first = info.num_imported_funcs();
    let end = info.num_funcs();
    let count = (end - first) as usize;
    let threads = threads.clamp(1, count.max(1));
    // Below this much work, spawning threads costs more than it saves.
    const MIN_PARALLEL_INSTRS: usize = 20_000;
    let work: usize = module.funcs.iter().map(|f| f.body.instrs.len()).sum();
    if threads == 1 || work < MIN_PARALLEL_INSTRS {
        let mut v = Validator::new();
        for i in first..end {
            v.validate_func(&info, i)?;
        }
        return Ok(());
    }
    // Work is handed out in chunks from a shared counter; `lowest` lets
    // workers skip functions after an already failing one.
    const CHUNK: u32 = 64;
    let next = AtomicU32::new(first);
    let lowest = AtomicU32::new(u32::MAX);
    let errors: Mutex<Vec<ValidationError>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut v = Validator::new();
                loop {
                    let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if start >= end || start >= lowest.load(Ordering::Relaxed) {
                        break;
                    }
                    for i in start..start.saturating_add(CHUNK).min(end) {
                        if i >= lowest.load(Ordering::Relaxed) {
                            break;
                        }
                        if let Err(e) = v.validate_func(&info, i) {
                            lowest.fetch_min(i, Ordering::Relaxed);
                            if let Ok(mut errs) = errors.lock() {
                                errs.push(e);
                            }
                            break;
                        }
                    }
                }
            });
        }
    });
    let errs = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    match errs.into_iter().min_by_key(|e| e.func) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

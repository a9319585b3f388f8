//! Validation straight from bytes: the module is decoded without its
//! function bodies' instructions ([`wtool_binary::decode_lazy`]) and each body
//! is streamed from its bytes through a reused [`Validator`], so no body is
//! ever materialised. The verdict, message and offset are exactly those of
//! decoding with [`wtool_binary::decode_with_features`] and then calling
//! [`crate::validate`]: any decode error wins (the first in the file), then
//! module-level validation errors, then the first invalid function.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use wtool_ast::{Features, Module};
use wtool_binary::{BodyRange, BodyReader, DecodeError, LazyParts, Leave};

use crate::{ModuleInfo, ValidationError, Validator};

/// Why [`validate_binary`] rejected a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BinaryValidationError {
    /// The bytes are malformed.
    Decode(DecodeError),
    /// The module decodes but is invalid.
    Invalid(ValidationError),
}

impl BinaryValidationError {
    /// The file offset of the error, when known.
    pub fn offset(&self) -> Option<usize> {
        match self {
            BinaryValidationError::Decode(e) => Some(e.offset()),
            BinaryValidationError::Invalid(e) => e.offset.map(|o| o as usize),
        }
    }

    /// The message in the spec testsuite's words (same as `Display`).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for BinaryValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BinaryValidationError::Decode(e) => e.fmt(f),
            BinaryValidationError::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BinaryValidationError {}

impl From<DecodeError> for BinaryValidationError {
    fn from(e: DecodeError) -> Self {
        BinaryValidationError::Decode(e)
    }
}

impl From<ValidationError> for BinaryValidationError {
    fn from(e: ValidationError) -> Self {
        BinaryValidationError::Invalid(e)
    }
}

/// Decodes and validates a binary module with the proposals in `features`,
/// streaming function bodies from the bytes (single-threaded). Gives the
/// same result as decoding with `decode_with_features` and then `validate`.
pub fn validate_binary(bytes: &[u8], features: Features) -> Result<(), BinaryValidationError> {
    let (module, parts) = decode_lazy(bytes, features)?;
    validate_sequential(bytes, features, &module, &parts)
}

/// [`validate_binary`] after the lazy decode.
fn validate_sequential(
    bytes: &[u8],
    features: Features,
    module: &Module,
    parts: &LazyParts,
) -> Result<(), BinaryValidationError> {
    let info = info(module, bytes, parts, features)?;
    let mut invalid = match module_level(&info, bytes, parts) {
        Ok(()) => None,
        Err(BinaryValidationError::Invalid(e)) => Some(e),
        Err(e) => return Err(e),
    };
    let mut v = Validator::new();
    let has_dc = module.data_count.is_some();
    for range in &parts.bodies {
        if invalid.is_some() {
            // Only a decode error can still take precedence.
            scan(bytes, range, features, has_dc)?;
            continue;
        }
        match check_body(&mut v, &info, bytes, range, features) {
            Ok(()) => {}
            Err(BinaryValidationError::Invalid(e)) => invalid = Some(e),
            Err(e) => return Err(e),
        }
    }
    invalid.map_or(Ok(()), |e| Err(e.into()))
}

/// The validation context, with the exports read from the input where
/// the decoder left them (their names borrowed, not copied).
fn info<'m>(
    module: &'m Module,
    bytes: &'m [u8],
    parts: &LazyParts,
    features: Features,
) -> Result<ModuleInfo<'m>, BinaryValidationError> {
    let exports = match parts.read_export_refs(bytes, features) {
        Some(it) => it.collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    Ok(ModuleInfo::with_exports(module, features, exports))
}

/// Module-level validation ([`ModuleInfo::validate_module`]), the data
/// segments read from the input where the decoder left them.
fn module_level(
    info: &ModuleInfo<'_>,
    bytes: &[u8],
    parts: &LazyParts,
) -> Result<(), BinaryValidationError> {
    let Some(left) = &parts.data_section else {
        return Ok(info.validate_module()?);
    };
    info.validate_items()?;
    info.validate_data_count(left.count as usize)?;
    for seg in left.read(bytes, info.features()) {
        let (d, _) = seg?;
        info.validate_data(&d.mode)?;
    }
    Ok(())
}

/// Like [`validate_binary`], with function bodies decoded and validated on
/// up to `threads` threads (small modules stay on the calling thread). The
/// error reported is the one `validate_binary` reports.
pub fn validate_binary_parallel(
    bytes: &[u8],
    features: Features,
    threads: usize,
) -> Result<(), BinaryValidationError> {
    let (module, parts) = decode_lazy(bytes, features)?;
    let bodies = &parts.bodies[..];
    let threads = threads.clamp(1, bodies.len().max(1));
    // Below this many body bytes, spawning threads costs more than it saves.
    const MIN_PARALLEL_BYTES: u64 = 64 * 1024;
    let work: u64 = bodies.iter().map(|b| u64::from(b.end - b.start)).sum();
    if threads == 1 || work < MIN_PARALLEL_BYTES {
        return validate_sequential(bytes, features, &module, &parts);
    }
    let info = info(&module, bytes, &parts, features)?;
    // Chunks come from a shared counter. A decode error in body i beats
    // everything after it, so later bodies are skipped; an invalid body
    // does not let anything be skipped (a later body may be malformed).
    // Small chunks: with 64 bodies a chunk, one thread was still working
    // on its last chunk 14 ms after the other ran out (ort, 2 threads).
    const CHUNK: usize = 16;
    let next = AtomicU32::new(0);
    let lowest_decode = AtomicU32::new(u32::MAX);
    let errors: Mutex<Vec<(u32, BinaryValidationError)>> = Mutex::new(Vec::new());
    let n = bodies.len();
    let work = || {
        let mut v = Validator::new();
        let mut found = Vec::new();
        loop {
            let start = next.fetch_add(CHUNK as u32, Ordering::Relaxed) as usize;
            if start >= n || start as u32 >= lowest_decode.load(Ordering::Relaxed) {
                break;
            }
            for (k, range) in bodies.iter().enumerate().skip(start).take(CHUNK) {
                if k as u32 >= lowest_decode.load(Ordering::Relaxed) {
                    break;
                }
                if let Err(e) = check_body(&mut v, &info, bytes, range, features) {
                    if matches!(e, BinaryValidationError::Decode(_)) {
                        lowest_decode.fetch_min(k as u32, Ordering::Relaxed);
                    }
                    found.push((k as u32, e));
                }
            }
        }
        if !found.is_empty() {
            if let Ok(mut errs) = errors.lock() {
                errs.extend(found);
            }
        }
    };
    // The calling thread checks the module level (data segments included)
    // while the others start on the bodies, then joins them: nothing waits
    // for the module-level checks, which on a data-heavy module are long.
    let module_err = std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        let module_err = module_level(&info, bytes, &parts).err();
        work();
        module_err
    });
    let errs = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    let first_decode = errs
        .iter()
        .filter(|(_, e)| matches!(e, BinaryValidationError::Decode(_)))
        .min_by_key(|(k, _)| *k);
    if let Some((_, e)) = first_decode {
        return Err(e.clone());
    }
    if let Some(e) = module_err {
        return Err(e);
    }
    match errs.into_iter().min_by_key(|(k, _)| *k) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// The lazy decode; where it fails, the eager decoder names the error
/// (a malformed body before the failing spot is reported first there).
/// Data segments (the whole data section), exports and custom sections
/// stay in the input: validation never reads segment bytes, a data-heavy
/// module's segments are read again one at a time rather than kept, and
/// exports are read with their names borrowed (duckdb's 88k exports cost
/// a tenth of its validation as owned strings made, hashed and freed).
fn decode_lazy(
    bytes: &[u8],
    features: Features,
) -> Result<(Module, LazyParts), BinaryValidationError> {
    let leave = Leave {
        exports: true,
        datas: true,
    };
    let lazy = wtool_binary::decode_lazy_parts_with(bytes, features, leave);
    lazy.map_err(|lazy| {
        let eager = wtool_binary::decode_with_features(bytes, features).err();
        BinaryValidationError::Decode(eager.unwrap_or(lazy))
    })
}

/// Decodes and validates one body. A decode error anywhere in the body
/// beats a validation error before it, as decoding comes first.
fn check_body(
    v: &mut Validator,
    info: &ModuleInfo<'_>,
    bytes: &[u8],
    range: &BodyRange,
    features: Features,
) -> Result<(), BinaryValidationError> {
    let has_dc = info.module().data_count.is_some();
    let mut rd = BodyReader::new(bytes, range, features, has_dc);
    let func_index = info
        .num_imported_funcs()
        .saturating_add(range.defined_index);
    match v.validate_reader(info, func_index, &mut rd) {
        Ok(()) => Ok(()),
        Err(Err(d)) => Err(d.into()),
        Err(Ok(e)) => match rd.find(Result::is_err) {
            Some(Err(d)) => Err(d.into()),
            _ => Err(e.into()),
        },
    }
}

/// Decodes a body only, for its decode error.
fn scan(
    bytes: &[u8],
    range: &BodyRange,
    features: Features,
    has_dc: bool,
) -> Result<(), DecodeError> {
    match BodyReader::new(bytes, range, features, has_dc).find(Result::is_err) {
        Some(Err(e)) => Err(e),
        _ => Ok(()),
    }
}

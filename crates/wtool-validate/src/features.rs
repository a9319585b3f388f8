//! Which proposal each construct needs, and how to name it in an error.
//!
//! Every check goes through [`require`], so a WebAssembly 3.0 proposal
//! becomes one more `Features` bit plus the calls that gate its constructs.

use wtool_ast::{Features, HeapType, RefType, ValType};

use crate::error::ErrorKind;

/// Human-readable name of a proposal for "X support is not enabled".
pub fn feature_description(f: Features) -> &'static str {
    const NAMES: &[(Features, &str)] = &[
        (Features::MUTABLE_GLOBAL, "mutable global import/export"),
        (
            Features::SATURATING_FLOAT_TO_INT,
            "saturating float-to-int conversion",
        ),
        (Features::SIGN_EXTENSION, "sign extension"),
        (Features::MULTI_VALUE, "multi-value"),
        (Features::REFERENCE_TYPES, "reference types"),
        (Features::BULK_MEMORY, "bulk memory"),
        (Features::SIMD, "SIMD"),
        (Features::RELAXED_SIMD, "relaxed SIMD"),
        (Features::TAIL_CALL, "tail call"),
        (Features::EXTENDED_CONST, "extended constant expression"),
        (Features::MULTI_MEMORY, "multi-memory"),
        (Features::MEMORY64, "memory64"),
        (Features::EXCEPTIONS, "exception handling"),
        (Features::FUNCTION_REFERENCES, "typed function references"),
        (Features::GC, "garbage collection"),
        (Features::THREADS, "threads"),
        (Features::CUSTOM_PAGE_SIZES, "custom page sizes"),
        (Features::LEGACY_EXCEPTIONS, "legacy exception handling"),
        (Features::WIDE_ARITHMETIC, "wide arithmetic"),
        (Features::CUSTOM_DESCRIPTORS, "custom descriptors"),
    ];
    NAMES
        .iter()
        .find(|(x, _)| *x == f)
        .map_or("this proposal", |(_, n)| n)
}

/// Fails with a feature error unless `needed` is enabled.
#[inline]
pub fn require(features: Features, needed: Features) -> Result<(), ErrorKind> {
    if features.contains(needed) {
        Ok(())
    } else {
        Err(missing(features, needed))
    }
}

/// The first single feature of `needed` that `features` lacks.
#[cold]
fn missing(features: Features, needed: Features) -> ErrorKind {
    let feature = Features::TABLE
        .iter()
        .map(|(f, _, _)| *f)
        .find(|f| needed.contains(*f) && !features.contains(*f))
        .unwrap_or(needed);
    ErrorKind::FeatureDisabled { feature }
}

/// The proposal a heap type belongs to (MVP for `func`).
fn heap_feature(h: HeapType) -> Features {
    match h {
        HeapType::Func => Features::MVP,
        HeapType::Extern => Features::REFERENCE_TYPES,
        HeapType::Concrete(_) | HeapType::NoFunc | HeapType::NoExtern => {
            Features::FUNCTION_REFERENCES
        }
        HeapType::Exn | HeapType::NoExn => Features::EXCEPTIONS,
        HeapType::Exact(_) => Features::CUSTOM_DESCRIPTORS,
        HeapType::Any
        | HeapType::Eq
        | HeapType::I31
        | HeapType::Struct
        | HeapType::Array
        | HeapType::None => Features::GC,
    }
}

/// Checks that a reference type is expressible with `features`.
pub fn check_ref_type(features: Features, r: RefType) -> Result<(), ErrorKind> {
    require(features, heap_feature(r.heap))?;
    if !r.nullable {
        require(features, Features::FUNCTION_REFERENCES)?;
    }
    Ok(())
}

/// Checks that a value type is expressible with `features`
/// (`num_types` bounds concrete heap types).
pub fn check_val_type(features: Features, t: ValType, num_types: u32) -> Result<(), ErrorKind> {
    match t {
        ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64 => Ok(()),
        ValType::V128 => require(features, Features::SIMD),
        ValType::Ref(r) => {
            require(features, Features::REFERENCE_TYPES)?;
            check_ref_type(features, r)?;
            match r.heap {
                HeapType::Concrete(i) | HeapType::Exact(i) if i >= num_types => {
                    Err(ErrorKind::UnknownType(i))
                }
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_error_names_flag() {
        let e = require(Features::WASM1, Features::SIMD).unwrap_err();
        assert_eq!(
            e.to_string(),
            "SIMD support is not enabled (enable with --features=+simd)"
        );
        assert!(require(Features::WASM2, Features::SIMD).is_ok());
        let e = check_val_type(Features::WASM1, ValType::FUNCREF, 0).unwrap_err();
        assert!(e.to_string().contains("--features=+reference-types"), "{e}");
    }
}

//! What the fuzz targets share: the one wasm-smith configuration, the feature
//! sets that go with it, and running a module's exports in wtool's
//! interpreter and in wasmi (the oracle) so two runs can be compared.

pub mod exec;

use arbitrary::Unstructured;
use wtool_ast::Features;

/// The switch for the WebAssembly 3.0 proposals (exceptions, tail calls, GC
/// and typed function references, threads, memory64, multi-memory, extended
/// constants): on, since wtool implements them; `false` would fuzz 2.0 only.
/// The target compared with wasmi leaves out what wasmi does not run
/// ([`Purpose::Oracle`]).
pub const WASM3: bool = true;

/// The features wtool validates the generated modules with.
pub fn wtool_features() -> Features {
    if WASM3 {
        Features::ALL
    } else {
        Features::WASM2
    }
}

/// The same set for wasmparser (the validation oracle).
pub fn wasmparser_features() -> wasmparser::WasmFeatures {
    if WASM3 {
        wasmparser::WasmFeatures::WASM3 | wasmparser::WasmFeatures::THREADS
    } else {
        wasmparser::WasmFeatures::WASM2
    }
}

/// What a target does with the generated module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Decoding, validating, printing: anything goes, invalid bodies too
    /// when `invalid` is set.
    Static {
        /// Let wasm-smith emit invalid function bodies.
        invalid: bool,
    },
    /// Running: no imports, every item exported, NaNs canonical (so results
    /// compare bit for bit), small memories and tables.
    Exec,
    /// Running in wtool and in wasmi: as `Exec`, without what wasmi does not
    /// implement (GC, exceptions, threads).
    Oracle,
}

/// The one wasm-smith configuration every target starts from.
pub fn smith_config(purpose: Purpose) -> wasm_smith::Config {
    let mut c = wasm_smith::Config {
        // WebAssembly 2.0: always on.
        multi_value_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        simd_enabled: true,
        // WebAssembly 3.0: behind the switch.
        exceptions_enabled: WASM3,
        tail_call_enabled: WASM3,
        gc_enabled: WASM3,
        threads_enabled: WASM3,
        memory64_enabled: WASM3,
        extended_const_enabled: WASM3,
        max_memories: if WASM3 { 4 } else { 1 },
        // Not in 3.0 (or not implemented by the oracles): off.
        relaxed_simd_enabled: false,
        wide_arithmetic_enabled: false,
        compact_imports_enabled: false,
        custom_descriptors_enabled: false,
        custom_page_sizes_enabled: false,
        shared_everything_threads_enabled: false,
        max_tables: 3,
        max_funcs: 40,
        max_instructions: 400,
        ..wasm_smith::Config::default()
    };
    match purpose {
        Purpose::Static { invalid } => {
            c.allow_invalid_funcs = invalid;
            c.generate_custom_sections = invalid;
        }
        Purpose::Exec | Purpose::Oracle => {
            if purpose == Purpose::Oracle {
                c.gc_enabled = false;
                c.exceptions_enabled = false;
                c.threads_enabled = false;
            }
            c.max_imports = 0;
            c.min_funcs = 1;
            c.export_everything = true;
            c.canonicalize_nans = true;
            c.max_memory32_bytes = 1 << 20;
            c.max_memory64_bytes = 1 << 20;
            c.max_table_elements = 1_000;
        }
    }
    c
}

/// A module wasm-smith builds from the fuzzer's bytes.
pub fn smith_module(purpose: Purpose, data: &[u8]) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    let m = wasm_smith::Module::new(smith_config(purpose), &mut u).ok()?;
    Some(m.to_bytes())
}

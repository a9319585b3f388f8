//! wasm-smith configurations shared by the differential tests, so that the
//! feature sets under test are stated once.

use crate::rng::Rng;

/// Every feature the AST and the codecs hold: WebAssembly 3.0 with GC and
/// exceptions, tail calls, typed function references, memory64, multi-memory,
/// relaxed SIMD, threads, wide arithmetic and custom page sizes.
/// (`compact_imports` is another import section encoding, not supported.)
/// `invalid` lets wasm-smith write invalid function bodies and custom
/// sections in random places.
pub fn syntax_config(invalid: bool) -> wasm_smith::Config {
    wasm_smith::Config {
        gc_enabled: true,
        exceptions_enabled: true,
        tail_call_enabled: true,
        threads_enabled: true,
        memory64_enabled: true,
        relaxed_simd_enabled: true,
        wide_arithmetic_enabled: true,
        custom_page_sizes_enabled: true,
        extended_const_enabled: true,
        multi_value_enabled: true,
        compact_imports_enabled: false,
        custom_descriptors_enabled: false,
        shared_everything_threads_enabled: false,
        max_memories: 3,
        max_tables: 3,
        max_funcs: 40,
        max_instructions: 200,
        allow_invalid_funcs: invalid,
        generate_custom_sections: invalid,
        ..wasm_smith::Config::default()
    }
}

/// WebAssembly 2.0 only (SIMD included); `invalid` lets wasm-smith write
/// invalid function bodies.
pub fn wasm2_config(invalid: bool) -> wasm_smith::Config {
    wasm_smith::Config {
        exceptions_enabled: false,
        gc_enabled: false,
        compact_imports_enabled: false,
        custom_descriptors_enabled: false,
        custom_page_sizes_enabled: false,
        memory64_enabled: false,
        relaxed_simd_enabled: false,
        shared_everything_threads_enabled: false,
        tail_call_enabled: false,
        threads_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        multi_value_enabled: true,
        simd_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        max_memories: 1,
        max_tables: 3,
        allow_invalid_funcs: invalid,
        ..wasm_smith::Config::default()
    }
}

/// For differential execution against wasmi: WebAssembly 2.0 without SIMD
/// (the oracle is built without it), every function exported, no imports,
/// NaNs canonicalised, small memories and tables so instantiating and
/// comparing state stays cheap.
pub fn exec_config() -> wasm_smith::Config {
    wasm_smith::Config {
        simd_enabled: false,
        export_everything: true,
        max_imports: 0,
        min_funcs: 1,
        canonicalize_nans: true,
        max_tables: 2,
        max_memory32_bytes: 1 << 20,
        max_table_elements: 1_000,
        ..wasm2_config(false)
    }
}

/// For differential execution of GC programs (against wasmtime, and before
/// and after optimization): GC types and instructions with the features
/// every runner has, every function exported, no imports, NaNs
/// canonicalised, small memories and tables.
pub fn gc_exec_config() -> wasm_smith::Config {
    wasm_smith::Config {
        gc_enabled: true,
        reference_types_enabled: true,
        exceptions_enabled: false,
        tail_call_enabled: false,
        simd_enabled: false,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        memory64_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        custom_descriptors_enabled: false,
        shared_everything_threads_enabled: false,
        export_everything: true,
        max_imports: 0,
        min_funcs: 2,
        max_funcs: 20,
        min_types: 2,
        max_instructions: 300,
        canonicalize_nans: true,
        max_tables: 2,
        max_memories: 1,
        max_memory32_bytes: 1 << 20,
        max_table_elements: 1_000,
        ..wasm_smith::Config::default()
    }
}

/// The module wasm-smith builds with `config` from the bytes of `seed`
/// (between 256 and 16 KiB of them), if it builds one.
pub fn module(seed: u64, config: wasm_smith::Config) -> Option<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let len = 256 + rng.below(16384);
    let data = rng.bytes(len);
    let mut u = arbitrary::Unstructured::new(&data);
    wasm_smith::Module::new(config, &mut u)
        .ok()
        .map(|m| m.to_bytes())
}

/// A count from the environment variable `var` (for long runs), else `default`.
pub fn count_from_env(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

//! The set of enabled WebAssembly proposals. One value flows through parse,
//! validate and run; `--features` on every command edits it.

use std::fmt;

/// A set of proposals, as bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Features(u64);

macro_rules! features {
    ($( $konst:ident = $bit:literal, $flag:literal, $help:literal; )*) => {
        impl Features {
            $(
                #[doc = $help]
                pub const $konst: Features = Features(1 << $bit);
            )*

            /// Every known proposal with its `--features` flag name and a help line.
            pub const TABLE: &'static [(Features, &'static str, &'static str)] =
                &[$((Features::$konst, $flag, $help),)*];
        }
    };
}

features! {
    MUTABLE_GLOBAL = 0, "mutable-global", "import and export of mutable globals (2.0)";
    SATURATING_FLOAT_TO_INT = 1, "saturating-float-to-int", "non-trapping float-to-int conversions (2.0)";
    SIGN_EXTENSION = 2, "sign-extension", "sign-extension operators (2.0)";
    MULTI_VALUE = 3, "multi-value", "multiple results and block parameters (2.0)";
    REFERENCE_TYPES = 4, "reference-types", "funcref/externref values, multiple tables (2.0)";
    BULK_MEMORY = 5, "bulk-memory", "bulk memory and table operations, passive segments (2.0)";
    SIMD = 6, "simd", "128-bit fixed-width SIMD (2.0)";
    RELAXED_SIMD = 7, "relaxed-simd", "relaxed SIMD (3.0)";
    TAIL_CALL = 8, "tail-call", "return_call instructions (3.0)";
    EXTENDED_CONST = 9, "extended-const", "add/sub/mul in constant expressions (3.0)";
    MULTI_MEMORY = 10, "multi-memory", "more than one memory (3.0)";
    MEMORY64 = 11, "memory64", "64-bit memories and tables (3.0)";
    EXCEPTIONS = 12, "exceptions", "exception handling (3.0)";
    FUNCTION_REFERENCES = 13, "function-references", "typed function references (3.0)";
    GC = 14, "gc", "garbage-collected structs and arrays (3.0)";
    THREADS = 15, "threads", "shared memory and atomics";
    CUSTOM_PAGE_SIZES = 16, "custom-page-sizes", "memories with custom page sizes";
    LEGACY_EXCEPTIONS = 17, "legacy-exceptions", "try/catch/delegate/rethrow exception handling (pre-3.0)";
    WIDE_ARITHMETIC = 18, "wide-arithmetic", "128-bit add/sub and wide multiplication";
    CUSTOM_DESCRIPTORS = 19, "custom-descriptors", "exact types and custom descriptors";
    // The gated Component Model proposals, under wasm-tools' names (the
    // explainer's emoji gates); only the component validator reads them.
    CM_VALUES = 20, "cm-values", "component model: value definitions, imports and exports";
    CM_NESTED_NAMES = 21, "cm-nested-names", "component model: nested namespaces and packages in names";
    CM_ASYNC = 22, "cm-async", "component model: async ABI, streams, futures (default on)";
    CM_ASYNC_STACKFUL = 23, "cm-async-stackful", "component model: stackful async lifts (no callback)";
    CM_MORE_ASYNC_BUILTINS = 24, "cm-more-async-builtins", "component model: more async built-ins and their options";
    CM_THREADING = 25, "cm-threading", "component model: thread.* built-ins and a second context slot";
    CM_ERROR_CONTEXT = 26, "cm-error-context", "component model: the error-context type and built-ins";
    CM_FIXED_LENGTH_LISTS = 27, "cm-fixed-length-lists", "component model: fixed-length lists";
    CM_GC = 28, "cm-gc", "component model: the gc and core-type canonical options";
    CM_MAP = 29, "cm-map", "component model: map types (default on)";
    CM64 = 30, "cm64", "component model: 64-bit memories, tables, contexts and resources";
    CM_IMPLEMENTS = 31, "cm-implements", "component model: implements and external-id names (default on)";
    CM_CANON_NAMES = 32, "cm-canon-names", "component model: version-suffix names";
    CM_FORWARD = 33, "cm-forward", "component model: stream.forward and future.forward";
    CM_ACCESSORS = 34, "cm-accessors", "component model: [get] and [set] function names";
}

impl Features {
    /// No proposal: the instructions every version has.
    pub const MVP: Features = Features(0);
    /// WebAssembly 1.0 as its testsuite (`wasm-v1`) tests it: with
    /// import/export of mutable globals, which that suite expects to be
    /// valid (`globals.wast`, `linking.wast`), as wasmparser's `WASM1` does.
    pub const WASM1: Features = Features(Features::MUTABLE_GLOBAL.0);
    /// WebAssembly 2.0: the default of every command.
    pub const WASM2: Features = Features(
        Features::MUTABLE_GLOBAL.0
            | Features::SATURATING_FLOAT_TO_INT.0
            | Features::SIGN_EXTENSION.0
            | Features::MULTI_VALUE.0
            | Features::REFERENCE_TYPES.0
            | Features::BULK_MEMORY.0
            | Features::SIMD.0,
    );
    /// WebAssembly 3.0.
    pub const WASM3: Features = Features(
        Features::WASM2.0
            | Features::RELAXED_SIMD.0
            | Features::TAIL_CALL.0
            | Features::EXTENDED_CONST.0
            | Features::MULTI_MEMORY.0
            | Features::MEMORY64.0
            | Features::EXCEPTIONS.0
            | Features::FUNCTION_REFERENCES.0
            | Features::GC.0,
    );
    /// The Component Model proposals wasmparser enables by default.
    pub const COMPONENT_DEFAULTS: Features =
        Features(Features::CM_ASYNC.0 | Features::CM_MAP.0 | Features::CM_IMPLEMENTS.0);
    /// Every gated Component Model proposal.
    pub const COMPONENT_ALL: Features = Features(((1u64 << 35) - 1) & !((1u64 << 20) - 1));
    /// What real modules use: WebAssembly 3.0 plus threads and legacy
    /// exception handling, and the Component Model proposals wasm-tools
    /// enables by default (wasm-tools' default).
    pub const WASM3_THREADS: Features = Features(
        Features::WASM3.0
            | Features::THREADS.0
            | Features::LEGACY_EXCEPTIONS.0
            | Features::COMPONENT_DEFAULTS.0,
    );
    /// Everything known.
    pub const ALL: Features = Features(u64::MAX);

    /// The empty set.
    pub const fn empty() -> Features {
        Features(0)
    }

    /// True if every feature in `other` is in `self` (so `MVP` is always contained).
    #[inline]
    pub const fn contains(self, other: Features) -> bool {
        self.0 & other.0 == other.0
    }

    /// Union.
    pub const fn union(self, other: Features) -> Features {
        Features(self.0 | other.0)
    }

    /// Difference.
    pub const fn without(self, other: Features) -> Features {
        Features(self.0 & !other.0)
    }

    /// The `--features` flag name of a single feature.
    pub fn flag_name(self) -> Option<&'static str> {
        Features::TABLE
            .iter()
            .find(|(f, _, _)| *f == self)
            .map(|(_, n, _)| *n)
    }

    /// Parses a `--features` value relative to `base`: a comma-separated list
    /// of `wasm1`, `wasm2`, `wasm3`, `all`, `none`, `NAME`, `+NAME` or `-NAME`.
    pub fn parse(spec: &str, base: Features) -> Result<Features, UnknownFeature> {
        let mut set = base;
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (enable, name) = match item.as_bytes()[0] {
                b'+' => (true, &item[1..]),
                b'-' => (false, &item[1..]),
                _ => (true, item),
            };
            let named = match name {
                "wasm1" => Some(Features::WASM1),
                "mvp" | "none" => Some(Features::MVP),
                "wasm2" => Some(Features::WASM2),
                "wasm3" => Some(Features::WASM3),
                "all" => Some(Features::ALL),
                _ => None,
            };
            if let Some(preset) = named {
                if !item.starts_with(['+', '-']) {
                    set = preset;
                } else if enable {
                    set = set.union(preset);
                } else {
                    set = set.without(preset);
                }
                continue;
            }
            let Some(&(f, _, _)) = Features::TABLE.iter().find(|(_, n, _)| *n == name) else {
                return Err(UnknownFeature(name.to_string()));
            };
            set = if enable { set.union(f) } else { set.without(f) };
        }
        Ok(set)
    }
}

/// WebAssembly 2.0 and the Component Model proposals wasmparser enables by
/// default (they change nothing for core modules).
impl Default for Features {
    fn default() -> Self {
        Features::WASM2.union(Features::COMPONENT_DEFAULTS)
    }
}

impl fmt::Debug for Features {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Features::TABLE
            .iter()
            .filter(|(x, _, _)| self.contains(*x))
            .map(|(_, n, _)| *n)
            .collect();
        write!(f, "Features[{}]", names.join(","))
    }
}

/// A `--features` item that names no known proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFeature(pub String);

impl fmt::Display for UnknownFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Features::TABLE.iter().map(|(_, n, _)| *n).collect();
        write!(
            f,
            "unknown feature `{}` (known: wasm1, wasm2, wasm3, all, {})",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownFeature {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_features() {
        let f = Features::parse("-simd,+tail-call", Features::WASM2).unwrap();
        assert!(!f.contains(Features::SIMD));
        assert!(f.contains(Features::TAIL_CALL));
        assert!(f.contains(Features::BULK_MEMORY));
        assert_eq!(
            Features::parse("wasm1", Features::WASM2).unwrap(),
            Features::WASM1
        );
        assert!(Features::parse("nope", Features::WASM2).is_err());
        assert!(Features::WASM1.contains(Features::MVP));
        assert_eq!(Features::SIMD.flag_name(), Some("simd"));
    }

    #[test]
    fn component_features() {
        assert_eq!(
            Features::parse("cm-error-context,-cm-async", Features::default()).unwrap(),
            Features::WASM2
                .union(Features::CM_MAP)
                .union(Features::CM_IMPLEMENTS)
                .union(Features::CM_ERROR_CONTEXT)
        );
        assert_eq!(Features::CM64.flag_name(), Some("cm64"));
        // Every `cm-*`/`cm64` flag is in COMPONENT_ALL, and nothing else.
        for (f, name, _) in Features::TABLE {
            assert_eq!(
                Features::COMPONENT_ALL.contains(*f),
                name.starts_with("cm"),
                "{name}"
            );
        }
        assert!(Features::WASM3_THREADS.contains(Features::COMPONENT_DEFAULTS));
    }
}

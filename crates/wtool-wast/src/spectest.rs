//! The `spectest` host module every spec script may import.

use wtool_ast::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};
use wtool_interp::{Extern, Imports, Store, Value};

/// Defines `spectest` in `imports`: `print*` functions that do nothing (the
/// runner has no stdout contract), `global_{i32,i64}` = 666,
/// `global_{f32,f64}` = 666.6, `table` 10..20 funcref, `memory` 1..2.
pub fn define_spectest(store: &mut Store, imports: &mut Imports) {
    use ValType::*;
    let prints: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[I32]),
        ("print_i64", &[I64]),
        ("print_f32", &[F32]),
        ("print_f64", &[F64]),
        ("print_i32_f32", &[I32, F32]),
        ("print_f64_f64", &[F64, F64]),
    ];
    for (name, params) in prints {
        let f = store.add_host_func(FuncType::new(params.to_vec(), Vec::new()), |_, _, _| Ok(()));
        imports.define("spectest", name, Extern::Func(f));
    }
    let globals = [
        ("global_i32", I32, Value::I32(666)),
        ("global_i64", I64, Value::I64(666)),
        ("global_f32", F32, Value::f32(666.6)),
        ("global_f64", F64, Value::f64(666.6)),
    ];
    for (name, ty, v) in globals {
        let g = store.add_global(GlobalType { ty, mutable: false }, v);
        imports.define("spectest", name, Extern::Global(g));
    }
    // `table` and its table64 twin `table64` (memory64 proposal).
    for (name, index64) in [("table", false), ("table64", true)] {
        if let Some(t) = store.add_table(
            TableType {
                elem: RefType::FUNCREF,
                limits: Limits {
                    min: 10,
                    max: Some(20),
                },
                index64,
            },
            Value::FuncRef(None),
        ) {
            imports.define("spectest", name, Extern::Table(t));
        }
    }
    let mt = MemoryType {
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        ..MemoryType::default()
    };
    if let Some(m) = store.add_memory(mt) {
        imports.define("spectest", "memory", Extern::Memory(m));
    }
    // The threads proposal's shared twin of `memory`.
    let shared = MemoryType { shared: true, ..mt };
    if let Some(m) = store.add_memory(shared) {
        imports.define("spectest", "shared_memory", Extern::Memory(m));
    }
}

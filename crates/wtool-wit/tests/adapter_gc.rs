//! `component new --adapt`'s adapter trimming (`wtool_wit::new::gc`):
//! behaviour on hand-written adapters, the real WASI preview1 adapter, and
//! byte-for-byte agreement with the trimmed adapter wit-component embeds in
//! the components it builds (its gc pass itself is private).

use wtool_ast::{ExternKind, Instr, Module, Names};
use wtool_wit::new::gc::trim_adapter;

/// The real adapter, as shipped by jco (absent on machines without it).
const REAL_ADAPTER: &str = "/tmp/real/jco/package/lib/wasi_snapshot_preview1.reactor.wasm";

/// The WIT of the hand-written adapters' imports (`a:b/x`) and of the main
/// modules in the wit-component comparisons (`main`, empty).
const WIT: &str = "package a:b;
interface x { f: func(p: u32); g: func() -> u32; h: func(); }
world adapter { import x; }
world main {}";

/// Three exports reaching different imports, globals and the memory.
const BASIC: &str = r#"(module
  (import "a:b/x" "f" (func $f (param i32)))
  (import "a:b/x" "g" (func $g (result i32)))
  (import "a:b/x" "h" (func $h))
  (import "env" "memory" (memory 0))
  (global $unused (mut i32) (i32.const 5))
  (global $counter (mut i32) (i32.const 0))
  (func $helper (param i32) (result i32) (i32.add (local.get 0) (call $g)))
  (func (export "one") (param i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (call $f (local.get 0))
    (call $helper (local.get 0)))
  (func (export "two") (call $h) (global.set $unused (i32.const 1)))
  (func (export "three") (result i32) (i32.load (i32.const 0))))"#;

/// Calls the main module's realloc (by its old name).
const REALLOC: &str = r#"(module
  (import "a:b/x" "f" (func $f (param i32)))
  (import "__main_module__" "canonical_abi_realloc"
    (func $realloc (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 0))
  (func (export "alloc") (result i32) (local i32)
    (local.set 0
      (call $realloc (i32.const 0) (i32.const 0) (i32.const 8) (i32.const 65536)))
    (i32.store (local.get 0) (i32.const 42))
    (local.get 0))
  (func (export "other") (call $f (i32.const 1))))"#;

/// A shadow stack; `$allocation_state` is spliced in for lazy allocation.
fn stack(with_state: bool) -> String {
    let (state, check) = if with_state {
        let check = "(if (i32.ne (global.get $allocation_state) (i32.const 2)) (then unreachable))";
        ("(global $allocation_state (mut i32) (i32.const 0))", check)
    } else {
        ("", "")
    };
    format!(
        r#"(module
  (import "a:b/x" "f" (func $f (param i32)))
  (import "a:b/x" "h" (func $h))
  (import "env" "memory" (memory 0))
  (global $__stack_pointer (mut i32) (i32.const 0))
  {state}
  (global $other (mut i32) (i32.const 0))
  (func $inner (call $h))
  (func (export "get") (result i32) (local i32)
    {check}
    (local.set 0 (i32.sub (global.get $__stack_pointer) (i32.const 16)))
    (global.set $__stack_pointer (local.get 0))
    (call $f (local.get 0))
    (call $inner)
    (global.set $__stack_pointer (i32.add (local.get 0) (i32.const 16)))
    (i32.load (local.get 0)))
  (func (export "unrelated") (global.set $other (i32.const 1))))"#
    )
}

fn parse(wat: &str) -> Module {
    wtool_text::parse_module(wat.as_bytes()).expect("test adapter parses")
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Trims, encodes and validates with every feature on.
fn trim(m: &Module, required: &[&str], realloc: Option<&str>) -> (Module, Vec<u8>) {
    let out = trim_adapter(m, &strings(required), realloc).expect("adapter trims");
    let bytes = wtool_binary::encode(&out);
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .unwrap_or_else(|e| panic!("trimmed adapter is invalid: {e}"));
    (out, bytes)
}

fn trim_err(wat: &str, required: &[&str]) -> String {
    trim_adapter(&parse(wat), &strings(required), None)
        .expect_err("adapter is rejected")
        .0
}

fn imports(m: &Module) -> Vec<String> {
    m.imports
        .iter()
        .map(|i| format!("{}/{}", i.module, i.name))
        .collect()
}

fn exports(m: &Module) -> Vec<&str> {
    m.exports.iter().map(|e| e.name.as_str()).collect()
}

fn func_name(m: &Module, idx: u32) -> Option<&str> {
    Names::lookup(&m.names.as_ref()?.funcs, idx)
}

/// The index of the function named `name`.
fn func_named(m: &Module, name: &str) -> u32 {
    let names = &m.names.as_ref().expect("names").funcs;
    names.iter().find(|(_, n)| n == name).expect(name).0
}

/// The body of function `idx` (imports first).
fn body(m: &Module, idx: u32) -> &[Instr] {
    let imported = m.num_imported(ExternKind::Func);
    &m.funcs[(idx - imported) as usize].body.instrs
}

#[test]
fn dead_exports_and_imports_go() {
    let (m, _) = trim(&parse(BASIC), &["one"], None);
    assert_eq!(
        imports(&m),
        ["a:b/x/f", "a:b/x/g"],
        "memory and `h` are dead"
    );
    assert_eq!(exports(&m), ["one"]);
    assert_eq!(m.funcs.len(), 2, "helper and `one`");
    assert_eq!(m.globals.len(), 1, "only `$counter`");
    assert_eq!(m.start, None);
    assert_eq!(func_name(&m, 2), Some("helper"));
    assert_eq!(
        m.names.as_ref().unwrap().globals,
        [(0, "counter".to_string())]
    );

    // The memory import comes first, whatever its place in the input.
    let (m, _) = trim(&parse(BASIC), &["three", "one"], None);
    assert_eq!(imports(&m), ["env/memory", "a:b/x/f", "a:b/x/g"]);
    assert_eq!(exports(&m), ["one", "three"]);
}

#[test]
fn missing_export_is_an_error() {
    let e = trim_err(BASIC, &["one", "four"]);
    assert_eq!(e, "adapter module does not have export `four`");
}

#[test]
fn realloc_import_takes_the_main_modules_name() {
    let (m, _) = trim(&parse(REALLOC), &["alloc"], Some("cabi_realloc"));
    assert_eq!(imports(&m), ["env/memory", "__main_module__/cabi_realloc"]);
    assert!(m.funcs.len() == 1 && m.start.is_none());
}

#[test]
fn realloc_import_becomes_memory_grow_without_a_main_realloc() {
    let (m, _) = trim(&parse(REALLOC), &["alloc"], None);
    assert_eq!(imports(&m), ["env/memory"]);
    assert_eq!(m.funcs.len(), 2, "the stand-in realloc, then `alloc`");
    assert!(body(&m, 0).contains(&Instr::MemoryGrow(0)));
    assert_eq!(body(&m, 1)[4], Instr::Call(0));
    assert_eq!(func_name(&m, 0), Some("realloc"), "the import's name stays");
}

#[test]
fn lazy_stack_allocation_on_entry_to_exports() {
    let (m, _) = trim(&parse(&stack(true)), &["get"], Some("cabi_realloc"));
    assert_eq!(
        imports(&m),
        [
            "env/memory",
            "a:b/x/f",
            "a:b/x/h",
            "__main_module__/cabi_realloc"
        ]
    );
    assert_eq!(m.start, None);
    let alloc = func_named(&m, "allocate_stack");
    assert_eq!(func_name(&m, 2), Some("cabi_realloc"));
    let get = m.exports[0].index;
    assert_eq!(
        body(&m, get)[0],
        Instr::Call(alloc),
        "exports allocate first"
    );
    let inner = func_named(&m, "inner");
    assert_ne!(
        body(&m, inner)[0],
        Instr::Call(alloc),
        "other functions do not"
    );
    let alloc_body = body(&m, alloc);
    assert!(alloc_body.contains(&Instr::Call(2)), "main realloc");
    assert!(
        alloc_body.contains(&Instr::GlobalSet(1)),
        "allocation_state"
    );
    assert!(alloc_body.contains(&Instr::GlobalSet(0)), "__stack_pointer");
}

#[test]
fn stack_allocated_by_a_start_function() {
    for realloc in [None, Some("cabi_realloc")] {
        let (m, _) = trim(&parse(&stack(false)), &["get"], realloc);
        let start = m.start.expect("a start function");
        assert_eq!(func_name(&m, start), Some("allocate_stack"));
        let grow = start - 1;
        assert!(body(&m, grow).contains(&Instr::MemoryGrow(0)));
        assert!(body(&m, start).contains(&Instr::Call(grow)));
        let get = m.exports[0].index;
        assert_ne!(body(&m, get)[0], Instr::Call(start));
        // As wit-component does, the main realloc is imported but unused.
        let main = imports(&m).contains(&"__main_module__/cabi_realloc".to_string());
        assert_eq!(main, realloc.is_some());
    }
    // With a state but no main realloc: memory.grow cannot reenter, so at start.
    let (m, _) = trim(&parse(&stack(true)), &["get"], None);
    assert!(m.start.is_some());
}

#[test]
fn stack_globals_are_renumbered() {
    // Dead globals before the stack's: the injected code must use new indices.
    let wat = stack(true).replace(
        "(global $__stack_pointer",
        "(global $dead (mut i32) (i32.const 9)) (global $__stack_pointer",
    );
    let (m, _) = trim(&parse(&wat), &["get"], Some("cabi_realloc"));
    let globals = &m.names.as_ref().unwrap().globals;
    assert_eq!(globals[0], (0, "__stack_pointer".to_string()));
    let alloc = body(&m, func_named(&m, "allocate_stack"));
    assert!(alloc.contains(&Instr::GlobalSet(0)) && alloc.contains(&Instr::GlobalGet(1)));
}

#[test]
fn unsupported_adapters_are_rejected() {
    let table = r#"(module (table 1 funcref) (type $t (func))
      (func (export "f") (call_indirect (type $t) (i32.const 0))))"#;
    let e = trim_err(table, &["f"]);
    assert_eq!(
        e,
        "tables should not be present in the final adapter module"
    );
    // A dead table is simply dropped.
    let dead = r#"(module (table 1 funcref) (func (export "f")))"#;
    let (m, _) = trim(&parse(dead), &["f"], None);
    assert!(m.tables.is_empty());

    let data = r#"(module (memory 1) (data (i32.const 0) "x") (func (export "f")))"#;
    assert_eq!(
        trim_err(data, &["f"]),
        "unsupported section `data` in adapter"
    );
    let elem = r#"(module (table 1 funcref) (elem (i32.const 0) func 0) (func (export "f")))"#;
    assert_eq!(
        trim_err(elem, &["f"]),
        "unsupported section `elem` in adapter"
    );
    let tag = r#"(module (tag) (func (export "f")))"#;
    assert!(trim_err(tag, &["f"]).contains("tag"));
    let memory = r#"(module (memory 1) (func (export "f") (drop (memory.size))))"#;
    assert!(trim_err(memory, &["f"]).contains("locally-defined memories"));
    let two = r#"(module (import "a" "m" (memory 1)) (import "a" "n" (memory 1))
      (func (export "f") (drop (memory.size 0)) (drop (memory.size 1))))"#;
    assert!(trim_err(two, &["f"]).contains("multi-memory"));
    // The `memory.grow` stand-in for realloc needs the memory to be live.
    let no_memory = r#"(module (import "env" "memory" (memory 0))
      (import "__main_module__" "cabi_realloc" (func $r (param i32 i32 i32 i32) (result i32)))
      (func (export "f") (result i32)
        (call $r (i32.const 0) (i32.const 0) (i32.const 8) (i32.const 65536))))"#;
    assert!(trim_err(no_memory, &["f"]).contains("needs a memory"));
    let bad_type = r#"(module (import "env" "memory" (memory 0))
      (import "__main_module__" "cabi_realloc" (func $r (param i32) (result i32)))
      (func (export "f") (result i32) (i32.load (call $r (i32.const 0)))))"#;
    assert!(trim_err(bad_type, &["f"]).contains("wrong type"));
    let sps = r#"(module (import "env" "memory" (memory 0))
      (global $__stack_pointer (mut i32) (i32.const 0))
      (global $second (mut i32) (i32.const 0))
      (func (export "f") (global.set 0 (global.get 1))))"#;
    let mut m = parse(sps);
    m.names.as_mut().unwrap().globals[1].1 = "__stack_pointer".into();
    let e = trim_adapter(&m, &strings(&["f"]), None).unwrap_err().0;
    assert_eq!(e, "found 2 mutable i32 globals with name __stack_pointer");
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    let mut m = parse(BASIC);
    m.exports[0].index = 99;
    let e = trim_adapter(&m, &strings(&["one"]), None).unwrap_err().0;
    assert!(e.contains("does not exist"), "{e}");
    let mut m = parse(BASIC);
    m.funcs[0].body.instrs.insert(0, Instr::GlobalGet(1000));
    let e = trim_adapter(&m, &strings(&["one"]), None).unwrap_err().0;
    assert!(e.contains("does not exist"), "{e}");
}

#[test]
fn corrupted_indices_never_panic() {
    // Every index every instruction holds, pushed just past the end and far
    // beyond: trimming answers with an error or a module, never a panic.
    for wat in [
        BASIC.to_string(),
        REALLOC.to_string(),
        stack(true),
        stack(false),
    ] {
        let m = parse(&wat);
        let required: Vec<String> = m.exports.iter().map(|e| e.name.clone()).collect();
        for f in 0..m.funcs.len() {
            for at in 0..m.funcs[f].body.instrs.len() {
                for bump in [1, 1000] {
                    let mut bad = m.clone();
                    bad.funcs[f].body.instrs[at].visit_indices_mut(&mut |_, i| *i += bump);
                    for realloc in [None, Some("cabi_realloc")] {
                        let _ = trim_adapter(&bad, &required, realloc);
                    }
                }
            }
        }
    }
}

/// The core modules a component embeds, in order.
fn core_modules(component: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(component) {
        if let Ok(wasmparser::Payload::ModuleSection {
            unchecked_range, ..
        }) = payload
        {
            let (start, end) = (unchecked_range.start as usize, unchecked_range.end as usize);
            out.push(component[start..end].to_vec());
        }
    }
    out
}

/// `wasm` with the WIT world `world` of [`WIT`] embedded.
fn with_world(mut wasm: Vec<u8>, world: &str) -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::default();
    let pkg = resolve.push_str("a.wit", WIT).unwrap();
    let world = resolve.select_world(&[pkg], Some(world)).unwrap();
    let utf8 = wit_component::StringEncoding::UTF8;
    wit_component::embed_component_metadata(&mut wasm, &resolve, world, utf8, false).unwrap();
    wasm
}

/// Checks that our trimmed adapter is the one wit-component puts in the
/// component it builds from `adapter` and a main module importing `uses`
/// (`(name, core signature)`) from it, exporting `cabi_realloc` or not;
/// `also` are the exports wit-component requires for the adapter's own
/// world (such as `cabi_import_realloc` for lowering its imports).
fn same_as_wit_component(adapter: &[u8], uses: &[(&str, &str)], also: &[&str], main_realloc: bool) {
    let mut main = String::from("(module\n");
    for (name, sig) in uses {
        main += &format!("(import \"wasi_snapshot_preview1\" \"{name}\" (func {sig}))\n");
    }
    main += "(memory (export \"memory\") 1)\n";
    if also.iter().any(|e| e.starts_with("wasi:cli/run")) {
        // The command adapter's `run` calls the main module's `_start`.
        main += "(func (export \"_start\"))\n";
    }
    if main_realloc {
        main += "(func (export \"cabi_realloc\") (param i32 i32 i32 i32) (result i32) unreachable)";
    }
    main += ")";
    let main = with_world(wtool_binary::encode(&parse(&main)), "main");
    let component = wit_component::ComponentEncoder::default()
        .module(&main)
        .unwrap()
        .adapter("wasi_snapshot_preview1", adapter)
        .unwrap()
        .validate(true)
        .encode()
        .unwrap();
    let theirs = core_modules(&component);

    let mut required: Vec<&str> = uses.iter().map(|(n, _)| *n).collect();
    required.extend(also);
    let realloc = main_realloc.then_some("cabi_realloc");
    let (_, ours) = trim(&wtool_binary::decode(adapter).unwrap(), &required, realloc);
    if !theirs.contains(&ours) {
        // Left for a look with `wasm-tools print`.
        let dir = std::env::temp_dir();
        std::fs::write(dir.join("adapter-gc-ours.wasm"), &ours).unwrap();
        for (i, m) in theirs.iter().enumerate() {
            std::fs::write(dir.join(format!("adapter-gc-theirs-{i}.wasm")), m).unwrap();
        }
    }
    assert!(
        theirs.contains(&ours),
        "{required:?} (main realloc: {main_realloc}): wit-component's trimmed adapter differs"
    );
}

#[test]
fn agrees_with_wit_component() {
    let adapter = |wat: &str| with_world(wtool_binary::encode(&parse(wat)), "adapter");
    let basic = adapter(BASIC);
    let one = ("one", "(param i32) (result i32)");
    let three = ("three", "(result i32)");
    let alloc = ("alloc", "(result i32)");
    let get = ("get", "(result i32)");
    for main_realloc in [false, true] {
        same_as_wit_component(&basic, &[one], &[], main_realloc);
        same_as_wit_component(&basic, &[three, ("two", ""), one], &[], main_realloc);
        same_as_wit_component(&adapter(REALLOC), &[alloc], &[], main_realloc);
        same_as_wit_component(&adapter(&stack(false)), &[get], &[], main_realloc);
        same_as_wit_component(&adapter(&stack(true)), &[get], &[], main_realloc);
    }
}

/// The functions of the real adapter a small C program needs.
const REAL_USES: [(&str, &str); 4] = [
    ("fd_write", "(param i32 i32 i32 i32) (result i32)"),
    ("environ_get", "(param i32 i32) (result i32)"),
    ("environ_sizes_get", "(param i32 i32) (result i32)"),
    ("proc_exit", "(param i32)"),
];

/// The command adapter, exporting `wasi:cli/run` for the main module's `_start`.
#[test]
fn real_command_adapter() {
    let path = REAL_ADAPTER.replace("reactor", "command");
    let Ok(bytes) = std::fs::read(&path) else {
        println!("{path} is missing: skipped");
        return;
    };
    let also = ["cabi_import_realloc", "wasi:cli/run@0.2.12#run"];
    for main_realloc in [false, true] {
        same_as_wit_component(&bytes, &REAL_USES, &also, main_realloc);
    }
}

#[test]
fn real_adapter() {
    let Ok(bytes) = std::fs::read(REAL_ADAPTER) else {
        println!("{REAL_ADAPTER} is missing: skipped");
        return;
    };
    let adapter = wtool_binary::decode(&bytes).unwrap();
    let required: Vec<&str> = REAL_USES.iter().map(|(n, _)| *n).collect();
    let (m, out) = trim(&adapter, &required, Some("cabi_realloc"));
    let mut exported = exports(&m);
    exported.sort();
    assert_eq!(
        exported,
        ["environ_get", "environ_sizes_get", "fd_write", "proc_exit"]
    );
    assert!(
        out.len() < bytes.len() / 2,
        "{} of {} bytes",
        out.len(),
        bytes.len()
    );
    let imported = imports(&m);
    assert!(imported.contains(&"env/memory".to_string()));
    assert!(imported.contains(&"__main_module__/cabi_realloc".to_string()));
    assert!(
        imported.iter().any(|i| i.contains("output-stream.")),
        "fd_write writes"
    );
    assert!(imported.iter().any(|i| i.ends_with("/get-environment")));
    assert!(
        imported.iter().any(|i| i.contains("exit")),
        "proc_exit exits"
    );
    for unused in [
        "random",
        "poll",
        "clock",
        "get-arguments",
        "[method]descriptor.read",
    ] {
        assert!(
            !imported.iter().any(|i| i.contains(unused)),
            "{unused} is dead"
        );
    }
    for main_realloc in [false, true] {
        same_as_wit_component(&bytes, &REAL_USES, &["cabi_import_realloc"], main_realloc);
    }
}

"""Calls exported functions under wasmtime, for differential tests.

Usage: python3 tests/wasmtime_calls.py < MANIFEST
Each manifest line is `MODULE.wasm<TAB>EXPORT<TAB>PARAMS<TAB>RESULTS`,
EXPORT the export's position in the module's export list, PARAMS and
RESULTS comma-separated lists of i32/i64/f32/f64 (empty for none); the lines of one module
are consecutive and its exports are called in order on one instance, each
with zero arguments; an export named `-` only reports instantiation. Prints `MODULE<TAB>EXPORT<TAB>OUTCOME` per line:
`trap`, `instantiate-trap`, `compile-error`, or the results separated by
spaces (integers signed decimal, floats as their bits in hex). wasmtime
comes from PyPI (`pip install wasmtime`); its default features include GC.
"""
import struct, sys
import wasmtime

cfg = wasmtime.Config()
# Many small modules, each run once: compile fast rather than well.
cfg.cranelift_opt_level = "none"
engine = wasmtime.Engine(cfg)
zero = {"i32": 0, "i64": 0, "f32": 0.0, "f64": 0.0}


def show(v, ty):
    if ty == "f32":
        return "%08x" % struct.unpack("<I", struct.pack("<f", v))[0]
    if ty == "f64":
        return "%016x" % struct.unpack("<Q", struct.pack("<d", v))[0]
    return str(v)


current, inst, store = None, None, None
for line in sys.stdin:
    path, name, params, results = line.rstrip("\n").split("\t")
    if path != current:
        current = path
        store = wasmtime.Store(engine)
        try:
            inst = wasmtime.Instance(store, wasmtime.Module.from_file(engine, path), [])
        except wasmtime.Trap:
            inst = "instantiate-trap"
        except wasmtime.WasmtimeError:
            inst = "compile-error"
    if isinstance(inst, str) or name == "-":
        # `-`: the caller only asks whether instantiation trapped.
        print(f"{path}\t{name}\t{inst if isinstance(inst, str) else 'instantiated'}", flush=True)
        continue
    args = [zero[t] for t in params.split(",") if t]
    tys = [t for t in results.split(",") if t]
    try:
        r = inst.exports(store).by_index[int(name)](store, *args)
        vals = [] if r is None else list(r) if isinstance(r, (list, tuple)) else [r]
        out = " ".join(show(v, t) for v, t in zip(vals, tys))
    except wasmtime.Trap:
        out = "trap"
    print(f"{path}\t{name}\t{out}", flush=True)

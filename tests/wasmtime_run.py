"""Runs a WASI preview 1 program under wasmtime, for tests/anchors.rs.

Usage: python3 tests/wasmtime_run.py PROGRAM.wasm [ARGS...]
wasmtime comes from PyPI (`pip install wasmtime`, the embedding API; the
package has no command-line runner). Exceptions and tail calls are on. The
program's stdout is copied to ours; the exit status is the program's.
"""
import sys, tempfile, os
import wasmtime

cfg = wasmtime.Config()
cfg.wasm_exceptions = True
cfg.wasm_tail_call = True
engine = wasmtime.Engine(cfg)
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.argv = [sys.argv[1]] + sys.argv[2:]
out = tempfile.NamedTemporaryFile(delete=False)
out.close()
wasi.stdout_file = out.name
wasi.inherit_stderr()
store.set_wasi(wasi)
linker = wasmtime.Linker(engine)
linker.define_wasi()
module = wasmtime.Module.from_file(engine, sys.argv[1])
code = 0
try:
    linker.instantiate(store, module).exports(store)["_start"](store)
except wasmtime.ExitTrap as e:
    code = e.code
sys.stdout.buffer.write(open(out.name, "rb").read())
os.unlink(out.name)
sys.exit(code)

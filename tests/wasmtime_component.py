"""Runs a command component (its `wasi:cli/run` export) under wasmtime's
WASI preview 2, for tests/wasmtime.rs.

Usage: python3 tests/wasmtime_component.py COMPONENT.wasm [--env K=V]... [-- ARGS...]
wasmtime comes from PyPI (`pip install wasmtime`, the embedding API). argv[0]
is the component's file name; nothing else reaches the program from the host.
Its stdout is copied to ours; the exit status is the program's (1 when `run`
returns an error).
"""
import os
import sys
import tempfile

import wasmtime
from wasmtime import component as cm

path = sys.argv[1]
rest = sys.argv[2:]
env = []
while rest and rest[0] == "--env":
    key, _, value = rest[1].partition("=")
    env.append((key, value))
    rest = rest[2:]
if rest and rest[0] == "--":
    rest = rest[1:]

engine = wasmtime.Engine()
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.argv = [path] + rest
wasi.env = env
out = tempfile.NamedTemporaryFile(delete=False)
out.close()
wasi.stdout_file = out.name
wasi.inherit_stderr()
store.set_wasi(wasi)
linker = cm.Linker(engine)
linker.add_wasip2()
instance = linker.instantiate(store, cm.Component.from_file(engine, path))
run = None
for version in ("0.2.12", "0.2.6", "0.2.0"):
    iface = instance.get_export_index(store, f"wasi:cli/run@{version}")
    if iface is not None:
        run = instance.get_func(store, instance.get_export_index(store, "run", iface))
        break
if run is None:
    sys.exit("the component exports no wasi:cli/run")
code = 0
try:
    # `run` returns result<_, _>: wasmtime raises for its error case.
    run(store)
except wasmtime.ExitTrap as e:
    code = e.code
except wasmtime.WasmtimeError as e:
    text = str(e)
    marker = "Exited with i32 exit status "
    if marker in text:
        code = int(text.split(marker)[1].split()[0])
    else:
        print(text, file=sys.stderr)
        code = 1
sys.stdout.buffer.write(open(out.name, "rb").read())
os.unlink(out.name)
sys.exit(code)

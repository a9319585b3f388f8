//! WASI preview1 as interpreter host functions.
//!
//! Every entry of [`wtool_wasi::imports()`] becomes one host function that
//! forwards its raw argument slots to [`wtool_wasi::call`], with the calling
//! instance's exported `memory` as the guest memory. `proc_exit` becomes
//! [`TrapKind::Exit`], which unwinds the whole call like a trap.

use std::cell::RefCell;
use std::rc::Rc;

use wtool_ast::FuncType;
use wtool_interp::{Extern, Imports, Store, Trap, TrapKind, Value};
use wtool_wasi::{call, imports, Signal, SliceMemory, WasiCtx, MODULE};

/// Adds one host function per preview1 import to `store` and defines it in
/// `imports` under `wasi_snapshot_preview1`; the functions share `ctx`.
pub fn define_wasi(store: &mut Store, imports_out: &mut Imports, ctx: Rc<RefCell<WasiCtx>>) {
    for sig in imports() {
        let ty = FuncType {
            params: sig.params.into(),
            results: sig.results.into(),
        };
        let name = sig.name;
        let ctx = Rc::clone(&ctx);
        let f = store.add_host_func(ty, move |caller, args, results| {
            let raw: Vec<u64> = args.iter().map(Value::lo_slot).collect();
            let mut ctx = ctx
                .try_borrow_mut()
                .map_err(|_| Trap::host("WASI re-entered"))?;
            // A module without an exported memory can still call the functions
            // that touch no memory; every pointer then faults (EFAULT).
            let r = match caller.exported_memory_mut("memory") {
                Some(mem) => call(&mut ctx, &mut SliceMemory(mem), name, &raw),
                None => call(&mut ctx, &mut SliceMemory(&mut []), name, &raw),
            };
            match r {
                Ok(Some(errno)) => {
                    if let Some(slot) = results.first_mut() {
                        *slot = Value::I32(errno);
                    }
                    Ok(())
                }
                Ok(None) => Ok(()),
                // Exit codes are u32 on the wire; the trap carries the same bits.
                Err(Signal::Exit(code)) => Err(Trap::new(TrapKind::Exit(code as i32))),
                Err(Signal::Trap(msg)) => Err(Trap::host(msg)),
            }
        });
        imports_out.define(MODULE, name, Extern::Func(f));
    }
}

/// A fresh [`Imports`] holding only the WASI functions, sharing `ctx`.
pub fn imports_wasi(store: &mut Store, ctx: Rc<RefCell<WasiCtx>>) -> Imports {
    let mut i = Imports::new();
    define_wasi(store, &mut i, ctx);
    i
}

//! Our WASI preview1 implementation (`wtool-wasi`) linked into the wasmi
//! oracle, so that WASI programs can run under both engines with the same
//! host: differences then come from the engines alone.

use wtool_wasi::{call, imports, Signal, SliceMemory, WasiCtx, MODULE};

fn val_type(t: &wtool_ast::ValType) -> wasmi::ValType {
    match t {
        wtool_ast::ValType::I64 => wasmi::ValType::I64,
        _ => wasmi::ValType::I32,
    }
}

/// A wasmi linker defining every WASI preview1 function over the store's
/// [`WasiCtx`] and the caller's exported `memory`.
pub fn linker(engine: &wasmi::Engine) -> wasmi::Linker<WasiCtx> {
    let mut linker = wasmi::Linker::<WasiCtx>::new(engine);
    for sig in imports() {
        let ty = wasmi::FuncType::new(
            sig.params.iter().map(val_type),
            sig.results.iter().map(val_type),
        );
        let name = sig.name;
        linker
            .func_new(MODULE, name, ty, move |mut caller, params, results| {
                let args: Vec<u64> = params
                    .iter()
                    .map(|v| match v {
                        wasmi::Val::I32(x) => u64::from(*x as u32),
                        wasmi::Val::I64(x) => *x as u64,
                        _ => 0,
                    })
                    .collect();
                let memory = caller
                    .get_export("memory")
                    .and_then(wasmi::Extern::into_memory);
                let r = match memory {
                    Some(m) => {
                        let (data, ctx) = m.data_and_store_mut(&mut caller);
                        call(ctx, &mut SliceMemory(data), name, &args)
                    }
                    None => call(caller.data_mut(), &mut Vec::new(), name, &args),
                };
                match r {
                    Ok(Some(errno)) => {
                        results[0] = wasmi::Val::I32(errno);
                        Ok(())
                    }
                    Ok(None) => Ok(()),
                    Err(Signal::Exit(code)) => Err(wasmi::Error::i32_exit(code as i32)),
                    Err(Signal::Trap(msg)) => Err(wasmi::Error::new(msg)),
                }
            })
            .expect("every WASI signature is distinct");
    }
    linker
}

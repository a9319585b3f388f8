//! Instantiates one module in our interpreter and in wasmi (the oracle).

use wtool_ast::Module;
use wtool_interp::{Imports, InstanceId, Store};

/// The module in both engines.
pub struct Both {
    pub module: Module,
    pub store: Store,
    pub inst: InstanceId,
    pub wasmi_store: wasmi::Store<()>,
    pub wasmi_inst: wasmi::Instance,
}

/// Parses `wat` and instantiates it in both engines (wasmi validates it).
pub fn instantiate_both(wat: &str) -> Both {
    let bytes = wat::parse_str(wat).expect("wat");
    let module = wtool_binary::decode(&bytes).expect("decode");
    let mut store = Store::new();
    let inst = store
        .instantiate(&module, &Imports::new())
        .expect("instantiate");
    let engine = wasmi::Engine::default();
    let wm = wasmi::Module::new(&engine, &bytes).expect("wasmi module");
    let mut wasmi_store = wasmi::Store::new(&engine, ());
    let wasmi_inst = wasmi::Linker::<()>::new(&engine)
        .instantiate_and_start(&mut wasmi_store, &wm)
        .expect("wasmi instantiate");
    Both {
        module,
        store,
        inst,
        wasmi_store,
        wasmi_inst,
    }
}

//! The spec's store: every function, table, memory, global, element and data
//! instance, shared between module instances through imports and exports.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use wtool_ast::{FuncType, GlobalType, MemoryType, TableType, ValType};

use crate::code::FuncCode;
use crate::compiled::CompiledModule;
use crate::memory::MemInst;
use crate::table::TableInst;
use crate::trap::Trap;
use crate::values::{FuncAddr, Value};

/// Address of a table in a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableAddr(pub u32);
/// Address of a memory in a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemAddr(pub u32);
/// Address of a global in a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalAddr(pub u32);
/// Address of an exception tag in a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TagAddr(pub u32);
/// A module instance in a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InstanceId(pub u32);

/// An external value: what imports bind to and exports name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(FuncAddr),
    /// A table.
    Table(TableAddr),
    /// A memory.
    Memory(MemAddr),
    /// A global.
    Global(GlobalAddr),
    /// An exception tag.
    Tag(TagAddr),
}

/// The signature of a host function: the caller context, the arguments
/// (typed by the function type) and a result buffer pre-filled with zeros of
/// the result types, to be overwritten.
pub type HostFn = dyn Fn(&mut Caller<'_>, &[Value], &mut [Value]) -> Result<(), Trap>;

/// What a host function sees of its caller: the store, and the instance of
/// the wasm function that called it (for its exported memory, as WASI needs).
pub struct Caller<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) instance: Option<InstanceId>,
}

impl Caller<'_> {
    /// The store.
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    /// The calling instance, if the call came from wasm.
    pub fn instance(&self) -> Option<InstanceId> {
        self.instance
    }

    /// The calling instance's export `name`, if any.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.instance.and_then(|i| self.store.get_export(i, name))
    }

    /// The bytes of the calling instance's exported memory `name` (WASI uses
    /// `"memory"`).
    pub fn exported_memory_mut(&mut self, name: &str) -> Option<&mut [u8]> {
        match self.get_export(name)? {
            Extern::Memory(m) => self.store.memory_data_mut(m),
            _ => None,
        }
    }
}

/// A function defined in wasm: its instance, and its module's shared,
/// lazily made translation.
#[derive(Clone, Debug)]
pub(crate) struct WasmFunc {
    pub type_id: u32,
    pub instance: u32,
    /// Index within its module (for backtraces).
    pub index: u32,
    /// Index among the module's defined functions.
    pub defined: u32,
    pub module: Rc<CompiledModule>,
    /// Whether its code meters fuel.
    pub metered: bool,
    /// Store address of its instance's memory 0 (`u32::MAX` if none), which
    /// register-form loads and stores address.
    pub mem0: u32,
}

impl WasmFunc {
    /// Its translation, if made.
    #[inline(always)]
    pub fn code(&self) -> Option<&FuncCode> {
        self.module.code(self.defined, self.metered)
    }
}

/// What a call needs of a function, cached per store address: filled when
/// a wasm function's translation is first used from this address; `entry`
/// is null until then (and for host functions), which sends calls down the
/// slow path.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallTarget {
    pub entry: *const crate::code::Inst,
    pub params: u32,
    pub locals: u32,
    pub frame: u32,
    pub inst: u32,
    pub mem0: u32,
}

impl CallTarget {
    /// Not translated yet (or a host function).
    pub const UNKNOWN: CallTarget = CallTarget {
        entry: std::ptr::null(),
        params: 0,
        locals: 0,
        frame: 0,
        inst: 0,
        mem0: 0,
    };
}

/// A function instance.
#[derive(Clone)]
pub(crate) enum FuncInst {
    Wasm(WasmFunc),
    Host { type_id: u32, func: Rc<HostFn> },
}

impl FuncInst {
    pub fn type_id(&self) -> u32 {
        match self {
            FuncInst::Wasm(w) => w.type_id,
            FuncInst::Host { type_id, .. } => *type_id,
        }
    }
}

/// A global instance: its type and value slots.
#[derive(Clone, Debug)]
pub(crate) struct GlobalInst {
    pub ty: GlobalType,
    pub lo: u64,
    pub hi: u64,
}

/// Everything an instance resolved at instantiation: store addresses of
/// its index spaces, and its exports.
#[derive(Clone, Debug, Default)]
pub(crate) struct InstanceData {
    pub types: Vec<u32>,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub mems: Vec<u32>,
    pub globals: Vec<u32>,
    pub elems: Vec<u32>,
    pub datas: Vec<u32>,
    pub exports: HashMap<String, Extern>,
    pub export_order: Vec<String>,
    pub func_names: HashMap<u32, String>,
    /// Store addresses of the instance's tags.
    pub tags: Vec<u32>,
    /// `funcs` and `globals` again, shared with the executor, which keeps
    /// the running instance's pair at hand (two loads from a call to its
    /// target instead of five).
    pub hot_funcs: std::rc::Rc<[u32]>,
    pub hot_globals: std::rc::Rc<[u32]>,
}

/// Execution limits.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Maximum number of nested wasm calls before "call stack exhausted".
    pub max_call_depth: u32,
    /// Usable size of the value stack in 64-bit slots (at most 2^20);
    /// overflowing it also traps "call stack exhausted".
    pub max_stack_slots: u32,
    /// Fuel: when set, each function call and each loop iteration costs one
    /// unit, and running out traps. Metering is compiled into the code of
    /// modules instantiated while fuel is set.
    pub fuel: Option<u64>,
    /// The most bytes any one linear memory may take: instantiating a memory
    /// whose minimum is larger fails, and `memory.grow` past it returns -1.
    /// Address space for this much is reserved per memory; pages are
    /// committed only when touched.
    pub max_memory_bytes: u64,
    /// The most elements any one table may hold (instantiation fails above
    /// it, `table.grow` past it returns -1).
    pub max_table_elements: u64,
    /// The most bytes the GC heap (structs and arrays) may hold; an
    /// allocation past it traps.
    pub max_heap_bytes: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_call_depth: 20_000,
            max_stack_slots: 1 << 20,
            fuel: None,
            max_memory_bytes: crate::memory::DEFAULT_MAX_MEMORY_BYTES,
            max_table_elements: crate::table::MAX_TABLE,
            max_heap_bytes: 4 << 30,
        }
    }
}

/// The store.
pub struct Store {
    /// Function types by store type id, which is the canonical id of
    /// `registry` (struct and array types hold an empty signature), with
    /// references to other types as canonical ids too.
    pub(crate) types: Vec<FuncType>,
    /// Every type of every module, canonicalized iso-recursively: equal ids
    /// are equivalent types across modules, and declared subtyping is
    /// answered here (imports, `call_indirect`).
    pub(crate) registry: wtool_ast::canon::TypeRegistry,
    pub(crate) funcs: Vec<FuncInst>,
    /// Parallel to `funcs`: the call cache.
    pub(crate) targets: Vec<CallTarget>,
    pub(crate) tables: Vec<TableInst>,
    pub(crate) mems: Vec<MemInst>,
    pub(crate) globals: Vec<GlobalInst>,
    /// Element instances: reference slots (emptied by `elem.drop`).
    pub(crate) elems: Vec<Vec<u64>>,
    /// Data instances (emptied by `data.drop`).
    pub(crate) datas: Vec<Vec<u8>>,
    pub(crate) instances: Vec<InstanceData>,
    /// Parameter slots of each interned type (what `call_indirect` skips).
    pub(crate) param_slots: Vec<u32>,
    pub(crate) config: Config,
    /// Remaining fuel (`u64::MAX` when unmetered).
    pub(crate) fuel: u64,
    /// A value stack kept between invocations.
    pub(crate) spare_stack: Option<Box<crate::exec::Stack>>,
    /// Tags: the interned type of each.
    pub(crate) tags: Vec<u32>,
    /// Structs and arrays (WebAssembly GC).
    pub(crate) heap: crate::gc::Heap,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("funcs", &self.funcs.len())
            .field("tables", &self.tables.len())
            .field("memories", &self.mems.len())
            .field("globals", &self.globals.len())
            .field("instances", &self.instances.len())
            .finish()
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    /// An empty store with default limits.
    pub fn new() -> Store {
        Store::with_config(Config::default())
    }

    /// An empty store with the given limits.
    pub fn with_config(config: Config) -> Store {
        Store {
            types: Vec::new(),
            registry: wtool_ast::canon::TypeRegistry::new(),
            funcs: Vec::new(),
            targets: Vec::new(),
            tables: Vec::new(),
            mems: Vec::new(),
            globals: Vec::new(),
            elems: Vec::new(),
            datas: Vec::new(),
            instances: Vec::new(),
            param_slots: Vec::new(),
            fuel: config.fuel.unwrap_or(u64::MAX),
            config,
            spare_stack: None,
            tags: Vec::new(),
            heap: crate::gc::Heap::new(
                usize::try_from(config.max_heap_bytes).unwrap_or(usize::MAX),
            ),
        }
    }

    /// The limits in force.
    pub fn config(&self) -> Config {
        self.config
    }

    /// Sets (or clears) the fuel; affects code compiled afterwards.
    pub fn set_fuel(&mut self, fuel: Option<u64>) {
        self.config.fuel = fuel;
        self.fuel = fuel.unwrap_or(u64::MAX);
    }

    /// Fuel left, when metered.
    pub fn fuel_remaining(&self) -> Option<u64> {
        self.config.fuel.map(|_| self.fuel)
    }

    /// Translates wasm function `addr` unless done already; a function
    /// that cannot be translated (only possible for an unvalidated module)
    /// traps with the reason.
    pub(crate) fn translate(&mut self, addr: u32) -> Result<(), crate::trap::TrapKind> {
        let Some(FuncInst::Wasm(w)) = self.funcs.get(addr as usize) else {
            return Ok(());
        };
        let code = w
            .module
            .translate(w.defined, w.metered)
            .map_err(|e| crate::trap::TrapKind::Compile(Box::new(e)))?;
        let t = CallTarget {
            entry: code.code().as_ptr(),
            params: code.param_slots,
            locals: code.local_slots,
            frame: crate::code::checked_frame(code.param_slots, code.max_height),
            inst: w.instance,
            mem0: w.mem0,
        };
        if let Some(slot) = self.targets.get_mut(addr as usize) {
            *slot = t;
        }
        Ok(())
    }

    /// Canonicalizes the types of `module` into the store; the store type id
    /// of each of its type indices.
    pub(crate) fn register_types(&mut self, module: &wtool_ast::Module) -> Vec<u32> {
        let ids = self.registry.add_module(module);
        while self.types.len() < self.registry.len() {
            let id = self.types.len() as u32;
            let ft = match self.registry.get(id).map(|t| &t.composite) {
                Some(wtool_ast::CompositeType::Func(f)) => f.clone(),
                _ => FuncType::default(),
            };
            self.param_slots.push(crate::values::slots_of(&ft.params));
            self.types.push(ft);
        }
        ids
    }

    /// Interns a host function's type (a bare function type, references
    /// abstract) and returns its store-wide id.
    pub(crate) fn intern_type(&mut self, ty: &FuncType) -> u32 {
        let m = wtool_ast::Module {
            types: vec![wtool_ast::TypeDef::func(ty.clone())],
            ..Default::default()
        };
        self.register_types(&m).first().copied().unwrap_or(0)
    }

    /// `a <: b` between store type ids (declared subtyping).
    #[inline]
    pub(crate) fn type_matches(&self, a: u32, b: u32) -> bool {
        a == b || self.registry.is_subtype(a, b)
    }

    /// Adds a host function of type `ty`.
    pub fn add_host_func(
        &mut self,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_>, &[Value], &mut [Value]) -> Result<(), Trap> + 'static,
    ) -> FuncAddr {
        let type_id = self.intern_type(&ty);
        self.funcs.push(FuncInst::Host {
            type_id,
            func: Rc::new(f),
        });
        self.targets.push(CallTarget::UNKNOWN);
        FuncAddr(self.funcs.len() as u32 - 1)
    }

    /// Adds a table of type `ty` filled with `init` (a reference value);
    /// `None` if its minimum is over the table limit.
    pub fn add_table(&mut self, ty: TableType, init: Value) -> Option<TableAddr> {
        let t = TableInst::new(ty, init.lo_slot(), self.config.max_table_elements)?;
        self.tables.push(t);
        Some(TableAddr(self.tables.len() as u32 - 1))
    }

    /// Adds a zeroed memory of type `ty`; `None` if it is over the memory
    /// limit or cannot be allocated.
    pub fn add_memory(&mut self, ty: MemoryType) -> Option<MemAddr> {
        let m = MemInst::new(ty, self.config.max_memory_bytes).ok()?;
        self.mems.push(m);
        Some(MemAddr(self.mems.len() as u32 - 1))
    }

    /// Adds a global of type `ty` holding `value`.
    pub fn add_global(&mut self, ty: GlobalType, value: Value) -> GlobalAddr {
        self.globals.push(GlobalInst {
            ty,
            lo: value.lo_slot(),
            hi: value.hi_slot(),
        });
        GlobalAddr(self.globals.len() as u32 - 1)
    }

    /// The type of a function.
    pub fn func_type(&self, f: FuncAddr) -> Option<&FuncType> {
        let t = self.funcs.get(f.0 as usize)?.type_id();
        self.types.get(t as usize)
    }

    /// The type of a table (with its current size as minimum).
    pub fn table_type(&self, t: TableAddr) -> Option<TableType> {
        self.tables.get(t.0 as usize).map(|t| t.current_type())
    }

    /// The type of a memory (with its current size as minimum).
    pub fn memory_type(&self, m: MemAddr) -> Option<MemoryType> {
        self.mems.get(m.0 as usize).map(|m| m.current_type())
    }

    /// The type of a global.
    pub fn global_type(&self, g: GlobalAddr) -> Option<GlobalType> {
        self.globals.get(g.0 as usize).map(|g| g.ty)
    }

    /// The current value of a global.
    pub fn global_value(&self, g: GlobalAddr) -> Option<Value> {
        let g = self.globals.get(g.0 as usize)?;
        Some(Value::from_slots(g.ty.ty, g.lo, g.hi))
    }

    /// Sets a global's value (mutable or not: the host may initialise).
    pub fn set_global_value(&mut self, g: GlobalAddr, v: Value) -> bool {
        let ok = self
            .globals
            .get(g.0 as usize)
            .is_some_and(|gl| crate::gc::value_matches(self, &v, gl.ty.ty));
        match self.globals.get_mut(g.0 as usize) {
            Some(gl) if ok => {
                gl.lo = v.lo_slot();
                gl.hi = v.hi_slot();
                true
            }
            _ => false,
        }
    }

    /// Whether `v` is a value of `ty` (a store-form type, as this store's
    /// function and global types are): concrete reference types are
    /// checked against the referenced function's or object's type.
    pub fn value_matches(&self, v: &Value, ty: ValType) -> bool {
        crate::gc::value_matches(self, v, ty)
    }

    /// What the GC heap holds now.
    pub fn gc_stats(&self) -> crate::gc::GcStats {
        self.heap.stats()
    }

    /// A memory's bytes.
    pub fn memory_data(&self, m: MemAddr) -> Option<&[u8]> {
        self.mems.get(m.0 as usize).map(|m| m.bytes())
    }

    /// A memory's bytes, writable.
    pub fn memory_data_mut(&mut self, m: MemAddr) -> Option<&mut [u8]> {
        self.mems.get_mut(m.0 as usize).map(|m| m.bytes_mut())
    }

    /// A table element.
    pub fn table_get(&self, t: TableAddr, i: u32) -> Option<Value> {
        let t = self.tables.get(t.0 as usize)?;
        let slot = *t.elems.get(i as usize)?;
        Some(Value::from_slots(ValType::Ref(t.ty.elem), slot, 0))
    }

    /// An instance's export by name.
    pub fn get_export(&self, inst: InstanceId, name: &str) -> Option<Extern> {
        self.instances
            .get(inst.0 as usize)?
            .exports
            .get(name)
            .copied()
    }

    /// An instance's exports in declaration order.
    pub fn exports(&self, inst: InstanceId) -> Vec<(String, Extern)> {
        let Some(d) = self.instances.get(inst.0 as usize) else {
            return Vec::new();
        };
        d.export_order
            .iter()
            .filter_map(|n| d.exports.get(n).map(|e| (n.clone(), *e)))
            .collect()
    }

    /// The type of an extern, as import matching sees it.
    pub fn extern_type(&self, e: Extern) -> Option<ExternType> {
        Some(match e {
            Extern::Func(f) => ExternType::Func(self.func_type(f)?.clone()),
            Extern::Table(t) => ExternType::Table(self.table_type(t)?),
            Extern::Memory(m) => ExternType::Memory(self.memory_type(m)?),
            Extern::Global(g) => ExternType::Global(self.global_type(g)?),
            Extern::Tag(t) => ExternType::Tag(self.tag_type(t)?.clone()),
        })
    }
}

/// The type of an external value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    /// Function type.
    Func(FuncType),
    /// Table type.
    Table(TableType),
    /// Memory type.
    Memory(MemoryType),
    /// Global type.
    Global(GlobalType),
    /// Tag type (its parameters are the exception's values).
    Tag(FuncType),
}

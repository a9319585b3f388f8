//! Instantiation: import matching (the spec's link errors), allocation,
//! compilation, segment initialisation in the spec's order, the start
//! function; and invocation by export name.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use wtool_ast::{
    DataMode, ElemItems, ElemMode, Expr, ExternKind, ImportDesc, Instr, Limits, MemoryType, Module,
    Op, ValType,
};

use crate::compile::{CompileError, CompileErrorKind};
use crate::compiled::CompiledModule;
use crate::exec;
use crate::memory::{MemInst, MemoryError};
use crate::store::{
    Extern, FuncInst, GlobalAddr, InstanceData, InstanceId, MemAddr, Store, TableAddr, WasmFunc,
};
use crate::table::TableInst;
use crate::trap::{Trap, TrapKind};
use crate::values::{FuncAddr, Value, NULL_REF};

/// Resolves a module's imports to external values.
pub trait Resolver {
    /// The value bound to `module`.`name`, if any.
    fn resolve(&self, module: &str, name: &str) -> Option<Extern>;
}

/// A simple import map (what `register` in spec scripts builds).
#[derive(Clone, Debug, Default)]
pub struct Imports {
    map: HashMap<(String, String), Extern>,
}

impl Imports {
    /// An empty map.
    pub fn new() -> Imports {
        Imports::default()
    }

    /// Binds `module`.`name`.
    pub fn define(&mut self, module: &str, name: &str, e: Extern) {
        self.map.insert((module.to_string(), name.to_string()), e);
    }

    /// Binds every export of `inst` under the module name `module`.
    pub fn register_instance(&mut self, store: &Store, module: &str, inst: InstanceId) {
        for (name, e) in store.exports(inst) {
            self.define(module, &name, e);
        }
    }
}

impl Resolver for Imports {
    fn resolve(&self, module: &str, name: &str) -> Option<Extern> {
        self.map
            .get(&(module.to_string(), name.to_string()))
            .copied()
    }
}

/// Why instantiation failed.
#[derive(Clone, Debug, PartialEq)]
pub enum InstantiateError {
    /// An import is missing or has the wrong type (`assert_unlinkable`).
    Link {
        /// "unknown import" or "incompatible import type".
        message: &'static str,
        /// The import's module name.
        module: String,
        /// The import's item name.
        name: String,
    },
    /// A function could not be compiled (only for invalid modules).
    Compile(CompileError),
    /// A memory or table could not be allocated.
    Resource(String),
    /// A memory or table needs more than the store's limit allows
    /// ([`Config::max_memory_bytes`](crate::Config),
    /// [`Config::max_table_elements`](crate::Config)).
    Limit {
        /// `"memory"` or `"table"`.
        what: &'static str,
        /// Its index in the module.
        index: u32,
        /// What its minimum size needs (bytes or elements).
        needed: u64,
        /// The limit.
        limit: u64,
    },
    /// Segment initialisation or the start function trapped
    /// (`assert_uninstantiable`); effects on shared state persist.
    Trap(Trap),
}

impl fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiateError::Link {
                message,
                module,
                name,
            } => write!(f, "{message}: {module}.{name}"),
            InstantiateError::Compile(e) => write!(f, "compile error: {e}"),
            InstantiateError::Resource(m) => f.write_str(m),
            InstantiateError::Limit {
                what: "memory",
                index,
                needed,
                limit,
            } => write!(
                f,
                "memory {index} needs {} at instantiation, more than the memory limit of {}",
                crate::memory::format_bytes(*needed),
                crate::memory::format_bytes(*limit)
            ),
            InstantiateError::Limit {
                what,
                index,
                needed,
                limit,
            } => write!(
                f,
                "{what} {index} needs {needed} elements at instantiation, more than the limit of {limit}"
            ),
            InstantiateError::Trap(t) => write!(f, "{t}"),
        }
    }
}

impl std::error::Error for InstantiateError {}

fn limits_match(actual: Limits, imported: Limits) -> bool {
    actual.min >= imported.min
        && match imported.max {
            None => true,
            Some(im) => actual.max.is_some_and(|am| am <= im),
        }
}

/// Import matching of memory types: the same address width, shared-ness
/// and page size (custom page sizes), and limits within the import's.
fn memory_matches(actual: MemoryType, imported: MemoryType) -> bool {
    actual.index64 == imported.index64
        && actual.shared == imported.shared
        && actual.page_size_log2.unwrap_or(16) == imported.page_size_log2.unwrap_or(16)
        && limits_match(actual.limits, imported.limits)
}

impl Store {
    /// Instantiates a validated module, resolving imports with `imports`.
    ///
    /// On a trap during segment initialisation or in the start function the
    /// error is [`InstantiateError::Trap`]; writes already made to imported
    /// tables and memories stay, as the spec requires.
    ///
    /// The module is prepared anew (see [`CompiledModule`]); to instantiate
    /// one module several times with one translation, prepare it once and
    /// use [`Store::instantiate_compiled`].
    pub fn instantiate(
        &mut self,
        module: &Module,
        imports: &dyn Resolver,
    ) -> Result<InstanceId, InstantiateError> {
        self.instantiate_compiled(&Rc::new(CompiledModule::new(module.clone())), imports)
    }

    /// Instantiates a prepared module. Its functions are translated on
    /// their first call (in any instance) and the translation is shared.
    pub fn instantiate_compiled(
        &mut self,
        compiled: &Rc<CompiledModule>,
        imports: &dyn Resolver,
    ) -> Result<InstanceId, InstantiateError> {
        let module = compiled.module();
        let mut d = InstanceData {
            types: self.register_types(module),
            ..InstanceData::default()
        };
        // 1. Imports.
        for imp in &module.imports {
            let link = |message| InstantiateError::Link {
                message,
                module: imp.module.clone(),
                name: imp.name.clone(),
            };
            let e = imports
                .resolve(&imp.module, &imp.name)
                .ok_or_else(|| link("unknown import"))?;
            let ok = match (&imp.desc, e) {
                (ImportDesc::Func(ti), Extern::Func(f)) => {
                    let want = d.types.get(*ti as usize).copied();
                    let have = self.funcs.get(f.0 as usize).map(|x| x.type_id());
                    matches!((have, want), (Some(a), Some(b)) if self.type_matches(a, b))
                }
                (ImportDesc::Table(tt), Extern::Table(t)) => {
                    let want = crate::typing::store_ref(tt.elem, &d.types);
                    self.table_type(t).is_some_and(|a| {
                        a.elem == want
                            && a.index64 == tt.index64
                            && limits_match(a.limits, tt.limits)
                    })
                }
                (ImportDesc::Memory(mt), Extern::Memory(m)) => {
                    self.memory_type(m).is_some_and(|a| memory_matches(a, *mt))
                }
                (ImportDesc::Global(gt), Extern::Global(g)) => {
                    let want = crate::typing::store_val(gt.ty, &d.types);
                    self.global_type(g).is_some_and(|a| {
                        a.mutable == gt.mutable
                            && (a.ty == want || !a.mutable && self.registry.val_matches(a.ty, want))
                    })
                }
                (ImportDesc::Tag(ti), Extern::Tag(t)) => {
                    let want = d.types.get(*ti as usize);
                    want.is_some() && self.tags.get(t.0 as usize) == want
                }
                _ => false,
            };
            if !ok {
                return Err(link("incompatible import type"));
            }
            match e {
                Extern::Func(f) => d.funcs.push(f.0),
                Extern::Table(t) => d.tables.push(t.0),
                Extern::Memory(m) => d.mems.push(m.0),
                Extern::Global(g) => d.globals.push(g.0),
                Extern::Tag(t) => d.tags.push(t.0),
            }
        }
        // Tags (their types are interned with the module's).
        for t in &module.tags {
            let ty = d.types.get(t.type_idx as usize).copied().unwrap_or(0);
            self.tags.push(ty);
            d.tags.push(self.tags.len() as u32 - 1);
        }
        let inst_id = self.instances.len() as u32;
        // 2. Allocate functions; memory 0 is known once memories are.
        let first_func = self.funcs.len();
        let n_imported_funcs = d.funcs.len() as u32;
        let metered = self.config.fuel.is_some();
        for (i, f) in module.funcs.iter().enumerate() {
            let type_id = d.types.get(f.type_idx as usize).copied().unwrap_or(0);
            self.targets.push(crate::store::CallTarget::UNKNOWN);
            self.funcs.push(FuncInst::Wasm(WasmFunc {
                type_id,
                instance: inst_id,
                index: n_imported_funcs + i as u32,
                defined: i as u32,
                module: Rc::clone(compiled),
                metered,
                mem0: u32::MAX,
            }));
            d.funcs.push(self.funcs.len() as u32 - 1);
        }
        // 3. Globals (initialisers may read imported globals and take ref.func).
        for g in &module.globals {
            let (lo, hi) = self.eval_const(module, &g.init, &d)?;
            self.globals.push(crate::store::GlobalInst {
                ty: wtool_ast::GlobalType {
                    ty: crate::typing::store_val(g.ty.ty, &d.types),
                    ..g.ty
                },
                lo,
                hi,
            });
            d.globals.push(self.globals.len() as u32 - 1);
        }
        // 4. Tables and memories.
        let imported_tables = d.tables.len() as u32;
        for (i, t) in module.tables.iter().enumerate() {
            let init = match &t.init {
                Some(e) => self.eval_const(module, e, &d)?.0,
                None => NULL_REF,
            };
            let limit = self.config.max_table_elements;
            let ty = wtool_ast::TableType {
                elem: crate::typing::store_ref(t.ty.elem, &d.types),
                ..t.ty
            };
            let table = TableInst::new(ty, init, limit).ok_or(InstantiateError::Limit {
                what: "table",
                index: imported_tables + i as u32,
                needed: t.ty.limits.min,
                limit,
            })?;
            self.tables.push(table);
            d.tables.push(self.tables.len() as u32 - 1);
        }
        let imported_mems = d.mems.len() as u32;
        for (i, m) in module.memories.iter().enumerate() {
            let mem = MemInst::new(*m, self.config.max_memory_bytes).map_err(|e| match e {
                MemoryError::OverLimit { needed, limit } => InstantiateError::Limit {
                    what: "memory",
                    index: imported_mems + i as u32,
                    needed,
                    limit,
                },
                other => InstantiateError::Resource(format!(
                    "memory {}: {other}",
                    imported_mems + i as u32
                )),
            })?;
            self.mems.push(mem);
            d.mems.push(self.mems.len() as u32 - 1);
        }
        // 5. Element and data instances.
        for e in &module.elems {
            let items = match &e.items {
                ElemItems::Funcs(fs) => fs
                    .iter()
                    .map(|&f| {
                        d.funcs
                            .get(f as usize)
                            .map(|&a| a as u64 + 1)
                            .unwrap_or(NULL_REF)
                    })
                    .collect(),
                ElemItems::Exprs(es) => {
                    let mut v = Vec::with_capacity(es.len());
                    for x in es {
                        v.push(self.eval_const(module, x, &d)?.0);
                    }
                    v
                }
            };
            self.elems.push(items);
            d.elems.push(self.elems.len() as u32 - 1);
        }
        for s in &module.datas {
            self.datas.push(s.data.clone());
            d.datas.push(self.datas.len() as u32 - 1);
        }
        // 6. Exports.
        for ex in &module.exports {
            let space = match ex.kind {
                ExternKind::Func => &d.funcs,
                ExternKind::Table => &d.tables,
                ExternKind::Memory => &d.mems,
                ExternKind::Global => &d.globals,
                ExternKind::Tag => &d.tags,
            };
            let Some(&a) = space.get(ex.index as usize) else {
                continue;
            };
            let e = match ex.kind {
                ExternKind::Func => Extern::Func(FuncAddr(a)),
                ExternKind::Table => Extern::Table(TableAddr(a)),
                ExternKind::Memory => Extern::Memory(MemAddr(a)),
                ExternKind::Tag => Extern::Tag(crate::store::TagAddr(a)),
                _ => Extern::Global(GlobalAddr(a)),
            };
            if d.exports.insert(ex.name.clone(), e).is_none() {
                d.export_order.push(ex.name.clone());
            }
        }
        if let Some(names) = &module.names {
            d.func_names = names.funcs.iter().cloned().collect();
        }
        // 7. Functions learn their memory 0; bodies are translated on
        // their first call.
        let mem0 = d.mems.first().copied().unwrap_or(u32::MAX);
        for f in &mut self.funcs[first_func..] {
            if let FuncInst::Wasm(w) = f {
                w.mem0 = mem0;
            }
        }
        d.hot_funcs = d.funcs.as_slice().into();
        d.hot_globals = d.globals.as_slice().into();
        self.instances.push(d);
        let id = InstanceId(inst_id);
        // 8. Active and declarative element segments, in order.
        for (i, e) in module.elems.iter().enumerate() {
            let ea = self.instances[inst_id as usize].elems[i];
            match &e.mode {
                ElemMode::Active { table, offset } => {
                    let d = &self.instances[inst_id as usize];
                    let Some(&ta) = d.tables.get(*table as usize) else {
                        return Err(InstantiateError::Trap(Trap::new(
                            TrapKind::TableOutOfBounds,
                        )));
                    };
                    let off = self
                        .eval_const(module, offset, &self.instances[inst_id as usize].clone())?
                        .0 as u32 as usize;
                    let items = self.elems[ea as usize].clone();
                    let t = &mut self.tables[ta as usize];
                    match off
                        .checked_add(items.len())
                        .and_then(|end| t.elems.get_mut(off..end))
                    {
                        Some(dst) => dst.copy_from_slice(&items),
                        None => {
                            return Err(InstantiateError::Trap(Trap::new(
                                TrapKind::TableOutOfBounds,
                            )))
                        }
                    }
                    self.elems[ea as usize] = Vec::new();
                }
                ElemMode::Declarative => self.elems[ea as usize] = Vec::new(),
                ElemMode::Passive => {}
            }
        }
        // 9. Active data segments, in order.
        for (i, s) in module.datas.iter().enumerate() {
            let da = self.instances[inst_id as usize].datas[i];
            if let DataMode::Active { memory, offset } = &s.mode {
                let Some(&ma) = self.instances[inst_id as usize].mems.get(*memory as usize) else {
                    return Err(InstantiateError::Trap(Trap::new(
                        TrapKind::MemoryOutOfBounds,
                    )));
                };
                let off = self
                    .eval_const(module, offset, &self.instances[inst_id as usize].clone())?
                    .0 as u32 as usize;
                let bytes = std::mem::take(&mut self.datas[da as usize]);
                let m = &mut self.mems[ma as usize];
                match off
                    .checked_add(bytes.len())
                    .and_then(|end| m.bytes_mut().get_mut(off..end))
                {
                    Some(dst) => dst.copy_from_slice(&bytes),
                    None => {
                        return Err(InstantiateError::Trap(Trap::new(
                            TrapKind::MemoryOutOfBounds,
                        )))
                    }
                }
            }
        }
        // 10. Start.
        if let Some(s) = module.start {
            let Some(&f) = self.instances[inst_id as usize].funcs.get(s as usize) else {
                return Err(InstantiateError::Trap(Trap::new(TrapKind::Unreachable)));
            };
            exec::invoke(self, FuncAddr(f), &[]).map_err(InstantiateError::Trap)?;
        }
        Ok(id)
    }

    /// Evaluates a constant expression to its slots.
    fn eval_const(
        &mut self,
        module: &Module,
        e: &Expr,
        d: &InstanceData,
    ) -> Result<(u64, u64), InstantiateError> {
        let bad = || {
            InstantiateError::Compile(CompileError {
                func: u32::MAX,
                offset: e.offsets.first().copied(),
                kind: CompileErrorKind::Invalid("constant expression required"),
            })
        };
        let mut st: Vec<(u64, u64)> = Vec::new();
        for i in &e.instrs {
            let v = match i {
                Instr::I32Const(v) => (*v as u32 as u64, 0),
                Instr::I64Const(v) => (*v as u64, 0),
                Instr::F32Const(v) => (*v as u64, 0),
                Instr::F64Const(v) => (*v, 0),
                Instr::V128Const(b) => {
                    let v = u128::from_le_bytes(**b);
                    (v as u64, (v >> 64) as u64)
                }
                Instr::RefNull(_) => (NULL_REF, 0),
                Instr::RefFunc(f) => (*d.funcs.get(*f as usize).ok_or_else(bad)? as u64 + 1, 0),
                Instr::GlobalGet(g) => {
                    let a = *d.globals.get(*g as usize).ok_or_else(bad)?;
                    let g = self.globals.get(a as usize).ok_or_else(bad)?;
                    (g.lo, g.hi)
                }
                Instr::Plain(op) => {
                    let (b, a) = (st.pop().ok_or_else(bad)?.0, st.pop().ok_or_else(bad)?.0);
                    let r = match op {
                        Op::I32Add => (a as u32).wrapping_add(b as u32) as u64,
                        Op::I32Sub => (a as u32).wrapping_sub(b as u32) as u64,
                        Op::I32Mul => (a as u32).wrapping_mul(b as u32) as u64,
                        Op::I64Add => a.wrapping_add(b),
                        Op::I64Sub => a.wrapping_sub(b),
                        Op::I64Mul => a.wrapping_mul(b),
                        _ => return Err(bad()),
                    };
                    (r, 0)
                }
                Instr::End => break,
                _ => match crate::gc::konst::eval(self, module, &d.types, i, &mut st) {
                    Some(Ok(())) => continue,
                    Some(Err(k)) => return Err(InstantiateError::Trap(Trap::new(k))),
                    None => return Err(bad()),
                },
            };
            st.push(v);
        }
        st.pop().ok_or_else(bad)
    }

    /// Calls function `f` with typed arguments.
    pub fn call(&mut self, f: FuncAddr, args: &[Value]) -> Result<Vec<Value>, Trap> {
        exec::invoke(self, f, args)
    }

    /// Calls the exported function `name` of `inst` with typed arguments.
    pub fn invoke(
        &mut self,
        inst: InstanceId,
        name: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, Trap> {
        match self.get_export(inst, name) {
            Some(Extern::Func(f)) => exec::invoke(self, f, args),
            _ => Err(Trap::host(format!("unknown export function \"{name}\""))),
        }
    }

    /// The parameter and result types of an exported function.
    pub fn export_func_type(&self, inst: InstanceId, name: &str) -> Option<wtool_ast::FuncType> {
        match self.get_export(inst, name)? {
            Extern::Func(f) => self.func_type(f).cloned(),
            _ => None,
        }
    }
}

/// The default zero value for a type as slots (used by hosts).
pub fn zero_slots(ty: ValType) -> (u64, u64) {
    let v = Value::default_for(ty);
    (v.lo_slot(), v.hi_slot())
}

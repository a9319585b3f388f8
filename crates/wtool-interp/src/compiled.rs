//! A module prepared for execution: compiled once, shared by all its
//! instances, each function translated on its first call.
//!
//! Translated code names functions, globals, tables, memories and segments
//! by their module index; the executor resolves them through the running
//! instance, so the same code serves every instance. Validation happens
//! before (completely and up front, by the caller); translation only
//! re-checks the stack discipline it relies on.

use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;

use wtool_ast::{Expr, ExternKind, Module};

use crate::code::{self, FuncCode};
use crate::compile::{compile_func, Body, CompileError, CompileErrorKind};

/// Function bodies left in a module's binary (what
/// `wtool_binary::decode_lazy` gives besides the module): each is read
/// when its function is first called, straight into the compiler.
pub struct BinaryBodies {
    /// The whole binary (the ranges are offsets into it).
    pub bytes: Box<dyn AsRef<[u8]>>,
    /// The body of each defined function, by defined index.
    pub ranges: Vec<wtool_binary::BodyRange>,
    /// The features the module was decoded and validated with.
    pub features: wtool_ast::Features,
    /// Whether the module has a data count section.
    pub has_data_count: bool,
}

impl BinaryBodies {
    /// A reader over the body of defined function `defined`, if there is one.
    fn reader(&self, defined: u32) -> Option<wtool_binary::BodyReader<'_>> {
        let range = self.ranges.get(defined as usize)?;
        Some(wtool_binary::BodyReader::new(
            (*self.bytes).as_ref(),
            range,
            self.features,
            self.has_data_count,
        ))
    }
}

/// A module ready to be instantiated any number of times
/// ([`crate::Store::instantiate_compiled`]); translation is per function,
/// on its first call, and shared by every instance.
pub struct CompiledModule {
    src: Source,
    /// Translations without and with fuel metering, by defined index.
    plain: Box<[OnceCell<Box<FuncCode>>]>,
    metered: Box<[OnceCell<Box<FuncCode>>]>,
}

/// A translating thread's reusable buffers.
#[derive(Default)]
struct Scratch {
    body: Expr,
    ins: Vec<crate::ins::Ins>,
    offsets: Vec<u32>,
}

/// What translating a function reads.
pub(crate) struct Source {
    module: Module,
    bodies: Option<BinaryBodies>,
    info: ModuleInfo,
}

impl fmt::Debug for CompiledModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledModule")
            .field("funcs", &self.plain.len())
            .field("lazy_bodies", &self.src.bodies.is_some())
            .finish()
    }
}

/// What translation needs to know of the module's index spaces.
#[derive(Debug, Default)]
pub(crate) struct ModuleInfo {
    /// Type index of every function (imports first).
    pub func_types: Vec<u32>,
    pub imported_funcs: u32,
    pub tables: u32,
    pub memories: u32,
    pub globals: u32,
    /// Whether each memory (imports first) is 64-bit (memory64).
    pub mem64: Vec<bool>,
    /// Whether each table (imports first) is 64-bit (table64).
    pub table64: Vec<bool>,
}

impl ModuleInfo {
    fn new(m: &Module) -> ModuleInfo {
        let mut func_types = Vec::new();
        for imp in &m.imports {
            if let wtool_ast::ImportDesc::Func(t) = imp.desc {
                func_types.push(t);
            }
        }
        let imported_funcs = func_types.len() as u32;
        func_types.extend(m.funcs.iter().map(|f| f.type_idx));
        ModuleInfo {
            func_types,
            imported_funcs,
            tables: m.num_imported(ExternKind::Table) + m.tables.len() as u32,
            memories: m.num_imported(ExternKind::Memory) + m.memories.len() as u32,
            globals: m.num_imported(ExternKind::Global) + m.globals.len() as u32,
            mem64: (0..m.num_imported(ExternKind::Memory) + m.memories.len() as u32)
                .map(|i| m.memory_type(i).is_some_and(|t| t.index64))
                .collect(),
            table64: (0..m.num_imported(ExternKind::Table) + m.tables.len() as u32)
                .map(|i| m.table_type(i).is_some_and(|t| t.index64))
                .collect(),
        }
    }
}

impl CompiledModule {
    /// Prepares a validated module whose function bodies are all present.
    pub fn new(module: Module) -> CompiledModule {
        let n = module.funcs.len();
        let cells = || (0..n).map(|_| OnceCell::new()).collect::<Box<[_]>>();
        CompiledModule {
            plain: cells(),
            metered: cells(),
            src: Source {
                info: ModuleInfo::new(&module),
                module,
                bodies: None,
            },
        }
    }

    /// Prepares a validated module whose function bodies are empty
    /// (`Expr::instrs` empty) and left in its binary: each is read when its
    /// function is first called, so a large program starts without reading
    /// code it never runs.
    pub fn with_lazy_bodies(module: Module, bodies: BinaryBodies) -> CompiledModule {
        let n = module.funcs.len();
        let cells = || (0..n).map(|_| OnceCell::new()).collect::<Box<[_]>>();
        CompiledModule {
            plain: cells(),
            metered: cells(),
            src: Source {
                info: ModuleInfo::new(&module),
                module,
                bodies: Some(bodies),
            },
        }
    }

    /// The module.
    pub fn module(&self) -> &Module {
        &self.src.module
    }

    /// The translation of defined function `defined`, if made.
    #[inline(always)]
    pub(crate) fn code(&self, defined: u32, metered: bool) -> Option<&FuncCode> {
        let cells = if metered { &self.metered } else { &self.plain };
        cells.get(defined as usize)?.get().map(|b| &**b)
    }

    /// Translates defined function `defined` unless done already.
    pub(crate) fn translate(&self, defined: u32, metered: bool) -> Result<&FuncCode, CompileError> {
        let cells = if metered { &self.metered } else { &self.plain };
        let cell = cells.get(defined as usize).ok_or_else(|| {
            self.src
                .error(defined, CompileErrorKind::Invalid("unknown function"))
        })?;
        if let Some(c) = cell.get() {
            return Ok(c);
        }
        let _ = cell.set(Box::new(self.src.translate(defined, metered)?));
        cell.get().map(|b| &**b).ok_or_else(|| {
            self.src.error(
                defined,
                CompileErrorKind::Internal {
                    what: "translation lost",
                    at: 0,
                },
            )
        })
    }
}

impl Source {
    fn error(&self, defined: u32, kind: CompileErrorKind) -> CompileError {
        CompileError {
            func: self.info.imported_funcs + defined,
            offset: None,
            kind,
        }
    }

    /// Translates defined function `defined` (which must exist).
    fn translate(&self, defined: u32, metered: bool) -> Result<FuncCode, CompileError> {
        let err = |kind: CompileErrorKind| self.error(defined, kind);
        let f = self
            .module
            .funcs
            .get(defined as usize)
            .ok_or_else(|| err(CompileErrorKind::Invalid("unknown function")))?;
        // Each thread translating keeps its buffers from one function to the
        // next: translation allocates little once they have grown.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
        }
        SCRATCH.with(|s| {
            let mut s = s.try_borrow_mut().map_err(|_| {
                err(CompileErrorKind::Internal {
                    what: "translation re-entered",
                    at: 0,
                })
            })?;
            self.translate_with(defined, f, metered, &mut s)
        })
    }

    fn translate_with(
        &self,
        defined: u32,
        f: &wtool_ast::Func,
        metered: bool,
        s: &mut Scratch,
    ) -> Result<FuncCode, CompileError> {
        let index = self.info.imported_funcs + defined;
        let err = |kind: CompileErrorKind| self.error(defined, kind);
        let (ins, offsets) = (&mut s.ins, &mut s.offsets);
        let compile = |body: Body<'_>, ins: &mut Vec<crate::ins::Ins>, offsets: &mut Vec<u32>| {
            ins.clear();
            offsets.clear();
            compile_func(
                &self.module,
                &self.info,
                index,
                f,
                body,
                metered,
                ins,
                offsets,
            )
        };
        let lazy = self.bodies.as_ref().filter(|_| f.body.instrs.is_empty());
        let c = match lazy {
            None => compile(Body::Expr(&f.body), ins, offsets)?,
            Some(b) => {
                let reader = || {
                    b.reader(defined)
                        .ok_or_else(|| err(CompileErrorKind::Invalid("unknown function")))
                };
                match compile(Body::Binary(reader()?), ins, offsets) {
                    Ok(c) => c,
                    // A body with a legacy `try` (whose slots are counted
                    // before compiling), or one that cannot be compiled:
                    // again from the decoded body, which says why.
                    Err(_) => {
                        reader()?
                            .read_into(&mut s.body)
                            .map_err(|e| err(CompileErrorKind::Body(Arc::new(e))))?;
                        compile(Body::Expr(&s.body), ins, offsets)?
                    }
                }
            }
        };
        // The sentinel ends every fall-through inside the code.
        ins.push(crate::ins::Ins::Unreachable);
        offsets.push(u32::MAX);
        code::thread_jumps(ins);
        let pads: Vec<u32> = c.handlers.iter().map(|h| h.pad).collect();
        let threaded =
            code::lower(ins, c.max_height, &pads).map_err(|e| CompileError { func: index, ..e })?;
        Ok(FuncCode::new(
            threaded,
            ins.as_slice().into(),
            offsets.as_slice().into(),
            c.param_slots,
            c.local_slots,
            c.max_height,
            c.handlers.into_boxed_slice(),
        ))
    }
}

/// The internal code of defined function `defined`, one instruction a line
/// (a debugging aid for the interpreter's own development).
#[doc(hidden)]
pub fn debug_listing(module: Module, defined: u32) -> Result<String, CompileError> {
    let c = CompiledModule::new(module);
    let code = c.translate(defined, false)?;
    let mut s = String::new();
    for (i, ins) in code.ins.iter().enumerate() {
        s.push_str(&format!("{i:4} {ins:?}\n"));
    }
    Ok(s)
}

//! Module-level validation: everything outside function bodies, and the
//! context ([`ModuleInfo`]) that function bodies are validated against.

use std::collections::HashSet;

use wtool_ast::{
    DataMode, ElemItems, ElemMode, Expr, ExternKind, Features, FuncType, GlobalType, HeapType,
    ImportDesc, Instr, Limits, MemoryType, Module, RefType, SectionId, TableType, ValType,
};

use crate::error::{ErrorKind, Expected, ValidationError};
use crate::features::{check_ref_type, check_val_type, require};
use crate::types::{addr_type, TypeCx};

/// Largest page count of a 32-bit memory (4 GiB of 64 KiB pages).
const MAX_PAGES32: u64 = 1 << 16;
/// Largest page count of a 64-bit memory (2^64 bytes of 64 KiB pages).
const MAX_PAGES64: u64 = 1 << 48;

/// The validation context: every index space of a module resolved once, so
/// function bodies (possibly on several threads) look types up in O(1).
#[derive(Debug)]
pub struct ModuleInfo<'m> {
    pub(crate) module: &'m Module,
    pub(crate) features: Features,
    /// Type index of every function, imports first.
    pub(crate) func_types: Vec<u32>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<TableType>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) globals: Vec<GlobalType>,
    pub(crate) num_imported_globals: u32,
    pub(crate) elem_types: Vec<RefType>,
    /// Functions that may be named by `ref.func` inside bodies (C.refs).
    pub(crate) declared: Vec<bool>,
    /// Subtyping over the module's types.
    pub(crate) tcx: TypeCx,
    /// Exports read from elsewhere than `module.exports` (a binary's
    /// export section left in the input): `(name, kind, index)`.
    pub(crate) exports_left: Vec<(&'m str, ExternKind, u32)>,
}

impl<'m> ModuleInfo<'m> {
    /// Resolves the index spaces of `module`. Never fails: out-of-range
    /// references are reported by [`ModuleInfo::validate_module`] and by the
    /// function validator.
    pub fn new(module: &'m Module, features: Features) -> Self {
        Self::with_exports(module, features, Vec::new())
    }

    /// [`ModuleInfo::new`] for a module whose exports are given apart
    /// (`module.exports` holds none of them): `(name, kind, index)`.
    pub fn with_exports(
        module: &'m Module,
        features: Features,
        exports_left: Vec<(&'m str, ExternKind, u32)>,
    ) -> Self {
        let mut func_types = Vec::new();
        let mut tables = Vec::new();
        let mut memories = Vec::new();
        let mut globals = Vec::new();
        for imp in &module.imports {
            match &imp.desc {
                ImportDesc::Func(t) => func_types.push(*t),
                ImportDesc::Table(t) => tables.push(*t),
                ImportDesc::Memory(m) => memories.push(*m),
                ImportDesc::Global(g) => globals.push(*g),
                ImportDesc::Tag(_) => {}
            }
        }
        let num_imported_funcs = func_types.len() as u32;
        let num_imported_globals = globals.len() as u32;
        func_types.extend(module.funcs.iter().map(|f| f.type_idx));
        tables.extend(module.tables.iter().map(|t| t.ty));
        memories.extend(module.memories.iter().copied());
        globals.extend(module.globals.iter().map(|g| g.ty));
        let elem_types = module
            .elems
            .iter()
            .map(|e| elem_type(e, features))
            .collect();

        let mut declared = vec![false; func_types.len()];
        let mut declare = |f: u32| {
            if let Some(d) = declared.get_mut(f as usize) {
                *d = true;
            }
        };
        let declare_expr = |e: &Expr, declare: &mut dyn FnMut(u32)| {
            for i in &e.instrs {
                if let Instr::RefFunc(f) = i {
                    declare(*f);
                }
            }
        };
        for g in &module.globals {
            declare_expr(&g.init, &mut declare);
        }
        for t in &module.tables {
            if let Some(init) = &t.init {
                declare_expr(init, &mut declare);
            }
        }
        for e in &module.elems {
            match &e.items {
                ElemItems::Funcs(fs) => fs.iter().for_each(|&f| declare(f)),
                ElemItems::Exprs(es) => es.iter().for_each(|x| declare_expr(x, &mut declare)),
            }
        }
        for e in &module.exports {
            if e.kind == ExternKind::Func {
                declare(e.index);
            }
        }
        for &(_, kind, index) in &exports_left {
            if kind == ExternKind::Func {
                declare(index);
            }
        }

        ModuleInfo {
            module,
            features,
            func_types,
            num_imported_funcs,
            tables,
            memories,
            globals,
            num_imported_globals,
            elem_types,
            declared,
            tcx: TypeCx::new(module),
            exports_left,
        }
    }

    /// The module being validated.
    pub fn module(&self) -> &'m Module {
        self.module
    }

    /// The enabled features.
    pub fn features(&self) -> Features {
        self.features
    }

    /// Number of functions (imported and defined).
    pub fn num_funcs(&self) -> u32 {
        self.func_types.len() as u32
    }

    /// Number of imported functions; defined function `i` has index `num_imported_funcs() + i`.
    pub fn num_imported_funcs(&self) -> u32 {
        self.num_imported_funcs
    }

    /// The function type at a type index.
    #[inline]
    pub(crate) fn func_type(&self, type_idx: u32) -> Option<&'m FuncType> {
        self.module.func_type(type_idx)
    }

    /// The type of function `f`.
    #[inline]
    pub(crate) fn type_of_func(&self, f: u32) -> Result<&'m FuncType, ErrorKind> {
        let t = *self
            .func_types
            .get(f as usize)
            .ok_or(ErrorKind::UnknownFunction(f))?;
        self.func_type(t).ok_or(ErrorKind::UnknownType(t))
    }

    fn num_types(&self) -> u32 {
        self.module.types.len() as u32
    }

    /// A construct of `feature` that is not validated yet: the feature
    /// error when it is off, "not supported yet" when it is on.
    pub(crate) fn not_yet(&self, feature: Features) -> Result<(), ErrorKind> {
        require(self.features, feature)?;
        Err(ErrorKind::Unsupported(
            feature.flag_name().unwrap_or("this proposal"),
        ))
    }

    /// Validates everything except function bodies.
    pub fn validate_module(&self) -> Result<(), ValidationError> {
        self.validate_items()?;
        self.validate_data_count(self.module.datas.len())?;
        self.module
            .datas
            .iter()
            .try_for_each(|d| self.validate_data(&d.mode))
    }

    /// [`ModuleInfo::validate_module`] up to the data count section: what
    /// precedes the data segments, for segments read from elsewhere.
    pub(crate) fn validate_items(&self) -> Result<(), ValidationError> {
        let m = self.module;
        // Module-level items carry no offsets of their own; point at the
        // payload of the section being checked (binary input only).
        let cur = std::cell::Cell::new(None);
        let enter = |id: SectionId| cur.set(self.section_offset(id));
        let at = |kind: ErrorKind| ValidationError::module(kind, cur.get());

        enter(SectionId::Type);

        self.type_section().map_err(at)?;
        enter(SectionId::Import);
        for imp in &m.imports {
            if imp.exact {
                self.not_yet(Features::CUSTOM_DESCRIPTORS).map_err(at)?;
            }
            match &imp.desc {
                ImportDesc::Func(t) => {
                    self.func_type(*t)
                        .ok_or(ErrorKind::UnknownType(*t))
                        .map_err(at)?;
                }
                ImportDesc::Table(t) => self.table_type(t).map_err(at)?,
                ImportDesc::Memory(mt) => self.memory_type(mt).map_err(at)?,
                ImportDesc::Global(g) => {
                    check_val_type(self.features, g.ty, self.num_types()).map_err(at)?;
                    if g.mutable {
                        require(self.features, Features::MUTABLE_GLOBAL).map_err(at)?;
                    }
                }
                ImportDesc::Tag(t) => self.tag_type(*t).map_err(at)?,
            }
        }
        for f in &m.funcs {
            if self.func_type(f.type_idx).is_none() {
                return Err(ValidationError::module(
                    ErrorKind::UnknownType(f.type_idx),
                    Some(f.offset),
                ));
            }
        }
        enter(SectionId::Table);
        for t in &m.tables {
            self.table_type(&t.ty).map_err(at)?;
            match &t.init {
                Some(init) => {
                    require(self.features, Features::FUNCTION_REFERENCES).map_err(at)?;
                    // The global section comes later: only imports are visible.
                    self.const_expr(init, ValType::Ref(t.ty.elem), self.num_imported_globals)?;
                }
                None if !t.ty.elem.nullable => return Err(at(ErrorKind::UninitializedTable)),
                None => {}
            }
        }
        if self.tables.len() > 1 && !self.features.contains(Features::REFERENCE_TYPES) {
            return Err(at(ErrorKind::MultipleTables));
        }
        enter(SectionId::Memory);
        for mt in &m.memories {
            self.memory_type(mt).map_err(at)?;
        }
        if self.memories.len() > 1 && !self.features.contains(Features::MULTI_MEMORY) {
            return Err(at(ErrorKind::MultipleMemories));
        }
        enter(SectionId::Tag);
        for t in &m.tags {
            self.tag_type(t.type_idx).map_err(at)?;
        }
        for (i, g) in m.globals.iter().enumerate() {
            check_val_type(self.features, g.ty.ty, self.num_types())
                .map_err(|k| ValidationError::module(k, g.init.offset_of(0)))?;
            // 2.0 lets a global initializer read imported globals only; GC
            // (3.0) widens that to every earlier global.
            let visible = if self.features.contains(Features::GC) {
                self.num_imported_globals + i as u32
            } else {
                self.num_imported_globals
            };
            self.const_expr(&g.init, g.ty.ty, visible)?;
        }
        enter(SectionId::Export);
        self.exports().map_err(at)?;
        enter(SectionId::Start);
        if let Some(s) = m.start {
            let ty = self.type_of_func(s).map_err(at)?;
            if !ty.params.is_empty() || !ty.results.is_empty() {
                return Err(at(ErrorKind::StartFunction));
            }
        }
        let const_globals = self.const_globals();
        enter(SectionId::Element);
        for e in &m.elems {
            check_ref_type(self.features, e.ty).map_err(at)?;
            if let HeapType::Concrete(i) = e.ty.heap {
                if i >= self.num_types() {
                    return Err(at(ErrorKind::UnknownType(i)));
                }
            }
            match &e.mode {
                ElemMode::Passive | ElemMode::Declarative => {
                    require(self.features, Features::BULK_MEMORY).map_err(at)?;
                }
                ElemMode::Active { table, offset } => {
                    let tt = *self
                        .tables
                        .get(*table as usize)
                        .ok_or(ErrorKind::UnknownTable(*table))
                        .map_err(at)?;
                    self.const_expr(offset, addr_type(tt.index64), const_globals)?;
                    if !self.tcx.ref_matches(elem_type(e, self.features), tt.elem) {
                        return Err(ValidationError::module(
                            ErrorKind::TypeMismatch {
                                expected: Expected::Val(ValType::Ref(tt.elem)),
                                found: Some(ValType::Ref(e.ty)),
                            },
                            offset.offset_of(0),
                        ));
                    }
                }
            }
            match &e.items {
                ElemItems::Funcs(fs) => {
                    for &f in fs {
                        if f as usize >= self.func_types.len() {
                            return Err(at(ErrorKind::UnknownFunction(f)));
                        }
                    }
                    if !matches!(e.ty.heap, HeapType::Func | HeapType::Concrete(_)) {
                        return Err(at(ErrorKind::TypeMismatch {
                            expected: Expected::Val(ValType::Ref(e.ty)),
                            found: Some(ValType::FUNCREF),
                        }));
                    }
                }
                ElemItems::Exprs(es) => {
                    // Expression items (element kinds 4-7) came with reference types.
                    require(self.features, Features::REFERENCE_TYPES).map_err(at)?;
                    for x in es {
                        self.const_expr(x, ValType::Ref(e.ty), const_globals)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Initializers may read imported globals only in 2.0, every global with GC.
    fn const_globals(&self) -> u32 {
        if self.features.contains(Features::GC) {
            self.globals.len() as u32
        } else {
            self.num_imported_globals
        }
    }

    /// The data count section against the number of data segments.
    pub(crate) fn validate_data_count(&self, num_datas: usize) -> Result<(), ValidationError> {
        let Some(count) = self.module.data_count else {
            return Ok(());
        };
        let at = |kind| ValidationError::module(kind, self.section_offset(SectionId::DataCount));
        require(self.features, Features::BULK_MEMORY).map_err(at)?;
        if count as usize != num_datas {
            return Err(at(ErrorKind::DataCountMismatch {
                count,
                segments: num_datas as u32,
            }));
        }
        Ok(())
    }

    /// One data segment's mode: its memory and offset expression.
    pub(crate) fn validate_data(&self, mode: &DataMode) -> Result<(), ValidationError> {
        let at = |kind| ValidationError::module(kind, self.section_offset(SectionId::Data));
        match mode {
            DataMode::Passive => require(self.features, Features::BULK_MEMORY).map_err(at),
            DataMode::Active { memory, offset } => {
                let mt = self
                    .memories
                    .get(*memory as usize)
                    .ok_or(ErrorKind::UnknownMemory(*memory))
                    .map_err(at)?;
                self.const_expr(offset, addr_type(mt.index64), self.const_globals())
            }
        }
    }

    /// Payload offset of the first section with this id, if known.
    fn section_offset(&self, id: SectionId) -> Option<u32> {
        let id = id as u8;
        self.module
            .sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.payload_offset)
    }

    fn tag_type(&self, t: u32) -> Result<(), ErrorKind> {
        require(self.features, Features::EXCEPTIONS)?;
        let ft = self.func_type(t).ok_or(ErrorKind::UnknownType(t))?;
        if !ft.results.is_empty() {
            return Err(ErrorKind::NonEmptyTagResult);
        }
        Ok(())
    }

    fn limits(&self, l: Limits, max: u64, too_large: ErrorKind) -> Result<(), ErrorKind> {
        if l.min > max || l.max.is_some_and(|m| m > max) {
            return Err(too_large);
        }
        if l.max.is_some_and(|m| l.min > m) {
            return Err(ErrorKind::LimitsMinGreaterThanMax);
        }
        Ok(())
    }

    fn table_type(&self, t: &TableType) -> Result<(), ErrorKind> {
        // funcref tables are MVP; any other element type needs a proposal.
        if t.elem != RefType::FUNCREF {
            check_val_type(self.features, ValType::Ref(t.elem), self.num_types())?;
        }
        if t.index64 {
            require(self.features, Features::MEMORY64)?;
        }
        let max = if t.index64 { u64::MAX } else { u32::MAX as u64 };
        self.limits(t.limits, max, ErrorKind::TableSizeTooLarge)
    }

    fn memory_type(&self, mt: &MemoryType) -> Result<(), ErrorKind> {
        if mt.index64 {
            require(self.features, Features::MEMORY64)?;
        }
        if mt.shared {
            require(self.features, Features::THREADS)?;
        }
        let max = match mt.page_size_log2 {
            None => {
                if mt.index64 {
                    MAX_PAGES64
                } else {
                    MAX_PAGES32
                }
            }
            Some(log2) => {
                require(self.features, Features::CUSTOM_PAGE_SIZES)?;
                if log2 != 0 && log2 != 16 {
                    return Err(ErrorKind::InvalidCustomPageSize);
                }
                // The whole memory must stay addressable: 2^32 or 2^64 bytes.
                let bits: u32 = if mt.index64 { 64 } else { 32 };
                let pages = bits - log2;
                let max = if pages >= 64 { u64::MAX } else { 1u64 << pages };
                // 32-bit limits are u32s whatever the page size.
                if mt.index64 {
                    max
                } else {
                    max.min(u32::MAX as u64)
                }
            }
        };
        self.limits(
            mt.limits,
            max,
            ErrorKind::MemorySizeTooLarge {
                index64: mt.index64,
            },
        )?;
        if mt.shared && mt.limits.max.is_none() {
            return Err(ErrorKind::SharedMemoryNeedsMax);
        }
        Ok(())
    }

    fn exports(&self) -> Result<(), ErrorKind> {
        let m = self.module;
        let given = m.exports.iter().map(|e| (e.name.as_str(), e.kind, e.index));
        let all = given.chain(self.exports_left.iter().copied());
        let mut names: HashSet<&str> =
            HashSet::with_capacity(m.exports.len() + self.exports_left.len());
        for (name, kind, index) in all {
            let i = index as usize;
            match kind {
                ExternKind::Func => {
                    if i >= self.func_types.len() {
                        return Err(ErrorKind::UnknownFunction(index));
                    }
                }
                ExternKind::Table => {
                    if i >= self.tables.len() {
                        return Err(ErrorKind::UnknownTable(index));
                    }
                }
                ExternKind::Memory => {
                    if i >= self.memories.len() {
                        return Err(ErrorKind::UnknownMemory(index));
                    }
                }
                ExternKind::Global => {
                    let g = self.globals.get(i).ok_or(ErrorKind::UnknownGlobal(index))?;
                    if g.mutable {
                        require(self.features, Features::MUTABLE_GLOBAL)?;
                    }
                }
                ExternKind::Tag => {
                    require(self.features, Features::EXCEPTIONS)?;
                    let tags = m.num_imported(ExternKind::Tag) as usize + m.tags.len();
                    if i >= tags {
                        return Err(ErrorKind::UnknownTag(index));
                    }
                }
            }
            if !names.insert(name) {
                return Err(ErrorKind::DuplicateExportName(name.to_string()));
            }
        }
        Ok(())
    }

    /// The type `ref.func` of a function with type index `t` produces.
    #[inline]
    pub(crate) fn func_ref_type(&self, t: u32) -> ValType {
        if self.features.contains(Features::FUNCTION_REFERENCES) {
            ValType::Ref(RefType {
                nullable: false,
                heap: HeapType::Concrete(t),
            })
        } else {
            ValType::FUNCREF
        }
    }
}

/// The type of an element segment: function indices (element kind `func`)
/// are `(ref func)` with typed function references, `funcref` before.
fn elem_type(e: &wtool_ast::ElemSegment, features: Features) -> RefType {
    match e.items {
        ElemItems::Funcs(_)
            if e.ty == RefType::FUNCREF && features.contains(Features::FUNCTION_REFERENCES) =>
        {
            RefType {
                nullable: false,
                heap: HeapType::Func,
            }
        }
        _ => e.ty,
    }
}

//! Instances, aliases, canonical definitions, start, imports, exports and
//! values.

use super::names::Space;
use super::Printer;
use crate::ast::*;

/// The group keyword and index space of a component-level sort.
pub(crate) fn sort_kind(sort: Sort) -> (&'static str, Space) {
    match sort {
        Sort::Func => ("func ", Space::Func),
        Sort::Value => ("value ", Space::Value),
        Sort::Type => ("type ", Space::Type),
        Sort::Component => ("component ", Space::Component),
        Sort::Instance => ("instance ", Space::Instance),
        Sort::Core(s) => {
            let (kw, space) = core_sort_kind(s);
            // Only core modules are component-level items; other core
            // sorts cannot decode here but are printed alike if they do.
            (
                if s == CoreSort::Module {
                    "core module "
                } else {
                    kw
                },
                space,
            )
        }
    }
}

/// The group keyword and index space of a core sort, as an alias target.
pub(crate) fn core_sort_kind(sort: CoreSort) -> (&'static str, Space) {
    match sort {
        CoreSort::Func => ("core func ", Space::CoreFunc),
        CoreSort::Table => ("core table ", Space::CoreTable),
        CoreSort::Memory => ("core memory ", Space::CoreMemory),
        CoreSort::Global => ("core global ", Space::CoreGlobal),
        CoreSort::Tag => ("core tag ", Space::CoreTag),
        CoreSort::Type => ("core type ", Space::CoreType),
        CoreSort::Module => ("core module ", Space::CoreModule),
        CoreSort::Instance => ("core instance ", Space::CoreInstance),
    }
}

/// The sort an `externtype` defines.
pub(crate) fn extern_sort(ty: &ExternType) -> Sort {
    match ty {
        ExternType::Module(_) => Sort::Core(CoreSort::Module),
        ExternType::Func(_) => Sort::Func,
        ExternType::Value(_) => Sort::Value,
        ExternType::Type(_) => Sort::Type,
        ExternType::Component(_) => Sort::Component,
        ExternType::Instance(_) => Sort::Instance,
    }
}

impl Printer<'_, '_> {
    pub(super) fn core_instance(&mut self, i: &CoreInstance) {
        self.w.newline();
        self.w.start("core instance ");
        self.def_next(Space::CoreInstance);
        match i {
            CoreInstance::Instantiate { module, args } => {
                self.w.push(" ");
                self.w.start("instantiate ");
                self.idx(Space::CoreModule, *module);
                for (name, inst) in args {
                    self.w.newline();
                    self.w.start("with ");
                    self.w.str(name);
                    self.w.push(" ");
                    self.w.start("instance ");
                    self.idx(Space::CoreInstance, *inst);
                    self.w.end();
                    self.w.end();
                }
                self.w.end();
            }
            CoreInstance::FromExports(exports) => {
                for e in exports {
                    self.w.newline();
                    self.w.start("export ");
                    self.w.str(&e.name);
                    self.w.push(" ");
                    let (kw, space) = core_sort_kind(e.sort);
                    // The group names the core item without `core`.
                    self.w.start(&kw[5..]);
                    if e.sort == CoreSort::Tag {
                        // wasmprinter prints exported tags by number.
                        self.w.num(e.index);
                    } else {
                        self.idx(space, e.index);
                    }
                    self.w.end();
                    self.w.end();
                }
            }
        }
        self.w.end();
    }

    pub(super) fn instance(&mut self, i: &Instance) {
        self.w.newline();
        self.w.start("instance ");
        self.def_next(Space::Instance);
        match i {
            Instance::Instantiate { component, args } => {
                self.w.push(" ");
                self.w.start("instantiate ");
                self.idx(Space::Component, *component);
                for a in args {
                    self.w.newline();
                    self.w.start("with ");
                    self.w.str(&a.name);
                    self.w.push(" ");
                    self.sort_ref(a.sort, a.index);
                    self.w.end();
                }
                self.w.end();
            }
            Instance::FromExports(exports) => {
                for e in exports {
                    self.w.newline();
                    self.w.start("export ");
                    self.extern_name(&e.name);
                    self.w.push(" ");
                    self.sort_ref(e.sort, e.index);
                    self.w.end();
                }
            }
        }
        self.w.end();
    }

    /// `(sort idx)`.
    fn sort_ref(&mut self, sort: Sort, index: u32) {
        let (kw, space) = sort_kind(sort);
        self.w.start(kw);
        self.idx(space, index);
        self.w.end();
    }

    /// A name with its attributes (each kind once, in the grammar's order).
    pub(crate) fn extern_name(&mut self, n: &ExternName) {
        self.w.str(&n.name);
        let first = |k: u8| n.attrs.iter().find(|a| a.kind() == k);
        for (k, kw) in [
            (0, "implements "),
            (1, "version-suffix "),
            (2, "external-id "),
        ] {
            if let Some(a) = first(k) {
                self.w.push(" ");
                self.w.start(kw);
                self.w.str(a.value());
                self.w.end();
            }
        }
    }

    pub(crate) fn alias(&mut self, a: &Alias) {
        match a {
            Alias::InstanceExport {
                sort,
                instance,
                name,
            } => {
                self.w.start("alias export ");
                self.idx(Space::Instance, *instance);
                self.w.push(" ");
                self.w.str(name);
                self.w.push(" ");
                let (kw, space) = sort_kind(*sort);
                self.w.start(kw);
                self.def_next(space);
                self.w.end();
                self.w.end();
            }
            Alias::CoreInstanceExport {
                sort,
                instance,
                name,
            } => {
                self.w.start("alias core export ");
                self.idx(Space::CoreInstance, *instance);
                self.w.push(" ");
                self.w.str(name);
                self.w.push(" ");
                let (kw, space) = core_sort_kind(*sort);
                self.w.start(kw);
                self.def_next(space);
                self.w.end();
                self.w.end();
            }
            Alias::Outer { sort, count, index } => {
                let (kw, space) = match sort {
                    Sort::Core(CoreSort::Type) => ("core type ", Space::CoreType),
                    s => sort_kind(*s),
                };
                self.outer_alias(kw, space, *count, *index);
            }
        }
    }

    /// `(alias outer count index (sort $id (;N;)))`; the index is named
    /// in the scope it refers to.
    pub(crate) fn outer_alias(&mut self, kw: &str, space: Space, count: u32, index: u32) {
        if self.outer(count).is_none() {
            self.w
                .push(&format!("(; invalid outer alias count {count} ;) "));
        }
        self.w.start("alias outer ");
        self.outer_count(count);
        self.w.push(" ");
        let empty = super::names::Names::default();
        let n = self.states.len();
        let names = n
            .checked_sub(count as usize + 1)
            .map_or(&empty, |i| &self.states[i].names);
        self.w.idx(names, space, index);
        self.w.push(" ");
        self.w.start(kw);
        self.def_next(space);
        self.w.end();
        self.w.end();
    }

    pub(super) fn start(&mut self, s: &Start) {
        self.w.newline();
        self.w.start("start ");
        self.idx(Space::Func, s.func);
        for &v in &s.args {
            self.w.push(" ");
            self.w.start("value ");
            self.idx(Space::Value, v);
            self.w.end();
        }
        for _ in 0..s.results {
            self.w.push(" ");
            self.w.start("result ");
            self.w.start("value ");
            self.def_next(Space::Value);
            self.w.end();
            self.w.end();
        }
        self.w.end();
    }

    pub(crate) fn import(&mut self, i: &Import) {
        self.w.start("import ");
        self.extern_name(&i.name);
        self.w.push(" ");
        self.extern_type(&i.ty, true);
        self.w.end();
    }

    /// An `externtype`; `define` when it defines an item (imports), whose
    /// index comment then follows the keyword.
    pub(crate) fn extern_type(&mut self, ty: &ExternType, define: bool) {
        let (kw, space) = sort_kind(extern_sort(ty));
        self.w.start(kw);
        if define {
            self.def_next(space);
            self.w.push(" ");
        }
        match *ty {
            ExternType::Module(t) => self.type_use(Space::CoreType, t),
            ExternType::Func(t) | ExternType::Component(t) | ExternType::Instance(t) => {
                self.type_use(Space::Type, t)
            }
            ExternType::Value(v) => match v {
                ValType::Prim(p) => self.w.push(prim_name(p)),
                ValType::Idx(t) => self.type_use(Space::Type, t),
            },
            ExternType::Type(TypeBound::Eq(t)) => {
                self.w.start("eq ");
                self.idx(Space::Type, t);
                self.w.end();
            }
            ExternType::Type(TypeBound::SubResource) => {
                self.w.start("sub ");
                self.w.push("resource");
                self.w.end();
            }
        }
        self.w.end();
    }

    /// `(type idx)`.
    pub(crate) fn type_use(&mut self, space: Space, t: u32) {
        self.w.start("type ");
        self.idx(space, t);
        self.w.end();
    }

    pub(crate) fn export(&mut self, e: &Export) {
        self.w.start("export ");
        let (_, space) = sort_kind(e.sort);
        self.def_next(space);
        self.w.push(" ");
        self.extern_name(&e.name);
        self.w.push(" ");
        self.sort_ref(e.sort, e.index);
        if let Some(ty) = &e.ty {
            self.w.push(" ");
            self.extern_type(ty, false);
        }
        self.w.end();
    }

    /// A value definition. wasmprinter 0.263 cannot print value sections;
    /// this prints the type and the encoded bytes in a comment.
    pub(super) fn value(&mut self, v: &Value) {
        self.w.newline();
        self.w.start("value ");
        self.def_next(Space::Value);
        self.w.push(" ");
        self.val_type(v.ty);
        self.w.push(" (; ");
        self.w.bytes(&v.bytes);
        self.w.push(" ;)");
        self.w.end();
    }
}

/// The keyword of a primitive value type.
pub(crate) fn prim_name(p: PrimValType) -> &'static str {
    match p {
        PrimValType::Bool => "bool",
        PrimValType::S8 => "s8",
        PrimValType::U8 => "u8",
        PrimValType::S16 => "s16",
        PrimValType::U16 => "u16",
        PrimValType::S32 => "s32",
        PrimValType::U32 => "u32",
        PrimValType::S64 => "s64",
        PrimValType::U64 => "u64",
        PrimValType::F32 => "f32",
        PrimValType::F64 => "f64",
        PrimValType::Char => "char",
        PrimValType::String => "string",
        PrimValType::ErrorContext => "error-context",
    }
}

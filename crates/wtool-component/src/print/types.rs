//! Core types (recursion groups and module types) and component types.

use super::items::{extern_sort, prim_name, sort_kind};
use super::names::Space;
use super::{Printer, State};
use crate::ast::*;
use wtool_ast::{CompositeType, HeapType, ImportDesc, Limits, RefType, TypeDef};

impl Printer<'_, '_> {
    pub(super) fn core_type(&mut self, t: &CoreType) {
        match t {
            CoreType::Rec(r) => self.rec(r, true),
            CoreType::Module(decls) => {
                self.w.start("core type ");
                let st = self.states.last().expect("a scope is open");
                self.w
                    .def(&st.names, Space::CoreType, st.peek(Space::CoreType));
                self.module_type(decls);
                self.w.end();
                self.st().core_types.push(None);
            }
        }
    }

    /// A recursion group; `in_component` when at component level, where
    /// the keywords take a `core` prefix.
    fn rec(&mut self, r: &CoreRec, in_component: bool) {
        if r.explicit {
            self.w.start(if in_component { "core rec" } else { "rec" });
            for t in &r.types {
                self.w.newline();
                self.sub_type(t, false);
            }
            self.w.end();
        } else {
            for t in &r.types {
                self.sub_type(t, in_component);
            }
        }
    }

    /// `(type (;N;) …)`, defining the next core type.
    fn sub_type(&mut self, t: &TypeDef, in_component: bool) {
        self.w
            .start(if in_component { "core type " } else { "type " });
        let st = self.states.last().expect("a scope is open");
        self.w
            .def(&st.names, Space::CoreType, st.peek(Space::CoreType));
        self.w.push(" ");
        if !t.is_final() || !t.supertypes().is_empty() {
            self.w.start("sub");
            self.w.push(" ");
            if t.is_final() {
                self.w.push("final ");
            }
            for &s in t.supertypes() {
                self.idx(Space::CoreType, s);
                self.w.push(" ");
            }
            self.composite(t);
            self.w.end();
        } else {
            self.composite(t);
        }
        self.w.end();
        self.st().core_types.push(Some(t.clone()));
    }

    fn composite(&mut self, t: &TypeDef) {
        for (kw, idx) in [("describes", t.describes), ("descriptor", t.descriptor)] {
            if let Some(i) = idx {
                self.w.start(kw);
                self.w.push(" ");
                self.idx(Space::CoreType, i);
                self.w.end();
                self.w.push(" ");
            }
        }
        match &t.composite {
            CompositeType::Func(f) => {
                self.w.start("func");
                self.core_sig(&f.params, &f.results);
                self.w.end();
            }
            CompositeType::Array(f) => {
                self.w.start("array");
                self.field_type(*f);
                self.w.end();
            }
            CompositeType::Struct(fs) => {
                self.w.start("struct");
                for f in fs {
                    self.w.push(" (field");
                    self.field_type(*f);
                    self.w.push(")");
                }
                self.w.end();
            }
        }
    }

    /// ` (param …) (result …)`, each list in one group (core names of
    /// parameters do not exist at component level).
    fn core_sig(&mut self, params: &[wtool_ast::ValType], results: &[wtool_ast::ValType]) {
        for (kw, list) in [("param", params), ("result", results)] {
            if list.is_empty() {
                continue;
            }
            self.w.push(" ");
            self.w.start(kw);
            for &t in list {
                self.w.push(" ");
                self.core_val_type(t);
            }
            self.w.end();
        }
    }

    fn field_type(&mut self, f: wtool_ast::FieldType) {
        self.w.push(" ");
        if f.mutable {
            self.w.push("(mut ");
        }
        match f.storage {
            wtool_ast::StorageType::I8 => self.w.push("i8"),
            wtool_ast::StorageType::I16 => self.w.push("i16"),
            wtool_ast::StorageType::Val(t) => self.core_val_type(t),
        }
        if f.mutable {
            self.w.push(")");
        }
    }

    pub(super) fn core_val_type(&mut self, t: wtool_ast::ValType) {
        use wtool_ast::ValType as V;
        match t {
            V::I32 => self.w.push("i32"),
            V::I64 => self.w.push("i64"),
            V::F32 => self.w.push("f32"),
            V::F64 => self.w.push("f64"),
            V::V128 => self.w.push("v128"),
            V::Ref(r) => self.ref_type(r),
        }
    }

    fn ref_type(&mut self, r: RefType) {
        if r.nullable {
            let short = match r.heap {
                HeapType::Func => "funcref",
                HeapType::Extern => "externref",
                HeapType::I31 => "i31ref",
                HeapType::Any => "anyref",
                HeapType::None => "nullref",
                HeapType::NoExtern => "nullexternref",
                HeapType::NoFunc => "nullfuncref",
                HeapType::Eq => "eqref",
                HeapType::Struct => "structref",
                HeapType::Array => "arrayref",
                HeapType::Exn => "exnref",
                HeapType::NoExn => "nullexnref",
                HeapType::Concrete(_) | HeapType::Exact(_) => "",
            };
            if !short.is_empty() {
                self.w.push(short);
                return;
            }
            self.w.start("ref");
            self.w.push(" null ");
        } else {
            self.w.start("ref ");
        }
        match r.heap {
            HeapType::Concrete(i) => self.idx(Space::CoreType, i),
            HeapType::Exact(i) => {
                self.w.start("exact ");
                self.idx(Space::CoreType, i);
                self.w.end();
            }
            h => self.w.push(h.keyword().unwrap_or_default()),
        }
        self.w.end();
    }

    /// `(module …)` of a core module type, a scope of its own.
    fn module_type(&mut self, decls: &[ModuleDecl]) {
        self.states.push(State::default());
        self.w.newline();
        self.w.start("module");
        for d in decls {
            self.w.newline();
            match d {
                ModuleDecl::Type(r) => self.rec(r, false),
                ModuleDecl::OuterAlias { count, index } => {
                    self.outer_alias("type ", Space::CoreType, *count, *index)
                }
                ModuleDecl::Export { name, desc, exact } => {
                    self.w.start("export ");
                    self.w.str(name);
                    self.w.push(" ");
                    self.core_extern(desc, *exact);
                    self.w.end();
                }
                ModuleDecl::Import(i) => {
                    self.w.start("import ");
                    self.w.str(&i.module);
                    self.w.push(" ");
                    self.w.str(&i.name);
                    self.w.push(" ");
                    self.core_extern(&i.desc, i.exact);
                    self.w.end();
                }
            }
        }
        self.w.end();
        self.states.pop();
    }

    /// A core import or export type inside a module type.
    fn core_extern(&mut self, desc: &ImportDesc, exact: bool) {
        match desc {
            ImportDesc::Func(t) => {
                self.w.start("func ");
                if exact {
                    self.w.start("exact ");
                    self.core_type_use(*t);
                    self.w.end();
                } else {
                    self.core_type_use(*t);
                }
            }
            ImportDesc::Tag(t) => {
                self.w.start("tag ");
                self.core_type_use(*t);
            }
            ImportDesc::Table(t) => {
                self.w.start("table ");
                if t.index64 {
                    self.w.push("i64 ");
                }
                self.limits(t.limits);
                self.w.push(" ");
                self.ref_type(t.elem);
            }
            ImportDesc::Memory(m) => {
                self.w.start("memory ");
                if m.index64 {
                    self.w.push("i64 ");
                }
                self.limits(m.limits);
                if m.shared {
                    self.w.push(" shared");
                }
                if let Some(p) = m.page_size_log2 {
                    self.w.push(" ");
                    self.w.start("pagesize ");
                    let size = 1u64.checked_shl(p).unwrap_or(0);
                    self.w.push(&format!("{size:#x}"));
                    self.w.end();
                }
            }
            ImportDesc::Global(g) => {
                self.w.start("global ");
                if g.mutable {
                    self.w.push("(mut ");
                    self.core_val_type(g.ty);
                    self.w.push(")");
                } else {
                    self.core_val_type(g.ty);
                }
            }
        }
        self.w.end();
    }

    /// `(type i)`, followed by the signature when type `i` is a plain
    /// function type of this scope.
    fn core_type_use(&mut self, t: u32) {
        self.type_use(Space::CoreType, t);
        let st = self.states.last().expect("a scope is open");
        let sig = match st.core_types.get(t as usize) {
            Some(Some(d)) if d.describes.is_none() && d.descriptor.is_none() => {
                d.as_func().map(|f| (f.params.to_vec(), f.results.to_vec()))
            }
            _ => None,
        };
        if let Some((p, r)) = sig {
            self.core_sig(&p, &r);
        }
    }

    fn limits(&mut self, l: Limits) {
        self.w.num(l.min);
        if let Some(m) = l.max {
            self.w.push(" ");
            self.w.num(m);
        }
    }

    pub(super) fn type_def(&mut self, t: &Type) {
        self.w.start("type ");
        let st = self.states.last().expect("a scope is open");
        self.w.def(&st.names, Space::Type, st.peek(Space::Type));
        match t {
            Type::Defined(d) => {
                self.w.push(" ");
                self.defined(d);
            }
            Type::Func(f) => {
                self.w.push(" ");
                self.func_type(f);
            }
            Type::Component(decls) => self.decl_scope("component", decls, |p, d| match d {
                ComponentDecl::Import(i) => p.import(i),
                ComponentDecl::Instance(d) => p.instance_decl(d),
            }),
            Type::Instance(decls) => self.decl_scope("instance", decls, Self::instance_decl),
            Type::Resource { rep, dtor } => {
                self.w.push(" ");
                self.w.start("resource ");
                self.w.start("rep ");
                self.core_val_type(*rep);
                self.w.end();
                if let Some(d) = dtor {
                    self.w.push(" ");
                    self.w.start("dtor ");
                    self.idx(Space::CoreFunc, *d);
                    self.w.end();
                }
                self.w.end();
            }
        }
        self.w.end();
        self.st().next(Space::Type);
    }

    /// A component or instance type's declarations, a scope of their own.
    fn decl_scope<D>(&mut self, kw: &str, decls: &[D], mut each: impl FnMut(&mut Self, &D)) {
        self.states.push(State::default());
        self.w.newline();
        self.w.start(kw);
        for d in decls {
            self.w.newline();
            each(self, d);
        }
        self.w.end();
        self.states.pop();
    }

    fn instance_decl(&mut self, d: &InstanceDecl) {
        match d {
            InstanceDecl::CoreType(t) => self.core_type(t),
            InstanceDecl::Type(t) => self.type_def(t),
            InstanceDecl::Alias(a) => self.alias(a),
            InstanceDecl::Export { name, ty } => {
                self.w.start("export ");
                let (_, space) = sort_kind(extern_sort(ty));
                self.def_next(space);
                self.w.push(" ");
                self.extern_name(name);
                self.w.push(" ");
                self.extern_type(ty, false);
                self.w.end();
            }
        }
    }

    pub(super) fn val_type(&mut self, t: ValType) {
        match t {
            ValType::Prim(p) => self.w.push(prim_name(p)),
            ValType::Idx(i) => self.idx(Space::Type, i),
        }
    }

    /// `kw`, then each type after a space.
    fn group_of_types(&mut self, kw: &str, tys: &[Option<ValType>]) {
        self.w.start(kw);
        for t in tys.iter().flatten() {
            self.w.push(" ");
            self.val_type(*t);
        }
        self.w.end();
    }

    fn defined(&mut self, d: &DefinedType) {
        match d {
            DefinedType::Prim(p) => self.w.push(prim_name(*p)),
            DefinedType::Record(fields) => {
                self.w.start("record");
                for (n, t) in fields {
                    self.w.push(" ");
                    self.w.start("field ");
                    self.w.str(n);
                    self.w.push(" ");
                    self.val_type(*t);
                    self.w.end();
                }
                self.w.end();
            }
            DefinedType::Variant(cases) => {
                self.w.start("variant");
                for c in cases {
                    self.w.push(" ");
                    self.w.start("case ");
                    self.w.str(&c.name);
                    if let Some(t) = c.ty {
                        self.w.push(" ");
                        self.val_type(t);
                    }
                    self.w.end();
                }
                self.w.end();
            }
            DefinedType::List(t) => {
                self.w.start("list ");
                self.val_type(*t);
                self.w.end();
            }
            DefinedType::FixedList(t, n) => {
                self.w.start("list ");
                self.val_type(*t);
                self.w.push(" ");
                self.w.num(n);
                self.w.end();
            }
            DefinedType::Map(k, v) => {
                self.w.start("map ");
                self.val_type(*k);
                self.w.push(" ");
                self.val_type(*v);
                self.w.end();
            }
            DefinedType::Tuple(ts) => {
                let ts: Vec<_> = ts.iter().map(|t| Some(*t)).collect();
                self.group_of_types("tuple", &ts);
            }
            DefinedType::Flags(ns) | DefinedType::Enum(ns) => {
                let kw = if matches!(d, DefinedType::Flags(_)) {
                    "flags"
                } else {
                    "enum"
                };
                self.w.start(kw);
                for n in ns {
                    self.w.push(" ");
                    self.w.str(n);
                }
                self.w.end();
            }
            DefinedType::Option(t) => {
                self.w.start("option ");
                self.val_type(*t);
                self.w.end();
            }
            DefinedType::Result { ok, err } => {
                self.w.start("result");
                if let Some(t) = ok {
                    self.w.push(" ");
                    self.val_type(*t);
                }
                if let Some(t) = err {
                    self.w.push(" ");
                    self.w.start("error ");
                    self.val_type(*t);
                    self.w.end();
                }
                self.w.end();
            }
            DefinedType::Own(i) | DefinedType::Borrow(i) => {
                let kw = if matches!(d, DefinedType::Own(_)) {
                    "own "
                } else {
                    "borrow "
                };
                self.w.start(kw);
                self.idx(Space::Type, *i);
                self.w.end();
            }
            DefinedType::Stream(t) => self.group_of_types("stream", &[*t]),
            DefinedType::Future(t) => self.group_of_types("future", &[*t]),
        }
    }

    fn func_type(&mut self, f: &FuncType) {
        self.w.start("func");
        if f.is_async {
            self.w.push(" async");
        }
        for (n, t) in &f.params {
            self.w.push(" ");
            self.w.start("param ");
            self.w.str(n);
            self.w.push(" ");
            self.val_type(*t);
            self.w.end();
        }
        if let Some(t) = f.result {
            self.w.push(" ");
            self.w.start("result ");
            self.val_type(t);
            self.w.end();
        }
        self.w.end();
    }
}

//! Subtyping (`a` may stand where `b` is expected) and resource
//! substitution, with wasm-tools' messages.

use super::types::*;
use crate::ast::PrimValType;
use std::collections::{HashMap, HashSet};

/// A mismatch message, outermost context first.
pub(crate) type Mismatch = String;

fn ctx(e: Mismatch, c: impl FnOnce() -> String) -> Mismatch {
    format!("{}: {e}", c())
}

/// The text name of a primitive type.
pub(crate) fn prim_name(p: PrimValType) -> &'static str {
    p.name()
}

fn defined_desc(d: &Defined) -> &'static str {
    match d {
        Defined::Prim(p) => prim_name(*p),
        Defined::Record(_) => "record",
        Defined::Variant(_) => "variant",
        Defined::List(_) | Defined::FixedList(..) => "list",
        Defined::Map(..) => "map",
        Defined::Tuple(_) => "tuple",
        Defined::Flags(_) => "flags",
        Defined::Enum(_) => "enum",
        Defined::Option(_) => "option",
        Defined::Result(..) => "result",
        Defined::Own(_) => "own",
        Defined::Borrow(_) => "borrow",
        Defined::Stream(_) => "stream",
        Defined::Future(_) => "future",
    }
}

impl Types {
    /// `a` is a subtype of `b` (extern types).
    pub(crate) fn entity_sub(&self, a: &Entity, b: &Entity) -> Result<(), Mismatch> {
        match (a, b) {
            (Entity::Module(a), Entity::Module(b)) => self.module_sub(*a, *b),
            (Entity::Func(a), Entity::Func(b)) => self.func_sub(*a, *b),
            (Entity::Value(a), Entity::Value(b)) => self.val_sub(*a, *b),
            (Entity::Type { referenced: a, .. }, Entity::Type { referenced: b, .. }) => {
                self.type_sub(*a, *b)
            }
            (Entity::Instance(a), Entity::Instance(b)) => self.instance_sub(*a, *b),
            (Entity::Component(a), Entity::Component(b)) => self.component_sub(*a, *b),
            (a, b) => Err(format!("expected {}, found {}", b.desc(), a.desc())),
        }
    }

    /// `a` is a subtype of `b` (any component type).
    pub(crate) fn type_sub(&self, a: TypeId, b: TypeId) -> Result<(), Mismatch> {
        match (self.get(a), self.get(b)) {
            (Ty::Resource(x), Ty::Resource(y)) => {
                if self.same_resource(*x, *y) {
                    Ok(())
                } else {
                    Err("resource types are not the same".into())
                }
            }
            (Ty::Defined(_), Ty::Defined(_)) => self.val_sub(ValTy::Id(a), ValTy::Id(b)),
            (Ty::Func(_), Ty::Func(_)) => self.func_sub(a, b),
            (Ty::Instance(_), Ty::Instance(_)) => self.instance_sub(a, b),
            (Ty::Component(_), Ty::Component(_)) => self.component_sub(a, b),
            (x, y) => Err(format!("expected {}, found {}", ty_desc(y), ty_desc(x))),
        }
    }

    fn instance_sub(&self, a: TypeId, b: TypeId) -> Result<(), Mismatch> {
        let (Ty::Instance(a), Ty::Instance(b)) = (self.get(a), self.get(b)) else {
            return Err("expected instance".into());
        };
        for (name, want) in &b.exports {
            let Some((_, got)) = a.exports.iter().find(|e| e.0 == *name) else {
                return Err(format!("missing expected export `{name}`"));
            };
            self.entity_sub(got, want)
                .map_err(|e| ctx(e, || format!("type mismatch in instance export `{name}`")))?;
        }
        Ok(())
    }

    fn component_sub(&self, a: TypeId, b: TypeId) -> Result<(), Mismatch> {
        let (Ty::Component(a), Ty::Component(b)) = (self.get(a), self.get(b)) else {
            return Err("expected component".into());
        };
        // Each side's own resources (imported or defined) are bound by
        // name to the other side's before comparing.
        let mut m = Remap::default();
        let imported: HashSet<ResourceId> = a.imported_resources.iter().copied().collect();
        for (name, need) in &a.imports {
            if let Some((_, have)) = b.imports.iter().find(|e| e.0 == *name) {
                self.unify(need, have, &imported, &mut m);
            }
        }
        let defined: HashSet<ResourceId> = a.defined_resources.iter().copied().collect();
        for (name, got) in &a.exports {
            if let Some((_, want)) = b.exports.iter().find(|e| e.0 == *name) {
                self.unify(got, want, &defined, &mut m);
            }
        }
        let saved = self.equiv.replace(m.res.clone());
        let r = self.component_sub_bound(a, b);
        self.equiv.replace(saved);
        r
    }

    fn component_sub_bound(&self, a: &ComponentTy, b: &ComponentTy) -> Result<(), Mismatch> {
        // Contravariant imports: what `a` needs, `b` must provide.
        for (name, need) in &a.imports {
            let Some((_, have)) = b.imports.iter().find(|e| e.0 == *name) else {
                return Err(format!("missing expected import `{name}`"));
            };
            self.entity_sub(have, need)
                .map_err(|e| ctx(e, || format!("type mismatch for import `{name}`")))?;
        }
        for (name, want) in &b.exports {
            let Some((_, got)) = a.exports.iter().find(|e| e.0 == *name) else {
                return Err(format!("missing expected export `{name}`"));
            };
            self.entity_sub(got, want)
                .map_err(|e| ctx(e, || format!("type mismatch for export `{name}`")))?;
        }
        Ok(())
    }

    /// Whether two resources are the same (or bound to each other while
    /// comparing component types).
    fn same_resource(&self, x: ResourceId, y: ResourceId) -> bool {
        let eq = self.equiv.borrow();
        x == y || eq.get(&x) == Some(&y) || eq.get(&y) == Some(&x)
    }

    fn func_sub(&self, a: TypeId, b: TypeId) -> Result<(), Mismatch> {
        let (Ty::Func(a), Ty::Func(b)) = (self.get(a), self.get(b)) else {
            return Err("expected func".into());
        };
        if a.is_async != b.is_async {
            let d = |x: bool| if x { "async" } else { "sync" };
            return Err(format!(
                "expected {} function, found {} function",
                d(a.is_async),
                d(b.is_async)
            ));
        }
        if a.params.len() != b.params.len() {
            return Err(format!(
                "expected {} parameters, found {}",
                b.params.len(),
                a.params.len()
            ));
        }
        for ((an, at), (bn, bt)) in a.params.iter().zip(&b.params) {
            if an != bn {
                return Err(format!("expected parameter named `{bn}`, found `{an}`"));
            }
            // The component model requires equal parameter types, so the
            // direction only shapes the message (wasm-tools' order).
            self.val_sub(*at, *bt)
                .map_err(|e| ctx(e, || format!("type mismatch in function parameter `{an}`")))?;
        }
        match (a.result, b.result) {
            (Some(x), Some(y)) => self
                .val_sub(x, y)
                .map_err(|e| ctx(e, || "type mismatch with result type".into())),
            (None, None) => Ok(()),
            // wasm-tools' wording, which the reference tests expect.
            (Some(_), None) => Err("expected a result, found none".into()),
            (None, Some(_)) => Err("expected no result, found one".into()),
        }
    }

    /// `a` is a subtype of `b` (value types).
    pub(crate) fn val_sub(&self, a: ValTy, b: ValTy) -> Result<(), Mismatch> {
        let prim_cmp = |x: PrimValType, y: PrimValType| {
            if x == y {
                Ok(())
            } else {
                Err(format!(
                    "expected primitive `{}` found primitive `{}`",
                    prim_name(y),
                    prim_name(x)
                ))
            }
        };
        match (a, b) {
            (ValTy::Prim(x), ValTy::Prim(y)) => prim_cmp(x, y),
            (ValTy::Prim(x), ValTy::Id(_)) => match self.defined(b) {
                Some(Defined::Prim(y)) => prim_cmp(x, *y),
                Some(d) => Err(format!(
                    "expected {}, found {}",
                    defined_desc(d),
                    prim_name(x)
                )),
                None => Err("expected a defined type".into()),
            },
            (ValTy::Id(_), ValTy::Prim(y)) => match self.defined(a) {
                Some(Defined::Prim(x)) => prim_cmp(*x, y),
                Some(d) => Err(format!(
                    "expected {}, found {}",
                    prim_name(y),
                    defined_desc(d)
                )),
                None => Err("expected a defined type".into()),
            },
            (ValTy::Id(_), ValTy::Id(_)) => match (self.defined(a), self.defined(b)) {
                (Some(x), Some(y)) => {
                    let (x, y) = (x.clone(), y.clone());
                    self.defined_sub(&x, &y)
                }
                _ => Err("expected a defined type".into()),
            },
        }
    }

    fn opt_sub(
        &self,
        a: Option<ValTy>,
        b: Option<ValTy>,
        what: &str,
        within: &str,
    ) -> Result<(), Mismatch> {
        match (a, b) {
            (Some(x), Some(y)) => self
                .val_sub(x, y)
                .map_err(|e| ctx(e, || format!("type mismatch in {within}"))),
            (None, None) => Ok(()),
            (None, Some(_)) => Err(format!("expected {what} type, but found none")),
            (Some(_), None) => Err(format!("expected {what} type to not be present")),
        }
    }

    fn defined_sub(&self, a: &Defined, b: &Defined) -> Result<(), Mismatch> {
        use Defined::*;
        match (a, b) {
            (Record(x), Record(y)) => {
                if x.len() != y.len() {
                    return Err(format!("expected {} fields, found {}", y.len(), x.len()));
                }
                for ((an, at), (bn, bt)) in x.iter().zip(y) {
                    if an != bn {
                        return Err(format!("expected field name `{bn}`, found `{an}`"));
                    }
                    self.val_sub(*at, *bt)
                        .map_err(|e| ctx(e, || format!("type mismatch in record field `{an}`")))?;
                }
                Ok(())
            }
            (Variant(x), Variant(y)) => {
                if x.len() != y.len() {
                    return Err(format!("expected {} cases, found {}", y.len(), x.len()));
                }
                for ((an, at), (bn, bt)) in x.iter().zip(y) {
                    if an != bn {
                        return Err(format!("expected case named `{bn}`, found `{an}`"));
                    }
                    match (at, bt) {
                        (Some(p), Some(q)) => self.val_sub(*p, *q).map_err(|e| {
                            ctx(e, || format!("type mismatch in variant case `{an}`"))
                        })?,
                        (None, None) => {}
                        (None, Some(_)) => {
                            return Err(format!("expected case `{an}` to have a type, found none"))
                        }
                        (Some(_), None) => {
                            return Err(format!("expected case `{an}` to have no type"))
                        }
                    }
                }
                Ok(())
            }
            (List(x), List(y)) | (Option(x), Option(y)) => self.val_sub(*x, *y),
            (FixedList(x, n), FixedList(y, m)) => {
                if n != m {
                    return Err(format!("expected fixed-length {m}, found size {n}"));
                }
                self.val_sub(*x, *y)
            }
            (Map(k, v), Map(k2, v2)) => {
                self.val_sub(*k, *k2)
                    .map_err(|e| ctx(e, || "type mismatch in map key".into()))?;
                self.val_sub(*v, *v2)
                    .map_err(|e| ctx(e, || "type mismatch in map value".into()))
            }
            (Tuple(x), Tuple(y)) => {
                if x.len() != y.len() {
                    return Err(format!("expected {} types, found {}", y.len(), x.len()));
                }
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    self.val_sub(*p, *q)
                        .map_err(|e| ctx(e, || format!("type mismatch in tuple field {i}")))?;
                }
                Ok(())
            }
            (Flags(x), Flags(y)) => eq_or(x == y, "mismatch in flags elements"),
            (Enum(x), Enum(y)) => eq_or(x == y, "mismatch in enum elements"),
            (Result(ao, ae), Result(bo, be)) => {
                self.opt_sub(*ao, *bo, "ok", "ok variant")?;
                self.opt_sub(*ae, *be, "err", "err variant")
            }
            (Own(x), Own(y)) | (Borrow(x), Borrow(y)) => {
                let same = match (self.resource(*x), self.resource(*y)) {
                    (Some(p), Some(q)) => self.same_resource(p, q),
                    _ => false,
                };
                eq_or(same, "resource types are not the same")
            }
            (Future(x), Future(y)) => self.opt_sub(*x, *y, "future", "future"),
            (Stream(x), Stream(y)) => self.opt_sub(*x, *y, "stream", "stream"),
            (Prim(x), Prim(y)) => {
                if x == y {
                    Ok(())
                } else {
                    Err(format!(
                        "expected primitive `{}` found primitive `{}`",
                        prim_name(*y),
                        prim_name(*x)
                    ))
                }
            }
            (Prim(x), y) => Err(format!(
                "expected {}, found {}",
                defined_desc(y),
                prim_name(*x)
            )),
            (x, Prim(_)) => Err(format!("expected primitive, found {}", defined_desc(x))),
            (x, y) => Err(format!(
                "expected {}, found {}",
                defined_desc(y),
                defined_desc(x)
            )),
        }
    }

    /// `a` is a subtype of `b` (core module types): `a` imports no more than
    /// `b` provides and exports at least what `b` exports.
    pub(crate) fn module_sub(&self, a: TypeId, b: TypeId) -> Result<(), Mismatch> {
        let (Ty::CoreModule(a), Ty::CoreModule(b)) = (self.get(a), self.get(b)) else {
            return Err("expected module".into());
        };
        for (m, n, need) in &a.imports {
            let Some((_, _, have)) = b.imports.iter().find(|i| i.0 == *m && i.1 == *n) else {
                return Err(format!("missing expected import `{m}::{n}`"));
            };
            self.core_sub(have, need)
                .map_err(|e| ctx(e, || format!("type mismatch in import `{m}::{n}`")))?;
        }
        for (n, want) in &b.exports {
            let Some((_, got)) = a.exports.iter().find(|e| e.0 == *n) else {
                return Err(format!("missing expected export `{n}`"));
            };
            self.core_sub(got, want)
                .map_err(|e| ctx(e, || format!("type mismatch in export `{n}`")))?;
        }
        Ok(())
    }

    /// `a` is a subtype of `b` (core extern types).
    pub(crate) fn core_sub(&self, a: &CoreEntity, b: &CoreEntity) -> Result<(), Mismatch> {
        match (a, b) {
            (CoreEntity::Func(x), CoreEntity::Func(y))
            | (CoreEntity::Tag(x), CoreEntity::Tag(y)) => {
                let (fx, fy) = (self.get(*x), self.get(*y));
                eq_or(
                    fx == fy,
                    &format!(
                        "expected: {}\nfound:    {}",
                        core_ty_text(fy),
                        core_ty_text(fx)
                    ),
                )
            }
            (CoreEntity::Table(x), CoreEntity::Table(y)) => {
                if x.elem != y.elem {
                    return Err(format!(
                        "expected table element type {}, found {}",
                        ref_text(y.elem),
                        ref_text(x.elem)
                    ));
                }
                if x.index64 != y.index64 {
                    return Err("mismatch in index type used for tables".into());
                }
                eq_or(limits_sub(&x.limits, &y.limits), "mismatch in table limits")
            }
            (CoreEntity::Memory(x), CoreEntity::Memory(y)) => {
                if x.shared != y.shared {
                    return Err("mismatch in the shared flag for memories".into());
                }
                if x.index64 != y.index64 {
                    return Err("mismatch in index type used for memories".into());
                }
                if x.page_size_log2 != y.page_size_log2 {
                    return Err("mismatch in page size for memories".into());
                }
                eq_or(
                    limits_sub(&x.limits, &y.limits),
                    "mismatch in memory limits",
                )
            }
            (CoreEntity::Global(x), CoreEntity::Global(y)) => {
                if x.mutable != y.mutable {
                    return Err("global types differ in mutability".into());
                }
                eq_or(
                    x.ty == y.ty,
                    &format!(
                        "expected global type {}, found {}",
                        val_text(y.ty),
                        val_text(x.ty)
                    ),
                )
            }
            (x, y) => Err(format!("expected {}, found {}", y.desc(), x.desc())),
        }
    }

    /// Type `id` with resources and types renamed by `m` (the same id when
    /// nothing it mentions is renamed).
    pub(crate) fn remap(&mut self, id: TypeId, m: &mut Remap) -> TypeId {
        if let Some(&t) = m.types.get(&id).or_else(|| m.cache.get(&id)) {
            return t;
        }
        let old = self.get(id).clone();
        let new = match old.clone() {
            Ty::Resource(r) => Ty::Resource(m.res.get(&r).copied().unwrap_or(r)),
            Ty::Defined(d) => Ty::Defined(self.remap_defined(d, m)),
            Ty::Func(mut f) => {
                for p in &mut f.params {
                    p.1 = self.remap_val(p.1, m);
                }
                f.result = f.result.map(|t| self.remap_val(t, m));
                Ty::Func(f)
            }
            Ty::Instance(mut i) => {
                for e in &mut i.exports {
                    e.1 = self.remap_entity(e.1, m);
                }
                Ty::Instance(i)
            }
            Ty::Component(mut c) => {
                for e in c.imports.iter_mut().chain(c.exports.iter_mut()) {
                    e.1 = self.remap_entity(e.1, m);
                }
                Ty::Component(c)
            }
            other => other,
        };
        let out = if new == old { id } else { self.push(new) };
        m.cache.insert(id, out);
        out
    }

    fn remap_val(&mut self, t: ValTy, m: &mut Remap) -> ValTy {
        match t {
            ValTy::Id(i) => ValTy::Id(self.remap(i, m)),
            p => p,
        }
    }

    fn remap_defined(&mut self, d: Defined, m: &mut Remap) -> Defined {
        use Defined::*;
        let v = |t: ValTy, s: &mut Self, m: &mut Remap| s.remap_val(t, m);
        match d {
            Record(fs) => Record(fs.into_iter().map(|(n, t)| (n, v(t, self, m))).collect()),
            Variant(cs) => Variant(
                cs.into_iter()
                    .map(|(n, t)| (n, t.map(|t| v(t, self, m))))
                    .collect(),
            ),
            List(t) => List(v(t, self, m)),
            FixedList(t, n) => FixedList(v(t, self, m), n),
            Map(k, x) => Map(v(k, self, m), v(x, self, m)),
            Tuple(ts) => Tuple(ts.into_iter().map(|t| v(t, self, m)).collect()),
            Option(t) => Option(v(t, self, m)),
            Result(a, b) => Result(a.map(|t| v(t, self, m)), b.map(|t| v(t, self, m))),
            Own(r) => Own(self.remap(r, m)),
            Borrow(r) => Borrow(self.remap(r, m)),
            Stream(t) => Stream(t.map(|t| v(t, self, m))),
            Future(t) => Future(t.map(|t| v(t, self, m))),
            other => other,
        }
    }

    /// An extern type with resources and types renamed by `m`.
    pub(crate) fn remap_entity(&mut self, e: Entity, m: &mut Remap) -> Entity {
        match e {
            Entity::Func(t) => Entity::Func(self.remap(t, m)),
            Entity::Instance(t) => Entity::Instance(self.remap(t, m)),
            Entity::Component(t) => Entity::Component(self.remap(t, m)),
            Entity::Value(v) => Entity::Value(self.remap_val(v, m)),
            Entity::Type {
                referenced,
                created,
            } => Entity::Type {
                referenced: self.remap(referenced, m),
                created: self.remap(created, m),
            },
            x => x,
        }
    }

    /// Records, in `m`, which of `abstract_` resources `actual` supplies
    /// where `expected` mentions them, and which types stand for which
    /// (an instantiation's type arguments).
    pub(crate) fn unify(
        &self,
        expected: &Entity,
        actual: &Entity,
        abstract_: &HashSet<ResourceId>,
        m: &mut Remap,
    ) {
        match (expected, actual) {
            (
                Entity::Type {
                    referenced: e,
                    created: ec,
                },
                Entity::Type {
                    referenced: a,
                    created: ac,
                },
            ) => {
                if let (Some(re), Some(ra)) = (self.resource(*e), self.resource(*a)) {
                    if abstract_.contains(&re) && !m.res.contains_key(&re) {
                        m.res.insert(re, ra);
                    }
                }
                // A resource import is renamed by resource identity above;
                // other type imports rename the component's own type.
                if self.resource(*e).is_none() {
                    m.types.entry(*ec).or_insert(*ac);
                }
            }
            (Entity::Instance(e), Entity::Instance(a)) => {
                let (Ty::Instance(ei), Ty::Instance(ai)) = (self.get(*e), self.get(*a)) else {
                    return;
                };
                for (n, ee) in &ei.exports {
                    if let Some((_, ae)) = ai.exports.iter().find(|x| x.0 == *n) {
                        self.unify(ee, ae, abstract_, m);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A renaming of resources and types (instantiation, fresh resources).
#[derive(Default)]
pub(crate) struct Remap {
    pub res: HashMap<ResourceId, ResourceId>,
    pub types: HashMap<TypeId, TypeId>,
    cache: HashMap<TypeId, TypeId>,
}

impl Remap {
    /// Forgets what was renamed so far (after the renaming rules change).
    pub(crate) fn clear_cache(&mut self) {
        self.cache.clear();
    }
}

fn eq_or(ok: bool, msg: &str) -> Result<(), Mismatch> {
    if ok {
        Ok(())
    } else {
        Err(msg.to_string())
    }
}

fn ty_desc(t: &Ty) -> &'static str {
    match t {
        Ty::Defined(_) => "defined type",
        Ty::Func(_) => "func type",
        Ty::Instance(_) => "instance type",
        Ty::Component(_) => "component type",
        Ty::Resource(_) => "resource",
        other => other.desc(),
    }
}

fn limits_sub(a: &wtool_ast::Limits, b: &wtool_ast::Limits) -> bool {
    a.min >= b.min
        && match (a.max, b.max) {
            (_, None) => true,
            (Some(x), Some(y)) => x <= y,
            (None, Some(_)) => false,
        }
}

fn val_text(t: wtool_ast::ValType) -> String {
    t.to_string()
}

fn ref_text(t: wtool_ast::RefType) -> String {
    t.to_string()
}

fn core_ty_text(t: &Ty) -> String {
    match t {
        Ty::CoreFunc(f) => {
            let mut s = String::from("(func");
            if !f.params.is_empty() {
                s.push_str(" (param");
                f.params
                    .iter()
                    .for_each(|p| s.push_str(&format!(" {}", val_text(*p))));
                s.push(')');
            }
            if !f.results.is_empty() {
                s.push_str(" (result");
                f.results
                    .iter()
                    .for_each(|p| s.push_str(&format!(" {}", val_text(*p))));
                s.push(')');
            }
            s.push(')');
            s
        }
        other => other.desc().to_string(),
    }
}

//! Interfaces, types and functions: the part of resolution inside one
//! interface (or a world's own types), and docs and gates of every item.

use super::ast;
use super::resolve::{not_found, Binding, ItemRef, RResult, Resolver, Spot, Want};
use super::toposort::toposort;
use crate::model::*;
use indexmap::IndexMap;

/// Whether a function returns or takes a resource's self, and how it is named.
enum FuncShape<'a> {
    Free,
    Method(&'a str, TypeId),
    Static(&'a str, TypeId),
    Constructor(&'a str, TypeId),
}

impl Resolver<'_> {
    /// Resolves an interface body into `id` (named or anonymous).
    pub(crate) fn resolve_interface(
        &mut self,
        id: InterfaceId,
        items: &[ast::IfaceItem],
        docs: &ast::Docs,
        attrs: &[ast::Attr],
    ) -> RResult<()> {
        let docs = docs_of(docs);
        let stability = self.stability(attrs)?;
        let iface = &mut self.resolve.interfaces[id.index()];
        iface.docs = docs;
        iface.stability = stability;
        let owner = TypeOwner::Interface(id);
        let uses: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                ast::IfaceItem::Use(u) => Some(u),
                _ => None,
            })
            .collect();
        let defs: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                ast::IfaceItem::Type(t) => Some(t),
                _ => None,
            })
            .collect();
        self.resolve_types(owner, &uses, &defs)?;
        let mut names = NameScope::default();
        let mut types = IndexMap::new();
        for (name, (b, at)) in &self.lookup {
            if let Binding::Type(t) = b {
                self.scoped(names.define(name), *at)?;
                types.insert(name.clone(), *t);
            }
        }
        self.resolve.interfaces[id.index()].types = types;
        let mut funcs = Vec::new();
        for item in items {
            match item {
                ast::IfaceItem::Func(f) => {
                    self.lookup
                        .entry(f.name.name.clone())
                        .or_insert((Binding::Function, f.name.at));
                    let func = self.function(f, FuncShape::Free)?;
                    self.scoped(names.define(&func.name), f.name.at)?;
                    funcs.push((func, f.name.at));
                }
                ast::IfaceItem::Type(ast::TypeDef {
                    name,
                    ty: ast::Type::Resource(rfuncs),
                    ..
                }) => {
                    for rf in rfuncs {
                        let func = self.resource_func(rf, &name.name)?;
                        self.scoped(names.define(&func.name), rf.named().name.at)?;
                        funcs.push((func, rf.named().name.at));
                    }
                }
                _ => {}
            }
        }
        for (f, at) in &funcs {
            let Some(getter) = super::world::getter_of(&f.name) else {
                continue;
            };
            if !funcs.iter().any(|g| g.0.name == getter) {
                return self.err(
                    *at,
                    format!("setter `{}` has no corresponding getter `{getter}`", f.name),
                );
            }
        }
        for (f, at) in &funcs {
            self.mark(Spot::Func(id, f.name.clone()), *at);
        }
        let iface = &mut self.resolve.interfaces[id.index()];
        for (f, _) in funcs {
            iface.functions.insert(f.name.clone(), f);
        }
        super::world::place_setters_after_getters(&mut iface.functions, |f| Some(f.name.clone()));
        let lookup = std::mem::take(&mut self.lookup);
        self.iface_lookup.insert(id, lookup);
        Ok(())
    }

    fn scoped(&self, r: Result<(), String>, at: usize) -> RResult<()> {
        match r {
            Ok(()) => Ok(()),
            Err(m) => self.err(at, m),
        }
    }

    /// Defines `use`d names, then type definitions in dependency order
    /// (cycles and unknown names are errors), into `self.lookup`.
    pub(crate) fn resolve_types(
        &mut self,
        owner: TypeOwner,
        uses: &[&ast::Use],
        defs: &[&ast::TypeDef],
    ) -> RResult<()> {
        for u in uses {
            self.resolve_use(owner, u)?;
        }
        let mut deps: IndexMap<String, Vec<(String, usize)>> = IndexMap::new();
        let mut by_name: IndexMap<String, Option<&ast::TypeDef>> = IndexMap::new();
        for u in uses {
            for (name, as_) in &u.names {
                let n = as_.as_ref().unwrap_or(name);
                deps.insert(n.name.clone(), Vec::new());
                by_name.insert(n.name.clone(), None);
            }
        }
        for d in defs {
            if by_name.insert(d.name.name.clone(), Some(d)).is_some() {
                return self.err(
                    d.name.at,
                    format!("name `{}` is defined more than once", d.name.name),
                );
            }
            let mut v = Vec::new();
            collect_deps(&d.ty, &mut v);
            deps.insert(d.name.name.clone(), v);
        }
        let order = toposort("type", &deps).map_err(|(at, m)| self.located(at, m))?;
        for name in order {
            let Some(def) = by_name[&name] else { continue };
            let stability = self.stability(&def.attrs)?;
            let kind = self.typedef_kind(&def.ty, &stability)?;
            let id = self.resolve.push_type(TypeDef {
                name: Some(name.clone()),
                kind,
                owner,
                docs: docs_of(&def.docs),
                stability,
                external_id: external_id_of(&def.attrs),
            });
            self.mark(Spot::Type(id), def.name.at);
            self.define(&def.name, Binding::Type(id))?;
        }
        Ok(())
    }

    fn define(&mut self, name: &ast::Id, b: Binding) -> RResult<()> {
        if self.lookup.contains_key(&name.name) {
            return self.err(
                name.at,
                format!("name `{}` is defined more than once", name.name),
            );
        }
        self.lookup.insert(name.name.clone(), (b, name.at));
        Ok(())
    }

    /// `use iface.{a, b as c}`: each name becomes an alias owned here.
    fn resolve_use(&mut self, owner: TypeOwner, u: &ast::Use) -> RResult<()> {
        let stability = self.stability(&u.attrs)?;
        // A gated-off `use` of another package may name what that package
        // dropped; it is dropped too, so a stand-in keeps the names bound.
        let gated_off = self.skip_foreign(&stability, &u.from);
        let from = match self.iface_of(&u.from) {
            Ok(f) => Some(f),
            Err(_) if gated_off => None,
            Err(e) => return Err(e),
        };
        for (name, as_) in &u.names {
            let target = match from.and_then(|f| self.iface_lookup.get(&f).map(|l| (f, l))) {
                Some((_, l)) => match l.get(&name.name) {
                    Some((Binding::Type(t), _)) => Some(*t),
                    Some((Binding::Function, _)) => {
                        return self.err(name.at, format!("cannot import function `{}`", name.name))
                    }
                    None => None,
                },
                None => from.and_then(|f| self.resolve.interface(f).types.get(&name.name).copied()),
            };
            let local = as_.as_ref().unwrap_or(name);
            let kind = match target {
                Some(t) => TypeDefKind::Type(Type::Id(t)),
                None if gated_off => TypeDefKind::Resource,
                None if matches!(u.from, ast::UsePath::Package { .. }) => {
                    return self.err(
                        name.at,
                        format!("type `{}` not defined in interface", name.name),
                    )
                }
                None => return self.err(name.at, not_found("name", &name.name)),
            };
            let id = self.resolve.push_type(TypeDef {
                name: Some(local.name.clone()),
                kind,
                owner,
                docs: Docs::default(),
                stability: stability.clone(),
                external_id: external_id_of(&u.attrs),
            });
            self.mark(Spot::Type(id), name.at);
            self.define(local, Binding::Type(id))?;
        }
        Ok(())
    }

    /// The interface a `use` or import path names (a world is an error).
    pub(crate) fn iface_of(&self, path: &ast::UsePath) -> RResult<InterfaceId> {
        match self.path_item(path, Want::Interface)? {
            ItemRef::Interface(i) => Ok(i),
            ItemRef::World(_) => self.err(
                path.name().at,
                format!(
                    "name `{}` is defined as a world, not an interface",
                    path.name().name
                ),
            ),
        }
    }

    fn type_name(&self, name: &ast::Id) -> RResult<TypeId> {
        match self.lookup.get(&name.name) {
            Some((Binding::Type(t), _)) => Ok(*t),
            Some((Binding::Function, _)) => self.err(
                name.at,
                format!("cannot use function `{}` as a type", name.name),
            ),
            None => self.err(name.at, not_found("name", &name.name)),
        }
    }

    fn resource_of(&self, name: &ast::Id) -> RResult<TypeId> {
        let id = self.type_name(name)?;
        let target = self.resolve.ty(self.resolve.unalias(id));
        if target.kind == TypeDefKind::Resource {
            return Ok(id);
        }
        // wit-parser checks types of other packages later, without the name.
        let foreign = match target.owner {
            TypeOwner::Interface(i) => self.resolve.interface(i).package != Some(self.pkg),
            TypeOwner::World(w) => self.resolve.world(w).package != Some(self.pkg),
            TypeOwner::None => false,
        };
        if foreign {
            return self.err(name.at, "type used in a handle must be a resource");
        }
        self.err(
            name.at,
            format!("type `{}` used in a handle must be a resource", name.name),
        )
    }

    fn typedef_kind(&mut self, ty: &ast::Type, st: &Stability) -> RResult<TypeDefKind> {
        Ok(match ty {
            ast::Type::Prim(p) => TypeDefKind::Type(*p),
            ast::Type::Name(n) => TypeDefKind::Type(Type::Id(self.type_name(n)?)),
            ast::Type::List(t) => TypeDefKind::List(self.ty(t, st)?),
            ast::Type::FixedList(t, n) => TypeDefKind::FixedLengthList(self.ty(t, st)?, *n),
            ast::Type::Map(at, k, v) => {
                let k = self.ty(k, st)?;
                let v = self.ty(v, st)?;
                if matches!(k, Type::F32 | Type::F64 | Type::ErrorContext | Type::Id(_)) {
                    return self.err(*at, "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string");
                }
                TypeDefKind::Map(k, v)
            }
            ast::Type::Own(n) => TypeDefKind::Handle(Handle::Own(self.resource_of(n)?)),
            ast::Type::Borrow(n) => TypeDefKind::Handle(Handle::Borrow(self.resource_of(n)?)),
            ast::Type::Resource(_) => TypeDefKind::Resource,
            ast::Type::Record(at, fields) => {
                if fields.is_empty() {
                    return self.err(*at, "empty record");
                }
                self.unique("field", fields.iter().map(|f| &f.1))?;
                let mut out = Vec::new();
                for (docs, name, t) in fields {
                    out.push(Field {
                        name: name.name.clone(),
                        ty: self.ty(t, st)?,
                        docs: docs_of(docs),
                    });
                }
                TypeDefKind::Record(out)
            }
            ast::Type::Flags(at, flags) => {
                if flags.is_empty() {
                    return self.err(*at, "empty flags");
                }
                if let Some(f) = flags.get(32) {
                    return self.err(f.1.at, "cannot have more than 32 flags");
                }
                self.unique("flag", flags.iter().map(|f| &f.1))?;
                TypeDefKind::Flags(
                    flags
                        .iter()
                        .map(|(d, n)| Flag {
                            name: n.name.clone(),
                            docs: docs_of(d),
                        })
                        .collect(),
                )
            }
            ast::Type::Tuple(at, ts) => {
                if ts.is_empty() {
                    return self.err(*at, "empty tuple");
                }
                let mut out = Vec::new();
                for t in ts {
                    out.push(self.ty(t, st)?);
                }
                TypeDefKind::Tuple(out)
            }
            ast::Type::Variant(at, cases) => {
                if cases.is_empty() {
                    return self.err(*at, "empty variant");
                }
                self.unique("case", cases.iter().map(|c| &c.1))?;
                let mut out = Vec::new();
                for (docs, name, t) in cases {
                    let ty = match t {
                        Some(t) => Some(self.ty(t, st)?),
                        None => None,
                    };
                    out.push(Case {
                        name: name.name.clone(),
                        ty,
                        docs: docs_of(docs),
                    });
                }
                TypeDefKind::Variant(out)
            }
            ast::Type::Enum(at, cases) => {
                if cases.is_empty() {
                    return self.err(*at, "empty enum");
                }
                self.unique("case", cases.iter().map(|c| &c.1))?;
                TypeDefKind::Enum(
                    cases
                        .iter()
                        .map(|(d, n)| EnumCase {
                            name: n.name.clone(),
                            docs: docs_of(d),
                        })
                        .collect(),
                )
            }
            ast::Type::Option(t) => TypeDefKind::Option(self.ty(t, st)?),
            ast::Type::Result(ok, e) => TypeDefKind::Result {
                ok: self.opt_ty(ok.as_deref(), st)?,
                err: self.opt_ty(e.as_deref(), st)?,
            },
            ast::Type::Future(t) => TypeDefKind::Future(self.opt_ty(t.as_deref(), st)?),
            ast::Type::Stream(t) => TypeDefKind::Stream(self.opt_ty(t.as_deref(), st)?),
        })
    }

    /// Record fields, flags and cases must be unique ignoring case.
    fn unique<'a>(&self, what: &str, names: impl Iterator<Item = &'a ast::Id>) -> RResult<()> {
        let mut seen: IndexMap<String, &str> = IndexMap::new();
        for n in names {
            if let Some(prev) = seen.insert(strong_key(&n.name), &n.name) {
                return self.err(
                    n.at,
                    if prev == n.name {
                        format!("duplicate {what} `{prev}`")
                    } else {
                        format!(
                            "{what} `{}` conflicts with previous {what} `{prev}`",
                            n.name
                        )
                    },
                );
            }
        }
        Ok(())
    }

    fn opt_ty(&mut self, t: Option<&ast::Type>, st: &Stability) -> RResult<Option<Type>> {
        t.map(|t| self.ty(t, st)).transpose()
    }

    /// A type in a use position: primitives and names directly, anything else
    /// an anonymous type shared by structure within the package.
    pub(crate) fn ty(&mut self, t: &ast::Type, st: &Stability) -> RResult<Type> {
        let kind = self.typedef_kind(t, st)?;
        let t = self.anon_type(kind, st);
        Ok(self.own_if_resource(t))
    }

    /// A use of a resource (directly or through aliases) means an owned
    /// handle: wit-parser models it as an anonymous `own<T>`, one per `T`.
    fn own_if_resource(&mut self, t: Type) -> Type {
        let Type::Id(id) = t else { return t };
        if self.resolve.ty(self.resolve.unalias(id)).kind != TypeDefKind::Resource {
            return t;
        }
        let key = format!("own {}", id.0);
        if let Some(h) = self.anon.get(&key) {
            return Type::Id(*h);
        }
        let h = self.resolve.push_type(TypeDef {
            name: None,
            kind: TypeDefKind::Handle(Handle::Own(id)),
            owner: TypeOwner::None,
            docs: Docs::default(),
            stability: Stability::Unknown,
            external_id: None,
        });
        self.anon.insert(key, h);
        Type::Id(h)
    }

    /// An anonymous type, shared by structure. It is gated like the
    /// definition it appears in, or else like the first gated type inside it
    /// (so `option<t>` is gated with `t`), as wit-parser gates it; the first
    /// creation decides, since later uses share it.
    fn anon_type(&mut self, kind: TypeDefKind, st: &Stability) -> Type {
        match kind {
            TypeDefKind::Type(t) => t,
            // `own<r>` is the same as `r`.
            TypeDefKind::Handle(Handle::Own(r)) => Type::Id(r),
            kind => {
                let key = format!("{kind:?}");
                if let Some(id) = self.anon.get(&key) {
                    return Type::Id(*id);
                }
                let stability = if *st != Stability::Unknown {
                    st.clone()
                } else {
                    let mut inner = Vec::new();
                    super::gate::each_type(&kind, &mut |t| inner.push(t));
                    inner
                        .into_iter()
                        .filter_map(|t| match t {
                            Type::Id(id) => Some(&self.resolve.ty(id).stability),
                            _ => None,
                        })
                        .find(|s| **s != Stability::Unknown)
                        .cloned()
                        .unwrap_or_default()
                };
                let id = self.resolve.push_type(TypeDef {
                    name: None,
                    kind,
                    owner: TypeOwner::None,
                    docs: Docs::default(),
                    stability,
                    external_id: None,
                });
                self.anon.insert(key, id);
                Type::Id(id)
            }
        }
    }

    /// A resource's constructor, method or static function.
    pub(crate) fn resource_func(&mut self, f: &ast::ResourceFunc, res: &str) -> RResult<Function> {
        let Some((Binding::Type(r), _)) = self.lookup.get(res).copied() else {
            unreachable!("resource {res} was just defined")
        };
        let shape = match f {
            ast::ResourceFunc::Method(_) => FuncShape::Method(res, r),
            ast::ResourceFunc::Static(_) => FuncShape::Static(res, r),
            ast::ResourceFunc::Constructor(_) => FuncShape::Constructor(res, r),
        };
        self.function(f.named(), shape)
    }

    /// A world's or interface's freestanding function.
    pub(crate) fn free_function(&mut self, f: &ast::NamedFunc) -> RResult<Function> {
        self.function(f, FuncShape::Free)
    }

    fn function(&mut self, f: &ast::NamedFunc, shape: FuncShape) -> RResult<Function> {
        use ast::Accessor::{Get, Set};
        use FunctionKind as K;
        let a = f.func.is_async;
        let n = &f.name.name;
        let (name, kind) = match (shape, f.func.accessor) {
            (FuncShape::Free, Some(Get)) => (format!("[get]{n}"), K::Getter),
            (FuncShape::Free, Some(Set)) => (format!("[set]{n}"), K::Setter),
            (FuncShape::Free, None) if a => (n.clone(), K::AsyncFreestanding),
            (FuncShape::Free, None) => (n.clone(), K::Freestanding),
            (FuncShape::Method(r, id), Some(Get)) => {
                (format!("[method][get]{r}.{n}"), K::MethodGetter(id))
            }
            (FuncShape::Method(r, id), Some(Set)) => {
                (format!("[method][set]{r}.{n}"), K::MethodSetter(id))
            }
            (FuncShape::Method(r, id), None) if a => {
                (format!("[method]{r}.{n}"), K::AsyncMethod(id))
            }
            (FuncShape::Method(r, id), None) => (format!("[method]{r}.{n}"), K::Method(id)),
            (FuncShape::Static(r, id), Some(Get)) => {
                (format!("[static][get]{r}.{n}"), K::StaticGetter(id))
            }
            (FuncShape::Static(r, id), Some(Set)) => {
                (format!("[static][set]{r}.{n}"), K::StaticSetter(id))
            }
            (FuncShape::Static(r, id), None) if a => {
                (format!("[static]{r}.{n}"), K::AsyncStatic(id))
            }
            (FuncShape::Static(r, id), None) => (format!("[static]{r}.{n}"), K::Static(id)),
            (FuncShape::Constructor(r, id), _) => (format!("[constructor]{r}"), K::Constructor(id)),
        };
        match f.func.accessor {
            Some(Get) => {
                if let Some((p, _)) = f.func.params.first() {
                    return self.err(p.at, "getters cannot have parameters");
                }
                if f.func.result.is_none() {
                    return self.err(f.func.at, "getters must return a value");
                }
            }
            Some(Set) if f.func.params.len() != 1 => {
                let at = f.func.params.get(1).map_or(f.func.at, |p| p.0.at);
                return self.err(at, "setters must have exactly one parameter");
            }
            _ => {}
        }
        let stability = self.stability(&f.attrs)?;
        let mut params = Vec::new();
        if let K::Method(r) | K::AsyncMethod(r) | K::MethodGetter(r) | K::MethodSetter(r) = kind {
            let me = self.anon_type(TypeDefKind::Handle(Handle::Borrow(r)), &Stability::Unknown);
            params.push(("self".to_string(), me));
        }
        for (pname, pty) in &f.func.params {
            if params
                .iter()
                .any(|(p, _)| p.eq_ignore_ascii_case(&pname.name))
            {
                return self.err(
                    pname.at,
                    format!("param `{}` is defined more than once", pname.name),
                );
            }
            let t = self.ty(pty, &Stability::Unknown)?;
            params.push((pname.name.clone(), t));
        }
        let result = match (&f.func.result, kind) {
            (None, FunctionKind::Constructor(r)) => Some(self.own_if_resource(Type::Id(r))),
            (Some(t), FunctionKind::Constructor(r)) => {
                let res = self.ty(t, &Stability::Unknown)?;
                let ok = match res {
                    Type::Id(id) => match self.resolve.ty(id).kind {
                        TypeDefKind::Result { ok, .. } => Some(ok),
                        _ => None,
                    },
                    _ => None,
                };
                match ok {
                    None => {
                        return self.err(
                            f.func.result_at.0,
                            "if a constructor return type is declared it must be a `result`",
                        )
                    }
                    Some(Some(Type::Id(ok)))
                        if ok == r
                            || self.resolve.ty(ok).kind == TypeDefKind::Handle(Handle::Own(r)) =>
                    {
                        Some(res)
                    }
                    Some(_) => {
                        return self.err(
                            f.func.result_at.1.unwrap_or(f.func.result_at.0),
                            "the `ok` type must be the resource being constructed",
                        )
                    }
                }
            }
            (t, _) => self.opt_ty(t.as_ref(), &Stability::Unknown)?,
        };
        if f.func.accessor == Some(Set) {
            if let Some(t) = result {
                let ok_is_none = matches!(t, Type::Id(id)
                    if matches!(self.resolve.ty(id).kind, TypeDefKind::Result { ok: None, .. }));
                if !ok_is_none {
                    return self.err(
                        f.func.result_at.0,
                        "if a setter return type is declared it must be a `result` with no `ok` type",
                    );
                }
            }
        }
        Ok(Function {
            name,
            kind,
            params,
            result,
            docs: docs_of(&f.docs),
            stability,
            external_id: external_id_of(&f.attrs),
        })
    }

    /// `@since`/`@unstable`/`@deprecated` as a [`Stability`], checking combinations.
    pub(crate) fn stability(&self, attrs: &[ast::Attr]) -> RResult<Stability> {
        let (mut since, mut dep, mut unstable) = (None, None, None);
        for a in attrs {
            match a {
                ast::Attr::Since { at, version } => {
                    if since.replace((*at, version.clone())).is_some() {
                        return self.err(*at, "cannot specify @since twice");
                    }
                }
                ast::Attr::Deprecated { at, version } => {
                    if dep.replace((*at, version.clone())).is_some() {
                        return self.err(*at, "cannot specify @deprecated twice");
                    }
                }
                ast::Attr::Unstable { at, feature } => {
                    if unstable.replace(feature.clone()).is_some() {
                        return self.err(*at, "cannot specify @unstable twice");
                    }
                }
                ast::Attr::ExternalId { .. } => {}
            }
        }
        let deprecated = dep.as_ref().map(|d| d.1.clone());
        match (since, unstable) {
            (Some((at, _)), Some(_)) => self.err(at, "cannot specify both @since and @unstable"),
            (Some((_, since)), None) => Ok(Stability::Stable { since, deprecated }),
            (None, Some(feature)) => Ok(Stability::Unstable {
                feature,
                deprecated,
            }),
            (None, None) => match dep {
                Some((at, _)) => self.err(
                    at,
                    "cannot specify both @deprecated without @since or @unstable",
                ),
                None => Ok(Stability::Unknown),
            },
        }
    }
}

/// The names a type definition refers to, for ordering type definitions.
fn collect_deps(t: &ast::Type, out: &mut Vec<(String, usize)>) {
    match t {
        ast::Type::Name(n) | ast::Type::Own(n) | ast::Type::Borrow(n) => {
            out.push((n.name.clone(), n.at))
        }
        ast::Type::List(t) | ast::Type::FixedList(t, _) | ast::Type::Option(t) => {
            collect_deps(t, out)
        }
        ast::Type::Map(_, k, v) => {
            collect_deps(k, out);
            collect_deps(v, out);
        }
        ast::Type::Result(a, b) => {
            for t in [a, b].into_iter().flatten() {
                collect_deps(t, out);
            }
        }
        ast::Type::Future(t) | ast::Type::Stream(t) => {
            if let Some(t) = t {
                collect_deps(t, out);
            }
        }
        ast::Type::Tuple(_, ts) => ts.iter().for_each(|t| collect_deps(t, out)),
        ast::Type::Record(_, fs) => fs.iter().for_each(|f| collect_deps(&f.2, out)),
        ast::Type::Variant(_, cs) => cs
            .iter()
            .filter_map(|c| c.2.as_ref())
            .for_each(|t| collect_deps(t, out)),
        ast::Type::Prim(_)
        | ast::Type::Resource(_)
        | ast::Type::Flags(..)
        | ast::Type::Enum(..) => {}
    }
}

/// Turns raw comments into doc text the way wit-parser does: markers off,
/// trailing space off, the common leading indentation off, lines joined.
/// The value of an `@external-id("…")` among `attrs`.
pub(crate) fn external_id_of(attrs: &[ast::Attr]) -> Option<String> {
    attrs.iter().find_map(|a| match a {
        ast::Attr::ExternalId { value, .. } => Some(value.clone()),
        _ => None,
    })
}

pub(crate) fn docs_of(d: &ast::Docs) -> Docs {
    let lines: Vec<&str> = d
        .comments
        .iter()
        .map(|c| match c.strip_prefix("/**") {
            Some(b) => b.strip_suffix("*/").unwrap_or(b),
            None => c.trim_start_matches('/'),
        })
        .map(|c| c.trim_end())
        .collect();
    if lines.is_empty() {
        return Docs::default();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.bytes().take_while(|b| b.is_ascii_whitespace()).count())
        .min()
        .unwrap_or(0);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for l in lines {
        let l = l.strip_prefix(pad.as_str()).unwrap_or(l);
        if l.is_empty() {
            out.push('\n');
        } else {
            for line in l.lines() {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    Docs {
        contents: Some(out),
    }
}

/// Names in one scope (an interface, a world's imports or exports) must be
/// unique ignoring case and `[…]` annotations, as the component model wants.
#[derive(Default)]
pub(crate) struct NameScope {
    seen: IndexMap<String, String>,
}

impl NameScope {
    /// Adds `name`, or says what it collides with.
    pub(crate) fn define(&mut self, name: &str) -> Result<(), String> {
        let key = strong_key(name);
        if let Some(prev) = self.seen.get(&key) {
            return Err(if prev == name {
                format!("duplicate name `{name}`")
            } else {
                format!("name `{name}` conflicts with previous name `{prev}`")
            });
        }
        self.seen.insert(key, name.to_string());
        Ok(())
    }
}

/// The form in which two names must differ to be strongly unique: case,
/// `-` and annotations like `[method]` or `[get]` do not count (so `[get]p`
/// collides with `p`), except that a constructor and a setter have their own
/// space; and a method named like its resource collides with the resource.
pub(crate) fn strong_key(name: &str) -> String {
    let norm = |s: &str| s.to_lowercase().replace('-', "");
    let mut rest = name;
    let mut space = "";
    while rest.starts_with('[') {
        let Some(close) = rest.find(']') else { break };
        match &rest[..=close] {
            "[constructor]" => space = "[constructor]",
            "[set]" => space = "[set]",
            _ => {}
        }
        rest = &rest[close + 1..];
    }
    match rest.split_once('.') {
        Some((res, m)) if norm(res) == norm(m) => format!("{space}{}", norm(res)),
        Some((res, m)) => format!("{space}{}.{}", norm(res), norm(m)),
        None => format!("{space}{}", norm(rest)),
    }
}

//! Alias injection, index assignment and reference resolution, then the
//! binary AST: fields grouped into sections as wat groups them, and the
//! `component-name` section wat writes for identifiers.

use std::collections::HashMap;

use wtool_component::ast::{
    Alias, Canon, CanonOpt, Component, ComponentDecl, CoreSort, CoreType, Custom, DefinedType,
    ExternType, InstanceDecl, Section, Sort, SpawnOp, Type, TypeBound, ValType,
};

use super::{err, extern_sort, sort_word, Def, Group, Item, Ref, R};
use crate::error::Result;

/// One scope's index spaces: how many items each has and their names.
#[derive(Default)]
struct Scope {
    id: Option<String>,
    spaces: HashMap<Sort, (u32, HashMap<R, u32>)>,
    /// Name-section names per sort, in index order (wat's lists).
    names: HashMap<Sort, Vec<Option<String>>>,
}

impl Scope {
    fn define(
        &mut self,
        sort: Sort,
        id: Option<&R>,
        name: Option<String>,
        off: u32,
        list: bool,
    ) -> Result<()> {
        let (count, names) = self.spaces.entry(sort).or_default();
        if let Some(id) = id {
            if names.insert(id.clone(), *count).is_some() {
                if let R::Id(n) = id {
                    return Err(err(
                        format!("duplicate {} identifier ${n}", sort_word(sort)),
                        off,
                    ));
                }
            }
        }
        *count += 1;
        if list {
            self.names.entry(sort).or_default().push(name);
        }
        Ok(())
    }

    fn find(&self, sort: Sort, idx: &R) -> Option<u32> {
        match idx {
            R::Num(n) => Some(*n),
            _ => self
                .spaces
                .get(&sort)
                .and_then(|(_, m)| m.get(idx).copied()),
        }
    }
}

/// What an item defines: (sort, id, name-section name, listed by wat).
fn defines(it: &Item) -> Vec<(Sort, Option<R>, Option<String>, bool)> {
    let one = |s: Sort| vec![(s, it.id.clone(), it.name.clone(), true)];
    match &it.def {
        Def::CoreModule(_) => one(Sort::Core(CoreSort::Module)),
        Def::CoreInstance(_) => one(Sort::Core(CoreSort::Instance)),
        Def::CoreRec(_, names) => names
            .iter()
            .map(|n| match n {
                Some((id, name)) => (
                    Sort::Core(CoreSort::Type),
                    Some(id.clone()),
                    name.clone(),
                    true,
                ),
                None => (Sort::Core(CoreSort::Type), None, None, true),
            })
            .collect(),
        Def::CoreModuleType(_) => one(Sort::Core(CoreSort::Type)),
        Def::Component(_) => one(Sort::Component),
        Def::Instance(_) => one(Sort::Instance),
        Def::Alias(a) => one(match a {
            Alias::InstanceExport { sort, .. } | Alias::Outer { sort, .. } => *sort,
            Alias::CoreInstanceExport { sort, .. } => Sort::Core(*sort),
        }),
        Def::Type(_) | Def::ComponentType(_) | Def::InstanceType(_) => one(Sort::Type),
        Def::Canon(Canon::Lift { .. }) => one(Sort::Func),
        Def::Canon(_) => one(Sort::Core(CoreSort::Func)),
        // wat does not list start results in the name section.
        Def::Start(_, ids) => ids
            .iter()
            .map(|id| (Sort::Value, id.clone(), None, false))
            .collect(),
        Def::Import(i) => one(extern_sort(&i.ty)),
        Def::Export(e) => one(e.sort),
        Def::DeclExport(_, t) => one(extern_sort(t)),
        Def::Custom(_) => Vec::new(),
    }
}

/// A definition with its final indices.
enum Done {
    Module(Box<wtool_ast::Module>),
    CoreInstance(wtool_component::ast::CoreInstance),
    CoreType(CoreType),
    Component(Box<Component>),
    Instance(wtool_component::ast::Instance),
    Alias(Alias),
    Type(Type),
    Canon(Canon),
    Start(wtool_component::ast::Start),
    Import(wtool_component::ast::Import),
    Export(wtool_component::ast::Export),
    DeclExport(wtool_component::ast::ExternName, ExternType),
    Custom(Custom),
}

#[derive(Default)]
struct Resolver {
    stack: Vec<Scope>,
    gen: u32,
}

/// Resolves a parsed component.
pub(crate) fn component(g: Group) -> Result<Component> {
    let mut r = Resolver {
        stack: Vec::new(),
        // Above the parser's generated names.
        gen: u32::MAX / 2,
    };
    r.component(g)
}

impl Resolver {
    fn component(&mut self, g: Group) -> Result<Component> {
        let (done, scope) = self.group(g.id, g.items, true)?;
        let mut sections: Vec<Section> = Vec::new();
        for d in done {
            push_section(&mut sections, d);
        }
        if let Some(data) = name_section(g.name.as_deref(), &scope) {
            sections.push(Section::Custom(Custom {
                name: "component-name".into(),
                data,
            }));
        }
        Ok(Component {
            version: 0x0d,
            sections,
        })
    }

    /// Both phases for one scope.
    fn group(
        &mut self,
        id: Option<String>,
        items: Vec<Item>,
        list: bool,
    ) -> Result<(Vec<Done>, Scope)> {
        // Phase 1: inject aliases. Indices counted here are thrown away.
        let mut st = Scope {
            id: id.clone(),
            ..Scope::default()
        };
        for it in &items {
            register(&mut st, it, false)?;
        }
        self.stack.push(st);
        let mut out = Vec::with_capacity(items.len());
        for mut it in items {
            let mut inject = Vec::new();
            // Explicit outer aliases name their scope: nothing to inject.
            if !matches!(
                it.def,
                Def::Alias(Alias::Outer { .. }) | Def::CoreModuleType(_)
            ) {
                for r in it.refs.iter_mut() {
                    self.expand_ref(r, &mut inject)?;
                }
            }
            out.append(&mut inject);
            out.push(it);
        }
        self.stack.pop();
        // Phase 2: final indices.
        let mut st = Scope {
            id,
            ..Scope::default()
        };
        for it in &out {
            register(&mut st, it, list)?;
        }
        self.stack.push(st);
        let mut done = Vec::with_capacity(out.len());
        for it in out {
            let d = self.finish(it);
            match d {
                Ok(d) => done.push(d),
                Err(e) => {
                    self.stack.pop();
                    return Err(e);
                }
            }
        }
        let st = self.stack.pop().unwrap_or_default();
        Ok((done, st))
    }

    fn fresh(&mut self) -> R {
        self.gen += 1;
        R::Gen(self.gen)
    }

    /// Phase 1 for one reference: export names become aliases, a name
    /// found only in an enclosing scope an outer alias.
    fn expand_ref(&mut self, r: &mut Ref, inject: &mut Vec<Item>) -> Result<()> {
        if !r.exports.is_empty() {
            // Core modules are exported by component instances (below),
            // other core items by core instances.
            let module = r.sort == Sort::Core(CoreSort::Module);
            if let (Sort::Core(cs), false) = (r.sort, module) {
                if matches!(cs, CoreSort::Type | CoreSort::Module | CoreSort::Instance) {
                    return Err(err(
                        "core instances cannot export this kind of item, so an export name cannot be used to resolve this reference",
                        r.off,
                    ));
                }
                let id = self.fresh();
                let mut a = Item::blank(r.off);
                let instance = a.r(Ref {
                    sort: Sort::Core(CoreSort::Instance),
                    idx: r.idx.clone(),
                    exports: Vec::new(),
                    off: r.off,
                });
                a.def = Def::Alias(Alias::CoreInstanceExport {
                    sort: cs,
                    instance,
                    name: r.exports.remove(0),
                });
                a.id = Some(id.clone());
                inject.push(a);
                r.idx = id;
                return Ok(());
            }
            let n = r.exports.len();
            for (i, name) in std::mem::take(&mut r.exports).into_iter().enumerate() {
                let id = self.fresh();
                let mut a = Item::blank(r.off);
                let instance = a.r(Ref {
                    sort: Sort::Instance,
                    idx: r.idx.clone(),
                    exports: Vec::new(),
                    off: r.off,
                });
                let sort = if i + 1 == n { r.sort } else { Sort::Instance };
                a.def = Def::Alias(Alias::InstanceExport {
                    sort,
                    instance,
                    name,
                });
                a.id = Some(id.clone());
                inject.push(a);
                r.idx = id;
            }
            return Ok(());
        }
        if matches!(r.idx, R::Num(_)) {
            return Ok(());
        }
        let depth_found = self
            .stack
            .iter()
            .rev()
            .enumerate()
            .find_map(|(d, sc)| sc.find(r.sort, &r.idx).map(|i| (d, i)));
        let Some((depth, found)) = depth_found else {
            return Ok(());
        };
        if depth == 0 {
            return Ok(());
        }
        if !matches!(
            r.sort,
            Sort::Type | Sort::Component | Sort::Core(CoreSort::Type | CoreSort::Module)
        ) {
            let name = match &r.idx {
                R::Id(n) => n.clone(),
                _ => String::new(),
            };
            return Err(err(
                format!("outer item `{name}` is not a module, type, or component"),
                r.off,
            ));
        }
        let id = self.fresh();
        let mut a = Item::blank(r.off);
        let count = a.r(Ref {
            sort: Sort::Component,
            idx: R::Num(depth as u32),
            exports: Vec::new(),
            off: r.off,
        });
        let index = a.r(Ref {
            sort: r.sort,
            idx: R::Num(found),
            exports: Vec::new(),
            off: r.off,
        });
        a.def = Def::Alias(Alias::Outer {
            sort: r.sort,
            count,
            index,
        });
        a.id = Some(id.clone());
        if let Some(top) = self.stack.last_mut() {
            register(top, &a, false)?;
        }
        inject.push(a);
        r.idx = id;
        Ok(())
    }

    /// Phase 2 for one item: its references resolved, nested scopes done.
    fn finish(&mut self, it: Item) -> Result<Done> {
        let top = self.stack.len() - 1;
        let mut vals = Vec::with_capacity(it.refs.len());
        let both_num = it.refs.len() == 2
            && matches!(it.refs[0].idx, R::Num(_))
            && matches!(it.refs[1].idx, R::Num(_));
        if let (Def::Alias(Alias::Outer { .. }), true) = (&it.def, both_num) {
            // wat leaves numeric outer aliases for the validator to judge.
            for r in &it.refs {
                vals.push(match r.idx {
                    R::Num(n) => n,
                    _ => 0,
                });
            }
        } else if let Def::Alias(Alias::Outer { .. }) = &it.def {
            let depth = match &it.refs[0].idx {
                R::Num(n) => *n as usize,
                R::Id(id) => self
                    .stack
                    .iter()
                    .rev()
                    .position(|s| s.id.as_deref() == Some(id.as_str()))
                    .ok_or_else(|| {
                        err(format!("outer component `{id}` not found"), it.refs[0].off)
                    })?,
                R::Gen(_) => 0,
            };
            if depth > top {
                return Err(err(
                    format!("outer count of `{depth}` is too large"),
                    it.refs[0].off,
                ));
            }
            vals.push(depth as u32);
            let r = &it.refs[1];
            vals.push(lookup(&self.stack[top - depth], r)?);
        } else if let Def::CoreModuleType(_) = &it.def {
            // Outer aliases of a module type, counted from the module type:
            // 1 is the scope it is defined in.
            for pair in it.refs.chunks(2) {
                let [c, i] = pair else { break };
                let count = match &c.idx {
                    R::Num(n) => *n,
                    R::Id(id) => self
                        .stack
                        .iter()
                        .rev()
                        .position(|s| s.id.as_deref() == Some(id.as_str()))
                        .map(|d| d as u32 + 1)
                        .ok_or_else(|| err(format!("outer component `{id}` not found"), c.off))?,
                    R::Gen(_) => 1,
                };
                let index = match &i.idx {
                    R::Num(n) => *n,
                    _ => {
                        let d = (count as usize).checked_sub(1).filter(|d| *d <= top);
                        let d = d.ok_or_else(|| err("invalid outer alias count", c.off))?;
                        lookup(&self.stack[top - d], i)?
                    }
                };
                vals.push(count);
                vals.push(index);
            }
        } else {
            for r in &it.refs {
                vals.push(lookup(&self.stack[top], r)?);
            }
        }
        let m = |h: u32| vals.get(h as usize).copied().unwrap_or(h);
        Ok(match it.def {
            Def::CoreModule(m) => Done::Module(m),
            Def::CoreInstance(mut c) => {
                match &mut c {
                    wtool_component::ast::CoreInstance::Instantiate { module, args } => {
                        *module = m(*module);
                        for a in args {
                            a.1 = m(a.1);
                        }
                    }
                    wtool_component::ast::CoreInstance::FromExports(es) => {
                        for e in es {
                            e.index = m(e.index);
                        }
                    }
                }
                Done::CoreInstance(c)
            }
            Def::CoreRec(r, _) => Done::CoreType(CoreType::Rec(r)),
            Def::CoreModuleType(mut t) => {
                if let CoreType::Module(decls) = &mut t {
                    for d in decls {
                        if let wtool_component::ast::ModuleDecl::OuterAlias { count, index } = d {
                            *count = m(*count);
                            *index = m(*index);
                        }
                    }
                }
                Done::CoreType(t)
            }
            Def::Component(g) => Done::Component(Box::new(self.component(*g)?)),
            Def::Instance(mut i) => {
                match &mut i {
                    wtool_component::ast::Instance::Instantiate { component, args } => {
                        *component = m(*component);
                        for a in args {
                            a.index = m(a.index);
                        }
                    }
                    wtool_component::ast::Instance::FromExports(es) => {
                        for e in es {
                            e.index = m(e.index);
                        }
                    }
                }
                Done::Instance(i)
            }
            Def::Alias(mut a) => {
                match &mut a {
                    Alias::InstanceExport { instance, .. }
                    | Alias::CoreInstanceExport { instance, .. } => *instance = m(*instance),
                    Alias::Outer { count, index, .. } => {
                        *count = m(*count);
                        *index = m(*index);
                    }
                }
                Done::Alias(a)
            }
            Def::Type(t) => Done::Type(map_type(t, &m)),
            Def::ComponentType(g) => {
                let (done, _) = self.group(g.id, g.items, false)?;
                let decls = done.into_iter().filter_map(component_decl).collect();
                Done::Type(Type::Component(decls))
            }
            Def::InstanceType(g) => {
                let (done, _) = self.group(g.id, g.items, false)?;
                let decls = done
                    .into_iter()
                    .filter_map(|d| match component_decl(d) {
                        Some(ComponentDecl::Instance(i)) => Some(i),
                        _ => None,
                    })
                    .collect();
                Done::Type(Type::Instance(decls))
            }
            Def::Canon(c) => Done::Canon(map_canon(c, &m)),
            Def::Start(mut s, _) => {
                s.func = m(s.func);
                for a in &mut s.args {
                    *a = m(*a);
                }
                Done::Start(s)
            }
            Def::Import(mut i) => {
                i.ty = map_extern(i.ty, &m);
                Done::Import(i)
            }
            Def::Export(mut e) => {
                e.index = m(e.index);
                e.ty = e.ty.map(|t| map_extern(t, &m));
                Done::Export(e)
            }
            Def::DeclExport(n, t) => Done::DeclExport(n, map_extern(t, &m)),
            Def::Custom(c) => Done::Custom(c),
        })
    }
}

fn register(st: &mut Scope, it: &Item, list: bool) -> Result<()> {
    for (sort, id, name, listed) in defines(it) {
        st.define(sort, id.as_ref(), name, it.off, list && listed)?;
    }
    Ok(())
}

fn lookup(st: &Scope, r: &Ref) -> Result<u32> {
    st.find(r.sort, &r.idx).ok_or_else(|| {
        let name = match &r.idx {
            R::Id(n) => format!("${n}"),
            _ => "a generated name".into(),
        };
        err(format!("unknown {} {name}", sort_word(r.sort)), r.off)
    })
}

fn map_val(v: ValType, m: &impl Fn(u32) -> u32) -> ValType {
    match v {
        ValType::Idx(h) => ValType::Idx(m(h)),
        p => p,
    }
}

fn map_type(t: Type, m: &impl Fn(u32) -> u32) -> Type {
    let v = |x: ValType| map_val(x, m);
    let ov = |x: Option<ValType>| x.map(|x| map_val(x, m));
    match t {
        Type::Defined(d) => Type::Defined(match d {
            DefinedType::Record(fs) => {
                DefinedType::Record(fs.into_iter().map(|(n, t)| (n, v(t))).collect())
            }
            DefinedType::Variant(cs) => DefinedType::Variant(
                cs.into_iter()
                    .map(|mut c| {
                        c.ty = ov(c.ty);
                        c
                    })
                    .collect(),
            ),
            DefinedType::List(t) => DefinedType::List(v(t)),
            DefinedType::FixedList(t, n) => DefinedType::FixedList(v(t), n),
            DefinedType::Map(k, t) => DefinedType::Map(v(k), v(t)),
            DefinedType::Tuple(ts) => DefinedType::Tuple(ts.into_iter().map(v).collect()),
            DefinedType::Option(t) => DefinedType::Option(v(t)),
            DefinedType::Result { ok, err } => DefinedType::Result {
                ok: ov(ok),
                err: ov(err),
            },
            DefinedType::Own(h) => DefinedType::Own(m(h)),
            DefinedType::Borrow(h) => DefinedType::Borrow(m(h)),
            DefinedType::Stream(t) => DefinedType::Stream(ov(t)),
            DefinedType::Future(t) => DefinedType::Future(ov(t)),
            d => d,
        }),
        Type::Func(mut f) => {
            f.params = f.params.into_iter().map(|(n, t)| (n, v(t))).collect();
            f.result = ov(f.result);
            Type::Func(f)
        }
        Type::Resource { rep, dtor } => Type::Resource {
            rep,
            dtor: dtor.map(m),
        },
        t => t,
    }
}

fn map_extern(t: ExternType, m: &impl Fn(u32) -> u32) -> ExternType {
    match t {
        ExternType::Module(h) => ExternType::Module(m(h)),
        ExternType::Func(h) => ExternType::Func(m(h)),
        ExternType::Value(v) => ExternType::Value(map_val(v, m)),
        ExternType::Type(TypeBound::Eq(h)) => ExternType::Type(TypeBound::Eq(m(h))),
        ExternType::Type(b) => ExternType::Type(b),
        ExternType::Component(h) => ExternType::Component(m(h)),
        ExternType::Instance(h) => ExternType::Instance(m(h)),
    }
}

fn map_opts(opts: Vec<CanonOpt>, m: &impl Fn(u32) -> u32) -> Vec<CanonOpt> {
    opts.into_iter()
        .map(|o| match o {
            CanonOpt::Memory(h) => CanonOpt::Memory(m(h)),
            CanonOpt::Realloc(h) => CanonOpt::Realloc(m(h)),
            CanonOpt::PostReturn(h) => CanonOpt::PostReturn(m(h)),
            CanonOpt::Callback(h) => CanonOpt::Callback(m(h)),
            CanonOpt::CoreType(h) => CanonOpt::CoreType(m(h)),
            o => o,
        })
        .collect()
}

fn map_canon(c: Canon, m: &impl Fn(u32) -> u32) -> Canon {
    match c {
        Canon::Lift { func, opts, ty } => Canon::Lift {
            func: m(func),
            opts: map_opts(opts, m),
            ty: m(ty),
        },
        Canon::Lower { func, opts } => Canon::Lower {
            func: m(func),
            opts: map_opts(opts, m),
        },
        Canon::Resource { op, ty } => Canon::Resource { op, ty: m(ty) },
        Canon::TaskReturn { result, opts } => Canon::TaskReturn {
            result: result.map(|v| map_val(v, m)),
            opts: map_opts(opts, m),
        },
        Canon::Async {
            op,
            ty,
            opts,
            is_async,
        } => Canon::Async {
            op,
            ty: m(ty),
            opts: map_opts(opts, m),
            is_async,
        },
        Canon::ErrorContext {
            debug_message,
            opts,
        } => Canon::ErrorContext {
            debug_message,
            opts: map_opts(opts, m),
        },
        Canon::WaitableSet {
            poll,
            cancellable,
            memory,
        } => Canon::WaitableSet {
            poll,
            cancellable,
            memory: m(memory),
        },
        // Only the fields the built-in has are handles (the others are 0).
        Canon::Spawn {
            op,
            shared,
            func_ty,
            table,
        } => Canon::Spawn {
            op,
            shared,
            func_ty: if op == SpawnOp::AvailableParallelism {
                func_ty
            } else {
                m(func_ty)
            },
            table: if op == SpawnOp::SpawnIndirect {
                m(table)
            } else {
                table
            },
        },
        Canon::ThreadNewIndirect { func_ty, table } => Canon::ThreadNewIndirect {
            func_ty: m(func_ty),
            table: m(table),
        },
        c => c,
    }
}

fn component_decl(d: Done) -> Option<ComponentDecl> {
    Some(match d {
        Done::Import(i) => ComponentDecl::Import(i),
        Done::CoreType(t) => ComponentDecl::Instance(InstanceDecl::CoreType(t)),
        Done::Type(t) => ComponentDecl::Instance(InstanceDecl::Type(t)),
        Done::Alias(a) => ComponentDecl::Instance(InstanceDecl::Alias(a)),
        Done::DeclExport(name, ty) => ComponentDecl::Instance(InstanceDecl::Export { name, ty }),
        _ => return None,
    })
}

/// Appends a definition, joining it to the last section when wat would.
fn push_section(secs: &mut Vec<Section>, d: Done) {
    macro_rules! group {
        ($v:ident, $x:expr) => {{
            if let Some(Section::$v(list)) = secs.last_mut() {
                list.push($x);
            } else {
                secs.push(Section::$v(vec![$x]));
            }
        }};
    }
    match d {
        Done::Module(m) => secs.push(Section::CoreModule(m)),
        Done::CoreInstance(i) => group!(CoreInstances, i),
        Done::CoreType(t) => group!(CoreTypes, t),
        Done::Component(c) => secs.push(Section::Component(c)),
        Done::Instance(i) => group!(Instances, i),
        Done::Alias(a) => group!(Aliases, a),
        Done::Type(t) => group!(Types, t),
        Done::Canon(c) => group!(Canons, c),
        Done::Start(s) => secs.push(Section::Start(s)),
        Done::Import(i) => group!(Imports, i),
        Done::Export(e) => group!(Exports, e),
        Done::DeclExport(..) => {}
        Done::Custom(c) => secs.push(Section::Custom(c)),
    }
}

/// The `component-name` section's payload, as wat writes it, if any name.
fn name_section(name: Option<&str>, st: &Scope) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    if let Some(n) = name {
        let mut sub = Vec::new();
        wtool_binary::parts::write_name(&mut sub, n);
        out.push(0);
        wtool_binary::leb128::write_u32(&mut out, sub.len() as u32);
        out.extend(sub);
    }
    let order: [(Sort, &[u8]); 13] = [
        (Sort::Core(CoreSort::Func), &[0, 0]),
        (Sort::Core(CoreSort::Table), &[0, 1]),
        (Sort::Core(CoreSort::Memory), &[0, 2]),
        (Sort::Core(CoreSort::Global), &[0, 3]),
        (Sort::Core(CoreSort::Tag), &[0, 4]),
        (Sort::Core(CoreSort::Type), &[0, 0x10]),
        (Sort::Core(CoreSort::Module), &[0, 0x11]),
        (Sort::Core(CoreSort::Instance), &[0, 0x12]),
        (Sort::Func, &[1]),
        (Sort::Value, &[2]),
        (Sort::Type, &[3]),
        (Sort::Component, &[4]),
        (Sort::Instance, &[5]),
    ];
    for (sort, bytes) in order {
        let Some(list) = st.names.get(&sort) else {
            continue;
        };
        let named: Vec<(u32, &str)> = list
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_deref().map(|n| (i as u32, n)))
            .collect();
        if named.is_empty() {
            continue;
        }
        let mut sub = bytes.to_vec();
        wtool_binary::leb128::write_u32(&mut sub, named.len() as u32);
        for (i, n) in named {
            wtool_binary::leb128::write_u32(&mut sub, i);
            wtool_binary::parts::write_name(&mut sub, n);
        }
        out.push(1);
        wtool_binary::leb128::write_u32(&mut out, sub.len() as u32);
        out.extend(sub);
    }
    (!out.is_empty()).then_some(out)
}

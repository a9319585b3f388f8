//! Types, type uses, extern types and canonical definitions.

use std::collections::HashMap;

use wtool_ast::{CompositeType, FuncType as CoreFuncType, ImportDesc, TypeDef};
use wtool_component::ast::{
    Case, CoreRec, CoreSort, CoreType, DefinedType, ExternType, FuncType, ModuleDecl, PrimValType,
    Sort, Type, TypeBound, ValType,
};

use super::fields::{self, gensym, named, Scope};
use super::{err, Def, Group, Item, Ref, R};
use crate::error::Result;
use crate::lexer::Kind;
use crate::parser::{module, Idx, Parser};

/// After `(core type`: `$id? (@name)? (module …)` or a core type definition.
pub(crate) fn core_type(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<Item> {
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    if p.eat_lparen_kw("module") {
        let decls = module_decls(p, &mut it)?;
        p.expect_rparen()?;
        it.def = Def::CoreModuleType(CoreType::Module(decls));
        return Ok(it);
    }
    let td = with_core_names(p, s, |p| p.type_def(&mut Vec::new()))?;
    let name = it.id.clone().map(|id| (id, it.name.clone()));
    it.def = Def::CoreRec(
        CoreRec {
            types: vec![td],
            explicit: false,
        },
        vec![name],
    );
    Ok(it)
}

/// After `(core rec`: `(type $id? def)*`.
pub(crate) fn core_rec(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<Item> {
    let mut it = Item::blank(off);
    let mut types = Vec::new();
    let mut names = Vec::new();
    // Names inside the group are visible to each other.
    let base = s.core_type_count;
    let mut local = s.core_types.clone();
    let mut i = p.pos;
    let mut n = 0;
    while p.toks.get(i).is_some_and(|t| t.kind == Kind::LParen) {
        if let Some(id) = p.toks.get(i + 2).filter(|t| t.kind == Kind::Id) {
            local.insert(p.text(*id)[1..].to_string(), base + n);
        }
        n += 1;
        i = skip_form(p, i);
    }
    while p.eat_lparen_kw("type") {
        let (id, name) = p.opt_id_named()?;
        let saved = std::mem::take(&mut p.type_names);
        p.type_names = local
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Owned(k.clone()), *v))
            .collect();
        let td = p.type_def(&mut Vec::new());
        p.type_names = saved;
        types.push(td?);
        p.expect_rparen()?;
        names.push(id.map(|(n, _)| (R::Id(n.into_owned()), name)));
    }
    it.def = Def::CoreRec(
        CoreRec {
            types,
            explicit: true,
        },
        names,
    );
    Ok(it)
}

/// The token index after the form that opens at token `i`.
fn skip_form(p: &Parser<'_>, mut i: usize) -> usize {
    let mut depth = 0usize;
    while let Some(t) = p.toks.get(i) {
        match t.kind {
            Kind::LParen | Kind::Annot => depth += 1,
            Kind::RParen => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// Runs `f` with the scope's core type names as the core parser's.
fn with_core_names<'a, T>(
    p: &mut Parser<'a>,
    s: &Scope,
    f: impl FnOnce(&mut Parser<'a>) -> Result<T>,
) -> Result<T> {
    let names = s
        .core_types
        .iter()
        .map(|(k, v)| (std::borrow::Cow::Owned(k.clone()), *v))
        .collect();
    let saved = std::mem::replace(&mut p.type_names, names);
    let r = f(p);
    p.type_names = saved;
    r
}

/// A module type's declarations, up to its `)`. Its names are its own: it
/// only refers to its own types (and outer aliases by number).
fn module_decls(p: &mut Parser<'_>, owner: &mut Item) -> Result<Vec<ModuleDecl>> {
    let mut decls = Vec::new();
    let mut names: HashMap<String, u32> = HashMap::new();
    let mut count = 0u32;
    // Inline function types reuse an equal function type declared before
    // (explicitly: wat does not reuse the ones it generated).
    let mut funcs: HashMap<CoreFuncType, u32> = HashMap::new();
    let saved = std::mem::take(&mut p.type_names);
    let r = (|| -> Result<()> {
        while p.kind() == Some(Kind::LParen) {
            let off = p.offset();
            p.pos += 1;
            match p.peek_kw() {
                Some("type") => {
                    p.pos += 1;
                    let (id, _) = p.opt_id_named()?;
                    set_names(p, &names);
                    let td = p.type_def(&mut Vec::new())?;
                    if let Some((n, _)) = id {
                        names.insert(n.into_owned(), count);
                    }
                    // The last declaration of a function type wins, as in wat.
                    if let CompositeType::Func(f) = &td.composite {
                        funcs.insert(f.clone(), count);
                    }
                    count += 1;
                    decls.push(ModuleDecl::Type(CoreRec {
                        types: vec![td],
                        explicit: false,
                    }));
                }
                Some("alias") => {
                    p.pos += 1;
                    let it = fields::alias(p, off)?;
                    let (Def::Alias(_), [c, i]) = (&it.def, &it.refs[..]) else {
                        return Err(err("expected `(alias outer …)`", off));
                    };
                    // `(type)` here means a core type.
                    let mut i = i.clone();
                    if i.sort == Sort::Type {
                        i.sort = Sort::Core(CoreSort::Type);
                    }
                    if i.sort != Sort::Core(CoreSort::Type) {
                        return Err(err("a module type may only alias core types", off));
                    }
                    // Both resolved with the enclosing scopes, later: the
                    // declaration holds handles into the owner's refs.
                    decls.push(ModuleDecl::OuterAlias {
                        count: owner.r(c.clone()),
                        index: owner.r(i),
                    });
                    if let Some(R::Id(n)) = it.id {
                        names.insert(n, count);
                    }
                    count += 1;
                }
                Some("import") => {
                    p.pos += 1;
                    let module = p.name()?;
                    let name = p.name()?;
                    let (desc, _) = core_desc(p, &mut decls, &mut names, &mut count, &funcs)?;
                    decls.push(ModuleDecl::Import(wtool_ast::Import {
                        module,
                        name,
                        desc,
                        exact: false,
                    }));
                }
                Some("export") => {
                    p.pos += 1;
                    let name = p.name()?;
                    let (desc, exact) = core_desc(p, &mut decls, &mut names, &mut count, &funcs)?;
                    decls.push(ModuleDecl::Export { name, desc, exact });
                }
                _ => return Err(p.unexpected("`type`, `alias`, `import` or `export`")),
            }
            p.expect_rparen()?;
        }
        Ok(())
    })();
    p.type_names = saved;
    r?;
    Ok(decls)
}

fn set_names(p: &mut Parser<'_>, names: &HashMap<String, u32>) {
    p.type_names = names
        .iter()
        .map(|(k, v)| (std::borrow::Cow::Owned(k.clone()), *v))
        .collect();
}

/// A core import or export description in a module type; an inline
/// function type not declared yet is declared just before.
fn core_desc(
    p: &mut Parser<'_>,
    decls: &mut Vec<ModuleDecl>,
    names: &mut HashMap<String, u32>,
    count: &mut u32,
    funcs: &HashMap<CoreFuncType, u32>,
) -> Result<(ImportDesc, bool)> {
    p.expect_lparen()?;
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("an import kind"));
    };
    p.pos += 1;
    let _ = p.opt_id_named()?;
    let mut exact = false;
    let desc = match kw {
        "func" | "tag" => {
            exact = kw == "func" && p.eat_lparen_kw("exact");
            set_names(p, names);
            let tu = p.type_use(None)?;
            if exact {
                p.expect_rparen()?;
            }
            let idx = match tu.idx {
                Some(Idx::Num(n)) => n,
                Some(Idx::Name(n, off)) => *names
                    .get(n.as_ref())
                    .ok_or_else(|| err(format!("unknown type ${n}"), off))?,
                None => {
                    let f = tu
                        .inline
                        .unwrap_or_else(|| CoreFuncType::new(vec![], vec![]));
                    match funcs.get(&f) {
                        Some(i) => *i,
                        // wat reuses declared types only, not generated ones.
                        None => {
                            decls.push(ModuleDecl::Type(CoreRec {
                                types: vec![TypeDef::func(f)],
                                explicit: false,
                            }));
                            *count += 1;
                            *count - 1
                        }
                    }
                }
            };
            if kw == "func" {
                ImportDesc::Func(idx)
            } else {
                ImportDesc::Tag(idx)
            }
        }
        "table" => ImportDesc::Table(module::table_type(p)?),
        "memory" => ImportDesc::Memory(module::memory_type(p)?),
        "global" => ImportDesc::Global(module::global_type(p)?),
        _ => {
            p.pos -= 1;
            return Err(p.unexpected("`func`, `table`, `memory`, `global` or `tag`"));
        }
    };
    p.expect_rparen()?;
    Ok((desc, exact))
}

/// A core module type use: `(type idx)` or inline declarations, which
/// become a core type defined just before the user.
pub(crate) fn core_module_type_use(
    p: &mut Parser<'_>,
    s: &mut Scope,
    it: &mut Item,
) -> Result<u32> {
    if p.at_lparen_kw("type") {
        p.pos += 2;
        let r = fields::item_ref(p, Sort::Core(CoreSort::Type))?;
        p.expect_rparen()?;
        return Ok(it.r(r));
    }
    let off = p.offset();
    let mut t = Item::blank(off);
    let decls = module_decls(p, &mut t)?;
    t.def = Def::CoreModuleType(CoreType::Module(decls));
    Ok(it.r(generated(p, s, t, Sort::Core(CoreSort::Type))))
}

/// Puts a generated definition before the current field; returns a
/// reference to it.
fn generated(p: &mut Parser<'_>, s: &mut Scope, mut t: Item, sort: Sort) -> Ref {
    let g = gensym(p);
    t.id = Some(R::Gen(g));
    let off = t.off;
    s.prepend.push(t);
    Ref {
        sort,
        idx: R::Gen(g),
        exports: Vec::new(),
        off,
    }
}

/// A component type use for an item of `sort` (func, component or
/// instance): `(type idx "export"*)` or an inline type.
pub(crate) fn comp_type_use(
    p: &mut Parser<'_>,
    s: &mut Scope,
    it: &mut Item,
    sort: Sort,
) -> Result<u32> {
    // `(type $t)` refers to a type; `(type $t (instance …))` inside an
    // instance type is a declaration.
    let is_ref = p
        .peek_at(2)
        .is_some_and(|t| matches!(t.kind, Kind::Id | Kind::QuotedId | Kind::Num))
        && p.peek_at(3)
            .is_some_and(|t| matches!(t.kind, Kind::RParen | Kind::Str));
    if p.at_lparen_kw("type") && is_ref {
        p.pos += 2;
        let r = fields::item_ref(p, Sort::Type)?;
        p.expect_rparen()?;
        return Ok(it.r(r));
    }
    let off = p.offset();
    let mut t = Item::blank(off);
    let def = match sort {
        Sort::Func => Def::Type(Type::Func(func_type(p, s, &mut t)?)),
        Sort::Component => Def::ComponentType(Box::new(decls(p, true)?)),
        _ => Def::InstanceType(Box::new(decls(p, false)?)),
    };
    t.def = def;
    Ok(it.r(generated(p, s, t, Sort::Type)))
}

/// `async? (param "name" t)* (result t)?`.
fn func_type(p: &mut Parser<'_>, s: &mut Scope, it: &mut Item) -> Result<FuncType> {
    let is_async = p.peek_kw() == Some("async");
    if is_async {
        p.pos += 1;
    }
    let mut params = Vec::new();
    while p.eat_lparen_kw("param") {
        let name = p.name()?;
        params.push((name, val_type(p, s, it)?));
        p.expect_rparen()?;
    }
    let mut result = None;
    if p.eat_lparen_kw("result") {
        if p.at_string() {
            return Err(p.unexpected("a value type"));
        }
        result = Some(val_type(p, s, it)?);
        p.expect_rparen()?;
    }
    Ok(FuncType {
        is_async,
        params,
        result,
    })
}

/// A component or instance type's declarations, up to its `)`.
fn decls(p: &mut Parser<'_>, component: bool) -> Result<Group> {
    super::nested(p, |p| decls_inner(p, component))
}

fn decls_inner(p: &mut Parser<'_>, component: bool) -> Result<Group> {
    let mut s = Scope::default();
    while p.kind() == Some(Kind::LParen) {
        let off = p.offset();
        p.pos += 1;
        let it = match p.peek_kw() {
            Some("core") if p.peek_at(1).map(|t| p.text(t)) == Some("type") => {
                p.pos += 2;
                core_type(p, &mut s, off)?
            }
            Some("core") if p.peek_at(1).map(|t| p.text(t)) == Some("rec") => {
                p.pos += 2;
                core_rec(p, &mut s, off)?
            }
            Some("type") => {
                p.pos += 1;
                type_field(p, &mut s, off, false)?
            }
            Some("alias") => {
                p.pos += 1;
                fields::alias(p, off)?
            }
            Some("import") if component => {
                p.pos += 1;
                let name = fields::extern_name(p)?;
                let mut it = Item::blank(off);
                let ty = extern_type(p, &mut s, &mut it)?;
                it.def = Def::Import(wtool_component::ast::Import { name, ty });
                it
            }
            Some("export") => {
                p.pos += 1;
                let name = fields::extern_name(p)?;
                let mut it = Item::blank(off);
                let ty = extern_type(p, &mut s, &mut it)?;
                it.def = Def::DeclExport(name, ty);
                it
            }
            _ => return Err(p.unexpected("a declaration")),
        };
        p.expect_rparen()?;
        s.push(it);
    }
    Ok(Group {
        id: None,
        name: None,
        items: s.finish(),
    })
}

/// After `(type`: `$id? (@name)? (export …)* typedef`. Inline exports are
/// only allowed at component level (`exports`).
pub(crate) fn type_field(
    p: &mut Parser<'_>,
    s: &mut Scope,
    off: u32,
    exports: bool,
) -> Result<Item> {
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    let mut names = Vec::new();
    while exports && p.at_lparen_kw("export") {
        let eoff = p.offset();
        p.pos += 2;
        names.push((fields::extern_name(p)?, eoff));
        p.expect_rparen()?;
    }
    it.def = type_def(p, s, &mut it)?;
    if !names.is_empty() && it.id.is_none() {
        it.id = Some(R::Gen(gensym(p)));
    }
    for (name, eoff) in names {
        let mut e = Item::blank(eoff);
        let index = e.r(Ref {
            sort: Sort::Type,
            idx: it.id.clone().unwrap_or(R::Num(0)),
            exports: Vec::new(),
            off: eoff,
        });
        e.def = Def::Export(wtool_component::ast::Export {
            name,
            sort: Sort::Type,
            index,
            ty: None,
        });
        s.append.push(e);
    }
    Ok(it)
}

/// A type definition: a function, component, instance or resource type,
/// or a defined value type.
fn type_def(p: &mut Parser<'_>, s: &mut Scope, it: &mut Item) -> Result<Def> {
    if let Some(pv) = prim(p) {
        return Ok(Def::Type(Type::Defined(DefinedType::Prim(pv))));
    }
    p.expect_lparen()?;
    let def = match p.peek_kw() {
        Some("func") => {
            p.pos += 1;
            Def::Type(Type::Func(func_type(p, s, it)?))
        }
        Some("component") => {
            p.pos += 1;
            Def::ComponentType(Box::new(decls(p, true)?))
        }
        Some("instance") => {
            p.pos += 1;
            Def::InstanceType(Box::new(decls(p, false)?))
        }
        Some("resource") => {
            p.pos += 1;
            if !p.eat_lparen_kw("rep") {
                return Err(p.unexpected("`(rep`"));
            }
            let rep = p.val_type()?;
            p.expect_rparen()?;
            let mut dtor = None;
            if p.eat_lparen_kw("dtor") {
                let r = fields::core_ref(p, CoreSort::Func)?;
                dtor = Some(it.r(r));
                p.expect_rparen()?;
            }
            Def::Type(Type::Resource { rep, dtor })
        }
        _ => {
            p.pos -= 1;
            Def::Type(Type::Defined(defined(p, s, it)?))
        }
    };
    if !matches!(def, Def::Type(Type::Defined(_))) {
        p.expect_rparen()?;
    }
    Ok(def)
}

/// A primitive value type keyword, consumed if present.
fn prim(p: &mut Parser<'_>) -> Option<PrimValType> {
    let v = match p.peek_kw()? {
        "bool" => PrimValType::Bool,
        "s8" => PrimValType::S8,
        "u8" => PrimValType::U8,
        "s16" => PrimValType::S16,
        "u16" => PrimValType::U16,
        "s32" => PrimValType::S32,
        "u32" => PrimValType::U32,
        "s64" => PrimValType::S64,
        "u64" => PrimValType::U64,
        "f32" | "float32" => PrimValType::F32,
        "f64" | "float64" => PrimValType::F64,
        "char" => PrimValType::Char,
        "string" => PrimValType::String,
        "error-context" => PrimValType::ErrorContext,
        _ => return None,
    };
    p.pos += 1;
    Some(v)
}

/// A value type: a primitive, a type index, or an inline defined type
/// (which becomes a type definition before the current field).
pub(crate) fn val_type(p: &mut Parser<'_>, s: &mut Scope, it: &mut Item) -> Result<ValType> {
    if let Some(pv) = prim(p) {
        return Ok(ValType::Prim(pv));
    }
    if p.at_idx() {
        let r = fields::idx_ref(p, Sort::Type)?;
        return Ok(ValType::Idx(it.r(r)));
    }
    let off = p.offset();
    let mut t = Item::blank(off);
    let d = defined(p, s, &mut t)?;
    t.def = Def::Type(Type::Defined(d));
    Ok(ValType::Idx(it.r(generated(p, s, t, Sort::Type))))
}

fn opt_val_type(p: &mut Parser<'_>, s: &mut Scope, it: &mut Item) -> Result<Option<ValType>> {
    if p.at_rparen() {
        Ok(None)
    } else {
        val_type(p, s, it).map(Some)
    }
}

/// A parenthesised defined type, `(` included.
fn defined(p: &mut Parser<'_>, s: &mut Scope, it: &mut Item) -> Result<DefinedType> {
    super::nested(p, |p| defined_inner(p, s, it))
}

fn defined_inner(p: &mut Parser<'_>, s: &mut Scope, it: &mut Item) -> Result<DefinedType> {
    p.expect_lparen()?;
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("a defined type"));
    };
    p.pos += 1;
    let d = match kw {
        "record" => {
            let mut fs = Vec::new();
            while p.eat_lparen_kw("field") {
                let n = p.name()?;
                fs.push((n, val_type(p, s, it)?));
                p.expect_rparen()?;
            }
            DefinedType::Record(fs)
        }
        "variant" => {
            let mut cases = Vec::new();
            while p.eat_lparen_kw("case") {
                let _ = p.opt_id()?;
                let name = p.name()?;
                let ty = if p.at_rparen() || p.at_lparen_kw("refines") {
                    None
                } else {
                    Some(val_type(p, s, it)?)
                };
                if p.eat_lparen_kw("refines") {
                    return Err(err("`refines` is not supported", p.offset()));
                }
                p.expect_rparen()?;
                cases.push(Case { name, ty });
            }
            DefinedType::Variant(cases)
        }
        "list" => {
            let t = val_type(p, s, it)?;
            if p.at_num() {
                DefinedType::FixedList(t, p.u32()?)
            } else {
                DefinedType::List(t)
            }
        }
        "map" => {
            let k = val_type(p, s, it)?;
            DefinedType::Map(k, val_type(p, s, it)?)
        }
        "tuple" => {
            let mut ts = Vec::new();
            while !p.at_rparen() {
                ts.push(val_type(p, s, it)?);
            }
            DefinedType::Tuple(ts)
        }
        "flags" | "enum" => {
            let mut ns = Vec::new();
            while p.at_string() {
                ns.push(p.name()?);
            }
            if kw == "flags" {
                DefinedType::Flags(ns)
            } else {
                DefinedType::Enum(ns)
            }
        }
        "option" => DefinedType::Option(val_type(p, s, it)?),
        "result" => {
            let ok = if p.at_rparen() || p.at_lparen_kw("error") {
                None
            } else {
                Some(val_type(p, s, it)?)
            };
            let mut e = None;
            if p.eat_lparen_kw("error") {
                e = Some(val_type(p, s, it)?);
                p.expect_rparen()?;
            }
            DefinedType::Result { ok, err: e }
        }
        "own" | "borrow" => {
            let r = fields::idx_ref(p, Sort::Type)?;
            let h = it.r(r);
            if kw == "own" {
                DefinedType::Own(h)
            } else {
                DefinedType::Borrow(h)
            }
        }
        "stream" => DefinedType::Stream(opt_val_type(p, s, it)?),
        "future" => DefinedType::Future(opt_val_type(p, s, it)?),
        _ => {
            p.pos -= 1;
            return Err(p.unexpected("a defined type"));
        }
    };
    p.expect_rparen()?;
    Ok(d)
}

/// An extern type: `(func …)`, `(component …)`, `(instance …)`, `(core
/// module …)`, `(value t)` or `(type bound)`, with an optional `$id`.
pub(crate) fn extern_type(p: &mut Parser<'_>, s: &mut Scope, it: &mut Item) -> Result<ExternType> {
    p.expect_lparen()?;
    let sort = fields::sort(p)?;
    // The type's `$id` names an import's item; an export's own id (before
    // its name) is kept when the ascribed type has none.
    let (id, name) = p.opt_id_named()?;
    if id.is_some() || name.is_some() {
        it.id = id.map(|(n, _)| R::Id(n.into_owned()));
        it.name = name;
    }
    let ty = match sort {
        Sort::Func => ExternType::Func(comp_type_use(p, s, it, sort)?),
        Sort::Component => ExternType::Component(comp_type_use(p, s, it, sort)?),
        Sort::Instance => ExternType::Instance(comp_type_use(p, s, it, sort)?),
        Sort::Core(CoreSort::Module) => ExternType::Module(core_module_type_use(p, s, it)?),
        Sort::Value => ExternType::Value(val_type(p, s, it)?),
        Sort::Type => {
            if p.eat_lparen_kw("eq") {
                let r = fields::idx_ref(p, Sort::Type)?;
                p.expect_rparen()?;
                ExternType::Type(TypeBound::Eq(it.r(r)))
            } else if p.eat_lparen_kw("sub") {
                if p.peek_kw() != Some("resource") {
                    return Err(p.unexpected("`resource`"));
                }
                p.pos += 1;
                p.expect_rparen()?;
                ExternType::Type(TypeBound::SubResource)
            } else {
                return Err(p.unexpected("`(eq` or `(sub`"));
            }
        }
        Sort::Core(_) => return Err(err("not an extern type", p.offset())),
    };
    p.expect_rparen()?;
    Ok(ty)
}

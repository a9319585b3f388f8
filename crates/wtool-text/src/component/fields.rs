//! Component fields, parsed with their sugar expanded (see the module docs).

use wtool_component::ast::{
    Alias, Canon, Component, CoreInlineExport, CoreInstance, CoreSort, Custom, Export, ExternName,
    Import, InlineExport, Instance, InstantiateArg, Sort, Start,
};

pub(crate) use super::refs::{
    comp_ref, core_ref, core_sort, extern_name, idx_ref, is_inline, item_ref, sort, sorted_ref_rest,
};
use super::{err, Def, Group, Item, Ref, R};
use crate::error::{Result, TextError, TextErrorKind};
use crate::lexer::Kind;
use crate::parser::{module, Parser};

/// Builds one scope's items: definitions generated for the current field
/// (inline types, bundles of exports) go before it, inline exports after
/// the whole component.
#[derive(Default)]
pub(crate) struct Scope {
    pub items: Vec<Item>,
    pub prepend: Vec<Item>,
    pub append: Vec<Item>,
    /// Core type names so far: core type definitions resolve their names
    /// at parse time with the core parser.
    pub core_types: std::collections::HashMap<String, u32>,
    pub core_type_count: u32,
}

impl Scope {
    /// Adds the field just parsed, after what it generated.
    pub fn push(&mut self, it: Item) {
        let pre = std::mem::take(&mut self.prepend);
        for i in pre.into_iter().chain(std::iter::once(it)) {
            self.count_core_types(&i);
            self.items.push(i);
        }
    }

    fn count_core_types(&mut self, it: &Item) {
        match &it.def {
            Def::CoreRec(_, names) => {
                for n in names {
                    if let Some((R::Id(id), _)) = n {
                        self.core_types.insert(id.clone(), self.core_type_count);
                    }
                    self.core_type_count += 1;
                }
            }
            Def::CoreModuleType(_) => {
                if let Some(R::Id(id)) = &it.id {
                    self.core_types.insert(id.clone(), self.core_type_count);
                }
                self.core_type_count += 1;
            }
            _ => {}
        }
    }

    /// The items, inline exports last.
    pub fn finish(mut self) -> Vec<Item> {
        self.items.append(&mut self.append);
        self.items
    }
}

/// Generated names: unique across the whole parse.
pub(crate) fn gensym(p: &mut Parser<'_>) -> u32 {
    p.gensym += 1;
    p.gensym
}

/// The whole source: one `(component …)` form.
pub(crate) fn top_level(p: &mut Parser<'_>) -> Result<Component> {
    if !p.at_lparen_kw("component") {
        return Err(p.unexpected("`(component`"));
    }
    p.pos += 2;
    // `(component definition $id? …)` is a script directive's form.
    if p.peek_kw() == Some("definition") {
        p.pos += 1;
    }
    let c = component_body(p, true)?;
    p.expect_rparen()?;
    // A `(@name …)` no item took is misplaced, as in a module.
    p.check_annotations(0)?;
    Ok(c)
}

/// How a component of a script is written: `binary` and `quote` forms are
/// kept as bytes, because decoding or parsing them is what an assertion
/// over them checks.
pub(crate) enum ScriptForm {
    /// Fields, parsed.
    Text(Box<Component>),
    /// `binary "…"*`: the bytes.
    Binary(Vec<u8>),
    /// `quote "…"*`: the quoted text.
    Quote(Vec<u8>),
}

/// A script's component after `(component` (and `definition`): `$id?` and
/// then `binary`/`quote` strings or fields, up to its `)` (not taken).
pub(crate) fn script_form(p: &mut Parser<'_>) -> Result<ScriptForm> {
    let start = p.pos;
    p.opt_id()?;
    if let Some(kw @ ("binary" | "quote")) = p.peek_kw() {
        p.pos += 1;
        let mut bytes = Vec::new();
        while p.at_string() {
            bytes.extend(p.string()?);
        }
        return Ok(if kw == "binary" {
            ScriptForm::Binary(bytes)
        } else {
            ScriptForm::Quote(bytes)
        });
    }
    // Back to the id: the component takes it as its name, as when parsed alone.
    p.pos = start;
    let c = component_body(p, false)?;
    // A `(@name …)` no item of this component took is misplaced.
    p.check_annotations(start)?;
    Ok(ScriptForm::Text(Box::new(c)))
}

/// After `(component`: `$id? binary|quote strings` or fields, without `)`.
fn component_body(p: &mut Parser<'_>, top: bool) -> Result<Component> {
    let at = p.offset();
    let (id, name) = p.opt_id_named()?;
    match p.peek_kw() {
        Some(kw @ ("binary" | "quote")) if top => {
            p.pos += 1;
            let mut bytes = Vec::new();
            while p.at_string() {
                bytes.extend(p.string()?);
            }
            if kw == "binary" {
                return wtool_component::decode(&bytes, p.features).map_err(|e| {
                    TextError::new(TextErrorKind::Binary(e.to_string()), at as usize, 0)
                });
            }
            let mut text = b"(component ".to_vec();
            text.extend(bytes);
            text.push(b')');
            super::parse_component_with(&text, p.features)
        }
        _ => {
            let g = Group {
                id: id.map(|(n, _)| n.into_owned()),
                name,
                items: component_fields(p)?,
            };
            super::resolve::component(g)
        }
    }
}

/// Fields up to the closing `)` of a component.
pub(crate) fn component_fields(p: &mut Parser<'_>) -> Result<Vec<Item>> {
    super::nested(p, component_fields_inner)
}

fn component_fields_inner(p: &mut Parser<'_>) -> Result<Vec<Item>> {
    let mut s = Scope::default();
    while let Some(t) = p.peek() {
        match t.kind {
            Kind::RParen => break,
            Kind::Annot => {
                p.pos += 1;
                if p.text(t).ends_with("producers") {
                    // The core parser builds the section; a component keeps
                    // it where it was written.
                    let mut b = module::Builder::new();
                    module::producers(p, &mut b)?;
                    for c in b.after_last.drain(..) {
                        let mut it = Item::blank(t.start);
                        it.def = Def::Custom(Custom {
                            name: c.name,
                            data: c.data,
                        });
                        s.push(it);
                    }
                    continue;
                }
                let it = custom(p, t.start)?;
                s.push(it);
                continue;
            }
            Kind::LParen => {}
            _ => return Err(p.unexpected("a component field")),
        }
        field(p, &mut s)?;
    }
    Ok(s.finish())
}

/// `(@custom "name" "bytes"*)`, its `(@custom` consumed.
fn custom(p: &mut Parser<'_>, off: u32) -> Result<Item> {
    let name = p.name()?;
    // wat takes no placement in a component: sections stay where written.
    if p.kind() == Some(Kind::LParen) {
        return Err(p.unexpected("a string or `)`"));
    }
    let mut data = Vec::new();
    while p.at_string() {
        data.extend(p.string()?);
    }
    p.expect_rparen()?;
    let mut it = Item::blank(off);
    it.def = Def::Custom(Custom { name, data });
    Ok(it)
}

/// One parenthesised component field.
fn field(p: &mut Parser<'_>, s: &mut Scope) -> Result<()> {
    let off = p.offset();
    p.pos += 1;
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("a component field"));
    };
    p.pos += 1;
    match kw {
        "core" => {
            let Some(kw2) = p.peek_kw() else {
                return Err(p.unexpected("`module`, `instance`, `type`, `rec` or `func`"));
            };
            p.pos += 1;
            match kw2 {
                "module" => core_module(p, s, off)?,
                "instance" => core_instance(p, s, off)?,
                "type" => {
                    let it = super::types::core_type(p, s, off)?;
                    s.push(it);
                }
                "rec" => {
                    let it = super::types::core_rec(p, s, off)?;
                    s.push(it);
                }
                "func" => core_func(p, s, off)?,
                _ => {
                    p.pos -= 1;
                    return Err(p.unexpected("`module`, `instance`, `type`, `rec` or `func`"));
                }
            }
        }
        "component" => nested_component(p, s, off)?,
        "instance" => instance(p, s, off)?,
        "alias" => {
            let it = alias(p, off)?;
            s.push(it);
        }
        "type" => {
            let it = super::types::type_field(p, s, off, true)?;
            s.push(it);
        }
        "canon" => {
            let it = canon(p, s, off)?;
            s.push(it);
        }
        "func" => func(p, s, off)?,
        "start" => start(p, s, off)?,
        "import" => {
            let it = import(p, s, off)?;
            s.push(it);
        }
        "export" => export(p, s, off)?,
        _ => {
            p.pos -= 1;
            return Err(p.unexpected("a component field"));
        }
    }
    p.expect_rparen()
}

/// `$id? (@name …)?`: the item's id and name-section name.
pub(crate) fn named(p: &mut Parser<'_>, it: &mut Item) -> Result<()> {
    let (id, name) = p.opt_id_named()?;
    it.id = id.map(|(n, _)| R::Id(n.into_owned()));
    it.name = name;
    Ok(())
}

/// `(export "name" attrs)*` after an item's id: exports appended to the
/// component, referring to the item (which gets a generated id if needed).
fn inline_exports(p: &mut Parser<'_>, it: &mut Item, sort: Sort, s: &mut Scope) -> Result<()> {
    while p.at_lparen_kw("export") && is_inline(p) {
        let off = p.offset();
        p.pos += 2;
        let name = extern_name(p)?;
        p.expect_rparen()?;
        if it.id.is_none() {
            it.id = Some(R::Gen(gensym(p)));
        }
        let mut e = Item::blank(off);
        let index = e.r(Ref {
            sort,
            idx: it.id.clone().unwrap_or(R::Num(0)),
            exports: Vec::new(),
            off,
        });
        e.def = Def::Export(Export {
            name,
            sort,
            index,
            ty: None,
        });
        s.append.push(e);
    }
    Ok(())
}

/// `(import "name" attrs)` sugar on a definition, if present.
fn inline_import(p: &mut Parser<'_>) -> Result<Option<ExternName>> {
    if !(p.at_lparen_kw("import") && is_inline(p)) {
        return Ok(None);
    }
    p.pos += 2;
    let n = extern_name(p)?;
    p.expect_rparen()?;
    Ok(Some(n))
}

fn core_module(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let start = p.pos;
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    inline_exports(p, &mut it, Sort::Core(CoreSort::Module), s)?;
    if let Some(name) = inline_import(p)? {
        let ty = super::types::core_module_type_use(p, s, &mut it)?;
        it.def = Def::Import(Import {
            name,
            ty: wtool_component::ast::ExternType::Module(ty),
        });
        it.name = id_name(&it);
        s.push(it);
        return Ok(());
    }
    // The core parser's type names are per module; keep the component's.
    let saved = std::mem::take(&mut p.type_names);
    let mut b = module::Builder::new();
    b.module_name = it.name.clone();
    let r = module::fields(p, &mut b)
        .and_then(|_| p.check_annotations(start))
        .and_then(|_| crate::resolve::resolve(b));
    p.type_names = saved;
    it.def = Def::CoreModule(Box::new(r?));
    s.push(it);
    Ok(())
}

fn core_instance(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    if p.eat_lparen_kw("instantiate") {
        // A bare index or `(module idx "export"*)` (through component
        // instances).
        let module = if p.at_idx() {
            idx_ref(p, Sort::Core(CoreSort::Module))?
        } else {
            p.expect_lparen()?;
            if p.peek_kw() != Some("module") {
                return Err(p.unexpected("`module`"));
            }
            p.pos += 1;
            sorted_ref_rest(p, Sort::Core(CoreSort::Module))?
        };
        let module = it.r(module);
        let mut args = Vec::new();
        while p.eat_lparen_kw("with") {
            let name = p.name()?;
            p.expect_lparen()?;
            if p.peek_kw() != Some("instance") {
                return Err(p.unexpected("`instance`"));
            }
            p.pos += 1;
            let r = if p.at_lparen_kw("export") {
                // A bundle of exports becomes a core instance of its own.
                let boff = p.offset();
                let mut b = Item::blank(boff);
                let exports = core_exports(p, &mut b)?;
                b.def = Def::CoreInstance(CoreInstance::FromExports(exports));
                let g = gensym(p);
                b.id = Some(R::Gen(g));
                s.prepend.push(b);
                Ref {
                    sort: Sort::Core(CoreSort::Instance),
                    idx: R::Gen(g),
                    exports: Vec::new(),
                    off: boff,
                }
            } else {
                item_ref(p, Sort::Core(CoreSort::Instance))?
            };
            p.expect_rparen()?;
            p.expect_rparen()?;
            args.push((name, it.r(r)));
        }
        p.expect_rparen()?;
        it.def = Def::CoreInstance(CoreInstance::Instantiate { module, args });
    } else {
        let exports = core_exports(p, &mut it)?;
        it.def = Def::CoreInstance(CoreInstance::FromExports(exports));
    }
    s.push(it);
    Ok(())
}

/// `(export "name" (core-sort ref))*`.
fn core_exports(p: &mut Parser<'_>, it: &mut Item) -> Result<Vec<CoreInlineExport>> {
    let mut out = Vec::new();
    while p.eat_lparen_kw("export") {
        let name = p.name()?;
        p.expect_lparen()?;
        let sort = core_sort(p, false)?;
        let r = sorted_ref_rest(p, Sort::Core(sort))?;
        p.expect_rparen()?;
        out.push(CoreInlineExport {
            name,
            sort,
            index: it.r(r),
        });
    }
    Ok(out)
}

/// `(core func $id? (canon …))` or `(core func $id? (alias core export …))`.
fn core_func(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let (id, name) = p.opt_id_named()?;
    p.expect_lparen()?;
    let mut it = match p.peek_kw() {
        Some("canon") => {
            p.pos += 1;
            super::canon::canon_body(p, s, off, None)?
        }
        Some("alias") => {
            p.pos += 1;
            let mut it = Item::blank(off);
            if p.peek_kw() != Some("core") || p.peek_at(1).map(|t| p.text(t)) != Some("export") {
                return Err(p.unexpected("`core export`"));
            }
            p.pos += 2;
            let instance = it.r(idx_ref(p, Sort::Core(CoreSort::Instance))?);
            let name = p.name()?;
            it.def = Def::Alias(Alias::CoreInstanceExport {
                sort: CoreSort::Func,
                instance,
                name,
            });
            it
        }
        _ => return Err(p.unexpected("`canon` or `alias`")),
    };
    p.expect_rparen()?;
    it.id = id.map(|(n, _)| R::Id(n.into_owned()));
    it.name = name;
    it.off = off;
    s.push(it);
    Ok(())
}

fn nested_component(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    inline_exports(p, &mut it, Sort::Component, s)?;
    if let Some(name) = inline_import(p)? {
        let ty = super::types::comp_type_use(p, s, &mut it, Sort::Component)?;
        it.def = Def::Import(Import {
            name,
            ty: wtool_component::ast::ExternType::Component(ty),
        });
        it.name = id_name(&it);
    } else {
        let items = component_fields(p)?;
        let id = match &it.id {
            Some(R::Id(n)) => Some(n.clone()),
            _ => None,
        };
        it.def = Def::Component(Box::new(Group {
            id,
            name: it.name.clone(),
            items,
        }));
    }
    s.push(it);
    Ok(())
}

fn instance(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    inline_exports(p, &mut it, Sort::Instance, s)?;
    if let Some(name) = inline_import(p)? {
        let ty = super::types::comp_type_use(p, s, &mut it, Sort::Instance)?;
        it.def = Def::Import(Import {
            name,
            ty: wtool_component::ast::ExternType::Instance(ty),
        });
        it.name = id_name(&it);
    } else if p.eat_lparen_kw("instantiate") {
        let component = it.r(comp_ref(p, Sort::Component)?);
        let mut args = Vec::new();
        while p.eat_lparen_kw("with") {
            let name = p.name()?;
            p.expect_lparen()?;
            let sort = self::sort(p)?;
            let r = if sort == Sort::Instance && p.at_lparen_kw("export") {
                let boff = p.offset();
                let mut b = Item::blank(boff);
                let exports = exports(p, &mut b)?;
                b.def = Def::Instance(Instance::FromExports(exports));
                let g = gensym(p);
                b.id = Some(R::Gen(g));
                s.prepend.push(b);
                p.expect_rparen()?;
                Ref {
                    sort,
                    idx: R::Gen(g),
                    exports: Vec::new(),
                    off: boff,
                }
            } else {
                sorted_ref_rest(p, sort)?
            };
            p.expect_rparen()?;
            args.push(InstantiateArg {
                name,
                sort,
                index: it.r(r),
            });
        }
        p.expect_rparen()?;
        it.def = Def::Instance(Instance::Instantiate { component, args });
    } else {
        let exports = exports(p, &mut it)?;
        it.def = Def::Instance(Instance::FromExports(exports));
    }
    s.push(it);
    Ok(())
}

/// `(export "name" (sort ref))*` of a bundle of exports.
fn exports(p: &mut Parser<'_>, it: &mut Item) -> Result<Vec<InlineExport>> {
    let mut out = Vec::new();
    while p.eat_lparen_kw("export") {
        let name = extern_name(p)?;
        p.expect_lparen()?;
        let sort = self::sort(p)?;
        let r = sorted_ref_rest(p, sort)?;
        p.expect_rparen()?;
        out.push(InlineExport {
            name,
            sort,
            index: it.r(r),
        });
    }
    Ok(out)
}

/// After `(alias`: `export $i "n" (sort …)`, `core export $i "n" (core
/// sort …)` or `outer $c $i (sort …)`.
pub(crate) fn alias(p: &mut Parser<'_>, off: u32) -> Result<Item> {
    let mut it = Item::blank(off);
    let target = match p.peek_kw() {
        Some("export") => {
            p.pos += 1;
            let instance = it.r(idx_ref(p, Sort::Instance)?);
            let name = p.name()?;
            p.expect_lparen()?;
            let sort = self::sort(p)?;
            Alias::InstanceExport {
                sort,
                instance,
                name,
            }
        }
        Some("core") => {
            p.pos += 1;
            if p.peek_kw() != Some("export") {
                return Err(p.unexpected("`export`"));
            }
            p.pos += 1;
            let instance = it.r(idx_ref(p, Sort::Core(CoreSort::Instance))?);
            let name = p.name()?;
            p.expect_lparen()?;
            if p.peek_kw() != Some("core") {
                return Err(p.unexpected("`core`"));
            }
            p.pos += 1;
            let sort = core_sort(p, false)?;
            Alias::CoreInstanceExport {
                sort,
                instance,
                name,
            }
        }
        Some("outer") => {
            p.pos += 1;
            // The scope is a plain index or name: its sort does not matter.
            let count = it.r(idx_ref(p, Sort::Component)?);
            let oidx = p.offset();
            let idx = match p.idx()? {
                crate::parser::Idx::Num(n) => R::Num(n),
                crate::parser::Idx::Name(n, _) => R::Id(n.into_owned()),
            };
            p.expect_lparen()?;
            let sort = self::sort(p)?;
            if !matches!(
                sort,
                Sort::Type | Sort::Component | Sort::Core(CoreSort::Type | CoreSort::Module)
            ) {
                return Err(err(
                    "outer aliases may only refer to modules, types and components",
                    off,
                ));
            }
            let index = it.r(Ref {
                sort,
                idx,
                exports: Vec::new(),
                off: oidx,
            });
            Alias::Outer { sort, count, index }
        }
        _ => return Err(p.unexpected("`export`, `core export` or `outer`")),
    };
    named(p, &mut it)?;
    p.expect_rparen()?;
    it.def = Def::Alias(target);
    Ok(it)
}

/// After `(canon`: the definition with its `(func …)` or `(core func …)`.
fn canon(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<Item> {
    super::canon::canon_body(p, s, off, Some(()))
}

/// `(func $id? (export …)* …)`: an import, an alias, or a lift.
fn func(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    inline_exports(p, &mut it, Sort::Func, s)?;
    if let Some(name) = inline_import(p)? {
        let ty = super::types::comp_type_use(p, s, &mut it, Sort::Func)?;
        it.def = Def::Import(Import {
            name,
            ty: wtool_component::ast::ExternType::Func(ty),
        });
        it.name = id_name(&it);
    } else if p.at_lparen_kw("alias") {
        p.pos += 2;
        if p.peek_kw() != Some("export") {
            return Err(p.unexpected("`export`"));
        }
        p.pos += 1;
        let instance = it.r(idx_ref(p, Sort::Instance)?);
        let name = p.name()?;
        p.expect_rparen()?;
        it.def = Def::Alias(Alias::InstanceExport {
            sort: Sort::Func,
            instance,
            name,
        });
    } else {
        // The type is resolved before the lifted function (wast's order).
        let ty = super::types::comp_type_use(p, s, &mut it, Sort::Func)?;
        if !p.eat_lparen_kw("canon") {
            return Err(p.unexpected("`(canon`"));
        }
        if p.peek_kw() != Some("lift") {
            return Err(p.unexpected("`lift`"));
        }
        p.pos += 1;
        let (func, opts) = super::canon::lift_rest(p, &mut it)?;
        p.expect_rparen()?;
        it.def = Def::Canon(Canon::Lift { func, opts, ty });
    }
    s.push(it);
    Ok(())
}

fn start(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let mut it = Item::blank(off);
    let func = it.r(idx_ref(p, Sort::Func)?);
    let mut args = Vec::new();
    while p.kind() == Some(Kind::LParen) && p.peek_at(1).map(|t| p.text(t)) != Some("result") {
        let r = comp_ref(p, Sort::Value)?;
        args.push(it.r(r));
    }
    let mut ids = Vec::new();
    while p.eat_lparen_kw("result") {
        if !p.eat_lparen_kw("value") {
            return Err(p.unexpected("`(value`"));
        }
        let (id, _) = p.opt_id_named()?;
        ids.push(id.map(|(n, _)| R::Id(n.into_owned())));
        p.expect_rparen()?;
        p.expect_rparen()?;
    }
    let results = ids.len() as u32;
    it.def = Def::Start(
        Start {
            func,
            args,
            results,
        },
        ids,
    );
    s.push(it);
    Ok(())
}

/// After `(import`: `"name" attrs externtype`.
fn import(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<Item> {
    let name = extern_name(p)?;
    let mut it = Item::blank(off);
    let ty = super::types::extern_type(p, s, &mut it)?;
    it.def = Def::Import(Import { name, ty });
    Ok(it)
}

/// After `(export`: `$id? "name" attrs (sort ref) externtype?`.
fn export(p: &mut Parser<'_>, s: &mut Scope, off: u32) -> Result<()> {
    let mut it = Item::blank(off);
    named(p, &mut it)?;
    let name = extern_name(p)?;
    p.expect_lparen()?;
    let sort = self::sort(p)?;
    let r = sorted_ref_rest(p, sort)?;
    // wast resolves the ascribed type before the exported item.
    let ty = if p.kind() == Some(Kind::LParen) {
        Some(super::types::extern_type(p, s, &mut it)?)
    } else {
        None
    };
    let index = it.r(r);
    it.def = Def::Export(Export {
        name,
        sort,
        index,
        ty,
    });
    s.push(it);
    Ok(())
}

/// The name-section name of an inline import: wat takes its id only.
fn id_name(it: &Item) -> Option<String> {
    match &it.id {
        Some(R::Id(n)) => Some(n.clone()),
        _ => None,
    }
}

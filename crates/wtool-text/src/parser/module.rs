//! Module fields with every abbreviation of the text format.

use std::borrow::Cow;
use std::collections::HashMap;

use wtool_ast::{
    CustomPlace, CustomSection, DataMode, DataSegment, ElemItems, ElemMode, ElemSegment, Export,
    Expr, ExternKind, Func, Global, GlobalType, Import, ImportDesc, Instr, Limits, LocalGroup,
    MemoryType, Module, Origin, RefType, SectionId, Table, TableType,
};

use super::defs;
use super::instr::{parse_expr, ExprOut, Fix, FuncCtx, LocalRef};
use super::{Idx, Named, Parser, Space, TypeUse};
use crate::error::{Result, TextError, TextErrorKind};
use crate::lexer::Kind;

/// Which expression of the module a list of fixes belongs to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ExprLoc {
    FuncBody(u32),
    GlobalInit(u32),
    TableInit(u32),
    ElemOffset(u32),
    ElemItem(u32, u32),
    DataOffset(u32),
}

/// A reference to resolve, in source order (which fixes the order of implicit types).
#[derive(Debug)]
pub(crate) enum Site<'a> {
    FuncType { def: u32, tu: TypeUse<'a> },
    ImportType { import: u32, tu: TypeUse<'a> },
    TagType { tag: u32, tu: TypeUse<'a> },
    Expr { loc: ExprLoc, fixes: Vec<Fix<'a>> },
    Export { export: u32, idx: Idx<'a> },
    Start(Idx<'a>),
    ElemTable { elem: u32, idx: Idx<'a> },
    ElemFunc { elem: u32, item: u32, idx: Idx<'a> },
    DataMem { data: u32, idx: Idx<'a> },
}

/// Names of one function's parameters, locals and labels.
#[derive(Debug, Default)]
pub(crate) struct FuncNames {
    pub index: u32,
    /// Parameter count when written inline (else the type's count applies).
    pub inline_params: Option<u32>,
    pub params: Vec<(u32, String)>,
    /// `(k-th declared local, name)`.
    pub locals: Vec<(u32, String)>,
    pub labels: Vec<(u32, String)>,
    /// Defined-function index, for looking its type up; `None` for imports.
    pub def: Option<u32>,
}

/// The parse result before name resolution.
pub(crate) struct Builder<'a> {
    pub m: Module,
    pub defs: [HashMap<Cow<'a, str>, u32>; 8],
    pub counts: [u32; 8],
    pub sites: Vec<Site<'a>>,
    pub named: [Vec<(u32, String)>; 8],
    /// Field names per struct type: `(type, [(field, name)])` for the name
    /// section, and the ids for resolving `struct.get $t $f`.
    pub field_names: Vec<(u32, Vec<(u32, String)>)>,
    pub field_ids: HashMap<u32, HashMap<Cow<'a, str>, u32>>,
    /// Parameter names of function types and of tags (name subsections 12, 13).
    pub type_params: Vec<(u32, Vec<(u32, String)>)>,
    pub tag_params: Vec<(u32, Vec<(u32, String)>)>,
    pub funcs: Vec<FuncNames>,
    pub module_name: Option<String>,
    /// The first definition seen (`function`, `table`, …), after which imports are errors.
    pub(crate) first_def: Option<&'static str>,
    any_start: bool,
    /// Custom sections placed "after last" (`(@producers …)`, `(@custom …)`
    /// without a place): written after every explicitly placed one, as the
    /// wat crate does.
    pub(crate) after_last: Vec<CustomSection>,
}

impl<'a> Builder<'a> {
    pub fn new() -> Self {
        Builder {
            m: Module {
                origin: Origin::Text,
                ..Module::default()
            },
            defs: Default::default(),
            counts: [0; 8],
            sites: Vec::new(),
            named: Default::default(),
            field_names: Vec::new(),
            field_ids: HashMap::new(),
            type_params: Vec::new(),
            tag_params: Vec::new(),
            funcs: Vec::new(),
            module_name: None,
            first_def: None,
            any_start: false,
            after_last: Vec::new(),
        }
    }

    /// Gives the next index of `space` to `id` (if any) and returns the index.
    pub(crate) fn define(&mut self, space: Space, named: Named<'a>) -> Result<u32> {
        let (id, display) = named;
        let s = space as usize;
        let idx = self.counts[s];
        if let Some(d) = display {
            self.named[s].push((idx, d));
        }
        if let Some((name, off)) = id {
            if self.defs[s].contains_key(&name) {
                return Err(TextError::new(
                    TextErrorKind::Duplicate {
                        space: space.word(),
                        name: format!("${name}"),
                    },
                    off as usize,
                    name.len() + 1,
                ));
            }
            self.defs[s].insert(name, idx);
        }
        self.counts[s] = idx
            .checked_add(1)
            .ok_or_else(|| TextError::new(TextErrorKind::Other("too many items".into()), 0, 0))?;
        Ok(idx)
    }

    pub(crate) fn check_import(&self, off: u32) -> Result<()> {
        match self.first_def {
            Some(what) => Err(TextError::new(
                TextErrorKind::ImportAfter(what),
                off as usize,
                6,
            )),
            None => Ok(()),
        }
    }
}

/// Parses module fields until the closing `)` (not consumed) or end of input.
pub(crate) fn fields<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>) -> Result<()> {
    p.collect_type_names();
    while let Some(t) = p.peek() {
        match t.kind {
            Kind::RParen => return Ok(()),
            Kind::Annot => {
                p.pos += 1;
                if p.text(t).ends_with("producers") {
                    producers(p, b)?;
                } else {
                    custom(p, b)?;
                }
                continue;
            }
            Kind::LParen => {}
            _ => return Err(p.unexpected("a module field")),
        }
        let Some(kw) = p.peek_lparen_kw() else {
            p.pos += 1;
            return Err(p.unexpected("a module field"));
        };
        let kw_tok = p.peek_at(1).unwrap_or(t);
        p.pos += 2;
        match kw {
            "type" => defs::type_field(p, b)?,
            "rec" => defs::rec_field(p, b)?,
            "tag" => defs::tag_field(p, b, kw_tok.start)?,
            "import" => import_field(p, b, kw_tok.start)?,
            "func" => func_field(p, b, kw_tok.start)?,
            "table" => table_field(p, b, kw_tok.start)?,
            "memory" => memory_field(p, b, kw_tok.start)?,
            "global" => global_field(p, b, kw_tok.start)?,
            "export" => export_field(p, b)?,
            "start" => {
                if b.any_start {
                    return Err(p.error_at(TextErrorKind::MultipleStart, kw_tok));
                }
                b.any_start = true;
                let idx = p.idx()?;
                match idx {
                    Idx::Num(n) => b.m.start = Some(n),
                    named => {
                        b.m.start = Some(0);
                        b.sites.push(Site::Start(named));
                    }
                }
            }
            "elem" => elem_field(p, b)?,
            "data" => data_field(p, b)?,
            _ => {
                return Err(p.error_at(
                    TextErrorKind::Expected {
                        expected: "a module field".into(),
                        found: p.describe(kw_tok),
                    },
                    kw_tok,
                ))
            }
        }
        p.expect_rparen()?;
    }
    Ok(())
}

/// `(export "name")*` after an item's id.
pub(crate) fn inline_exports(
    p: &mut Parser<'_>,
    b: &mut Builder<'_>,
    kind: ExternKind,
    index: u32,
) -> Result<()> {
    while p.eat_lparen_kw("export") {
        let name = p.name()?;
        p.expect_rparen()?;
        b.m.exports.push(Export { name, kind, index });
    }
    Ok(())
}

/// `(import "m" "n")` after an item's exports.
pub(crate) fn inline_import(p: &mut Parser<'_>) -> Result<Option<(String, String)>> {
    if !p.eat_lparen_kw("import") {
        return Ok(None);
    }
    let module = p.name()?;
    let name = p.name()?;
    p.expect_rparen()?;
    Ok(Some((module, name)))
}

fn func_names<'a>(
    p: &mut Parser<'a>,
    tu_names: Vec<Named<'a>>,
    ctx: &mut FuncCtx<'a>,
    fnames: &mut FuncNames,
) -> Result<()> {
    for (i, (id, display)) in tu_names.into_iter().enumerate() {
        if let Some(d) = display {
            fnames.params.push((i as u32, d));
        }
        if let Some((name, off)) = id {
            if ctx.locals.contains_key(&name) {
                return Err(dup_local(&name, off));
            }
            ctx.locals.insert(name, LocalRef::Abs(i as u32));
        }
    }
    let _ = p;
    Ok(())
}

fn dup_local(name: &str, off: u32) -> TextError {
    TextError::new(
        TextErrorKind::Duplicate {
            space: "local",
            name: format!("${name}"),
        },
        off as usize,
        name.len() + 1,
    )
}

fn func_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>, start: u32) -> Result<()> {
    let id = p.opt_id_named()?;
    let index = b.counts[Space::Func as usize];
    inline_exports(p, b, ExternKind::Func, index)?;
    let import = inline_import(p)?;
    let exact = import.is_some() && p.eat_lparen_kw("exact");
    let mut tu_names = Vec::new();
    let tu = p.type_use(Some(&mut tu_names))?;
    if exact {
        p.expect_rparen()?;
    }
    b.define(Space::Func, id)?;
    let mut ctx = FuncCtx::default();
    let mut fnames = FuncNames {
        index,
        ..FuncNames::default()
    };
    fnames.inline_params = tu.inline.as_ref().map(|f| f.params.len() as u32);
    func_names(p, tu_names, &mut ctx, &mut fnames)?;
    if let Some((module, name)) = import {
        b.check_import(start)?;
        let imp = b.m.imports.len() as u32;
        b.m.imports.push(Import {
            module,
            name,
            desc: ImportDesc::Func(0),
            exact,
        });
        b.sites.push(Site::ImportType { import: imp, tu });
        b.funcs.push(fnames);
        return Ok(());
    }
    b.first_def.get_or_insert("function");
    // Parameters are known now unless only `(type x)` was given.
    let nparams = match (&tu.idx, &tu.inline) {
        (_, Some(f)) => Some(f.params.len() as u32),
        (None, None) => Some(0),
        (Some(_), None) => None,
    };
    let mut locals: Vec<LocalGroup> = Vec::new();
    let mut k = 0u32;
    while p.eat_lparen_kw("local") {
        let mut push = |t| match locals.last_mut() {
            Some(g) if g.ty == t && g.count < u32::MAX => g.count += 1,
            _ => locals.push(LocalGroup { count: 1, ty: t }),
        };
        if p.at_id() {
            let (id, display) = p.opt_id_named()?;
            let Some((name, off)) = id else { continue };
            let t = p.val_type()?;
            if ctx.locals.contains_key(&name) {
                return Err(dup_local(&name, off));
            }
            if let Some(d) = display {
                fnames.locals.push((k, d));
            }
            let r = match nparams {
                Some(n) => LocalRef::Abs(n.saturating_add(k)),
                None => LocalRef::Decl(k),
            };
            ctx.locals.insert(name, r);
            push(t);
            k = k.saturating_add(1);
        } else {
            while !p.at_rparen() {
                let t = p.val_type()?;
                push(t);
                k = k.saturating_add(1);
            }
        }
        p.expect_rparen()?;
    }
    let def = b.m.funcs.len() as u32;
    fnames.def = Some(def);
    b.sites.push(Site::FuncType { def, tu });
    let mut out = ExprOut::default();
    parse_expr(p, &mut ctx, &mut out, false)?;
    fnames.labels = ctx.label_names;
    b.funcs.push(fnames);
    b.m.funcs.push(Func {
        type_idx: 0,
        locals,
        body: out.expr,
        offset: start,
        size: 0,
    });
    if !out.fixes.is_empty() {
        b.sites.push(Site::Expr {
            loc: ExprLoc::FuncBody(def),
            fixes: out.fixes,
        });
    }
    Ok(())
}

fn limits(p: &mut Parser<'_>, is64: bool) -> Result<Limits> {
    // With memory64 every limit is read as a u64 (validation bounds the
    // 32-bit ones), as in the binary format; before it, a 32-bit limit that
    // does not fit is malformed.
    let wide = is64 || p.features.contains(wtool_ast::Features::MEMORY64);
    let read = |p: &mut Parser<'_>| -> Result<u64> {
        if wide {
            p.u64()
        } else {
            p.u32().map(u64::from)
        }
    };
    let min = read(p)?;
    let max = if p.at_num() { Some(read(p)?) } else { None };
    Ok(Limits { min, max })
}

fn index_type(p: &mut Parser<'_>) -> bool {
    match p.peek_kw() {
        Some("i64") => {
            p.pos += 1;
            true
        }
        Some("i32") => {
            p.pos += 1;
            false
        }
        _ => false,
    }
}

pub(crate) fn table_type(p: &mut Parser<'_>) -> Result<TableType> {
    let index64 = index_type(p);
    let limits = limits(p, index64)?;
    let elem = p.ref_type()?;
    Ok(TableType {
        elem,
        limits,
        index64,
    })
}

pub(crate) fn memory_type(p: &mut Parser<'_>) -> Result<MemoryType> {
    let index64 = index_type(p);
    p.mem64 |= index64;
    let limits = limits(p, index64)?;
    let shared = if p.peek_kw() == Some("shared") {
        p.pos += 1;
        true
    } else {
        false
    };
    let page_size_log2 = page_size(p)?;
    Ok(MemoryType {
        limits,
        shared,
        index64,
        page_size_log2,
    })
}

/// `(pagesize N)`, N a power of two, as its log2.
fn page_size(p: &mut Parser<'_>) -> Result<Option<u32>> {
    if !p.at_lparen_kw("pagesize") {
        return Ok(None);
    }
    p.pos += 2;
    let t = p.peek();
    let size = p.u64()?;
    if size == 0 || !size.is_power_of_two() {
        let t = t.unwrap_or_else(|| p.bump());
        return Err(p.error_at(TextErrorKind::InvalidPageSize, t));
    }
    p.expect_rparen()?;
    Ok(Some(size.trailing_zeros()))
}

pub(crate) fn global_type(p: &mut Parser<'_>) -> Result<GlobalType> {
    if p.eat_lparen_kw("mut") {
        let ty = p.val_type()?;
        p.expect_rparen()?;
        Ok(GlobalType { ty, mutable: true })
    } else {
        Ok(GlobalType {
            ty: p.val_type()?,
            mutable: false,
        })
    }
}

fn const0(is64: bool, at: u32) -> Expr {
    let i = if is64 {
        Instr::I64Const(0)
    } else {
        Instr::I32Const(0)
    };
    Expr {
        instrs: vec![i, Instr::End],
        offsets: vec![at, at],
    }
}

fn table_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>, start: u32) -> Result<()> {
    let id = p.opt_id_named()?;
    let index = b.counts[Space::Table as usize];
    inline_exports(p, b, ExternKind::Table, index)?;
    if let Some((module, name)) = inline_import(p)? {
        b.check_import(start)?;
        let ty = table_type(p)?;
        b.define(Space::Table, id)?;
        b.m.imports.push(Import {
            module,
            name,
            desc: ImportDesc::Table(ty),
            exact: false,
        });
        return Ok(());
    }
    b.first_def.get_or_insert("table");
    b.define(Space::Table, id)?;
    // `reftype (elem …)` abbreviation, optionally after an index type.
    let save = p.pos;
    let index64 = index_type(p);
    if p.at_ref_type() {
        let elem_ty = p.ref_type()?;
        if !p.eat_lparen_kw("elem") {
            return Err(p.unexpected("`(elem`"));
        }
        let e = b.counts[Space::Elem as usize];
        b.define(Space::Elem, (None, None))?;
        let items = elem_list(p, b, e, elem_ty, true)?;
        p.expect_rparen()?;
        let n = items.len() as u64;
        b.m.tables.push(Table {
            ty: TableType {
                elem: elem_ty,
                limits: Limits {
                    min: n,
                    max: Some(n),
                },
                index64,
            },
            init: None,
        });
        b.m.elems.push(ElemSegment {
            ty: elem_ty,
            mode: ElemMode::Active {
                table: index,
                offset: const0(index64, start),
            },
            items,
            explicit_index: true,
        });
        return Ok(());
    }
    p.pos = save;
    let ty = table_type(p)?;
    let t = b.m.tables.len() as u32;
    let init = if p.at_rparen() {
        None
    } else {
        let mut out = ExprOut::default();
        parse_expr(p, &mut FuncCtx::default(), &mut out, false)?;
        if !out.fixes.is_empty() {
            b.sites.push(Site::Expr {
                loc: ExprLoc::TableInit(t),
                fixes: out.fixes,
            });
        }
        Some(out.expr)
    };
    b.m.tables.push(Table { ty, init });
    Ok(())
}

/// Element items: `(item …)`/folded instructions, or function indices.
/// `after_elem` is true for the `(elem …)` inside a table, where a leading `(`
/// selects expressions.
fn elem_list<'a>(
    p: &mut Parser<'a>,
    b: &mut Builder<'a>,
    e: u32,
    ty: RefType,
    indices_allowed: bool,
) -> Result<ElemItems> {
    if indices_allowed && p.kind() != Some(Kind::LParen) {
        let mut funcs = Vec::new();
        while !p.at_rparen() {
            let item = funcs.len() as u32;
            match p.idx()? {
                Idx::Num(n) => funcs.push(n),
                named => {
                    funcs.push(0);
                    b.sites.push(Site::ElemFunc {
                        elem: e,
                        item,
                        idx: named,
                    });
                }
            }
        }
        if ty == RefType::FUNCREF {
            return Ok(ElemItems::Funcs(funcs));
        }
        // Only funcref has the index encoding: the rest become `ref.func` expressions.
        let exprs = funcs
            .into_iter()
            .map(|f| Expr {
                instrs: vec![Instr::RefFunc(f), Instr::End],
                offsets: Vec::new(),
            })
            .collect();
        for s in b.sites.iter_mut().rev() {
            match s {
                Site::ElemFunc { elem, item, idx } if *elem == e => {
                    let idx = std::mem::replace(idx, Idx::Num(0));
                    let (name, offset) = match idx {
                        Idx::Name(n, o) => (n, o),
                        Idx::Num(_) => continue,
                    };
                    *s = Site::Expr {
                        loc: ExprLoc::ElemItem(e, *item),
                        fixes: vec![Fix {
                            instr: 0,
                            kind: super::instr::FixKind::Name {
                                space: Space::Func,
                                slot: 0,
                                name,
                                offset,
                            },
                        }],
                    };
                }
                _ => break,
            }
        }
        return Ok(ElemItems::Exprs(exprs));
    }
    let mut exprs = Vec::new();
    while !p.at_rparen() {
        let item = exprs.len() as u32;
        let mut out = ExprOut::default();
        let mut ctx = FuncCtx::default();
        if p.eat_lparen_kw("item") {
            parse_expr(p, &mut ctx, &mut out, false)?;
            p.expect_rparen()?;
        } else if p.kind() == Some(Kind::LParen) {
            parse_expr(p, &mut ctx, &mut out, true)?;
        } else {
            return Err(p.unexpected("an element expression"));
        }
        exprs.push(out.expr);
        if !out.fixes.is_empty() {
            b.sites.push(Site::Expr {
                loc: ExprLoc::ElemItem(e, item),
                fixes: out.fixes,
            });
        }
    }
    Ok(ElemItems::Exprs(exprs))
}

fn memory_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>, start: u32) -> Result<()> {
    let id = p.opt_id_named()?;
    let index = b.counts[Space::Memory as usize];
    inline_exports(p, b, ExternKind::Memory, index)?;
    if let Some((module, name)) = inline_import(p)? {
        b.check_import(start)?;
        let ty = memory_type(p)?;
        b.define(Space::Memory, id)?;
        b.m.imports.push(Import {
            module,
            name,
            desc: ImportDesc::Memory(ty),
            exact: false,
        });
        return Ok(());
    }
    b.first_def.get_or_insert("memory");
    b.define(Space::Memory, id)?;
    let save = p.pos;
    let index64 = index_type(p);
    p.mem64 |= index64;
    let page_size_log2 = page_size(p)?;
    if p.eat_lparen_kw("data") {
        let mut data = Vec::new();
        while p.at_string() {
            data.extend(p.string()?);
        }
        p.expect_rparen()?;
        let page = 1u64 << page_size_log2.unwrap_or(16).min(63);
        let pages = (data.len() as u64).div_ceil(page);
        b.m.memories.push(MemoryType {
            limits: Limits {
                min: pages,
                max: Some(pages),
            },
            shared: false,
            index64,
            page_size_log2,
        });
        b.define(Space::Data, (None, None))?;
        b.m.datas.push(DataSegment {
            mode: DataMode::Active {
                memory: index,
                offset: const0(index64, start),
            },
            data,
            explicit_index: false,
        });
        return Ok(());
    }
    p.pos = save;
    let ty = memory_type(p)?;
    b.m.memories.push(ty);
    Ok(())
}

fn global_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>, start: u32) -> Result<()> {
    let id = p.opt_id_named()?;
    let index = b.counts[Space::Global as usize];
    inline_exports(p, b, ExternKind::Global, index)?;
    if let Some((module, name)) = inline_import(p)? {
        b.check_import(start)?;
        let ty = global_type(p)?;
        b.define(Space::Global, id)?;
        b.m.imports.push(Import {
            module,
            name,
            desc: ImportDesc::Global(ty),
            exact: false,
        });
        return Ok(());
    }
    b.first_def.get_or_insert("global");
    b.define(Space::Global, id)?;
    let ty = global_type(p)?;
    let mut out = ExprOut::default();
    parse_expr(p, &mut FuncCtx::default(), &mut out, false)?;
    let g = b.m.globals.len() as u32;
    b.m.globals.push(Global { ty, init: out.expr });
    if !out.fixes.is_empty() {
        b.sites.push(Site::Expr {
            loc: ExprLoc::GlobalInit(g),
            fixes: out.fixes,
        });
    }
    Ok(())
}

fn import_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>, start: u32) -> Result<()> {
    let module = p.name()?;
    let name = p.name()?;
    b.check_import(start)?;
    p.expect_lparen()?;
    let Some(kw) = p.peek_kw() else {
        return Err(p.unexpected("an import kind"));
    };
    p.pos += 1;
    let id = p.opt_id_named()?;
    let imp = b.m.imports.len() as u32;
    let mut exact = false;
    let desc = match kw {
        "func" => {
            let index = b.counts[Space::Func as usize];
            exact = p.eat_lparen_kw("exact");
            let mut tu_names = Vec::new();
            let tu = p.type_use(Some(&mut tu_names))?;
            if exact {
                p.expect_rparen()?;
            }
            b.define(Space::Func, id)?;
            let mut fnames = FuncNames {
                index,
                ..FuncNames::default()
            };
            fnames.inline_params = tu.inline.as_ref().map(|f| f.params.len() as u32);
            func_names(p, tu_names, &mut FuncCtx::default(), &mut fnames)?;
            b.funcs.push(fnames);
            b.sites.push(Site::ImportType { import: imp, tu });
            ImportDesc::Func(0)
        }
        "table" => {
            let ty = table_type(p)?;
            b.define(Space::Table, id)?;
            ImportDesc::Table(ty)
        }
        "memory" => {
            let ty = memory_type(p)?;
            b.define(Space::Memory, id)?;
            ImportDesc::Memory(ty)
        }
        "global" => {
            let ty = global_type(p)?;
            b.define(Space::Global, id)?;
            ImportDesc::Global(ty)
        }
        "tag" => {
            let mut names = Vec::new();
            let tu = p.type_use(Some(&mut names))?;
            let tag = b.define(Space::Tag, id)?;
            defs::record_params(b, tag, names);
            b.sites.push(Site::ImportType { import: imp, tu });
            ImportDesc::Tag(0)
        }
        _ => {
            p.pos -= 1;
            return Err(p.unexpected("`func`, `table`, `memory`, `global` or `tag`"));
        }
    };
    p.expect_rparen()?;
    b.m.imports.push(Import {
        module,
        name,
        desc,
        exact,
    });
    Ok(())
}

fn export_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>) -> Result<()> {
    let name = p.name()?;
    p.expect_lparen()?;
    let kind = match p.peek_kw() {
        Some("func") => ExternKind::Func,
        Some("table") => ExternKind::Table,
        Some("memory") => ExternKind::Memory,
        Some("global") => ExternKind::Global,
        Some("tag") => ExternKind::Tag,
        _ => return Err(p.unexpected("`func`, `table`, `memory`, `global` or `tag`")),
    };
    p.pos += 1;
    let idx = p.idx()?;
    p.expect_rparen()?;
    let export = b.m.exports.len() as u32;
    let index = match idx {
        Idx::Num(n) => n,
        named => {
            b.sites.push(Site::Export { export, idx: named });
            0
        }
    };
    b.m.exports.push(Export { name, kind, index });
    Ok(())
}

/// `(offset instr*)` or one folded instruction.
fn offset_expr<'a>(p: &mut Parser<'a>) -> Result<ExprOut<'a>> {
    let mut out = ExprOut::default();
    let mut ctx = FuncCtx::default();
    if p.eat_lparen_kw("offset") {
        parse_expr(p, &mut ctx, &mut out, false)?;
        p.expect_rparen()?;
    } else if p.kind() == Some(Kind::LParen) {
        parse_expr(p, &mut ctx, &mut out, true)?;
    } else {
        return Err(p.unexpected("an offset expression"));
    }
    Ok(out)
}

fn elem_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>) -> Result<()> {
    let id = p.opt_id_named()?;
    let e = b.define(Space::Elem, id)?;
    let mut table_omitted = false;
    let mut explicit_index = false;
    let mode = if p.peek_kw() == Some("declare") {
        p.pos += 1;
        ElemMode::Declarative
    } else if p.at_num() || (p.kind() == Some(Kind::LParen) && !p.at_ref_type()) {
        let mut table = 0;
        if p.at_num() {
            table_omitted = true;
            explicit_index = true;
            table = p.u32()?;
        } else if p.eat_lparen_kw("table") {
            explicit_index = true;
            match p.idx()? {
                Idx::Num(n) => table = n,
                named => b.sites.push(Site::ElemTable {
                    elem: e,
                    idx: named,
                }),
            }
            p.expect_rparen()?;
        } else {
            table_omitted = true;
        }
        let out = offset_expr(p)?;
        if !out.fixes.is_empty() {
            b.sites.push(Site::Expr {
                loc: ExprLoc::ElemOffset(e),
                fixes: out.fixes,
            });
        }
        ElemMode::Active {
            table,
            offset: out.expr,
        }
    } else {
        ElemMode::Passive
    };
    let (ty, indices) = if p.peek_kw() == Some("func") {
        p.pos += 1;
        (RefType::FUNCREF, true)
    } else if p.at_ref_type() {
        (p.ref_type()?, false)
    } else if table_omitted {
        (RefType::FUNCREF, true)
    } else {
        return Err(p.unexpected("a reference type or `func`"));
    };
    let items = if indices {
        elem_list(p, b, e, ty, true)?
    } else {
        elem_list(p, b, e, ty, false)?
    };
    if let ElemItems::Exprs(_) = items {
        if ty != RefType::FUNCREF && matches!(mode, ElemMode::Active { .. }) {
            explicit_index = true;
        }
    }
    b.m.elems.push(ElemSegment {
        ty,
        mode,
        items,
        explicit_index,
    });
    Ok(())
}

fn data_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>) -> Result<()> {
    let id = p.opt_id_named()?;
    let d = b.define(Space::Data, id)?;
    let mode = if p.at_string() || p.at_rparen() {
        DataMode::Passive
    } else {
        let mut memory = 0;
        if p.at_num() {
            memory = p.u32()?;
        } else if p.eat_lparen_kw("memory") {
            match p.idx()? {
                Idx::Num(n) => memory = n,
                named => b.sites.push(Site::DataMem {
                    data: d,
                    idx: named,
                }),
            }
            p.expect_rparen()?;
        }
        let out = offset_expr(p)?;
        if !out.fixes.is_empty() {
            b.sites.push(Site::Expr {
                loc: ExprLoc::DataOffset(d),
                fixes: out.fixes,
            });
        }
        DataMode::Active {
            memory,
            offset: out.expr,
        }
    };
    let mut data = Vec::new();
    while p.at_string() {
        data.extend(p.string()?);
    }
    b.m.datas.push(DataSegment {
        mode,
        data,
        explicit_index: false,
    });
    Ok(())
}

/// `(@producers (language|sdk|processed-by "name" "version")*)`, its
/// `(@producers` consumed: a `producers` custom section with the fields in
/// the order language, sdk, processed-by (as the `wat` crate writes them).
pub(crate) fn producers(p: &mut Parser<'_>, b: &mut Builder<'_>) -> Result<()> {
    const FIELDS: [&str; 3] = ["language", "sdk", "processed-by"];
    let mut values: [Vec<(String, String)>; 3] = Default::default();
    while p.kind() == Some(Kind::LParen) {
        p.pos += 1;
        let Some(f) = p
            .peek_kw()
            .and_then(|k| FIELDS.iter().position(|&x| x == k))
        else {
            return Err(p.unexpected("`language`, `sdk` or `processed-by`"));
        };
        p.pos += 1;
        let name = p.name()?;
        let version = p.name()?;
        p.expect_rparen()?;
        values[f].push((name, version));
    }
    p.expect_rparen()?;
    let mut data = Vec::new();
    wtool_binary::leb128::write_u64(
        &mut data,
        values.iter().filter(|v| !v.is_empty()).count() as u64,
    );
    for (field, vals) in FIELDS.iter().zip(&values) {
        if vals.is_empty() {
            continue;
        }
        wtool_binary::parts::write_name(&mut data, field);
        wtool_binary::leb128::write_u64(&mut data, vals.len() as u64);
        for (n, v) in vals {
            wtool_binary::parts::write_name(&mut data, n);
            wtool_binary::parts::write_name(&mut data, v);
        }
    }
    b.after_last.push(CustomSection {
        name: "producers".into(),
        data,
        place: CustomPlace::After(SectionId::Data),
    });
    Ok(())
}

/// `(@custom "name" (before|after section)? "bytes"*)`, its `(@custom` consumed.
fn custom(p: &mut Parser<'_>, b: &mut Builder<'_>) -> Result<()> {
    let name = p.name()?;
    let mut place = CustomPlace::After(SectionId::Data);
    let explicit = p.kind() == Some(Kind::LParen);
    if explicit {
        p.pos += 1;
        let before = match p.peek_kw() {
            Some("before") => true,
            Some("after") => false,
            _ => return Err(p.unexpected("`before` or `after`")),
        };
        p.pos += 1;
        let sec = match p.peek_kw() {
            Some("first") => Some(SectionId::Type),
            Some("last") => Some(SectionId::Data),
            Some("type") => Some(SectionId::Type),
            Some("import") => Some(SectionId::Import),
            Some("func") => Some(SectionId::Function),
            Some("table") => Some(SectionId::Table),
            Some("memory") => Some(SectionId::Memory),
            Some("global") => Some(SectionId::Global),
            Some("export") => Some(SectionId::Export),
            Some("start") => Some(SectionId::Start),
            Some("elem") => Some(SectionId::Element),
            Some("code") => Some(SectionId::Code),
            Some("data") => Some(SectionId::Data),
            Some("datacount") => Some(SectionId::DataCount),
            Some("tag") => Some(SectionId::Tag),
            _ => None,
        };
        let Some(sec) = sec else {
            return Err(p.unexpected("a section name"));
        };
        p.pos += 1;
        p.expect_rparen()?;
        place = if before {
            CustomPlace::Before(sec)
        } else {
            CustomPlace::After(sec)
        };
    }
    let mut data = Vec::new();
    while p.at_string() {
        data.extend(p.string()?);
    }
    p.expect_rparen()?;
    let c = CustomSection { name, data, place };
    if explicit {
        b.m.customs.push(c);
    } else {
        b.after_last.push(c);
    }
    Ok(())
}

/// Parses a whole `.wat` source: `(module …)` or bare fields.
pub(crate) fn parse_source(src: &[u8], features: wtool_ast::Features) -> Result<Module> {
    let mut p = Parser::new(src, features)?;
    let m = if p.at_lparen_kw("module") {
        p.pos += 2;
        let m = module_after_kw(&mut p)?;
        p.expect_rparen()?;
        m
    } else {
        let mut b = Builder::new();
        fields(&mut p, &mut b)?;
        p.check_annotations(0)?;
        crate::resolve::resolve(b)?
    };
    if let Some(t) = p.peek() {
        return Err(p.error_at(
            TextErrorKind::Expected {
                expected: "end of input".into(),
                found: p.describe(t),
            },
            t,
        ));
    }
    Ok(m)
}

/// What a `(module …)` form holds before it is turned into a [`Module`].
pub(crate) enum ModuleForm {
    /// Parsed text.
    Text(Box<Module>),
    /// `binary` strings, concatenated.
    Binary(Vec<u8>),
    /// `quote` strings, concatenated.
    Quote(Vec<u8>),
}

/// Parses the rest of a `(module` form after the keyword, without its `)`;
/// returns the optional `$id` and the contents.
pub(crate) fn module_form<'a>(p: &mut Parser<'a>) -> Result<(Option<String>, ModuleForm)> {
    let start = p.pos;
    let (id, display) = p.opt_id_named()?;
    let id = id.map(|(n, _)| n.into_owned());
    match p.peek_kw() {
        Some(kw @ ("binary" | "quote")) => {
            p.pos += 1;
            let mut bytes = Vec::new();
            while p.at_string() {
                bytes.extend(p.string()?);
            }
            if !p.at_rparen() {
                return Err(p.unexpected("a string or `)`"));
            }
            Ok((
                id,
                if kw == "binary" {
                    ModuleForm::Binary(bytes)
                } else {
                    ModuleForm::Quote(bytes)
                },
            ))
        }
        _ => {
            let mut b = Builder::new();
            b.module_name = display;
            fields(p, &mut b)?;
            p.check_annotations(start)?;
            Ok((id, ModuleForm::Text(Box::new(crate::resolve::resolve(b)?))))
        }
    }
}

fn module_after_kw(p: &mut Parser<'_>) -> Result<Module> {
    let at = p.offset();
    match module_form(p)? {
        (_, ModuleForm::Text(m)) => Ok(*m),
        (_, ModuleForm::Binary(bytes)) => wtool_binary::decode_with_features(&bytes, p.features)
            .map_err(|e| TextError::new(TextErrorKind::Binary(e.to_string()), at as usize, 0)),
        (_, ModuleForm::Quote(text)) => parse_source(&text, p.features),
    }
}

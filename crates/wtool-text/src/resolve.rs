//! Name resolution: a deterministic pass after parsing that turns every
//! symbolic reference into an index, appends the implicit types of inline
//! type uses (in source order, after the explicit ones, as the spec says),
//! and collects the name section.

use std::collections::HashMap;

use wtool_ast::{
    CompositeType, DataMode, ElemItems, ElemMode, Expr, ExternKind, FuncType, ImportDesc,
    IndexSpace, Module, Names, TypeDef,
};

use crate::error::{Result, TextError, TextErrorKind};
use crate::parser::imm::{index_space, patch};
use crate::parser::instr::FixKind;
use crate::parser::module::{Builder, ExprLoc, Site};
use crate::parser::{Idx, Space, TypeUse};

struct Resolver<'a, 'b> {
    b: &'b Builder<'a>,
    type_map: HashMap<FuncType, u32>,
}

impl<'a> Resolver<'a, '_> {
    fn lookup(&self, space: Space, idx: &Idx<'a>) -> Result<u32> {
        match idx {
            Idx::Num(n) => Ok(*n),
            Idx::Name(name, off) => {
                self.b.defs[space as usize]
                    .get(name)
                    .copied()
                    .ok_or_else(|| {
                        TextError::new(
                            TextErrorKind::UnknownName {
                                space: space.word(),
                                name: format!("${name}"),
                            },
                            *off as usize,
                            name.len() + 1,
                        )
                    })
            }
        }
    }

    /// A field of struct type `ty` by name.
    fn field(&self, ty: u32, name: &str, off: u32) -> Result<u32> {
        self.b
            .field_ids
            .get(&ty)
            .and_then(|ids| ids.get(name))
            .copied()
            .ok_or_else(|| {
                TextError::new(
                    TextErrorKind::UnknownName {
                        space: "field",
                        name: format!("${name}"),
                    },
                    off as usize,
                    name.len() + 1,
                )
            })
    }

    /// The type index of a type use, appending an implicit type when needed.
    fn type_use(&mut self, m: &mut Module, tu: &TypeUse<'a>) -> Result<u32> {
        match &tu.idx {
            Some(idx) => {
                let i = self.lookup(Space::Type, idx)?;
                if let Some(inline) = &tu.inline {
                    match m.types.get(i as usize).and_then(TypeDef::as_func) {
                        Some(ft) if ft == inline => {}
                        Some(_) => {
                            return Err(TextError::new(
                                TextErrorKind::InlineFunctionType,
                                tu.offset as usize,
                                1,
                            ))
                        }
                        None => {
                            return Err(TextError::new(
                                TextErrorKind::UnknownIndex {
                                    space: "type",
                                    index: i,
                                },
                                tu.offset as usize,
                                1,
                            ))
                        }
                    }
                }
                Ok(i)
            }
            None => {
                let key = tu.inline.clone().unwrap_or_default();
                if let Some(&i) = self.type_map.get(&key) {
                    return Ok(i);
                }
                let i = m.types.len() as u32;
                m.types.push(TypeDef::func(key.clone()));
                self.type_map.insert(key, i);
                Ok(i)
            }
        }
    }
}

fn expr_at(m: &mut Module, loc: ExprLoc) -> Option<&mut Expr> {
    match loc {
        ExprLoc::FuncBody(f) => m.funcs.get_mut(f as usize).map(|f| &mut f.body),
        ExprLoc::TableInit(t) => m.tables.get_mut(t as usize).and_then(|t| t.init.as_mut()),
        ExprLoc::GlobalInit(g) => m.globals.get_mut(g as usize).map(|g| &mut g.init),
        ExprLoc::ElemOffset(e) => match m.elems.get_mut(e as usize).map(|e| &mut e.mode) {
            Some(ElemMode::Active { offset, .. }) => Some(offset),
            _ => None,
        },
        ExprLoc::ElemItem(e, i) => match m.elems.get_mut(e as usize).map(|e| &mut e.items) {
            Some(ElemItems::Exprs(v)) => v.get_mut(i as usize),
            _ => None,
        },
        ExprLoc::DataOffset(d) => match m.datas.get_mut(d as usize).map(|d| &mut d.mode) {
            Some(DataMode::Active { offset, .. }) => Some(offset),
            _ => None,
        },
    }
}

fn params_of(m: &Module, type_idx: u32) -> Option<u32> {
    m.func_type(type_idx).map(|f| f.params.len() as u32)
}

/// Resolves a parsed module.
pub(crate) fn resolve(mut b: Builder<'_>) -> Result<Module> {
    let mut m = std::mem::take(&mut b.m);
    m.customs.append(&mut b.after_last);
    let sites = std::mem::take(&mut b.sites);
    // An inline type use names the first function type defined by a
    // `(type …)` field of its own (not inside a `(rec …)`), whatever its
    // `sub` clause, as the `wat` crate resolves them.
    let mut type_map = HashMap::new();
    for (start, _, explicit) in m.type_groups() {
        if explicit {
            continue;
        }
        if let Some(CompositeType::Func(f)) = m.types.get(start as usize).map(|t| &t.composite) {
            type_map.entry(f.clone()).or_insert(start);
        }
    }
    let mut r = Resolver { b: &b, type_map };
    for site in sites {
        match site {
            Site::FuncType { def, tu } => {
                let t = r.type_use(&mut m, &tu)?;
                if let Some(f) = m.funcs.get_mut(def as usize) {
                    f.type_idx = t;
                }
            }
            Site::ImportType { import, tu } => {
                let t = r.type_use(&mut m, &tu)?;
                if let Some(i) = m.imports.get_mut(import as usize) {
                    match &mut i.desc {
                        ImportDesc::Func(x) | ImportDesc::Tag(x) => *x = t,
                        _ => {}
                    }
                }
            }
            Site::TagType { tag, tu } => {
                let t = r.type_use(&mut m, &tu)?;
                if let Some(x) = m.tags.get_mut(tag as usize) {
                    x.type_idx = t;
                }
            }
            Site::Expr { loc, fixes } => {
                let nparams = match loc {
                    ExprLoc::FuncBody(f) => m
                        .funcs
                        .get(f as usize)
                        .and_then(|f| params_of(&m, f.type_idx))
                        .unwrap_or(0),
                    _ => 0,
                };
                for fix in fixes {
                    let (space, slot, value) = match &fix.kind {
                        FixKind::Name {
                            space,
                            slot,
                            name,
                            offset,
                        } => (
                            index_space(*space),
                            *slot,
                            r.lookup(*space, &Idx::Name(name.clone(), *offset))?,
                        ),
                        FixKind::Local { slot, decl } => {
                            (IndexSpace::Local, *slot, nparams.saturating_add(*decl))
                        }
                        FixKind::TypeUse { slot, tu } => {
                            (IndexSpace::Type, *slot, r.type_use(&mut m, tu)?)
                        }
                        FixKind::Field {
                            ty,
                            slot,
                            name,
                            offset,
                        } => (IndexSpace::Field, *slot, r.field(*ty, name, *offset)?),
                    };
                    if let Some(i) =
                        expr_at(&mut m, loc).and_then(|e| e.instrs.get_mut(fix.instr as usize))
                    {
                        patch(i, space, slot, value);
                    }
                }
            }
            Site::Export { export, idx } => {
                if let Some(e) = m.exports.get(export as usize) {
                    let space = match e.kind {
                        ExternKind::Func => Space::Func,
                        ExternKind::Table => Space::Table,
                        ExternKind::Memory => Space::Memory,
                        ExternKind::Global => Space::Global,
                        ExternKind::Tag => Space::Tag,
                    };
                    let v = r.lookup(space, &idx)?;
                    if let Some(e) = m.exports.get_mut(export as usize) {
                        e.index = v;
                    }
                }
            }
            Site::Start(idx) => m.start = Some(r.lookup(Space::Func, &idx)?),
            Site::ElemTable { elem, idx } => {
                let v = r.lookup(Space::Table, &idx)?;
                if let Some(ElemMode::Active { table, .. }) =
                    m.elems.get_mut(elem as usize).map(|e| &mut e.mode)
                {
                    *table = v;
                }
            }
            Site::ElemFunc { elem, item, idx } => {
                let v = r.lookup(Space::Func, &idx)?;
                if let Some(ElemItems::Funcs(f)) =
                    m.elems.get_mut(elem as usize).map(|e| &mut e.items)
                {
                    if let Some(x) = f.get_mut(item as usize) {
                        *x = v;
                    }
                }
            }
            Site::DataMem { data, idx } => {
                let v = r.lookup(Space::Memory, &idx)?;
                if let Some(DataMode::Active { memory, .. }) =
                    m.datas.get_mut(data as usize).map(|d| &mut d.mode)
                {
                    *memory = v;
                }
            }
        }
    }
    // Like the `wat` crate: a data count section exactly when code needs it.
    let needs_count = m
        .funcs
        .iter()
        .any(|f| f.body.instrs.iter().any(|i| i.needs_data_count()));
    if needs_count {
        m.data_count = Some(m.datas.len() as u32);
    }
    m.names = names(&b, &m);
    Ok(m)
}

fn names(b: &Builder<'_>, m: &Module) -> Option<Names> {
    let list = |s: Space| b.named[s as usize].clone();
    let mut n = Names {
        module: b.module_name.clone(),
        funcs: list(Space::Func),
        types: list(Space::Type),
        tables: list(Space::Table),
        memories: list(Space::Memory),
        globals: list(Space::Global),
        elems: list(Space::Elem),
        datas: list(Space::Data),
        tags: list(Space::Tag),
        fields: b.field_names.clone(),
        type_params: b.type_params.clone(),
        tag_params: b.tag_params.clone(),
        ..Names::default()
    };
    for f in &b.funcs {
        let base = match (f.inline_params, f.def) {
            (Some(n), _) => Some(n),
            (None, Some(d)) => m
                .funcs
                .get(d as usize)
                .and_then(|func| params_of(m, func.type_idx)),
            (None, None) => Some(0),
        };
        if let Some(base) = base {
            let mut locals = f.params.clone();
            locals.extend(
                f.locals
                    .iter()
                    .map(|(k, s)| (base.saturating_add(*k), s.clone())),
            );
            if !locals.is_empty() {
                n.locals.push((f.index, locals));
            }
        }
        if !f.labels.is_empty() {
            n.labels.push((f.index, f.labels.clone()));
        }
    }
    (!n.is_empty()).then_some(n)
}

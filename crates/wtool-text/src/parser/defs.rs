//! The module fields of WebAssembly 3.0's type section and tags: `(type …)`
//! with GC types, `(rec …)` groups, and `(tag …)`.

use std::collections::HashMap;

use wtool_ast::{ExternKind, Import, ImportDesc, RecGroup, Tag};

use super::module::{inline_exports, inline_import, Builder, Site};
use super::{Named, Parser, Space};
use crate::error::{Result, TextError, TextErrorKind};

/// `(type $id? typedef)`, its `(type` consumed, its `)` not.
pub(crate) fn type_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>) -> Result<()> {
    let id = p.opt_id_named()?;
    let idx = b.define(Space::Type, id)?;
    let mut fields = Vec::new();
    let t = p.type_def(&mut fields)?;
    if let wtool_ast::CompositeType::Func(_) = t.composite {
        let names = display_names(fields);
        if !names.is_empty() {
            b.type_params.push((idx, names));
        }
    } else {
        record_fields(b, idx, fields)?;
    }
    b.m.types.push(t);
    Ok(())
}

/// `(rec (type …)*)`, its `(rec` consumed.
pub(crate) fn rec_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>) -> Result<()> {
    let start = b.m.types.len() as u32;
    while p.eat_lparen_kw("type") {
        type_field(p, b)?;
        p.expect_rparen()?;
    }
    let len = b.m.types.len() as u32 - start;
    b.m.rec_groups.push(RecGroup { start, len });
    Ok(())
}

/// The `(index, name)` pairs of the components that have a name.
fn display_names(named: Vec<Named<'_>>) -> Vec<(u32, String)> {
    (0u32..)
        .zip(named)
        .filter_map(|(k, (_, display))| display.map(|d| (k, d)))
        .collect()
}

/// Keeps the parameter names of tag `tag` (name subsection 13).
pub(crate) fn record_params(b: &mut Builder<'_>, tag: u32, params: Vec<Named<'_>>) {
    let names = display_names(params);
    if !names.is_empty() {
        b.tag_params.push((tag, names));
    }
}

/// Keeps a struct's field names: for the name section, and ids for
/// `struct.get $t $field`.
fn record_fields<'a>(b: &mut Builder<'a>, ty: u32, fields: Vec<Named<'a>>) -> Result<()> {
    let mut names = Vec::new();
    let mut ids = HashMap::new();
    for (k, (id, display)) in fields.into_iter().enumerate() {
        if let Some(d) = display {
            names.push((k as u32, d));
        }
        if let Some((name, off)) = id {
            if ids.contains_key(&name) {
                return Err(TextError::new(
                    TextErrorKind::Duplicate {
                        space: "field",
                        name: format!("${name}"),
                    },
                    off as usize,
                    name.len() + 1,
                ));
            }
            ids.insert(name, k as u32);
        }
    }
    if !names.is_empty() {
        b.field_names.push((ty, names));
    }
    if !ids.is_empty() {
        b.field_ids.insert(ty, ids);
    }
    Ok(())
}

/// `(tag $id? (export …)* (import …)? typeuse)`, its `(tag` consumed.
pub(crate) fn tag_field<'a>(p: &mut Parser<'a>, b: &mut Builder<'a>, start: u32) -> Result<()> {
    let id = p.opt_id_named()?;
    let index = b.counts[Space::Tag as usize];
    inline_exports(p, b, ExternKind::Tag, index)?;
    let import = inline_import(p)?;
    let mut param_names = Vec::new();
    let tu = p.type_use(Some(&mut param_names))?;
    let tag = b.define(Space::Tag, id)?;
    record_params(b, tag, param_names);
    if let Some((module, name)) = import {
        b.check_import(start)?;
        let import = b.m.imports.len() as u32;
        b.m.imports.push(Import {
            module,
            name,
            desc: ImportDesc::Tag(0),
            exact: false,
        });
        b.sites.push(Site::ImportType { import, tu });
        return Ok(());
    }
    b.first_def.get_or_insert("tag");
    let tag = b.m.tags.len() as u32;
    b.m.tags.push(Tag { type_idx: 0 });
    b.sites.push(Site::TagType { tag, tu });
    Ok(())
}

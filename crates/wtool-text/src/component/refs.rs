//! References and names as written: sorts, indices, item references with
//! export names, and import/export names with their attributes.

use wtool_component::ast::{CoreSort, ExternName, NameAttr, Sort};

use super::{err, Ref, R};
use crate::error::Result;
use crate::lexer::Kind;
use crate::parser::Parser;

/// True if the `(import` or `(export` at the cursor is the inline sugar
/// `(kw "name" attrs*)` rather than a field: a string, then only
/// attributes.
pub(crate) fn is_inline(p: &Parser<'_>) -> bool {
    if p.peek_at(2).map(|t| t.kind) != Some(Kind::Str) {
        return false;
    }
    let mut i = 3;
    loop {
        match p.peek_at(i).map(|t| t.kind) {
            Some(Kind::RParen) => return true,
            Some(Kind::LParen) => {
                let attr = p.peek_at(i + 1).map(|t| p.text(t));
                if !matches!(attr, Some("implements" | "version-suffix" | "external-id")) {
                    return false;
                }
                i += 4;
            }
            _ => return false,
        }
    }
}

/// An import or export name with its attributes, or the legacy
/// `(interface "name")`.
pub(crate) fn extern_name(p: &mut Parser<'_>) -> Result<ExternName> {
    let name = if p.eat_lparen_kw("interface") {
        let n = p.name()?;
        p.expect_rparen()?;
        n
    } else {
        p.name()?
    };
    let mut attrs: [Option<String>; 3] = Default::default();
    loop {
        let k = match p.peek_lparen_kw() {
            Some("implements") => 0,
            Some("version-suffix") => 1,
            Some("external-id") => 2,
            _ => break,
        };
        let t = p.peek_at(1);
        p.pos += 2;
        let v = p.name()?;
        p.expect_rparen()?;
        if attrs[k].is_some() {
            let off = t.map_or(0, |t| t.start);
            return Err(err(
                "unexpected token: a name has at most one attribute of each kind",
                off,
            ));
        }
        attrs[k] = Some(v);
    }
    // The encoder writes attributes in a fixed order, whatever the text's.
    let [a, b, c] = attrs;
    let attrs: Vec<NameAttr> = [
        a.map(NameAttr::Implements),
        b.map(NameAttr::VersionSuffix),
        c.map(NameAttr::ExternalId),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(ExternName {
        name,
        form: if attrs.is_empty() { 0 } else { 2 },
        attrs,
    })
}

/// The sort keyword of a component item: `func`, `value`, `type`,
/// `component`, `instance`, or `core` followed by a core sort.
pub(crate) fn sort(p: &mut Parser<'_>) -> Result<Sort> {
    let s = match p.peek_kw() {
        Some("func") => Sort::Func,
        Some("value") => Sort::Value,
        Some("type") => Sort::Type,
        Some("component") => Sort::Component,
        Some("instance") => Sort::Instance,
        Some("core") => {
            p.pos += 1;
            return Ok(Sort::Core(core_sort(p, true)?));
        }
        _ => return Err(p.unexpected("a sort")),
    };
    p.pos += 1;
    Ok(s)
}

/// A core sort keyword; `module` and `instance` only when `all`.
pub(crate) fn core_sort(p: &mut Parser<'_>, all: bool) -> Result<CoreSort> {
    let s = match p.peek_kw() {
        Some("func") => CoreSort::Func,
        Some("table") => CoreSort::Table,
        Some("memory") => CoreSort::Memory,
        Some("global") => CoreSort::Global,
        Some("tag") => CoreSort::Tag,
        Some("type") if all => CoreSort::Type,
        Some("module") if all => CoreSort::Module,
        Some("instance") if all => CoreSort::Instance,
        _ => return Err(p.unexpected("a core sort")),
    };
    p.pos += 1;
    Ok(s)
}

/// An index (`$id` or number) referring to `sort`.
pub(crate) fn idx_ref(p: &mut Parser<'_>, sort: Sort) -> Result<Ref> {
    let off = p.offset();
    let idx = match p.idx()? {
        crate::parser::Idx::Num(n) => R::Num(n),
        crate::parser::Idx::Name(n, _) => R::Id(n.into_owned()),
    };
    Ok(Ref {
        sort,
        idx,
        exports: Vec::new(),
        off,
    })
}

/// An index followed by export names: `$i "a" "b"`.
pub(crate) fn item_ref(p: &mut Parser<'_>, sort: Sort) -> Result<Ref> {
    let mut r = idx_ref(p, sort)?;
    while p.at_string() {
        r.exports.push(p.name()?);
    }
    // Core modules are reached through component instances, any deep;
    // other core items through one core instance export.
    if matches!(sort, Sort::Core(s) if s != CoreSort::Module) && r.exports.len() > 1 {
        return Err(err("a core reference takes at most one export name", r.off));
    }
    Ok(r)
}

/// After `(sort`: `idx "export"*` and `)`.
pub(crate) fn sorted_ref_rest(p: &mut Parser<'_>, sort: Sort) -> Result<Ref> {
    let r = item_ref(p, sort)?;
    p.expect_rparen()?;
    Ok(r)
}

/// A reference to a core item of sort `cs`: a bare index, or `(core kind
/// idx "name"?)`. wat refuses the legacy `(kind idx "name")` and `idx
/// "name"` spellings, and so does this parser.
pub(crate) fn core_ref(p: &mut Parser<'_>, cs: CoreSort) -> Result<Ref> {
    if p.at_idx() {
        let r = idx_ref(p, Sort::Core(cs))?;
        if p.at_string() {
            return Err(err(
                "an export name must be written inside a nested reference: `(core kind $i \"name\")`",
                p.offset(),
            ));
        }
        return Ok(r);
    }
    p.expect_lparen()?;
    if p.peek_kw() != Some("core") {
        return Err(p.unexpected("`core` (it is required in this reference)"));
    }
    p.pos += 1;
    let found = core_sort(p, true)?;
    if found != cs {
        p.pos -= 1;
        return Err(p.unexpected(super::sort_word(Sort::Core(cs))));
    }
    sorted_ref_rest(p, Sort::Core(cs))
}

/// A reference to a component item: a bare index or `(sort idx "name"*)`.
pub(crate) fn comp_ref(p: &mut Parser<'_>, sort: Sort) -> Result<Ref> {
    if p.at_idx() {
        return item_ref(p, sort);
    }
    p.expect_lparen()?;
    let found = self::sort(p)?;
    if found != sort {
        p.pos -= 1;
        return Err(p.unexpected(super::sort_word(sort)));
    }
    sorted_ref_rest(p, sort)
}

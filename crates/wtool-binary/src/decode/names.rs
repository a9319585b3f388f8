//! The `name` custom section, including the extended-name subsections.
//!
//! Custom section contents are not part of validity, so a name section that
//! does not parse is not an error: the caller keeps it as raw bytes.

use wtool_ast::{IndirectNameMap, NameMap, Names};

use crate::error::Result;
use crate::reader::Reader;

fn name_map(r: &mut Reader<'_>) -> Result<NameMap> {
    let (n, cap) = r.count()?;
    let mut map = Vec::with_capacity(cap);
    for _ in 0..n {
        let idx = r.u32()?;
        map.push((idx, r.name()?.to_string()));
    }
    Ok(map)
}

fn indirect_map(r: &mut Reader<'_>) -> Result<IndirectNameMap> {
    let (n, cap) = r.count()?;
    let mut map = Vec::with_capacity(cap);
    for _ in 0..n {
        let idx = r.u32()?;
        map.push((idx, name_map(r)?));
    }
    Ok(map)
}

/// Parses a name section payload; `None` if it is not well formed, uses an
/// unknown subsection or repeats one (those are kept raw by the caller).
pub(crate) fn decode_names(r: &mut Reader<'_>) -> Option<Names> {
    parse(r).ok().flatten()
}

fn parse(r: &mut Reader<'_>) -> Result<Option<Names>> {
    let mut names = Names::default();
    let mut last: Option<u8> = None;
    while !r.at_end() {
        let id = r.u8()?;
        if last.is_some_and(|l| id <= l) {
            return Ok(None);
        }
        last = Some(id);
        let len = r.len32()?;
        let mut s = r.sub(len)?;
        match id {
            0 => names.module = Some(s.name()?.to_string()),
            1 => names.funcs = name_map(&mut s)?,
            2 => names.locals = indirect_map(&mut s)?,
            3 => names.labels = indirect_map(&mut s)?,
            4 => names.types = name_map(&mut s)?,
            5 => names.tables = name_map(&mut s)?,
            6 => names.memories = name_map(&mut s)?,
            7 => names.globals = name_map(&mut s)?,
            8 => names.elems = name_map(&mut s)?,
            9 => names.datas = name_map(&mut s)?,
            10 => names.fields = indirect_map(&mut s)?,
            11 => names.tags = name_map(&mut s)?,
            12 => names.type_params = indirect_map(&mut s)?,
            13 => names.tag_params = indirect_map(&mut s)?,
            _ => return Ok(None),
        }
        if !s.at_end() {
            return Ok(None);
        }
    }
    Ok(Some(names))
}

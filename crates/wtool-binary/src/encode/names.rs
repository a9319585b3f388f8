//! The `name` custom section payload.

use wtool_ast::{IndirectNameMap, NameMap, Names};

use crate::leb128::write_u32;

fn name(out: &mut Vec<u8>, s: &str) {
    write_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn name_map(out: &mut Vec<u8>, map: &NameMap) {
    write_u32(out, map.len() as u32);
    for (i, n) in map {
        write_u32(out, *i);
        name(out, n);
    }
}

fn indirect_map(out: &mut Vec<u8>, map: &IndirectNameMap) {
    write_u32(out, map.len() as u32);
    for (i, m) in map {
        write_u32(out, *i);
        name_map(out, m);
    }
}

fn subsection(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    write_u32(out, body.len() as u32);
    out.extend_from_slice(body);
}

enum Map<'a> {
    Direct(&'a NameMap),
    Indirect(&'a IndirectNameMap),
}

/// Writes the payload of a name section: each non-empty subsection in id order.
pub fn encode_names(out: &mut Vec<u8>, names: &Names) {
    let mut buf = Vec::new();
    if let Some(m) = &names.module {
        name(&mut buf, m);
        subsection(out, 0, &buf);
    }
    let subs = [
        (1, Map::Direct(&names.funcs)),
        (2, Map::Indirect(&names.locals)),
        (3, Map::Indirect(&names.labels)),
        (4, Map::Direct(&names.types)),
        (5, Map::Direct(&names.tables)),
        (6, Map::Direct(&names.memories)),
        (7, Map::Direct(&names.globals)),
        (8, Map::Direct(&names.elems)),
        (9, Map::Direct(&names.datas)),
        (10, Map::Indirect(&names.fields)),
        (11, Map::Direct(&names.tags)),
        (12, Map::Indirect(&names.type_params)),
        (13, Map::Indirect(&names.tag_params)),
    ];
    for (id, map) in subs {
        buf.clear();
        match map {
            Map::Direct(m) if !m.is_empty() => name_map(&mut buf, m),
            Map::Indirect(m) if !m.is_empty() => indirect_map(&mut buf, m),
            _ => continue,
        }
        subsection(out, id, &buf);
    }
}

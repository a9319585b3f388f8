//! Encodes [`Names`] back to a name-section payload, for `--no-names`
//! output where the names travel as an `(@custom "name" …)` annotation.

use wtool_ast::{IndirectNameMap, NameMap, Names};

fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn name(out: &mut Vec<u8>, s: &str) {
    leb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn map(out: &mut Vec<u8>, m: &NameMap) {
    leb(out, m.len() as u64);
    for (i, n) in m {
        leb(out, u64::from(*i));
        name(out, n);
    }
}

fn indirect(out: &mut Vec<u8>, m: &IndirectNameMap) {
    leb(out, m.len() as u64);
    for (i, inner) in m {
        leb(out, u64::from(*i));
        map(out, inner);
    }
}

fn sub(out: &mut Vec<u8>, id: u8, body: &[u8]) {
    out.push(id);
    leb(out, body.len() as u64);
    out.extend_from_slice(body);
}

/// The name-section payload (after the section name) in canonical order.
pub(crate) fn encode(n: &Names) -> Vec<u8> {
    let mut out = Vec::new();
    let mut body = Vec::new();
    if let Some(m) = &n.module {
        name(&mut body, m);
        sub(&mut out, 0, &body);
    }
    let maps: [(u8, &NameMap); 8] = [
        (1, &n.funcs),
        (4, &n.types),
        (5, &n.tables),
        (6, &n.memories),
        (7, &n.globals),
        (8, &n.elems),
        (9, &n.datas),
        (11, &n.tags),
    ];
    let indirects: [(u8, &IndirectNameMap); 3] = [(2, &n.locals), (3, &n.labels), (10, &n.fields)];
    let mut ids: Vec<u8> = maps
        .iter()
        .map(|(i, _)| *i)
        .chain(indirects.iter().map(|(i, _)| *i))
        .collect();
    ids.sort_unstable();
    for id in ids {
        body.clear();
        if let Some((_, m)) = maps.iter().find(|(i, _)| *i == id) {
            if m.is_empty() {
                continue;
            }
            map(&mut body, m);
        } else if let Some((_, m)) = indirects.iter().find(|(i, _)| *i == id) {
            if m.is_empty() {
                continue;
            }
            indirect(&mut body, m);
        }
        sub(&mut out, id, &body);
    }
    out
}

//! The module header and every section.

use wtool_ast::{
    CustomPlace, CustomSection, DataMode, ElemItems, ElemMode, ExternKind, ImportDesc, Module,
    RefType, SectionId,
};

use super::code::encode_expr;
use super::names::encode_names;
use super::types;
use crate::leb128::write_u32;

fn name(out: &mut Vec<u8>, s: &str) {
    write_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn section(out: &mut Vec<u8>, id: SectionId, payload: &[u8]) {
    out.push(id as u8);
    write_u32(out, payload.len() as u32);
    out.extend_from_slice(payload);
}

fn kind_byte(k: ExternKind) -> u8 {
    match k {
        ExternKind::Func => 0,
        ExternKind::Table => 1,
        ExternKind::Memory => 2,
        ExternKind::Global => 3,
        ExternKind::Tag => 4,
    }
}

/// Encodes a module. Sections are written when they have content or when
/// the module was decoded from a binary that had them (possibly empty).
pub fn encode_module(m: &Module) -> Vec<u8> {
    let mut out = Vec::with_capacity(estimate(m));
    out.extend_from_slice(b"\0asm\x01\0\0\0");
    let mut names_written = false;
    let mut buf = Vec::new();
    for id in SectionId::ORDERED {
        customs(&mut out, m, CustomPlace::Before(id), &mut names_written);
        buf.clear();
        if payload(m, id, &mut buf) {
            section(&mut out, id, &buf);
        }
        customs(&mut out, m, CustomPlace::After(id), &mut names_written);
    }
    if !names_written {
        if let Some(n) = m.names.as_ref().filter(|n| !n.is_empty()) {
            let mut p = Vec::new();
            name(&mut p, "name");
            encode_names(&mut p, n);
            section(&mut out, SectionId::Custom, &p);
        }
    }
    out
}

/// [`encode_module`] written to `w` one section at a time, taking the
/// module so that each function body is freed as soon as it is encoded:
/// the code section is written entry by entry while the decoded bodies
/// go, so the peak stays the decoded module's size (not that plus the
/// encoded code section, nor a copy of the output). Same bytes as
/// [`encode_module`].
pub fn encode_module_into(mut m: Module, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut exprs: Vec<wtool_ast::Expr> = m
        .funcs
        .iter_mut()
        .map(|f| std::mem::take(&mut f.body))
        .collect();
    encode_module_into_with(
        &m,
        &mut |def, last, out| {
            encode_expr(out, &exprs[def]);
            if last {
                exprs[def] = wtool_ast::Expr::default();
            }
        },
        w,
    )
}

/// [`encode_module_into`] with the instructions of each defined function
/// (through its final `end`) appended to the given buffer by `body(def,
/// last, out)` instead of encoded from `m`: `last` is false on a first
/// call that only measures, true on the one whose bytes are written.
pub fn encode_module_into_with(
    m: &Module,
    body: &mut dyn FnMut(usize, bool, &mut Vec<u8>),
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    w.write_all(b"\0asm\x01\0\0\0")?;
    let mut names_written = false;
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for id in SectionId::ORDERED {
        customs(&mut out, m, CustomPlace::Before(id), &mut names_written);
        w.write_all(&out)?;
        out.clear();
        buf.clear();
        if id == SectionId::Code {
            code_section_streamed(m, body, w, &mut buf)?;
            customs(&mut out, m, CustomPlace::After(id), &mut names_written);
            w.write_all(&out)?;
            out.clear();
            continue;
        }
        let present = payload(m, id, &mut buf);
        if present {
            // The header alone, then the payload: no copy of a big section.
            out.push(id as u8);
            write_u32(&mut out, buf.len() as u32);
            w.write_all(&out)?;
            w.write_all(&buf)?;
            out.clear();
        }
        // A big payload's buffer is not kept for the small sections after it.
        if buf.capacity() > 1 << 20 {
            buf = Vec::new();
        }
        customs(&mut out, m, CustomPlace::After(id), &mut names_written);
        w.write_all(&out)?;
        out.clear();
    }
    if !names_written {
        if let Some(n) = m.names.as_ref().filter(|n| !n.is_empty()) {
            let mut p = Vec::new();
            name(&mut p, "name");
            encode_names(&mut p, n);
            section(&mut out, SectionId::Custom, &p);
            w.write_all(&out)?;
        }
    }
    Ok(())
}

/// The code section, as [`payload`] and [`section`] write it, straight to
/// `w`, with each entry's instructions from `body`: a first pass encodes
/// the entries one at a time (into `scratch`) only to add up the
/// section's size, which comes first; the second encodes and writes them.
/// The encoded section is never held whole (it is most of the module).
fn code_section_streamed(
    m: &Module,
    body: &mut dyn FnMut(usize, bool, &mut Vec<u8>),
    w: &mut dyn std::io::Write,
    scratch: &mut Vec<u8>,
) -> std::io::Result<()> {
    if m.funcs.is_empty() && !had(m, SectionId::Code) {
        return Ok(());
    }
    let mut count = Vec::new();
    write_u32(&mut count, m.funcs.len() as u32);
    let mut instrs = Vec::new();
    let mut locals = Vec::new();
    let mut size = count.len();
    for (def, f) in m.funcs.iter().enumerate() {
        scratch.clear();
        instrs.clear();
        body(def, false, &mut instrs);
        code_entry(scratch, &mut locals, &instrs, f);
        size += scratch.len();
    }
    let mut head = vec![SectionId::Code as u8];
    write_u32(&mut head, size as u32);
    w.write_all(&head)?;
    w.write_all(&count)?;
    for (def, f) in m.funcs.iter().enumerate() {
        scratch.clear();
        instrs.clear();
        body(def, true, &mut instrs);
        code_entry(scratch, &mut locals, &instrs, f);
        w.write_all(scratch)?;
    }
    scratch.clear();
    Ok(())
}

/// One code section entry: the size, then the locals of `f` and its
/// encoded instructions `instrs` (`locals` is scratch space, reused across
/// entries).
fn code_entry(p: &mut Vec<u8>, locals: &mut Vec<u8>, instrs: &[u8], f: &wtool_ast::Func) {
    locals.clear();
    write_u32(locals, f.locals.len() as u32);
    for g in &f.locals {
        write_u32(locals, g.count);
        types::val_type(locals, g.ty);
    }
    write_u32(p, (locals.len() + instrs.len()) as u32);
    p.extend_from_slice(locals);
    p.extend_from_slice(instrs);
}

/// A capacity guess that avoids most reallocations for big modules.
fn estimate(m: &Module) -> usize {
    let code: usize = m.funcs.iter().map(|f| f.body.instrs.len() * 2 + 4).sum();
    let data: usize = m.datas.iter().map(|d| d.data.len() + 8).sum();
    let custom: usize = m
        .customs
        .iter()
        .map(|c| c.data.len() + c.name.len() + 8)
        .sum();
    64 + code + data + custom
}

fn customs(out: &mut Vec<u8>, m: &Module, place: CustomPlace, names_written: &mut bool) {
    for c in m.customs.iter().filter(|c| c.place == place) {
        custom(out, m, c, names_written);
    }
}

fn custom(out: &mut Vec<u8>, m: &Module, c: &CustomSection, names_written: &mut bool) {
    let mut p = Vec::with_capacity(c.name.len() + c.data.len() + 5);
    name(&mut p, &c.name);
    if c.name == "name" && !*names_written {
        *names_written = true;
        match (&m.names, c.data.is_empty()) {
            (Some(n), true) => encode_names(&mut p, n),
            _ => p.extend_from_slice(&c.data),
        }
    } else {
        p.extend_from_slice(&c.data);
    }
    section(out, SectionId::Custom, &p);
}

fn had(m: &Module, id: SectionId) -> bool {
    m.sections.iter().any(|s| s.id == id as u8)
}

/// Writes section `id`'s payload into `p`; false when the section is omitted.
fn payload(m: &Module, id: SectionId, p: &mut Vec<u8>) -> bool {
    match id {
        SectionId::Type => {
            // An empty `(rec)` is still a group the section must hold.
            if m.types.is_empty() && m.rec_groups.is_empty() && !had(m, id) {
                return false;
            }
            let groups = m.type_groups();
            write_u32(p, groups.len() as u32);
            for (start, len, explicit) in groups {
                if explicit {
                    p.push(0x4e);
                    write_u32(p, len);
                }
                let range = start as usize..(start + len) as usize;
                for t in m.types.get(range).unwrap_or(&[]) {
                    types::sub_type(p, t);
                }
            }
        }
        SectionId::Import => {
            if m.imports.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.imports.len() as u32);
            for i in &m.imports {
                name(p, &i.module);
                name(p, &i.name);
                extern_desc(p, &i.desc, i.exact);
            }
        }
        SectionId::Function => {
            if m.funcs.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.funcs.len() as u32);
            m.funcs.iter().for_each(|f| write_u32(p, f.type_idx));
        }
        SectionId::Table => {
            if m.tables.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.tables.len() as u32);
            for t in &m.tables {
                match &t.init {
                    None => types::table_type(p, t.ty),
                    Some(e) => {
                        p.extend_from_slice(&[0x40, 0x00]);
                        types::table_type(p, t.ty);
                        encode_expr(p, e);
                    }
                }
            }
        }
        SectionId::Memory => {
            if m.memories.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.memories.len() as u32);
            m.memories.iter().for_each(|&mt| types::memory_type(p, mt));
        }
        SectionId::Tag => {
            if m.tags.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.tags.len() as u32);
            for t in &m.tags {
                p.push(0);
                write_u32(p, t.type_idx);
            }
        }
        SectionId::Global => {
            if m.globals.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.globals.len() as u32);
            for g in &m.globals {
                types::global_type(p, g.ty);
                encode_expr(p, &g.init);
            }
        }
        SectionId::Export => {
            if m.exports.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.exports.len() as u32);
            for e in &m.exports {
                name(p, &e.name);
                p.push(kind_byte(e.kind));
                write_u32(p, e.index);
            }
        }
        SectionId::Start => match m.start {
            Some(s) => write_u32(p, s),
            None => return false,
        },
        SectionId::Element => {
            if m.elems.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.elems.len() as u32);
            for e in &m.elems {
                elem(p, e);
            }
        }
        SectionId::DataCount => {
            if m.data_count.is_none() {
                return false;
            }
            write_u32(p, m.datas.len() as u32);
        }
        SectionId::Code => {
            if m.funcs.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.funcs.len() as u32);
            let (mut body, mut locals) = (Vec::new(), Vec::new());
            for f in &m.funcs {
                body.clear();
                encode_expr(&mut body, &f.body);
                code_entry(p, &mut locals, &body, f);
            }
        }
        SectionId::Data => {
            if m.datas.is_empty() && !had(m, id) {
                return false;
            }
            write_u32(p, m.datas.len() as u32);
            for d in &m.datas {
                match &d.mode {
                    DataMode::Passive => p.push(1),
                    DataMode::Active { memory, offset } => {
                        if *memory == 0 && !d.explicit_index {
                            p.push(0);
                        } else {
                            p.push(2);
                            write_u32(p, *memory);
                        }
                        encode_expr(p, offset);
                    }
                }
                write_u32(p, d.data.len() as u32);
                p.extend_from_slice(&d.data);
            }
        }
        SectionId::Custom => return false,
    }
    true
}

fn elem(p: &mut Vec<u8>, e: &wtool_ast::ElemSegment) {
    // Function indices can only be written with element kind 0 (funcref);
    // any other type needs the expression form.
    let exprs = matches!(e.items, ElemItems::Exprs(_)) || e.ty != RefType::FUNCREF;
    let expr_bit = if exprs { 4 } else { 0 };
    let short_ok = e.ty == RefType::FUNCREF && !e.explicit_index;
    match &e.mode {
        ElemMode::Active { table, offset } if *table == 0 && short_ok => {
            write_u32(p, expr_bit);
            encode_expr(p, offset);
        }
        ElemMode::Active { table, offset } => {
            write_u32(p, expr_bit | 2);
            write_u32(p, *table);
            encode_expr(p, offset);
            elem_type(p, e, exprs);
        }
        ElemMode::Passive => {
            write_u32(p, expr_bit | 1);
            elem_type(p, e, exprs);
        }
        ElemMode::Declarative => {
            write_u32(p, expr_bit | 3);
            elem_type(p, e, exprs);
        }
    }
    match &e.items {
        ElemItems::Funcs(v) if exprs => {
            write_u32(p, v.len() as u32);
            for &f in v {
                p.push(0xd2);
                write_u32(p, f);
                p.push(0x0b);
            }
        }
        ElemItems::Funcs(v) => {
            write_u32(p, v.len() as u32);
            v.iter().for_each(|&f| write_u32(p, f));
        }
        ElemItems::Exprs(v) => {
            write_u32(p, v.len() as u32);
            v.iter().for_each(|x| encode_expr(p, x));
        }
    }
}

fn elem_type(p: &mut Vec<u8>, e: &wtool_ast::ElemSegment, exprs: bool) {
    if exprs {
        types::ref_type(p, e.ty);
    } else {
        p.push(0x00);
    }
}

/// Writes a core `externtype`: the kind byte (0x20 for an exact function)
/// and the type.
pub fn extern_desc(p: &mut Vec<u8>, desc: &ImportDesc, exact: bool) {
    p.push(if exact { 0x20 } else { kind_byte(desc.kind()) });
    match desc {
        ImportDesc::Func(t) => write_u32(p, *t),
        ImportDesc::Table(t) => types::table_type(p, *t),
        ImportDesc::Memory(mt) => types::memory_type(p, *mt),
        ImportDesc::Global(g) => types::global_type(p, *g),
        ImportDesc::Tag(t) => {
            p.push(0);
            write_u32(p, *t);
        }
    }
}

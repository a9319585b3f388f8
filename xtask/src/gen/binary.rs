//! wtool-binary: instruction decoding and encoding.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::table::{Kind, Row};
use super::HEADER;

/// The expression building the instruction of `r` from immediates read in
/// binary order (`nullable`: which of a castref row's two codes was read).
fn build(r: &Row, nullable: bool) -> String {
    let v = r.variant();
    let mut reads = Vec::new();
    let datacount = r.has_flag("datacount");
    let read = |k: Kind| -> String {
        match k {
            Kind::CastRef => format!("imm::cast_ref(r, cx, {nullable})?"),
            k => format!("imm::{}(r, cx)?", k.helper()),
        }
    };
    for (n, i) in r.imms.iter().enumerate() {
        if i.kind == Kind::Zero {
            reads.push("imm::zero(r, cx)?;".to_string());
        } else {
            reads.push(format!("let {} = {};", i.field(), read(i.kind)));
        }
        // The data count check sits after the first immediate, where the
        // reference decoder makes it.
        if datacount && n == 0 {
            reads.push("require_data_count(r, cx, at)?;".to_string());
        }
    }
    let value = if r.is_op() {
        let op = format!("Op::{v}");
        match r.imms.iter().map(|i| i.kind).collect::<Vec<_>>().as_slice() {
            [] => format!("Instr::Plain({op})"),
            [Kind::MemArg(_)] => format!("Instr::Mem({op}, memarg)"),
            [Kind::Lane(_)] => format!("Instr::Lane({op}, lane)"),
            _ => format!("Instr::MemLane(Box::new(MemLane {{ op: {op}, memarg, lane }}))"),
        }
    } else {
        r.construct("wtool_ast::")
    };
    let mut body = String::new();
    if r.has_flag("opens") {
        body.push_str("*depth += 1; ");
    }
    if r.has_flag("closes") && r.mnemonic != "end" {
        body.push_str("*depth = depth.saturating_sub(1); ");
    }
    for x in &reads {
        body.push_str(x);
        body.push(' ');
    }
    if body.is_empty() {
        value
    } else {
        format!("{{ {body}{value} }}")
    }
}

/// Whether the row's variant owns heap memory (a box, or an immediate
/// stored boxed), so that a decoded value must be dropped. Erring towards
/// true only costs a drop call.
fn owns_heap(r: &Row) -> bool {
    let kinds: Vec<Kind> = r.imms.iter().map(|i| i.kind).collect();
    r.boxed()
        || kinds.iter().any(|k| {
            matches!(
                k,
                Kind::BrTable
                    | Kind::BrCast
                    | Kind::Catches
                    | Kind::ValTypes
                    | Kind::V128
                    | Kind::Shuffle
                    | Kind::CastRef
            )
        })
        || (r.is_op()
            && kinds.iter().any(|k| matches!(k, Kind::MemArg(_)))
            && kinds.iter().any(|k| matches!(k, Kind::Lane(_))))
}

/// Arms `code => expr` for one opcode space.
fn arms(rows: &[&Row]) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for r in rows {
        if r.mnemonic == "end" {
            continue;
        }
        if r.imms.iter().any(|i| i.kind == Kind::CastRef) {
            out.push((r.code, build(r, false)));
            out.push((r.code + 1, build(r, true)));
        } else {
            out.push((r.code, build(r, false)));
        }
    }
    out.sort_by_key(|a| a.0);
    out
}

/// `crates/wtool-binary/src/decode/generated.rs`.
pub fn decode(rows: &[Row]) -> String {
    let mut spaces: BTreeMap<u8, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        spaces.entry(r.prefix).or_default().push(r);
    }
    let mut s = String::from(HEADER);
    s.push_str(
        "//! Decoding one instruction: a match per opcode space, immediates read in\n\
         //! binary order by the per-kind readers in `imm.rs`.\n\n\
         use wtool_ast::{Features, Instr, InstrVisitor, MemLane, Op};\n\n\
         use super::code::{illegal, require_data_count, CodeCtx};\n\
         use super::imm;\n\
         use crate::error::Result;\n\
         use crate::reader::Reader;\n\n",
    );
    s.push_str(
        "/// Decodes the instruction whose first byte `b` (at `at`) was just read.\n\
         /// `depth` counts open blocks; the flag is true for the `end` that closes\n\
         /// the whole expression.\n\
         #[inline(always)]\n\
         pub(crate) fn instr(r: &mut Reader<'_>, cx: &CodeCtx, at: usize, b: u8, depth: &mut usize) -> Result<(Instr, bool)> {\n\
         let i = match b {\n\
         0x0b => {\n\
         if *depth == 0 {\n\
         return Ok((Instr::End, true));\n\
         }\n\
         *depth -= 1;\n\
         Instr::End\n\
         }\n",
    );
    for (code, e) in arms(spaces.get(&0).map_or(&[][..], |v| v)) {
        let _ = writeln!(s, "        {code:#04x} => {e},");
    }
    for p in spaces.keys().filter(|&&p| p != 0) {
        let _ = writeln!(s, "        {p:#04x} => prefixed_{p:x}(r, cx, at, depth)?,");
    }
    s.push_str("        _ => return Err(illegal(at, b, None)),\n    };\n    Ok((i, false))\n}\n\n");
    for (p, rs) in spaces.iter().filter(|(p, _)| **p != 0) {
        let _ = writeln!(
            s,
            "#[inline(never)]\nfn prefixed_{p:x}(r: &mut Reader<'_>, cx: &CodeCtx, at: usize, depth: &mut usize) -> Result<Instr> {{\n\
             let _ = &depth;\n\
             let code = r.u32()?;\n    Ok(match code {{"
        );
        for (code, e) in arms(rs) {
            let _ = writeln!(s, "        {code} => {e},");
        }
        let _ = writeln!(
            s,
            "        _ => return Err(illegal(at, {p:#04x}, Some(code))),\n    }})\n}}\n"
        );
    }
    // The same decoder handing each instruction straight to a visitor: each
    // arm builds a value of one known variant and visits it, so after
    // inlining the visitor's own match folds away (one dispatch per
    // instruction instead of two).
    s.push_str(
        "/// Decodes the instruction whose first byte `b` (at `at`) was just read\n\
         /// and hands it to `v`, as [`instr`] does.\n\
         #[inline(always)]\n\
         pub(crate) fn visit<V: InstrVisitor + ?Sized>(r: &mut Reader<'_>, cx: &CodeCtx, at: usize, b: u8, depth: &mut usize, v: &mut V) -> Result<(V::Output, bool)> {\n\
         let out = match b {\n\
         0x0b => {\n\
         if *depth == 0 {\n\
         return Ok((v.visit_end(), true));\n\
         }\n\
         *depth -= 1;\n\
         v.visit_end()\n\
         }\n",
    );
    let owning: Vec<u32> = spaces
        .get(&0)
        .map_or(&[][..], |v| v)
        .iter()
        .filter(|r| owns_heap(r))
        .flat_map(|r| [r.code, r.code + 1])
        .collect();
    for (code, e) in arms(spaces.get(&0).map_or(&[][..], |v| v)) {
        if owning.contains(&code) {
            let _ = writeln!(s, "        {code:#04x} => {{ let i = {e}; i.visit(v) }}");
        } else {
            // Nothing to free: skip the (out-of-line) drop glue of `Instr`.
            let _ = writeln!(
                s,
                "        {code:#04x} => {{ let i = core::mem::ManuallyDrop::new({e}); i.visit(v) }}"
            );
        }
    }
    for p in spaces.keys().filter(|&&p| p != 0) {
        let _ = writeln!(
            s,
            "        {p:#04x} => prefixed_{p:x}(r, cx, at, depth)?.visit(v),"
        );
    }
    s.push_str(
        "        _ => return Err(illegal(at, b, None)),\n    };\n    Ok((out, false))\n}\n\n",
    );
    // Which bytes start an instruction under a feature set.
    s.push_str("/// True if byte `b` starts an instruction that `features` enables (a\n/// prefix byte counts when any instruction behind it is enabled).\npub(crate) fn starts_instr(b: u8, features: Features) -> bool {\n    match b {\n");
    let mut by_byte: BTreeMap<u8, Vec<String>> = BTreeMap::new();
    for r in rows {
        let byte = if r.prefix == 0 {
            r.code as u8
        } else {
            r.prefix
        };
        let f = format!("Features::{}", r.feature_const());
        let e = by_byte.entry(byte).or_default();
        if !e.contains(&f) {
            e.push(f);
        }
    }
    for (b, fs) in by_byte {
        let cond: Vec<String> = fs
            .iter()
            .map(|f| format!("features.contains({f})"))
            .collect();
        let _ = writeln!(s, "        {b:#04x} => {},", cond.join(" || "));
    }
    s.push_str("        _ => false,\n    }\n}\n");
    s
}

/// `crates/wtool-binary/src/encode/generated.rs`.
pub fn encode(rows: &[Row]) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "//! Encoding one instruction: opcode, then immediates in binary order by\n\
         //! the per-kind writers in `imm.rs`.\n\n\
         use wtool_ast::Instr;\n\n\
         use super::imm;\n\n\
         /// Writes one instruction.\n\
         pub fn encode_instr(out: &mut Vec<u8>, i: &Instr) {\n    match i {\n",
    );
    for r in rows.iter().filter(|r| !r.is_op()) {
        let bind = r.binding();
        let pat = &bind.pat;
        let mut body = Vec::new();
        match r.imms.iter().find(|i| i.kind == Kind::CastRef) {
            Some(c) => body.push(format!(
                "imm::opcode(out, {:#04x}, {:#x} + u32::from({}.nullable));",
                r.prefix,
                r.code,
                c.field()
            )),
            None => body.push(format!(
                "imm::opcode(out, {:#04x}, {:#x});",
                r.prefix, r.code
            )),
        }
        for i in &r.imms {
            let val = if i.kind == Kind::Zero {
                "()".to_string()
            } else {
                bind.reference(&i.field())
            };
            body.push(format!("imm::{}(out, {val});", i.kind.helper()));
        }
        let _ = writeln!(s, "        {pat} => {{ {} }}", body.join(" "));
    }
    s.push_str(
        "        Instr::Plain(op) => imm::op(out, *op),\n\
         Instr::Mem(op, m) => { imm::op(out, *op); imm::memarg(out, m); }\n\
         Instr::Lane(op, l) => { imm::op(out, *op); imm::lane(out, l); }\n\
         Instr::MemLane(m) => { imm::op(out, m.op); imm::memarg(out, &m.memarg); imm::lane(out, &m.lane); }\n\
         }\n}\n",
    );
    s
}

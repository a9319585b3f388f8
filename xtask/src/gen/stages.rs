//! The text parser's keyword dispatch, the printer's and the dump's
//! immediates: each a match over the table whose arms call per-kind helpers
//! (or, for rows with `text=rule`, a hand-written rule).

use std::fmt::Write as _;

use super::ast::wild;
use super::table::{camel, Kind, Row};
use super::HEADER;

/// Distinct mnemonics of the rows that are `Instr` variants, in table order,
/// each with its rows (typed and untyped `select` share one keyword).
fn keywords(rows: &[Row]) -> Vec<(String, Vec<&Row>)> {
    let mut out: Vec<(String, Vec<&Row>)> = Vec::new();
    for r in rows.iter().filter(|r| !r.is_op()) {
        match out.iter_mut().find(|(m, _)| *m == r.mnemonic) {
            Some((_, v)) => v.push(r),
            None => out.push((r.mnemonic.clone(), vec![r])),
        }
    }
    out
}

fn is_control(r: &Row) -> bool {
    r.has_flag("opens") || r.has_flag("middle") || r.has_flag("closes")
}

/// `crates/wtool-text/src/parser/generated.rs`.
pub fn text(rows: &[Row]) -> String {
    let kws = keywords(rows);
    let mut s = String::from(HEADER);
    s.push_str(
        "//! Keyword dispatch: every mnemonic of the table, and the parse of each\n\
         //! instruction's immediates by the per-kind parsers in `imm.rs` (or a\n\
         //! hand-written rule in `rules.rs`).\n\n\
         use wtool_ast::{Instr, Op};\n\n\
         use super::imm::{self, ImmCx};\n\
         use super::rules;\n\
         use super::Parser;\n\
         use crate::error::Result;\n\n\
         /// An instruction keyword.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq)]\n\
         pub(crate) enum Kw {\n    /// A table-driven op.\n    Op(Op),\n",
    );
    for (m, _) in &kws {
        let _ = writeln!(s, "    /// `{m}`\n    {},", camel(m));
    }
    s.push_str(
        "}\n\n/// Every instruction keyword.\npub(crate) static KEYWORDS: &[(&str, Kw)] = &[\n",
    );
    for (m, _) in &kws {
        let _ = writeln!(s, "    ({m:?}, Kw::{}),", camel(m));
    }
    for r in rows.iter().filter(|r| r.is_op()) {
        let _ = writeln!(s, "    ({:?}, Kw::Op(Op::{})),", r.mnemonic, r.variant());
    }
    s.push_str("];\n\nimpl Kw {\n    /// Block structure (`block`, `else`, `end`, …), which the expression\n    /// parser handles itself.\n    pub(crate) fn is_control(self) -> bool {\n        matches!(self, ");
    let ctl: Vec<String> = kws
        .iter()
        .filter(|(_, rs)| rs.iter().any(|r| is_control(r)))
        .map(|(m, _)| format!("Kw::{}", camel(m)))
        .collect();
    s.push_str(&ctl.join(" | "));
    s.push_str(")\n    }\n\n    /// The keyword's text.\n    pub(crate) fn name(self) -> &'static str {\n        match self {\n            Kw::Op(op) => op.name(),\n");
    for (m, _) in &kws {
        let _ = writeln!(s, "            Kw::{} => {m:?},", camel(m));
    }
    s.push_str("        }\n    }\n}\n\n");
    s.push_str(
        "/// Parses the immediates of a non-control instruction whose keyword was\n\
         /// just consumed.\n\
         pub(crate) fn parse<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>, kw: Kw) -> Result<Instr> {\n\
         Ok(match kw {\n            Kw::Op(op) => imm::op(p, cx, op)?,\n",
    );
    let mut control = Vec::new();
    for (m, rs) in &kws {
        let k = format!("Kw::{}", camel(m));
        let r = rs[0];
        if rs.iter().any(|r| is_control(r)) {
            control.push(k);
            continue;
        }
        if let Some(rule) = rs.iter().find_map(|r| r.flag_value("text")) {
            let _ = writeln!(s, "            {k} => rules::{rule}(p, cx, kw)?,");
            continue;
        }
        let mut body = String::new();
        let mut prev_type = None;
        for i in &r.imms {
            match i.kind {
                Kind::Zero => {}
                Kind::Field => {
                    let t = prev_type.clone().unwrap_or_else(|| "0".to_string());
                    let _ = write!(body, "let {} = imm::field(p, cx, {t})?; ", i.field());
                }
                k => {
                    let _ = write!(body, "let {} = imm::{}(p, cx)?; ", i.field(), k.helper());
                    if k == Kind::Type {
                        prev_type = Some(i.field());
                    }
                }
            }
        }
        let value = r.construct("wtool_ast::");
        if body.is_empty() {
            let _ = writeln!(s, "            {k} => {value},");
        } else {
            let _ = writeln!(s, "            {k} => {{ {body}{value} }}");
        }
    }
    let _ = writeln!(
        s,
        "            {} => return Err(rules::misplaced(p, kw)),\n        }})\n}}",
        control.join(" | ")
    );
    s
}

/// `crates/wtool-print/src/generated.rs`.
pub fn print(rows: &[Row]) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "//! Printing each instruction's immediates in text order by the per-kind\n\
         //! printers in `imm.rs` (or a hand-written rule in `rules.rs`).\n\n\
         use wtool_ast::Instr;\n\n\
         use crate::Printer;\n\n\
         impl Printer<'_, '_> {\n\
         /// Writes ` imm1 imm2 …` for `ins` (nothing for no immediates).\n\
         pub(crate) fn immediates(&mut self, ins: &Instr) {\n        match ins {\n",
    );
    for r in rows.iter().filter(|r| !r.is_op()) {
        if let Some(rule) = r.flag_value("text") {
            let _ = writeln!(s, "            {} => self.rule_{rule}(ins),", wild(r));
            continue;
        }
        let stored = r.stored();
        if stored.is_empty() {
            let _ = writeln!(s, "            {} => {{}}", wild(r));
            continue;
        }
        let bind = r.binding();
        let (pat, place) = (&bind.pat, |f: &str| bind.reference(f));
        let mut body = Vec::new();
        let mut prev_type = None;
        for i in &stored {
            let x = place(&i.field());
            match i.kind {
                Kind::Field => body.push(format!(
                    "self.imm_field({}, {x});",
                    prev_type.clone().unwrap_or_else(|| "&0".into())
                )),
                k => {
                    body.push(format!("self.imm_{}({x});", k.helper()));
                    if k == Kind::Type {
                        prev_type = Some(x);
                    }
                }
            }
        }
        let _ = writeln!(s, "            {pat} => {{ {} }}", body.join(" "));
    }
    s.push_str(
        "            Instr::Plain(_) => {}\n\
         Instr::Mem(op, m) => self.imm_memarg(m, op.kind()),\n\
         Instr::Lane(_, l) => self.imm_lane(l),\n\
         Instr::MemLane(m) => { self.imm_memarg(&m.memarg, m.op.kind()); self.imm_lane(&m.lane); }\n\
         }\n    }\n}\n",
    );
    s
}

/// `crates/wtool-dump/src/generated.rs`.
pub fn dump(rows: &[Row]) -> String {
    let mut s = String::from(HEADER);
    s.push_str(
        "//! Each instruction's immediates as JSON entries named as in the table,\n\
         //! written by the per-kind serializers in `imm.rs`.\n\n\
         use serde::ser::SerializeMap;\n\
         use wtool_ast::Instr;\n\n\
         use crate::imm;\n\n\
         /// Adds the entries of `ins`'s immediates to the map `m`.\n\
         pub(crate) fn immediates<M: SerializeMap>(m: &mut M, ins: &Instr) -> Result<(), M::Error> {\n    match ins {\n",
    );
    for r in rows.iter().filter(|r| !r.is_op()) {
        let stored = r.stored();
        if stored.is_empty() {
            let _ = writeln!(s, "        {} => {{}}", wild(r));
            continue;
        }
        let bind = r.binding();
        let (pat, place) = (&bind.pat, |f: &str| bind.reference(f));
        let body: Vec<String> = stored
            .iter()
            .map(|i| {
                format!(
                    "imm::{}(m, {:?}, {})?;",
                    i.kind.helper(),
                    i.name,
                    place(&i.field())
                )
            })
            .collect();
        let _ = writeln!(s, "        {pat} => {{ {} }}", body.join(" "));
    }
    s.push_str(
        "        Instr::Plain(_) => {}\n\
         Instr::Mem(_, a) => imm::memarg(m, \"memarg\", a)?,\n\
         Instr::Lane(_, l) => imm::lane(m, \"lane\", l)?,\n\
         Instr::MemLane(ml) => { imm::memarg(m, \"memarg\", &ml.memarg)?; imm::lane(m, \"lane\", &ml.lane)?; }\n\
         }\n    Ok(())\n}\n",
    );
    s
}

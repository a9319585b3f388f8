//! wtool-ast: the `Op` table, the `Instr` enum, its per-instruction facts,
//! the index visitors, stack effects and the `InstrVisitor` trait.

use std::fmt::Write as _;

use super::table::{Kind, Row, Typing};
use super::HEADER;

fn vt(t: &str) -> &'static str {
    match t {
        "i32" | "addr" => "I32",
        "i64" => "I64",
        "f32" => "F32",
        "f64" => "F64",
        "v128" => "V128",
        _ => unreachable!("checked when the table was read"),
    }
}

/// The `OpKind` of a table-driven op.
fn op_kind(r: &Row) -> String {
    let results_empty = matches!(&r.typing, Typing::Sig(_, res) if res.is_empty());
    match r.imms.iter().map(|i| i.kind).collect::<Vec<_>>().as_slice() {
        [] => "Plain".into(),
        [Kind::MemArg(a)] if r.has_flag("atomic") => format!("Atomic({a})"),
        [Kind::MemArg(a)] if results_empty => format!("Store({a})"),
        [Kind::MemArg(a)] => format!("Load({a})"),
        [Kind::Lane(n)] => format!("Lane({n})"),
        [Kind::MemArg(a), Kind::Lane(_)] if results_empty => format!("StoreLane({a})"),
        [Kind::MemArg(a), Kind::Lane(_)] => format!("LoadLane({a})"),
        _ => unreachable!("checked when the table was read"),
    }
}

/// `crates/wtool-ast/src/generated/ops.rs`.
pub fn ops(rows: &[Row]) -> String {
    let ops: Vec<&Row> = rows.iter().filter(|r| r.is_op()).collect();
    let mut s = String::from(HEADER);
    s.push_str(
        "//! The table-driven ops: instructions typed by a fixed signature whose only\n\
         //! immediates are a memarg and/or a lane index.\n\n\
         use crate::features::Features;\nuse crate::ops::{OpInfo, OpKind};\nuse crate::types::ValType;\n\n",
    );
    s.push_str(
        "/// A table-driven instruction opcode (see `instructions.txt`).\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         #[repr(u16)]\n#[allow(missing_docs)]\npub enum Op {\n",
    );
    for r in &ops {
        let _ = writeln!(s, "    {},", r.variant());
    }
    s.push_str("}\n\n");
    s.push_str(
        "const fn row(name: &'static str, prefix: u8, code: u32, kind: OpKind, params: &'static [ValType], results: &'static [ValType], feature: Features) -> OpInfo {\n\
         OpInfo { name, prefix, code, kind, params, results, feature }\n}\n\n",
    );
    // Laid out as a table (rustfmt would put every argument on a line of its own).
    s.push_str("/// The table itself, indexed by `Op as usize`.\n#[rustfmt::skip]\npub static OPS: &[OpInfo] = {\n    use OpKind::*;\n    use ValType::*;\n    &[\n");
    let cells: Vec<[String; 7]> = ops
        .iter()
        .map(|r| {
            let Typing::Sig(p, res) = &r.typing else {
                unreachable!("only fixed signatures are ops")
            };
            let list = |v: &Vec<String>| v.iter().map(|t| vt(t)).collect::<Vec<_>>().join(", ");
            [
                format!("row({:?},", r.mnemonic),
                format!("{:#04x},", r.prefix),
                format!("{:#x},", r.code),
                format!("{},", op_kind(r)),
                format!("&[{}],", list(p)),
                format!("&[{}],", list(res)),
                format!("Features::{}),", r.feature_const()),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..7)
        .map(|i| cells.iter().map(|c| c[i].len()).max().unwrap_or(0))
        .collect();
    for c in &cells {
        let mut line = String::from("        ");
        for (i, cell) in c.iter().enumerate() {
            if i + 1 < c.len() {
                let _ = write!(line, "{cell:<w$} ", w = widths[i]);
            } else {
                line.push_str(cell);
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s.push_str("    ]\n};\n\nimpl Op {\n    /// Every op, in table order.\n    pub const ALL: &'static [Op] = &[\n");
    for r in &ops {
        let _ = writeln!(s, "        Op::{},", r.variant());
    }
    s.push_str("    ];\n\n    /// Looks an opcode up by its binary encoding.\n    pub fn from_code(prefix: u8, code: u32) -> Option<Op> {\n        Some(match (prefix, code) {\n");
    for r in &ops {
        let _ = writeln!(
            s,
            "            ({:#04x}, {:#x}) => Op::{},",
            r.prefix,
            r.code,
            r.variant()
        );
    }
    s.push_str("            _ => return None,\n        })\n    }\n}\n");
    s
}

/// Rows that are `Instr` variants of their own.
fn structural(rows: &[Row]) -> Vec<&Row> {
    rows.iter().filter(|r| !r.is_op()).collect()
}

/// The match pattern binding a variant's immediates by reference, and for
/// each stored immediate the expression of its visitor parameter.
fn pattern(r: &Row) -> (String, Vec<String>) {
    let bind = r.binding();
    let params = r
        .stored()
        .iter()
        .map(|i| {
            if r.boxed() {
                place_param(i.kind, &format!("b.{}", i.field()))
            } else {
                i.kind.to_param(&i.field())
            }
        })
        .collect();
    (bind.pat, params)
}

/// A visitor parameter from a place of the stored type.
fn place_param(k: Kind, place: &str) -> String {
    match k {
        Kind::BrTable | Kind::BrCast | Kind::V128 | Kind::Shuffle => format!("&{place}"),
        Kind::Catches | Kind::ValTypes => format!("&{place}"),
        _ => place.to_string(),
    }
}

fn doc_line(r: &Row) -> String {
    let imms: Vec<String> = r.stored().iter().map(|i| i.name.clone()).collect();
    if imms.is_empty() {
        format!("`{}`", r.mnemonic)
    } else {
        format!("`{} {}`", r.mnemonic, imms.join(" "))
    }
}

/// `crates/wtool-ast/src/generated/instr.rs`.
pub fn instr(rows: &[Row]) -> String {
    let st = structural(rows);
    let mut s = String::from(HEADER);
    s.push_str(
        "//! The `Instr` enum and what the table says about each instruction.\n\n\
         use crate::features::Features;\n\
         use crate::instr::{BlockType, BrCast, BrTable, Catch, MemArg, MemLane};\n\
         use crate::ops::Op;\n\
         use crate::types::{HeapType, RefType, ValType};\n\n",
    );
    // Boxed immediate structs.
    for r in st.iter().filter(|r| r.boxed()) {
        let _ = writeln!(
            s,
            "/// The immediates of {}.\n#[derive(Clone, Debug, PartialEq, Eq, Hash)]\npub struct {} {{",
            doc_line(r),
            r.variant()
        );
        for i in r.stored() {
            let _ = writeln!(
                s,
                "    /// `{}`.\n    pub {}: {},",
                i.name,
                i.field(),
                i.kind.storage()
            );
        }
        s.push_str("}\n\n");
    }
    s.push_str(
        "/// One instruction. Variants of their own for every row of the table\n\
         /// except the table-driven ops, which share `Plain`, `Mem`, `Lane` and\n\
         /// `MemLane` by immediate shape.\n\
         #[derive(Clone, Debug, PartialEq, Eq, Hash)]\n\
         #[allow(clippy::box_collection)]\npub enum Instr {\n",
    );
    let mut section = String::new();
    for r in &st {
        if r.section != section {
            section = r.section.clone();
            let _ = writeln!(s, "    // {section}");
        }
        let v = r.variant();
        let stored = r.stored();
        let _ = writeln!(s, "    /// {}", doc_line(r));
        if stored.is_empty() {
            let _ = writeln!(s, "    {v},");
        } else if r.boxed() {
            let _ = writeln!(s, "    {v}(Box<{v}>),");
        } else if stored.len() == 1 {
            let _ = writeln!(s, "    {v}({}),", stored[0].kind.storage());
        } else {
            let _ = writeln!(s, "    {v} {{");
            for i in stored {
                let _ = writeln!(
                    s,
                    "        /// `{}`.\n        {}: {},",
                    i.name,
                    i.field(),
                    i.kind.storage()
                );
            }
            s.push_str("    },\n");
        }
    }
    s.push_str(
        "    // Table-driven ops\n\
         /// A table-driven op without immediates (`i32.add`, `f32x4.mul`, …).\n    Plain(Op),\n\
         /// A table-driven load, store or atomic access with a memarg.\n    Mem(Op, MemArg),\n\
         /// A table-driven SIMD op with a lane index (`i32x4.extract_lane 1`).\n    Lane(Op, u8),\n\
         /// `v128.{load,store}N_lane`: a memarg and a lane index.\n    MemLane(Box<MemLane>),\n}\n\n",
    );
    s.push_str("impl Instr {\n");
    // mnemonic
    s.push_str("    /// The text-format mnemonic.\n    pub fn mnemonic(&self) -> &'static str {\n        match self {\n");
    for r in &st {
        let _ = writeln!(s, "            {} => {:?},", wild(r), r.mnemonic);
    }
    s.push_str("            Instr::Plain(op) | Instr::Mem(op, _) | Instr::Lane(op, _) => op.name(),\n            Instr::MemLane(m) => m.op.name(),\n        }\n    }\n\n");
    // feature
    s.push_str("    /// The proposal that introduced the instruction (`Features::MVP` for none).\n    pub fn feature(&self) -> Features {\n        match self {\n");
    for r in &st {
        let _ = writeln!(
            s,
            "            {} => Features::{},",
            wild(r),
            r.feature_const()
        );
    }
    s.push_str("            Instr::Plain(op) | Instr::Mem(op, _) | Instr::Lane(op, _) => op.info().feature,\n            Instr::MemLane(m) => m.op.info().feature,\n        }\n    }\n\n");
    // opcode
    s.push_str("    /// The binary encoding: prefix byte (0 for none) and opcode.\n    pub fn opcode(&self) -> (u8, u32) {\n        match self {\n");
    for r in &st {
        if let Some(i) = r.stored().iter().find(|i| i.kind == Kind::CastRef) {
            let (pat, _) = pattern(r);
            let f = if r.boxed() {
                format!("b.{}", i.field())
            } else {
                i.field()
            };
            let _ = writeln!(
                s,
                "            {pat} => ({:#04x}, {:#x} + u32::from({f}.nullable)),",
                r.prefix, r.code
            );
        } else {
            let _ = writeln!(
                s,
                "            {} => ({:#04x}, {:#x}),",
                wild(r),
                r.prefix,
                r.code
            );
        }
    }
    s.push_str("            Instr::Plain(op) | Instr::Mem(op, _) | Instr::Lane(op, _) => (op.info().prefix, op.info().code),\n            Instr::MemLane(m) => (m.op.info().prefix, m.op.info().code),\n        }\n    }\n\n");
    // flags
    for (flag, fname, doc) in [
        (
            "opens",
            "opens_block",
            "True for instructions that open a block (and a label).",
        ),
        (
            "middle",
            "splits_block",
            "True for `else`, `catch` and `catch_all`, which split a block.",
        ),
        (
            "closes",
            "closes_block",
            "True for `end` and `delegate`, which close a block.",
        ),
        (
            "diverges",
            "diverges",
            "True for instructions that never fall through.",
        ),
        (
            "datacount",
            "needs_data_count",
            "True for instructions that need the data count section.",
        ),
    ] {
        let pats: Vec<String> = st
            .iter()
            .filter(|r| r.has_flag(flag))
            .map(|r| wild(r))
            .collect();
        let _ = writeln!(
            s,
            "    /// {doc}\n    #[inline]\n    pub fn {fname}(&self) -> bool {{\n        matches!(self, {})\n    }}\n",
            pats.join(" | ")
        );
    }
    // visit
    s.push_str("    /// Calls the visitor's method for this instruction.\n    #[inline(always)]\n    pub fn visit<V: InstrVisitor + ?Sized>(&self, v: &mut V) -> V::Output {\n        match self {\n");
    for r in &st {
        let (pat, params) = pattern(r);
        let _ = writeln!(
            s,
            "            {pat} => v.visit_{}({}),",
            r.snake(),
            params.join(", ")
        );
    }
    s.push_str("            Instr::Plain(op) => v.visit_op(*op),\n            Instr::Mem(op, m) => v.visit_mem_op(*op, *m),\n            Instr::Lane(op, l) => v.visit_lane_op(*op, *l),\n            Instr::MemLane(m) => v.visit_mem_lane_op(m.op, m.memarg, m.lane),\n        }\n    }\n\n");
    s.push_str(&stack_effect(&st));
    s.push_str(&indices(&st, false));
    s.push_str(&indices(&st, true));
    s.push_str("}\n\n");
    s.push_str(&visitor_trait(&st));
    // Mnemonic list.
    let mut names: Vec<&str> = rows.iter().map(|r| r.mnemonic.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    s.push_str("/// Every instruction mnemonic of the table, sorted.\npub static MNEMONICS: &[&str] = &[\n");
    for n in names {
        let _ = writeln!(s, "    {n:?},");
    }
    s.push_str("];\n");
    s
}

/// A pattern matching the row's variant whatever its immediates.
pub fn wild(r: &Row) -> String {
    let v = r.variant();
    let stored = r.stored();
    if stored.is_empty() {
        format!("Instr::{v}")
    } else if stored.len() == 1 || r.boxed() {
        format!("Instr::{v}(_)")
    } else {
        format!("Instr::{v} {{ .. }}")
    }
}

fn stack_effect(st: &[&Row]) -> String {
    let mut s = String::from(
        "    /// `(operands popped, results pushed)`, from the signature or arity in\n\
         /// the table, or for `custom` rows from the rule in `crate::arity` given\n\
         /// the context `env`; `None` where that is unknown (an index out of\n\
         /// range) or not a simple count (block structure).\n\
         #[inline]\n\
         pub fn stack_effect<E: crate::arity::StackEnv + ?Sized>(&self, env: &E) -> Option<(u32, u32)> {\n\
         match self {\n",
    );
    for r in st {
        let (pat, params) = pattern(r);
        match &r.typing {
            Typing::Sig(p, res) => {
                let _ = writeln!(
                    s,
                    "            {} => Some(({}, {})),",
                    wild(r),
                    p.len(),
                    res.len()
                );
            }
            Typing::Arity(p, res) => {
                let _ = writeln!(s, "            {} => Some(({p}, {res})),", wild(r));
            }
            Typing::Custom => {
                let mut args = vec!["env".to_string()];
                args.extend(params);
                let _ = writeln!(
                    s,
                    "            {pat} => crate::arity::of_{}({}),",
                    r.snake(),
                    args.join(", ")
                );
            }
        }
    }
    s.push_str("            Instr::Plain(op) | Instr::Mem(op, _) | Instr::Lane(op, _) => Some(op.arity()),\n            Instr::MemLane(m) => Some(m.op.arity()),\n        }\n    }\n\n");
    s
}

fn indices(st: &[&Row], mutable: bool) -> String {
    let (name, fty, bind) = if mutable {
        ("visit_indices_mut", "&mut u32", "ref mut")
    } else {
        ("visit_indices", "u32", "ref")
    };
    let _ = bind;
    let mut s = format!(
        "    /// Calls `f` with every index this instruction holds, with its index\n\
         /// space, in binary order{}. Every variant is listed: a new instruction\n\
         /// with an index cannot be missed.\n\
         pub fn {name}(&{}self, f: &mut impl FnMut(IndexSpace, {fty})) {{\n        match self {{\n",
        if mutable { " (for renumbering)" } else { "" },
        if mutable { "mut " } else { "" }
    );
    let sfx = if mutable { "_mut" } else { "" };
    for r in st {
        let stored = r.stored();
        let relevant: Vec<_> = stored
            .iter()
            .filter(|i| i.kind.index_space().is_some() || i.kind.compound_visitor().is_some())
            .collect();
        if relevant.is_empty() {
            let _ = writeln!(s, "            {} => {{}}", wild(r));
            continue;
        }
        let v = r.variant();
        let boxed = r.boxed();
        let pat = if boxed {
            format!("Instr::{v}(b)")
        } else if stored.len() == 1 {
            format!("Instr::{v}({})", stored[0].field())
        } else {
            let mut fields: Vec<String> = relevant.iter().map(|i| i.field()).collect();
            if relevant.len() < stored.len() {
                fields.push("..".into());
            }
            format!("Instr::{v} {{ {} }}", fields.join(", "))
        };
        let place = |f: &str| {
            if boxed {
                format!("b.{f}")
            } else {
                f.to_string()
            }
        };
        let mut body = Vec::new();
        for i in &relevant {
            let p = place(&i.field());
            // Bindings of a by-reference match are references already; a
            // boxed struct's fields are places.
            let r_ = if boxed {
                if mutable {
                    format!("&mut {p}")
                } else {
                    format!("&{p}")
                }
            } else {
                p.clone()
            };
            if let Some(sp) = i.kind.index_space() {
                let arg = if mutable {
                    r_
                } else if boxed {
                    p
                } else {
                    format!("*{p}")
                };
                body.push(format!("f(IndexSpace::{sp}, {arg});"));
            } else if let Some(c) = i.kind.compound_visitor() {
                body.push(format!("crate::visit::{c}{sfx}({r_}, f);"));
            }
        }
        let _ = writeln!(s, "            {pat} => {{ {} }}", body.join(" "));
    }
    let _ = writeln!(
        s,
        "            Instr::Plain(_) | Instr::Lane(..) => {{}}\n            Instr::Mem(_, m) => crate::visit::memarg{sfx}(m, f),\n            Instr::MemLane(m) => crate::visit::memarg{sfx}(&{}m.memarg, f),\n        }}\n    }}\n",
        if mutable { "mut " } else { "" }
    );
    s
}

fn visitor_trait(st: &[&Row]) -> String {
    let mut s = String::from(
        "/// One method per instruction of the table (the table-driven ops share\n\
         /// four by immediate shape). Stages that give instructions meaning\n\
         /// implement it, so a new row is a compile error until each of them\n\
         /// handles it. Call it through [`Instr::visit`].\n\
         pub trait InstrVisitor {\n    /// What each method returns.\n    type Output;\n",
    );
    for r in st {
        let params: Vec<String> = r
            .stored()
            .iter()
            .map(|i| format!("{}: {}", i.field(), i.kind.param_type()))
            .collect();
        let mut all = vec!["&mut self".to_string()];
        all.extend(params);
        let _ = writeln!(
            s,
            "    /// {}\n    fn visit_{}({}) -> Self::Output;",
            doc_line(r),
            r.snake(),
            all.join(", ")
        );
    }
    s.push_str(
        "    /// A table-driven op without immediates.\n    fn visit_op(&mut self, op: Op) -> Self::Output;\n\
         /// A table-driven op with a memarg.\n    fn visit_mem_op(&mut self, op: Op, memarg: MemArg) -> Self::Output;\n\
         /// A table-driven op with a lane index.\n    fn visit_lane_op(&mut self, op: Op, lane: u8) -> Self::Output;\n\
         /// A table-driven op with a memarg and a lane index.\n    fn visit_mem_lane_op(&mut self, op: Op, memarg: MemArg, lane: u8) -> Self::Output;\n}\n\n",
    );
    s.push_str(
        "/// What an index refers to (see [`Instr::visit_indices`]).\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum IndexSpace {\n\
         /// A type index.\n    Type,\n    /// A function index.\n    Func,\n    /// A table index.\n    Table,\n\
         /// A memory index.\n    Memory,\n    /// A global index.\n    Global,\n    /// A tag index.\n    Tag,\n\
         /// An element segment index.\n    Elem,\n    /// A data segment index.\n    Data,\n\
         /// A local index.\n    Local,\n    /// A branch depth (relative label index).\n    Label,\n\
         /// A field of the struct type named by the instruction's type index.\n    Field,\n}\n\n",
    );
    s
}

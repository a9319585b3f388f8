//! `wtool size FILE`: where the bytes of a module go, in the spirit of
//! twiggy: every section (its header included, so the rows add up to the
//! file), then the largest function bodies and data segments, with
//! demangled names. `--json` for scripts.

use crate::commands::demangle::demangle;
use crate::diag::CliError;
use crate::io::{InputArg, OutputArg, OutputKind};
use serde_json::json;
use std::fmt::Write as _;
use wtool_ast::{DataMode, ExternKind, Instr, Module, Names, SectionId};

const EXAMPLES: &str = "\
Examples:
  wtool size app.wasm                           sections, top 10 functions and data segments
  wtool size --top 30 app.wasm
  wtool size --json app.wasm | jq '.functions[0]'";

/// Arguments of `wtool size`.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    input: InputArg,
    /// How many of the largest functions and data segments to list
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    /// Write JSON instead of a table
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    output: OutputArg,
}

/// One row: a label, its bytes, and what to put in JSON.
struct Row {
    label: String,
    bytes: u64,
    json: serde_json::Value,
}

/// Bytes an unsigned LEB128 of `v` takes.
fn leb_len(v: u64) -> u64 {
    u64::from((64 - v.leading_zeros()).max(1).div_ceil(7))
}

fn section_rows(m: &Module) -> Vec<Row> {
    let mut customs = m.customs.iter();
    let mut rows = vec![Row {
        label: "header".into(),
        bytes: 8,
        json: json!({ "name": "header" }),
    }];
    for s in &m.sections {
        let total = u64::from(s.payload_offset - s.offset) + u64::from(s.size);
        let (label, name) = match SectionId::from_u8(s.id) {
            Some(SectionId::Custom) => {
                let n = customs.next().map_or("", |c| c.name.as_str());
                (format!("custom {n:?}"), n.to_string())
            }
            Some(id) => (id.name().to_string(), id.name().to_string()),
            None => (format!("section {}", s.id), String::new()),
        };
        rows.push(Row {
            label,
            bytes: total,
            json: json!({ "id": s.id, "name": name, "offset": s.offset }),
        });
    }
    rows
}

fn func_rows(m: &Module) -> Vec<Row> {
    let base = m.num_imported(ExternKind::Func);
    let mut rows: Vec<Row> = m
        .funcs
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let idx = base + i as u32;
            let raw = m.names.as_ref().and_then(|n| Names::lookup(&n.funcs, idx));
            let name = raw.map(|n| demangle(n, true).unwrap_or_else(|| n.to_string()));
            let label = match &name {
                Some(n) => format!("{n} (func {idx})"),
                None => format!("func {idx}"),
            };
            let bytes = u64::from(f.size) + leb_len(u64::from(f.size));
            Row {
                label,
                bytes,
                json: json!({ "index": idx, "name": name, "mangled": raw, "instructions": f.body.instrs.len() }),
            }
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.bytes));
    rows
}

fn data_rows(m: &Module) -> Vec<Row> {
    let mut rows: Vec<Row> = m
        .datas
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let name = m
                .names
                .as_ref()
                .and_then(|n| Names::lookup(&n.datas, i as u32))
                .map(str::to_string);
            let (label, memory, at) = match &d.mode {
                DataMode::Active { memory, offset } => {
                    let at = match offset.instrs.first() {
                        Some(Instr::I32Const(v)) => Some(i64::from(*v as u32)),
                        Some(Instr::I64Const(v)) => Some(*v),
                        _ => None,
                    };
                    let place = at.map_or("computed offset".to_string(), |a| format!("at {a}"));
                    (format!("data {i} (memory {memory} {place})"), Some(*memory), at)
                }
                DataMode::Passive => (format!("data {i} (passive)"), None, None),
            };
            Row {
                label: name.clone().map_or(label.clone(), |n| format!("{n}: {label}")),
                bytes: d.data.len() as u64,
                json: json!({ "index": i, "name": name, "memory": memory, "offset": at }),
            }
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.bytes));
    rows
}

/// Describes the module's size.
pub fn run(args: Args) -> Result<(), CliError> {
    let input = args.input.read()?;
    input.require_binary()?;
    let module = input.module(wtool_ast::Features::ALL)?;
    let total = input.bytes.len() as u64;
    let pct = |b: u64| {
        if total == 0 {
            0.0
        } else {
            100.0 * b as f64 / total as f64
        }
    };
    let mut sections = section_rows(&module);
    sections.sort_by_key(|r| std::cmp::Reverse(r.bytes));
    let funcs = func_rows(&module);
    let datas = data_rows(&module);
    let text = if args.json {
        let list = |rows: &[Row], n: usize| -> Vec<serde_json::Value> {
            rows.iter()
                .take(n)
                .map(|r| {
                    let mut v = r.json.clone();
                    v["size"] = json!(r.bytes);
                    v["percent"] = json!((pct(r.bytes) * 100.0).round() / 100.0);
                    v
                })
                .collect()
        };
        let doc = json!({
            "file": input.name,
            "file_size": total,
            "sections": list(&sections, usize::MAX),
            "function_count": funcs.len(),
            "functions": list(&funcs, args.top),
            "data_count": datas.len(),
            "data": list(&datas, args.top),
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let mut s = format!("{}: {} bytes\n", input.name, thousands(total));
        let mut table = |title: String, rows: &[Row], n: usize| {
            let width = rows
                .iter()
                .take(n)
                .map(|r| r.label.chars().count() + 2)
                .chain([title.chars().count()])
                .max()
                .unwrap_or(0);
            let _ = writeln!(s, "\n{title:<width$} {:>12} {:>7}", "bytes", "%");
            for r in rows.iter().take(n) {
                let label = format!("  {}", r.label);
                let _ = writeln!(
                    s,
                    "{label:<width$} {:>12} {:>6.1}%",
                    thousands(r.bytes),
                    pct(r.bytes)
                );
            }
        };
        table("Sections".into(), &sections, usize::MAX);
        if !funcs.is_empty() {
            let title = format!("Largest functions ({} of {})", args.top.min(funcs.len()), funcs.len());
            table(title, &funcs, args.top);
        }
        if !datas.is_empty() {
            let title = format!("Largest data segments ({} of {})", args.top.min(datas.len()), datas.len());
            table(title, &datas, args.top);
        }
        s
    };
    args.output
        .write_with(OutputKind::Text, |out| out.write_all(text.as_bytes()))
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_add_up_to_the_file() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/kernels.wasm")).unwrap();
        let m = wtool_binary::decode(&bytes).unwrap();
        let sum: u64 = section_rows(&m).iter().map(|r| r.bytes).sum();
        assert_eq!(sum, bytes.len() as u64);
        let code = m.sections.iter().find(|s| s.id == 10).unwrap();
        let funcs: u64 = func_rows(&m).iter().map(|r| r.bytes).sum();
        // The code section is its count and the bodies with their sizes.
        assert_eq!(funcs + leb_len(m.funcs.len() as u64), u64::from(code.size));
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}

//! `wtool objdump FILE…`: what is in a binary, in wabt's `wasm-objdump`
//! layout: `-h` section headers, `-x` the entries of every section, `-d`
//! disassembly with file offsets and bytes, `-s` raw section contents,
//! `-j NAME` to look at one section. Without a choice, `-h`.
//!
//! Also home of the hex dumps `wat2wasm -v` / `-d` print.

use crate::diag::{self, CliError};
use crate::io::{InputArg, OutputArg, OutputKind};
use std::fmt::Write as _;
use std::path::PathBuf;
use wtool_ast::{
    DataMode, ElemItems, ElemMode, ExternKind, Expr, ImportDesc, Instr, Module, Names, SectionId,
    SectionInfo,
};
use wtool_print::{InstrPrinter, PrintOptions};

const EXAMPLES: &str = "\
Examples:
  wtool objdump -h app.wasm                     section headers: offsets, sizes, counts
  wtool objdump -x app.wasm                     every type, import, function, export, segment
  wtool objdump -d -j code app.wasm             disassembly with offsets and bytes
  wtool objdump -s -j producers app.wasm        raw bytes of one section";

/// Arguments of `wtool objdump`.
#[derive(clap::Args, Debug)]
// `-h` is --headers, as in wasm-objdump; help is `--help` only.
#[command(after_help = EXAMPLES, disable_help_flag = true)]
pub struct Args {
    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Binary modules to describe; `-` reads stdin
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Section headers: id, offsets, size, entry count (the default)
    #[arg(short = 'h', long = "headers")]
    headers: bool,
    /// Details: every entry of every section, with names
    #[arg(short = 'x', long = "details")]
    details: bool,
    /// Disassemble function bodies, with file offsets and bytes
    #[arg(short = 'd', long = "disassemble")]
    disassemble: bool,
    /// Raw contents of the sections, as a hex dump
    #[arg(short = 's', long = "full-contents")]
    full_contents: bool,
    /// Only this section (`code`, `Data`, or a custom section's name)
    #[arg(short = 'j', long = "section", value_name = "SECTION")]
    section: Option<String>,
    /// In disassembly, offsets from the code section's start instead of the file's
    #[arg(long)]
    section_offsets: bool,
    /// Accepted, no effect: wtool prints no debug log (wasm-objdump --debug)
    #[arg(long, hide = true)]
    debug: bool,
    /// Relocations: wtool reads no relocation sections, so there are none to show
    #[arg(short = 'r', long = "reloc", hide = true)]
    reloc: bool,
    #[command(flatten)]
    output: OutputArg,
}

/// Hidden flags `wasm-objdump --help` shows.
pub fn anchor_flags() -> Vec<String> {
    vec!["debug".into(), "reloc".into()]
}

/// Describes every file; a file that fails is reported and the rest go on.
pub fn run(args: Args) -> Result<(), CliError> {
    let mut text = String::new();
    let mut failed = false;
    for file in &args.files {
        let input = InputArg {
            input: file.clone(),
        };
        let result = input.read().and_then(|input| {
            input.require_binary()?;
            let module = wtool_binary::decode_with_features(&input.bytes, wtool_ast::Features::ALL)
                .map_err(|e| input.decode_error(e))?;
            Ok(describe(&args, &input.name, &input.bytes, &module))
        });
        match result {
            Ok(t) => text.push_str(&t),
            Err(e) => {
                let _ = diag::report(&e);
                failed = true;
            }
        }
    }
    args.output
        .write_with(OutputKind::Text, |out| out.write_all(text.as_bytes()))?;
    if failed {
        Err(CliError::Reported)
    } else {
        Ok(())
    }
}

/// wabt's section names: `Type`, `Import`, …, `Custom`.
fn section_name(id: u8) -> &'static str {
    match SectionId::from_u8(id) {
        Some(SectionId::Custom) => "Custom",
        Some(SectionId::Type) => "Type",
        Some(SectionId::Import) => "Import",
        Some(SectionId::Function) => "Function",
        Some(SectionId::Table) => "Table",
        Some(SectionId::Memory) => "Memory",
        Some(SectionId::Global) => "Global",
        Some(SectionId::Export) => "Export",
        Some(SectionId::Start) => "Start",
        Some(SectionId::Element) => "Elem",
        Some(SectionId::Code) => "Code",
        Some(SectionId::Data) => "Data",
        Some(SectionId::DataCount) => "DataCount",
        Some(SectionId::Tag) => "Tag",
        None => "Unknown",
    }
}

/// Each section with its custom name (customs are decoded in order).
fn sections(m: &Module) -> Vec<(&SectionInfo, Option<&str>)> {
    let mut customs = m.customs.iter();
    m.sections
        .iter()
        .map(|s| {
            let name = (s.id == 0)
                .then(|| customs.next().map(|c| c.name.as_str()))
                .flatten();
            (s, name)
        })
        .collect()
}

/// The entry count of a section, as its header says.
fn count(m: &Module, id: u8) -> Option<usize> {
    Some(match SectionId::from_u8(id)? {
        SectionId::Type => m.types.len(),
        SectionId::Import => m.imports.len(),
        SectionId::Function | SectionId::Code => m.funcs.len(),
        SectionId::Table => m.tables.len(),
        SectionId::Memory => m.memories.len(),
        SectionId::Global => m.globals.len(),
        SectionId::Export => m.exports.len(),
        SectionId::Element => m.elems.len(),
        SectionId::Data => m.datas.len(),
        SectionId::DataCount => m.data_count.unwrap_or(0) as usize,
        SectionId::Tag => m.tags.len(),
        SectionId::Start | SectionId::Custom => return None,
    })
}

fn describe(args: &Args, file: &str, bytes: &[u8], m: &Module) -> String {
    let none = !(args.headers || args.details || args.disassemble || args.full_contents);
    let wanted = |id: u8, name: Option<&str>| match &args.section {
        None => true,
        Some(j) => {
            j.eq_ignore_ascii_case(section_name(id))
                || SectionId::from_u8(id).is_some_and(|s| j.eq_ignore_ascii_case(s.name()))
                || name == Some(j.as_str())
        }
    };
    let secs: Vec<(&SectionInfo, Option<&str>)> = sections(m)
        .into_iter()
        .filter(|(s, n)| wanted(s.id, *n))
        .collect();
    let mut out = String::new();
    // The file's own name, without its directory, as wasm-objdump shows it.
    let base = std::path::Path::new(file)
        .file_name()
        .map_or(file.into(), |n| n.to_string_lossy());
    let _ = writeln!(out, "\n{base}:\tfile format wasm 0x1");
    // wabt names the module under the header whatever is listed.
    if let Some(name) = m.names.as_ref().and_then(|n| n.module.as_ref()) {
        let _ = writeln!(out, "module name: <{name}>");
    }
    if args.headers || none {
        out.push_str("\nSections:\n\n");
        for (s, name) in &secs {
            let _ = write!(
                out,
                "{:>9} start={:#010x} end={:#010x} (size={:#010x})",
                section_name(s.id),
                s.payload_offset,
                s.payload_offset + s.size,
                s.size
            );
            match (count(m, s.id), name, SectionId::from_u8(s.id)) {
                (_, Some(n), _) => {
                    let _ = write!(out, " {n:?}");
                }
                (_, _, Some(SectionId::Start)) => {
                    let _ = write!(out, " start: {}", m.start.unwrap_or(0));
                }
                (Some(c), _, _) => {
                    let _ = write!(out, " count: {c}");
                }
                _ => {}
            }
            out.push('\n');
        }
    }
    if args.details {
        out.push_str("\nSection Details:\n\n");
        for (s, name) in &secs {
            details(&mut out, m, s.id, *name);
        }
    }
    if args.disassemble && secs.iter().any(|(s, _)| s.id == SectionId::Code as u8) {
        out.push_str("\nCode Disassembly:\n\n");
        let base = if args.section_offsets {
            secs.iter()
                .find(|(s, _)| s.id == SectionId::Code as u8)
                .map_or(0, |(s, _)| s.payload_offset)
        } else {
            0
        };
        disassemble(&mut out, m, bytes, base);
    }
    if args.full_contents {
        for (s, name) in &secs {
            let title = name.unwrap_or(section_name(s.id));
            let _ = writeln!(out, "\nContents of section {title}:");
            let (a, b) = (s.payload_offset as usize, (s.payload_offset + s.size) as usize);
            out.push_str(&hexdump(&bytes[a..b], a));
        }
    }
    out
}

/// A function's name: from the name section, else its first export's (as wabt does).
fn func_name(m: &Module, f: u32) -> Option<&str> {
    m.names
        .as_ref()
        .and_then(|n| Names::lookup(&n.funcs, f))
        .or_else(|| {
            m.exports
                .iter()
                .find(|e| e.kind == ExternKind::Func && e.index == f)
                .map(|e| e.name.as_str())
        })
}

/// ` <name>` when the function has one.
fn name_note(m: &Module, f: u32) -> String {
    func_name(m, f).map_or(String::new(), |n| format!(" <{n}>"))
}

fn limits(l: &wtool_ast::Limits) -> String {
    match l.max {
        Some(max) => format!("initial={} max={max}", l.min),
        None => format!("initial={}", l.min),
    }
}

/// A value type as wabt names it: the nullable abstract references by
/// their shorthand (`exnref`, as `funcref` and `externref`).
fn val_type(t: wtool_ast::ValType) -> String {
    match t {
        wtool_ast::ValType::Ref(wtool_ast::RefType {
            nullable: true,
            heap: wtool_ast::HeapType::Exn,
        }) => "exnref".to_string(),
        t => t.to_string(),
    }
}

/// A memory's limits with wabt's flags after them: ` shared`, ` i64`.
fn memory_limits(mt: &wtool_ast::MemoryType) -> String {
    let mut s = limits(&mt.limits);
    if mt.shared {
        s.push_str(" shared");
    }
    if mt.index64 {
        s.push_str(" i64");
    }
    s
}

/// `i32=1024`, `global=0`, … for a constant expression (its first instruction).
fn init(e: &Expr) -> String {
    match e.instrs.first() {
        Some(Instr::I32Const(v)) => format!("i32={v}"),
        Some(Instr::I64Const(v)) => format!("i64={v}"),
        Some(Instr::GlobalGet(g)) => format!("global={g}"),
        Some(Instr::RefFunc(f)) => format!("ref.func={f}"),
        Some(Instr::RefNull(_)) => "ref.null".into(),
        Some(i) => i.mnemonic().to_string(),
        None => "nothing".into(),
    }
}

fn details(out: &mut String, m: &Module, id: u8, name: Option<&str>) {
    let Some(sid) = SectionId::from_u8(id) else {
        return;
    };
    let header = match (sid, count(m, id)) {
        (SectionId::Custom, _) | (SectionId::Start, _) => format!("{}:", section_name(id)),
        (_, Some(c)) => format!("{}[{c}]:", section_name(id)),
        _ => format!("{}:", section_name(id)),
    };
    out.push_str(&header);
    out.push('\n');
    // ` - entry`, and `  - detail` under it (depth 1), as wasm-objdump indents.
    let mut line = |depth: usize, s: String| {
        out.push_str(if depth == 0 { " - " } else { "  - " });
        out.push_str(&s);
        out.push('\n');
    };
    let imported = |k: ExternKind| m.num_imported(k);
    match sid {
        SectionId::Type => {
            for (i, t) in m.types.iter().enumerate() {
                let Some(f) = t.as_func() else {
                    let kind = match t.composite {
                        wtool_ast::CompositeType::Struct(_) => "struct",
                        _ => "array",
                    };
                    line(0, format!("type[{i}] {kind}"));
                    continue;
                };
                let list = |ts: &[wtool_ast::ValType]| {
                    ts.iter().map(|&t| val_type(t)).collect::<Vec<_>>().join(", ")
                };
                let results = match f.results.len() {
                    0 => "nil".to_string(),
                    1 => list(&f.results),
                    _ => format!("({})", list(&f.results)),
                };
                line(0, format!("type[{i}] ({}) -> {results}", list(&f.params)));
            }
        }
        SectionId::Import => {
            let mut n = [0u32; 5];
            for imp in &m.imports {
                let k = imp.desc.kind() as usize;
                let idx = n[k];
                n[k] += 1;
                let from = format!("<- {}.{}", imp.module, imp.name);
                line(0, match &imp.desc {
                    ImportDesc::Func(t) => {
                        format!("func[{idx}] sig={t}{} {from}", name_note(m, idx))
                    }
                    ImportDesc::Table(t) => {
                        format!("table[{idx}] type={} {} {from}", t.elem, limits(&t.limits))
                    }
                    ImportDesc::Memory(mt) => {
                        format!("memory[{idx}] pages: {} {from}", memory_limits(mt))
                    }
                    ImportDesc::Global(g) => {
                        format!("global[{idx}] {} mutable={} {from}", g.ty, u8::from(g.mutable))
                    }
                    ImportDesc::Tag(t) => format!("tag[{idx}] sig={t} {from}"),
                });
            }
        }
        SectionId::Function => {
            let base = imported(ExternKind::Func);
            for (i, f) in m.funcs.iter().enumerate() {
                let idx = base + i as u32;
                line(0, format!("func[{idx}] sig={}{}", f.type_idx, name_note(m, idx)));
            }
        }
        SectionId::Table => {
            let base = imported(ExternKind::Table);
            for (i, t) in m.tables.iter().enumerate() {
                line(0, format!(
                    "table[{}] type={} {}",
                    base + i as u32,
                    t.ty.elem,
                    limits(&t.ty.limits)
                ));
            }
        }
        SectionId::Memory => {
            let base = imported(ExternKind::Memory);
            for (i, mt) in m.memories.iter().enumerate() {
                line(0, format!("memory[{}] pages: {}", base + i as u32, memory_limits(mt)));
            }
        }
        SectionId::Tag => {
            let base = imported(ExternKind::Tag);
            for (i, t) in m.tags.iter().enumerate() {
                line(0, format!("tag[{}] sig={}", base + i as u32, t.type_idx));
            }
        }
        SectionId::Global => {
            let base = imported(ExternKind::Global);
            for (i, g) in m.globals.iter().enumerate() {
                let idx = base + i as u32;
                let name = m
                    .names
                    .as_ref()
                    .and_then(|n| Names::lookup(&n.globals, idx))
                    .map_or(String::new(), |n| format!(" <{n}>"));
                line(0, format!(
                    "global[{idx}] {} mutable={}{name} - init {}",
                    g.ty.ty,
                    u8::from(g.ty.mutable),
                    init(&g.init)
                ));
            }
        }
        SectionId::Export => {
            for e in &m.exports {
                let note = if e.kind == ExternKind::Func {
                    name_note(m, e.index)
                } else {
                    String::new()
                };
                line(0, format!(
                    "{}[{}]{note} -> {:?}",
                    e.kind.keyword(),
                    e.index,
                    e.name
                ));
            }
        }
        SectionId::Start => line(0, format!(
            "start function: {}{}",
            m.start.unwrap_or(0),
            name_note(m, m.start.unwrap_or(0))
        )),
        SectionId::Element => {
            for (i, e) in m.elems.iter().enumerate() {
                let exprs = u8::from(matches!(e.items, ElemItems::Exprs(_))) * 4;
                let (flags, mode, at, first) = match &e.mode {
                    ElemMode::Active { table, offset } => {
                        let first = match offset.instrs.first() {
                            Some(Instr::I32Const(v)) => i64::from(*v as u32),
                            _ => 0,
                        };
                        let flags = if e.explicit_index { 2 } else { 0 };
                        (flags, format!(" table={table}"), format!(" - init {}", init(offset)), first)
                    }
                    ElemMode::Passive => (1, " passive".into(), String::new(), 0),
                    ElemMode::Declarative => (3, " declarative".into(), String::new(), 0),
                };
                let items: Vec<String> = match &e.items {
                    ElemItems::Funcs(fs) => fs
                        .iter()
                        .map(|&f| format!("ref.func:{f}{}", name_note(m, f)))
                        .collect(),
                    ElemItems::Exprs(es) => es.iter().map(init).collect(),
                };
                line(0, format!(
                    "segment[{i}] flags={}{mode} count={}{at}",
                    flags | exprs,
                    items.len()
                ));
                for (k, it) in items.iter().enumerate() {
                    line(1, format!("elem[{}] = {it}", first + k as i64));
                }
            }
        }
        SectionId::DataCount => line(0, format!("data count: {}", m.data_count.unwrap_or(0))),
        SectionId::Code => {
            let base = imported(ExternKind::Func);
            for (i, f) in m.funcs.iter().enumerate() {
                let idx = base + i as u32;
                line(0, format!("func[{idx}] size={}{}", f.size, name_note(m, idx)));
            }
        }
        SectionId::Data => {
            for (i, d) in m.datas.iter().enumerate() {
                let name = m
                    .names
                    .as_ref()
                    .and_then(|n| Names::lookup(&n.datas, i as u32))
                    .map_or(String::new(), |n| format!(" <{n}>"));
                let (mode, at) = match &d.mode {
                    DataMode::Active { memory, offset } => {
                        (format!("memory={memory}"), format!(" - init {}", init(offset)))
                    }
                    DataMode::Passive => ("passive".into(), String::new()),
                };
                line(0, format!("segment[{i}]{name} {mode} size={}{at}", d.data.len()));
                // Addresses where the bytes land, when the offset is a constant.
                let base = match &d.mode {
                    DataMode::Active { offset, .. } => match offset.instrs.first() {
                        Some(Instr::I32Const(v)) => *v as u32 as usize,
                        Some(Instr::I64Const(v)) => *v as usize,
                        _ => 0,
                    },
                    DataMode::Passive => 0,
                };
                for l in hexdump(&d.data, base).lines() {
                    line(1, l.to_string());
                }
            }
        }
        SectionId::Custom => {
            line(0, format!("name: {:?}", name.unwrap_or("")));
            if let (Some("name"), Some(n)) = (name, m.names.as_ref()) {
                if let Some(module) = &n.module {
                    line(0, format!("module <{module}>"));
                }
                // Subsection order (by id), as wabt lists them: functions,
                // locals, then the other spaces.
                for (i, s) in &n.funcs {
                    line(0, format!("func[{i}] <{s}>"));
                }
                for (f, map) in &n.locals {
                    for (i, s) in map {
                        line(0, format!("func[{f}] local[{i}] <{s}>"));
                    }
                }
                for (kind, map) in [
                    ("type", &n.types),
                    ("table", &n.tables),
                    ("memory", &n.memories),
                    ("global", &n.globals),
                    ("elemseg", &n.elems),
                    ("dataseg", &n.datas),
                    ("tag", &n.tags),
                ] {
                    for (i, s) in map {
                        line(0, format!("{kind}[{i}] <{s}>"));
                    }
                }
            }
            if name == Some("target_features") {
                for f in target_features(m) {
                    line(1, f);
                }
            }
        }
    }
}

/// The entries of a `target_features` section: `[+] mutable-globals`.
fn target_features(m: &Module) -> Vec<String> {
    let Some(c) = m.customs.iter().find(|c| c.name == "target_features") else {
        return Vec::new();
    };
    let mut r = wtool_binary::reader::Reader::new(&c.data);
    let mut out = Vec::new();
    let Ok((n, _)) = r.count() else {
        return out;
    };
    for _ in 0..n {
        let (Ok(prefix), Ok(name)) = (r.u8(), r.name()) else {
            break;
        };
        out.push(format!("[{}] {name}", prefix as char));
    }
    out
}

/// `-d`: every body, one instruction per line, nested blocks indented.
fn disassemble(out: &mut String, m: &Module, bytes: &[u8], base: u32) {
    let mut p = InstrPrinter::new(
        m,
        &PrintOptions {
            names: false,
            ..PrintOptions::default()
        },
    );
    let first = m.num_imported(ExternKind::Func);
    for (i, f) in m.funcs.iter().enumerate() {
        let idx = first + i as u32;
        p.enter_func(idx);
        let body_start = f.offset + leb_len(f.size);
        let body_end = (body_start + f.size) as usize;
        let _ = writeln!(out, "{:06x} func[{idx}]{}:", body_start - base, name_note(m, idx));
        let offsets = &f.body.offsets;
        let mut local = m
            .func_type(f.type_idx)
            .map_or(0, |t| t.params.len() as u64);
        // The local declarations: a count, then (count, type) groups.
        let locals_end = offsets.first().map_or(body_end, |&o| o as usize);
        let mut at = body_start as usize + leb_len(f.locals.len() as u32) as usize;
        for g in &f.locals {
            let end = local_group_end(bytes, at).min(locals_end);
            let code = bytes.get(at..end).unwrap_or(&[]);
            let range = if g.count == 1 {
                format!("{local}")
            } else {
                format!("{local}..{}", local + u64::from(g.count) - 1)
            };
            let hex: Vec<String> = code.iter().take(9).map(|b| format!("{b:02x}")).collect();
            let _ = writeln!(
                out,
                " {:06x}: {:<26} | local[{range}] type={}",
                at as u32 - base,
                hex.join(" "),
                g.ty
            );
            local += u64::from(g.count);
            at = end;
        }
        let mut depth = 0usize;
        for (k, ins) in f.body.instrs.iter().enumerate() {
            let Some(&at) = offsets.get(k) else { break };
            let next = offsets.get(k + 1).map_or(body_end, |&n| n as usize);
            let code = bytes.get(at as usize..next).unwrap_or(&[]);
            if matches!(ins, Instr::End | Instr::Else) {
                depth = depth.saturating_sub(1);
            }
            let mut hex: Vec<String> = code.iter().take(9).map(|b| format!("{b:02x}")).collect();
            if code.len() > 9 {
                hex.push("…".into());
            }
            let note = match ins {
                Instr::Call(t) | Instr::RefFunc(t) => name_note(m, *t),
                Instr::GlobalGet(g) | Instr::GlobalSet(g) => m
                    .names
                    .as_ref()
                    .and_then(|n| Names::lookup(&n.globals, *g))
                    .map_or(String::new(), |n| format!(" <{n}>")),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                " {:06x}: {:<26} | {}{}{note}",
                at - base,
                hex.join(" "),
                "  ".repeat(depth.min(32)),
                p.instr(ins)
            );
            if matches!(ins, Instr::Block(_) | Instr::Loop(_) | Instr::If(_) | Instr::Else) {
                depth += 1;
            }
        }
    }
}

/// Where the local group starting at `at` ends: a LEB128 count, then a
/// value type (one byte, or `ref`/`ref null` and a LEB128 heap type).
fn local_group_end(bytes: &[u8], at: usize) -> usize {
    let leb_end = |mut p: usize| {
        while bytes.get(p).is_some_and(|b| b & 0x80 != 0) {
            p += 1;
        }
        p + 1
    };
    let ty = leb_end(at);
    match bytes.get(ty) {
        Some(0x63 | 0x64) => leb_end(ty + 1),
        _ => ty + 1,
    }
}

/// Bytes an unsigned LEB128 of `v` takes.
fn leb_len(v: u32) -> u32 {
    (32 - v.leading_zeros()).max(1).div_ceil(7)
}

/// xxd-style lines: offset, 16 bytes in pairs, and the printable ASCII.
pub fn hexdump(bytes: &[u8], base: usize) -> String {
    let mut s = String::new();
    for (k, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(s, "{:07x}:", base + 16 * k);
        for pair in 0..8 {
            s.push(' ');
            for j in 2 * pair..2 * pair + 2 {
                match chunk.get(j) {
                    Some(b) => {
                        let _ = write!(s, "{b:02x}");
                    }
                    None => s.push_str("  "),
                }
            }
        }
        s.push_str("  ");
        s.extend(chunk.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        s.push('\n');
    }
    s
}

/// `wat2wasm -v`: the header, then each section's bytes under its name.
pub fn sections_hex(bytes: &[u8]) -> String {
    let mut s = String::from("; header\n");
    s.push_str(&hexdump(&bytes[..8.min(bytes.len())], 0));
    let sections = wtool_binary::read_sections(bytes).unwrap_or_default();
    for (info, name) in &sections {
        let title = match name {
            Some(n) => format!("; section \"{n}\" (custom)"),
            None => format!("; section \"{}\" ({})", section_name(info.id), info.id),
        };
        s.push_str(&title);
        s.push('\n');
        let (a, b) = (info.offset as usize, (info.payload_offset + info.size) as usize);
        s.push_str(&hexdump(bytes.get(a..b).unwrap_or(&[]), a));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hexdump_layout() {
        let d = hexdump(b"\0asm\x01\0\0\0\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f", 0);
        assert_eq!(
            d,
            "0000000: 0061 736d 0100 0000 0107 0160 027f 7f01  .asm.......`....\n\
             0000010: 7f                                       .\n"
        );
        assert_eq!(leb_len(0), 1);
        assert_eq!(leb_len(127), 1);
        assert_eq!(leb_len(128), 2);
        assert_eq!(leb_len(u32::MAX), 5);
    }
}

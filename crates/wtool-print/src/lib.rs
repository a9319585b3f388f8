//! Prints a [`wtool_ast::Module`] in the WebAssembly text format.
//!
//! ```text
//! print(&module, &PrintOptions::default())          // flat, names, customs
//! print(&module, &PrintOptions { fold: true, .. })  // folded S-expressions
//! print_to(&module, &opts, &mut fmt_writer)          // streamed in 64 KiB chunks
//! print_to_io(&module, &opts, &mut io_writer)
//! ```
//!
//! **Layout.** Two spaces per nesting level (capped at 64 levels so hostile
//! nesting cannot make the output quadratic); every module item carries an
//! index comment `(;N;)` like `wasmprinter` prints; locals go on their own
//! line, one `(local …)` per group of the binary, so the grouping survives.
//! Branches print label depths (always correct, even with shadowed names),
//! followed by a `(;$label;)` comment when the target has a name.
//! A function declaring over 2^20 locals (a few bytes of binary can declare
//! 2^32; no engine accepts more than tens of thousands) gets them summarised
//! in a comment rather than gigabytes of text.
//!
//! **Folding.** `(op a b)` is just another spelling of `a b op`, so the folded
//! tree is built with an explicit stack by giving each instruction, as
//! children, the immediately preceding entries whose results exactly cover
//! its operands (arities from [`wtool_ast::Op::info`], the module's types and
//! the enclosing labels). Where an arity is unknown (out-of-range index,
//! invalid module) the instruction takes no children; the instruction order
//! is the input order in every case.
//!
//! **Names** ([`PrintOptions::names`]) come from the name section, for
//! functions, locals, labels, types, tables, memories, globals, element and
//! data segments and tags, and become identifiers as follows, per index
//! space:
//! - a non-empty name not yet taken in its space is the identifier itself:
//!   `$name`, or the quoted form `$"…"` when it holds characters an
//!   identifier cannot (spaces, quotes, parentheses, non-ASCII, …);
//! - a repeated or empty name gets a generated identifier
//!   `$#func3<name>` (kind, index, name; quoted when needed; `_N` appended
//!   should even that be taken) followed by `(@name "name")`, so identifiers
//!   are unique and the name section still reads `name`;
//! - names of indices outside the index space are dropped (text cannot hold
//!   them); label names are only escaped (labels may shadow in text).
//!
//! The identifiers regenerate the name section when the text is parsed.
//! Text tools place that section after all other custom sections, so when
//! the module's name section is followed by another custom section it is
//! kept as an `(@custom "name" …)` annotation in its place instead. Without
//! names the section is always printed as such an annotation (re-encoded
//! from [`wtool_ast::Names`] when the decoder kept no raw bytes).
//!
//! **Constants** print exactly: floats as the shortest decimal that parses
//! back to the same bits (signed zeros and subnormals included), `inf`,
//! `nan` and `nan:0x…` for every other payload; integers as signed decimal;
//! `v128.const i32x4 0x… 0x… 0x… 0x…`; memargs show `offset=`/`align=` only
//! when not the default.
//!
//! **Custom sections** become `(@custom "name" (before|after …) "bytes")`
//! with their placement, so print → parse is lossless;
//! [`PrintOptions::skip_custom`] drops them.
//!
//! The printer never fails and never panics on a module that decoded but does
//! not validate: out-of-range indices print as plain numbers and nesting is
//! walked with explicit stacks, never native recursion.

mod code;
mod func;
mod generated;
mod imm;
mod items;
pub use items::{producers, ProducersField};
mod names;
mod num;
mod parallel;

use std::fmt;
use std::io;

use wtool_ast::{Expr, ExternKind, Module, NameMap, Names};
use wtool_binary::{BodyReader, DecodeError, ErrorKind, LazyParts};

use crate::names::{Ident, Space};

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintOptions {
    /// Folded S-expressions instead of flat instructions.
    pub fold: bool,
    /// Use the name section for identifiers (`--no-names` clears this).
    pub names: bool,
    /// Leave custom sections out (`--skip-custom`).
    pub skip_custom: bool,
    /// Mark each unnamed block with `;; label = @N` (its nesting depth) and
    /// each branch to it with `(;@N;)`, as wasm2wat and wasm-tools print.
    pub label_comments: bool,
    /// Write exports inline in the definitions they export:
    /// `(func $f (export "f") …)` (wasm2wat's `--inline-exports`).
    pub inline_exports: bool,
    /// Write imports inline: `(func $f (import "m" "f") …)` (`--inline-imports`).
    pub inline_imports: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            fold: false,
            names: true,
            skip_custom: false,
            label_comments: false,
            inline_exports: false,
            inline_imports: false,
        }
    }
}

/// Prints `module` as a `.wat` text.
pub fn print(module: &Module, opts: &PrintOptions) -> String {
    let mut p = Printer::new(module, opts, None);
    // A printed instruction takes about a dozen bytes; reserving up front
    // saves the copies of repeated doubling on big modules.
    let instrs: usize = module.funcs.iter().map(|f| f.body.instrs.len()).sum();
    let data: usize = module.datas.iter().map(|d| d.data.len()).sum();
    p.out.reserve(
        instrs
            .saturating_mul(if opts.fold { 20 } else { 14 })
            .saturating_add(data.saturating_mul(2)),
    );
    p.module();
    p.out
}

/// Prints `module` as it appears nested in a component: opened by `header`
/// (e.g. `(core module (;0;)`) instead of `(module $name`, every line
/// indented `depth` levels more, and without the final newline.
pub fn print_nested(module: &Module, opts: &PrintOptions, header: &str, depth: usize) -> String {
    let ids = Ids::build_flavored(module, opts, module.datas.len(), true);
    let mut p = Printer::with_ids(module, opts, None, std::sync::Arc::new(ids));
    p.nested = Some((header, depth));
    p.module();
    let mut out = p.out;
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Streams [`print_nested`]'s text into `sink` in chunks (the same text,
/// final newline dropped), so a component's big module never sits in memory
/// as one string. Returns how many newlines were written, or `None` once
/// `sink` has refused a chunk (it is not called again).
pub fn print_nested_to(
    module: &Module,
    opts: &PrintOptions,
    header: &str,
    depth: usize,
    sink: &mut dyn FnMut(&str) -> bool,
) -> Option<usize> {
    // Without an input to read from, every body is in the module.
    print_nested_parts_to(module, None, opts, header, depth, sink).unwrap_or(None)
}

/// [`print_nested_to`] for a module decoded by
/// [`wtool_binary::decode_lazy_parts`] from `input`: bodies, data segments
/// and custom sections are read from the input as they are printed. A body
/// that does not decode stops the text there with its error (offsets in
/// `input.bytes`).
pub fn print_nested_parts_to(
    module: &Module,
    input: Option<&LazyInput<'_>>,
    opts: &PrintOptions,
    header: &str,
    depth: usize,
    sink: &mut dyn FnMut(&str) -> bool,
) -> Result<Option<usize>, DecodeError> {
    // A chunk's last newline is held back until more text follows: the
    // module's text ends with one that the nested form drops.
    let mut held = false;
    let mut lines = 0usize;
    let mut ok = true;
    let mut forward = |s: &str| {
        if s.is_empty() {
            return true;
        }
        lines += s.bytes().filter(|&b| b == b'\n').count();
        if held && !sink("\n") {
            ok = false;
            return false;
        }
        let (body, tail) = match s.strip_suffix('\n') {
            Some(b) => (b, true),
            None => (s, false),
        };
        held = tail;
        if !body.is_empty() && !sink(body) {
            ok = false;
            return false;
        }
        true
    };
    let num_datas = input.map_or(module.datas.len(), |l| l.parts.num_datas(module));
    let has_data_count = module.data_count.is_some();
    let bodies = |i: u32, expr: &mut Expr| match input {
        Some(input) => input.read_body(i, has_data_count, expr),
        None => Ok(()),
    };
    let ids = Ids::build_flavored(module, opts, num_datas, true);
    let mut p = Printer::with_ids(module, opts, Some(&mut forward), std::sync::Arc::new(ids));
    p.nested = Some((header, depth));
    p.parts = input.copied();
    if input.is_some() {
        p.bodies = Some(&bodies);
    }
    p.module();
    if let Some(e) = p.body_error.take() {
        return Err(e);
    }
    p.flush();
    let failed = p.failed;
    drop(p);
    // The held newline is the final one the nested form drops.
    Ok((ok && !failed).then(|| lines - usize::from(held)))
}

/// Streams the printed text of `module` into a `fmt::Write` in chunks, so
/// a big module never needs its whole text in memory at once.
pub fn print_to<W: fmt::Write + ?Sized>(
    module: &Module,
    opts: &PrintOptions,
    w: &mut W,
) -> fmt::Result {
    let mut sink = |s: &str| w.write_str(s).is_ok();
    let mut p = Printer::new(module, opts, Some(&mut sink));
    p.module();
    p.flush();
    if p.failed {
        Err(fmt::Error)
    } else {
        Ok(())
    }
}

/// Streams the printed text of `module` into an `io::Write` in chunks.
pub fn print_to_io<W: io::Write + ?Sized>(
    module: &Module,
    opts: &PrintOptions,
    w: &mut W,
) -> io::Result<()> {
    match stream_io(module, Lazy::default(), opts, 1, w) {
        Ok(()) => Ok(()),
        Err(PrintError::Io(e)) => Err(e),
        // Without a body source every body is in the module.
        Err(PrintError::Decode(e)) => Err(io::Error::other(e)),
    }
}

/// Decodes defined function `i`'s body into the expression given (see
/// [`print_lazy_to_io`]).
pub type BodySource<'a> = dyn Fn(u32, &mut Expr) -> Result<(), DecodeError> + Sync + 'a;

/// Why printing a lazily decoded module stopped.
#[derive(Debug)]
pub enum PrintError {
    /// A function body did not decode.
    Decode(DecodeError),
    /// The output could not be written.
    Io(io::Error),
}

impl fmt::Display for PrintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrintError::Decode(e) => e.fmt(f),
            PrintError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PrintError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PrintError::Decode(e) => Some(e),
            PrintError::Io(e) => Some(e),
        }
    }
}

/// Streams the text of a module decoded without its function bodies
/// ([`wtool_binary::decode_lazy`]): `bodies(i, e)` decodes defined function
/// `i`'s body into `e`, which is printed before the next one replaces it,
/// so memory holds one body at a time whatever the module's size. A body
/// that does not decode stops the output there with its error. With
/// `threads` > 1 functions are printed in parallel, in windows written in
/// order: the output is the same bytes as with one thread.
pub fn print_lazy_to_io<W: io::Write + ?Sized>(
    module: &Module,
    bodies: &BodySource<'_>,
    opts: &PrintOptions,
    threads: usize,
    w: &mut W,
) -> Result<(), PrintError> {
    let lazy = Lazy {
        bodies: Some(bodies),
        ..Lazy::default()
    };
    stream_io(module, lazy, opts, threads, w)
}

/// A module's bytes and what [`wtool_binary::decode_lazy_parts`] left in
/// them (see [`print_parts_to_io`]).
#[derive(Clone, Copy, Debug)]
pub struct LazyInput<'a> {
    /// The whole binary.
    pub bytes: &'a [u8],
    /// Where its bodies, data segments, custom sections and (when left
    /// there) exports are.
    pub parts: &'a LazyParts,
    /// The features it was decoded with.
    pub features: wtool_ast::Features,
}

/// Names made for each function as it is printed rather than all up front
/// (wasm2wat's `--generate-names` on a streamed module): the printer asks
/// for the function's map, given the one in the name section, and uses
/// the answer as if the name section had held it (`None`: the given one).
pub trait FuncNamer: Sync {
    /// The names of function `func`'s parameters and locals (imports too).
    fn locals(&self, func: u32, given: Option<&NameMap>) -> Option<NameMap>;
    /// The names of defined function `func`'s labels; `body` is its body.
    fn labels(&self, func: u32, body: &Expr, given: Option<&NameMap>) -> Option<NameMap>;
}

/// [`print_lazy_to_io`] for a module decoded by
/// [`wtool_binary::decode_lazy_parts`]: function bodies, data segments and
/// custom sections are read from the input as they are printed, so
/// nothing of them is copied; `namer` makes local and label names per
/// function.
pub fn print_parts_to_io<W: io::Write + ?Sized>(
    module: &Module,
    input: &LazyInput<'_>,
    opts: &PrintOptions,
    threads: usize,
    namer: Option<&dyn FuncNamer>,
    w: &mut W,
) -> Result<(), PrintError> {
    let has_data_count = module.data_count.is_some();
    let bodies = |i: u32, expr: &mut Expr| input.read_body(i, has_data_count, expr);
    let lazy = Lazy {
        bodies: Some(&bodies),
        parts: Some(*input),
        namer,
    };
    stream_io(module, lazy, opts, threads, w)
}

impl LazyInput<'_> {
    /// Decodes defined function `i`'s instructions from the input into `expr`.
    fn read_body(&self, i: u32, has_data_count: bool, expr: &mut Expr) -> Result<(), DecodeError> {
        let range = self
            .parts
            .bodies
            .get(i as usize)
            .ok_or_else(|| DecodeError::new(self.bytes.len(), ErrorKind::UnexpectedEnd))?;
        BodyReader::new(self.bytes, range, self.features, has_data_count).read_instrs_into(expr)
    }
}

/// Where a streamed module's undecoded parts come from.
#[derive(Clone, Copy, Default)]
struct Lazy<'a> {
    bodies: Option<&'a BodySource<'a>>,
    parts: Option<LazyInput<'a>>,
    namer: Option<&'a dyn FuncNamer>,
}

/// The printer writing into `w`, with bodies from `bodies` where given.
fn stream_io<W: io::Write + ?Sized>(
    module: &Module,
    lazy: Lazy<'_>,
    opts: &PrintOptions,
    threads: usize,
    w: &mut W,
) -> Result<(), PrintError> {
    let mut err = None;
    let body_error = {
        let mut sink = |s: &str| match w.write_all(s.as_bytes()) {
            Ok(()) => true,
            Err(e) => {
                err = Some(e);
                false
            }
        };
        let num_datas = lazy.parts.map(|l| l.parts.num_datas(module));
        let ids = Ids::build_with(module, opts, num_datas.unwrap_or(module.datas.len()));
        let mut p = Printer::with_ids(module, opts, Some(&mut sink), std::sync::Arc::new(ids));
        p.bodies = lazy.bodies;
        p.parts = lazy.parts;
        p.namer = lazy.namer;
        p.threads = threads.max(1);
        p.module();
        if p.body_error.is_none() {
            p.flush();
        }
        p.body_error.take()
    };
    match (body_error, err) {
        (Some(e), _) => Err(PrintError::Decode(e)),
        (None, Some(e)) => Err(PrintError::Io(e)),
        (None, None) => Ok(()),
    }
}

/// One instruction's text with plain indices, as in a module without names
/// (`i32.const -5`, `global.get 0`, `ref.null func`).
pub fn instr_text(instr: &wtool_ast::Instr) -> String {
    let m = Module::default();
    let opts = PrintOptions {
        names: false,
        ..PrintOptions::default()
    };
    let mut p = Printer::new(&m, &opts, None);
    p.instr(instr, 0);
    p.out
}

/// The instructions of a constant expression on one line, its final `end`
/// left out, with plain indices.
pub fn expr_text(e: &wtool_ast::Expr) -> String {
    let instrs = match e.instrs.split_last() {
        Some((wtool_ast::Instr::End, rest)) => rest,
        _ => &e.instrs[..],
    };
    let mut out = String::new();
    for (i, instr) in instrs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&instr_text(instr));
    }
    out
}

/// An `f32` in text syntax that reads back to the same bits (`nan:0x…`
/// for every payload but the canonical one).
pub fn f32_text(bits: u32) -> String {
    let mut s = String::new();
    num::push_f32(&mut s, bits);
    s
}

/// An `f64` in text syntax that reads back to the same bits.
pub fn f64_text(bits: u64) -> String {
    let mut s = String::new();
    num::push_f64(&mut s, bits);
    s
}

/// Prints single instructions of one module, as they appear in its text
/// (for disassembly listings such as `wtool objdump -d`): identifiers come
/// from the name section when [`PrintOptions::names`] is set.
///
/// ```
/// let module = wtool_ast::Module::default();
/// let mut p = wtool_print::InstrPrinter::new(&module, &Default::default());
/// assert_eq!(p.instr(&wtool_ast::Instr::I32Const(7)), "i32.const 7");
/// ```
pub struct InstrPrinter<'m> {
    p: Printer<'m, 'static>,
}

impl<'m> InstrPrinter<'m> {
    /// A printer for the instructions of `module`.
    pub fn new(module: &'m Module, opts: &PrintOptions) -> Self {
        InstrPrinter {
            p: Printer::new(module, opts, None),
        }
    }

    /// Names locals and labels after function `func` (its index, imports
    /// first) for the instructions that follow.
    pub fn enter_func(&mut self, func: u32) {
        let params = self
            .p
            .func_type_idx(func)
            .and_then(|t| self.p.m.func_type(t))
            .map_or(0, |t| t.params.len() as u64);
        let locals = func
            .checked_sub(self.p.import_func_types.len() as u32)
            .and_then(|d| self.p.m.funcs.get(d as usize))
            .map_or(0, |f| f.num_locals());
        self.p.locals = self.p.func_locals(func, params + locals);
        self.p.labels = self.p.func_labels(func, None);
    }

    /// The text of one instruction: mnemonic and immediates, no comments.
    pub fn instr(&mut self, ins: &wtool_ast::Instr) -> &str {
        self.p.out.clear();
        self.p.label_stack.clear();
        self.p.line_comments = false;
        // Block labels are not named here: a listing shows one instruction
        // at a time, outside the nesting that numbers them.
        let labels = std::mem::take(&mut self.p.labels);
        self.p.instr(ins, u32::MAX);
        self.p.labels = labels;
        &self.p.out
    }
}

/// Flush threshold of the streaming variants.
const CHUNK: usize = 1 << 16;

/// Indentation stops growing here so that hostile nesting cannot make the
/// output quadratic in the input size.
const MAX_INDENT: usize = 64;
/// The indentation limit of modules nested in components (wasmprinter's).
const MAX_NESTED_INDENT: usize = 50;

/// Identifiers of every index space.
#[derive(Default)]
pub(crate) struct Ids {
    module: Option<Ident>,
    funcs: Space,
    types: Space,
    tables: Space,
    memories: Space,
    globals: Space,
    elems: Space,
    datas: Space,
    tags: Space,
    /// Function index → position in `Names::locals` / `Names::labels`.
    locals_at: std::collections::HashMap<u32, usize>,
    labels_at: std::collections::HashMap<u32, usize>,
}

impl Ids {
    /// The identifiers of `m`'s names (none unless `opts.names`).
    pub(crate) fn build(m: &Module, opts: &PrintOptions) -> Ids {
        Ids::build_with(m, opts, m.datas.len())
    }

    /// [`Ids::build`] for a module with `num_datas` data segments (they
    /// may have been left in the input).
    pub(crate) fn build_with(m: &Module, opts: &PrintOptions, num_datas: usize) -> Ids {
        Ids::build_flavored(m, opts, num_datas, false)
    }

    /// [`Ids::build_with`]; `wasmprinter` picks wasmprinter's identifier
    /// scheme (see [`Space::build_for`]).
    pub(crate) fn build_flavored(
        m: &Module,
        opts: &PrintOptions,
        num_datas: usize,
        wasmprinter: bool,
    ) -> Ids {
        let mut ids = Ids::default();
        let names = if opts.names { m.names.as_ref() } else { None };
        if let Some(n) = names {
            let count =
                |kind: ExternKind, defined: usize| u64::from(m.num_imported(kind)) + defined as u64;
            ids.module = n.module.as_ref().map(|name| {
                if name.is_empty() {
                    // `$""` is not an identifier: carry the empty name alone.
                    Ident {
                        text: "".into(),
                        annot: Some("(@name \"\")".into()),
                    }
                } else {
                    Ident {
                        text: names::ident_text(name).into(),
                        annot: None,
                    }
                }
            });
            ids.funcs = Space::build_for(
                &n.funcs,
                count(ExternKind::Func, m.funcs.len()),
                "func",
                wasmprinter,
            );
            ids.types = Space::build_for(&n.types, m.types.len() as u64, "type", wasmprinter);
            ids.tables = Space::build_for(
                &n.tables,
                count(ExternKind::Table, m.tables.len()),
                "table",
                wasmprinter,
            );
            ids.memories = Space::build_for(
                &n.memories,
                count(ExternKind::Memory, m.memories.len()),
                "memory",
                wasmprinter,
            );
            ids.globals = Space::build_for(
                &n.globals,
                count(ExternKind::Global, m.globals.len()),
                "global",
                wasmprinter,
            );
            ids.elems = Space::build_for(&n.elems, m.elems.len() as u64, "elem", wasmprinter);
            ids.datas = Space::build_for(&n.datas, num_datas as u64, "data", wasmprinter);
            ids.tags = Space::build_for(
                &n.tags,
                count(ExternKind::Tag, m.tags.len()),
                "tag",
                wasmprinter,
            );
            for (k, (f, _)) in n.locals.iter().enumerate() {
                ids.locals_at.entry(*f).or_insert(k);
            }
            for (k, (f, _)) in n.labels.iter().enumerate() {
                ids.labels_at.entry(*f).or_insert(k);
            }
        }
        ids
    }
}

/// The printer state: the module, the options, and the output buffer.
pub(crate) struct Printer<'m, 's> {
    pub(crate) m: &'m Module,
    pub(crate) opts: PrintOptions,
    pub(crate) out: String,
    sink: Option<&'s mut dyn FnMut(&str) -> bool>,
    failed: bool,
    /// Where function bodies come from when the module was decoded lazily
    /// (each decoded just before it is printed and dropped after).
    pub(crate) bodies: Option<&'s BodySource<'s>>,
    /// The input and where its data segments and custom sections are, when
    /// the lazy decoder left them there.
    pub(crate) parts: Option<LazyInput<'s>>,
    /// Makes local and label names per function (`--generate-names`).
    pub(crate) namer: Option<&'s dyn FuncNamer>,
    /// The body being printed, when they come from `bodies`.
    pub(crate) lazy_body: Expr,
    /// The first body that failed to decode (printing stops there).
    pub(crate) body_error: Option<DecodeError>,
    /// Threads printing function bodies (streaming output only).
    pub(crate) threads: usize,
    /// A parallel worker's limit on buffered text: past it the text is
    /// dropped and `spilled` set (the writer prints that window itself).
    pub(crate) cap: Option<usize>,
    pub(crate) spilled: bool,
    /// Shared by the parallel printers (for a big module they are big).
    pub(crate) ids: std::sync::Arc<Ids>,
    /// Field identifiers per struct type, built when first printed.
    pub(crate) fields: std::collections::HashMap<u32, Space>,
    pub(crate) names: Option<&'m Names>,
    /// Identifiers of the current function's locals and labels.
    pub(crate) locals: Space,
    pub(crate) labels: Space,
    pub(crate) scratch: code::Scratch,
    /// Label ordinals of the blocks enclosing the instruction being printed.
    pub(crate) label_stack: Vec<u32>,
    /// Type index of each imported function (call arities while folding).
    pub(crate) import_func_types: Vec<u32>,
    /// Whether the current instruction sequence prints one per line, so a
    /// `;; …` comment may end a line.
    pub(crate) line_comments: bool,
    /// Depth of a line that ends in a `;;` comment, which a closing
    /// parenthesis must not follow on the same line.
    pub(crate) open_line_comment: Option<usize>,
    /// Indentation of the line being written (where a closing parenthesis goes).
    pub(crate) comment_depth: usize,
    /// For `inline_exports`: export indices by (kind, index), and which
    /// were written inline already.
    pub(crate) exports_of: std::collections::HashMap<(ExternKind, u32), Vec<usize>>,
    pub(crate) inlined: Vec<bool>,
    /// Printing a module nested in a component: what opens it instead of
    /// `(module $name`, and how many levels every line is indented by.
    pub(crate) nested: Option<(&'s str, usize)>,
    /// Lines started by [`Printer::newline`] so far.
    pub(crate) newlines: usize,
}

impl<'m, 's> Printer<'m, 's> {
    fn new(
        m: &'m Module,
        opts: &PrintOptions,
        sink: Option<&'s mut dyn FnMut(&str) -> bool>,
    ) -> Self {
        let ids = Ids::build(m, opts);
        Self::with_ids(m, opts, sink, std::sync::Arc::new(ids))
    }

    /// A printer using identifiers built already (by [`Ids::build`] for
    /// the same module and options).
    pub(crate) fn with_ids(
        m: &'m Module,
        opts: &PrintOptions,
        sink: Option<&'s mut dyn FnMut(&str) -> bool>,
        ids: std::sync::Arc<Ids>,
    ) -> Self {
        let names = if opts.names { m.names.as_ref() } else { None };
        Printer {
            m,
            opts: *opts,
            out: String::with_capacity(if sink.is_some() {
                CHUNK + 4096
            } else {
                1 << 12
            }),
            sink,
            failed: false,
            bodies: None,
            parts: None,
            namer: None,
            lazy_body: Expr::default(),
            body_error: None,
            threads: 1,
            cap: None,
            spilled: false,
            ids,
            fields: Default::default(),
            names,
            locals: Space::default(),
            labels: Space::default(),
            scratch: code::Scratch::default(),
            label_stack: Vec::new(),
            import_func_types: m
                .imports
                .iter()
                .filter_map(|i| match i.desc {
                    wtool_ast::ImportDesc::Func(t) => Some(t),
                    _ => None,
                })
                .collect(),
            line_comments: false,
            open_line_comment: None,
            comment_depth: 0,
            exports_of: if opts.inline_exports {
                let mut map = std::collections::HashMap::<_, Vec<usize>>::new();
                for (k, e) in m.exports.iter().enumerate() {
                    map.entry((e.kind, e.index)).or_default().push(k);
                }
                map
            } else {
                Default::default()
            },
            inlined: vec![false; m.exports.len()],
            nested: None,
            newlines: 0,
        }
    }

    /// Hands the buffer to the sink once it is big enough (streaming only).
    #[inline]
    pub(crate) fn maybe_flush(&mut self) {
        if self.out.len() >= CHUNK {
            if self.sink.is_some() {
                self.flush();
            } else if self.cap.is_some_and(|cap| self.out.len() > cap) {
                self.spilled = true;
                self.out.clear();
            }
        }
    }

    /// Writes `text` after what is buffered without copying it into the
    /// buffer (streaming; otherwise it is appended).
    pub(crate) fn write_through(&mut self, text: &str) {
        if self.sink.is_none() {
            self.out.push_str(text);
            return;
        }
        self.flush();
        if let Some(sink) = self.sink.as_mut() {
            if !self.failed && !text.is_empty() && !sink(text) {
                self.failed = true;
            }
        }
    }

    /// Stops all further output (after an error).
    pub(crate) fn sink_off(&mut self) {
        self.failed = true;
        self.out.clear();
    }

    fn flush(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            if !self.failed && !self.out.is_empty() && !sink(&self.out) {
                self.failed = true;
            }
            self.out.clear();
        }
    }

    /// Starts a new line indented `depth` levels (2 spaces each).
    #[inline]
    pub(crate) fn newline(&mut self, depth: usize) {
        self.open_line_comment = None;
        self.newlines += 1;
        const SPACES: &str = "                                                                                                                                ";
        self.out.push('\n');
        let depth = depth + self.nested.map_or(0, |(_, base)| base);
        // wasmprinter stops indenting at 50 levels.
        let max = if self.nested.is_some() {
            MAX_NESTED_INDENT
        } else {
            MAX_INDENT
        };
        let n = depth.min(max) * 2;
        self.out.push_str(&SPACES[..n.min(SPACES.len())]);
    }

    /// Writes the identifier of `idx` in `space`, or the bare index.
    #[inline]
    pub(crate) fn push_ref(&mut self, space: fn(&Ids) -> &Space, idx: u32) {
        match space(&self.ids).get(idx) {
            Some(id) => self.out.push_str(&id.text),
            None => num::push_u32(&mut self.out, idx),
        }
    }

    /// Writes ` $id (@name …)` for a definition when it has an identifier,
    /// then the index comment ` (;N;)`.
    pub(crate) fn push_def(&mut self, space: fn(&Ids) -> &Space, idx: u32) {
        if let Some(id) = space(&self.ids).get(idx) {
            self.out.push(' ');
            self.out.push_str(&id.text);
            if let Some(a) = &id.annot {
                self.out.push(' ');
                self.out.push_str(a);
            }
        }
        self.out.push_str(" (;");
        num::push_u32(&mut self.out, idx);
        self.out.push_str(";)");
    }

    /// Type index of function `f` (imports first), if it exists.
    #[inline]
    pub(crate) fn func_type_idx(&self, f: u32) -> Option<u32> {
        let n = self.import_func_types.len();
        match (f as usize).checked_sub(n) {
            None => self.import_func_types.get(f as usize).copied(),
            Some(d) => self.m.funcs.get(d).map(|x| x.type_idx),
        }
    }

    /// Number of imports of `kind` (the first defined index of that space).
    pub(crate) fn imported(&self, kind: ExternKind) -> u32 {
        self.m
            .imports
            .iter()
            .filter(|i| i.desc.kind() == kind)
            .count() as u32
    }
}

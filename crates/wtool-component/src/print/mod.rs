//! Prints a [`Component`] in the text format, byte for byte as
//! `wasmprinter` 0.263 prints the same binary.
//!
//! ```text
//! print(&component)                   // names from `component-name`
//! print_with(&component, &opts)       // core printer options too
//! ```
//!
//! **Layout** is wasmprinter's: every item on its own line, two spaces per
//! open parenthesis (not per item: `(core instance (instantiate` nests two
//! levels), a closing parenthesis on its own line when its group spans
//! lines, and an index comment `(;N;)` on every definition. Nested core
//! modules go through `wtool-print`, opened as `(core module (;N;)`.
//!
//! **Names** come from the `component-name` custom section, per index
//! space, as wasmprinter turns them into identifiers: `$name`, `$"quoted"`,
//! or a generated `$"#func3 name"` plus `(@name "name")` when the name is
//! empty, starts with `#`, or repeats within its map. A nested component
//! is named by its parent's section (its own component name is ignored);
//! an outer alias names the scope it reaches when that scope has a name
//! not shadowed in between.
//!
//! **Custom sections** other than the name sections print as
//! `(@custom "name" "bytes")`.
//!
//! **Not like wasmprinter**: it prints `dylink.0` sections in invented
//! syntax (here: as raw bytes; `producers` sections print as wasmprinter
//! prints them), reads a core `name`
//! section found in a component into the component's core names (here:
//! ignored), and cannot print value sections at all (here: the type and a
//! comment with the encoded bytes). In a nested module whose name section
//! is malformed it keeps the names read before the error, where
//! `wtool-binary` keeps none. The printer never fails: indices out of
//! range print as numbers.

mod canon;
mod items;
mod names;
mod types;

use crate::ast::{Component, Section};
use names::{Names, Naming, Space};
use wtool_ast::TypeDef;
pub use wtool_print::PrintOptions;

/// Prints `c` with names and custom sections, as `wasmprinter` does.
pub fn print(c: &Component) -> String {
    print_with(c, &PrintOptions::default())
}

/// Prints `c`: `opts.names` and `opts.skip_custom` apply to the component
/// too, `fold` to its nested core modules; label comments are always on
/// (wasmprinter's layout) and the inline options are not used.
pub fn print_with(c: &Component, opts: &PrintOptions) -> String {
    let mut p = Printer {
        w: Writer::default(),
        states: Vec::new(),
        opts: &printer_options(opts),
        sink: None,
        failed: false,
        cores: None,
    };
    p.component(c);
    p.w.out.push('\n');
    p.w.out
}

/// Streams [`print_with`]'s text into `w` in chunks: a component's text
/// (its core modules' most of all) never sits in memory whole.
pub fn print_to_io<W: std::io::Write + ?Sized>(
    c: &Component,
    opts: &PrintOptions,
    w: &mut W,
) -> std::io::Result<()> {
    match stream(c, None, opts, w) {
        Ok(()) => Ok(()),
        Err(PrintError::Io(e)) => Err(e),
        // Without an input every body is in the component.
        Err(PrintError::Decode(e)) => Err(std::io::Error::other(e)),
    }
}

/// The streaming printer writing into `w`, with core modules' bodies from
/// the input when `cores` says where they are.
fn stream<W: std::io::Write + ?Sized>(
    c: &Component,
    cores: Option<LazyCores<'_>>,
    opts: &PrintOptions,
    w: &mut W,
) -> Result<(), PrintError> {
    let mut error = None;
    let mut sink = |s: &str| match w.write_all(s.as_bytes()) {
        Ok(()) => true,
        Err(e) => {
            error = Some(e);
            false
        }
    };
    let mut p = Printer {
        w: Writer::default(),
        states: Vec::new(),
        opts: &printer_options(opts),
        sink: Some(&mut sink),
        failed: false,
        cores,
    };
    p.component(c);
    let decode_error = p.cores.as_mut().and_then(|l| l.error.take());
    if decode_error.is_none() {
        p.w.out.push('\n');
        p.flush();
    }
    drop(p);
    match (decode_error, error) {
        (Some(e), _) => Err(PrintError::Decode(e)),
        (None, Some(e)) => Err(PrintError::Io(e)),
        (None, None) => Ok(()),
    }
}

/// Why printing a component decoded by [`crate::decode_for_print`] stopped.
#[derive(Debug)]
pub enum PrintError {
    /// A core function body did not decode (its offset is in the component).
    Decode(crate::DecodeError),
    /// The output could not be written.
    Io(std::io::Error),
}

impl std::fmt::Display for PrintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrintError::Decode(e) => e.fmt(f),
            PrintError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PrintError {}

/// [`print_to_io`] for a component decoded by [`crate::decode_for_print`]
/// from `bytes`: its core modules' bodies, data segments and custom
/// sections are read from `bytes` as they are printed, so memory holds
/// little more than the input however big the modules are.
pub fn print_lazy_to_io<W: std::io::Write + ?Sized>(
    c: &Component,
    bytes: &[u8],
    cores: &[crate::LazyCore],
    features: wtool_ast::Features,
    opts: &PrintOptions,
    w: &mut W,
) -> Result<(), PrintError> {
    let cores = LazyCores {
        bytes,
        cores,
        features,
        next: 0,
        error: None,
    };
    stream(c, Some(cores), opts, w)
}

/// wasmprinter marks every block with its label depth and never inlines.
fn printer_options(opts: &PrintOptions) -> PrintOptions {
    PrintOptions {
        label_comments: true,
        inline_exports: false,
        inline_imports: false,
        ..*opts
    }
}

/// Text is handed to a streaming sink once this much has accumulated.
const CHUNK: usize = 1 << 16;

/// wasmprinter stops indenting at this depth, so hostile nesting cannot
/// make the output quadratic.
const MAX_INDENT: u32 = 50;

/// The text being written, with what the layout rules need to know.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: String,
    /// Open parentheses: the indentation of the next line.
    nesting: u32,
    /// Lines started so far, and the line each open group started on: a
    /// group closes on a line of its own only when it spans lines.
    line: usize,
    group_lines: Vec<usize>,
}

impl Writer {
    pub(crate) fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Opens `(keyword`.
    pub(crate) fn start(&mut self, keyword: &str) {
        self.out.push('(');
        self.out.push_str(keyword);
        self.nesting += 1;
        self.group_lines.push(self.line);
    }

    /// Closes the innermost group.
    pub(crate) fn end(&mut self) {
        self.nesting -= 1;
        if self.group_lines.pop().is_some_and(|l| l != self.line) {
            self.newline();
        }
        self.out.push(')');
    }

    pub(crate) fn newline(&mut self) {
        self.out.push('\n');
        self.line += 1;
        for _ in 0..self.nesting.min(MAX_INDENT) {
            self.out.push_str("  ");
        }
    }

    /// A string literal.
    pub(crate) fn str(&mut self, s: &str) {
        self.out.push('"');
        names::push_str_contents(&mut self.out, s);
        self.out.push('"');
    }

    /// A byte string literal: printable ASCII as is, the rest `\hh`.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.out.push('"');
        for &b in bytes {
            if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
                self.out.push(b as char);
            } else {
                self.out.push_str(&format!("\\{b:02x}"));
            }
        }
        self.out.push('"');
    }

    /// A number.
    pub(crate) fn num(&mut self, n: impl std::fmt::Display) {
        use std::fmt::Write;
        let _ = write!(self.out, "{n}");
    }

    /// A definition of `naming`: identifier, plus `(@name …)` when the
    /// identifier had to be generated.
    fn naming_def(&mut self, naming: &Naming) {
        naming.push_ident(&mut self.out);
        if let Some(name) = naming.annotation() {
            self.out.push(' ');
            // A group, so a multi-line enclosing group's layout is unchanged.
            self.start("@name \"");
            names::push_str_contents(&mut self.out, name);
            self.out.push('"');
            self.end();
        }
    }

    /// The definition of `idx` in `space`: `$id (;N;)` or `(;N;)`.
    pub(crate) fn def(&mut self, names: &Names, space: Space, idx: u32) {
        if let Some(n) = names.get(space, idx) {
            self.naming_def(n);
            self.out.push(' ');
        }
        self.out.push_str("(;");
        self.num(idx);
        self.out.push_str(";)");
    }

    /// A reference to `idx` in `space`: `$id` or `N`.
    pub(crate) fn idx(&mut self, names: &Names, space: Space, idx: u32) {
        match names.get(space, idx) {
            Some(n) => n.push_ident(&mut self.out),
            None => self.num(idx),
        }
    }
}

/// One scope's index spaces: a component, or a component, instance or
/// module type (scopes outer aliases count through).
#[derive(Default)]
pub(crate) struct State {
    /// The scope's name, for outer aliases (components only).
    name: Option<Naming>,
    /// Names from the `component-name` section.
    pub(crate) names: Names,
    /// Items defined so far per space (core types: `core_types`).
    counts: [u32; 13],
    /// The core types defined so far; `None` where not a plain subtype
    /// (module types, aliases), as a function import prints its
    /// signature after its `(type i)` only when the type is known.
    pub(crate) core_types: Vec<Option<TypeDef>>,
}

impl State {
    /// The index the next definition in `space` gets; counts it.
    pub(crate) fn next(&mut self, space: Space) -> u32 {
        let c = &mut self.counts[space as usize];
        *c += 1;
        *c - 1
    }

    /// The index the next definition in `space` gets.
    pub(crate) fn peek(&self, space: Space) -> u32 {
        match space {
            Space::CoreType => self.core_types.len() as u32,
            _ => self.counts[space as usize],
        }
    }
}

/// The printer: the text and the stack of scopes.
pub(crate) struct Printer<'o, 's> {
    pub(crate) w: Writer,
    pub(crate) states: Vec<State>,
    opts: &'o PrintOptions,
    /// Where text goes when streaming; `None` keeps it all in `w.out`.
    sink: Option<&'s mut dyn FnMut(&str) -> bool>,
    /// The sink refused a chunk: nothing more is written.
    failed: bool,
    /// Core modules' bodies, data and custom sections left in the input
    /// ([`crate::decode_for_print`]), with the next one to print.
    cores: Option<LazyCores<'s>>,
}

/// The input of a component decoded by [`crate::decode_for_print`].
pub(crate) struct LazyCores<'a> {
    bytes: &'a [u8],
    cores: &'a [crate::LazyCore],
    features: wtool_ast::Features,
    next: usize,
    /// The first body that did not decode (offset in the component).
    error: Option<crate::DecodeError>,
}

impl Printer<'_, '_> {
    /// Hands the text so far to the sink (streaming only).
    fn flush(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            if !self.failed && !self.w.out.is_empty() && !sink(&self.w.out) {
                self.failed = true;
            }
            self.w.out.clear();
        }
    }

    /// The innermost scope.
    pub(crate) fn st(&mut self) -> &mut State {
        self.states.last_mut().expect("a scope is open")
    }

    /// Writes the definition of the next index in `space` of the innermost
    /// scope, and counts it.
    pub(crate) fn def_next(&mut self, space: Space) {
        let st = self.states.last_mut().expect("a scope is open");
        let idx = if space == Space::CoreType {
            st.core_types.push(None);
            st.core_types.len() as u32 - 1
        } else {
            st.next(space)
        };
        self.w.def(&st.names, space, idx);
    }

    /// Writes a reference to `idx` in `space` of the innermost scope.
    pub(crate) fn idx(&mut self, space: Space, idx: u32) {
        let st = self.states.last().expect("a scope is open");
        self.w.idx(&st.names, space, idx);
    }

    /// A component: the top one, or one nested in the current scope.
    fn component(&mut self, c: &Component) {
        let mut names = Names::default();
        if self.opts.names {
            for s in &c.sections {
                if let Section::Custom(cs) = s {
                    if cs.name == "component-name" {
                        names.read_section(&cs.data);
                    }
                }
            }
        }
        self.w.start("component");
        let name = match self.states.last() {
            None => {
                if let Some(n) = &names.component {
                    self.w.push(" ");
                    self.w.naming_def(n);
                }
                names.component.clone()
            }
            Some(parent) => {
                let idx = parent.peek(Space::Component);
                self.w.push(" ");
                self.w.def(&parent.names, Space::Component, idx);
                parent.names.get(Space::Component, idx).cloned()
            }
        };
        self.states.push(State {
            name,
            names,
            ..State::default()
        });
        for s in &c.sections {
            self.section(s);
        }
        self.states.pop();
        self.w.end();
        if let Some(parent) = self.states.last_mut() {
            parent.next(Space::Component);
        }
    }

    fn section(&mut self, s: &Section) {
        if self.w.out.len() >= CHUNK {
            self.flush();
        }
        match s {
            Section::Custom(c) => self.custom(&c.name, &c.data),
            Section::CoreModule(m) => {
                self.w.newline();
                let st = self.states.last().expect("a scope is open");
                let mut header = String::from("(core module ");
                let mut w = Writer::default();
                w.def(&st.names, Space::CoreModule, st.peek(Space::CoreModule));
                header.push_str(&w.out);
                let depth = self.w.nesting as usize;
                if self.sink.is_some() {
                    self.flush();
                    let failed = &mut self.failed;
                    let lines = match (self.sink.as_mut(), self.cores.as_mut()) {
                        (Some(_), _) if *failed => Some(0),
                        (Some(sink), Some(lazy)) => {
                            // Bodies, data and custom sections come from the input.
                            let core = lazy.cores.get(lazy.next);
                            lazy.next += 1;
                            let input = core.map(|c| wtool_print::LazyInput {
                                bytes: &lazy.bytes[c.start..c.end],
                                parts: &c.parts,
                                features: lazy.features,
                            });
                            let printed = wtool_print::print_nested_parts_to(
                                m,
                                input.as_ref(),
                                self.opts,
                                &header,
                                depth,
                                &mut **sink,
                            );
                            match printed {
                                Ok(n) => n,
                                Err(e) => {
                                    let at = core.map_or(0, |c| c.start);
                                    lazy.error = Some(crate::DecodeError::core_at(at, e));
                                    None
                                }
                            }
                        }
                        (Some(sink), None) => {
                            wtool_print::print_nested_to(m, self.opts, &header, depth, &mut **sink)
                        }
                        _ => Some(0),
                    };
                    match lines {
                        Some(n) => self.w.line += n,
                        None => *failed = true,
                    }
                } else {
                    let text = wtool_print::print_nested(m, self.opts, &header, depth);
                    self.w.line += text.matches('\n').count();
                    self.w.out.push_str(&text);
                }
                self.st().next(Space::CoreModule);
            }
            Section::CoreInstances(is) => is.iter().for_each(|i| self.core_instance(i)),
            Section::CoreTypes(ts) => ts.iter().for_each(|t| {
                self.w.newline();
                self.core_type(t);
            }),
            Section::Component(c) => {
                self.w.newline();
                self.component(c);
            }
            Section::Instances(is) => is.iter().for_each(|i| self.instance(i)),
            Section::Aliases(a) => a.iter().for_each(|a| {
                self.w.newline();
                self.alias(a);
            }),
            Section::Types(ts) => ts.iter().for_each(|t| {
                self.w.newline();
                self.type_def(t);
            }),
            Section::Canons(cs) => cs.iter().for_each(|c| {
                self.w.newline();
                self.canon(c);
            }),
            Section::Start(s) => self.start(s),
            Section::Imports(is) => is.iter().for_each(|i| {
                self.w.newline();
                self.import(i);
            }),
            Section::Exports(es) => es.iter().for_each(|e| {
                self.w.newline();
                self.export(e);
            }),
            Section::Values(vs) => vs.iter().for_each(|v| self.value(v)),
        }
    }

    /// A custom section. The name sections are read for identifiers, not
    /// printed; so is a well-formed branch hint section (wasmprinter reads
    /// it for core modules and prints nothing).
    fn custom(&mut self, name: &str, data: &[u8]) {
        let hidden = match name {
            "component-name" | "name" => true,
            "metadata.code.branch_hint" => leb_u32_prefix(data),
            _ => false,
        };
        if hidden || self.opts.skip_custom {
            return;
        }
        self.w.newline();
        // wasmprinter's own syntax for a producers section that parses.
        if let Some(fields) = (name == "producers")
            .then(|| wtool_print::producers(data))
            .flatten()
        {
            self.w.start("@producers");
            for (field, values) in &fields {
                for (n, v) in values {
                    self.w.newline();
                    self.w.start(field);
                    self.w.push(" ");
                    self.w.str(n);
                    self.w.push(" ");
                    self.w.str(v);
                    self.w.end();
                }
            }
            self.w.end();
            return;
        }
        self.w.start("@custom ");
        self.w.str(name);
        self.w.push(" ");
        self.w.bytes(data);
        self.w.end();
    }

    /// Prints the `count` of an outer alias as the identifier of the scope
    /// it reaches when that scope has a name no scope in between repeats
    /// (which would then be the one the identifier means).
    pub(crate) fn outer_count(&mut self, count: u32) {
        let n = self.states.len();
        if let Some(i) = n.checked_sub(count as usize + 1) {
            if let Some(name) = &self.states[i].name {
                let shadowed = self.states[i + 1..]
                    .iter()
                    .any(|s| s.name.as_ref() == Some(name));
                if !shadowed {
                    name.push_ident(&mut self.w.out);
                    return;
                }
            }
        }
        self.w.num(count);
    }

    /// The scope `count` levels out, if there is one.
    pub(crate) fn outer(&self, count: u32) -> Option<&State> {
        let n = self.states.len();
        n.checked_sub(count as usize + 1).map(|i| &self.states[i])
    }
}

/// Whether `data` starts with a well-formed LEB128 `u32` (all a branch
/// hint section reader checks before wasmprinter decides not to print it).
fn leb_u32_prefix(data: &[u8]) -> bool {
    for (i, &b) in data.iter().take(5).enumerate() {
        if i == 4 && b & 0xf0 != 0 {
            return false;
        }
        if b & 0x80 == 0 {
            return true;
        }
    }
    false
}

//! The component text format: `(component …)` to a
//! [`wtool_component::Component`], encoding byte for byte as the `wat` crate
//! does.
//!
//! This lives in wtool-text rather than wtool-component because it reuses
//! the core parser's token cursor, core module parsing, core type syntax and
//! literals, which are crate-private here.
//!
//! Parsing happens in three steps, as in the `wast` crate, because the
//! binary output depends on them: fields are parsed with their sugar already
//! expanded (inline types become type definitions just before their user,
//! inline exports become export fields at the end of the component); then
//! each scope injects the aliases its references need (`(func $i "f")`
//! becomes an `alias export`, a name found only in an enclosing scope an
//! `alias outer`), placed just before the field that uses them; then indices
//! are assigned and references resolved. Until then an index in a parsed
//! definition is a *handle*: a position in its item's list of `Ref`s.

mod canon;
mod fields;
mod refs;
mod resolve;
mod types;

use wtool_ast::Features;
use wtool_ast::Module;
use wtool_component::ast::{
    Alias, Canon, Component, CoreInstance, CoreRec, CoreSort, CoreType, Custom, Export, ExternName,
    ExternType, Import, Instance, Sort, Start, Type,
};

use crate::error::{Result, TextError, TextErrorKind};
use crate::parser::Parser;

pub(crate) use fields::{script_form, ScriptForm};

/// Parses a `.wat` source whose first form is `(component …)`.
///
/// `(component binary …)` is decoded with [`wtool_component::decode`] and
/// `(component quote …)` parsed as text. Errors carry the byte span of the
/// offending token.
pub fn parse_component(src: &[u8]) -> Result<Component> {
    parse_component_with(src, Features::WASM3_THREADS)
}

/// [`parse_component`] with the core features that decide how nested
/// `(module binary …)` forms and `(component binary …)` are decoded.
pub fn parse_component_with(src: &[u8], features: Features) -> Result<Component> {
    let mut p = Parser::new(src, features)?;
    let c = fields::top_level(&mut p)?;
    if let Some(t) = p.peek() {
        return Err(p.error_at(
            TextErrorKind::Expected {
                expected: "end of input".into(),
                found: p.describe(t),
            },
            t,
        ));
    }
    Ok(c)
}

/// True if the first form of `src` (after whitespace and comments) is
/// `(component`: how the CLI tells a component from a module.
pub fn is_component_text(src: &[u8]) -> bool {
    // The lexer expects UTF-8 (its callers check it).
    if std::str::from_utf8(src).is_err() {
        return false;
    }
    let Ok(lexed) = crate::lexer::lex(src) else {
        return false;
    };
    let t = &lexed.tokens;
    t.len() >= 2
        && t[0].kind == crate::lexer::Kind::LParen
        && &src[t[1].start as usize..t[1].end as usize] == b"component"
}

/// An index as written, or a generated name for an injected definition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum R {
    /// A literal index.
    Num(u32),
    /// `$name`, without the `$`.
    Id(String),
    /// A generated name (inline types, bundles of exports, aliases).
    Gen(u32),
}

/// A reference from a definition to an index space.
#[derive(Clone, Debug)]
pub(crate) struct Ref {
    /// The index space referred to.
    pub sort: Sort,
    /// The index or name.
    pub idx: R,
    /// Export names to follow (`(func $i "a" "b")`), turned into aliases.
    pub exports: Vec<String>,
    /// Source offset, for errors.
    pub off: u32,
}

/// A definition (or declaration) whose indices are handles into `refs`.
#[derive(Clone, Debug)]
pub(crate) enum Def {
    CoreModule(Box<Module>),
    CoreInstance(CoreInstance),
    /// A core recursion group or single type: each type's name.
    CoreRec(CoreRec, Vec<Option<(R, Option<String>)>>),
    /// A core module type (already resolved: it only names its own types).
    CoreModuleType(CoreType),
    Component(Box<Group>),
    Instance(Instance),
    Alias(Alias),
    Type(Type),
    ComponentType(Box<Group>),
    InstanceType(Box<Group>),
    Canon(Canon),
    /// The start function and the ids of the values it defines.
    Start(Start, Vec<Option<R>>),
    Import(Import),
    Export(Export),
    /// `(export "n" externtype)` in a component or instance type.
    DeclExport(ExternName, ExternType),
    Custom(Custom),
}

/// One item of a scope: a definition with its references and its name.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub def: Def,
    pub refs: Vec<Ref>,
    /// Its `$id` (or generated name), if any.
    pub id: Option<R>,
    /// Its name for the name section (`(@name …)` or the id).
    pub name: Option<String>,
    /// Source offset, for errors.
    pub off: u32,
}

impl Item {
    /// An item without references, its definition still to be set.
    pub fn blank(off: u32) -> Self {
        Item {
            def: Def::Custom(Custom {
                name: String::new(),
                data: Vec::new(),
            }),
            refs: Vec::new(),
            id: None,
            name: None,
            off,
        }
    }

    /// Adds a reference and returns its handle.
    pub fn r(&mut self, r: Ref) -> u32 {
        self.refs.push(r);
        (self.refs.len() - 1) as u32
    }
}

/// A scope: a component's fields, or a component or instance type's
/// declarations.
#[derive(Clone, Debug, Default)]
pub(crate) struct Group {
    /// The scope's `$id`, for `(alias outer $id …)`.
    pub id: Option<String>,
    /// Its name for the name section.
    pub name: Option<String>,
    pub items: Vec<Item>,
}

/// The sort an extern type declares.
pub(crate) fn extern_sort(t: &ExternType) -> Sort {
    match t {
        ExternType::Module(_) => Sort::Core(CoreSort::Module),
        ExternType::Func(_) => Sort::Func,
        ExternType::Value(_) => Sort::Value,
        ExternType::Type(_) => Sort::Type,
        ExternType::Component(_) => Sort::Component,
        ExternType::Instance(_) => Sort::Instance,
    }
}

/// The word for a sort in messages.
pub(crate) fn sort_word(s: Sort) -> &'static str {
    match s {
        Sort::Core(c) => match c {
            CoreSort::Func => "core func",
            CoreSort::Table => "core table",
            CoreSort::Memory => "core memory",
            CoreSort::Global => "core global",
            CoreSort::Tag => "core tag",
            CoreSort::Type => "core type",
            CoreSort::Module => "core module",
            CoreSort::Instance => "core instance",
        },
        Sort::Func => "func",
        Sort::Value => "value",
        Sort::Type => "type",
        Sort::Component => "component",
        Sort::Instance => "instance",
    }
}

/// The deepest nesting of components, types and value types accepted
/// (the `wast` crate refuses items nested more than 100 parentheses deep).
pub(crate) const MAX_DEPTH: u32 = 100;

/// Runs `f` one level deeper, refusing input nested beyond [`MAX_DEPTH`].
pub(crate) fn nested<'a, T>(
    p: &mut Parser<'a>,
    f: impl FnOnce(&mut Parser<'a>) -> Result<T>,
) -> Result<T> {
    if p.depth >= MAX_DEPTH {
        return Err(err("nesting too deep", p.offset()));
    }
    p.depth += 1;
    let r = f(p);
    p.depth -= 1;
    r
}

/// An error with a message at `off`.
pub(crate) fn err(msg: impl Into<String>, off: u32) -> TextError {
    TextError::new(TextErrorKind::Other(msg.into()), off as usize, 1)
}

//! Printing the resolved model as WIT text.
//!
//! The output is the normalized WIT that `wasm-tools component wit` prints
//! (wit-component's `WitPrinter`), byte for byte: the same item order, blank
//! lines, two-space indentation, synthesized `use` statements and `%`-escapes.
//! Tools and tests diff WIT text, so "equivalent" is not good enough.
//!
//! Layout rules that shape the code below:
//! - Items of an interface or world are separated by one blank line, except
//!   `use` statements and world imports, which stack without blank lines.
//! - A world prints its imported interfaces first, then its types (with the
//!   resource functions grouped under their resources), then imported
//!   functions, then exports, because resource functions need not sit next
//!   to their resource in the model and this order keeps things topological.
//! - A type that is an alias of a named type owned elsewhere prints as a
//!   `use`; consecutive ones from the same interface with the same gate share
//!   one statement.

use std::collections::HashMap;
use std::fmt;

use crate::model::{
    Docs, Function, FunctionKind, Handle, InterfaceId, PackageId, Resolve, Stability, Type,
    TypeDefKind, TypeId, TypeOwner, World, WorldId, WorldItem, WorldKey,
};

mod types;

pub use types::is_keyword;

/// Why a model cannot be printed as WIT (it is malformed: nothing the parser or decoder builds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError(pub String);

impl fmt::Display for PrintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PrintError {}

/// Prints `main` as a WIT file (`package a:b;` then its items), followed by each
/// of `nested` as `package c:d { … }`.
///
/// A malformed model (an unnamed record, …) still prints, with a placeholder
/// where the oracle would give up; use [`WitPrinter::print`] to get the error.
pub fn print_package(resolve: &Resolve, main: PackageId, nested: &[PackageId]) -> String {
    let mut p = Printer::new(resolve, true);
    p.print(main, nested);
    p.out
}

/// What `wasm-tools component wit` prints: `main`, then every other package of
/// the resolve nested, in arena order.
pub fn print_resolve(resolve: &Resolve, main: PackageId) -> String {
    WitPrinter::new()
        .print_all(resolve, main)
        .unwrap_or_else(|(text, _)| text)
}

/// A configurable printer: whether to emit doc comments (`--no-docs` turns them off).
#[derive(Debug, Clone)]
pub struct WitPrinter {
    emit_docs: bool,
}

impl Default for WitPrinter {
    fn default() -> Self {
        Self::new()
    }
}

impl WitPrinter {
    /// A printer that emits doc comments.
    pub fn new() -> Self {
        WitPrinter { emit_docs: true }
    }

    /// Sets whether `///` doc comments are printed.
    pub fn emit_docs(&mut self, enabled: bool) -> &mut Self {
        self.emit_docs = enabled;
        self
    }

    /// Prints `main` then `nested` as [`print_package`] does, or the first reason the model is malformed.
    pub fn print(
        &self,
        resolve: &Resolve,
        main: PackageId,
        nested: &[PackageId],
    ) -> Result<String, PrintError> {
        let mut p = Printer::new(resolve, self.emit_docs);
        p.print(main, nested);
        match p.error {
            Some(e) => Err(e),
            None => Ok(p.out),
        }
    }

    /// Prints `main` then every other package nested, as [`print_resolve`]; on
    /// error also returns the best-effort text.
    pub fn print_all(
        &self,
        resolve: &Resolve,
        main: PackageId,
    ) -> Result<String, (String, PrintError)> {
        let nested: Vec<PackageId> = (0..resolve.packages.len() as u32)
            .map(PackageId)
            .filter(|id| *id != main)
            .collect();
        let mut p = Printer::new(resolve, self.emit_docs);
        p.print(main, &nested);
        match p.error {
            Some(e) => Err((p.out, e)),
            None => Ok(p.out),
        }
    }
}

/// One `use` statement: the interface used from, the first alias of the
/// group (its gate and external id stand for all), and (local, used) names.
type UseGroup<'t> = (InterfaceId, TypeId, Vec<(&'t str, &'t str)>);

/// The text being built, with the indentation state of the current line.
struct Printer<'a> {
    resolve: &'a Resolve,
    out: String,
    indent: usize,
    /// Set by a newline: the next token first writes the indentation, so
    /// blank lines carry no trailing spaces.
    needs_indent: bool,
    /// Whether the current block has printed an item yet (the next item is
    /// then preceded by a blank line).
    any_items: bool,
    emit_docs: bool,
    error: Option<PrintError>,
}

impl<'a> Printer<'a> {
    fn new(resolve: &'a Resolve, emit_docs: bool) -> Self {
        Printer {
            resolve,
            out: String::new(),
            indent: 0,
            needs_indent: false,
            any_items: false,
            emit_docs,
            error: None,
        }
    }

    fn fail(&mut self, msg: &str) {
        if self.error.is_none() {
            self.error = Some(PrintError(msg.to_string()));
        }
    }

    // ---- low-level output ----

    fn put(&mut self, s: &str) {
        if self.needs_indent {
            for _ in 0..self.indent {
                self.out.push_str("  ");
            }
            self.needs_indent = false;
        }
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.needs_indent = true;
    }

    fn semicolon(&mut self) {
        self.put(";");
        self.newline();
    }

    fn open(&mut self) {
        self.put(" {");
        self.indent += 1;
        self.newline();
    }

    fn close(&mut self) {
        self.indent = self.indent.saturating_sub(1);
        self.put("}");
        self.newline();
    }

    fn name(&mut self, name: &str) {
        if is_keyword(name) {
            self.put("%");
        }
        self.put(name);
    }

    fn new_item(&mut self) {
        if self.any_items {
            self.newline();
        }
        self.any_items = true;
    }

    fn docs(&mut self, docs: &Docs) {
        if !self.emit_docs {
            return;
        }
        if let Some(text) = &docs.contents {
            for line in text.lines() {
                self.put("///");
                if !line.is_empty() {
                    self.put(" ");
                    self.put(line);
                }
                self.newline();
            }
        }
    }

    fn stability(&mut self, s: &Stability) {
        let deprecated = match s {
            Stability::Unknown => return,
            Stability::Stable { since, deprecated } => {
                self.put(&format!("@since(version = {since})"));
                deprecated
            }
            Stability::Unstable {
                feature,
                deprecated,
            } => {
                self.put(&format!("@unstable(feature = {feature})"));
                deprecated
            }
        };
        self.newline();
        if let Some(v) = deprecated {
            self.put(&format!("@deprecated(version = {v})"));
            self.newline();
        }
    }

    fn external_id(&mut self, id: Option<&str>) {
        let Some(id) = id else { return };
        let mut s = String::from("@external-id(\"");
        for c in id.chars() {
            match c {
                c if c.is_ascii_alphanumeric() || "-_./: ".contains(c) => s.push(c),
                '\\' => s.push_str("\\\\"),
                '"' => s.push_str("\\\""),
                '\n' => s.push_str("\\n"),
                '\r' => s.push_str("\\r"),
                '\t' => s.push_str("\\t"),
                c => s.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        }
        s.push_str("\")");
        self.put(&s);
        self.newline();
    }

    // ---- packages ----

    fn print(&mut self, main: PackageId, nested: &[PackageId]) {
        self.package(main, true);
        for (i, id) in nested.iter().enumerate() {
            if i > 0 {
                self.newline();
                self.newline();
            }
            self.package(*id, false);
        }
    }

    fn package(&mut self, id: PackageId, is_main: bool) {
        let r = self.resolve;
        let pkg = r.package(id);
        self.docs(&pkg.docs);
        self.put("package ");
        self.name(&pkg.name.namespace);
        self.put(":");
        self.name(&pkg.name.name);
        if let Some(v) = &pkg.name.version {
            self.put(&format!("@{v}"));
        }
        if is_main {
            self.semicolon();
            self.newline();
        } else {
            self.open();
        }
        for (name, &iface) in &pkg.interfaces {
            let i = r.interface(iface);
            self.docs(&i.docs);
            self.stability(&i.stability);
            self.put("interface ");
            self.name(name);
            self.open();
            self.interface_body(iface);
            self.close();
            // Interfaces of a file's main package are set apart by a blank
            // line; nested packages pack them (the oracle's layout).
            if is_main {
                self.newline();
            }
        }
        for (name, &world) in &pkg.worlds {
            let w = r.world(world);
            self.docs(&w.docs);
            self.stability(&w.stability);
            self.put("world ");
            self.name(name);
            self.open();
            self.world_body(world, w);
            self.close();
        }
        if !is_main {
            self.close();
        }
    }

    // ---- interfaces ----

    fn interface_body(&mut self, id: InterfaceId) {
        let r = self.resolve;
        let outer_items = std::mem::replace(&mut self.any_items, false);
        let iface = r.interface(id);
        let mut resource_funcs: HashMap<TypeId, Vec<&Function>> = HashMap::new();
        let mut freestanding = Vec::new();
        for f in iface.functions.values() {
            match f.kind.resource() {
                Some(res) => resource_funcs.entry(res).or_default().push(f),
                None => freestanding.push(f),
            }
        }
        let types = iface.types.iter().map(|(n, t)| (n.as_str(), *t));
        self.types(
            TypeOwner::Interface(id),
            iface.package,
            types,
            &resource_funcs,
        );
        for f in freestanding {
            self.new_item();
            self.docs(&f.docs);
            self.stability(&f.stability);
            self.external_id(f.external_id.as_deref());
            self.name(f.item_name());
            self.put(": ");
            self.function(f);
            self.semicolon();
        }
        self.any_items = outer_items;
    }

    /// Prints the named types of an interface or world: `use`s first, then definitions.
    fn types<'t>(
        &mut self,
        owner: TypeOwner,
        my_pkg: Option<PackageId>,
        types: impl Iterator<Item = (&'t str, TypeId)>,
        resource_funcs: &HashMap<TypeId, Vec<&Function>>,
    ) {
        let r = self.resolve;
        let mut uses: Vec<UseGroup<'_>> = Vec::new();
        let mut defs = Vec::new();
        for (name, id) in types {
            let def = r.ty(id);
            if let TypeDefKind::Type(Type::Id(target)) = def.kind {
                let used = r.ty(target);
                if used.owner != TypeOwner::None && used.owner != owner {
                    let TypeOwner::Interface(from) = used.owner else {
                        // Types can only be used from interfaces.
                        self.fail("type used from a world");
                        continue;
                    };
                    let Some(used_name) = used.name.as_deref() else {
                        self.fail("cannot import unnamed type");
                        continue;
                    };
                    if let Some((prev_from, prev, list)) = uses.last_mut() {
                        let prev = r.ty(*prev);
                        if *prev_from == from
                            && prev.stability == def.stability
                            && prev.external_id == def.external_id
                        {
                            list.push((name, used_name));
                            continue;
                        }
                    }
                    uses.push((from, id, vec![(name, used_name)]));
                    continue;
                }
            }
            defs.push(id);
        }

        for (from, first, names) in uses {
            let def = r.ty(first);
            self.any_items = true;
            self.stability(&def.stability);
            self.external_id(def.external_id.as_deref());
            self.put("use ");
            self.interface_path(from, my_pkg);
            self.put(".{");
            for (i, (mine, theirs)) in names.into_iter().enumerate() {
                if i > 0 {
                    self.put(", ");
                }
                self.name(theirs);
                if mine != theirs {
                    self.put(" as ");
                    self.name(mine);
                }
            }
            self.put("}");
            self.semicolon();
        }

        for id in defs {
            let def = r.ty(id);
            self.new_item();
            self.docs(&def.docs);
            self.stability(&def.stability);
            self.external_id(def.external_id.as_deref());
            if def.kind == TypeDefKind::Resource {
                let funcs = resource_funcs.get(&id).map(Vec::as_slice).unwrap_or(&[]);
                self.resource(id, funcs);
            } else {
                self.declare(id);
            }
        }
    }

    fn resource(&mut self, id: TypeId, funcs: &[&Function]) {
        self.put("resource ");
        match self.resolve.ty(id).name.as_deref() {
            Some(n) => self.name(n),
            None => {
                self.fail("resources must be named");
                self.put("<unnamed>");
            }
        }
        if funcs.is_empty() {
            self.semicolon();
            return;
        }
        self.open();
        for f in funcs {
            self.docs(&f.docs);
            self.stability(&f.stability);
            self.external_id(f.external_id.as_deref());
            match f.kind {
                FunctionKind::Constructor(_) => {}
                FunctionKind::Static(_)
                | FunctionKind::AsyncStatic(_)
                | FunctionKind::StaticGetter(_)
                | FunctionKind::StaticSetter(_) => {
                    self.name(f.item_name());
                    self.put(": static ");
                }
                _ => {
                    self.name(f.item_name());
                    self.put(": ");
                }
            }
            self.function(f);
            self.semicolon();
        }
        self.close();
    }

    /// `[async] func(params) -> result` (or `constructor(…)`, `get(…)`, `set(…)`).
    fn function(&mut self, f: &Function) {
        if f.kind.is_async() {
            self.put("async ");
        }
        let (keyword, implicit_self) = match f.kind {
            FunctionKind::Constructor(_) => ("constructor(", false),
            FunctionKind::Getter | FunctionKind::StaticGetter(_) => ("get(", false),
            FunctionKind::Setter | FunctionKind::StaticSetter(_) => ("set(", false),
            FunctionKind::MethodGetter(_) => ("get(", true),
            FunctionKind::MethodSetter(_) => ("set(", true),
            FunctionKind::Method(_) | FunctionKind::AsyncMethod(_) => ("func(", true),
            FunctionKind::Freestanding
            | FunctionKind::AsyncFreestanding
            | FunctionKind::Static(_)
            | FunctionKind::AsyncStatic(_) => ("func(", false),
        };
        self.put(keyword);
        // A method's `self` parameter is implicit in WIT.
        let params = f.params.iter().skip(usize::from(implicit_self));
        for (i, (name, ty)) in params.enumerate() {
            if i > 0 {
                self.put(", ");
            }
            self.name(name);
            self.put(": ");
            self.type_name(*ty);
        }
        self.put(")");
        if self.is_constructor_shorthand(f) {
            return;
        }
        if let Some(ty) = f.result {
            self.put(" -> ");
            self.type_name(ty);
        }
    }

    /// A constructor returning `own<its resource>` prints without `-> …`.
    fn is_constructor_shorthand(&self, f: &Function) -> bool {
        let FunctionKind::Constructor(res) = f.kind else {
            return false;
        };
        let Some(Type::Id(id)) = f.result else {
            return false;
        };
        self.resolve.ty(id).kind == TypeDefKind::Handle(Handle::Own(res))
    }

    // ---- worlds ----

    fn world_body(&mut self, id: WorldId, world: &World) {
        let outer_items = std::mem::replace(&mut self.any_items, false);
        let pkg = world.package;
        let mut types = Vec::new();
        let mut resource_funcs: HashMap<TypeId, Vec<&Function>> = HashMap::new();
        let mut funcs = Vec::new();
        for (key, item) in &world.imports {
            match item {
                WorldItem::Type(ty) => match key {
                    WorldKey::Name(n) => types.push((n.as_str(), *ty)),
                    WorldKey::Interface(_) => self.fail("world type keyed by an interface"),
                },
                WorldItem::Function(f) => match f.kind.resource() {
                    Some(res) => resource_funcs.entry(res).or_default().push(f),
                    None => funcs.push((key, item)),
                },
                WorldItem::Interface { .. } => {
                    self.world_item(key, item, pkg, "import");
                    // Imports stack without blank lines, but whatever
                    // follows them is set apart.
                    self.any_items = true;
                }
            }
        }
        self.types(
            TypeOwner::World(id),
            pkg,
            types.into_iter(),
            &resource_funcs,
        );
        for (key, item) in funcs {
            self.world_item(key, item, pkg, "import");
            self.any_items = true;
        }
        if !world.exports.is_empty() {
            self.new_item();
        }
        for (key, item) in &world.exports {
            self.world_item(key, item, pkg, "export");
        }
        self.any_items = outer_items;
    }

    fn world_item(&mut self, key: &WorldKey, item: &WorldItem, pkg: Option<PackageId>, kw: &str) {
        let r = self.resolve;
        match item {
            WorldItem::Interface {
                id,
                stability,
                external_id,
                docs,
            } => {
                // The statement's own docs win; an inline interface falls
                // back to the docs of its body.
                if docs.contents.is_some() {
                    self.docs(docs);
                } else if matches!(key, WorldKey::Name(_)) {
                    self.docs(&r.interface(*id).docs);
                }
                self.stability(stability);
                self.external_id(external_id.as_deref());
            }
            WorldItem::Function(f) => {
                self.docs(&f.docs);
                self.stability(&f.stability);
                self.external_id(f.external_id.as_deref());
            }
            WorldItem::Type(_) => {
                self.fail("world type printed as an import");
                return;
            }
        }
        self.put(kw);
        self.put(" ");
        match (key, item) {
            (WorldKey::Name(name), WorldItem::Interface { id, .. }) => {
                self.name(name);
                self.put(": ");
                if r.interface(*id).name.is_none() {
                    self.put("interface");
                    self.open();
                    self.interface_body(*id);
                    self.close();
                } else {
                    self.interface_path(*id, pkg);
                    self.semicolon();
                }
            }
            (WorldKey::Name(_), WorldItem::Function(f)) => {
                self.name(f.item_name());
                self.put(": ");
                self.function(f);
                self.semicolon();
            }
            (WorldKey::Interface(id), _) => {
                if !matches!(item, WorldItem::Interface { id: inner, .. } if inner == id) {
                    self.fail("world key names another interface than its item");
                }
                self.interface_path(*id, pkg);
                self.semicolon();
            }
            (WorldKey::Name(_), WorldItem::Type(_)) => {}
        }
    }

    /// `name` within the current package, `ns:pkg/name@version` outside it.
    fn interface_path(&mut self, id: InterfaceId, cur: Option<PackageId>) {
        let r = self.resolve;
        let iface = r.interface(id);
        let Some(name) = iface.name.as_deref() else {
            self.fail("path to an anonymous interface");
            self.put("<anonymous>");
            return;
        };
        match iface.package {
            Some(p) if Some(p) != cur => {
                let pkg = &r.package(p).name;
                self.name(&pkg.namespace);
                self.put(":");
                self.name(&pkg.name);
                self.put("/");
                self.name(name);
                if let Some(v) = &pkg.version {
                    self.put(&format!("@{v}"));
                }
            }
            _ => self.name(name),
        }
    }
}

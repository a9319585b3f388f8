//! Types where they are used (`list<u8>`, a name, …) and named types' definitions.

use super::Printer;
use crate::model::{Handle, Type, TypeDefKind, TypeId};

impl Printer<'_> {
    /// A type where it is used: its name, or the structure of an anonymous type.
    pub(super) fn type_name(&mut self, ty: Type) {
        let id = match ty {
            Type::Id(id) => id,
            prim => return self.put(primitive(prim)),
        };
        let def = self.resolve.ty(id);
        if let Some(n) = &def.name {
            return self.name(n);
        }
        let kind = &def.kind;
        self.structure(kind, false);
    }

    /// The structure of an anonymous type, or of the right side of `type a = …`
    /// (`own_explicit`: `type a = own<r>` keeps its `own`, which encodes
    /// differently from `type a = r`).
    fn structure(&mut self, kind: &TypeDefKind, own_explicit: bool) {
        match kind {
            TypeDefKind::Handle(h) => self.handle(*h, own_explicit),
            TypeDefKind::Tuple(tys) => {
                self.put("tuple<");
                self.type_list(tys);
                self.put(">");
            }
            TypeDefKind::Option(t) => self.generic("option", &[*t]),
            TypeDefKind::Result { ok, err } => self.result(*ok, *err),
            TypeDefKind::List(t) => self.generic("list", &[*t]),
            TypeDefKind::Map(k, v) => self.generic("map", &[*k, *v]),
            TypeDefKind::FixedLengthList(t, n) => {
                self.put("list<");
                self.type_name(*t);
                self.put(&format!(", {n}>"));
            }
            TypeDefKind::Type(t) => self.type_name(*t),
            TypeDefKind::Future(t) => self.optional_generic("future", *t),
            TypeDefKind::Stream(t) => self.optional_generic("stream", *t),
            TypeDefKind::Resource
            | TypeDefKind::Record(_)
            | TypeDefKind::Flags(_)
            | TypeDefKind::Enum(_)
            | TypeDefKind::Variant(_) => {
                self.fail("resolve has an unnamed nominal type");
                self.put("<unnamed>");
            }
        }
    }

    fn type_list(&mut self, tys: &[Type]) {
        for (i, t) in tys.iter().enumerate() {
            if i > 0 {
                self.put(", ");
            }
            self.type_name(*t);
        }
    }

    fn generic(&mut self, head: &str, args: &[Type]) {
        self.put(head);
        self.put("<");
        self.type_list(args);
        self.put(">");
    }

    fn optional_generic(&mut self, head: &str, arg: Option<Type>) {
        match arg {
            Some(t) => self.generic(head, &[t]),
            None => self.put(head),
        }
    }

    fn result(&mut self, ok: Option<Type>, err: Option<Type>) {
        self.put("result");
        match (ok, err) {
            (Some(ok), Some(err)) => self.generic("", &[ok, err]),
            (None, Some(err)) => {
                self.put("<_, ");
                self.type_name(err);
                self.put(">");
            }
            (Some(ok), None) => self.generic("", &[ok]),
            (None, None) => {}
        }
    }

    /// `r` / `own<r>` (when `explicit_own`, as in `type a = own<r>`) / `borrow<r>`.
    fn handle(&mut self, h: Handle, explicit_own: bool) {
        let (wrapper, res) = match h {
            Handle::Own(res) => (explicit_own.then_some("own"), res),
            Handle::Borrow(res) => (Some("borrow"), res),
        };
        if let Some(w) = wrapper {
            self.put(w);
            self.put("<");
        }
        match self.resolve.ty(res).name.as_deref() {
            Some(n) => self.name(n),
            None => {
                self.fail("unnamed resource type");
                self.put("<unnamed>");
            }
        }
        if wrapper.is_some() {
            self.put(">");
        }
    }

    /// A named type's definition (`record r { … }`, `type t = …;`, …).
    pub(super) fn declare(&mut self, id: TypeId) {
        let def = self.resolve.ty(id);
        let Some(name) = def.name.as_deref() else {
            // Anonymous structural types print nothing here; anonymous
            // nominal ones cannot be declared.
            match def.kind {
                TypeDefKind::Tuple(_)
                | TypeDefKind::Option(_)
                | TypeDefKind::Result { .. }
                | TypeDefKind::List(_)
                | TypeDefKind::Map(..)
                | TypeDefKind::FixedLengthList(..)
                | TypeDefKind::Future(_)
                | TypeDefKind::Stream(_) => {}
                _ => self.fail("document has an unnamed type"),
            }
            return;
        };
        match &def.kind {
            TypeDefKind::Record(fields) => {
                self.put("record ");
                self.name(name);
                self.open();
                for f in fields {
                    self.docs(&f.docs);
                    self.name(&f.name);
                    self.put(": ");
                    self.type_name(f.ty);
                    self.put(",");
                    self.newline();
                }
                self.close();
            }
            TypeDefKind::Flags(flags) => {
                self.put("flags ");
                self.name(name);
                self.open();
                for f in flags {
                    self.docs(&f.docs);
                    self.name(&f.name);
                    self.put(",");
                    self.newline();
                }
                self.close();
            }
            TypeDefKind::Variant(cases) => {
                self.put("variant ");
                self.name(name);
                self.open();
                for c in cases {
                    self.docs(&c.docs);
                    self.name(&c.name);
                    if let Some(t) = c.ty {
                        self.put("(");
                        self.type_name(t);
                        self.put(")");
                    }
                    self.put(",");
                    self.newline();
                }
                self.close();
            }
            TypeDefKind::Enum(cases) => {
                self.put("enum ");
                self.name(name);
                self.open();
                for c in cases {
                    self.docs(&c.docs);
                    self.name(&c.name);
                    self.put(",");
                    self.newline();
                }
                self.close();
            }
            TypeDefKind::Resource => self.resource(id, &[]),
            kind => {
                self.put("type ");
                self.name(name);
                self.put(" = ");
                // Nominal kinds are declared above: only structures remain.
                self.structure(kind, true);
                self.semicolon();
            }
        }
    }
}

fn primitive(ty: Type) -> &'static str {
    match ty {
        Type::Bool => "bool",
        Type::U8 => "u8",
        Type::U16 => "u16",
        Type::U32 => "u32",
        Type::U64 => "u64",
        Type::S8 => "s8",
        Type::S16 => "s16",
        Type::S32 => "s32",
        Type::S64 => "s64",
        Type::F32 => "f32",
        Type::F64 => "f64",
        Type::Char => "char",
        Type::String => "string",
        Type::ErrorContext => "error-context",
        Type::Id(_) => unreachable!("not a primitive"),
    }
}

/// Words that must be written `%word` to be used as identifiers (the lexer's
/// keywords, including the legacy `float32`/`float64` it still reserves).
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "_" | "as"
            | "async"
            | "bool"
            | "borrow"
            | "char"
            | "constructor"
            | "enum"
            | "error-context"
            | "export"
            | "f32"
            | "f64"
            | "flags"
            | "float32"
            | "float64"
            | "from"
            | "func"
            | "future"
            | "import"
            | "include"
            | "interface"
            | "list"
            | "map"
            | "option"
            | "own"
            | "package"
            | "record"
            | "resource"
            | "result"
            | "s16"
            | "s32"
            | "s64"
            | "s8"
            | "static"
            | "stream"
            | "string"
            | "tuple"
            | "type"
            | "u16"
            | "u32"
            | "u64"
            | "u8"
            | "use"
            | "variant"
            | "with"
            | "world"
    )
}

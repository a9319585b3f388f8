//! Types in the text format: heap, reference, value and storage types, and
//! the type definitions of the type section (`rec`, `sub`, `func`, `struct`,
//! `array`, the descriptor clauses).

use std::borrow::Cow;

use wtool_ast::{
    CompositeType, FieldType, FuncType, HeapType, RefType, StorageType, SubType, TypeDef, ValType,
};

use super::{Idx, Named, Parser};
use crate::error::{Result, TextErrorKind};
use crate::lexer::{Kind, Token};

/// Abstract heap types by keyword.
fn abstract_heap(kw: &str) -> Option<HeapType> {
    Some(match kw {
        "func" => HeapType::Func,
        "extern" => HeapType::Extern,
        "any" => HeapType::Any,
        "eq" => HeapType::Eq,
        "i31" => HeapType::I31,
        "struct" => HeapType::Struct,
        "array" => HeapType::Array,
        "none" => HeapType::None,
        "nofunc" => HeapType::NoFunc,
        "noextern" => HeapType::NoExtern,
        "exn" => HeapType::Exn,
        "noexn" => HeapType::NoExn,
        _ => return None,
    })
}

/// The `(ref null ht)` shorthands.
fn ref_shorthand(kw: &str) -> Option<HeapType> {
    Some(match kw {
        "funcref" => HeapType::Func,
        "externref" => HeapType::Extern,
        "anyref" => HeapType::Any,
        "eqref" => HeapType::Eq,
        "i31ref" => HeapType::I31,
        "structref" => HeapType::Struct,
        "arrayref" => HeapType::Array,
        "nullref" => HeapType::None,
        "nullfuncref" => HeapType::NoFunc,
        "nullexternref" => HeapType::NoExtern,
        "exnref" => HeapType::Exn,
        "nullexnref" => HeapType::NoExn,
        _ => return None,
    })
}

/// A `$name` with nowhere better to point an error at.
fn here(p: &Parser<'_>) -> Token {
    p.peek().unwrap_or(Token {
        kind: Kind::Id,
        start: p.offset(),
        end: p.offset(),
    })
}

impl<'a> Parser<'a> {
    /// Collects the names and indices of the type definitions among the
    /// fields that follow (up to the closing `)` of the module), so that
    /// types can be referred to before their definition. Looks at tokens
    /// only; the fields are parsed later.
    pub fn collect_type_names(&mut self) {
        self.type_names.clear();
        let mut next = 0u32;
        let mut depth = 0usize;
        let mut i = self.pos;
        while let Some(t) = self.toks.get(i).copied() {
            match t.kind {
                Kind::LParen | Kind::Annot => {
                    let kw = self.toks.get(i + 1).filter(|k| k.kind == Kind::Keyword);
                    let word = kw.map(|k| self.text(*k));
                    // A `type` field, or a `type` directly inside a `rec` field.
                    let in_rec = depth == 1 && self.rec_open(i);
                    if word == Some("type") && (depth == 0 || in_rec) {
                        if let Some(id) = self.toks.get(i + 2).filter(|x| x.kind == Kind::Id) {
                            let name = Cow::Borrowed(&self.text(*id)[1..]);
                            self.type_names.entry(name).or_insert(next);
                        }
                        next = next.saturating_add(1);
                    }
                    depth += 1;
                }
                Kind::RParen => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// True if the innermost form open at token `i` (at depth 1) is `(rec`.
    fn rec_open(&self, i: usize) -> bool {
        let mut depth = 0usize;
        let mut j = i;
        while j > self.pos {
            j -= 1;
            match self.toks[j].kind {
                Kind::RParen => depth += 1,
                Kind::LParen | Kind::Annot => {
                    if depth == 0 {
                        return self
                            .toks
                            .get(j + 1)
                            .is_some_and(|k| k.kind == Kind::Keyword && self.text(*k) == "rec");
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        false
    }

    /// A type index written as a number or a `$name` of the module's types.
    pub fn type_ref(&mut self) -> Result<u32> {
        let t = here(self);
        match self.idx()? {
            Idx::Num(n) => Ok(n),
            Idx::Name(name, _) => self.type_names.get(&name).copied().ok_or_else(|| {
                self.error_at(
                    TextErrorKind::UnknownName {
                        space: "type",
                        name: format!("${name}"),
                    },
                    t,
                )
            }),
        }
    }

    /// A heap type: an abstract keyword, a type index, or `(exact x)`.
    pub fn heap_type(&mut self) -> Result<HeapType> {
        if let Some(h) = self.peek_kw().and_then(abstract_heap) {
            self.pos += 1;
            return Ok(h);
        }
        if self.eat_lparen_kw("exact") {
            let i = self.type_ref()?;
            self.expect_rparen()?;
            return Ok(HeapType::Exact(i));
        }
        if self.at_idx() {
            return self.type_ref().map(HeapType::Concrete);
        }
        Err(self.unexpected("a heap type"))
    }

    /// True if a reference type starts here.
    pub fn at_ref_type(&self) -> bool {
        self.peek_kw().is_some_and(|k| ref_shorthand(k).is_some()) || self.at_lparen_kw("ref")
    }

    /// A reference type: a shorthand or `(ref null? ht)`.
    pub fn ref_type(&mut self) -> Result<RefType> {
        if let Some(heap) = self.peek_kw().and_then(ref_shorthand) {
            self.pos += 1;
            return Ok(RefType {
                nullable: true,
                heap,
            });
        }
        if self.eat_lparen_kw("ref") {
            let nullable = if self.peek_kw() == Some("null") {
                self.pos += 1;
                true
            } else {
                false
            };
            let heap = self.heap_type()?;
            self.expect_rparen()?;
            return Ok(RefType { nullable, heap });
        }
        Err(self.unexpected("a reference type"))
    }

    /// A value type.
    pub fn val_type(&mut self) -> Result<ValType> {
        let t = match self.peek_kw() {
            Some("i32") => ValType::I32,
            Some("i64") => ValType::I64,
            Some("f32") => ValType::F32,
            Some("f64") => ValType::F64,
            Some("v128") => ValType::V128,
            _ => {
                if self.at_ref_type() {
                    return Ok(ValType::Ref(self.ref_type()?));
                }
                return Err(self.unexpected("a value type"));
            }
        };
        self.pos += 1;
        Ok(t)
    }

    /// A storage type: a value type or a packed `i8`/`i16`.
    fn storage_type(&mut self) -> Result<StorageType> {
        match self.peek_kw() {
            Some("i8") => {
                self.pos += 1;
                Ok(StorageType::I8)
            }
            Some("i16") => {
                self.pos += 1;
                Ok(StorageType::I16)
            }
            _ => self.val_type().map(StorageType::Val),
        }
    }

    /// `storagetype` or `(mut storagetype)`.
    fn field_type(&mut self) -> Result<FieldType> {
        if self.eat_lparen_kw("mut") {
            let storage = self.storage_type()?;
            self.expect_rparen()?;
            Ok(FieldType {
                storage,
                mutable: true,
            })
        } else {
            Ok(FieldType {
                storage: self.storage_type()?,
                mutable: false,
            })
        }
    }

    /// The body of a `(type …)` definition after its id: `(sub …)` or a
    /// composite type, with the names of a struct's fields or a function
    /// type's parameters in `fields`.
    pub fn type_def(&mut self, fields: &mut Vec<Named<'a>>) -> Result<TypeDef> {
        let mut sub = None;
        let mut closes_sub = false;
        if self.eat_lparen_kw("sub") {
            let is_final = if self.peek_kw() == Some("final") {
                self.pos += 1;
                true
            } else {
                false
            };
            let mut supertypes = Vec::new();
            while self.at_idx() {
                supertypes.push(self.type_ref()?);
            }
            // `(sub final …)` without supertypes is the bare composite
            // type; the `wat` crate encodes it so too.
            if !(is_final && supertypes.is_empty()) {
                sub = Some(SubType {
                    is_final,
                    supertypes,
                });
            }
            closes_sub = true;
        }
        let mut describes = None;
        let mut descriptor = None;
        if self.eat_lparen_kw("describes") {
            describes = Some(self.type_ref()?);
            self.expect_rparen()?;
        }
        if self.eat_lparen_kw("descriptor") {
            descriptor = Some(self.type_ref()?);
            self.expect_rparen()?;
        }
        let composite = self.composite_type(fields)?;
        if closes_sub {
            self.expect_rparen()?;
        }
        Ok(TypeDef {
            composite,
            sub,
            describes,
            descriptor,
        })
    }

    /// `(func …)`, `(struct (field …)*)` or `(array fieldtype)`.
    fn composite_type(&mut self, fields: &mut Vec<Named<'a>>) -> Result<CompositeType> {
        let c = if self.eat_lparen_kw("func") {
            // Parameter names go to name subsection 12 (type parameters).
            let tu = self.type_use(Some(fields))?;
            if tu.idx.is_some() {
                return Err(crate::error::TextError::new(
                    TextErrorKind::UnexpectedToken("`(type` inside a type definition".into()),
                    tu.offset as usize,
                    1,
                ));
            }
            CompositeType::Func(tu.inline.unwrap_or_else(FuncType::default))
        } else if self.eat_lparen_kw("struct") {
            let mut v = Vec::new();
            while self.eat_lparen_kw("field") {
                if self.at_id() {
                    let id = self.opt_id_named()?;
                    v.push(self.field_type()?);
                    fields.push(id);
                } else {
                    while !self.at_rparen() {
                        v.push(self.field_type()?);
                        fields.push((None, None));
                    }
                }
                self.expect_rparen()?;
            }
            CompositeType::Struct(v)
        } else if self.eat_lparen_kw("array") {
            CompositeType::Array(self.field_type()?)
        } else {
            return Err(self.unexpected("`(func`, `(struct`, `(array` or `(sub`"));
        };
        self.expect_rparen()?;
        Ok(c)
    }
}

//! The type grammar: type expressions and named type definitions
//! (`record`, `variant`, `enum`, `flags`, `resource`, `type`).

use super::ast::*;
use super::error::err;
use super::lex::{self, Tok};
use super::parser::{PResult, Parser};
use crate::model;

/// Types nest at most this deep, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 100;

impl Parser<'_> {
    /// A named type definition if one starts here.
    pub(super) fn typedef(&mut self, docs: &Docs, attrs: &[Attr]) -> PResult<Option<TypeDef>> {
        let Some(t) = self.peek() else {
            return Ok(None);
        };
        if t.tok != Tok::Word {
            return Ok(None);
        }
        let kw = self.text(t);
        if !matches!(
            kw,
            "type" | "resource" | "record" | "flags" | "variant" | "enum"
        ) {
            return Ok(None);
        }
        self.next();
        let name = self.id()?;
        let ty = match kw {
            "type" => {
                self.expect(Tok::Equals)?;
                let ty = self.ty(0)?;
                self.expect(Tok::Semicolon)?;
                ty
            }
            "resource" => self.resource()?,
            "record" => {
                self.expect(Tok::LBrace)?;
                let fields = self.list(Tok::RBrace, |p| {
                    let docs = p.docs();
                    let name = p.id()?;
                    p.expect(Tok::Colon)?;
                    Ok((docs, name, p.ty(0)?))
                })?;
                Type::Record(name.at, fields)
            }
            "flags" | "enum" => {
                self.expect(Tok::LBrace)?;
                let names = self.list(Tok::RBrace, |p| Ok((p.docs(), p.id()?)))?;
                if kw == "flags" {
                    Type::Flags(name.at, names)
                } else {
                    Type::Enum(name.at, names)
                }
            }
            _ => {
                self.expect(Tok::LBrace)?;
                let cases = self.list(Tok::RBrace, |p| {
                    let docs = p.docs();
                    let name = p.id()?;
                    let ty = if p.eat(Tok::LParen) {
                        let ty = p.ty(0)?;
                        p.expect(Tok::RParen)?;
                        Some(ty)
                    } else {
                        None
                    };
                    Ok((docs, name, ty))
                })?;
                Type::Variant(name.at, cases)
            }
        };
        Ok(Some(TypeDef {
            docs: docs.clone(),
            attrs: attrs.to_vec(),
            name,
            ty,
        }))
    }

    /// After `resource name`: `;` or `{ constructor(…); m: func(…); … }`.
    pub(super) fn resource(&mut self) -> PResult<Type> {
        let mut funcs = Vec::new();
        if self.eat(Tok::LBrace) {
            loop {
                let docs = self.docs();
                if self.eat(Tok::RBrace) {
                    break;
                }
                let attrs = self.attrs()?;
                if self.is_kw("constructor") {
                    let t = self.next().unwrap();
                    let params = self.params()?;
                    let (result, result_at) = self.opt_result_at()?;
                    self.expect(Tok::Semicolon)?;
                    funcs.push(ResourceFunc::Constructor(NamedFunc {
                        docs,
                        attrs,
                        name: Id {
                            name: "constructor".into(),
                            at: t.start,
                        },
                        func: Func {
                            at: t.start,
                            is_async: false,
                            accessor: None,
                            params,
                            result,
                            result_at,
                        },
                    }));
                    continue;
                }
                let name = match self.peek() {
                    Some(t)
                        if t.tok == Tok::ExplicitId
                            || (t.tok == Tok::Word && !lex::KEYWORDS.contains(&self.text(t))) =>
                    {
                        self.id()?
                    }
                    found => return self.expected("`constructor` or identifier", found),
                };
                self.expect(Tok::Colon)?;
                let is_static = self.eat_kw("static");
                let func = self.func()?;
                self.expect(Tok::Semicolon)?;
                let f = NamedFunc {
                    docs,
                    attrs,
                    name,
                    func,
                };
                funcs.push(if is_static {
                    ResourceFunc::Static(f)
                } else {
                    ResourceFunc::Method(f)
                });
            }
        } else {
            self.expect(Tok::Semicolon)?;
        }
        Ok(Type::Resource(funcs))
    }

    pub(super) fn ty(&mut self, depth: usize) -> PResult<Type> {
        let t = self.next();
        if depth >= MAX_DEPTH {
            return err(self.at_of(t), "type nesting too deep");
        }
        let Some(tok) = t else {
            return self.expected("a type", t);
        };
        if tok.tok == Tok::ExplicitId {
            self.pos -= 1;
            return Ok(Type::Name(self.id()?));
        }
        if tok.tok != Tok::Word {
            return self.expected("a type", t);
        }
        use model::Type as P;
        let prim = match self.text(tok) {
            "bool" => Some(P::Bool),
            "u8" => Some(P::U8),
            "u16" => Some(P::U16),
            "u32" => Some(P::U32),
            "u64" => Some(P::U64),
            "s8" => Some(P::S8),
            "s16" => Some(P::S16),
            "s32" => Some(P::S32),
            "s64" => Some(P::S64),
            "f32" => Some(P::F32),
            "f64" => Some(P::F64),
            "char" => Some(P::Char),
            "string" => Some(P::String),
            "error-context" => Some(P::ErrorContext),
            _ => None,
        };
        if let Some(p) = prim {
            return Ok(Type::Prim(p));
        }
        let d = depth + 1;
        Ok(match self.text(tok) {
            "tuple" => {
                self.expect(Tok::Lt)?;
                Type::Tuple(tok.start, self.list(Tok::Gt, |p| p.ty(d))?)
            }
            "list" => {
                self.expect(Tok::Lt)?;
                let ty = Box::new(self.ty(d)?);
                let ty = if self.eat(Tok::Comma) {
                    let n = self.next();
                    match n {
                        Some(n) if n.tok == Tok::Integer => {
                            let size = self
                                .text(n)
                                .parse::<u32>()
                                .or_else(|e| err(n.start, format!("invalid list size: {e}")))?;
                            Type::FixedList(ty, size)
                        }
                        _ => return self.expected("fixed-length", n),
                    }
                } else {
                    Type::List(ty)
                };
                self.expect(Tok::Gt)?;
                ty
            }
            "map" => {
                self.expect(Tok::Lt)?;
                let k = self.ty(d)?;
                self.expect(Tok::Comma)?;
                let v = self.ty(d)?;
                self.expect(Tok::Gt)?;
                Type::Map(tok.start, Box::new(k), Box::new(v))
            }
            "option" => {
                self.expect(Tok::Lt)?;
                let ty = self.ty(d)?;
                self.expect(Tok::Gt)?;
                Type::Option(Box::new(ty))
            }
            "result" => {
                let (mut ok, mut e) = (None, None);
                if self.eat(Tok::Lt) {
                    if self.eat_kw("_") {
                        self.expect(Tok::Comma)?;
                        e = Some(Box::new(self.ty(d)?));
                    } else {
                        ok = Some(Box::new(self.ty(d)?));
                        if self.eat(Tok::Comma) {
                            e = Some(Box::new(self.ty(d)?));
                        }
                    }
                    self.expect(Tok::Gt)?;
                }
                Type::Result(ok, e)
            }
            kw @ ("future" | "stream") => {
                let mut inner = None;
                if self.eat(Tok::Lt) {
                    inner = Some(Box::new(self.ty(d)?));
                    self.expect(Tok::Gt)?;
                }
                if kw == "future" {
                    Type::Future(inner)
                } else {
                    Type::Stream(inner)
                }
            }
            kw @ ("own" | "borrow") => {
                self.expect(Tok::Lt)?;
                let id = self.id()?;
                self.expect(Tok::Gt)?;
                if kw == "own" {
                    Type::Own(id)
                } else {
                    Type::Borrow(id)
                }
            }
            _ => {
                self.pos -= 1;
                match self.id() {
                    Ok(id) => Type::Name(id),
                    Err(e) if lex::KEYWORDS.contains(&self.text(tok)) => {
                        drop(e);
                        return self.expected("a type", t);
                    }
                    Err(e) => return Err(e),
                }
            }
        })
    }
}

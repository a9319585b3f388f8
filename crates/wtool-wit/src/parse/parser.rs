//! Recursive-descent parser: tokens to the syntax tree in `ast`.

use super::ast::*;
use super::error::{err, Spanned};
use super::lex::{self, Tok, Token};
use crate::model::{PackageName, Version};

pub(super) type PResult<T> = Result<T, Spanned>;

/// Where a result type starts, and where its `ok` type starts.
pub(super) type ResultAt = (usize, Option<usize>);

/// Parses one WIT file.
pub(crate) fn parse_file(src: &str) -> PResult<PackageFile> {
    let tokens = lex::tokenize(src)?;
    let mut p = Parser {
        src,
        tokens,
        pos: 0,
    };
    p.file()
}

pub(super) struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pub(super) pos: usize,
}

/// How wit-parser names a token in "expected …, found …".
fn describe(src: &str, t: Option<Token>) -> String {
    let Some(t) = t else {
        return "eof".into();
    };
    let text = &src[t.start..t.end];
    match t.tok {
        Tok::Word if lex::KEYWORDS.contains(&text) => format!("keyword `{text}`"),
        Tok::Word => "an identifier".into(),
        Tok::ExplicitId => "an '%' identifier".into(),
        Tok::Integer => "an integer".into(),
        Tok::Str => "a string literal".into(),
        Tok::Comment => "a comment".into(),
        Tok::Whitespace => "whitespace".into(),
        Tok::Arrow => "`->`".into(),
        Tok::Star | Tok::At | Tok::Slash | Tok::Plus | Tok::Minus => format!("`{text}`"),
        _ => format!("'{text}'"),
    }
}

fn punct(t: Tok) -> &'static str {
    match t {
        Tok::Equals => "'='",
        Tok::Comma => "','",
        Tok::Colon => "':'",
        Tok::Period => "'.'",
        Tok::Semicolon => "';'",
        Tok::LParen => "'('",
        Tok::RParen => "')'",
        Tok::LBrace => "'{'",
        Tok::RBrace => "'}'",
        Tok::Lt => "'<'",
        Tok::Gt => "'>'",
        Tok::Arrow => "`->`",
        Tok::At => "`@`",
        Tok::Slash => "`/`",
        Tok::Integer => "an integer",
        Tok::Str => "a string literal",
        _ => "a token",
    }
}

impl<'a> Parser<'a> {
    /// The index of the next significant token at or after `pos`.
    pub(super) fn skip(&self, mut pos: usize) -> usize {
        while pos < self.tokens.len()
            && matches!(self.tokens[pos].tok, Tok::Comment | Tok::Whitespace)
        {
            pos += 1;
        }
        pos
    }

    pub(super) fn peek(&self) -> Option<Token> {
        self.tokens.get(self.skip(self.pos)).copied()
    }

    pub(super) fn peek_n(&self, n: usize) -> Option<Token> {
        let mut pos = self.skip(self.pos);
        for _ in 0..n {
            pos = self.skip(pos + 1);
        }
        self.tokens.get(pos).copied()
    }

    pub(super) fn next(&mut self) -> Option<Token> {
        let pos = self.skip(self.pos);
        let t = self.tokens.get(pos).copied();
        self.pos = pos + 1;
        t
    }

    pub(super) fn text(&self, t: Token) -> &'a str {
        &self.src[t.start..t.end]
    }

    pub(super) fn eof(&self) -> usize {
        self.src.len()
    }

    pub(super) fn at_of(&self, t: Option<Token>) -> usize {
        t.map_or(self.eof(), |t| t.start)
    }

    pub(super) fn expected<T>(&self, what: &str, found: Option<Token>) -> PResult<T> {
        err(
            self.at_of(found),
            format!("expected {what}, found {}", describe(self.src, found)),
        )
    }

    pub(super) fn is(&self, tok: Tok) -> bool {
        self.peek().is_some_and(|t| t.tok == tok)
    }

    pub(super) fn is_kw(&self, kw: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.tok == Tok::Word && self.text(t) == kw)
    }

    pub(super) fn eat(&mut self, tok: Tok) -> bool {
        let yes = self.is(tok);
        if yes {
            self.next();
        }
        yes
    }

    pub(super) fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.next();
        }
        yes
    }

    pub(super) fn expect(&mut self, tok: Tok) -> PResult<Token> {
        match self.next() {
            Some(t) if t.tok == tok => Ok(t),
            found => self.expected(punct(tok), found),
        }
    }

    pub(super) fn expect_kw(&mut self, kw: &str) -> PResult<Token> {
        match self.next() {
            Some(t) if t.tok == Tok::Word && self.text(t) == kw => Ok(t),
            found => self.expected(&format!("keyword `{kw}`"), found),
        }
    }

    /// The comments before the next token, as wit-parser keeps them (every
    /// comment, with trailing whitespace of the last one dropped later).
    pub(super) fn docs(&self) -> Docs {
        let mut comments = Vec::new();
        let mut pos = self.pos;
        while let Some(t) = self.tokens.get(pos) {
            match t.tok {
                Tok::Comment => comments.push(self.text(*t).to_string()),
                Tok::Whitespace => {}
                _ => break,
            }
            pos += 1;
        }
        Docs { comments }
    }

    pub(super) fn id(&mut self) -> PResult<Id> {
        match self.next() {
            Some(t) if t.tok == Tok::Word && !lex::KEYWORDS.contains(&self.text(t)) => {
                let name = self.text(t);
                lex::validate_id(t.start, name)?;
                Ok(Id {
                    name: name.into(),
                    at: t.start,
                })
            }
            Some(t) if t.tok == Tok::ExplicitId => {
                let name = &self.text(t)[1..];
                lex::validate_id(t.start, name)?;
                Ok(Id {
                    name: name.into(),
                    at: t.start,
                })
            }
            found => self.expected("an identifier or string", found),
        }
    }

    pub(super) fn file(&mut self) -> PResult<PackageFile> {
        // `package a:b;` names the file's package; `package a:b { … }` is a
        // nested package instead, so look past the name before committing.
        let save = self.pos;
        let mut name = None;
        let docs = self.docs();
        if self.eat_kw("package") {
            let at = self.peek().map_or(self.eof(), |t| t.start);
            let pkg = self.package_name()?;
            if self.eat(Tok::Semicolon) {
                name = Some((pkg, at, docs));
            } else {
                self.pos = save;
            }
        }
        let mut items = Vec::new();
        let mut nested = Vec::new();
        while self.peek().is_some() {
            let docs = self.docs();
            let attrs = self.attrs()?;
            if self.is_kw("package") {
                let t = self.next().unwrap();
                if !attrs.is_empty() {
                    return err(t.start, "cannot place attributes on nested packages");
                }
                let at = self.at_of(self.peek());
                let pkg = self.package_name()?;
                self.expect(Tok::LBrace)?;
                let mut inner = Vec::new();
                while !self.eat(Tok::RBrace) {
                    let docs = self.docs();
                    let attrs = self.attrs()?;
                    if self.is_kw("package") {
                        // Reported at the inner package's name, as wit-parser does.
                        let at = self.at_of(self.peek_n(1));
                        return err(at, "nested packages must be placed at the top-level");
                    }
                    inner.push(self.item(docs, attrs)?);
                }
                nested.push(PackageFile {
                    name: Some((pkg, at, docs)),
                    items: inner,
                    nested: Vec::new(),
                });
            } else {
                items.push(self.item(docs, attrs)?);
            }
        }
        Ok(PackageFile {
            name,
            items,
            nested,
        })
    }

    pub(super) fn item(&mut self, docs: Docs, attrs: Vec<Attr>) -> PResult<Item> {
        let t = self.peek();
        if let Some(Attr::ExternalId { at, .. }) =
            attrs.iter().find(|a| matches!(a, Attr::ExternalId { .. }))
        {
            let at = *at;
            let what = match t.map(|t| self.text(t)) {
                Some("interface") => "interface declarations",
                Some("world") => "world declarations",
                _ => "this item",
            };
            return err(at, format!("@external-id is not allowed on {what}"));
        }
        match t.map(|t| (t.tok, self.text(t))) {
            Some((Tok::Word, "interface")) => {
                self.next();
                let name = self.id()?;
                let items = self.iface_items()?;
                Ok(Item::Interface(Interface {
                    docs,
                    attrs,
                    name,
                    items,
                }))
            }
            Some((Tok::Word, "world")) => {
                self.next();
                let name = self.id()?;
                let items = self.world_items()?;
                Ok(Item::World(World {
                    docs,
                    attrs,
                    name,
                    items,
                }))
            }
            Some((Tok::Word, "use")) => {
                let at = self.next().unwrap().start;
                let path = self.use_path()?;
                let as_ = if self.eat_kw("as") {
                    Some(self.id()?)
                } else {
                    None
                };
                self.expect(Tok::Semicolon)?;
                Ok(Item::Use(TopUse {
                    at,
                    attrs,
                    path,
                    as_,
                }))
            }
            _ => self.expected("`world`, `interface` or `use`", t),
        }
    }

    pub(super) fn package_name(&mut self) -> PResult<PackageName> {
        let namespace = self.id()?;
        self.expect(Tok::Colon)?;
        let name = self.id()?;
        let version = self.opt_version()?;
        Ok(PackageName {
            namespace: namespace.name,
            name: name.name,
            version,
        })
    }

    pub(super) fn opt_version(&mut self) -> PResult<Option<Version>> {
        if self.eat(Tok::At) {
            Ok(Some(self.version()?))
        } else {
            Ok(None)
        }
    }

    /// `MAJOR.MINOR.PATCH`, then optional `-pre.release` and `+build` parts
    /// (tokens are adjacent or not, as wit-parser allows; semver checks the text).
    pub(super) fn version(&mut self) -> PResult<Version> {
        let start = self.expect(Tok::Integer)?.start;
        self.expect(Tok::Period)?;
        self.expect(Tok::Integer)?;
        self.expect(Tok::Period)?;
        let mut end = self.expect(Tok::Integer)?.end;
        for sep in [Tok::Minus, Tok::Plus] {
            if !self.is(sep) {
                continue;
            }
            end = self.next().unwrap().end;
            loop {
                let part = |t: Option<Token>| {
                    t.is_some_and(|t| matches!(t.tok, Tok::Word | Tok::Integer | Tok::Minus))
                };
                if part(self.peek()) {
                    end = self.next().unwrap().end;
                } else if self.is(Tok::Period) && part(self.peek_n(1)) {
                    self.next();
                    end = self.next().unwrap().end;
                } else {
                    break;
                }
            }
        }
        let text: String = self.src[start..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Version::parse(&text).or_else(|e| err(start, format!("{e}")))
    }

    pub(super) fn attrs(&mut self) -> PResult<Vec<Attr>> {
        let mut out = Vec::new();
        while self.eat(Tok::At) {
            let id = self.id()?;
            let at = id.at;
            let attr = match id.name.as_str() {
                "since" | "deprecated" => {
                    self.expect(Tok::LParen)?;
                    self.expect_named("version")?;
                    self.expect(Tok::Equals)?;
                    let version = self.version()?;
                    self.expect(Tok::RParen)?;
                    if id.name == "since" {
                        Attr::Since { at, version }
                    } else {
                        Attr::Deprecated { at, version }
                    }
                }
                "unstable" => {
                    self.expect(Tok::LParen)?;
                    self.expect_named("feature")?;
                    self.expect(Tok::Equals)?;
                    let feature = self.id()?.name;
                    self.expect(Tok::RParen)?;
                    Attr::Unstable { at, feature }
                }
                "external-id" => {
                    if out.iter().any(|a| matches!(a, Attr::ExternalId { .. })) {
                        return err(at, "cannot specify @external-id twice");
                    }
                    self.expect(Tok::LParen)?;
                    let t = self.expect(Tok::Str)?;
                    let value = lex::string_value(t.start, self.text(t))?;
                    self.expect(Tok::RParen)?;
                    Attr::ExternalId { at, value }
                }
                other => return err(at, format!("unknown attribute `{other}`")),
            };
            out.push(attr);
        }
        Ok(out)
    }

    pub(super) fn expect_named(&mut self, want: &str) -> PResult<()> {
        let id = self.id()?;
        if id.name != want {
            return err(id.at, format!("expected `{want}`, found `{}`", id.name));
        }
        Ok(())
    }

    /// `name`, `ns:pkg/name` or `ns:pkg/name@1.0.0`.
    pub(super) fn use_path(&mut self) -> PResult<UsePath> {
        let first = self.id()?;
        if !self.eat(Tok::Colon) {
            return Ok(UsePath::Local(first));
        }
        let pkg = self.id()?;
        self.expect(Tok::Slash)?;
        let name = self.id()?;
        let version = self.opt_version()?;
        Ok(UsePath::Package {
            pkg: PackageName {
                namespace: first.name,
                name: pkg.name,
                version,
            },
            at: first.at,
            name,
        })
    }

    pub(super) fn iface_items(&mut self) -> PResult<Vec<IfaceItem>> {
        self.braced_items(Self::iface_item)
    }

    /// `{ item* }`, each item after its doc comments and attributes.
    fn braced_items<T>(
        &mut self,
        item: fn(&mut Self, Docs, Vec<Attr>) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.expect(Tok::LBrace)?;
        let mut items = Vec::new();
        loop {
            let docs = self.docs();
            if self.eat(Tok::RBrace) {
                return Ok(items);
            }
            let attrs = self.attrs()?;
            items.push(item(self, docs, attrs)?);
        }
    }

    pub(super) fn iface_item(&mut self, docs: Docs, attrs: Vec<Attr>) -> PResult<IfaceItem> {
        if self.is_kw("use") {
            return Ok(IfaceItem::Use(self.use_(attrs)?));
        }
        if let Some(td) = self.typedef(&docs, &attrs)? {
            return Ok(IfaceItem::Type(td));
        }
        match self.peek() {
            Some(t) if t.tok == Tok::ExplicitId || t.tok == Tok::Word => {
                let f = self.named_func(docs, attrs)?;
                Ok(IfaceItem::Func(f))
            }
            found => self.expected("`type`, `resource` or `func`", found),
        }
    }

    pub(super) fn named_func(&mut self, docs: Docs, attrs: Vec<Attr>) -> PResult<NamedFunc> {
        let name = self.id()?;
        self.expect(Tok::Colon)?;
        let func = self.func()?;
        self.expect(Tok::Semicolon)?;
        Ok(NamedFunc {
            docs,
            attrs,
            name,
            func,
        })
    }

    pub(super) fn use_(&mut self, attrs: Vec<Attr>) -> PResult<Use> {
        self.expect_kw("use")?;
        let from = self.use_path()?;
        self.expect(Tok::Period)?;
        self.expect(Tok::LBrace)?;
        let mut names = Vec::new();
        while !self.eat(Tok::RBrace) {
            let name = self.id()?;
            let as_ = if self.eat_kw("as") {
                Some(self.id()?)
            } else {
                None
            };
            names.push((name, as_));
            if !self.eat(Tok::Comma) {
                self.expect(Tok::RBrace)?;
                break;
            }
        }
        self.expect(Tok::Semicolon)?;
        Ok(Use { attrs, from, names })
    }

    /// `async? func(params) (-> type)?`.
    pub(super) fn func(&mut self) -> PResult<Func> {
        let at = self.at_of(self.peek());
        let is_async = self.eat_kw("async");
        let accessor = if !is_async && self.accessor_ahead() {
            let t = self.next().unwrap();
            Some(if self.text(t) == "get" {
                Accessor::Get
            } else {
                Accessor::Set
            })
        } else {
            self.expect_kw("func")?;
            None
        };
        let params = self.params()?;
        let (result, result_at) = self.opt_result_at()?;
        Ok(Func {
            at,
            is_async,
            accessor,
            params,
            result,
            result_at,
        })
    }

    /// `get(` or `set(`: an accessor (neither word is a keyword otherwise).
    pub(super) fn accessor_ahead(&self) -> bool {
        (self.is_kw("get") || self.is_kw("set"))
            && self.peek_n(1).is_some_and(|t| t.tok == Tok::LParen)
    }

    pub(super) fn params(&mut self) -> PResult<Vec<(Id, Type)>> {
        self.expect(Tok::LParen)?;
        self.list(Tok::RParen, |p| {
            let name = p.id()?;
            p.expect(Tok::Colon)?;
            Ok((name, p.ty(0)?))
        })
    }

    /// `-> type`, with where the type starts and, for `result<ok, …>`, where `ok` starts.
    pub(super) fn opt_result_at(&mut self) -> PResult<(Option<Type>, ResultAt)> {
        let start = self.pos;
        let at = self.at_of(self.peek());
        let ty = self.opt_result()?;
        let Some(t) = &ty else {
            return Ok((None, (at, None)));
        };
        // Skip `->`, then look past `result <` for the ok type.
        let arrow = self.skip(start);
        let ty_at = self.tokens[self.skip(arrow + 1)].start;
        let mut ok_at = None;
        if let Type::Result(Some(_), _) = t {
            let kw = self.skip(arrow + 1);
            let lt = self.skip(kw + 1);
            ok_at = self.tokens.get(self.skip(lt + 1)).map(|t| t.start);
        }
        Ok((ty, (ty_at, ok_at)))
    }

    pub(super) fn opt_result(&mut self) -> PResult<Option<Type>> {
        if self.eat(Tok::Arrow) {
            Ok(Some(self.ty(0)?))
        } else {
            Ok(None)
        }
    }

    /// Comma-separated items up to `end` (a trailing comma is allowed).
    pub(super) fn list<T>(
        &mut self,
        end: Tok,
        mut f: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        let mut out = Vec::new();
        loop {
            if self.eat(end) {
                return Ok(out);
            }
            out.push(f(self)?);
            if !self.eat(Tok::Comma) {
                self.expect(end)?;
                return Ok(out);
            }
        }
    }

    pub(super) fn world_items(&mut self) -> PResult<Vec<WorldItem>> {
        self.braced_items(Self::world_item)
    }

    pub(super) fn world_item(&mut self, docs: Docs, attrs: Vec<Attr>) -> PResult<WorldItem> {
        if self.is_kw("import") || self.is_kw("export") {
            let t = self.next().unwrap();
            // wit-parser points at what is imported, not at the keyword.
            let at = self.at_of(self.peek());
            let kind = self.extern_kind()?;
            let e = Extern {
                docs,
                attrs,
                at,
                kind,
            };
            return Ok(if self.text(t) == "import" {
                WorldItem::Import(e)
            } else {
                WorldItem::Export(e)
            });
        }
        if self.is_kw("use") {
            return Ok(WorldItem::Use(self.use_(attrs)?));
        }
        if let (true, Some(Attr::ExternalId { at, .. })) = (
            self.is_kw("include"),
            attrs.iter().find(|a| matches!(a, Attr::ExternalId { .. })),
        ) {
            return err(*at, "@external-id is not allowed on include statements");
        }
        if self.eat_kw("include") {
            let from = self.use_path()?;
            let mut names = Vec::new();
            if self.eat_kw("with") {
                self.expect(Tok::LBrace)?;
                names = self.list(Tok::RBrace, |p| {
                    let a = p.id()?;
                    p.expect_kw("as")?;
                    Ok((a, p.id()?))
                })?;
            } else {
                self.expect(Tok::Semicolon)?;
            }
            return Ok(WorldItem::Include(Include { attrs, from, names }));
        }
        if let Some(td) = self.typedef(&docs, &attrs)? {
            return Ok(WorldItem::Type(td));
        }
        let t = self.peek();
        self.expected(
            "`import`, `export`, `include`, `use`, or type definition",
            t,
        )
    }

    /// After `import`/`export`: a function, an inline interface, or a path,
    /// told apart by looking past `name:` (`a:b/c` is a path, not a label).
    pub(super) fn extern_kind(&mut self) -> PResult<ExternKind> {
        let save = self.pos;
        let id = self.id()?;
        if self.eat(Tok::Colon) {
            if self.is_kw("func") || self.is_kw("async") || self.accessor_ahead() {
                let f = self.func()?;
                self.expect(Tok::Semicolon)?;
                return Ok(ExternKind::Func(id, f));
            }
            if self.eat_kw("interface") {
                return Ok(ExternKind::Interface(id, self.iface_items()?));
            }
            let after = self.pos;
            let qualified = self.id().is_ok() && self.is(Tok::Slash);
            self.pos = after;
            if !qualified {
                let path = self.use_path()?;
                self.expect(Tok::Semicolon)?;
                return Ok(ExternKind::NamedPath(id, path));
            }
        }
        self.pos = save;
        let path = self.use_path()?;
        self.expect(Tok::Semicolon)?;
        Ok(ExternKind::Path(path))
    }
}

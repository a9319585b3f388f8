//! The module header and every section.

use wtool_ast::{
    CustomPlace, CustomSection, ElemItems, ElemMode, ElemSegment, Export, ExternKind, Features,
    Func, Global, Import, ImportDesc, Module, Origin, RefType, SectionId, SectionInfo, Table, Tag,
};

use super::code::{self, CodeCtx};
use super::data;
use super::names;
use super::types::{self, Accept};
use crate::error::{Context, DecodeError, EntryKind, ErrorKind, Result, SectionRef};
use crate::reader::Reader;

/// The running index of entry `i` in an index space that imports start.
fn index(imported: u32, i: u32) -> u32 {
    imported.saturating_add(i)
}

/// State carried across sections.
struct Decoder<'a> {
    full: &'a [u8],
    acc: Accept,
    m: Module,
    /// Type indices from the function section, waiting for the code section.
    func_types: Vec<u32>,
    /// Where the code section's count is, once seen.
    code_at: Option<usize>,
    seen_data: bool,
    seen_name: bool,
    /// Leave function bodies' instructions undecoded, recording their ranges.
    lazy: bool,
    /// Leave data segment and custom section bytes in the input too.
    lazy_bytes: bool,
    /// Check the export section but keep none of it (`LazyParts::exports`).
    leave_exports: bool,
    /// Check the data section but keep none of it (`LazyParts::data_section`).
    leave_datas: bool,
    parts: LazyParts,
    scratch: code::Scratch,
}

/// Where the parts a lazy decode leaves undecoded lie in the input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LazyParts {
    /// Each defined function's instructions, in order.
    pub bodies: Vec<code::BodyRange>,
    /// Each data segment's bytes, in order (with [`crate::decode_lazy_parts`]
    /// the segments' own `data` is left empty).
    pub datas: Vec<std::ops::Range<u32>>,
    /// Each custom section's payload after its name, in order; `None` where
    /// the section's `data` holds what it should (the name section, kept as
    /// [`crate::decode`] keeps it).
    pub customs: Vec<Option<std::ops::Range<u32>>>,
    /// The export section's payload, when it was checked but left there
    /// ([`crate::Leave::exports`]; `Module::exports` is then empty).
    pub exports: Option<std::ops::Range<u32>>,
    /// The data section, when it was checked but left there
    /// ([`crate::Leave::datas`]; `Module::datas` and `datas` are then empty).
    pub data_section: Option<data::DataLeft>,
}

impl LazyParts {
    /// The exports left in `input` (see the `exports` field), decoded
    /// one at a time; `None` when they are in the module.
    pub fn read_exports<'a>(
        &self,
        input: &'a [u8],
        features: Features,
    ) -> Option<impl ExactSizeIterator<Item = Result<Export>> + 'a> {
        let range = self.exports.clone()?;
        let mut r = Reader::bounded(input, range.start as usize, range.end as usize);
        let (n, _) = r.count().ok()?;
        let acc = Accept::new(features);
        Some((0..n).map(move |i| export(&mut r, acc).entry(EntryKind::Export, i)))
    }

    /// How many data segments the module has: those in the module, or
    /// those left in the input.
    pub fn num_datas(&self, m: &Module) -> usize {
        match &self.data_section {
            Some(d) => d.count as usize,
            None => m.datas.len(),
        }
    }

    /// [`LazyParts::read_exports`] with each name borrowed from `input`:
    /// `(name, kind, index)`, nothing allocated.
    pub fn read_export_refs<'a>(
        &self,
        input: &'a [u8],
        features: Features,
    ) -> Option<impl ExactSizeIterator<Item = Result<(&'a str, ExternKind, u32)>> + 'a> {
        let range = self.exports.clone()?;
        let mut r = Reader::bounded(input, range.start as usize, range.end as usize);
        let (n, _) = r.count().ok()?;
        let acc = Accept::new(features);
        Some((0..n).map(move |i| export_ref(&mut r, acc).entry(EntryKind::Export, i)))
    }

    /// The bytes of data segment `i` in `input`, the module's bytes.
    pub fn data<'a>(&self, input: &'a [u8], i: usize) -> Option<&'a [u8]> {
        let r = self.datas.get(i)?;
        input.get(r.start as usize..r.end as usize)
    }

    /// The payload of custom section `i` in `input`, when it was left there.
    pub fn custom<'a>(&self, input: &'a [u8], i: usize) -> Option<&'a [u8]> {
        let r = self.customs.get(i)?.as_ref()?;
        input.get(r.start as usize..r.end as usize)
    }
}

/// Decodes a whole module, accepting the encodings `features` enable.
pub(crate) fn decode_module(bytes: &[u8], features: Features) -> Result<Module> {
    decode_module_with(bytes, features, false, None).map(|(m, _)| m)
}

/// [`decode_module`] leaving function bodies' instruction offsets empty.
pub(crate) fn decode_module_without_offsets(bytes: &[u8], features: Features) -> Result<Module> {
    decode_module_inner(bytes, features, false, None, true).map(|(m, _)| m)
}

/// Decodes a module; with `lazy`, function bodies keep empty instruction
/// lists and their byte ranges are returned instead; with `leave`, data
/// segments and custom sections other than the name section keep empty
/// `data` and their ranges are returned (nothing is copied), and so are
/// the sections `leave` names.
pub(crate) fn decode_module_with(
    bytes: &[u8],
    features: Features,
    lazy: bool,
    leave: Option<crate::Leave>,
) -> Result<(Module, LazyParts)> {
    decode_module_inner(bytes, features, lazy, leave, false)
}

/// [`decode_module_with`]; with `drop_offsets`, bodies keep no offsets.
fn decode_module_inner(
    bytes: &[u8],
    features: Features,
    lazy: bool,
    leave: Option<crate::Leave>,
    drop_offsets: bool,
) -> Result<(Module, LazyParts)> {
    if u32::try_from(bytes.len()).is_err() {
        return Err(DecodeError::new(0, ErrorKind::LengthOutOfBounds));
    }
    let mut r = Reader::new(bytes);
    let header = |e: DecodeError, field| {
        let ends = e.kind() == &ErrorKind::UnexpectedEnd;
        let e = e.in_section(SectionRef::Header).in_field(field);
        if ends {
            e.input_ended()
        } else {
            e
        }
    };
    if r.bytes(4).map_err(|e| header(e, "magic"))? != b"\0asm" {
        return Err(header(DecodeError::new(0, ErrorKind::BadMagic), "magic"));
    }
    if r.bytes(4).map_err(|e| header(e, "version"))? != [1, 0, 0, 0] {
        return Err(header(
            DecodeError::new(4, ErrorKind::BadVersion),
            "version",
        ));
    }
    let mut d = Decoder {
        full: bytes,
        acc: Accept::new(features),
        m: Module {
            origin: Origin::Binary,
            ..Module::default()
        },
        func_types: Vec::new(),
        code_at: None,
        seen_data: false,
        seen_name: false,
        lazy,
        lazy_bytes: leave.is_some(),
        leave_exports: leave.is_some_and(|l| l.exports),
        leave_datas: leave.is_some_and(|l| l.datas),
        parts: LazyParts::default(),
        scratch: code::Scratch::new(drop_offsets),
    };
    let mut last: Option<SectionId> = None;
    while !r.at_end() {
        let offset = r.pos();
        let id = r.u8()?;
        let sid = SectionId::from_u8(id)
            .filter(|&s| s != SectionId::Tag || d.acc.exceptions)
            .ok_or_else(|| {
                let e =
                    DecodeError::new(offset, ErrorKind::MalformedSectionId).in_field("section id");
                if id == SectionId::Tag as u8 {
                    e.needing(Features::EXCEPTIONS)
                } else {
                    e
                }
            })?;
        let size = match r.len32() {
            Ok(size) => size,
            Err(e) => return Err(d.section_past_end(sid, r.pos(), e)),
        };
        let payload_offset = r.pos();
        let mut s = r.sub(size).map_err(|e| e.in_section(SectionRef::Id(sid)))?;
        d.m.sections.push(SectionInfo {
            id,
            offset: offset as u32,
            payload_offset: payload_offset as u32,
            size: size as u32,
        });
        if sid == SectionId::Custom {
            let place = match last {
                Some(l) => CustomPlace::After(l),
                None => CustomPlace::Before(SectionId::Type),
            };
            d.custom(&mut s, place)?;
            continue;
        }
        if let (Some(l), Some(order)) = (last, sid.order()) {
            if l.order().is_some_and(|lo| order <= lo) {
                return Err(DecodeError::new(offset, ErrorKind::ContentAfterLastSection)
                    .in_section(SectionRef::Id(sid)));
            }
        }
        last = Some(sid);
        d.section(sid, &mut s)
            .map_err(|e| e.in_section(SectionRef::Id(sid)))?;
        if !s.at_end() {
            return Err(DecodeError::new(s.pos(), ErrorKind::SectionSizeMismatch)
                .in_section(SectionRef::Id(sid)));
        }
    }
    d.finish()
}

impl<'a> Decoder<'a> {
    /// The error for a section whose size field could not be read, or runs
    /// past the end of the input. In the second case the file is cut short:
    /// what there is of the section is decoded as far as it goes, so the
    /// error can say which entry and field the input ends in (its offset
    /// and spec message stay those of the size field).
    #[cold]
    fn section_past_end(
        &mut self,
        sid: SectionId,
        after_size: usize,
        e: DecodeError,
    ) -> DecodeError {
        let e = e.in_field("section size");
        match e.kind() {
            ErrorKind::UnexpectedEnd => e.in_section(SectionRef::Id(sid)).input_ended(),
            ErrorKind::LengthOutOfBounds => {
                let mut part = Reader::bounded(self.full, after_size, self.full.len());
                let inner = if sid == SectionId::Custom {
                    // What there is of a custom section is its name and some bytes.
                    match part.name() {
                        Ok(name) => Err(DecodeError::new(0, ErrorKind::UnexpectedEnd)
                            .in_section(SectionRef::Custom(name.to_string()))
                            .in_field("contents")),
                        Err(e) => Err(e.in_section(SectionRef::Id(sid)).in_field("name")),
                    }
                } else {
                    self.section(sid, &mut part)
                        .map_err(|e| e.in_section(SectionRef::Id(sid)))
                };
                let e = match inner {
                    Err(inner) if runs_out(&inner) => e.with_context_of(inner),
                    _ => e.in_section(SectionRef::Id(sid)),
                };
                e.input_ended()
            }
            _ => e.in_section(SectionRef::Id(sid)),
        }
    }

    fn section(&mut self, id: SectionId, s: &mut Reader<'a>) -> Result<()> {
        match id {
            SectionId::Type => self.types(s),
            SectionId::Import => self.imports(s),
            SectionId::Function => {
                let (n, cap) = s.count().field("count")?;
                let base = self.m.num_imported(ExternKind::Func);
                self.func_types = Vec::with_capacity(cap);
                for i in 0..n {
                    let t = s.u32().field("type index");
                    self.func_types
                        .push(t.entry(EntryKind::Function, index(base, i))?);
                }
                Ok(())
            }
            SectionId::Table => self.tables(s),
            SectionId::Memory => {
                let (n, cap) = s.count().field("count")?;
                let base = self.m.num_imported(ExternKind::Memory);
                self.m.memories.reserve(cap);
                for i in 0..n {
                    let ty = types::memory_type(s, self.acc).field("limits");
                    self.m
                        .memories
                        .push(ty.entry(EntryKind::Memory, index(base, i))?);
                }
                Ok(())
            }
            SectionId::Tag => {
                let (n, cap) = s.count().field("count")?;
                let base = self.m.num_imported(ExternKind::Tag);
                self.m.tags.reserve(cap);
                for i in 0..n {
                    let type_idx = tag_type(s).entry(EntryKind::Tag, index(base, i))?;
                    self.m.tags.push(Tag { type_idx });
                }
                Ok(())
            }
            SectionId::Global => {
                let (n, cap) = s.count().field("count")?;
                let base = self.m.num_imported(ExternKind::Global);
                self.m.globals.reserve(cap);
                for i in 0..n {
                    let at = EntryKind::Global;
                    let ty = types::global_type(s, self.acc)
                        .field("type")
                        .entry(at, index(base, i))?;
                    let init = self
                        .const_expr(s)
                        .field("initializer")
                        .entry(at, index(base, i))?;
                    self.m.globals.push(Global { ty, init });
                }
                Ok(())
            }
            SectionId::Export => self.exports(s),
            SectionId::Start => {
                self.m.start = Some(s.u32().field("function index")?);
                Ok(())
            }
            SectionId::Element => self.elems(s),
            SectionId::DataCount => {
                self.m.data_count = Some(s.u32().field("count")?);
                Ok(())
            }
            SectionId::Code => self.code(s),
            SectionId::Data => self.datas(s),
            SectionId::Custom => Ok(()),
        }
    }

    fn const_expr(&self, s: &mut Reader<'a>) -> Result<wtool_ast::Expr> {
        let cx = CodeCtx {
            acc: self.acc,
            has_data_count: self.m.data_count.is_some(),
        };
        code::decode_expr(s, cx, false)
    }

    fn custom(&mut self, s: &mut Reader<'a>, place: CustomPlace) -> Result<()> {
        let name = s
            .name()
            .field("name")
            .map_err(|e| e.in_section(SectionRef::Id(SectionId::Custom)))?
            .to_string();
        let in_custom = |e: DecodeError| e.in_section(SectionRef::Custom(name.clone()));
        let mut payload = s.clone();
        let start = s.pos();
        let raw = s.bytes(s.remaining()).map_err(in_custom)?;
        let is_names = name == "name" && !self.seen_name;
        let mut data = if self.lazy_bytes && !is_names {
            self.parts
                .customs
                .push(Some(start as u32..(start + raw.len()) as u32));
            Vec::new()
        } else {
            if self.lazy_bytes {
                self.parts.customs.push(None);
            }
            raw.to_vec()
        };
        if is_names {
            self.seen_name = true;
            if let Some(n) = names::decode_names(&mut payload) {
                let mut canon = Vec::new();
                crate::encode::names::encode_names(&mut canon, &n);
                if canon == raw {
                    data.clear();
                }
                self.m.names = Some(n);
            }
        }
        self.m.customs.push(CustomSection { name, data, place });
        Ok(())
    }

    fn types(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count().field("count")?;
        self.m.types.reserve(cap);
        for i in 0..n {
            let at = s.pos();
            let first = s.u8().entry(EntryKind::Type, i)?;
            if first == 0x4e && self.acc.gc {
                let (len, _) = s.count().entry(EntryKind::Type, i)?;
                let start = self.m.types.len() as u32;
                for _ in 0..len {
                    let at = s.pos();
                    let b = s.u8().entry(EntryKind::Type, i)?;
                    let ty = types::sub_type(s, self.acc, b, at).entry(EntryKind::Type, i)?;
                    self.m.types.push(ty);
                }
                self.m.rec_groups.push(wtool_ast::RecGroup { start, len });
            } else {
                let ty = types::sub_type(s, self.acc, first, at).entry(EntryKind::Type, i)?;
                self.m.types.push(ty);
            }
        }
        Ok(())
    }

    fn imports(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count().field("count")?;
        self.m.imports.reserve(cap);
        for i in 0..n {
            let import = import(s, self.acc).entry(EntryKind::Import, i)?;
            self.m.imports.push(import);
        }
        Ok(())
    }

    fn tables(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count().field("count")?;
        let base = self.m.num_imported(ExternKind::Table);
        self.m.tables.reserve(cap);
        for i in 0..n {
            let table = self.table(s).entry(EntryKind::Table, index(base, i))?;
            self.m.tables.push(table);
        }
        Ok(())
    }

    fn table(&self, s: &mut Reader<'a>) -> Result<Table> {
        if self.acc.typed_refs && s.peek() == Some(0x40) {
            s.u8()?;
            let at = s.pos();
            if s.u8().field("table type")? != 0 {
                return Err(DecodeError::new(at, ErrorKind::MalformedTable).in_field("table type"));
            }
            let ty = types::table_type(s, self.acc).field("table type")?;
            let init = Some(self.const_expr(s).field("initializer")?);
            Ok(Table { ty, init })
        } else {
            let ty = types::table_type(s, self.acc).field("table type")?;
            Ok(Table { ty, init: None })
        }
    }

    fn exports(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let start = s.pos();
        let (n, cap) = s.count().field("count")?;
        if self.leave_exports {
            for i in 0..n {
                export_ref(s, self.acc).entry(EntryKind::Export, i)?;
            }
            self.parts.exports = Some(start as u32..s.pos() as u32);
            return Ok(());
        }
        self.m.exports.reserve(cap);
        for i in 0..n {
            let export = export(s, self.acc).entry(EntryKind::Export, i)?;
            self.m.exports.push(export);
        }
        Ok(())
    }

    fn elems(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count().field("count")?;
        self.m.elems.reserve(cap);
        for i in 0..n {
            let seg = self.elem(s).entry(EntryKind::Element, i)?;
            self.m.elems.push(seg);
        }
        Ok(())
    }

    fn elem(&self, s: &mut Reader<'a>) -> Result<ElemSegment> {
        let at = s.pos();
        let flags = s.u32().field("flags")?;
        if flags > 7 {
            return Err(DecodeError::new(at, ErrorKind::MalformedElemFlags).in_field("flags"));
        }
        // Bit 0: passive or declarative; bit 1: explicit table (active) or
        // declarative (otherwise); bit 2: expressions instead of indices.
        let mode = if flags & 1 == 0 {
            let table = if flags & 2 != 0 {
                s.u32().field("table index")?
            } else {
                0
            };
            ElemMode::Active {
                table,
                offset: self.const_expr(s).field("offset")?,
            }
        } else if flags & 2 != 0 {
            ElemMode::Declarative
        } else {
            ElemMode::Passive
        };
        let has_type = flags & 3 != 0;
        let exprs = flags & 4 != 0;
        let ty = if !has_type {
            RefType::FUNCREF
        } else if exprs {
            types::ref_type(s, self.acc).field("element type")?
        } else {
            let at = s.pos();
            if s.u8().field("element kind")? != 0 {
                return Err(
                    DecodeError::new(at, ErrorKind::MalformedElemKind).in_field("element kind")
                );
            }
            RefType::FUNCREF
        };
        let (count, cap) = s.count().field("count")?;
        let items = if exprs {
            let mut v = Vec::with_capacity(cap);
            for _ in 0..count {
                v.push(self.const_expr(s).field("items")?);
            }
            ElemItems::Exprs(v)
        } else {
            let mut v = Vec::with_capacity(cap);
            for _ in 0..count {
                v.push(s.u32().field("function indices")?);
            }
            ElemItems::Funcs(v)
        };
        let explicit_index = flags & 3 == 2;
        Ok(ElemSegment {
            ty,
            mode,
            items,
            explicit_index,
        })
    }

    fn code(&mut self, s: &mut Reader<'a>) -> Result<()> {
        self.code_at = Some(s.pos());
        let (n, cap) = s.count().field("count")?;
        let base = self.m.num_imported(ExternKind::Func);
        let cx = CodeCtx {
            acc: self.acc,
            has_data_count: self.m.data_count.is_some(),
        };
        self.m.funcs.reserve(cap);
        if self.lazy {
            self.parts.bodies.reserve(cap);
        }
        for i in 0..n as usize {
            // A count mismatch is reported after all sections, as the spec
            // orders its checks; until then a missing type index reads as 0.
            let type_idx = self.func_types.get(i).copied().unwrap_or(0);
            let func = EntryKind::Function;
            let at = index(base, i as u32);
            let offset = s.pos();
            let size = s.len32().field("body").entry(func, at)?;
            let mut body = s.sub(size).field("body").entry(func, at)?;
            let locals = code::locals(&mut body, self.acc)
                .field("locals")
                .entry(func, at)?;
            let expr = if self.lazy {
                self.parts.bodies.push(code::BodyRange {
                    defined_index: i as u32,
                    func_index: at,
                    start: body.pos() as u32,
                    end: body.end() as u32,
                });
                wtool_ast::Expr::default()
            } else {
                let expr = code::decode_body_expr(&mut body, cx, &mut self.scratch)
                    .field("body")
                    .entry(func, at)?;
                if !body.at_end() {
                    return Err(DecodeError::new(body.pos(), ErrorKind::SectionSizeMismatch)
                        .in_field("body")
                        .in_entry(func, at));
                }
                expr
            };
            self.m.funcs.push(Func {
                type_idx,
                locals,
                body: expr,
                offset: offset as u32,
                size: size as u32,
            });
        }
        Ok(())
    }

    fn datas(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let at = s.pos();
        let (n, cap) = s.count().field("count")?;
        if let Some(c) = self.m.data_count {
            if c != n {
                return Err(DecodeError::new(at, ErrorKind::DataCountMismatch).in_field("count"));
            }
        }
        self.seen_data = true;
        let cx = CodeCtx {
            acc: self.acc,
            has_data_count: self.m.data_count.is_some(),
        };
        if self.leave_datas {
            data::check(s, cx, n)?;
            self.parts.data_section = Some(data::DataLeft {
                range: at as u32..s.pos() as u32,
                count: n,
                has_data_count: cx.has_data_count,
            });
            return Ok(());
        }
        self.m.datas.reserve(cap);
        for i in 0..n {
            let mut offset = wtool_ast::Expr::default();
            let head = data::segment(s, cx, &mut offset).entry(EntryKind::Data, i)?;
            let (mut seg, range) = head.segment(offset);
            if self.lazy_bytes {
                self.parts.datas.push(range);
            } else {
                seg.data = self.full[range.start as usize..range.end as usize].to_vec();
            }
            self.m.datas.push(seg);
        }
        Ok(())
    }

    fn finish(self) -> Result<(Module, LazyParts)> {
        let end = self.full.len();
        if self.func_types.len() != self.m.funcs.len() {
            let at = self.code_at.unwrap_or(end);
            let section = if self.code_at.is_some() {
                SectionId::Code
            } else {
                SectionId::Function
            };
            return Err(DecodeError::new(at, ErrorKind::FuncCodeMismatch)
                .in_section(SectionRef::Id(section))
                .in_field("count"));
        }
        if let Some(c) = self.m.data_count {
            if !self.seen_data && c != 0 {
                return Err(DecodeError::new(end, ErrorKind::DataCountMismatch)
                    .in_section(SectionRef::Id(SectionId::DataCount))
                    .in_field("count"));
            }
        }
        Ok((self.m, self.parts))
    }
}

/// One import entry: module name, field name and what is imported.
pub(crate) fn import(s: &mut Reader<'_>, acc: Accept) -> Result<Import> {
    let module = s.name().field("module name")?.to_string();
    let name = s.name().field("field name")?.to_string();
    let (desc, exact) = extern_desc(s, acc)?;
    Ok(Import {
        module,
        name,
        desc,
        exact,
    })
}

/// An import's kind byte and type (the core `externtype`), and whether it
/// is an exact function import.
pub(crate) fn extern_desc(s: &mut Reader<'_>, acc: Accept) -> Result<(ImportDesc, bool)> {
    let at = s.pos();
    let mut exact = false;
    let desc = match s.u8().field("kind")? {
        0x00 => ImportDesc::Func(s.u32().field("type index")?),
        0x20 if acc.custom_descriptors => {
            exact = true;
            ImportDesc::Func(s.u32().field("type index")?)
        }
        0x01 => ImportDesc::Table(types::table_type(s, acc).field("table type")?),
        0x02 => ImportDesc::Memory(types::memory_type(s, acc).field("limits")?),
        0x03 => ImportDesc::Global(types::global_type(s, acc).field("global type")?),
        0x04 if acc.exceptions => ImportDesc::Tag(tag_type(s)?),
        k => {
            let e = DecodeError::new(at, ErrorKind::MalformedImportKind).in_field("kind");
            return Err(match k {
                0x04 => e.needing(Features::EXCEPTIONS),
                0x20 => e.needing(Features::CUSTOM_DESCRIPTORS),
                _ => e,
            });
        }
    };
    Ok((desc, exact))
}

fn export(s: &mut Reader<'_>, acc: Accept) -> Result<Export> {
    let (name, kind, index) = export_ref(s, acc)?;
    Ok(Export {
        name: name.to_string(),
        kind,
        index,
    })
}

/// An export with its name borrowed from the input (checking one costs
/// no allocation).
fn export_ref<'a>(s: &mut Reader<'a>, acc: Accept) -> Result<(&'a str, ExternKind, u32)> {
    let name = s.name().field("name")?;
    let at = s.pos();
    let kind = match s.u8().field("kind")? {
        0x00 => ExternKind::Func,
        0x01 => ExternKind::Table,
        0x02 => ExternKind::Memory,
        0x03 => ExternKind::Global,
        0x04 if acc.exceptions => ExternKind::Tag,
        _ => return Err(DecodeError::new(at, ErrorKind::MalformedExportKind).in_field("kind")),
    };
    let index = s.u32().field("index")?;
    Ok((name, kind, index))
}

fn tag_type(s: &mut Reader<'_>) -> Result<u32> {
    let at = s.pos();
    if s.u8().field("attribute")? != 0 {
        return Err(DecodeError::new(at, ErrorKind::MalformedTagAttribute).in_field("attribute"));
    }
    s.u32().field("type index")
}

/// Whether an error is the input running out (rather than a bad byte).
fn runs_out(e: &DecodeError) -> bool {
    matches!(
        e.kind(),
        ErrorKind::UnexpectedEnd | ErrorKind::UnexpectedEndOfSection | ErrorKind::LengthOutOfBounds
    )
}

/// Reads the header and the section headers only (id, size, and a custom
/// section's name), as tools that move whole sections need (strip): the
/// section contents are not decoded, so a module whose bodies are
/// malformed can still be taken apart.
pub(crate) fn read_sections(bytes: &[u8]) -> Result<Vec<(SectionInfo, Option<String>)>> {
    let mut r = Reader::new(bytes);
    let header = |e: DecodeError, field| e.in_section(SectionRef::Header).in_field(field);
    if r.bytes(4).map_err(|e| header(e, "magic").input_ended())? != b"\0asm" {
        return Err(header(DecodeError::new(0, ErrorKind::BadMagic), "magic"));
    }
    if r.bytes(4).map_err(|e| header(e, "version").input_ended())? != [1, 0, 0, 0] {
        return Err(header(
            DecodeError::new(4, ErrorKind::BadVersion),
            "version",
        ));
    }
    let mut out = Vec::new();
    while !r.at_end() {
        let offset = r.pos();
        let id = r.u8()?;
        let section = |e: DecodeError| match SectionId::from_u8(id) {
            Some(s) => e.in_section(SectionRef::Id(s)),
            None => e,
        };
        let size = r
            .len32()
            .map_err(|e| section(e.in_field("section size")).input_ended())?;
        let payload_offset = r.pos();
        let mut s = r.sub(size)?;
        let name = if id == 0 {
            Some(
                s.name()
                    .map_err(|e| section(e.in_field("name")))?
                    .to_string(),
            )
        } else {
            None
        };
        out.push((
            SectionInfo {
                id,
                offset: offset as u32,
                payload_offset: payload_offset as u32,
                size: size as u32,
            },
            name,
        ));
    }
    Ok(out)
}

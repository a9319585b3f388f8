//! The module header and every section.

use wtool_ast::{
    CustomPlace, CustomSection, DataMode, DataSegment, ElemItems, ElemMode, ElemSegment, Export,
    ExternKind, Features, Func, Global, Import, ImportDesc, Module, Origin, RefType, SectionId,
    SectionInfo, Table, Tag,
};

use super::code::{self, CodeCtx};
use super::names;
use super::types::{self, Accept};
use crate::error::{DecodeError, ErrorKind, Result};
use crate::reader::Reader;

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
    bodies: Vec<code::BodyRange>,
    scratch: code::Scratch,
}

/// Decodes a whole module, accepting the encodings `features` enable.
pub(crate) fn decode_module(bytes: &[u8], features: Features) -> Result<Module> {
    decode_module_with(bytes, features, false).map(|(m, _)| m)
}

/// Decodes a module; with `lazy`, function bodies keep empty instruction
/// lists and their byte ranges are returned instead.
pub(crate) fn decode_module_with(
    bytes: &[u8],
    features: Features,
    lazy: bool,
) -> Result<(Module, Vec<code::BodyRange>)> {
    if u32::try_from(bytes.len()).is_err() {
        return Err(DecodeError::new(0, ErrorKind::LengthOutOfBounds));
    }
    let mut r = Reader::new(bytes);
    if r.bytes(4)? != b"\0asm" {
        return Err(DecodeError::new(0, ErrorKind::BadMagic));
    }
    if r.bytes(4)? != [1, 0, 0, 0] {
        return Err(DecodeError::new(4, ErrorKind::BadVersion));
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
        bodies: Vec::new(),
        scratch: code::Scratch::default(),
    };
    let mut last: Option<SectionId> = None;
    while !r.at_end() {
        let offset = r.pos();
        let id = r.u8()?;
        let sid = SectionId::from_u8(id)
            .filter(|&s| s != SectionId::Tag || d.acc.exceptions)
            .ok_or_else(|| DecodeError::new(offset, ErrorKind::MalformedSectionId))?;
        let size = r.len32()?;
        let payload_offset = r.pos();
        let mut s = r.sub(size)?;
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
                return Err(DecodeError::new(offset, ErrorKind::ContentAfterLastSection));
            }
        }
        last = Some(sid);
        d.section(sid, &mut s)?;
        if !s.at_end() {
            return Err(DecodeError::new(s.pos(), ErrorKind::SectionSizeMismatch));
        }
    }
    d.finish()
}

impl<'a> Decoder<'a> {
    fn section(&mut self, id: SectionId, s: &mut Reader<'a>) -> Result<()> {
        match id {
            SectionId::Type => self.types(s),
            SectionId::Import => self.imports(s),
            SectionId::Function => {
                let (n, cap) = s.count()?;
                self.func_types = Vec::with_capacity(cap);
                for _ in 0..n {
                    self.func_types.push(s.u32()?);
                }
                Ok(())
            }
            SectionId::Table => self.tables(s),
            SectionId::Memory => {
                let (n, cap) = s.count()?;
                self.m.memories.reserve(cap);
                for _ in 0..n {
                    self.m.memories.push(types::memory_type(s, self.acc)?);
                }
                Ok(())
            }
            SectionId::Tag => {
                let (n, cap) = s.count()?;
                self.m.tags.reserve(cap);
                for _ in 0..n {
                    self.m.tags.push(Tag {
                        type_idx: tag_type(s)?,
                    });
                }
                Ok(())
            }
            SectionId::Global => {
                let (n, cap) = s.count()?;
                self.m.globals.reserve(cap);
                for _ in 0..n {
                    let ty = types::global_type(s, self.acc)?;
                    let init = self.const_expr(s)?;
                    self.m.globals.push(Global { ty, init });
                }
                Ok(())
            }
            SectionId::Export => self.exports(s),
            SectionId::Start => {
                self.m.start = Some(s.u32()?);
                Ok(())
            }
            SectionId::Element => self.elems(s),
            SectionId::DataCount => {
                self.m.data_count = Some(s.u32()?);
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
        let name = s.name()?.to_string();
        let mut payload = s.clone();
        let raw = s.bytes(s.remaining())?;
        let mut data = raw.to_vec();
        if name == "name" && !self.seen_name {
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
        let (n, cap) = s.count()?;
        self.m.types.reserve(cap);
        for _ in 0..n {
            let at = s.pos();
            let first = s.u8()?;
            if first == 0x4e && self.acc.gc {
                let (len, _) = s.count()?;
                let start = self.m.types.len() as u32;
                for _ in 0..len {
                    let at = s.pos();
                    let b = s.u8()?;
                    self.m.types.push(types::sub_type(s, self.acc, b, at)?);
                }
                self.m.rec_groups.push(wtool_ast::RecGroup { start, len });
            } else {
                self.m.types.push(types::sub_type(s, self.acc, first, at)?);
            }
        }
        Ok(())
    }

    fn imports(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count()?;
        self.m.imports.reserve(cap);
        for _ in 0..n {
            let module = s.name()?.to_string();
            let name = s.name()?.to_string();
            let at = s.pos();
            let mut exact = false;
            let desc = match s.u8()? {
                0x00 => ImportDesc::Func(s.u32()?),
                0x20 if self.acc.custom_descriptors => {
                    exact = true;
                    ImportDesc::Func(s.u32()?)
                }
                0x01 => ImportDesc::Table(types::table_type(s, self.acc)?),
                0x02 => ImportDesc::Memory(types::memory_type(s, self.acc)?),
                0x03 => ImportDesc::Global(types::global_type(s, self.acc)?),
                0x04 if self.acc.exceptions => ImportDesc::Tag(tag_type(s)?),
                _ => return Err(DecodeError::new(at, ErrorKind::MalformedImportKind)),
            };
            self.m.imports.push(Import {
                module,
                name,
                desc,
                exact,
            });
        }
        Ok(())
    }

    fn tables(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count()?;
        self.m.tables.reserve(cap);
        for _ in 0..n {
            if self.acc.typed_refs && s.peek() == Some(0x40) {
                s.u8()?;
                let at = s.pos();
                if s.u8()? != 0 {
                    return Err(DecodeError::new(at, ErrorKind::MalformedTable));
                }
                let ty = types::table_type(s, self.acc)?;
                let init = Some(self.const_expr(s)?);
                self.m.tables.push(Table { ty, init });
            } else {
                let ty = types::table_type(s, self.acc)?;
                self.m.tables.push(Table { ty, init: None });
            }
        }
        Ok(())
    }

    fn exports(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count()?;
        self.m.exports.reserve(cap);
        for _ in 0..n {
            let name = s.name()?.to_string();
            let at = s.pos();
            let kind = match s.u8()? {
                0x00 => ExternKind::Func,
                0x01 => ExternKind::Table,
                0x02 => ExternKind::Memory,
                0x03 => ExternKind::Global,
                0x04 if self.acc.exceptions => ExternKind::Tag,
                _ => return Err(DecodeError::new(at, ErrorKind::MalformedExportKind)),
            };
            let index = s.u32()?;
            self.m.exports.push(Export { name, kind, index });
        }
        Ok(())
    }

    fn elems(&mut self, s: &mut Reader<'a>) -> Result<()> {
        let (n, cap) = s.count()?;
        self.m.elems.reserve(cap);
        for _ in 0..n {
            let at = s.pos();
            let flags = s.u32()?;
            if flags > 7 {
                return Err(DecodeError::new(at, ErrorKind::MalformedElemFlags));
            }
            // Bit 0: passive or declarative; bit 1: explicit table (active) or
            // declarative (otherwise); bit 2: expressions instead of indices.
            let mode = if flags & 1 == 0 {
                let table = if flags & 2 != 0 { s.u32()? } else { 0 };
                ElemMode::Active {
                    table,
                    offset: self.const_expr(s)?,
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
                types::ref_type(s, self.acc)?
            } else {
                let at = s.pos();
                if s.u8()? != 0 {
                    return Err(DecodeError::new(at, ErrorKind::MalformedElemKind));
                }
                RefType::FUNCREF
            };
            let (count, cap) = s.count()?;
            let items = if exprs {
                let mut v = Vec::with_capacity(cap);
                for _ in 0..count {
                    v.push(self.const_expr(s)?);
                }
                ElemItems::Exprs(v)
            } else {
                let mut v = Vec::with_capacity(cap);
                for _ in 0..count {
                    v.push(s.u32()?);
                }
                ElemItems::Funcs(v)
            };
            let explicit_index = flags & 3 == 2;
            self.m.elems.push(ElemSegment {
                ty,
                mode,
                items,
                explicit_index,
            });
        }
        Ok(())
    }

    fn code(&mut self, s: &mut Reader<'a>) -> Result<()> {
        self.code_at = Some(s.pos());
        let (n, cap) = s.count()?;
        let cx = CodeCtx {
            acc: self.acc,
            has_data_count: self.m.data_count.is_some(),
        };
        self.m.funcs.reserve(cap);
        if self.lazy {
            self.bodies.reserve(cap);
        }
        for i in 0..n as usize {
            // A count mismatch is reported after all sections, as the spec
            // orders its checks; until then a missing type index reads as 0.
            let type_idx = self.func_types.get(i).copied().unwrap_or(0);
            let offset = s.pos();
            let size = s.len32()?;
            let mut body = s.sub(size)?;
            let locals = code::locals(&mut body, self.acc)?;
            let expr = if self.lazy {
                self.bodies.push(code::BodyRange {
                    defined_index: i as u32,
                    start: body.pos() as u32,
                    end: body.end() as u32,
                });
                wtool_ast::Expr::default()
            } else {
                let expr = code::decode_body_expr(&mut body, cx, &mut self.scratch)?;
                if !body.at_end() {
                    return Err(DecodeError::new(body.pos(), ErrorKind::SectionSizeMismatch));
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
        let (n, cap) = s.count()?;
        if let Some(c) = self.m.data_count {
            if c != n {
                return Err(DecodeError::new(at, ErrorKind::DataCountMismatch));
            }
        }
        self.seen_data = true;
        self.m.datas.reserve(cap);
        for _ in 0..n {
            let at = s.pos();
            let flags = s.u32()?;
            let (mode, explicit_index) = match flags {
                0 => (
                    DataMode::Active {
                        memory: 0,
                        offset: self.const_expr(s)?,
                    },
                    false,
                ),
                1 => (DataMode::Passive, false),
                2 => {
                    let memory = s.u32()?;
                    // Only memory 0 has a shorter form (flag 0) to remember.
                    (
                        DataMode::Active {
                            memory,
                            offset: self.const_expr(s)?,
                        },
                        memory == 0,
                    )
                }
                _ => return Err(DecodeError::new(at, ErrorKind::MalformedDataFlags)),
            };
            // Not `len32`: the testsuite reports a short segment as an
            // unexpected end, not as an out-of-bounds length.
            let len = s.u32()? as usize;
            let data = s.bytes(len)?.to_vec();
            self.m.datas.push(DataSegment {
                mode,
                data,
                explicit_index,
            });
        }
        Ok(())
    }

    fn finish(self) -> Result<(Module, Vec<code::BodyRange>)> {
        let end = self.full.len();
        if self.func_types.len() != self.m.funcs.len() {
            let at = self.code_at.unwrap_or(end);
            return Err(DecodeError::new(at, ErrorKind::FuncCodeMismatch));
        }
        if let Some(c) = self.m.data_count {
            if !self.seen_data && c != 0 {
                return Err(DecodeError::new(end, ErrorKind::DataCountMismatch));
            }
        }
        Ok((self.m, self.bodies))
    }
}

fn tag_type(s: &mut Reader<'_>) -> Result<u32> {
    let at = s.pos();
    if s.u8()? != 0 {
        return Err(DecodeError::new(at, ErrorKind::MalformedTagAttribute));
    }
    s.u32()
}

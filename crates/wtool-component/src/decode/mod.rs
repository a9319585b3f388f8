//! Bytes → [`Component`]: the preamble, the section loop and nested
//! components. Items are read in `types.rs` (types, names, externtypes) and
//! `items.rs` (instances, aliases, canonical definitions, imports, exports).
//!
//! Nesting (components in components, types in types) recurses, so it is
//! bounded: [`MAX_NESTING`] levels, which real components never approach.

mod items;
mod types;

use crate::ast::{Component, Custom, Section};
use crate::error::{DecodeError, ErrorKind, Result};
use std::cell::RefCell;
use wtool_ast::Features;
use wtool_binary::reader::Reader;

/// The version field components have until the format is standardized.
pub const COMPONENT_VERSION: u16 = 0x0d;

/// How deep components and component types may nest.
pub const MAX_NESTING: u32 = 100;

/// What an 8-byte preamble announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// A core module (version 1, layer 0).
    Module,
    /// A component (version 0x0d, layer 1).
    Component,
}

/// What `bytes` starts with: a module, a component, or neither (too short,
/// no magic, or an unknown version).
pub fn layer_of(bytes: &[u8]) -> Option<Layer> {
    let head: &[u8; 8] = bytes.get(..8)?.try_into().ok()?;
    if head[..4] != *b"\0asm" {
        return None;
    }
    match (
        u16::from_le_bytes([head[4], head[5]]),
        u16::from_le_bytes([head[6], head[7]]),
    ) {
        (1, 0) => Some(Layer::Module),
        (COMPONENT_VERSION, 1) => Some(Layer::Component),
        _ => None,
    }
}

/// Decodes a component. Core modules inside it are decoded with `features`
/// (the core encodings they may use).
pub fn decode(bytes: &[u8], features: Features) -> Result<Component> {
    Ok(decode_with_offsets(bytes, features)?.0)
}

/// [`decode`], with the file offset of every section and item (for
/// validation errors).
pub fn decode_with_offsets(bytes: &[u8], features: Features) -> Result<(Component, Offsets)> {
    let mut r = Reader::new(bytes);
    let d = Decoder {
        features,
        items: RefCell::new(Vec::new()),
        lazy_core: false,
        cores: None,
    };
    d.component(&mut r, 0)
}

/// A core module of a component decoded by [`decode_for_print`]: where its
/// bytes are in the input, and what of them was left there.
#[derive(Debug)]
pub struct LazyCore {
    /// Where the module's bytes start in the component's bytes.
    pub start: usize,
    /// Where they end.
    pub end: usize,
    /// Its function bodies, data segments and custom sections, left in
    /// those bytes ([`wtool_binary::decode_lazy_parts`]).
    pub parts: wtool_binary::LazyParts,
}

/// [`decode`] for printing as the text streams: core modules are decoded
/// without their function bodies, data and custom sections, which stay in
/// `bytes` (the returned list, one per core module in the order they
/// appear, nested components' included, says where). The component is not
/// for encoding.
pub fn decode_for_print(bytes: &[u8], features: Features) -> Result<(Component, Vec<LazyCore>)> {
    let mut r = Reader::new(bytes);
    let d = Decoder {
        features,
        items: RefCell::new(Vec::new()),
        lazy_core: true,
        cores: Some(RefCell::new(Vec::new())),
    };
    let (c, _) = d.component(&mut r, 0)?;
    Ok((c, d.cores.map(RefCell::into_inner).unwrap_or_default()))
}

/// [`decode_with_offsets`] without core modules' function bodies (they are
/// left empty): for what needs a component's structure but not its code
/// (its WIT, validation streaming the bodies from the input). The
/// component is not for encoding or printing.
pub fn decode_without_bodies(bytes: &[u8], features: Features) -> Result<(Component, Offsets)> {
    decode_for_validation(bytes, features)
}

/// [`decode_with_offsets`] for validation from the bytes: core modules'
/// function bodies are left undecoded (empty), to be validated streaming
/// from the input. The component is not for encoding.
pub(crate) fn decode_for_validation(
    bytes: &[u8],
    features: Features,
) -> Result<(Component, Offsets)> {
    let mut r = Reader::new(bytes);
    let d = Decoder {
        features,
        items: RefCell::new(Vec::new()),
        lazy_core: true,
        cores: None,
    };
    d.component(&mut r, 0)
}

/// Where a component's sections and items are in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Offsets {
    /// One entry per section, in order.
    pub sections: Vec<SectionOffsets>,
}

/// Where one section and its items are in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionOffsets {
    /// The section's id byte.
    pub id_offset: usize,
    /// The section's contents (after id and size).
    pub start: usize,
    /// The end of the section's contents.
    pub end: usize,
    /// Each item of a vector section.
    pub items: Vec<usize>,
    /// A nested component's offsets.
    pub nested: Option<Box<Offsets>>,
}

impl Offsets {
    /// The offset of item `item` of section `section`, or of the section
    /// itself when there is no such item.
    pub fn item(&self, section: usize, item: usize) -> Option<usize> {
        let s = self.sections.get(section)?;
        Some(s.items.get(item).copied().unwrap_or(s.start))
    }
}

/// Reads and checks an 8-byte preamble, expecting `want`.
fn preamble(r: &mut Reader<'_>, want: Layer) -> Result<u16> {
    let start = r.pos();
    let magic = r.bytes(4)?;
    if magic != b"\0asm" {
        return Err(DecodeError::new(start, ErrorKind::BadMagic));
    }
    let at = r.pos();
    let v = r.bytes(4)?;
    let version = u16::from_le_bytes([v[0], v[1]]);
    let layer = u16::from_le_bytes([v[2], v[3]]);
    let got = match (version, layer) {
        (1, 0) => Layer::Module,
        (COMPONENT_VERSION, 1) => Layer::Component,
        _ => return Err(DecodeError::new(at, ErrorKind::UnknownVersion)),
    };
    match (want, got) {
        (Layer::Component, Layer::Module) => {
            Err(DecodeError::new(at, ErrorKind::ExpectedComponent))
        }
        (Layer::Module, Layer::Component) => Err(DecodeError::new(at, ErrorKind::ExpectedModule)),
        _ => Ok(version),
    }
}

/// Decoding state shared by every level.
pub(crate) struct Decoder {
    pub(crate) features: Features,
    /// The start of each item of the section being read.
    items: RefCell<Vec<usize>>,
    /// Leave core modules' function bodies undecoded.
    lazy_core: bool,
    /// For printing: core modules decoded without bodies, data and custom
    /// sections, and where those are.
    cores: Option<RefCell<Vec<LazyCore>>>,
}

impl Decoder {
    /// A component from its preamble to the end of `r`.
    fn component(&self, r: &mut Reader<'_>, depth: u32) -> Result<(Component, Offsets)> {
        if depth > MAX_NESTING {
            return Err(DecodeError::new(
                r.pos(),
                ErrorKind::TooDeep { what: "component" },
            ));
        }
        let version = preamble(r, Layer::Component)?;
        let mut sections = Vec::new();
        let mut offsets = Offsets::default();
        while !r.at_end() {
            let id_at = r.pos();
            let id = r.u8()?;
            if id > 12 {
                return Err(DecodeError::new(id_at, ErrorKind::MalformedSectionId));
            }
            let size = r.len32()?;
            let mut s = r.sub(size)?;
            let start = s.pos();
            let end = start + size;
            self.items.borrow_mut().clear();
            let (section, nested) = self.section(id, &mut s, depth)?;
            sections.push(section);
            offsets.sections.push(SectionOffsets {
                id_offset: id_at,
                start,
                end,
                items: std::mem::take(&mut *self.items.borrow_mut()),
                nested: nested.map(Box::new),
            });
            if !s.at_end() {
                return Err(DecodeError::new(s.pos(), ErrorKind::TrailingData));
            }
        }
        Ok((Component { version, sections }, offsets))
    }

    fn section(
        &self,
        id: u8,
        s: &mut Reader<'_>,
        depth: u32,
    ) -> Result<(Section, Option<Offsets>)> {
        if id == 4 {
            let (c, o) = self.component(s, depth + 1)?;
            return Ok((Section::Component(Box::new(c)), Some(o)));
        }
        let section = match id {
            0 => {
                let name = s.name()?.to_string();
                let rest = s.remaining();
                Section::Custom(Custom {
                    name,
                    data: s.bytes(rest)?.to_vec(),
                })
            }
            1 => {
                let start = s.pos();
                let rest = s.remaining();
                let bytes = s.bytes(rest)?;
                let mut head = Reader::new(bytes);
                preamble(&mut head, Layer::Module).map_err(|e| shift(e, start))?;
                let m = if let Some(cores) = &self.cores {
                    wtool_binary::decode_lazy_parts(bytes, self.features).map(|(m, parts)| {
                        cores.borrow_mut().push(LazyCore {
                            start,
                            end: start + bytes.len(),
                            parts,
                        });
                        m
                    })
                } else if self.lazy_core {
                    wtool_binary::decode_lazy(bytes, self.features).map(|(m, _)| m)
                } else {
                    wtool_binary::decode_with_features(bytes, self.features)
                }
                .map_err(|e| DecodeError::core_at(start, e))?;
                Section::CoreModule(Box::new(m))
            }
            2 => Section::CoreInstances(self.vec(s, |d, s| d.core_instance(s))?),
            3 => Section::CoreTypes(self.vec(s, |d, s| d.core_type(s))?),
            5 => Section::Instances(self.vec(s, |d, s| d.instance(s))?),
            6 => Section::Aliases(self.vec(s, |_, s| items::alias(s))?),
            7 => Section::Types(self.vec(s, |d, s| d.ty(s, 0))?),
            8 => Section::Canons(self.vec(s, |d, s| d.canon(s))?),
            9 => Section::Start(items::start(s)?),
            10 => Section::Imports(self.vec(s, |d, s| types::import(s, d.features))?),
            11 => Section::Exports(self.vec(s, |d, s| items::export(s, d.features))?),
            _ => Section::Values(self.vec(s, |_, s| items::value(s))?),
        };
        Ok((section, None))
    }

    /// A counted vector of items.
    pub(crate) fn vec<'a, T>(
        &self,
        s: &mut Reader<'a>,
        mut item: impl FnMut(&Self, &mut Reader<'a>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let (n, cap) = s.count()?;
        let mut out = Vec::with_capacity(cap);
        for _ in 0..n {
            self.items.borrow_mut().push(s.pos());
            out.push(item(self, s)?);
        }
        Ok(out)
    }
}

/// An error from a reader over a slice that starts at `base` in the file.
fn shift(e: DecodeError, base: usize) -> DecodeError {
    match e.kind() {
        ErrorKind::Core(c) => DecodeError::core_at(base, c.clone()),
        k => DecodeError::new(base + e.offset(), k.clone()),
    }
}

/// A vector of at most `limit` items (the format's limits, as wasm-tools
/// enforces them), each read by `item`.
pub(crate) fn limited<'a, T>(
    s: &mut Reader<'a>,
    limit: u32,
    what: &'static str,
    mut item: impl FnMut(&mut Reader<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let at = s.pos();
    let (n, cap) = s.count()?;
    if n > limit {
        return Err(DecodeError::new(at, ErrorKind::TooMany { what }));
    }
    let mut out = Vec::with_capacity(cap);
    for _ in 0..n {
        out.push(item(s)?);
    }
    Ok(out)
}

/// A flag byte: 0 or 1.
pub(crate) fn flag(s: &mut Reader<'_>) -> Result<bool> {
    let at = s.pos();
    match s.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(DecodeError::new(at, ErrorKind::InvalidBool)),
    }
}

/// A string with its length prefix.
pub(crate) fn string(s: &mut Reader<'_>) -> Result<String> {
    Ok(s.name()?.to_string())
}

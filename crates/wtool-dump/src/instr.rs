//! Instructions as JSON, serialized lazily straight from the AST.

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use wtool_ast::{Expr, Features, Instr};
use wtool_binary::{BodyRange, BodyReader};

/// A function's instructions, serialized lazily: from the AST, or decoded
/// from the binary while they are written (see [`crate::dump_lazy`]).
#[derive(Debug)]
pub struct Instrs<'a>(Source<'a>);

#[derive(Debug)]
enum Source<'a> {
    Expr(&'a Expr),
    Lazy(&'a LazyBodies<'a>, u32),
}

impl<'a> Instrs<'a> {
    /// The instructions of a decoded body.
    pub fn of(e: &'a Expr) -> Self {
        Instrs(Source::Expr(e))
    }

    /// The instructions of defined function `defined`, decoded on output.
    pub fn lazy(bodies: &'a LazyBodies<'a>, defined: u32) -> Self {
        Instrs(Source::Lazy(bodies, defined))
    }
}

/// Function bodies left in the input by [`wtool_binary::decode_lazy`].
#[derive(Debug)]
pub struct LazyBodies<'a> {
    /// The whole input.
    pub bytes: &'a [u8],
    /// Where each defined function's instructions are.
    pub ranges: &'a [BodyRange],
    /// The features the module was decoded with.
    pub features: Features,
    /// Whether the module has a data count section.
    pub has_data_count: bool,
    /// Where the data segments' bytes (and, when left there, the exports)
    /// are, when the decoder left them in the input
    /// ([`wtool_binary::decode_lazy_parts_with`]).
    pub parts: Option<&'a wtool_binary::LazyParts>,
}

impl LazyBodies<'_> {
    /// A reader over defined function `defined`'s instructions.
    pub fn reader(&self, defined: u32) -> Option<BodyReader<'_>> {
        let range = self.ranges.get(defined as usize)?;
        Some(BodyReader::new(
            self.bytes,
            range,
            self.features,
            self.has_data_count,
        ))
    }
}

impl Serialize for Instrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Source::Expr(e) => {
                let mut seq = s.serialize_seq(Some(e.instrs.len()))?;
                for (i, instr) in e.instrs.iter().enumerate() {
                    seq.serialize_element(&InstrJson {
                        offset: e.offset_of(i),
                        instr,
                    })?;
                }
                seq.end()
            }
            Source::Lazy(bodies, defined) => {
                let mut seq = s.serialize_seq(None)?;
                for r in bodies.reader(defined).into_iter().flatten() {
                    // `dump_lazy` decoded every body once before, so this
                    // only fails if the input changed underneath.
                    let (at, instr) = r.map_err(serde::ser::Error::custom)?;
                    seq.serialize_element(&InstrJson {
                        offset: Some(at),
                        instr: &instr,
                    })?;
                }
                seq.end()
            }
        }
    }
}

/// One instruction: `{"offset": …, "op": "mnemonic", <immediates>…}`, the
/// immediates named as in the instruction table.
pub(crate) struct InstrJson<'a> {
    offset: Option<u32>,
    instr: &'a Instr,
}

impl Serialize for InstrJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("offset", &self.offset)?;
        m.serialize_entry("op", self.instr.mnemonic())?;
        crate::generated::immediates(&mut m, self.instr)?;
        m.end()
    }
}

//! Data segments: decoded into the module, or checked and left in the
//! input ([`crate::Leave::datas`]) to be read back one at a time.
//!
//! A Go module has ~100k segments; each decoded one costs its offset
//! expression's allocations and a `DataSegment` in memory for the whole
//! run, which is most of what printing such a module holds beyond its
//! input. Left in the input, the section is checked with one reused
//! expression and nothing is kept but its range.

use std::ops::Range;

use wtool_ast::{DataMode, DataSegment, Expr, Features, SectionId};

use super::code::{self, CodeCtx};
use super::types::Accept;
use crate::error::{Context, DecodeError, EntryKind, ErrorKind, Result, SectionRef};
use crate::reader::Reader;

/// A data section that was checked but left in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataLeft {
    /// The section's payload (its count first).
    pub range: Range<u32>,
    /// How many segments it holds.
    pub count: u32,
    /// Whether the module had a data count section (it decides how a
    /// `memory.init` in an offset expression decodes, as in a body).
    pub has_data_count: bool,
}

/// A segment as read: its mode, explicit-index flag and where its bytes are.
pub(crate) struct Head {
    /// `None`: passive; else the memory and whether flag 2 named memory 0.
    active: Option<(u32, bool)>,
    bytes: Range<u32>,
}

impl Head {
    /// The segment, its offset taken from `offset`, its `data` left empty.
    pub(crate) fn segment(self, offset: Expr) -> (DataSegment, Range<u32>) {
        let (mode, explicit_index) = match self.active {
            Some((memory, explicit)) => (DataMode::Active { memory, offset }, explicit),
            None => (DataMode::Passive, false),
        };
        let seg = DataSegment {
            mode,
            data: Vec::new(),
            explicit_index,
        };
        (seg, self.bytes)
    }
}

/// Reads one segment: the offset expression of an active one goes into
/// `offset` (whatever it held is replaced, its buffers reused), the bytes
/// are skipped and returned as their range in the input.
pub(crate) fn segment(s: &mut Reader<'_>, cx: CodeCtx, offset: &mut Expr) -> Result<Head> {
    let at = s.pos();
    let flags = s.u32().field("flags")?;
    let active = match flags {
        0 => {
            code::decode_const_into(s, cx, offset).field("offset")?;
            Some((0, false))
        }
        1 => None,
        2 => {
            let memory = s.u32().field("memory index")?;
            code::decode_const_into(s, cx, offset).field("offset")?;
            // Only memory 0 has a shorter form (flag 0) to remember.
            Some((memory, memory == 0))
        }
        _ => return Err(DecodeError::new(at, ErrorKind::MalformedDataFlags).in_field("flags")),
    };
    // Not `len32`: the testsuite reports a short segment as an
    // unexpected end, not as an out-of-bounds length.
    let len = s.u32().field("size")? as usize;
    let start = s.pos();
    let bytes = s.bytes(len).field("bytes")?;
    Ok(Head {
        active,
        bytes: start as u32..(start + bytes.len()) as u32,
    })
}

/// Checks every segment of a data section whose count has been read,
/// keeping nothing: the errors of decoding them.
pub(crate) fn check(s: &mut Reader<'_>, cx: CodeCtx, n: u32) -> Result<()> {
    let mut offset = Expr::default();
    for i in 0..n {
        segment(s, cx, &mut offset).entry(EntryKind::Data, i)?;
    }
    Ok(())
}

impl DataLeft {
    /// The segments in `input` (the module's bytes), decoded one at a
    /// time, each with its bytes' range (its `data` stays empty).
    pub fn read<'a>(
        &self,
        input: &'a [u8],
        features: Features,
    ) -> impl ExactSizeIterator<Item = Result<(DataSegment, Range<u32>)>> + 'a {
        let mut r = Reader::bounded(input, self.range.start as usize, self.range.end as usize);
        // The count was checked when the section was; a bad range (the
        // wrong input) reads as no segments.
        let n = r.count().map_or(0, |(n, _)| n.min(self.count));
        let cx = CodeCtx {
            acc: Accept::new(features),
            has_data_count: self.has_data_count,
        };
        (0..n).map(move |i| {
            let mut offset = Expr::default();
            segment(&mut r, cx, &mut offset)
                .map(|h| h.segment(offset))
                .entry(EntryKind::Data, i)
                .map_err(|e| e.in_section(SectionRef::Id(SectionId::Data)))
        })
    }
}

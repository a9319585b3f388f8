//! memory-packing: drops the runs of zero bytes from active data segments,
//! splitting a segment where a long zero run sits in its middle and removing
//! segments that are all zeros. Run by `-Os`/`-Oz`.
//!
//! A module's own memory starts zeroed, so writing zeros into it at
//! instantiation changes nothing — provided no other segment writes the same
//! bytes (segments apply in order) and the write cannot trap (a trap would
//! abort instantiation; a shorter segment might not trap). The pass therefore
//! only acts when every active segment of the memory has a constant offset,
//! lies inside the memory's initial size, and overlaps no other segment, and
//! the memory is not imported (an imported memory holds whatever the host put
//! there). Segment indices change, so it also stays away from modules whose
//! code uses `memory.init` or `data.drop`; data segment names follow their
//! segment (to its first piece; a removed segment loses its name).

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use wtool_ast::{DataMode, DataSegment, Expr, ExternKind, Instr, Module};

/// See the module docs.
pub struct MemoryPacking;

/// Bytes a new active segment header costs besides its offset: flags,
/// `i32.const`, `end`, and a length that is one byte below 128 (longer pieces
/// are rare between zero runs, and then the estimate is off by one).
const HEADER: usize = 4;

/// Bytes of the signed LEB128 encoding of an `i32.const` operand.
fn sleb_len(v: i64) -> usize {
    let mut n = 1;
    let mut v = v;
    while !(-64..64).contains(&v) {
        v >>= 7;
        n += 1;
    }
    n
}

impl Pass for MemoryPacking {
    fn name(&self) -> &'static str {
        "memory-packing"
    }
    fn description(&self) -> &'static str {
        "trim and split zero runs out of active data segments of a module's own zeroed memory"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_index_spaces: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, _opts: &PassOptions) -> bool {
        // Bodies are only read: no instruction names a data segment.
        if !packable(m, bodies) {
            return false;
        }
        let mut out: Vec<DataSegment> = Vec::with_capacity(m.datas.len());
        let mut changed = false;
        // Old segment index → index of its first piece, if any.
        let mut renumber: Vec<Option<u32>> = Vec::with_capacity(m.datas.len());
        for seg in std::mem::take(&mut m.datas) {
            let first = out.len() as u32;
            let (memory, start) = match active_const(&seg) {
                Some(x) => x,
                None => {
                    renumber.push(Some(first));
                    out.push(seg);
                    continue;
                }
            };
            let pieces = nonzero_pieces(&seg.data, start);
            renumber.push((!pieces.is_empty()).then_some(first));
            if pieces.len() == 1 && pieces[0] == (0, seg.data.len()) {
                out.push(seg);
                continue;
            }
            changed = true;
            for (from, to) in pieces {
                // Offsets fit: the whole segment lies below the memory size,
                // itself below 2^32 for a 32-bit memory.
                let offset = start + from as u64;
                out.push(DataSegment {
                    mode: DataMode::Active {
                        memory,
                        offset: Expr::new(vec![Instr::I32Const(offset as u32 as i32), Instr::End]),
                    },
                    data: seg.data[from..to].to_vec(),
                    explicit_index: seg.explicit_index,
                });
            }
        }
        if changed {
            if m.data_count.is_some() {
                m.data_count = Some(out.len() as u32);
            }
            if let Some(names) = m.names.as_mut() {
                names.datas = std::mem::take(&mut names.datas)
                    .into_iter()
                    .filter_map(|(i, n)| Some((renumber.get(i as usize).copied().flatten()?, n)))
                    .collect();
            }
        }
        m.datas = out;
        changed
    }
}

/// `(memory, offset)` of an active segment with an `i32.const` offset.
fn active_const(seg: &DataSegment) -> Option<(u32, u64)> {
    match &seg.mode {
        DataMode::Active { memory, offset } => match offset.instrs.as_slice() {
            [Instr::I32Const(c), Instr::End] | [Instr::I32Const(c)] => {
                Some((*memory, u64::from(*c as u32)))
            }
            _ => None,
        },
        DataMode::Passive => None,
    }
}

/// The `[from, to)` ranges of `data` (placed at `start`) worth keeping: the
/// bytes between the first and last non-zero byte, split at zero runs longer
/// than the header of the segment the split would add.
fn nonzero_pieces(data: &[u8], start: u64) -> Vec<(usize, usize)> {
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < data.len() {
        if data[k] == 0 {
            k += 1;
            continue;
        }
        let from = k;
        while k < data.len() && data[k] != 0 {
            k += 1;
        }
        match pieces.last_mut() {
            Some(last)
                if from - last.1
                    <= HEADER + sleb_len((start + from as u64) as u32 as i32 as i64) =>
            {
                last.1 = k
            }
            _ => pieces.push((from, k)),
        }
    }
    pieces
}

/// Whether every precondition in the module docs holds.
fn packable(m: &Module, bodies: &Bodies) -> bool {
    if m.num_imported(ExternKind::Memory) != 0 {
        return false;
    }
    let mut uses_segments = false;
    bodies.scan(m, |_, instrs| {
        uses_segments |= instrs
            .iter()
            .any(|i| matches!(i, Instr::MemoryInit { .. } | Instr::DataDrop(_)));
    });
    if uses_segments {
        return false;
    }
    // Per memory: the byte ranges its active segments write.
    let mut ranges: Vec<(u32, u64, u64)> = Vec::new();
    for seg in &m.datas {
        if matches!(seg.mode, DataMode::Passive) {
            continue;
        }
        let Some((memory, start)) = active_const(seg) else {
            return false;
        };
        let Some(mt) = m.memories.get(memory as usize) else {
            return false;
        };
        if mt.index64 || mt.shared {
            return false;
        }
        let page_log2 = mt.page_size_log2.unwrap_or(16);
        if page_log2 > 16 {
            return false;
        }
        let size = mt.limits.min.saturating_mul(1u64 << page_log2);
        let end = start + seg.data.len() as u64;
        if end > size {
            return false;
        }
        ranges.push((memory, start, end));
    }
    ranges.sort_unstable();
    ranges
        .windows(2)
        .all(|w| w[0].0 != w[1].0 || w[0].2 <= w[1].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, wat};

    fn segments(m: &Module) -> Vec<(u64, Vec<u8>)> {
        m.datas
            .iter()
            .map(|s| (active_const(s).map_or(u64::MAX, |x| x.1), s.data.clone()))
            .collect()
    }

    #[test]
    fn trims_and_splits() {
        let mut m = wat(r#"(module (memory 1)
            (data (i32.const 16) "\00\00ab\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00c\00d\00\00")
            (data (i32.const 100) "\00\00\00")
            (data (i32.const 200) "xyz"))"#);
        assert!(MemoryPacking.run(&mut m, &PassOptions::default()));
        assert_eq!(
            segments(&m),
            vec![
                (18, b"ab".to_vec()),
                (36, b"c\0d".to_vec()),
                (200, b"xyz".to_vec())
            ]
        );
        assert_valid(&m);
        assert!(!MemoryPacking.run(&mut m, &PassOptions::default()));
    }

    #[test]
    fn names_follow_segments() {
        let mut m = wat(r#"(module (memory 1)
            (data $zeros (i32.const 0) "\00\00")
            (data $split (i32.const 8) "a\00\00\00\00\00\00\00\00\00\00\00\00b")
            (data $p "\00"))"#);
        assert!(MemoryPacking.run(&mut m, &PassOptions::default()));
        let names = m.names.as_ref().map(|n| n.datas.clone());
        assert_eq!(
            names,
            Some(vec![(0, "split".to_string()), (2, "p".to_string())])
        );
        assert_eq!(m.datas.len(), 3);
        assert_valid(&m);
    }

    #[test]
    fn leb_lengths() {
        assert_eq!(
            [0, 63, 64, -64, -65, 8191, 8192, i32::MAX as i64].map(sleb_len),
            [1, 1, 2, 1, 2, 2, 3, 5]
        );
    }

    #[test]
    fn short_gaps_stay() {
        let mut m = wat(r#"(module (memory 1) (data (i32.const 0) "a\00\00\00b"))"#);
        assert!(!MemoryPacking.run(&mut m, &PassOptions::default()));
    }

    #[test]
    fn refuses_when_inexact() {
        for src in [
            // Imported memory: its bytes are not known to be zero.
            r#"(module (import "m" "m" (memory 1)) (data (i32.const 0) "\00\00a"))"#,
            // Overlap: the zeros of the second segment overwrite the first.
            r#"(module (memory 1) (data (i32.const 0) "ab") (data (i32.const 0) "\00\00c"))"#,
            // Out of bounds: instantiation traps; the trimmed segment might not.
            r#"(module (memory 1) (data (i32.const 65535) "a\00"))"#,
            // Segment indices are used by code.
            r#"(module (memory 1) (data (i32.const 0) "\00a")
                (func data.drop 0))"#,
            // Non-constant offset.
            r#"(module (global i32 (i32.const 0)) (memory 1) (data (global.get 0) "\00a"))"#,
        ] {
            let mut m = wat(src);
            let before = m.clone();
            assert!(!MemoryPacking.run(&mut m, &PassOptions::default()), "{src}");
            assert_eq!(m, before);
        }
    }
}

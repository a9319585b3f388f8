//! `GcOp` packed into the four operand words of a threaded instruction, so
//! the GC handler reads its instruction from the code it runs rather than
//! looking the compiler's form up (as other stack-form instructions do).
//!
//! Word 0 holds the variant (bits 0..8), the element kind (8..16) and flags
//! (16..: signed, default, nullable, negated); words 1..3 the variant's
//! numbers.

use wtool_ast::{HeapType, RefType};

use super::{Elem, GcOp};

const SIGNED: u32 = 1 << 16;
const DEFAULT: u32 = 1 << 17;
const NULLABLE: u32 = 1 << 18;
const NEG: u32 = 1 << 19;

const ELEMS: [Elem; 6] = [
    Elem::I8,
    Elem::I16,
    Elem::N32,
    Elem::N64,
    Elem::V128,
    Elem::Ref,
];

fn elem_code(e: Elem) -> u32 {
    ELEMS.iter().position(|&x| x == e).unwrap_or(0) as u32
}

impl GcOp {
    /// The operand words of this instruction.
    pub(crate) fn pack(self) -> [u32; 4] {
        let e = |k: u32, elem: Elem| k | elem_code(elem) << 8;
        let flag = |b: bool, f: u32| if b { f } else { 0 };
        let cast = |k: u32, rt: RefType, neg: bool| {
            let (c, i) = rt.heap.code();
            [k | flag(rt.nullable, NULLABLE) | flag(neg, NEG), c, i, 0]
        };
        match self {
            GcOp::StructNew { ty, slots, default } => [flag(default, DEFAULT), ty, slots, 0],
            GcOp::StructGet { off, elem, signed } => [e(1, elem) | flag(signed, SIGNED), off, 0, 0],
            GcOp::StructSet { off, elem } => [e(2, elem), off, 0, 0],
            GcOp::ArrayNew { ty, elem, default } => [e(3, elem) | flag(default, DEFAULT), ty, 0, 0],
            GcOp::ArrayNewFixed { ty, elem, n } => [e(4, elem), ty, n, 0],
            GcOp::ArrayNewData { ty, elem, data } => [e(5, elem), ty, data, 0],
            GcOp::ArrayNewElem { ty, elem } => [6, ty, elem, 0],
            GcOp::ArrayGet { elem, signed } => [e(7, elem) | flag(signed, SIGNED), 0, 0, 0],
            GcOp::ArraySet { elem } => [e(8, elem), 0, 0, 0],
            GcOp::ArrayLen => [9, 0, 0, 0],
            GcOp::ArrayFill { elem } => [e(10, elem), 0, 0, 0],
            GcOp::ArrayCopy { elem } => [e(11, elem), 0, 0, 0],
            GcOp::ArrayInitData { elem, data } => [e(12, elem), data, 0, 0],
            GcOp::ArrayInitElem { elem } => [13, elem, 0, 0],
            GcOp::RefI31 => [14, 0, 0, 0],
            GcOp::I31Get { signed } => [15 | flag(signed, SIGNED), 0, 0, 0],
            GcOp::Test { rt } => cast(16, rt, false),
            GcOp::Cast { rt } => cast(17, rt, false),
            GcOp::TestKeep { rt, neg } => cast(18, rt, neg),
        }
    }

    /// The instruction `pack` made these words from.
    #[inline(always)]
    pub(crate) fn unpack(w: [u32; 4]) -> Option<GcOp> {
        let elem = *ELEMS.get((w[0] >> 8 & 0xff) as usize)?;
        let signed = w[0] & SIGNED != 0;
        let default = w[0] & DEFAULT != 0;
        let rt = || {
            Some(RefType {
                nullable: w[0] & NULLABLE != 0,
                heap: HeapType::from_code(w[1], w[2])?,
            })
        };
        Some(match w[0] & 0xff {
            0 => GcOp::StructNew {
                ty: w[1],
                slots: w[2],
                default,
            },
            1 => GcOp::StructGet {
                off: w[1],
                elem,
                signed,
            },
            2 => GcOp::StructSet { off: w[1], elem },
            3 => GcOp::ArrayNew {
                ty: w[1],
                elem,
                default,
            },
            4 => GcOp::ArrayNewFixed {
                ty: w[1],
                elem,
                n: w[2],
            },
            5 => GcOp::ArrayNewData {
                ty: w[1],
                elem,
                data: w[2],
            },
            6 => GcOp::ArrayNewElem {
                ty: w[1],
                elem: w[2],
            },
            7 => GcOp::ArrayGet { elem, signed },
            8 => GcOp::ArraySet { elem },
            9 => GcOp::ArrayLen,
            10 => GcOp::ArrayFill { elem },
            11 => GcOp::ArrayCopy { elem },
            12 => GcOp::ArrayInitData { elem, data: w[1] },
            13 => GcOp::ArrayInitElem { elem: w[1] },
            14 => GcOp::RefI31,
            15 => GcOp::I31Get { signed },
            16 => GcOp::Test { rt: rt()? },
            17 => GcOp::Cast { rt: rt()? },
            18 => GcOp::TestKeep {
                rt: rt()?,
                neg: w[0] & NEG != 0,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_survives_packing() {
        let rts = [
            RefType {
                nullable: true,
                heap: HeapType::Concrete(7),
            },
            RefType {
                nullable: false,
                heap: HeapType::Exact(9),
            },
            RefType {
                nullable: false,
                heap: HeapType::NoExn,
            },
        ];
        let mut ops = vec![
            GcOp::ArrayLen,
            GcOp::RefI31,
            GcOp::ArrayNewElem { ty: 3, elem: 4 },
        ];
        for &elem in &ELEMS {
            for b in [false, true] {
                ops.extend([
                    GcOp::StructNew {
                        ty: 5,
                        slots: 6,
                        default: b,
                    },
                    GcOp::StructGet {
                        off: 2,
                        elem,
                        signed: b,
                    },
                    GcOp::StructSet { off: 3, elem },
                    GcOp::ArrayNew {
                        ty: 1,
                        elem,
                        default: b,
                    },
                    GcOp::ArrayNewFixed { ty: 2, elem, n: 8 },
                    GcOp::ArrayNewData {
                        ty: 2,
                        elem,
                        data: 1,
                    },
                    GcOp::ArrayGet { elem, signed: b },
                    GcOp::ArraySet { elem },
                    GcOp::ArrayFill { elem },
                    GcOp::ArrayCopy { elem },
                    GcOp::ArrayInitData { elem, data: 4 },
                    GcOp::ArrayInitElem { elem: 5 },
                    GcOp::I31Get { signed: b },
                ]);
                for rt in rts {
                    ops.extend([
                        GcOp::Test { rt },
                        GcOp::Cast { rt },
                        GcOp::TestKeep { rt, neg: b },
                    ]);
                }
            }
        }
        for op in ops {
            assert_eq!(GcOp::unpack(op.pack()), Some(op), "{op:?}");
        }
        assert_eq!(GcOp::unpack([99, 0, 0, 0]), None);
    }
}

//! The opcode table: every instruction whose typing is a fixed signature over
//! plain value types (numeric, memory access and SIMD lane ops).
//!
//! One row per opcode: variant, text mnemonic, binary prefix byte (0 for
//! single-byte opcodes), opcode, immediate kind, parameter and result types
//! (with an i32 address for memory ops; memory64 widens it in the validator),
//! and the feature that introduced it. Decoder, encoder, printer, text parser
//! and validator all read this one table, so they cannot disagree. Structural
//! instructions (control, variables, tables, references, constants, bulk
//! memory) have typed immediates of their own and live in [`crate::Instr`].

use crate::features::Features;
use crate::types::ValType;

/// What immediates an [`Op`] takes and what they mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// No immediates.
    Plain,
    /// A load with a memarg; the payload is log2 of the natural alignment.
    Load(u8),
    /// A store with a memarg; the payload is log2 of the natural alignment.
    Store(u8),
    /// A lane index immediate; the payload is the lane count.
    Lane(u8),
    /// A memarg plus a lane index, loading one lane; payload is log2 of the access size.
    LoadLane(u8),
    /// A memarg plus a lane index, storing one lane; payload is log2 of the access size.
    StoreLane(u8),
}

impl OpKind {
    /// log2 of the natural alignment for memory ops.
    pub fn natural_align(self) -> Option<u8> {
        match self {
            OpKind::Load(a) | OpKind::Store(a) | OpKind::LoadLane(a) | OpKind::StoreLane(a) => {
                Some(a)
            }
            _ => None,
        }
    }

    /// Number of lanes a lane immediate may address.
    pub fn lanes(self) -> Option<u8> {
        match self {
            OpKind::Lane(n) => Some(n),
            OpKind::LoadLane(a) | OpKind::StoreLane(a) => Some(16 >> a),
            _ => None,
        }
    }
}

/// One row of the opcode table.
#[derive(Debug)]
pub struct OpInfo {
    /// Text format mnemonic, e.g. `i32.add`.
    pub name: &'static str,
    /// Prefix byte (0xfc, 0xfd) or 0 for single-byte opcodes.
    pub prefix: u8,
    /// The opcode (LEB128 u32 after a prefix).
    pub code: u32,
    /// Immediate shape.
    pub kind: OpKind,
    /// Operand types popped, bottom first.
    pub params: &'static [ValType],
    /// Result types pushed.
    pub results: &'static [ValType],
    /// The proposal that introduced the op; empty for the MVP.
    pub feature: Features,
}

macro_rules! define_ops {
    ($( $v:ident $name:literal $prefix:literal $code:literal $kind:expr, [$($p:ident)*] [$($r:ident)*] $feat:ident; )*) => {
        /// A table-driven instruction opcode (see the module docs).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        #[allow(missing_docs)]
        pub enum Op { $($v,)* }

        /// The table itself, indexed by `Op as usize`.
        pub static OPS: &[OpInfo] = {
            use OpKind::*;
            &[$(OpInfo {
                name: $name,
                prefix: $prefix,
                code: $code,
                kind: $kind,
                params: &[$(ValType::$p),*],
                results: &[$(ValType::$r),*],
                feature: Features::$feat,
            },)*]
        };

        impl Op {
            /// Looks an opcode up by its binary encoding.
            pub fn from_code(prefix: u8, code: u32) -> Option<Op> {
                match (prefix, code) {
                    $(($prefix, $code) => Some(Op::$v),)*
                    _ => None,
                }
            }

            /// Every op, in table order.
            pub const ALL: &'static [Op] = &[$(Op::$v,)*];
        }
    };
}

impl Op {
    /// This op's table row.
    #[inline]
    pub fn info(self) -> &'static OpInfo {
        &OPS[self as usize]
    }

    /// Text mnemonic.
    #[inline]
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Immediate shape.
    #[inline]
    pub fn kind(self) -> OpKind {
        self.info().kind
    }

    /// Looks an opcode up by its text mnemonic (linear table built once).
    pub fn from_name(name: &str) -> Option<Op> {
        use std::collections::HashMap;
        use std::sync::OnceLock;
        static BY_NAME: OnceLock<HashMap<&'static str, Op>> = OnceLock::new();
        BY_NAME
            .get_or_init(|| Op::ALL.iter().map(|&op| (op.name(), op)).collect())
            .get(name)
            .copied()
    }
}

define_ops! {
    I32Load                            "i32.load"                             0x00 0x28 Load(2),       [I32] [I32] MVP;
    I64Load                            "i64.load"                             0x00 0x29 Load(3),       [I32] [I64] MVP;
    F32Load                            "f32.load"                             0x00 0x2a Load(2),       [I32] [F32] MVP;
    F64Load                            "f64.load"                             0x00 0x2b Load(3),       [I32] [F64] MVP;
    I32Load8S                          "i32.load8_s"                          0x00 0x2c Load(0),       [I32] [I32] MVP;
    I32Load8U                          "i32.load8_u"                          0x00 0x2d Load(0),       [I32] [I32] MVP;
    I32Load16S                         "i32.load16_s"                         0x00 0x2e Load(1),       [I32] [I32] MVP;
    I32Load16U                         "i32.load16_u"                         0x00 0x2f Load(1),       [I32] [I32] MVP;
    I64Load8S                          "i64.load8_s"                          0x00 0x30 Load(0),       [I32] [I64] MVP;
    I64Load8U                          "i64.load8_u"                          0x00 0x31 Load(0),       [I32] [I64] MVP;
    I64Load16S                         "i64.load16_s"                         0x00 0x32 Load(1),       [I32] [I64] MVP;
    I64Load16U                         "i64.load16_u"                         0x00 0x33 Load(1),       [I32] [I64] MVP;
    I64Load32S                         "i64.load32_s"                         0x00 0x34 Load(2),       [I32] [I64] MVP;
    I64Load32U                         "i64.load32_u"                         0x00 0x35 Load(2),       [I32] [I64] MVP;
    I32Store                           "i32.store"                            0x00 0x36 Store(2),      [I32 I32] [] MVP;
    I64Store                           "i64.store"                            0x00 0x37 Store(3),      [I32 I64] [] MVP;
    F32Store                           "f32.store"                            0x00 0x38 Store(2),      [I32 F32] [] MVP;
    F64Store                           "f64.store"                            0x00 0x39 Store(3),      [I32 F64] [] MVP;
    I32Store8                          "i32.store8"                           0x00 0x3a Store(0),      [I32 I32] [] MVP;
    I32Store16                         "i32.store16"                          0x00 0x3b Store(1),      [I32 I32] [] MVP;
    I64Store8                          "i64.store8"                           0x00 0x3c Store(0),      [I32 I64] [] MVP;
    I64Store16                         "i64.store16"                          0x00 0x3d Store(1),      [I32 I64] [] MVP;
    I64Store32                         "i64.store32"                          0x00 0x3e Store(2),      [I32 I64] [] MVP;
    I32Eqz                             "i32.eqz"                              0x00 0x45 Plain,         [I32] [I32] MVP;
    I32Eq                              "i32.eq"                               0x00 0x46 Plain,         [I32 I32] [I32] MVP;
    I32Ne                              "i32.ne"                               0x00 0x47 Plain,         [I32 I32] [I32] MVP;
    I32LtS                             "i32.lt_s"                             0x00 0x48 Plain,         [I32 I32] [I32] MVP;
    I32LtU                             "i32.lt_u"                             0x00 0x49 Plain,         [I32 I32] [I32] MVP;
    I32GtS                             "i32.gt_s"                             0x00 0x4a Plain,         [I32 I32] [I32] MVP;
    I32GtU                             "i32.gt_u"                             0x00 0x4b Plain,         [I32 I32] [I32] MVP;
    I32LeS                             "i32.le_s"                             0x00 0x4c Plain,         [I32 I32] [I32] MVP;
    I32LeU                             "i32.le_u"                             0x00 0x4d Plain,         [I32 I32] [I32] MVP;
    I32GeS                             "i32.ge_s"                             0x00 0x4e Plain,         [I32 I32] [I32] MVP;
    I32GeU                             "i32.ge_u"                             0x00 0x4f Plain,         [I32 I32] [I32] MVP;
    I64Eqz                             "i64.eqz"                              0x00 0x50 Plain,         [I64] [I32] MVP;
    I64Eq                              "i64.eq"                               0x00 0x51 Plain,         [I64 I64] [I32] MVP;
    I64Ne                              "i64.ne"                               0x00 0x52 Plain,         [I64 I64] [I32] MVP;
    I64LtS                             "i64.lt_s"                             0x00 0x53 Plain,         [I64 I64] [I32] MVP;
    I64LtU                             "i64.lt_u"                             0x00 0x54 Plain,         [I64 I64] [I32] MVP;
    I64GtS                             "i64.gt_s"                             0x00 0x55 Plain,         [I64 I64] [I32] MVP;
    I64GtU                             "i64.gt_u"                             0x00 0x56 Plain,         [I64 I64] [I32] MVP;
    I64LeS                             "i64.le_s"                             0x00 0x57 Plain,         [I64 I64] [I32] MVP;
    I64LeU                             "i64.le_u"                             0x00 0x58 Plain,         [I64 I64] [I32] MVP;
    I64GeS                             "i64.ge_s"                             0x00 0x59 Plain,         [I64 I64] [I32] MVP;
    I64GeU                             "i64.ge_u"                             0x00 0x5a Plain,         [I64 I64] [I32] MVP;
    F32Eq                              "f32.eq"                               0x00 0x5b Plain,         [F32 F32] [I32] MVP;
    F32Ne                              "f32.ne"                               0x00 0x5c Plain,         [F32 F32] [I32] MVP;
    F32Lt                              "f32.lt"                               0x00 0x5d Plain,         [F32 F32] [I32] MVP;
    F32Gt                              "f32.gt"                               0x00 0x5e Plain,         [F32 F32] [I32] MVP;
    F32Le                              "f32.le"                               0x00 0x5f Plain,         [F32 F32] [I32] MVP;
    F32Ge                              "f32.ge"                               0x00 0x60 Plain,         [F32 F32] [I32] MVP;
    F64Eq                              "f64.eq"                               0x00 0x61 Plain,         [F64 F64] [I32] MVP;
    F64Ne                              "f64.ne"                               0x00 0x62 Plain,         [F64 F64] [I32] MVP;
    F64Lt                              "f64.lt"                               0x00 0x63 Plain,         [F64 F64] [I32] MVP;
    F64Gt                              "f64.gt"                               0x00 0x64 Plain,         [F64 F64] [I32] MVP;
    F64Le                              "f64.le"                               0x00 0x65 Plain,         [F64 F64] [I32] MVP;
    F64Ge                              "f64.ge"                               0x00 0x66 Plain,         [F64 F64] [I32] MVP;
    I32Clz                             "i32.clz"                              0x00 0x67 Plain,         [I32] [I32] MVP;
    I32Ctz                             "i32.ctz"                              0x00 0x68 Plain,         [I32] [I32] MVP;
    I32Popcnt                          "i32.popcnt"                           0x00 0x69 Plain,         [I32] [I32] MVP;
    I32Add                             "i32.add"                              0x00 0x6a Plain,         [I32 I32] [I32] MVP;
    I32Sub                             "i32.sub"                              0x00 0x6b Plain,         [I32 I32] [I32] MVP;
    I32Mul                             "i32.mul"                              0x00 0x6c Plain,         [I32 I32] [I32] MVP;
    I32DivS                            "i32.div_s"                            0x00 0x6d Plain,         [I32 I32] [I32] MVP;
    I32DivU                            "i32.div_u"                            0x00 0x6e Plain,         [I32 I32] [I32] MVP;
    I32RemS                            "i32.rem_s"                            0x00 0x6f Plain,         [I32 I32] [I32] MVP;
    I32RemU                            "i32.rem_u"                            0x00 0x70 Plain,         [I32 I32] [I32] MVP;
    I32And                             "i32.and"                              0x00 0x71 Plain,         [I32 I32] [I32] MVP;
    I32Or                              "i32.or"                               0x00 0x72 Plain,         [I32 I32] [I32] MVP;
    I32Xor                             "i32.xor"                              0x00 0x73 Plain,         [I32 I32] [I32] MVP;
    I32Shl                             "i32.shl"                              0x00 0x74 Plain,         [I32 I32] [I32] MVP;
    I32ShrS                            "i32.shr_s"                            0x00 0x75 Plain,         [I32 I32] [I32] MVP;
    I32ShrU                            "i32.shr_u"                            0x00 0x76 Plain,         [I32 I32] [I32] MVP;
    I32Rotl                            "i32.rotl"                             0x00 0x77 Plain,         [I32 I32] [I32] MVP;
    I32Rotr                            "i32.rotr"                             0x00 0x78 Plain,         [I32 I32] [I32] MVP;
    I64Clz                             "i64.clz"                              0x00 0x79 Plain,         [I64] [I64] MVP;
    I64Ctz                             "i64.ctz"                              0x00 0x7a Plain,         [I64] [I64] MVP;
    I64Popcnt                          "i64.popcnt"                           0x00 0x7b Plain,         [I64] [I64] MVP;
    I64Add                             "i64.add"                              0x00 0x7c Plain,         [I64 I64] [I64] MVP;
    I64Sub                             "i64.sub"                              0x00 0x7d Plain,         [I64 I64] [I64] MVP;
    I64Mul                             "i64.mul"                              0x00 0x7e Plain,         [I64 I64] [I64] MVP;
    I64DivS                            "i64.div_s"                            0x00 0x7f Plain,         [I64 I64] [I64] MVP;
    I64DivU                            "i64.div_u"                            0x00 0x80 Plain,         [I64 I64] [I64] MVP;
    I64RemS                            "i64.rem_s"                            0x00 0x81 Plain,         [I64 I64] [I64] MVP;
    I64RemU                            "i64.rem_u"                            0x00 0x82 Plain,         [I64 I64] [I64] MVP;
    I64And                             "i64.and"                              0x00 0x83 Plain,         [I64 I64] [I64] MVP;
    I64Or                              "i64.or"                               0x00 0x84 Plain,         [I64 I64] [I64] MVP;
    I64Xor                             "i64.xor"                              0x00 0x85 Plain,         [I64 I64] [I64] MVP;
    I64Shl                             "i64.shl"                              0x00 0x86 Plain,         [I64 I64] [I64] MVP;
    I64ShrS                            "i64.shr_s"                            0x00 0x87 Plain,         [I64 I64] [I64] MVP;
    I64ShrU                            "i64.shr_u"                            0x00 0x88 Plain,         [I64 I64] [I64] MVP;
    I64Rotl                            "i64.rotl"                             0x00 0x89 Plain,         [I64 I64] [I64] MVP;
    I64Rotr                            "i64.rotr"                             0x00 0x8a Plain,         [I64 I64] [I64] MVP;
    F32Abs                             "f32.abs"                              0x00 0x8b Plain,         [F32] [F32] MVP;
    F32Neg                             "f32.neg"                              0x00 0x8c Plain,         [F32] [F32] MVP;
    F32Ceil                            "f32.ceil"                             0x00 0x8d Plain,         [F32] [F32] MVP;
    F32Floor                           "f32.floor"                            0x00 0x8e Plain,         [F32] [F32] MVP;
    F32Trunc                           "f32.trunc"                            0x00 0x8f Plain,         [F32] [F32] MVP;
    F32Nearest                         "f32.nearest"                          0x00 0x90 Plain,         [F32] [F32] MVP;
    F32Sqrt                            "f32.sqrt"                             0x00 0x91 Plain,         [F32] [F32] MVP;
    F32Add                             "f32.add"                              0x00 0x92 Plain,         [F32 F32] [F32] MVP;
    F32Sub                             "f32.sub"                              0x00 0x93 Plain,         [F32 F32] [F32] MVP;
    F32Mul                             "f32.mul"                              0x00 0x94 Plain,         [F32 F32] [F32] MVP;
    F32Div                             "f32.div"                              0x00 0x95 Plain,         [F32 F32] [F32] MVP;
    F32Min                             "f32.min"                              0x00 0x96 Plain,         [F32 F32] [F32] MVP;
    F32Max                             "f32.max"                              0x00 0x97 Plain,         [F32 F32] [F32] MVP;
    F32Copysign                        "f32.copysign"                         0x00 0x98 Plain,         [F32 F32] [F32] MVP;
    F64Abs                             "f64.abs"                              0x00 0x99 Plain,         [F64] [F64] MVP;
    F64Neg                             "f64.neg"                              0x00 0x9a Plain,         [F64] [F64] MVP;
    F64Ceil                            "f64.ceil"                             0x00 0x9b Plain,         [F64] [F64] MVP;
    F64Floor                           "f64.floor"                            0x00 0x9c Plain,         [F64] [F64] MVP;
    F64Trunc                           "f64.trunc"                            0x00 0x9d Plain,         [F64] [F64] MVP;
    F64Nearest                         "f64.nearest"                          0x00 0x9e Plain,         [F64] [F64] MVP;
    F64Sqrt                            "f64.sqrt"                             0x00 0x9f Plain,         [F64] [F64] MVP;
    F64Add                             "f64.add"                              0x00 0xa0 Plain,         [F64 F64] [F64] MVP;
    F64Sub                             "f64.sub"                              0x00 0xa1 Plain,         [F64 F64] [F64] MVP;
    F64Mul                             "f64.mul"                              0x00 0xa2 Plain,         [F64 F64] [F64] MVP;
    F64Div                             "f64.div"                              0x00 0xa3 Plain,         [F64 F64] [F64] MVP;
    F64Min                             "f64.min"                              0x00 0xa4 Plain,         [F64 F64] [F64] MVP;
    F64Max                             "f64.max"                              0x00 0xa5 Plain,         [F64 F64] [F64] MVP;
    F64Copysign                        "f64.copysign"                         0x00 0xa6 Plain,         [F64 F64] [F64] MVP;
    I32WrapI64                         "i32.wrap_i64"                         0x00 0xa7 Plain,         [I64] [I32] MVP;
    I32TruncF32S                       "i32.trunc_f32_s"                      0x00 0xa8 Plain,         [F32] [I32] MVP;
    I32TruncF32U                       "i32.trunc_f32_u"                      0x00 0xa9 Plain,         [F32] [I32] MVP;
    I32TruncF64S                       "i32.trunc_f64_s"                      0x00 0xaa Plain,         [F64] [I32] MVP;
    I32TruncF64U                       "i32.trunc_f64_u"                      0x00 0xab Plain,         [F64] [I32] MVP;
    I64ExtendI32S                      "i64.extend_i32_s"                     0x00 0xac Plain,         [I32] [I64] MVP;
    I64ExtendI32U                      "i64.extend_i32_u"                     0x00 0xad Plain,         [I32] [I64] MVP;
    I64TruncF32S                       "i64.trunc_f32_s"                      0x00 0xae Plain,         [F32] [I64] MVP;
    I64TruncF32U                       "i64.trunc_f32_u"                      0x00 0xaf Plain,         [F32] [I64] MVP;
    I64TruncF64S                       "i64.trunc_f64_s"                      0x00 0xb0 Plain,         [F64] [I64] MVP;
    I64TruncF64U                       "i64.trunc_f64_u"                      0x00 0xb1 Plain,         [F64] [I64] MVP;
    F32ConvertI32S                     "f32.convert_i32_s"                    0x00 0xb2 Plain,         [I32] [F32] MVP;
    F32ConvertI32U                     "f32.convert_i32_u"                    0x00 0xb3 Plain,         [I32] [F32] MVP;
    F32ConvertI64S                     "f32.convert_i64_s"                    0x00 0xb4 Plain,         [I64] [F32] MVP;
    F32ConvertI64U                     "f32.convert_i64_u"                    0x00 0xb5 Plain,         [I64] [F32] MVP;
    F32DemoteF64                       "f32.demote_f64"                       0x00 0xb6 Plain,         [F64] [F32] MVP;
    F64ConvertI32S                     "f64.convert_i32_s"                    0x00 0xb7 Plain,         [I32] [F64] MVP;
    F64ConvertI32U                     "f64.convert_i32_u"                    0x00 0xb8 Plain,         [I32] [F64] MVP;
    F64ConvertI64S                     "f64.convert_i64_s"                    0x00 0xb9 Plain,         [I64] [F64] MVP;
    F64ConvertI64U                     "f64.convert_i64_u"                    0x00 0xba Plain,         [I64] [F64] MVP;
    F64PromoteF32                      "f64.promote_f32"                      0x00 0xbb Plain,         [F32] [F64] MVP;
    I32ReinterpretF32                  "i32.reinterpret_f32"                  0x00 0xbc Plain,         [F32] [I32] MVP;
    I64ReinterpretF64                  "i64.reinterpret_f64"                  0x00 0xbd Plain,         [F64] [I64] MVP;
    F32ReinterpretI32                  "f32.reinterpret_i32"                  0x00 0xbe Plain,         [I32] [F32] MVP;
    F64ReinterpretI64                  "f64.reinterpret_i64"                  0x00 0xbf Plain,         [I64] [F64] MVP;
    I32Extend8S                        "i32.extend8_s"                        0x00 0xc0 Plain,         [I32] [I32] SIGN_EXTENSION;
    I32Extend16S                       "i32.extend16_s"                       0x00 0xc1 Plain,         [I32] [I32] SIGN_EXTENSION;
    I64Extend8S                        "i64.extend8_s"                        0x00 0xc2 Plain,         [I64] [I64] SIGN_EXTENSION;
    I64Extend16S                       "i64.extend16_s"                       0x00 0xc3 Plain,         [I64] [I64] SIGN_EXTENSION;
    I64Extend32S                       "i64.extend32_s"                       0x00 0xc4 Plain,         [I64] [I64] SIGN_EXTENSION;
    I32TruncSatF32S                    "i32.trunc_sat_f32_s"                  0xfc 0x00 Plain,         [F32] [I32] SATURATING_FLOAT_TO_INT;
    I32TruncSatF32U                    "i32.trunc_sat_f32_u"                  0xfc 0x01 Plain,         [F32] [I32] SATURATING_FLOAT_TO_INT;
    I32TruncSatF64S                    "i32.trunc_sat_f64_s"                  0xfc 0x02 Plain,         [F64] [I32] SATURATING_FLOAT_TO_INT;
    I32TruncSatF64U                    "i32.trunc_sat_f64_u"                  0xfc 0x03 Plain,         [F64] [I32] SATURATING_FLOAT_TO_INT;
    I64TruncSatF32S                    "i64.trunc_sat_f32_s"                  0xfc 0x04 Plain,         [F32] [I64] SATURATING_FLOAT_TO_INT;
    I64TruncSatF32U                    "i64.trunc_sat_f32_u"                  0xfc 0x05 Plain,         [F32] [I64] SATURATING_FLOAT_TO_INT;
    I64TruncSatF64S                    "i64.trunc_sat_f64_s"                  0xfc 0x06 Plain,         [F64] [I64] SATURATING_FLOAT_TO_INT;
    I64TruncSatF64U                    "i64.trunc_sat_f64_u"                  0xfc 0x07 Plain,         [F64] [I64] SATURATING_FLOAT_TO_INT;
    V128Load                           "v128.load"                            0xfd 0x00 Load(4),       [I32] [V128] SIMD;
    V128Load8x8S                       "v128.load8x8_s"                       0xfd 0x01 Load(3),       [I32] [V128] SIMD;
    V128Load8x8U                       "v128.load8x8_u"                       0xfd 0x02 Load(3),       [I32] [V128] SIMD;
    V128Load16x4S                      "v128.load16x4_s"                      0xfd 0x03 Load(3),       [I32] [V128] SIMD;
    V128Load16x4U                      "v128.load16x4_u"                      0xfd 0x04 Load(3),       [I32] [V128] SIMD;
    V128Load32x2S                      "v128.load32x2_s"                      0xfd 0x05 Load(3),       [I32] [V128] SIMD;
    V128Load32x2U                      "v128.load32x2_u"                      0xfd 0x06 Load(3),       [I32] [V128] SIMD;
    V128Load8Splat                     "v128.load8_splat"                     0xfd 0x07 Load(0),       [I32] [V128] SIMD;
    V128Load16Splat                    "v128.load16_splat"                    0xfd 0x08 Load(1),       [I32] [V128] SIMD;
    V128Load32Splat                    "v128.load32_splat"                    0xfd 0x09 Load(2),       [I32] [V128] SIMD;
    V128Load64Splat                    "v128.load64_splat"                    0xfd 0x0a Load(3),       [I32] [V128] SIMD;
    V128Store                          "v128.store"                           0xfd 0x0b Store(4),      [I32 V128] [] SIMD;
    I8x16Swizzle                       "i8x16.swizzle"                        0xfd 0x0e Plain,         [V128 V128] [V128] SIMD;
    I8x16Splat                         "i8x16.splat"                          0xfd 0x0f Plain,         [I32] [V128] SIMD;
    I16x8Splat                         "i16x8.splat"                          0xfd 0x10 Plain,         [I32] [V128] SIMD;
    I32x4Splat                         "i32x4.splat"                          0xfd 0x11 Plain,         [I32] [V128] SIMD;
    I64x2Splat                         "i64x2.splat"                          0xfd 0x12 Plain,         [I64] [V128] SIMD;
    F32x4Splat                         "f32x4.splat"                          0xfd 0x13 Plain,         [F32] [V128] SIMD;
    F64x2Splat                         "f64x2.splat"                          0xfd 0x14 Plain,         [F64] [V128] SIMD;
    I8x16ExtractLaneS                  "i8x16.extract_lane_s"                 0xfd 0x15 Lane(16),      [V128] [I32] SIMD;
    I8x16ExtractLaneU                  "i8x16.extract_lane_u"                 0xfd 0x16 Lane(16),      [V128] [I32] SIMD;
    I8x16ReplaceLane                   "i8x16.replace_lane"                   0xfd 0x17 Lane(16),      [V128 I32] [V128] SIMD;
    I16x8ExtractLaneS                  "i16x8.extract_lane_s"                 0xfd 0x18 Lane(8),       [V128] [I32] SIMD;
    I16x8ExtractLaneU                  "i16x8.extract_lane_u"                 0xfd 0x19 Lane(8),       [V128] [I32] SIMD;
    I16x8ReplaceLane                   "i16x8.replace_lane"                   0xfd 0x1a Lane(8),       [V128 I32] [V128] SIMD;
    I32x4ExtractLane                   "i32x4.extract_lane"                   0xfd 0x1b Lane(4),       [V128] [I32] SIMD;
    I32x4ReplaceLane                   "i32x4.replace_lane"                   0xfd 0x1c Lane(4),       [V128 I32] [V128] SIMD;
    I64x2ExtractLane                   "i64x2.extract_lane"                   0xfd 0x1d Lane(2),       [V128] [I64] SIMD;
    I64x2ReplaceLane                   "i64x2.replace_lane"                   0xfd 0x1e Lane(2),       [V128 I64] [V128] SIMD;
    F32x4ExtractLane                   "f32x4.extract_lane"                   0xfd 0x1f Lane(4),       [V128] [F32] SIMD;
    F32x4ReplaceLane                   "f32x4.replace_lane"                   0xfd 0x20 Lane(4),       [V128 F32] [V128] SIMD;
    F64x2ExtractLane                   "f64x2.extract_lane"                   0xfd 0x21 Lane(2),       [V128] [F64] SIMD;
    F64x2ReplaceLane                   "f64x2.replace_lane"                   0xfd 0x22 Lane(2),       [V128 F64] [V128] SIMD;
    I8x16Eq                            "i8x16.eq"                             0xfd 0x23 Plain,         [V128 V128] [V128] SIMD;
    I8x16Ne                            "i8x16.ne"                             0xfd 0x24 Plain,         [V128 V128] [V128] SIMD;
    I8x16LtS                           "i8x16.lt_s"                           0xfd 0x25 Plain,         [V128 V128] [V128] SIMD;
    I8x16LtU                           "i8x16.lt_u"                           0xfd 0x26 Plain,         [V128 V128] [V128] SIMD;
    I8x16GtS                           "i8x16.gt_s"                           0xfd 0x27 Plain,         [V128 V128] [V128] SIMD;
    I8x16GtU                           "i8x16.gt_u"                           0xfd 0x28 Plain,         [V128 V128] [V128] SIMD;
    I8x16LeS                           "i8x16.le_s"                           0xfd 0x29 Plain,         [V128 V128] [V128] SIMD;
    I8x16LeU                           "i8x16.le_u"                           0xfd 0x2a Plain,         [V128 V128] [V128] SIMD;
    I8x16GeS                           "i8x16.ge_s"                           0xfd 0x2b Plain,         [V128 V128] [V128] SIMD;
    I8x16GeU                           "i8x16.ge_u"                           0xfd 0x2c Plain,         [V128 V128] [V128] SIMD;
    I16x8Eq                            "i16x8.eq"                             0xfd 0x2d Plain,         [V128 V128] [V128] SIMD;
    I16x8Ne                            "i16x8.ne"                             0xfd 0x2e Plain,         [V128 V128] [V128] SIMD;
    I16x8LtS                           "i16x8.lt_s"                           0xfd 0x2f Plain,         [V128 V128] [V128] SIMD;
    I16x8LtU                           "i16x8.lt_u"                           0xfd 0x30 Plain,         [V128 V128] [V128] SIMD;
    I16x8GtS                           "i16x8.gt_s"                           0xfd 0x31 Plain,         [V128 V128] [V128] SIMD;
    I16x8GtU                           "i16x8.gt_u"                           0xfd 0x32 Plain,         [V128 V128] [V128] SIMD;
    I16x8LeS                           "i16x8.le_s"                           0xfd 0x33 Plain,         [V128 V128] [V128] SIMD;
    I16x8LeU                           "i16x8.le_u"                           0xfd 0x34 Plain,         [V128 V128] [V128] SIMD;
    I16x8GeS                           "i16x8.ge_s"                           0xfd 0x35 Plain,         [V128 V128] [V128] SIMD;
    I16x8GeU                           "i16x8.ge_u"                           0xfd 0x36 Plain,         [V128 V128] [V128] SIMD;
    I32x4Eq                            "i32x4.eq"                             0xfd 0x37 Plain,         [V128 V128] [V128] SIMD;
    I32x4Ne                            "i32x4.ne"                             0xfd 0x38 Plain,         [V128 V128] [V128] SIMD;
    I32x4LtS                           "i32x4.lt_s"                           0xfd 0x39 Plain,         [V128 V128] [V128] SIMD;
    I32x4LtU                           "i32x4.lt_u"                           0xfd 0x3a Plain,         [V128 V128] [V128] SIMD;
    I32x4GtS                           "i32x4.gt_s"                           0xfd 0x3b Plain,         [V128 V128] [V128] SIMD;
    I32x4GtU                           "i32x4.gt_u"                           0xfd 0x3c Plain,         [V128 V128] [V128] SIMD;
    I32x4LeS                           "i32x4.le_s"                           0xfd 0x3d Plain,         [V128 V128] [V128] SIMD;
    I32x4LeU                           "i32x4.le_u"                           0xfd 0x3e Plain,         [V128 V128] [V128] SIMD;
    I32x4GeS                           "i32x4.ge_s"                           0xfd 0x3f Plain,         [V128 V128] [V128] SIMD;
    I32x4GeU                           "i32x4.ge_u"                           0xfd 0x40 Plain,         [V128 V128] [V128] SIMD;
    F32x4Eq                            "f32x4.eq"                             0xfd 0x41 Plain,         [V128 V128] [V128] SIMD;
    F32x4Ne                            "f32x4.ne"                             0xfd 0x42 Plain,         [V128 V128] [V128] SIMD;
    F32x4Lt                            "f32x4.lt"                             0xfd 0x43 Plain,         [V128 V128] [V128] SIMD;
    F32x4Gt                            "f32x4.gt"                             0xfd 0x44 Plain,         [V128 V128] [V128] SIMD;
    F32x4Le                            "f32x4.le"                             0xfd 0x45 Plain,         [V128 V128] [V128] SIMD;
    F32x4Ge                            "f32x4.ge"                             0xfd 0x46 Plain,         [V128 V128] [V128] SIMD;
    F64x2Eq                            "f64x2.eq"                             0xfd 0x47 Plain,         [V128 V128] [V128] SIMD;
    F64x2Ne                            "f64x2.ne"                             0xfd 0x48 Plain,         [V128 V128] [V128] SIMD;
    F64x2Lt                            "f64x2.lt"                             0xfd 0x49 Plain,         [V128 V128] [V128] SIMD;
    F64x2Gt                            "f64x2.gt"                             0xfd 0x4a Plain,         [V128 V128] [V128] SIMD;
    F64x2Le                            "f64x2.le"                             0xfd 0x4b Plain,         [V128 V128] [V128] SIMD;
    F64x2Ge                            "f64x2.ge"                             0xfd 0x4c Plain,         [V128 V128] [V128] SIMD;
    V128Not                            "v128.not"                             0xfd 0x4d Plain,         [V128] [V128] SIMD;
    V128And                            "v128.and"                             0xfd 0x4e Plain,         [V128 V128] [V128] SIMD;
    V128Andnot                         "v128.andnot"                          0xfd 0x4f Plain,         [V128 V128] [V128] SIMD;
    V128Or                             "v128.or"                              0xfd 0x50 Plain,         [V128 V128] [V128] SIMD;
    V128Xor                            "v128.xor"                             0xfd 0x51 Plain,         [V128 V128] [V128] SIMD;
    V128Bitselect                      "v128.bitselect"                       0xfd 0x52 Plain,         [V128 V128 V128] [V128] SIMD;
    V128AnyTrue                        "v128.any_true"                        0xfd 0x53 Plain,         [V128] [I32] SIMD;
    V128Load8Lane                      "v128.load8_lane"                      0xfd 0x54 LoadLane(0),   [I32 V128] [V128] SIMD;
    V128Load16Lane                     "v128.load16_lane"                     0xfd 0x55 LoadLane(1),   [I32 V128] [V128] SIMD;
    V128Load32Lane                     "v128.load32_lane"                     0xfd 0x56 LoadLane(2),   [I32 V128] [V128] SIMD;
    V128Load64Lane                     "v128.load64_lane"                     0xfd 0x57 LoadLane(3),   [I32 V128] [V128] SIMD;
    V128Store8Lane                     "v128.store8_lane"                     0xfd 0x58 StoreLane(0),  [I32 V128] [] SIMD;
    V128Store16Lane                    "v128.store16_lane"                    0xfd 0x59 StoreLane(1),  [I32 V128] [] SIMD;
    V128Store32Lane                    "v128.store32_lane"                    0xfd 0x5a StoreLane(2),  [I32 V128] [] SIMD;
    V128Store64Lane                    "v128.store64_lane"                    0xfd 0x5b StoreLane(3),  [I32 V128] [] SIMD;
    V128Load32Zero                     "v128.load32_zero"                     0xfd 0x5c Load(2),       [I32] [V128] SIMD;
    V128Load64Zero                     "v128.load64_zero"                     0xfd 0x5d Load(3),       [I32] [V128] SIMD;
    F32x4DemoteF64x2Zero               "f32x4.demote_f64x2_zero"              0xfd 0x5e Plain,         [V128] [V128] SIMD;
    F64x2PromoteLowF32x4               "f64x2.promote_low_f32x4"              0xfd 0x5f Plain,         [V128] [V128] SIMD;
    I8x16Abs                           "i8x16.abs"                            0xfd 0x60 Plain,         [V128] [V128] SIMD;
    I8x16Neg                           "i8x16.neg"                            0xfd 0x61 Plain,         [V128] [V128] SIMD;
    I8x16Popcnt                        "i8x16.popcnt"                         0xfd 0x62 Plain,         [V128] [V128] SIMD;
    I8x16AllTrue                       "i8x16.all_true"                       0xfd 0x63 Plain,         [V128] [I32] SIMD;
    I8x16Bitmask                       "i8x16.bitmask"                        0xfd 0x64 Plain,         [V128] [I32] SIMD;
    I8x16NarrowI16x8S                  "i8x16.narrow_i16x8_s"                 0xfd 0x65 Plain,         [V128 V128] [V128] SIMD;
    I8x16NarrowI16x8U                  "i8x16.narrow_i16x8_u"                 0xfd 0x66 Plain,         [V128 V128] [V128] SIMD;
    F32x4Ceil                          "f32x4.ceil"                           0xfd 0x67 Plain,         [V128] [V128] SIMD;
    F32x4Floor                         "f32x4.floor"                          0xfd 0x68 Plain,         [V128] [V128] SIMD;
    F32x4Trunc                         "f32x4.trunc"                          0xfd 0x69 Plain,         [V128] [V128] SIMD;
    F32x4Nearest                       "f32x4.nearest"                        0xfd 0x6a Plain,         [V128] [V128] SIMD;
    I8x16Shl                           "i8x16.shl"                            0xfd 0x6b Plain,         [V128 I32] [V128] SIMD;
    I8x16ShrS                          "i8x16.shr_s"                          0xfd 0x6c Plain,         [V128 I32] [V128] SIMD;
    I8x16ShrU                          "i8x16.shr_u"                          0xfd 0x6d Plain,         [V128 I32] [V128] SIMD;
    I8x16Add                           "i8x16.add"                            0xfd 0x6e Plain,         [V128 V128] [V128] SIMD;
    I8x16AddSatS                       "i8x16.add_sat_s"                      0xfd 0x6f Plain,         [V128 V128] [V128] SIMD;
    I8x16AddSatU                       "i8x16.add_sat_u"                      0xfd 0x70 Plain,         [V128 V128] [V128] SIMD;
    I8x16Sub                           "i8x16.sub"                            0xfd 0x71 Plain,         [V128 V128] [V128] SIMD;
    I8x16SubSatS                       "i8x16.sub_sat_s"                      0xfd 0x72 Plain,         [V128 V128] [V128] SIMD;
    I8x16SubSatU                       "i8x16.sub_sat_u"                      0xfd 0x73 Plain,         [V128 V128] [V128] SIMD;
    F64x2Ceil                          "f64x2.ceil"                           0xfd 0x74 Plain,         [V128] [V128] SIMD;
    F64x2Floor                         "f64x2.floor"                          0xfd 0x75 Plain,         [V128] [V128] SIMD;
    I8x16MinS                          "i8x16.min_s"                          0xfd 0x76 Plain,         [V128 V128] [V128] SIMD;
    I8x16MinU                          "i8x16.min_u"                          0xfd 0x77 Plain,         [V128 V128] [V128] SIMD;
    I8x16MaxS                          "i8x16.max_s"                          0xfd 0x78 Plain,         [V128 V128] [V128] SIMD;
    I8x16MaxU                          "i8x16.max_u"                          0xfd 0x79 Plain,         [V128 V128] [V128] SIMD;
    F64x2Trunc                         "f64x2.trunc"                          0xfd 0x7a Plain,         [V128] [V128] SIMD;
    I8x16AvgrU                         "i8x16.avgr_u"                         0xfd 0x7b Plain,         [V128 V128] [V128] SIMD;
    I16x8ExtaddPairwiseI8x16S          "i16x8.extadd_pairwise_i8x16_s"        0xfd 0x7c Plain,         [V128] [V128] SIMD;
    I16x8ExtaddPairwiseI8x16U          "i16x8.extadd_pairwise_i8x16_u"        0xfd 0x7d Plain,         [V128] [V128] SIMD;
    I32x4ExtaddPairwiseI16x8S          "i32x4.extadd_pairwise_i16x8_s"        0xfd 0x7e Plain,         [V128] [V128] SIMD;
    I32x4ExtaddPairwiseI16x8U          "i32x4.extadd_pairwise_i16x8_u"        0xfd 0x7f Plain,         [V128] [V128] SIMD;
    I16x8Abs                           "i16x8.abs"                            0xfd 0x80 Plain,         [V128] [V128] SIMD;
    I16x8Neg                           "i16x8.neg"                            0xfd 0x81 Plain,         [V128] [V128] SIMD;
    I16x8Q15mulrSatS                   "i16x8.q15mulr_sat_s"                  0xfd 0x82 Plain,         [V128 V128] [V128] SIMD;
    I16x8AllTrue                       "i16x8.all_true"                       0xfd 0x83 Plain,         [V128] [I32] SIMD;
    I16x8Bitmask                       "i16x8.bitmask"                        0xfd 0x84 Plain,         [V128] [I32] SIMD;
    I16x8NarrowI32x4S                  "i16x8.narrow_i32x4_s"                 0xfd 0x85 Plain,         [V128 V128] [V128] SIMD;
    I16x8NarrowI32x4U                  "i16x8.narrow_i32x4_u"                 0xfd 0x86 Plain,         [V128 V128] [V128] SIMD;
    I16x8ExtendLowI8x16S               "i16x8.extend_low_i8x16_s"             0xfd 0x87 Plain,         [V128] [V128] SIMD;
    I16x8ExtendHighI8x16S              "i16x8.extend_high_i8x16_s"            0xfd 0x88 Plain,         [V128] [V128] SIMD;
    I16x8ExtendLowI8x16U               "i16x8.extend_low_i8x16_u"             0xfd 0x89 Plain,         [V128] [V128] SIMD;
    I16x8ExtendHighI8x16U              "i16x8.extend_high_i8x16_u"            0xfd 0x8a Plain,         [V128] [V128] SIMD;
    I16x8Shl                           "i16x8.shl"                            0xfd 0x8b Plain,         [V128 I32] [V128] SIMD;
    I16x8ShrS                          "i16x8.shr_s"                          0xfd 0x8c Plain,         [V128 I32] [V128] SIMD;
    I16x8ShrU                          "i16x8.shr_u"                          0xfd 0x8d Plain,         [V128 I32] [V128] SIMD;
    I16x8Add                           "i16x8.add"                            0xfd 0x8e Plain,         [V128 V128] [V128] SIMD;
    I16x8AddSatS                       "i16x8.add_sat_s"                      0xfd 0x8f Plain,         [V128 V128] [V128] SIMD;
    I16x8AddSatU                       "i16x8.add_sat_u"                      0xfd 0x90 Plain,         [V128 V128] [V128] SIMD;
    I16x8Sub                           "i16x8.sub"                            0xfd 0x91 Plain,         [V128 V128] [V128] SIMD;
    I16x8SubSatS                       "i16x8.sub_sat_s"                      0xfd 0x92 Plain,         [V128 V128] [V128] SIMD;
    I16x8SubSatU                       "i16x8.sub_sat_u"                      0xfd 0x93 Plain,         [V128 V128] [V128] SIMD;
    F64x2Nearest                       "f64x2.nearest"                        0xfd 0x94 Plain,         [V128] [V128] SIMD;
    I16x8Mul                           "i16x8.mul"                            0xfd 0x95 Plain,         [V128 V128] [V128] SIMD;
    I16x8MinS                          "i16x8.min_s"                          0xfd 0x96 Plain,         [V128 V128] [V128] SIMD;
    I16x8MinU                          "i16x8.min_u"                          0xfd 0x97 Plain,         [V128 V128] [V128] SIMD;
    I16x8MaxS                          "i16x8.max_s"                          0xfd 0x98 Plain,         [V128 V128] [V128] SIMD;
    I16x8MaxU                          "i16x8.max_u"                          0xfd 0x99 Plain,         [V128 V128] [V128] SIMD;
    I16x8AvgrU                         "i16x8.avgr_u"                         0xfd 0x9b Plain,         [V128 V128] [V128] SIMD;
    I16x8ExtmulLowI8x16S               "i16x8.extmul_low_i8x16_s"             0xfd 0x9c Plain,         [V128 V128] [V128] SIMD;
    I16x8ExtmulHighI8x16S              "i16x8.extmul_high_i8x16_s"            0xfd 0x9d Plain,         [V128 V128] [V128] SIMD;
    I16x8ExtmulLowI8x16U               "i16x8.extmul_low_i8x16_u"             0xfd 0x9e Plain,         [V128 V128] [V128] SIMD;
    I16x8ExtmulHighI8x16U              "i16x8.extmul_high_i8x16_u"            0xfd 0x9f Plain,         [V128 V128] [V128] SIMD;
    I32x4Abs                           "i32x4.abs"                            0xfd 0xa0 Plain,         [V128] [V128] SIMD;
    I32x4Neg                           "i32x4.neg"                            0xfd 0xa1 Plain,         [V128] [V128] SIMD;
    I32x4AllTrue                       "i32x4.all_true"                       0xfd 0xa3 Plain,         [V128] [I32] SIMD;
    I32x4Bitmask                       "i32x4.bitmask"                        0xfd 0xa4 Plain,         [V128] [I32] SIMD;
    I32x4ExtendLowI16x8S               "i32x4.extend_low_i16x8_s"             0xfd 0xa7 Plain,         [V128] [V128] SIMD;
    I32x4ExtendHighI16x8S              "i32x4.extend_high_i16x8_s"            0xfd 0xa8 Plain,         [V128] [V128] SIMD;
    I32x4ExtendLowI16x8U               "i32x4.extend_low_i16x8_u"             0xfd 0xa9 Plain,         [V128] [V128] SIMD;
    I32x4ExtendHighI16x8U              "i32x4.extend_high_i16x8_u"            0xfd 0xaa Plain,         [V128] [V128] SIMD;
    I32x4Shl                           "i32x4.shl"                            0xfd 0xab Plain,         [V128 I32] [V128] SIMD;
    I32x4ShrS                          "i32x4.shr_s"                          0xfd 0xac Plain,         [V128 I32] [V128] SIMD;
    I32x4ShrU                          "i32x4.shr_u"                          0xfd 0xad Plain,         [V128 I32] [V128] SIMD;
    I32x4Add                           "i32x4.add"                            0xfd 0xae Plain,         [V128 V128] [V128] SIMD;
    I32x4Sub                           "i32x4.sub"                            0xfd 0xb1 Plain,         [V128 V128] [V128] SIMD;
    I32x4Mul                           "i32x4.mul"                            0xfd 0xb5 Plain,         [V128 V128] [V128] SIMD;
    I32x4MinS                          "i32x4.min_s"                          0xfd 0xb6 Plain,         [V128 V128] [V128] SIMD;
    I32x4MinU                          "i32x4.min_u"                          0xfd 0xb7 Plain,         [V128 V128] [V128] SIMD;
    I32x4MaxS                          "i32x4.max_s"                          0xfd 0xb8 Plain,         [V128 V128] [V128] SIMD;
    I32x4MaxU                          "i32x4.max_u"                          0xfd 0xb9 Plain,         [V128 V128] [V128] SIMD;
    I32x4DotI16x8S                     "i32x4.dot_i16x8_s"                    0xfd 0xba Plain,         [V128 V128] [V128] SIMD;
    I32x4ExtmulLowI16x8S               "i32x4.extmul_low_i16x8_s"             0xfd 0xbc Plain,         [V128 V128] [V128] SIMD;
    I32x4ExtmulHighI16x8S              "i32x4.extmul_high_i16x8_s"            0xfd 0xbd Plain,         [V128 V128] [V128] SIMD;
    I32x4ExtmulLowI16x8U               "i32x4.extmul_low_i16x8_u"             0xfd 0xbe Plain,         [V128 V128] [V128] SIMD;
    I32x4ExtmulHighI16x8U              "i32x4.extmul_high_i16x8_u"            0xfd 0xbf Plain,         [V128 V128] [V128] SIMD;
    I64x2Abs                           "i64x2.abs"                            0xfd 0xc0 Plain,         [V128] [V128] SIMD;
    I64x2Neg                           "i64x2.neg"                            0xfd 0xc1 Plain,         [V128] [V128] SIMD;
    I64x2AllTrue                       "i64x2.all_true"                       0xfd 0xc3 Plain,         [V128] [I32] SIMD;
    I64x2Bitmask                       "i64x2.bitmask"                        0xfd 0xc4 Plain,         [V128] [I32] SIMD;
    I64x2ExtendLowI32x4S               "i64x2.extend_low_i32x4_s"             0xfd 0xc7 Plain,         [V128] [V128] SIMD;
    I64x2ExtendHighI32x4S              "i64x2.extend_high_i32x4_s"            0xfd 0xc8 Plain,         [V128] [V128] SIMD;
    I64x2ExtendLowI32x4U               "i64x2.extend_low_i32x4_u"             0xfd 0xc9 Plain,         [V128] [V128] SIMD;
    I64x2ExtendHighI32x4U              "i64x2.extend_high_i32x4_u"            0xfd 0xca Plain,         [V128] [V128] SIMD;
    I64x2Shl                           "i64x2.shl"                            0xfd 0xcb Plain,         [V128 I32] [V128] SIMD;
    I64x2ShrS                          "i64x2.shr_s"                          0xfd 0xcc Plain,         [V128 I32] [V128] SIMD;
    I64x2ShrU                          "i64x2.shr_u"                          0xfd 0xcd Plain,         [V128 I32] [V128] SIMD;
    I64x2Add                           "i64x2.add"                            0xfd 0xce Plain,         [V128 V128] [V128] SIMD;
    I64x2Sub                           "i64x2.sub"                            0xfd 0xd1 Plain,         [V128 V128] [V128] SIMD;
    I64x2Mul                           "i64x2.mul"                            0xfd 0xd5 Plain,         [V128 V128] [V128] SIMD;
    I64x2Eq                            "i64x2.eq"                             0xfd 0xd6 Plain,         [V128 V128] [V128] SIMD;
    I64x2Ne                            "i64x2.ne"                             0xfd 0xd7 Plain,         [V128 V128] [V128] SIMD;
    I64x2LtS                           "i64x2.lt_s"                           0xfd 0xd8 Plain,         [V128 V128] [V128] SIMD;
    I64x2GtS                           "i64x2.gt_s"                           0xfd 0xd9 Plain,         [V128 V128] [V128] SIMD;
    I64x2LeS                           "i64x2.le_s"                           0xfd 0xda Plain,         [V128 V128] [V128] SIMD;
    I64x2GeS                           "i64x2.ge_s"                           0xfd 0xdb Plain,         [V128 V128] [V128] SIMD;
    I64x2ExtmulLowI32x4S               "i64x2.extmul_low_i32x4_s"             0xfd 0xdc Plain,         [V128 V128] [V128] SIMD;
    I64x2ExtmulHighI32x4S              "i64x2.extmul_high_i32x4_s"            0xfd 0xdd Plain,         [V128 V128] [V128] SIMD;
    I64x2ExtmulLowI32x4U               "i64x2.extmul_low_i32x4_u"             0xfd 0xde Plain,         [V128 V128] [V128] SIMD;
    I64x2ExtmulHighI32x4U              "i64x2.extmul_high_i32x4_u"            0xfd 0xdf Plain,         [V128 V128] [V128] SIMD;
    F32x4Abs                           "f32x4.abs"                            0xfd 0xe0 Plain,         [V128] [V128] SIMD;
    F32x4Neg                           "f32x4.neg"                            0xfd 0xe1 Plain,         [V128] [V128] SIMD;
    F32x4Sqrt                          "f32x4.sqrt"                           0xfd 0xe3 Plain,         [V128] [V128] SIMD;
    F32x4Add                           "f32x4.add"                            0xfd 0xe4 Plain,         [V128 V128] [V128] SIMD;
    F32x4Sub                           "f32x4.sub"                            0xfd 0xe5 Plain,         [V128 V128] [V128] SIMD;
    F32x4Mul                           "f32x4.mul"                            0xfd 0xe6 Plain,         [V128 V128] [V128] SIMD;
    F32x4Div                           "f32x4.div"                            0xfd 0xe7 Plain,         [V128 V128] [V128] SIMD;
    F32x4Min                           "f32x4.min"                            0xfd 0xe8 Plain,         [V128 V128] [V128] SIMD;
    F32x4Max                           "f32x4.max"                            0xfd 0xe9 Plain,         [V128 V128] [V128] SIMD;
    F32x4Pmin                          "f32x4.pmin"                           0xfd 0xea Plain,         [V128 V128] [V128] SIMD;
    F32x4Pmax                          "f32x4.pmax"                           0xfd 0xeb Plain,         [V128 V128] [V128] SIMD;
    F64x2Abs                           "f64x2.abs"                            0xfd 0xec Plain,         [V128] [V128] SIMD;
    F64x2Neg                           "f64x2.neg"                            0xfd 0xed Plain,         [V128] [V128] SIMD;
    F64x2Sqrt                          "f64x2.sqrt"                           0xfd 0xef Plain,         [V128] [V128] SIMD;
    F64x2Add                           "f64x2.add"                            0xfd 0xf0 Plain,         [V128 V128] [V128] SIMD;
    F64x2Sub                           "f64x2.sub"                            0xfd 0xf1 Plain,         [V128 V128] [V128] SIMD;
    F64x2Mul                           "f64x2.mul"                            0xfd 0xf2 Plain,         [V128 V128] [V128] SIMD;
    F64x2Div                           "f64x2.div"                            0xfd 0xf3 Plain,         [V128 V128] [V128] SIMD;
    F64x2Min                           "f64x2.min"                            0xfd 0xf4 Plain,         [V128 V128] [V128] SIMD;
    F64x2Max                           "f64x2.max"                            0xfd 0xf5 Plain,         [V128 V128] [V128] SIMD;
    F64x2Pmin                          "f64x2.pmin"                           0xfd 0xf6 Plain,         [V128 V128] [V128] SIMD;
    F64x2Pmax                          "f64x2.pmax"                           0xfd 0xf7 Plain,         [V128 V128] [V128] SIMD;
    I32x4TruncSatF32x4S                "i32x4.trunc_sat_f32x4_s"              0xfd 0xf8 Plain,         [V128] [V128] SIMD;
    I32x4TruncSatF32x4U                "i32x4.trunc_sat_f32x4_u"              0xfd 0xf9 Plain,         [V128] [V128] SIMD;
    F32x4ConvertI32x4S                 "f32x4.convert_i32x4_s"                0xfd 0xfa Plain,         [V128] [V128] SIMD;
    F32x4ConvertI32x4U                 "f32x4.convert_i32x4_u"                0xfd 0xfb Plain,         [V128] [V128] SIMD;
    I32x4TruncSatF64x2SZero            "i32x4.trunc_sat_f64x2_s_zero"         0xfd 0xfc Plain,         [V128] [V128] SIMD;
    I32x4TruncSatF64x2UZero            "i32x4.trunc_sat_f64x2_u_zero"         0xfd 0xfd Plain,         [V128] [V128] SIMD;
    F64x2ConvertLowI32x4S              "f64x2.convert_low_i32x4_s"            0xfd 0xfe Plain,         [V128] [V128] SIMD;
    F64x2ConvertLowI32x4U              "f64x2.convert_low_i32x4_u"            0xfd 0xff Plain,         [V128] [V128] SIMD;
    I8x16RelaxedSwizzle                "i8x16.relaxed_swizzle"                0xfd 0x100 Plain,         [V128 V128] [V128] RELAXED_SIMD;
    I32x4RelaxedTruncF32x4S            "i32x4.relaxed_trunc_f32x4_s"          0xfd 0x101 Plain,         [V128] [V128] RELAXED_SIMD;
    I32x4RelaxedTruncF32x4U            "i32x4.relaxed_trunc_f32x4_u"          0xfd 0x102 Plain,         [V128] [V128] RELAXED_SIMD;
    I32x4RelaxedTruncF64x2SZero        "i32x4.relaxed_trunc_f64x2_s_zero"     0xfd 0x103 Plain,         [V128] [V128] RELAXED_SIMD;
    I32x4RelaxedTruncF64x2UZero        "i32x4.relaxed_trunc_f64x2_u_zero"     0xfd 0x104 Plain,         [V128] [V128] RELAXED_SIMD;
    F32x4RelaxedMadd                   "f32x4.relaxed_madd"                   0xfd 0x105 Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    F32x4RelaxedNmadd                  "f32x4.relaxed_nmadd"                  0xfd 0x106 Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    F64x2RelaxedMadd                   "f64x2.relaxed_madd"                   0xfd 0x107 Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    F64x2RelaxedNmadd                  "f64x2.relaxed_nmadd"                  0xfd 0x108 Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    I8x16RelaxedLaneselect             "i8x16.relaxed_laneselect"             0xfd 0x109 Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    I16x8RelaxedLaneselect             "i16x8.relaxed_laneselect"             0xfd 0x10a Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    I32x4RelaxedLaneselect             "i32x4.relaxed_laneselect"             0xfd 0x10b Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    I64x2RelaxedLaneselect             "i64x2.relaxed_laneselect"             0xfd 0x10c Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
    F32x4RelaxedMin                    "f32x4.relaxed_min"                    0xfd 0x10d Plain,         [V128 V128] [V128] RELAXED_SIMD;
    F32x4RelaxedMax                    "f32x4.relaxed_max"                    0xfd 0x10e Plain,         [V128 V128] [V128] RELAXED_SIMD;
    F64x2RelaxedMin                    "f64x2.relaxed_min"                    0xfd 0x10f Plain,         [V128 V128] [V128] RELAXED_SIMD;
    F64x2RelaxedMax                    "f64x2.relaxed_max"                    0xfd 0x110 Plain,         [V128 V128] [V128] RELAXED_SIMD;
    I16x8RelaxedQ15mulrS               "i16x8.relaxed_q15mulr_s"              0xfd 0x111 Plain,         [V128 V128] [V128] RELAXED_SIMD;
    I16x8RelaxedDotI8x16I7x16S         "i16x8.relaxed_dot_i8x16_i7x16_s"      0xfd 0x112 Plain,         [V128 V128] [V128] RELAXED_SIMD;
    I32x4RelaxedDotI8x16I7x16AddS      "i32x4.relaxed_dot_i8x16_i7x16_add_s"  0xfd 0x113 Plain,         [V128 V128 V128] [V128] RELAXED_SIMD;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (i, &op) in Op::ALL.iter().enumerate() {
            assert_eq!(op as usize, i);
            let info = op.info();
            assert_eq!(Op::from_code(info.prefix, info.code), Some(op));
            assert_eq!(Op::from_name(info.name), Some(op));
        }
    }
}

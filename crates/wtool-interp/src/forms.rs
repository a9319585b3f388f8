//! Which wasm operators have register forms, and with which operands.

use wtool_ast::Op;

use crate::ins::Ins;

/// `d = a <op> b`, if `op` has a two-register form.
pub(crate) fn rr(op: Op, d: u32, a: u32, b: u32) -> Option<Ins> {
    Some(match op {
        Op::I32Add => Ins::I32Add { d, a, b },
        Op::I32Sub => Ins::I32Sub { d, a, b },
        Op::I32Mul => Ins::I32Mul { d, a, b },
        Op::I32DivS => Ins::I32DivS { d, a, b },
        Op::I32DivU => Ins::I32DivU { d, a, b },
        Op::I32RemS => Ins::I32RemS { d, a, b },
        Op::I32RemU => Ins::I32RemU { d, a, b },
        Op::I32And => Ins::I32And { d, a, b },
        Op::I32Or => Ins::I32Or { d, a, b },
        Op::I32Xor => Ins::I32Xor { d, a, b },
        Op::I32Shl => Ins::I32Shl { d, a, b },
        Op::I32ShrS => Ins::I32ShrS { d, a, b },
        Op::I32ShrU => Ins::I32ShrU { d, a, b },
        Op::I32Rotl => Ins::I32Rotl { d, a, b },
        Op::I32Rotr => Ins::I32Rotr { d, a, b },
        Op::I32Eq => Ins::I32Eq { d, a, b },
        Op::I32Ne => Ins::I32Ne { d, a, b },
        Op::I32LtS => Ins::I32LtS { d, a, b },
        Op::I32LtU => Ins::I32LtU { d, a, b },
        Op::I32GtS => Ins::I32GtS { d, a, b },
        Op::I32GtU => Ins::I32GtU { d, a, b },
        Op::I32LeS => Ins::I32LeS { d, a, b },
        Op::I32LeU => Ins::I32LeU { d, a, b },
        Op::I32GeS => Ins::I32GeS { d, a, b },
        Op::I32GeU => Ins::I32GeU { d, a, b },
        Op::I64Add => Ins::I64Add { d, a, b },
        Op::I64Sub => Ins::I64Sub { d, a, b },
        Op::I64Mul => Ins::I64Mul { d, a, b },
        Op::I64DivS => Ins::I64DivS { d, a, b },
        Op::I64DivU => Ins::I64DivU { d, a, b },
        Op::I64RemS => Ins::I64RemS { d, a, b },
        Op::I64RemU => Ins::I64RemU { d, a, b },
        Op::I64And => Ins::I64And { d, a, b },
        Op::I64Or => Ins::I64Or { d, a, b },
        Op::I64Xor => Ins::I64Xor { d, a, b },
        Op::I64Shl => Ins::I64Shl { d, a, b },
        Op::I64ShrS => Ins::I64ShrS { d, a, b },
        Op::I64ShrU => Ins::I64ShrU { d, a, b },
        Op::I64Rotl => Ins::I64Rotl { d, a, b },
        Op::I64Rotr => Ins::I64Rotr { d, a, b },
        Op::I64Eq => Ins::I64Eq { d, a, b },
        Op::I64Ne => Ins::I64Ne { d, a, b },
        Op::I64LtS => Ins::I64LtS { d, a, b },
        Op::I64LtU => Ins::I64LtU { d, a, b },
        Op::I64GtS => Ins::I64GtS { d, a, b },
        Op::I64GtU => Ins::I64GtU { d, a, b },
        Op::I64LeS => Ins::I64LeS { d, a, b },
        Op::I64LeU => Ins::I64LeU { d, a, b },
        Op::I64GeS => Ins::I64GeS { d, a, b },
        Op::I64GeU => Ins::I64GeU { d, a, b },
        Op::F32Add => Ins::F32Add { d, a, b },
        Op::F32Sub => Ins::F32Sub { d, a, b },
        Op::F32Mul => Ins::F32Mul { d, a, b },
        Op::F32Div => Ins::F32Div { d, a, b },
        Op::F32Min => Ins::F32Min { d, a, b },
        Op::F32Max => Ins::F32Max { d, a, b },
        Op::F32Copysign => Ins::F32Copysign { d, a, b },
        Op::F32Eq => Ins::F32Eq { d, a, b },
        Op::F32Ne => Ins::F32Ne { d, a, b },
        Op::F32Lt => Ins::F32Lt { d, a, b },
        Op::F32Gt => Ins::F32Gt { d, a, b },
        Op::F32Le => Ins::F32Le { d, a, b },
        Op::F32Ge => Ins::F32Ge { d, a, b },
        Op::F64Add => Ins::F64Add { d, a, b },
        Op::F64Sub => Ins::F64Sub { d, a, b },
        Op::F64Mul => Ins::F64Mul { d, a, b },
        Op::F64Div => Ins::F64Div { d, a, b },
        Op::F64Min => Ins::F64Min { d, a, b },
        Op::F64Max => Ins::F64Max { d, a, b },
        Op::F64Copysign => Ins::F64Copysign { d, a, b },
        Op::F64Eq => Ins::F64Eq { d, a, b },
        Op::F64Ne => Ins::F64Ne { d, a, b },
        Op::F64Lt => Ins::F64Lt { d, a, b },
        Op::F64Gt => Ins::F64Gt { d, a, b },
        Op::F64Le => Ins::F64Le { d, a, b },
        Op::F64Ge => Ins::F64Ge { d, a, b },
        _ => return None,
    })
}

/// `d = a <op> k` with the constant `k` (slot bits) as the right operand,
/// if `op` has an immediate form that takes `k`: 64-bit constants must fit
/// a sign-extended 32-bit immediate, and divisions only take divisors that
/// cannot trap.
pub(crate) fn ri(op: Op, d: u32, a: u32, k: u64) -> Option<Ins> {
    let is64 = matches!(
        op,
        Op::I64Add
            | Op::I64Sub
            | Op::I64Mul
            | Op::I64DivS
            | Op::I64DivU
            | Op::I64RemS
            | Op::I64RemU
            | Op::I64And
            | Op::I64Or
            | Op::I64Xor
            | Op::I64Shl
            | Op::I64ShrS
            | Op::I64ShrU
            | Op::I64Rotl
            | Op::I64Rotr
            | Op::I64Eq
            | Op::I64Ne
            | Op::I64LtS
            | Op::I64LtU
            | Op::I64GtS
            | Op::I64GtU
            | Op::I64LeS
            | Op::I64LeU
            | Op::I64GeS
            | Op::I64GeU
    );
    let imm = if is64 {
        let v = k as i64;
        if v != v as i32 as i64 {
            // A full 64-bit immediate, for the ops that take one.
            return Some(match op {
                Op::I64Add => Ins::I64AddW { d, a, imm: k },
                Op::I64Sub => Ins::I64AddW {
                    d,
                    a,
                    imm: k.wrapping_neg(),
                },
                Op::I64Mul => Ins::I64MulW { d, a, imm: k },
                Op::I64And => Ins::I64AndW { d, a, imm: k },
                Op::I64Or => Ins::I64OrW { d, a, imm: k },
                Op::I64Xor => Ins::I64XorW { d, a, imm: k },
                _ => return None,
            });
        }
        v as i32 as u32
    } else {
        k as u32
    };
    let signed_minus_one = imm as i32 == -1;
    Some(match op {
        Op::I32Add => Ins::I32AddI { d, a, imm },
        // Subtracting a constant is adding its negation.
        Op::I32Sub => Ins::I32AddI {
            d,
            a,
            imm: imm.wrapping_neg(),
        },
        Op::I32Mul => Ins::I32MulI { d, a, imm },
        Op::I32DivS if imm != 0 && !signed_minus_one => Ins::I32DivSI { d, a, imm },
        Op::I32DivU if imm != 0 => Ins::I32DivUI { d, a, imm },
        Op::I32RemS if imm != 0 => Ins::I32RemSI { d, a, imm },
        Op::I32RemU if imm != 0 => Ins::I32RemUI { d, a, imm },
        Op::I32And => Ins::I32AndI { d, a, imm },
        Op::I32Or => Ins::I32OrI { d, a, imm },
        Op::I32Xor => Ins::I32XorI { d, a, imm },
        Op::I32Shl => Ins::I32ShlI { d, a, imm },
        Op::I32ShrS => Ins::I32ShrSI { d, a, imm },
        Op::I32ShrU => Ins::I32ShrUI { d, a, imm },
        Op::I32Rotl => Ins::I32RotlI { d, a, imm },
        Op::I32Rotr => Ins::I32RotrI { d, a, imm },
        Op::I32Eq => Ins::I32EqI { d, a, imm },
        Op::I32Ne => Ins::I32NeI { d, a, imm },
        Op::I32LtS => Ins::I32LtSI { d, a, imm },
        Op::I32LtU => Ins::I32LtUI { d, a, imm },
        Op::I32GtS => Ins::I32GtSI { d, a, imm },
        Op::I32GtU => Ins::I32GtUI { d, a, imm },
        Op::I32LeS => Ins::I32LeSI { d, a, imm },
        Op::I32LeU => Ins::I32LeUI { d, a, imm },
        Op::I32GeS => Ins::I32GeSI { d, a, imm },
        Op::I32GeU => Ins::I32GeUI { d, a, imm },
        Op::I64Add => Ins::I64AddI { d, a, imm },
        // i64::MIN is not a 32-bit immediate, so the negation fits.
        Op::I64Sub if imm as i32 != i32::MIN => Ins::I64AddI {
            d,
            a,
            imm: (imm as i32).wrapping_neg() as u32,
        },
        Op::I64Mul => Ins::I64MulI { d, a, imm },
        Op::I64DivS if imm != 0 && !signed_minus_one => Ins::I64DivSI { d, a, imm },
        Op::I64DivU if imm != 0 => Ins::I64DivUI { d, a, imm },
        Op::I64RemS if imm != 0 => Ins::I64RemSI { d, a, imm },
        Op::I64RemU if imm != 0 => Ins::I64RemUI { d, a, imm },
        Op::I64And => Ins::I64AndI { d, a, imm },
        Op::I64Or => Ins::I64OrI { d, a, imm },
        Op::I64Xor => Ins::I64XorI { d, a, imm },
        Op::I64Shl => Ins::I64ShlI { d, a, imm },
        Op::I64ShrS => Ins::I64ShrSI { d, a, imm },
        Op::I64ShrU => Ins::I64ShrUI { d, a, imm },
        Op::I64Rotl => Ins::I64RotlI { d, a, imm },
        Op::I64Rotr => Ins::I64RotrI { d, a, imm },
        Op::I64Eq => Ins::I64EqI { d, a, imm },
        Op::I64Ne => Ins::I64NeI { d, a, imm },
        Op::I64LtS => Ins::I64LtSI { d, a, imm },
        Op::I64LtU => Ins::I64LtUI { d, a, imm },
        Op::I64GtS => Ins::I64GtSI { d, a, imm },
        Op::I64GtU => Ins::I64GtUI { d, a, imm },
        Op::I64LeS => Ins::I64LeSI { d, a, imm },
        Op::I64LeU => Ins::I64LeUI { d, a, imm },
        Op::I64GeS => Ins::I64GeSI { d, a, imm },
        Op::I64GeU => Ins::I64GeUI { d, a, imm },
        _ => return None,
    })
}

/// `d = a <op> k` for a float op with the constant `k` (slot bits).
pub(crate) fn rf(op: Op, d: u32, a: u32, k: u64) -> Option<Ins> {
    let imm = k as u32;
    Some(match op {
        Op::F32Add => Ins::F32AddI { d, a, imm },
        Op::F32Sub => Ins::F32SubI { d, a, imm },
        Op::F32Mul => Ins::F32MulI { d, a, imm },
        Op::F32Div => Ins::F32DivI { d, a, imm },
        Op::F64Add => Ins::F64AddI { d, a, imm: k },
        Op::F64Sub => Ins::F64SubI { d, a, imm: k },
        Op::F64Mul => Ins::F64MulI { d, a, imm: k },
        Op::F64Div => Ins::F64DivI { d, a, imm: k },
        _ => return None,
    })
}

/// `d = k <op> b` for a float op with the constant `k` on the left.
pub(crate) fn fr(op: Op, d: u32, k: u64, b: u32) -> Option<Ins> {
    let imm = k as u32;
    Some(match op {
        Op::F32Sub => Ins::F32RSubI { d, a: b, imm },
        Op::F32Div => Ins::F32RDivI { d, a: b, imm },
        Op::F64Sub => Ins::F64RSubI { d, a: b, imm: k },
        Op::F64Div => Ins::F64RDivI { d, a: b, imm: k },
        // Not addition or multiplication: which NaN operand propagates
        // depends on the order (compilers put constants on the right).
        _ => return None,
    })
}

/// A load from memory 0 at the constant address `addr`.
pub(crate) fn load_abs(op: Op, d: u32, addr: u64) -> Option<Ins> {
    Some(match op {
        Op::I32Load | Op::F32Load => Ins::I32LoadAbs { d, addr },
        Op::I64Load | Op::F64Load => Ins::I64LoadAbs { d, addr },
        Op::I32Load8U => Ins::I32Load8UAbs { d, addr },
        _ => return None,
    })
}

/// A store of slot `v` to memory 0 at the constant address `addr`.
pub(crate) fn store_abs(op: Op, v: u32, addr: u64) -> Option<Ins> {
    Some(match op {
        Op::I32Store | Op::F32Store => Ins::I32StoreAbs { v, addr },
        Op::I64Store | Op::F64Store => Ins::I64StoreAbs { v, addr },
        Op::I32Store8 | Op::I64Store8 => Ins::I32Store8Abs { v, addr },
        _ => return None,
    })
}

/// `d = k <op> b` with the constant on the left: commutative ops and
/// comparisons swap their operands, subtraction has a reversed form.
pub(crate) fn ir(op: Op, d: u32, k: u64, b: u32) -> Option<Ins> {
    let swapped = match op {
        Op::I32Add | Op::I32Mul | Op::I32And | Op::I32Or | Op::I32Xor | Op::I32Eq | Op::I32Ne => op,
        Op::I64Add | Op::I64Mul | Op::I64And | Op::I64Or | Op::I64Xor | Op::I64Eq | Op::I64Ne => op,
        Op::I32LtS => Op::I32GtS,
        Op::I32LtU => Op::I32GtU,
        Op::I32GtS => Op::I32LtS,
        Op::I32GtU => Op::I32LtU,
        Op::I32LeS => Op::I32GeS,
        Op::I32LeU => Op::I32GeU,
        Op::I32GeS => Op::I32LeS,
        Op::I32GeU => Op::I32LeU,
        Op::I64LtS => Op::I64GtS,
        Op::I64LtU => Op::I64GtU,
        Op::I64GtS => Op::I64LtS,
        Op::I64GtU => Op::I64LtU,
        Op::I64LeS => Op::I64GeS,
        Op::I64LeU => Op::I64GeU,
        Op::I64GeS => Op::I64LeS,
        Op::I64GeU => Op::I64LeU,
        Op::I32Sub => {
            return Some(Ins::I32RSubI {
                d,
                a: b,
                imm: k as u32,
            })
        }
        Op::I64Sub => {
            let v = k as i64;
            return (v == v as i32 as i64).then_some(Ins::I64RSubI {
                d,
                a: b,
                imm: v as i32 as u32,
            });
        }
        _ => return None,
    };
    ri(swapped, d, b, k)
}

/// `d = <op> a`, if `op` has a register form.
pub(crate) fn un(op: Op, d: u32, a: u32) -> Option<Ins> {
    Some(match op {
        Op::I32Eqz => Ins::I32Eqz { d, a },
        Op::I32Clz => Ins::I32Clz { d, a },
        Op::I32Ctz => Ins::I32Ctz { d, a },
        Op::I32Popcnt => Ins::I32Popcnt { d, a },
        Op::I64Eqz => Ins::I64Eqz { d, a },
        Op::I64Clz => Ins::I64Clz { d, a },
        Op::I64Ctz => Ins::I64Ctz { d, a },
        Op::I64Popcnt => Ins::I64Popcnt { d, a },
        Op::I32WrapI64 => Ins::I32WrapI64 { d, a },
        Op::I64ExtendI32S => Ins::I64ExtendI32S { d, a },
        Op::I64ExtendI32U => Ins::I64ExtendI32U { d, a },
        Op::I32Extend8S => Ins::I32Extend8S { d, a },
        Op::I32Extend16S => Ins::I32Extend16S { d, a },
        Op::I64Extend8S => Ins::I64Extend8S { d, a },
        Op::I64Extend16S => Ins::I64Extend16S { d, a },
        Op::I64Extend32S => Ins::I64Extend32S { d, a },
        Op::F32Abs => Ins::F32Abs { d, a },
        Op::F32Neg => Ins::F32Neg { d, a },
        Op::F32Sqrt => Ins::F32Sqrt { d, a },
        Op::F32Ceil => Ins::F32Ceil { d, a },
        Op::F32Floor => Ins::F32Floor { d, a },
        Op::F32Trunc => Ins::F32Trunc { d, a },
        Op::F32Nearest => Ins::F32Nearest { d, a },
        Op::F64Abs => Ins::F64Abs { d, a },
        Op::F64Neg => Ins::F64Neg { d, a },
        Op::F64Sqrt => Ins::F64Sqrt { d, a },
        Op::F64Ceil => Ins::F64Ceil { d, a },
        Op::F64Floor => Ins::F64Floor { d, a },
        Op::F64Trunc => Ins::F64Trunc { d, a },
        Op::F64Nearest => Ins::F64Nearest { d, a },
        Op::F32ConvertI32S => Ins::F32ConvertI32S { d, a },
        Op::F32ConvertI32U => Ins::F32ConvertI32U { d, a },
        Op::F32ConvertI64S => Ins::F32ConvertI64S { d, a },
        Op::F32ConvertI64U => Ins::F32ConvertI64U { d, a },
        Op::F64ConvertI32S => Ins::F64ConvertI32S { d, a },
        Op::F64ConvertI32U => Ins::F64ConvertI32U { d, a },
        Op::F64ConvertI64S => Ins::F64ConvertI64S { d, a },
        Op::F64ConvertI64U => Ins::F64ConvertI64U { d, a },
        Op::F32DemoteF64 => Ins::F32DemoteF64 { d, a },
        Op::F64PromoteF32 => Ins::F64PromoteF32 { d, a },
        Op::I32TruncF32S => Ins::I32TruncF32S { d, a },
        Op::I32TruncF32U => Ins::I32TruncF32U { d, a },
        Op::I32TruncF64S => Ins::I32TruncF64S { d, a },
        Op::I32TruncF64U => Ins::I32TruncF64U { d, a },
        Op::I64TruncF32S => Ins::I64TruncF32S { d, a },
        Op::I64TruncF32U => Ins::I64TruncF32U { d, a },
        Op::I64TruncF64S => Ins::I64TruncF64S { d, a },
        Op::I64TruncF64U => Ins::I64TruncF64U { d, a },
        Op::I32TruncSatF32S => Ins::I32TruncSatF32S { d, a },
        Op::I32TruncSatF32U => Ins::I32TruncSatF32U { d, a },
        Op::I32TruncSatF64S => Ins::I32TruncSatF64S { d, a },
        Op::I32TruncSatF64U => Ins::I32TruncSatF64U { d, a },
        Op::I64TruncSatF32S => Ins::I64TruncSatF32S { d, a },
        Op::I64TruncSatF32U => Ins::I64TruncSatF32U { d, a },
        Op::I64TruncSatF64S => Ins::I64TruncSatF64S { d, a },
        Op::I64TruncSatF64U => Ins::I64TruncSatF64U { d, a },
        _ => return None,
    })
}

/// True for the reinterpretations, which leave slot bits unchanged.
pub(crate) fn is_reinterpret(op: Op) -> bool {
    matches!(
        op,
        Op::I32ReinterpretF32
            | Op::F32ReinterpretI32
            | Op::I64ReinterpretF64
            | Op::F64ReinterpretI64
    )
}

/// A scalar load from memory 0 into `d`.
pub(crate) fn load(op: Op, d: u32, a: u32, offset: u32) -> Option<Ins> {
    Some(match op {
        Op::I32Load | Op::F32Load => Ins::I32Load { d, a, offset },
        Op::I64Load | Op::F64Load => Ins::I64Load { d, a, offset },
        Op::I32Load8S => Ins::I32Load8S { d, a, offset },
        Op::I32Load8U => Ins::I32Load8U { d, a, offset },
        Op::I32Load16S => Ins::I32Load16S { d, a, offset },
        Op::I32Load16U => Ins::I32Load16U { d, a, offset },
        Op::I64Load8S => Ins::I64Load8S { d, a, offset },
        Op::I64Load8U => Ins::I64Load8U { d, a, offset },
        Op::I64Load16S => Ins::I64Load16S { d, a, offset },
        Op::I64Load16U => Ins::I64Load16U { d, a, offset },
        Op::I64Load32S => Ins::I64Load32S { d, a, offset },
        Op::I64Load32U => Ins::I64Load32U { d, a, offset },
        _ => return None,
    })
}

/// A scalar store of slot `v` to memory 0.
pub(crate) fn store(op: Op, a: u32, v: u32, offset: u32) -> Option<Ins> {
    Some(match op {
        Op::I32Store | Op::F32Store => Ins::I32Store { a, v, offset },
        Op::I64Store | Op::F64Store => Ins::I64Store { a, v, offset },
        Op::I32Store8 | Op::I64Store8 => Ins::I32Store8 { a, v, offset },
        Op::I32Store16 | Op::I64Store16 => Ins::I32Store16 { a, v, offset },
        Op::I64Store32 => Ins::I64Store32 { a, v, offset },
        _ => return None,
    })
}

/// A store of the 32-bit constant `imm` to memory 0.
pub(crate) fn store_imm(op: Op, a: u32, imm: u32, offset: u32) -> Option<Ins> {
    Some(match op {
        Op::I32Store | Op::F32Store => Ins::I32StoreI { a, imm, offset },
        Op::I32Store8 => Ins::I32Store8I { a, imm, offset },
        _ => return None,
    })
}

/// The address of a memory access with offset 0, as computed by the
/// `i32.add` just before it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Addr {
    /// `x + imm`.
    Imm(u32, u32),
    /// `x + y`.
    Sum(u32, u32),
    /// `(x << sh) + imm`.
    Scaled(u32, u32, u32),
}

impl Addr {
    /// The address computation `i`, if it is one.
    pub(crate) fn of(i: Ins) -> Option<Addr> {
        match i {
            Ins::I32AddI { a, imm, .. } => Some(Addr::Imm(a, imm)),
            Ins::I32Add { a, b, .. } => Some(Addr::Sum(a, b)),
            Ins::ShlAdd { a, sh, imm, .. } => Some(Addr::Scaled(a, sh, imm)),
            _ => None,
        }
    }
}

/// A load from memory 0 at a fused address, if `op` has such a form.
pub(crate) fn load_at(op: Op, d: u32, addr: Addr) -> Option<Ins> {
    Some(match (op, addr) {
        (Op::I32Load | Op::F32Load, Addr::Imm(x, imm)) => Ins::I32LoadAI { d, x, imm },
        (Op::I64Load | Op::F64Load, Addr::Imm(x, imm)) => Ins::I64LoadAI { d, x, imm },
        (Op::I32Load8U, Addr::Imm(x, imm)) => Ins::I32Load8UAI { d, x, imm },
        (Op::I32Load | Op::F32Load, Addr::Sum(x, y)) => Ins::I32LoadAA { d, x, y },
        (Op::I64Load | Op::F64Load, Addr::Sum(x, y)) => Ins::I64LoadAA { d, x, y },
        (Op::I32Load8U, Addr::Sum(x, y)) => Ins::I32Load8UAA { d, x, y },
        (Op::I32Load | Op::F32Load, Addr::Scaled(x, sh, imm)) => Ins::I32LoadSc { d, x, sh, imm },
        (Op::I64Load | Op::F64Load, Addr::Scaled(x, sh, imm)) => Ins::I64LoadSc { d, x, sh, imm },
        _ => return None,
    })
}

/// A store of slot `v` to memory 0 at a fused address.
pub(crate) fn store_at(op: Op, addr: Addr, v: u32) -> Option<Ins> {
    Some(match (op, addr) {
        (Op::I32Store | Op::F32Store, Addr::Imm(x, imm)) => Ins::I32StoreAI { x, imm, v },
        (Op::I64Store | Op::F64Store, Addr::Imm(x, imm)) => Ins::I64StoreAI { x, imm, v },
        (Op::I32Store8, Addr::Imm(x, imm)) => Ins::I32Store8AI { x, imm, v },
        (Op::I32Store | Op::F32Store, Addr::Sum(x, y)) => Ins::I32StoreAA { x, y, v },
        (Op::I64Store | Op::F64Store, Addr::Sum(x, y)) => Ins::I64StoreAA { x, y, v },
        (Op::I32Store8, Addr::Sum(x, y)) => Ins::I32Store8AA { x, y, v },
        (Op::I32Store | Op::F32Store, Addr::Scaled(x, sh, imm)) => {
            Ins::I32StoreSc { x, sh, imm, v }
        }
        (Op::I64Store | Op::F64Store, Addr::Scaled(x, sh, imm)) => {
            Ins::I64StoreSc { x, sh, imm, v }
        }
        _ => return None,
    })
}

/// The two i32 ops `p` then `i` as one instruction, where `i` consumes
/// `p`'s result (a temporary nothing else reads).
pub(crate) fn fuse2(p: Ins, i: Ins) -> Option<Ins> {
    Some(match (p, i) {
        (Ins::I32ShrUI { a, imm: sh, .. }, Ins::I32AndI { d, imm: mask, .. }) => {
            Ins::ShrUAnd { d, a, sh, mask }
        }
        (Ins::I32ShlI { a, imm: sh, .. }, Ins::I32AddI { d, imm, .. }) => {
            Ins::ShlAdd { d, a, sh, imm }
        }
        (Ins::I32Xor { a, b, .. }, Ins::I32AndI { d, imm: mask, .. }) => {
            Ins::XorAnd { d, a, b, mask }
        }
        _ => return None,
    })
}

/// The fused jump for float comparison `i` (target and negation unset).
pub(crate) fn float_jump(i: Ins) -> Option<Ins> {
    let (to, neg) = (0, 0);
    Some(match i {
        Ins::F32Eq { a, b, .. } => Ins::JumpIfF32Eq { a, b, to, neg },
        Ins::F32Ne { a, b, .. } => Ins::JumpIfF32Ne { a, b, to, neg },
        Ins::F32Lt { a, b, .. } => Ins::JumpIfF32Lt { a, b, to, neg },
        Ins::F32Gt { a, b, .. } => Ins::JumpIfF32Gt { a, b, to, neg },
        Ins::F32Le { a, b, .. } => Ins::JumpIfF32Le { a, b, to, neg },
        Ins::F32Ge { a, b, .. } => Ins::JumpIfF32Ge { a, b, to, neg },
        Ins::F64Eq { a, b, .. } => Ins::JumpIfF64Eq { a, b, to, neg },
        Ins::F64Ne { a, b, .. } => Ins::JumpIfF64Ne { a, b, to, neg },
        Ins::F64Lt { a, b, .. } => Ins::JumpIfF64Lt { a, b, to, neg },
        Ins::F64Gt { a, b, .. } => Ins::JumpIfF64Gt { a, b, to, neg },
        Ins::F64Le { a, b, .. } => Ins::JumpIfF64Le { a, b, to, neg },
        Ins::F64Ge { a, b, .. } => Ins::JumpIfF64Ge { a, b, to, neg },
        _ => return None,
    })
}

/// Makes a fused float jump jump when its comparison fails instead (NaN
/// operands make that different from the inverse comparison).
pub(crate) fn set_neg(j: &mut Ins, negate: bool) {
    match j {
        Ins::JumpIfF32Eq { neg, .. }
        | Ins::JumpIfF32Ne { neg, .. }
        | Ins::JumpIfF32Lt { neg, .. }
        | Ins::JumpIfF32Gt { neg, .. }
        | Ins::JumpIfF32Le { neg, .. }
        | Ins::JumpIfF32Ge { neg, .. }
        | Ins::JumpIfF64Eq { neg, .. }
        | Ins::JumpIfF64Ne { neg, .. }
        | Ins::JumpIfF64Lt { neg, .. }
        | Ins::JumpIfF64Gt { neg, .. }
        | Ins::JumpIfF64Le { neg, .. }
        | Ins::JumpIfF64Ge { neg, .. } => *neg = u32::from(negate),
        _ => {}
    }
}

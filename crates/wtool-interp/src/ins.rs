//! The internal instruction set: a register form over frame slots.
//!
//! Every operand stack height is known statically in wasm, so each operand
//! lives at a fixed slot relative to the frame base, after the locals. The
//! hot instructions name their slots directly (`d` result, `a`/`b`
//! operands, `imm` an inline constant); locals are slots too, so
//! `local.get`, constants and `local.set` mostly cost no instruction of
//! their own. Rare instructions (SIMD, tables, bulk memory) keep a stack
//! form: a preceding `SetSp` tells the executor where the top of the
//! operand stack is and they pop and push there.

/// Declares `Ins`, the register instructions by operand shape, and the
/// accessor for the result slot of the single-result forms.
macro_rules! define_ins {
    (
        rr: [$($rr:ident),* $(,)?],
        ri: [$($ri:ident),* $(,)?],
        rw: [$($rw:ident),* $(,)?],
        un: [$($un:ident),* $(,)?],
        load: [$($ld:ident),* $(,)?],
        other: { $($other:tt)* }
    ) => {
        /// One internal instruction. Slots are relative to the frame base;
        /// functions, tables, memories, globals and segments are store
        /// addresses; jump targets are code positions.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub(crate) enum Ins {
            $(
                /// `d = a <op> b`.
                $rr { d: u32, a: u32, b: u32 },
            )*
            $(
                /// `d = a <op> imm`.
                $ri { d: u32, a: u32, imm: u32 },
            )*
            $(
                /// `d = a <op> imm` with a 64-bit immediate.
                $rw { d: u32, a: u32, imm: u64 },
            )*
            $(
                /// `d = <op> a`.
                $un { d: u32, a: u32 },
            )*
            $(
                /// `d = load(a + offset)` from the function's memory 0.
                $ld { d: u32, a: u32, offset: u32 },
            )*
            $($other)*
        }

        impl Ins {
            /// The result slot of an instruction that writes exactly one
            /// slot and nothing else, so the compiler may redirect it.
            pub(crate) fn dst_mut(&mut self) -> Option<&mut u32> {
                match self {
                    $( Ins::$rr { d, .. } => Some(d), )*
                    $( Ins::$ri { d, .. } => Some(d), )*
                    $( Ins::$rw { d, .. } => Some(d), )*
                    $( Ins::$un { d, .. } => Some(d), )*
                    $( Ins::$ld { d, .. } => Some(d), )*
                    Ins::GlobalGet { d, .. }
                    | Ins::RefFunc { d, .. }
                    | Ins::SelRR { d, .. }
                    | Ins::ShrUAnd { d, .. }
                    | Ins::ShlAdd { d, .. }
                    | Ins::XorAnd { d, .. }
                    | Ins::SelRI { d, .. }
                    | Ins::SelIR { d, .. }
                    | Ins::I32LoadSc { d, .. }
                    | Ins::I64LoadSc { d, .. }
                    | Ins::I32LoadAbs { d, .. }
                    | Ins::I64LoadAbs { d, .. }
                    | Ins::I32Load8UAbs { d, .. }
                    | Ins::I32LoadAI { d, .. }
                    | Ins::I64LoadAI { d, .. }
                    | Ins::I32Load8UAI { d, .. }
                    | Ins::I32LoadAA { d, .. }
                    | Ins::I64LoadAA { d, .. }
                    | Ins::I32Load8UAA { d, .. } => Some(d),
                    _ => None,
                }
            }

            /// The frame slots this instruction addresses directly, as
            /// `(first, count)` runs: what `code::lower` checks against the
            /// frame size before the handlers access them unchecked.
            pub(crate) fn slot_runs(&self) -> [(u32, u32); 4] {
                match *self {
                    $( Ins::$rr { d, a, b } => [(d, 1), (a, 1), (b, 1), (0, 0)], )*
                    $( Ins::$ri { d, a, .. } => [(d, 1), (a, 1), (0, 0), (0, 0)], )*
                    $( Ins::$rw { d, a, .. } => [(d, 1), (a, 1), (0, 0), (0, 0)], )*
                    $( Ins::$un { d, a } => [(d, 1), (a, 1), (0, 0), (0, 0)], )*
                    $( Ins::$ld { d, a, .. } => [(d, 1), (a, 1), (0, 0), (0, 0)], )*
                    _ => self.other_slot_runs(),
                }
            }
        }
    };
}

define_ins! {
    rr: [
        I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU, I32And, I32Or, I32Xor,
        I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
        I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
        I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU, I64And, I64Or, I64Xor,
        I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
        I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
        F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
        F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
        F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
        F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
    ],
    ri: [
        I32AddI, I32RSubI, I32MulI, I32DivSI, I32DivUI, I32RemSI, I32RemUI,
        I32AndI, I32OrI, I32XorI, I32ShlI, I32ShrSI, I32ShrUI, I32RotlI, I32RotrI,
        I32EqI, I32NeI, I32LtSI, I32LtUI, I32GtSI, I32GtUI, I32LeSI, I32LeUI, I32GeSI, I32GeUI,
        I64AddI, I64RSubI, I64MulI, I64DivSI, I64DivUI, I64RemSI, I64RemUI,
        I64AndI, I64OrI, I64XorI, I64ShlI, I64ShrSI, I64ShrUI, I64RotlI, I64RotrI,
        I64EqI, I64NeI, I64LtSI, I64LtUI, I64GtSI, I64GtUI, I64LeSI, I64LeUI, I64GeSI, I64GeUI,
        F32AddI, F32SubI, F32RSubI, F32MulI, F32DivI, F32RDivI,
    ],
    rw: [
        F64AddI, F64SubI, F64RSubI, F64MulI, F64DivI, F64RDivI,
        I64AddW, I64MulW, I64AndW, I64OrW, I64XorW,
    ],
    un: [
        I32Eqz, I32Clz, I32Ctz, I32Popcnt, I64Eqz, I64Clz, I64Ctz, I64Popcnt,
        I32WrapI64, I64ExtendI32S, I64ExtendI32U,
        I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
        F32Abs, F32Neg, F32Sqrt, F32Ceil, F32Floor, F32Trunc, F32Nearest,
        F64Abs, F64Neg, F64Sqrt, F64Ceil, F64Floor, F64Trunc, F64Nearest,
        F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U,
        F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U,
        F32DemoteF64, F64PromoteF32, RefIsNull,
        I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
        I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
        I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
        I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
    ],
    load: [
        I32Load, I64Load, I32Load8S, I32Load8U, I32Load16S, I32Load16U,
        I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U,
    ],
    other: {
        /// Traps "unreachable".
        Unreachable,
        /// Traps "out of bounds memory access" (a memarg offset that cannot fit).
        TrapMemOob,
        /// Consumes one unit of fuel.
        Fuel,
        /// Immediate data of the previous instruction (never executed).
        Imm(u64),
        /// Sets the stack-form top of stack to frame slot `.0`.
        SetSp(u32),
        /// Unconditional jump.
        Jump(u32),
        /// Jumps if slot `c` (an i32) is non-zero.
        JumpIfNez { c: u32, to: u32 },
        /// Jumps if slot `c` (an i32) is zero.
        JumpIfEqz { c: u32, to: u32 },
        // Fused i32 compare-and-jump: `a <cmp> b` or `a <cmp> imm`.
        /// Jumps if `a == b`.
        JumpIfEq { a: u32, b: u32, to: u32 },
        /// Jumps if `a != b`.
        JumpIfNe { a: u32, b: u32, to: u32 },
        /// Jumps if `a < b` (signed).
        JumpIfLtS { a: u32, b: u32, to: u32 },
        /// Jumps if `a < b` (unsigned).
        JumpIfLtU { a: u32, b: u32, to: u32 },
        /// Jumps if `a > b` (signed).
        JumpIfGtS { a: u32, b: u32, to: u32 },
        /// Jumps if `a > b` (unsigned).
        JumpIfGtU { a: u32, b: u32, to: u32 },
        /// Jumps if `a <= b` (signed).
        JumpIfLeS { a: u32, b: u32, to: u32 },
        /// Jumps if `a <= b` (unsigned).
        JumpIfLeU { a: u32, b: u32, to: u32 },
        /// Jumps if `a >= b` (signed).
        JumpIfGeS { a: u32, b: u32, to: u32 },
        /// Jumps if `a >= b` (unsigned).
        JumpIfGeU { a: u32, b: u32, to: u32 },
        /// Jumps if `a == imm`.
        JumpIfEqI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a != imm`.
        JumpIfNeI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a < imm` (signed).
        JumpIfLtSI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a < imm` (unsigned).
        JumpIfLtUI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a > imm` (signed).
        JumpIfGtSI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a > imm` (unsigned).
        JumpIfGtUI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a <= imm` (signed).
        JumpIfLeSI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a <= imm` (unsigned).
        JumpIfLeUI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a >= imm` (signed).
        JumpIfGeSI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a >= imm` (unsigned).
        JumpIfGeUI { a: u32, imm: u32, to: u32 },
        // Fused i64 compare-and-jump (`imm` sign-extended).
        /// Jumps if `a == b` (i64).
        JumpIfEq64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a != b` (i64).
        JumpIfNe64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a < (signed) b` (i64).
        JumpIfLtS64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a < (unsigned) b` (i64).
        JumpIfLtU64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a > (signed) b` (i64).
        JumpIfGtS64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a > (unsigned) b` (i64).
        JumpIfGtU64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a <= (signed) b` (i64).
        JumpIfLeS64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a <= (unsigned) b` (i64).
        JumpIfLeU64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a >= (signed) b` (i64).
        JumpIfGeS64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a >= (unsigned) b` (i64).
        JumpIfGeU64 { a: u32, b: u32, to: u32 },
        /// Jumps if `a == imm` (i64).
        JumpIfEq64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a != imm` (i64).
        JumpIfNe64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a < (signed) imm` (i64).
        JumpIfLtS64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a < (unsigned) imm` (i64).
        JumpIfLtU64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a > (signed) imm` (i64).
        JumpIfGtS64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a > (unsigned) imm` (i64).
        JumpIfGtU64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a <= (signed) imm` (i64).
        JumpIfLeS64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a <= (unsigned) imm` (i64).
        JumpIfLeU64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a >= (signed) imm` (i64).
        JumpIfGeS64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `a >= (unsigned) imm` (i64).
        JumpIfGeU64I { a: u32, imm: u32, to: u32 },
        /// Jumps if `(a == b) != neg` (f32).
        JumpIfF32Eq { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a != b) != neg` (f32).
        JumpIfF32Ne { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a < b) != neg` (f32).
        JumpIfF32Lt { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a > b) != neg` (f32).
        JumpIfF32Gt { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a <= b) != neg` (f32).
        JumpIfF32Le { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a >= b) != neg` (f32).
        JumpIfF32Ge { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a == b) != neg` (f64).
        JumpIfF64Eq { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a != b) != neg` (f64).
        JumpIfF64Ne { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a < b) != neg` (f64).
        JumpIfF64Lt { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a > b) != neg` (f64).
        JumpIfF64Gt { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a <= b) != neg` (f64).
        JumpIfF64Le { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `(a >= b) != neg` (f64).
        JumpIfF64Ge { a: u32, b: u32, to: u32, neg: u32 },
        /// Jumps if `a & imm != 0` (i32).
        JumpIfAnyI { a: u32, imm: u32, to: u32 },
        /// Jumps if `a & imm == 0` (i32).
        JumpIfNoneI { a: u32, imm: u32, to: u32 },
        /// `d = load32(a + offset)`, then jumps if `d != 0` (list walks).
        LoadJumpNez { d: u32, a: u32, offset: u32, to: u32 },
        // Loop steps: `x += imm` (i32; `imm` is an i16, sign-extended),
        // then a jump on the new `x`.
        /// Jumps if the new `x != 0`.
        IncJumpNez { imm: u16, x: u32, to: u32 },
        /// Jumps if the new `x != n`.
        IncJumpNe { imm: u16, x: u32, n: u32, to: u32 },
        /// Jumps if the new `x < n` (signed).
        IncJumpLtS { imm: u16, x: u32, n: u32, to: u32 },
        /// Jumps if the new `x < n` (unsigned).
        IncJumpLtU { imm: u16, x: u32, n: u32, to: u32 },
        /// Continues at the `min(slot idx, len)`-th following instruction
        /// (each a `Jump` or a return).
        BrTable { idx: u32, len: u32 },
        /// Returns without results.
        Return0,
        /// Returns the one-slot value in slot `s`.
        Return1 { s: u32 },
        /// Returns the one-slot constant `v`.
        Return1I { v: u64 },
        /// Returns the `k` slots starting at slot `from`.
        ReturnN { from: u32, k: u32 },
        /// Calls function `func` with arguments in the slots from `base`;
        /// results come back there.
        Call { func: u32, base: u32 },
        /// Calls the function at index slot `idx` of `table`, checking type
        /// `ty`; arguments sit just below `idx`.
        CallIndirect { table: u32, ty: u32, idx: u32 },
        /// `d = s`.
        Copy { d: u32, s: u32 },
        /// Two slots (a v128): `d, d+1 = s, s+1`.
        Copy2 { d: u32, s: u32 },
        /// `d = v` (zero-extended).
        Const32 { d: u32, v: u32 },
        /// `d = v`.
        Const64 { d: u32, v: u64 },
        /// `d = c != 0 ? d : b`.
        Select1 { d: u32, b: u32, c: u32 },
        // Two i32 ops in one, when the first result feeds only the second.
        /// `d = (a >> sh) & mask` (unsigned shift).
        ShrUAnd { d: u32, a: u32, sh: u32, mask: u32 },
        /// `d = (a << sh) + imm`.
        ShlAdd { d: u32, a: u32, sh: u32, imm: u32 },
        /// `d = (a ^ b) & mask`.
        XorAnd { d: u32, a: u32, b: u32, mask: u32 },
        /// `d = c != 0 ? a : b`.
        SelRR { d: u32, a: u32, b: u32, c: u32 },
        /// `d = c != 0 ? a : imm` (zero-extended).
        SelRI { d: u32, a: u32, imm: u32, c: u32 },
        /// `d = c != 0 ? imm : b` (zero-extended).
        SelIR { d: u32, imm: u32, b: u32, c: u32 },
        /// As `Select1` on two-slot values.
        Select2 { d: u32, b: u32, c: u32 },
        /// `d = global g`.
        GlobalGet { d: u32, g: u32 },
        /// `d = ref.func f` (resolved through the running instance).
        RefFunc { d: u32, f: u32 },
        /// `global g = s`.
        GlobalSet { g: u32, s: u32 },
        /// Two-slot `global.get`.
        GlobalGet2 { d: u32, g: u32 },
        /// Two-slot `global.set`.
        GlobalSet2 { g: u32, s: u32 },
        /// `i32.store`/`f32.store` of slot `v` at `a + offset` in memory 0.
        I32Store { a: u32, v: u32, offset: u32 },
        /// `i64.store`/`f64.store`.
        I64Store { a: u32, v: u32, offset: u32 },
        /// `i32.store8`/`i64.store8`.
        I32Store8 { a: u32, v: u32, offset: u32 },
        /// `i32.store16`/`i64.store16`.
        I32Store16 { a: u32, v: u32, offset: u32 },
        /// `i64.store32`.
        I64Store32 { a: u32, v: u32, offset: u32 },
        // Accesses at a constant address (`addr` = constant + offset).
        /// `i32.load`/`f32.load` at `addr`.
        I32LoadAbs { d: u32, addr: u64 },
        /// `i64.load`/`f64.load` at `addr`.
        I64LoadAbs { d: u32, addr: u64 },
        /// `i32.load8_u` at `addr`.
        I32Load8UAbs { d: u32, addr: u64 },
        /// `i32.store`/`f32.store` of slot `v` at `addr`.
        I32StoreAbs { v: u32, addr: u64 },
        /// `i64.store`/`f64.store` of slot `v` at `addr`.
        I64StoreAbs { v: u32, addr: u64 },
        /// `i32.store8`/`i64.store8` of slot `v` at `addr`.
        I32Store8Abs { v: u32, addr: u64 },
        /// `i32.store` of a constant.
        I32StoreI { a: u32, imm: u32, offset: u32 },
        /// `i32.store8` of a constant.
        I32Store8I { a: u32, imm: u32, offset: u32 },
        // Address-fused forms (memarg offset 0): the address is `x + imm` or
        // `x + y`, wrapping at 32 bits like the `i32.add` they replace.
        /// `i32.store` of slot `v` at `x + imm`.
        I32StoreAI { x: u32, imm: u32, v: u32 },
        /// `i64.store` of slot `v` at `x + imm`.
        I64StoreAI { x: u32, imm: u32, v: u32 },
        /// `i32.store8` of slot `v` at `x + imm`.
        I32Store8AI { x: u32, imm: u32, v: u32 },
        /// `i32.store` of slot `v` at `x + y`.
        I32StoreAA { x: u32, y: u32, v: u32 },
        /// `i64.store` of slot `v` at `x + y`.
        I64StoreAA { x: u32, y: u32, v: u32 },
        /// `i32.store8` of slot `v` at `x + y`.
        I32Store8AA { x: u32, y: u32, v: u32 },
        /// `i32.store8` of the constant `imm` at `x + y`.
        I32Store8IAA { x: u32, y: u32, imm: u32 },
        // Scaled-index forms: the address is `(x << sh) + imm` (wrapping).
        /// `i32.load` at `(x << sh) + imm`.
        I32LoadSc { d: u32, x: u32, sh: u32, imm: u32 },
        /// `i64.load` at `(x << sh) + imm`.
        I64LoadSc { d: u32, x: u32, sh: u32, imm: u32 },
        /// `i32.store` of slot `v` at `(x << sh) + imm`.
        I32StoreSc { x: u32, sh: u32, imm: u32, v: u32 },
        /// `i64.store` of slot `v` at `(x << sh) + imm`.
        I64StoreSc { x: u32, sh: u32, imm: u32, v: u32 },
        /// `i32.load` at `x + imm`.
        I32LoadAI { d: u32, x: u32, imm: u32 },
        /// `i64.load` at `x + imm`.
        I64LoadAI { d: u32, x: u32, imm: u32 },
        /// `i32.load8_u` at `x + imm`.
        I32Load8UAI { d: u32, x: u32, imm: u32 },
        /// `i32.load` at `x + y`.
        I32LoadAA { d: u32, x: u32, y: u32 },
        /// `i64.load` at `x + y`.
        I64LoadAA { d: u32, x: u32, y: u32 },
        /// `i32.load8_u` at `x + y`.
        I32Load8UAA { d: u32, x: u32, y: u32 },
        // Stack forms (after `SetSp`).
        /// `table.get`.
        TableGet(u32),
        /// `table.set`.
        TableSet(u32),
        /// `table.size`.
        TableSize(u32),
        /// `table.grow`.
        TableGrow(u32),
        /// `table.fill`.
        TableFill(u32),
        /// `table.copy`.
        TableCopy { dst: u32, src: u32 },
        /// `table.init`.
        TableInit { table: u32, elem: u32 },
        /// `elem.drop`.
        ElemDrop(u32),
        /// `memory.size`.
        MemorySize(u32),
        /// `memory.grow`.
        MemoryGrow(u32),
        /// `memory.fill`.
        MemoryFill(u32),
        /// `memory.copy`.
        MemoryCopy { dst: u32, src: u32 },
        /// `memory.init`.
        MemoryInit { mem: u32, data: u32 },
        /// `data.drop`.
        DataDrop(u32),
        /// A GC instruction (structs, arrays, `i31`, casts).
        Gc(crate::gc::GcOp),
        /// A table-driven numeric or SIMD op.
        Num(wtool_ast::Op),
        /// A SIMD lane op.
        Lane(wtool_ast::Op, u8),
        /// A load or store on any memory.
        Mem { op: wtool_ast::Op, mem: u32, offset: u64 },
        /// `v128.{load,store}N_lane`; the next instruction is `Imm(offset)`.
        MemLane { op: wtool_ast::Op, lane: u8, mem: u32 },
        /// `i8x16.shuffle`; the next two instructions are `Imm` lane bytes (lo, hi).
        Shuffle,
        /// `return_call`: moves the `n` argument slots at `base` to slot 0
        /// and continues in function `func` in the same frame.
        ReturnCall { func: u32, base: u32, n: u32 },
        /// `return_call_indirect`: as `CallIndirect`, in the same frame.
        ReturnCallIndirect { table: u32, ty: u32, idx: u32 },
        /// `call_ref`: calls the function referenced by slot `r` with the
        /// arguments from `base` (just below `r`); null traps.
        CallRef { r: u32, base: u32 },
        /// `return_call_ref`: as `CallRef`, in the same frame.
        ReturnCallRef { r: u32, base: u32 },
        /// `throw tag` (module index) with its values in the slots from `base`.
        Throw { tag: u32, base: u32 },
        /// `throw_ref` of the `exnref` in slot `s`.
        ThrowRef { s: u32 },
        /// Legacy `rethrow` of the exception kept in slot `s`.
        Rethrow { s: u32 },
        /// Traps "null reference" if slot `s` holds null (`ref.as_non_null`).
        TrapIfNull { s: u32 },
        /// Checks the table64 index on top of the stack for `call_indirect`,
        /// which then reads it as 32 bits ("undefined element" past 2^32).
        TableIdx64,
        // Loads and stores on a 64-bit memory 0 (`handlers/mem64.rs`): the
        // address is the whole slot, the offset 64 bits, their sum checked.
        /// A 4-byte load, zero-extended (`i32.load`, `f32.load`, `i64.load32_u`).
        Mem64Load4U { d: u32, a: u32, offset: u64 },
        /// An 8-byte load (`i64.load`, `f64.load`).
        Mem64Load8 { d: u32, a: u32, offset: u64 },
        /// A 1-byte load, zero-extended (`i32.load8_u`, `i64.load8_u`).
        Mem64Load1U { d: u32, a: u32, offset: u64 },
        /// A 2-byte load, zero-extended (`i32.load16_u`, `i64.load16_u`).
        Mem64Load2U { d: u32, a: u32, offset: u64 },
        /// `i32.load8_s`.
        Mem64Load1S32 { d: u32, a: u32, offset: u64 },
        /// `i32.load16_s`.
        Mem64Load2S32 { d: u32, a: u32, offset: u64 },
        /// `i64.load8_s`.
        Mem64Load1S64 { d: u32, a: u32, offset: u64 },
        /// `i64.load16_s`.
        Mem64Load2S64 { d: u32, a: u32, offset: u64 },
        /// `i64.load32_s`.
        Mem64Load4S64 { d: u32, a: u32, offset: u64 },
        /// A 1-byte store (`i32.store8`, `i64.store8`).
        Mem64Store1 { a: u32, v: u32, offset: u64 },
        /// A 2-byte store (`i32.store16`, `i64.store16`).
        Mem64Store2 { a: u32, v: u32, offset: u64 },
        /// A 4-byte store (`i32.store`, `f32.store`, `i64.store32`).
        Mem64Store4 { a: u32, v: u32, offset: u64 },
        /// An 8-byte store (`i64.store`, `f64.store`).
        Mem64Store8 { a: u32, v: u32, offset: u64 },
    }
}

mod cmp;
pub(crate) use cmp::{Cmp, Rhs};

// The compiler's form; what runs is `code::Inst` (operands packed in 16 bytes).
const _: () = assert!(std::mem::size_of::<Ins>() <= 24);

impl Ins {
    /// `slot_runs` for the instructions outside the operand-shape lists.
    /// Stack-form instructions (after `SetSp`) address slots through the
    /// checked slow path and list none; `SetSp`, `Call` and the returns
    /// list the height they start from.
    fn other_slot_runs(&self) -> [(u32, u32); 4] {
        const N: (u32, u32) = (0, 0);
        match *self {
            Ins::SetSp(h) => [(0, h), N, N, N],
            Ins::JumpIfNez { c, .. } | Ins::JumpIfEqz { c, .. } => [(c, 1), N, N, N],
            Ins::JumpIfEq { a, b, .. }
            | Ins::JumpIfNe { a, b, .. }
            | Ins::JumpIfLtS { a, b, .. }
            | Ins::JumpIfLtU { a, b, .. }
            | Ins::JumpIfGtS { a, b, .. }
            | Ins::JumpIfGtU { a, b, .. }
            | Ins::JumpIfLeS { a, b, .. }
            | Ins::JumpIfLeU { a, b, .. }
            | Ins::JumpIfGeS { a, b, .. }
            | Ins::JumpIfGeU { a, b, .. } => [(a, 1), (b, 1), N, N],
            Ins::JumpIfEqI { a, .. }
            | Ins::JumpIfNeI { a, .. }
            | Ins::JumpIfLtSI { a, .. }
            | Ins::JumpIfLtUI { a, .. }
            | Ins::JumpIfGtSI { a, .. }
            | Ins::JumpIfGtUI { a, .. }
            | Ins::JumpIfLeSI { a, .. }
            | Ins::JumpIfLeUI { a, .. }
            | Ins::JumpIfGeSI { a, .. }
            | Ins::JumpIfGeUI { a, .. } => [(a, 1), N, N, N],
            Ins::JumpIfEq64 { a, b, .. }
            | Ins::JumpIfNe64 { a, b, .. }
            | Ins::JumpIfLtS64 { a, b, .. }
            | Ins::JumpIfLtU64 { a, b, .. }
            | Ins::JumpIfGtS64 { a, b, .. }
            | Ins::JumpIfGtU64 { a, b, .. }
            | Ins::JumpIfLeS64 { a, b, .. }
            | Ins::JumpIfLeU64 { a, b, .. }
            | Ins::JumpIfGeS64 { a, b, .. }
            | Ins::JumpIfGeU64 { a, b, .. } => [(a, 1), (b, 1), N, N],
            Ins::JumpIfEq64I { a, .. }
            | Ins::JumpIfNe64I { a, .. }
            | Ins::JumpIfLtS64I { a, .. }
            | Ins::JumpIfLtU64I { a, .. }
            | Ins::JumpIfGtS64I { a, .. }
            | Ins::JumpIfGtU64I { a, .. }
            | Ins::JumpIfLeS64I { a, .. }
            | Ins::JumpIfLeU64I { a, .. }
            | Ins::JumpIfGeS64I { a, .. }
            | Ins::JumpIfGeU64I { a, .. }
            | Ins::JumpIfAnyI { a, .. }
            | Ins::JumpIfNoneI { a, .. } => [(a, 1), N, N, N],
            Ins::IncJumpNez { x, .. } => [(x, 1), N, N, N],
            Ins::IncJumpNe { x, n, .. }
            | Ins::IncJumpLtS { x, n, .. }
            | Ins::IncJumpLtU { x, n, .. } => [(x, 1), (n, 1), N, N],
            Ins::BrTable { idx, .. } => [(idx, 1), N, N, N],
            Ins::Return1 { s } => [(s, 1), (0, 1), N, N],
            Ins::ReturnN { from, k } => [(from, k), (0, k), N, N],
            // The callee's frame starts at `base`; its own size is checked
            // against the stack at the call.
            Ins::Call { base, .. } => [(0, base), N, N, N],
            Ins::CallIndirect { idx, .. } => [(idx, 1), N, N, N],
            Ins::ReturnCall { base, n, .. } => [(base, n), (0, n), N, N],
            Ins::ReturnCallIndirect { idx, .. } => [(idx, 1), (0, idx), N, N],
            Ins::CallRef { r, base } | Ins::ReturnCallRef { r, base } => [(r, 1), (0, base), N, N],
            Ins::Throw { base, .. } => [(0, base), N, N, N],
            Ins::ThrowRef { s } | Ins::Rethrow { s } | Ins::TrapIfNull { s } => [(s, 1), N, N, N],
            Ins::Copy { d, s } => [(d, 1), (s, 1), N, N],
            Ins::Copy2 { d, s } => [(d, 2), (s, 2), N, N],
            Ins::Const32 { d, .. } | Ins::Const64 { d, .. } => [(d, 1), N, N, N],
            Ins::Select1 { d, b, c } => [(d, 1), (b, 1), (c, 1), N],
            Ins::Select2 { d, b, c } => [(d, 2), (b, 2), (c, 1), N],
            Ins::GlobalGet { d, .. } | Ins::RefFunc { d, .. } => [(d, 1), N, N, N],
            Ins::GlobalGet2 { d, .. } => [(d, 2), N, N, N],
            Ins::GlobalSet { s, .. } => [(s, 1), N, N, N],
            Ins::GlobalSet2 { s, .. } => [(s, 2), N, N, N],
            Ins::I32Store { a, v, .. }
            | Ins::I64Store { a, v, .. }
            | Ins::I32Store8 { a, v, .. }
            | Ins::I32Store16 { a, v, .. }
            | Ins::I64Store32 { a, v, .. } => [(a, 1), (v, 1), N, N],
            Ins::I32StoreI { a, .. } | Ins::I32Store8I { a, .. } => [(a, 1), N, N, N],
            Ins::I32StoreAI { x, v, .. }
            | Ins::I64StoreAI { x, v, .. }
            | Ins::I32Store8AI { x, v, .. } => [(x, 1), (v, 1), N, N],
            Ins::I32StoreAA { x, y, v }
            | Ins::I64StoreAA { x, y, v }
            | Ins::I32Store8AA { x, y, v } => [(x, 1), (y, 1), (v, 1), N],
            Ins::I32Store8IAA { x, y, .. } => [(x, 1), (y, 1), N, N],
            Ins::I32LoadAI { d, x, .. }
            | Ins::I64LoadAI { d, x, .. }
            | Ins::I32Load8UAI { d, x, .. } => [(d, 1), (x, 1), N, N],
            Ins::I32LoadAA { d, x, y }
            | Ins::I64LoadAA { d, x, y }
            | Ins::I32Load8UAA { d, x, y } => [(d, 1), (x, 1), (y, 1), N],
            Ins::I32LoadAbs { d, .. } | Ins::I64LoadAbs { d, .. } | Ins::I32Load8UAbs { d, .. } => {
                [(d, 1), N, N, N]
            }
            Ins::I32StoreAbs { v, .. }
            | Ins::I64StoreAbs { v, .. }
            | Ins::I32Store8Abs { v, .. } => [(v, 1), N, N, N],
            Ins::I32LoadSc { d, x, .. } | Ins::I64LoadSc { d, x, .. } => [(d, 1), (x, 1), N, N],
            Ins::I32StoreSc { x, v, .. } | Ins::I64StoreSc { x, v, .. } => [(x, 1), (v, 1), N, N],
            Ins::ShrUAnd { d, a, .. } | Ins::ShlAdd { d, a, .. } => [(d, 1), (a, 1), N, N],
            Ins::Mem64Load4U { d, a, .. }
            | Ins::Mem64Load8 { d, a, .. }
            | Ins::Mem64Load1U { d, a, .. }
            | Ins::Mem64Load2U { d, a, .. }
            | Ins::Mem64Load1S32 { d, a, .. }
            | Ins::Mem64Load2S32 { d, a, .. }
            | Ins::Mem64Load1S64 { d, a, .. }
            | Ins::Mem64Load2S64 { d, a, .. }
            | Ins::Mem64Load4S64 { d, a, .. } => [(d, 1), (a, 1), N, N],
            Ins::Mem64Store1 { a, v, .. }
            | Ins::Mem64Store2 { a, v, .. }
            | Ins::Mem64Store4 { a, v, .. }
            | Ins::Mem64Store8 { a, v, .. } => [(a, 1), (v, 1), N, N],
            Ins::XorAnd { d, a, b, .. } => [(d, 1), (a, 1), (b, 1), N],
            Ins::LoadJumpNez { d, a, .. } => [(d, 1), (a, 1), N, N],
            Ins::JumpIfF32Eq { a, b, .. }
            | Ins::JumpIfF32Ne { a, b, .. }
            | Ins::JumpIfF32Lt { a, b, .. }
            | Ins::JumpIfF32Gt { a, b, .. }
            | Ins::JumpIfF32Le { a, b, .. }
            | Ins::JumpIfF32Ge { a, b, .. }
            | Ins::JumpIfF64Eq { a, b, .. }
            | Ins::JumpIfF64Ne { a, b, .. }
            | Ins::JumpIfF64Lt { a, b, .. }
            | Ins::JumpIfF64Gt { a, b, .. }
            | Ins::JumpIfF64Le { a, b, .. }
            | Ins::JumpIfF64Ge { a, b, .. } => [(a, 1), (b, 1), N, N],
            Ins::SelRR { d, a, b, c } => [(d, 1), (a, 1), (b, 1), (c, 1)],
            Ins::SelRI { d, a, c, .. } => [(d, 1), (a, 1), (c, 1), N],
            Ins::SelIR { d, b, c, .. } => [(d, 1), (b, 1), (c, 1), N],
            _ => [N, N, N, N],
        }
    }

    /// The jump target field of a branch, for patching forward jumps.
    pub(crate) fn target_mut(&mut self) -> Option<&mut u32> {
        match self {
            Ins::Jump(to)
            | Ins::JumpIfNez { to, .. }
            | Ins::JumpIfEqz { to, .. }
            | Ins::JumpIfEq { to, .. }
            | Ins::JumpIfNe { to, .. }
            | Ins::JumpIfLtS { to, .. }
            | Ins::JumpIfLtU { to, .. }
            | Ins::JumpIfGtS { to, .. }
            | Ins::JumpIfGtU { to, .. }
            | Ins::JumpIfLeS { to, .. }
            | Ins::JumpIfLeU { to, .. }
            | Ins::JumpIfGeS { to, .. }
            | Ins::JumpIfGeU { to, .. }
            | Ins::JumpIfEqI { to, .. }
            | Ins::JumpIfNeI { to, .. }
            | Ins::JumpIfLtSI { to, .. }
            | Ins::JumpIfLtUI { to, .. }
            | Ins::JumpIfGtSI { to, .. }
            | Ins::JumpIfGtUI { to, .. }
            | Ins::JumpIfLeSI { to, .. }
            | Ins::JumpIfLeUI { to, .. }
            | Ins::JumpIfGeSI { to, .. }
            | Ins::JumpIfGeUI { to, .. }
            | Ins::JumpIfEq64 { to, .. }
            | Ins::JumpIfNe64 { to, .. }
            | Ins::JumpIfLtS64 { to, .. }
            | Ins::JumpIfLtU64 { to, .. }
            | Ins::JumpIfGtS64 { to, .. }
            | Ins::JumpIfGtU64 { to, .. }
            | Ins::JumpIfLeS64 { to, .. }
            | Ins::JumpIfLeU64 { to, .. }
            | Ins::JumpIfGeS64 { to, .. }
            | Ins::JumpIfGeU64 { to, .. }
            | Ins::JumpIfEq64I { to, .. }
            | Ins::JumpIfNe64I { to, .. }
            | Ins::JumpIfLtS64I { to, .. }
            | Ins::JumpIfLtU64I { to, .. }
            | Ins::JumpIfGtS64I { to, .. }
            | Ins::JumpIfGtU64I { to, .. }
            | Ins::JumpIfLeS64I { to, .. }
            | Ins::JumpIfLeU64I { to, .. }
            | Ins::JumpIfGeS64I { to, .. }
            | Ins::JumpIfGeU64I { to, .. }
            | Ins::JumpIfAnyI { to, .. }
            | Ins::JumpIfNoneI { to, .. }
            | Ins::LoadJumpNez { to, .. }
            | Ins::JumpIfF32Eq { to, .. }
            | Ins::JumpIfF32Ne { to, .. }
            | Ins::JumpIfF32Lt { to, .. }
            | Ins::JumpIfF32Gt { to, .. }
            | Ins::JumpIfF32Le { to, .. }
            | Ins::JumpIfF32Ge { to, .. }
            | Ins::JumpIfF64Eq { to, .. }
            | Ins::JumpIfF64Ne { to, .. }
            | Ins::JumpIfF64Lt { to, .. }
            | Ins::JumpIfF64Gt { to, .. }
            | Ins::JumpIfF64Le { to, .. }
            | Ins::JumpIfF64Ge { to, .. }
            | Ins::IncJumpNez { to, .. }
            | Ins::IncJumpNe { to, .. }
            | Ins::IncJumpLtS { to, .. }
            | Ins::IncJumpLtU { to, .. } => Some(to),
            _ => None,
        }
    }
}

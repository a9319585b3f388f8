//! Compiles a validated function body once into flat internal code:
//! branch targets are resolved to code positions and every branch carries
//! the stack adjustment (slots to drop below the kept results), so the
//! executor never looks at blocks or types.
//!
//! Unreachable code (after `br`, `return`, `unreachable`, ...) is skipped
//! entirely, so the compile-time operand stack never has to be polymorphic.

use std::fmt;

use wtool_ast::{BlockType, Expr, Func, Instr, Module, Op, ValType};

use crate::store::InstanceData;
use crate::values::{slots, slots_of, NULL_REF};

/// One internal instruction. Addresses (functions, tables, memories,
/// globals, segments) are store addresses; local indices are slot offsets
/// from the frame base.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Ins {
    Unreachable,
    /// Traps "out of bounds memory access" (a memarg offset that cannot fit).
    TrapMemOob,
    /// Unconditional jump without stack change.
    Jump(u32),
    /// Pops an i32; jumps if it is non-zero.
    JumpIfNez(u32),
    /// Pops an i32; jumps if it is zero.
    JumpIfEqz(u32),
    /// Branch keeping the top `keep` slots and dropping `drop` slots below them.
    Br {
        to: u32,
        drop: u32,
        keep: u32,
    },
    /// Pops an i32; if non-zero, branches like `Br`.
    BrIfNez {
        to: u32,
        drop: u32,
        keep: u32,
    },
    /// Pops an i32 `i`; continues at the `min(i, len)`-th following instruction
    /// (each a `Br`, `Jump` or `Return`).
    BrTable {
        len: u32,
    },
    /// Returns the top `keep` slots to the caller.
    Return {
        keep: u32,
    },
    Call(u32),
    CallIndirect {
        table: u32,
        ty: u32,
    },
    Drop1,
    Drop2,
    Select1,
    Select2,
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    LocalGet2(u32),
    LocalSet2(u32),
    LocalTee2(u32),
    GlobalGet(u32),
    GlobalSet(u32),
    GlobalGet2(u32),
    GlobalSet2(u32),
    TableGet(u32),
    TableSet(u32),
    TableSize(u32),
    TableGrow(u32),
    TableFill(u32),
    TableCopy {
        dst: u32,
        src: u32,
    },
    TableInit {
        table: u32,
        elem: u32,
    },
    ElemDrop(u32),
    MemorySize(u32),
    MemoryGrow(u32),
    MemoryFill(u32),
    MemoryCopy {
        dst: u32,
        src: u32,
    },
    MemoryInit {
        mem: u32,
        data: u32,
    },
    DataDrop(u32),
    Const(u64),
    RefIsNull,
    /// Consumes one unit of fuel.
    Fuel,
    /// A table-driven numeric or SIMD op.
    Num(Op),
    /// A SIMD lane op.
    Lane(Op, u8),
    /// A load or store with a memarg offset.
    Mem {
        op: Op,
        mem: u32,
        offset: u32,
    },
    /// `v128.{load,store}N_lane`; the next instruction is `Imm(offset)`.
    MemLane {
        op: Op,
        lane: u8,
        mem: u32,
    },
    /// `i8x16.shuffle`; the next two instructions are `Imm` lane bytes (lo, hi).
    Shuffle,
    /// Immediate data of the previous instruction (never executed).
    Imm(u64),
    // Fused forms (specialisations of common sequences).
    /// `local.get a; local.get b; i32.add`-style: pushes `op(local[a], local[b])`.
    I32AddLL(u32, u32),
    /// `local.get a; i32.const c; i32.add`.
    I32AddLC(u32, i32),
    /// `local.get a; i32.const c; i32.<op>`: pushes `op(local[a], c)`.
    I32AndLC(u32, u32),
    I32ShlLC(u32, u32),
    I32ShrULC(u32, u32),
    I32MulLC(u32, u32),
    /// `local.get a; i32.<op>`: the right operand from local `a`.
    I32SubL(u32),
    I32AndL(u32),
    I32OrL(u32),
    I32XorL(u32),
    I32MulL(u32),
    /// `i32.const c; i32.<op>` with the constant as right operand.
    I32OrC(u32),
    I32XorC(u32),
    /// `local.get a; local.get b; f64.<op>`.
    F64MulLL(u32, u32),
    F64AddLL(u32, u32),
    /// `f64.const c; f64.<op>` (the constant's bits).
    F64MulC(u64),
    F64AddC(u64),
    /// `local.get a; i32.add` (top += local a).
    I32AddL(u32),
    /// `i32.const c; i32.<op>` with the constant as right operand.
    I32AddC(u32),
    I32AndC(u32),
    I32ShlC(u32),
    I32ShrUC(u32),
    I32ShrSC(u32),
    I32MulC(u32),
    I32EqC(u32),
    I32NeC(u32),
    I32LtSC(u32),
    I32LtUC(u32),
    I32GtSC(u32),
    I32GtUC(u32),
    // Fused i32 compare-and-jump, one variant per comparison so the executor
    // dispatches once (built by `Cmp::jump`). `JumpIfX(to)`: `<cmp>; br_if`
    // on two stack operands; `JumpIfXL(b, to)`: the right operand is local `b`;
    // `JumpIfXC(c, to)`: the right operand is the constant `c`.
    JumpIfEq(u32),
    JumpIfEqL(u32, u32),
    JumpIfEqC(u32, u32),
    JumpIfNe(u32),
    JumpIfNeL(u32, u32),
    JumpIfNeC(u32, u32),
    JumpIfLtS(u32),
    JumpIfLtSL(u32, u32),
    JumpIfLtSC(u32, u32),
    JumpIfLtU(u32),
    JumpIfLtUL(u32, u32),
    JumpIfLtUC(u32, u32),
    JumpIfGtS(u32),
    JumpIfGtSL(u32, u32),
    JumpIfGtSC(u32, u32),
    JumpIfGtU(u32),
    JumpIfGtUL(u32, u32),
    JumpIfGtUC(u32, u32),
    JumpIfLeS(u32),
    JumpIfLeSL(u32, u32),
    JumpIfLeSC(u32, u32),
    JumpIfLeU(u32),
    JumpIfLeUL(u32, u32),
    JumpIfLeUC(u32, u32),
    JumpIfGeS(u32),
    JumpIfGeSL(u32, u32),
    JumpIfGeSC(u32, u32),
    JumpIfGeU(u32),
    JumpIfGeUL(u32, u32),
    JumpIfGeUC(u32, u32),
    /// `local.get a; local.get b; i32.add; local.set d`.
    I32AddLLSet(u32, u32, u32),
    /// `local.get a; i32.const c; i32.add; local.set d`.
    I32AddLCSet(u32, u32, u32),
    /// `local.get a; local.set d`.
    Copy(u32, u32),
    /// `<const>; local.set d`.
    SetConst(u32, u64),
    /// `local.get x; i32.load offset` etc.: loads from the address in local `x`.
    I32LoadL {
        local: u32,
        mem: u32,
        offset: u32,
    },
    I64LoadL {
        local: u32,
        mem: u32,
        offset: u32,
    },
    I32Load8UL {
        local: u32,
        mem: u32,
        offset: u32,
    },
    /// `local.get x; i32.const c; i32.add; i64.load offset` (32-bit wrapping
    /// address sum, then the offset), for memories with small addresses.
    I64LoadLC {
        local: u32,
        c: u32,
        offset: u32,
        mem: u16,
    },
    I32LoadLC {
        local: u32,
        c: u32,
        offset: u32,
        mem: u16,
    },
    /// `local.get a; local.get b; i32.add; i64.load offset`.
    I64LoadLL {
        a: u32,
        b: u32,
        offset: u32,
        mem: u16,
    },
    // Loop-closing steps (`x += step; br_if (cmp x ...)`), one dispatch per
    // back edge. They only exist for `local.tee` into the summed local. The
    // field shapes (u16 at 2, u32 at 4/8/12) match the other forms, so the
    // dispatch decodes no extra layout.
    /// `local.get x; i32.const c; i32.add; local.tee x; br_if`.
    IncJumpNez {
        x: u32,
        c: u32,
        to: u32,
    },
    /// `local.get x; local.get y; i32.add; local.tee x; local.get n; i32.lt_s; br_if`.
    IncJumpLtS {
        x: u16,
        y: u32,
        n: u32,
        to: u32,
    },
    /// As `IncJumpLtS`, unsigned.
    IncJumpLtU {
        x: u16,
        y: u32,
        n: u32,
        to: u32,
    },
    /// `local.get n; local.get x; i32.const c; i32.add; local.tee x; i32.ne; br_if`
    /// (`n` is read before `x` changes).
    IncCJumpNe {
        x: u16,
        n: u32,
        c: u32,
        to: u32,
    },
    /// `local.get a; local.get b; i32.add; local.tee d`.
    I32AddLLTee(u32, u32, u32),
    /// `local.get a; i32.const c; i32.add; local.tee d`.
    I32AddLCTee(u32, u32, u32),
    /// `local.get a; local.get b; i32.add; i32.const v; i32.store8 offset`.
    I32Store8CLL {
        a: u32,
        b: u32,
        offset: u32,
        mem: u16,
        value: u8,
    },
    /// `local.get x; i32.const c; i32.add; i32.load8_u offset`.
    I32Load8ULC {
        local: u32,
        c: u32,
        offset: u32,
        mem: u16,
    },
    /// `local.get x; f64.<op>`: the right operand from a local.
    F64AddL(u32),
    F64SubL(u32),
    F64MulL(u32),
    F64Sqrt,
    F64ConvertI32U,
    /// `i32.const v; i32.store8 offset`.
    I32Store8C {
        mem: u32,
        offset: u32,
        value: u32,
    },
    /// `i32.const v; i32.store offset`.
    I32StoreC {
        mem: u32,
        offset: u32,
        value: u32,
    },
    // Dedicated forms of the hottest table-driven ops.
    I32Add,
    I32Sub,
    I32Mul,
    I32And,
    I32Or,
    I32Xor,
    I32Shl,
    I32ShrS,
    I32ShrU,
    I32Eqz,
    I32Eq,
    I32Ne,
    I32LtS,
    I32LtU,
    I32GtS,
    I32GtU,
    I32LeS,
    I32LeU,
    I32GeS,
    I32GeU,
    I64Add,
    I64Sub,
    I64Mul,
    I64And,
    I64Or,
    I64Xor,
    I64Shl,
    I64ShrU,
    I64Eq,
    I64Ne,
    I64LtS,
    I64LtU,
    I64Eqz,
    I64ExtendI32U,
    I64ExtendI32S,
    I32WrapI64,
    F64Add,
    F64Sub,
    F64Mul,
    F64Div,
    F32Add,
    F32Sub,
    F32Mul,
    F32Div,
    F64ConvertI32S,
    /// `i32.load` (and `f32.load`) with memory address and offset.
    I32Load {
        mem: u32,
        offset: u32,
    },
    /// `i64.load` / `f64.load`.
    I64Load {
        mem: u32,
        offset: u32,
    },
    I32Load8U {
        mem: u32,
        offset: u32,
    },
    I32Load8S {
        mem: u32,
        offset: u32,
    },
    I32Load16U {
        mem: u32,
        offset: u32,
    },
    /// `i32.store` / `f32.store`.
    I32Store {
        mem: u32,
        offset: u32,
    },
    /// `i64.store` / `f64.store`.
    I64Store {
        mem: u32,
        offset: u32,
    },
    I32Store8 {
        mem: u32,
        offset: u32,
    },
    I32Store16 {
        mem: u32,
        offset: u32,
    },
}

/// A 32-bit comparison fused into a conditional jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

/// Where a fused compare-and-jump finds its right operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rhs {
    Stack,
    Local(u32),
    Const(u32),
}

/// The comparison and constant of a compare-with-constant instruction.
fn cmp_c_of(i: Ins) -> Option<(Cmp, u32)> {
    Some(match i {
        Ins::I32EqC(k) => (Cmp::Eq, k),
        Ins::I32NeC(k) => (Cmp::Ne, k),
        Ins::I32LtSC(k) => (Cmp::LtS, k),
        Ins::I32LtUC(k) => (Cmp::LtU, k),
        Ins::I32GtSC(k) => (Cmp::GtS, k),
        Ins::I32GtUC(k) => (Cmp::GtU, k),
        _ => return None,
    })
}

impl Cmp {
    /// The comparison that is true exactly when this one is false.
    pub(crate) fn inverse(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::LtS => Cmp::GeS,
            Cmp::LtU => Cmp::GeU,
            Cmp::GtS => Cmp::LeS,
            Cmp::GtU => Cmp::LeU,
            Cmp::LeS => Cmp::GtS,
            Cmp::LeU => Cmp::GtU,
            Cmp::GeS => Cmp::LtS,
            Cmp::GeU => Cmp::LtU,
        }
    }

    /// The fused compare-and-jump to `to` with right operand `rhs`.
    pub(crate) fn jump(self, rhs: Rhs, to: u32) -> Ins {
        match (self, rhs) {
            (Cmp::Eq, Rhs::Stack) => Ins::JumpIfEq(to),
            (Cmp::Eq, Rhs::Local(b)) => Ins::JumpIfEqL(b, to),
            (Cmp::Eq, Rhs::Const(k)) => Ins::JumpIfEqC(k, to),
            (Cmp::Ne, Rhs::Stack) => Ins::JumpIfNe(to),
            (Cmp::Ne, Rhs::Local(b)) => Ins::JumpIfNeL(b, to),
            (Cmp::Ne, Rhs::Const(k)) => Ins::JumpIfNeC(k, to),
            (Cmp::LtS, Rhs::Stack) => Ins::JumpIfLtS(to),
            (Cmp::LtS, Rhs::Local(b)) => Ins::JumpIfLtSL(b, to),
            (Cmp::LtS, Rhs::Const(k)) => Ins::JumpIfLtSC(k, to),
            (Cmp::LtU, Rhs::Stack) => Ins::JumpIfLtU(to),
            (Cmp::LtU, Rhs::Local(b)) => Ins::JumpIfLtUL(b, to),
            (Cmp::LtU, Rhs::Const(k)) => Ins::JumpIfLtUC(k, to),
            (Cmp::GtS, Rhs::Stack) => Ins::JumpIfGtS(to),
            (Cmp::GtS, Rhs::Local(b)) => Ins::JumpIfGtSL(b, to),
            (Cmp::GtS, Rhs::Const(k)) => Ins::JumpIfGtSC(k, to),
            (Cmp::GtU, Rhs::Stack) => Ins::JumpIfGtU(to),
            (Cmp::GtU, Rhs::Local(b)) => Ins::JumpIfGtUL(b, to),
            (Cmp::GtU, Rhs::Const(k)) => Ins::JumpIfGtUC(k, to),
            (Cmp::LeS, Rhs::Stack) => Ins::JumpIfLeS(to),
            (Cmp::LeS, Rhs::Local(b)) => Ins::JumpIfLeSL(b, to),
            (Cmp::LeS, Rhs::Const(k)) => Ins::JumpIfLeSC(k, to),
            (Cmp::LeU, Rhs::Stack) => Ins::JumpIfLeU(to),
            (Cmp::LeU, Rhs::Local(b)) => Ins::JumpIfLeUL(b, to),
            (Cmp::LeU, Rhs::Const(k)) => Ins::JumpIfLeUC(k, to),
            (Cmp::GeS, Rhs::Stack) => Ins::JumpIfGeS(to),
            (Cmp::GeS, Rhs::Local(b)) => Ins::JumpIfGeSL(b, to),
            (Cmp::GeS, Rhs::Const(k)) => Ins::JumpIfGeSC(k, to),
            (Cmp::GeU, Rhs::Stack) => Ins::JumpIfGeU(to),
            (Cmp::GeU, Rhs::Local(b)) => Ins::JumpIfGeUL(b, to),
            (Cmp::GeU, Rhs::Const(k)) => Ins::JumpIfGeUC(k, to),
        }
    }
}

/// The dedicated instruction for a hot table-driven op.
fn dedicated(op: Op) -> Option<Ins> {
    Some(match op {
        Op::I32Add => Ins::I32Add,
        Op::I32Sub => Ins::I32Sub,
        Op::I32Mul => Ins::I32Mul,
        Op::I32And => Ins::I32And,
        Op::I32Or => Ins::I32Or,
        Op::I32Xor => Ins::I32Xor,
        Op::I32Shl => Ins::I32Shl,
        Op::I32ShrS => Ins::I32ShrS,
        Op::I32ShrU => Ins::I32ShrU,
        Op::I32Eqz => Ins::I32Eqz,
        Op::I32Eq => Ins::I32Eq,
        Op::I32Ne => Ins::I32Ne,
        Op::I32LtS => Ins::I32LtS,
        Op::I32LtU => Ins::I32LtU,
        Op::I32GtS => Ins::I32GtS,
        Op::I32GtU => Ins::I32GtU,
        Op::I32LeS => Ins::I32LeS,
        Op::I32LeU => Ins::I32LeU,
        Op::I32GeS => Ins::I32GeS,
        Op::I32GeU => Ins::I32GeU,
        Op::I64Add => Ins::I64Add,
        Op::I64Sub => Ins::I64Sub,
        Op::I64Mul => Ins::I64Mul,
        Op::I64And => Ins::I64And,
        Op::I64Or => Ins::I64Or,
        Op::I64Xor => Ins::I64Xor,
        Op::I64Shl => Ins::I64Shl,
        Op::I64ShrU => Ins::I64ShrU,
        Op::I64Eq => Ins::I64Eq,
        Op::I64Ne => Ins::I64Ne,
        Op::I64LtS => Ins::I64LtS,
        Op::I64LtU => Ins::I64LtU,
        Op::I64Eqz => Ins::I64Eqz,
        Op::I64ExtendI32U => Ins::I64ExtendI32U,
        Op::I64ExtendI32S => Ins::I64ExtendI32S,
        Op::I32WrapI64 => Ins::I32WrapI64,
        Op::F64Add => Ins::F64Add,
        Op::F64Sub => Ins::F64Sub,
        Op::F64Mul => Ins::F64Mul,
        Op::F64Div => Ins::F64Div,
        Op::F32Add => Ins::F32Add,
        Op::F32Sub => Ins::F32Sub,
        Op::F32Mul => Ins::F32Mul,
        Op::F32Div => Ins::F32Div,
        Op::F64ConvertI32S => Ins::F64ConvertI32S,
        Op::F64ConvertI32U => Ins::F64ConvertI32U,
        Op::F64Sqrt => Ins::F64Sqrt,
        _ => return None,
    })
}

/// The comparison a dedicated compare instruction performs.
fn cmp_of(i: Ins) -> Option<Cmp> {
    Some(match i {
        Ins::I32Eq => Cmp::Eq,
        Ins::I32Ne => Cmp::Ne,
        Ins::I32LtS => Cmp::LtS,
        Ins::I32LtU => Cmp::LtU,
        Ins::I32GtS => Cmp::GtS,
        Ins::I32GtU => Cmp::GtU,
        Ins::I32LeS => Cmp::LeS,
        Ins::I32LeU => Cmp::LeU,
        Ins::I32GeS => Cmp::GeS,
        Ins::I32GeU => Cmp::GeU,
        _ => return None,
    })
}

const _: () = assert!(std::mem::size_of::<Ins>() <= 16);

/// A function the compiler cannot handle (only for invalid input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Function index within the module.
    pub func: u32,
    /// Offset of the offending instruction, if known.
    pub offset: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "func {}: {}", self.func, self.message)?;
        if let Some(o) = self.offset {
            write!(f, " at 0x{o:x}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {}

/// Layout of a compiled function.
pub(crate) struct Compiled {
    pub param_slots: u32,
    pub local_slots: u32,
    pub max_height: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Loop,
    If,
    Else,
    Func,
}

struct Frame {
    kind: Kind,
    /// Type-stack length at block entry, below its parameters.
    base_len: usize,
    /// Slot height at block entry, below its parameters.
    base_height: u32,
    params: Vec<ValType>,
    results: Vec<ValType>,
    /// Loop start.
    start: u32,
    /// Positions of branches to patch with the end position.
    patches: Vec<usize>,
    /// The `JumpIfEqz` of an `if`, to patch at `else`/`end`.
    else_patch: Option<usize>,
}

/// True when two types are interchangeable for the executor: equal, or both references.
fn same_shape(a: ValType, b: ValType) -> bool {
    matches!((a, b), (ValType::Ref(_), ValType::Ref(_))) || a == b
}

/// Upper bound on a function's locals (params included) that we compile.
const MAX_LOCALS: u64 = 1_000_000;

struct Compiler<'a> {
    module: &'a Module,
    inst: &'a InstanceData,
    store_types: &'a [wtool_ast::FuncType],
    func: u32,
    code: Vec<Ins>,
    offsets: Vec<u32>,
    cur_offset: u32,
    tys: Vec<ValType>,
    height: u32,
    max_height: u32,
    frames: Vec<Frame>,
    unreachable: bool,
    skip_depth: u32,
    /// Slot offset and type of each local.
    locals: Vec<(u32, ValType)>,
    fuel: bool,
    /// Code before this position may be a jump target's predecessor; see `emit_num`.
    label_floor: usize,
}

/// Compiles function `index` (module index space) with body `f`, appending
/// to `code`/`offsets`. `entry` is where its code starts.
#[allow(clippy::too_many_arguments)]
pub(crate) fn compile_func(
    module: &Module,
    inst: &InstanceData,
    store_types: &[wtool_ast::FuncType],
    index: u32,
    f: &Func,
    fuel: bool,
    code: &mut Vec<Ins>,
    offsets: &mut Vec<u32>,
) -> Result<Compiled, CompileError> {
    let err = |m: &str| CompileError {
        func: index,
        offset: Some(f.offset),
        message: m.to_string(),
    };
    let ty = module
        .func_type(f.type_idx)
        .ok_or_else(|| err("unknown type"))?;
    if (ty.params.len() as u64).saturating_add(f.num_locals()) > MAX_LOCALS {
        return Err(err("too many locals"));
    }
    let mut locals = Vec::new();
    let mut off = 0u32;
    for &p in ty.params.iter() {
        locals.push((off, p));
        off += slots(p);
    }
    let param_slots = off;
    for g in &f.locals {
        for _ in 0..g.count {
            locals.push((off, g.ty));
            off += slots(g.ty);
        }
    }
    let local_slots = off - param_slots;
    let mut c = Compiler {
        module,
        inst,
        store_types,
        func: index,
        code: std::mem::take(code),
        offsets: std::mem::take(offsets),
        cur_offset: f.offset,
        tys: Vec::new(),
        height: off,
        max_height: off,
        frames: Vec::new(),
        unreachable: false,
        skip_depth: 0,
        locals,
        fuel,
        label_floor: 0,
    };
    c.frames.push(Frame {
        kind: Kind::Func,
        base_len: 0,
        base_height: off,
        params: Vec::new(),
        results: ty.results.to_vec(),
        start: 0,
        patches: Vec::new(),
        else_patch: None,
    });
    if fuel {
        c.emit(Ins::Fuel);
    }
    let r = c.body(&f.body);
    *code = c.code;
    *offsets = c.offsets;
    r?;
    Ok(Compiled {
        param_slots,
        local_slots,
        max_height: c.max_height + 4,
    })
}

impl Compiler<'_> {
    fn err(&self, m: &str) -> CompileError {
        CompileError {
            func: self.func,
            offset: Some(self.cur_offset),
            message: m.to_string(),
        }
    }

    fn emit(&mut self, i: Ins) -> usize {
        self.code.push(i);
        self.offsets.push(self.cur_offset);
        self.code.len() - 1
    }

    fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    fn push(&mut self, t: ValType) {
        self.tys.push(t);
        self.height += slots(t);
        self.max_height = self.max_height.max(self.height);
    }

    fn pop(&mut self) -> Result<ValType, CompileError> {
        let floor = self.frames.last().map_or(0, |f| f.base_len);
        if self.tys.len() <= floor && !self.frames.is_empty() {
            // Block parameters sit above base_len, so popping to the floor is an error.
            return Err(self.err("type mismatch"));
        }
        let t = self.tys.pop().ok_or_else(|| self.err("type mismatch"))?;
        self.height -= slots(t);
        Ok(t)
    }

    /// Pops `n` one-slot operands (i32 indices, references).
    fn pop_n(&mut self, n: usize) -> Result<(), CompileError> {
        for _ in 0..n {
            if slots(self.pop()?) != 1 {
                return Err(self.err("type mismatch"));
            }
        }
        Ok(())
    }

    /// Pops a value of type `want` (any reference matches a reference: the
    /// executor only needs slot widths to agree).
    fn pop_expect(&mut self, want: ValType) -> Result<(), CompileError> {
        let got = self.pop()?;
        if same_shape(got, want) {
            Ok(())
        } else {
            Err(self.err("type mismatch"))
        }
    }

    /// Pops values of the given types (last first).
    fn pop_types(&mut self, tys: &[ValType]) -> Result<(), CompileError> {
        for &t in tys.iter().rev() {
            self.pop_expect(t)?;
        }
        Ok(())
    }

    /// Checks that the stack holds exactly `tys` above the frame base, as
    /// at the end of a block.
    fn check_exact(&mut self, base_len: usize, tys: &[ValType]) -> Result<(), CompileError> {
        let ok = self.tys.len() == base_len + tys.len()
            && self.tys[base_len..]
                .iter()
                .zip(tys)
                .all(|(&a, &b)| same_shape(a, b));
        if ok {
            Ok(())
        } else {
            Err(self.err("type mismatch"))
        }
    }

    fn block_type(&self, bt: BlockType) -> Result<(Vec<ValType>, Vec<ValType>), CompileError> {
        Ok(match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Value(t) => (vec![], vec![t]),
            BlockType::Func(i) => {
                let ft = self
                    .module
                    .func_type(i)
                    .ok_or_else(|| self.err("unknown type"))?;
                (ft.params.to_vec(), ft.results.to_vec())
            }
        })
    }

    fn addr(&self, space: &[u32], i: u32, what: &str) -> Result<u32, CompileError> {
        space.get(i as usize).copied().ok_or_else(|| self.err(what))
    }

    fn local(&self, i: u32) -> Result<(u32, ValType), CompileError> {
        self.locals
            .get(i as usize)
            .copied()
            .ok_or_else(|| self.err("unknown local"))
    }

    /// Emits a branch to the label `depth` levels out.
    fn branch(&mut self, depth: u32, conditional: bool) -> Result<(), CompileError> {
        let n = self.frames.len();
        let idx = n
            .checked_sub(1 + depth as usize)
            .ok_or_else(|| self.err("unknown label"))?;
        let f = &self.frames[idx];
        if f.kind == Kind::Func {
            let keep = slots_of(&f.results);
            if conditional {
                // br_if to the function label: skip over a return.
                let j = self.emit(Ins::JumpIfEqz(0));
                self.emit(Ins::Return { keep });
                let end = self.pc();
                self.code[j] = Ins::JumpIfEqz(end);
                self.label_floor = self.code.len();
            } else {
                self.emit(Ins::Return { keep });
            }
            return Ok(());
        }
        let (keep, to) = if f.kind == Kind::Loop {
            (slots_of(&f.params), f.start)
        } else {
            (slots_of(&f.results), 0)
        };
        let drop = self
            .height
            .checked_sub(f.base_height + keep)
            .ok_or_else(|| self.err("type mismatch"))?;
        let is_loop = f.kind == Kind::Loop;
        let fusable = self.code.len() > self.label_floor;
        let ins = match (conditional, drop) {
            (false, 0) => Ins::Jump(to),
            (true, 0) => match self.code.last().copied() {
                Some(last) if fusable => match (last, cmp_of(last)) {
                    (_, Some(c)) => {
                        self.code.pop();
                        self.offsets.pop();
                        let n = self.code.len();
                        match self.code.last().copied() {
                            Some(Ins::LocalGet(b)) if n > self.label_floor => {
                                self.code.pop();
                                self.offsets.pop();
                                c.jump(Rhs::Local(b), to)
                            }
                            Some(Ins::Const(k)) if n > self.label_floor => {
                                self.code.pop();
                                self.offsets.pop();
                                c.jump(Rhs::Const(k as u32), to)
                            }
                            _ => c.jump(Rhs::Stack, to),
                        }
                    }
                    (Ins::I32Eqz, None) => {
                        self.code.pop();
                        self.offsets.pop();
                        Ins::JumpIfEqz(to)
                    }
                    (_, None) if cmp_c_of(last).is_some() => {
                        let (c, k) = cmp_c_of(last).unwrap_or((Cmp::Ne, 0));
                        self.code.pop();
                        self.offsets.pop();
                        c.jump(Rhs::Const(k), to)
                    }
                    _ => Ins::JumpIfNez(to),
                },
                _ => Ins::JumpIfNez(to),
            },
            (false, _) => Ins::Br { to, drop, keep },
            (true, _) => Ins::BrIfNez { to, drop, keep },
        };
        let ins = if is_loop { self.fuse_step(ins) } else { ins };
        let at = self.emit(ins);
        if !is_loop {
            self.frames[idx].patches.push(at);
        }
        Ok(())
    }

    /// Fuses a loop's conditional back edge with the counter step before it
    /// (see `Ins::IncJumpNez`); returns `ins` unchanged when no form applies.
    fn fuse_step(&mut self, ins: Ins) -> Ins {
        let n = self.code.len();
        let small = |v: u32| u16::try_from(v).ok();
        let last = if n > self.label_floor {
            self.code.last().copied()
        } else {
            None
        };
        let fused = match (last, ins) {
            (Some(Ins::I32AddLCTee(a, c, x)), Ins::JumpIfNez(to)) if a == x => {
                Some((1, Ins::IncJumpNez { x, c, to }))
            }
            (Some(Ins::I32AddLLTee(a, y, x)), Ins::JumpIfLtSL(m, to)) if a == x => {
                small(x).map(|x| (1, Ins::IncJumpLtS { x, y, n: m, to }))
            }
            (Some(Ins::I32AddLLTee(a, y, x)), Ins::JumpIfLtUL(m, to)) if a == x => {
                small(x).map(|x| (1, Ins::IncJumpLtU { x, y, n: m, to }))
            }
            (Some(Ins::I32AddLCTee(a, c, x)), Ins::JumpIfNe(to))
                if a == x && n >= 2 && n - 2 >= self.label_floor =>
            {
                match (self.code[n - 2], small(x)) {
                    (Ins::LocalGet(m), Some(x)) => Some((2, Ins::IncCJumpNe { x, n: m, c, to })),
                    _ => None,
                }
            }
            _ => None,
        };
        match fused {
            Some((k, f)) => {
                self.code.truncate(n - k);
                self.offsets.truncate(n - k);
                f
            }
            None => ins,
        }
    }

    fn patch(&mut self, at: usize, to: u32) {
        if let Some(i) = self.code.get_mut(at) {
            match i {
                Ins::Jump(t) | Ins::JumpIfNez(t) | Ins::JumpIfEqz(t) => *t = to,
                Ins::Br { to: t, .. } | Ins::BrIfNez { to: t, .. } => *t = to,
                Ins::JumpIfEq(t)
                | Ins::JumpIfEqL(_, t)
                | Ins::JumpIfEqC(_, t)
                | Ins::JumpIfNe(t)
                | Ins::JumpIfNeL(_, t)
                | Ins::JumpIfNeC(_, t)
                | Ins::JumpIfLtS(t)
                | Ins::JumpIfLtSL(_, t)
                | Ins::JumpIfLtSC(_, t)
                | Ins::JumpIfLtU(t)
                | Ins::JumpIfLtUL(_, t)
                | Ins::JumpIfLtUC(_, t)
                | Ins::JumpIfGtS(t)
                | Ins::JumpIfGtSL(_, t)
                | Ins::JumpIfGtSC(_, t)
                | Ins::JumpIfGtU(t)
                | Ins::JumpIfGtUL(_, t)
                | Ins::JumpIfGtUC(_, t)
                | Ins::JumpIfLeS(t)
                | Ins::JumpIfLeSL(_, t)
                | Ins::JumpIfLeSC(_, t)
                | Ins::JumpIfLeU(t)
                | Ins::JumpIfLeUL(_, t)
                | Ins::JumpIfLeUC(_, t)
                | Ins::JumpIfGeS(t)
                | Ins::JumpIfGeSL(_, t)
                | Ins::JumpIfGeSC(_, t)
                | Ins::JumpIfGeU(t)
                | Ins::JumpIfGeUL(_, t)
                | Ins::JumpIfGeUC(_, t) => *t = to,
                _ => {}
            }
        }
    }

    fn reset_to(&mut self, base_len: usize, base_height: u32, tys: &[ValType]) {
        self.tys.truncate(base_len);
        self.height = base_height;
        for &t in tys {
            self.push(t);
        }
    }

    fn body(&mut self, e: &Expr) -> Result<(), CompileError> {
        for (i, ins) in e.instrs.iter().enumerate() {
            if let Some(o) = e.offset_of(i) {
                self.cur_offset = o;
            }
            if self.frames.is_empty() {
                return Err(self.err("operators remaining after end of function"));
            }
            if self.unreachable {
                match ins {
                    Instr::Block(_) | Instr::Loop(_) | Instr::If(_) => {
                        self.skip_depth += 1;
                        continue;
                    }
                    Instr::End | Instr::Else if self.skip_depth > 0 => {
                        if matches!(ins, Instr::End) {
                            self.skip_depth -= 1;
                        }
                        continue;
                    }
                    Instr::End | Instr::Else => {}
                    _ => continue,
                }
            }
            self.instr(ins)?;
        }
        if !self.frames.is_empty() {
            return Err(self.err("unexpected end"));
        }
        Ok(())
    }

    fn instr(&mut self, ins: &Instr) -> Result<(), CompileError> {
        use ValType::*;
        match ins {
            Instr::Unreachable => {
                self.emit(Ins::Unreachable);
                self.unreachable = true;
            }
            Instr::Nop => {}
            Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => {
                let (params, results) = self.block_type(*bt)?;
                let mut else_patch = None;
                if matches!(ins, Instr::If(_)) {
                    self.pop_expect(I32)?;
                    // Jump to `else`/`end` when the condition is false; a
                    // compare just before is fused, inverted.
                    let last = if self.code.len() > self.label_floor {
                        self.code.last().copied()
                    } else {
                        None
                    };
                    let fused = match last {
                        Some(Ins::I32Eqz) => Some(Ins::JumpIfNez(0)),
                        Some(l) => match (cmp_of(l), cmp_c_of(l)) {
                            (Some(c), _) => Some(c.inverse().jump(Rhs::Stack, 0)),
                            (None, Some((c, k))) => Some(c.inverse().jump(Rhs::Const(k), 0)),
                            _ => None,
                        },
                        None => None,
                    };
                    else_patch = Some(match fused {
                        Some(f) => {
                            let n = self.code.len();
                            self.code[n - 1] = f;
                            n - 1
                        }
                        None => self.emit(Ins::JumpIfEqz(0)),
                    });
                }
                let np = params.len();
                let base_len = self
                    .tys
                    .len()
                    .checked_sub(np)
                    .ok_or_else(|| self.err("type mismatch"))?;
                let base_height = self.height - slots_of(&params);
                let kind = match ins {
                    Instr::Block(_) => Kind::Block,
                    Instr::Loop(_) => Kind::Loop,
                    _ => Kind::If,
                };
                // Branches back to a metered loop re-enter through its fuel check.
                let start = self.pc();
                if kind == Kind::Loop && self.fuel {
                    self.emit(Ins::Fuel);
                }
                self.label_floor = self.code.len();
                self.frames.push(Frame {
                    kind,
                    base_len,
                    base_height,
                    params,
                    results,
                    start,
                    patches: Vec::new(),
                    else_patch,
                });
            }
            Instr::Else => {
                let f = self
                    .frames
                    .last()
                    .ok_or_else(|| self.err("else without if"))?;
                if f.kind != Kind::If {
                    return Err(self.err("else without if"));
                }
                if !self.unreachable {
                    let (bl, res) = self
                        .frames
                        .last()
                        .map(|f| (f.base_len, f.results.clone()))
                        .unwrap_or_default();
                    self.check_exact(bl, &res)?;
                    let j = self.emit(Ins::Jump(0));
                    if let Some(f) = self.frames.last_mut() {
                        f.patches.push(j);
                    }
                }
                let pc = self.pc();
                let e = self.err("else without if");
                let f = self.frames.last_mut().ok_or(e)?;
                f.kind = Kind::Else;
                let ep = f.else_patch.take();
                let (bl, bh, params) = (f.base_len, f.base_height, f.params.clone());
                if let Some(at) = ep {
                    self.patch(at, pc);
                }
                self.reset_to(bl, bh, &params);
                self.unreachable = false;
                self.label_floor = self.code.len();
            }
            Instr::End => {
                let f = self
                    .frames
                    .pop()
                    .ok_or_else(|| self.err("unexpected end"))?;
                if !self.unreachable {
                    self.check_exact(f.base_len, &f.results)?;
                    if f.kind == Kind::If
                        && !f
                            .params
                            .iter()
                            .zip(f.results.iter())
                            .all(|(&a, &b)| same_shape(a, b))
                    {
                        // An `if` without `else` passes its parameters through.
                        if f.params.len() != f.results.len() {
                            return Err(self.err("type mismatch"));
                        }
                    }
                }
                if f.kind == Kind::Func {
                    self.emit(Ins::Return {
                        keep: slots_of(&f.results),
                    });
                    self.unreachable = false;
                    return Ok(());
                }
                let end = self.pc();
                for &at in &f.patches {
                    self.patch(at, end);
                }
                if let Some(at) = f.else_patch {
                    self.patch(at, end);
                }
                self.reset_to(f.base_len, f.base_height, &f.results);
                self.unreachable = false;
                self.label_floor = self.code.len();
            }
            Instr::Br(l) => {
                self.branch(*l, false)?;
                self.unreachable = true;
            }
            Instr::BrIf(l) => {
                self.pop_expect(I32)?;
                self.branch(*l, true)?;
            }
            Instr::BrTable(bt) => {
                self.pop_expect(I32)?;
                let len =
                    u32::try_from(bt.targets.len()).map_err(|_| self.err("br_table too large"))?;
                self.emit(Ins::BrTable { len });
                for &t in bt.targets.iter().chain(std::iter::once(&bt.default)) {
                    self.branch(t, false)?;
                }
                self.unreachable = true;
            }
            Instr::Return => {
                let keep = slots_of(&self.frames[0].results);
                self.emit(Ins::Return { keep });
                self.unreachable = true;
            }
            Instr::Call(f) => {
                let addr = self.addr(&self.inst.funcs, *f, "unknown function")?;
                let ti = self
                    .module
                    .func_type_idx(*f)
                    .ok_or_else(|| self.err("unknown function"))?;
                let ft = self
                    .module
                    .func_type(ti)
                    .ok_or_else(|| self.err("unknown type"))?
                    .clone();
                self.pop_types(&ft.params)?;
                for &r in ft.results.iter() {
                    self.push(r);
                }
                self.emit(Ins::Call(addr));
            }
            Instr::CallIndirect { type_idx, table } => {
                let taddr = self.addr(&self.inst.tables, *table, "unknown table")?;
                let tid = self.addr(&self.inst.types, *type_idx, "unknown type")?;
                let ft = self
                    .store_types
                    .get(tid as usize)
                    .ok_or_else(|| self.err("unknown type"))?
                    .clone();
                self.pop_expect(I32)?;
                self.pop_types(&ft.params)?;
                for &r in ft.results.iter() {
                    self.push(r);
                }
                self.emit(Ins::CallIndirect {
                    table: taddr,
                    ty: tid,
                });
            }
            Instr::Drop => {
                let t = self.pop()?;
                self.emit(if slots(t) == 2 {
                    Ins::Drop2
                } else {
                    Ins::Drop1
                });
            }
            Instr::Select | Instr::SelectT(_) => {
                self.pop_expect(I32)?;
                let t2 = self.pop()?;
                let t = self.pop()?;
                if !same_shape(t, t2) {
                    return Err(self.err("type mismatch"));
                }
                self.push(t);
                self.emit(if slots(t) == 2 {
                    Ins::Select2
                } else {
                    Ins::Select1
                });
            }
            Instr::LocalGet(i) => {
                let (o, t) = self.local(*i)?;
                self.push(t);
                self.emit(if slots(t) == 2 {
                    Ins::LocalGet2(o)
                } else {
                    Ins::LocalGet(o)
                });
            }
            Instr::LocalSet(i) => {
                let (o, t) = self.local(*i)?;
                self.pop_expect(t)?;
                if slots(t) == 2 {
                    self.emit(Ins::LocalSet2(o));
                } else {
                    self.emit_local_set(o);
                }
            }
            Instr::LocalTee(i) => {
                let (o, t) = self.local(*i)?;
                self.pop_expect(t)?;
                self.push(t);
                let n = self.code.len();
                let prev = if n > self.label_floor && slots(t) == 1 {
                    self.code.last().copied()
                } else {
                    None
                };
                match prev {
                    Some(Ins::I32AddLL(a, b)) => self.code[n - 1] = Ins::I32AddLLTee(a, b, o),
                    Some(Ins::I32AddLC(a, c)) => {
                        self.code[n - 1] = Ins::I32AddLCTee(a, c as u32, o)
                    }
                    _ => {
                        self.emit(if slots(t) == 2 {
                            Ins::LocalTee2(o)
                        } else {
                            Ins::LocalTee(o)
                        });
                    }
                }
            }
            Instr::GlobalGet(g) => {
                let a = self.addr(&self.inst.globals, *g, "unknown global")?;
                let t = self
                    .module
                    .global_type(*g)
                    .ok_or_else(|| self.err("unknown global"))?
                    .ty;
                self.push(t);
                self.emit(if slots(t) == 2 {
                    Ins::GlobalGet2(a)
                } else {
                    Ins::GlobalGet(a)
                });
            }
            Instr::GlobalSet(g) => {
                let a = self.addr(&self.inst.globals, *g, "unknown global")?;
                let t = self
                    .module
                    .global_type(*g)
                    .ok_or_else(|| self.err("unknown global"))?
                    .ty;
                self.pop_expect(t)?;
                self.emit(if slots(t) == 2 {
                    Ins::GlobalSet2(a)
                } else {
                    Ins::GlobalSet(a)
                });
            }
            Instr::TableGet(t) => {
                let a = self.addr(&self.inst.tables, *t, "unknown table")?;
                let ty = self
                    .module
                    .table_type(*t)
                    .ok_or_else(|| self.err("unknown table"))?;
                self.pop_expect(I32)?;
                self.push(ValType::Ref(ty.elem));
                self.emit(Ins::TableGet(a));
            }
            Instr::TableSet(t) => {
                let a = self.addr(&self.inst.tables, *t, "unknown table")?;
                self.pop_n(2)?;
                self.emit(Ins::TableSet(a));
            }
            Instr::TableSize(t) => {
                let a = self.addr(&self.inst.tables, *t, "unknown table")?;
                self.push(I32);
                self.emit(Ins::TableSize(a));
            }
            Instr::TableGrow(t) => {
                let a = self.addr(&self.inst.tables, *t, "unknown table")?;
                self.pop_n(2)?;
                self.push(I32);
                self.emit(Ins::TableGrow(a));
            }
            Instr::TableFill(t) => {
                let a = self.addr(&self.inst.tables, *t, "unknown table")?;
                self.pop_n(3)?;
                self.emit(Ins::TableFill(a));
            }
            Instr::TableCopy { dst, src } => {
                let d = self.addr(&self.inst.tables, *dst, "unknown table")?;
                let s = self.addr(&self.inst.tables, *src, "unknown table")?;
                self.pop_n(3)?;
                self.emit(Ins::TableCopy { dst: d, src: s });
            }
            Instr::TableInit { elem, table } => {
                let t = self.addr(&self.inst.tables, *table, "unknown table")?;
                let e = self.addr(&self.inst.elems, *elem, "unknown elem segment")?;
                self.pop_n(3)?;
                self.emit(Ins::TableInit { table: t, elem: e });
            }
            Instr::ElemDrop(e) => {
                let e = self.addr(&self.inst.elems, *e, "unknown elem segment")?;
                self.emit(Ins::ElemDrop(e));
            }
            Instr::MemorySize(m) => {
                let a = self.addr(&self.inst.mems, *m, "unknown memory")?;
                self.push(I32);
                self.emit(Ins::MemorySize(a));
            }
            Instr::MemoryGrow(m) => {
                let a = self.addr(&self.inst.mems, *m, "unknown memory")?;
                self.pop_expect(I32)?;
                self.push(I32);
                self.emit(Ins::MemoryGrow(a));
            }
            Instr::MemoryFill(m) => {
                let a = self.addr(&self.inst.mems, *m, "unknown memory")?;
                self.pop_n(3)?;
                self.emit(Ins::MemoryFill(a));
            }
            Instr::MemoryCopy { dst, src } => {
                let d = self.addr(&self.inst.mems, *dst, "unknown memory")?;
                let s = self.addr(&self.inst.mems, *src, "unknown memory")?;
                self.pop_n(3)?;
                self.emit(Ins::MemoryCopy { dst: d, src: s });
            }
            Instr::MemoryInit { data, mem } => {
                let m = self.addr(&self.inst.mems, *mem, "unknown memory")?;
                let d = self.addr(&self.inst.datas, *data, "unknown data segment")?;
                self.pop_n(3)?;
                self.emit(Ins::MemoryInit { mem: m, data: d });
            }
            Instr::DataDrop(d) => {
                let d = self.addr(&self.inst.datas, *d, "unknown data segment")?;
                self.emit(Ins::DataDrop(d));
            }
            Instr::I32Const(v) => {
                self.push(I32);
                self.emit(Ins::Const(*v as u32 as u64));
            }
            Instr::I64Const(v) => {
                self.push(I64);
                self.emit(Ins::Const(*v as u64));
            }
            Instr::F32Const(v) => {
                self.push(F32);
                self.emit(Ins::Const(*v as u64));
            }
            Instr::F64Const(v) => {
                self.push(F64);
                self.emit(Ins::Const(*v));
            }
            Instr::V128Const(b) => {
                let v = u128::from_le_bytes(**b);
                self.push(V128);
                self.emit(Ins::Const(v as u64));
                self.emit(Ins::Const((v >> 64) as u64));
            }
            Instr::I8x16Shuffle(b) => {
                self.pop_types(&[V128, V128])?;
                self.push(V128);
                let v = u128::from_le_bytes(**b);
                self.emit(Ins::Shuffle);
                self.emit(Ins::Imm(v as u64));
                self.emit(Ins::Imm((v >> 64) as u64));
            }
            Instr::RefNull(h) => {
                self.push(ValType::Ref(wtool_ast::RefType {
                    nullable: true,
                    heap: *h,
                }));
                self.emit(Ins::Const(NULL_REF));
            }
            Instr::RefIsNull => {
                self.pop_n(1)?;
                self.push(I32);
                self.emit(Ins::RefIsNull);
            }
            Instr::RefFunc(f) => {
                let a = self.addr(&self.inst.funcs, *f, "unknown function")?;
                self.push(ValType::FUNCREF);
                self.emit(Ins::Const(a as u64 + 1));
            }
            Instr::Plain(op) => {
                self.sig(*op)?;
                self.emit_num(*op);
            }
            Instr::Mem(op, m) => {
                self.sig(*op)?;
                let mem = self.addr(&self.inst.mems, m.memory, "unknown memory")?;
                let off = m.offset;
                match u32::try_from(off) {
                    Ok(offset) => {
                        let n = self.code.len();
                        let prev = if n > self.label_floor {
                            self.code.last().copied()
                        } else {
                            None
                        };
                        // `(a + b)[offset] = v` in one instruction (byte fills).
                        if let (Op::I32Store8, Some(Ins::Const(v))) = (op, prev) {
                            let before = if n >= 2 && n - 2 >= self.label_floor {
                                self.code.get(n - 2).copied()
                            } else {
                                None
                            };
                            if let Some(Ins::I32AddLL(a, b)) = before {
                                if let Ok(mem) = u16::try_from(mem) {
                                    self.code.pop();
                                    self.offsets.pop();
                                    self.code[n - 2] = Ins::I32Store8CLL {
                                        a,
                                        b,
                                        offset,
                                        mem,
                                        value: v as u8,
                                    };
                                    return Ok(());
                                }
                            }
                        }
                        let fused = match (op, prev) {
                            (Op::I32Load8U, Some(Ins::I32AddLC(local, c)))
                                if mem <= u16::MAX as u32 =>
                            {
                                Some(Ins::I32Load8ULC {
                                    local,
                                    c: c as u32,
                                    offset,
                                    mem: mem as u16,
                                })
                            }
                            (Op::I32Load | Op::F32Load, Some(Ins::LocalGet(local))) => {
                                Some(Ins::I32LoadL { local, mem, offset })
                            }
                            (Op::I64Load | Op::F64Load, Some(Ins::LocalGet(local))) => {
                                Some(Ins::I64LoadL { local, mem, offset })
                            }
                            (Op::I32Load8U, Some(Ins::LocalGet(local))) => {
                                Some(Ins::I32Load8UL { local, mem, offset })
                            }
                            (Op::I64Load | Op::F64Load, Some(Ins::I32AddLC(local, c)))
                                if mem <= u16::MAX as u32 =>
                            {
                                Some(Ins::I64LoadLC {
                                    local,
                                    c: c as u32,
                                    offset,
                                    mem: mem as u16,
                                })
                            }
                            (Op::I32Load | Op::F32Load, Some(Ins::I32AddLC(local, c)))
                                if mem <= u16::MAX as u32 =>
                            {
                                Some(Ins::I32LoadLC {
                                    local,
                                    c: c as u32,
                                    offset,
                                    mem: mem as u16,
                                })
                            }
                            (Op::I64Load | Op::F64Load, Some(Ins::I32AddLL(a, b)))
                                if mem <= u16::MAX as u32 =>
                            {
                                Some(Ins::I64LoadLL {
                                    a,
                                    b,
                                    offset,
                                    mem: mem as u16,
                                })
                            }
                            (Op::I32Store8, Some(Ins::Const(v))) => Some(Ins::I32Store8C {
                                mem,
                                offset,
                                value: v as u32,
                            }),
                            (Op::I32Store | Op::F32Store, Some(Ins::Const(v))) => {
                                Some(Ins::I32StoreC {
                                    mem,
                                    offset,
                                    value: v as u32,
                                })
                            }
                            _ => None,
                        };
                        if let Some(f) = fused {
                            self.code[n - 1] = f;
                            return Ok(());
                        }
                        self.emit(match op {
                            Op::I32Load | Op::F32Load => Ins::I32Load { mem, offset },
                            Op::I64Load | Op::F64Load => Ins::I64Load { mem, offset },
                            Op::I32Load8U => Ins::I32Load8U { mem, offset },
                            Op::I32Load8S => Ins::I32Load8S { mem, offset },
                            Op::I32Load16U => Ins::I32Load16U { mem, offset },
                            Op::I32Store | Op::F32Store => Ins::I32Store { mem, offset },
                            Op::I64Store | Op::F64Store => Ins::I64Store { mem, offset },
                            Op::I32Store8 => Ins::I32Store8 { mem, offset },
                            Op::I32Store16 => Ins::I32Store16 { mem, offset },
                            _ => Ins::Mem {
                                op: *op,
                                mem,
                                offset,
                            },
                        })
                    }
                    Err(_) => self.emit(Ins::TrapMemOob),
                };
            }
            Instr::Lane(op, l) => {
                self.sig(*op)?;
                self.emit(Ins::Lane(*op, *l));
            }
            Instr::MemLane(ml) => {
                self.sig(ml.op)?;
                let mem = self.addr(&self.inst.mems, ml.memarg.memory, "unknown memory")?;
                let off = ml.memarg.offset;
                match u32::try_from(off) {
                    Ok(offset) => {
                        self.emit(Ins::MemLane {
                            op: ml.op,
                            lane: ml.lane,
                            mem,
                        });
                        self.emit(Ins::Imm(offset as u64));
                    }
                    Err(_) => {
                        self.emit(Ins::TrapMemOob);
                    }
                }
            }
        }
        Ok(())
    }

    /// Applies an op's fixed signature to the type stack.
    fn sig(&mut self, op: Op) -> Result<(), CompileError> {
        let info = op.info();
        self.pop_types(info.params)?;
        for &r in info.results {
            self.push(r);
        }
        Ok(())
    }

    /// Emits `local.set o`, fused with the instruction before when possible.
    fn emit_local_set(&mut self, o: u32) {
        let n = self.code.len();
        if n > self.label_floor {
            let fused = match self.code[n - 1] {
                Ins::I32AddLL(a, b) => Some(Ins::I32AddLLSet(a, b, o)),
                Ins::I32AddLC(a, c) => Some(Ins::I32AddLCSet(a, c as u32, o)),
                Ins::LocalGet(a) => Some(Ins::Copy(a, o)),
                Ins::Const(c) => Some(Ins::SetConst(o, c)),
                _ => None,
            };
            if let Some(f) = fused {
                self.code[n - 1] = f;
                return;
            }
        }
        self.emit(Ins::LocalSet(o));
    }

    /// Emits a numeric op, fusing it with the instructions just before when
    /// a specialised form exists.
    fn emit_num(&mut self, op: Op) {
        let n = self.code.len();
        // A jump may land on the first fused instruction (it keeps its
        // position) but not on a later one: stay at or after the last label.
        if n >= 2 && n - 2 >= self.label_floor {
            let (a, b) = (self.code[n - 2], self.code[n - 1]);
            let fused = match (op, a, b) {
                (Op::I32Add, Ins::LocalGet(x), Ins::LocalGet(y)) => Some(Ins::I32AddLL(x, y)),
                (Op::I32Add, Ins::LocalGet(x), Ins::Const(c)) => {
                    Some(Ins::I32AddLC(x, c as u32 as i32))
                }
                // Subtracting a constant is adding its negation, so the
                // `I32AddLC` fusions (address forms, set, tee) apply too.
                (Op::I32Sub, Ins::LocalGet(x), Ins::Const(c)) => {
                    Some(Ins::I32AddLC(x, (c as u32).wrapping_neg() as i32))
                }
                (Op::I32And, Ins::LocalGet(x), Ins::Const(c)) => Some(Ins::I32AndLC(x, c as u32)),
                (Op::I32Shl, Ins::LocalGet(x), Ins::Const(c)) => Some(Ins::I32ShlLC(x, c as u32)),
                (Op::I32ShrU, Ins::LocalGet(x), Ins::Const(c)) => Some(Ins::I32ShrULC(x, c as u32)),
                (Op::I32Mul, Ins::LocalGet(x), Ins::Const(c)) => Some(Ins::I32MulLC(x, c as u32)),
                (Op::F64Mul, Ins::LocalGet(x), Ins::LocalGet(y)) => Some(Ins::F64MulLL(x, y)),
                (Op::F64Add, Ins::LocalGet(x), Ins::LocalGet(y)) => Some(Ins::F64AddLL(x, y)),

                _ => None,
            };
            if let Some(f) = fused {
                self.code.truncate(n - 2);
                self.offsets.truncate(n - 2);
                self.emit(f);
                return;
            }
        }
        if n > self.label_floor {
            let c = match self.code[n - 1] {
                Ins::Const(c) => Some(c as u32),
                _ => None,
            };
            let fused = match (op, c, self.code[n - 1]) {
                (Op::I32Add, _, Ins::LocalGet(x)) => Some(Ins::I32AddL(x)),
                (Op::I32Sub, _, Ins::LocalGet(x)) => Some(Ins::I32SubL(x)),
                (Op::I32And, _, Ins::LocalGet(x)) => Some(Ins::I32AndL(x)),
                (Op::I32Or, _, Ins::LocalGet(x)) => Some(Ins::I32OrL(x)),
                (Op::I32Xor, _, Ins::LocalGet(x)) => Some(Ins::I32XorL(x)),
                (Op::I32Mul, _, Ins::LocalGet(x)) => Some(Ins::I32MulL(x)),
                (Op::F64Mul, _, Ins::Const(k)) => Some(Ins::F64MulC(k)),
                (Op::F64Add, _, Ins::Const(k)) => Some(Ins::F64AddC(k)),
                (Op::I32Or, Some(c), _) => Some(Ins::I32OrC(c)),
                (Op::I32Xor, Some(c), _) => Some(Ins::I32XorC(c)),
                (Op::F64Add, _, Ins::LocalGet(x)) => Some(Ins::F64AddL(x)),
                (Op::F64Sub, _, Ins::LocalGet(x)) => Some(Ins::F64SubL(x)),
                (Op::F64Mul, _, Ins::LocalGet(x)) => Some(Ins::F64MulL(x)),
                (Op::I32Add, Some(c), _) => Some(Ins::I32AddC(c)),
                (Op::I32Sub, Some(c), _) => Some(Ins::I32AddC(c.wrapping_neg())),
                (Op::I32And, Some(c), _) => Some(Ins::I32AndC(c)),
                (Op::I32Shl, Some(c), _) => Some(Ins::I32ShlC(c)),
                (Op::I32ShrU, Some(c), _) => Some(Ins::I32ShrUC(c)),
                (Op::I32ShrS, Some(c), _) => Some(Ins::I32ShrSC(c)),
                (Op::I32Mul, Some(c), _) => Some(Ins::I32MulC(c)),
                (Op::I32Eq, Some(c), _) => Some(Ins::I32EqC(c)),
                (Op::I32Ne, Some(c), _) => Some(Ins::I32NeC(c)),
                (Op::I32LtS, Some(c), _) => Some(Ins::I32LtSC(c)),
                (Op::I32LtU, Some(c), _) => Some(Ins::I32LtUC(c)),
                (Op::I32GtS, Some(c), _) => Some(Ins::I32GtSC(c)),
                (Op::I32GtU, Some(c), _) => Some(Ins::I32GtUC(c)),
                _ => None,
            };
            if let Some(f) = fused {
                self.code.truncate(n - 1);
                self.offsets.truncate(n - 1);
                self.emit(f);
                return;
            }
        }
        let ins = dedicated(op).unwrap_or(Ins::Num(op));
        self.emit(ins);
    }
}

//! What an instruction may do besides computing its results: trap, branch,
//! read or write state, call.

use wtool_ast::{Instr, Op, OpKind};

/// The effects of one instruction (children are separate instructions in the flat form).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// May trap (implicitly: loads, division, conversions, table/memory bounds; or explicitly).
    pub may_trap: bool,
    /// Transfers control (`br`, `return`, `unreachable`, block markers).
    pub control: bool,
    /// Calls a function (anything may happen).
    pub calls: bool,
    /// Reads linear memory (or its size).
    pub reads_memory: bool,
    /// Writes linear memory (or grows it).
    pub writes_memory: bool,
    /// Reads a global.
    pub reads_global: bool,
    /// Writes a global.
    pub writes_global: bool,
    /// Reads a table (or its size).
    pub reads_table: bool,
    /// Writes a table (or grows it).
    pub writes_table: bool,
    /// Reads a local.
    pub reads_local: bool,
    /// Writes a local.
    pub writes_local: bool,
    /// Drops an element or data segment.
    pub drops_segment: bool,
}

/// True for ops that trap on some operands (division by zero, overflow, NaN conversions).
pub fn op_may_trap(op: Op) -> bool {
    use Op::*;
    if matches!(
        op.kind(),
        OpKind::Load(_)
            | OpKind::Store(_)
            | OpKind::LoadLane(_)
            | OpKind::StoreLane(_)
            | OpKind::Atomic(_)
    ) {
        return true;
    }
    matches!(
        op,
        I32DivS
            | I32DivU
            | I32RemS
            | I32RemU
            | I64DivS
            | I64DivU
            | I64RemS
            | I64RemU
            | I32TruncF32S
            | I32TruncF32U
            | I32TruncF64S
            | I32TruncF64U
            | I64TruncF32S
            | I64TruncF32U
            | I64TruncF64S
            | I64TruncF64U
    )
}

impl Effects {
    /// Effects of `ins`. With `ignore_implicit_traps`, only explicit traps
    /// (`unreachable`) count as traps, as in binaryen's flag of that name.
    pub fn of(ins: &Instr, ignore_implicit_traps: bool) -> Effects {
        use Instr::*;
        let mut e = Effects::default();
        match ins {
            Unreachable => {
                e.may_trap = true;
                e.control = true;
            }
            Nop | Drop | Select | SelectT(_) => {}
            Block(_)
            | Loop(_)
            | If(_)
            | Else
            | End
            | Br(_)
            | BrIf(_)
            | BrTable(_)
            | Return
            | TryTable(_)
            | Try(_)
            | Catch(_)
            | CatchAll
            | Delegate(_)
            | BrOnNull(_)
            | BrOnNonNull(_)
            | BrOnCast(_)
            | BrOnCastFail(_)
            | BrOnCastDescEq(_)
            | BrOnCastDescEqFail(_) => e.control = true,
            // Pure reference operations.
            RefEq | RefI31 | AnyConvertExtern | ExternConvertAny | RefTest(_) => {}
            // Operations that trap on null or a failed cast.
            RefAsNonNull | I31GetS | I31GetU | RefCast(_) | RefCastDescEq(_) | RefGetDesc(_) => {
                e.may_trap = true
            }
            // Allocations: no effect but on memory use (struct sizes are
            // fixed; an array's length may exceed any limit, and segment
            // reads are bounds-checked).
            StructNew(_) | StructNewDefault(_) | StructNewDesc(_) | StructNewDefaultDesc(_) => {}
            ArrayNew(_) | ArrayNewDefault(_) | ArrayNewFixed { .. } => e.may_trap = true,
            ArrayNewData { .. } | ArrayNewElem { .. } => {
                e.may_trap = true;
                e.reads_memory = true;
            }
            // The GC heap is accounted as memory: conservative, and no pass
            // reorders heap accesses around memory ones.
            StructGet { .. }
            | StructGetS { .. }
            | StructGetU { .. }
            | ArrayGet(_)
            | ArrayGetS(_)
            | ArrayGetU(_)
            | ArrayLen => {
                e.may_trap = true;
                e.reads_memory = true;
            }
            StructSet { .. }
            | ArraySet(_)
            | ArrayFill(_)
            | ArrayCopy { .. }
            | ArrayInitData { .. }
            | ArrayInitElem { .. } => {
                e.may_trap = true;
                e.reads_memory = true;
                e.writes_memory = true;
            }
            // A fence orders memory accesses around it.
            AtomicFence => {
                e.reads_memory = true;
                e.writes_memory = true;
            }
            // Calls, tail calls and throws: anything may happen (a throw
            // transfers control to a handler that may run anything).
            Call(_)
            | CallIndirect { .. }
            | CallRef(_)
            | ReturnCall(_)
            | ReturnCallIndirect { .. }
            | ReturnCallRef(_)
            | Throw(_)
            | ThrowRef
            | Rethrow(_) => {
                e.calls = true;
                e.control = !matches!(ins, Call(_) | CallIndirect { .. } | CallRef(_));
                e.may_trap = true;
                e.reads_memory = true;
                e.writes_memory = true;
                e.reads_global = true;
                e.writes_global = true;
                e.reads_table = true;
                e.writes_table = true;
                e.drops_segment = true;
            }
            LocalGet(_) => e.reads_local = true,
            LocalSet(_) => e.writes_local = true,
            LocalTee(_) => e.writes_local = true,
            GlobalGet(_) => e.reads_global = true,
            GlobalSet(_) => e.writes_global = true,
            TableGet(_) => {
                e.reads_table = true;
                e.may_trap = true;
            }
            TableSet(_) | TableFill(_) => {
                e.writes_table = true;
                e.may_trap = true;
            }
            TableInit { .. } | TableCopy { .. } => {
                e.reads_table = true;
                e.writes_table = true;
                e.may_trap = true;
            }
            TableGrow(_) => {
                e.reads_table = true;
                e.writes_table = true;
            }
            TableSize(_) => e.reads_table = true,
            ElemDrop(_) | DataDrop(_) => e.drops_segment = true,
            MemorySize(_) => e.reads_memory = true,
            MemoryGrow(_) => {
                e.reads_memory = true;
                e.writes_memory = true;
            }
            MemoryInit { .. } | MemoryCopy { .. } | MemoryFill(_) => {
                e.reads_memory = true;
                e.writes_memory = true;
                e.may_trap = true;
            }
            I32Const(_) | I64Const(_) | F32Const(_) | F64Const(_) | V128Const(_)
            | I8x16Shuffle(_) | RefNull(_) | RefIsNull | RefFunc(_) | Lane(..) => {}
            Plain(op) => e.may_trap = op_may_trap(*op),
            Mem(op, _) => {
                e.may_trap = true;
                match op.kind() {
                    OpKind::Store(_) | OpKind::StoreLane(_) => e.writes_memory = true,
                    // Read-modify-write, wait and notify.
                    OpKind::Atomic(_) => {
                        e.reads_memory = true;
                        e.writes_memory = true;
                    }
                    _ => e.reads_memory = true,
                }
            }
            MemLane(ml) => {
                e.may_trap = true;
                match ml.op.kind() {
                    OpKind::StoreLane(_) | OpKind::Store(_) => e.writes_memory = true,
                    _ => e.reads_memory = true,
                }
            }
        }
        if ignore_implicit_traps && !(matches!(ins, Unreachable) || e.calls) {
            e.may_trap = false;
        }
        e
    }

    /// Writes some state that outlives the instruction (memory, globals,
    /// tables, locals, segments) or calls out.
    pub fn has_side_effects(&self) -> bool {
        self.calls
            || self.writes_memory
            || self.writes_global
            || self.writes_table
            || self.writes_local
            || self.drops_segment
    }

    /// Removable when its result is unused: no trap, no control, no side effect.
    pub fn is_removable(&self) -> bool {
        !self.may_trap && !self.control && !self.has_side_effects()
    }
}

/// Shorthand: `ins` may be deleted when its results are unused.
pub fn removable(ins: &Instr, ignore_implicit_traps: bool) -> bool {
    Effects::of(ins, ignore_implicit_traps).is_removable()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wtool_ast::MemArg;

    #[test]
    fn traps_and_purity() {
        assert!(removable(&Instr::Plain(Op::I32Add), false));
        assert!(!removable(&Instr::Plain(Op::I32DivS), false));
        assert!(removable(&Instr::Plain(Op::I32DivS), true));
        let load = Instr::Mem(Op::I32Load, MemArg::default());
        assert!(!removable(&load, false));
        assert!(removable(&load, true));
        let store = Instr::Mem(Op::I32Store, MemArg::default());
        assert!(!removable(&store, true));
        assert!(!removable(&Instr::Call(0), true));
        assert!(!removable(&Instr::Unreachable, true));
        assert!(!removable(&Instr::LocalSet(0), false));
        assert!(removable(&Instr::LocalGet(0), false));
        assert!(removable(&Instr::Plain(Op::I32TruncSatF32S), false));
        assert!(!removable(&Instr::Plain(Op::I32TruncF32S), false));
        assert!(!removable(&Instr::MemoryGrow(0), true));
    }
}

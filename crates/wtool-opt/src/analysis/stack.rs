//! Stack effects of straight-line instructions, and finding the
//! instructions that produce a value.

use wtool_ast::{Instr, Module, ValType};

/// `(pops, pushes)` of a non-control instruction; `None` for control
/// instructions (whose effect depends on the frame) and unknown indices.
pub fn stack_effect(ins: &Instr, m: &Module, locals: &[ValType]) -> Option<(u32, u32)> {
    use Instr::*;
    Some(match ins {
        Unreachable | Block(_) | Loop(_) | If(_) | Else | End | Br(_) | BrIf(_) | BrTable(_)
        | Return => return None,
        Nop | ElemDrop(_) | DataDrop(_) => (0, 0),
        Call(f) => {
            let t = m.func_type(m.func_type_idx(*f)?)?;
            (t.params.len() as u32, t.results.len() as u32)
        }
        CallIndirect { type_idx, .. } => {
            let t = m.func_type(*type_idx)?;
            (t.params.len() as u32 + 1, t.results.len() as u32)
        }
        Drop => (1, 0),
        Select | SelectT(_) => (3, 1),
        LocalGet(x) => {
            locals.get(*x as usize)?;
            (0, 1)
        }
        LocalSet(x) => {
            locals.get(*x as usize)?;
            (1, 0)
        }
        LocalTee(x) => {
            locals.get(*x as usize)?;
            (1, 1)
        }
        GlobalGet(_) => (0, 1),
        GlobalSet(_) => (1, 0),
        TableGet(_) => (1, 1),
        TableSet(_) => (2, 0),
        TableInit { .. } | TableCopy { .. } | TableFill(_) => (3, 0),
        TableGrow(_) => (2, 1),
        TableSize(_) | MemorySize(_) => (0, 1),
        MemoryGrow(_) => (1, 1),
        MemoryInit { .. } | MemoryCopy { .. } | MemoryFill(_) => (3, 0),
        I32Const(_) | I64Const(_) | F32Const(_) | F64Const(_) | V128Const(_) | RefNull(_)
        | RefFunc(_) => (0, 1),
        I8x16Shuffle(_) => (2, 1),
        RefIsNull => (1, 1),
        Plain(op) | Mem(op, _) | Lane(op, _) => {
            let i = op.info();
            (i.params.len() as u32, i.results.len() as u32)
        }
        MemLane(ml) => {
            let i = ml.op.info();
            (i.params.len() as u32, i.results.len() as u32)
        }
    })
}

/// The start of the shortest run of instructions ending just before `end`
/// that pushes exactly `want` values and consumes nothing from below, with
/// every instruction accepted by `ok`. Scans at most `limit` instructions back.
pub fn producer_start(
    instrs: &[Instr],
    end: usize,
    want: u32,
    limit: usize,
    m: &Module,
    locals: &[ValType],
    ok: impl Fn(&Instr) -> bool,
) -> Option<usize> {
    if want == 0 {
        return Some(end);
    }
    let mut need = want;
    let mut k = end;
    let stop = end.saturating_sub(limit);
    while k > stop {
        k -= 1;
        let ins = instrs.get(k)?;
        if !ok(ins) {
            return None;
        }
        let (pops, pushes) = stack_effect(ins, m, locals)?;
        if pushes > need {
            return None;
        }
        need = need - pushes + pops;
        if need == 0 {
            return Some(k);
        }
    }
    None
}

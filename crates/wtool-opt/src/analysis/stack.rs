//! Stack effects of straight-line instructions, and finding the
//! instructions that produce a value.

use wtool_ast::{Instr, Module, ValType};

/// `(pops, pushes)` of a non-control instruction; `None` for control
/// instructions (whose effect depends on the frame) and unknown indices.
pub fn stack_effect(ins: &Instr, m: &Module, locals: &[ValType]) -> Option<(u32, u32)> {
    if let Instr::LocalGet(x) | Instr::LocalSet(x) | Instr::LocalTee(x) = ins {
        locals.get(*x as usize)?;
    }
    // Without label context, branches and returns have no count.
    ins.stack_effect(m)
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

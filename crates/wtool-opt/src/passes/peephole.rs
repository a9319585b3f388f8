//! peephole: small local rewrites that are always exact.
//!
//! * `i32.eqz; i32.eqz; br_if/if` → `br_if/if` (both test "non-zero"); a third `i32.eqz` cancels one;
//! * `x + 0`, `x - 0`, `x | 0`, `x ^ 0`, `x * 1`, `x / 1`, `x & -1`, shifts and rotations by
//!   a multiple of the bit width → `x` (integers only: float identities change NaN bits and −0);
//! * `x == 0` → `eqz x`; for a comparison result `b` (always 0 or 1): `b & 1` → `b`,
//!   `eqz (eqz b)` → `b`;
//! * `i64.extend_i32_*; i32.wrap_i64` → nothing;
//! * `local.set x; local.get x` → `local.tee x`; `local.get x; local.set x` → nothing;
//!   `local.get x; local.tee x` → `local.get x`; `local.tee x; local.set x` → `local.set x`;
//!   `local.tee x; drop` → `local.set x`;
//! * a `return` just before the function's final `end` → nothing, when the
//!   function's outermost frame holds exactly its results there (`return`
//!   discards extra values below the results; falling off the end does not,
//!   so with more values the `return` stays).

use crate::analysis::local_types;
use crate::analysis::stack::stack_effect;
use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::util::for_one_body;
use wtool_ast::{BlockType, Func, Instr, Module, Op};

/// See the module docs.
pub struct Peephole;

impl Pass for Peephole {
    fn name(&self) -> &'static str {
        "peephole"
    }
    fn description(&self) -> &'static str {
        "exact local rewrites: double eqz before branches, x+0, x*1, shifts by 0, set/get → tee"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_each(self, m, opts)
    }
    fn function_local(&self) -> bool {
        true
    }
    fn run_function(&self, m: &Module, unit: &mut FuncUnit, _opts: &PassOptions) -> bool {
        let rewritten = for_one_body(m, unit, |_, body| peephole(body));
        drop_trailing_return(m, &mut unit.func) | rewritten
    }
}

/// `(params, results)` of a block type; `None` for an unknown type index.
fn block_arity(bt: &BlockType, m: &Module) -> Option<(u32, u32)> {
    Some(match bt {
        BlockType::Empty => (0, 0),
        BlockType::Value(_) => (0, 1),
        BlockType::Func(t) => {
            let ft = m.func_type(*t)?;
            (ft.params.len() as u32, ft.results.len() as u32)
        }
    })
}

/// The height of the function's outermost operand stack after `instrs`
/// (a prefix of a body ending at the outermost level), or `None` when it is
/// unknown: unreachable code (the stack is polymorphic), malformed nesting,
/// or an instruction whose effect cannot be read.
fn outer_height(instrs: &[Instr], m: &Module, locals: &[wtool_ast::ValType]) -> Option<u32> {
    use Instr::*;
    let mut h: u32 = 0;
    let mut k = 0;
    while let Some(ins) = instrs.get(k) {
        k += 1;
        match ins {
            Block(bt) | Loop(bt) | If(bt) => {
                let (p, r) = block_arity(bt, m)?;
                let cond = u32::from(matches!(ins, If(_)));
                h = h.checked_sub(p + cond)?;
                // Skip the construct: only its type matters out here.
                let mut depth = 1u32;
                while depth > 0 {
                    match instrs.get(k)? {
                        Block(_) | Loop(_) | If(_) => depth += 1,
                        End => depth -= 1,
                        _ => {}
                    }
                    k += 1;
                }
                h += r;
            }
            // A br_if to any label leaves the stack as it was, minus the condition.
            BrIf(_) => h = h.checked_sub(1)?,
            Else | End | Br(_) | BrTable(_) | Return | Unreachable => return None,
            _ => {
                let (pops, pushes) = stack_effect(ins, m, locals)?;
                h = h.checked_sub(pops)? + pushes;
            }
        }
    }
    Some(h)
}

/// Removes `return` when it is the last instruction of `f`'s body (a
/// function of `m`, or taken out of it) and the stack holds exactly the
/// function's results there: falling off the end then returns the same
/// values. Returns whether the body changed.
pub fn drop_trailing_return(m: &Module, f: &mut Func) -> bool {
    let n = f.body.instrs.len();
    if n < 2 || f.body.instrs[n - 2] != Instr::Return || f.body.instrs[n - 1] != Instr::End {
        return false;
    }
    let Some(results) = m.func_type(f.type_idx).map(|t| t.results.len() as u32) else {
        return false;
    };
    let Some(locals) = local_types(m, f) else {
        return false;
    };
    if outer_height(&f.body.instrs[..n - 2], m, &locals) != Some(results) {
        return false;
    }
    f.body.instrs.remove(n - 2);
    // Offsets describe the old instruction list; labels are unchanged.
    f.body.offsets.clear();
    true
}

/// Ops whose result is always 0 or 1 (scalar comparisons and tests).
pub(crate) fn is_boolean(ins: &Instr) -> bool {
    match ins {
        Instr::RefIsNull => true,
        Instr::Plain(op) => {
            let name = op.name();
            let (ty, test) = name.split_once('.').unwrap_or(("", ""));
            matches!(ty, "i32" | "i64" | "f32" | "f64")
                && matches!(
                    test,
                    "eqz"
                        | "eq"
                        | "ne"
                        | "lt"
                        | "lt_s"
                        | "lt_u"
                        | "gt"
                        | "gt_s"
                        | "gt_u"
                        | "le"
                        | "le_s"
                        | "le_u"
                        | "ge"
                        | "ge_s"
                        | "ge_u"
                )
        }
        _ => false,
    }
}

/// Whether `op` with constant right operand `c` is the identity on its left operand.
pub(crate) fn identity(op: Op, c: &Instr) -> bool {
    use Op::*;
    match (op, c) {
        (I32Add | I32Sub | I32Or | I32Xor, Instr::I32Const(0)) => true,
        (I32Mul | I32DivS | I32DivU, Instr::I32Const(1)) => true,
        (I32And, Instr::I32Const(-1)) => true,
        (I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr, Instr::I32Const(k)) => k & 31 == 0,
        (I64Add | I64Sub | I64Or | I64Xor, Instr::I64Const(0)) => true,
        (I64Mul | I64DivS | I64DivU, Instr::I64Const(1)) => true,
        (I64And, Instr::I64Const(-1)) => true,
        (I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr, Instr::I64Const(k)) => k & 63 == 0,
        _ => false,
    }
}

/// Rewrites one body; returns whether it changed.
pub fn peephole(body: &mut Vec<Instr>) -> bool {
    use Instr::*;
    let input = std::mem::take(body);
    let mut out: Vec<Instr> = Vec::with_capacity(input.len());
    let mut changed = false;
    let eqz = Plain(Op::I32Eqz);
    for ins in input {
        let n = out.len();
        let last = out.last();
        let done = match (&ins, last) {
            (BrIf(_) | If(_), _) if n >= 2 && out[n - 2] == eqz && out[n - 1] == eqz => {
                out.truncate(n - 2);
                false
            }
            (Plain(Op::I32Eqz), _) if n >= 2 && out[n - 2] == eqz && out[n - 1] == eqz => {
                out.pop();
                true
            }
            // A 0/1 value is its own double negation and its own `& 1`.
            (Plain(Op::I32Eqz), Some(Plain(Op::I32Eqz))) if n >= 2 && is_boolean(&out[n - 2]) => {
                out.pop();
                true
            }
            (Plain(Op::I32And), Some(I32Const(1))) if n >= 2 && is_boolean(&out[n - 2]) => {
                out.pop();
                true
            }
            (Plain(op), Some(c)) if identity(*op, c) => {
                out.pop();
                true
            }
            (Plain(Op::I32Eq), Some(I32Const(0))) => {
                out[n - 1] = Plain(Op::I32Eqz);
                true
            }
            (Plain(Op::I64Eq), Some(I64Const(0))) => {
                out[n - 1] = Plain(Op::I64Eqz);
                true
            }
            (Plain(Op::I32WrapI64), Some(Plain(Op::I64ExtendI32S | Op::I64ExtendI32U))) => {
                out.pop();
                true
            }
            (LocalGet(x), Some(LocalSet(y))) if x == y => {
                out[n - 1] = LocalTee(*x);
                true
            }
            (LocalSet(x), Some(LocalGet(y))) if x == y => {
                out.pop();
                true
            }
            (LocalTee(x), Some(LocalGet(y))) if x == y => true,
            (LocalSet(x), Some(LocalTee(y))) if x == y => {
                out[n - 1] = LocalSet(*x);
                true
            }
            (Drop, Some(LocalTee(x))) => {
                out[n - 1] = LocalSet(*x);
                true
            }
            _ => false,
        };
        if done {
            changed = true;
            continue;
        }
        if out.len() != n {
            changed = true;
        }
        out.push(ins);
    }
    *body = out;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{ins, run_on};

    #[test]
    fn double_eqz_before_branch() {
        let out = run_on(
            &mut Peephole,
            "i32",
            "",
            "block local.get 0 i32.eqz i32.eqz br_if 0 end",
        );
        assert_eq!(out, ins("block local.get 0 br_if 0 end"));
        let out = run_on(
            &mut Peephole,
            "i32 -> i32",
            "",
            "local.get 0 i32.eqz i32.eqz i32.eqz",
        );
        assert_eq!(out, ins("local.get 0 i32.eqz"));
        // As a value, eqz;eqz normalises to 0/1 and must stay.
        let out = run_on(
            &mut Peephole,
            "i32 -> i32",
            "",
            "local.get 0 i32.eqz i32.eqz",
        );
        assert_eq!(out, ins("local.get 0 i32.eqz i32.eqz"));
    }

    #[test]
    fn integer_identities() {
        let f = "local.get 0 i32.const 0 i32.add i32.const 1 i32.mul i32.const 32 i32.shl i32.const -1 i32.and";
        assert_eq!(
            run_on(&mut Peephole, "i32 -> i32", "", f),
            ins("local.get 0")
        );
        let f = "local.get 0 i64.const 0 i64.sub i64.const 64 i64.rotr i64.const 1 i64.div_s";
        assert_eq!(
            run_on(&mut Peephole, "i64 -> i64", "", f),
            ins("local.get 0")
        );
        // Not identities: shift by 1, float add of 0 (−0 + 0 = +0).
        let f = "local.get 0 i32.const 1 i32.shl";
        assert_eq!(run_on(&mut Peephole, "i32 -> i32", "", f), ins(f));
        let f = "local.get 0 f32.const 0 f32.add";
        assert_eq!(run_on(&mut Peephole, "f32 -> f32", "", f), ins(f));
        let f = "local.get 0 i32.const 0 i32.eq";
        assert_eq!(
            run_on(&mut Peephole, "i32 -> i32", "", f),
            ins("local.get 0 i32.eqz")
        );
        let f = "local.get 0 i64.extend_i32_u i32.wrap_i64";
        assert_eq!(
            run_on(&mut Peephole, "i32 -> i32", "", f),
            ins("local.get 0")
        );
    }

    #[test]
    fn boolean_normalisation() {
        let f = "local.get 0 local.get 0 i32.le_s i32.const 1 i32.and i32.eqz i32.eqz";
        assert_eq!(
            run_on(&mut Peephole, "i32 -> i32", "", f),
            ins("local.get 0 local.get 0 i32.le_s")
        );
        let f = "local.get 0 f64.const 1 f64.lt i32.const 1 i32.and";
        assert_eq!(
            run_on(&mut Peephole, "f64 -> i32", "", f),
            ins("local.get 0 f64.const 1 f64.lt")
        );
        // Not for values that may be other than 0/1.
        let f = "local.get 0 local.get 0 i32.add i32.const 1 i32.and";
        assert_eq!(run_on(&mut Peephole, "i32 -> i32", "", f), ins(f));
        let f = "local.get 0 i32.popcnt i32.eqz i32.eqz";
        assert_eq!(run_on(&mut Peephole, "i32 -> i32", "", f), ins(f));
    }

    #[test]
    fn trailing_return() {
        let f = "local.get 0 i32.const 5 i32.add return";
        assert_eq!(
            run_on(&mut Peephole, "i32 -> i32", "", f),
            ins("local.get 0 i32.const 5 i32.add")
        );
        // Through a nested construct and a br_if.
        let f = "block:i32 i32.const 1 end local.get 0 br_if 0 return";
        assert_eq!(
            run_on(&mut Peephole, "i32 -> i32", "", f),
            ins("block:i32 i32.const 1 end local.get 0 br_if 0")
        );
        let f = "nop return";
        assert_eq!(run_on(&mut Peephole, "", "", f), ins("nop"));
        // `return` drops the extra value below the result: it must stay.
        let f = "i32.const 1 local.get 0 return";
        assert_eq!(run_on(&mut Peephole, "i32 -> i32", "", f), ins(f));
        // Unreachable code before it: the stack height is unknown.
        let f = "unreachable i32.const 1 i32.const 2 return";
        assert_eq!(run_on(&mut Peephole, "-> i32", "", f), ins(f));
        // A return inside a nested block is not the function's last instruction.
        let f = "block return end";
        assert_eq!(run_on(&mut Peephole, "", "", f), ins(f));
    }

    #[test]
    fn locals() {
        let f = "i32.const 1 local.set 0 local.get 0 local.get 0 local.set 0 local.tee 0 drop";
        assert_eq!(
            run_on(&mut Peephole, "", "i32", f),
            ins("i32.const 1 local.tee 0 local.set 0")
        );
        let f = "local.get 0 local.tee 0 local.set 0";
        assert_eq!(run_on(&mut Peephole, "i32", "", f), ins(""));
    }
}

//! combine-instructions: neighbouring instructions folded into fewer, all
//! exact (integer arithmetic is modular, the loads and stores touch the
//! same bytes and trap alike).
//!
//! * a comparison under `i32.eqz` is the opposite comparison (`lt_s` ↔
//!   `ge_s`, `eq` ↔ `ne`, …; floats only `eq` ↔ `ne`, since NaN makes `lt`
//!   and `ge` both false); a 0/1 value `b`: `b ^ 1` and `(b ^ -1) & 1` are
//!   `eqz b`;
//! * `x op c1 op c2` → `x op (c1 op c2)` for `add`, `sub` (as adding the
//!   negation), `mul`, `and`, `or`, `xor`, and nothing when that is the
//!   identity (`x ^ -1 ^ -1` → `x`);
//! * a mask that keeps every bit the value can have goes: `load8_u & 255`,
//!   `load16_u & 0xffff` (and wider masks), `b & c` with `c` odd for a 0/1
//!   value, `(x >>u k) & c` when `c` covers the `width − k` low bits;
//! * `i32.wrap_i64` before `i32.store`/`store8`/`store16` → the `i64` store
//!   of the same width; `i32.load*` followed by `i64.extend_i32_*` → the
//!   `i64` load of that width (`load8_u`/`load16_u` under either extension);
//! * a sign extension right after a load of the same width (`load8_s;
//!   extend8_s` → `load8_s`, `load8_u; extend8_s` → `load8_s`).
//!
//! Cascades: each rewrite is re-examined against what precedes it, so
//! `(a != b) ^ -1 & 1` becomes `a == b` in one run. clang's `-O0` code and
//! Emscripten's debug builds are full of these shapes.

use crate::pass::{FuncUnit, Pass, PassOptions, PassProperties};
use crate::passes::block_to_if::negated;
use crate::passes::peephole::{identity, is_boolean};
use crate::util::for_one_body;
use wtool_ast::{Instr, Module, Op};

/// See the module docs.
pub struct CombineInstructions;

impl Pass for CombineInstructions {
    fn name(&self) -> &'static str {
        "combine-instructions"
    }
    fn description(&self) -> &'static str {
        "fold neighbouring instructions: flipped comparisons, constant chains, needless masks, narrow loads and stores"
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
        for_one_body(m, unit, |_, body| combine(body))
    }
}

/// The comparison that is true exactly when `op` is false: the integer
/// ones `block_to_if` negates, and float `eq`/`ne` (a NaN makes `eq` false
/// and `ne` true, so they stay exact inverses; the ordered float
/// comparisons do not).
fn inverse(op: Op) -> Option<Op> {
    negated(op).or(match op {
        Op::F32Eq => Some(Op::F32Ne),
        Op::F32Ne => Some(Op::F32Eq),
        Op::F64Eq => Some(Op::F64Ne),
        Op::F64Ne => Some(Op::F64Eq),
        _ => None,
    })
}

/// A constant of the same width as `op`'s operands, as a 64-bit pattern.
fn const_bits(c: &Instr, wide: bool) -> Option<u64> {
    match (c, wide) {
        (Instr::I32Const(v), false) => Some(*v as u32 as u64),
        (Instr::I64Const(v), true) => Some(*v as u64),
        _ => None,
    }
}

/// The constant instruction of `op`'s width holding `bits`.
fn make_const(bits: u64, wide: bool) -> Instr {
    if wide {
        Instr::I64Const(bits as i64)
    } else {
        Instr::I32Const(bits as u32 as i32)
    }
}

/// How two constants of a chain combine.
type Fold = fn(u64, u64) -> u64;

/// For an associative, commutative op: its width (`true` for i64) and how
/// two constants combine (`add`/`sub` chains are folded in `fold_chain`).
fn assoc(op: Op) -> Option<(bool, Fold)> {
    use Op::*;
    Some(match op {
        I32Mul | I64Mul => (op == I64Mul, u64::wrapping_mul),
        I32And | I64And => (op == I64And, |a, b| a & b),
        I32Or | I64Or => (op == I64Or, |a, b| a | b),
        I32Xor | I64Xor => (op == I64Xor, |a, b| a ^ b),
        _ => return None,
    })
}

/// The bits the value that `out` ends with can have (all when unknown).
fn possible_bits(out: &[Instr], wide: bool) -> u64 {
    let all = if wide { u64::MAX } else { u32::MAX as u64 };
    let n = out.len();
    let Some(last) = out.last() else { return all };
    if is_boolean(last) {
        return 1;
    }
    match last {
        Instr::Mem(op, _) => match op {
            Op::I32Load8U | Op::I64Load8U => 0xff,
            Op::I32Load16U | Op::I64Load16U => 0xffff,
            Op::I64Load32U => 0xffff_ffff,
            _ => all,
        },
        Instr::Plain(Op::I64ExtendI32U) => 0xffff_ffff,
        // `x >>u k` by a constant keeps only the low `width − k` bits.
        Instr::Plain(op @ (Op::I32ShrU | Op::I64ShrU)) if n >= 2 => {
            let width = if *op == Op::I64ShrU { 64 } else { 32 };
            match const_bits(&out[n - 2], *op == Op::I64ShrU) {
                Some(k) if k % width != 0 => all >> (k % width),
                _ => all,
            }
        }
        _ => all,
    }
}

/// The `i64` load of the same width as the `i32` load `op`, under the
/// extension `ext` (`true`: signed).
fn widened_load(op: Op, signed_ext: bool) -> Option<Op> {
    use Op::*;
    Some(match (op, signed_ext) {
        (I32Load, false) => I64Load32U,
        (I32Load, true) => I64Load32S,
        (I32Load8U, _) => I64Load8U,
        (I32Load16U, _) => I64Load16U,
        (I32Load8S, true) => I64Load8S,
        (I32Load16S, true) => I64Load16S,
        _ => return None,
    })
}

/// The signed load of the width a sign extension `ext` reads, given the
/// load `op` just before it (of that same width).
fn sign_extended_load(op: Op, ext: Op) -> Option<Op> {
    use Op::*;
    Some(match (op, ext) {
        (I32Load8U | I32Load8S, I32Extend8S) => I32Load8S,
        (I32Load16U | I32Load16S, I32Extend16S) => I32Load16S,
        (I64Load8U | I64Load8S, I64Extend8S) => I64Load8S,
        (I64Load16U | I64Load16S, I64Extend16S) => I64Load16S,
        (I64Load32U | I64Load32S, I64Extend32S) => I64Load32S,
        _ => return None,
    })
}

/// Pushes `i32.eqz` of the value `out` ends with: the opposite comparison
/// when that value is a comparison.
fn push_eqz(out: &mut Vec<Instr>) {
    if let Some(Instr::Plain(op)) = out.last() {
        if let Some(inv) = inverse(*op) {
            if let Some(last) = out.last_mut() {
                *last = Instr::Plain(inv);
            }
            return;
        }
    }
    out.push(Instr::Plain(Op::I32Eqz));
}

/// Pushes `ins` onto `out`, folding it with what precedes; returns whether
/// anything was folded.
fn push(out: &mut Vec<Instr>, ins: Instr) -> bool {
    use Instr::*;
    let n = out.len();
    match &ins {
        Plain(Op::I32Eqz) => {
            if let Some(Plain(op)) = out.last() {
                if inverse(*op).is_some() {
                    push_eqz(out);
                    return true;
                }
            }
        }
        // `b ^ 1` for a 0/1 value is `eqz b`.
        Plain(Op::I32Xor) if n >= 2 && out[n - 1] == I32Const(1) && is_boolean(&out[n - 2]) => {
            out.pop();
            push_eqz(out);
            return true;
        }
        // `(b ^ -1) & 1` is `eqz b`.
        Plain(Op::I32And)
            if n >= 4
                && out[n - 1] == I32Const(1)
                && out[n - 2] == Plain(Op::I32Xor)
                && out[n - 3] == I32Const(-1)
                && is_boolean(&out[n - 4]) =>
        {
            out.truncate(n - 3);
            push_eqz(out);
            return true;
        }
        Plain(op @ (Op::I32And | Op::I64And)) if n >= 2 => {
            let wide = *op == Op::I64And;
            if let Some(c) = const_bits(&out[n - 1], wide) {
                let keep = possible_bits(&out[..n - 1], wide);
                if c & keep == keep {
                    out.pop();
                    return true;
                }
            }
        }
        Mem(op @ (Op::I32Store | Op::I32Store8 | Op::I32Store16), m)
            if out.last() == Some(&Plain(Op::I32WrapI64)) =>
        {
            let wide = match op {
                Op::I32Store => Op::I64Store32,
                Op::I32Store8 => Op::I64Store8,
                _ => Op::I64Store16,
            };
            let m = *m;
            out.pop();
            out.push(Mem(wide, m));
            return true;
        }
        Plain(ext @ (Op::I64ExtendI32U | Op::I64ExtendI32S)) => {
            if let Some(Mem(op, m)) = out.last() {
                if let Some(w) = widened_load(*op, *ext == Op::I64ExtendI32S) {
                    let m = *m;
                    out.pop();
                    out.push(Mem(w, m));
                    return true;
                }
            }
        }
        Plain(
            ext @ (Op::I32Extend8S
            | Op::I32Extend16S
            | Op::I64Extend8S
            | Op::I64Extend16S
            | Op::I64Extend32S),
        ) => {
            if let Some(Mem(op, m)) = out.last() {
                if let Some(l) = sign_extended_load(*op, *ext) {
                    let m = *m;
                    out.pop();
                    out.push(Mem(l, m));
                    return true;
                }
            }
        }
        _ => {}
    }
    // Constant chains: `c1 op c2 op` → `(c1 op c2) op`, or nothing.
    if let (Plain(op), true) = (&ins, n >= 3) {
        if let Some((c, new_op)) = fold_chain(*op, &out[n - 3..]) {
            out.truncate(n - 3);
            if !identity(new_op, &c) {
                out.push(c);
                out.push(Plain(new_op));
            }
            return true;
        }
    }
    out.push(ins);
    false
}

/// For `prev` = `c1 op1 c2` followed by `op2`: the single constant and op
/// that do the same, when both ops are the same associative op, or both are
/// additions and subtractions of one width (all of them become an `add`).
fn fold_chain(op2: Op, prev: &[Instr]) -> Option<(Instr, Op)> {
    let [c1, Instr::Plain(op1), c2] = prev else {
        return None;
    };
    let op1 = *op1;
    let additive = |op: Op| match op {
        Op::I32Add | Op::I32Sub => Some(false),
        Op::I64Add | Op::I64Sub => Some(true),
        _ => None,
    };
    if let (Some(w1), Some(w2)) = (additive(op1), additive(op2)) {
        if w1 != w2 {
            return None;
        }
        let (c1, c2) = (const_bits(c1, w1)?, const_bits(c2, w1)?);
        let signed = |c: u64, op: Op| {
            if matches!(op, Op::I32Sub | Op::I64Sub) {
                c.wrapping_neg()
            } else {
                c
            }
        };
        let sum = signed(c1, op1).wrapping_add(signed(c2, op2));
        let add = if w1 { Op::I64Add } else { Op::I32Add };
        return Some((make_const(sum, w1), add));
    }
    let (wide, f) = assoc(op2)?;
    if op1 != op2 {
        return None;
    }
    let (c1, c2) = (const_bits(c1, wide)?, const_bits(c2, wide)?);
    Some((make_const(f(c1, c2), wide), op2))
}

/// Rewrites one body; returns whether it changed.
pub fn combine(body: &mut Vec<Instr>) -> bool {
    let input = std::mem::take(body);
    let mut out: Vec<Instr> = Vec::with_capacity(input.len());
    let mut changed = false;
    for ins in input {
        changed |= push(&mut out, ins);
    }
    *body = out;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, func, ins, module};

    /// Runs the pass on a one-function module with a memory; the new body.
    fn run(sig: &str, src: &str) -> Vec<Instr> {
        let mut m = module(&[sig], vec![func(0, "", src)]);
        m.memories.push(wtool_ast::MemoryType {
            limits: wtool_ast::Limits { min: 1, max: None },
            shared: false,
            index64: false,
            page_size_log2: None,
        });
        CombineInstructions.run(&mut m, &crate::PassOptions::default());
        assert_valid(&m);
        m.funcs[0].body.instrs.clone()
    }

    #[test]
    fn comparisons_flip_under_eqz() {
        assert_eq!(
            run("i32 i32 -> i32", "local.get 0 local.get 1 i32.lt_s i32.eqz"),
            ins("local.get 0 local.get 1 i32.ge_s")
        );
        assert_eq!(
            run("i64 i64 -> i32", "local.get 0 local.get 1 i64.ne i32.eqz"),
            ins("local.get 0 local.get 1 i64.eq")
        );
        assert_eq!(
            run("f32 f32 -> i32", "local.get 0 local.get 1 f32.eq i32.eqz"),
            ins("local.get 0 local.get 1 f32.ne")
        );
        // NaN: `!(a < b)` is not `a >= b`.
        let src = "local.get 0 local.get 1 f64.lt i32.eqz";
        assert_eq!(run("f64 f64 -> i32", src), ins(src));
        // clang -O0's `!(a != b)`, and `b ^ 1`.
        assert_eq!(
            run(
                "i32 i32 -> i32",
                "local.get 0 local.get 1 i32.ne i32.const -1 i32.xor i32.const 1 i32.and"
            ),
            ins("local.get 0 local.get 1 i32.eq")
        );
        assert_eq!(
            run(
                "i32 i32 -> i32",
                "local.get 0 local.get 1 i32.gt_u i32.const 1 i32.xor"
            ),
            ins("local.get 0 local.get 1 i32.le_u")
        );
        assert_eq!(
            run("i32 -> i32", "local.get 0 i32.eqz i32.const 1 i32.xor"),
            ins("local.get 0 i32.eqz i32.eqz")
        );
    }

    #[test]
    fn constant_chains() {
        assert_eq!(
            run(
                "i32 -> i32",
                "local.get 0 i32.const -1 i32.xor i32.const -1 i32.xor"
            ),
            ins("local.get 0")
        );
        assert_eq!(
            run(
                "i32 -> i32",
                "local.get 0 i32.const 12 i32.and i32.const 6 i32.and"
            ),
            ins("local.get 0 i32.const 4 i32.and")
        );
        assert_eq!(
            run(
                "i32 -> i32",
                "local.get 0 i32.const 5 i32.sub i32.const 3 i32.add"
            ),
            ins("local.get 0 i32.const -2 i32.add")
        );
        assert_eq!(
            run(
                "i64 -> i64",
                "local.get 0 i64.const 3 i64.mul i64.const 5 i64.mul"
            ),
            ins("local.get 0 i64.const 15 i64.mul")
        );
        assert_eq!(
            run(
                "i32 -> i32",
                "local.get 0 i32.const 7 i32.add i32.const 7 i32.sub"
            ),
            ins("local.get 0")
        );
        // Different ops, or a shift: no chain.
        for src in [
            "local.get 0 i32.const 3 i32.and i32.const 5 i32.or",
            "local.get 0 i32.const 3 i32.shl i32.const 5 i32.shl",
        ] {
            assert_eq!(run("i32 -> i32", src), ins(src), "{src}");
        }
    }

    #[test]
    fn masks_that_keep_every_possible_bit() {
        assert_eq!(
            run(
                "i32 -> i32",
                "local.get 0 i32.load8_u i32.const 255 i32.and"
            ),
            ins("local.get 0 i32.load8_u")
        );
        assert_eq!(
            run(
                "i32 -> i32",
                "local.get 0 i32.load16_u i32.const -1 i32.and"
            ),
            ins("local.get 0 i32.load16_u")
        );
        assert_eq!(
            run(
                "i32 -> i32",
                "local.get 0 i32.const 24 i32.shr_u i32.const 255 i32.and"
            ),
            ins("local.get 0 i32.const 24 i32.shr_u")
        );
        assert_eq!(
            run(
                "i32 i32 -> i32",
                "local.get 0 local.get 1 i32.lt_u i32.const 3 i32.and"
            ),
            ins("local.get 0 local.get 1 i32.lt_u")
        );
        // A narrower mask, or a signed load, keeps its `and`.
        for src in [
            "local.get 0 i32.load8_u i32.const 127 i32.and",
            "local.get 0 i32.load8_s i32.const 255 i32.and",
            "local.get 0 i32.const 23 i32.shr_u i32.const 255 i32.and",
        ] {
            assert_eq!(run("i32 -> i32", src), ins(src), "{src}");
        }
    }

    #[test]
    fn narrow_loads_and_stores() {
        assert_eq!(
            run(
                "i32 i64 ->",
                "local.get 0 local.get 1 i32.wrap_i64 i32.store8"
            ),
            ins("local.get 0 local.get 1 i64.store8")
        );
        assert_eq!(
            run("i32 -> i64", "local.get 0 i32.load i64.extend_i32_u"),
            ins("local.get 0 i64.load32_u")
        );
        assert_eq!(
            run("i32 -> i64", "local.get 0 i32.load16_u i64.extend_i32_s"),
            ins("local.get 0 i64.load16_u")
        );
        assert_eq!(
            run("i32 -> i32", "local.get 0 i32.load8_u i32.extend8_s"),
            ins("local.get 0 i32.load8_s")
        );
        // Sign- then zero-extension, or an extension of another width: no single load.
        for src in [
            "local.get 0 i32.load8_s i64.extend_i32_u",
            "local.get 0 i32.load16_u i32.extend8_s i64.extend_i32_u",
        ] {
            assert_eq!(run("i32 -> i64", src), ins(src), "{src}");
        }
    }
}

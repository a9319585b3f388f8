//! Wide arithmetic (`i64.add128`, `i64.sub128`, `i64.mul_wide_{s,u}`): two
//! results each, in stack form, computed by `wtool-numerics` so that the
//! optimizer's folder agrees.

use wtool_ast::Op;
use wtool_numerics::scalar;

use crate::exec::M;
use crate::trap::TrapKind;

/// Runs wide-arithmetic `op` on the operands below `sp`; returns the new top
/// (the low half of the result, then the high half).
pub(crate) fn exec(op: Op, stack: &mut [u64], sp: usize) -> Result<usize, TrapKind> {
    let s = |k: usize| stack[(sp - k) & M];
    let (base, (lo, hi)) = match op {
        Op::I64Add128 => (sp - 4, scalar::i64_add128(s(4), s(3), s(2), s(1))),
        Op::I64Sub128 => (sp - 4, scalar::i64_sub128(s(4), s(3), s(2), s(1))),
        Op::I64MulWideS => (sp - 2, scalar::i64_mul_wide_s(s(2), s(1))),
        Op::I64MulWideU => (sp - 2, scalar::i64_mul_wide_u(s(2), s(1))),
        _ => return Err(TrapKind::UnsupportedOperator),
    };
    stack[base & M] = lo;
    stack[(base + 1) & M] = hi;
    Ok(base + 2)
}

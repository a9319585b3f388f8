//! Register-form loads and stores on a 64-bit memory 0 (memory64): the
//! address operand is an i64 slot and the offset 64 bits. No address
//! fusion: the 32-bit forms' fused sums wrap at 32 bits.

use wtool_ast::Op;
use wtool_ast::ValType::I64;

use super::{CompileError, Compiler, Src};
use crate::ins::Ins;

/// The register load for `op` on a 64-bit memory 0.
fn load(op: Op, d: u32, a: u32, offset: u64) -> Option<Ins> {
    Some(match op {
        Op::I32Load | Op::F32Load | Op::I64Load32U => Ins::Mem64Load4U { d, a, offset },
        Op::I64Load | Op::F64Load => Ins::Mem64Load8 { d, a, offset },
        Op::I32Load8U | Op::I64Load8U => Ins::Mem64Load1U { d, a, offset },
        Op::I32Load16U | Op::I64Load16U => Ins::Mem64Load2U { d, a, offset },
        Op::I32Load8S => Ins::Mem64Load1S32 { d, a, offset },
        Op::I32Load16S => Ins::Mem64Load2S32 { d, a, offset },
        Op::I64Load8S => Ins::Mem64Load1S64 { d, a, offset },
        Op::I64Load16S => Ins::Mem64Load2S64 { d, a, offset },
        Op::I64Load32S => Ins::Mem64Load4S64 { d, a, offset },
        _ => return None,
    })
}

/// The register store for `op` on a 64-bit memory 0.
fn store(op: Op, a: u32, v: u32, offset: u64) -> Option<Ins> {
    Some(match op {
        Op::I32Store8 | Op::I64Store8 => Ins::Mem64Store1 { a, v, offset },
        Op::I32Store16 | Op::I64Store16 => Ins::Mem64Store2 { a, v, offset },
        Op::I32Store | Op::F32Store | Op::I64Store32 => Ins::Mem64Store4 { a, v, offset },
        Op::I64Store | Op::F64Store => Ins::Mem64Store8 { a, v, offset },
        _ => return None,
    })
}

impl Compiler<'_> {
    /// Emits a scalar load or store on a 64-bit memory 0 in register form;
    /// false when `op` has none (SIMD, atomics), which stay in stack form.
    pub(super) fn mem64_op(&mut self, op: Op, offset: u64) -> Result<bool, CompileError> {
        let info = op.info();
        if load(op, 0, 0, 0).is_some() {
            let a = self.pop_expect(I64)?;
            let d = a.pos;
            let ra = self.reg(a);
            if let Some(i) = load(op, d, ra, offset) {
                self.emit_def(i);
            }
            self.push(info.results[0], Src::Stack);
            return Ok(true);
        }
        if store(op, 0, 0, 0).is_none() {
            return Ok(false);
        }
        let v = self.pop_expect(info.params[1])?;
        let a = self.pop_expect(I64)?;
        let ra = self.reg(a);
        let rv = self.reg(v);
        if let Some(i) = store(op, ra, rv, offset) {
            self.emit(i);
        }
        Ok(true)
    }
}

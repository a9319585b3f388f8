//! Compiling memory instructions: register-form loads and stores on a
//! 32-bit memory 0 (with fused addresses), the rest in stack form. A
//! memory64 memory's addresses are i64 operands; the stack forms read them
//! at the width of the memory's type.

use wtool_ast::Op;
use wtool_ast::ValType::{self, I32, I64};

use super::{CompileError, Compiler, Entry, Src};
use crate::forms;
use crate::ins::Ins;

impl Compiler<'_> {
    /// The address type of memory `m` (module index).
    pub(super) fn mem_addr_type(&self, m: u32) -> ValType {
        match self.info.mem64.get(m as usize) {
            Some(true) => I64,
            _ => I32,
        }
    }

    /// `memory.size`.
    pub(super) fn memory_size(&mut self, m: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.memories as usize, *m, "unknown memory")?;
        let at = self.mem_addr_type(*m);
        self.stack_op(&[], &[at], &[Ins::MemorySize(a)])?;
        Ok(())
    }

    /// `memory.grow`.
    pub(super) fn memory_grow(&mut self, m: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.memories as usize, *m, "unknown memory")?;
        let at = self.mem_addr_type(*m);
        self.stack_op(&[at], &[at], &[Ins::MemoryGrow(a)])?;
        Ok(())
    }

    /// `memory.fill`.
    pub(super) fn memory_fill(&mut self, m: &u32) -> Result<(), CompileError> {
        let a = self.addr(self.info.memories as usize, *m, "unknown memory")?;
        let at = self.mem_addr_type(*m);
        self.stack_op(&[at, I32, at], &[], &[Ins::MemoryFill(a)])?;
        Ok(())
    }

    /// `memory.copy`: the count is i64 only when both memories are 64-bit.
    pub(super) fn memory_copy(&mut self, dst: &u32, src: &u32) -> Result<(), CompileError> {
        let d = self.addr(self.info.memories as usize, *dst, "unknown memory")?;
        let s = self.addr(self.info.memories as usize, *src, "unknown memory")?;
        let (dt, st) = (self.mem_addr_type(*dst), self.mem_addr_type(*src));
        let nt = if dt == I64 && st == I64 { I64 } else { I32 };
        self.stack_op(&[dt, st, nt], &[], &[Ins::MemoryCopy { dst: d, src: s }])?;
        Ok(())
    }

    /// `memory.init`.
    pub(super) fn memory_init(&mut self, data: &u32, mem: &u32) -> Result<(), CompileError> {
        let m = self.addr(self.info.memories as usize, *mem, "unknown memory")?;
        let d = self.addr(self.module.datas.len(), *data, "unknown data segment")?;
        let at = self.mem_addr_type(*mem);
        self.stack_op(&[at, I32, I32], &[], &[Ins::MemoryInit { mem: m, data: d }])?;
        Ok(())
    }

    /// `data.drop`.
    pub(super) fn data_drop(&mut self, d: &u32) -> Result<(), CompileError> {
        let d = self.addr(self.module.datas.len(), *d, "unknown data segment")?;
        self.emit(Ins::DataDrop(d));
        Ok(())
    }

    /// The operand types of a memory access `op` on a memory whose address
    /// type is `at` (the opcode table lists the i32 address).
    fn mem_params(op: Op, at: ValType) -> ([ValType; 3], usize) {
        let p = op.info().params;
        let mut out = [I32; 3];
        for (o, &t) in out.iter_mut().zip(p) {
            *o = t;
        }
        out[0] = at;
        (out, p.len().min(3))
    }

    /// A load or store.
    pub(super) fn mem(&mut self, op: &Op, m: &wtool_ast::MemArg) -> Result<(), CompileError> {
        let info = op.info();
        let at = self.mem_addr_type(m.memory);
        let (params, np) = Self::mem_params(*op, at);
        let offset = match u32::try_from(m.offset) {
            Ok(o) => o as u64,
            Err(_) if at == I64 => m.offset,
            Err(_) => {
                // An offset beyond any 32-bit memory: always out of bounds.
                self.pop_types(&params[..np])?;
                self.emit(Ins::TrapMemOob);
                for &r in info.results {
                    self.push(r, Src::Stack);
                }
                return Ok(());
            }
        };
        let mem = self.addr(self.info.memories as usize, m.memory, "unknown memory")?;
        if Some(mem) == self.mem0 && self.mem_op(*op, offset as u32)? {
            return Ok(());
        }
        if mem == 0 && at == I64 && self.mem64_op(*op, offset)? {
            return Ok(());
        }
        self.stack_op(
            &params[..np],
            info.results,
            &[Ins::Mem {
                op: *op,
                mem,
                offset,
            }],
        )?;
        Ok(())
    }

    /// `v128.{load,store}N_lane`.
    pub(super) fn mem_lane(&mut self, ml: &wtool_ast::MemLane) -> Result<(), CompileError> {
        let info = ml.op.info();
        let mem = self.addr(
            self.info.memories as usize,
            ml.memarg.memory,
            "unknown memory",
        )?;
        let at = self.mem_addr_type(ml.memarg.memory);
        let (params, np) = Self::mem_params(ml.op, at);
        if at == I32 && ml.memarg.offset > u32::MAX as u64 {
            self.pop_types(&params[..np])?;
            self.emit(Ins::TrapMemOob);
            for &r in info.results {
                self.push(r, Src::Stack);
            }
            return Ok(());
        }
        self.stack_op(
            &params[..np],
            info.results,
            &[
                Ins::MemLane {
                    op: ml.op,
                    lane: ml.lane,
                    mem,
                },
                Ins::Imm(ml.memarg.offset),
            ],
        )?;
        Ok(())
    }

    /// Emits a scalar load or store on memory 0 in register form; false
    /// when `op` has none (SIMD).
    pub(super) fn mem_op(&mut self, op: Op, offset: u32) -> Result<bool, CompileError> {
        let info = op.info();
        if forms::load(op, 0, 0, 0).is_some() {
            let a = self.pop_expect(ValType::I32)?;
            let d = a.pos;
            if let Src::Const(k) = a.src {
                if let Some(i) = forms::load_abs(op, d, k + u64::from(offset)) {
                    self.emit_def(i);
                    self.push(info.results[0], Src::Stack);
                    return Ok(true);
                }
            }
            let fused = self
                .addr_of(&a, offset)
                .and_then(|addr| forms::load_at(op, d, addr));
            let ins = match fused {
                Some(i) => {
                    self.drop_last();
                    Some(i)
                }
                None => {
                    let ra = self.reg(a);
                    forms::load(op, d, ra, offset)
                }
            };
            if let Some(i) = ins {
                self.emit_def(i);
            }
            self.push(info.results[0], Src::Stack);
            return Ok(true);
        }
        if forms::store(op, 0, 0, 0).is_none() {
            return Ok(false);
        }
        let v = self.pop_expect(info.params[1])?;
        let a = self.pop_expect(ValType::I32)?;
        // Only values that need no code of their own: writing one to its
        // slot could overwrite an operand of the removed address sum.
        let fused = self
            .addr_of(&a, offset)
            .and_then(|addr| match (v.src, addr) {
                (Src::Local(x), _) => forms::store_at(op, addr, x),
                (Src::Const(k), forms::Addr::Sum(x, y)) if op == Op::I32Store8 => {
                    Some(Ins::I32Store8IAA {
                        x,
                        y,
                        imm: k as u32,
                    })
                }
                _ => None,
            });
        if let Some(i) = fused {
            self.drop_last();
            self.emit(i);
            return Ok(true);
        }
        if let Src::Const(k) = a.src {
            if forms::store_abs(op, 0, 0).is_some() {
                let rv = self.reg(v);
                if let Some(i) = forms::store_abs(op, rv, k + u64::from(offset)) {
                    self.emit(i);
                }
                return Ok(true);
            }
        }
        let ra = self.reg(a);
        let imm = match v.src {
            Src::Const(k) => forms::store_imm(op, ra, k as u32, offset),
            _ => None,
        };
        let ins = match imm {
            Some(i) => Some(i),
            None => {
                let rv = self.reg(v);
                forms::store(op, ra, rv, offset)
            }
        };
        if let Some(i) = ins {
            self.emit(i);
        }
        Ok(true)
    }

    /// The address sum that just computed popped entry `a`, when the access
    /// has no offset of its own and so can take the sum over.
    pub(super) fn addr_of(&mut self, a: &Entry, offset: u32) -> Option<forms::Addr> {
        if offset != 0 {
            return None;
        }
        let at = self.def_of(a)?;
        forms::Addr::of(self.code[at])
    }
}

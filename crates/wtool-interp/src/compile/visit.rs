//! The AST-facing part of the compiler: the walk over a body and the one
//! match over `Instr`, which hands each instruction to its family's method
//! (`control`, `variable`, `memory`, `table`, `numeric`). Nothing else in
//! the compiler looks at `Instr`.

use wtool_ast::{Expr, Instr};

use super::{CompileError, Compiler, Kind};

impl Compiler<'_> {
    pub(super) fn body(&mut self, e: &Expr) -> Result<(), CompileError> {
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

    /// Compiles one reachable instruction.
    pub(super) fn instr(&mut self, ins: &Instr) -> Result<(), CompileError> {
        match ins {
            Instr::Unreachable => self.unreachable_()?,
            Instr::Nop => {}
            Instr::Block(bt) => self.block(Kind::Block, bt)?,
            Instr::Loop(bt) => self.block(Kind::Loop, bt)?,
            Instr::If(bt) => self.block(Kind::If, bt)?,
            Instr::Else => self.else_()?,
            Instr::End => self.end()?,
            Instr::Br(l) => self.br(l)?,
            Instr::BrIf(l) => self.br_if(l)?,
            Instr::BrTable(bt) => self.br_table(&bt.targets, bt.default)?,
            Instr::Return => self.return_()?,
            Instr::Call(f) => self.call(f)?,
            Instr::CallIndirect { type_idx, table } => self.call_indirect(type_idx, table)?,
            Instr::Drop => self.drop_()?,
            Instr::Select | Instr::SelectT(_) => self.select()?,
            Instr::LocalGet(i) => self.local_get(i)?,
            Instr::LocalSet(i) => self.local_set(i, false)?,
            Instr::LocalTee(i) => self.local_set(i, true)?,
            Instr::GlobalGet(g) => self.global_get(g)?,
            Instr::GlobalSet(g) => self.global_set(g)?,
            Instr::TableGet(t) => self.table_get(t)?,
            Instr::TableSet(t) => self.table_set(t)?,
            Instr::TableSize(t) => self.table_size(t)?,
            Instr::TableGrow(t) => self.table_grow(t)?,
            Instr::TableFill(t) => self.table_fill(t)?,
            Instr::TableCopy {
                dst_table,
                src_table,
            } => self.table_copy(dst_table, src_table)?,
            Instr::TableInit { elem, table } => self.table_init(elem, table)?,
            Instr::ElemDrop(e) => self.elem_drop(e)?,
            Instr::MemorySize(m) => self.memory_size(m)?,
            Instr::MemoryGrow(m) => self.memory_grow(m)?,
            Instr::MemoryFill(m) => self.memory_fill(m)?,
            Instr::MemoryCopy {
                dst_memory,
                src_memory,
            } => self.memory_copy(dst_memory, src_memory)?,
            Instr::MemoryInit { data, memory } => self.memory_init(data, memory)?,
            Instr::DataDrop(d) => self.data_drop(d)?,
            Instr::I32Const(v) => self.i32_const(v)?,
            Instr::I64Const(v) => self.i64_const(v)?,
            Instr::F32Const(v) => self.f32_const(v)?,
            Instr::F64Const(v) => self.f64_const(v)?,
            Instr::V128Const(b) => self.v128_const(b)?,
            Instr::I8x16Shuffle(b) => self.shuffle(b)?,
            Instr::RefNull(h) => self.ref_null(h)?,
            Instr::RefIsNull => self.ref_is_null()?,
            Instr::RefFunc(f) => self.ref_func(f)?,
            Instr::Plain(op) => self.plain(*op)?,
            Instr::Mem(op, m) => self.mem(op, m)?,
            Instr::Lane(op, l) => self.lane(op, l)?,
            Instr::MemLane(ml) => self.mem_lane(ml)?,
            // WebAssembly 3.0 instructions the validator does not accept yet
            // (it answers "not supported yet"), so valid input never gets here.
            other => return Err(self.err(&format!("not supported yet: {}", other.mnemonic()))),
        }
        Ok(())
    }
}

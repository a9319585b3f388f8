//! The AST-facing part of the compiler: the walk over a body and the
//! compiler's [`InstrVisitor`], which hands each instruction to its
//! family's method (`control`, `variable`, `memory`, `table`, `numeric`).
//! Nothing else in the compiler looks at `Instr`, and because the visitor
//! trait is generated from the instruction table with no default methods, a
//! new row is a compile error here until the interpreter says what it means.

use wtool_ast::{
    BlockType, BrCast, BrTable, Catch, Expr, HeapType, Instr, InstrVisitor, MemArg, MemLane, Op,
    RefType, ValType,
};

use super::{CompileError, CompileErrorKind, Compiler, Kind};

impl Compiler<'_> {
    pub(super) fn body(&mut self, e: &Expr) -> Result<(), CompileError> {
        for (i, ins) in e.instrs.iter().enumerate() {
            if let Some(o) = e.offset_of(i) {
                self.cur_offset = o;
            }
            if self.frames.is_empty() {
                return Err(self.err("operators remaining after end of function"));
            }
            if self.unreachable && self.skipped(ins) {
                continue;
            }
            ins.visit(self)?;
        }
        self.finished()
    }

    /// [`Self::body`] straight from the binary: each instruction is decoded
    /// into the compiler's visitor methods, with no `Instr` in between,
    /// except in unreachable code, which is skipped by looking at it.
    pub(super) fn stream(
        &mut self,
        mut rd: wtool_binary::BodyReader<'_>,
    ) -> Result<(), CompileError> {
        loop {
            self.cur_offset = rd.offset() as u32;
            if self.frames.is_empty() {
                // The reader checks that the final `end` closes the body.
                return match rd.read() {
                    Ok(None) => Ok(()),
                    Ok(Some(_)) => Err(self.err("operators remaining after end of function")),
                    Err(e) => Err(self.decode_error(e)),
                };
            }
            if self.unreachable {
                let Some((_, ins)) = rd.read().map_err(|e| self.decode_error(e))? else {
                    break;
                };
                if !self.skipped(&ins) {
                    ins.visit(self)?;
                }
                continue;
            }
            match rd.read_visit(self).map_err(|e| self.decode_error(e))? {
                Some((_, r)) => r?,
                None => break,
            }
        }
        self.finished()
    }

    /// In unreachable code: whether `ins` is skipped (only the `end`,
    /// `else`, `catch` or `delegate` that leaves the unreachable part is
    /// compiled; blocks inside it are counted to find that one).
    fn skipped(&mut self, ins: &Instr) -> bool {
        match ins {
            Instr::Block(_)
            | Instr::Loop(_)
            | Instr::If(_)
            | Instr::TryTable(_)
            | Instr::Try(_) => {
                self.skip_depth += 1;
                true
            }
            Instr::End | Instr::Else | Instr::Catch(_) | Instr::CatchAll | Instr::Delegate(_)
                if self.skip_depth > 0 =>
            {
                if matches!(ins, Instr::End | Instr::Delegate(_)) {
                    self.skip_depth -= 1;
                }
                true
            }
            Instr::End | Instr::Else | Instr::Catch(_) | Instr::CatchAll | Instr::Delegate(_) => {
                false
            }
            _ => true,
        }
    }

    /// A decoding error of the body being read.
    #[cold]
    fn decode_error(&self, e: wtool_binary::DecodeError) -> CompileError {
        self.error(CompileErrorKind::Body(std::sync::Arc::new(e)))
    }

    /// The checks after the last instruction.
    fn finished(&self) -> Result<(), CompileError> {
        if !self.frames.is_empty() {
            return Err(self.err("unexpected end"));
        }
        Ok(())
    }

    /// An instruction the interpreter does not execute yet. The validator
    /// refuses these first, so only unvalidated input gets here.
    #[cold]
    fn unsupported(&self, mnemonic: &'static str) -> Result<(), CompileError> {
        Err(self.error(CompileErrorKind::Unsupported(mnemonic)))
    }
}

/// Instructions of WebAssembly 3.0 that the interpreter does not execute
/// yet, each answered with its mnemonic.
macro_rules! not_yet {
    ($($name:ident($($arg:ident: $ty:ty),*) => $mnemonic:literal;)*) => {
        $(
            fn $name(&mut self, $($arg: $ty),*) -> Self::Output {
                $(let _ = $arg;)*
                self.unsupported($mnemonic)
            }
        )*
    };
}

impl InstrVisitor for Compiler<'_> {
    type Output = Result<(), CompileError>;

    fn visit_unreachable(&mut self) -> Self::Output {
        self.unreachable_()
    }
    fn visit_nop(&mut self) -> Self::Output {
        Ok(())
    }
    fn visit_block(&mut self, block_type: BlockType) -> Self::Output {
        self.block(Kind::Block, &block_type)
    }
    fn visit_loop(&mut self, block_type: BlockType) -> Self::Output {
        self.block(Kind::Loop, &block_type)
    }
    fn visit_if(&mut self, block_type: BlockType) -> Self::Output {
        self.block(Kind::If, &block_type)
    }
    fn visit_else(&mut self) -> Self::Output {
        self.else_()
    }
    fn visit_end(&mut self) -> Self::Output {
        self.end_any()
    }
    fn visit_br(&mut self, label: u32) -> Self::Output {
        self.br(&label)
    }
    fn visit_br_if(&mut self, label: u32) -> Self::Output {
        self.br_if(&label)
    }
    fn visit_br_table(&mut self, labels: &BrTable) -> Self::Output {
        self.br_table(&labels.targets, labels.default)
    }
    fn visit_return(&mut self) -> Self::Output {
        self.return_()
    }
    fn visit_call(&mut self, func: u32) -> Self::Output {
        self.call(&func)
    }
    fn visit_call_indirect(&mut self, type_idx: u32, table: u32) -> Self::Output {
        self.table_index32(table)?;
        self.call_indirect(&type_idx, &table)
    }
    fn visit_return_call(&mut self, func: u32) -> Self::Output {
        self.return_call(func)
    }
    fn visit_return_call_indirect(&mut self, type_idx: u32, table: u32) -> Self::Output {
        self.table_index32(table)?;
        self.return_call_indirect(type_idx, table)
    }
    fn visit_call_ref(&mut self, type_idx: u32) -> Self::Output {
        self.call_ref(type_idx, false)
    }
    fn visit_return_call_ref(&mut self, type_idx: u32) -> Self::Output {
        self.call_ref(type_idx, true)
    }
    fn visit_throw(&mut self, tag: u32) -> Self::Output {
        self.throw(tag)
    }
    fn visit_throw_ref(&mut self) -> Self::Output {
        self.throw_ref()
    }
    fn visit_try_table(&mut self, block_type: BlockType, catches: &[Catch]) -> Self::Output {
        self.try_table(block_type, catches)
    }
    fn visit_try(&mut self, block_type: BlockType) -> Self::Output {
        self.try_(block_type)
    }
    fn visit_catch(&mut self, tag: u32) -> Self::Output {
        self.catch(Some(tag))
    }
    fn visit_catch_all(&mut self) -> Self::Output {
        self.catch(None)
    }
    fn visit_delegate(&mut self, label: u32) -> Self::Output {
        self.delegate(label)
    }
    fn visit_rethrow(&mut self, label: u32) -> Self::Output {
        self.rethrow(label)
    }
    fn visit_ref_as_non_null(&mut self) -> Self::Output {
        self.ref_as_non_null()
    }
    fn visit_br_on_null(&mut self, label: u32) -> Self::Output {
        self.br_on_null(label)
    }
    fn visit_br_on_non_null(&mut self, label: u32) -> Self::Output {
        self.br_on_non_null(label)
    }
    fn visit_drop(&mut self) -> Self::Output {
        self.drop_()
    }
    fn visit_select(&mut self) -> Self::Output {
        self.select()
    }
    fn visit_select_t(&mut self, _result_types: &[ValType]) -> Self::Output {
        // The typed form differs only for validation.
        self.select()
    }
    fn visit_local_get(&mut self, local: u32) -> Self::Output {
        self.local_get(&local)
    }
    fn visit_local_set(&mut self, local: u32) -> Self::Output {
        self.local_set(&local, false)
    }
    fn visit_local_tee(&mut self, local: u32) -> Self::Output {
        self.local_set(&local, true)
    }
    fn visit_global_get(&mut self, global: u32) -> Self::Output {
        self.global_get(&global)
    }
    fn visit_global_set(&mut self, global: u32) -> Self::Output {
        self.global_set(&global)
    }
    fn visit_table_get(&mut self, table: u32) -> Self::Output {
        self.table_get(&table)
    }
    fn visit_table_set(&mut self, table: u32) -> Self::Output {
        self.table_set(&table)
    }
    fn visit_table_init(&mut self, elem: u32, table: u32) -> Self::Output {
        self.table_init(&elem, &table)
    }
    fn visit_elem_drop(&mut self, elem: u32) -> Self::Output {
        self.elem_drop(&elem)
    }
    fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) -> Self::Output {
        self.table_copy(&dst_table, &src_table)
    }
    fn visit_table_grow(&mut self, table: u32) -> Self::Output {
        self.table_grow(&table)
    }
    fn visit_table_size(&mut self, table: u32) -> Self::Output {
        self.table_size(&table)
    }
    fn visit_table_fill(&mut self, table: u32) -> Self::Output {
        self.table_fill(&table)
    }
    fn visit_memory_size(&mut self, memory: u32) -> Self::Output {
        self.memory_size(&memory)
    }
    fn visit_memory_grow(&mut self, memory: u32) -> Self::Output {
        self.memory_grow(&memory)
    }
    fn visit_memory_init(&mut self, data: u32, memory: u32) -> Self::Output {
        self.memory_init(&data, &memory)
    }
    fn visit_data_drop(&mut self, data: u32) -> Self::Output {
        self.data_drop(&data)
    }
    fn visit_memory_copy(&mut self, dst_memory: u32, src_memory: u32) -> Self::Output {
        self.memory_copy(&dst_memory, &src_memory)
    }
    fn visit_memory_fill(&mut self, memory: u32) -> Self::Output {
        self.memory_fill(&memory)
    }
    fn visit_i32_const(&mut self, value: i32) -> Self::Output {
        self.i32_const(&value)
    }
    fn visit_i64_const(&mut self, value: i64) -> Self::Output {
        self.i64_const(&value)
    }
    fn visit_f32_const(&mut self, value: u32) -> Self::Output {
        self.f32_const(&value)
    }
    fn visit_f64_const(&mut self, value: u64) -> Self::Output {
        self.f64_const(&value)
    }
    fn visit_v128_const(&mut self, value: &[u8; 16]) -> Self::Output {
        self.v128_const(value)
    }
    fn visit_i8x16_shuffle(&mut self, lanes: &[u8; 16]) -> Self::Output {
        self.shuffle(lanes)
    }
    fn visit_ref_null(&mut self, heap_type: HeapType) -> Self::Output {
        self.ref_null(&heap_type)
    }
    fn visit_ref_is_null(&mut self) -> Self::Output {
        self.ref_is_null()
    }
    fn visit_ref_func(&mut self, func: u32) -> Self::Output {
        self.ref_func(&func)
    }
    fn visit_atomic_fence(&mut self) -> Self::Output {
        // A single-threaded store has no other accesses to order.
        Ok(())
    }
    fn visit_op(&mut self, op: Op) -> Self::Output {
        self.plain(op)
    }
    fn visit_mem_op(&mut self, op: Op, memarg: MemArg) -> Self::Output {
        self.mem(&op, &memarg)
    }
    fn visit_lane_op(&mut self, op: Op, lane: u8) -> Self::Output {
        self.lane(&op, &lane)
    }
    fn visit_mem_lane_op(&mut self, op: Op, memarg: MemArg, lane: u8) -> Self::Output {
        self.mem_lane(&MemLane { op, memarg, lane })
    }

    fn visit_ref_eq(&mut self) -> Self::Output {
        self.ref_eq()
    }
    fn visit_struct_new(&mut self, type_idx: u32) -> Self::Output {
        self.struct_new(type_idx, false)
    }
    fn visit_struct_new_default(&mut self, type_idx: u32) -> Self::Output {
        self.struct_new(type_idx, true)
    }
    fn visit_struct_get(&mut self, type_idx: u32, field: u32) -> Self::Output {
        self.struct_get(type_idx, field, false)
    }
    fn visit_struct_get_s(&mut self, type_idx: u32, field: u32) -> Self::Output {
        self.struct_get(type_idx, field, true)
    }
    fn visit_struct_get_u(&mut self, type_idx: u32, field: u32) -> Self::Output {
        self.struct_get(type_idx, field, false)
    }
    fn visit_struct_set(&mut self, type_idx: u32, field: u32) -> Self::Output {
        self.struct_set(type_idx, field)
    }
    fn visit_array_new(&mut self, type_idx: u32) -> Self::Output {
        self.array_new(type_idx, false)
    }
    fn visit_array_new_default(&mut self, type_idx: u32) -> Self::Output {
        self.array_new(type_idx, true)
    }
    fn visit_array_new_fixed(&mut self, type_idx: u32, size: u32) -> Self::Output {
        self.array_new_fixed(type_idx, size)
    }
    fn visit_array_new_data(&mut self, type_idx: u32, data: u32) -> Self::Output {
        self.array_new_data(type_idx, data)
    }
    fn visit_array_new_elem(&mut self, type_idx: u32, elem: u32) -> Self::Output {
        self.array_new_elem(type_idx, elem)
    }
    fn visit_array_get(&mut self, type_idx: u32) -> Self::Output {
        self.array_get(type_idx, false)
    }
    fn visit_array_get_s(&mut self, type_idx: u32) -> Self::Output {
        self.array_get(type_idx, true)
    }
    fn visit_array_get_u(&mut self, type_idx: u32) -> Self::Output {
        self.array_get(type_idx, false)
    }
    fn visit_array_set(&mut self, type_idx: u32) -> Self::Output {
        self.array_set(type_idx)
    }
    fn visit_array_len(&mut self) -> Self::Output {
        self.array_len()
    }
    fn visit_array_fill(&mut self, type_idx: u32) -> Self::Output {
        self.array_fill(type_idx)
    }
    fn visit_array_copy(&mut self, dst_type: u32, src_type: u32) -> Self::Output {
        self.array_copy(dst_type, src_type)
    }
    fn visit_array_init_data(&mut self, type_idx: u32, data: u32) -> Self::Output {
        self.array_init_data(type_idx, data)
    }
    fn visit_array_init_elem(&mut self, type_idx: u32, elem: u32) -> Self::Output {
        self.array_init_elem(type_idx, elem)
    }
    fn visit_ref_test(&mut self, ref_type: RefType) -> Self::Output {
        self.ref_test(ref_type)
    }
    fn visit_ref_cast(&mut self, ref_type: RefType) -> Self::Output {
        self.ref_cast(ref_type)
    }
    fn visit_br_on_cast(&mut self, cast: &BrCast) -> Self::Output {
        self.br_on_cast(cast, false)
    }
    fn visit_br_on_cast_fail(&mut self, cast: &BrCast) -> Self::Output {
        self.br_on_cast(cast, true)
    }
    fn visit_any_convert_extern(&mut self) -> Self::Output {
        self.convert_ref(HeapType::Any)
    }
    fn visit_extern_convert_any(&mut self) -> Self::Output {
        self.convert_ref(HeapType::Extern)
    }
    fn visit_ref_i31(&mut self) -> Self::Output {
        self.ref_i31()
    }
    fn visit_i31_get_s(&mut self) -> Self::Output {
        self.i31_get(true)
    }
    fn visit_i31_get_u(&mut self) -> Self::Output {
        self.i31_get(false)
    }

    not_yet! {
        visit_struct_new_desc(type_idx: u32) => "struct.new_desc";
        visit_struct_new_default_desc(type_idx: u32) => "struct.new_default_desc";
        visit_ref_get_desc(type_idx: u32) => "ref.get_desc";
        visit_ref_cast_desc_eq(ref_type: RefType) => "ref.cast_desc_eq";
        visit_br_on_cast_desc_eq(cast: &BrCast) => "br_on_cast_desc_eq";
        visit_br_on_cast_desc_eq_fail(cast: &BrCast) => "br_on_cast_desc_eq_fail";
    }
}

//! The validator's [`InstrVisitor`]: one method per instruction of the
//! table, each the typing rule of the spec's validation algorithm (the
//! families live in the sibling files). Instructions of proposals that are
//! not validated yet (custom descriptors) answer "not supported yet:
//! <feature>" once their proposal is enabled (and "… support is not
//! enabled" before).

use wtool_ast::{
    BlockType, BrCast, BrTable, Catch, Features, HeapType, InstrVisitor, MemArg, Op, OpKind,
    RefType, ValType,
};

use super::{FrameKind, Validator};
use crate::error::ErrorKind;
use crate::features::require;
use crate::module::ModuleInfo;
use crate::types::Ty;

/// One instruction's check: the validator with its module context.
pub(super) struct Step<'v, 'i, 'm> {
    pub v: &'v mut Validator,
    pub info: &'i ModuleInfo<'m>,
}

impl Step<'_, '_, '_> {
    /// An instruction of `feature` that is not validated yet.
    #[cold]
    fn unsupported(&self, feature: Features) -> Result<(), ErrorKind> {
        require(self.info.features, feature)?;
        Err(ErrorKind::Unsupported(
            feature.flag_name().unwrap_or("this proposal"),
        ))
    }
}

impl InstrVisitor for Step<'_, '_, '_> {
    type Output = Result<(), ErrorKind>;

    #[inline(always)]
    fn visit_unreachable(&mut self) -> Self::Output {
        self.v.set_unreachable();
        Ok(())
    }

    #[inline(always)]
    fn visit_nop(&mut self) -> Self::Output {
        Ok(())
    }

    #[inline(always)]
    fn visit_block(&mut self, block_type: BlockType) -> Self::Output {
        self.v.block(self.info, block_type, FrameKind::Block)
    }

    #[inline(always)]
    fn visit_loop(&mut self, block_type: BlockType) -> Self::Output {
        self.v.block(self.info, block_type, FrameKind::Loop)
    }

    #[inline(always)]
    fn visit_if(&mut self, block_type: BlockType) -> Self::Output {
        self.v.if_(self.info, block_type)
    }

    #[inline(always)]
    fn visit_else(&mut self) -> Self::Output {
        self.v.else_(self.info)
    }

    #[inline(always)]
    fn visit_end(&mut self) -> Self::Output {
        self.v.end(self.info)
    }

    #[inline(always)]
    fn visit_br(&mut self, label: u32) -> Self::Output {
        self.v.br(self.info, label)
    }

    #[inline(always)]
    fn visit_br_if(&mut self, label: u32) -> Self::Output {
        self.v.br_if(self.info, label)
    }

    #[inline(always)]
    fn visit_br_table(&mut self, labels: &BrTable) -> Self::Output {
        self.v.br_table(self.info, labels)
    }

    #[inline(always)]
    fn visit_return(&mut self) -> Self::Output {
        self.v.return_(self.info)
    }

    #[inline(always)]
    fn visit_call(&mut self, func: u32) -> Self::Output {
        self.v.call(self.info, func)
    }

    #[inline(always)]
    fn visit_call_indirect(&mut self, type_idx: u32, table: u32) -> Self::Output {
        self.v.call_indirect(self.info, type_idx, table)
    }

    #[inline(always)]
    fn visit_return_call(&mut self, func: u32) -> Self::Output {
        self.v.return_call(self.info, func)
    }

    #[inline(always)]
    fn visit_return_call_indirect(&mut self, type_idx: u32, table: u32) -> Self::Output {
        self.v.return_call_indirect(self.info, type_idx, table)
    }

    #[inline(always)]
    fn visit_call_ref(&mut self, type_idx: u32) -> Self::Output {
        self.v.call_ref(self.info, type_idx)
    }

    #[inline(always)]
    fn visit_return_call_ref(&mut self, type_idx: u32) -> Self::Output {
        self.v.return_call_ref(self.info, type_idx)
    }

    #[inline(always)]
    fn visit_throw(&mut self, tag: u32) -> Self::Output {
        self.v.throw(self.info, tag)
    }

    #[inline(always)]
    fn visit_throw_ref(&mut self) -> Self::Output {
        self.v.throw_ref(self.info)
    }

    #[inline(always)]
    fn visit_try_table(&mut self, block_type: BlockType, catches: &[Catch]) -> Self::Output {
        self.v.try_table(self.info, block_type, catches)
    }

    #[inline(always)]
    fn visit_try(&mut self, block_type: BlockType) -> Self::Output {
        self.v.try_(self.info, block_type)
    }

    #[inline(always)]
    fn visit_catch(&mut self, tag: u32) -> Self::Output {
        self.v.catch(self.info, Some(tag))
    }

    #[inline(always)]
    fn visit_catch_all(&mut self) -> Self::Output {
        self.v.catch(self.info, None)
    }

    #[inline(always)]
    fn visit_delegate(&mut self, label: u32) -> Self::Output {
        self.v.delegate(self.info, label)
    }

    #[inline(always)]
    fn visit_rethrow(&mut self, label: u32) -> Self::Output {
        self.v.rethrow(self.info, label)
    }

    #[inline(always)]
    fn visit_drop(&mut self) -> Self::Output {
        self.v.pop_any().map(drop)
    }

    #[inline(always)]
    fn visit_select(&mut self) -> Self::Output {
        self.v.select()
    }

    #[inline(always)]
    fn visit_select_t(&mut self, result_types: &[ValType]) -> Self::Output {
        match result_types {
            [t] => self.v.select_t(self.info, *t),
            _ => Err(ErrorKind::InvalidResultArity),
        }
    }

    #[inline(always)]
    fn visit_local_get(&mut self, local: u32) -> Self::Output {
        self.v.local_get(local)
    }

    #[inline(always)]
    fn visit_local_set(&mut self, local: u32) -> Self::Output {
        self.v.local_set(local)
    }

    #[inline(always)]
    fn visit_local_tee(&mut self, local: u32) -> Self::Output {
        self.v.local_tee(local)
    }

    #[inline(always)]
    fn visit_global_get(&mut self, global: u32) -> Self::Output {
        self.v.global_get(self.info, global)
    }

    #[inline(always)]
    fn visit_global_set(&mut self, global: u32) -> Self::Output {
        self.v.global_set(self.info, global)
    }

    #[inline(always)]
    fn visit_table_get(&mut self, table: u32) -> Self::Output {
        self.v.table_get(self.info, table)
    }

    #[inline(always)]
    fn visit_table_set(&mut self, table: u32) -> Self::Output {
        self.v.table_set(self.info, table)
    }

    #[inline(always)]
    fn visit_table_init(&mut self, elem: u32, table: u32) -> Self::Output {
        self.v.table_init(self.info, elem, table)
    }

    #[inline(always)]
    fn visit_elem_drop(&mut self, elem: u32) -> Self::Output {
        self.v.elem_drop(self.info, elem)
    }

    #[inline(always)]
    fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) -> Self::Output {
        self.v.table_copy(self.info, dst_table, src_table)
    }

    #[inline(always)]
    fn visit_table_grow(&mut self, table: u32) -> Self::Output {
        self.v.table_grow(self.info, table)
    }

    #[inline(always)]
    fn visit_table_size(&mut self, table: u32) -> Self::Output {
        self.v.table_size(self.info, table)
    }

    #[inline(always)]
    fn visit_table_fill(&mut self, table: u32) -> Self::Output {
        self.v.table_fill(self.info, table)
    }

    #[inline(always)]
    fn visit_memory_size(&mut self, memory: u32) -> Self::Output {
        self.v.memory_size(self.info, memory)
    }

    #[inline(always)]
    fn visit_memory_grow(&mut self, memory: u32) -> Self::Output {
        self.v.memory_grow(self.info, memory)
    }

    #[inline(always)]
    fn visit_memory_init(&mut self, data: u32, memory: u32) -> Self::Output {
        self.v.memory_init(self.info, data, memory)
    }

    #[inline(always)]
    fn visit_data_drop(&mut self, data: u32) -> Self::Output {
        self.v.data_drop(self.info, data)
    }

    #[inline(always)]
    fn visit_memory_copy(&mut self, dst_memory: u32, src_memory: u32) -> Self::Output {
        self.v.memory_copy(self.info, dst_memory, src_memory)
    }

    #[inline(always)]
    fn visit_memory_fill(&mut self, memory: u32) -> Self::Output {
        self.v.memory_fill(self.info, memory)
    }

    #[inline(always)]
    fn visit_atomic_fence(&mut self) -> Self::Output {
        require(self.info.features, Features::THREADS)
    }

    #[inline(always)]
    fn visit_i32_const(&mut self, _value: i32) -> Self::Output {
        self.v.push(Ty::I32);
        Ok(())
    }

    #[inline(always)]
    fn visit_i64_const(&mut self, _value: i64) -> Self::Output {
        self.v.push(Ty::I64);
        Ok(())
    }

    #[inline(always)]
    fn visit_f32_const(&mut self, _value: u32) -> Self::Output {
        self.v.push(Ty::F32);
        Ok(())
    }

    #[inline(always)]
    fn visit_f64_const(&mut self, _value: u64) -> Self::Output {
        self.v.push(Ty::F64);
        Ok(())
    }

    #[inline(always)]
    fn visit_v128_const(&mut self, _value: &[u8; 16]) -> Self::Output {
        self.v.v128_const(self.info)
    }

    #[inline(always)]
    fn visit_i8x16_shuffle(&mut self, lanes: &[u8; 16]) -> Self::Output {
        self.v.shuffle(self.info, lanes)
    }

    #[inline(always)]
    fn visit_ref_null(&mut self, heap_type: HeapType) -> Self::Output {
        self.v.ref_null(self.info, heap_type)
    }

    #[inline(always)]
    fn visit_ref_is_null(&mut self) -> Self::Output {
        self.v.ref_is_null(self.info)
    }

    #[inline(always)]
    fn visit_ref_func(&mut self, func: u32) -> Self::Output {
        self.v.ref_func(self.info, func)
    }

    #[inline(always)]
    fn visit_ref_eq(&mut self) -> Self::Output {
        self.v.ref_eq(self.info)
    }

    #[inline(always)]
    fn visit_ref_as_non_null(&mut self) -> Self::Output {
        self.v.ref_as_non_null(self.info)
    }

    #[inline(always)]
    fn visit_br_on_null(&mut self, label: u32) -> Self::Output {
        self.v.br_on_null(self.info, label)
    }

    #[inline(always)]
    fn visit_br_on_non_null(&mut self, label: u32) -> Self::Output {
        self.v.br_on_non_null(self.info, label)
    }

    #[inline(always)]
    fn visit_struct_new(&mut self, x: u32) -> Self::Output {
        self.v.struct_new(self.info, x, false)
    }

    #[inline(always)]
    fn visit_struct_new_default(&mut self, x: u32) -> Self::Output {
        self.v.struct_new(self.info, x, true)
    }

    #[inline(always)]
    fn visit_struct_get(&mut self, x: u32, field: u32) -> Self::Output {
        self.v.struct_get(self.info, x, field, None)
    }

    #[inline(always)]
    fn visit_struct_get_s(&mut self, x: u32, field: u32) -> Self::Output {
        self.v.struct_get(self.info, x, field, Some(true))
    }

    #[inline(always)]
    fn visit_struct_get_u(&mut self, x: u32, field: u32) -> Self::Output {
        self.v.struct_get(self.info, x, field, Some(false))
    }

    #[inline(always)]
    fn visit_struct_set(&mut self, x: u32, field: u32) -> Self::Output {
        self.v.struct_set(self.info, x, field)
    }

    #[inline(always)]
    fn visit_array_new(&mut self, x: u32) -> Self::Output {
        self.v.array_new(self.info, x, false)
    }

    #[inline(always)]
    fn visit_array_new_default(&mut self, x: u32) -> Self::Output {
        self.v.array_new(self.info, x, true)
    }

    #[inline(always)]
    fn visit_array_new_fixed(&mut self, x: u32, size: u32) -> Self::Output {
        self.v.array_new_fixed(self.info, x, size)
    }

    #[inline(always)]
    fn visit_array_new_data(&mut self, x: u32, data: u32) -> Self::Output {
        self.v.array_new_data(self.info, x, data)
    }

    #[inline(always)]
    fn visit_array_new_elem(&mut self, x: u32, elem: u32) -> Self::Output {
        self.v.array_new_elem(self.info, x, elem)
    }

    #[inline(always)]
    fn visit_array_get(&mut self, x: u32) -> Self::Output {
        self.v.array_get(self.info, x, None)
    }

    #[inline(always)]
    fn visit_array_get_s(&mut self, x: u32) -> Self::Output {
        self.v.array_get(self.info, x, Some(true))
    }

    #[inline(always)]
    fn visit_array_get_u(&mut self, x: u32) -> Self::Output {
        self.v.array_get(self.info, x, Some(false))
    }

    #[inline(always)]
    fn visit_array_set(&mut self, x: u32) -> Self::Output {
        self.v.array_set(self.info, x)
    }

    #[inline(always)]
    fn visit_array_len(&mut self) -> Self::Output {
        self.v.array_len(self.info)
    }

    #[inline(always)]
    fn visit_array_fill(&mut self, x: u32) -> Self::Output {
        self.v.array_fill(self.info, x)
    }

    #[inline(always)]
    fn visit_array_copy(&mut self, dst_type: u32, src_type: u32) -> Self::Output {
        self.v.array_copy(self.info, dst_type, src_type)
    }

    #[inline(always)]
    fn visit_array_init_data(&mut self, x: u32, data: u32) -> Self::Output {
        self.v.array_init_data(self.info, x, data)
    }

    #[inline(always)]
    fn visit_array_init_elem(&mut self, x: u32, elem: u32) -> Self::Output {
        self.v.array_init_elem(self.info, x, elem)
    }

    #[inline(always)]
    fn visit_ref_test(&mut self, rt: RefType) -> Self::Output {
        self.v.ref_test(self.info, rt, false)
    }

    #[inline(always)]
    fn visit_ref_cast(&mut self, rt: RefType) -> Self::Output {
        self.v.ref_test(self.info, rt, true)
    }

    #[inline(always)]
    fn visit_br_on_cast(&mut self, cast: &BrCast) -> Self::Output {
        self.v.br_on_cast(self.info, cast, false)
    }

    #[inline(always)]
    fn visit_br_on_cast_fail(&mut self, cast: &BrCast) -> Self::Output {
        self.v.br_on_cast(self.info, cast, true)
    }

    #[inline(always)]
    fn visit_any_convert_extern(&mut self) -> Self::Output {
        self.v.convert_extern(self.info, true)
    }

    #[inline(always)]
    fn visit_extern_convert_any(&mut self) -> Self::Output {
        self.v.convert_extern(self.info, false)
    }

    #[inline(always)]
    fn visit_ref_i31(&mut self) -> Self::Output {
        self.v.ref_i31(self.info)
    }

    #[inline(always)]
    fn visit_i31_get_s(&mut self) -> Self::Output {
        self.v.i31_get(self.info)
    }

    #[inline(always)]
    fn visit_i31_get_u(&mut self) -> Self::Output {
        self.v.i31_get(self.info)
    }

    #[inline(always)]
    fn visit_struct_new_desc(&mut self, _: u32) -> Self::Output {
        self.unsupported(Features::CUSTOM_DESCRIPTORS)
    }

    #[inline(always)]
    fn visit_struct_new_default_desc(&mut self, _: u32) -> Self::Output {
        self.unsupported(Features::CUSTOM_DESCRIPTORS)
    }

    #[inline(always)]
    fn visit_ref_get_desc(&mut self, _: u32) -> Self::Output {
        self.unsupported(Features::CUSTOM_DESCRIPTORS)
    }

    #[inline(always)]
    fn visit_ref_cast_desc_eq(&mut self, _: RefType) -> Self::Output {
        self.unsupported(Features::CUSTOM_DESCRIPTORS)
    }

    #[inline(always)]
    fn visit_br_on_cast_desc_eq(&mut self, _: &BrCast) -> Self::Output {
        self.unsupported(Features::CUSTOM_DESCRIPTORS)
    }

    #[inline(always)]
    fn visit_br_on_cast_desc_eq_fail(&mut self, _: &BrCast) -> Self::Output {
        self.unsupported(Features::CUSTOM_DESCRIPTORS)
    }

    #[inline(always)]
    fn visit_op(&mut self, op: Op) -> Self::Output {
        if super::atomic::is_wide(op) {
            return self.v.wide(self.info, op);
        }
        self.v.plain(self.info, op)
    }

    #[inline(always)]
    fn visit_mem_op(&mut self, op: Op, memarg: MemArg) -> Self::Output {
        if let OpKind::Atomic(_) = op.kind() {
            return self.v.atomic(self.info, op, memarg);
        }
        self.v.mem_access(self.info, op, memarg)
    }

    #[inline(always)]
    fn visit_lane_op(&mut self, op: Op, lane: u8) -> Self::Output {
        self.v.lane(self.info, op, lane)
    }

    #[inline(always)]
    fn visit_mem_lane_op(&mut self, op: Op, memarg: MemArg, lane: u8) -> Self::Output {
        self.v.mem_lane(self.info, op, memarg, lane)
    }
}

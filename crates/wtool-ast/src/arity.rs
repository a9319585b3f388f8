//! Stack effects of the instructions whose operand counts depend on their
//! immediates or context (the table's `custom` rows). The generated
//! [`crate::Instr::stack_effect`] calls `of_<instruction>` here for each such
//! row, so a new `custom` row does not compile until its rule is written.
//!
//! Block structure (`block`, `else`, `end`, …) has no simple count and gives
//! `None`, as do stack-polymorphic `unreachable` and any index out of range.

use crate::instr::{BlockType, BrCast, BrTable, Catch};
use crate::module::Module;
use crate::types::FuncType;

/// What the stack effect of a context-dependent instruction needs to know.
/// Lookups answer `None` when an index is out of range.
pub trait StackEnv {
    /// The function type with this type index.
    fn func_type(&self, type_idx: u32) -> Option<&FuncType>;
    /// The type of function `func` (imports first).
    fn func_type_of(&self, func: u32) -> Option<&FuncType>;
    /// The parameters of tag `tag`, as a function type.
    fn tag_type(&self, tag: u32) -> Option<&FuncType>;
    /// Number of fields of struct type `type_idx`.
    fn struct_fields(&self, type_idx: u32) -> Option<u32>;
    /// How many values a branch to label `depth` carries; `None` where the
    /// enclosing blocks are not known.
    fn label_arity(&self, _depth: u32) -> Option<u32> {
        None
    }
    /// How many values the function returns, if known.
    fn return_arity(&self) -> Option<u32> {
        None
    }
}

impl StackEnv for Module {
    fn func_type(&self, type_idx: u32) -> Option<&FuncType> {
        Module::func_type(self, type_idx)
    }

    fn func_type_of(&self, func: u32) -> Option<&FuncType> {
        self.func_type(self.func_type_idx(func)?)
    }

    fn tag_type(&self, tag: u32) -> Option<&FuncType> {
        self.func_type(self.tag_type_idx(tag)?)
    }

    fn struct_fields(&self, type_idx: u32) -> Option<u32> {
        let t = self.types.get(type_idx as usize)?;
        t.as_struct().map(|f| f.len() as u32)
    }
}

fn counts(f: &FuncType) -> (u32, u32) {
    (f.params.len() as u32, f.results.len() as u32)
}

/// `unreachable`: stack-polymorphic.
pub fn of_unreachable<E: StackEnv + ?Sized>(_: &E) -> Option<(u32, u32)> {
    None
}

/// `block`: block structure.
pub fn of_block<E: StackEnv + ?Sized>(_: &E, _: BlockType) -> Option<(u32, u32)> {
    None
}

/// `loop`: block structure.
pub fn of_loop<E: StackEnv + ?Sized>(_: &E, _: BlockType) -> Option<(u32, u32)> {
    None
}

/// `if`: block structure.
pub fn of_if<E: StackEnv + ?Sized>(_: &E, _: BlockType) -> Option<(u32, u32)> {
    None
}

/// `else`: block structure.
pub fn of_else<E: StackEnv + ?Sized>(_: &E) -> Option<(u32, u32)> {
    None
}

/// `end`: block structure.
pub fn of_end<E: StackEnv + ?Sized>(_: &E) -> Option<(u32, u32)> {
    None
}

/// `try`: block structure.
pub fn of_try<E: StackEnv + ?Sized>(_: &E, _: BlockType) -> Option<(u32, u32)> {
    None
}

/// `try_table`: block structure.
pub fn of_try_table<E: StackEnv + ?Sized>(_: &E, _: BlockType, _: &[Catch]) -> Option<(u32, u32)> {
    None
}

/// `catch`: block structure.
pub fn of_catch<E: StackEnv + ?Sized>(_: &E, _: u32) -> Option<(u32, u32)> {
    None
}

/// `catch_all`: block structure.
pub fn of_catch_all<E: StackEnv + ?Sized>(_: &E) -> Option<(u32, u32)> {
    None
}

/// `delegate`: block structure.
pub fn of_delegate<E: StackEnv + ?Sized>(_: &E, _: u32) -> Option<(u32, u32)> {
    None
}

/// `br l`: the label's values.
pub fn of_br<E: StackEnv + ?Sized>(env: &E, label: u32) -> Option<(u32, u32)> {
    Some((env.label_arity(label)?, 0))
}

/// `br_if l`: the label's values and the condition; the values stay.
pub fn of_br_if<E: StackEnv + ?Sized>(env: &E, label: u32) -> Option<(u32, u32)> {
    let a = env.label_arity(label)?;
    Some((a.checked_add(1)?, a))
}

/// `br_table`: the default label's values and the index.
pub fn of_br_table<E: StackEnv + ?Sized>(env: &E, t: &BrTable) -> Option<(u32, u32)> {
    Some((env.label_arity(t.default)?.checked_add(1)?, 0))
}

/// `return`: the function's results.
pub fn of_return<E: StackEnv + ?Sized>(env: &E) -> Option<(u32, u32)> {
    Some((env.return_arity()?, 0))
}

/// `call f`.
pub fn of_call<E: StackEnv + ?Sized>(env: &E, func: u32) -> Option<(u32, u32)> {
    env.func_type_of(func).map(counts)
}

/// `call_indirect`: the parameters and the table index.
pub fn of_call_indirect<E: StackEnv + ?Sized>(env: &E, ty: u32, _: u32) -> Option<(u32, u32)> {
    let (p, r) = counts(env.func_type(ty)?);
    Some((p.checked_add(1)?, r))
}

/// `return_call f`: the parameters; nothing follows.
pub fn of_return_call<E: StackEnv + ?Sized>(env: &E, func: u32) -> Option<(u32, u32)> {
    Some((counts(env.func_type_of(func)?).0, 0))
}

/// `return_call_indirect`: the parameters and the table index.
pub fn of_return_call_indirect<E: StackEnv + ?Sized>(
    env: &E,
    ty: u32,
    _: u32,
) -> Option<(u32, u32)> {
    Some((counts(env.func_type(ty)?).0.checked_add(1)?, 0))
}

/// `call_ref t`: the parameters and the reference.
pub fn of_call_ref<E: StackEnv + ?Sized>(env: &E, ty: u32) -> Option<(u32, u32)> {
    let (p, r) = counts(env.func_type(ty)?);
    Some((p.checked_add(1)?, r))
}

/// `return_call_ref t`: the parameters and the reference.
pub fn of_return_call_ref<E: StackEnv + ?Sized>(env: &E, ty: u32) -> Option<(u32, u32)> {
    Some((counts(env.func_type(ty)?).0.checked_add(1)?, 0))
}

/// `throw x`: the tag's values.
pub fn of_throw<E: StackEnv + ?Sized>(env: &E, tag: u32) -> Option<(u32, u32)> {
    Some((counts(env.tag_type(tag)?).0, 0))
}

/// `br_on_null l`: the label's values and the reference, which stays.
pub fn of_br_on_null<E: StackEnv + ?Sized>(env: &E, label: u32) -> Option<(u32, u32)> {
    let a = env.label_arity(label)?.checked_add(1)?;
    Some((a, a))
}

/// `br_on_non_null l`: the label's values end with the reference, which
/// does not stay when the branch is not taken.
pub fn of_br_on_non_null<E: StackEnv + ?Sized>(env: &E, label: u32) -> Option<(u32, u32)> {
    let a = env.label_arity(label)?;
    Some((a, a.checked_sub(1)?))
}

/// `br_on_cast l t1 t2`: the label's values end with the reference.
pub fn of_br_on_cast<E: StackEnv + ?Sized>(env: &E, c: &BrCast) -> Option<(u32, u32)> {
    let a = env.label_arity(c.label)?;
    Some((a, a))
}

/// `br_on_cast_fail l t1 t2`.
pub fn of_br_on_cast_fail<E: StackEnv + ?Sized>(env: &E, c: &BrCast) -> Option<(u32, u32)> {
    of_br_on_cast(env, c)
}

/// `br_on_cast_desc_eq l t1 t2`: also pops the descriptor.
pub fn of_br_on_cast_desc_eq<E: StackEnv + ?Sized>(env: &E, c: &BrCast) -> Option<(u32, u32)> {
    let a = env.label_arity(c.label)?;
    Some((a.checked_add(1)?, a))
}

/// `br_on_cast_desc_eq_fail l t1 t2`.
pub fn of_br_on_cast_desc_eq_fail<E: StackEnv + ?Sized>(env: &E, c: &BrCast) -> Option<(u32, u32)> {
    of_br_on_cast_desc_eq(env, c)
}

/// `struct.new t`: one operand per field.
pub fn of_struct_new<E: StackEnv + ?Sized>(env: &E, ty: u32) -> Option<(u32, u32)> {
    Some((env.struct_fields(ty)?, 1))
}

/// `struct.new_desc t`: the fields and the descriptor.
pub fn of_struct_new_desc<E: StackEnv + ?Sized>(env: &E, ty: u32) -> Option<(u32, u32)> {
    Some((env.struct_fields(ty)?.checked_add(1)?, 1))
}

/// `array.new_fixed t n`: `n` elements.
pub fn of_array_new_fixed<E: StackEnv + ?Sized>(_: &E, _: u32, n: u32) -> Option<(u32, u32)> {
    Some((n, 1))
}

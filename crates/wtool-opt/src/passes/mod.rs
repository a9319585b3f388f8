//! The passes, one file each (see `docs/passes.md`).

pub mod block_to_if;
pub mod coalesce_locals;
pub mod code_folding;
pub mod combine_instructions;
pub mod dce;
pub mod dead_arguments;
pub mod dead_results;
pub mod duplicate_function_elimination;
pub mod fold_tails;
pub mod inlining;
pub mod memory_packing;
pub mod merge_blocks;
pub mod merge_similar_functions;
pub mod peephole;
pub mod precompute;
pub mod propagate_locals;
pub mod redundant_sets;
pub mod remove_unused_locals;
pub mod remove_unused_module_elements;
pub mod reorder_functions;
pub mod simplify_branches;
pub mod simplify_locals;
pub mod strip_custom;
pub mod strip_sections;
pub mod thread_branches;
pub mod vacuum;

//! Every pass by name: what `--passes` accepts and `--list-passes` prints.

use crate::pass::Pass;
use crate::passes::*;

/// One registered pass.
pub struct PassEntry {
    /// The name used on the command line.
    pub name: &'static str,
    /// One line for `--list-passes`.
    pub description: &'static str,
    /// Makes a fresh instance.
    pub create: fn() -> Box<dyn Pass>,
}

macro_rules! entry {
    ($name:literal, $desc:literal, $ty:expr) => {
        PassEntry {
            name: $name,
            description: $desc,
            create: || Box::new($ty),
        }
    };
}

/// All passes, sorted by name.
pub static PASSES: &[PassEntry] = &[
    entry!(
        "block-results",
        "turn a value every exit of a block stores into one local, read after it, into the block's result",
        block_results::BlockResults
    ),
    entry!(
        "block-to-if",
        "turn a block that starts with br_if out of itself into an if on the negated condition",
        block_to_if::BlockToIf
    ),
    entry!(
        "coalesce-locals",
        "merge locals of one type whose lifetimes are disjoint, then drop unused locals",
        coalesce_locals::CoalesceLocals
    ),
    entry!(
        "code-folding",
        "keep identical tails of if arms and of branches to one block once, after the join",
        code_folding::CodeFolding
    ),
    entry!(
        "combine-instructions",
        "fold neighbouring instructions: flipped comparisons, constant chains, needless masks, narrow loads and stores",
        combine_instructions::CombineInstructions
    ),
    entry!(
        "dae",
        "remove parameters never read or always given one constant, and results every caller drops",
        dead_arguments::DeadArgumentElimination
    ),
    entry!("dce", "remove code after unconditional branches, returns and traps", dce::Dce),
    entry!(
        "directize",
        "turn call_indirect through a constant slot of a never-written table into a direct call",
        directize::Directize
    ),
    entry!(
        "duplicate-function-elimination",
        "redirect calls of functions identical to an earlier one to that one",
        duplicate_function_elimination::DuplicateFunctionElimination
    ),
    entry!(
        "duplicate-import-elimination",
        "merge function imports with the same module, name and type into one",
        duplicate_import_elimination::DuplicateImportElimination
    ),
    entry!("inlining", "copy tiny non-recursive functions into their callers", inlining::Inlining),
    entry!(
        "local-cse",
        "reuse a value an extended block already computed instead of computing it again",
        local_cse::LocalCse
    ),
    entry!(
        "memory-packing",
        "trim and split zero runs out of active data segments of a module's own zeroed memory",
        memory_packing::MemoryPacking
    ),
    entry!(
        "merge-blocks",
        "flatten blocks and loops whose label is never targeted (remove-unused-labels)",
        merge_blocks::MergeBlocks
    ),
    entry!(
        "merge-similar-functions",
        "share one body between functions that differ only in constants, passed as extra parameters",
        merge_similar_functions::MergeSimilarFunctions
    ),
    entry!(
        "peephole",
        "exact local rewrites: double eqz before branches, x+0, x*1, shifts by 0, set/get → tee",
        peephole::Peephole
    ),
    entry!(
        "precompute",
        "fold constant expressions exactly and propagate constants through locals and immutable globals",
        precompute::Precompute::default()
    ),
    entry!(
        "propagate-locals",
        "read the source of a copied local, or its small constant, instead of the copy",
        propagate_locals::PropagateLocals
    ),
    entry!(
        "remove-unused-labels",
        "alias of merge-blocks: flatten blocks and loops whose label is never targeted",
        merge_blocks::MergeBlocks
    ),
    entry!(
        "remove-unused-locals",
        "drop writes to never-read locals and remove locals nothing names",
        remove_unused_locals::RemoveUnusedLocals
    ),
    entry!(
        "remove-unused-module-elements",
        "remove functions, globals, tables, memories, types and segments nothing live reaches",
        remove_unused_module_elements::RemoveUnusedModuleElements
    ),
    entry!(
        "reorder-functions",
        "give the most used functions the smallest indices (shorter encodings)",
        reorder_functions::ReorderFunctions
    ),
    entry!(
        "rse",
        "remove local.set and local.tee that store the value the local already holds",
        redundant_sets::RedundantSetElimination
    ),
    entry!(
        "simplify-branches",
        "turn br_if, br_table, if and select on constant conditions into unconditional code",
        simplify_branches::SimplifyBranches
    ),
    entry!(
        "simplify-locals",
        "forward single-use locals: move the stored computation to its only read",
        simplify_locals::SimplifyLocals
    ),
    entry!(
        "strip-custom",
        "remove custom sections and the name section (unless kept by --keep-names/--keep-section)",
        strip_custom::StripCustom
    ),
    entry!(
        "strip-debug",
        "remove debug information: the name section, DWARF (.debug_*), sourceMappingURL, external_debug_info",
        strip_sections::StripDebug
    ),
    entry!(
        "strip-dwarf",
        "remove DWARF debug information (the .debug_* custom sections)",
        strip_sections::StripDwarf
    ),
    entry!(
        "strip-producers",
        "remove the producers custom section",
        strip_sections::StripProducers
    ),
    entry!(
        "strip-target-features",
        "remove the target_features custom section",
        strip_sections::StripTargetFeatures
    ),
    entry!(
        "thread-branches",
        "retarget branches that land on another branch, merge adjacent br_ifs to one label",
        thread_branches::ThreadBranches
    ),
    entry!(
        "vacuum",
        "remove nops, drops of effect-free values, empty blocks and empty ifs",
        vacuum::Vacuum
    ),
];

/// Looks a pass up by name.
pub fn lookup(name: &str) -> Option<&'static PassEntry> {
    PASSES.iter().find(|e| e.name == name)
}

/// A fresh instance of the named pass.
pub fn create(name: &str) -> Option<Box<dyn Pass>> {
    lookup(name).map(|e| (e.create)())
}

/// Every pass name, for error messages ("known passes: …").
pub fn names() -> Vec<&'static str> {
    PASSES.iter().map(|e| e.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_matches_passes() {
        let mut sorted = names();
        sorted.sort_unstable();
        assert_eq!(sorted, names(), "registry is sorted by name");
        for e in PASSES {
            let p = (e.create)();
            if e.name != "remove-unused-labels" {
                assert_eq!(p.name(), e.name);
                assert_eq!(p.description(), e.description);
            }
        }
        assert!(create("nope").is_none());
    }
}

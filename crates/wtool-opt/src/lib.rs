//! wtool's optimizer: a binaryen-shaped pipeline of small, exact passes over
//! [`wtool_ast::Module`].
//!
//! * [`pass`]: the [`Pass`] trait, [`PassOptions`] and declarative [`PassProperties`].
//! * [`registry`]: every pass by name (what `--list-passes` prints, what `--passes` accepts).
//! * [`pipeline`]: `-O0 … -Oz` as (opt, shrink) levels mapped to pass lists.
//! * [`runner`]: [`PassManager`], which runs, times, skips and validates passes.
//! * [`analysis`]: effects of instructions, the call graph, liveness of locals, stack effects.
//! * [`structure`]: block extents of the flat instruction vector, computed with an explicit stack.
//!
//! Every pass is exact: traps, NaN bits and side effects stay as they were, and
//! imports and exports are never removed or renamed.

pub mod analysis;
pub mod bodies;
mod by_function;
pub mod fold;
pub mod pass;
pub mod passes;
pub mod pipeline;
pub mod registry;
pub mod runner;
pub mod structure;
mod util;

pub use bodies::Bodies;
pub use pass::{Pass, PassOptions, PassProperties};
pub use pipeline::{OptLevel, ParseLevelError};
pub use runner::{default_validator, OptError, PassManager, PassTiming, Progress, RunReport};

/// Optimizes `module` at `level` with the default pass manager settings
/// (validation after each pass in debug builds, the `-Oz` size guard).
pub fn optimize(
    module: &mut wtool_ast::Module,
    level: OptLevel,
    options: PassOptions,
) -> Result<RunReport, OptError> {
    PassManager::for_level(level, options).run(module)
}
#[cfg(test)]
mod testutil;

//! The pass interface.

use wtool_ast::{Features, Module};

/// What a pass touches, declared up front so the runner (and readers) know
/// what survives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PassProperties {
    /// Rewrites instructions inside function bodies.
    pub changes_bodies: bool,
    /// Adds, removes or renumbers functions, globals, tables, memories, types or segments.
    pub changes_index_spaces: bool,
    /// Adds, removes or renumbers the locals of functions.
    pub changes_locals: bool,
    /// Removes custom sections or the name section.
    pub changes_customs: bool,
    /// May make the code larger (inlining); the `-Oz` size guard exists for these.
    pub may_grow: bool,
}

/// Knobs every pass can read; the CLI fills these from its flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassOptions {
    /// Enabled proposals (validation after each pass uses them).
    pub features: Features,
    /// Optimization level 0–3 (`-O0` … `-O3`).
    pub opt_level: u8,
    /// Shrink level 0–2 (`-Os` = 1, `-Oz` = 2).
    pub shrink_level: u8,
    /// Treat loads, divisions and other implicitly trapping instructions as
    /// if they could not trap (binaryen's `--ignore-implicit-traps`): they may
    /// then be removed when their value is unused.
    pub ignore_implicit_traps: bool,
    /// Keep the name section when stripping custom sections.
    pub keep_names: bool,
    /// Custom sections (by name) to keep when stripping.
    pub keep_sections: Vec<String>,
    /// Largest callee body (in instructions, `end` excluded) that inlining copies into callers.
    pub inline_max_size: usize,
}

impl Default for PassOptions {
    fn default() -> Self {
        PassOptions {
            features: Features::default(),
            opt_level: 2,
            shrink_level: 0,
            ignore_implicit_traps: false,
            keep_names: false,
            keep_sections: Vec::new(),
            inline_max_size: 12,
        }
    }
}

/// One optimization pass: a named, independent module-to-module rewrite.
pub trait Pass {
    /// The name used by `--passes`, `--skip-pass` and `--list-passes`.
    fn name(&self) -> &'static str;
    /// One line for `--list-passes`.
    fn description(&self) -> &'static str;
    /// What the pass touches.
    fn properties(&self) -> PassProperties;
    /// Runs the pass; returns whether anything changed.
    ///
    /// A pass never fails: input it does not understand (unbalanced bodies,
    /// out-of-range indices) is left as it was.
    fn run(&mut self, module: &mut Module, opts: &PassOptions) -> bool;

    /// Whether the pass is function-local: its [`Pass::run`] is
    /// [`Pass::begin`] then [`Pass::run_function`] on every defined
    /// function in order, and `run_function` on one function reads and
    /// writes nothing of the others (only their types, and module items no
    /// function-local pass changes). The runner may then run several such
    /// passes function by function, which gives the same module.
    fn function_local(&self) -> bool {
        false
    }

    /// Prepares a run of [`Pass::run_function`] calls over `module`
    /// (module-wide facts the pass reads, computed once).
    fn begin(&mut self, _module: &Module, _opts: &PassOptions) {}

    /// Runs a function-local pass on defined function `def` (an index into
    /// `module.funcs`) only; returns whether it changed anything.
    fn run_function(&mut self, _module: &mut Module, _def: usize, _opts: &PassOptions) -> bool {
        false
    }
}

/// [`Pass::run`] of a function-local pass: [`Pass::begin`], then
/// [`Pass::run_function`] on every defined function in order.
pub fn run_each<P: Pass + ?Sized>(pass: &mut P, module: &mut Module, opts: &PassOptions) -> bool {
    pass.begin(module, opts);
    let mut any = false;
    for def in 0..module.funcs.len() {
        any |= pass.run_function(module, def, opts);
    }
    any
}

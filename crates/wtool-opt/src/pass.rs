//! The pass interface.

use wtool_ast::{Features, Func, Module};

use crate::bodies::Bodies;

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
    /// Threads for function-local passes: 0 for one per core, 1 for none
    /// besides the caller's. The result does not depend on it.
    pub threads: usize,
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
            threads: 0,
        }
    }
}

/// A defined function taken out of its module while function-local passes
/// rewrite it. The module holds a stand-in meanwhile (same type index, no
/// locals, empty body), so that several functions can be rewritten at once
/// while the module is shared; what a rewrite does to the module's names is
/// recorded here and applied when the function is put back.
#[derive(Debug)]
pub struct FuncUnit {
    /// Its index in `module.funcs`.
    pub def: usize,
    /// The function.
    pub func: Func,
    /// Its label names no longer fit (block structure changed).
    pub(crate) drop_labels: bool,
    /// Its locals were renumbered by these maps, in order (`map[old]` is the
    /// new index); its local names follow them.
    pub(crate) local_maps: Vec<Vec<Option<u32>>>,
}

/// One optimization pass: a named, independent module-to-module rewrite.
/// Passes are shared between threads: function-local passes run on several
/// functions at once through `&self`.
pub trait Pass: Send + Sync {
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
    /// function, and `run_function` on one function reads nothing of the
    /// others but their type indices (and module items no function-local
    /// pass changes). The runner may then run several such passes function
    /// by function, and on several functions at once, which gives the same
    /// module.
    fn function_local(&self) -> bool {
        false
    }

    /// Prepares a run of [`Pass::run_function`] calls over `module`
    /// (module-wide facts the pass reads, computed once).
    fn begin(&mut self, _module: &Module, _opts: &PassOptions) {}

    /// Runs a function-local pass on one defined function, taken out of
    /// `module` (which holds a stand-in for it); returns whether it changed
    /// anything.
    fn run_function(&self, _module: &Module, _unit: &mut FuncUnit, _opts: &PassOptions) -> bool {
        false
    }

    /// Runs the pass on `module`, whose function bodies `bodies` holds
    /// (encoded, or decoded in the module); returns whether anything
    /// changed. The default decodes every body into the module, runs
    /// [`Pass::run`] and takes them back; a pass that reads or rewrites
    /// bodies one at a time ([`Bodies::scan`], [`Bodies::rewrite`]), or
    /// not at all, overrides it so that they stay encoded.
    fn run_with(&mut self, module: &mut Module, bodies: &mut Bodies, opts: &PassOptions) -> bool {
        bodies.open_all(module);
        let changed = self.run(module, opts);
        bodies.close(module);
        changed
    }
}

/// [`Pass::run`] of a pass that overrides [`Pass::run_with`]: the bodies
/// stay decoded in the module.
pub fn run_open<P: Pass>(pass: &mut P, module: &mut Module, opts: &PassOptions) -> bool {
    let mut bodies = Bodies::open(module, opts.features);
    pass.run_with(module, &mut bodies, opts)
}

/// [`Pass::run`] of a function-local pass: [`Pass::begin`], then
/// [`Pass::run_function`] on every defined function, on this thread.
pub fn run_each<P: Pass>(pass: &mut P, module: &mut Module, opts: &PassOptions) -> bool {
    pass.begin(module, opts);
    let passes: [&dyn Pass; 1] = [&*pass];
    let mut bodies = Bodies::open(module, opts.features);
    let (_, changed) = crate::by_function::run_units(&passes, module, &mut bodies, opts);
    changed[0]
}

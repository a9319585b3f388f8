//! The pass manager: runs a list of passes over a module, times each one,
//! honours `--skip-pass`, optionally validates after every pass (naming the
//! pass that broke validity), reports progress, and for `-Oz` keeps the
//! input when optimizing did not make it smaller.

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions};
use crate::pipeline::OptLevel;
use crate::registry;
use std::time::{Duration, Instant};
use wtool_ast::{Features, Module};
use wtool_validate::ValidationError;

/// Checks a module.
pub type Validator = Box<dyn Fn(&Module, Features) -> Result<(), ValidationError>>;

/// Measures a module's encoded size in bytes.
pub type SizeMeasure = Box<dyn Fn(&Module) -> usize>;

/// `wtool_validate::validate`.
pub fn default_validator() -> Validator {
    Box::new(|m: &Module, features: Features| wtool_validate::validate(m, features))
}

/// The validator's error with the function it is in, for messages.
fn in_func(e: &ValidationError) -> String {
    match e.func {
        Some(f) => format!("{e} (in function {f})"),
        None => e.to_string(),
    }
}

/// Why a run could not be set up or finished.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OptError {
    /// `--passes` or `--skip-pass` named a pass that does not exist.
    #[error("unknown pass `{name}` (known passes: {known})")]
    UnknownPass {
        /// The name given.
        name: String,
        /// Every known name, comma-separated.
        known: String,
    },
    /// The input did not validate, so no pass ran.
    #[error("input module is invalid: {}", in_func(.0))]
    InvalidInput(#[source] ValidationError),
    /// A pass produced an invalid module (an optimizer bug).
    #[error("pass `{pass}` (#{index} in the pipeline) produced an invalid module: {}", in_func(.error))]
    InvalidAfterPass {
        /// The pass's name.
        pass: &'static str,
        /// Its 1-based position in the pipeline.
        index: usize,
        /// What the validator found.
        #[source]
        error: ValidationError,
    },
}

/// One pass's timing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassTiming {
    /// Pass name.
    pub name: &'static str,
    /// Time spent in it (for function-local passes, summed over the threads).
    pub elapsed: Duration,
    /// Whether it changed the module.
    pub changed: bool,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Every pass run, in order (for `--timings`).
    pub timings: Vec<PassTiming>,
    /// Total wall time.
    pub total: Duration,
    /// Encoded size before, when measured (`-Oz`).
    pub size_before: Option<usize>,
    /// Encoded size of the result, when measured.
    pub size_after: Option<usize>,
    /// The optimized module was not smaller, so the input was kept.
    pub kept_input: bool,
}

impl RunReport {
    /// The `-Oz` guard: when the result (`after` bytes) is not smaller than
    /// the input (`before` bytes, `original`), the input is put back.
    /// Records the sizes and whether the input was kept.
    pub fn keep_smaller(
        &mut self,
        module: &mut Module,
        bodies: &mut Bodies,
        original: (Module, Bodies),
        before: usize,
        after: usize,
    ) {
        self.size_before = Some(before);
        if after >= before && (*module != original.0 || !bodies.same(&original.1)) {
            (*module, *bodies) = original;
            self.kept_input = true;
            self.size_after = Some(before);
        } else {
            self.size_after = Some(after);
        }
    }
}

/// Progress events for a terminal progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Passes finished so far.
    pub done: usize,
    /// Passes in the pipeline.
    pub total: usize,
    /// The pass about to run (or the last one, when `done == total`).
    pub pass: &'static str,
}

/// Runs passes. Deterministic: the same module and settings give the same result.
///
/// ```
/// use wtool_opt::{OptLevel, PassManager, PassOptions};
/// let mut module = wtool_ast::Module::default();
/// let mut pm = PassManager::for_level(OptLevel::OZ, PassOptions::default());
/// pm.skip_pass("coalesce-locals").unwrap();
/// pm.on_progress(Box::new(|p| eprintln!("[{}/{}] {}", p.done, p.total, p.pass)));
/// let report = pm.run(&mut module).unwrap();
/// for t in &report.timings {
///     println!("{:32} {:?}", t.name, t.elapsed);
/// }
/// ```
pub struct PassManager {
    passes: Vec<Box<dyn Pass>>,
    options: PassOptions,
    skip: Vec<String>,
    validate_each: bool,
    /// A custom validator; `None`: `wtool_validate`, one body at a time.
    validator: Option<Validator>,
    /// A custom measure for the `-Oz` guard; `None`: the encoded size.
    size_measure: Option<SizeMeasure>,
    keep_smaller: bool,
    by_function: bool,
    progress: Option<Box<dyn FnMut(Progress)>>,
}

impl PassManager {
    /// An empty pipeline with these options. Validation after each pass
    /// (with `wtool_validate`) is on in debug builds; sizes are measured with
    /// `wtool_binary::encode`.
    pub fn new(options: PassOptions) -> PassManager {
        PassManager {
            passes: Vec::new(),
            options,
            skip: Vec::new(),
            validate_each: cfg!(debug_assertions),
            validator: None,
            size_measure: None,
            keep_smaller: false,
            by_function: true,
            progress: None,
        }
    }

    /// The pipeline of an `-O` level; `-Oz` also keeps the input when the
    /// result is not smaller.
    pub fn for_level(level: OptLevel, mut options: PassOptions) -> PassManager {
        options.opt_level = level.opt;
        options.shrink_level = level.shrink;
        let mut pm = PassManager::new(options);
        for name in level.passes() {
            if let Some(p) = registry::create(name) {
                pm.passes.push(p);
            }
        }
        pm.keep_smaller = level.shrink >= 2;
        pm
    }

    /// A custom pipeline (`--passes a,b,c`).
    pub fn with_passes<S: AsRef<str>>(
        names: &[S],
        options: PassOptions,
    ) -> Result<PassManager, OptError> {
        let mut pm = PassManager::new(options);
        for n in names {
            pm.add(n.as_ref())?;
        }
        Ok(pm)
    }

    fn unknown(name: &str) -> OptError {
        OptError::UnknownPass {
            name: name.to_string(),
            known: registry::names().join(", "),
        }
    }

    /// Appends a registered pass by name.
    pub fn add(&mut self, name: &str) -> Result<&mut Self, OptError> {
        let p = registry::create(name).ok_or_else(|| Self::unknown(name))?;
        self.passes.push(p);
        Ok(self)
    }

    /// Appends a pass instance (passes from outside the registry).
    pub fn add_pass(&mut self, pass: Box<dyn Pass>) -> &mut Self {
        self.passes.push(pass);
        self
    }

    /// Leaves out every occurrence of a pass (`--skip-pass`).
    pub fn skip_pass(&mut self, name: &str) -> Result<&mut Self, OptError> {
        if registry::lookup(name).is_none() && !self.passes.iter().any(|p| p.name() == name) {
            return Err(Self::unknown(name));
        }
        self.skip.push(name.to_string());
        Ok(self)
    }

    /// Validates the input and the module after every pass (default: debug builds).
    pub fn validate_after_each(&mut self, on: bool) -> &mut Self {
        self.validate_each = on;
        self
    }

    /// The validator used by [`PassManager::validate_after_each`].
    pub fn set_validator(&mut self, v: Validator) -> &mut Self {
        self.validator = Some(v);
        self
    }

    /// How to measure size for the `-Oz` guard (default: the encoded size).
    pub fn set_size_measure(&mut self, f: SizeMeasure) -> &mut Self {
        self.size_measure = Some(f);
        self
    }

    /// Keep the input when the result is not smaller (on for `-Oz`).
    pub fn keep_smaller(&mut self, on: bool) -> &mut Self {
        self.keep_smaller = on;
        self
    }

    /// Runs consecutive function-local passes function by function (on by
    /// default): each function goes through the whole run and is then held
    /// encoded until the run is over, so that the decoded module does not
    /// also carry every pass's leftovers. The result is the same module as
    /// running them one after the other.
    pub fn by_function(&mut self, on: bool) -> &mut Self {
        self.by_function = on;
        self
    }

    /// Called before each pass and once at the end.
    pub fn on_progress(&mut self, f: Box<dyn FnMut(Progress)>) -> &mut Self {
        self.progress = Some(f);
        self
    }

    /// The options passes see.
    pub fn options(&self) -> &PassOptions {
        &self.options
    }

    /// Names of the passes that will run, in order (skips applied).
    pub fn pass_names(&self) -> Vec<&'static str> {
        self.passes
            .iter()
            .map(|p| p.name())
            .filter(|n| !self.skip.iter().any(|s| s == n))
            .collect()
    }

    /// The passes (indices) of the run of function-local passes that starts
    /// at `index`, skipped ones left out; empty when by-function running is
    /// off or the pass at `index` is not function-local.
    fn group_at(&self, index: usize) -> Vec<usize> {
        let mut group = Vec::new();
        if !self.by_function {
            return group;
        }
        for (k, pass) in self.passes.iter().enumerate().skip(index) {
            if self.skip.iter().any(|s| s == pass.name()) {
                continue;
            }
            if !pass.function_local() {
                break;
            }
            group.push(k);
        }
        group
    }

    /// The threads function-local passes run on ([`PassOptions::threads`]);
    /// `None` for the calling thread alone (one thread asked for, or no
    /// pool could be made).
    fn pool(&self) -> Option<std::sync::Arc<rayon::ThreadPool>> {
        if !self.by_function {
            return None;
        }
        crate::bodies::pool_of(self.options.threads)
    }

    /// Runs the pipeline over `module`: its bodies are held encoded while
    /// the passes run (when running by function), and decoded again at
    /// the end.
    pub fn run(&mut self, module: &mut Module) -> Result<RunReport, OptError> {
        let mut bodies = if self.by_function {
            Bodies::pack(module, self.options.features, self.pool())
        } else {
            Bodies::open(module, self.options.features)
        };
        let report = self.run_bodies(module, &mut bodies);
        bodies.open_all(module);
        report
    }

    /// Runs the pipeline over `module`, whose function bodies `bodies`
    /// holds (and still holds after).
    pub fn run_bodies(
        &mut self,
        module: &mut Module,
        bodies: &mut Bodies,
    ) -> Result<RunReport, OptError> {
        let start = Instant::now();
        let mut report = RunReport::default();
        let features = self.options.features;
        let validate =
            |m: &Module, b: &Bodies, v: &Option<Validator>| -> Result<(), ValidationError> {
                match v {
                    Some(v) if b.packed_count() == 0 => v(m, features),
                    Some(v) => v(&b.materialize(m), features),
                    None => b.validate(m, features),
                }
            };
        if self.validate_each {
            validate(module, bodies, &self.validator).map_err(OptError::InvalidInput)?;
        }
        if self.by_function && bodies.pool().is_none() {
            bodies.set_pool(self.pool());
        }
        let original = self.keep_smaller.then(|| (module.clone(), bodies.clone()));
        if self.keep_smaller {
            report.size_before = Some(self.measure(module, bodies));
        }
        let names = self.pass_names();
        let total = names.len();
        let mut done = 0;
        let mut index = 0;
        while index < self.passes.len() {
            let group = self.group_at(index);
            if !group.is_empty() {
                let end = group[group.len() - 1] + 1;
                for &k in &group {
                    if let Some(cb) = self.progress.as_mut() {
                        cb(Progress {
                            done,
                            total,
                            pass: self.passes[k].name(),
                        });
                    }
                    done += 1;
                }
                let original = self.validate_each.then(|| (module.clone(), bodies.clone()));
                let timings = crate::by_function::run(
                    &mut self.passes,
                    &group,
                    module,
                    bodies,
                    &self.options,
                );
                let changed = timings.iter().any(|t| t.changed);
                if let (Some((om, ob)), true) = (original, changed) {
                    if validate(module, bodies, &self.validator).is_err() {
                        // Which pass broke it: the run again, one pass at a time.
                        (*module, *bodies) = (om, ob);
                        for &k in &group {
                            let pass = &mut self.passes[k];
                            if pass.run_with(module, bodies, &self.options) {
                                validate(module, bodies, &self.validator).map_err(|error| {
                                    OptError::InvalidAfterPass {
                                        pass: pass.name(),
                                        index: k + 1,
                                        error,
                                    }
                                })?;
                            }
                        }
                    }
                }
                report.timings.extend(timings);
                index = end;
                continue;
            }
            let pass = &mut self.passes[index];
            index += 1;
            let name = pass.name();
            if self.skip.iter().any(|s| s == name) {
                continue;
            }
            if let Some(cb) = self.progress.as_mut() {
                cb(Progress {
                    done,
                    total,
                    pass: name,
                });
            }
            let t = Instant::now();
            let changed = pass.run_with(module, bodies, &self.options);
            report.timings.push(PassTiming {
                name,
                elapsed: t.elapsed(),
                changed,
            });
            done += 1;
            if self.validate_each && changed {
                validate(module, bodies, &self.validator).map_err(|error| {
                    OptError::InvalidAfterPass {
                        pass: name,
                        index,
                        error,
                    }
                })?;
            }
        }
        if let Some(cb) = self.progress.as_mut() {
            cb(Progress {
                done,
                total,
                pass: names.last().copied().unwrap_or(""),
            });
        }
        if let (Some(orig), Some(before)) = (original, report.size_before) {
            let after = self.measure(module, bodies);
            report.keep_smaller(module, bodies, orig, before, after);
        }
        report.total = start.elapsed();
        Ok(report)
    }

    /// The encoded size of `module` with `bodies`, or what the measure
    /// set with [`PassManager::set_size_measure`] says.
    fn measure(&self, module: &Module, bodies: &Bodies) -> usize {
        match &self.size_measure {
            Some(f) => f(&bodies.materialize(module)),
            None => bodies.encoded_size(module),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{func, module};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wtool_ast::Instr;

    /// A pass that breaks every body (for the validation hook).
    struct Breaker;
    impl Pass for Breaker {
        fn name(&self) -> &'static str {
            "breaker"
        }
        fn description(&self) -> &'static str {
            "test"
        }
        fn properties(&self) -> crate::PassProperties {
            crate::PassProperties::default()
        }
        fn run(&mut self, m: &mut Module, _: &PassOptions) -> bool {
            m.funcs[0].body.instrs.insert(0, Instr::Drop);
            true
        }
    }

    fn no_leading_drop() -> Validator {
        Box::new(
            |m: &Module, _| match m.funcs.first().and_then(|f| f.body.instrs.first()) {
                Some(Instr::Drop) => Err(ValidationError::module(
                    wtool_validate::ErrorKind::Malformed("a leading drop"),
                    None,
                )),
                _ => Ok(()),
            },
        )
    }

    #[test]
    fn names_the_pass_that_broke_validity() {
        let mut m = module(&[""], vec![func(0, "", "nop")]);
        let mut pm = PassManager::with_passes(&["vacuum"], PassOptions::default()).unwrap();
        pm.add_pass(Box::new(Breaker))
            .validate_after_each(true)
            .set_validator(no_leading_drop());
        let err = pm.run(&mut m).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pass `breaker` (#2 in the pipeline) produced an invalid module: a leading drop"
        );
    }

    #[test]
    fn skips_times_and_reports_progress() {
        let mut m = module(&[""], vec![func(0, "", "nop i32.const 1 drop")]);
        let mut pm = PassManager::for_level(OptLevel::O2, PassOptions::default());
        pm.skip_pass("vacuum").unwrap();
        assert!(pm.skip_pass("no-such-pass").is_err());
        assert!(!pm.pass_names().contains(&"vacuum"));
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s2 = seen.clone();
        pm.on_progress(Box::new(move |p| s2.borrow_mut().push(p)));
        let report = pm.run(&mut m).unwrap();
        assert_eq!(report.timings.len(), pm.pass_names().len());
        let seen = seen.borrow();
        assert_eq!(seen.len(), pm.pass_names().len() + 1);
        assert_eq!(seen.last().unwrap().done, pm.pass_names().len());
        assert!(PassManager::with_passes(&["dce", "bogus"], PassOptions::default()).is_err());
    }

    #[test]
    fn oz_keeps_the_input_when_not_smaller() {
        let mut m = module(&[""], vec![func(0, "", "nop")]);
        let orig = m.clone();
        let mut pm = PassManager::for_level(OptLevel::OZ, PassOptions::default());
        // A measure under which every change looks bigger.
        pm.set_size_measure(Box::new(|m: &Module| 100 - m.funcs[0].body.instrs.len()));
        let r = pm.run(&mut m).unwrap();
        assert!(r.kept_input);
        assert_eq!(m, orig);
    }
}

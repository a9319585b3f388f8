//! The spec-script runner: runs a `.wast` file's commands against the wtool
//! parser, validator and interpreter, and reports every directive.
//! Components (the Component Model reference tests) are parsed or decoded
//! and validated; running them is not supported yet, and every directive
//! that needs it fails saying so (see `component.rs`).
//!
//! ```ignore
//! let report = wtool_wast::run_script("i32.wast", src, &RunOptions::default());
//! println!("{} passed, {} failed", report.passed, report.failed);
//! ```

mod component;
mod spectest;
mod values;

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::Serialize;
use wtool_ast::{Features, Module};
use wtool_interp::{Config, Extern, Imports, InstanceId, InstantiateError, Store, TrapKind, Value};
use wtool_text::script::{parse_script_with, Action, CommandKind, ModuleSource, ScriptModule};

use component::UNSUPPORTED;
use values::{arg_value, expected_text, matches, values_text};

pub use spectest::define_spectest;
pub use wtool_opt::OptLevel;

/// How to run scripts.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Features for decoding and validation.
    pub features: Features,
    /// Interpreter limits.
    pub config: Config,
    /// Optimize every valid module at this level before instantiating it
    /// (`wtool wast --opt O3`): the optimizer must keep every result.
    pub opt: Option<OptLevel>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            features: Features::WASM2,
            config: Config::default(),
            opt: None,
        }
    }
}

/// The outcome of one directive.
#[derive(Clone, Debug, Serialize)]
pub struct DirectiveResult {
    /// 1-based line of the directive.
    pub line: usize,
    /// The directive keyword (`assert_return`, `module`, ...).
    pub kind: &'static str,
    /// Whether it passed.
    pub passed: bool,
    /// What the script expected.
    pub expected: String,
    /// What happened.
    pub got: String,
}

/// The results of one script.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileReport {
    /// The script's name as given.
    pub file: String,
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed.
    pub failed: usize,
    /// `assert_invalid`/`assert_malformed` rejections with a different
    /// message than the script's (counted as passed: the module was rejected).
    pub message_mismatches: usize,
    /// Every scored directive, in order (`register` is not scored).
    pub directives: Vec<DirectiveResult>,
    /// A script that could not be parsed at all.
    pub parse_error: Option<String>,
}

impl FileReport {
    /// The failed directives.
    pub fn failures(&self) -> impl Iterator<Item = &DirectiveResult> {
        self.directives.iter().filter(|d| !d.passed)
    }
}

/// The results of several scripts.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Per file.
    pub files: Vec<FileReport>,
    /// Total passed.
    pub passed: usize,
    /// Total failed.
    pub failed: usize,
}

impl Report {
    /// Adds a file's results.
    pub fn add(&mut self, f: FileReport) {
        self.passed += f.passed;
        self.failed += f.failed;
        self.files.push(f);
    }

    /// One line per failed directive: `file:line: kind: expected …, got …`.
    pub fn failure_lines(&self) -> Vec<String> {
        self.files
            .iter()
            .flat_map(|f| {
                f.failures().map(move |d| {
                    format!(
                        "{}:{}: {}: expected {}, got {}",
                        f.file, d.line, d.kind, d.expected, d.got
                    )
                })
            })
            .collect()
    }

    /// The summary line: `N passed, M failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

/// Runs one script. A script that does not parse counts as one failure.
pub fn run_script(file: &str, src: &[u8], opts: &RunOptions) -> FileReport {
    let mut report = FileReport {
        file: file.to_string(),
        ..FileReport::default()
    };
    let script = match parse_script_with(src, opts.features) {
        Ok(s) => s,
        Err(e) => {
            let (l, c) = e.line_col(src);
            report.parse_error = Some(format!("{l}:{c}: {e}"));
            report.failed = 1;
            report.directives.push(DirectiveResult {
                line: l,
                kind: "script",
                passed: false,
                expected: "a script that parses".into(),
                got: e.to_string(),
            });
            return report;
        }
    };
    let mut r = Runner::new(opts);
    for cmd in script.commands {
        let kind = kind_name(&cmd.kind);
        if matches!(cmd.kind, CommandKind::Register { .. }) {
            // Not scored, but a failed register makes later links fail.
            let _ = catch_unwind(AssertUnwindSafe(|| r.command(cmd.kind)));
            continue;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| r.command(cmd.kind)));
        let (passed, expected, got) = match outcome {
            Ok(Outcome {
                passed,
                expected,
                got,
                mismatch,
            }) => {
                if mismatch {
                    report.message_mismatches += 1;
                }
                (passed, expected, got)
            }
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                (false, String::new(), format!("panic: {msg}"))
            }
        };
        if passed {
            report.passed += 1;
        } else {
            report.failed += 1;
        }
        report.directives.push(DirectiveResult {
            line: cmd.line,
            kind,
            passed,
            expected,
            got,
        });
    }
    report
}

fn kind_name(k: &CommandKind) -> &'static str {
    match k {
        CommandKind::Module {
            definition: false, ..
        } => "module",
        CommandKind::Module {
            definition: true, ..
        } => "module definition",
        CommandKind::Instance { .. } => "module instance",
        CommandKind::Register { .. } => "register",
        CommandKind::Action(_) => "action",
        CommandKind::AssertReturn { .. } => "assert_return",
        CommandKind::AssertTrap { .. } => "assert_trap",
        CommandKind::AssertModuleTrap { .. } => "assert_trap",
        CommandKind::AssertExhaustion { .. } => "assert_exhaustion",
        CommandKind::AssertInvalid { .. } => "assert_invalid",
        CommandKind::AssertMalformed { .. } => "assert_malformed",
        CommandKind::AssertUnlinkable { .. } => "assert_unlinkable",
        CommandKind::AssertUninstantiable { .. } => "assert_uninstantiable",
        CommandKind::AssertException { .. } => "assert_exception",
        CommandKind::AssertMalformedCustom { .. } => "assert_malformed_custom",
        CommandKind::AssertInvalidCustom { .. } => "assert_invalid_custom",
        CommandKind::Component {
            definition: false, ..
        } => "component",
        CommandKind::Component {
            definition: true, ..
        } => "component definition",
        CommandKind::ComponentInstance { .. } => "component instance",
        CommandKind::AssertComponent { assertion, .. } => assertion.keyword(),
    }
}

struct Outcome {
    passed: bool,
    expected: String,
    got: String,
    mismatch: bool,
}

fn outcome(passed: bool, expected: impl Into<String>, got: impl Into<String>) -> Outcome {
    Outcome {
        passed,
        expected: expected.into(),
        got: got.into(),
        mismatch: false,
    }
}

/// Where building a module failed.
enum BuildError {
    Malformed(String),
    Invalid(String),
}

struct Runner {
    features: Features,
    opt: Option<OptLevel>,
    store: Store,
    imports: Imports,
    named: HashMap<String, InstanceId>,
    current: Option<InstanceId>,
    /// Modules of each instance (for `ref.func` expectations) are not kept;
    /// definitions are, by name.
    definitions: HashMap<String, Module>,
    last_definition: Option<Module>,
    /// Names of component instances: actions on them are not supported yet.
    component_names: HashSet<String>,
    /// The latest module-like directive was a component.
    current_is_component: bool,
    /// Names of valid component definitions.
    component_definitions: HashSet<String>,
    /// The latest component definition was valid.
    last_component_definition: bool,
}

impl Runner {
    fn new(opts: &RunOptions) -> Runner {
        let mut store = Store::with_config(opts.config);
        let mut imports = Imports::new();
        define_spectest(&mut store, &mut imports);
        Runner {
            features: opts.features,
            opt: opts.opt,
            store,
            imports,
            named: HashMap::new(),
            current: None,
            definitions: HashMap::new(),
            last_definition: None,
            component_names: HashSet::new(),
            current_is_component: false,
            component_definitions: HashSet::new(),
            last_component_definition: false,
        }
    }

    fn build(&self, m: ScriptModule) -> Result<Module, BuildError> {
        let module = match m.source {
            ModuleSource::Text(m) => *m,
            ModuleSource::TextError(e) => return Err(BuildError::Malformed(e.to_string())),
            ModuleSource::Binary(b) => wtool_binary::decode_with_features(&b, self.features)
                .map_err(|e| BuildError::Malformed(e.to_string()))?,
            ModuleSource::Quote(q) => wtool_text::parse_module_with(&q, self.features)
                .map_err(|e| BuildError::Malformed(e.to_string()))?,
        };
        wtool_validate::validate(&module, self.features)
            .map_err(|e| BuildError::Invalid(e.kind.to_string()))?;
        let mut module = module;
        if let Some(level) = self.opt {
            let opts = wtool_opt::PassOptions {
                features: self.features,
                opt_level: level.opt,
                shrink_level: level.shrink,
                ..wtool_opt::PassOptions::default()
            };
            // An optimizer failure on a valid module fails the directive.
            wtool_opt::optimize(&mut module, level, opts)
                .map_err(|e| BuildError::Invalid(format!("optimizer: {e}")))?;
        }
        Ok(module)
    }

    fn instantiate(
        &mut self,
        module: &Module,
        name: Option<String>,
    ) -> Result<InstanceId, InstantiateError> {
        self.current_is_component = false;
        if let Some(n) = &name {
            self.component_names.remove(n);
        }
        match self.store.instantiate(module, &self.imports) {
            Ok(i) => {
                self.current = Some(i);
                if let Some(n) = name {
                    self.named.insert(n, i);
                }
                Ok(i)
            }
            Err(e) => {
                self.current = None;
                if let Some(n) = name {
                    self.named.remove(&n);
                }
                Err(e)
            }
        }
    }

    fn instance(&self, name: &Option<String>) -> Option<InstanceId> {
        match name {
            Some(n) => self.named.get(n).copied(),
            None => self.current,
        }
    }

    /// Makes a component the target of later actions (under `name` too).
    fn component_target(&mut self, name: Option<String>) {
        self.current = None;
        self.current_is_component = true;
        if let Some(n) = name {
            self.named.remove(&n);
            self.component_names.insert(n);
        }
    }

    fn action(&mut self, a: &Action) -> Result<Result<Vec<Value>, wtool_interp::Trap>, String> {
        let (Action::Invoke { module, .. } | Action::Get { module, .. }) = a;
        let on_component = match module {
            Some(n) => self.component_names.contains(n),
            None => self.current_is_component,
        };
        if on_component {
            return Err(UNSUPPORTED.into());
        }
        match a {
            Action::Invoke { module, name, args } => {
                let inst = self.instance(module).ok_or("no module instance")?;
                let args = args.iter().map(arg_value).collect::<Result<Vec<_>, _>>()?;
                if self.store.export_func_type(inst, name).is_none() {
                    return Err(format!("no exported function \"{name}\""));
                }
                Ok(self.store.invoke(inst, name, &args))
            }
            Action::Get { module, name } => {
                let inst = self.instance(module).ok_or("no module instance")?;
                match self.store.get_export(inst, name) {
                    Some(Extern::Global(g)) => {
                        Ok(Ok(self.store.global_value(g).into_iter().collect()))
                    }
                    _ => Err(format!("no exported global \"{name}\"")),
                }
            }
        }
    }

    fn command(&mut self, k: CommandKind) -> Outcome {
        match k {
            CommandKind::Module { module, definition } => {
                let name = module.name.clone();
                let m = match self.build(module) {
                    Ok(m) => m,
                    Err(BuildError::Malformed(e) | BuildError::Invalid(e)) => {
                        if !definition {
                            self.current = None;
                            self.current_is_component = false;
                            if let Some(n) = &name {
                                self.named.remove(n);
                                self.component_names.remove(n);
                            }
                        }
                        return outcome(false, "a valid module", e);
                    }
                };
                if definition {
                    if let Some(n) = name {
                        self.definitions.insert(n, m.clone());
                    }
                    self.last_definition = Some(m);
                    return outcome(true, "", "");
                }
                match self.instantiate(&m, name) {
                    Ok(_) => outcome(true, "", ""),
                    Err(e) => outcome(false, "instantiation", e.to_string()),
                }
            }
            CommandKind::Instance { instance, module } => {
                let m = match &module {
                    Some(n) => self.definitions.get(n).cloned(),
                    None => self.last_definition.clone(),
                };
                let Some(m) = m else {
                    return outcome(false, "a module definition", "none");
                };
                match self.instantiate(&m, instance) {
                    Ok(_) => outcome(true, "", ""),
                    Err(e) => outcome(false, "instantiation", e.to_string()),
                }
            }
            CommandKind::Component {
                component,
                definition,
            } => {
                let name = component.name.clone();
                let built = component::build(component, self.features);
                if definition {
                    self.last_component_definition = built.is_ok();
                    if let Some(n) = name {
                        if built.is_ok() {
                            self.component_definitions.insert(n);
                        } else {
                            self.component_definitions.remove(&n);
                        }
                    }
                } else {
                    // Actions go to it (and fail) whether or not it is valid.
                    self.component_target(name);
                }
                match built {
                    // Instantiating one that runs nothing of its own needs no
                    // runtime; one with a start function does.
                    Ok(c) if !definition && component::may_run(&c) => outcome(
                        false,
                        "instantiation",
                        format!("{UNSUPPORTED} (it has a start function)"),
                    ),
                    Ok(_) => outcome(true, "", ""),
                    Err(BuildError::Malformed(e) | BuildError::Invalid(e)) => {
                        outcome(false, "a valid component", e)
                    }
                }
            }
            CommandKind::ComponentInstance {
                instance,
                component,
            } => {
                let known = match &component {
                    Some(n) => self.component_definitions.contains(n),
                    None => self.last_component_definition,
                };
                self.component_target(instance);
                if known {
                    outcome(false, "instantiation", UNSUPPORTED)
                } else {
                    outcome(false, "a valid component definition", "none")
                }
            }
            CommandKind::AssertComponent {
                assertion,
                component,
                message,
            } => component::assertion(assertion, component, &message, self.features),
            CommandKind::Register { name, module } => match self.instance(&module) {
                Some(i) => {
                    self.imports.register_instance(&self.store, &name, i);
                    outcome(true, "", "")
                }
                None => outcome(false, "a module to register", "none"),
            },
            CommandKind::Action(a) => match self.action(&a) {
                Ok(Ok(_)) => outcome(true, "", ""),
                Ok(Err(t)) => outcome(false, "success", format!("trap: {t}")),
                Err(e) => outcome(false, "success", e),
            },
            CommandKind::AssertReturn { action, expected } => {
                let exp = expected
                    .iter()
                    .map(expected_text)
                    .collect::<Vec<_>>()
                    .join(" ");
                match self.action(&action) {
                    Ok(Ok(got)) => {
                        let ok = got.len() == expected.len()
                            && got.iter().zip(&expected).all(|(g, e)| matches(g, e));
                        let got = got
                            .iter()
                            .map(|v| v.to_string())
                            .collect::<Vec<_>>()
                            .join(" ");
                        outcome(ok, exp, got)
                    }
                    Ok(Err(t)) => outcome(false, exp, format!("trap: {t}")),
                    Err(e) => outcome(false, exp, e),
                }
            }
            CommandKind::AssertTrap { action, message } => match self.action(&action) {
                Ok(Err(t)) => {
                    let ok = message_matches(t.message(), &message);
                    outcome(ok, format!("trap: {message}"), format!("trap: {t}"))
                }
                Ok(Ok(v)) => outcome(false, format!("trap: {message}"), values_text(&v)),
                Err(e) => outcome(false, format!("trap: {message}"), e),
            },
            CommandKind::AssertExhaustion { action, message } => match self.action(&action) {
                Ok(Err(t)) => {
                    let ok = t.kind == TrapKind::CallStackExhausted;
                    outcome(ok, format!("exhaustion: {message}"), format!("trap: {t}"))
                }
                Ok(Ok(v)) => outcome(false, format!("exhaustion: {message}"), values_text(&v)),
                Err(e) => outcome(false, format!("exhaustion: {message}"), e),
            },
            CommandKind::AssertModuleTrap { module, message }
            | CommandKind::AssertUninstantiable { module, message } => {
                let exp = format!("instantiation trap: {message}");
                match self.build(module) {
                    Ok(m) => match self.store.instantiate(&m, &self.imports) {
                        Err(InstantiateError::Trap(t)) => {
                            outcome(message_matches(t.message(), &message), exp, t.to_string())
                        }
                        Err(e) => outcome(false, exp, e.to_string()),
                        Ok(_) => outcome(false, exp, "instantiated"),
                    },
                    Err(BuildError::Malformed(e) | BuildError::Invalid(e)) => {
                        outcome(false, exp, e)
                    }
                }
            }
            CommandKind::AssertUnlinkable { module, message } => {
                let exp = format!("link error: {message}");
                match self.build(module) {
                    Ok(m) => match self.store.instantiate(&m, &self.imports) {
                        Err(InstantiateError::Link {
                            message: got,
                            module,
                            name,
                        }) => {
                            let mut o = outcome(true, exp, format!("{got}: {module}.{name}"));
                            o.mismatch = !message_matches(got, &message);
                            o
                        }
                        Err(e) => outcome(false, exp, e.to_string()),
                        Ok(_) => outcome(false, exp, "instantiated"),
                    },
                    Err(BuildError::Malformed(e) | BuildError::Invalid(e)) => {
                        outcome(false, exp, e)
                    }
                }
            }
            CommandKind::AssertException { action } => match self.action(&action) {
                Ok(Err(t)) if matches!(t.kind, wtool_interp::TrapKind::Exception(_)) => {
                    outcome(true, "an uncaught exception", t.to_string())
                }
                Ok(Err(t)) => outcome(false, "an uncaught exception", format!("trap: {t}")),
                Ok(Ok(v)) => outcome(false, "an uncaught exception", values_text(&v)),
                Err(e) => outcome(false, "an uncaught exception", e),
            },
            // Custom sections and annotations the toolchain interprets (name,
            // producers, custom) are checked as they are parsed; a malformed
            // one is rejected like a malformed module. Branch hints are kept
            // as custom sections without being checked, so those directives
            // fail honestly.
            CommandKind::AssertMalformedCustom { module, message } => {
                let exp = format!("malformed custom section: {message}");
                match self.build(module) {
                    Ok(_) => outcome(false, exp, "accepted"),
                    Err(BuildError::Malformed(e) | BuildError::Invalid(e)) => {
                        let mut o = outcome(true, exp, format!("malformed: {e}"));
                        o.mismatch = !message_matches(&e, &message);
                        o
                    }
                }
            }
            CommandKind::AssertInvalidCustom { module, message } => {
                let exp = format!("invalid custom section: {message}");
                match self.build(module) {
                    Ok(_) => outcome(false, exp, "accepted"),
                    Err(BuildError::Malformed(e) | BuildError::Invalid(e)) => {
                        let mut o = outcome(true, exp, format!("invalid: {e}"));
                        o.mismatch = !message_matches(&e, &message);
                        o
                    }
                }
            }
            CommandKind::AssertInvalid { module, message } => {
                let exp = format!("invalid: {message}");
                match self.build(module) {
                    Ok(_) => outcome(false, exp, "valid"),
                    Err(BuildError::Invalid(e)) => {
                        let mut o = outcome(true, exp, format!("invalid: {e}"));
                        o.mismatch = !message_matches(&e, &message);
                        o
                    }
                    Err(BuildError::Malformed(e)) => {
                        // Text modules resolve names while parsing, so some
                        // invalid modules (unknown labels, types) are caught there.
                        let mut o = outcome(true, exp, format!("malformed: {e}"));
                        o.mismatch = !message_matches(&e, &message);
                        o
                    }
                }
            }
            CommandKind::AssertMalformed { module, message } => {
                let exp = format!("malformed: {message}");
                match self.build(module) {
                    Ok(_) => outcome(false, exp, "accepted"),
                    Err(BuildError::Malformed(e)) => {
                        let mut o = outcome(true, exp, format!("malformed: {e}"));
                        o.mismatch = !message_matches(&e, &message);
                        o
                    }
                    Err(BuildError::Invalid(e)) => {
                        let mut o = outcome(true, exp, format!("invalid: {e}"));
                        o.mismatch = true;
                        o
                    }
                }
            }
        }
    }
}

/// Spec messages are compared by prefix either way ("uninitialized element 2"
/// vs "uninitialized element").
fn message_matches(got: &str, expected: &str) -> bool {
    got.starts_with(expected) || expected.starts_with(got)
}

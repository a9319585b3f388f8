//! WAST scripts: modules, components, actions and assertions as a
//! [`Script`] AST for a later runner. Modules and components in text form
//! are parsed here; `binary` and `quote` forms are kept as bytes (decoding
//! or parsing them is part of what an assertion checks).

mod values;

use wtool_ast::{Features, HeapType, Module};
use wtool_component::Component;

use crate::component::{script_form, ScriptForm};
use crate::error::{Result, TextError, TextErrorKind};
use crate::lexer::Kind;
use crate::parser::module::{module_form, ModuleForm};
use crate::parser::Parser;
use values::{result, value};

/// A parsed script.
#[derive(Debug, Default)]
pub struct Script {
    /// The commands in order.
    pub commands: Vec<Command>,
}

/// One command with its position.
#[derive(Debug)]
pub struct Command {
    /// 1-based line of the command's `(`.
    pub line: usize,
    /// Byte offset of the command's `(`.
    pub offset: usize,
    /// What it says.
    pub kind: CommandKind,
}

/// How a module of a script is given.
#[derive(Debug)]
pub enum ModuleSource {
    /// Text, already parsed.
    Text(Box<Module>),
    /// Text that failed to parse: the script goes on, the runner reports
    /// (or, under `assert_malformed`, expects) the error.
    TextError(TextError),
    /// `(module binary …)`: the bytes.
    Binary(Vec<u8>),
    /// `(module quote …)`: the quoted text, as bytes.
    Quote(Vec<u8>),
}

/// A module form of a script.
#[derive(Debug)]
pub struct ScriptModule {
    /// `$name`, without the `$`.
    pub name: Option<String>,
    /// The contents.
    pub source: ModuleSource,
    /// Byte offset of its `(`.
    pub offset: usize,
}

/// How a component of a script is given.
#[derive(Debug)]
pub enum ComponentSource {
    /// Text, already parsed.
    Text(Box<Component>),
    /// Text that failed to parse: the script goes on, the runner reports
    /// (or, under `assert_malformed`, expects) the error.
    TextError(TextError),
    /// `(component binary …)`: the bytes.
    Binary(Vec<u8>),
    /// `(component quote …)`: the quoted text, as bytes.
    Quote(Vec<u8>),
}

/// A component form of a script.
#[derive(Debug)]
pub struct ScriptComponent {
    /// `$name`, without the `$`.
    pub name: Option<String>,
    /// The contents.
    pub source: ComponentSource,
    /// Byte offset of its `(`.
    pub offset: usize,
}

/// What an assertion over a component expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentAssertion {
    /// `assert_invalid`: validation fails.
    Invalid,
    /// `assert_malformed`: decoding or parsing fails.
    Malformed,
    /// `assert_unlinkable`: valid, but its imports cannot be satisfied.
    Unlinkable,
    /// `assert_uninstantiable`: valid, but instantiation traps.
    Uninstantiable,
    /// `assert_trap (component …)`: valid, but instantiation traps.
    Trap,
}

impl ComponentAssertion {
    /// The directive's keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            ComponentAssertion::Invalid => "assert_invalid",
            ComponentAssertion::Malformed => "assert_malformed",
            ComponentAssertion::Unlinkable => "assert_unlinkable",
            ComponentAssertion::Uninstantiable => "assert_uninstantiable",
            ComponentAssertion::Trap => "assert_trap",
        }
    }
}

/// A Component Model value of an action (`u32.const 7`, `str.const "a"`,
/// `list.const …`). A bare `(f32.const …)` or `(f64.const …)` argument is
/// read as a core constant, as the `wast` crate reads it; inside a compound
/// value it is a component float.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComponentValue {
    /// `bool.const true|false`
    Bool(bool),
    /// `u8.const`
    U8(u8),
    /// `s8.const`
    S8(i8),
    /// `u16.const`
    U16(u16),
    /// `s16.const`
    S16(i16),
    /// `u32.const`
    U32(u32),
    /// `s32.const`
    S32(i32),
    /// `u64.const`
    U64(u64),
    /// `s64.const`
    S64(i64),
    /// `f32.const` inside a compound value, raw bits.
    F32(u32),
    /// `f64.const` inside a compound value, raw bits.
    F64(u64),
    /// `char.const "c"`
    Char(char),
    /// `str.const "…"`
    String(String),
    /// `list.const (v)*`
    List(Vec<ComponentValue>),
    /// `map.const (entry (k) (v))*`, in written order.
    Map(Vec<(ComponentValue, ComponentValue)>),
    /// `record.const (field "name" v)*`
    Record(Vec<(String, ComponentValue)>),
    /// `tuple.const (v)*`
    Tuple(Vec<ComponentValue>),
    /// `variant.const "case" (v)?`
    Variant(String, Option<Box<ComponentValue>>),
    /// `enum.const "case"`
    Enum(String),
    /// `option.none` or `option.some (v)`
    Option(Option<Box<ComponentValue>>),
    /// `result.ok (v)?` or `result.err (v)?`
    Result(std::result::Result<Option<Box<ComponentValue>>, Option<Box<ComponentValue>>>),
    /// `flags.const "name"*`
    Flags(Vec<String>),
}

/// A constant argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `i32.const`
    I32(i32),
    /// `i64.const`
    I64(i64),
    /// `f32.const`, raw bits.
    F32(u32),
    /// `f64.const`, raw bits.
    F64(u64),
    /// `v128.const`, little-endian bytes.
    V128([u8; 16]),
    /// `ref.null ht`
    RefNull(HeapType),
    /// `ref.extern n`
    RefExtern(u32),
    /// `ref.host n`: host value n in the `any` hierarchy.
    RefHost(u32),
    /// `ref.func f` (an index into the module's functions)
    RefFunc(u32),
    /// A Component Model value, for a component's function.
    Component(ComponentValue),
}

/// A float result pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatPattern<T> {
    /// Exactly these bits.
    Bits(T),
    /// `nan:canonical`
    CanonicalNan,
    /// `nan:arithmetic`
    ArithmeticNan,
}

/// A `v128` result pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum V128Pattern {
    /// Integer shapes (and exact float lanes written as integers): exact bytes.
    Bytes([u8; 16]),
    /// `f32x4` lanes.
    F32x4([FloatPattern<u32>; 4]),
    /// `f64x2` lanes.
    F64x2([FloatPattern<u64>; 2]),
}

/// An expected result of `assert_return`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// `i32.const`
    I32(i32),
    /// `i64.const`
    I64(i64),
    /// `f32.const` with a value or NaN pattern.
    F32(FloatPattern<u32>),
    /// `f64.const` with a value or NaN pattern.
    F64(FloatPattern<u64>),
    /// `v128.const` with lane patterns.
    V128(V128Pattern),
    /// `ref.null` (with its heap type when written).
    RefNull(Option<HeapType>),
    /// `ref.extern` (any non-null extern when no number is given).
    RefExtern(Option<u32>),
    /// `ref.host n`: host value n seen in the `any` hierarchy.
    RefHost(u32),
    /// `ref.func` (any non-null funcref when no index is given).
    RefFunc(Option<u32>),
    /// `ref.struct`: any non-null struct reference.
    RefStruct,
    /// `ref.array`: any non-null array reference.
    RefArray,
    /// `ref.eq`: any non-null `eqref` (struct, array or i31).
    RefEq,
    /// `ref.i31`: any i31 reference.
    RefI31,
    /// `ref.any`: any non-null `anyref`.
    RefAny,
    /// `ref.exn`: any non-null exception reference.
    RefExn,
    /// `(either r*)`: any one of them.
    Either(Vec<Expected>),
    /// A Component Model value a component's function returns.
    Component(ComponentValue),
}

/// `invoke` or `get`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Call an export.
    Invoke {
        /// Module name, or the latest module.
        module: Option<String>,
        /// Export name.
        name: String,
        /// Arguments.
        args: Vec<Value>,
    },
    /// Read an exported global.
    Get {
        /// Module name, or the latest module.
        module: Option<String>,
        /// Export name.
        name: String,
    },
}

/// The commands of the WAST format.
#[derive(Debug)]
pub enum CommandKind {
    /// `(module …)`, or `(module definition …)` when `definition`.
    Module {
        /// The module.
        module: ScriptModule,
        /// `module definition`: defined, not instantiated.
        definition: bool,
    },
    /// `(module instance $i? $m?)`.
    Instance {
        /// Instance name.
        instance: Option<String>,
        /// Module definition name.
        module: Option<String>,
    },
    /// `(component …)`, or `(component definition …)` when `definition`.
    Component {
        /// The component.
        component: ScriptComponent,
        /// `component definition`: defined, not instantiated.
        definition: bool,
    },
    /// `(component instance $i? $c?)`.
    ComponentInstance {
        /// Instance name.
        instance: Option<String>,
        /// Component definition name.
        component: Option<String>,
    },
    /// `assert_invalid`, `assert_malformed`, `assert_unlinkable`,
    /// `assert_uninstantiable` or `assert_trap` over a component.
    AssertComponent {
        /// Which assertion.
        assertion: ComponentAssertion,
        /// The component.
        component: ScriptComponent,
        /// Expected message.
        message: String,
    },
    /// `(register "name" $m?)`.
    Register {
        /// The name imports use.
        name: String,
        /// Module name, or the latest module.
        module: Option<String>,
    },
    /// A bare action.
    Action(Action),
    /// `(assert_return action result*)`.
    AssertReturn {
        /// What to run.
        action: Action,
        /// Expected results.
        expected: Vec<Expected>,
    },
    /// `(assert_trap action "msg")`.
    AssertTrap {
        /// What to run.
        action: Action,
        /// Expected message.
        message: String,
    },
    /// `(assert_trap (module …) "msg")`: instantiation traps.
    AssertModuleTrap {
        /// The module.
        module: ScriptModule,
        /// Expected message.
        message: String,
    },
    /// `(assert_exhaustion action "msg")`.
    AssertExhaustion {
        /// What to run.
        action: Action,
        /// Expected message.
        message: String,
    },
    /// `(assert_exception action)`: the action throws an exception that
    /// nothing catches.
    AssertException {
        /// What to run.
        action: Action,
    },
    /// `(assert_malformed_custom module "msg")`: a custom section or
    /// annotation of the module is malformed.
    AssertMalformedCustom {
        /// The module.
        module: ScriptModule,
        /// Expected message.
        message: String,
    },
    /// `(assert_invalid_custom module "msg")`: a custom section or
    /// annotation of the module is invalid.
    AssertInvalidCustom {
        /// The module.
        module: ScriptModule,
        /// Expected message.
        message: String,
    },
    /// `(assert_invalid module "msg")`.
    AssertInvalid {
        /// The module.
        module: ScriptModule,
        /// Expected message.
        message: String,
    },
    /// `(assert_malformed module "msg")`.
    AssertMalformed {
        /// The module.
        module: ScriptModule,
        /// Expected message.
        message: String,
    },
    /// `(assert_unlinkable module "msg")`.
    AssertUnlinkable {
        /// The module.
        module: ScriptModule,
        /// Expected message.
        message: String,
    },
    /// `(assert_uninstantiable module "msg")`.
    AssertUninstantiable {
        /// The module.
        module: ScriptModule,
        /// Expected message.
        message: String,
    },
}

/// Parses a `.wast` script for WebAssembly with the default features.
pub fn parse_script(src: &[u8]) -> Result<Script> {
    parse_script_with(src, Features::default())
}

/// Parses a `.wast` script whose modules use `features`.
pub fn parse_script_with(src: &[u8], features: Features) -> Result<Script> {
    let mut p = Parser::new(src, features)?;
    let mut script = Script::default();
    // A script may be just the fields of one module.
    if matches!(
        p.peek_lparen_kw(),
        Some(
            "type"
                | "import"
                | "func"
                | "table"
                | "memory"
                | "global"
                | "export"
                | "start"
                | "elem"
                | "data"
        )
    ) {
        let source = match crate::parse_module(src) {
            Ok(m) => ModuleSource::Text(Box::new(m)),
            Err(e) => ModuleSource::TextError(e),
        };
        let module = ScriptModule {
            name: None,
            source,
            offset: 0,
        };
        script.commands.push(Command {
            line: 1,
            offset: 0,
            kind: CommandKind::Module {
                module,
                definition: false,
            },
        });
        return Ok(script);
    }
    let mut line = 1usize;
    let mut line_at = 0usize;
    while let Some(t) = p.peek() {
        if t.kind != Kind::LParen {
            return Err(p.unexpected("a command"));
        }
        let offset = t.start as usize;
        line += src
            .get(line_at..offset)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        line_at = offset;
        let kind = command(&mut p)?;
        script.commands.push(Command { line, offset, kind });
    }
    Ok(script)
}

fn command(p: &mut Parser<'_>) -> Result<CommandKind> {
    let Some(kw) = p.peek_lparen_kw() else {
        p.pos += 1;
        return Err(p.unexpected("a command"));
    };
    if kw == "module" {
        return module_command(p);
    }
    if kw == "component" {
        return component_command(p);
    }
    if matches!(kw, "invoke" | "get") {
        return Ok(CommandKind::Action(action(p)?));
    }
    let kw_tok = p.peek_at(1);
    p.pos += 2;
    if let Some(assertion) = component_assertion(kw).filter(|_| p.at_lparen_kw("component")) {
        let component = script_component(p)?;
        let message = message(p)?;
        p.expect_rparen()?;
        return Ok(CommandKind::AssertComponent {
            assertion,
            component,
            message,
        });
    }
    let k = match kw {
        "register" => {
            let name = p.name()?;
            let module = p.opt_id()?.map(|(n, _)| n.into_owned());
            CommandKind::Register { name, module }
        }
        "assert_return" => {
            let action = action(p)?;
            let mut expected = Vec::new();
            while !p.at_rparen() {
                expected.push(result(p, true)?);
            }
            CommandKind::AssertReturn { action, expected }
        }
        "assert_trap" => {
            if p.at_lparen_kw("module") {
                let module = script_module(p)?;
                CommandKind::AssertModuleTrap {
                    module,
                    message: message(p)?,
                }
            } else {
                let action = action(p)?;
                CommandKind::AssertTrap {
                    action,
                    message: message(p)?,
                }
            }
        }
        "assert_exhaustion" => {
            let action = action(p)?;
            CommandKind::AssertExhaustion {
                action,
                message: message(p)?,
            }
        }
        "assert_exception" => CommandKind::AssertException { action: action(p)? },
        "assert_malformed_custom" => {
            let module = script_module(p)?;
            CommandKind::AssertMalformedCustom {
                module,
                message: message(p)?,
            }
        }
        "assert_invalid_custom" => {
            let module = script_module(p)?;
            CommandKind::AssertInvalidCustom {
                module,
                message: message(p)?,
            }
        }
        "assert_invalid" => {
            let module = script_module(p)?;
            CommandKind::AssertInvalid {
                module,
                message: message(p)?,
            }
        }
        "assert_malformed" => {
            let module = script_module(p)?;
            CommandKind::AssertMalformed {
                module,
                message: message(p)?,
            }
        }
        "assert_unlinkable" => {
            let module = script_module(p)?;
            CommandKind::AssertUnlinkable {
                module,
                message: message(p)?,
            }
        }
        "assert_uninstantiable" => {
            let module = script_module(p)?;
            CommandKind::AssertUninstantiable {
                module,
                message: message(p)?,
            }
        }
        _ => {
            let t = kw_tok.unwrap_or(crate::lexer::Token {
                kind: Kind::Keyword,
                start: 0,
                end: 0,
            });
            return Err(p.error_at(
                TextErrorKind::Expected {
                    expected: "a command".into(),
                    found: p.describe(t),
                },
                t,
            ));
        }
    };
    p.expect_rparen()?;
    Ok(k)
}

fn message(p: &mut Parser<'_>) -> Result<String> {
    let b = p.string()?;
    Ok(String::from_utf8_lossy(&b).into_owned())
}

fn module_command(p: &mut Parser<'_>) -> Result<CommandKind> {
    // `(module definition …)` and `(module instance $i $m)` come first.
    match p.peek_at(2).map(|t| (t.kind, p.text(t))) {
        Some((Kind::Keyword, "instance")) => {
            p.pos += 3;
            let instance = p.opt_id()?.map(|(n, _)| n.into_owned());
            let module = p.opt_id()?.map(|(n, _)| n.into_owned());
            p.expect_rparen()?;
            Ok(CommandKind::Instance { instance, module })
        }
        Some((Kind::Keyword, "definition")) => {
            let offset = p.offset() as usize;
            let open = p.pos;
            p.pos += 3;
            let module = module_rest(p, offset, open)?;
            Ok(CommandKind::Module {
                module,
                definition: true,
            })
        }
        _ => Ok(CommandKind::Module {
            module: script_module(p)?,
            definition: false,
        }),
    }
}

/// `(module …)`; a text module that fails to parse is kept as its error.
fn script_module(p: &mut Parser<'_>) -> Result<ScriptModule> {
    let offset = p.offset() as usize;
    let open = p.pos;
    if !p.eat_lparen_kw("module") {
        return Err(p.unexpected("`(module`"));
    }
    module_rest(p, offset, open)
}

fn module_rest(p: &mut Parser<'_>, offset: usize, open: usize) -> Result<ScriptModule> {
    if p.peek_kw() == Some("definition") {
        p.pos += 1;
    }
    let name_tok = p.peek().filter(|t| t.kind == Kind::Id);
    match module_form(p) {
        Ok((name, form)) => {
            p.expect_rparen()?;
            let source = match form {
                ModuleForm::Text(m) => ModuleSource::Text(m),
                ModuleForm::Binary(b) => ModuleSource::Binary(b),
                ModuleForm::Quote(q) => ModuleSource::Quote(q),
            };
            Ok(ScriptModule {
                name,
                source,
                offset,
            })
        }
        Err(e) => {
            // Skip to the module's closing paren: back up to its `(`.
            p.pos = open;
            p.skip_item()?;
            let name = name_tok.map(|t| p.text(t)[1..].to_string());
            Ok(ScriptModule {
                name,
                source: ModuleSource::TextError(e),
                offset,
            })
        }
    }
}

/// The assertions that may hold a component instead of a module.
fn component_assertion(kw: &str) -> Option<ComponentAssertion> {
    Some(match kw {
        "assert_invalid" => ComponentAssertion::Invalid,
        "assert_malformed" => ComponentAssertion::Malformed,
        "assert_unlinkable" => ComponentAssertion::Unlinkable,
        "assert_uninstantiable" => ComponentAssertion::Uninstantiable,
        "assert_trap" => ComponentAssertion::Trap,
        _ => return None,
    })
}

fn component_command(p: &mut Parser<'_>) -> Result<CommandKind> {
    // `(component instance $i $c)` and `(component definition …)`, as for modules.
    match p.peek_at(2).map(|t| (t.kind, p.text(t))) {
        Some((Kind::Keyword, "instance")) => {
            p.pos += 3;
            let instance = p.opt_id()?.map(|(n, _)| n.into_owned());
            let component = p.opt_id()?.map(|(n, _)| n.into_owned());
            p.expect_rparen()?;
            Ok(CommandKind::ComponentInstance {
                instance,
                component,
            })
        }
        Some((Kind::Keyword, "definition")) => Ok(CommandKind::Component {
            component: script_component(p)?,
            definition: true,
        }),
        _ => Ok(CommandKind::Component {
            component: script_component(p)?,
            definition: false,
        }),
    }
}

/// `(component …)` or `(component definition …)`; a text component that
/// fails to parse is kept as its error.
fn script_component(p: &mut Parser<'_>) -> Result<ScriptComponent> {
    let offset = p.offset() as usize;
    let open = p.pos;
    if !p.eat_lparen_kw("component") {
        return Err(p.unexpected("`(component`"));
    }
    if p.peek_kw() == Some("definition") {
        p.pos += 1;
    }
    let name_tok = p.peek().filter(|t| t.kind == Kind::Id);
    let name = name_tok.map(|t| p.text(t)[1..].to_string());
    let parsed = script_form(p).and_then(|form| {
        p.expect_rparen()?;
        Ok(form)
    });
    let source = match parsed {
        Ok(ScriptForm::Text(c)) => ComponentSource::Text(c),
        Ok(ScriptForm::Binary(b)) => ComponentSource::Binary(b),
        Ok(ScriptForm::Quote(q)) => ComponentSource::Quote(q),
        Err(e) => {
            // Skip to the component's closing paren: back up to its `(`.
            p.pos = open;
            p.skip_item()?;
            ComponentSource::TextError(e)
        }
    };
    Ok(ScriptComponent {
        name,
        source,
        offset,
    })
}

fn action(p: &mut Parser<'_>) -> Result<Action> {
    p.expect_lparen()?;
    let kw = p.peek_kw();
    match kw {
        Some("invoke") => {
            p.pos += 1;
            let module = p.opt_id()?.map(|(n, _)| n.into_owned());
            let name = p.name()?;
            let mut args = Vec::new();
            while !p.at_rparen() {
                args.push(value(p)?);
            }
            p.expect_rparen()?;
            Ok(Action::Invoke { module, name, args })
        }
        Some("get") => {
            p.pos += 1;
            let module = p.opt_id()?.map(|(n, _)| n.into_owned());
            let name = p.name()?;
            p.expect_rparen()?;
            Ok(Action::Get { module, name })
        }
        _ => Err(p.unexpected("`invoke` or `get`")),
    }
}

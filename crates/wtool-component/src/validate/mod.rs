//! Validation of components: the Component Model's rules for index spaces,
//! types, instantiation, aliases, canonical definitions, resources and
//! names, with wasm-tools' messages (which the reference tests use).
//!
//! A component is checked in one pass over its sections, as its index
//! spaces are built: each definition is checked against what precedes it.
//! Nested components and component/instance types are scopes on a stack,
//! which outer aliases reach into. Core modules are validated by
//! `wtool-validate` and summarized as module types.

mod canon;
mod defs;
mod externs;
mod gates;
mod items;
pub mod names;
mod naming;
mod subtype;
mod types;

use crate::ast::{Component, Section};
use crate::decode::Offsets;
pub use gates::gated_feature;
use std::collections::HashSet;
use std::fmt;
use types::*;
use wtool_ast::{Features, GlobalType, MemoryType, TableType};

/// A validation failure: the message (wasm-tools' wording) and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// File offset of the definition at fault, when known (binary input).
    pub offset: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValidationError {}

impl ValidationError {
    /// The gated Component Model proposal that would allow what was
    /// refused, when that is the error.
    pub fn needs_feature(&self) -> Option<Features> {
        gated_feature(&self.message)
    }
}

/// Validates a component. `offsets` (from [`crate::decode_with_offsets`])
/// lets errors carry file offsets; core modules are validated with
/// `features`.
pub fn validate(
    c: &Component,
    offsets: Option<&Offsets>,
    features: Features,
) -> Result<(), ValidationError> {
    let mut v = Validator {
        types: Types::default(),
        features,
        scopes: Vec::new(),
        source: None,
    };
    v.component(c, offsets).map(drop)
}

/// Decodes and validates a binary component, core modules' function
/// bodies streamed from `bytes` and validated on `threads` threads (as
/// `wtool validate` does modules): what [`crate::decode_with_offsets`] then
/// [`validate`] would say, without holding decoded bodies.
pub fn validate_bytes(
    bytes: &[u8],
    features: Features,
    threads: usize,
) -> Result<(), ValidationError> {
    let (c, offsets) =
        crate::decode::decode_for_validation(bytes, features).map_err(|e| ValidationError {
            offset: Some(e.offset()),
            message: e.to_string(),
        })?;
    let mut v = Validator {
        types: Types::default(),
        features,
        scopes: Vec::new(),
        source: Some((bytes, threads.max(1))),
    };
    v.component(&c, Some(&offsets)).map(drop)
}

/// An error message inside the validator, before it gets its offset.
pub(crate) type Msg = String;

/// Where a scope's index spaces came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScopeKind {
    Component,
    ComponentType,
    InstanceType,
}

/// One component, component type or instance type being validated.
pub(crate) struct Scope {
    pub kind: ScopeKind,
    pub core_types: Vec<TypeId>,
    pub core_funcs: Vec<TypeId>,
    pub core_tables: Vec<TableType>,
    pub core_memories: Vec<MemoryType>,
    pub core_globals: Vec<GlobalType>,
    pub core_tags: Vec<TypeId>,
    pub core_modules: Vec<TypeId>,
    pub core_instances: Vec<TypeId>,
    pub types: Vec<TypeId>,
    pub funcs: Vec<TypeId>,
    /// Values and whether each has been used.
    pub values: Vec<(ValTy, bool)>,
    pub instances: Vec<TypeId>,
    pub components: Vec<TypeId>,
    pub imports: Vec<(String, Entity)>,
    pub exports: Vec<(String, Entity)>,
    pub import_names: names::NameSet,
    pub export_names: names::NameSet,
    pub imported_resources: Vec<ResourceId>,
    /// Resources defined here (or by instances created here), with their
    /// representation when this scope defined them itself.
    pub defined_resources: Vec<(ResourceId, Option<wtool_ast::ValType>)>,
    /// Types that may be named by imports / exports.
    pub imported_types: HashSet<TypeId>,
    pub exported_types: HashSet<TypeId>,
    /// Top-level resource imports / exports by name (for `[method]` names).
    pub imported_resource_names: Vec<(String, TypeId)>,
    pub exported_resource_names: Vec<(String, TypeId)>,
}

impl Scope {
    pub(crate) fn new(kind: ScopeKind) -> Self {
        Scope {
            kind,
            core_types: Vec::new(),
            core_funcs: Vec::new(),
            core_tables: Vec::new(),
            core_memories: Vec::new(),
            core_globals: Vec::new(),
            core_tags: Vec::new(),
            core_modules: Vec::new(),
            core_instances: Vec::new(),
            types: Vec::new(),
            funcs: Vec::new(),
            values: Vec::new(),
            instances: Vec::new(),
            components: Vec::new(),
            imports: Vec::new(),
            exports: Vec::new(),
            import_names: names::NameSet::new(),
            export_names: names::NameSet::new(),
            imported_resources: Vec::new(),
            defined_resources: Vec::new(),
            imported_types: HashSet::new(),
            exported_types: HashSet::new(),
            imported_resource_names: Vec::new(),
            exported_resource_names: Vec::new(),
        }
    }
}

/// The validator: the type arena and the scope stack.
pub(crate) struct Validator<'a> {
    pub types: Types,
    pub features: Features,
    pub scopes: Vec<Scope>,
    /// The input and thread count, when core modules are validated from
    /// their bytes (their bodies were not decoded).
    pub source: Option<(&'a [u8], usize)>,
}

/// Looks up index `i` of an index space, or says which is out of bounds.
pub(crate) fn at<T: Copy>(space: &[T], i: u32, what: &str) -> Result<T, Msg> {
    space.get(i as usize).copied().ok_or_else(|| {
        let short = what.rsplit(' ').next().unwrap_or(what);
        format!("unknown {what} {i}: {short} index out of bounds")
    })
}

impl Validator<'_> {
    /// The innermost scope.
    pub(crate) fn cur(&mut self) -> &mut Scope {
        self.scopes
            .last_mut()
            .expect("a scope is open while validating")
    }

    /// The innermost scope, shared.
    pub(crate) fn cur_ref(&self) -> &Scope {
        self.scopes
            .last()
            .expect("a scope is open while validating")
    }

    /// Validates a component and returns its type.
    fn component(
        &mut self,
        c: &Component,
        offsets: Option<&Offsets>,
    ) -> Result<TypeId, ValidationError> {
        self.scopes.push(Scope::new(ScopeKind::Component));
        let r = self.sections(c, offsets);
        let scope = self.scopes.pop().expect("pushed above");
        r?;
        let end = offsets.and_then(|o| o.sections.last().map(|s| s.start));
        self.finish_component(scope)
            .map_err(|message| ValidationError {
                offset: end,
                message,
            })
    }

    fn sections(
        &mut self,
        c: &Component,
        offsets: Option<&Offsets>,
    ) -> Result<(), ValidationError> {
        for (si, s) in c.sections.iter().enumerate() {
            let err = |i: usize| {
                move |message: Msg| ValidationError {
                    offset: offsets.and_then(|o| o.item(si, i)),
                    message,
                }
            };
            match s {
                Section::Custom(_) => {}
                Section::CoreModule(m) => {
                    let so = offsets.and_then(|o| o.sections.get(si));
                    let base = so.map_or(0, |s| s.start);
                    let checked = match (self.source, so) {
                        (Some((bytes, threads)), Some(so)) => {
                            wtool_validate::validate_binary_parallel(
                                &bytes[so.start..so.end],
                                self.features,
                                threads,
                            )
                            .map_err(|e| (e.offset(), e.to_string()))
                        }
                        _ => wtool_validate::validate(m, self.features)
                            .map_err(|e| (e.offset.map(|o| o as usize), e.to_string())),
                    };
                    if let Err((at, message)) = checked {
                        return Err(ValidationError {
                            offset: offsets.map(|_| base + at.unwrap_or(0)),
                            message,
                        });
                    }
                    let t = self.module_type_of(m).map_err(err(0))?;
                    self.cur().core_modules.push(t);
                }
                Section::Component(nested) => {
                    let o = offsets
                        .and_then(|o| o.sections.get(si))
                        .and_then(|s| s.nested.as_deref());
                    let t = self.component(nested, o)?;
                    self.cur().components.push(t);
                }
                Section::CoreInstances(v) => each(v, err, |x| self.core_instance(x))?,
                Section::CoreTypes(v) => each(v, err, |x| self.core_type(x))?,
                Section::Instances(v) => each(v, err, |x| self.instance(x))?,
                Section::Aliases(v) => each(v, err, |x| self.alias(x))?,
                Section::Types(v) => each(v, err, |x| self.ty(x))?,
                Section::Canons(v) => each(v, err, |x| self.canon(x))?,
                Section::Start(s) => self.start(s).map_err(err(0))?,
                Section::Imports(v) => each(v, err, |x| self.import(x))?,
                Section::Exports(v) => each(v, err, |x| self.export(x))?,
                Section::Values(v) => each(v, err, |x| self.value(x))?,
            }
        }
        Ok(())
    }

    /// The type of a finished component: every value used, resources named.
    fn finish_component(&mut self, scope: Scope) -> Result<TypeId, Msg> {
        if let Some(i) = scope.values.iter().position(|v| !v.1) {
            return Err(format!("value index {i} was not used as part of an instantiation, start function, or export"));
        }
        let t = ComponentTy {
            imports: scope.imports,
            exports: scope.exports,
            imported_resources: scope.imported_resources,
            defined_resources: scope.defined_resources.iter().map(|r| r.0).collect(),
        };
        Ok(self.types.push(Ty::Component(t)))
    }
}

/// Validates each item of a section, attaching its offset to an error.
fn each<T, E: Fn(Msg) -> ValidationError>(
    items: &[T],
    err: impl Fn(usize) -> E,
    mut f: impl FnMut(&T) -> Result<(), Msg>,
) -> Result<(), ValidationError> {
    for (i, x) in items.iter().enumerate() {
        f(x).map_err(err(i))?;
    }
    Ok(())
}

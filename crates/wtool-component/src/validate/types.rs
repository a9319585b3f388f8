//! The validator's type arena: every core and component type a component
//! defines, imports or infers, by [`TypeId`]. Types are compared
//! structurally; resources by identity ([`ResourceId`]).

use crate::ast::PrimValType;
use wtool_ast::{FuncType as CoreFuncType, GlobalType, MemoryType, TableType, TypeDef};

/// The largest type the validator accepts (wasm-tools' limit).
const MAX_TYPE_SIZE: u32 = 1_000_000;
/// The deepest nesting of types the validator accepts.
const MAX_TYPE_DEPTH: u32 = 400;

/// Index of a type in the [`Types`] arena.
pub(crate) type TypeId = u32;

/// The identity of a resource type: two resource types are the same only
/// when their ids are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ResourceId(pub u32);

/// A value type: primitive, or a defined type in the arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValTy {
    Prim(PrimValType),
    Id(TypeId),
}

/// A core extern's type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum CoreEntity {
    Func(TypeId),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    Tag(TypeId),
}

impl CoreEntity {
    pub(crate) fn desc(&self) -> &'static str {
        match self {
            CoreEntity::Func(_) => "func",
            CoreEntity::Table(_) => "table",
            CoreEntity::Memory(_) => "memory",
            CoreEntity::Global(_) => "global",
            CoreEntity::Tag(_) => "tag",
        }
    }
}

/// A component extern's type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Entity {
    Module(TypeId),
    Func(TypeId),
    Value(ValTy),
    /// A type: `created` is the index's own identity (for naming rules),
    /// `referenced` the type it stands for.
    Type {
        referenced: TypeId,
        created: TypeId,
    },
    Instance(TypeId),
    Component(TypeId),
}

impl Entity {
    pub(crate) fn desc(&self) -> &'static str {
        match self {
            Entity::Module(_) => "module",
            Entity::Func(_) => "func",
            Entity::Value(_) => "value",
            Entity::Type { .. } => "type",
            Entity::Instance(_) => "instance",
            Entity::Component(_) => "component",
        }
    }
}

/// A defined value type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Defined {
    Prim(PrimValType),
    Record(Vec<(String, ValTy)>),
    Variant(Vec<(String, Option<ValTy>)>),
    List(ValTy),
    FixedList(ValTy, u32),
    Map(ValTy, ValTy),
    Tuple(Vec<ValTy>),
    Flags(Vec<String>),
    Enum(Vec<String>),
    Option(ValTy),
    Result(Option<ValTy>, Option<ValTy>),
    /// The type ids are resource types.
    Own(TypeId),
    Borrow(TypeId),
    Stream(Option<ValTy>),
    Future(Option<ValTy>),
}

/// A component function type.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FuncTy {
    pub is_async: bool,
    pub params: Vec<(String, ValTy)>,
    pub result: Option<ValTy>,
}

/// A component (or component type): what it imports and exports, and the
/// resources it imports and defines (fresh for each instantiation).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ComponentTy {
    pub imports: Vec<(String, Entity)>,
    pub exports: Vec<(String, Entity)>,
    pub imported_resources: Vec<ResourceId>,
    pub defined_resources: Vec<ResourceId>,
}

/// An instance (or instance type): its exports, and for an instance type the
/// resources it declares (fresh for each import or export of it).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct InstanceTy {
    pub exports: Vec<(String, Entity)>,
    pub defined_resources: Vec<ResourceId>,
}

/// A core module type.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ModuleTy {
    pub imports: Vec<(String, String, CoreEntity)>,
    pub exports: Vec<(String, CoreEntity)>,
}

/// A type in the arena.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ty {
    /// A core function type.
    CoreFunc(CoreFuncType),
    /// Another core type (GC struct or array), kept whole.
    CoreOther(Box<TypeDef>),
    CoreModule(ModuleTy),
    /// A core instance: its exports.
    CoreInstance(Vec<(String, CoreEntity)>),
    Defined(Defined),
    Func(FuncTy),
    Component(ComponentTy),
    Instance(InstanceTy),
    Resource(ResourceId),
}

impl Ty {
    /// The kind, as messages name it.
    pub(crate) fn desc(&self) -> &'static str {
        match self {
            Ty::CoreFunc(_) | Ty::CoreOther(_) => "core type",
            Ty::CoreModule(_) => "module type",
            Ty::CoreInstance(_) => "core instance type",
            Ty::Defined(_) => "defined type",
            Ty::Func(_) => "func",
            Ty::Component(_) => "component",
            Ty::Instance(_) => "instance",
            Ty::Resource(_) => "resource",
        }
    }
}

/// The arena.
#[derive(Default)]
pub(crate) struct Types {
    list: Vec<Ty>,
    /// Per type: its size (nodes, shared ones counted each time they are
    /// reached) and nesting depth, which bound the validator's walks.
    info: Vec<(u32, u32)>,
    next_resource: u32,
    /// Resources taken as equal while comparing two component types
    /// (each side's abstract resources, bound by name).
    pub(crate) equiv: std::cell::RefCell<std::collections::HashMap<ResourceId, ResourceId>>,
}

impl Types {
    /// Adds a type.
    pub(crate) fn push(&mut self, t: Ty) -> TypeId {
        let info = self.info_of(&t);
        self.list.push(t);
        self.info.push(info);
        (self.list.len() - 1) as TypeId
    }

    /// The size and depth of a type (see [`Types::limits`]).
    pub(crate) fn info(&self, id: TypeId) -> (u32, u32) {
        self.info[id as usize]
    }

    /// Refuses a type too big or too deeply nested to walk: wasm-tools'
    /// size limit, and a depth limit that keeps every walk's recursion
    /// shallow.
    pub(crate) fn limits(&self, id: TypeId) -> Result<(), String> {
        let (size, depth) = self.info(id);
        if size > MAX_TYPE_SIZE {
            return Err(format!(
                "effective type size exceeds the limit of {MAX_TYPE_SIZE}"
            ));
        }
        if depth > MAX_TYPE_DEPTH {
            return Err(format!(
                "type nesting is too deep (over {MAX_TYPE_DEPTH} levels)"
            ));
        }
        Ok(())
    }

    fn info_of(&self, t: &Ty) -> (u32, u32) {
        let mut size = 1u32;
        let mut depth = 0u32;
        let mut add = |id: TypeId| {
            let (s, d) = self.info.get(id as usize).copied().unwrap_or((1, 0));
            size = size.saturating_add(s);
            depth = depth.max(d + 1);
        };
        let val = |v: &ValTy, add: &mut dyn FnMut(TypeId)| {
            if let ValTy::Id(i) = v {
                add(*i);
            }
        };
        let entity = |e: &Entity, add: &mut dyn FnMut(TypeId)| match *e {
            Entity::Module(t) | Entity::Func(t) | Entity::Instance(t) | Entity::Component(t) => {
                add(t)
            }
            Entity::Type { referenced, .. } => add(referenced),
            Entity::Value(ValTy::Id(t)) => add(t),
            Entity::Value(ValTy::Prim(_)) => {}
        };
        match t {
            Ty::Defined(d) => match d {
                Defined::Prim(_) | Defined::Flags(_) | Defined::Enum(_) => {}
                Defined::Record(fs) => fs.iter().for_each(|f| val(&f.1, &mut add)),
                Defined::Variant(cs) => cs
                    .iter()
                    .filter_map(|c| c.1.as_ref())
                    .for_each(|t| val(t, &mut add)),
                Defined::List(t) | Defined::FixedList(t, _) | Defined::Option(t) => {
                    val(t, &mut add)
                }
                Defined::Map(k, v) => {
                    val(k, &mut add);
                    val(v, &mut add);
                }
                Defined::Tuple(ts) => ts.iter().for_each(|t| val(t, &mut add)),
                Defined::Result(a, b) => a.iter().chain(b.iter()).for_each(|t| val(t, &mut add)),
                Defined::Own(r) | Defined::Borrow(r) => add(*r),
                Defined::Stream(t) | Defined::Future(t) => t.iter().for_each(|t| val(t, &mut add)),
            },
            Ty::Func(f) => f
                .params
                .iter()
                .map(|p| &p.1)
                .chain(f.result.iter())
                .for_each(|t| val(t, &mut add)),
            Ty::Instance(i) => i.exports.iter().for_each(|e| entity(&e.1, &mut add)),
            Ty::Component(c) => c
                .imports
                .iter()
                .chain(&c.exports)
                .for_each(|e| entity(&e.1, &mut add)),
            _ => {}
        }
        (size, depth)
    }

    /// The type with this id.
    pub(crate) fn get(&self, id: TypeId) -> &Ty {
        &self.list[id as usize]
    }

    /// A fresh resource type.
    pub(crate) fn fresh_resource(&mut self) -> (ResourceId, TypeId) {
        let r = ResourceId(self.next_resource);
        self.next_resource += 1;
        (r, self.push(Ty::Resource(r)))
    }

    /// A new id for the same type (a type export's own identity).
    pub(crate) fn unique(&mut self, id: TypeId) -> TypeId {
        let t = self.get(id).clone();
        self.push(t)
    }

    /// The resource a type id is, if it is one.
    pub(crate) fn resource(&self, id: TypeId) -> Option<ResourceId> {
        match self.get(id) {
            Ty::Resource(r) => Some(*r),
            _ => None,
        }
    }

    /// The defined type a value type refers to.
    pub(crate) fn defined(&self, t: ValTy) -> Option<&Defined> {
        match t {
            ValTy::Prim(_) => None,
            ValTy::Id(id) => match self.get(id) {
                Ty::Defined(d) => Some(d),
                _ => None,
            },
        }
    }

    /// Whether a value type transitively contains a `borrow`.
    pub(crate) fn contains_borrow(&self, t: ValTy) -> bool {
        let Some(d) = self.defined(t) else {
            return false;
        };
        let any = |ts: &mut dyn Iterator<Item = ValTy>| {
            let mut found = false;
            for t in ts {
                found |= self.contains_borrow(t);
            }
            found
        };
        match d {
            Defined::Borrow(_) => true,
            Defined::Prim(_) | Defined::Flags(_) | Defined::Enum(_) | Defined::Own(_) => false,
            // Streams and futures were checked when they were defined.
            Defined::Stream(_) | Defined::Future(_) => false,
            Defined::Record(fs) => any(&mut fs.iter().map(|f| f.1)),
            Defined::Variant(cs) => any(&mut cs.iter().filter_map(|c| c.1)),
            Defined::List(t) | Defined::FixedList(t, _) | Defined::Option(t) => {
                self.contains_borrow(*t)
            }
            Defined::Map(k, v) => self.contains_borrow(*k) || self.contains_borrow(*v),
            Defined::Tuple(ts) => any(&mut ts.iter().copied()),
            Defined::Result(a, b) => any(&mut a.iter().chain(b.iter()).copied()),
        }
    }

    /// Every resource a type mentions, transitively (with duplicates).
    pub(crate) fn resources_of(&self, id: TypeId, out: &mut Vec<ResourceId>) {
        let val = |t: &ValTy, out: &mut Vec<ResourceId>| {
            if let ValTy::Id(i) = t {
                self.resources_of(*i, out);
            }
        };
        match self.get(id) {
            Ty::Resource(r) => out.push(*r),
            Ty::Defined(d) => match d {
                Defined::Own(r) | Defined::Borrow(r) => self.resources_of(*r, out),
                Defined::Prim(_) | Defined::Flags(_) | Defined::Enum(_) => {}
                Defined::Record(fs) => fs.iter().for_each(|f| val(&f.1, out)),
                Defined::Variant(cs) => cs
                    .iter()
                    .filter_map(|c| c.1.as_ref())
                    .for_each(|t| val(t, out)),
                Defined::List(t) | Defined::FixedList(t, _) | Defined::Option(t) => val(t, out),
                Defined::Map(k, v) => {
                    val(k, out);
                    val(v, out);
                }
                Defined::Tuple(ts) => ts.iter().for_each(|t| val(t, out)),
                Defined::Result(a, b) => a.iter().chain(b.iter()).for_each(|t| val(t, out)),
                Defined::Stream(t) | Defined::Future(t) => t.iter().for_each(|t| val(t, out)),
            },
            Ty::Func(f) => {
                f.params.iter().for_each(|p| val(&p.1, out));
                f.result.iter().for_each(|t| val(t, out));
            }
            Ty::Instance(i) => i
                .exports
                .iter()
                .for_each(|e| self.entity_resources(&e.1, out)),
            Ty::Component(c) => {
                c.imports
                    .iter()
                    .chain(&c.exports)
                    .for_each(|e| self.entity_resources(&e.1, out));
            }
            Ty::CoreFunc(_) | Ty::CoreOther(_) | Ty::CoreModule(_) | Ty::CoreInstance(_) => {}
        }
    }

    /// Every resource an extern's type mentions.
    pub(crate) fn entity_resources(&self, e: &Entity, out: &mut Vec<ResourceId>) {
        match *e {
            Entity::Module(_) => {}
            Entity::Func(t) | Entity::Instance(t) | Entity::Component(t) => {
                self.resources_of(t, out)
            }
            Entity::Type { referenced, .. } => self.resources_of(referenced, out),
            Entity::Value(ValTy::Id(t)) => self.resources_of(t, out),
            Entity::Value(ValTy::Prim(_)) => {}
        }
    }
}

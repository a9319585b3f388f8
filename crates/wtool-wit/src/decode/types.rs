//! The component types a WIT decoder needs, resolved from the AST: every
//! type index of every scope becomes a [`Key`] into one arena.
//!
//! Identity is what matters here, not structure: a `use` in WIT is only
//! recoverable because an exported type's `(eq i)` bound names the very
//! type another interface exported. So each `(export "t" (type (eq i)))`
//! gets a fresh key that aliases the key of `i` (as wasmparser's
//! `with_unique` does), each `(sub resource)` a fresh resource, and outer
//! and instance-export aliases reuse the key they name.

use std::collections::HashMap;
use wtool_component::ast::{
    self, Alias, ComponentDecl, DefinedType, ExternType, InstanceDecl, PrimValType, Sort,
    TypeBound, ValType,
};

/// A type in the arena.
pub(crate) type Key = u32;

/// A value type with its index resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum VRef {
    Prim(PrimValType),
    Key(Key),
}

/// A defined value type whose indices are resolved to keys.
#[derive(Clone, Debug)]
pub(crate) enum Def {
    Prim(PrimValType),
    Record(Vec<(String, VRef)>),
    Variant(Vec<(String, Option<VRef>)>),
    List(VRef),
    FixedList(VRef, u32),
    Map(VRef, VRef),
    Tuple(Vec<VRef>),
    Flags(Vec<String>),
    Enum(Vec<String>),
    Option(VRef),
    Result(Option<VRef>, Option<VRef>),
    Own(Key),
    Borrow(Key),
    Stream(Option<VRef>),
    Future(Option<VRef>),
}

/// A component function type.
#[derive(Clone, Debug)]
pub(crate) struct Func {
    pub is_async: bool,
    pub params: Vec<(String, VRef)>,
    pub result: Option<VRef>,
}

/// An import or export of an instance or component type, with the
/// attributes of its name that WIT keeps.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub ty: Entity,
    pub implements: Option<String>,
    pub version_suffix: Option<String>,
    pub external_id: Option<String>,
}

impl Item {
    /// An item with the attributes of `name`.
    pub fn named(ty: Entity, name: &ast::ExternName) -> Item {
        let attr = |want: u8| {
            name.attrs
                .iter()
                .find(|a| a.kind() == want)
                .map(|a| a.value().to_string())
        };
        Item {
            ty,
            implements: attr(0),
            version_suffix: attr(1),
            external_id: attr(2),
        }
    }
}

/// What an import or export is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Entity {
    /// A type: the one named (`referenced`) and this name's own identity.
    Type {
        referenced: Key,
        created: Key,
    },
    Func(Key),
    Instance(Key),
    Component(Key),
    /// Anything WIT has no use for (modules, values).
    Other,
}

/// An arena slot.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Defined(Def),
    Func(Func),
    Instance(Vec<(String, Item)>),
    Component {
        imports: Vec<(String, Item)>,
        exports: Vec<(String, Item)>,
    },
    Resource,
    /// An exported name for another type (`with_unique`).
    Alias(Key),
}

/// The arena.
#[derive(Default, Debug)]
pub(crate) struct Types {
    pub nodes: Vec<Node>,
}

/// One scope's index spaces, as far as WIT needs them.
#[derive(Default)]
pub(crate) struct Scope {
    pub types: Vec<Key>,
    pub instances: Vec<Key>,
    pub funcs: Vec<Key>,
    pub components: Vec<Key>,
    pub imports: Vec<(String, Item)>,
    pub exports: Vec<(String, Item)>,
}

/// Why a type could not be resolved (malformed indices).
pub(crate) type Msg = String;

fn at(space: &[Key], i: u32, what: &str) -> Result<Key, Msg> {
    space
        .get(i as usize)
        .copied()
        .ok_or_else(|| format!("unknown {what} {i}: {what} index out of bounds"))
}

impl Types {
    /// Adds a node.
    pub fn push(&mut self, n: Node) -> Key {
        self.nodes.push(n);
        (self.nodes.len() - 1) as Key
    }

    /// One layer of aliasing off `k`, if `k` is an alias.
    pub fn peel(&self, k: Key) -> Option<Key> {
        match self.nodes[k as usize] {
            Node::Alias(next) => Some(next),
            _ => None,
        }
    }

    /// The node `k` stands for, aliases followed.
    pub fn node(&self, mut k: Key) -> &Node {
        while let Some(next) = self.peel(k) {
            k = next;
        }
        &self.nodes[k as usize]
    }

    fn val(&self, scopes: &[Scope], v: ValType) -> Result<VRef, Msg> {
        Ok(match v {
            ValType::Prim(p) => VRef::Prim(p),
            ValType::Idx(i) => VRef::Key(at(&cur(scopes).types, i, "type")?),
        })
    }

    fn defined(&self, scopes: &[Scope], d: &DefinedType) -> Result<Def, Msg> {
        let v = |t: ValType| self.val(scopes, t);
        let ov = |t: Option<ValType>| t.map(v).transpose();
        let ty = |i: u32| at(&cur(scopes).types, i, "type");
        Ok(match d {
            DefinedType::Prim(p) => Def::Prim(*p),
            DefinedType::Record(fs) => Def::Record(
                fs.iter()
                    .map(|(n, t)| Ok((n.clone(), v(*t)?)))
                    .collect::<Result<_, Msg>>()?,
            ),
            DefinedType::Variant(cs) => Def::Variant(
                cs.iter()
                    .map(|c| Ok((c.name.clone(), ov(c.ty)?)))
                    .collect::<Result<_, Msg>>()?,
            ),
            DefinedType::List(t) => Def::List(v(*t)?),
            DefinedType::FixedList(t, n) => Def::FixedList(v(*t)?, *n),
            DefinedType::Map(a, b) => Def::Map(v(*a)?, v(*b)?),
            DefinedType::Tuple(ts) => {
                Def::Tuple(ts.iter().map(|t| v(*t)).collect::<Result<_, Msg>>()?)
            }
            DefinedType::Flags(f) => Def::Flags(f.clone()),
            DefinedType::Enum(e) => Def::Enum(e.clone()),
            DefinedType::Option(t) => Def::Option(v(*t)?),
            DefinedType::Result { ok, err } => Def::Result(ov(*ok)?, ov(*err)?),
            DefinedType::Own(i) => Def::Own(ty(*i)?),
            DefinedType::Borrow(i) => Def::Borrow(ty(*i)?),
            DefinedType::Stream(t) => Def::Stream(ov(*t)?),
            DefinedType::Future(t) => Def::Future(ov(*t)?),
        })
    }

    /// Resolves a type definition in the innermost scope, pushing its key.
    pub fn ty(&mut self, scopes: &mut Vec<Scope>, t: &ast::Type) -> Result<Key, Msg> {
        let node = match t {
            ast::Type::Defined(d) => Node::Defined(self.defined(scopes, d)?),
            ast::Type::Func(f) => Node::Func(Func {
                is_async: f.is_async,
                params: f
                    .params
                    .iter()
                    .map(|(n, t)| Ok((n.clone(), self.val(scopes, *t)?)))
                    .collect::<Result<_, Msg>>()?,
                result: f.result.map(|t| self.val(scopes, t)).transpose()?,
            }),
            ast::Type::Instance(decls) => {
                scopes.push(Scope::default());
                let r = decls.iter().try_for_each(|d| self.instance_decl(scopes, d));
                let s = scopes.pop().expect("pushed above");
                r?;
                Node::Instance(s.exports)
            }
            ast::Type::Component(decls) => {
                scopes.push(Scope::default());
                let r = decls.iter().try_for_each(|d| match d {
                    ComponentDecl::Import(i) => {
                        let item = self.extern_item(scopes, &i.name, &i.ty)?;
                        cur_mut(scopes).imports.push((i.name.name.clone(), item));
                        Ok(())
                    }
                    ComponentDecl::Instance(d) => self.instance_decl(scopes, d),
                });
                let s = scopes.pop().expect("pushed above");
                r?;
                Node::Component {
                    imports: s.imports,
                    exports: s.exports,
                }
            }
            ast::Type::Resource { .. } => Node::Resource,
        };
        let k = self.push(node);
        cur_mut(scopes).types.push(k);
        Ok(k)
    }

    fn instance_decl(&mut self, scopes: &mut Vec<Scope>, d: &InstanceDecl) -> Result<(), Msg> {
        match d {
            // Core types live in their own index space, which WIT never reads.
            InstanceDecl::CoreType(_) => Ok(()),
            InstanceDecl::Type(t) => self.ty(scopes, t).map(drop),
            InstanceDecl::Alias(a) => self.alias(scopes, a),
            InstanceDecl::Export { name, ty } => {
                let item = self.extern_item(scopes, name, ty)?;
                cur_mut(scopes).exports.push((name.name.clone(), item));
                Ok(())
            }
        }
    }

    /// Resolves an alias, pushing what it names into the innermost scope.
    pub fn alias(&mut self, scopes: &mut [Scope], a: &Alias) -> Result<(), Msg> {
        match a {
            Alias::Outer { sort, count, index } => {
                let n = scopes.len();
                let Some(outer) = n.checked_sub(1 + *count as usize) else {
                    return Err(format!("invalid outer alias count of {count}"));
                };
                let k = match sort {
                    Sort::Type => at(&scopes[outer].types, *index, "type")?,
                    Sort::Component => at(&scopes[outer].components, *index, "component")?,
                    _ => return Ok(()),
                };
                let s = &mut scopes[n - 1];
                match sort {
                    Sort::Type => s.types.push(k),
                    _ => s.components.push(k),
                }
                Ok(())
            }
            Alias::InstanceExport {
                sort,
                instance,
                name,
            } => {
                let inst = at(&cur(scopes).instances, *instance, "instance")?;
                let item = match self.node(inst) {
                    Node::Instance(exports) => exports
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, i)| i.ty)
                        .ok_or_else(|| format!("instance {instance} has no export `{name}`"))?,
                    _ => return Err(format!("instance {instance} is not an instance")),
                };
                let s = cur_mut(scopes);
                match (sort, item) {
                    (Sort::Type, Entity::Type { created, .. }) => s.types.push(created),
                    (Sort::Func, Entity::Func(k)) => s.funcs.push(k),
                    (Sort::Instance, Entity::Instance(k)) => s.instances.push(k),
                    (Sort::Component, Entity::Component(k)) => s.components.push(k),
                    (Sort::Type | Sort::Func | Sort::Instance | Sort::Component, _) => {
                        return Err(format!("export `{name}` is not of the aliased sort"))
                    }
                    _ => {}
                }
                Ok(())
            }
            Alias::CoreInstanceExport { .. } => Ok(()),
        }
    }

    /// The item an import or export of type `t` declares, pushing it into
    /// the innermost scope's index space as the binary format does.
    pub fn extern_item(
        &mut self,
        scopes: &mut [Scope],
        name: &ast::ExternName,
        t: &ExternType,
    ) -> Result<Item, Msg> {
        let ty = match *t {
            ExternType::Type(TypeBound::Eq(i)) => {
                let referenced = at(&cur(scopes).types, i, "type")?;
                let created = self.push(Node::Alias(referenced));
                cur_mut(scopes).types.push(created);
                Entity::Type {
                    referenced,
                    created,
                }
            }
            ExternType::Type(TypeBound::SubResource) => {
                let k = self.push(Node::Resource);
                cur_mut(scopes).types.push(k);
                Entity::Type {
                    referenced: k,
                    created: k,
                }
            }
            ExternType::Func(i) => {
                let k = at(&cur(scopes).types, i, "type")?;
                cur_mut(scopes).funcs.push(k);
                Entity::Func(k)
            }
            ExternType::Instance(i) => {
                let k = self.fresh_resources(at(&cur(scopes).types, i, "type")?);
                cur_mut(scopes).instances.push(k);
                Entity::Instance(k)
            }
            ExternType::Component(i) => {
                let k = at(&cur(scopes).types, i, "type")?;
                cur_mut(scopes).components.push(k);
                Entity::Component(k)
            }
            ExternType::Module(_) | ExternType::Value(_) => Entity::Other,
        };
        Ok(Item::named(ty, name))
    }
}

impl Types {
    /// Instance type `k` with new identities for the resources it declares:
    /// each import of an instance type brings resources of its own.
    fn fresh_resources(&mut self, k: Key) -> Key {
        let Node::Instance(exports) = self.node(k) else {
            return k;
        };
        let declared: Vec<Key> = exports
            .iter()
            .filter_map(|(_, it)| match it.ty {
                Entity::Type {
                    referenced,
                    created,
                } if referenced == created
                    && matches!(self.nodes[referenced as usize], Node::Resource) =>
                {
                    Some(referenced)
                }
                _ => None,
            })
            .collect();
        if declared.is_empty() {
            return k;
        }
        let map = declared
            .into_iter()
            .map(|r| (r, self.push(Node::Resource)))
            .collect();
        super::instantiate::remap(self, &map, &mut HashMap::new(), k)
    }
}

/// The innermost scope.
pub(crate) fn cur(scopes: &[Scope]) -> &Scope {
    scopes.last().expect("a scope is open")
}

/// The innermost scope, mutably.
pub(crate) fn cur_mut(scopes: &mut [Scope]) -> &mut Scope {
    scopes.last_mut().expect("a scope is open")
}

/// Keys already translated, by the decoder (wasmparser id → WIT id).
pub(crate) type TypeMap = HashMap<Key, crate::model::TypeId>;

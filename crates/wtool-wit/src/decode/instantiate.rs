//! Component bodies and instantiation: the type of an instance created by
//! instantiating a nested component is that component's exports with its
//! imported types replaced by the arguments' types (how wit-component's
//! shim components export interfaces).

use super::types::{cur_mut, Def, Entity, Func, Item, Key, Node, Scope, Types, VRef};
use std::collections::HashMap;
use wtool_component::ast::{Component, InstantiateArg, Section, Sort};

/// Walks a component's sections in the innermost scope, recording its
/// imports and exports (in order in `Scope::imports`/`exports`, and
/// interleaved in `order`).
pub(super) fn component_body(
    types: &mut Types,
    scopes: &mut Vec<Scope>,
    c: &Component,
) -> Result<(), String> {
    component_body_at(types, scopes, c, &mut |_, _| {}, &mut Vec::new()).map_err(|(_, m)| m)
}

/// [`component_body`], reporting custom sections and which section failed.
pub(super) fn component_body_at(
    types: &mut Types,
    scopes: &mut Vec<Scope>,
    c: &Component,
    custom: &mut dyn FnMut(&str, &[u8]),
    order: &mut Vec<(String, bool, Item)>,
) -> Result<(), (usize, String)> {
    for (si, s) in c.sections.iter().enumerate() {
        let e = |m: String| (si, m);
        match s {
            Section::Custom(cs) => custom(&cs.name, &cs.data),
            Section::Types(ts) => {
                for t in ts {
                    types.ty(scopes, t).map_err(e)?;
                }
            }
            Section::Aliases(as_) => {
                for a in as_ {
                    types.alias(scopes, a).map_err(e)?;
                }
            }
            Section::Imports(is) => {
                for i in is {
                    let item = types.extern_item(scopes, &i.name, &i.ty).map_err(e)?;
                    cur_mut(scopes)
                        .imports
                        .push((i.name.name.clone(), item.clone()));
                    order.push((i.name.name.clone(), true, item));
                }
            }
            Section::Exports(xs) => {
                for x in xs {
                    let item = super::export_item(types, scopes, x).map_err(e)?;
                    cur_mut(scopes)
                        .exports
                        .push((x.name.name.clone(), item.clone()));
                    order.push((x.name.name.clone(), false, item));
                }
            }
            Section::Canons(cs) => {
                for c in cs {
                    // Only lifted functions enter the component function space.
                    if let wtool_component::ast::Canon::Lift { ty, .. } = c {
                        let s = cur_mut(scopes);
                        let k = *s
                            .types
                            .get(*ty as usize)
                            .ok_or_else(|| e(format!("unknown type {ty}")))?;
                        s.funcs.push(k);
                    }
                }
            }
            Section::Instances(is) => {
                for i in is {
                    let k = super::instance_type(types, scopes, i).map_err(e)?;
                    cur_mut(scopes).instances.push(k);
                }
            }
            Section::Component(nested) => {
                let k = super::nested_component(types, scopes, nested).map_err(e)?;
                cur_mut(scopes).components.push(k);
            }
            _ => {}
        }
    }
    Ok(())
}

/// The instance type of `(instantiate component args…)`.
pub(super) fn instantiate(
    types: &mut Types,
    scopes: &mut [Scope],
    component: u32,
    args: &[InstantiateArg],
) -> Result<Key, String> {
    let s = cur_mut(scopes);
    let ck = *s
        .components
        .get(component as usize)
        .ok_or_else(|| format!("unknown component {component}"))?;
    let Node::Component { imports, exports } = types.node(ck).clone() else {
        return Err(format!("component {component} is not a component"));
    };
    let mut map: HashMap<Key, Key> = HashMap::new();
    for (name, item) in &imports {
        let Some(arg) = args.iter().find(|a| a.name == *name) else {
            continue;
        };
        let space = match arg.sort {
            Sort::Type => &s.types,
            Sort::Instance => &s.instances,
            Sort::Func => &s.funcs,
            Sort::Component => &s.components,
            _ => continue,
        };
        let Some(&given) = space.get(arg.index as usize) else {
            return Err(format!("unknown argument index {}", arg.index));
        };
        bind(types, &mut map, item.ty, given);
    }
    let mut memo = HashMap::new();
    let exports = exports
        .iter()
        .map(|(n, it)| {
            let ty = match it.ty {
                Entity::Type {
                    referenced,
                    created,
                } => {
                    let r = remap(types, &map, &mut memo, referenced);
                    // The export's own identity, as the component's other
                    // types (`own` of it…) were remapped to.
                    let c = if r == referenced {
                        created
                    } else {
                        remap(types, &map, &mut memo, created)
                    };
                    Entity::Type {
                        referenced: r,
                        created: c,
                    }
                }
                Entity::Func(k) => Entity::Func(remap(types, &map, &mut memo, k)),
                Entity::Instance(k) => Entity::Instance(remap(types, &map, &mut memo, k)),
                other => other,
            };
            (n.clone(), Item { ty, ..it.clone() })
        })
        .collect();
    Ok(types.push(Node::Instance(exports)))
}

/// Records that the import `ty` is satisfied by `given`.
fn bind(types: &Types, map: &mut HashMap<Key, Key>, ty: Entity, given: Key) {
    match ty {
        Entity::Type { created, .. } => {
            map.insert(created, given);
        }
        Entity::Instance(k) => {
            let (Node::Instance(want), Node::Instance(have)) = (types.node(k), types.node(given))
            else {
                return;
            };
            for (name, w) in want {
                if let Some((_, h)) = have.iter().find(|(n, _)| n == name) {
                    let g = match h.ty {
                        Entity::Type { created, .. } => created,
                        Entity::Instance(k) => k,
                        _ => continue,
                    };
                    bind(types, map, w.ty, g);
                }
            }
        }
        _ => {}
    }
}

/// `k` with the keys in `map` replaced, new nodes made only where something changed.
pub(super) fn remap(
    types: &mut Types,
    map: &HashMap<Key, Key>,
    memo: &mut HashMap<Key, Key>,
    k: Key,
) -> Key {
    if let Some(&m) = map.get(&k) {
        return m;
    }
    if let Some(&m) = memo.get(&k) {
        return m;
    }
    let node = types.nodes[k as usize].clone();
    let mut changed = false;
    let mut r = |t: Key, types: &mut Types, memo: &mut HashMap<Key, Key>| {
        let n = remap(types, map, memo, t);
        changed |= n != t;
        n
    };
    let new = match node {
        Node::Alias(t) => Node::Alias(r(t, types, memo)),
        Node::Defined(d) => {
            let mut v = |x: VRef, types: &mut Types, memo: &mut HashMap<Key, Key>| match x {
                VRef::Key(t) => VRef::Key(r(t, types, memo)),
                p => p,
            };
            let d = match d {
                Def::Record(fs) => Def::Record(
                    fs.into_iter()
                        .map(|(n, t)| (n, v(t, types, memo)))
                        .collect(),
                ),
                Def::Variant(cs) => Def::Variant(
                    cs.into_iter()
                        .map(|(n, t)| (n, t.map(|t| v(t, types, memo))))
                        .collect(),
                ),
                Def::List(t) => Def::List(v(t, types, memo)),
                Def::FixedList(t, n) => Def::FixedList(v(t, types, memo), n),
                Def::Map(a, b) => {
                    let a = v(a, types, memo);
                    Def::Map(a, v(b, types, memo))
                }
                Def::Tuple(ts) => Def::Tuple(ts.into_iter().map(|t| v(t, types, memo)).collect()),
                Def::Option(t) => Def::Option(v(t, types, memo)),
                Def::Result(a, b) => {
                    let a = a.map(|t| v(t, types, memo));
                    Def::Result(a, b.map(|t| v(t, types, memo)))
                }
                Def::Own(t) => match v(VRef::Key(t), types, memo) {
                    VRef::Key(t) => Def::Own(t),
                    VRef::Prim(_) => unreachable!(),
                },
                Def::Borrow(t) => match v(VRef::Key(t), types, memo) {
                    VRef::Key(t) => Def::Borrow(t),
                    VRef::Prim(_) => unreachable!(),
                },
                Def::Stream(t) => Def::Stream(t.map(|t| v(t, types, memo))),
                Def::Future(t) => Def::Future(t.map(|t| v(t, types, memo))),
                d @ (Def::Prim(_) | Def::Flags(_) | Def::Enum(_)) => d,
            };
            Node::Defined(d)
        }
        Node::Func(f) => {
            let mut v = |x: VRef, types: &mut Types, memo: &mut HashMap<Key, Key>| match x {
                VRef::Key(t) => VRef::Key(r(t, types, memo)),
                p => p,
            };
            Node::Func(Func {
                is_async: f.is_async,
                params: f
                    .params
                    .into_iter()
                    .map(|(n, t)| (n, v(t, types, memo)))
                    .collect(),
                result: f.result.map(|t| v(t, types, memo)),
            })
        }
        Node::Instance(exports) => Node::Instance(
            exports
                .into_iter()
                .map(|(n, mut it)| {
                    it.ty = match it.ty {
                        Entity::Type {
                            referenced,
                            created,
                        } => {
                            let nr = r(referenced, types, memo);
                            let nc = if nr == referenced {
                                created
                            } else {
                                r(created, types, memo)
                            };
                            Entity::Type {
                                referenced: nr,
                                created: nc,
                            }
                        }
                        Entity::Func(t) => Entity::Func(r(t, types, memo)),
                        Entity::Instance(t) => Entity::Instance(r(t, types, memo)),
                        e => e,
                    };
                    (n, it)
                })
                .collect(),
        ),
        other => other,
    };
    let out = if changed { types.push(new) } else { k };
    memo.insert(k, out);
    out
}

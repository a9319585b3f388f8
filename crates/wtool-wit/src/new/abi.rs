//! The canonical ABI's view of a WIT function: its flattened core
//! signature, and which canonical options (memory, realloc, string
//! encoding) a lift or lower of it needs.

use crate::model::*;
use wtool_ast::ValType as C;

/// Flat parameters beyond this go through memory.
const MAX_FLAT_PARAMS: usize = 16;
/// Flat results beyond this go through memory.
const MAX_FLAT_RESULTS: usize = 1;

/// What a function's lift or lower needs besides the core function.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// `(memory m)`: pointers cross the boundary.
    pub memory: bool,
    /// `(realloc f)`: the callee side allocates in this module's memory.
    pub realloc: bool,
    /// `string-encoding=…`: a string crosses the boundary.
    pub strings: bool,
}

/// Whether a lift (export) or a lower (import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// `canon lift`: the core function is the callee.
    Lift,
    /// `canon lower`: the core function is the caller.
    Lower,
}

/// The core signature of `f` lifted or lowered with the canonical ABI.
pub fn core_sig(r: &Resolve, f: &Function, dir: Dir) -> (Vec<C>, Vec<C>) {
    let mut params = Vec::new();
    for (_, t) in &f.params {
        flat(r, *t, &mut params);
    }
    if params.len() > MAX_FLAT_PARAMS {
        params = vec![C::I32];
    }
    let mut results = Vec::new();
    if let Some(t) = f.result {
        flat(r, t, &mut results);
    }
    if results.len() > MAX_FLAT_RESULTS {
        // A lowered import gets a return pointer; a lifted export returns one.
        match dir {
            Dir::Lower => {
                params.push(C::I32);
                results.clear();
            }
            Dir::Lift => results = vec![C::I32],
        }
    }
    (params, results)
}

/// The canonical options a lift or lower of `f` needs.
pub fn needs(r: &Resolve, f: &Function, dir: Dir) -> Needs {
    let mut flat_params = Vec::new();
    let mut n = Needs::default();
    let mut params_ptr = false;
    for (_, t) in &f.params {
        flat(r, *t, &mut flat_params);
        params_ptr |= has_ptr(r, *t);
        n.strings |= has_string(r, *t);
    }
    let params_spill = flat_params.len() > MAX_FLAT_PARAMS;
    let mut flat_results = Vec::new();
    let mut results_ptr = false;
    if let Some(t) = f.result {
        flat(r, t, &mut flat_results);
        results_ptr = has_ptr(r, t);
        n.strings |= has_string(r, t);
    }
    let results_spill = flat_results.len() > MAX_FLAT_RESULTS;
    n.memory = params_ptr || results_ptr || params_spill || results_spill;
    // Memory is allocated by whoever receives the data: the export's
    // parameters, or the import's results.
    n.realloc = match dir {
        Dir::Lift => params_ptr || params_spill,
        Dir::Lower => results_ptr,
    };
    n
}

fn has_ptr(r: &Resolve, t: Type) -> bool {
    match t {
        Type::String => true,
        Type::Id(id) => match &r.ty(id).kind {
            TypeDefKind::List(_) | TypeDefKind::Map(..) => true,
            k => children(k).into_iter().any(|c| has_ptr(r, c)),
        },
        _ => false,
    }
}

fn has_string(r: &Resolve, t: Type) -> bool {
    match t {
        Type::String => true,
        Type::Id(id) => children(&r.ty(id).kind)
            .into_iter()
            .any(|c| has_string(r, c)),
        _ => false,
    }
}

/// The value types a type definition is built from.
fn children(k: &TypeDefKind) -> Vec<Type> {
    match k {
        TypeDefKind::Record(fs) => fs.iter().map(|f| f.ty).collect(),
        TypeDefKind::Tuple(ts) => ts.clone(),
        TypeDefKind::Variant(cs) => cs.iter().filter_map(|c| c.ty).collect(),
        TypeDefKind::Option(t) | TypeDefKind::List(t) | TypeDefKind::Type(t) => vec![*t],
        TypeDefKind::FixedLengthList(t, _) => vec![*t],
        TypeDefKind::Map(k, v) => vec![*k, *v],
        TypeDefKind::Result { ok, err } => ok.iter().chain(err.iter()).copied().collect(),
        // Handles, futures and streams are i32 indices, whatever they carry.
        _ => Vec::new(),
    }
}

/// Appends the flat core types of `t`.
fn flat(r: &Resolve, t: Type, out: &mut Vec<C>) {
    match t {
        Type::Bool
        | Type::U8
        | Type::U16
        | Type::U32
        | Type::S8
        | Type::S16
        | Type::S32
        | Type::Char
        | Type::ErrorContext => out.push(C::I32),
        Type::U64 | Type::S64 => out.push(C::I64),
        Type::F32 => out.push(C::F32),
        Type::F64 => out.push(C::F64),
        Type::String => out.extend([C::I32, C::I32]),
        Type::Id(id) => match &r.ty(id).kind {
            TypeDefKind::Record(fs) => fs.iter().for_each(|f| flat(r, f.ty, out)),
            TypeDefKind::Tuple(ts) => ts.iter().for_each(|t| flat(r, *t, out)),
            TypeDefKind::Flags(fs) => {
                out.extend(std::iter::repeat_n(C::I32, fs.len().div_ceil(32)))
            }
            TypeDefKind::Enum(_)
            | TypeDefKind::Handle(_)
            | TypeDefKind::Resource
            | TypeDefKind::Future(_)
            | TypeDefKind::Stream(_) => out.push(C::I32),
            TypeDefKind::List(_) | TypeDefKind::Map(..) => out.extend([C::I32, C::I32]),
            TypeDefKind::FixedLengthList(t, n) => {
                for _ in 0..*n {
                    flat(r, *t, out);
                }
            }
            TypeDefKind::Type(t) => flat(r, *t, out),
            TypeDefKind::Option(t) => variant(r, [None, Some(*t)], out),
            TypeDefKind::Result { ok, err } => variant(r, [*ok, *err], out),
            TypeDefKind::Variant(cs) => variant(r, cs.iter().map(|c| c.ty), out),
        },
    }
}

/// A discriminant, then the cases' flat types joined slot by slot.
fn variant(r: &Resolve, cases: impl IntoIterator<Item = Option<Type>>, out: &mut Vec<C>) {
    let mut joined: Vec<C> = Vec::new();
    for t in cases.into_iter().flatten() {
        let mut f = Vec::new();
        flat(r, t, &mut f);
        for (i, c) in f.into_iter().enumerate() {
            match joined.get_mut(i) {
                Some(slot) => *slot = join(*slot, c),
                None => joined.push(c),
            }
        }
    }
    out.push(C::I32);
    out.extend(joined);
}

fn join(a: C, b: C) -> C {
    match (a, b) {
        _ if a == b => a,
        (C::I32, C::F32) | (C::F32, C::I32) => C::I32,
        _ => C::I64,
    }
}

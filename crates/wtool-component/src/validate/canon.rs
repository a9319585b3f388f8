//! Canonical definitions: lifting and lowering (the Canonical ABI's
//! flattening of function types, and the options each needs), the
//! resource built-ins and the async/thread built-ins with their core types;
//! and the ABI's value size limit.

use super::types::*;
use super::{at, Msg, Validator};
use crate::ast::{Canon, CanonOpt, PlainOp, PrimValType, ResourceOp, StringEncoding};
use wtool_ast::{Features, FuncType, ValType as C};

const MAX_FLAT_PARAMS: usize = 16;
const MAX_FLAT_ASYNC_PARAMS: usize = 4;
const MAX_FLAT_RESULTS: usize = 1;
/// Values of a type must fit in fewer bytes than this.
const MAX_VALUE_SIZE: u64 = 1 << 28;

/// Checked canonical options.
#[derive(Default)]
struct Opts {
    memory: Option<u32>,
    realloc: Option<u32>,
    post_return: Option<u32>,
    is_async: bool,
    callback: Option<u32>,
}

impl Opts {
    fn require_memory(&self) -> Result<(), Msg> {
        if self.memory.is_none() {
            return Err("canonical option `memory` is required".into());
        }
        Ok(())
    }

    fn require_realloc(&self) -> Result<(), Msg> {
        self.require_memory()?;
        if self.realloc.is_none() {
            return Err("canonical option `realloc` is required".into());
        }
        Ok(())
    }
}

fn ft(params: &[C], results: &[C]) -> Ty {
    Ty::CoreFunc(FuncType {
        params: params.into(),
        results: results.into(),
    })
}

fn enc_name(e: StringEncoding) -> &'static str {
    match e {
        StringEncoding::Utf8 => "utf8",
        StringEncoding::Utf16 => "utf16",
        StringEncoding::CompactUtf16 => "latin1-utf16",
    }
}

/// Whether lifting or lowering.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Abi {
    Lift,
    Lower,
}

impl Validator<'_> {
    fn core_func_ty(&self, f: u32) -> Result<TypeId, Msg> {
        at(&self.cur_ref().core_funcs, f, "function")
    }

    fn opts(&self, os: &[CanonOpt]) -> Result<Opts, Msg> {
        let mut o = Opts::default();
        let mut enc: Option<StringEncoding> = None;
        for opt in os {
            match *opt {
                CanonOpt::StringEncoding(e) => {
                    if let Some(p) = enc {
                        return Err(format!(
                            "canonical encoding option `{}` conflicts with option `{}`",
                            enc_name(p),
                            enc_name(e)
                        ));
                    }
                    enc = Some(e);
                }
                CanonOpt::Memory(m) => {
                    if o.memory.is_some() {
                        return Err("`memory` is specified more than once".into());
                    }
                    self.cabi_memory(m)?;
                    o.memory = Some(m);
                }
                CanonOpt::Realloc(f) => {
                    if o.realloc.is_some() {
                        return Err("canonical option `realloc` is specified more than once".into());
                    }
                    let t = self.core_func_ty(f)?;
                    if *self.types.get(t) != ft(&[C::I32; 4], &[C::I32]) {
                        return Err("canonical option `realloc` uses a core function with an incorrect signature".into());
                    }
                    o.realloc = Some(f);
                }
                CanonOpt::PostReturn(f) => {
                    if o.post_return.is_some() {
                        return Err(
                            "canonical option `post-return` is specified more than once".into()
                        );
                    }
                    self.core_func_ty(f)?;
                    o.post_return = Some(f);
                }
                CanonOpt::Async => {
                    if o.is_async {
                        return Err("canonical option `async` is specified more than once".into());
                    }
                    self.needs(Features::CM_ASYNC, "canonical option `async`")?;
                    o.is_async = true;
                }
                CanonOpt::Callback(f) => {
                    if o.callback.is_some() {
                        return Err(
                            "canonical option `callback` is specified more than once".into()
                        );
                    }
                    self.core_func_ty(f)?;
                    o.callback = Some(f);
                }
                CanonOpt::CoreType(_) | CanonOpt::Gc => {
                    if *opt == CanonOpt::Gc {
                        self.require(
                            Features::CM_GC,
                            "canonical option `gc` requires the `cm-gc` feature",
                        )?;
                    } else {
                        self.needs(Features::CM_GC, "canonical option `core type`")?;
                    }
                    return Err("canonical options `core-type` and `gc` are not supported".into());
                }
            }
        }
        if o.realloc.is_some() && o.memory.is_none() {
            return Err("canonical option `realloc` requires `memory` to also be specified".into());
        }
        if o.callback.is_some() && !o.is_async {
            return Err("canonical option `callback` requires the `async` option".into());
        }
        Ok(o)
    }

    pub(crate) fn canon(&mut self, c: &Canon) -> Result<(), Msg> {
        match c {
            Canon::Lift { func, opts, ty } => {
                let t = at(&self.cur_ref().types, *ty, "type")?;
                let Ty::Func(f) = self.types.get(t).clone() else {
                    return Err(format!("type index {ty} is not a function type"));
                };
                let core = self.core_func_ty(*func)?;
                let o = self.opts(opts)?;
                if let Some(pr) = o.post_return {
                    let want = match self.types.get(core) {
                        Ty::CoreFunc(c) => c.results.clone(),
                        _ => Box::default(),
                    };
                    if *self.types.get(self.core_func_ty(pr)?) != ft(&want, &[]) {
                        return Err("canonical option `post-return` uses a core function with an incorrect signature".into());
                    }
                }
                if let Some(cb) = o.callback {
                    if *self.types.get(self.core_func_ty(cb)?) != ft(&[C::I32; 3], &[C::I32]) {
                        return Err("canonical option `callback` uses a core function with an incorrect signature".into());
                    }
                }
                if o.is_async && o.callback.is_none() {
                    // An async lift without a callback is the stackful ABI.
                    self.require(
                        Features::CM_ASYNC_STACKFUL,
                        "requires the component model async stackful feature",
                    )?;
                }
                check_asyncness(&o, &f)?;
                let (params, results) = self.flatten(&f, &o, Abi::Lift)?;
                let Ty::CoreFunc(have) = self.types.get(core) else {
                    return Err(format!("core function {func} is not a function"));
                };
                if *have.params != *params {
                    return Err(format!(
                        "lowered parameter types `{}` do not match parameter types `{}` of core function {func}",
                        list(&params),
                        list(&have.params)
                    ));
                }
                if *have.results != *results {
                    return Err(format!(
                        "lowered result types `{}` do not match result types `{}` of core function {func}",
                        list(&results),
                        list(&have.results)
                    ));
                }
                self.cur().funcs.push(t);
            }
            Canon::Lower { func, opts } => {
                let t = at(&self.cur_ref().funcs, *func, "function")?;
                let Ty::Func(f) = self.types.get(t).clone() else {
                    return Err("not a function".into());
                };
                let o = self.opts(opts)?;
                if o.post_return.is_some() {
                    return Err(
                        "canonical option `post-return` cannot be specified for lowerings".into(),
                    );
                }
                if o.callback.is_some() {
                    return Err(
                        "canonical option `callback` cannot be specified for lowerings".into(),
                    );
                }
                check_asyncness(&o, &f)?;
                let (p, r) = self.flatten(&f, &o, Abi::Lower)?;
                self.core_func(ft(&p, &r));
            }
            Canon::Resource { op, ty } => {
                let id = at(&self.cur_ref().types, *ty, "type")?;
                let Some(r) = self.types.resource(id) else {
                    return Err(format!("type index {ty} is not a resource type"));
                };
                let rep = self
                    .cur_ref()
                    .defined_resources
                    .iter()
                    .find(|d| d.0 == r)
                    .and_then(|d| d.1);
                let t = match op {
                    ResourceOp::Drop => ft(&[C::I32], &[]),
                    ResourceOp::New | ResourceOp::Rep => {
                        let Some(rep) = rep else {
                            return Err(format!("type {ty} is not a local resource"));
                        };
                        if *op == ResourceOp::New {
                            ft(&[rep], &[C::I32])
                        } else {
                            ft(&[C::I32], &[rep])
                        }
                    }
                };
                self.core_func(t);
            }
            Canon::TaskReturn { result, opts } => {
                self.needs(Features::CM_ASYNC, "`task.return`")?;
                let o = self.opts(opts)?;
                let result = result.map(|t| self.val(t)).transpose()?;
                let f = FuncTy {
                    is_async: false,
                    params: result.into_iter().map(|t| (String::new(), t)).collect(),
                    result: None,
                };
                if o.post_return.is_some()
                    || o.callback.is_some()
                    || o.is_async
                    || o.realloc.is_some()
                {
                    return Err("cannot specify `post-return`, `callback`, `async` or `realloc` on `task.return`".into());
                }
                let (p, _) = self.flatten(&f, &o, Abi::Lower)?;
                self.core_func(ft(&p, &[]));
            }
            Canon::Context { set, ty, slot } => {
                let name = if *set { "context.set" } else { "context.get" };
                self.needs(Features::CM_ASYNC, &format!("`{name}`"))?;
                if *ty == C::I64 {
                    self.needs(Features::CM64, &format!("64-bit `{name}`"))?;
                }
                if *slot > 0 && !self.features.contains(Features::CM_THREADING) {
                    // The second slot is the threading proposal's.
                    return Err(format!("`{name}` immediate must be zero: {slot}"));
                }
                if *ty != C::I32 {
                    return Err("context.get/set only supports i32".into());
                }
                if *slot > 1 {
                    return Err(format!("invalid context slot {slot}"));
                }
                self.core_func(if *set {
                    ft(&[C::I32], &[])
                } else {
                    ft(&[], &[C::I32])
                });
            }
            Canon::Async {
                op,
                ty,
                opts,
                is_async,
            } => {
                let (_, _, name, _) = op.row();
                self.needs(Features::CM_ASYNC, &format!("`{name}`"))?;
                let stream = name.starts_with("stream");
                let id = at(&self.cur_ref().types, *ty, "type")?;
                let elem = match self.types.get(id) {
                    Ty::Defined(Defined::Stream(t)) if stream => *t,
                    Ty::Defined(Defined::Future(t)) if !stream => *t,
                    _ => {
                        return Err(format!(
                            "`{name}` requires a {} type",
                            if stream { "stream" } else { "future" }
                        ))
                    }
                };
                let o = self.opts(opts)?;
                let verb = name.rsplit('.').next().unwrap_or("");
                let more = Features::CM_MORE_ASYNC_BUILTINS;
                match verb {
                    "read" | "write" if !o.is_async => {
                        self.needs(more, &format!("synchronous `{name}`"))?
                    }
                    "cancel-read" | "cancel-write" if *is_async => {
                        self.needs(more, &format!("async `{name}`"))?
                    }
                    _ => {}
                }
                let t = match verb {
                    "new" => ft(&[], &[C::I64]),
                    "read" | "write" => {
                        if elem.is_some_and(|t| self.contains_ptr(t)) {
                            o.require_memory()?;
                            if name.ends_with("read") {
                                o.require_realloc()?;
                            }
                        }
                        if stream {
                            ft(&[C::I32; 3], &[C::I32])
                        } else {
                            ft(&[C::I32; 2], &[C::I32])
                        }
                    }
                    "cancel-read" | "cancel-write" => ft(&[C::I32], &[C::I32]),
                    _ => ft(&[C::I32], &[]),
                };
                self.core_func(t);
            }
            Canon::ErrorContext {
                debug_message,
                opts,
            } => {
                self.needs(
                    Features::CM_ERROR_CONTEXT,
                    if *debug_message {
                        "`error-context.debug-message`"
                    } else {
                        "`error-context.new`"
                    },
                )?;
                let o = self.opts(opts)?;
                o.require_memory()?;
                if *debug_message {
                    o.require_realloc()?;
                }
                self.core_func(if *debug_message {
                    ft(&[C::I32; 2], &[])
                } else {
                    ft(&[C::I32; 2], &[C::I32])
                });
            }
            Canon::WaitableSet { memory, poll, .. } => {
                let name = if *poll {
                    "`waitable-set.poll`"
                } else {
                    "`waitable-set.wait`"
                };
                self.needs(Features::CM_ASYNC, name)?;
                self.cabi_memory(*memory)?;
                self.core_func(ft(&[C::I32; 2], &[C::I32]));
            }
            Canon::Flagged { op, flag } => {
                use crate::ast::FlagOp::*;
                let name = format!("`{}`", op.row().2);
                match op {
                    SubtaskCancel => {
                        self.needs(Features::CM_ASYNC, &name)?;
                        if *flag {
                            self.needs(Features::CM_MORE_ASYNC_BUILTINS, &format!("async {name}"))?;
                        }
                    }
                    ThreadYield => self.needs(Features::CM_ASYNC, &name)?,
                    _ => self.needs(Features::CM_THREADING, &name)?,
                }
                self.core_func(match op {
                    SubtaskCancel
                    | ThreadSuspendThenResume
                    | ThreadYieldThenResume
                    | ThreadSuspendThenPromote
                    | ThreadYieldThenPromote => ft(&[C::I32], &[C::I32]),
                    ThreadYield | ThreadSuspend => ft(&[], &[C::I32]),
                });
            }
            Canon::Plain(op) => {
                use PlainOp::*;
                let name = format!("`{}`", op.row().2);
                self.needs(
                    match op {
                        ErrorContextDrop => Features::CM_ERROR_CONTEXT,
                        ThreadIndex | ThreadResumeLater => Features::CM_THREADING,
                        _ => Features::CM_ASYNC,
                    },
                    &name,
                )?;
                self.core_func(match op {
                    BackpressureInc | BackpressureDec | TaskCancel => ft(&[], &[]),
                    SubtaskDrop | ErrorContextDrop | WaitableSetDrop | ThreadResumeLater => {
                        ft(&[C::I32], &[])
                    }
                    WaitableSetNew | ThreadIndex => ft(&[], &[C::I32]),
                    WaitableJoin => ft(&[C::I32; 2], &[]),
                });
            }
            Canon::ThreadNewIndirect { func_ty, table } => {
                self.needs(Features::CM_THREADING, "`thread.new-indirect`")?;
                let t = at(&self.cur_ref().core_types, *func_ty, "type")?;
                if !matches!(self.types.get(t), Ty::CoreFunc(_)) {
                    return Err(format!("core type index {func_ty} is not a function type"));
                }
                let t = at(&self.cur_ref().core_tables, *table, "table")?;
                if t.index64 {
                    self.require(
                        Features::CM64,
                        "64-bit tables require the component model 64-bit feature",
                    )?;
                }
                if t.index64 || t.elem != wtool_ast::RefType::FUNCREF {
                    return Err(format!(
                        "table is not a 32-bit table of (ref null (func)): expected table element type funcref, found {}",
                        t.elem
                    ));
                }
                self.core_func(ft(&[C::I32; 2], &[C::I32]));
            }
            Canon::Spawn {
                op, func_ty, table, ..
            } => {
                use crate::ast::SpawnOp::*;
                if *op != AvailableParallelism {
                    at(&self.cur_ref().core_types, *func_ty, "type")?;
                }
                if *op == SpawnIndirect {
                    at(&self.cur_ref().core_tables, *table, "table")?;
                }
                self.core_func(match op {
                    AvailableParallelism => ft(&[], &[C::I32]),
                    _ => ft(&[C::I32; 2], &[C::I32]),
                });
            }
        }
        Ok(())
    }

    /// A memory the Canonical ABI may use; a 64-bit one is `cm64`'s.
    fn cabi_memory(&self, m: u32) -> Result<(), Msg> {
        if at(&self.cur_ref().core_memories, m, "memory")?.index64 {
            self.require(
                Features::CM64,
                "64-bit memories require the `cm64` feature to be enabled",
            )?;
        }
        Ok(())
    }

    fn core_func(&mut self, t: Ty) {
        let id = self.types.push(t);
        self.cur().core_funcs.push(id);
    }

    /// The core signature of a component function under `abi`, requiring
    /// the options the Canonical ABI needs for it.
    fn flatten(&self, f: &FuncTy, o: &Opts, abi: Abi) -> Result<(Vec<C>, Vec<C>), Msg> {
        let max_params = if abi == Abi::Lower && o.is_async {
            MAX_FLAT_ASYNC_PARAMS
        } else {
            MAX_FLAT_PARAMS
        };
        let mut params = Vec::new();
        for (_, t) in &f.params {
            if self.contains_ptr(*t) {
                match abi {
                    Abi::Lower => o.require_memory()?,
                    Abi::Lift => o.require_realloc()?,
                }
            }
            self.push_flat(*t, &mut params);
        }
        if params.len() > max_params {
            params = vec![C::I32];
            o.require_memory()?;
            if abi == Abi::Lift {
                o.require_realloc()?;
            }
        }
        let mut results = Vec::new();
        if let Some(t) = f.result {
            if abi == Abi::Lower && self.contains_ptr(t) {
                o.require_realloc()?;
            }
        }
        match (abi, o.is_async) {
            (_, false) => {
                if let Some(t) = f.result {
                    self.push_flat(t, &mut results);
                    if results.len() > MAX_FLAT_RESULTS {
                        results.clear();
                        o.require_memory()?;
                        match abi {
                            Abi::Lower => params.push(C::I32),
                            Abi::Lift => results.push(C::I32),
                        }
                    }
                }
            }
            (Abi::Lower, true) => {
                if f.result.is_some() {
                    params.push(C::I32);
                    o.require_memory()?;
                }
                results.push(C::I32);
            }
            (Abi::Lift, true) => {
                if let Some(t) = f.result {
                    let mut flat = Vec::new();
                    self.push_flat(t, &mut flat);
                    if flat.len() > MAX_FLAT_PARAMS || self.contains_ptr(t) {
                        o.require_memory()?;
                    }
                }
                if o.callback.is_some() {
                    results.push(C::I32);
                }
            }
        }
        Ok((params, results))
    }

    /// Whether values of `t` live (partly) in linear memory.
    fn contains_ptr(&self, t: ValTy) -> bool {
        match t {
            ValTy::Prim(p) => p == PrimValType::String,
            ValTy::Id(_) => match self.types.defined(t) {
                None => false,
                Some(d) => match d {
                    Defined::Prim(p) => *p == PrimValType::String,
                    Defined::List(_) | Defined::Map(..) => true,
                    Defined::FixedList(t, _) | Defined::Option(t) => self.contains_ptr(*t),
                    Defined::Record(fs) => fs.iter().any(|f| self.contains_ptr(f.1)),
                    Defined::Variant(cs) => {
                        cs.iter().filter_map(|c| c.1).any(|t| self.contains_ptr(t))
                    }
                    Defined::Tuple(ts) => ts.iter().any(|t| self.contains_ptr(*t)),
                    Defined::Result(a, b) => {
                        a.iter().chain(b.iter()).any(|t| self.contains_ptr(*t))
                    }
                    _ => false,
                },
            },
        }
    }

    /// Appends the flattened core types of `t` (the Canonical ABI's
    /// `flatten_type`).
    fn push_flat(&self, t: ValTy, out: &mut Vec<C>) {
        use PrimValType::*;
        let d = match t {
            ValTy::Prim(p) => Defined::Prim(p),
            ValTy::Id(_) => match self.types.defined(t) {
                Some(d) => d.clone(),
                None => return,
            },
        };
        match d {
            Defined::Prim(p) => match p {
                S64 | U64 => out.push(C::I64),
                F32 => out.push(C::F32),
                F64 => out.push(C::F64),
                String => out.extend([C::I32, C::I32]),
                _ => out.push(C::I32),
            },
            Defined::List(_) | Defined::Map(..) => out.extend([C::I32, C::I32]),
            Defined::FixedList(t, n) => {
                for _ in 0..n.min(MAX_FLAT_PARAMS as u32 + 1) {
                    self.push_flat(t, out);
                }
            }
            Defined::Record(fs) => fs.iter().for_each(|f| self.push_flat(f.1, out)),
            Defined::Tuple(ts) => ts.iter().for_each(|t| self.push_flat(*t, out)),
            Defined::Flags(_) | Defined::Enum(_) => out.push(C::I32),
            Defined::Own(_) | Defined::Borrow(_) | Defined::Stream(_) | Defined::Future(_) => {
                out.push(C::I32)
            }
            Defined::Variant(cs) => self.push_variant(cs.iter().map(|c| c.1), out),
            Defined::Option(t) => self.push_variant([None, Some(t)].into_iter(), out),
            Defined::Result(a, b) => self.push_variant([a, b].into_iter(), out),
        }
    }

    /// A variant's flattening: the discriminant, then each position joined
    /// across the cases.
    fn push_variant(&self, cases: impl Iterator<Item = Option<ValTy>>, out: &mut Vec<C>) {
        let mut joined: Vec<C> = Vec::new();
        for c in cases.flatten() {
            let mut flat = Vec::new();
            self.push_flat(c, &mut flat);
            for (i, t) in flat.into_iter().enumerate() {
                match joined.get(i) {
                    None => joined.push(t),
                    Some(&j) if j == t => {}
                    Some(&j) => {
                        let both32 = matches!((j, t), (C::I32, C::F32) | (C::F32, C::I32));
                        joined[i] = if both32 { C::I32 } else { C::I64 };
                    }
                }
            }
        }
        out.push(C::I32);
        out.extend(joined);
    }

    /// Refuses a defined type whose values could not fit in memory.
    pub(crate) fn check_value_size(&self, id: TypeId) -> Result<(), Msg> {
        let (size, _) = self.size_align(ValTy::Id(id));
        if size >= MAX_VALUE_SIZE {
            return Err("value type's maximum in-memory size exceeds maximum byte size".into());
        }
        Ok(())
    }

    /// The Canonical ABI's element size and alignment (sizes saturate).
    fn size_align(&self, t: ValTy) -> (u64, u64) {
        use PrimValType::*;
        let d = match t {
            ValTy::Prim(p) => Defined::Prim(p),
            ValTy::Id(_) => match self.types.defined(t) {
                Some(d) => d.clone(),
                None => return (4, 4),
            },
        };
        let record = |ts: &mut dyn Iterator<Item = ValTy>| -> (u64, u64) {
            let (mut size, mut align) = (0u64, 1u64);
            for t in ts {
                let (s, a) = self.size_align(t);
                size = align_to(size, a).saturating_add(s);
                align = align.max(a);
            }
            (align_to(size, align), align)
        };
        match d {
            Defined::Prim(p) => match p {
                Bool | S8 | U8 => (1, 1),
                S16 | U16 => (2, 2),
                S64 | U64 | F64 => (8, 8),
                // Sizes use 64-bit pointers, the larger of the two the ABI
                // allows, as the spec's `elem_size(t, 'i64')` limit does.
                String => (16, 8),
                _ => (4, 4),
            },
            Defined::List(_) | Defined::Map(..) => (16, 8),
            Defined::FixedList(t, n) => {
                let (s, a) = self.size_align(t);
                (s.saturating_mul(u64::from(n)), a)
            }
            Defined::Record(fs) => record(&mut fs.iter().map(|f| f.1)),
            Defined::Tuple(ts) => record(&mut ts.iter().copied()),
            Defined::Flags(ls) => (
                match ls.len() {
                    0..=8 => 1,
                    9..=16 => 2,
                    _ => 4,
                },
                match ls.len() {
                    0..=8 => 1,
                    9..=16 => 2,
                    _ => 4,
                },
            ),
            Defined::Enum(ls) => {
                let d = disc_size(ls.len());
                (d, d)
            }
            Defined::Own(_) | Defined::Borrow(_) | Defined::Stream(_) | Defined::Future(_) => {
                (4, 4)
            }
            Defined::Variant(cs) => self.variant_size(cs.len(), &mut cs.iter().map(|c| c.1)),
            Defined::Option(t) => self.variant_size(2, &mut [None, Some(t)].into_iter()),
            Defined::Result(a, b) => self.variant_size(2, &mut [a, b].into_iter()),
        }
    }

    fn variant_size(&self, n: usize, cases: &mut dyn Iterator<Item = Option<ValTy>>) -> (u64, u64) {
        let d = disc_size(n);
        let (mut max, mut align) = (0u64, d);
        for c in cases.flatten() {
            let (s, a) = self.size_align(c);
            max = max.max(s);
            align = align.max(a);
        }
        (
            align_to(align_to(d, align).saturating_add(max), align),
            align,
        )
    }
}

/// The `async` option only lifts or lowers `async` function types.
fn check_asyncness(o: &Opts, f: &FuncTy) -> Result<(), Msg> {
    if o.is_async && !f.is_async {
        return Err("the `async` canonical option requires an async function type".into());
    }
    Ok(())
}

fn disc_size(n: usize) -> u64 {
    match n {
        0..=256 => 1,
        257..=65536 => 2,
        _ => 4,
    }
}

fn align_to(x: u64, a: u64) -> u64 {
    x.div_ceil(a).saturating_mul(a)
}

/// A core type list as wasm-tools shows it: `[I32, I64]`.
fn list(ts: &[C]) -> String {
    let names: Vec<String> = ts
        .iter()
        .map(|t| {
            let s = t.to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => s,
            }
        })
        .collect();
    format!("[{}]", names.join(", "))
}

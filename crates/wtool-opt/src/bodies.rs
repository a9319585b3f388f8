//! Function bodies held encoded while the passes run.
//!
//! A decoded instruction takes 16 bytes and an encoded one about two, so a
//! big module's decoded bodies are most of its memory. The runner keeps
//! every body encoded ([`Bodies`]) and decodes one at a time: a run of
//! function-local passes decodes each function, puts it through the run
//! and encodes it again; passes that read or rewrite every body
//! ([`crate::Pass::run_with`]) scan them one by one ([`Bodies::scan`],
//! [`Bodies::rewrite`]). A pass that needs them all at once gets them all
//! decoded, and encoded again after it. A body is held encoded only when
//! its encoding decodes back to exactly the same instructions; otherwise
//! it stays decoded in the module ("open").

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;
use wtool_ast::{Expr, Features, Instr, Module};
use wtool_binary::{BodyRange, BodyReader};

use crate::pass::FuncUnit;

/// One defined function's body as [`Bodies`] holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slot {
    /// Decoded, in the module's `Func::body`.
    Open,
    /// Encoded instructions (the final `end` included), `count` of them;
    /// the module's `Func::body` is empty meanwhile.
    Packed { bytes: Box<[u8]>, count: u32 },
}

/// How bodies are encoded and decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Codec {
    features: Features,
}

impl Codec {
    /// Reads `bytes` (instructions as encoded, the final `end` included)
    /// into `into`, which must be empty; false when they do not decode.
    fn read(self, bytes: &[u8], into: &mut Vec<Instr>) -> bool {
        let Ok(end) = u32::try_from(bytes.len()) else {
            return false;
        };
        let range = BodyRange {
            defined_index: 0,
            func_index: 0,
            start: 0,
            end,
        };
        // `memory.init` and `data.drop` are read as if the module had a
        // data count: what is checked here is only that the bytes give the
        // instructions back (the module was validated before).
        for r in BodyReader::new(bytes, &range, self.features, true) {
            match r {
                Ok((_, ins)) => into.push(ins),
                Err(_) => return false,
            }
        }
        true
    }

    /// The encoding of `body`, when it decodes back to exactly `body`
    /// (`check` is scratch) and `body` has no offsets to keep.
    fn encode(self, body: &Expr, check: &mut Vec<Instr>) -> Option<Slot> {
        if !body.offsets.is_empty() {
            return None;
        }
        let mut bytes = Vec::new();
        wtool_binary::encode_expr(&mut bytes, body);
        check.clear();
        if !self.read(&bytes, check) || *check != body.instrs {
            return None;
        }
        Some(Slot::Packed {
            bytes: bytes.into_boxed_slice(),
            count: u32::try_from(body.instrs.len()).ok()?,
        })
    }

    /// Decodes a packed slot's instructions at their exact size.
    fn decode(self, bytes: &[u8], count: u32) -> Vec<Instr> {
        let mut instrs = Vec::with_capacity(count as usize);
        // These bytes were checked to decode to `count` instructions when
        // they were packed (`Codec::encode`, `Bodies::from_input`).
        let ok = self.read(bytes, &mut instrs);
        debug_assert!(ok && instrs.len() == count as usize);
        instrs
    }
}

/// The defined functions' bodies of a module, each decoded in the module
/// or held encoded here. Indexed like `Module::funcs`, whose length it
/// follows ([`Bodies::retain`], [`Bodies::permute`]).
#[derive(Clone)]
pub struct Bodies {
    slots: Vec<Slot>,
    codec: Codec,
    /// Whether bodies are encoded when they are put back (off: every body
    /// stays decoded, as when the runner does not run by function).
    packing: bool,
    pool: Option<Arc<rayon::ThreadPool>>,
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bodies")
            .field("len", &self.slots.len())
            .field("packed", &self.packed_count())
            .field("packing", &self.packing)
            .finish()
    }
}

impl Bodies {
    /// Every body left decoded in `module`, and kept so.
    pub fn open(module: &Module, features: Features) -> Bodies {
        Bodies {
            slots: vec![Slot::Open; module.funcs.len()],
            codec: Codec { features },
            packing: false,
            pool: None,
        }
    }

    /// Takes every body of `module` that encodes exactly, on `pool`.
    pub(crate) fn pack(
        module: &mut Module,
        features: Features,
        pool: Option<Arc<rayon::ThreadPool>>,
    ) -> Bodies {
        let mut b = Bodies {
            slots: Vec::new(),
            codec: Codec { features },
            packing: true,
            pool,
        };
        b.close(module);
        b
    }

    /// Every body of `module` that encodes exactly taken and held encoded,
    /// with a pool of `threads` threads (0: one per core) for the work.
    pub fn packed(module: &mut Module, features: Features, threads: usize) -> Bodies {
        Bodies::pack(module, features, pool_of(threads))
    }

    /// Bodies read from the input module `bytes`: `module` is what
    /// [`wtool_binary::decode_lazy`] gave (empty bodies) and `ranges` its
    /// body ranges. Each body is decoded and encoded again (so an untouched
    /// body is written in its shortest form); one that does not decode is
    /// an error naming its function index.
    pub fn from_input(
        module: &mut Module,
        bytes: &[u8],
        ranges: &[BodyRange],
        features: Features,
        has_data_count: bool,
        threads: usize,
    ) -> Result<Bodies, wtool_binary::DecodeError> {
        let pool = pool_of(threads);
        let codec = Codec { features };
        // Each body held encoded, or (when it does not encode exactly)
        // its decoded instructions, which stay in the module.
        let one = |r: &BodyRange| -> Result<Result<Slot, Expr>, wtool_binary::DecodeError> {
            let mut instrs = Vec::new();
            for x in BodyReader::new(bytes, r, features, has_data_count) {
                instrs.push(x?.1);
            }
            let expr = Expr::new(instrs);
            let mut check = Vec::new();
            Ok(codec.encode(&expr, &mut check).ok_or(expr))
        };
        let read: Result<Vec<_>, _> = match &pool {
            Some(p) => p.install(|| ranges.par_iter().map(one).collect()),
            None => ranges.iter().map(one).collect(),
        };
        let mut slots = Vec::with_capacity(module.funcs.len());
        for (k, r) in read?.into_iter().enumerate() {
            slots.push(r.unwrap_or_else(|expr| {
                if let Some(f) = module.funcs.get_mut(k) {
                    f.body = expr;
                }
                Slot::Open
            }));
        }
        slots.resize(module.funcs.len(), Slot::Open);
        Ok(Bodies {
            slots,
            codec,
            packing: true,
            pool,
        })
    }

    /// The thread pool passes may use for body rewrites.
    pub(crate) fn pool(&self) -> Option<&rayon::ThreadPool> {
        self.pool.as_deref()
    }

    /// Sets the pool (the runner's).
    pub(crate) fn set_pool(&mut self, pool: Option<Arc<rayon::ThreadPool>>) {
        self.pool = pool;
    }

    /// Whether both hold the same bodies the same way (decoded bodies are
    /// compared with the modules).
    pub fn same(&self, other: &Bodies) -> bool {
        self.slots == other.slots
    }

    /// How many bodies are held encoded.
    pub fn packed_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::Packed { .. }))
            .count()
    }

    /// Decodes every held body back into `module`.
    pub fn open_all(&mut self, module: &mut Module) {
        let codec = self.codec;
        let slots = std::mem::take(&mut self.slots);
        let work = |(f, s): (&mut wtool_ast::Func, Slot)| {
            if let Slot::Packed { bytes, count } = s {
                f.body.instrs = codec.decode(&bytes, count);
            }
        };
        match &self.pool {
            Some(p) => p.install(|| module.funcs.par_iter_mut().zip(slots).for_each(work)),
            None => module.funcs.iter_mut().zip(slots).for_each(work),
        }
        self.slots = vec![Slot::Open; module.funcs.len()];
    }

    /// Takes every decoded body of `module` that encodes exactly (when
    /// packing; otherwise only follows the number of functions).
    pub fn close(&mut self, module: &mut Module) {
        self.slots.resize(module.funcs.len(), Slot::Open);
        if !self.packing {
            return;
        }
        let codec = self.codec;
        let work = |(f, s): (&mut wtool_ast::Func, &mut Slot)| {
            if *s == Slot::Open {
                let mut check = Vec::new();
                if let Some(p) = codec.encode(&f.body, &mut check) {
                    f.body.instrs = Vec::new();
                    *s = p;
                }
            }
        };
        let slots = &mut self.slots;
        match &self.pool {
            Some(p) => p.install(|| module.funcs.par_iter_mut().zip(slots).for_each(work)),
            None => module.funcs.iter_mut().zip(slots.iter_mut()).for_each(work),
        }
    }

    /// The instructions of defined function `def`.
    pub fn get<'a>(&'a self, module: &'a Module, def: usize) -> Cow<'a, [Instr]> {
        match self.slots.get(def) {
            Some(Slot::Packed { bytes, count }) => Cow::Owned(self.codec.decode(bytes, *count)),
            _ => Cow::Borrowed(module.funcs.get(def).map_or(&[][..], |f| &f.body.instrs)),
        }
    }

    /// Gives defined function `def` the body `instrs` (decoded, in the
    /// module, until bodies are next encoded); its offsets go.
    pub fn replace(&mut self, module: &mut Module, def: usize, instrs: Vec<Instr>) {
        if let Some(s) = self.slots.get_mut(def) {
            *s = Slot::Open;
        }
        if let Some(f) = module.funcs.get_mut(def) {
            f.body = Expr::new(instrs);
        }
    }

    /// How many instructions defined function `def` has.
    pub fn len_of(&self, module: &Module, def: usize) -> usize {
        match self.slots.get(def) {
            Some(Slot::Packed { count, .. }) => *count as usize,
            _ => module.funcs.get(def).map_or(0, |f| f.body.instrs.len()),
        }
    }

    /// The encoded instructions of `def` when held encoded.
    pub fn bytes(&self, def: usize) -> Option<&[u8]> {
        match self.slots.get(def) {
            Some(Slot::Packed { bytes, .. }) => Some(bytes),
            _ => None,
        }
    }

    /// Calls `f` with each defined function's index and instructions, in
    /// order, one decoded at a time.
    pub fn scan(&self, module: &Module, mut f: impl FnMut(usize, &[Instr])) {
        let mut scratch = Vec::new();
        for (def, func) in module.funcs.iter().enumerate() {
            match self.slots.get(def) {
                Some(Slot::Packed { bytes, .. }) => {
                    scratch.clear();
                    let ok = self.codec.read(bytes, &mut scratch);
                    debug_assert!(ok);
                    f(def, &scratch);
                }
                _ => f(def, &func.body.instrs),
            }
        }
    }

    /// Keeps the bodies of the functions `keep` accepts (by index), as
    /// `Vec::retain` on `Module::funcs` keeps the functions.
    pub fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let mut i = 0;
        self.slots.retain(|_| {
            let k = keep(i);
            i += 1;
            k
        });
    }

    /// Reorders the bodies as the functions were: the new body `i` is the
    /// old body `order[i]`. `order` is a permutation.
    pub fn permute(&mut self, order: &[usize]) {
        let mut old: Vec<Option<Slot>> = std::mem::take(&mut self.slots)
            .into_iter()
            .map(Some)
            .collect();
        self.slots = order
            .iter()
            .map(|&o| old.get_mut(o).and_then(Option::take).unwrap_or(Slot::Open))
            .collect();
    }

    /// Runs `f` on every defined function, taken out of `module` with its
    /// body decoded (several at once on the pool); `f` says whether it
    /// changed the function (and drops its label names or offsets itself
    /// when they no longer fit). Every body is held encoded again after;
    /// one `f` left unchanged keeps its old encoding. Whether any changed.
    pub fn rewrite(
        &mut self,
        module: &mut Module,
        f: impl Fn(&Module, &mut FuncUnit) -> bool + Sync,
    ) -> bool {
        let tally = self.for_units(module, 1, |m, unit, tally| {
            let changed = f(m, unit);
            tally.changed[0] |= changed;
            changed
        });
        tally.changed[0]
    }

    /// Takes every function out of `module` with its body decoded, runs
    /// `work` on each (several at once on the pool; `work` records, for
    /// each of `n` passes, its time and whether it changed anything, and
    /// says whether it changed the function), encodes each changed body
    /// again when packing, and puts them back. The records added up.
    pub(crate) fn for_units(
        &mut self,
        module: &mut Module,
        n: usize,
        work: impl Fn(&Module, &mut FuncUnit, &mut Tally) -> bool + Sync,
    ) -> Tally {
        self.slots.resize(module.funcs.len(), Slot::Open);
        let codec = self.codec;
        let packing = self.packing;
        let units = FuncUnit::take_all(module);
        let mut pairs: Vec<(FuncUnit, Slot)> = units
            .into_iter()
            .zip(std::mem::take(&mut self.slots))
            .collect();
        let shared: &Module = module;
        let chunk_work = |chunk: &mut [(FuncUnit, Slot)]| {
            let mut tally = Tally::new(n);
            let mut check = Vec::new();
            for (unit, slot) in chunk {
                if let Slot::Packed { bytes, count } = slot {
                    unit.func.body.instrs = codec.decode(bytes, *count);
                }
                let changed = work(shared, unit, &mut tally);
                if !changed && matches!(slot, Slot::Packed { .. }) {
                    // Its bytes still say what it is.
                    unit.func.body.instrs = Vec::new();
                    continue;
                }
                *slot = Slot::Open;
                if packing {
                    if let Some(p) = codec.encode(&unit.func.body, &mut check) {
                        unit.func.body.instrs = Vec::new();
                        *slot = p;
                    }
                }
            }
            tally
        };
        // About eight tasks a thread at least, so that a module of a few
        // big functions still spreads; at most 32 functions a task.
        let threads = self.pool.as_ref().map_or(1, |p| p.current_num_threads());
        let chunk = (pairs.len() / (threads * 8)).clamp(1, 32);
        let outs: Vec<Tally> = match &self.pool {
            Some(p) => p.install(|| pairs.par_chunks_mut(chunk).map(chunk_work).collect()),
            None => pairs.chunks_mut(chunk).map(chunk_work).collect(),
        };
        let mut tally = Tally::new(n);
        for o in outs {
            tally.add(&o);
        }
        let (units, slots): (Vec<FuncUnit>, Vec<Slot>) = pairs.into_iter().unzip();
        self.slots = slots;
        FuncUnit::put_back(module, units);
        tally
    }

    /// Appends the encoded instructions of `def` to `out` when held
    /// encoded (false: the module's decoded body is the one to encode).
    pub fn write_body(&self, def: usize, out: &mut Vec<u8>) -> bool {
        match self.slots.get(def) {
            Some(Slot::Packed { bytes, .. }) => {
                out.extend_from_slice(bytes);
                true
            }
            _ => false,
        }
    }

    /// Validates `module` with these bodies as `wtool_validate::validate`
    /// does (the same error first), decoding one body at a time.
    pub fn validate(
        &self,
        module: &Module,
        features: Features,
    ) -> Result<(), wtool_validate::ValidationError> {
        let info = wtool_validate::ModuleInfo::new(module, features);
        info.validate_module()?;
        let first = info.num_imported_funcs();
        let mut v = wtool_validate::Validator::new();
        let mut scratch = Vec::new();
        for def in 0..module.funcs.len() {
            let index = first + def as u32;
            match self.slots.get(def) {
                Some(Slot::Packed { bytes, .. }) => {
                    scratch.clear();
                    let ok = self.codec.read(bytes, &mut scratch);
                    debug_assert!(ok);
                    v.validate_body(&info, index, scratch.iter().map(|i| (None, i)))?;
                }
                _ => v.validate_func(&info, index)?,
            }
        }
        Ok(())
    }

    /// A copy of `module` with every body decoded (for validation and the
    /// `-Oz` size guard).
    pub fn materialize(&self, module: &Module) -> Module {
        let mut m = module.clone();
        for (def, f) in m.funcs.iter_mut().enumerate() {
            if let Some(Slot::Packed { bytes, count }) = self.slots.get(def) {
                f.body.instrs = self.codec.decode(bytes, *count);
            }
        }
        m
    }

    /// Encodes `module` with these bodies into `w`, each decoded body
    /// freed once written.
    pub fn encode_into(
        &self,
        mut module: Module,
        w: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut exprs: Vec<Expr> = module
            .funcs
            .iter_mut()
            .map(|f| std::mem::take(&mut f.body))
            .collect();
        let mut body = |def: usize, last: bool, out: &mut Vec<u8>| {
            if !self.write_body(def, out) {
                wtool_binary::encode_expr(out, &exprs[def]);
                if last {
                    exprs[def] = Expr::default();
                }
            }
        };
        wtool_binary::encode_into_with(&module, &mut body, w)
    }

    /// The encoded size of `module` with these bodies.
    pub fn encoded_size(&self, module: &Module) -> usize {
        let mut count = Counter(0);
        let mut body = |def: usize, _: bool, out: &mut Vec<u8>| {
            if !self.write_body(def, out) {
                wtool_binary::encode_expr(out, &module.funcs[def].body);
            }
        };
        // Writing to a counter cannot fail.
        let _ = wtool_binary::encode_into_with(module, &mut body, &mut count);
        count.0
    }
}

/// Per pass of a run over every function: time spent and whether it
/// changed anything.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tally {
    /// Time, per pass (summed over threads).
    pub elapsed: Vec<std::time::Duration>,
    /// Whether it changed any function, per pass.
    pub changed: Vec<bool>,
}

impl Tally {
    fn new(n: usize) -> Tally {
        Tally {
            elapsed: vec![std::time::Duration::ZERO; n],
            changed: vec![false; n],
        }
    }

    fn add(&mut self, o: &Tally) {
        for (a, b) in self.elapsed.iter_mut().zip(&o.elapsed) {
            *a += *b;
        }
        for (a, b) in self.changed.iter_mut().zip(&o.changed) {
            *a |= *b;
        }
    }
}

/// A writer that only counts bytes.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A pool of `threads` threads (0: one per core), or `None` for one.
pub(crate) fn pool_of(threads: usize) -> Option<Arc<rayon::ThreadPool>> {
    let n = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    if n <= 1 {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .ok()
        .map(Arc::new)
}

#[cfg(test)]
#[path = "bodies_tests.rs"]
mod tests;

//! Exceptions: tags, exception instances and unwinding.
//!
//! The no-throw path costs nothing: `try_table` (and legacy `try`) emit no
//! instruction, only entries of the function's handler table
//! ([`HandlerEntry`], built by the compiler next to the code). A throw ends
//! the handler chain like a trap, with [`TrapKind::Exception`]; the driver
//! loop in `exec::run` then walks the frames from the top with [`unwind`],
//! consulting each function's handler table at the frame's current
//! position, and resumes at the first matching handler's landing pad with
//! the exception's values written to its slots. Host frames bound a run
//! (`exec::run` is re-entered by host calls), so an exception leaving a run
//! comes back to the calling run as the host function's error and unwinding
//! goes on there.

use std::fmt;

use wtool_ast::FuncType;

use crate::code::Inst;
use crate::handlers::Cx;
use crate::store::{Extern, FuncInst, Store, TagAddr};
use crate::trap::TrapKind;
use crate::values::Value;

/// What a handler table entry does with an exception thrown inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HandlerKind {
    /// `catch`/`catch_ref` of tag `tag` (module index).
    Catch { tag: u32, with_ref: bool },
    /// `catch_all`/`catch_all_ref`.
    CatchAll { with_ref: bool },
    /// Legacy `delegate`: go on with the entries of nesting depth at most
    /// `depth` (the target label's block and what encloses it).
    Delegate { depth: u32 },
}

/// One handler of a function: code positions `[start, end)` are covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HandlerEntry {
    pub start: u32,
    pub end: u32,
    /// Nesting depth of the handler's block (the function's body is 0).
    pub depth: u32,
    pub kind: HandlerKind,
    /// Landing pad: where execution resumes.
    pub pad: u32,
    /// First slot of the values the pad expects.
    pub dst: u32,
    /// Slot that keeps the caught exception for legacy `rethrow`
    /// (`u32::MAX`: none).
    pub exn_slot: u32,
}

/// An exception that no handler caught.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thrown {
    /// The exception: its `exnref` slot (an object of the store's heap).
    pub exn: u64,
    /// Its tag.
    pub tag: TagAddr,
    /// The tag and values, for messages (filled when it leaves a run).
    pub text: String,
}

impl fmt::Display for Thrown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "uncaught exception: {}", self.text)
    }
}

impl Store {
    /// The type of a tag.
    pub fn tag_type(&self, t: TagAddr) -> Option<&FuncType> {
        self.types.get(*self.tags.get(t.0 as usize)? as usize)
    }

    /// The tag and values of exception `exn`, as messages show them.
    pub(crate) fn describe_exn(&self, exn: u64) -> String {
        let Some((tag, vals)) = self.heap.exn(exn) else {
            return format!("exception {:#x}", exn);
        };
        let e = ExnView { tag, vals };
        let name = self
            .instances
            .iter()
            .flat_map(|d| d.exports.iter())
            .find(|(_, x)| **x == Extern::Tag(TagAddr(e.tag)))
            .map(|(n, _)| format!(" \"{n}\""))
            .unwrap_or_default();
        let mut vals = Vec::new();
        if let Some(ty) = self.tag_type(TagAddr(e.tag)) {
            let mut i = 0usize;
            for &t in ty.params.iter() {
                let lo = e.vals.get(i).copied().unwrap_or(0);
                let hi = e.vals.get(i + 1).copied().unwrap_or(0);
                vals.push(Value::from_slots(t, lo, hi).to_string());
                i += crate::values::slots(t) as usize;
            }
        }
        format!("tag {}{name} ({})", e.tag, vals.join(", "))
    }
}

/// An exception's tag and values, for messages.
struct ExnView<'a> {
    tag: u32,
    vals: &'a [u64],
}

/// The trap kind that carries exception `exn` up to the driver loop.
pub(crate) fn thrown(store: &Store, exn: u64) -> TrapKind {
    let tag = store.heap.exn(exn).map_or(u32::MAX, |e| e.0);
    TrapKind::Exception(Box::new(Thrown {
        exn,
        tag: TagAddr(tag),
        text: String::new(),
    }))
}

/// Finds the handler for exception `exn` thrown at `cx.ip` in the frame at
/// `cx.sp`, walking out through `cx.frames`. On a match, the frames above
/// the handler's are dropped, the values are written to the pad's slots
/// and the pad's position and frame are returned; otherwise nothing changes.
pub(crate) fn unwind(cx: &mut Cx<'_>, exn: u64) -> Option<(*const Inst, *mut u64)> {
    let (mut func, mut ip, mut sp, mut mem0) = (cx.func, cx.ip, cx.sp, cx.mem0);
    let mut depth = cx.frames.len();
    loop {
        if let Some((h, pad, inst)) = find(cx.store, func, ip, exn) {
            let vals: Box<[u64]> = cx.store.heap.exn(exn)?.1.into();
            let at = cx.slot_index(sp);
            let stack = cx.stack_slice();
            let mut o = at + h.dst as usize;
            let mut put = |v: u64| {
                if let Some(s) = stack.get_mut(o) {
                    *s = v;
                }
                o += 1;
            };
            match h.kind {
                HandlerKind::Catch { with_ref, .. } => {
                    vals.iter().for_each(|&v| put(v));
                    if with_ref {
                        put(exn);
                    }
                }
                HandlerKind::CatchAll { with_ref: true } => put(exn),
                _ => {}
            }
            if h.exn_slot != u32::MAX {
                if let Some(s) = stack.get_mut(at + h.exn_slot as usize) {
                    *s = exn;
                }
            }
            cx.frames.truncate(depth);
            cx.func = func;
            cx.set_inst(inst);
            cx.mem0 = mem0;
            return Some((pad, sp));
        }
        depth = depth.checked_sub(1)?;
        let fr = cx.frames.get(depth)?;
        (func, ip, sp, mem0) = (fr.func, fr.ret_ip.wrapping_sub(1), fr.sp, fr.mem0);
    }
}

/// The handler of function `func` for `exn` thrown at `ip`: the entry, its
/// pad's address and the function's instance.
fn find(
    store: &Store,
    func: u32,
    ip: *const Inst,
    exn: u64,
) -> Option<(HandlerEntry, *const Inst, u32)> {
    let Some(FuncInst::Wasm(w)) = store.funcs.get(func as usize) else {
        return None;
    };
    let code = w.code()?;
    let pc = code.index_of(ip)? as u32;
    let tag = store.heap.exn(exn)?.0;
    let inst = store.instances.get(w.instance as usize)?;
    let mut limit = u32::MAX;
    for h in code.handlers.iter() {
        if pc < h.start || pc >= h.end || h.depth > limit {
            continue;
        }
        let hit = match h.kind {
            HandlerKind::Catch { tag: t, .. } => inst.tags.get(t as usize) == Some(&tag),
            HandlerKind::CatchAll { .. } => true,
            HandlerKind::Delegate { depth } => {
                limit = depth;
                false
            }
        };
        if hit && (h.pad as usize) < code.code().len() {
            return Some((
                *h,
                code.code().as_ptr().wrapping_add(h.pad as usize),
                w.instance,
            ));
        }
    }
    None
}

//! Function bodies: the operand/control stack algorithm of the spec's
//! validation appendix. `Ty::UNKNOWN` on the operand stack is the unknown
//! (bottom) type that unreachable code produces. Nesting lives in `ctrls`, never on
//! the Rust stack, so arbitrarily deep blocks cannot overflow it.
//!
//! The instruction families are implemented in the sibling files; this file
//! holds the stacks, the frame logic and the dispatch.

mod atomic;
mod control;
mod exceptions;
mod gc;
mod memory;
mod numeric;
mod reference;
mod table;
mod tail;
mod typed_ref;
mod variable;
mod visit;

use wtool_ast::{BlockType, Instr, ValType};
use wtool_binary::{BodyReader, DecodeError};

use crate::error::{ErrorKind, Expected, ValidationError};
use crate::features::check_val_type;
use crate::module::ModuleInfo;
use crate::types::{Ty, TypeCx};
use numeric::OpSig;

/// Most locals (parameters included) a function may declare; the limit
/// engines and wasmparser share.
pub const MAX_LOCALS: u64 = 50_000;

/// What opened a control frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Block,
    Loop,
    If,
    Else,
    Func,
    /// A `try_table` (its label is its end, as a block's).
    TryTable,
    /// A legacy `try` before its first clause.
    Try,
    /// A legacy `catch` clause.
    Catch,
    /// A legacy `catch_all` clause.
    CatchAll,
}

/// One entry of the control stack.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub(crate) kind: FrameKind,
    /// For `Func` frames, `BlockType::Func(type of the function)`.
    pub(crate) bt: BlockType,
    /// Operand stack height when the frame was entered.
    pub(crate) height: usize,
    pub(crate) unreachable: bool,
    /// Length of `init_log` when the frame was entered.
    pub(crate) inits: usize,
}

/// Function-body validator. Reuse one per thread: its stacks keep their
/// allocations from one function to the next.
#[derive(Debug, Default)]
pub struct Validator {
    vals: Vec<Ty>,
    ctrls: Vec<Frame>,
    locals: Vec<Ty>,
    /// The opcode table in operand-stack form (filled on first use).
    sigs: &'static [OpSig],
    /// Height and reachability of the innermost frame, cached out of
    /// `ctrls` because every pop consults them.
    height: usize,
    unreachable: bool,
    /// Subtyping over the current module's types.
    tcx: TypeCx,
    /// Whether each local is initialized (only tracked when `track_inits`).
    inited: Vec<bool>,
    /// Locals initialized since function entry, in order (frames reset
    /// theirs at their end).
    init_log: Vec<u32>,
    /// The function has non-defaultable locals.
    track_inits: bool,
}

/// Parameters of a block type. (Never asked of the function's own frame,
/// whose parameters are locals rather than operands.)
#[inline]
pub(crate) fn bt_params<'a>(info: &ModuleInfo<'a>, bt: &'a BlockType) -> &'a [ValType] {
    match bt {
        BlockType::Func(i) => info.func_type(*i).map_or(&[], |f| &f.params),
        _ => &[],
    }
}

/// Results of a block type.
#[inline]
pub(crate) fn bt_results<'a>(info: &ModuleInfo<'a>, bt: &'a BlockType) -> &'a [ValType] {
    match bt {
        BlockType::Empty => &[],
        BlockType::Value(t) => std::slice::from_ref(t),
        BlockType::Func(i) => info.func_type(*i).map_or(&[], |f| &f.results),
    }
}

/// A type mismatch between operand-stack types (`found` unknown = nothing).
#[cold]
#[inline(never)]
pub(crate) fn mismatch_ty(expected: Ty, found: Ty) -> ErrorKind {
    let expected = expected.to_val().map_or(Expected::Any, Expected::Val);
    ErrorKind::TypeMismatch {
        expected,
        found: found.to_val(),
    }
}

#[cold]
#[inline(never)]
pub(crate) fn mismatch(expected: Expected, found: Option<ValType>) -> ErrorKind {
    ErrorKind::TypeMismatch { expected, found }
}

impl Validator {
    /// A validator with empty stacks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Validates the body of function `func_index` (an index in the function
    /// index space, so imports come first) against the module context.
    pub fn validate_func(
        &mut self,
        info: &ModuleInfo<'_>,
        func_index: u32,
    ) -> Result<(), ValidationError> {
        let func = self.func_of(info, func_index)?;
        let err_at = |kind: ErrorKind, offset: Option<u32>| ValidationError {
            func: Some(func_index),
            offset,
            kind,
        };
        self.begin(info, func)
            .map_err(|k| err_at(k, Some(func.offset)))?;
        // The slice twin of `validate_body`'s loop: indexing beats zipping
        // an offsets iterator on this, the hottest loop of the crate.
        let body = &func.body;
        let instrs = &body.instrs;
        for (i, instr) in instrs.iter().enumerate() {
            if let Err(kind) = self.step(info, instr) {
                return Err(err_at(kind, body.offset_of(i)));
            }
            if self.ctrls.is_empty() {
                if i + 1 != instrs.len() {
                    return Err(err_at(
                        ErrorKind::Malformed("operators remaining after end of function"),
                        body.offset_of(i + 1),
                    ));
                }
                return Ok(());
            }
        }
        let last = instrs.len().checked_sub(1).and_then(|i| body.offset_of(i));
        Err(err_at(
            ErrorKind::Malformed("function body must end with end"),
            last.or(Some(func.offset)),
        ))
    }

    /// Validates function `func_index` with its instructions supplied by
    /// `instrs` as `(offset, instruction)` pairs instead of the AST body, so
    /// a decoder can stream a body without materialising it. The function's
    /// type and locals still come from the module.
    pub fn validate_body<I: std::borrow::Borrow<Instr>>(
        &mut self,
        info: &ModuleInfo<'_>,
        func_index: u32,
        instrs: impl IntoIterator<Item = (Option<u32>, I)>,
    ) -> Result<(), ValidationError> {
        let func = self.func_of(info, func_index)?;
        let err_at = |kind: ErrorKind, offset: Option<u32>| ValidationError {
            func: Some(func_index),
            offset,
            kind,
        };
        self.begin(info, func)
            .map_err(|k| err_at(k, Some(func.offset)))?;
        let mut last = Some(func.offset);
        let mut instrs = instrs.into_iter();
        while let Some((offset, instr)) = instrs.next() {
            if let Err(kind) = self.step(info, instr.borrow()) {
                return Err(err_at(kind, offset));
            }
            if self.ctrls.is_empty() {
                if let Some((next, _)) = instrs.next() {
                    return Err(err_at(
                        ErrorKind::Malformed("operators remaining after end of function"),
                        next,
                    ));
                }
                return Ok(());
            }
            last = offset.or(last);
        }
        Err(err_at(
            ErrorKind::Malformed("function body must end with end"),
            last,
        ))
    }

    /// Validates function `func_index` with its instructions decoded from
    /// `rd` as they are needed: `validate_body` over a [`BodyReader`], fused
    /// into one loop. A decode error ends it as `Err(Err(e))`; a validation
    /// error is `Err(Ok(e))`, at the offset `validate_body` would give.
    pub(crate) fn validate_reader(
        &mut self,
        info: &ModuleInfo<'_>,
        func_index: u32,
        rd: &mut BodyReader<'_>,
    ) -> Result<(), Result<ValidationError, DecodeError>> {
        let func = self.func_of(info, func_index).map_err(Ok)?;
        let err_at = |kind: ErrorKind, offset: Option<u32>| {
            Ok(ValidationError {
                func: Some(func_index),
                offset,
                kind,
            })
        };
        self.begin(info, func)
            .map_err(|k| err_at(k, Some(func.offset)))?;
        let mut last = Some(func.offset);
        loop {
            // Decoding hands each instruction straight to its typing rule.
            let (at, res) = match rd.read_visit(&mut visit::Step { v: self, info }) {
                Ok(Some(x)) => x,
                Ok(None) => {
                    return Err(err_at(
                        ErrorKind::Malformed("function body must end with end"),
                        last,
                    ))
                }
                Err(e) => return Err(Err(e)),
            };
            if let Err(kind) = res {
                return Err(err_at(kind, Some(at)));
            }
            if self.ctrls.is_empty() {
                return match rd.read() {
                    Ok(None) => Ok(()),
                    Ok(Some((next, _))) => Err(err_at(
                        ErrorKind::Malformed("operators remaining after end of function"),
                        Some(next),
                    )),
                    Err(e) => Err(Err(e)),
                };
            }
            last = Some(at);
        }
    }

    /// The defined function with this index.
    fn func_of<'m>(
        &self,
        info: &ModuleInfo<'m>,
        func_index: u32,
    ) -> Result<&'m wtool_ast::Func, ValidationError> {
        let defined = func_index.checked_sub(info.num_imported_funcs);
        defined
            .and_then(|d| info.module.funcs.get(d as usize))
            .ok_or(ValidationError {
                func: Some(func_index),
                offset: None,
                kind: ErrorKind::UnknownFunction(func_index),
            })
    }

    /// Resets the stacks for `func`: locals from its type and declarations,
    /// and the function's own control frame.
    fn begin(&mut self, info: &ModuleInfo<'_>, func: &wtool_ast::Func) -> Result<(), ErrorKind> {
        let ty = info
            .func_type(func.type_idx)
            .ok_or(ErrorKind::UnknownType(func.type_idx))?;
        // Locals: the parameters, then the declared groups, bounded before
        // anything is allocated for them.
        let total = ty.params.len() as u64 + func.num_locals();
        if total > MAX_LOCALS {
            return Err(ErrorKind::TooManyLocals);
        }
        if self.sigs.is_empty() {
            self.sigs = numeric::op_sigs();
        }
        self.locals.clear();
        self.locals
            .extend(ty.params.iter().map(|&t| Ty::from_val(t)));
        self.inited.clear();
        self.init_log.clear();
        self.track_inits = false;
        for g in &func.locals {
            check_val_type(info.features, g.ty, info.module.types.len() as u32)?;
            if matches!(g.ty, ValType::Ref(r) if !r.nullable) {
                self.track_inits = true;
            }
        }
        if self.track_inits {
            self.inited.resize(ty.params.len(), true);
        }
        for g in &func.locals {
            self.locals
                .extend(std::iter::repeat_n(Ty::from_val(g.ty), g.count as usize));
            if self.track_inits {
                let defaultable = !matches!(g.ty, ValType::Ref(r) if !r.nullable);
                self.inited
                    .extend(std::iter::repeat_n(defaultable, g.count as usize));
            }
        }
        self.tcx = info.tcx.clone();
        self.vals.clear();
        self.ctrls.clear();
        self.ctrls.push(Frame {
            kind: FrameKind::Func,
            bt: BlockType::Func(func.type_idx),
            height: 0,
            unreachable: false,
            inits: 0,
        });
        self.height = 0;
        self.unreachable = false;
        Ok(())
    }

    /// Validates one instruction. Inlined into the loop so the hot
    /// instructions cost no call frame.
    #[inline(always)]
    fn step(&mut self, info: &ModuleInfo<'_>, instr: &Instr) -> Result<(), ErrorKind> {
        instr.visit(&mut visit::Step { v: self, info })
    }

    // ---- operand stack ----

    #[inline(always)]
    pub(crate) fn push(&mut self, t: impl Into<Ty>) {
        self.vals.push(t.into());
    }

    #[inline]
    pub(crate) fn push_vals(&mut self, ts: &[ValType]) {
        self.vals.extend(ts.iter().map(|&t| Ty::from_val(t)));
    }

    /// Pops any operand; `Ty::UNKNOWN` is the bottom type.
    #[inline]
    pub(crate) fn pop_any(&mut self) -> Result<Ty, ErrorKind> {
        if self.vals.len() > self.height {
            if let Some(v) = self.vals.pop() {
                return Ok(v);
            }
        }
        if self.unreachable {
            Ok(Ty::UNKNOWN)
        } else {
            Err(mismatch(Expected::Any, None))
        }
    }

    /// Pops an operand that must match `expected`.
    #[inline(always)]
    pub(crate) fn pop_expect(&mut self, expected: impl Into<Ty>) -> Result<Ty, ErrorKind> {
        let expected = expected.into();
        if self.vals.len() > self.height {
            if let Some(v) = self.vals.pop() {
                if v == expected || v.is_unknown() || v.matches(expected, &self.tcx) {
                    return Ok(v);
                }
                return Err(mismatch_ty(expected, v));
            }
        }
        if self.unreachable {
            Ok(Ty::UNKNOWN)
        } else {
            Err(mismatch_ty(expected, Ty::UNKNOWN))
        }
    }

    /// Pops values matching `ts` (last type on top).
    #[inline]
    pub(crate) fn pop_vals(&mut self, ts: &[ValType]) -> Result<(), ErrorKind> {
        for &t in ts.iter().rev() {
            self.pop_expect(t)?;
        }
        Ok(())
    }

    /// Checks that the top of the stack matches `ts` without popping
    /// (what popping and re-pushing the same values would do).
    pub(crate) fn check_top(&self, ts: &[ValType]) -> Result<(), ErrorKind> {
        let len = self.vals.len();
        for (k, &t) in ts.iter().rev().enumerate() {
            let pos = len.checked_sub(k + 1).filter(|&p| p >= self.height);
            let want = Ty::from_val(t);
            match pos.and_then(|p| self.vals.get(p)) {
                Some(v) if !v.is_unknown() && !v.matches(want, &self.tcx) => {
                    return Err(mismatch_ty(want, *v))
                }
                Some(_) => {}
                None if self.unreachable => return Ok(()),
                None => return Err(mismatch(Expected::Val(t), None)),
            }
        }
        Ok(())
    }

    /// Marks the rest of the current frame unreachable.
    #[inline]
    pub(crate) fn set_unreachable(&mut self) {
        self.vals.truncate(self.height);
        self.unreachable = true;
    }

    // ---- control stack ----

    pub(crate) fn push_ctrl(&mut self, kind: FrameKind, bt: BlockType) {
        if let Some(top) = self.ctrls.last_mut() {
            top.unreachable = self.unreachable;
        }
        let height = self.vals.len();
        self.ctrls.push(Frame {
            kind,
            bt,
            height,
            unreachable: false,
            inits: self.init_log.len(),
        });
        self.height = height;
        self.unreachable = false;
    }

    /// Checks the innermost frame's results and pops it.
    pub(crate) fn pop_ctrl(&mut self, info: &ModuleInfo<'_>) -> Result<Frame, ErrorKind> {
        let Some(&frame) = self.ctrls.last() else {
            return Err(ErrorKind::Malformed("unexpected end"));
        };
        let results = bt_results(info, &frame.bt);
        self.pop_vals(results)?;
        if self.vals.len() != self.height {
            return Err(ErrorKind::ValuesRemaining {
                count: (self.vals.len() - self.height) as u32,
            });
        }
        self.ctrls.pop();
        if self.track_inits {
            // Initializations inside the frame do not outlive it.
            for x in self.init_log.drain(frame.inits.min(self.init_log.len())..) {
                if let Some(i) = self.inited.get_mut(x as usize) {
                    *i = false;
                }
            }
        }
        if let Some(top) = self.ctrls.last() {
            self.height = top.height;
            self.unreachable = top.unreachable;
        }
        Ok(frame)
    }

    /// The types a branch to label `l` carries, as a copied block type
    /// (callers take slices of it with [`bt_params`] / [`bt_results`]).
    #[inline]
    pub(crate) fn label(&self, l: u32) -> Result<(FrameKind, BlockType), ErrorKind> {
        let n = self.ctrls.len();
        let idx = n
            .checked_sub(1 + l as usize)
            .ok_or(ErrorKind::UnknownLabel(l))?;
        let f = self.ctrls.get(idx).ok_or(ErrorKind::UnknownLabel(l))?;
        Ok((f.kind, f.bt))
    }
}

/// Label types of a frame: a loop's parameters, any other frame's results.
#[inline]
pub(crate) fn label_types<'a>(
    info: &ModuleInfo<'a>,
    kind: FrameKind,
    bt: &'a BlockType,
) -> &'a [ValType] {
    if kind == FrameKind::Loop {
        bt_params(info, bt)
    } else {
        bt_results(info, bt)
    }
}

#[cfg(test)]
mod tests;

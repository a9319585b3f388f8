//! Instruction sequences: function bodies and constant expressions.
//!
//! One loop, no recursion: block nesting is a counter, since the decoder only
//! needs to know which `end` closes the expression. Each instruction is
//! decoded by the code generated from the instruction table
//! (`generated.rs`), its immediates by the readers in `imm.rs`.

use wtool_ast::{Expr, Instr, ValType};

use super::generated;
use super::types::{self, Accept};
use crate::error::{DecodeError, ErrorKind, Result};
use crate::reader::Reader;

/// Settings for decoding instructions.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CodeCtx {
    pub acc: Accept,
    /// A data count section came before the code section.
    pub has_data_count: bool,
}

/// The error for an expression whose bytes ran out before its final `end`.
///
/// The reference interpreter does not stop at a body's size: it reads on
/// into whatever follows, so the spec tests expect a message that depends on
/// the next byte. 2.0's interpreter did the same for constant expressions at
/// a section's end; 3.0's stops there. Matching that keeps our messages those
/// of the testsuite, and each describes the input accurately.
#[cold]
fn ran_out(r: &Reader<'_>, body: bool, acc: Accept) -> DecodeError {
    let at = r.end();
    if !body && acc.post_2_0 {
        return DecodeError::new(at, ErrorKind::UnexpectedEndOfSection);
    }
    let kind = match r.byte_after_end() {
        None => ErrorKind::UnexpectedEndOfSection,
        Some(0x0b) => ErrorKind::SectionSizeMismatch,
        Some(b) if !generated::starts_instr(b, acc.features) => ErrorKind::IllegalOpcode {
            prefix: b,
            code: None,
        },
        Some(_) => ErrorKind::EndOpcodeExpected,
    };
    DecodeError::new(at, kind)
}

/// Decodes instructions up to and including the `end` that closes the expression.
pub(crate) fn decode_expr(r: &mut Reader<'_>, cx: CodeCtx, body: bool) -> Result<Expr> {
    if body {
        return decode_body_expr(r, cx, &mut Scratch::default());
    }
    // Constant expressions are nearly always one instruction and `end`.
    let mut instrs = Vec::with_capacity(2);
    let mut offsets = Vec::with_capacity(2);
    read_all(r, cx, false, &mut instrs, &mut offsets)?;
    Ok(Expr { instrs, offsets })
}

/// Decodes a constant expression into `e`, replacing what it held (its
/// buffers are reused: checking many expressions allocates once).
pub(crate) fn decode_const_into(r: &mut Reader<'_>, cx: CodeCtx, e: &mut Expr) -> Result<()> {
    e.instrs.clear();
    e.offsets.clear();
    e.instrs.reserve_exact(2);
    e.offsets.reserve_exact(2);
    read_all(r, cx, false, &mut e.instrs, &mut e.offsets)
}

/// Buffers reused from one function body to the next, so that each body
/// costs exactly one allocation of its final size per vector.
#[derive(Default)]
pub(crate) struct Scratch {
    instrs: Vec<Instr>,
    offsets: Vec<u32>,
    /// Leave every body's `offsets` empty (see [`crate::decode_without_offsets`]).
    drop_offsets: bool,
}

impl Scratch {
    /// Empty buffers; with `drop_offsets`, bodies keep no offsets.
    pub(crate) fn new(drop_offsets: bool) -> Scratch {
        Scratch {
            drop_offsets,
            ..Scratch::default()
        }
    }
}

/// Decodes a function body's instructions through `scratch`.
pub(crate) fn decode_body_expr(
    r: &mut Reader<'_>,
    cx: CodeCtx,
    scratch: &mut Scratch,
) -> Result<Expr> {
    scratch.instrs.clear();
    scratch.offsets.clear();
    // Real code averages a little over two bytes per instruction, and every
    // instruction takes at least one byte, so this never over-reserves by
    // more than the body's own size.
    let hint = r.remaining() / 2 + 1;
    scratch.instrs.reserve(hint);
    scratch.offsets.reserve(hint);
    read_all(r, cx, true, &mut scratch.instrs, &mut scratch.offsets)?;
    let mut instrs = Vec::with_capacity(scratch.instrs.len());
    instrs.append(&mut scratch.instrs);
    let offsets = if scratch.drop_offsets {
        Vec::new()
    } else {
        scratch.offsets.as_slice().to_vec()
    };
    Ok(Expr { instrs, offsets })
}

#[inline(always)]
fn read_all(
    r: &mut Reader<'_>,
    cx: CodeCtx,
    body: bool,
    instrs: &mut Vec<Instr>,
    offsets: &mut Vec<u32>,
) -> Result<()> {
    let mut depth = 0usize;
    loop {
        let at = r.pos();
        let (instr, last) = read_instr(r, cx, body, &mut depth)?;
        instrs.push(instr);
        offsets.push(at as u32);
        if last {
            return Ok(());
        }
    }
}

/// Decodes the instruction at `r`'s position. `depth` counts open blocks;
/// the flag is true for the `end` that closes the whole expression. The
/// eager decoder's step; [`BodyReader`] steps the same way (`step`).
#[inline(always)]
fn read_instr(
    r: &mut Reader<'_>,
    cx: CodeCtx,
    body: bool,
    depth: &mut usize,
) -> Result<(Instr, bool)> {
    let at = r.pos();
    let Some(b) = r.next_byte() else {
        return Err(ran_out(r, body, cx.acc));
    };
    generated::instr(r, &cx, at, b, depth)
}

/// Where a function body's instructions lie in the input, for decoding them
/// later (see [`crate::decode_lazy`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyRange {
    /// Index of the function among the module's defined functions.
    pub defined_index: u32,
    /// Its index in the function index space (imports first), for errors.
    pub func_index: u32,
    /// Absolute offset of the first instruction (just after the locals).
    pub start: u32,
    /// Absolute offset just past the body's last byte.
    pub end: u32,
}

/// A streaming decoder of one function body's instructions, yielding each
/// with its file offset. It decodes exactly as [`crate::decode`] does (the
/// same routine) and reports the same errors at the same offsets, ending
/// with the check that nothing follows the final `end`. After an error or
/// the last instruction it yields nothing more.
#[derive(Clone, Debug)]
pub struct BodyReader<'a> {
    r: Reader<'a>,
    /// Function index, for the location of errors.
    func: u32,
    cx: CodeCtx,
    depth: usize,
    /// The final `end` has been read (the trailing-bytes check is pending).
    closed: bool,
    /// Nothing more to yield.
    done: bool,
}

impl<'a> BodyReader<'a> {
    /// A reader over the body at `range` of the module `bytes` (the whole
    /// input, so offsets are file offsets). `has_data_count`: whether the
    /// module has a data count section (`Module::data_count.is_some()`),
    /// which `memory.init` and `data.drop` require.
    pub fn new(
        bytes: &'a [u8],
        range: &BodyRange,
        features: wtool_ast::Features,
        has_data_count: bool,
    ) -> Self {
        BodyReader {
            r: Reader::bounded(bytes, range.start as usize, range.end as usize),
            func: range.func_index,
            cx: CodeCtx {
                acc: Accept::new(features),
                has_data_count,
            },
            depth: 0,
            closed: false,
            done: false,
        }
    }

    /// Absolute offset of the next instruction.
    pub fn offset(&self) -> usize {
        self.r.pos()
    }

    /// The next instruction with its offset; `Ok(None)` once the body has
    /// been read completely.
    #[inline(always)]
    pub fn read(&mut self) -> Result<Option<(u32, Instr)>> {
        self.step(&mut Build)
    }

    /// One step of the reader: the end-of-body checks, then `decode` on the
    /// next instruction's first byte (what it yields, and whether that was
    /// the final `end`). Shared by [`Self::read`] and [`Self::read_visit`].
    #[inline(always)]
    fn step<S: Step>(&mut self, decode: &mut S) -> Result<Option<(u32, S::Out)>> {
        if self.done {
            return Ok(None);
        }
        if self.closed {
            self.done = true;
            if !self.r.at_end() {
                return Err(self.locate(DecodeError::new(
                    self.r.pos(),
                    ErrorKind::SectionSizeMismatch,
                )));
            }
            return Ok(None);
        }
        let at = self.r.pos();
        let Some(b) = self.r.next_byte() else {
            self.done = true;
            return Err(self.locate(ran_out(&self.r, true, self.cx.acc)));
        };
        match decode.decode(&mut self.r, &self.cx, at, b, &mut self.depth) {
            Ok((out, last)) => {
                self.closed = last;
                Ok(Some((at as u32, out)))
            }
            Err(e) => {
                self.done = true;
                Err(self.locate(e))
            }
        }
    }
}

impl BodyReader<'_> {
    /// Where an error happened, as the eager decoder says it: the code
    /// section, this function's body.
    #[cold]
    fn locate(&self, e: DecodeError) -> DecodeError {
        e.in_field("body")
            .in_entry(crate::error::EntryKind::Function, self.func)
            .in_section(crate::error::SectionRef::Id(wtool_ast::SectionId::Code))
    }

    /// Decodes the rest of the body into an expression with file offsets
    /// (for tools that hold one body at a time).
    pub fn into_expr(self) -> Result<wtool_ast::Expr> {
        let mut expr = wtool_ast::Expr::default();
        self.read_into(&mut expr)?;
        Ok(expr)
    }

    /// [`BodyReader::read_into`] that leaves `expr.offsets` empty, for
    /// tools that never show where an instruction is (the printer): a
    /// fifth less memory for the body.
    pub fn read_instrs_into(self, expr: &mut wtool_ast::Expr) -> Result<()> {
        expr.instrs.clear();
        expr.offsets.clear();
        expr.instrs.reserve((self.r.end() - self.r.pos()) / 2);
        for r in self {
            expr.instrs.push(r?.1);
        }
        Ok(())
    }

    /// Decodes the rest of the body into `expr`, replacing its contents but
    /// keeping its allocations (a loop over many bodies allocates once).
    pub fn read_into(self, expr: &mut wtool_ast::Expr) -> Result<()> {
        expr.instrs.clear();
        expr.offsets.clear();
        // About one instruction per two bytes of code.
        let guess = (self.r.end() - self.r.pos()) / 2;
        expr.instrs.reserve(guess);
        expr.offsets.reserve(guess);
        for r in self {
            let (at, instr) = r?;
            expr.instrs.push(instr);
            expr.offsets.push(at);
        }
        Ok(())
    }

    /// Decodes the next instruction straight into `v` (no [`Instr`] value
    /// outlives the call): its offset and what `v` returned, or `Ok(None)`
    /// once the body has been read completely. Equivalent to [`Self::read`]
    /// followed by [`Instr::visit`], errors and offsets included.
    #[inline(always)]
    pub fn read_visit<V: wtool_ast::InstrVisitor + ?Sized>(
        &mut self,
        v: &mut V,
    ) -> Result<Option<(u32, V::Output)>> {
        self.step(&mut Visit(v))
    }
}

/// What one [`BodyReader`] step does with the next instruction: build an
/// [`Instr`], or hand it to a visitor. A trait rather than a closure so
/// the decoding match is inlined into the caller's loop (the validator's
/// hot path); a closure here was left as an out-of-line call, 30% of
/// `validate`'s time on a 40 MB module.
trait Step {
    /// What the step yields.
    type Out;
    /// Decodes the instruction whose first byte is `b` (at `at`).
    fn decode(
        &mut self,
        r: &mut Reader<'_>,
        cx: &CodeCtx,
        at: usize,
        b: u8,
        depth: &mut usize,
    ) -> Result<(Self::Out, bool)>;
}

/// Builds the instruction.
struct Build;

impl Step for Build {
    type Out = Instr;
    #[inline(always)]
    fn decode(
        &mut self,
        r: &mut Reader<'_>,
        cx: &CodeCtx,
        at: usize,
        b: u8,
        depth: &mut usize,
    ) -> Result<(Instr, bool)> {
        generated::instr(r, cx, at, b, depth)
    }
}

/// Hands the instruction to a visitor.
struct Visit<'v, V: ?Sized>(&'v mut V);

impl<V: wtool_ast::InstrVisitor + ?Sized> Step for Visit<'_, V> {
    type Out = V::Output;
    #[inline(always)]
    fn decode(
        &mut self,
        r: &mut Reader<'_>,
        cx: &CodeCtx,
        at: usize,
        b: u8,
        depth: &mut usize,
    ) -> Result<(V::Output, bool)> {
        generated::visit(r, cx, at, b, depth, self.0)
    }
}

impl Iterator for BodyReader<'_> {
    type Item = Result<(u32, Instr)>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.read().transpose()
    }
}

#[cold]
pub(crate) fn illegal(at: usize, prefix: u8, code: Option<u32>) -> DecodeError {
    DecodeError::new(at, ErrorKind::IllegalOpcode { prefix, code })
}

/// `memory.init` and `data.drop` need a data count section before the code.
pub(crate) fn require_data_count(r: &Reader<'_>, cx: &CodeCtx, at: usize) -> Result<()> {
    if cx.has_data_count {
        Ok(())
    } else {
        Err(r.err(at, ErrorKind::DataCountRequired))
    }
}

/// Decodes a function's locals declaration, checking the total fits in a u32.
pub(crate) fn locals(r: &mut Reader<'_>, acc: Accept) -> Result<Vec<wtool_ast::LocalGroup>> {
    let start = r.pos();
    let (n, cap) = r.count()?;
    let mut groups = Vec::with_capacity(cap);
    let mut total = 0u64;
    for _ in 0..n {
        let count = r.u32()?;
        total += u64::from(count);
        if total > u64::from(u32::MAX) {
            return Err(r.err(start, ErrorKind::TooManyLocals));
        }
        let ty: ValType = types::val_type(r, acc)?;
        groups.push(wtool_ast::LocalGroup { count, ty });
    }
    Ok(groups)
}

/// Decodes a standalone function body (see [`crate::decode_func_body`]).
pub(crate) fn decode_body(
    bytes: &[u8],
    features: wtool_ast::Features,
) -> Result<(Vec<wtool_ast::LocalGroup>, Expr)> {
    let mut r = Reader::new(bytes);
    let acc = Accept::new(features);
    let locals = locals(&mut r, acc)?;
    let cx = CodeCtx {
        acc,
        has_data_count: true,
    };
    let expr = decode_expr(&mut r, cx, true)?;
    if !r.at_end() {
        return Err(DecodeError::new(r.pos(), ErrorKind::SectionSizeMismatch));
    }
    Ok((locals, expr))
}

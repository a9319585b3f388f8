//! Instructions, flat and folded, parsed with an explicit frame stack so that
//! nesting depth is bounded by memory, not by the Rust stack. Block
//! structure (`block`, `loop`, `if`, `try_table`, legacy `try`) is handled
//! here; every other instruction goes through the keyword dispatch generated
//! from the instruction table (`generated.rs`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use wtool_ast::{BlockType, Catch, Expr, Instr, TryTable};

use super::generated::{self, Kw, KEYWORDS};
use super::imm::{self, ImmCx};
use super::{Parser, Space, TypeUse};
use crate::error::{Result, TextErrorKind};
use crate::lexer::{Kind, Token};

/// Where a named local lives once the parameter count is known.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LocalRef {
    /// A final index (parameters, or locals when the parameters are inline).
    Abs(u32),
    /// The `k`-th declared local; the parameter count is added in resolve.
    Decl(u32),
}

/// Per-function state the instruction parser needs.
#[derive(Default)]
pub(crate) struct FuncCtx<'a> {
    pub locals: HashMap<Cow<'a, str>, LocalRef>,
    /// Named labels as `(label number in block order, name)` for the name section.
    pub label_names: Vec<(u32, String)>,
    pub label_count: u32,
}

impl FuncCtx<'_> {
    /// Numbers a block label in emission order (a folded `if` is emitted after
    /// its condition), which is how the name section counts them.
    fn label_emitted(&mut self, label: Option<String>) {
        if let Some(l) = label {
            self.label_names.push((self.label_count, l));
        }
        self.label_count += 1;
    }
}

/// A reference resolve must patch into instruction `instr`.
#[derive(Debug)]
pub(crate) struct Fix<'a> {
    pub instr: u32,
    pub kind: FixKind<'a>,
}

/// What resolution must fill in: the `slot`-th index of a space (see
/// [`imm::patch`]).
#[derive(Debug)]
pub(crate) enum FixKind<'a> {
    /// A module-level name.
    Name {
        space: Space,
        slot: u8,
        name: Cow<'a, str>,
        offset: u32,
    },
    /// A declared local whose index needs the parameter count.
    Local { slot: u8, decl: u32 },
    /// A type use (of a block or `call_indirect`), possibly defining a type.
    TypeUse { slot: u8, tu: Box<TypeUse<'a>> },
    /// A field of struct type `ty` by name.
    Field {
        ty: u32,
        slot: u8,
        name: Cow<'a, str>,
        offset: u32,
    },
}

/// An expression being built, with its pending references.
#[derive(Default, Debug)]
pub(crate) struct ExprOut<'a> {
    pub expr: Expr,
    pub fixes: Vec<Fix<'a>>,
}

impl<'a> ExprOut<'a> {
    fn emit(&mut self, instr: Instr, offset: u32, fixes: Vec<FixKind<'a>>) {
        let at = self.expr.instrs.len() as u32;
        self.fixes
            .extend(fixes.into_iter().map(|kind| Fix { instr: at, kind }));
        self.expr.instrs.push(instr);
        self.expr.offsets.push(offset);
    }
}

/// The instruction keyword `s`, if it is one.
pub(crate) fn keyword(s: &str) -> Option<Kw> {
    static MAP: OnceLock<HashMap<&'static str, Kw, BuildHasherDefault<KeywordHasher>>> =
        OnceLock::new();
    MAP.get_or_init(|| KEYWORDS.iter().copied().collect())
        .get(s)
        .copied()
}

/// A multiplicative hash for the keyword map. The map is fixed (input only
/// looks keys up, never inserts), so hash flooding cannot slow it down and
/// SipHash's protection would cost a third of the parser's time for nothing.
#[derive(Default)]
struct KeywordHasher(u64);

impl Hasher for KeywordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum IfState {
    Cond,
    Then,
    AfterThen,
    Else,
    Done,
}

/// Where a folded legacy `try` is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TryState {
    /// Before `(do`.
    Start,
    /// Inside `(do …)` or a handler.
    Body,
    /// After `(do …)` or a `(catch …)`: more handlers may follow.
    Handlers,
    /// After `(catch_all …)` or `(delegate …)`: only `)`.
    Done,
}

enum Frame<'a> {
    /// `block`/`loop`/`if`/`try_table`/`try` … `end` (flat); `stage` counts
    /// `else` for `if`, and for `try` is 1 after `catch`, 2 after `catch_all`.
    Flat {
        kw: Kw,
        stage: u8,
        label: Option<Cow<'a, str>>,
    },
    /// `(op imm* folded*)`: the op is emitted at its `)`.
    Plain {
        instr: Instr,
        offset: u32,
        fixes: Vec<FixKind<'a>>,
    },
    /// `(block …)` / `(loop …)` / `(try_table …)`.
    Block,
    /// `(if … (then …) (else …)?)`: the `if` is emitted at `(then`.
    If {
        state: IfState,
        label: Option<Cow<'a, str>>,
        display: Option<String>,
        instr: Option<(Instr, u32, Vec<FixKind<'a>>)>,
    },
    /// `(try … (do …) (catch x …)* (catch_all …)?)` or `… (delegate l))`;
    /// `caught` once a handler opened, `all` once it was `catch_all`.
    Try {
        state: TryState,
        delegated: bool,
        caught: bool,
        all: bool,
    },
}

/// Parses instructions up to the `)` that closes the enclosing form (not
/// consumed) and appends the final `end`. With `single`, parses exactly one
/// folded instruction instead (the `offset`/`item` abbreviations).
pub(crate) fn parse_expr<'a>(
    p: &mut Parser<'a>,
    ctx: &mut FuncCtx<'a>,
    out: &mut ExprOut<'a>,
    single: bool,
) -> Result<()> {
    let mut frames: Vec<Frame<'a>> = Vec::new();
    let mut labels: Vec<Option<Cow<'a, str>>> = Vec::new();
    loop {
        if single && frames.is_empty() && !out.expr.instrs.is_empty() {
            break;
        }
        let Some(tok) = p.peek() else {
            return Err(p.eof_error());
        };
        match tok.kind {
            Kind::RParen => {
                if frames.is_empty() {
                    break;
                }
                close_paren(p, out, &mut frames, &mut labels, tok)?;
            }
            Kind::LParen => {
                let kw_tok = match p.peek_at(1) {
                    Some(t) if t.kind == Kind::Keyword => t,
                    _ => {
                        p.pos += 1;
                        return Err(p.unexpected("an instruction"));
                    }
                };
                if folded_clause(p, ctx, out, &mut frames, &mut labels, kw_tok)? {
                    continue;
                }
                let word = p.text(kw_tok);
                p.take_hint(word)?;
                p.pos += 2;
                let found = keyword(word);
                match found.filter(|k| k.is_control()) {
                    Some(kw @ (Kw::Block | Kw::Loop | Kw::TryTable | Kw::Try)) => {
                        let (label, display, instr, fixes) = block_header(p, ctx, &labels, kw)?;
                        out.emit(instr, kw_tok.start, fixes);
                        ctx.label_emitted(display);
                        labels.push(label);
                        frames.push(if kw == Kw::Try {
                            Frame::Try {
                                state: TryState::Start,
                                delegated: false,
                                caught: false,
                                all: false,
                            }
                        } else {
                            Frame::Block
                        });
                    }
                    Some(Kw::If) => {
                        let (label, display, instr, fixes) = block_header(p, ctx, &labels, Kw::If)?;
                        frames.push(Frame::If {
                            state: IfState::Cond,
                            label,
                            display,
                            instr: Some((instr, kw_tok.start, fixes)),
                        });
                    }
                    Some(_) => return Err(p.error_at(misplaced(word), kw_tok)),
                    None => {
                        let (instr, fixes) = plain(p, ctx, &labels, kw_tok, found)?;
                        frames.push(Frame::Plain {
                            instr,
                            offset: kw_tok.start,
                            fixes,
                        });
                    }
                }
            }
            Kind::Keyword => {
                match frames.last() {
                    // Operands of a folded instruction must be folded too.
                    Some(Frame::Plain { .. }) => return Err(p.unexpected("`)`")),
                    Some(Frame::If {
                        state: IfState::Cond,
                        ..
                    }) => return Err(p.unexpected("`(then`")),
                    Some(Frame::If {
                        state: IfState::AfterThen,
                        ..
                    }) => return Err(p.unexpected("`(else` or `)`")),
                    Some(Frame::If {
                        state: IfState::Done,
                        ..
                    }) => return Err(p.unexpected("`)`")),
                    Some(Frame::Try {
                        state: TryState::Start,
                        ..
                    }) => return Err(p.unexpected("`(do`")),
                    Some(Frame::Try {
                        state: TryState::Handlers | TryState::Done,
                        ..
                    }) => return Err(p.unexpected("`(catch`, `(catch_all` or `)`")),
                    _ => {}
                }
                let word = p.text(tok);
                p.take_hint(word)?;
                p.pos += 1;
                let found = keyword(word);
                match found.filter(|k| k.is_control()) {
                    Some(kw) => flat_control(p, ctx, out, &mut frames, &mut labels, kw, tok)?,
                    None => {
                        let (instr, fixes) = plain(p, ctx, &labels, tok, found)?;
                        out.emit(instr, tok.start, fixes);
                    }
                }
            }
            _ => return Err(p.unexpected("an instruction")),
        }
    }
    if !single && !frames.is_empty() {
        return Err(p.unexpected("`end`"));
    }
    let end_at = p.offset();
    out.emit(Instr::End, end_at, Vec::new());
    Ok(())
}

/// The `)` closing the innermost folded form.
fn close_paren<'a>(
    p: &mut Parser<'a>,
    out: &mut ExprOut<'a>,
    frames: &mut Vec<Frame<'a>>,
    labels: &mut Vec<Option<Cow<'a, str>>>,
    tok: Token,
) -> Result<()> {
    let Some(top) = frames.last_mut() else {
        return Ok(());
    };
    match top {
        Frame::Flat { .. } => return Err(p.unexpected("`end`")),
        Frame::Plain { .. } => {
            p.pos += 1;
            if let Some(Frame::Plain {
                instr,
                offset,
                fixes,
            }) = frames.pop()
            {
                out.emit(instr, offset, fixes);
            }
        }
        Frame::Block => {
            p.pos += 1;
            out.emit(Instr::End, tok.start, Vec::new());
            labels.pop();
            frames.pop();
        }
        Frame::If { state, .. } => match *state {
            IfState::Cond => return Err(p.unexpected("`(then`")),
            IfState::Then => {
                p.pos += 1;
                *state = IfState::AfterThen;
            }
            IfState::Else => {
                p.pos += 1;
                *state = IfState::Done;
            }
            IfState::AfterThen | IfState::Done => {
                p.pos += 1;
                out.emit(Instr::End, tok.start, Vec::new());
                labels.pop();
                frames.pop();
            }
        },
        Frame::Try {
            state,
            delegated,
            all,
            ..
        } => match *state {
            TryState::Start => return Err(p.unexpected("`(do`")),
            TryState::Body => {
                p.pos += 1;
                *state = if *all {
                    TryState::Done
                } else {
                    TryState::Handlers
                };
            }
            TryState::Handlers | TryState::Done => {
                p.pos += 1;
                if !*delegated {
                    out.emit(Instr::End, tok.start, Vec::new());
                    labels.pop();
                }
                frames.pop();
            }
        },
    }
    Ok(())
}

/// The clauses of folded `if` and `try` (`(then`, `(else`, `(do`, `(catch`,
/// `(catch_all`, `(delegate`); false if the form at hand is not one.
fn folded_clause<'a>(
    p: &mut Parser<'a>,
    ctx: &mut FuncCtx<'a>,
    out: &mut ExprOut<'a>,
    frames: &mut [Frame<'a>],
    labels: &mut Vec<Option<Cow<'a, str>>>,
    kw_tok: Token,
) -> Result<bool> {
    let kw = p.text(kw_tok);
    match frames.last_mut() {
        Some(Frame::If {
            state,
            label,
            display,
            instr,
        }) => match (*state, kw) {
            (IfState::Cond, "then") => {
                p.pos += 2;
                if let Some((i, off, fx)) = instr.take() {
                    out.emit(i, off, fx);
                }
                ctx.label_emitted(display.take());
                labels.push(label.take());
                *state = IfState::Then;
                Ok(true)
            }
            (IfState::AfterThen, "else") => {
                p.pos += 2;
                out.emit(Instr::Else, kw_tok.start, Vec::new());
                *state = IfState::Else;
                Ok(true)
            }
            (IfState::Cond | IfState::Then | IfState::Else, _) => Ok(false),
            (IfState::AfterThen, _) => Err(p.unexpected("`(else` or `)`")),
            (IfState::Done, _) => Err(p.unexpected("`)`")),
        },
        Some(Frame::Try {
            state,
            delegated,
            caught,
            all,
        }) => match (*state, kw) {
            (TryState::Start, "do") => {
                p.pos += 2;
                *state = TryState::Body;
                Ok(true)
            }
            (TryState::Handlers, "catch") => {
                p.pos += 2;
                let mut cx = ImmCx::new(ctx, labels, kw_tok);
                let tag = imm::tag(p, &mut cx)?;
                let fixes = cx.fixes;
                out.emit(Instr::Catch(tag), kw_tok.start, fixes);
                *state = TryState::Body;
                *caught = true;
                Ok(true)
            }
            (TryState::Handlers, "catch_all") => {
                p.pos += 2;
                out.emit(Instr::CatchAll, kw_tok.start, Vec::new());
                *state = TryState::Body;
                *caught = true;
                *all = true;
                Ok(true)
            }
            (TryState::Handlers, "delegate") if !*caught => {
                p.pos += 2;
                labels.pop();
                let l = imm::label_in(p, labels)?;
                p.expect_rparen()?;
                out.emit(Instr::Delegate(l), kw_tok.start, Vec::new());
                *state = TryState::Done;
                *delegated = true;
                Ok(true)
            }
            (TryState::Body, _) => Ok(false),
            (TryState::Start, _) => Err(p.unexpected("`(do`")),
            _ => Err(p.unexpected("`(catch`, `(catch_all` or `)`")),
        },
        _ => Ok(false),
    }
}

/// A flat block-structure keyword, just consumed.
fn flat_control<'a>(
    p: &mut Parser<'a>,
    ctx: &mut FuncCtx<'a>,
    out: &mut ExprOut<'a>,
    frames: &mut Vec<Frame<'a>>,
    labels: &mut Vec<Option<Cow<'a, str>>>,
    kw: Kw,
    tok: Token,
) -> Result<()> {
    let word = kw.name();
    let unexpected = |p: &Parser<'_>| p.error_at(misplaced(word), tok);
    match kw {
        Kw::Block | Kw::Loop | Kw::If | Kw::TryTable | Kw::Try => {
            let (label, display, instr, fixes) = block_header(p, ctx, labels, kw)?;
            out.emit(instr, tok.start, fixes);
            ctx.label_emitted(display);
            labels.push(label.clone());
            frames.push(Frame::Flat {
                kw,
                stage: 0,
                label,
            });
        }
        Kw::End => {
            let Some(Frame::Flat { label, .. }) = frames.last() else {
                return Err(unexpected(p));
            };
            check_end_label(p, label.as_deref())?;
            out.emit(Instr::End, tok.start, Vec::new());
            labels.pop();
            frames.pop();
        }
        Kw::Else => {
            let Some(Frame::Flat {
                kw: Kw::If,
                stage,
                label,
            }) = frames.last_mut()
            else {
                return Err(unexpected(p));
            };
            if *stage != 0 {
                return Err(unexpected(p));
            }
            *stage = 1;
            let l = label.clone();
            check_end_label(p, l.as_deref())?;
            out.emit(Instr::Else, tok.start, Vec::new());
        }
        Kw::Catch | Kw::CatchAll => {
            let Some(Frame::Flat {
                kw: Kw::Try, stage, ..
            }) = frames.last_mut()
            else {
                return Err(unexpected(p));
            };
            if *stage == 2 {
                return Err(unexpected(p));
            }
            if kw == Kw::CatchAll {
                *stage = 2;
                out.emit(Instr::CatchAll, tok.start, Vec::new());
            } else {
                *stage = 1;
                let mut cx = ImmCx::new(ctx, labels, tok);
                let tag = imm::tag(p, &mut cx)?;
                let fixes = cx.fixes;
                out.emit(Instr::Catch(tag), tok.start, fixes);
            }
        }
        Kw::Delegate => {
            let Some(Frame::Flat {
                kw: Kw::Try,
                stage: 0,
                ..
            }) = frames.last()
            else {
                return Err(unexpected(p));
            };
            frames.pop();
            labels.pop();
            let l = imm::label_in(p, labels)?;
            out.emit(Instr::Delegate(l), tok.start, Vec::new());
        }
        _ => return Err(unexpected(p)),
    }
    Ok(())
}

fn misplaced(word: &str) -> TextErrorKind {
    TextErrorKind::UnexpectedToken(format!("`{word}`"))
}

fn check_end_label(p: &mut Parser<'_>, label: Option<&str>) -> Result<()> {
    let Some(t) = p.peek() else { return Ok(()) };
    if let Some((name, _)) = p.opt_id()? {
        if label != Some(&*name) {
            return Err(p.error_at(TextErrorKind::MismatchingLabel, t));
        }
    }
    Ok(())
}

/// Label, its name-section name, the block instruction and pending references.
type Header<'a> = (
    Option<Cow<'a, str>>,
    Option<String>,
    Instr,
    Vec<FixKind<'a>>,
);

/// `label? blocktype` after `block`, `loop`, `if` or `try`, and the catch
/// clauses of `try_table` (whose labels are outside the new block).
fn block_header<'a>(
    p: &mut Parser<'a>,
    ctx: &mut FuncCtx<'a>,
    labels: &[Option<Cow<'a, str>>],
    kw: Kw,
) -> Result<Header<'a>> {
    let (id, display) = p.opt_id_named()?;
    let label = id.map(|(n, _)| n);
    let tu = p.type_use(None)?;
    let mut fixes = Vec::new();
    let bt = match (&tu.idx, &tu.inline) {
        (None, None) => BlockType::Empty,
        (None, Some(ft)) if ft.params.is_empty() && ft.results.len() <= 1 => {
            match ft.results.first() {
                None => BlockType::Empty,
                Some(&t) => BlockType::Value(t),
            }
        }
        _ => {
            fixes.push(FixKind::TypeUse {
                slot: 0,
                tu: Box::new(tu),
            });
            BlockType::Func(0)
        }
    };
    let instr = match kw {
        Kw::Block => Instr::Block(bt),
        Kw::Loop => Instr::Loop(bt),
        Kw::If => Instr::If(bt),
        Kw::Try => Instr::Try(bt),
        _ => {
            let mut cx = ImmCx::new(
                ctx,
                labels,
                Token {
                    kind: Kind::Keyword,
                    start: p.offset(),
                    end: p.offset(),
                },
            );
            // The block type's type use is the first type slot.
            if !fixes.is_empty() {
                cx.slot(wtool_ast::IndexSpace::Type);
            }
            let catches = catch_clauses(p, &mut cx)?;
            fixes.append(&mut cx.fixes);
            Instr::TryTable(Box::new(TryTable {
                block_type: bt,
                catches,
            }))
        }
    };
    Ok((label, display, instr, fixes))
}

/// `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)`*.
fn catch_clauses<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<Vec<Catch>> {
    let mut out = Vec::new();
    loop {
        let c = if p.eat_lparen_kw("catch") {
            let tag = imm::tag(p, cx)?;
            Catch::Catch {
                tag,
                label: imm::label(p, cx)?,
            }
        } else if p.eat_lparen_kw("catch_ref") {
            let tag = imm::tag(p, cx)?;
            Catch::CatchRef {
                tag,
                label: imm::label(p, cx)?,
            }
        } else if p.eat_lparen_kw("catch_all") {
            Catch::CatchAll {
                label: imm::label(p, cx)?,
            }
        } else if p.eat_lparen_kw("catch_all_ref") {
            Catch::CatchAllRef {
                label: imm::label(p, cx)?,
            }
        } else {
            return Ok(out);
        };
        p.expect_rparen()?;
        out.push(c);
    }
}

type Parsed<'a> = (Instr, Vec<FixKind<'a>>);

/// An instruction other than block structure, its keyword just consumed
/// and looked up (`found`, looked up once by the caller).
fn plain<'a>(
    p: &mut Parser<'a>,
    ctx: &mut FuncCtx<'a>,
    labels: &[Option<Cow<'a, str>>],
    kw_tok: Token,
    found: Option<Kw>,
) -> Result<Parsed<'a>> {
    let word = p.text(kw_tok);
    let Some(kw) = found else {
        return Err(match word {
            // Keywords of the format that are no instruction: misplaced, not unknown.
            "param" | "result" | "type" | "local" | "then" | "else" | "export" | "import"
            | "mut" | "func" | "module" | "table" | "memory" | "global" | "elem" | "data"
            | "offset" | "item" | "declare" | "do" | "tag" | "catch_ref" | "catch_all_ref" => {
                p.error_at(TextErrorKind::UnexpectedToken(p.describe(kw_tok)), kw_tok)
            }
            _ => p.error_at(TextErrorKind::UnknownOperator(word.to_string()), kw_tok),
        });
    };
    let mut cx = ImmCx::new(ctx, labels, kw_tok);
    let instr = generated::parse(p, &mut cx, kw)?;
    Ok((instr, cx.fixes))
}

//! Instructions, flat and folded, parsed with an explicit frame stack so that
//! nesting depth is bounded by memory, not by the Rust stack.

use std::borrow::Cow;
use std::collections::HashMap;

use wtool_ast::{BlockType, BrTable, Expr, Instr, MemArg, MemLane, Op, OpKind};

use super::{num, Idx, Parser, Space, TypeUse};
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

#[derive(Debug)]
pub(crate) enum FixKind<'a> {
    /// A module-level name for immediate `slot`.
    Name {
        space: Space,
        slot: u8,
        name: Cow<'a, str>,
        offset: u32,
    },
    /// A declared local whose index needs the parameter count.
    Local { slot: u8, decl: u32 },
    /// The type of a block or `call_indirect`.
    TypeUse(Box<TypeUse<'a>>),
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum IfState {
    Cond,
    Then,
    AfterThen,
    Else,
    Done,
}

enum Frame<'a> {
    /// `block`/`loop`/`if` … `end`.
    Flat {
        is_if: bool,
        in_else: bool,
        label: Option<Cow<'a, str>>,
    },
    /// `(op imm* folded*)`: the op is emitted at its `)`.
    Plain {
        instr: Instr,
        offset: u32,
        fixes: Vec<FixKind<'a>>,
    },
    /// `(block …)` / `(loop …)`.
    Block,
    /// `(if … (then …) (else …)?)`: the `if` is emitted at `(then`.
    If {
        state: IfState,
        label: Option<Cow<'a, str>>,
        display: Option<String>,
        instr: Option<(Instr, u32, Vec<FixKind<'a>>)>,
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
                let Some(top) = frames.last_mut() else { break };
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
                }
            }
            Kind::LParen => {
                let kw_tok = match p.peek_at(1) {
                    Some(t) if t.kind == Kind::Keyword => t,
                    _ => {
                        p.pos += 1;
                        return Err(p.unexpected("an instruction"));
                    }
                };
                let kw = p.text(kw_tok);
                if let Some(Frame::If {
                    state,
                    label,
                    display,
                    instr,
                }) = frames.last_mut()
                {
                    match (*state, kw) {
                        (IfState::Cond, "then") => {
                            p.pos += 2;
                            if let Some((i, off, fx)) = instr.take() {
                                out.emit(i, off, fx);
                            }
                            ctx.label_emitted(display.take());
                            labels.push(label.take());
                            *state = IfState::Then;
                            continue;
                        }
                        (IfState::AfterThen, "else") => {
                            p.pos += 2;
                            out.emit(Instr::Else, kw_tok.start, Vec::new());
                            *state = IfState::Else;
                            continue;
                        }
                        (IfState::Cond | IfState::Then | IfState::Else, _) => {}
                        (IfState::AfterThen, _) => return Err(p.unexpected("`(else` or `)`")),
                        (IfState::Done, _) => return Err(p.unexpected("`)`")),
                    }
                }
                p.pos += 2;
                match kw {
                    "block" | "loop" => {
                        let (label, display, bt, fixes) = block_header(p)?;
                        let i = if kw == "block" {
                            Instr::Block(bt)
                        } else {
                            Instr::Loop(bt)
                        };
                        out.emit(i, kw_tok.start, fixes);
                        ctx.label_emitted(display);
                        labels.push(label);
                        frames.push(Frame::Block);
                    }
                    "if" => {
                        let (label, display, bt, fixes) = block_header(p)?;
                        frames.push(Frame::If {
                            state: IfState::Cond,
                            label,
                            display,
                            instr: Some((Instr::If(bt), kw_tok.start, fixes)),
                        });
                    }
                    _ => {
                        let (instr, fixes) = plain(p, ctx, &labels, kw_tok)?;
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
                    _ => {}
                }
                let kw = p.text(tok);
                p.pos += 1;
                match kw {
                    "block" | "loop" | "if" => {
                        let (label, display, bt, fixes) = block_header(p)?;
                        let i = match kw {
                            "block" => Instr::Block(bt),
                            "loop" => Instr::Loop(bt),
                            _ => Instr::If(bt),
                        };
                        out.emit(i, tok.start, fixes);
                        ctx.label_emitted(display);
                        labels.push(label.clone());
                        frames.push(Frame::Flat {
                            is_if: kw == "if",
                            in_else: false,
                            label,
                        });
                    }
                    "end" => {
                        let Some(Frame::Flat { label, .. }) = frames.last() else {
                            return Err(
                                p.error_at(TextErrorKind::UnexpectedToken("`end`".into()), tok)
                            );
                        };
                        check_end_label(p, label.as_deref())?;
                        out.emit(Instr::End, tok.start, Vec::new());
                        labels.pop();
                        frames.pop();
                    }
                    "else" => {
                        let Some(Frame::Flat {
                            is_if: true,
                            in_else,
                            label,
                        }) = frames.last_mut()
                        else {
                            return Err(
                                p.error_at(TextErrorKind::UnexpectedToken("`else`".into()), tok)
                            );
                        };
                        if *in_else {
                            return Err(
                                p.error_at(TextErrorKind::UnexpectedToken("`else`".into()), tok)
                            );
                        }
                        *in_else = true;
                        let l = label.clone();
                        check_end_label(p, l.as_deref())?;
                        out.emit(Instr::Else, tok.start, Vec::new());
                    }
                    "then" => {
                        return Err(p.error_at(TextErrorKind::UnexpectedToken("`then`".into()), tok))
                    }
                    _ => {
                        let (instr, fixes) = plain(p, ctx, &labels, tok)?;
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

fn check_end_label(p: &mut Parser<'_>, label: Option<&str>) -> Result<()> {
    let Some(t) = p.peek() else { return Ok(()) };
    if let Some((name, _)) = p.opt_id()? {
        if label != Some(&*name) {
            return Err(p.error_at(TextErrorKind::MismatchingLabel, t));
        }
    }
    Ok(())
}

/// Label, its name-section name, block type and pending references.
type Header<'a> = (
    Option<Cow<'a, str>>,
    Option<String>,
    BlockType,
    Vec<FixKind<'a>>,
);

/// `label? blocktype` after `block`, `loop` or `if`.
fn block_header<'a>(p: &mut Parser<'a>) -> Result<Header<'a>> {
    let (id, display) = p.opt_id_named()?;
    let label = id.map(|(n, _)| n);
    let tu = p.type_use(None)?;
    let bt = match (&tu.idx, &tu.inline) {
        (None, None) => BlockType::Empty,
        (None, Some(ft)) if ft.params.is_empty() && ft.results.len() <= 1 => {
            match ft.results.first() {
                None => BlockType::Empty,
                Some(&t) => BlockType::Value(t),
            }
        }
        _ => {
            let fix = vec![FixKind::TypeUse(Box::new(tu))];
            return Ok((label, display, BlockType::Func(0), fix));
        }
    };
    Ok((label, display, bt, Vec::new()))
}

fn space_idx<'a>(
    p: &mut Parser<'a>,
    space: Space,
    slot: u8,
    fixes: &mut Vec<FixKind<'a>>,
) -> Result<u32> {
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, offset) => {
            fixes.push(FixKind::Name {
                space,
                slot,
                name,
                offset,
            });
            Ok(0)
        }
    }
}

fn opt_space_idx<'a>(
    p: &mut Parser<'a>,
    space: Space,
    slot: u8,
    fixes: &mut Vec<FixKind<'a>>,
) -> Result<u32> {
    if p.at_idx() {
        space_idx(p, space, slot, fixes)
    } else {
        Ok(0)
    }
}

fn label_idx(p: &mut Parser<'_>, labels: &[Option<Cow<'_, str>>]) -> Result<u32> {
    let t = p.peek();
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, _) => {
            match labels
                .iter()
                .rev()
                .position(|l| l.as_deref() == Some(&*name))
            {
                Some(d) => Ok(d as u32),
                None => {
                    let t = t.unwrap_or(Token {
                        kind: Kind::Id,
                        start: 0,
                        end: 0,
                    });
                    Err(p.error_at(TextErrorKind::UnknownLabel(format!("${name}")), t))
                }
            }
        }
    }
}

fn local_idx<'a>(
    p: &mut Parser<'a>,
    ctx: &FuncCtx<'a>,
    fixes: &mut Vec<FixKind<'a>>,
) -> Result<u32> {
    let t = p.peek();
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, _) => match ctx.locals.get(&name) {
            Some(LocalRef::Abs(i)) => Ok(*i),
            Some(LocalRef::Decl(k)) => {
                fixes.push(FixKind::Local { slot: 0, decl: *k });
                Ok(0)
            }
            None => {
                let t = t.unwrap_or(Token {
                    kind: Kind::Id,
                    start: 0,
                    end: 0,
                });
                Err(p.error_at(
                    TextErrorKind::UnknownName {
                        space: "local",
                        name: format!("${name}"),
                    },
                    t,
                ))
            }
        },
    }
}

fn lane(p: &mut Parser<'_>) -> Result<u8> {
    let t = match p.peek() {
        Some(t) if t.kind == Kind::Num => t,
        _ => return Err(p.unexpected("a lane index")),
    };
    p.pos += 1;
    match num::parse_u32(p.text(t).as_bytes()) {
        Ok(v) if v <= 255 => Ok(v as u8),
        Ok(_) | Err(num::NumError::OutOfRange) => {
            Err(p.error_at(TextErrorKind::MalformedLaneIndex, t))
        }
        Err(num::NumError::Malformed) => {
            Err(p.error_at(TextErrorKind::UnexpectedToken(p.describe(t)), t))
        }
    }
}

/// Errors with "wrong number of …" when a lane list ends early.
fn check_lane_count(p: &Parser<'_>, what: &'static str) -> Result<()> {
    match p.peek() {
        Some(t) if matches!(t.kind, Kind::RParen | Kind::LParen) => {
            Err(p.error_at(TextErrorKind::LaneCount(what), t))
        }
        _ => Ok(()),
    }
}

fn memarg<'a>(p: &mut Parser<'a>, natural: u8, memory: u32) -> Result<MemArg> {
    let mut offset = 0u64;
    let mut align = natural;
    if let Some(kw) = p.peek_kw() {
        if let Some(v) = kw.strip_prefix("offset=") {
            let t = p.bump();
            offset = if p.mem64 {
                num::parse_u64(v.as_bytes())
            } else {
                num::parse_u32(v.as_bytes()).map(u64::from)
            }
            .map_err(|e| p.num_error(e, t))?;
        }
    }
    if let Some(kw) = p.peek_kw() {
        if let Some(v) = kw.strip_prefix("align=") {
            let t = p.bump();
            let a = num::parse_u32(v.as_bytes()).map_err(|e| p.num_error(e, t))?;
            if a == 0 || !a.is_power_of_two() {
                return Err(p.error_at(TextErrorKind::Alignment, t));
            }
            align = a.trailing_zeros() as u8;
        }
    }
    Ok(MemArg {
        offset,
        memory,
        align,
    })
}

/// True if a memory index (rather than a memarg or lane) follows a lane memory op.
fn lane_op_has_memory(p: &Parser<'_>) -> bool {
    match p.kind() {
        Some(Kind::Id | Kind::QuotedId) => true,
        Some(Kind::Num) => match p.peek_at(1) {
            Some(t) if t.kind == Kind::Num => true,
            Some(t) if t.kind == Kind::Keyword => {
                let s = p.text(t);
                s.starts_with("offset=") || s.starts_with("align=")
            }
            _ => false,
        },
        _ => false,
    }
}

type Parsed<'a> = (Instr, Vec<FixKind<'a>>);

/// An instruction other than `block`/`loop`/`if`/`else`/`end`, its keyword just consumed.
fn plain<'a>(
    p: &mut Parser<'a>,
    ctx: &mut FuncCtx<'a>,
    labels: &[Option<Cow<'a, str>>],
    kw_tok: Token,
) -> Result<Parsed<'a>> {
    let kw = p.text(kw_tok);
    let mut fx: Vec<FixKind<'a>> = Vec::new();
    if let Some(op) = Op::from_name(kw) {
        let i = match op.kind() {
            OpKind::Plain => Instr::Plain(op),
            OpKind::Load(a) | OpKind::Store(a) => {
                let mem = opt_space_idx(p, Space::Memory, 0, &mut fx)?;
                Instr::Mem(op, memarg(p, a, mem)?)
            }
            OpKind::Lane(_) => Instr::Lane(op, lane(p)?),
            OpKind::LoadLane(a) | OpKind::StoreLane(a) => {
                let mem = if lane_op_has_memory(p) {
                    space_idx(p, Space::Memory, 0, &mut fx)?
                } else {
                    0
                };
                let memarg = memarg(p, a, mem)?;
                let lane = lane(p)?;
                Instr::MemLane(Box::new(MemLane { op, memarg, lane }))
            }
        };
        return Ok((i, fx));
    }
    let i = match kw {
        "unreachable" => Instr::Unreachable,
        "nop" => Instr::Nop,
        "return" => Instr::Return,
        "drop" => Instr::Drop,
        "br" => Instr::Br(label_idx(p, labels)?),
        "br_if" => Instr::BrIf(label_idx(p, labels)?),
        "br_table" => {
            let mut targets = vec![label_idx(p, labels)?];
            while p.at_idx() {
                targets.push(label_idx(p, labels)?);
            }
            let default = targets.pop().unwrap_or(0);
            Instr::BrTable(Box::new(BrTable {
                targets: targets.into(),
                default,
            }))
        }
        "call" => Instr::Call(space_idx(p, Space::Func, 0, &mut fx)?),
        "call_indirect" => {
            let table = opt_space_idx(p, Space::Table, 0, &mut fx)?;
            let tu = p.type_use(None)?;
            fx.push(FixKind::TypeUse(Box::new(tu)));
            Instr::CallIndirect { type_idx: 0, table }
        }
        "select" => {
            let mut tys = Vec::new();
            let mut any = false;
            while p.eat_lparen_kw("result") {
                any = true;
                while !p.at_rparen() {
                    tys.push(p.val_type()?);
                }
                p.expect_rparen()?;
            }
            match (any, tys.as_slice()) {
                (false, _) => Instr::Select,
                (true, [t]) => Instr::SelectT(*t),
                _ => {
                    return Err(p.error_at(
                        TextErrorKind::Other("`select` takes exactly one result type".into()),
                        kw_tok,
                    ))
                }
            }
        }
        "local.get" => Instr::LocalGet(local_idx(p, ctx, &mut fx)?),
        "local.set" => Instr::LocalSet(local_idx(p, ctx, &mut fx)?),
        "local.tee" => Instr::LocalTee(local_idx(p, ctx, &mut fx)?),
        "global.get" => Instr::GlobalGet(space_idx(p, Space::Global, 0, &mut fx)?),
        "global.set" => Instr::GlobalSet(space_idx(p, Space::Global, 0, &mut fx)?),
        "table.get" => Instr::TableGet(opt_space_idx(p, Space::Table, 0, &mut fx)?),
        "table.set" => Instr::TableSet(opt_space_idx(p, Space::Table, 0, &mut fx)?),
        "table.size" => Instr::TableSize(opt_space_idx(p, Space::Table, 0, &mut fx)?),
        "table.grow" => Instr::TableGrow(opt_space_idx(p, Space::Table, 0, &mut fx)?),
        "table.fill" => Instr::TableFill(opt_space_idx(p, Space::Table, 0, &mut fx)?),
        "table.init" => {
            // `table.init t? e`: with two indices the first is the table.
            let mut first = Vec::new();
            let a = space_idx(p, Space::Table, 0, &mut first)?;
            if p.at_idx() {
                fx.extend(first);
                let e = space_idx(p, Space::Elem, 1, &mut fx)?;
                Instr::TableInit { elem: e, table: a }
            } else {
                for f in first {
                    if let FixKind::Name { name, offset, .. } = f {
                        fx.push(FixKind::Name {
                            space: Space::Elem,
                            slot: 1,
                            name,
                            offset,
                        });
                    }
                }
                Instr::TableInit { elem: a, table: 0 }
            }
        }
        "elem.drop" => Instr::ElemDrop(space_idx(p, Space::Elem, 0, &mut fx)?),
        "table.copy" => {
            if p.at_idx() {
                let dst = space_idx(p, Space::Table, 0, &mut fx)?;
                let src = space_idx(p, Space::Table, 1, &mut fx)?;
                Instr::TableCopy { dst, src }
            } else {
                Instr::TableCopy { dst: 0, src: 0 }
            }
        }
        "memory.size" => Instr::MemorySize(opt_space_idx(p, Space::Memory, 0, &mut fx)?),
        "memory.grow" => Instr::MemoryGrow(opt_space_idx(p, Space::Memory, 0, &mut fx)?),
        "memory.fill" => Instr::MemoryFill(opt_space_idx(p, Space::Memory, 0, &mut fx)?),
        "memory.init" => {
            let mut first = Vec::new();
            let a = space_idx(p, Space::Memory, 0, &mut first)?;
            if p.at_idx() {
                fx.extend(first);
                let d = space_idx(p, Space::Data, 1, &mut fx)?;
                Instr::MemoryInit { data: d, mem: a }
            } else {
                for f in first {
                    if let FixKind::Name { name, offset, .. } = f {
                        fx.push(FixKind::Name {
                            space: Space::Data,
                            slot: 1,
                            name,
                            offset,
                        });
                    }
                }
                Instr::MemoryInit { data: a, mem: 0 }
            }
        }
        "data.drop" => Instr::DataDrop(space_idx(p, Space::Data, 0, &mut fx)?),
        "memory.copy" => {
            if p.at_idx() {
                let dst = space_idx(p, Space::Memory, 0, &mut fx)?;
                let src = space_idx(p, Space::Memory, 1, &mut fx)?;
                Instr::MemoryCopy { dst, src }
            } else {
                Instr::MemoryCopy { dst: 0, src: 0 }
            }
        }
        "i32.const" => Instr::I32Const(p.int(32)? as u32 as i32),
        "i64.const" => Instr::I64Const(p.int(64)? as i64),
        "f32.const" => Instr::F32Const(p.f32()?),
        "f64.const" => Instr::F64Const(p.f64()?),
        "v128.const" => Instr::V128Const(Box::new(v128_const(p)?)),
        "i8x16.shuffle" => {
            let mut lanes = [0u8; 16];
            for l in lanes.iter_mut() {
                check_lane_count(p, "wrong number of lane indices")?;
                *l = lane(p)?;
            }
            Instr::I8x16Shuffle(Box::new(lanes))
        }
        "ref.null" => Instr::RefNull(p.heap_type()?),
        "ref.is_null" => Instr::RefIsNull,
        "ref.func" => Instr::RefFunc(space_idx(p, Space::Func, 0, &mut fx)?),
        // Keywords of the format that are no instruction: misplaced, not unknown.
        "param" | "result" | "type" | "local" | "then" | "else" | "export" | "import" | "mut"
        | "func" | "module" | "table" | "memory" | "global" | "elem" | "data" | "offset"
        | "item" | "declare" => {
            return Err(p.error_at(TextErrorKind::UnexpectedToken(p.describe(kw_tok)), kw_tok));
        }
        _ => {
            return Err(p.error_at(TextErrorKind::UnknownOperator(kw.to_string()), kw_tok));
        }
    };
    Ok((i, fx))
}

/// `shape lane*` of a `v128.const`, as little-endian bytes.
pub(crate) fn v128_const(p: &mut Parser<'_>) -> Result<[u8; 16]> {
    let Some(shape) = p.peek_kw() else {
        return Err(p.unexpected("a vector shape"));
    };
    let shape_tok = p.bump();
    let mut out = [0u8; 16];
    match shape {
        "i8x16" | "i16x8" | "i32x4" | "i64x2" => {
            let w = match shape {
                "i8x16" => 1,
                "i16x8" => 2,
                "i32x4" => 4,
                _ => 8,
            };
            for chunk in out.chunks_mut(w) {
                check_lane_count(p, "wrong number of lane literals")?;
                let v = p.int(w as u32 * 8)?;
                chunk.copy_from_slice(&v.to_le_bytes()[..w]);
            }
        }
        "f32x4" => {
            for chunk in out.chunks_mut(4) {
                check_lane_count(p, "wrong number of lane literals")?;
                chunk.copy_from_slice(&p.f32()?.to_le_bytes());
            }
        }
        "f64x2" => {
            for chunk in out.chunks_mut(8) {
                check_lane_count(p, "wrong number of lane literals")?;
                chunk.copy_from_slice(&p.f64()?.to_le_bytes());
            }
        }
        _ => {
            return Err(p.error_at(
                TextErrorKind::UnexpectedToken(p.describe(shape_tok)),
                shape_tok,
            ))
        }
    }
    Ok(out)
}

/// Patches immediate `slot` of `instr` with a resolved index.
pub(crate) fn patch(instr: &mut Instr, slot: u8, v: u32) {
    match (instr, slot) {
        (
            Instr::Call(x)
            | Instr::RefFunc(x)
            | Instr::LocalGet(x)
            | Instr::LocalSet(x)
            | Instr::LocalTee(x)
            | Instr::GlobalGet(x)
            | Instr::GlobalSet(x)
            | Instr::TableGet(x)
            | Instr::TableSet(x)
            | Instr::TableGrow(x)
            | Instr::TableSize(x)
            | Instr::TableFill(x)
            | Instr::ElemDrop(x)
            | Instr::MemorySize(x)
            | Instr::MemoryGrow(x)
            | Instr::MemoryFill(x)
            | Instr::DataDrop(x),
            0,
        ) => *x = v,
        (Instr::CallIndirect { table, .. }, 0) => *table = v,
        (Instr::TableInit { table, .. }, 0) => *table = v,
        (Instr::TableInit { elem, .. }, _) => *elem = v,
        (Instr::TableCopy { dst, .. }, 0) => *dst = v,
        (Instr::TableCopy { src, .. }, _) => *src = v,
        (Instr::MemoryInit { mem, .. }, 0) => *mem = v,
        (Instr::MemoryInit { data, .. }, _) => *data = v,
        (Instr::MemoryCopy { dst, .. }, 0) => *dst = v,
        (Instr::MemoryCopy { src, .. }, _) => *src = v,
        (Instr::Mem(_, m), _) => m.memory = v,
        (Instr::MemLane(m), _) => m.memarg.memory = v,
        _ => {}
    }
}

/// Sets the type index of a block or `call_indirect`.
pub(crate) fn patch_type(instr: &mut Instr, v: u32) {
    match instr {
        Instr::Block(bt) | Instr::Loop(bt) | Instr::If(bt) => *bt = BlockType::Func(v),
        Instr::CallIndirect { type_idx, .. } => *type_idx = v,
        _ => {}
    }
}

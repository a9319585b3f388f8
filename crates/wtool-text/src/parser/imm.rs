//! Parsers for each immediate kind of the instruction table, called by the
//! generated keyword dispatch (`generated.rs`) and the text rules
//! (`rules.rs`). A symbolic index that only resolution can turn into a
//! number becomes a placeholder 0 plus a [`FixKind`] naming the slot: the
//! how-manieth index of its space the instruction holds, in the order of
//! [`wtool_ast::Instr::visit_indices`] (binary order).

use std::borrow::Cow;

use wtool_ast::{
    BrCast, BrTable, HeapType, IndexSpace, Instr, MemArg, MemLane, Op, OpKind, RefType,
};

use super::instr::{FixKind, FuncCtx, LocalRef};
use super::{num, Idx, Parser, Space};
use crate::error::{Result, TextErrorKind};
use crate::lexer::{Kind, Token};

/// What the immediate parsers of one instruction share.
pub(crate) struct ImmCx<'a, 'c> {
    pub ctx: &'c mut FuncCtx<'a>,
    /// Enclosing block labels, innermost last.
    pub labels: &'c [Option<Cow<'a, str>>],
    /// References left for resolution.
    pub fixes: Vec<FixKind<'a>>,
    /// The instruction's keyword token (for error positions).
    pub kw_tok: Token,
    /// Indices of each space parsed so far, to number slots.
    slots: [u8; 11],
}

impl<'a, 'c> ImmCx<'a, 'c> {
    /// A context for one instruction.
    pub fn new(
        ctx: &'c mut FuncCtx<'a>,
        labels: &'c [Option<Cow<'a, str>>],
        kw_tok: Token,
    ) -> Self {
        ImmCx {
            ctx,
            labels,
            fixes: Vec::new(),
            kw_tok,
            slots: [0; 11],
        }
    }

    /// The next slot of `space`.
    pub fn slot(&mut self, space: IndexSpace) -> u8 {
        let s = &mut self.slots[space as usize];
        let v = *s;
        *s = s.saturating_add(1);
        v
    }
}

/// The instruction index space of a module-level name space.
pub(crate) fn index_space(space: Space) -> IndexSpace {
    match space {
        Space::Func => IndexSpace::Func,
        Space::Table => IndexSpace::Table,
        Space::Memory => IndexSpace::Memory,
        Space::Global => IndexSpace::Global,
        Space::Elem => IndexSpace::Elem,
        Space::Data => IndexSpace::Data,
        Space::Type => IndexSpace::Type,
        Space::Tag => IndexSpace::Tag,
    }
}

/// Sets the `slot`-th index of `space` in `instr` to `v`.
pub(crate) fn patch(instr: &mut Instr, space: IndexSpace, slot: u8, v: u32) {
    let mut k = 0u8;
    instr.visit_indices_mut(&mut |s, x| {
        if s == space {
            if k == slot {
                *x = v;
            }
            k = k.saturating_add(1);
        }
    });
}

fn placeholder_token(p: &Parser<'_>) -> Token {
    p.peek().unwrap_or(Token {
        kind: Kind::Id,
        start: p.offset(),
        end: p.offset(),
    })
}

/// An index of a module-level space: a number, or a name to resolve.
pub(crate) fn space_idx<'a>(
    p: &mut Parser<'a>,
    cx: &mut ImmCx<'a, '_>,
    space: Space,
) -> Result<u32> {
    let slot = cx.slot(index_space(space));
    if space == Space::Type {
        return type_index(p);
    }
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, offset) => {
            cx.fixes.push(FixKind::Name {
                space,
                slot,
                name,
                offset,
            });
            Ok(0)
        }
    }
}

/// An optional index (0 when absent).
pub(crate) fn opt_space_idx<'a>(
    p: &mut Parser<'a>,
    cx: &mut ImmCx<'a, '_>,
    space: Space,
) -> Result<u32> {
    if p.at_idx() {
        space_idx(p, cx, space)
    } else {
        cx.slot(index_space(space));
        Ok(0)
    }
}

/// A type index: names are known before any instruction is parsed (see
/// `Parser::type_names`), so it resolves at once.
pub(crate) fn type_index(p: &mut Parser<'_>) -> Result<u32> {
    let t = placeholder_token(p);
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, _) => match p.type_names.get(&name) {
            Some(&i) => Ok(i),
            None => Err(p.error_at(
                TextErrorKind::UnknownName {
                    space: "type",
                    name: format!("${name}"),
                },
                t,
            )),
        },
    }
}

/// A branch depth, by number or by the name of an enclosing label.
pub(crate) fn label<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    cx.slot(IndexSpace::Label);
    label_in(p, cx.labels)
}

/// A branch depth resolved against `labels`.
pub(crate) fn label_in(p: &mut Parser<'_>, labels: &[Option<Cow<'_, str>>]) -> Result<u32> {
    let t = placeholder_token(p);
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, _) => labels
            .iter()
            .rev()
            .position(|l| l.as_deref() == Some(&*name))
            .map(|d| d as u32)
            .ok_or_else(|| p.error_at(TextErrorKind::UnknownLabel(format!("${name}")), t)),
    }
}

/// A local, by number or name.
pub(crate) fn local<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    let slot = cx.slot(IndexSpace::Local);
    let t = placeholder_token(p);
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, _) => match cx.ctx.locals.get(&name) {
            Some(LocalRef::Abs(i)) => Ok(*i),
            Some(LocalRef::Decl(k)) => {
                cx.fixes.push(FixKind::Local { slot, decl: *k });
                Ok(0)
            }
            None => Err(p.error_at(
                TextErrorKind::UnknownName {
                    space: "local",
                    name: format!("${name}"),
                },
                t,
            )),
        },
    }
}

/// A function index.
pub(crate) fn func<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    space_idx(p, cx, Space::Func)
}

/// A type index.
pub(crate) fn type_idx<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    space_idx(p, cx, Space::Type)
}

/// A table index that may be left out (table 0).
pub(crate) fn table_opt<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    opt_space_idx(p, cx, Space::Table)
}

/// A memory index that may be left out (memory 0).
pub(crate) fn mem_idx<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    opt_space_idx(p, cx, Space::Memory)
}

/// A global index.
pub(crate) fn global<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    space_idx(p, cx, Space::Global)
}

/// A tag index.
pub(crate) fn tag<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    space_idx(p, cx, Space::Tag)
}

/// A data segment index.
pub(crate) fn data<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    space_idx(p, cx, Space::Data)
}

/// An element segment index.
pub(crate) fn elem<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<u32> {
    space_idx(p, cx, Space::Elem)
}

/// A field of struct type `ty`, by number or by a field name (resolved once
/// the types are parsed).
pub(crate) fn field<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>, ty: u32) -> Result<u32> {
    let slot = cx.slot(IndexSpace::Field);
    match p.idx()? {
        Idx::Num(n) => Ok(n),
        Idx::Name(name, offset) => {
            cx.fixes.push(FixKind::Field {
                ty,
                slot,
                name,
                offset,
            });
            Ok(0)
        }
    }
}

/// A plain count (`array.new_fixed`).
pub(crate) fn count<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<u32> {
    p.u32()
}

/// `br_table l* l`.
pub(crate) fn br_table<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<Box<BrTable>> {
    let mut targets = vec![label(p, cx)?];
    while p.at_idx() {
        targets.push(label(p, cx)?);
    }
    let default = targets.pop().unwrap_or(0);
    Ok(Box::new(BrTable {
        targets: targets.into(),
        default,
    }))
}

/// A heap type.
pub(crate) fn heap_type<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<HeapType> {
    p.heap_type()
}

/// A reference type (`ref.test`, `ref.cast`).
pub(crate) fn cast_ref<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<RefType> {
    p.ref_type()
}

/// `label reftype reftype` of `br_on_cast` and its relatives.
pub(crate) fn br_cast<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>) -> Result<Box<BrCast>> {
    let label = label(p, cx)?;
    let from = p.ref_type()?;
    let to = p.ref_type()?;
    Ok(Box::new(BrCast { label, from, to }))
}

/// `i32.const`'s value.
pub(crate) fn i32<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<i32> {
    Ok(p.int(32)? as u32 as i32)
}

/// `i64.const`'s value.
pub(crate) fn i64<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<i64> {
    Ok(p.int(64)? as i64)
}

/// `f32.const`'s bits.
pub(crate) fn f32<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<u32> {
    p.f32()
}

/// `f64.const`'s bits.
pub(crate) fn f64<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<u64> {
    p.f64()
}

/// `v128.const shape lane*`.
pub(crate) fn v128<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<Box<[u8; 16]>> {
    Ok(Box::new(v128_const(p)?))
}

/// `i8x16.shuffle`'s sixteen lane indices.
pub(crate) fn shuffle<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>) -> Result<Box<[u8; 16]>> {
    let mut lanes = [0u8; 16];
    for l in lanes.iter_mut() {
        check_lane_count(p, "wrong number of lane indices")?;
        *l = lane(p)?;
    }
    Ok(Box::new(lanes))
}

/// A table-driven op's immediates, by its kind.
pub(crate) fn op<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>, op: Op) -> Result<Instr> {
    Ok(match op.kind() {
        OpKind::Plain => Instr::Plain(op),
        OpKind::Load(a) | OpKind::Store(a) | OpKind::Atomic(a) => {
            let mem = opt_space_idx(p, cx, Space::Memory)?;
            Instr::Mem(op, memarg(p, a, mem)?)
        }
        OpKind::Lane(_) => Instr::Lane(op, lane(p)?),
        OpKind::LoadLane(a) | OpKind::StoreLane(a) => {
            let mem = if lane_op_has_memory(p) {
                space_idx(p, cx, Space::Memory)?
            } else {
                cx.slot(IndexSpace::Memory);
                0
            };
            let memarg = memarg(p, a, mem)?;
            let lane = lane(p)?;
            Instr::MemLane(Box::new(MemLane { op, memarg, lane }))
        }
    })
}

/// A lane index.
pub(crate) fn lane(p: &mut Parser<'_>) -> Result<u8> {
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

/// `offset=N? align=N?` for a memory op of natural alignment 2^`natural`.
fn memarg(p: &mut Parser<'_>, natural: u8, memory: u32) -> Result<MemArg> {
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
            let a = num::parse_u64(v.as_bytes()).map_err(|e| p.num_error(e, t))?;
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

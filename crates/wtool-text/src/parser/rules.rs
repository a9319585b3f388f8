//! Text syntax that is more than a sequence of immediate kinds: the rows of
//! the instruction table with a `text=rule` flag. Each rule parses the
//! immediates of the instructions sharing its keyword and builds them.

use wtool_ast::{IndexSpace, Instr};

use super::generated::Kw;
use super::imm::{self, ImmCx};
use super::instr::FixKind;
use super::{Parser, Space};
use crate::error::{Result, TextError, TextErrorKind};

/// `call_indirect`/`return_call_indirect`: `table? typeuse`.
pub(crate) fn call_indirect<'a>(
    p: &mut Parser<'a>,
    cx: &mut ImmCx<'a, '_>,
    kw: Kw,
) -> Result<Instr> {
    let table = imm::opt_space_idx(p, cx, Space::Table)?;
    let slot = cx.slot(IndexSpace::Type);
    let tu = p.type_use(None)?;
    cx.fixes.push(FixKind::TypeUse {
        slot,
        tu: Box::new(tu),
    });
    Ok(match kw {
        Kw::ReturnCallIndirect => Instr::ReturnCallIndirect { type_idx: 0, table },
        _ => Instr::CallIndirect { type_idx: 0, table },
    })
}

/// `select` and `select (result t*)*`.
pub(crate) fn select<'a>(p: &mut Parser<'a>, _: &mut ImmCx<'a, '_>, _: Kw) -> Result<Instr> {
    let mut tys = Vec::new();
    let mut any = false;
    while p.eat_lparen_kw("result") {
        any = true;
        while !p.at_rparen() {
            tys.push(p.val_type()?);
        }
        p.expect_rparen()?;
    }
    Ok(if any {
        Instr::SelectT(Box::new(tys))
    } else {
        Instr::Select
    })
}

/// `table.init table? elem`: with one index it is the segment.
pub(crate) fn table_init<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>, _: Kw) -> Result<Instr> {
    let (first, second) = index_pair(p, cx, Space::Elem, Space::Table)?;
    Ok(Instr::TableInit {
        elem: second,
        table: first,
    })
}

/// `memory.init memory? data`: with one index it is the segment.
pub(crate) fn memory_init<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>, _: Kw) -> Result<Instr> {
    let (first, second) = index_pair(p, cx, Space::Data, Space::Memory)?;
    Ok(Instr::MemoryInit {
        data: second,
        memory: first,
    })
}

/// `x? y` where the binary order is `y x`: returns `(x, y)`, `x` 0 when
/// only one index is written. Slots are numbered per space, so the text
/// order does not disturb them.
fn index_pair<'a>(
    p: &mut Parser<'a>,
    cx: &mut ImmCx<'a, '_>,
    segment: Space,
    target: Space,
) -> Result<(u32, u32)> {
    // Parse the first index as if it were the segment; if a second follows,
    // the first was the target after all.
    let mark = cx.fixes.len();
    let save = p.pos;
    let a = imm::space_idx(p, cx, segment)?;
    if !p.at_idx() {
        cx.slot(imm::index_space(target));
        return Ok((0, a));
    }
    // Re-read the first index in the target's space.
    cx.fixes.truncate(mark);
    p.pos = save;
    let mut fresh = ImmCx::new(cx.ctx, cx.labels, cx.kw_tok);
    let t = imm::space_idx(p, &mut fresh, target)?;
    let s = imm::space_idx(p, &mut fresh, segment)?;
    cx.fixes.append(&mut fresh.fixes);
    Ok((t, s))
}

/// `table.copy`/`memory.copy`: both indices or none.
pub(crate) fn pair<'a>(p: &mut Parser<'a>, cx: &mut ImmCx<'a, '_>, kw: Kw) -> Result<Instr> {
    let space = if kw == Kw::TableCopy {
        Space::Table
    } else {
        Space::Memory
    };
    let (dst, src) = if p.at_idx() {
        (imm::space_idx(p, cx, space)?, imm::space_idx(p, cx, space)?)
    } else {
        (0, 0)
    };
    Ok(if kw == Kw::TableCopy {
        Instr::TableCopy {
            dst_table: dst,
            src_table: src,
        }
    } else {
        Instr::MemoryCopy {
            dst_memory: dst,
            src_memory: src,
        }
    })
}

/// Block structure keywords reach here only where no block can be (the
/// expression parser handles them in place).
pub(crate) fn misplaced(p: &Parser<'_>, kw: Kw) -> TextError {
    let t = p.peek_at(0).unwrap_or(crate::lexer::Token {
        kind: crate::lexer::Kind::Keyword,
        start: p.offset(),
        end: p.offset(),
    });
    p.error_at(
        TextErrorKind::UnexpectedToken(format!("`{}`", kw.name())),
        t,
    )
}

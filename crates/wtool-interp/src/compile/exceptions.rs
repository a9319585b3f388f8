//! Compiling exception handling: `throw`, `throw_ref`, `try_table`, and
//! legacy `try`/`catch`/`catch_all`/`delegate`/`rethrow`.
//!
//! Handlers emit no code on the path that does not throw: a `try_table`
//! records the code range of its body and, after its `end`, one landing pad
//! per catch clause (behind a jump over them) that branches to the clause's
//! label with the values the unwinder wrote to the pad's slots. A legacy
//! `try` covers its body; each `catch` clause is its own pad. The caught
//! exception of a legacy clause goes to a slot of its own `try` for
//! `rethrow`: one slot per `try`, reserved after the declared locals (the
//! compiler counts the body's `try`s first) and numbered at the end, see
//! [`ExnState::finish`].

use wtool_ast::{BlockType, Catch, HeapType, RefType, ValType};

use super::{CompileError, Compiler, Kind};
use crate::exn::{HandlerEntry, HandlerKind};
use crate::ins::Ins;

/// `(ref exn)`, the type of a caught exception reference.
const EXNREF: ValType = ValType::Ref(RefType {
    nullable: false,
    heap: HeapType::Exn,
});

/// An open handler block.
#[derive(Clone, Debug)]
enum Open {
    /// A `try_table` with its clauses.
    Table { catches: Vec<Catch> },
    /// A legacy `try`: where its covered range ended (at the first clause)
    /// and its exception slot (a late index).
    Legacy { end: Option<u32>, slot: u32 },
}

#[derive(Clone, Debug)]
struct OpenBlock {
    /// Index of its frame in `Compiler::frames`.
    frame: usize,
    start: u32,
    open: Open,
}

/// The compiler's exception-handling state for one function.
#[derive(Debug, Default)]
pub(crate) struct ExnState {
    open: Vec<OpenBlock>,
    handlers: Vec<HandlerEntry>,
    /// Late slots (legacy exception slots) handed out.
    late: u32,
    /// Positions of `Rethrow` instructions whose slot is a late index.
    late_uses: Vec<usize>,
}

impl ExnState {
    /// The handler table, with late slot indices turned into slots from
    /// `base` (patched in `code` too), and the number of slots used.
    pub(crate) fn finish(&mut self, code: &mut [Ins], base: u32) -> (Vec<HandlerEntry>, u32) {
        for &at in &self.late_uses {
            if let Some(Ins::Rethrow { s }) = code.get_mut(at) {
                *s += base;
            }
        }
        let mut hs = std::mem::take(&mut self.handlers);
        for h in &mut hs {
            if h.exn_slot != u32::MAX {
                h.exn_slot += base;
            }
        }
        (hs, self.late)
    }
}

/// The parameter types of tag `t` (imports first).
fn tag_params(c: &Compiler<'_>, t: u32) -> Result<Vec<ValType>, CompileError> {
    let imported = c
        .module
        .imports
        .iter()
        .filter_map(|i| match i.desc {
            wtool_ast::ImportDesc::Tag(ti) => Some(ti),
            _ => None,
        })
        .collect::<Vec<_>>();
    let ti = match imported.get(t as usize) {
        Some(&ti) => ti,
        None => c
            .module
            .tags
            .get(t as usize - imported.len())
            .map(|x| x.type_idx)
            .ok_or_else(|| c.err("unknown tag"))?,
    };
    let ft = c
        .module
        .func_type(ti)
        .ok_or_else(|| c.err("unknown type"))?;
    Ok(ft.params.to_vec())
}

impl Compiler<'_> {
    /// `throw x`: the values pass in place, like a call's arguments.
    pub(super) fn throw(&mut self, tag: u32) -> Result<(), CompileError> {
        let params = tag_params(self, tag)?;
        self.check_top(&params)?;
        self.materialize_top(params.len());
        self.pop_types(&params)?;
        let base = self.height;
        self.emit(Ins::Throw { tag, base });
        self.unreachable = true;
        Ok(())
    }

    /// `throw_ref`.
    pub(super) fn throw_ref(&mut self) -> Result<(), CompileError> {
        let e = self.pop_expect(EXNREF)?;
        let s = self.reg(e);
        self.emit(Ins::ThrowRef { s });
        self.unreachable = true;
        Ok(())
    }

    /// `try_table bt catches`: a block whose body the clauses cover.
    pub(super) fn try_table(
        &mut self,
        bt: BlockType,
        catches: &[Catch],
    ) -> Result<(), CompileError> {
        for c in catches {
            if let Catch::Catch { tag, .. } | Catch::CatchRef { tag, .. } = c {
                tag_params(self, *tag)?;
            }
        }
        self.block(Kind::Block, &bt)?;
        self.label();
        self.exn.open.push(OpenBlock {
            frame: self.frames.len() - 1,
            start: self.pc(),
            open: Open::Table {
                catches: catches.to_vec(),
            },
        });
        Ok(())
    }

    /// `try bt` (legacy).
    pub(super) fn try_(&mut self, bt: BlockType) -> Result<(), CompileError> {
        self.block(Kind::Block, &bt)?;
        self.label();
        let slot = self.exn.late;
        self.exn.late += 1;
        self.exn.open.push(OpenBlock {
            frame: self.frames.len() - 1,
            start: self.pc(),
            open: Open::Legacy { end: None, slot },
        });
        Ok(())
    }

    /// The innermost open handler block if it is the innermost frame.
    fn open_here(&self) -> Option<&OpenBlock> {
        self.exn
            .open
            .last()
            .filter(|o| o.frame + 1 == self.frames.len())
    }

    /// `end`, for handler blocks too.
    pub(super) fn end_any(&mut self) -> Result<(), CompileError> {
        let Some(o) = self.open_here().cloned() else {
            return self.end();
        };
        self.exn.open.pop();
        match o.open {
            Open::Legacy { .. } => self.end(),
            Open::Table { catches } => self.try_table_end(o.frame, o.start, &catches),
        }
    }

    /// The `end` of a `try_table`: the block's end, then its landing pads.
    fn try_table_end(
        &mut self,
        frame: usize,
        start: u32,
        catches: &[Catch],
    ) -> Result<(), CompileError> {
        let (bl, bh, results) = {
            let f = &self.frames[frame];
            (f.base_len, f.base_height, f.results.clone())
        };
        self.end()?;
        if catches.is_empty() {
            return Ok(());
        }
        let end = self.pc();
        let over = self.emit(Ins::Jump(0));
        for c in catches {
            let (kind, label, mut tys) = match *c {
                Catch::Catch { tag, label } => (
                    HandlerKind::Catch {
                        tag,
                        with_ref: false,
                    },
                    label,
                    tag_params(self, tag)?,
                ),
                Catch::CatchRef { tag, label } => (
                    HandlerKind::Catch {
                        tag,
                        with_ref: true,
                    },
                    label,
                    tag_params(self, tag)?,
                ),
                Catch::CatchAll { label } => {
                    (HandlerKind::CatchAll { with_ref: false }, label, vec![])
                }
                Catch::CatchAllRef { label } => {
                    (HandlerKind::CatchAll { with_ref: true }, label, vec![])
                }
            };
            if matches!(
                kind,
                HandlerKind::Catch { with_ref: true, .. }
                    | HandlerKind::CatchAll { with_ref: true }
            ) {
                tys.push(EXNREF);
            }
            self.label();
            let pad = self.pc();
            self.reset_to(bl, bh, &tys);
            self.unreachable = false;
            self.branch(label, None)?;
            self.exn.handlers.push(HandlerEntry {
                start,
                end,
                depth: frame as u32,
                kind,
                pad,
                dst: bh,
                exn_slot: u32::MAX,
            });
        }
        let after = self.pc();
        self.patch(over, after);
        self.reset_to(bl, bh, &results);
        self.unreachable = false;
        self.label();
        Ok(())
    }

    /// `catch x` (`tag` is `Some`) or `catch_all` of a legacy `try`.
    pub(super) fn catch(&mut self, tag: Option<u32>) -> Result<(), CompileError> {
        let Some(o) = self.open_here().cloned() else {
            return Err(self.err("catch without try"));
        };
        let Open::Legacy { end, slot } = o.open else {
            return Err(self.err("catch without try"));
        };
        let (bl, bh, res) = {
            let f = &self.frames[o.frame];
            (f.base_len, f.base_height, f.results.clone())
        };
        // The previous part falls through to the end, like `else`.
        if !self.unreachable {
            self.check_exact(bl, &res)?;
            self.materialize_top(res.len());
            let j = self.emit(Ins::Jump(0));
            self.frames[o.frame].patches.push(j);
        }
        self.label();
        let pad = self.pc();
        let end = end.unwrap_or(pad);
        if let Some(OpenBlock {
            open: Open::Legacy { end: e, .. },
            ..
        }) = self.exn.open.last_mut()
        {
            *e = Some(end);
        }
        let (kind, tys) = match tag {
            Some(t) => (
                HandlerKind::Catch {
                    tag: t,
                    with_ref: false,
                },
                tag_params(self, t)?,
            ),
            None => (HandlerKind::CatchAll { with_ref: false }, vec![]),
        };
        self.exn.handlers.push(HandlerEntry {
            start: o.start,
            end,
            depth: o.frame as u32,
            kind,
            pad,
            dst: bh,
            exn_slot: slot,
        });
        self.reset_to(bl, bh, &tys);
        self.unreachable = false;
        Ok(())
    }

    /// `delegate l`: ends a legacy `try` whose exceptions go to label `l`.
    pub(super) fn delegate(&mut self, l: u32) -> Result<(), CompileError> {
        let Some(o) = self.open_here().cloned() else {
            return Err(self.err("delegate without try"));
        };
        let Open::Legacy { end: None, .. } = o.open else {
            return Err(self.err("delegate without try"));
        };
        self.exn.open.pop();
        let end = self.pc();
        // The label counts from outside the `try`.
        let depth = (o.frame as u32)
            .checked_sub(1 + l)
            .ok_or_else(|| self.err("unknown label"))?;
        self.exn.handlers.push(HandlerEntry {
            start: o.start,
            end,
            depth: o.frame as u32,
            kind: HandlerKind::Delegate { depth },
            pad: 0,
            dst: 0,
            exn_slot: u32::MAX,
        });
        self.end()
    }

    /// `rethrow l`: throws the exception caught by the clause at label `l`.
    pub(super) fn rethrow(&mut self, l: u32) -> Result<(), CompileError> {
        let idx = self
            .frames
            .len()
            .checked_sub(1 + l as usize)
            .ok_or_else(|| self.err("invalid rethrow label"))?;
        let slot = self
            .exn
            .open
            .iter()
            .find_map(|o| match o.open {
                Open::Legacy { end: Some(_), slot } if o.frame == idx => Some(slot),
                _ => None,
            })
            .ok_or_else(|| self.err("invalid rethrow label"))?;
        let at = self.emit(Ins::Rethrow { s: slot });
        self.exn.late_uses.push(at);
        self.unreachable = true;
        Ok(())
    }
}

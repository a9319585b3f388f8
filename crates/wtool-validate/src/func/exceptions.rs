//! Exception handling: `throw`, `throw_ref`, `try_table` and its catch
//! clauses, and the legacy `try`/`catch`/`catch_all`/`delegate`/`rethrow`.

use wtool_ast::{
    BlockType, Catch, ExternKind, Features, FuncType, HeapType, ImportDesc, RefType, ValType,
};

use super::{label_types, mismatch, FrameKind, Validator};
use crate::error::{ErrorKind, Expected};
use crate::features::require;
use crate::module::ModuleInfo;

/// `(ref exn)`, what `catch_ref` and `catch_all_ref` deliver.
const EXN: ValType = ValType::Ref(RefType {
    nullable: false,
    heap: HeapType::Exn,
});

/// `exnref`, what `throw_ref` takes.
const EXNREF: ValType = ValType::Ref(RefType {
    nullable: true,
    heap: HeapType::Exn,
});

/// The type of tag `t` (imports first).
fn tag_type<'m>(info: &ModuleInfo<'m>, t: u32) -> Result<&'m FuncType, ErrorKind> {
    let m = info.module;
    let imported = m.num_imported(ExternKind::Tag);
    let ti = if t < imported {
        m.imports
            .iter()
            .filter_map(|i| match i.desc {
                ImportDesc::Tag(ti) => Some(ti),
                _ => None,
            })
            .nth(t as usize)
    } else {
        m.tags.get((t - imported) as usize).map(|x| x.type_idx)
    }
    .ok_or(ErrorKind::UnknownTag(t))?;
    info.func_type(ti).ok_or(ErrorKind::UnknownType(ti))
}

impl Validator {
    pub(super) fn throw(&mut self, info: &ModuleInfo<'_>, tag: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::EXCEPTIONS)?;
        let ty = tag_type(info, tag)?;
        self.pop_vals(&ty.params)?;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn throw_ref(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::EXCEPTIONS)?;
        self.pop_expect(EXNREF)?;
        self.set_unreachable();
        Ok(())
    }

    /// Checks that a clause's values match the types of label `l`.
    fn clause(&self, info: &ModuleInfo<'_>, l: u32, vals: &[ValType]) -> Result<(), ErrorKind> {
        let (kind, bt) = self.label(l)?;
        let want = label_types(info, kind, &bt);
        if !info.tcx.all_match(vals, want) {
            return Err(mismatch(
                want.first()
                    .map_or(Expected::Arity(want.len() as u32), |&t| Expected::Val(t)),
                vals.first().copied(),
            ));
        }
        Ok(())
    }

    pub(super) fn try_table(
        &mut self,
        info: &ModuleInfo<'_>,
        bt: BlockType,
        catches: &[Catch],
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::EXCEPTIONS)?;
        // Clause labels count from outside the `try_table`.
        for c in catches {
            match *c {
                Catch::Catch { tag, label } => {
                    let ty = tag_type(info, tag)?;
                    self.clause(info, label, &ty.params)?;
                }
                Catch::CatchRef { tag, label } => {
                    let mut vals = tag_type(info, tag)?.params.to_vec();
                    vals.push(EXN);
                    self.clause(info, label, &vals)?;
                }
                Catch::CatchAll { label } => self.clause(info, label, &[])?,
                Catch::CatchAllRef { label } => self.clause(info, label, &[EXN])?,
            }
        }
        self.block(info, bt, FrameKind::TryTable)
    }

    pub(super) fn try_(&mut self, info: &ModuleInfo<'_>, bt: BlockType) -> Result<(), ErrorKind> {
        require(info.features, Features::LEGACY_EXCEPTIONS)?;
        self.block(info, bt, FrameKind::Try)
    }

    /// `catch x` (`Some`) or `catch_all`: ends the previous part of a `try`.
    pub(super) fn catch(
        &mut self,
        info: &ModuleInfo<'_>,
        tag: Option<u32>,
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::LEGACY_EXCEPTIONS)?;
        match (self.ctrls.last().map(|f| f.kind), tag) {
            (Some(FrameKind::Try | FrameKind::Catch), _) => {}
            (Some(FrameKind::CatchAll), Some(_)) => {
                return Err(ErrorKind::Malformed("catch after catch_all"))
            }
            (Some(FrameKind::CatchAll), None) => {
                return Err(ErrorKind::Malformed("catch_all after catch_all"))
            }
            _ => return Err(ErrorKind::Malformed("catch found outside of a try block")),
        }
        let params = match tag {
            Some(t) => tag_type(info, t)?.params.to_vec(),
            None => Vec::new(),
        };
        let frame = self.pop_ctrl(info)?;
        let kind = if tag.is_some() {
            FrameKind::Catch
        } else {
            FrameKind::CatchAll
        };
        self.push_ctrl(kind, frame.bt);
        self.push_vals(&params);
        Ok(())
    }

    pub(super) fn delegate(&mut self, info: &ModuleInfo<'_>, l: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::LEGACY_EXCEPTIONS)?;
        if self.ctrls.last().map(|f| f.kind) != Some(FrameKind::Try) {
            return Err(ErrorKind::Malformed(
                "delegate found outside of a try block",
            ));
        }
        let frame = self.pop_ctrl(info)?;
        // The label counts from outside the `try` and may be the function's.
        self.label(l)?;
        self.push_vals(super::bt_results(info, &frame.bt));
        Ok(())
    }

    pub(super) fn rethrow(&mut self, info: &ModuleInfo<'_>, l: u32) -> Result<(), ErrorKind> {
        require(info.features, Features::LEGACY_EXCEPTIONS)?;
        let (kind, _) = self.label(l)?;
        if !matches!(kind, FrameKind::Catch | FrameKind::CatchAll) {
            return Err(ErrorKind::InvalidRethrowLabel(l));
        }
        self.set_unreachable();
        Ok(())
    }
}

//! Table-driven numeric and SIMD ops: their typing is a row of
//! `wtool_ast::OPS` (params, results, feature, immediate kind), converted
//! once into operand-stack types ([`OpSig`]).

use std::sync::OnceLock;

use wtool_ast::{Features, Op, OpKind, OPS};

use super::Validator;
use crate::error::ErrorKind;
use crate::features::require;
use crate::module::ModuleInfo;
use crate::types::Ty;

/// One opcode-table row in operand-stack form.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OpSig {
    /// Parameters, bottom first (`np` of them).
    pub(crate) p: [Ty; 3],
    pub(crate) np: u8,
    /// The result, if `has_result`.
    pub(crate) r: Ty,
    pub(crate) has_result: bool,
    pub(crate) kind: OpKind,
    pub(crate) feature: Features,
}

/// The whole opcode table as [`OpSig`]s, indexed by `Op as usize`.
pub(crate) fn op_sigs() -> &'static [OpSig] {
    static SIGS: OnceLock<Vec<OpSig>> = OnceLock::new();
    SIGS.get_or_init(|| {
        OPS.iter()
            .map(|row| {
                let mut p = [Ty::UNKNOWN; 3];
                for (slot, &t) in p.iter_mut().zip(row.params) {
                    *slot = Ty::from_val(t);
                }
                OpSig {
                    p,
                    np: row.params.len().min(3) as u8,
                    r: row
                        .results
                        .first()
                        .map_or(Ty::UNKNOWN, |&t| Ty::from_val(t)),
                    has_result: !row.results.is_empty(),
                    kind: row.kind,
                    feature: row.feature,
                }
            })
            .collect()
    })
}

impl Validator {
    #[inline(always)]
    pub(super) fn sig(&self, op: Op) -> Result<&'static OpSig, ErrorKind> {
        let sigs: &'static [OpSig] = self.sigs;
        sigs.get(op as usize).ok_or_else(|| bad_immediate(op))
    }

    /// Pops the row's parameters and pushes its result.
    #[inline(always)]
    pub(super) fn apply_sig(&mut self, sig: &OpSig) -> Result<(), ErrorKind> {
        // Fast paths: the operands are on the stack with exactly the types
        // wanted (the common case), so rewrite the top in place.
        let len = self.vals.len();
        if sig.has_result {
            match sig.np {
                1 if len > self.height => {
                    if let Some(top) = self.vals.last_mut() {
                        if *top == sig.p[0] {
                            *top = sig.r;
                            return Ok(());
                        }
                    }
                }
                2 if len >= self.height + 2 => {
                    if let [.., x, y] = self.vals.as_mut_slice() {
                        if *x == sig.p[0] && *y == sig.p[1] {
                            *x = sig.r;
                            self.vals.truncate(len - 1);
                            return Ok(());
                        }
                    }
                }
                _ => {}
            }
        }
        for k in (0..sig.np as usize).rev() {
            self.pop_expect(sig.p[k])?;
        }
        if sig.has_result {
            self.push(sig.r);
        }
        Ok(())
    }

    #[inline(always)]
    pub(super) fn plain(&mut self, info: &ModuleInfo<'_>, op: Op) -> Result<(), ErrorKind> {
        let sig = self.sig(op)?;
        if sig.kind != OpKind::Plain {
            return Err(bad_immediate(op));
        }
        if sig.feature != Features::MVP {
            require(info.features, sig.feature)?;
        }
        self.apply_sig(sig)
    }

    pub(super) fn lane(
        &mut self,
        info: &ModuleInfo<'_>,
        op: Op,
        lane: u8,
    ) -> Result<(), ErrorKind> {
        let sig = self.sig(op)?;
        let OpKind::Lane(lanes) = sig.kind else {
            return Err(bad_immediate(op));
        };
        require(info.features, sig.feature)?;
        if lane >= lanes {
            return Err(ErrorKind::InvalidLaneIndex(lane));
        }
        self.apply_sig(sig)
    }

    pub(super) fn v128_const(&mut self, info: &ModuleInfo<'_>) -> Result<(), ErrorKind> {
        require(info.features, Features::SIMD)?;
        self.push(Ty::V128);
        Ok(())
    }

    pub(super) fn shuffle(
        &mut self,
        info: &ModuleInfo<'_>,
        lanes: &[u8; 16],
    ) -> Result<(), ErrorKind> {
        require(info.features, Features::SIMD)?;
        if let Some(&bad) = lanes.iter().find(|&&l| l >= 32) {
            return Err(ErrorKind::InvalidLaneIndex(bad));
        }
        self.pop_expect(Ty::V128)?;
        self.pop_expect(Ty::V128)?;
        self.push(Ty::V128);
        Ok(())
    }
}

/// An `Instr` variant carrying an op of another immediate shape.
#[cold]
pub(super) fn bad_immediate(op: Op) -> ErrorKind {
    let _ = op;
    ErrorKind::BadImmediate("opcode used with the wrong immediate kind")
}

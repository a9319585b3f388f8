//! Instructions as JSON, serialized lazily straight from the AST.

use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use wtool_ast::{Expr, Instr};

/// A function's instructions, serialized lazily from the AST.
#[derive(Debug)]
pub struct Instrs<'a>(pub &'a Expr);

impl Serialize for Instrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.instrs.len()))?;
        for (i, instr) in self.0.instrs.iter().enumerate() {
            seq.serialize_element(&InstrJson {
                offset: self.0.offset_of(i),
                instr,
            })?;
        }
        seq.end()
    }
}

/// One instruction: `{"offset": …, "op": "mnemonic", <immediates>…}`, the
/// immediates named as in the instruction table.
pub(crate) struct InstrJson<'a> {
    offset: Option<u32>,
    instr: &'a Instr,
}

impl Serialize for InstrJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("offset", &self.offset)?;
        m.serialize_entry("op", self.instr.mnemonic())?;
        crate::generated::immediates(&mut m, self.instr)?;
        m.end()
    }
}

//! Instructions: [`encode_instr`] is generated from the instruction table
//! (`generated.rs`), immediates written by `imm.rs`.

use wtool_ast::Expr;

pub use super::generated::encode_instr;

/// Writes every instruction of `expr` (its final `end` included).
pub fn encode_expr(out: &mut Vec<u8>, expr: &Expr) {
    for i in &expr.instrs {
        encode_instr(out, i);
    }
}

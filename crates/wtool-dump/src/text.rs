//! Constant expressions and numbers in text-format syntax (for `init` fields).

use std::fmt::Write as _;
use wtool_ast::{Expr, Instr};

/// A constant expression in text-format syntax, the final `end` left out.
pub fn expr_text(e: &Expr) -> String {
    let instrs = match e.instrs.split_last() {
        Some((Instr::End, rest)) => rest,
        _ => &e.instrs[..],
    };
    let mut out = String::new();
    for (i, instr) in instrs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        instr_text(&mut out, instr);
    }
    out
}

/// One instruction in text syntax with its immediates as plain indices.
pub(crate) fn instr_text(out: &mut String, instr: &Instr) {
    out.push_str(instr.mnemonic());
    // Writing to a String cannot fail.
    let _ = match instr {
        Instr::I32Const(v) => write!(out, " {v}"),
        Instr::I64Const(v) => write!(out, " {v}"),
        Instr::F32Const(b) => write!(out, " {}", f32_text(*b)),
        Instr::F64Const(b) => write!(out, " {}", f64_text(*b)),
        Instr::V128Const(bytes) => {
            out.push_str(" i8x16");
            bytes.iter().try_for_each(|b| write!(out, " {b}"))
        }
        Instr::RefNull(ht) => write!(out, " {}", heap_text(*ht)),
        Instr::RefFunc(f) | Instr::Call(f) => write!(out, " {f}"),
        Instr::GlobalGet(g) | Instr::GlobalSet(g) => write!(out, " {g}"),
        Instr::LocalGet(l) | Instr::LocalSet(l) | Instr::LocalTee(l) => write!(out, " {l}"),
        Instr::Br(l) | Instr::BrIf(l) => write!(out, " {l}"),
        _ => Ok(()),
    };
}

/// A float in text syntax that reads back to the same bits.
pub(crate) fn f32_text(bits: u32) -> String {
    let f = f32::from_bits(bits);
    let sign = if bits >> 31 == 1 { "-" } else { "" };
    if f.is_nan() {
        let payload = bits & 0x007f_ffff;
        if payload == 0x0040_0000 {
            format!("{sign}nan")
        } else {
            format!("{sign}nan:{payload:#x}")
        }
    } else if f.is_infinite() {
        format!("{sign}inf")
    } else {
        format!("{f:?}")
    }
}

/// A double in text syntax that reads back to the same bits.
pub(crate) fn f64_text(bits: u64) -> String {
    let f = f64::from_bits(bits);
    let sign = if bits >> 63 == 1 { "-" } else { "" };
    if f.is_nan() {
        let payload = bits & 0x000f_ffff_ffff_ffff;
        if payload == 0x0008_0000_0000_0000 {
            format!("{sign}nan")
        } else {
            format!("{sign}nan:{payload:#x}")
        }
    } else if f.is_infinite() {
        format!("{sign}inf")
    } else {
        format!("{f:?}")
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub(crate) fn heap_text(ht: wtool_ast::HeapType) -> String {
    match ht.keyword() {
        Some(k) => k.to_string(),
        None => match ht {
            wtool_ast::HeapType::Concrete(i) => i.to_string(),
            _ => String::new(),
        },
    }
}

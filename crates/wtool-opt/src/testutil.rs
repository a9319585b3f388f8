//! Test helpers: a tiny flat-instruction parser and a module builder, so
//! pass tests read like the wasm they are about.

use wtool_ast::{
    BlockType, BrTable, Export, Expr, ExternKind, Func, FuncType, HeapType, Instr, LocalGroup,
    MemArg, Module, Op, TypeDef, ValType,
};

fn val(s: &str) -> ValType {
    match s {
        "i32" => ValType::I32,
        "i64" => ValType::I64,
        "f32" => ValType::F32,
        "f64" => ValType::F64,
        "v128" => ValType::V128,
        "funcref" => ValType::FUNCREF,
        "externref" => ValType::EXTERNREF,
        _ => panic!("bad type {s}"),
    }
}

fn bt(word: &str) -> BlockType {
    match word.split_once(':') {
        Some((_, t)) if t.starts_with('t') => BlockType::Func(t[1..].parse().unwrap()),
        Some((_, t)) => BlockType::Value(val(t)),
        None => BlockType::Empty,
    }
}

/// Parses flat instructions: `block:i32`, `loop`, `if:t3` (type index 3),
/// `br_table 0 1 2` (last is the default), `f32.const 1.5`, plain and memory
/// ops by mnemonic. A final `end` is appended.
pub fn ins(src: &str) -> Vec<Instr> {
    let toks: Vec<&str> = src.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let num = |i: &mut usize| -> &str {
        *i += 1;
        toks[*i - 1]
    };
    while i < toks.len() {
        let t = toks[i];
        i += 1;
        let head = t.split(':').next().unwrap();
        let x = match head {
            "unreachable" => Instr::Unreachable,
            "nop" => Instr::Nop,
            "block" => Instr::Block(bt(t)),
            "loop" => Instr::Loop(bt(t)),
            "if" => Instr::If(bt(t)),
            "else" => Instr::Else,
            "end" => Instr::End,
            "br" => Instr::Br(num(&mut i).parse().unwrap()),
            "br_if" => Instr::BrIf(num(&mut i).parse().unwrap()),
            "br_table" => {
                let mut v = Vec::new();
                while i < toks.len() && toks[i].parse::<u32>().is_ok() {
                    v.push(toks[i].parse().unwrap());
                    i += 1;
                }
                let default = v.pop().unwrap();
                Instr::BrTable(Box::new(BrTable {
                    targets: v.into(),
                    default,
                }))
            }
            "return" => Instr::Return,
            "call" => Instr::Call(num(&mut i).parse().unwrap()),
            "call_indirect" => Instr::CallIndirect {
                type_idx: num(&mut i).parse().unwrap(),
                table: 0,
            },
            "drop" => Instr::Drop,
            "select" => Instr::Select,
            "local.get" => Instr::LocalGet(num(&mut i).parse().unwrap()),
            "local.set" => Instr::LocalSet(num(&mut i).parse().unwrap()),
            "local.tee" => Instr::LocalTee(num(&mut i).parse().unwrap()),
            "global.get" => Instr::GlobalGet(num(&mut i).parse().unwrap()),
            "global.set" => Instr::GlobalSet(num(&mut i).parse().unwrap()),
            "i32.const" => Instr::I32Const(num(&mut i).parse().unwrap()),
            "i64.const" => Instr::I64Const(num(&mut i).parse().unwrap()),
            "f32.const" => Instr::F32Const(num(&mut i).parse::<f32>().unwrap().to_bits()),
            "f64.const" => Instr::F64Const(num(&mut i).parse::<f64>().unwrap().to_bits()),
            "f32.bits" => Instr::F32Const(u32::from_str_radix(num(&mut i), 16).unwrap()),
            "f64.bits" => Instr::F64Const(u64::from_str_radix(num(&mut i), 16).unwrap()),
            "ref.null" => Instr::RefNull(HeapType::Func),
            "ref.func" => Instr::RefFunc(num(&mut i).parse().unwrap()),
            "ref.is_null" => Instr::RefIsNull,
            "memory.size" => Instr::MemorySize(0),
            "memory.grow" => Instr::MemoryGrow(0),
            "data.drop" => Instr::DataDrop(num(&mut i).parse().unwrap()),
            "elem.drop" => Instr::ElemDrop(num(&mut i).parse().unwrap()),
            _ => {
                let op = Op::from_name(head).unwrap_or_else(|| panic!("unknown op {head}"));
                match op.kind().natural_align() {
                    Some(a) => Instr::Mem(
                        op,
                        MemArg {
                            offset: 0,
                            memory: 0,
                            align: a,
                        },
                    ),
                    None => Instr::Plain(op),
                }
            }
        };
        out.push(x);
    }
    out.push(Instr::End);
    out
}

/// A function type from `"i32 i32 -> i32"`.
pub fn fty(sig: &str) -> TypeDef {
    let (p, r) = sig.split_once("->").unwrap_or((sig, ""));
    let p: Vec<ValType> = p.split_whitespace().map(val).collect();
    let r: Vec<ValType> = r.split_whitespace().map(val).collect();
    TypeDef::func(FuncType::new(p, r))
}

/// A function of type `ty` with declared locals (`"i32 i32 f64"`) and a body.
pub fn func(ty: u32, locals: &str, body: &str) -> Func {
    let mut groups: Vec<LocalGroup> = Vec::new();
    for t in locals.split_whitespace().map(val) {
        match groups.last_mut() {
            Some(g) if g.ty == t => g.count += 1,
            _ => groups.push(LocalGroup { count: 1, ty: t }),
        }
    }
    Func {
        type_idx: ty,
        locals: groups,
        body: Expr::new(ins(body)),
        ..Default::default()
    }
}

/// A module with the given types and functions, exporting every function
/// (as `f0`, `f1`, …) so nothing is unreachable.
pub fn module(types: &[&str], funcs: Vec<Func>) -> Module {
    let exports = (0..funcs.len() as u32)
        .map(|i| Export {
            name: format!("f{i}"),
            kind: ExternKind::Func,
            index: i,
        })
        .collect();
    Module {
        types: types.iter().map(|t| fty(t)).collect(),
        funcs,
        exports,
        ..Default::default()
    }
}

/// Runs one pass on a one-function module of type `sig` and returns the new body.
pub fn run_on(pass: &mut dyn crate::Pass, sig: &str, locals: &str, body: &str) -> Vec<Instr> {
    let mut m = module(&[sig], vec![func(0, locals, body)]);
    pass.run(&mut m, &crate::PassOptions::default());
    m.funcs[0].body.instrs.clone()
}

/// [`run_on`] that also asserts the module still validates ([`assert_valid`]).
pub fn run_valid(pass: &mut dyn crate::Pass, sig: &str, locals: &str, body: &str) -> Vec<Instr> {
    let mut m = module(&[sig], vec![func(0, locals, body)]);
    pass.run(&mut m, &crate::PassOptions::default());
    assert_valid(&m);
    m.funcs[0].body.instrs.clone()
}

/// A module from text, through the `wat` oracle and our decoder.
pub fn wat(src: &str) -> Module {
    let bytes = wat::parse_str(src).expect("wat");
    wtool_binary::decode(&bytes).expect("decode")
}

/// Asserts that a module validates (with our validator and the wasmparser oracle).
pub fn assert_valid(m: &Module) {
    if let Err(e) = wtool_validate::validate(m, wtool_ast::Features::WASM2) {
        panic!("invalid: {e} ({:?})", e.func);
    }
    let bytes = wtool_binary::encode(m);
    wasmparser::Validator::new()
        .validate_all(&bytes)
        .expect("wasmparser");
}

//! Unit tests over hand-built modules (no decoder needed).

use wtool_ast::*;
use wtool_testsupport::Rng;

use crate::{validate, validate_parallel, ErrorKind};

fn func_module(
    params: &[ValType],
    results: &[ValType],
    locals: &[ValType],
    body: Vec<Instr>,
) -> Module {
    let mut instrs = body;
    instrs.push(Instr::End);
    let n = instrs.len() as u32;
    Module {
        types: vec![TypeDef::func(FuncType::new(
            params.to_vec(),
            results.to_vec(),
        ))],
        funcs: vec![Func {
            type_idx: 0,
            locals: locals
                .iter()
                .map(|&ty| LocalGroup { count: 1, ty })
                .collect(),
            body: Expr {
                instrs,
                offsets: (0..n).map(|i| 100 + i).collect(),
            },
            offset: 99,
            size: 0,
        }],
        memories: vec![MemoryType {
            limits: Limits { min: 1, max: None },
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn check(m: &Module) -> Result<(), String> {
    validate(m, Features::WASM2).map_err(|e| e.to_string())
}

use Instr::*;
use ValType::*;

#[test]
fn simple_add() {
    let m = func_module(
        &[I32, I32],
        &[I32],
        &[],
        vec![LocalGet(0), LocalGet(1), Plain(Op::I32Add)],
    );
    assert_eq!(check(&m), Ok(()));
}

#[test]
fn type_mismatch_has_offset() {
    let m = func_module(
        &[I32, I64],
        &[I32],
        &[],
        vec![LocalGet(0), LocalGet(1), Plain(Op::I32Add)],
    );
    let e = validate(&m, Features::WASM2).unwrap_err();
    assert!(e.to_string().starts_with("type mismatch"), "{e}");
    assert_eq!(e.to_string(), "type mismatch: expected i32, found i64");
    assert_eq!(e.func, Some(0));
    assert_eq!(e.offset, Some(102));
}

#[test]
fn unknown_local_and_label() {
    let m = func_module(&[], &[], &[], vec![LocalGet(3), Drop]);
    assert_eq!(check(&m), Err("unknown local 3".into()));
    let m = func_module(&[], &[], &[], vec![Br(1)]);
    assert_eq!(check(&m), Err("unknown label 1".into()));
}

#[test]
fn unreachable_is_polymorphic() {
    let m = func_module(&[], &[I32], &[], vec![Unreachable, Plain(Op::I32Add)]);
    assert_eq!(check(&m), Ok(()));
    let m = func_module(
        &[],
        &[I32],
        &[],
        vec![Unreachable, I64Const(0), Plain(Op::I32Add)],
    );
    assert!(check(&m).unwrap_err().starts_with("type mismatch"));
    // select with two unknowns yields unknown; then i64 use is fine.
    let m = func_module(&[], &[I64], &[], vec![Unreachable, Select]);
    assert_eq!(check(&m), Ok(()));
}

#[test]
fn blocks_and_branches() {
    let m = func_module(
        &[],
        &[I32],
        &[],
        vec![
            Block(BlockType::Value(I32)),
            I32Const(1),
            I32Const(0),
            BrIf(0),
            End,
        ],
    );
    assert_eq!(check(&m), Ok(()));
    let m = func_module(&[], &[I32], &[], vec![Block(BlockType::Value(I32)), End]);
    assert!(check(&m).unwrap_err().starts_with("type mismatch"));
    let m = func_module(
        &[],
        &[],
        &[],
        vec![
            I32Const(0),
            If(BlockType::Value(I32)),
            I32Const(1),
            End,
            Drop,
        ],
    );
    assert!(check(&m).unwrap_err().starts_with("type mismatch"));
    let m = func_module(
        &[],
        &[],
        &[],
        vec![
            Block(BlockType::Empty),
            I32Const(0),
            BrTable(Box::new(wtool_ast::BrTable {
                targets: vec![0, 1].into(),
                default: 0,
            })),
            End,
        ],
    );
    assert_eq!(check(&m), Ok(()));
}

#[test]
fn br_table_arity_mismatch() {
    let m = func_module(
        &[],
        &[I32],
        &[],
        vec![
            Block(BlockType::Empty),
            I32Const(0),
            I32Const(0),
            BrTable(Box::new(wtool_ast::BrTable {
                targets: vec![0].into(),
                default: 1,
            })),
            End,
            I32Const(0),
        ],
    );
    assert!(check(&m).unwrap_err().starts_with("type mismatch"));
}

#[test]
fn memory_checks() {
    let ma = |align| MemArg {
        offset: 0,
        memory: 0,
        align,
    };
    let m = func_module(&[], &[I32], &[], vec![I32Const(0), Mem(Op::I32Load, ma(2))]);
    assert_eq!(check(&m), Ok(()));
    let m = func_module(&[], &[I32], &[], vec![I32Const(0), Mem(Op::I32Load, ma(3))]);
    assert_eq!(
        check(&m),
        Err("alignment must not be larger than natural".into())
    );
    let mut m = func_module(&[], &[I32], &[], vec![I32Const(0), Mem(Op::I32Load, ma(2))]);
    m.memories.clear();
    assert_eq!(check(&m), Err("unknown memory 0".into()));
    let m = func_module(
        &[],
        &[],
        &[],
        vec![
            I32Const(0),
            I32Const(0),
            I32Const(0),
            MemoryInit { data: 0, memory: 0 },
        ],
    );
    assert_eq!(check(&m), Err("data count section required".into()));
}

#[test]
fn lanes() {
    let m = func_module(
        &[V128],
        &[I32],
        &[],
        vec![LocalGet(0), Lane(Op::I32x4ExtractLane, 4)],
    );
    assert!(check(&m).unwrap_err().starts_with("invalid lane index"));
    let m = func_module(
        &[V128],
        &[I32],
        &[],
        vec![LocalGet(0), Lane(Op::I32x4ExtractLane, 3)],
    );
    assert_eq!(check(&m), Ok(()));
    let e = validate(&m, Features::WASM1).unwrap_err().to_string();
    assert_eq!(
        e,
        "SIMD support is not enabled (enable with --features=+simd)"
    );
}

#[test]
fn globals_and_const_exprs() {
    let mut m = func_module(&[], &[], &[], vec![I32Const(1), GlobalSet(0)]);
    m.globals.push(Global {
        ty: GlobalType {
            ty: I32,
            mutable: false,
        },
        init: Expr::new(vec![I32Const(0), End]),
    });
    assert_eq!(check(&m), Err("global is immutable: global 0".into()));
    m.globals[0].ty.mutable = true;
    assert_eq!(check(&m), Ok(()));
    m.globals[0].init = Expr::new(vec![I32Const(0), Plain(Op::I32Add), End]);
    assert_eq!(check(&m), Err("constant expression required".into()));
    m.globals[0].init = Expr::new(vec![GlobalGet(0), End]);
    assert_eq!(check(&m), Err("unknown global 0".into()));
    m.globals[0].init = Expr::new(vec![I64Const(0), End]);
    assert!(check(&m).unwrap_err().starts_with("type mismatch"));
}

#[test]
fn exports_start_refs() {
    let mut m = func_module(&[], &[], &[], vec![RefFunc(0), Drop]);
    assert_eq!(check(&m), Err("undeclared function reference 0".into()));
    m.exports.push(Export {
        name: "f".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    assert_eq!(check(&m), Ok(()));
    m.exports.push(Export {
        name: "f".into(),
        kind: ExternKind::Memory,
        index: 0,
    });
    assert!(check(&m).unwrap_err().starts_with("duplicate export name"));
    m.exports.pop();
    m.start = Some(0);
    assert_eq!(check(&m), Ok(()));
    m.start = Some(1);
    assert_eq!(check(&m), Err("unknown function 1".into()));
}

#[test]
fn limits() {
    let mut m = Module::default();
    m.memories.push(MemoryType {
        limits: Limits {
            min: 2,
            max: Some(1),
        },
        ..Default::default()
    });
    assert_eq!(
        check(&m),
        Err("size minimum must not be greater than maximum".into())
    );
    m.memories[0].limits = Limits {
        min: 65537,
        max: None,
    };
    assert_eq!(
        check(&m),
        Err("memory size must be at most 65536 pages (4GiB)".into())
    );
    m.memories.push(MemoryType::default());
    m.memories[0].limits = Limits { min: 1, max: None };
    assert!(check(&m).unwrap_err().starts_with("multiple memories"));
}

#[test]
fn select_rules() {
    let m = func_module(
        &[],
        &[],
        &[],
        vec![
            RefNull(HeapType::Func),
            RefNull(HeapType::Func),
            I32Const(0),
            Select,
            Drop,
        ],
    );
    assert!(check(&m).unwrap_err().starts_with("type mismatch"));
    let m = func_module(
        &[],
        &[],
        &[],
        vec![
            RefNull(HeapType::Func),
            RefNull(HeapType::Func),
            I32Const(0),
            SelectT(Box::new(vec![ValType::FUNCREF])),
            Drop,
        ],
    );
    assert_eq!(check(&m), Ok(()));
}

#[test]
fn deep_nesting_without_recursion() {
    let depth = 100_000;
    let mut body = vec![Block(BlockType::Empty); depth];
    body.extend(std::iter::repeat_n(End, depth));
    let m = func_module(&[], &[], &[], body);
    assert_eq!(check(&m), Ok(()));
}

#[test]
fn malformed_structure_is_an_error_not_a_panic() {
    let mut m = func_module(&[], &[], &[], vec![]);
    m.funcs[0].body = Expr::new(vec![]);
    assert!(check(&m).is_err());
    m.funcs[0].body = Expr::new(vec![End, Nop]);
    assert!(check(&m).is_err());
    m.funcs[0].body = Expr::new(vec![Else, End]);
    assert!(check(&m).is_err());
    m.funcs[0].body = Expr::new(vec![Plain(Op::I32Load), End]);
    assert!(check(&m).is_err());
}

#[test]
fn parallel_reports_lowest_failing_function() {
    // Enough instructions in total that validate_parallel really uses threads.
    let mut m = func_module(&[], &[], &[], vec![Nop; 30]);
    let good = m.funcs[0].clone();
    let mut bad = good.clone();
    bad.body = Expr::new(vec![I32Const(0), End]);
    m.funcs = (0..1000)
        .map(|i| {
            if i == 517 || i == 900 {
                bad.clone()
            } else {
                good.clone()
            }
        })
        .collect();
    for threads in [1, 2, 4] {
        let e = validate_parallel(&m, Features::WASM2, threads).unwrap_err();
        assert_eq!(e.func, Some(517));
        assert!(matches!(e.kind, ErrorKind::ValuesRemaining { .. }));
    }
    assert_eq!(validate(&m, Features::WASM2).unwrap_err().func, Some(517));
}

#[test]
fn location_names_function() {
    let mut m = func_module(&[], &[], &[], vec![I32Const(0)]);
    m.names = Some(Names {
        funcs: vec![(0, "fib".into())],
        ..Default::default()
    });
    let e = validate(&m, Features::WASM2).unwrap_err();
    assert_eq!(e.location(&m), "func 0 ($fib) at 0x65");
}

fn random_instr(rng: &mut Rng) -> Instr {
    let idx = |rng: &mut Rng| [0, 1, 2, 3, 7, u32::MAX][rng.below(6)];
    let bt = |rng: &mut Rng| match rng.below(4) {
        0 => BlockType::Empty,
        1 => BlockType::Value(I32),
        2 => BlockType::Value(ValType::FUNCREF),
        _ => BlockType::Func([0, 1, 9][rng.below(3)]),
    };
    let op = Op::ALL[rng.below(Op::ALL.len())];
    let ma = |rng: &mut Rng| MemArg {
        offset: [0, 1 << 40][rng.below(2)],
        memory: rng.below(3) as u32,
        align: rng.below(6) as u8,
    };
    match rng.below(40) {
        0 => Block(bt(rng)),
        1 => Loop(bt(rng)),
        2 => If(bt(rng)),
        3 => Else,
        4 | 5 => End,
        6 => Br(idx(rng)),
        7 => BrIf(idx(rng)),
        8 => BrTable(Box::new(wtool_ast::BrTable {
            targets: vec![idx(rng), idx(rng)].into(),
            default: idx(rng),
        })),
        9 => Return,
        10 => Call(idx(rng)),
        11 => CallIndirect {
            type_idx: idx(rng),
            table: idx(rng),
        },
        12 => Drop,
        13 => Select,
        14 => SelectT(Box::new(vec![ValType::EXTERNREF])),
        15 => LocalGet(idx(rng)),
        16 => LocalSet(idx(rng)),
        17 => LocalTee(idx(rng)),
        18 => GlobalGet(idx(rng)),
        19 => GlobalSet(idx(rng)),
        20 => TableGet(idx(rng)),
        21 => TableInit {
            elem: idx(rng),
            table: idx(rng),
        },
        22 => TableCopy {
            dst_table: idx(rng),
            src_table: idx(rng),
        },
        23 => TableGrow(idx(rng)),
        24 => MemoryInit {
            data: idx(rng),
            memory: idx(rng),
        },
        25 => MemoryCopy {
            dst_memory: idx(rng),
            src_memory: idx(rng),
        },
        26 => DataDrop(idx(rng)),
        27 => ElemDrop(idx(rng)),
        28 => RefNull(
            [
                HeapType::Func,
                HeapType::Extern,
                HeapType::Any,
                HeapType::Concrete(5),
            ][rng.below(4)],
        ),
        29 => RefIsNull,
        30 => RefFunc(idx(rng)),
        31 => I8x16Shuffle(Box::new([rng.below(40) as u8; 16])),
        32 => Plain(op),
        33 => Mem(op, ma(rng)),
        34 => Lane(op, rng.below(20) as u8),
        35 => MemLane(Box::new(wtool_ast::MemLane {
            op,
            memarg: ma(rng),
            lane: rng.below(20) as u8,
        })),
        36 => Unreachable,
        37 => I32Const(0),
        38 => V128Const(Box::new([0; 16])),
        _ => MemorySize(idx(rng)),
    }
}

#[test]
fn random_bodies_never_panic_and_parallel_agrees() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut base = func_module(&[I32], &[I32], &[I64], vec![]);
    base.types
        .push(TypeDef::func(FuncType::new(vec![I32, I64], vec![F32, F64])));
    base.imports.push(Import {
        module: "m".into(),
        name: "g".into(),
        desc: ImportDesc::Global(GlobalType {
            ty: I32,
            mutable: true,
        }),
        exact: false,
    });
    base.imports.push(Import {
        module: "m".into(),
        name: "f".into(),
        desc: ImportDesc::Func(1),
        exact: false,
    });
    base.tables.push(Table {
        ty: TableType {
            elem: RefType::FUNCREF,
            limits: Limits { min: 1, max: None },
            index64: false,
        },
        init: None,
    });
    base.tables.push(Table {
        ty: TableType {
            elem: RefType::EXTERNREF,
            limits: Limits { min: 1, max: None },
            index64: true,
        },
        init: None,
    });
    base.memories.push(MemoryType {
        limits: Limits { min: 1, max: None },
        index64: true,
        ..Default::default()
    });
    base.elems.push(ElemSegment {
        ty: RefType::FUNCREF,
        mode: ElemMode::Passive,
        items: ElemItems::Funcs(vec![0]),
        explicit_index: false,
    });
    base.datas.push(DataSegment {
        mode: DataMode::Passive,
        data: vec![1],
        explicit_index: false,
    });
    base.data_count = Some(1);
    for round in 0..300 {
        let mut m = base.clone();
        m.funcs = (0..20)
            .map(|_| {
                let len = rng.below(30);
                let mut instrs: Vec<Instr> = (0..len).map(|_| random_instr(&mut rng)).collect();
                if rng.below(4) != 0 {
                    instrs.push(End);
                }
                let mut f = base.funcs[0].clone();
                f.body = Expr::new(instrs);
                f.type_idx = rng.below(3) as u32;
                f
            })
            .collect();
        for features in [
            Features::WASM1,
            Features::WASM2,
            Features::WASM3,
            Features::ALL,
        ] {
            let seq = validate(&m, features);
            let par = validate_parallel(&m, features, 3);
            assert_eq!(seq, par, "round {round}");
            if let Err(e) = seq {
                assert!(!e.to_string().is_empty());
            }
        }
    }
}

#[test]
fn module_errors_point_at_their_section() {
    let mut m = func_module(&[], &[], &[], vec![]);
    m.exports.push(Export {
        name: "x".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    m.exports.push(Export {
        name: "x".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    m.sections.push(SectionInfo {
        id: 7,
        offset: 40,
        payload_offset: 42,
        size: 9,
    });
    let e = validate(&m, Features::WASM2).unwrap_err();
    assert_eq!((e.func, e.offset), (None, Some(42)));
    assert_eq!(e.to_string(), "duplicate export name \"x\"");
}

#[test]
fn streamed_body_matches_ast_body() {
    let m = func_module(
        &[I32],
        &[I64],
        &[],
        vec![LocalGet(0), Plain(Op::I64ExtendI32S)],
    );
    let info = crate::ModuleInfo::new(&m, Features::WASM2);
    let mut v = crate::Validator::new();
    let body = &m.funcs[0].body;
    let stream = body
        .instrs
        .iter()
        .enumerate()
        .map(|(i, x)| (body.offset_of(i), x.clone()));
    assert_eq!(v.validate_body(&info, 0, stream), Ok(()));
    let bad = [(Some(7), I64Const(0)), (Some(9), End), (Some(10), Nop)];
    let e = v.validate_body(&info, 0, bad).unwrap_err();
    assert_eq!(
        (e.offset, e.to_string().as_str()),
        (Some(10), "operators remaining after end of function")
    );
}

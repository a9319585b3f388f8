//! Focused behaviour: exact constants, names, hostile and invalid modules,
//! streaming output.

use wtool_ast::*;
use wtool_print::{print, print_to, print_to_io, PrintOptions};

const FLAT: PrintOptions = PrintOptions {
    fold: false,
    names: true,
    skip_custom: false,
    label_comments: false,
    inline_exports: false,
    inline_imports: false,
};
const FOLD: PrintOptions = PrintOptions {
    fold: true,
    names: true,
    skip_custom: false,
    label_comments: false,
    inline_exports: false,
    inline_imports: false,
};

fn func(params: &[ValType], results: &[ValType], body: Vec<Instr>) -> Module {
    let mut m = Module::default();
    m.types.push(TypeDef::func(FuncType::new(
        params.to_vec(),
        results.to_vec(),
    )));
    m.funcs.push(Func {
        type_idx: 0,
        body: Expr::new(body),
        ..Default::default()
    });
    m
}

/// Print with `opts`, parse with the `wat` oracle, decode with ours.
fn back(m: &Module, opts: &PrintOptions) -> Module {
    let text = print(m, opts);
    let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    wtool_binary::decode(&bytes).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn every_float_bit_pattern_class_round_trips() {
    let f32s: Vec<u32> = vec![
        0,
        0x8000_0000,
        1,
        0x8000_0001,
        0x007f_ffff,
        0x0080_0000,
        0x3f80_0000,
        0x7f7f_ffff,
        0xff7f_ffff,
        0x7f80_0000,
        0xff80_0000,
        0x7fc0_0000,
        0xffc0_0000,
        0x7f80_0001,
        0xffa0_0000,
        0x7fff_ffff,
        0x3dcc_cccd,
        0x4049_0fdb,
    ];
    let f64s: Vec<u64> = vec![
        0,
        1 << 63,
        1,
        0x000f_ffff_ffff_ffff,
        0x7fef_ffff_ffff_ffff,
        0x7ff0_0000_0000_0000,
        0xfff0_0000_0000_0000,
        0x7ff8_0000_0000_0000,
        0xfff8_0000_0000_0001,
        0x7ff0_0000_0000_0001,
        0x3fb9_9999_9999_999a,
        0x4009_21fb_5444_2d18,
    ];
    let mut body = Vec::new();
    for &b in &f32s {
        body.push(Instr::F32Const(b));
        body.push(Instr::Drop);
    }
    for &b in &f64s {
        body.push(Instr::F64Const(b));
        body.push(Instr::Drop);
    }
    body.push(Instr::I32Const(i32::MIN));
    body.push(Instr::Drop);
    body.push(Instr::I64Const(i64::MIN));
    body.push(Instr::Drop);
    body.push(Instr::V128Const(Box::new([0x80; 16])));
    body.push(Instr::Drop);
    body.push(Instr::End);
    let m = func(&[], &[], body.clone());
    for opts in [FLAT, FOLD] {
        let got = back(&m, &opts);
        assert_eq!(got.funcs[0].body.instrs, body);
    }
    let text = print(&m, &FLAT);
    for s in [
        "f32.const -0.0",
        "f32.const 1e-45",
        "f32.const nan:0x1",
        "f32.const -nan",
        "f64.const -inf",
    ] {
        assert!(text.contains(s), "{s} missing in\n{text}");
    }
    assert!(text.contains("v128.const i32x4 0x80808080 0x80808080 0x80808080 0x80808080"));
    assert!(text.contains("i32.const -2147483648"));
}

#[test]
fn memargs_only_when_not_default() {
    let ld = |offset, align| {
        Instr::Mem(
            Op::I32Load,
            MemArg {
                offset,
                memory: 0,
                align,
            },
        )
    };
    let m = {
        let mut m = func(&[], &[], vec![]);
        m.memories.push(MemoryType {
            limits: Limits { min: 1, max: None },
            ..Default::default()
        });
        m.funcs[0].body = Expr::new(vec![
            Instr::I32Const(0),
            ld(0, 2),
            Instr::Drop,
            Instr::I32Const(0),
            ld(16, 0),
            Instr::Drop,
            Instr::End,
        ]);
        m
    };
    let text = print(&m, &FLAT);
    assert!(text.contains("i32.load\n"), "{text}");
    assert!(text.contains("i32.load offset=16 align=1\n"), "{text}");
    assert_eq!(back(&m, &FLAT).funcs[0].body.instrs, m.funcs[0].body.instrs);
}

#[test]
fn duplicate_and_odd_names_stay_exact() {
    let mut m = func(&[ValType::I32, ValType::I32], &[], vec![Instr::End]);
    m.funcs.push(Func {
        type_idx: 0,
        body: Expr::new(vec![Instr::End]),
        ..Default::default()
    });
    m.funcs.push(Func {
        type_idx: 0,
        body: Expr::new(vec![Instr::End]),
        ..Default::default()
    });
    m.names = Some(Names {
        module: Some("my mod".into()),
        funcs: vec![
            (0, "foo".into()),
            (1, "foo".into()),
            (2, "a\"b\u{202e}".into()),
        ],
        locals: vec![(0, vec![(0, "x".into()), (1, "x".into())])],
        ..Default::default()
    });
    m.customs.push(CustomSection {
        name: "name".into(),
        data: vec![],
        place: CustomPlace::After(SectionId::Data),
    });
    let text = print(&m, &FLAT);
    assert!(text.contains("(func $foo (;0;)"), "{text}");
    assert!(
        text.contains("(func $#func1<foo> (@name \"foo\") (;1;)"),
        "{text}"
    );
    assert!(text.contains("(func $\"a\\\"b\\u{202e}\" (;2;)"), "{text}");
    assert!(
        text.contains("(param $x i32) (param $#local1<x> (@name \"x\") i32)"),
        "{text}"
    );
    assert!(text.starts_with("(module $\"my mod\""), "{text}");
    assert!(!text.contains("@custom"), "{text}");
    let got = back(&m, &FLAT);
    assert_eq!(got.names, m.names);
    // Without names, the section travels as bytes and still decodes the same.
    let plain = print(
        &m,
        &PrintOptions {
            names: false,
            ..FLAT
        },
    );
    assert!(
        plain.contains("(@custom \"name\" (after last) \""),
        "{plain}"
    );
    assert!(!plain.contains('$'), "{plain}");
    let got = wtool_binary::decode(&wat::parse_str(&plain).unwrap()).unwrap();
    assert_eq!(got.names, m.names);
    // Skipping custom sections drops it.
    let skipped = print(
        &m,
        &PrintOptions {
            names: false,
            skip_custom: true,
            ..FLAT
        },
    );
    assert!(!skipped.contains("@custom"), "{skipped}");
}

#[test]
fn export_names_needing_escapes() {
    // The names.wast scripts (which the `wast` oracle refuses as a whole)
    // export names like these; the printed text must carry them exactly.
    let names = [
        "",
        " ",
        "\u{202e}abc\u{202d}",
        "\u{feff}",
        "\"",
        "\\",
        "\n\t\u{7f}",
        "\u{0}",
        "\u{1f600}",
        "(;",
        ";;",
        "$",
        "\u{200b}",
        "\u{85}",
    ];
    let mut m = func(&[], &[], vec![Instr::End]);
    for n in names {
        m.exports.push(Export {
            name: n.into(),
            kind: ExternKind::Func,
            index: 0,
        });
    }
    let got = back(&m, &FLAT);
    assert_eq!(got.exports, m.exports);
}

#[test]
fn invalid_modules_print_what_they_can() {
    // Out-of-range indices everywhere, a call of unknown arity, stray else.
    let body = vec![
        Instr::I32Const(1),
        Instr::Call(99),
        Instr::LocalGet(7),
        Instr::GlobalGet(3),
        Instr::Block(BlockType::Func(42)),
        Instr::Br(9),
        Instr::End,
        Instr::CallIndirect {
            type_idx: 5,
            table: 3,
        },
        Instr::Plain(Op::I32Add),
        Instr::End,
    ];
    let mut m = func(&[], &[ValType::I32], body);
    m.funcs.push(Func {
        type_idx: 17,
        body: Expr::new(vec![Instr::Else, Instr::End, Instr::End]),
        ..Default::default()
    });
    m.exports.push(Export {
        name: "e".into(),
        kind: ExternKind::Memory,
        index: 4,
    });
    m.start = Some(12);
    m.names = Some(Names {
        funcs: vec![(50, "ghost".into())],
        ..Default::default()
    });
    for opts in [FLAT, FOLD] {
        let text = print(&m, &opts);
        assert!(text.contains("call 99"), "{text}");
        assert!(text.contains("(type 42)"), "{text}");
        assert!(text.contains("call_indirect 3 (type 5)"), "{text}");
        assert!(text.contains("(start 12)"), "{text}");
        assert!(!text.contains("ghost"), "{text}");
    }
    // The first function is otherwise well-formed text: the oracle parses it.
    let mut one = m.clone();
    one.funcs.truncate(1);
    let text = print(&one, &FOLD);
    let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let got = wtool_binary::decode(&bytes).unwrap();
    assert_eq!(got.funcs[0].body.instrs, one.funcs[0].body.instrs);
}

#[test]
fn folding_uses_arities() {
    let body = vec![
        Instr::LocalGet(0),
        Instr::I32Const(1),
        Instr::Plain(Op::I32Add),
        Instr::If(BlockType::Value(ValType::I32)),
        Instr::I32Const(2),
        Instr::Else,
        Instr::I32Const(3),
        Instr::End,
        Instr::Return,
        Instr::End,
    ];
    let m = func(&[ValType::I32], &[ValType::I32], body.clone());
    let text = print(&m, &FOLD);
    let expected = "\
(module
  (type (;0;) (func (param i32) (result i32)))
  (func (;0;) (type 0) (param i32) (result i32)
    (return
      (if (result i32)
        (i32.add
          (local.get 0)
          (i32.const 1))
        (then
          (i32.const 2))
        (else
          (i32.const 3))))))
";
    assert_eq!(text, expected);
    assert_eq!(back(&m, &FOLD).funcs[0].body.instrs, body);
}

#[test]
fn deep_nesting_does_not_recurse() {
    let depth = 200_000;
    let mut body = Vec::with_capacity(2 * depth + 4);
    for _ in 0..depth {
        body.push(Instr::Block(BlockType::Empty));
    }
    body.push(Instr::Nop);
    for _ in 0..depth {
        body.push(Instr::End);
    }
    body.push(Instr::End);
    let m = func(&[], &[], body);
    for opts in [FLAT, FOLD] {
        let text = print(&m, &opts);
        // Indentation is capped, so the output stays linear in the input.
        assert!(text.len() < depth * 2 * 200, "{}", text.len());
        let deepest = text
            .lines()
            .map(|l| l.len() - l.trim_start().len())
            .max()
            .unwrap_or(0);
        assert!(deepest <= 130, "{deepest}");
    }
}

#[test]
fn streaming_matches_print() {
    let mut m = func(&[], &[], vec![Instr::End]);
    for i in 0..3000 {
        let mut body = vec![Instr::I32Const(i); 10];
        body.extend(std::iter::repeat_n(Instr::Drop, 10));
        body.push(Instr::End);
        m.funcs.push(Func {
            type_idx: 0,
            body: Expr::new(body),
            ..Default::default()
        });
    }
    for opts in [FLAT, FOLD] {
        let s = print(&m, &opts);
        assert!(s.len() > 1 << 17);
        let mut t = String::new();
        print_to(&m, &opts, &mut t).unwrap();
        assert_eq!(s, t);
        let mut v = Vec::new();
        print_to_io(&m, &opts, &mut v).unwrap();
        assert_eq!(s.as_bytes(), &v[..]);
    }
}

#[test]
fn segments_keep_their_encoding() {
    let mut m = func(&[], &[], vec![Instr::End]);
    m.tables.push(Table {
        ty: TableType {
            elem: RefType::FUNCREF,
            limits: Limits { min: 4, max: None },
            index64: false,
        },
        init: None,
    });
    m.memories.push(MemoryType {
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        ..Default::default()
    });
    let off = || Expr::new(vec![Instr::I32Const(0), Instr::End]);
    let refs = || {
        ElemItems::Exprs(vec![
            Expr::new(vec![Instr::RefFunc(0), Instr::End]),
            Expr::new(vec![Instr::RefNull(HeapType::Func), Instr::End]),
        ])
    };
    let active = |explicit, items| ElemSegment {
        ty: RefType::FUNCREF,
        mode: ElemMode::Active {
            table: 0,
            offset: off(),
        },
        items,
        explicit_index: explicit,
    };
    m.elems = vec![
        active(false, ElemItems::Funcs(vec![0, 0])),
        active(true, ElemItems::Funcs(vec![0])),
        active(false, refs()),
        active(true, refs()),
        ElemSegment {
            ty: RefType::FUNCREF,
            mode: ElemMode::Passive,
            items: ElemItems::Funcs(vec![0]),
            explicit_index: false,
        },
        ElemSegment {
            ty: RefType::FUNCREF,
            mode: ElemMode::Declarative,
            items: refs(),
            explicit_index: false,
        },
        ElemSegment {
            ty: RefType::EXTERNREF,
            mode: ElemMode::Passive,
            items: ElemItems::Exprs(vec![Expr::new(vec![
                Instr::RefNull(HeapType::Extern),
                Instr::End,
            ])]),
            explicit_index: false,
        },
    ];
    m.datas = vec![
        DataSegment {
            mode: DataMode::Active {
                memory: 0,
                offset: off(),
            },
            data: b"hi\0\xff".to_vec(),
            explicit_index: false,
        },
        DataSegment {
            mode: DataMode::Passive,
            data: vec![],
            explicit_index: false,
        },
    ];
    for opts in [FLAT, FOLD] {
        let text = print(&m, &opts);
        let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(bytes, wtool_binary::encode(&m), "{text}");
    }
}

#[test]
fn post_2_0_items_print_in_a_form_wat_accepts() {
    let mut m = func(&[ValType::I32], &[], vec![]);
    m.memories = vec![
        MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
            shared: true,
            ..Default::default()
        },
        MemoryType {
            limits: Limits { min: 0, max: None },
            index64: true,
            ..Default::default()
        },
        MemoryType {
            limits: Limits { min: 1, max: None },
            page_size_log2: Some(0),
            ..Default::default()
        },
    ];
    m.tables.push(Table {
        ty: TableType {
            elem: RefType::FUNCREF,
            limits: Limits { min: 1, max: None },
            index64: true,
        },
        init: None,
    });
    m.tables.push(Table {
        ty: TableType {
            elem: RefType {
                nullable: false,
                heap: HeapType::Func,
            },
            limits: Limits {
                min: 1,
                max: Some(1),
            },
            index64: false,
        },
        init: Some(Expr::new(vec![Instr::RefFunc(0), Instr::End])),
    });
    m.tags.push(Tag { type_idx: 0 });
    m.imports.push(Import {
        module: "m".into(),
        name: "t".into(),
        desc: ImportDesc::Tag(0),
        exact: false,
    });
    m.elems.push(ElemSegment {
        ty: RefType::FUNCREF,
        mode: ElemMode::Declarative,
        items: ElemItems::Funcs(vec![1]),
        explicit_index: false,
    });
    m.funcs[0].body = Expr::new(vec![
        Instr::I64Const(8),
        Instr::Mem(
            Op::I32Load,
            MemArg {
                offset: 1 << 40,
                memory: 1,
                align: 2,
            },
        ),
        Instr::Drop,
        Instr::I32Const(0),
        Instr::I32Const(0),
        Instr::I32Const(0),
        Instr::MemoryCopy {
            dst_memory: 2,
            src_memory: 0,
        },
        Instr::MemorySize(2),
        Instr::Drop,
        Instr::End,
    ]);
    for opts in [FLAT, FOLD] {
        let text = print(&m, &opts);
        let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let got = wtool_binary::decode_with_features(&bytes, Features::ALL)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(got.memories, m.memories, "{text}");
        assert_eq!(
            got.tables,
            m.tables
                .iter()
                .cloned()
                .map(|mut t| {
                    if let Some(e) = &mut t.init {
                        e.offsets = got.tables[1].init.as_ref().unwrap().offsets.clone();
                    }
                    t
                })
                .collect::<Vec<_>>(),
            "{text}"
        );
        assert_eq!(got.tags, m.tags, "{text}");
        assert_eq!(got.imports, m.imports, "{text}");
        assert_eq!(got.funcs[0].body.instrs, m.funcs[0].body.instrs, "{text}");
    }
}

#[test]
fn empty_module_name() {
    let mut m = func(&[], &[], vec![Instr::End]);
    m.names = Some(Names {
        module: Some(String::new()),
        ..Default::default()
    });
    let text = print(&m, &FLAT);
    assert!(text.starts_with("(module (@name \"\")\n"), "{text}");
    assert_eq!(back(&m, &FLAT).names, m.names);
}

#[test]
fn streaming_reports_write_errors() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let m = func(&[], &[], vec![Instr::End]);
    let err = print_to_io(&m, &FLAT, &mut Full).unwrap_err();
    assert_eq!(err.to_string(), "disk full");
    struct Refuse;
    impl std::fmt::Write for Refuse {
        fn write_str(&mut self, _: &str) -> std::fmt::Result {
            Err(std::fmt::Error)
        }
    }
    assert!(print_to(&m, &FLAT, &mut Refuse).is_err());
}

#[test]
fn absurd_local_counts_are_summarised() {
    let mut m = func(&[], &[], vec![Instr::End]);
    m.funcs[0].locals = vec![
        LocalGroup {
            count: u32::MAX,
            ty: ValType::I64,
        },
        LocalGroup {
            count: 3,
            ty: ValType::F32,
        },
    ];
    let text = print(&m, &FLAT);
    assert!(text.len() < 400, "{text}");
    assert!(
        text.contains("(; 4294967295 locals of type i64 ;)"),
        "{text}"
    );
}

#[test]
fn branch_comments_follow_label_scopes() {
    // The `if` condition (a `br_if` to the outer block) is printed inside
    // `(if …)` but is outside the `if`'s own label scope.
    let body = vec![
        Instr::Block(BlockType::Value(ValType::I32)),
        Instr::I32Const(7),
        Instr::I32Const(1),
        Instr::BrIf(0),
        Instr::If(BlockType::Empty),
        Instr::Br(0),
        Instr::End,
        Instr::I32Const(0),
        Instr::End,
        Instr::Drop,
        Instr::End,
    ];
    let mut m = func(&[], &[], body.clone());
    m.names = Some(Names {
        labels: vec![(0, vec![(0, "outer".into()), (1, "inner".into())])],
        ..Default::default()
    });
    for opts in [FLAT, FOLD] {
        let text = print(&m, &opts);
        assert!(text.contains("br_if 0 (;$outer;)"), "{text}");
        assert!(text.contains("br 0 (;$inner;)"), "{text}");
        let got = back(&m, &opts);
        assert_eq!(got.funcs[0].body.instrs, body);
        assert_eq!(got.names, m.names);
    }
    let folded = print(&m, &FOLD);
    assert!(
        folded.contains("(if $inner\n          (br_if 0 (;$outer;)"),
        "{folded}"
    );
}

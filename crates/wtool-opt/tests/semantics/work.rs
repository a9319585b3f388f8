//! Work for the passes random modules rarely give any: calls through a
//! segment-only table (directize) and duplicated imports.

use wtool_ast::{
    ElemItems, ElemMode, ElemSegment, Export, Expr, ExternKind, FuncType, Import, ImportDesc,
    IndexSpace, Instr, Limits, Module, Op, RefType, Table, TableType, TypeDef, ValType,
};

/// Gives directize work: a new table that only active segments write (all
/// functions in reverse order from slot 2, then function 0 over slot 2; slots
/// 0, 1 and the last two stay null), and every direct `call` becomes
/// `i32.const slot; call_indirect` through it. Every fifth call names the
/// next slot (another function: a signature trap unless the types match) and
/// every seventh a null slot, so the pass must leave those alone.
pub fn give_directize_work(m: &mut Module) {
    let nf = m.num_imported(ExternKind::Func) + m.funcs.len() as u32;
    if nf == 0 {
        return;
    }
    let table = m.num_imported(ExternKind::Table) + m.tables.len() as u32;
    m.tables.push(Table {
        ty: TableType {
            elem: RefType::FUNCREF,
            limits: Limits {
                min: nf as u64 + 4,
                max: None,
            },
            index64: false,
        },
        init: None,
    });
    for (offset, funcs) in [(2, (0..nf).rev().collect::<Vec<u32>>()), (2, vec![0])] {
        m.elems.push(ElemSegment {
            ty: RefType::FUNCREF,
            mode: ElemMode::Active {
                table,
                offset: Expr::new(vec![Instr::I32Const(offset), Instr::End]),
            },
            items: ElemItems::Funcs(funcs),
            explicit_index: true,
        });
    }
    let slot_of = |f: u32| if f == 0 { 2 } else { 2 + nf - 1 - f };
    let types: Vec<Option<u32>> = (0..nf).map(|f| m.func_type_idx(f)).collect();
    let mut count = 0u32;
    for func in m.funcs.iter_mut() {
        let mut out = Vec::with_capacity(func.body.instrs.len());
        for ins in func.body.instrs.drain(..) {
            let Instr::Call(f) = ins else {
                out.push(ins);
                continue;
            };
            let Some(Some(type_idx)) = types.get(f as usize).copied() else {
                out.push(ins);
                continue;
            };
            count += 1;
            let slot = match count {
                c if c % 7 == 0 => 0,
                c if c % 5 == 0 => slot_of(f) + 1,
                _ => slot_of(f),
            };
            out.push(Instr::I32Const(slot as i32));
            out.push(Instr::CallIndirect { type_idx, table });
        }
        func.body = Expr::new(out);
    }
}

/// Gives duplicate-import-elimination work: imports `env.h`, `env.h22` and
/// `env.h` again (type `-> i32`; the test's host returns 1, 3 and 1) come
/// first, and a new export `imports` returns `10·h + h22 + 100·h` (113), so
/// merging the wrong pair shows.
pub fn give_import_work(m: &mut Module) {
    m.types
        .push(TypeDef::func(FuncType::new(Vec::new(), vec![ValType::I32])));
    let t = m.types.len() as u32 - 1;
    for (k, name) in ["h", "h22", "h"].into_iter().enumerate() {
        m.imports.insert(
            k,
            Import {
                module: "env".into(),
                name: name.into(),
                desc: ImportDesc::Func(t),
                exact: false,
            },
        );
    }
    let shift = |e: &mut Expr| {
        for ins in e.instrs.iter_mut() {
            ins.visit_indices_mut(&mut |s, x| {
                if s == IndexSpace::Func {
                    *x += 3;
                }
            });
        }
    };
    m.funcs.iter_mut().for_each(|f| shift(&mut f.body));
    m.globals.iter_mut().for_each(|g| shift(&mut g.init));
    m.tables
        .iter_mut()
        .filter_map(|t| t.init.as_mut())
        .for_each(shift);
    for e in m.elems.iter_mut() {
        match &mut e.items {
            ElemItems::Funcs(fs) => fs.iter_mut().for_each(|f| *f += 3),
            ElemItems::Exprs(es) => es.iter_mut().for_each(shift),
        }
    }
    for e in m.exports.iter_mut() {
        if e.kind == ExternKind::Func {
            e.index += 3;
        }
    }
    m.start = m.start.map(|s| s + 3);
    let body = vec![
        Instr::Call(0),
        Instr::I32Const(10),
        Instr::Plain(Op::I32Mul),
        Instr::Call(1),
        Instr::Plain(Op::I32Add),
        Instr::Call(2),
        Instr::I32Const(100),
        Instr::Plain(Op::I32Mul),
        Instr::Plain(Op::I32Add),
        Instr::End,
    ];
    m.funcs.push(wtool_ast::Func {
        type_idx: t,
        body: Expr::new(body),
        ..Default::default()
    });
    m.exports.push(Export {
        name: "imports".into(),
        kind: ExternKind::Func,
        index: m.num_imported(ExternKind::Func) + m.funcs.len() as u32 - 1,
    });
}

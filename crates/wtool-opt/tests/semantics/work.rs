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

/// Gives local-cse work: two exported accumulators (`cse i32`, `cse i64`)
/// and, in every defined function, up to two pure trees of three to eight
/// instructions (locals, globals, constants, table-driven ops, loads) are
/// computed again and xor'ed into an accumulator (floats by their bits) right
/// after the tree, halfway to the end and before the end, so some copies
/// see the same inputs and others inputs written, joined or looped over in
/// between; a copy reusing a stale value shows in the globals.
pub fn give_cse_work(m: &mut Module) {
    use wtool_ast::{Global, GlobalType, OpKind};
    let g0 = m.num_imported(ExternKind::Global) + m.globals.len() as u32;
    for (k, (ty, zero)) in [
        (ValType::I32, Instr::I32Const(0)),
        (ValType::I64, Instr::I64Const(0)),
    ]
    .into_iter()
    .enumerate()
    {
        m.globals.push(Global {
            ty: GlobalType { ty, mutable: true },
            init: Expr::new(vec![zero, Instr::End]),
        });
        m.exports.push(Export {
            name: format!("cse {ty}"),
            kind: ExternKind::Global,
            index: g0 + k as u32,
        });
    }
    let global_types: Vec<Option<ValType>> = (0..g0 + 2)
        .map(|g| m.global_type(g).map(|t| t.ty))
        .collect();
    for fi in 0..m.funcs.len() {
        let Some(ft) = m.func_type(m.funcs[fi].type_idx) else {
            continue;
        };
        let mut locals: Vec<ValType> = ft.params.to_vec();
        for g in &m.funcs[fi].locals {
            locals.extend(std::iter::repeat_n(g.ty, g.count as usize));
        }
        let body = &m.funcs[fi].body.instrs;
        let n = body.len();
        // The value type of a pure tree ending at `k`, and its start.
        let tree = |k: usize| -> Option<(usize, ValType)> {
            let mut need = 1i32;
            let mut j = k + 1;
            let mut ty = None;
            while need > 0 && j > 0 && k + 1 - j < 8 {
                j -= 1;
                let (pops, t) = match &body[j] {
                    Instr::LocalGet(x) => (0, *locals.get(*x as usize)?),
                    Instr::GlobalGet(g) => (0, (*global_types.get(*g as usize)?)?),
                    Instr::I32Const(_) => (0, ValType::I32),
                    Instr::I64Const(_) => (0, ValType::I64),
                    Instr::F32Const(_) => (0, ValType::F32),
                    Instr::F64Const(_) => (0, ValType::F64),
                    Instr::Plain(op)
                        if op.kind() == OpKind::Plain && op.info().results.len() == 1 =>
                    {
                        (op.info().params.len() as i32, op.info().results[0])
                    }
                    Instr::Mem(op, _) if matches!(op.kind(), OpKind::Load(_)) => {
                        (1, *op.info().results.first()?)
                    }
                    _ => return None,
                };
                ty.get_or_insert(t);
                need += pops - 1;
            }
            let ty = ty?;
            (need == 0 && k + 1 - j >= 3 && !matches!(ty, ValType::V128 | ValType::Ref(_)))
                .then_some((j, ty))
        };
        let roots: Vec<(usize, usize, ValType)> = (0..n)
            .filter_map(|k| tree(k).map(|(j, t)| (j, k, t)))
            .collect();
        let picks = [roots.first(), roots.get(roots.len() / 2)];
        let mut inserts: Vec<(usize, Vec<Instr>)> = Vec::new();
        for &(j, k, ty) in picks.iter().flatten().copied() {
            let (g, conv, xor) = match ty {
                ValType::I32 => (g0, None, Op::I32Xor),
                ValType::F32 => (g0, Some(Op::I32ReinterpretF32), Op::I32Xor),
                ValType::I64 => (g0 + 1, None, Op::I64Xor),
                _ => (g0 + 1, Some(Op::I64ReinterpretF64), Op::I64Xor),
            };
            let mut snippet = vec![Instr::GlobalGet(g)];
            snippet.extend_from_slice(&body[j..=k]);
            snippet.extend(conv.map(Instr::Plain));
            snippet.push(Instr::Plain(xor));
            snippet.push(Instr::GlobalSet(g));
            for at in [k + 1, k + 1 + (n - 1 - (k + 1)) / 2, n - 1] {
                inserts.push((at, snippet.clone()));
            }
        }
        inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        let mut body = body.clone();
        for (at, snippet) in inserts {
            body.splice(at..at, snippet);
        }
        m.funcs[fi].body = Expr::new(body);
    }
}

//! Test-only helpers shared by the print tests: comparing modules while
//! ignoring what only describes an encoding.
#![allow(dead_code)]

use wtool_ast as ast;

/// Drops what only describes the encoding (positions, sizes, layout).
pub fn norm(mut m: wtool_ast::Module) -> wtool_ast::Module {
    fn e(x: &mut wtool_ast::Expr) {
        x.offsets.clear();
    }
    m.sections.clear();
    m.origin = wtool_ast::Origin::Binary;
    // Custom sections at different places keep no order among themselves in
    // the binary: only those sharing a place do.
    let rank = |p: &wtool_ast::CustomPlace| match p {
        wtool_ast::CustomPlace::Before(s) => s.order().unwrap_or(0) * 2,
        wtool_ast::CustomPlace::After(s) => s.order().unwrap_or(0) * 2 + 1,
    };
    m.customs.sort_by_key(|c| rank(&c.place));
    for f in &mut m.funcs {
        f.offset = 0;
        f.size = 0;
        e(&mut f.body);
    }
    for g in &mut m.globals {
        e(&mut g.init);
    }
    for t in &mut m.tables {
        if let Some(i) = &mut t.init {
            e(i);
        }
    }
    for el in &mut m.elems {
        if let wtool_ast::ElemMode::Active { offset, .. } = &mut el.mode {
            e(offset);
        }
        if let wtool_ast::ElemItems::Exprs(xs) = &mut el.items {
            xs.iter_mut().for_each(e);
        }
    }
    for d in &mut m.datas {
        if let wtool_ast::DataMode::Active { offset, .. } = &mut d.mode {
            e(offset);
        }
    }
    m
}

/// Names the first part where two modules differ (for failure messages).
pub fn first_diff(a: &ast::Module, b: &ast::Module) -> String {
    macro_rules! field {
        ($($f:ident),*) => {$(
            if a.$f != b.$f {
                return format!("{}: {:?}\n  vs {:?}", stringify!($f), a.$f, b.$f);
            }
        )*};
    }
    for (i, (x, y)) in a.funcs.iter().zip(&b.funcs).enumerate() {
        if x != y {
            let at = x
                .body
                .instrs
                .iter()
                .zip(&y.body.instrs)
                .position(|(p, q)| p != q);
            return format!(
                "func {i}: locals {:?} vs {:?}, first instr diff at {at:?}",
                x.locals, y.locals
            );
        }
    }
    field!(
        types, imports, funcs, tables, memories, tags, globals, exports, start, elems, datas,
        data_count, customs, names
    );
    "equal".into()
}

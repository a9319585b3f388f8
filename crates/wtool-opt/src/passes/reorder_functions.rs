//! reorder-functions: defined functions are renumbered so that the most
//! often named ones (direct calls, `ref.func`, element segments) get the
//! smallest indices, which encode in fewer LEB128 bytes. Imports keep their
//! indices (they always come first); ties keep their original order, so the
//! result is deterministic. Exports, the start function, element segments and
//! the name section follow.

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use crate::util::{forget_raw_names, remap_func_indices, remap_func_names};
use wtool_ast::{ElemItems, ExternKind, Instr, Module};

/// See the module docs.
pub struct ReorderFunctions;

impl Pass for ReorderFunctions {
    fn name(&self) -> &'static str {
        "reorder-functions"
    }
    fn description(&self) -> &'static str {
        "give the most used functions the smallest indices (shorter encodings)"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_index_spaces: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, _opts: &PassOptions) -> bool {
        let nimp = m.num_imported(ExternKind::Func) as usize;
        let total = nimp + m.funcs.len();
        let mut uses = vec![0u64; total];
        let mut count = |f: u32| {
            if let Some(u) = uses.get_mut(f as usize) {
                *u += 1;
            }
        };
        let mut in_instrs = |instrs: &[Instr]| {
            for ins in instrs {
                if let Instr::Call(f) | Instr::ReturnCall(f) | Instr::RefFunc(f) = ins {
                    count(*f);
                }
            }
        };
        bodies.scan(m, |_, instrs| in_instrs(instrs));
        for g in &m.globals {
            in_instrs(&g.init.instrs);
        }
        for e in &m.elems {
            if let ElemItems::Exprs(es) = &e.items {
                es.iter().for_each(|x| in_instrs(&x.instrs));
            }
        }
        for e in &m.elems {
            if let ElemItems::Funcs(fs) = &e.items {
                fs.iter().for_each(|f| count(*f));
            }
        }
        let mut order: Vec<usize> = (nimp..total).collect();
        order.sort_by_key(|&f| (std::cmp::Reverse(uses[f]), f));
        if order.iter().enumerate().all(|(k, &f)| f == nimp + k) {
            return false;
        }
        // new_index[old] for every function.
        let mut new_index: Vec<u32> = (0..total as u32).collect();
        for (k, &f) in order.iter().enumerate() {
            new_index[f] = (nimp + k) as u32;
        }
        let mut old = std::mem::take(&mut m.funcs);
        let mut slots: Vec<Option<wtool_ast::Func>> = old.drain(..).map(Some).collect();
        m.funcs = order
            .iter()
            .filter_map(|&f| slots.get_mut(f - nimp).and_then(Option::take))
            .collect();
        let defs: Vec<usize> = order.iter().map(|&f| f - nimp).collect();
        bodies.permute(&defs);
        let remap = |i: u32| new_index.get(i as usize).copied().unwrap_or(i);
        remap_func_indices(m, bodies, &remap);
        remap_func_names(m, &|i| Some(remap(i)));
        forget_raw_names(m);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, wat};

    #[test]
    fn most_called_first() {
        let mut m = wat(r#"(module
                (import "e" "i" (func $imp))
                (func $rare (export "rare"))
                (func $hot (export "hot") (call $imp))
                (func $main (export "main") (call $hot) (call $hot) (call $rare))
                (elem declare func $hot))"#);
        m.names = Some(wtool_ast::Names {
            funcs: vec![
                (0, "imp".into()),
                (1, "rare".into()),
                (2, "hot".into()),
                (3, "main".into()),
            ],
            ..Default::default()
        });
        assert!(ReorderFunctions.run(&mut m, &PassOptions::default()));
        assert_valid(&m);
        // hot (2 calls + 1 declaration) first, then rare (1 call), then main.
        assert_eq!(m.funcs[0].body.instrs, vec![Instr::Call(0), Instr::End]);
        assert_eq!(
            m.funcs[2].body.instrs,
            vec![Instr::Call(1), Instr::Call(1), Instr::Call(2), Instr::End]
        );
        let ex: Vec<(String, u32)> = m
            .exports
            .iter()
            .map(|e| (e.name.clone(), e.index))
            .collect();
        assert_eq!(
            ex,
            [
                ("rare".to_string(), 2),
                ("hot".to_string(), 1),
                ("main".to_string(), 3)
            ]
        );
        let names: Vec<u32> = m
            .names
            .as_ref()
            .unwrap()
            .funcs
            .iter()
            .map(|(i, _)| *i)
            .collect();
        assert_eq!(names, [0, 1, 2, 3]);
        assert_eq!(m.names.as_ref().unwrap().funcs[1].1, "hot");
        assert!(!ReorderFunctions.run(&mut m, &PassOptions::default()));
    }
}

//! duplicate-import-elimination: two function imports with the same module
//! name, field name and type (and the same exactness) resolve to the same
//! function, so the later one goes and everything naming it — calls,
//! `ref.func`, element segments, exports, the start function and the name
//! section — names the first. Later functions move down one index per import
//! removed before them.

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use crate::util::{forget_raw_names, remap_func_indices, remap_func_names};
use std::collections::HashMap;
use wtool_ast::{ImportDesc, Module};

/// See the module docs.
pub struct DuplicateImportElimination;

impl Pass for DuplicateImportElimination {
    fn name(&self) -> &'static str {
        "duplicate-import-elimination"
    }
    fn description(&self) -> &'static str {
        "merge function imports with the same module, name and type into one"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            changes_index_spaces: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, _opts: &PassOptions) -> bool {
        // For each function import (by function index): the index of the
        // first import it duplicates, if any.
        let mut first: HashMap<(&str, &str, u32, bool), u32> = HashMap::new();
        let mut dup_of: Vec<Option<u32>> = Vec::new();
        for imp in &m.imports {
            if let ImportDesc::Func(t) = imp.desc {
                let me = dup_of.len() as u32;
                let key = (imp.module.as_str(), imp.name.as_str(), t, imp.exact);
                dup_of.push(match first.get(&key) {
                    Some(&c) => Some(c),
                    None => {
                        first.insert(key, me);
                        None
                    }
                });
            }
        }
        if dup_of.iter().all(Option::is_none) {
            return false;
        }
        // new_index[old] for the imports; defined functions shift down by
        // the number of imports removed.
        let mut new_index: Vec<u32> = Vec::with_capacity(dup_of.len());
        let mut kept = 0u32;
        for d in &dup_of {
            match d {
                // The first copy comes earlier, so its new index is known.
                Some(c) => new_index.push(new_index[*c as usize]),
                None => {
                    new_index.push(kept);
                    kept += 1;
                }
            }
        }
        let nimp = dup_of.len() as u32;
        let removed = nimp - kept;
        let remap = |i: u32| match new_index.get(i as usize) {
            Some(&j) => j,
            None => i - removed,
        };
        let mut k = 0usize;
        m.imports.retain(|imp| {
            if !matches!(imp.desc, ImportDesc::Func(_)) {
                return true;
            }
            k += 1;
            dup_of[k - 1].is_none()
        });
        remap_func_indices(m, bodies, &remap);
        remap_func_names(m, &|i| match dup_of.get(i as usize) {
            Some(Some(_)) => None,
            _ => Some(remap(i)),
        });
        forget_raw_names(m);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, wat};
    use wtool_ast::{ElemItems, Instr, Names};

    #[test]
    fn duplicates_merge_and_everything_follows() {
        let mut m = wat(r#"(module
                (type $v (func))
                (import "env" "f" (func $a))
                (import "env" "g" (func $b (param i32)))
                (import "env" "f" (func $c))
                (import "other" "f" (func $d))
                (table 2 funcref)
                (elem (i32.const 0) func $c $main)
                (func $main (export "main") (call $c) (call $a) (i32.const 1) (call $b) (call $d))
                (func $r (export "r") (result funcref) (ref.func $c))
                (export "c" (func $c))
                (start $c))"#);
        m.names = Some(Names {
            funcs: vec![
                (0, "a".into()),
                (1, "b".into()),
                (2, "c".into()),
                (3, "d".into()),
                (4, "main".into()),
            ],
            ..Default::default()
        });
        assert!(DuplicateImportElimination.run(&mut m, &PassOptions::default()));
        assert_valid(&m);
        assert_eq!(m.imports.len(), 3);
        assert_eq!(
            m.funcs[0].body.instrs,
            vec![
                Instr::Call(0),
                Instr::Call(0),
                Instr::I32Const(1),
                Instr::Call(1),
                Instr::Call(2),
                Instr::End
            ]
        );
        assert_eq!(m.funcs[1].body.instrs, vec![Instr::RefFunc(0), Instr::End]);
        assert!(matches!(&m.elems[0].items, ElemItems::Funcs(f) if f == &[0, 3]));
        let exports: Vec<u32> = m.exports.iter().map(|e| e.index).collect();
        assert_eq!(exports, [3, 4, 0]);
        assert_eq!(m.start, Some(0));
        assert_eq!(
            m.names.as_ref().unwrap().funcs,
            vec![
                (0, "a".into()),
                (1, "b".into()),
                (2, "d".into()),
                (3, "main".into())
            ]
        );
        assert!(!DuplicateImportElimination.run(&mut m, &PassOptions::default()));
    }

    #[test]
    fn different_types_stay_apart() {
        let mut m = wat(r#"(module
                (import "env" "f" (func $a))
                (import "env" "f" (func $b (param i32)))
                (func (export "main") (call $a) (i32.const 0) (call $b)))"#);
        assert!(!DuplicateImportElimination.run(&mut m, &PassOptions::default()));
        assert_eq!(m.imports.len(), 2);
    }
}

//! directize: `i32.const k; call_indirect (type t) T` becomes `call f` when
//! the slot `k` of table `T` is known to hold function `f` whenever the call
//! runs, and `f` has type index `t` (so the signature check passes).
//!
//! A table's contents are known only when nothing but its active element
//! segments ever writes it: it is defined here (not imported), not exported,
//! has no explicit initial element, uses 32-bit indices, and no body holds a
//! `table.set`, `table.grow`, `table.fill`, `table.init` or a `table.copy`
//! into it. Its active segments, applied in order at constant offsets, then
//! give every slot. A slot that is out of bounds or null, or a function of
//! another type index, is left alone: the call keeps trapping (or, for
//! another index of an equal type, succeeding) exactly as before.

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions, PassProperties};
use crate::util::for_each_body;
use std::collections::HashMap;
use wtool_ast::{ElemItems, ElemMode, ExternKind, Instr, Module};

/// See the module docs.
pub struct Directize;

/// What instantiation leaves in one slot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// `ref.null`.
    Null,
    /// This function.
    Func(u32),
}

/// A table whose slots are all known: its size and the non-null slots.
struct Known {
    size: u64,
    slots: HashMap<u64, Slot>,
}

impl Pass for Directize {
    fn name(&self) -> &'static str {
        "directize"
    }
    fn description(&self) -> &'static str {
        "turn call_indirect through a constant slot of a never-written table into a direct call"
    }
    fn properties(&self) -> PassProperties {
        PassProperties {
            changes_bodies: true,
            ..Default::default()
        }
    }
    fn run(&mut self, m: &mut Module, opts: &PassOptions) -> bool {
        crate::pass::run_open(self, m, opts)
    }
    fn run_with(&mut self, m: &mut Module, bodies: &mut Bodies, _opts: &PassOptions) -> bool {
        let tables = known_tables(m, bodies);
        if tables.is_empty() {
            return false;
        }
        let nfuncs = m.num_imported(ExternKind::Func) as u64 + m.funcs.len() as u64;
        for_each_body(m, bodies, |ctx, instrs| {
            let mut changed = false;
            let mut i = 1;
            while i < instrs.len() {
                let (Instr::CallIndirect { type_idx, table }
                | Instr::ReturnCallIndirect { type_idx, table }) = instrs[i]
                else {
                    i += 1;
                    continue;
                };
                let Instr::I32Const(k) = instrs[i - 1] else {
                    i += 1;
                    continue;
                };
                let target = tables
                    .get(&table)
                    .filter(|t| (k as u32 as u64) < t.size)
                    .and_then(|t| t.slots.get(&(k as u32 as u64)));
                match target {
                    Some(&Slot::Func(f))
                        if (f as u64) < nfuncs && ctx.module.func_type_idx(f) == Some(type_idx) =>
                    {
                        instrs[i] = if matches!(instrs[i], Instr::CallIndirect { .. }) {
                            Instr::Call(f)
                        } else {
                            Instr::ReturnCall(f)
                        };
                        // The index operand was the constant right before.
                        instrs.remove(i - 1);
                        changed = true;
                    }
                    _ => i += 1,
                }
            }
            changed
        })
    }
}

/// The tables (by index) whose every slot is fixed at instantiation and
/// never changes afterwards.
fn known_tables(m: &Module, bodies: &Bodies) -> HashMap<u32, Known> {
    let nimp = m.num_imported(ExternKind::Table);
    let mut out: HashMap<u32, Known> = HashMap::new();
    for (d, t) in m.tables.iter().enumerate() {
        if t.init.is_none() && !t.ty.index64 {
            out.insert(
                nimp + d as u32,
                Known {
                    size: t.ty.limits.min,
                    slots: HashMap::new(),
                },
            );
        }
    }
    for e in &m.exports {
        if e.kind == ExternKind::Table {
            out.remove(&e.index);
        }
    }
    bodies.scan(m, |_, instrs| {
        for ins in instrs {
            match ins {
                Instr::TableSet(t) | Instr::TableGrow(t) | Instr::TableFill(t) => {
                    out.remove(t);
                }
                Instr::TableInit { table, .. } => {
                    out.remove(table);
                }
                Instr::TableCopy { dst_table, .. } => {
                    out.remove(dst_table);
                }
                _ => {}
            }
        }
    });
    // Active segments in order: later ones overwrite earlier ones.
    for e in &m.elems {
        let ElemMode::Active { table, offset } = &e.mode else {
            continue;
        };
        let Some(known) = out.get_mut(table) else {
            continue;
        };
        let start = match offset.instrs.as_slice() {
            [Instr::I32Const(o), Instr::End] => *o as u32 as u64,
            // An offset read from a global: unknown slots.
            _ => {
                out.remove(table);
                continue;
            }
        };
        let n = e.items.len() as u64;
        if start + n > known.size {
            // Instantiation traps; nothing ever runs against this table.
            out.remove(table);
            continue;
        }
        let mut ok = true;
        for k in 0..n {
            let slot = match &e.items {
                ElemItems::Funcs(fs) => Slot::Func(fs[k as usize]),
                ElemItems::Exprs(es) => match es[k as usize].instrs.as_slice() {
                    [Instr::RefFunc(f), Instr::End] => Slot::Func(*f),
                    [Instr::RefNull(_), Instr::End] => Slot::Null,
                    _ => {
                        ok = false;
                        break;
                    }
                },
            };
            known.slots.insert(start + k, slot);
        }
        if !ok {
            out.remove(table);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_valid, wat};

    fn run(src: &str) -> (bool, Module) {
        let mut m = wat(src);
        let changed = Directize.run(&mut m, &PassOptions::default());
        assert_valid(&m);
        (changed, m)
    }

    const FUNCS: &str = r#"
        (type $i (func (result i32)))
        (type $ii (func (param i32) (result i32)))
        (func $one (type $i) (i32.const 1))
        (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))"#;

    #[test]
    fn constant_slot_becomes_direct_call() {
        let (changed, m) = run(&format!(
            r#"(module {FUNCS}
                (table 4 funcref)
                (elem (i32.const 1) func $one $inc)
                (func (export "a") (result i32)
                    (call_indirect (type $i) (i32.const 1))
                    (call_indirect (type $ii) (i32.const 2))))"#
        ));
        assert!(changed);
        assert_eq!(
            m.funcs[2].body.instrs,
            vec![Instr::Call(0), Instr::Call(1), Instr::End]
        );
    }

    #[test]
    fn later_segments_overwrite_earlier_ones() {
        let (changed, m) = run(&format!(
            r#"(module {FUNCS}
                (table 2 funcref)
                (elem (i32.const 0) func $inc)
                (elem (i32.const 0) funcref (ref.func $one))
                (func (export "a") (result i32) (call_indirect (type $i) (i32.const 0))))"#
        ));
        assert!(changed);
        assert_eq!(m.funcs[2].body.instrs, vec![Instr::Call(0), Instr::End]);
    }

    #[test]
    fn trapping_calls_stay() {
        // Wrong type, null slot, out of bounds: each keeps its trap.
        let (changed, _) = run(&format!(
            r#"(module {FUNCS}
                (table 3 funcref)
                (elem (i32.const 0) func $inc)
                (func (export "a") (result i32)
                    (drop (call_indirect (type $i) (i32.const 0)))
                    (drop (call_indirect (type $i) (i32.const 1)))
                    (call_indirect (type $i) (i32.const 7))))"#
        ));
        assert!(!changed);
    }

    #[test]
    fn written_exported_or_imported_tables_stay() {
        for table in [
            "(table $t (export \"t\") 2 funcref)",
            "(import \"e\" \"t\" (table $t 2 funcref))",
            "(table $t 2 funcref) (func (table.set $t (i32.const 0) (ref.null func)))",
            "(table $t 2 funcref) (func (drop (table.grow $t (ref.null func) (i32.const 1))))",
            "(table $t 2 funcref) (func (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1)))",
            "(import \"e\" \"g\" (global $g i32)) (table $t 2 funcref) (elem (table $t) (global.get $g) func $one)",
        ] {
            let (changed, _) = run(&format!(
                r#"(module {table} {FUNCS}
                    (elem (table $t) (i32.const 0) func $one)
                    (func (export "a") (result i32) (call_indirect $t (type $i) (i32.const 0))))"#
            ));
            assert!(!changed, "{table}");
        }
    }
}

//! Mark and sweep over the heap's entry table (see the module docs for the
//! roots and why the value stack may be scanned conservatively).

use super::{Heap, Scan, EXN, FREE, OBJ_OVERHEAD};
use crate::store::Store;

impl Heap {
    /// Marks the object `v` names, if any, queueing it for scanning.
    #[inline]
    fn mark(&self, marks: &mut [bool], work: &mut Vec<u32>, v: u64) {
        if let Some(i) = self.index(v) {
            if !marks[i] {
                marks[i] = true;
                work.push(i as u32);
            }
        }
    }

    /// Marks everything reachable from the queued objects.
    fn trace(&self, marks: &mut [bool], work: &mut Vec<u32>) {
        while let Some(i) = work.pop() {
            let o = &self.objs[i as usize];
            // An exception's values are untyped here: every slot that
            // names an object keeps it (as on the value stack).
            let scan = if o.ty == EXN {
                Some(&Scan::All)
            } else {
                self.scans.get(o.ty as usize).and_then(Option::as_ref)
            };
            match scan {
                Some(Scan::All) => {
                    for &v in o.data.iter() {
                        self.mark(marks, work, v);
                    }
                }
                Some(Scan::Slots(slots)) => {
                    for &s in slots.iter() {
                        if let Some(&v) = o.data.get(s as usize) {
                            self.mark(marks, work, v);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Frees every unmarked object; returns the bytes still live.
    fn sweep(&mut self, marks: &[bool]) -> usize {
        let mut live = 0;
        for (i, o) in self.objs.iter_mut().enumerate() {
            if o.ty == FREE {
                continue;
            }
            if marks[i] {
                live += OBJ_OVERHEAD + o.data.len() * 8;
            } else {
                o.ty = FREE;
                o.len = 0;
                o.data = Box::new([]);
                o.gen = o.gen.wrapping_add(1);
                self.free.push(i as u32);
            }
        }
        // Reuse low indices first: the table's tail then stays free and
        // can be given back.
        while self.objs.last().is_some_and(|o| o.ty == FREE) {
            self.objs.pop();
        }
        let n = self.objs.len() as u32;
        self.free.retain(|&i| i < n);
        self.free.sort_unstable_by(|a, b| b.cmp(a));
        if self.objs.capacity() > 2 * self.objs.len() + 1024 {
            self.objs.shrink_to(self.objs.len() + self.objs.len() / 2);
        }
        live
    }
}

/// Collects the store's heap if allocation since the last collection calls
/// for it (see [`collect`]).
pub(crate) fn maybe_collect(store: &mut Store, stack: &[u64]) {
    if store.heap.wants_collection() {
        collect(store, stack);
    }
}

/// Collects the store's heap. `stack` is the live part of the value stack
/// of the running invocation (everything below its top).
pub(crate) fn collect(store: &mut Store, stack: &[u64]) {
    let heap = &store.heap;
    let mut marks = vec![false; heap.objs.len()];
    let mut work = Vec::new();
    // The value stack: untyped, so every slot that names a live object
    // by index and generation counts.
    for &v in stack {
        heap.mark(&mut marks, &mut work, v);
    }
    for g in &store.globals {
        if matches!(g.ty.ty, wtool_ast::ValType::Ref(_)) {
            heap.mark(&mut marks, &mut work, g.lo);
        }
    }
    for t in &store.tables {
        for &v in t.elems.iter() {
            heap.mark(&mut marks, &mut work, v);
        }
    }
    for e in &store.elems {
        for &v in e {
            heap.mark(&mut marks, &mut work, v);
        }
    }
    heap.trace(&mut marks, &mut work);
    let heap = &mut store.heap;
    heap.live = heap.sweep(&marks);
    heap.allocated = 0;
    heap.collections += 1;
}

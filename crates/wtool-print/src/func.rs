//! One defined function: its header, locals and body.

use wtool_ast::ExternKind;

use crate::items::MAX_LOCALS;
use crate::names::Space;
use crate::num;
use crate::Printer;

/// Instructions a reused body buffer may keep room for (about 1 MB).
const KEEP_INSTRS: usize = 1 << 16;

impl Printer<'_, '_> {
    /// Prints defined function `k`; false when its body did not decode
    /// (then `body_error` says why and output is off).
    pub(crate) fn func(&mut self, k: usize) -> bool {
        let Some(f) = self.m.funcs.get(k) else {
            return true;
        };
        let base = self.imported(ExternKind::Func);
        {
            let idx = base.wrapping_add(k as u32);
            self.newline(1);
            // Counted, not searched for in `out`: streaming may flush it mid-function.
            let lines_at_start = self.newlines;
            self.out.push_str("(func");
            self.push_def(|ids| &ids.funcs, idx);
            self.inline_exports(ExternKind::Func, idx);
            let nparams = self
                .m
                .func_type(f.type_idx)
                .map_or(0, |t| t.params.len() as u64);
            let locals = self.func_locals(idx, nparams + f.num_locals());
            self.push_typeuse(f.type_idx, Some(&locals));
            // Locals keep the binary's grouping: one `(local …)` per group,
            // split per local only where names must be attached.
            let mut li = nparams;
            let locals_at = if f.locals.is_empty() {
                None
            } else {
                self.newline(2);
                Some(self.out.len())
            };
            if self.nested.is_some() && f.num_locals() <= MAX_LOCALS {
                // wasmprinter's layout: one `(local …)` for a run of
                // unnamed locals whatever the binary's grouping, each
                // named local alone.
                let mut open = false;
                for (j, t) in f
                    .locals
                    .iter()
                    .flat_map(|g| (0..g.count).map(move |_| g.ty))
                    .enumerate()
                {
                    let id = u32::try_from(nparams + j as u64)
                        .ok()
                        .and_then(|x| locals.get(x));
                    if id.is_some() && open {
                        self.out.push(')');
                        open = false;
                    }
                    self.out.push(' ');
                    if !open {
                        self.out.push_str("(local ");
                        open = true;
                    }
                    if let Some(id) = id {
                        self.out.push_str(&id.text);
                        if let Some(a) = &id.annot {
                            self.out.push(' ');
                            self.out.push_str(a);
                        }
                        self.out.push(' ');
                    }
                    self.push_valtype(t);
                    if id.is_some() {
                        self.out.push(')');
                        open = false;
                    }
                }
                if open {
                    self.out.push(')');
                }
            }
            let grouped = self.nested.is_none() || f.num_locals() > MAX_LOCALS;
            for g in f.locals.iter().filter(|_| grouped) {
                if f.num_locals() > MAX_LOCALS {
                    // A few bytes of binary can declare 2^32 locals; written
                    // out they would be gigabytes of text. No engine accepts
                    // that many (the usual limit is 50,000), so the run is
                    // summarised in a comment instead (this text no longer
                    // round-trips, as the module cannot be instantiated).
                    self.out.push_str(" (; ");
                    num::push_u32(&mut self.out, g.count);
                    self.out.push_str(" locals of type ");
                    self.push_valtype(g.ty);
                    self.out.push_str(" ;)");
                    continue;
                }
                let named = !locals.is_empty()
                    && (0..u64::from(g.count)).any(|j| {
                        u32::try_from(li + j)
                            .ok()
                            .and_then(|x| locals.get(x))
                            .is_some()
                    });
                if !named {
                    self.out.push_str(" (local");
                    for _ in 0..g.count {
                        self.out.push(' ');
                        self.push_valtype(g.ty);
                    }
                    self.out.push(')');
                } else {
                    for j in 0..u64::from(g.count) {
                        self.out.push_str(" (local ");
                        if let Some(id) = u32::try_from(li + j).ok().and_then(|x| locals.get(x)) {
                            self.out.push_str(&id.text);
                            if let Some(a) = &id.annot {
                                self.out.push(' ');
                                self.out.push_str(a);
                            }
                            self.out.push(' ');
                        }
                        self.push_valtype(g.ty);
                        self.out.push(')');
                    }
                }
                li += u64::from(g.count);
            }
            // Every declaration above starts with a separating space; the
            // first one on the new line does not need it.
            if let Some(at) = locals_at {
                if self.out.as_bytes().get(at) == Some(&b' ') {
                    self.out.remove(at);
                }
            }
            self.locals = locals;
            let results = self.m.func_type(f.type_idx).map(|t| t.results.len() as u32);
            match self.bodies {
                Some(src) if f.body.instrs.is_empty() => match src(k as u32, &mut self.lazy_body) {
                    Ok(()) => {
                        let body = std::mem::take(&mut self.lazy_body);
                        self.labels = self.func_labels(idx, Some(&body));
                        self.func_body(&body, results);
                        // The buffers are reused for the next body, unless
                        // this one was an outlier that would keep them big.
                        if body.instrs.capacity() <= KEEP_INSTRS {
                            self.lazy_body = body;
                        }
                        self.scratch.trim(KEEP_INSTRS);
                    }
                    Err(e) => {
                        // Nothing after a broken body is written.
                        self.body_error = Some(e);
                        self.sink_off();
                        return false;
                    }
                },
                _ => {
                    self.labels = self.func_labels(idx, Some(&f.body));
                    self.func_body(&f.body, results);
                }
            }
            self.locals = Space::default();
            self.labels = Space::default();
            if self.nested.is_some() {
                // wasmprinter closes a function spanning lines on a line of
                // its own.
                if self.newlines != lines_at_start {
                    self.newline(1);
                }
            } else if let Some(d) = self.open_line_comment {
                self.newline(d);
            }
            self.out.push(')');
        }
        true
    }
}

//! Printing the functions of a streamed module on several threads.
//!
//! Functions are cut into windows of [`WINDOW`]; each worker keeps one
//! printer for the whole run (building one costs a pass over the names)
//! and takes the next window, printing it into a buffer of its own. The
//! calling thread writes the buffers strictly in window order, so the
//! output is byte for byte the single-threaded one. Workers run at most
//! `AHEAD` windows per thread ahead of the writer, so memory stays bounded
//! whatever the module's size.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use wtool_binary::DecodeError;

use crate::Printer;

/// Functions per unit of work.
pub(crate) const WINDOW: usize = 64;

/// Windows per thread that may be printed but not yet written.
const AHEAD: usize = 2;

/// A printed window.
struct Done {
    text: String,
    /// Exports written inline by this window (`inline_exports`).
    inlined: Vec<usize>,
    /// The body that did not decode, if one did not.
    error: Option<DecodeError>,
}

#[derive(Default)]
struct State {
    /// The next window to hand out.
    next: usize,
    /// Windows written so far.
    written: usize,
    done: BTreeMap<usize, Done>,
    /// The writer stopped (a body did not decode).
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A worker that panicked re-raises through the scope; the state it
        // left is still consistent for the others to finish.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, g: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed.wait(g).unwrap_or_else(|e| e.into_inner())
    }
}

impl Printer<'_, '_> {
    /// [`Printer::func`] for every defined function, on `self.threads`
    /// workers, written in order through `self`'s sink.
    pub(crate) fn funcs_parallel(&mut self) {
        let n = self.m.funcs.len();
        let windows = n.div_ceil(WINDOW);
        let limit = AHEAD * self.threads;
        let shared = Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        };
        let (m, opts, bodies) = (self.m, self.opts, self.bodies);
        std::thread::scope(|s| {
            for _ in 0..self.threads {
                let shared = &shared;
                s.spawn(move || {
                    let mut p = Printer::new(m, &opts, None);
                    p.bodies = bodies;
                    loop {
                        let j = {
                            let mut g = shared.lock();
                            while !g.stop && g.next < windows && g.next >= g.written + limit {
                                g = shared.wait(g);
                            }
                            if g.stop || g.next >= windows {
                                return;
                            }
                            g.next += 1;
                            g.next - 1
                        };
                        p.out.clear();
                        p.inlined.iter_mut().for_each(|x| *x = false);
                        let mut error = None;
                        for k in j * WINDOW..((j + 1) * WINDOW).min(n) {
                            if !p.func(k) {
                                error = p.body_error.take();
                                break;
                            }
                        }
                        let done = Done {
                            text: std::mem::take(&mut p.out),
                            inlined: (0..p.inlined.len()).filter(|&i| p.inlined[i]).collect(),
                            error,
                        };
                        shared.lock().done.insert(j, done);
                        shared.changed.notify_all();
                    }
                });
            }
            for j in 0..windows {
                let done = {
                    let mut g = shared.lock();
                    loop {
                        if let Some(d) = g.done.remove(&j) {
                            break d;
                        }
                        g = shared.wait(g);
                    }
                };
                for i in done.inlined {
                    if let Some(x) = self.inlined.get_mut(i) {
                        *x = true;
                    }
                }
                if let Some(e) = done.error {
                    self.body_error = Some(e);
                    self.sink_off();
                    shared.lock().stop = true;
                    shared.changed.notify_all();
                    return;
                }
                self.out.push_str(&done.text);
                self.maybe_flush();
                shared.lock().written = j + 1;
                shared.changed.notify_all();
            }
        });
    }
}

//! Printing the functions of a streamed module on several threads.
//!
//! Functions are cut into windows of at most [`WINDOW`] functions and
//! [`WINDOW_BYTES`] of code (a function bigger than that is a window of its
//! own); each worker keeps one printer for the whole run (building one
//! costs a pass over the names) and takes the next window, printing it
//! into a buffer of its own. The calling thread writes the buffers
//! strictly in window order, straight to the output, so the output is byte
//! for byte the single-threaded one. Workers run at most `AHEAD` windows
//! per thread ahead of the writer, so the text waiting to be written is
//! bounded by the code it comes from, whatever the module's size. A
//! function of more than [`DIRECT_BYTES`] of code is printed by the writer
//! itself when its turn comes, straight to the output, and so is a window
//! whose text grows past [`TEXT_CAP`] in a worker (the worker drops it):
//! no window's text is ever held whole past that size.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use wtool_binary::DecodeError;

use crate::Printer;

/// Functions per unit of work.
pub(crate) const WINDOW: usize = 64;

/// Code bytes per unit of work (their text is some ten times more).
const WINDOW_BYTES: u64 = 16 * 1024;

/// Code bytes above which a function is printed by the writer.
const DIRECT_BYTES: u32 = 64 * 1024;

/// Text a worker may buffer for one window (some code prints to a hundred
/// times its size).
const TEXT_CAP: usize = 512 << 10;

/// The first function of each window, then the number of functions.
fn window_starts(sizes: impl Iterator<Item = u32>) -> Vec<usize> {
    let mut starts = vec![0];
    let (mut count, mut bytes) = (0usize, 0u64);
    let mut n = 0;
    for (k, size) in sizes.enumerate() {
        if count == WINDOW || (count > 0 && bytes + u64::from(size) > WINDOW_BYTES) {
            starts.push(k);
            (count, bytes) = (0, 0);
        }
        count += 1;
        bytes += u64::from(size);
        n = k + 1;
    }
    if n > 0 {
        starts.push(n);
    } else {
        starts.clear();
    }
    starts
}

/// Windows per thread that may be printed but not yet written.
const AHEAD: usize = 2;

/// A printed window.
struct Done {
    text: String,
    /// Exports written inline by this window (`inline_exports`).
    inlined: Vec<usize>,
    /// The body that did not decode, if one did not.
    error: Option<DecodeError>,
    /// The text grew past [`TEXT_CAP`]: the writer prints the window.
    spilled: bool,
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
        let starts = window_starts(self.m.funcs.iter().map(|f| f.size));
        let windows = starts.len().saturating_sub(1);
        let direct: Vec<bool> = (0..windows)
            .map(|j| {
                starts[j + 1] - starts[j] == 1
                    && self
                        .m
                        .funcs
                        .get(starts[j])
                        .is_some_and(|f| f.size > DIRECT_BYTES)
            })
            .collect();
        let (starts, direct) = (&starts, &direct);
        let limit = AHEAD * self.threads;
        let shared = Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        };
        let (m, opts, bodies, namer) = (self.m, self.opts, self.bodies, self.namer);
        let ids = std::sync::Arc::clone(&self.ids);
        let ids = &ids;
        std::thread::scope(|s| {
            for _ in 0..self.threads {
                let shared = &shared;
                s.spawn(move || {
                    let mut p = Printer::with_ids(m, &opts, None, ids.clone());
                    p.bodies = bodies;
                    p.namer = namer;
                    p.cap = Some(TEXT_CAP);
                    loop {
                        let j = {
                            let mut g = shared.lock();
                            loop {
                                while g.next < windows && direct[g.next] {
                                    g.next += 1;
                                }
                                if g.stop || g.next >= windows || g.next < g.written + limit {
                                    break;
                                }
                                g = shared.wait(g);
                            }
                            if g.stop || g.next >= windows {
                                return;
                            }
                            g.next += 1;
                            g.next - 1
                        };
                        p.out.clear();
                        if opts.inline_exports {
                            p.inlined.iter_mut().for_each(|x| *x = false);
                        }
                        let mut error = None;
                        p.spilled = false;
                        for k in starts[j]..starts[j + 1] {
                            if !p.func(k) {
                                error = p.body_error.take();
                                break;
                            }
                            p.maybe_flush();
                            if p.spilled {
                                break;
                            }
                        }
                        let done = Done {
                            text: std::mem::take(&mut p.out),
                            inlined: if opts.inline_exports {
                                (0..p.inlined.len()).filter(|&i| p.inlined[i]).collect()
                            } else {
                                Vec::new()
                            },
                            error,
                            spilled: p.spilled,
                        };
                        shared.lock().done.insert(j, done);
                        shared.changed.notify_all();
                    }
                });
            }
            for j in 0..windows {
                let done = if direct[j] {
                    None
                } else {
                    let mut g = shared.lock();
                    loop {
                        if let Some(d) = g.done.remove(&j) {
                            break Some(d);
                        }
                        g = shared.wait(g);
                    }
                };
                // A big function, or a window whose text got too big for a
                // worker to hold: printed here, straight to the output.
                if done.as_ref().is_none_or(|d| d.spilled && d.error.is_none()) {
                    for k in starts[j]..starts[j + 1] {
                        if !self.func(k) {
                            shared.lock().stop = true;
                            shared.changed.notify_all();
                            return;
                        }
                        self.maybe_flush();
                    }
                    shared.lock().written = j + 1;
                    shared.changed.notify_all();
                    continue;
                }
                let Some(done) = done else { continue };
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
                self.write_through(&done.text);
                shared.lock().written = j + 1;
                shared.changed.notify_all();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cut_by_count_and_by_code_size() {
        assert!(window_starts(std::iter::empty()).is_empty());
        assert_eq!(window_starts([10u32; 3].into_iter()), [0, 3]);
        let many = window_starts(std::iter::repeat_n(1u32, 2 * WINDOW + 1));
        assert_eq!(many, [0, WINDOW, 2 * WINDOW, 2 * WINDOW + 1]);
        // A big function is a window of its own; small ones fill up to the budget.
        let big = WINDOW_BYTES as u32 * 3;
        let half = WINDOW_BYTES as u32 / 2;
        assert_eq!(
            window_starts([1, big, half, half, half, 1].into_iter()),
            [0, 1, 2, 4, 6]
        );
    }
}

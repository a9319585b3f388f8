//! Translating functions ahead of their first call, on a second thread.
//!
//! A large program (a compiler, say) runs thousands of functions only a few
//! times each, and translating them on first call costs it a sixth of its run
//! time. When a function first runs, the functions it calls directly are the
//! likeliest to run next, so the main thread hands them to a worker that
//! translates them meanwhile; the main thread then usually finds a callee's
//! code ready and only takes it. Each function is translated at most once by
//! either thread: the main thread translates a function itself unless the
//! worker has it ready or in hand (then it waits, which is shorter than
//! starting over).

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crate::code::FuncCode;
use crate::compiled::Source;

/// Where a function is in its translation ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Nobody has asked for it.
    Idle,
    /// In the worker's queue.
    Queued,
    /// The worker is translating it.
    Working,
    /// Translated by the worker, not yet taken.
    Ready,
    /// The main thread has it (taken, or translating it itself).
    Taken,
}

/// The state both threads share, behind one lock (taken once per function
/// translation, so it is never contended for long).
struct State {
    status: Vec<Status>,
    ready: Vec<Option<Box<FuncCode>>>,
    /// Functions to translate, a stack: the latest request is the likeliest
    /// to be called next (calls nest).
    queue: Vec<u32>,
    /// Set when the module is dropped: the worker stops.
    closed: bool,
    /// How many translations the main thread took ready-made.
    hits: u64,
}

impl State {
    /// Queues the idle ones of `funcs`; whether any was queued.
    fn enqueue(&mut self, funcs: &[u32]) -> bool {
        let mut any = false;
        // The top is taken first: the first callee goes there last.
        for &f in funcs.iter().rev() {
            if self.status.get(f as usize) == Some(&Status::Idle) {
                self.status[f as usize] = Status::Queued;
                self.queue.push(f);
                any = true;
            }
        }
        any
    }
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when the queue grows, a translation is done, or on close.
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave `State` half-updated (every update
        // is a plain store), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The main thread's handle on the translate-ahead worker; dropping it
/// stops the worker.
pub(crate) struct Ahead {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Ahead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ahead")
    }
}

impl Ahead {
    /// Starts a worker translating `src`'s functions (unmetered) on request;
    /// `None` if no thread could be started.
    pub(crate) fn start(src: Arc<Source>, funcs: usize) -> Option<Ahead> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                status: vec![Status::Idle; funcs],
                ready: (0..funcs).map(|_| None).collect(),
                queue: Vec::new(),
                closed: false,
                hits: 0,
            }),
            changed: Condvar::new(),
        });
        let theirs = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("wtool-translate".into())
            .spawn(move || work(&src, &theirs))
            .ok()?;
        Some(Ahead { shared })
    }

    /// The worker's translation of defined function `defined`, waiting for
    /// it if the worker has started it; `None` when the caller should
    /// translate it itself (the worker will not).
    pub(crate) fn claim(&self, defined: u32) -> Option<Box<FuncCode>> {
        let i = defined as usize;
        let mut st = self.shared.lock();
        loop {
            match st.status.get(i).copied()? {
                Status::Working => {
                    st = self
                        .shared
                        .changed
                        .wait(st)
                        .unwrap_or_else(|e| e.into_inner());
                }
                Status::Ready => {
                    st.status[i] = Status::Taken;
                    st.hits += 1;
                    return st.ready[i].take();
                }
                Status::Idle | Status::Queued | Status::Taken => {
                    st.status[i] = Status::Taken;
                    return None;
                }
            }
        }
    }

    /// Asks for the defined functions `callees` (in the order they are
    /// likely to be called) to be translated.
    pub(crate) fn request(&self, callees: &[u32]) {
        let mut st = self.shared.lock();
        if st.enqueue(callees) {
            self.shared.changed.notify_all();
        }
    }

    /// How many functions the main thread found translated ahead.
    #[cfg(test)]
    pub(crate) fn hits(&self) -> u64 {
        self.shared.lock().hits
    }

    /// Waits until the worker has nothing queued or in hand.
    #[cfg(test)]
    pub(crate) fn settle(&self) {
        let mut st = self.shared.lock();
        while !st.queue.is_empty() || st.status.contains(&Status::Working) {
            // With a timeout: the worker does not signal skipping an entry.
            let wait = self
                .shared
                .changed
                .wait_timeout(st, std::time::Duration::from_millis(5));
            st = wait.unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.changed.notify_all();
    }
}

/// The worker: translates queued functions until the module is dropped.
fn work(src: &Source, shared: &Shared) {
    let mut st = shared.lock();
    loop {
        if st.closed {
            return;
        }
        let Some(f) = st.queue.pop() else {
            st = shared.changed.wait(st).unwrap_or_else(|e| e.into_inner());
            continue;
        };
        if st.status[f as usize] != Status::Queued {
            continue;
        }
        st.status[f as usize] = Status::Working;
        drop(st);
        let code = src.translate(f, false).ok().map(Box::new);
        st = shared.lock();
        // A failed translation goes back to the main thread, which reports it.
        st.status[f as usize] = if code.is_some() {
            Status::Ready
        } else {
            Status::Idle
        };
        st.ready[f as usize] = code;
        shared.changed.notify_all();
    }
}

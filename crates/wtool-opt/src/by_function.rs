//! Running a run of consecutive function-local passes function by function,
//! on several functions at once.
//!
//! Each function's body is decoded from [`Bodies`], goes through every pass
//! of the run, and is encoded again (about two bytes an instruction against
//! sixteen decoded), so only the functions in flight are ever decoded. The
//! module is the same as with the passes run one after the other: a
//! function-local pass on one function reads nothing another
//! function-local pass changes in another one
//! ([`crate::Pass::function_local`]).
//!
//! The functions are taken out of the module ([`crate::pass::FuncUnit`]) and
//! handed out in chunks to a thread pool; each function's result depends on
//! it and the shared module alone, and they are put back by index, so the
//! output is the same bytes whatever the number of threads.

use std::time::{Duration, Instant};

use wtool_ast::Module;

use crate::bodies::Bodies;
use crate::pass::{Pass, PassOptions};
use crate::runner::PassTiming;

/// Runs passes `group` (indices into `passes`, all function-local) over
/// `module`, whose bodies `bodies` holds, function by function, on the
/// bodies' pool; their timings, in `group` order (time summed over the
/// threads).
pub(crate) fn run(
    passes: &mut [Box<dyn Pass>],
    group: &[usize],
    module: &mut Module,
    bodies: &mut Bodies,
    opts: &PassOptions,
) -> Vec<PassTiming> {
    let mut begun = vec![Duration::ZERO; group.len()];
    for (j, &k) in group.iter().enumerate() {
        let t = Instant::now();
        passes[k].begin(module, opts);
        begun[j] = t.elapsed();
    }
    let list: Vec<&dyn Pass> = group.iter().map(|&k| &*passes[k]).collect();
    let (elapsed, changed) = run_units(&list, module, bodies, opts);
    list.iter()
        .zip(begun)
        .zip(elapsed.into_iter().zip(changed))
        .map(|((p, begun), (elapsed, changed))| PassTiming {
            name: p.name(),
            elapsed: begun + elapsed,
            changed,
        })
        .collect()
}

/// Runs `passes` (begun already) on every defined function of `module`,
/// each function through all of them in turn, its body decoded from
/// `bodies` and held there again after. Per pass, the time taken and
/// whether it changed anything.
pub(crate) fn run_units(
    passes: &[&dyn Pass],
    module: &mut Module,
    bodies: &mut Bodies,
    opts: &PassOptions,
) -> (Vec<Duration>, Vec<bool>) {
    let tally = bodies.for_units(module, passes.len(), |shared, unit, tally| {
        let mut any = false;
        for (j, pass) in passes.iter().enumerate() {
            let t = Instant::now();
            let changed = pass.run_function(shared, unit, opts);
            tally.elapsed[j] += t.elapsed();
            tally.changed[j] |= changed;
            any |= changed;
        }
        any
    });
    (tally.elapsed, tally.changed)
}

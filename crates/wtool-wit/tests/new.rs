//! Differential tests of `component new` against wit-component's
//! `ComponentEncoder`: dummy core modules for wit-smith worlds (both name
//! manglings) must get the same verdict, ours must validate, and both
//! components must decode to the same WIT.

#[path = "common/check.rs"]
mod check;
use arbitrary::Unstructured;
use check::{seed_bytes, validate, wit_of};
use wit_component::{ComponentEncoder, DecodedWasm, StringEncoding, WitPrinter};
use wit_parser::{LiftLowerAbi, ManglingAndAbi};

/// A wit-smith package for `seed` (synchronous functions only: the standard
/// mangling has no async ABI yet).
fn smith(seed: u64) -> Option<Vec<u8>> {
    let data = seed_bytes(seed, 4096);
    let mut u = Unstructured::new(&data);
    let config = wit_smith::Config {
        async_: false,
        futures: false,
        streams: false,
        error_context: seed.is_multiple_of(11),
        fixed_length_lists: seed.is_multiple_of(4),
        implements: seed % 2 == 1,
        ..wit_smith::Config::default()
    };
    wit_smith::smith(&config, &mut u).ok()
}

fn count() -> u64 {
    std::env::var("WIT_SMITH_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000)
}

#[test]
fn wit_smith_dummy_modules() {
    let (mut tried, mut same, mut both_reject, mut unsupported) = (0, 0, 0, 0);
    let mut failed = Vec::new();
    for seed in 0..count() {
        let Some(wasm) = smith(seed) else { continue };
        let Ok(DecodedWasm::WitPackage(resolve, pkg)) = wit_component::decode(&wasm) else {
            continue;
        };
        let worlds: Vec<_> = resolve.packages[pkg].worlds.values().copied().collect();
        for (wi, &world) in worlds.iter().enumerate() {
            // Besides its own world, each dummy module is also given the next
            // world's metadata: mostly a mismatch, which both must refuse.
            let metas = [Some(world), worlds.get(wi + 1).copied()];
            for (mangling, meta) in [
                ManglingAndAbi::Standard32,
                ManglingAndAbi::Legacy(LiftLowerAbi::Sync),
            ]
            .into_iter()
            .flat_map(|m| metas.into_iter().flatten().map(move |w| (m, w)))
            {
                let Ok(mut module) = std::panic::catch_unwind(|| {
                    wit_component::dummy_module(&resolve, world, mangling)
                }) else {
                    continue;
                };
                if wit_component::embed_component_metadata(
                    &mut module,
                    &resolve,
                    meta,
                    StringEncoding::UTF8,
                    false,
                )
                .is_err()
                {
                    continue;
                }
                tried += 1;
                // Every fourth seed recognises only the standard names
                // (`--reject-legacy-names`): legacy modules must then fail.
                let reject = seed % 4 == 0;
                let theirs = ComponentEncoder::default()
                    .reject_legacy_names(reject)
                    .module(&module)
                    .and_then(|e| e.validate(true).encode());
                let options = wtool_wit::new::NewOptions {
                    reject_legacy_names: reject,
                    ..Default::default()
                };
                let ours = wtool_wit::new::new_component_with(&module, &[], &options);
                let tag = format!(
                    "seed {seed} world {world:?} metadata {meta:?} {mangling:?} reject-legacy {reject}"
                );
                match (theirs, ours) {
                    (Ok(t), Ok(o)) => {
                        if let Err(e) = validate(&o) {
                            failed.push(format!("{tag}: ours invalid: {e}"));
                            continue;
                        }
                        match (wit_of(&t), wit_of(&o)) {
                            (Ok(a), Ok(b)) if a == b => same += 1,
                            (a, b) => failed.push(format!("{tag}: WIT differs:\n{a:?}\n{b:?}")),
                        }
                    }
                    (Err(_), Err(_)) => both_reject += 1,
                    (Ok(_), Err(e)) if e.0.contains("not supported") => {
                        if std::env::var("SHOW_UNSUPPORTED").is_ok() {
                            println!("unsupported: {tag}: {}", e.0);
                        }
                        unsupported += 1
                    }
                    (t, o) => failed.push(format!(
                        "{tag}: verdicts differ: theirs {:?} ours {:?}",
                        t.map(|_| ()).map_err(|e| format!("{e:#}")),
                        o.map(|_| ())
                    )),
                }
            }
        }
    }
    println!(
        "component new: {tried} modules, {same} same WIT, {both_reject} both rejected, \
         {unsupported} unsupported by ours, {} failed",
        failed.len()
    );
    for f in failed.iter().take(5) {
        println!("{f}");
    }
    assert!(failed.is_empty(), "{} failures", failed.len());
}

#[test]
#[ignore]
fn debug_seed() {
    let seed: u64 = std::env::var("SEED").unwrap().parse().unwrap();
    let wasm = smith(seed).unwrap();
    let Ok(DecodedWasm::WitPackage(resolve, pkg)) = wit_component::decode(&wasm) else {
        panic!()
    };
    let mut p = WitPrinter::default();
    p.print(&resolve, pkg, &[]).unwrap();
    println!("{}", p.output);
    for (_, world) in resolve.packages[pkg].worlds.clone() {
        let mut module = wit_component::dummy_module(&resolve, world, ManglingAndAbi::Standard32);
        wit_component::embed_component_metadata(
            &mut module,
            &resolve,
            world,
            StringEncoding::UTF8,
            false,
        )
        .unwrap();
        let out = wtool_wit::new::new_component(&module);
        let theirs = ComponentEncoder::default()
            .module(&module)
            .and_then(|e| e.validate(true).encode());
        if let (Ok(t), Ok(dir)) = (&theirs, std::env::var("DEBUG_OUT")) {
            std::fs::write(format!("{dir}/theirs-{}.wasm", world.index()), t).unwrap();
        }
        if let (Ok(o), Ok(dir)) = (&out, std::env::var("DEBUG_OUT")) {
            std::fs::write(format!("{dir}/debug-{}.wasm", world.index()), o).unwrap();
        }
        println!("{world:?}: {:?}", out.map(|_| ()));
    }
}

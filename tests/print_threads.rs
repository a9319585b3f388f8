//! `wtool print` on one CPU and on every CPU writes the same bytes. The
//! printer uses as many threads as the process may run on
//! (`available_parallelism`, which follows the CPU affinity), so the
//! one-thread run is the same command under `taskset -c 0` (Linux,
//! util-linux). The library-level test (`crates/wtool-print/tests/parallel.rs`)
//! fixes the thread counts; this one is the binary as users run it.

#[cfg(target_os = "linux")]
#[test]
fn one_cpu_and_all_cpus_print_the_same_bytes() {
    use std::process::Command;

    let wtool = env!("CARGO_BIN_EXE_wtool");
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let first_cpu = first_allowed_cpu();
    let run = |one_cpu: bool, args: &[&str], file: &str| {
        let mut cmd = if one_cpu {
            let mut c = Command::new("taskset");
            c.args(["-c", &first_cpu.to_string(), wtool]);
            c
        } else {
            Command::new(wtool)
        };
        let out = cmd
            .args(args)
            .arg(fixtures.join(file))
            .output()
            .expect("run wtool (taskset from util-linux is needed for the one-CPU run)");
        assert!(
            out.status.success(),
            "{args:?} {file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    // big-O0 has 4,055 functions (some 60 windows of work); big is -O2 code.
    let mut compared = 0;
    for file in ["big-O0.wasm", "big.wasm", "kernels-simd.wasm"] {
        for args in [
            &["print"][..],
            &["print", "--fold"],
            &["print", "--generate-names", "--inline-exports"],
        ] {
            let one = run(true, args, file);
            let all = run(false, args, file);
            assert!(!one.is_empty());
            assert!(
                one == all,
                "{args:?} {file}: 1 CPU and {cpus} CPUs print differently"
            );
            compared += one.len();
        }
    }
    println!("1 CPU and {cpus} CPUs: {compared} bytes of text identical");
}

/// The lowest CPU this process may run on (from `/proc/self/status`), so
/// `taskset` works inside a restricted cpuset too.
#[cfg(target_os = "linux")]
fn first_allowed_cpu() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .and_then(|list| {
            list.trim()
                .split([',', '-'])
                .next()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

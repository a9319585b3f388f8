//! Shows what a fuzz input means: `cargo run --example triage -- TARGET FILE`
//! writes the module a wasm-smith based target builds from FILE to
//! `FILE.wasm`, prints it as text, and for `run` and `opt` prints both runs.

use wtool_fuzz::exec::{run_wasmi, run_wtool};
use wtool_fuzz::{smith_module, wtool_features, Purpose};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, file] = &args[..] else {
        eprintln!("usage: triage TARGET FILE");
        std::process::exit(2);
    };
    let data = std::fs::read(file).expect("read input");
    let (purpose, rest) = match target.as_str() {
        "run" => (Purpose::Oracle, &data[..]),
        "opt" => (Purpose::Exec, &data[1..]),
        "validate" => (
            Purpose::Static {
                invalid: data[0] % 4 == 1,
            },
            &data[1..],
        ),
        "print_roundtrip" => (
            Purpose::Static {
                invalid: data[0] & 1 == 1,
            },
            &data[1..],
        ),
        _ => {
            eprintln!("{target}: not a wasm-smith target");
            std::process::exit(2);
        }
    };
    let Some(bytes) = smith_module(purpose, rest) else {
        eprintln!("no module");
        return;
    };
    std::fs::write(format!("{file}.wasm"), &bytes).expect("write wasm");
    let m = wtool_binary::decode_with_features(&bytes, wtool_features()).expect("decode");
    println!("{}", wtool_print::print(&m, &Default::default()));
    if matches!(purpose, Purpose::Exec | Purpose::Oracle) {
        println!("wtool: {:#?}", run_wtool(&m));
        if target == "run" {
            println!("wasmi: {:#?}", run_wasmi(&bytes, &m));
        }
    }
}

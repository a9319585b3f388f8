//! `cargo run --example listing FILE NAME…`: prints the internal code of the
//! named functions (name section names, or defined indices).
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).expect("read");
    let m = wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL).expect("decode");
    let imported = m.num_imported(wtool_ast::ExternKind::Func);
    for name in &a[2..] {
        let idx = name.parse::<u32>().ok().or_else(|| {
            let names = m.names.as_ref()?;
            names
                .funcs
                .iter()
                .find(|(_, n)| n == name)
                .map(|(i, _)| i - imported)
        });
        let Some(idx) = idx else {
            eprintln!("no function {name}");
            continue;
        };
        println!("== {name} (defined {idx})");
        match wtool_interp::debug_listing(m.clone(), idx) {
            Ok(s) => print!("{s}"),
            Err(e) => eprintln!("{e}"),
        }
    }
}

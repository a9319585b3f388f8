//! `cargo run --example run FILE EXPORT I32ARGS...`: times an export (for profiling).
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let b = if a[1].ends_with(".wat") {
        wat::parse_file(&a[1]).unwrap()
    } else {
        std::fs::read(&a[1]).unwrap()
    };
    let m = wtool_binary::decode(&b).unwrap();
    let mut s = wtool_interp::Store::new();
    let i = s.instantiate(&m, &wtool_interp::Imports::new()).unwrap();
    let args: Vec<wtool_interp::Value> = a[3..]
        .iter()
        .map(|x| wtool_interp::Value::I32(x.parse().unwrap()))
        .collect();
    let t = std::time::Instant::now();
    let mut r = Vec::new();
    for _ in 0..10 {
        r = s.invoke(i, &a[2], &args).unwrap();
    }
    println!("{r:?} {:?} per call", t.elapsed() / 10);
}

//! Differential tests of the WIT parser against wit-parser: its own UI test
//! inputs (read from the registry at test time, not copied here), documents
//! from wit-smith, and the positions of a few errors.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use wtool_wit::model as m;
use wtool_wit::{parse_path, parse_source, ParseOptions};

#[path = "common/check.rs"]
mod check;
#[path = "common/inputs.rs"]
mod inputs;
use inputs::{bytes, crate_dir, ui_inputs, wit_parser_dir};

/// Our model as text: packages in order, interfaces, types, functions, worlds.
fn summary(r: &m::Resolve) -> String {
    let mut s = String::new();
    for p in &r.packages {
        writeln!(s, "package {}", p.name).unwrap();
        writeln!(s, "  docs {:?}", p.docs.contents).unwrap();
        for (name, id) in &p.interfaces {
            let i = r.interface(*id);
            writeln!(
                s,
                "  interface {name}{} {:?}",
                stab(&i.stability),
                i.docs.contents
            )
            .unwrap();
            iface(r, *id, &mut s, "    ");
        }
        for (name, id) in &p.worlds {
            let w = r.world(*id);
            writeln!(
                s,
                "  world {name}{} {:?}",
                stab(&w.stability),
                w.docs.contents
            )
            .unwrap();
            for (dir, items) in [("import", &w.imports), ("export", &w.exports)] {
                for (k, item) in items {
                    let key = match k {
                        m::WorldKey::Name(n) => n.clone(),
                        m::WorldKey::Interface(i) => r.id_of(*i).unwrap(),
                    };
                    let what = match item {
                        m::WorldItem::Interface { id, stability, .. } => {
                            let mut t = String::new();
                            if r.interface(*id).name.is_none() {
                                iface(r, *id, &mut t, "      ");
                            }
                            format!("interface{}\n{t}", stab(stability))
                        }
                        m::WorldItem::Function(f) => format!("{}\n", func(r, f)),
                        m::WorldItem::Type(t) => format!("type {}\n", kind(r, &r.ty(*t).kind)),
                    };
                    write!(s, "    {dir} {key}: {what}").unwrap();
                }
            }
        }
    }
    s
}

/// A feature gate as text, the same for both models.
fn stab(st: &m::Stability) -> String {
    let v = |d: &Option<m::Version>| {
        d.as_ref()
            .map(|v| format!(" @deprecated({v})"))
            .unwrap_or_default()
    };
    match st {
        m::Stability::Unknown => String::new(),
        m::Stability::Stable { since, deprecated } => format!(" @since({since}){}", v(deprecated)),
        m::Stability::Unstable {
            feature,
            deprecated,
        } => format!(" @unstable({feature}){}", v(deprecated)),
    }
}

fn iface(r: &m::Resolve, id: m::InterfaceId, s: &mut String, ind: &str) {
    let i = r.interface(id);
    for (n, t) in &i.types {
        let d = r.ty(*t);
        writeln!(
            s,
            "{ind}type {n} = {}{} {:?}",
            kind(r, &d.kind),
            stab(&d.stability),
            d.docs.contents
        )
        .unwrap();
    }
    for f in i.functions.values() {
        writeln!(s, "{ind}{}", func(r, f)).unwrap();
    }
}

fn func(r: &m::Resolve, f: &m::Function) -> String {
    let k = match f.kind {
        m::FunctionKind::Freestanding => "func",
        m::FunctionKind::AsyncFreestanding => "async func",
        m::FunctionKind::Method(_) => "method",
        m::FunctionKind::AsyncMethod(_) => "async method",
        m::FunctionKind::Static(_) => "static",
        m::FunctionKind::AsyncStatic(_) => "async static",
        m::FunctionKind::Constructor(_) => "constructor",
        m::FunctionKind::Getter => "getter",
        m::FunctionKind::Setter => "setter",
        m::FunctionKind::MethodGetter(_) => "method getter",
        m::FunctionKind::MethodSetter(_) => "method setter",
        m::FunctionKind::StaticGetter(_) => "static getter",
        m::FunctionKind::StaticSetter(_) => "static setter",
    };
    let ps: Vec<String> = f
        .params
        .iter()
        .map(|(n, t)| format!("{n}: {}", ty(r, *t)))
        .collect();
    let res = f
        .result
        .map(|t| format!(" -> {}", ty(r, t)))
        .unwrap_or_default();
    format!("{} {k}({}){res}", f.name, ps.join(", "))
}

fn ty(r: &m::Resolve, t: m::Type) -> String {
    use m::Type::*;
    match t {
        Bool => "bool".into(),
        U8 => "u8".into(),
        U16 => "u16".into(),
        U32 => "u32".into(),
        U64 => "u64".into(),
        S8 => "s8".into(),
        S16 => "s16".into(),
        S32 => "s32".into(),
        S64 => "s64".into(),
        F32 => "f32".into(),
        F64 => "f64".into(),
        Char => "char".into(),
        String => "string".into(),
        ErrorContext => "error-context".into(),
        // Named types by owner and name, so that identity is compared too.
        Id(id) => match &r.ty(id).name {
            Some(n) => match r.ty(id).owner {
                m::TypeOwner::Interface(i) => {
                    format!("{}#{n}", r.id_of(i).unwrap_or_else(|| "<anon>".into()))
                }
                m::TypeOwner::World(w) => format!("{}#{n}", r.world(w).name),
                m::TypeOwner::None => n.clone(),
            },
            None => kind(r, &r.ty(id).kind),
        },
    }
}

fn kind(r: &m::Resolve, k: &m::TypeDefKind) -> String {
    use m::TypeDefKind::*;
    let o = |t: &std::option::Option<m::Type>| t.map(|t| ty(r, t)).unwrap_or("_".into());
    match k {
        Record(fs) => format!(
            "record{{{}}}",
            fs.iter()
                .map(|f| format!("{}: {}", f.name, ty(r, f.ty)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Resource => "resource".into(),
        Handle(m::Handle::Own(t)) => format!("own<{}>", ty(r, m::Type::Id(*t))),
        Handle(m::Handle::Borrow(t)) => format!("borrow<{}>", ty(r, m::Type::Id(*t))),
        Flags(fs) => format!(
            "flags{{{}}}",
            fs.iter()
                .map(|f| f.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Tuple(ts) => format!(
            "tuple<{}>",
            ts.iter().map(|t| ty(r, *t)).collect::<Vec<_>>().join(", ")
        ),
        Variant(cs) => format!(
            "variant{{{}}}",
            cs.iter()
                .map(|c| format!("{}({})", c.name, o(&c.ty)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Enum(cs) => format!(
            "enum{{{}}}",
            cs.iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Option(t) => format!("option<{}>", ty(r, *t)),
        Result { ok, err } => format!("result<{}, {}>", o(ok), o(err)),
        List(t) => format!("list<{}>", ty(r, *t)),
        FixedLengthList(t, n) => format!("list<{}, {n}>", ty(r, *t)),
        Map(a, b) => format!("map<{}, {}>", ty(r, *a), ty(r, *b)),
        Future(t) => format!("future<{}>", o(t)),
        Stream(t) => format!("stream<{}>", o(t)),
        Type(t) => format!("alias {}", ty(r, *t)),
    }
}

/// The same summary of wit-parser's model.
mod oracle {
    use super::*;
    use wit_parser as w;

    pub fn summary(r: &w::Resolve) -> String {
        let mut s = String::new();
        for (_, p) in r.packages.iter() {
            writeln!(s, "package {}", p.name).unwrap();
            writeln!(s, "  docs {:?}", p.docs.contents).unwrap();
            for (name, id) in &p.interfaces {
                let i = &r.interfaces[*id];
                writeln!(
                    s,
                    "  interface {name}{} {:?}",
                    stab(&i.stability),
                    i.docs.contents
                )
                .unwrap();
                iface(r, *id, &mut s, "    ");
            }
            for (name, id) in &p.worlds {
                let wd = &r.worlds[*id];
                writeln!(
                    s,
                    "  world {name}{} {:?}",
                    stab(&wd.stability),
                    wd.docs.contents
                )
                .unwrap();
                for (dir, items) in [("import", &wd.imports), ("export", &wd.exports)] {
                    for (k, item) in items {
                        let key = match k {
                            w::WorldKey::Name(n) => n.clone(),
                            w::WorldKey::Interface(i) => r.id_of(*i).unwrap(),
                        };
                        let what = match item {
                            w::WorldItem::Interface { id, stability, .. } => {
                                let mut t = String::new();
                                if r.interfaces[*id].name.is_none() {
                                    iface(r, *id, &mut t, "      ");
                                }
                                format!("interface{}\n{t}", stab(stability))
                            }
                            w::WorldItem::Function(f) => format!("{}\n", func(r, f)),
                            w::WorldItem::Type { id, .. } => {
                                format!("type {}\n", kind(r, &r.types[*id].kind))
                            }
                        };
                        write!(s, "    {dir} {key}: {what}").unwrap();
                    }
                }
            }
        }
        s
    }

    fn stab(st: &w::Stability) -> String {
        let v = |d: &Option<wtool_wit::model::Version>| {
            d.as_ref()
                .map(|v| format!(" @deprecated({v})"))
                .unwrap_or_default()
        };
        match st {
            w::Stability::Unknown => String::new(),
            w::Stability::Stable { since, deprecated } => {
                format!(" @since({since}){}", v(deprecated))
            }
            w::Stability::Unstable {
                feature,
                deprecated,
            } => format!(" @unstable({feature}){}", v(deprecated)),
        }
    }

    fn iface(r: &w::Resolve, id: w::InterfaceId, s: &mut String, ind: &str) {
        let i = &r.interfaces[id];
        for (n, t) in &i.types {
            let d = &r.types[*t];
            writeln!(
                s,
                "{ind}type {n} = {}{} {:?}",
                kind(r, &d.kind),
                stab(&d.stability),
                d.docs.contents
            )
            .unwrap();
        }
        for f in i.functions.values() {
            writeln!(s, "{ind}{}", func(r, f)).unwrap();
        }
    }

    fn func(r: &w::Resolve, f: &w::Function) -> String {
        use w::FunctionKind as K;
        let k = match f.kind {
            K::Freestanding => "func",
            K::AsyncFreestanding => "async func",
            K::Method(_) => "method",
            K::AsyncMethod(_) => "async method",
            K::Static(_) => "static",
            K::AsyncStatic(_) => "async static",
            K::Constructor(_) => "constructor",
            K::Getter => "getter",
            K::Setter => "setter",
            K::MethodGetter(_) => "method getter",
            K::MethodSetter(_) => "method setter",
            K::StaticGetter(_) => "static getter",
            K::StaticSetter(_) => "static setter",
        };
        let ps: Vec<String> = f
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name, ty(r, p.ty)))
            .collect();
        let res = f
            .result
            .map(|t| format!(" -> {}", ty(r, t)))
            .unwrap_or_default();
        format!("{} {k}({}){res}", f.name, ps.join(", "))
    }

    fn ty(r: &w::Resolve, t: w::Type) -> String {
        use w::Type::*;
        match t {
            Bool => "bool".into(),
            U8 => "u8".into(),
            U16 => "u16".into(),
            U32 => "u32".into(),
            U64 => "u64".into(),
            S8 => "s8".into(),
            S16 => "s16".into(),
            S32 => "s32".into(),
            S64 => "s64".into(),
            F32 => "f32".into(),
            F64 => "f64".into(),
            Char => "char".into(),
            String => "string".into(),
            ErrorContext => "error-context".into(),
            Id(id) => match &r.types[id].name {
                Some(n) => match r.types[id].owner {
                    w::TypeOwner::Interface(i) => {
                        format!("{}#{n}", r.id_of(i).unwrap_or_else(|| "<anon>".into()))
                    }
                    w::TypeOwner::World(wd) => format!("{}#{n}", r.worlds[wd].name),
                    w::TypeOwner::None => n.clone(),
                },
                None => kind(r, &r.types[id].kind),
            },
        }
    }

    fn kind(r: &w::Resolve, k: &w::TypeDefKind) -> String {
        use w::TypeDefKind::*;
        let o = |t: &std::option::Option<w::Type>| t.map(|t| ty(r, t)).unwrap_or("_".into());
        match k {
            Record(rec) => format!(
                "record{{{}}}",
                rec.fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name, ty(r, f.ty)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Resource => "resource".into(),
            Handle(w::Handle::Own(t)) => format!("own<{}>", ty(r, w::Type::Id(*t))),
            Handle(w::Handle::Borrow(t)) => format!("borrow<{}>", ty(r, w::Type::Id(*t))),
            Flags(fs) => format!(
                "flags{{{}}}",
                fs.flags
                    .iter()
                    .map(|f| f.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Tuple(ts) => format!(
                "tuple<{}>",
                ts.types
                    .iter()
                    .map(|t| ty(r, *t))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Variant(v) => format!(
                "variant{{{}}}",
                v.cases
                    .iter()
                    .map(|c| format!("{}({})", c.name, o(&c.ty)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Enum(e) => format!(
                "enum{{{}}}",
                e.cases
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Option(t) => format!("option<{}>", ty(r, *t)),
            Result(res) => format!("result<{}, {}>", o(&res.ok), o(&res.err)),
            List(t) => format!("list<{}>", ty(r, *t)),
            FixedLengthList(t, n) => format!("list<{}, {n}>", ty(r, *t)),
            Map(a, b) => format!("map<{}, {}>", ty(r, *a), ty(r, *b)),
            Future(t) => format!("future<{}>", o(t)),
            Stream(t) => format!("stream<{}>", o(t)),
            Type(t) => format!("alias {}", ty(r, *t)),
            Unknown => "unknown".into(),
        }
    }
}

/// Both parsers on one path: `Ok(true)` when they agree (`Ok(false)` when
/// both reject), `Err` with the difference otherwise.
fn compare_path(path: &Path, features: &[&str]) -> Result<bool, String> {
    let mut oracle_resolve = wit_parser::Resolve::default();
    for f in features {
        oracle_resolve.features.insert(f.to_string());
    }
    let theirs = oracle_resolve
        .push_path(path)
        .map(|_| oracle::summary(&oracle_resolve))
        .map_err(|e| format!("{e:#}"));
    let opts = ParseOptions {
        features: features.iter().map(|f| f.to_string()).collect(),
        all_features: false,
    };
    let ours = parse_path(path, &opts).map(|(r, _)| summary(&r));
    match (ours, theirs) {
        (Ok(a), Ok(b)) if a == b => Ok(true),
        (Err(_), Err(_)) => Ok(false),
        (Ok(a), Ok(b)) => Err(format!(
            "summaries differ\n--- ours\n{a}--- wit-parser\n{b}"
        )),
        (Ok(_), Err(e)) => Err(format!("we accept, wit-parser rejects: {e}")),
        (Err(e), Ok(_)) => Err(format!("we reject, wit-parser accepts: {e}")),
    }
}

/// Every `.wit` file and every directory holding `.wit` files in
/// wit-component's tests (worlds of real-world shape, WASI included).
#[test]
fn wit_component_test_inputs() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        if entries
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "wit"))
        {
            out.push(dir.to_path_buf());
        }
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "wit") {
                out.push(p);
            }
        }
    }
    let root = crate_dir("wit-component-0.263.0").join("tests");
    let mut inputs = Vec::new();
    walk(&root, &mut inputs);
    // More trees to compare on, e.g. a checkout of WASI's WIT:
    // WIT_DIFF_PATHS=/a:/b cargo test -p wtool-wit --test parse -- wit_component
    for extra in std::env::var("WIT_DIFF_PATHS")
        .unwrap_or_default()
        .split(':')
    {
        if !extra.is_empty() {
            walk(Path::new(extra), &mut inputs);
        }
    }
    let (mut accepted, mut rejected, mut differ) = (0, 0, Vec::new());
    for path in &inputs {
        match compare_path(path, &[]) {
            Ok(true) => accepted += 1,
            Ok(false) => rejected += 1,
            Err(d) => differ.push(format!(
                "{}: {d}",
                path.strip_prefix(&root).unwrap().display()
            )),
        }
    }
    for d in &differ {
        println!("{d}\n");
    }
    println!(
        "wit-component test inputs: {} paths, {accepted} accepted by both, {rejected} rejected by both, {} differ",
        inputs.len(),
        differ.len()
    );
    assert!(differ.is_empty());
}

#[test]
fn wit_parser_ui_inputs() {
    let root = wit_parser_dir().join("tests/ui");
    let opts = ParseOptions {
        features: vec!["active".into()],
        all_features: false,
    };
    let (mut same, mut differ) = (0, Vec::new());
    let (mut both_reject, mut same_message, mut same_position) = (0, 0, 0);
    let mut position_differ = Vec::new();
    let mut message_differ = Vec::new();
    for dir in [root.clone(), root.join("parse-fail")] {
        for path in ui_inputs(&dir) {
            let mut oracle_resolve = wit_parser::Resolve::default();
            oracle_resolve.features.insert("active".into());
            let theirs = match oracle_resolve.push_path(&path) {
                Ok(_) => Ok(oracle::summary(&oracle_resolve)),
                Err(e) => Err(oracle_resolve.render_error(&e)),
            };
            let ours = parse_path(&path, &opts).map(|(r, _)| summary(&r));
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) if a == b => same += 1,
                (Err(a), Err(b)) => {
                    same += 1;
                    both_reject += 1;
                    let theirs = b.clone();
                    // Their first line, without "failed to …: " context.
                    let line = theirs.lines().next().unwrap_or("");
                    let first = if line.starts_with("failed to") {
                        line.rsplit(": ").next().unwrap_or(line)
                    } else {
                        line
                    };
                    if a.message() == first {
                        same_message += 1;
                    } else {
                        message_differ.push(format!(
                            "{name}: ours `{}`, wit-parser `{first}`",
                            a.message()
                        ));
                    }
                    match (a.line_col(), their_line_col(&theirs)) {
                        (Some(x), Some(y)) if x == y => same_position += 1,
                        (x, y) => position_differ.push(format!(
                            "{name}: ours {x:?} {}, wit-parser {y:?} {first}",
                            a.message()
                        )),
                    }
                }
                (Ok(a), Ok(b)) => differ.push(format!(
                    "{name}: summaries differ\n--- ours\n{a}--- wit-parser\n{b}"
                )),
                (Ok(_), Err(e)) => {
                    differ.push(format!("{name}: we accept, wit-parser rejects: {e:#}"))
                }
                (Err(e), Ok(_)) => {
                    differ.push(format!("{name}: we reject, wit-parser accepts: {e}"))
                }
            }
        }
    }
    for d in &differ {
        println!("{d}\n");
    }
    println!(
        "wit-parser UI inputs: {same} agree, {} differ",
        differ.len()
    );
    for d in &position_differ {
        println!("position: {d}");
    }
    for d in &message_differ {
        println!("message: {d}");
    }
    println!(
        "both reject {both_reject}: same line:col {same_position}, same message {same_message}"
    );
    let known: &[&str] = KNOWN_UI_DIFFERENCES;
    let unexpected: Vec<_> = differ
        .iter()
        .filter(|d| !known.iter().any(|k| d.starts_with(&format!("{k}:"))))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} unexpected differences",
        unexpected.len()
    );
}

/// The first `--> file:line:col` of a wit-parser error.
fn their_line_col(e: &str) -> Option<(usize, usize)> {
    let at = e.find("--> ")?;
    let loc = e[at + 4..].lines().next()?;
    let mut parts = loc.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((line, col))
}

/// Inputs where we knowingly differ: `kinds-of-deps` has WIT packages
/// encoded as components (`.wasm`, `.wat`) in its deps/, which the parser
/// refuses, saying so (docs/components.md).
const KNOWN_UI_DIFFERENCES: &[&str] = &["kinds-of-deps"];

#[test]
fn wit_smith_documents() {
    use arbitrary::{Arbitrary, Unstructured};
    let n: u64 = std::env::var("WIT_SMITH_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let (mut agree, mut skipped, mut differ) = (0, 0, Vec::new());
    let mut both_reject = 0;
    for seed in 0..n {
        let data = bytes(seed, 2048);
        let mut u = Unstructured::new(&data);
        let Ok(config) = wit_smith::Config::arbitrary(&mut u) else {
            skipped += 1;
            continue;
        };
        let Ok(wasm) = wit_smith::smith(&config, &mut u) else {
            skipped += 1;
            continue;
        };
        let decoded = wit_component::decode(&wasm).expect("wit-smith output decodes");
        let (resolve, pkg) = (decoded.resolve(), decoded.package());
        let text = check::oracle_print(resolve, pkg, true).expect("prints");
        // Once with every feature on (as wit-smith generates), once with
        // none, so that gated items are dropped and checked too.
        for all_features in [true, false] {
            let mut theirs = wit_parser::Resolve {
                all_features,
                ..Default::default()
            };
            let theirs = theirs
                .push_str("smith.wit", &text)
                .map(|_| oracle::summary(&theirs));
            let opts = ParseOptions {
                features: Vec::new(),
                all_features,
            };
            let mut ours = m::Resolve::default();
            let ours = parse_source(&mut ours, "smith.wit", &text, &opts).map(|_| summary(&ours));
            match (ours, theirs) {
                (Ok(a), Ok(b)) if a == b => agree += 1,
                (Err(_), Err(_)) => {
                    agree += 1;
                    both_reject += 1;
                }
                (a, b) => differ.push((
                    seed,
                    text.clone(),
                    a.map_err(|e| e.to_string()),
                    b.map_err(|e| format!("{e:#}")),
                )),
            }
        }
    }
    for (seed, text, a, b) in differ.iter().take(3) {
        println!("seed {seed}:\n{text}\n--- ours\n{a:?}\n--- wit-parser\n{b:?}\n");
    }
    println!(
        "wit-smith: {n} seeds, {skipped} not generated; {agree} parses agree \
         (each document with all features and with none; {both_reject} rejected by both), {} differ",
        differ.len()
    );
    assert!(differ.is_empty());
    assert!(
        agree as u64 >= 2 * n * 9 / 10,
        "too few documents generated"
    );
}

fn error_at(text: &str) -> (usize, usize, String) {
    let mut r = m::Resolve::default();
    let e = parse_source(&mut r, "a.wit", text, &ParseOptions::default()).unwrap_err();
    let (l, c) = e.line_col().expect("a position");
    (l, c, e.to_string())
}

#[test]
fn error_positions() {
    let (l, c, msg) = error_at("package a:b;\ninterface i {\n  f: func()\n}\n");
    assert_eq!((l, c), (4, 1), "{msg}");
    assert!(
        msg.starts_with("expected ';', found '}'\n --> a.wit:4:1\n  |\n4 | }\n  | ^"),
        "{msg}"
    );
    let (l, c, msg) = error_at("package a:b;\ninterface i {\n  type t = list<nope>;\n}\n");
    assert_eq!((l, c), (3, 17), "{msg}");
    assert!(msg.starts_with("type `nope` does not exist"), "{msg}");
    let (l, c, msg) = error_at("package a:b;\ninterface i {\n  record r { a: u32, a: u8 }\n}\n");
    assert_eq!((l, c), (3, 22), "{msg}");
    let (l, c, msg) =
        error_at("package a:b;\ninterface i {\n  type t = own<u32x>;\n  type u32x = u32;\n}\n");
    assert_eq!((l, c), (3, 16), "{msg}");
    assert!(msg.contains("must be a resource"), "{msg}");
    let (l, c, msg) = error_at("package a:b;\n/* open\ninterface i {}\n");
    assert_eq!((l, c), (2, 1), "{msg}");
    // A cycle is reported where the interface depended upon is declared.
    let (l, c, msg) =
        error_at("package a:b;\ninterface i { use j.{t}; }\ninterface j { use i.{t}; }\n");
    assert_eq!((l, c), (3, 11), "{msg}");
    assert!(msg.contains("depends on itself"), "{msg}");
}

#[test]
fn errors_name_their_file_and_leave_resolve_unchanged() {
    // A directory package whose second file is wrong, with a dependency.
    let dir = std::env::temp_dir().join(format!("wtool-wit-parse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("deps/dep")).unwrap();
    std::fs::write(
        dir.join("a.wit"),
        "package a:b;\ninterface i { use c:d/j.{t}; }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.wit"),
        "interface k {\n  f: func() -> nope;\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("deps/dep/j.wit"),
        "package c:d;\ninterface j { type t = u8; }\n",
    )
    .unwrap();
    let e = parse_path(&dir, &ParseOptions::default()).unwrap_err();
    let shown = e.to_string();
    assert!(shown.contains("b.wit:2:16"), "{shown}");
    assert_eq!(e.line_col(), Some((2, 16)));
    // Fixed, the dependency resolves first and the main package is last.
    std::fs::write(dir.join("b.wit"), "interface k {\n  f: func() -> u8;\n}\n").unwrap();
    let (r, main) = parse_path(&dir, &ParseOptions::default()).unwrap();
    assert_eq!(main.index(), 1);
    assert_eq!(r.package(main).name.to_string(), "a:b");
    std::fs::remove_dir_all(&dir).unwrap();

    let mut r = m::Resolve::default();
    parse_source(
        &mut r,
        "ok.wit",
        "package x:y;\ninterface i { type t = u32; }\n",
        &ParseOptions::default(),
    )
    .unwrap();
    let sizes = (r.packages.len(), r.interfaces.len(), r.types.len());
    let bad = "package x:z;\ninterface i { type t = list<u32>; type u = v; }\n";
    assert!(parse_source(&mut r, "bad.wit", bad, &ParseOptions::default()).is_err());
    assert_eq!((r.packages.len(), r.interfaces.len(), r.types.len()), sizes);
}

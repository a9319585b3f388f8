//! The extern-name rules against wasmparser 0.263: components importing
//! under names taken from the reference tests and mutants of them, built
//! with wasm-encoder; wasmparser's verdict (and message, where it is about
//! the name) must be ours.

use std::collections::BTreeSet;
use wasm_encoder::{
    Component, ComponentExternName, ComponentImportSection, ComponentTypeRef, ComponentTypeSection,
    InstanceType,
};
use wasmparser::{Validator, WasmFeatures};
use wtool_component::validate::names::*;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Every string literal without escapes in the reference tests that deal
/// with names, plus forms they lack.
fn seeds() -> Vec<String> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../vendor/component-model/test"
    );
    let mut out = BTreeSet::new();
    for f in [
        "validation/kebab.wast",
        "validation/extern-names.wast",
        "validation/annotated-names.wast",
        "validation/attributes.wast",
        "validation/resources.wast",
        "validation/instantiation.wast",
        "binary/binary.wast",
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{f}")).expect(f);
        for (i, piece) in text.split('"').enumerate() {
            // Odd pieces are inside quotes (comments with quotes only shift
            // a few pieces out, which are names or junk all the same).
            if i % 2 == 1 && !piece.contains('\\') && !piece.contains('\n') {
                out.insert(piece.to_string());
            }
        }
    }
    for extra in [
        "a:b/c@0.2",
        "a:b/c@1.0.0-rc.1+b.2",
        "a:b/c@01.0.0",
        "a:b/c@1.0.0-01",
        "a:b/c@1.0.0-0a",
        "a:b/c@18446744073709551616.0.0",
        "a:b/c@1.0.0 ",
        "[get]a",
        "[set]a",
        "[method][get]a.b",
        "[constructor][set]a",
        "a-b:c/d",
        "ab:c/d-e",
        "x:y/z",
        // Forms of later explainer versions that wasmparser 0.263 refuses.
        "[async]f",
        "[async method]r.m",
        "[async static]r.m",
        "url=<https://example.com>",
        "integrity=<sha256-abc>",
        "locked-dep=<a:b@1.0.0>",
        "unlocked-dep=<a:b@{>=1.0.0}>",
        "relative-url=<./x>",
    ] {
        out.insert(extra.to_string());
    }
    out.into_iter().collect()
}

/// A random edit of `s`.
fn mutate(s: &str, pool: &[String], rng: &mut Rng) -> String {
    let mut cs: Vec<char> = s.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(cs.len() + 1);
        match rng.below(9) {
            0 if at < cs.len() => {
                let c = cs[at];
                cs[at] = if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                };
            }
            1 => cs.insert(
                at,
                *rng.pick(&['-', ':', '/', '@', '.', '[', ']', '0', '7', 'a', 'Z', '+']),
            ),
            2 if at < cs.len() => {
                cs.remove(at);
            }
            3 => cs.truncate(at),
            4 => {
                let p = rng.pick(&[
                    "[constructor]",
                    "[method]",
                    "[static]",
                    "[get]",
                    "[set]",
                    "[method][get]",
                    "a:",
                    "ns:pkg/",
                ]);
                cs.splice(0..0, p.chars());
            }
            5 => cs.extend(
                rng.pick(&[
                    "@1.0.0",
                    "@0.2",
                    "@1.0.0-rc.1+b",
                    "@1.",
                    "@1.0.0+",
                    "@x",
                    ".b",
                    "/c",
                    "-",
                ])
                .chars(),
            ),
            6 => {
                let other: Vec<char> = rng.pick(pool).chars().collect();
                let cut = rng.below(other.len() + 1);
                cs.truncate(at);
                cs.extend(&other[cut..]);
            }
            7 if at < cs.len() => cs[at] = *rng.pick(&['-', '.', ':', '@', '/', 'A', '1', 'é']),
            _ => {
                let c = cs.get(at).copied().unwrap_or('-');
                cs.insert(at, c);
            }
        }
    }
    cs.into_iter().collect()
}

/// The parameters of the `(func)` type the imports use.
const NO_PARAMS: [(&str, wasm_encoder::ComponentValType); 0] = [];

fn features() -> WasmFeatures {
    WasmFeatures::default() | WasmFeatures::CM_IMPLEMENTS
}

/// A component importing a `(func)` under each name, in order.
fn func_imports(names: &[&str]) -> Vec<u8> {
    let mut types = ComponentTypeSection::new();
    types.function().params(NO_PARAMS).result(None);
    let mut imports = ComponentImportSection::new();
    for n in names {
        imports.import(*n, ComponentTypeRef::Func(0));
    }
    let mut c = Component::new();
    c.section(&types).section(&imports);
    c.finish()
}

/// What is wrong with a name, as far as the name rules go.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// The name is fine (anything else wrong is not about the name).
    Fine,
    /// "... is not a valid extern name: <this>"
    Grammar(String),
    /// "... is not valid: invalid interface version: <this>"
    Version(String),
}

fn theirs(name: &str) -> Verdict {
    let bytes = func_imports(&[name]);
    match Validator::new_with_features(features()).validate_all(&bytes) {
        Ok(_) => Verdict::Fine,
        Err(e) => {
            let m = e.message();
            let grammar = format!("import name `{name}` is not a valid extern name\n");
            let version = format!("import name `{name}` is not valid\ninvalid interface version: ");
            if let Some(r) = m.strip_prefix(&grammar) {
                Verdict::Grammar(r.to_string())
            } else if let Some(r) = m.strip_prefix(&version) {
                Verdict::Version(r.to_string())
            } else {
                // The resource-function rules ([method]... as a bare func).
                assert!(
                    m.starts_with(&format!("import name `{name}` is not valid\n")),
                    "{name}: {m}"
                );
                Verdict::Fine
            }
        }
    }
}

fn ours(name: &str) -> Verdict {
    match parse_name(name) {
        Err(m) => Verdict::Grammar(m),
        Ok(NameKind::Interface(_)) => match check_interface_version(name, None) {
            Ok(()) => Verdict::Fine,
            Err(m) => Verdict::Version(
                m.strip_prefix("invalid interface version: ")
                    .unwrap_or(&m)
                    .to_string(),
            ),
        },
        Ok(_) => Verdict::Fine,
    }
}

/// `name` without the `-`s that wasmparser 0.263's uniqueness drops (all
/// but the version's): the one rule where it and the explainer (which this
/// crate follows) part.
fn dehyphen(name: &str) -> String {
    match name.split_once('@').filter(|_| name.contains(':')) {
        Some((path, version)) => format!("{}@{version}", path.replace('-', "")),
        None => name.replace('-', ""),
    }
}

/// A [`NameSet`] with wasmparser 0.263's uniqueness, for the oracle tests.
#[derive(Default)]
struct WasmparserSet {
    set: NameSet,
    originals: std::collections::HashMap<String, String>,
}

impl WasmparserSet {
    fn insert(&mut self, name: &str) -> Result<(), String> {
        let d = dehyphen(name);
        match self.set.insert(&d) {
            Ok(()) => {
                self.originals.insert(d, name.to_string());
                Ok(())
            }
            Err(p) => Err(self.originals[&p].clone()),
        }
    }
}

/// The names of the reference tests and 20,000 mutants: same verdict and
/// same message.
#[test]
fn names_agree_with_wasmparser() {
    let seeds = seeds();
    let mut rng = Rng(0x6e61_6d65_7321);
    let mut names: BTreeSet<String> = seeds.iter().cloned().collect();
    while names.len() < seeds.len() + 20_000 {
        let s = rng.pick(&seeds).clone();
        names.insert(mutate(&s, &seeds, &mut rng));
    }
    let (mut fine, mut grammar, mut version) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for n in &names {
        let (t, o) = (theirs(n), ours(n));
        match t {
            Verdict::Fine => fine += 1,
            Verdict::Grammar(_) => grammar += 1,
            Verdict::Version(_) => version += 1,
        }
        if t != o {
            mismatches.push(format!("{n:?}: wasmparser {t:?}, ours {o:?}"));
        }
    }
    eprintln!(
        "names: {} compared ({} seeds), {fine} fine, {grammar} grammar errors, {version} version errors, {} mismatches",
        names.len(),
        seeds.len(),
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{}",
        mismatches[..mismatches.len().min(30)].join("\n")
    );
}

/// Pairs of valid plain/interface names imported together: the same
/// conflicts, with the same previous name.
#[test]
fn conflicts_agree_with_wasmparser() {
    let seeds = seeds();
    let mut rng = Rng(0x0070_6169_7273);
    let valid: Vec<String> = seeds
        .iter()
        .cloned()
        .chain((0..20_000).map(|_| {
            let s = rng.pick(&seeds).clone();
            mutate(&s, &seeds, &mut rng)
        }))
        .filter(|n| {
            matches!(parse_name(n), Ok(NameKind::Label(_)))
                || (matches!(parse_name(n), Ok(NameKind::Interface(_)))
                    && check_interface_version(n, None).is_ok())
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let (mut pairs, mut conflicts, mut hyphens) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for a in &valid {
        // A look-alike (case flips, `-` moved) and a random other name.
        let mut look: Vec<char> = a.chars().collect();
        for _ in 0..3 {
            let i = rng.below(look.len());
            match rng.below(3) {
                0 => look[i] = look[i].to_ascii_uppercase(),
                1 if look[i] == '-' => {
                    look.remove(i);
                }
                _ => look.insert(i, '-'),
            }
        }
        let look: String = look.into_iter().collect();
        for b in [a.clone(), look, rng.pick(&valid).clone()] {
            if parse_name(&b).is_err() || !matches!(ours(&b), Verdict::Fine) {
                continue;
            }
            pairs += 1;
            let bytes = func_imports(&[a, &b]);
            let t = match Validator::new_with_features(features()).validate_all(&bytes) {
                Ok(_) => None,
                Err(e) => Some(e.message().to_string()),
            };
            let mut set = NameSet::new();
            set.insert(a).unwrap();
            let o = set
                .insert(&b)
                .err()
                .map(|p| format!("import name `{b}` conflicts with previous name `{p}`"));
            conflicts += usize::from(o.is_some());
            // Where only `-`s differ, wasmparser must conflict and we not.
            let mut wp = WasmparserSet::default();
            wp.insert(a).unwrap();
            let w = wp
                .insert(&b)
                .err()
                .map(|p| format!("import name `{b}` conflicts with previous name `{p}`"));
            if o != w && t == w {
                hyphens += 1;
            } else if t != o {
                mismatches.push(format!("{a:?} then {b:?}: wasmparser {t:?}, ours {o:?}"));
            }
        }
    }
    eprintln!(
        "pairs: {pairs} compared, {conflicts} conflicts, {hyphens} differences by `-` alone (wasmparser conflicts), {} mismatches",
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{}",
        mismatches[..mismatches.len().min(30)].join("\n")
    );
}

/// Resource functions: `[constructor]`, `[method]` and `[static]` names
/// (with types that fit) after their resources are imported under their
/// labels, so that only uniqueness can fail.
#[test]
fn resource_function_conflicts_agree_with_wasmparser() {
    let labels = ["a", "b", "A", "a-b", "ab", "B-A", "c"];
    let mut rng = Rng(0x7265_736f);
    let (mut compared, mut conflicts, mut hyphens) = (0, 0, 0);
    for _ in 0..3_000 {
        // The resources, each once, in a random order.
        let mut resources: Vec<&str> = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let r = *rng.pick(&labels);
            if !resources.contains(&r) {
                resources.push(r);
            }
        }
        let mut imports = ComponentImportSection::new();
        for r in &resources {
            imports.import(
                *r,
                ComponentTypeRef::Type(wasm_encoder::TypeBounds::SubResource),
            );
        }
        // Resource j is type j; then per resource: own, borrow, constructor
        // type, method type; then a plain `(func)`.
        let k = resources.len() as u32;
        let mut types = ComponentTypeSection::new();
        for j in 0..k {
            let base = k + 4 * j;
            types.defined_type().own(j);
            types.defined_type().borrow(j);
            types
                .function()
                .params(NO_PARAMS)
                .result(Some(wasm_encoder::ComponentValType::Type(base)));
            types
                .function()
                .params([("self", wasm_encoder::ComponentValType::Type(base + 1))])
                .result(None);
        }
        let plain = 5 * k;
        types.function().params(NO_PARAMS).result(None);
        let mut funcs = ComponentImportSection::new();
        let mut seq: Vec<String> = resources.iter().map(|r| r.to_string()).collect();
        for _ in 0..1 + rng.below(4) {
            let j = rng.below(resources.len());
            let (r, m) = (resources[j], *rng.pick(&labels));
            let base = k + 4 * j as u32;
            let (n, ty) = match rng.below(4) {
                0 => (format!("[constructor]{r}"), base + 2),
                1 => (format!("[method]{r}.{m}"), base + 3),
                2 => (format!("[static]{r}.{m}"), plain),
                _ => (m.to_string(), plain),
            };
            funcs.import(n.as_str(), ComponentTypeRef::Func(ty));
            seq.push(n);
        }
        let mut set = NameSet::new();
        let mut wp = WasmparserSet::default();
        let (mut ours, mut wp_ours) = (None, None);
        for n in &seq {
            let conflict = |p| format!("import name `{n}` conflicts with previous name `{p}`");
            if ours.is_none() {
                ours = set.insert(n).err().map(conflict);
            }
            if wp_ours.is_none() {
                wp_ours = wp.insert(n).err().map(conflict);
            }
        }
        let mut c = Component::new();
        c.section(&imports).section(&types).section(&funcs);
        let theirs = match Validator::new_with_features(features()).validate_all(&c.finish()) {
            Ok(_) => None,
            Err(e) => Some(e.message().to_string()),
        };
        compared += 1;
        conflicts += usize::from(ours.is_some());
        hyphens += usize::from(ours != wp_ours);
        assert_eq!(theirs, wp_ours, "{seq:?}");
    }
    eprintln!(
        "resource functions: {compared} components, {conflicts} conflicts, \
         {hyphens} differing from wasmparser by `-` alone"
    );
}

/// `implements` and `version-suffix` on instance and function imports.
#[test]
fn attributes_agree_with_wasmparser() {
    let names = [
        "a",
        "my-label",
        "A",
        "a1:b/c",
        "a:b/c@0.2",
        "a:b/c@1.0.0",
        "[constructor]a",
        "x:y/z",
    ];
    let impls = [
        None,
        Some("a:b/c"),
        Some("a:b/c@0.2"),
        Some("a:b/c@1.2"),
        Some("a:b/c@1"),
        Some("not-valid"),
        Some(""),
        Some("A:b/c"),
    ];
    let suffixes = [
        None,
        Some(""),
        Some(".1"),
        Some(".2.3"),
        Some("+b"),
        Some(".x"),
    ];
    let wp = features() | WasmFeatures::CM_CANON_NAMES;
    let nf = NameFeatures {
        canon_names: true,
        ..NameFeatures::default()
    };
    let mut compared = 0;
    for name in names {
        for imp in impls {
            for suffix in suffixes {
                for is_instance in [true, false] {
                    let mut types = ComponentTypeSection::new();
                    types.instance(&InstanceType::new());
                    types.function().params(NO_PARAMS).result(None);
                    let mut imports = ComponentImportSection::new();
                    let en = ComponentExternName {
                        name: name.into(),
                        implements: imp.map(Into::into),
                        version_suffix: suffix.map(Into::into),
                        external_id: None,
                    };
                    let ty = if is_instance {
                        ComponentTypeRef::Instance(0)
                    } else {
                        ComponentTypeRef::Func(1)
                    };
                    imports.import(en, ty);
                    let mut c = Component::new();
                    c.section(&types).section(&imports);
                    let theirs = match Validator::new_with_features(wp).validate_all(&c.finish()) {
                        Ok(_) => None,
                        // Resource-function rules are not ours.
                        Err(e)
                            if e.message().contains("is not valid\n")
                                && !e.message().contains("interface version") =>
                        {
                            None
                        }
                        Err(e) => Some(e.message().replace('\n', ": ")),
                    };
                    let ours = (|| {
                        let kind = parse_name(name).map_err(|m| {
                            format!("import name `{name}` is not a valid extern name: {m}")
                        })?;
                        let attrs = NameAttrs {
                            implements: imp,
                            version_suffix: suffix,
                            external_id: None,
                        };
                        check_attributes(name, kind, attrs, is_instance, nf)?;
                        if let NameKind::Interface(_) = kind {
                            check_interface_version(name, suffix)
                                .map_err(|m| format!("import name `{name}` is not valid: {m}"))?;
                        }
                        Ok::<(), String>(())
                    })()
                    .err();
                    compared += 1;
                    assert_eq!(
                        theirs, ours,
                        "{name:?} {imp:?} {suffix:?} instance={is_instance}"
                    );
                }
            }
        }
    }
    eprintln!("attributes: {compared} imports compared");
}

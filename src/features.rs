//! Which proposals a command accepts: `--features LIST`, and the anchors'
//! spellings of the same thing (wabt's `--enable-X`/`--disable-X`/
//! `--enable-all`, binaryen's `--enable-X`, `--all-features`/`-all`,
//! `--mvp-features`/`-mvp`, `--detect-features`), applied in command-line
//! order on top of [`Features::default()`] (plus wabt's own defaults under
//! a wabt name).
//!
//! The anchors' names are mapped onto [`Features::TABLE`] by name, so a
//! proposal added there is picked up here without touching this file; an
//! anchor name with no wtool proposal behind it is a usage error
//! (`not implemented in wtool: --enable-wide-arithmetic`) when enabled and
//! changes nothing when disabled.

use clap::{Arg, ArgAction, ArgMatches, Command};
use wtool_ast::Features;

/// Which tool family spells a feature flag this way (decides where the flag
/// is shown: under that family's alias names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// wat2wasm, wasm2wat, wasm-validate, wasm-interp, wasm-objdump.
    Wabt,
    /// wasm-opt.
    Binaryen,
    /// Both spell it the same.
    Both,
}

/// An anchor's feature name, the wtool proposals it stands for, and who spells it so.
///
/// An empty list means the anchor flag exists but has nothing to switch in
/// wtool (text annotations are always read; code metadata is a custom
/// section wtool keeps anyway; non-nullable GC locals are part of the final
/// GC proposal).
pub const ANCHOR_FEATURES: &[(&str, &[&str], Family)] = &[
    (
        "exceptions",
        &["exceptions", "legacy-exceptions"],
        Family::Wabt,
    ),
    (
        "exception-handling",
        &["exceptions", "legacy-exceptions"],
        Family::Binaryen,
    ),
    ("mutable-globals", &["mutable-global"], Family::Both),
    (
        "saturating-float-to-int",
        &["saturating-float-to-int"],
        Family::Wabt,
    ),
    (
        "nontrapping-float-to-int",
        &["saturating-float-to-int"],
        Family::Binaryen,
    ),
    ("sign-extension", &["sign-extension"], Family::Wabt),
    ("sign-ext", &["sign-extension"], Family::Binaryen),
    ("simd", &["simd"], Family::Both),
    ("threads", &["threads"], Family::Both),
    (
        "function-references",
        &["function-references"],
        Family::Wabt,
    ),
    (
        "typed-function-references",
        &["function-references"],
        Family::Binaryen,
    ),
    ("multi-value", &["multi-value"], Family::Wabt),
    ("multivalue", &["multi-value"], Family::Binaryen),
    ("tail-call", &["tail-call"], Family::Both),
    ("bulk-memory", &["bulk-memory"], Family::Both),
    ("reference-types", &["reference-types"], Family::Both),
    ("annotations", &[], Family::Wabt),
    ("code-metadata", &[], Family::Wabt),
    ("gc", &["gc"], Family::Both),
    ("gc-nn-locals", &[], Family::Binaryen),
    ("memory64", &["memory64"], Family::Both),
    ("multi-memory", &["multi-memory"], Family::Wabt),
    ("extended-const", &["extended-const"], Family::Both),
    ("relaxed-simd", &["relaxed-simd"], Family::Both),
    ("custom-page-sizes", &["custom-page-sizes"], Family::Wabt),
    ("compact-imports", &["compact-imports"], Family::Wabt),
    ("wide-arithmetic", &["wide-arithmetic"], Family::Wabt),
];

/// What wabt 1.0.42 enables without flags (its `--disable-X` flags): under
/// a wabt name these are added to wtool's default set, so a module wabt
/// takes by default is taken too.
const WABT_DEFAULTS: &[&str] = &[
    "exceptions",
    "mutable-globals",
    "saturating-float-to-int",
    "sign-extension",
    "simd",
    "multi-value",
    "tail-call",
    "bulk-memory",
    "reference-types",
    "memory64",
    "multi-memory",
    "extended-const",
    "relaxed-simd",
];

/// The set flags start from. wtool's own commands default to what modules
/// ship with, as wasm-tools does: WebAssembly 3.0 plus threads and legacy
/// exceptions. Under an anchor's name the anchor's defaults hold: WebAssembly
/// 2.0 and, under a wabt name, what wabt enables by default as well.
fn base() -> Features {
    match crate::multicall::invoked_as_family() {
        None => Features::WASM3_THREADS,
        Some(Family::Wabt) => {
            let mut set = Features::default();
            for name in WABT_DEFAULTS {
                if let Some((_, wtool, _)) = ANCHOR_FEATURES.iter().find(|(n, _, _)| n == name) {
                    set = set.union(resolve(wtool).unwrap_or(Features::empty()));
                }
            }
            set
        }
        Some(_) => Features::default(),
    }
}

/// Flags that replace the whole set: (long name, family, the set; `None` = no change).
const PRESETS: &[(&str, Family, Option<Features>, &str)] = &[
    (
        "enable-all",
        Family::Wabt,
        Some(Features::ALL),
        "Enable all features",
    ),
    (
        "all-features",
        Family::Binaryen,
        Some(Features::ALL),
        "Enable all features (-all)",
    ),
    (
        "mvp-features",
        Family::Binaryen,
        Some(Features::MVP),
        "Disable all non-MVP features (-mvp)",
    ),
    (
        "detect-features",
        Family::Binaryen,
        None,
        "Accepted and ignored, as binaryen 108 does (deprecated there)",
    ),
];

/// The wtool proposals behind an anchor name that this build has, or
/// `None` when the name stands for proposals wtool does not implement.
fn resolve(wtool_names: &[&str]) -> Option<Features> {
    if wtool_names.is_empty() {
        return Some(Features::empty());
    }
    let found: Vec<Features> = wtool_names
        .iter()
        .filter_map(|n| {
            Features::TABLE
                .iter()
                .find(|(_, name, _)| name == n)
                .map(|(f, _, _)| *f)
        })
        .collect();
    if found.is_empty() {
        return None;
    }
    Some(found.into_iter().fold(Features::empty(), Features::union))
}

/// One change to the set, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Edit {
    /// `--features LIST`.
    Spec(String),
    /// Replace the set.
    Set(Features),
    /// Add to it.
    Enable(Features),
    /// Remove from it.
    Disable(Features),
}

/// `--features` and the anchors' feature flags.
#[derive(Debug, Clone, Default)]
pub struct FeaturesArg {
    edits: Vec<Edit>,
}

/// Checks one `--features` value at parse time, so a typo is a usage error (exit 2).
fn check_features(s: &str) -> Result<String, wtool_ast::UnknownFeature> {
    Features::parse(s, Features::default()).map(|_| s.to_string())
}

impl FeaturesArg {
    /// Whether any feature flag was given (some commands default to another set).
    pub fn is_set(&self) -> bool {
        !self.edits.is_empty()
    }

    /// The resulting set: every flag applies on top of the previous, starting
    /// from the default set.
    pub fn get(&self) -> Features {
        self.edits.iter().fold(base(), |set, e| match e {
            // Every value passed `check_features`; an error cannot happen here.
            Edit::Spec(spec) => Features::parse(spec, set).unwrap_or(set),
            Edit::Set(f) => *f,
            Edit::Enable(f) => set.union(*f),
            Edit::Disable(f) => set.without(*f),
        })
    }

    /// The same edits written as `--features` values, for a command that
    /// passes them on (`+simd`, `-threads`, `all`).
    #[cfg(test)]
    fn from_specs(specs: &[&str]) -> FeaturesArg {
        FeaturesArg {
            edits: specs.iter().map(|s| Edit::Spec(s.to_string())).collect(),
        }
    }
}

/// The clap id of the flag `--enable-NAME` / `--disable-NAME`.
fn flag_id(on: bool, name: &str) -> String {
    format!("{}-{name}", if on { "enable" } else { "disable" })
}

/// The long flags of `family` (for an alias to show in its help).
pub fn flags_of(family: Family) -> Vec<String> {
    let mine = |f: Family| f == family || f == Family::Both;
    let mut v: Vec<String> = ANCHOR_FEATURES
        .iter()
        .filter(|(_, _, f)| mine(*f))
        .flat_map(|(n, _, _)| [flag_id(true, n), flag_id(false, n)])
        .collect();
    v.extend(
        PRESETS
            .iter()
            .filter(|(_, f, _, _)| mine(*f))
            .map(|(n, _, _, _)| n.to_string()),
    );
    v
}

/// Messages name the flag that enables a proposal as `--features=+NAME`;
/// under an alias name they say it in that tool's words (`--enable-threads`).
pub fn respell(text: &str, family: Family) -> String {
    let mut out = text.to_string();
    for (_, wtool, _) in Features::TABLE {
        let ours = format!("--features=+{wtool}");
        if !out.contains(&ours) {
            continue;
        }
        let theirs = ANCHOR_FEATURES
            .iter()
            .find(|(_, ws, f)| ws.first() == Some(wtool) && (*f == family || *f == Family::Both));
        if let Some((name, _, _)) = theirs {
            out = out.replace(&ours, &format!("--enable-{name}"));
        }
    }
    out
}

impl clap::Args for FeaturesArg {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd = cmd.arg(
            Arg::new("features")
                .long("features")
                .value_name("LIST")
                .allow_hyphen_values(true)
                .action(ArgAction::Append)
                .value_parser(check_features)
                .help(
                    "Enable or disable proposals: a comma-separated list of `NAME`, \
                     `+NAME`, `-NAME` or a preset (`wasm1`, `wasm2`, `wasm3`, `all`), \
                     e.g. `--features=-simd` or `--features wasm3`. May be repeated",
                ),
        );
        // The anchors' spellings, hidden unless an alias shows them.
        if !crate::anchor_flags_wanted() {
            return cmd;
        }
        for (name, _, _) in ANCHOR_FEATURES {
            for on in [true, false] {
                let id = flag_id(on, name);
                let verb = if on { "Enable" } else { "Disable" };
                cmd = cmd.arg(
                    Arg::new(id.clone())
                        .long(id)
                        .num_args(0)
                        .action(ArgAction::Append)
                        .default_missing_value("")
                        .help(format!("{verb} the {name} proposal"))
                        .hide(true),
                );
            }
        }
        for (name, _, _, help) in PRESETS {
            cmd = cmd.arg(
                Arg::new(*name)
                    .long(*name)
                    .num_args(0)
                    .action(ArgAction::Append)
                    .default_missing_value("")
                    .help(*help)
                    .hide(true),
            );
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for FeaturesArg {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut edits: Vec<(usize, Edit)> = Vec::new();
        // Ids left out of a lean CLI (see `anchor_flags_wanted`) are not asked for.
        let at = |id: &str| -> Vec<usize> {
            if m.try_contains_id(id).ok() != Some(true) {
                return Vec::new();
            }
            m.indices_of(id).map(|i| i.collect()).unwrap_or_default()
        };
        if let Some(values) = m.get_many::<String>("features") {
            edits.extend(
                at("features")
                    .into_iter()
                    .zip(values.cloned().map(Edit::Spec)),
            );
        }
        for (name, wtool, _) in ANCHOR_FEATURES {
            for on in [true, false] {
                let places = at(&flag_id(on, name));
                if places.is_empty() {
                    continue;
                }
                let edit = match (resolve(wtool), on) {
                    (Some(f), true) => Edit::Enable(f),
                    (Some(f), false) => Edit::Disable(f),
                    // Switching off what wtool does not have changes nothing.
                    (None, false) => Edit::Disable(Features::empty()),
                    (None, true) => {
                        return Err(clap::Error::raw(
                            clap::error::ErrorKind::ArgumentConflict,
                            format!(
                                "not implemented in wtool: --enable-{name} \
                                 (wtool does not implement the {name} proposal)\n"
                            ),
                        ))
                    }
                };
                edits.extend(places.into_iter().map(|i| (i, edit.clone())));
            }
        }
        for (name, _, set, _) in PRESETS {
            let edit = match set {
                Some(f) => Edit::Set(*f),
                None => Edit::Enable(Features::empty()),
            };
            edits.extend(at(name).into_iter().map(|i| (i, edit.clone())));
        }
        edits.sort_by_key(|(i, _)| *i);
        Ok(FeaturesArg {
            edits: edits.into_iter().map(|(_, e)| e).collect(),
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Args, FromArgMatches};

    fn parse(args: &[&str]) -> Result<Features, clap::Error> {
        let cmd = FeaturesArg::augment_args(Command::new("t").no_binary_name(true));
        let m = cmd.try_get_matches_from(args)?;
        FeaturesArg::from_arg_matches(&m).map(|f| f.get())
    }

    #[test]
    fn features_accumulate_in_order() {
        assert_eq!(FeaturesArg::default().get(), Features::WASM3_THREADS);
        let f = FeaturesArg::from_specs(&["-simd", "+tail-call"]).get();
        assert!(!f.contains(Features::SIMD) && f.contains(Features::TAIL_CALL));
        assert!(check_features("nope").is_err());
        // Anchor spellings and `--features` interleave in command-line order.
        let f = parse(&["--disable-simd", "--features=+simd", "--enable-threads"]).unwrap();
        assert!(f.contains(Features::SIMD) && f.contains(Features::THREADS));
        let f = parse(&["--enable-threads", "--mvp-features", "--enable-simd"]).unwrap();
        assert_eq!(f, Features::SIMD);
        let f = parse(&["--mvp-features", "--enable-all"]).unwrap();
        assert_eq!(f, Features::ALL);
        let f = parse(&["--all-features", "--disable-simd", "--disable-simd"]).unwrap();
        assert!(!f.contains(Features::SIMD) && f.contains(Features::GC));
        let f = parse(&["--enable-sign-ext", "--disable-sign-extension"]).unwrap();
        assert!(!f.contains(Features::SIGN_EXTENSION));
        // Names that switch nothing, and `--detect-features`.
        let f = parse(&["--enable-annotations", "--detect-features"]).unwrap();
        assert_eq!(f, Features::WASM3_THREADS);
    }

    #[test]
    fn anchor_names_map_by_name() {
        for (name, wtool, _) in ANCHOR_FEATURES {
            for w in *wtool {
                // Every wtool name used here is one `--features` knows, or a
                // proposal wtool does not have (then enabling it is refused).
                let known = Features::TABLE.iter().any(|(_, n, _)| n == w);
                let refused = parse(&[&format!("--enable-{name}")]).is_err();
                assert!(
                    known || refused || wtool.len() > 1,
                    "--enable-{name} maps to {w}"
                );
            }
        }
        let e = parse(&["--enable-wide-arithmetic"]);
        if Features::TABLE
            .iter()
            .all(|(_, n, _)| *n != "wide-arithmetic")
        {
            let msg = e.unwrap_err().to_string();
            assert!(
                msg.contains("not implemented in wtool: --enable-wide-arithmetic"),
                "{msg}"
            );
            assert!(parse(&["--disable-wide-arithmetic"]).is_ok());
        }
    }

    #[test]
    fn hints_in_the_anchors_words() {
        let msg = "SIMD support is not enabled (enable with --features=+simd); see --features=+sign-extension";
        assert_eq!(
            respell(msg, Family::Binaryen),
            "SIMD support is not enabled (enable with --enable-simd); see --enable-sign-ext"
        );
        assert_eq!(
            respell(msg, Family::Wabt),
            "SIMD support is not enabled (enable with --enable-simd); see --enable-sign-extension"
        );
    }

    #[test]
    fn every_family_has_its_flags() {
        let wabt = flags_of(Family::Wabt);
        assert!(wabt.contains(&"enable-threads".to_string()));
        assert!(wabt.contains(&"enable-all".to_string()));
        assert!(!wabt.contains(&"enable-sign-ext".to_string()));
        let binaryen = flags_of(Family::Binaryen);
        assert!(binaryen.contains(&"enable-sign-ext".to_string()));
        assert!(binaryen.contains(&"mvp-features".to_string()));
        assert!(binaryen.contains(&"enable-simd".to_string()));
    }
}

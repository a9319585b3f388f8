//! binaryen's `wasm-opt` command line (version 108) mapped onto `wtool opt`:
//! `-O` levels (repeatable, in order), `--optimize-level`/`--shrink-level`,
//! pass names as flags (`--dce`, `--vacuum`, `--inlining`, …), `--print`,
//! and binaryen's other options, each either given its meaning, accepted
//! where it only permits optimizations wtool does not make, or refused with
//! `not implemented in wtool: --NAME`.
//!
//! binaryen spells many options with one dash (`-all`, `-iit`, `-ol 3`);
//! [`normalize`] rewrites those to the long forms before clap sees them.

use clap::{Arg, ArgAction, ArgMatches, Command};
use wtool_opt::OptLevel;

/// What a binaryen pass flag does in wtool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassMap {
    /// Runs these wtool passes, in order.
    Passes(&'static [&'static str]),
    /// Prints the module as text to stdout at this point (`--print`).
    Print,
    /// wtool has no such pass.
    Missing,
}

use PassMap::{Missing, Passes, Print};

/// Every pass binaryen 108 lists, and what it is in wtool. Where wtool's
/// pass does part of binaryen's (e.g. `remove-unused-brs` → wtool's
/// `simplify-branches`, which folds constant branches but does not thread
/// jumps), the output is still valid and means the same; docs/cli.md says
/// which mappings are partial.
pub const PASSES: &[(&str, PassMap)] = &[
    ("alignment-lowering", Missing),
    ("asyncify", Missing),
    ("avoid-reinterprets", Missing),
    ("cfp", Missing),
    ("coalesce-locals", Passes(&["coalesce-locals"])),
    ("coalesce-locals-learning", Passes(&["coalesce-locals"])),
    ("code-folding", Passes(&["code-folding"])),
    ("code-pushing", Missing),
    ("const-hoisting", Missing),
    ("dae", Passes(&["dae"])),
    (
        "dae-optimizing",
        Passes(&["dae", "precompute", "simplify-branches", "dce", "vacuum"]),
    ),
    ("dce", Passes(&["dce"])),
    ("dealign", Missing),
    ("denan", Missing),
    ("dfo", Missing),
    ("directize", Passes(&["directize"])),
    (
        "duplicate-function-elimination",
        Passes(&["duplicate-function-elimination"]),
    ),
    (
        "duplicate-import-elimination",
        Passes(&["duplicate-import-elimination"]),
    ),
    ("dwarfdump", Missing),
    ("emit-target-features", Missing),
    ("extract-function", Missing),
    ("extract-function-index", Missing),
    ("flatten", Missing),
    ("fpcast-emu", Missing),
    ("func-metrics", Missing),
    ("generate-dyncalls", Missing),
    ("generate-i64-dyncalls", Missing),
    ("generate-stack-ir", Missing),
    ("global-refining", Missing),
    ("gto", Missing),
    ("heap2local", Missing),
    ("i64-to-i32-lowering", Missing),
    ("inline-main", Missing),
    ("inlining", Passes(&["inlining"])),
    (
        "inlining-optimizing",
        Passes(&[
            "inlining",
            "precompute",
            "simplify-branches",
            "dce",
            "merge-blocks",
            "vacuum",
        ]),
    ),
    ("instrument-locals", Missing),
    ("instrument-memory", Missing),
    ("intrinsic-lowering", Missing),
    ("legalize-js-interface", Missing),
    ("legalize-js-interface-minimally", Missing),
    ("licm", Missing),
    ("limit-segments", Missing),
    ("local-cse", Passes(&["local-cse"])),
    ("local-subtyping", Missing),
    ("log-execution", Missing),
    ("memory-packing", Passes(&["memory-packing"])),
    ("memory64-lowering", Missing),
    ("merge-blocks", Passes(&["merge-blocks"])),
    ("merge-locals", Missing),
    (
        "merge-similar-functions",
        Passes(&["merge-similar-functions"]),
    ),
    ("metrics", Missing),
    ("minify-imports", Missing),
    ("minify-imports-and-exports", Missing),
    ("minify-imports-and-exports-and-modules", Missing),
    ("mod-asyncify-always-and-only-unwind", Missing),
    ("mod-asyncify-never-unwind", Missing),
    ("name-types", Missing),
    ("nm", Missing),
    ("once-reduction", Missing),
    ("optimize-added-constants", Missing),
    ("optimize-added-constants-propagate", Missing),
    ("optimize-for-js", Missing),
    ("optimize-instructions", Passes(&["peephole"])),
    ("optimize-stack-ir", Missing),
    ("pick-load-signs", Missing),
    ("poppify", Missing),
    ("post-emscripten", Missing),
    ("precompute", Passes(&["precompute"])),
    ("precompute-propagate", Passes(&["precompute"])),
    ("print", Print),
    ("print-call-graph", Missing),
    ("print-features", Missing),
    ("print-full", Print),
    ("print-function-map", Missing),
    ("print-minified", Missing),
    ("print-stack-ir", Missing),
    ("remove-imports", Missing),
    ("remove-memory", Missing),
    ("remove-non-js-ops", Missing),
    (
        "remove-unused-brs",
        Passes(&["simplify-branches", "block-to-if"]),
    ),
    (
        "remove-unused-module-elements",
        Passes(&["remove-unused-module-elements"]),
    ),
    ("remove-unused-names", Passes(&["remove-unused-labels"])),
    ("remove-unused-nonfunction-module-elements", Missing),
    ("reorder-functions", Passes(&["reorder-functions"])),
    ("reorder-locals", Passes(&["remove-unused-locals"])),
    ("rereloop", Missing),
    ("roundtrip", Missing),
    ("rse", Passes(&["rse"])),
    ("safe-heap", Missing),
    ("set-globals", Missing),
    ("signature-pruning", Missing),
    ("signature-refining", Missing),
    ("simplify-globals", Missing),
    ("simplify-globals-optimizing", Missing),
    ("simplify-locals", Passes(&["simplify-locals"])),
    ("simplify-locals-nonesting", Missing),
    ("simplify-locals-nostructure", Passes(&["simplify-locals"])),
    ("simplify-locals-notee", Passes(&["simplify-locals"])),
    (
        "simplify-locals-notee-nostructure",
        Passes(&["simplify-locals"]),
    ),
    ("souperify", Missing),
    ("souperify-single-use", Missing),
    ("ssa", Missing),
    ("ssa-nomerge", Missing),
    ("stack-check", Missing),
    ("strip", Passes(&["strip-debug"])),
    ("strip-debug", Passes(&["strip-debug"])),
    ("strip-dwarf", Passes(&["strip-dwarf"])),
    ("strip-producers", Passes(&["strip-producers"])),
    ("strip-target-features", Passes(&["strip-target-features"])),
    ("stub-unsupported-js", Missing),
    ("symbolmap", Missing),
    ("trap-mode-clamp", Missing),
    ("trap-mode-js", Missing),
    ("type-refining", Missing),
    ("untee", Missing),
    ("vacuum", Passes(&["vacuum"])),
];

/// What one of binaryen's other options does in wtool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `--ignore-implicit-traps`, and `--traps-never-happen` (whose weaker
    /// half it is: loads and divisions may be removed when unused).
    IgnoreImplicitTraps,
    /// Largest callee the inliner copies (binaryen measures in expressions,
    /// wtool in instructions: about the same).
    InlineSize,
    /// Permits optimizations wtool does not make, or only changes output
    /// wtool does not print: accepted, no effect.
    Accepted,
    /// A heuristic knob of a binaryen pass wtool's passes do not have: a warning.
    Ignored,
    /// Refused: `not implemented in wtool: --NAME (why)`.
    Unsupported(&'static str),
}

/// binaryen 108's options besides passes, features and the ones `wtool
/// opt` has itself: (long name, one-dash short name, value name, effect).
pub const OPTIONS: &[(&str, Option<&str>, Option<&str>, Effect)] = &[
    (
        "traps-never-happen",
        Some("-tnh"),
        None,
        Effect::IgnoreImplicitTraps,
    ),
    (
        "always-inline-max-function-size",
        Some("-aimfs"),
        Some("N"),
        Effect::InlineSize,
    ),
    (
        "flexible-inline-max-function-size",
        Some("-fimfs"),
        Some("N"),
        Effect::InlineSize,
    ),
    (
        "one-caller-inline-max-function-size",
        Some("-ocimfs"),
        Some("N"),
        Effect::Ignored,
    ),
    (
        "inline-functions-with-loops",
        Some("-ifwl"),
        None,
        Effect::Ignored,
    ),
    (
        "partial-inlining-ifs",
        Some("-pii"),
        Some("N"),
        Effect::Ignored,
    ),
    ("low-memory-unused", Some("-lmu"), None, Effect::Accepted),
    ("fast-math", Some("-ffm"), None, Effect::Accepted),
    ("zero-filled-memory", Some("-uim"), None, Effect::Accepted),
    ("quiet", Some("-q"), None, Effect::Accepted),
    ("debug", Some("-d"), None, Effect::Accepted),
    (
        "no-validation",
        Some("-n"),
        None,
        Effect::Unsupported("wtool's passes need a valid module, so the input is always validated"),
    ),
    (
        "pass-arg",
        Some("-pa"),
        Some("KEY@VALUE"),
        Effect::Unsupported("wtool's passes take no arguments"),
    ),
    (
        "nominal",
        None,
        None,
        Effect::Unsupported("GC type system modes are binaryen's own"),
    ),
    (
        "structural",
        None,
        None,
        Effect::Unsupported("GC type system modes are binaryen's own"),
    ),
    (
        "hybrid",
        None,
        None,
        Effect::Unsupported("GC type system modes are binaryen's own"),
    ),
    (
        "experimental-poppy",
        None,
        None,
        Effect::Unsupported("Poppy IR is binaryen's own"),
    ),
    (
        "input-source-map",
        Some("-ism"),
        Some("FILE"),
        Effect::Unsupported("wtool reads no source maps"),
    ),
    (
        "output-source-map",
        Some("-osm"),
        Some("FILE"),
        Effect::Unsupported("wtool writes no source maps"),
    ),
    (
        "output-source-map-url",
        Some("-osu"),
        Some("URL"),
        Effect::Unsupported("wtool writes no source maps"),
    ),
    (
        "fuzz-exec-before",
        Some("-feh"),
        None,
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "fuzz-exec",
        Some("-fe"),
        None,
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "extra-fuzz-command",
        Some("-efc"),
        Some("CMD"),
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "translate-to-fuzz",
        Some("-ttf"),
        None,
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "initial-fuzz",
        Some("-if"),
        Some("FILE"),
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "fuzz-passes",
        Some("-fp"),
        None,
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "no-fuzz-memory",
        None,
        None,
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "no-fuzz-oob",
        None,
        None,
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "emit-js-wrapper",
        Some("-ejw"),
        Some("FILE"),
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "emit-spec-wrapper",
        Some("-esw"),
        Some("FILE"),
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
    (
        "emit-wasm2c-wrapper",
        None,
        Some("FILE"),
        Effect::Unsupported("binaryen's fuzzing harness"),
    ),
];

/// One-dash spellings of options clap knows by their long names.
const ONE_DASH: &[(&str, &str)] = &[
    ("-all", "--all-features"),
    ("-mvp", "--mvp-features"),
    ("-iit", "--ignore-implicit-traps"),
    ("-ol", "--optimize-level"),
];

/// Rewrites binaryen's one-dash long options (`-all`, `-iit`, `-ol 3`, …)
/// to `--long` forms, and a bare `-O` to `-Os` (binaryen 108: "execute
/// default optimization passes (equivalent to -Os)"). Everything after `--`
/// is left alone.
pub fn normalize(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut rest = false;
    for a in args {
        if rest {
            out.push(a);
            continue;
        }
        let s = a.to_string_lossy();
        rest = s == "--";
        let long = ONE_DASH
            .iter()
            .map(|&(short, long)| (short, long.to_string()))
            .chain(
                OPTIONS
                    .iter()
                    .filter_map(|(long, short, _, _)| short.map(|s| (s, format!("--{long}")))),
            )
            .find(|(short, _)| short.len() > 2 && *short == s)
            .map(|(_, long)| long);
        match long {
            Some(l) => out.push(l.into()),
            None if s == "-O" => out.push("-Os".into()),
            None => out.push(a),
        }
    }
    out
}

/// Whether `args` spell any of binaryen's own flags (a pass name, one of
/// its options, a one-dash long option): only then does `wtool opt` need
/// them in its command line.
pub fn mentions_binaryen_flag<'a>(mut args: impl Iterator<Item = &'a str>) -> bool {
    args.any(|a| {
        if ONE_DASH.iter().any(|(short, _)| *short == a)
            || OPTIONS.iter().any(|(_, short, _, _)| *short == Some(a))
        {
            return true;
        }
        let Some(long) = a.strip_prefix("--") else {
            return false;
        };
        let name = long.split_once('=').map_or(long, |(n, _)| n);
        PASSES.iter().any(|(n, _)| *n == name)
            || OPTIONS.iter().any(|(n, _, _, _)| *n == name)
            || wtool_opt::registry::lookup(name).is_some()
    })
}

/// One step of the pipeline, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An `-O` level: runs the pipeline of the final level (binaryen
    /// applies the last `-O`, `--optimize-level` and `--shrink-level` to
    /// every pass, and each `-O` runs the default pipeline once more).
    Level,
    /// A pass by wtool name.
    Pass(String),
    /// Print the module as text to stdout.
    Print,
}

/// The pipeline flags of `wtool opt`: `-O`, `--passes`, levels and pass
/// flags, and binaryen's options.
#[derive(Clone, Debug, Default)]
pub struct PipelineArgs {
    /// The steps, in command-line order.
    pub steps: Vec<Step>,
    /// The level every pass sees (the last `-O`, adjusted by
    /// `--optimize-level`/`--shrink-level`), if any was given.
    pub level: Option<OptLevel>,
    /// `-O4` (or `--optimize-level 4`) was asked for: wtool runs -O3's passes.
    pub o4: bool,
    /// `--traps-never-happen`.
    pub traps_never_happen: bool,
    /// `-aimfs`/`-fimfs`: the inliner's size limit.
    pub inline_max: Option<usize>,
    /// Options that have no effect in wtool and say so.
    pub ignored: Vec<&'static str>,
}

/// The id of a pass flag (`pass:dce`), apart from option ids.
fn pass_id(name: &str) -> String {
    format!("pass:{name}")
}

/// wtool's own pass names, also usable as flags (`--peephole`).
fn own_passes() -> impl Iterator<Item = &'static str> {
    wtool_opt::registry::PASSES
        .iter()
        .map(|p| p.name)
        .filter(|n| PASSES.iter().all(|(b, _)| b != n))
}

/// Parses an `-O` value: `0`…`4`, `s`, `z` (with or without the `O`).
fn parse_level(s: &str) -> Result<(OptLevel, bool), String> {
    let t = s.strip_prefix('O').unwrap_or(s);
    if !matches!(t, "0" | "1" | "2" | "3" | "4" | "s" | "z") {
        return Err(format!(
            "unknown optimization level `{s}` (expected 0, 1, 2, 3, 4, s or z: -O2, -Oz, …)"
        ));
    }
    t.parse::<OptLevel>()
        .map(|l| (l, t == "4"))
        .map_err(|e| e.to_string())
}

impl clap::Args for PipelineArgs {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd = cmd
            .arg(
                Arg::new("level")
                    .short('O')
                    .value_name("LEVEL")
                    .action(ArgAction::Append)
                    .value_parser(|s: &str| parse_level(s).map(|_| s.to_string()))
                    .help(
                        "Optimization level: -O0, -O1, -O2, -O3, -O4 (runs -O3's passes), \
                         -Os (size) or -Oz (smallest); repeat to run the pipeline again",
                    ),
            )
            .arg(
                Arg::new("passes")
                    .long("passes")
                    .value_name("A,B,…")
                    .value_delimiter(',')
                    .action(ArgAction::Append)
                    .help(
                        "Run these passes (comma-separated), where they stand among the -O levels",
                    ),
            )
            .arg(
                Arg::new("optimize-level")
                    .long("optimize-level")
                    .value_name("0-4")
                    .value_parser(clap::value_parser!(u8).range(0..=4))
                    .action(ArgAction::Append)
                    .help("How hard every pass optimizes (binaryen's -ol), whatever -O says")
                    .hide(true),
            )
            .arg(
                Arg::new("shrink-level")
                    .long("shrink-level")
                    .short('s')
                    .value_name("0-2")
                    .value_parser(clap::value_parser!(u8).range(0..=2))
                    .action(ArgAction::Append)
                    .help("How much every pass favours size (binaryen's -s), whatever -O says")
                    .hide(true),
            );
        if !crate::anchor_flags_wanted() {
            return cmd;
        }
        for name in PASSES.iter().map(|(n, _)| *n).chain(own_passes()) {
            let help = match PASSES.iter().find(|(n, _)| *n == name) {
                Some((_, Missing)) => "binaryen pass wtool does not have (refused)".to_string(),
                Some((_, Print)) => "Print the module as text to stdout at this point".to_string(),
                Some((_, Passes(p))) => format!("Run wtool's {}", p.join(", ")),
                None => format!("Run the {name} pass"),
            };
            cmd = cmd.arg(
                Arg::new(pass_id(name))
                    .long(name)
                    .num_args(0)
                    .action(ArgAction::Append)
                    .default_missing_value("")
                    .help(help)
                    .hide(true),
            );
        }
        for (long, short, value, effect) in OPTIONS {
            let mut arg = Arg::new(*long)
                .long(*long)
                .action(ArgAction::Append)
                .hide(true);
            // One-letter spellings are clap shorts; longer ones go through `normalize`.
            if let Some(c) = short
                .and_then(|s| s.strip_prefix('-'))
                .filter(|s| s.len() == 1)
            {
                arg = arg.short(c.chars().next().unwrap_or('?'));
            }
            arg = match value {
                Some(v) => arg.value_name(*v).num_args(1),
                None => arg.num_args(0).default_missing_value(""),
            };
            let help = match effect {
                Effect::IgnoreImplicitTraps => "Like --ignore-implicit-traps".to_string(),
                Effect::InlineSize => "The inliner's size limit (instructions)".to_string(),
                Effect::Accepted => "Accepted; no effect in wtool".to_string(),
                Effect::Ignored => "Accepted with a warning; no effect in wtool".to_string(),
                Effect::Unsupported(why) => format!("Refused: {why}"),
            };
            cmd = cmd.arg(arg.help(help));
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// `(index, value)` of every occurrence of `id`.
fn occurrences(m: &ArgMatches, id: &str) -> Vec<(usize, String)> {
    // Ids left out of a lean CLI (see `anchor_flags_wanted`) are not asked for.
    if m.try_contains_id(id).ok() != Some(true) {
        return Vec::new();
    }
    let (Some(idx), Some(vals)) = (m.indices_of(id), m.get_many::<String>(id)) else {
        return Vec::new();
    };
    idx.zip(vals.cloned()).collect()
}

fn refused(what: String) -> clap::Error {
    clap::Error::raw(
        clap::error::ErrorKind::ArgumentConflict,
        format!("not implemented in wtool: {what}\n"),
    )
}

/// An event on the command line that shapes the pipeline.
enum Event {
    Step(Step),
    Level(OptLevel, bool),
    OptimizeLevel(u8),
    ShrinkLevel(u8),
}

impl clap::FromArgMatches for PipelineArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut p = PipelineArgs::default();
        let mut events: Vec<(usize, Event)> = Vec::new();
        for (i, v) in occurrences(m, "level") {
            let (l, o4) = parse_level(&v).map_err(|e| {
                clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{e}\n"))
            })?;
            events.push((i, Event::Level(l, o4)));
        }
        for (i, v) in occurrences(m, "passes") {
            events.push((i, Event::Step(Step::Pass(v.trim().to_string()))));
        }
        let numbers = |id: &str| -> Vec<(usize, u8)> {
            if m.try_contains_id(id).ok() != Some(true) {
                return Vec::new();
            }
            match (m.indices_of(id), m.get_many::<u8>(id)) {
                (Some(i), Some(v)) => i.zip(v.copied()).collect(),
                _ => Vec::new(),
            }
        };
        for (i, n) in numbers("optimize-level") {
            events.push((i, Event::OptimizeLevel(n)));
        }
        for (i, n) in numbers("shrink-level") {
            events.push((i, Event::ShrinkLevel(n)));
        }
        for name in PASSES.iter().map(|(n, _)| *n).chain(own_passes()) {
            for (i, _) in occurrences(m, &pass_id(name)) {
                match PASSES.iter().find(|(n, _)| *n == name).map(|(_, x)| *x) {
                    Some(Missing) => return Err(refused(format!("--{name}"))),
                    Some(Print) => events.push((i, Event::Step(Step::Print))),
                    Some(Passes(ps)) => events.extend(
                        ps.iter()
                            .map(|p| (i, Event::Step(Step::Pass(p.to_string())))),
                    ),
                    None => events.push((i, Event::Step(Step::Pass(name.to_string())))),
                }
            }
        }
        for (long, _, _, effect) in OPTIONS {
            let given = occurrences(m, long);
            let Some((_, value)) = given.last() else {
                continue;
            };
            match effect {
                Effect::IgnoreImplicitTraps => p.traps_never_happen = true,
                Effect::InlineSize => {
                    let n = value.parse::<usize>().map_err(|_| {
                        clap::Error::raw(
                            clap::error::ErrorKind::InvalidValue,
                            format!("--{long} takes a number of instructions, not `{value}`\n"),
                        )
                    })?;
                    p.inline_max = Some(p.inline_max.map_or(n, |m| m.max(n)));
                }
                Effect::Accepted => {}
                Effect::Ignored => p.ignored.push(long),
                Effect::Unsupported(why) => return Err(refused(format!("--{long} ({why})"))),
            }
        }
        events.sort_by_key(|(i, _)| *i);
        let mut level: Option<OptLevel> = None;
        for (_, e) in events {
            match e {
                Event::Step(s) => p.steps.push(s),
                Event::Level(l, o4) => {
                    p.o4 |= o4;
                    level = Some(l);
                    p.steps.push(Step::Level);
                }
                Event::OptimizeLevel(n) => {
                    p.o4 |= n == 4;
                    level.get_or_insert(OptLevel::O2).opt = n.min(3);
                }
                Event::ShrinkLevel(n) => level.get_or_insert(OptLevel::O2).shrink = n,
            }
        }
        p.level = level;
        Ok(p)
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

/// Long ids of the binaryen-only flags an alias shows in its help (the
/// pass flags wtool runs, and the options with an effect).
pub fn shown_flags() -> Vec<String> {
    let mut v: Vec<String> = PASSES
        .iter()
        .filter(|(_, m)| *m != Missing)
        .map(|(n, _)| pass_id(n))
        .collect();
    v.extend(["optimize-level".to_string(), "shrink-level".to_string()]);
    v.extend(
        OPTIONS
            .iter()
            .filter(|(_, _, _, e)| !matches!(e, Effect::Unsupported(_)))
            .map(|(l, _, _, _)| l.to_string()),
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Args, FromArgMatches};

    fn parse(args: &[&str]) -> Result<PipelineArgs, clap::Error> {
        let cmd = PipelineArgs::augment_args(Command::new("t").no_binary_name(true));
        let args = normalize(args.iter().map(Into::into).collect());
        PipelineArgs::from_arg_matches(&cmd.try_get_matches_from(args)?)
    }

    #[test]
    fn steps_keep_command_line_order() {
        let p = parse(&["--dce", "-O3", "--vacuum", "-O1", "--print"]).unwrap();
        assert_eq!(
            p.steps,
            [
                Step::Pass("dce".into()),
                Step::Level,
                Step::Pass("vacuum".into()),
                Step::Level,
                Step::Print
            ]
        );
        assert_eq!(p.level, Some(OptLevel::O1));
        let p = parse(&["--passes", "dce,vacuum", "--inlining-optimizing"]).unwrap();
        // inlining-optimizing: inlining, then the cleanup round of -O3.
        assert_eq!(p.steps.len(), 2 + 6);
        let p = parse(&["-Oz", "-ol", "3", "-s", "1"]).unwrap();
        assert_eq!(p.level, Some(OptLevel { opt: 3, shrink: 1 }));
        let p = parse(&["-O"]).unwrap();
        assert_eq!(p.level, Some(OptLevel::OS));
        let p = parse(&["-O4"]).unwrap();
        assert!(p.o4 && p.level == Some(OptLevel::O3));
        assert!(parse(&["-O9"]).is_err());
    }

    #[test]
    fn binaryen_options() {
        let msg = parse(&["--licm"]).unwrap_err().to_string();
        assert!(msg.contains("not implemented in wtool: --licm"), "{msg}");
        let msg = parse(&["-n"]).unwrap_err().to_string();
        assert!(
            msg.contains("not implemented in wtool: --no-validation"),
            "{msg}"
        );
        let p = parse(&["-tnh", "-aimfs", "4", "-fimfs", "30", "-lmu", "-pii", "3"]).unwrap();
        assert!(p.traps_never_happen);
        assert_eq!(p.inline_max, Some(30));
        assert_eq!(p.ignored, ["partial-inlining-ifs"]);
        let p = parse(&["--strip-debug", "--strip-producers", "--strip"]).unwrap();
        assert_eq!(
            p.steps,
            ["strip-debug", "strip-producers", "strip-debug"].map(|s| Step::Pass(s.into()))
        );
        // wtool's own passes are flags too.
        assert_eq!(
            parse(&["--peephole"]).unwrap().steps,
            [Step::Pass("peephole".into())]
        );
    }

    #[test]
    fn mapped_passes_exist() {
        for (name, m) in PASSES {
            if let Passes(ps) = m {
                for p in *ps {
                    assert!(wtool_opt::registry::lookup(p).is_some(), "{name} → {p}");
                }
            }
        }
        let mut sorted: Vec<&str> = PASSES.iter().map(|(n, _)| *n).collect();
        sorted.sort_unstable();
        assert_eq!(sorted, PASSES.iter().map(|(n, _)| *n).collect::<Vec<_>>());
    }
}

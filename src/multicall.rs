//! Multi-call: the binary installed under another tool's name (a symlink or
//! a copy called `wasm2wat`, …) runs the matching `wtool` subcommand with
//! that tool's flags and defaults, so wtool can stand in for the wabt and
//! binaryen tools in existing scripts.
//!
//! Under an alias, the subcommand's hidden anchor flags (`--enable-threads`,
//! `--debug-names`, `--dce`, …) are shown in `--help` under a heading of
//! their own, `--version` names both tools, and commands ask
//! [`invoked_as`] for the defaults that differ (wat2wasm writes no names
//! unless `--debug-names`, wasm-opt does no work without passes, …).

use crate::features::{self, Family};
use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;

/// A tool wtool stands in for.
#[derive(Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The program name (`wat2wasm`).
    pub name: &'static str,
    /// The wtool subcommand it runs.
    pub sub: &'static str,
    /// Whose flags it takes.
    pub family: Family,
    /// The version of the anchor whose flags are matched.
    pub version: &'static str,
}

/// wabt's version whose flags the wabt names take.
const WABT: &str = "1.0.42";
/// binaryen's version whose flags `wasm-opt` takes.
const BINARYEN: &str = "108";

const fn wabt(name: &'static str, sub: &'static str) -> Anchor {
    Anchor {
        name,
        sub,
        family: Family::Wabt,
        version: WABT,
    }
}

/// Tool names wtool answers to, and the subcommand each one runs.
pub const ANCHORS: &[Anchor] = &[
    wabt("wat2wasm", "parse"),
    wabt("wasm2wat", "print"),
    wabt("wasm-validate", "validate"),
    wabt("wasm-objdump", "objdump"),
    wabt("wasm-strip", "strip"),
    wabt("wasm-interp", "run"),
    Anchor {
        name: "wasm-opt",
        sub: "opt",
        family: Family::Binaryen,
        version: BINARYEN,
    },
];

static INVOKED_AS: OnceLock<&'static Anchor> = OnceLock::new();

/// The tool this process runs as, when started under an alias name.
pub fn invoked_as() -> Option<&'static Anchor> {
    INVOKED_AS.get().copied()
}

/// Whose flags and defaults apply: the alias's family, if any.
pub fn invoked_as_family() -> Option<Family> {
    invoked_as().map(|a| a.family)
}

/// The tool that the program name `argv0` stands for, if it is an alias.
pub fn anchor_for(argv0: &Path) -> Option<&'static Anchor> {
    let stem = argv0.file_name()?.to_str()?;
    // Windows copies end in `.exe`; versioned installs (`wasm2wat-1.0`) are not aliases.
    let stem = stem.strip_suffix(".exe").unwrap_or(stem);
    ANCHORS.iter().find(|a| a.name == stem)
}

/// `--version` under an alias: the anchor's version first (scripts parse
/// it: emscripten reads wasm-opt's), then what actually runs.
pub fn version_line(a: &Anchor) -> String {
    let wtool = format!("wtool {}", env!("CARGO_PKG_VERSION"));
    match a.family {
        Family::Binaryen => format!(
            "{} version {} ({wtool} standing in for binaryen's {})",
            a.name, a.version, a.name
        ),
        _ => format!("{} ({wtool} standing in for wabt's {})", a.version, a.name),
    }
}

/// The ids of the hidden flags an alias shows: the anchor's spellings.
fn shown_flags(a: &Anchor, sub: &clap::Command) -> Vec<String> {
    use crate::commands::{objdump, opt, parse, print, run, strip, validate};
    let mut v = Vec::new();
    if sub.get_arguments().any(|arg| arg.get_id() == "features") {
        v = features::flags_of(a.family);
    }
    let own: Vec<String> = match a.sub {
        "parse" => parse::anchor_flags(),
        "print" => print::anchor_flags(),
        "validate" => validate::anchor_flags(),
        "objdump" => objdump::anchor_flags(),
        "strip" => strip::anchor_flags(),
        "run" => run::anchor_flags(),
        "opt" => opt::anchor_flags(),
        _ => Vec::new(),
    };
    v.extend(own);
    v
}

/// The alias's view of its subcommand: named after the alias in usage
/// lines and help, with the anchor's flags shown under their own heading.
pub fn alias_command(a: &Anchor, sub: clap::Command) -> clap::Command {
    let heading = match a.family {
        Family::Binaryen => format!("binaryen {} options", a.version),
        _ => format!("wabt {} options", a.version),
    };
    let shown = shown_flags(a, &sub);
    let mut cmd = sub.bin_name(a.name).display_name(a.name);
    for id in shown {
        if cmd.get_arguments().any(|arg| arg.get_id() == id.as_str()) {
            let heading = heading.clone();
            cmd = cmd.mut_arg(id, |arg| arg.hide(false).help_heading(heading));
        }
    }
    // clap names a subcommand `wtool parse` in usage lines whatever its
    // bin name; the alias's own usage line is rendered standalone.
    let usage = cmd.clone().name(a.name).render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim().to_string();
    let cmd = cmd.override_usage(usage);
    let about = format!(
        "{} (wtool {} standing in for {})",
        cmd.get_about().map(|s| s.to_string()).unwrap_or_default(),
        a.sub,
        a.name
    );
    cmd.about(about)
}

/// The whole CLI with `a`'s subcommand shown as the alias.
pub fn alias_cli(a: &Anchor) -> clap::Command {
    crate::cli_command().mut_subcommand(a.sub, |sub| alias_command(a, sub))
}

/// Runs as the anchor `a`: `argv[0]` is the alias, the rest its arguments.
pub fn main(a: &'static Anchor, argv: Vec<OsString>) -> ExitCode {
    let _ = INVOKED_AS.set(a);
    let mut rest: Vec<OsString> = argv.into_iter().skip(1).collect();
    let before_dashes = rest.iter().take_while(|s| *s != "--");
    if before_dashes.clone().any(|s| s == "--version") {
        println!("{}", version_line(a));
        return ExitCode::SUCCESS;
    }
    if a.family == Family::Binaryen {
        rest = crate::compat::binaryen::normalize(rest);
    }
    let mut full = vec![OsString::from("wtool"), OsString::from(a.sub)];
    full.extend(rest);
    crate::parse_and_run(alias_cli(a), full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_subcommands() {
        let sub = |p: &str| anchor_for(Path::new(p)).map(|a| a.sub);
        assert_eq!(sub("wat2wasm"), Some("parse"));
        assert_eq!(sub("/usr/bin/wasm2wat"), Some("print"));
        assert_eq!(sub("wasm-validate.exe"), Some("validate"));
        assert_eq!(sub("./wasm-opt"), Some("opt"));
        assert_eq!(sub("wasm-interp"), Some("run"));
        assert_eq!(sub("wasm-objdump"), Some("objdump"));
        assert_eq!(sub("wasm-strip"), Some("strip"));
        assert_eq!(sub("wtool"), None);
        assert_eq!(sub("wasm2wat-old"), None);
        assert_eq!(sub(""), None);
    }

    #[test]
    fn every_alias_command_is_consistent() {
        for a in ANCHORS {
            let cli = alias_cli(a);
            let sub = cli
                .find_subcommand(a.sub)
                .unwrap_or_else(|| panic!("{} runs a missing subcommand", a.name));
            assert_eq!(sub.get_bin_name(), Some(a.name));
            for id in shown_flags(a, sub) {
                // Every flag named for showing exists (a typo would leave it hidden)…
                let arg = sub.get_arguments().find(|arg| arg.get_id() == id.as_str());
                let arg = arg.unwrap_or_else(|| panic!("{}: no flag {id}", a.name));
                // …and is shown.
                assert!(!arg.is_hide_set(), "{}: {id} hidden", a.name);
            }
            cli.clone().debug_assert();
        }
    }

    #[test]
    fn versions_name_both() {
        let wat2wasm = anchor_for(Path::new("wat2wasm")).unwrap();
        let v = version_line(wat2wasm);
        assert!(
            v.starts_with("1.0.42 (wtool ") && v.contains("wat2wasm"),
            "{v}"
        );
        let opt = anchor_for(Path::new("wasm-opt")).unwrap();
        let v = version_line(opt);
        assert!(v.starts_with("wasm-opt version 108 (wtool "), "{v}");
    }
}

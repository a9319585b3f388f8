//! Multi-call: the binary installed under another tool's name (a symlink or a
//! copy called `wasm2wat`, …) runs the matching `wtool` subcommand, so wtool
//! can stand in for the wabt/binaryen tools in existing scripts.

use crate::diag::CliError;
use std::ffi::OsString;
use std::path::Path;

/// Tool names wtool answers to, and the subcommand each one runs.
pub const ALIASES: &[(&str, &str)] = &[
    ("wat2wasm", "parse"),
    ("wasm2wat", "print"),
    ("wasm-validate", "validate"),
    ("wasm-opt", "opt"),
    ("wasm-interp", "run"),
];

/// The subcommand that the program name `argv0` stands for, if it is an alias.
pub fn subcommand_for(argv0: &Path) -> Option<(&'static str, &'static str)> {
    let stem = argv0.file_name()?.to_str()?;
    // Windows copies end in `.exe`; versioned installs (`wasm2wat-1.0`) are not aliases.
    let stem = stem.strip_suffix(".exe").unwrap_or(stem);
    ALIASES.iter().copied().find(|(alias, _)| *alias == stem)
}

/// Turns `wasm2wat ARGS…` into `wtool print ARGS…`; any other argv is returned as is.
///
/// An alias whose subcommand this build does not have yet is a usage error
/// that names both, rather than clap's confusing "unrecognized subcommand".
pub fn rewrite(mut argv: Vec<OsString>, cli: &clap::Command) -> Result<Vec<OsString>, CliError> {
    let Some(argv0) = argv.first() else {
        return Ok(argv);
    };
    let Some((alias, sub)) = subcommand_for(Path::new(argv0)) else {
        return Ok(argv);
    };
    if cli.find_subcommand(sub).is_none() {
        return Err(CliError::Usage {
            message: format!(
                "`{alias}` runs `wtool {sub}`, which this build of wtool does not have yet"
            ),
            hint: Some("run `wtool --help` for the available commands".into()),
        });
    }
    argv[0] = OsString::from("wtool");
    argv.insert(1, OsString::from(sub));
    Ok(argv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_subcommands() {
        assert_eq!(
            subcommand_for(Path::new("wat2wasm")),
            Some(("wat2wasm", "parse"))
        );
        assert_eq!(
            subcommand_for(Path::new("/usr/bin/wasm2wat")),
            Some(("wasm2wat", "print"))
        );
        assert_eq!(
            subcommand_for(Path::new("wasm-validate.exe")).map(|p| p.1),
            Some("validate")
        );
        assert_eq!(
            subcommand_for(Path::new("./wasm-opt")).map(|p| p.1),
            Some("opt")
        );
        assert_eq!(
            subcommand_for(Path::new("wasm-interp")).map(|p| p.1),
            Some("run")
        );
        assert_eq!(subcommand_for(Path::new("wtool")), None);
        assert_eq!(subcommand_for(Path::new("wasm2wat-old")), None);
        assert_eq!(subcommand_for(Path::new("")), None);
    }

    #[test]
    fn rewrite_inserts_the_subcommand() {
        let cli = clap::Command::new("wtool").subcommand(clap::Command::new("print"));
        let argv = rewrite(vec!["/bin/wasm2wat".into(), "x.wasm".into()], &cli).unwrap();
        assert_eq!(
            argv,
            vec![OsString::from("wtool"), "print".into(), "x.wasm".into()]
        );
        let argv = rewrite(vec!["wtool".into(), "dump".into()], &cli).unwrap();
        assert_eq!(argv, vec![OsString::from("wtool"), "dump".into()]);
        let err = rewrite(vec!["wasm-opt".into()], &cli).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(rewrite(vec![], &cli).unwrap().is_empty());
    }
}

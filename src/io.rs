//! Input and output conventions shared by every subcommand.
//!
//! - Input: a path, or `-` for stdin; `.wasm` vs `.wat` is decided by the
//!   content (the `\0asm` magic). Input that is empty, not UTF-8, or named
//!   `.wasm` without the magic is refused as "not a WebAssembly binary",
//!   saying what it looks like; its bytes are never echoed.
//! - Output: stdout, or `-o FILE` written atomically (a temporary file in the
//!   same directory, renamed over FILE once complete), so a failed run never
//!   leaves a half-written or truncated file behind.
//! - Binary output is refused when stdout is a terminal.
//! - `--features` (in `features.rs`) edits the default feature set.

use crate::bytes::InputBytes;
use crate::diag::CliError;
pub use crate::features::FeaturesArg;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use wtool_ast::{Features, Module};

/// The `FILE` argument of a command that reads one module.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArg {
    /// Input module, binary (.wasm) or text (.wat), told apart by content; `-` reads stdin
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
}

/// What an input file holds, judged by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The binary format (`\0asm`).
    Binary,
    /// The text format.
    Text,
}

/// An input read into memory.
#[derive(Debug)]
pub struct Input {
    /// The name to show in messages: the path as given, or `<stdin>`.
    pub name: String,
    /// The file's bytes (a big file's mapped, not copied).
    pub bytes: InputBytes,
    /// Binary or text.
    pub format: Format,
}

/// What the input is, by its first bytes and (only to refuse text) its
/// name: `\0asm` is binary; empty input, bytes that are not UTF-8 and a
/// `.wasm` name without the magic are not a module at all (`Err` holds
/// why, e.g. `bad magic (found 1f 8b 08 00, gzip data?)`); the rest is text.
pub fn detect_format(bytes: &[u8], name: &str) -> Result<Format, String> {
    if bytes.starts_with(b"\0asm") {
        return Ok(Format::Binary);
    }
    let named_wasm = name.to_ascii_lowercase().ends_with(".wasm");
    if bytes.is_empty() || bytes[0] == 0 || named_wasm || std::str::from_utf8(bytes).is_err() {
        return Err(bad_magic(bytes));
    }
    Ok(Format::Text)
}

/// `bad magic (found 1f 8b 08 00, gzip data?)`: the first bytes in hex and
/// a guess at what they are.
pub fn bad_magic(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "bad magic (found nothing: the input is empty)".into();
    }
    let head: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let guess = match bytes {
        [0x1f, 0x8b, ..] => Some("gzip data"),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some("zstd data"),
        [b'B', b'Z', b'h', ..] => Some("bzip2 data"),
        [0xfd, b'7', b'z', b'X', ..] => Some("xz data"),
        [b'P', b'K', 3, 4, ..] => Some("a zip archive"),
        [0x7f, b'E', b'L', b'F', ..] => Some("an ELF executable"),
        [b'M', b'Z', ..] => Some("a Windows executable"),
        [0x89, b'P', b'N', b'G', ..] => Some("a PNG image"),
        [0xcf | 0xce, 0xfa, 0xed, 0xfe, ..] | [0xca, 0xfe, 0xba, 0xbe, ..] => {
            Some("a Mach-O executable")
        }
        [0, b'a', b's', ..] | [0, b'a', ..] | [0] => Some("a cut or damaged wasm header"),
        _ => None,
    };
    let text = std::str::from_utf8(bytes).ok().map(|t| t.trim_start());
    let guess = guess.or_else(|| {
        let t = text?;
        let lower = t.get(..t.len().min(64))?.to_ascii_lowercase();
        Some(
            if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
                "an HTML page"
            } else if lower.starts_with("<?xml") || lower.starts_with('<') {
                "XML or HTML text"
            } else if lower.starts_with('{') || lower.starts_with('[') {
                "JSON text"
            } else if lower.starts_with("(module")
                || lower.starts_with(";;")
                || lower.starts_with("(;")
            {
                "WebAssembly text, not binary"
            } else {
                "text"
            },
        )
    });
    match guess {
        Some(g) => format!("bad magic (found {}, {g}?)", head.join(" ")),
        None => format!("bad magic (found {})", head.join(" ")),
    }
}

impl InputArg {
    /// Reads the input file (or stdin).
    pub fn read(&self) -> Result<Input, CliError> {
        let (name, bytes) = if self.input.as_os_str() == "-" {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::io("read", "<stdin>", e))?;
            ("<stdin>".to_string(), InputBytes::from(bytes))
        } else {
            let name = self.input.display().to_string();
            let bytes =
                InputBytes::read_file(&self.input).map_err(|e| CliError::io("read", &name, e))?;
            (name, bytes)
        };
        let format = detect_format(&bytes, &name).map_err(|reason| CliError::NotWasm {
            file: name.clone(),
            reason,
        })?;
        Ok(Input {
            name,
            bytes,
            format,
        })
    }
}

impl Input {
    /// Whether the input is a binary component (Component Model, layer 1).
    pub fn is_component(&self) -> bool {
        self.format == Format::Binary
            && wtool_component::layer_of(&self.bytes) == Some(wtool_component::Layer::Component)
    }

    /// Decodes or parses the input into a module. A component is refused
    /// with a message that says so (this command takes core modules).
    pub fn module(&self, features: Features) -> Result<Module, CliError> {
        self.refuse_component()?;
        match self.format {
            Format::Binary => wtool_binary::decode_with_features(&self.bytes, features)
                .map_err(|error| self.decode_error(error)),
            Format::Text => wtool_text::parse_module(&self.bytes).map_err(|e| CliError::Source {
                file: self.name.clone(),
                text: text_for_snippet(&self.bytes),
                offset: e.offset(),
                len: e.len(),
                message: e.to_string(),
            }),
        }
    }
}

impl Input {
    /// A decode error of this input.
    pub fn decode_error(&self, error: wtool_binary::DecodeError) -> CliError {
        CliError::Decode {
            file: self.name.clone(),
            error,
        }
    }

    /// Fails, saying so, when the input is a component: for the commands
    /// that take core modules only.
    pub fn refuse_component(&self) -> Result<(), CliError> {
        if self.is_component() {
            return Err(CliError::Plain(format!(
                "{}: this is a component (Component Model), not a core module; this command works on \
                 core modules (components are read by `wtool validate`, `print`, `parse` and `dump`)",
                self.name
            )));
        }
        Ok(())
    }

    /// Fails unless the input is a binary module (for commands that work
    /// on the bytes: objdump, strip, size, demangle).
    pub fn require_binary(&self) -> Result<(), CliError> {
        self.refuse_component()?;
        match self.format {
            Format::Binary => Ok(()),
            Format::Text => Err(CliError::NotWasm {
                file: self.name.clone(),
                reason: bad_magic(&self.bytes),
            }),
        }
    }
}

/// The source as a string for error snippets, each invalid UTF-8 byte
/// replaced by one `?` so that byte offsets still line up with the file.
pub(crate) fn text_for_snippet(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    out
}

/// `-o FILE`: where a command writes its result.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct OutputArg {
    /// Write to FILE instead of stdout (atomically: the file is replaced only on success)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Whether output is text or binary (binary is refused on a terminal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// Text, JSON, completion scripts: fine on a terminal.
    Text,
    /// A `.wasm` module.
    Binary,
}

impl OutputArg {
    /// Fails now (before any work) if binary output would go to a terminal;
    /// [`OutputArg::write_with`] checks again, this only saves the wait.
    pub fn check_binary_destination(&self) -> Result<(), CliError> {
        let to_stdout = self.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
        if to_stdout && io::stdout().is_terminal() {
            return Err(binary_to_terminal());
        }
        Ok(())
    }

    /// Runs `write` against stdout or an atomic temporary file for `-o`.
    ///
    /// A write error on stdout because the reader went away (`wtool dump … | head`)
    /// is not an error: the reader got what it wanted.
    pub fn write_with(
        &self,
        kind: OutputKind,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), CliError> {
        match self.output.as_deref() {
            Some(path) if path.as_os_str() != "-" => atomic_write(path, write),
            _ => {
                let stdout = io::stdout();
                if kind == OutputKind::Binary && stdout.is_terminal() {
                    return Err(binary_to_terminal());
                }
                let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
                match write(&mut out).and_then(|()| out.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    r => r.map_err(|e| CliError::io("write", "<stdout>", e)),
                }
            }
        }
    }
}

fn binary_to_terminal() -> CliError {
    CliError::Usage {
        message: "refusing to write a binary module to a terminal".into(),
        hint: Some("use `-o FILE`, or redirect stdout: `… > out.wasm`".into()),
    }
}

/// Writes `path` by way of a temporary file in the same directory, renamed
/// into place only after everything was written and flushed. On any failure
/// the temporary file is removed and an existing `path` is left untouched.
///
/// What is not a regular file is written to directly: renaming over
/// `/dev/null`, a FIFO or a terminal would replace the device with a file
/// (`wat2wasm x.wat -o /dev/null` is a common way to only check). A
/// symbolic link to a file is followed, so the link stays a link.
pub fn atomic_write(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    let shown = path.display().to_string();
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let direct = (|| {
            let file = OpenOptions::new().write(true).open(path)?;
            let mut out = BufWriter::with_capacity(1 << 16, file);
            write(&mut out)?;
            out.flush()
        })();
        return direct.map_err(|e| CliError::io("write", &shown, e));
    }
    let resolved;
    let path = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = fs::canonicalize(path).map_err(|e| CliError::io("write", &shown, e))?;
        resolved.as_path()
    } else {
        path
    };
    let (tmp_path, file) =
        create_temp_beside(path).map_err(|e| CliError::io("write", &shown, e))?;
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 16, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        // Keep the mode of the file being replaced (e.g. an executable bit).
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp_path, meta.permissions())?;
        }
        fs::rename(&tmp_path, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp_path);
        return Err(CliError::io("write", &shown, e));
    }
    Ok(())
}

/// Creates a fresh `.NAME.wtool-PID-N.tmp` next to `path` (same directory, so
/// the final rename stays on one file system and is atomic).
fn create_temp_beside(path: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last_err = None;
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{base}.wtool-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("cannot create a temporary file")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wtool-io-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn format_by_content() {
        assert_eq!(detect_format(b"\0asm\x01\0\0\0", "x"), Ok(Format::Binary));
        assert_eq!(
            detect_format(b"\0asm\x01\0\0\0", "x.wat"),
            Ok(Format::Binary)
        );
        assert_eq!(detect_format(b"(module)", "x.wat"), Ok(Format::Text));
        assert_eq!(detect_format(b"(module)", "<stdin>"), Ok(Format::Text));
        let refused: [(&[u8], &str, &str); 6] = [
            (b"", "x.wat", "found nothing: the input is empty"),
            (
                b"\x1f\x8b\x08\x00\xff",
                "x.wasm",
                "found 1f 8b 08 00, gzip data?",
            ),
            (
                b"<!DOCTYPE html><p>",
                "x.wasm",
                "found 3c 21 44 4f, an HTML page?",
            ),
            (
                b"(module)",
                "X.WASM",
                "found 28 6d 6f 64, WebAssembly text, not binary?",
            ),
            (
                b"\0abc",
                "x",
                "found 00 61 62 63, a cut or damaged wasm header?",
            ),
            (b"a\xffb", "x", "found 61 ff 62"),
        ];
        for (bytes, name, why) in refused {
            assert_eq!(
                detect_format(bytes, name),
                Err(format!("bad magic ({why})"))
            );
        }
    }

    #[test]
    fn atomic_write_replaces_on_success_only() {
        let dir = scratch("atomic");
        let path = dir.join("out.txt");
        fs::write(&path, "old").unwrap();
        let err = atomic_write(&path, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("boom"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        atomic_write(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A FIFO (like /dev/null, not a regular file) is written to, not replaced.
    #[cfg(unix)]
    #[test]
    fn atomic_write_leaves_devices_and_links_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let dir = scratch("special");
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || fs::read(fifo).unwrap())
            };
            atomic_write(&fifo, |w| w.write_all(b"through")).unwrap();
            assert_eq!(reader.join().unwrap(), b"through");
            assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        }
        let target = dir.join("real.txt");
        fs::write(&target, "old").unwrap();
        let link = dir.join("link.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        atomic_write(&link, |w| w.write_all(b"new")).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn atomic_write_into_missing_directory_fails_cleanly() {
        let dir = scratch("missing");
        let err = atomic_write(&dir.join("no/such/dir/out"), |w| w.write_all(b"x")).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn snippet_text_keeps_offsets() {
        assert_eq!(text_for_snippet(b"a\xffb\xe2\x82c"), "a?b??c");
        assert_eq!(
            text_for_snippet("\u{e9}t\u{e9}".as_bytes()),
            "\u{e9}t\u{e9}"
        );
    }
}

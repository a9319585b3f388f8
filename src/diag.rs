//! Errors of the command line and how they are shown.
//!
//! Every failure becomes one [`CliError`]; [`report`] prints it to stderr as
//! `error: …` and picks the exit code (1 for errors, 2 for usage errors).
//! Binary-format errors name the file and the byte offset; text-format errors
//! are rendered by miette as `file:line:col` with the source line and the span
//! underlined. Colour only when stderr is a terminal and `NO_COLOR` is unset.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// Anything that makes a command fail.
#[derive(Debug)]
pub enum CliError {
    /// Reading or writing a file failed.
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file as the user named it.
        path: String,
        /// The OS error.
        source: io::Error,
    },
    /// A binary module is malformed (or otherwise wrong at a byte offset).
    Binary {
        /// The file as the user named it.
        file: String,
        /// Byte offset in the file.
        offset: usize,
        /// The message, in the spec testsuite's words.
        message: String,
    },
    /// A text module is wrong at a span of its source.
    Source {
        /// The file as the user named it.
        file: String,
        /// The whole source text (for the snippet).
        text: String,
        /// Byte offset of the span.
        offset: usize,
        /// Byte length of the span (0 points between characters).
        len: usize,
        /// The message.
        message: String,
    },
    /// A finished one-line message (`error: …` is prepended), exit code 1.
    Plain(String),
    /// An error followed by more lines (a trap's backtrace after its snippet).
    WithTrailer(Box<CliError>, String),
    /// The errors were already printed (e.g. one per file by `validate`); exit code 1.
    Reported,
    /// The command line asked for something impossible (exit code 2).
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
}

impl CliError {
    /// An I/O error on `path`.
    pub fn io(action: &'static str, path: &str, source: io::Error) -> Self {
        CliError::Io {
            action,
            path: path.to_string(),
            source,
        }
    }

    /// 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage { .. } => 2,
            CliError::WithTrailer(e, _) => e.exit_code(),
            _ => 1,
        }
    }

    /// The full text shown on stderr (no colour unless `color`).
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = match self {
            CliError::Io {
                action,
                path,
                source,
            } => {
                writeln!(
                    out,
                    "error: cannot {action} `{path}`: {}",
                    io_message(source)
                )
            }
            CliError::Binary {
                file,
                offset,
                message,
            } => {
                writeln!(out, "error: {message}\n  --> {file} at offset {offset:#x}")
            }
            CliError::Plain(message) => writeln!(out, "error: {message}"),
            CliError::WithTrailer(e, trailer) => {
                out.push_str(&e.render(color));
                out.push_str(trailer);
                Ok(())
            }
            CliError::Reported => Ok(()),
            CliError::Usage { message, hint } => {
                let _ = writeln!(out, "error: {message}");
                match hint {
                    Some(h) => writeln!(out, "  hint: {h}"),
                    None => Ok(()),
                }
            }
            CliError::Source {
                file,
                text,
                offset,
                len,
                message,
            } => render_source(&mut out, file, text, *offset, *len, message, color),
        };
        out
    }
}

/// The OS message without Rust's ` (os error 2)` suffix.
fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `error: message` then miette's snippet with `[file:line:col]` and the span underlined.
fn render_source(
    out: &mut String,
    file: &str,
    text: &str,
    offset: usize,
    len: usize,
    message: &str,
    color: bool,
) -> std::fmt::Result {
    writeln!(out, "error: {message}")?;
    // A span past the end (an error at end of input) is clamped onto the text.
    let start = offset.min(text.len());
    let end = offset.saturating_add(len).min(text.len()).max(start);
    let diag = MietteDiagnostic::new(message.to_string())
        .with_labels([LabeledSpan::new_with_span(None, start..end)]);
    let report = miette::Report::new(diag)
        .with_source_code(NamedSource::new(file, text.to_string()).with_language("wat"));
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut snippet = String::new();
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .render_report(&mut snippet, report.as_ref())?;
    // miette repeats the message as its own first line; we already printed it.
    let body = snippet.split_once('\n').map_or("", |(_, rest)| rest);
    out.push_str(body.trim_end());
    out.push('\n');
    Ok(())
}

/// Prints `err` to stderr and returns its exit code.
pub fn report(err: &CliError) -> ExitCode {
    let stderr = io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = stderr.lock().write_all(err.render(color).as_bytes());
    ExitCode::from(err.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_errors_name_file_and_offset() {
        let e = CliError::Binary {
            file: "m.wasm".into(),
            offset: 0x1a,
            message: "unexpected end".into(),
        };
        assert_eq!(
            e.render(false),
            "error: unexpected end\n  --> m.wasm at offset 0x1a\n"
        );
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn io_errors_drop_the_os_error_number() {
        let e = CliError::io("read", "x.wasm", io::Error::from(io::ErrorKind::NotFound));
        assert!(e.render(false).starts_with("error: cannot read `x.wasm`: "));
        assert!(!e.render(false).contains("os error"));
    }

    #[test]
    fn source_errors_show_line_and_column() {
        let text = "(module\n  (func\n    i32.ad))\n";
        let offset = text.find("i32.ad").unwrap();
        let e = CliError::Source {
            file: "bad.wat".into(),
            text: text.into(),
            offset,
            len: 6,
            message: "unknown operator `i32.ad`".into(),
        };
        let r = e.render(false);
        assert!(r.starts_with("error: unknown operator `i32.ad`\n"), "{r}");
        assert!(r.contains("bad.wat:3:5"), "{r}");
        assert!(r.contains("i32.ad))"), "{r}");
        // A span at the very end of the input still renders.
        let end = CliError::Source {
            file: "e.wat".into(),
            text: "(module".into(),
            offset: 7,
            len: 3,
            message: "unexpected end of input".into(),
        };
        assert!(
            end.render(false).contains("e.wat:1:"),
            "{}",
            end.render(false)
        );
    }

    #[test]
    fn usage_errors_exit_2() {
        let e = CliError::Usage {
            message: "nope".into(),
            hint: Some("try this".into()),
        };
        assert_eq!(e.render(false), "error: nope\n  hint: try this\n");
        assert_eq!(e.exit_code(), 2);
    }
}

//! Errors of the command line and how they are shown.
//!
//! Every failure becomes one [`CliError`]; [`report`] prints it to stderr as
//! `error: …` and picks the exit code (1 for errors, 2 for usage errors).
//! Binary-format errors name the file and the byte offset; text-format errors
//! are rendered by miette as `file:line:col` with the source line and the span
//! underlined. Colour only when stderr is a terminal and `NO_COLOR` is unset.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
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
    /// A binary module is malformed: the decoder's error, with its offset,
    /// its place in the module and whether the file ends early.
    Decode {
        /// The file as the user named it.
        file: String,
        /// What the decoder found.
        error: wtool_binary::DecodeError,
    },
    /// A component is malformed or invalid: the message and, for binary
    /// input, the file offset.
    Component {
        /// The file as the user named it.
        file: String,
        /// File offset of the fault, when known.
        offset: Option<usize>,
        /// What is wrong (the reference tests' wording).
        message: String,
    },
    /// The input is not a WebAssembly binary (and may not be read as text).
    NotWasm {
        /// The file as the user named it.
        file: String,
        /// Why: `bad magic (found 1f 8b 08 00, gzip data?)`.
        reason: String,
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
            CliError::Decode { file, error } => render_decode(&mut out, file, error),
            CliError::Component {
                file,
                offset,
                message,
            } => {
                // The proposal to enable, found before the message is reflowed.
                let gate = wtool_component::gated_feature(message).and_then(|f| f.flag_name());
                // wasm-tools' messages may carry context lines: indent them.
                let message = message.replace('\n', "\n  ");
                let _ = match offset {
                    Some(o) => writeln!(
                        out,
                        "error: {message}\n  --> {file} at offset {o:#x} (component)"
                    ),
                    None => writeln!(out, "error: {message}\n  --> {file} (component)"),
                };
                // As for core proposals: name the flag that would allow it.
                match gate {
                    Some(name) => writeln!(
                        out,
                        "  note: {name} support is not enabled (enable with --features=+{name})"
                    ),
                    None => Ok(()),
                }
            }
            CliError::NotWasm { file, reason } => {
                writeln!(
                    out,
                    "error: not a WebAssembly binary: {reason}\n  --> {file}"
                )
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

/// `error: message`, then where: the offset and the place in the module,
/// then (when the file is cut short) how much of what was there.
fn render_decode(out: &mut String, file: &str, e: &wtool_binary::DecodeError) -> std::fmt::Result {
    writeln!(out, "error: {e}")?;
    let loc = e.location();
    write!(out, "  --> {file} at offset {:#x}", e.offset())?;
    if !loc.is_empty() {
        write!(out, ": {loc}")?;
    }
    out.push('\n');
    if let Some(name) = e.needs_feature().and_then(|f| f.flag_name()) {
        writeln!(
            out,
            "  note: {name} support is not enabled (enable with --features=+{name})"
        )?;
    }
    if e.input_ends_early() {
        write!(out, "  note: unexpected end of file")?;
        if !loc.is_empty() {
            write!(out, " in the {loc}")?;
        }
        if let Some(t) = e.truncation() {
            write!(out, ": {} of {} bytes", t.available, t.declared)?;
        }
        out.push('\n');
    }
    Ok(())
}

/// Lines longer than this (in bytes) are cut to a window around the span
/// in snippets, so a minified or generated file's one huge line is not
/// echoed whole.
const MAX_SNIPPET_LINE: usize = 240;
/// Bytes of context kept on each side of the span in a cut line.
const WINDOW_CONTEXT: usize = 80;

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
    let (source, span) = match Window::around(text, start, end) {
        Some(w) => {
            let span = w.span.clone();
            (Snippet::Window(w), span)
        }
        None => (Snippet::Whole(text.to_string()), start..end),
    };
    let diag = MietteDiagnostic::new(message.to_string())
        .with_labels([LabeledSpan::new_with_span(None, span)]);
    let report = miette::Report::new(diag)
        .with_source_code(NamedSource::new(file, source).with_language("wat"));
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

/// The source a snippet is drawn from: the whole text, or a window of it.
enum Snippet {
    Whole(String),
    Window(Window),
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let w = match self {
            Snippet::Whole(t) => return t.read_span(span, before, after),
            Snippet::Window(w) => w,
        };
        let c = w.text.as_str().read_span(span, before, after)?;
        // The label itself, read alone, is where the header points.
        let (line, column) = if span.offset() == w.span.start && before == 0 && after == 0 {
            w.at
        } else {
            (c.line() + w.first_line, c.column())
        };
        Ok(Box::new(MietteSpanContents::new(
            c.data(),
            *c.span(),
            line,
            column,
            c.line_count(),
        )))
    }
}

/// The lines around a span with each long line cut to a window (`…` marks
/// a cut), read back by miette with the original line numbers, and the
/// span's own line and column for the `[file:line:col]` header.
struct Window {
    text: String,
    /// The span in `text`'s coordinates.
    span: std::ops::Range<usize>,
    /// Lines of the original before `text`'s first line.
    first_line: usize,
    /// 0-based line and column of the span in the original.
    at: (usize, usize),
}

impl Window {
    /// A window when a line near the span is too long to show whole.
    fn around(text: &str, start: usize, end: usize) -> Option<Window> {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let prev = (line_start > 0).then(|| {
            let s = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            (s, line_start - 1)
        });
        let next = (line_end < text.len()).then(|| {
            let e = text[line_end + 1..]
                .find('\n')
                .map_or(text.len(), |i| line_end + 1 + i);
            (line_end + 1, e)
        });
        let long = |(s, e): (usize, usize)| e - s > MAX_SNIPPET_LINE;
        if !long((line_start, line_end)) && !prev.is_some_and(long) && !next.is_some_and(long) {
            return None;
        }
        let floor = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        // The head of a neighbouring line.
        let head = |(s, e): (usize, usize)| {
            if e - s > MAX_SNIPPET_LINE {
                format!("{}…", &text[s..floor(s + MAX_SNIPPET_LINE / 2)])
            } else {
                text[s..e].to_string()
            }
        };
        let mut out = String::new();
        let mut first_line = text[..line_start].matches('\n').count();
        if let Some(p) = prev {
            out.push_str(&head(p));
            out.push('\n');
            first_line -= 1;
        }
        // The span's line: context on both sides, the span itself cut short.
        let end = end.min(start + MAX_SNIPPET_LINE).min(line_end).max(start);
        let from = floor(start.saturating_sub(WINDOW_CONTEXT).max(line_start));
        let to = ceil((end + WINDOW_CONTEXT).min(line_end));
        if from > line_start {
            out.push('…');
        }
        let span_start = out.len() + (start - from);
        let span = span_start..span_start + (ceil(end) - start);
        out.push_str(&text[from..to]);
        if to < line_end {
            out.push('…');
        }
        if let Some(n) = next {
            out.push('\n');
            out.push_str(&head(n));
        }
        Some(Window {
            text: out,
            span,
            first_line,
            at: (text[..start].matches('\n').count(), start - line_start),
        })
    }
}

/// Prints `err` to stderr and returns its exit code.
pub fn report(err: &CliError) -> ExitCode {
    let stderr = io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut text = err.render(color);
    if let Some(family) = crate::multicall::invoked_as_family() {
        text = crate::features::respell(&text, family);
    }
    let _ = stderr.lock().write_all(text.as_bytes());
    ExitCode::from(err.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_errors_name_file_offset_and_place() {
        // A code section whose only body declares 0x28 bytes, 3 of them present.
        let bytes = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x2a\x01\x28\0\x0b\x0b";
        let error = wtool_binary::decode(bytes).unwrap_err();
        let e = CliError::Decode {
            file: "m.wasm".into(),
            error,
        };
        assert_eq!(
            e.render(false),
            "error: length out of bounds\n  --> m.wasm at offset 0x13: code section, function 0 body\n  \
             note: unexpected end of file in the code section, function 0 body: 3 of 40 bytes\n"
        );
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn long_lines_are_cut_to_a_window() {
        let line = format!("(module {} oops {})", "x".repeat(5000), "y".repeat(5000));
        let text = format!("first line\n{line}\nlast\n");
        let offset = text.find("oops").unwrap();
        let e = CliError::Source {
            file: "big.wat".into(),
            text: text.clone(),
            offset,
            len: 4,
            message: "unexpected token".into(),
        };
        let r = e.render(false);
        assert!(r.contains(&format!("big.wat:2:{}", offset - 11 + 1)), "{r}");
        assert!(r.contains("… oops y") || r.contains("x oops y"), "{r}");
        assert!(r.len() < 1200, "the snippet is cut: {} bytes\n{r}", r.len());
        assert!(r.contains(" 1 │ first line"), "{r}");
        assert!(r.contains(" 3 │ last"), "{r}");
        // The underline sits under `oops`.
        let lines: Vec<&str> = r.lines().collect();
        let code = lines.iter().position(|l| l.contains("oops")).unwrap();
        let col = lines[code].find("oops").unwrap();
        assert_eq!(
            lines[code + 1]
                .find('─')
                .map(|c| lines[code + 1][..c].chars().count()),
            Some(lines[code][..col].chars().count()),
            "{r}"
        );
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

//! WIT errors: a message, plus where it happened (file, line:col and a
//! snippet with a caret) when the error comes from a source position.

use std::fmt;
use std::path::PathBuf;

/// A failure to read, parse or resolve WIT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WitError {
    /// A syntax or name-resolution error at a source position.
    #[error("{0}")]
    Source(Box<SourceError>),
    /// An error with no single position (I/O, a missing package header, …).
    #[error("{0}")]
    Other(String),
}

/// An error located in one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The message, in wit-parser's words where reasonable.
    pub message: String,
    /// The file the error is in.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// The whole source line the error is on.
    pub snippet: String,
}

impl WitError {
    /// The message alone, without location.
    pub fn message(&self) -> &str {
        match self {
            WitError::Source(e) => &e.message,
            WitError::Other(m) => m,
        }
    }

    /// 1-based line and column, when the error has a position.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        match self {
            WitError::Source(e) => Some((e.line, e.col)),
            WitError::Other(_) => None,
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        writeln!(f, "{}", self.message)?;
        writeln!(
            f,
            "{pad}--> {}:{}:{}",
            self.path.display(),
            self.line,
            self.col
        )?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{num} | {}", self.snippet)?;
        write!(f, "{pad} | {}^", " ".repeat(self.col - 1))
    }
}

/// An error at a byte offset, before the file it belongs to is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spanned {
    pub message: String,
    pub offset: usize,
}

/// Shorthand: an error at `offset`.
pub(crate) fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, Spanned> {
    Err(Spanned {
        message: message.into(),
        offset,
    })
}

/// Attaches file and position to `e`, whose offset is in `src`.
pub(crate) fn locate(e: Spanned, path: &std::path::Path, src: &str) -> WitError {
    let offset = e.offset.min(src.len());
    let before = &src[..offset];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let line = before.matches('\n').count() + 1;
    let col = before[line_start..].chars().count() + 1;
    let line_end = src[line_start..]
        .find('\n')
        .map_or(src.len(), |p| line_start + p);
    let snippet = src[line_start..line_end].trim_end_matches('\r').to_string();
    WitError::Source(Box::new(SourceError {
        message: e.message,
        path: path.to_path_buf(),
        line,
        col,
        snippet,
    }))
}

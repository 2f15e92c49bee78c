//! Diagnostics: one located problem in a YAML or layout file, and how it is printed.
//!
//! Every user-facing problem goes through [`Diagnostic`], whether it comes from the YAML
//! parser, from validation or from Typst, so that all of them read the same way:
//! `file:line:column: error: message`, the YAML path, the source line with a caret, a hint.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Printing would go wrong or is impossible.
    Error,
    /// Worth a look, but the volume can still be printed.
    Warning,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in (as the user named it, or the layout's path).
    pub file: PathBuf,
    /// Where in the file; `None` when the problem concerns the file as a whole.
    pub position: Option<Position>,
    /// The YAML path of the value, e.g. `pages[0].blocks[3].items[2]`.
    pub yaml_path: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            yaml_path: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(file, message) }
    }

    /// Locates the problem at `position`.
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// Names the YAML path of the value.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.yaml_path = (!path.is_empty()).then_some(path);
        self
    }

    /// Adds a hint on how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic. `source` is the text of the file, used to quote the line;
    /// `color` adds ANSI colours for a terminal.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
        };
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = String::new();
        let location = match self.position {
            Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.column),
            None => self.file.display().to_string(),
        };
        let _ =
            writeln!(out, "{}: {}: {}", paint("1", &location), paint(code, label), self.message);
        if let Some(path) = &self.yaml_path {
            let _ = writeln!(out, "  {} {path}", paint("1;34", "at"));
        }
        if let (Some(p), Some(text)) = (self.position, source)
            && let Some(line) = text.lines().nth(p.line.saturating_sub(1) as usize)
        {
            let (line, column) = excerpt(line, p.column.saturating_sub(1) as usize);
            let number = p.line.to_string();
            let gutter = " ".repeat(number.len());
            let bar = paint("1;34", "|");
            let _ = writeln!(out, "  {gutter} {bar}");
            let _ = writeln!(out, "  {} {bar} {line}", paint("1;34", &number));
            // Wide (CJK) characters take two terminal cells; the caret must line up under them.
            let pad: usize = line.chars().take(column).map(cell_width).sum();
            let _ = writeln!(out, "  {gutter} {bar} {}{}", " ".repeat(pad), paint(code, "^"));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  {} {hint}", paint("1;36", "hint:"));
        }
        out
    }
}

/// At most [`EXCERPT`] characters of a long line around `column` (0-based), and the
/// column within the excerpt.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= EXCERPT {
        return (line.to_owned(), column);
    }
    let start = column.saturating_sub(EXCERPT / 2).min(chars.len() - EXCERPT);
    let mut text: String = chars[start..start + EXCERPT].iter().collect();
    let mut column = column - start;
    if start > 0 {
        text.insert(0, '…');
        column += 1;
    }
    if start + EXCERPT < chars.len() {
        text.push('…');
    }
    (text, column)
}

/// How many characters of a source line a diagnostic quotes.
const EXCERPT: usize = 100;

/// Terminal cell width of a character: 2 for East Asian wide and full-width characters.
fn cell_width(c: char) -> usize {
    let c = c as u32;
    let wide = matches!(c,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Converts a byte offset in `text` into a 1-based line and character column.
pub fn position_of(text: &str, byte: usize) -> Position {
    let byte = byte.min(text.len());
    let before = &text[..floor_char_boundary(text, byte)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Position { line: saturate(line), column: saturate(column) }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// Whether any diagnostic in the list is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// A short display form of a path for messages: relative to the current folder when possible.
pub fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_quoted_around_the_column() {
        let line = "x".repeat(300);
        let (text, column) = excerpt(&line, 200);
        assert_eq!(text.chars().count(), EXCERPT + 2);
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(column, 51);
        assert_eq!(excerpt("short", 3), ("short".to_owned(), 3));
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "title: 小諸\nissue: 二月\n";
        let byte = text.find("二").unwrap();
        assert_eq!(position_of(text, byte), Position { line: 2, column: 8 });
    }

    #[test]
    fn caret_lines_up_under_wide_characters() {
        let text = "title: 小諸ぶらんど\n";
        let d = Diagnostic::error("a.yaml", "bad")
            .at(Some(Position { line: 1, column: 10 }))
            .path("title")
            .hint("fix it");
        let out = d.render(Some(text), false);
        assert_eq!(
            out,
            "a.yaml:1:10: error: bad\n  at title\n    |\n  1 | title: 小諸ぶらんど\n    |            ^\n  hint: fix it\n"
        );
    }
}

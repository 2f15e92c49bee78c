//! Printing diagnostics to the terminal: coloured on a terminal, plain otherwise.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// Prints diagnostics, quoting lines from the files they point into.
#[derive(Debug, Default)]
pub struct Reporter {
    color: bool,
    sources: HashMap<PathBuf, String>,
}

impl Reporter {
    /// A reporter for standard error; colour when it is a terminal and `NO_COLOR` is unset.
    pub fn stderr() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self { color: std::io::stderr().is_terminal() && !no_color, sources: HashMap::new() }
    }

    /// Makes the text of `path` available for quoting.
    pub fn add_source(&mut self, path: &Path, text: &str) {
        self.sources.insert(path.to_path_buf(), text.to_owned());
    }

    /// Renders every diagnostic, errors first, each once.
    pub fn render(&self, diagnostics: &[Diagnostic]) -> String {
        let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
        sorted.sort_by(|a, b| {
            (a.severity, &a.file, a.position).cmp(&(b.severity, &b.file, b.position))
        });
        sorted.dedup();
        let mut out = String::new();
        for d in sorted {
            let text = self
                .sources
                .get(&d.file)
                .cloned()
                .or_else(|| std::fs::read_to_string(&d.file).ok());
            out.push_str(&d.render(text.as_deref(), self.color));
        }
        out
    }

    /// Prints to standard error.
    pub fn print(&self, diagnostics: &[Diagnostic]) {
        eprint!("{}", self.render(diagnostics));
    }
}

//! Reading YAML files safely: size limit, encoding, resource budgets, and located parse errors.
//!
//! This is the first of the two input stages: bytes on disk become the raw serde types of
//! `raw`. Whatever goes wrong here becomes a [`Diagnostic`] with the file, the line and
//! column, the YAML path and a hint, never a panic.

use std::fs;
use std::path::{Path, PathBuf};

use serde_saphyr::granit_parser::{Event, Parser};
use serde_saphyr::{Budget, Location, Options};

use crate::diag::{Diagnostic, Position};

/// Largest YAML file kaiho reads. A volume is a few kilobytes; anything near this is a
/// mistake (a pasted image, a wrong file) and would only slow everything down.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A YAML file read into memory, kept for quoting lines in diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given.
    pub path: PathBuf,
    /// The text, without a byte-order mark.
    pub text: String,
}

impl SourceFile {
    /// Reads `path`, refusing files that are too large or not UTF-8.
    pub fn read(path: &Path) -> Result<Self, Diagnostic> {
        let meta = fs::metadata(path).map_err(|e| io_diagnostic(path, &e))?;
        if meta.is_dir() {
            return Err(Diagnostic::error(path, "this is a folder, not a YAML file")
                .hint("name a volume file such as data/vol10.yaml"));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(Diagnostic::error(
                path,
                format!("file is {} bytes, more than the limit of {MAX_FILE_BYTES}", meta.len()),
            )
            .hint("a volume file holds text only; images are referenced by path, not pasted in"));
        }
        let bytes = fs::read(path).map_err(|e| io_diagnostic(path, &e))?;
        Self::from_bytes(path, bytes)
    }

    /// Decodes bytes that were read from `path`.
    pub fn from_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            Diagnostic::error(path, "the file is not UTF-8 text")
                .at(Some(crate::diag::position_of(&text, valid)))
                .hint("save it as UTF-8 (in Notepad: 名前を付けて保存 → 文字コード UTF-8)")
        })?;
        if text.trim().is_empty() {
            return Err(Diagnostic::error(path, "the file is empty")
                .hint("start from a volume such as data/vol10.yaml, or run `kaiho new`"));
        }
        Ok(Self { path: path.to_path_buf(), text })
    }

    /// Deserialises the file into the raw type `T`.
    pub fn parse<T: crate::raw::Document>(&self) -> Result<T, Diagnostic> {
        T::from_yaml(&self.text, options()).map_err(|e| self.parse_error(&e))
    }

    fn parse_error(&self, error: &serde_saphyr::Error) -> Diagnostic {
        let location = error.location().filter(|l| *l != Location::UNKNOWN);
        let position =
            location.map(|l| Position { line: l.line() as u32, column: l.column() as u32 });
        let raw = error.without_snippet().to_string();
        let found = position.and_then(|p| self.token_at(p));
        let message = plain_words(&strip_location(&raw), found.as_deref());
        let mut d = Diagnostic::error(&self.path, message.clone()).at(position);
        if let Some(p) = position
            && let Some(mut path) = yaml_path_at(&self.text, p)
        {
            // serde notices a missing key at the end of its mapping, on the last key there:
            // the path to name is the mapping's.
            if message.starts_with("missing field") {
                path = path.rsplit_once('.').map_or(path.clone(), |(parent, _)| parent.to_owned());
            }
            d = d.path(path);
        }
        match hint_for(&message) {
            Some(hint) => d.hint(hint),
            None => d,
        }
    }
}

impl SourceFile {
    /// The plain scalar that starts at `p`, for messages that should say what was found.
    fn token_at(&self, p: Position) -> Option<String> {
        let line = self.text.lines().nth(p.line.checked_sub(1)? as usize)?;
        let rest: String = line.chars().skip(p.column.checked_sub(1)? as usize).collect();
        let token = rest.split(" #").next()?.trim();
        (!token.is_empty() && token.chars().count() <= 40).then(|| token.to_owned())
    }
}

/// serde's type names ("invalid i64") mean nothing to the office; say it in words.
fn plain_words(message: &str, found: Option<&str>) -> String {
    let found = found.map(|f| format!(", found `{f}`")).unwrap_or_default();
    let number = ["invalid i64", "invalid u64", "invalid i32", "invalid u32", "invalid f64"];
    if number.iter().any(|m| message.starts_with(m)) {
        return format!("expected a number written in digits{found}");
    }
    if message.starts_with("expected string scalar") {
        return format!("expected a text{found}");
    }
    // A mapping that takes no keys (`masthead: {}`): serde lists none after "one of".
    if message.starts_with("unknown field ") && message.trim_end().ends_with("expected one of") {
        let field = message.trim_end().trim_end_matches("expected one of").trim_end();
        return format!("{}: nothing may be written here", field.trim_end_matches(','));
    }
    message.to_owned()
}

/// Parser options: strict where YAML's leniency surprises non-programmers, and budgets that
/// stop alias bombs and absurd nesting long before they cost memory or time.
fn options() -> Options {
    let mut options = Options::default();
    options.with_snippet = false;
    options.strict_booleans = true;
    let mut budget = Budget::default();
    budget.max_depth = 32;
    budget.max_aliases = 256;
    budget.max_anchors = 256;
    budget.max_nodes = 100_000;
    budget.max_events = 200_000;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = 4 * MAX_FILE_BYTES as usize;
    budget.max_recorded_anchor_events = 10_000;
    budget.max_recorded_anchor_bytes = 4 * MAX_FILE_BYTES as usize;
    options.budget = Some(budget);
    options
}

fn io_diagnostic(path: &Path, error: &std::io::Error) -> Diagnostic {
    let d = Diagnostic::error(path, format!("cannot read the file: {error}"));
    match error.kind() {
        std::io::ErrorKind::NotFound => {
            d.hint("check the file name and the folder you run kaiho in")
        }
        std::io::ErrorKind::PermissionDenied => d.hint("check the file's permissions"),
        _ => d,
    }
}

/// serde-saphyr appends "at line L column C" to its messages; the diagnostic says that
/// itself, in the `file:line:column` prefix.
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let cut = first.rfind(" at line ").map_or(first, |i| &first[..i]);
    cut.trim_end_matches(['.', ',']).to_owned()
}

/// A hint for the most common parse errors, keyed on the message text.
fn hint_for(message: &str) -> Option<String> {
    if message.starts_with("unknown field ") && message.ends_with("nothing may be written here") {
        return Some(
            "this block takes no keys: write it as `- masthead: {}` (or `colophon`)".into(),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (_, expected) = rest.split_once(", expected ")?;
        let allowed: Vec<&str> = expected
            .split(['`', ' ', ','])
            .filter(|w| !w.is_empty() && *w != "one" && *w != "of" && *w != "or")
            .collect();
        let unknown = rest.split('`').nth(1)?;
        let allowed_list = allowed.join(", ");
        // `{ figure: 1,200 }`: in flow style the comma ends the value, and `200` is read
        // as the next key.
        if unknown.len() == 3 && unknown.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!(
                "a number's comma inside {{ }} ends the value before it, and `{unknown}` was \
                 read as a key: quote the value that holds it, as \"1,{unknown}\""
            ));
        }
        return Some(match crate::suggest::closest(unknown, &allowed) {
            Some(best) => format!("did you mean `{best}`? allowed here: {allowed_list}"),
            None => format!("allowed here: {allowed_list}"),
        });
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (_, expected) = rest.split_once(", expected ")?;
        let kinds: Vec<&str> = expected
            .split(['`', ' ', ','])
            .filter(|w| !w.is_empty() && *w != "one" && *w != "of" && *w != "or")
            .collect();
        let unknown = rest.split('`').nth(1)?;
        let list = kinds.join(", ");
        return Some(match crate::suggest::closest(unknown, &kinds) {
            Some(best) => format!("did you mean `{best}`? block kinds: {list}"),
            None => format!("block kinds: {list}"),
        });
    }
    if message.starts_with("invalid boolean") {
        return Some("write true or false (yes, no, on and off are not understood)".into());
    }
    if message.contains("expected mapping") {
        return Some(
            "kaiho expects keys here (key: value), e.g. volume:, issue:, date:, pages:".into(),
        );
    }
    if message.starts_with("missing field") {
        return Some("add the key shown in quotes; see the README for each block's keys".into());
    }
    if message.starts_with("expected a number") {
        return Some("write the number with the digits 0–9, e.g. 1 (not 一 or １)".into());
    }
    if message.starts_with("expected a text") {
        return Some(
            "write a single text here; a list (- …) or keys (key: …) do not belong here".into(),
        );
    }
    if message.contains("invalid type") {
        return Some(
            "check the indentation and the kind of value: text, a number, a list (- …) or keys"
                .into(),
        );
    }
    if message.contains("budget") || message.contains("alias") || message.contains("depth") {
        return Some("volume files need no anchors (&), aliases (*) or deep nesting".into());
    }
    None
}

/// Finds the YAML path (`pages[0].blocks[3]`) of the node at or just before `at`.
///
/// It walks the parser's events, keeping a stack of the open mappings and sequences; the
/// path of the last node that starts at or before the position is the answer.
pub fn yaml_path_at(text: &str, at: Position) -> Option<String> {
    enum Frame {
        Map { path: String, key: Option<String>, expect_key: bool },
        Seq { path: String, index: usize },
    }
    let target = (at.line as usize, at.column.saturating_sub(1) as usize);
    let mut stack: Vec<Frame> = Vec::new();
    let mut best: Option<String> = None;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let start = (span.start.line(), span.start.col());
        if start > target {
            break;
        }
        // The path of a node starting here, and whether it is a mapping key.
        let node_path = |stack: &mut Vec<Frame>| -> (String, bool) {
            match stack.last_mut() {
                None => (String::new(), false),
                Some(Frame::Seq { path, index }) => {
                    let p = format!("{path}[{index}]");
                    *index += 1;
                    (p, false)
                }
                Some(Frame::Map { path, key, expect_key }) => {
                    if *expect_key {
                        (path.clone(), true)
                    } else {
                        *expect_key = true;
                        (join(path, key.as_deref().unwrap_or("?")), false)
                    }
                }
            }
        };
        match event {
            Event::Scalar(value, ..) => {
                let (path, is_key) = node_path(&mut stack);
                if is_key {
                    if let Some(Frame::Map { key, expect_key, path: map_path }) = stack.last_mut() {
                        *key = Some(value.to_string());
                        *expect_key = false;
                        best = Some(join(map_path, &value));
                    }
                } else {
                    best = Some(path);
                }
            }
            Event::Alias(_) => best = Some(node_path(&mut stack).0),
            Event::MappingStart(..) => {
                let (path, _) = node_path(&mut stack);
                best = Some(path.clone());
                stack.push(Frame::Map { path, key: None, expect_key: true });
            }
            Event::SequenceStart(..) => {
                let (path, _) = node_path(&mut stack);
                best = Some(path.clone());
                stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    best.filter(|p| !p.is_empty())
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_mappings_and_sequences() {
        let text = "volume: 10\npages:\n  - blocks:\n      - headline:\n          title: a\n      - section:\n          number: 1\n";
        let at = |line, column| yaml_path_at(text, Position { line, column });
        assert_eq!(at(1, 9).as_deref(), Some("volume"));
        assert_eq!(at(5, 18).as_deref(), Some("pages[0].blocks[0].headline.title"));
        assert_eq!(at(7, 11).as_deref(), Some("pages[0].blocks[1].section.number"));
    }

    #[test]
    fn location_suffix_is_removed() {
        assert_eq!(
            strip_location("missing field `title` at line 3 column 5"),
            "missing field `title`"
        );
    }
}

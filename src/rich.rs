//! Inline markup in text fields: ruby `{base|reading}`, strong `**text**`, line breaks.
//!
//! This is the whole markup language of kaiho's text fields. Everything else is literal text:
//! the result is a list of runs handed to the layout as data, so nothing a volume says is
//! ever evaluated by Typst. Markup that is not closed stays literal, so a stray `{` or `**`
//! prints as typed (and `validate` warns about it).

use serde::Serialize;

/// One run of inline text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Inline {
    /// Literal text, possibly strong.
    Text {
        /// The characters, printed as they are.
        text: String,
        /// Set in the bold face.
        strong: bool,
    },
    /// A base with its reading set above it (group ruby over the whole base).
    Ruby {
        /// The characters read.
        text: String,
        /// The reading, in kana.
        ruby: String,
        /// Set in the bold face.
        strong: bool,
    },
    /// An explicit line break (a newline in the YAML text).
    Break {
        /// Always `true`; lets the layout tell breaks apart.
        linebreak: bool,
    },
}

/// Text with inline markup resolved into runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(transparent)]
pub struct RichText(pub Vec<Inline>);

/// A piece of markup that looked intended but was left literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    /// Byte offset of the opening mark in the source text.
    pub offset: usize,
    /// Which mark: `{` or `**`.
    pub mark: &'static str,
}

impl RichText {
    /// Parses `source`; returns the runs and any markup that was left literal.
    pub fn parse(source: &str) -> (Self, Vec<Unclosed>) {
        let mut parser = Parser { runs: Vec::new(), buffer: String::new(), strong: false };
        let mut unclosed = Vec::new();
        let mut strong_open: Option<usize> = None;
        let mut rest = source;
        while let Some(c) = rest.chars().next() {
            let offset = source.len() - rest.len();
            if rest.starts_with("**") {
                // Strong only when there is a closing `**` on the same line.
                let closes = rest[2..].lines().next().is_some_and(|l| l.contains("**"));
                if parser.strong || closes {
                    parser.flush();
                    parser.strong = !parser.strong;
                    strong_open = parser.strong.then_some(offset);
                } else {
                    unclosed.push(Unclosed { offset, mark: "**" });
                    parser.buffer.push_str("**");
                }
                rest = &rest[2..];
                continue;
            }
            if c == '{' {
                if let Some((base, reading, len)) = ruby_at(rest) {
                    parser.flush();
                    parser.runs.push(Inline::Ruby {
                        text: base.to_owned(),
                        ruby: reading.to_owned(),
                        strong: parser.strong,
                    });
                    rest = &rest[len..];
                    continue;
                }
                unclosed.push(Unclosed { offset, mark: "{" });
            }
            if c == '\n' {
                parser.flush();
                parser.runs.push(Inline::Break { linebreak: true });
            } else {
                parser.buffer.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
        parser.flush();
        if let Some(offset) = strong_open.filter(|_| parser.strong) {
            unclosed.push(Unclosed { offset, mark: "**" });
        }
        (Self(parser.runs), unclosed)
    }

    /// The ruby readings, in order.
    pub fn readings(&self) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|run| match run {
                Inline::Ruby { ruby, .. } => Some(ruby.clone()),
                _ => None,
            })
            .collect()
    }

    /// The text as a reader sees it: bases without readings, breaks as newlines.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|run| match run {
                Inline::Text { text, .. } | Inline::Ruby { text, .. } => text.as_str(),
                Inline::Break { .. } => "\n",
            })
            .collect()
    }
}

struct Parser {
    runs: Vec<Inline>,
    buffer: String,
    strong: bool,
}

impl Parser {
    fn flush(&mut self) {
        if !self.buffer.is_empty() {
            let text = std::mem::take(&mut self.buffer);
            self.runs.push(Inline::Text { text, strong: self.strong });
        }
    }
}

/// Matches `{base|reading}` at the start of `s`; both parts non-empty, single line, no
/// nested braces. Returns base, reading and the byte length of the whole match.
fn ruby_at(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find('}')?;
    let inner = &s[1..close];
    if inner.contains(['{', '\n']) {
        return None;
    }
    let (base, reading) = inner.split_once('|')?;
    let valid = |t: &str| !t.trim().is_empty() && !t.contains('|');
    (valid(base) && valid(reading)).then_some((base, reading, close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str, strong: bool) -> Inline {
        Inline::Text { text: t.into(), strong }
    }

    #[test]
    fn group_ruby_covers_the_whole_base() {
        let (rich, unclosed) = RichText::parse("明るい{未来|まち}");
        assert!(unclosed.is_empty());
        assert_eq!(
            rich.0,
            vec![
                text("明るい", false),
                Inline::Ruby { text: "未来".into(), ruby: "まち".into(), strong: false }
            ]
        );
        assert_eq!(rich.plain(), "明るい未来");
    }

    #[test]
    fn mono_ruby_is_one_group_per_character() {
        let (rich, _) = RichText::parse("{小|こ}{諸|もろ}");
        assert_eq!(rich.0.len(), 2);
        assert_eq!(rich.plain(), "小諸");
    }

    #[test]
    fn strong_and_breaks() {
        let (rich, _) = RichText::parse("a**b**c\nd");
        assert_eq!(
            rich.0,
            vec![
                text("a", false),
                text("b", true),
                text("c", false),
                Inline::Break { linebreak: true },
                text("d", false)
            ]
        );
    }

    #[test]
    fn everything_else_is_literal() {
        for s in ["#panic()", "$x$ *a* _b_ @c <d> [e] \\f", "= h", "- item", "{a}", "{|b}", "{a|}"]
        {
            let (rich, _) = RichText::parse(s);
            assert_eq!(rich.plain(), s, "{s}");
        }
    }

    #[test]
    fn unclosed_markup_is_reported_and_kept() {
        let (rich, unclosed) = RichText::parse("a ** b {c");
        assert_eq!(rich.plain(), "a ** b {c");
        assert_eq!(
            unclosed,
            vec![Unclosed { offset: 2, mark: "**" }, Unclosed { offset: 7, mark: "{" }]
        );
    }
}

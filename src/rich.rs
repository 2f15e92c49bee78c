//! Inline markup in text fields: ruby `{base|reading}`, a word kept on one line `{word}`,
//! strong `**text**`, line breaks.
//!
//! This is the whole markup language of kaiho's text fields. Everything else is literal text:
//! the result is a list of runs handed to the layout as data, so nothing a volume says is
//! ever evaluated by Typst. Markup that is not closed stays literal, so a stray `{` or `**`
//! prints as typed (and `validate` warns about it).
//!
//! Parsing also applies two rules of Japanese layout (JLREQ) that Typst does not: numbers
//! with their units (23億2107万円余, 9.4ポイント, 〒384-0808) become `Figure` runs that the
//! layout keeps on one line, and each ruby knows whether its neighbours are kana, which its
//! reading may overhang, or something else, which it may not.

use std::sync::LazyLock;

use regex::Regex;
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
        /// A word the author keeps on one line (`{担い手}`): no joint inside it, so a text
        /// set by phrases (headings, captions, items) never breaks there; for the words the
        /// phrase model splits and a name that must not break. Body text breaks anywhere.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        keep: bool,
    },
    /// A number with its units, never broken across lines.
    #[serde(rename_all = "kebab-case")]
    Figure {
        /// The characters, e.g. `23億2107万円余`.
        figure: String,
        /// Set in the bold face.
        strong: bool,
        /// Japanese text before it: the layout adds the ¼ em Japanese–Latin space that
        /// Typst adds only between runs of one paragraph, not next to an unbreakable box.
        space_before: bool,
        /// Japanese text after it, likewise.
        space_after: bool,
    },
    /// A base with its reading set above it (group ruby over the whole base).
    #[serde(rename_all = "kebab-case")]
    Ruby {
        /// The characters read.
        text: String,
        /// The reading, in kana.
        ruby: String,
        /// Set in the bold face.
        strong: bool,
        /// The character before is kana, which a long reading may overhang.
        overhang_before: bool,
        /// The character after is kana, likewise.
        overhang_after: bool,
    },
    /// An explicit line break (a newline in the YAML text).
    Break {
        /// Always `true`; lets the layout tell breaks apart.
        linebreak: bool,
    },
    /// Where the text may break in a heading, caption, note or list item (see
    /// [`crate::phrase`]); body text ignores it.
    Joint {
        /// Between two phrases, or between two words of a phrase.
        joint: Joint,
    },
}

/// The kind of an [`Inline::Joint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Joint {
    /// Between two phrases (文節): where such a text breaks.
    Phrase,
    /// Between two words inside a phrase: where a phrase too long for a line breaks.
    Word,
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
                        overhang_before: false,
                        overhang_after: false,
                    });
                    rest = &rest[len..];
                    continue;
                }
                if let Some((word, len)) = kept_at(rest) {
                    parser.flush();
                    let text = word.to_owned();
                    parser.runs.push(Inline::Text { text, strong: parser.strong, keep: true });
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
        (Self(crate::phrase::mark(settle(parser.runs))), unclosed)
    }

    /// The figures (numbers with their units) that the layout keeps whole, in order.
    pub fn figures(&self) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|run| match run {
                Inline::Figure { figure, .. } => Some(figure.clone()),
                _ => None,
            })
            .collect()
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

    /// A name with its reading over it word by word (森下 恵 read もりした めぐみ: もりした
    /// over 森下, めぐみ over 恵), as a reader of a Japanese name expects; `None` where
    /// that cannot be told (the name has ruby or markup of its own, or the name and the
    /// reading have not the same number of words, or only one), and the reading stands
    /// over the whole name as group ruby. Words are parted by spaces, half or full width;
    /// the name's own spaces are kept; a word that reads as written (kana) gets none.
    pub fn with_reading_by_word(&self, reading: &str) -> Option<RichText> {
        let is_space = |c: char| c == ' ' || c == '\u{3000}';
        let plain_runs = self.0.iter().all(|run| {
            matches!(run, Inline::Text { strong: false, keep: false, .. } | Inline::Joint { .. })
        });
        if !plain_runs {
            return None;
        }
        let plain = self.plain();
        let readings: Vec<&str> = reading.split(is_space).filter(|w| !w.is_empty()).collect();
        let words: Vec<&str> = plain.split(is_space).filter(|w| !w.is_empty()).collect();
        if words.len() < 2 || words.len() != readings.len() {
            return None;
        }
        let mut runs = Vec::new();
        let mut rest = plain.trim_matches(is_space);
        for (i, (word, reading)) in words.iter().zip(&readings).enumerate() {
            if i > 0 {
                let gap = &rest[..rest.len() - rest.trim_start_matches(is_space).len()];
                runs.push(Inline::Text { text: gap.to_owned(), strong: false, keep: false });
                rest = &rest[gap.len()..];
            }
            // A word that reads as it is written (はるか) needs no reading over it.
            runs.push(if word == reading {
                Inline::Text { text: (*word).to_owned(), strong: false, keep: false }
            } else {
                Inline::Ruby {
                    text: (*word).to_owned(),
                    ruby: (*reading).to_owned(),
                    strong: false,
                    overhang_before: false,
                    overhang_after: false,
                }
            });
            rest = &rest[word.len()..];
        }
        Some(RichText(runs))
    }

    /// The text as a reader sees it: bases without readings, breaks as newlines.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|run| match run {
                Inline::Text { text, .. } | Inline::Ruby { text, .. } => text.as_str(),
                Inline::Figure { figure, .. } => figure.as_str(),
                Inline::Break { .. } => "\n",
                Inline::Joint { .. } => "",
            })
            .collect()
    }

    /// The phrases, as a reader sees them (a line break ends one too).
    pub fn phrases(&self) -> Vec<String> {
        self.pieces(|j| j == Joint::Phrase)
    }

    /// The words: the phrases cut at their word joints too.
    pub fn words(&self) -> Vec<String> {
        self.pieces(|_| true)
    }

    fn pieces(&self, cuts: impl Fn(Joint) -> bool) -> Vec<String> {
        let mut out = vec![String::new()];
        for run in &self.0 {
            match run {
                Inline::Joint { joint } if cuts(*joint) => out.push(String::new()),
                Inline::Break { .. } => out.push(String::new()),
                _ => out
                    .last_mut()
                    .expect("never empty")
                    .push_str(&RichText(vec![run.clone()]).plain()),
            }
        }
        out.retain(|p| !p.is_empty());
        out
    }
}

/// A number with its units: an optional prefix (〒, TEL, 第, an era), then one or more
/// numbers each with its units (2016年4月, 23億2107万円余); figures joined by an arrow
/// (19.8%→29.2%) are one, and an arrow stays with the figure before it.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"[0-9０-９]+(?:[.,．，:：\-‐－][0-9０-９]+)*";
    // Units proper, not counted nouns: 77市町村 may break after 77, 9.4ポイント may not.
    let units = "円余|円|人|位|ポイント|%|％|倍|件|年度|年|か月|ヶ月|月|日|時|分|秒|歳|期|回|号|km|kg|m|ha|℃";
    let one = format!(r"{number}(?:[億万千]{number})*(?:[億万千]?(?:{units})|[億万千])?");
    let prefix = "(?:〒|TEL|ＴＥＬ|第|令和|平成|昭和)?";
    Regex::new(&format!(r"{prefix}(?:{one})+(?:→(?:{one})+)*→?")).expect("valid figure pattern")
});

/// Units after which a run of figures may break: 令和5年度29.2% is two figures, and so are
/// the parts of a date or a time (2016年|4月, 4月|20日, 9時|30分), so that a line may
/// break at the joint rather than be spread out to hold the whole chain (in a column of
/// 13 characters, 4月20日 kept whole left a line more than two characters short). A
/// number never parts from its own unit.
const JOINTS: [&str; 22] = [
    "年度",
    "%",
    "％",
    "ポイント",
    "倍",
    "件",
    "人",
    "位",
    "回",
    "号",
    "歳",
    "期",
    "円余",
    "円",
    "か月",
    "ヶ月",
    "年",
    "月",
    "日",
    "時",
    "分",
    "秒",
];

/// Splits a matched run of figures at its joints: after a unit of `JOINTS` that another
/// figure follows (a digit, or an era).
fn joints(figure: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < figure.len() {
        let rest = &figure[i..];
        let unit = JOINTS.iter().find(|u| rest.starts_with(**u));
        if let Some(unit) = unit {
            let end = i + unit.len();
            let next = &figure[end..];
            let more = next
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                || ["令和", "平成", "昭和"].iter().any(|e| next.starts_with(e));
            if more {
                out.push(&figure[start..end]);
                start = end;
            }
            i = end;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push(&figure[start..]);
    out
}

/// Kana (and the long vowel mark): what a ruby reading may overhang.
fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

/// Han and kana: the side of a Japanese–Latin space that is Japanese.
fn is_japanese_letter(c: char) -> bool {
    is_kana(c)
        || matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}' | '々')
}

/// Latin letters, digits and the half-width symbols that follow digits (29.2%とし): the
/// side of a Japanese–Latin space that is Latin.
fn is_latin_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '%' | '‰' | '°')
}

/// Full-width brackets: each carries half an em of blank on its outer side, which is the
/// space there (JLREQ), so a space typed beside one would double it.
const BRACKETS: &str = "「『（【〔〈《［｛〘〖｟」』）】〕〉》］｝〙〗｠";

/// `text` without the spaces (ASCII or ideographic) typed next to a bracket, inside it or
/// across its edges (`before` and `after`: the characters of the runs around it).
fn collapse_bracket_spaces(text: &str, before: Option<char>, after: Option<char>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_space = |c: char| c == ' ' || c == '\u{3000}';
    let bracket = |c: Option<char>| c.is_some_and(|c| BRACKETS.contains(c));
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if is_space(chars[i]) {
            let end = (i..chars.len()).find(|&j| !is_space(chars[j])).unwrap_or(chars.len());
            let left = if i == 0 { before } else { Some(chars[i - 1]) };
            let right = chars.get(end).copied().or(after);
            if !bracket(left) && !bracket(right) {
                out.extend(&chars[i..end]);
            }
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Drops spaces typed next to brackets, splits figures out of text runs and tells figures
/// and ruby about their neighbours.
fn settle(runs: Vec<Inline>) -> Vec<Inline> {
    let edges: Vec<(Option<char>, Option<char>)> = runs.iter().map(edge_chars).collect();
    let runs: Vec<Inline> = runs
        .into_iter()
        .enumerate()
        .filter_map(|(i, run)| match run {
            Inline::Text { text, strong, keep: false } => {
                let before = i.checked_sub(1).and_then(|j| edges[j].1);
                let after = edges.get(i + 1).and_then(|e| e.0);
                let text = collapse_bracket_spaces(&text, before, after);
                (!text.is_empty()).then_some(Inline::Text { text, strong, keep: false })
            }
            other => Some(other),
        })
        .collect();
    let mut out = Vec::new();
    for run in runs {
        match run {
            // A kept word stays one run, figures and all: it is whole already.
            Inline::Text { text, strong, keep: false } => {
                let mut last = 0;
                for m in FIGURE.find_iter(&text) {
                    if m.start() > last {
                        let text = text[last..m.start()].to_owned();
                        out.push(Inline::Text { text, strong, keep: false });
                    }
                    for figure in joints(m.as_str()) {
                        out.push(Inline::Figure {
                            figure: figure.to_owned(),
                            strong,
                            space_before: false,
                            space_after: false,
                        });
                    }
                    last = m.end();
                }
                if last < text.len() {
                    out.push(Inline::Text { text: text[last..].to_owned(), strong, keep: false });
                }
            }
            other => out.push(other),
        }
    }
    let edges: Vec<(Option<char>, Option<char>)> = out.iter().map(edge_chars).collect();
    for i in 0..out.len() {
        let before = i.checked_sub(1).and_then(|j| edges[j].1);
        let after = edges.get(i + 1).and_then(|e| e.0);
        let (first, last) = edges[i];
        match &mut out[i] {
            Inline::Figure { space_before, space_after, .. } => {
                *space_before =
                    before.is_some_and(is_japanese_letter) && first.is_some_and(is_latin_or_digit);
                *space_after =
                    after.is_some_and(is_japanese_letter) && last.is_some_and(is_latin_or_digit);
            }
            Inline::Ruby { overhang_before, overhang_after, .. } => {
                *overhang_before = before.is_some_and(is_kana);
                *overhang_after = after.is_some_and(is_kana);
            }
            _ => {}
        }
    }
    out
}

/// The first and last visible character of a run.
fn edge_chars(run: &Inline) -> (Option<char>, Option<char>) {
    match run {
        Inline::Text { text, .. }
        | Inline::Ruby { text, .. }
        | Inline::Figure { figure: text, .. } => (text.chars().next(), text.chars().next_back()),
        Inline::Break { .. } | Inline::Joint { .. } => (None, None),
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
            self.runs.push(Inline::Text { text, strong: self.strong, keep: false });
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

/// Matches `{word}` at the start of `s`: a word kept on one line, single line, no bar (that
/// is ruby), no nested braces, not blank. Returns the word and the byte length of the match.
fn kept_at(s: &str) -> Option<(&str, usize)> {
    let close = s.find('}')?;
    let inner = &s[1..close];
    let valid = !inner.trim().is_empty() && !inner.contains(['{', '\n', '|']);
    valid.then_some((inner, close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_goes_over_each_word_of_a_name_when_the_words_match() {
        let (name, _) = RichText::parse("森下　恵");
        let by_word = name.with_reading_by_word("もりした めぐみ").unwrap();
        let ruby = |t: &str, r: &str| Inline::Ruby {
            text: t.into(),
            ruby: r.into(),
            strong: false,
            overhang_before: false,
            overhang_after: false,
        };
        assert_eq!(
            by_word.0,
            vec![ruby("森下", "もりした"), text("\u{3000}", false), ruby("恵", "めぐみ")]
        );
        assert_eq!(by_word.plain(), "森下　恵");
        // A word in kana reads as it is written: no reading over it.
        let (name, _) = RichText::parse("山川 はるか");
        let by_word = name.with_reading_by_word("やまかわ はるか").unwrap();
        assert_eq!(by_word.0[1..], [text(" ", false), text("はるか", false)]);
        // One word, words that do not match, or a name with markup: the group ruby stays.
        assert_eq!(RichText::parse("森下恵").0.with_reading_by_word("もりしためぐみ"), None);
        assert_eq!(name.with_reading_by_word("もりした めぐ み"), None);
        assert_eq!(RichText::parse("**森下** 恵").0.with_reading_by_word("もりした めぐみ"), None);
    }

    fn text(t: &str, strong: bool) -> Inline {
        Inline::Text { text: t.into(), strong, keep: false }
    }

    /// The runs without their joints (which `phrase` tests).
    fn runs(rich: &RichText) -> Vec<Inline> {
        rich.0.iter().filter(|r| !matches!(r, Inline::Joint { .. })).cloned().collect()
    }

    #[test]
    fn a_word_in_braces_is_kept_on_one_line() {
        // BudouX splits 担い／手 and なり手不／足; braces keep a word whole, no joint inside.
        let (rich, unclosed) = RichText::parse("地域の{担い手}と{なり手不足}の**{課題}**");
        assert!(unclosed.is_empty(), "{unclosed:?}");
        let kept: Vec<&str> = rich
            .0
            .iter()
            .filter_map(|r| match r {
                Inline::Text { text, keep: true, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(kept, ["担い手", "なり手不足", "課題"]);
        assert!(matches!(&rich.0.last(), Some(Inline::Text { strong: true, keep: true, .. })));
        assert_eq!(rich.plain(), "地域の担い手となり手不足の課題");
        for word in rich.words() {
            for kept in ["担い手", "なり手不足"] {
                assert!(!kept.contains(&word) || word == kept, "{word} is part of {kept}");
            }
        }
        // Without the braces the model splits them (the reason for the markup).
        let (plain, _) = RichText::parse("地域の担い手となり手不足の課題");
        assert!(plain.words().iter().any(|w| w.contains("担い") && !w.contains('手')));
        // Not a kept word: empty, a bar (ruby's), nested, over a line break.
        for literal in ["{}", "{ }", "{a|}", "{{x}}", "{a\nb}"] {
            let (rich, unclosed) = RichText::parse(literal);
            assert!(!unclosed.is_empty(), "{literal}: {rich:?}");
        }
        // The layout reads `keep` only where it is set.
        let json = serde_json::to_string(&RichText::parse("{担い手}と").0).unwrap();
        assert!(json.contains(r#""keep":true"#) && json.matches("keep").count() == 1, "{json}");
    }

    #[test]
    fn group_ruby_covers_the_whole_base() {
        let (rich, unclosed) = RichText::parse("明るい{未来|まち}");
        assert!(unclosed.is_empty());
        assert_eq!(
            runs(&rich),
            vec![
                text("明るい", false),
                Inline::Ruby {
                    text: "未来".into(),
                    ruby: "まち".into(),
                    strong: false,
                    overhang_before: true,
                    overhang_after: false
                }
            ]
        );
        assert_eq!(rich.plain(), "明るい未来");
    }

    #[test]
    fn ruby_may_overhang_kana_but_not_kanji() {
        let (rich, _) = RichText::parse("漢{字|かんじ}かな");
        assert!(matches!(
            runs(&rich)[1],
            Inline::Ruby { overhang_before: false, overhang_after: true, .. }
        ));
    }

    fn figures(s: &str) -> Vec<String> {
        RichText::parse(s)
            .0
            .0
            .into_iter()
            .filter_map(|r| match r {
                Inline::Figure { figure, .. } => Some(figure),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn numbers_with_units_are_kept_whole() {
        assert_eq!(figures("合計23.21億円余とし"), ["23.21億円余"]);
        assert_eq!(figures("23億2107万円余"), ["23億2107万円余"]);
        assert_eq!(
            figures("割合19.8%→令和5年度29.2%とし9.4ポイント増加"),
            ["19.8%→", "令和5年度", "29.2%", "9.4ポイント"]
        );
        assert_eq!(
            figures("〒384-0808 小諸市御影新町 2529-1 TEL0267-23-8788"),
            ["〒384-0808", "2529-1", "TEL0267-23-8788"]
        );
        // A date breaks between its parts, never between a number and its unit.
        assert_eq!(figures("2016年4月～2023年12月末"), ["2016年", "4月", "2023年", "12月"]);
        assert_eq!(figures("長野県77市町村中5位"), ["77", "5位"]);
        assert_eq!(figures("19.8%→29.2%"), ["19.8%→29.2%"]);
        assert_eq!(figures("9時30分から"), ["9時", "30分"]);
        assert_eq!(figures("5位289人"), ["5位", "289人"]);
        assert_eq!(figures("文字だけ"), Vec::<String>::new());
    }

    #[test]
    fn figures_next_to_japanese_get_the_quarter_em_space() {
        let (rich, _) = RichText::parse("合計23億円余とし、(12)");
        let flags: Vec<(bool, bool)> = rich
            .0
            .iter()
            .filter_map(|r| match r {
                Inline::Figure { space_before, space_after, .. } => {
                    Some((*space_before, *space_after))
                }
                _ => None,
            })
            .collect();
        // 計|23: space; 余|と: both Japanese, no space; (|12|): punctuation, no space.
        assert_eq!(flags, [(true, false), (false, false)]);
    }

    #[test]
    fn a_percent_sign_before_kana_gets_the_space_too() {
        let (rich, _) = RichText::parse("29.2%とし");
        assert!(matches!(rich.0[0], Inline::Figure { space_after: true, .. }), "{:?}", rich.0);
    }

    #[test]
    fn spaces_typed_next_to_brackets_are_dropped() {
        let (rich, _) = RichText::parse("から 【現物給付方式】 で、「小諸」　と a b");
        assert_eq!(rich.plain(), "から【現物給付方式】で、「小諸」と a b");
        // Across runs: a space before a ruby that starts with a bracket, and after strong text.
        let (rich, _) = RichText::parse("**【重要】** お知らせ");
        assert_eq!(rich.plain(), "【重要】お知らせ");
    }

    #[test]
    fn mono_ruby_is_one_group_per_character() {
        let (rich, _) = RichText::parse("{小|こ}{諸|もろ}");
        assert_eq!(runs(&rich).len(), 2);
        assert_eq!(rich.plain(), "小諸");
    }

    #[test]
    fn strong_and_breaks() {
        let (rich, _) = RichText::parse("a**b**c\nd");
        assert_eq!(
            runs(&rich),
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
        // (`{a}` is a word kept on one line: `a_word_in_braces_is_kept_on_one_line`.)
        for s in ["#panic()", "$x$ *a* _b_ @c <d> [e] \\f", "= h", "- item", "{|b}", "{a|}", "{}"] {
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

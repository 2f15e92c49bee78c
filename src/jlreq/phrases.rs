//! Phrase-aware breaks checked on the typeset glyphs: phrases (文節) split across lines,
//! and runts (a text's last line of one or two characters).
//!
//! A text set by phrases must break only between its phrases when another break exists;
//! these checks find the breaks that do not, by reading two neighbouring lines against the
//! texts' phrases ([`crate::phrase`]).

use super::Line;
use crate::rich::{Inline, Joint, RichText};

/// A text as the checks read it: its characters without white space, and at which of them
/// a phrase starts.
#[derive(Debug, Clone)]
pub struct Phrased {
    /// The characters, white space removed (as lines of glyphs have none).
    pub chars: Vec<char>,
    /// For each character, whether a phrase starts before it (a line may break there).
    pub starts: Vec<bool>,
    /// For each character, whether a word starts before it (a line may break there when
    /// the phrase is wider than a line).
    pub words: Vec<bool>,
}

impl Phrased {
    /// The phrases of a parsed text.
    pub fn new(rich: &RichText) -> Self {
        let mut chars = Vec::new();
        let mut starts = Vec::new();
        let mut words = Vec::new();
        let (mut joint, mut word) = (true, true);
        for run in &rich.0 {
            let text = match run {
                Inline::Joint { joint: Joint::Phrase } | Inline::Break { .. } => {
                    (joint, word) = (true, true);
                    continue;
                }
                Inline::Joint { .. } => {
                    word = true;
                    continue;
                }
                Inline::Text { text, .. } | Inline::Ruby { text, .. } => text,
                Inline::Figure { figure, .. } => figure,
            };
            for c in text.chars().filter(|c| !c.is_whitespace()) {
                chars.push(c);
                starts.push(std::mem::take(&mut joint));
                words.push(std::mem::take(&mut word));
            }
        }
        Self { chars, starts, words }
    }

    /// The characters of the phrase around char `i`.
    fn phrase_len(&self, i: usize) -> usize {
        let start = (0..=i).rev().find(|&k| self.starts[k]).unwrap_or(0);
        let end = (i + 1..self.chars.len()).find(|&k| self.starts[k]).unwrap_or(self.chars.len());
        end - start
    }

    /// Where in the text `head` ends and `tail` begins: every char index at which the
    /// text reads `head` then `tail`.
    fn joins(&self, head: &[char], tail: &[char]) -> Vec<usize> {
        let window: Vec<char> = head.iter().chain(tail).copied().collect();
        if window.is_empty() || window.len() > self.chars.len() {
            return Vec::new();
        }
        (0..=self.chars.len() - window.len())
            .filter(|&i| self.chars[i..i + window.len()] == window[..])
            .map(|i| i + head.len())
            .collect()
    }

    /// The phrase around char `i`, with `／` where the line breaks.
    fn around(&self, i: usize) -> String {
        let start = (0..i).rev().find(|&k| self.starts[k]).unwrap_or(0);
        let end = (i + 1..self.chars.len()).find(|&k| self.starts[k]).unwrap_or(self.chars.len());
        let before: String = self.chars[start..i].iter().collect();
        let after: String = self.chars[i..end].iter().collect();
        format!("{before}／{after}")
    }
}

/// A break the checks found, with its page.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// 1-based page.
    pub page: usize,
    /// The phrase with `／` at the break (a split), or the last line (a runt).
    pub text: String,
}

/// Whether `below` continues the text of `above`: the next line of one column (the lines
/// overlap horizontally and stand one line pitch apart).
fn follows(above: &Line, below: &Line) -> bool {
    let size = above.glyphs[0].size;
    above.page == below.page
        && below.y - above.y > 0.5 * size
        && below.y - above.y < 2.5 * size
        && below.left() < above.right()
        && above.left() < below.right()
        && (below.glyphs[0].size - size).abs() < 0.01
}

/// The characters of a line, white space removed.
fn chars(line: &Line) -> Vec<char> {
    line.text().chars().filter(|c| !c.is_whitespace()).collect()
}

/// How many characters of each side of a break identify it in a text.
const CONTEXT: usize = 5;

/// Pairs of lines where one continues the other, each with the texts' char indices at which
/// the line breaks (empty when the pair is not one of `texts`).
fn breaks<'a>(
    lines: &'a [Line],
    texts: &'a [Phrased],
) -> impl Iterator<Item = (&'a Line, &'a Line, Vec<(&'a Phrased, usize)>)> {
    lines.iter().enumerate().flat_map(move |(i, above)| {
        lines[i + 1..].iter().take(40).filter(|b| follows(above, b)).take(1).map(move |below| {
            let (a, b) = (chars(above), chars(below));
            let head = &a[a.len().saturating_sub(CONTEXT)..];
            let tail = &b[..b.len().min(CONTEXT)];
            let at =
                texts.iter().flat_map(|t| t.joins(head, tail).into_iter().map(move |j| (t, j)));
            (above, below, at.collect())
        })
    })
}

/// Phrases split across two lines: breaks inside a phrase of one of `texts`, found where two
/// neighbouring lines read on in that text (a break is only reported when no reading of the
/// pair puts it between phrases). A phrase longer than either line could not stand on one,
/// so it may break between its words.
pub fn split_phrases(lines: &[Line], texts: &[Phrased]) -> Vec<Found> {
    breaks(lines, texts)
        .filter(|(above, below, at)| {
            let longest = chars(above).len().max(chars(below).len());
            let allowed =
                |t: &Phrased, j: usize| t.starts[j] || (t.words[j] && t.phrase_len(j) > longest);
            !at.is_empty() && at.iter().all(|(t, j)| !allowed(t, *j))
        })
        .map(|(_, below, at)| Found { page: below.page, text: at[0].0.around(at[0].1) })
        .collect()
}

/// The characters a reader counts in a line: not punctuation.
pub fn letters(line: &str) -> usize {
    line.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation())
        .filter(|c| !"、。，．・：；？！」』）】〕〉》「『（【〔〈《".contains(*c))
        .count()
}

/// Last lines of `texts` with at most `most` letters ([`letters`]) under a line of the same
/// text: runts (`most` 2) or short last lines.
pub fn short_last_lines(lines: &[Line], texts: &[Phrased], most: usize) -> Vec<Found> {
    breaks(lines, texts)
        .filter(|(_, below, at)| {
            let n = chars(below).len();
            letters(&below.text()) <= most
                && !at.is_empty()
                && at.iter().all(|(t, j)| j + n == t.chars.len())
        })
        .map(|(_, below, _)| Found { page: below.page, text: below.text() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::PlacedGlyph;
    use crate::jlreq::lines;

    fn line_of(text: &str, y: f64) -> Vec<PlacedGlyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| PlacedGlyph {
                page: 1,
                x: i as f64 * 10.0,
                y,
                advance: 10.0,
                size: 10.0,
                id: 1,
                text: c.to_string(),
                family: "f".into(),
                ..Default::default()
            })
            .collect()
    }

    fn typeset(rows: &[&str]) -> Vec<Line> {
        let glyphs: Vec<PlacedGlyph> = rows
            .iter()
            .enumerate()
            .flat_map(|(i, r)| line_of(r, 100.0 + 15.0 * i as f64))
            .collect();
        lines(&glyphs)
    }

    fn phrased(s: &str) -> Vec<Phrased> {
        vec![Phrased::new(&RichText::parse(s).0)]
    }

    #[test]
    fn a_break_inside_a_phrase_is_found_and_one_between_phrases_is_not() {
        let texts = phrased("健康寿命の延伸");
        let split = split_phrases(&typeset(&["健", "康寿命の延伸"]), &texts);
        assert_eq!(split, [Found { page: 1, text: "健／康寿命の".into() }]);
        assert!(split_phrases(&typeset(&["健康寿命の", "延伸"]), &texts).is_empty());
    }

    #[test]
    fn katakana_words_split_are_found() {
        let texts = phrased("クラウドファンディングによる寄付額");
        let split = split_phrases(&typeset(&["クラウド", "ファンディングによる寄付額"]), &texts);
        assert_eq!(split.len(), 1, "{split:?}");
        assert!(split[0].text.starts_with("クラウド／ファンディング"), "{split:?}");
    }

    #[test]
    fn a_phrase_wider_than_its_lines_may_break_between_its_words() {
        let texts = phrased("クラウドファンディングによる寄付額");
        // The phrase クラウドファンディングによる is longer than either line: it could not
        // stand on one, and it breaks where its words meet.
        let narrow = typeset(&["クラウドファンディング", "による寄付額"]);
        assert!(split_phrases(&narrow, &texts).is_empty(), "{:?}", split_phrases(&narrow, &texts));
        // Lines that could hold it whole: the same break is a split.
        let wide = typeset(&["クラウドファンディング", "による寄付額の推移と健康"]);
        assert_eq!(split_phrases(&wide, &texts).len(), 1);
    }

    #[test]
    fn lines_of_other_texts_are_not_read_as_breaks() {
        let texts = phrased("健康寿命の延伸");
        assert!(split_phrases(&typeset(&["まちの", "未来"]), &texts).is_empty());
    }

    #[test]
    fn runts_are_last_lines_of_two_letters_or_fewer() {
        let texts = phrased("地域の防災力の向上を図る");
        let runts = short_last_lines(&typeset(&["地域の防災力の向上を", "図る"]), &texts, 2);
        assert_eq!(runts, [Found { page: 1, text: "図る".into() }]);
        let lines = typeset(&["地域の防災力の", "向上を図る"]);
        assert!(short_last_lines(&lines, &texts, 2).is_empty());
        // A line that does not end the text is not a last line.
        assert!(short_last_lines(&typeset(&["地域の防災力の向上", "を図"]), &texts, 2).is_empty());
        assert_eq!(letters("推進。"), 2);
    }
}

//! Japanese line-layout rules (JLREQ, JIS X 4051) checked on the typeset glyphs.
//!
//! Typst applies the Unicode line-breaking rules for `lang: "ja"`; these checks verify the
//! result instead of trusting it (the test suite runs them on every volume it typesets): no line starts or ends with a forbidden character
//! (行頭・行末禁則), figures stay whole (分離禁止), and Japanese and Latin text keep their
//! quarter-em space (和欧間). They read the glyphs back from the pages ([`crate::inspect`]).

pub mod phrases;

use crate::inspect::PlacedGlyph;

pub mod display;
pub mod legibility;

/// Characters no line may start with (行頭禁則, strict): closing brackets, middle dots and
/// colons, sentence and comma marks, iteration marks, prolonged sound mark, small kana.
pub const NO_LINE_START: &str = concat!(
    "」』）】〕〉》］｝〙〗｠»)]}",
    "‐〜゠–",
    "？！?!‼⁇⁈⁉",
    "・：；:;",
    "。．.",
    "、，,",
    "ヽヾゝゞ々〻",
    "ー",
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
);

/// Characters no line may end with (行末禁則): opening brackets.
pub const NO_LINE_END: &str = "「『（【〔〈《［｛〘〖｟«([{";

/// One line of glyphs: same page, same baseline, no wide gap between neighbours.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based page.
    pub page: usize,
    /// Baseline, in points from the top of the page.
    pub y: f64,
    /// The glyphs, left to right.
    pub glyphs: Vec<PlacedGlyph>,
}

impl Line {
    /// The line's text.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }

    /// Left edge of the first glyph.
    pub fn left(&self) -> f64 {
        self.glyphs.first().map_or(0.0, |g| g.x)
    }

    /// Right edge of the last glyph.
    pub fn right(&self) -> f64 {
        self.glyphs.last().map_or(0.0, |g| g.x + g.advance)
    }
}

/// Groups glyphs into lines: by page and baseline, then split where the gap to the next
/// glyph is wider than 1.5 em (a column gutter, not a space).
pub fn lines(glyphs: &[PlacedGlyph]) -> Vec<Line> {
    let mut sorted: Vec<&PlacedGlyph> =
        glyphs.iter().filter(|g| !g.text.trim().is_empty()).collect();
    sorted.sort_by(|a, b| {
        a.page.cmp(&b.page).then(key(a.y).cmp(&key(b.y))).then(a.x.total_cmp(&b.x))
    });
    let mut out: Vec<Line> = Vec::new();
    for g in sorted {
        let joins = out.last().is_some_and(|line| {
            let last = line.glyphs.last().expect("lines are never empty");
            line.page == g.page
                && key(line.y) == key(g.y)
                && g.x - (last.x + last.advance) < 1.5 * g.size.max(last.size)
        });
        if joins {
            out.last_mut().expect("checked").glyphs.push(g.clone());
        } else {
            out.push(Line { page: g.page, y: g.y, glyphs: vec![g.clone()] });
        }
    }
    out
}

/// Baselines within a hundredth of a point are the same.
fn key(y: f64) -> i64 {
    (y * 100.0).round() as i64
}

/// A broken rule, with the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Which rule.
    pub rule: &'static str,
    /// Page of the line.
    pub page: usize,
    /// The line's text.
    pub line: String,
}

/// 行頭・行末禁則 on lines of two or more glyphs that continue a paragraph: a line may not
/// start with a character of [`NO_LINE_START`] nor end with one of [`NO_LINE_END`].
///
/// A line that starts a paragraph (or a box) may start with an opening bracket or anything
/// else, so only continuation lines are checked for their start: a line is a continuation
/// when the line above it, in the same column, ends at the right margin of that column.
pub fn kinsoku(lines: &[Line]) -> Vec<Violation> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text = line.text();
        let (Some(first), Some(last)) = (text.chars().next(), text.chars().next_back()) else {
            continue;
        };
        if text.chars().count() >= 2 && NO_LINE_END.contains(last) {
            out.push(Violation {
                rule: "行末禁則: a line ends with an opening bracket",
                page: line.page,
                line: text.clone(),
            });
        }
        if NO_LINE_START.contains(first) && continues(lines, i) {
            out.push(Violation {
                rule: "行頭禁則: a line starts with a forbidden character",
                page: line.page,
                line: text,
            });
        }
    }
    out
}

/// Whether line `i` continues a paragraph from the line above it: there is a line just
/// above with the same left edge or the same column, and the text flows on.
fn continues(lines: &[Line], i: usize) -> bool {
    let line = &lines[i];
    let size = line.glyphs[0].size;
    lines[..i].iter().rev().take(200).any(|above| {
        above.page == line.page
            && line.y - above.y > 0.5 * size
            && line.y - above.y < 2.5 * size
            && (above.left() - line.left()).abs() < 1.5 * size
    })
}

/// Figures (numbers with their units) that do not appear whole on any one line.
pub fn split_figures<'a>(lines: &[Line], figures: &'a [String]) -> Vec<&'a str> {
    let texts: Vec<String> = lines.iter().map(Line::text).collect();
    figures
        .iter()
        .filter(|f| !texts.iter().any(|t| t.contains(f.as_str())))
        .map(String::as_str)
        .collect()
}

/// Gaps between a Japanese letter and a Latin letter or digit next to it, in em, with the
/// line's justification stretch (the median gap between Japanese letters) taken out.
///
/// Typst adds the space to the Japanese glyph (a wider advance, and an offset when Latin
/// comes first), so gaps are measured between ink positions: a Japanese glyph is one em
/// wide, a Latin glyph as wide as its advance.
pub fn japanese_latin_gaps(lines: &[Line]) -> Vec<(f64, String)> {
    let width = |g: &PlacedGlyph| if japanese(g) { g.size } else { g.advance };
    let gap = |a: &PlacedGlyph, b: &PlacedGlyph| (b.x - (a.x + width(a))) / a.size.max(b.size);
    let mut out = Vec::new();
    for line in lines {
        let pairs: Vec<(&PlacedGlyph, &PlacedGlyph)> =
            line.glyphs.windows(2).map(|w| (&w[0], &w[1])).collect();
        let mut stretch: Vec<f64> = pairs
            .iter()
            .filter(|(a, b)| japanese(a) && japanese(b) && a.size == b.size)
            .map(|(a, b)| gap(a, b))
            .collect();
        stretch.sort_by(f64::total_cmp);
        let stretch = stretch.get(stretch.len() / 2).copied().unwrap_or(0.0);
        for (a, b) in pairs {
            let mixed = (japanese(a) && latin(b)) || (latin(a) && japanese(b));
            if mixed && (a.size - b.size).abs() < 0.01 {
                out.push((gap(a, b) - stretch, format!("{}{}", a.text, b.text)));
            }
        }
    }
    out
}

/// A kana or kanji glyph.
pub(crate) fn japanese(g: &PlacedGlyph) -> bool {
    g.text.chars().all(|c| {
        matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A1}'..='\u{30FA}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
    })
}

fn latin(g: &PlacedGlyph) -> bool {
    g.text.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f64, y: f64) -> PlacedGlyph {
        PlacedGlyph {
            page: 1,
            x,
            y,
            advance: 10.0,
            size: 10.0,
            id: 1,
            text: text.into(),
            family: "f".into(),
            ..Default::default()
        }
    }

    fn line_of(text: &str, y: f64) -> Vec<PlacedGlyph> {
        text.chars().enumerate().map(|(i, c)| glyph(&c.to_string(), i as f64 * 10.0, y)).collect()
    }

    #[test]
    fn glyphs_group_into_lines_and_columns() {
        let mut glyphs = line_of("あいう", 100.0);
        glyphs.extend(line_of("かき", 115.0));
        // A second column on the same baseline, far to the right.
        glyphs.extend(line_of("さし", 100.0).into_iter().map(|mut g| {
            g.x += 200.0;
            g
        }));
        let lines = lines(&glyphs);
        let texts: Vec<String> = lines.iter().map(Line::text).collect();
        assert_eq!(texts, ["あいう", "さし", "かき"]);
    }

    #[test]
    fn forbidden_line_starts_and_ends_are_found() {
        let mut glyphs = line_of("文章が「", 100.0);
        glyphs.extend(line_of("、続く", 112.0));
        let found = kinsoku(&lines(&glyphs));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].rule.starts_with("行末禁則"));
        assert!(found[1].rule.starts_with("行頭禁則"));
    }

    #[test]
    fn a_paragraph_may_start_with_a_bracket() {
        assert!(kinsoku(&lines(&line_of("「小諸モデル」", 100.0))).is_empty());
    }

    #[test]
    fn figures_split_over_two_lines_are_found() {
        let mut glyphs = line_of("合計23.21億", 100.0);
        glyphs.extend(line_of("円余とし", 112.0));
        let figures = vec!["23.21億円余".to_owned(), "23.21".to_owned()];
        assert_eq!(split_figures(&lines(&glyphs), &figures), ["23.21億円余"]);
    }
}

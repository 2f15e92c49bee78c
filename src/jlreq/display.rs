//! Display type (issue 17), checked on the typeset glyphs: tracking that runs evenly across
//! kanji, kana and Latin, a 和欧間 that tightens at display sizes and follows symbols after
//! digits (29.2%とし), and no space stacked on a bracket's own half em.
//!
//! Spaces are measured between what the glyphs leave blank: from the end of one glyph's own
//! advance (the font's, [`PlacedGlyph::natural`]) to the next glyph's origin, in ems of the
//! larger of the two, so that tracking, 和欧間 and typed spaces all show.

use super::{Line, japanese};
use crate::inspect::PlacedGlyph;

/// Opening brackets, whose glyph carries its own half em of space before its ink.
pub const OPENING: &str = "「『（【〔〈《［｛〘〖｟";

/// Closing brackets, whose glyph carries its own half em after its ink.
pub const CLOSING: &str = "」』）】〕〉》］｝〙〗｠";

/// Display sizes start at twice the body size: the headline, the name plate, big numbers.
pub const DISPLAY: f64 = 2.0;

/// The 和欧間 at display sizes, in em: an eighth, where text takes a quarter.
pub const DISPLAY_SPACE: f64 = 0.125;

/// A rule broken somewhere on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Which rule.
    pub rule: &'static str,
    /// 1-based page.
    pub page: usize,
    /// The line it is on.
    pub line: String,
    /// Where in the line: the two characters on either side.
    pub at: String,
    /// What was measured, in em.
    pub value: f64,
}

/// The blank between two neighbouring glyphs, in em.
pub fn space(a: &PlacedGlyph, b: &PlacedGlyph) -> f64 {
    (b.x - (a.x + a.natural)) / a.size.max(b.size)
}

/// Latin letters, digits and the symbols that go with them (29.2%, 5℃ is Japanese): the
/// other side of a 和欧間.
pub fn western(g: &PlacedGlyph) -> bool {
    !g.text.is_empty()
        && g.text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '%' | '‰' | '°' | '#' | '&' | '+'))
}

/// A line's tracking: the median space between two Japanese letters of one size, leaving
/// out spaces of a fifth of an em or more (a space typed between words, or the gap between
/// the readings of two ruby bases, こ　みち over 小道: not tracking).
pub fn tracking(line: &Line) -> f64 {
    let mut spaces: Vec<f64> = line
        .glyphs
        .windows(2)
        .filter(|w| japanese(&w[0]) && japanese(&w[1]) && w[0].size == w[1].size)
        .map(|w| space(&w[0], &w[1]))
        .filter(|s| *s < 0.2)
        .collect();
    spaces.sort_by(f64::total_cmp);
    spaces.get(spaces.len() / 2).copied().unwrap_or(0.0)
}

/// Lines of headings and display type: every glyph of one size, at least `from` points.
fn set_at_least(lines: &[Line], from: f64) -> impl Iterator<Item = &Line> {
    lines.iter().filter(move |l| {
        let size = l.glyphs[0].size;
        size >= from && l.glyphs.iter().all(|g| (g.size - size).abs() < 0.01)
    })
}

/// Tracking that changes inside a line of headings or display type (`from`: the smallest
/// heading size): two Japanese letters whose space differs from the line's tracking by more
/// than 0.015 em, two kana or two Latin letters by more than 0.06 em (the font's kerning of
/// kana like った and of Latin stays). A space of a fifth of an em or more is a space typed
/// between words (後援会 入会申込書) or room for a ruby, not tracking.
pub fn uneven_tracking(lines: &[Line], from: f64) -> Vec<Finding> {
    let mut out = Vec::new();
    for line in set_at_least(lines, from) {
        let even = tracking(line);
        for w in line.glyphs.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let tolerance = if (kana(a) && kana(b)) || (western(a) && western(b)) {
                0.06
            } else if japanese(a) && japanese(b) {
                0.015
            } else {
                continue;
            };
            let off = space(a, b) - even;
            if off.abs() > tolerance && off < 0.2 {
                out.push(finding("tracking: uneven across the line", line, a, b, off));
            }
        }
    }
    out
}

fn kana(g: &PlacedGlyph) -> bool {
    g.text.chars().all(|c| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A1}'..='\u{30FA}'))
}

/// Every 和欧間 of a line: the space between a Japanese letter and a western character
/// next to it (either order), less the line's tracking, with the size it was set at and
/// the space with the tracking left in (inside a figure's box a justified line adds
/// nothing, so either may be the 和欧間). Spaces of half an em or more are a layout's
/// separation, not a 和欧間, and are left out.
pub fn japanese_western(lines: &[Line]) -> Vec<(f64, f64, Finding)> {
    let mut out = Vec::new();
    for line in lines {
        let even = tracking(line);
        for w in line.glyphs.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let mixed = (japanese(a) && western(b)) || (western(a) && japanese(b));
            if !mixed || (a.size - b.size).abs() > 0.01 {
                continue;
            }
            let gap = space(a, b) - even;
            if gap < 0.45 {
                out.push((a.size, space(a, b), finding("和欧間", line, a, b, gap)));
            }
        }
    }
    out
}

/// 和欧間 outside its range: at display sizes (`display` points and up) 1/16 to 1/8 em,
/// otherwise 1/8 to 1/4 em (JLREQ; a justified line may shrink it to 1/8).
pub fn wrong_japanese_western(lines: &[Line], display: f64) -> Vec<Finding> {
    japanese_western(lines)
        .into_iter()
        .filter(|(size, whole, f)| {
            let (low, high) = if *size >= display {
                (DISPLAY_SPACE / 2.0, DISPLAY_SPACE + 0.01)
            } else {
                (0.115, 0.26)
            };
            !(low..=high).contains(&f.value) && !(low..=high).contains(whole)
        })
        .map(|(size, _, mut f)| {
            f.rule = if size >= display {
                "和欧間: not 1/16–1/8 em at a display size"
            } else {
                "和欧間: not 1/8–1/4 em"
            };
            f
        })
        .collect()
}

/// Space stacked on a bracket's own half em: more than 0.1 em (beyond the line's tracking)
/// before an opening bracket or after a closing one, up to 1.5 em (wider is a column).
pub fn stacked_bracket_space(lines: &[Line]) -> Vec<Finding> {
    let mut out = Vec::new();
    for line in lines {
        let even = tracking(line);
        for w in line.glyphs.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let bracket = OPENING.contains(b.text.as_str()) || CLOSING.contains(a.text.as_str());
            let extra = space(a, b) - even;
            if bracket && extra > 0.1 {
                out.push(finding(
                    "brackets: a space stacked on the bracket's half em",
                    line,
                    a,
                    b,
                    extra,
                ));
            }
        }
    }
    out
}

fn finding(
    rule: &'static str,
    line: &Line,
    a: &PlacedGlyph,
    b: &PlacedGlyph,
    value: f64,
) -> Finding {
    Finding {
        rule,
        page: line.page,
        line: line.text(),
        at: format!("{}|{}", a.text, b.text),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines;
    use super::*;

    /// Glyphs of `text` at `size`, each `tracking` em after the last one's own em (Latin
    /// letters half an em wide), with `extra` em more before the glyph at `at`.
    fn set(text: &str, size: f64, tracking: f64, extra: &[(usize, f64)]) -> Vec<PlacedGlyph> {
        let mut x = 0.0;
        let mut out = Vec::new();
        for (i, c) in text.chars().enumerate() {
            x += extra.iter().filter(|(at, _)| *at == i).map(|(_, e)| e * size).sum::<f64>();
            let natural = if c.is_ascii() { size / 2.0 } else { size };
            out.push(PlacedGlyph {
                page: 1,
                x,
                y: 100.0,
                advance: natural + tracking * size,
                natural,
                size,
                text: c.to_string(),
                ..Default::default()
            });
            x += natural + tracking * size;
        }
        out
    }

    #[test]
    fn tracking_lost_at_a_script_change_is_found() {
        // 小諸|ぶらんど|通信 with no tracking where Han meets Hiragana.
        let glyphs = set("小諸ぶらんど通信", 24.0, 0.06, &[(2, -0.06), (6, -0.06)]);
        let found = uneven_tracking(&lines(&glyphs), 20.0);
        let at: Vec<&str> = found.iter().map(|f| f.at.as_str()).collect();
        assert_eq!(at, ["諸|ぶ", "ど|通"]);
        let even = set("小諸ぶらんど通信", 24.0, 0.06, &[]);
        assert!(uneven_tracking(&lines(&even), 20.0).is_empty());
        // Text below the heading sizes is not display type.
        assert!(uneven_tracking(&lines(&glyphs), 30.0).is_empty());
        // The readings of 小道 (こ　みち): the gap between two bases' readings is no
        // tracking, so みち keeps its own.
        let readings = set("こみち", 24.0, 0.06, &[(1, 0.8)]);
        assert!(uneven_tracking(&lines(&readings), 20.0).is_empty());
    }

    #[test]
    fn a_quarter_em_at_a_display_size_is_too_wide() {
        // 市政 2期: a quarter em between 政 and 2, at 30 pt and at 9 pt.
        let big = set("市政2期", 30.0, 0.0, &[(2, 0.25), (3, 0.25)]);
        let found = wrong_japanese_western(&lines(&big), 20.0);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].rule.contains("display"));
        let eighth = set("市政2期", 30.0, 0.0, &[(2, 0.125), (3, 0.125)]);
        assert!(wrong_japanese_western(&lines(&eighth), 20.0).is_empty());
        let text = set("市政2期", 9.0, 0.0, &[(2, 0.25), (3, 0.25)]);
        assert!(wrong_japanese_western(&lines(&text), 20.0).is_empty());
    }

    #[test]
    fn a_percent_sign_before_kana_needs_its_space() {
        let none = set("29.2%とし", 9.0, 0.0, &[]);
        let found = wrong_japanese_western(&lines(&none), 20.0);
        assert_eq!(found.iter().map(|f| f.at.as_str()).collect::<Vec<_>>(), ["%|と"]);
        let spaced = set("29.2%とし", 9.0, 0.0, &[(5, 0.25)]);
        assert!(wrong_japanese_western(&lines(&spaced), 20.0).is_empty());
    }

    #[test]
    fn a_typed_space_before_a_bracket_is_found() {
        // から 【現物】: a third of an em typed before the bracket's own half em.
        let spaced = set("から【現物】", 9.0, 0.0, &[(2, 0.33)]);
        let found = stacked_bracket_space(&lines(&spaced));
        assert_eq!(found.iter().map(|f| f.at.as_str()).collect::<Vec<_>>(), ["ら|【"]);
        let after = set("【現物】を", 9.0, 0.0, &[(4, 0.5)]);
        assert_eq!(stacked_bracket_space(&lines(&after)).len(), 1);
        assert!(stacked_bracket_space(&lines(&set("から【現物】を", 9.0, 0.0, &[]))).is_empty());
    }
}

//! Phrases (文節): where a text may break when it should not break between any characters.
//!
//! Headings, captions, notes and list items break between phrases, as Chrome's
//! `word-break: auto-phrase` does; the phrases come from BudouX (Google's segmenter, its
//! current Japanese model vendored in `vendor/budoux/`, run by the `budouy` crate). On top
//! of the model, the rules of Japanese layout: no joint inside a katakana word, a figure or a
//! ruby base, none that would start a line with a closing mark or end one with an opening
//! bracket (行頭・行末禁則), and none before a space. Inside a phrase too long for a line, the
//! text may break between its words: where the script changes from kana to kanji, at the
//! edges of katakana words, figures and Latin words, but never inside a run of kanji
//! (市町村) or between a kanji and its okurigana (取り組み).

use std::sync::LazyLock;

use budouy::Parser;

use crate::jlreq::{NO_LINE_END, NO_LINE_START};
use crate::rich::{Inline, Joint};

/// The BudouX parser with the vendored upstream Japanese model.
static PARSER: LazyLock<Parser> = LazyLock::new(|| {
    let model = budouy::model::parse_model_json(include_str!("../vendor/budoux/ja.json"))
        .expect("the vendored BudouX model is valid JSON");
    Parser::new(model)
});

/// Katakana, with the prolonged sound mark and iteration marks that continue a word.
pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FE}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}' | '々' | '〆' | 'ヶ')
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Whether text may break at `i` (a char index into `chars`) by the rules of layout.
fn allowed(chars: &[char], i: usize) -> bool {
    let (before, after) = (chars[i - 1], chars[i]);
    // A short note in brackets stays with what it qualifies: 6月10日（火）, 3名（予定）.
    let short_note = matches!(after, '（' | '(')
        && chars.iter().skip(i + 2).take(3).any(|c| matches!(c, '）' | ')'));
    !(short_note && !before.is_whitespace()
        || is_katakana(before) && is_katakana(after)
        || before == 'ー'
        || after == 'ー'
        || NO_LINE_END.contains(before)
        || NO_LINE_START.contains(after)
        || after.is_whitespace()
        || before == '\n'
        || after == '\n')
}

/// A word starts at `i` inside a phrase: kana to kanji, into or out of katakana or Latin,
/// after a space or a middle dot (行事・|会議: the dot joins words of a list, and may end a
/// line), or before an opening bracket.
fn word_starts(chars: &[char], i: usize) -> bool {
    let (before, after) = (chars[i - 1], chars[i]);
    (is_hiragana(before) && is_kanji(after))
        || before == '・'
        || is_katakana(before) != is_katakana(after)
        || is_latin(before) != is_latin(after)
        || before.is_whitespace()
        || NO_LINE_END.contains(after)
}

/// The joints of `text` (char index, kind), in order: phrase joints from BudouX, word joints
/// inside phrases; `fixed` char ranges (figures, ruby bases) are never broken inside, and
/// the edges of `figures` are word joints.
pub fn joints(
    text: &str,
    fixed: &[(usize, usize)],
    figures: &[(usize, usize)],
) -> Vec<(usize, Joint)> {
    let chars: Vec<char> = text.chars().collect();
    let inside = |i: usize| fixed.iter().any(|&(s, e)| s < i && i < e);
    let edge = |i: usize| figures.iter().any(|&(s, e)| s == i || e == i);
    let mut phrase = vec![false; chars.len() + 1];
    let mut start = 0;
    for line in text.split('\n') {
        let n = line.chars().count();
        for b in PARSER.parse_boundaries(line) {
            // A joint before a space moves after it: a line never starts with a space.
            let mut at = start + b;
            while at < start + n && chars[at].is_whitespace() {
                at += 1;
            }
            phrase[at] = true;
        }
        start += n + 1;
    }
    (1..chars.len())
        .filter(|&i| allowed(&chars, i) && !inside(i))
        .filter_map(|i| {
            if phrase[i] {
                Some((i, Joint::Phrase))
            } else if word_starts(&chars, i) || edge(i) {
                Some((i, Joint::Word))
            } else {
                None
            }
        })
        .collect()
}

/// Marks the joints of a text's runs: text runs are split where a joint falls inside them,
/// and a [`Inline::Joint`] run stands before each piece that starts at one.
pub fn mark(runs: Vec<Inline>) -> Vec<Inline> {
    let piece = |run: &Inline| -> String {
        match run {
            Inline::Text { text, .. } | Inline::Ruby { text, .. } => text.clone(),
            Inline::Figure { figure, .. } => figure.clone(),
            Inline::Break { .. } => "\n".into(),
            Inline::Joint { .. } => String::new(),
        }
    };
    let mut text = String::new();
    let mut fixed = Vec::new();
    let mut figures = Vec::new();
    let mut at = 0;
    for run in &runs {
        let p = piece(run);
        let n = p.chars().count();
        if matches!(
            run,
            Inline::Figure { .. } | Inline::Ruby { .. } | Inline::Text { keep: true, .. }
        ) {
            fixed.push((at, at + n));
        }
        if matches!(run, Inline::Figure { .. }) {
            figures.push((at, at + n));
        }
        text.push_str(&p);
        at += n;
    }
    let joints = joints(&text, &fixed, &figures);
    let mut next = joints.iter().peekable();
    let mut out = Vec::with_capacity(runs.len() + joints.len());
    let mut at = 0;
    for run in runs {
        let n = piece(&run).chars().count();
        match run {
            Inline::Text { text, strong, keep } => {
                let mut rest = text.as_str();
                let mut pos = at;
                while let Some(&&(j, kind)) = next.peek() {
                    if j >= at + n {
                        break;
                    }
                    next.next();
                    let cut = rest.char_indices().nth(j - pos).map_or(rest.len(), |(b, _)| b);
                    if cut > 0 {
                        out.push(Inline::Text { text: rest[..cut].to_owned(), strong, keep });
                    }
                    out.push(Inline::Joint { joint: kind });
                    rest = &rest[cut..];
                    pos = j;
                }
                if !rest.is_empty() {
                    out.push(Inline::Text { text: rest.to_owned(), strong, keep });
                }
            }
            other => {
                if let Some(&&(j, kind)) = next.peek()
                    && j == at
                {
                    next.next();
                    out.push(Inline::Joint { joint: kind });
                }
                out.push(other);
            }
        }
        at += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rich::RichText;

    fn phrases(s: &str) -> Vec<String> {
        RichText::parse(s).0.phrases()
    }

    #[test]
    fn phrases_follow_budoux() {
        assert_eq!(phrases("運動機能の維持"), ["運動機能の", "維持"]);
        assert_eq!(phrases("まちづくりの推進"), ["まちづくりの", "推進"]);
        assert_eq!(phrases("健康寿命の延伸"), ["健康寿命の", "延伸"]);
        assert_eq!(phrases("取り組みを推進"), ["取り組みを", "推進"]);
    }

    #[test]
    fn katakana_words_figures_and_brackets_are_never_split() {
        let p = phrases("クラウドファンディングによる寄付額");
        assert_eq!(p[0], "クラウドファンディングに");
        assert_eq!(phrases("長野県77市町村中5位").concat(), "長野県77市町村中5位");
        for p in phrases("健幸都市こもろ（小諸版ウエルネスシティ）による市政運営")
        {
            assert!(!p.ends_with('（') && !p.starts_with('）') && !p.starts_with('に'), "{p}");
        }
        // The upstream model splits 昭和5|0年代; a figure is one piece.
        assert!(phrases("昭和50年代に造成").iter().any(|p| p.contains("昭和50年")));
    }

    #[test]
    fn words_inside_a_phrase_break_between_scripts_but_not_inside_kanji() {
        let (rich, _) = RichText::parse("長野県77市町村中5位");
        assert_eq!(rich.words(), ["長野県", "77", "市町村中", "5位"]);
        let (rich, _) = RichText::parse("クラウドファンディングによる");
        assert_eq!(rich.words(), ["クラウドファンディング", "に", "よる"]);
        let (rich, _) = RichText::parse("{小|こ}{諸|もろ}の");
        assert_eq!(rich.words(), ["小諸の"]);
        // A weekday in brackets stays with its date.
        assert!(
            phrases("6月定例会は6月10日（火）開会です").iter().any(|p| p.contains("10日（火）"))
        );
        let (rich, _) = RichText::parse("行事・会議の開催");
        assert!(
            rich.words().starts_with(&["行事・".to_owned(), "会議の".to_owned()]),
            "{:?}",
            rich.words()
        );
    }

    #[test]
    fn a_line_never_starts_with_a_space() {
        for p in phrases("未来へつなぐ　まち・ひと・しごと") {
            assert!(!p.starts_with(char::is_whitespace), "{p:?}");
        }
    }
}

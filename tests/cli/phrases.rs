//! Phrase-aware breaks, checked on the typeset glyphs of VOL.10 and of every example
//! volume: headings, taglines, titles, captions, notes and list items break only between
//! their phrases (文節) and never leave a runt of one or two characters, while 禁則 and
//! whole figures still hold (`typography`).

use kaiho::inspect;
use kaiho::jlreq::phrases::{self, Phrased};
use kaiho::jlreq::{self, Line};
use kaiho::rich::RichText;

use crate::composition::volumes;
use crate::support::*;
use crate::typography::{typeset, typeset_fresh};

/// The keys of the texts the layout sets by phrases (`phrases(…)` in the layout); body
/// text, table cells, names, goals, questions and answers break between any characters,
/// and so do a callout's lead and label (one line of running text above its title).
const PHRASED: [&str; 12] = [
    "kicker", "title", "subtitle", "theme", "tagline", "items", "example", "caption", "note",
    "heading", "role", "lead",
];

/// Whether the text at `path` (`pages[0].blocks[3].section.items[2]`) is set by phrases,
/// and if so whether it is a list item (which may keep a runt when no better break exists).
fn kind(path: &str) -> Option<bool> {
    let key = path.rsplit('.').next()?.split('[').next()?;
    let phrased = PHRASED.contains(&key) && !path.contains("callout.lead");
    phrased.then_some(key == "items" || key == "example")
}

struct Report {
    name: String,
    splits: Vec<phrases::Found>,
    runts: Vec<phrases::Found>,
    item_runts: Vec<phrases::Found>,
    short: Vec<phrases::Found>,
    texts: usize,
    lines: usize,
}

fn report(volume: &std::path::Path) -> Report {
    let (loaded, typeset) = typeset(volume);
    report_of(volume, loaded, typeset)
}

fn report_of(
    volume: &std::path::Path,
    loaded: &kaiho::project::Loaded,
    typeset: &kaiho::typeset::Typeset,
) -> Report {
    let lines: Vec<Line> = jlreq::lines(&inspect::glyphs(&typeset.document));
    let (mut headings, mut items) = (Vec::new(), Vec::new());
    for t in &loaded.volume.texts {
        match kind(&t.path) {
            Some(false) => headings.push(Phrased::new(&RichText::parse(&t.text).0)),
            Some(true) => items.push(Phrased::new(&RichText::parse(&t.text).0)),
            None => {}
        }
    }
    let all: Vec<Phrased> = headings.iter().chain(&items).cloned().collect();
    Report {
        name: volume.strip_prefix(root()).unwrap_or(volume).display().to_string(),
        splits: phrases::split_phrases(&lines, &all),
        runts: phrases::short_last_lines(&lines, &headings, 2),
        item_runts: phrases::short_last_lines(&lines, &items, 2),
        short: phrases::short_last_lines(&lines, &all, 4),
        texts: all.len(),
        lines: lines.len(),
    }
}

fn texts(found: &[phrases::Found]) -> Vec<&str> {
    found.iter().map(|f| f.text.as_str()).collect()
}

#[test]
fn headings_captions_notes_and_items_break_between_phrases_without_runts() {
    for volume in volumes() {
        let r = report(&volume);
        eprintln!(
            "{}: {} phrase texts on {} lines; split {:?}; runts {:?}; item runts {:?}; last lines ≤ 4 {:?}",
            r.name,
            r.texts,
            r.lines,
            texts(&r.splits),
            texts(&r.runts),
            texts(&r.item_runts),
            texts(&r.short)
        );
        assert!(r.texts >= 3, "{}: only {} phrase texts", r.name, r.texts);
        assert!(r.splits.is_empty(), "{}: phrases split {:?}", r.name, texts(&r.splits));
        assert!(r.runts.is_empty(), "{}: runts {:?}", r.name, texts(&r.runts));
    }
}

#[test]
fn vol10_keeps_the_words_the_proof_found_split() {
    let r = report(&root().join("data/vol10.yaml"));
    for word in
        ["市町村", "クラウドファンディング", "運動機能", "健康寿命", "取り組み", "まちづくり"]
    {
        let split: Vec<_> =
            r.splits.iter().filter(|f| f.text.replace('／', "").contains(word)).collect();
        assert!(split.is_empty(), "{word} split: {split:?}");
    }
}

/// The check itself, on a volume made to fail it: a heading too long for one line, set
/// in a narrow column, breaks between phrases (the check reads it), and a katakana word
/// stays whole.
#[test]
fn a_long_heading_in_a_narrow_column_breaks_between_phrases() {
    let blocks = "      - section:\n          number: 1\n          theme: クラウドファンディングによる寄付額の推移と健康寿命の延伸\n          items: [地域の防災力の向上を図る取り組みを推進します]\n        span: 1\n      - section:\n          number: 2\n          theme: 子育て\n          items: [運動機能の維持]\n        span: 1\n        row: same\n";
    let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
    let volume = proj.path().join("vol1.yaml");
    let (loaded, typeset) = typeset_fresh(&volume);
    let r = report_of(&volume, &loaded, &typeset);
    eprintln!(
        "split {:?}, runts {:?}, short {:?}",
        texts(&r.splits),
        texts(&r.runts),
        texts(&r.short)
    );
    assert!(r.splits.is_empty(), "{:?}", texts(&r.splits));
    assert!(r.runts.is_empty(), "{:?}", texts(&r.runts));
}

/// A word in braces (`{地域おこし協力隊}`) stays on one line wherever it falls in a text
/// set by phrases; the same text without the braces breaks inside some of them.
#[test]
fn a_word_in_braces_is_never_broken() {
    let word = "地域おこし協力隊";
    let breaks_inside = |written: &str| {
        let item =
            ["の募集、", "の活動報告、", "の説明会、", "との交流会、", "の任期と", "のこれから"]
                .map(|rest| format!("{written}{rest}"))
                .concat();
        let volume = format!(
            "volume: 1\nissue: テスト号\ndate: 2024-01-01\npages:\n  - columns: 3\n    blocks:\n      - section:\n          number: 1\n          theme: 協力隊\n          items: [\"{item}\"]\n        span: 1\n"
        );
        let proj = project(&[("vol1.yaml", &volume)]);
        let (_, typeset) = typeset_fresh(&proj.path().join("vol1.yaml"));
        let lines: Vec<String> =
            jlreq::lines(&inspect::glyphs(&typeset.document)).iter().map(Line::text).collect();
        let chars: Vec<char> = word.chars().collect();
        let inside = |a: &str, b: &str| {
            (1..chars.len()).any(|k| {
                let (head, tail): (String, String) =
                    (chars[..k].iter().collect(), chars[k..].iter().collect());
                a.ends_with(&head) && b.starts_with(&tail)
            })
        };
        let found: Vec<String> = lines
            .windows(2)
            .filter(|w| inside(&w[0], &w[1]))
            .map(|w| format!("{} / {}", w[0], w[1]))
            .collect();
        eprintln!("{written}: {} lines, broken inside: {found:?}", lines.len());
        found.len()
    };
    assert!(breaks_inside(word) > 0, "without braces the word breaks inside somewhere");
    assert_eq!(breaks_inside(&format!("{{{word}}}")), 0);
}

/// Braces change nothing but where a text may break: a kept word keeps the Japanese–Latin
/// space inside and at its edges, and body text around it stays evenly justified (a box
/// would lose the space at its edges and spread a line by the width it cannot break).
#[test]
fn a_word_in_braces_keeps_the_japanese_latin_space() {
    let body = "詳しくは{QRコード}から読み取り、{LINE}で{お知らせ}を受け取れます。{第2集会所}は駅の{北口A}の前にあります。";
    let volume = format!(
        "volume: 1\nissue: テスト号\ndate: 2024-01-01\npages:\n  - blocks:\n      - text:\n          heading: 案内\n          body: \"{body}\"\n"
    );
    let proj = project(&[("vol1.yaml", &volume)]);
    let (_, typeset) = typeset_fresh(&proj.path().join("vol1.yaml"));
    let gaps = jlreq::japanese_latin_gaps(&jlreq::lines(&inspect::glyphs(&typeset.document)));
    eprintln!("{gaps:?}");
    assert!(gaps.len() >= 6, "{gaps:?}");
    let bad: Vec<_> = gaps.iter().filter(|(gap, _)| !(0.12..=0.26).contains(gap)).collect();
    assert!(bad.is_empty(), "gaps outside ⅛–¼ em: {bad:?}");
    // No line spread past what justification may add (0.05 em between letters).
    for line in jlreq::lines(&inspect::glyphs(&typeset.document)) {
        let spread = jlreq::display::tracking(&line);
        assert!(spread <= 0.051, "{}: spread by {spread:.3} em", line.text());
    }
}

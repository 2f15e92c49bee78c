//! Japanese typography, verified on the typeset glyphs of VOL.10 and the sample volume
//! (through the library: the same engine the CLI drives, read back glyph by glyph).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use kaiho::fonts::FontSearch;
use kaiho::inspect::{self, PlacedGlyph};
use kaiho::jlreq::{self, Line};
use kaiho::profile::Profile;
use kaiho::project;
use kaiho::rich::RichText;
use kaiho::typeset::{Engine, Typeset};

use crate::support::*;

/// A volume of the repository loaded and typeset as `typeset_fresh` does, once per test
/// process: several tests read the same volume's glyphs, none changes them.
pub fn typeset(volume: &Path) -> &'static (project::Loaded, Typeset) {
    type Cell = &'static OnceLock<(project::Loaded, Typeset)>;
    static DONE: Mutex<BTreeMap<PathBuf, Cell>> = Mutex::new(BTreeMap::new());
    assert!(volume.starts_with(root()), "a temporary volume is typeset fresh: {volume:?}");
    let cell: Cell =
        *DONE.lock().unwrap().entry(volume.to_owned()).or_insert_with(|| Box::leak(Box::default()));
    cell.get_or_init(|| typeset_fresh(volume))
}

/// Loads and typesets a volume with the system's Noto CJK fonts and the built-in layout
/// (print profile).
pub fn typeset_fresh(volume: &Path) -> (project::Loaded, Typeset) {
    let loaded = project::load(volume, None).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let search = FontSearch { extra: vec![], project: None, system: true };
    let engine = Engine::for_series(&loaded.series, &search, None).unwrap();
    let typeset = engine
        .typeset(&loaded, &Profile::Print.for_layout(false))
        .unwrap_or_else(|d| panic!("{}: {d:?}", volume.display()));
    (loaded, typeset)
}

const VOLUMES: [&str; 3] =
    ["data/vol10.yaml", "examples/sample/vol3.yaml", "examples/kinds/vol1.yaml"];

fn lines_of(typeset: &Typeset) -> Vec<Line> {
    jlreq::lines(&inspect::glyphs(&typeset.document))
}

#[test]
fn no_line_starts_or_ends_with_a_forbidden_character() {
    for volume in VOLUMES {
        let (_, typeset) = typeset(&root().join(volume));
        let lines = lines_of(typeset);
        assert!(lines.len() > 20, "{volume}: only {} lines", lines.len());
        let glyphs: usize = lines.iter().map(|l| l.glyphs.len()).sum();
        eprintln!("{volume}: kinsoku checked on {} lines, {glyphs} glyphs", lines.len());
        let violations = jlreq::kinsoku(&lines);
        assert!(violations.is_empty(), "{volume}: {violations:#?}");
    }
}

#[test]
fn figures_never_break_across_lines() {
    for volume in VOLUMES {
        let (loaded, typeset) = typeset(&root().join(volume));
        let figures: Vec<String> =
            loaded.volume.texts.iter().flat_map(|t| RichText::parse(&t.text).0.figures()).collect();
        eprintln!("{volume}: {} figures checked", figures.len());
        let split = jlreq::split_figures(&lines_of(typeset), &figures);
        assert!(split.is_empty(), "{volume}: split figures {split:?}");
        if volume == "data/vol10.yaml" {
            for f in ["23.21億円余", "19.8%→", "令和5年度", "29.2%", "9.4ポイント"] {
                assert!(figures.iter().any(|x| x == f), "{f} is not kept as a figure: {figures:?}");
            }
            // The colophon's postal code and telephone number, composed by the layout.
            let composed = ["〒384-0808".to_owned(), "TEL0267-23-8788".to_owned()];
            let split = jlreq::split_figures(&lines_of(typeset), &composed);
            assert!(split.is_empty(), "split in the colophon: {split:?}");
        }
    }
}

#[test]
fn japanese_and_latin_text_keep_a_quarter_em_apart() {
    let (_, typeset) = typeset(&root().join("data/vol10.yaml"));
    let gaps = jlreq::japanese_latin_gaps(&lines_of(typeset));
    assert!(gaps.len() > 50, "only {} Japanese–Latin pairs", gaps.len());
    eprintln!("VOL.10: {} Japanese–Latin pairs measured", gaps.len());
    // A gap of half an em or more is not a Japanese–Latin space but a deliberate separation
    // by the layout (between 〒384-0808 and the address, or a number badge and its title).
    let (spaced, separate): (Vec<_>, Vec<_>) = gaps.iter().partition(|(gap, _)| *gap < 0.45);
    let bad: Vec<_> = spaced.iter().filter(|(gap, _)| !(0.12..=0.26).contains(gap)).collect();
    assert!(bad.is_empty(), "gaps outside ⅛–¼ em: {bad:?}");
    assert!(separate.len() * 10 < gaps.len(), "too many wide gaps: {separate:?}");
}

/// The glyphs of a one-off volume with the given page blocks.
fn glyphs_of(blocks: &str) -> Vec<PlacedGlyph> {
    let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
    let (_, typeset) = typeset_fresh(&proj.path().join("vol1.yaml"));
    inspect::glyphs(&typeset.document)
}

#[test]
fn closing_and_opening_brackets_together_take_one_and_a_half_em() {
    let glyphs = glyphs_of("      - text:\n          body: 「小諸」「未来」を語る\n");
    let at = |i: usize| &glyphs[i];
    let close = glyphs.iter().position(|g| g.text == "」").unwrap();
    assert_eq!(at(close + 1).text, "「");
    let em = at(close).size;
    let pair = (at(close + 2).x - at(close).x) / em;
    assert!((pair - 1.5).abs() < 0.02, "」「 takes {pair} em");
}

#[test]
fn ruby_is_half_size_centred_and_keeps_the_line_pitch() {
    let body = "      - text:\n          body: >-\n            これは明るい{未来|まち}についての長い文章です。行送りが変わらないことを確かめるために、何行にもわたって続けて書いています。ルビのある行とない行で、行の間隔が同じでなければなりません。ルビのある行とない行で、行の間隔が同じでなければなりません。\n";
    let glyphs = glyphs_of(body);
    let base: Vec<&PlacedGlyph> =
        glyphs.iter().filter(|g| g.text == "未" || g.text == "来").collect();
    let ruby: Vec<&PlacedGlyph> =
        glyphs.iter().filter(|g| (g.text == "ま" || g.text == "ち") && g.size < 8.0).collect();
    assert_eq!((base.len(), ruby.len()), (2, 2), "{glyphs:?}");
    // Half the base size, but never below the 6 pt print minimum (9.5 pt text: 6 pt ruby).
    assert!(
        (ruby[0].size - (base[0].size / 2.0).max(6.0)).abs() < 0.01,
        "ruby {} vs base {}",
        ruby[0].size,
        base[0].size
    );
    assert!(
        (centre(&ruby) - centre(&base)).abs() < 0.05,
        "ruby centre {} vs base {}",
        centre(&ruby),
        centre(&base)
    );
    assert!(ruby[0].y < base[0].y - base[0].size * 0.8, "ruby is above its base");
    // Baselines of the paragraph's lines (full-size glyphs only) are evenly spaced.
    let mut baselines: Vec<f64> = glyphs.iter().filter(|g| g.size > 8.0).map(|g| g.y).collect();
    baselines.sort_by(f64::total_cmp);
    baselines.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    assert!(baselines.len() >= 3, "{baselines:?}");
    let steps: Vec<f64> = baselines.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(steps.iter().all(|s| (s - steps[0]).abs() < 0.01), "uneven line pitch {steps:?}");
}

#[test]
fn ruby_does_not_overhang_kanji() {
    // 字 (one character) under a three-kana reading: the reading is wider than its base.
    let glyphs = glyphs_of("      - headline:\n          title: 漢{字|じじじ}漢\n");
    let kanji: Vec<&PlacedGlyph> = glyphs.iter().filter(|g| g.text == "漢").collect();
    let ruby: Vec<&PlacedGlyph> = glyphs.iter().filter(|g| g.text == "じ").collect();
    assert_eq!((kanji.len(), ruby.len()), (2, 3));
    assert!(
        ruby[0].x >= kanji[0].x + kanji[0].advance - 0.01,
        "the reading overhangs the kanji before"
    );
    assert!(
        ruby[2].x + ruby[2].advance <= kanji[1].x + 0.01,
        "the reading overhangs the kanji after"
    );
    assert!(ruby.iter().all(|g| g.y == ruby[0].y), "the reading wraps: {ruby:?}");
}

/// The centre of some glyphs' advances.
fn centre(gs: &[&PlacedGlyph]) -> f64 {
    (gs[0].x + gs[gs.len() - 1].x + gs[gs.len() - 1].advance) / 2.0
}

#[test]
fn a_reading_wider_than_its_base_stays_on_one_line_centred_over_it() {
    // Four kana over one kanji: wider at any size.
    let body = "      - text:\n          body: 市民の{志|こころざし}を取り上げました。\n";
    let glyphs = glyphs_of(body);
    let base: Vec<&PlacedGlyph> = glyphs.iter().filter(|g| g.text == "志").collect();
    let ruby: Vec<&PlacedGlyph> = glyphs.iter().filter(|g| g.size < base[0].size).collect();
    assert_eq!(ruby.iter().map(|g| g.text.as_str()).collect::<String>(), "こころざし");
    assert!(ruby.iter().all(|g| g.y == ruby[0].y), "the reading wraps: {ruby:?}");
    assert!((centre(&ruby) - centre(&base)).abs() < 0.05, "not centred: {ruby:?} {base:?}");
}

#[test]
fn a_profiles_reading_goes_over_each_word_of_the_name() {
    let blocks = "      - profile:\n          name: 森下　恵\n          reading: もりした めぐみ\n";
    let glyphs = glyphs_of(blocks);
    let of = |chars: &str, small: bool| -> Vec<&PlacedGlyph> {
        let size = glyphs.iter().find(|g| g.text == "森").unwrap().size;
        glyphs
            .iter()
            .filter(|g| chars.contains(g.text.as_str()) && (g.size < size) == small)
            .collect()
    };
    let (family, given) = (of("森下", false), of("恵", false));
    let (family_reading, given_reading) = (of("もりした", true), of("めぐみ", true));
    assert_eq!((family_reading.len(), given_reading.len()), (4, 3), "{glyphs:?}");
    assert!((centre(&family_reading) - centre(&family)).abs() < 0.05, "もりした is not over 森下");
    assert!((centre(&given_reading) - centre(&given)).abs() < 0.05, "めぐみ is not over 恵");
}

/// Where a line's ink ends: a Japanese glyph after a digit or Latin letter carries the
/// Japanese–Latin space in its advance and offset (inside a figure kept whole, 1,500人),
/// so its ink ends one em after its origin.
fn right(line: &Line) -> f64 {
    match line.glyphs.as_slice() {
        [.., a, b] if a.text.chars().all(|c| c.is_ascii_alphanumeric()) && !b.text.is_ascii() => {
            b.x + b.size
        }
        _ => line.right(),
    }
}

/// Running text (the long prose of the shapes): list items and headings are ragged, set by
/// phrases (`phrases.rs`), so body paragraphs are where lines are justified.
#[test]
fn justified_lines_end_flush() {
    let (loaded, typeset) = typeset(&root().join("examples/shapes/vol4.yaml"));
    let lines = lines_of(typeset);
    // List items follow each other at the line pitch, so positions alone cannot tell the
    // last line of an item from a line its item continues after: the source texts can.
    let ends: Vec<String> = loaded
        .volume
        .texts
        .iter()
        .flat_map(|t| t.text.split('\n').map(compact).collect::<Vec<_>>())
        .collect();
    let last_of_a_text = |line: &Line| {
        let text = compact(&line.text());
        ends.iter().any(|e| e.ends_with(&text))
    };
    let mut flush = 0;
    // Body text: one size for the whole volume.
    for size in [typeset.composition.body] {
        let mut body: Vec<&Line> =
            lines.iter().filter(|l| (l.glyphs[0].size - size).abs() < 0.01).collect();
        // Column by column (side-by-side columns share baselines), top to bottom.
        body.sort_by_key(|l| {
            (l.page, (l.left() * 2.0).round() as i64, (l.y * 100.0).round() as i64)
        });
        // The smallest step between consecutive lines of one column that recurs is the line
        // pitch; a step of exactly that is a line continuing its paragraph (list items and
        // paragraphs are further apart).
        let steps: Vec<i64> = body
            .windows(2)
            .filter(|w| w[0].page == w[1].page && (w[0].left() - w[1].left()).abs() < 0.5)
            .map(|w| ((w[1].y - w[0].y) * 10.0).round() as i64)
            .collect();
        let pitch =
            (1..400).find(|s| steps.iter().filter(|x| *x == s).count() >= 3).unwrap() as f64 / 10.0;
        let continued: Vec<&Line> = body
            .windows(2)
            .filter(|w| {
                let (a, b) = (w[0], w[1]);
                a.page == b.page
                    && (b.y - a.y - pitch).abs() < 0.15
                    && (b.left() - a.left()).abs() < 0.5
            })
            .map(|w| w[0])
            .filter(|l| !last_of_a_text(l))
            .collect();
        for a in &continued {
            // The column's measure: where the continued lines of this column end, mostly.
            let rights: Vec<i64> = continued
                .iter()
                .filter(|l| {
                    l.page == a.page
                        && (l.left() - a.left()).abs() < 0.5
                        && (l.y - a.y).abs() < 80.0
                })
                .map(|l| (right(l) * 2.0).round() as i64)
                .collect();
            let measure =
                *rights.iter().max_by_key(|r| rights.iter().filter(|x| x == r).count()).unwrap()
                    as f64
                    / 2.0;
            assert!(
                (right(a) - measure).abs() < 0.6,
                "not flush: `{}` ends at {} of {measure}",
                a.text(),
                right(a)
            );
            flush += 1;
        }
    }
    eprintln!("shapes/vol4: {flush} justified lines checked flush");
    assert!(flush >= 10, "only {flush} continued lines checked");
}

//! Display type and legibility (issue 17), measured on the typeset glyphs of VOL.10 and of
//! every example volume: even tracking across scripts, the 和欧間 (tighter at display
//! sizes, and after symbols like %), no space stacked on brackets, one size per level,
//! statistics on one figure size and baseline, legible ruby, contrast of small coloured
//! text, nothing under 7 pt but ruby, grey no lighter than K80, one body size a volume.

use std::sync::OnceLock;

use kaiho::inspect::{self, Area, PlacedGlyph};
use kaiho::jlreq::{self, Line, display, legibility};
use kaiho::model::BlockKind;
use kaiho::project::Loaded;

use crate::composition::volumes;
use crate::support::*;
use crate::typography::typeset;

/// A volume typeset once for all the tests here.
struct Volume {
    name: String,
    loaded: &'static Loaded,
    body: f64,
    glyphs: Vec<PlacedGlyph>,
    areas: Vec<Area>,
    lines: Vec<Line>,
}

fn all() -> &'static [Volume] {
    static ALL: OnceLock<Vec<Volume>> = OnceLock::new();
    ALL.get_or_init(|| {
        volumes()
            .into_iter()
            .map(|path| {
                let (loaded, typeset) = typeset(&path);
                let (glyphs, areas) = inspect::read(&typeset.document);
                Volume {
                    name: path.strip_prefix(root()).unwrap().display().to_string(),
                    loaded,
                    body: typeset.composition.body,
                    lines: jlreq::lines(&glyphs),
                    glyphs,
                    areas,
                }
            })
            .collect()
    })
}

#[test]
fn tracking_runs_evenly_across_kanji_kana_and_latin() {
    let mut lines = 0;
    let mut failed = Vec::new();
    for v in all() {
        // Headings and display type: from the section titles up (1.35 × body).
        let from = 1.3 * v.body;
        let found = display::uneven_tracking(&v.lines, from);
        lines += v.lines.iter().filter(|l| l.glyphs[0].size >= from).count();
        report(&mut failed, &v.name, "uneven tracking", &found);
    }
    assert!(lines > 30, "only {lines} heading lines");
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn japanese_western_space_is_an_eighth_em_at_display_sizes_and_follows_symbols() {
    let mut display_pairs = 0;
    let mut percent = 0;
    let mut failed = Vec::new();
    for v in all() {
        let big = display::DISPLAY * v.body;
        let pairs = display::japanese_western(&v.lines);
        display_pairs += pairs.iter().filter(|(size, _, _)| *size >= big).count();
        percent += pairs.iter().filter(|(_, _, f)| f.at.starts_with('%')).count();
        let found = display::wrong_japanese_western(&v.lines, big);
        eprintln!("{}: {} 和欧間 measured", v.name, pairs.len());
        report(&mut failed, &v.name, "和欧間 outside their range", &found);
    }
    assert!(failed.is_empty(), "{failed:#?}");
    // VOL.10's headline 小泉市政2期8年 and its 29.2%とし are among them.
    assert!(display_pairs >= 4, "{display_pairs} pairs at display sizes");
    assert!(percent >= 1, "no % before kana measured");
}

#[test]
fn no_space_is_stacked_on_a_bracket() {
    let mut failed = Vec::new();
    for v in all() {
        let found = display::stacked_bracket_space(&v.lines);
        report(&mut failed, &v.name, "spaces stacked on brackets", &found);
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn every_level_is_one_size_and_statistics_share_a_figure_size_and_baseline() {
    let mut failed: Vec<String> = Vec::new();
    for v in all() {
        let mut texts: Vec<(String, String)> =
            v.loaded.volume.texts.iter().map(|t| (t.path.clone(), t.text.clone())).collect();
        // Figures are not texts of the volume: their digits and units, as set.
        let mut rows: Vec<Vec<(String, String)>> = Vec::new();
        for page in &v.loaded.volume.pages {
            for block in &page.blocks {
                if let BlockKind::Stats { stats } = &block.kind {
                    let row: Vec<(String, String)> = stats
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let figure = s.figure.0.iter().map(|p| p.text.as_str()).collect();
                            (format!("{}.stats[{i}].figure", block.id), figure)
                        })
                        .collect();
                    texts.extend(row.iter().cloned());
                    rows.push(row);
                }
            }
        }
        let mixed = legibility::mixed_levels(&v.lines, &texts);
        eprintln!("{}: {} texts, levels in several sizes: {mixed:?}", v.name, texts.len());
        if !(mixed.is_empty()) {
            failed.push(format!("{}: {mixed:#?}", v.name));
        }
        for row in rows {
            let firsts: Vec<&PlacedGlyph> =
                row.iter().filter_map(|(_, t)| legibility::first_glyph(&v.lines, t)).collect();
            assert_eq!(firsts.len(), row.len(), "{}: figures not found: {row:?}", v.name);
            // One size; cards side by side on one baseline (cards one under another, in
            // a narrow column, stand a card apart).
            let off: Vec<(f64, f64)> = firsts
                .iter()
                .map(|g| (g.size - firsts[0].size, g.y - firsts[0].y))
                .filter(|(s, y)| s.abs() > 0.01 || (y.abs() > 0.1 && y.abs() < firsts[0].size))
                .collect();
            eprintln!("{}: statistics at {:.2} pt: {off:?}", v.name, firsts[0].size);
            if !(off.is_empty()) {
                failed
                    .push(format!("{}: figures off size or baseline: {off:?} in {row:?}", v.name));
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn small_text_has_a_contrast_of_four_and_a_half_to_one() {
    let mut failed: Vec<String> = Vec::new();
    let mut coloured = 0;
    for v in all() {
        let runs = legibility::small_text(&v.glyphs, &v.areas);
        coloured +=
            runs.iter().filter(|r| r.ink.cmyk.is_some_and(|[c, m, y, _]| c + m + y > 0.0)).count();
        let mut low: Vec<String> = runs
            .iter()
            .filter(|r| r.ratio < legibility::CONTRAST)
            .map(|r| {
                format!(
                    "p{} {:.1}pt {:.2}:1 `{}` {:?} on {:?}",
                    r.page, r.size, r.ratio, r.text, r.ink.cmyk, r.background.cmyk
                )
            })
            .collect();
        low.dedup();
        let lowest = runs.iter().map(|r| r.ratio).fold(f64::INFINITY, f64::min);
        eprintln!(
            "{}: {} runs of small text, lowest {lowest:.2}:1, {} under 4.5:1: {low:#?}",
            v.name,
            runs.len(),
            low.len()
        );
        if !(low.is_empty()) {
            failed.push(format!("{}: {low:#?}", v.name));
        }
    }
    assert!(coloured > 20, "only {coloured} runs of small coloured text");
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn notes_ruby_grey_and_body_are_readable() {
    let mut failed: Vec<String> = Vec::new();
    let mut measured = 0;
    for v in all() {
        let small = legibility::too_small(&v.glyphs);
        let grey = legibility::light_grey(&v.glyphs);
        // Body text of every kind: list items, paragraphs, the bodies of boxes.
        let body_texts: Vec<(String, String)> = v
            .loaded
            .volume
            .texts
            .iter()
            .filter(|t| {
                let level = legibility::level(&t.path);
                ["items", "items.text", "items.example", "paragraphs", "body"]
                    .iter()
                    .any(|b| level == *b || level.ends_with(&format!(".{b}")))
            })
            .map(|t| (t.path.clone(), t.text.clone()))
            .collect();
        let body = legibility::sizes(&v.lines, &body_texts);
        let mut pages: Vec<(usize, f64)> = body.iter().map(|(p, s, _)| (*p, *s)).collect();
        pages.dedup();
        let smallest = v.glyphs.iter().map(|g| g.size).fold(f64::INFINITY, f64::min);
        eprintln!(
            "{}: smallest glyph {smallest:.2} pt, {} too small, {} lighter than K80, body text (page, size) {pages:?}",
            v.name,
            small.len(),
            grey.len()
        );
        if !(small.is_empty()) {
            failed.push(format!("{}: {:?}", v.name, &small[..small.len().min(20)]));
        }
        if !(grey.is_empty()) {
            failed.push(format!("{}: {:?}", v.name, &grey[..grey.len().min(20)]));
        }
        let off: Vec<_> = body.iter().filter(|(_, s, _)| (s - v.body).abs() > 0.01).collect();
        if !off.is_empty() {
            failed.push(format!("{}: body text not at {} pt: {off:?}", v.name, v.body));
        }
        if body.is_empty() {
            failed.push(format!("{}: no body text found", v.name));
        }
        measured += body.len();
    }
    assert!(measured > 100, "only {measured} body texts measured");
    assert!(failed.is_empty(), "{failed:#?}");
}

/// Prints what a check found on a volume and keeps it, so that every volume is reported
/// before the test fails.
fn report(failed: &mut Vec<String>, name: &str, what: &str, found: &[display::Finding]) {
    let said: Vec<String> = found
        .iter()
        .map(|f| format!("p{} `{}` at {} ({:+.3} em)", f.page, f.line, f.at, f.value))
        .collect();
    eprintln!("{name}: {} {what}: {said:#?}", found.len());
    failed.extend(said.into_iter().map(|s| format!("{name}: {what}: {s}")));
}

//! Legibility (issue 17), checked on the typeset glyphs and the fills under them: one size
//! per level, ruby a reader can read, small coloured text with enough contrast, no text
//! under 7 pt but ruby, grey no lighter than K80, one body size for the whole volume.
//!
//! Colours are judged on their sRGB proxy ([`Ink::srgb`], Typst's own conversion of the
//! CMYK the layout uses) by the WCAG 2 relative luminance and contrast ratio.

use std::collections::BTreeMap;

use super::Line;
use crate::inspect::{Area, Ink, PlacedGlyph};

/// The contrast small text needs against its background (WCAG 2, level AA).
pub const CONTRAST: f64 = 4.5;

/// The smallest size for anything but ruby (notes, sources, captions), in points.
pub const SMALLEST: f64 = 7.0;

/// The smallest ruby, in points.
pub const SMALLEST_RUBY: f64 = 6.0;

/// The lightest grey for text: K80.
pub const LIGHTEST_GREY: f64 = 0.8;

/// WCAG 2 relative luminance of an sRGB colour.
pub fn luminance(srgb: [f64; 3]) -> f64 {
    let linear = |c: f64| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
    let [r, g, b] = srgb.map(linear);
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG 2 contrast ratio of two colours, 1 to 21.
pub fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Small text by WCAG: under 18 pt, or under 14 pt in bold.
pub fn small(g: &PlacedGlyph) -> bool {
    g.size < 18.0 && !(g.weight >= 700 && g.size >= 14.0)
}

/// What a glyph stands on: the last area painted before it under its centre, or paper.
pub fn background(g: &PlacedGlyph, areas: &[Area]) -> Ink {
    let (cx, cy) = (g.x + g.natural / 2.0, g.y - 0.35 * g.size);
    areas
        .iter()
        .filter(|a| {
            a.page == g.page
                && a.order < g.order
                && (a.rect[0]..=a.rect[2]).contains(&cx)
                && (a.rect[1]..=a.rect[3]).contains(&cy)
        })
        .max_by_key(|a| a.order)
        .map_or(Ink::PAPER, |a| a.ink)
}

/// A run of glyphs of one ink on one background, on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// 1-based page.
    pub page: usize,
    /// The characters.
    pub text: String,
    /// Font size of the run's first glyph.
    pub size: f64,
    /// Its ink.
    pub ink: Ink,
    /// What it stands on.
    pub background: Ink,
    /// Their contrast ratio.
    pub ratio: f64,
}

/// Every run of small text with its contrast against what it stands on, in paint order.
pub fn small_text(glyphs: &[PlacedGlyph], areas: &[Area]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut last: Option<&PlacedGlyph> = None;
    for g in glyphs.iter().filter(|g| small(g) && !g.text.trim().is_empty()) {
        let Some(ink) = g.ink else { continue };
        let under = background(g, areas);
        let joins = last.is_some_and(|l| l.page == g.page && (l.y - g.y).abs() < 0.01)
            && out.last().is_some_and(|r| r.ink == ink && r.background == under);
        if joins {
            out.last_mut().expect("checked").text.push_str(&g.text);
        } else {
            out.push(Run {
                page: g.page,
                text: g.text.clone(),
                size: g.size,
                ink,
                background: under,
                ratio: contrast(ink.srgb, under.srgb),
            });
        }
        last = Some(g);
    }
    out
}

/// The base `g` is ruby of: a glyph at least 4/3 of its size just under it (ruby is half
/// its base, but never under 6 pt: 6 pt over 8.25 pt body text).
pub fn base_of<'a>(g: &PlacedGlyph, glyphs: &'a [PlacedGlyph]) -> Option<&'a PlacedGlyph> {
    let centre = g.x + g.natural / 2.0;
    glyphs.iter().find(|b| {
        b.page == g.page
            && g.size <= 0.75 * b.size
            && (0.5 * b.size..1.6 * b.size).contains(&(b.y - g.y))
            && centre > b.x - 1.5 * b.size
            && centre < b.x + b.natural + 1.5 * b.size
    })
}

/// Text under [`SMALLEST`] that is not ruby, and ruby under [`SMALLEST_RUBY`] or in a
/// lighter face than its bold base.
pub fn too_small(glyphs: &[PlacedGlyph]) -> Vec<(usize, String, f64)> {
    glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty() && g.size < SMALLEST - 0.01)
        .filter(|g| match base_of(g, glyphs) {
            None => true,
            Some(base) => g.size < SMALLEST_RUBY - 0.01 || (base.weight >= 700 && g.weight < 700),
        })
        .map(|g| (g.page, g.text.clone(), g.size))
        .collect()
}

/// Grey text lighter than K80: a CMYK ink of black alone under [`LIGHTEST_GREY`], or a
/// neutral sRGB lighter than K80's proxy (paper white is not grey).
pub fn light_grey(glyphs: &[PlacedGlyph]) -> Vec<(usize, String, f64)> {
    let k80 = luminance([0.302; 3]);
    glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty())
        .filter_map(|g| {
            let ink = g.ink?;
            let grey = match ink.cmyk {
                Some([c, m, y, k]) => {
                    (c + m + y < 0.001 && k > 0.001 && k < LIGHTEST_GREY - 0.001).then_some(k)
                }
                None => {
                    let [r, gr, b] = ink.srgb;
                    let neutral = (r - gr).abs() < 0.01 && (gr - b).abs() < 0.01;
                    (neutral && r < 0.99 && luminance(ink.srgb) > k80 + 0.001).then_some(1.0 - r)
                }
            }?;
            Some((g.page, g.text.clone(), grey))
        })
        .collect()
}

/// The size each text starts in, with its page: for the texts of one level (the body
/// text of all kinds, say), to see that they are one size across the pages.
pub fn sizes<'a>(lines: &[Line], texts: &'a [(String, String)]) -> Vec<(usize, f64, &'a str)> {
    texts
        .iter()
        .filter_map(|(_, t)| first_glyph(lines, t).map(|g| (g.page, g.size, t.as_str())))
        .collect()
}

/// The level a text's YAML path names: the block kind and field without indices, e.g.
/// `pages[1].blocks[0].manifesto.priorities[2].theme` → `manifesto.priorities.theme`.
pub fn level(path: &str) -> String {
    let field = path.split_once("blocks[").map_or(path, |(_, rest)| rest);
    let field = field.split_once("].").map_or(field, |(_, rest)| rest);
    let mut out = String::new();
    let mut depth = 0;
    for c in field.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The glyphs a text starts with: those of the one line that begins it (the text begins
/// with the line, or the line with the text). `None` when no line or several lines of
/// different sizes do.
pub fn first_glyph<'a>(lines: &'a [Line], text: &str) -> Option<&'a PlacedGlyph> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let head: String = text.chars().take(6).collect();
    let mut found = lines.iter().filter(|l| {
        let line: String = l.text().chars().filter(|c| !c.is_whitespace()).collect();
        line.starts_with(&head) && (text.starts_with(&line) || line.starts_with(&text))
    });
    let first = &found.next()?.glyphs[0];
    found.all(|l| (l.glyphs[0].size - first.size).abs() < 0.01).then_some(first)
}

/// Levels set in more than one size: each level with its sizes and a text of each.
pub fn mixed_levels(
    lines: &[Line],
    texts: &[(String, String)],
) -> Vec<(String, Vec<(f64, String)>)> {
    let mut sizes: BTreeMap<String, BTreeMap<i64, String>> = BTreeMap::new();
    for (path, text) in texts {
        if let Some(g) = first_glyph(lines, text) {
            sizes
                .entry(level(path))
                .or_default()
                .entry((g.size * 100.0).round() as i64)
                .or_insert_with(|| text.clone());
        }
    }
    sizes
        .into_iter()
        .filter(|(_, s)| s.len() > 1)
        .map(|(level, s)| (level, s.into_iter().map(|(k, t)| (k as f64 / 100.0, t)).collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::lines;
    use super::*;

    fn glyph(text: &str, x: f64, y: f64, size: f64) -> PlacedGlyph {
        PlacedGlyph {
            page: 1,
            x,
            y,
            advance: size,
            natural: size,
            size,
            text: text.into(),
            weight: 400,
            ink: Some(Ink { srgb: [0.0; 3], cmyk: Some([0.0, 0.0, 0.0, 1.0]) }),
            ..Default::default()
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast([0.0; 3], [1.0; 3]) - 21.0).abs() < 1e-9);
        assert!((contrast([1.0; 3], [1.0; 3]) - 1.0).abs() < 1e-9);
        // #777777 on white is the textbook 4.48:1.
        let grey = 0x77 as f64 / 255.0;
        assert!((contrast([grey; 3], [1.0; 3]) - 4.48).abs() < 0.01);
    }

    #[test]
    fn small_text_is_judged_on_the_fill_under_it() {
        let orange = Ink { srgb: [0.93, 0.54, 0.17], cmyk: None };
        let mint = Ink { srgb: [0.93, 0.96, 0.94], cmyk: None };
        let mut g = glyph("例", 10.0, 100.0, 9.0);
        g.ink = Some(orange);
        g.order = 5;
        let tint = Area { page: 1, rect: [0.0, 80.0, 100.0, 120.0], ink: mint, order: 2 };
        // Painted after the glyph, an area is not under it.
        let over = Area { order: 9, ink: Ink::PAPER, ..tint.clone() };
        let runs = small_text(&[g.clone()], &[tint, over]);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].background, mint);
        assert!(runs[0].ratio < 2.5, "{}", runs[0].ratio);
        // Large bold text is not small.
        g.size = 14.0;
        g.weight = 700;
        assert!(small_text(&[g], &[]).is_empty());
    }

    #[test]
    fn only_ruby_may_be_under_seven_points() {
        let base = glyph("未", 10.0, 100.0, 12.0);
        let mut ruby = glyph("ま", 13.0, 90.0, 6.0);
        let note = glyph("注", 60.0, 140.0, 6.5);
        let found = too_small(&[base.clone(), ruby.clone(), note]);
        assert_eq!(found, [(1, "注".to_owned(), 6.5)]);
        // Regular ruby over a bold base.
        let mut bold = base;
        bold.weight = 700;
        ruby.weight = 400;
        assert_eq!(too_small(&[bold, ruby]).len(), 1);
    }

    #[test]
    fn grey_lighter_than_k80_is_found() {
        let mut g = glyph("出", 0.0, 10.0, 7.0);
        g.ink = Some(Ink { srgb: [0.5; 3], cmyk: Some([0.0, 0.0, 0.0, 0.6]) });
        let mut ok = g.clone();
        ok.ink = Some(Ink { srgb: [0.3; 3], cmyk: Some([0.0, 0.0, 0.0, 0.8]) });
        assert_eq!(light_grey(&[g, ok]), [(1, "出".to_owned(), 0.6)]);
    }

    #[test]
    fn levels_are_named_by_kind_and_field() {
        assert_eq!(
            level("pages[1].blocks[0].manifesto.priorities[2].theme"),
            "manifesto.priorities.theme"
        );
        assert_eq!(level("pages[0].blocks[2].stats[1].title"), "stats.title");
        assert_eq!(level("pages[0].blocks[3].section.items[4].example"), "section.items.example");
    }

    #[test]
    fn a_level_in_two_sizes_is_found() {
        let mut glyphs: Vec<PlacedGlyph> = "自然増"
            .chars()
            .enumerate()
            .map(|(i, c)| glyph(&c.to_string(), i as f64 * 17.0, 100.0, 17.0))
            .collect();
        glyphs.extend(
            "健康"
                .chars()
                .enumerate()
                .map(|(i, c)| glyph(&c.to_string(), i as f64 * 14.0, 200.0, 14.0)),
        );
        let texts = [
            ("pages[1].blocks[0].manifesto.priorities[0].theme".to_owned(), "自然増".to_owned()),
            ("pages[1].blocks[0].manifesto.priorities[1].theme".to_owned(), "健康".to_owned()),
        ];
        let mixed = mixed_levels(&lines(&glyphs), &texts);
        assert_eq!(mixed.len(), 1, "{mixed:?}");
        assert_eq!(mixed[0].0, "manifesto.priorities.theme");
        let sizes: Vec<f64> = sizes(&lines(&glyphs), &texts).iter().map(|s| s.1).collect();
        assert_eq!(sizes, [17.0, 14.0]);
    }
}

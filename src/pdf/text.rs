//! The text of a page, with Unicode and where each glyph sits, through hayro-interpret: the
//! way the archive reads the text of past issues printed by others (and how much of the page
//! is images or outlines instead, which OCR may read). (The preflight does
//! not use it: it needs the colour space of every paint, which hayro-interpret's devices do
//! not get.)

use hayro_interpret::font::Glyph as Shape;
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache, Paint,
    PathDrawMode, SoftMask, interpret_page,
};
use hayro_syntax::page::Page;
use kurbo::{Affine, BezPath, Point};

/// One glyph of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// What it reads as (empty when the font does not say).
    pub text: String,
    /// Its origin on the page, in points from the bottom left.
    pub x: f64,
    /// See `x`.
    pub y: f64,
    /// Its size, in points.
    pub size: f64,
    /// Drawn invisibly (a recognised-text layer over a scan, say).
    pub invisible: bool,
}

/// Every glyph `page` shows, in the order drawn (annotations left out).
pub fn glyphs(page: &Page<'_>) -> Vec<Glyph> {
    read(page).glyphs
}

/// What a page draws, as far as its text goes: the glyphs, and how much else is there.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The glyphs, in the order drawn.
    pub glyphs: Vec<Glyph>,
    /// Images drawn.
    pub images: usize,
    /// The area the images cover, in square points (overlaps counted twice).
    pub image_area: f64,
    /// Paths filled or stroked (text turned to outlines is paths).
    pub paths: usize,
}

/// What `page` draws (annotations left out).
pub fn read(page: &Page<'_>) -> Content {
    let settings = super::interpreter_settings();
    let cache = InterpreterCache::new();
    let media = page.media_box();
    let bbox = kurbo::Rect::new(media.x0, media.y0, media.x1, media.y1);
    let mut context = Context::new(Affine::IDENTITY, bbox, &cache, page.xref(), settings);
    let mut device = Collector::default();
    interpret_page(page, &mut context, &mut device);
    device.content
}

/// The text of `glyphs` in the order drawn, a line break wherever the baseline moves.
pub fn text(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    let mut baseline: Option<f64> = None;
    for glyph in glyphs {
        if baseline.is_some_and(|y| (y - glyph.y).abs() > glyph.size / 2.0) {
            out.push('\n');
        }
        baseline = Some(glyph.y);
        out.push_str(&glyph.text);
    }
    out
}

/// A device that keeps the glyphs and counts everything else.
#[derive(Default)]
struct Collector {
    content: Content,
}

impl<'a> Device<'a> for Collector {
    fn draw_glyph(
        &mut self,
        glyph: &Shape<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        mode: &GlyphDrawMode,
    ) {
        let text = match glyph.as_unicode() {
            Some(hayro_interpret::hayro_cmap::BfString::Char(c)) => c.to_string(),
            Some(hayro_interpret::hayro_cmap::BfString::String(s)) => s,
            None => String::new(),
        };
        // Glyph space is 1000 units to the em.
        let placed = transform * glyph_transform;
        let origin = placed * Point::ORIGIN;
        let size = placed.determinant().abs().sqrt() * 1000.0;
        let invisible = matches!(mode, GlyphDrawMode::Invisible);
        self.content.glyphs.push(Glyph { text, x: origin.x, y: origin.y, size, invisible });
    }

    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {
        self.content.paths += 1;
    }
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, transform: Affine) {
        // An image fills the unit square of its transform.
        self.content.images += 1;
        self.content.image_area += transform.determinant().abs();
    }
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// VOL.10's print PDF, as kaiho makes it.
    fn vol10() -> Vec<u8> {
        let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/vol10.yaml"));
        let loaded = crate::project::load(path, None).expect("VOL.10 loads");
        let search = crate::fonts::FontSearch { system: true, ..Default::default() };
        let engine = crate::typeset::Engine::for_series(&loaded.series, &search, None).unwrap();
        let profile = crate::profile::Profile::Print;
        let typeset = engine.typeset(&loaded, &profile.for_layout(false)).expect("typesets");
        let date = crate::typeset::today(loaded.volume.date);
        crate::export::pdf(&typeset.document, &loaded.series, &loaded.volume, date, profile)
            .expect("exports")
    }

    #[test]
    fn the_text_of_vol10_reads_as_pdftotext_reads_it() {
        let pdf = vol10();
        let doc = crate::pdf::Document::read(&pdf).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("vol10.pdf");
        std::fs::write(&file, &pdf).unwrap();
        for (i, page) in doc.pages().iter().enumerate() {
            let glyphs = glyphs(page);
            let ours = text(&glyphs);
            let n = (i + 1).to_string();
            let out = std::process::Command::new("pdftotext")
                .args(["-f", &n, "-l", &n, file.to_str().unwrap(), "-"])
                .output()
                .expect("pdftotext (poppler-utils) is installed");
            let theirs = String::from_utf8(out.stdout).unwrap();
            let sorted = |s: &str| {
                let mut chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
                chars.sort_unstable();
                chars.into_iter().collect::<String>()
            };
            assert_eq!(sorted(&ours), sorted(&theirs), "page {n}:\n{ours}");
            assert!(glyphs.iter().all(|g| g.size >= 6.0 - 1e-3), "no glyph under 6 pt");
        }
    }
}

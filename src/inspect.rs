//! Reading a typeset document back: every glyph with its page, position, size, text and
//! colour, and every filled area it may stand on.
//!
//! Typst does not warn about characters its fonts cannot draw (it sets glyph 0, the
//! "tofu" box), and its frames are the only place where line breaks and glyph positions
//! can be checked; this module flattens them for both. The colours let legibility be
//! checked too: a glyph's ink and the fill painted under it before it.

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::{Color, Paint, ProcessColor};
use typst_layout::PagedDocument;

/// One glyph as placed on a page. Lengths are in points, from the page's top-left corner
/// (trim box, not bleed); `y` is the baseline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlacedGlyph {
    /// 1-based page number.
    pub page: usize,
    /// Left edge of the glyph's origin.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// Horizontal advance, with what tracking, spacing and justification added.
    pub advance: f64,
    /// The font's own advance for the glyph, before anything was added.
    pub natural: f64,
    /// Font size.
    pub size: f64,
    /// Glyph id in its font; 0 means the font has no glyph for the text.
    pub id: u16,
    /// The text the glyph draws (one character, or a cluster).
    pub text: String,
    /// The font family.
    pub family: String,
    /// The face's weight (400 Regular, 700 Bold).
    pub weight: u16,
    /// The ink it is drawn in; `None` for a gradient or a pattern.
    pub ink: Option<Ink>,
    /// Paint order on its page: what has a lower number lies under it.
    pub order: usize,
}

/// A solid colour as printed and as a screen shows it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ink {
    /// sRGB, 0–1 per channel: Typst's conversion (through its CMYK profile for CMYK).
    pub srgb: [f64; 3],
    /// CMYK, 0–1 per channel, when the colour was given in CMYK (a spot ink: its
    /// fallback at its tint).
    pub cmyk: Option<[f64; 4]>,
}

impl Ink {
    /// Paper white.
    pub const PAPER: Ink = Ink { srgb: [1.0; 3], cmyk: Some([0.0; 4]) };

    fn of(paint: &Paint) -> Option<Ink> {
        let Paint::Solid(color) = paint else { return None };
        let rgb = color.to_rgb();
        let process = match color {
            Color::Process(p) => *p,
            Color::Spot(s) => s.fallback(),
        };
        let cmyk = match process {
            ProcessColor::Cmyk(c) => Some([c.c, c.m, c.y, c.k].map(f64::from)),
            _ => None,
        };
        Some(Ink { srgb: [rgb.red, rgb.green, rgb.blue].map(f64::from), cmyk })
    }
}

/// A filled shape (a band, a box, a tint): the background of what is drawn over it.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// 1-based page number.
    pub page: usize,
    /// Bounding box: left, top, right, bottom, in points from the page's top-left corner.
    pub rect: [f64; 4],
    /// Its fill.
    pub ink: Ink,
    /// Paint order on its page.
    pub order: usize,
}

/// Every glyph of the document, page by page, in the order Typst placed them.
pub fn glyphs(document: &PagedDocument) -> Vec<PlacedGlyph> {
    read(document).0
}

/// Every glyph and every filled area of the document, in paint order.
pub fn read(document: &PagedDocument) -> (Vec<PlacedGlyph>, Vec<Area>) {
    let mut out = Walk::default();
    for (i, page) in document.pages().iter().enumerate() {
        out.order = 0;
        out.walk(&page.frame, Transform::identity(), i + 1);
    }
    (out.glyphs, out.areas)
}

#[derive(Default)]
struct Walk {
    glyphs: Vec<PlacedGlyph>,
    areas: Vec<Area>,
    order: usize,
}

impl Walk {
    fn walk(&mut self, frame: &Frame, ts: Transform, page: usize) {
        for (pos, item) in frame.items() {
            self.order += 1;
            match item {
                FrameItem::Group(group) => {
                    let inner = ts
                        .pre_concat(Transform::translate(pos.x, pos.y))
                        .pre_concat(group.transform);
                    self.walk(&group.frame, inner, page);
                }
                FrameItem::Shape(shape, _) => {
                    let Some(ink) = shape.fill.as_ref().and_then(Ink::of) else { continue };
                    let bbox = shape.bbox(false);
                    // Frames are only translated and scaled here: two corners are enough.
                    let a = (bbox.min + *pos).transform(ts);
                    let b = (bbox.max + *pos).transform(ts);
                    self.areas.push(Area {
                        page,
                        rect: [
                            a.x.min(b.x).to_pt(),
                            a.y.min(b.y).to_pt(),
                            a.x.max(b.x).to_pt(),
                            a.y.max(b.y).to_pt(),
                        ],
                        ink,
                        order: self.order,
                    });
                }
                FrameItem::Text(text) => {
                    let size = text.size;
                    let font = text.font.font();
                    let family = font.info().family.clone();
                    let weight = font.info().variant.weight.to_number();
                    let ink = Ink::of(&text.fill);
                    let mut x = pos.x;
                    for glyph in &text.glyphs {
                        let origin = Point::new(
                            x + glyph.x_offset.at(size),
                            pos.y - glyph.y_offset.at(size),
                        )
                        .transform(ts);
                        let advance = glyph.x_advance.at(size);
                        let natural = text.font.x_advance(glyph.id).unwrap_or_default().at(size);
                        self.glyphs.push(PlacedGlyph {
                            page,
                            x: origin.x.to_pt(),
                            y: origin.y.to_pt(),
                            advance: (advance * ts.sx.get()).to_pt(),
                            natural: (natural * ts.sx.get()).to_pt(),
                            size: size.to_pt() * ts.sy.get(),
                            id: glyph.id,
                            text: text.text[glyph.range()].to_owned(),
                            family: family.clone(),
                            weight,
                            ink,
                            order: self.order,
                        });
                        x += advance;
                    }
                }
                _ => {}
            }
        }
    }
}

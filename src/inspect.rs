//! Reading a typeset document back: every glyph with its page, position, size and text.
//!
//! Typst does not warn about characters its fonts cannot draw (it sets glyph 0, the
//! "tofu" box), and its frames are the only place where line breaks and glyph positions
//! can be checked; this module flattens them for both.

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// One glyph as placed on a page. Lengths are in points, from the page's top-left corner
/// (trim box, not bleed); `y` is the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// 1-based page number.
    pub page: usize,
    /// Left edge of the glyph's origin.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// Horizontal advance.
    pub advance: f64,
    /// Font size.
    pub size: f64,
    /// Glyph id in its font; 0 means the font has no glyph for the text.
    pub id: u16,
    /// The text the glyph draws (one character, or a cluster).
    pub text: String,
    /// The font family.
    pub family: String,
}

/// Every glyph of the document, page by page, in the order Typst placed them.
pub fn glyphs(document: &PagedDocument) -> Vec<PlacedGlyph> {
    let mut out = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<PlacedGlyph>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner =
                    ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(group.transform);
                walk(&group.frame, inner, page, out);
            }
            FrameItem::Text(text) => {
                let size = text.size;
                let family = text.font.font().info().family.clone();
                let mut x = pos.x;
                for glyph in &text.glyphs {
                    let origin =
                        Point::new(x + glyph.x_offset.at(size), pos.y - glyph.y_offset.at(size))
                            .transform(ts);
                    let advance = glyph.x_advance.at(size);
                    out.push(PlacedGlyph {
                        page,
                        x: origin.x.to_pt(),
                        y: origin.y.to_pt(),
                        advance: (advance * ts.sx.get()).to_pt(),
                        size: size.to_pt() * ts.sy.get(),
                        id: glyph.id,
                        text: text.text[glyph.range()].to_owned(),
                        family: family.clone(),
                    });
                    x += advance;
                }
            }
            _ => {}
        }
    }
}

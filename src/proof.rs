//! Proofs: PNG pages to check by eye, with optional trim, bleed and safe-area guides, and
//! a contact sheet of all pages for a quick review by e-mail or LINE.

use tiny_skia::{
    Color, Paint, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke, StrokeDash, Transform,
};
use typst::utils::Scalar;
use typst_layout::{Page, PagedDocument};

use crate::diag::Diagnostic;

/// Guides to draw over a proof, in millimetres around and inside the trim.
#[derive(Debug, Clone, Copy)]
pub struct Guides {
    /// The bleed around the trim (0 when the output has none).
    pub bleed_mm: f64,
    /// The safe area's distance inside the trim.
    pub safe_mm: f64,
}

const PT_PER_MM: f32 = 72.0 / 25.4;

/// Renders one page: trimmed, or with its bleed and the guides drawn over it.
fn render(page: &Page, ppi: f32, guides: Option<Guides>) -> Pixmap {
    let scale = ppi / 72.0;
    let options = typst_render::RenderOptions {
        pixel_per_pt: Scalar::new(f64::from(scale)),
        render_bleed: guides.is_some(),
    };
    let mut pixmap = typst_render::render(page, &options);
    if let Some(g) = guides {
        let left = page.bleed.left.to_pt() as f32;
        let top = page.bleed.top.to_pt() as f32;
        let (w, h) = (page.frame.width().to_pt() as f32, page.frame.height().to_pt() as f32);
        let rect = |inset_mm: f32| {
            let d = inset_mm * PT_PER_MM;
            Rect::from_xywh(
                (left + d) * scale,
                (top + d) * scale,
                (w - 2.0 * d) * scale,
                (h - 2.0 * d) * scale,
            )
        };
        // Trim: solid magenta; bleed: dashed cyan; safe area: dashed green.
        let lines = [
            (rect(0.0), Color::from_rgba8(230, 0, 126, 255), None),
            (rect(-(g.bleed_mm as f32)), Color::from_rgba8(0, 160, 233, 255), Some(4.0)),
            (rect(g.safe_mm as f32), Color::from_rgba8(0, 153, 68, 255), Some(2.0)),
        ];
        for (r, colour, dash) in lines {
            let Some(r) = r else { continue };
            let path = PathBuilder::from_rect(r);
            let mut paint = Paint::default();
            paint.set_color(colour);
            paint.anti_alias = true;
            let mut stroke = Stroke { width: (ppi / 150.0).max(1.0), ..Stroke::default() };
            if let Some(d) = dash {
                stroke.dash = StrokeDash::new(vec![d * ppi / 72.0, d * ppi / 72.0], 0.0);
            }
            pixmap.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
        }
    }
    pixmap
}

/// One PNG per page at `ppi` pixels per inch.
pub fn pages(
    document: &PagedDocument,
    ppi: f32,
    guides: Option<Guides>,
) -> Result<Vec<Vec<u8>>, Diagnostic> {
    document.pages().iter().map(|page| encode(&render(page, ppi, guides))).collect()
}

/// One PNG per page with the given blocks marked: a red frame over each `(page, top,
/// bottom)` span (millimetres from the top of the page), across the page's width.
pub fn pages_marked(
    document: &PagedDocument,
    ppi: f32,
    marks: &[(usize, f64, f64)],
) -> Result<Vec<Vec<u8>>, Diagnostic> {
    let px = ppi / 25.4;
    document
        .pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let mut pixmap = render(page, ppi, None);
            let width = pixmap.width() as f32;
            for &(_, top, bottom) in marks.iter().filter(|(p, _, _)| *p == i + 1) {
                let (top, bottom) =
                    (top as f32 * px, (bottom as f32 * px).max(top as f32 * px + 4.0));
                if let Some(rect) = Rect::from_xywh(4.0, top - 3.0, width - 8.0, bottom - top + 6.0)
                {
                    let path = PathBuilder::from_rect(rect);
                    let mut paint = Paint::default();
                    paint.set_color(Color::from_rgba8(230, 30, 30, 40));
                    pixmap.fill_path(
                        &path,
                        &paint,
                        tiny_skia::FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                    paint.set_color(Color::from_rgba8(220, 20, 20, 255));
                    let stroke = Stroke { width: (ppi / 40.0).max(2.0), ..Stroke::default() };
                    pixmap.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
                }
            }
            encode(&pixmap)
        })
        .collect()
}

/// All pages side by side on one sheet, with a margin and a gutter.
pub fn contact_sheet(
    document: &PagedDocument,
    ppi: f32,
    guides: Option<Guides>,
) -> Result<Vec<u8>, Diagnostic> {
    let rendered: Vec<Pixmap> = document.pages().iter().map(|p| render(p, ppi, guides)).collect();
    let gap = (ppi / 6.0).round().max(8.0) as u32;
    let width = rendered.iter().map(Pixmap::width).sum::<u32>() + gap * (rendered.len() as u32 + 1);
    let height = rendered.iter().map(Pixmap::height).max().unwrap_or(1) + 2 * gap;
    let mut sheet = Pixmap::new(width, height).ok_or_else(|| {
        Diagnostic::error("proof", "the contact sheet would be empty or too large")
    })?;
    sheet.fill(Color::from_rgba8(224, 224, 220, 255));
    let mut x = gap;
    for page in &rendered {
        sheet.draw_pixmap(
            x as i32,
            gap as i32,
            page.as_ref(),
            &PixmapPaint::default(),
            Transform::identity(),
            None,
        );
        x += page.width() + gap;
    }
    encode(&sheet)
}

fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, Diagnostic> {
    pixmap
        .encode_png()
        .map_err(|e| Diagnostic::error("PNG export", format!("cannot encode the image: {e}")))
}

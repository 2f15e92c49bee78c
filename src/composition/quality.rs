//! How well typeset pages are composed, measured on the pages as a reader sees them: the
//! tallest empty band and the share of empty rows of a 50 ppi render inside the trim less
//! 10 mm, and the length of running-text lines in characters. `kaiho check --quality`
//! prints them; the tests hold every example to a floor.

use serde::Serialize;
use typst_layout::PagedDocument;

use crate::inspect;
use crate::jlreq;

/// Resolution of the render the bands are measured on.
const PPI: f32 = 50.0;
/// How far inside the trim the measured area starts, in millimetres.
const INSET_MM: f64 = 10.0;

/// The measures of one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageQuality {
    /// 1-based page.
    pub page: usize,
    /// The tallest run of rows without ink, in millimetres.
    pub tallest_band_mm: f64,
    /// The share of rows without ink, 0–1.
    pub empty_rows: f64,
    /// Lines of running text (glyphs at the body size).
    pub lines: usize,
    /// The 95th percentile of their lengths, in characters of body text.
    pub line_p95: f64,
    /// Body size, points.
    pub body: f64,
}

/// Measures every page of a document whose body text is set at `body` points.
pub fn measure(document: &PagedDocument, body: f64) -> Vec<PageQuality> {
    let lines = jlreq::lines(&inspect::glyphs(document));
    document
        .pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let (tallest_band_mm, empty_rows) = bands(page);
            let mut lengths: Vec<f64> = lines
                .iter()
                .filter(|l| {
                    l.page == i + 1 && l.glyphs.iter().all(|g| (g.size - body).abs() < 0.01)
                })
                .map(|l| (l.right() - l.left()) / body)
                .collect();
            lengths.sort_by(f64::total_cmp);
            let line_p95 = percentile(&lengths, 0.95);
            PageQuality {
                page: i + 1,
                tallest_band_mm,
                empty_rows,
                lines: lengths.len(),
                line_p95,
                body,
            }
        })
        .collect()
}

/// The `q` quantile of sorted values (0 when there are none).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// The tallest empty band (mm) and the share of empty rows of a page, inside the trim less
/// the inset. A row is empty when none of its pixels is darker than near-white.
fn bands(page: &typst_layout::Page) -> (f64, f64) {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(PPI) / 72.0),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &options);
    let px_per_mm = f64::from(PPI) / 25.4;
    let inset = (INSET_MM * px_per_mm).round() as u32;
    let (w, h) = (pixmap.width(), pixmap.height());
    if w <= 2 * inset || h <= 2 * inset {
        return (0.0, 0.0);
    }
    let data = pixmap.data();
    let empty = |y: u32| {
        (inset..w - inset).all(|x| {
            let at = ((y * w + x) * 4) as usize;
            data[at..at + 3].iter().all(|c| *c >= 250)
        })
    };
    let (mut run, mut tallest, mut count) = (0u32, 0u32, 0u32);
    for y in inset..h - inset {
        if empty(y) {
            run += 1;
            count += 1;
            tallest = tallest.max(run);
        } else {
            run = 0;
        }
    }
    (f64::from(tallest) / px_per_mm, f64::from(count) / f64::from(h - 2 * inset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_line_lengths() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.95), 95.0);
        assert_eq!(percentile(&[3.0], 0.95), 3.0);
        assert_eq!(percentile(&[], 0.95), 0.0);
    }
}

//! How well typeset pages are composed, measured on the pages as a reader sees them: the
//! tallest empty band and the share of empty rows of a 50 ppi render inside the trim less
//! 10 mm, the tallest hole in a column (empty there while another column has ink), and
//! the length of running-text lines in characters. `kaiho check --quality` prints them;
//! the tests hold every example to a floor.

use serde::Serialize;
use typst_layout::PagedDocument;

use super::Composition;
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
    /// The tallest run of rows without ink in one column of the page's grid while another
    /// column has ink beside it, in millimetres: a hole under a short block that the bands
    /// across the page do not show.
    pub tallest_hole_mm: f64,
    /// Lines of running text (glyphs at the body size).
    pub lines: usize,
    /// The 95th percentile of their lengths, in characters of body text.
    pub line_p95: f64,
    /// Body size, points.
    pub body: f64,
}

/// Measures every page of a document composed as `composition`.
pub fn measure(document: &PagedDocument, composition: &Composition) -> Vec<PageQuality> {
    let body = composition.body;
    let lines = jlreq::lines(&inspect::glyphs(document));
    document
        .pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let columns = composition.pages.get(i).map(|p| columns(composition, &p.grid));
            let ink = Ink::render(page);
            let (tallest_band_mm, empty_rows) = ink.bands();
            let tallest_hole_mm = ink.holes(&columns.unwrap_or_default());
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
                tallest_hole_mm,
                lines: lengths.len(),
                line_p95,
                body,
            }
        })
        .collect()
}

/// Where each column of `grid` stands across the page: left and right edge, points from
/// the trim's left edge.
fn columns(composition: &Composition, grid: &super::Grid) -> Vec<(f64, f64)> {
    let width = f64::from(grid.chars) * grid.body;
    (0..grid.columns)
        .map(|i| {
            let left = composition.margin[0] + grid.offset + f64::from(i) * (width + grid.gutter);
            (left, left + width)
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

/// A page rendered at [`PPI`]: which pixels carry ink (darker than near-white).
struct Ink {
    width: u32,
    height: u32,
    inset: u32,
    px_per_mm: f64,
    data: Vec<u8>,
}

impl Ink {
    fn render(page: &typst_layout::Page) -> Self {
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(f64::from(PPI) / 72.0),
            render_bleed: false,
        };
        let pixmap = typst_render::render(page, &options);
        let px_per_mm = f64::from(PPI) / 25.4;
        Ink {
            width: pixmap.width(),
            height: pixmap.height(),
            inset: (INSET_MM * px_per_mm).round() as u32,
            px_per_mm,
            data: pixmap.data().to_vec(),
        }
    }

    /// Whether pixels `x0..x1` of row `y` are all near-white.
    fn empty(&self, y: u32, x0: u32, x1: u32) -> bool {
        (x0..x1).all(|x| {
            let at = ((y * self.width + x) * 4) as usize;
            self.data[at..at + 3].iter().all(|c| *c >= 250)
        })
    }

    /// The rows measured: inside the trim less the inset (none on a page too small).
    fn rows(&self) -> std::ops::Range<u32> {
        if self.width <= 2 * self.inset || self.height <= 2 * self.inset {
            return 0..0;
        }
        self.inset..self.height - self.inset
    }

    /// The tallest empty band (mm) and the share of empty rows of the page, inside the
    /// trim less the inset.
    fn bands(&self) -> (f64, f64) {
        let rows = self.rows();
        if rows.is_empty() {
            return (0.0, 0.0);
        }
        let (mut run, mut tallest, mut count) = (0u32, 0u32, 0u32);
        for y in rows.clone() {
            if self.empty(y, self.inset, self.width - self.inset) {
                run += 1;
                count += 1;
                tallest = tallest.max(run);
            } else {
                run = 0;
            }
        }
        (f64::from(tallest) / self.px_per_mm, f64::from(count) / f64::from(rows.len() as u32))
    }

    /// The tallest hole (mm) in one of `columns` (edges in points): a run of rows empty
    /// in the column, counting only the rows where another column has ink (rows empty
    /// across the page are bands, measured by [`Ink::bands`]).
    fn holes(&self, columns: &[(f64, f64)]) -> f64 {
        let px = |pt: f64| ((pt / 72.0 * f64::from(PPI)).round().max(0.0) as u32).min(self.width);
        let strips: Vec<(u32, u32)> = columns.iter().map(|&(l, r)| (px(l), px(r))).collect();
        if strips.len() < 2 {
            return 0.0;
        }
        let mut tallest = 0u32;
        let mut runs = vec![0u32; strips.len()];
        for y in self.rows() {
            let empty: Vec<bool> = strips.iter().map(|&(a, b)| self.empty(y, a, b)).collect();
            let inked = empty.iter().any(|e| !e);
            for (run, e) in runs.iter_mut().zip(&empty) {
                if !e {
                    *run = 0;
                } else if inked {
                    *run += 1;
                    tallest = tallest.max(*run);
                }
            }
        }
        f64::from(tallest) / self.px_per_mm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page 100 px wide and 60 tall at one pixel a millimetre, no inset: its left half
    /// inked down to row 40, its right half down to row 10.
    fn two_columns() -> Ink {
        let (width, height) = (100u32, 60u32);
        let mut data = vec![255u8; (width * height * 4) as usize];
        for y in 0..height {
            for x in 0..width {
                let ink = if x < 50 { y < 40 } else { y < 10 };
                if ink && (x % 7 == 0) {
                    let at = ((y * width + x) * 4) as usize;
                    data[at..at + 3].fill(0);
                }
            }
        }
        Ink { width, height, inset: 0, px_per_mm: 1.0, data }
    }

    #[test]
    fn a_hole_is_empty_in_a_column_beside_ink_and_a_band_is_empty_across() {
        let ink = two_columns();
        let (band, share) = ink.bands();
        assert_eq!((band, share), (20.0, 20.0 / 60.0));
        // 72 pt an inch at 50 px an inch: column edges of 0–72 and 72–144 pt.
        let pt = 72.0 / f64::from(PPI);
        let columns = [(0.0, 50.0 * pt), (50.0 * pt, 100.0 * pt)];
        // The right half is empty from row 10, but only rows 10–40 have ink beside them.
        assert_eq!(ink.holes(&columns), 30.0);
        // One column has nothing beside it: no hole, only bands.
        assert_eq!(ink.holes(&columns[..1]), 0.0);
    }

    #[test]
    fn percentiles_of_line_lengths() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.95), 95.0);
        assert_eq!(percentile(&[3.0], 0.95), 3.0);
        assert_eq!(percentile(&[], 0.95), 0.0);
    }
}

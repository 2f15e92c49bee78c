//! Galleries on the grid: how many photos stand in a row at a width, and whether every
//! photo then prints at 300 ppi or more — so that the search gives a gallery only widths
//! its pixels allow, as it does a photo. The layout (`kinds/gallery.typ`) follows the same
//! rule with the same numbers from `composition.toml`. Where the photos do not fill their
//! rows, the first one leads: it spans the cells the last row would leave empty (three
//! photos two to a row: one across, two under it), so no row ends in an empty cell.

use super::pieces::Photos;
use super::rules::KindRules;
use crate::model::Gallery;
use crate::preflight::MIN_IMAGE_PPI;

/// Photos per row for `n` photos in `width` points at body size `body`: as many as leave
/// each `cell-chars` characters wide, `gap-chars` apart, in balanced rows (5: 3 and 2).
pub fn per_row(n: u32, width: f64, body: f64, rules: &KindRules) -> u32 {
    let (cell, gap) = cell_and_gap(body, rules);
    let most = (((width + gap) / (cell + gap)) + 0.001).floor().clamp(1.0, f64::from(n.max(1)));
    n.div_ceil(n.div_ceil(most as u32))
}

fn cell_and_gap(body: f64, rules: &KindRules) -> (f64, f64) {
    (rules.cell_chars.unwrap_or(12.0) * body, rules.gap_chars.unwrap_or(1.0) * body)
}

/// The widest frame of proportions `ratio` (width / height) a picture of `pixels` covers at
/// 300 ppi, in points.
pub fn widest_frame(pixels: (u32, u32), ratio: f64) -> f64 {
    let (w, h) = (f64::from(pixels.0), f64::from(pixels.1.max(1)));
    let widest = w / MIN_IMAGE_PPI * 72.0;
    // A frame narrower than the picture's proportions is covered by its height.
    if ratio < w / h { widest * ratio / (w / h) } else { widest }
}

/// How many cells the first photo spans: one, or one more than the last row would leave
/// empty, when `n` photos stand `k` to a row.
pub fn lead_span(n: u32, k: u32) -> u32 {
    if n > k && !n.is_multiple_of(k) { k - n % k + 1 } else { 1 }
}

/// Whether every photo of `gallery` prints at 300 ppi or more when the gallery is `width`
/// points wide (photos whose pixels are not known are not judged here).
pub fn prints_sharp(
    gallery: &Gallery,
    width: f64,
    body: f64,
    rules: &KindRules,
    photos: &Photos,
) -> bool {
    let n = gallery.photos.len() as u32;
    let k = per_row(n, width, body, rules);
    let (_, gap) = cell_and_gap(body, rules);
    let cell = (width - f64::from(k - 1) * gap) / f64::from(k);
    let lead = lead_span(n, k);
    gallery.photos.iter().enumerate().all(|(i, p)| {
        let Some(&pixels) = photos.get(&p.picture.src) else { return true };
        let ratio = gallery.crop.unwrap_or(f64::from(pixels.0) / f64::from(pixels.1.max(1)));
        let span = if i == 0 { lead } else { 1 };
        let frame = cell * f64::from(span) + gap * f64::from(span - 1);
        frame <= widest_frame(pixels, ratio) + 0.5
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GalleryPhoto, Picture};

    fn rules() -> KindRules {
        KindRules { cell_chars: Some(12.0), gap_chars: Some(1.0), ..Default::default() }
    }

    #[test]
    fn the_first_photo_leads_where_the_last_row_would_end_in_an_empty_cell() {
        assert_eq!(lead_span(3, 2), 2, "one across, two under it");
        assert_eq!(lead_span(5, 3), 2, "two cells and one, then three");
        assert_eq!(lead_span(4, 2), 1);
        assert_eq!(lead_span(2, 2), 1);
        assert_eq!(lead_span(2, 3), 1, "one row");
        assert_eq!(lead_span(1, 1), 1);
    }

    #[test]
    fn rows_are_balanced_and_cells_never_narrower_than_the_rule() {
        let r = rules();
        // 10 pt body: a cell is 120 pt, a gap 10 pt.
        assert_eq!(per_row(4, 125.0, 10.0, &r), 1);
        assert_eq!(per_row(4, 250.0, 10.0, &r), 2);
        // Room for three, but 4 photos in rows of 3 and 1 read worse than 2 and 2.
        assert_eq!(per_row(4, 400.0, 10.0, &r), 2);
        assert_eq!(per_row(5, 400.0, 10.0, &r), 3);
        assert_eq!(per_row(6, 800.0, 10.0, &r), 6);
        assert_eq!(per_row(3, 60.0, 10.0, &r), 1);
    }

    #[test]
    fn a_gallery_is_refused_widths_its_pixels_do_not_allow() {
        let picture = |src: &str| Picture {
            src: src.into(),
            file: Default::default(),
            alt: String::new(),
            focus: [0.5, 0.5],
            pixels: [0, 0],
        };
        let gallery = Gallery {
            title: None,
            crop: Some(4.0 / 3.0),
            photos: vec![
                GalleryPhoto { picture: picture("/images/0.jpg"), caption: None },
                GalleryPhoto { picture: picture("/images/1.jpg"), caption: None },
            ],
        };
        // 1200 × 900 pixels: 288 pt wide at 300 ppi (4:3, its own proportions).
        let photos: Photos =
            [("/images/0.jpg".to_owned(), (1200, 900)), ("/images/1.jpg".to_owned(), (1200, 900))]
                .into();
        assert!((widest_frame((1200, 900), 4.0 / 3.0) - 288.0).abs() < 1e-9);
        // A 1:1 frame is covered by the picture's height: 900 px → 216 pt.
        assert!((widest_frame((1200, 900), 1.0) - 216.0).abs() < 1e-9);
        let r = rules();
        // Two in a row of 500 pt: 245 pt each, sharp; of 700 pt: 345 pt each, not.
        assert!(prints_sharp(&gallery, 500.0, 10.0, &r, &photos));
        assert!(!prints_sharp(&gallery, 700.0, 10.0, &r, &photos));
    }
}

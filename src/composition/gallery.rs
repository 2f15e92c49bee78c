//! Galleries on the grid: how many photos may stand in a row at a width, and whether every
//! photo then prints at 300 ppi or more — so that the search gives a gallery only widths
//! and rows its pixels allow, as it does a photo. At a width, a gallery may set its photos
//! as many to a row as leave each `cell-chars` wide (the compact gallery) or fewer, in
//! larger frames: the search measures each count and chooses one for the page (a sparse
//! page gets larger photos, a full one the compact gallery), and the composition tells
//! the layout (`kinds/gallery.typ`) which. Where the photos do not fill their rows, the
//! few left over stand first, larger, sharing the first row (three photos two to a row:
//! one across, two under it; five three to a row: two, then three), so no row ends in an
//! empty cell and every row is of one height.

use super::grid::Grid;
use super::measure::Extent;
use super::pieces::Photos;
use super::rules::KindRules;
use super::search::{Variant, VariantLine};
use crate::model::Gallery;
use crate::preflight::MIN_IMAGE_PPI;

/// The most photos a row holds for `n` photos in `width` points at body size `body`: as
/// many as leave each `cell-chars` characters wide, `gap-chars` apart, in balanced rows (5:
/// 3 and 2).
pub fn per_row(n: u32, width: f64, body: f64, rules: &KindRules) -> u32 {
    let (cell, gap) = cell_and_gap(body, rules);
    let most = (((width + gap) / (cell + gap)) + 0.001).floor().clamp(1.0, f64::from(n.max(1)));
    balanced(n, most as u32)
}

/// Photos a row when `n` photos stand at most `most` to a row in as few rows as that
/// allows, the rows as even as they can be (5 at most 4 a row: 3 and 2).
fn balanced(n: u32, most: u32) -> u32 {
    n.div_ceil(n.div_ceil(most.max(1)))
}

/// Every count of photos a row a gallery of `n` photos may take in `width` points, from
/// the most (the compact gallery) down to one: each a different number of balanced rows
/// (6 photos: 6, 3, 2 and 1 a row — in one, two, three and six rows).
pub fn counts(n: u32, width: f64, body: f64, rules: &KindRules) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for most in (1..=per_row(n, width, body, rules)).rev() {
        let k = balanced(n, most);
        if out.last() != Some(&k) {
            out.push(k);
        }
    }
    out
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

/// How many photos stand in the first row when `n` photos stand `k` to a row: where they
/// do not fill their rows, the few left over (5 three to a row: two, then three), each
/// as wide as the row shares among them, so that no row ends in an empty cell and no
/// photo stands beside one taller than itself; else a full row.
pub fn first_row(n: u32, k: u32) -> u32 {
    if n > k && !n.is_multiple_of(k) { n % k } else { k.min(n) }
}

/// The frame width of each photo, points, when `n` photos stand `k` to a row of `width`:
/// those of the first row share it (see [`first_row`]), the others take a cell each.
fn frame_widths(n: u32, width: f64, k: u32, body: f64, rules: &KindRules) -> Vec<f64> {
    let k = k.clamp(1, n.max(1));
    let (_, gap) = cell_and_gap(body, rules);
    let share = |count: u32| (width - f64::from(count - 1) * gap) / f64::from(count);
    let first = first_row(n, k);
    (0..n).map(|i| share(if i < first { first } else { k })).collect()
}

/// Whether every photo of `gallery` prints at 300 ppi or more when the gallery is `width`
/// points wide, `k` photos to a row, its frames of proportions `ratio` (`None`: the
/// gallery's own — one for all, or each photo's). Photos whose pixels are not known are
/// not judged here.
pub fn prints_sharp(
    gallery: &Gallery,
    width: f64,
    k: u32,
    ratio: Option<f64>,
    body: f64,
    rules: &KindRules,
    photos: &Photos,
) -> bool {
    let widths = frame_widths(gallery.photos.len() as u32, width, k, body, rules);
    gallery.photos.iter().zip(widths).all(|(p, frame)| {
        let Some(&pixels) = photos.get(&p.picture.src) else { return true };
        let own = f64::from(pixels.0) / f64::from(pixels.1.max(1));
        frame <= widest_frame(pixels, ratio.or(gallery.crop).unwrap_or(own)) + 0.5
    })
}

/// The proportions a gallery's frames may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Frames {
    /// The gallery's own: its one proportion (pinned, or the default where the photos
    /// leave no choice), or each photo's (`crop: none`).
    Fixed,
    /// One proportion (width / height) for every frame, chosen from `least` (the tallest
    /// frames) to `most` (the shortest).
    Range {
        /// The tallest frames' proportions.
        least: f64,
        /// The shortest frames' proportions.
        most: f64,
    },
}

/// The proportions the frames of `gallery` may take when it stands `k` photos to a row of
/// `width` points, or `None` when at none of them every photo prints at 300 ppi. Unless
/// the author pinned the crop, the frames may be taller or shorter than the default
/// proportions, as far as crops at most `max-crop` of any photo's width or height and its
/// pixels allow: the search then gives the gallery any height between. Both ends are
/// rounded inwards to thousandths, as they are measured.
pub fn frames(
    gallery: &Gallery,
    width: f64,
    k: u32,
    body: f64,
    rules: &KindRules,
    photos: &Photos,
) -> Option<Frames> {
    let sharp = |ratio| prints_sharp(gallery, width, k, Some(ratio), body, rules, photos);
    let fixed = prints_sharp(gallery, width, k, None, body, rules, photos).then_some(Frames::Fixed);
    if gallery.crop.is_none() || gallery.crop_pinned {
        return fixed;
    }
    let keep = 1.0 - rules.max_crop.unwrap_or(0.0).clamp(0.0, 0.9);
    let widths = frame_widths(gallery.photos.len() as u32, width, k, body, rules);
    let (mut least, mut most) = (0.0_f64, f64::INFINITY);
    for (p, frame) in gallery.photos.iter().zip(widths) {
        let Some(&(w, h)) = photos.get(&p.picture.src) else { continue };
        let own = f64::from(w) / f64::from(h.max(1));
        // No more than `max-crop` cut from either side of any photo …
        least = least.max(own * keep);
        most = most.min(own / keep);
        // … and a frame no taller than the photo's pixels cover at 300 ppi.
        least = least.max(frame / (f64::from(h) / MIN_IMAGE_PPI * 72.0));
    }
    if !most.is_finite() {
        return fixed;
    }
    let (least, most) = ((least * 1000.0).ceil() / 1000.0, (most * 1000.0).floor() / 1000.0);
    if least < most && sharp(least) && sharp(most) {
        Some(Frames::Range { least, most })
    } else {
        fixed
    }
}

/// The counts of photos to a row `gallery` may take across `span` columns of `grid`, with
/// what to measure of each (`ask(per_row, frame)` asks for a measurement and gives its
/// key). As for a photo, a count at which the pixels do not print at 300 ppi is refused —
/// but a gallery too small for any keeps one column of the grid with the narrowest
/// (`narrowest` points), so that the print build names the photo.
pub fn plan(
    gallery: &Gallery,
    rules: &KindRules,
    grid: &Grid,
    span: u32,
    narrowest: f64,
    photos: &Photos,
    mut ask: impl FnMut(u32, Option<f64>) -> usize,
) -> Vec<Count> {
    let n = gallery.photos.len() as u32;
    let width = grid.span_width(span);
    let frames_at = |w, k| frames(gallery, w, k, grid.body, rules, photos);
    // The author's count, or the most a row holds at `w`.
    let first = |w| gallery.per_row.unwrap_or_else(|| per_row(n, w, grid.body, rules));
    let hopeless = span == 1 && frames_at(narrowest, first(narrowest)).is_none();
    let kept = hopeless && grid.column() <= narrowest + 0.5;
    let counts = match gallery.per_row {
        Some(k) => vec![k],
        None => counts(n, width, grid.body, rules),
    };
    counts
        .into_iter()
        .enumerate()
        .filter_map(|(i, per_row)| {
            let frames = frames_at(width, per_row).or((kept && i == 0).then_some(Frames::Fixed))?;
            let (short, tall) = match frames {
                Frames::Range { least, most } => {
                    (ask(per_row, Some(most)), ask(per_row, Some(least)))
                }
                Frames::Fixed => {
                    let key = ask(per_row, None);
                    (key, key)
                }
            };
            Some(Count { per_row, frames, short, tall })
        })
        .collect()
}

/// A count of photos to a row a gallery may take at one width, and the keys of what was
/// measured of it: its height with the shortest frames and with the tallest (the same key
/// when its frames are fixed).
#[derive(Debug, Clone)]
pub struct Count {
    /// Photos to a row.
    pub per_row: u32,
    /// The proportions its frames may take.
    pub frames: Frames,
    /// Key of its height with the shortest frames.
    pub short: usize,
    /// Key of its height with the tallest frames.
    pub tall: usize,
}

/// The heights a gallery may take at one count, from the measured extents of its shortest
/// (`short`) and its tallest frames (`tall`), and its lines at its default proportions
/// (`crop`). A gallery's height is a sum of rows, each its frames' height — the frame
/// width over the proportions — and its captions': linear in the inverse proportions,
/// or, where the captions of a row differ, the largest of a few such lines. Between the
/// two measurements it is therefore never taller than the straight line between them, so
/// the frames chosen from that line for a height (to a ten-thousandth, rounded shorter)
/// never make the gallery taller than the lines it is given.
pub fn variant(
    count: &Count,
    grid: &Grid,
    short: Extent,
    tall: Extent,
    crop: Option<f64>,
) -> (Variant, u32) {
    let blank = |at: Extent, height: f64, lines: u32| {
        [at.blank[0], at.blank[1] + (grid.height_of(lines) - height).max(0.0)]
    };
    let (low, high) = (grid.lines_for(short.height), grid.lines_for(tall.height));
    let range = match count.frames {
        Frames::Range { least, most } if least < most && high > low => Some((least, most)),
        _ => None,
    };
    let Some((least, most)) = range else {
        // Drawn as measured: at its shortest frames, if they may be chosen.
        let frame = match count.frames {
            Frames::Range { most, .. } => Some(most),
            Frames::Fixed => None,
        };
        let line = VariantLine { frame, blank: blank(short, short.height, low) };
        return (Variant { per_row: count.per_row, least: low, lines: vec![line] }, low);
    };
    // Heights along the inverse proportions, from the shortest frames to the tallest.
    let (x0, x1) = (1.0 / most, 1.0 / least);
    let (h0, h1) = (short.height, tall.height);
    let height_at = |x: f64| h0 + (x - x0) / (x1 - x0) * (h1 - h0);
    let lines = (low..=high)
        .map(|l| {
            let room = grid.height_of(l) - 0.05;
            let x = (x0 + (room - h0) / (h1 - h0) * (x1 - x0)).clamp(x0, x1);
            let ratio = ((1.0 / x * 10_000.0).ceil() / 10_000.0).clamp(least, most);
            VariantLine { frame: Some(ratio), blank: blank(short, height_at(1.0 / ratio), l) }
        })
        .collect();
    let natural = crop.map_or(low, |c| grid.lines_for(height_at((1.0 / c).clamp(x0, x1))));
    (Variant { per_row: count.per_row, least: low, lines }, natural.clamp(low, high))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GalleryPhoto, Picture};

    fn rules() -> KindRules {
        KindRules { cell_chars: Some(12.0), gap_chars: Some(1.0), ..Default::default() }
    }

    #[test]
    fn the_photos_left_over_stand_first_sharing_a_row() {
        assert_eq!(first_row(3, 2), 1, "one across, two under it");
        assert_eq!(first_row(5, 3), 2, "two, then three");
        assert_eq!(first_row(5, 2), 1, "one across, then two and two");
        assert_eq!(first_row(4, 2), 2);
        assert_eq!(first_row(2, 3), 2, "one row");
        assert_eq!(first_row(1, 1), 1);
        // Two in the first row of a 310 pt gallery (gap 10): 150 pt each; then 96.67.
        let widths = frame_widths(5, 310.0, 3, 10.0, &rules());
        assert_eq!(&widths[..2], [150.0, 150.0]);
        assert!(widths[2..].iter().all(|w| (w - 290.0 / 3.0).abs() < 1e-9), "{widths:?}");
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
    fn frames_chosen_for_a_height_never_make_the_gallery_taller_than_its_lines() {
        use crate::composition::grid::{Area, PT_PER_MM};
        let a4 = Area { width: 186.0 * PT_PER_MM, height: 276.0 * PT_PER_MM };
        let grid = Grid::new(a4, 2, 10.0, 16.0, (1.5, 3.0), 10).unwrap();
        let count = Count {
            per_row: 2,
            frames: Frames::Range { least: 1.0, most: 1.6 },
            short: 0,
            tall: 1,
        };
        let extent = |height| Extent { height, blank: [0.0; 2] };
        // 150 pt with 16:10 frames, 240 pt with square ones (4:3 halfway by the inverse).
        let (v, natural) = variant(&count, &grid, extent(150.0), extent(240.0), Some(4.0 / 3.0));
        assert_eq!((v.least, v.most()), (grid.lines_for(150.0), grid.lines_for(240.0)));
        let height_at = |r: f64| 150.0 + (1.0 / r - 1.0 / 1.6) / (1.0 - 1.0 / 1.6) * 90.0;
        for l in v.least..=v.most() {
            let ratio = v.at(l).unwrap().frame.unwrap();
            assert!((1.0..=1.6).contains(&ratio));
            assert!(height_at(ratio) <= grid.height_of(l) + 1e-9, "{l} lines at {ratio}");
        }
        assert_eq!(v.at(v.most()).unwrap().frame, Some(1.0));
        // Its own lines are where 4:3 frames are: 150 + (0.75 − 0.625) / 0.375 × 90 = 180 pt.
        assert_eq!(natural, grid.lines_for(180.0));
        // Pinned frames: one height, drawn as the layout would.
        let fixed = Count { frames: Frames::Fixed, tall: 0, ..count };
        let (v, natural) = variant(&fixed, &grid, extent(150.0), extent(150.0), Some(4.0 / 3.0));
        assert_eq!((v.least, v.most(), natural), (natural, natural, grid.lines_for(150.0)));
        assert_eq!(v.at(natural).unwrap().frame, None);
    }

    #[test]
    fn a_gallery_may_take_fewer_photos_a_row_each_count_a_different_number_of_rows() {
        let r = rules();
        // Room for six: six, three, two or one a row (one, two, three or six rows).
        assert_eq!(counts(6, 800.0, 10.0, &r), [6, 3, 2, 1]);
        // Room for four of five: 3 + 2, then 2 + 2 + 1 rows, then one a row.
        assert_eq!(counts(5, 530.0, 10.0, &r), [3, 2, 1]);
        assert_eq!(counts(4, 400.0, 10.0, &r), [2, 1]);
        assert_eq!(counts(4, 100.0, 10.0, &r), [1]);
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
            crop_pinned: true,
            per_row: None,
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
        assert!(prints_sharp(&gallery, 500.0, 2, None, 10.0, &r, &photos));
        assert!(!prints_sharp(&gallery, 700.0, 2, None, 10.0, &r, &photos));
        // One a row in 280 pt: sharp; in 500 pt, each photo 500 pt wide: not.
        assert!(prints_sharp(&gallery, 280.0, 1, None, 10.0, &r, &photos));
        assert!(!prints_sharp(&gallery, 500.0, 1, None, 10.0, &r, &photos));
        // Pinned 4:3, the frames keep it; a photo of their own each, their own.
        let at = |g: &Gallery, width| frames(g, width, 2, 10.0, &r, &photos);
        assert_eq!(at(&gallery, 500.0), Some(Frames::Fixed));
        assert_eq!(at(&gallery, 700.0), None);
        let own = Gallery { crop: None, crop_pinned: false, ..gallery.clone() };
        assert_eq!(at(&own, 500.0), Some(Frames::Fixed));
        // Not pinned, 245 pt frames may be as short as a quarter of the height cut away
        // (16:9) and as tall as the 900 pixels cover at 300 ppi (216 pt: 245 / 216).
        let chosen = Gallery { crop_pinned: false, ..gallery.clone() };
        let r = KindRules { max_crop: Some(0.25), ..r };
        assert_eq!(
            frames(&chosen, 500.0, 2, 10.0, &r, &photos),
            Some(Frames::Range { least: 1.135, most: 1.777 })
        );
    }
}

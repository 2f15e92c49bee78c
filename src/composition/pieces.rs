//! From blocks to what the search arranges: which widths each block may take on a grid
//! (its kind's rules, the author's pins, a photo's pixels), what to measure for each, and
//! then, from the measured heights, its lines and costs at each span.

use std::collections::HashMap;

use super::Context;
use super::gallery;
use super::grid::Grid;
use super::measure::{Heights, Part, Requests};
use super::rules::{KindRules, SpansRule};
use super::search::{Height, Piece, Variant};
use crate::model::{BlockKind, Crop, SpanPin};
use crate::preflight::MIN_IMAGE_PPI;

/// Pixel sizes of the volume's images, by their path as validated (`/images/N.ext`).
pub type Photos = HashMap<String, (u32, u32)>;

/// How a block is measured at one span.
#[derive(Debug, Clone)]
pub enum Measured {
    /// Its whole height.
    Whole(usize),
    /// A heading across the span, then running text in `span` columns.
    Flow {
        /// Key of the heading's height.
        head: usize,
        /// Key of the text's height in one column.
        body: usize,
    },
    /// A heading across the span, then parts kept whole in `span` columns.
    Units {
        /// Key of the heading's height.
        head: usize,
        /// Keys of the parts' heights in one column, in order.
        units: Vec<usize>,
    },
    /// A block drawn at any height between its compact one and its own.
    Range {
        /// Key of its compact height.
        least: usize,
        /// Key of its own height.
        most: usize,
    },
    /// A gallery at each count of photos to a row it may take, from the most (the compact
    /// gallery) down, and its default frames' proportions (`None`: each photo's own).
    Gallery {
        /// The counts, with what was measured of each.
        counts: Vec<gallery::Count>,
        /// The frames' proportions unless chosen.
        crop: Option<f64>,
    },
    /// A photo: its frame from its pixels, then its caption.
    Photo {
        /// Key of the caption's height, if it has one.
        caption: Option<usize>,
        /// Width of the frame, points.
        width: f64,
        /// Width / height of the picture.
        aspect: f64,
        /// The frame's proportions when the author pinned them.
        pinned: Option<f64>,
        /// Height the pixels allow at 300 ppi, points.
        limit: f64,
    },
}

/// One block on one grid: what it may be at each span.
#[derive(Debug, Clone)]
pub struct PiecePlan {
    id: String,
    kind: &'static str,
    row: crate::model::RowPin,
    /// Whether the author pinned its span: a pinned span is never refused.
    span_pinned: bool,
    rules: KindRules,
    spans: Vec<Option<Measured>>,
    /// Per span, the width it is set at when narrower than the span (see [`inset_width`]).
    insets: Vec<Option<f64>>,
}

/// The blocks of a page on one grid.
pub type Plan = Vec<PiecePlan>;

/// Plans a page on a grid, asking for the measurements it needs. `narrowest` is the
/// narrowest column of all the grids the page may take.
pub fn plan(
    cx: &Context,
    page: usize,
    grid: &Grid,
    narrowest: f64,
    requests: &mut Requests,
) -> Plan {
    cx.volume.pages[page]
        .blocks
        .iter()
        .map(|block| {
            let kind = block.kind.name();
            let rules = cx.rules.kind(kind);
            let least = least_chars(&block.kind, &rules);
            let pinned = block.place.span.is_some();
            let insets: Vec<Option<f64>> =
                (1..=grid.columns).map(|span| inset_width(&rules, pinned, grid, span)).collect();
            let spans = (1..=grid.columns)
                .map(|span| {
                    let inset = insets[span as usize - 1];
                    if !allowed(&rules, block.place.span, grid, span, narrowest, least)
                        || unit_count(&rules, &block.kind).is_some_and(|n| span as usize > n)
                    {
                        return None;
                    }
                    let width = inset.unwrap_or_else(|| grid.span_width(span));
                    Some(match &block.kind {
                        BlockKind::Photo(photo) => {
                            let (w, h) = *cx.photos.get(&photo.src)?;
                            // A frame wider than the pixels allow at 300 ppi is refused —
                            // but a photo too small for any frame keeps one column, so that
                            // the print build names it (see `images::resolution`).
                            let widest = f64::from(w) / MIN_IMAGE_PPI * 72.0;
                            let hopeless = widest < narrowest - 0.5 && span == 1;
                            if width > widest + 0.5
                                && !(hopeless && grid.column() <= narrowest + 0.5)
                            {
                                return None;
                            }
                            Measured::Photo {
                                caption: (photo.caption.is_some() || photo.credit.is_some()).then(
                                    || requests.ask(&block.id, width, Part::Caption, grid.pitch),
                                ),
                                width,
                                aspect: f64::from(w) / f64::from(h),
                                pinned: match photo.crop {
                                    Some(Crop::Ratio(r)) => Some(r),
                                    Some(Crop::Keep) => Some(f64::from(w) / f64::from(h)),
                                    None => None,
                                },
                                limit: f64::from(h) / MIN_IMAGE_PPI * 72.0,
                            }
                        }
                        BlockKind::Gallery(g) => {
                            let ask = |per_row, frame: Option<f64>| {
                                let frame = frame.map(|f| (f * 1000.0).round() as u32);
                                let part = Part::Gallery { per_row, frame };
                                requests.ask(&block.id, width, part, grid.pitch)
                            };
                            let counts =
                                gallery::plan(g, &rules, grid, span, narrowest, cx.photos, ask);
                            if counts.is_empty() {
                                return None;
                            }
                            Measured::Gallery { counts, crop: g.crop }
                        }
                        _ if span > 1 && unit_count(&rules, &block.kind).is_some() => {
                            let n = unit_count(&rules, &block.kind).unwrap_or(0);
                            Measured::Units {
                                head: requests.ask(&block.id, width, Part::Head, grid.pitch),
                                units: (0..n as u32)
                                    .map(|k| {
                                        requests.ask(
                                            &block.id,
                                            grid.column(),
                                            Part::Unit(k),
                                            grid.pitch,
                                        )
                                    })
                                    .collect(),
                            }
                        }
                        _ if rules.compact => Measured::Range {
                            least: requests.ask(&block.id, width, Part::Compact, grid.pitch),
                            most: requests.ask(&block.id, width, Part::All, grid.pitch),
                        },
                        _ if rules.flow => Measured::Flow {
                            head: requests.ask(&block.id, width, Part::Head, grid.pitch),
                            body: requests.ask(&block.id, grid.column(), Part::Body, grid.pitch),
                        },
                        _ => Measured::Whole(requests.ask(&block.id, width, Part::All, grid.pitch)),
                    })
                })
                .collect();
            PiecePlan {
                id: block.id.clone(),
                kind,
                row: block.place.row,
                span_pinned: pinned,
                rules,
                spans,
                insets,
            }
        })
        .collect()
}

/// How many parts of a block flow from column to column, when its kind's rules let them
/// (`units`) and it has parts; `None` when it is set whole.
fn unit_count(rules: &KindRules, kind: &BlockKind) -> Option<usize> {
    kind.units().filter(|_| rules.units)
}

/// Whether a kind, with the author's pin, may span `span` columns of `grid`. A block whose
/// text is wider than its kind allows even in the narrowest column of any grid the page
/// may use still takes one such column, rather than making the page impossible; one whose
/// content needs `least` characters across (see [`least_chars`]) is refused narrower spans,
/// but never the whole width. A box that may stand narrower than its span (`inset`) is
/// never too wide: it is set at its widest measure (see [`inset_width`]).
fn allowed(
    rules: &KindRules,
    pin: Option<SpanPin>,
    grid: &Grid,
    span: u32,
    narrowest: f64,
    least: f64,
) -> bool {
    match pin {
        Some(SpanPin::Full) => return span == grid.columns,
        Some(SpanPin::Columns(c)) => return span == c.min(grid.columns),
        None => {}
    }
    if rules.spans == Some(SpansRule::Full) {
        return span == grid.columns;
    }
    let chars = grid.span_chars(span);
    // Running text that flows, and parts that flow, are read one column at a time.
    let measure =
        if rules.flow || (rules.units && span > 1) { f64::from(grid.chars) } else { chars };
    rules.min_chars.is_none_or(|m| chars >= m - 1e-9)
        && (span == grid.columns || chars >= least - 1e-9)
        && rules.max_chars.is_none_or(|m| {
            let narrowest_chars = narrowest / grid.body;
            measure <= m + 1e-9
                || boxed(rules)
                || (span == 1 && narrowest_chars > m && grid.column() <= narrowest + 0.5)
        })
}

/// The width a box of a kind with `inset` is set at in a span wider than its
/// `max-chars`: that measure, in whole characters, centred in the span — white on both
/// sides of a box reads as meant, where a narrower span could leave a column empty beside
/// it. `None` where the block takes the span's width: within its measure, for kinds that
/// flow or are not boxes, and always when the author pinned the span (a pin is the width
/// the author wants drawn).
///
/// A span wider by less than [`INSET_SLACK`] is taken whole: the box's text is set inside
/// its padding anyway, and a box a fraction of a character in from the column's edges
/// would read as misaligned with the blocks above and below it.
fn inset_width(rules: &KindRules, pinned: bool, grid: &Grid, span: u32) -> Option<f64> {
    let most = rules.max_chars.filter(|_| boxed(rules) && !pinned)?;
    (grid.span_chars(span) > most + INSET_SLACK).then(|| most.floor() * grid.body)
}

/// How many characters a box of a kind with `inset` may be wider than its `max-chars`
/// before it is set narrower than its span (see [`inset_width`]).
const INSET_SLACK: f64 = 1.0;

/// Whether a kind's blocks are boxes that may stand narrower than their span (`inset`).
fn boxed(rules: &KindRules) -> bool {
    rules.inset && !rules.flow && !rules.units
}

/// The fewest characters a block's content needs across, beyond its kind's `min-chars`: a
/// table's columns each as wide as their longest cell, up to `column-chars` (a longer
/// cell may wrap), with the layout's 1.6 em between columns — so that a table of four
/// columns is not set in one narrow column, its cells broken inside their words.
fn least_chars(kind: &BlockKind, rules: &KindRules) -> f64 {
    let (BlockKind::Table(t), Some(most)) = (kind, rules.column_chars) else { return 0.0 };
    // A Japanese character takes a character's width, a Latin letter or digit about half.
    let width = |r: &crate::rich::RichText| {
        r.plain().chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f64>()
    };
    (0..t.header.len())
        .map(|i| {
            let cells = t.rows.iter().chain(t.total.iter()).filter_map(|row| row.get(i));
            let longest = cells.chain(t.header.get(i)).map(width).fold(0.0, f64::max);
            longest.min(most) + 1.6
        })
        .sum()
}

/// The search's pieces for a planned page, from measured heights.
pub fn pieces(cx: &Context, plan: &Plan, grid: &Grid, heights: &Heights) -> Vec<Piece> {
    let weights = &cx.rules.objective;
    let extent = |key: usize| heights.get(&key).copied().unwrap_or_default();
    let lines = |key: usize| grid.lines_for(extent(key).height);
    // Blank above a block's first mark and below its last, the rest of its last line
    // included: a reader sees it together with the gap beside the block.
    let blank = |top: Option<usize>, bottom: Option<usize>, l: u32, h: f64| {
        let top = top.map_or(0.0, |k| extent(k).blank[0]);
        let bottom = bottom.map_or(0.0, |k| extent(k).blank[1]);
        [top, bottom + (grid.height_of(l) - h).max(0.0)]
    };
    plan.iter()
        .map(|p| {
            // Per span: the height, where the columns of a block whose parts flow begin,
            // and the heights a gallery may take (both empty for other blocks).
            let mut variants = Vec::new();
            let (spans, breaks): (Vec<Option<Height>>, Vec<Vec<u32>>) = p
                .spans
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let span = i as u32 + 1;
                    variants.push(Vec::new());
                    let Some(m) = m.as_ref() else { return (None, Vec::new()) };
                    let mut breaks = Vec::new();
                    let inset = p.insets[i];
                    let chars = inset.unwrap_or_else(|| grid.span_width(span)) / grid.body;
                    let measured = match m {
                        Measured::Whole(key) => {
                            let l = lines(*key);
                            let blank = blank(Some(*key), Some(*key), l, extent(*key).height);
                            // A box set narrower than its span keeps its own height: it
                            // has white at its sides already, and inner space grown as
                            // well would take the room that larger type fills better.
                            let height = match p.rules.stretch.filter(|_| inset.is_none()) {
                                // It may take more lines, spreading its inner space.
                                Some(share) => Height {
                                    min: l,
                                    max: l + (f64::from(l) * share.clamp(0.0, 2.0)).floor() as u32,
                                    natural: l,
                                    per_line: weights.spread * f64::from(span),
                                    cost: 0.0,
                                    blank,
                                    inset: None,
                                },
                                None => Height { blank, ..Height::fixed(l, 0.0) },
                            };
                            (height, chars)
                        }
                        Measured::Flow { head, body } => {
                            // Too short to flow into `span` columns, unless the author
                            // asked for this span.
                            let least = p.rules.flow_lines.unwrap_or(0) * span;
                            if span > 1 && lines(*body) < least && !p.span_pinned {
                                return (None, Vec::new());
                            }
                            let h = lines(*head);
                            let total = h + lines(*body).div_ceil(span);
                            // Its text fills the first column to the foot of the block.
                            let blank = [blank(Some(*head), None, h, extent(*head).height)[0], 0.0];
                            (Height { blank, ..Height::fixed(total, 0.0) }, f64::from(grid.chars))
                        }
                        Measured::Range { least, most } => {
                            let (low, high) = (lines(*least), lines(*most));
                            let blank = blank(Some(*most), Some(*most), high, extent(*most).height);
                            (
                                Height {
                                    min: low.min(high),
                                    max: high,
                                    natural: high,
                                    // A line cropped off costs as a line spread between
                                    // rows: less than a hole, more than nothing.
                                    per_line: weights.spread * f64::from(span),
                                    cost: 0.0,
                                    blank,
                                    inset: None,
                                },
                                chars,
                            )
                        }
                        Measured::Units { head, units } => {
                            let parts: Vec<u32> = units.iter().map(|k| lines(*k)).collect();
                            let gap = p.rules.unit_gap.unwrap_or(1);
                            let Some((tallest, at)) = split(&parts, gap, span) else {
                                return (None, Vec::new());
                            };
                            breaks = at;
                            let h = lines(*head);
                            // Its parts fill the first column to the foot of the block.
                            let blank = [blank(Some(*head), None, h, extent(*head).height)[0], 0.0];
                            (
                                Height { blank, ..Height::fixed(h + tallest, 0.0) },
                                f64::from(grid.chars),
                            )
                        }
                        Measured::Gallery { counts, crop } => {
                            // The compact gallery at its default frames is its own height;
                            // each line it grows by — taller frames, or fewer photos to a
                            // row, larger — or shrinks by costs as a line spread between
                            // rows (a full page keeps it compact, a page with room gives
                            // the photos the room).
                            let (steps, natural): (Vec<Variant>, Vec<u32>) = counts
                                .iter()
                                .map(|c| {
                                    let (short, tall) = (extent(c.short), extent(c.tall));
                                    gallery::variant(c, grid, short, tall, *crop)
                                })
                                .unzip();
                            let (first, last) = (&steps[0], &steps[steps.len() - 1]);
                            let height = Height {
                                min: first.least,
                                max: last.most(),
                                natural: natural[0],
                                per_line: weights.spread * f64::from(span),
                                cost: 0.0,
                                blank: first.blank(natural[0]),
                                inset: None,
                            };
                            variants[i] = steps;
                            (height, 0.0)
                        }
                        Measured::Photo { caption, width, aspect, pinned, limit } => {
                            let c = caption.map_or(0, lines);
                            let max_crop = p.rules.max_crop.unwrap_or(0.0).clamp(0.0, 0.9);
                            let under = caption
                                .map_or(0.0, |k| blank(None, Some(k), c, extent(k).height)[1]);
                            (
                                Height {
                                    blank: [0.0, under],
                                    ..photo(
                                        grid,
                                        *width,
                                        *aspect,
                                        *pinned,
                                        *limit,
                                        max_crop,
                                        c,
                                        weights.crop,
                                    )
                                },
                                0.0,
                            )
                        }
                    };
                    let (height, measure) = measured;
                    let mut cost = match p.rules.ideal_chars {
                        Some([low, high]) if measure > 0.0 => {
                            let off = (low - measure).max(measure - high).max(0.0);
                            weights.measure * off * f64::from(height.min)
                        }
                        _ => 0.0,
                    };
                    // The white beside a box narrower than its span, in columns.
                    if let Some(width) = inset {
                        let beside = (grid.span_width(span) - width) / grid.column();
                        cost += weights.inset * beside * f64::from(height.min);
                    }
                    (Some(Height { cost: height.cost + cost, inset, ..height }), breaks)
                })
                .unzip();
            // Running text that flows: its heading and its text in one column, per span.
            let flow = p
                .spans
                .iter()
                .map(|m| match m {
                    Some(Measured::Flow { head, body }) => Some((lines(*head), lines(*body))),
                    _ => None,
                })
                .collect();
            Piece { id: p.id.clone(), spans, row: p.row, kind: p.kind, breaks, variants, flow }
        })
        .collect()
}

/// Parts kept whole (`parts`, in lines, `gap` lines apart within a column) set in
/// `columns` columns, in order: the height of the tallest column and the index of the
/// part each column after the first begins with. The tallest column is as short as it
/// can be, and each column takes as many parts as fit under that height before the next
/// begins, so the first columns are the fuller ones, as a reader fills them. `None` when
/// the parts leave a column empty (fewer parts than columns, or one part that outweighs
/// the rest): a narrower span sets them as well.
pub fn split(parts: &[u32], gap: u32, columns: u32) -> Option<(u32, Vec<u32>)> {
    let columns = columns.max(1) as usize;
    if parts.len() < columns {
        return None;
    }
    // Greedy filling under a height: the columns it needs, and where they begin.
    let fill = |most: u32| {
        let mut breaks = Vec::new();
        let mut used: Option<u32> = None;
        for (k, &l) in parts.iter().enumerate() {
            match used {
                Some(u) if u + gap + l <= most => used = Some(u + gap + l),
                Some(_) => {
                    breaks.push(k as u32);
                    used = Some(l);
                }
                None => used = Some(l),
            }
        }
        breaks
    };
    let least = parts.iter().copied().max().unwrap_or(0);
    let total = parts.iter().sum::<u32>() + gap * (parts.len() as u32 - 1);
    let most = (least..=total).find(|&h| fill(h).len() < columns)?;
    let breaks = fill(most);
    (breaks.len() + 1 == columns).then_some((most, breaks))
}

/// The pieces as `id:min..max` per span (`-` where not allowed), for `KAIHO_TRACE`.
pub fn describe(pieces: &[Piece]) -> String {
    let spans: Vec<String> = pieces
        .iter()
        .map(|p| {
            let h: Vec<String> = p
                .spans
                .iter()
                .map(|h| h.map_or("-".into(), |h| format!("{}..{}", h.min, h.max)))
                .collect();
            format!("{}:{}", p.id.rsplit('.').next().unwrap_or(&p.id), h.join("/"))
        })
        .collect();
    spans.join(" ")
}

/// A photo's lines at a width: its frame at its own proportions, or cropped (at most
/// `max_crop` of either side) as far as the pixels allow at 300 ppi; then its caption.
#[allow(clippy::too_many_arguments)]
fn photo(
    grid: &Grid,
    width: f64,
    aspect: f64,
    pinned: Option<f64>,
    limit: f64,
    max_crop: f64,
    caption: u32,
    crop_weight: f64,
) -> Height {
    let leading = grid.pitch - grid.body;
    let frame_lines = |h: f64| ((h + leading) / grid.pitch).round().max(2.0) as u32;
    let natural_h = width / aspect;
    if let Some(ratio) = pinned {
        return Height::fixed(frame_lines(width / ratio) + caption, 0.0);
    }
    let natural = frame_lines(natural_h);
    let min =
        (((natural_h * (1.0 - max_crop) + leading) / grid.pitch).ceil() as u32).max(2).min(natural);
    let tallest = (natural_h / (1.0 - max_crop)).min(limit.max(natural_h));
    let max = (((tallest + leading) / grid.pitch).floor() as u32).max(natural);
    // A line of frame crops this share of the picture.
    let per_line = crop_weight * 100.0 * grid.pitch / natural_h;
    Height {
        min: min + caption,
        max: max + caption,
        natural: natural + caption,
        per_line,
        cost: 0.0,
        blank: [0.0; 2],
        inset: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composition::grid::{Area, PT_PER_MM};

    fn grid() -> Grid {
        let a4 = Area { width: 186.0 * PT_PER_MM, height: 276.0 * PT_PER_MM };
        Grid::new(a4, 2, 10.0, 17.0, (1.5, 3.0), 10).unwrap()
    }

    #[test]
    fn a_photo_may_grow_or_shrink_within_its_crop_and_pixels() {
        let g = grid();
        let w = g.column();
        // 3:2 at 250 pt wide: 166.7 pt natural, 10 lines.
        let h = photo(&g, w, 1.5, None, 10_000.0, 0.25, 2, 0.05);
        assert!(h.min < h.natural && h.natural < h.max, "{h:?}");
        assert_eq!(h.natural, 10 + 2);
        // Pixels for exactly the natural height: it may not grow taller.
        let h = photo(&g, w, 1.5, None, w / 1.5, 0.25, 0, 0.05);
        assert_eq!(h.max, h.natural);
        // Pinned proportions are fixed.
        let h = photo(&g, w, 1.5, Some(1.0), 10_000.0, 0.25, 0, 0.05);
        assert_eq!((h.min, h.max), (h.natural, h.natural));
    }

    #[test]
    fn parts_kept_whole_fill_the_first_columns_first_under_the_least_height() {
        // Pairs of 7, 5, 5 and 3 lines, a line apart: two columns of 13 and 9.
        assert_eq!(split(&[7, 5, 5, 3], 1, 2), Some((13, vec![2])));
        // Three columns: 7 | 5 | 5 + 3.
        assert_eq!(split(&[7, 5, 5, 3], 1, 3), Some((9, vec![1, 2])));
        // One column holds them all.
        assert_eq!(split(&[7, 5, 5, 3], 1, 1), Some((23, vec![])));
        // A part is never broken: one long pair and a short one stand 12 | 2.
        assert_eq!(split(&[12, 2], 1, 2), Some((12, vec![1])));
        // Fewer parts than columns, or a part that leaves a column empty: refused.
        assert_eq!(split(&[4, 4], 1, 3), None);
        assert_eq!(split(&[20, 1, 1], 1, 3), None);
    }

    #[test]
    fn kinds_and_pins_decide_the_spans() {
        let g = grid();
        let n = g.column();
        let full = KindRules { spans: Some(SpansRule::Full), ..Default::default() };
        assert!(!allowed(&full, None, &g, 1, n, 0.0) && allowed(&full, None, &g, 2, n, 0.0));
        let text = KindRules { max_chars: Some(40.0), ..Default::default() };
        // Two columns of this grid are over 40 characters: too long a line.
        assert!(allowed(&text, None, &g, 1, n, 0.0) && !allowed(&text, None, &g, 2, n, 0.0));
        let flow = KindRules { max_chars: Some(40.0), flow: true, ..Default::default() };
        assert!(allowed(&flow, None, &g, 2, n, 0.0));
        assert!(allowed(&text, Some(SpanPin::Full), &g, 2, n, 0.0));
        assert!(!allowed(&text, Some(SpanPin::Columns(1)), &g, 2, n, 0.0));
        // Narrow text in a one-column grid: refused when another grid has narrower columns.
        let narrow = KindRules { max_chars: Some(20.0), ..Default::default() };
        assert!(!allowed(&narrow, None, &g, 1, n / 2.0, 0.0));
        assert!(allowed(&narrow, None, &g, 1, n, 0.0));
        // Content wider than one column (a table's cells): refused one column unless
        // pinned, never the whole width.
        let table = KindRules::default();
        let wide = g.span_chars(1) + 5.0;
        assert!(!allowed(&table, None, &g, 1, n, wide) && allowed(&table, None, &g, 2, n, wide));
        assert!(allowed(&table, Some(SpanPin::Columns(1)), &g, 1, n, wide));
        assert!(allowed(&table, None, &g, 2, n, 1000.0), "the whole width, whatever it needs");
    }

    #[test]
    fn a_box_wider_than_its_measure_stands_narrower_in_its_span() {
        let g = grid();
        let n = g.column();
        let boxed = KindRules { max_chars: Some(40.0), inset: true, ..Default::default() };
        // Two columns are over 40 characters (52.7): allowed, set at 40 characters.
        assert!(g.span_chars(2) > 41.0);
        assert!(allowed(&boxed, None, &g, 2, n, 0.0));
        assert_eq!(inset_width(&boxed, false, &g, 2), Some(40.0 * g.body));
        // Within its measure, or pinned to the span: the span's own width.
        assert_eq!(inset_width(&boxed, false, &g, 1), None);
        assert_eq!(inset_width(&boxed, true, &g, 2), None);
        // Less than a character too wide: the span whole, on the columns' edges.
        let near = KindRules { max_chars: Some(g.span_chars(2) - 0.5), ..boxed.clone() };
        assert!(allowed(&near, None, &g, 2, n, 0.0));
        assert_eq!(inset_width(&near, false, &g, 2), None);
        // Running text never stands narrower than its columns.
        let flow = KindRules { flow: true, ..boxed };
        assert_eq!(inset_width(&flow, false, &g, 2), None);
    }
}

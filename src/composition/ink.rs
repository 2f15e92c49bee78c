//! Where a measured block has ink: the vertical extents of the marks on a laid-out page
//! (text from its font's ascender to descender, shapes and images by their bounds), so
//! that kaiho knows how much of a block's height is blank above its first mark and below
//! its last — space a reader sees together with the gap beside it.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::Paint;

/// The vertical extents (top, bottom) of every mark on a page, in points from its top,
/// sorted by top.
pub fn extents(frame: &Frame) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    walk(frame, Transform::identity(), &mut out);
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    out
}

/// The blank above the first mark and below the last one between `top` and `bottom`
/// (points from the page's top), given the page's sorted `extents`; the whole height
/// above and nothing below when there is no mark.
pub fn blank(extents: &[(f64, f64)], top: f64, bottom: f64) -> [f64; 2] {
    // A mark is the block's when its middle lies inside it: a rule drawn on the edge
    // between two blocks measured one under the other (half a line width on each side) is
    // the block's it belongs to, not its neighbour's.
    let mut first = f64::INFINITY;
    let mut last = f64::NEG_INFINITY;
    for &(a, b) in extents {
        if a > bottom {
            break;
        }
        let middle = (a + b) / 2.0;
        if middle < top || middle >= bottom {
            continue;
        }
        first = first.min(a.max(top));
        last = last.max(b.min(bottom));
    }
    if first.is_finite() {
        [(first - top).max(0.0), (bottom - last).max(0.0)]
    } else {
        [bottom - top, 0.0]
    }
}

fn walk(frame: &Frame, ts: Transform, out: &mut Vec<(f64, f64)>) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => walk(&group.frame, here.pre_concat(group.transform), out),
            FrameItem::Text(text) => {
                let m = text.font.metrics();
                let up = m.ascender.at(text.size);
                let down = -m.descender.at(text.size);
                let width: Abs = text.glyphs.iter().map(|g| g.x_advance.at(text.size)).sum();
                push(out, here, Point::new(Abs::zero(), -up), Point::new(width, down));
            }
            // Paper-white without a stroke prints nothing (a QR code's quiet zone): what
            // it covers is blank to a reader.
            FrameItem::Shape(shape, _) if shape.stroke.is_none() && paper_white(&shape.fill) => {}
            FrameItem::Shape(shape, _) => {
                let b = shape.bbox(true);
                push(out, here, b.min, b.max);
            }
            FrameItem::Image(_, size, _) => push(out, here, Point::zero(), size.to_point()),
            FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}

/// Whether a fill is the paper's own white (or nothing).
fn paper_white(fill: &Option<Paint>) -> bool {
    match fill {
        None => true,
        Some(Paint::Solid(color)) => {
            let rgb = color.to_rgb();
            rgb.red.min(rgb.green).min(rgb.blue) > 0.995
        }
        Some(_) => false,
    }
}

/// Adds the vertical extent of the box `min`–`max` under `ts`.
fn push(out: &mut Vec<(f64, f64)>, ts: Transform, min: Point, max: Point) {
    let corners = [min, Point::new(max.x, min.y), Point::new(min.x, max.y), max];
    let ys = corners.map(|p| p.transform(ts).y.to_pt());
    let top = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let bottom = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if top.is_finite() && bottom.is_finite() && bottom > top {
        out.push((top, bottom));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blank_is_what_lies_outside_the_marks() {
        let marks = vec![(0.0, 5.0), (12.0, 20.0), (22.0, 30.0), (50.0, 60.0)];
        // A block from 10 to 40: marks from 12 to 30.
        assert_eq!(blank(&marks, 10.0, 40.0), [2.0, 10.0]);
        // A block with no mark is blank from top to bottom.
        assert_eq!(blank(&marks, 32.0, 45.0), [13.0, 0.0]);
    }

    #[test]
    fn a_rule_on_the_edge_between_two_blocks_is_the_lower_ones() {
        // Blocks measured one under the other, 10–40 and 40–70; a rule of half a point
        // drawn at the top of the second one reaches into the first.
        let marks = vec![(12.0, 30.0), (39.75, 40.25), (45.0, 60.0)];
        assert_eq!(blank(&marks, 10.0, 40.0), [2.0, 10.0]);
        assert_eq!(blank(&marks, 40.0, 70.0), [0.0, 10.0]);
    }
}

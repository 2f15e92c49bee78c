//! Where a measured block has ink: the vertical extents of the marks on a laid-out page
//! (text from its font's ascender to descender, shapes and images by their bounds), so
//! that kaiho knows how much of a block's height is blank above its first mark and below
//! its last — space a reader sees together with the gap beside it.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};

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
    let from = extents.partition_point(|e| e.0 < top - 0.01);
    let mut first = f64::INFINITY;
    let mut last = f64::NEG_INFINITY;
    for &(a, b) in &extents[from..] {
        if a > bottom + 0.01 {
            break;
        }
        first = first.min(a);
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
            FrameItem::Shape(shape, _) => {
                let b = shape.bbox(true);
                push(out, here, b.min, b.max);
            }
            FrameItem::Image(_, size, _) => push(out, here, Point::zero(), size.to_point()),
            FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
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
}

//! Strokes: no line thinner than 0.25 pt, which may vanish in print.

use crate::preflight::MIN_STROKE_PT;

use super::{Judge, least};

pub(super) fn judge(judge: &mut Judge<'_>) {
    let marks = judge.marks;
    let widths = marks.strokes.iter().map(|s| s.width);
    let min = widths.clone().fold(None, least);
    let thin = widths.filter(|&w| w < MIN_STROKE_PT - 1e-6).count();
    judge.report().min_stroke_pt = min;
    if thin > 0 {
        let min = min.unwrap_or(0.0);
        judge.error(
            "stroke",
            format!("{thin} line(s) thinner than {MIN_STROKE_PT} pt (thinnest {min:.2} pt)"),
        );
    }
}

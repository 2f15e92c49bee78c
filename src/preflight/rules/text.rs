//! Text: no run smaller than 6 pt, every run at least 3 mm inside the trim, and small black
//! text in K100 only (rich black would not register cleanly on thin strokes).

use crate::preflight::page::marks::Colour;
use crate::preflight::{MIN_TEXT_PT, SAFE_MARGIN_PT, SMALL_TEXT_PT};

use super::{Judge, least};

pub(super) fn judge(judge: &mut Judge<'_>) {
    let marks = judge.marks;
    let trim = judge.boxes.trim.unwrap_or(judge.boxes.media);
    let safe = [
        trim.x0 + SAFE_MARGIN_PT,
        trim.y0 + SAFE_MARGIN_PT,
        trim.x1 - SAFE_MARGIN_PT,
        trim.y1 - SAFE_MARGIN_PT,
    ];
    let (mut small, mut outside, mut rich_black) = (0, 0, 0);
    let mut min = None;
    for run in &marks.text {
        min = least(min, run.size);
        if run.size < MIN_TEXT_PT - 1e-6 {
            small += 1;
        }
        if let Some([x0, y0, x1, y1]) = run.area
            && (x0 < safe[0] - 0.01
                || y0 < safe[1] - 0.01
                || x1 > safe[2] + 0.01
                || y1 > safe[3] + 0.01)
        {
            outside += 1;
        }
        if run.size < SMALL_TEXT_PT
            && let Colour::Cmyk([c, m, y, k]) = run.fill
            && k >= 0.9
            && (c > 0.0 || m > 0.0 || y > 0.0)
        {
            rich_black += 1;
        }
    }
    judge.report().min_text_pt = min;
    if judge.print() && rich_black > 0 {
        judge.error(
            "black",
            format!("{rich_black} run(s) of black text under {SMALL_TEXT_PT} pt in rich black; small text must be K100 only"),
        );
    }
    if small > 0 {
        let min = min.unwrap_or(0.0);
        judge.error(
            "text-size",
            format!("{small} run(s) of text smaller than {MIN_TEXT_PT} pt (smallest {min:.2} pt)"),
        );
    }
    if outside > 0 {
        judge.error(
            "safe-area",
            format!("{outside} run(s) of text closer than 3 mm to the trim edge"),
        );
    }
}

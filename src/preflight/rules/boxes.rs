//! Page boxes, as the print profile needs them: a TrimBox, a BleedBox 3 mm around it, and the
//! MediaBox around that.

use crate::pdf::Rect;
use crate::preflight::SAFE_MARGIN_PT;

use super::Judge;

pub(super) fn judge(judge: &mut Judge<'_>) {
    if !judge.print() {
        return;
    }
    let boxes = *judge.boxes;
    let Some(trim) = boxes.trim else {
        judge.error("boxes", "the page has no TrimBox (finished size)".into());
        return;
    };
    let Some(bleed) = boxes.bleed else {
        judge.error("boxes", "the page has no BleedBox".into());
        return;
    };
    if !inside(&trim, &bleed) || !inside(&bleed, &boxes.media) {
        judge.error("boxes", "the boxes do not nest: MediaBox ⊇ BleedBox ⊇ TrimBox".into());
    }
    // 3 mm of bleed, the same as the safe margin.
    let least = [trim.x0 - bleed.x0, trim.y0 - bleed.y0, bleed.x1 - trim.x1, bleed.y1 - trim.y1]
        .into_iter()
        .fold(f64::MAX, f64::min);
    if least < SAFE_MARGIN_PT - 0.05 {
        judge.error("boxes", format!("the bleed is {:.1} mm, less than 3 mm", least / 72.0 * 25.4));
    }
}

fn inside(inner: &Rect, outer: &Rect) -> bool {
    inner.x0 >= outer.x0 - 0.01
        && inner.y0 >= outer.y0 - 0.01
        && inner.x1 <= outer.x1 + 0.01
        && inner.y1 <= outer.y1 + 0.01
}

//! Images: counted, and each at least 300 ppi at the size it is placed (the lower of its two
//! directions).

use crate::preflight::MIN_IMAGE_PPI;

use super::{Judge, least};

pub(super) fn judge(judge: &mut Judge<'_>) {
    let marks = judge.marks;
    judge.report().images = marks.images.len();
    for image in &marks.images {
        let ((px_w, px_h), (w, h)) = (image.pixels, image.size);
        if w <= 0.0 || h <= 0.0 {
            continue;
        }
        let ppi = (px_w / (w / 72.0)).min(px_h / (h / 72.0));
        let report = judge.report();
        report.min_image_ppi = least(report.min_image_ppi, ppi);
        if ppi < MIN_IMAGE_PPI - 0.5 {
            judge.error(
                "image",
                format!(
                    "an image is {ppi:.0} ppi at its placed size, less than {MIN_IMAGE_PPI:.0}"
                ),
            );
        }
    }
}

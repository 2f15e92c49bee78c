//! Ink: the total ink of every colour painted inside the bleed (at most 320 %; printer's
//! marks outside the bleed excepted), and the plates the page prints on.

use crate::pdf::Rect;
use crate::preflight::MAX_INK_PERCENT;
use crate::preflight::page::marks::{Colour, Paint, Space};

use super::{Judge, Plates};

/// The process inks, in plate order.
const PROCESS: [&str; 4] = ["Cyan", "Magenta", "Yellow", "Black"];

pub(super) fn judge(judge: &mut Judge<'_>) {
    let marks = judge.marks;
    let bleed = judge.boxes.bleed.unwrap_or(judge.boxes.media);
    let mut plates = Plates::default();
    let (mut max, mut heaviest) = (0.0_f64, None::<f64>);
    for paint in marks.paints.iter().filter(|p| counts(p, &bleed)) {
        let ink = total(&paint.colour);
        max = max.max(ink);
        if ink > MAX_INK_PERCENT + 0.5 {
            heaviest = Some(heaviest.map_or(ink, |h| h.max(ink)));
        }
        plate(&mut plates, &paint.colour);
    }
    for image in &marks.images {
        match &image.space {
            Space::Cmyk => plates.process = [true; 4],
            Space::Gray => plates.process[3] = true,
            Space::Spot(name) => spot(&mut plates, name, 1.0),
            _ => {}
        }
    }
    judge.report().max_ink_percent = max;
    if judge.print()
        && let Some(ink) = heaviest
    {
        judge.error(
            "ink",
            format!("a colour has {ink:.0}% total ink, more than {MAX_INK_PERCENT:.0}%"),
        );
    }
    judge.judged.plates = plates;
}

/// Whether a paint is part of the printed image. Printer's marks (crop marks in registration
/// colour) lie outside the bleed; a mark's outer line sits on the bleed edge, so a path counts
/// only when it reaches half a point in.
fn counts(paint: &Paint, bleed: &Rect) -> bool {
    let Some([x0, y0, x1, y1]) = paint.area else { return true };
    let overlap_x = x1.min(bleed.x1) - x0.max(bleed.x0);
    let overlap_y = y1.min(bleed.y1) - y0.max(bleed.y0);
    overlap_x > 0.5 && overlap_y > 0.5
}

/// Total ink in percent (0 for colours that are not inks).
fn total(colour: &Colour) -> f64 {
    match colour {
        Colour::Gray(g) => (1.0 - g) * 100.0,
        Colour::Cmyk(c) => c.iter().sum::<f64>() * 100.0,
        Colour::Spot(_, tint) => tint * 100.0,
        Colour::DeviceN(_, tints) => tints.iter().sum::<f64>() * 100.0,
        Colour::Other => 0.0,
    }
}

/// Notes the plates a colour is printed on.
fn plate(plates: &mut Plates, colour: &Colour) {
    match colour {
        Colour::Cmyk(c) => {
            for (used, v) in plates.process.iter_mut().zip(c) {
                *used |= *v > 0.0;
            }
        }
        Colour::Gray(g) if *g < 1.0 => plates.process[3] = true,
        Colour::Spot(name, tint) => spot(plates, name, *tint),
        Colour::DeviceN(names, tints) => {
            for (name, tint) in names.iter().zip(tints) {
                spot(plates, name, *tint);
            }
        }
        _ => {}
    }
}

/// Notes an ink by name: a process ink's plate, or a spot ink. `All` is the registration
/// colorant (every plate), `None` no plate at all.
fn spot(plates: &mut Plates, name: &str, tint: f64) {
    if let Some(i) = PROCESS.iter().position(|p| *p == name) {
        plates.process[i] |= tint > 0.0;
    } else if name != "All" && name != "None" {
        plates.spots.insert(name.to_owned());
    }
}

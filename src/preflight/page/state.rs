//! The graphics state the page reader follows: transformation, colours, line width and the
//! text state (ISO 32000-1, 8.4 and 9.3), saved and restored with `q` and `Q`.

use std::sync::Arc;

use kurbo::{Affine, Point};

use super::marks::{Colour, Space};
use super::resources::FontInfo;
use crate::pdf::overprint::Overprint;

/// A colour with the space it was given in.
#[derive(Debug, Clone)]
pub struct Ink {
    /// The space.
    pub space: Space,
    /// The colour.
    pub colour: Colour,
}

impl Default for Ink {
    fn default() -> Self {
        Self { space: Space::Gray, colour: Colour::Gray(0.0) }
    }
}

/// The graphics state, text state included.
#[derive(Debug, Clone)]
pub struct State {
    /// User space to the page.
    pub ctm: Affine,
    /// The colour for filling.
    pub fill: Ink,
    /// The colour for stroking.
    pub stroke: Ink,
    /// The line width, in user space.
    pub line_width: f64,
    /// The font, if one was set and could be read.
    pub font: Option<Arc<FontInfo>>,
    /// The font size.
    pub font_size: f64,
    /// `Tc`.
    pub char_spacing: f64,
    /// `Tw`.
    pub word_spacing: f64,
    /// `Tz`, as a factor.
    pub horizontal_scale: f64,
    /// `TL`.
    pub leading: f64,
    /// `Ts`.
    pub rise: f64,
    /// `Tr`: 3 is invisible, 7 only clips.
    pub render_mode: i64,
    /// `/OP`, `/op` and `/OPM`, from ExtGStates.
    pub overprint: Overprint,
}

impl State {
    /// The initial state of a page whose user space maps to the page by `ctm`.
    pub fn new(ctm: Affine) -> Self {
        Self {
            ctm,
            fill: Ink::default(),
            stroke: Ink::default(),
            line_width: 1.0,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
            overprint: Overprint::default(),
        }
    }

    /// Whether text shown now leaves marks (render modes 3 and 7 draw nothing).
    pub fn text_visible(&self) -> bool {
        !matches!(self.render_mode, 3 | 7)
    }

    /// Whether text shown now is filled (render modes 0, 2, 4 and 6).
    pub fn text_filled(&self) -> bool {
        matches!(self.render_mode, 0 | 2 | 4 | 6)
    }

    /// Whether text shown now is stroked (render modes 1, 2, 5 and 6).
    pub fn text_stroked(&self) -> bool {
        matches!(self.render_mode, 1 | 2 | 5 | 6)
    }
}

/// How much a transform scales lengths (the geometric mean of its axes).
pub fn scale(m: &Affine) -> f64 {
    m.determinant().abs().sqrt()
}

/// The bounding box of `points` under `m`, as `[x0, y0, x1, y1]`.
pub fn bounds(m: &Affine, points: impl IntoIterator<Item = (f64, f64)>) -> Option<[f64; 4]> {
    points.into_iter().map(|(x, y)| *m * Point::new(x, y)).fold(None, |b, p| {
        Some(match b {
            None => [p.x, p.y, p.x, p.y],
            Some([x0, y0, x1, y1]) => [x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y)],
        })
    })
}

/// The union of two boxes.
pub fn union(a: Option<[f64; 4]>, b: [f64; 4]) -> [f64; 4] {
    match a {
        None => b,
        Some(a) => [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])],
    }
}

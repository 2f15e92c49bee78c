//! Overprint as the graphics state holds it (ISO 32000-1, 8.6.7) and black overprint
//! (墨ノセ): which marks print over the inks beneath them instead of knocking them out. Shared
//! by the print finishing that sets it (`pdfx`) and the preflight that checks it.

/// Strokes in K100 up to this width (on the page, in points) overprint; wider ones are areas
/// and knock out.
pub const BLACK_RULE_PT: f64 = 1.0;

/// The overprint parameters of the graphics state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Overprint {
    /// `/OP`: strokes overprint.
    pub stroke: bool,
    /// `/op`: fills and text overprint.
    pub fill: bool,
    /// `/OPM`: 1 leaves the plates of zero DeviceCMYK components as they are.
    pub mode: u8,
}

impl Overprint {
    /// Black overprint: strokes and fills overprint, zero components leave their plates alone.
    pub const BLACK: Overprint = Overprint { stroke: true, fill: true, mode: 1 };

    /// Applies the entries of an ExtGState: `/OP`, `/op` (which `/OP` also sets when it is
    /// absent) and `/OPM`.
    pub fn set(&mut self, stroke: Option<bool>, fill: Option<bool>, mode: Option<i64>) {
        if let Some(stroke) = stroke {
            self.stroke = stroke;
        }
        if let Some(fill) = fill.or(stroke) {
            self.fill = fill;
        }
        if let Some(mode) = mode {
            self.mode = u8::from(mode != 0);
        }
    }

    /// Whether a DeviceCMYK fill leaves the plates of its zero components untouched.
    pub fn fills_over(self) -> bool {
        self.fill && self.mode == 1
    }

    /// Whether a DeviceCMYK stroke leaves the plates of its zero components untouched.
    pub fn strokes_over(self) -> bool {
        self.stroke && self.mode == 1
    }

    /// `111` for `/OP true /op true /OPM 1`: a short, stable tag for names.
    pub fn tag(self) -> String {
        format!("{}{}{}", u8::from(self.stroke), u8::from(self.fill), self.mode)
    }
}

/// Whether DeviceCMYK components are pure black: K100 and nothing else.
pub fn is_k100([c, m, y, k]: [f64; 4]) -> bool {
    const EPS: f64 = 1e-4;
    c.abs() < EPS && m.abs() < EPS && y.abs() < EPS && (k - 1.0).abs() < EPS
}

/// Whether DeviceCMYK components are paper white: no ink at all (which vanishes when it
/// overprints with `/OPM 1`).
pub fn is_white(cmyk: [f64; 4]) -> bool {
    cmyk.iter().all(|v| v.abs() < 1e-4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_follows_op_when_it_is_absent() {
        let mut state = Overprint::default();
        state.set(Some(true), None, None);
        assert_eq!(state, Overprint { stroke: true, fill: true, mode: 0 });
        state.set(None, Some(false), Some(1));
        assert_eq!(state, Overprint { stroke: true, fill: false, mode: 1 });
        assert!(state.strokes_over() && !state.fills_over());
        assert_eq!(Overprint::BLACK.tag(), "111");
    }

    #[test]
    fn only_pure_black_is_k100() {
        assert!(is_k100([0.0, 0.0, 0.0, 1.0]));
        assert!(!is_k100([0.4, 0.4, 0.4, 1.0]));
        assert!(!is_k100([0.0, 0.0, 0.0, 0.9]));
        assert!(is_white([0.0; 4]) && !is_white([0.08, 0.0, 0.06, 0.0]));
    }
}

//! Measuring blocks: one compile of the layout in its measuring mode gives the height of
//! every block at every width the search may give it, at one body size.
//!
//! kaiho sends the requests as data (`measure` in `/volume.json`); the layout sets each
//! block as it would on the page, one under the other on one endless page, between
//! `metadata((key, edge)) <kaiho-measure>` markers, and kaiho reads the heights from
//! where the markers landed. Heights are in points; the search works in whole lines of
//! the grid (see `grid`).

use std::collections::HashMap;

use serde::Serialize;
use typst::foundations::{Label, Selector, Value};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// Which part of a block to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The whole block.
    All,
    /// What stands above running text that flows in columns (its heading).
    Head,
    /// The running text of a flowing block, in one column.
    Body,
    /// A photo's caption.
    Caption,
    /// One part kept whole of a block whose parts flow (its `n`th, from 0), in one column.
    Unit(u32),
    /// The whole block as short as the layout may draw it (a profile's portrait cropped
    /// to the text beside it), for kinds whose height is a range (`compact`).
    Compact,
    /// A whole gallery with `per_row` photos to a row, its frames of proportions
    /// `frame / 1000` (width / height), or its own when `None`.
    Gallery {
        /// Photos to a row.
        per_row: u32,
        /// The frames' proportions, in thousandths.
        frame: Option<u32>,
    },
}

impl Part {
    /// The part's name for the layout (`cx.part`).
    fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Head => "head",
            Self::Body => "body",
            Self::Caption => "caption",
            Self::Unit(_) => "unit",
            Self::Compact => "compact",
            Self::Gallery { .. } => "all",
        }
    }
}

impl Serialize for Part {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// One thing to measure.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    /// Echoed back with the height.
    pub key: usize,
    /// The block's id.
    pub id: String,
    /// The width to set it at, in points.
    pub width: f64,
    /// What to measure.
    pub part: Part,
    /// Which unit, for [`Part::Unit`] (the layout reads it beside `part`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<u32>,
    /// Photos to a row, for [`Part::Gallery`].
    #[serde(rename = "per-row", skip_serializing_if = "Option::is_none")]
    pub per_row: Option<u32>,
    /// The frames' proportions, for [`Part::Gallery`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<f64>,
    /// The line pitch to set it at, points (a page may loosen its leading).
    pub pitch: f64,
}

/// What the layout is asked to measure, at one body size.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    /// Body size, points.
    pub body: f64,
    /// The requests.
    pub requests: Vec<Request>,
}

/// Collects requests without repeating one.
#[derive(Default)]
pub struct Requests {
    requests: Vec<Request>,
    seen: HashMap<(String, u64, Part, u64), usize>,
}

impl Requests {
    /// The key of the height of `part` of block `id` at `width` and line `pitch`, asking
    /// for it if new.
    pub fn ask(&mut self, id: &str, width: f64, part: Part, pitch: f64) -> usize {
        // To a hundredth of a point: the same measure on two grids is one request.
        let round = |x: f64| (x * 100.0).round() as u64;
        let key = self.requests.len();
        *self.seen.entry((id.to_owned(), round(width), part, round(pitch))).or_insert_with(|| {
            let (unit, per_row, frame) = match part {
                Part::Unit(n) => (Some(n), None, None),
                Part::Gallery { per_row, frame } => {
                    (None, Some(per_row), frame.map(|f| f64::from(f) / 1000.0))
                }
                _ => (None, None, None),
            };
            let id = id.to_owned();
            self.requests.push(Request { key, id, width, part, unit, per_row, frame, pitch });
            key
        })
    }

    /// Whether nothing was asked.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// The requests, for the layout.
    pub fn finish(self, body: f64) -> Measure {
        Measure { body, requests: self.requests }
    }
}

/// What a measuring compile says of one request.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Extent {
    /// Its height, points.
    pub height: f64,
    /// Blank above its first mark and below its last, points (see [`super::ink`]).
    pub blank: [f64; 2],
}

/// The answers of a measuring compile, by key.
pub type Heights = HashMap<usize, Extent>;

/// Reads the answers of a measuring compile: height and blank edges in points by key,
/// from where each block's start and end markers landed and where its marks are.
pub fn heights(document: &PagedDocument) -> Heights {
    let introspector = document.introspector();
    let label = Label::new(PicoStr::intern("kaiho-measure")).expect("valid label");
    // Per key: where the start and the end marker landed (page, y).
    type Edge = Option<(usize, f64)>;
    let mut edges: HashMap<usize, (Edge, Edge)> = HashMap::new();
    for answer in introspector.elements().query(&Selector::Label(label)) {
        let Some(position) = answer.location().and_then(|l| introspector.position(l)) else {
            continue;
        };
        let Ok(Value::Dict(value)) = answer.field_by_name("value") else { continue };
        let Ok(Value::Int(key)) = value.get("key") else { continue };
        let at = Some((position.page.get(), position.point.y.to_pt()));
        let entry = edges.entry(*key as usize).or_default();
        match value.get("edge") {
            Ok(Value::Str(s)) if s.as_str() == "end" => entry.1 = at,
            _ => entry.0 = at,
        }
    }
    let mut marks: HashMap<usize, Vec<(f64, f64)>> = HashMap::new();
    edges
        .into_iter()
        .filter_map(|(key, edge)| match edge {
            (Some((p0, y0)), Some((p1, y1))) if p0 == p1 => {
                let marks = marks.entry(p0).or_insert_with(|| {
                    document
                        .pages()
                        .get(p0 - 1)
                        .map_or_else(Vec::new, |p| super::ink::extents(&p.frame))
                });
                let height = (y1 - y0).max(0.0);
                Some((key, Extent { height, blank: super::ink::blank(marks, y0, y0 + height) }))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_request_is_asked_once() {
        let mut r = Requests::default();
        let a = r.ask("b1", 200.0, Part::All, 14.4);
        let b = r.ask("b1", 200.001, Part::All, 14.4);
        let c = r.ask("b1", 200.0, Part::Head, 14.4);
        let d = r.ask("b2", 200.0, Part::All, 14.4);
        let e = r.ask("b2", 200.0, Part::All, 15.3);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(c, d);
        assert_ne!(d, e);
        assert_eq!(r.finish(9.0).requests.len(), 4);
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// The whole block.
    All,
    /// What stands above running text that flows in columns (its heading).
    Head,
    /// The running text of a flowing block, in one column.
    Body,
    /// A photo's caption.
    Caption,
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
}

/// What the layout is asked to measure, at one body size.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    /// Body size, points.
    pub body: f64,
    /// Line pitch, points.
    pub pitch: f64,
    /// The requests.
    pub requests: Vec<Request>,
}

/// Collects requests without repeating one.
#[derive(Default)]
pub struct Requests {
    requests: Vec<Request>,
    seen: HashMap<(String, u64, Part), usize>,
}

impl Requests {
    /// The key of the height of `part` of block `id` at `width`, asking for it if new.
    pub fn ask(&mut self, id: &str, width: f64, part: Part) -> usize {
        // Widths to a hundredth of a point: the same measure on two grids is one request.
        let rounded = (width * 100.0).round() as u64;
        let key = self.requests.len();
        *self.seen.entry((id.to_owned(), rounded, part)).or_insert_with(|| {
            self.requests.push(Request { key, id: id.to_owned(), width, part });
            key
        })
    }

    /// The requests, for the layout.
    pub fn finish(self, body: f64, pitch: f64) -> Measure {
        Measure { body, pitch, requests: self.requests }
    }
}

/// Reads the answers of a measuring compile: height in points by key, from where each
/// block's start and end markers landed.
pub fn heights(document: &PagedDocument) -> HashMap<usize, f64> {
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
    edges
        .into_iter()
        .filter_map(|(key, edge)| match edge {
            (Some((p0, y0)), Some((p1, y1))) if p0 == p1 => Some((key, (y1 - y0).max(0.0))),
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
        let a = r.ask("b1", 200.0, Part::All);
        let b = r.ask("b1", 200.001, Part::All);
        let c = r.ask("b1", 200.0, Part::Head);
        let d = r.ask("b2", 200.0, Part::All);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(c, d);
        assert_eq!(r.finish(9.0, 15.3).requests.len(), 3);
    }
}

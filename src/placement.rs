//! Where the blocks landed: the layout's markers, read back from the typeset pages.
//!
//! A layout brackets every block with `metadata((id, page, edge)) <kaiho-block>`. Typst
//! knows on which page and at which height each marker ended up, so kaiho can check that
//! the layout drew every block on its page, and the live preview can frame a block.

use std::collections::BTreeMap;
use std::path::Path;

use typst::foundations::{Label, Selector, Value};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::diag::Diagnostic;
use crate::model::Volume;

/// One block's start and end as placed.
#[derive(Debug, Clone)]
struct Placed {
    expected: usize,
    start: Option<(usize, f64)>,
    end: Option<(usize, f64)>,
}

/// Reads the markers of a typeset document, by block id.
fn placed(document: &PagedDocument) -> BTreeMap<String, Placed> {
    let introspector = document.introspector();
    let label = Label::new(PicoStr::intern("kaiho-block")).expect("valid label");
    let mut blocks: BTreeMap<String, Placed> = BTreeMap::new();
    for marker in introspector.elements().query(&Selector::Label(label)) {
        let Some(position) = marker.location().and_then(|l| introspector.position(l)) else {
            continue;
        };
        let Ok(Value::Dict(value)) = marker.field_by_name("value") else { continue };
        let text = |key: &str| match value.get(key) {
            Ok(Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        let number = |key: &str| match value.get(key) {
            Ok(Value::Int(n)) => Some(*n as f64),
            Ok(Value::Float(f)) => Some(*f),
            _ => None,
        };
        let (Some(id), Some(expected)) = (text("id"), number("page")) else { continue };
        let entry = blocks.entry(id).or_insert(Placed {
            expected: expected as usize,
            start: None,
            end: None,
        });
        let at = Some((position.page.get(), position.point.y.to_mm()));
        match text("edge").as_deref() {
            Some("end") => entry.end = at,
            _ => entry.start = entry.start.or(at),
        }
    }
    blocks
}

/// Where a block lies on the pages it touches: `(page, top, bottom)` in millimetres from
/// the top of each page (trim), from its markers; empty for an id that is not a block.
pub fn spans(document: &PagedDocument, id: &str) -> Vec<(usize, f64, f64)> {
    let Some(block) = placed(document).remove(id) else { return Vec::new() };
    let (Some((first, top)), Some((last, bottom))) = (block.start, block.end) else {
        return Vec::new();
    };
    let height =
        |page: usize| document.pages().get(page - 1).map_or(297.0, |p| p.frame.height().to_mm());
    if first == last {
        return vec![(first, top, bottom)];
    }
    let mut out = vec![(first, top, height(first))];
    out.extend((first + 1..last).map(|page| (page, 0.0, height(page))));
    out.push((last, 0.0, bottom));
    out
}

/// Checks that the layout drew one sheet per page of the volume and that every block
/// landed on the sheet of its page. The composition already made every page fit, so a
/// failure here means the layout drew something other than what it measured.
pub fn check(document: &PagedDocument, volume: &Volume, file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if document.pages().len() != volume.pages.len() {
        out.push(
            Diagnostic::error(
                file,
                format!(
                    "the layout made {} pages from the {} pages of the volume",
                    document.pages().len(),
                    volume.pages.len()
                ),
            )
            .path("pages")
            .hint("the layout drew more than it measured; report this with the volume file"),
        );
    }
    for (id, p) in placed(document) {
        let landed = [p.start, p.end].into_iter().flatten().map(|(page, _)| page);
        if let Some(page) = landed.into_iter().find(|page| *page != p.expected) {
            let at = volume
                .pages
                .get(p.expected - 1)
                .and_then(|pg| pg.blocks.iter().find(|b| b.id == id))
                .and_then(|b| b.at);
            out.push(
                Diagnostic::error(
                    file,
                    format!("this block of page {} was drawn on sheet {page}", p.expected),
                )
                .at(at)
                .path(id.clone())
                .hint("the layout drew more than it measured; report this with the volume file"),
            );
        }
    }
    out
}

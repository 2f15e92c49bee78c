//! Where the blocks landed: the layout's markers, overflow reports and copy-fitting.
//!
//! A layout brackets every block with `metadata((id, page, edge, fit-min)) <kaiho-block>`.
//! Typst knows on which page and at which height each marker ended up, so kaiho can tell a
//! block that ran onto the next page — which Typst itself treats as normal flow — and how
//! much ran over. `fit-min` is the smallest scale the layout allows for the block's text
//! (1 when it may not shrink); kaiho shrinks blocks of an overflowing page in small steps
//! down to it before it reports the overflow.

use std::collections::BTreeMap;
use std::path::Path;

use typst::foundations::{Label, Selector, Value};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::diag::Diagnostic;
use crate::model::Volume;

/// How much a copy-fitting step shrinks a block's text.
pub const FIT_STEP: f64 = 0.02;

/// Scale factors for blocks whose text was shrunk to fit, by block id.
pub type Fit = BTreeMap<String, f64>;

/// One block's start and end as placed.
#[derive(Debug, Clone)]
struct Placed {
    expected: usize,
    fit_min: f64,
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
            fit_min: number("fit-min").unwrap_or(1.0).clamp(0.1, 1.0),
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

/// The outcome of checking where blocks landed.
pub enum Verdict {
    /// Every block is on its page.
    Fits,
    /// Some pages overflow; shrinking these blocks to these scales may help.
    Shrink(Fit),
    /// Some pages overflow and nothing can shrink further.
    Overflow(Vec<Diagnostic>),
}

/// The physical pages that data pages landed on, and which of them overflow.
///
/// Data page k should fill exactly the sheet after the last one used by page k − 1 (the
/// layout breaks the page between them). It overflows when any of its markers lies beyond
/// that sheet. A page displaced by an earlier overflow is judged from where it starts, so
/// one long page is reported once, not once for every page after it.
fn sheets(blocks: &BTreeMap<String, Placed>, pages: usize) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let mut previous_end = 0;
    for page in 1..=pages {
        let landed = blocks
            .values()
            .filter(|p| p.expected == page)
            .flat_map(|p| [p.start, p.end])
            .flatten()
            .map(|(sheet, _)| sheet);
        let sheet = previous_end + 1;
        let last = landed.max().unwrap_or(sheet);
        out.push((sheet, last > sheet));
        previous_end = last.max(sheet);
    }
    out
}

/// Judges a document typeset with `fit`.
pub fn judge(document: &PagedDocument, volume: &Volume, file: &Path, fit: &Fit) -> Verdict {
    let blocks = placed(document);
    let sheets = sheets(&blocks, volume.pages.len());
    let overflowing: Vec<usize> =
        (1..=volume.pages.len()).filter(|page| sheets[page - 1].1).collect();
    if overflowing.is_empty() {
        if document.pages().len() == volume.pages.len() {
            return Verdict::Fits;
        }
        return Verdict::Overflow(vec![
            Diagnostic::error(
                file,
                format!(
                    "the layout made {} pages from the {} pages of the volume",
                    document.pages().len(),
                    volume.pages.len()
                ),
            )
            .path("pages")
            .hint("a page's content is too long for one sheet; shorten it"),
        ]);
    }

    let mut shrink = fit.clone();
    let mut shrunk = false;
    for (id, p) in &blocks {
        if overflowing.contains(&p.expected) {
            let scale = fit.get(id).copied().unwrap_or(1.0);
            let next = (scale - FIT_STEP).max(p.fit_min);
            if next < scale - 1e-9 {
                shrink.insert(id.clone(), next);
                shrunk = true;
            }
        }
    }
    if shrunk {
        return Verdict::Shrink(shrink);
    }
    let reports = overflowing
        .into_iter()
        .map(|page| {
            overflow_report(&blocks, volume, file, fit, page, sheets[page - 1].0).unwrap_or_else(
                || {
                    // Only something the layout added itself ran over.
                    Diagnostic::error(
                        file,
                        format!("page {page} is too full: it runs onto the next sheet"),
                    )
                    .path(format!("pages[{}]", page - 1))
                    .hint("shorten the text of this page, or move a block to another page")
                },
            )
        })
        .collect();
    Verdict::Overflow(reports)
}

/// The error for an overflowing page, on the first block that left its sheet, saying how
/// much ran over.
fn overflow_report(
    blocks: &BTreeMap<String, Placed>,
    volume: &Volume,
    file: &Path,
    fit: &Fit,
    page: usize,
    sheet: usize,
) -> Option<Diagnostic> {
    let data_page = &volume.pages[page - 1];
    let spilled: Vec<(&str, &Placed)> = data_page
        .blocks
        .iter()
        .filter_map(|b| blocks.get(&b.id).map(|p| (b.id.as_str(), p)))
        .filter(|(_, p)| [p.start, p.end].iter().flatten().any(|(s, _)| *s > sheet))
        .collect();
    let (first, _) = spilled.first()?;
    let at = data_page.blocks.iter().find(|b| b.id == *first).and_then(|b| b.at);
    // What ran onto the next sheet: from the top of the first marker there to the last.
    let next: Vec<f64> = spilled
        .iter()
        .flat_map(|(_, p)| [p.start, p.end])
        .flatten()
        .filter(|(s, _)| *s == sheet + 1)
        .map(|(_, y)| y)
        .collect();
    let top = next.iter().copied().reduce(f64::min);
    let bottom = next.iter().copied().reduce(f64::max);
    let amount = match (top, bottom) {
        (Some(top), Some(bottom)) if bottom - top >= 1.0 => {
            format!("about {:.0} mm of it", bottom - top)
        }
        _ => "part of it".to_owned(),
    };
    let shrunk = spilled.iter().any(|(id, _)| fit.get(*id).is_some_and(|s| *s < 1.0));
    let hint = if shrunk {
        "its text was already shrunk as far as the layout allows; shorten the text of this page, or move a block to another page"
    } else {
        "shorten the text of this page, or move a block to another page"
    };
    Some(
        Diagnostic::error(
            file,
            format!("page {page} is too full: this block does not fit, and {amount} runs onto the next sheet"),
        )
        .at(at)
        .path(first.to_string())
        .hint(hint),
    )
}

/// One warning per page whose blocks were shrunk to fit, at the first of them.
pub fn fit_warnings(fit: &Fit, volume: &Volume, file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, page) in volume.pages.iter().enumerate() {
        let shrunk: Vec<(&crate::model::Block, f64)> = page
            .blocks
            .iter()
            .filter_map(|b| fit.get(&b.id).filter(|s| **s < 1.0).map(|s| (b, *s)))
            .collect();
        let Some((first, _)) = shrunk.first() else { continue };
        let smallest = shrunk.iter().map(|(_, s)| *s).fold(1.0, f64::min);
        let ids: Vec<&str> = shrunk.iter().map(|(b, _)| b.id.as_str()).collect();
        out.push(
            Diagnostic::warning(
                file,
                format!(
                    "page {} was copy-fitted: the text of {} block(s) is set at {:.0}% of its size",
                    index + 1,
                    shrunk.len(),
                    smallest * 100.0
                ),
            )
            .at(first.at)
            .path(ids.join(", "))
            .hint("shorten the text of this page to print it at full size"),
        );
    }
    out
}

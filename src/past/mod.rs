//! Past issues: volumes that exist only as the PDF (or scan) they were printed as. kaiho
//! checks the PDF — it opens, its pages are of a paper size, it carries text — reads its
//! text for search (with OCR where there is none), and renders its first page for the
//! catalogue. The PDF itself is never rewritten.

pub mod ocr;
pub mod render;
pub mod text;

use crate::diag::Diagnostic;
use crate::pdf::{self, Document, Page};
use crate::project::LoadedPast;

use self::text::{From, Layer, PageText, PastText};

/// Paper sizes a past issue may be printed on, in millimetres (portrait).
const PAPERS: [(&str, f64, f64); 9] = [
    ("A3", 297.0, 420.0),
    ("A4", 210.0, 297.0),
    ("A5", 148.0, 210.0),
    ("B4", 257.0, 364.0),
    ("B5", 182.0, 257.0),
    ("ISO B5", 176.0, 250.0),
    ("Letter", 215.9, 279.4),
    ("Legal", 215.9, 355.6),
    ("Tabloid", 279.4, 431.8),
];

/// How far a page may be off its paper size: scanners and PDF makers round.
const TOLERANCE_MM: f64 = 3.0;

/// A page of a past issue, measured.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// 1-based.
    pub number: usize,
    /// The finished size (TrimBox, else the visible area), in millimetres.
    pub width_mm: f64,
    /// See `width_mm`.
    pub height_mm: f64,
    /// The paper it is, e.g. `A4` or `A3 landscape`, if kaiho knows it.
    pub paper: Option<String>,
    /// How its text can be read.
    pub layer: Layer,
    /// What its text layer holds.
    pub text: String,
}

/// The paper of a page `width` × `height` mm: either orientation, with or without 3 mm of
/// bleed on every side.
pub fn paper(width: f64, height: f64) -> Option<String> {
    let near = |a: f64, b: f64| (a - b).abs() <= TOLERANCE_MM;
    for (name, w, h) in PAPERS {
        for (bleed, suffix) in [(0.0, ""), (6.0, " with bleed")] {
            if near(width, w + bleed) && near(height, h + bleed) {
                return Some(format!("{name}{suffix}"));
            }
            if near(width, h + bleed) && near(height, w + bleed) {
                return Some(format!("{name} landscape{suffix}"));
            }
        }
    }
    None
}

fn measure(number: usize, page: &Page<'_>) -> PageInfo {
    let boxes = pdf::boxes(page);
    let visible = page.intersected_crop_box();
    let area = boxes.trim.unwrap_or(visible);
    let mm = |points: f64| points.abs() / 72.0 * 25.4;
    let (width_mm, height_mm) = (mm(area.x1 - area.x0), mm(area.y1 - area.y0));
    let content = pdf::text::read(page);
    let page_area = ((visible.x1 - visible.x0) * (visible.y1 - visible.y0)).abs();
    PageInfo {
        number,
        width_mm,
        height_mm,
        paper: paper(width_mm, height_mm),
        layer: Layer::of(&content, page_area),
        text: text::layer_text(&content),
    }
}

/// Every page of `doc`, measured and its text layer read.
pub fn pages(doc: &Document) -> Vec<PageInfo> {
    doc.pages().iter().enumerate().map(|(i, page)| measure(i + 1, page)).collect()
}

/// A problem with a past issue's PDF, pointed at its `pdf:` line.
fn at_pdf(past: &LoadedPast, diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.at(past.past.pdf_at).path("pdf")
}

/// Reads and opens the PDF of `past`; problems are errors at its `pdf:` line.
pub fn open(past: &LoadedPast) -> Result<(Vec<u8>, Document), Diagnostic> {
    let bytes = std::fs::read(&past.past.pdf).map_err(|e| {
        let message = format!("cannot read the PDF `{}`: {e}", past.past.pdf_written);
        at_pdf(past, Diagnostic::error(&past.volume_file.path, message))
    })?;
    let doc = parse(past, &bytes)?;
    Ok((bytes, doc))
}

/// Opens the PDF of `past` from its bytes; a problem is an error at its `pdf:` line.
pub fn parse(past: &LoadedPast, bytes: &[u8]) -> Result<Document, Diagnostic> {
    Document::read(bytes).map_err(|e| {
        let message = format!("the PDF `{}` cannot be opened: {e}", past.past.pdf_written);
        at_pdf(past, Diagnostic::error(&past.volume_file.path, message))
    })
}

/// What makes a past issue's PDF unfit to keep: no pages, or pages of no known paper size
/// (errors at its `pdf:` line).
pub fn problems(past: &LoadedPast, pages: &[PageInfo]) -> Vec<Diagnostic> {
    let file = &past.volume_file.path;
    let shown = &past.past.pdf_written;
    let mut found = Vec::new();
    if pages.is_empty() {
        found.push(Diagnostic::error(file, format!("the PDF `{shown}` has no pages")).hint(
            "export or scan the issue again; a past issue is kept as the pages it was printed as",
        ));
    }
    for page in pages.iter().filter(|p| p.paper.is_none()) {
        found.push(
            Diagnostic::error(
                file,
                format!(
                    "page {} of `{shown}` is {:.0} × {:.0} mm, not a paper size kaiho knows",
                    page.number, page.width_mm, page.height_mm
                ),
            )
            .hint("kaiho knows A3–A5, B4, B5 (JIS and ISO), Letter, Legal and Tabloid, either way round, with or without 3 mm bleed; scan or export the page at its paper size"),
        );
    }
    found.into_iter().map(|d| at_pdf(past, d)).collect()
}

/// What `kaiho check` finds in a past issue's PDF: the [`problems`], and warnings for pages
/// whose text cannot be read; and its page count.
pub fn check(past: &LoadedPast) -> (Vec<Diagnostic>, Option<usize>) {
    let (_, doc) = match open(past) {
        Ok(opened) => opened,
        Err(d) => return (vec![d], None),
    };
    let pages = pages(&doc);
    let mut found = problems(past, &pages);
    found.extend(text_warnings(past, &pages).into_iter().map(|d| at_pdf(past, d)));
    (found, Some(pages.len()))
}

/// Warnings for the pages whose words only OCR can find.
fn text_warnings(past: &LoadedPast, pages: &[PageInfo]) -> Vec<Diagnostic> {
    let file = &past.volume_file.path;
    let shown = &past.past.pdf_written;
    let hint = match ocr::find() {
        Some(_) => "`kaiho archive` reads them by OCR (Tesseract with Japanese is installed), so `kaiho search` finds their words".to_owned(),
        None => format!("until they are read by OCR their words cannot be searched: {}", ocr::HOW_TO_ENABLE),
    };
    let missing: Vec<String> =
        pages.iter().filter(|p| p.layer == Layer::Missing).map(|p| p.number.to_string()).collect();
    let mut found = Vec::new();
    if !missing.is_empty() {
        found.push(
            Diagnostic::warning(
                file,
                format!(
                    "`{shown}` has no text layer on page {} (a scan, or text turned into outlines)",
                    missing.join(", ")
                ),
            )
            .hint(hint.clone()),
        );
    }
    for page in pages {
        if let Layer::Unmapped { unreadable, glyphs } = page.layer {
            found.push(
                Diagnostic::warning(
                    file,
                    format!("page {} of `{shown}` draws {unreadable} of its {glyphs} characters in fonts that do not say which characters they are (no ToUnicode map)", page.number),
                )
                .hint(hint.clone()),
            );
        }
    }
    found
}

/// The text of every page of `doc` (measured as `pages`): the text layer, and where it
/// holds nothing readable, what `ocr` reads (when given). Returns the pages nothing could
/// read, each with why.
pub fn read_text(
    doc: &Document,
    pages: &[PageInfo],
    ocr: Option<&ocr::Ocr>,
) -> (PastText, Vec<(usize, String)>) {
    let mut texts = Vec::new();
    let mut unread = Vec::new();
    for (page, info) in doc.pages().iter().zip(pages) {
        let layer = info.text.clone();
        let (from, text) = match (info.layer.needs_ocr(), ocr) {
            (false, _) => (From::Text, layer),
            (true, Some(ocr)) => match ocr.read(page) {
                Ok(read) if layer.trim().is_empty() => (From::Ocr, read),
                Ok(read) => (From::Ocr, format!("{layer}\n{read}")),
                Err(e) => {
                    unread.push((info.number, e));
                    (From::Unread, layer)
                }
            },
            (true, None) => {
                unread.push((info.number, NO_OCR.to_owned()));
                (From::Unread, layer)
            }
        };
        texts.push(PageText { page: info.number, from, text });
    }
    (PastText { pages: texts }, unread)
}

/// Why a page was not read when there is no OCR.
pub const NO_OCR: &str = "Tesseract with Japanese is not installed";

/// The warning for pages nothing could read, at the volume's `pdf:` line.
pub fn unread_warning(past: &LoadedPast, unread: &[(usize, String)]) -> Option<Diagnostic> {
    if unread.is_empty() {
        return None;
    }
    let pages: Vec<String> = unread.iter().map(|(p, _)| p.to_string()).collect();
    let mut why: Vec<&str> = unread.iter().map(|(_, why)| why.as_str()).collect();
    why.dedup();
    let hint = if why.contains(&NO_OCR) {
        ocr::HOW_TO_ENABLE
    } else {
        "check that Tesseract runs (tesseract --version), then run `kaiho archive` again"
    };
    let message = format!(
        "VOL.{}: page {} of `{}` cannot be searched: it has no readable text, and {}",
        past.past.number,
        pages.join(", "),
        past.past.pdf_written,
        why.join("; ")
    );
    Some(at_pdf(past, Diagnostic::warning(&past.volume_file.path, message).hint(hint)))
}

/// Page 1 of `doc` as an RGB PNG at `ppi`, for the catalogue (empty without pages).
pub fn thumbnail(doc: &Document, ppi: f32) -> Vec<u8> {
    doc.pages()
        .first()
        .map(|page| render::png(&image::DynamicImage::ImageRgb8(render::render(page, ppi))))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes_are_known_either_way_round_and_with_bleed() {
        assert_eq!(paper(209.9, 297.0).as_deref(), Some("A4"));
        assert_eq!(paper(420.0, 297.0).as_deref(), Some("A3 landscape"));
        assert_eq!(paper(216.0, 303.0).as_deref(), Some("A4 with bleed"));
        assert_eq!(paper(215.9, 279.4).as_deref(), Some("Letter"));
        assert_eq!(paper(100.0, 100.0), None);
    }
}

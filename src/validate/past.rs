//! Validating a past issue: a volume file that names the PDF an issue was printed as instead
//! of listing pages, with the themes the catalogue shows for it.

use std::path::Path;

use super::{Checker, position};
use crate::model::{Date, PastIssue};
use crate::raw::{Located, RawPage, RawVolume, Text};

/// What a volume file holds.
pub(super) enum Kind<'r> {
    /// Pages to typeset.
    Pages(&'r Located<Vec<RawPage>>),
    /// A past issue's PDF.
    Pdf(&'r Text),
    /// Neither (already reported).
    Neither,
}

/// Whether `raw` is a volume to typeset or a past issue; keys of the other kind are errors.
pub(super) fn kind<'r>(c: &mut Checker, raw: &'r RawVolume) -> Kind<'r> {
    match (&raw.pages, &raw.pdf) {
        (Some(pages), pdf) => {
            if let Some(pdf) = pdf {
                c.error(
                    pdf.at,
                    "pdf",
                    "a volume has either `pages` (typeset by kaiho) or `pdf` (a past issue), not both",
                    "remove `pdf` to typeset the pages, or `pages` to archive the PDF as it is",
                );
            }
            for (key, at) in [
                ("themes", raw.themes.as_ref().map(|t| t.at)),
                ("note", raw.note.as_ref().map(|n| n.at)),
            ] {
                if let Some(at) = at {
                    c.error(
                        at,
                        key,
                        format!("`{key}` belongs to a past issue (a volume with `pdf`)"),
                        "a typeset volume's themes come from its headlines and sections; remove the key",
                    );
                }
            }
            Kind::Pages(pages)
        }
        (None, Some(pdf)) => Kind::Pdf(pdf),
        (None, None) => {
            c.error(
                raw.volume.at,
                "pages",
                "missing field `pages` (or `pdf`, for a past issue kept as a PDF)",
                "list the pages and their blocks, or write `pdf: FILE.pdf` for an issue printed before kaiho",
            );
            Kind::Neither
        }
    }
}

/// The past issue `raw` declares; `pdf` must name an existing PDF file.
pub(super) fn past(
    c: &mut Checker,
    raw: &RawVolume,
    pdf: &Text,
    folder: &Path,
    (number, issue, date): (u32, String, Date),
) -> PastIssue {
    let written = c.plain(pdf, "pdf");
    let file = folder.join(&written);
    if !written.is_empty() {
        if !file.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            c.error(
                pdf.at,
                "pdf",
                format!("`{written}` is not a PDF file"),
                "a past issue is kept as a PDF: name the .pdf file (scan a paper issue to PDF first)",
            );
        } else if !file.is_file() {
            c.error(
                pdf.at,
                "pdf",
                format!("PDF `{}` not found", file.display()),
                "the path is relative to the volume file's folder",
            );
        }
    }
    let themes = raw.themes.as_ref().map_or(&[][..], |t| &t.value[..]);
    let themes = themes.iter().enumerate().map(|(i, t)| c.plain(t, &format!("themes[{i}]")));
    PastIssue {
        number,
        issue,
        date,
        pdf: file,
        pdf_written: written.clone(),
        pdf_at: position(pdf.at),
        themes: themes.collect(),
        note: c.plain_optional(&raw.note, "note"),
    }
}

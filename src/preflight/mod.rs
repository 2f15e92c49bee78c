//! Preflight: checks a finished PDF the way a print shop does, before it is sent.
//!
//! It reads the PDF itself (through [`crate::pdf`]), not Typst's pages, so it checks exactly
//! what the shop receives, whoever made the file. Each page is read into its marks
//! ([`page`]): fonts, colour spaces and colours, text runs, strokes, images, transparency.
//! Then the profile's rules ([`rules`]) judge them, and the [`report`] says what was found.

pub mod page;
pub mod report;
pub mod rules;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::BTreeSet;

use crate::pdf::{self, Document};
use crate::profile::Profile;

pub use report::{BlackMarks, BlackOverprint, Finding, Level, PageReport, Report};

/// Smallest text size a print shop accepts, in points.
pub const MIN_TEXT_PT: f64 = 6.0;
/// Thinnest stroke that prints reliably, in points.
pub const MIN_STROKE_PT: f64 = 0.25;
/// Highest total ink of a colour, in percent.
pub const MAX_INK_PERCENT: f64 = 320.0;
/// Lowest image resolution at its placed size, in pixels per inch.
pub const MIN_IMAGE_PPI: f64 = 300.0;
/// Distance of text from the trim edge, in points (3 mm).
pub const SAFE_MARGIN_PT: f64 = 3.0 / 25.4 * 72.0;
/// Text below this size must be pure K when it is black (no rich black).
pub const SMALL_TEXT_PT: f64 = 12.0;

/// Why a file could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    /// Not a PDF kaiho can read.
    #[error(transparent)]
    Read(#[from] pdf::ReadError),
}

/// What a print file is expected to do beyond the profile's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// K100 text and thin K100 rules overprint (墨ノセ); `false` when the series turned it off
    /// and they should knock out.
    pub overprint_black: bool,
}

impl Default for Expect {
    fn default() -> Self {
        Self { overprint_black: true }
    }
}

/// Checks `pdf` against `profile`, expecting black overprint.
pub fn check(pdf: &[u8], profile: Profile) -> Result<Report, PreflightError> {
    check_with(pdf, profile, &Expect::default())
}

/// Checks `pdf` against `profile` and what it is `expect`ed to do.
pub fn check_with(pdf: &[u8], profile: Profile, expect: &Expect) -> Result<Report, PreflightError> {
    let doc = Document::read(pdf)?;
    let mut findings =
        if profile == Profile::Print { rules::pdfx::findings(pdf, &doc) } else { Vec::new() };
    if doc.pages().is_empty() {
        let message = "the PDF has no pages".into();
        findings.push(Finding { level: Level::Error, page: None, check: "pages", message });
    }

    // Pages are independent, so they are checked in parallel, in contiguous runs.
    let pages: Vec<(usize, &pdf::Page<'_>)> = doc.pages().iter().enumerate().collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let run = pages.len().div_ceil(cores).max(1);
    let judged: Vec<rules::Judged> = std::thread::scope(|scope| {
        let workers: Vec<_> = pages
            .chunks(run)
            .map(|chunk| {
                scope.spawn(move || {
                    let judged: Vec<_> = chunk
                        .iter()
                        .map(|&(i, page)| {
                            let (boxes, marks) = (pdf::boxes(page), page::read(page));
                            rules::page(profile, expect, i + 1, &boxes, &marks)
                        })
                        .collect();
                    judged
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });

    let mut reports = Vec::new();
    let mut process = [false; 4];
    let mut spots = BTreeSet::new();
    for mut page in judged {
        findings.append(&mut page.findings);
        for (used, page_used) in process.iter_mut().zip(page.plates.process) {
            *used |= page_used;
        }
        spots.append(&mut page.plates.spots);
        reports.push(page.report);
    }
    let mut plates: Vec<String> = ["Cyan", "Magenta", "Yellow", "Black"]
        .iter()
        .zip(process)
        .filter(|(_, used)| *used)
        .map(|(name, _)| (*name).to_owned())
        .collect();
    plates.extend(spots);
    findings.sort_by_key(|f| (f.level != Level::Error, f.page));
    let overprint =
        (profile == Profile::Print).then(|| BlackOverprint::of(expect.overprint_black, &reports));
    Ok(Report { profile, pages: reports, plates, overprint, findings })
}

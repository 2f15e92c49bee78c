//! The preflight's rules: what a page's marks and boxes must satisfy for a profile, each
//! concern in its own module, and what the page's line of the report says.

mod boxes;
mod colour;
mod fonts;
mod images;
mod ink;
mod overprint;
pub mod pdfx;
mod strokes;
mod text;

use std::collections::BTreeSet;

use crate::pdf::Boxes;
use crate::profile::Profile;

use super::Expect;
use super::page::marks::Marks;
use super::report::{Finding, Level, PageReport};

/// The printing plates a page needs.
#[derive(Debug, Default)]
pub struct Plates {
    /// Cyan, magenta, yellow, black.
    pub process: [bool; 4],
    /// Spot inks, by name.
    pub spots: BTreeSet<String>,
}

/// A page judged: its report line, its findings, its plates.
#[derive(Debug)]
pub struct Judged {
    /// What the page contains.
    pub report: PageReport,
    /// What is wrong with it.
    pub findings: Vec<Finding>,
    /// The plates it prints on.
    pub plates: Plates,
}

/// A page being judged: what the rules read and write.
struct Judge<'a> {
    profile: Profile,
    expect: &'a Expect,
    boxes: &'a Boxes,
    marks: &'a Marks,
    judged: Judged,
}

impl Judge<'_> {
    /// Checking for the print profile (what is only a warning elsewhere can be an error).
    fn print(&self) -> bool {
        self.profile == Profile::Print
    }

    fn report(&mut self) -> &mut PageReport {
        &mut self.judged.report
    }

    fn find(&mut self, level: Level, check: &'static str, message: String) {
        let page = Some(self.judged.report.page);
        self.judged.findings.push(Finding { level, page, check, message });
    }

    fn error(&mut self, check: &'static str, message: String) {
        self.find(Level::Error, check, message);
    }
}

/// Judges page `number` (1-based) by its `boxes` and `marks`, for `profile` and what the
/// file is `expect`ed to do.
pub fn page(
    profile: Profile,
    expect: &Expect,
    number: usize,
    boxes: &Boxes,
    marks: &Marks,
) -> Judged {
    let report = PageReport { page: number, ..PageReport::default() };
    let judged = Judged { report, findings: Vec::new(), plates: Plates::default() };
    let mut judge = Judge { profile, expect, boxes, marks, judged };
    boxes::judge(&mut judge);
    fonts::judge(&mut judge);
    colour::judge(&mut judge);
    text::judge(&mut judge);
    strokes::judge(&mut judge);
    images::judge(&mut judge);
    ink::judge(&mut judge);
    overprint::judge(&mut judge);
    if judge.print() && marks.transparency {
        judge.error("transparency", "the page uses transparency, which PDF/X-1a forbids".into());
    }
    if marks.unreadable {
        // For print an unchecked page must not be called ready.
        let level = if judge.print() { Level::Error } else { Level::Warning };
        judge.find(level, "content", "a content stream could not be read to its end".into());
    }
    judge.judged
}

/// The smaller of a running minimum and a new value.
fn least(min: Option<f64>, value: f64) -> Option<f64> {
    Some(min.map_or(value, |m| m.min(value)))
}

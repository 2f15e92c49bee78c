//! `kaiho check`: validate and typeset volumes without writing anything.

use super::{Error, Prepared, prepare_issue};
use crate::cli::CheckArgs;
use crate::diag::Diagnostic;
use crate::project::SERIES_FILE;
use crate::report::Reporter;

/// Runs `kaiho check`; every file is checked and every problem printed before it returns.
pub fn run(args: &CheckArgs, reporter: &mut Reporter) -> Result<(), Error> {
    let mut failed = false;
    for volume in &args.volumes {
        // `kaiho check data/*.yaml` names the series file too; it is checked with each volume.
        if volume.file_name().is_some_and(|n| n == SERIES_FILE) {
            continue;
        }
        let Checked { diagnostics, pages, past } = match check_one(volume, args, reporter) {
            Ok(checked) => checked,
            Err(Error::Diagnostics(d)) => Checked { diagnostics: d, pages: None, past: None },
            Err(e) => Checked {
                diagnostics: vec![Diagnostic::error(volume, e.to_string())],
                pages: None,
                past: None,
            },
        };
        reporter.print(&diagnostics);
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let bad = errors > 0 || (args.strict && warnings > 0);
        failed |= bad;
        let mut summary = match (errors, warnings, pages) {
            (0, 0, Some(pages)) => format!("ok, {pages} pages"),
            (0, w, Some(pages)) => format!("ok, {pages} pages, {w} warning(s)"),
            (e, w, _) => format!("{e} error(s), {w} warning(s)"),
        };
        if let Some(pdf) = past {
            summary.push_str(&format!(" (a past issue: {pdf})"));
        }
        println!("{}: {summary}", volume.display());
    }
    if failed { Err(Error::Failed) } else { Ok(()) }
}

/// What checking one volume found.
struct Checked {
    /// Its problems, or its warnings.
    diagnostics: Vec<Diagnostic>,
    /// Its pages, when it could be typeset (or its PDF read).
    pages: Option<usize>,
    /// For a past issue, the PDF that was checked.
    past: Option<String>,
}

/// Checks one volume.
fn check_one(
    volume: &std::path::Path,
    args: &CheckArgs,
    reporter: &mut Reporter,
) -> Result<Checked, Error> {
    let (loaded, engine) = match prepare_issue(volume, &args.input, &args.fonts, reporter)? {
        Prepared::Typeset(prepared) => *prepared,
        Prepared::Past(past) => {
            let (mut diagnostics, pages) = crate::past::check(&past);
            diagnostics.extend(past.warnings);
            return Ok(Checked { diagnostics, pages, past: Some(past.past.pdf_written) });
        }
    };
    let mut warnings = loaded.warnings.clone();
    let profile = args.output_args.profile.for_layout(args.output_args.marks);
    match engine.typeset(&loaded, &profile) {
        Ok(typeset) => {
            if args.quality {
                print_quality(&typeset);
            }
            warnings.extend(typeset.warnings);
            Ok(Checked {
                diagnostics: warnings,
                pages: Some(typeset.document.pages().len()),
                past: None,
            })
        }
        Err(mut problems) => {
            problems.extend(warnings);
            Ok(Checked { diagnostics: problems, pages: None, past: None })
        }
    }
}

/// One line per page: how it is composed and measured (`--quality`).
fn print_quality(typeset: &crate::typeset::Typeset) {
    let c = &typeset.composition;
    for (q, page) in crate::composition::quality::measure(&typeset.document, c).iter().zip(&c.pages)
    {
        println!(
            "  page {}: body {} pt, {} column(s) of {} characters, {} rows, fill {:.0}%, tallest empty band {:.1} mm, empty rows {:.0}%, tallest hole in a column {:.1} mm, lines p95 {:.1} characters ({} lines)",
            q.page,
            c.body,
            page.grid.columns,
            page.grid.chars,
            page.rows.len(),
            page.fill * 100.0,
            q.tallest_band_mm,
            q.empty_rows * 100.0,
            q.tallest_hole_mm,
            q.line_p95,
            q.lines,
        );
    }
}

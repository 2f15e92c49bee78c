//! `kaiho check`: validate and typeset volumes without writing anything.

use super::{Error, prepare};
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
        let (diagnostics, pages) = match check_one(volume, args, reporter) {
            Ok(outcome) => outcome,
            Err(Error::Diagnostics(d)) => (d, None),
            Err(e) => (vec![Diagnostic::error(volume, e.to_string())], None),
        };
        reporter.print(&diagnostics);
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let bad = errors > 0 || (args.strict && warnings > 0);
        failed |= bad;
        let summary = match (errors, warnings, pages) {
            (0, 0, Some(pages)) => format!("ok, {pages} pages"),
            (0, w, Some(pages)) => format!("ok, {pages} pages, {w} warning(s)"),
            (e, w, _) => format!("{e} error(s), {w} warning(s)"),
        };
        println!("{}: {summary}", volume.display());
    }
    if failed { Err(Error::Failed) } else { Ok(()) }
}

/// Checks one volume; returns its warnings and page count, or its problems.
fn check_one(
    volume: &std::path::Path,
    args: &CheckArgs,
    reporter: &mut Reporter,
) -> Result<(Vec<Diagnostic>, Option<usize>), Error> {
    let (loaded, engine) = prepare(volume, &args.input, &args.fonts, reporter)?;
    let mut warnings = loaded.warnings.clone();
    let profile = args.output_args.profile.for_layout(args.output_args.marks);
    match engine.typeset(&loaded, &profile) {
        Ok(typeset) => {
            if args.quality {
                print_quality(&typeset);
            }
            warnings.extend(typeset.warnings);
            Ok((warnings, Some(typeset.document.pages().len())))
        }
        Err(mut problems) => {
            problems.extend(warnings);
            Ok((problems, None))
        }
    }
}

/// One line per page: how it is composed and measured (`--quality`).
fn print_quality(typeset: &crate::typeset::Typeset) {
    let c = &typeset.composition;
    for (q, page) in
        crate::composition::quality::measure(&typeset.document, c.body).iter().zip(&c.pages)
    {
        println!(
            "  page {}: body {} pt, {} column(s) of {} characters, {} rows, fill {:.0}%, tallest empty band {:.1} mm, empty rows {:.0}%, lines p95 {:.1} characters ({} lines)",
            q.page,
            c.body,
            page.grid.columns,
            page.grid.chars,
            page.rows.len(),
            page.fill * 100.0,
            q.tallest_band_mm,
            q.empty_rows * 100.0,
            q.line_p95,
            q.lines,
        );
    }
}

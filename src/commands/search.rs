//! `kaiho search`: find a term across all volumes, typeset and past.

use std::path::Path;

use super::Error;
use crate::archive::{self, MANIFEST, Manifest};
use crate::cli::SearchArgs;
use crate::diag::Diagnostic;
use crate::past::text::{From, PastText};
use crate::project::{self, LoadedIssue, LoadedPast};
use crate::report::Reporter;

/// Runs `kaiho search`: one line per match, oldest volume first; exit 1 when nothing is
/// found (as grep does).
pub fn run(args: &SearchArgs, reporter: &mut Reporter) -> Result<(), Error> {
    if args.term.trim().is_empty() {
        return Err(Error::Diagnostics(vec![
            Diagnostic::error(&args.data, "the search term is empty")
                .hint("e.g. kaiho search 脱炭素"),
        ]));
    }
    let files = archive::volume_files(&args.data).map_err(Error::Archive)?;
    let manifest: Option<Manifest> = std::fs::read(args.archive.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let mut hits = Vec::new();
    for file in &files {
        match project::load_issue(file, None) {
            Ok(LoadedIssue::Typeset(loaded)) => {
                hits.extend(crate::search::find(&loaded.volume, &args.term))
            }
            Ok(LoadedIssue::Past(loaded)) => {
                reporter.add_source(&loaded.volume_file.path, &loaded.volume_file.text);
                let (text, warning) = past_text(&loaded, manifest.as_ref(), args);
                reporter.print(&warning.into_iter().collect::<Vec<_>>());
                let p = &loaded.past;
                let found = crate::search::find_in_pages(
                    p.number,
                    &p.issue,
                    &p.pdf_written,
                    &text,
                    &args.term,
                );
                hits.extend(found);
            }
            Err(failure) => {
                for f in &failure.sources {
                    reporter.add_source(&f.path, &f.text);
                }
                reporter.print(&failure.diagnostics);
            }
        }
    }
    hits.sort_by_key(|h| (h.volume, h.page));
    for h in &hits {
        println!("VOL.{} ({})  page {}  {}  {}", h.volume, h.issue, h.page, h.path, h.context);
    }
    let volumes: std::collections::BTreeSet<u32> = hits.iter().map(|h| h.volume).collect();
    match hits.first() {
        Some(first) => {
            println!(
                "{}: {} match(es) in {} volume(s); first in VOL.{} ({})",
                args.term,
                hits.len(),
                volumes.len(),
                first.volume,
                first.issue
            );
            Ok(())
        }
        None => {
            println!("{}: not found in {} volume(s)", args.term, files.len());
            Err(Error::Failed)
        }
    }
}

/// A past issue's text: as the archive keeps it, when it was archived from this very PDF;
/// else its text layer, read now. Pages nothing read are named in a warning.
fn past_text(
    loaded: &LoadedPast,
    manifest: Option<&Manifest>,
    args: &SearchArgs,
) -> (PastText, Option<Diagnostic>) {
    if let Some(text) = archived(loaded, manifest, &args.archive) {
        let unread: Vec<(usize, String)> = text
            .pages
            .iter()
            .filter(|p| p.from == From::Unread)
            .map(|p| (p.page, crate::past::NO_OCR.to_owned()))
            .collect();
        return (text, crate::past::unread_warning(loaded, &unread));
    }
    let Ok((_, doc)) = crate::past::open(loaded) else {
        return (PastText::default(), None);
    };
    let (text, unread) = crate::past::read_text(&doc, &crate::past::pages(&doc), None);
    let warning = (!unread.is_empty()).then(|| {
        let pages: Vec<String> = unread.iter().map(|(p, _)| p.to_string()).collect();
        let message = format!(
            "VOL.{}: page {} of `{}` has no readable text, and the archive {} holds none read by OCR",
            loaded.past.number,
            pages.join(", "),
            loaded.past.pdf_written,
            args.archive.display()
        );
        let hint = match crate::past::ocr::find() {
            Some(_) => format!(
                "`kaiho archive {} -o {}` reads such pages by OCR",
                args.data.display(),
                args.archive.display()
            ),
            None => crate::past::ocr::HOW_TO_ENABLE.to_owned(),
        };
        Diagnostic::warning(&loaded.volume_file.path, message)
            .at(loaded.past.pdf_at)
            .path("pdf")
            .hint(hint)
    });
    (text, warning)
}

/// The text the archive keeps of `loaded`, if it was archived from the same PDF bytes and
/// the text file is intact.
fn archived(loaded: &LoadedPast, manifest: Option<&Manifest>, folder: &Path) -> Option<PastText> {
    let record = manifest?.volumes.iter().find(|v| v.volume == loaded.past.number)?;
    let text = record.text.as_ref()?;
    let pdf = std::fs::read(&loaded.past.pdf).ok()?;
    if record.supplied.as_ref()?.sha256 != archive::sha256(&pdf) {
        return None;
    }
    let bytes = std::fs::read(folder.join(&text.file)).ok()?;
    (archive::sha256(&bytes) == text.sha256).then(|| serde_json::from_slice(&bytes).ok())?
}

//! `kaiho search`: find a term across all volumes.

use super::Error;
use crate::archive;
use crate::cli::SearchArgs;
use crate::project;
use crate::report::Reporter;

/// Runs `kaiho search`: one line per match, oldest volume first; exit 1 when nothing is
/// found (as grep does).
pub fn run(args: &SearchArgs, reporter: &mut Reporter) -> Result<(), Error> {
    if args.term.trim().is_empty() {
        return Err(Error::Diagnostics(vec![
            crate::diag::Diagnostic::error(&args.data, "the search term is empty")
                .hint("e.g. kaiho search 脱炭素"),
        ]));
    }
    let files = archive::volume_files(&args.data).map_err(Error::Archive)?;
    let mut hits = Vec::new();
    for file in &files {
        match project::load(file, None) {
            Ok(loaded) => hits.extend(crate::search::find(&loaded.volume, &args.term)),
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

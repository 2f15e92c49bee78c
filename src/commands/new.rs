//! `kaiho new`: scaffold the next volume.

use std::path::Path;

use super::Error;
use crate::cli::NewArgs;
use crate::diag::Diagnostic;
use crate::project::{self, Loaded, LoadedIssue, LoadedPast};
use crate::report::Reporter;
use crate::scaffold::After;

/// Runs `kaiho new`; never overwrites an existing file. After a past issue, the blocks come
/// from the series' last typeset volume.
pub fn run(args: &NewArgs, reporter: &mut Reporter) -> Result<(), Error> {
    if args.volume.exists() {
        return Err(Error::Diagnostics(vec![
            Diagnostic::error(&args.volume, "the file already exists")
                .hint("choose a new file name, e.g. the next volN.yaml"),
        ]));
    }
    let previous = project::load_issue(&args.from, None).map_err(|f| {
        for file in &f.sources {
            reporter.add_source(&file.path, &file.text);
        }
        Error::Diagnostics(f.diagnostics)
    })?;
    let name =
        |p: &Path| p.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let (after, structure, from, shown) = match &previous {
        LoadedIssue::Typeset(l) => {
            let v = &l.volume;
            let after = After { number: v.number, issue: &v.issue, date: v.date };
            (after, l.clone(), name(&args.from), args.from.display().to_string())
        }
        LoadedIssue::Past(p) => {
            let last = last_typeset(&args.from, p)?;
            let blocks = &last.volume_file.path;
            let from =
                format!("{} (a past issue), with the blocks of {}", name(&args.from), name(blocks));
            let shown = format!(
                "{} (a past issue), with the blocks of {}",
                args.from.display(),
                blocks.display()
            );
            let past = &p.past;
            (After { number: past.number, issue: &past.issue, date: past.date }, last, from, shown)
        }
    };
    let schema = structure
        .volume_file
        .text
        .lines()
        .next()
        .filter(|l| l.starts_with("# yaml-language-server:"));
    let yaml = crate::scaffold::next_volume(after, &structure.volume, &from, schema);
    crate::output::write_atomic(&args.volume, yaml.as_bytes())
        .map_err(|source| Error::Write { path: args.volume.clone(), source })?;
    println!("{}  VOL.{}  from {shown}", args.volume.display(), after.number + 1);
    Ok(())
}

/// The series' last typeset volume (the highest number) in the folder of a past issue:
/// what a volume after a past issue takes its blocks from.
fn last_typeset(from: &Path, past: &LoadedPast) -> Result<Loaded, Error> {
    let folder = from.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let files = crate::archive::volume_files(folder).map_err(Error::Archive)?;
    let last = files
        .iter()
        .filter_map(|f| match project::load_issue(f, None) {
            Ok(LoadedIssue::Typeset(l)) => Some(l),
            _ => None,
        })
        .max_by_key(|l| l.volume.number);
    last.ok_or_else(|| {
        Error::Diagnostics(vec![
            Diagnostic::error(
                &past.volume_file.path,
                format!(
                    "VOL.{} is a past issue, and no volume in {} is typeset by kaiho yet: there are no blocks to start from",
                    past.past.number,
                    folder.display()
                ),
            )
            .hint("write the first typeset volume by hand (README: The data format), then `kaiho new` continues from it"),
        ])
    })
}

//! `kaiho build`: typeset one volume and write its PDF or PNG proofs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Error, Prepared, prepare_issue, typeset_loaded};
use crate::cli::{BuildArgs, Format};
use crate::export;
use crate::output::write_atomic;
use crate::profile::Profile;
use crate::project::LoadedPast;
use crate::report::Reporter;
use crate::typeset::today;

/// Runs `kaiho build`; of a past issue it writes nothing and says where its PDF is.
pub fn run(args: &BuildArgs, reporter: &mut Reporter) -> Result<(), Error> {
    let start = Instant::now();
    let (loaded, engine) = match prepare_issue(&args.volume, &args.input, &args.fonts, reporter)? {
        Prepared::Typeset(prepared) => *prepared,
        Prepared::Past(past) => {
            past_issue(&args.volume, &past, reporter);
            return Ok(());
        }
    };
    let typeset = typeset_loaded(&loaded, &engine, &args.output_args, reporter)?;
    let profile = args.output_args.profile;
    let pages = typeset.document.pages().len();
    let mut preflight_problems = Vec::new();

    let written: Vec<(PathBuf, usize)> = match args.format {
        Format::Pdf => {
            let timestamp = export::timestamp(today(loaded.volume.date));
            let bytes =
                export::pdf(&typeset.document, &loaded.series, &loaded.volume, timestamp, profile)
                    .map_err(Error::Diagnostics)?;
            let path =
                args.output.clone().unwrap_or_else(|| default_output(&args.volume, profile, "pdf"));
            crate::trace::mark(|| "PDF exported".into());
            // What goes to the print shop is checked before anyone sends it (while the file
            // is written: both only read the bytes). The file is kept either way, for
            // inspection; problems make the build fail.
            let expect =
                crate::preflight::Expect { overprint_black: loaded.series.print.overprint_black };
            let report = std::thread::scope(|scope| {
                let preflight = (profile == Profile::Print).then(|| {
                    scope.spawn(|| crate::preflight::check_with(&bytes, profile, &expect))
                });
                write(&path, &bytes)?;
                crate::trace::mark(|| "written".into());
                let report =
                    preflight.map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
                report.transpose().map_err(|source| Error::Preflight { path: path.clone(), source })
            })?;
            if let Some(report) = report {
                crate::trace::mark(|| "preflight checked".into());
                preflight_problems = report.findings.iter().map(|f| f.diagnostic(&path)).collect();
            }
            vec![(path, bytes.len())]
        }
        Format::Png => {
            let guides = args.guides.then(|| guides(profile));
            let images = crate::proof::pages(&typeset.document, args.ppi, guides)
                .map_err(|d| Error::Diagnostics(vec![d]))?;
            let pattern =
                args.output.clone().unwrap_or_else(|| default_output(&args.volume, profile, "png"));
            let mut written = Vec::new();
            for (i, bytes) in images.iter().enumerate() {
                let path = page_path(&pattern, i + 1);
                write(&path, bytes)?;
                written.push((path, bytes.len()));
            }
            written
        }
    };
    crate::trace::mark(|| "done".into());
    let elapsed = start.elapsed().as_secs_f64();
    for (path, size) in written {
        println!("{}  {pages} pages  {}  {elapsed:.2} s", path.display(), human_size(size));
    }
    if preflight_problems.iter().any(crate::diag::Diagnostic::is_error) {
        return Err(Error::Diagnostics(preflight_problems));
    }
    reporter.print(&preflight_problems);
    Ok(())
}

/// A past issue has nothing to typeset: its PDF is the issue (exit 0, nothing written).
fn past_issue(volume: &Path, past: &LoadedPast, reporter: &mut Reporter) {
    reporter.print(&past.warnings);
    let p = &past.past;
    println!(
        "{}: VOL.{} ({}) is a past issue: its PDF is {}; nothing to build (`kaiho archive` keeps the PDF as it is)",
        volume.display(),
        p.number,
        p.issue,
        p.pdf.display()
    );
}

/// The guides of a proof for `profile`: its bleed, and the 3 mm safe area.
pub fn guides(profile: Profile) -> crate::proof::Guides {
    crate::proof::Guides {
        bleed_mm: profile.for_layout(false).bleed,
        safe_mm: crate::preflight::SAFE_MARGIN_PT / 72.0 * 25.4,
    }
}

/// Writes an output file atomically, naming it in the error.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic(path, bytes).map_err(|source| Error::Write { path: path.to_path_buf(), source })
}

/// `data/vol10.yaml` → `out/vol10.pdf` for print, `out/vol10-screen.pdf` for other profiles.
pub fn default_output(volume: &Path, profile: Profile, extension: &str) -> PathBuf {
    let stem = volume.file_stem().map_or_else(|| "volume".into(), |s| s.to_string_lossy());
    match profile {
        Profile::Print => Path::new("out").join(format!("{stem}.{extension}")),
        other => Path::new("out").join(format!("{stem}-{}.{extension}", other.name())),
    }
}

/// The file of page `page` for a PNG output: `{p}` replaced, or `-N` before the extension.
fn page_path(pattern: &Path, page: usize) -> PathBuf {
    let text = pattern.to_string_lossy();
    if text.contains("{p}") {
        return PathBuf::from(text.replace("{p}", &page.to_string()));
    }
    let stem = pattern.file_stem().map_or_else(|| "page".into(), |s| s.to_string_lossy());
    let extension = pattern.extension().map_or_else(|| "png".into(), |s| s.to_string_lossy());
    pattern.with_file_name(format!("{stem}-{page}.{extension}"))
}

pub fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", (bytes as f64 / 1024.0).ceil())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_pages_are_numbered() {
        assert_eq!(page_path(Path::new("out/vol10.png"), 2), PathBuf::from("out/vol10-2.png"));
        assert_eq!(page_path(Path::new("p{p}.png"), 1), PathBuf::from("p1.png"));
        let vol10 = Path::new("data/vol10.yaml");
        assert_eq!(default_output(vol10, Profile::Print, "pdf"), PathBuf::from("out/vol10.pdf"));
        let screen = default_output(vol10, Profile::Screen, "pdf");
        assert_eq!(screen, PathBuf::from("out/vol10-screen.pdf"));
    }
}

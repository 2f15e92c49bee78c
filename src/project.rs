//! A volume file together with its series: located, read, parsed and validated.
//!
//! The series file is `series.yaml` in the volume's folder unless named; the project folder
//! (for `fonts/`) is the volume's folder or its parent, whichever has a `fonts/` folder.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::model::{Issue, PastIssue, Series, Volume};
use crate::raw::{RawSeries, RawVolume};
use crate::source::SourceFile;
use crate::validate;

/// The series file's name, looked for next to the volume.
pub const SERIES_FILE: &str = "series.yaml";

/// A validated volume and series, with their source texts kept for messages.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The series file as read.
    pub series_file: SourceFile,
    /// The validated series.
    pub series: Series,
    /// The volume file as read.
    pub volume_file: SourceFile,
    /// The validated volume.
    pub volume: Volume,
    /// Warnings found while validating.
    pub warnings: Vec<Diagnostic>,
}

/// A past issue and its series, with their source texts kept for messages.
#[derive(Debug, Clone)]
pub struct LoadedPast {
    /// The series file as read.
    pub series_file: SourceFile,
    /// The validated series.
    pub series: Series,
    /// The volume file as read.
    pub volume_file: SourceFile,
    /// The validated past issue.
    pub past: PastIssue,
    /// Warnings found while validating.
    pub warnings: Vec<Diagnostic>,
}

/// A volume file as loaded: a volume to typeset, or a past issue.
#[derive(Debug, Clone)]
pub enum LoadedIssue {
    /// Pages kaiho typesets.
    Typeset(Loaded),
    /// A PDF made before kaiho.
    Past(LoadedPast),
}

impl LoadedIssue {
    /// VOL.n.
    pub fn number(&self) -> u32 {
        match self {
            Self::Typeset(l) => l.volume.number,
            Self::Past(p) => p.past.number,
        }
    }
}

/// Problems found while loading, with the texts needed to quote them.
#[derive(Debug, Default)]
pub struct LoadFailure {
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// The files that were read, for quoting lines.
    pub sources: Vec<SourceFile>,
}

/// Where the series file of `volume` is, unless given.
pub fn series_path(volume: &Path, series: Option<&Path>) -> PathBuf {
    match series {
        Some(path) => path.to_path_buf(),
        None => volume.parent().unwrap_or(Path::new("")).join(SERIES_FILE),
    }
}

/// The project's `fonts/` folder for a volume, if there is one.
pub fn project_fonts(volume: &Path) -> Option<PathBuf> {
    let folder = std::path::absolute(volume).ok()?.parent()?.to_path_buf();
    [folder.join("fonts"), folder.parent()?.join("fonts")].into_iter().find(|p| p.is_dir())
}

/// Reads and validates a series file on its own.
pub fn load_series(path: &Path) -> Result<Series, Vec<Diagnostic>> {
    let file = SourceFile::read(path).map_err(|d| vec![d])?;
    let raw: RawSeries = file.parse().map_err(|d| vec![d])?;
    validate::series(&file, &raw)
}

/// Reads and validates a volume to typeset and its series; reports every problem of both
/// files. A past issue is a problem here: it has nothing to typeset.
pub fn load(volume_path: &Path, series: Option<&Path>) -> Result<Loaded, LoadFailure> {
    match load_issue(volume_path, series)? {
        LoadedIssue::Typeset(loaded) => Ok(loaded),
        LoadedIssue::Past(p) => Err(LoadFailure {
            diagnostics: vec![not_typeset(&p)],
            sources: vec![p.volume_file, p.series_file],
        }),
    }
}

/// The error for a past issue where a volume to typeset was expected.
pub fn not_typeset(p: &LoadedPast) -> Diagnostic {
    let message = format!(
        "VOL.{} ({}) is a past issue, not typeset by kaiho: its PDF is {}",
        p.past.number,
        p.past.issue,
        p.past.pdf.display()
    );
    Diagnostic::error(&p.volume_file.path, message)
        .at(p.past.pdf_at)
        .path("pdf")
        .hint("kaiho archives a past issue as it is; `kaiho check` checks its PDF")
}

/// Reads and validates a volume file of either kind and its series; reports every problem
/// of both files.
pub fn load_issue(volume_path: &Path, series: Option<&Path>) -> Result<LoadedIssue, LoadFailure> {
    let mut failure = LoadFailure::default();
    let series_path = series_path(volume_path, series);

    let series = read_and(&series_path, &mut failure, |file| {
        let raw: RawSeries = file.parse().map_err(|d| vec![d])?;
        validate::series(file, &raw)
    });
    let volume = read_and(volume_path, &mut failure, |file| {
        let raw: RawVolume = file.parse().map_err(|d| vec![d])?;
        validate::volume(file, &raw)
    });
    match (series, volume) {
        (Some((series_file, Ok(series))), Some((volume_file, Ok((issue, warnings))))) => {
            Ok(match issue {
                Issue::Typeset(volume) => LoadedIssue::Typeset(Loaded {
                    series_file,
                    series,
                    volume_file,
                    volume,
                    warnings,
                }),
                Issue::Past(past) => LoadedIssue::Past(LoadedPast {
                    series_file,
                    series,
                    volume_file,
                    past,
                    warnings,
                }),
            })
        }
        (series, volume) => {
            if let Some((file, result)) = series {
                failure.diagnostics.extend(result.err().unwrap_or_default());
                failure.sources.push(file);
            }
            if let Some((file, result)) = volume {
                failure.diagnostics.extend(match result {
                    Ok((_, warnings)) => warnings,
                    Err(diagnostics) => diagnostics,
                });
                failure.sources.push(file);
            }
            Err(failure)
        }
    }
}

/// Reads `path` and runs `then` on it; a file that cannot be read is recorded in `failure`.
fn read_and<T>(
    path: &Path,
    failure: &mut LoadFailure,
    then: impl FnOnce(&SourceFile) -> Result<T, Vec<Diagnostic>>,
) -> Option<(SourceFile, Result<T, Vec<Diagnostic>>)> {
    match SourceFile::read(path) {
        Ok(file) => {
            let result = then(&file);
            Some((file, result))
        }
        Err(d) => {
            failure.diagnostics.push(d);
            None
        }
    }
}

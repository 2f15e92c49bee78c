//! The archive: every volume of a series kept for good — typeset volumes built to PDF/A and
//! print PDF, past issues copied as supplied with their text read for search — with a
//! catalogue and a manifest of hashes that makes byte-for-byte reprints checkable years
//! later.
//!
//! A volume is rebuilt only when something that shapes its bytes changed: its source, the
//! series file, the fonts, the layout or kaiho itself (for a past issue: its PDF, or OCR
//! that can now read pages it could not). `verify` makes everything again in memory and
//! says, for each file that differs, which of those changed — or that the file on disk was
//! altered.

mod catalogue;
mod manifest;
mod past;
mod verify;
mod volume;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::fonts::FontSearch;
use crate::layout::Layout;
use crate::model::{Date, Series};
use crate::project::{self, LoadedIssue, SERIES_FILE};
use crate::typeset::{Engine, EngineError};

pub use self::catalogue::themes;
pub use self::manifest::{
    FontRecord, MANIFEST, Manifest, Output, SUPPLIED, Source, TextRecord, VolumeRecord,
};
pub use self::past::TEXT_FOLDER;
pub use self::verify::{Difference, verify};

/// The catalogue's file name.
pub const INDEX: &str = "index.pdf";

/// Why the archive could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No volume files in the folder.
    #[error("no volume files (*.yaml besides {SERIES_FILE}) in {0}")]
    Empty(PathBuf),
    /// Fonts or layout could not be set up.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// Problems in volumes (located).
    #[error("{} problem(s) in the volumes", .0.len())]
    Diagnostics(Vec<Diagnostic>),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io { path: path.to_path_buf(), source }
}

/// SHA-256 as lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The volume files of a folder, sorted by name.
pub fn volume_files(folder: &Path) -> Result<Vec<PathBuf>, ArchiveError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(io(folder))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .filter(|p| p.file_name().is_some_and(|n| n != SERIES_FILE))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ArchiveError::Empty(folder.to_path_buf()));
    }
    Ok(files)
}

/// The stable base name of a volume's files, e.g. `komoro-brand-vol010-2024-02`.
pub fn base_name(slug: &str, number: u32, date: Date) -> String {
    format!("{slug}-vol{number:03}-{:04}-{:02}", date.year, date.month)
}

/// What happened to one volume.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Built and written.
    Built(VolumeRecord),
    /// Unchanged since the manifest; not rebuilt.
    Unchanged(VolumeRecord),
}

/// Options of an archive run.
pub struct Options<'a> {
    /// The folder of volumes (with its `series.yaml`).
    pub data: &'a Path,
    /// The archive folder.
    pub out: &'a Path,
    /// Rebuild everything.
    pub force: bool,
    /// Worker threads.
    pub jobs: usize,
    /// Where fonts are found.
    pub fonts: FontSearch,
    /// A layout folder that overrides the built-in one.
    pub layout_dir: Option<&'a Path>,
}

/// The pieces every volume's build shares.
struct Context {
    engine: Engine,
    manifest_head: Manifest,
    previous: Option<Manifest>,
}

fn context(options: &Options, series_file: &Path) -> Result<(Context, Series), ArchiveError> {
    // An empty folder is reported before fonts are loaded.
    volume_files(options.data)?;
    let series = project::load_series(series_file).map_err(ArchiveError::Diagnostics)?;
    let engine = Engine::for_series(&series, &options.fonts, options.layout_dir)?;
    let mut fonts = Vec::new();
    let mut hashes: BTreeMap<PathBuf, String> = BTreeMap::new();
    for face in engine.fonts().faces() {
        let sha = match hashes.get(&face.path) {
            Some(sha) => sha.clone(),
            None => {
                let bytes = std::fs::read(&face.path).map_err(io(&face.path))?;
                let sha = sha256(&bytes);
                hashes.insert(face.path.clone(), sha.clone());
                sha
            }
        };
        fonts.push(FontRecord {
            family: face.family,
            variant: face.variant,
            file: face.path.display().to_string(),
            sha256: sha,
        });
    }
    let series_bytes = std::fs::read(series_file).map_err(io(series_file))?;
    let head = Manifest {
        kaiho: env!("CARGO_PKG_VERSION").into(),
        typst: "0.15.1".into(),
        layout: layout_hash(engine.layout()),
        series: Source { file: series_file.display().to_string(), sha256: sha256(&series_bytes) },
        fonts,
        volumes: Vec::new(),
        index: None,
    };
    let previous = std::fs::read(options.out.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    Ok((Context { engine, manifest_head: head, previous }, series))
}

fn layout_hash(layout: &Layout) -> String {
    let mut hasher = Sha256::new();
    for (name, bytes) in &layout.files {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One volume's archive files, in memory: its manifest record, its files `(name, bytes)`
/// and the thumbnail of its first page.
struct Built {
    record: VolumeRecord,
    files: Vec<(String, Vec<u8>)>,
    thumbnail: Vec<u8>,
}

fn thumbnail_path(out: &Path, record: &VolumeRecord) -> PathBuf {
    let base = record.outputs.first().map_or("volume", |o| o.file.trim_end_matches(".pdf"));
    out.join("thumbnails").join(format!("{base}.png"))
}

/// Whether a volume's files in `out` are as its record says, thumbnail included.
fn intact(record: &VolumeRecord, out: &Path) -> bool {
    record
        .outputs
        .iter()
        .all(|o| std::fs::read(out.join(&o.file)).is_ok_and(|b| sha256(&b) == o.sha256))
        && thumbnail_path(out, record).is_file()
}

/// Builds the archive; `progress` is told of each finished volume.
pub fn build(
    options: &Options,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(Manifest, Vec<Outcome>, Vec<Diagnostic>), ArchiveError> {
    let series_file = options.data.join(SERIES_FILE);
    let (ctx, series) = context(options, &series_file)?;
    let files = volume_files(options.data)?;
    for folder in ["thumbnails", past::TEXT_FOLDER] {
        std::fs::create_dir_all(options.out.join(folder)).map_err(io(options.out))?;
    }

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<VolumeResult>> = Mutex::new(Vec::new());
    let failure: Mutex<Option<ArchiveError>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let result = archive_one(&ctx, options, &series_file, file);
                    // Bound memory over a long run: drop Typst's cached results that
                    // were not used by the last few compilations.
                    typst::comemo::evict(8);
                    match result {
                        Ok(r) => {
                            progress(&file.display().to_string());
                            results.lock().unwrap_or_else(|e| e.into_inner()).push(r);
                        }
                        Err(e) => {
                            *failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                            break;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let mut outcomes = Vec::new();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    for r in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        match r {
            Ok((outcome, w)) => {
                outcomes.push(outcome);
                warnings.extend(w);
            }
            Err(d) => problems.extend(d),
        }
    }
    if !problems.is_empty() {
        return Err(ArchiveError::Diagnostics(problems));
    }
    let record = |o: &Outcome| match o {
        Outcome::Built(r) | Outcome::Unchanged(r) => r.clone(),
    };
    outcomes.sort_by_key(|o| record(o).volume);
    // Two files claiming one volume number would write the same archive files.
    for pair in outcomes.windows(2) {
        let (a, b) = (record(&pair[0]), record(&pair[1]));
        if a.volume == b.volume {
            return Err(ArchiveError::Diagnostics(vec![
                Diagnostic::error(
                    &b.source.file,
                    format!("VOL.{} is also {}", b.volume, a.source.file),
                )
                .hint("each volume file needs its own volume number"),
            ]));
        }
    }
    let mut manifest = ctx.manifest_head.clone();
    manifest.volumes = outcomes.iter().map(record).collect();

    let any_built = outcomes.iter().any(|o| matches!(o, Outcome::Built(_)));
    let index_intact =
        ctx.previous.as_ref().and_then(|p| p.index.clone()).filter(|i| {
            std::fs::read(options.out.join(&i.file)).is_ok_and(|b| sha256(&b) == i.sha256)
        });
    manifest.index = match index_intact {
        // Kept only if no volume was rebuilt, added or removed.
        Some(index)
            if !any_built
                && !options.force
                && ctx.previous.as_ref().is_some_and(|p| p.volumes == manifest.volumes) =>
        {
            Some(index)
        }
        _ => {
            let (bytes, pages) = catalogue::catalogue(
                &ctx.engine,
                &series,
                &manifest,
                options.out,
                options.layout_dir,
            )
            .map_err(ArchiveError::Diagnostics)?;
            write(&options.out.join(INDEX), &bytes)?;
            Some(Output {
                file: INDEX.into(),
                profile: "archive".into(),
                sha256: sha256(&bytes),
                pages,
                bytes: bytes.len(),
            })
        }
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest is valid JSON");
    write(&options.out.join(MANIFEST), &json)?;
    Ok((manifest, outcomes, warnings))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    crate::output::write_atomic(path, bytes).map_err(io(path))
}

type VolumeResult = Result<(Outcome, Vec<Diagnostic>), Vec<Diagnostic>>;

fn archive_one(
    ctx: &Context,
    options: &Options,
    series_file: &Path,
    file: &Path,
) -> Result<VolumeResult, ArchiveError> {
    let source = std::fs::read(file).map_err(io(file))?;
    let source_sha = sha256(&source);
    let loaded = match project::load_issue(file, Some(series_file)) {
        Ok(l) => l,
        Err(f) => return Ok(Err(f.diagnostics)),
    };
    let (built, warnings) = match loaded {
        LoadedIssue::Typeset(loaded) => {
            if !options.force
                && let Some(record) =
                    volume::unchanged(ctx, &source_sha, loaded.volume.number, options.out)
            {
                return Ok(Ok((Outcome::Unchanged(record), Vec::new())));
            }
            match volume::build(ctx, &loaded, source_sha) {
                Ok(built) => (built, loaded.warnings),
                Err(d) => return Ok(Err(d)),
            }
        }
        LoadedIssue::Past(loaded) => {
            let pdf = &loaded.past.pdf;
            let bytes = std::fs::read(pdf).map_err(io(pdf))?;
            let supplied_sha = sha256(&bytes);
            let number = loaded.past.number;
            if !options.force
                && let Some(record) =
                    past::unchanged(ctx, &source_sha, &supplied_sha, number, options.out)
            {
                // Pages still unread are named on every run, until OCR can read them.
                let unread = record.text.iter().flat_map(|t| &t.unread);
                let unread: Vec<_> = unread.map(|&p| (p, crate::past::NO_OCR.to_owned())).collect();
                let warning = crate::past::unread_warning(&loaded, &unread);
                return Ok(Ok((Outcome::Unchanged(record), warning.into_iter().collect())));
            }
            match past::build(&loaded, source_sha, bytes) {
                Ok((built, mut warnings)) => {
                    warnings.extend(loaded.warnings);
                    (built, warnings)
                }
                Err(d) => return Ok(Err(d)),
            }
        }
    };
    for (name, bytes) in &built.files {
        write(&options.out.join(name), bytes)?;
    }
    write(&thumbnail_path(options.out, &built.record), &built.thumbnail)?;
    Ok(Ok((Outcome::Built(built.record), warnings)))
}

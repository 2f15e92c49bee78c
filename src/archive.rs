//! The archive: every volume of a series built to PDF/A and print PDF, a catalogue, and a
//! manifest of hashes that makes byte-for-byte reprints checkable years later.
//!
//! A volume is rebuilt only when something that shapes its bytes changed: its source, the
//! series file, the fonts, the layout or kaiho itself. `verify` rebuilds everything in
//! memory and says, for each file that differs, which of those changed — or that the
//! file on disk was altered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::export;
use crate::fonts::FontSearch;
use crate::layout::Layout;
use crate::model::{BlockKind, Series, Volume};
use crate::profile::Profile;
use crate::project::{self, Loaded, SERIES_FILE};
use crate::typeset::{Engine, EngineError, today};
use crate::world::KaihoWorld;

/// The manifest's file name in the archive folder.
pub const MANIFEST: &str = "manifest.json";
/// The catalogue's file name.
pub const INDEX: &str = "index.pdf";
/// Resolution of the catalogue's thumbnails: ~180 ppi at their printed 34 mm, and small,
/// since the catalogue holds every thumbnail decoded while it is typeset.
const THUMBNAIL_PPI: f32 = 30.0;

/// What `manifest.json` records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// kaiho's version.
    pub kaiho: String,
    /// Typst's version.
    pub typst: String,
    /// SHA-256 of the layout's files.
    pub layout: String,
    /// The series file.
    pub series: Source,
    /// The fonts used.
    pub fonts: Vec<FontRecord>,
    /// The volumes, by number.
    pub volumes: Vec<VolumeRecord>,
    /// The catalogue.
    pub index: Option<Output>,
}

/// A source file and its hash.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// Path as given.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// A font face used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FontRecord {
    /// Family name.
    pub family: String,
    /// Style and weight.
    pub variant: String,
    /// The font file.
    pub file: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// One volume of the archive.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VolumeRecord {
    /// VOL.n.
    pub volume: u32,
    /// Issue label.
    pub issue: String,
    /// Publication date.
    pub date: String,
    /// The volume file.
    pub source: Source,
    /// The files made from it.
    pub outputs: Vec<Output>,
}

/// An output file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Output {
    /// File name in the archive folder.
    pub file: String,
    /// Profile it was made with.
    pub profile: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Pages.
    pub pages: usize,
    /// Size in bytes.
    pub bytes: usize,
}

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
pub fn base_name(series: &Series, volume: &Volume) -> String {
    format!(
        "{}-vol{:03}-{:04}-{:02}",
        series.slug, volume.number, volume.date.year, volume.date.month
    )
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

/// One built volume: its manifest record, its files `(name, bytes)`, and the thumbnail of
/// its first page.
struct Built {
    record: VolumeRecord,
    files: Vec<(String, Vec<u8>)>,
    thumbnail: Vec<u8>,
}

fn build_volume(
    ctx: &Context,
    loaded: &Loaded,
    source_sha: String,
) -> Result<Built, Vec<Diagnostic>> {
    let (series, volume) = (&loaded.series, &loaded.volume);
    let base = base_name(series, volume);
    let stamp = export::timestamp(today(volume.date));
    let mut outputs = Vec::new();
    let mut files = Vec::new();
    let mut thumbnail = Vec::new();
    for (profile, suffix) in [(Profile::Archive, ""), (Profile::Print, "-print")] {
        let typeset = ctx.engine.typeset(loaded, &profile.for_layout(false))?;
        let bytes = export::pdf(&typeset.document, series, volume, stamp, profile)?;
        if profile == Profile::Archive {
            let first = typeset.document.pages().first().map(|page| {
                let options = typst_render::RenderOptions {
                    pixel_per_pt: typst::utils::Scalar::new(f64::from(THUMBNAIL_PPI) / 72.0),
                    render_bleed: false,
                };
                opaque_png(&typst_render::render(page, &options))
            });
            thumbnail = first.unwrap_or_default();
        }
        let file = format!("{base}{suffix}.pdf");
        outputs.push(Output {
            file: file.clone(),
            profile: profile.name().into(),
            sha256: sha256(&bytes),
            pages: typeset.document.pages().len(),
            bytes: bytes.len(),
        });
        files.push((file, bytes));
    }
    let record = VolumeRecord {
        volume: volume.number,
        issue: volume.issue.clone(),
        date: volume.date.to_string(),
        source: Source { file: loaded.volume_file.path.display().to_string(), sha256: source_sha },
        outputs,
    };
    Ok(Built { record, files, thumbnail })
}

/// A rendered page as an RGB PNG (a page is opaque; an alpha channel would only become a
/// soft mask in the catalogue).
fn opaque_png(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
    let rgb: Vec<u8> = pixmap.data().chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let image = image::RgbImage::from_raw(pixmap.width(), pixmap.height(), rgb);
    let mut out = std::io::Cursor::new(Vec::new());
    if let Some(image) = image {
        let _ = image.write_to(&mut out, image::ImageFormat::Png);
    }
    out.into_inner()
}

/// Whether a volume can be kept as the previous run left it.
fn unchanged(ctx: &Context, source_sha: &str, number: u32, out: &Path) -> Option<VolumeRecord> {
    let previous = ctx.previous.as_ref()?;
    let head = &ctx.manifest_head;
    let same_inputs = previous.kaiho == head.kaiho
        && previous.layout == head.layout
        && previous.series.sha256 == head.series.sha256
        && previous.fonts == head.fonts;
    let record = previous.volumes.iter().find(|v| v.volume == number)?;
    let files_intact = record
        .outputs
        .iter()
        .all(|o| std::fs::read(out.join(&o.file)).is_ok_and(|b| sha256(&b) == o.sha256));
    (same_inputs
        && record.source.sha256 == source_sha
        && files_intact
        && thumbnail_path(out, record).is_file())
    .then(|| record.clone())
}

fn thumbnail_path(out: &Path, record: &VolumeRecord) -> PathBuf {
    let base = record.outputs.first().map_or("volume", |o| o.file.trim_end_matches(".pdf"));
    out.join("thumbnails").join(format!("{base}.png"))
}

/// Builds the archive; `progress` is told of each finished volume.
pub fn build(
    options: &Options,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(Manifest, Vec<Outcome>, Vec<Diagnostic>), ArchiveError> {
    let series_file = options.data.join(SERIES_FILE);
    let (ctx, series) = context(options, &series_file)?;
    let files = volume_files(options.data)?;
    std::fs::create_dir_all(options.out.join("thumbnails")).map_err(io(options.out))?;

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
            let bytes = catalogue(&ctx.engine, &series, &manifest, options.out)
                .map_err(ArchiveError::Diagnostics)?;
            write(&options.out.join(INDEX), &bytes)?;
            Some(Output {
                file: INDEX.into(),
                profile: "archive".into(),
                sha256: sha256(&bytes),
                pages: 0,
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
    let loaded = match project::load(file, Some(series_file)) {
        Ok(l) => l,
        Err(f) => return Ok(Err(f.diagnostics)),
    };
    if !options.force
        && let Some(record) = unchanged(ctx, &source_sha, loaded.volume.number, options.out)
    {
        return Ok(Ok((Outcome::Unchanged(record), Vec::new())));
    }
    let built = match build_volume(ctx, &loaded, source_sha) {
        Ok(b) => b,
        Err(d) => return Ok(Err(d)),
    };
    for (name, bytes) in &built.files {
        write(&options.out.join(name), bytes)?;
    }
    write(&thumbnail_path(options.out, &built.record), &built.thumbnail)?;
    Ok(Ok((Outcome::Built(built.record), loaded.warnings)))
}

/// The catalogue: for each volume its first page, number, issue, date and themes.
fn catalogue(
    engine: &Engine,
    series: &Series,
    manifest: &Manifest,
    out: &Path,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct Entry {
        volume: u32,
        issue: String,
        date: String,
        file: String,
        themes: Vec<String>,
        thumbnail: Option<String>,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        series: &'a Series,
        volumes: Vec<Entry>,
        document: BTreeMap<&'static str, String>,
    }
    let mut images = Vec::new();
    let mut entries = Vec::new();
    for (i, record) in manifest.volumes.iter().enumerate() {
        let themes =
            project::load(Path::new(&record.source.file), Some(Path::new(&manifest.series.file)))
                .map(|l| themes(&l.volume))
                .unwrap_or_default();
        let thumb = std::fs::read(thumbnail_path(out, record)).ok().filter(|b| !b.is_empty());
        let thumbnail = thumb.map(|bytes| {
            let path = format!("/images/{i}.png");
            images.push((
                path.clone(),
                thumbnail_path(out, record),
                typst::foundations::Bytes::new(bytes),
            ));
            path
        });
        let file = record.outputs.first().map(|o| o.file.clone()).unwrap_or_default();
        entries.push(Entry {
            volume: record.volume,
            issue: record.issue.clone(),
            date: record.date.clone(),
            file,
            themes,
            thumbnail,
        });
    }
    let last = manifest.volumes.iter().map(|v| v.date.clone()).max().unwrap_or_default();
    let date = crate::validate::parse_date(&last).unwrap_or(crate::model::Date {
        year: 2024,
        month: 1,
        day: 1,
    });
    let document = BTreeMap::from([
        ("title", format!("{} 総目次", series.title)),
        ("author", series.publisher.name.clone()),
    ]);
    let data =
        serde_json::to_vec(&Data { series, volumes: entries, document }).expect("valid JSON");
    let layout = Layout::load("_catalogue", None)
        .map_err(|e| vec![Diagnostic::error("catalogue", e.to_string())])?;
    let world = KaihoWorld::new(engine.fonts_arc(), &layout, data, images, today(date));
    let (document, _) = crate::typeset::compile(&world)?;
    let stamp = export::timestamp(today(date));
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("{}/index", series.slug)),
        creator: typst::foundations::Smart::Custom(Some(export::creator())),
        timestamp: Some(typst_pdf::Timestamp::new_utc(stamp)),
        standards: typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .expect("PDF/A-2b alone is valid"),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| {
        e.iter().map(|d| Diagnostic::error("index.pdf", d.message.to_string())).collect()
    })
}

/// The themes of a volume: its headlines, section themes and priority themes.
pub fn themes(volume: &Volume) -> Vec<String> {
    let mut out = Vec::new();
    for block in volume.pages.iter().flat_map(|p| &p.blocks) {
        match &block.kind {
            BlockKind::Headline(h) => out.push(h.title.plain()),
            BlockKind::Section(s) => out.push(s.theme.plain()),
            BlockKind::Manifesto(m) => out.extend(m.priorities.iter().map(|p| p.theme.plain())),
            BlockKind::Event(e) => out.push(e.title.plain()),
            BlockKind::Text(t) => out.extend(t.heading.as_ref().map(|h| h.plain())),
            BlockKind::Table(t) => out.extend(t.caption.as_ref().map(|c| c.plain())),
            BlockKind::Qa(q) => out.extend(q.title.as_ref().map(|t| t.plain())),
            BlockKind::Gallery(g) => out.extend(g.title.as_ref().map(|t| t.plain())),
            _ => {}
        }
    }
    out
}

/// One difference `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The file.
    pub file: String,
    /// Why it differs.
    pub reasons: Vec<String>,
}

/// Rebuilds every volume in memory and compares with the manifest and the files.
pub fn verify(options: &Options) -> Result<(usize, Vec<Difference>), ArchiveError> {
    let manifest_path = options.out.join(MANIFEST);
    let bytes = std::fs::read(&manifest_path).map_err(io(&manifest_path))?;
    let recorded: Manifest = serde_json::from_slice(&bytes).map_err(|e| ArchiveError::Io {
        path: manifest_path.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    let series_file = options.data.join(SERIES_FILE);
    let (ctx, _) = context(options, &series_file)?;
    let head = &ctx.manifest_head;
    let mut common = Vec::new();
    if head.kaiho != recorded.kaiho {
        common.push(format!("kaiho changed ({} → {})", recorded.kaiho, head.kaiho));
    }
    if head.fonts != recorded.fonts {
        let changed: Vec<String> = head
            .fonts
            .iter()
            .filter(|f| !recorded.fonts.contains(f))
            .map(|f| format!("{} {} ({})", f.family, f.variant, f.file))
            .collect();
        common.push(format!("fonts changed: {}", changed.join(", ")));
    }
    if head.layout != recorded.layout {
        common.push("the layout changed".into());
    }
    if head.series.sha256 != recorded.series.sha256 {
        common.push(format!("the series file changed ({})", recorded.series.file));
    }
    let mut differences = Vec::new();
    let mut checked = 0;
    for record in &recorded.volumes {
        let file = Path::new(&record.source.file);
        let source = std::fs::read(file).ok();
        let source_changed = source.as_ref().is_none_or(|b| sha256(b) != record.source.sha256);
        let loaded = project::load(file, Some(&series_file))
            .map_err(|f| ArchiveError::Diagnostics(f.diagnostics))?;
        let built = build_volume(&ctx, &loaded, record.source.sha256.clone())
            .map_err(ArchiveError::Diagnostics)?;
        typst::comemo::evict(8);
        for output in &record.outputs {
            checked += 1;
            let rebuilt =
                built.files.iter().find(|(name, _)| *name == output.file).map(|(_, b)| sha256(b));
            let on_disk = std::fs::read(options.out.join(&output.file)).ok().map(|b| sha256(&b));
            let mut reasons = Vec::new();
            if rebuilt.as_deref() != Some(output.sha256.as_str()) {
                if source_changed {
                    reasons.push(format!("the source changed ({})", record.source.file));
                }
                reasons.extend(common.iter().cloned());
                if reasons.is_empty() {
                    reasons.push("the rebuilt bytes differ, though no input changed".into());
                }
            }
            match on_disk {
                None => reasons.push("the file is missing".into()),
                Some(sha) if sha != output.sha256 => {
                    reasons.push("the file itself was altered since it was archived".into())
                }
                _ => {}
            }
            if !reasons.is_empty() {
                differences.push(Difference { file: output.file.clone(), reasons });
            }
        }
    }
    Ok((checked, differences))
}

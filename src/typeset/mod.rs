//! Typesetting: a validated volume goes through the layout and Typst into a paged document.
//!
//! The [`Engine`] holds what is expensive and shared between volumes (fonts, the layout);
//! each call builds a [`KaihoWorld`] with the volume's data, composes its pages (measuring
//! compiles, then the search of `composition`), compiles the chosen composition, turns
//! Typst's diagnostics into kaiho's, and checks what Typst does not: that every block
//! landed on the page it was written for, and that every glyph exists.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use typst::World;
use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::Datetime;
use typst::syntax::DiagSpan;
use typst_layout::PagedDocument;

use crate::composition::memo::Memo;
use crate::composition::rules::{self, Rules, RulesError};
use crate::composition::{Composition, measure};
use crate::coverage;
use crate::diag::{Diagnostic, Position, Severity};
use crate::fonts::{FontError, FontSearch, FontSet};
use crate::images::{self, Prepared};
use crate::layout::{Layout, LayoutError};
use crate::model::{Date, Series, Volume};
use crate::profile::{LayoutProfile, Profile};
use crate::project::Loaded;
use crate::world::KaihoWorld;

mod compose;

use self::compose::{measuring_inputs, overflow_reports};

/// Everything that stays the same while many volumes are typeset: fonts and the layout.
pub struct Engine {
    fonts: Arc<FontSet>,
    layout: Layout,
    /// The layout's composition rules.
    rules: Rules,
    /// Measurements remembered between builds (see `composition::memo`).
    memo: Memo,
    /// Whether to use the memo at all (benchmarks of measuring turn it off).
    remembering: bool,
    /// What measuring reads besides the volume's data: the layout's files and the fonts'
    /// identities, as bytes for the memo's fingerprint.
    measuring: Vec<u8>,
}

/// A typeset volume.
pub struct Typeset {
    /// The pages.
    pub document: PagedDocument,
    /// Warnings from the layout and from the checks.
    pub warnings: Vec<Diagnostic>,
    /// The composition the pages were drawn from.
    pub composition: Composition,
}

/// The document information the layout sets.
#[derive(Serialize)]
struct DocumentInfo {
    title: String,
    author: String,
}

/// What the layout receives as `/volume.json`.
#[derive(Serialize)]
struct LayoutData<'a> {
    series: &'a Series,
    volume: &'a Volume,
    /// What the output is for: colour model, bleed, links, crop marks.
    profile: &'a LayoutProfile,
    /// The PDF's title and author, as the PDF/X metadata also says them.
    document: DocumentInfo,
    /// What to draw: the chosen composition (absent while measuring).
    composition: Option<&'a Composition>,
    /// What to measure instead of drawing pages (see `composition::measure`).
    measure: Option<&'a measure::Measure>,
}

/// Why an engine could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The fonts could not be set up.
    #[error(transparent)]
    Font(#[from] FontError),
    /// The layout could not be found or read.
    #[error(transparent)]
    Layout(#[from] LayoutError),
    /// The layout's composition rules are missing or wrong.
    #[error(transparent)]
    Rules(#[from] RulesError),
}

impl Engine {
    /// The engine for a series: its font families found along `search`, its layout from
    /// `layout_dir` or built in.
    pub fn for_series(
        series: &Series,
        search: &FontSearch,
        layout_dir: Option<&Path>,
    ) -> Result<Self, EngineError> {
        build_colour_transform_ahead();
        let fonts = Arc::new(FontSet::discover_and_load(search, &series.fonts.families())?);
        let layout = Layout::load(&series.layout, layout_dir)?;
        Self::new(fonts, layout)
    }

    /// This engine, remembering measurements (the default) or measuring every block at
    /// every build: what is built is the same either way, only the time differs.
    pub fn remembering(mut self, on: bool) -> Self {
        self.remembering = on;
        self
    }

    /// The layout in use.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Composes and compiles a volume as it comes out, even when a page does not fit —
    /// to show the page with the block that runs over. No other checks.
    pub fn compile_as_is(
        &self,
        loaded: &Loaded,
        profile: &LayoutProfile,
    ) -> Result<PagedDocument, Vec<Diagnostic>> {
        let (mut world, photos, _) = self
            .world(&loaded.series, &loaded.volume, &loaded.volume_file.path, profile)
            .map_err(|d| vec![d])?;
        let (trial, _) = self.compose(&mut world, loaded, &photos, profile)?;
        let composition = trial.composition(loaded.series.paper, &self.rules);
        let shown = images::with_prepared_paths(&loaded.volume, &photos);
        world.set_data(
            layout_data(&loaded.series, &shown, profile, Some(&composition), None)
                .map_err(|d| vec![d])?,
        );
        compile(&world).map(|(document, _)| document)
    }

    /// An engine over the given fonts and layout, with the layout's composition rules (a
    /// layout without a `composition.toml` is composed by the built-in leaflet's rules).
    fn new(fonts: Arc<FontSet>, layout: Layout) -> Result<Self, EngineError> {
        let rules = match layout.files.get(rules::FILE) {
            Some(text) => {
                let file = layout.display_path(rules::FILE).display().to_string();
                Rules::parse(&file, &String::from_utf8_lossy(text))?
            }
            None => Rules::parse("layouts/leaflet/composition.toml", rules::LEAFLET)?,
        };
        let measuring = measuring_inputs(&fonts, &layout);
        Ok(Self { fonts, layout, rules, memo: Memo::default(), remembering: true, measuring })
    }

    /// The layout's composition rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The fonts in use.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// The fonts in use, shared (for other documents typeset with them).
    pub fn fonts_arc(&self) -> Arc<FontSet> {
        self.fonts.clone()
    }

    /// Builds the virtual project of one volume without compiling it; the photos are read
    /// and, for print, converted (see `images`).
    pub fn world(
        &self,
        series: &Series,
        volume: &Volume,
        volume_file: &Path,
        profile: &LayoutProfile,
    ) -> Result<(KaihoWorld, Vec<Prepared>, Vec<Diagnostic>), Diagnostic> {
        let (photos, notes) = images::prepare(volume, volume_file, profile.name)?;
        let data = layout_data(
            series,
            &images::with_prepared_paths(volume, &photos),
            profile,
            None,
            None,
        )?;
        let files = photos
            .iter()
            .map(|p| (p.virtual_path.clone(), p.file.clone(), p.bytes.clone()))
            .collect();
        let world =
            KaihoWorld::new(self.fonts.clone(), &self.layout, data, files, today(volume.date));
        Ok((world, photos, notes))
    }

    /// Typesets a loaded volume: checks its characters against the fonts, compiles it, and
    /// checks that every block stayed on its page (shrinking blocks the layout lets shrink,
    /// and compiling again) and that every glyph exists.
    pub fn typeset(
        &self,
        loaded: &Loaded,
        profile: &LayoutProfile,
    ) -> Result<Typeset, Vec<Diagnostic>> {
        let (series, volume) = (&loaded.series, &loaded.volume);
        let volume_file = loaded.volume_file.path.as_path();
        let mut missing =
            coverage::check_texts(&series.texts, &self.fonts, &loaded.series_file.path);
        missing.extend(coverage::check_texts(&volume.texts, &self.fonts, volume_file));
        if !missing.is_empty() {
            return Err(missing);
        }
        let (mut world, photos, notes) =
            self.world(series, volume, volume_file, profile).map_err(|d| vec![d])?;
        let (trial, mut warnings) = self.compose(&mut world, loaded, &photos, profile)?;
        let composition = trial.composition(series.paper, &self.rules);
        let overflow = overflow_reports(&composition, volume, volume_file);
        if !overflow.is_empty() {
            return Err(overflow);
        }
        let shown = images::with_prepared_paths(volume, &photos);
        world.set_data(
            layout_data(series, &shown, profile, Some(&composition), None).map_err(|d| vec![d])?,
        );
        crate::trace::mark(|| "compile".into());
        let (document, layout_warnings) = compile(&world)?;
        crate::trace::mark(|| "compiled".into());
        let mut problems = crate::placement::check(&document, volume, volume_file);
        problems.extend(coverage::check_document(&document, volume_file));
        if profile.name == Profile::Print {
            problems.extend(images::resolution(&document, &photos, volume_file));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        warnings.extend(layout_warnings);
        warnings.extend(notes);
        self.fonts.remember_usage();
        Ok(Typeset { document, warnings, composition })
    }
}

/// The files of a volume's virtual project, as `eject` writes them: path (without the
/// leading `/`) and contents.
pub fn project_files(
    engine: &Engine,
    loaded: &Loaded,
    profile: &LayoutProfile,
    composition: &Composition,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let (photos, _) = images::prepare(&loaded.volume, &loaded.volume_file.path, profile.name)?;
    let shown = images::with_prepared_paths(&loaded.volume, &photos);
    let mut files = vec![
        ("main.typ".to_owned(), crate::world::MAIN.as_bytes().to_vec()),
        (
            "volume.json".to_owned(),
            layout_data(&loaded.series, &shown, profile, Some(composition), None)?,
        ),
    ];
    for (relative, bytes) in &engine.layout.files {
        files.push((format!("layout/{relative}"), bytes.clone()));
    }
    for photo in &photos {
        files.push((photo.virtual_path.trim_start_matches('/').to_owned(), photo.bytes.to_vec()));
    }
    Ok(files)
}

/// The JSON the layout reads as `/volume.json`.
fn layout_data(
    series: &Series,
    volume: &Volume,
    profile: &LayoutProfile,
    composition: Option<&Composition>,
    measure: Option<&measure::Measure>,
) -> Result<Vec<u8>, Diagnostic> {
    let data = LayoutData::new(series, volume, profile, composition, measure);
    serde_json::to_vec(&data).map_err(cannot_encode)
}

fn cannot_encode(e: serde_json::Error) -> Diagnostic {
    Diagnostic::error("volume.json", format!("cannot encode the volume for the layout: {e}"))
}

impl<'a> LayoutData<'a> {
    fn new(
        series: &'a Series,
        volume: &'a Volume,
        profile: &'a LayoutProfile,
        composition: Option<&'a Composition>,
        measure: Option<&'a measure::Measure>,
    ) -> Self {
        let document = DocumentInfo {
            title: crate::export::document_title(series, volume),
            author: series.publisher.name.clone(),
        };
        Self { series, volume, profile, document, composition, measure }
    }
}

/// Builds Typst's CMYK → sRGB transform on another thread while the fonts are found. Typst
/// builds it on first use (a colour lookup table: about 14 ms on one core, measured with
/// `KAIHO_TIMINGS`), and the layout's palette needs it as the compile begins, to keep small
/// coloured text legible; started here, the compile finds it ready (VOL.10: 11 ms less
/// wall time, `scripts/bench-pair`, 40 pairs). On one core it would only compete.
/// Once per process: the table lives as long as it (the archive and the live preview set up
/// engines again).
fn build_colour_transform_ahead() {
    use typst::visualize::{Cmyk, Color, ProcessColor};
    static STARTED: std::sync::Once = std::sync::Once::new();
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return;
    }
    STARTED.call_once(|| {
        // A thread that cannot be started only means no head start.
        let _ = std::thread::Builder::new().name("kaiho-colour".into()).spawn(|| {
            let grey = Color::Process(ProcessColor::Cmyk(Cmyk { c: 0.0, m: 0.0, y: 0.0, k: 0.5 }));
            std::hint::black_box(grey.to_rgb());
            crate::trace::mark(|| "colour transform built".into());
        });
    });
}

/// The date Typst's `datetime.today()` answers, and the PDF's creation date.
pub fn today(date: Date) -> Datetime {
    Datetime::from_ymd(date.year, date.month, date.day).expect("validated dates exist")
}

/// Compiles a world; Typst's errors and warnings become kaiho's diagnostics.
pub fn compile(world: &KaihoWorld) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let result = crate::trace::typst_timed(
        || typst::compile::<PagedDocument>(world),
        |span| span_line(world, typst::syntax::Span::from_raw(span)),
    );
    let mut warnings: Vec<Diagnostic> = result.warnings.iter().map(|w| convert(world, w)).collect();
    match result.output {
        Ok(document) => Ok((document, warnings)),
        Err(errors) => {
            let mut all: Vec<Diagnostic> = errors.iter().map(|e| convert(world, e)).collect();
            all.append(&mut warnings);
            Err(all)
        }
    }
}

/// Where a span of a layout file is: the file as the user knows it, and the 1-based line
/// and column (when the span has a range).
fn locate(world: &KaihoWorld, span: DiagSpan) -> Option<(PathBuf, Option<Position>)> {
    let id = span.id()?;
    let file = world.origin(id)?.clone();
    let position = world.range(span).and_then(|range| {
        let source = world.source(id).ok()?;
        let (line, column) = source.lines().byte_to_line_column(range.start)?;
        Some(Position { line: line as u32 + 1, column: column as u32 + 1 })
    });
    Some((file, position))
}

/// The layout file and line of a span, for Typst's timings.
fn span_line(world: &KaihoWorld, span: typst::syntax::Span) -> (String, u32) {
    match locate(world, span.into()) {
        Some((file, position)) => (file.display().to_string(), position.map_or(0, |p| p.line)),
        None => (String::new(), 0),
    }
}

/// Turns a Typst diagnostic into kaiho's, pointing into the layout file it came from.
fn convert(world: &KaihoWorld, diagnostic: &SourceDiagnostic) -> Diagnostic {
    let severity = match diagnostic.severity {
        TypstSeverity::Error => Severity::Error,
        TypstSeverity::Warning => Severity::Warning,
    };
    // Errors raised inside Typst's own functions point at the layout line that called them.
    let span = std::iter::once(diagnostic.span)
        .chain(diagnostic.trace.iter().rev().map(|t| t.span.into()))
        .find(|s| s.id().is_some_and(|id| world.origin(id).is_some()));
    let (file, position) = span
        .and_then(|span| locate(world, span))
        .unwrap_or_else(|| (PathBuf::from("layout"), None));
    let mut d = Diagnostic::error(file, diagnostic.message.to_string()).at(position);
    d.severity = severity;
    let hints: Vec<String> = diagnostic.hints.iter().map(|h| h.v.to_string()).collect();
    if !hints.is_empty() {
        d = d.hint(hints.join("; "));
    }
    d
}

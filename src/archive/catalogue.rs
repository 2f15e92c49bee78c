//! The catalogue (総目次, `index.pdf`): every volume, past and typeset, in order — its first
//! page, number, issue, date, pages and themes — typeset by kaiho with the `_catalogue`
//! layout. The layout gets the entries as data (JSON), never as markup.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::{Manifest, thumbnail_path};
use crate::diag::Diagnostic;
use crate::export;
use crate::layout::Layout;
use crate::model::{BlockKind, Date, Series, Volume};
use crate::project::{self, LoadedIssue};
use crate::typeset::{Engine, today};
use crate::world::KaihoWorld;

/// One volume as the catalogue lists it.
#[derive(Serialize)]
struct Entry {
    volume: u32,
    issue: String,
    date: String,
    year: i32,
    file: String,
    pages: usize,
    /// Archived as supplied (a past issue), not typeset by kaiho.
    past: bool,
    note: Option<String>,
    themes: Vec<String>,
    thumbnail: Option<String>,
}

/// What the layout gets.
#[derive(Serialize)]
struct Data<'a> {
    series: &'a Series,
    volumes: Vec<Entry>,
    document: BTreeMap<&'static str, String>,
}

/// The catalogue as PDF/A-2b bytes, with its page count. A `_catalogue` folder in
/// `layout_dir` takes the built-in layout's place.
pub(super) fn catalogue(
    engine: &Engine,
    series: &Series,
    manifest: &Manifest,
    out: &Path,
    layout_dir: Option<&Path>,
) -> Result<(Vec<u8>, usize), Vec<Diagnostic>> {
    let mut images = Vec::new();
    let mut entries = Vec::new();
    let series_file = Path::new(&manifest.series.file);
    for (i, record) in manifest.volumes.iter().enumerate() {
        let (themes, note) =
            match project::load_issue(Path::new(&record.source.file), Some(series_file)) {
                Ok(LoadedIssue::Typeset(l)) => (themes(&l.volume), None),
                Ok(LoadedIssue::Past(p)) => (p.past.themes, p.past.note),
                Err(_) => (Vec::new(), None),
            };
        let thumb = std::fs::read(thumbnail_path(out, record)).ok().filter(|b| !b.is_empty());
        let thumbnail = thumb.map(|bytes| {
            let path = format!("/images/{i}.png");
            let bytes = typst::foundations::Bytes::new(bytes);
            images.push((path.clone(), thumbnail_path(out, record), bytes));
            path
        });
        let first = record.outputs.first();
        let date = crate::validate::parse_date(&record.date);
        entries.push(Entry {
            volume: record.volume,
            issue: record.issue.clone(),
            date: record.date.clone(),
            year: date.map_or(0, |d| d.year),
            file: first.map(|o| o.file.clone()).unwrap_or_default(),
            pages: first.map_or(0, |o| o.pages),
            past: record.is_past(),
            note,
            themes,
            thumbnail,
        });
    }
    let last = manifest.volumes.iter().map(|v| v.date.clone()).max().unwrap_or_default();
    let date = crate::validate::parse_date(&last).unwrap_or(Date { year: 2024, month: 1, day: 1 });
    let document = BTreeMap::from([
        ("title", format!("{} 総目次", series.title)),
        ("author", series.publisher.name.clone()),
    ]);
    let data =
        serde_json::to_vec(&Data { series, volumes: entries, document }).expect("valid JSON");
    let layout = Layout::load("_catalogue", layout_dir)
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
    let bytes = typst_pdf::pdf(&document, &options).map_err(|e| {
        e.iter().map(|d| Diagnostic::error("index.pdf", d.message.to_string())).collect::<Vec<_>>()
    })?;
    Ok((bytes, document.pages().len()))
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

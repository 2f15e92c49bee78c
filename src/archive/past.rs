//! A past issue, archived as it is: its PDF copied byte for byte under the archive's name,
//! recorded as supplied; its text read for search (by OCR where it has none) and kept as
//! JSON; its first page rendered for the catalogue.

use std::path::Path;

use super::{
    Built, Context, Output, SUPPLIED, Source, TextRecord, VolumeRecord, base_name, sha256,
    thumbnail_path,
};
use crate::diag::Diagnostic;
use crate::past::text::{From, PastText};
use crate::past::{self, ocr};
use crate::project::LoadedPast;

/// The folder of the archive that holds past issues' texts.
pub const TEXT_FOLDER: &str = "text";

/// The archive's files of a past issue, in memory, and the warnings for pages nothing
/// could read.
pub(super) fn build(
    loaded: &LoadedPast,
    source_sha: String,
    bytes: Vec<u8>,
) -> Result<(Built, Vec<Diagnostic>), Vec<Diagnostic>> {
    let p = &loaded.past;
    let doc = past::parse(loaded, &bytes).map_err(|d| vec![d])?;
    let pages = past::pages(&doc);
    let problems = past::problems(loaded, &pages);
    if !problems.is_empty() {
        return Err(problems);
    }
    let ocr = ocr::find();
    let (text, unread) = past::read_text(&doc, &pages, ocr);
    let json = text_json(&text);
    let base = base_name(&loaded.series.slug, p.number, p.date);
    let file = format!("{base}.pdf");
    let text_file = format!("{TEXT_FOLDER}/{base}.json");
    let pages_from = |from: From| -> Vec<usize> {
        text.pages.iter().filter(|t| t.from == from).map(|t| t.page).collect()
    };
    let ocr_pages = pages_from(From::Ocr);
    let record = VolumeRecord {
        volume: p.number,
        issue: p.issue.clone(),
        date: p.date.to_string(),
        source: Source { file: loaded.volume_file.path.display().to_string(), sha256: source_sha },
        supplied: Some(Source { file: p.pdf.display().to_string(), sha256: sha256(&bytes) }),
        outputs: vec![Output {
            file: file.clone(),
            profile: SUPPLIED.into(),
            sha256: sha256(&bytes),
            pages: doc.pages().len(),
            bytes: bytes.len(),
        }],
        text: Some(TextRecord {
            file: text_file.clone(),
            sha256: sha256(&json),
            engine: ocr.filter(|_| !ocr_pages.is_empty()).map(|o| o.engine.clone()),
            ocr: ocr_pages,
            unread: pages_from(From::Unread),
        }),
    };
    let thumbnail = past::thumbnail(&doc, super::volume::THUMBNAIL_PPI);
    drop(doc);
    let warnings = past::unread_warning(loaded, &unread).into_iter().collect();
    Ok((Built { record, files: vec![(file, bytes), (text_file, json)], thumbnail }, warnings))
}

/// The text as the archive keeps it: pretty JSON, one key order, a final line break.
pub fn text_json(text: &PastText) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(text).expect("a text is valid JSON");
    json.push(b'\n');
    json
}

/// The previous run's record of a past issue, if it can be kept: the same volume file and
/// PDF, its files intact, and no OCR now at hand for pages it could not read then (nor a
/// different one than read them).
pub(super) fn unchanged(
    ctx: &Context,
    source_sha: &str,
    supplied_sha: &str,
    number: u32,
    out: &Path,
) -> Option<VolumeRecord> {
    let previous = ctx.previous.as_ref()?;
    let head = &ctx.manifest_head;
    let record = previous.volumes.iter().find(|v| v.volume == number)?;
    let supplied = record.supplied.as_ref()?;
    let text = record.text.as_ref()?;
    let engine = ocr::find().map(|o| &o.engine);
    let ocr_as_before = match engine {
        None => true,
        Some(now) => text.unread.is_empty() && text.engine.as_ref().is_none_or(|e| e == now),
    };
    let intact = super::intact(record, out)
        && std::fs::read(out.join(&text.file)).is_ok_and(|b| sha256(&b) == text.sha256)
        && thumbnail_path(out, record).is_file();
    (previous.kaiho == head.kaiho
        && previous.series.sha256 == head.series.sha256
        && record.source.sha256 == source_sha
        && supplied.sha256 == supplied_sha
        && ocr_as_before
        && intact)
        .then(|| record.clone())
}

//! `kaiho archive --verify`: every file of the archive made again in memory — typeset
//! volumes rebuilt, past issues' PDFs read and their text read again — and compared with
//! the manifest and with the files on disk, each difference with the reason kaiho can tell.

use std::path::Path;

use super::{ArchiveError, MANIFEST, Manifest, Options, VolumeRecord, context, io, sha256};
use crate::past::{self, ocr};
use crate::project::{self, LoadedIssue, LoadedPast, SERIES_FILE};

/// One difference `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The file.
    pub file: String,
    /// Why it differs.
    pub reasons: Vec<String>,
}

/// Rebuilds every volume in memory and compares with the manifest and the files; returns
/// how many files were checked and every difference.
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
    let kaiho = (head.kaiho != recorded.kaiho)
        .then(|| format!("kaiho changed ({} → {})", recorded.kaiho, head.kaiho));
    let mut common: Vec<String> = kaiho.iter().cloned().collect();
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
        let source_changed =
            std::fs::read(file).ok().is_none_or(|b| sha256(&b) != record.source.sha256);
        let source = format!("the source changed ({})", record.source.file);
        let loaded = project::load_issue(file, Some(&series_file))
            .map_err(|f| ArchiveError::Diagnostics(f.diagnostics))?;
        let (rebuilt, mut causes) = match &loaded {
            LoadedIssue::Typeset(loaded) => {
                let built = super::volume::build(&ctx, loaded, record.source.sha256.clone())
                    .map_err(ArchiveError::Diagnostics)?;
                typst::comemo::evict(8);
                let files = built.files.iter().map(|(name, b)| (name.clone(), sha256(b)));
                (files.collect(), common.clone())
            }
            LoadedIssue::Past(loaded) => {
                let (files, mut causes) = past_again(loaded, record);
                causes.extend(kaiho.iter().cloned());
                (files, causes)
            }
        };
        if source_changed {
            causes.insert(0, source);
        }
        let recorded_files = record.outputs.iter().map(|o| (&o.file, &o.sha256));
        let text = record.text.iter().map(|t| (&t.file, &t.sha256));
        for (name, sha) in recorded_files.chain(text) {
            checked += 1;
            let again = rebuilt.iter().find(|(n, _)| n == name).map(|(_, s)| s);
            let on_disk = std::fs::read(options.out.join(name)).ok().map(|b| sha256(&b));
            let mut reasons = Vec::new();
            if again != Some(sha) {
                reasons.extend(causes.iter().cloned());
                if reasons.is_empty() {
                    reasons.push("the rebuilt bytes differ, though no input changed".into());
                }
            }
            match on_disk {
                None => reasons.push("the file is missing".into()),
                Some(on_disk) if on_disk != *sha => {
                    reasons.push("the file itself was altered since it was archived".into())
                }
                _ => {}
            }
            if !reasons.is_empty() {
                differences.push(Difference { file: name.clone(), reasons });
            }
        }
    }
    Ok((checked, differences))
}

/// A past issue's archive files made again — its PDF as supplied now, its text read again
/// (by the same OCR engine, where OCR read it) — as `(file, SHA-256)`, with what changed
/// since it was archived.
fn past_again(loaded: &LoadedPast, record: &VolumeRecord) -> (Vec<(String, String)>, Vec<String>) {
    let p = &loaded.past;
    let mut causes = Vec::new();
    let Ok(bytes) = std::fs::read(&p.pdf) else {
        causes.push(format!("the supplied PDF is missing ({})", p.pdf.display()));
        return (Vec::new(), causes);
    };
    let sha = sha256(&bytes);
    if record.supplied.as_ref().is_none_or(|s| s.sha256 != sha) {
        causes.push(format!("the supplied PDF changed ({})", p.pdf.display()));
    }
    let base = super::base_name(&loaded.series.slug, p.number, p.date);
    let mut files = vec![(format!("{base}.pdf"), sha)];
    let Some(text) = &record.text else { return (files, causes) };
    let now = ocr::find();
    let engine = if text.ocr.is_empty() {
        Some(None)
    } else {
        match (now, &text.engine) {
            (Some(now), Some(then)) if now.engine == *then => Some(Some(now)),
            (now, then) => {
                let name = |e: Option<&String>| e.map_or_else(|| "none".to_owned(), Clone::clone);
                let now = now.map(|o| &o.engine);
                causes.push(format!(
                    "the OCR engine changed ({} → {})",
                    name(then.as_ref()),
                    name(now)
                ));
                None
            }
        }
    };
    if let (Some(engine), Ok(doc)) = (engine, crate::pdf::Document::read(&bytes)) {
        let (read, _) = past::read_text(&doc, &past::pages(&doc), engine);
        let json = super::past::text_json(&read);
        files.push((format!("{}/{base}.json", super::past::TEXT_FOLDER), sha256(&json)));
    }
    (files, causes)
}

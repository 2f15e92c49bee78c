//! A volume typeset by kaiho, archived: its PDF/A and print PDF, built from the source, and
//! the thumbnail of its first page.

use std::path::Path;

use super::{Built, Context, Output, Source, VolumeRecord, base_name, sha256};
use crate::diag::Diagnostic;
use crate::export;
use crate::profile::Profile;
use crate::project::Loaded;
use crate::typeset::today;

/// Resolution of the catalogue's thumbnails: ~180 ppi at their printed 34 mm, and small,
/// since the catalogue holds every thumbnail decoded while it is typeset.
pub const THUMBNAIL_PPI: f32 = 30.0;

/// Builds both PDFs of a volume, in memory.
pub(super) fn build(
    ctx: &Context,
    loaded: &Loaded,
    source_sha: String,
) -> Result<Built, Vec<Diagnostic>> {
    let (series, volume) = (&loaded.series, &loaded.volume);
    let base = base_name(&series.slug, volume.number, volume.date);
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
        supplied: None,
        outputs,
        text: None,
    };
    Ok(Built { record, files, thumbnail })
}

/// A rendered page as an RGB PNG (a page is opaque; an alpha channel would only become a
/// soft mask in the catalogue).
fn opaque_png(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
    let rgb: Vec<u8> = pixmap.data().chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    match image::RgbImage::from_raw(pixmap.width(), pixmap.height(), rgb) {
        Some(image) => crate::past::render::png(&image::DynamicImage::ImageRgb8(image)),
        None => Vec::new(),
    }
}

/// The previous run's record of a volume, if it can be kept: nothing that shapes its bytes
/// changed and its files are intact.
pub(super) fn unchanged(
    ctx: &Context,
    source_sha: &str,
    number: u32,
    out: &Path,
) -> Option<VolumeRecord> {
    let previous = ctx.previous.as_ref()?;
    let head = &ctx.manifest_head;
    let same_inputs = previous.kaiho == head.kaiho
        && previous.layout == head.layout
        && previous.series.sha256 == head.series.sha256
        && previous.fonts == head.fonts;
    let record = previous.volumes.iter().find(|v| v.volume == number && !v.is_past())?;
    (same_inputs && record.source.sha256 == source_sha && super::intact(record, out))
        .then(|| record.clone())
}

//! Export: PDF with fixed metadata for byte-identical output, and PNG proofs.

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::diag::Diagnostic;
use crate::model::{Series, Volume};

/// The PDF of a typeset volume.
///
/// Everything that would vary between runs is pinned: the document id is derived from the
/// series and volume, the creator names this kaiho version, and the creation date is the
/// volume's date (or `SOURCE_DATE_EPOCH`, as reproducible-build tools expect).
pub fn pdf(
    document: &PagedDocument,
    series: &Series,
    volume: &Volume,
    timestamp: Datetime,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let options = PdfOptions {
        ident: Smart::Custom(format!("{}/vol{}", series.slug, volume.number)),
        creator: Smart::Custom(Some(format!("kaiho {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(timestamp)),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| {
        errors.iter().map(|e| Diagnostic::error("PDF export", e.message.to_string())).collect()
    })
}

/// The creation timestamp: `SOURCE_DATE_EPOCH` if set and valid, else the volume's date.
pub fn timestamp(volume_date: Datetime) -> Datetime {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .and_then(|t| {
            Datetime::from_ymd_hms(
                t.year(),
                t.month().into(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
            )
        })
        .unwrap_or(volume_date)
}

/// One PNG per page at `ppi` pixels per inch, trimmed to the finished size.
pub fn png(document: &PagedDocument, ppi: f32) -> Result<Vec<Vec<u8>>, Diagnostic> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(ppi) / 72.0),
        render_bleed: false,
    };
    document
        .pages()
        .iter()
        .map(|page| {
            typst_render::render(page, &options).encode_png().map_err(|e| {
                Diagnostic::error("PNG export", format!("cannot encode the page: {e}"))
            })
        })
        .collect()
}

//! Export: PDF with fixed metadata for byte-identical output, and PNG proofs.

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Diagnostic;
use crate::model::{Series, Volume};
use crate::pdfx;
use crate::profile::Profile;

/// The PDF of a typeset volume.
///
/// Everything that would vary between runs is pinned: the document id is derived from the
/// series, volume and profile, the creator names this kaiho version, and the creation date
/// is the volume's date (or `SOURCE_DATE_EPOCH`, as reproducible-build tools expect). The
/// profile decides the standard: PDF 1.4 finished as PDF/X-1a:2003 for print, PDF/A-2b
/// (tagged) for the archive, plain untagged PDF 1.7 for screens.
pub fn pdf(
    document: &PagedDocument,
    series: &Series,
    volume: &Volume,
    timestamp: Datetime,
    profile: Profile,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let failed = |message: String| vec![Diagnostic::error("PDF export", message)];
    let (standards, tagged) = match profile {
        Profile::Print => (vec![PdfStandard::V_1_4], false),
        Profile::Screen => (vec![], false),
        Profile::Archive => (vec![PdfStandard::A_2b, PdfStandard::Ua_1], true),
    };
    let creator = creator();
    let options = PdfOptions {
        ident: Smart::Custom(format!("{}/vol{}/{}", series.slug, volume.number, profile.name())),
        creator: Smart::Custom(Some(creator.clone())),
        timestamp: Some(Timestamp::new_utc(timestamp)),
        standards: PdfStandards::new(&standards).map_err(|e| failed(e.message().to_string()))?,
        tagged,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(document, &options).map_err(|errors| {
        errors
            .iter()
            .map(|e| Diagnostic::error("PDF export", e.message.to_string()))
            .collect::<Vec<_>>()
    })?;
    crate::trace::mark(|| "Typst PDF written".into());
    if profile != Profile::Print {
        return Ok(bytes);
    }
    let meta = pdfx::Metadata {
        title: document_title(series, volume),
        author: series.publisher.name.clone(),
        creator,
        created: timestamp,
        bleed: crate::profile::BLEED_MM / 25.4 * 72.0,
        overprint_black: series.print.overprint_black,
    };
    pdfx::finish(&bytes, &meta).map_err(|e| failed(e.to_string()))
}

/// The creator written into every PDF: this kaiho, so that a changed kaiho shows.
pub fn creator() -> String {
    format!("kaiho {}", env!("CARGO_PKG_VERSION"))
}

/// The document title: series, volume and issue, e.g. `小諸ぶらんど通信 VOL.10 2024年2月号`.
pub fn document_title(series: &Series, volume: &Volume) -> String {
    format!("{} VOL.{} {}", series.title, volume.number, volume.issue)
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

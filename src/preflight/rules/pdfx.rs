//! The PDF/X-1a:2003 keys of the document the print profile must carry: the version and
//! trapping keys of the document information, a PDF/X output intent, PDF 1.4 at most.

use crate::pdf::{Array, Dict, Document, Name};
use crate::preflight::report::{Finding, Level};

/// The findings about the document as a whole; `bytes` is the file `doc` was read from.
pub fn findings(bytes: &[u8], doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut error = |message: String| {
        out.push(Finding { level: Level::Error, page: None, check: "pdfx", message })
    };
    // hayro-syntax does not expose the trailer, so the document information is read with
    // lopdf's metadata reader (which reads the trailer and that one dictionary, not the file).
    let info = lopdf::Document::load_metadata_mem(bytes).ok();
    let version = info.as_ref().and_then(|i| i.custom.get(b"GTS_PDFXVersion".as_slice()));
    if !matches!(version, Some(lopdf::Object::String(v, _)) if v == b"PDF/X-1a:2003") {
        error("the document information does not declare GTS_PDFXVersion PDF/X-1a:2003".into());
    }
    let trapped = info.as_ref().and_then(|i| i.trapped.as_deref());
    if !matches!(trapped, Some("True" | "False")) {
        error("/Trapped is not set to True or False".into());
    }
    let intents = doc.catalog().and_then(|c| c.get::<Array<'_>>(b"OutputIntents"));
    let pdfx_intent = intents.is_some_and(|list| {
        list.iter::<Dict<'_>>().any(|intent| {
            intent.get::<Name<'_>>(b"S").is_some_and(|s| &*s == b"GTS_PDFX")
                && intent.contains_key(b"OutputConditionIdentifier")
        })
    });
    if !pdfx_intent {
        error("there is no PDF/X output intent (e.g. JC200103, Japan Color 2001 Coated)".into());
    }
    let (major, minor) = doc.version();
    if (major, minor) > (1, 4) {
        error(format!("PDF {major}.{minor} is newer than PDF/X-1a allows (1.4)"));
    }
    out
}

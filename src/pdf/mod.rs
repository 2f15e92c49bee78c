//! Reading PDFs kaiho did not necessarily make: one reader (hayro-syntax, already in the build
//! through Typst) for documents, pages, objects and content streams, shared by the preflight
//! and by text extraction ([`text`]) for the archive.
//!
//! lopdf stays for writing (`pdfx`); everything that reads what a page draws goes through here.

pub mod content;
pub mod overprint;
pub mod text;

pub use hayro_syntax::object::{Array, Dict, Name, Object, ObjectIdentifier, Rect, Stream};
pub use hayro_syntax::page::{Page, Resources};

/// How kaiho interprets pages for their text and their pictures: the 14 standard fonts a
/// PDF may use without embedding them come from Typst's own assets (as typst-render has
/// them), and annotations are left out (only what prints counts).
pub fn interpreter_settings() -> hayro_interpret::InterpreterSettings {
    use hayro_interpret::font::{FontQuery, StandardFont};
    fn data(font: StandardFont) -> Option<(hayro_interpret::font::FontData, u32)> {
        use typst_assets::pdf;
        let bytes: &'static [u8] = match font {
            StandardFont::Helvetica => pdf::SANS,
            StandardFont::HelveticaBold => pdf::SANS_BOLD,
            StandardFont::HelveticaOblique => pdf::SANS_ITALIC,
            StandardFont::HelveticaBoldOblique => pdf::SANS_BOLD_ITALIC,
            StandardFont::Courier => pdf::FIXED,
            StandardFont::CourierBold => pdf::FIXED_BOLD,
            StandardFont::CourierOblique => pdf::FIXED_ITALIC,
            StandardFont::CourierBoldOblique => pdf::FIXED_BOLD_ITALIC,
            StandardFont::TimesRoman => pdf::SERIF,
            StandardFont::TimesBold => pdf::SERIF_BOLD,
            StandardFont::TimesItalic => pdf::SERIF_ITALIC,
            StandardFont::TimesBoldItalic => pdf::SERIF_BOLD_ITALIC,
            StandardFont::ZapfDingBats => pdf::DING_BATS,
            StandardFont::Symbol => pdf::SYMBOL,
        };
        Some((std::sync::Arc::new(bytes), 0))
    }
    hayro_interpret::InterpreterSettings {
        font_resolver: std::sync::Arc::new(|query| match query {
            FontQuery::Standard(s) => data(*s),
            FontQuery::Fallback(f) => data(f.pick_standard_font()),
        }),
        render_annotations: false,
        ..hayro_interpret::InterpreterSettings::default()
    }
}

/// Why a PDF could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Encrypted with a password kaiho does not have.
    #[error("it is encrypted with a password: export it again without one")]
    Encrypted,
    /// Not a PDF, or damaged past repair.
    #[error("it is not a PDF, or it is damaged past repair: export it again")]
    Invalid,
}

/// An opened PDF.
pub struct Document {
    pdf: hayro_syntax::Pdf,
}

impl Document {
    /// Reads `bytes` (a damaged cross-reference table is rebuilt, as viewers do).
    pub fn read(bytes: &[u8]) -> Result<Self, ReadError> {
        match hayro_syntax::Pdf::new(bytes.to_vec()) {
            Ok(pdf) => Ok(Self { pdf }),
            Err(hayro_syntax::LoadPdfError::Decryption(_)) => Err(ReadError::Encrypted),
            Err(hayro_syntax::LoadPdfError::Invalid) => Err(ReadError::Invalid),
        }
    }

    /// The pages, in order (inherited attributes and resources resolved).
    pub fn pages(&self) -> &[Page<'_>] {
        self.pdf.pages()
    }

    /// The document catalog.
    pub fn catalog(&self) -> Option<Dict<'_>> {
        let xref = self.pdf.xref();
        xref.get::<Dict<'_>>(xref.root_id())
    }

    /// The PDF version, `(major, minor)`: the catalog's `/Version` if it has one, else the
    /// header's.
    pub fn version(&self) -> (u8, u8) {
        use hayro_syntax::PdfVersion::*;
        match self.pdf.version() {
            Pdf10 => (1, 0),
            Pdf11 => (1, 1),
            Pdf12 => (1, 2),
            Pdf13 => (1, 3),
            Pdf14 => (1, 4),
            Pdf15 => (1, 5),
            Pdf16 => (1, 6),
            Pdf17 => (1, 7),
            Pdf20 => (2, 0),
        }
    }
}

/// The boxes of a page, in default user space (points).
#[derive(Debug, Clone, Copy)]
pub struct Boxes {
    /// The sheet (MediaBox, inherited from the page tree if the page has none).
    pub media: Rect,
    /// The finished size, if declared.
    pub trim: Option<Rect>,
    /// The bleed, if declared.
    pub bleed: Option<Rect>,
}

/// The boxes of `page`.
pub fn boxes(page: &Page<'_>) -> Boxes {
    Boxes {
        media: page.media_box(),
        trim: page.raw().get::<Rect>(b"TrimBox"),
        bleed: page.raw().get::<Rect>(b"BleedBox"),
    }
}

/// A number, whether written as an integer or a real.
pub fn number(object: &Object<'_>) -> Option<f64> {
    match object {
        Object::Number(n) => Some(n.as_f64()),
        _ => None,
    }
}

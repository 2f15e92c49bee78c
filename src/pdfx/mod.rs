//! PDF/X-1a:2003 for the print profile: what Typst's PDF 1.4 output lacks, added with lopdf.
//!
//! Typst writes a PDF 1.4 file with DeviceCMYK colours, embedded CID fonts and a TrimBox,
//! and no transparency as long as the layout uses none. PDF/X-1a:2003 (ISO 15930-4)
//! additionally asks for a BleedBox, an output intent naming the printing condition,
//! `/Trapped` and the PDF/X version in the document information and the XMP metadata. This
//! step adds exactly those, and black overprint (墨ノセ, [`overprint`]), which Typst cannot
//! set; everything else stays Typst's.

pub mod overprint;
pub mod rewrite;
#[cfg(test)]
mod tests;

use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
use typst::foundations::Datetime;

/// The PDF/X version written into the file.
pub const PDFX_VERSION: &str = "PDF/X-1a:2003";

/// The registered characterisation of Japan Color 2001 Coated (ICC registry).
pub const OUTPUT_CONDITION_IDENTIFIER: &str = "JC200103";

/// What the PDF/X metadata says about the document.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// Document title.
    pub title: String,
    /// Author (the publisher).
    pub author: String,
    /// Creator tool, e.g. `kaiho 0.1.0`.
    pub creator: String,
    /// Creation date (UTC).
    pub created: Datetime,
    /// Bleed around the trim box, in points.
    pub bleed: f64,
    /// K100 text and thin K100 rules overprint (the series' `print.overprint-black`).
    pub overprint_black: bool,
}

/// Why the PDF could not be finished.
#[derive(Debug, thiserror::Error)]
pub enum PdfxError {
    /// lopdf could not read or write the file Typst made.
    #[error("cannot post-process the PDF for PDF/X: {0}")]
    Pdf(#[from] lopdf::Error),
    /// The finished file could not be written to memory.
    #[error("cannot write the PDF/X file: {0}")]
    Write(#[from] std::io::Error),
    /// A page lacks a box it must have.
    #[error("page {0} has no MediaBox")]
    NoMediaBox(u32),
}

/// Turns Typst's PDF 1.4 print output into PDF/X-1a:2003.
pub fn finish(pdf: &[u8], meta: &Metadata) -> Result<Vec<u8>, PdfxError> {
    let mut doc = Document::load_mem(pdf)?;
    doc.version = "1.4".into();
    if meta.overprint_black {
        let made = overprint::apply(&mut doc)?;
        crate::trace::mark(|| {
            format!("black overprint: {} text run(s), {} rule(s)", made.text_runs, made.rules)
        });
    }

    for (number, page_id) in doc.get_pages() {
        let page = doc.get_dictionary_mut(page_id)?;
        let media = rect(page.get(b"MediaBox").ok()).ok_or(PdfxError::NoMediaBox(number))?;
        let trim = rect(page.get(b"TrimBox").ok()).unwrap_or(media);
        let bleed = [
            (trim[0] - meta.bleed).max(media[0]),
            (trim[1] - meta.bleed).max(media[1]),
            (trim[2] + meta.bleed).min(media[2]),
            (trim[3] + meta.bleed).min(media[3]),
        ];
        page.set("TrimBox", rect_object(trim));
        page.set("BleedBox", rect_object(bleed));
    }

    let document_id = document_id(&doc);
    let info_id = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => id,
        Err(_) => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", id);
            id
        }
    };
    let date = pdf_date(meta.created);
    let info = doc.get_dictionary_mut(info_id)?;
    info.set("Title", text_string(&meta.title));
    info.set("Author", text_string(&meta.author));
    info.set("Creator", text_string(&meta.creator));
    info.set("Producer", text_string(&meta.creator));
    info.set("CreationDate", Object::string_literal(date.clone()));
    info.set("ModDate", Object::string_literal(date));
    info.set("Trapped", Object::Name(b"False".to_vec()));
    info.set("GTS_PDFXVersion", Object::string_literal(PDFX_VERSION));

    let intent = Dictionary::from_iter([
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFX".to_vec())),
        ("OutputConditionIdentifier", Object::string_literal(OUTPUT_CONDITION_IDENTIFIER)),
        ("OutputCondition", Object::string_literal("Japan Color 2001 Coated")),
        ("RegistryName", Object::string_literal("http://www.color.org")),
        ("Info", Object::string_literal("Japan Color 2001 Coated (JC200103)")),
    ]);
    let intent_id = doc.add_object(intent);

    let xmp = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(meta, &document_id).into_bytes(),
    );
    let xmp_id = doc.add_object(xmp);

    let catalog = doc.catalog_mut()?;
    catalog.set("OutputIntents", Object::Array(vec![Object::Reference(intent_id)]));
    catalog.set("Metadata", Object::Reference(xmp_id));

    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

fn rect(object: Option<&Object>) -> Option<[f64; 4]> {
    let array = object?.as_array().ok()?;
    let values: Vec<f64> = array.iter().filter_map(|o| o.as_float().ok().map(f64::from)).collect();
    values.try_into().ok()
}

fn rect_object(r: [f64; 4]) -> Object {
    // Two decimals: a hundredth of a point is far below any cutting tolerance, and fixed
    // precision keeps the output byte-identical.
    Object::Array(r.iter().map(|v| Object::Real(((v * 100.0).round() / 100.0) as f32)).collect())
}

/// A PDF text string: PDFDocEncoding for ASCII, UTF-16BE with a byte-order mark otherwise.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `D:20240201000000Z`, as the document information wants dates.
fn pdf_date(d: Datetime) -> String {
    let [y, mo, da, h, mi, se] = parts(d);
    format!("D:{y:04}{mo:02}{da:02}{h:02}{mi:02}{se:02}Z")
}

/// `2024-02-01T00:00:00Z`, as XMP wants dates.
fn xmp_date(d: Datetime) -> String {
    let [y, mo, da, h, mi, se] = parts(d);
    format!("{y:04}-{mo:02}-{da:02}T{h:02}:{mi:02}:{se:02}Z")
}

fn parts(d: Datetime) -> [i32; 6] {
    [
        d.year().unwrap_or(1970),
        d.month().map_or(1, i32::from),
        d.day().map_or(1, i32::from),
        d.hour().map_or(0, i32::from),
        d.minute().map_or(0, i32::from),
        d.second().map_or(0, i32::from),
    ]
}

/// The file identifier Typst derived from the document's stable id, as a UUID.
fn document_id(doc: &Document) -> String {
    let bytes: Vec<u8> = doc
        .trailer
        .get(b"ID")
        .and_then(Object::as_array)
        .ok()
        .and_then(|ids| ids.first())
        .and_then(|id| id.as_str().ok())
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let hex: String =
        bytes.iter().chain(std::iter::repeat(&0)).take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// XMP metadata consistent with the document information dictionary.
fn xmp(meta: &Metadata, document_id: &str) -> String {
    let date = xmp_date(meta.created);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <pdf:Producer>{creator}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{document_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfx:GTS_PDFXVersion>{version}</pdfx:GTS_PDFXVersion>
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        title = escape(&meta.title),
        author = escape(&meta.author),
        creator = escape(&meta.creator),
        version = PDFX_VERSION,
        bom = '\u{feff}',
    )
}

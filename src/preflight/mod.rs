//! Preflight: checks a finished PDF the way a print shop does, before it is sent.
//!
//! It reads the PDF itself (with lopdf), not Typst's pages, so it checks exactly what the
//! shop receives, whoever made the file. A small content-stream interpreter follows the
//! graphics state (transformation, colours, line width, text state) and records, per page:
//! fonts and whether they are embedded, every colour space and colour used, the size of all
//! text, the width of all strokes, the resolution and colour of images, the ink of every
//! colour, and where text lies relative to the trim. Then the profile's rules are applied.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod content;

use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::Serialize;

use crate::profile::Profile;

/// Smallest text size a print shop accepts, in points.
pub const MIN_TEXT_PT: f64 = 6.0;
/// Thinnest stroke that prints reliably, in points.
pub const MIN_STROKE_PT: f64 = 0.25;
/// Highest total ink of a colour, in percent.
pub const MAX_INK_PERCENT: f64 = 320.0;
/// Lowest image resolution at its placed size, in pixels per inch.
pub const MIN_IMAGE_PPI: f64 = 300.0;
/// Distance of text from the trim edge, in points (3 mm).
pub const SAFE_MARGIN_PT: f64 = 3.0 / 25.4 * 72.0;
/// Text below this size must be pure K when it is black (no rich black).
pub const SMALL_TEXT_PT: f64 = 12.0;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The shop would reject the file, or it would print wrongly.
    Error,
    /// Worth a look.
    Warning,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub level: Level,
    /// The page, if the finding is about one.
    pub page: Option<usize>,
    /// Which check: `fonts`, `colour`, `black`, `text-size`, `stroke`, `safe-area`,
    /// `image`, `ink`, `boxes`, `pdfx`, `transparency`.
    pub check: &'static str,
    /// What is wrong.
    pub message: String,
}

/// What one page contains.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageReport {
    /// 1-based page number.
    pub page: usize,
    /// Font resources used.
    pub fonts: usize,
    /// Colour spaces used: `DeviceCMYK`, `DeviceGray`, `Separation/<name>`, `DeviceRGB`, …
    pub colour_spaces: BTreeSet<String>,
    /// Smallest text, in points.
    pub min_text_pt: Option<f64>,
    /// Thinnest stroke, in points.
    pub min_stroke_pt: Option<f64>,
    /// Images placed.
    pub images: usize,
    /// Lowest image resolution, in ppi.
    pub min_image_ppi: Option<f64>,
    /// Highest total ink of any colour painted inside the bleed, in percent.
    pub max_ink_percent: f64,
}

/// The result of a preflight.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The profile checked against.
    pub profile: Profile,
    /// Per page.
    pub pages: Vec<PageReport>,
    /// The printing plates the job needs: process inks used and spot inks.
    pub plates: Vec<String>,
    /// Every problem, errors first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.level == Level::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| f.level == Level::Warning).count()
    }

    /// The report for people.
    pub fn human(&self, file: &str) -> String {
        let mut out = format!("preflight {file} ({})\n", self.profile.name());
        for p in &self.pages {
            let spaces: Vec<&str> = p.colour_spaces.iter().map(String::as_str).collect();
            out.push_str(&format!(
                "  page {}: {} font(s), colours {}, text ≥ {}, strokes ≥ {}, {} image(s){}, ink ≤ {:.0}%\n",
                p.page,
                p.fonts,
                if spaces.is_empty() { "none".into() } else { spaces.join(" ") },
                p.min_text_pt.map_or("–".into(), |v| format!("{v:.1} pt")),
                p.min_stroke_pt.map_or("–".into(), |v| format!("{v:.2} pt")),
                p.images,
                p.min_image_ppi.map_or(String::new(), |v| format!(" ≥ {v:.0} ppi")),
                p.max_ink_percent,
            ));
        }
        out.push_str(&format!("  plates: {}\n", self.plates.join(", ")));
        for f in &self.findings {
            let level = match f.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            let page = f.page.map_or(String::new(), |p| format!("page {p}: "));
            out.push_str(&format!("  {level}: {page}{} [{}]\n", f.message, f.check));
        }
        let verdict = match (self.errors(), self.profile) {
            (0, Profile::Print) => "ready for the print shop",
            (0, _) => "ok",
            (_, Profile::Print) => "NOT ready for the print shop",
            _ => "problems found",
        };
        out.push_str(&format!(
            "  result: {verdict} ({} error(s), {} warning(s))\n",
            self.errors(),
            self.warnings()
        ));
        out
    }
}

impl Finding {
    /// The finding as a diagnostic about `file`, with a hint on how to fix it.
    pub fn diagnostic(&self, file: &std::path::Path) -> crate::diag::Diagnostic {
        let page = self.page.map_or(String::new(), |p| format!("page {p}: "));
        let message = format!("preflight: {page}{}", self.message);
        let d = match self.level {
            Level::Error => crate::diag::Diagnostic::error(file, message),
            Level::Warning => crate::diag::Diagnostic::warning(file, message),
        };
        d.hint(match self.check {
            "fonts" => "every font must be embedded and none may be Type 3; use the Noto CJK fonts",
            "colour" => "print uses CMYK, grey or spot colours only: define colours with cmyk: in series.yaml, or build with --profile screen for the web",
            "black" => "set small black text in K100 (cmyk 0, 0, 0, 100), not rich black",
            "text-size" => "text under 6 pt may not print legibly: enlarge it in the layout's theme",
            "stroke" => "lines under 0.25 pt may vanish in print: thicken them in the layout",
            "safe-area" => "keep text at least 3 mm inside the trim: widen the layout's margins",
            "image" => "use an image with more pixels (300 ppi at the printed size), or print it smaller",
            "ink" => "reduce the colour to 320% total ink or less",
            "transparency" => "PDF/X-1a forbids transparency: remove opacity from the layout",
            "boxes" | "pdfx" => "build the PDF with kaiho's print profile, which writes these",
            "content" => "the page's drawing instructions are damaged past this point, so they were not all checked: export the PDF again",
            _ => "see kaiho preflight --help",
        })
    }
}

/// Why a file could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    /// Not a PDF lopdf can read.
    #[error("cannot read the PDF: {0}")]
    Pdf(#[from] lopdf::Error),
}

/// A 2-D affine transform `[a b c d e f]`, as in PDF.
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m × n`: apply `m` first, then `n`.
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// How much a matrix scales lengths (geometric mean of its axes).
fn scale(m: &Matrix) -> f64 {
    (m[0] * m[3] - m[1] * m[2]).abs().sqrt()
}

/// A colour as set in the content stream.
#[derive(Debug, Clone, PartialEq)]
enum Colour {
    Gray(f64),
    Rgb,
    Cmyk([f64; 4]),
    Spot(String, f64),
    Other(String),
}

impl Colour {
    /// Total ink in percent (0 for colours that are not inks).
    fn ink(&self) -> f64 {
        match self {
            Colour::Gray(g) => (1.0 - g) * 100.0,
            Colour::Cmyk(c) => c.iter().sum::<f64>() * 100.0,
            Colour::Spot(_, tint) => tint * 100.0,
            _ => 0.0,
        }
    }
}

/// A colour space as selected with `cs`/`CS`.
#[derive(Debug, Clone, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    Spot(String),
    Other(String),
}

impl Space {
    fn label(&self) -> String {
        match self {
            Space::Gray => "DeviceGray".into(),
            Space::Rgb => "RGB".into(),
            Space::Cmyk => "DeviceCMYK".into(),
            Space::Spot(name) => format!("Separation/{name}"),
            Space::Other(name) => name.clone(),
        }
    }
}

#[derive(Debug, Clone)]
struct FontInfo {
    /// Bytes per character code (2 for Identity-H CID fonts).
    code_bytes: usize,
    /// Width of a code in thousandths of an em.
    widths: BTreeMap<u32, f64>,
    default_width: f64,
}

#[derive(Debug, Clone)]
struct State {
    ctm: Matrix,
    fill: Colour,
    stroke: Colour,
    fill_space: Space,
    stroke_space: Space,
    line_width: f64,
    font: Option<Arc<FontInfo>>,
    font_size: f64,
    char_spacing: f64,
    horizontal_scale: f64,
    leading: f64,
    rise: f64,
}

impl Default for State {
    fn default() -> Self {
        Self {
            ctm: IDENTITY,
            fill: Colour::Gray(0.0),
            stroke: Colour::Gray(0.0),
            fill_space: Space::Gray,
            stroke_space: Space::Gray,
            line_width: 1.0,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// What a page's content showed, before the rules are applied.
#[derive(Debug, Default)]
struct Seen {
    report: PageReport,
    findings: Vec<Finding>,
    cmyk_channels: [bool; 4],
    spots: BTreeSet<String>,
    text_outside_safe: usize,
    rich_black_small: usize,
    thin_strokes: usize,
    small_text: usize,
    heavy_ink: Vec<f64>,
    transparency: bool,
}

struct Page<'a> {
    doc: &'a Document,
    /// Checking for the print profile (what is only a warning elsewhere can be an error).
    print: bool,
    seen: Seen,
    bleed: [f64; 4],
    safe: [f64; 4],
    path: Option<[f64; 4]>,
    depth: usize,
    /// Fonts read so far, by object number: Typst sets the font for every run of text, and
    /// reading a CID font's widths each time dominated the preflight.
    fonts: HashMap<ObjectId, Option<Arc<FontInfo>>>,
}

/// Checks `pdf` against `profile`.
pub fn check(pdf: &[u8], profile: Profile) -> Result<Report, PreflightError> {
    let doc = Document::load_mem(pdf)?;
    let mut findings = Vec::new();
    if profile == Profile::Print {
        findings.extend(pdfx_findings(&doc));
    }

    // Pages are independent, so they are checked in parallel, in contiguous runs.
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let run = pages.len().div_ceil(cores).max(1);
    let checked: Vec<Result<Seen, PreflightError>> = std::thread::scope(|scope| {
        let doc = &doc;
        let workers: Vec<_> = pages
            .chunks(run)
            .map(|chunk| {
                scope.spawn(move || {
                    let seen: Vec<_> = chunk
                        .iter()
                        .map(|&(n, id)| check_page(doc, profile, n as usize, id))
                        .collect();
                    seen
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect::<Vec<_>>()
    });

    let mut reports = Vec::new();
    let mut channels = [false; 4];
    let mut spots = BTreeSet::new();
    for seen in checked {
        let mut seen = seen?;
        findings.append(&mut seen.findings);
        for (i, used) in seen.cmyk_channels.iter().enumerate() {
            channels[i] |= used;
        }
        spots.append(&mut seen.spots);
        reports.push(seen.report);
    }

    let mut plates: Vec<String> = ["Cyan", "Magenta", "Yellow", "Black"]
        .iter()
        .zip(channels)
        .filter(|(_, used)| *used)
        .map(|(name, _)| (*name).to_owned())
        .collect();
    plates.extend(spots);
    findings.sort_by_key(|f| (f.level != Level::Error, f.page));
    Ok(Report { profile, pages: reports, plates, findings })
}

/// Runs one page's content and applies the rules: what it showed, with its findings.
fn check_page(
    doc: &Document,
    profile: Profile,
    number: usize,
    page_id: ObjectId,
) -> Result<Seen, PreflightError> {
    let page_dict = doc.get_dictionary(page_id)?;
    let media = page_box(doc, page_dict, b"MediaBox").unwrap_or([0.0, 0.0, 595.28, 841.89]);
    let trim = page_box(doc, page_dict, b"TrimBox");
    let bleed = page_box(doc, page_dict, b"BleedBox");
    let mut findings = box_findings(profile, number, media, trim, bleed);
    let trim = trim.unwrap_or(media);
    let bleed = bleed.unwrap_or(media);
    let safe = [
        trim[0] + SAFE_MARGIN_PT,
        trim[1] + SAFE_MARGIN_PT,
        trim[2] - SAFE_MARGIN_PT,
        trim[3] - SAFE_MARGIN_PT,
    ];
    let mut page = Page {
        doc,
        print: profile == Profile::Print,
        seen: Seen::default(),
        bleed,
        safe,
        path: None,
        depth: 0,
        fonts: HashMap::new(),
    };
    page.seen.report.page = number;
    page.seen.transparency |= transparency_group(doc, page_dict);
    let resources = page_resources(doc, page_id);
    let content = doc.get_page_content(page_id);
    page.run(&content, &resources, IDENTITY);
    findings.extend(rules(profile, number, &page.seen));
    findings.append(&mut page.seen.findings);
    page.seen.findings = findings;
    Ok(page.seen)
}

fn finding(level: Level, page: Option<usize>, check: &'static str, message: String) -> Finding {
    Finding { level, page, check, message }
}

/// The PDF/X-1a:2003 keys the print profile must carry.
fn pdfx_findings(doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    let info = doc.trailer.get(b"Info").ok().map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok());
    let info_str = |key: &[u8]| {
        info.and_then(|d| d.get(key).ok()).and_then(|o| o.as_str().ok()).map(<[u8]>::to_vec)
    };
    if info_str(b"GTS_PDFXVersion").as_deref() != Some(b"PDF/X-1a:2003".as_slice()) {
        out.push(finding(
            Level::Error,
            None,
            "pdfx",
            "the document information does not declare GTS_PDFXVersion PDF/X-1a:2003".into(),
        ));
    }
    let trapped = info.and_then(|d| d.get(b"Trapped").ok()).and_then(|o| o.as_name().ok());
    if !matches!(trapped, Some(b"True") | Some(b"False")) {
        out.push(finding(
            Level::Error,
            None,
            "pdfx",
            "/Trapped is not set to True or False".into(),
        ));
    }
    let intents = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"OutputIntents").ok())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok());
    let pdfx_intent = intents.is_some_and(|list| {
        list.iter().any(|i| {
            deref(doc, i).as_dict().is_ok_and(|d| {
                d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"GTS_PDFX")
                    && d.get(b"OutputConditionIdentifier").is_ok()
            })
        })
    });
    if !pdfx_intent {
        out.push(finding(
            Level::Error,
            None,
            "pdfx",
            "there is no PDF/X output intent (e.g. JC200103, Japan Color 2001 Coated)".into(),
        ));
    }
    if doc.version.as_str() > "1.4" {
        out.push(finding(
            Level::Error,
            None,
            "pdfx",
            format!("PDF {} is newer than PDF/X-1a allows (1.4)", doc.version),
        ));
    }
    out
}

/// Page boxes as the print profile needs them: TrimBox, BleedBox 3 mm around it, MediaBox
/// around that.
fn box_findings(
    profile: Profile,
    page: usize,
    media: [f64; 4],
    trim: Option<[f64; 4]>,
    bleed: Option<[f64; 4]>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if profile != Profile::Print {
        return out;
    }
    let Some(trim) = trim else {
        out.push(finding(
            Level::Error,
            Some(page),
            "boxes",
            "the page has no TrimBox (finished size)".into(),
        ));
        return out;
    };
    let Some(bleed) = bleed else {
        out.push(finding(Level::Error, Some(page), "boxes", "the page has no BleedBox".into()));
        return out;
    };
    let inside = |inner: [f64; 4], outer: [f64; 4]| {
        inner[0] >= outer[0] - 0.01
            && inner[1] >= outer[1] - 0.01
            && inner[2] <= outer[2] + 0.01
            && inner[3] <= outer[3] + 0.01
    };
    if !inside(trim, bleed) || !inside(bleed, media) {
        out.push(finding(
            Level::Error,
            Some(page),
            "boxes",
            "the boxes do not nest: MediaBox ⊇ BleedBox ⊇ TrimBox".into(),
        ));
    }
    let want = SAFE_MARGIN_PT; // 3 mm of bleed, the same as the safe margin
    let least = (0..2)
        .map(|i| trim[i] - bleed[i])
        .chain((2..4).map(|i| bleed[i] - trim[i]))
        .fold(f64::MAX, f64::min);
    if least < want - 0.05 {
        out.push(finding(
            Level::Error,
            Some(page),
            "boxes",
            format!("the bleed is {:.1} mm, less than 3 mm", least / 72.0 * 25.4),
        ));
    }
    out
}

/// The profile's rules, applied to what a page showed.
fn rules(profile: Profile, page: usize, seen: &Seen) -> Vec<Finding> {
    let mut out = Vec::new();
    let report = &seen.report;
    let p = Some(page);
    if profile == Profile::Print {
        let forbidden: Vec<&String> =
            report.colour_spaces.iter().filter(|s| !print_space(s)).collect();
        if !forbidden.is_empty() {
            let list: Vec<&str> = forbidden.iter().map(|s| s.as_str()).collect();
            out.push(finding(
                Level::Error,
                p,
                "colour",
                format!("colours that are not CMYK, grey or spot: {}", list.join(", ")),
            ));
        }
        if seen.rich_black_small > 0 {
            out.push(finding(Level::Error, p, "black", format!("{} run(s) of black text under {SMALL_TEXT_PT} pt in rich black; small text must be K100 only", seen.rich_black_small)));
        }
        if seen.transparency {
            out.push(finding(
                Level::Error,
                p,
                "transparency",
                "the page uses transparency, which PDF/X-1a forbids".into(),
            ));
        }
        if let Some(max) = seen.heavy_ink.iter().copied().reduce(f64::max) {
            out.push(finding(
                Level::Error,
                p,
                "ink",
                format!("a colour has {max:.0}% total ink, more than {MAX_INK_PERCENT:.0}%"),
            ));
        }
    }
    if seen.small_text > 0 {
        let min = report.min_text_pt.unwrap_or(0.0);
        out.push(finding(
            Level::Error,
            p,
            "text-size",
            format!(
                "{} run(s) of text smaller than {MIN_TEXT_PT} pt (smallest {min:.2} pt)",
                seen.small_text
            ),
        ));
    }
    if seen.thin_strokes > 0 {
        let min = report.min_stroke_pt.unwrap_or(0.0);
        out.push(finding(
            Level::Error,
            p,
            "stroke",
            format!(
                "{} line(s) thinner than {MIN_STROKE_PT} pt (thinnest {min:.2} pt)",
                seen.thin_strokes
            ),
        ));
    }
    if seen.text_outside_safe > 0 {
        out.push(finding(
            Level::Error,
            p,
            "safe-area",
            format!("{} run(s) of text closer than 3 mm to the trim edge", seen.text_outside_safe),
        ));
    }
    out
}

/// Whether a page or form declares a transparency group.
fn transparency_group(doc: &Document, dict: &Dictionary) -> bool {
    dict.get(b"Group")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|g| g.get(b"S").ok())
        .and_then(|s| s.as_name().ok())
        == Some(b"Transparency".as_slice())
}

fn print_space(space: &str) -> bool {
    space == "DeviceCMYK"
        || space == "DeviceGray"
        || space.starts_with("Separation/")
        || space == "ICC/CMYK"
        || space == "ICC/Gray"
        || space == "Pattern"
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        other => other,
    }
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn page_box(doc: &Document, page: &Dictionary, key: &[u8]) -> Option<[f64; 4]> {
    let array = deref(doc, page.get(key).ok()?).as_array().ok()?;
    let v: Vec<f64> = array.iter().filter_map(|o| number(deref(doc, o))).collect();
    let [a, b, c, d]: [f64; 4] = v.try_into().ok()?;
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

/// The page's resources, merged from inherited and own dictionaries.
fn page_resources(doc: &Document, page_id: ObjectId) -> Dictionary {
    let mut merged = Dictionary::new();
    if let Ok((own, inherited)) = doc.get_page_resources(page_id) {
        for id in inherited.iter().rev() {
            if let Ok(d) = doc.get_dictionary(*id) {
                merged.extend(d);
            }
        }
        if let Some(d) = own {
            merged.extend(d);
        }
    }
    merged
}

fn sub_dict<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    deref(doc, resources.get(key).ok()?).as_dict().ok()
}

impl Page<'_> {
    fn run(&mut self, content: &[u8], resources: &Dictionary, base: Matrix) {
        // Forms nested deeper than this are not followed (a guard against cycles).
        if self.depth >= 16 {
            return;
        }
        self.depth += 1;
        self.interpret(content, resources, base);
        self.depth -= 1;
    }

    fn interpret(&mut self, content: &[u8], resources: &Dictionary, base: Matrix) {
        let mut fonts_used: BTreeSet<Vec<u8>> = BTreeSet::new();
        let mut stack: Vec<State> = Vec::new();
        let mut gs = State { ctm: base, ..State::default() };
        let mut text_matrix = IDENTITY;
        let mut line_matrix = IDENTITY;
        let mut decoder = content::Decoder::new(content);
        let mut n: Vec<f64> = Vec::new();
        while let Some(operation) = decoder.next() {
            let Ok((operator, operands)) = operation else {
                // What came before was checked; the rest cannot be read. For print that
                // is an error: an unchecked page must not be called ready.
                let level = if self.print { Level::Error } else { Level::Warning };
                self.seen.findings.push(finding(
                    level,
                    Some(self.seen.report.page),
                    "content",
                    "a content stream could not be read to its end".into(),
                ));
                break;
            };
            n.clear();
            n.extend(operands.iter().filter_map(number));
            let name = operands.first().and_then(|o| o.as_name().ok());
            match operator {
                "q" => stack.push(gs.clone()),
                "Q" => gs = stack.pop().unwrap_or_default(),
                "cm" if n.len() == 6 => {
                    gs.ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &gs.ctm)
                }
                "w" if !n.is_empty() => gs.line_width = n[0],
                "g" if !n.is_empty() => {
                    (gs.fill_space, gs.fill) = (Space::Gray, Colour::Gray(n[0]))
                }
                "G" if !n.is_empty() => {
                    (gs.stroke_space, gs.stroke) = (Space::Gray, Colour::Gray(n[0]))
                }
                "rg" => (gs.fill_space, gs.fill) = (Space::Rgb, Colour::Rgb),
                "RG" => (gs.stroke_space, gs.stroke) = (Space::Rgb, Colour::Rgb),
                "k" if n.len() == 4 => {
                    (gs.fill_space, gs.fill) = (Space::Cmyk, Colour::Cmyk([n[0], n[1], n[2], n[3]]))
                }
                "K" if n.len() == 4 => {
                    (gs.stroke_space, gs.stroke) =
                        (Space::Cmyk, Colour::Cmyk([n[0], n[1], n[2], n[3]]))
                }
                "cs" | "CS" => {
                    let space =
                        name.map(|n| self.space(resources, n)).unwrap_or(Space::Other("?".into()));
                    if operator == "cs" { gs.fill_space = space } else { gs.stroke_space = space }
                }
                "sc" | "scn" | "SC" | "SCN" => {
                    let fill = operator.starts_with('s');
                    let space = if fill { &gs.fill_space } else { &gs.stroke_space };
                    let colour = match space {
                        Space::Gray => Colour::Gray(n.first().copied().unwrap_or(0.0)),
                        Space::Rgb => Colour::Rgb,
                        Space::Cmyk if n.len() == 4 => Colour::Cmyk([n[0], n[1], n[2], n[3]]),
                        Space::Spot(spot) => {
                            Colour::Spot(spot.clone(), n.first().copied().unwrap_or(1.0))
                        }
                        other => Colour::Other(other.label()),
                    };
                    if fill { gs.fill = colour } else { gs.stroke = colour }
                }
                "gs" => {
                    if let Some(name) = name {
                        self.ext_gstate(resources, name);
                    }
                }
                "m" | "l" if n.len() == 2 => self.extend_path(&gs.ctm, &[(n[0], n[1])]),
                "c" if n.len() == 6 => {
                    self.extend_path(&gs.ctm, &[(n[0], n[1]), (n[2], n[3]), (n[4], n[5])])
                }
                "v" | "y" if n.len() == 4 => {
                    self.extend_path(&gs.ctm, &[(n[0], n[1]), (n[2], n[3])])
                }
                "re" if n.len() == 4 => {
                    self.extend_path(&gs.ctm, &[(n[0], n[1]), (n[0] + n[2], n[1] + n[3])])
                }
                "S" | "s" => self.paint(&gs, false, true),
                "f" | "F" | "f*" => self.paint(&gs, true, false),
                "B" | "B*" | "b" | "b*" => self.paint(&gs, true, true),
                "n" => self.path = None,
                "BT" => {
                    text_matrix = IDENTITY;
                    line_matrix = IDENTITY;
                }
                "Tf" if operands.len() == 2 => {
                    if let Some(font_name) = name {
                        fonts_used.insert(font_name.to_vec());
                        gs.font = self.cached_font(resources, font_name);
                    }
                    gs.font_size = number(&operands[1]).unwrap_or(0.0);
                }
                "Tc" if !n.is_empty() => gs.char_spacing = n[0],
                "Tz" if !n.is_empty() => gs.horizontal_scale = n[0] / 100.0,
                "TL" if !n.is_empty() => gs.leading = n[0],
                "Ts" if !n.is_empty() => gs.rise = n[0],
                "Tm" if n.len() == 6 => {
                    text_matrix = [n[0], n[1], n[2], n[3], n[4], n[5]];
                    line_matrix = text_matrix;
                }
                "Td" | "TD" if n.len() == 2 => {
                    if operator == "TD" {
                        gs.leading = -n[1];
                    }
                    line_matrix = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &line_matrix);
                    text_matrix = line_matrix;
                }
                "T*" => {
                    line_matrix = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &line_matrix);
                    text_matrix = line_matrix;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if operator != "Tj" && operator != "TJ" {
                        line_matrix = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &line_matrix);
                        text_matrix = line_matrix;
                    }
                    let parts: Vec<&Object> = match operator {
                        "TJ" => operands
                            .first()
                            .and_then(|o| o.as_array().ok())
                            .map(|a| a.iter().collect())
                            .unwrap_or_default(),
                        _ => operands.last().into_iter().collect(),
                    };
                    self.show_text(&gs, &mut text_matrix, &parts);
                }
                "Do" => {
                    if let Some(name) = name {
                        self.xobject(resources, name, &gs);
                    }
                }
                "BI" => {
                    if let Some(Object::Dictionary(image)) = operands.first() {
                        self.inline_image(resources, image, &gs);
                    }
                }
                _ => {}
            }
        }
        self.seen.report.fonts += fonts_used.len();
        for font_name in fonts_used {
            self.check_font(resources, &font_name);
        }
    }

    fn space(&mut self, resources: &Dictionary, name: &[u8]) -> Space {
        let space = match name {
            b"DeviceGray" | b"G" => Space::Gray,
            b"DeviceRGB" | b"RGB" => Space::Rgb,
            b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
            b"Pattern" => Space::Other("Pattern".into()),
            _ => sub_dict(self.doc, resources, b"ColorSpace")
                .and_then(|d| d.get(name).ok())
                .map(|o| self.describe_space(deref(self.doc, o)))
                .unwrap_or_else(|| Space::Other(String::from_utf8_lossy(name).into_owned())),
        };
        self.seen.report.colour_spaces.insert(space.label());
        space
    }

    fn describe_space(&self, object: &Object) -> Space {
        match object {
            Object::Name(n) => match n.as_slice() {
                b"DeviceGray" => Space::Gray,
                b"DeviceRGB" => Space::Rgb,
                b"DeviceCMYK" => Space::Cmyk,
                other => Space::Other(String::from_utf8_lossy(other).into_owned()),
            },
            Object::Array(parts) => {
                let family = parts.first().and_then(|o| o.as_name().ok()).unwrap_or(b"?");
                match family {
                    b"ICCBased" => {
                        let n = parts
                            .get(1)
                            .map(|o| deref(self.doc, o))
                            .and_then(|o| o.as_stream().ok())
                            .and_then(|s| s.dict.get(b"N").ok())
                            .and_then(|o| o.as_i64().ok());
                        match n {
                            Some(1) => Space::Other("ICC/Gray".into()),
                            Some(4) => Space::Other("ICC/CMYK".into()),
                            _ => Space::Rgb,
                        }
                    }
                    b"Separation" => {
                        let name = parts.get(1).and_then(|o| o.as_name().ok()).unwrap_or(b"?");
                        Space::Spot(String::from_utf8_lossy(name).into_owned())
                    }
                    b"CalRGB" | b"Lab" => Space::Rgb,
                    b"Indexed" | b"I" => parts
                        .get(1)
                        .map(|base| self.describe_space(deref(self.doc, base)))
                        .unwrap_or(Space::Other("Indexed".into())),
                    other => Space::Other(String::from_utf8_lossy(other).into_owned()),
                }
            }
            _ => Space::Other("?".into()),
        }
    }

    fn ext_gstate(&mut self, resources: &Dictionary, name: &[u8]) {
        let Some(dict) = sub_dict(self.doc, resources, b"ExtGState")
            .and_then(|d| d.get(name).ok())
            .and_then(|o| deref(self.doc, o).as_dict().ok())
        else {
            return;
        };
        let alpha = |key: &[u8]| dict.get(key).ok().and_then(number).is_some_and(|a| a < 1.0);
        let smask =
            dict.get(b"SMask").ok().is_some_and(|o| o.as_name().map_or(true, |n| n != b"None"));
        let blend = dict
            .get(b"BM")
            .ok()
            .and_then(|o| o.as_name().ok())
            .is_some_and(|n| n != b"Normal" && n != b"Compatible");
        if alpha(b"CA") || alpha(b"ca") || smask || blend {
            self.seen.transparency = true;
        }
    }

    fn extend_path(&mut self, ctm: &Matrix, points: &[(f64, f64)]) {
        for &(x, y) in points {
            let (x, y) = apply(ctm, x, y);
            self.path = Some(match self.path {
                None => [x, y, x, y],
                Some(b) => [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)],
            });
        }
    }

    /// Records a painted path: stroke width, and ink where the path reaches into the bleed.
    fn paint(&mut self, gs: &State, fill: bool, stroke: bool) {
        let Some(bbox) = self.path.take() else { return };
        // Printer's marks (crop marks in registration colour) lie outside the bleed; they are
        // not part of the printed image. A mark's outer line sits on the bleed edge, so a
        // path counts as inside only when it (with half its stroke) reaches half a point in.
        let half = if stroke { gs.line_width * scale(&gs.ctm) / 2.0 } else { 0.0 };
        let overlap = |axis: usize| {
            (bbox[axis + 2] + half).min(self.bleed[axis + 2])
                - (bbox[axis] - half).max(self.bleed[axis])
        };
        let inside = overlap(0) > 0.5 && overlap(1) > 0.5;
        if stroke {
            let width = gs.line_width * scale(&gs.ctm);
            let report = &mut self.seen.report;
            report.min_stroke_pt = Some(report.min_stroke_pt.map_or(width, |m: f64| m.min(width)));
            if width < MIN_STROKE_PT - 1e-6 {
                self.seen.thin_strokes += 1;
            }
            self.note_colour(&gs.stroke, &gs.stroke_space, inside);
        }
        if fill {
            self.note_colour(&gs.fill, &gs.fill_space, inside);
        }
    }

    fn note_colour(&mut self, colour: &Colour, space: &Space, inside: bool) {
        self.seen.report.colour_spaces.insert(space.label());
        if !inside {
            return;
        }
        let ink = colour.ink();
        if ink > self.seen.report.max_ink_percent {
            self.seen.report.max_ink_percent = ink;
        }
        if ink > MAX_INK_PERCENT + 0.5 {
            self.seen.heavy_ink.push(ink);
        }
        match colour {
            Colour::Cmyk(c) => {
                for (i, v) in c.iter().enumerate() {
                    self.seen.cmyk_channels[i] |= *v > 0.0;
                }
            }
            Colour::Gray(g) if *g < 1.0 => self.seen.cmyk_channels[3] = true,
            // `All` is the registration colorant (every plate), `None` no plate at all.
            Colour::Spot(name, _) if name != "All" && name != "None" => {
                self.seen.spots.insert(name.clone());
            }
            _ => {}
        }
    }

    fn show_text(&mut self, gs: &State, text_matrix: &mut Matrix, parts: &[&Object]) {
        let Some(font) = gs.font.clone() else { return };
        let size = gs.font_size;
        let start = *text_matrix;
        let mut advance_total = 0.0;
        let mut glyphs = 0usize;
        for part in parts {
            match part {
                Object::String(bytes, _) => {
                    for code in bytes.chunks(font.code_bytes) {
                        let code = code.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
                        let width = font.widths.get(&code).copied().unwrap_or(font.default_width);
                        advance_total +=
                            (width / 1000.0 * size + gs.char_spacing) * gs.horizontal_scale;
                        glyphs += 1;
                    }
                }
                other => {
                    if let Some(adjust) = number(other) {
                        advance_total -= adjust / 1000.0 * size * gs.horizontal_scale;
                    }
                }
            }
        }
        *text_matrix = mul(&[1.0, 0.0, 0.0, 1.0, advance_total, 0.0], text_matrix);
        if glyphs == 0 || size == 0.0 {
            return;
        }
        let render =
            mul(&[size * gs.horizontal_scale, 0.0, 0.0, size, 0.0, gs.rise], &mul(&start, &gs.ctm));
        let effective = scale(&render) / gs.horizontal_scale.abs().max(1e-9).sqrt();
        let report = &mut self.seen.report;
        report.min_text_pt = Some(report.min_text_pt.map_or(effective, |m: f64| m.min(effective)));
        if effective < MIN_TEXT_PT - 1e-6 {
            self.seen.small_text += 1;
        }
        if effective < SMALL_TEXT_PT
            && let Colour::Cmyk([c, m, y, k]) = gs.fill
            && k >= 0.9
            && (c > 0.0 || m > 0.0 || y > 0.0)
        {
            self.seen.rich_black_small += 1;
        }
        // The text's box: from the start to the end of the run, from the descender to the
        // ascender (in text space, −0.12 em to 0.88 em).
        let user = mul(&start, &gs.ctm);
        let corners = [
            (0.0, -0.12 * size + gs.rise),
            (advance_total, -0.12 * size + gs.rise),
            (0.0, 0.88 * size + gs.rise),
            (advance_total, 0.88 * size + gs.rise),
        ];
        let points: Vec<(f64, f64)> = corners.iter().map(|&(x, y)| apply(&user, x, y)).collect();
        let outside = points.iter().any(|&(x, y)| {
            x < self.safe[0] - 0.01
                || x > self.safe[2] + 0.01
                || y < self.safe[1] - 0.01
                || y > self.safe[3] + 0.01
        });
        if outside {
            self.seen.text_outside_safe += 1;
        }
        let space = gs.fill_space.clone();
        self.note_colour(&gs.fill.clone(), &space, true);
    }

    fn cached_font(&mut self, resources: &Dictionary, name: &[u8]) -> Option<Arc<FontInfo>> {
        let doc = self.doc;
        // Fonts given inline (not by reference) are read every time.
        let Ok(id) = sub_dict(doc, resources, b"Font")?.get(name).and_then(Object::as_reference)
        else {
            return self.font(resources, name).map(Arc::new);
        };
        if let Some(font) = self.fonts.get(&id) {
            return font.clone();
        }
        let font = self.font(resources, name).map(Arc::new);
        self.fonts.insert(id, font.clone());
        font
    }

    fn font(&self, resources: &Dictionary, name: &[u8]) -> Option<FontInfo> {
        let doc = self.doc;
        let font = deref(doc, sub_dict(doc, resources, b"Font")?.get(name).ok()?).as_dict().ok()?;
        let subtype = font.get(b"Subtype").ok()?.as_name().ok()?;
        if subtype == b"Type0" {
            let descendant = font
                .get(b"DescendantFonts")
                .ok()
                .map(|o| deref(doc, o))?
                .as_array()
                .ok()?
                .first()
                .map(|o| deref(doc, o))?
                .as_dict()
                .ok()?;
            let default_width = descendant.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
            let mut widths = BTreeMap::new();
            if let Some(w) =
                descendant.get(b"W").ok().map(|o| deref(doc, o)).and_then(|o| o.as_array().ok())
            {
                let mut i = 0;
                while i < w.len() {
                    let first = number(deref(doc, &w[i])).unwrap_or(0.0) as u32;
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Object::Array(list)) => {
                            for (j, v) in list.iter().enumerate() {
                                widths.insert(
                                    first + j as u32,
                                    number(deref(doc, v)).unwrap_or(default_width),
                                );
                            }
                            i += 2;
                        }
                        Some(last) => {
                            let last = number(last).unwrap_or(0.0) as u32;
                            let width = w
                                .get(i + 2)
                                .map(|o| deref(doc, o))
                                .and_then(number)
                                .unwrap_or(default_width);
                            for code in first..=last.min(first + 65535) {
                                widths.insert(code, width);
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
            return Some(FontInfo { code_bytes: 2, widths, default_width });
        }
        let first = font.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
        let widths = font
            .get(b"Widths")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .map(|list| {
                list.iter()
                    .enumerate()
                    .map(|(i, v)| (first + i as u32, number(deref(doc, v)).unwrap_or(0.0)))
                    .collect()
            })
            .unwrap_or_default();
        Some(FontInfo { code_bytes: 1, widths, default_width: 500.0 })
    }

    /// Fonts must be embedded, and never Type 3.
    fn check_font(&mut self, resources: &Dictionary, name: &[u8]) {
        let doc = self.doc;
        let page = Some(self.seen.report.page);
        let Some(font) = sub_dict(doc, resources, b"Font")
            .and_then(|d| d.get(name).ok())
            .and_then(|o| deref(doc, o).as_dict().ok())
        else {
            return;
        };
        let base = font
            .get(b"BaseFont")
            .ok()
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| String::from_utf8_lossy(name).into_owned());
        let subtype = font.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"?");
        if subtype == b"Type3" {
            self.seen.findings.push(finding(
                Level::Error,
                page,
                "fonts",
                format!("font {base} is a Type 3 font"),
            ));
            return;
        }
        let descriptor_owner = if subtype == b"Type0" {
            font.get(b"DescendantFonts")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
        } else {
            Some(font)
        };
        let embedded = descriptor_owner
            .and_then(|d| d.get(b"FontDescriptor").ok())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok())
            .is_some_and(|fd| fd.has(b"FontFile") || fd.has(b"FontFile2") || fd.has(b"FontFile3"));
        if !embedded {
            self.seen.findings.push(finding(
                Level::Error,
                page,
                "fonts",
                format!("font {base} is not embedded"),
            ));
        }
    }

    /// An inline image (`BI` … `EI`): judged like an image XObject. Its keys and colour
    /// space names may be abbreviated (ISO 32000-1, 8.9.7).
    fn inline_image(&mut self, resources: &Dictionary, dict: &Dictionary, gs: &State) {
        let get = |short: &[u8], long: &[u8]| dict.get(short).or_else(|_| dict.get(long)).ok();
        let space = match get(b"CS", b"ColorSpace") {
            Some(Object::Name(name)) => self.space(resources, name),
            Some(other) => self.describe_space(other),
            None => Space::Other("?".into()),
        };
        let pixels = |short: &[u8], long: &[u8]| get(short, long).and_then(number).unwrap_or(0.0);
        self.image(pixels(b"W", b"Width"), pixels(b"H", b"Height"), space, gs);
    }

    /// An image of `pixels_w` × `pixels_h` placed by the current matrix: counted, its
    /// resolution at that size and its colour space judged.
    fn image(&mut self, pixels_w: f64, pixels_h: f64, space: Space, gs: &State) {
        let report = &mut self.seen.report;
        report.images += 1;
        let (w, h) = (
            (gs.ctm[0].powi(2) + gs.ctm[1].powi(2)).sqrt(),
            (gs.ctm[2].powi(2) + gs.ctm[3].powi(2)).sqrt(),
        );
        if w > 0.0 && h > 0.0 {
            let ppi = (pixels_w / (w / 72.0)).min(pixels_h / (h / 72.0));
            report.min_image_ppi = Some(report.min_image_ppi.map_or(ppi, |m: f64| m.min(ppi)));
            if ppi < MIN_IMAGE_PPI - 0.5 {
                self.seen.findings.push(finding(
                    Level::Error,
                    Some(report.page),
                    "image",
                    format!(
                        "an image is {ppi:.0} ppi at its placed size, less than {MIN_IMAGE_PPI:.0}"
                    ),
                ));
            }
        }
        self.seen.report.colour_spaces.insert(space.label());
        match space {
            Space::Cmyk => self.seen.cmyk_channels = [true; 4],
            Space::Gray => self.seen.cmyk_channels[3] = true,
            _ => {}
        }
    }

    fn xobject(&mut self, resources: &Dictionary, name: &[u8], gs: &State) {
        let doc = self.doc;
        let Some(stream) = sub_dict(doc, resources, b"XObject")
            .and_then(|d| d.get(name).ok())
            .and_then(|o| deref(doc, o).as_stream().ok())
        else {
            return;
        };
        let subtype =
            stream.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()).unwrap_or(b"?");
        if subtype == b"Image" {
            if stream.dict.has(b"SMask") {
                self.seen.transparency = true;
            }
            let space = stream
                .dict
                .get(b"ColorSpace")
                .ok()
                .map(|o| self.describe_space(deref(doc, o)))
                .unwrap_or(Space::Other("?".into()));
            let pixels = |key: &[u8]| stream.dict.get(key).ok().and_then(number).unwrap_or(0.0);
            self.image(pixels(b"Width"), pixels(b"Height"), space, gs);
        } else if subtype == b"Form" {
            let matrix = stream
                .dict
                .get(b"Matrix")
                .ok()
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().filter_map(number).collect::<Vec<f64>>());
            let m = match matrix.as_deref() {
                Some([a, b, c, d, e, f]) => [*a, *b, *c, *d, *e, *f],
                _ => IDENTITY,
            };
            let inner = stream
                .dict
                .get(b"Resources")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
                .cloned()
                .unwrap_or_else(|| resources.clone());
            self.seen.transparency |= transparency_group(doc, &stream.dict);
            let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            self.run(&content, &inner, mul(&m, &gs.ctm));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Stream, dictionary};

    /// A one-page A4 PDF with the given content stream.
    fn pdf_with_content(content: &[u8]) -> Vec<u8> {
        let mut doc = Document::with_version("1.4");
        let pages_id = doc.new_object_id();
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content.to_vec()));
        let a4 = || Object::Array([0, 0, 595, 842].map(Object::from).to_vec());
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "MediaBox" => a4(), "TrimBox" => a4(), "Resources" => Dictionary::new(),
        });
        let pages = dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 };
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_broken_content_stream_is_checked_up_to_the_break() {
        let pdf = pdf_with_content(b"0 0 1 rg 100 100 50 50 re f (never closed");
        let report = check(&pdf, Profile::Screen).unwrap();
        let content: Vec<&Finding> =
            report.findings.iter().filter(|f| f.check == "content").collect();
        assert!(content.len() == 1 && content[0].level == Level::Warning, "{report:?}");
        // The RGB fill before the break was still seen.
        assert!(report.pages[0].colour_spaces.contains("RGB"), "{:?}", report.pages[0]);
        // For print, a page that could not be read to its end is not ready.
        let report = check(&pdf, Profile::Print).unwrap();
        assert!(report.findings.iter().any(|f| f.check == "content" && f.level == Level::Error));
    }

    #[test]
    fn inline_images_are_judged_like_image_objects() {
        // 2 × 2 RGB pixels drawn 100 pt wide: RGB in print, and 1.4 ppi.
        let mut content = b"q 100 0 0 100 50 50 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID ".to_vec();
        content.extend([0x80; 12]);
        content.extend(b"\nEI Q");
        let report = check(&pdf_with_content(&content), Profile::Print).unwrap();
        let page = &report.pages[0];
        assert_eq!(page.images, 1, "{page:?}");
        assert!(page.colour_spaces.contains("RGB"), "{page:?}");
        assert!(page.min_image_ppi.is_some_and(|ppi| (ppi - 1.44).abs() < 0.01), "{page:?}");
        let checks: Vec<&str> = report.findings.iter().map(|f| f.check).collect();
        assert!(checks.contains(&"image") && checks.contains(&"colour"), "{checks:?}");
    }
}

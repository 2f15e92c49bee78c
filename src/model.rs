//! The validated domain: a series, a volume and its pages and blocks.
//!
//! Only `validate` builds these; everything after it (the layout data, the archive, the
//! search) reads them and may rely on their invariants: numbers in range, text non-empty,
//! dates real, images present. They serialise to the JSON the layouts read.

use std::path::PathBuf;

use serde::Serialize;

use crate::rich::RichText;

mod kinds;

pub use self::kinds::*;

/// What stays the same from volume to volume.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// The bulletin's name, e.g. 小諸ぶらんど通信.
    pub title: String,
    /// ASCII name used in file names.
    pub slug: String,
    /// The line above the title.
    pub publication: Option<String>,
    /// Who edits and publishes it.
    pub publisher: Publisher,
    /// The layout to typeset with.
    pub layout: String,
    /// The paper of the trim.
    pub paper: Paper,
    /// Font families by role.
    pub fonts: Fonts,
    /// Spot inks (a spot-colour edition prints with these and black only).
    pub inks: Vec<Ink>,
    /// Named theme colours.
    pub colors: Vec<NamedColor>,
    /// How the print shop's file is finished.
    pub print: Print,
    /// Every text of the series with its location.
    #[serde(skip)]
    pub texts: Vec<TextRef>,
}

/// How the print shop's file is finished, beyond what PDF/X-1a fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Print {
    /// K100 text and thin K100 rules overprint (墨ノセ); on unless the series turns it off.
    pub overprint_black: bool,
}

impl Default for Print {
    fn default() -> Self {
        Self { overprint_black: true }
    }
}

/// The publisher, printed in the colophon.
#[derive(Debug, Clone, Serialize)]
pub struct Publisher {
    /// e.g. 編集・発行.
    pub role: Option<String>,
    /// e.g. 小泉としひろ後援会事務局.
    pub name: String,
    /// Postal code without 〒.
    pub postal_code: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// Telephone number.
    pub tel: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Web site.
    pub url: Option<String>,
}

/// Font families by role.
#[derive(Debug, Clone, Serialize)]
pub struct Fonts {
    /// Gothic face (default Noto Sans CJK JP).
    pub sans: String,
    /// Mincho face (default Noto Serif CJK JP).
    pub serif: String,
}

impl Fonts {
    /// The default family for gothic text.
    pub const DEFAULT_SANS: &str = "Noto Sans CJK JP";
    /// The default family for mincho text.
    pub const DEFAULT_SERIF: &str = "Noto Serif CJK JP";

    /// Every family the layout may ask for.
    pub fn families(&self) -> [&str; 2] {
        [&self.sans, &self.serif]
    }
}

/// Paper sizes (portrait; B sizes are JIS B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 148 × 210 mm.
    A5,
    /// 297 × 420 mm.
    A3,
    /// 182 × 257 mm.
    B5,
    /// 257 × 364 mm.
    B4,
}

impl Paper {
    /// Width and height of the trim, in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Self::A4 => (210.0, 297.0),
            Self::A5 => (148.0, 210.0),
            Self::A3 => (297.0, 420.0),
            Self::B5 => (182.0, 257.0),
            Self::B4 => (257.0, 364.0),
        }
    }
}

/// A spot ink.
#[derive(Debug, Clone, Serialize)]
pub struct Ink {
    /// Name, e.g. `DIC 156`.
    pub name: String,
    /// Its look in CMYK, percent.
    pub cmyk: [f64; 4],
    /// Its look on screens.
    pub rgb: Option<String>,
}

/// A theme colour with its print and screen values.
#[derive(Debug, Clone, Serialize)]
pub struct NamedColor {
    /// Name the layout refers to, e.g. `accent`.
    pub name: String,
    /// C, M, Y, K in percent (for a spot colour: its look, the ink's CMYK at the tint).
    pub cmyk: [f64; 4],
    /// sRGB as `#rrggbb`, if given.
    pub rgb: Option<String>,
    /// The spot ink and tint, for a spot colour.
    pub spot: Option<SpotTint>,
}

/// A tint of a spot ink.
#[derive(Debug, Clone, Serialize)]
pub struct SpotTint {
    /// The ink's name.
    pub ink: String,
    /// Percent of the ink.
    pub tint: f64,
}

/// A publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31 (valid for the month).
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A text of a volume as written, with where it was written: for the glyph check, for
/// locating reports and for searching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRef {
    /// YAML path of the value, e.g. `pages[0].blocks[3].section.items[2]`.
    pub path: String,
    /// Where the value starts in the file.
    pub at: Option<crate::diag::Position>,
    /// The text as a reader sees it (ruby readings are in `readings`).
    pub text: String,
    /// Ruby readings in the text, in order.
    pub readings: Vec<String>,
}

/// One issue of the bulletin.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    /// VOL.n.
    pub number: u32,
    /// e.g. 2024年2月号.
    pub issue: String,
    /// Publication date.
    pub date: Date,
    /// The pages, front first.
    pub pages: Vec<Page>,
    /// Every text of the volume with its location, in file order.
    #[serde(skip)]
    pub texts: Vec<TextRef>,
}

/// A past issue: a volume that exists only as a PDF (or a scan) made before kaiho. It is
/// archived as it is, never typeset.
#[derive(Debug, Clone, Serialize)]
pub struct PastIssue {
    /// VOL.n.
    pub number: u32,
    /// e.g. 2021年8月号.
    pub issue: String,
    /// Publication date.
    pub date: Date,
    /// The PDF (it exists), resolved against the volume file's folder.
    pub pdf: PathBuf,
    /// The PDF's path as the volume file writes it.
    pub pdf_written: String,
    /// Where `pdf:` is written, for messages about the PDF.
    #[serde(skip)]
    pub pdf_at: Option<crate::diag::Position>,
    /// What it is about, for the catalogue.
    pub themes: Vec<String>,
    /// A note on the issue.
    pub note: Option<String>,
}

/// What a volume file declares: a volume to typeset, or a past issue kept as a PDF.
#[derive(Debug, Clone)]
pub enum Issue {
    /// Pages of blocks, typeset by kaiho.
    Typeset(Volume),
    /// A PDF made before kaiho.
    Past(PastIssue),
}

/// One page.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Columns of the grid, when the author pinned them (otherwise the composition chooses).
    pub columns: Option<u32>,
    /// The blocks, in reading order.
    pub blocks: Vec<Block>,
}

/// Where the author pinned a block; what is not pinned, the composition chooses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Its width.
    pub span: Option<SpanPin>,
    /// Its row.
    pub row: RowPin,
}

/// A pinned width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpanPin {
    /// This many columns of the page's grid.
    Columns(u32),
    /// The whole width.
    Full,
}

/// A pinned row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowPin {
    /// The composition chooses.
    #[default]
    Free,
    /// In the same row as the block before it.
    Same,
    /// At the start of a new row.
    New,
}

/// A block with the YAML path it came from (the layout echoes `id` back in its reports).
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// YAML path, e.g. `pages[0].blocks[3]`; unique within the volume.
    pub id: String,
    /// Where the block starts in the volume file.
    #[serde(skip)]
    pub at: Option<crate::diag::Position>,
    /// Where the author pinned it.
    #[serde(skip)]
    pub place: Place,
    /// What the block is.
    #[serde(flatten)]
    pub kind: BlockKind,
}

/// The kinds of block a page can hold.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BlockKind {
    /// The name plate; its content comes from the series and the volume.
    Masthead,
    /// A headline.
    Headline(Headline),
    /// A row of statistics.
    Stats {
        /// The statistics, left to right.
        stats: Vec<Stat>,
    },
    /// A numbered section.
    Section(Section),
    /// A boxed notice.
    Callout(Callout),
    /// The manifesto.
    Manifesto(Manifesto),
    /// Running text.
    Text(TextBlock),
    /// An event notice.
    Event(Event),
    /// A photo.
    Photo(Photo),
    /// The publisher's line; its content comes from the series.
    Colophon,
    /// A table.
    Table(Table),
    /// A QR code.
    Qr(Qr),
    /// A profile.
    Profile(Profile),
    /// Questions and answers.
    Qa(Qa),
    /// Photos in a grid.
    Gallery(Gallery),
    /// A coupon to cut off at the foot of the page.
    Form(Form),
    /// A list of names.
    Names(Names),
}

impl BlockKind {
    /// The kind's name as written in a volume (and in the layout's rules).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Masthead => "masthead",
            Self::Headline(_) => "headline",
            Self::Stats { .. } => "stats",
            Self::Section(_) => "section",
            Self::Callout(_) => "callout",
            Self::Manifesto(_) => "manifesto",
            Self::Text(_) => "text",
            Self::Event(_) => "event",
            Self::Photo(_) => "photo",
            Self::Colophon => "colophon",
            Self::Table(_) => "table",
            Self::Qr(_) => "qr",
            Self::Profile(_) => "profile",
            Self::Qa(_) => "qa",
            Self::Gallery(_) => "gallery",
            Self::Form(_) => "form",
            Self::Names(_) => "names",
        }
    }

    /// How many parts kept whole the block is made of, for a kind whose parts may flow
    /// from column to column (a question with its answer); `None` for other kinds.
    pub fn units(&self) -> Option<usize> {
        match self {
            Self::Qa(qa) => Some(qa.pairs.len()),
            _ => None,
        }
    }

    /// The images of the block, in order: `(src, file)` — the path inside the layout's
    /// project and the file on disk.
    pub fn images(&self) -> Vec<(&str, &std::path::Path)> {
        match self {
            Self::Photo(p) => vec![(p.src.as_str(), p.file.as_path())],
            Self::Profile(p) => {
                p.portrait.iter().map(|p| (p.src.as_str(), p.file.as_path())).collect()
            }
            Self::Gallery(g) => g
                .photos
                .iter()
                .map(|p| (p.picture.src.as_str(), p.picture.file.as_path()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The same images, to point them at prepared files (`src`) and give their pixels.
    pub fn images_mut(&mut self) -> Vec<(&mut String, Option<&mut [u32; 2]>)> {
        match self {
            Self::Photo(p) => vec![(&mut p.src, None)],
            Self::Profile(p) => {
                p.portrait.iter_mut().map(|p| (&mut p.src, Some(&mut p.pixels))).collect()
            }
            Self::Gallery(g) => g
                .photos
                .iter_mut()
                .map(|p| (&mut p.picture.src, Some(&mut p.picture.pixels)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A headline.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// Small line above.
    pub kicker: Option<RichText>,
    /// The headline.
    pub title: RichText,
    /// Line below.
    pub subtitle: Option<RichText>,
}

/// A figure split into digit runs and the rest, so that digits can be set large.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure(pub Vec<FigurePart>);

/// A run of a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigurePart {
    /// The characters.
    pub text: String,
    /// Whether they are digits (with `.` and `,` between digits).
    pub digits: bool,
}

impl Figure {
    /// Splits text into runs of digits and runs of everything else.
    pub fn split(text: &str) -> Self {
        let mut parts: Vec<FigurePart> = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let between_digits = matches!(c, '.' | ',')
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            let digits = c.is_ascii_digit() || between_digits;
            match parts.last_mut() {
                Some(last) if last.digits == digits => last.text.push(c),
                _ => parts.push(FigurePart { text: c.to_string(), digits }),
            }
        }
        Self(parts)
    }
}

/// A statistic.
#[derive(Debug, Clone, Serialize)]
pub struct Stat {
    /// The figure and its unit, split for large digits.
    pub figure: Figure,
    /// What the figure is out of, split likewise.
    pub context: Option<Figure>,
    /// What is counted.
    pub title: RichText,
    /// Where it comes from.
    pub note: Option<RichText>,
}

/// A numbered section.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// 1–99.
    pub number: u32,
    /// The theme.
    pub theme: RichText,
    /// Line under the theme.
    pub tagline: Option<RichText>,
    /// A boxed notice inside the section.
    pub callout: Option<Callout>,
    /// The items.
    pub items: Vec<Item>,
}

/// A list item with an optional example.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The item.
    pub text: RichText,
    /// The example (例).
    pub example: Option<RichText>,
}

/// A boxed notice.
#[derive(Debug, Clone, Serialize)]
pub struct Callout {
    /// Small line above.
    pub lead: Option<RichText>,
    /// Label set apart.
    pub label: Option<RichText>,
    /// Title.
    pub title: RichText,
    /// Text.
    pub body: Option<RichText>,
}

/// The manifesto.
#[derive(Debug, Clone, Serialize)]
pub struct Manifesto {
    /// The large line at the top.
    pub heading: RichText,
    /// The line under it.
    pub lead: Option<RichText>,
    /// Title of the list of policies.
    pub title: Option<RichText>,
    /// A note.
    pub note: Option<RichText>,
    /// The priority policies.
    pub priorities: Vec<Priority>,
}

/// A priority policy.
#[derive(Debug, Clone, Serialize)]
pub struct Priority {
    /// 1–99.
    pub number: u32,
    /// Theme.
    pub theme: RichText,
    /// Line under it.
    pub subtitle: Option<RichText>,
    /// Goals (numbered ①… by the layout).
    pub goals: Vec<RichText>,
    /// Measures.
    pub items: Vec<Item>,
}

/// Running text.
#[derive(Debug, Clone, Serialize)]
pub struct TextBlock {
    /// Heading.
    pub heading: Option<RichText>,
    /// Paragraphs.
    pub paragraphs: Vec<RichText>,
    /// Signature, flush right.
    pub signature: Option<RichText>,
}

/// An event notice.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// What.
    pub title: RichText,
    /// When.
    pub when: RichText,
    /// Where.
    pub place: Option<RichText>,
    /// More.
    pub body: Option<RichText>,
    /// Whom to ask.
    pub contact: Option<RichText>,
}

/// A photo.
#[derive(Debug, Clone, Serialize)]
pub struct Photo {
    /// Path of the image inside the layout's virtual project, e.g. `/images/0.jpg`.
    pub src: String,
    /// The image file on disk.
    #[serde(skip)]
    pub file: PathBuf,
    /// Caption.
    pub caption: Option<RichText>,
    /// Credit.
    pub credit: Option<RichText>,
    /// Description for screen readers (the archive PDF is tagged for accessibility).
    pub alt: String,
    /// The frame's proportions, when the author pinned them.
    pub crop: Option<Crop>,
    /// The point kept in the frame when it crops: x and y from the top left, 0–1.
    pub focus: [f64; 2],
}

/// Pinned frame proportions of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Crop {
    /// Width / height.
    Ratio(f64),
    /// The photo's own proportions.
    Keep,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_split_digits_from_units() {
        let parts = |s: &str| {
            Figure::split(s).0.into_iter().map(|p| (p.text, p.digits)).collect::<Vec<_>>()
        };
        assert_eq!(
            parts("23億2107万円余"),
            vec![
                ("23".into(), true),
                ("億".into(), false),
                ("2107".into(), true),
                ("万円余".into(), false)
            ]
        );
        assert_eq!(parts("23.21億"), vec![("23.21".into(), true), ("億".into(), false)]);
        assert_eq!(parts("1,200人"), vec![("1,200".into(), true), ("人".into(), false)]);
        assert_eq!(parts("5.位"), vec![("5".into(), true), (".位".into(), false)]);
    }
}

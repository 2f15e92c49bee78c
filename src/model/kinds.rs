//! The validated block kinds beyond VOL.10's: tables, QR codes, profiles, questions and
//! answers, galleries, forms and name lists, as the layout reads them.

use std::path::PathBuf;

use serde::Serialize;

use crate::rich::RichText;

/// A table.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// The title above it.
    pub caption: Option<RichText>,
    /// One heading per column.
    pub header: Vec<RichText>,
    /// One alignment per column.
    pub align: Vec<Align>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<RichText>>,
    /// The total row, one cell per column.
    pub total: Option<Vec<RichText>>,
    /// The note under it.
    pub note: Option<RichText>,
}

/// How a column is aligned; `right` columns set their figures tabular.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right, tabular figures.
    Right,
}

/// A QR code, its modules computed by kaiho (see `qr`), drawn by the layout as shapes.
#[derive(Debug, Clone, Serialize)]
pub struct Qr {
    /// What it encodes.
    pub text: String,
    /// The address it opens, when it is one (a link on screen).
    pub url: Option<String>,
    /// The line beside it.
    pub caption: Option<RichText>,
    /// Printed width, quiet zone included, in millimetres.
    pub size: f64,
    /// Modules across the code, without the quiet zone.
    pub modules: u32,
    /// Modules of quiet zone on every side.
    pub quiet: u32,
    /// Dark modules as runs along a row: `[row, column, length]`.
    pub runs: Vec<[u32; 3]>,
    /// The error-correction level, `M`, `Q` or `H`.
    pub level: &'static str,
}

/// A picture of a profile or gallery.
#[derive(Debug, Clone, Serialize)]
pub struct Picture {
    /// Path inside the layout's virtual project, e.g. `/images/3.jpg`.
    pub src: String,
    /// The file on disk.
    #[serde(skip)]
    pub file: PathBuf,
    /// Description for screen readers.
    pub alt: String,
    /// The point kept in the frame, x and y from the top left, 0–1.
    pub focus: [f64; 2],
    /// Width and height in pixels, once the image is read (the layout keeps it at 300 ppi
    /// or more).
    pub pixels: [u32; 2],
}

/// A profile.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// The portrait.
    pub portrait: Option<Picture>,
    /// Its frame's width / height, or `None` for the portrait's own.
    pub crop: Option<f64>,
    /// Whether the author chose the crop (`crop:`): then the layout keeps it. Otherwise
    /// the frame is 3:4, and the layout may crop it further to the text beside it.
    #[serde(rename = "crop-pinned")]
    pub crop_pinned: bool,
    /// The name.
    pub name: RichText,
    /// Its reading, set as ruby over it.
    pub reading: Option<String>,
    /// The role.
    pub role: Option<RichText>,
    /// The career, in order.
    pub career: Vec<Career>,
    /// The message.
    pub message: Option<RichText>,
}

/// A step of a career.
#[derive(Debug, Clone, Serialize)]
pub struct Career {
    /// When.
    pub year: RichText,
    /// What.
    pub text: RichText,
}

/// Questions and answers.
#[derive(Debug, Clone, Serialize)]
pub struct Qa {
    /// The heading.
    pub title: Option<RichText>,
    /// The question's label and the answer's.
    pub labels: [String; 2],
    /// The pairs.
    pub pairs: Vec<Pair>,
}

/// A question with its answer and who asks and answers.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// The question.
    pub question: RichText,
    /// The answer.
    pub answer: RichText,
    /// Who asks.
    pub asker: Option<RichText>,
    /// Who answers.
    pub answerer: Option<RichText>,
}

/// Photos in a grid.
#[derive(Debug, Clone, Serialize)]
pub struct Gallery {
    /// The heading.
    pub title: Option<RichText>,
    /// One frame proportion (width / height) for all, or `None` for each photo's own.
    pub crop: Option<f64>,
    /// Whether the author wrote the crop; else the composition may choose the frames'
    /// proportions (see `composition::gallery::frames`).
    #[serde(skip)]
    pub crop_pinned: bool,
    /// Photos to a row, when the author pinned it (else the composition chooses).
    pub per_row: Option<u32>,
    /// The photos.
    pub photos: Vec<GalleryPhoto>,
}

/// A photo of a gallery.
#[derive(Debug, Clone, Serialize)]
pub struct GalleryPhoto {
    /// The picture.
    #[serde(flatten)]
    pub picture: Picture,
    /// Its caption.
    pub caption: Option<RichText>,
}

/// A coupon to cut off.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    /// Its title.
    pub title: RichText,
    /// The line under it.
    pub lead: Option<RichText>,
    /// The fields.
    pub fields: Vec<Field>,
    /// Where to send it.
    pub send_to: Option<RichText>,
    /// On screen, the coupon becomes a link here (else to the publisher's site, if any).
    pub url: Option<String>,
}

/// A field of a form.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Its label.
    pub label: RichText,
    /// Writing lines, each at least 8 mm tall.
    pub lines: u32,
    /// A ふりがな line above it.
    pub furigana: bool,
}

/// A list of names.
#[derive(Debug, Clone, Serialize)]
pub struct Names {
    /// The heading.
    pub title: Option<RichText>,
    /// The groups (one without a heading when the names were given directly).
    pub groups: Vec<NameGroup>,
    /// A note under the list.
    pub note: Option<RichText>,
}

/// Names under one heading.
#[derive(Debug, Clone, Serialize)]
pub struct NameGroup {
    /// The heading.
    pub heading: Option<RichText>,
    /// The names, in order.
    pub names: Vec<RichText>,
}

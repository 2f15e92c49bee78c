//! What `manifest.json` records: for the run, everything that shapes the bytes (kaiho,
//! Typst, the layout, the series file, the fonts); per volume its source, the files made or
//! supplied and their hashes.

use serde::{Deserialize, Serialize};

/// The manifest's file name in the archive folder.
pub const MANIFEST: &str = "manifest.json";

/// The profile named for a past issue's PDF, which is supplied, not built.
pub const SUPPLIED: &str = "supplied";

/// What `manifest.json` records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// kaiho's version.
    pub kaiho: String,
    /// Typst's version.
    pub typst: String,
    /// SHA-256 of the layout's files.
    pub layout: String,
    /// The series file.
    pub series: Source,
    /// The fonts used.
    pub fonts: Vec<FontRecord>,
    /// The volumes, by number.
    pub volumes: Vec<VolumeRecord>,
    /// The catalogue.
    pub index: Option<Output>,
}

/// A source file and its hash.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// Path as given.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// A font face used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FontRecord {
    /// Family name.
    pub family: String,
    /// Style and weight.
    pub variant: String,
    /// The font file.
    pub file: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// One volume of the archive.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VolumeRecord {
    /// VOL.n.
    pub volume: u32,
    /// Issue label.
    pub issue: String,
    /// Publication date.
    pub date: String,
    /// The volume file.
    pub source: Source,
    /// A past issue's PDF as supplied: its copy among `outputs` (profile `supplied`) has
    /// exactly these bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplied: Option<Source>,
    /// The files made from it (or, for a past issue, the copy of its PDF).
    pub outputs: Vec<Output>,
    /// A past issue's text, for search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextRecord>,
}

impl VolumeRecord {
    /// Whether this is a past issue, archived as supplied.
    pub fn is_past(&self) -> bool {
        self.supplied.is_some()
    }
}

/// An output file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Output {
    /// File name in the archive folder.
    pub file: String,
    /// Profile it was made with (`supplied` for a past issue's PDF).
    pub profile: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Pages.
    pub pages: usize,
    /// Size in bytes.
    pub bytes: usize,
}

/// The searchable text of a past issue, kept in the archive.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TextRecord {
    /// File in the archive folder, e.g. `text/komoro-brand-vol005-2021-08.json`.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Pages read by OCR.
    pub ocr: Vec<usize>,
    /// Pages nothing could read (no OCR, or it failed).
    pub unread: Vec<usize>,
    /// The OCR engine that read `ocr`, e.g. `tesseract 5.3.0, jpn.traineddata 7b2d…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
}

//! What kaiho keeps about fonts between runs, in the user's cache folder: face metadata
//! and usage records, in one self-checking JSON file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use typst::text::FontInfo;

use super::files::FaceKey;

/// What kaiho keeps about fonts between runs, in the user's cache folder (one file per
/// kaiho version, since the metadata format is Typst's). A cache that cannot be read or
/// written is simply not used: it changes how fast kaiho is, never what it makes. A file
/// that is cut short, altered, or of another format is ignored and written anew.
///
/// - Typst's metadata of each face: computing it reads the face's whole character map
///   (about 1.5 ms for a Noto CJK face) and it only changes with the file, so entries are
///   keyed by path and face and valid while the file's size and modification time stay.
/// - Per set of families and font folders, the faces the last run used, in the order Typst
///   wanted them.
#[derive(Debug)]
pub(super) struct FontCache {
    path: Option<PathBuf>,
    contents: CacheContents,
    changed: bool,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct CacheContents {
    faces: BTreeMap<String, CachedInfo>,
    used: BTreeMap<String, Vec<FaceKey>>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CachedInfo {
    size: u64,
    modified_ns: u128,
    info: FontInfo,
}

/// The file's first bytes name its format, so that a file of another format is not read.
const FORMAT: &str = concat!("kaiho ", env!("CARGO_PKG_VERSION"), " font cache 2");

/// `{"format":"…","check":"<32 hex digits>","contents":` — then the contents, then `}`.
/// The check is Typst's hash of the contents' bytes: metadata altered on disk would make
/// Typst choose other faces (and still parse), so a file whose check fails is not used.
fn prefix() -> String {
    format!(r#"{{"format":"{FORMAT}","check":""#)
}

const AFTER_CHECK: &str = r#"","contents":"#;

/// The JSON of the cache file holding `contents`.
fn encode(contents: &[u8]) -> Vec<u8> {
    let check = format!("{:032x}", typst::utils::hash128(contents));
    [prefix().as_bytes(), check.as_bytes(), AFTER_CHECK.as_bytes(), contents, b"}"].concat()
}

/// The contents of a cache file, if it is whole and of this format.
fn decode(file: &[u8]) -> Option<&[u8]> {
    let rest = file.strip_prefix(prefix().as_bytes())?;
    let (check, rest) = rest.split_at_checked(32)?;
    let contents = rest.strip_prefix(AFTER_CHECK.as_bytes())?.strip_suffix(b"}")?;
    let check = u128::from_str_radix(std::str::from_utf8(check).ok()?, 16).ok()?;
    (check == typst::utils::hash128(contents)).then_some(contents)
}

impl FontCache {
    /// The cache file in kaiho's cache folder.
    pub fn location() -> Option<PathBuf> {
        Some(super::folder::dir()?.join(Self::file_name()))
    }

    /// `fonts-<kaiho version>.json`.
    pub fn file_name() -> String {
        format!("fonts-{}.json", env!("CARGO_PKG_VERSION"))
    }

    pub fn load() -> Self {
        Self::load_from(Self::location())
    }

    fn load_from(path: Option<PathBuf>) -> Self {
        let bytes = path.as_ref().and_then(|p| std::fs::read(p).ok());
        let contents = bytes
            .as_deref()
            .and_then(decode)
            .and_then(|contents| serde_json::from_slice(contents).ok());
        // A file that is there but not usable is replaced even if nothing else changes.
        let changed = bytes.is_some() && contents.is_none();
        Self { path, contents: contents.unwrap_or_default(), changed }
    }

    /// How many faces and usage records a cache file describes, if it is usable.
    pub fn summary(path: &Path) -> Option<(usize, usize)> {
        let bytes = std::fs::read(path).ok()?;
        let contents: CacheContents = serde_json::from_slice(decode(&bytes)?).ok()?;
        Some((contents.faces.len(), contents.used.len()))
    }

    fn stamp(path: &Path) -> Option<(u64, u128)> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((meta.len(), modified.as_nanos()))
    }

    fn key(path: &Path, index: u32) -> String {
        format!("{}#{index}", path.display())
    }

    pub fn info(&self, path: &Path, index: u32) -> Option<FontInfo> {
        let entry = self.contents.faces.get(&Self::key(path, index))?;
        let (size, modified_ns) = Self::stamp(path)?;
        (entry.size == size && entry.modified_ns == modified_ns).then(|| entry.info.clone())
    }

    pub fn put_info(&mut self, path: &Path, index: u32, info: FontInfo) {
        if let Some((size, modified_ns)) = Self::stamp(path) {
            let entry = CachedInfo { size, modified_ns, info };
            self.contents.faces.insert(Self::key(path, index), entry);
            self.changed = true;
        }
    }

    pub fn used(&self, families: &str) -> &[FaceKey] {
        self.contents.used.get(families).map_or(&[], Vec::as_slice)
    }

    pub fn put_used(&mut self, families: &str, faces: Vec<FaceKey>) {
        self.contents.used.insert(families.to_owned(), faces);
        self.changed = true;
    }

    pub fn save(&mut self) {
        if let (true, Some(path)) = (self.changed, &self.path)
            && let Ok(json) = serde_json::to_vec(&self.contents)
        {
            let _ = crate::output::write_atomic(path, &encode(&json));
            self.changed = false;
        }
    }
}

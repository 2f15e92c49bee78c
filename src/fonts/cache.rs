//! What kaiho keeps about fonts between runs, in the user's cache folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use typst::text::FontInfo;

use super::files::FaceKey;

/// What kaiho keeps about fonts between runs, in the user's cache folder (one file per
/// kaiho version, since the metadata format is Typst's). A cache that cannot be read or
/// written is simply not used: it changes how fast kaiho is, never what it makes.
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

impl FontCache {
    /// kaiho's cache folder: `KAIHO_CACHE_DIR`, else `$XDG_CACHE_HOME/kaiho`, else
    /// `~/.cache/kaiho`.
    pub fn dir() -> Option<PathBuf> {
        std::env::var_os("KAIHO_CACHE_DIR").map(PathBuf::from).or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
                .map(|c| c.join("kaiho"))
        })
    }

    fn location() -> Option<PathBuf> {
        Some(Self::dir()?.join(format!("fonts-{}.json", env!("CARGO_PKG_VERSION"))))
    }

    pub fn load() -> Self {
        let path = Self::location();
        let contents = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self { path, contents, changed: false }
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
            let _ = crate::output::write_atomic(path, &json);
            self.changed = false;
        }
    }
}

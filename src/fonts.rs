//! Font discovery with fontdb and lazy, shared loading of the faces Typst uses.
//!
//! Folders are searched in a fixed order: `--font-path` / `KAIHO_FONT_PATH`, the project's
//! `fonts/`, then the system's font folders. Only the faces of the families the series asks
//! for enter Typst's font book, so Typst never reads the rest. Each font file is memory-mapped
//! once and shared by all of its faces (a `.ttc` collection holds ten).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

/// Where fonts were looked for, in order.
#[derive(Debug, Clone, Default)]
pub struct FontSearch {
    /// Folders or files given with `--font-path` or `KAIHO_FONT_PATH`.
    pub extra: Vec<PathBuf>,
    /// The project's `fonts/` folder, if there is one.
    pub project: Option<PathBuf>,
    /// Whether to search the system's font folders too.
    pub system: bool,
}

/// Why fonts could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// A family the series needs is not installed anywhere kaiho looked.
    #[error("font family `{family}` was not found (searched: {searched})\n  hint: {hint}")]
    Missing {
        /// The family.
        family: String,
        /// The folders searched, for the message.
        searched: String,
        /// How to install it.
        hint: String,
    },
    /// A font file was found but cannot be read.
    #[error("cannot read font file {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One face in Typst's font book, loaded on first use.
#[derive(Debug)]
struct FontSlot {
    path: PathBuf,
    index: u32,
    font: OnceLock<Option<Font>>,
}

/// The font files and faces of one kaiho run, shared by every document it typesets.
#[derive(Debug)]
pub struct FontSet {
    book: LazyHash<FontBook>,
    slots: Vec<FontSlot>,
    files: FileCache,
}

/// Font files mapped into memory, one mapping per file however many faces use it.
#[derive(Debug, Default)]
struct FileCache(Mutex<HashMap<PathBuf, Bytes>>);

impl FileCache {
    fn get(&self, path: &Path) -> Result<Bytes, std::io::Error> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bytes) = files.get(path) {
            return Ok(bytes.clone());
        }
        let file = std::fs::File::open(path)?;
        // SAFETY: font files are not modified while kaiho runs; a file changed underneath
        // would at worst produce wrong glyphs, the same risk as any reader of fonts.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        let bytes = Bytes::new(map);
        files.insert(path.to_path_buf(), bytes.clone());
        Ok(bytes)
    }
}

/// A face that kaiho uses, for reports: family, style and the file it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceReport {
    /// Family name.
    pub family: String,
    /// Style, weight and stretch, as Typst sees them.
    pub variant: String,
    /// The font file.
    pub path: PathBuf,
    /// Face index in the file.
    pub index: u32,
}

impl FontSet {
    /// Finds every face of `families` in the search folders and builds the font book.
    pub fn discover(search: &FontSearch, families: &[&str]) -> Result<Self, FontError> {
        let mut db = fontdb::Database::new();
        for path in &search.extra {
            if path.is_file() {
                db.load_font_file(path)
                    .map_err(|source| FontError::Unreadable { path: path.clone(), source })?;
            } else {
                db.load_fonts_dir(path);
            }
        }
        if let Some(dir) = &search.project {
            db.load_fonts_dir(dir);
        }
        if search.system {
            db.load_system_fonts();
        }

        let wanted: Vec<String> = families.iter().map(|f| f.to_lowercase()).collect();
        let mut chosen: Vec<(PathBuf, u32)> = Vec::new();
        for face in db.faces() {
            let Some(path) = face_path(&face.source) else {
                continue;
            };
            let matches =
                face.families.iter().any(|(name, _)| wanted.contains(&name.to_lowercase()));
            if matches && !chosen.iter().any(|(p, i)| p == &path && *i == face.index) {
                chosen.push((path, face.index));
            }
        }

        let files = FileCache::default();
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        let mut cache = InfoCache::load();
        // fontdb lists faces in the order their folders were loaded, so project fonts come
        // before system fonts, and Typst picks the first of two equal faces.
        for (path, index) in chosen {
            let info = match cache.get(&path, index) {
                Some(info) => Some(info),
                None => {
                    let data = files
                        .get(&path)
                        .map_err(|source| FontError::Unreadable { path: path.clone(), source })?;
                    let info = FontInfo::new(&data, index);
                    if let Some(info) = &info {
                        cache.put(&path, index, info.clone());
                    }
                    info
                }
            };
            if let Some(info) = info {
                book.push(info);
                slots.push(FontSlot { path, index, font: OnceLock::new() });
            }
        }
        cache.save();

        for family in families {
            if !book.contains_family(&family.to_lowercase()) {
                return Err(missing(family, search));
            }
        }
        Ok(Self { book: LazyHash::new(book), slots, files })
    }

    /// Typst's view of the available faces.
    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    /// Whether any face in the book can draw `c`.
    pub fn covers(&self, c: char) -> bool {
        (0..self.slots.len())
            .any(|i| self.book.info(i).is_some_and(|info| info.coverage.contains(c as u32)))
    }

    /// The face at `index` of the book, loaded on first use.
    pub fn font(&self, index: usize) -> Option<Font> {
        let slot = self.slots.get(index)?;
        slot.font
            .get_or_init(|| {
                let data = self.files.get(&slot.path).ok()?;
                Font::new(data, slot.index)
            })
            .clone()
    }

    /// The faces in the book, for reports and the archive manifest.
    pub fn faces(&self) -> Vec<FaceReport> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| {
                let info = self.book.info(i)?;
                Some(FaceReport {
                    family: info.family.clone(),
                    variant: format!(
                        "{:?} {}",
                        info.variant.style,
                        info.variant.weight.to_number()
                    ),
                    path: slot.path.clone(),
                    index: slot.index,
                })
            })
            .collect()
    }
}

/// Typst's metadata of font faces, kept between runs: computing it reads a face's whole
/// character map (about 1.5 ms for a Noto CJK face), and it only changes with the file.
/// Entries are keyed by path and face index and valid while the file's size and
/// modification time stay the same; the file lives in the user's cache folder, one per
/// kaiho version (the format is Typst's). A cache that cannot be read or written is
/// simply not used.
struct InfoCache {
    path: Option<PathBuf>,
    entries: std::collections::BTreeMap<String, CachedInfo>,
    changed: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CachedInfo {
    size: u64,
    modified_ns: u128,
    info: FontInfo,
}

impl InfoCache {
    fn location() -> Option<PathBuf> {
        let base = std::env::var_os("KAIHO_CACHE_DIR").map(PathBuf::from).or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
                .map(|c| c.join("kaiho"))
        })?;
        Some(base.join(format!("font-info-{}.json", env!("CARGO_PKG_VERSION"))))
    }

    fn load() -> Self {
        let path = Self::location();
        let entries = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self { path, entries, changed: false }
    }

    fn stamp(path: &Path) -> Option<(u64, u128)> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((meta.len(), modified.as_nanos()))
    }

    fn key(path: &Path, index: u32) -> String {
        format!("{}#{index}", path.display())
    }

    fn get(&self, path: &Path, index: u32) -> Option<FontInfo> {
        let entry = self.entries.get(&Self::key(path, index))?;
        let (size, modified_ns) = Self::stamp(path)?;
        (entry.size == size && entry.modified_ns == modified_ns).then(|| entry.info.clone())
    }

    fn put(&mut self, path: &Path, index: u32, info: FontInfo) {
        if let Some((size, modified_ns)) = Self::stamp(path) {
            self.entries.insert(Self::key(path, index), CachedInfo { size, modified_ns, info });
            self.changed = true;
        }
    }

    fn save(&self) {
        if let (true, Some(path)) = (self.changed, &self.path)
            && let Ok(json) = serde_json::to_vec(&self.entries)
        {
            let _ = crate::output::write_atomic(path, &json);
        }
    }
}

fn face_path(source: &fontdb::Source) -> Option<PathBuf> {
    match source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some(path.clone()),
        fontdb::Source::Binary(_) => None,
    }
}

fn missing(family: &str, search: &FontSearch) -> FontError {
    let mut searched: Vec<String> = search.extra.iter().map(|p| p.display().to_string()).collect();
    if let Some(p) = &search.project {
        searched.push(p.display().to_string());
    }
    if search.system {
        searched.push("system font folders".into());
    }
    let hint = if family.starts_with("Noto") && family.contains("CJK") {
        "install Noto CJK: on Debian/Ubuntu `apt-get install fonts-noto-cjk`; or put the .ttc/.otf files in fonts/ or pass --font-path DIR".to_owned()
    } else {
        format!(
            "install `{family}`, put its files in fonts/, or pass --font-path DIR; the family is named in data/series.yaml under fonts"
        )
    };
    FontError::Missing { family: family.to_owned(), searched: searched.join(", "), hint }
}

//! Font discovery with fontdb and lazy, shared loading of the faces Typst uses.
//!
//! Folders are searched in a fixed order: `--font-path` / `KAIHO_FONT_PATH`, the project's
//! `fonts/`, then the system's font folders. Only the faces of the families the series asks
//! for enter Typst's font book, so Typst never reads the rest. Each font file is memory-mapped
//! once and shared by all of its faces (a `.ttc` collection holds ten).
//!
//! Which faces a run used is recorded in the cache (`cache`), and the next run starts
//! loading those on another core before it even scans the folders (`files`). The cache
//! folder as a whole — where it is, what it holds, tidying it — is `folder`'s.

mod cache;
mod extract;
mod files;
mod folder;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

use self::cache::FontCache;
use self::files::{FaceKey, FontFiles};
pub use self::folder::{
    CacheContents, CacheEntry, EntryKind, clear as clear_cache, contents as cache_contents,
    dir as cache_dir,
};

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
    /// When Typst first asked for this face in this process (for the usage record).
    first_use: OnceLock<usize>,
}

/// The font files and faces of one kaiho run, shared by every document it typesets.
#[derive(Debug)]
pub struct FontSet {
    book: LazyHash<FontBook>,
    slots: Vec<FontSlot>,
    files: Arc<FontFiles>,
    /// The key of these families and folders in the usage record.
    usage_key: String,
    /// Counts first uses, to record faces in the order Typst wants them.
    uses: AtomicUsize,
    cache: Mutex<FontCache>,
    /// The cache folder, tidied once per run.
    cache_dir: Option<PathBuf>,
    tidied: std::sync::Once,
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
        Self::discover_impl(search, families, false)
    }

    /// Like [`discover`](Self::discover), but first starts loading the faces that the last
    /// run with these families and folders used, on another core, so that their hashing
    /// overlaps with scanning the folders and reading the volume (see `files`).
    pub fn discover_and_load(search: &FontSearch, families: &[&str]) -> Result<Self, FontError> {
        Self::discover_impl(search, families, true)
    }

    fn discover_impl(
        search: &FontSearch,
        families: &[&str],
        load_ahead: bool,
    ) -> Result<Self, FontError> {
        let mut cache = FontCache::load();
        let key = usage_key(families, search);
        let cache_dir = folder::dir();
        let files = Arc::new(FontFiles::new(cache_dir.as_deref().map(folder::faces)));
        if load_ahead {
            files.load_ahead(cache.used(&key).to_vec());
        }

        crate::trace::mark(|| "font cache read".into());
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

        let mut book = FontBook::new();
        let mut slots = Vec::new();
        // fontdb lists faces in the order their folders were loaded, so project fonts come
        // before system fonts, and Typst picks the first of two equal faces.
        for (path, index) in chosen {
            let info = match cache.info(&path, index) {
                Some(info) => Some(info),
                None => {
                    let data = files
                        .data(&path)
                        .map_err(|source| FontError::Unreadable { path: path.clone(), source })?;
                    let info = FontInfo::new(&data, index);
                    if let Some(info) = &info {
                        cache.put_info(&path, index, info.clone());
                    }
                    info
                }
            };
            if let Some(info) = info {
                book.push(info);
                slots.push(FontSlot {
                    path,
                    index,
                    font: OnceLock::new(),
                    first_use: OnceLock::new(),
                });
            }
        }
        cache.save();
        crate::trace::mark(|| "fonts discovered".into());

        for family in families {
            if !book.contains_family(&family.to_lowercase()) {
                return Err(missing(family, search));
            }
        }
        Ok(Self {
            book: LazyHash::new(book),
            slots,
            files,
            usage_key: key,
            uses: AtomicUsize::new(0),
            cache: Mutex::new(cache),
            cache_dir,
            tidied: std::sync::Once::new(),
        })
    }

    /// Records which faces were used, in order, for the next run to load ahead (writing the
    /// cache only when that changed), extracts the used faces of collections, and tidies
    /// the cache folder once per run. Faces used by any document of this run count.
    pub fn remember_usage(&self) {
        let mut used: Vec<(usize, FaceKey)> = self
            .slots
            .iter()
            .filter_map(|slot| {
                let order = *slot.first_use.get()?;
                Some((order, FaceKey { path: slot.path.clone(), index: slot.index }))
            })
            .collect();
        used.sort_by_key(|(order, _)| *order);
        let used: Vec<FaceKey> = used.into_iter().map(|(_, key)| key).collect();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        // Under the lock, so that parallel documents do not extract the same face twice.
        self.files.extract(&used);
        if let Some(dir) = &self.cache_dir {
            self.tidied.call_once(|| folder::tidy(dir));
        }
        if cache.used(&self.usage_key) != used.as_slice() {
            cache.put_used(&self.usage_key, used);
            cache.save();
        }
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

    /// The face at `index` of the book, for Typst: loaded on first use.
    pub fn font(&self, index: usize) -> Option<Font> {
        let slot = self.slots.get(index)?;
        slot.first_use.get_or_init(|| self.uses.fetch_add(1, Ordering::Relaxed));
        slot.font
            .get_or_init(|| self.files.face(&slot.path, slot.index, self.book.info(index)))
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

/// The key of a usage record: the families and where they were looked for, since other
/// folders can hold other files of the same families.
fn usage_key(families: &[&str], search: &FontSearch) -> String {
    let mut places: Vec<String> = search.extra.iter().map(|p| p.display().to_string()).collect();
    places.extend(search.project.iter().map(|p| p.display().to_string()));
    if search.system {
        places.push("system".into());
    }
    format!("{} in {}", families.join(" + "), places.join(", "))
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

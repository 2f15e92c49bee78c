//! kaiho's cache folder as a whole: where it is, what it holds, keeping it tidy, emptying it.
//!
//! The folder holds `fonts-<version>.json` (see `cache`), `faces/`, the single faces
//! extracted from collections (see `extract`), and `measures/`, the measurements of each
//! volume file built (see `composition::memo`). Every build tidies it once: temporary files
//! left by a write that was killed, copies whose font file is gone or has changed, and
//! measurements not used for a month are removed. Anything else found there (such as the Typst CLI that `scripts/bench` installs)
//! is not kaiho's to remove, and is only listed.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::cache::FontCache;
use super::extract::{self, Trailer};

/// The folder of extracted faces, inside the cache folder.
const FACES: &str = "faces";

/// The folder of remembered measurements, inside the cache folder.
const MEASURES: &str = crate::composition::memo::FOLDER;

/// How long a volume's measurements are kept unused: a volume file built again within it
/// takes one compile instead of several.
const UNUSED: Duration = Duration::from_secs(30 * 24 * 3600);

/// How old a temporary file must be to count as left by a killed write: a younger one may
/// be another kaiho's write in progress (a copy of a face is written in well under a second).
const ABANDONED: Duration = Duration::from_secs(600);

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

/// The folder of extracted faces in the cache folder `root`.
pub(super) fn faces(root: &Path) -> PathBuf {
    root.join(FACES)
}

/// What is in the cache folder.
#[derive(Debug)]
pub struct CacheContents {
    /// The cache folder.
    pub dir: PathBuf,
    /// What it holds, in file-name order (the faces' folder by its files).
    pub entries: Vec<CacheEntry>,
}

/// A file (or folder) in the cache folder.
#[derive(Debug)]
pub struct CacheEntry {
    /// Where it is.
    pub path: PathBuf,
    /// Its size, for a folder the size of everything in it.
    pub bytes: u64,
    /// What it is.
    pub kind: EntryKind,
}

/// What a file in the cache folder is.
#[derive(Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// This kaiho's font metadata: how many faces and usage records, or `None` if the file
    /// cannot be used (damaged, or of another format); the next build rewrites it.
    Metadata(Option<(usize, usize)>),
    /// The font metadata of another kaiho version.
    OtherVersion,
    /// The measurements remembered for one volume file.
    Measurements,
    /// A face extracted from a collection, current.
    Face {
        /// The collection.
        source: PathBuf,
        /// The face's index in it.
        index: u32,
    },
    /// A file the next build removes, and why.
    Stale(&'static str),
    /// A temporary file of a write that may still be in progress.
    Writing,
    /// Not a file kaiho's builds write: listed, never removed.
    Other,
}

impl EntryKind {
    /// Whether `kaiho cache --clear` removes it.
    fn is_kaihos(&self) -> bool {
        *self != Self::Other
    }
}

/// What the cache folder holds; `None` if there is no cache folder (no `HOME`).
pub fn contents() -> Option<CacheContents> {
    Some(contents_of(dir()?))
}

fn contents_of(dir: PathBuf) -> CacheContents {
    let mut entries = Vec::new();
    for (path, meta) in listing(&dir) {
        let name = file_name(&path);
        if name == FACES && meta.is_dir() {
            entries.extend(listing(&path).into_iter().map(|(path, meta)| {
                let kind = face_kind(&path, &meta);
                CacheEntry { bytes: size(&path, &meta), path, kind }
            }));
            continue;
        }
        if name == MEASURES && meta.is_dir() {
            entries.extend(listing(&path).into_iter().map(|(path, meta)| {
                let kind = measure_kind(&path, &meta);
                CacheEntry { bytes: size(&path, &meta), path, kind }
            }));
            continue;
        }
        let kind = if name == FontCache::file_name() {
            EntryKind::Metadata(FontCache::summary(&path))
        } else if name.starts_with("fonts-") && name.ends_with(".json") {
            EntryKind::OtherVersion
        } else {
            temporary_kind(&name, &meta).unwrap_or(EntryKind::Other)
        };
        entries.push(CacheEntry { bytes: size(&path, &meta), path, kind });
    }
    CacheContents { dir, entries }
}

/// Removes everything kaiho's builds write into the cache folder; returns what was removed
/// (file and bytes) or the first file that could not be.
pub fn clear(contents: &CacheContents) -> Result<Vec<(PathBuf, u64)>, (PathBuf, std::io::Error)> {
    let mut removed = Vec::new();
    for entry in contents.entries.iter().filter(|e| e.kind.is_kaihos()) {
        match std::fs::remove_file(&entry.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err((entry.path.clone(), e));
            }
            _ => removed.push((entry.path.clone(), entry.bytes)),
        }
    }
    // Folders go only when empty, so nothing that is not kaiho's is lost with them.
    let _ = std::fs::remove_dir(faces(&contents.dir));
    let _ = std::fs::remove_dir(contents.dir.join(MEASURES));
    let _ = std::fs::remove_dir(&contents.dir);
    Ok(removed)
}

/// Removes what a killed write left and copies that can no longer be used. Anything that
/// fails is left for the next build.
pub(super) fn tidy(root: &Path) {
    for folder in [root.to_path_buf(), faces(root), root.join(MEASURES)] {
        for (path, meta) in listing(&folder) {
            let name = file_name(&path);
            let kind = if folder == root {
                temporary_kind(&name, &meta)
            } else if folder.ends_with(MEASURES) {
                Some(measure_kind(&path, &meta))
            } else {
                Some(face_kind(&path, &meta))
            };
            if matches!(kind, Some(EntryKind::Stale(_))) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// What a file in the measurements' folder is.
fn measure_kind(path: &Path, meta: &std::fs::Metadata) -> EntryKind {
    let name = file_name(path);
    if let Some(kind) = temporary_kind(&name, meta) {
        return kind;
    }
    if !name.ends_with(".json") || !meta.is_file() {
        return EntryKind::Other;
    }
    let age = meta.modified().ok().and_then(|m| SystemTime::now().duration_since(m).ok());
    if age.is_some_and(|age| age > UNUSED) {
        EntryKind::Stale("measurements of a volume not built for a month")
    } else {
        EntryKind::Measurements
    }
}

/// What a file in the faces' folder is.
fn face_kind(path: &Path, meta: &std::fs::Metadata) -> EntryKind {
    let name = file_name(path);
    if let Some(kind) = temporary_kind(&name, meta) {
        return kind;
    }
    if name.ends_with(".otf") {
        return EntryKind::Stale("a copy written by an earlier kaiho, without a check");
    }
    if !name.ends_with(extract::SUFFIX) || !meta.is_file() {
        return EntryKind::Other;
    }
    let Some(trailer) = read_trailer(path, meta.len()) else {
        return EntryKind::Stale("a damaged copy: its end is missing");
    };
    if !trailer.source.exists() {
        return EntryKind::Stale("a copy of a font file that is gone");
    }
    if extract::name(&trailer.source, trailer.index).as_deref() != Some(name.as_str()) {
        return EntryKind::Stale("a copy of an earlier version of its font file");
    }
    EntryKind::Face { source: trailer.source, index: trailer.index }
}

/// A temporary file of an atomic write is stale once nobody can still be writing it.
fn temporary_kind(name: &str, meta: &std::fs::Metadata) -> Option<EntryKind> {
    if !crate::output::is_temporary(name) || !meta.is_file() {
        return None;
    }
    let age = meta.modified().ok().and_then(|m| SystemTime::now().duration_since(m).ok());
    Some(if age.is_some_and(|age| age > ABANDONED) {
        EntryKind::Stale("left by a write that was interrupted")
    } else {
        EntryKind::Writing
    })
}

/// The trailer of a copy, read from its last bytes only.
fn read_trailer(path: &Path, len: u64) -> Option<Trailer> {
    let mut file = std::fs::File::open(path).ok()?;
    let tail_len = len.min(Trailer::MAX_LEN as u64);
    file.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0; tail_len as usize];
    file.read_exact(&mut tail).ok()?;
    Trailer::decode(&tail, len)
}

/// The entries of a folder, sorted; none if it cannot be read.
fn listing(dir: &Path) -> Vec<(PathBuf, std::fs::Metadata)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> =
        entries.flatten().filter_map(|e| Some((e.path(), e.metadata().ok()?))).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The size of a file, or of everything in a folder.
fn size(path: &Path, meta: &std::fs::Metadata) -> u64 {
    if meta.is_dir() { listing(path).iter().map(|(p, m)| size(p, m)).sum() } else { meta.len() }
}

/// Says that a cached copy was not used and what became of it (once per copy and run).
pub(super) fn report_repair(
    copy: &Path,
    source: &Path,
    index: u32,
    damaged: bool,
    removed: std::io::Result<()>,
) {
    let what = if damaged {
        "was damaged (its bytes no longer hash to what was recorded when it was written)"
    } else {
        "is not the face its font file now holds (the file was replaced keeping its size and time)"
    };
    let done = match &removed {
        Ok(()) => "kaiho removed it, read the font file itself and writes the copy again: the cache is repaired".to_owned(),
        Err(e) => format!("kaiho read the font file itself, but cannot remove the copy ({e}), so every build will until it is gone"),
    };
    let message = format!(
        "this cached copy of face {index} of {} {what}; {done}; the output is not affected",
        source.display()
    );
    let mut warning = crate::diag::Diagnostic::warning(copy, message);
    if removed.is_err() {
        warning = warning.hint("remove the file, or run `kaiho cache --clear`");
    }
    crate::report::Reporter::stderr().print(&[warning]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in the faces' folder that says it is face `index` of `source`.
    fn copy_of(root: &Path, source: &Path, index: u32) -> PathBuf {
        let face = b"face bytes".to_vec();
        let trailer =
            Trailer { source: source.to_path_buf(), index, face_len: face.len(), hash: 1 };
        let path = faces(root).join(extract::name(source, index).unwrap());
        std::fs::create_dir_all(faces(root)).unwrap();
        std::fs::write(&path, [face, trailer.encode().unwrap()].concat()).unwrap();
        path
    }

    fn aged(path: &Path, age: Duration) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - age).unwrap();
    }

    #[test]
    fn tidying_removes_only_what_no_build_can_use() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("cache");
        let fonts = dir.path().join("fonts");
        std::fs::create_dir_all(&fonts).unwrap();
        let (font, other_font) = (fonts.join("A.ttc"), fonts.join("B.ttc"));
        std::fs::write(&font, b"version 1").unwrap();
        std::fs::write(&other_font, b"b").unwrap();
        let earlier = copy_of(&root, &font, 0);
        std::fs::write(&font, b"version 2, longer").unwrap();
        let current = copy_of(&root, &font, 0);
        let second_face = copy_of(&root, &font, 1);
        let orphan = copy_of(&root, &other_font, 0);
        std::fs::remove_file(&other_font).unwrap();
        let cut = faces(&root).join("C-00000000-0-1-1.face");
        std::fs::write(&cut, &std::fs::read(&current).unwrap()[..12]).unwrap();
        let old_format = faces(&root).join("A-00000000-0-9-1.otf");
        std::fs::write(&old_format, b"otf").unwrap();
        let killed = root.join(".kaiho-a1B2c3.tmp");
        let killed_face = faces(&root).join(".kaiho-d4E5f6.tmp");
        let writing = faces(&root).join(".kaiho-g7H8i9.tmp");
        for tmp in [&killed, &killed_face, &writing] {
            std::fs::write(tmp, b"partial").unwrap();
        }
        aged(&killed, Duration::from_secs(3600));
        aged(&killed_face, ABANDONED + Duration::from_secs(1));
        let notes = faces(&root).join("notes.txt");
        std::fs::write(&notes, b"mine").unwrap();
        let metadata = root.join(FontCache::file_name());
        std::fs::write(&metadata, b"{}").unwrap();

        let listed = contents_of(root.clone());
        let kind = |path: &Path| &listed.entries.iter().find(|e| e.path == path).unwrap().kind;
        assert_eq!(kind(&current), &EntryKind::Face { source: font.clone(), index: 0 });
        assert_eq!(kind(&metadata), &EntryKind::Metadata(None));
        assert_eq!(kind(&writing), &EntryKind::Writing);
        assert_eq!(kind(&notes), &EntryKind::Other);
        for stale in [&earlier, &orphan, &cut, &old_format, &killed, &killed_face] {
            assert!(matches!(kind(stale), EntryKind::Stale(_)), "{}", stale.display());
        }

        tidy(&root);
        for gone in [&earlier, &orphan, &cut, &old_format, &killed, &killed_face] {
            assert!(!gone.exists(), "{} stays", gone.display());
        }
        for kept in [&current, &second_face, &writing, &notes, &metadata] {
            assert!(kept.exists(), "{} was removed", kept.display());
        }

        // Clearing removes everything of kaiho's, and keeps the rest (and its folders).
        let removed = clear(&contents_of(root.clone())).unwrap();
        assert_eq!(removed.len(), 4, "{removed:?}");
        assert!(notes.exists() && !current.exists() && !metadata.exists());
        std::fs::remove_file(&notes).unwrap();
        clear(&contents_of(root.clone())).unwrap();
        assert!(!root.exists(), "an emptied cache folder stays");
    }
}

//! Font files in memory: each file mapped once, hashed once for Typst, each face parsed
//! once, and the faces a run is expected to need loaded ahead on another core.
//!
//! Typst keys its caches by a hash of a font's *entire* file, computed on first use; a Noto
//! CJK collection is 19–27 MB, so that hashing is about a third of a leaflet's run time and
//! it pulls every page of the file into the process. kaiho therefore hashes each file
//! itself, once: ahead of need for the faces the last run used, and then releases the pages
//! that hashing touched, so only the parts of a font that Typst actually reads stay resident.
//!
//! The same hash verifies a face's extracted copy (see `extract`) before it is used: a
//! copy whose bytes do not hash to what was recorded when it was written is removed, the
//! collection is read instead, and the copy is written again after the run.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};

use super::extract::Trailer;

/// A face of a font file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct FaceKey {
    pub path: PathBuf,
    pub index: u32,
}

/// The font files of one run.
#[derive(Debug, Default)]
pub(super) struct FontFiles {
    /// Where single faces extracted from collections are kept (see `extract`).
    extracted: Option<PathBuf>,
    files: Mutex<HashMap<PathBuf, Arc<FontFile>>>,
    /// Faces expected to be needed that no thread has started loading yet.
    ahead: Mutex<VecDeque<FaceKey>>,
    /// Copies found damaged in this run, each reported once.
    repaired: Mutex<HashSet<PathBuf>>,
}

/// One font file, memory-mapped.
#[derive(Debug)]
struct FontFile {
    /// The file, for traces.
    path: PathBuf,
    map: Arc<memmap2::Mmap>,
    /// The data as Typst sees it; backed by `map`, not copied.
    bytes: Bytes,
    /// For an extracted copy, Typst's hash of `bytes` when the copy was written.
    recorded: Option<u128>,
    /// Set when a thread starts hashing.
    hashing: AtomicBool,
    /// Set once Typst's hash of `bytes` is computed and the pages are released.
    hashed: OnceLock<()>,
    /// Parsed faces, by index in the file.
    faces: Mutex<HashMap<u32, Arc<OnceLock<Option<Font>>>>>,
}

/// The first `.1` bytes of a shared mapping, as the backing store of [`Bytes`].
struct SharedMap(Arc<memmap2::Mmap>, usize);

impl AsRef<[u8]> for SharedMap {
    fn as_ref(&self) -> &[u8] {
        &self.0[..self.1]
    }
}

/// Why an extracted copy was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Its bytes are not the ones written (or it cannot be read as a face).
    Damaged,
    /// It is intact but not the face the font book describes: its source was replaced
    /// by another file with the same size and modification time.
    Outdated,
}

impl FontFiles {
    /// Font files that prefer single faces extracted into `extracted`, when there are any.
    pub fn new(extracted: Option<PathBuf>) -> Self {
        Self { extracted, ..Self::default() }
    }

    /// The data of a font file, mapped on first use.
    pub fn data(&self, path: &Path) -> std::io::Result<Bytes> {
        Ok(self.file(path)?.bytes.clone())
    }

    /// Starts loading `faces`, in order, on another thread. Does nothing on one core, where
    /// it could only slow the main thread down.
    pub fn load_ahead(self: &Arc<Self>, faces: Vec<FaceKey>) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if faces.is_empty() || cores < 2 {
            return;
        }
        *self.ahead.lock().unwrap_or_else(|e| e.into_inner()) = faces.into();
        // The thread stops between faces once the font set is dropped.
        let files = Arc::downgrade(self);
        // A thread that cannot be started only means no head start.
        let _ = std::thread::Builder::new()
            .name("kaiho-fonts".into())
            .spawn(move || while files.upgrade().is_some_and(|files| files.help()) {});
    }

    /// A face, loaded by whichever thread asks first; the others wait for it. While another
    /// thread hashes this face's file, the caller loads faces queued ahead instead of
    /// waiting idle. `expected` is the face's metadata in the font book: an extracted copy
    /// that does not match it is not used.
    pub fn face(&self, path: &Path, index: u32, expected: Option<&FontInfo>) -> Option<Font> {
        crate::trace::mark(|| format!("wants {} face {index}", path.display()));
        self.ahead
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|key| !(key.path == path && key.index == index));
        self.load(path, index, expected)
    }

    /// Loads a face from its extracted copy if there is a good one, else from `path`.
    fn load(&self, path: &Path, index: u32, expected: Option<&FontInfo>) -> Option<Font> {
        if let Some(copy) = self.copy(path, index) {
            let font = match self.open(&copy, true) {
                Ok(file) => self.face_of(&file, 0).ok_or(Fault::Damaged),
                Err(_) => Err(Fault::Damaged),
            };
            match font.and_then(|f| match expected {
                Some(e) if f.info() != e => Err(Fault::Outdated),
                _ => Ok(f),
            }) {
                Ok(font) => return Some(font),
                // Read the source; the copy is written again after the run.
                Err(fault) => self.repair(&copy, path, index, fault),
            }
        }
        self.load_from(path, index)
    }

    fn load_from(&self, path: &Path, index: u32) -> Option<Font> {
        let file = self.file(path).ok()?;
        self.face_of(&file, index)
    }

    fn face_of(&self, file: &FontFile, index: u32) -> Option<Font> {
        while file.hashed.get().is_none() && file.hashing.load(Ordering::Acquire) && self.help() {}
        file.face(index)
    }

    /// Removes a copy that must not be used, and says so once.
    fn repair(&self, copy: &Path, source: &Path, index: u32, fault: Fault) {
        let removed = match std::fs::remove_file(copy) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
        if self.repaired.lock().unwrap_or_else(|e| e.into_inner()).insert(copy.to_path_buf()) {
            super::folder::report_repair(copy, source, index, fault == Fault::Damaged, removed);
        }
    }

    /// Extracts the used faces of collections into the cache folder, for later runs.
    pub fn extract(&self, faces: &[FaceKey]) {
        if let Some(dir) = &self.extracted {
            for face in faces {
                super::extract::extract(dir, &face.path, face.index);
            }
        }
    }

    /// The extracted copy of face `index` of `path`, if there is one.
    fn copy(&self, path: &Path, index: u32) -> Option<PathBuf> {
        super::extract::existing(self.extracted.as_deref()?, path, index)
    }

    /// Loads the next face queued ahead; false when there is none.
    fn help(&self) -> bool {
        let next = self.ahead.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        let Some(key) = next else {
            return false;
        };
        self.load(&key.path, key.index, None);
        true
    }

    fn file(&self, path: &Path) -> std::io::Result<Arc<FontFile>> {
        self.open(path, false)
    }

    /// A font file, or with `copy` an extracted copy (whose trailer must be whole).
    fn open(&self, path: &Path, copy: bool) -> std::io::Result<Arc<FontFile>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = files.get(path) {
            return Ok(file.clone());
        }
        let handle = std::fs::File::open(path)?;
        // SAFETY: font files are not modified while kaiho runs; a file changed underneath
        // would at worst produce wrong glyphs, the same risk as any reader of fonts. Copies
        // are replaced by renaming, which leaves a mapped file as it was.
        let map = Arc::new(unsafe { memmap2::Mmap::map(&handle)? });
        let (len, recorded) = if copy {
            let tail = &map[map.len().saturating_sub(Trailer::MAX_LEN)..];
            let trailer = Trailer::decode(tail, map.len() as u64)
                .ok_or_else(|| std::io::Error::other("no whole trailer"))?;
            (trailer.face_len, Some(trailer.hash))
        } else {
            (map.len(), None)
        };
        let file = Arc::new(FontFile {
            path: path.to_path_buf(),
            bytes: Bytes::new(SharedMap(map.clone(), len)),
            recorded,
            map,
            hashing: AtomicBool::new(false),
            hashed: OnceLock::new(),
            faces: Mutex::default(),
        });
        files.insert(path.to_path_buf(), file.clone());
        Ok(file)
    }
}

impl FontFile {
    fn face(&self, index: u32) -> Option<Font> {
        let cell =
            self.faces.lock().unwrap_or_else(|e| e.into_inner()).entry(index).or_default().clone();
        cell.get_or_init(|| {
            self.prepare();
            // The hash is the one just computed, kept in `bytes`: comparing costs nothing.
            if self.recorded.is_some_and(|h| h != typst::utils::hash128(&self.bytes)) {
                return None;
            }
            let font = Font::new(self.bytes.clone(), index);
            crate::trace::mark(|| format!("face {index} parsed"));
            font
        })
        .clone()
    }

    /// Computes Typst's hash of the file (kept inside the shared `Bytes`, so Typst never
    /// computes it again) and then releases the pages that hashing touched. Once per file:
    /// a thread arriving meanwhile waits, where Typst's own lazy hash would compute it twice.
    fn prepare(&self) {
        self.hashed.get_or_init(|| {
            self.hashing.store(true, Ordering::Release);
            typst::utils::hash128(&self.bytes);
            crate::trace::mark(|| {
                format!("hashed {} ({} MB)", self.path.display(), self.bytes.len() / 1_000_000)
            });
            // SAFETY: this is a read-only shared mapping of a file: after MADV_DONTNEED the
            // next access reads the same bytes back from the page cache, so no slice into it
            // sees a change; only the process's resident set shrinks. Should the call fail,
            // the pages simply stay resident.
            let _ = unsafe { self.map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{FontSearch, FontSet};

    /// The file and face of Noto Sans CJK JP Regular, as discovery finds it.
    fn noto_sans() -> FaceKey {
        let search = FontSearch { system: true, ..FontSearch::default() };
        let fonts = FontSet::discover(&search, &["Noto Sans CJK JP"]).expect("Noto CJK installed");
        let face =
            fonts.faces().into_iter().find(|f| f.variant == "Normal 400").expect("a regular face");
        FaceKey { path: face.path, index: face.index }
    }

    /// Typst's face read the ordinary way, from a copy of the whole file in memory.
    fn read_whole(key: &FaceKey) -> Font {
        Font::new(Bytes::new(std::fs::read(&key.path).unwrap()), key.index).unwrap()
    }

    /// The resident size in KiB of the mapping that starts at `address`, from smaps.
    #[cfg(target_os = "linux")]
    fn resident_kib(address: usize) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let start = format!("{address:x}-");
        let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&start));
        lines
            .find_map(|l| l.strip_prefix("Rss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("the mapping is listed")
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_loaded_face_leaves_little_of_its_file_resident() {
        let key = noto_sans();
        let files = FontFiles::default();
        let font = files.face(&key.path, key.index, None).expect("the face loads");
        let file = files.file(&key.path).unwrap();
        assert!(file.hashed.get().is_some(), "the file was hashed while loading");
        // Hashing read every page; afterwards only what parsing the face read is mapped.
        let size_kib = file.map.len() as u64 / 1024;
        let resident = resident_kib(file.map.as_ptr() as usize);
        assert!(resident * 4 < size_kib, "{resident} of {size_kib} KiB still resident");
        // The released pages read back intact, and the hash kaiho left for Typst is the
        // hash of the file's contents.
        assert_eq!(font.post_script_name().as_deref(), Some("NotoSansCJKjp-Regular"));
        let whole = read_whole(&key);
        assert_eq!(font.info(), whole.info());
        assert_eq!(typst::utils::hash128(font.data()), typst::utils::hash128(whole.data()));
    }

    #[test]
    fn threads_asking_at_once_share_one_face_loaded_ahead() {
        let key = noto_sans();
        let files = Arc::new(FontFiles::default());
        files.load_ahead(vec![key.clone()]);
        if std::thread::available_parallelism().is_ok_and(|n| n.get() > 1) {
            // The background thread loads it before anyone asks.
            let file = files.file(&key.path).unwrap();
            let start = std::time::Instant::now();
            while file.hashed.get().is_none() {
                assert!(start.elapsed().as_secs() < 30, "not loaded ahead");
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        let fonts: Vec<Font> = std::thread::scope(|scope| {
            let asks: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| files.face(&key.path, key.index, None).expect("loads")))
                .collect();
            asks.into_iter().map(|t| t.join().unwrap()).collect()
        });
        // One parse, shared: every thread holds the very same face.
        assert!(fonts.iter().all(|f| std::ptr::eq(f.info(), fonts[0].info())));
    }

    #[test]
    fn a_damaged_or_wrong_copy_is_not_used() {
        let key = noto_sans();
        let expected = read_whole(&key).info().clone();
        let dir = tempfile::tempdir().unwrap();
        let copy = super::super::extract::extract(dir.path(), &key.path, key.index).unwrap();

        // A good copy is read instead of the collection: the face, without its trailer.
        let files = FontFiles::new(Some(dir.path().to_path_buf()));
        let font = files.face(&key.path, key.index, Some(&expected)).unwrap();
        let bytes = std::fs::read(&copy).unwrap();
        let trailer = Trailer::decode(&bytes, bytes.len() as u64).unwrap();
        assert_eq!(&font.data()[..], &bytes[..trailer.face_len]);

        // Damaged inside a table, or cut short: the collection is read and the copy removed.
        let mut altered = bytes.clone();
        for at in (1000..altered.len() - 1000).step_by(altered.len() / 30) {
            altered[at] ^= 0x5a;
        }
        let damages = [altered, bytes[..4096].to_vec(), bytes[..bytes.len() - 1].to_vec()];
        for (i, damaged) in damages.into_iter().enumerate() {
            std::fs::write(&copy, &damaged).unwrap();
            let files = FontFiles::new(Some(dir.path().to_path_buf()));
            // Found when loading ahead (where the font book's metadata is not at hand), or
            // when Typst asks.
            if i == 1 {
                files.ahead.lock().unwrap().push_back(key.clone());
                assert!(files.help());
            }
            let font = files.face(&key.path, key.index, Some(&expected)).expect("still loads");
            assert_eq!(font.info(), &expected);
            assert_eq!(font.data().len() as u64, std::fs::metadata(&key.path).unwrap().len());
            assert!(!copy.exists());
            assert_eq!(files.repaired.lock().unwrap().len(), 1);
            super::super::extract::extract(dir.path(), &key.path, key.index).unwrap();
        }

        // Another face under this face's name (a source replaced with the same size and
        // time): not the face the book describes, so not used either.
        let other = super::super::extract::extract(dir.path(), &key.path, key.index + 1).unwrap();
        std::fs::rename(&other, &copy).unwrap();
        let files = FontFiles::new(Some(dir.path().to_path_buf()));
        let font = files.face(&key.path, key.index, Some(&expected)).expect("still loads");
        assert_eq!(font.info(), &expected);
        assert!(!copy.exists());
    }
}

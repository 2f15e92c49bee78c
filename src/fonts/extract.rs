//! Single faces extracted from font collections into the cache folder.
//!
//! Typst hashes the whole file a face comes from before using it (see `files`). A Noto CJK
//! collection holds the JP, KR, SC, TC and HK cuts of one weight; the JP face's own tables
//! are 85–93 % of the file, so hashing a file of that face alone is ~12 % less work, about
//! 4 ms of a VOL.10 build. The extracted file has exactly the face's tables (written by
//! `write-fonts`, the fontations crate for building font files), so the glyphs, metrics and
//! the PDF are byte for byte the same.
//!
//! A face is extracted after a run has used it; later runs read the extracted file. Its
//! name carries the source file's size and modification time, so a changed font is
//! extracted again (and the stale copy tidied away, see `folder`). Anything that fails
//! just means the collection itself is read, as without the cache.
//!
//! A copy ends in a trailer after the face's bytes: the source it was made from and
//! Typst's hash of the face's bytes. Typst computes that hash anyway before it uses a face
//! (see `files`), so comparing it costs nothing, and a copy damaged on disk is never used.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use write_fonts::FontBuilder;
use write_fonts::read::{FileRef, FontRef};

/// What a copy's file name ends with.
pub(super) const SUFFIX: &str = ".face";

/// The last bytes of every copy, after its trailer's fixed fields.
const MAGIC: &[u8; 8] = b"kaiho-f1";

/// The trailer's fixed part: path length, face index, face length, hash, magic.
const FIXED: usize = 4 + 4 + 8 + 16 + MAGIC.len();

/// What a copy says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Trailer {
    /// The collection the face was extracted from.
    pub source: PathBuf,
    /// The face's index in it.
    pub index: u32,
    /// How many bytes at the start of the copy are the face.
    pub face_len: usize,
    /// Typst's hash of those bytes (`typst::utils::hash128` of them as `Bytes`).
    pub hash: u128,
}

impl Trailer {
    /// The trailer's bytes; `None` for a source path that is not UTF-8.
    pub fn encode(&self) -> Option<Vec<u8>> {
        let source = self.source.to_str()?.as_bytes();
        let mut out = Vec::with_capacity(source.len() + FIXED);
        out.extend_from_slice(source);
        out.extend_from_slice(&u32::try_from(source.len()).ok()?.to_le_bytes());
        out.extend_from_slice(&self.index.to_le_bytes());
        out.extend_from_slice(&(self.face_len as u64).to_le_bytes());
        out.extend_from_slice(&self.hash.to_le_bytes());
        out.extend_from_slice(MAGIC);
        Some(out)
    }

    /// Reads the trailer at the end of `tail`, the last bytes of a copy that is `file_len`
    /// bytes long; `None` unless it is whole and describes a file of exactly that length.
    pub fn decode(tail: &[u8], file_len: u64) -> Option<Self> {
        let fixed = tail.get(tail.len().checked_sub(FIXED)?..)?;
        let (path_len, rest) = fixed.split_at(4);
        let (index, rest) = rest.split_at(4);
        let (face_len, rest) = rest.split_at(8);
        let (hash, magic) = rest.split_at(16);
        if magic != MAGIC {
            return None;
        }
        let path_len = u32::from_le_bytes(path_len.try_into().ok()?) as usize;
        let face_len = u64::from_le_bytes(face_len.try_into().ok()?);
        if face_len.checked_add((path_len + FIXED) as u64)? != file_len {
            return None;
        }
        let path_start = tail.len().checked_sub(FIXED + path_len)?;
        let source = std::str::from_utf8(&tail[path_start..tail.len() - FIXED]).ok()?;
        Some(Self {
            source: PathBuf::from(source),
            index: u32::from_le_bytes(index.try_into().ok()?),
            face_len: usize::try_from(face_len).ok()?,
            hash: u128::from_le_bytes(hash.try_into().ok()?),
        })
    }

    /// The longest trailer there is: enough of a copy's end to read its trailer from.
    pub const MAX_LEN: usize = FIXED + 4096;
}

/// The extracted file for face `index` of `source`, if it exists and is current.
pub(super) fn existing(dir: &Path, source: &Path, index: u32) -> Option<PathBuf> {
    let path = dir.join(name(source, index)?);
    path.is_file().then_some(path)
}

/// Extracts face `index` of the collection `source` into `dir`, unless there is nothing to
/// gain (a single-face file) or it is already there. Returns the extracted file.
pub(super) fn extract(dir: &Path, source: &Path, index: u32) -> Option<PathBuf> {
    if let Some(done) = existing(dir, source, index) {
        return Some(done);
    }
    let name = name(source, index)?;
    let file = std::fs::File::open(source).ok()?;
    // SAFETY: as in `files`: font files are not modified while kaiho runs.
    let data = unsafe { memmap2::Mmap::map(&file).ok()? };
    let FileRef::Collection(collection) = FileRef::new(&data).ok()? else {
        return None;
    };
    if collection.len() < 2 {
        return None;
    }
    // A cache folder that cannot be written to, or a full disk, must not cost every run
    // an extraction that cannot be kept.
    std::fs::create_dir_all(dir).ok()?;
    tempfile::tempfile_in(dir).ok()?;
    if !has_room(dir, data.len() as u64) {
        return None;
    }
    let face: FontRef = collection.get(index).ok()?;
    let face = Bytes::new(FontBuilder::new().copy_missing_tables(face).build());
    let trailer = Trailer {
        source: source.to_path_buf(),
        index,
        face_len: face.len(),
        hash: typst::utils::hash128(&face),
    };
    let path = dir.join(&name);
    crate::output::write_atomic_parts(&path, &[&face, &trailer.encode()?]).ok()?;
    drop_from_page_cache(&path);
    Some(path)
}

/// Whether the file system of `dir` has more than `bytes` free (if it cannot tell, yes).
#[cfg(unix)]
fn has_room(dir: &Path, bytes: u64) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return true;
    };
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: a NUL-terminated path and room for one `statvfs`, filled when it returns 0.
    if unsafe { libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) } != 0 {
        return true;
    }
    // SAFETY: initialised by the successful call above.
    let stat = unsafe { stat.assume_init() };
    // The field types differ between platforms.
    #[allow(clippy::unnecessary_cast)]
    let free = (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64);
    free > bytes
}

#[cfg(not(unix))]
fn has_room(_dir: &Path, _bytes: u64) -> bool {
    true
}

/// Asks the kernel to drop a just-written file from its page cache. Written pages stay
/// cached as large folios, and Linux maps a whole large folio into a process when one byte
/// of it is read: the builds after an extraction carried ~25 MiB more resident font pages
/// (88 instead of 64 MiB for VOL.10, measured on Linux 6.18). Read back from disk once,
/// the file is cached like any installed font.
fn drop_from_page_cache(path: &Path) {
    #[cfg(target_os = "linux")]
    if let Ok(file) = std::fs::File::open(path) {
        use std::os::fd::AsRawFd;
        // SAFETY: an advisory call on a descriptor we own; the data is already on disk
        // (written and synced by `write_atomic`), so nothing can be lost.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// `<stem>-<path hash>-<index>-<size>-<mtime in ns>.face`: what the copy was made from.
/// The hash of the source's path keeps apart files of the same name in different folders
/// (a project's pinned fonts and the system's), which would otherwise replace each other.
pub(super) fn name(source: &Path, index: u32) -> Option<String> {
    use sha2::{Digest, Sha256};
    let meta = std::fs::metadata(source).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let stem = source.file_stem()?.to_str()?;
    let digest = Sha256::digest(source.as_os_str().as_encoded_bytes());
    let folder: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{stem}-{folder}-{index}-{}-{}{SUFFIX}", meta.len(), modified.as_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::text::Font;

    fn noto_collection() -> PathBuf {
        let search =
            crate::fonts::FontSearch { system: true, ..crate::fonts::FontSearch::default() };
        let fonts = crate::fonts::FontSet::discover(&search, &["Noto Sans CJK JP"]).unwrap();
        fonts.faces().into_iter().find(|f| f.variant == "Normal 400").unwrap().path
    }

    #[test]
    fn an_extracted_face_is_the_same_face_in_a_smaller_file() {
        let source = noto_collection();
        let dir = tempfile::tempdir().unwrap();
        let path = extract(dir.path(), &source, 0).expect("a collection face is extracted");
        let whole = std::fs::read(&source).unwrap();
        let single = std::fs::read(&path).unwrap();
        assert!(single.len() * 10 < whole.len() * 9, "{} of {} bytes", single.len(), whole.len());

        // Typst sees the same face.
        let original = Font::new(Bytes::new(whole.clone()), 0).unwrap();
        let copy = Font::new(Bytes::new(single.clone()), 0).unwrap();
        assert_eq!(original.info(), copy.info());
        let original_info = original.info().clone();
        // Every table of the face is there with the same bytes (but `head`, whose file
        // checksum is rewritten for the new file), and nothing else.
        let FileRef::Collection(collection) = FileRef::new(&whole).unwrap() else {
            panic!("a collection")
        };
        let (original, copy) = (collection.get(0).unwrap(), FontRef::new(&single).unwrap());
        let records = original.table_directory().table_records();
        assert_eq!(records.len(), copy.table_directory().table_records().len());
        for record in records {
            let tag = record.tag();
            if tag != write_fonts::types::Tag::new(b"head") {
                let (a, b) = (original.table_data(tag).unwrap(), copy.table_data(tag));
                assert_eq!(Some(a.as_bytes()), b.map(|b| b.as_bytes()), "{tag}");
            }
        }

        // The trailer names the source and holds the hash Typst computes of the face.
        let trailer = Trailer::decode(&single, single.len() as u64).expect("a trailer");
        assert_eq!((trailer.source.as_path(), trailer.index), (source.as_path(), 0));
        let face = Bytes::new(single[..trailer.face_len].to_vec());
        assert_eq!(trailer.hash, typst::utils::hash128(&face));
        assert_eq!(Font::new(face, 0).unwrap().info(), &original_info);
        // Cut short or grown, the trailer no longer describes the file.
        assert_eq!(Trailer::decode(&single[..single.len() - 1], single.len() as u64 - 1), None);
        assert_eq!(Trailer::decode(&single, single.len() as u64 + 1), None);

        // Found again while current.
        assert_eq!(existing(dir.path(), &source, 0), Some(path.clone()));
    }

    #[test]
    fn a_copy_is_made_only_where_it_fits() {
        let dir = tempfile::tempdir().unwrap();
        assert!(has_room(dir.path(), 0));
        assert!(!has_room(dir.path(), u64::MAX));
    }

    #[test]
    fn a_single_face_file_is_not_copied() {
        let dir = tempfile::tempdir().unwrap();
        let font = dir.path().join("single.otf");
        let source = std::fs::read(noto_collection()).unwrap();
        let face = FileRef::new(&source).ok().and_then(|f| match f {
            FileRef::Collection(c) => c.get(0).ok(),
            FileRef::Font(f) => Some(f),
        });
        std::fs::write(&font, FontBuilder::new().copy_missing_tables(face.unwrap()).build())
            .unwrap();
        assert_eq!(extract(dir.path(), &font, 0), None);
    }
}

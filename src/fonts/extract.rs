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
//! extracted again and the stale copy removed. Anything that fails just means the
//! collection itself is read, as without the cache.

use std::path::{Path, PathBuf};

use write_fonts::FontBuilder;
use write_fonts::read::{FileRef, FontRef};

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
    // A cache folder that cannot be written to must not cost every run an extraction.
    std::fs::create_dir_all(dir).ok()?;
    tempfile::tempfile_in(dir).ok()?;
    let face: FontRef = collection.get(index).ok()?;
    let bytes = FontBuilder::new().copy_missing_tables(face).build();
    let path = dir.join(&name);
    crate::output::write_atomic(&path, &bytes).ok()?;
    drop_from_page_cache(&path);
    remove_stale(dir, &name);
    Some(path)
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

/// `<stem>-<path hash>-<index>-<size>-<mtime in ns>.otf`: what the copy was made from.
/// The hash of the source's path keeps apart files of the same name in different folders
/// (a project's pinned fonts and the system's), which would otherwise replace each other.
fn name(source: &Path, index: u32) -> Option<String> {
    use sha2::{Digest, Sha256};
    let meta = std::fs::metadata(source).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let stem = source.file_stem()?.to_str()?;
    let digest = Sha256::digest(source.as_os_str().as_encoded_bytes());
    let folder: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{stem}-{folder}-{index}-{}-{}.otf", meta.len(), modified.as_nanos()))
}

/// Removes earlier copies of the same face (made from an older version of the same file).
fn remove_stale(dir: &Path, current: &str) {
    // The name up to and including the face index identifies the face of that file.
    let Some(prefix) = current.rsplitn(3, '-').nth(2).map(|p| format!("{p}-")) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name != current && name.ends_with(".otf") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::foundations::Bytes;
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

        // Found again while current; replaced when the source changes.
        assert_eq!(existing(dir.path(), &source, 0), Some(path.clone()));
        let current = name(&source, 0).unwrap();
        let [modified, size, _index, file] = current.rsplitn(4, '-').collect::<Vec<_>>()[..] else {
            panic!("{current}")
        };
        let (stem, _folder) = file.rsplit_once('-').unwrap();
        // An older version of the same file goes; the same file name in another folder is
        // another source, and stays.
        let stale = dir.path().join(format!("{file}-0-1-{modified}"));
        let elsewhere = dir.path().join(format!("{stem}-00000000-0-{size}-{modified}"));
        std::fs::write(&stale, b"old").unwrap();
        std::fs::write(&elsewhere, b"other").unwrap();
        remove_stale(dir.path(), &current);
        assert!(!stale.exists() && path.exists() && elsewhere.exists());
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

//! Writing output files atomically: a temporary file in the same folder, then a rename.
//!
//! A failed or interrupted build therefore never leaves a half-written PDF behind, and the
//! previous good file stays in place until the new one is complete.

use std::io::Write;
use std::path::Path;

/// How the temporary files of [`write_atomic`] start and end: a file named so is left only
/// by a write that was killed before its rename.
const TEMPORARY: (&str, &str) = (".kaiho-", ".tmp");

/// Whether `name` is that of a temporary file of [`write_atomic`].
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(TEMPORARY.0) && name.ends_with(TEMPORARY.1)
}

/// Writes `bytes` to `path`, creating the folder if needed, replacing any old file at once.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_parts(path, &[bytes])
}

/// Like [`write_atomic`], for a file made of `parts` written one after the other (so a
/// large file need not be copied into one buffer first).
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY.0).suffix(TEMPORARY.1);
    // Temporary files are private (0600) by default; an output file is an ordinary file
    // that the office shares, so it gets the usual 0644 (less what the umask removes).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut file = builder.tempfile_in(dir)?;
    for part in parts {
        file.write_all(part)?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.pdf");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_killed_write_leaves_a_file_named_as_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMPORARY.0).suffix(TEMPORARY.1);
        // Kept, as a process killed between writing and renaming would leave it.
        let (_, left) = builder.tempfile_in(dir.path()).unwrap().keep().unwrap();
        let name = left.file_name().unwrap().to_str().unwrap();
        assert!(is_temporary(name), "{name}");
        assert!(!is_temporary("vol10.pdf") && !is_temporary(".kaiho-notes"));
    }
}

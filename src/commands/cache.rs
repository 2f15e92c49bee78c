//! `kaiho cache`: where kaiho's cache folder is, what it holds and how big it is; `--clear`
//! empties it.

use super::Error;
use super::build::human_size;
use crate::cli::CacheArgs;
use crate::fonts::{CacheContents, EntryKind};

/// Runs `kaiho cache`: lists the cache folder, or with `--clear` removes what kaiho keeps
/// there (exit 1 if a file cannot be removed).
pub fn run(args: &CacheArgs) -> Result<(), Error> {
    let Some(contents) = crate::fonts::cache_contents() else {
        println!(
            "kaiho cache: none (HOME, XDG_CACHE_HOME and KAIHO_CACHE_DIR are unset); builds work without it, only slower"
        );
        return Ok(());
    };
    if args.clear {
        return clear(&contents);
    }
    let dir = &contents.dir;
    if contents.entries.is_empty() {
        println!("kaiho cache: {}  (empty)", dir.display());
        return Ok(());
    }
    println!("kaiho cache: {}", dir.display());
    for entry in &contents.entries {
        let name = entry.path.strip_prefix(dir).unwrap_or(&entry.path);
        println!(
            "  {:>9}  {}  {}",
            human_size(entry.bytes as usize),
            name.display(),
            describe(&entry.kind)
        );
    }
    let total: u64 = contents.entries.iter().map(|e| e.bytes).sum();
    println!(
        "total {} in {} file(s); `kaiho cache --clear` empties it (the next build is slower, and makes the same files)",
        human_size(total as usize),
        contents.entries.len()
    );
    Ok(())
}

fn describe(kind: &EntryKind) -> String {
    match kind {
        EntryKind::Metadata(Some((faces, usage))) => {
            format!("font metadata of {faces} face(s), {usage} record(s) of the faces used")
        }
        EntryKind::Metadata(None) => {
            "font metadata that cannot be used (damaged); the next build rewrites it".into()
        }
        EntryKind::OtherVersion => "font metadata of another kaiho version".into(),
        EntryKind::Measurements => "measurements of a volume file's blocks".into(),
        EntryKind::Face { source, index } => {
            format!("face {index} of {}, extracted", source.display())
        }
        EntryKind::Stale(why) => format!("{why}; the next build removes it"),
        EntryKind::Writing => "a file being written".into(),
        EntryKind::Other => "not kaiho's own: left alone".into(),
    }
}

fn clear(contents: &CacheContents) -> Result<(), Error> {
    let removed = crate::fonts::clear_cache(contents)
        .map_err(|(path, source)| Error::Remove { path, source })?;
    let bytes: u64 = removed.iter().map(|(_, b)| b).sum();
    println!(
        "kaiho cache: removed {} file(s), {}, from {}",
        removed.len(),
        human_size(bytes as usize),
        contents.dir.display()
    );
    for entry in contents.entries.iter().filter(|e| e.kind == EntryKind::Other) {
        println!("  kept {} (not kaiho's own)", entry.path.display());
    }
    Ok(())
}

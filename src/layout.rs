//! Layouts: the Typst templates that draw a volume, built into kaiho or read from a folder.
//!
//! A layout is a folder of `.typ` files (and any fonts-free assets) whose `layout.typ`
//! exports `render(data)`. The built-in ones are compiled into the binary, so kaiho works
//! from any folder; `--layout-dir DIR` puts `DIR/NAME/` first, so a designer can change a
//! layout without rebuilding kaiho.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

/// The layouts shipped inside the binary (the `layouts/` folder at build time).
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/layouts");

/// The file every layout must have; it exports `render(data)`.
pub const ENTRY: &str = "layout.typ";

/// A layout's files, by path relative to the layout folder.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The layout's name (its folder name).
    pub name: String,
    /// Where it was read from: a folder on disk, or `None` for the built-in copy.
    pub folder: Option<PathBuf>,
    /// Relative path (with `/`) → contents.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Why a layout could not be found.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// No layout of that name.
    #[error("layout `{name}` not found{searched}; built-in layouts: {builtin}")]
    NotFound {
        /// The name asked for.
        name: String,
        /// Where it was looked for.
        searched: String,
        /// The names of the built-in layouts.
        builtin: String,
    },
    /// The folder exists but a file in it cannot be read.
    #[error("cannot read layout file {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl Layout {
    /// Finds layout `name`: in `dir` first if given, then among the built-in layouts.
    pub fn load(name: &str, dir: Option<&Path>) -> Result<Self, LayoutError> {
        if let Some(dir) = dir {
            let folder = dir.join(name);
            if folder.join(ENTRY).is_file() {
                let mut files = BTreeMap::new();
                read_folder(&folder, &folder, &mut files)?;
                return Ok(Self { name: name.to_owned(), folder: Some(folder), files });
            }
        }
        let Some(builtin) =
            BUILT_IN.get_dir(name).filter(|d| d.get_file(d.path().join(ENTRY)).is_some())
        else {
            let searched = dir.map(|d| format!(" in {}", d.display())).unwrap_or_default();
            return Err(LayoutError::NotFound {
                name: name.to_owned(),
                searched,
                builtin: built_in_names().join(", "),
            });
        };
        let mut files = BTreeMap::new();
        collect_built_in(builtin, builtin.path(), &mut files);
        Ok(Self { name: name.to_owned(), folder: None, files })
    }

    /// The path to show in diagnostics for a file of this layout.
    pub fn display_path(&self, relative: &str) -> PathBuf {
        match &self.folder {
            Some(folder) => folder.join(relative),
            None => Path::new("layouts").join(&self.name).join(relative),
        }
    }
}

/// Names of the layouts built into kaiho for volumes. Folders starting with `_` hold
/// kaiho's own documents (the archive's catalogue) and are not offered.
pub fn built_in_names() -> Vec<String> {
    BUILT_IN
        .dirs()
        .filter(|d| d.get_file(d.path().join(ENTRY)).is_some())
        .filter_map(|d| d.path().file_name()?.to_str().map(str::to_owned))
        .filter(|name| !name.starts_with('_'))
        .collect()
}

fn collect_built_in(dir: &Dir<'static>, root: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for file in dir.files() {
        if let Ok(rel) = file.path().strip_prefix(root) {
            files.insert(slashed(rel), file.contents().to_vec());
        }
    }
    for sub in dir.dirs() {
        collect_built_in(sub, root, files);
    }
}

fn read_folder(
    dir: &Path,
    root: &Path,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), LayoutError> {
    let unreadable =
        |path: &Path, source| LayoutError::Unreadable { path: path.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let entry = entry.map_err(|e| unreadable(dir, e))?;
        let path = entry.path();
        if path.is_dir() {
            read_folder(&path, root, files)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            files.insert(slashed(rel), std::fs::read(&path).map_err(|e| unreadable(&path, e))?);
        }
    }
    Ok(())
}

fn slashed(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leaflet_is_built_in() {
        let layout = Layout::load("leaflet", None).unwrap();
        assert!(layout.files.contains_key(ENTRY));
        assert!(built_in_names().contains(&"leaflet".to_owned()));
    }

    #[test]
    fn unknown_layouts_name_the_built_in_ones() {
        let err = Layout::load("brochure", None).unwrap_err().to_string();
        assert!(err.contains("layout `brochure` not found"), "{err}");
        assert!(err.contains("leaflet"), "{err}");
    }
}

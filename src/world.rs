//! The one Typst `World`: every file Typst may read, the fonts, and a fixed date.
//!
//! Typst sees a small virtual project and nothing else — no disk, no network, no packages:
//!
//! | virtual path      | contents                                          |
//! |-------------------|---------------------------------------------------|
//! | `/main.typ`       | two lines that call the layout's `render(data)`   |
//! | `/layout/…`       | the layout's files (built in or `--layout-dir`)   |
//! | `/volume.json`    | the validated volume and series, as data          |
//! | `/images/N.ext`   | the volume's photos                               |
//!
//! `kaiho eject` writes exactly this tree to disk, so `typst compile main.typ` sees the same.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::FontSet;
use crate::layout::{ENTRY, Layout};

/// The entry file: it only hands the data to the layout.
pub const MAIN: &str = "#import \"/layout/layout.typ\": render\n#render(json(\"/volume.json\"))\n";

/// The standard library, built once per process; kaiho passes data as a file, not as
/// `sys.inputs`, so one library serves every volume and Typst's caches stay warm.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// A file of the virtual project.
#[derive(Debug, Clone)]
enum Entry {
    Source(Source),
    Bytes(Bytes),
}

/// The virtual project Typst compiles.
pub struct KaihoWorld {
    fonts: Arc<FontSet>,
    files: HashMap<FileId, Entry>,
    /// Where each file really comes from, for diagnostics.
    origins: HashMap<FileId, PathBuf>,
    main: FileId,
    today: Datetime,
}

/// The interned id of a virtual path such as `/layout/layout.typ`.
pub fn file_id(path: &str) -> FileId {
    // Only kaiho's own constant or checked paths reach here.
    let vpath = VirtualPath::new(path).expect("kaiho's virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl KaihoWorld {
    /// A project for one volume: the layout, the data and the images.
    pub fn new(
        fonts: Arc<FontSet>,
        layout: &Layout,
        data: Vec<u8>,
        images: Vec<(String, PathBuf, Bytes)>,
        today: Datetime,
    ) -> Self {
        let mut world = Self {
            fonts,
            files: HashMap::new(),
            origins: HashMap::new(),
            main: file_id("/main.typ"),
            today,
        };
        world.insert_source("/main.typ", MAIN.to_owned(), PathBuf::from("main.typ"));
        for (relative, bytes) in &layout.files {
            let path = format!("/layout/{relative}");
            let origin = layout.display_path(relative);
            if relative.ends_with(".typ") {
                let text = String::from_utf8_lossy(bytes).into_owned();
                world.insert_source(&path, text, origin);
            } else {
                world.insert_bytes(&path, Bytes::new(bytes.clone()), origin);
            }
        }
        debug_assert!(layout.files.contains_key(ENTRY));
        world.set_data(data);
        for (path, origin, bytes) in images {
            world.insert_bytes(&path, bytes, origin);
        }
        world
    }

    /// Replaces the volume data (for copy-fitting: everything else stays warm).
    pub fn set_data(&mut self, data: Vec<u8>) {
        self.insert_bytes("/volume.json", Bytes::new(data), PathBuf::from("volume.json"));
    }

    fn insert_source(&mut self, path: &str, text: String, origin: PathBuf) {
        let id = file_id(path);
        self.files.insert(id, Entry::Source(Source::new(id, text)));
        self.origins.insert(id, origin);
    }

    fn insert_bytes(&mut self, path: &str, bytes: Bytes, origin: PathBuf) {
        let id = file_id(path);
        self.files.insert(id, Entry::Bytes(bytes));
        self.origins.insert(id, origin);
    }

    /// The real file behind a virtual one, for messages.
    pub fn origin(&self, id: FileId) -> Option<&PathBuf> {
        self.origins.get(&id)
    }
}

impl World for KaihoWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.files.get(&id) {
            Some(Entry::Source(source)) => Ok(source.clone()),
            Some(Entry::Bytes(_)) => Err(FileError::NotSource),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match self.files.get(&id) {
            Some(Entry::Bytes(bytes)) => Ok(bytes.clone()),
            Some(Entry::Source(source)) => Ok(Bytes::from_string(source.text().to_owned())),
            None => Err(not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The volume's date, not the clock: the same input must give the same output.
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

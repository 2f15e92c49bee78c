//! Remembered measurements: the extent of a block at one width, body size and line pitch,
//! kept so that a rebuild measures only what changed.
//!
//! Choosing a composition takes several measuring compiles (see [`super::measure`]); they
//! are most of a build's time. A block's extent depends only on what the measuring mode
//! draws it from: the block's own data, the data every block may read (series, the
//! volume's number and date, the profile), the layout's files, the fonts, and kaiho itself
//! (which reads the extents back). A [`Key`] is a SHA-256 of all of these, so a remembered
//! extent is one a measuring compile would give again, to the bit: the memo can save time
//! but never change what is built.
//!
//! The memo lives in the [`crate::typeset::Engine`] (so `kaiho watch` re-measures only the
//! block that was edited) and, per volume file, in the cache folder (`measures/`), so that
//! building an unchanged volume again takes one compile.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::measure::{Extent, Heights, Measure, Request};

/// The folder of remembered measurements, inside the cache folder.
pub const FOLDER: &str = "measures";

/// What decides a measurement, hashed.
pub type Key = [u8; 32];

/// Everything a volume's measurements share: the hash of the data every block may read,
/// the layout, the fonts and kaiho's own build; and the hash of each block's data.
pub struct Fingerprint {
    shared: Key,
    blocks: HashMap<String, Key>,
}

impl Fingerprint {
    /// The fingerprint of a measuring compile whose layout data (without `measure`) is
    /// `data`; `inputs` are the other things measuring reads, each as bytes: the layout's
    /// files, the fonts' identities, the photos' bytes (see [`crate::typeset`]).
    pub fn new(data: &serde_json::Value, inputs: &[&[u8]]) -> Self {
        let mut shared = data.clone();
        let mut blocks = HashMap::new();
        if let Some(pages) = shared.pointer_mut("/volume/pages").map(serde_json::Value::take) {
            let pages = pages.as_array().into_iter().flatten();
            for page_blocks in pages.flat_map(|p| p["blocks"].as_array()) {
                for b in page_blocks {
                    if let Some(id) = b["id"].as_str() {
                        blocks.insert(
                            id.to_owned(),
                            digest(&[&serde_json::to_vec(b).unwrap_or_default()]),
                        );
                    }
                }
            }
        }
        let mut parts: Vec<&[u8]> = vec![b"kaiho measure 1", own_build().as_bytes()];
        let shared_json = serde_json::to_vec(&shared).unwrap_or_default();
        parts.push(&shared_json);
        parts.extend_from_slice(inputs);
        Self { shared: digest(&parts), blocks }
    }

    /// The key of one request at body size `body`; `None` for a block it does not know.
    pub fn key(&self, request: &Request, body: f64) -> Option<Key> {
        let block = self.blocks.get(&request.id)?;
        let part = format!("{:?}", request.part);
        Some(digest(&[
            &self.shared,
            block,
            part.as_bytes(),
            &request.width.to_bits().to_le_bytes(),
            &request.pitch.to_bits().to_le_bytes(),
            &body.to_bits().to_le_bytes(),
        ]))
    }
}

/// Remembered extents, shared by every volume an engine typesets.
#[derive(Default)]
pub struct Memo {
    entries: Mutex<HashMap<Key, Extent>>,
    /// The cache files already read: an engine that builds a volume again (`kaiho
    /// watch`) holds their extents, and what it measures since.
    read: Mutex<std::collections::HashSet<PathBuf>>,
}

impl Memo {
    /// The remembered extent for `key`.
    pub fn get(&self, key: &Key) -> Option<Extent> {
        self.lock().get(key).copied()
    }

    /// Remembers an extent.
    pub fn put(&self, key: Key, extent: Extent) {
        self.lock().insert(key, extent);
    }

    /// Reads what an earlier build remembered for the volume file `volume` in the profile
    /// `profile` from the cache folder `cache`. A missing or damaged file is no error: it
    /// only means measuring.
    pub fn load(&self, cache: &Path, volume: &Path, profile: &str) {
        let file = file(cache, volume, profile);
        let first = self
            .read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(file.clone());
        if !first {
            return;
        }
        let Ok(bytes) = std::fs::read(&file) else { return };
        let Ok(stored) = serde_json::from_slice::<Stored>(&bytes) else { return };
        let mut entries = self.lock();
        for (key, bits) in stored.entries {
            if let Some(key) = unhex(&key) {
                entries.insert(key, from_bits(bits));
            }
        }
    }

    /// Writes the extents of `keys` (the measurements a build used) for the volume file
    /// `volume` in the profile `profile` into the cache folder `cache`, replacing what was
    /// there, so the file holds what the volume needs now and nothing older. Failing to
    /// write is no error.
    pub fn store(&self, cache: &Path, volume: &Path, profile: &str, keys: &[Key]) {
        let entries = self.lock();
        let mut stored = Stored::default();
        for key in keys {
            if let Some(e) = entries.get(key) {
                stored.entries.insert(hex(key), to_bits(e));
            }
        }
        drop(entries);
        let path = file(cache, volume, profile);
        if let (Some(dir), Ok(bytes)) = (path.parent(), serde_json::to_vec(&stored)) {
            let _ = std::fs::create_dir_all(dir);
            let _ = crate::output::write_atomic(&path, &bytes);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Extent>> {
        // A panic while holding the lock leaves whole entries only: still usable.
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One composition's use of the memo: what it recalled and measured, to store afterwards.
pub struct Recall<'a> {
    memo: &'a Memo,
    /// Whether remembered extents are used; when not, everything is measured.
    on: bool,
    fingerprint: Fingerprint,
    used: Vec<Key>,
    measured: usize,
}

impl<'a> Recall<'a> {
    /// Recalls from `memo` for the measuring compiles that `fingerprint` describes (or,
    /// when not `on`, recalls nothing and remembers nothing).
    pub fn new(memo: &'a Memo, fingerprint: Fingerprint, on: bool) -> Self {
        Self { memo, on, fingerprint, used: Vec::new(), measured: 0 }
    }

    /// Splits what is asked into the answers remembered and what is left to measure.
    pub fn split(&mut self, asked: Measure) -> (Heights, Measure) {
        let mut known = Heights::new();
        if !self.on {
            return (known, asked);
        }
        let mut left = Measure { body: asked.body, requests: Vec::new() };
        for r in asked.requests {
            let key = self.fingerprint.key(&r, asked.body);
            if let Some(key) = key {
                self.used.push(key);
                if let Some(extent) = self.memo.get(&key) {
                    known.insert(r.key, extent);
                    continue;
                }
            }
            left.requests.push(r);
        }
        (known, left)
    }

    /// Remembers the answers of measuring `asked`.
    pub fn learn(&mut self, asked: &Measure, heights: &Heights) {
        if !self.on {
            return;
        }
        for r in &asked.requests {
            if let (Some(key), Some(extent)) =
                (self.fingerprint.key(r, asked.body), heights.get(&r.key))
            {
                self.memo.put(key, *extent);
                self.measured += 1;
            }
        }
    }

    /// Writes what the volume file `volume` used in `profile` into the cache folder
    /// `cache`, when anything had to be measured (else the file there already holds it).
    pub fn store(self, cache: &Path, volume: &Path, profile: &str) {
        if self.measured > 0 {
            self.memo.store(cache, volume, profile, &self.used);
        }
    }
}

/// What a file of `measures/` holds: extents as the bits of their numbers (JSON numbers
/// are exact for integers, not for every float), by hexadecimal key; sorted, so the same
/// measurements write the same file.
#[derive(Default, Serialize, Deserialize)]
struct Stored {
    entries: std::collections::BTreeMap<String, [u64; 3]>,
}

/// The file of a volume's measurements in one profile: named by a hash of the volume
/// file's path, and the profile. One file per profile, because each profile measures on
/// its own (the layout reads it): an office that proofs on screen and builds for print in
/// turn would otherwise replace one's measurements with the other's on every build.
fn file(cache: &Path, volume: &Path, profile: &str) -> PathBuf {
    let path = std::fs::canonicalize(volume).unwrap_or_else(|_| volume.to_path_buf());
    let name = hex(&digest(&[path.as_os_str().as_encoded_bytes()]));
    cache.join(FOLDER).join(format!("{}-{profile}.json", &name[..32]))
}

/// kaiho's own build, as far as a measurement depends on it: the version, and the size
/// and time of the executable (a rebuilt kaiho may read extents back differently).
fn own_build() -> &'static str {
    static BUILD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::metadata);
        let stamp = exe.map_or_else(
            |_| "unknown".to_owned(),
            |m| {
                let time = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}-{time}", m.len())
            },
        );
        format!("{} {stamp}", env!("CARGO_PKG_VERSION"))
    })
}

fn digest(parts: &[&[u8]]) -> Key {
    let mut h = Sha256::new();
    for p in parts {
        // Each part with its length, so that no two lists of parts hash alike.
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().into()
}

fn to_bits(e: &Extent) -> [u64; 3] {
    [e.height.to_bits(), e.blank[0].to_bits(), e.blank[1].to_bits()]
}

fn from_bits(b: [u64; 3]) -> Extent {
    Extent { height: f64::from_bits(b[0]), blank: [f64::from_bits(b[1]), f64::from_bits(b[2])] }
}

fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Key> {
    let mut key = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composition::measure::Part;

    fn data(title: &str, issue: &str) -> serde_json::Value {
        serde_json::json!({
            "series": {"title": "通信"},
            "volume": {"issue": issue, "pages": [{"blocks": [
                {"id": "b0", "headline": {"title": title}},
                {"id": "b1", "text": {"body": "本文"}},
            ]}]},
        })
    }

    fn request(id: &str, width: f64) -> Request {
        Request {
            key: 0,
            id: id.into(),
            width,
            part: Part::All,
            unit: None,
            per_row: None,
            frame: None,
            pitch: 14.4,
        }
    }

    #[test]
    fn a_key_changes_with_what_decides_the_measurement_and_nothing_else() {
        let a = Fingerprint::new(&data("見出し", "2月号"), &[b"layout", b"fonts"]);
        let k = |f: &Fingerprint, id: &str, w: f64, body: f64| f.key(&request(id, w), body);
        // An edit to one block changes its keys only.
        let edited = Fingerprint::new(&data("別の見出し", "2月号"), &[b"layout", b"fonts"]);
        assert_ne!(k(&a, "b0", 200.0, 9.0), k(&edited, "b0", 200.0, 9.0));
        assert_eq!(k(&a, "b1", 200.0, 9.0), k(&edited, "b1", 200.0, 9.0));
        // What every block may read changes every key: data, layout, fonts.
        for other in [
            Fingerprint::new(&data("見出し", "3月号"), &[b"layout", b"fonts"]),
            Fingerprint::new(&data("見出し", "2月号"), &[b"layout2", b"fonts"]),
            Fingerprint::new(&data("見出し", "2月号"), &[b"layout", b"fonts2"]),
            Fingerprint::new(&data("見出し", "2月号"), &[b"layoutfonts"]),
        ] {
            assert_ne!(k(&a, "b1", 200.0, 9.0), k(&other, "b1", 200.0, 9.0));
        }
        // Width and size to the bit.
        assert_ne!(k(&a, "b1", 200.0, 9.0), k(&a, "b1", 200.0 + 1e-9, 9.0));
        assert_ne!(k(&a, "b1", 200.0, 9.0), k(&a, "b1", 200.0, 9.25));
        assert_eq!(k(&a, "b9", 200.0, 9.0), None);
    }

    #[test]
    fn extents_come_back_from_the_cache_folder_to_the_bit() {
        let dir = tempfile::tempdir().unwrap();
        let volume = dir.path().join("vol1.yaml");
        let memo = Memo::default();
        let extent = Extent { height: 123.456_789_012_345_67, blank: [0.1 + 0.2, 1.0 / 3.0] };
        let (kept, dropped) = ([7u8; 32], [9u8; 32]);
        memo.put(kept, extent);
        memo.put(dropped, extent);
        memo.store(dir.path(), &volume, "print", &[kept]);
        let again = Memo::default();
        again.load(dir.path(), &volume, "print");
        assert_eq!(again.get(&kept), Some(extent));
        // Only what the build used is written.
        assert_eq!(again.get(&dropped), None);
        // A damaged file is ignored.
        let file = file(dir.path(), &volume, "print");
        std::fs::write(&file, b"{not json").unwrap();
        let damaged = Memo::default();
        damaged.load(dir.path(), &volume, "print");
        assert_eq!(damaged.get(&kept), None);
    }
}

//! Live preview: rebuild a volume whenever one of its files changes, keep the engine warm,
//! and serve the pages and the problems to a browser on 127.0.0.1.
//!
//! Files are watched by polling their modification time, size and (for files up to
//! 64 KiB: the YAML and the layout, not the photos) content, which works the same for editors that write
//! in place, in several writes, or by renaming a new file over the old one, and sees two
//! saves of the same length within one tick of the file system's clock. A change is built
//! once the files have held still for [`QUIET`], so a burst of saves builds once; a save
//! made while a build runs is built after it. A failed build keeps the last good pages and
//! the last good PDF — except when a page does not fit: then the page is shown as it comes
//! out, with the blocks that run over framed in red.
//!
//! The preview answers only requests addressed to itself (see [`host_allowed`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::fonts::FontSearch;
use crate::profile::LayoutProfile;
use crate::project;
use crate::typeset::{Engine, today};

/// How often files are looked at.
pub const POLL: Duration = Duration::from_millis(50);

/// How long the files must hold still before a change is built: an editor's save (a write,
/// or several, or a rename) is done well within it, and a scheduler that delays a burst of
/// saves on a busy machine seldom stretches a gap between them this far.
pub const QUIET: Duration = Duration::from_millis(250);

/// Files up to this size are told apart by their content as well: the YAML and the
/// layout's files, a few KiB each. Photos are larger, and reading them every poll would
/// be a steady stream of reads for an edit that changes their time or size anyway.
const HASHED: u64 = 64 << 10;

/// Proof resolution in the browser.
const PPI: f32 = 110.0;

/// A problem as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The file.
    pub file: String,
    /// 1-based line, if known.
    pub line: Option<u32>,
    /// 1-based column, if known.
    pub column: Option<u32>,
    /// YAML path.
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for Problem {
    fn from(d: &Diagnostic) -> Self {
        Self {
            severity: if d.severity == Severity::Error { "error" } else { "warning" },
            file: crate::diag::display_path(&d.file).display().to_string(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            path: d.yaml_path.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// What the browser sees.
#[derive(Debug, Default, Clone, Serialize)]
pub struct State {
    /// Increases with every build, good or bad.
    pub generation: u64,
    /// The generation of the pages shown (the last good build).
    pub pages_generation: u64,
    /// The volume file.
    pub file: String,
    /// Whether the last build succeeded.
    pub ok: bool,
    /// Number of pages of the last good build.
    pub pages: usize,
    /// Problems of the last build.
    pub problems: Vec<Problem>,
    /// How long the last build took.
    pub took_ms: u128,
    /// PNG pages of the last good build, plain and with guides.
    #[serde(skip)]
    pub images: Pages,
}

/// What to watch and build.
pub struct Watch {
    /// The volume file.
    pub volume: PathBuf,
    /// The series file, if not next to the volume.
    pub series: Option<PathBuf>,
    /// A layout folder overriding the built-in layouts.
    pub layout_dir: Option<PathBuf>,
    /// Where fonts are found.
    pub fonts: FontSearch,
    /// What the output is for.
    pub profile: LayoutProfile,
    /// Where the PDF is written after every good build.
    pub output: PathBuf,
}

/// Per file: its modification time, size and, when small, a hash of its content.
type Fingerprint = Vec<Option<(SystemTime, u64, Option<u64>)>>;

/// PNG pages of a build: each plain and with guides.
type Pages = Vec<(Vec<u8>, Vec<u8>)>;

fn fingerprint(files: &[PathBuf]) -> Fingerprint {
    use std::hash::{Hash, Hasher};
    files
        .iter()
        .map(|f| {
            let m = std::fs::metadata(f).ok()?;
            // A file that cannot be read now is told by its time and size alone.
            let content =
                (m.len() <= HASHED).then(|| std::fs::read(f).ok()).flatten().map(|bytes| {
                    let mut h = std::hash::DefaultHasher::new();
                    bytes.hash(&mut h);
                    h.finish()
                });
            Some((m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len(), content))
        })
        .collect()
}

impl Watch {
    /// Every file a build of the volume reads: volume, series, layout files, and the
    /// photos of the volume as the build read it.
    fn files(&self, photos: Vec<PathBuf>) -> Vec<PathBuf> {
        let mut files =
            vec![self.volume.clone(), project::series_path(&self.volume, self.series.as_deref())];
        if let Some(dir) = &self.layout_dir {
            files.extend(walk(dir));
        }
        files.extend(photos);
        files
    }

    /// Builds once and updates `state`; the engine is kept between builds while the series
    /// file stays the same. Returns the files to watch for the next build.
    pub fn build(
        &self,
        engine: &mut Option<(Fingerprint, Engine)>,
        state: &Mutex<State>,
    ) -> Vec<PathBuf> {
        let start = Instant::now();
        let mut photos = Vec::new();
        let (problems, result, ok) = self.build_once(engine, &mut photos);
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        s.file = self.volume.display().to_string();
        s.took_ms = start.elapsed().as_millis();
        s.problems = problems.iter().map(Problem::from).collect();
        s.ok = ok;
        if let Some(images) = result {
            s.pages = images.len();
            s.images = images;
            s.pages_generation = s.generation;
        }
        self.files(photos)
    }

    /// One build; `photos` receives the volume's photo files once the volume has loaded.
    fn build_once(
        &self,
        engine: &mut Option<(Fingerprint, Engine)>,
        photos: &mut Vec<PathBuf>,
    ) -> (Vec<Diagnostic>, Option<Pages>, bool) {
        let loaded = match project::load(&self.volume, self.series.as_deref()) {
            Ok(l) => l,
            Err(f) => return (f.diagnostics, None, false),
        };
        for block in loaded.volume.pages.iter().flat_map(|p| &p.blocks) {
            photos.extend(block.kind.images().into_iter().map(|(_, file)| file.to_path_buf()));
        }
        // The engine holds the fonts and the layout: rebuild it when the series file (which
        // names them) or a file of the layout folder changes.
        let mut engine_inputs = vec![project::series_path(&self.volume, self.series.as_deref())];
        if let Some(dir) = &self.layout_dir {
            engine_inputs.extend(walk(dir));
        }
        let series_print = fingerprint(&engine_inputs);
        if engine.as_ref().is_none_or(|(f, _)| *f != series_print) {
            match Engine::for_series(&loaded.series, &self.fonts, self.layout_dir.as_deref()) {
                Ok(e) => *engine = Some((series_print, e)),
                Err(e) => {
                    return (vec![Diagnostic::error(&self.volume, e.to_string())], None, false);
                }
            }
        }
        let Some((_, engine)) = engine.as_ref() else { return (Vec::new(), None, false) };
        let mut problems = loaded.warnings.clone();
        let typeset = match engine.typeset(&loaded, &self.profile) {
            Ok(t) => t,
            Err(d) => {
                // A page that does not fit: show it as it comes out, the blocks that run
                // over framed in red (their YAML paths are the block ids).
                let marked = engine.compile_as_is(&loaded, &self.profile).ok().and_then(|doc| {
                    let marks: Vec<(usize, f64, f64)> = d
                        .iter()
                        .filter_map(|p| p.yaml_path.as_deref())
                        .flat_map(|id| crate::placement::spans(&doc, id))
                        .collect();
                    if marks.is_empty() {
                        return None;
                    }
                    let pages = crate::proof::pages_marked(&doc, PPI, &marks).ok()?;
                    Some(pages.iter().map(|p| (p.clone(), p.clone())).collect())
                });
                problems.extend(d);
                return (problems, marked, false);
            }
        };
        problems.extend(typeset.warnings.iter().cloned());
        let stamp = crate::export::timestamp(today(loaded.volume.date));
        match crate::export::pdf(
            &typeset.document,
            &loaded.series,
            &loaded.volume,
            stamp,
            self.profile.name,
        ) {
            Ok(bytes) => {
                if let Err(e) = crate::output::write_atomic(&self.output, &bytes) {
                    problems.push(Diagnostic::error(
                        &self.output,
                        format!("cannot write the PDF: {e}"),
                    ));
                }
            }
            Err(d) => problems.extend(d),
        }
        let guides = crate::proof::Guides {
            bleed_mm: self.profile.bleed,
            safe_mm: crate::preflight::SAFE_MARGIN_PT / 72.0 * 25.4,
        };
        let plain = crate::proof::pages(&typeset.document, PPI, None);
        let guided = crate::proof::pages(&typeset.document, PPI, Some(guides));
        match (plain, guided) {
            (Ok(plain), Ok(guided)) => {
                (problems, Some(plain.into_iter().zip(guided).collect()), true)
            }
            (Err(d), _) | (_, Err(d)) => {
                problems.push(d);
                (problems, None, false)
            }
        }
    }

    /// Watches forever: builds at once, then whenever the files have changed and held
    /// still for [`QUIET`].
    pub fn run(&self, state: Arc<Mutex<State>>) {
        let mut engine = None;
        // The files a build reads (the photos are known once the volume is read), and what
        // they were just before the last build began: a save made while it ran is a change.
        let mut files = self.files(Vec::new());
        let mut built: Option<Fingerprint> = None;
        let mut last = fingerprint(&files);
        let mut still_since = Instant::now();
        loop {
            let now = fingerprint(&files);
            if now != last {
                still_since = Instant::now();
                last = now.clone();
            }
            if built.as_ref() != Some(&now) && (built.is_none() || still_since.elapsed() >= QUIET) {
                let read = self.build(&mut engine, &state);
                // A new photo or layout file joins the watched files, as it is now.
                let before: Fingerprint = read
                    .iter()
                    .map(|f| match files.iter().position(|g| g == f) {
                        Some(i) => now[i],
                        None => fingerprint(std::slice::from_ref(f)).remove(0),
                    })
                    .collect();
                files = read;
                last = before.clone();
                built = Some(before);
            }
            std::thread::sleep(POLL);
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The preview page.
pub const PAGE: &str = include_str!("watch.html");

/// The names the preview answers to, each with `:PORT`.
const HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// Whether a request whose `Host` header is `host` is addressed to the preview on `port`.
/// Listening on 127.0.0.1 is not enough: a web page can make its own domain resolve to
/// 127.0.0.1 (DNS rebinding), and its scripts then reach the preview as the same origin —
/// but their requests name that domain as the Host, so checking it keeps them out.
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    HOSTS.iter().any(|name| {
        host.eq_ignore_ascii_case(&format!("{name}:{port}"))
            // Browsers leave out the default port.
            || (port == 80 && host.eq_ignore_ascii_case(name))
    })
}

/// The one-line answer to a request [`host_allowed`] refuses.
pub fn refusal(host: Option<&str>, port: u16) -> String {
    let asked = host.map_or_else(|| "no Host".to_owned(), |h| format!("Host {h:?}"));
    format!(
        "kaiho watch answers only requests for 127.0.0.1:{port}, localhost:{port} or [::1]:{port}, and this one had {asked}: open http://127.0.0.1:{port}/\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_of_the_same_length_within_one_clock_tick_is_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("vol1.yaml");
        std::fs::write(&file, "title: 見出し1\n").unwrap();
        let time = std::fs::metadata(&file).unwrap().modified().unwrap();
        let before = fingerprint(std::slice::from_ref(&file));
        std::fs::write(&file, "title: 見出し2\n").unwrap();
        // As if both writes fell within one tick of the file system's clock.
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(time).unwrap();
        let after = fingerprint(std::slice::from_ref(&file));
        assert_eq!(before[0].as_ref().map(|f| (f.0, f.1)), after[0].as_ref().map(|f| (f.0, f.1)));
        assert_ne!(before, after, "the content tells the saves apart");
        assert_eq!(after, fingerprint(std::slice::from_ref(&file)), "and nothing else changes it");
    }

    #[test]
    fn only_requests_for_the_preview_itself_are_answered() {
        for host in ["127.0.0.1:7130", "localhost:7130", "LOCALHOST:7130", "[::1]:7130"] {
            assert!(host_allowed(Some(host), 7130), "{host}");
        }
        for host in [
            "evil.example.com",
            "evil.example.com:7130",
            "127.0.0.1",
            "127.0.0.1:7131",
            "127.0.0.1.nip.io:7130",
            "localhost:7130.evil.example.com",
            "",
        ] {
            assert!(!host_allowed(Some(host), 7130), "{host}");
        }
        assert!(!host_allowed(None, 7130));
        assert!(host_allowed(Some("localhost"), 80) && host_allowed(Some("[::1]:80"), 80));
        let answer = refusal(Some("evil.example.com"), 7130);
        assert_eq!(answer.lines().count(), 1, "{answer}");
        assert!(answer.contains(r#"Host "evil.example.com""#), "{answer}");
    }
}

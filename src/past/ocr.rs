//! OCR of pages that carry no text (scans, text turned into outlines), with Tesseract and
//! its Japanese model when they are installed (`scripts/setup --ocr`).
//!
//! Reproducible by construction: the page is rendered at a fixed resolution by kaiho's own
//! renderer, Tesseract runs on one thread (its parallel paths may order work differently),
//! and the engine — Tesseract's version and the SHA-256 of `jpn.traineddata` — is recorded
//! with the text, so a different engine is a stated reason, never a silent change.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use hayro_syntax::page::Page;

/// The resolution pages are read at: Tesseract's own recommendation for print.
pub const PPI: f32 = 300.0;

/// The environment variable naming the Tesseract program (empty: no OCR).
pub const PROGRAM_VARIABLE: &str = "KAIHO_TESSERACT";

/// What to tell someone whose pages cannot be read.
pub const HOW_TO_ENABLE: &str = "install Tesseract with its Japanese model (scripts/setup --ocr installs tesseract-ocr and tesseract-ocr-jpn), then run `kaiho archive` again";

/// Tesseract with Japanese, found and identified.
#[derive(Debug, Clone)]
pub struct Ocr {
    program: PathBuf,
    /// The engine, e.g. `tesseract 5.3.0, jpn.traineddata 7b2d…` (12 hex digits of its SHA-256).
    pub engine: String,
}

/// Tesseract with Japanese, if installed: the program `KAIHO_TESSERACT` names, else
/// `tesseract` on the PATH. Looked up once per process.
pub fn find() -> Option<&'static Ocr> {
    static FOUND: OnceLock<Option<Ocr>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let program = std::env::var_os(PROGRAM_VARIABLE).unwrap_or_else(|| "tesseract".into());
            (!program.is_empty()).then(|| identify(Path::new(&program))).flatten()
        })
        .as_ref()
}

fn identify(program: &Path) -> Option<Ocr> {
    let run = |arg: &str| {
        Command::new(program)
            .arg(arg)
            .stdin(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let version = run("--version")?.lines().next()?.trim().to_owned();
    // `List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):` then one
    // language per line.
    let languages = run("--list-langs")?;
    let mut lines = languages.lines();
    let folder = lines.next()?.split('"').nth(1)?.to_owned();
    if !lines.any(|l| l.trim() == "jpn") {
        return None;
    }
    let model = std::fs::read(Path::new(&folder).join("jpn.traineddata")).ok()?;
    let sha = crate::archive::sha256(&model);
    Some(Ocr {
        program: program.to_path_buf(),
        engine: format!("{version}, jpn.traineddata {}", &sha[..12]),
    })
}

impl Ocr {
    /// The text Tesseract reads on `page`.
    pub fn read(&self, page: &Page<'_>) -> Result<String, String> {
        let image = super::render::render(page, PPI);
        let png = super::render::png(&image::DynamicImage::ImageLuma8(
            image::DynamicImage::ImageRgb8(image).to_luma8(),
        ));
        let mut child = Command::new(&self.program)
            .args(["stdin", "stdout", "-l", "jpn", "--psm", "3", "--dpi"])
            .arg(format!("{PPI}"))
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        let mut stdin = child.stdin.take().ok_or("no standard input")?;
        // Written from another thread: Tesseract may start writing before it has read all.
        let writer = std::thread::spawn(move || stdin.write_all(&png));
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        let _ = writer.join();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!("Tesseract failed: {}", stderr.trim()));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

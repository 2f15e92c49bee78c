//! Running kaiho and the checking tools, and small fixture projects in temporary folders.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root: tests run kaiho from here, as a user would.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a kaiho run returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the run succeeded.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "kaiho failed:\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }
}

/// The kaiho command, with the environment variables it reads cleared.
pub fn kaiho_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaiho"));
    cmd.current_dir(root())
        .env_remove("KAIHO_FONT_PATH")
        .env_remove("KAIHO_LAYOUT_DIR")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs a kaiho command (from `kaiho_command`) to its end.
pub fn run(command: &mut Command) -> Run {
    Run::from(command.output().expect("the kaiho binary runs"))
}

/// Runs kaiho with `args` from the repository root.
pub fn kaiho(args: &[&str]) -> Run {
    run(kaiho_command().args(args))
}

/// Runs `kaiho build VOLUME [EXTRA…] -o OUT` from the repository root.
pub fn kaiho_build(volume: &str, out: &str, extra: &[&str]) -> Run {
    let mut args = vec!["build", volume];
    args.extend_from_slice(extra);
    args.extend(["-o", out]);
    kaiho(&args)
}

/// Runs an external checking tool and returns its standard output.
#[track_caller]
pub fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{program}` ({e}); the README's test command installs it (poppler-utils, qpdf)")
    });
    assert!(
        output.status.success(),
        "`{program} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A temporary folder, removed when dropped.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// The folder of this test run's shared fixtures, under Cargo's `target/tmp`: one per
/// `cargo nextest run` (its run ID: every test is a process of its own), or one per test
/// process under `cargo test`, removed when the process exits. Folders of earlier nextest
/// runs are removed once they are an hour old.
fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    extern "C" fn remove_at_exit() {
        if let Some(dir) = DIR.get() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    DIR.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures");
        let nextest = std::env::var("NEXTEST_RUN_ID").ok();
        let run = nextest.clone().unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            format!("process-{}-{}", std::process::id(), now.unwrap().as_nanos())
        });
        let dir = base.join(run);
        std::fs::create_dir_all(&dir).unwrap();
        if nextest.is_none() {
            // SAFETY: registers a plain function; it runs once, when the process exits.
            unsafe { libc::atexit(remove_at_exit) };
        }
        let hour = std::time::Duration::from_secs(3600);
        for old in std::fs::read_dir(&base).unwrap().flatten() {
            let age = old.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
            if old.path() != dir && age.is_some_and(|a| a > hour) {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        dir
    })
}

/// A folder `make` fills once per test run, for every test that only reads it (a test that
/// changes it works on a copy, see `copy_dir`). Test processes of one run take turns through
/// a lock file; `make` fills a `.part` folder that is renamed when it is done, so a fixture
/// is whole or absent, and one whose making panicked is made again by the next test. What
/// `make` writes must not name its folder (a relative path, not `.part`'s).
pub fn shared(name: &str, make: impl FnOnce(&Path)) -> PathBuf {
    let dir = run_dir().join(name);
    if !dir.is_dir() {
        let lock = std::fs::File::create(run_dir().join(format!("{name}.lock"))).unwrap();
        lock.lock().unwrap();
        if !dir.is_dir() {
            let part = run_dir().join(format!("{name}.part"));
            let _ = std::fs::remove_dir_all(&part);
            std::fs::create_dir_all(&part).unwrap();
            make(&part);
            std::fs::rename(&part, &dir).unwrap();
        }
    }
    dir
}

/// Copies the folder `from` into `to` (created), file by file.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// VOL.10 built once per run (`kaiho build data/vol10.yaml`) for all tests that only read
/// it. A test that asserts a property of building again builds again itself.
pub fn vol10_pdf() -> &'static Path {
    static PDF: OnceLock<PathBuf> = OnceLock::new();
    PDF.get_or_init(|| {
        shared("vol10", |dir| {
            kaiho(&["build", "data/vol10.yaml", "-o", dir.join("vol10.pdf").to_str().unwrap()])
                .ok();
        })
        .join("vol10.pdf")
    })
}

/// VOL.10 built once per run for the screen (`--profile screen`), for tests that only read it.
pub fn vol10_screen_pdf() -> &'static Path {
    static PDF: OnceLock<PathBuf> = OnceLock::new();
    PDF.get_or_init(|| {
        shared("vol10-screen", |dir| {
            let pdf = dir.join("vol10-screen.pdf");
            kaiho_build("data/vol10.yaml", pdf.to_str().unwrap(), &["--profile", "screen"]).ok();
        })
        .join("vol10-screen.pdf")
    })
}

/// A project folder with the VOL.10 series file and the given volume files.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = temp();
    std::fs::copy(root().join("data/series.yaml"), dir.path().join("series.yaml")).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Text extracted by pdftotext, with all white space removed and NFKC-normalised, so that
/// line breaks, Japanese–Latin spacing and full-width forms do not matter.
pub fn pdf_text_compact(pdf: &Path) -> String {
    compact(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]))
}

/// NFKC without white space.
pub fn compact(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// A minimal valid volume with one page holding `blocks` (YAML, indented for `blocks:`).
pub fn volume_with(blocks: &str) -> String {
    format!("volume: 1\nissue: テスト号\ndate: 2024-01-01\npages:\n  - blocks:\n{blocks}")
}

/// A decoded PNG: width, height, channels per pixel, pixel bytes.
pub struct Png {
    pub width: u32,
    pub height: u32,
    pub channels: usize,
    pub data: Vec<u8>,
}

/// Decodes a PNG file.
pub fn png_pixels(path: &Path) -> Png {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    Png {
        width: info.width,
        height: info.height,
        channels: info.line_size / info.width as usize,
        data: buf,
    }
}

/// Prints `html` to `pdf` with headless Chromium, as anyone's browser would (a fresh profile
/// beside the PDF, so that several can run at once).
pub fn chromium_pdf(html: &Path, pdf: &Path) {
    let profile = pdf.with_extension("chromium-profile");
    let out = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", std::path::absolute(html).unwrap().display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run chromium ({e}); scripts/setup --test installs it"));
    let _ = std::fs::remove_dir_all(&profile);
    assert!(pdf.is_file(), "chromium printed nothing: {}", String::from_utf8_lossy(&out.stderr));
}

/// Turns PostScript into a PDF with Ghostscript's pdfwrite.
pub fn ghostscript_pdf(ps: &Path, pdf: &Path) {
    tool(
        "gs",
        &[
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dALLOWPSTRANSPARENCY",
            "-sDEVICE=pdfwrite",
            &format!("-sOutputFile={}", pdf.display()),
            ps.to_str().unwrap(),
        ],
    );
}

/// A scan of `pdf`: every page rendered at `ppi` by Ghostscript and wrapped into a PDF of
/// images only (its `pdfimage24` device), as a scanner's software writes one.
pub fn scanned_pdf(pdf: &Path, scan: &Path, ppi: u32) {
    tool(
        "gs",
        &[
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pdfimage24",
            &format!("-r{ppi}"),
            &format!("-sOutputFile={}", scan.display()),
            pdf.to_str().unwrap(),
        ],
    );
}

/// The PDF uncompressed by qpdf, as text, to look for keys and operators.
pub fn qdf(pdf: &Path) -> String {
    // In a folder of its own, not beside the PDF: that may be a fixture other tests read.
    let dir = temp();
    let out = dir.path().join("qdf.pdf");
    tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", pdf.to_str().unwrap(), out.to_str().unwrap()],
    );
    String::from_utf8_lossy(&std::fs::read(out).unwrap()).into_owned()
}

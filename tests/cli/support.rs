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

/// Runs kaiho with `args` from the repository root.
pub fn kaiho(args: &[&str]) -> Run {
    Run::from(kaiho_command().args(args).output().expect("the kaiho binary runs"))
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

/// VOL.10 built once for all tests that only read it: `(pdf path, folder)`.
pub fn vol10_pdf() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, pdf) = BUILT.get_or_init(|| {
        let dir = temp();
        let pdf = dir.path().join("vol10.pdf");
        kaiho(&["build", "data/vol10.yaml", "-o", pdf.to_str().unwrap()]).ok();
        (dir, pdf)
    });
    pdf
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
    let out = pdf.with_extension("qdf.pdf");
    tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", pdf.to_str().unwrap(), out.to_str().unwrap()],
    );
    String::from_utf8_lossy(&std::fs::read(out).unwrap()).into_owned()
}

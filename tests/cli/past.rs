//! Past issues — volumes that exist only as PDFs kaiho did not make: printed by headless
//! Chromium, written by Ghostscript, scanned — checked, archived as supplied, searched (by
//! OCR where a page has no text), listed in the catalogue and verified.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::archive::{archive, manifest, volumes};
use crate::support::*;

/// The past issues' PDFs, made once per run the way others make them: `vol9.pdf` printed by
/// Chromium, `vol6.pdf` written by Ghostscript from PostScript, `vol5.pdf` a scan (a page
/// printed by Chromium, rendered to pixels and wrapped in a PDF by Ghostscript).
pub fn past_pdfs() -> &'static Path {
    static MADE: OnceLock<PathBuf> = OnceLock::new();
    MADE.get_or_init(|| {
        shared("past", |d| {
            let fixtures = root().join("tests/fixtures/past");
            std::thread::scope(|scope| {
                scope.spawn(|| chromium_pdf(&fixtures.join("vol9.html"), &d.join("vol9.pdf")));
                scope.spawn(|| {
                    chromium_pdf(&fixtures.join("vol5.html"), &d.join("vol5-printed.pdf"));
                    scanned_pdf(&d.join("vol5-printed.pdf"), &d.join("vol5.pdf"), 150);
                });
                ghostscript_pdf(&fixtures.join("vol6.ps"), &d.join("vol6.pdf"));
            });
        })
    })
}

/// The scan as a past issue, VOL.5.
const VOL5: &str = "volume: 5\nissue: 2021年8月号\ndate: 2021-08-01\npdf: past/vol5.pdf\n\
                    themes: [防災訓練のお知らせ]\nnote: 紙の号をスキャンしたもの\n";

/// The test series with the scan added, and one typeset volume (VOL.7) instead of two, which
/// is all these tests need.
fn with_scan() -> tempfile::TempDir {
    let dir = volumes();
    let data = dir.path().join("data");
    std::fs::remove_file(data.join("vol8.yaml")).unwrap();
    std::fs::write(data.join("vol5.yaml"), VOL5).unwrap();
    std::fs::copy(past_pdfs().join("vol5.pdf"), data.join("past/vol5.pdf")).unwrap();
    dir
}

fn ocr_installed() -> bool {
    let langs = std::process::Command::new("tesseract").arg("--list-langs").output();
    langs.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "jpn"))
}

fn search(dir: &Path, term: &str) -> Run {
    let (data, archive) = (dir.join("data"), dir.join("archive"));
    kaiho(&["search", term, data.to_str().unwrap(), "--archive", archive.to_str().unwrap()])
}

#[test]
fn past_issues_are_archived_as_supplied_and_found_by_search() {
    // The scan is image-only, as pdffonts and pdfimages see it.
    let scan = past_pdfs().join("vol5.pdf");
    assert_eq!(tool("pdffonts", &[scan.to_str().unwrap()]).lines().count(), 2, "no fonts");
    assert_eq!(tool("pdfimages", &["-list", scan.to_str().unwrap()]).lines().count(), 3);

    let dir = with_scan();
    let run = archive(dir.path(), &[]).ok();
    assert!(run.stdout.contains("4 volume(s) (4 built, 0 unchanged)"), "{}", run.stdout);
    let (data, out) = (dir.path().join("data"), dir.path().join("archive"));
    let m = manifest(dir.path());
    for (number, name) in [(5, "vol005-2021-08"), (6, "vol006-2022-02"), (9, "vol009-2023-07")] {
        // Copied byte for byte, recorded as supplied, never rebuilt into a print file.
        let supplied = std::fs::read(data.join(format!("past/vol{number}.pdf"))).unwrap();
        let copy = std::fs::read(out.join(format!("komoro-brand-{name}.pdf"))).unwrap();
        assert!(copy == supplied, "VOL.{number} is copied as it is");
        assert!(!out.join(format!("komoro-brand-{name}-print.pdf")).exists());
        let record = m["volumes"].as_array().unwrap().iter().find(|v| v["volume"] == number);
        let record = record.unwrap();
        assert_eq!(record["supplied"]["sha256"], kaiho::archive::sha256(&supplied));
        assert_eq!(record["outputs"][0]["profile"], "supplied");
        assert_eq!(record["outputs"][0]["sha256"], kaiho::archive::sha256(&supplied));
        assert_eq!(record["outputs"][0]["pages"], 1);
        let text = out.join(record["text"]["file"].as_str().unwrap());
        assert_eq!(record["text"]["sha256"], kaiho::archive::sha256(&std::fs::read(text).unwrap()));
    }
    let scan_record = &m["volumes"][0]["text"];
    if ocr_installed() {
        assert_eq!(scan_record["ocr"], serde_json::json!([1]), "{scan_record}");
        assert!(scan_record["engine"].as_str().unwrap().starts_with("tesseract "));
    }

    // A word in a past PDF and in a typeset volume: one line each, the same columns.
    let run = search(dir.path(), "脱炭素").ok();
    assert!(run.stdout.contains("VOL.7 (2022年8月号)  page 1  pages[0].blocks[2].text.body  "));
    let past = "VOL.9 (2023年7月号)  page 1  past/vol9.pdf  …号活動報告(テスト) 【お知らせ】これは試験用の架空の号です脱炭素先行地域の選定に向けた準備を進めています。";
    assert!(run.stdout.contains(past), "{}", run.stdout);
    // Chromium maps 小 to the Kangxi radical ⼩; search reads it as the ideograph.
    assert!(
        search(dir.path(), "小泉としひろ")
            .ok()
            .stdout
            .contains("VOL.9 (2023年7月号)  page 1  past/vol9.pdf")
    );
    // Ghostscript's Latin text, in any case.
    let run = search(dir.path(), "kaikoen castle").ok();
    assert!(run.stdout.starts_with("VOL.6 (2022年2月号)  page 1  past/vol6.pdf  …ear greetings from the office Kaikoen castle park"), "{}", run.stdout);
    // The scan, by OCR.
    let run = search(dir.path(), "防災訓練");
    if ocr_installed() {
        let line = "VOL.5 (2021年8月号)  page 1  past/vol5.pdf (OCR)  ";
        assert!(
            run.stdout.contains(line)
                && run.stdout.contains("市民交流センターで防災訓練を行います"),
            "{}",
            run.stdout
        );
    } else {
        eprintln!(
            "tesseract-ocr-jpn is not installed (scripts/setup --test installs it): the scan is not read"
        );
    }

    // The thumbnail of a past issue is its own page 1, as poppler draws it too.
    let thumbnail = png_pixels(&out.join("thumbnails/komoro-brand-vol009-2023-07.png"));
    let poppler = dir.path().join("poppler");
    let pdf = data.join("past/vol9.pdf");
    tool(
        "pdftoppm",
        &["-r", "30", "-png", "-singlefile", pdf.to_str().unwrap(), poppler.to_str().unwrap()],
    );
    let theirs = png_pixels(&poppler.with_extension("png"));
    assert!(
        thumbnail.width.abs_diff(theirs.width) <= 1
            && thumbnail.height.abs_diff(theirs.height) <= 1
    );
    let grey = |p: &Png, x: u32, y: u32| {
        let i = (y * p.width + x) as usize * p.channels;
        p.data[i..i + 3].iter().map(|&v| u32::from(v)).sum::<u32>() / 3
    };
    let (w, h) = (thumbnail.width.min(theirs.width), thumbnail.height.min(theirs.height));
    let mut differ = 0;
    for y in 0..h {
        for x in 0..w {
            differ += usize::from(grey(&thumbnail, x, y).abs_diff(grey(&theirs, x, y)) > 64);
        }
    }
    assert!(differ * 100 < (w * h) as usize * 2, "{differ} of {} pixels differ", w * h);

    // A second run reads nothing again; verify reads every text again (OCR included) and
    // gets the same bytes.
    let run = archive(dir.path(), &[]).ok();
    assert!(run.stdout.contains("(0 built, 4 unchanged)"), "{}", run.stdout);
    let run = archive(dir.path(), &["--verify"]).ok();
    assert!(run.stdout.contains("8 file(s) checked, 0 differ"), "{}", run.stdout);
}

/// The catalogue of the test series with VOL.10 (see `archive`): a cover, the contents over
/// the years, the entries — past issues among them, with their themes and notes.
pub fn catalogue_of_the_test_series(index: &Path) {
    let pages = |first: u32, last: u32| {
        let (f, l) = (first.to_string(), last.to_string());
        compact(&tool("pdftotext", &["-f", &f, "-l", &l, index.to_str().unwrap(), "-"]))
    };
    let holds = |what: &str, text: &str, wanted: &[&str]| {
        for w in wanted {
            assert!(text.contains(&compact(w)), "{w} not in the {what}: {text}");
        }
    };
    // The cover: the name, 総目次, the span; the contents: a row per volume over the years.
    let span =
        ["小諸ぶらんど通信", "総目次", "VOL.6 – VOL.10", "2022年2月号 – 2024年2月号", "全 5 号"];
    holds("cover", &pages(1, 1), &span);
    let rows = [
        "目次",
        "2022年",
        "2023年",
        "2024年",
        "VOL.6",
        "2022年2月1日",
        "PDF保存",
        "新春のごあいさつ（テスト）／懐古園の灯籠まつり",
    ];
    holds("contents", &pages(2, 2), &rows);
    // The entries: the past issues' themes and notes from their volume files.
    let entries = [
        "VOL.9",
        "2023年7月号",
        "活動報告（テスト）",
        "Chromium で PDF にした試験用の号",
        "1ページ",
        "VOL.10",
        "2ページ",
    ];
    holds("entries", &pages(3, 99), &entries);
    // Every first page on the cover, and again at its entry.
    let images = tool("pdfimages", &["-list", index.to_str().unwrap()]);
    let on_cover =
        images.lines().skip(2).filter(|l| l.split_whitespace().next() == Some("1")).count();
    assert_eq!(on_cover, 5, "{images}");
}

#[test]
fn without_ocr_the_pages_of_a_scan_are_named_with_how_to_read_them() {
    let dir = temp();
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("past")).unwrap();
    std::fs::copy(root().join("tests/fixtures/archive/series.yaml"), data.join("series.yaml"))
        .unwrap();
    std::fs::write(data.join("vol5.yaml"), VOL5).unwrap();
    std::fs::copy(past_pdfs().join("vol5.pdf"), data.join("past/vol5.pdf")).unwrap();
    let archive_dir = dir.path().join("archive");
    let args = ["archive", data.to_str().unwrap(), "-o", archive_dir.to_str().unwrap()];
    let run = kaiho_command().env("KAIHO_TESSERACT", "").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("vol5.yaml:4:6: warning: VOL.5: page 1 of `past/vol5.pdf` cannot be searched: it has no readable text, and Tesseract with Japanese is not installed"), "{stderr}");
    assert!(stderr.contains("hint: install Tesseract with its Japanese model (scripts/setup --ocr installs tesseract-ocr and tesseract-ocr-jpn)"), "{stderr}");
    assert_eq!(manifest(dir.path())["volumes"][0]["text"]["unread"], serde_json::json!([1]));
    // Unchanged, and still named on the next run.
    let again = kaiho_command().env("KAIHO_TESSERACT", "").args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("(0 built, 1 unchanged)"), "{stdout}");
    assert!(String::from_utf8_lossy(&again.stderr).contains("cannot be searched"));
    // Search says the same, and finds nothing.
    let search = kaiho_command()
        .env("KAIHO_TESSERACT", "")
        .args(["search", "防災訓練", data.to_str().unwrap(), "--archive"])
        .arg(&archive_dir)
        .output()
        .unwrap();
    assert_eq!(search.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&search.stderr).contains("cannot be searched"));
    // With OCR at hand, the next run reads the page it could not.
    if ocr_installed() {
        let run = kaiho(&args).ok();
        assert!(run.stdout.contains("(1 built, 0 unchanged)"), "{}", run.stdout);
        assert_eq!(manifest(dir.path())["volumes"][0]["text"]["ocr"], serde_json::json!([1]));
    }
}

#[test]
fn check_validates_a_past_issue_and_its_pdf() {
    let past = past_pdfs();
    let odd = temp();
    let ps = odd.path().join("odd.ps");
    std::fs::write(&ps, "%!PS\n<< /PageSize [300 300] >> setpagedevice\n/Helvetica findfont 20 scalefont setfont\n20 150 moveto (A square page) show\nshowpage\n").unwrap();
    ghostscript_pdf(&ps, &odd.path().join("odd.pdf"));
    let past_issue =
        |n: u32, pdf: &str| format!("volume: {n}\nissue: 号\ndate: 2020-01-01\npdf: {pdf}\n");
    let dir = project(&[
        ("vol9.yaml", &past_issue(9, "past/vol9.pdf")),
        ("vol5.yaml", &past_issue(5, "past/vol5.pdf")),
        ("vol1.yaml", &past_issue(1, "past/missing.pdf")),
        ("vol2.yaml", &past_issue(2, "series.yaml")),
        ("vol3.yaml", &past_issue(3, "past/odd.pdf")),
        ("vol4.yaml", &past_issue(4, "past/broken.pdf")),
        ("vol6.yaml", "volume: 6\nissue: 号\ndate: 2020-01-01\npfd: past/vol9.pdf\n"),
        (
            "vol7.yaml",
            &format!(
                "{}pdf: past/vol9.pdf\nnote: メモ\n",
                volume_with("      - masthead: {}\n").replace("volume: 1", "volume: 7")
            ),
        ),
    ]);
    let folder = dir.path().join("past");
    std::fs::create_dir_all(&folder).unwrap();
    for name in ["vol9.pdf", "vol5.pdf"] {
        std::fs::copy(past.join(name), folder.join(name)).unwrap();
    }
    std::fs::copy(odd.path().join("odd.pdf"), folder.join("odd.pdf")).unwrap();
    std::fs::write(folder.join("broken.pdf"), "not a PDF at all").unwrap();
    let check = |name: &str| kaiho(&["check", dir.path().join(name).to_str().unwrap()]);

    let ok = check("vol9.yaml").ok();
    assert!(
        ok.stdout.ends_with("vol9.yaml: ok, 1 pages (a past issue: past/vol9.pdf)\n"),
        "{}",
        ok.stdout
    );
    let scan = check("vol5.yaml").ok();
    assert!(scan.stderr.contains("vol5.yaml:4:6: warning: `past/vol5.pdf` has no text layer on page 1 (a scan, or text turned into outlines)\n  at pdf"), "{}", scan.stderr);
    let strict = kaiho(&["check", "--strict", dir.path().join("vol5.yaml").to_str().unwrap()]);
    assert_eq!(strict.code, 1, "a scan without text fails only a strict check");
    for (file, message) in [
        ("vol1.yaml", "vol1.yaml:4:6: error: PDF `"),
        ("vol2.yaml", "vol2.yaml:4:6: error: `series.yaml` is not a PDF file"),
        (
            "vol3.yaml",
            "vol3.yaml:4:6: error: page 1 of `past/odd.pdf` is 106 × 106 mm, not a paper size kaiho knows",
        ),
        (
            "vol4.yaml",
            "vol4.yaml:4:6: error: the PDF `past/broken.pdf` cannot be opened: it is not a PDF, or it is damaged past repair",
        ),
        ("vol6.yaml", "vol6.yaml:4:1: error: unknown field `pfd`"),
        (
            "vol7.yaml",
            "error: a volume has either `pages` (typeset by kaiho) or `pdf` (a past issue), not both",
        ),
    ] {
        let run = check(file);
        assert_eq!(run.code, 1, "{file}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{file}: {}", run.stderr);
    }
    assert!(check("vol6.yaml").stderr.contains("did you mean `pdf`?"));
    assert!(
        check("vol7.yaml")
            .stderr
            .contains("error: `note` belongs to a past issue (a volume with `pdf`)")
    );
}

#[test]
fn build_says_where_a_past_issue_is_and_new_continues_from_the_last_typeset_volume() {
    let dir = volumes();
    let data = dir.path().join("data");
    let out = dir.path().join("out.pdf");
    let run =
        kaiho_build(data.join("vol9.yaml").to_str().unwrap(), out.to_str().unwrap(), &[]).ok();
    assert!(
        run.stdout.contains("VOL.9 (2023年7月号) is a past issue: its PDF is "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("past/vol9.pdf; nothing to build"), "{}", run.stdout);
    assert!(!out.exists(), "nothing is written");
    let proof = kaiho(&["proof", data.join("vol9.yaml").to_str().unwrap()]);
    assert_eq!(proof.code, 1);
    assert!(
        proof.stderr.contains("error: VOL.9 (2023年7月号) is a past issue, not typeset by kaiho"),
        "{}",
        proof.stderr
    );

    // After the past VOL.9 comes VOL.10, with the blocks of the last typeset volume, VOL.8.
    let vol10 = data.join("vol10.yaml");
    let run = kaiho(&[
        "new",
        vol10.to_str().unwrap(),
        "--from",
        data.join("vol9.yaml").to_str().unwrap(),
    ])
    .ok();
    assert!(
        run.stdout.contains("VOL.10  from ")
            && run.stdout.contains("(a past issue), with the blocks of "),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(&vol10).unwrap();
    assert!(text.contains("volume: 10\nissue: 2023年8月号\ndate: 2023-08-01"), "{text}");
    let blocks = |yaml: &str| -> Vec<String> {
        let kind = |l: &str| l.strip_prefix("      - ")?.split(':').next().map(str::to_owned);
        yaml.lines().filter_map(kind).collect()
    };
    let vol8 = std::fs::read_to_string(data.join("vol8.yaml")).unwrap();
    assert_eq!(blocks(&text), blocks(&vol8), "{text}");
    assert!(blocks(&text).contains(&"stats".to_owned()));

    // Without a typeset volume there is nothing to start from.
    let alone =
        project(&[("vol9.yaml", "volume: 9\nissue: 号\ndate: 2020-01-01\npdf: vol9.pdf\n")]);
    std::fs::copy(past_pdfs().join("vol9.pdf"), alone.path().join("vol9.pdf")).unwrap();
    let new = alone.path().join("vol10.yaml");
    let run = kaiho(&[
        "new",
        new.to_str().unwrap(),
        "--from",
        alone.path().join("vol9.yaml").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no volume in") && run.stderr.contains("is typeset by kaiho yet"),
        "{}",
        run.stderr
    );
}

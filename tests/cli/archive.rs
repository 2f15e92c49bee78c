//! The archive, `kaiho new` and `kaiho search`, on the synthetic volumes in
//! tests/fixtures/archive (clearly labelled test data: VOL.7 and 8 typeset, VOL.6 and 9 past
//! issues whose PDFs Ghostscript and Chromium make, see `past`) and VOL.10.

use std::path::{Path, PathBuf};

use crate::support::*;

/// A copy of the synthetic volumes in a fresh folder (one page each: quick to build), with
/// the past issues' PDFs in `data/past/`.
pub fn volumes() -> tempfile::TempDir {
    let dir = temp();
    copy_volumes(dir.path());
    dir
}

/// The synthetic volumes into `dir/data`.
fn copy_volumes(dir: &Path) {
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("past")).unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/archive")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    for name in ["vol6.pdf", "vol9.pdf"] {
        std::fs::copy(crate::past::past_pdfs().join(name), data.join("past").join(name)).unwrap();
    }
}

/// The synthetic volumes and their archive, as `archive` first writes it, in a fresh folder:
/// a copy of one archive made once per run, for tests that go on from there.
fn archived_volumes() -> tempfile::TempDir {
    let pristine = shared("archived-volumes", |dir| {
        copy_volumes(dir);
        archive(dir, &[]).ok();
    });
    let dir = temp();
    copy_dir(&pristine, dir.path());
    dir
}

/// The synthetic volumes and VOL.10.
fn volumes_with_vol10() -> tempfile::TempDir {
    let dir = volumes();
    std::fs::copy(root().join("data/vol10.yaml"), dir.path().join("data/vol10.yaml")).unwrap();
    dir
}

/// `kaiho archive data -o archive EXTRA…` in `dir`, so that the manifest names the files by
/// relative paths and a copy of the folder is an archive of its own copy of the volumes.
pub fn archive(dir: &Path, extra: &[&str]) -> Run {
    run(kaiho_command().current_dir(dir).args(["archive", "data", "-o", "archive"]).args(extra))
}

/// The archive's manifest.
pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("archive/manifest.json")).unwrap()).unwrap()
}

#[test]
fn an_archive_holds_every_volume_a_catalogue_and_a_manifest() {
    let dir = volumes_with_vol10();
    let run = archive(dir.path(), &[]).ok();
    assert!(
        run.stdout.contains("5 volume(s) (5 built, 0 unchanged), index.pdf, manifest.json"),
        "{}",
        run.stdout
    );
    let out = dir.path().join("archive");
    for name in [
        "komoro-brand-vol007-2022-08.pdf",
        "komoro-brand-vol008-2023-01-print.pdf",
        "komoro-brand-vol010-2024-02.pdf",
        "index.pdf",
    ] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let m = manifest(dir.path());
    let volumes = m["volumes"].as_array().unwrap();
    assert_eq!(
        volumes.iter().map(|v| v["volume"].as_u64().unwrap()).collect::<Vec<_>>(),
        [6, 7, 8, 9, 10]
    );
    let vol10 = &volumes[4];
    let source = std::fs::read(dir.path().join("data/vol10.yaml")).unwrap();
    assert_eq!(vol10["source"]["sha256"], kaiho::archive::sha256(&source));
    for output in vol10["outputs"].as_array().unwrap() {
        let bytes = std::fs::read(out.join(output["file"].as_str().unwrap())).unwrap();
        assert_eq!(output["sha256"], kaiho::archive::sha256(&bytes));
        assert_eq!(output["bytes"].as_u64().unwrap() as usize, bytes.len());
        assert_eq!(output["pages"], 2);
    }
    assert_eq!(m["kaiho"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["typst"], "0.15.1");
    assert!(m["fonts"].as_array().unwrap().iter().any(|f| f["family"] == "Noto Sans CJK JP" && f["sha256"].as_str().unwrap().len() == 64));
    // The archive PDFs are PDF/A-2b, the catalogue names every volume.
    let meta =
        tool("pdfinfo", &["-meta", out.join("komoro-brand-vol007-2022-08.pdf").to_str().unwrap()]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"));
    let index = pdf_text_compact(&out.join("index.pdf"));
    for wanted in [
        "総目次",
        "VOL.6",
        "VOL.7",
        "VOL.8",
        "VOL.9",
        "VOL.10",
        "2024年2月号",
        "子育て・教育",
        "自然増への挑戦",
    ] {
        assert!(index.contains(&compact(wanted)), "{wanted} not in the catalogue");
    }
    let images = tool("pdfimages", &["-list", out.join("index.pdf").to_str().unwrap()]);
    let thumbnails =
        images.lines().skip(2).filter(|l| l.split_whitespace().nth(2) == Some("image")).count();
    assert_eq!(thumbnails, 10, "each volume's first page on the cover and at its entry: {images}");
    assert!(!images.contains("smask"), "opaque thumbnails: {images}");
    crate::past::catalogue_of_the_test_series(&out.join("index.pdf"));
}

#[test]
fn unchanged_volumes_are_not_rebuilt_and_force_rebuilds_them() {
    let dir = archived_volumes();
    let before = manifest(dir.path());
    let run = archive(dir.path(), &[]).ok();
    assert!(run.stdout.contains("(0 built, 4 unchanged)"), "{}", run.stdout);
    assert_eq!(manifest(dir.path()), before, "an unchanged archive keeps its manifest");
    let vol8 = dir.path().join("data/vol8.yaml");
    let text =
        std::fs::read_to_string(&vol8).unwrap().replace("防災訓練（テスト）", "避難訓練（テスト）");
    std::fs::write(&vol8, text).unwrap();
    let run = archive(dir.path(), &[]).ok();
    assert!(run.stdout.contains("(1 built, 3 unchanged)"), "{}", run.stdout);
    let run = archive(dir.path(), &["--force"]).ok();
    assert!(run.stdout.contains("(4 built, 0 unchanged)"), "{}", run.stdout);
}

#[test]
fn verify_names_every_difference_and_why() {
    let dir = archived_volumes();
    let run = archive(dir.path(), &["--verify"]).ok();
    assert!(run.stdout.contains("8 file(s) checked, 0 differ"), "{}", run.stdout);

    // A flipped byte in an archived past issue (VOL.9, printed by Chromium).
    let pdf: PathBuf = dir.path().join("archive/komoro-brand-vol009-2023-07.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&pdf, bytes).unwrap();
    let run = archive(dir.path(), &["--verify"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("DIFFERS komoro-brand-vol009-2023-07.pdf: the file itself was altered since it was archived"), "{}", run.stdout);
    assert!(run.stdout.contains("8 file(s) checked, 1 differ"), "{}", run.stdout);
    assert!(!run.stdout.contains("vol009-2023-07.pdf: the supplied"), "{}", run.stdout);

    // A changed source.
    let vol7 = dir.path().join("data/vol7.yaml");
    let text = std::fs::read_to_string(&vol7).unwrap().replace("公園の清掃", "河川の清掃");
    std::fs::write(&vol7, text).unwrap();
    let run = archive(dir.path(), &["--verify"]);
    assert!(
        run.stdout.contains("DIFFERS komoro-brand-vol007-2022-08.pdf: the source changed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("DIFFERS komoro-brand-vol007-2022-08-print.pdf: the source changed"),
        "{}",
        run.stdout
    );

    // Different fonts (and different bytes) recorded than those in use now.
    let manifest_path = dir.path().join("archive/manifest.json");
    let mut m = manifest(dir.path());
    m["fonts"][0]["sha256"] = serde_json::Value::from("0".repeat(64));
    m["volumes"][2]["outputs"][0]["sha256"] = serde_json::Value::from("f".repeat(64));
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let run = archive(dir.path(), &["--verify"]);
    assert!(
        run.stdout.contains("DIFFERS komoro-brand-vol008-2023-01.pdf: fonts changed: Noto"),
        "{}",
        run.stdout
    );
    // Verify writes nothing.
    assert_eq!(std::fs::read(&manifest_path).unwrap(), serde_json::to_vec_pretty(&m).unwrap());
}

#[test]
fn new_scaffolds_the_next_volume_and_check_lists_what_is_missing() {
    let dir = volumes_with_vol10();
    let data = dir.path().join("data");
    let vol11 = data.join("vol11.yaml");
    let run = kaiho(&[
        "new",
        vol11.to_str().unwrap(),
        "--from",
        data.join("vol10.yaml").to_str().unwrap(),
    ])
    .ok();
    assert!(run.stdout.contains("VOL.11"), "{}", run.stdout);
    let text = std::fs::read_to_string(&vol11).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=../schema/volume.schema.json\n"),
        "{text}"
    );
    assert!(text.contains("volume: 11\nissue: 2024年3月号\ndate: 2024-03-01"), "{text}");
    assert!(
        text.contains("- manifesto:")
            && text.contains("priorities:")
            && text.contains("- colophon: {}"),
        "{text}"
    );
    let check = kaiho(&["check", vol11.to_str().unwrap()]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains(
            "vol11.yaml:12:18: error: this text is empty\n  at pages[0].blocks[1].headline.title"
        ),
        "{}",
        check.stderr
    );
    // It never overwrites.
    let again = kaiho(&[
        "new",
        vol11.to_str().unwrap(),
        "--from",
        data.join("vol10.yaml").to_str().unwrap(),
    ]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("the file already exists"));
}

#[test]
fn search_finds_a_term_oldest_volume_first() {
    let dir = volumes_with_vol10();
    let run = kaiho(&["search", "脱炭素", dir.path().join("data").to_str().unwrap()]).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("VOL.7 (2022年8月号)  page 1  pages[0].blocks[2].text.body"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("VOL.9 (2023年7月号)  page 1  past/vol9.pdf  …"), "{}", run.stdout);
    assert!(run.stdout.contains("VOL.10 (2024年2月号)  page 1  pages[0].blocks[4].section.items[0]  脱炭素先行地域に選定"), "{}", run.stdout);
    assert!(
        lines.last().unwrap().ends_with("in 3 volume(s); first in VOL.7 (2022年8月号)"),
        "{}",
        run.stdout
    );
    // Readings count, and nothing found is exit 1.
    assert!(
        kaiho(&["search", "まち", dir.path().join("data").to_str().unwrap()])
            .ok()
            .stdout
            .contains("明るい未来")
    );
    assert_eq!(
        kaiho(&["search", "存在しない言葉", dir.path().join("data").to_str().unwrap()]).code,
        1
    );
}

#[test]
fn two_files_with_one_volume_number_are_refused() {
    let dir = volumes();
    let data = dir.path().join("data");
    std::fs::copy(data.join("vol7.yaml"), data.join("vol7-copy.yaml")).unwrap();
    let run = archive(dir.path(), &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: VOL.7 is also "), "{}", run.stderr);
    assert!(
        run.stderr.contains("hint: each volume file needs its own volume number"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_search_term_is_a_usage_mistake_not_a_crash() {
    let run = kaiho(&["search", "", "data"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: the search term is empty"), "{}", run.stderr);
}

#[test]
fn the_catalogue_follows_a_removed_volume() {
    let dir = archived_volumes();
    std::fs::remove_file(dir.path().join("data/vol8.yaml")).unwrap();
    archive(dir.path(), &[]).ok();
    let index = pdf_text_compact(&dir.path().join("archive/index.pdf"));
    assert!(index.contains("VOL.7") && !index.contains("VOL.8"), "{index}");
}

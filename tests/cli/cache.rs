//! The cache folder cannot change or break a build: damaged face copies and metadata are
//! found and replaced, concurrent cold builds agree, an unusable folder only costs speed;
//! remembered measurements build the same PDF as measuring; `kaiho cache` lists it and
//! `--clear` empties it.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::support::*;

/// A volume and a folder for its builds, each with a given cache folder.
struct Builds {
    dir: tempfile::TempDir,
    volume: PathBuf,
}

impl Builds {
    /// VOL.10 itself.
    fn vol10() -> Self {
        Self { dir: temp(), volume: root().join("data/vol10.yaml") }
    }

    /// One text block, set in Noto Sans CJK JP Regular only, with every kana and kanji of
    /// VOL.10: one face to hash and extract again, so a build is quick.
    fn sans_only() -> Self {
        let vol10 = std::fs::read_to_string(root().join("data/vol10.yaml")).unwrap();
        let mut text: Vec<char> = vol10
            .chars()
            .filter(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
            .collect();
        text.sort_unstable();
        text.dedup();
        let body: String = text.into_iter().collect();
        let dir = project(&[(
            "vol1.yaml",
            &volume_with(&format!("      - text:\n          body: {body}\n")),
        )]);
        let volume = dir.path().join("vol1.yaml");
        Self { dir, volume }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Builds into `NAME.pdf` with the cache folder `cache` (relative to the folder) and
    /// more arguments; returns the PDF and standard error.
    fn build(&self, cache: &str, name: &str, extra: &[&str]) -> (Vec<u8>, String) {
        let pdf = self.path(&format!("{name}.pdf"));
        let run = kaiho_command()
            .arg("build")
            .arg(&self.volume)
            .arg("-o")
            .arg(&pdf)
            .args(extra)
            .env("KAIHO_CACHE_DIR", self.path(cache))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(run.status.success(), "the build failed: {stderr}");
        (std::fs::read(pdf).unwrap(), stderr)
    }
}

/// Runs `kaiho cache ARGS` with `cache` as the cache folder.
fn cache_command(cache: &Path, args: &[&str]) -> Run {
    run(kaiho_command().arg("cache").args(args).env("KAIHO_CACHE_DIR", cache))
}

/// The cached copy of Noto Sans CJK JP Regular (face 0 of NotoSansCJK-Regular.ttc).
fn sans_copy(cache: &Path) -> PathBuf {
    std::fs::read_dir(cache.join("faces"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("NotoSansCJK-Regular-"))
        .expect("Noto Sans CJK JP Regular was extracted")
}

/// Where the table `tag` lies in an OpenType file: offset and length, from its directory.
fn table(font: &[u8], tag: &[u8; 4]) -> (usize, usize) {
    let be = |at: usize| u32::from_be_bytes(font[at..at + 4].try_into().unwrap()) as usize;
    let tables = u16::from_be_bytes([font[4], font[5]]) as usize;
    (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&record| &font[record..record + 4] == tag)
        .map(|record| (be(record + 8), be(record + 12)))
        .expect("the table is there")
}

#[test]
fn a_damaged_cached_face_is_never_used_and_is_written_again() {
    let builds = Builds::sans_only();
    let (clean, _) = builds.build("clean", "clean", &[]);
    let cache = builds.path("cache");
    builds.build("cache", "warm", &[]);
    let pristine = std::fs::read(sans_copy(&cache)).unwrap();
    // Each round: 30 bytes of the copy's CFF table (the glyph outlines) changed at
    // pseudo-random places (a fixed seed, so a failure can be replayed).
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..20 {
        let copy = sans_copy(&cache);
        let mut bytes = std::fs::read(&copy).unwrap();
        let (offset, length) = table(&bytes, b"CFF ");
        for _ in 0..30 {
            let at = offset + (next() % length as u64) as usize;
            bytes[at] ^= (next() % 255 + 1) as u8;
        }
        std::fs::write(&copy, &bytes).unwrap();

        let (built, stderr) = builds.build("cache", "damaged", &[]);
        assert!(built == clean, "round {round}: a damaged cache changed the PDF");
        // One warning about the cache (the volume's own warnings aside).
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("cached copy")).collect();
        assert_eq!(warnings.len(), 1, "round {round}: {stderr}");
        assert!(
            warnings[0].contains("was damaged") && warnings[0].contains("repaired"),
            "{stderr}"
        );
        // Written again, whole.
        let again = std::fs::read(sans_copy(&cache)).unwrap();
        assert!(again == pristine, "round {round}: the copy was not written again");
    }
    let (built, stderr) = builds.build("cache", "after", &[]);
    assert!(built == clean && !stderr.contains("cached copy"), "{stderr}");
}

#[test]
fn unusable_font_metadata_is_ignored_and_rewritten() {
    let builds = Builds::sans_only();
    let (first, _) = builds.build("cache", "first", &[]);
    let file = builds.path("cache").join(format!("fonts-{}.json", env!("CARGO_PKG_VERSION")));
    let good = std::fs::read(&file).unwrap();
    let format = format!(r#"{{"format":"kaiho {} font cache 2","#, env!("CARGO_PKG_VERSION"));
    assert!(good.starts_with(format.as_bytes()), "{}", String::from_utf8_lossy(&good[..80]));
    // One digit of a face's metadata changed: still JSON, still the right shape, and it
    // would make Typst see another face.
    let text = String::from_utf8(good.clone()).unwrap();
    let weight = text.find(r#""weight":400"#).expect("a regular face's weight");
    let altered = format!("{}{}{}", &text[..weight], r#""weight":700"#, &text[weight + 12..]);
    let other_version = text.replacen("font cache 2", "font cache 1", 1);
    let damages: [(&str, Vec<u8>); 5] = [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("of another version", other_version.into_bytes()),
        ("altered", altered.into_bytes()),
        ("not JSON", b"not json".to_vec()),
    ];
    let faces = |json: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(json).unwrap()["contents"]["faces"].clone()
    };
    for (what, bytes) in damages {
        std::fs::write(&file, &bytes).unwrap();
        let (built, stderr) = builds.build("cache", "again", &[]);
        assert!(built == first, "metadata {what} changed the PDF: {stderr}");
        let rewritten = std::fs::read(&file).unwrap();
        assert!(rewritten.starts_with(format.as_bytes()), "metadata {what} was not rewritten");
        assert_eq!(faces(&rewritten), faces(&good), "metadata {what} was not rewritten right");
    }
}

#[test]
fn concurrent_builds_on_a_cold_cache_make_the_same_pdf() {
    let builds = Builds::vol10();
    let runs: Vec<_> = (0..4)
        .map(|i| {
            let pdf = builds.path(&format!("vol10-{i}.pdf"));
            let child = kaiho_command()
                .args(["build", "data/vol10.yaml", "-o", pdf.to_str().unwrap()])
                .env("KAIHO_CACHE_DIR", builds.path("cache"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (child, pdf)
        })
        .collect();
    let pdfs: Vec<Vec<u8>> = runs
        .into_iter()
        .map(|(child, pdf)| {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stderr.contains("cached copy"), "{stderr}");
            std::fs::read(pdf).unwrap()
        })
        .collect();
    assert!(pdfs.iter().all(|p| *p == pdfs[0]), "concurrent builds differ");
    assert!(pdfs[0] == std::fs::read(vol10_pdf()).unwrap(), "a cold cache changes the PDF");
    // The cache they filled together is whole: a build from it makes the same PDF, quietly.
    let (warm, stderr) = builds.build("cache", "warm", &[]);
    assert!(warm == pdfs[0] && !stderr.contains("cached copy"), "{stderr}");
    let names: Vec<String> = std::fs::read_dir(builds.path("cache/faces"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn a_cache_folder_that_cannot_be_written_costs_speed_never_a_build() {
    let builds = Builds::vol10();
    // A file where the folder should be: nothing can be created in it.
    std::fs::write(builds.path("blocked"), b"").unwrap();
    for cache in ["blocked", "blocked/kaiho"] {
        let (built, stderr) = builds.build(cache, "vol10", &[]);
        assert!(built == std::fs::read(vol10_pdf()).unwrap() && !stderr.contains("cached copy"));
    }
    let listed = cache_command(&builds.path("blocked"), &[]).ok();
    assert!(listed.stdout.contains("(empty)"), "{}", listed.stdout);
}

#[test]
fn kaiho_cache_lists_the_folder_builds_tidy_it_and_clear_empties_it() {
    let builds = Builds::sans_only();
    let cache = builds.path("cache");
    let listed = cache_command(&cache, &[]).ok();
    assert_eq!(listed.stdout.trim(), format!("kaiho cache: {}  (empty)", cache.display()));

    let (first, _) = builds.build("cache", "first", &[]);
    let sans = sans_copy(&cache);
    let sans_name = sans.file_name().unwrap().to_string_lossy().into_owned();
    let listed = cache_command(&cache, &[]).ok().stdout;
    let face = listed.lines().find(|l| l.contains(&sans_name)).expect("the copy is listed");
    let collection = face.split("face 0 of ").nth(1).and_then(|r| r.split(", ").next()).unwrap();
    assert!(collection.ends_with("/NotoSansCJK-Regular.ttc"), "{face}");

    // A project's own copy of that font, then removed: its extracted face is left behind.
    let gone = builds.path("gone");
    std::fs::create_dir_all(&gone).unwrap();
    std::fs::copy(collection, gone.join("NotoSansCJK-Regular.ttc")).unwrap();
    builds.build("cache", "pinned", &["--font-path", gone.to_str().unwrap()]);
    std::fs::remove_dir_all(&gone).unwrap();
    let orphan = std::fs::read_dir(cache.join("faces"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| *p != sans)
        .expect("a face extracted from the project's font");
    // What a killed write leaves (old enough that nobody is writing it any more), a write
    // in progress, and something that is not kaiho's.
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let killed = cache.join("faces/.kaiho-Xk3vQa.tmp");
    std::fs::write(&killed, vec![0; 4096]).unwrap();
    std::fs::File::options().write(true).open(&killed).unwrap().set_modified(hour_ago).unwrap();
    // Measurements of a volume file not built for a month.
    let unused = cache.join("measures/0123456789abcdef0123456789abcdef.json");
    std::fs::write(&unused, b"{\"entries\":{}}").unwrap();
    let month_ago = SystemTime::now() - Duration::from_secs(31 * 24 * 3600);
    std::fs::File::options().write(true).open(&unused).unwrap().set_modified(month_ago).unwrap();
    let writing = cache.join(".kaiho-Yw8rTb.tmp");
    std::fs::write(&writing, b"{").unwrap();
    let other = cache.join("typst-0.15.1/bin/typst");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    std::fs::write(&other, vec![0; 2048]).unwrap();

    let listed = cache_command(&cache, &[]).ok().stdout;
    assert!(listed.starts_with(&format!("kaiho cache: {}\n", cache.display())), "{listed}");
    let line = |name: &str| {
        listed.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name}: {listed}"))
    };
    let metadata = line(&format!("fonts-{}.json", env!("CARGO_PKG_VERSION")));
    assert!(metadata.contains("font metadata of") && metadata.contains("KiB"), "{metadata}");
    let face = line(&sans_name);
    assert!(face.contains(&format!("face 0 of {collection}")) && face.contains(" MiB "), "{face}");
    let orphaned = line(&orphan.file_name().unwrap().to_string_lossy());
    assert!(orphaned.contains("a font file that is gone"), "{orphaned}");
    assert!(line(".kaiho-Xk3vQa.tmp").contains("the next build removes it"));
    assert!(line(".kaiho-Yw8rTb.tmp").contains("being written"));
    assert!(line("typst-0.15.1").contains("not kaiho's own"));
    assert!(line("0123456789abcdef").contains("not built for a month"));
    assert_eq!(listed.matches("measurements of a volume file's blocks").count(), 1, "{listed}");
    assert!(listed.lines().last().unwrap().starts_with("total "), "{listed}");

    // A build removes what a killed write left and the copy whose font file is gone, and
    // leaves the write in progress and what is not kaiho's.
    builds.build("cache", "tidied", &[]);
    assert!(!killed.exists(), "a killed write's file stays");
    assert!(!orphan.exists(), "a copy of a font file that is gone stays");
    assert!(!unused.exists(), "measurements unused for a month stay");
    assert!(writing.exists() && other.exists() && sans.exists());

    let cleared = cache_command(&cache, &["--clear"]).ok().stdout;
    // The font metadata, the face, the write in progress and the volume's measurements.
    assert!(cleared.starts_with("kaiho cache: removed 4 file(s)"), "{cleared}");
    assert!(cleared.contains("kept") && cleared.contains("typst-0.15.1"), "{cleared}");
    let left: Vec<_> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["typst-0.15.1"]);
    // Emptied, it fills again, and builds the same.
    let (after, _) = builds.build("cache", "after", &[]);
    assert!(after == first);
}

/// The `measure at …` lines of a build's trace: requests asked and remembered.
fn measured(stderr: &str) -> Vec<(usize, usize)> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.split("measure at ").nth(1)?;
            let (_, counts) = rest.split_once(": ")?;
            let mut n = counts.split(' ').filter_map(|w| w.parse::<usize>().ok());
            Some((n.next()?, n.next()?))
        })
        .collect()
}

#[test]
fn remembered_measurements_build_the_same_pdf_and_an_edit_measures_only_its_block() {
    let text = |body: &str| {
        format!(
            "      - text:\n          heading: お知らせ\n          body: {body}\n      - text:\n          heading: 編集後記\n          body: 今月もお読みいただき、ありがとうございました。次号は三月に発行します。\n"
        )
    };
    let dir =
        project(&[("vol1.yaml", &volume_with(&text("春の清掃活動を四月二十日に行います。")))]);
    let builds = Builds { volume: dir.path().join("vol1.yaml"), dir };
    let trace = [("KAIHO_TRACE", "1")];
    let build = |cache: &str, name: &str| {
        let pdf = builds.path(&format!("{name}.pdf"));
        let run = kaiho_command()
            .args(["build", builds.volume.to_str().unwrap(), "-o", pdf.to_str().unwrap()])
            .env("KAIHO_CACHE_DIR", builds.path(cache))
            .envs(trace)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(run.status.success(), "{stderr}");
        (std::fs::read(pdf).unwrap(), measured(&stderr))
    };
    let (cold, first) = build("cache", "cold");
    assert!(!first.is_empty() && first.iter().all(|(_, r)| *r == 0), "{first:?}");
    // Built again: everything is remembered, nothing is measured, and the PDF is the same.
    let (warm, second) = build("cache", "warm");
    assert!(second.iter().all(|(n, r)| n == r && *n > 0), "{second:?}");
    assert!(warm == cold, "remembered measurements changed the PDF");

    // One block edited: only its requests are measured again, and the PDF is the one a
    // build with no cache at all makes.
    std::fs::write(
        &builds.volume,
        volume_with(&text(
            "春の清掃活動を四月二十日に行います。軍手とごみ袋はこちらで用意します。",
        )),
    )
    .unwrap();
    let (edited, third) = build("cache", "edited");
    let (asked, remembered) = third[0];
    assert!(remembered > 0 && remembered < asked, "{third:?}");
    let (fresh, _) = build("fresh", "fresh");
    assert!(edited == fresh, "an edit built on remembered measurements differs from a cold build");

    // A damaged file of measurements only costs measuring.
    for file in std::fs::read_dir(builds.path("cache/measures")).unwrap() {
        std::fs::write(file.unwrap().path(), b"{\"entries\": [").unwrap();
    }
    let (damaged, fourth) = build("cache", "damaged");
    assert!(fourth.iter().all(|(_, r)| *r == 0), "{fourth:?}");
    assert!(damaged == fresh);
}

#[test]
fn builds_for_print_and_for_screen_in_turn_each_keep_their_measurements() {
    let dir = project(&[(
        "vol1.yaml",
        &volume_with(
            "      - text:\n          heading: お知らせ\n          body: 春の清掃活動を四月二十日に行います。\n",
        ),
    )]);
    let volume = dir.path().join("vol1.yaml");
    let cache = dir.path().join("cache");
    let build = |profile: &str| {
        let pdf = dir.path().join(format!("{profile}.pdf"));
        let run = kaiho_command()
            .args(["build", volume.to_str().unwrap(), "--profile", profile])
            .args(["-o", pdf.to_str().unwrap()])
            .env("KAIHO_CACHE_DIR", &cache)
            .env("KAIHO_TRACE", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(run.status.success(), "{stderr}");
        measured(&stderr)
    };
    // Each profile measures once; after that, proofing on screen and building for print in
    // turn measure nothing (one profile's build does not replace the other's).
    for profile in ["print", "screen"] {
        let first = build(profile);
        assert!(first.iter().all(|(_, r)| *r == 0), "{profile}: {first:?}");
    }
    for profile in ["print", "screen", "print"] {
        let again = build(profile);
        assert!(!again.is_empty() && again.iter().all(|(n, r)| n == r), "{profile}: {again:?}");
    }
}

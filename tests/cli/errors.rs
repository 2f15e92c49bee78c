//! Mistakes: each is reported with file:line:column, the YAML path and a hint, with the
//! documented exit code, and never leaves a broken output behind.

use crate::support::*;

/// Runs `kaiho build` on `volume` in a fresh project and returns the run and the project.
fn build_volume(volume: &str) -> (Run, tempfile::TempDir) {
    let proj = project(&[("vol1.yaml", volume)]);
    let pdf = proj.path().join("out.pdf");
    let run =
        kaiho_build(proj.path().join("vol1.yaml").to_str().unwrap(), pdf.to_str().unwrap(), &[]);
    (run, proj)
}

/// The stderr with the temporary folder's path replaced by `DIR`.
fn stderr_of(run: &Run, proj: &tempfile::TempDir) -> String {
    run.stderr.replace(proj.path().to_str().unwrap(), "DIR")
}

#[test]
fn an_unknown_key_is_located_with_did_you_mean() {
    let (run, proj) = build_volume(&volume_with("      - headline:\n          titel: 見出し\n"));
    assert_eq!(run.code, 1);
    assert_eq!(
        stderr_of(&run, &proj),
        "DIR/vol1.yaml:7:11: error: unknown field `titel`, expected one of kicker, title, subtitle\n\
         \x20 at pages[0].blocks[0].headline.titel\n\
         \x20   |\n\
         \x20 7 |           titel: 見出し\n\
         \x20   |           ^\n\
         \x20 hint: did you mean `title`? allowed here: kicker, title, subtitle\n"
    );
    assert!(!proj.path().join("out.pdf").exists());
}

#[test]
fn a_key_under_a_block_that_takes_none_says_so() {
    let (run, proj) = build_volume(&volume_with("      - masthead:\n          lead: 夏号\n"));
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(
        err.starts_with(
            "DIR/vol1.yaml:7:11: error: unknown field `lead`: nothing may be written here\n"
        ),
        "{err}"
    );
    assert!(err.contains("at pages[0].blocks[0].masthead.lead"), "{err}");
    assert!(err.contains("hint: this block takes no keys: write it as `- masthead: {}`"), "{err}");
}

#[test]
fn an_unknown_block_kind_lists_the_kinds() {
    let (run, proj) = build_volume(&volume_with("      - secton:\n          number: 1\n"));
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(err.starts_with("DIR/vol1.yaml:6:9: error: unknown variant `secton`"), "{err}");
    assert!(err.contains("hint: did you mean `section`?"), "{err}");
}

#[test]
fn validation_reports_every_problem_at_once() {
    let volume = "volume: 1\nissue: ''\ndate: 2024-02-30\npages:\n  - blocks:\n      - section:\n          number: 1\n          theme: 一\n      - section:\n          number: 1\n          theme: ' '\n";
    let (run, proj) = build_volume(volume);
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    for expected in [
        "DIR/vol1.yaml:2:8: error: this text is empty",
        "DIR/vol1.yaml:3:7: error: `2024-02-30` is not a date",
        "hint: write the date as YYYY-MM-DD, e.g. 2024-02-01",
        "DIR/vol1.yaml:10:19: error: section number 1 is used twice",
        "DIR/vol1.yaml:11:18: error: this text is empty",
        "at pages[0].blocks[1].section.theme",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
}

#[test]
fn a_volume_number_that_disagrees_with_the_file_name_is_an_error() {
    let proj = project(&[("vol7.yaml", &volume_with("      - masthead: {}\n"))]);
    let run = kaiho_build(
        proj.path().join("vol7.yaml").to_str().unwrap(),
        proj.path().join("o.pdf").to_str().unwrap(),
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(
        stderr_of(&run, &proj)
            .contains("DIR/vol7.yaml:1:9: error: the file is named for VOL.7 but says volume: 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_image_is_located() {
    let (run, proj) =
        build_volume(&volume_with("      - photo:\n          src: photos/none.jpg\n"));
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(
        err.contains("DIR/vol1.yaml:7:16: error: image `DIR/photos/none.jpg` not found"),
        "{err}"
    );
    assert!(err.contains("hint: image paths are relative to the volume file's folder"), "{err}");
}

#[test]
fn a_page_that_overflows_names_the_block_that_does_not_fit() {
    let long: String = (0..80).map(|i| format!("            - 長い項目{i}の説明がここに続きます。長い項目の説明がここに続きます。\n")).collect();
    let blocks = format!(
        "      - headline:\n          title: 見出し\n      - section:\n          number: 1\n          theme: 長すぎる\n          items:\n{long}"
    );
    let (run, proj) = build_volume(&volume_with(&blocks));
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(
        err.contains(
            "DIR/vol1.yaml:8:9: error: page 1 is too full: this block does not fit, and about "
        ),
        "{err}"
    );
    assert!(err.contains(" mm of the page runs past its foot\n  at pages[0].blocks[1]\n"), "{err}");
    assert!(
        err.contains(
            "hint: the text is already at the smallest size the layout allows (8 pt body)"
        ),
        "{err}"
    );
}

#[test]
fn a_fuller_volume_is_set_in_smaller_type_on_every_page() {
    // VOL.10 with more items in section 03: the body size of the whole volume steps down
    // until page 1 fits again, and both pages keep one size.
    let vol10 = std::fs::read_to_string(root().join("data/vol10.yaml")).unwrap();
    let extra =
        "            - 追加の項目がここに入ります。追加の項目がここに入ります。\n".repeat(6);
    let anchor = "            - 手話言語条例、犯罪被害者等支援条例制定予定（3月議会上程）\n";
    let longer = vol10.replace(anchor, &format!("{anchor}{extra}"));
    let body = |yaml: &str| {
        let proj = project(&[("vol10.yaml", yaml)]);
        crate::typography::typeset_fresh(&proj.path().join("vol10.yaml")).1.composition.body
    };
    let (usual, fuller) = (body(&vol10), body(&longer));
    assert!(fuller < usual, "{fuller} pt is not smaller than {usual} pt");
    assert!(fuller >= 8.0, "body text never below 8 pt: {fuller}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let proj = project(&[("vol1.yaml", &volume_with("      - masthead: {}\n"))]);
    let volume = proj.path().join("vol1.yaml");
    let pdf = proj.path().join("out.pdf");
    kaiho(&["build", volume.to_str().unwrap(), "-o", pdf.to_str().unwrap()]).ok();
    let good = std::fs::read(&pdf).unwrap();
    std::fs::write(&volume, volume_with("      - masthead: {}\n      - headline: {}\n")).unwrap();
    let run = kaiho(&["build", volume.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read(&pdf).unwrap(), good);
    let leftovers: Vec<_> = std::fs::read_dir(proj.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn layout_errors_point_into_the_typst_file() {
    let dir = temp();
    std::fs::create_dir_all(dir.path().join("leaflet")).unwrap();
    std::fs::write(
        dir.path().join("leaflet/layout.typ"),
        "#let render(data) = {\n  data.volume.nonexistent\n}\n",
    )
    .unwrap();
    let run = kaiho(&[
        "build",
        "data/vol10.yaml",
        "--layout-dir",
        dir.path().to_str().unwrap(),
        "-o",
        dir.path().join("o.pdf").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    let err = run.stderr.replace(dir.path().to_str().unwrap(), "DIR");
    assert!(
        err.starts_with(
            "DIR/leaflet/layout.typ:2:15: error: dictionary does not contain key \"nonexistent\""
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_layout_names_the_built_in_ones() {
    let dir = temp();
    let series = std::fs::read_to_string(root().join("data/series.yaml"))
        .unwrap()
        .replace("layout: leaflet", "layout: brochure");
    std::fs::write(dir.path().join("series.yaml"), series).unwrap();
    std::fs::write(dir.path().join("vol1.yaml"), volume_with("      - masthead: {}\n")).unwrap();
    let run = kaiho(&["build", dir.path().join("vol1.yaml").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: layout `brochure` not found; built-in layouts: leaflet"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_fonts_say_how_to_install_them() {
    let dir = temp();
    let run = kaiho_command()
        .args([
            "build",
            "data/vol10.yaml",
            "--no-system-fonts",
            "-o",
            dir.path().join("o.pdf").to_str().unwrap(),
        ])
        .env("KAIHO_FONT_PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("font family `Noto Sans CJK JP` was not found"), "{err}");
    assert!(err.contains("apt-get install fonts-noto-cjk"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(kaiho(&[]).code, 2);
    assert_eq!(kaiho(&["build"]).code, 2);
    assert_eq!(kaiho(&["build", "data/vol10.yaml", "--format", "tiff"]).code, 2);
    assert_eq!(kaiho(&["build", "data/vol10.yaml", "--ppi", "0"]).code, 2);
}

#[test]
fn a_missing_volume_file_says_so() {
    let run = kaiho(&["build", "data/vol99.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("data/vol99.yaml: error: cannot read the file"), "{}", run.stderr);
    assert!(run.stderr.contains("hint: check the file name"), "{}", run.stderr);
}

#[test]
fn a_wrong_type_is_located_with_a_hint() {
    let (run, proj) = build_volume(&volume_with(
        "      - section:\n          number: 一\n          theme: テーマ\n",
    ));
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(
        err.starts_with(
            "DIR/vol1.yaml:7:19: error: expected a number written in digits, found `一`\n"
        ),
        "{err}"
    );
    assert!(err.contains("hint: write the number with the digits 0–9"), "{err}");
    assert!(err.contains("  at pages[0].blocks[0].section.number\n"), "{err}");
}

#[test]
fn a_missing_required_field_is_named() {
    let (run, proj) = build_volume(&volume_with("      - section:\n          number: 1\n"));
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(
        err.contains("error: missing field `theme`\n  at pages[0].blocks[0].section\n"),
        "{err}"
    );
    assert!(err.contains("hint: add the key shown in quotes"), "{err}");
}

#[test]
fn colour_is_off_when_not_on_a_terminal() {
    let (run, _proj) = build_volume(&volume_with("      - headline:\n          titel: x\n"));
    assert!(!run.stderr.contains('\x1b'), "{}", run.stderr);
}

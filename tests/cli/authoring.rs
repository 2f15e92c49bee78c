//! Authoring safety: `kaiho check`, characters the fonts lack, pasted control characters,
//! and broken files of every kind, each rejected quickly with a clear message.

use std::time::{Duration, Instant};

use crate::support::*;

/// Runs `kaiho check` on one file of a fresh project; returns the run and the project.
fn check_file(name: &str, bytes: &[u8]) -> (Run, tempfile::TempDir) {
    let proj = project(&[]);
    std::fs::write(proj.path().join(name), bytes).unwrap();
    let run = kaiho(&["check", proj.path().join(name).to_str().unwrap()]);
    (run, proj)
}

fn stderr_of(run: &Run, proj: &tempfile::TempDir) -> String {
    run.stderr.replace(proj.path().to_str().unwrap(), "DIR")
}

#[test]
fn check_passes_the_real_volumes_and_writes_nothing() {
    let before: Vec<_> =
        std::fs::read_dir(root().join("data")).unwrap().map(|e| e.unwrap().path()).collect();
    let run =
        kaiho(&["check", "data/vol10.yaml", "data/series.yaml", "examples/sample/vol3.yaml"]).ok();
    // Both are ok; a page that comes out sparse may say so, as a warning.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0], "data/vol10.yaml: ok, 2 pages");
    assert!(lines[1].starts_with("examples/sample/vol3.yaml: ok, 2 pages"), "{}", run.stdout);
    assert!(run.stderr.lines().all(|l| !l.contains("error")), "{}", run.stderr);
    let after: Vec<_> =
        std::fs::read_dir(root().join("data")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(before, after);
}

#[test]
fn check_reports_every_file_and_fails_if_any_has_errors() {
    let proj = project(&[
        ("vol1.yaml", &volume_with("      - masthead: {}\n")),
        (
            "vol2.yaml",
            &volume_with("      - masthead: {}\n")
                .replace("volume: 1", "volume: 2")
                .replace("date: 2024-01-01", "date: 2024-01-32"),
        ),
    ]);
    let run = kaiho(&[
        "check",
        proj.path().join("vol2.yaml").to_str().unwrap(),
        proj.path().join("vol1.yaml").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    let out = run.stdout.replace(proj.path().to_str().unwrap(), "DIR");
    // vol1 holds only a name plate: a page that says how empty it is.
    assert_eq!(
        out,
        "DIR/vol2.yaml: 1 error(s), 0 warning(s)\nDIR/vol1.yaml: ok, 1 pages, 1 warning(s)\n"
    );
    assert!(
        stderr_of(&run, &proj).contains("DIR/vol2.yaml:3:7: error: `2024-01-32` is not a date")
    );
}

#[test]
fn warnings_fail_only_with_strict() {
    let volume = volume_with("      - headline:\n          title: '{未来'\n");
    let proj = project(&[("vol1.yaml", &volume)]);
    let file = proj.path().join("vol1.yaml");
    let run = kaiho(&["check", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let err = stderr_of(&run, &proj);
    assert!(err.contains("DIR/vol1.yaml:7:18: warning: `{` opens markup that is never closed; it is printed as typed"), "{err}");
    assert!(err.contains("hint: ruby is written {base|reading}, e.g. {未来|まち}"), "{err}");
    assert_eq!(kaiho(&["check", "--strict", file.to_str().unwrap()]).code, 1);
}

#[test]
fn a_character_the_fonts_lack_is_named_with_its_code_point_and_location() {
    let (run, proj) = check_file(
        "vol1.yaml",
        volume_with("      - headline:\n          title: 晴れ😀の日\n").as_bytes(),
    );
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(
        err.starts_with("DIR/vol1.yaml:7:18: error: the fonts cannot draw `😀` (U+1F600); it would print as an empty box\n  at pages[0].blocks[0].headline.title\n"),
        "{err}"
    );
    assert!(err.contains("hint: emoji are not in Noto CJK"), "{err}");
}

#[test]
fn pasted_control_characters_are_errors() {
    let (run, proj) = check_file(
        "vol1.yaml",
        volume_with("      - headline:\n          title: \"見出し\\u200Bです\"\n").as_bytes(),
    );
    assert_eq!(run.code, 1);
    let err = stderr_of(&run, &proj);
    assert!(
        err.contains(
            "DIR/vol1.yaml:7:18: error: the text contains the invisible control character U+200B"
        ),
        "{err}"
    );
}

/// Broken files: each is rejected with exit 1, a clear first line, and quickly (the limit
/// here only catches hangs; the real numbers are in the closing notes and benchmarks).
#[test]
fn broken_files_are_rejected_quickly_with_a_clear_message() {
    let alias_bomb = {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        s.replace("a0: &a0", "volume: &a0").into_bytes()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", b"".to_vec(), "DIR/vol1.yaml: error: the file is empty"),
        ("blank", b"  \n\n".to_vec(), "DIR/vol1.yaml: error: the file is empty"),
        (
            "not UTF-8",
            b"volume: 1\nissue: \xff\xfe\n".to_vec(),
            "DIR/vol1.yaml:2:8: error: the file is not UTF-8 text",
        ),
        (
            "too large",
            vec![b'#'; 2 * 1024 * 1024],
            "DIR/vol1.yaml: error: file is 2097152 bytes, more than the limit of 1048576",
        ),
        ("a list", b"- volume: 1\n".to_vec(), "DIR/vol1.yaml:1:1: error: expected mapping start"),
        ("a scalar", b"hello\n".to_vec(), "DIR/vol1.yaml:1:1: error:"),
        (
            "deep nesting",
            format!("volume: 1\npages: {}{}\n", "[".repeat(10_000), "]".repeat(10_000))
                .into_bytes(),
            "DIR/vol1.yaml:",
        ),
        ("alias bomb", alias_bomb, "DIR/vol1.yaml:"),
        ("two documents", b"volume: 1\n---\nvolume: 2\n".to_vec(), "DIR/vol1.yaml:"),
        ("tabs", b"volume: 1\n\tissue: x\n".to_vec(), "DIR/vol1.yaml:"),
    ];
    for (what, bytes, expected) in cases {
        let start = Instant::now();
        let (run, proj) = check_file("vol1.yaml", &bytes);
        let took = start.elapsed();
        let err = stderr_of(&run, &proj);
        assert_eq!(run.code, 1, "{what}: {err}");
        assert!(err.starts_with(expected), "{what}: expected `{expected}`, got:\n{err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(took < Duration::from_secs(10), "{what} took {took:?}");
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(volume_with("      - masthead: {}\n").into_bytes());
    let (run, _proj) = check_file("vol1.yaml", &bytes);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn building_never_modifies_the_input_files() {
    let files = ["data/vol10.yaml", "data/series.yaml"];
    let before: Vec<Vec<u8>> =
        files.iter().map(|f| std::fs::read(root().join(f)).unwrap()).collect();
    let dir = temp();
    kaiho(&["build", "data/vol10.yaml", "-o", dir.path().join("v.pdf").to_str().unwrap()]).ok();
    let after: Vec<Vec<u8>> =
        files.iter().map(|f| std::fs::read(root().join(f)).unwrap()).collect();
    assert!(before == after);
}

#[test]
fn the_committed_schemas_are_generated_from_the_types() {
    for kind in ["series", "volume"] {
        let generated = kaiho(&["schema", kind]).ok().stdout;
        let committed =
            std::fs::read_to_string(root().join(format!("schema/{kind}.schema.json"))).unwrap();
        assert!(
            generated == committed,
            "schema/{kind}.schema.json is stale: run `kaiho schema {kind} > schema/{kind}.schema.json`"
        );
        let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
        assert_eq!(
            schema["additionalProperties"], false,
            "unknown keys must be errors in editors too"
        );
    }
}

#[test]
fn every_yaml_file_names_its_schema() {
    for (file, schema) in [
        ("data/series.yaml", "../schema/series.schema.json"),
        ("data/vol10.yaml", "../schema/volume.schema.json"),
        ("examples/sample/series.yaml", "../../schema/series.schema.json"),
        ("examples/sample/vol3.yaml", "../../schema/volume.schema.json"),
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let first = text.lines().next().unwrap();
        assert_eq!(first, format!("# yaml-language-server: $schema={schema}"), "{file}");
        assert!(
            root().join(file).parent().unwrap().join(schema).is_file(),
            "{file}: {schema} does not exist"
        );
    }
}

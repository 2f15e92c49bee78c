//! `kaiho build`: VOL.10 and the sample volume, checked on the real PDF and PNG output.

use crate::support::*;

/// Page boxes as pdfinfo reports them: (name, [x0, y0, x1, y1]) for every page.
fn boxes(pdf: &std::path::Path) -> Vec<(usize, String, [f64; 4])> {
    let out = tool("pdfinfo", &["-box", "-f", "1", "-l", "99", pdf.to_str().unwrap()]);
    out.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("Page")?;
            let (page, rest) = rest.trim_start().split_once(' ')?;
            let (name, numbers) = rest.trim_start().split_once(':')?;
            let values: Vec<f64> =
                numbers.split_whitespace().filter_map(|n| n.parse().ok()).collect();
            let values: [f64; 4] = values.try_into().ok()?;
            Some((page.parse().ok()?, name.to_owned(), values))
        })
        .collect()
}

#[test]
fn vol10_is_two_a4_pages_with_3mm_bleed_and_a_trim_box() {
    let pdf = vol10_pdf();
    let boxes = boxes(pdf);
    let bleed = 3.0 / 25.4 * 72.0;
    for page in 1..=2 {
        let get = |name: &str| {
            boxes
                .iter()
                .find(|(p, n, _)| *p == page && n == name)
                .map(|b| b.2)
                .unwrap_or_else(|| panic!("page {page} has no {name}"))
        };
        let [tx0, ty0, tx1, ty1] = get("TrimBox");
        let [mx0, my0, mx1, my1] = get("MediaBox");
        assert!((tx1 - tx0 - 595.28).abs() < 0.02, "trim width {}", tx1 - tx0);
        assert!((ty1 - ty0 - 841.89).abs() < 0.02, "trim height {}", ty1 - ty0);
        for (trim, media) in [(tx0, mx0), (ty0, my0)] {
            assert!((trim - media - bleed).abs() < 0.02, "bleed at the start: {}", trim - media);
        }
        for (trim, media) in [(tx1, mx1), (ty1, my1)] {
            assert!((media - trim - bleed).abs() < 0.02, "bleed at the end: {}", media - trim);
        }
    }
    assert!(!boxes.iter().any(|(p, _, _)| *p == 3), "VOL.10 has exactly two pages");
}

/// Seed lines that differ from the printed text on purpose: the extraction errors fixed in
/// data/vol10.yaml (listed in its header comment) and ruby, whose reading is set above.
const CORRECTIONS: &[(&str, &str)] = &[
    ("【領物給付方式】", "【現物給付方式】"),
    ("大切にすまち", "大切にするまち"),
    ("明るい未来（まち）", "明るい未来"),
];

#[test]
fn every_seed_line_is_in_the_pdf_text() {
    let seed = std::fs::read_to_string(root().join("tests/fixtures/vol10-seed.txt")).unwrap();
    // pdftotext's reading order splits a line whose parts differ greatly in size (25位 and
    // 812市区中 on one baseline) across neighbouring blocks; its -layout mode keeps such a
    // line whole but interleaves columns. A line is in the PDF if either mode finds it.
    let text = pdf_text_compact(vol10_pdf());
    let physical = compact(&tool("pdftotext", &["-layout", vol10_pdf().to_str().unwrap(), "-"]));
    // Columns on one baseline grid read as one line in both modes; the content order (-raw)
    // is the reading order, column by column.
    let raw = compact(&tool("pdftotext", &["-raw", vol10_pdf().to_str().unwrap(), "-"]));
    let mut checked = 0;
    let mut missing = Vec::new();
    for line in seed.lines() {
        // List marks (- and ・) are drawn by the layout, not typed.
        let mut line = line.trim().trim_start_matches("- ").trim_start_matches('・').to_owned();
        for (from, to) in CORRECTIONS {
            line = line.replace(from, to);
        }
        let wanted = compact(&line);
        if wanted.is_empty() {
            continue;
        }
        checked += 1;
        if !text.contains(&wanted) && !physical.contains(&wanted) && !raw.contains(&wanted) {
            missing.push(line);
        }
    }
    assert_eq!(checked, 150, "every non-empty seed line is checked");
    assert!(missing.is_empty(), "seed lines missing from the PDF:\n{}", missing.join("\n"));
}

#[test]
fn ruby_reading_is_in_the_pdf_too() {
    let text = tool("pdftotext", &[vol10_pdf().to_str().unwrap(), "-"]);
    // The reading まち is real text set above 未来, not a parenthesis after it.
    assert!(!compact(&text).contains("未来(まち)"));
    assert!(text.lines().any(|l| l.trim() == "まち"), "the ruby まち is its own line of text");
}

#[test]
fn fonts_are_embedded_noto_cjk_jp_subsets_never_type3() {
    let out = tool("pdffonts", &[vol10_pdf().to_str().unwrap()]);
    let fonts: Vec<&str> = out.lines().skip(2).collect();
    assert!(fonts.len() >= 2, "{out}");
    for font in &fonts {
        let cols: Vec<&str> = font.split_whitespace().collect();
        let name = cols[0];
        assert!(
            name.contains("NotoSansCJKjp") || name.contains("NotoSerifCJKjp"),
            "not Noto CJK JP: {font}"
        );
        assert!(name.chars().nth(6) == Some('+'), "not a subset: {font}");
        assert!(font.contains("CID Type 0C"), "not a CID font: {font}");
        assert!(!font.contains("Type 3"), "Type 3 font: {font}");
        // emb sub uni
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(flags, ["yes", "yes", "yes"], "{font}");
    }
    assert!(out.contains("NotoSansCJKjp-Bold") && out.contains("NotoSansCJKjp-Regular"), "{out}");
}

#[test]
fn colours_are_device_cmyk_and_text_is_k100() {
    let dir = temp();
    let qdf = dir.path().join("qdf.pdf");
    tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            vol10_pdf().to_str().unwrap(),
            qdf.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&qdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for forbidden in ["/DeviceRGB", "/ICCBased", "/CalRGB"] {
        assert!(!text.contains(forbidden), "{forbidden} in a print PDF");
    }
    let ops: Vec<&str> = text.lines().map(str::trim_end).collect();
    for op in [" rg", " RG", " scn", " SCN", " g", " G"] {
        let hit = ops.iter().find(|l| {
            l.ends_with(op)
                && l.split_whitespace().nth_back(1).is_some_and(|n| n.parse::<f64>().is_ok())
        });
        assert!(hit.is_none(), "non-CMYK colour operator `{op}`: {hit:?}");
    }
    assert!(text.contains("0 0 0 1 k"), "no K100 fill");
}

#[test]
fn metadata_names_title_author_and_language() {
    let info = tool("pdfinfo", &[vol10_pdf().to_str().unwrap()]);
    assert!(info.contains("小諸ぶらんど通信 VOL.10 2024年2月号"), "{info}");
    assert!(info.contains("小泉としひろ後援会事務局"), "{info}");
    assert!(info.contains("CreationDate:    Thu Feb  1 00:00:00 2024 UTC"), "{info}");
    let dir = temp();
    let qdf = dir.path().join("qdf.pdf");
    tool("qpdf", &["--qdf", vol10_pdf().to_str().unwrap(), qdf.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&std::fs::read(qdf).unwrap()).contains("/Lang (ja-JP)"));
}

#[test]
fn builds_are_byte_identical() {
    let dir = temp();
    let again = dir.path().join("again.pdf");
    kaiho(&["build", "data/vol10.yaml", "-o", again.to_str().unwrap()]).ok();
    assert!(
        std::fs::read(vol10_pdf()).unwrap() == std::fs::read(&again).unwrap(),
        "two builds differ"
    );
}

#[test]
fn source_date_epoch_sets_the_creation_date() {
    let dir = temp();
    let pdf = dir.path().join("v.pdf");
    let run = kaiho_command()
        .args(["build", "data/vol10.yaml", "-o", pdf.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .status()
        .unwrap();
    assert!(run.success());
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("CreationDate:    Tue Nov 14 22:13:20 2023 UTC"), "{info}");
}

#[test]
fn the_build_line_names_path_pages_size_and_time() {
    let dir = temp();
    let pdf = dir.path().join("v.pdf");
    let run = kaiho(&["build", "data/vol10.yaml", "-o", pdf.to_str().unwrap()]).ok();
    let line = run.stdout.trim();
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(line.starts_with(pdf.to_str().unwrap()), "{line}");
    assert!(line.contains("  2 pages  "), "{line}");
    assert!(line.ends_with(" s") && line.contains(" KiB "), "{line}");
}

#[test]
fn default_output_is_out_slash_volume_name() {
    let dir =
        project(&[("vol1.yaml", &volume_with("      - headline:\n          title: 見出し\n"))]);
    let run =
        kaiho_command().current_dir(dir.path()).args(["build", "vol1.yaml"]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(dir.path().join("out/vol1.pdf").is_file());
}

#[test]
fn png_proofs_are_whole_pages_with_ink_on_them() {
    let dir = temp();
    let pattern = dir.path().join("proof.png");
    kaiho_build("data/vol10.yaml", pattern.to_str().unwrap(), &["--format", "png", "--ppi", "72"])
        .ok();
    for page in 1..=2 {
        let path = dir.path().join(format!("proof-{page}.png"));
        let png = png_pixels(&path);
        // A4 at 72 ppi is 595 × 842 pixels (trimmed: the bleed is not part of a proof).
        assert_eq!((png.width, png.height), (595, 842), "page {page}");
        let pixels: Vec<&[u8]> = png.data.chunks(png.channels).collect();
        let inked = pixels.iter().filter(|p| p[..3].iter().any(|&v| v < 200)).count();
        let share = inked as f64 / pixels.len() as f64;
        assert!((0.05..0.9).contains(&share), "page {page}: {share:.3} of the pixels inked");
        let distinct: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
        assert!(distinct.len() > 50, "page {page}: only {} colours", distinct.len());
    }
    assert!(!dir.path().join("proof-3.png").exists());
}

#[test]
fn the_sample_volume_of_another_shape_builds() {
    let dir = temp();
    let pdf = dir.path().join("sample.pdf");
    kaiho(&["build", "examples/sample/vol3.yaml", "-o", pdf.to_str().unwrap()]).ok();
    let text = pdf_text_compact(&pdf);
    for wanted in [
        "みどり町かわら版",
        "VOL.3",
        "会長あいさつ",
        "春の清掃活動",
        "4月20日(日)9:00〜11:00",
        "町内から望む山なみ",
        "ごみ出しは朝8時までに",
    ] {
        assert!(text.contains(&compact(wanted)), "{wanted} missing");
    }
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    assert_eq!(images.lines().skip(2).count(), 1, "{images}");
}

#[test]
fn a_layout_folder_overrides_the_built_in_layout() {
    let dir = temp();
    let layout = dir.path().join("leaflet");
    std::fs::create_dir_all(&layout).unwrap();
    std::fs::write(
        layout.join("layout.typ"),
        "#let render(data) = [#set text(font: data.series.fonts.sans)\nOverride #data.volume.issue]\n",
    )
    .unwrap();
    let proj = project(&[("vol1.yaml", &volume_with("      - masthead: {}\n"))]);
    let pdf = proj.path().join("o.pdf");
    kaiho(&[
        "build",
        proj.path().join("vol1.yaml").to_str().unwrap(),
        "--profile",
        "screen",
        "--layout-dir",
        dir.path().to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ])
    .ok();
    assert!(pdf_text_compact(&pdf).contains("Overrideテスト号"));
}

#[test]
fn text_from_yaml_is_printed_literally_never_run() {
    let nasty = [
        "#panic()",
        "#read(\"/etc/passwd\")",
        "$x^2$",
        "*strong?*",
        "_em_",
        "@label",
        "<label>",
        "[bracket]",
        "back\\slash",
        "= heading",
        "- item",
        "`raw`",
        "// comment",
        "{not|ruby",
    ];
    let items: String =
        nasty.iter().map(|s| format!("            - '{}'\n", s.replace('\'', "''"))).collect();
    let blocks = format!(
        "      - section:\n          number: 1\n          theme: テスト\n          items:\n{items}"
    );
    let proj = project(&[("vol1.yaml", &volume_with(&blocks))]);
    let pdf = proj.path().join("o.pdf");
    kaiho(&["build", proj.path().join("vol1.yaml").to_str().unwrap(), "-o", pdf.to_str().unwrap()])
        .ok();
    let text = pdf_text_compact(&pdf);
    for s in nasty {
        assert!(text.contains(&compact(s)), "`{s}` not printed literally; text: {text}");
    }
}

#[test]
fn eject_writes_the_project_kaiho_compiles() {
    let dir = temp();
    let out = dir.path().join("vol10");
    let run = kaiho(&["eject", "data/vol10.yaml", "-o", out.to_str().unwrap()]).ok();
    assert!(
        run.stdout.contains("typst compile --ignore-system-fonts --font-path "),
        "{}",
        run.stdout
    );
    let main = std::fs::read_to_string(out.join("main.typ")).unwrap();
    assert_eq!(main, kaiho::world::MAIN);
    for file in ["layout/layout.typ", "layout/blocks.typ", "layout/theme.typ", "layout/text.typ"] {
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            std::fs::read(root().join("layouts/leaflet").join(&file[7..])).unwrap()
        );
    }
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("volume.json")).unwrap()).unwrap();
    assert_eq!(data["volume"]["number"], 10);
    assert_eq!(data["profile"]["name"], "print");
    // With the official CLI installed (scripts/bench installs it), the project compiles to
    // the same text.
    let typst = std::env::var("KAIHO_TYPST").unwrap_or_else(|_| "typst".into());
    if std::process::Command::new(&typst)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let command = run.stdout.lines().find(|l| l.starts_with("typst compile")).unwrap();
        let args: Vec<&str> = command.split_whitespace().skip(2).collect();
        let pdf = dir.path().join("typst.pdf");
        let status = std::process::Command::new(&typst)
            .arg("compile")
            .args(&args)
            .arg(&pdf)
            .status()
            .unwrap();
        assert!(status.success());
        let ours = dir.path().join("kaiho.pdf");
        kaiho(&["build", "data/vol10.yaml", "-o", ours.to_str().unwrap()]).ok();
        assert_eq!(pdf_text_compact(&pdf), pdf_text_compact(&ours));
    }
}

#[test]
fn the_font_cache_changes_nothing_but_speed() {
    let dir = temp();
    let cache = dir.path().join("cache");
    // The PDF, and the files the build hashed (from KAIHO_TRACE).
    let traced = |name: &str| {
        let pdf = dir.path().join(name);
        let run = kaiho_command()
            .args(["build", "data/vol10.yaml", "-o", pdf.to_str().unwrap()])
            .env("KAIHO_CACHE_DIR", &cache)
            .env("KAIHO_TRACE", "1")
            .output()
            .unwrap();
        let trace = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(run.status.success(), "{trace}");
        let hashed: Vec<String> = trace
            .lines()
            .filter_map(|l| l.split_once(" hashed ").map(|(_, file)| file.to_owned()))
            .collect();
        (std::fs::read(pdf).unwrap(), hashed)
    };
    let build = |name: &str| traced(name).0;
    let (first, hashed) = traced("first.pdf");
    assert!(hashed.len() == 3 && hashed.iter().all(|f| f.contains(".ttc")), "{hashed:?}");
    let file = cache.join(format!("fonts-{}.json", env!("CARGO_PKG_VERSION")));
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let recorded = &recorded["contents"];
    assert!(recorded["faces"].to_string().contains("Noto Sans CJK JP"));
    // The faces VOL.10 used, in the order Typst wanted them: the next run loads them ahead.
    let used = recorded["used"].as_object().expect("usage records");
    assert_eq!(used.len(), 1, "{used:?}");
    let (key, used) = used.iter().next().unwrap();
    assert!(key.starts_with("Noto Sans CJK JP + Noto Serif CJK JP in "), "{key}");
    let files: Vec<&str> = used
        .as_array()
        .expect("a usage record")
        .iter()
        .map(|face| face["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    for name in ["NotoSansCJK-Regular", "NotoSansCJK-Bold", "NotoSerifCJK-Bold"] {
        assert!(files.iter().any(|f| f.starts_with(name)), "{name} missing from {files:?}");
    }
    // The three faces were extracted from their collections; the next build reads those.
    let extracted = std::fs::read_dir(cache.join("faces")).unwrap().count();
    assert_eq!(extracted, 3);
    let (cached, hashed) = traced("cached.pdf");
    let faces = cache.join("faces").display().to_string();
    assert!(hashed.len() == 3 && hashed.iter().all(|f| f.contains(&faces)), "{hashed:?}");
    assert!(cached == first, "a build from the cache differs");
    std::fs::write(&file, "not json").unwrap();
    assert!(build("broken-cache.pdf") == first, "a broken cache changes the output");
    assert!(std::fs::read(vol10_pdf()).unwrap() == first, "the cache changes the output");
}

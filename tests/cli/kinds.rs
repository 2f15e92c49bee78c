//! The block kinds beyond VOL.10's (table, qr, profile, qa, gallery, form, names), checked
//! on real output with independent tools: their text in the PDF (pdftotext), the QR codes
//! read back by zbarimg, QR modules on the black plate alone (Ghostscript), table headers
//! tagged in the archive PDF (qpdf), photos at 300 ppi (pdfimages), writing lines of the
//! form measured on a proof, and their mistakes located like every other block's.

use std::path::PathBuf;
use std::sync::OnceLock;

use kaiho::{inspect, jlreq};

use crate::support::*;
use crate::typography::typeset;

const EXAMPLE: &str = "examples/kinds/vol1.yaml";

/// The example built once per run in each profile: `(standard error, pdf)`.
fn built(profile: &'static str) -> &'static (String, PathBuf) {
    static PRINT: OnceLock<(String, PathBuf)> = OnceLock::new();
    static SCREEN: OnceLock<(String, PathBuf)> = OnceLock::new();
    static ARCHIVE: OnceLock<(String, PathBuf)> = OnceLock::new();
    let cell = match profile {
        "print" => &PRINT,
        "screen" => &SCREEN,
        _ => &ARCHIVE,
    };
    cell.get_or_init(|| {
        let dir = shared(&format!("kinds-{profile}"), |dir| {
            let pdf = dir.join(format!("{profile}.pdf"));
            let run = kaiho_build(EXAMPLE, pdf.to_str().unwrap(), &["--profile", profile]).ok();
            std::fs::write(dir.join("stderr.txt"), run.stderr).unwrap();
        });
        let stderr = std::fs::read_to_string(dir.join("stderr.txt")).unwrap();
        (stderr, dir.join(format!("{profile}.pdf")))
    })
}

#[test]
fn the_example_builds_clean_in_every_profile_with_every_kind_in_it() {
    for profile in ["print", "screen", "archive"] {
        let (stderr, _) = built(profile);
        assert!(!stderr.contains("warning") && !stderr.contains("error"), "{profile}: {stderr}");
    }
    // In pdftotext's reading order, or in the order Typst drew it (`-raw`): the reading
    // order joins the lines of side-by-side columns that happen to share a baseline (the
    // profile's career beside the Q&A), the drawing order puts a ruby after its base.
    let print = &built("print").1;
    let text = pdf_text_compact(print);
    let drawn = compact(&tool("pdftotext", &["-raw", print.to_str().unwrap(), "-"]));
    for expected in [
        // table: caption, header, cells (ruby base in order), total, note
        "令和7年度後援会の行事予定",
        "月日行事会場",
        "地区懇談会(北部)",
        "△412,300",
        "次年度繰越金707,630",
        "△は支出。",
        // qr
        "入会のお申し込みはこちら",
        "https://example.jp/aoba/join",
        // profile
        "あおば市議会議員(サンプル)",
        "山川はるか",
        "県立大学看護学部を卒業",
        // qa
        "質問山川議員",
        "答弁企画部長",
        // gallery
        "北部地区の懇談会(サンプル画像)",
        // names
        "発起人",
        "小野寺美穂",
        // form
        "切り取り線",
        "後援会入会申込書",
        "ふりがな",
        "送付先",
    ] {
        let found = text.contains(&compact(expected)) || drawn.contains(&compact(expected));
        assert!(found, "`{expected}` is not in the print PDF:\n{text}");
    }
    // On screen the coupon is a link to fill it in online; there is nothing to cut.
    let screen = pdf_text_compact(&built("screen").1);
    assert!(screen.contains("お申し込みは、こちらから:https://example.jp/aoba/join"), "{screen}");
    assert!(!screen.contains("切り取り線"), "{screen}");
    // Every photo of the profile and the gallery prints at 300 ppi or more.
    let images = pdf_images(&built("print").1);
    assert_eq!(images.len(), 5, "{images:?}");
    for cols in images {
        let (x, y): (f64, f64) = (cols[12].parse().unwrap(), cols[13].parse().unwrap());
        assert!(x >= 299.5 && y >= 299.5, "an image under 300 ppi: {cols:?}");
        assert_eq!(cols[5], "cmyk", "{cols:?}");
    }
}

/// The images of `pdf` as `pdfimages -list` lists them: its columns, one row an image
/// (5: colour space, 12 and 13: x and y resolution as printed, ppi).
fn pdf_images(pdf: &std::path::Path) -> Vec<Vec<String>> {
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    list.lines().skip(2).map(|r| r.split_whitespace().map(str::to_owned).collect()).collect()
}

#[test]
fn qr_codes_read_back_from_a_300_ppi_proof() {
    let dir = temp();
    let pattern = dir.path().join("p-{p}.png");
    kaiho(&["build", EXAMPLE, "--format", "png", "--ppi", "300", "-o", pattern.to_str().unwrap()])
        .ok();
    let page = |n: u32| dir.path().join(format!("p-{n}.png")).to_str().unwrap().to_owned();
    let read = tool("zbarimg", &["-q", "--raw", &page(1), &page(3)]);
    eprintln!("zbarimg: {read}");
    let codes: Vec<&str> = read.lines().collect();
    assert_eq!(codes, ["https://example.jp/aoba/join", "https://line.me/R/ti/p/@example"]);
}

#[test]
fn a_qr_code_is_drawn_on_the_black_plate_alone_and_is_a_link_on_screen() {
    let blocks =
        "      - qr:\n          url: https://example.jp/join\n          caption: 詳しくはこちら\n";
    let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
    let volume = proj.path().join("vol1.yaml");
    let pdf = proj.path().join("qr.pdf");
    kaiho_build(volume.to_str().unwrap(), pdf.to_str().unwrap(), &[]).ok();
    // Ghostscript's ink coverage: the code and its caption are K100 — nothing on C, M, Y.
    let ink = tool("gs", &["-q", "-o", "-", "-sDEVICE=inkcov", pdf.to_str().unwrap()]);
    let v: Vec<f64> = ink.split_whitespace().take(4).map(|s| s.parse().unwrap()).collect();
    assert_eq!(&v[..3], &[0.0, 0.0, 0.0], "{ink}");
    assert!(v[3] > 0.001, "no black ink: {ink}");
    // Vector modules, not an image.
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    assert_eq!(list.lines().count(), 2, "{list}");
    let screen = proj.path().join("qr-screen.pdf");
    kaiho_build(volume.to_str().unwrap(), screen.to_str().unwrap(), &["--profile", "screen"]).ok();
    assert!(qdf(&screen).contains("/URI (https://example.jp/join)"));
}

#[test]
fn table_headers_are_tagged_as_headers_in_the_archive() {
    let pdf = qdf(&built("archive").1);
    let count = |tag: &str| pdf.matches(&format!("/S /{tag}\n")).count();
    // Three headings of the events table, two of the accounts.
    assert_eq!(count("TH"), 5, "header cells");
    assert_eq!(count("THead"), 2);
    assert!(count("TD") >= 3 * 6 + 2 * 7, "{} data cells", count("TD"));
}

#[test]
fn right_aligned_columns_line_up_their_places() {
    let (_, typeset) = typeset(&root().join(EXAMPLE));
    let body = typeset.composition.body;
    let lines = jlreq::lines(&inspect::glyphs(&typeset.document));
    let amounts =
        ["1,240,000", "380,000", "215,480", "△412,300", "△586,900", "△128,650", "707,630"];
    let cells: Vec<&jlreq::Line> =
        lines.iter().filter(|l| l.page == 2 && amounts.contains(&l.text().as_str())).collect();
    assert_eq!(
        cells.len(),
        amounts.len(),
        "{:?}",
        cells.iter().map(|l| l.text()).collect::<Vec<_>>()
    );
    // Flush right, and every digit one width (no kerning between digits and commas).
    let right = cells[0].right();
    let mut widths: Vec<Vec<f64>> = Vec::new();
    for cell in &cells {
        assert!(
            (cell.right() - right).abs() < 0.05,
            "`{}` ends at {} of {right}",
            cell.text(),
            cell.right()
        );
        assert!(cell.glyphs.iter().all(|g| (g.size - body).abs() < 0.01), "{}", cell.text());
        let digits = cell.glyphs.iter().filter(|g| g.text.chars().all(|c| c.is_ascii_digit()));
        widths.push(digits.map(|g| g.advance).collect());
    }
    // The total is bold, its digits wider; within it and among the other rows, one width.
    let spread = |w: &[f64]| w.iter().fold(0.0f64, |m, x| m.max((x - w[0]).abs()));
    let (total, rows) = widths.split_last().unwrap();
    let regular: Vec<f64> = rows.concat();
    assert!(spread(&regular) < 0.01 && spread(total) < 0.01, "digit advances {widths:?}");
    let widths = regular;
    assert!(widths.len() >= 35, "{} digits", widths.len());
}

/// Rows of a proof, under the form's cut line (the one mark that reaches the trim at the
/// left), where a rule runs across the middle of the page (35–85 % of its width).
fn rules_across(png: &Png) -> Vec<(u32, u32)> {
    let dark = |x: u32, y: u32| {
        let at = (y as usize * png.width as usize + x as usize) * png.channels;
        png.data[at..at + 3].iter().any(|c| *c < 200)
    };
    let cut = (0..png.height).find(|y| (0..4).any(|x| dark(x, *y))).expect("a cut line");
    let (from, to) = (png.width * 35 / 100, png.width * 85 / 100);
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for y in cut + 1..png.height {
        if (from..to).all(|x| dark(x, y)) {
            match runs.last_mut() {
                Some(r) if r.1 + 1 == y => r.1 = y,
                _ => runs.push((y, y)),
            }
        }
    }
    runs
}

#[test]
fn a_forms_writing_lines_are_at_least_8_mm_tall() {
    // A full page first, so that the form gets no room to grow.
    let prose = "後援会の活動についてのお知らせです。".repeat(60);
    let blocks = format!(
        "      - text:\n          body: {prose}\n      - form:\n          title: 入会申込書\n          fields:\n            - {{ label: 氏名, furigana: true }}\n            - {{ label: 住所, lines: 2 }}\n            - 電話\n          send-to: 事務局\n"
    );
    let proj = project(&[("vol1.yaml", &volume_with(&blocks))]);
    let pattern = proj.path().join("p-{p}.png");
    kaiho(&[
        "build",
        proj.path().join("vol1.yaml").to_str().unwrap(),
        "--format",
        "png",
        "--ppi",
        "150",
        "-o",
        pattern.to_str().unwrap(),
    ])
    .ok();
    let png = png_pixels(&proj.path().join("p-1.png"));
    let rules = rules_across(&png);
    // The frame's top, a rule under each of the 5 writing lines (ふりがな, 氏名, 住所 ×2, 電話).
    assert_eq!(rules.len(), 6, "{rules:?}");
    let px_per_mm = 150.0 / 25.4;
    let heights: Vec<f64> =
        rules.windows(2).map(|w| f64::from(w[1].0 - w[0].1 - 1) / px_per_mm).collect();
    eprintln!("writing lines: {heights:.1?} mm");
    assert!(heights.iter().all(|h| *h >= 8.0), "{heights:?}");

    // In the example the form reaches the foot of page 3: its lines grow, none shrinks.
    let dir = temp();
    let pattern = dir.path().join("e-{p}.png");
    kaiho(&["build", EXAMPLE, "--format", "png", "--ppi", "150", "-o", pattern.to_str().unwrap()])
        .ok();
    let rules = rules_across(&png_pixels(&dir.path().join("e-3.png")));
    assert_eq!(rules.len(), 7, "{rules:?}");
    let bottom = f64::from(rules.last().unwrap().1) / px_per_mm;
    assert!(bottom > 297.0 - 25.0, "the form ends {bottom:.0} mm down the page");
    assert!(rules.windows(2).all(|w| f64::from(w[1].0 - w[0].1 - 1) / px_per_mm >= 8.0));
}

/// The x resolution of every image of `pdf` as printed, in ppi.
fn image_ppi(pdf: &std::path::Path) -> Vec<f64> {
    pdf_images(pdf).iter().map(|cols| cols[12].parse().unwrap()).collect()
}

#[test]
fn a_gallery_sets_fewer_larger_photos_a_row_where_its_page_has_room() {
    // Four photos of 1200 × 900 pixels, under a headline: across an A4 page four stand
    // in a row at over 500 ppi (each about 44 mm wide), two stand at 300–420 ppi (about
    // 90 mm). One a row would print under 300 ppi, so it is not offered.
    let photos: String = (1..=4)
        .map(|i| format!("            - {{ src: g{i}.jpg, caption: 活動の様子{i} }}\n"))
        .collect();
    let headline = "      - headline:\n          title: 活動の記録\n";
    let story = format!(
        "      - text:\n          heading: ご報告\n          body: {}\n",
        "後援会では、地域の皆さまと一緒に清掃活動や懇談会を続けてきました。".repeat(64)
    );
    let build = |blocks: &str| {
        let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
        for i in 1..=4 {
            let name = format!("g{i}.jpg");
            std::fs::copy(root().join("examples/kinds").join(&name), proj.path().join(&name))
                .unwrap();
        }
        let pdf = proj.path().join("out.pdf");
        let run = kaiho_build(
            proj.path().join("vol1.yaml").to_str().unwrap(),
            pdf.to_str().unwrap(),
            &[],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let ppi = image_ppi(&pdf);
        assert_eq!(ppi.len(), 4, "{ppi:?}");
        (proj, ppi)
    };
    let gallery = format!("      - gallery:\n          photos:\n{photos}");
    let (sparse, ppi) = build(&format!("{headline}{gallery}"));
    assert!(ppi.iter().all(|&p| (299.5..420.0).contains(&p)), "room to spare: {ppi:?}");
    // The choice is data in the composition: two to a row, in frames chosen to fill the
    // lines the gallery was given (taller or shorter than 4:3, a quarter cut at most).
    let out = sparse.path().join("ejected");
    let volume = sparse.path().join("vol1.yaml");
    kaiho(&["eject", volume.to_str().unwrap(), "-o", out.to_str().unwrap()]).ok();
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("volume.json")).unwrap()).unwrap();
    let cells = data["composition"]["pages"][0]["rows"].as_array().unwrap().iter();
    let cell = cells
        .flat_map(|r| r["stacks"][0]["cells"].as_array().unwrap().clone())
        .find(|c| c["id"].as_str().unwrap().ends_with("blocks[1]"))
        .unwrap();
    assert_eq!(cell["per-row"], 2, "{cell}");
    let frame = cell["frame"].as_f64().unwrap_or(4.0 / 3.0);
    assert!((1.0..=1.78).contains(&frame), "{cell}");
    // The same gallery on a page its story fills: compact, four or two to a narrow row.
    let (_full, ppi) = build(&format!("{headline}{gallery}{story}"));
    assert!(ppi.iter().all(|&p| p > 550.0), "a full page: {ppi:?}");
    // Pinned, the count is kept on the page with room.
    let pinned = format!("      - gallery:\n          per-row: 4\n          photos:\n{photos}");
    let (_pinned, ppi) = build(&format!("{headline}{pinned}"));
    // (Its frames may be taller than 4:3 there: the photos cover them, a little larger.)
    assert!(ppi.iter().all(|&p| p > 480.0), "pinned to four a row: {ppi:?}");
    // A count the gallery cannot hold is located.
    let wrong = format!("      - gallery:\n          per-row: 5\n          photos:\n{photos}");
    let proj = project(&[("vol1.yaml", &volume_with(&wrong))]);
    let run = kaiho(&["check", proj.path().join("vol1.yaml").to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = run.stderr.replace(proj.path().to_str().unwrap(), "DIR");
    assert!(
        err.contains("DIR/vol1.yaml:7:20: error: a row of this gallery holds 1 to 4 photos, not 5"),
        "{err}"
    );
    assert!(err.contains("at pages[0].blocks[0].gallery.per-row"), "{err}");
}

#[test]
fn a_photo_left_over_from_full_rows_stands_first_across_the_gallery() {
    // Three photos two to a row: one across the gallery, two under it, so that no row
    // ends in an empty cell. Across, the first prints at half the resolution of the two.
    let photos: String = (1..=3)
        .map(|i| format!("            - {{ src: g{i}.jpg, caption: 活動の様子{i} }}\n"))
        .collect();
    let blocks = format!("      - gallery:\n          per-row: 2\n          photos:\n{photos}");
    let proj = project(&[("vol1.yaml", &volume_with(&blocks))]);
    for i in 1..=3 {
        let name = format!("g{i}.jpg");
        std::fs::copy(root().join("examples/kinds").join(&name), proj.path().join(&name)).unwrap();
    }
    let pdf = proj.path().join("out.pdf");
    let run =
        kaiho_build(proj.path().join("vol1.yaml").to_str().unwrap(), pdf.to_str().unwrap(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ppi = image_ppi(&pdf);
    assert_eq!(ppi.len(), 3, "{ppi:?}");
    assert!(ppi.iter().all(|&p| p >= 299.5), "{ppi:?}");
    assert!((ppi[1] - ppi[2]).abs() < 1.0, "the two under it are one size: {ppi:?}");
    let ratio = ppi[1] / ppi[0];
    assert!((1.9..2.2).contains(&ratio), "the first is about twice as wide: {ppi:?}");
}

#[test]
fn mistakes_in_the_new_kinds_are_located() {
    let blocks = "      - table:
          header: [月日, 行事, 会場]
          rows:
            - [4月1日, 総会]
      - gallery:
          photos:
            - { src: a.jpg }
      - qr:
          url: https://example.jp
          text: 二つ目
      - qa:
          labels: [質問, 答弁, 再質問]
          pairs: []
      - form:
          title: 申込書
          fields: [氏名]
      - names:
          title: 発起人
";
    let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
    let pdf = proj.path().join("out.pdf");
    let run =
        kaiho_build(proj.path().join("vol1.yaml").to_str().unwrap(), pdf.to_str().unwrap(), &[]);
    assert_eq!(run.code, 1);
    let err = run.stderr.replace(proj.path().to_str().unwrap(), "DIR");
    for expected in [
        "DIR/vol1.yaml:9:15: error: this row has 2 cell(s), but the header has 3 column(s)",
        "at pages[0].blocks[0].table.rows[0]",
        "error: a gallery holds 2 to 6 photos, this one 1",
        "error: image `DIR/a.jpg` not found",
        "at pages[0].blocks[1].gallery.photos[0].src",
        "DIR/vol1.yaml:13:9: error: a QR code encodes either `url` or `text`",
        "error: `labels` are two short labels, the question's first",
        "error: there are no questions",
        "error: a form is cut off at the foot of its page, but blocks follow it here",
        "at pages[0].blocks[4]",
        "error: a list of names has either `names` or `groups`",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(!pdf.exists());
    // A misspelt key of a new kind: did you mean …?
    let blocks =
        "      - qa:\n          pairs:\n            - { question: 問, answer: 答, askr: 市民 }\n";
    let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
    let run = kaiho(&["check", proj.path().join("vol1.yaml").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown field `askr`"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `asker`?"), "{}", run.stderr);
    assert!(run.stderr.contains("at pages[0].blocks[0].qa.pairs[0].askr"), "{}", run.stderr);
    // A figure with a thousands comma in a row written `[ ]`: YAML splits it in two.
    let blocks = "      - table:\n          header: [事業, 予算額]\n          rows:\n            - [通学路, 1億2,000万円]\n";
    let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
    let run = kaiho(&["check", proj.path().join("vol1.yaml").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("this row has 3 cell(s), but the header has 2"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`1億2` and `000万円` look like one cell split at its comma")
            && run.stderr.contains("\"1億2,000万円\""),
        "{}",
        run.stderr
    );
    // The same in `{ }`: the digits after the comma are read as a key.
    let blocks = "      - stats:\n          - { title: 来場者, figure: 約1,200, unit: 人 }\n";
    let proj = project(&[("vol1.yaml", &volume_with(blocks))]);
    let run = kaiho(&["check", proj.path().join("vol1.yaml").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("`200` was read as a key: quote the value"), "{}", run.stderr);
}

#[test]
fn questions_and_answers_flow_from_column_to_column_a_pair_never_broken() {
    // Four pairs across a two-column page: they stand two and two, read down the left
    // column and then the right, each question with its answer in one column.
    let pair = |n: usize, lines: usize| {
        format!(
            "            - question: 第{n}問、{q}\n              answer: 第{n}答、{a}\n",
            q = "地域の課題についてお聞きします。".repeat(lines),
            a = "市としての考えをお答えします。".repeat(lines + 1),
        )
    };
    let pairs: String = [2, 1, 1, 2].iter().enumerate().map(|(i, l)| pair(i + 1, *l)).collect();
    let text = format!(
        "volume: 1\nissue: テスト号\ndate: 2024-01-01\npages:\n  - columns: 2\n    blocks:\n      - qa:\n          title: 一般質問\n          pairs:\n{pairs}        span: full\n"
    );
    let proj = project(&[("vol1.yaml", &text)]);
    let (_, typeset) = crate::typography::typeset_fresh(&proj.path().join("vol1.yaml"));
    let cell = &typeset.composition.pages[0].rows[0].stacks[0].cells[0];
    assert_eq!(cell.breaks.len(), 1, "two columns: {cell:?}");
    let lines = kaiho::jlreq::lines(&kaiho::inspect::glyphs(&typeset.document));
    let middle = typeset.composition.paper[0] / 2.0;
    // Where each question and each answer begins: (column, baseline).
    let at = |start: &str| {
        let l = lines.iter().find(|l| l.text().starts_with(start)).unwrap_or_else(|| {
            panic!(
                "no line begins with {start}: {:?}",
                lines.iter().map(|l| l.text()).collect::<Vec<_>>()
            )
        });
        (usize::from(l.glyphs[0].x > middle), l.y)
    };
    let questions: Vec<(usize, f64)> = (1..=4).map(|n| at(&format!("第{n}問"))).collect();
    let answers: Vec<(usize, f64)> = (1..=4).map(|n| at(&format!("第{n}答"))).collect();
    let first_right = cell.breaks[0] as usize;
    for n in 0..4 {
        let column = usize::from(n >= first_right);
        assert_eq!(questions[n].0, column, "question {} stands in column {column}", n + 1);
        // Its answer follows it in the same column.
        assert_eq!(answers[n].0, column, "answer {} in the question's column", n + 1);
        assert!(answers[n].1 > questions[n].1);
    }
    // Down each column in order; both columns start on the line under the title.
    assert!(questions[0].1 < questions[1].1 || first_right == 1);
    assert!((questions[0].1 - questions[first_right].1).abs() < 0.5, "{questions:?}");
    assert!((1..4).contains(&first_right), "{first_right}");
}

//! Print-ready output: profiles, PDF/X-1a, crop marks, preflight and proofs, checked with
//! independent tools (poppler, qpdf, Ghostscript) and with kaiho's own preflight — which
//! must fail, check by check, on files made to break each rule.

use std::path::{Path, PathBuf};

use crate::support::*;

/// Builds VOL.10 with extra arguments into `dir`; returns the file.
fn build(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec!["build", "data/vol10.yaml", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    kaiho(&args).ok();
    out
}

/// `name: x0 y0 x1 y1` boxes of page 1 from pdfinfo.
fn page1_box(pdf: &Path, name: &str) -> [f64; 4] {
    let out = tool("pdfinfo", &["-box", pdf.to_str().unwrap()]);
    let line = out
        .lines()
        .find(|l| l.starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name}: {out}"));
    let v: Vec<f64> = line.split_whitespace().skip(1).map(|n| n.parse().unwrap()).collect();
    v.try_into().unwrap()
}

fn size(b: [f64; 4]) -> (f64, f64) {
    (b[2] - b[0], b[3] - b[1])
}

const MM: f64 = 72.0 / 25.4;

/// The colour space and number of components of the PDF's first image, per pdfimages.
fn first_image_colour(pdf: &Path) -> (String, String) {
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let columns: Vec<&str> = images
        .lines()
        .nth(2)
        .unwrap_or_else(|| panic!("no image: {images}"))
        .split_whitespace()
        .collect();
    (columns[5].to_owned(), columns[6].to_owned())
}

#[test]
fn print_is_pdf_x_1a_with_trim_and_bleed_boxes() {
    let pdf = vol10_pdf();
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("PDF version:     1.4"), "{info}");
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let trim = page1_box(pdf, "TrimBox");
    let bleed = page1_box(pdf, "BleedBox");
    let (tw, th) = size(trim);
    assert!((tw - 595.28).abs() < 0.05 && (th - 841.89).abs() < 0.05, "trim {tw} × {th}");
    for i in 0..2 {
        assert!(
            (trim[i] - bleed[i] - 3.0 * MM).abs() < 0.05,
            "bleed at the start: {trim:?} {bleed:?}"
        );
        assert!(
            (bleed[i + 2] - trim[i + 2] - 3.0 * MM).abs() < 0.05,
            "bleed at the end: {trim:?} {bleed:?}"
        );
    }
    let text = qdf(pdf);
    for key in [
        "/GTS_PDFXVersion (PDF/X-1a:2003)",
        "/Trapped /False",
        "/S /GTS_PDFX",
        "/OutputConditionIdentifier (JC200103)",
        "/RegistryName (http://www.color.org)",
        "<pdfxid:GTS_PDFXVersion>PDF/X-1a:2003</pdfxid:GTS_PDFXVersion>",
        "<pdf:Trapped>False</pdf:Trapped>",
    ] {
        assert!(text.contains(key), "missing {key}");
    }
    for forbidden in
        ["/SMask", "/Transparency", "/DeviceRGB", "/ICCBased", "/Annots", "/JavaScript", "/Encrypt"]
    {
        assert!(!text.contains(forbidden), "{forbidden} in a PDF/X-1a file");
    }
}

#[test]
fn ghostscript_reads_the_print_pdf_as_four_process_inks() {
    let pdf = vol10_pdf();
    let out = tool(
        "gs",
        &["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=inkcov", "-o", "-", pdf.to_str().unwrap()],
    );
    let pages: Vec<Vec<f64>> = out
        .lines()
        .filter(|l| l.contains("CMYK OK"))
        .map(|l| l.split_whitespace().take(4).map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(pages.len(), 2, "{out}");
    for page in pages {
        assert!(page.iter().all(|v| *v > 0.0), "every process ink is used: {page:?}");
    }
}

#[test]
fn screen_is_srgb_without_bleed_and_with_links() {
    let pdf = vol10_screen_pdf();
    let (w, h) = size(page1_box(pdf, "MediaBox"));
    assert!((w - 595.28).abs() < 0.05 && (h - 841.89).abs() < 0.05, "media {w} × {h}");
    let text = qdf(pdf);
    assert!(text.contains("/URI (tel:0267238788)"), "the telephone number is a link");
    assert!(
        !text.lines().any(|l| l.trim_end().ends_with(" k") && l.split_whitespace().count() >= 5),
        "CMYK on screen"
    );
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(fonts.lines().skip(2).all(|l| l.contains(" yes yes ")), "{fonts}");
    let print = vol10_pdf();
    assert!(std::fs::metadata(pdf).unwrap().len() <= std::fs::metadata(print).unwrap().len());
}

#[test]
fn archive_is_pdf_a_2b_and_tagged() {
    let dir = temp();
    // The sample volume's CMYK photo goes into the sRGB archive as RGB, with alt text.
    let sample = dir.path().join("sample.pdf");
    kaiho_build("examples/sample/vol3.yaml", sample.to_str().unwrap(), &["--profile", "archive"])
        .ok();
    assert_eq!(first_image_colour(&sample), ("icc".into(), "3".into()), "an RGB photo");
    let pdf = build(dir.path(), "archive.pdf", &["--profile", "archive"]);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let meta = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
    // PDF/A-2b and PDF/UA-1 combine: the archive is tagged for accessibility too.
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    assert!(meta.contains("小諸ぶらんど通信 VOL.10 2024年2月号"), "title in XMP: {meta}");
    assert!(meta.contains("小泉としひろ後援会事務局"), "publisher in XMP: {meta}");
    assert!(meta.contains("2024-02-01"), "issue date in XMP: {meta}");
}

#[test]
fn crop_marks_sit_outside_the_bleed_on_an_enlarged_sheet() {
    let dir = temp();
    let pdf = build(dir.path(), "marks.pdf", &["--marks"]);
    let (media, bleed, trim) =
        (page1_box(&pdf, "MediaBox"), page1_box(&pdf, "BleedBox"), page1_box(&pdf, "TrimBox"));
    assert!((size(trim).0 - 595.28).abs() < 0.05, "{trim:?}");
    assert!((size(bleed).0 - size(trim).0 - 6.0 * MM).abs() < 0.05, "{bleed:?}");
    assert!(size(media).0 - size(bleed).0 > 15.0 * MM, "room for the marks: {media:?}");
    let text = qdf(&pdf);
    // Registration colour (the colorant All: every plate) at 0.1 mm.
    assert!(text.contains("/All"), "marks in registration colour");
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let widths: Vec<f64> =
        tokens.windows(2).filter(|t| t[1] == "w").filter_map(|t| t[0].parse().ok()).collect();
    assert!(widths.iter().any(|w| (w - 0.1 * MM).abs() < 0.01), "a 0.1 mm line: {widths:?}");
    // Ink above the bleed at the top-left corner, where the vertical marks of the trim and
    // the bleed run: render the strip from the sheet's edge to just short of the bleed.
    let px = 300.0 / 72.0;
    let corner = dir.path().join("corner");
    let width = ((trim[0] - media[0] + 10.0 * MM) * px).floor().to_string();
    let height = ((bleed[0] - media[0] - 0.5 * MM) * px).floor().to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            &width,
            "-H",
            &height,
            pdf.to_str().unwrap(),
            corner.to_str().unwrap(),
        ],
    );
    let png = dir.path().join("corner-1.png");
    let corner = png_pixels(&png);
    let dark = corner.data.chunks(corner.channels).filter(|p| p[0] < 200).count();
    assert!(dark > 100, "the corner marks are drawn ({dark} inked pixels)");
    // kaiho's preflight agrees: the marks are outside the printed image.
    let run = kaiho(&["preflight", pdf.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("result: ready for the print shop"), "{}", run.stdout);
}

#[test]
fn the_preflight_of_vol10_is_clean_and_says_what_it_checked() {
    let pdf = vol10_pdf();
    let run = kaiho(&["preflight", pdf.to_str().unwrap()]).ok();
    assert!(
        run.stdout.contains("page 1: 3 font(s), colours DeviceCMYK, text ≥ 7.0 pt"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("plates: Cyan, Magenta, Yellow, Black"), "{}", run.stdout);
    assert!(
        run.stdout.ends_with("result: ready for the print shop (0 error(s), 0 warning(s))\n"),
        "{}",
        run.stdout
    );
    let json = kaiho(&["preflight", "--json", pdf.to_str().unwrap()]).ok();
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["pages"].as_array().unwrap().len(), 2);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert!(report["pages"][0]["max_ink_percent"].as_f64().unwrap() <= 320.0);
}

/// A one-page layout that draws `body` on an A4 page with 3 mm bleed, and the volume to
/// build with it. Returns the project folder.
fn breaking_layout(body: &str, files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let proj = project(&[("vol1.yaml", &volume_with("      - masthead: {}\n"))]);
    let layout = proj.path().join("layouts/leaflet");
    std::fs::create_dir_all(&layout).unwrap();
    std::fs::write(
        layout.join("layout.typ"),
        format!(
            "#let render(data) = {{\n  set page(width: 210mm, height: 297mm, margin: 12mm, bleed: 3mm)\n  set text(font: data.series.fonts.sans, lang: \"ja\", fill: cmyk(0%, 0%, 0%, 100%))\n  {body}\n}}\n"
        ),
    )
    .unwrap();
    for (name, bytes) in files {
        std::fs::write(layout.join(name), bytes).unwrap();
    }
    proj
}

/// Builds with the breaking layout (the build's own preflight must fail) and returns the
/// standalone preflight's output for the file it kept.
fn preflight_of(body: &str, files: &[(&str, Vec<u8>)]) -> String {
    let proj = breaking_layout(body, files);
    let pdf = proj.path().join("out.pdf");
    let layouts = proj.path().join("layouts");
    let run = kaiho(&[
        "build",
        proj.path().join("vol1.yaml").to_str().unwrap(),
        "--layout-dir",
        layouts.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "the build's preflight should fail: {}", run.stderr);
    assert!(run.stderr.contains("error: preflight: "), "{}", run.stderr);
    assert!(pdf.is_file(), "the file is kept for inspection");
    let check = kaiho(&["preflight", pdf.to_str().unwrap()]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains("result: NOT ready for the print shop"), "{}", check.stdout);
    check.stdout
}

/// Extra files of a test layout: name and contents.
type LayoutFiles = Vec<(&'static str, Vec<u8>)>;

/// An RGB PNG of the given size, a stand-in for a phone photo.
fn rgb_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    let pixels: Vec<u8> = (0..width * height).flat_map(|i| [(i % 251) as u8, 120, 200]).collect();
    encoder.write_header().unwrap().write_image_data(&pixels).unwrap();
    out
}

fn grey_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&vec![128; (width * height) as usize])
        .unwrap();
    out
}

#[test]
fn preflight_catches_each_problem_on_purpose() {
    let cases: Vec<(&str, &str, LayoutFiles)> = vec![
        ("[colour]", "text(fill: rgb(\"#ff0000\"))[赤い文字]", vec![]),
        (
            "[black]",
            "text(fill: cmyk(60%, 40%, 40%, 100%), size: 8pt)[リッチブラックの小さな文字]",
            vec![],
        ),
        ("[text-size]", "text(size: 5pt)[小さすぎる文字]", vec![]),
        ("[stroke]", "line(length: 50mm, stroke: 0.1pt + cmyk(0%, 0%, 0%, 100%))", vec![]),
        ("[safe-area]", "place(top + left, dx: -11mm, dy: -11mm)[端すぎる文字]", vec![]),
        ("[ink]", "rect(width: 20mm, height: 20mm, fill: cmyk(100%, 100%, 100%, 50%))", vec![]),
        ("[transparency]", "rect(width: 20mm, height: 20mm, fill: luma(0, 50%))", vec![]),
        ("[image]", "image(\"dot.png\", width: 50mm)", vec![("dot.png", grey_png(20, 20))]),
    ];
    for (tag, body, files) in cases {
        let report = preflight_of(body, &files);
        assert!(report.contains(tag), "{tag} not reported:\n{report}");
    }
}

#[test]
fn preflight_catches_missing_boxes_and_pdfx_keys() {
    let screen = vol10_screen_pdf();
    let run = kaiho(&["preflight", screen.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    for expected in [
        "GTS_PDFXVersion",
        "/Trapped",
        "output intent",
        "PDF 1.7 is newer",
        "[colour]",
        "has no TrimBox",
    ] {
        assert!(run.stdout.contains(expected), "{expected} not reported:\n{}", run.stdout);
    }
    assert!(kaiho(&["preflight", "--profile", "screen", screen.to_str().unwrap()]).code == 0);
}

#[test]
fn preflight_catches_fonts_that_are_not_embedded_or_type_3() {
    use lopdf::{Dictionary, Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let helvetica = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let type3 = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type3", "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()] });
    let content = b"BT /F1 10 Tf 1 0 0 1 100 700 Tm (Hello) Tj /F2 10 Tf (a) Tj ET".to_vec();
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
    let box_ = || Object::Array([0, 0, 595, 842].map(Object::from).to_vec());
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "MediaBox" => box_(), "TrimBox" => box_(),
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => helvetica, "F2" => type3 } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let dir = temp();
    let path = dir.path().join("fonts.pdf");
    doc.save(&path).unwrap();
    let run = kaiho(&["preflight", "--profile", "screen", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("font Helvetica is not embedded [fonts]"), "{}", run.stdout);
    assert!(run.stdout.contains("is a Type 3 font [fonts]"), "{}", run.stdout);
}

#[test]
fn an_rgb_photo_is_converted_to_cmyk_for_print_and_a_small_one_is_refused() {
    // An RGB PNG 300 px wide: too few pixels for any frame of the page in print.
    let rgb = rgb_png(300, 200);
    let proj = project(&[(
        "vol1.yaml",
        &volume_with("      - photo:\n          src: photo.png\n          caption: 写真\n"),
    )]);
    std::fs::write(proj.path().join("photo.png"), &rgb).unwrap();
    let pdf = proj.path().join("out.pdf");
    let run =
        kaiho_build(proj.path().join("vol1.yaml").to_str().unwrap(), pdf.to_str().unwrap(), &[]);
    let err = run.stderr.replace(proj.path().to_str().unwrap(), "DIR");
    // Even in the narrowest column it would print under 300 ppi: refused, with its location.
    assert_eq!(run.code, 1, "{err}");
    assert!(
        err.contains("DIR/vol1.yaml:6:9: error: the image `DIR/photo.png` prints at "),
        "{err}"
    );
    assert!(err.contains("hint: use an image at least "), "{err}");
    // For screens the same photo is fine, and stays RGB.
    let screen = proj.path().join("screen.pdf");
    kaiho_build(
        proj.path().join("vol1.yaml").to_str().unwrap(),
        screen.to_str().unwrap(),
        &["--profile", "screen"],
    )
    .ok();
    assert_eq!(first_image_colour(&screen), ("icc".into(), "3".into()), "an RGB photo on screen");
    // A 2400 px RGB photo is enough: it passes, converted to CMYK, with a warning.
    let big = rgb_png(2400, 1600);
    std::fs::write(proj.path().join("photo.png"), &big).unwrap();
    let run =
        kaiho_build(proj.path().join("vol1.yaml").to_str().unwrap(), pdf.to_str().unwrap(), &[])
            .ok();
    let err = run.stderr.replace(proj.path().to_str().unwrap(), "DIR");
    assert!(
        err.contains(
            "warning: the image `DIR/photo.png` is RGB; it was converted to CMYK for print"
        ),
        "{err}"
    );
    assert_eq!(first_image_colour(&pdf), ("cmyk".into(), "4".into()), "converted for print");
    // A 1200 px photo is framed no wider than its pixels allow at 300 ppi.
    std::fs::write(proj.path().join("photo.png"), rgb_png(1200, 800)).unwrap();
    kaiho_build(proj.path().join("vol1.yaml").to_str().unwrap(), pdf.to_str().unwrap(), &[]).ok();
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let ppi: Vec<f64> = list
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(12).and_then(|x| x.parse().ok()))
        .collect();
    assert!(!ppi.is_empty() && ppi.iter().all(|p| *p >= 299.0), "{list}");
}

#[test]
fn proofs_show_guides_and_a_contact_sheet_holds_every_page() {
    let dir = temp();
    let plain = dir.path().join("p.png");
    let guided = dir.path().join("g.png");
    kaiho_build("data/vol10.yaml", plain.to_str().unwrap(), &["--format", "png", "--ppi", "72"])
        .ok();
    kaiho_build(
        "data/vol10.yaml",
        guided.to_str().unwrap(),
        &["--format", "png", "--ppi", "72", "--guides"],
    )
    .ok();
    let dims = |p: &Path| {
        let png = png_pixels(p);
        (png.width, png.height)
    };
    // With guides the proof shows the 3 mm bleed: 17 px wider at 72 ppi.
    let (pw, ph) = dims(&dir.path().join("p-1.png"));
    let (gw, gh) = dims(&dir.path().join("g-1.png"));
    assert_eq!((pw, ph), (595, 842));
    assert_eq!((gw, gh), (612, 859));
    let sheet = dir.path().join("sheet.png");
    let run =
        kaiho(&["proof", "data/vol10.yaml", "--ppi", "36", "-o", sheet.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("  2 pages  "), "{}", run.stdout);
    let (sw, sh) = dims(&sheet);
    assert!(sw > 2 * 298 && sh > 421, "two pages side by side: {sw} × {sh}");
}

/// The VOL.10 series as a two-colour edition: DIC 156 and black.
const TWO_COLOUR_SERIES: &str = "inks:\n  - { name: DIC 156, cmyk: [100, 0, 45, 0], rgb: \"#00a29a\" }\ncolors:\n  accent:    { spot: DIC 156 }\n  secondary: { spot: DIC 156, tint: 70 }\n  tint:      { spot: DIC 156, tint: 10 }\n";

fn two_colour_series(dir: &Path) -> PathBuf {
    let series = std::fs::read_to_string(root().join("data/series.yaml")).unwrap();
    let kept: String = series.split("\ncolors:").next().unwrap().to_owned();
    let path = dir.join("series.yaml");
    std::fs::write(&path, format!("{kept}\n{TWO_COLOUR_SERIES}")).unwrap();
    path
}

#[test]
fn a_spot_colour_edition_prints_with_its_ink_and_black_only() {
    let dir = temp();
    let series = two_colour_series(dir.path());
    let pdf = dir.path().join("two.pdf");
    kaiho(&[
        "build",
        "data/vol10.yaml",
        "--series",
        series.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ])
    .ok();
    let run = kaiho(&["preflight", pdf.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("plates: Black, DIC 156\n"), "{}", run.stdout);
    assert!(run.stdout.contains("Separation/DIC 156"), "{}", run.stdout);
    // Ghostscript sees no cyan, magenta or yellow in the process plates.
    let out = tool(
        "gs",
        &["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=inkcov", "-o", "-", pdf.to_str().unwrap()],
    );
    let text = qdf(&pdf);
    assert!(
        text.contains("/Separation") && text.contains("/DIC#20156"),
        "a separation named DIC 156"
    );
    assert!(out.lines().filter(|l| l.contains("CMYK OK")).count() == 2, "{out}");
}

#[test]
fn a_spot_colour_edition_refuses_process_colours() {
    let dir = temp();
    let series = two_colour_series(dir.path());
    let text = std::fs::read_to_string(&series).unwrap().replace(
        "  tint:      { spot: DIC 156, tint: 10 }",
        "  tint:      { cmyk: [10, 0, 5, 0] }",
    );
    std::fs::write(&series, text).unwrap();
    let run = kaiho(&["check", "data/vol10.yaml", "--series", series.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error: `tint` uses cyan, magenta or yellow, but this series prints with its spot inks and black only"), "{}", run.stderr);
    let unknown = std::fs::read_to_string(&series)
        .unwrap()
        .replace("secondary: { spot: DIC 156", "secondary: { spot: DIC 165");
    std::fs::write(&series, unknown).unwrap();
    let run = kaiho(&["check", "data/vol10.yaml", "--series", series.to_str().unwrap()]);
    assert!(run.stderr.contains("error: there is no ink `DIC 165`"), "{}", run.stderr);
    assert!(run.stderr.contains("hint: inks of this series: DIC 156"), "{}", run.stderr);
}

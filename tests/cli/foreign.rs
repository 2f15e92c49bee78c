//! `kaiho preflight` of PDFs kaiho did not make — printed by headless Chromium, written by
//! Ghostscript from PostScript, with Type 3 fonts and transparency: it reads them to the end,
//! reports what a print shop would refuse, and agrees with independent tools (pdffonts,
//! pdfimages, mutool, qpdf) on what is in them.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The preflight of `pdf` for print, as JSON, after checking that it ran to a verdict: a
/// report on standard output, exit 1 (these files are not ready), no panic.
fn preflight_json(pdf: &Path) -> serde_json::Value {
    let human = kaiho(&["preflight", pdf.to_str().unwrap()]);
    assert_eq!(human.code, 1, "{}\n{}", human.stdout, human.stderr);
    assert!(human.stdout.contains("result: NOT ready for the print shop"), "{}", human.stdout);
    let json = kaiho(&["preflight", "--json", pdf.to_str().unwrap()]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    serde_json::from_str(&json.stdout).expect("the report is JSON")
}

/// The checks and messages of a report's findings.
fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    let list = report["findings"].as_array().unwrap();
    list.iter()
        .map(|f| (f["check"].as_str().unwrap().into(), f["message"].as_str().unwrap().into()))
        .collect()
}

fn has(report: &serde_json::Value, check: &str) -> bool {
    findings(report).iter().any(|(c, _)| c == check)
}

/// The fonts pdffonts lists: `(type, embedded)` per font.
fn pdffonts(pdf: &Path) -> Vec<(String, bool)> {
    let out = tool("pdffonts", &[pdf.to_str().unwrap()]);
    out.lines()
        .skip(2)
        .map(|line| {
            // Columns after the name: type (may have spaces), encoding, emb, sub, uni, object.
            let columns: Vec<&str> = line.split_whitespace().collect();
            let emb = columns[columns.len() - 5] == "yes";
            let kind = if line.contains("Type 3") { "Type 3" } else { "other" };
            (kind.to_owned(), emb)
        })
        .collect()
}

/// Writes `program` (PostScript) to a file and has Ghostscript turn it into a PDF.
fn ghostscript(dir: &Path, name: &str, program: &str) -> PathBuf {
    let ps = dir.join(format!("{name}.ps"));
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&ps, program).unwrap();
    ghostscript_pdf(&ps, &pdf);
    pdf
}

#[test]
fn a_page_printed_by_chromium_is_read_and_judged() {
    let dir = temp();
    let html = dir.path().join("page.html");
    std::fs::write(
        &html,
        "<!doctype html><html lang=\"ja\"><meta charset=\"utf-8\"><style>\
         body { font-family: \"Noto Sans CJK JP\"; color: #c00 }\
         .small { font-size: 4pt }\
         .box { width: 100px; height: 50px; background: rgba(0, 0, 255, 0.5) }\
         .grad { width: 100px; height: 20px; background: linear-gradient(to right, #f00, #00f) }\
         </style><h1>小諸ぶらんど通信</h1><p>健幸都市こもろの取り組み</p>\
         <p class=\"small\">小さな注記</p><div class=\"box\"></div><div class=\"grad\"></div>",
    )
    .unwrap();
    let pdf = dir.path().join("chromium.pdf");
    chromium_pdf(&html, &pdf);

    let report = preflight_json(&pdf);
    let page = &report["pages"][0];
    assert_eq!(report["pages"].as_array().unwrap().len(), 1);
    assert!(!has(&report, "content"), "read to the end: {:?}", findings(&report));
    // Red text, a translucent box and a gradient: RGB, and transparency.
    let spaces = page["colour_spaces"].as_array().unwrap();
    assert!(spaces.iter().any(|s| s == "RGB"), "{page}");
    assert!(has(&report, "colour") && has(&report, "transparency"), "{:?}", findings(&report));
    // A browser page has no trim: the boxes are reported, not guessed.
    assert!(findings(&report).iter().any(|(_, m)| m.contains("has no TrimBox")));
    // The 4 pt note is the smallest text, as mutool measures the glyphs.
    let stext = tool("mutool", &["draw", "-F", "stext", "-o", "-", pdf.to_str().unwrap()]);
    let smallest = stext
        .split("size=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .fold(f64::MAX, f64::min);
    let ours = page["min_text_pt"].as_f64().unwrap();
    assert!((ours - smallest).abs() < 0.01 && smallest < 6.0, "{ours} vs mutool {smallest}");
    assert!(has(&report, "text-size"));
    // Type 3 fonts (Chromium's way with CFF collections) are refused exactly when pdffonts
    // lists them.
    let type3 = pdffonts(&pdf).iter().any(|(kind, _)| kind == "Type 3");
    let refused = findings(&report).iter().any(|(_, m)| m.ends_with("is a Type 3 font"));
    assert_eq!(type3, refused, "{:?}", findings(&report));
}

#[test]
fn a_file_written_by_ghostscript_is_read_and_judged() {
    let dir = temp();
    let pdf = ghostscript(
        dir.path(),
        "gs",
        "%!PS\n<< /PageSize [595 842] >> setpagedevice\n\
         /Helvetica findfont 10 scalefont setfont\n\
         0 0 0 1 setcmykcolor 72 760 moveto (Printed by Ghostscript) show\n\
         0.1 setlinewidth 1 0 0 0 setcmykcolor 72 700 moveto 300 700 lineto stroke\n\
         0.8 0.8 0.8 1 setcmykcolor 72 600 200 50 rectfill\n\
         gsave 72 400 translate 100 100 scale 16 16 8 [16 0 0 -16 0 16] { 256 string } image grestore\n\
         showpage\n",
    );
    let report = preflight_json(&pdf);
    let page = &report["pages"][0];
    assert!(!has(&report, "content"), "read to the end: {:?}", findings(&report));
    assert_eq!(page["colour_spaces"], serde_json::json!(["DeviceCMYK", "DeviceGray"]), "{page}");
    // Helvetica is not embedded exactly when pdffonts says so.
    let embedded = pdffonts(&pdf).iter().all(|(_, emb)| *emb);
    let refused = findings(&report).iter().any(|(_, m)| m == "font Helvetica is not embedded");
    assert_eq!(!embedded, refused, "{:?}", findings(&report));
    // The 0.1 pt line, 340 % ink, PDF 1.7 and the missing PDF/X keys.
    assert!((page["min_stroke_pt"].as_f64().unwrap() - 0.1).abs() < 1e-6, "{page}");
    assert!((page["max_ink_percent"].as_f64().unwrap() - 340.0).abs() < 0.5, "{page}");
    for check in ["stroke", "ink", "pdfx", "image"] {
        assert!(has(&report, check), "{check}: {:?}", findings(&report));
    }
    // The 16 px image drawn 100 pt wide: the resolution pdfimages reports.
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let row: Vec<&str> = images.lines().nth(2).expect("one image").split_whitespace().collect();
    let x_ppi: f64 = row[12].parse().unwrap();
    let ours = page["min_image_ppi"].as_f64().unwrap();
    assert!((ours - x_ppi).abs() <= 0.5, "{ours} vs pdfimages {x_ppi}");
}

#[test]
fn a_type_3_font_and_transparency_are_refused() {
    let dir = temp();
    // A Type 3 font whose glyphs are squares, 4 pt text in it, and a half-transparent fill.
    let pdf = ghostscript(
        dir.path(),
        "type3",
        "%!PS\n<< /PageSize [595 842] >> setpagedevice\n\
         8 dict begin /FontType 3 def /FontMatrix [0.001 0 0 0.001 0 0] def\n\
         /FontBBox [0 0 750 750] def /Encoding 256 array def\n\
         0 1 255 { Encoding exch /.notdef put } for Encoding 65 /A put\n\
         /BuildChar { 1000 0 0 0 750 750 setcachedevice pop 0 0 750 750 rectfill } def\n\
         currentdict end /Squares exch definefont pop\n\
         0 0 0 1 setcmykcolor /Squares findfont 4 scalefont setfont 72 500 moveto (AAA) show\n\
         .5 .setfillconstantalpha 0 1 0 0 setcmykcolor 100 400 100 100 rectfill\n\
         showpage\n",
    );
    let qdf = dir.path().join("type3.qdf.pdf");
    tool("qpdf", &["--qdf", pdf.to_str().unwrap(), qdf.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    assert!(text.contains("/Subtype /Type3") && text.contains("/ca 0.5"), "what Ghostscript wrote");
    let report = preflight_json(&pdf);
    assert!(!has(&report, "content"), "read to the end: {:?}", findings(&report));
    assert!(findings(&report).iter().any(|(c, m)| c == "fonts" && m.ends_with("is a Type 3 font")));
    assert!(has(&report, "transparency"), "{:?}", findings(&report));
    assert!((report["pages"][0]["min_text_pt"].as_f64().unwrap() - 4.0).abs() < 1e-6);
    assert!(has(&report, "text-size"));
}

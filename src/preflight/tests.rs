//! The preflight on small PDFs made to show one construct each, built with lopdf.

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

use super::*;

/// A one-page PDF: `page` adds what the page needs and returns its dictionary (`Type` and
/// `Parent` are added); `tree` holds what the page tree gives its pages.
pub(crate) fn one_page(
    tree: Dictionary,
    page: impl FnOnce(&mut Document) -> Dictionary,
) -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let mut page = page(&mut doc);
    page.set("Type", "Page");
    page.set("Parent", pages_id);
    let page = doc.add_object(page);
    let mut pages = dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 };
    pages.extend(&tree);
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

pub(crate) fn a4() -> Object {
    Object::Array([0, 0, 595, 842].map(Object::from).to_vec())
}

/// A one-page A4 PDF: `build` adds what the page needs and returns its content stream and
/// resources.
pub(crate) fn pdf(build: impl FnOnce(&mut Document) -> (Vec<u8>, Dictionary)) -> Vec<u8> {
    one_page(Dictionary::new(), |doc| {
        let (content, resources) = build(doc);
        let content = doc.add_object(Stream::new(Dictionary::new(), content));
        dictionary! { "Contents" => content, "MediaBox" => a4(), "TrimBox" => a4(), "Resources" => resources }
    })
}

/// A page with only `content`.
fn pdf_with_content(content: &[u8]) -> Vec<u8> {
    pdf(|_| (content.to_vec(), Dictionary::new()))
}

fn checks(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.check).collect()
}

/// An embedded-looking simple font with every glyph 500 units wide.
pub(crate) fn font(doc: &mut Document) -> Object {
    let descriptor = doc.add_object(dictionary! { "Type" => "FontDescriptor", "FontFile2" => 0 });
    let widths = Object::Array(vec![500.into(); 256]);
    doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Test",
        "FirstChar" => 0, "Widths" => widths, "FontDescriptor" => descriptor,
    })
    .into()
}

#[test]
fn a_broken_content_stream_is_checked_up_to_the_break() {
    let pdf = pdf_with_content(b"0 0 1 rg 100 100 50 50 re f (never closed");
    let report = check(&pdf, Profile::Screen).unwrap();
    let content: Vec<&Finding> = report.findings.iter().filter(|f| f.check == "content").collect();
    assert!(content.len() == 1 && content[0].level == Level::Warning, "{report:?}");
    // The RGB fill before the break was still seen.
    assert!(report.pages[0].colour_spaces.contains("RGB"), "{:?}", report.pages[0]);
    // For print, a page that could not be read to its end is not ready.
    let report = check(&pdf, Profile::Print).unwrap();
    assert!(report.findings.iter().any(|f| f.check == "content" && f.level == Level::Error));
}

#[test]
fn inline_images_are_judged_like_image_objects() {
    // 2 × 2 RGB pixels drawn 100 pt wide: RGB in print, and 1.4 ppi.
    let mut content = b"q 100 0 0 100 50 50 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID ".to_vec();
    content.extend([0x80; 12]);
    content.extend(b"\nEI Q");
    let report = check(&pdf_with_content(&content), Profile::Print).unwrap();
    let page = &report.pages[0];
    assert_eq!(page.images, 1, "{page:?}");
    assert!(page.colour_spaces.contains("RGB"), "{page:?}");
    assert!(page.min_image_ppi.is_some_and(|ppi| (ppi - 1.44).abs() < 0.01), "{page:?}");
    let checks = checks(&report);
    assert!(checks.contains(&"image") && checks.contains(&"colour"), "{checks:?}");
}

#[test]
fn an_inline_image_whose_data_contains_ei_is_read_whole() {
    // Grey pixels whose bytes spell ` EI ` and then an unbalanced `(`: ending the image at
    // that EI would read the rest of the data as content, and the RGB fill after it would
    // be lost in a broken string.
    let mut content = b"q 100 0 0 100 50 50 cm BI /W 8 /H 1 /CS /G /BPC 8 ID ".to_vec();
    content.extend(b"\x00 EI \xff(\x01\x02");
    content.extend(b"\nEI Q 1 0 0 rg 10 10 20 20 re f");
    let report = check(&pdf_with_content(&content), Profile::Screen).unwrap();
    let page = &report.pages[0];
    assert!(!checks(&report).contains(&"content"), "{report:?}");
    assert_eq!(page.images, 1, "{page:?}");
    assert!(page.colour_spaces.contains("DeviceGray"), "{page:?}");
    assert!(page.colour_spaces.contains("RGB"), "the fill after the image: {page:?}");
}

#[test]
fn invisible_text_is_not_judged() {
    // A recognised-text layer: 4 pt, in rich black, at the very edge, but never printed.
    let pdf = pdf(|doc| {
        let font = font(doc);
        let content = b"BT 3 Tr 0.5 0.5 0.5 1 k /F1 4 Tf 1 0 0 1 0 2 Tm (hidden) Tj ET".to_vec();
        (content, dictionary! { "Font" => dictionary! { "F1" => font } })
    });
    let report = check(&pdf, Profile::Print).unwrap();
    let checks = checks(&report);
    for check in ["text-size", "black", "safe-area"] {
        assert!(!checks.contains(&check), "{check}: {checks:?}");
    }
    assert_eq!(report.pages[0].min_text_pt, None);
}

#[test]
fn a_type_3_font_is_measured_through_its_font_matrix() {
    // A Type 3 font with glyph space 100 units to the em, and one flipped as Chromium writes
    // them (the text matrix flips back): 10 pt text whose run would end, or rise, past the
    // safe area only when measured through the font matrix.
    let type3 = |doc: &mut Document, matrix: [f64; 6], width: i64| -> Object {
        let matrix: Vec<Object> = matrix.map(Object::from).into();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type3", "FontMatrix" => matrix,
            "FirstChar" => 65, "Widths" => vec![Object::from(width)],
        });
        font.into()
    };
    let wide = pdf(|doc| {
        // Four glyphs 0.6 em wide from 20 pt inside the right safe edge: 24 pt long.
        let font = type3(doc, [0.01, 0.0, 0.0, 0.01, 0.0, 0.0], 60);
        let content = b"0 g BT /T 10 Tf 1 0 0 1 566.5 400 Tm (AAAA) Tj ET".to_vec();
        (content, dictionary! { "Font" => dictionary! { "T" => font } })
    });
    let flipped = pdf(|doc| {
        // A baseline 5 pt under the top safe edge: the glyphs rise 8.8 pt above it.
        let font = type3(doc, [0.001, 0.0, 0.0, -0.001, 0.0, 0.0], 500);
        let content = b"0 g BT /T 10 Tf 1 0 0 -1 100 828.5 Tm (A) Tj ET".to_vec();
        (content, dictionary! { "Font" => dictionary! { "T" => font } })
    });
    for pdf in [wide, flipped] {
        let report = check(&pdf, Profile::Screen).unwrap();
        assert_eq!(report.pages[0].min_text_pt, Some(10.0));
        let checks = checks(&report);
        assert!(checks.contains(&"safe-area"), "{report:?}");
        assert!(checks.contains(&"fonts"), "a Type 3 font is still refused");
    }
}

#[test]
fn vertical_text_is_measured_downwards() {
    // Four 10 pt glyphs written downwards from 30 pt above the bottom: the last ones reach
    // below the safe area (8.5 pt), which a horizontal run at that place would not.
    let pdf = pdf(|doc| {
        let descendant = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "Tate",
            "FontDescriptor" => dictionary! { "FontFile3" => 0 },
        });
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Tate",
            "Encoding" => "Identity-V", "DescendantFonts" => vec![descendant.into()],
        });
        let content = b"0 g BT /V 10 Tf 1 0 0 1 300 30 Tm <0001000200030004> Tj ET".to_vec();
        (content, dictionary! { "Font" => dictionary! { "V" => font } })
    });
    let report = check(&pdf, Profile::Screen).unwrap();
    assert!(checks(&report).contains(&"safe-area"), "{report:?}");
}

#[test]
fn a_form_is_drawn_in_the_colour_it_is_used_with() {
    // The form paints without setting a colour: in RGB, as set before `Do`.
    let pdf = pdf(|doc| {
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()] },
            b"0 0 100 100 re f".to_vec(),
        );
        let form = doc.add_object(form);
        (b"1 0 0 rg /X Do".to_vec(), dictionary! { "XObject" => dictionary! { "X" => form } })
    });
    let report = check(&pdf, Profile::Print).unwrap();
    assert!(report.pages[0].colour_spaces.contains("RGB"), "{:?}", report.pages[0]);
}

#[test]
fn shadings_are_judged_by_their_colour_space() {
    // An RGB gradient, painted with `sh` and as a shading pattern.
    let shading = || {
        let function = dictionary! {
            "FunctionType" => 2, "Domain" => vec![0.into(), 1.into()], "N" => 1,
            "C0" => vec![1.into(), 0.into(), 0.into()], "C1" => vec![0.into(), 0.into(), 1.into()],
        };
        dictionary! {
            "ShadingType" => 2, "ColorSpace" => "DeviceRGB", "Function" => function,
            "Coords" => vec![0.into(), 0.into(), 100.into(), 0.into()],
        }
    };
    let by_sh =
        pdf(|_| (b"/S sh".to_vec(), dictionary! { "Shading" => dictionary! { "S" => shading() } }));
    let as_pattern = pdf(|_| {
        let pattern = dictionary! { "PatternType" => 2, "Shading" => shading() };
        let content = b"/Pattern cs /P scn 0 0 100 100 re f".to_vec();
        (content, dictionary! { "Pattern" => dictionary! { "P" => pattern } })
    });
    for pdf in [by_sh, as_pattern] {
        let report = check(&pdf, Profile::Print).unwrap();
        assert!(report.pages[0].colour_spaces.contains("RGB"), "{:?}", report.pages[0]);
        assert!(checks(&report).contains(&"colour"));
    }
}

#[test]
fn device_n_of_process_inks_prints_on_their_plates() {
    let pdf = pdf(|_| {
        let tint = dictionary! {
            "FunctionType" => 2, "Domain" => vec![0.into(), 1.into()], "N" => 1,
            "C0" => vec![0.into()], "C1" => vec![1.into()],
        };
        let space = vec![
            "DeviceN".into(),
            vec![Object::Name(b"Cyan".to_vec()), Object::Name(b"DIC 156".to_vec())].into(),
            "DeviceGray".into(),
            tint.into(),
        ];
        let content = b"/N cs 0.5 1 sc 10 10 100 100 re f".to_vec();
        (content, dictionary! { "ColorSpace" => dictionary! { "N" => space } })
    });
    let report = check(&pdf, Profile::Print).unwrap();
    assert!(!checks(&report).contains(&"colour"), "{report:?}");
    assert_eq!(report.plates, ["Cyan", "DIC 156"]);
    assert!((report.pages[0].max_ink_percent - 150.0).abs() < 1e-9);
}

#[test]
fn the_line_width_of_a_graphics_state_counts() {
    let pdf = pdf(|_| {
        let state = dictionary! { "Type" => "ExtGState", "LW" => 0.1 };
        let content = b"/L gs 0 G 10 10 m 200 10 l S".to_vec();
        (content, dictionary! { "ExtGState" => dictionary! { "L" => state } })
    });
    let report = check(&pdf, Profile::Screen).unwrap();
    assert!(checks(&report).contains(&"stroke"), "{report:?}");
}

#[test]
fn a_media_box_is_inherited_from_the_page_tree() {
    // An A3 sheet declared on the page tree only; 400 % ink at x = 650–700 is on it (an A4
    // page would end at 595).
    let a3 = Object::Array([0, 0, 842, 1191].map(Object::from).to_vec());
    let bytes = one_page(dictionary! { "MediaBox" => a3 }, |doc| {
        let content = b"1 1 1 1 k 650 10 50 50 re f".to_vec();
        dictionary! { "Contents" => doc.add_object(Stream::new(Dictionary::new(), content)) }
    });
    let report = check(&bytes, Profile::Print).unwrap();
    assert!((report.pages[0].max_ink_percent - 400.0).abs() < 1e-9, "{:?}", report.pages[0]);
    assert!(checks(&report).contains(&"ink"));
}

#[test]
fn the_appearance_of_a_printed_annotation_is_judged() {
    // A stamp whose appearance is filled in RGB: printed with flag 4, not without it.
    let with_flags = |flags: i64| {
        let pdf = one_page(Dictionary::new(), |doc| {
            let content = b"0 0 0 1 k 10 10 5 5 re f".to_vec();
            let content = doc.add_object(Stream::new(Dictionary::new(), content));
            let bbox = Object::Array([0, 0, 10, 10].map(Object::from).to_vec());
            let look = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox },
                b"1 0 0 rg 0 0 10 10 re f".to_vec(),
            );
            let stamp = dictionary! {
                "Type" => "Annot", "Subtype" => "Stamp", "F" => flags,
                "Rect" => Object::Array([100, 100, 200, 150].map(Object::from).to_vec()),
                "AP" => dictionary! { "N" => doc.add_object(look) },
            };
            let stamp = doc.add_object(stamp);
            dictionary! { "Contents" => content, "MediaBox" => a4(), "Annots" => vec![stamp.into()] }
        });
        check(&pdf, Profile::Print).unwrap()
    };
    assert!(with_flags(4).pages[0].colour_spaces.contains("RGB"));
    assert!(!with_flags(0).pages[0].colour_spaces.contains("RGB"));
}

#[test]
fn a_form_that_draws_itself_is_followed_once() {
    let pdf = pdf(|doc| {
        let id = doc.new_object_id();
        let form = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "X" => id } },
            },
            b"0.1 w 0 0 m 10 10 l S /X Do /X Do".to_vec(),
        );
        doc.objects.insert(id, Object::Stream(form));
        (b"/X Do".to_vec(), dictionary! { "XObject" => dictionary! { "X" => id } })
    });
    let report = check(&pdf, Profile::Screen).unwrap();
    let strokes: Vec<&Finding> = report.findings.iter().filter(|f| f.check == "stroke").collect();
    assert_eq!(strokes.len(), 1);
    assert!(strokes[0].message.starts_with("1 line(s)"), "{}", strokes[0].message);
}

#[test]
fn a_pdf_without_pages_is_not_ready() {
    let mut doc = Document::with_version("1.4");
    let pages = doc.add_object(
        dictionary! { "Type" => "Pages", "Kids" => Vec::<Object>::new(), "Count" => 0 },
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let report = check(&bytes, Profile::Screen).unwrap();
    assert_eq!(checks(&report), ["pages"]);
    assert_eq!(report.errors(), 1);
}

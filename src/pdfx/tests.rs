//! Black overprint: the content rewrite on streams made to show one construct each, and the
//! document pass on small PDFs (checked with the preflight, which follows the state itself).

use lopdf::{Document, Object, Stream, dictionary};

use super::overprint;
use super::rewrite::{Context, ExtGState, Ink, State, rewrite};
use crate::pdf::overprint::Overprint;
use crate::preflight::tests::{font, pdf};
use crate::preflight::{self, Expect};
use crate::profile::Profile;

/// Resources by name: `CS0` is DeviceCMYK, `CS1` an ICC space; `GS1` sets `/OP true`,
/// `GS2` a 2 pt line.
struct Resources {
    drawn: Vec<(String, State)>,
}

impl Context for Resources {
    fn colour_space(&self, name: &[u8]) -> Ink {
        if name == b"CS0" { Ink::Black } else { Ink::Other }
    }

    fn ext_g_state(&self, name: &[u8]) -> Option<ExtGState> {
        match name {
            b"GS1" => Some(ExtGState { stroke: Some(true), ..ExtGState::default() }),
            b"GS2" => Some(ExtGState { line_width: Some(2.0), ..ExtGState::default() }),
            _ => None,
        }
    }

    fn state_name(&mut self, overprint: Overprint) -> Vec<u8> {
        format!("GSop{}", overprint.tag()).into_bytes()
    }

    fn draw(&mut self, name: &[u8], state: &State) -> Option<Vec<u8>> {
        self.drawn.push((String::from_utf8_lossy(name).into_owned(), state.clone()));
        (name == b"Copied").then(|| b"Copied_op".to_vec())
    }
}

/// `content` rewritten from the page's initial state, as text.
fn rewritten(content: &str) -> String {
    let mut cx = Resources { drawn: Vec::new() };
    let out = rewrite(content.as_bytes(), &State::default(), &mut cx).expect("readable");
    String::from_utf8(out.content).unwrap()
}

#[test]
fn k100_text_overprints_and_the_q_after_it_restores() {
    // As Typst writes each run of text.
    let typst = "q 1 0 0 -1 10 20 cm 0 0 0 1 k\nBT 0 Tr/f0 9.9 Tf 1 0 0 -1 0 0 Tm[<0001>-60<0002>]TJ\nET\nQ";
    assert_eq!(
        rewritten(typst),
        "q 1 0 0 -1 10 20 cm 0 0 0 1 k\nBT 0 Tr/f0 9.9 Tf 1 0 0 -1 0 0 Tm\n/GSop111 gs[<0001>-60<0002>]TJ\nET\nQ"
    );
}

#[test]
fn everything_else_keeps_knocking_out() {
    for content in [
        "0.08 0 0.06 0 k BT (tint) Tj ET",      // a tint
        "0.85 0.25 0.7 0.1 k BT (green) Tj ET", // coloured text
        "0 0 0 0 k BT (white) Tj ET",           // white text (would vanish)
        "0.4 0.4 0.4 1 k BT (rich) Tj ET",      // rich black
        "0 g BT (grey) Tj ET",                  // DeviceGray black, the page's default
        "0 0 0 1 k 0 0 500 500 re f",           // a K100 area
        "0 0 0 1 k BT 3 Tr (a) Tj ET",          // invisible text
        "0 0 0 1 k BT () Tj [-250] TJ ET",      // no glyphs
        "0 0 0 1 k q 100 0 0 100 0 0 cm /Im0 Do Q",
    ] {
        assert_eq!(rewritten(content), content);
    }
}

#[test]
fn the_state_before_a_knock_out_paint_is_restored() {
    // Without q/Q around the run, the knock-out state comes back before the tint is painted,
    // and is not written again while it stays in force.
    let content = "0 0 0 1 k BT (a) Tj ET 0.5 0 0 0 k 0 0 9 9 re f 0 0 9 9 re f";
    assert_eq!(
        rewritten(content),
        "0 0 0 1 k BT\n/GSop111 gs (a) Tj ET 0.5 0 0 0 k 0 0 9 9 re\n/GSop000 gs f 0 0 9 9 re f"
    );
}

#[test]
fn nested_q_and_q_restore_colour_and_overprint() {
    // The cyan set inside the inner q is gone after its Q, so the second run is K100 again;
    // the overprint set for the first K100 run is gone after the outer Q, so the fill after
    // it needs no switch back.
    let content = "q 0 0 0 1 k q 1 0 0 0 k BT (c) Tj ET Q BT (k) Tj ET Q 0 0 9 9 re f";
    assert_eq!(
        rewritten(content),
        "q 0 0 0 1 k q 1 0 0 0 k BT (c) Tj ET Q BT\n/GSop111 gs (k) Tj ET Q 0 0 9 9 re f"
    );
}

#[test]
fn colour_spaces_decide_what_k100_is() {
    let overprints = |content: &str| rewritten(content).contains("/GSop111 gs");
    // DeviceCMYK starts at K100; sc and scn give components in it; a resource may name it.
    assert!(overprints("/DeviceCMYK cs BT (a) Tj ET"));
    assert!(overprints("/DeviceCMYK cs 0 0 0 1 scn BT (a) Tj ET"));
    assert!(overprints("/CS0 cs 0 0 0 1 sc BT (a) Tj ET"));
    assert!(!overprints("/DeviceCMYK cs 0 1 0 0 sc BT (a) Tj ET"));
    // Four components in another space are not CMYK; nor is black in RGB or grey.
    assert!(!overprints("/CS1 cs 0 0 0 1 scn BT (a) Tj ET"));
    assert!(!overprints("0 0 0 rg BT (a) Tj ET"));
    assert!(!overprints("0 0 0 1 k /DeviceGray cs BT (a) Tj ET"));
    // The stroke colour is its own: K100 strokes, a tint fill.
    assert!(overprints("0 0 0 1 K 0.5 0 0 0 k 0 0 m 9 0 l S"));
    assert!(!overprints("0 0 0 1 k 0.5 0 0 0 K 0 0 m 9 0 l S"));
    // Stroked text needs its stroke in K100 too.
    assert!(overprints("0 0 0 1 k 0 0 0 1 K BT 2 Tr (a) Tj ET"));
    assert!(!overprints("0 0 0 1 k 1 0 0 0 K BT 2 Tr (a) Tj ET"));
}

#[test]
fn thin_k100_strokes_overprint_and_thick_ones_knock_out() {
    let overprints = |content: &str| rewritten(content).contains("/GSop111 gs");
    assert!(overprints("0 0 0 1 K 0.5 w 0 0 m 9 0 l S"));
    assert!(overprints("0 0 0 1 K 1 w 0 0 m 9 0 l S"));
    assert!(overprints("0 0 0 1 K 0 w 0 0 m 9 0 l S"), "the thinnest line");
    assert!(!overprints("0 0 0 1 K 1.5 w 0 0 m 9 0 l S"));
    // The width on the page is the width times the CTM's scale, saved and restored with q.
    assert!(!overprints("0 0 0 1 K 0.5 w 4 0 0 4 0 0 cm 0 0 m 9 0 l S"));
    assert!(overprints("0 0 0 1 K 2 w 0.25 0 0 0.25 0 0 cm 0 0 m 9 0 l S"));
    assert!(!overprints("0 0 0 1 K 2 w q 0.25 0 0 0.25 0 0 cm Q 0 0 m 9 0 l S"));
    // An ExtGState's /LW is a line width too.
    assert!(!overprints("0 0 0 1 K 0.5 w /GS2 gs 0 0 m 9 0 l S"));
}

#[test]
fn a_path_filled_and_stroked_at_once_is_split() {
    // The tint fill keeps knocking out; the K100 rule around it overprints.
    assert_eq!(
        rewritten("0.1 0 0 0 k 0 0 0 1 K 0.5 w 0 0 9 9 re B"),
        "0.1 0 0 0 k 0 0 0 1 K 0.5 w 0 0 9 9 re\nf\n/GSop111 gs 0 0 9 9 re\nS"
    );
    assert_eq!(
        rewritten("0 0 0 1 K 0 0 m 9 0 l 9 9 l b*"),
        "0 0 0 1 K 0 0 m 9 0 l 9 9 l\nh f*\n/GSop111 gs 0 0 m 9 0 l 9 9 l\ns"
    );
    // A clip set with the path would clip the second stroke to the fill: left as it is.
    let clipped = "0 0 0 1 K 0 0 9 9 re W B";
    assert_eq!(rewritten(clipped), clipped);
}

#[test]
fn the_overprint_the_content_sets_is_kept_elsewhere() {
    // GS1 sets /OP (and with it /op): a tint painted after the K100 run gets exactly that
    // state back, not the page's default.
    assert_eq!(
        rewritten("/GS1 gs 0 0 0 1 k BT (a) Tj ET 0.5 0 0 0 k 0 0 9 9 re f"),
        "/GS1 gs 0 0 0 1 k BT\n/GSop111 gs (a) Tj ET 0.5 0 0 0 k 0 0 9 9 re\n/GSop110 gs f"
    );
}

#[test]
fn forms_are_drawn_in_the_state_they_are_used_in() {
    let mut cx = Resources { drawn: Vec::new() };
    let content = b"0 0 0 1 k BT (a) Tj ET 2 w q 0.5 0 0 0.5 0 0 cm /Fm0 Do Q /Copied Do";
    let out = rewrite(content, &State::default(), &mut cx).unwrap();
    // A form sees the knock-out state it was drawn in (switched back first: the Q restores
    // the overprint of the run before it), the fill colour, the line width and the scale;
    // a copy is drawn under its new name.
    assert_eq!(
        String::from_utf8(out.content).unwrap(),
        "0 0 0 1 k BT\n/GSop111 gs (a) Tj ET 2 w q 0.5 0 0 0.5 0 0 cm\n/GSop000 gs /Fm0 Do Q\n/GSop000 gs\n/Copied_op Do"
    );
    let (name, state) = &cx.drawn[0];
    assert_eq!(name, "Fm0");
    assert_eq!((state.fill, state.line_width, state.scale), (Ink::Black, 2.0, 0.5));
    assert_eq!(state.natural, Overprint::default());
    assert_eq!(cx.drawn[1].1.scale, 1.0);
}

#[test]
fn a_stream_that_cannot_be_read_to_its_end_is_left_alone() {
    let mut cx = Resources { drawn: Vec::new() };
    assert!(rewrite(b"0 0 0 1 k BT (a) Tj ET (never closed", &State::default(), &mut cx).is_none());
}

/// `bytes` with black overprint applied by the document pass.
fn finished(bytes: &[u8]) -> (Vec<u8>, overprint::Summary) {
    let mut doc = Document::load_mem(bytes).unwrap();
    let summary = overprint::apply(&mut doc).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    (out, summary)
}

#[test]
fn text_in_a_form_overprints_and_a_form_drawn_two_ways_is_copied() {
    // A form with K100 text and a 0.8 pt K100 rule, drawn at full size and at twice the
    // size (where the rule is 1.6 pt and must knock out): two rewrites, so two objects.
    let bytes = pdf(|doc| {
        let font = font(doc);
        let form = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font.clone() } },
            },
            b"0 0 0 1 k BT /F1 10 Tf 1 0 0 1 5 5 Tm (logo) Tj ET 0 0 0 1 K 0.8 w 0 0 m 90 0 l S"
                .to_vec(),
        );
        let form = doc.add_object(form);
        let content = b"q 1 0 0 1 50 700 cm /Fm0 Do Q q 2 0 0 2 50 400 cm /Fm0 Do Q".to_vec();
        (content, dictionary! { "XObject" => dictionary! { "Fm0" => form } })
    });
    let (out, summary) = finished(&bytes);
    assert_eq!((summary.text_runs, summary.rules, summary.unread), (2, 1, 0));
    let report = preflight::check(&out, Profile::Print).unwrap();
    let black = report.pages[0].black;
    assert_eq!((black.text, black.text_overprinting), (2, 2), "{black:?}");
    assert_eq!((black.rules, black.rules_overprinting), (1, 1), "the 1.6 pt one is no rule");
    assert!(!report.findings.iter().any(|f| f.check == "overprint"), "{:?}", report.findings);

    let doc = Document::load_mem(&out).unwrap();
    let page = doc.get_pages()[&1];
    let content = String::from_utf8(doc.get_page_content(page)).unwrap();
    assert!(content.contains("/Fm0 Do") && content.contains("/Fm0_op Do"), "{content}");
    let forms: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        .map(|s| String::from_utf8(s.decompressed_content().unwrap()).unwrap())
        .collect();
    assert_eq!(forms.len(), 2, "{forms:?}");
    assert!(forms.iter().all(|f| f.contains("Tm\n/GSop111 gs (logo) Tj")), "{forms:?}");
    // Only the copy drawn at twice the size switches back before its (1.6 pt) rule.
    assert_eq!(forms.iter().filter(|f| f.contains("/GSop000 gs")).count(), 1, "{forms:?}");
}

#[test]
fn the_preflight_sees_what_the_series_asked_for() {
    let content = b"0.1 0 0 0 k 0 0 595 842 re f 0 0 0 1 k BT /F1 10 Tf 1 0 0 1 50 50 Tm (k) Tj ET";
    let bytes = pdf(|doc| {
        let font = font(doc);
        (content.to_vec(), dictionary! { "Font" => dictionary! { "F1" => font } })
    });
    let off = Expect { overprint_black: false };
    // As Typst wrote it: knocks out, which is right only when the series turned it off.
    let knocking = preflight::check(&bytes, Profile::Print).unwrap();
    assert!(knocking.findings.iter().any(|f| f.check == "overprint"), "{knocking:?}");
    let line = knocking.overprint.unwrap().line();
    assert_eq!(line, "no, 1 text run(s) knock out");
    let asked = preflight::check_with(&bytes, Profile::Print, &off).unwrap();
    assert!(!asked.findings.iter().any(|f| f.check == "overprint"), "{asked:?}");
    assert_eq!(
        asked.overprint.unwrap().line(),
        "no (turned off by the series), 1 text run(s) knock out"
    );
    // Finished: overprints, which is a warning only when it was turned off.
    let (out, _) = finished(&bytes);
    let over = preflight::check(&out, Profile::Print).unwrap();
    assert_eq!(over.overprint.unwrap().line(), "yes, 1 text run(s)");
    assert!(!over.findings.iter().any(|f| f.check == "overprint"), "{over:?}");
    let unasked = preflight::check_with(&out, Profile::Print, &off).unwrap();
    assert!(unasked.findings.iter().any(|f| f.check == "overprint"), "{unasked:?}");
    // The ExtGState is the one PDF/X-1a expects.
    let doc = Document::load_mem(&out).unwrap();
    let state = doc.objects.values().filter_map(|o| o.as_dict().ok()).find(|d| d.has(b"OPM"));
    let state = state.expect("an ExtGState");
    assert_eq!(state.get(b"OP").unwrap(), &Object::Boolean(true));
    assert_eq!(state.get(b"op").unwrap(), &Object::Boolean(true));
    assert_eq!(state.get(b"OPM").unwrap(), &Object::Integer(1));
}

#[test]
fn white_text_that_overprints_is_an_error() {
    let content = b"/W gs 0 0 0 0 k BT /F1 10 Tf 1 0 0 1 50 50 Tm (w) Tj ET";
    let bytes = pdf(|doc| {
        let font = font(doc);
        let white = dictionary! { "Type" => "ExtGState", "op" => true, "OPM" => 1 };
        let states = dictionary! { "W" => Object::Dictionary(white) };
        (
            content.to_vec(),
            dictionary! { "Font" => dictionary! { "F1" => font }, "ExtGState" => states },
        )
    });
    let report = preflight::check(&bytes, Profile::Print).unwrap();
    let found: Vec<_> = report.findings.iter().filter(|f| f.check == "overprint").collect();
    assert!(found.len() == 1 && found[0].level == preflight::Level::Error, "{found:?}");
    // And the pass never makes white overprint.
    let plain = pdf(|doc| {
        let font = font(doc);
        (
            b"0 0 0 0 k BT /F1 10 Tf (w) Tj ET".to_vec(),
            dictionary! { "Font" => dictionary! { "F1" => font } },
        )
    });
    let (out, summary) = finished(&plain);
    assert_eq!(summary.text_runs, 0);
    assert_eq!(out, plain_saved(&plain), "nothing to change");
}

/// `bytes` loaded and saved again by lopdf, unchanged.
fn plain_saved(bytes: &[u8]) -> Vec<u8> {
    let mut doc = Document::load_mem(bytes).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

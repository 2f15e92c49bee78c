//! Black overprint (墨ノセ) in the print PDF, seen on the plates: Ghostscript's `tiffsep`
//! device separates VOL.10 into its Cyan, Magenta, Yellow and Black plates, once as kaiho
//! builds it and once with the series switch off; the preflight says which it is; the switch
//! is validated like every key.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::{kaiho, project, root, shared, temp, tool, vol10_pdf, vol10_screen_pdf};

/// VOL.10 built once per run with `print: { overprint-black: false }` in its series.
fn knock_out_pdf() -> &'static Path {
    static PDF: OnceLock<PathBuf> = OnceLock::new();
    PDF.get_or_init(|| {
        shared("knock-out", |dir| {
            let series = std::fs::read_to_string(root().join("data/series.yaml")).unwrap();
            let series = format!("{series}print:\n  overprint-black: false\n");
            std::fs::write(dir.join("series.yaml"), series).unwrap();
            std::fs::copy(root().join("data/vol10.yaml"), dir.join("vol10.yaml")).unwrap();
            let pdf = dir.join("knock-out.pdf");
            let volume = dir.join("vol10.yaml");
            let run = kaiho(&["build", volume.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
            let run = run.ok();
            assert!(
                !run.stderr.contains("overprint"),
                "the preflight expects what the series asks: {}",
                run.stderr
            );
        })
        .join("knock-out.pdf")
    })
}

/// One plate of one page: ink per pixel, 0 (none) to 255 (solid).
struct Plate {
    width: usize,
    ink: Vec<u8>,
}

const PLATES: [&str; 4] = ["Cyan", "Magenta", "Yellow", "Black"];

/// The plates of every page of `pdf` at 150 ppi, `[page][plate]`. Overprint is enabled
/// explicitly (`-dOverprint=/enable`, Ghostscript's default for separation devices) so the
/// result does not depend on the installed version's default.
fn separations(pdf: &Path, dir: &Path) -> Vec<[Plate; 4]> {
    let out = dir.join("page-%d.tif");
    tool(
        "gs",
        &[
            "-q",
            "-dSAFER",
            "-dBATCH",
            "-dNOPAUSE",
            "-sDEVICE=tiffsep",
            "-dOverprint=/enable",
            "-sCompression=none",
            "-r150",
            &format!("-sOutputFile={}", out.display()),
            pdf.to_str().unwrap(),
        ],
    );
    (1..)
        .map_while(|page| {
            let plate = |name: &str| dir.join(format!("page-{page}({name}).tif"));
            plate("Black").exists().then(|| PLATES.map(|name| read_plate(&plate(name))))
        })
        .collect()
}

fn read_plate(path: &Path) -> Plate {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::tags::Tag;
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = Decoder::new(file).unwrap();
    // tiffsep writes each plate as grey, black is zero: full ink is 0.
    assert_eq!(decoder.get_tag_u32(Tag::PhotometricInterpretation).unwrap(), 1, "{path:?}");
    let (width, _) = decoder.dimensions().unwrap();
    let DecodingResult::U8(grey) = decoder.read_image().unwrap() else {
        panic!("{path:?} is not 8-bit")
    };
    Plate { width: width as usize, ink: grey.into_iter().map(|v| 255 - v).collect() }
}

/// Pixels of solid black that lie on a colour: each horizontal run of solid black whose
/// neighbours left and right carry the same ink on `plate` (in the knock-out render, where
/// the colour shows around the glyph), with that ink.
fn black_on_colour(knock_out: &[Plate; 4], plate: usize) -> Vec<(usize, u8)> {
    let (black, colour) = (&knock_out[3], &knock_out[plate]);
    let mut found = Vec::new();
    for row in black.ink.chunks(black.width).enumerate().map(|(y, r)| (y * black.width, r)) {
        let (start, pixels) = row;
        let mut x = 0;
        while x < pixels.len() {
            if pixels[x] < 255 {
                x += 1;
                continue;
            }
            let run = x..x + pixels[x..].iter().take_while(|&&v| v == 255).count();
            x = run.end;
            let (Some(left), Some(right)) =
                (run.start.checked_sub(1), Some(run.end).filter(|&r| r < pixels.len()))
            else {
                continue;
            };
            let (l, r) = (colour.ink[start + left], colour.ink[start + right]);
            if l > 0 && l == r {
                found.extend(run.map(|i| (start + i, l)));
            }
        }
    }
    found
}

#[test]
fn black_text_overprints_the_tint_on_the_plates_and_knocks_out_when_turned_off() {
    let dir = temp();
    let (on_dir, off_dir) = (dir.path().join("on"), dir.path().join("off"));
    std::fs::create_dir_all(&on_dir).unwrap();
    std::fs::create_dir_all(&off_dir).unwrap();
    // The two renders are independent: side by side, the test takes half as long.
    let (overprint, knock_out) = std::thread::scope(|scope| {
        let off = scope.spawn(|| separations(knock_out_pdf(), &off_dir));
        (separations(vol10_pdf(), &on_dir), off.join().unwrap())
    });
    assert_eq!(overprint.len(), 2);
    assert_eq!(knock_out.len(), 2);
    let mut under_black = 0;
    for (page, (on, off)) in overprint.iter().zip(&knock_out).enumerate() {
        let page = page + 1;
        // The black plate is the same; the other plates differ only under solid black,
        // where the knock-out render has a hole and the overprinting one keeps the colour.
        assert!(on[3].ink == off[3].ink, "page {page}: the black plate changed");
        for plate in 0..3 {
            let differ: Vec<usize> = (0..on[plate].ink.len())
                .filter(|&i| on[plate].ink[i] != off[plate].ink[i])
                .collect();
            let name = PLATES[plate];
            assert!(
                differ.iter().all(|&i| on[3].ink[i] == 255),
                "page {page} {name}: a change beside the black"
            );
            assert!(
                differ.iter().all(|&i| off[plate].ink[i] == 0 && on[plate].ink[i] > 0),
                "page {page} {name}"
            );
            // Under black glyphs on a colour: the overprinting plate keeps that colour's ink
            // under every pixel, the knock-out plate has none under any.
            let on_colour = black_on_colour(off, plate);
            let kept = on_colour.iter().filter(|&&(i, ink)| on[plate].ink[i] == ink).count();
            let holes = on_colour.iter().filter(|&&(i, _)| off[plate].ink[i] == 0).count();
            let mut inks: Vec<u8> = on_colour.iter().map(|&(_, ink)| ink).collect();
            inks.sort_unstable();
            inks.dedup();
            eprintln!(
                "page {page} {name}: {} black pixels on a colour (inks {inks:?} of 255); overprint keeps the ink under {kept}, knock-out leaves {holes} holes; {} pixels differ",
                on_colour.len(),
                differ.len()
            );
            assert_eq!(kept, on_colour.len(), "page {page} {name}: knocked out under black");
            assert_eq!(holes, on_colour.len(), "page {page} {name}: the switch did not knock out");
            under_black += on_colour.len();
        }
    }
    // VOL.10 has black text on its tint boxes (C8 Y6) on both pages.
    assert!(under_black > 10_000, "only {under_black} black pixels on a colour");
}

#[test]
fn the_preflight_says_whether_black_overprints() {
    let dir = temp();
    let pdf = vol10_pdf().to_str().unwrap();
    let on = kaiho(&["preflight", pdf]).ok();
    let line = on.stdout.lines().find(|l| l.contains("black overprint")).expect(&on.stdout);
    assert!(
        line.starts_with("  black overprint (墨ノセ): yes, ") && line.ends_with(" text run(s)"),
        "{line}"
    );
    let off = knock_out_pdf().to_str().unwrap();
    let asked = kaiho(&["preflight", "--no-overprint-black", off]).ok();
    assert!(
        asked.stdout.contains("black overprint (墨ノセ): no (turned off by the series), "),
        "{}",
        asked.stdout
    );
    assert!(asked.stdout.contains("(0 error(s), 0 warning(s))"), "{}", asked.stdout);
    // Checked as if overprint were expected, the knock-out file is flagged.
    let expected = kaiho(&["preflight", off]).ok();
    assert!(
        expected.stdout.contains("K100 text run(s) knock out the colours beneath; black overprint (墨ノセ) was expected [overprint]"),
        "{}",
        expected.stdout
    );
    let json = kaiho(&["preflight", "--json", pdf]).ok();
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let overprint = &report["overprint"];
    assert_eq!(overprint["expected"], true);
    assert!(overprint["text"].as_u64().unwrap() > 100, "{overprint}");
    assert_eq!(overprint["text"], overprint["text_overprinting"]);
    // Only the print profile overprints.
    let screen = vol10_screen_pdf();
    let qdf = dir.path().join("screen-qdf.pdf");
    tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", screen.to_str().unwrap(), qdf.to_str().unwrap()],
    );
    assert!(
        !std::fs::read(&qdf).unwrap().windows(4).any(|w| w == b"/OPM"),
        "the screen PDF overprints"
    );
}

#[test]
fn the_switch_is_validated_like_every_key() {
    for (print, expected) in [
        (
            "print:\n  overprint-blak: false\n",
            &["hint: did you mean `overprint-black`? allowed here: overprint-black"][..],
        ),
        (
            "print:\n  overprint-black: nein\n",
            &[
                "error: invalid boolean (strict mode expects true/false)\n  at print.overprint-black",
                "hint: write true or false",
            ],
        ),
    ] {
        let dir = project(&[("vol1.yaml", &crate::support::volume_with("      - masthead: {}\n"))]);
        let series = std::fs::read_to_string(dir.path().join("series.yaml")).unwrap();
        std::fs::write(dir.path().join("series.yaml"), format!("{series}{print}")).unwrap();
        let run = kaiho(&["check", dir.path().join("vol1.yaml").to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let err = run.stderr.replace(dir.path().to_str().unwrap(), "DIR");
        assert!(err.contains("DIR/series.yaml:"), "{err}");
        for expected in expected {
            assert!(err.contains(expected), "{err}");
        }
    }
}

//! Reference images: VOL.10's pages rendered small and compared with reviewed PNGs.
//!
//! A page may differ from its reference by anti-aliasing noise, not by a moved line. On a
//! failure the test writes the new render and a diff image (changed pixels in red) under
//! `target/reference-diff/`. `KAIHO_BLESS=1 cargo test reference` rewrites the references;
//! look at them before committing.

use std::path::{Path, PathBuf};

use crate::support::*;

/// Proof resolution: enough to see every block and line, small enough to commit.
const PPI: &str = "40";

struct Image {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

fn decode(path: &Path) -> Image {
    let png = png_pixels(path);
    let rgba = png
        .data
        .chunks(png.channels)
        .flat_map(|p| match png.channels {
            4 => [p[0], p[1], p[2], p[3]],
            3 => [p[0], p[1], p[2], 255],
            _ => [p[0], p[0], p[0], 255],
        })
        .collect();
    Image { width: png.width, height: png.height, rgba }
}

fn encode(path: &Path, image: &Image) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, image.width, image.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(&image.rgba).unwrap();
}

/// Share of pixels whose colour differs by more than `threshold` in any channel, and the
/// diff image.
fn compare(actual: &Image, reference: &Image, threshold: u8) -> (f64, Image) {
    let mut changed = 0usize;
    let mut diff = Vec::with_capacity(actual.rgba.len());
    for (a, r) in actual.rgba.chunks(4).zip(reference.rgba.chunks(4)) {
        let differs = a.iter().zip(r).any(|(x, y)| x.abs_diff(*y) > threshold);
        changed += usize::from(differs);
        let grey = ((u32::from(r[0]) + u32::from(r[1]) + u32::from(r[2])) / 6 + 128) as u8;
        diff.extend(if differs { [255, 0, 0, 255] } else { [grey, grey, grey, 255] });
    }
    let share = changed as f64 / (actual.width * actual.height) as f64;
    (share, Image { width: actual.width, height: actual.height, rgba: diff })
}

#[test]
fn vol10_pages_match_their_reviewed_references() {
    let dir = temp();
    let pattern = dir.path().join("vol10.png");
    kaiho_build("data/vol10.yaml", pattern.to_str().unwrap(), &["--format", "png", "--ppi", PPI])
        .ok();
    let bless = std::env::var_os("KAIHO_BLESS").is_some_and(|v| v == "1");
    let out = root().join("target/reference-diff");
    let mut failures = Vec::new();
    for page in 1..=2 {
        let rendered = dir.path().join(format!("vol10-{page}.png"));
        let reference: PathBuf = root().join(format!("tests/reference/vol10-{page}.png"));
        if bless {
            std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
            std::fs::copy(&rendered, &reference).unwrap();
            continue;
        }
        assert!(
            reference.is_file(),
            "no reference {}; create it with KAIHO_BLESS=1",
            reference.display()
        );
        let (actual, expected) = (decode(&rendered), decode(&reference));
        assert_eq!(
            (actual.width, actual.height),
            (expected.width, expected.height),
            "page {page} size"
        );
        let (share, diff) = compare(&actual, &expected, 48);
        // Half a percent of the pixels: anti-aliasing may shift, a moved word may not.
        if share > 0.005 {
            std::fs::create_dir_all(&out).unwrap();
            std::fs::copy(&rendered, out.join(format!("vol10-{page}-actual.png"))).unwrap();
            encode(&out.join(format!("vol10-{page}-diff.png")), &diff);
            failures.push(format!("page {page}: {:.2}% of the pixels differ", share * 100.0));
        }
    }
    assert!(failures.is_empty(), "{}; see {}", failures.join(", "), out.display());
}

#[test]
fn the_comparison_sees_a_moved_block() {
    // The comparison itself must be able to fail: a copy of page 1 shifted by 3 pixels.
    let reference = decode(&root().join("tests/reference/vol10-1.png"));
    let row = reference.width as usize * 4;
    let mut moved = vec![255u8; row * 3];
    moved.extend_from_slice(&reference.rgba[..reference.rgba.len() - row * 3]);
    let shifted = Image { width: reference.width, height: reference.height, rgba: moved };
    let (share, _) = compare(&shifted, &reference, 48);
    assert!(share > 0.005, "a 3-pixel shift went unnoticed ({share})");
    let (same, _) = compare(&reference, &reference, 48);
    assert_eq!(same, 0.0);
}

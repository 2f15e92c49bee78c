//! Benchmarks of kaiho's in-process stages on VOL.10: `cargo bench`.
//!
//! Whole-process timings (kaiho against `typst compile`) are in `scripts/bench`; these
//! show where the time of one build goes, and what a rebuild after an edit costs when the
//! engine stays warm, as `kaiho watch` keeps it.

use std::path::Path;

use divan::Bencher;
use kaiho::fonts::{FontSearch, FontSet};
use kaiho::profile::Profile;
use kaiho::project::{self, Loaded};
use kaiho::typeset::Engine;

fn main() {
    divan::main();
}

const VOL10: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vol10.yaml");

fn search() -> FontSearch {
    FontSearch { extra: vec![], project: None, system: true }
}

fn loaded() -> Loaded {
    project::load(Path::new(VOL10), None).expect("VOL.10 is valid")
}

fn engine(loaded: &Loaded) -> Engine {
    Engine::for_series(&loaded.series, &search(), None).expect("fonts and layout")
}

#[divan::bench]
fn load_and_validate() -> Loaded {
    loaded()
}

#[divan::bench]
fn font_discovery() -> FontSet {
    FontSet::discover(&search(), &["Noto Sans CJK JP", "Noto Serif CJK JP"]).expect("Noto CJK")
}

/// A full compile: Typst's caches emptied first, and no measurement remembered.
#[divan::bench]
fn compile_cold(bencher: Bencher) {
    let loaded = loaded();
    let engine = engine(&loaded).remembering(false);
    let profile = Profile::Print.for_layout(false);
    bencher.bench_local(|| {
        typst::comemo::evict(0);
        engine.typeset(&loaded, &profile).expect("VOL.10 typesets")
    });
}

/// Building an unchanged volume again: every measurement is remembered, so one compile.
#[divan::bench]
fn compile_remembered(bencher: Bencher) {
    let loaded = loaded();
    let engine = engine(&loaded);
    let profile = Profile::Print.for_layout(false);
    engine.typeset(&loaded, &profile).expect("VOL.10 typesets");
    bencher.bench_local(|| engine.typeset(&loaded, &profile).expect("VOL.10 typesets"));
}

/// A rebuild after editing one text, with Typst's caches warm (as in watch mode).
#[divan::bench]
fn rebuild_after_one_edit(bencher: Bencher) {
    let loaded = loaded();
    let engine = engine(&loaded);
    let profile = Profile::Print.for_layout(false);
    engine.typeset(&loaded, &profile).expect("VOL.10 typesets");
    let mut edited = loaded.clone();
    let mut flip = false;
    bencher.bench_local(move || {
        flip = !flip;
        let kaiho::model::BlockKind::Headline(h) = &mut edited.volume.pages[0].blocks[1].kind
        else {
            unreachable!("VOL.10's second block is its headline")
        };
        let title =
            if flip { "小泉市政2期8年の歩み" } else { "小泉市政2期8年の足跡" };
        h.title = kaiho::rich::RichText::parse(title).0;
        engine.typeset(&edited, &profile).expect("VOL.10 typesets")
    });
}

#[divan::bench(args = [Profile::Print, Profile::Screen, Profile::Archive])]
fn pdf_export(bencher: Bencher, profile: Profile) {
    let loaded = loaded();
    let engine = engine(&loaded);
    let typeset = engine.typeset(&loaded, &profile.for_layout(false)).expect("VOL.10 typesets");
    let date = kaiho::typeset::today(loaded.volume.date);
    bencher.bench_local(|| {
        kaiho::export::pdf(&typeset.document, &loaded.series, &loaded.volume, date, profile)
            .expect("exports")
    });
}

/// VOL.10's print PDF, as `kaiho build` writes it.
fn print_pdf() -> Vec<u8> {
    let loaded = loaded();
    let engine = engine(&loaded);
    let typeset =
        engine.typeset(&loaded, &Profile::Print.for_layout(false)).expect("VOL.10 typesets");
    let date = kaiho::typeset::today(loaded.volume.date);
    kaiho::export::pdf(&typeset.document, &loaded.series, &loaded.volume, date, Profile::Print)
        .expect("exports")
}

#[divan::bench]
fn preflight(bencher: Bencher) {
    let pdf = print_pdf();
    bencher.bench_local(|| kaiho::preflight::check(&pdf, Profile::Print).expect("reads"));
}

/// The text of both pages through hayro-interpret, as the archive would read a past issue.
#[divan::bench]
fn pdf_text(bencher: Bencher) {
    let pdf = print_pdf();
    bencher.bench_local(|| {
        let doc = kaiho::pdf::Document::read(&pdf).expect("reads");
        doc.pages().iter().map(|page| kaiho::pdf::text::glyphs(page).len()).sum::<usize>()
    });
}

#[divan::bench]
fn png_render_150ppi(bencher: Bencher) {
    let loaded = loaded();
    let engine = engine(&loaded);
    let typeset =
        engine.typeset(&loaded, &Profile::Print.for_layout(false)).expect("VOL.10 typesets");
    bencher.bench_local(|| kaiho::proof::pages(&typeset.document, 150.0, None).expect("renders"));
}

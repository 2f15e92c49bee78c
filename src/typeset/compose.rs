//! Choosing a volume's composition: the body size, by measuring compiles and the search
//! of [`composition`], then looser leading and larger type for pages with room to spare;
//! the remembered measurements; and the warnings and errors about pages that stay sparse
//! or do not fit.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Engine, LayoutData, cannot_encode, compile, layout_data};
use crate::composition::memo::{Fingerprint, Recall};
use crate::composition::{self, Composition, Context, Photos, Trial, measure};
use crate::diag::Diagnostic;
use crate::fonts::FontSet;
use crate::images::{self, Prepared};
use crate::layout::Layout;
use crate::model::{BlockKind, Series, Volume};
use crate::profile::LayoutProfile;
use crate::project::Loaded;
use crate::world::KaihoWorld;

impl Engine {
    /// Chooses the volume's body size and every page's arrangement: measures the blocks at
    /// a body size (one compile), arranges the pages, and bisects over the layout's sizes
    /// for the largest at which every page fits. A volume that fits at the largest size
    /// and still keeps a band of empty space then tries the sizes past it (`body-grow`),
    /// the same way, and keeps the larger type when it leaves less band. Returns the trial
    /// chosen (at the smallest size when nothing fits) and warnings for pages left sparse
    /// at the largest size.
    pub(super) fn compose(
        &self,
        world: &mut KaihoWorld,
        loaded: &Loaded,
        photos: &[images::Prepared],
        profile: &LayoutProfile,
    ) -> Result<(Trial, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (series, volume) = (&loaded.series, &loaded.volume);
        let pixels: Photos = photos.iter().map(|p| (p.src.clone(), p.pixels)).collect();
        let cx = Context { volume, paper: series.paper, rules: &self.rules, photos: &pixels };
        let shown = images::with_prepared_paths(volume, photos);
        let mut recall = self.recall(series, &shown, profile, photos, &loaded.volume_file.path)?;
        let mut settle = |world: &mut KaihoWorld, sizes: &[f64]| {
            self.settle(world, &mut recall, &cx, (series, &shown, profile), sizes)
        };
        let sizes = self.rules.type_.sizes();
        let (chosen, mut trial, cost) = settle(world, &sizes)?;
        let largest = chosen == 0;
        if !largest && trial.fits() {
            // The type was set smaller to fit; a step or two smaller still may compose
            // the pages much better (a photo too tall for the room left, lines too short
            // on a grid of more columns).
            let step = self.rules.objective.shrink * trial.pages.len() as f64;
            let last = (chosen + self.rules.type_.shrink_steps()).min(sizes.len() - 1);
            let mut tried: Vec<Option<Trial>> = (0..sizes.len()).map(|_| None).collect();
            let mut failed = None;
            let keep = composition::shrink(&sizes, chosen, last, cost, step, |i| {
                if failed.is_some() {
                    return None;
                }
                match settle(world, &sizes[i..=i]) {
                    Ok((_, smaller, c)) => {
                        let fits = smaller.fits();
                        tried[i] = Some(smaller);
                        fits.then_some(c)
                    }
                    Err(e) => {
                        failed = Some(e);
                        None
                    }
                }
            });
            if let Some(errors) = failed {
                return Err(errors);
            }
            if let Some(t) = tried[keep].take() {
                trial = t;
            }
        }
        let grown = self.rules.type_.grown_sizes();
        let before = cx.band_mm(&trial);
        if largest && !grown.is_empty() && before > 0.0 {
            let (_, bigger, _) = settle(world, &grown)?;
            let after = cx.band_mm(&bigger);
            let pitch_mm = self.rules.type_.pitch * trial.body / composition::grid::PT_PER_MM;
            let worth = composition::worth_growing(&trial, &bigger, (before, after), pitch_mm);
            crate::trace::mark(|| {
                format!("grown to {} pt: band {before:.1} → {after:.1} mm: {worth}", bigger.body)
            });
            if worth {
                trial = bigger;
            }
        }
        if let Some(cache) = self.cache_dir() {
            recall.store(&cache, &loaded.volume_file.path, profile.name.name());
        }
        // A page that does not fit is an error, and pages beside it are not worth a word.
        let warnings = if largest || trial.fits() {
            sparse_warnings(&trial, &cx, &loaded.volume_file.path, largest)
        } else {
            Vec::new()
        };
        Ok((trial, warnings))
    }

    /// The largest of `sizes` (largest first) at which every page fits, as its index, its
    /// trial (the smallest when none fits) and what the trial cost before loosening: one
    /// measuring compile per size tried ([`composition::choose_size`]). Pages that keep a
    /// band of empty space at that size then try looser leading: one more measuring
    /// compile for all of them.
    fn settle(
        &self,
        world: &mut KaihoWorld,
        recall: &mut Recall<'_>,
        cx: &Context,
        (series, shown, profile): (&Series, &Volume, &LayoutProfile),
        sizes: &[f64],
    ) -> Result<(usize, Trial, f64), Vec<Diagnostic>> {
        let mut trials: Vec<Option<Trial>> = (0..sizes.len()).map(|_| None).collect();
        let mut failed: Option<Vec<Diagnostic>> = None;
        let chosen = composition::choose_size(sizes, |i| {
            if failed.is_some() {
                return (true, 1.0);
            }
            let (request, plans) = cx.requests(sizes[i]);
            match self.measure(world, recall, series, shown, profile, request) {
                Ok(heights) => {
                    let trial = cx.trial(sizes[i], &plans, &heights);
                    crate::trace::mark(|| trial.summary());
                    let answer = (trial.fits(), trial.need());
                    trials[i] = Some(trial);
                    answer
                }
                Err(e) => {
                    failed = Some(e);
                    (true, 1.0)
                }
            }
        });
        if let Some(errors) = failed {
            return Err(errors);
        }
        let mut trial = trials[chosen].take().expect("the chosen size was tried");
        let cost = trial.cost();
        if let Some((request, loosening)) = cx.loosening(&trial) {
            let heights = self.measure(world, recall, series, shown, profile, request)?;
            cx.loosen(&mut trial, &loosening, &heights);
            crate::trace::mark(|| trial.summary());
        }
        Ok((chosen, trial, cost))
    }

    /// The memo's view of one volume: its fingerprint (the data every block may read, the
    /// layout, the fonts, the photos), with what an earlier build of the same volume file
    /// left in the cache folder.
    fn recall(
        &self,
        series: &Series,
        shown: &Volume,
        profile: &LayoutProfile,
        photos: &[Prepared],
        volume_file: &Path,
    ) -> Result<Recall<'_>, Vec<Diagnostic>> {
        if let Some(cache) = self.cache_dir() {
            self.memo.load(&cache, volume_file, profile.name.name());
        }
        let data = serde_json::to_value(LayoutData::new(series, shown, profile, None, None))
            .map_err(|e| vec![cannot_encode(e)])?;
        let mut pictures = Vec::new();
        for p in photos {
            pictures.extend_from_slice(p.virtual_path.as_bytes());
            pictures.extend_from_slice(&Sha256::digest(p.bytes.as_slice()));
        }
        let fingerprint = Fingerprint::new(&data, &[&self.measuring, &pictures]);
        Ok(Recall::new(&self.memo, fingerprint, self.remembering))
    }

    /// Where measurements are kept between processes, if they are remembered at all.
    fn cache_dir(&self) -> Option<PathBuf> {
        self.remembering.then(crate::fonts::cache_dir).flatten()
    }

    /// The extents of what `request` asks: remembered ones from the memo, the rest from
    /// one measuring compile of just them (none when everything is remembered).
    fn measure(
        &self,
        world: &mut KaihoWorld,
        recall: &mut Recall<'_>,
        series: &Series,
        shown: &Volume,
        profile: &LayoutProfile,
        request: measure::Measure,
    ) -> Result<measure::Heights, Vec<Diagnostic>> {
        let asked = request.requests.len();
        let (mut heights, left) = recall.split(request);
        crate::trace::mark(|| {
            format!(
                "measure at {} pt: {asked} requests, {} remembered",
                left.body,
                asked - left.requests.len()
            )
        });
        if left.requests.is_empty() {
            return Ok(heights);
        }
        world
            .set_data(layout_data(series, shown, profile, None, Some(&left)).map_err(|d| vec![d])?);
        let (document, warnings) = compile(world)?;
        crate::trace::mark(|| {
            let said: Vec<_> = warnings.iter().map(|w| &w.message).collect();
            format!("measured, {} warning(s): {said:?}", warnings.len())
        });
        let measured = measure::heights(&document);
        recall.learn(&left, &measured);
        heights.extend(measured);
        Ok(heights)
    }
}

/// The bytes of what measuring reads besides the volume: every file of the layout, and
/// each face's file, index and the file's size and time (a font updated in place measures
/// differently).
pub(super) fn measuring_inputs(fonts: &FontSet, layout: &Layout) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in &layout.files {
        out.extend_from_slice(&(name.len() as u64).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&Sha256::digest(bytes));
    }
    for face in fonts.faces() {
        let stamp = std::fs::metadata(&face.path).ok().map(|m| {
            let time = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            (m.len(), time.map_or(0, |d| d.as_nanos()))
        });
        out.extend_from_slice(format!("{:?} {} {:?}\n", face.path, face.index, stamp).as_bytes());
    }
    out
}

/// A page under this share full at the largest sizes is worth a warning.
const SPARSE: f64 = 0.7;

/// A page that keeps more than this empty at its foot (mm) at the largest sizes is worth a
/// warning too, however full its rows are: its content runs out before its foot, and the
/// band reads as a hole (the quality floor allows no empty band taller than this).
const FOOT_MM: f64 = 15.0;

/// Warnings for pages that stay sparse: under [`SPARSE`] full, or keeping more than
/// [`FOOT_MM`] empty at their foot. `largest`: the
/// type is at its largest; else it is held smaller by a fuller page (one size serves the
/// whole volume), and moving a block over is the first remedy.
fn sparse_warnings(trial: &Trial, cx: &Context, file: &Path, largest: bool) -> Vec<Diagnostic> {
    let (feet, volume) = (cx.feet_mm(trial), cx.volume);
    let size = if largest {
        format!("even with body text at its largest ({} pt)", trial.body)
    } else {
        format!("with body text at {} pt, as small as the fullest page needs it", trial.body)
    };
    let first = if largest {
        "add content, merge it with another page"
    } else {
        "move a block here from a fuller page, add content"
    };
    // The page that holds the type at its size: at the next size up it would not fit.
    // Moving a block to it from a fuller page is no remedy for it.
    let fullest = trial.fullest();
    let mut out = Vec::new();
    for (index, (grid, arrangement)) in trial.pages.iter().enumerate() {
        let (size, first) = if !largest && fullest == Some(index) {
            let size = format!("with body text at {} pt, the largest at which it fits", trial.body);
            (size, "add a few lines of content")
        } else {
            (size.clone(), first)
        };
        // Only a page with a photo can give it more room, and only one narrower than the
        // page: a photo already across the page is as large as its pixels and proportions
        // let it be, and a taller picture is what would fill the page.
        let photos: Vec<&str> = volume.pages[index]
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Photo(_) | BlockKind::Gallery(_)))
            .map(|b| b.id.as_str())
            .collect();
        let narrower = arrangement.rows.iter().flat_map(|r| &r.stacks).any(|s| {
            // (A photo at the head of its story's columns is one column wide.)
            (s.span < grid.columns || s.wrap)
                && s.cells.iter().any(|c| photos.contains(&c.id.as_str()))
        });
        let hint = if narrower {
            format!("{first}, or give a photo more room (span: full)")
        } else if !photos.is_empty() {
            format!("{first}, or use a taller photo (those here already span the page)")
        } else {
            format!("{first}, or add a photo")
        };
        let fill = composition::fill(grid, arrangement);
        let foot = feet.get(index).copied().unwrap_or(0.0);
        let message = if fill < SPARSE {
            format!("page {} is only {:.0}% full, {size}", index + 1, fill * 100.0)
        } else if foot > FOOT_MM {
            format!("page {} keeps about {foot:.0} mm empty at its foot, {size}", index + 1)
        } else {
            continue;
        };
        let first = volume.pages[index].blocks.first();
        out.push(
            Diagnostic::warning(file, message)
                .at(first.and_then(|b| b.at))
                .path(format!("pages[{index}]"))
                .hint(hint),
        );
    }
    out
}

/// Errors for pages that do not fit even at the smallest sizes, each on the first block
/// that runs past the foot of the page.
pub(super) fn overflow_reports(
    composition: &Composition,
    volume: &Volume,
    file: &Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, page) in composition.pages.iter().enumerate() {
        if page.over == 0 {
            continue;
        }
        let mut bottom = 0;
        let mut first = None;
        for row in &page.rows {
            bottom += row.gap + row.lines;
            if bottom > page.grid.lines {
                first = row.stacks.first().and_then(|s| s.cells.first()).map(|c| c.id.clone());
                break;
            }
        }
        let block =
            first.as_ref().and_then(|id| volume.pages[index].blocks.iter().find(|b| &b.id == id));
        let mm = f64::from(page.over) * page.grid.pitch / composition::grid::PT_PER_MM;
        out.push(
            Diagnostic::error(
                file,
                format!(
                    "page {} is too full: this block does not fit, and about {mm:.0} mm of the page runs past its foot",
                    index + 1
                ),
            )
            .at(block.and_then(|b| b.at))
            .path(first.unwrap_or_else(|| format!("pages[{index}]")))
            .hint(format!(
                "the text is already at the smallest size the layout allows ({} pt body); shorten the text of this page, or move a block to another page",
                composition.body
            )),
        );
    }
    out
}

//! Page composition: choosing, for each volume, a body size, and for each page a grid and
//! an arrangement of its blocks, by measuring the blocks and scoring arrangements.
//!
//! 1. The candidate body sizes come from the layout's rules (`composition.toml`). The
//!    volume's body size is the largest at which every page fits (bisection: one
//!    measuring compile per size tried), because larger type is what a bulletin's readers
//!    need first; one size serves every page, so every level keeps one style.
//! 2. At a body size, every page is tried on each column count the rules (or the page)
//!    allow. The grid's columns are whole characters wide ([`grid`]); each block is
//!    measured at every width it may take ([`measure`]) and snapped to whole lines.
//! 3. The search ([`search`]) finds the cheapest arrangement of the page on each grid; the
//!    cheapest of all grids is kept.
//!
//! The result, a [`Composition`], is data: the layout draws exactly it, and `kaiho eject`
//! writes it into `volume.json`, so plain `typst compile` draws the same pages.

pub mod gallery;
pub mod grid;
pub mod ink;
pub mod measure;
pub mod memo;
pub mod quality;
pub mod rules;
pub mod search;

mod pieces;

use serde::Serialize;

pub use self::grid::{Area, Grid};
pub use self::pieces::Photos;
pub use self::rules::Rules;
use self::search::{Arrangement, Space};
use crate::model::{Paper, Volume};

/// The chosen composition of a volume: what the layout draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Composition {
    /// Body size of the whole volume, points.
    pub body: f64,
    /// Line pitch of the volume, points; a page with room to spare may loosen its own
    /// (its grid's `pitch`).
    pub pitch: f64,
    /// Paper width and height, points (the trim).
    pub paper: [f64; 2],
    /// Margins of the text area: left/right, top, bottom, points.
    pub margin: [f64; 3],
    /// Empty lines between blocks stacked in one column.
    pub stack_gap: u32,
    /// The pages, in order.
    pub pages: Vec<PageComposition>,
}

/// One page as composed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageComposition {
    /// The grid.
    pub grid: Grid,
    /// The rows.
    pub rows: Vec<search::Row>,
    /// How full the page is, 0–1: the share of its grid's lines that are not left empty.
    pub fill: f64,
    /// Lines beyond the foot of the page (0 when it fits).
    pub over: u32,
}

/// The text area of a paper with the rules' margins.
pub fn area(paper: Paper, rules: &Rules) -> Area {
    let (w, h) = paper.size_mm();
    let m = &rules.paper;
    Area {
        width: (w - 2.0 * m.margin_x) * grid::PT_PER_MM,
        height: (h - m.margin_top - m.margin_bottom) * grid::PT_PER_MM,
    }
}

/// The best arrangement of every page at one body size.
pub struct Trial {
    /// The body size.
    pub body: f64,
    /// Per page: grid and arrangement.
    pub pages: Vec<(Grid, Arrangement)>,
}

impl Trial {
    /// Whether every page fits.
    pub fn fits(&self) -> bool {
        self.pages.iter().all(|(g, a)| a.over(g.lines) == 0)
    }

    /// What the arrangements of all pages cost together.
    pub fn cost(&self) -> f64 {
        self.pages.iter().map(|(_, a)| a.cost).sum()
    }

    /// Per page, the ratio of the lines it needs to the lines it has.
    fn needs(&self) -> impl Iterator<Item = f64> + '_ {
        self.pages.iter().map(|(g, a)| f64::from(a.needed) / f64::from(g.lines.max(1)))
    }

    /// The largest ratio, over the pages, of the lines they need to the lines they have.
    pub fn need(&self) -> f64 {
        self.needs().fold(0.0, f64::max)
    }

    /// The page that needs the most of its lines (the first of equals): the one that holds
    /// the volume's type at its size.
    pub fn fullest(&self) -> Option<usize> {
        self.needs()
            .enumerate()
            .fold(None, |best: Option<(usize, f64)>, (i, n)| match best {
                Some((_, b)) if b >= n => best,
                _ => Some((i, n)),
            })
            .map(|(i, _)| i)
    }

    /// A one-line-per-page account of the trial, for `KAIHO_TRACE`: grid, lines needed of
    /// lines there are, and the rows as `[stack | stack]` of `id:lines`.
    pub fn summary(&self) -> String {
        let mut out = format!("body {} pt", self.body);
        for (i, (g, a)) in self.pages.iter().enumerate() {
            out.push_str(&format!(
                "\n    page {}: {} col × {} chars, {}/{} lines, fill {:.0}%, cost {:.1}:",
                i + 1,
                g.columns,
                g.chars,
                a.needed,
                g.lines,
                fill(g, a) * 100.0,
                a.cost
            ));
            for row in &a.rows {
                let stacks: Vec<String> = row
                    .stacks
                    .iter()
                    .map(|s| {
                        let cells: Vec<String> = s
                            .cells
                            .iter()
                            .map(|c| {
                                let id = c.id.rsplit('.').next().unwrap_or(&c.id);
                                // A gallery's photos to a row: `b2:24/3`.
                                let per_row =
                                    c.per_row.map(|k| format!("/{k}")).unwrap_or_default();
                                format!("{id}:{}{per_row}", c.lines)
                            })
                            .collect();
                        format!("{}×{}", s.span, cells.join(" "))
                    })
                    .collect();
                out.push_str(&format!(" +{} [{}]={}", row.gap, stacks.join(" | "), row.lines));
            }
        }
        out
    }

    /// The composition the layout draws.
    pub fn composition(&self, paper: Paper, rules: &Rules) -> Composition {
        let (w, h) = paper.size_mm();
        let pt = grid::PT_PER_MM;
        let m = &rules.paper;
        Composition {
            body: self.body,
            pitch: self.body * rules.type_.pitch,
            paper: [w * pt, h * pt],
            margin: [m.margin_x * pt, m.margin_top * pt, m.margin_bottom * pt],
            stack_gap: rules.space.stack_gap,
            pages: self
                .pages
                .iter()
                .map(|(g, a)| PageComposition {
                    grid: g.clone(),
                    rows: spread_rows(g, a, &rules.space, area(paper, rules).height),
                    fill: fill(g, a),
                    over: a.over(g.lines),
                })
                .collect(),
        }
    }
}

/// The rows of an arrangement with what is left at the foot of the page shared out
/// between them, no empty band growing past `most_mm`: a page whose content ends a few
/// lines early keeps its blocks apart evenly instead of leaving a band at its foot. The
/// band a reader sees between two rows is the gap and what is blank at the foot of the
/// row above and the head of the row below (measured on their marks), so a row that is
/// already blank at an edge spreads less there.
fn spread_rows(
    grid: &Grid,
    a: &Arrangement,
    space: &rules::SpaceRules,
    height: f64,
) -> Vec<search::Row> {
    let (most_mm, stack_gap) = (space.gap_most_mm, space.stack_gap);
    let mut rows = a.rows.clone();
    tighten_gaps(grid, &mut rows, space);
    let gaps = rows.len().saturating_sub(1);
    let used: u32 = rows.iter().map(|r| r.gap + r.lines).sum();
    let mut free = height - grid.height_of(used);
    if gaps == 0 || free <= 0.0 || used > grid.lines {
        return rows;
    }
    let leading = grid.pitch - grid.body;
    let most = most_mm * grid::PT_PER_MM;
    // What each gap may still take, then share the free space evenly among the gaps that
    // can take it (a gap that is full passes its share on).
    let room: Vec<f64> = (1..rows.len())
        .map(|k| {
            let seen = f64::from(rows[k].gap) * grid.pitch
                + leading
                + blank_below(grid, &rows[k - 1], stack_gap)
                + blank_above(&rows[k]);
            (most - seen).max(0.0)
        })
        .collect();
    let mut extra = vec![0.0; room.len()];
    let mut open: Vec<usize> = (0..room.len()).filter(|&k| room[k] > 0.0).collect();
    while free > 1e-6 && !open.is_empty() {
        let share = free / open.len() as f64;
        let mut still = Vec::new();
        for &k in &open {
            let take = share.min(room[k] - extra[k]);
            extra[k] += take;
            free -= take;
            if room[k] - extra[k] > 1e-6 {
                still.push(k);
            }
        }
        open = still;
    }
    for (row, e) in rows.iter_mut().skip(1).zip(extra) {
        row.extra = e;
    }
    rows
}

/// Takes a line out of each gap between rows whose white is still at least the least gap
/// without it: the blank at the foot of the row above and at the head of the row below
/// (a headline snapped to whole lines, a short stack) is white a reader sees as part of
/// the gap. A line taken out goes to the foot, and from there is shared out again.
fn tighten_gaps(grid: &Grid, rows: &mut [search::Row], space: &rules::SpaceRules) {
    let leading = grid.pitch - grid.body;
    let least = f64::from(space.gap_min) * grid.pitch + leading;
    for k in 1..rows.len() {
        let edges = blank_below(grid, &rows[k - 1], space.stack_gap) + blank_above(&rows[k]);
        while rows[k].gap > 0
            && f64::from(rows[k].gap - 1) * grid.pitch + leading + edges >= least - 0.01
        {
            rows[k].gap -= 1;
        }
    }
}

/// Blank above a row's first marks: the least over its stacks.
fn blank_above(row: &search::Row) -> f64 {
    row.stacks
        .iter()
        .map(|s| s.stacked().first().map_or(0.0, |c| c.blank[0]))
        .fold(f64::INFINITY, f64::min)
        .min(1e6)
}

/// Blank below a row's last marks: the least over its stacks, a stack shorter than its
/// row being blank for the rest.
fn blank_below(grid: &Grid, row: &search::Row, stack_gap: u32) -> f64 {
    row.stacks
        .iter()
        .map(|s| {
            let cells = s.stacked();
            let lines: u32 = cells.iter().map(|c| c.lines).sum::<u32>()
                + stack_gap * cells.len().saturating_sub(1) as u32;
            let short = row.lines.saturating_sub(lines);
            cells.last().map_or(0.0, |c| c.blank[1]) + f64::from(short) * grid.pitch
        })
        .fold(f64::INFINITY, f64::min)
        .min(1e6)
}

/// The empty space a composed page keeps at its foot once its rows are spread (see
/// [`spread_rows`]), blank below its last marks included, in mm: more than `most_mm`
/// reads as a band.
pub fn foot_mm(grid: &Grid, a: &Arrangement, space: &rules::SpaceRules, height: f64) -> f64 {
    let rows = spread_rows(grid, a, space, height);
    let used: u32 = rows.iter().map(|r| r.gap + r.lines).sum();
    let extra: f64 = rows.iter().map(|r| r.extra).sum();
    let below = rows.last().map_or(0.0, |r| blank_below(grid, r, space.stack_gap));
    (height - grid.height_of(used) - extra + below).max(0.0) / grid::PT_PER_MM
}

/// The share of a page's column-lines that hold something (rows and the gaps between them
/// count as used; holes in rows and lines left at the foot do not).
pub fn fill(grid: &Grid, a: &Arrangement) -> f64 {
    let total = f64::from(grid.lines * grid.columns);
    let empty = f64::from(a.underfill * grid.columns + a.holes);
    ((total - empty) / total).clamp(0.0, 1.0)
}

/// Everything a trial needs besides the heights: the volume, its photos and the rules.
pub struct Context<'a> {
    /// The volume.
    pub volume: &'a Volume,
    /// The paper.
    pub paper: Paper,
    /// The layout's rules.
    pub rules: &'a Rules,
    /// Pixel sizes of the images, by their path as validated.
    pub photos: &'a Photos,
}

/// The plans of one page on each grid it may take: what the search arranges once the
/// heights are measured.
pub type PagePlans = Vec<(Grid, pieces::Plan)>;

/// Pages to try again with looser leading: per page, its plans at each looser pitch.
pub struct Loosening {
    /// The page, from 0.
    pub page: usize,
    /// Per pitch, tightest first: the plans.
    pub pitches: Vec<PagePlans>,
}

impl Context<'_> {
    /// The grids a page may use at a body size and line pitch.
    fn grids(&self, page: usize, body: f64, pitch: f64) -> Vec<Grid> {
        let r = self.rules;
        let columns = match self.volume.pages[page].columns {
            Some(c) => vec![c],
            None => r.grid.columns.clone(),
        };
        let area = area(self.paper, r);
        columns
            .into_iter()
            .filter_map(|n| {
                let gutter = (r.grid.gutter_min, r.grid.gutter_max);
                // A pinned column count is honoured even when its columns are narrow.
                let min =
                    if self.volume.pages[page].columns.is_some() { 1 } else { r.grid.min_chars };
                Grid::new(area, n, body, pitch, gutter, min)
            })
            .collect()
    }

    /// A page's plans on every grid it may take, asking for the measurements they need.
    fn plans(
        &self,
        page: usize,
        body: f64,
        pitch: f64,
        requests: &mut measure::Requests,
    ) -> PagePlans {
        let grids = self.grids(page, body, pitch);
        let narrowest = grids.iter().map(Grid::column).fold(f64::INFINITY, f64::min);
        grids
            .into_iter()
            .map(|g| {
                let plan = pieces::plan(self, page, &g, narrowest, requests);
                (g, plan)
            })
            .collect()
    }

    /// The measuring requests for a body size, and how to read them back.
    pub fn requests(&self, body: f64) -> (measure::Measure, Vec<PagePlans>) {
        let mut requests = measure::Requests::default();
        let pitch = body * self.rules.type_.pitch;
        let plans = (0..self.volume.pages.len())
            .map(|p| self.plans(p, body, pitch, &mut requests))
            .collect();
        (requests.finish(body), plans)
    }

    /// The measuring requests for trying looser leading on the pages of `trial` that
    /// keep a band of empty space, or `None` when no page does (or the rules allow no
    /// looser leading).
    pub fn loosening(&self, trial: &Trial) -> Option<(measure::Measure, Vec<Loosening>)> {
        let pitches = self.rules.type_.looser_pitches();
        let mut requests = measure::Requests::default();
        let pages: Vec<Loosening> = trial
            .pages
            .iter()
            .enumerate()
            .filter(|(_, (g, a))| self.band_of(g, a) > 0.0)
            .map(|(page, _)| Loosening {
                page,
                pitches: pitches
                    .iter()
                    .map(|p| self.plans(page, trial.body, trial.body * p, &mut requests))
                    .collect(),
            })
            .collect();
        (!requests.is_empty()).then(|| (requests.finish(trial.body), pages))
    }

    /// The space a page keeps at its foot, mm (see [`foot_mm`]).
    fn foot_mm(&self, g: &Grid, a: &Arrangement) -> f64 {
        foot_mm(g, a, &self.rules.space, area(self.paper, self.rules).height)
    }

    /// The empty band a page keeps, mm: what it keeps at its foot beyond the tallest gap a
    /// row may have (`gap-most-mm`); zero for a page that does not fit (it has no foot).
    fn band_of(&self, g: &Grid, a: &Arrangement) -> f64 {
        if a.over(g.lines) > 0 {
            return 0.0;
        }
        (self.foot_mm(g, a) - self.rules.space.gap_most_mm).max(0.0)
    }

    /// Per page, the empty band it keeps ([`Self::band_of`]), mm.
    pub fn bands_mm(&self, trial: &Trial) -> Vec<f64> {
        trial.pages.iter().map(|(g, a)| self.band_of(g, a)).collect()
    }

    /// Per page, the empty space it keeps at its foot ([`foot_mm`]), mm; zero for a page
    /// that does not fit.
    pub fn feet_mm(&self, trial: &Trial) -> Vec<f64> {
        trial
            .pages
            .iter()
            .map(|(g, a)| if a.over(g.lines) > 0 { 0.0 } else { self.foot_mm(g, a) })
            .collect()
    }

    /// The empty band a whole trial leaves, mm: the sum over its pages.
    pub fn band_mm(&self, trial: &Trial) -> f64 {
        self.bands_mm(trial).iter().sum()
    }

    /// The cheapest arrangement of a page over its grids.
    fn best(&self, page: &PagePlans, heights: &measure::Heights) -> Option<(Grid, Arrangement)> {
        let r = self.rules;
        let mut best: Option<(Grid, Arrangement)> = None;
        for (g, plan) in page {
            let pieces = pieces::pieces(self, plan, g, heights);
            crate::trace::mark(|| {
                format!("  {} columns: {}", g.columns, pieces::describe(&pieces))
            });
            // A gap of whole lines never grows taller than a band may be.
            let most = r.space.gap_most_mm * grid::PT_PER_MM;
            let widest = ((most - (g.pitch - g.body)) / g.pitch).floor().max(0.0) as u32;
            let space = Space {
                columns: g.columns,
                lines: g.lines,
                gap: (r.space.gap_min, r.space.gap_max.min(widest).max(r.space.gap_min)),
                stack_gap: r.space.stack_gap,
                band: r.space.gap_most_mm * grid::PT_PER_MM / g.pitch,
                looser: (r.type_.pitch_max.unwrap_or(r.type_.pitch) * g.body / g.pitch - 1.0)
                    .max(0.0),
            };
            let Some(a) = search::arrange(&pieces, space, &r.objective) else { continue };
            if best.as_ref().is_none_or(|(_, b)| a.cost < b.cost - 1e-9) {
                best = Some((g.clone(), a));
            }
        }
        best
    }

    /// Arranges every page from measured heights.
    pub fn trial(&self, body: f64, plans: &[PagePlans], heights: &measure::Heights) -> Trial {
        let pages = plans
            .iter()
            .map(|page| self.best(page, heights).unwrap_or_else(|| fallback(self, body)))
            .collect();
        Trial { body, pages }
    }

    /// Loosens the leading of the pages `loosening` names: each takes the tightest pitch
    /// at which it still fits and keeps no band of empty space, or else the pitch that
    /// leaves the least band, when that is less than it keeps now.
    pub fn loosen(&self, trial: &mut Trial, loosening: &[Loosening], heights: &measure::Heights) {
        for l in loosening {
            let band_of = |(g, a): &(Grid, Arrangement)| self.band_of(g, a);
            let mut keep = band_of(&trial.pages[l.page]);
            for plans in &l.pitches {
                let Some(tried) = self.best(plans, heights) else { continue };
                if tried.1.over(tried.0.lines) > 0 {
                    break;
                }
                let band = band_of(&tried);
                if band < keep - 0.5 {
                    keep = band;
                    trial.pages[l.page] = tried;
                }
                if band <= 0.0 {
                    break;
                }
            }
        }
    }
}

/// A page no grid could take (every grid refused some block): one column, nothing placed.
fn fallback(cx: &Context, body: f64) -> (Grid, Arrangement) {
    let r = cx.rules;
    let g = Grid::new(area(cx.paper, r), 1, body, body * r.type_.pitch, (1.0, 1.0), 1)
        .expect("one column always fits");
    let lines = g.lines;
    (
        g,
        Arrangement {
            rows: Vec::new(),
            cost: f64::INFINITY,
            needed: lines + 1,
            underfill: 0,
            holes: 0,
        },
    )
}

/// Chooses the body size: the largest candidate (`sizes`, largest first) at which every
/// page fits, trying as few as it can, since each try is a measuring compile. `try_size`
/// says whether the pages fit at a size and how much room they need: the largest ratio of
/// lines needed to lines available over the pages. The first try is the largest size;
/// when it does not fit, the next is estimated from that ratio (a page's lines grow about
/// as the square of the body size: characters per line and line pitch both scale with
/// it). When that one does not fit either, the two tries give a better estimate: blocks
/// that keep their height (photos, a masthead) make the ratio `a + b·size²`, not
/// `b·size²`, and two points fix `a` and `b`. From the last estimate it steps up (bisecting
/// when the estimate was far too small) or down
/// to the boundary. Returns the index of the size chosen, or of the smallest when none
/// fits.
pub fn choose_size(sizes: &[f64], mut try_size: impl FnMut(usize) -> (bool, f64)) -> usize {
    let Some(last) = sizes.len().checked_sub(1) else { return 0 };
    let (fits, ratio) = try_size(0);
    if fits || last == 0 {
        return 0;
    }
    let index_of = |estimate: f64| sizes.iter().position(|s| *s <= estimate + 1e-9).unwrap_or(last);
    let mut i = index_of(sizes[0] / ratio.max(1.0).sqrt()).max(1);
    let (mut fits, second) = try_size(i);
    // The largest index known not to fit: stepping up stops below it.
    let mut failed = 0;
    if !fits && i < last {
        failed = i;
        let (s0, s1) = (sizes[0] * sizes[0], sizes[i] * sizes[i]);
        let b = (ratio - second) / (s0 - s1);
        if b > 0.0 {
            let a = second - b * s1;
            let estimate = ((1.0 - a) / b).max(0.0).sqrt();
            let next = index_of(estimate).max(i + 1);
            if next != i {
                i = next;
                fits = try_size(i).0;
            }
        }
    }
    if fits {
        // The next larger size is the likely boundary; when it fits too, the estimate was
        // far off (a page whose arrangement changes with the size), and the boundary lies
        // between it and the largest size known not to fit: bisect (never back to a size
        // that failed).
        if i > failed + 1 {
            if !try_size(i - 1).0 {
                return i;
            }
            i -= 1;
            let mut lo = failed;
            while i > lo + 1 {
                let mid = lo + (i - lo) / 2;
                if try_size(mid).0 { i = mid } else { lo = mid }
            }
        }
        return i;
    }
    // Step down until a size fits, or none is left.
    while !fits && i < last {
        i += 1;
        fits = try_size(i).0;
    }
    i
}

/// Whether to set the type smaller than the largest size at which every page fits:
/// `sizes[chosen]` fits and its pages cost `cost`; `try_size(i)` gives the cost at a
/// smaller size, `None` when it does not fit. Sizes down to `sizes[last]` are tried in
/// turn, each step counting `step` against it (smaller type is harder to read) and each
/// cost scaled by the size (costs count lines, and a line of smaller type is shorter);
/// trying stops at the first size that does not fit, or whose steps alone cost more than
/// the best so far. Returns the index of the size to keep.
pub fn shrink(
    sizes: &[f64],
    chosen: usize,
    last: usize,
    cost: f64,
    step: f64,
    mut try_size: impl FnMut(usize) -> Option<f64>,
) -> usize {
    let (mut keep, mut best) = (chosen, cost);
    for i in chosen + 1..=last.min(sizes.len().saturating_sub(1)) {
        // No cost is below zero: a size whose steps alone cost more than the best is not
        // worth its measuring compile.
        if step * (i - chosen) as f64 >= best {
            break;
        }
        let Some(c) = try_size(i) else { break };
        let c = c * sizes[i] / sizes[chosen] + step * (i - chosen) as f64;
        crate::trace::mark(|| format!("{} pt: cost {c:.1} against {best:.1}", sizes[i]));
        if c < best - 1e-9 {
            (keep, best) = (i, c);
        }
    }
    keep
}

/// Whether to set a volume's type `bigger` than the largest size (`trial`), past which
/// type is no easier to read: only for the room it fills. Every page must fit, the empty
/// bands (`bands`: mm before and after) must shrink, and the pages may cost more by no
/// more lines than the band it fills, in lines of `pitch_mm` (not a table set beside a
/// column of questions over a hole, +33 lines, to fill 8 mm at another page's foot; but
/// +2 lines to fill a 15 mm foot). Costs count lines, and a line of larger type is
/// taller: they are compared at the smaller size, as [`shrink`] compares them.
pub fn worth_growing(trial: &Trial, bigger: &Trial, bands: (f64, f64), pitch_mm: f64) -> bool {
    let (before, after) = bands;
    let filled = (before - after) / pitch_mm;
    let (was, now) = (trial.cost(), bigger.cost() * bigger.body / trial.body);
    bigger.fits() && after < before - 0.5 && now <= was + filled
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page trial at `body` whose page costs `cost` and needs `needed` of 40 lines.
    fn one_page(body: f64, cost: f64, needed: u32) -> Trial {
        let grid = Grid {
            columns: 2,
            chars: 20,
            body,
            pitch: body * 1.6,
            gutter: body * 2.0,
            offset: 0.0,
            lines: 40,
        };
        let a = search::Arrangement { rows: vec![], cost, needed, underfill: 0, holes: 0 };
        Trial { body, pages: vec![(grid, a)] }
    }

    #[test]
    fn type_grows_past_its_largest_size_only_for_the_room_it_fills() {
        let eleven = one_page(11.0, 6.0, 36);
        // Pitch 6.2 mm: a 15 mm foot filled is 2.4 lines, worth +2 lines of cost.
        let pitch = 11.0 * 1.6 / grid::PT_PER_MM;
        assert!(worth_growing(&eleven, &one_page(11.75, 7.5, 40), (15.0, 0.0), pitch));
        // 8 mm filled (1.3 lines) is not worth +33 lines of holes elsewhere.
        assert!(!worth_growing(&eleven, &one_page(11.75, 37.0, 40), (12.3, 4.3), pitch));
        // Nothing filled, or a page that no longer fits: never.
        assert!(!worth_growing(&eleven, &one_page(11.75, 1.0, 40), (5.0, 5.0), pitch));
        assert!(!worth_growing(&eleven, &one_page(11.75, 1.0, 41), (15.0, 0.0), pitch));
    }

    #[test]
    fn a_smaller_size_is_kept_only_when_it_composes_much_better() {
        let sizes = [11.0, 10.75, 10.5, 10.25, 10.0];
        // 10.75 pt fits at a cost of 80 (a photo alone beside empty columns); 10.5 pt
        // costs 20: worth a step of 24.
        let costs = |c: [f64; 5]| move |i: usize| Some(c[i]);
        assert_eq!(shrink(&sizes, 1, 3, 80.0, 24.0, costs([0.0, 0.0, 20.0, 15.0, 0.0])), 2);
        // A few lines better is not worth smaller type.
        assert_eq!(shrink(&sizes, 1, 3, 80.0, 24.0, costs([0.0, 0.0, 70.0, 60.0, 0.0])), 1);
        // Two steps when the second saves more than its step again.
        assert_eq!(shrink(&sizes, 1, 3, 80.0, 24.0, costs([0.0, 0.0, 60.0, 0.0, 0.0])), 3);
        // Nothing below `last` is tried, and trying stops at a size that does not fit.
        let mut asked = Vec::new();
        let keep = shrink(&sizes, 1, 4, 80.0, 24.0, |i| {
            asked.push(i);
            (i < 3).then_some(70.0)
        });
        assert_eq!((keep, asked), (1, vec![2, 3]));
        assert_eq!(shrink(&sizes, 4, 6, 80.0, 24.0, |_| Some(0.0)), 4);
        // Pages that cost less than a step are not tried smaller at all.
        let mut asked = 0;
        assert_eq!(
            shrink(&sizes, 1, 3, 20.0, 24.0, |_| {
                asked += 1;
                Some(0.0)
            }),
            1
        );
        assert_eq!(asked, 0);
    }

    #[test]
    fn the_largest_size_that_fits_is_chosen_with_few_trials() {
        let sizes: Vec<f64> = (0..11).map(|i| 10.5 - 0.25 * f64::from(i)).collect();
        // Pages whose lines grow as the square of the size, fitting up to `limit` pt.
        for limit in [10.5, 10.0, 9.25, 8.5, 8.0, 7.0] {
            let mut tried = Vec::new();
            let chosen = choose_size(&sizes, |i| {
                tried.push(i);
                let ratio = (sizes[i] / limit).powi(2);
                (sizes[i] <= limit + 1e-9, ratio)
            });
            let expected = sizes.iter().position(|s| *s <= limit + 1e-9).unwrap_or(10);
            assert_eq!(chosen, expected, "limit {limit}: tried {tried:?}");
            assert!(tried.len() <= 3 || limit < 8.0, "limit {limit}: tried {tried:?}");
        }
    }

    #[test]
    fn a_far_too_small_estimate_is_corrected_by_bisection() {
        // Pages that overflow badly just above 10.5 pt (a row that no longer fits moves
        // a block onto a row of its own) say they need three times the room, so the
        // estimates fall to 8 pt; the largest that fits is found in a few more tries,
        // not by stepping up a quarter point at a time.
        let sizes: Vec<f64> = (0..13).map(|i| 11.0 - 0.25 * f64::from(i)).collect();
        let mut tried = Vec::new();
        let chosen = choose_size(&sizes, |i| {
            tried.push(i);
            let fits = sizes[i] <= 10.5 + 1e-9;
            (fits, if fits { 0.9 } else { 3.0 + sizes[i] })
        });
        assert_eq!(chosen, 2, "tried {tried:?}");
        assert!(tried.len() <= 7, "tried {tried:?}");
    }

    #[test]
    fn blocks_that_keep_their_height_are_estimated_from_two_tries() {
        // 13 sizes from 11 down to 8 pt; a third of each page is photos that do not shrink,
        // so the square-law estimate from the first try is too optimistic.
        let sizes: Vec<f64> = (0..13).map(|i| 11.0 - 0.25 * f64::from(i)).collect();
        for limit in [10.0, 9.0, 8.25, 8.0] {
            let ratio = |s: f64| 0.35 + 0.65 * (s / limit).powi(2);
            let mut tried = Vec::new();
            let chosen = choose_size(&sizes, |i| {
                tried.push(i);
                (ratio(sizes[i]) <= 1.0 + 1e-9, ratio(sizes[i]))
            });
            let expected = sizes.iter().position(|s| *s <= limit + 1e-9).unwrap();
            assert_eq!(chosen, expected, "limit {limit}: tried {tried:?}");
            assert!(tried.len() <= 4, "limit {limit}: tried {tried:?}");
            let mut unique = tried.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), tried.len(), "a size tried twice: {tried:?}");
        }
    }

    #[test]
    fn the_fullest_page_is_the_one_that_needs_most_of_its_lines() {
        let mut trial = one_page(10.0, 0.0, 30);
        trial.pages.push(one_page(10.0, 0.0, 38).pages.remove(0));
        trial.pages.push(one_page(10.0, 0.0, 38).pages.remove(0));
        assert_eq!(trial.fullest(), Some(1), "the first of the two fullest");
        assert!((trial.need() - 38.0 / 40.0).abs() < 1e-12);
        assert_eq!(Trial { body: 10.0, pages: Vec::new() }.fullest(), None);
    }

    #[test]
    fn a_gap_already_white_at_its_edges_loses_a_line_to_the_foot() {
        let grid = one_page(10.0, 0.0, 0).pages[0].0.clone();
        let row = |gap: u32, below: f64| search::Row {
            gap,
            lines: 4,
            extra: 0.0,
            stacks: vec![search::Stack {
                column: 0,
                span: 2,
                cells: vec![search::Cell {
                    id: "b".into(),
                    lines: 4,
                    breaks: Vec::new(),
                    per_row: None,
                    frame: None,
                    width: None,
                    blank: [0.0, below],
                }],
                wrap: false,
            }],
        };
        let space = rules::SpaceRules { gap_min: 1, gap_max: 2, stack_gap: 1, gap_most_mm: 13.0 };
        // A line and a bit blank at the foot of the row above: with its gap line the reader
        // saw two lines of white; one is enough.
        let mut rows = vec![row(0, 1.2 * grid.pitch), row(1, 0.0), row(1, 0.0)];
        tighten_gaps(&grid, &mut rows, &space);
        assert_eq!(rows.iter().map(|r| r.gap).collect::<Vec<_>>(), [0, 0, 1]);
        // Half a line blank is not a line: the gap stays.
        let mut rows = vec![row(0, 0.5 * grid.pitch), row(1, 0.0)];
        tighten_gaps(&grid, &mut rows, &space);
        assert_eq!(rows[1].gap, 1);
    }
}

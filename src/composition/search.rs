//! The search for a page's arrangement: rows of side-by-side stacks of blocks on the grid,
//! chosen by dynamic programming over the blocks in reading order.
//!
//! A page is a sequence of rows; a row is a sequence of stacks, left to right, whose spans
//! add up to the grid's columns; a stack is a run of consecutive blocks set one under the
//! other at the stack's width. Reading order is therefore the order of the volume: row by
//! row, and within a row stack by stack. Every height is in whole lines of the grid (the
//! blocks were measured and snapped), so the search is exact arithmetic on integers.
//!
//! The cost of an arrangement (weights from the layout's `composition.toml`, all per line
//! across one column) adds: holes — lines a stack leaves empty under it because its row is
//! taller —, lines left empty at the foot of the page, gap lines spread beyond the least
//! gap, measures outside a kind's preferred range, photos cropped away from their own
//! proportions, and each row beyond the first. A page whose blocks need more lines than it
//! has costs `OVER` per line over, so the cheapest arrangement of a page that cannot fit
//! is still found, and tells how much runs over.

use serde::Serialize;

use super::rules::Objective;
pub use crate::model::RowPin;

/// Cost of a line beyond the foot of the page.
pub const OVER: f64 = 10_000.0;
/// The most blocks one stack holds, and one row.
const MAX_STACK: usize = 6;
const MAX_ROW: usize = 8;

/// How many lines a block takes at a given span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Height {
    /// Fewest lines (a photo cropped as far as allowed).
    pub min: u32,
    /// Most lines.
    pub max: u32,
    /// Lines at its own proportions (photos); `min` for others.
    pub natural: u32,
    /// What each line away from `natural` costs (photos: the crop it means).
    pub per_line: f64,
    /// What setting the block at this span costs besides (its measure).
    pub cost: f64,
    /// Blank above its first mark and below its last, points: seen with the gap beside.
    pub blank: [f64; 2],
    /// The width it is drawn at, centred in the span, when narrower than the span (a box
    /// at its widest measure, see the `inset` rule), points; `None`: the span's width.
    pub inset: Option<f64>,
}

impl Height {
    /// A block of fixed height.
    pub fn fixed(lines: u32, cost: f64) -> Self {
        Self {
            min: lines,
            max: lines,
            natural: lines,
            per_line: 0.0,
            cost,
            blank: [0.0; 2],
            inset: None,
        }
    }
}

/// A run of heights a block may take at a span when it may not take every height between
/// its least and its most: a gallery, at one count of photos to a row, its frames taller
/// or shorter.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Photos to a row, which the layout is told.
    pub per_row: u32,
    /// Its fewest lines.
    pub least: u32,
    /// What is drawn at each of its heights, from `least` lines up.
    pub lines: Vec<VariantLine>,
}

/// A variant drawn at one height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VariantLine {
    /// The frames' proportions (width / height), which the layout is told; `None` for the
    /// block's own.
    pub frame: Option<f64>,
    /// Blank above its first mark and below its last, points.
    pub blank: [f64; 2],
}

impl Variant {
    /// Its most lines.
    pub fn most(&self) -> u32 {
        self.least + (self.lines.len() as u32).saturating_sub(1)
    }

    /// What is drawn at `lines`, if it may take them.
    pub fn at(&self, lines: u32) -> Option<&VariantLine> {
        self.lines.get(lines.checked_sub(self.least)? as usize)
    }

    /// The blank edges at `lines` (the nearest height it may take).
    pub fn blank(&self, lines: u32) -> [f64; 2] {
        let i = lines.saturating_sub(self.least) as usize;
        self.lines.get(i.min(self.lines.len().saturating_sub(1))).map_or([0.0; 2], |l| l.blank)
    }
}

/// A block as the search sees it.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The block's id.
    pub id: String,
    /// Its height at each span (index 0 is one column); `None` where not allowed.
    pub spans: Vec<Option<Height>>,
    /// Its row pin.
    pub row: RowPin,
    /// Its kind (stacking different kinds costs `mixed`).
    pub kind: &'static str,
    /// At each span (index 0 is one column), where its columns begin when its parts flow
    /// from column to column (see [`super::pieces::split`]); empty otherwise.
    pub breaks: Vec<Vec<u32>>,
    /// At each span (index 0 is one column), the only heights it may take, shortest first,
    /// when it may not take every height from its least to its most; empty when it may.
    pub variants: Vec<Vec<Variant>>,
    /// For running text that flows, at each span (index 0 is one column): the lines of its
    /// heading across the span and of its text in one column, so that a photo may stand at
    /// the head of its first column (see [`wrapped`]); empty for other blocks.
    pub flow: Vec<Option<(u32, u32)>>,
}

impl Piece {
    fn variants(&self, span: u32) -> &[Variant] {
        self.variants.get(span as usize - 1).map_or(&[], Vec::as_slice)
    }
}

/// One block in a stack, with the lines it was given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The block's id.
    pub id: String,
    /// Lines it takes.
    pub lines: u32,
    /// For a block whose parts flow from column to column: the part each column after
    /// the first begins with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<u32>,
    /// For a gallery: photos to a row.
    #[serde(rename = "per-row", skip_serializing_if = "Option::is_none")]
    pub per_row: Option<u32>,
    /// For a gallery whose frames were chosen: their proportions, width / height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<f64>,
    /// For a box narrower than its stack: the width it is drawn at, centred, points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// Blank above its first mark and below its last, points (not drawn: it tells how
    /// far rows may spread apart).
    #[serde(skip)]
    pub blank: [f64; 2],
}

/// Blocks one under the other, at one width.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stack {
    /// The first column, from 0.
    pub column: u32,
    /// Columns spanned.
    pub span: u32,
    /// The blocks, top to bottom.
    pub cells: Vec<Cell>,
    /// A photo and its story, the photo one column wide at the head of the story's first
    /// column under its heading, the text flowing on under it and through the other
    /// columns (the first cell is the photo, the second the text, as tall as the stack).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub wrap: bool,
}

impl Stack {
    /// The blocks one under the other: a photo at the head of its story's columns stands
    /// inside the story, the stack's one block.
    pub fn stacked(&self) -> &[Cell] {
        if self.wrap { &self.cells[1..] } else { &self.cells }
    }
}

/// A row of stacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Empty lines above it.
    pub gap: u32,
    /// Its height in lines.
    pub lines: u32,
    /// Space added above it, beyond whole lines, where the page has room to spare (points).
    pub extra: f64,
    /// The stacks, left to right.
    pub stacks: Vec<Stack>,
}

/// The arrangement of one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arrangement {
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
    /// What it costs.
    pub cost: f64,
    /// Lines the rows and least gaps need (may exceed the page).
    pub needed: u32,
    /// Lines left empty at the foot after the gaps were spread.
    pub underfill: u32,
    /// Empty lines inside rows, in lines across one column.
    pub holes: u32,
}

impl Arrangement {
    /// Lines beyond the foot of the page.
    pub fn over(&self, lines: u32) -> u32 {
        self.needed.saturating_sub(lines)
    }
}

/// The space a page offers.
#[derive(Debug, Clone, Copy)]
pub struct Space {
    /// Columns of the grid.
    pub columns: u32,
    /// Lines of the page.
    pub lines: u32,
    /// Least and most gap between rows.
    pub gap: (u32, u32),
    /// Gap between stacked blocks.
    pub stack_gap: u32,
    /// The tallest empty band, in lines (fractional), that the page may show: the most a
    /// gap between rows may grow to when spare space is shared out, and the most space
    /// left at the foot before it reads as a hole.
    pub band: f64,
    /// The share by which the page's lines may still grow when it loosens its leading
    /// (pitch-max / pitch − 1): space they will take, not a band.
    pub looser: f64,
}

/// How the search reached a state: the state before (blocks, lines, rows), the row shape
/// and the row's height.
type Step = (usize, u32, usize, usize, u32);

/// The heights a row shape can take (least, most) and its cost at each.
type Heights = (u32, u32, Vec<f64>);

/// A candidate row: blocks `start..end` split into stacks with spans (start, end, span,
/// and whether it is a photo at the head of its story's columns, see [`wrapped`]).
struct RowShape {
    end: usize,
    stacks: Vec<(usize, usize, u32, bool)>,
}

/// The cheapest arrangement of `pieces` in `space`, or `None` when some block allows no
/// width on this grid.
pub fn arrange(pieces: &[Piece], space: Space, weights: &Objective) -> Option<Arrangement> {
    let n = pieces.len();
    if n == 0 {
        return Some(Arrangement {
            rows: Vec::new(),
            cost: weights.underfill * f64::from(space.lines * space.columns),
            needed: 0,
            underfill: space.lines,
            holes: 0,
        });
    }
    let cap = space.lines * 3 + 10;
    let rows_cap = n + 1;
    // best[i][u][r]: the cheapest way to set pieces[..i] in u lines with r rows.
    let index = |i: usize, u: u32, r: usize| (i * (cap as usize + 1) + u as usize) * rows_cap + r;
    let size = (n + 1) * (cap as usize + 1) * rows_cap;
    let mut best: Vec<f64> = vec![f64::INFINITY; size];
    let mut back: Vec<Option<Step>> = vec![None; size];
    let shapes: Vec<Vec<RowShape>> = (0..n).map(|i| row_shapes(pieces, i, space.columns)).collect();
    let pairs: Vec<bool> = (0..n).map(|i| paired(pieces, i)).collect();
    // What each row shape costs at each height it can take: the same whatever comes above.
    let costs: Vec<Vec<Option<Heights>>> = shapes
        .iter()
        .map(|row| {
            row.iter()
                .map(|shape| {
                    let (low, high) = row_range(pieces, shape, space)?;
                    let high = high.min(low + space.lines);
                    let c =
                        (low..=high).map(|h| fill_row(pieces, &pairs, shape, space, h, weights).1);
                    Some((low, high, c.collect()))
                })
                .collect()
        })
        .collect();
    best[index(0, 0, 0)] = 0.0;
    for i in 0..n {
        for u in 0..=cap {
            for r in 0..rows_cap - 1 {
                let here = best[index(i, u, r)];
                if !here.is_finite() {
                    continue;
                }
                let gap = if r == 0 { 0 } else { space.gap.0 };
                for (s, shape) in shapes[i].iter().enumerate() {
                    let Some((low, high, row_costs)) = &costs[i][s] else { continue };
                    for h in *low..=*high {
                        let used = u + gap + h;
                        if used > cap {
                            break;
                        }
                        let row_cost =
                            if r == 0 { 0.0 } else { weights.row } + row_costs[(h - low) as usize];
                        let to = index(shape.end, used, r + 1);
                        if here + row_cost < best[to] {
                            best[to] = here + row_cost;
                            back[to] = Some((i, u, r, s, h));
                        }
                    }
                }
            }
        }
    }
    // Close each way of setting every block: spread the gaps, leave the rest at the foot.
    let mut winner: Option<(f64, u32, usize)> = None;
    for u in 0..=cap {
        for r in 1..rows_cap {
            let c = best[index(n, u, r)];
            if !c.is_finite() {
                continue;
            }
            let (spread, underfill) = spread(space, u, r as u32);
            let columns = f64::from(space.columns);
            let total = c
                + weights.spread * columns * f64::from(spread)
                + weights.underfill * columns * f64::from(underfill)
                + weights.band * columns * band(space, u, r as u32)
                + OVER * f64::from(u.saturating_sub(space.lines));
            if winner.is_none_or(|(w, _, _)| total < w - 1e-9) {
                winner = Some((total, u, r));
            }
        }
    }
    let (cost, needed, rows) = winner?;
    // Walk back from the winner to the rows.
    let mut plan = Vec::new();
    let (mut i, mut u, mut r) = (n, needed, rows);
    while i > 0 {
        let (pi, pu, pr, s, h) = back[index(i, u, r)].expect("a reached state has a parent");
        plan.push((pi, s, h));
        (i, u, r) = (pi, pu, pr);
    }
    plan.reverse();
    let (spread_lines, underfill) = spread(space, needed, rows as u32);
    let gaps = gap_sizes(space, rows as u32, spread_lines);
    let mut holes = 0;
    let out_rows = plan
        .into_iter()
        .enumerate()
        .map(|(k, (start, s, h))| {
            let shape = &shapes[start][s];
            let (cells, _, row_holes) = fill_row(pieces, &pairs, shape, space, h, weights);
            holes += row_holes;
            Row { gap: gaps[k], lines: h, extra: 0.0, stacks: cells }
        })
        .collect();
    Some(Arrangement { rows: out_rows, cost, needed, underfill, holes })
}

/// How many lines beyond the least gaps the rows are spread apart, and how many are left
/// at the foot.
fn spread(space: Space, used: u32, rows: u32) -> (u32, u32) {
    let free = space.lines.saturating_sub(used);
    let room = rows.saturating_sub(1) * (space.gap.1 - space.gap.0);
    let spread = free.min(room);
    (spread, free - spread)
}

/// The lines of empty band a page keeps when `used` of its lines hold `rows` rows: what
/// is left once the lines have loosened as far as they may and every gap has grown to the
/// tallest band allowed, beyond a foot band that tall. Such a band reads as a hole, so it costs like one: the search then prefers more
/// rows (more gaps to share space between) and blocks that grow.
fn band(space: Space, used: u32, rows: u32) -> f64 {
    let free = f64::from(space.lines.saturating_sub(used));
    let gaps = f64::from(rows.saturating_sub(1)) * (space.band - f64::from(space.gap.0)).max(0.0);
    let looser = f64::from(used.min(space.lines)) * space.looser;
    (free - gaps - looser - space.band).max(0.0)
}

/// The gap above each row when `extra` lines are spread over the gaps: evenly, the first
/// gaps taking the odd lines.
fn gap_sizes(space: Space, rows: u32, extra: u32) -> Vec<u32> {
    let gaps = rows.saturating_sub(1);
    (0..rows)
        .map(|k| {
            if k == 0 {
                0
            } else {
                let each = extra / gaps;
                space.gap.0 + each + u32::from(k - 1 < extra % gaps)
            }
        })
        .collect()
}

/// Every way to start a row at piece `start`: runs of consecutive pieces as stacks whose
/// spans fill the columns, honouring spans allowed and row pins.
fn row_shapes(pieces: &[Piece], start: usize, columns: u32) -> Vec<RowShape> {
    let mut out = Vec::new();
    if start > 0 && pieces[start].row == RowPin::Same {
        return out;
    }
    let mut stacks = Vec::new();
    extend(pieces, start, start, 0, columns, &mut stacks, &mut out);
    out
}

fn extend(
    pieces: &[Piece],
    row_start: usize,
    at: usize,
    used: u32,
    columns: u32,
    stacks: &mut Vec<(usize, usize, u32, bool)>,
    out: &mut Vec<RowShape>,
) {
    if !stacks.is_empty() {
        // A row of one stack holds one block: blocks under each other are separate rows.
        // A row may leave columns empty at its right (they cost as holes), so that a block
        // too narrow for the page can still stand alone.
        // (A photo at the head of its story's columns is one block here.)
        let single = stacks.len() == 1 && (stacks[0].1 - stacks[0].0 == 1 || stacks[0].3);
        let next_free = pieces.get(at).is_none_or(|p| p.row != RowPin::Same);
        if (stacks.len() > 1 || single) && next_free {
            out.push(RowShape { end: at, stacks: stacks.clone() });
        }
    }
    if used == columns {
        return;
    }
    for end in at + 1..=pieces.len().min(at + MAX_STACK).min(row_start + MAX_ROW) {
        // A block pinned to start a new row cannot continue this one.
        if end - 1 > row_start && pieces[end - 1].row == RowPin::New {
            break;
        }
        for span in 1..=columns - used {
            let fits = pieces[at..end].iter().all(|p| height(p, span).is_some());
            if fits {
                stacks.push((at, end, span, false));
                extend(pieces, row_start, end, used + span, columns, stacks, out);
                stacks.pop();
            }
            // A photo and its story, the photo at the head of the story's first column.
            if end == at + 2 && paired(pieces, at) && wrapped(pieces, at, span, 0).is_some() {
                stacks.push((at, end, span, true));
                extend(pieces, row_start, end, used + span, columns, stacks, out);
                stacks.pop();
            }
        }
    }
}

/// The lines a photo (`pieces[at]`) and its story (the next piece, running text that
/// flows) take together at `span` columns when the photo stands one column wide at the
/// head of the story's first column, under the story's heading, `gap` lines above the
/// text that flows on under it and through the other columns: the heading, then columns
/// as short as the text allows, the first shortened by the photo. `None` where the story
/// does not flow, the photo may not be one column wide, or a column would hold fewer than
/// two lines of text (a line alone under a photo or at the head of a column reads as a
/// scrap).
fn wrapped(pieces: &[Piece], at: usize, span: u32, gap: u32) -> Option<u32> {
    let (photo, story) = (&pieces[at], pieces.get(at + 1)?);
    if span < 2 || photo.kind != "photo" {
        return None;
    }
    height(story, span)?;
    let (head, body) = story.flow.get(span as usize - 1).copied().flatten()?;
    let p = height(photo, 1)?.natural + gap;
    let columns = (body + p).div_ceil(span).max(p + 2);
    let last = i64::from(body) - i64::from(columns - p) - i64::from(span - 2) * i64::from(columns);
    (last >= 2).then_some(head + columns)
}

/// Whether a row of several stacks holds blocks of one kind only (siblings: numbered
/// sections, events, profiles) but not as equals: its stacks differ in span or in how many
/// blocks they hold. Two columns of three sections each are equals; 01 alone beside 02
/// over 03 is not.
fn unequal_siblings(pieces: &[Piece], shape: &RowShape) -> bool {
    let [first, rest @ ..] = shape.stacks.as_slice() else { return false };
    if rest.is_empty() {
        return false;
    }
    let (start, end) = (first.0, shape.end);
    let one_kind = pieces[start..end].iter().all(|p| p.kind == pieces[start].kind);
    one_kind && rest.iter().any(|s| s.2 != first.2 || s.1 - s.0 != first.1 - first.0)
}

/// Whether the block at `i` and the one after it are a photo and its story. The author
/// writes a photo next to its text, before it or after it; which, the page tells by its
/// first photo: after a text, photos follow their stories; else they lead them. A block
/// pinned to start a new row is parted from what comes before it on purpose.
fn paired(pieces: &[Piece], i: usize) -> bool {
    let Some(next) = pieces.get(i + 1) else { return false };
    if next.row == RowPin::New {
        return false;
    }
    let first_photo = pieces.iter().position(|p| p.kind == "photo");
    let follow = first_photo.is_some_and(|f| f > 0 && pieces[f - 1].kind == "text");
    let (a, b) = if follow { ("text", "photo") } else { ("photo", "text") };
    pieces[i].kind == a && next.kind == b
}

/// How many columns of a row's photos stand apart from their stories (`pairs[i]`: the
/// block at `i` and the next are a photo and its story, see `paired`):
/// a pair is together one under the other in a stack, or side by side at the top of the
/// row (the first alone in its stack, the second starting the next); a pair whose first
/// ends a stack under other blocks, or ends a row of several stacks (the second starts
/// the next row, at the far side), is apart, by the span of its first block.
fn parted(pairs: &[bool], shape: &RowShape) -> u32 {
    let mut apart = 0;
    for (k, &(a, b, span, _)) in shape.stacks.iter().enumerate() {
        if !pairs[b - 1] {
            continue;
        }
        let beside = k + 1 < shape.stacks.len() && b - a == 1;
        let below = shape.stacks.len() == 1;
        if !beside && !below {
            apart += span;
        }
    }
    apart
}

fn height(piece: &Piece, span: u32) -> Option<Height> {
    piece.spans.get(span as usize - 1).copied().flatten()
}

/// The range of heights a row can take: from its tallest stack at its least, to the most
/// its flexible stacks can grow (never less than the least).
fn row_range(pieces: &[Piece], shape: &RowShape, space: Space) -> Option<(u32, u32)> {
    let mut low = 0;
    let mut high = 0;
    for &(a, b, span, wrap) in &shape.stacks {
        let (min, max) = if wrap {
            let h = wrapped(pieces, a, span, space.stack_gap)?;
            (h, h)
        } else {
            stack_range(pieces, a, b, span, space)?
        };
        low = low.max(min);
        high = high.max(max);
    }
    Some((low, high.max(low)))
}

fn stack_range(
    pieces: &[Piece],
    a: usize,
    b: usize,
    span: u32,
    space: Space,
) -> Option<(u32, u32)> {
    let gaps = space.stack_gap * (b - a - 1) as u32;
    let mut min = gaps;
    let mut max = gaps;
    for p in &pieces[a..b] {
        let h = height(p, span)?;
        min += h.min;
        max += h.max;
    }
    Some((min, max))
}

/// Sets a row at height `h`: each stack's flexible blocks grow toward `h` (the first one
/// first), what a stack cannot fill is a hole. Returns the stacks, the row's cost and its
/// holes.
fn fill_row(
    pieces: &[Piece],
    pairs: &[bool],
    shape: &RowShape,
    space: Space,
    h: u32,
    weights: &Objective,
) -> (Vec<Stack>, f64, u32) {
    let mut cost = 0.0;
    let mut holes = 0;
    let mut column = 0;
    let mut stacks = Vec::new();
    // Columns the row leaves empty at its right are holes its whole height, and cost more
    // than a hole under a short stack: a whole column left empty beside blocks reads as a
    // page not finished, worse than space at the foot.
    let used: u32 = shape.stacks.iter().map(|s| s.2).sum();
    holes += (space.columns - used) * h;
    cost += weights.empty * f64::from((space.columns - used) * h);
    if unequal_siblings(pieces, shape) {
        cost += weights.parallel * f64::from(used * h);
    }
    cost += weights.apart * f64::from(parted(pairs, shape) * h);
    for &(a, b, span, wrap) in &shape.stacks {
        if wrap {
            // The photo one column wide at its own proportions, the story the stack's
            // height; what the row leaves under them is a hole.
            let tall = wrapped(pieces, a, span, space.stack_gap).expect("shape checked");
            let (photo, story) = (&pieces[a], &pieces[a + 1]);
            let p = height(photo, 1).expect("shape checked");
            let t = height(story, span).expect("shape checked");
            let room = h.saturating_sub(tall);
            holes += room * span;
            cost += weights.hole * f64::from(room * span) + p.cost + t.cost;
            let cell = |piece: &Piece, lines: u32, x: &Height| Cell {
                id: piece.id.clone(),
                lines,
                breaks: Vec::new(),
                per_row: None,
                frame: None,
                width: None,
                blank: x.blank,
            };
            let cells = vec![cell(photo, p.natural, &p), cell(story, tall, &t)];
            stacks.push(Stack { column, span, cells, wrap: true });
            column += span;
            continue;
        }
        let heights: Vec<Height> =
            pieces[a..b].iter().map(|p| height(p, span).expect("shape checked")).collect();
        let gaps = space.stack_gap * (b - a - 1) as u32;
        let mut lines: Vec<u32> = heights.iter().map(|x| x.min).collect();
        let mut room = h.saturating_sub(gaps + lines.iter().sum::<u32>());
        // Grow flexible blocks toward their natural height first, then beyond; a block
        // with variants only to the tallest of them that fits.
        for target in [true, false] {
            for ((l, x), p) in lines.iter_mut().zip(&heights).zip(&pieces[a..b]) {
                let limit = if target { x.natural.max(x.min) } else { x.max };
                let mut grow = limit.saturating_sub(*l).min(room);
                let variants = p.variants(span);
                if !variants.is_empty() {
                    // The tallest height of any variant up to `l + grow`.
                    let fits = variants.iter().filter(|v| v.least <= *l + grow);
                    let tallest = fits.map(|v| v.most().min(*l + grow)).max();
                    grow = tallest.unwrap_or(*l).saturating_sub(*l);
                }
                *l += grow;
                room -= grow;
            }
        }
        holes += room * span;
        cost += weights.hole * f64::from(room * span);
        let mixed = pieces[a..b].windows(2).filter(|w| w[0].kind != w[1].kind).count();
        cost += weights.mixed * f64::from(span) * mixed as f64;
        for (l, x) in lines.iter().zip(&heights) {
            cost += x.cost + x.per_line * f64::from(l.abs_diff(x.natural));
        }
        stacks.push(Stack {
            column,
            span,
            cells: pieces[a..b]
                .iter()
                .zip(&lines)
                .zip(&heights)
                .map(|((p, l), x)| {
                    // The variant with the most photos to a row that takes these lines.
                    let variant = p.variants(span).iter().find_map(|v| Some((v, v.at(*l)?)));
                    Cell {
                        id: p.id.clone(),
                        lines: *l,
                        breaks: p.breaks.get(span as usize - 1).cloned().unwrap_or_default(),
                        per_row: variant.map(|(v, _)| v.per_row),
                        frame: variant.and_then(|(_, at)| at.frame),
                        width: x.inset,
                        blank: variant.map_or(x.blank, |(_, at)| at.blank),
                    }
                })
                .collect(),
            wrap: false,
        });
        column += span;
    }
    (stacks, cost, holes)
}

#[cfg(test)]
mod tests;

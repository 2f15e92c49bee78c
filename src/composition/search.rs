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
mod tests {
    use super::*;

    fn weights() -> Objective {
        Objective {
            hole: 2.0,
            underfill: 1.0,
            spread: 0.3,
            measure: 0.2,
            crop: 0.05,
            row: 0.5,
            mixed: 3.0,
            band: 3.0,
            empty: 5.0,
            inset: 1.0,
            parallel: 2.0,
            apart: 1.0,
            shrink: 12.0,
        }
    }

    fn space(columns: u32, lines: u32) -> Space {
        Space { columns, lines, gap: (1, 2), stack_gap: 1, band: f64::INFINITY, looser: 0.0 }
    }

    /// A block that may take any span of a `columns` grid, its lines shrinking as it widens.
    fn text(id: &str, one_column: u32, columns: u32) -> Piece {
        Piece {
            id: id.into(),
            spans: (1..=columns)
                .map(|s| Some(Height::fixed(one_column.div_ceil(s), 0.0)))
                .collect(),
            row: RowPin::Free,
            kind: "text",
            breaks: Vec::new(),
            variants: Vec::new(),
            flow: Vec::new(),
        }
    }

    fn full(id: &str, lines: u32, columns: u32) -> Piece {
        let mut spans = vec![None; columns as usize];
        spans[columns as usize - 1] = Some(Height::fixed(lines, 0.0));
        let (breaks, variants) = (Vec::new(), Vec::new());
        let flow = Vec::new();
        Piece { id: id.into(), spans, row: RowPin::Free, kind: "headline", breaks, variants, flow }
    }

    fn order(a: &Arrangement) -> Vec<String> {
        a.rows.iter().flat_map(|r| &r.stacks).flat_map(|s| &s.cells).map(|c| c.id.clone()).collect()
    }

    #[test]
    fn reading_order_is_kept() {
        let pieces: Vec<Piece> = (0..7).map(|i| text(&format!("b{i}"), 6 + i, 2)).collect();
        let a = arrange(&pieces, space(2, 40), &weights()).unwrap();
        assert_eq!(order(&a), (0..7).map(|i| format!("b{i}")).collect::<Vec<_>>());
        for row in &a.rows {
            assert_eq!(row.stacks.iter().map(|s| s.span).sum::<u32>(), 2);
        }
    }

    #[test]
    fn balanced_stacks_beat_holes() {
        // Four blocks of 10, 10, 10, 10 lines in two columns: two stacks of two (21 lines
        // each, no hole) rather than rows of pairs with gaps.
        let pieces: Vec<Piece> = (0..4).map(|i| text(&format!("s{i}"), 10, 2)).collect();
        let a = arrange(&pieces, space(2, 21), &weights()).unwrap();
        assert_eq!(a.holes, 0, "{a:#?}");
        assert_eq!(a.over(21), 0);
    }

    #[test]
    fn a_page_that_cannot_fit_says_by_how_much() {
        let pieces = vec![full("a", 30, 2), full("b", 30, 2)];
        let a = arrange(&pieces, space(2, 50), &weights()).unwrap();
        assert_eq!(a.over(50), 11);
    }

    #[test]
    fn spare_lines_go_to_gaps_then_the_foot() {
        let pieces = vec![full("a", 10, 2), full("b", 10, 2), full("c", 10, 2)];
        let a = arrange(&pieces, space(2, 40), &weights()).unwrap();
        let gaps: Vec<u32> = a.rows.iter().map(|r| r.gap).collect();
        assert_eq!(gaps, [0, 2, 2]);
        assert_eq!(a.underfill, 40 - 30 - 4);
    }

    #[test]
    fn photos_grow_to_fill_their_row() {
        let photo = Piece {
            id: "photo".into(),
            spans: vec![
                Some(Height {
                    min: 8,
                    max: 14,
                    natural: 10,
                    per_line: 0.1,
                    cost: 0.0,
                    blank: [0.0; 2],
                    inset: None,
                }),
                None,
            ],
            row: RowPin::Free,
            kind: "photo",
            breaks: Vec::new(),
            variants: Vec::new(),
            flow: Vec::new(),
        };
        let mut beside = text("text", 13, 2);
        beside.spans[1] = None;
        let a = arrange(&[photo, beside], space(2, 13), &weights()).unwrap();
        assert_eq!(a.rows.len(), 1);
        assert_eq!(a.rows[0].stacks[0].cells[0].lines, 13);
        assert_eq!(a.holes, 0);
    }

    #[test]
    fn a_gallery_takes_only_its_variants_the_larger_where_the_page_has_room() {
        // Across two columns: 10 lines six to a row, 22 three to a row; nothing between.
        let gallery = |id: &str| {
            let variant = |least, per_row| Variant {
                per_row,
                least,
                lines: vec![VariantLine { frame: None, blank: [0.0; 2] }],
            };
            Piece {
                id: id.into(),
                spans: vec![
                    None,
                    Some(Height {
                        min: 10,
                        max: 22,
                        natural: 10,
                        per_line: 0.6,
                        cost: 0.0,
                        blank: [0.0; 2],
                        inset: None,
                    }),
                ],
                row: RowPin::Free,
                kind: "gallery",
                breaks: Vec::new(),
                variants: vec![Vec::new(), vec![variant(10, 6), variant(22, 3)]],
                flow: Vec::new(),
            }
        };
        let cell = |a: &Arrangement| a.rows[0].stacks[0].cells[0].clone();
        // A page of 25 lines: the larger photos fill it.
        let roomy = arrange(&[gallery("g")], space(2, 25), &weights()).unwrap();
        assert_eq!((cell(&roomy).lines, cell(&roomy).per_row), (22, Some(3)));
        // With a text of 12 lines under it, only the compact one fits.
        let pieces = [gallery("g"), full("t", 12, 2)];
        let full_page = arrange(&pieces, space(2, 25), &weights()).unwrap();
        assert_eq!((cell(&full_page).lines, cell(&full_page).per_row), (10, Some(6)));
        assert_eq!(full_page.over(25), 0);
        // A row taller than the compact gallery but short of the larger one: the gallery
        // stays compact (a height between is no gallery), under it a hole.
        let mut beside = text("t", 16, 2);
        beside.spans[1] = None;
        let mut narrow = gallery("g");
        narrow.spans = vec![narrow.spans[1], None];
        narrow.variants = vec![narrow.variants[1].clone(), Vec::new()];
        let row = arrange(&[narrow, beside], space(2, 16), &weights()).unwrap();
        assert_eq!((cell(&row).lines, cell(&row).per_row), (10, Some(6)));
        assert_eq!(row.holes, 6);
    }

    #[test]
    fn pins_are_honoured() {
        let mut pieces: Vec<Piece> = (0..4).map(|i| text(&format!("b{i}"), 8, 2)).collect();
        pieces[1].row = RowPin::Same;
        pieces[2].row = RowPin::New;
        let a = arrange(&pieces, space(2, 60), &weights()).unwrap();
        let row_of = |id: &str| {
            a.rows.iter().position(|r| r.stacks.iter().any(|s| s.cells.iter().any(|c| c.id == id)))
        };
        assert_eq!(row_of("b0"), row_of("b1"));
        assert_ne!(row_of("b1"), row_of("b2"));
        let starts: Vec<&str> = a.rows.iter().map(|r| r.stacks[0].cells[0].id.as_str()).collect();
        assert!(starts.contains(&"b2"), "{starts:?}");
    }

    #[test]
    fn siblings_of_one_kind_stand_as_equals() {
        // Three numbered sections, the last one long (its callout): balancing heights
        // alone sets the first alone beside the other two stacked at twice its width.
        let section = |id: &str, lines: [u32; 3]| Piece {
            id: id.into(),
            spans: lines.iter().map(|&l| Some(Height::fixed(l, 0.0))).collect(),
            row: RowPin::Free,
            kind: "section",
            breaks: Vec::new(),
            variants: Vec::new(),
            flow: Vec::new(),
        };
        let pieces =
            vec![section("s1", [8, 6, 5]), section("s2", [4, 3, 3]), section("s3", [13, 9, 8])];
        let equal = |a: &Arrangement| {
            a.rows.iter().all(|r| {
                r.stacks.iter().all(|s| s.span == r.stacks[0].span)
                    && r.stacks.iter().all(|s| s.cells.len() == r.stacks[0].cells.len())
            })
        };
        let blind = Objective { parallel: 0.0, ..weights() };
        let a = arrange(&pieces, space(3, 16), &blind).unwrap();
        assert!(!equal(&a), "balancing alone sets them unequally: {a:#?}");
        let a = arrange(&pieces, space(3, 16), &weights()).unwrap();
        assert!(equal(&a), "{a:#?}");
        assert_eq!(order(&a), ["s1", "s2", "s3"]);
        // Blocks of different kinds are not siblings: a text beside a photo may be wider.
        let mixed = vec![text("t1", 8, 3), pieces[1].clone(), pieces[2].clone()];
        assert!(!unequal_siblings(
            &mixed,
            &RowShape { end: 3, stacks: vec![(0, 1, 1, false), (1, 3, 2, false)] }
        ));
        assert!(unequal_siblings(
            &pieces,
            &RowShape { end: 3, stacks: vec![(0, 1, 1, false), (1, 3, 2, false)] }
        ));
    }

    #[test]
    fn a_photo_stands_with_its_story() {
        // Photo, story, photo, story, photo, story on two columns: balancing the columns
        // alone flows them 3 + 3, which ends the left column with the second photo while
        // its story starts the right one.
        let photo = |id: &str| Piece {
            id: id.into(),
            spans: vec![
                Some(Height { min: 7, max: 9, natural: 8, per_line: 0.5, ..Height::fixed(8, 0.0) }),
                Some(Height {
                    min: 14,
                    max: 18,
                    natural: 16,
                    per_line: 0.5,
                    ..Height::fixed(16, 0.0)
                }),
            ],
            row: RowPin::Free,
            kind: "photo",
            breaks: Vec::new(),
            variants: Vec::new(),
            flow: Vec::new(),
        };
        let story = |id: &str, lines| Piece { kind: "text", ..text(id, lines, 2) };
        let pieces = vec![
            photo("p1"),
            story("t1", 10),
            photo("p2"),
            story("t2", 14),
            photo("p3"),
            story("t3", 6),
        ];
        let apart = |a: &Arrangement, photo: &str, text: &str| {
            let at = |id: &str| {
                a.rows.iter().enumerate().find_map(|(r, row)| {
                    row.stacks.iter().enumerate().find_map(|(k, st)| {
                        st.cells.iter().position(|c| c.id == id).map(|i| (r, k, i))
                    })
                })
            };
            let ((r1, k1, i1), (r2, k2, i2)) = (at(photo).unwrap(), at(text).unwrap());
            let together = (r1, k1) == (r2, k2) || (r1 == r2 && i1 == 0 && i2 == 0);
            !together && a.rows[r1].stacks.len() > 1
        };
        let blind = Objective { apart: 0.0, ..weights() };
        let a = arrange(&pieces, space(2, 30), &blind).unwrap();
        assert!(apart(&a, "p2", "t2"), "balancing alone parts them: {a:#?}");
        let a = arrange(&pieces, space(2, 30), &weights()).unwrap();
        for (p, t) in [("p1", "t1"), ("p2", "t2"), ("p3", "t3")] {
            assert!(!apart(&a, p, t), "{p} apart from {t}: {a:#?}");
        }
        assert_eq!(order(&a), ["p1", "t1", "p2", "t2", "p3", "t3"]);
        // After a text, photos follow their stories: the text before each photo is its own.
        let follow = vec![story("t1", 7), photo("p1"), story("t2", 9), photo("p2")];
        assert!(paired(&follow, 0) && !paired(&follow, 1) && paired(&follow, 2));
        assert!(paired(&pieces, 0) && !paired(&pieces, 1));
    }

    #[test]
    fn a_sparse_page_shares_its_space_between_more_rows() {
        // Two short texts on a tall page, best read side by side (across the page their
        // measure costs 10): side by side they leave one band at the foot; one row each,
        // the gap between them takes its share and the band left is smaller, which the
        // search prefers once such a band costs.
        let short = |id: &str| Piece {
            id: id.into(),
            spans: vec![Some(Height::fixed(4, 0.0)), Some(Height::fixed(3, 10.0))],
            row: RowPin::Free,
            kind: "text",
            breaks: Vec::new(),
            variants: Vec::new(),
            flow: Vec::new(),
        };
        let pieces = vec![short("a"), short("b")];
        let mut s = space(2, 40);
        let loose = arrange(&pieces, s, &weights()).unwrap();
        assert_eq!(loose.rows.len(), 1, "without a band limit, one row: {loose:#?}");
        s.band = 6.0;
        let banded = arrange(&pieces, s, &weights()).unwrap();
        assert_eq!(banded.rows.len(), 2, "{banded:#?}");
        assert_eq!(order(&banded), ["a", "b"]);
    }

    #[test]
    fn the_band_left_counts_what_gaps_and_foot_cannot_take() {
        let mut s =
            Space { columns: 2, lines: 40, gap: (1, 2), stack_gap: 1, band: 5.0, looser: 0.0 };
        // 30 free lines, two gaps grow by 4 each, the foot keeps 5: 17 lines of band.
        assert!((band(s, 10, 3) - 17.0).abs() < 1e-9);
        // Loosening by a tenth, the 10 lines used take one more.
        s.looser = 0.1;
        assert!((band(s, 10, 3) - 16.0).abs() < 1e-9);
        assert_eq!(band(s, 38, 1), 0.0);
        assert_eq!(band(s, 45, 2), 0.0);
    }

    #[test]
    fn a_block_allowed_no_span_makes_the_grid_unusable() {
        let p = Piece {
            id: "x".into(),
            spans: vec![None, None],
            row: RowPin::Free,
            kind: "text",
            breaks: Vec::new(),
            variants: Vec::new(),
            flow: Vec::new(),
        };
        assert!(arrange(&[p], space(2, 40), &weights()).is_none());
    }

    #[test]
    fn a_photo_stands_at_the_head_of_its_storys_columns_rather_than_over_a_hole() {
        // A photo of 8 lines one column wide (14 across two, 20 across three), then its
        // story: a heading of 2 lines over 40 lines of text in one column.
        let photo = Piece {
            id: "photo".into(),
            spans: vec![
                Some(Height::fixed(8, 0.0)),
                Some(Height::fixed(14, 0.0)),
                Some(Height::fixed(20, 0.0)),
            ],
            row: RowPin::Free,
            kind: "photo",
            breaks: Vec::new(),
            variants: Vec::new(),
            flow: Vec::new(),
        };
        let story = Piece {
            spans: (1..=3).map(|s| Some(Height::fixed(2 + 40_u32.div_ceil(s), 0.0))).collect(),
            flow: vec![Some((2, 40)); 3],
            ..text("story", 40, 3)
        };
        assert_eq!(wrapped(&[photo.clone(), story.clone()], 0, 3, 1), Some(2 + 17));
        // On 30 lines the photo across the page over its story does not fit (20 + 1 + 16);
        // beside its story in two columns (22 lines) it leaves 14 lines empty under it.
        let a = arrange(&[photo.clone(), story.clone()], space(3, 30), &weights()).unwrap();
        let stack = &a.rows[0].stacks[0];
        assert!(stack.wrap && stack.span == 3, "{a:#?}");
        let lines: Vec<u32> = stack.cells.iter().map(|c| c.lines).collect();
        assert_eq!(lines, [8, 19], "the photo at its own height, the story the stack's");
        assert_eq!(order(&a), ["photo", "story"]);
        assert_eq!(a.holes, 0);
        // A story too short to fill the columns beside and under the photo: never.
        let short = Piece { flow: vec![Some((2, 6)); 3], ..story };
        assert_eq!(wrapped(&[photo, short], 0, 3, 1), None);
    }
}

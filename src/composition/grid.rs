//! The page grid on whole characters: columns (段) whose measure is a whole number of
//! body characters, gutters that take the remainder, and the lines of the page.
//!
//! Japanese practice designs the text area (版面) as 字詰め × 行数 × 段数: a column is so many
//! characters wide and the page so many lines tall, and what does not divide goes to the
//! gutters and margins. A justified line of full-width characters then fills its measure
//! exactly, with no spacing-out, and neighbouring columns share one baseline grid.

use serde::Serialize;

/// Points per millimetre.
pub const PT_PER_MM: f64 = 72.0 / 25.4;

/// The text area of a page, in points: what lies inside the margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// One page's grid, as the layout draws it (lengths in points).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Grid {
    /// Columns (段).
    pub columns: u32,
    /// Characters of body text per column (字詰め).
    pub chars: u32,
    /// Body size.
    pub body: f64,
    /// Line pitch (行送り): body size plus leading.
    pub pitch: f64,
    /// Space between columns.
    pub gutter: f64,
    /// Where the grid starts, from the left edge of the text area (the grid is centred).
    pub offset: f64,
    /// Lines of body text the page holds (行数).
    pub lines: u32,
}

impl Grid {
    /// The grid of `columns` columns for body size `body` in `area`: the widest whole-
    /// character measure that leaves at least `min_gutter` characters between columns.
    /// The remainder widens the gutters up to `max_gutter` characters, and what is still
    /// left centres the grid. `None` when a column would be narrower than `min_chars`.
    pub fn new(
        area: Area,
        columns: u32,
        body: f64,
        pitch: f64,
        gutter: (f64, f64),
        min_chars: u32,
    ) -> Option<Self> {
        let (min_gutter, max_gutter) = gutter;
        let n = f64::from(columns);
        let gaps = n - 1.0;
        let chars = ((area.width - gaps * min_gutter * body) / (n * body)).floor();
        if chars < f64::from(min_chars) {
            return None;
        }
        let rest = area.width - n * chars * body;
        let gutter = if columns > 1 { (rest / gaps).min(max_gutter * body) } else { 0.0 };
        let width = n * chars * body + gaps * gutter;
        // The last line needs only the body size, not a whole pitch.
        let lines = ((area.height - body) / pitch).floor() as u32 + 1;
        Some(Self {
            columns,
            chars: chars as u32,
            body,
            pitch,
            gutter,
            offset: (area.width - width) / 2.0,
            lines,
        })
    }

    /// Width of one column.
    pub fn column(&self) -> f64 {
        f64::from(self.chars) * self.body
    }

    /// Width of `span` columns with the gutters between them.
    pub fn span_width(&self, span: u32) -> f64 {
        f64::from(span) * self.column() + f64::from(span.saturating_sub(1)) * self.gutter
    }

    /// The measure of `span` columns in characters of body text.
    pub fn span_chars(&self, span: u32) -> f64 {
        self.span_width(span) / self.body
    }

    /// Lines a block of `height` points takes: whole lines, so that what follows it stays
    /// on the grid (行取り). The last line of a block needs only the body size.
    pub fn lines_for(&self, height: f64) -> u32 {
        if height <= 0.0 {
            return 0;
        }
        let leading = self.pitch - self.body;
        // A hundredth of a point of slack: measured heights are sums of floats.
        (((height + leading - 0.01) / self.pitch).ceil() as u32).max(1)
    }

    /// The height of `lines` lines, from the top of the first to the foot of the last.
    pub fn height_of(&self, lines: u32) -> f64 {
        if lines == 0 { 0.0 } else { f64::from(lines) * self.pitch - (self.pitch - self.body) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a4() -> Area {
        Area { width: 186.0 * PT_PER_MM, height: 276.0 * PT_PER_MM }
    }

    #[test]
    fn columns_are_whole_characters_and_fill_the_area() {
        for columns in 1..=4 {
            for body in [8.0, 8.5, 9.0, 9.5, 10.0, 10.5] {
                let Some(g) = Grid::new(a4(), columns, body, body * 1.7, (1.5, 3.0), 10) else {
                    continue;
                };
                assert_eq!(g.column(), f64::from(g.chars) * body);
                let used = g.span_width(columns) + 2.0 * g.offset;
                assert!((used - a4().width).abs() < 1e-6, "{columns} × {body}: {used}");
                if columns > 1 {
                    assert!(g.gutter >= 1.5 * body - 1e-9 && g.gutter <= 3.0 * body + 1e-9);
                }
                assert!(g.offset >= -1e-9);
                // The lines fit the height, and one more would not.
                assert!(g.height_of(g.lines) <= a4().height + 1e-9);
                assert!(g.height_of(g.lines + 1) > a4().height);
            }
        }
    }

    #[test]
    fn a4_at_nine_point_has_the_expected_measures() {
        let g = Grid::new(a4(), 2, 9.0, 15.3, (1.5, 3.0), 10).unwrap();
        // 527.2 pt − 13.5 pt gutter = 513.7; / 18 = 28.5 → 28 characters a column.
        assert_eq!(g.chars, 28);
        assert!(Grid::new(a4(), 4, 10.5, 17.85, (1.5, 3.0), 12).is_none());
    }

    #[test]
    fn blocks_take_whole_lines() {
        let g = Grid::new(a4(), 2, 10.0, 17.0, (1.5, 3.0), 10).unwrap();
        assert_eq!(g.lines_for(10.0), 1);
        assert_eq!(g.lines_for(27.0), 2);
        assert_eq!(g.lines_for(27.5), 3);
        assert_eq!(g.height_of(2), 27.0);
        assert_eq!(g.lines_for(g.height_of(5)), 5);
    }
}

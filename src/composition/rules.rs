//! A layout's composition rules (`composition.toml`): the ranges kaiho may choose sizes
//! from, the grid, the spacing, the weights of the objective and what each block kind
//! allows. They live with the layout so that a designer tunes them there.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The file in a layout folder that holds its rules.
pub const FILE: &str = "composition.toml";

/// The built-in leaflet's rules: they also compose for a layout that has none of its own.
pub const LEAFLET: &str = include_str!("../../layouts/leaflet/composition.toml");

/// Everything `composition.toml` says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rules {
    /// Margins of the text area.
    pub paper: PaperRules,
    /// Body size range and line pitch.
    #[serde(rename = "type")]
    pub type_: TypeRules,
    /// Columns and gutters.
    pub grid: GridRules,
    /// Gaps between rows and stacked blocks.
    pub space: SpaceRules,
    /// Weights of the objective.
    pub objective: Objective,
    /// Per block kind.
    #[serde(default)]
    pub kinds: BTreeMap<String, KindRules>,
}

/// Margins, in millimetres.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaperRules {
    /// Left and right.
    pub margin_x: f64,
    /// Top.
    pub margin_top: f64,
    /// Bottom.
    pub margin_bottom: f64,
}

/// Body size range, in points, and the line pitch as a multiple of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TypeRules {
    /// Smallest body size.
    pub body_min: f64,
    /// Largest body size of a volume whose pages fill.
    pub body_max: f64,
    /// Largest body size of a volume whose pages keep a band of empty space even at
    /// `body-max` (`body-max` when absent: type never grows past it). Larger type is what
    /// a bulletin's readers want first, and it fills a page more evenly than space does.
    pub body_grow: Option<f64>,
    /// Steps between candidate sizes.
    pub body_step: f64,
    /// Line pitch in body sizes.
    pub pitch: f64,
    /// The loosest line pitch a page may take when its content leaves a band of empty
    /// space, in body sizes (`pitch` when absent: leading never loosens).
    pub pitch_max: Option<f64>,
    /// Steps between the pitches tried when loosening, in body sizes.
    #[serde(default = "pitch_step")]
    pub pitch_step: f64,
    /// How far below the largest size at which every page fits kaiho may still go, in
    /// points, when a smaller size composes the pages better (see `Objective::shrink`);
    /// 0 when absent: the largest size that fits is kept.
    pub body_shrink: Option<f64>,
}

fn pitch_step() -> f64 {
    0.05
}

impl TypeRules {
    /// The loosened pitches a page may take, tightest first, in body sizes (without
    /// `pitch` itself).
    pub fn looser_pitches(&self) -> Vec<f64> {
        let most = self.pitch_max.unwrap_or(self.pitch);
        let steps = ((most - self.pitch) / self.pitch_step).round().max(0.0) as u32;
        (1..=steps).map(|i| self.pitch + f64::from(i) * self.pitch_step).collect()
    }

    /// The candidate body sizes, largest first.
    pub fn sizes(&self) -> Vec<f64> {
        let steps = ((self.body_max - self.body_min) / self.body_step).round().max(0.0) as u32;
        (0..=steps).map(|i| self.body_max - f64::from(i) * self.body_step).collect()
    }

    /// How many steps of `body-step` below the largest size that fits may be tried.
    pub fn shrink_steps(&self) -> usize {
        (self.body_shrink.unwrap_or(0.0) / self.body_step + 1e-9).floor().max(0.0) as usize
    }

    /// The body sizes past `body-max` a volume with room to spare may grow to, largest
    /// first (empty when `body-grow` is absent).
    pub fn grown_sizes(&self) -> Vec<f64> {
        let most = self.body_grow.unwrap_or(self.body_max);
        let steps = ((most - self.body_max) / self.body_step).round().max(0.0) as u32;
        (0..steps).map(|i| most - f64::from(i) * self.body_step).collect()
    }
}

/// The grid.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GridRules {
    /// Column counts to try.
    pub columns: Vec<u32>,
    /// Narrowest column, in characters.
    pub min_chars: u32,
    /// Least gutter, in characters.
    pub gutter_min: f64,
    /// Widest gutter, in characters.
    pub gutter_max: f64,
}

/// Spacing, in lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SpaceRules {
    /// Least gap between rows.
    pub gap_min: u32,
    /// Widest gap between rows.
    pub gap_max: u32,
    /// Gap between blocks stacked in one column.
    pub stack_gap: u32,
    /// Room left at the foot is shared out between the rows, but no gap grows past this,
    /// in millimetres.
    pub gap_most_mm: f64,
}

/// The weights of the objective (see `composition.toml` for what each one costs).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Objective {
    /// An empty line in a column shorter than its row.
    pub hole: f64,
    /// An empty line at the foot of the page.
    pub underfill: f64,
    /// A line of gap beyond the least.
    pub spread: f64,
    /// A character of measure outside the preferred range, per line.
    pub measure: f64,
    /// A percent of photo cropped beyond need.
    pub crop: f64,
    /// Each row beyond the first.
    pub row: f64,
    /// Blocks of different kinds stacked in one column, per pair.
    pub mixed: f64,
    /// A line of empty band taller than `gap-most-mm` that no gap can take.
    pub band: f64,
    /// A line of a column that a row leaves empty beside its blocks.
    pub empty: f64,
    /// A line of a box set narrower than its span (`inset`), per column of width it
    /// leaves beside itself.
    pub inset: f64,
    /// A line of a column in a row of blocks of one kind set unequally (stacks of
    /// different spans or block counts).
    pub parallel: f64,
    /// A line of a row, per column, in which a photo stands apart from its story.
    pub apart: f64,
    /// Each step of body size below the largest at which every page fits, per page:
    /// what a better composition must save for kaiho to set the type smaller.
    pub shrink: f64,
}

/// What a block kind allows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KindRules {
    /// `full`: always the whole width of the page.
    pub spans: Option<SpansRule>,
    /// The narrowest measure, in characters.
    pub min_chars: Option<f64>,
    /// The widest measure of its text, in characters.
    pub max_chars: Option<f64>,
    /// The measure it reads best at.
    pub ideal_chars: Option<[f64; 2]>,
    /// Running text that flows from column to column.
    #[serde(default)]
    pub flow: bool,
    /// A box that, in a span wider than its `max-chars`, stands centred in the span at
    /// that measure, rather than the span being refused (which can leave a column empty
    /// beside it).
    #[serde(default)]
    pub inset: bool,
    /// Running text flows into several columns only when each gets at least this many
    /// lines: a short text split into columns reads as scraps.
    pub flow_lines: Option<u32>,
    /// A block made of parts kept whole (a question with its answer) whose parts flow
    /// from column to column of its span, each column as tall as the tallest needs.
    #[serde(default)]
    pub units: bool,
    /// Empty lines the layout sets between two parts of such a block in one column.
    pub unit_gap: Option<u32>,
    /// Photos: the largest share of width or height a frame may crop away.
    pub max_crop: Option<f64>,
    /// A block whose inner spacing may grow: by at most this share of its height.
    pub stretch: Option<f64>,
    /// A block the layout may also draw shorter than its own height (a profile's portrait
    /// cropped to its text): measured both ways, it takes any height between, and each
    /// line short of its own costs as a photo's crop does.
    #[serde(default)]
    pub compact: bool,
    /// Galleries: each photo at least this many characters wide.
    pub cell_chars: Option<f64>,
    /// Galleries: characters between photos.
    pub gap_chars: Option<f64>,
    /// Tables: each column at least as wide as its longest cell, up to this many
    /// characters; a span narrower than the table's columns need is refused.
    pub column_chars: Option<f64>,
}

/// Which widths a kind may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpansRule {
    /// Only the whole width.
    Full,
    /// Any number of columns.
    Any,
}

/// Why a layout's rules cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}\n  hint: see the comments in the leaflet's composition.toml")]
pub struct RulesError {
    /// The file, for the message.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl Rules {
    /// Reads and checks the rules of a layout file.
    pub fn parse(file: &str, text: &str) -> Result<Self, RulesError> {
        let error = |message: String| RulesError { file: file.to_owned(), message };
        let rules: Rules = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        let t = &rules.type_;
        if !(t.body_min > 0.0 && t.body_min <= t.body_max && t.body_step > 0.0 && t.pitch >= 1.0)
            || t.pitch_max.is_some_and(|m| m < t.pitch)
            || t.body_grow.is_some_and(|g| g < t.body_max)
            || t.pitch_step <= 0.0
        {
            return Err(error(
                "type: body-min ≤ body-max ≤ body-grow, body-step > 0, 1 ≤ pitch ≤ pitch-max and pitch-step > 0 are needed".into(),
            ));
        }
        if rules.grid.columns.is_empty() || rules.grid.columns.iter().any(|c| !(1..=6).contains(c))
        {
            return Err(error("grid.columns: list column counts from 1 to 6".into()));
        }
        if rules.space.gap_min > rules.space.gap_max {
            return Err(error("space: gap-min must not exceed gap-max".into()));
        }
        Ok(rules)
    }

    /// The rules of a block kind (an unlisted kind may take any width).
    pub fn kind(&self, kind: &str) -> KindRules {
        self.kinds.get(kind).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leaflet_rules_read() {
        let rules = Rules::parse("composition.toml", LEAFLET).unwrap();
        let sizes = rules.type_.sizes();
        assert_eq!(sizes.first(), Some(&rules.type_.body_max));
        assert!((sizes.last().unwrap() - rules.type_.body_min).abs() < 1e-9);
        let grown = rules.type_.grown_sizes();
        assert!(grown.iter().all(|s| *s > rules.type_.body_max), "{grown:?}");
        assert!(grown.windows(2).all(|w| w[0] > w[1]), "{grown:?}");
        assert_eq!(rules.kind("masthead").spans, Some(SpansRule::Full));
        assert!(rules.kind("text").flow);
        // Questions and answers flow pair by pair, a line apart; statistics may stand in
        // a column.
        assert!(rules.kind("qa").units && rules.kind("qa").unit_gap == Some(1));
        assert_eq!(rules.kind("stats").spans, None);
        // A profile's portrait may be cropped to its text on a full page.
        assert!(rules.kind("profile").compact && !rules.kind("text").compact);
        assert!(rules.type_.shrink_steps() >= 1 && rules.objective.shrink > 0.0);
    }

    #[test]
    fn bad_rules_are_refused_with_the_file_named() {
        let bad = LEAFLET.replace("body-min = 8.0", "body-min = 12.0");
        let e = Rules::parse("x/composition.toml", &bad).unwrap_err();
        assert!(e.to_string().starts_with("x/composition.toml: type:"), "{e}");
        let e = Rules::parse("c.toml", "[paper]\nmargin-x = 1\nbogus = 2\n").unwrap_err();
        assert!(e.to_string().contains("bogus"), "{e}");
    }
}

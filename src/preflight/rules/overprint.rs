//! Black overprint (墨ノセ): K100 text and K100 rules up to 1 pt print over the inks beneath
//! them, or knock out when the series turned it off; white that overprints vanishes.

use crate::pdf::overprint::{BLACK_RULE_PT, is_k100, is_white};
use crate::preflight::page::marks::Colour;
use crate::preflight::report::{BlackMarks, Level};

use super::Judge;

pub(super) fn judge(judge: &mut Judge<'_>) {
    if !judge.print() {
        return;
    }
    let marks = judge.marks;
    let mut black = BlackMarks::default();
    let mut white = 0;
    for run in marks.text.iter().filter(|r| r.filled) {
        let Colour::Cmyk(cmyk) = run.fill else { continue };
        if is_k100(cmyk) {
            black.text += 1;
            black.text_overprinting += usize::from(run.overprint.fills_over());
        } else if is_white(cmyk) && run.overprint.fills_over() {
            white += 1;
        }
    }
    for stroke in &marks.strokes {
        if matches!(stroke.colour, Colour::Cmyk(c) if is_k100(c))
            && stroke.width <= BLACK_RULE_PT + 1e-6
        {
            black.rules += 1;
            black.rules_overprinting += usize::from(stroke.overprint.strokes_over());
        }
    }
    judge.report().black = black;
    let (text, rules) = if judge.expect.overprint_black {
        (black.text - black.text_overprinting, black.rules - black.rules_overprinting)
    } else {
        (black.text_overprinting, black.rules_overprinting)
    };
    let counted = [(text, "K100 text run(s)"), (rules, "thin K100 rule(s)")];
    let marks: Vec<String> =
        counted.iter().filter(|(n, _)| *n > 0).map(|(n, what)| format!("{n} {what}")).collect();
    if !marks.is_empty() {
        let what = if judge.expect.overprint_black {
            "knock out the colours beneath; black overprint (墨ノセ) was expected"
        } else {
            "overprint, though black overprint (墨ノセ) is turned off"
        };
        judge.find(Level::Warning, "overprint", format!("{} {what}", marks.join(" and ")));
    }
    if white > 0 {
        let message = format!("{white} run(s) of white text overprint, so they vanish in print");
        judge.error("overprint", message);
    }
}

//! Fonts: every font embedded, and none of Type 3 (glyphs drawn by content streams, which
//! RIPs handle badly and print shops refuse).

use super::Judge;

pub(super) fn judge(judge: &mut Judge<'_>) {
    let marks = judge.marks;
    judge.report().fonts = marks.fonts.len();
    // Some producers split one font into many (Chromium: a Type 3 font per 256 glyphs); each
    // is named once.
    let mut named: Vec<&str> = Vec::new();
    for font in &marks.fonts {
        if named.contains(&font.name.as_str()) {
            continue;
        }
        if font.type3 {
            judge.error("fonts", format!("font {} is a Type 3 font", font.name));
        } else if !font.embedded {
            judge.error("fonts", format!("font {} is not embedded", font.name));
        } else {
            continue;
        }
        named.push(&font.name);
    }
}

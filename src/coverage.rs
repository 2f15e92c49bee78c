//! No tofu: every character a volume prints must be drawable by the series' fonts.
//!
//! Typst silently draws a missing character as an empty box (glyph 0). kaiho checks the
//! texts before typesetting, where it still knows the YAML location of each, and scans the
//! typeset glyphs afterwards for anything the layout itself added.

use std::collections::BTreeSet;
use std::path::Path;

use typst_layout::PagedDocument;

use crate::diag::Diagnostic;
use crate::fonts::FontSet;
use crate::model::TextRef;

/// Characters of `texts` that no face of `fonts` has, each reported once per text.
pub fn check_texts(texts: &[TextRef], fonts: &FontSet, file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for t in texts {
        let mut missing = BTreeSet::new();
        let chars = t.text.chars().chain(t.readings.iter().flat_map(|r| r.chars()));
        for c in chars.filter(|c| !c.is_whitespace() && !fonts.covers(*c)) {
            missing.insert(c);
        }
        for c in missing {
            out.push(
                Diagnostic::error(
                    file,
                    format!(
                        "the fonts cannot draw `{c}` (U+{:04X}); it would print as an empty box",
                        c as u32
                    ),
                )
                .at(t.at)
                .path(t.path.clone())
                .hint(hint_for(c)),
            );
        }
    }
    out
}

/// Glyphs the typeset document draws as empty boxes (the layout's own text included).
pub fn check_document(document: &PagedDocument, file: &Path) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    crate::inspect::glyphs(document)
        .into_iter()
        .filter(|g| g.id == 0 && !g.text.trim().is_empty())
        .filter(|g| seen.insert((g.page, g.text.clone())))
        .map(|g| {
            let code =
                g.text.chars().map(|c| format!("U+{:04X}", c as u32)).collect::<Vec<_>>().join(" ");
            Diagnostic::error(
                file,
                format!("page {}: `{}` ({code}) is printed as an empty box", g.page, g.text),
            )
            .hint("the font has no glyph for it; if the layout adds this text, change the layout")
        })
        .collect()
}

fn hint_for(c: char) -> String {
    let emoji = matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F);
    if emoji {
        "emoji are not in Noto CJK; write the word instead (e.g. 笑顔 for 😀)".into()
    } else {
        "replace it with a common character, or choose a font that has it (fonts: in series.yaml)"
            .into()
    }
}

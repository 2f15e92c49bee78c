//! Text on a page: fonts read once per object, and each run shown measured — how far it
//! moves the text position, its size on the page, and the box it covers.

use std::sync::Arc;

use kurbo::Affine;

use crate::pdf::{Name, Object, ObjectIdentifier, Resources, number};

use super::Reader;
use super::marks::TextRun;
use super::resources::{self, FontInfo};
use super::state::{State, bounds, scale};

impl Reader {
    /// The font `name` of `resources`, read once per object.
    pub(super) fn font(
        &mut self,
        resources: &Resources<'_>,
        name: &Name<'_>,
    ) -> Option<Arc<FontInfo>> {
        let id = font_ref(resources, name);
        if let Some(font) = id.and_then(|id| self.fonts.get(&id)) {
            return Some(font.clone());
        }
        let font = Arc::new(resources::font(&resources.get_font(name)?, name));
        match id {
            Some(id) => {
                self.marks.fonts.push(font.usage.clone());
                self.fonts.insert(id, font.clone());
            }
            // A font given inline (not by reference) is counted by its name.
            None if !self.marks.fonts.contains(&font.usage) => {
                self.marks.fonts.push(font.usage.clone())
            }
            None => {}
        }
        Some(font)
    }

    /// Shows text: moves the text matrix past it, and records the run.
    pub(super) fn show<'a>(
        &mut self,
        gs: &State,
        text: &mut Affine,
        parts: impl IntoIterator<Item = Object<'a>>,
    ) {
        let Some(font) = gs.font.clone() else { return };
        let size = gs.font_size;
        let start = *text;
        let (mut advance, mut glyphs) = (0.0, 0usize);
        for part in parts {
            match part {
                Object::String(bytes) => {
                    for code in bytes.chunks(font.code_bytes.max(1)) {
                        let code = code.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
                        let word =
                            if font.code_bytes == 1 && code == 32 { gs.word_spacing } else { 0.0 };
                        advance += if font.vertical {
                            font.vertical_advance * font.matrix[1] * size + gs.char_spacing + word
                        } else {
                            (font.width(code) * font.matrix[0] * size + gs.char_spacing + word)
                                * gs.horizontal_scale
                        };
                        glyphs += 1;
                    }
                }
                other => {
                    if let Some(adjust) = number(&other) {
                        let by = adjust / 1000.0 * size;
                        advance -= if font.vertical { by } else { by * gs.horizontal_scale };
                    }
                }
            }
        }
        *text = if font.vertical {
            start * Affine::translate((0.0, advance))
        } else {
            start * Affine::translate((advance, 0.0))
        };
        if glyphs == 0 || size == 0.0 || !gs.text_visible() {
            return;
        }
        let user = gs.ctm * start;
        // One unit of text space is the em, whatever a Type 3 font's glyph space: the font
        // size is `Tf` (its FontMatrix scales its glyphs and widths into that unit).
        let effective = size * scale(&user);
        // The run's box: from its start to its end, from the descender to the ascender
        // (−0.12 em to 0.88 em across the baseline, upwards in glyph space, which a Type 3
        // font may flip); a vertical run is one em wide.
        let corners = if font.vertical {
            [(-0.5 * size, 0.0), (0.5 * size, advance)]
        } else {
            let up = size * font.matrix[1].signum();
            [(0.0, -0.12 * up + gs.rise), (advance, 0.88 * up + gs.rise)]
        };
        let [(x0, y0), (x1, y1)] = corners;
        let area =
            bounds(&user, [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]).filter(|_| self.in_cell == 0);
        self.marks.text.push(TextRun {
            size: effective,
            area,
            fill: gs.fill.colour.clone(),
            filled: gs.text_filled(),
            overprint: gs.overprint,
        });
        if gs.text_filled() {
            self.ink(&gs.fill, None);
        }
        if gs.text_stroked() {
            self.ink(&gs.stroke, None);
        }
    }
}

/// The object a font resource refers to, looked up without reading the font.
fn font_ref(resources: &Resources<'_>, name: &Name<'_>) -> Option<ObjectIdentifier> {
    let mut at = Some(resources);
    while let Some(r) = at {
        if r.fonts.contains_key(&**name) {
            return r.fonts.get_ref(&**name).map(ObjectIdentifier::from);
        }
        at = r.parent();
    }
    None
}

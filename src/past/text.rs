//! The searchable text of a past issue, page by page: what its text layer holds, or what
//! OCR read where it holds nothing readable. The archive keeps it as JSON beside the PDF,
//! so `kaiho search` never has to read the PDF again.

use serde::{Deserialize, Serialize};

use crate::pdf::text::Content;

/// The text of every page of a past issue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PastText {
    /// Page by page, in order.
    pub pages: Vec<PageText>,
}

/// The text of one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageText {
    /// 1-based page number.
    pub page: usize,
    /// Where the text comes from.
    pub from: From,
    /// The text, lines separated by line breaks.
    pub text: String,
}

/// Where a page's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum From {
    /// The PDF's text layer.
    Text,
    /// OCR of the rendered page (with whatever the text layer held).
    Ocr,
    /// Nothing readable, and no OCR to read it: the page cannot be searched.
    Unread,
}

/// How a page's text can be read, judged from what it draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Its text layer holds its text.
    Text,
    /// It draws nothing.
    Blank,
    /// No text layer: a scan, or text turned into outlines.
    Missing,
    /// Text in fonts that do not say which characters they draw (no ToUnicode map).
    Unmapped {
        /// Glyphs without a character.
        unreadable: usize,
        /// All glyphs.
        glyphs: usize,
    },
}

impl Layer {
    /// Judges a page: a text layer counts when at most 1 in 20 glyphs lack a character and
    /// it is more than a few stamped characters on a page-filling image.
    pub fn of(content: &Content, page_area: f64) -> Self {
        let readable = content.glyphs.iter().filter(|g| !g.text.trim().is_empty()).count();
        let unreadable = content.glyphs.iter().filter(|g| g.text.is_empty()).count();
        let glyphs = content.glyphs.len();
        if glyphs == 0 && content.images == 0 && content.paths == 0 {
            Self::Blank
        } else if unreadable * 20 > glyphs && glyphs > 0 {
            Self::Unmapped { unreadable, glyphs }
        } else if readable == 0 || (readable < 20 && content.image_area * 2.0 > page_area) {
            Self::Missing
        } else {
            Self::Text
        }
    }

    /// Whether OCR would find more than the text layer holds.
    pub fn needs_ocr(self) -> bool {
        matches!(self, Self::Missing | Self::Unmapped { .. })
    }
}

/// The text of the glyphs a page draws, visible or not (a scan's recognised-text layer is
/// invisible), a line break wherever the baseline moves.
pub fn layer_text(content: &Content) -> String {
    crate::pdf::text::text(&content.glyphs)
}

/// The form texts are searched and shown in: NFKC (which also reads the Kangxi radicals
/// some PDF makers map ideographs to as the ideographs, ⼩ as 小), white space between
/// Japanese characters dropped (line breaks, and OCR's spaces between characters) and any
/// other white space a single space.
pub fn normalise(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let chars: Vec<char> = text.nfkc().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            let joined = before.is_some_and(is_wide) && after.is_some_and(is_wide);
            if !joined && before.is_some() && after.is_some() {
                out.push(' ');
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Japanese characters and full-width punctuation: text set without spaces between them.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_form_joins_japanese_lines_and_reads_radicals_as_ideographs() {
        assert_eq!(normalise("⼩諸市の防災\n訓練"), "小諸市の防災訓練");
        assert_eq!(normalise("防 災 訓 練 の お 知 ら せ"), "防災訓練のお知らせ");
        assert_eq!(normalise("  KOMORO\nBrand  News "), "KOMORO Brand News");
        assert_eq!(normalise("ＶＯＬ．９ 号"), "VOL.9 号");
    }
}

//! `kaiho search`: where a term appears across all volumes, oldest first — in the texts of
//! typeset volumes, and on the pages of past issues.

use crate::model::Volume;
use crate::past::text::{From, PastText, normalise};

/// One place a term appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// VOL.n.
    pub volume: u32,
    /// Issue label.
    pub issue: String,
    /// 1-based page.
    pub page: usize,
    /// YAML path of the text; for a past issue, its PDF (and `(OCR)` where OCR read it).
    pub path: String,
    /// The text around the match.
    pub context: String,
}

/// Every text of `volume` containing `term` (ASCII letters match either case; readings
/// of ruby count too).
pub fn find(volume: &Volume, term: &str) -> Vec<Hit> {
    let needle = term.to_lowercase();
    volume
        .texts
        .iter()
        .filter(|t| {
            t.text.to_lowercase().contains(&needle) || t.readings.iter().any(|r| r.contains(term))
        })
        .map(|t| Hit {
            volume: volume.number,
            issue: volume.issue.clone(),
            page: page_of(&t.path),
            path: t.path.clone(),
            context: excerpt(&t.text, &needle),
        })
        .collect()
}

/// Every page of a past issue's `text` containing `term`, the first match on each (matched
/// in the search form of [`normalise`]: NFKC, any case, line breaks between Japanese
/// characters ignored). `pdf` is the PDF as the volume file names it.
pub fn find_in_pages(number: u32, issue: &str, pdf: &str, text: &PastText, term: &str) -> Vec<Hit> {
    let needle = normalise(term).to_lowercase();
    text.pages
        .iter()
        .filter_map(|page| {
            let flat = normalise(&page.text);
            flat.to_lowercase().contains(&needle).then(|| Hit {
                volume: number,
                issue: issue.to_owned(),
                page: page.page,
                path: match page.from {
                    From::Ocr => format!("{pdf} (OCR)"),
                    From::Text | From::Unread => pdf.to_owned(),
                },
                context: excerpt(&flat, &needle),
            })
        })
        .collect()
}

/// `pages[1].blocks[0]…` → 2.
fn page_of(path: &str) -> usize {
    path.strip_prefix("pages[")
        .and_then(|r| r.split(']').next())
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(0, |n| n + 1)
}

/// Up to 30 characters either side of the first match, on one line.
fn excerpt(text: &str, needle: &str) -> String {
    let flat: String = text.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    let chars: Vec<char> = flat.chars().collect();
    let lower: Vec<char> = flat.to_lowercase().chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    let at = (0..lower.len().saturating_sub(needle.len().saturating_sub(1)).max(1))
        .find(|&i| lower.get(i..i + needle.len()) == Some(&needle[..]))
        .unwrap_or(0);
    let start = at.saturating_sub(30);
    let end = (at + needle.len() + 30).min(chars.len());
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

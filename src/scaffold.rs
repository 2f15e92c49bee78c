//! `kaiho new`: the next volume, scaffolded from a previous one.
//!
//! The new file has the previous volume's structure — its pages, blocks and the optional
//! keys they used — with every text emptied and a comment saying what goes there. Its number
//! is one more, its issue label and date one month later. `kaiho check` then lists every text
//! still to write (an empty text is an error).

use std::fmt::Write as _;

use crate::model::{BlockKind, Date, Item, Volume};
use crate::rich::RichText;

/// The volume a new one follows: its number, issue label and date.
#[derive(Debug, Clone, Copy)]
pub struct After<'a> {
    /// VOL.n.
    pub number: u32,
    /// e.g. 2024年2月号.
    pub issue: &'a str,
    /// Its date.
    pub date: Date,
}

/// The YAML of the volume after `after`, with the structure of `structure` (the same
/// volume, or the last typeset one when `after` is a past issue). `schema` is the
/// `yaml-language-server` line to keep, if the structure's file had one.
pub fn next_volume(after: After, structure: &Volume, from: &str, schema: Option<&str>) -> String {
    let mut y = String::new();
    if let Some(line) = schema {
        let _ = writeln!(y, "{line}");
    }
    let (issue, date) = next_issue(after.issue, after.date);
    let _ = writeln!(y, "# VOL.{} — scaffolded from {from} by `kaiho new`.", after.number + 1);
    let _ = writeln!(
        y,
        "# Write every '' below, delete what this volume does not need, then run `kaiho check`."
    );
    let _ = writeln!(y, "volume: {}", after.number + 1);
    match issue {
        Some(issue) => {
            let _ = writeln!(y, "issue: {issue}");
        }
        None => {
            let _ = writeln!(y, "issue: ''            # the issue label, e.g. 2024年3月号");
        }
    }
    let _ = writeln!(y, "date: {date}        # publication date, YYYY-MM-DD");
    let _ = writeln!(y, "pages:");
    for page in &structure.pages {
        match page.columns {
            Some(columns) => {
                let _ = writeln!(y, "  - columns: {columns}");
                let _ = writeln!(y, "    blocks:");
            }
            None => {
                let _ = writeln!(y, "  - blocks:");
            }
        }
        for block in &page.blocks {
            block_yaml(&mut y, &block.kind);
        }
    }
    y
}

fn field(y: &mut String, indent: usize, key: &str, comment: &str) {
    let _ = writeln!(
        y,
        "{:indent$}{key}: ''{:>w$}# {comment}",
        "",
        "",
        w = 14usize.saturating_sub(key.len())
    );
}

fn optional(y: &mut String, indent: usize, key: &str, present: &Option<RichText>, comment: &str) {
    if present.is_some() {
        field(y, indent, key, comment);
    }
}

fn items(y: &mut String, indent: usize, list: &[Item], comment: &str) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(y, "{:indent$}items:{:>9}# {comment}; one line per item", "", "");
    let _ = writeln!(y, "{:indent$}  - ''", "");
    if list.iter().any(|i| i.example.is_some()) {
        let _ = writeln!(y, "{:indent$}  - text: ''        # an item with an example (例)", "");
        let _ = writeln!(y, "{:indent$}    example: ''", "");
    }
}

fn block_yaml(y: &mut String, kind: &BlockKind) {
    const B: usize = 10;
    match kind {
        BlockKind::Masthead => {
            let _ = writeln!(y, "      - masthead: {{}}");
        }
        BlockKind::Colophon => {
            let _ = writeln!(y, "      - colophon: {{}}");
        }
        BlockKind::Headline(h) => {
            let _ = writeln!(y, "      - headline:");
            optional(y, B, "kicker", &h.kicker, "the small line above the headline");
            field(y, B, "title", "the headline");
            optional(y, B, "subtitle", &h.subtitle, "the line below it");
        }
        BlockKind::Stats { stats } => {
            let _ = writeln!(y, "      - stats:");
            for s in stats {
                let _ = writeln!(
                    y,
                    "          - figure: ''    # the number, e.g. 25 (digits are set large)"
                );
                let _ = writeln!(y, "            unit: ''      # e.g. 位, 人, 円余");
                if s.context.is_some() {
                    let _ = writeln!(
                        y,
                        "            context: ''   # what it is out of, e.g. 812市区中"
                    );
                }
                let _ = writeln!(y, "            title: ''     # what is counted");
                if s.note.is_some() {
                    let _ = writeln!(y, "            note: ''      # the source of the figure");
                }
            }
        }
        BlockKind::Section(s) => {
            let _ = writeln!(y, "      - section:");
            let _ = writeln!(y, "          number: {}", s.number);
            field(y, B, "theme", "the section's theme, e.g. 子育て・教育");
            optional(y, B, "tagline", &s.tagline, "the line under the theme");
            items(y, B, &s.items, "what was done");
            if s.callout.is_some() {
                let _ = writeln!(y, "          callout:");
                field(y, B + 2, "title", "the notice's title");
                field(y, B + 2, "body", "the notice's text");
            }
        }
        BlockKind::Callout(_) => {
            let _ = writeln!(y, "      - callout:");
            field(y, B, "title", "the notice's title");
            field(y, B, "body", "the notice's text");
        }
        BlockKind::Manifesto(m) => {
            let _ = writeln!(y, "      - manifesto:");
            field(y, B, "heading", "the large line at the top");
            optional(y, B, "lead", &m.lead, "the line under it");
            optional(y, B, "title", &m.title, "e.g. 主な最重点政策");
            optional(y, B, "note", &m.note, "where to read more");
            let _ = writeln!(y, "          priorities:");
            for p in &m.priorities {
                let _ = writeln!(y, "            - number: {}", p.number);
                field(y, B + 4, "theme", "the policy");
                optional(y, B + 4, "subtitle", &p.subtitle, "the line under it");
                if !p.goals.is_empty() {
                    let _ = writeln!(
                        y,
                        "              goals: ['']      # numbered ①, ② … by the layout"
                    );
                }
                items(y, B + 4, &p.items, "the measures");
            }
        }
        BlockKind::Text(t) => {
            let _ = writeln!(y, "      - text:");
            optional(y, B, "heading", &t.heading, "the heading");
            field(y, B, "body", "the text; a blank line starts a new paragraph");
            optional(y, B, "signature", &t.signature, "who signs it");
        }
        BlockKind::Event(e) => {
            let _ = writeln!(y, "      - event:");
            field(y, B, "title", "what");
            field(y, B, "when", "when, as it should be printed");
            optional(y, B, "place", &e.place, "where");
            optional(y, B, "body", &e.body, "more about it");
            optional(y, B, "contact", &e.contact, "whom to ask");
        }
        BlockKind::Photo(_) => {
            let _ = writeln!(y, "      - photo:");
            field(y, B, "src", "the image file, relative to this file");
            field(y, B, "caption", "what the photo shows");
        }
        BlockKind::Table(t) => {
            let _ = writeln!(y, "      - table:");
            optional(y, B, "caption", &t.caption, "the title above the table");
            let cells = vec!["''"; t.header.len()].join(", ");
            let _ = writeln!(y, "          header: [{cells}]   # one heading per column");
            let _ = writeln!(y, "          rows:               # one cell per column");
            let _ = writeln!(y, "            - [{cells}]");
            if t.total.is_some() {
                let _ = writeln!(y, "          total: [{cells}]");
            }
            optional(y, B, "note", &t.note, "a note under the table");
        }
        BlockKind::Qr(q) => {
            let _ = writeln!(y, "      - qr:");
            field(y, B, if q.url.is_some() { "url" } else { "text" }, "what the code opens");
            optional(y, B, "caption", &q.caption, "e.g. 詳しくはこちら");
        }
        BlockKind::Profile(p) => {
            let _ = writeln!(y, "      - profile:");
            if p.portrait.is_some() {
                field(y, B, "photo", "the portrait, relative to this file");
            }
            field(y, B, "name", "the name");
            optional(y, B, "role", &p.role, "the role");
            if !p.career.is_empty() {
                let _ = writeln!(y, "          career:");
                let _ = writeln!(y, "            - {{ year: '', text: '' }}");
            }
            optional(y, B, "message", &p.message, "a short message");
        }
        BlockKind::Qa(_) => {
            let _ = writeln!(y, "      - qa:");
            let _ = writeln!(y, "          pairs:");
            let _ = writeln!(y, "            - {{ question: '', answer: '' }}");
        }
        BlockKind::Gallery(g) => {
            let _ = writeln!(y, "      - gallery:");
            let _ = writeln!(y, "          photos:             # 2 to 6");
            for _ in &g.photos {
                let _ = writeln!(y, "            - {{ src: '', caption: '' }}");
            }
        }
        BlockKind::Form(f) => {
            let _ = writeln!(y, "      - form:");
            field(y, B, "title", "e.g. 入会申込書");
            let _ = writeln!(y, "          fields:             # one label per line to fill in");
            for _ in &f.fields {
                let _ = writeln!(y, "            - ''");
            }
            optional(y, B, "send-to", &f.send_to, "where to send it");
        }
        BlockKind::Names(_) => {
            let _ = writeln!(y, "      - names:");
            let _ = writeln!(y, "          names: ['']       # in the order printed");
        }
    }
}

/// The issue label and date one month later: `2024年2月号` → `2024年3月号`.
pub fn next_issue(issue: &str, date: Date) -> (Option<String>, Date) {
    let (year, month) =
        if date.month == 12 { (date.year + 1, 1) } else { (date.year, date.month + 1) };
    let next_date = Date { year, month, day: date.day.min(28) };
    let label = regex::Regex::new(r"^(\d{4})年(\d{1,2})月号$").expect("valid pattern");
    let issue = label.captures(issue).and_then(|c| {
        let (y, m): (i32, u8) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let (y, m) = if m >= 12 { (y + 1, 1) } else { (y, m + 1) };
        Some(format!("{y}年{m}月号"))
    });
    (issue, next_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_issue_is_a_month_later() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(
            next_issue("2024年2月号", d(2024, 2, 1)),
            (Some("2024年3月号".into()), d(2024, 3, 1))
        );
        assert_eq!(
            next_issue("2024年12月号", d(2024, 12, 31)),
            (Some("2025年1月号".into()), d(2025, 1, 28))
        );
        assert_eq!(next_issue("春号", d(2025, 4, 1)).0, None);
    }
}

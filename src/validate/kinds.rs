//! Validation of the block kinds beyond VOL.10's: tables, QR codes, profiles, questions
//! and answers, galleries, forms and name lists; every problem located, with a hint.

use serde_saphyr::Location;

use super::{BlockChecker, Checker};
use crate::model::*;
use crate::qr;
use crate::raw::*;
use crate::rich::RichText;

/// Most columns a table may have: more do not fit a leaflet's page at a readable size.
const MAX_COLUMNS: usize = 8;
/// Narrowest printed QR module: phone cameras read 0.4 mm reliably from a leaflet.
const MIN_MODULE_MM: f64 = 0.4;
/// The default printed width of a QR code, quiet zone included.
const QR_SIZE_MM: f64 = 22.0;

impl Checker<'_> {
    /// A table cell: may be empty (then it is blank), otherwise a text like any other.
    fn cell(&mut self, cell: &Located<RawCell>, path: &str) -> RichText {
        if cell.value.0.trim().is_empty() {
            return RichText::default();
        }
        let text = Located { value: cell.value.0.clone(), at: cell.at };
        self.text(&text, cell.at, path)
    }

    /// A row of cells that must have `columns` cells.
    fn cells(
        &mut self,
        row: &Located<Vec<Located<RawCell>>>,
        columns: usize,
        path: &str,
    ) -> Vec<RichText> {
        if row.value.len() != columns && columns > 0 {
            let split = if row.value.len() > columns { split_number(&row.value) } else { None };
            let hint = match split {
                // In `[a, b]` a comma separates cells, even inside 2,000 (YAML flow style).
                Some((a, b)) => format!(
                    "`{a}` and `{b}` look like one cell split at its comma: inside [ ], quote \
                     a cell that holds a comma, \"{a},{b}\""
                ),
                None => "write one cell per column, in order; \"\" leaves a cell empty".into(),
            };
            self.error(
                row.at,
                path,
                format!(
                    "this row has {} cell(s), but the header has {columns} column(s)",
                    row.value.len()
                ),
                &hint,
            );
        }
        row.value.iter().enumerate().map(|(i, c)| self.cell(c, &format!("{path}[{i}]"))).collect()
    }

    /// An address a reader's phone or browser can open.
    fn url(&mut self, text: &Text, path: &str) -> String {
        let url = self.plain(text, path);
        let scheme = ["https://", "http://", "mailto:", "tel:"].iter().any(|s| url.starts_with(s));
        if !url.is_empty() && (!scheme || url.chars().any(char::is_whitespace)) {
            self.error(
                text.at,
                path,
                format!("`{url}` is not a web address"),
                "write the whole address without spaces, starting with https://",
            );
        }
        url
    }

    /// A focal point in percent, as the layout's 0–1 fractions.
    pub(super) fn focus(
        &mut self,
        focus: &Option<Located<Vec<f64>>>,
        default: [f64; 2],
        path: &str,
    ) -> [f64; 2] {
        match focus {
            None => default,
            Some(f) if f.value.len() == 2 && f.value.iter().all(|v| (0.0..=100.0).contains(v)) => {
                [f.value[0] / 100.0, f.value[1] / 100.0]
            }
            Some(f) => {
                self.error(
                    f.at,
                    path,
                    "the focus is two percentages from 0 to 100: from the left, from the top",
                    "write e.g. focus: [50, 30] for a face in the upper middle",
                );
                default
            }
        }
    }
}

/// A column is one of numbers when every filled cell is a figure, perhaps with a sign
/// before it and a short unit after it (1,200 · △35,000 · 3.5% · 120人 · 12千円).
fn is_number(text: &str) -> bool {
    let t = text.trim().trim_start_matches(['△', '▲', '-', '−', '+', '¥', '￥']);
    let digits = t.trim_end_matches(|c: char| !c.is_ascii_digit());
    let unit = &t[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && unit.chars().count() <= 2
}

impl BlockChecker<'_> {
    /// A table.
    pub(super) fn table(&mut self, t: &RawTable, at: Location, path: &str) -> BlockKind {
        let c = &mut self.c;
        let p = format!("{path}.table");
        let columns = t.header.value.len();
        if columns == 0 || columns > MAX_COLUMNS {
            c.error(
                t.header.at,
                &format!("{p}.header"),
                format!("a table has 1 to {MAX_COLUMNS} columns, this header has {columns}"),
                "write one heading per column, e.g. header: [月日, 行事, 会場]",
            );
        }
        let header: Vec<RichText> = t
            .header
            .value
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let text = Located { value: h.value.0.clone(), at: h.at };
                c.text(&text, t.header.at, &format!("{p}.header[{i}]"))
            })
            .collect();
        if t.rows.value.is_empty() {
            c.error(t.rows.at, &format!("{p}.rows"), "the table has no rows", "add rows of cells");
        }
        let rows: Vec<Vec<RichText>> = t
            .rows
            .value
            .iter()
            .enumerate()
            .map(|(i, r)| c.cells(r, columns, &format!("{p}.rows[{i}]")))
            .collect();
        let total = t.total.as_ref().map(|r| c.cells(r, columns, &format!("{p}.total")));
        let align = match &t.align {
            Some(list) => {
                if list.value.len() != columns {
                    c.error(
                        list.at,
                        &format!("{p}.align"),
                        format!(
                            "`align` lists {} column(s), but the header has {columns}",
                            list.value.len()
                        ),
                        "give one of left, center, right per column, or leave `align` out",
                    );
                }
                let mut align: Vec<Align> = list
                    .value
                    .iter()
                    .map(|a| match a.value {
                        RawAlign::Left => Align::Left,
                        RawAlign::Center => Align::Center,
                        RawAlign::Right => Align::Right,
                    })
                    .collect();
                align.resize(columns, Align::Left);
                align
            }
            None => (0..columns)
                .map(|i| {
                    let cells: Vec<String> = t
                        .rows
                        .value
                        .iter()
                        .chain(&t.total)
                        .filter_map(|r| r.value.get(i))
                        .map(|c| c.value.0.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect();
                    let numbers = !cells.is_empty() && cells.iter().all(|s| is_number(s));
                    if numbers { Align::Right } else { Align::Left }
                })
                .collect(),
        };
        let _ = at;
        BlockKind::Table(Table {
            caption: c.optional(&t.caption, &format!("{p}.caption")),
            header,
            align,
            rows,
            total,
            note: c.optional(&t.note, &format!("{p}.note")),
        })
    }

    /// A QR code: its modules are computed here, so that a text too long to print is a
    /// located error rather than a layout failure.
    pub(super) fn qr(&mut self, q: &RawQr, at: Location, path: &str) -> BlockKind {
        let c = &mut self.c;
        let p = format!("{path}.qr");
        let (text, url) = match (&q.url, &q.text) {
            (Some(u), None) => {
                let url = c.url(u, &format!("{p}.url"));
                (url.clone(), Some(url))
            }
            (None, Some(t)) => (c.plain(t, &format!("{p}.text")), None),
            _ => {
                c.error(
                    at,
                    &p,
                    "a QR code encodes either `url` or `text`, not both or neither",
                    "write e.g. url: https://example.jp/join",
                );
                (String::new(), None)
            }
        };
        let size = q.size.as_ref().map_or(QR_SIZE_MM, |s| s.value);
        if !(15.0..=60.0).contains(&size) {
            let at = q.size.as_ref().map_or(at, |s| s.at);
            c.error(
                at,
                &format!("{p}.size"),
                format!("a QR code of {size} mm is outside 15–60 mm"),
                "write its printed width in millimetres, e.g. size: 22",
            );
        }
        let level = match q.error_correction.as_ref().map(|l| l.value) {
            None | Some(RawEcLevel::M) => qr::Level::M,
            Some(RawEcLevel::Q) => qr::Level::Q,
            Some(RawEcLevel::H) => qr::Level::H,
        };
        let matrix = if text.is_empty() {
            None
        } else {
            let matrix = qr::encode(&text, level);
            if matrix.is_none() {
                c.error(
                    at,
                    &p,
                    format!("the text is too long for a QR code ({} bytes)", text.len()),
                    "shorten it, e.g. link to a page that says the rest",
                );
            }
            matrix
        };
        let matrix = matrix.unwrap_or(qr::Matrix { width: 21, runs: Vec::new() });
        let module = size / f64::from(matrix.width + 2 * qr::QUIET);
        if module < MIN_MODULE_MM && (15.0..=60.0).contains(&size) {
            let needed = (MIN_MODULE_MM * f64::from(matrix.width + 2 * qr::QUIET)).ceil();
            c.error(
                q.size.as_ref().map_or(at, |s| s.at),
                &format!("{p}.size"),
                format!(
                    "at {size} mm this code's modules print {module:.2} mm wide; phones need {MIN_MODULE_MM} mm"
                ),
                &format!("make it at least size: {needed}, or shorten the address"),
            );
        }
        BlockKind::Qr(Qr {
            text,
            url,
            caption: c.optional(&q.caption, &format!("{p}.caption")),
            size,
            modules: matrix.width,
            quiet: qr::QUIET,
            runs: matrix.runs,
            level: level.name(),
        })
    }

    /// A picture of a profile or gallery; `src_key` is the key its file is named by.
    fn picture(
        &mut self,
        (src, src_key): (&Text, &str),
        alt: String,
        focus: &Option<Located<Vec<f64>>>,
        default_focus: [f64; 2],
        path: &str,
    ) -> Picture {
        let (virtual_path, file) = self.image(src, &format!("{path}.{src_key}"));
        let focus = self.c.focus(focus, default_focus, &format!("{path}.focus"));
        Picture { src: virtual_path, file, alt, focus, pixels: [0, 0] }
    }

    /// A profile.
    pub(super) fn profile(&mut self, r: &RawProfile, at: Location, path: &str) -> BlockKind {
        let p = format!("{path}.profile");
        let name = self.c.text(&r.name, at, &format!("{p}.name"));
        let portrait = r.photo.as_ref().map(|src| {
            let alt = match &r.alt {
                Some(alt) => self.c.plain(alt, &format!("{p}.alt")),
                None => name.plain(),
            };
            self.picture((src, "photo"), alt, &r.focus, [0.5, 0.35], &p)
        });
        let c = &mut self.c;
        let crop = match r.crop.as_ref().map(|c| c.value) {
            None => Some(3.0 / 4.0),
            Some(RawCrop::Ratio(w, h)) => Some(w / h),
            Some(RawCrop::Keep) => None,
        };
        let career = r
            .career
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let cp = format!("{p}.career[{i}]");
                let year =
                    Located { value: step.value.year.value.0.clone(), at: step.value.year.at };
                Career {
                    year: c.text(&year, step.at, &format!("{cp}.year")),
                    text: c.text(&step.value.text, step.at, &format!("{cp}.text")),
                }
            })
            .collect();
        let reading = c.plain_optional(&r.reading, &format!("{p}.reading"));
        let by_word = reading.as_deref().is_some_and(|r| name.with_reading_by_word(r).is_some());
        BlockKind::Profile(Profile {
            portrait,
            crop,
            crop_pinned: r.crop.is_some(),
            // A reading of as many words as the name goes over each word; else over the
            // whole name (the layout's group ruby).
            name: reading.as_deref().and_then(|r| name.with_reading_by_word(r)).unwrap_or(name),
            reading: reading.filter(|_| !by_word),
            role: c.optional(&r.role, &format!("{p}.role")),
            career,
            message: c.optional(&r.message, &format!("{p}.message")),
        })
    }

    /// Questions and answers.
    pub(super) fn qa(&mut self, q: &RawQa, at: Location, path: &str) -> BlockKind {
        let c = &mut self.c;
        let p = format!("{path}.qa");
        let labels = match &q.labels {
            None => ["質問".to_owned(), "答弁".to_owned()],
            Some(list) => {
                let texts: Vec<String> = list
                    .value
                    .iter()
                    .enumerate()
                    .map(|(i, l)| c.plain(l, &format!("{p}.labels[{i}]")))
                    .collect();
                let short = texts.iter().all(|t| t.chars().count() <= 4);
                if texts.len() != 2 || !short {
                    c.error(
                        list.at,
                        &format!("{p}.labels"),
                        "`labels` are two short labels, the question's first",
                        "write e.g. labels: [質問, 答弁] or labels: [Q, A]",
                    );
                }
                let mut texts = texts.into_iter();
                [texts.next().unwrap_or_default(), texts.next().unwrap_or_default()]
            }
        };
        if q.pairs.value.is_empty() {
            c.error(
                q.pairs.at,
                &format!("{p}.pairs"),
                "there are no questions",
                "add pairs of question and answer",
            );
        }
        let asker = c.optional(&q.asker, &format!("{p}.asker"));
        let answerer = c.optional(&q.answerer, &format!("{p}.answerer"));
        let pairs = q
            .pairs
            .value
            .iter()
            .enumerate()
            .map(|(i, pair)| {
                let pp = format!("{p}.pairs[{i}]");
                let v = &pair.value;
                Pair {
                    question: c.text(&v.question, pair.at, &format!("{pp}.question")),
                    answer: c.text(&v.answer, pair.at, &format!("{pp}.answer")),
                    asker: c.optional(&v.asker, &format!("{pp}.asker")).or_else(|| asker.clone()),
                    answerer: c
                        .optional(&v.answerer, &format!("{pp}.answerer"))
                        .or_else(|| answerer.clone()),
                }
            })
            .collect();
        let _ = at;
        BlockKind::Qa(Qa { title: c.optional(&q.title, &format!("{p}.title")), labels, pairs })
    }

    /// A gallery of two to six photos.
    pub(super) fn gallery(&mut self, g: &RawGallery, path: &str) -> BlockKind {
        let p = format!("{path}.gallery");
        let count = g.photos.value.len();
        if !(2..=6).contains(&count) {
            self.c.error(
                g.photos.at,
                &format!("{p}.photos"),
                format!("a gallery holds 2 to 6 photos, this one {count}"),
                "use a `photo` block for one photo, or two galleries for more",
            );
        }
        let photos = g
            .photos
            .value
            .iter()
            .enumerate()
            .map(|(i, photo)| {
                let pp = format!("{p}.photos[{i}]");
                let caption = self.c.optional(&photo.value.caption, &format!("{pp}.caption"));
                let alt = match (&photo.value.alt, &caption) {
                    (Some(alt), _) => self.c.plain(alt, &format!("{pp}.alt")),
                    (None, Some(caption)) => caption.plain(),
                    (None, None) => {
                        self.c.warning(
                            photo.at,
                            &pp,
                            "the photo has no caption and no `alt` text",
                            "add alt: a few words on what the photo shows, for readers who cannot see it",
                        );
                        "写真".to_owned()
                    }
                };
                let src = (&photo.value.src, "src");
                let picture = self.picture(src, alt, &photo.value.focus, [0.5, 0.5], &pp);
                GalleryPhoto { picture, caption }
            })
            .collect();
        let crop = match g.crop.as_ref().map(|c| c.value) {
            None => Some(4.0 / 3.0),
            Some(RawCrop::Ratio(w, h)) => Some(w / h),
            Some(RawCrop::Keep) => None,
        };
        let per_row = g.per_row.as_ref().and_then(|k| {
            if (1..=count as u32).contains(&k.value) {
                return Some(k.value);
            }
            self.c.error(
                k.at,
                &format!("{p}.per-row"),
                format!("a row of this gallery holds 1 to {count} photos, not {}", k.value),
                "give a count from 1 to the number of photos, or leave `per-row` out for kaiho to choose",
            );
            None
        });
        BlockKind::Gallery(Gallery {
            title: self.c.optional(&g.title, &format!("{p}.title")),
            crop,
            crop_pinned: g.crop.is_some(),
            per_row,
            photos,
        })
    }

    /// A coupon.
    pub(super) fn form(&mut self, f: &RawForm, at: Location, path: &str) -> BlockKind {
        let c = &mut self.c;
        let p = format!("{path}.form");
        if f.fields.value.is_empty() {
            c.error(
                f.fields.at,
                &format!("{p}.fields"),
                "the form has no fields",
                "list the fields to fill in, e.g. fields: [{ label: 氏名, furigana: true }, 住所, 電話]",
            );
        }
        let fields = f
            .fields
            .value
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let fp = format!("{p}.fields[{i}]");
                let lines = match &field.value.lines {
                    None => 1,
                    Some(n) => c.number(n, 4, &format!("{fp}.lines")),
                };
                Field {
                    label: c.text(&field.value.label, field.at, &fp),
                    lines: lines.max(1),
                    furigana: field.value.furigana,
                }
            })
            .collect();
        BlockKind::Form(Form {
            title: c.text(&f.title, at, &format!("{p}.title")),
            lead: c.optional(&f.lead, &format!("{p}.lead")),
            fields,
            send_to: c.optional(&f.send_to, &format!("{p}.send-to")),
            url: f.url.as_ref().map(|u| c.url(u, &format!("{p}.url"))),
        })
    }

    /// A list of names, given directly or in groups.
    pub(super) fn names(&mut self, n: &RawNames, at: Location, path: &str) -> BlockKind {
        let c = &mut self.c;
        let p = format!("{path}.names");
        let list = |c: &mut Checker, names: &Located<Vec<Text>>, path: &str| -> Vec<RichText> {
            if names.value.is_empty() {
                c.error(names.at, path, "the list has no names", "add the names, in order");
            }
            names
                .value
                .iter()
                .enumerate()
                .map(|(i, name)| c.text(name, names.at, &format!("{path}[{i}]")))
                .collect()
        };
        let groups = match (&n.names, &n.groups) {
            (Some(names), None) => {
                vec![NameGroup { heading: None, names: list(c, names, &format!("{p}.names")) }]
            }
            (None, Some(groups)) => groups
                .value
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let gp = format!("{p}.groups[{i}]");
                    let names = list(c, &g.value.names, &format!("{gp}.names"));
                    NameGroup {
                        heading: c.optional(&g.value.heading, &format!("{gp}.heading")),
                        names,
                    }
                })
                .collect(),
            _ => {
                c.error(
                    at,
                    &p,
                    "a list of names has either `names` or `groups`, not both or neither",
                    "write names: [山田 太郎, 鈴木 花子], or groups with a heading and names each",
                );
                Vec::new()
            }
        };
        BlockKind::Names(Names {
            title: c.optional(&n.title, &format!("{p}.title")),
            groups,
            note: c.optional(&n.note, &format!("{p}.note")),
        })
    }
}

/// A coupon is cut off at the foot of its page: it must be the page's last block.
pub(super) fn form_at_foot(c: &mut Checker, blocks: &[Block], raw: &[Located<RawPlaced>]) {
    let last = blocks.len().saturating_sub(1);
    for (i, block) in blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Form(_)) && i != last {
            c.error(
                raw[i].at,
                &block.id,
                "a form is cut off at the foot of its page, but blocks follow it here",
                "move the form to the end of the page's blocks",
            );
        }
    }
}

/// Two neighbouring cells that read as one number split at its thousands comma (`1億2`,
/// `000万円`): a digit, then three digits.
fn split_number(cells: &[Located<RawCell>]) -> Option<(&str, &str)> {
    cells.windows(2).find_map(|w| {
        let (a, b) = (w[0].value.0.trim(), w[1].value.0.trim());
        let digits = b.chars().take_while(char::is_ascii_digit).count();
        (a.ends_with(|c: char| c.is_ascii_digit()) && digits == 3).then_some((a, b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_figures_are_numbers() {
        for n in ["1,200", "△35,000", "3.5%", "120人", "12千円", "2024"] {
            assert!(is_number(n), "{n}");
        }
        for t in ["4月20日（日）", "集会所", "", "合計", ",5", "第3回定期総会"] {
            assert!(!is_number(t), "{t}");
        }
    }
}

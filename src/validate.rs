//! The second input stage: raw serde types become the validated domain of `model`.
//!
//! Validation never stops at the first problem: it records every one it finds, each with
//! the file, line:column, YAML path and a hint, and only hands out a `Volume` when there
//! are no errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_saphyr::Location;

use crate::diag::{Diagnostic, Position};
use crate::model::*;
use crate::raw::*;
use crate::rich::RichText;
use crate::source::SourceFile;

mod kinds;
mod past;

/// Largest volume number accepted; a typo such as `volume: 100000` is caught.
const MAX_VOLUME: i64 = 9999;

/// Collects diagnostics for one file while its raw values are checked.
struct Checker<'a> {
    file: &'a Path,
    diagnostics: Vec<Diagnostic>,
    texts: Vec<TextRef>,
}

fn position(location: Location) -> Option<Position> {
    (location != Location::UNKNOWN)
        .then(|| Position { line: location.line() as u32, column: location.column() as u32 })
}

impl Checker<'_> {
    fn error(&mut self, at: Location, path: &str, message: impl Into<String>, hint: &str) {
        let d = Diagnostic::error(self.file, message).at(position(at)).path(path);
        self.diagnostics.push(if hint.is_empty() { d } else { d.hint(hint) });
    }

    fn warning(&mut self, at: Location, path: &str, message: impl Into<String>, hint: &str) {
        let d = Diagnostic::warning(self.file, message).at(position(at)).path(path);
        self.diagnostics.push(if hint.is_empty() { d } else { d.hint(hint) });
    }

    /// Checks a required text: non-empty after trimming, markup closed. `fallback` locates
    /// texts written as a bare list entry, which carry no location of their own.
    fn text(&mut self, text: &Text, fallback: Location, path: &str) -> RichText {
        let at = if text.at == Location::UNKNOWN { fallback } else { text.at };
        let value = text.value.trim();
        if value.is_empty() {
            self.error(
                at,
                path,
                "this text is empty",
                "write the text, or remove the key if it is optional",
            );
        }
        let mut controls: Vec<char> = value.chars().filter(|c| is_invisible_control(*c)).collect();
        controls.dedup();
        for c in controls {
            self.error(
                at,
                path,
                format!("the text contains the invisible control character U+{:04X}", c as u32),
                "it usually comes from copying out of Word or a web page; delete it and retype the text around it",
            );
        }
        let (rich, unclosed) = RichText::parse(value);
        self.texts.push(TextRef {
            path: path.to_owned(),
            at: position(at),
            text: rich.plain(),
            readings: rich.readings(),
        });
        for u in unclosed {
            let message =
                format!("`{}` opens markup that is never closed; it is printed as typed", u.mark);
            let hint = match u.mark {
                "{" => {
                    "ruby is written {base|reading}, e.g. {未来|まち}; a word kept on one line {word}, e.g. {担い手}"
                }
                _ => "strong text is written **text** on one line",
            };
            self.warning(at, path, message, hint);
        }
        rich
    }

    fn optional(&mut self, text: &Option<Text>, path: &str) -> Option<RichText> {
        text.as_ref().map(|t| self.text(t, Location::UNKNOWN, path))
    }

    fn plain(&mut self, text: &Text, path: &str) -> String {
        self.text(text, Location::UNKNOWN, path);
        text.value.trim().to_owned()
    }

    fn plain_optional(&mut self, text: &Option<Text>, path: &str) -> Option<String> {
        text.as_ref().map(|t| self.plain(t, path))
    }

    /// Four percentages from 0 to 100.
    fn cmyk(&mut self, cmyk: &Located<Vec<f64>>, path: &str) -> [f64; 4] {
        let valid = cmyk.value.len() == 4 && cmyk.value.iter().all(|v| (0.0..=100.0).contains(v));
        if !valid {
            self.error(
                cmyk.at,
                path,
                "a CMYK colour is four percentages from 0 to 100",
                "write e.g. [90, 30, 75, 15] for C90 M30 Y75 K15",
            );
            return [0.0; 4];
        }
        [cmyk.value[0], cmyk.value[1], cmyk.value[2], cmyk.value[3]]
    }

    /// An optional `#rrggbb`.
    fn rgb(&mut self, rgb: &Option<Text>, path: &str) -> Option<String> {
        let value = self.plain_optional(rgb, path)?;
        let valid = value.len() == 7
            && value.starts_with('#')
            && value[1..].chars().all(|ch| ch.is_ascii_hexdigit());
        if !valid {
            let at = rgb.as_ref().map_or(Location::UNKNOWN, |t| t.at);
            self.error(
                at,
                path,
                format!("`{value}` is not an sRGB colour"),
                "write it as \"#rrggbb\", in quotes",
            );
        }
        Some(value)
    }

    /// A number in `1..=max`, printed as two digits in sections and priorities.
    fn number(&mut self, n: &Located<i64>, max: i64, path: &str) -> u32 {
        if !(1..=max).contains(&n.value) {
            self.error(
                n.at,
                path,
                format!("{} is out of range", n.value),
                &format!("use a number from 1 to {max}"),
            );
        }
        n.value.clamp(0, max) as u32
    }
}

/// Validates `series.yaml`.
pub fn series(file: &SourceFile, raw: &RawSeries) -> Result<Series, Vec<Diagnostic>> {
    let mut c = Checker { file: &file.path, diagnostics: Vec::new(), texts: Vec::new() };
    let slug = c.plain(&raw.slug, "slug");
    if !slug.is_empty()
        && !slug.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    {
        c.error(
            raw.slug.at,
            "slug",
            "the slug may contain only a–z, 0–9 and -",
            "it names output files, e.g. komoro-brand",
        );
    }
    let p = &raw.publisher;
    let publisher = Publisher {
        role: c.plain_optional(&p.role, "publisher.role"),
        name: c.plain(&p.name, "publisher.name"),
        postal_code: c.plain_optional(&p.postal_code, "publisher.postal-code"),
        address: c.plain_optional(&p.address, "publisher.address"),
        tel: c.plain_optional(&p.tel, "publisher.tel"),
        email: c.plain_optional(&p.email, "publisher.email"),
        url: c.plain_optional(&p.url, "publisher.url"),
    };
    let fonts = Fonts {
        sans: raw
            .fonts
            .as_ref()
            .and_then(|f| c.plain_optional(&f.sans, "fonts.sans"))
            .unwrap_or_else(|| Fonts::DEFAULT_SANS.into()),
        serif: raw
            .fonts
            .as_ref()
            .and_then(|f| c.plain_optional(&f.serif, "fonts.serif"))
            .unwrap_or_else(|| Fonts::DEFAULT_SERIF.into()),
    };
    let mut inks = Vec::new();
    for (i, ink) in raw.inks.iter().enumerate() {
        let path = format!("inks[{i}]");
        let name = c.plain(&ink.value.name, &format!("{path}.name"));
        let cmyk = c.cmyk(&ink.value.cmyk, &format!("{path}.cmyk"));
        let rgb = c.rgb(&ink.value.rgb, &format!("{path}.rgb"));
        if inks.iter().any(|other: &Ink| other.name == name) {
            c.error(
                ink.value.name.at,
                &format!("{path}.name"),
                format!("the ink `{name}` is declared twice"),
                "name each ink once",
            );
        }
        inks.push(Ink { name, cmyk, rgb });
    }
    let mut colors = Vec::new();
    for (name, color) in &raw.colors {
        let path = format!("colors.{name}");
        let rgb = c.rgb(&color.value.rgb, &format!("{path}.rgb"));
        let (cmyk, spot) = match (&color.value.cmyk, &color.value.spot) {
            (Some(cmyk), None) => {
                let cmyk = c.cmyk(cmyk, &format!("{path}.cmyk"));
                // A spot-colour edition prints with its inks and black only.
                if !inks.is_empty() && cmyk[..3].iter().any(|v| *v > 0.0) {
                    c.error(
                        color.at,
                        &path,
                        format!("`{name}` uses cyan, magenta or yellow, but this series prints with its spot inks and black only"),
                        "use `spot: <ink name>` with a `tint`, or black only: cmyk [0, 0, 0, K]",
                    );
                }
                (cmyk, None)
            }
            (None, Some(spot)) => {
                let ink_name = c.plain(spot, &format!("{path}.spot"));
                let tint = color.value.tint.as_ref().map_or(100.0, |t| t.value);
                if !(0.0..=100.0).contains(&tint) {
                    let at = color.value.tint.as_ref().map_or(color.at, |t| t.at);
                    c.error(
                        at,
                        &format!("{path}.tint"),
                        "a tint is a percentage from 0 to 100",
                        "write e.g. tint: 40",
                    );
                }
                match inks.iter().find(|ink| ink.name == ink_name) {
                    Some(ink) => {
                        (ink.cmyk.map(|v| v * tint / 100.0), Some(SpotTint { ink: ink_name, tint }))
                    }
                    None => {
                        let known: Vec<&str> = inks.iter().map(|i| i.name.as_str()).collect();
                        let hint = if known.is_empty() {
                            "declare the ink under `inks:` (name and cmyk)".to_owned()
                        } else {
                            format!("inks of this series: {}", known.join(", "))
                        };
                        c.error(
                            spot.at,
                            &format!("{path}.spot"),
                            format!("there is no ink `{ink_name}`"),
                            &hint,
                        );
                        ([0.0; 4], None)
                    }
                }
            }
            _ => {
                c.error(color.at, &path, "a colour needs either `cmyk` or `spot`, not both or neither", "write e.g. { cmyk: [90, 30, 75, 15], rgb: \"#1f7a5c\" } or { spot: DIC 156, tint: 40 }");
                ([0.0; 4], None)
            }
        };
        colors.push(NamedColor { name: name.clone(), cmyk, rgb, spot });
    }
    let series = Series {
        title: c.plain(&raw.title, "title"),
        slug,
        publication: c.plain_optional(&raw.publication, "publication"),
        publisher,
        layout: c.plain_optional(&raw.layout, "layout").unwrap_or_else(|| "leaflet".into()),
        paper: match raw.paper.as_ref().map(|p| p.value) {
            None | Some(RawPaper::A4) => Paper::A4,
            Some(RawPaper::A5) => Paper::A5,
            Some(RawPaper::A3) => Paper::A3,
            Some(RawPaper::B5) => Paper::B5,
            Some(RawPaper::B4) => Paper::B4,
        },
        fonts,
        inks,
        colors,
        print: Print {
            overprint_black: raw
                .print
                .as_ref()
                .and_then(|p| p.overprint_black.as_ref())
                .is_none_or(|on| on.value),
        },
        texts: std::mem::take(&mut c.texts),
    };
    finish(c.diagnostics, series)
}

/// Validates a volume file: a volume to typeset, or a past issue kept as a PDF (see
/// [`past`]). Image and PDF paths are resolved against the volume's folder.
pub fn volume(
    file: &SourceFile,
    raw: &RawVolume,
) -> Result<(Issue, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut c = Checker { file: &file.path, diagnostics: Vec::new(), texts: Vec::new() };
    let number = c.number(&raw.volume, MAX_VOLUME, "volume");
    if let Some(in_name) = number_in_file_name(&file.path)
        && in_name != raw.volume.value
        && (1..=MAX_VOLUME).contains(&raw.volume.value)
    {
        c.error(
            raw.volume.at,
            "volume",
            format!("the file is named for VOL.{in_name} but says volume: {}", raw.volume.value),
            "correct the number, or rename the file (volN.yaml)",
        );
    }
    let issue = c.plain(&raw.issue, "issue");
    let date = parse_date(&raw.date.value.0).unwrap_or_else(|| {
        c.error(
            raw.date.at,
            "date",
            format!("`{}` is not a date", raw.date.value.0),
            "write the date as YYYY-MM-DD, e.g. 2024-02-01",
        );
        Date { year: 1970, month: 1, day: 1 }
    });
    let folder = file.path.parent().unwrap_or(Path::new("."));
    let pages = match past::kind(&mut c, raw) {
        past::Kind::Pages(pages) => pages,
        past::Kind::Pdf(pdf) => {
            let past = past::past(&mut c, raw, pdf, folder, (number, issue, date));
            return with_warnings(c.diagnostics, Issue::Past(past));
        }
        past::Kind::Neither => return Err(c.diagnostics),
    };
    if pages.value.is_empty() {
        c.error(pages.at, "pages", "the volume has no pages", "add at least one page with blocks");
    }
    let mut blocks = BlockChecker { c, folder, images: 0, sections: HashMap::new() };
    let pages = pages
        .value
        .iter()
        .enumerate()
        .map(|(i, page)| blocks.page(page, &format!("pages[{i}]")))
        .collect();
    let texts = std::mem::take(&mut blocks.c.texts);
    let volume = Volume { number, issue, date, pages, texts };
    with_warnings(blocks.c.diagnostics, Issue::Typeset(volume))
}

/// `value` with its warnings, unless there are errors.
fn with_warnings<T>(
    diagnostics: Vec<Diagnostic>,
    value: T,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    if crate::diag::has_errors(&diagnostics) { Err(diagnostics) } else { Ok((value, diagnostics)) }
}

/// Characters that print as nothing or break the layout, but sneak in through copy and
/// paste: C0/C1 controls (except line breaks and tabs), zero-width and bidi controls, BOMs.
fn is_invisible_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}'..='\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn finish<T>(diagnostics: Vec<Diagnostic>, value: T) -> Result<T, Vec<Diagnostic>> {
    if crate::diag::has_errors(&diagnostics) { Err(diagnostics) } else { Ok(value) }
}

/// `vol10.yaml` → 10; `None` for names that carry no number.
fn number_in_file_name(path: &Path) -> Option<i64> {
    let stem = path.file_stem()?.to_str()?.to_ascii_lowercase();
    let digits = stem.strip_prefix("vol")?.trim_start_matches(['-', '_', '.']);
    digits.parse().ok()
}

/// Parses `YYYY-MM-DD`, checking that the day exists.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    typst::foundations::Datetime::from_ymd(year, month, day)?;
    (1900..=9999).contains(&year).then_some(Date { year, month, day })
}

struct BlockChecker<'a> {
    c: Checker<'a>,
    folder: &'a Path,
    images: usize,
    /// Section numbers seen so far, with where they were first used.
    sections: HashMap<u32, String>,
}

impl BlockChecker<'_> {
    fn page(&mut self, page: &RawPage, path: &str) -> Page {
        let columns =
            page.columns.as_ref().map(|n| self.c.number(n, 6, &format!("{path}.columns")));
        if page.blocks.value.is_empty() {
            self.c.error(
                page.blocks.at,
                &format!("{path}.blocks"),
                "the page has no blocks",
                "add blocks, or remove the page",
            );
        }
        let blocks = page
            .blocks
            .value
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let id = format!("{path}.blocks[{i}]");
                let kind = self.block(&b.value.block, b.at, &id);
                let place = self.place(&b.value, i, columns, &id);
                Block { id, at: position(b.at), place, kind }
            })
            .collect::<Vec<_>>();
        kinds::form_at_foot(&mut self.c, &blocks, &page.blocks.value);
        Page { columns, blocks }
    }

    /// Where the author pinned a block: a span within the page's columns, a row that a
    /// first block cannot share with a block before it.
    fn place(&mut self, raw: &RawPlaced, index: usize, columns: Option<u32>, path: &str) -> Place {
        let span = raw.span.as_ref().map(|s| match s.value {
            RawSpan::Full => SpanPin::Full,
            RawSpan::Columns(n) => {
                let most = i64::from(columns.unwrap_or(6));
                if !(1..=most).contains(&n) {
                    let hint = match columns {
                        Some(c) => format!("this page has {c} columns: write 1 to {c}, or `full`"),
                        None => "write a number of columns from 1 to 6, or `full`".to_owned(),
                    };
                    self.c.error(
                        s.at,
                        &format!("{path}.span"),
                        format!("a block cannot span {n} columns here"),
                        &hint,
                    );
                }
                SpanPin::Columns(n.clamp(1, most) as u32)
            }
        });
        let row = match raw.row.as_ref().map(|r| (r.value, r.at)) {
            None => RowPin::Free,
            Some((RawRow::New, _)) => RowPin::New,
            Some((RawRow::Same, at)) => {
                if index == 0 {
                    self.c.error(
                        at,
                        &format!("{path}.row"),
                        "the first block of a page has no block before it to share a row with",
                        "remove `row: same` here",
                    );
                }
                RowPin::Same
            }
        };
        Place { span, row }
    }

    /// An image file named by `src`: a JPEG or PNG that exists. Returns its path inside
    /// the layout's project (`/images/N.ext`) and the file.
    fn image(&mut self, src: &Text, path: &str) -> (String, PathBuf) {
        let c = &mut self.c;
        let name = c.plain(src, path);
        let file = self.folder.join(&name);
        let ext = file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let ext = match ext.as_deref() {
            Some(e @ ("jpg" | "jpeg" | "png")) => e.to_owned(),
            _ => {
                c.error(
                    src.at,
                    path,
                    format!("`{name}` is not a JPEG or PNG file"),
                    "use a .jpg, .jpeg or .png image",
                );
                "bin".to_owned()
            }
        };
        if !file.is_file() {
            c.error(
                src.at,
                path,
                format!("image `{}` not found", file.display()),
                "image paths are relative to the volume file's folder",
            );
        }
        let virtual_path = format!("/images/{}.{ext}", self.images);
        self.images += 1;
        (virtual_path, absolute(&file))
    }

    fn block(&mut self, block: &RawBlock, at: Location, path: &str) -> BlockKind {
        let c = &mut self.c;
        match block {
            RawBlock::Table(t) => self.table(t, at, path),
            RawBlock::Qr(q) => self.qr(q, at, path),
            RawBlock::Profile(r) => self.profile(r, at, path),
            RawBlock::Qa(q) => self.qa(q, at, path),
            RawBlock::Gallery(g) => self.gallery(g, path),
            RawBlock::Form(f) => self.form(f, at, path),
            RawBlock::Names(n) => self.names(n, at, path),
            RawBlock::Masthead(_) => BlockKind::Masthead,
            RawBlock::Colophon(_) => BlockKind::Colophon,
            RawBlock::Headline(h) => {
                let p = format!("{path}.headline");
                BlockKind::Headline(Headline {
                    kicker: c.optional(&h.kicker, &format!("{p}.kicker")),
                    title: c.text(&h.title, at, &format!("{p}.title")),
                    subtitle: c.optional(&h.subtitle, &format!("{p}.subtitle")),
                })
            }
            RawBlock::Stats(stats) => {
                if stats.is_empty() {
                    c.error(
                        at,
                        path,
                        "`stats` lists no statistics",
                        "add one or more statistics (figure, title, …)",
                    );
                }
                let stats = stats
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let p = format!("{path}.stats[{i}]");
                        let figure_text = s.value.figure.value.0.trim().to_owned();
                        if figure_text.is_empty() {
                            c.error(
                                s.value.figure.at,
                                &format!("{p}.figure"),
                                "the figure is empty",
                                "write the number, e.g. 25",
                            );
                        }
                        let unit = c
                            .plain_optional(&s.value.unit, &format!("{p}.unit"))
                            .unwrap_or_default();
                        Stat {
                            figure: Figure::split(&format!("{figure_text}{unit}")),
                            context: c
                                .plain_optional(&s.value.context, &format!("{p}.context"))
                                .map(|t| Figure::split(&t)),
                            title: c.text(&s.value.title, s.at, &format!("{p}.title")),
                            note: c.optional(&s.value.note, &format!("{p}.note")),
                        }
                    })
                    .collect();
                BlockKind::Stats { stats }
            }
            RawBlock::Section(s) => {
                let p = format!("{path}.section");
                let number = c.number(&s.number, 99, &format!("{p}.number"));
                if let Some(first) = self.sections.get(&number) {
                    let hint = format!(
                        "section {number:02} is already {first}; number the sections 01, 02, … without repeats"
                    );
                    self.c.error(
                        s.number.at,
                        &format!("{p}.number"),
                        format!("section number {number} is used twice"),
                        &hint,
                    );
                } else {
                    self.sections.insert(number, p.clone());
                }
                let c = &mut self.c;
                let callout = s
                    .callout
                    .as_ref()
                    .map(|co| callout(c, &co.value, co.at, &format!("{p}.callout")));
                BlockKind::Section(Section {
                    number,
                    theme: c.text(&s.theme, at, &format!("{p}.theme")),
                    tagline: c.optional(&s.tagline, &format!("{p}.tagline")),
                    callout,
                    items: items(c, &s.items, &format!("{p}.items")),
                })
            }
            RawBlock::Callout(co) => {
                BlockKind::Callout(callout(c, co, at, &format!("{path}.callout")))
            }
            RawBlock::Manifesto(m) => {
                let p = format!("{path}.manifesto");
                let mut seen: HashMap<u32, ()> = HashMap::new();
                let priorities = m
                    .priorities
                    .iter()
                    .enumerate()
                    .map(|(i, pr)| {
                        let pp = format!("{p}.priorities[{i}]");
                        let number = c.number(&pr.value.number, 99, &format!("{pp}.number"));
                        if seen.insert(number, ()).is_some() {
                            c.error(
                                pr.value.number.at,
                                &format!("{pp}.number"),
                                format!("priority number {number} is used twice"),
                                "number the priorities 01, 02, … without repeats",
                            );
                        }
                        Priority {
                            number,
                            theme: c.text(&pr.value.theme, pr.at, &format!("{pp}.theme")),
                            subtitle: c.optional(&pr.value.subtitle, &format!("{pp}.subtitle")),
                            goals: pr
                                .value
                                .goals
                                .iter()
                                .enumerate()
                                .map(|(j, g)| c.text(g, pr.at, &format!("{pp}.goals[{j}]")))
                                .collect(),
                            items: items(c, &pr.value.items, &format!("{pp}.items")),
                        }
                    })
                    .collect();
                BlockKind::Manifesto(Manifesto {
                    heading: c.text(&m.heading, at, &format!("{p}.heading")),
                    lead: c.optional(&m.lead, &format!("{p}.lead")),
                    title: c.optional(&m.title, &format!("{p}.title")),
                    note: c.optional(&m.note, &format!("{p}.note")),
                    priorities,
                })
            }
            RawBlock::Text(t) => {
                let p = format!("{path}.text");
                // Checked as a whole (empty, unclosed markup), typeset paragraph by paragraph.
                c.text(&t.body, at, &format!("{p}.body"));
                let paragraphs = t
                    .body
                    .value
                    .split("\n\n")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| RichText::parse(s).0)
                    .collect();
                BlockKind::Text(TextBlock {
                    heading: c.optional(&t.heading, &format!("{p}.heading")),
                    paragraphs,
                    signature: c.optional(&t.signature, &format!("{p}.signature")),
                })
            }
            RawBlock::Event(e) => {
                let p = format!("{path}.event");
                BlockKind::Event(Event {
                    title: c.text(&e.title, at, &format!("{p}.title")),
                    when: c.text(&e.when, at, &format!("{p}.when")),
                    place: c.optional(&e.place, &format!("{p}.place")),
                    body: c.optional(&e.body, &format!("{p}.body")),
                    contact: c.optional(&e.contact, &format!("{p}.contact")),
                })
            }
            RawBlock::Photo(photo) => {
                let p = format!("{path}.photo");
                let (virtual_path, file) = self.image(&photo.src, &format!("{p}.src"));
                let c = &mut self.c;
                let caption = c.optional(&photo.caption, &format!("{p}.caption"));
                let alt = match (&photo.alt, &caption) {
                    (Some(alt), _) => c.plain(alt, &format!("{p}.alt")),
                    (None, Some(caption)) => caption.plain(),
                    (None, None) => {
                        c.warning(
                            at,
                            &p,
                            "the photo has no caption and no `alt` text",
                            "add alt: a few words on what the photo shows, for readers who cannot see it",
                        );
                        "写真".to_owned()
                    }
                };
                let crop = photo.crop.as_ref().map(|crop| match crop.value {
                    RawCrop::Ratio(w, h) => Crop::Ratio(w / h),
                    RawCrop::Keep => Crop::Keep,
                });
                let focus = c.focus(&photo.focus, [0.5, 0.5], &format!("{p}.focus"));
                BlockKind::Photo(Photo {
                    src: virtual_path,
                    file,
                    caption,
                    credit: c.optional(&photo.credit, &format!("{p}.credit")),
                    alt,
                    crop,
                    focus,
                })
            }
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn callout(c: &mut Checker, co: &RawCallout, at: Location, path: &str) -> Callout {
    Callout {
        lead: c.optional(&co.lead, &format!("{path}.lead")),
        label: c.optional(&co.label, &format!("{path}.label")),
        title: c.text(&co.title, at, &format!("{path}.title")),
        body: c.optional(&co.body, &format!("{path}.body")),
    }
}

fn items(c: &mut Checker, items: &[Located<RawItem>], path: &str) -> Vec<Item> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let p = format!("{path}[{i}]");
            Item {
                text: c.text(&item.value.text, item.at, &p),
                example: item
                    .value
                    .example
                    .as_ref()
                    .map(|e| c.text(e, item.at, &format!("{p}.example"))),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2024-02-29"), Some(Date { year: 2024, month: 2, day: 29 }));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024/02/01"), None);
        assert_eq!(parse_date("2024-13-01"), None);
    }

    #[test]
    fn volume_numbers_come_from_file_names() {
        assert_eq!(number_in_file_name(Path::new("data/vol10.yaml")), Some(10));
        assert_eq!(number_in_file_name(Path::new("VOL-7.yml")), Some(7));
        assert_eq!(number_in_file_name(Path::new("greeting.yaml")), None);
    }
}

/// Parse → validate on damaged and random input: it may reject, but never panic.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::raw::RawVolume;

    const VOL10: &str = include_str!("../data/vol10.yaml");

    fn parse_and_validate(bytes: Vec<u8>) {
        let path = Path::new("data/vol10.yaml");
        if let Ok(file) = SourceFile::from_bytes(path, bytes)
            && let Ok(raw) = file.parse::<RawVolume>()
        {
            let _ = volume(&file, &raw);
        }
    }

    /// Keys and values that make random documents look like volumes, so they get past the
    /// parser and exercise validation too.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("volume: 10\n".to_owned()),
            Just("issue: 号\n".to_owned()),
            Just("date: 2024-02-30\n".to_owned()),
            Just("pages:\n".to_owned()),
            Just("pdf: vol10.pdf\n".to_owned()),
            Just("themes: [題, '']\n".to_owned()),
            Just("note: メモ\n".to_owned()),
            Just("  - blocks:\n".to_owned()),
            Just("      - section:\n          number: 1\n          theme: 題\n".to_owned()),
            Just("          items: [a, {text: b, example: c}, '{x|y}', '**']\n".to_owned()),
            Just("      - stats: [{figure: 25, title: t}]\n".to_owned()),
            Just("      - photo: {src: ../../etc/passwd}\n".to_owned()),
            Just("&a [*a]\n".to_owned()),
            "[ -~\u{3000}-\u{30ff}\u{4e00}-\u{4e20}\t\n]{0,40}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

        #[test]
        fn damaged_vol10_never_panics(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..12)) {
            let mut bytes = VOL10.as_bytes().to_vec();
            for (at, byte, op) in edits {
                let i = at.index(bytes.len().max(1));
                match op {
                    0 => bytes.insert(i.min(bytes.len()), byte),
                    1 if !bytes.is_empty() => { bytes.remove(i.min(bytes.len() - 1)); }
                    _ if !bytes.is_empty() => { let last = bytes.len() - 1; bytes[i.min(last)] = byte; }
                    _ => {}
                }
            }
            parse_and_validate(bytes);
        }

        #[test]
        fn volume_like_documents_never_panic(parts in prop::collection::vec(fragment(), 0..30)) {
            parse_and_validate(parts.concat().into_bytes());
        }

        #[test]
        fn plain_text_is_kept_as_written(text in "[^{*\n]{0,200}") {
            prop_assert_eq!(RichText::parse(&text).0.plain(), text);
        }

        #[test]
        fn any_text_parses(text in ".{0,200}") {
            let _ = RichText::parse(&text);
        }
    }
}

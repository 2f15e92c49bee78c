//! Raw serde types that mirror kaiho's YAML files key for key; only kaiho's `validate`
//! reads them.
//!
//! They reject unknown keys and keep the source location of every value (`Spanned`) so
//! that validation can point at the exact line and column. Keys are kebab-case. Blocks are
//! externally tagged (`- section: {...}`) rather than internally tagged (`- type: section`),
//! because serde buffers internally tagged enums and the locations would be lost.
//!
//! A crate of its own for the build's sake: deserialising these types through
//! serde-saphyr is about half the machine code kaiho would otherwise hold (measured with
//! `cargo llvm-lines`), so here it is compiled once, not again for kaiho's unit tests, and
//! at a lower opt-level (a volume is a few kilobytes of YAML). Only [`Document::from_yaml`]
//! deserialises, so no generic deserialiser is instantiated in kaiho itself.

use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor, value::MapAccessDeserializer};
use serde_saphyr::{Location, Spanned};
use std::borrow::Cow;

mod kinds;
mod place;

pub use self::kinds::*;
pub use self::place::{KINDS, PLACEMENT_KEYS, RawCrop, RawPlaced, RawRow, RawSpan};

/// A file kaiho reads whole: a series or a volume.
pub trait Document: Sized {
    /// Deserialises the YAML `text`.
    fn from_yaml(text: &str, options: serde_saphyr::Options) -> Result<Self, serde_saphyr::Error>;
}

impl Document for RawSeries {
    fn from_yaml(text: &str, options: serde_saphyr::Options) -> Result<Self, serde_saphyr::Error> {
        serde_saphyr::from_str_with_options(text, options)
    }
}

impl Document for RawVolume {
    fn from_yaml(text: &str, options: serde_saphyr::Options) -> Result<Self, serde_saphyr::Error> {
        serde_saphyr::from_str_with_options(text, options)
    }
}

/// A value with the place in the file where it was written.
///
/// A thin wrapper over serde-saphyr's `Spanned` that also describes itself in the JSON
/// Schema as the value it wraps, so the schema stays generated from these very types.
#[derive(Debug)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written (`Location::UNKNOWN` when it came without one).
    pub at: Location,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(Self { value: spanned.value, at: spanned.referenced })
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A text value with its location.
pub type Text = Located<String>;

/// `series.yaml`: what stays the same from volume to volume.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Series")]
pub struct RawSeries {
    /// The bulletin's name, e.g. 小諸ぶらんど通信.
    pub title: Text,
    /// ASCII name used in file names, e.g. `komoro-brand`.
    pub slug: Text,
    /// The line above the title, e.g. 小泉としひろ後援会報.
    pub publication: Option<Text>,
    /// Who edits and publishes the bulletin.
    pub publisher: RawPublisher,
    /// The layout folder to typeset with (built in or under `--layout-dir`).
    pub layout: Option<Text>,
    /// The paper size of the trim (default A4, portrait).
    pub paper: Option<Located<RawPaper>>,
    /// Font families, by role.
    pub fonts: Option<RawFonts>,
    /// Spot inks of a spot-colour (2色刷り) edition; printed with black only.
    #[serde(default)]
    pub inks: Vec<Located<RawInk>>,
    /// Named colours of the theme.
    #[serde(default)]
    pub colors: BTreeMap<String, Located<RawColor>>,
    /// How the print shop's file (the print profile) is finished.
    pub print: Option<RawPrint>,
}

/// How the print shop's file is finished, beyond what PDF/X-1a fixes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Print")]
pub struct RawPrint {
    /// Black overprint (墨ノセ): K100 text and K100 rules up to 1 pt print over the colours
    /// beneath instead of knocking them out, so a slight misregistration never shows a white
    /// halo (default true). `false` for a shop that asks for knock-out.
    pub overprint_black: Option<Located<bool>>,
}

/// Paper sizes a series may print on (portrait; B sizes are JIS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[schemars(rename = "Paper")]
pub enum RawPaper {
    /// 210 × 297 mm.
    A4,
    /// 148 × 210 mm.
    A5,
    /// 297 × 420 mm.
    A3,
    /// 182 × 257 mm (JIS).
    B5,
    /// 257 × 364 mm (JIS).
    B4,
}

/// A spot ink, e.g. a DIC colour, with how it looks when it is not available.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Ink")]
pub struct RawInk {
    /// The ink's name as the print shop knows it, e.g. `DIC 156`.
    pub name: Text,
    /// Its look in CMYK (percent), for proofs and printers without the ink.
    pub cmyk: Located<Vec<f64>>,
    /// Its look on screens, `#rrggbb`.
    pub rgb: Option<Text>,
}

/// The publisher, printed in the colophon.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Publisher")]
pub struct RawPublisher {
    /// e.g. 編集・発行.
    pub role: Option<Text>,
    /// e.g. 小泉としひろ後援会事務局.
    pub name: Text,
    /// e.g. 384-0808 (without 〒).
    pub postal_code: Option<Text>,
    /// Street address.
    pub address: Option<Text>,
    /// Telephone number.
    pub tel: Option<Text>,
    /// E-mail address.
    pub email: Option<Text>,
    /// Web site.
    pub url: Option<Text>,
}

/// Font families by role.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Fonts")]
pub struct RawFonts {
    /// Gothic face for body text and headings.
    pub sans: Option<Text>,
    /// Mincho face where the design wants it.
    pub serif: Option<Text>,
}

/// A colour, given once for print (CMYK in percent, or a tint of a spot ink) and optionally
/// for screens (sRGB hex).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Color")]
pub struct RawColor {
    /// Cyan, magenta, yellow, black in percent, e.g. `[90, 30, 75, 15]`.
    pub cmyk: Option<Located<Vec<f64>>>,
    /// A spot ink of `inks` instead of CMYK, by name.
    pub spot: Option<Text>,
    /// With `spot`: how much of the ink, in percent (default 100).
    pub tint: Option<Located<f64>>,
    /// sRGB as `#rrggbb`.
    pub rgb: Option<Text>,
}

/// `volN.yaml`: one issue of the bulletin — typeset by kaiho from its `pages`, or a past
/// issue that exists only as a PDF (`pdf`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Volume")]
#[schemars(extend("oneOf" = [{ "required": ["pages"] }, { "required": ["pdf"] }]))]
#[schemars(extend("dependentRequired" = { "themes": ["pdf"], "note": ["pdf"] }))]
pub struct RawVolume {
    /// The volume number (VOL.n).
    pub volume: Located<i64>,
    /// The issue label, e.g. 2024年2月号.
    pub issue: Text,
    /// The publication date, `YYYY-MM-DD`.
    pub date: Located<DateText>,
    /// The pages, front first (a volume kaiho typesets).
    pub pages: Option<Located<Vec<RawPage>>>,
    /// A past issue instead of pages: its PDF (or scan) as printed, relative to the volume
    /// file; kaiho archives it as it is.
    pub pdf: Option<Text>,
    /// With `pdf`: what the issue is about, for the catalogue, e.g. [市政報告, 子育て].
    pub themes: Option<Located<Vec<Text>>>,
    /// With `pdf`: a note on the issue, e.g. where the PDF comes from.
    pub note: Option<Text>,
}

/// A date written as YAML; accepted as text whether or not it was quoted.
#[derive(Debug)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2024-02-01")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl JsonSchema for DateText {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "description": "A date written YYYY-MM-DD, e.g. 2024-02-01."
        })
    }
}

/// One page: an ordered list of blocks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Page")]
pub struct RawPage {
    /// Columns of the page's grid (1–6); without it kaiho chooses.
    pub columns: Option<Located<i64>>,
    /// The blocks, in reading order.
    pub blocks: Located<Vec<Located<RawPlaced>>>,
}

/// A typed block of a page.
// Raw blocks live only between parsing and validation; boxing the large ones would
// only add noise to the types that mirror the file.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Block")]
pub enum RawBlock {
    /// The bulletin's name plate with VOL and issue.
    Masthead(Option<RawEmpty>),
    /// A headline with optional subtitle.
    Headline(RawHeadline),
    /// A row of statistic blocks.
    Stats(Vec<Located<RawStat>>),
    /// A numbered section with items.
    Section(RawSection),
    /// A boxed notice.
    Callout(RawCallout),
    /// The manifesto with its priority policies.
    Manifesto(RawManifesto),
    /// Running text: a greeting, a report.
    Text(RawTextBlock),
    /// An event notice.
    Event(RawEvent),
    /// A photo with caption.
    Photo(RawPhoto),
    /// The publisher's line.
    Colophon(Option<RawEmpty>),
    /// A table with a header row.
    Table(RawTable),
    /// A QR code.
    Qr(RawQr),
    /// A person's profile.
    Profile(RawProfile),
    /// Questions and answers.
    Qa(RawQa),
    /// Photos with captions in a grid.
    Gallery(RawGallery),
    /// A coupon to cut off at the foot of the page.
    Form(RawForm),
    /// A list of names.
    Names(RawNames),
}

/// A block that takes no settings (`masthead: {}`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Empty")]
pub struct RawEmpty {}

/// A headline.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Headline")]
pub struct RawHeadline {
    /// The small line above the title.
    pub kicker: Option<Text>,
    /// The headline itself.
    pub title: Text,
    /// The line below it.
    pub subtitle: Option<Text>,
}

/// A statistic: a large figure with its unit and what it means.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Stat")]
pub struct RawStat {
    /// The figure, e.g. `25` or `23億2107万` (digits are set large, the rest small).
    pub figure: Located<ScalarText>,
    /// The unit after the figure, e.g. 位 or 円余.
    pub unit: Option<Text>,
    /// What the figure is out of, e.g. 812市区中.
    pub context: Option<Text>,
    /// What is counted, e.g. 住みよさランキング 2023.
    pub title: Text,
    /// Where the figure comes from.
    pub note: Option<Text>,
}

/// Text that YAML may have read as a number (`figure: 25`).
#[derive(Debug)]
pub struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar(deserializer, "a figure such as 25 or 23億2107万").map(ScalarText)
    }
}

/// A text that YAML may have read as a number, as it was written; `expecting` says what
/// the value is, for the error when it is neither.
fn scalar<'de, D: de::Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
) -> Result<String, D::Error> {
    struct V(&'static str);
    impl Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    deserializer.deserialize_any(V(expecting))
}

impl JsonSchema for ScalarText {
    fn schema_name() -> Cow<'static, str> {
        "Figure".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "description": "A figure such as 25 or 23億2107万; its digits are set large."
        })
    }
}

/// A numbered section (01 子育て・教育 …).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Section")]
pub struct RawSection {
    /// The section number, printed as two digits.
    pub number: Located<i64>,
    /// The theme, e.g. 子育て・教育.
    pub theme: Text,
    /// The line under the theme.
    pub tagline: Option<Text>,
    /// A boxed notice inside the section.
    pub callout: Option<Located<RawCallout>>,
    /// The items.
    #[serde(default)]
    pub items: Vec<Located<RawItem>>,
}

/// A list item: plain text, or text with an example line (例).
#[derive(Debug)]
pub struct RawItem {
    /// The item text.
    pub text: Text,
    /// The example, printed after 例.
    pub example: Option<Text>,
}

/// A list item with an example.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "ItemMap")]
struct RawItemMap {
    /// The item text.
    text: Text,
    /// The example, printed after 例）.
    example: Option<Text>,
}

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a mapping with `text` and `example`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawItem, E> {
                // The enclosing `Located<RawItem>` carries the location.
                let text = Located { value: v.to_owned(), at: Location::UNKNOWN };
                Ok(RawItem { text, example: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawItem, A::Error> {
                let m = RawItemMap::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawItem { text: m.text, example: m.example })
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl JsonSchema for RawItem {
    fn schema_name() -> Cow<'static, str> {
        "Item".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let detailed = generator.subschema_for::<RawItemMap>();
        json_schema!({
            "description": "A list item: a text, or a mapping with `text` and `example`.",
            "anyOf": [{ "type": "string" }, detailed]
        })
    }
}

/// A boxed notice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Callout")]
pub struct RawCallout {
    /// The small line above, e.g. 19年の8月診療分から.
    pub lead: Option<Text>,
    /// A label set apart, e.g. 【現物給付方式】.
    pub label: Option<Text>,
    /// The notice's title.
    pub title: Text,
    /// The notice's text.
    pub body: Option<Text>,
}

/// The manifesto: a heading and the priority policies.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Manifesto")]
pub struct RawManifesto {
    /// The large line at the top.
    pub heading: Text,
    /// The line under it.
    pub lead: Option<Text>,
    /// The title of the list of policies, e.g. 主な最重点政策.
    pub title: Option<Text>,
    /// A note, e.g. where to read more.
    pub note: Option<Text>,
    /// The priority policies.
    pub priorities: Vec<Located<RawPriority>>,
}

/// One priority policy.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Priority")]
pub struct RawPriority {
    /// Its number, printed as two digits.
    pub number: Located<i64>,
    /// The theme, e.g. 自然増への挑戦.
    pub theme: Text,
    /// The line under it.
    pub subtitle: Option<Text>,
    /// Goals, numbered ①, ②, … by the layout.
    #[serde(default)]
    pub goals: Vec<Text>,
    /// The measures.
    #[serde(default)]
    pub items: Vec<Located<RawItem>>,
}

/// Running text, e.g. a greeting.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "TextBlock")]
pub struct RawTextBlock {
    /// The heading.
    pub heading: Option<Text>,
    /// Paragraphs, separated by blank lines.
    pub body: Text,
    /// Who signs it, set flush right.
    pub signature: Option<Text>,
}

/// An event notice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Event")]
pub struct RawEvent {
    /// What.
    pub title: Text,
    /// When, as it should be printed.
    pub when: Text,
    /// Where.
    pub place: Option<Text>,
    /// More about it.
    pub body: Option<Text>,
    /// Whom to ask.
    pub contact: Option<Text>,
}

/// A photo with a caption.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Photo")]
pub struct RawPhoto {
    /// The image file (JPEG or PNG), relative to the volume file.
    pub src: Text,
    /// The caption.
    pub caption: Option<Text>,
    /// Who took it.
    pub credit: Option<Text>,
    /// A short description for screen readers (default: the caption).
    pub alt: Option<Text>,
    /// The frame's proportions, e.g. `3:2` or `1:1`, or `none` for the photo's own
    /// (default: kaiho chooses, cropping a little where the page needs it).
    pub crop: Option<Located<RawCrop>>,
    /// What must stay in the frame when it crops: `[x, y]` in percent from the left and
    /// the top (default `[50, 50]`, the centre).
    pub focus: Option<Located<Vec<f64>>>,
}

//! Raw block kinds beyond VOL.10's: tables, QR codes, profiles, questions and answers,
//! galleries, application forms and name lists, as written in a volume file.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor, value::MapAccessDeserializer};
use serde_saphyr::Location;

use super::{Located, RawCrop, ScalarText, Text};

/// A table: 行事予定 (date / event / place), 決算報告 (item / amount).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Table")]
pub struct RawTable {
    /// The title above the table, e.g. 令和6年度 行事予定.
    pub caption: Option<Text>,
    /// The header row: one heading per column.
    pub header: Located<Vec<Located<RawCell>>>,
    /// How each column is aligned: `left`, `center` or `right` (right-aligned columns set
    /// their figures tabular); default: `right` for columns of numbers, else `left`.
    pub align: Option<Located<Vec<Located<RawAlign>>>>,
    /// The rows, each a list of as many cells as the header has.
    pub rows: Located<Vec<Located<Vec<Located<RawCell>>>>>,
    /// A total row under the rows, set apart (e.g. `[合計, "1,234,000"]`).
    pub total: Option<Located<Vec<Located<RawCell>>>>,
    /// A note under the table, e.g. （単位：円）.
    pub note: Option<Text>,
}

/// A table cell: text, or a number YAML read as one (`1200`); may be empty (`""`).
#[derive(Debug)]
pub struct RawCell(pub String);

impl<'de> Deserialize<'de> for RawCell {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::scalar(deserializer, "a cell: a text or a number").map(RawCell)
    }
}

impl JsonSchema for RawCell {
    fn schema_name() -> Cow<'static, str> {
        "Cell".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "description": "A table cell: text (ruby and bold as everywhere) or a number; \"\" for an empty cell."
        })
    }
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Align")]
pub enum RawAlign {
    /// Flush left (text).
    Left,
    /// Centred (short marks, dates).
    Center,
    /// Flush right, figures tabular (amounts, counts).
    Right,
}

/// A QR code: to a web site, a LINE account, or any text.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Qr")]
pub struct RawQr {
    /// The address the code opens (`https://…`); on screen the code is also a link.
    pub url: Option<Text>,
    /// Any other text to encode, instead of `url`.
    pub text: Option<Text>,
    /// The line beside the code, e.g. 詳しくはこちら.
    pub caption: Option<Text>,
    /// The code's printed width in millimetres, quiet zone included (15–60, default 22).
    pub size: Option<Located<f64>>,
    /// Error correction: `M` (15 %, default), `Q` (25 %) or `H` (30 %).
    pub error_correction: Option<Located<RawEcLevel>>,
}

/// QR error-correction levels kaiho offers (M or higher: a leaflet gets folded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[schemars(rename = "ErrorCorrection")]
pub enum RawEcLevel {
    /// Restores 15 % of the code.
    M,
    /// Restores 25 %.
    Q,
    /// Restores 30 %.
    H,
}

/// A person's profile: portrait, name, role, career, message.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Profile")]
pub struct RawProfile {
    /// The portrait (JPEG or PNG), relative to the volume file.
    pub photo: Option<Text>,
    /// The portrait's frame proportions (default `3:4`, upright).
    pub crop: Option<Located<RawCrop>>,
    /// What stays in the frame: `[x, y]` in percent (default `[50, 35]`, the face).
    pub focus: Option<Located<Vec<f64>>>,
    /// The portrait described for screen readers (default: the name).
    pub alt: Option<Text>,
    /// The name, e.g. 小泉 俊博.
    pub name: Text,
    /// Its reading, set as ruby over the name, e.g. こいずみ としひろ.
    pub reading: Option<Text>,
    /// The role, e.g. 小諸市長.
    pub role: Option<Text>,
    /// The career, oldest first.
    #[serde(default)]
    pub career: Vec<Located<RawCareer>>,
    /// A short message in the person's words.
    pub message: Option<Text>,
}

/// One step of a career.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Career")]
pub struct RawCareer {
    /// When, e.g. 2016年 or 平成28年4月.
    pub year: Located<ScalarText>,
    /// What, e.g. 小諸市長に初当選.
    pub text: Text,
}

/// Questions and answers: a 議会報告's 一般質問, an interview.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Qa")]
pub struct RawQa {
    /// The heading, e.g. 一般質問より.
    pub title: Option<Text>,
    /// The two labels, question first (default `[質問, 答弁]`; e.g. `[Q, A]`).
    pub labels: Option<Located<Vec<Text>>>,
    /// Who asks, for every pair that does not say.
    pub asker: Option<Text>,
    /// Who answers, for every pair that does not say.
    pub answerer: Option<Text>,
    /// The pairs, in order.
    pub pairs: Located<Vec<Located<RawPair>>>,
}

/// One question with its answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Pair")]
pub struct RawPair {
    /// The question.
    pub question: Text,
    /// The answer.
    pub answer: Text,
    /// Who asks this one (default: the block's `asker`).
    pub asker: Option<Text>,
    /// Who answers this one (default: the block's `answerer`).
    pub answerer: Option<Text>,
}

/// Photos with captions in a grid.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Gallery")]
pub struct RawGallery {
    /// The heading above the photos.
    pub title: Option<Text>,
    /// One proportion for every frame (default `4:3`), or `none` for each photo's own.
    pub crop: Option<Located<RawCrop>>,
    /// Photos to a row, pinned (default: kaiho chooses for the page, from as many as
    /// leave each 12 characters wide down to one).
    pub per_row: Option<Located<u32>>,
    /// Two to six photos.
    pub photos: Located<Vec<Located<RawGalleryPhoto>>>,
}

/// One photo of a gallery.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "GalleryPhoto")]
pub struct RawGalleryPhoto {
    /// The image file (JPEG or PNG), relative to the volume file.
    pub src: Text,
    /// The caption under it.
    pub caption: Option<Text>,
    /// A short description for screen readers (default: the caption).
    pub alt: Option<Text>,
    /// What stays in the frame: `[x, y]` in percent (default `[50, 50]`).
    pub focus: Option<Located<Vec<f64>>>,
}

/// A coupon cut off at the foot of the page: 入会申込書.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Form")]
pub struct RawForm {
    /// The coupon's title, e.g. 後援会 入会申込書.
    pub title: Text,
    /// A line under the title, e.g. how to fill it in.
    pub lead: Option<Text>,
    /// The fields to fill in, top to bottom.
    pub fields: Located<Vec<Located<RawField>>>,
    /// Where to send or bring it.
    pub send_to: Option<Text>,
    /// On screen the coupon is replaced by a link to this address (default: the
    /// publisher's `url`).
    pub url: Option<Text>,
}

/// A field of a form: a label, or a mapping with `label`, `lines` and `furigana`.
#[derive(Debug)]
pub struct RawField {
    /// The label, e.g. 氏名.
    pub label: Text,
    /// Writing lines, each at least 8 mm tall (1–4, default 1).
    pub lines: Option<Located<i64>>,
    /// A ふりがな line above the writing space.
    pub furigana: bool,
}

/// A field of a form written as a mapping.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "FieldMap")]
struct RawFieldMap {
    /// The label, e.g. 氏名.
    label: Text,
    /// Writing lines, each at least 8 mm tall (1–4, default 1).
    lines: Option<Located<i64>>,
    /// A ふりがな line above the writing space.
    #[serde(default)]
    furigana: bool,
}

impl<'de> Deserialize<'de> for RawField {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a label, or a mapping with `label`, `lines` and `furigana`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawField, E> {
                // The enclosing `Located<RawField>` carries the location.
                let label = Located { value: v.to_owned(), at: Location::UNKNOWN };
                Ok(RawField { label, lines: None, furigana: false })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawField, A::Error> {
                let m = RawFieldMap::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RawField { label: m.label, lines: m.lines, furigana: m.furigana })
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl JsonSchema for RawField {
    fn schema_name() -> Cow<'static, str> {
        "Field".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let detailed = generator.subschema_for::<RawFieldMap>();
        json_schema!({
            "description": "A field to fill in: a label, or a mapping with `label`, `lines` and `furigana`.",
            "anyOf": [{ "type": "string" }, detailed]
        })
    }
}

/// A list of names: supporters, 発起人, 寄付者.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Names")]
pub struct RawNames {
    /// The heading, e.g. 発起人（五十音順・敬称略）.
    pub title: Option<Text>,
    /// The names, in the order they are printed (or use `groups`).
    pub names: Option<Located<Vec<Text>>>,
    /// Groups of names, each with an optional heading.
    pub groups: Option<Located<Vec<Located<RawNameGroup>>>>,
    /// A note under the list.
    pub note: Option<Text>,
}

/// A group of names under a heading.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "NameGroup")]
pub struct RawNameGroup {
    /// The group's heading, e.g. 顧問.
    pub heading: Option<Text>,
    /// The names, in order.
    pub names: Located<Vec<Text>>,
}

//! Raw placement keys: where the author pins a block (`span`, `row`), written beside the
//! block's kind (`- photo: {…}` with `span: 2` on the next line), and a photo's crop.
//!
//! A block is a mapping with exactly one kind key and optional placement keys. serde's
//! externally tagged enums take one key only, so this reads the mapping itself and hands
//! the kind's value to `RawBlock`'s variant types, keeping their locations and errors.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::{Located, RawBlock};

/// A block with where the author pinned it.
#[derive(Debug)]
pub struct RawPlaced {
    /// The block.
    pub block: RawBlock,
    /// How many columns it spans, or `full`.
    pub span: Option<Located<RawSpan>>,
    /// Whether it stands in the row of the block before it, or starts a new one.
    pub row: Option<Located<RawRow>>,
}

/// The block kinds, as written.
pub const KINDS: &[&str] = &[
    "masthead",
    "headline",
    "stats",
    "section",
    "callout",
    "manifesto",
    "text",
    "event",
    "photo",
    "colophon",
    "table",
    "qr",
    "profile",
    "qa",
    "gallery",
    "form",
    "names",
];

/// The placement keys that may stand beside a block's kind.
pub const PLACEMENT_KEYS: &[&str] = &["span", "row"];

impl<'de> Deserialize<'de> for RawPlaced {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPlaced;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a block: one kind (e.g. `section:`) and optionally `span:` and `row:`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPlaced, A::Error> {
                let (mut block, mut span, mut row) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "span" => span = Some(map.next_value()?),
                        "row" => row = Some(map.next_value()?),
                        kind if block.is_some() && KINDS.contains(&kind) => {
                            return Err(de::Error::custom(format!(
                                "a block has one kind, but `{kind}` follows another; start a new block with `- {kind}:`"
                            )));
                        }
                        kind => block = Some(variant(kind, &mut map)?),
                    }
                }
                let block = block.ok_or_else(|| de::Error::missing_field("block kind"))?;
                Ok(RawPlaced { block, span, row })
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// Reads the value of kind key `kind` as that kind's block.
fn variant<'de, A: MapAccess<'de>>(kind: &str, map: &mut A) -> Result<RawBlock, A::Error> {
    Ok(match kind {
        "masthead" => RawBlock::Masthead(map.next_value()?),
        "headline" => RawBlock::Headline(map.next_value()?),
        "stats" => RawBlock::Stats(map.next_value()?),
        "section" => RawBlock::Section(map.next_value()?),
        "callout" => RawBlock::Callout(map.next_value()?),
        "manifesto" => RawBlock::Manifesto(map.next_value()?),
        "text" => RawBlock::Text(map.next_value()?),
        "event" => RawBlock::Event(map.next_value()?),
        "photo" => RawBlock::Photo(map.next_value()?),
        "colophon" => RawBlock::Colophon(map.next_value()?),
        "table" => RawBlock::Table(map.next_value()?),
        "qr" => RawBlock::Qr(map.next_value()?),
        "profile" => RawBlock::Profile(map.next_value()?),
        "qa" => RawBlock::Qa(map.next_value()?),
        "gallery" => RawBlock::Gallery(map.next_value()?),
        "form" => RawBlock::Form(map.next_value()?),
        "names" => RawBlock::Names(map.next_value()?),
        other => return Err(de::Error::unknown_variant(other, KINDS)),
    })
}

impl JsonSchema for RawPlaced {
    fn schema_name() -> Cow<'static, str> {
        "Block".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // The kinds' schemas, each with the placement keys beside its kind key.
        let mut kinds = RawBlock::json_schema(generator);
        let span = generator.subschema_for::<RawSpan>();
        let row = generator.subschema_for::<RawRow>();
        if let Some(list) = kinds.get_mut("oneOf").and_then(|v| v.as_array_mut()) {
            for one in list {
                if let Some(props) = one.get_mut("properties").and_then(|p| p.as_object_mut()) {
                    props.insert("span".into(), span.clone().into());
                    props.insert("row".into(), row.clone().into());
                }
            }
        }
        kinds
    }
}

/// How wide a block is: a number of columns, or the whole width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawSpan {
    /// This many columns.
    Columns(i64),
    /// The whole width.
    Full,
}

impl<'de> Deserialize<'de> for RawSpan {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawSpan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of columns (1, 2, …) or `full`")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawSpan, E> {
                Ok(RawSpan::Columns(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawSpan, E> {
                Ok(RawSpan::Columns(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSpan, E> {
                match v {
                    "full" => Ok(RawSpan::Full),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl JsonSchema for RawSpan {
    fn schema_name() -> Cow<'static, str> {
        "Span".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Columns the block spans (1, 2, …) or `full`; without it kaiho chooses.",
            "anyOf": [{ "type": "integer", "minimum": 1 }, { "const": "full" }]
        })
    }
}

/// Where a block's row starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Row")]
pub enum RawRow {
    /// In the same row as the block before it (side by side).
    Same,
    /// At the start of a new row.
    New,
}

/// A photo's frame proportions: `W:H` (e.g. `3:2`, `1:1`), or `none` to keep the photo's
/// own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawCrop {
    /// Width : height.
    Ratio(f64, f64),
    /// The photo's own proportions.
    Keep,
}

impl<'de> Deserialize<'de> for RawCrop {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawCrop;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("proportions like 3:2, 4:3 or 1:1, or `none`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCrop, E> {
                if v == "none" {
                    return Ok(RawCrop::Keep);
                }
                let ratio = v.split_once(':').and_then(|(w, h)| {
                    let (w, h) = (w.trim().parse::<f64>().ok()?, h.trim().parse::<f64>().ok()?);
                    (w > 0.0 && h > 0.0 && w / h > 0.2 && w / h < 5.0)
                        .then_some(RawCrop::Ratio(w, h))
                });
                ratio.ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(V)
    }
}

impl JsonSchema for RawCrop {
    fn schema_name() -> Cow<'static, str> {
        "Crop".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(none|[0-9.]+ *: *[0-9.]+)$",
            "description": "The frame's proportions, width:height (e.g. 3:2, 1:1), or `none` for the photo's own; without it kaiho chooses."
        })
    }
}

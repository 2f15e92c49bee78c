//! JSON Schemas of the series and volume files, generated from the raw serde types.
//!
//! Editors use them for completion and checking (the YAML language server reads the
//! `# yaml-language-server: $schema=…` line); since they come from the same types that read
//! the files, they cannot drift from what kaiho accepts.

use schemars::schema_for;

use crate::raw::{RawSeries, RawVolume};

/// Which file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// `series.yaml`.
    Series,
    /// A volume file, `volN.yaml`.
    Volume,
}

/// The schema as pretty-printed JSON, ending with a newline.
pub fn json(kind: SchemaKind) -> String {
    let (mut schema, title) = match kind {
        SchemaKind::Series => (schema_for!(RawSeries), "kaiho series file (series.yaml)"),
        SchemaKind::Volume => (schema_for!(RawVolume), "kaiho volume file (volN.yaml)"),
    };
    schema.insert("title".into(), title.into());
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is valid JSON");
    text.push('\n');
    text
}
